//! A finished live run saved as a recording the replay backend plays, labelled with its date
//! and region. Log lines pass through the redactor: no credentials, no account ids.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::backend::aws::redact;
use crate::backend::replay::recording::{self, Provenance, RecordedHost, Recording};
use crate::builds::catalog::Scenario;
use crate::builds::event::{BuildEvent, TimedEvent};

/// Where recordings of live runs go: `$XDG_DATA_HOME/arm64-demo/recordings` (the replay backend
/// reads them before the bundled ones).
pub fn user_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("arm64-demo").join("recordings"))
}

/// The recording of a run: events in time order (a stable sort keeps each build's order), the
/// hosts each build ran on, and the end marker after the last event.
pub fn build(scenario: &Scenario, events: &[TimedEvent], date: &str, region: &str) -> Recording {
    let mut events: Vec<TimedEvent> = events
        .iter()
        .filter_map(|e| {
            let event = match &e.event {
                BuildEvent::Log { lines } => {
                    BuildEvent::Log { lines: lines.iter().map(|l| redact::for_recording(l)).collect() }
                }
                // Staleness was about the network of that day, not about the builds.
                BuildEvent::Stale { .. } | BuildEvent::Resumed => return None,
                other => other.clone(),
            };
            Some(TimedEvent { t: e.t.max(0.0), build: e.build.clone(), event })
        })
        .filter(|e| !matches!(&e.event, BuildEvent::Log { lines } if lines.is_empty()))
        .collect();
    events.sort_by(|a, b| a.t.total_cmp(&b.t));
    let duration = events.last().map_or(0.0, |e| e.t);
    let builds: BTreeMap<String, RecordedHost> = scenario
        .builds
        .iter()
        .map(|b| {
            (
                b.id.clone(),
                RecordedHost { project: b.project.clone(), image: b.image.clone(), compute: b.compute.clone() },
            )
        })
        .collect();
    Recording {
        scenario: scenario.id.clone(),
        provenance: Provenance::Recorded { date: date.to_string(), region: region.to_string() },
        builds,
        events,
        duration,
    }
}

/// Writes `<scenario>.jsonl` into `dir` (replacing an older one atomically); returns its path.
pub fn save(dir: &Path, rec: &Recording) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join(format!("{}.jsonl", rec.scenario));
    let tmp = dir.join(format!(".{}.jsonl.tmp", rec.scenario));
    std::fs::write(&tmp, recording::write(rec))?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builds::phase::Phase;
    use crate::builds::status::BuildStatus;
    use crate::deck::{self, DeckSource};

    #[test]
    fn a_saved_run_reads_back_in_order_redacted_and_dated() {
        let deck = deck::load(&DeckSource::Bundled, None).unwrap();
        let scenario = deck.catalog.scenario("software-running").unwrap();
        let ev = |t: f64, build: &str, event: BuildEvent| TimedEvent { t, build: build.into(), event };
        let events = vec![
            ev(0.0, "x86", BuildEvent::Started { build_id: Some("arm64-demo-x86_64:1".into()) }),
            ev(3.0, "x86", BuildEvent::Phase { phase: Phase::Build }),
            ev(0.5, "arm64", BuildEvent::Started { build_id: None }),
            ev(4.0, "x86", BuildEvent::Stale { reason: "timed out".into() }),
            ev(
                5.0,
                "x86",
                BuildEvent::Log { lines: vec!["push 123456789012.dkr.ecr.eu-west-1.amazonaws.com/x".into()] },
            ),
            ev(9.0, "x86", BuildEvent::Status { status: BuildStatus::Succeeded }),
        ];
        let rec = build(scenario, &events, "2026-11-27", "eu-west-1");
        let dir = tempfile::tempdir().unwrap();
        let path = save(dir.path(), &rec).unwrap();
        let back = recording::parse("r", &std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(back.provenance.label(), "REPLAY · recorded 2026-11-27 in eu-west-1");
        let times: Vec<f64> = back.events.iter().map(|e| e.t).collect();
        assert_eq!(times, [0.0, 0.5, 3.0, 5.0, 9.0], "sorted, and no staleness recorded");
        assert!(
            matches!(&back.events[3].event, BuildEvent::Log { lines } if lines[0].starts_with("push <account>.dkr"))
        );
        assert_eq!(back.duration, 9.0);
        assert_eq!(back.builds["arm64"].image, "aws/codebuild/amazonlinux-aarch64-standard:3.0");
    }
}
