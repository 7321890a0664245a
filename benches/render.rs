//! Deck parse and build, rendering each bundled slide at 80×24 and 200×60, and the diff panes'
//! diff computation on the bundled file pairs.

use std::sync::Arc;
use std::time::Instant;

use arm64_demo::app::App;
use arm64_demo::app::keymap::Keymap;
use arm64_demo::deck::{self, DeckSource, ThemeName, diff};
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

/// The diff of each bundled pair, as the deck computes it on load: line and word changes, both
/// sides highlighted. Named after the parts of the two paths that differ.
fn diff_compute(c: &mut Criterion) {
    let files = DeckSource::Bundled.read().expect("bundled deck");
    let deck = deck::parse(&files, None).expect("parses");
    let mut group = c.benchmark_group("diff/compute");
    for slide in &deck.slides {
        for pane in slide.panes() {
            let Some((left, right)) = &pane.files else { continue };
            let (l, r) = (files.root.read(left).expect("left file"), files.root.read(right).expect("right file"));
            group.bench_function(pair_name(left, right), |b| {
                b.iter(|| diff::diff(left, &l, right, &r, ThemeName::Dark))
            });
        }
    }
    group.finish();
}

/// `python_issues..python_fixes` for `…/python_issues/Dockerfile` and `…/python_fixes/Dockerfile`.
fn pair_name(left: &str, right: &str) -> String {
    let stem = |p: &str| p.rsplit_once('.').map_or(p, |(s, _)| s).to_string();
    let (l, r): (Vec<&str>, Vec<&str>) = (left.split('/').collect(), right.split('/').collect());
    match l.iter().zip(&r).find(|(a, b)| a != b) {
        Some((a, b)) => format!("{}..{}", stem(a), stem(b)),
        None => stem(l.last().copied().unwrap_or(left)),
    }
}

criterion_group!(benches, parse, render, diff_compute);
criterion_main!(benches);
