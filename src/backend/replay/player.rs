//! Plays one recording on a virtual clock: `speed` recorded seconds per real second, pausable.
//! Time comes in as an argument, so tests step it without sleeping.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::recording::Recording;
use crate::builds::event::TimedEvent;

/// A recording being played.
#[derive(Debug, Clone)]
pub struct Player {
    recording: Arc<Recording>,
    cursor: usize,
    /// The real instant at which virtual time 0 was (moved forward by pauses).
    origin: Instant,
    speed: f64,
    paused_at: Option<Instant>,
}

impl Player {
    pub fn new(recording: Arc<Recording>, now: Instant, speed: f64) -> Player {
        Player { recording, cursor: 0, origin: now, speed: speed.max(f64::MIN_POSITIVE), paused_at: None }
    }

    pub fn recording(&self) -> &Recording {
        &self.recording
    }

    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Recorded seconds played by `now` (never past the end).
    pub fn virtual_now(&self, now: Instant) -> f64 {
        let real = self.paused_at.unwrap_or(now).saturating_duration_since(self.origin);
        (real.as_secs_f64() * self.speed).min(self.recording.duration)
    }

    /// The events that became due by `now`, each once.
    pub fn due(&mut self, now: Instant) -> &[TimedEvent] {
        let t = self.virtual_now(now);
        let start = self.cursor;
        let events = &self.recording.events;
        while self.cursor < events.len() && events[self.cursor].t <= t {
            self.cursor += 1;
        }
        &events[start..self.cursor]
    }

    /// When the next event falls due (none while paused or at the end).
    pub fn next_due(&self) -> Option<Instant> {
        if self.paused_at.is_some() {
            return None;
        }
        let next = self.recording.events.get(self.cursor)?;
        Some(self.origin + Duration::try_from_secs_f64(next.t / self.speed).unwrap_or(Duration::from_secs(3600)))
    }

    /// Whether every event was played and the end reached.
    pub fn finished(&self, now: Instant) -> bool {
        self.cursor == self.recording.events.len() && self.virtual_now(now) >= self.recording.duration
    }

    pub fn paused(&self) -> bool {
        self.paused_at.is_some()
    }

    pub fn toggle_pause(&mut self, now: Instant) {
        match self.paused_at.take() {
            Some(at) => self.origin += now.saturating_duration_since(at),
            None => self.paused_at = Some(now),
        }
    }
}

/// The speed that plays the longest recording in about `seconds` real seconds (at least 1×).
pub fn fit_speed<'a>(recordings: impl IntoIterator<Item = &'a Recording>, seconds: f64) -> f64 {
    let longest = recordings.into_iter().map(|r| r.duration).fold(0.0, f64::max);
    (longest / seconds).max(1.0)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::backend::replay::recording::Provenance;
    use crate::builds::event::BuildEvent;

    fn rec(times: &[f64], duration: f64) -> Arc<Recording> {
        Arc::new(Recording {
            scenario: "s".into(),
            provenance: Provenance::Reconstructed { note: "n".into() },
            builds: BTreeMap::new(),
            events: times.iter().map(|&t| TimedEvent { t, build: "b".into(), event: BuildEvent::Resumed }).collect(),
            duration,
        })
    }

    fn ts(events: &[TimedEvent]) -> Vec<f64> {
        events.iter().map(|e| e.t).collect()
    }

    #[test]
    fn events_arrive_at_their_virtual_times_at_1x() {
        let t0 = Instant::now();
        let at = |s: f64| t0 + Duration::from_secs_f64(s);
        let mut p = Player::new(rec(&[0.0, 1.0, 2.5, 10.0], 12.0), t0, 1.0);
        assert_eq!(ts(p.due(t0)), [0.0]);
        assert_eq!(p.next_due(), Some(at(1.0)));
        assert_eq!(ts(p.due(at(0.99))), Vec::<f64>::new());
        assert_eq!(ts(p.due(at(2.5))), [1.0, 2.5]);
        assert_eq!(ts(p.due(at(9.0))), Vec::<f64>::new());
        assert_eq!(ts(p.due(at(10.0))), [10.0]);
        assert!(!p.finished(at(11.0)));
        assert!(p.finished(at(12.0)));
        assert_eq!(p.virtual_now(at(99.0)), 12.0, "the clock stops at the end");
    }

    #[test]
    fn sixty_times_faster_compresses_real_time() {
        let t0 = Instant::now();
        let at = |s: f64| t0 + Duration::from_secs_f64(s);
        let mut p = Player::new(rec(&[0.0, 60.0, 3106.0], 3106.0), t0, 60.0);
        assert_eq!(ts(p.due(at(0.5))), [0.0]);
        assert_eq!(ts(p.due(at(1.0))), [60.0]);
        assert_eq!(p.next_due(), Some(at(3106.0 / 60.0)));
        assert_eq!(ts(p.due(at(51.77))), [3106.0]);
        assert!(p.finished(at(51.77)));
    }

    #[test]
    fn pause_stops_the_clock_and_resume_continues_from_there() {
        let t0 = Instant::now();
        let at = |s: f64| t0 + Duration::from_secs_f64(s);
        let mut p = Player::new(rec(&[0.0, 5.0], 10.0), t0, 1.0);
        p.toggle_pause(at(2.0));
        assert_eq!(p.next_due(), None);
        assert_eq!(p.virtual_now(at(100.0)), 2.0);
        assert_eq!(ts(p.due(at(100.0))), [0.0]);
        p.toggle_pause(at(100.0));
        assert_eq!(p.virtual_now(at(101.0)), 3.0);
        assert_eq!(ts(p.due(at(103.0))), [5.0]);
    }

    #[test]
    fn fit_plays_the_longest_in_the_given_time() {
        let speed = fit_speed([rec(&[], 3106.0).as_ref(), rec(&[], 427.0).as_ref()], 75.0);
        assert!((speed - 41.413).abs() < 0.01);
        assert_eq!(fit_speed([rec(&[], 30.0).as_ref()], 75.0), 1.0);
    }
}
