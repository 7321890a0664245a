//! The one key table: default bindings, overridable per command from the config file.

use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for; `update` decides what it means in the current context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    Next,
    Prev,
    First,
    Last,
    ScrollDown,
    ScrollUp,
    Overview,
    Help,
    Blank,
    Notes,
    TimerPause,
    TimerReset,
    Confirm,
    Escape,
    Quit,
    FocusNext,
    ToggleLayout,
    StartAll,
    Stop,
    PauseReplay,
    Follow,
    Zoom,
    NextBuild,
    PrevBuild,
    Search,
    Record,
}

impl Command {
    /// Every command with its config name and help text, in help order.
    pub const ALL: [(Command, &'static str, &'static str); 26] = [
        (Command::Next, "next", "next slide / reveal the next part"),
        (Command::Prev, "prev", "previous slide / part"),
        (Command::First, "first", "first slide"),
        (Command::Last, "last", "last slide"),
        (Command::ScrollDown, "scroll_down", "scroll the slide down"),
        (Command::ScrollUp, "scroll_up", "scroll the slide up"),
        (Command::Overview, "overview", "overview of all slides"),
        (Command::Help, "help", "this help"),
        (Command::Blank, "blank", "blank / unblank the screen"),
        (Command::Notes, "notes", "speaker notes strip"),
        (Command::TimerPause, "timer_pause", "pause / resume the talk timer"),
        (Command::TimerReset, "timer_reset", "reset the talk timer"),
        (Command::Confirm, "confirm", "go to the typed slide / start (replay: restart) the pane's builds"),
        (Command::Escape, "escape", "close the overlay, cancel the number"),
        (Command::FocusNext, "focus_next", "focus the next pane (its keys: ↑↓ scroll it)"),
        (Command::ToggleLayout, "toggle_layout", "diff pane: side by side / unified"),
        (Command::StartAll, "start_all", "start every scenario in the background"),
        (Command::Stop, "stop", "stop the builds of the focused (or first) pane"),
        (Command::PauseReplay, "pause_replay", "pause / resume the replays"),
        (Command::Follow, "follow", "log: follow the newest lines"),
        (Command::Zoom, "zoom", "zoom the focused pane to the full screen"),
        (Command::NextBuild, "next_build", "build pane: show the next build's log"),
        (Command::PrevBuild, "prev_build", "build pane: show the previous build's log"),
        (Command::Search, "search", "logs pane: search (then n / N)"),
        (Command::Record, "record", "live: save the focused pane's finished run as a recording"),
        (Command::Quit, "quit", "quit"),
    ];

    pub fn from_name(name: &str) -> Option<Command> {
        Self::ALL.iter().find(|(_, n, _)| *n == name).map(|(c, _, _)| *c)
    }
}

/// A key with the modifiers that matter (Ctrl, Alt).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
    pub alt: bool,
}

impl Key {
    const fn plain(code: KeyCode) -> Key {
        Key { code, ctrl: false, alt: false }
    }

    /// The key of a terminal event. Shift is part of the character ('G'), not a modifier.
    pub fn from_event(ev: &KeyEvent) -> Key {
        let code = match ev.code {
            KeyCode::BackTab => KeyCode::Tab,
            c => c,
        };
        Key { code, ctrl: ev.modifiers.contains(KeyModifiers::CONTROL), alt: ev.modifiers.contains(KeyModifiers::ALT) }
    }

    /// The digit this key types, if it is a plain digit.
    pub fn digit(self) -> Option<char> {
        match self.code {
            KeyCode::Char(c) if c.is_ascii_digit() && !self.ctrl && !self.alt => Some(c),
            _ => None,
        }
    }

    /// Parses `Right`, `Space`, `PageDown`, `x`, `Ctrl-c`, `Alt-x`, `F5`.
    pub fn parse(text: &str) -> Result<Key, String> {
        let (mut ctrl, mut alt, mut rest) = (false, false, text);
        loop {
            if let Some(r) = rest.strip_prefix("Ctrl-").or_else(|| rest.strip_prefix("ctrl-")) {
                (ctrl, rest) = (true, r);
            } else if let Some(r) = rest.strip_prefix("Alt-").or_else(|| rest.strip_prefix("alt-")) {
                (alt, rest) = (true, r);
            } else {
                break;
            }
        }
        let code = match rest {
            "Left" => KeyCode::Left,
            "Right" => KeyCode::Right,
            "Up" => KeyCode::Up,
            "Down" => KeyCode::Down,
            "PageUp" => KeyCode::PageUp,
            "PageDown" => KeyCode::PageDown,
            "Home" => KeyCode::Home,
            "End" => KeyCode::End,
            "Enter" => KeyCode::Enter,
            "Esc" => KeyCode::Esc,
            "Backspace" => KeyCode::Backspace,
            "Tab" => KeyCode::Tab,
            "Space" => KeyCode::Char(' '),
            f if f.starts_with('F') && f.len() > 1 => {
                KeyCode::F(f[1..].parse().map_err(|_| format!("unknown key \"{text}\""))?)
            }
            s if s.chars().count() == 1 => KeyCode::Char(s.chars().next().unwrap_or(' ')),
            _ => {
                return Err(format!("unknown key \"{text}\"; expected e.g. \"Right\", \"Space\", \"x\", \"Ctrl-c\""));
            }
        };
        Ok(Key { code, ctrl, alt })
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        match self.code {
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Tab => f.write_str("Tab"),
            other => write!(f, "{other:?}"),
        }
    }
}

