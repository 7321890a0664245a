//! Whatever the deck holds and whatever the terminal size, nothing panics.

mod common;

use std::sync::Arc;
use std::time::Instant;

use arm64_demo::app::keymap::Keymap;
use arm64_demo::app::{App, Overlay};
use arm64_demo::deck::source::{DeckFile, ProjectRoot};
use arm64_demo::deck::{self, DeckFiles, ThemeName};
use arm64_demo::ui::layout::LayoutCache;
use arm64_demo::ui::render_offscreen;
use arm64_demo::ui::theme::{ColorDepth, Theme};
use proptest::prelude::*;

const CONFIG: &str = "title = \"T\"\n[[scenarios]]\nid = \"s\"\nconcept = \"1A\"\ntitle = \"S\"\n[[scenarios.builds]]\nid = \"b\"\nlabel = \"b\"\narch = \"arm64\"\n";

fn files(config: &str, slides: Vec<String>) -> DeckFiles {
    DeckFiles {
        config: DeckFile { name: "deck.toml".into(), text: config.into() },
        root: ProjectRoot::None,
        slides: slides.into_iter().enumerate().map(|(i, text)| DeckFile { name: format!("{i:02}.md"), text }).collect(),
    }
}

/// Pieces of markdown a deck is made of, including broken ones.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Title\n".to_string()),
        Just("## Sub *it* **b** `c`\n".to_string()),
        Just("\n---\n\n".to_string()),
        Just("---\n".to_string()),
        Just("+++\nsection = \"x\"\n+++\n".to_string()),
        Just("+++\n".to_string()),
        Just("- a\n  - b\n    1. c\n".to_string()),
        Just("> quote\n> - in list\n".to_string()),
        Just("| a | b |\n|:-|-:|\n| 1 | 2 | 3 |\n".to_string()),
        Just("```go\nfunc main() {}\n```\n".to_string()),
        Just("```\n".to_string()),
        Just("~~~~\n".to_string()),
        Just("```pane\nkind = \"build\"\nscenario = \"s\"\n```\n".to_string()),
        Just("```pane\nkind = \"race\"\nscenarios = [\"s\", \"zz\"]\n```\n".to_string()),
        Just("```pane\nkind = 3\n```\n".to_string()),
        Just("<!-- notes: say -->\n".to_string()),
        Just("<!-- notes: unclosed\n".to_string()),
        Just("\n<!-- pause -->\n\n".to_string()),
        Just("[link](http://x) ![img](y.png)\n".to_string()),
        Just("<div>html</div>\n".to_string()),
        "[ -~\\n]{0,40}",
        "\\PC{0,20}",
    ]
}

fn render_all(deck: Arc<deck::Deck>, w: u16, h: u16) {
    let theme = Theme::new(ThemeName::Dark, ColorDepth::Ansi256);
    let mut cache = LayoutCache::default();
    let mut app = App::new(deck, Keymap::default());
    for i in 0..app.slide_count() {
        app.slide = i;
        app.step = app.steps() - 1;
        render_offscreen(&mut app, &mut cache, &theme, (w, h), Instant::now(), "12:00");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn random_bytes_never_panic(md in proptest::collection::vec(any::<u8>(), 0..400), toml in proptest::collection::vec(any::<u8>(), 0..200)) {
        let md = String::from_utf8_lossy(&md).into_owned();
        let _ = deck::parse(&files(&String::from_utf8_lossy(&toml), vec![md.clone()]), None);
        if let Ok(d) = deck::parse(&files(CONFIG, vec![md]), None) {
            render_all(Arc::new(d), 40, 12);
        }
    }

    #[test]
    fn random_markdown_parses_or_errs_and_renders(parts in proptest::collection::vec(fragment(), 0..24), w in 1u16..200, h in 1u16..60) {
        match deck::parse(&files(CONFIG, vec![parts.concat()]), None) {
            Ok(d) => render_all(Arc::new(d), w, h),
            Err(e) => prop_assert!(e.line >= 1 && e.col >= 1 && !e.message.is_empty()),
        }
    }

    #[test]
    fn bundled_deck_renders_at_random_sizes(w in 1u16..=300, h in 1u16..=100, slide in 0usize..15, overlay in 0u8..4, notes: bool) {
        let deck = common::bundled();
        let theme = Theme::new(ThemeName::Light, ColorDepth::TrueColor);
        let mut app = App::new(deck, Keymap::default());
        app.slide = slide.min(app.slide_count() - 1);
        app.step = app.steps() - 1;
        app.notes_visible = notes;
        app.scroll = 1000;
        app.jump = "12".into();
        app.banner = (overlay == 3).then(|| "deck.toml:1:1: broken".to_string());
        app.overlay = match overlay { 0 => Overlay::None, 1 => Overlay::Help, _ => Overlay::Overview { selected: slide } };
        render_offscreen(&mut app, &mut LayoutCache::default(), &theme, (w, h), Instant::now(), "12:00");
    }
}

/// Every width from 1 to 300 at a few heights, and every height from 1 to 100 at a few widths.
#[test]
fn bundled_deck_renders_at_every_width_and_height() {
    let deck = common::bundled();
    let theme = Theme::new(ThemeName::Dark, ColorDepth::TrueColor);
    let mut app = App::new(deck, Keymap::default());
    let mut cache = LayoutCache::default();
    for slide in 0..app.slide_count() {
        app.slide = slide;
        app.step = app.steps() - 1;
        for w in 1..=300 {
            for h in [1, 2, 24, 100] {
                render_offscreen(&mut app, &mut cache, &theme, (w, h), Instant::now(), "12:00");
            }
        }
        for h in 1..=100 {
            for w in [1, 3, 80, 300] {
                render_offscreen(&mut app, &mut cache, &theme, (w, h), Instant::now(), "12:00");
            }
        }
    }
}
