//! The slide's content column: the visible window of the laid-out rows, panes in their slots,
//! and a scroll marker when there is more above or below.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::View;
use super::layout::Row;
use super::pane;

pub fn draw(view: &View<'_>, area: Rect, pane_area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let layout = view.layout;
    let theme = view.theme;
    let visible = layout.visible_rows(view.app.step);
    let height = usize::from(area.height);
    let scroll = view.app.scroll.min(visible.saturating_sub(height));
    // Centred slides sit in the middle while they fit (measured on the whole slide, so a
    // reveal does not make the content jump).
    let top_pad = if layout.center && layout.rows.len() < height { (height - layout.rows.len()) / 2 } else { 0 };
    let window = scroll..visible.min(scroll + height - top_pad);

    let mut y = area.y + top_pad as u16;
    let mut i = window.start;
    while i < window.end {
        match &layout.rows[i] {
            Row::Text(line) => {
                line.render(Rect { y, height: 1, ..area }, buf);
                y += 1;
                i += 1;
            }
            Row::Pane { index, row } => {
                // The slot's rows in this window; the pane is drawn whole off-screen and the
                // visible part copied, so a pane scrolled half out of view stays correct.
                let first_row = *row;
                let mut n = 0u16;
                while i < window.end && matches!(&layout.rows[i], Row::Pane { index: j, .. } if j == index) {
                    n += 1;
                    i += 1;
                }
                let total =
                    layout.rows.iter().filter(|r| matches!(r, Row::Pane { index: j, .. } if j == index)).count() as u16;
                if let Some(spec) = layout.panes.get(*index) {
                    let full = Rect { x: 0, y: 0, width: pane_area.width, height: total };
                    let mut off = Buffer::empty(full);
                    pane::draw(spec, view.app, *index, theme, view.now, full, &mut off);
                    for dy in 0..n {
                        for dx in 0..pane_area.width {
                            if let (Some(src), Some(dst)) =
                                (off.cell((dx, first_row + dy)), buf.cell_mut((pane_area.x + dx, y + dy)))
                            {
                                *dst = src.clone();
                            }
                        }
                    }
                }
                y += n;
            }
        }
    }

    let more_above = scroll > 0;
    let more_below = window.end < visible;
    if more_above || more_below {
        let arrows = match (more_above, more_below) {
            (true, true) => "▲▼",
            (true, false) => "▲",
            _ => "▼",
        };
        let text = format!(" {arrows} {}/{} ", (scroll + height).min(visible), visible);
        let marker = Line::from(Span::styled(
            text,
            theme.fg(theme.bg).bg(theme.color(theme.accent)).add_modifier(Modifier::BOLD),
        ))
        .alignment(Alignment::Right);
        let row = if more_below { area.bottom() - 1 } else { area.y };
        marker.render(Rect { y: row, height: 1, ..area }, buf);
    }
}
