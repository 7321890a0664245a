//! The diff pane: side by side when wide enough, unified otherwise (or as toggled), syntax
//! colours under the diff colours, changed words emphasized. Everything drawn here was computed
//! when the deck loaded; this only picks the visible rows.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::app::PaneView;
use crate::deck::block::Rgb;
use crate::deck::diff::{Change, DiffLine, FileDiff};
use crate::ui::theme::Theme;

/// Below this inner width a diff is unified unless toggled.
pub const SIDE_BY_SIDE_MIN_WIDTH: u16 = 100;

/// Whether the diff shows unified at this inner width.
pub fn is_unified(view: &PaneView, width: u16) -> bool {
    view.unified.unwrap_or(width < SIDE_BY_SIDE_MIN_WIDTH)
}

/// Rows of content (header included) at this inner width.
pub fn rows(diff: &FileDiff, view: &PaneView, width: u16) -> usize {
    1 + if is_unified(view, width) { diff.unified.len() } else { diff.side_by_side.len() }
}

/// The title's summary, e.g. `+3 −1 · side by side`.
pub fn summary(diff: &FileDiff, view: &PaneView, width: u16) -> String {
    let layout = if is_unified(view, width) { "unified" } else { "side by side" };
    format!("· +{} −{} · {layout} ", diff.added, diff.removed)
}

/// Draws the diff into the pane's inner area; returns the first shown row and the row count.
pub fn draw(diff: &FileDiff, view: &PaneView, theme: &Theme, area: Rect, buf: &mut Buffer) -> (usize, usize) {
    if area.is_empty() {
        return (0, 0);
    }
    let unified = is_unified(view, area.width);
    let total = if unified { diff.unified.len() } else { diff.side_by_side.len() };
    let body_h = usize::from(area.height.saturating_sub(1));
    // Open on the first change, with two rows of context above it.
    let start =
        view.scroll.unwrap_or_else(|| diff.first_change(unified).saturating_sub(2)).min(total.saturating_sub(body_h));
    let t = theme;
    let code_bg = diff.background.unwrap_or(t.code_bg);
    let header = |name: &str, mark: &str, color: Rgb| {
        vec![
            Span::styled(format!("{mark} "), t.fg(color).bg(t.color(code_bg)).add_modifier(Modifier::BOLD)),
            Span::styled(name.to_string(), t.fg(t.fg).bg(t.color(code_bg)).add_modifier(Modifier::BOLD)),
        ]
    };
    let (left_name, right_name) = short_names(&diff.left_name, &diff.right_name);
    let row_rect = |i: usize| Rect { y: area.y + i as u16, height: 1, ..area };
    if unified {
        let mut spans = header(left_name, "−", t.bad);
        spans.push(Span::styled("  ", t.fg(t.fg).bg(t.color(code_bg))));
        spans.extend(header(right_name, "+", t.good));
        fill(Line::from(spans), t, code_bg, row_rect(0), buf);
        for (i, row) in diff.unified.iter().skip(start).take(body_h).enumerate() {
            let (mark, bg, emph) = colours(row.change, t, code_bg);
            let number = format!("{:>3} ", row.line.number);
            let mut spans = vec![
                Span::styled(number, t.fg(t.dim).bg(t.color(bg))),
                Span::styled(
                    format!("{mark} "),
                    t.fg(mark_color(row.change, t)).bg(t.color(bg)).add_modifier(Modifier::BOLD),
                ),
            ];
            spans.extend(code_spans(&row.line, t, bg, emph, usize::from(area.width).saturating_sub(6)));
            fill(Line::from(spans), t, bg, row_rect(i + 1), buf);
        }
    } else {
        let half = area.width / 2;
        let left_rect = |i: usize| Rect { width: half.saturating_sub(1), ..row_rect(i) };
        let right_rect = |i: usize| Rect { x: area.x + half, width: area.width - half, ..row_rect(i) };
        fill(Line::from(header(left_name, "−", t.bad)), t, code_bg, left_rect(0), buf);
        fill(Line::from(header(right_name, "+", t.good)), t, code_bg, right_rect(0), buf);
        for (i, row) in diff.side_by_side.iter().skip(start).take(body_h).enumerate() {
            let (left_change, right_change) = match row.change {
                Change::Replace => (Change::Delete, Change::Insert),
                c => (c, c),
            };
            for (line, change, rect) in
                [(&row.left, left_change, left_rect(i + 1)), (&row.right, right_change, right_rect(i + 1))]
            {
                let (mark, bg, emph) = colours(change, t, code_bg);
                let Some(line) = line else {
                    fill(Line::from(Span::styled("", t.fg(t.dim))), t, t.panel_bg, rect, buf);
                    continue;
                };
                let mut spans = vec![
                    Span::styled(format!("{:>3} ", line.number), t.fg(t.dim).bg(t.color(bg))),
                    Span::styled(
                        format!("{mark} "),
                        t.fg(mark_color(change, t)).bg(t.color(bg)).add_modifier(Modifier::BOLD),
                    ),
                ];
                spans.extend(code_spans(line, t, bg, emph, usize::from(rect.width).saturating_sub(6)));
                fill(Line::from(spans), t, bg, rect, buf);
            }
        }
        // The gutter between the halves.
        for y in area.y..area.bottom() {
            if let Some(cell) = buf.cell_mut((area.x + half - 1, y)) {
                cell.set_symbol("│").set_style(t.fg(t.border).bg(t.color(t.panel_bg)));
            }
        }
    }
    (start, total)
}

