//! One build's run as the audience sees it, and the pure reducer that applies events to it.

use std::collections::BTreeMap;

use super::catalog::{Expect, MetricPattern};
use super::event::BuildEvent;
use super::log::LogBuffer;
use super::phase::Phase;
use super::status::{BuildStatus, Verdict};

/// A phase the build entered; `end` once it left it.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseSpan {
    pub phase: Phase,
    pub start: f64,
    pub end: Option<f64>,
}

impl PhaseSpan {
    pub fn duration(&self, now: f64) -> f64 {
        (self.end.unwrap_or(now) - self.start).max(0.0)
    }
}

/// The prefix of the timing lines the buildspecs print.
const TIMING: &str = "ARM64_DEMO_TIMING ";

/// A build run. Times are seconds on the scenario's clock.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BuildRun {
    pub build_id: Option<String>,
    pub started_at: Option<f64>,
    pub ended_at: Option<f64>,
    pub phases: Vec<PhaseSpan>,
    pub status: Option<BuildStatus>,
    pub log: LogBuffer,
    /// Metrics read so far: the catalog's patterns by name, and `timing.<step>` seconds.
    pub metrics: BTreeMap<String, f64>,
    /// Why the backend cannot see the build, and since when.
    pub stale: Option<(f64, String)>,
}

impl BuildRun {
    /// A run whose log keeps at most `cap` lines.
    pub fn with_log_cap(cap: usize) -> Self {
        BuildRun { log: LogBuffer::with_cap(cap), ..BuildRun::default() }
    }

    /// Applies one event at time `t`. Metrics are read from log lines as they arrive.
    pub fn apply(&mut self, t: f64, event: &BuildEvent, patterns: &[MetricPattern]) {
        match event {
            BuildEvent::Started { build_id } => {
                self.build_id = build_id.clone().or(self.build_id.take());
                self.started_at.get_or_insert(t);
            }
            BuildEvent::Phase { phase } => {
                // Phases only move forward; a repeated or older phase (a re-poll) changes nothing.
                if self.current_phase().is_some_and(|p| p >= *phase) {
                    return;
                }
                self.started_at.get_or_insert(t);
                if let Some(last) = self.phases.last_mut() {
                    last.end.get_or_insert(t);
                }
                let end = (*phase == Phase::Completed).then_some(t);
                self.phases.push(PhaseSpan { phase: *phase, start: t, end });
                if end.is_some() {
                    self.ended_at.get_or_insert(t);
                }
            }
            BuildEvent::Log { lines } => {
                for line in lines {
                    self.read_metrics(line, patterns);
                    self.log.push(line.clone());
                }
            }
            BuildEvent::Status { status } => {
                self.status = Some(*status);
                self.ended_at.get_or_insert(t);
                if let Some(last) = self.phases.last_mut() {
                    last.end.get_or_insert(t);
                }
            }
            BuildEvent::Metric { name, value } => {
                self.metrics.insert(name.clone(), *value);
            }
            BuildEvent::Stale { reason } => {
                let since = self.stale.as_ref().map_or(t, |(s, _)| *s);
                self.stale = Some((since, reason.clone()));
            }
            BuildEvent::Resumed => self.stale = None,
        }
    }

    fn read_metrics(&mut self, line: &str, patterns: &[MetricPattern]) {
        if let Some(rest) = line.find(TIMING).map(|i| &line[i + TIMING.len()..]) {
            let field = |key: &str| rest.split_whitespace().find_map(|kv| kv.strip_prefix(key));
            if let (Some(step), Some(secs)) = (field("step="), field("seconds=").and_then(|s| s.parse::<f64>().ok())) {
                self.metrics.insert(format!("timing.{step}"), secs);
            }
        }
        for p in patterns {
            if p.count {
                if p.regex.is_match(line) {
                    *self.metrics.entry(p.name.clone()).or_insert(0.0) += 1.0;
                }
            } else if let Some(v) =
                p.regex.captures(line).and_then(|c| c.name("value")).and_then(|m| m.as_str().parse().ok())
            {
                self.metrics.insert(p.name.clone(), v);
            }
        }
    }

    pub fn current_phase(&self) -> Option<Phase> {
        self.phases.last().map(|p| p.phase)
    }

