//! How long the poller waits between rounds: about 2 s while builds change, backing off when
//! nothing does (a queued build can wait for minutes), and at once again after a command.

use std::time::Duration;

/// The interval while something changes.
pub const FAST: Duration = Duration::from_secs(2);
/// The longest wait between polls of an active build.
pub const SLOW: Duration = Duration::from_secs(15);

/// The adaptive poll interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PollInterval {
    current: Duration,
}

impl Default for PollInterval {
    fn default() -> Self {
        PollInterval { current: FAST }
    }
}

impl PollInterval {
    pub fn current(&self) -> Duration {
        self.current
    }

    /// After a round: fast when it brought news, else half as fast again, up to [`SLOW`].
    pub fn after_round(&mut self, changed: bool) -> Duration {
        self.current = if changed { FAST } else { (self.current * 3 / 2).min(SLOW) };
        self.current
    }

    /// After a failed round: back off the same way, so a throttled API gets room.
    pub fn after_error(&mut self) -> Duration {
        self.after_round(false)
    }

    /// A command (start, stop, attach) expects news soon.
    pub fn reset(&mut self) {
        self.current = FAST;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backs_off_while_nothing_changes_and_returns_on_news() {
        let mut p = PollInterval::default();
        assert_eq!(p.current(), FAST);
        let waits: Vec<u64> = (0..8).map(|_| p.after_round(false).as_millis() as u64).collect();
        assert_eq!(waits, [3000, 4500, 6750, 10125, 15000, 15000, 15000, 15000]);
        assert_eq!(p.after_round(true), FAST);
        p.after_error();
        p.reset();
        assert_eq!(p.current(), FAST);
    }
}
