//! Syntax highlighting of fenced code with syntect and bat's syntax set (two-face).
//! Runs once when the deck loads; the result is plain data the renderer only reads.

use std::sync::OnceLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{FontStyle, Theme};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;
use two_face::theme::EmbeddedThemeName;

use super::block::{CodeBlock, CodeSpan, Rgb};
use super::config::ThemeName;

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

fn theme(name: ThemeName) -> &'static Theme {
    static DARK: OnceLock<Theme> = OnceLock::new();
    static LIGHT: OnceLock<Theme> = OnceLock::new();
    let (cell, embedded) = match name {
        ThemeName::Dark => (&DARK, EmbeddedThemeName::OneHalfDark),
        ThemeName::Light => (&LIGHT, EmbeddedThemeName::OneHalfLight),
    };
    cell.get_or_init(|| two_face::theme::extra().get(embedded).clone())
}

/// Whether `lang` names a syntax the highlighter knows.
pub fn knows(lang: &str) -> bool {
    lang.is_empty() || syntaxes().find_syntax_by_token(lang).is_some()
}

/// `code` as one colour, without loading the syntaxes: what the first frame shows while the
/// highlighted deck is prepared in the background.
pub fn plain(lang: &str, code: &str, theme_name: ThemeName) -> CodeBlock {
    let fg = match theme_name {
        ThemeName::Dark => (220, 220, 220),
        ThemeName::Light => (40, 40, 40),
    };
    let lines = code
        .lines()
        .map(|l| {
            vec![CodeSpan { text: clean(l), fg, bold: false, italic: false }]
                .into_iter()
                .filter(|s| !s.text.is_empty())
                .collect()
        })
        .collect();
    CodeBlock { lang: lang.to_string(), lines, background: None }
}

/// Highlighted, or plain when `plain`.
pub fn code(lang: &str, code: &str, theme_name: ThemeName, plain: bool) -> CodeBlock {
    if plain { self::plain(lang, code, theme_name) } else { highlight(lang, code, theme_name) }
}

/// Highlights `code` as `lang` (plain text when the language is unknown).
pub fn highlight(lang: &str, code: &str, theme_name: ThemeName) -> CodeBlock {
    let set = syntaxes();
    let theme = theme(theme_name);
    let syntax = set.find_syntax_by_token(lang).unwrap_or_else(|| set.find_syntax_plain_text());
    let mut hl = HighlightLines::new(syntax, theme);
    let fallback = theme.settings.foreground.map_or((220, 220, 220), rgb);
    let mut lines = Vec::new();
    for line in LinesWithEndings::from(code) {
        let spans = match hl.highlight_line(line, set) {
            Ok(ranges) => ranges
                .into_iter()
                .map(|(style, text)| CodeSpan {
                    text: clean(text),
                    fg: rgb(style.foreground),
                    bold: style.font_style.contains(FontStyle::BOLD),
                    italic: style.font_style.contains(FontStyle::ITALIC),
                })
                .filter(|s| !s.text.is_empty())
                .collect(),
            // A syntax that fails on a line degrades to plain text, never to an error.
            Err(_) => vec![CodeSpan { text: clean(line), fg: fallback, bold: false, italic: false }],
        };
        lines.push(spans);
    }
    CodeBlock { lang: lang.to_string(), lines, background: theme.settings.background.map(rgb) }
}

fn rgb(c: syntect::highlighting::Color) -> Rgb {
    (c.r, c.g, c.b)
}

/// Drops line endings and expands tabs, which the terminal would otherwise render unpredictably.
fn clean(text: &str) -> String {
    text.trim_end_matches(['\n', '\r']).replace('\t', "    ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_demo_languages() {
        for lang in [
            "dockerfile",
            "Dockerfile",
            "yaml",
            "yml",
            "go",
            "python",
            "javascript",
            "js",
            "sh",
            "bash",
            "toml",
            "rust",
            "json",
        ] {
            assert!(knows(lang), "{lang}");
        }
        assert!(!knows("no-such-language"));
    }

    #[test]
    fn keywords_get_a_different_colour_than_plain_text() {
        let block = highlight("dockerfile", "FROM public.ecr.aws/docker/library/python:3.12\n", ThemeName::Dark);
        assert_eq!(block.lines.len(), 1);
        let spans = &block.lines[0];
        assert_eq!(spans[0].text, "FROM");
        assert!(spans.len() > 1);
        assert_ne!(spans[0].fg, spans.last().unwrap().fg);
        let text: String = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(text, "FROM public.ecr.aws/docker/library/python:3.12");
    }

    #[test]
    fn unknown_language_is_plain_and_tabs_expand() {
        let block = highlight("nope", "a\tb\nc", ThemeName::Light);
        assert_eq!(block.lines.len(), 2);
        assert_eq!(block.lines[0][0].text, "a    b");
    }
}
