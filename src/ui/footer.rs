//! The footer: mode badge, deck title and section, progress bar, slide n/N, timer, clock.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;
use unicode_width::UnicodeWidthStr;

use super::View;
use crate::app::timer::format_elapsed;

pub fn draw(view: &View<'_>, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let app = view.app;
    let t = view.theme;
    let bar_bg = t.color(t.panel_bg);
    let base = t.fg(t.dim).bg(bar_bg);
    let strong = t.fg(t.fg).bg(bar_bg).add_modifier(Modifier::BOLD);

    let badge =
        Span::styled(format!(" {} ", app.mode.badge()), t.fg(t.bg).bg(t.color(t.warn)).add_modifier(Modifier::BOLD));
    let slide = app.deck.slides.get(app.slide);
    let mut title = format!(" {}", app.deck.meta.title);
    if let Some(section) = slide.and_then(|s| s.section.as_ref()) {
        title.push_str(" · ");
        title.push_str(section);
    }

    // Why the mode is what it is, or the last message for the presenter, beside the badge.
    if let Some(text) = app.notice.as_ref().or(app.mode_note.as_ref()) {
        title = format!(" {text} ·{title}");
    }
    let mut right: Vec<Span<'static>> = Vec::new();
    if let Some(query) = &app.search_input {
        right.push(Span::styled(
            format!(" search /{query}_ · Enter finds · Esc cancels "),
            t.fg(t.bg).bg(t.color(t.accent)).add_modifier(Modifier::BOLD),
        ));
    }
    if !app.jump.is_empty() {
        right.push(Span::styled(
            format!(" go to {}_ ", app.jump),
            t.fg(t.bg).bg(t.color(t.accent)).add_modifier(Modifier::BOLD),
        ));
    }
    let steps = app.steps();
    if steps > 1 {
        let dots: String = (0..steps).map(|i| if i <= app.step { '●' } else { '○' }).collect();
        right.push(Span::styled(format!(" {dots}"), base));
    }
    right.push(Span::styled(format!(" {}/{} ", app.slide + 1, app.slide_count()), strong));
    let timer_style = if app.timer.running() { strong } else { base };
    let paused = if app.timer.started() && !app.timer.running() { " ⏸" } else { "" };
    right.push(Span::styled(format!(" ⏱ {}{paused} ", format_elapsed(app.timer.elapsed(view.now))), timer_style));
    right.push(Span::styled(format!(" {} ", view.clock), base));

    let width = usize::from(area.width);
    let right_w: usize = right.iter().map(|s| s.content.width()).sum();
    let left_w = badge.content.width();
    let room = width.saturating_sub(left_w + right_w);
    // The title takes what it needs up to half the room; the progress bar gets the rest.
    let title_w = title.width().min(room / 2 + room % 2).min(room);
    let title: String = truncate(&title, title_w);
    let bar_w = room.saturating_sub(title.width() + 2);
    let done = if app.slide_count() > 1 { bar_w * app.slide / (app.slide_count() - 1) } else { bar_w };

    let mut spans = vec![badge, Span::styled(title, strong), Span::styled(" ", base)];
    spans.push(Span::styled("━".repeat(done), t.fg(t.accent).bg(bar_bg)));
    spans.push(Span::styled("─".repeat(bar_w - done), t.fg(t.border).bg(bar_bg)));
    spans.push(Span::styled(" ", base));
    spans.extend(right);
    Line::from(spans).style(base).render(area, buf);
}

fn truncate(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_string();
    }
    let mut out = String::new();
    for ch in text.chars() {
        if out.width() + unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0) + 1 > width {
            break;
        }
        out.push(ch);
    }
    if width > 0 {
        out.push('…');
    }
    out
}
