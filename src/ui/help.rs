//! The key help overlay, generated from the key table so it always matches the bindings.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget};

use super::{View, centered};
use crate::app::keymap::Command;

pub fn draw(view: &View<'_>, area: Rect, buf: &mut Buffer) {
    let t = view.theme;
    let key_style = t.fg(t.accent).add_modifier(Modifier::BOLD);
    let mut lines: Vec<Line<'static>> = Command::ALL
        .iter()
        .map(|(cmd, _, what)| {
            let keys: Vec<String> = view.app.keymap.keys_of(*cmd).iter().map(ToString::to_string).collect();
            Line::from(vec![Span::styled(format!(" {:<28}", keys.join(" ")), key_style), Span::styled(*what, t.base())])
        })
        .collect();
    lines.insert(
        12,
        Line::from(vec![
            Span::styled(format!(" {:<28}", "0-9"), key_style),
            Span::styled("type a slide number", t.base()),
        ]),
    );
    let h = lines.len() as u16 + 2;
    let rect = centered(area, 78, h);
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.fg(t.accent))
        .title(Span::styled(" keys · Esc closes ", key_style))
        .style(t.base().bg(t.color(t.panel_bg)));
    Paragraph::new(lines).block(block).style(t.base().bg(t.color(t.panel_bg))).render(rect, buf);
}
