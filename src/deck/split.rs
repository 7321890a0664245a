//! Splits a slide file into its front matter and its slides, keeping line numbers.

use serde::Deserialize;

use super::DeckError;
use super::error::toml_error;

/// Per-file settings from the `+++` TOML front matter.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Shown in the footer for every slide of the file.
    pub section: Option<String>,
    /// Centre the content vertically (title and closing slides).
    #[serde(default)]
    pub center: bool,
}

/// The markdown of one slide and the file line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk<'a> {
    pub first_line: usize,
    pub text: &'a str,
}

/// A split file.
#[derive(Debug)]
pub struct SplitFile<'a> {
    pub front: FrontMatter,
    pub chunks: Vec<Chunk<'a>>,
}

const FRONT_FENCE: &str = "+++";

/// Splits `text` on `---` lines that have a blank line on each side and sit outside code fences.
pub fn split<'a>(file: &str, text: &'a str) -> Result<SplitFile<'a>, DeckError> {
    let lines: Vec<(usize, &str)> = line_offsets(text);
    let mut body_start = 0; // index into `lines`
    let mut front = FrontMatter::default();
    if lines.first().is_some_and(|(_, l)| l.trim_end() == FRONT_FENCE) {
        let close =
            lines.iter().skip(1).position(|(_, l)| l.trim_end() == FRONT_FENCE).map(|i| i + 1).ok_or_else(|| {
                DeckError::new(file, 1, 1, "front matter opened with +++ is never closed; expected a closing +++ line")
            })?;
        let from = lines[1].0.min(text.len());
        let to = lines[close].0;
        let body = &text[from..to];
        front = toml::from_str(body).map_err(|e| toml_error(file, body, 2, &e))?;
        body_start = close + 1;
    }

    let mut chunks = Vec::new();
    let mut chunk_start = body_start;
    let mut fence: Option<Fence> = None;
    for i in body_start..lines.len() {
        let line = lines[i].1;
        if let Some(open) = &fence {
            if open.is_closed_by(line) {
                fence = None;
            }
            continue;
        }
        if let Some(f) = Fence::opening(line, i + 1) {
            fence = Some(f);
            continue;
        }
        let blank = |j: Option<usize>| j.and_then(|j| lines.get(j)).is_some_and(|(_, l)| l.trim().is_empty());
        if line.trim_end() == "---" && blank(i.checked_sub(1)) && blank(Some(i + 1)) {
            push_chunk(&mut chunks, text, &lines, chunk_start, i);
            chunk_start = i + 1;
        }
    }
    if let Some(open) = fence {
        return Err(DeckError::new(
            file,
            open.line,
            open.col,
            format!("code fence opened here is never closed; expected a closing {} line", open.marker()),
        ));
    }
    push_chunk(&mut chunks, text, &lines, chunk_start, lines.len());
    Ok(SplitFile { front, chunks })
}

fn push_chunk<'a>(chunks: &mut Vec<Chunk<'a>>, text: &'a str, lines: &[(usize, &str)], from: usize, to: usize) {
    let start = lines.get(from).map_or(text.len(), |(o, _)| *o);
    let end = lines.get(to).map_or(text.len(), |(o, _)| *o);
    let chunk = &text[start..end];
    if !chunk.trim().is_empty() {
        chunks.push(Chunk { first_line: from + 1, text: chunk });
    }
}

/// (byte offset, line without its terminator) for each line.
fn line_offsets(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        out.push((offset, line.trim_end_matches(['\n', '\r'])));
        offset += line.len();
    }
    out
}

/// An open code fence: ``` or ~~~, at least three.
struct Fence {
    ch: char,
    len: usize,
    line: usize,
    col: usize,
}

impl Fence {
    fn opening(line: &str, number: usize) -> Option<Fence> {
        let trimmed = line.trim_start();
        let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
        let len = trimmed.chars().take_while(|c| *c == ch).count();
        // A backtick fence's info string may not contain backticks (CommonMark 4.5).
        if len < 3 || (ch == '`' && trimmed[len..].contains('`')) {
            return None;
        }
        let col = line.len() - trimmed.len() + 1;
        Some(Fence { ch, len, line: number, col })
    }

    fn is_closed_by(&self, line: &str) -> bool {
        let trimmed = line.trim();
        trimmed.len() >= self.len && trimmed.chars().all(|c| c == self.ch)
    }

    fn marker(&self) -> String {
        self.ch.to_string().repeat(self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_separators_with_blank_lines() {
        let text = "# A\n\n---\n\n# B\ntext\n---\nstill B\n\n---\n\n# C\n";
        let s = split("f.md", text).unwrap();
        let firsts: Vec<usize> = s.chunks.iter().map(|c| c.first_line).collect();
        assert_eq!(firsts, vec![1, 4, 11]);
        assert!(s.chunks[1].text.contains("still B"));
    }

    #[test]
    fn separators_inside_fences_do_not_split() {
        let text = "# A\n\n```yaml\n\n---\n\n```\n\n---\n\n# B\n";
        let s = split("f.md", text).unwrap();
        assert_eq!(s.chunks.len(), 2);
    }

    #[test]
    fn front_matter_is_read_and_skipped() {
        let text = "+++\nsection = \"One\"\ncenter = true\n+++\n\n# A\n";
        let s = split("f.md", text).unwrap();
        assert_eq!(s.front.section.as_deref(), Some("One"));
        assert!(s.front.center);
        assert_eq!(s.chunks[0].first_line, 5);
    }

    #[test]
    fn bad_front_matter_names_its_line() {
        let err = split("f.md", "+++\nsection = \"One\"\nlayout = 3\n+++\n# A\n").unwrap_err();
        assert_eq!((err.file.as_str(), err.line, err.col), ("f.md", 3, 1));
        assert!(err.message.contains("unknown field `layout`"), "{err}");
        let err = split("f.md", "+++\nsection = \n+++\n").unwrap_err();
        assert_eq!(err.line, 2);
    }

    #[test]
    fn unclosed_front_matter() {
        let err = split("f.md", "+++\nsection = \"x\"\n# A\n").unwrap_err();
        assert_eq!((err.line, err.col), (1, 1));
    }

    #[test]
    fn unclosed_fence_names_the_opening_line() {
        let err = split("f.md", "# A\n\ntext\n\n  ```go\nfunc main() {}\n").unwrap_err();
        assert_eq!((err.line, err.col), (5, 3));
        assert!(err.message.contains("expected a closing ``` line"), "{err}");
    }

    #[test]
    fn longer_fences_need_longer_closers() {
        assert!(split("f.md", "````\n```\n````\n").is_ok());
        assert!(split("f.md", "~~~~\n~~~\n").is_err());
    }
}
