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

/// Bars growing with the builds' elapsed time on a shared scale, a tick at each reference time,
/// the final time and the ratio to the fastest on finish, and the cost from the price table.
pub fn live_lines(spec: &PaneSpec, live: &Live<'_>, theme: &Theme, width: u16) -> Vec<Line<'static>> {
    let entries = entries(spec, live.app);
    let prices = &live.app.deck.catalog.prices;
    let label_w = entries.iter().map(|e| e.def.label.width()).max().unwrap_or(0).min(usize::from(width) / 3);
    // Bars compare whole build durations, like the reference figures; the docker build time the
    // buildspec printed (the emulated build times its arm64 part alone) is shown beside them.
    let race_time = |e: &Entry<'_>| -> f64 { e.elapsed(live.now) };
    let docker_time = |e: &Entry<'_>| -> Option<f64> {
        let m = &e.run?.metrics;
        m.get(&format!("timing.docker_build_{}", arch_name(e.def.arch)))
            .or_else(|| m.get("timing.docker_build"))
            .copied()
    };
    let scale = entries
        .iter()
        .map(|e| race_time(e).max(e.def.reference.as_ref().map_or(0.0, |r| r.seconds)))
        .fold(1.0, f64::max);
    let fastest = entries
        .iter()
        .filter(|e| e.verdict().as_expected() && e.def.reference.is_some())
        .map(race_time)
        .fold(f64::INFINITY, f64::min);
    let bar_w = usize::from(width).saturating_sub(label_w + 1 + 1 + 38).max(4);
    let mut out: Vec<Line<'static>> = provenance(spec, live.app, theme).into_iter().collect();
    for e in &entries {
        let verdict = e.verdict();
        let t = race_time(e);
        let filled = ((t / scale) * bar_w as f64).round() as usize;
        let tick = e.def.reference.as_ref().map(|r| ((r.seconds / scale) * bar_w as f64).round() as usize);
        let color = match (verdict, e.def.arch) {
            (Verdict::Failed | Verdict::UnexpectedSuccess, _) => theme.bad,
            (Verdict::FailedAsExpected, _) => theme.warn,
            (_, Arch::X86_64) => theme.x86,
            (_, Arch::Arm64) => theme.arm,
        };
        let label: String = e.def.label.chars().take(label_w).collect();
        let mut spans = vec![Span::styled(pad(&label, label_w + 1), theme.base())];
        for i in 0..bar_w {
            let (ch, style) = if Some(i) == tick && i >= filled {
                ("│", theme.fg(theme.fg))
            } else if i < filled {
                ("█", theme.fg(color))
            } else {
                ("░", theme.fg(theme.border))
            };
            spans.push(Span::styled(ch, style));
        }
        let time = if verdict == Verdict::NotStarted { "—".to_string() } else { format_duration(t) };
        let time_style =
            if verdict.is_final() { theme.base().add_modifier(Modifier::BOLD) } else { theme.fg(theme.dim) };
        spans.push(Span::styled(format!(" {time:>7}"), time_style));
        if verdict.is_final() && fastest.is_finite() && t / fastest > 1.05 {
            spans.push(Span::styled(format!(" ×{:.1}", t / fastest), theme.fg(theme.warn)));
        }
        if let Some(d) = docker_time(e) {
            spans.push(Span::styled(format!(" (docker {})", format_duration(d)), theme.fg(theme.dim)));
        }
        if verdict.is_final() {
            let cost = prices.cost(e.def.host_arch(), &e.def.compute, e.elapsed(live.now));
            let text = cost.map_or(" · $ —".to_string(), |c| format!(" · ${c:.2}"));
            spans.push(Span::styled(text, theme.fg(theme.dim)));
        }
        out.push(Line::from(spans));
    }
    let mut notes = vec![format!("│ reference: {}", reference_sources(&entries))];
    if !prices.source.is_empty() {
        notes.push(format!("prices: {} ({}); $ — no sourced price", prices.source, prices.date));
    }
    out.push(Line::from(Span::styled(notes.join(" · "), theme.fg(theme.dim).add_modifier(Modifier::ITALIC))));
    out
}

fn arch_name(arch: Arch) -> &'static str {
    match arch {
        Arch::X86_64 => "amd64",
        Arch::Arm64 => "arm64",
    }
}

fn reference_sources(entries: &[Entry<'_>]) -> String {
    let mut labels: Vec<&str> =
        entries.iter().filter_map(|e| e.def.reference.as_ref()).map(|r| r.source.label.as_str()).collect();
    labels.dedup();
    if labels.is_empty() { "none".into() } else { labels.join("; ") }
}

use super::live::{Entry, Live, entries, provenance};
use crate::builds::status::Verdict;
