//! The live backend: starts a scenario's CodeBuild builds with the catalog's overrides, polls
//! every active build in one BatchGetBuilds call, and follows each build's log. It runs as one
//! task; the presenter's loop sends it commands and receives the same build events the replay
//! sends, so the UI never waits on the network.

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use aws_sdk_codebuild::types::{ComputeType, EnvironmentVariable, EnvironmentVariableType};
use tokio::sync::mpsc;

use super::check::environment_type;
use super::logs::{LogFollower, not_there_yet};
use super::mapping::{Seen, log_location, new_events};
use crate::builds::catalog::{BuildDef, Catalog};
use crate::builds::clock::Clock;
use crate::builds::event::{BuildEvent, ScenarioEvents, TimedEvent};
use crate::deck::source::ProjectRoot;

/// The env variable every demo build carries, so a later session can find it again.
pub const SCENARIO_VAR: &str = "ARM64_DEMO_SCENARIO";
/// Builds run after their scenario's other builds succeeded (they join their images).
const AFTER_OTHERS: &str = "multi_arch_manifest.yml";
/// How often active builds are polled (one call for all of them).
const POLL_EVERY: Duration = Duration::from_secs(2);
/// CloudWatch Logs calls per poll round, keeping all followers under the documented 10/s.
const LOG_CALLS_PER_ROUND: usize = 8;

/// What the presenter asks for.
#[derive(Debug, Clone)]
pub enum Command {
    Start(String),
    Stop(String),
}

/// What the live backend reports.
#[derive(Debug, Clone)]
pub enum Report {
    Started { scenario: String, label: String, clock: Clock },
    Failed { scenario: String, error: String },
    Events(ScenarioEvents),
}

struct LiveBuild {
    id: Option<String>,
    seen: Seen,
    follower: Option<LogFollower>,
    log_done: bool,
}

struct LiveScenario {
    origin: f64,
    builds: BTreeMap<String, LiveBuild>,
}

/// Starts the backend task; returns its command sender and report receiver.
pub fn spawn(
    config: aws_config::SdkConfig,
    catalog: Catalog,
    root: ProjectRoot,
) -> (mpsc::UnboundedSender<Command>, mpsc::UnboundedReceiver<Report>) {
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    let (report_tx, report_rx) = mpsc::unbounded_channel();
    tokio::spawn(run(config, catalog, root, cmd_rx, report_tx));
    (cmd_tx, report_rx)
}

fn epoch_now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

async fn run(
    config: aws_config::SdkConfig,
    catalog: Catalog,
    root: ProjectRoot,
    mut commands: mpsc::UnboundedReceiver<Command>,
    reports: mpsc::UnboundedSender<Report>,
) {
    let codebuild = aws_sdk_codebuild::Client::new(&config);
    let logs = aws_sdk_cloudwatchlogs::Client::new(&config);
    let region = config.region().map_or("?".to_string(), |r| r.to_string());
    let mut scenarios: BTreeMap<String, LiveScenario> = BTreeMap::new();
    let mut tick = tokio::time::interval(POLL_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            cmd = commands.recv() => match cmd {
                None => return,
                Some(Command::Start(id)) => {
                    let Some(def) = catalog.scenario(&id) else { continue };
                    let origin = epoch_now();
                    let mut live = LiveScenario { origin, builds: BTreeMap::new() };
                    let mut error = None;
                    for b in def.builds.iter().filter(|b| b.buildspec.as_deref() != Some(AFTER_OTHERS)) {
                        match start_build(&codebuild, &root, &id, b).await {
                            Ok(build_id) => {
                                live.builds.insert(b.id.clone(), LiveBuild { id: Some(build_id), seen: Seen::default(), follower: None, log_done: false });
                            }
                            Err(e) => {
                                error = Some(format!("{}: {e}", b.label));
                                break;
                            }
                        }
                    }
                    let report = match error {
                        Some(error) => Report::Failed { scenario: id.clone(), error },
                        None => Report::Started {
                            scenario: id.clone(),
                            label: format!("LIVE · CodeBuild in {region}"),
                            clock: Clock { at: Instant::now(), t: 0.0, speed: 1.0, running: true },
                        },
                    };
                    let _ = reports.send(report);
                    scenarios.insert(id, live);
                    tick.reset_immediately();
                }
                Some(Command::Stop(id)) => {
                    if let Some(live) = scenarios.get(&id) {
                        for b in live.builds.values().filter(|b| !b.seen.status) {
                            if let Some(build_id) = &b.id {
                                let _ = codebuild.stop_build().id(build_id).send().await;
                            }
                        }
                    }
                    tick.reset_immediately();
                }
            },
            _ = tick.tick(), if scenarios.values().any(|s| s.builds.values().any(|b| !b.seen.status || !b.log_done)) => {
                poll(&codebuild, &logs, &catalog, &root, &mut scenarios, &reports).await;
            }
        }
    }
}

