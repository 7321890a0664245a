//! Recordings: versioned JSON Lines. A header (format, version, scenario, provenance, builds),
//! then one timed build event per line, then an end marker. See recordings/README.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::builds::event::{BuildEvent, TimedEvent};
use crate::deck::DeckError;

pub const FORMAT: &str = "arm64-demo-recording";
pub const VERSION: u64 = 1;

/// Where a recording comes from; shown on screen beside the replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Provenance {
    /// Built from published figures, not a run of this program.
    Reconstructed { note: String },
    /// A live run saved by `record`.
    Recorded { date: String, region: String },
}

impl Provenance {
    /// The label the panes show.
    pub fn label(&self) -> String {
        match self {
            Provenance::Reconstructed { note } if note.is_empty() => "REPLAY · reconstructed".into(),
            // The note says which figures are published and which are representative.
            Provenance::Reconstructed { note } => format!("REPLAY · {note}"),
            Provenance::Recorded { date, region } => format!("REPLAY · recorded {date} in {region}"),
        }
    }
}

/// Where one build of the recording ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordedHost {
    pub project: String,
    pub image: String,
    pub compute: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    format: String,
    version: u64,
    scenario: String,
    provenance: Provenance,
    builds: BTreeMap<String, RecordedHost>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EventLine {
    t: f64,
    build: String,
    event: BuildEvent,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndLine {
    t: f64,
    end: bool,
}

/// A parsed recording.
#[derive(Debug, Clone, PartialEq)]
pub struct Recording {
    pub scenario: String,
    pub provenance: Provenance,
    pub builds: BTreeMap<String, RecordedHost>,
    pub events: Vec<TimedEvent>,
    /// Seconds from start to end marker.
    pub duration: f64,
}

/// Parses a recording; `name` is the file name used in errors.
pub fn parse(name: &str, text: &str) -> Result<Recording, DeckError> {
    let err = |line: usize, msg: String| DeckError::new(name, line, 1, msg);
    let mut lines = text.split_inclusive('\n').enumerate().map(|(i, l)| (i + 1, l));
    let (_, first) = lines.next().ok_or_else(|| err(1, "empty recording; expected a header line".into()))?;
    let value: serde_json::Value =
        serde_json::from_str(first).map_err(|e| err(1, format!("the header is not JSON: {e}")))?;
    if value.get("format").and_then(|v| v.as_str()) != Some(FORMAT) {
        return Err(err(1, format!("not a recording; expected \"format\": \"{FORMAT}\"")));
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(VERSION) => {}
        Some(v) => return Err(err(1, format!("recording format version {v} is not supported; expected {VERSION}"))),
        None => return Err(err(1, "the header has no version; expected \"version\": 1".into())),
    }
    let header: Header = serde_json::from_value(value).map_err(|e| err(1, format!("bad header: {e}")))?;

    let mut events = Vec::new();
    let mut last_t = 0.0;
    let mut end = None;
    for (n, line) in lines {
        if end.is_some() {
            if line.trim().is_empty() {
                continue;
            }
            return Err(err(n, "a line after the end marker; expected the end of the file".into()));
        }
        if !line.ends_with('\n') {
            return Err(err(n, "the last line is cut off; the recording is truncated".into()));
        }
        if line.contains("\"end\"") {
            let e: EndLine = serde_json::from_str(line).map_err(|e| err(n, format!("bad end marker: {e}")))?;
            if !(e.t.is_finite() && e.t >= last_t) {
                return Err(err(n, format!("the end marker's time {} is before the last event at {last_t}", e.t)));
            }
            end = Some(e.t);
            continue;
        }
        let e: EventLine = serde_json::from_str(line).map_err(|e| err(n, format!("bad event line: {e}")))?;
        if !header.builds.contains_key(&e.build) {
            return Err(err(n, format!("event for build \"{}\", which the header does not list", e.build)));
        }
        if !(e.t.is_finite() && e.t >= last_t) {
            return Err(err(n, format!("time {} goes backwards; expected times in order", e.t)));
        }
        last_t = e.t;
        events.push(TimedEvent { t: e.t, build: e.build, event: e.event });
    }
    let duration = end.ok_or_else(|| {
        err(
            text.lines().count().max(1),
            "no end marker: the recording is truncated; expected {\"t\":…,\"end\":true}".into(),
        )
    })?;
    Ok(Recording { scenario: header.scenario, provenance: header.provenance, builds: header.builds, events, duration })
}

/// Writes a recording in the format `parse` reads.
pub fn write(rec: &Recording) -> String {
    let header = Header {
        format: FORMAT.into(),
        version: VERSION,
        scenario: rec.scenario.clone(),
        provenance: rec.provenance.clone(),
        builds: rec.builds.clone(),
    };
    let mut out = serde_json::to_string(&header).unwrap_or_default();
    out.push('\n');
    for e in &rec.events {
        let line = EventLine { t: e.t, build: e.build.clone(), event: e.event.clone() };
        out.push_str(&serde_json::to_string(&line).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&serde_json::to_string(&EndLine { t: rec.duration, end: true }).unwrap_or_default());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builds::phase::Phase;
    use crate::builds::status::BuildStatus;

    fn sample() -> Recording {
        let host = RecordedHost { project: "p".into(), image: "i".into(), compute: "c".into() };
        Recording {
            scenario: "s".into(),
            provenance: Provenance::Recorded { date: "2026-11-20".into(), region: "eu-west-1".into() },
            builds: BTreeMap::from([("b".to_string(), host)]),
            events: vec![
                TimedEvent { t: 0.0, build: "b".into(), event: BuildEvent::Phase { phase: Phase::Submitted } },
                TimedEvent { t: 1.5, build: "b".into(), event: BuildEvent::Log { lines: vec!["hello \"x\"".into()] } },
                TimedEvent { t: 9.0, build: "b".into(), event: BuildEvent::Status { status: BuildStatus::Succeeded } },
            ],
            duration: 9.0,
        }
    }

    #[test]
    fn round_trips() {
        let rec = sample();
        let text = write(&rec);
        assert_eq!(parse("r.jsonl", &text).unwrap(), rec);
        assert_eq!(rec.provenance.label(), "REPLAY · recorded 2026-11-20 in eu-west-1");
    }

    fn error_of(text: &str) -> String {
        parse("r.jsonl", text).unwrap_err().to_string()
    }

    #[test]
    fn rejects_unknown_versions_truncation_and_bad_lines_with_their_line() {
        let good = write(&sample());
        let v2 = good.replacen("\"version\":1", "\"version\":2", 1);
        assert_eq!(error_of(&v2), "r.jsonl:1:1: recording format version 2 is not supported; expected 1");
        let mut lines: Vec<&str> = good.lines().collect();
        lines.pop();
        let truncated = lines.join("\n") + "\n";
        assert!(error_of(&truncated).starts_with("r.jsonl:4:1: no end marker"), "{}", error_of(&truncated));
        let cut = &good[..good.len() - 5];
        assert!(error_of(cut).starts_with("r.jsonl:5:1: the last line is cut off"), "{}", error_of(cut));
        let bad = good.replacen("\"type\":\"log\"", "\"type\":\"lgo\"", 1);
        assert!(error_of(&bad).starts_with("r.jsonl:3:1: bad event line"), "{}", error_of(&bad));
        let backwards = good.replacen("\"t\":9.0,\"build\"", "\"t\":1.0,\"build\"", 1);
        assert!(error_of(&backwards).starts_with("r.jsonl:4:1: time 1 goes backwards"), "{}", error_of(&backwards));
        let stranger = good.replacen("\"build\":\"b\"", "\"build\":\"zz\"", 1);
        assert!(error_of(&stranger).contains("build \"zz\", which the header does not list"));
        assert!(error_of("").contains("empty recording"));
        let early_end = good.replacen("{\"t\":9.0,\"end\"", "{\"t\":2.0,\"end\"", 1);
        assert!(error_of(&early_end).contains("before the last event"), "{}", error_of(&early_end));
        assert!(error_of("{\"format\":\"other\"}\n").contains("not a recording"));
    }
}
