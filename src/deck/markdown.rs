//! One slide's markdown → blocks, speaker notes and title (pulldown-cmark events, folded once).

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::DeckError;
use super::block::{Align, Block, Run, RunStyle, Table, plain};
use super::config::ThemeName;
use super::error::LineIndex;
use super::highlight;
use super::pane;
use super::source::ProjectRoot;
use super::split::Chunk;
use crate::builds::catalog::Catalog;

/// What one slide's markdown holds.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedSlide {
    pub title: Option<String>,
    pub blocks: Vec<Block>,
    pub notes: String,
}

/// The context a slide is parsed in.
pub struct Context<'a> {
    pub file: &'a str,
    pub catalog: &'a Catalog,
    pub root: &'a ProjectRoot,
    pub theme: ThemeName,
    /// Code without syntax colours (the quick first load).
    pub plain: bool,
}

enum Frame {
    Root(Vec<Block>),
    List { start: Option<u64>, items: Vec<Vec<Block>> },
    Item(Vec<Block>),
    Quote(Vec<Block>),
}

#[derive(Clone, Copy)]
enum InlineKind {
    Heading(u8),
    Paragraph,
}

#[derive(Default)]
struct Inline {
    runs: Vec<Run>,
    kind: Option<InlineKind>,
}

#[derive(Default)]
struct TableBuilder {
    align: Vec<Align>,
    header: Vec<Vec<Run>>,
    rows: Vec<Vec<Vec<Run>>>,
    in_head: bool,
}

struct Builder<'a> {
    ctx: &'a Context<'a>,
    chunk: &'a Chunk<'a>,
    lines: LineIndex<'a>,
    frames: Vec<Frame>,
    inline: Inline,
    bold: u32,
    italic: u32,
    strike: u32,
    link: Option<(String, usize)>,
    table: Option<TableBuilder>,
    code: Option<(String, String, usize)>, // info, text, offset of the block
    html: Option<(String, usize)>,
    notes: Vec<String>,
    title: Option<String>,
}

