//! Panes: the live parts of a slide. Until a backend feeds them, each shows the real static
//! facts it names: its scenario's builds, arches and reference figures with their source, or
//! the two files it compares.

mod builds;
mod diff;
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
use crate::deck::Deck;
use crate::deck::pane::{PaneKind, PaneSpec};

/// Rows a pane takes at a width, borders included.
pub fn height(spec: &PaneSpec, deck: &Deck, width: u16) -> u16 {
    spec.height.unwrap_or_else(|| {
        let theme = Theme::new(deck.meta.theme, super::theme::ColorDepth::TrueColor);
        let rows = body(spec, deck, &theme, width.saturating_sub(4)).len();
        u16::try_from(rows + 2).unwrap_or(u16::MAX)
    })
}

/// Draws a pane into `area`.
pub fn draw(spec: &PaneSpec, deck: &Deck, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let title = Line::from(vec![
        Span::styled(
            format!(" {} ", spec.kind.name()),
            theme.fg(theme.accent).add_modifier(Modifier::BOLD),
        ),
        Span::styled(format!("{} ", subject(spec, deck)), theme.fg(theme.dim)),
    ]);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_type(BorderType::Rounded)
        .border_style(theme.fg(theme.border).bg(theme.color(theme.panel_bg)))
        .style(theme.base().bg(theme.color(theme.panel_bg)))
        .title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    let lines = body(spec, deck, theme, inner.width);
    Paragraph::new(lines)
        .style(theme.base().bg(theme.color(theme.panel_bg)))
        .render(inner, buf);
}

fn subject(spec: &PaneSpec, deck: &Deck) -> String {
    let scenarios: Vec<_> = spec
        .scenarios
        .iter()
        .filter_map(|id| deck.catalog.scenario(id))
        .collect();
    match (spec.kind, scenarios.as_slice()) {
        (PaneKind::Diff, _) => "· before and after".into(),
        (PaneKind::Pipeline, _) => "· source to per-arch builds".into(),
        (_, [one]) => format!("· {} {}", one.concept, one.title),
        (_, many) => format!(
            "· {}",
            many.iter()
                .map(|s| s.concept.as_str())
                .collect::<Vec<_>>()
                .join(" + ")
        ),
    }
}

fn body(spec: &PaneSpec, deck: &Deck, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let bg = theme.panel_bg;
    let t = Theme {
        bg,
        ..theme.clone()
    };
    let lines = match spec.kind {
        PaneKind::Build | PaneKind::Logs => builds::lines(spec, deck, &t),
        PaneKind::Race => race::lines(spec, deck, &t, width),
        PaneKind::Metrics => metrics::lines(spec, deck, &t),
        PaneKind::Diff => diff::lines(spec, &t),
        PaneKind::Pipeline => pipeline::lines(deck, &t),
    };
    // Narrow panes wrap rather than cut facts off.
    lines
        .into_iter()
        .flat_map(|line| {
            let pieces: Vec<(String, Style)> = line
                .spans
                .into_iter()
                .map(|s| (s.content.into_owned(), s.style))
                .collect();
            wrap(&pieces, usize::from(width))
        })
        .collect()
}

/// `text` padded with spaces to `width` cells.
fn pad(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}

/// The line naming the sources of the figures shown, or none when no figure is shown.
fn sources_line<'a>(
    labels: impl IntoIterator<Item = &'a str>,
    theme: &Theme,
) -> Option<Line<'static>> {
    let mut all: Vec<&str> = labels.into_iter().collect();
    all.dedup();
    (!all.is_empty()).then(|| {
        Line::from(Span::styled(
            format!("Reference figures: {}", all.join("; ")),
            theme.fg(theme.dim).add_modifier(Modifier::ITALIC),
        ))
    })
}
