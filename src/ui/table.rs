//! Tables with box borders, column alignment, and cells wrapped when the column is narrow.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::text::pieces;
use super::theme::Theme;
use super::wrap::{line_width, wrap};
use crate::deck::block::{Align, Run, Table, plain};

/// A table as lines, fitted to `width`.
pub fn layout(table: &Table, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    let cols = table.align.len().max(table.header.len()).max(1);
    let cell = |row: &[Vec<Run>], c: usize| row.get(c).map(|r| plain(r).width()).unwrap_or(0);
    let natural: Vec<usize> = (0..cols)
        .map(|c| table.rows.iter().map(|r| cell(r, c)).chain([cell(&table.header, c)]).max().unwrap_or(0).max(1))
        .collect();
    // Borders take cols + 1 cells, padding two per column.
    let available = usize::from(width).saturating_sub(cols + 1 + 2 * cols).max(cols);
    let widths = fit(&natural, available);

    let border = theme.fg(theme.border);
    let head_style = theme.fg(theme.heading).add_modifier(Modifier::BOLD);
    let rule = |l: &str, m: &str, r: &str| {
        let inner: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        Line::from(Span::styled(format!("{l}{}{r}", inner.join(m)), border))
    };
    let mut out = vec![rule("┌", "┬", "┐")];
    out.extend(row_lines(&table.header, &widths, &table.align, head_style, theme));
    out.push(rule("├", "┼", "┤"));
    for row in &table.rows {
        out.extend(row_lines(row, &widths, &table.align, theme.base(), theme));
    }
    out.push(rule("└", "┴", "┘"));
    out
}

/// Column widths within `available`: narrow columns keep their width, wide ones share the rest.
fn fit(natural: &[usize], available: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= available {
        return natural.to_vec();
    }
    let mut widths = vec![0; natural.len()];
    let mut open: Vec<usize> = (0..natural.len()).collect();
    let mut left = available;
    loop {
        let share = (left / open.len().max(1)).max(1);
        let (fits, wide): (Vec<usize>, Vec<usize>) = open.iter().partition(|&&c| natural[c] <= share);
        if fits.is_empty() {
            for (i, &c) in wide.iter().enumerate() {
                widths[c] = share + usize::from(i < left % wide.len().max(1));
            }
            return widths;
        }
        for &c in &fits {
            widths[c] = natural[c];
            left = left.saturating_sub(natural[c]);
        }
        open = wide;
        if open.is_empty() {
            return widths;
        }
    }
}

fn row_lines(
    row: &[Vec<Run>],
    widths: &[usize],
    align: &[Align],
    base: ratatui::style::Style,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let border = theme.fg(theme.border);
    let cells: Vec<Vec<Line<'static>>> = widths
        .iter()
        .enumerate()
        .map(|(c, &w)| wrap(&pieces(row.get(c).map_or(&[][..], |r| r), base, theme), w))
        .collect();
    let height = cells.iter().map(Vec::len).max().unwrap_or(1);
    (0..height)
        .map(|i| {
            let mut spans = vec![Span::styled("│", border)];
            for (c, &w) in widths.iter().enumerate() {
                let line = cells[c].get(i).cloned().unwrap_or_default();
                let room = w.saturating_sub(line_width(&line));
                let (before, after) = match align.get(c).copied().unwrap_or(Align::Left) {
                    Align::Left => (0, room),
                    Align::Right => (room, 0),
                    Align::Center => (room / 2, room - room / 2),
                };
                spans.push(Span::styled(" ".repeat(before + 1), theme.base()));
                spans.extend(line.spans);
                spans.push(Span::styled(" ".repeat(after + 1), theme.base()));
                spans.push(Span::styled("│", border));
            }
            Line::from(spans)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_keeps_narrow_columns_and_shares_the_rest() {
        assert_eq!(fit(&[3, 4], 20), vec![3, 4]);
        assert_eq!(fit(&[3, 30, 30], 23), vec![3, 10, 10]);
        assert_eq!(fit(&[50, 50], 11), vec![6, 5]);
        assert_eq!(fit(&[10, 10], 2).iter().sum::<usize>(), 2);
    }
}
