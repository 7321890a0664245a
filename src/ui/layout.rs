//! A slide laid out for one width: rows of styled text and pane slots. Built once per
//! (slide, width) outside of drawing; drawing only slices it.

use std::time::Instant;

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use super::{code, list, pane, quote, table, text};
use crate::app::{Action, App};
use crate::deck::block::Block;
use crate::deck::pane::PaneSpec;
use crate::deck::{Deck, Slide};

/// One row of a laid-out slide.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    Text(Line<'static>),
    /// Row `row` of pane `index` (an index into [`SlideLayout::panes`]).
    Pane {
        index: usize,
        row: u16,
    },
}

/// The room a slide is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LayoutSize {
    /// The text column.
    pub width: u16,
    /// Panes, which may be wider than the text.
    pub pane_width: u16,
    /// The rows the slide shows at once (panes size themselves to leave room for text).
    pub height: u16,
}

/// A slide laid out for a width.
#[derive(Debug, Clone, PartialEq)]
pub struct SlideLayout {
    pub width: u16,
    /// The width panes are laid out for (they may be wider than the text column).
    pub pane_width: u16,
    pub rows: Vec<Row>,
    /// For each reveal step, how many rows are visible.
    pub step_ends: Vec<usize>,
    pub panes: Vec<PaneSpec>,
    pub center: bool,
}

impl SlideLayout {
    /// Rows visible at `step` (the last step shows everything).
    pub fn visible_rows(&self, step: usize) -> usize {
        self.step_ends.get(step).copied().unwrap_or(self.rows.len())
    }
}

/// The current slide laid out for the current width, rebuilt only when the slide, the width or
/// the deck change.
#[derive(Default)]
pub struct LayoutCache {
    entry: Option<((u64, usize, LayoutSize), SlideLayout)>,
}

impl LayoutCache {
    /// Lays out the current slide for the screen `area` (if not cached) and tells the app how
    /// much of it there is to scroll through.
    pub fn prepare(&mut self, app: &mut App, area: Rect, theme: &Theme, now: Instant) -> &SlideLayout {
        let content = super::regions(area, app).content;
        let regions = super::regions(area, app);
        let size = LayoutSize { width: content.width, pane_width: regions.panes.width, height: content.height };
        let key = (app.deck_generation, app.slide, size);
        if self.entry.as_ref().is_some_and(|(k, _)| *k != key) {
            self.entry = None;
        }
        let (_, layout) =
            self.entry.get_or_insert_with(|| (key, layout_slide(&app.deck.slides[app.slide], &app.deck, size, theme)));
        let measured = Action::Measured {
            content_rows: layout.visible_rows(app.step),
            viewport_rows: usize::from(content.height),
        };
        app.update(measured, now);
        layout
    }
}

/// Lays a slide out for the given room.
pub fn layout_slide(slide: &Slide, deck: &Deck, size: LayoutSize, theme: &Theme) -> SlideLayout {
    let (width, pane_width) = (size.width, size.pane_width.max(1));
    let mut l = Layouter { deck, theme, panes: Vec::new(), list_depth: 0, pane_width, screen_height: size.height };
    let width = width.max(1);
    let mut rows: Vec<Row> = Vec::new();
    let mut step_ends = Vec::new();
    for block in &slide.blocks {
        if matches!(block, Block::Pause) {
            step_ends.push(rows.len());
            continue;
        }
        if !rows.is_empty() {
            rows.push(Row::Text(Line::default()));
        }
        let block_rows = l.block(block, width);
        if slide.center {
            rows.extend(center_block(block_rows, width));
        } else {
            rows.extend(block_rows);
        }
    }
    step_ends.push(rows.len());
    SlideLayout { width, pane_width, rows, step_ends, panes: l.panes, center: slide.center }
}

/// Lays out blocks; nested containers call back into it with a narrower width.
pub struct Layouter<'a> {
    pub deck: &'a Deck,
    pub theme: &'a Theme,
    panes: Vec<PaneSpec>,
    /// Nesting depth of the list being laid out (picks the bullet shape).
    pub list_depth: usize,
    pane_width: u16,
    screen_height: u16,
}

impl Layouter<'_> {
    /// Blocks one after another; `gap` puts a blank row between them.
    pub fn blocks(&mut self, blocks: &[Block], width: u16, gap: bool) -> Vec<Row> {
        let mut rows = Vec::new();
        for (i, block) in blocks.iter().filter(|b| !matches!(b, Block::Pause)).enumerate() {
            if gap && i > 0 {
                rows.push(Row::Text(Line::default()));
            }
            rows.extend(self.block(block, width));
        }
        rows
    }

    fn block(&mut self, block: &Block, width: u16) -> Vec<Row> {
        let texts = |lines: Vec<Line<'static>>| lines.into_iter().map(Row::Text).collect();
        match block {
            Block::Heading { level, runs } => texts(text::heading(*level, runs, width, self.theme)),
            Block::Paragraph(runs) => texts(text::paragraph(runs, width, self.theme)),
            Block::Rule => texts(vec![text::rule(width, self.theme)]),
            Block::Code(c) => texts(code::layout(c, width, self.theme)),
            Block::Table(t) => texts(table::layout(t, width, self.theme)),
            Block::List { start, items } => list::layout(self, *start, items, width),
            Block::Quote(blocks) => quote::layout(self, blocks, width),
            Block::Pane(spec) => {
                let index = self.panes.len();
                let height = pane::height(spec, self.deck, self.pane_width, self.screen_height);
                self.panes.push(spec.clone());
                (0..height).map(|row| Row::Pane { index, row }).collect()
            }
            Block::Pause => Vec::new(),
        }
    }
}

/// Indents a block's rows so the block as a whole sits in the middle of the column (its lines
/// stay aligned with each other).
fn center_block(rows: Vec<Row>, width: u16) -> Vec<Row> {
    let widest = rows
        .iter()
        .map(|r| match r {
            Row::Text(line) => super::wrap::line_width(line),
            Row::Pane { .. } => usize::from(width),
        })
        .max()
        .unwrap_or(0);
    let indent = usize::from(width).saturating_sub(widest) / 2;
    if indent == 0 {
        return rows;
    }
    let pad = Span::raw(" ".repeat(indent));
    prefix_rows(rows, pad.clone(), pad)
}

/// Puts `first` before the first text row and `rest` before the others.
pub fn prefix_rows(rows: Vec<Row>, first: Span<'static>, rest: Span<'static>) -> Vec<Row> {
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        out.push(match row {
            Row::Text(line) => {
                let mut spans = Vec::with_capacity(line.spans.len() + 1);
                spans.push(if i == 0 { first.clone() } else { rest.clone() });
                spans.extend(line.spans);
                Row::Text(Line::from(spans))
            }
            pane => pane,
        });
    }
    out
}
