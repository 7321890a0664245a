//! The inline speaker-notes strip (for a presenter with one screen).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::View;

pub fn draw(view: &View<'_>, area: Rect, buf: &mut Buffer) {
    let t = view.theme;
    let app = view.app;
    let notes = app.deck.slides.get(app.slide).map_or("", |s| s.notes.as_str());
    let next = app.deck.slides.get(app.slide + 1).map_or("(last slide)".to_string(), |s| s.title.clone());
    let block = Block::new()
        .borders(Borders::TOP)
        .padding(ratatui::widgets::Padding::horizontal(2))
        .border_style(t.fg(t.border))
        .title(Span::styled(" notes ", t.fg(t.accent).add_modifier(Modifier::BOLD)))
        .title_bottom(Line::from(Span::styled(format!(" next: {next} "), t.fg(t.dim))).right_aligned());
    let text = if notes.is_empty() { "(no notes for this slide)" } else { notes };
    Paragraph::new(text).style(t.fg(t.fg)).wrap(Wrap { trim: false }).block(block).render(area, buf);
}
