//! The live panes in each state a build can be in (queued, running mid-log, succeeded, failed,
//! failed as expected), at 80×24 and 160×45. Events are applied to the model directly, on a
//! stopped clock, so the pictures are deterministic.

mod common;

use std::time::Instant;

use arm64_demo::app::App;
use arm64_demo::builds::clock::Clock;
use arm64_demo::builds::event::{BuildEvent, TimedEvent};
use arm64_demo::builds::phase::Phase;
use arm64_demo::builds::scenario_run::ScenarioRun;
use arm64_demo::builds::status::BuildStatus;
use arm64_demo::deck::ThemeName;
use common::{app_on, bundled, screen};

/// Events taking a build through the phases up to `upto`, with log lines, ending with `status`.
fn build(id: &str, start: f64, secs: f64, upto: Phase, status: Option<BuildStatus>, log: &[&str]) -> Vec<TimedEvent> {
    let ev = |t: f64, event: BuildEvent| TimedEvent { t, build: id.into(), event };
    let mut out = vec![ev(start, BuildEvent::Started { build_id: Some(format!("arm64-demo:{id}")) })];
    let phases: Vec<Phase> = Phase::ALL.into_iter().take_while(|p| *p <= upto).collect();
    let step = secs / phases.len() as f64;
    for (i, p) in phases.iter().enumerate() {
        // A build completes when its status comes.
        let t = if *p == Phase::Completed { start + secs } else { start + step * i as f64 };
        out.push(ev(t, BuildEvent::Phase { phase: *p }));
        if *p == Phase::Build {
            out.push(ev(t, BuildEvent::Log { lines: log.iter().map(|s| s.to_string()).collect() }));
        }
    }
    if let Some(status) = status {
        out.push(ev(start + secs, BuildEvent::Status { status }));
    }
    out
}

fn run(app: &mut App, scenario: &str, now_t: f64, events: Vec<TimedEvent>) {
    let def = app.deck.catalog.scenario(scenario).unwrap().clone();
    let clock = Clock { at: Instant::now(), t: now_t, speed: 41.4, running: false };
    let mut r = ScenarioRun::new(&def, "REPLAY · reconstructed from published figures".into(), clock, 1000);
    r.apply(&def, &events);
    app.runs.insert(scenario.into(), r);
}

fn slide_with(kind: &str, scenario: &str) -> usize {
    bundled()
        .slides
        .iter()
        .position(|s| s.panes().iter().any(|p| p.kind.name() == kind && p.scenarios.iter().any(|x| x == scenario)))
        .unwrap()
}

const GO_FAIL: &[&str] = &[
    "[Container] 2026/11/20 10:15:02.123456 Running command docker build --progress=plain --tag img .",
    "#12 [7/7] RUN go test -count=1 -tags amd64 ./...",
    "#12 4.120 bitpack/unpack_int32_amd64.s:12: unrecognized instruction",
    "#12 4.300 FAIL\tgithub.com/segmentio/parquet-go/bitpack [build failed]",
    "\u{1b}[31mERROR: failed to solve: process did not complete successfully: exit code: 1\u{1b}[0m",
];
const GO_OK: &[&str] = &[
    "#12 [7/7] RUN go test -count=1 -tags purego ./...",
    "#12 31.02 ok  \tgithub.com/segmentio/parquet-go\t28.4s",
    "#12 31.90 ok  \tgithub.com/segmentio/parquet-go/bloom\t0.8s",
];

