//! The replay backend: recordings played on a virtual clock. It emits the same timed build
//! events as the live backend; time is passed in, so it is deterministic under a test clock.

pub mod player;
pub mod recording;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use include_dir::{Dir, include_dir};

use crate::builds::clock::Clock;
use crate::builds::event::{BuildEvent, TimedEvent};
use crate::builds::status::BuildStatus;
use player::Player;
use recording::Recording;

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/recordings");

/// How fast replays run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Speed {
    /// The longest recording plays in about `FIT_SECONDS`.
    Fit,
    /// Recorded seconds per real second.
    Factor(f64),
}

/// Replay speeds outside this range are clamped (a clock must still move, and fit in a timer).
pub const MIN_SPEED: f64 = 0.01;
pub const MAX_SPEED: f64 = 1_000_000.0;

/// The real time the longest recording takes in `Fit` mode.
pub const FIT_SECONDS: f64 = 75.0;

/// Where recordings are read from: a deck folder's own, then the presenter's recordings of live
/// runs, then the bundled ones (the first with the scenario's name wins).
#[derive(Debug, Clone, Default)]
pub struct RecordingSource {
    pub folder: Option<PathBuf>,
    /// Live runs saved with `record` (`$XDG_DATA_HOME/arm64-demo/recordings`).
    pub recorded: Option<PathBuf>,
}

impl RecordingSource {
    fn text(&self, scenario: &str) -> Option<(String, String)> {
        let name = format!("{scenario}.jsonl");
        for dir in self.folder.iter().chain(&self.recorded) {
            if let Ok(text) = std::fs::read_to_string(dir.join(&name)) {
                return Some((dir.join(&name).display().to_string(), text));
            }
        }
        let file = BUNDLED.get_file(&name)?;
        Some((format!("recordings/{name}"), String::from_utf8_lossy(file.contents()).into_owned()))
    }

    /// Every scenario with a recording.
    pub fn scenarios(&self) -> Vec<String> {
        let mut names: Vec<String> =
            BUNDLED.files().filter_map(|f| f.path().to_str()?.strip_suffix(".jsonl").map(String::from)).collect();
        for dir in self.folder.iter().chain(&self.recorded) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                if let Some(n) = e.file_name().to_str().and_then(|n| n.strip_suffix(".jsonl")) {
                    names.push(n.to_string());
                }
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// Parses a scenario's recording.
    pub fn load(&self, scenario: &str) -> Result<Recording, String> {
        let (name, text) = self.text(scenario).ok_or_else(|| format!("no recording for scenario \"{scenario}\""))?;
        recording::parse(&name, &text).map_err(|e| e.to_string())
    }

    /// A recording's duration from its end marker alone (the last line), without parsing it all.
    fn duration(&self, scenario: &str) -> Option<f64> {
        let (_, text) = self.text(scenario)?;
        let last = text.trim_end().lines().last()?;
        serde_json::from_str::<serde_json::Value>(last).ok()?.get("t")?.as_f64()
    }
}

pub use crate::builds::event::ScenarioEvents as Update;

/// Plays the recordings of the scenarios the presenter starts.
pub struct ReplayBackend {
    source: RecordingSource,
    speed: Speed,
    /// The fit speed, worked out once (it reads every recording's end marker).
    fit: std::cell::OnceCell<f64>,
    cache: BTreeMap<String, Arc<Recording>>,
    players: BTreeMap<String, Player>,
}

impl ReplayBackend {
    pub fn new(source: RecordingSource, speed: Speed) -> Self {
        ReplayBackend {
            source,
            speed,
            fit: std::cell::OnceCell::new(),
            cache: BTreeMap::new(),
            players: BTreeMap::new(),
        }
    }

    /// Recorded seconds per real second.
    pub fn speed(&self) -> f64 {
        match self.speed {
            Speed::Factor(f) => f.clamp(MIN_SPEED, MAX_SPEED),
            Speed::Fit => *self.fit.get_or_init(|| {
                let longest =
                    self.source.scenarios().iter().filter_map(|s| self.source.duration(s)).fold(0.0, f64::max);
                (longest / FIT_SECONDS).clamp(1.0, MAX_SPEED)
            }),
        }
    }

    /// Whether replays are paused.
    pub fn paused(&self) -> bool {
        !self.players.is_empty() && !self.playing()
    }

