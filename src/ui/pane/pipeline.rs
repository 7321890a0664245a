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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::aws::live::pipeline::{ActionView, StageView};
    use crate::ui::theme::{ColorDepth, Theme};

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn live_stages_show_status_marks_and_action_details() {
        let theme = Theme::new(crate::deck::ThemeName::Dark, ColorDepth::TrueColor);
        let action = |name: &str, status: Option<&str>, detail: Option<&str>| ActionView {
            name: name.into(),
            status: status.map(String::from),
            changed: None,
            detail: detail.map(String::from),
        };
        let view = PipelineView {
            name: "arm64-demo".into(),
            stages: vec![
                StageView {
                    name: "Concept-2B".into(),
                    status: Some("Failed".into()),
                    actions: vec![
                        action("python-wheels.x86-pinned", Some("Succeeded"), None),
                        action("python-wheels.arm64-pinned", Some("Failed"), Some("Build failed")),
                    ],
                },
                StageView { name: "Concept-3A".into(), status: None, actions: vec![action("go.x86", None, None)] },
            ],
        };
        let lines = text(&live_lines(&Ok(view), &theme));
        assert_eq!(lines[0], "pipeline arm64-demo");
        assert_eq!(lines[1], "✗ Concept-2B    Failed");
        assert_eq!(lines[2], "    ✓ python-wheels.x86-pinned  Succeeded");
        assert_eq!(lines[3], "    ✗ python-wheels.arm64-pinned  Failed  Build failed");
        assert_eq!(lines[4], "· Concept-3A    not run yet");
        assert_eq!(lines[5], "    · go.x86  —");
        let err = text(&live_lines(&Err("AccessDenied".into()), &theme));
        assert_eq!(err, ["pipeline unavailable: AccessDenied"]);
    }
}
