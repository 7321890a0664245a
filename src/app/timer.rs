//! The talk timer: starts on the first navigation, pauses, resets.

use std::time::{Duration, Instant};

/// Elapsed talk time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Timer {
    /// Time banked before the current run.
    banked: Duration,
    /// When the current run started, while running.
    since: Option<Instant>,
    /// Whether it has ever started since the last reset.
    started: bool,
}

impl Timer {
    /// Starts the timer if it never ran since the last reset.
    pub fn start_once(&mut self, now: Instant) {
        if !self.started {
            self.started = true;
            self.since = Some(now);
        }
    }

    /// Pauses a running timer, resumes a paused one (and starts a fresh one).
    pub fn toggle(&mut self, now: Instant) {
        match self.since.take() {
            Some(since) => self.banked += now.saturating_duration_since(since),
            None => {
                self.started = true;
                self.since = Some(now);
            }
        }
    }

    /// Back to zero, waiting for the next navigation.
    pub fn reset(&mut self) {
        *self = Timer::default();
    }

    pub fn elapsed(&self, now: Instant) -> Duration {
        self.banked + self.since.map_or(Duration::ZERO, |s| now.saturating_duration_since(s))
    }

    pub fn running(&self) -> bool {
        self.since.is_some()
    }

    pub fn started(&self) -> bool {
        self.started
    }
}

/// `mm:ss`, or `h:mm:ss` past an hour.
pub fn format_elapsed(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_once_pauses_and_resets() {
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        let mut t = Timer::default();
        assert_eq!(t.elapsed(at(5)), Duration::ZERO);
        t.start_once(at(10));
        t.start_once(at(20)); // a second navigation does not restart it
        assert_eq!(t.elapsed(at(30)), Duration::from_secs(20));
        t.toggle(at(30));
        assert!(!t.running());
        assert_eq!(t.elapsed(at(100)), Duration::from_secs(20));
        t.start_once(at(100)); // navigation does not resume a paused timer
        assert!(!t.running());
        t.toggle(at(100));
        assert_eq!(t.elapsed(at(105)), Duration::from_secs(25));
        t.reset();
        assert_eq!(t.elapsed(at(200)), Duration::ZERO);
        assert!(!t.started());
    }

    #[test]
    fn formats() {
        assert_eq!(format_elapsed(Duration::from_secs(75)), "01:15");
        assert_eq!(format_elapsed(Duration::from_secs(3725)), "1:02:05");
    }
}
