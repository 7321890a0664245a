//! The presenter's event loop. Event-driven: it sleeps until a key, a reload, a signal or the
//! next visible change of the clock or timer; it never polls. All pending input is applied
//! before one draw, and only when the state changed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
use ratatui::layout::Rect;
use tokio::sync::mpsc;

use super::terminal::Tui;
use super::{signals, until_next_minute, wall_clock, watch};
use crate::app::keymap::{Key, Keymap};
use crate::app::{Action, App, Effect};
use crate::backend::replay::{RecordingSource, ReplayBackend, Speed};
use crate::deck::{self, Deck, DeckSource, ThemeName};
use crate::notes::protocol::NotesState;
use crate::notes::server::NotesServer;
use crate::ui::layout::LayoutCache;
use crate::ui::theme::{ColorDepth, Theme};
use crate::ui::{self, View};

/// How long the watcher waits for a burst of file events to settle before reloading.
const RELOAD_DEBOUNCE: Duration = Duration::from_millis(80);

/// What `present` needs to run.
pub struct PresentOptions {
    pub source: DeckSource,
    pub deck: Deck,
    pub theme_override: Option<ThemeName>,
    pub depth: ColorDepth,
    pub keymap: Keymap,
    pub watch: bool,
    pub replay: ReplayOptions,
    /// Where build data comes from.
    pub mode: ModeChoice,
    /// Where the live backend works (source zip, pipeline, recordings).
    pub live_settings: crate::backend::aws::live::LiveSettings,
    /// `--yes`: start and stop live builds without asking.
    pub yes: bool,
}

/// The data source the command line chose.
pub enum ModeChoice {
    /// `--offline`: replays only.
    Offline,
    /// `--live`: this configuration was already proven usable.
    Live(Box<aws_config::SdkConfig>),
    /// Neither: LIVE if AWS turns out usable, decided in the background.
    Auto(crate::backend::aws::AwsOptions),
}

/// How replays run.
pub struct ReplayOptions {
    pub speed: Speed,
    /// Recordings that override the bundled ones (a deck folder's `../recordings`).
    pub folder: Option<std::path::PathBuf>,
    /// Start every scenario at once, in the background.
    pub start_all: bool,
    /// Log lines kept per build.
    pub log_lines: usize,
}

/// While builds are playing, frames come at most this often, however many events arrive.
const ANIMATION_FRAME: Duration = Duration::from_millis(100);

