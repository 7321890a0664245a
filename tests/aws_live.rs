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
    let (commands, mut reports) = live::spawn(config, deck.catalog.clone(), DeckSource::Bundled.root());
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
    for (project, count) in [("arm64-demo-arm64", 1), ("arm64-demo-x86_64", 2)] {
        let ids =
            codebuild.list_builds_for_project().project_name(project).send().await.unwrap().ids.unwrap_or_default();
        assert_eq!(ids.len(), count, "{project}: {ids:?}");
    }
}
