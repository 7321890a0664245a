//! Deck errors: every one names a file, a line and a column.

use std::fmt;

/// A problem in the deck, located in a file (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DeckError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl DeckError {
    pub fn new(file: impl Into<String>, line: usize, col: usize, message: impl Into<String>) -> Self {
        Self { file: file.into(), line: line.max(1), col: col.max(1), message: message.into() }
    }
}

impl fmt::Display for DeckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.col, self.message)
    }
}

/// Maps byte offsets of a text to 1-based line and column (columns count characters).
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// The 1-based (line, column) of a byte offset.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let col = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count());
        (line + 1, col + 1)
    }
}

/// Turns a toml error whose span is relative to `text` into a located deck error.
/// `first_line` is the file line on which `text` starts.
pub fn toml_error(file: &str, text: &str, first_line: usize, err: &toml::de::Error) -> DeckError {
    let (line, col) = err.span().map_or((1, 1), |span| LineIndex::new(text).position(span.start));
    DeckError::new(file, first_line + line - 1, col, err.message().trim_end().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let idx = LineIndex::new("ab\nçd\n\nx");
        assert_eq!(idx.position(0), (1, 1));
        assert_eq!(idx.position(1), (1, 2));
        assert_eq!(idx.position(3), (2, 1));
        assert_eq!(idx.position(5), (2, 2)); // after the two-byte 'ç'
        assert_eq!(idx.position(7), (3, 1));
        assert_eq!(idx.position(8), (4, 1));
        assert_eq!(idx.position(99), (4, 2));
    }

    #[test]
    fn display_is_file_line_col() {
        let e = DeckError::new("slides/a.md", 3, 7, "expected a heading");
        assert_eq!(e.to_string(), "slides/a.md:3:7: expected a heading");
    }
}