    /// Seconds since the build started (its whole duration once it ended).
    pub fn elapsed(&self, now: f64) -> f64 {
        match (self.started_at, self.ended_at) {
            (Some(s), Some(e)) => (e - s).max(0.0),
            (Some(s), None) => (now - s).max(0.0),
            _ => 0.0,
        }
    }

    pub fn verdict(&self, expect: Expect) -> Verdict {
        match (self.status, self.current_phase()) {
            (Some(status), _) => Verdict::of(status, expect),
            (None, None) if self.started_at.is_none() => Verdict::NotStarted,
            (None, Some(p)) if p.is_waiting() => Verdict::Queued,
            (None, None) => Verdict::Queued,
            (None, Some(_)) => Verdict::Running,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builds::catalog::Pattern;

    fn log(lines: &[&str]) -> BuildEvent {
        BuildEvent::Log { lines: lines.iter().map(|s| s.to_string()).collect() }
    }

    fn phase(p: Phase) -> BuildEvent {
        BuildEvent::Phase { phase: p }
    }

    #[test]
    fn phases_advance_close_the_previous_one_and_never_go_back() {
        let mut run = BuildRun::default();
        assert_eq!(run.verdict(Expect::Succeed), Verdict::NotStarted);
        run.apply(0.0, &BuildEvent::Started { build_id: Some("p:1".into()) }, &[]);
        run.apply(0.0, &phase(Phase::Submitted), &[]);
        run.apply(2.0, &phase(Phase::Queued), &[]);
        assert_eq!(run.verdict(Expect::Succeed), Verdict::Queued);
        run.apply(5.0, &phase(Phase::Provisioning), &[]);
        run.apply(6.0, &phase(Phase::Queued), &[]);
        assert_eq!(run.current_phase(), Some(Phase::Provisioning));
        assert_eq!(run.verdict(Expect::Succeed), Verdict::Running);
        assert_eq!(run.phases[1].end, Some(5.0));
        assert_eq!(run.elapsed(9.0), 9.0);
        run.apply(20.0, &phase(Phase::Completed), &[]);
        run.apply(20.0, &BuildEvent::Status { status: BuildStatus::Failed }, &[]);
        assert_eq!(run.verdict(Expect::Fail), Verdict::FailedAsExpected);
        assert_eq!(run.elapsed(100.0), 20.0);
        assert_eq!(run.build_id.as_deref(), Some("p:1"));
    }

    #[test]
    fn reads_metrics_and_timings_from_log_lines() {
        let patterns = vec![
            MetricPattern {
                name: "ML training".into(),
                unit: "s".into(),
                regex: Pattern::new(r"name=training_seconds value=(?P<value>[0-9.]+)").unwrap(),
                count: false,
            },
            MetricPattern {
                name: "packages ok".into(),
                unit: "".into(),
                regex: Pattern::new(r"^ok\s").unwrap(),
                count: true,
            },
        ];
        let mut run = BuildRun::default();
        run.apply(
            1.0,
            &log(&[
                "#9 41.27 ARM64_DEMO_METRIC name=training_seconds value=58.14154 unit=s",
                "ok  \tgithub.com/segmentio/parquet-go\t12.1s",
                "ok  \tgithub.com/segmentio/parquet-go/bloom\t0.3s",
                "ARM64_DEMO_TIMING step=docker_build seconds=401.250 platform=amd64",
            ]),
            &patterns,
        );
        assert_eq!(run.metrics["ML training"], 58.14154);
        assert_eq!(run.metrics["packages ok"], 2.0);
        assert_eq!(run.metrics["timing.docker_build"], 401.25);
        assert_eq!(run.log.len(), 4);
    }

    #[test]
    fn stale_keeps_its_first_time_until_resumed() {
        let mut run = BuildRun::default();
        run.apply(10.0, &BuildEvent::Stale { reason: "throttled".into() }, &[]);
        run.apply(12.0, &BuildEvent::Stale { reason: "connection reset".into() }, &[]);
        assert_eq!(run.stale, Some((10.0, "connection reset".into())));
        run.apply(15.0, &BuildEvent::Resumed, &[]);
        assert_eq!(run.stale, None);
    }
}