/// Parses one slide.
pub fn parse(chunk: &Chunk<'_>, ctx: &Context<'_>) -> Result<ParsedSlide, DeckError> {
    let mut b = Builder {
        ctx,
        chunk,
        lines: LineIndex::new(chunk.text),
        frames: vec![Frame::Root(Vec::new())],
        inline: Inline::default(),
        bold: 0,
        italic: 0,
        strike: 0,
        link: None,
        table: None,
        code: None,
        html: None,
        notes: Vec::new(),
        title: None,
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for (event, range) in Parser::new_ext(chunk.text, options).into_offset_iter() {
        b.event(event, range.start)?;
    }
    b.flush_inline();
    let blocks = match b.frames.pop() {
        Some(Frame::Root(blocks)) if b.frames.is_empty() => blocks,
        _ => return Err(b.error(chunk.text.len(), "unbalanced markdown structure".into())),
    };
    Ok(ParsedSlide { title: b.title, blocks, notes: b.notes.join("\n\n") })
}

impl Builder<'_> {
    fn error(&self, offset: usize, message: String) -> DeckError {
        let (line, col) = self.lines.position(offset);
        DeckError::new(self.ctx.file, self.chunk.first_line + line - 1, col, message)
    }

    fn file_line(&self, offset: usize) -> usize {
        self.chunk.first_line + self.lines.position(offset).0 - 1
    }

    fn style(&self) -> RunStyle {
        RunStyle {
            bold: self.bold > 0,
            italic: self.italic > 0,
            strike: self.strike > 0,
            link: self.link.is_some(),
            ..RunStyle::default()
        }
    }

    fn push_text(&mut self, text: &str, style: RunStyle) {
        if self.inline.kind.is_none() && self.table.is_none() {
            self.inline.kind = Some(InlineKind::Paragraph);
        }
        match self.inline.runs.last_mut() {
            Some(last) if last.style == style && last.text != "\n" && text != "\n" => last.text.push_str(text),
            _ => self.inline.runs.push(Run { text: text.to_string(), style }),
        }
    }

    fn flush_inline(&mut self) {
        let runs = std::mem::take(&mut self.inline.runs);
        let Some(kind) = self.inline.kind.take() else {
            return;
        };
        if runs.iter().all(|r| r.text.trim().is_empty()) {
            return;
        }
        let block = match kind {
            InlineKind::Heading(level) => {
                if self.title.is_none() {
                    self.title = Some(plain(&runs).trim().to_string());
                }
                Block::Heading { level, runs }
            }
            InlineKind::Paragraph => Block::Paragraph(runs),
        };
        self.push_block(block);
    }

    fn push_block(&mut self, block: Block) {
        match self.frames.last_mut() {
            Some(Frame::Root(v) | Frame::Item(v) | Frame::Quote(v)) => v.push(block),
            Some(Frame::List { items, .. }) => items.push(vec![block]),
            None => {}
        }
    }

    fn event(&mut self, event: Event<'_>, offset: usize) -> Result<(), DeckError> {
        if let Some((_, text, _)) = &mut self.code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.end_code()?,
                _ => {}
            }
            return Ok(());
        }
        if let Some((text, _)) = &mut self.html {
            match event {
                Event::Html(t) | Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::HtmlBlock) => self.end_html()?,
                _ => {}
            }
            return Ok(());
        }
        match event {
            Event::Start(tag) => self.start(tag, offset)?,
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.push_text(&t, self.style()),
            Event::Code(t) => self.push_text(&t, RunStyle { code: true, ..self.style() }),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t, RunStyle { code: true, ..self.style() }),
            Event::SoftBreak => self.push_text(" ", self.style()),
            Event::HardBreak => self.push_text("\n", RunStyle::default()),
            Event::Rule => {
                self.flush_inline();
                self.push_block(Block::Rule);
            }
            Event::Html(t) | Event::InlineHtml(t) => self.inline_html(&t, offset)?,
            Event::FootnoteReference(t) => self.push_text(&format!("[{t}]"), self.style()),
            Event::TaskListMarker(done) => self.push_text(if done { "[x] " } else { "[ ] " }, self.style()),
        }
        Ok(())
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) -> Result<(), DeckError> {
        match tag {
            Tag::Heading { level, .. } => {
                self.flush_inline();
                self.inline.kind = Some(InlineKind::Heading(heading_level(level)));
            }
            Tag::Paragraph => {
                if self.table.is_none() {
                    self.flush_inline();
                    self.inline.kind = Some(InlineKind::Paragraph);
                }
            }
            Tag::List(start) => {
                self.flush_inline();
                self.frames.push(Frame::List { start, items: Vec::new() });
            }
            Tag::Item => self.frames.push(Frame::Item(Vec::new())),
            Tag::BlockQuote(_) => {
                self.flush_inline();
                self.frames.push(Frame::Quote(Vec::new()));
            }
            Tag::CodeBlock(kind) => {
                self.flush_inline();
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.trim().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((info, String::new(), offset));
            }
            Tag::HtmlBlock => {
                self.flush_inline();
                self.html = Some((String::new(), offset));
            }
            Tag::Table(aligns) => {
                self.flush_inline();
                let align = aligns
                    .into_iter()
                    .map(|a| match a {
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                        Alignment::Left | Alignment::None => Align::Left,
                    })
                    .collect();
                self.table = Some(TableBuilder { align, ..TableBuilder::default() });
            }
            Tag::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = true;
                }
            }
            Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.inline.runs.clear(),
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link { dest_url, .. } => self.link = Some((dest_url.to_string(), self.inline.runs.len())),
            Tag::Image { .. } => self.push_text("[image: ", RunStyle { dim: true, ..RunStyle::default() }),
            Tag::FootnoteDefinition(_)
            | Tag::MetadataBlock(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript => {}
        }
        Ok(())
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Paragraph if self.table.is_none() => self.flush_inline(),
            TagEnd::Item => {
                self.flush_inline();
                if let Some(Frame::Item(blocks)) = self.frames.pop()
                    && let Some(Frame::List { items, .. }) = self.frames.last_mut()
                {
                    items.push(blocks);
                }
            }
            TagEnd::List(_) => {
                self.flush_inline();
                if let Some(Frame::List { start, items }) = self.frames.pop() {
                    self.push_block(Block::List { start, items });
                }
            }
            TagEnd::BlockQuote(_) => {
                self.flush_inline();
                if let Some(Frame::Quote(blocks)) = self.frames.pop() {
                    self.push_block(Block::Quote(blocks));
                }
            }
            TagEnd::TableCell => {
                let runs = std::mem::take(&mut self.inline.runs);
                if let Some(t) = &mut self.table {
                    if t.in_head {
                        t.header.push(runs);
                    } else if let Some(row) = t.rows.last_mut() {
                        row.push(runs);
                    }
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.in_head = false;
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.push_block(Block::Table(Table { align: t.align, header: t.header, rows: t.rows }));
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => {
                if let Some((url, first)) = self.link.take() {
                    let text = plain(self.inline.runs.get(first..).unwrap_or_default());
                    if !url.is_empty() && bare_url(text.trim()) != bare_url(&url) {
                        self.push_text(&format!(" ({url})"), RunStyle { dim: true, ..RunStyle::default() });
                    }
                }
            }
            TagEnd::Image => self.push_text("]", RunStyle { dim: true, ..RunStyle::default() }),
            _ => {}
        }
    }

    fn end_code(&mut self) -> Result<(), DeckError> {
        let Some((info, text, offset)) = self.code.take() else {
            return Ok(());
        };
        let lang = info.split_whitespace().next().unwrap_or("").to_string();
        if lang == "pane" {
            let fence_line = self.file_line(offset);
            let ctx = pane::PaneContext {
                file: self.ctx.file,
                catalog: self.ctx.catalog,
                root: self.ctx.root,
                theme: self.ctx.theme,
                plain: self.ctx.plain,
            };
            let spec = pane::parse(&ctx, &text, fence_line + 1, fence_line)?;
            self.push_block(Block::Pane(spec));
        } else {
            if !self.ctx.plain && !highlight::knows(&lang) {
                tracing::warn!(
                    "{}:{}: no syntax for \"{lang}\"; shown as plain text",
                    self.ctx.file,
                    self.file_line(offset)
                );
            }
            let code = text.strip_suffix('\n').unwrap_or(&text);
            self.push_block(Block::Code(highlight::code(&lang, code, self.ctx.theme, self.ctx.plain)));
        }
        Ok(())
    }

    fn end_html(&mut self) -> Result<(), DeckError> {
        let Some((text, offset)) = self.html.take() else {
            return Ok(());
        };
        let trimmed = text.trim();
        match comment_body(trimmed) {
            Some(Ok(body)) => {
                if let Some(notes) = body.strip_prefix("notes:") {
                    self.notes.push(dedent(notes));
                } else if body == "pause" {
                    self.push_block(Block::Pause);
                }
                Ok(())
            }
            Some(Err(())) => Err(self.error(offset, "HTML comment is never closed; expected `-->`".into())),
            // Other raw HTML is shown as text rather than dropped.
            None => {
                self.push_block(Block::Paragraph(vec![Run { text: trimmed.to_string(), style: RunStyle::default() }]));
                Ok(())
            }
        }
    }

    fn inline_html(&mut self, html: &str, offset: usize) -> Result<(), DeckError> {
        match comment_body(html.trim()) {
            Some(Ok("pause")) => Err(self.error(
                offset,
                "`<!-- pause -->` inside a paragraph; expected it alone on a line with blank lines around it".into(),
            )),
            Some(Ok(body)) => {
                if let Some(notes) = body.strip_prefix("notes:") {
                    self.notes.push(dedent(notes));
                }
                Ok(())
            }
            Some(Err(())) => Err(self.error(offset, "HTML comment is never closed; expected `-->`".into())),
            None => {
                self.push_text(html, self.style());
                Ok(())
            }
        }
    }
}

