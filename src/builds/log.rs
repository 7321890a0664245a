//! A build's log: a bounded ring of lines. When full, the oldest lines go and are counted.

use std::collections::VecDeque;

/// Lines kept by default per build.
pub const DEFAULT_CAP: usize = 100_000;

/// A log line and whether it reads as an error.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub text: String,
    pub error: bool,
}

/// The tail of a build's log, at most `cap` lines.
#[derive(Debug, Clone, PartialEq)]
pub struct LogBuffer {
    lines: VecDeque<LogLine>,
    cap: usize,
    dropped: u64,
}

impl Default for LogBuffer {
    fn default() -> Self {
        LogBuffer::with_cap(DEFAULT_CAP)
    }
}

impl LogBuffer {
    pub fn with_cap(cap: usize) -> Self {
        LogBuffer { lines: VecDeque::with_capacity(cap.min(1024)), cap: cap.max(1), dropped: 0 }
    }

    pub fn push(&mut self, text: String) {
        if self.lines.len() == self.cap {
            self.lines.pop_front();
            self.dropped += 1;
        }
        let error = is_error(&text);
        self.lines.push_back(LogLine { text, error });
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Lines that no longer fit and were dropped, oldest first.
    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn get(&self, i: usize) -> Option<&LogLine> {
        self.lines.get(i)
    }

    /// Lines `range` of what is kept (touches only those).
    pub fn range(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = &LogLine> {
        let end = range.end.min(self.lines.len());
        self.lines.range(range.start.min(end)..end)
    }

    /// Indexes of lines containing `needle` (case-insensitive).
    pub fn find(&self, needle: &str) -> Vec<usize> {
        let needle = needle.to_lowercase();
        self.lines.iter().enumerate().filter(|(_, l)| l.text.to_lowercase().contains(&needle)).map(|(i, _)| i).collect()
    }
}

/// Error lines of the demo's tools: compilers, pip, npm, go, docker and CodeBuild itself.
fn is_error(line: &str) -> bool {
    const MARKERS: [&str; 9] = [
        "error",
        "ERROR",
        "Error",
        "FAIL",
        "failed",
        "ERR!",
        "unrecognized instruction",
        "exit status 1",
        "State: FAILED",
    ];
    MARKERS.iter().any(|m| line.contains(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_newest_lines_and_counts_the_dropped() {
        let mut log = LogBuffer::with_cap(3);
        for i in 0..5 {
            log.push(format!("line {i}"));
        }
        assert_eq!(log.len(), 3);
        assert_eq!(log.dropped(), 2);
        let kept: Vec<&str> = log.range(0..10).map(|l| l.text.as_str()).collect();
        assert_eq!(kept, ["line 2", "line 3", "line 4"]);
    }

    #[test]
    fn marks_error_lines_and_finds_text() {
        let mut log = LogBuffer::default();
        log.push("Step 3/7 : RUN pip3 install".into());
        log.push("ERROR: Command errored out with exit status 1".into());
        log.push("gyp ERR! configure error".into());
        assert_eq!(log.range(0..3).map(|l| l.error).collect::<Vec<_>>(), [false, true, true]);
        assert_eq!(log.find("pip3"), [0]);
        assert_eq!(log.find("error"), [1, 2]);
    }
}
