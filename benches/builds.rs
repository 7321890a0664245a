//! Build logs: ingest of 100k and 1M lines into a run (with metric patterns; the run keeps the
//! default 100k), and rendering a build pane that holds 100k and 1M streamed lines at 200×60;
//! replay event throughput.

use std::sync::Arc;
use std::time::{Duration, Instant};

use arm64_demo::app::App;
use arm64_demo::app::keymap::Keymap;
use arm64_demo::backend::replay::player::Player;
use arm64_demo::backend::replay::recording::{Provenance, Recording};
use arm64_demo::builds::clock::Clock;
use arm64_demo::builds::event::{BuildEvent, TimedEvent};
use arm64_demo::builds::phase::Phase;
use arm64_demo::builds::run::BuildRun;
use arm64_demo::builds::scenario_run::ScenarioRun;
use arm64_demo::deck::{self, DeckSource, ThemeName};
use arm64_demo::ui::layout::LayoutCache;
use arm64_demo::ui::theme::{ColorDepth, Theme};
use arm64_demo::ui::{self, View};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

fn line(i: usize) -> String {
    format!(
        "#12 {}.{:03} [ 42%] Building C object crypto/fipsmodule/CMakeFiles/fipsmodule.dir/bcm.c.o ({i})",
        i / 1000,
        i % 1000
    )
}

fn batches(total: usize) -> Vec<BuildEvent> {
    (0..total)
        .step_by(1000)
        .map(|s| BuildEvent::Log { lines: (s..(s + 1000).min(total)).map(line).collect() })
        .collect()
}

fn ingest(c: &mut Criterion) {
    let deck = deck::load(&DeckSource::Bundled, None).expect("loads");
    let patterns = deck.catalog.scenario("xgboost-perf").expect("scenario").patterns.clone();
    let mut group = c.benchmark_group("ingest");
    for (lines, name) in [(100_000, "100k_lines_with_patterns"), (1_000_000, "1M_lines_with_patterns")] {
        let events = batches(lines);
        group.throughput(Throughput::Elements(lines as u64));
        if lines >= 1_000_000 {
            // About 0.2 s an iteration: fewer samples keep the bench short.
            group.sample_size(10);
        }
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut run = BuildRun::default();
                for e in &events {
                    run.apply(1.0, e, &patterns);
                }
                run
            })
        });
    }
    group.finish();
}

fn render_with(lines: usize, c: &mut Criterion) {
    let deck = Arc::new(deck::load(&DeckSource::Bundled, None).expect("loads"));
    let slide = deck
        .slides
        .iter()
        .position(|s| s.panes().iter().any(|p| p.kind.name() == "build" && p.scenarios == ["native-build"]))
        .expect("a native-build pane");
    let mut app = App::new(deck.clone(), Keymap::default());
    app.slide = slide;
    let scenario = deck.catalog.scenario("native-build").expect("scenario");
    let clock = Clock { at: Instant::now(), t: 100.0, speed: 1.0, running: false };
    let mut run = ScenarioRun::new(scenario, "REPLAY".into(), clock, 100_000);
    let mut events = vec![
        TimedEvent { t: 0.0, build: "x86-native".into(), event: BuildEvent::Started { build_id: None } },
        TimedEvent { t: 1.0, build: "x86-native".into(), event: BuildEvent::Phase { phase: Phase::Build } },
    ];
    events.extend(batches(lines).into_iter().map(|event| TimedEvent { t: 2.0, build: "x86-native".into(), event }));
    run.apply(scenario, &events);
    app.runs.insert("native-build".into(), run);
    let theme = Theme::new(ThemeName::Dark, ColorDepth::TrueColor);
    let mut cache = LayoutCache::default();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("backend");
    let layout = cache.prepare(&mut app, Rect::new(0, 0, 200, 60), &theme, Instant::now()).clone();
    c.bench_function(&format!("render/build_pane_{}k_lines_200x60", lines / 1000), |b| {
        b.iter(|| {
            let view = View { app: &app, layout: &layout, theme: &theme, now: Instant::now(), clock: "12:00" };
            terminal.draw(|f| ui::draw(&view, f)).expect("draws");
        })
    });
}

fn render(c: &mut Criterion) {
    render_with(100_000, c);
    render_with(1_000_000, c);
}

fn replay(c: &mut Criterion) {
    let events: Vec<TimedEvent> = (0..100_000)
        .map(|i| TimedEvent { t: i as f64 * 0.01, build: "b".into(), event: BuildEvent::Log { lines: vec![line(i)] } })
        .collect();
    let rec = Arc::new(Recording {
        scenario: "s".into(),
        provenance: Provenance::Reconstructed { note: "bench".into() },
        builds: Default::default(),
        events,
        duration: 1000.0,
    });
    let mut group = c.benchmark_group("replay");
    group.throughput(Throughput::Elements(100_000));
    group.bench_function("100k_events_in_100_polls", |b| {
        b.iter(|| {
            let t0 = Instant::now();
            let mut p = Player::new(rec.clone(), t0, 1.0);
            let mut n = 0;
            for step in 1..=100 {
                n += p.due(t0 + Duration::from_secs(step * 10)).len();
            }
            n
        })
    });
    group.finish();
}

criterion_group!(benches, ingest, render, replay);
criterion_main!(benches);
