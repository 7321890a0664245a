//! The presenter's state and its pure update (The Elm Architecture): actions in, state changed,
//! no drawing, no I/O.

pub mod confirm;
pub mod keymap;
pub mod timer;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use keymap::{Command, Key, Keymap};
use timer::Timer;

use crate::deck::{Deck, DeckError};

/// What covers the slide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    Overview { selected: usize },
}

/// Where the panes' data comes from, shown as the footer badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Offline,
    Live,
}

impl Mode {
    pub fn badge(self) -> &'static str {
        match self {
            Mode::Offline => "OFFLINE",
            Mode::Live => "LIVE",
        }
    }
}

/// How the presenter has turned one pane: its scroll and, for a diff, its layout.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaneView {
    /// Rows scrolled; `None` until the presenter scrolls (the pane picks its own start). For a
    /// log, the first line shown while not following.
    pub scroll: Option<usize>,
    /// A diff pane forced to unified (`Some(true)`) or side by side; `None` follows the width.
    pub unified: Option<bool>,
    /// The build whose log a build or logs pane shows; `None`: the most recently active one.
    pub build: Option<usize>,
    /// The log stopped following its newest lines (the presenter scrolled).
    pub unfollowed: bool,
    /// A logs pane's search.
    pub search: Option<String>,
}

/// What the runtime is asked to do after an update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Start (a replay: restart) a scenario's builds.
    Start(String),
    Stop(String),
    TogglePause,
    /// Save a finished live run as a recording.
    Record(String),
    StartPipeline,
}

/// Everything that can change the state.
#[derive(Debug, Clone)]
pub enum Action {
    /// A key press (releases and repeats are filtered out before).
    Key(Key),
    /// The deck was reloaded from disk, or failed to.
    Reloaded(Result<Arc<Deck>, DeckError>),
    /// The laid-out slide's revealed height and the rows the screen shows of it.
    Measured { content_rows: usize, viewport_rows: usize },
    /// Time passed; something on screen shows it.
    Tick,
    /// The terminal changed size.
    Resize,
    /// A backend started a scenario's run (label: where its data comes from).
    /// `origin`: the Unix time of the run's clock zero, for live runs.
    RunStarted { scenario: String, label: String, clock: crate::builds::clock::Clock, origin: Option<f64> },
    /// A scenario could not start.
    RunFailed { scenario: String, error: String },
    /// Build events from a backend.
    Builds(Vec<crate::builds::event::ScenarioEvents>),
    /// The data source changed or was decided (`note`: why, in one line).
    ModeChanged { mode: Mode, note: Option<String> },
    /// A one-line message for the presenter (shown until the next key).
    Notice(String),
    /// The deck's pipeline as last read.
    Pipeline(Result<crate::backend::aws::live::pipeline::PipelineView, String>),
    /// A signal or the terminal closing asks to stop.
    Quit,
}

/// The presenter's state.
#[derive(Debug, Clone)]
pub struct App {
    pub deck: Arc<Deck>,
    /// Increments on each reload, so cached layouts of the old deck are not reused.
    pub deck_generation: u64,
    pub keymap: Keymap,
    pub slide: usize,
    /// Revealed parts of the current slide (0 = up to the first pause).
    pub step: usize,
    pub scroll: usize,
    pub max_scroll: usize,
    follow_reveal: bool,
    pub overlay: Overlay,
    /// Digits typed towards a slide number.
    pub jump: String,
    pub blank: bool,
    pub notes_visible: bool,
    pub timer: Timer,
    pub mode: Mode,
    /// The last reload error, shown as a banner over the last good deck.
    pub banner: Option<String>,
    /// The focused pane of the current slide (its index among the slide's panes).
    pub focus: Option<usize>,
    /// Per (slide, pane) view state, kept while the deck is presented.
    pub pane_views: HashMap<(usize, usize), PaneView>,
    /// Scenarios started in this talk, by id.
    pub runs: std::collections::BTreeMap<String, crate::builds::scenario_run::ScenarioRun>,
    /// Lines each build's log keeps.
    pub log_cap: usize,
    /// The focused pane fills the screen.
    pub zoom: bool,
    /// Text typed into a logs pane's search, while typing.
    pub search_input: Option<String>,
    /// Requests for the runtime, drained after each update.
    pub effects: Vec<Effect>,
    /// Why the mode is what it is (e.g. "no AWS credentials"), shown beside the badge.
    pub mode_note: Option<String>,
    pub notice: Option<String>,
    /// A question waiting for yes or no.
    pub confirm: Option<confirm::Confirm>,
    /// Ask before starting or stopping live builds (`--yes` turns it off).
    pub ask_live: bool,
    /// The deck's pipeline as last read (live only).
    pub pipeline: Option<Result<crate::backend::aws::live::pipeline::PipelineView, String>>,
    pub quit: bool,
}

impl App {
    pub fn new(deck: Arc<Deck>, keymap: Keymap) -> Self {
        App {
            deck,
            deck_generation: 0,
            keymap,
            slide: 0,
            step: 0,
            scroll: 0,
            max_scroll: 0,
            follow_reveal: false,
            overlay: Overlay::None,
            jump: String::new(),
            blank: false,
            notes_visible: false,
            timer: Timer::default(),
            mode: Mode::Offline,
            banner: None,
            focus: None,
            pane_views: HashMap::new(),
            runs: Default::default(),
            log_cap: crate::builds::log::DEFAULT_CAP,
            zoom: false,
            search_input: None,
            effects: Vec::new(),
            mode_note: None,
            notice: None,
            confirm: None,
            ask_live: true,
            pipeline: None,
            quit: false,
        }
    }

