//! Headings, paragraphs and rules.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::wrap::wrap;
use crate::deck::block::Run;

/// Styled pieces of runs over a base style.
pub fn pieces(runs: &[Run], base: Style, theme: &Theme) -> Vec<(String, Style)> {
    runs.iter().map(|r| (r.text.clone(), theme.run(base, r.style))).collect()
}

/// A paragraph wrapped to the width.
pub fn paragraph(runs: &[Run], width: u16, theme: &Theme) -> Vec<Line<'static>> {
    wrap(&pieces(runs, theme.base(), theme), usize::from(width))
}

/// A heading: the slide title (level 1) in the title colour and underlined with a rule.
pub fn heading(level: u8, runs: &[Run], width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let base = match level {
        1 => theme.fg(theme.title).add_modifier(Modifier::BOLD),
        2 => theme.fg(theme.heading).add_modifier(Modifier::BOLD),
        _ => theme.base().add_modifier(Modifier::BOLD | Modifier::ITALIC),
    };
    let mut lines = wrap(&pieces(runs, base, theme), usize::from(width));
    if level == 1 {
        let w = lines.iter().map(|l| l.spans.iter().map(|s| s.content.width()).sum::<usize>()).max().unwrap_or(0);
        lines.push(Line::from(Span::styled("━".repeat(w.min(usize::from(width))), theme.fg(theme.border))));
    }
    lines
}

/// A horizontal rule across the column.
pub fn rule(width: u16, theme: &Theme) -> Line<'static> {
    Line::from(Span::styled("─".repeat(usize::from(width)), theme.fg(theme.border)))
}