/// `Some(Ok(body))` for a whole comment, `Some(Err)` for an unclosed one, `None` for other HTML.
fn comment_body(html: &str) -> Option<Result<&str, ()>> {
    let inner = html.strip_prefix("<!--")?;
    Some(inner.strip_suffix("-->").map(str::trim).ok_or(()))
}

/// A URL without scheme and trailing slash, to tell whether link text already shows it.
fn bare_url(url: &str) -> &str {
    let url = url.split_once("://").map_or(url, |(_, rest)| rest);
    url.trim_start_matches("mailto:").trim_end_matches('/')
}

/// Trims the notes and the common indentation of their lines.
fn dedent(text: &str) -> String {
    let lines: Vec<&str> = text.trim_matches('\n').lines().collect();
    let indent = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        out.push(if i == 0 { line.trim() } else { line.get(indent..).unwrap_or(line.trim_start()) });
    }
    out.join("\n").trim().to_string()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::pane::PaneKind;

    fn parse_md(text: &str) -> Result<ParsedSlide, DeckError> {
        let catalog = Catalog::default();
        let ctx =
            Context { file: "s.md", catalog: &catalog, root: &ProjectRoot::None, theme: ThemeName::Dark, plain: false };
        parse(&Chunk { first_line: 20, text }, &ctx)
    }

    #[test]
    fn headings_paragraphs_and_emphasis() {
        let s = parse_md("# Title *x*\n\nSome **bold** and `code` and [a link](https://aws.amazon.com).\n").unwrap();
        assert_eq!(s.title.as_deref(), Some("Title x"));
        let Block::Paragraph(runs) = &s.blocks[1] else { panic!("{:?}", s.blocks) };
        assert!(runs.iter().any(|r| r.text == "bold" && r.style.bold));
        assert!(runs.iter().any(|r| r.text == "code" && r.style.code));
        assert!(runs.iter().any(|r| r.text == "a link" && r.style.link));
        assert!(runs.iter().any(|r| r.text == " (https://aws.amazon.com)" && r.style.dim));
        let s = parse_md("# T\n\nSee [aws.amazon.com/ec2](https://aws.amazon.com/ec2/).\n").unwrap();
        let Block::Paragraph(runs) = &s.blocks[1] else { panic!() };
        assert!(!runs.iter().any(|r| r.style.dim), "a link whose text is its address is not repeated");
    }

    #[test]
    fn nested_lists_keep_their_structure() {
        let s = parse_md("# T\n\n1. one\n   - a\n   - b\n2. two\n").unwrap();
        let Block::List { start, items } = &s.blocks[1] else { panic!() };
        assert_eq!(*start, Some(1));
        assert_eq!(items.len(), 2);
        assert!(matches!(&items[0][1], Block::List { start: None, items } if items.len() == 2));
    }

    #[test]
    fn tables_keep_alignment() {
        let s = parse_md("# T\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n").unwrap();
        let Block::Table(t) = &s.blocks[1] else { panic!() };
        assert_eq!(t.align, vec![Align::Left, Align::Right]);
        assert_eq!(plain(&t.header[1]), "b");
        assert_eq!(plain(&t.rows[0][0]), "1");
    }

    #[test]
    fn notes_and_pauses() {
        let s = parse_md("# T\n\nfirst\n\n<!-- pause -->\n\nsecond\n\n<!-- notes:\n  Say this.\n  And that.\n-->\n")
            .unwrap();
        assert_eq!(s.notes, "Say this.\nAnd that.");
        assert_eq!(s.blocks.iter().filter(|b| **b == Block::Pause).count(), 1);
    }

    #[test]
    fn inline_pause_is_an_error() {
        let err = parse_md("# T\n\ntext <!-- pause --> more\n").unwrap_err();
        assert_eq!((err.line, err.col), (22, 6));
    }

    #[test]
    fn unclosed_notes_comment_is_an_error() {
        let err = parse_md("# T\n\n<!-- notes: never closed\n\ntext\n").unwrap_err();
        assert_eq!(err.line, 22);
        assert!(err.message.contains("expected `-->`"));
    }

    #[test]
    fn pane_errors_carry_file_lines() {
        let err = parse_md("# T\n\n```pane\nkind = \"build\"\nscenario = \"missing\"\n```\n").unwrap_err();
        assert_eq!((err.line, err.col), (24, 12));
        let s = parse_md("# T\n\n```pane\nkind = \"pipeline\"\n```\n").unwrap();
        assert!(matches!(&s.blocks[1], Block::Pane(p) if p.kind == PaneKind::Pipeline));
    }

    #[test]
    fn code_is_highlighted_at_parse_time() {
        let s = parse_md("# T\n\n```go\npackage main\n```\n").unwrap();
        let Block::Code(c) = &s.blocks[1] else { panic!() };
        assert_eq!(c.lang, "go");
        assert_eq!(c.lines.len(), 1);
        assert!(c.lines[0].len() > 1);
    }
}
