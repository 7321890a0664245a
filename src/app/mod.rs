//! The presenter's state and its pure update (The Elm Architecture): actions in, state changed,
//! no drawing, no I/O.

pub mod keymap;
pub mod timer;

use std::sync::Arc;
use std::time::Instant;

use keymap::{Command, Key, Keymap};
use timer::Timer;

use crate::deck::{Deck, DeckError};

/// What covers the slide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    Overview { selected: usize },
}

/// Where the panes' data comes from, shown as the footer badge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Offline,
}

impl Mode {
    pub fn badge(self) -> &'static str {
        match self {
            Mode::Offline => "OFFLINE",
        }
    }
}

/// Everything that can change the state.
#[derive(Debug, Clone)]
pub enum Action {
    /// A key press (releases and repeats are filtered out before).
    Key(Key),
    /// The deck was reloaded from disk, or failed to.
    Reloaded(Result<Arc<Deck>, DeckError>),
    /// The laid-out slide's revealed height and the rows the screen shows of it.
    Measured {
        content_rows: usize,
        viewport_rows: usize,
    },
    /// Time passed; something on screen shows it.
    Tick,
    /// The terminal changed size.
    Resize,
    /// A signal or the terminal closing asks to stop.
    Quit,
}

/// The presenter's state.
#[derive(Debug, Clone)]
pub struct App {
    pub deck: Arc<Deck>,
    /// Increments on each reload, so cached layouts of the old deck are not reused.
    pub deck_generation: u64,
    pub keymap: Keymap,
    pub slide: usize,
    /// Revealed parts of the current slide (0 = up to the first pause).
    pub step: usize,
    pub scroll: usize,
    pub max_scroll: usize,
    follow_reveal: bool,
    pub overlay: Overlay,
    /// Digits typed towards a slide number.
    pub jump: String,
    pub blank: bool,
    pub notes_visible: bool,
    pub timer: Timer,
    pub mode: Mode,
    /// The last reload error, shown as a banner over the last good deck.
    pub banner: Option<String>,
    pub quit: bool,
}

impl App {
    pub fn new(deck: Arc<Deck>, keymap: Keymap) -> Self {
        App {
            deck,
            deck_generation: 0,
            keymap,
            slide: 0,
            step: 0,
            scroll: 0,
            max_scroll: 0,
            follow_reveal: false,
            overlay: Overlay::None,
            jump: String::new(),
            blank: false,
            notes_visible: false,
            timer: Timer::default(),
            mode: Mode::Offline,
            banner: None,
            quit: false,
        }
    }

    pub fn slide_count(&self) -> usize {
        self.deck.slides.len()
    }

    /// The number of steps of the current slide.
    pub fn steps(&self) -> usize {
        self.deck.slides.get(self.slide).map_or(1, |s| s.steps())
    }

    /// Applies an action; returns whether anything visible changed.
    pub fn update(&mut self, action: Action, now: Instant) -> bool {
        match action {
            Action::Key(key) => self.key(key, now),
            Action::Reloaded(Ok(deck)) => {
                self.reload(deck);
                true
            }
            Action::Reloaded(Err(e)) => {
                self.banner = Some(e.to_string());
                true
            }
            Action::Measured {
                content_rows,
                viewport_rows,
            } => {
                let before = (self.scroll, self.max_scroll);
                self.max_scroll = content_rows.saturating_sub(viewport_rows);
                if std::mem::take(&mut self.follow_reveal) {
                    self.scroll = self.max_scroll;
                }
                self.scroll = self.scroll.min(self.max_scroll);
                before != (self.scroll, self.max_scroll)
            }
            Action::Tick | Action::Resize => true,
            Action::Quit => {
                self.quit = true;
                true
            }
        }
    }

