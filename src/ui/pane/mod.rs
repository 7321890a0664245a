//! Panes: the live parts of a slide. Until a backend feeds them, each shows the real static
//! facts it names: its scenario's builds, arches and reference figures with their source, or
//! the two files it compares.

mod builds;
pub mod diff;
mod live;
mod log_view;
mod metrics;
mod pipeline;
mod race;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph, Widget};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::wrap::wrap;
use std::time::Instant;

use crate::app::App;
use crate::deck::Deck;
use crate::deck::pane::{PaneKind, PaneSpec};

/// Log lines a build pane shows under its builds.
const LOG_TAIL_ROWS: usize = 8;

/// The most rows a diff pane takes by default; longer diffs scroll inside it.
const DIFF_MAX_ROWS: usize = 16;

/// Rows a pane takes at a width, borders included. A diff takes at most half the screen's
/// `screen_height`, so the slide's text stays in view beside it.
pub fn height(spec: &PaneSpec, deck: &Deck, width: u16, screen_height: u16) -> u16 {
    spec.height.unwrap_or_else(|| {
        let rows = match &spec.diff {
            // The larger of both layouts, so toggling does not move the slide.
            Some(d) => (1 + d.unified.len().max(d.side_by_side.len()))
                .min(DIFF_MAX_ROWS)
                .min((usize::from(screen_height) / 2).saturating_sub(2).max(4)),
            None => {
                let theme = Theme::new(deck.meta.theme, super::theme::ColorDepth::TrueColor);
                let facts = static_body(spec, deck, &theme, width.saturating_sub(4)).len();
                let builds: usize =
                    spec.scenarios.iter().filter_map(|s| deck.catalog.scenario(s)).map(|s| s.builds.len()).sum();
                match spec.kind {
                    // Builds, the timeline and a log tail once running.
                    // …within about half the screen, so the slide's text stays in view.
                    PaneKind::Build => {
                        facts.max((builds + 3 + LOG_TAIL_ROWS).min(usize::from(screen_height) / 2).max(builds + 4))
                    }
                    PaneKind::Logs => facts.max((usize::from(screen_height) * 2 / 3).max(8)),
                    // Once running: provenance, a row per build (race) or metric (metrics), and the
                    // sources, which wrap on narrow screens.
                    PaneKind::Race | PaneKind::Metrics => {
                        let patterns: usize = spec
                            .scenarios
                            .iter()
                            .filter_map(|s| deck.catalog.scenario(s))
                            .map(|s| s.patterns.len())
                            .sum();
                        let rows = if spec.kind == PaneKind::Race { builds } else { patterns + 1 };
                        let notes = 240usize.div_ceil(usize::from(width.saturating_sub(4)).max(1));
                        facts.max(1 + rows + notes)
                    }
                    _ => facts,
                }
            }
        };
        u16::try_from(rows + 2).unwrap_or(u16::MAX)
    })
}

