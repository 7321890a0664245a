//! CodeBuild's build phases, in the order a build passes them.

use serde::{Deserialize, Serialize};

/// A CodeBuild phase (`phaseType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Phase {
    Submitted,
    Queued,
    Provisioning,
    DownloadSource,
    Install,
    PreBuild,
    Build,
    PostBuild,
    UploadArtifacts,
    Finalizing,
    Completed,
}

impl Phase {
    /// All eleven, in order.
    pub const ALL: [Phase; 11] = [
        Phase::Submitted,
        Phase::Queued,
        Phase::Provisioning,
        Phase::DownloadSource,
        Phase::Install,
        Phase::PreBuild,
        Phase::Build,
        Phase::PostBuild,
        Phase::UploadArtifacts,
        Phase::Finalizing,
        Phase::Completed,
    ];

    /// CodeBuild's name, e.g. `PRE_BUILD`.
    pub fn api_name(self) -> &'static str {
        match self {
            Phase::Submitted => "SUBMITTED",
            Phase::Queued => "QUEUED",
            Phase::Provisioning => "PROVISIONING",
            Phase::DownloadSource => "DOWNLOAD_SOURCE",
            Phase::Install => "INSTALL",
            Phase::PreBuild => "PRE_BUILD",
            Phase::Build => "BUILD",
            Phase::PostBuild => "POST_BUILD",
            Phase::UploadArtifacts => "UPLOAD_ARTIFACTS",
            Phase::Finalizing => "FINALIZING",
            Phase::Completed => "COMPLETED",
        }
    }

    /// A short label for narrow timelines.
    pub fn short(self) -> &'static str {
        match self {
            Phase::Submitted => "submit",
            Phase::Queued => "queue",
            Phase::Provisioning => "provision",
            Phase::DownloadSource => "source",
            Phase::Install => "install",
            Phase::PreBuild => "pre-build",
            Phase::Build => "build",
            Phase::PostBuild => "post-build",
            Phase::UploadArtifacts => "artifacts",
            Phase::Finalizing => "finalize",
            Phase::Completed => "done",
        }
    }

    pub fn from_api_name(name: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.api_name() == name)
    }

    /// Whether a build in this phase is still waiting for a machine.
    pub fn is_waiting(self) -> bool {
        matches!(self, Phase::Submitted | Phase::Queued)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn order_and_names_round_trip() {
        assert!(Phase::ALL.windows(2).all(|w| w[0] < w[1]));
        for p in Phase::ALL {
            assert_eq!(Phase::from_api_name(p.api_name()), Some(p));
            assert_eq!(serde_json::to_string(&p).unwrap(), format!("\"{}\"", p.api_name()));
        }
    }
}
