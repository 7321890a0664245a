//! Bullet and numbered lists, nested, with hanging indents.

use ratatui::text::Span;
use unicode_width::UnicodeWidthStr;

use super::layout::{Layouter, Row, prefix_rows};
use crate::deck::block::Block;

const BULLETS: [&str; 3] = ["•", "◦", "▪"];

/// A list: each item's blocks laid out beside its marker.
pub fn layout(l: &mut Layouter<'_>, start: Option<u64>, items: &[Vec<Block>], width: u16) -> Vec<Row> {
    let depth = l.list_depth;
    l.list_depth += 1;
    let markers: Vec<String> = match start {
        Some(first) => (0..items.len() as u64).map(|i| format!("{}.", first + i)).collect(),
        None => vec![BULLETS[depth % BULLETS.len()].to_string(); items.len()],
    };
    let marker_width = markers.iter().map(|m| m.width()).max().unwrap_or(1);
    let indent = marker_width + 1;
    let inner = width.saturating_sub(indent as u16).max(1);
    let marker_style = l.theme.fg(l.theme.accent);
    let mut rows = Vec::new();
    for (item, marker) in items.iter().zip(markers) {
        let content = l.blocks(item, inner, false);
        let first = Span::styled(format!("{marker:>marker_width$} "), marker_style);
        let rest = Span::styled(" ".repeat(indent), l.theme.base());
        rows.extend(prefix_rows(content, first, rest));
    }
    l.list_depth = depth;
    rows
}
