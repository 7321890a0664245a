//! Deck parse and build, and rendering each bundled slide at 80×24 and 200×60.

use std::sync::Arc;
use std::time::Instant;

use arm64_demo::app::App;
use arm64_demo::app::keymap::Keymap;
use arm64_demo::deck::{self, DeckSource, ThemeName};
use arm64_demo::ui::layout::{LayoutCache, LayoutSize, layout_slide};
use arm64_demo::ui::theme::{ColorDepth, Theme};
use arm64_demo::ui::{self, View};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

fn parse(c: &mut Criterion) {
    let files = DeckSource::Bundled.read().expect("bundled deck");
    // The first parse also loads the syntax set; measure it alone, as startup pays it once.
    let t = Instant::now();
    deck::parse(&files, None).expect("parses");
    eprintln!("first parse (syntax set load included): {:?}", t.elapsed());
    c.bench_function("deck/parse_bundled", |b| b.iter(|| deck::parse(&files, None).expect("parses")));
}

fn render(c: &mut Criterion) {
    let deck = Arc::new(deck::load(&DeckSource::Bundled, None).expect("loads"));
    let theme = Theme::new(ThemeName::Dark, ColorDepth::TrueColor);
    for (w, h) in [(80u16, 24u16), (200, 60)] {
        let mut group = c.benchmark_group(format!("render/{w}x{h}"));
        for i in 0..deck.slides.len() {
            let mut app = App::new(deck.clone(), Keymap::default());
            app.slide = i;
            app.step = app.steps() - 1;
            let mut cache = LayoutCache::default();
            let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
            let layout = cache.prepare(&mut app, Rect::new(0, 0, w, h), &theme, Instant::now()).clone();
            group.bench_function(format!("slide_{:02}", i + 1), |b| {
                b.iter(|| {
                    let view = View { app: &app, layout: &layout, theme: &theme, now: Instant::now(), clock: "12:00" };
                    terminal.draw(|f| ui::draw(&view, f)).expect("draws");
                })
            });
        }
        group.finish();
    }
    // Layout runs once per slide change (and resize): the cost of a key press beyond the draw.
    let mut group = c.benchmark_group("layout/200x60");
    for i in 0..deck.slides.len() {
        group.bench_function(format!("slide_{:02}", i + 1), |b| {
            b.iter(|| {
                layout_slide(&deck.slides[i], &deck, LayoutSize { width: 100, pane_width: 196, height: 58 }, &theme)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, parse, render);
criterion_main!(benches);