    pub fn slide_count(&self) -> usize {
        self.deck.slides.len()
    }

    /// The number of steps of the current slide.
    pub fn steps(&self) -> usize {
        self.deck.slides.get(self.slide).map_or(1, |s| s.steps())
    }

    /// How many panes the current slide holds.
    pub fn pane_count(&self) -> usize {
        self.deck.slides.get(self.slide).map_or(0, |s| s.panes().len())
    }

    /// The view state of pane `index` of the current slide.
    pub fn pane_view(&self, index: usize) -> PaneView {
        self.pane_views.get(&(self.slide, index)).cloned().unwrap_or_default()
    }

    /// The scenarios of pane `index` of the current slide.
    fn pane_scenarios(&self, index: usize) -> Vec<String> {
        self.deck
            .slides
            .get(self.slide)
            .and_then(|s| s.panes().get(index).map(|p| p.scenarios.clone()))
            .unwrap_or_default()
    }

    /// The pane Enter and `s` act on: the focused one, else the first with scenarios.
    fn acting_pane(&self) -> Option<usize> {
        self.focus.or_else(|| (0..self.pane_count()).find(|&i| !self.pane_scenarios(i).is_empty()))
    }

    /// Applies an action; returns whether anything visible changed.
    pub fn update(&mut self, action: Action, now: Instant) -> bool {
        match action {
            Action::Key(key) => self.key(key, now),
            Action::Reloaded(Ok(deck)) => {
                self.reload(deck);
                true
            }
            Action::Reloaded(Err(e)) => {
                self.banner = Some(e.to_string());
                true
            }
            Action::Measured { content_rows, viewport_rows } => {
                let before = (self.scroll, self.max_scroll);
                self.max_scroll = content_rows.saturating_sub(viewport_rows);
                if std::mem::take(&mut self.follow_reveal) {
                    self.scroll = self.max_scroll;
                }
                self.scroll = self.scroll.min(self.max_scroll);
                before != (self.scroll, self.max_scroll)
            }
            Action::Tick | Action::Resize => true,
            Action::RunStarted { scenario, label, clock, origin } => {
                if let Some(def) = self.deck.catalog.scenario(&scenario) {
                    let mut run = crate::builds::scenario_run::ScenarioRun::new(def, label, clock, self.log_cap);
                    run.origin = origin;
                    self.runs.insert(scenario, run);
                }
                true
            }
            Action::RunFailed { scenario, error } => {
                if let Some(def) = self.deck.catalog.scenario(&scenario) {
                    let clock = crate::builds::clock::Clock { at: now, t: 0.0, speed: 1.0, running: false };
                    let mut run =
                        crate::builds::scenario_run::ScenarioRun::new(def, String::new(), clock, self.log_cap);
                    run.error = Some(error);
                    self.runs.insert(scenario, run);
                }
                true
            }
            Action::Builds(updates) => {
                let mut changed = false;
                for u in updates {
                    let (Some(def), Some(run)) =
                        (self.deck.catalog.scenario(&u.scenario), self.runs.get_mut(&u.scenario))
                    else {
                        continue;
                    };
                    changed |= !u.events.is_empty() || run.clock.running != u.clock.running;
                    run.clock = u.clock;
                    run.apply(def, &u.events);
                }
                changed
            }
            Action::ModeChanged { mode, note } => {
                let changed = self.mode != mode || self.mode_note != note;
                self.mode = mode;
                self.mode_note = note;
                changed
            }
            Action::Notice(text) => {
                self.notice = Some(text);
                true
            }
            Action::Pipeline(state) => {
                let changed = self.pipeline.as_ref() != Some(&state);
                self.pipeline = Some(state);
                changed
            }
            Action::Quit => {
                self.quit = true;
                true
            }
        }
    }

    /// Runs `effects` at once, or, for live builds, after the presenter confirms.
    fn request(&mut self, question: impl FnOnce(&Self) -> confirm::Confirm, effects: Vec<Effect>) -> bool {
        if effects.is_empty() {
            return false;
        }
        if self.mode == Mode::Live && self.ask_live {
            self.confirm = Some(question(self));
        } else {
            self.effects.extend(effects);
        }
        true
    }

    /// A key while a question is open: yes, no, or nothing.
    fn answer(&mut self, key: Key) -> bool {
        let command = self.keymap.command(key);
        let yes = command == Some(Command::Confirm) || key.code == crossterm::event::KeyCode::Char('y');
        let no = matches!(command, Some(Command::Escape | Command::Quit))
            || key.code == crossterm::event::KeyCode::Char('n');
        if yes && let Some(c) = self.confirm.take() {
            self.effects.extend(c.effects);
        } else if no {
            self.confirm = None;
        }
        yes || no
    }

    fn key(&mut self, key: Key, now: Instant) -> bool {
        let had_notice = self.notice.take().is_some();
        if self.confirm.is_some() {
            return self.answer(key) || had_notice;
        }
        self.key_command(key, now) || had_notice
    }

