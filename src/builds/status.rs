//! How a build ended (CodeBuild's `buildStatus`), and how the demo reads it.

use serde::{Deserialize, Serialize};

use super::catalog::Expect;

/// CodeBuild's final build status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum BuildStatus {
    Succeeded,
    Failed,
    Fault,
    TimedOut,
    Stopped,
}

impl BuildStatus {
    /// CodeBuild's name for it.
    pub fn api_name(self) -> &'static str {
        match self {
            BuildStatus::Succeeded => "SUCCEEDED",
            BuildStatus::Failed => "FAILED",
            BuildStatus::Fault => "FAULT",
            BuildStatus::TimedOut => "TIMED_OUT",
            BuildStatus::Stopped => "STOPPED",
        }
    }

    pub fn from_api_name(name: &str) -> Option<BuildStatus> {
        match name {
            "SUCCEEDED" => Some(BuildStatus::Succeeded),
            "FAILED" => Some(BuildStatus::Failed),
            "FAULT" => Some(BuildStatus::Fault),
            "TIMED_OUT" => Some(BuildStatus::TimedOut),
            "STOPPED" => Some(BuildStatus::Stopped),
            _ => None,
        }
    }
}

/// What the audience is shown for a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    NotStarted,
    Queued,
    Running,
    Succeeded,
    /// Failed, and the failure is the point of the scenario.
    FailedAsExpected,
    Failed,
    /// Expected to fail, but succeeded: worth a look.
    UnexpectedSuccess,
    Stopped,
}

impl Verdict {
    /// The verdict of a finished build against what was expected of it.
    pub fn of(status: BuildStatus, expect: Expect) -> Verdict {
        match (status, expect) {
            (BuildStatus::Succeeded, Expect::Succeed) => Verdict::Succeeded,
            (BuildStatus::Succeeded, Expect::Fail) => Verdict::UnexpectedSuccess,
            (BuildStatus::Failed, Expect::Fail) => Verdict::FailedAsExpected,
            (BuildStatus::Stopped, _) => Verdict::Stopped,
            _ => Verdict::Failed,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::NotStarted => "not started",
            Verdict::Queued => "queued",
            Verdict::Running => "running",
            Verdict::Succeeded => "succeeded",
            Verdict::FailedAsExpected => "failed as expected",
            Verdict::Failed => "failed",
            Verdict::UnexpectedSuccess => "succeeded (expected to fail)",
            Verdict::Stopped => "stopped",
        }
    }

    /// Whether the build ended as the scenario expects.
    pub fn as_expected(self) -> bool {
        matches!(self, Verdict::Succeeded | Verdict::FailedAsExpected)
    }

    pub fn is_final(self) -> bool {
        !matches!(self, Verdict::NotStarted | Verdict::Queued | Verdict::Running)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_failures_are_not_errors() {
        assert_eq!(Verdict::of(BuildStatus::Failed, Expect::Fail), Verdict::FailedAsExpected);
        assert!(Verdict::FailedAsExpected.as_expected());
        assert_eq!(Verdict::of(BuildStatus::Failed, Expect::Succeed), Verdict::Failed);
        assert_eq!(Verdict::of(BuildStatus::Fault, Expect::Fail), Verdict::Failed, "a fault is never the lesson");
        assert_eq!(Verdict::of(BuildStatus::TimedOut, Expect::Succeed), Verdict::Failed);
        assert_eq!(Verdict::of(BuildStatus::Succeeded, Expect::Fail), Verdict::UnexpectedSuccess);
        assert!(!Verdict::UnexpectedSuccess.as_expected());
        assert_eq!(BuildStatus::from_api_name("TIMED_OUT"), Some(BuildStatus::TimedOut));
    }
}
