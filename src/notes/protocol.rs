//! What the presenter sends to notes viewers: one JSON object per line, the whole state each time.

use serde::{Deserialize, Serialize};

/// The presenter's position, as a notes viewer needs it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NotesState {
    pub deck_title: String,
    /// 1-based.
    pub slide: usize,
    pub total: usize,
    pub title: String,
    pub notes: String,
    /// `None` on the last slide.
    pub next_title: Option<String>,
    pub step: usize,
    pub steps: usize,
    /// Talk time at the moment of sending.
    pub timer_ms: u64,
    pub timer_running: bool,
}

impl NotesState {
    pub fn to_line(&self) -> String {
        let mut line = serde_json::to_string(self).unwrap_or_default();
        line.push('\n');
        line
    }

    pub fn from_line(line: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_one_line() {
        let s = NotesState {
            slide: 2,
            total: 15,
            notes: "a\nb".into(),
            next_title: Some("N".into()),
            ..Default::default()
        };
        let line = s.to_line();
        assert_eq!(line.matches('\n').count(), 1);
        assert_eq!(NotesState::from_line(line.trim_end()).unwrap(), s);
    }
}