    fn key_command(&mut self, key: Key, now: Instant) -> bool {
        if self.search_input.is_some() {
            return self.search_key(key);
        }
        if let Some(index) = self.focus
            && let Some(spec) = self.deck.slides[self.slide].panes().get(index).map(|p| (*p).clone())
            && spec.diff.is_none()
            && !spec.scenarios.is_empty()
        {
            use crossterm::event::KeyCode;
            // In a searched log, n / N move between matches (and never change slides).
            if self.pane_view(index).search.is_some() && !key.ctrl && !key.alt {
                match key.code {
                    KeyCode::Char('n') => return self.search_step(index, true),
                    KeyCode::Char('N') => return self.search_step(index, false),
                    _ => {}
                }
            }
            // PgUp / PgDn page a zoomed log; otherwise they stay slide keys (clickers send them).
            if self.zoom && matches!(key.code, KeyCode::PageUp | KeyCode::PageDown) {
                let command = if key.code == KeyCode::PageUp { Command::ScrollUp } else { Command::ScrollDown };
                let mut changed = false;
                for _ in 0..LOG_PAGE {
                    changed |= self.log_key(command, index, &spec).unwrap_or(false);
                }
                return changed;
            }
        }
        let command = self.keymap.command(key);
        if let (Some(d), None) = (key.digit(), command) {
            if self.jump.len() < 4 {
                self.jump.push(d);
            }
            return true;
        }
        let Some(command) = command else { return false };
        // A typed number is for the Enter that follows it, not for a later one.
        if !matches!(command, Command::Confirm | Command::Escape) {
            self.jump.clear();
        }
        if self.blank && !matches!(command, Command::Blank | Command::Escape | Command::Quit) {
            // A blanked screen ignores navigation, so a stray click does not move on unseen.
            return false;
        }
        if let Overlay::Overview { selected } = self.overlay
            && let Some(changed) = self.overview_key(command, selected, now)
        {
            return changed;
        }
        if let Some(focused) = self.focus
            && let Some(changed) = self.pane_key(command, focused)
        {
            return changed;
        }
        match command {
            Command::Next => self.next(now),
            Command::Prev => self.prev(now),
            Command::First => self.go_to(0, 0, now),
            Command::Last => self.go_to(self.slide_count() - 1, usize::MAX, now),
            Command::ScrollDown => self.scroll_by(1),
            Command::ScrollUp => self.scroll_by(-1),
            Command::Overview => {
                self.overlay = Overlay::Overview { selected: self.slide };
                true
            }
            Command::Help => {
                self.overlay = if self.overlay == Overlay::Help { Overlay::None } else { Overlay::Help };
                true
            }
            Command::Blank => {
                self.blank = !self.blank;
                true
            }
            Command::Notes => {
                self.notes_visible = !self.notes_visible;
                true
            }
            Command::TimerPause => {
                self.timer.toggle(now);
                true
            }
            Command::TimerReset => {
                self.timer.reset();
                true
            }
            Command::Confirm if self.jump.is_empty() => self.start_pane(),
            Command::Confirm => {
                let Ok(n) = std::mem::take(&mut self.jump).parse::<usize>() else {
                    return false;
                };
                self.go_to(n.clamp(1, self.slide_count()) - 1, 0, now)
            }
            Command::StartAll => {
                let all: Vec<String> = self.deck.catalog.scenarios.iter().map(|s| s.id.clone()).collect();
                self.request_start(all)
            }
            Command::Stop => {
                let Some(pane) = self.acting_pane() else { return false };
                let scenarios: Vec<String> = self
                    .pane_scenarios(pane)
                    .into_iter()
                    .filter(|s| self.runs.get(s).is_some_and(|r| self.mode == Mode::Offline || !r.finished()))
                    .collect();
                let effects = scenarios.iter().cloned().map(Effect::Stop).collect();
                self.request(|app| confirm::stop(&app.deck.catalog, &scenarios), effects)
            }
            Command::Record => {
                let Some(pane) = self.acting_pane() else { return false };
                let scenarios = self.pane_scenarios(pane);
                if self.mode != Mode::Live {
                    self.notice = Some("recording saves a live run; this one is a replay".into());
                    return true;
                }
                self.effects.extend(scenarios.into_iter().filter(|s| self.runs.contains_key(s)).map(Effect::Record));
                true
            }
            Command::PauseReplay => {
                self.effects.push(Effect::TogglePause);
                true
            }
            Command::Zoom => {
                let zoom = !self.zoom && self.focus.is_some();
                let changed = zoom != self.zoom;
                self.zoom = zoom;
                changed
            }
            // Pane keys without a focused pane do nothing.
            Command::Follow | Command::NextBuild | Command::PrevBuild | Command::Search => false,
            Command::Escape => {
                let changed =
                    self.overlay != Overlay::None || !self.jump.is_empty() || self.blank || self.focus.is_some();
                self.overlay = Overlay::None;
                self.jump.clear();
                self.blank = false;
                self.focus = None;
                self.zoom = false;
                changed
            }
            Command::FocusNext => {
                let count = self.pane_count();
                self.focus = match self.focus {
                    _ if count == 0 => None,
                    None => Some(0),
                    Some(i) if i + 1 < count => Some(i + 1),
                    Some(_) => None,
                };
                self.zoom &= self.focus.is_some();
                count > 0
            }
            // Without a focused pane, the layout key acts on the slide's first diff.
            Command::ToggleLayout => self.pane_count() > 0 && self.toggle_layout(0),
            Command::Quit => {
                self.quit = true;
                true
            }
        }
    }