/// Keys bound to commands.
#[derive(Debug, Clone, PartialEq)]
pub struct Keymap {
    bindings: Vec<(Key, Command)>,
}

impl Default for Keymap {
    fn default() -> Self {
        use KeyCode::*;
        let c = Char;
        let table: &[(Command, &[KeyCode])] = &[
            (Command::Next, &[Right, c(' '), PageDown, c('l'), c('n')]),
            (Command::Prev, &[Left, PageUp, Backspace, c('h'), c('p')]),
            (Command::First, &[Home, c('g')]),
            (Command::Last, &[End, c('G')]),
            (Command::ScrollDown, &[Down, c('j')]),
            (Command::ScrollUp, &[Up, c('k')]),
            (Command::Overview, &[c('o')]),
            (Command::Help, &[c('?')]),
            (Command::Blank, &[c('b'), c('.')]),
            (Command::Notes, &[c('N')]),
            (Command::TimerPause, &[c('t')]),
            (Command::TimerReset, &[c('T')]),
            (Command::Confirm, &[Enter]),
            (Command::Escape, &[Esc]),
            (Command::Quit, &[c('q')]),
            (Command::FocusNext, &[Tab]),
            (Command::ToggleLayout, &[c('d')]),
            (Command::StartAll, &[c('A')]),
            (Command::Stop, &[c('s')]),
            (Command::PauseReplay, &[c('P')]),
            (Command::Follow, &[c('f')]),
            (Command::Zoom, &[c('z')]),
            (Command::NextBuild, &[c(']')]),
            (Command::PrevBuild, &[c('[')]),
            (Command::Search, &[c('/')]),
            (Command::Record, &[c('R')]),
        ];
        let mut bindings: Vec<(Key, Command)> =
            table.iter().flat_map(|(cmd, keys)| keys.iter().map(|k| (Key::plain(*k), *cmd))).collect();
        bindings.push((Key { code: Char('c'), ctrl: true, alt: false }, Command::Quit));
        Keymap { bindings }
    }
}

impl Keymap {
    /// The command a key is bound to. Digits are not bindable: they type a slide number.
    pub fn command(&self, key: Key) -> Option<Command> {
        self.bindings.iter().find(|(k, _)| *k == key).map(|(_, c)| *c)
    }

    /// Replaces the keys of one command.
    pub fn rebind(&mut self, command: Command, keys: Vec<Key>) {
        self.bindings.retain(|(k, c)| *c != command && !keys.contains(k));
        self.bindings.extend(keys.into_iter().map(|k| (k, command)));
    }

    /// The keys of a command, for the help screen.
    pub fn keys_of(&self, command: Command) -> Vec<Key> {
        self.bindings.iter().filter(|(_, c)| *c == command).map(|(k, _)| *k).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_cover_the_presenter_keys() {
        let m = Keymap::default();
        let cmd = |s: &str| m.command(Key::parse(s).unwrap());
        for k in ["Right", "Space", "PageDown", "l", "n"] {
            assert_eq!(cmd(k), Some(Command::Next), "{k}");
        }
        for k in ["Left", "PageUp", "Backspace", "h", "p"] {
            assert_eq!(cmd(k), Some(Command::Prev), "{k}");
        }
        assert_eq!(cmd("G"), Some(Command::Last));
        assert_eq!(cmd("b"), Some(Command::Blank));
        assert_eq!(cmd("."), Some(Command::Blank));
        assert_eq!(cmd("Ctrl-c"), Some(Command::Quit));
        assert_eq!(cmd("c"), None);
        assert_eq!(cmd("5"), None);
    }

    #[test]
    fn rebinding_replaces_a_commands_keys_and_steals_the_key() {
        let mut m = Keymap::default();
        m.rebind(Command::Blank, vec![Key::parse("x").unwrap(), Key::parse("n").unwrap()]);
        assert_eq!(m.command(Key::parse("b").unwrap()), None);
        assert_eq!(m.command(Key::parse("n").unwrap()), Some(Command::Blank));
        assert_eq!(m.command(Key::parse("l").unwrap()), Some(Command::Next));
    }

    #[test]
    fn parses_and_prints_keys() {
        assert_eq!(Key::parse("Alt-Ctrl-x").unwrap(), Key { code: KeyCode::Char('x'), ctrl: true, alt: true });
        assert_eq!(Key::parse("F5").unwrap().code, KeyCode::F(5));
        assert!(Key::parse("Hyper").is_err());
        assert_eq!(Key::parse("Ctrl-c").unwrap().to_string(), "Ctrl-c");
        assert_eq!(Key::parse("Space").unwrap().to_string(), "Space");
    }

    #[test]
    fn shift_is_in_the_character() {
        let ev = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Keymap::default().command(Key::from_event(&ev)), Some(Command::Last));
    }
}
