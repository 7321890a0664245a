//! The error banner: a reload failed, the last good deck stays on screen beneath it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::theme::Theme;

const PREFIX: &str = " ✗ deck not reloaded: ";

/// Rows the banner needs at a width.
pub fn height(text: &str, width: u16) -> u16 {
    let chars = PREFIX.chars().count() + text.chars().count();
    let w = usize::from(width.max(1));
    u16::try_from(chars.div_ceil(w)).unwrap_or(u16::MAX).max(1)
}

pub fn draw(text: &str, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let style = theme.fg(theme.bg).bg(theme.color(theme.bad)).add_modifier(Modifier::BOLD);
    Paragraph::new(format!("{PREFIX}{text}")).style(style).wrap(Wrap { trim: false }).render(area, buf);
}
