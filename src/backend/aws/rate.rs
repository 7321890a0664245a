//! One rate limit for every CloudWatch Logs call the program makes: the followers of all builds
//! share it, so together they stay under the documented 10 requests per second.

use std::time::Duration;

use tokio::time::Instant;

/// CloudWatch Logs' documented GetLogEvents limit per account and region is 10/s; leave room for
/// other tools (the console, `aws logs tail`) reading the same account.
pub const LOGS_PER_SECOND: u32 = 8;

/// A spacing limiter: calls are let through at least `1/rate` apart, never in bursts.
#[derive(Debug)]
pub struct RateLimiter {
    gap: Duration,
    next: Option<Instant>,
}

impl RateLimiter {
    pub fn per_second(rate: u32) -> Self {
        RateLimiter { gap: Duration::from_secs(1) / rate.max(1), next: None }
    }

    /// Waits until the next call may go.
    pub async fn acquire(&mut self) {
        let now = Instant::now();
        let at = self.next.map_or(now, |n| n.max(now));
        self.next = Some(at + self.gap);
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn spaces_calls_to_the_rate() {
        let mut limiter = RateLimiter::per_second(10);
        let start = Instant::now();
        for _ in 0..31 {
            limiter.acquire().await;
        }
        // 31 calls at 10/s: the first at once, the last 3 s later, never sooner.
        assert_eq!(Instant::now() - start, Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_limiter_does_not_save_up_a_burst() {
        let mut limiter = RateLimiter::per_second(4);
        limiter.acquire().await;
        tokio::time::sleep(Duration::from_secs(10)).await;
        let start = Instant::now();
        limiter.acquire().await;
        limiter.acquire().await;
        assert_eq!(Instant::now() - start, Duration::from_millis(250));
    }
}
