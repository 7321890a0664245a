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

/// Metrics read from the builds' logs per arch, beside the reference figures and their source.
pub fn live_lines(spec: &PaneSpec, live: &Live<'_>, theme: &Theme) -> Vec<Line<'static>> {
    let entries = entries(spec, live.app);
    let mut names: Vec<(String, String)> = Vec::new();
    for s in spec.scenarios.iter().filter_map(|id| live.app.deck.catalog.scenario(id)) {
        for p in &s.patterns {
            if !names.iter().any(|(n, _)| *n == p.name) {
                names.push((p.name.clone(), p.unit.clone()));
            }
        }
    }
    let head = theme.fg(theme.dim).add_modifier(Modifier::BOLD);
    let mut out: Vec<Line<'static>> = provenance(spec, live.app, theme).into_iter().collect();
    let columns: Vec<&Entry<'_>> = entries.iter().collect();
    let mut header = vec![Span::styled(pad("metric", 18), head)];
    for e in &columns {
        let color = if e.def.arch == Arch::X86_64 { theme.x86 } else { theme.arm };
        header.push(Span::styled(pad(&e.def.label, 22), theme.fg(color).add_modifier(Modifier::BOLD)));
    }
    if columns.len() == 2 {
        header.push(Span::styled("difference", head));
    }
    out.push(Line::from(header));
    for (name, unit) in &names {
        let mut spans = vec![Span::styled(pad(name, 18), theme.base())];
        let values: Vec<Option<f64>> =
            columns.iter().map(|e| e.run.and_then(|r| r.metrics.get(name)).copied()).collect();
        for (e, v) in columns.iter().zip(&values) {
            let text = match v {
                Some(v) => format!("{} {unit}", trim(*v)),
                None if e.verdict().is_final() => "—".to_string(),
                None => "…".to_string(),
            };
            spans.push(Span::styled(pad(&text, 22), theme.base().add_modifier(Modifier::BOLD)));
        }
        if let [Some(a), Some(b)] = values.as_slice()
            && *a != 0.0
        {
            let pct = (b - a) / a * 100.0;
            let color = if (pct <= 0.0) == (unit == "s") { theme.good } else { theme.warn };
            spans.push(Span::styled(format!("{pct:+.1}%"), theme.fg(color).add_modifier(Modifier::BOLD)));
        }
        out.push(Line::from(spans));
    }
    let refs: Vec<String> = columns
        .iter()
        .flat_map(|e| e.def.metrics.iter().map(move |m| format!("{} {} {}", e.def.label, m.name, trim(m.value))))
        .collect();
    if !refs.is_empty() {
        let source =
            columns.iter().flat_map(|e| &e.def.metrics).map(|m| m.source.label.clone()).next().unwrap_or_default();
        out.push(Line::from(Span::styled(
            format!("reference ({source}): {}", refs.join(" · ")),
            theme.fg(theme.dim).add_modifier(Modifier::ITALIC),
        )));
    }
    out
}

/// A number without trailing zeros (58.14154, 12, 0.02737).
fn trim(v: f64) -> String {
    let s = format!("{v:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

use super::live::{Entry, Live, entries, provenance};