    /// Keys for the focused pane; `None` lets the key act on the slide.
    fn pane_key(&mut self, command: Command, index: usize) -> Option<bool> {
        let spec = self.deck.slides.get(self.slide)?.panes().get(index).map(|p| (*p).clone())?;
        if spec.diff.is_none() && !spec.scenarios.is_empty() {
            return self.log_key(command, index, &spec);
        }
        let rows = pane_rows(&spec);
        if rows == 0 {
            // Nothing in it scrolls: the keys act on the slide.
            return None;
        }
        let view = self.pane_views.entry((self.slide, index)).or_default();
        let opening = spec.diff.as_ref().map_or(0, |d| d.first_change(view.unified.unwrap_or(false)).saturating_sub(2));
        let current = view.scroll.unwrap_or(opening);
        let scrolled = match command {
            Command::ScrollDown => (current + 1).min(rows.saturating_sub(1)),
            Command::ScrollUp => current.saturating_sub(1),
            Command::ToggleLayout => return Some(self.toggle_layout(index)),
            _ => return None,
        };
        view.scroll = Some(scrolled);
        Some(scrolled != current)
    }

    /// Every (scenario, build) of a pane, in catalog order.
    fn pane_builds(&self, spec: &crate::deck::pane::PaneSpec) -> Vec<(String, String)> {
        spec.scenarios
            .iter()
            .filter_map(|s| self.deck.catalog.scenario(s))
            .flat_map(|s| s.builds.iter().map(move |b| (s.id.clone(), b.id.clone())))
            .collect()
    }

    /// The build a build or logs pane shows: the chosen one, else the most recently active.
    pub fn shown_build(&self, spec: &crate::deck::pane::PaneSpec, view: &PaneView) -> Option<(String, String)> {
        let builds = self.pane_builds(spec);
        if let Some(i) = view.build {
            return builds.get(i % builds.len().max(1)).cloned();
        }
        // The build worth watching: a running one with the most log, else the last to finish.
        let active = builds
            .iter()
            .filter_map(|(s, b)| {
                let run = self.runs.get(s)?.builds.get(b)?;
                run.started_at?;
                let running = run.status.is_none() && !run.log.is_empty();
                Some(((running, run.ended_at.map_or(0, |e| (e * 1000.0) as i64), run.log.len()), (s, b)))
            })
            .max_by_key(|(key, _)| *key);
        active.map(|(_, (s, b))| (s.clone(), b.clone())).or_else(|| builds.first().cloned())
    }

    /// Keys of a focused build or logs pane: scroll the log, follow, pick the build, search.
    fn log_key(&mut self, command: Command, index: usize, spec: &crate::deck::pane::PaneSpec) -> Option<bool> {
        let view = self.pane_view(index);
        let lines = self.shown_log_len(spec, &view);
        let builds = self.pane_builds(spec);
        let shown = self.shown_build(spec, &view).and_then(|sb| builds.iter().position(|b| *b == sb)).unwrap_or(0);
        let view = self.pane_views.entry((self.slide, index)).or_default();
        // `scroll` is the last line shown while not following; following shows the tail.
        let bottom = if view.unfollowed {
            view.scroll.unwrap_or(0).min(lines.saturating_sub(1))
        } else {
            lines.saturating_sub(1)
        };
        match command {
            Command::ScrollUp if lines > 0 => {
                view.unfollowed = true;
                view.scroll = Some(bottom.saturating_sub(1));
            }
            Command::ScrollDown if !view.unfollowed => return Some(false),
            Command::ScrollDown => {
                if bottom + 1 >= lines.saturating_sub(1) {
                    view.unfollowed = false;
                    view.scroll = None;
                } else {
                    view.scroll = Some(bottom + 1);
                }
            }
            Command::ScrollUp => return Some(false),
            Command::Follow => {
                let changed = view.unfollowed;
                view.unfollowed = false;
                view.scroll = None;
                return Some(changed);
            }
            Command::NextBuild | Command::PrevBuild if !builds.is_empty() => {
                let n = builds.len();
                view.build = Some(if command == Command::NextBuild { (shown + 1) % n } else { (shown + n - 1) % n });
                view.scroll = None;
                view.unfollowed = false;
            }
            Command::Search => self.search_input = Some(String::new()),
            _ => return None,
        }
        Some(true)
    }

    fn shown_log_len(&self, spec: &crate::deck::pane::PaneSpec, view: &PaneView) -> usize {
        self.shown_build(spec, view)
            .and_then(|(s, b)| self.runs.get(&s)?.builds.get(&b).map(|r| r.log.len()))
            .unwrap_or(0)
    }

    /// `n` / `N` in a focused, searched log: the next / previous match (shown as the last line).
    fn search_step(&mut self, index: usize, forward: bool) -> bool {
        let Some(spec) = self.deck.slides[self.slide].panes().get(index).map(|p| (*p).clone()) else { return false };
        let view = self.pane_view(index);
        let Some(query) = view.search.clone() else { return false };
        let matches = self
            .shown_build(&spec, &view)
            .and_then(|(s, b)| self.runs.get(&s)?.builds.get(&b).map(|r| r.log.find(&query)))
            .unwrap_or_default();
        let lines = self.shown_log_len(&spec, &view);
        let at = if view.unfollowed { view.scroll.unwrap_or(0) } else { lines.saturating_sub(1) };
        let next = if forward {
            matches.iter().find(|&&m| m > at).or(matches.first())
        } else {
            matches.iter().rev().find(|&&m| m < at).or(matches.last())
        };
        let Some(&m) = next else { return false };
        let view = self.pane_views.entry((self.slide, index)).or_default();
        view.unfollowed = true;
        view.scroll = Some(m);
        true
    }