    fn key(&mut self, key: Key, now: Instant) -> bool {
        let command = self.keymap.command(key);
        if let (Some(d), None) = (key.digit(), command) {
            if self.jump.len() < 4 {
                self.jump.push(d);
            }
            return true;
        }
        let Some(command) = command else { return false };
        if self.blank && !matches!(command, Command::Blank | Command::Escape | Command::Quit) {
            // A blanked screen ignores navigation, so a stray click does not move on unseen.
            return false;
        }
        if let Overlay::Overview { selected } = self.overlay {
            if let Some(changed) = self.overview_key(command, selected, now) {
                return changed;
            }
        }
        match command {
            Command::Next => self.next(now),
            Command::Prev => self.prev(now),
            Command::First => self.go_to(0, 0, now),
            Command::Last => self.go_to(self.slide_count() - 1, usize::MAX, now),
            Command::ScrollDown => self.scroll_by(1),
            Command::ScrollUp => self.scroll_by(-1),
            Command::Overview => {
                self.overlay = Overlay::Overview {
                    selected: self.slide,
                };
                true
            }
            Command::Help => {
                self.overlay = if self.overlay == Overlay::Help {
                    Overlay::None
                } else {
                    Overlay::Help
                };
                true
            }
            Command::Blank => {
                self.blank = !self.blank;
                true
            }
            Command::Notes => {
                self.notes_visible = !self.notes_visible;
                true
            }
            Command::TimerPause => {
                self.timer.toggle(now);
                true
            }
            Command::TimerReset => {
                self.timer.reset();
                true
            }
            Command::Confirm => {
                let Ok(n) = std::mem::take(&mut self.jump).parse::<usize>() else {
                    return false;
                };
                self.go_to(n.clamp(1, self.slide_count()) - 1, 0, now)
            }
            Command::Escape => {
                let changed = self.overlay != Overlay::None || !self.jump.is_empty() || self.blank;
                self.overlay = Overlay::None;
                self.jump.clear();
                self.blank = false;
                changed
            }
            Command::Quit => {
                self.quit = true;
                true
            }
        }
    }

    /// Keys inside the overview move the selection; `None` lets the key act as usual.
    fn overview_key(&mut self, command: Command, selected: usize, now: Instant) -> Option<bool> {
        let last = self.slide_count() - 1;
        let select = |s: usize| Overlay::Overview {
            selected: s.min(last),
        };
        self.overlay = match command {
            Command::Next | Command::ScrollDown => select(selected + 1),
            Command::Prev | Command::ScrollUp => select(selected.saturating_sub(1)),
            Command::First => select(0),
            Command::Last => select(last),
            Command::Overview => Overlay::None,
            Command::Confirm if self.jump.is_empty() => {
                self.overlay = Overlay::None;
                self.go_to(selected, 0, now);
                return Some(true);
            }
            _ => return None,
        };
        Some(true)
    }

    fn next(&mut self, now: Instant) -> bool {
        if self.step + 1 < self.steps() {
            self.timer.start_once(now);
            self.step += 1;
            self.follow_reveal = true;
            true
        } else if self.slide + 1 < self.slide_count() {
            self.go_to(self.slide + 1, 0, now)
        } else {
            false
        }
    }

    fn prev(&mut self, now: Instant) -> bool {
        if self.step > 0 {
            self.timer.start_once(now);
            self.step -= 1;
            true
        } else if self.slide > 0 {
            // Going back shows the previous slide whole, as the audience last saw it.
            self.go_to(self.slide - 1, usize::MAX, now)
        } else {
            false
        }
    }

    /// Moves to a slide; `step` is clamped to the slide's steps.
    fn go_to(&mut self, slide: usize, step: usize, now: Instant) -> bool {
        self.timer.start_once(now);
        let slide = slide.min(self.slide_count() - 1);
        let step = step.min(self.deck.slides[slide].steps() - 1);
        let changed = (slide, step) != (self.slide, self.step);
        self.slide = slide;
        self.step = step;
        self.scroll = 0;
        self.follow_reveal = false;
        changed
    }

    fn scroll_by(&mut self, delta: isize) -> bool {
        let before = self.scroll;
        self.scroll = self
            .scroll
            .saturating_add_signed(delta)
            .min(self.max_scroll);
        before != self.scroll
    }

    /// Swaps in a reloaded deck, staying on the same slide, or the one with the same title, or
    /// the nearest one.
    fn reload(&mut self, deck: Arc<Deck>) {
        let old_title = self.deck.slides.get(self.slide).map(|s| s.title.clone());
        let same_count = deck.slides.len() == self.deck.slides.len();
        let by_title = old_title.and_then(|t| deck.slides.iter().position(|s| s.title == t));
        self.slide = match (same_count, by_title) {
            (true, _) => self.slide,
            (false, Some(i)) => i,
            (false, None) => self.slide.min(deck.slides.len() - 1),
        };
        self.step = self.step.min(deck.slides[self.slide].steps() - 1);
        if let Overlay::Overview { selected } = self.overlay {
            self.overlay = Overlay::Overview {
                selected: selected.min(deck.slides.len() - 1),
            };
        }
        self.deck = deck;
        self.deck_generation += 1;
        self.banner = None;
    }
}