/// Presents a deck until the presenter quits or a signal arrives.
pub async fn run(opts: PresentOptions) -> anyhow::Result<()> {
    let deck = Arc::new(opts.deck);
    let mut app = App::new(deck, opts.keymap);
    app.log_cap = opts.replay.log_lines;
    let mut theme = Theme::new(app.deck.meta.theme, opts.depth);

    let (_watcher, mut changes) = match (opts.watch, opts.source.folder()) {
        (true, Some(dir)) => {
            let (w, rx) = watch::watch(dir)?;
            (Some(w), rx)
        }
        _ => (None, mpsc::unbounded_channel().1),
    };
    let (reload_tx, mut reloads) = mpsc::unbounded_channel::<Result<Deck, deck::DeckError>>();

    let notes_path = crate::notes::socket_path(&opts.source.identity());
    let notes = match NotesServer::start(&notes_path, notes_state(&app, Instant::now())) {
        Ok(server) => Some(server),
        Err(e) => {
            tracing::warn!("speaker notes are not served: {e}");
            None
        }
    };

    // Live: a backend task owns the network; its reports arrive on a channel.
    app.ask_live = !opts.yes;
    let (report_tx, mut live_rx) = mpsc::unbounded_channel::<LiveReport>();
    let mut live_tx = None;
    let mut detecting = None;
    match opts.mode {
        ModeChoice::Offline => {}
        ModeChoice::Live(config) => {
            live_tx = Some(go_live(&mut app, *config, &opts.source, &opts.live_settings, &report_tx));
        }
        ModeChoice::Auto(aws) => {
            app.mode_note = Some("checking AWS…".into());
            let catalog = app.deck.catalog.clone();
            detecting = Some(tokio::spawn(async move { crate::backend::aws::detect::detect(&aws, &catalog).await }));
        }
    }
    // The pipeline pane refreshes while it is on screen.
    let mut pipeline_at = tokio::time::Instant::now();
    let mut backend = ReplayBackend::new(
        RecordingSource { folder: opts.replay.folder.clone(), recorded: crate::backend::aws::live::record::user_dir() },
        opts.replay.speed,
    );
    if opts.replay.start_all {
        let all: Vec<String> = app.deck.catalog.scenarios.iter().map(|s| s.id.clone()).collect();
        app.effects.extend(all.into_iter().map(Effect::Start));
    }

    let mut tui = Tui::enter()?;
    let mut events = EventStream::new();
    let mut cache = LayoutCache::default();
    let mut dirty = true;
    // Build progress redraws wait for the next animation frame; keys redraw at once.
    let mut builds_dirty = false;
    let mut last_draw = Instant::now();
    let mut reload_at: Option<tokio::time::Instant> = None;
    let mut highlighted = false;
    let terminated = signals::terminated();
    tokio::pin!(terminated);

    while !app.quit {
        let now = Instant::now();
        run_effects(&mut app, &mut backend, live_tx.as_ref(), now);
        let pipeline_shown = live_tx.is_some() && app.deck.meta.pipeline.is_some() && shows_pipeline(&app);
        let updates = backend.poll(now);
        if !updates.is_empty() {
            builds_dirty |= app.update(Action::Builds(updates), now);
        }
        if builds_dirty && now.duration_since(last_draw) >= ANIMATION_FRAME {
            dirty = true;
        }
        if dirty {
            builds_dirty = false;
            last_draw = Instant::now();
            let size = tui.terminal.size()?;
            let now = Instant::now();
            let layout = cache.prepare(&mut app, Rect::new(0, 0, size.width, size.height), &theme, now);
            let clock = wall_clock();
            let view = View { app: &app, layout, theme: &theme, now, clock: &clock };
            tui.draw(theme.base(), |f| ui::draw(&view, f))?;
            if let Some(n) = &notes {
                n.publish(notes_state(&app, now));
            }
            dirty = false;
            // The first frame showed code in one colour; the highlighted deck follows at once,
            // on this thread (a second thread would grow a second malloc arena for good).
            if !highlighted {
                highlighted = true;
                let _ = reload_tx.send(deck::load(&opts.source, opts.theme_override));
            }
        }

        let now = Instant::now();
        let mut wake = next_wake(&app, now);
        let frame = |at: Instant| at.saturating_duration_since(now);
        if let Some(next) = backend.next_wake(now) {
            wake = Some(wake.map_or(frame(next), |w| w.min(frame(next))));
        }
        if builds_dirty || backend.playing() {
            // Running bars and timers move: one frame per animation step.
            let step = frame(last_draw + ANIMATION_FRAME);
            wake = Some(wake.map_or(step, |w| w.min(step)));
        }
        tokio::select! {
            ev = events.next() => {
                dirty |= handle_event(&mut app, ev);
                // Apply everything already waiting before drawing once. (Polling the stream with
                // a throwaway waker would lose crossterm's wake-up, so drain synchronously.)
                while !app.quit && crossterm::event::poll(Duration::ZERO).unwrap_or(false) {
                    dirty |= handle_event(&mut app, Some(crossterm::event::read()));
                }
            }
            Some(()) = changes.recv() => {
                reload_at = Some(tokio::time::Instant::now() + RELOAD_DEBOUNCE);
            }
            _ = sleep_until_opt(reload_at), if reload_at.is_some() => {
                reload_at = None;
                let source = opts.source.clone();
                let theme_override = opts.theme_override;
                let tx = reload_tx.clone();
                tokio::task::spawn_blocking(move || {
                    let _ = tx.send(deck::load(&source, theme_override));
                });
            }
            Some(result) = reloads.recv() => {
                if let Err(e) = &result {
                    tracing::warn!("reload failed: {e}");
                }
                let result = result.map(|mut deck| {
                    // What the command line or the deployed stack supplied stays.
                    deck.meta.pipeline = deck.meta.pipeline.or_else(|| opts.live_settings.pipeline.clone());
                    deck.meta.source = deck.meta.source.or_else(|| opts.live_settings.source.clone());
                    Arc::new(deck)
                });
                if let Ok(deck) = &result {
                    theme = Theme::new(deck.meta.theme, opts.depth);
                }
                dirty |= app.update(Action::Reloaded(result), Instant::now());
            }
            _ = tokio::time::sleep(wake.unwrap_or(Duration::MAX)), if wake.is_some() => {
                if backend.playing() || builds_dirty {
                    builds_dirty = true;
                } else {
                    dirty |= app.update(Action::Tick, Instant::now());
                }
            }
            Some(report) = live_rx.recv() => {
                if let Some(action) = report_action(report) {
                    builds_dirty |= app.update(action, Instant::now());
                }
            }
            decided = async { detecting.as_mut().expect("guarded").await }, if detecting.is_some() => {
                detecting = None;
                let action = match decided {
                    Ok(Ok(config)) => {
                        live_tx = Some(go_live(&mut app, config, &opts.source, &opts.live_settings, &report_tx));
                        Action::ModeChanged { mode: crate::app::Mode::Live, note: None }
                    }
                    Ok(Err(reason)) => Action::ModeChanged { mode: crate::app::Mode::Offline, note: Some(reason) },
                    Err(_) => Action::ModeChanged { mode: crate::app::Mode::Offline, note: Some("AWS check failed".into()) },
                };
                tracing::info!("mode: {:?} ({:?})", app.mode, app.mode_note);
                dirty |= app.update(action, Instant::now());
            }
            _ = tokio::time::sleep_until(pipeline_at), if pipeline_shown => {
                pipeline_at = tokio::time::Instant::now() + PIPELINE_EVERY;
                if let Some(tx) = &live_tx {
                    let _ = tx.send(crate::backend::aws::live::Command::PipelineRefresh);
                }
            }
            _ = &mut terminated => {
                app.update(Action::Quit, Instant::now());
            }
        }
    }
    drop(tui);
    Ok(())
}