    /// Typing into a logs pane's search: characters, Backspace, Enter to search, Esc to cancel.
    fn search_key(&mut self, key: Key) -> bool {
        use crossterm::event::KeyCode;
        if key.ctrl && key.code == KeyCode::Char('c') {
            self.search_input = None;
            self.quit = true;
            return true;
        }
        let Some(input) = self.search_input.as_mut() else { return false };
        match key.code {
            KeyCode::Char(c) if !key.ctrl => input.push(c),
            KeyCode::Backspace => {
                input.pop();
            }
            KeyCode::Esc => self.search_input = None,
            KeyCode::Enter => {
                let query = self.search_input.take().unwrap_or_default();
                if let Some(index) = self.focus {
                    let spec = self.deck.slides[self.slide].panes().get(index).map(|p| (*p).clone());
                    let view = self.pane_view(index);
                    let first = spec
                        .as_ref()
                        .and_then(|spec| self.shown_build(spec, &view))
                        .and_then(|(s, b)| self.runs.get(&s)?.builds.get(&b).map(|r| r.log.find(&query)))
                        .and_then(|m| m.first().copied());
                    let view = self.pane_views.entry((self.slide, index)).or_default();
                    view.search = (!query.is_empty()).then_some(query);
                    if let Some(line) = first {
                        view.scroll = Some(line);
                        view.unfollowed = true;
                    }
                }
            }
            _ => return false,
        }
        true
    }

    /// Enter on a slide: start the focused (or first) pane's scenarios, or all of them from a
    /// pipeline pane.
    fn start_pane(&mut self) -> bool {
        let Some(pane) = self.acting_pane().or_else(|| (self.pane_count() > 0).then_some(0)) else { return false };
        let is_pipeline = self.deck.slides[self.slide]
            .panes()
            .get(pane)
            .is_some_and(|p| p.kind == crate::deck::pane::PaneKind::Pipeline);
        if is_pipeline
            && self.mode == Mode::Live
            && let Some(name) = self.deck.meta.pipeline.clone()
        {
            return self.request(|_| confirm::pipeline(&name), vec![Effect::StartPipeline]);
        }
        let scenarios: Vec<String> = if is_pipeline {
            self.deck.catalog.scenarios.iter().map(|s| s.id.clone()).collect()
        } else {
            self.pane_scenarios(pane)
        };
        self.request_start(scenarios)
    }

    /// Starts scenarios (live: after the presenter has seen what it costs).
    fn request_start(&mut self, scenarios: Vec<String>) -> bool {
        let effects = scenarios.iter().cloned().map(Effect::Start).collect();
        self.request(|app| confirm::start(&app.deck.catalog, &scenarios), effects)
    }

    fn toggle_layout(&mut self, index: usize) -> bool {
        let is_diff = self.deck.slides[self.slide].panes().get(index).is_some_and(|p| p.diff.is_some());
        if is_diff {
            let view = self.pane_views.entry((self.slide, index)).or_default();
            // From "follow the width" the first toggle picks unified, which a wide screen lacks.
            view.unified = Some(!view.unified.unwrap_or(false));
            view.scroll = None;
        }
        is_diff
    }

    /// Keys inside the overview move the selection; `None` lets the key act as usual.
    fn overview_key(&mut self, command: Command, selected: usize, now: Instant) -> Option<bool> {
        let last = self.slide_count() - 1;
        let select = |s: usize| Overlay::Overview { selected: s.min(last) };
        self.overlay = match command {
            Command::Next | Command::ScrollDown => select(selected + 1),
            Command::Prev | Command::ScrollUp => select(selected.saturating_sub(1)),
            Command::First => select(0),
            Command::Last => select(last),
            Command::Overview => Overlay::None,
            Command::Confirm if self.jump.is_empty() => {
                self.overlay = Overlay::None;
                self.go_to(selected, 0, now);
                return Some(true);
            }
            _ => return None,
        };
        Some(true)
    }

    fn next(&mut self, now: Instant) -> bool {
        if self.step + 1 < self.steps() {
            self.timer.start_once(now);
            self.step += 1;
            self.follow_reveal = true;
            true
        } else if self.slide + 1 < self.slide_count() {
            self.go_to(self.slide + 1, 0, now)
        } else {
            false
        }
    }

    fn prev(&mut self, now: Instant) -> bool {
        if self.step > 0 {
            self.timer.start_once(now);
            self.step -= 1;
            true
        } else if self.slide > 0 {
            // Going back shows the previous slide whole, as the audience last saw it.
            self.go_to(self.slide - 1, usize::MAX, now)
        } else {
            false
        }
    }

    /// Moves to a slide; `step` is clamped to the slide's steps.
    fn go_to(&mut self, slide: usize, step: usize, now: Instant) -> bool {
        self.timer.start_once(now);
        let slide = slide.min(self.slide_count() - 1);
        let step = step.min(self.deck.slides[slide].steps() - 1);
        let changed = (slide, step) != (self.slide, self.step);
        if slide != self.slide {
            self.focus = None;
            self.zoom = false;
            self.search_input = None;
        }
        self.slide = slide;
        self.step = step;
        self.scroll = 0;
        self.follow_reveal = false;
        changed
    }

