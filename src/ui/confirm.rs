//! The yes/no question over the slide before live builds start or stop.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget, Wrap};
use unicode_width::UnicodeWidthStr;

use super::{View, centered};
use crate::app::confirm::Confirm;

pub fn draw(view: &View<'_>, question: &Confirm, area: Rect, buf: &mut Buffer) {
    let t = view.theme;
    let strong = t.fg(t.warn).add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line<'static>> = question.lines.iter().map(|l| Line::styled(l.clone(), t.base())).collect();
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(" Enter / y ", t.fg(t.bg).bg(t.color(t.accent)).add_modifier(Modifier::BOLD)),
        Span::styled(" yes   ", t.base()),
        Span::styled(" Esc / n ", t.fg(t.bg).bg(t.color(t.dim)).add_modifier(Modifier::BOLD)),
        Span::styled(" no", t.base()),
    ]));
    let widest = question.lines.iter().map(|l| l.width()).max().unwrap_or(0).max(question.title.width() + 4);
    let width = u16::try_from(widest + 4).unwrap_or(u16::MAX);
    let height = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, width, height);
    Clear.render(rect, buf);
    let bg = t.base().bg(t.color(t.panel_bg));
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.fg(t.warn))
        .title(Span::styled(format!(" {} ", question.title), strong))
        .style(bg);
    Paragraph::new(lines).block(block).style(bg).wrap(Wrap { trim: false }).render(rect, buf);
}
