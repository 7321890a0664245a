//! The terminal: raw mode and the alternate screen on entry, restored on every exit path
//! (normal quit, error, panic, signal) by a guard and the panic hook.

use std::io::{self, Write};

use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use ratatui::{DefaultTerminal, Frame};

/// Owns the terminal while the program runs; restores it when dropped.
pub struct Tui {
    pub terminal: DefaultTerminal,
    /// The size the screen was last filled at; a new size repaints everything.
    filled: Option<ratatui::layout::Size>,
}

impl Tui {
    /// Enters raw mode and the alternate screen. Installs a panic hook that restores first.
    pub fn enter() -> io::Result<Tui> {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            tracing::error!("panic: {info}");
            previous(info);
        }));
        // try_init wraps the hook above with its own restore as well.
        let terminal = ratatui::try_init()?;
        Ok(Tui { terminal, filled: None })
    }

    /// Before a full repaint (the first frame, a new size): erases the screen in the blank
    /// style's background with one sequence and tells ratatui the cells already hold it, so the
    /// frame writes only what is not blank (about a fifth of the bytes of painting every cell).
    pub fn fill(&mut self, blank: ratatui::style::Style) -> io::Result<()> {
        let size = self.terminal.size()?;
        if self.filled == Some(size) {
            return Ok(());
        }
        let background = match blank.bg {
            Some(ratatui::style::Color::Rgb(r, g, b)) => format!("\x1b[48;2;{r};{g};{b}m"),
            Some(ratatui::style::Color::Indexed(i)) => format!("\x1b[48;5;{i}m"),
            _ => return Ok(()),
        };
        self.terminal.autoresize()?;
        let buf = self.terminal.current_buffer_mut();
        for cell in &mut buf.content {
            cell.reset();
            cell.set_style(blank);
        }
        // What was drawn into becomes the "previous" frame the next draw is compared with.
        self.terminal.swap_buffers();
        // Erase in the background colour (terminals erase with the current one), then reset,
        // as ratatui's backend assumes at the start of each draw.
        write!(self.terminal.backend_mut(), "{background}\x1b[2J\x1b[0m")?;
        self.filled = Some(size);
        Ok(())
    }

    /// Draws one frame inside a synchronized update, so the terminal shows it whole.
    pub fn draw(&mut self, blank: ratatui::style::Style, render: impl FnOnce(&mut Frame<'_>)) -> io::Result<()> {
        execute!(self.terminal.backend_mut(), BeginSynchronizedUpdate)?;
        self.fill(blank)?;
        let drawn = self.terminal.draw(render).map(|_| ());
        execute!(self.terminal.backend_mut(), EndSynchronizedUpdate)?;
        self.terminal.backend_mut().flush()?;
        drawn
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves raw mode and the alternate screen and shows the cursor. Safe to call twice.
pub fn restore() {
    // try_restore: a terminal that went away must not turn the restore into a panic.
    let _ = ratatui::try_restore();
    let _ = execute!(io::stdout(), Show);
}