    fn scroll_by(&mut self, delta: isize) -> bool {
        let before = self.scroll;
        self.scroll = self.scroll.saturating_add_signed(delta).min(self.max_scroll);
        before != self.scroll
    }

    /// Swaps in a reloaded deck, staying on the same slide, or the one with the same title, or
    /// the nearest one.
    fn reload(&mut self, deck: Arc<Deck>) {
        let old_title = self.deck.slides.get(self.slide).map(|s| s.title.clone());
        let same_count = deck.slides.len() == self.deck.slides.len();
        let by_title = old_title.and_then(|t| deck.slides.iter().position(|s| s.title == t));
        self.slide = match (same_count, by_title) {
            (true, _) => self.slide,
            (false, Some(i)) => i,
            (false, None) => self.slide.min(deck.slides.len() - 1),
        };
        self.step = self.step.min(deck.slides[self.slide].steps() - 1);
        if let Overlay::Overview { selected } = self.overlay {
            self.overlay = Overlay::Overview { selected: selected.min(deck.slides.len() - 1) };
        }
        self.focus = self.focus.filter(|&f| f < deck.slides[self.slide].panes().len());
        self.zoom &= self.focus.is_some();
        self.search_input = None;
        self.deck = deck;
        self.deck_generation += 1;
        self.banner = None;
    }
}

/// Lines PgUp / PgDn move a focused log.
const LOG_PAGE: usize = 10;