#[test]
fn build_pane_states() {
    let slide = slide_with("logs", "go-assembly");
    for (w, h) in [(80, 24), (160, 45)] {
        let mut app = app_on(bundled(), slide);
        let mut events = build("x86-amd64-tag", 0.0, 180.0, Phase::Completed, Some(BuildStatus::Succeeded), GO_OK);
        events.extend(build("arm64-amd64-tag", 0.0, 95.0, Phase::Completed, Some(BuildStatus::Failed), GO_FAIL));
        events.extend(build("arm64-purego", 0.0, 120.0, Phase::Build, None, &GO_OK[..2]));
        events.sort_by(|a, b| a.t.total_cmp(&b.t));
        run(&mut app, "go-assembly", 130.0, events);
        insta::assert_snapshot!(format!("logs_pane_go_{w}x{h}"), screen(&mut app, ThemeName::Dark, w, h));
    }
    let slide = slide_with("build", "native-build");
    for (w, h) in [(80, 24), (160, 45)] {
        let mut app = app_on(bundled(), slide);
        let mut events = build("x86-native", 0.0, 3.0, Phase::Queued, None, &[]);
        events.extend(build("arm64-native", 0.0, 200.0, Phase::Completed, Some(BuildStatus::Fault), &["boom"]));
        events.sort_by(|a, b| a.t.total_cmp(&b.t));
        run(&mut app, "native-build", 200.0, events);
        insta::assert_snapshot!(format!("build_pane_queued_failed_{w}x{h}"), screen(&mut app, ThemeName::Dark, w, h));
    }
}

#[test]
fn race_pane_mid_race_and_finished() {
    let slide = slide_with("race", "emulated-build");
    for (w, h) in [(80, 24), (160, 45)] {
        let mut app = app_on(bundled(), slide);
        let mut native = build("x86-native", 0.0, 427.0, Phase::Completed, Some(BuildStatus::Succeeded), &[]);
        native.extend(build("arm64-native", 0.0, 513.0, Phase::Completed, Some(BuildStatus::Succeeded), &[]));
        native.sort_by(|a, b| a.t.total_cmp(&b.t));
        run(&mut app, "native-build", 1500.0, native);
        run(&mut app, "emulated-build", 1500.0, build("arm64-emulated", 0.0, 3106.0, Phase::Build, None, &[]));
        insta::assert_snapshot!(format!("race_pane_mid_{w}x{h}"), screen(&mut app, ThemeName::Dark, w, h));
        run(
            &mut app,
            "emulated-build",
            3106.0,
            build("arm64-emulated", 0.0, 3106.0, Phase::Completed, Some(BuildStatus::Succeeded), &[]),
        );
        let text = screen(&mut app, ThemeName::Dark, w, h);
        assert!(text.contains("51m46s"), "{text}");
        assert!(text.contains("×7.3"), "the emulated build against the fastest: {text}");
        insta::assert_snapshot!(format!("race_pane_finished_{w}x{h}"), text);
    }
}

#[test]
fn metrics_pane_reads_the_logs() {
    let slide = slide_with("metrics", "xgboost-perf");
    for (w, h) in [(80, 24), (160, 45)] {
        let mut app = app_on(bundled(), slide);
        let x86 = [
            "#9 41.27 ARM64_DEMO_METRIC name=training_seconds value=58.14154 unit=s",
            "#9 41.30 ARM64_DEMO_METRIC name=inference_seconds value=0.03185 unit=s",
        ];
        let arm = [
            "#9 40.88 ARM64_DEMO_METRIC name=training_seconds value=40.88533 unit=s",
            "#9 40.90 ARM64_DEMO_METRIC name=inference_seconds value=0.02737 unit=s",
        ];
        let mut events = build("x86", 0.0, 200.0, Phase::Completed, Some(BuildStatus::Succeeded), &x86);
        events.extend(build("arm64", 0.0, 180.0, Phase::Completed, Some(BuildStatus::Succeeded), &arm));
        events.sort_by(|a, b| a.t.total_cmp(&b.t));
        run(&mut app, "xgboost-perf", 200.0, events);
        let text = screen(&mut app, ThemeName::Dark, w, h);
        assert!(text.contains("58.14154 s") && text.contains("40.88533 s"), "{text}");
        assert!(text.contains("-29.7%"), "{text}");
        insta::assert_snapshot!(format!("metrics_pane_{w}x{h}"), text);
    }
}
