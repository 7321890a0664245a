//! The pipeline pane's static facts: the stages the catalog implies, source first, then one per
//! concept with its builds in order.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use crate::builds::catalog::Arch;
use crate::deck::Deck;
use crate::ui::theme::Theme;

pub fn lines(deck: &Deck, theme: &Theme) -> Vec<Line<'static>> {
    let stage = theme.fg(theme.accent).add_modifier(Modifier::BOLD);
    let mut out = vec![Line::from(vec![
        Span::styled("Source  ", stage),
        Span::styled("the demo sources as a zip in S3", theme.base()),
    ])];
    for s in &deck.catalog.scenarios {
        let mut spans = vec![Span::styled(format!("{:<8}", s.concept), stage)];
        for (i, b) in s.builds.iter().enumerate() {
            if i > 0 {
                spans.push(Span::styled(" · ", theme.fg(theme.dim)));
            }
            let color = match b.arch {
                Arch::X86_64 => theme.x86,
                Arch::Arm64 => theme.arm,
            };
            spans.push(Span::styled(b.label.clone(), theme.fg(color)));
        }
        out.push(Line::from(spans));
    }
    out
}
