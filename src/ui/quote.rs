//! Block quotes, shown as call-outs with a coloured bar.

use ratatui::style::Modifier;
use ratatui::text::Span;

use super::layout::{Layouter, Row, prefix_rows};
use crate::deck::block::Block;

/// A quote's blocks beside a bar.
pub fn layout(l: &mut Layouter<'_>, blocks: &[Block], width: u16) -> Vec<Row> {
    let content = l.blocks(blocks, width.saturating_sub(2).max(1), true);
    let bar = Span::styled("┃ ", l.theme.fg(l.theme.quote).add_modifier(Modifier::BOLD));
    prefix_rows(content, bar.clone(), bar)
}
