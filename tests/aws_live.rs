//! The live backend against moto's CodeBuild: starting a scenario starts its builds with the
//! catalog's overrides, polling reports them to the end, and the multi-arch manifest starts
//! only after the per-arch builds succeeded.

use std::collections::BTreeMap;
use std::time::Duration;

use arm64_demo::backend::aws::live::{self, Command, Report};
use arm64_demo::builds::event::BuildEvent;
use arm64_demo::builds::status::BuildStatus;
use arm64_demo::deck::{self, DeckSource};
mod moto;

#[tokio::test]
async fn a_started_scenario_runs_to_the_end_with_the_manifest_last() {
    let region = "ca-central-1";
    let config = moto::config(region).await;
    let codebuild = aws_sdk_codebuild::Client::new(&config);
    moto::create_demo_projects(&codebuild).await;
    let deck = deck::load(&DeckSource::Bundled, None).unwrap();
    let (tx, mut reports) = tokio::sync::mpsc::unbounded_channel();
    let commands = live::spawn(config, deck.catalog.clone(), DeckSource::Bundled.root(), Default::default(), tx);
    commands.send(Command::Start("native-build".into())).unwrap();

    let mut label = None;
    let mut statuses: BTreeMap<String, BuildStatus> = BTreeMap::new();
    let mut order = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while statuses.len() < 3 {
        let report =
            tokio::time::timeout_at(deadline, reports.recv()).await.expect("the builds end within 30 s").unwrap();
        match report {
            Report::Started { label: l, .. } => label = Some(l),
            Report::Failed { error, .. } => panic!("start failed: {error}"),
            Report::Notice(_) | Report::Finished { .. } | Report::NothingToAttach { .. } => {}
            Report::Recorded { .. } | Report::Pipeline(_) => panic!("not asked for"),
            Report::Events(e) => {
                for ev in e.events {
                    if let BuildEvent::Started { build_id } = &ev.event {
                        order.push(ev.build.clone());
                        assert!(build_id.as_deref().is_some_and(|id| id.starts_with("arm64-demo-")), "{build_id:?}");
                    }
                    if let BuildEvent::Status { status } = ev.event {
                        statuses.insert(ev.build, status);
                    }
                }
            }
        }
    }
    assert_eq!(label.as_deref(), Some("LIVE · CodeBuild in ca-central-1"));
    assert!(statuses.values().all(|s| *s == BuildStatus::Succeeded), "{statuses:?}");
    assert_eq!(order.last().map(String::as_str), Some("manifest"), "the manifest starts after the others: {order:?}");

    // Each build went to the project of its host arch (moto does not echo the overrides back;
    // their contents are checked where the request is built).
    for (project, count) in [("arm64-demo-arm64", 1), ("arm64-demo-x86_64", 1), ("arm64-demo-manifest", 1)] {
        let ids =
            codebuild.list_builds_for_project().project_name(project).send().await.unwrap().ids.unwrap_or_default();
        assert_eq!(ids.len(), count, "{project}: {ids:?}");
    }
}

#[tokio::test]
async fn a_finished_live_run_is_recorded_and_replays_labelled_with_its_date() {
    use arm64_demo::backend::replay::{RecordingSource, ReplayBackend, Speed};
    let region = "me-central-1";
    let config = moto::config(region).await;
    moto::create_demo_projects(&aws_sdk_codebuild::Client::new(&config)).await;
    let deck = deck::load(&DeckSource::Bundled, None).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let settings = live::LiveSettings { recordings: Some(dir.path().to_path_buf()), ..Default::default() };
    let (tx, mut reports) = tokio::sync::mpsc::unbounded_channel();
    let commands = live::spawn(config, deck.catalog.clone(), DeckSource::Bundled.root(), settings, tx);

    // Too early: nothing has run yet.
    commands.send(Command::Record("software-running".into())).unwrap();
    commands.send(Command::Start("software-running".into())).unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let mut refused = None;
    loop {
        match tokio::time::timeout_at(deadline, reports.recv()).await.expect("within 30 s").unwrap() {
            Report::Recorded { result, .. } if refused.is_none() => refused = Some(result),
            Report::Finished { .. } => break,
            _ => {}
        }
    }
    assert_eq!(refused, Some(Err("this scenario has no live run to record".to_string())));
    commands.send(Command::Record("software-running".into())).unwrap();
    let path = loop {
        if let Report::Recorded { result, .. } = reports.recv().await.unwrap() {
            break result.expect("recorded");
        }
    };
    assert_eq!(path, dir.path().join("software-running.jsonl"));

    // The replay backend prefers it to the bundled one and says where it comes from.
    let source = RecordingSource { folder: None, recorded: Some(dir.path().to_path_buf()) };
    let rec = source.load("software-running").unwrap();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    assert_eq!(rec.provenance.label(), format!("REPLAY · recorded {today} in {region}"));
    assert_eq!(rec.builds["arm64"].project, "arm64-demo-arm64");
    let ended: Vec<&str> = rec
        .events
        .iter()
        .filter(|e| matches!(e.event, BuildEvent::Status { status: BuildStatus::Succeeded }))
        .map(|e| e.build.as_str())
        .collect();
    assert_eq!(ended.len(), 3, "{ended:?}");
    let mut replay = ReplayBackend::new(source, Speed::Factor(1000.0));
    let label = replay.start("software-running", std::time::Instant::now()).unwrap();
    assert_eq!(label, format!("REPLAY · recorded {today} in {region}"));
}

#[tokio::test]
async fn stop_calls_stopbuild_on_the_running_builds() {
    let region = "af-south-1";
    let config = moto::config(region).await;
    moto::create_demo_projects(&aws_sdk_codebuild::Client::new(&config)).await;
    let deck = deck::load(&DeckSource::Bundled, None).unwrap();
    let (tx, mut reports) = tokio::sync::mpsc::unbounded_channel();
    let commands = live::spawn(config, deck.catalog.clone(), DeckSource::Bundled.root(), Default::default(), tx);
    // Both before the first poll (moto ends a build at its first BatchGetBuilds).
    commands.send(Command::Start("emulated-build".into())).unwrap();
    commands.send(Command::Stop("emulated-build".into())).unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let (mut notice, mut status) = (None, None);
    while status.is_none() {
        match tokio::time::timeout_at(deadline, reports.recv()).await.expect("within 30 s").unwrap() {
            Report::Notice(n) => notice = Some(n),
            Report::Events(e) => {
                status = e.events.iter().find_map(|ev| match ev.event {
                    BuildEvent::Status { status } => Some(status),
                    _ => None,
                })
            }
            _ => {}
        }
    }
    // StopBuild answered for the one running build (an error would read "could not be
    // stopped"). moto marks every build SUCCEEDED whenever it is polled, stopped or not, so the
    // STOPPED status itself is proven with exact answers in aws_mocks.rs.
    assert_eq!(notice.as_deref(), Some("stopping 1 build(s)"));
    assert!(status.is_some());
}
