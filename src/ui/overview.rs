//! The overview: every slide's title, the chosen one highlighted; Enter jumps.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Widget};

use super::{View, centered};

pub fn draw(view: &View<'_>, selected: usize, area: Rect, buf: &mut Buffer) {
    let t = view.theme;
    let slides = &view.app.deck.slides;
    let wanted = u16::try_from(slides.len() + 2).unwrap_or(u16::MAX);
    let rect = centered(area, 80, wanted.min(area.height.saturating_sub(2)));
    let rows = usize::from(rect.height.saturating_sub(2)).max(1);
    // Keep the selection in view, a little above the middle.
    let first = selected.saturating_sub(rows / 2).min(slides.len().saturating_sub(rows));
    let lines: Vec<Line<'static>> = slides
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, s)| {
            let marker = if i == view.app.slide { "▶" } else { " " };
            let mut style = t.base().bg(t.color(t.panel_bg));
            if i == selected {
                style = style.bg(t.color(t.selection_bg)).add_modifier(Modifier::BOLD);
            }
            // The section once, where it begins.
            let starts_section = i == 0 || slides[i - 1].section != s.section;
            let section = match &s.section {
                Some(x) if starts_section && *x != s.title => format!("  · {x}"),
                _ => String::new(),
            };
            Line::from(vec![
                Span::styled(format!("{marker}{:>3}  ", i + 1), style.fg(t.color(t.accent))),
                Span::styled(s.title.clone(), style),
                Span::styled(section, style.fg(t.color(t.dim))),
            ])
        })
        .collect();
    Clear.render(rect, buf);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(t.fg(t.accent))
        .title(Span::styled(
            " overview · ↑↓ choose · Enter go · Esc close ",
            t.fg(t.accent).add_modifier(Modifier::BOLD),
        ))
        .style(t.base().bg(t.color(t.panel_bg)));
    Paragraph::new(lines).block(block).render(rect, buf);
}
