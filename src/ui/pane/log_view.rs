//! The log of one build: the lines that fit, following the newest ones or where the presenter
//! scrolled. Only the visible lines are touched, however long the log.

use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::live::{Entry, Live, log_line};
use crate::builds::catalog::format_duration;
use crate::ui::theme::Theme;

/// The header (build, phase timeline) and `height` rows of log for the pane's shown build.
pub fn lines(entry: &Entry<'_>, live: &Live<'_>, theme: &Theme, width: u16, height: usize) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let Some(run) = entry.run else { return out };
    let clock = entry.clock_now(live.now);
    // The phase timeline: each phase with its duration, the current one highlighted; when it
    // does not fit, the newest phases are kept.
    let mut parts: Vec<Span<'static>> = Vec::new();
    for p in &run.phases {
        let current = p.end.is_none() && run.status.is_none();
        let style = if current { theme.fg(theme.accent).add_modifier(Modifier::BOLD) } else { theme.fg(theme.dim) };
        let text = if p.phase == crate::builds::phase::Phase::Completed {
            p.phase.short().to_string()
        } else {
            format!("{} {}", p.phase.short(), format_duration(p.duration(clock)))
        };
        parts.push(Span::styled(text, style));
    }
    let title = Span::styled(format!("{} ", entry.def.label), theme.fg(theme.heading).add_modifier(Modifier::BOLD));
    let room = usize::from(width).saturating_sub(title.content.width() + 2);
    let mut kept: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for part in parts.into_iter().rev() {
        let w = part.content.width() + 3;
        if used + w > room && !kept.is_empty() {
            kept.push(Span::styled("… ", theme.fg(theme.border)));
            break;
        }
        used += w;
        kept.push(part);
    }
    kept.reverse();
    let mut spans = vec![title];
    for (i, part) in kept.into_iter().enumerate() {
        if i > 0
            && !part.content.starts_with('…')
            && !spans.last().is_some_and(|s: &Span<'_>| s.content.starts_with('…'))
        {
            spans.push(Span::styled(" › ", theme.fg(theme.border)));
        }
        spans.push(part);
    }
    out.push(Line::from(spans));
    let log = &run.log;
    let rows = height.saturating_sub(out.len() + 1);
    let following = !live.view.unfollowed;
    // While not following, `scroll` is the last line shown.
    let bottom = if following { log.len() } else { (live.view.scroll.unwrap_or(0) + 1).min(log.len()) };
    let top = bottom.saturating_sub(rows);
    let mut status = format!(" log · {}–{} of {}", (top + 1).min(log.len()), (top + rows).min(log.len()), log.len());
    if log.dropped() > 0 {
        status.push_str(&format!(" · {} older lines dropped", log.dropped()));
    }
    status.push_str(if following { " · following" } else { " · f follows" });
    if let Some(q) = &live.view.search {
        status.push_str(&format!(" · /{q} (n/N)"));
    }
    if let Some((since, reason)) = &run.stale {
        status.push_str(&format!(" · stale since {} ({reason})", format_duration(*since)));
    }
    out.push(Line::from(Span::styled(status, theme.fg(theme.dim).add_modifier(Modifier::ITALIC))));
    out.extend(log.range(top..top + rows).map(|l| log_line(l, live.view.search.as_deref(), theme)));
    out
}
