//! A scenario's clock: the scenario time at an instant, and how fast it moves (1× live, faster
//! in a replay, stopped when paused or finished).

use std::time::Instant;

/// Scenario time `t` seconds at `at`, advancing `speed` seconds per real second while running.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Clock {
    pub at: Instant,
    pub t: f64,
    pub speed: f64,
    pub running: bool,
}

impl Clock {
    /// The scenario time at `now`.
    pub fn now(&self, now: Instant) -> f64 {
        if self.running { self.t + now.saturating_duration_since(self.at).as_secs_f64() * self.speed } else { self.t }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn runs_at_its_speed_and_stops_when_stopped() {
        let at = Instant::now();
        let c = Clock { at, t: 10.0, speed: 40.0, running: true };
        assert_eq!(c.now(at + Duration::from_millis(500)), 30.0);
        let stopped = Clock { running: false, ..c };
        assert_eq!(stopped.now(at + Duration::from_secs(9)), 10.0);
    }
}
