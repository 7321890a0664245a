//! The race pane's static facts: one bar per build at its reference time, with the ratio to
//! the fastest and the source of the figures.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::{pad, sources_line};
use crate::builds::catalog::{Arch, format_duration};
use crate::deck::Deck;
use crate::deck::pane::PaneSpec;
use crate::ui::theme::Theme;

pub fn lines(spec: &PaneSpec, deck: &Deck, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let builds: Vec<_> =
        spec.scenarios.iter().filter_map(|id| deck.catalog.scenario(id)).flat_map(|s| &s.builds).collect();
    let label_w = builds.iter().map(|b| b.label.width()).max().unwrap_or(0).min(usize::from(width) / 2);
    let fastest = builds.iter().filter_map(|b| b.reference.as_ref()).map(|r| r.seconds).fold(f64::INFINITY, f64::min);
    let slowest = builds.iter().filter_map(|b| b.reference.as_ref()).map(|r| r.seconds).fold(0.0, f64::max);
    // label, space, bar, space, "51m46s", space, "×7.3"
    let bar_w = usize::from(width).saturating_sub(label_w + 1 + 1 + 7 + 1 + 6).max(4);
    let mut out = Vec::new();
    for b in &builds {
        let label: String = b.label.chars().take(label_w).collect();
        let mut spans = vec![Span::styled(pad(&label, label_w + 1), theme.base())];
        let color = match b.arch {
            Arch::X86_64 => theme.x86,
            Arch::Arm64 => theme.arm,
        };
        match &b.reference {
            Some(r) => {
                let filled = ((r.seconds / slowest) * bar_w as f64).round().max(1.0) as usize;
                spans.push(Span::styled("█".repeat(filled), theme.fg(color)));
                spans.push(Span::styled("░".repeat(bar_w - filled.min(bar_w)), theme.fg(theme.border)));
                spans.push(Span::styled(
                    format!(" {:>7}", format_duration(r.seconds)),
                    theme.base().add_modifier(Modifier::BOLD),
                ));
                let ratio = r.seconds / fastest;
                if ratio > 1.05 {
                    spans.push(Span::styled(format!(" ×{ratio:.1}"), theme.fg(theme.warn)));
                }
            }
            None => spans.push(Span::styled("no reference time in the source", theme.fg(theme.dim))),
        }
        out.push(Line::from(spans));
    }
    out.extend(sources_line(
        builds.iter().filter_map(|b| b.reference.as_ref()).map(|r| r.source.label.as_str()),
        theme,
    ));
    out
}
