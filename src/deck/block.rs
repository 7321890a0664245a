//! The parsed content of a slide: blocks of styled runs, independent of the screen.

use super::pane::PaneSpec;

/// Inline emphasis of a run of text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct RunStyle {
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    pub strike: bool,
    pub link: bool,
    /// Secondary text, such as a link's address.
    pub dim: bool,
}

/// A run of text with one style. A `"\n"` run is a hard line break.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub text: String,
    pub style: RunStyle,
}

/// Column alignment of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

/// A table: header cells, body rows, and a column alignment each.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub align: Vec<Align>,
    pub header: Vec<Vec<Run>>,
    pub rows: Vec<Vec<Vec<Run>>>,
}

/// An RGB colour from the syntax theme.
pub type Rgb = (u8, u8, u8);

/// A highlighted piece of a code line.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeSpan {
    pub text: String,
    pub fg: Rgb,
    pub bold: bool,
    pub italic: bool,
}

/// A fenced code block, highlighted once when the deck loads.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeBlock {
    pub lang: String,
    pub lines: Vec<Vec<CodeSpan>>,
    /// The syntax theme's background, if it has one.
    pub background: Option<Rgb>,
}

/// A block of slide content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading {
        level: u8,
        runs: Vec<Run>,
    },
    Paragraph(Vec<Run>),
    /// `start` is the first number of an ordered list.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Table(Table),
    Code(CodeBlock),
    Pane(PaneSpec),
    Rule,
    /// `<!-- pause -->`: what follows is revealed on the next key press.
    Pause,
}

/// The plain text of runs.
pub fn plain(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}
