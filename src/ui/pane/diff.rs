//! The diff pane's static facts: the two files it compares.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

use crate::deck::pane::PaneSpec;
use crate::ui::theme::Theme;

pub fn lines(spec: &PaneSpec, theme: &Theme) -> Vec<Line<'static>> {
    let Some((left, right)) = &spec.files else {
        return Vec::new();
    };
    vec![
        Line::from(vec![
            Span::styled(
                "− before  ",
                theme.fg(theme.bad).add_modifier(Modifier::BOLD),
            ),
            Span::styled(left.clone(), theme.base()),
        ]),
        Line::from(vec![
            Span::styled(
                "+ after   ",
                theme.fg(theme.good).add_modifier(Modifier::BOLD),
            ),
            Span::styled(right.clone(), theme.base()),
        ]),
    ]
}
