//! What a backend reports about a build. The replay and the live backend send the same events;
//! only the mode badge tells them apart.

use serde::{Deserialize, Serialize};

use super::phase::Phase;
use super::status::BuildStatus;

/// One thing that happened to a build.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BuildEvent {
    /// The build exists (CodeBuild's id, when there is one).
    Started {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        build_id: Option<String>,
    },
    /// The build entered a phase; the previous one ended.
    Phase { phase: Phase },
    /// New log lines, in order.
    Log { lines: Vec<String> },
    /// The build ended.
    Status { status: BuildStatus },
    /// A metric the backend read itself (most metrics are read from log lines).
    Metric { name: String, value: f64 },
    /// The backend cannot reach the build right now; what is shown may be old.
    Stale { reason: String },
    /// The backend reaches the build again.
    Resumed,
}

/// An event of one build of a scenario, at a time on the scenario's clock (seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct TimedEvent {
    pub t: f64,
    pub build: String,
    pub event: BuildEvent,
}

/// Events of one scenario's builds, with the scenario's clock as the backend saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioEvents {
    pub scenario: String,
    pub clock: super::clock::Clock,
    pub events: Vec<TimedEvent>,
}
