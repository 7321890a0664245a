//! The diff of two demo files, computed once when the deck loads: line changes with word-level
//! emphasis (similar), each side highlighted (syntect), ready for side-by-side or unified views.

use similar::{ChangeTag, DiffOp, TextDiff};

use super::block::{CodeSpan, Rgb};
use super::config::ThemeName;
use super::highlight;

/// A piece of a diff line: highlighted text, emphasized when it is the changed part.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffSpan {
    pub text: String,
    pub fg: Rgb,
    pub bold: bool,
    pub italic: bool,
    pub emphasized: bool,
}

/// One line of one side, with its 1-based line number.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffLine {
    pub number: usize,
    pub spans: Vec<DiffSpan>,
}

impl DiffLine {
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }

    /// The emphasized (changed) words of the line.
    pub fn emphasized(&self) -> Vec<&str> {
        self.spans.iter().filter(|s| s.emphasized && !s.text.trim().is_empty()).map(|s| s.text.as_str()).collect()
    }
}

/// What a row of the diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Equal,
    Delete,
    Insert,
    /// A deleted line beside the inserted line that replaces it (side by side only).
    Replace,
}

/// A side-by-side row: the left line, the right line, or both.
#[derive(Debug, Clone, PartialEq)]
pub struct SideRow {
    pub change: Change,
    pub left: Option<DiffLine>,
    pub right: Option<DiffLine>,
}

/// A unified row: one line, marked `-`, `+` or unchanged.
#[derive(Debug, Clone, PartialEq)]
pub struct UnifiedRow {
    pub change: Change,
    pub line: DiffLine,
}

/// Two files and their differences.
#[derive(Debug, Clone, PartialEq)]
pub struct FileDiff {
    pub left_name: String,
    pub right_name: String,
    pub side_by_side: Vec<SideRow>,
    pub unified: Vec<UnifiedRow>,
    pub added: usize,
    pub removed: usize,
    /// The syntax theme's background for the code.
    pub background: Option<Rgb>,
}

impl FileDiff {
    /// A diff not computed yet: the file names, no rows.
    pub fn pending(left_name: &str, right_name: &str) -> FileDiff {
        FileDiff {
            left_name: left_name.to_string(),
            right_name: right_name.to_string(),
            side_by_side: Vec::new(),
            unified: Vec::new(),
            added: 0,
            removed: 0,
            background: None,
        }
    }

    /// The first changed row of each view, to open the pane on the change.
    pub fn first_change(&self, unified: bool) -> usize {
        self.changed_rows(unified).next().unwrap_or(0)
    }

    fn changed_rows(&self, unified: bool) -> impl Iterator<Item = usize> + '_ {
        let changes: Vec<Change> = if unified {
            self.unified.iter().map(|r| r.change).collect()
        } else {
            self.side_by_side.iter().map(|r| r.change).collect()
        };
        changes.into_iter().enumerate().filter(|(_, c)| *c != Change::Equal).map(|(i, _)| i)
    }
}

/// The language to highlight a file as, from its name.
pub fn lang_for_path(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name == "Dockerfile" || name.starts_with("Dockerfile.") || name.ends_with(".Dockerfile") {
        return "dockerfile";
    }
    name.rsplit_once('.').map_or("", |(_, ext)| ext)
}

/// Diffs two texts, both sides highlighted.
pub fn diff(left_name: &str, left: &str, right_name: &str, right: &str, theme: ThemeName) -> FileDiff {
    diff_styled(left_name, left, right_name, right, theme, false)
}