/// Draws a pane into `area`; `focused` panes get the accent border and take the scroll keys.
pub fn draw(spec: &PaneSpec, app: &App, index: usize, theme: &Theme, now: Instant, area: Rect, buf: &mut Buffer) {
    let deck = &app.deck;
    let view = app.pane_view(index);
    let focused = app.focus == Some(index);
    let inner_width = area.width.saturating_sub(2);
    let subject = match &spec.diff {
        Some(d) => diff::summary(d, &view, inner_width),
        None => format!("{} ", subject(spec, deck)),
    };
    let mut title = vec![
        Span::styled(format!(" {} ", spec.kind.name()), theme.fg(theme.accent).add_modifier(Modifier::BOLD)),
        Span::styled(subject, theme.fg(theme.dim)),
    ];
    if focused {
        title.push(Span::styled("· focused ", theme.fg(theme.accent)));
    }
    let border = if focused { theme.fg(theme.accent) } else { theme.fg(theme.border) };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(if focused { BorderType::Thick } else { BorderType::Rounded })
        .border_style(border.bg(theme.color(theme.panel_bg)))
        .style(theme.base().bg(theme.color(theme.panel_bg)))
        .title(Line::from(title));
    let inner = block.inner(area);
    if let Some(d) = &spec.diff {
        let (start, total) = diff::draw(d, &view, theme, inner, buf);
        let shown = usize::from(inner.height.saturating_sub(1));
        let block = if total > shown {
            let end = (start + shown).min(total);
            let hint = if focused { "↑↓ scroll · d layout" } else { "Tab to focus" };
            block.title_bottom(
                Line::from(Span::styled(format!(" {}–{end} of {total} · {hint} ", start + 1), theme.fg(theme.dim)))
                    .right_aligned(),
            )
        } else {
            block
        };
        // Drawn after the content so the borders frame it.
        render_border_only(block, area, buf);
        return;
    }
    let hint = match spec.kind {
        PaneKind::Build | PaneKind::Race | PaneKind::Metrics | PaneKind::Logs if !live::started(spec, app) => {
            Some(" Enter: start · A: start all ")
        }
        PaneKind::Build | PaneKind::Logs if focused => Some(" ↑↓ scroll · f follow · [ ] build · / search · z zoom "),
        PaneKind::Pipeline if app.mode == crate::app::Mode::Live && app.deck.meta.pipeline.is_some() => {
            Some(" Enter: start the pipeline ")
        }
        PaneKind::Pipeline => Some(" Enter: start all "),
        _ => None,
    };
    let block = match hint {
        Some(h) => block.title_bottom(Line::from(Span::styled(h, theme.fg(theme.dim))).right_aligned()),
        None => block,
    };
    block.render(area, buf);
    let inner = Rect { x: inner.x + 1, width: inner.width.saturating_sub(2), ..inner };
    let t = Theme { bg: theme.panel_bg, ..theme.clone() };
    let live = live::Live { app, view: &view, now };
    let lines = if let (PaneKind::Pipeline, Some(state)) = (spec.kind, &app.pipeline) {
        wrap_lines(pipeline::live_lines(state, &t), inner.width)
    } else if live::started(spec, app) {
        let height = usize::from(inner.height);
        match spec.kind {
            PaneKind::Build => builds::live_lines(spec, &live, &t, inner.width, height),
            PaneKind::Logs => builds::logs_lines(spec, &live, &t, inner.width, height),
            // Figures and their sources wrap rather than being cut off.
            PaneKind::Race => wrap_lines(race::live_lines(spec, &live, &t, inner.width), inner.width),
            PaneKind::Metrics => wrap_lines(metrics::live_lines(spec, &live, &t), inner.width),
            _ => static_body(spec, deck, theme, inner.width),
        }
    } else {
        static_body(spec, deck, theme, inner.width)
    };
    Paragraph::new(lines).style(theme.base().bg(theme.color(theme.panel_bg))).render(inner, buf);
}

/// Renders a block's borders and titles without clearing what is inside.
fn render_border_only(block: Block<'_>, area: Rect, buf: &mut Buffer) {
    let mut frame = Buffer::empty(area);
    block.render(area, &mut frame);
    let inner = Block::new().borders(Borders::ALL).inner(area);
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let inside = x >= inner.left() && x < inner.right() && y >= inner.top() && y < inner.bottom();
            if !inside && let (Some(src), Some(dst)) = (frame.cell((x, y)), buf.cell_mut((x, y))) {
                *dst = src.clone();
            }
        }
    }
}

fn subject(spec: &PaneSpec, deck: &Deck) -> String {
    let scenarios: Vec<_> = spec.scenarios.iter().filter_map(|id| deck.catalog.scenario(id)).collect();
    match (spec.kind, scenarios.as_slice()) {
        (PaneKind::Diff, _) => "· before and after".into(),
        (PaneKind::Pipeline, _) => "· source to per-arch builds".into(),
        (_, [one]) => format!("· {} {}", one.concept, one.title),
        (_, many) => format!("· {}", many.iter().map(|s| s.concept.as_str()).collect::<Vec<_>>().join(" + ")),
    }
}

fn static_body(spec: &PaneSpec, deck: &Deck, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let bg = theme.panel_bg;
    let t = Theme { bg, ..theme.clone() };
    let lines = match spec.kind {
        PaneKind::Build | PaneKind::Logs => builds::lines(spec, deck, &t),
        PaneKind::Race => race::lines(spec, deck, &t, width),
        PaneKind::Metrics => metrics::lines(spec, deck, &t),
        // A diff pane always carries its diff (computed at load), drawn by `diff::draw`.
        PaneKind::Diff => Vec::new(),
        PaneKind::Pipeline => pipeline::lines(deck, &t),
    };
    // Narrow panes wrap rather than cut facts off.
    wrap_lines(lines, width)
}

fn wrap_lines(lines: Vec<Line<'static>>, width: u16) -> Vec<Line<'static>> {
    lines
        .into_iter()
        .flat_map(|line| {
            let pieces: Vec<(String, Style)> =
                line.spans.into_iter().map(|s| (s.content.into_owned(), s.style)).collect();
            wrap(&pieces, usize::from(width))
        })
        .collect()
}

/// `text` padded with spaces to `width` cells.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// The line naming the sources of the figures shown, or none when no figure is shown.
fn sources_line<'a>(labels: impl IntoIterator<Item = &'a str>, theme: &Theme) -> Option<Line<'static>> {
    let mut all: Vec<&str> = labels.into_iter().collect();
    all.dedup();
    (!all.is_empty()).then(|| {
        Line::from(Span::styled(
            format!("Reference figures: {}", all.join("; ")),
            theme.fg(theme.dim).add_modifier(Modifier::ITALIC),
        ))
    })
}