    /// Starts (or restarts) a scenario's replay; returns its label.
    pub fn start(&mut self, scenario: &str, now: Instant) -> Result<String, String> {
        let rec = match self.cache.get(scenario) {
            Some(r) => r.clone(),
            None => {
                let r = Arc::new(self.source.load(scenario)?);
                self.cache.insert(scenario.to_string(), r.clone());
                r
            }
        };
        let label = rec.provenance.label();
        self.players.insert(scenario.to_string(), Player::new(rec, now, self.speed()));
        Ok(label)
    }

    /// Stops a replay: the builds that had not ended end as stopped, as CodeBuild's StopBuild
    /// would have them.
    pub fn stop(&mut self, scenario: &str, now: Instant) -> Option<Update> {
        let mut player = self.players.remove(scenario)?;
        let t = player.virtual_now(now);
        let mut events = player.due(now).to_vec();
        let ended: std::collections::BTreeSet<String> = player.recording().events[..]
            .iter()
            .filter(|e| e.t <= t && matches!(e.event, BuildEvent::Status { .. }))
            .map(|e| e.build.clone())
            .collect();
        let started: std::collections::BTreeSet<String> =
            player.recording().events.iter().filter(|e| e.t <= t).map(|e| e.build.clone()).collect();
        for build in started.difference(&ended) {
            events.push(TimedEvent {
                t,
                build: build.clone(),
                event: BuildEvent::Status { status: BuildStatus::Stopped },
            });
        }
        Some(Update { scenario: scenario.to_string(), clock: clock_of(&player, now, false), events })
    }

    /// Pauses every replay, or resumes them.
    pub fn toggle_pause(&mut self, now: Instant) {
        for p in self.players.values_mut() {
            p.toggle_pause(now);
        }
    }

    /// Events due by `now`, per scenario, with each scenario's clock. Finished replays are
    /// reported once more with their clock stopped, then dropped.
    pub fn poll(&mut self, now: Instant) -> Vec<Update> {
        let mut out = Vec::new();
        let mut done = Vec::new();
        for (scenario, player) in &mut self.players {
            let events = player.due(now).to_vec();
            let finished = player.finished(now);
            out.push(Update { scenario: scenario.clone(), clock: clock_of(player, now, !finished), events });
            if finished {
                done.push(scenario.clone());
            }
        }
        for s in done {
            self.players.remove(&s);
        }
        out
    }

    /// When something next changes: the next event, or the end of a replay.
    pub fn next_wake(&self, now: Instant) -> Option<Instant> {
        self.players
            .values()
            .filter(|p| !p.paused())
            .map(|p| {
                let end = p.recording().duration - p.virtual_now(now);
                let end_at =
                    now + Duration::try_from_secs_f64((end / p.speed()).max(0.0)).unwrap_or(Duration::from_secs(3600));
                p.next_due().map_or(end_at, |d| d.min(end_at))
            })
            .min()
    }

