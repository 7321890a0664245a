//! Drawing. Every function here reads state and writes cells: no state changes, no I/O, no
//! heavy work (highlighting happened at load, layout happens once per slide and width).

mod banner;
mod code;
mod confirm;
mod footer;
mod help;
pub mod layout;
mod list;
mod notes;
mod overview;
pub mod pane;
mod quote;
mod slide;
mod table;
mod text;
pub mod theme;
pub mod wrap;

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Widget};

use crate::app::{App, Overlay};
use layout::SlideLayout;
use theme::Theme;

/// The widest the content column gets, so lines stay readable on wide screens.
pub const MAX_CONTENT_WIDTH: u16 = 100;

/// What one frame shows, all read-only.
pub struct View<'a> {
    pub app: &'a App,
    pub layout: &'a SlideLayout,
    pub theme: &'a Theme,
    pub now: Instant,
    /// The wall clock, already formatted (`21:05`).
    pub clock: &'a str,
}

/// The screen's regions for a terminal area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Regions {
    pub banner: Option<Rect>,
    pub content: Rect,
    /// Where panes are drawn: the content's rows, as wide as the screen allows.
    pub panes: Rect,
    pub notes: Option<Rect>,
    pub footer: Rect,
}

/// Splits the screen: error banner on top, the slide's column, the notes strip, the footer.
pub fn regions(area: Rect, app: &App) -> Regions {
    let footer = Rect { y: area.bottom().saturating_sub(1), height: area.height.min(1), ..area };
    let mut top = area.y;
    let mut bottom = footer.y;
    let banner = app.banner.as_ref().map(|text| {
        let h = banner::height(text, area.width).min(bottom.saturating_sub(top) / 2);
        let r = Rect { y: top, height: h, ..area };
        top += h;
        r
    });
    let notes = app.notes_visible.then(|| {
        let h = (bottom.saturating_sub(top) / 3).max(3).min(bottom.saturating_sub(top));
        bottom -= h;
        Rect { y: bottom, height: h, ..area }
    });
    // One blank row above the content, and two columns of margin each side.
    let margin_top = u16::from(bottom.saturating_sub(top) > 4);
    let width = area.width.saturating_sub(4).clamp(1.min(area.width), MAX_CONTENT_WIDTH);
    let content = Rect {
        x: area.x + (area.width - width) / 2,
        y: top + margin_top,
        width,
        height: bottom.saturating_sub(top + margin_top),
    };
    let pane_width = area.width.saturating_sub(4).max(content.width);
    let panes = Rect { x: area.x + (area.width - pane_width) / 2, width: pane_width, ..content };
    Regions { banner, content, panes, notes, footer }
}

/// Draws one frame.
pub fn draw(view: &View<'_>, frame: &mut Frame<'_>) {
    let area = frame.area();
    let theme = view.theme;
    let buf = frame.buffer_mut();
    Block::new().style(theme.base()).render(area, buf);
    if view.app.blank {
        return;
    }
    let r = regions(area, view.app);
    let zoomed = view.app.zoom.then_some(view.app.focus).flatten().and_then(|i| {
        let spec = view.app.deck.slides.get(view.app.slide)?.panes().get(i).map(|p| (*p).clone())?;
        Some((i, spec))
    });
    match zoomed {
        // The focused pane fills the screen above the footer.
        Some((i, spec)) => {
            let rect = Rect { height: area.height.saturating_sub(1), ..area };
            pane::draw(&spec, view.app, i, theme, view.now, rect, buf);
        }
        None => slide::draw(view, r.content, r.panes, buf),
    }
    if let (Some(rect), Some(text)) = (r.banner, &view.app.banner) {
        banner::draw(text, theme, rect, buf);
    }
    if let Some(rect) = r.notes {
        notes::draw(view, rect, buf);
    }
    footer::draw(view, r.footer, buf);
    match view.app.overlay {
        Overlay::None => {}
        Overlay::Help => help::draw(view, area, buf),
        Overlay::Overview { selected } => overview::draw(view, selected, area, buf),
    }
    if let Some(question) = &view.app.confirm {
        confirm::draw(view, question, area, buf);
    }
}

/// A centred rectangle of at most `w`×`h` inside `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let (w, h) = (w.min(area.width), h.min(area.height));
    Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }
}

/// Renders the app into an off-screen buffer of the given size: for tests and benchmarks, and
/// the same path the presenter's loop takes.
pub fn render_offscreen(
    app: &mut App,
    cache: &mut layout::LayoutCache,
    theme: &Theme,
    size: (u16, u16),
    now: Instant,
    clock: &str,
) -> ratatui::buffer::Buffer {
    let area = Rect::new(0, 0, size.0, size.1);
    let layout = cache.prepare(app, area, theme, now);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(size.0, size.1))
        .expect("the test backend cannot fail");
    let view = View { app, layout, theme, now, clock };
    let _ = terminal.draw(|f| draw(&view, f));
    terminal.backend().buffer().clone()
}

/// The text of a buffer, one line per row, trailing spaces trimmed.
pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in area.top()..area.bottom() {
        let mut line = String::new();
        let mut skip = 0;
        for x in area.left()..area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            if let Some(cell) = buf.cell((x, y)) {
                line.push_str(cell.symbol());
                skip = unicode_width::UnicodeWidthStr::width(cell.symbol()).saturating_sub(1);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
