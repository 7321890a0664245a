//! Word wrap of styled text to a width, measured in terminal cells.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Wraps styled pieces into lines of at most `width` cells. A piece `"\n"` breaks the line.
/// Words longer than the width are split; spaces at the start of a wrapped line are dropped.
pub fn wrap(pieces: &[(String, Style)], width: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut current: Vec<Span<'static>> = Vec::new();
    let mut used = 0usize;

    let push_span = |current: &mut Vec<Span<'static>>, text: &str, style: Style| match current.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push_str(text),
        _ => current.push(Span::styled(text.to_string(), style)),
    };

    for (text, style) in pieces {
        if text == "\n" {
            lines.push(Line::from(std::mem::take(&mut current)));
            used = 0;
            continue;
        }
        for token in tokens(text) {
            let w = token.width();
            let is_space = token.chars().all(char::is_whitespace);
            if is_space {
                if used > 0 && used + w <= width {
                    push_span(&mut current, token, *style);
                    used += w;
                } else if used > 0 {
                    lines.push(Line::from(std::mem::take(&mut current)));
                    used = 0;
                }
                continue;
            }
            if used + w > width && used > 0 {
                trim_trailing_space(&mut current);
                lines.push(Line::from(std::mem::take(&mut current)));
                used = 0;
            }
            if w <= width {
                push_span(&mut current, token, *style);
                used += w;
                continue;
            }
            // A word wider than the line: split it by characters.
            for ch in token.chars() {
                let cw = ch.width().unwrap_or(0);
                if used + cw > width && used > 0 {
                    lines.push(Line::from(std::mem::take(&mut current)));
                    used = 0;
                }
                let mut buf = [0u8; 4];
                push_span(&mut current, ch.encode_utf8(&mut buf), *style);
                used += cw;
            }
        }
    }
    trim_trailing_space(&mut current);
    if !current.is_empty() || lines.is_empty() {
        lines.push(Line::from(current));
    }
    lines
}

/// Splits text into alternating runs of non-space and space characters.
fn tokens(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let space = first.is_whitespace();
        let end = rest.find(|c: char| c.is_whitespace() != space).unwrap_or(rest.len());
        let (token, tail) = rest.split_at(end);
        rest = tail;
        Some(token)
    })
}

fn trim_trailing_space(spans: &mut Vec<Span<'static>>) {
    while let Some(last) = spans.last_mut() {
        let trimmed = last.content.trim_end().len();
        if trimmed == 0 {
            spans.pop();
        } else {
            last.content.to_mut().truncate(trimmed);
            break;
        }
    }
}

/// The display width of a line.
pub fn line_width(line: &Line<'_>) -> usize {
    line.spans.iter().map(|s| s.content.width()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Modifier;

    fn texts(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn wraps_on_word_boundaries() {
        let p = vec![("the quick brown fox jumps".to_string(), Style::new())];
        assert_eq!(texts(&wrap(&p, 10)), ["the quick", "brown fox", "jumps"]);
    }

    #[test]
    fn keeps_styles_across_wraps() {
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let p = vec![("plain ".to_string(), Style::new()), ("bold words".to_string(), bold)];
        let lines = wrap(&p, 11);
        assert_eq!(texts(&lines), ["plain bold", "words"]);
        assert_eq!(lines[1].spans[0].style, bold);
    }

    #[test]
    fn splits_long_words_and_wide_characters() {
        let p = vec![("abcdefghij".to_string(), Style::new())];
        assert_eq!(texts(&wrap(&p, 4)), ["abcd", "efgh", "ij"]);
        let p = vec![("日本語テキスト".to_string(), Style::new())];
        let lines = wrap(&p, 5);
        assert!(lines.iter().all(|l| line_width(l) <= 5));
        assert_eq!(texts(&lines).concat(), "日本語テキスト");
    }

    #[test]
    fn hard_breaks_and_empty_input() {
        let p =
            vec![("a".to_string(), Style::new()), ("\n".to_string(), Style::new()), ("b".to_string(), Style::new())];
        assert_eq!(texts(&wrap(&p, 10)), ["a", "b"]);
        assert_eq!(wrap(&[], 10).len(), 1);
    }

    #[test]
    fn width_one_never_loops() {
        let p = vec![("ab cd".to_string(), Style::new())];
        assert_eq!(texts(&wrap(&p, 1)), ["a", "b", "c", "d"]);
        assert_eq!(texts(&wrap(&p, 0)), ["a", "b", "c", "d"]);
    }
}