/// One round: every active build in one BatchGetBuilds call, then a page of each log.
async fn poll(
    codebuild: &aws_sdk_codebuild::Client,
    logs: &aws_sdk_cloudwatchlogs::Client,
    catalog: &Catalog,
    root: &ProjectRoot,
    scenarios: &mut BTreeMap<String, LiveScenario>,
    reports: &mpsc::UnboundedSender<Report>,
) {
    let ids: Vec<String> = scenarios
        .values()
        .flat_map(|s| s.builds.values())
        .filter(|b| !b.seen.status)
        .filter_map(|b| b.id.clone())
        .take(100)
        .collect();
    let mut out: BTreeMap<String, Vec<TimedEvent>> = BTreeMap::new();
    let mut stale = None;
    if !ids.is_empty() {
        match codebuild.batch_get_builds().set_ids(Some(ids)).send().await {
            Ok(res) => {
                for build in res.builds() {
                    for (scenario, live) in scenarios.iter_mut() {
                        for (def_id, b) in live.builds.iter_mut() {
                            if b.id.as_deref() != build.id() {
                                continue;
                            }
                            let events = new_events(build, &mut b.seen, live.origin);
                            if b.follower.is_none()
                                && b.seen.phase.is_some_and(|p| p >= crate::builds::phase::Phase::Provisioning)
                                && let Some((group, stream)) = log_location(build)
                            {
                                b.follower = Some(LogFollower::new(group, stream));
                            }
                            out.entry(scenario.clone()).or_default().extend(
                                events.into_iter().map(|(t, event)| TimedEvent { t, build: def_id.clone(), event }),
                            );
                        }
                    }
                }
            }
            Err(e) => stale = Some(format!("CodeBuild: {e}")),
        }
    }
    let mut calls = 0;
    for (scenario, live) in scenarios.iter_mut() {
        let t = epoch_now() - live.origin;
        for (def_id, b) in live.builds.iter_mut() {
            let Some(f) = b.follower.as_mut() else {
                // No stream to read and the build ended: nothing will come.
                b.log_done |= b.seen.status;
                continue;
            };
            if b.log_done || calls >= LOG_CALLS_PER_ROUND {
                continue;
            }
            calls += 1;
            match f.poll(logs).await {
                Ok(page) => {
                    if !page.lines.is_empty() {
                        out.entry(scenario.clone()).or_default().push(TimedEvent {
                            t,
                            build: def_id.clone(),
                            event: BuildEvent::Log { lines: page.lines },
                        });
                    }
                    b.log_done = page.at_end && b.seen.status;
                }
                Err(e) if not_there_yet(&e) => b.log_done = b.seen.status,
                Err(e) => {
                    out.entry(scenario.clone()).or_default().push(TimedEvent {
                        t,
                        build: def_id.clone(),
                        event: BuildEvent::Stale { reason: format!("logs: {e}") },
                    });
                }
            }
        }
    }
    // Builds that wait for the others (the multi-arch manifest) start once those succeeded.
    for (scenario, live) in scenarios.iter_mut() {
        let Some(def) = catalog.scenario(scenario) else { continue };
        let others_ok = live.builds.values().all(|b| b.seen.status)
            && out.get(scenario).is_none_or(|events| {
                !events.iter().any(|e| matches!(e.event, BuildEvent::Status { status } if status != crate::builds::status::BuildStatus::Succeeded))
            });
        for b in def.builds.iter().filter(|b| b.buildspec.as_deref() == Some(AFTER_OTHERS)) {
            if others_ok && !live.builds.contains_key(&b.id) {
                let id = start_build(codebuild, root, scenario, b).await.ok();
                live.builds
                    .insert(b.id.clone(), LiveBuild { id, seen: Seen::default(), follower: None, log_done: false });
            }
        }
    }
    for (scenario, live) in scenarios.iter() {
        let mut events = out.remove(scenario).unwrap_or_default();
        if let Some(reason) = &stale {
            events.extend(live.builds.keys().map(|b| TimedEvent {
                t: epoch_now() - live.origin,
                build: b.clone(),
                event: BuildEvent::Stale { reason: reason.clone() },
            }));
        }
        let running = live.builds.values().any(|b| !b.seen.status);
        let clock = Clock { at: Instant::now(), t: epoch_now() - live.origin, speed: 1.0, running };
        let _ = reports.send(Report::Events(ScenarioEvents { scenario: scenario.clone(), clock, events }));
    }
}

/// StartBuild with the overrides the catalog names; returns the build id.
async fn start_build(
    codebuild: &aws_sdk_codebuild::Client,
    root: &ProjectRoot,
    scenario: &str,
    b: &BuildDef,
) -> Result<String, String> {
    let mut vars: Vec<EnvironmentVariable> = b
        .env
        .iter()
        .filter_map(|(k, v)| {
            EnvironmentVariable::builder().name(k).value(v).r#type(EnvironmentVariableType::Plaintext).build().ok()
        })
        .collect();
    vars.extend(
        EnvironmentVariable::builder()
            .name(SCENARIO_VAR)
            .value(format!("{scenario}/{}", b.id))
            .r#type(EnvironmentVariableType::Plaintext)
            .build()
            .ok(),
    );
    let buildspec = match &b.buildspec {
        Some(file) => Some(root.read(&format!("buildspecs/{file}"))?),
        None => None,
    };
    // One token per start: a second press within CodeBuild's five minutes starts nothing new.
    let token = format!("{scenario}-{}-{}", b.id, (epoch_now() / 300.0) as u64);
    let mut req = codebuild
        .start_build()
        .project_name(&b.project)
        .set_buildspec_override(buildspec)
        .set_environment_variables_override(Some(vars))
        .environment_type_override(environment_type(b.host_arch()))
        .privileged_mode_override(true)
        .idempotency_token(token);
    if !b.image.is_empty() {
        req = req.image_override(&b.image);
    }
    if !b.compute.is_empty() {
        req = req.compute_type_override(ComputeType::from(b.compute.as_str()));
    }
    let out = req.send().await.map_err(|e| match e.as_service_error() {
        Some(s) => s.to_string(),
        None => e.to_string(),
    })?;
    out.build_value().and_then(|b| b.id()).map(String::from).ok_or_else(|| "StartBuild returned no build".to_string())
}