type LiveReport = crate::backend::aws::live::Report;

/// How often a visible pipeline pane reads the pipeline's state.
const PIPELINE_EVERY: Duration = Duration::from_secs(10);

/// Starts the live backend and shows the latest builds of every scenario.
fn go_live(
    app: &mut App,
    config: aws_config::SdkConfig,
    source: &DeckSource,
    settings: &crate::backend::aws::live::LiveSettings,
    reports: &mpsc::UnboundedSender<LiveReport>,
) -> mpsc::UnboundedSender<crate::backend::aws::live::Command> {
    app.mode = crate::app::Mode::Live;
    let (catalog, root) = (app.deck.catalog.clone(), source.root());
    let tx = crate::backend::aws::live::spawn(config, catalog, root, settings.clone(), reports.clone());
    let all = app.deck.catalog.scenarios.iter().map(|s| s.id.clone()).collect();
    let _ = tx.send(crate::backend::aws::live::Command::Attach(all));
    tx
}

/// The update a live report makes.
fn report_action(report: LiveReport) -> Option<Action> {
    Some(match report {
        LiveReport::Started { scenario, label, clock, origin } => {
            Action::RunStarted { scenario, label, clock, origin: Some(origin) }
        }
        LiveReport::Failed { scenario, error } => Action::RunFailed { scenario, error },
        LiveReport::Events(e) => Action::Builds(vec![e]),
        LiveReport::Finished { .. } | LiveReport::NothingToAttach { .. } => return None,
        LiveReport::Recorded { scenario, result } => Action::Notice(match result {
            Ok(path) => format!("{scenario} recorded to {}", path.display()),
            Err(e) => format!("{scenario} not recorded: {e}"),
        }),
        LiveReport::Pipeline(state) => Action::Pipeline(state),
        LiveReport::Notice(text) => Action::Notice(text),
    })
}

/// Whether the current slide holds a pipeline pane.
fn shows_pipeline(app: &App) -> bool {
    app.deck.slides[app.slide].panes().iter().any(|p| p.kind == crate::deck::pane::PaneKind::Pipeline)
}

