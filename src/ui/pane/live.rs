//! What live panes share: the runs of a pane's builds, status badges, the spinner, log lines.

use std::time::Instant;

use ansi_to_tui::IntoText;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::app::{App, PaneView};
use crate::builds::catalog::{BuildDef, Scenario};
use crate::builds::log::LogLine;
use crate::builds::run::BuildRun;
use crate::builds::scenario_run::ScenarioRun;
use crate::builds::status::Verdict;
use crate::deck::pane::PaneSpec;
use crate::ui::theme::Theme;

/// What a live pane draws from.
pub struct Live<'a> {
    pub app: &'a App,
    pub view: &'a PaneView,
    pub now: Instant,
}

/// One build of a pane, with its run if its scenario was started.
pub struct Entry<'a> {
    pub scenario: &'a Scenario,
    pub def: &'a BuildDef,
    pub scenario_run: Option<&'a ScenarioRun>,
    pub run: Option<&'a BuildRun>,
}

impl Entry<'_> {
    pub fn verdict(&self) -> Verdict {
        self.run.map_or(Verdict::NotStarted, |r| r.verdict(self.def.expect))
    }

    /// The scenario's clock now, in seconds.
    pub fn clock_now(&self, now: Instant) -> f64 {
        self.scenario_run.map_or(0.0, |s| s.clock.now(now))
    }

    pub fn elapsed(&self, now: Instant) -> f64 {
        self.run.map_or(0.0, |r| r.elapsed(self.clock_now(now)))
    }

    /// How long ago a live build ended, in wall-clock seconds (a live clock keeps real time even
    /// after its builds stopped); `None` for replays and builds still running.
    pub fn ended_ago(&self, now: Instant) -> Option<f64> {
        let s = self.scenario_run.filter(|s| s.origin.is_some())?;
        let wall = s.clock.t + now.saturating_duration_since(s.clock.at).as_secs_f64();
        Some((wall - self.run?.ended_at?).max(0.0))
    }
}

/// "ended 10 min ago" for a build that ended a minute or more before.
pub fn ago(seconds: f64) -> Option<String> {
    let minutes = (seconds / 60.0).floor() as u64;
    match minutes {
        0 => None,
        1..=119 => Some(format!("ended {minutes} min ago")),
        120..=2879 => Some(format!("ended {} h ago", minutes / 60)),
        _ => Some(format!("ended {} days ago", minutes / 1440)),
    }
}

/// The builds of a pane's scenarios, in catalog order.
pub fn entries<'a>(spec: &PaneSpec, app: &'a App) -> Vec<Entry<'a>> {
    spec.scenarios
        .iter()
        .filter_map(|id| app.deck.catalog.scenario(id))
        .flat_map(|s| {
            let scenario_run = app.runs.get(&s.id);
            s.builds.iter().map(move |def| Entry {
                scenario: s,
                def,
                scenario_run,
                run: scenario_run.and_then(|r| r.builds.get(&def.id)),
            })
        })
        .collect()
}

/// Whether any of the pane's scenarios has been started.
pub fn started(spec: &PaneSpec, app: &App) -> bool {
    spec.scenarios.iter().any(|s| app.runs.contains_key(s))
}

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// A status badge; running builds spin with the scenario clock.
pub fn badge(verdict: Verdict, clock: f64, theme: &Theme) -> Span<'static> {
    let (text, color) = match verdict {
        Verdict::NotStarted => ("· not started".to_string(), theme.dim),
        Verdict::Queued => ("◌ queued".to_string(), theme.dim),
        Verdict::Running => (format!("{} running", SPINNER[(clock * 10.0) as usize % SPINNER.len()]), theme.accent),
        Verdict::Succeeded => ("✓ succeeded".to_string(), theme.good),
        Verdict::FailedAsExpected => ("✗ failed as expected".to_string(), theme.warn),
        Verdict::Failed => ("✗ failed".to_string(), theme.bad),
        Verdict::UnexpectedSuccess => ("! succeeded, expected to fail".to_string(), theme.bad),
        Verdict::Stopped => ("■ stopped".to_string(), theme.dim),
    };
    Span::styled(text, theme.fg(color).add_modifier(Modifier::BOLD))
}

/// The provenance line of a started pane: where its data comes from, and the replay speed.
pub fn provenance(spec: &PaneSpec, app: &App, theme: &Theme) -> Option<Line<'static>> {
    let run = spec.scenarios.iter().find_map(|s| app.runs.get(s))?;
    if let Some(error) = &run.error {
        return Some(Line::from(Span::styled(format!("✗ {error}"), theme.fg(theme.bad))));
    }
    let speed = if run.clock.speed > 1.0 { format!(" · {:.0}× speed", run.clock.speed) } else { String::new() };
    let stopped = run.builds.values().any(|b| b.status == Some(crate::builds::status::BuildStatus::Stopped));
    let state = match (run.finished(), run.clock.running) {
        (true, _) if stopped => " · stopped",
        (false, false) => " · paused",
        _ => "",
    };
    Some(Line::from(Span::styled(
        format!("{}{speed}{state}", run.label),
        theme.fg(theme.dim).add_modifier(Modifier::ITALIC),
    )))
}

/// A log line as styled text: its ANSI colours kept, error lines marked.
pub fn log_line(line: &LogLine, search: Option<&str>, theme: &Theme) -> Line<'static> {
    let base = if line.error { theme.fg(theme.bad) } else { theme.fg(theme.fg) };
    let text = expand_tabs(&line.text);
    let mut out = match text.as_bytes().into_text() {
        Ok(text) => text.lines.into_iter().next().unwrap_or_default(),
        Err(_) => Line::from(text.clone()),
    };
    for span in &mut out.spans {
        span.style = base.patch(span.style);
    }
    if search.is_some_and(|q| !q.is_empty() && line.text.to_lowercase().contains(&q.to_lowercase())) {
        out = out.style(Style::new().bg(theme.color(theme.selection_bg)));
    }
    if line.error {
        out.spans.insert(0, Span::styled("▌", theme.fg(theme.bad)));
    }
    out
}

/// Tabs to spaces at 8-column stops (go test aligns its summary with tabs).
fn expand_tabs(text: &str) -> String {
    if !text.contains('\t') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut col = 0;
    for ch in text.chars() {
        if ch == '\t' {
            let n = 8 - col % 8;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            out.push(ch);
            col += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_expand_to_eight_column_stops() {
        assert_eq!(expand_tabs("ok  \tpkg\t1s"), "ok      pkg     1s");
        assert_eq!(expand_tabs("plain"), "plain");
    }
}
