//! The key help overlay, generated from the key table so it always matches the bindings.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget};

use super::{View, centered};
use crate::app::keymap::Command;

/// Help rows: commands that share a row (a pair like next / previous), and what they do.
const ROWS: [(&[Command], &str); 21] = [
    (&[Command::Next, Command::Prev], "next / previous slide or part"),
    (&[Command::First, Command::Last], "first / last slide"),
    (&[Command::ScrollDown, Command::ScrollUp], "scroll the slide (or the focused pane)"),
    (&[], "go to the slide typed as 0-9, then Enter"),
    (&[Command::Overview], "overview of all slides"),
    (&[Command::Blank], "blank / unblank the screen"),
    (&[Command::Notes], "speaker notes strip"),
    (&[Command::TimerPause, Command::TimerReset], "pause or resume / reset the talk timer"),
    (&[Command::FocusNext], "focus the next pane"),
    (&[Command::Confirm], "start the pane's builds (a replay restarts)"),
    (&[Command::StartAll, Command::Stop], "start every scenario / stop the pane's builds"),
    (&[Command::PauseReplay], "pause / resume the replays"),
    (&[Command::Zoom], "zoom the focused pane (PgUp / PgDn page its log)"),
    (&[Command::Follow], "log: follow the newest lines again"),
    (&[Command::PrevBuild, Command::NextBuild], "build pane: previous / next build's log"),
    (&[Command::Search], "log: search, then n / N"),
    (&[Command::ToggleLayout], "diff: side by side / unified"),
    (&[Command::Record], "live: save a finished run as a recording"),
    (&[Command::Escape], "close, cancel, unfocus, unzoom, unblank"),
    (&[Command::Help], "this help"),
    (&[Command::Quit], "quit"),
];

pub fn draw(view: &View<'_>, area: Rect, buf: &mut Buffer) {
    let t = view.theme;
    let key_style = t.fg(t.accent).add_modifier(Modifier::BOLD);
    let keys: Vec<String> = ROWS
        .iter()
        .map(|(commands, _)| {
            if commands.is_empty() {
                return "0-9 Enter".to_string();
            }
            let per_command: Vec<String> = commands
                .iter()
                .map(|c| view.app.keymap.keys_of(*c).iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))
                .collect();
            per_command.join(" / ")
        })
        .collect();
    let key_w = keys.iter().map(|k| unicode_width::UnicodeWidthStr::width(k.as_str())).max().unwrap_or(0) + 2;
    let lines: Vec<Line<'static>> = ROWS
        .iter()
        .zip(&keys)
        .map(|((_, what), k)| {
            let pad = " ".repeat(key_w.saturating_sub(unicode_width::UnicodeWidthStr::width(k.as_str())));
            Line::from(vec![Span::styled(format!(" {k}{pad}"), key_style), Span::styled(*what, t.base())])
        })
        .collect();
    let width = u16::try_from(key_w + 48).unwrap_or(u16::MAX);
    let h = lines.len() as u16 + 2;
    let rect = centered(area, width, h);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.fg(t.accent))
        .title(Span::styled(" keys · Esc closes ", key_style))
        .style(t.base().bg(t.color(t.panel_bg)));
    Paragraph::new(lines).block(block).style(t.base().bg(t.color(t.panel_bg))).render(rect, buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_a_help_row() {
        for (command, name, _) in Command::ALL {
            assert!(ROWS.iter().any(|(cs, _)| cs.contains(&command)), "{name} is missing from the help");
        }
    }
}