/// The two names without the folders they share (`python_issues/Dockerfile`).
fn short_names<'a>(left: &'a str, right: &'a str) -> (&'a str, &'a str) {
    let shared: usize = left
        .split_inclusive('/')
        .zip(right.split_inclusive('/'))
        .take_while(|(a, b)| a == b && a.ends_with('/'))
        .map(|(a, _)| a.len())
        .sum();
    if shared == left.len() || shared == right.len() { (left, right) } else { (&left[shared..], &right[shared..]) }
}

fn colours(change: Change, t: &Theme, code_bg: Rgb) -> (&'static str, Rgb, Rgb) {
    match change {
        Change::Delete => ("-", t.del_bg, t.del_emph),
        Change::Insert => ("+", t.add_bg, t.add_emph),
        Change::Equal | Change::Replace => (" ", code_bg, code_bg),
    }
}

fn mark_color(change: Change, t: &Theme) -> Rgb {
    match change {
        Change::Delete => t.bad,
        Change::Insert => t.good,
        _ => t.dim,
    }
}

/// The highlighted spans of a line over its diff background, cut to `width` with `…`.
fn code_spans(line: &DiffLine, t: &Theme, bg: Rgb, emph: Rgb, width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::with_capacity(line.spans.len());
    let mut used = 0;
    let total: usize = line.spans.iter().map(|s| s.text.width()).sum();
    let room = if total > width { width.saturating_sub(1) } else { width };
    for s in &line.spans {
        let mut style = Style::new().fg(t.color(s.fg)).bg(t.color(if s.emphasized { emph } else { bg }));
        if s.bold || s.emphasized {
            style = style.add_modifier(Modifier::BOLD);
        }
        if s.italic {
            style = style.add_modifier(Modifier::ITALIC);
        }
        let mut text = String::new();
        for ch in s.text.chars() {
            let w = ch.width().unwrap_or(0);
            if used + w > room {
                break;
            }
            text.push(ch);
            used += w;
        }
        if !text.is_empty() {
            out.push(Span::styled(text, style));
        }
    }
    if total > width {
        out.push(Span::styled("…", t.fg(t.dim).bg(t.color(bg))));
    }
    out
}

/// Renders a line and fills the rest of its row with `bg`.
fn fill(line: Line<'static>, t: &Theme, bg: Rgb, rect: Rect, buf: &mut Buffer) {
    buf.set_style(rect, Style::new().bg(t.color(bg)));
    line.render(rect, buf);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::ThemeName;
    use crate::deck::diff::diff;
    use crate::ui::buffer_text;
    use crate::ui::theme::ColorDepth;

    fn sample() -> FileDiff {
        diff(
            "a/Dockerfile",
            "FROM x\nRUN pip install numpy==1.18.5\nCMD run\n",
            "b/Dockerfile",
            "FROM x\nRUN pip install numpy==1.19.0\nCMD run\n",
            ThemeName::Dark,
        )
    }

    fn render(view: PaneView, w: u16, h: u16) -> (String, Buffer) {
        let theme = Theme::new(ThemeName::Dark, ColorDepth::TrueColor);
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        draw(&sample(), &view, &theme, buf.area, &mut buf);
        (buffer_text(&buf), buf)
    }

    #[test]
    fn wide_panes_are_side_by_side_narrow_ones_unified() {
        let (text, _) = render(PaneView::default(), 120, 5);
        let row = text.lines().find(|l| l.contains("1.18.5")).unwrap();
        assert!(row.contains("1.19.0"), "both sides on one row: {text}");
        let (text, _) = render(PaneView::default(), 60, 6);
        let del = text.lines().position(|l| l.contains("- RUN pip install numpy==1.18.5")).unwrap();
        let add = text.lines().position(|l| l.contains("+ RUN pip install numpy==1.19.0")).unwrap();
        assert_eq!(add, del + 1, "{text}");
        let (text, _) = render(PaneView { unified: Some(true), ..PaneView::default() }, 120, 6);
        assert!(text.contains("- RUN pip"), "toggled to unified: {text}");
    }

    #[test]
    fn shared_folders_are_left_out_of_the_names() {
        assert_eq!(short_names("a/b/x/Dockerfile", "a/b/y/Dockerfile"), ("x/Dockerfile", "y/Dockerfile"));
        assert_eq!(short_names("a/x", "b/x"), ("a/x", "b/x"));
        assert_eq!(short_names("a/x", "a/x"), ("x", "x"));
    }

    #[test]
    fn changed_words_are_emphasized_over_the_line_colour() {
        let theme = Theme::new(ThemeName::Dark, ColorDepth::TrueColor);
        let (text, buf) = render(PaneView { unified: Some(true), ..PaneView::default() }, 60, 6);
        let y = text.lines().position(|l| l.contains("- RUN")).unwrap() as u16;
        let line: String = text.lines().nth(y as usize).unwrap().to_string();
        let x_of = |needle: &str| line.find(needle).map(|b| line[..b].chars().count() as u16).unwrap();
        let bg = |x: u16| buf.cell((x, y)).unwrap().bg;
        assert_eq!(bg(x_of("install")), theme.color(theme.del_bg));
        assert_eq!(bg(x_of("18")), theme.color(theme.del_emph));
    }
}