/// Diffs two texts; `plain` leaves both sides one colour (see [`highlight::plain`]).
pub fn diff_styled(
    left_name: &str,
    left: &str,
    right_name: &str,
    right: &str,
    theme: ThemeName,
    plain: bool,
) -> FileDiff {
    let left_hl = highlight::code(lang_for_path(left_name), left, theme, plain);
    let right_hl = highlight::code(lang_for_path(right_name), right, theme, plain);
    let text_diff = TextDiff::from_lines(left, right);

    let mut side_by_side = Vec::new();
    let mut unified = Vec::new();
    let (mut added, mut removed) = (0, 0);
    let line = |spans: &[Vec<CodeSpan>], index: usize, emphasis: &[(usize, usize)]| DiffLine {
        number: index + 1,
        spans: apply_emphasis(spans.get(index).map_or(&[][..], |v| v), emphasis),
    };

    for op in text_diff.ops() {
        let mut lefts: Vec<DiffLine> = Vec::new();
        let mut rights: Vec<DiffLine> = Vec::new();
        for change in text_diff.iter_inline_changes(op) {
            let emphasis = char_ranges(change.values());
            match change.tag() {
                ChangeTag::Equal => {
                    let (Some(o), Some(n)) = (change.old_index(), change.new_index()) else { continue };
                    let l = line(&left_hl.lines, o, &[]);
                    unified.push(UnifiedRow { change: Change::Equal, line: l.clone() });
                    side_by_side.push(SideRow {
                        change: Change::Equal,
                        left: Some(l),
                        right: Some(line(&right_hl.lines, n, &[])),
                    });
                }
                ChangeTag::Delete => {
                    let Some(o) = change.old_index() else { continue };
                    removed += 1;
                    let l = line(&left_hl.lines, o, &emphasis);
                    unified.push(UnifiedRow { change: Change::Delete, line: l.clone() });
                    lefts.push(l);
                }
                ChangeTag::Insert => {
                    let Some(n) = change.new_index() else { continue };
                    added += 1;
                    let r = line(&right_hl.lines, n, &emphasis);
                    unified.push(UnifiedRow { change: Change::Insert, line: r.clone() });
                    rights.push(r);
                }
            }
        }
        if !matches!(op, DiffOp::Equal { .. }) {
            let rows = lefts.len().max(rights.len());
            let mut lefts = lefts.into_iter();
            let mut rights = rights.into_iter();
            for _ in 0..rows {
                let (l, r) = (lefts.next(), rights.next());
                let change = match (&l, &r) {
                    (Some(_), Some(_)) => Change::Replace,
                    (Some(_), None) => Change::Delete,
                    _ => Change::Insert,
                };
                side_by_side.push(SideRow { change, left: l, right: r });
            }
        }
    }
    FileDiff {
        left_name: left_name.to_string(),
        right_name: right_name.to_string(),
        side_by_side,
        unified,
        added,
        removed,
        background: left_hl.background,
    }
}

/// Character ranges of the emphasized values of an inline change (line endings excluded).
fn char_ranges(values: &[(bool, &str)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = 0;
    for (emphasized, text) in values {
        let len = text.trim_end_matches(['\n', '\r']).chars().count();
        if *emphasized && len > 0 {
            out.push((at, at + len));
        }
        at += text.chars().count();
    }
    out
}

/// Splits highlighted spans where emphasis starts and ends.
fn apply_emphasis(spans: &[CodeSpan], emphasis: &[(usize, usize)]) -> Vec<DiffSpan> {
    let is_emphasized = |i: usize| emphasis.iter().any(|(a, b)| i >= *a && i < *b);
    let mut out: Vec<DiffSpan> = Vec::new();
    let mut at = 0;
    for span in spans {
        for ch in span.text.chars() {
            // Tabs were expanded to four spaces by the highlighter; the diff counted one.
            let emphasized = is_emphasized(at);
            match out.last_mut() {
                Some(last)
                    if last.emphasized == emphasized
                        && last.fg == span.fg
                        && last.bold == span.bold
                        && last.italic == span.italic =>
                {
                    last.text.push(ch)
                }
                _ => out.push(DiffSpan {
                    text: ch.to_string(),
                    fg: span.fg,
                    bold: span.bold,
                    italic: span.italic,
                    emphasized,
                }),
            }
            at += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_pairs_changes() {
        let d = diff(
            "a/Dockerfile",
            "FROM x\nRUN pip install numpy==1.18.5\nCMD run\n",
            "b/Dockerfile",
            "FROM x\nRUN pip install numpy==1.19.0\nCMD run\nUSER app\n",
            ThemeName::Dark,
        );
        assert_eq!((d.added, d.removed), (2, 1));
        let changes: Vec<Change> = d.side_by_side.iter().map(|r| r.change).collect();
        assert_eq!(changes, [Change::Equal, Change::Replace, Change::Equal, Change::Insert]);
        let unified: Vec<Change> = d.unified.iter().map(|r| r.change).collect();
        assert_eq!(unified, [Change::Equal, Change::Delete, Change::Insert, Change::Equal, Change::Insert]);
        assert_eq!(d.first_change(false), 1);
        assert_eq!(d.first_change(true), 1);
    }

    #[test]
    fn emphasis_marks_only_the_changed_words() {
        let d = diff(
            "Dockerfile",
            "RUN pip install numpy==1.18.5\n",
            "Dockerfile",
            "RUN pip install numpy==1.19.0\n",
            ThemeName::Dark,
        );
        let row = &d.side_by_side[0];
        let left = row.left.as_ref().unwrap();
        assert_eq!(left.text(), "RUN pip install numpy==1.18.5");
        let emphasized = left.emphasized().concat();
        assert!(emphasized.contains("18"), "{emphasized:?}");
        assert!(!emphasized.contains("install"), "{emphasized:?}");
    }

    #[test]
    fn languages_from_file_names() {
        assert_eq!(lang_for_path("codecommit/x/Dockerfile"), "dockerfile");
        assert_eq!(lang_for_path("buildspecs/native_build.yml"), "yml");
        assert_eq!(lang_for_path("README"), "");
    }
}
