//! The build and logs panes' static facts: the scenario's builds, where they run, what they
//! are expected to do, and their reference time.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use super::{pad, sources_line};
use crate::builds::catalog::{Arch, Expect, format_duration};
use crate::deck::Deck;
use crate::deck::pane::PaneSpec;
use crate::ui::theme::Theme;

pub fn lines(spec: &PaneSpec, deck: &Deck, theme: &Theme) -> Vec<Line<'static>> {
    let builds: Vec<_> =
        spec.scenarios.iter().filter_map(|id| deck.catalog.scenario(id)).flat_map(|s| &s.builds).collect();
    let label_w =
        builds.iter().map(|b| unicode_width::UnicodeWidthStr::width(b.label.as_str())).max().unwrap_or(5).max(5);
    let head = theme.fg(theme.dim).add_modifier(Modifier::BOLD);
    let mut out = vec![Line::from(vec![
        Span::styled(pad("build", label_w + 2), head),
        Span::styled(pad("arch", 8), head),
        Span::styled(pad("host", 16), head),
        Span::styled(pad("expected", 10), head),
        Span::styled("reference", head),
    ])];
    for b in &builds {
        let arch_color = match b.arch {
            Arch::X86_64 => theme.x86,
            Arch::Arm64 => theme.arm,
        };
        let (expect, expect_color) = match b.expect {
            Expect::Succeed => ("succeeds", theme.good),
            Expect::Fail => ("fails ✗", theme.warn),
        };
        let host = format!("{} {}", b.host_arch(), b.mode);
        let reference = b.reference.as_ref().map_or("—".to_string(), |r| format_duration(r.seconds));
        out.push(Line::from(vec![
            Span::styled(pad(&b.label, label_w + 2), theme.base()),
            Span::styled(pad(&b.arch.to_string(), 8), theme.fg(arch_color).add_modifier(Modifier::BOLD)),
            Span::styled(pad(&host, 16), theme.base()),
            Span::styled(pad(expect, 10), theme.fg(expect_color)),
            Span::styled(reference, theme.base()),
        ]));
    }
    out.extend(sources_line(
        builds.iter().filter_map(|b| b.reference.as_ref()).map(|r| r.source.label.as_str()),
        theme,
    ));
    out
}

/// The build pane of a started scenario: a row per build (badge, label, phase, elapsed against
/// the reference), then the shown build's phase timeline and log tail.
pub fn live_lines(spec: &PaneSpec, live: &Live<'_>, theme: &Theme, width: u16, height: usize) -> Vec<Line<'static>> {
    let entries = entries(spec, live.app);
    let label_w = entries.iter().map(|e| e.def.label.width()).max().unwrap_or(5).min(usize::from(width) / 3);
    let mut out: Vec<Line<'static>> = provenance(spec, live.app, theme).into_iter().collect();
    for e in &entries {
        let clock = e.clock_now(live.now);
        let verdict = e.verdict();
        let badge = badge(verdict, clock, theme);
        let phase = e.run.and_then(|r| r.current_phase()).map_or("", |p| p.short());
        let elapsed = if verdict == Verdict::NotStarted { String::new() } else { format_duration(e.elapsed(live.now)) };
        let mut reference =
            e.def.reference.as_ref().map_or(String::new(), |r| format!(" / ref {}", format_duration(r.seconds)));
        if let Some(ago) = e.ended_ago(live.now).and_then(super::live::ago) {
            reference.push_str(&format!(" · {ago}"));
        }
        let label: String = e.def.label.chars().take(label_w).collect();
        out.push(Line::from(vec![
            Span::styled(pad(&badge.content, 24), badge.style),
            Span::styled(pad(&label, label_w + 2), theme.base()),
            Span::styled(pad(phase, 11), theme.fg(theme.dim)),
            Span::styled(format!("{elapsed}{reference}"), theme.base()),
        ]));
    }
    // The reference times above name their source.
    out.extend(sources_line(
        entries.iter().filter_map(|e| e.def.reference.as_ref()).map(|r| r.source.label.as_str()),
        theme,
    ));
    let shown = live.app.shown_build(spec, live.view);
    if let Some(entry) = shown.and_then(|(s, b)| entries.iter().find(|e| e.scenario.id == s && e.def.id == b)) {
        let room = height.saturating_sub(out.len());
        out.extend(log_view::lines(entry, live, theme, width, room));
    }
    out
}

use super::live::{Live, badge, entries, provenance};
use super::log_view;
use crate::builds::status::Verdict;
use unicode_width::UnicodeWidthStr;

/// The logs pane: a line naming every build (the shown one highlighted, `[`/`]` to switch),
/// then the shown build's phase timeline and as much of its log as fits.
pub fn logs_lines(spec: &PaneSpec, live: &Live<'_>, theme: &Theme, width: u16, height: usize) -> Vec<Line<'static>> {
    let entries = entries(spec, live.app);
    let shown = live.app.shown_build(spec, live.view);
    let mut out: Vec<Line<'static>> = provenance(spec, live.app, theme).into_iter().collect();
    let mut tabs = Vec::new();
    for e in &entries {
        let is_shown = shown.as_ref().is_some_and(|(s, b)| *s == e.scenario.id && *b == e.def.id);
        let badge = badge(e.verdict(), e.clock_now(live.now), theme);
        let mark = badge.content.chars().next().unwrap_or(' ');
        let style = if is_shown { badge.style.add_modifier(Modifier::REVERSED) } else { badge.style };
        tabs.push(Span::styled(format!(" {mark} {} ", e.def.label), style));
        tabs.push(Span::styled(" ", theme.base()));
    }
    out.push(Line::from(tabs));
    if let Some(entry) = shown.and_then(|(s, b)| entries.iter().find(|e| e.scenario.id == s && e.def.id == b)) {
        let room = height.saturating_sub(out.len());
        out.extend(log_view::lines(entry, live, theme, width, room));
    }
    out
}
