//! The pipeline pane: offline, the stages the catalog implies (source first, then one per
//! concept with its builds in order); live, the deck's CodePipeline as GetPipelineState last
//! reported it, with status colours and the time of each action's last change.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use crate::backend::aws::live::pipeline::PipelineView;
use crate::builds::catalog::Arch;
use crate::deck::Deck;
use crate::ui::theme::Theme;

pub fn lines(deck: &Deck, theme: &Theme) -> Vec<Line<'static>> {
    let stage = theme.fg(theme.accent).add_modifier(Modifier::BOLD);
    let mut out = vec![Line::from(vec![
        Span::styled("Source  ", stage),
        Span::styled("the demo sources as a zip in S3", theme.base()),
    ])];
    for s in &deck.catalog.scenarios {
        let mut spans = vec![Span::styled(format!("{:<8}", s.concept), stage)];
        for (i, b) in s.builds.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", theme.fg(theme.dim)));
            }
            let color = match b.arch {
                Arch::X86_64 => theme.x86,
                Arch::Arm64 => theme.arm,
            };
            spans.push(Span::styled(b.label.clone(), theme.fg(color)));
        }
        out.push(Line::from(spans));
    }
    out
}

/// The live pipeline: a row per stage, its actions beneath with status and last change.
pub fn live_lines(state: &Result<PipelineView, String>, theme: &Theme) -> Vec<Line<'static>> {
    let view = match state {
        Ok(v) => v,
        Err(e) => return vec![Line::styled(format!("pipeline unavailable: {e}"), theme.fg(theme.warn))],
    };
    let color = |status: Option<&str>| match status {
        Some("Succeeded") => theme.good,
        Some("InProgress" | "Stopping") => theme.accent,
        Some("Failed" | "Cancelled" | "Abandoned") => theme.bad,
        Some("Stopped" | "Skipped") => theme.warn,
        _ => theme.dim,
    };
    let mark = |status: Option<&str>| match status {
        Some("Succeeded") => "✓",
        Some("InProgress") => "▶",
        Some("Failed" | "Cancelled" | "Abandoned") => "✗",
        Some("Stopped" | "Stopping" | "Skipped") => "■",
        _ => "·",
    };
    let mut out = vec![Line::styled(format!("pipeline {}", view.name), theme.fg(theme.dim))];
    for stage in &view.stages {
        let st = stage.status.as_deref();
        out.push(Line::from(vec![
            Span::styled(format!("{} {:<14}", mark(st), stage.name), theme.fg(color(st)).add_modifier(Modifier::BOLD)),
            Span::styled(st.unwrap_or("not run yet").to_string(), theme.fg(color(st))),
        ]));
        for a in &stage.actions {
            let st = a.status.as_deref();
            let when = a
                .changed
                .and_then(|t| chrono::DateTime::from_timestamp(t as i64, 0))
                .map(|t| t.with_timezone(&chrono::Local).format(" %H:%M").to_string())
                .unwrap_or_default();
            let mut spans = vec![
                Span::styled(format!("    {} {}", mark(st), a.name), theme.fg(color(st))),
                Span::styled(format!("  {}{when}", st.unwrap_or("—")), theme.fg(theme.dim)),
            ];
            if let Some(d) = &a.detail {
                spans.push(Span::styled(format!("  {d}"), theme.fg(theme.dim)));
            }
            out.push(Line::from(spans));
        }
    }
    out
}
