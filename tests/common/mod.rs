//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::sync::Arc;
use std::time::Instant;

use arm64_demo::app::keymap::{Key, Keymap};
use arm64_demo::app::{Action, App};
use arm64_demo::deck::{self, Deck, DeckSource, ThemeName};
use arm64_demo::ui::layout::LayoutCache;
use arm64_demo::ui::theme::{ColorDepth, Theme};
use arm64_demo::ui::{buffer_text, render_offscreen};

pub fn bundled() -> Arc<Deck> {
    Arc::new(deck::load(&DeckSource::Bundled, None).expect("the bundled deck loads"))
}

/// The app on `slide` (0-based) with every part revealed, scrolled to the top: reached the way a
/// presenter does, by going to the slide after it and back (or to the last slide).
pub fn app_on(deck: Arc<Deck>, slide: usize) -> App {
    let mut app = App::new(deck, Keymap::default());
    let now = Instant::now();
    let press = |app: &mut App, k: &str| app.update(Action::Key(Key::parse(k).unwrap()), now);
    if slide + 1 >= app.slide_count() {
        press(&mut app, "End");
    } else {
        for d in (slide + 2).to_string().chars() {
            press(&mut app, &d.to_string());
        }
        press(&mut app, "Enter");
        press(&mut app, "Left");
    }
    assert_eq!((app.slide, app.step), (slide, app.steps() - 1));
    app.timer.reset();
    app
}

/// The screen text of `app` at a size, with a fixed clock.
pub fn screen(app: &mut App, theme: ThemeName, w: u16, h: u16) -> String {
    let theme = Theme::new(theme, ColorDepth::TrueColor);
    let buf = render_offscreen(app, &mut LayoutCache::default(), &theme, (w, h), Instant::now(), "12:00");
    buffer_text(&buf)
}
