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
        Ok(Tui { terminal })
    }

    /// Draws one frame inside a synchronized update, so the terminal shows it whole.
    pub fn draw(&mut self, render: impl FnOnce(&mut Frame<'_>)) -> io::Result<()> {
        execute!(self.terminal.backend_mut(), BeginSynchronizedUpdate)?;
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
