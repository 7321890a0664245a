//! CodeBuild's view of a build (BatchGetBuilds) turned into the same build events the replay
//! sends. Pure: a poll result in, the events not yet sent out, so a re-poll never repeats one.

use aws_sdk_codebuild::types::{Build, StatusType};

use crate::builds::event::BuildEvent;
use crate::builds::phase::Phase;
use crate::builds::status::BuildStatus;

/// What was already sent for a build.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Seen {
    pub started: bool,
    pub phase: Option<Phase>,
    pub status: bool,
}

/// Seconds since the Unix epoch of a CodeBuild timestamp.
fn seconds(t: &aws_smithy_types::DateTime) -> f64 {
    t.as_secs_f64()
}

/// The events a poll adds, each with its time in seconds since `origin` (epoch seconds of the
/// scenario's start).
pub fn new_events(build: &Build, seen: &mut Seen, origin: f64) -> Vec<(f64, BuildEvent)> {
    let mut out = Vec::new();
    let start = build.start_time().map_or(origin, seconds) - origin;
    if !seen.started {
        seen.started = true;
        out.push((start.max(0.0), BuildEvent::Started { build_id: build.id().map(String::from) }));
    }
    for p in build.phases() {
        let Some(phase) = p.phase_type().and_then(|t| Phase::from_api_name(t.as_str())) else { continue };
        if seen.phase.is_some_and(|s| s >= phase) {
            continue;
        }
        let t = p.start_time().map_or(start, |s| seconds(s) - origin);
        seen.phase = Some(phase);
        out.push((t.max(0.0), BuildEvent::Phase { phase }));
    }
    // A final status ends the build even where `buildComplete` lags behind it.
    let final_status = build.build_status().and_then(status_of);
    if !seen.status && (build.build_complete() || final_status.is_some()) {
        let status = final_status.unwrap_or(BuildStatus::Fault);
        let t = build.end_time().map_or(start, |e| seconds(e) - origin);
        // CodeBuild ends with COMPLETED; say so if the poll caught the end before that phase.
        if seen.phase != Some(Phase::Completed) {
            seen.phase = Some(Phase::Completed);
            out.push((t.max(0.0), BuildEvent::Phase { phase: Phase::Completed }));
        }
        seen.status = true;
        out.push((t.max(0.0), BuildEvent::Status { status }));
    }
    out
}

/// A final CodeBuild status; `None` while in progress.
pub fn status_of(s: &StatusType) -> Option<BuildStatus> {
    BuildStatus::from_api_name(s.as_str())
}

/// The log group and stream of a build: its `logs` when present, else CodeBuild's defaults
/// (`/aws/codebuild/<project>`, stream = the build id's part after the colon).
pub fn log_location(build: &Build) -> Option<(String, String)> {
    let logs = build.logs();
    if let (Some(g), Some(s)) = (logs.and_then(|l| l.group_name()), logs.and_then(|l| l.stream_name())) {
        return Some((g.to_string(), s.to_string()));
    }
    let id = build.id()?;
    let (project, uuid) = id.split_once(':')?;
    Some((format!("/aws/codebuild/{project}"), uuid.to_string()))
}

#[cfg(test)]
mod tests {
    use aws_sdk_codebuild::types::{BuildPhase, BuildPhaseType, LogsLocation};
    use aws_smithy_types::DateTime;

    use super::*;

    fn phase(t: BuildPhaseType, at: i64) -> BuildPhase {
        BuildPhase::builder().phase_type(t).start_time(DateTime::from_secs(at)).build()
    }

    fn build(phases: Vec<BuildPhase>, complete: bool, status: StatusType) -> Build {
        Build::builder()
            .id("arm64-demo-arm64:0b1f")
            .start_time(DateTime::from_secs(1000))
            .set_phases(Some(phases))
            .build_complete(complete)
            .build_status(status)
            .end_time(DateTime::from_secs(1100))
            .build()
    }

    #[test]
    fn phases_advance_once_across_polls_and_the_end_is_reported_once() {
        let mut seen = Seen::default();
        let b = build(
            vec![phase(BuildPhaseType::Submitted, 1000), phase(BuildPhaseType::Queued, 1001)],
            false,
            StatusType::InProgress,
        );
        let ev = new_events(&b, &mut seen, 990.0);
        assert_eq!(ev.len(), 3);
        assert_eq!(ev[0], (10.0, BuildEvent::Started { build_id: Some("arm64-demo-arm64:0b1f".into()) }));
        assert_eq!(ev[2], (11.0, BuildEvent::Phase { phase: Phase::Queued }));
        // The same poll again adds nothing.
        assert!(new_events(&b, &mut seen, 990.0).is_empty());
        let b = build(
            vec![
                phase(BuildPhaseType::Submitted, 1000),
                phase(BuildPhaseType::Queued, 1001),
                phase(BuildPhaseType::Build, 1050),
            ],
            true,
            StatusType::Failed,
        );
        let ev = new_events(&b, &mut seen, 990.0);
        assert_eq!(
            ev,
            vec![
                (60.0, BuildEvent::Phase { phase: Phase::Build }),
                (110.0, BuildEvent::Phase { phase: Phase::Completed }),
                (110.0, BuildEvent::Status { status: BuildStatus::Failed }),
            ]
        );
        assert!(new_events(&b, &mut seen, 990.0).is_empty());
    }

    #[test]
    fn every_final_status_maps() {
        for (api, ours) in [
            (StatusType::Succeeded, BuildStatus::Succeeded),
            (StatusType::Failed, BuildStatus::Failed),
            (StatusType::Fault, BuildStatus::Fault),
            (StatusType::TimedOut, BuildStatus::TimedOut),
            (StatusType::Stopped, BuildStatus::Stopped),
        ] {
            assert_eq!(status_of(&api), Some(ours));
        }
        assert_eq!(status_of(&StatusType::InProgress), None);
    }

    #[test]
    fn log_location_prefers_the_builds_logs_then_codebuilds_defaults() {
        let b = build(vec![], false, StatusType::InProgress);
        assert_eq!(log_location(&b), Some(("/aws/codebuild/arm64-demo-arm64".into(), "0b1f".into())));
        let with_logs = Build::builder()
            .id("arm64-demo-arm64:0b1f")
            .logs(LogsLocation::builder().group_name("g").stream_name("s").build())
            .build();
        assert_eq!(log_location(&with_logs), Some(("g".into(), "s".into())));
    }
}