/// Carries out what the last updates asked for.
fn run_effects(
    app: &mut App,
    backend: &mut ReplayBackend,
    live: Option<&mpsc::UnboundedSender<crate::backend::aws::live::Command>>,
    now: Instant,
) {
    use crate::backend::aws::live::Command as Live;
    for effect in std::mem::take(&mut app.effects) {
        // Live: the backend task answers on its channel.
        if let Some(tx) = live {
            let _ = match effect {
                Effect::Start(s) => tx.send(Live::Start(s)),
                Effect::Stop(s) => tx.send(Live::Stop(s)),
                Effect::Record(s) => tx.send(Live::Record(s)),
                Effect::StartPipeline => tx.send(Live::StartPipeline),
                Effect::TogglePause => Ok(()),
            };
            continue;
        }
        let action = match effect {
            Effect::Start(scenario) => match backend.start(&scenario, now) {
                Ok(label) => {
                    let clock = crate::builds::clock::Clock { at: now, t: 0.0, speed: backend.speed(), running: true };
                    Action::RunStarted { scenario, label, clock, origin: None }
                }
                Err(error) => Action::RunFailed { scenario, error },
            },
            Effect::Stop(scenario) => match backend.stop(&scenario, now) {
                Some(update) => Action::Builds(vec![update]),
                None => continue,
            },
            Effect::TogglePause => {
                backend.toggle_pause(now);
                Action::Builds(backend.poll(now))
            }
            // Only live runs are recorded, and only a live pipeline is started.
            Effect::Record(_) | Effect::StartPipeline => continue,
        };
        app.update(action, now);
    }
}

async fn sleep_until_opt(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Turns a terminal event into an update; returns whether to redraw.
fn handle_event(app: &mut App, ev: Option<std::io::Result<Event>>) -> bool {
    let now = Instant::now();
    match ev {
        Some(Ok(Event::Key(k))) if k.kind == KeyEventKind::Press => app.update(Action::Key(Key::from_event(&k)), now),
        Some(Ok(Event::Resize(..))) => app.update(Action::Resize, now),
        Some(Ok(_)) => false,
        // The terminal is gone: nothing more can be shown.
        Some(Err(_)) | None => app.update(Action::Quit, now),
    }
}

/// When the screen next changes by itself: the timer's next second while it runs and shows,
/// the clock's next minute otherwise; never while the screen is blank.
pub fn next_wake(app: &App, now: Instant) -> Option<Duration> {
    if app.blank {
        return None;
    }
    let minute = until_next_minute();
    if app.timer.running() {
        let ms = u64::try_from(app.timer.elapsed(now).as_millis() % 1000).unwrap_or(0);
        return Some(Duration::from_millis(1000 - ms).min(minute));
    }
    Some(minute)
}

/// The state the notes viewers see.
fn notes_state(app: &App, now: Instant) -> NotesState {
    let slides = &app.deck.slides;
    let current = &slides[app.slide];
    NotesState {
        deck_title: app.deck.meta.title.clone(),
        slide: app.slide + 1,
        total: slides.len(),
        title: current.title.clone(),
        notes: current.notes.clone(),
        next_title: slides.get(app.slide + 1).map(|s| s.title.clone()),
        step: app.step,
        steps: app.steps(),
        timer_ms: u64::try_from(app.timer.elapsed(now).as_millis()).unwrap_or(u64::MAX),
        timer_running: app.timer.running(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::DeckSource;

    #[test]
    fn wakes_only_for_visible_time() {
        let deck = Arc::new(deck::load(&DeckSource::Bundled, None).unwrap());
        let mut app = App::new(deck, Keymap::default());
        let now = Instant::now();
        // Idle: only the clock's minute.
        let idle = next_wake(&app, now).unwrap();
        assert!(idle <= Duration::from_secs(60));
        // A running timer: at most a second away.
        app.timer.start_once(now);
        assert!(next_wake(&app, now + Duration::from_millis(300)).unwrap() <= Duration::from_millis(700));
        // Blank: nothing to show, no wake-ups.
        app.blank = true;
        assert_eq!(next_wake(&app, now), None);
    }
}