    /// Whether any replay is playing (not paused).
    pub fn playing(&self) -> bool {
        self.players.values().any(|p| !p.paused())
    }
}

fn clock_of(player: &Player, now: Instant, running: bool) -> Clock {
    Clock { at: now, t: player.virtual_now(now), speed: player.speed(), running: running && !player.paused() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_recording_parses_and_matches_the_catalog() {
        let deck = crate::deck::load(&crate::deck::DeckSource::Bundled, None).unwrap();
        let source = RecordingSource::default();
        for scenario in &deck.catalog.scenarios {
            let rec = source.load(&scenario.id).unwrap_or_else(|e| panic!("{}: {e}", scenario.id));
            assert_eq!(rec.scenario, scenario.id);
            let ids: Vec<&String> = scenario.builds.iter().map(|b| &b.id).collect();
            assert_eq!(rec.builds.keys().collect::<Vec<_>>(), {
                let mut v = ids.clone();
                v.sort();
                v
            });
            assert_eq!(source.duration(&scenario.id), Some(rec.duration));
        }
    }

    #[test]
    fn a_replay_emits_each_event_once_and_finishes() {
        let mut backend = ReplayBackend::new(RecordingSource::default(), Speed::Factor(100.0));
        let t0 = Instant::now();
        let label = backend.start("python-wheels", t0).unwrap();
        assert!(label.starts_with("REPLAY"));
        let total = backend.source.load("python-wheels").unwrap().events.len();
        let mut seen = 0;
        let mut now = t0;
        let mut finished_clock = None;
        for _ in 0..10_000 {
            for u in backend.poll(now) {
                seen += u.events.len();
                if !u.clock.running {
                    finished_clock = Some(u.clock);
                }
            }
            match backend.next_wake(now) {
                Some(next) => now = next.max(now + Duration::from_millis(1)),
                None => break,
            }
        }
        assert_eq!(seen, total);
        assert!(finished_clock.is_some(), "the last update stops the clock");
        assert!(!backend.playing());
        assert_eq!(backend.next_wake(now), None, "nothing running: no wake-ups");
    }

    /// Plays a whole recording into a scenario run.
    fn played(scenario: &str) -> (crate::deck::Deck, crate::builds::scenario_run::ScenarioRun) {
        let deck = crate::deck::load(&crate::deck::DeckSource::Bundled, None).unwrap();
        let def = deck.catalog.scenario(scenario).unwrap().clone();
        let rec = RecordingSource::default().load(scenario).unwrap();
        let clock = Clock { at: Instant::now(), t: 0.0, speed: 1.0, running: false };
        let mut run = crate::builds::scenario_run::ScenarioRun::new(&def, rec.provenance.label(), clock, 100_000);
        run.apply(&def, &rec.events);
        (deck, run)
    }

    #[test]
    fn reconstructed_runs_match_the_published_figures_they_claim() {
        for scenario in ["native-build", "emulated-build"] {
            let (deck, run) = played(scenario);
            for b in &deck.catalog.scenario(scenario).unwrap().builds {
                let r = &run.builds[&b.id];
                if let Some(reference) = &b.reference {
                    assert_eq!(r.elapsed(0.0), reference.seconds, "{scenario}/{}", b.id);
                }
            }
        }
        let (deck, run) = played("xgboost-perf");
        for b in &deck.catalog.scenario("xgboost-perf").unwrap().builds {
            for m in &b.metrics {
                assert_eq!(run.builds[&b.id].metrics.get(&m.name), Some(&m.value), "{} {}", b.id, m.name);
            }
        }
    }

    #[test]
    fn every_recorded_build_ends_as_the_catalog_expects() {
        let deck = crate::deck::load(&crate::deck::DeckSource::Bundled, None).unwrap();
        for scenario in &deck.catalog.scenarios {
            let (_, run) = played(&scenario.id);
            for b in &scenario.builds {
                let r = &run.builds[&b.id];
                assert_eq!(r.phases.len(), 11, "{}/{}: all eleven phases", scenario.id, b.id);
                assert!(r.verdict(b.expect).as_expected(), "{}/{} ends {:?}", scenario.id, b.id, r.verdict(b.expect));
            }
        }
        // The failures that are the lesson carry their real-world text.
        let (_, run) = played("python-wheels");
        assert!(!run.builds["arm64-pinned"].log.find("numpy").is_empty());
        let (_, run) = played("nodejs-native-addon");
        assert!(!run.builds["arm64-no-deps"].log.find("falling back to source compile with node-gyp").is_empty());
    }

    #[test]
    fn stopping_ends_unfinished_builds_as_stopped() {
        let mut backend = ReplayBackend::new(RecordingSource::default(), Speed::Factor(1.0));
        let t0 = Instant::now();
        backend.start("native-build", t0).unwrap();
        let later = t0 + Duration::from_secs(60);
        backend.poll(later);
        let update = backend.stop("native-build", later).unwrap();
        assert!(!update.clock.running);
        let stopped: Vec<&str> = update
            .events
            .iter()
            .filter(|e| matches!(e.event, BuildEvent::Status { status: BuildStatus::Stopped }))
            .map(|e| e.build.as_str())
            .collect();
        assert_eq!(stopped, ["arm64-native", "x86-native"], "the manifest had not started");
        assert!(!backend.playing());
    }

    #[test]
    fn replay_speeds_are_kept_in_range() {
        let b = ReplayBackend::new(RecordingSource::default(), Speed::Factor(1e-300));
        assert_eq!(b.speed(), MIN_SPEED);
        let b = ReplayBackend::new(RecordingSource::default(), Speed::Fit);
        assert!((41.0..42.0).contains(&b.speed()), "51m46s in about 75 s: {}", b.speed());
    }
}
