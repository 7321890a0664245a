//! `arm64-demo notes`: follows a presenter over its socket and shows the current slide's notes,
//! the next slide's title, the talk timer and the clock. Reconnects when the presenter restarts.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crossterm::event::{Event, EventStream, KeyCode, KeyEventKind, KeyModifiers};
use futures::StreamExt;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::UnixStream;

use super::protocol::NotesState;
use crate::app::timer::format_elapsed;
use crate::runtime::terminal::Tui;
use crate::runtime::{signals, until_next_minute, wall_clock};
use crate::ui::theme::Theme;

/// How often a viewer without a presenter tries the socket again.
const RECONNECT_EVERY: Duration = Duration::from_millis(250);

/// What the viewer knows.
struct Viewer {
    socket: PathBuf,
    state: Option<(NotesState, Instant)>,
    connected: bool,
}

/// Runs the notes viewer until `q`, Esc, Ctrl-C or a signal.
pub async fn run(socket: PathBuf, theme: Theme) -> anyhow::Result<()> {
    let mut tui = Tui::enter()?;
    let mut viewer = Viewer { socket, state: None, connected: false };
    let mut events = EventStream::new();
    let mut lines: Option<tokio::io::Lines<BufReader<UnixStream>>> = None;
    let terminated = signals::terminated();
    tokio::pin!(terminated);
    loop {
        let clock = wall_clock();
        tui.draw(theme.base(), |f| draw(&viewer, &theme, &clock, f))?;
        let tick = match &viewer.state {
            Some((s, _)) if s.timer_running => Duration::from_millis(1000 - (elapsed_ms(&viewer) % 1000)),
            _ => until_next_minute(),
        };
        tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(Event::Key(k))) if k.kind == KeyEventKind::Press => {
                    let ctrl_c = k.code == KeyCode::Char('c') && k.modifiers.contains(KeyModifiers::CONTROL);
                    if ctrl_c || matches!(k.code, KeyCode::Char('q') | KeyCode::Esc) {
                        break;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(_)) | None => break,
            },
            line = next_line(&mut lines) => match line {
                Some(text) => {
                    if let Ok(state) = NotesState::from_line(&text) {
                        viewer.state = Some((state, Instant::now()));
                    }
                }
                None => {
                    lines = None;
                    viewer.connected = false;
                }
            },
            _ = tokio::time::sleep(RECONNECT_EVERY), if lines.is_none() => {
                if let Ok(stream) = UnixStream::connect(&viewer.socket).await {
                    lines = Some(BufReader::new(stream).lines());
                    viewer.connected = true;
                }
            }
            _ = tokio::time::sleep(tick) => {}
            _ = &mut terminated => break,
        }
    }
    drop(tui);
    Ok(())
}

async fn next_line(lines: &mut Option<tokio::io::Lines<BufReader<UnixStream>>>) -> Option<String> {
    match lines {
        Some(l) => l.next_line().await.ok().flatten(),
        None => std::future::pending().await,
    }
}

fn elapsed_ms(v: &Viewer) -> u64 {
    match &v.state {
        Some((s, at)) if s.timer_running => s.timer_ms + u64::try_from(at.elapsed().as_millis()).unwrap_or(0),
        Some((s, _)) => s.timer_ms,
        None => 0,
    }
}

fn draw(v: &Viewer, t: &Theme, clock: &str, f: &mut Frame<'_>) {
    let area = f.area();
    f.render_widget(Block::new().style(t.base()), area);
    let [head, body, next, foot] =
        Layout::vertical([Constraint::Length(2), Constraint::Min(1), Constraint::Length(2), Constraint::Length(1)])
            .areas(area);
    let strong = t.fg(t.title).add_modifier(Modifier::BOLD);
    match &v.state {
        Some((s, _)) => {
            let steps = if s.steps > 1 { format!("  (part {}/{})", s.step + 1, s.steps) } else { String::new() };
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled(format!("{}/{}  ", s.slide, s.total), t.fg(t.accent).add_modifier(Modifier::BOLD)),
                    Span::styled(s.title.clone(), strong),
                    Span::styled(steps, t.fg(t.dim)),
                ])),
                head,
            );
            let notes = if s.notes.is_empty() { "(no notes for this slide)" } else { s.notes.as_str() };
            f.render_widget(Paragraph::new(notes).style(t.base()).wrap(Wrap { trim: false }), body);
            let next_title = s.next_title.clone().unwrap_or_else(|| "(last slide)".into());
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::styled("next: ", t.fg(t.dim)),
                    Span::styled(next_title, t.fg(t.heading)),
                ])),
                next,
            );
        }
        None => {
            f.render_widget(Paragraph::new(Span::styled("Speaker notes", strong)), head);
        }
    }
    let status = if v.connected {
        Span::styled(" following the presenter ", t.fg(t.bg).bg(t.color(t.good)))
    } else {
        Span::styled(format!(" waiting for the presenter on {} ", shown(&v.socket)), t.fg(t.bg).bg(t.color(t.warn)))
    };
    f.render_widget(
        Paragraph::new(Line::from(vec![
            status,
            Span::styled(
                format!("  ⏱ {}  {}  ", format_elapsed(Duration::from_millis(elapsed_ms(v))), clock),
                t.base(),
            ),
            Span::styled("q quits", t.fg(t.dim)),
        ])),
        foot,
    );
}

fn shown(p: &Path) -> String {
    p.display().to_string()
}
