//! A scenario being run: its builds' runs, the clock they are timed on, and where the data
//! comes from (the label the panes show).

use std::collections::BTreeMap;

use super::catalog::Scenario;
use super::clock::Clock;
use super::event::TimedEvent;
use super::run::BuildRun;

/// The state of a scenario's run.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioRun {
    /// E.g. "REPLAY · reconstructed from published figures".
    pub label: String,
    pub clock: Clock,
    pub builds: BTreeMap<String, BuildRun>,
    /// Why the run could not start or went wrong.
    pub error: Option<String>,
    /// The Unix time of the clock's zero, for live runs (to say "ended 10 min ago").
    pub origin: Option<f64>,
}

impl ScenarioRun {
    pub fn new(scenario: &Scenario, label: String, clock: Clock, log_cap: usize) -> Self {
        let builds = scenario.builds.iter().map(|b| (b.id.clone(), BuildRun::with_log_cap(log_cap))).collect();
        ScenarioRun { label, clock, builds, error: None, origin: None }
    }

    /// Applies events in order (events of builds the scenario does not have are ignored).
    pub fn apply(&mut self, scenario: &Scenario, events: &[TimedEvent]) {
        for e in events {
            if let Some(run) = self.builds.get_mut(&e.build) {
                run.apply(e.t, &e.event, &scenario.patterns);
            }
        }
    }

    /// Whether every build has ended.
    pub fn finished(&self) -> bool {
        self.builds.values().all(|b| b.status.is_some())
    }
}
