//! Follows one CloudWatch Logs stream with GetLogEvents and its forward token: every event once,
//! in order, however the pages fall. A page may be empty; the stream is read to its current end
//! when the token CloudWatch returns is the one that was sent.

use aws_sdk_cloudwatchlogs::Client;
use aws_sdk_cloudwatchlogs::error::SdkError;
use aws_sdk_cloudwatchlogs::operation::get_log_events::GetLogEventsError;

/// Where a follower is in a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct LogFollower {
    pub group: String,
    pub stream: String,
    token: Option<String>,
    /// Events per page (CloudWatch's default when `None`).
    limit: Option<i32>,
}

/// One call's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub lines: Vec<String>,
    /// Each line's CloudWatch timestamp, seconds since the Unix epoch.
    pub times: Vec<Option<f64>>,
    /// The stream has nothing newer right now.
    pub at_end: bool,
}

impl LogFollower {
    pub fn new(group: impl Into<String>, stream: impl Into<String>) -> Self {
        LogFollower { group: group.into(), stream: stream.into(), token: None, limit: None }
    }

    /// Smaller pages (for tests that cross many page boundaries).
    pub fn with_limit(mut self, limit: i32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Reads the next page. On an error the position is kept, so a retry loses nothing and
    /// repeats nothing.
    pub async fn poll(&mut self, client: &Client) -> Result<Page, SdkError<GetLogEventsError>> {
        let mut req = client
            .get_log_events()
            .log_group_name(&self.group)
            .log_stream_name(&self.stream)
            .start_from_head(true)
            .set_limit(self.limit);
        if let Some(t) = &self.token {
            req = req.next_token(t);
        }
        let out = req.send().await?;
        let (times, lines): (Vec<Option<f64>>, Vec<String>) = out
            .events()
            .iter()
            .filter_map(|e| {
                let text = crate::backend::aws::redact::line(e.message()?.trim_end_matches('\n'));
                Some((e.timestamp().map(|ms| ms as f64 / 1000.0), text))
            })
            .unzip();
        let next = out.next_forward_token().map(String::from);
        let at_end = next.is_none() || next == self.token;
        if next.is_some() {
            self.token = next;
        }
        Ok(Page { lines, times, at_end })
    }
}

/// Whether the error is the stream or group not existing yet (CodeBuild creates the stream
/// when the build reaches PROVISIONING).
pub fn not_there_yet(e: &SdkError<GetLogEventsError>) -> bool {
    matches!(e, SdkError::ServiceError(s) if s.err().is_resource_not_found_exception())
}
