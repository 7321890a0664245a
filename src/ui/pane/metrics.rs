//! The metrics pane's static facts: each metric per arch at its reference value, with the
//! difference of arm64 against x86_64.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::{pad, sources_line};
use crate::builds::catalog::{Arch, ReferenceMetric};
use crate::deck::Deck;
use crate::deck::pane::PaneSpec;
use crate::ui::theme::Theme;

pub fn lines(spec: &PaneSpec, deck: &Deck, theme: &Theme) -> Vec<Line<'static>> {
    let builds: Vec<_> =
        spec.scenarios.iter().filter_map(|id| deck.catalog.scenario(id)).flat_map(|s| &s.builds).collect();
    let of = |arch: Arch, name: &str| -> Option<&ReferenceMetric> {
        builds.iter().filter(|b| b.arch == arch).flat_map(|b| &b.metrics).find(|m| m.name == name)
    };
    let mut names: Vec<&str> = Vec::new();
    for m in builds.iter().flat_map(|b| &b.metrics) {
        if !names.contains(&m.name.as_str()) {
            names.push(&m.name);
        }
    }
    let head = theme.fg(theme.dim).add_modifier(Modifier::BOLD);
    let mut out = vec![Line::from(vec![
        Span::styled(pad("metric", 16), head),
        Span::styled(pad("x86_64", 14), theme.fg(theme.x86).add_modifier(Modifier::BOLD)),
        Span::styled(pad("arm64", 14), theme.fg(theme.arm).add_modifier(Modifier::BOLD)),
        Span::styled("arm64 vs x86_64", head),
    ])];
    let value = |m: Option<&ReferenceMetric>| m.map_or("—".to_string(), |m| format!("{} {}", m.value, m.unit));
    for name in &names {
        let (x, a) = (of(Arch::X86_64, name), of(Arch::Arm64, name));
        let diff = match (x, a) {
            (Some(x), Some(a)) if x.value != 0.0 => {
                let pct = (a.value - x.value) / x.value * 100.0;
                let color = if pct <= 0.0 { theme.good } else { theme.bad };
                let word = if pct <= 0.0 { "less time" } else { "more time" };
                Span::styled(format!("{:+.1}% ({word})", pct), theme.fg(color).add_modifier(Modifier::BOLD))
            }
            _ => Span::styled("—", theme.fg(theme.dim)),
        };
        out.push(Line::from(vec![
            Span::styled(pad(name, 16), theme.base()),
            Span::styled(pad(&value(x), 14), theme.base()),
            Span::styled(pad(&value(a), 14), theme.base()),
            diff,
        ]));
    }
    out.extend(sources_line(builds.iter().flat_map(|b| &b.metrics).map(|m| m.source.label.as_str()), theme));
    out
}
