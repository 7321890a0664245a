//! Fenced code: the highlighted spans on a background box, long lines wrapped with a marker.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;
use crate::deck::block::CodeBlock;

const CONTINUATION: &str = "↪ ";

/// A code block as lines: a header row naming the language, the code, a bottom padding row.
pub fn layout(block: &CodeBlock, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let width = usize::from(width).max(4);
    let bg = theme.color(block.background.unwrap_or(theme.code_bg));
    let longest = block.lines.iter().map(|l| l.iter().map(|s| s.text.width()).sum::<usize>()).max().unwrap_or(0);
    let label = if block.lang.is_empty() { String::new() } else { format!(" {} ", block.lang) };
    // One column of padding each side; the box is as wide as the code, within the column.
    let box_width = (longest + 2).max(label.width() + 2).min(width);
    let inner = box_width.saturating_sub(2).max(1);
    let pad = Style::new().bg(bg);

    let mut out = Vec::with_capacity(block.lines.len() + 2);
    let label_style = Style::new().bg(bg).fg(theme.color(theme.dim)).add_modifier(Modifier::ITALIC);
    let label_fill = box_width.saturating_sub(label.width());
    out.push(Line::from(vec![Span::styled(" ".repeat(label_fill), pad), Span::styled(label, label_style)]));
    let marker = Span::styled(CONTINUATION, Style::new().bg(bg).fg(theme.color(theme.dim)));
    for spans in &block.lines {
        let mut rows: Vec<Vec<Span<'static>>> = vec![Vec::new()];
        let mut used = 0;
        for span in spans {
            let mut style = Style::new().bg(bg).fg(theme.color(span.fg));
            if span.bold {
                style = style.add_modifier(Modifier::BOLD);
            }
            if span.italic {
                style = style.add_modifier(Modifier::ITALIC);
            }
            for ch in span.text.chars() {
                let cw = ch.width().unwrap_or(0);
                if used + cw > inner && used > 0 {
                    rows.push(vec![marker.clone()]);
                    used = CONTINUATION.width();
                }
                if let Some(row) = rows.last_mut() {
                    match row.last_mut() {
                        Some(last) if last.style == style => last.content.to_mut().push(ch),
                        _ => row.push(Span::styled(ch.to_string(), style)),
                    }
                }
                used += cw;
            }
        }
        for mut row in rows {
            let used: usize = row.iter().map(|s| s.content.width()).sum();
            row.insert(0, Span::styled(" ", pad));
            row.push(Span::styled(" ".repeat(box_width.saturating_sub(used + 1)), pad));
            out.push(Line::from(row));
        }
    }
    out.push(Line::from(Span::styled(" ".repeat(box_width), pad)));
    out
}