/// The rows a pane can scroll through.
fn pane_rows(spec: &crate::deck::pane::PaneSpec) -> usize {
    spec.diff.as_ref().map_or(0, |d| d.unified.len().max(d.side_by_side.len()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::source::{DeckFile, ProjectRoot};
    use crate::deck::{DeckFiles, parse};

    fn deck(slides: &str) -> Arc<Deck> {
        let files = DeckFiles {
            config: DeckFile { name: "deck.toml".into(), text: "title = \"T\"\n".into() },
            root: ProjectRoot::None,
            slides: vec![DeckFile { name: "a.md".into(), text: slides.into() }],
        };
        Arc::new(parse(&files, None).unwrap())
    }

    /// Five slides; the second has two pauses.
    fn app() -> App {
        App::new(
            deck(
                "# One\n\n---\n\n# Two\n\na\n\n<!-- pause -->\n\nb\n\n<!-- pause -->\n\nc\n\n---\n\n# Three\n\n---\n\n# Four\n\n---\n\n# Five\n",
            ),
            Keymap::default(),
        )
    }

    fn press(app: &mut App, keys: &[&str]) -> bool {
        let mut changed = false;
        for k in keys {
            changed |= app.update(Action::Key(Key::parse(k).unwrap()), Instant::now());
        }
        changed
    }

    #[test]
    fn next_reveals_pauses_then_moves_on() {
        let mut a = app();
        press(&mut a, &["Right"]);
        assert_eq!((a.slide, a.step), (1, 0));
        press(&mut a, &["Space", "n"]);
        assert_eq!((a.slide, a.step), (1, 2));
        press(&mut a, &["l"]);
        assert_eq!((a.slide, a.step), (2, 0));
        // Back onto a slide with pauses shows it whole, then steps back through its parts.
        press(&mut a, &["Left"]);
        assert_eq!((a.slide, a.step), (1, 2));
        press(&mut a, &["h"]);
        assert_eq!((a.slide, a.step), (1, 1));
    }

    #[test]
    fn ends_do_not_wrap_and_report_no_change() {
        let mut a = app();
        assert!(!press(&mut a, &["Left"]));
        press(&mut a, &["G"]);
        assert_eq!(a.slide, 4);
        assert!(!press(&mut a, &["Right"]));
        press(&mut a, &["g"]);
        assert_eq!(a.slide, 0);
    }

    #[test]
    fn digits_then_enter_jump_clamped() {
        let mut a = app();
        press(&mut a, &["4"]);
        assert_eq!(a.jump, "4");
        press(&mut a, &["Enter"]);
        assert_eq!((a.slide, a.jump.as_str()), (3, ""));
        press(&mut a, &["9", "9", "Enter"]);
        assert_eq!(a.slide, 4);
        press(&mut a, &["2", "Esc"]);
        assert_eq!((a.slide, a.jump.as_str()), (4, ""));
    }

    #[test]
    fn overview_moves_a_selection_and_enter_goes_there() {
        let mut a = app();
        press(&mut a, &["o"]);
        assert_eq!(a.overlay, Overlay::Overview { selected: 0 });
        press(&mut a, &["Down", "Down", "Right", "Up"]);
        assert_eq!(a.overlay, Overlay::Overview { selected: 2 });
        assert_eq!(a.slide, 0, "arrows in the overview do not navigate");
        press(&mut a, &["Enter"]);
        assert_eq!((a.overlay, a.slide), (Overlay::None, 2));
        press(&mut a, &["o", "Esc"]);
        assert_eq!(a.overlay, Overlay::None);
    }

    #[test]
    fn help_toggles_and_escape_closes() {
        let mut a = app();
        press(&mut a, &["?"]);
        assert_eq!(a.overlay, Overlay::Help);
        press(&mut a, &["?"]);
        assert_eq!(a.overlay, Overlay::None);
        press(&mut a, &["?", "Esc"]);
        assert_eq!(a.overlay, Overlay::None);
    }

    #[test]
    fn blank_hides_and_ignores_navigation_until_unblanked() {
        let mut a = app();
        press(&mut a, &["b"]);
        assert!(a.blank);
        assert!(!press(&mut a, &["Right"]));
        assert_eq!(a.slide, 0);
        press(&mut a, &["."]);
        assert!(!a.blank);
        press(&mut a, &["b", "Esc"]);
        assert!(!a.blank);
    }

    #[test]
    fn timer_starts_on_navigation_pauses_and_resets() {
        let mut a = app();
        assert!(!a.timer.started());
        press(&mut a, &["N"]);
        assert!(!a.timer.started(), "toggling notes is not navigation");
        assert!(a.notes_visible);
        press(&mut a, &["Right"]);
        assert!(a.timer.running());
        press(&mut a, &["t"]);
        assert!(!a.timer.running());
        press(&mut a, &["T"]);
        assert!(!a.timer.started());
    }

    #[test]
    fn scrolling_is_clamped_and_a_reveal_scrolls_to_show_it() {
        let mut a = app();
        a.update(Action::Measured { content_rows: 30, viewport_rows: 10 }, Instant::now());
        press(&mut a, &["j", "j", "k"]);
        assert_eq!(a.scroll, 1);
        for _ in 0..50 {
            press(&mut a, &["Down"]);
        }
        assert_eq!(a.scroll, 20);
        a.update(Action::Measured { content_rows: 12, viewport_rows: 10 }, Instant::now());
        assert_eq!(a.scroll, 2);
        press(&mut a, &["Right", "Right"]);
        assert_eq!((a.slide, a.step, a.scroll), (1, 1, 0));
        a.update(Action::Measured { content_rows: 25, viewport_rows: 10 }, Instant::now());
        assert_eq!(a.scroll, 15, "the newly revealed part is brought into view");
    }

    #[test]
    fn quit_keys() {
        let mut a = app();
        press(&mut a, &["q"]);
        assert!(a.quit);
        let mut a = app();
        press(&mut a, &["Ctrl-c"]);
        assert!(a.quit);
    }

    #[test]
    fn reload_keeps_the_slide_or_follows_its_title() {
        let mut a = app();
        press(&mut a, &["4", "Enter"]);
        let same = deck("# One\n\n---\n\n# 2\n\n---\n\n# 3\n\n---\n\n# Four edited\n\n---\n\n# Five\n");
        a.update(Action::Reloaded(Ok(same)), Instant::now());
        assert_eq!(a.slide, 3, "same number of slides: same position");
        let moved = deck("# New\n\n---\n\n# One\n\n---\n\n# Four edited\n");
        a.update(Action::Reloaded(Ok(moved)), Instant::now());
        assert_eq!(a.slide, 2, "found by its title");
        let shorter = deck("# Only\n");
        a.update(Action::Reloaded(Ok(shorter)), Instant::now());
        assert_eq!(a.slide, 0, "clamped to the nearest");
        assert_eq!(a.deck_generation, 3);
    }

    #[test]
    fn a_failed_reload_keeps_the_deck_and_shows_a_banner_until_the_next_good_one() {
        let mut a = app();
        let err = DeckError::new("a.md", 3, 1, "expected a closing ``` line");
        a.update(Action::Reloaded(Err(err)), Instant::now());
        assert_eq!(a.banner.as_deref(), Some("a.md:3:1: expected a closing ``` line"));
        assert_eq!(a.slide_count(), 5);
        a.update(Action::Reloaded(Ok(deck("# A\n"))), Instant::now());
        assert_eq!(a.banner, None);
    }

    #[test]
    fn tab_focuses_panes_which_then_take_the_scroll_keys() {
        let deck = Arc::new(crate::deck::load(&crate::deck::DeckSource::Bundled, None).unwrap());
        let diff_slide = deck.slides.iter().position(|s| s.panes().iter().any(|p| p.diff.is_some())).unwrap();
        let mut a = App::new(deck, Keymap::default());
        press(&mut a, &[&format!("{}", diff_slide + 1), "Enter"]);
        assert_eq!(a.focus, None);
        press(&mut a, &["Tab"]);
        assert_eq!(a.focus, Some(0));
        press(&mut a, &["j", "j", "Down", "k"]);
        assert_eq!(a.pane_view(0).scroll, Some(2));
        assert_eq!(a.scroll, 0, "the slide did not scroll");
        press(&mut a, &["d"]);
        assert_eq!(a.pane_view(0), PaneView { unified: Some(true), ..PaneView::default() });
        press(&mut a, &["d"]);
        assert_eq!(a.pane_view(0).unified, Some(false));
        press(&mut a, &["Tab"]);
        assert_eq!(a.focus, None, "one pane: Tab cycles back to the slide");
        press(&mut a, &["Tab", "Esc"]);
        assert_eq!(a.focus, None);
        press(&mut a, &["Tab", "Right"]);
        assert_eq!((a.slide, a.focus), (diff_slide + 1, None), "navigation still works and drops the focus");
    }

    #[test]
    fn tab_on_a_slide_without_panes_does_nothing() {
        let mut a = app();
        assert!(!press(&mut a, &["Tab"]));
        assert_eq!(a.focus, None);
    }

    /// The bundled deck on its logs slide, with go-assembly's arm64 build holding 50 lines.
    fn app_with_log() -> App {
        use crate::builds::clock::Clock;
        use crate::builds::event::{BuildEvent, TimedEvent};
        use crate::builds::scenario_run::ScenarioRun;
        let deck = Arc::new(crate::deck::load(&crate::deck::DeckSource::Bundled, None).unwrap());
        let slide = deck.slides.iter().position(|s| s.panes().iter().any(|p| p.kind.name() == "logs")).unwrap();
        let mut a = App::new(deck.clone(), Keymap::default());
        let digits: Vec<String> = (slide + 1).to_string().chars().map(String::from).collect();
        press(&mut a, &digits.iter().map(String::as_str).collect::<Vec<_>>());
        press(&mut a, &["Enter"]);
        let def = deck.catalog.scenario("go-assembly").unwrap();
        let clock = Clock { at: Instant::now(), t: 10.0, speed: 1.0, running: false };
        let mut run = ScenarioRun::new(def, "REPLAY".into(), clock, 1000);
        let lines: Vec<String> =
            (0..50).map(|i| if i % 10 == 3 { format!("line {i} unrecognized") } else { format!("line {i}") }).collect();
        run.apply(
            def,
            &[
                TimedEvent { t: 0.0, build: "arm64-amd64-tag".into(), event: BuildEvent::Started { build_id: None } },
                TimedEvent { t: 1.0, build: "arm64-amd64-tag".into(), event: BuildEvent::Log { lines } },
            ],
        );
        a.runs.insert("go-assembly".into(), run);
        a
    }

    #[test]
    fn a_focused_log_scrolls_unfollows_and_follows_again() {
        let mut a = app_with_log();
        press(&mut a, &["Tab"]);
        assert!(!a.pane_view(0).unfollowed);
        press(&mut a, &["k", "k"]);
        assert_eq!((a.pane_view(0).scroll, a.pane_view(0).unfollowed), (Some(47), true));
        press(&mut a, &["f"]);
        assert_eq!((a.pane_view(0).scroll, a.pane_view(0).unfollowed), (None, false));
        let spec = a.deck.slides[a.slide].panes()[0].clone();
        assert_eq!(a.shown_build(&spec, &a.pane_view(0)).unwrap().1, "arm64-amd64-tag", "the build with a log");
        press(&mut a, &["]"]);
        assert_eq!(a.shown_build(&spec, &a.pane_view(0)).unwrap().1, "arm64-purego", "] steps from the build shown");
        press(&mut a, &["]", "["]);
        assert_eq!(a.pane_view(0).build, Some(2));
        press(&mut a, &["j"]);
        assert!(!a.pane_view(0).unfollowed, "down at the tail keeps following");
    }

    #[test]
    fn search_jumps_to_matches_and_n_moves_between_them() {
        let mut a = app_with_log();
        let slide = a.slide;
        press(&mut a, &["Tab", "/"]);
        assert_eq!(a.search_input.as_deref(), Some(""));
        press(&mut a, &["u", "n", "r", "e", "c", "Backspace", "c", "Enter"]);
        assert_eq!(a.search_input, None);
        assert_eq!(a.pane_view(0).search.as_deref(), Some("unrec"));
        assert_eq!(a.pane_view(0).scroll, Some(3));
        press(&mut a, &["n"]);
        assert_eq!(a.pane_view(0).scroll, Some(13));
        press(&mut a, &["N", "N"]);
        assert_eq!(a.pane_view(0).scroll, Some(43), "N wraps to the last match");
        assert_eq!(a.slide, slide, "n / N did not change slides");
        press(&mut a, &["/", "x", "Esc"]);
        assert_eq!(a.pane_view(0).search.as_deref(), Some("unrec"), "Esc cancels the typing only");
    }

    #[test]
    fn enter_starts_the_panes_scenarios_and_start_all_every_one() {
        let mut a = app_with_log();
        a.runs.clear();
        press(&mut a, &["Enter"]);
        assert_eq!(a.effects, [Effect::Start("go-assembly".into())]);
        a.effects.clear();
        press(&mut a, &["A"]);
        assert_eq!(a.effects.len(), a.deck.catalog.scenarios.len());
        a.effects.clear();
        press(&mut a, &["s"]);
        assert!(a.effects.is_empty(), "nothing running: nothing to stop");
        press(&mut a, &["5", "Enter"]);
        assert_eq!(a.slide, 4, "digits then Enter still jump");
        assert!(a.effects.is_empty());
    }

    #[test]
    fn page_keys_page_a_zoomed_log_and_change_slides_otherwise() {
        let mut a = app_with_log();
        let slide = a.slide;
        press(&mut a, &["Tab", "z", "PageUp"]);
        assert_eq!((a.slide, a.pane_view(0).scroll), (slide, Some(39)));
        press(&mut a, &["PageDown"]);
        assert_eq!((a.pane_view(0).scroll, a.pane_view(0).unfollowed), (None, false), "back at the tail: following");
        press(&mut a, &["Esc"]);
        assert!(!a.zoom && a.focus.is_none());
        press(&mut a, &["Tab", "PageDown"]);
        assert_eq!(a.slide, slide + 1, "focused but not zoomed: PgDn is still the clicker's next");
    }
}
