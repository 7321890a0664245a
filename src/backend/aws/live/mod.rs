//! The live backend: starts a scenario's CodeBuild builds with the catalog's overrides, attaches
//! to builds started earlier, polls every active build in one BatchGetBuilds call, and follows
//! each build's log. It runs as one task; the presenter's loop (or `run`) sends it commands and
//! receives the same build events the replay sends, so the UI never waits on the network.

pub mod attach;
pub mod interval;
pub mod pipeline;
pub mod record;
pub mod start;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::mpsc;

use super::logs::{LogFollower, Page, not_there_yet};
use super::mapping::{Seen, log_location, new_events};
use super::rate::{LOGS_PER_SECOND, RateLimiter};
use crate::builds::catalog::Catalog;
use crate::builds::clock::Clock;
use crate::builds::event::{BuildEvent, ScenarioEvents, TimedEvent};
use crate::builds::phase::Phase;
use crate::builds::status::BuildStatus;
use crate::deck::source::ProjectRoot;
use interval::PollInterval;

/// The env variable every demo build carries, so a later session can find it again.
pub const SCENARIO_VAR: &str = "ARM64_DEMO_SCENARIO";
/// Builds run after their scenario's other builds succeeded (they join their images).
const AFTER_OTHERS: &str = "multi_arch_manifest.yml";
/// CloudWatch Logs calls per poll round; the rate limiter spaces them.
const LOG_CALLS_PER_ROUND: usize = 8;
/// Between rounds while a log still has pages to read.
const CATCH_UP: Duration = Duration::from_millis(300);

/// What the presenter asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Start(String),
    Stop(String),
    /// Show the latest builds of these scenarios, if any were started before.
    Attach(Vec<String>),
    /// Save a finished run as a recording.
    Record(String),
    /// Read the pipeline's state now.
    PipelineRefresh,
    StartPipeline,
}

/// What the live backend reports.
#[derive(Debug, Clone)]
pub enum Report {
    /// A scenario's builds started, or were found running or finished (`origin`: the Unix time
    /// of the scenario's clock zero).
    Started {
        scenario: String,
        label: String,
        clock: Clock,
        origin: f64,
    },
    Failed {
        scenario: String,
        error: String,
    },
    Events(ScenarioEvents),
    /// Every build of the scenario ended and its log was read to the end.
    Finished {
        scenario: String,
    },
    /// Attach found no earlier build of the scenario.
    NothingToAttach {
        scenario: String,
    },
    Recorded {
        scenario: String,
        result: Result<PathBuf, String>,
    },
    Pipeline(Result<pipeline::PipelineView, String>),
    /// A one-line message for the presenter.
    Notice(String),
}

/// Where the live backend works.
#[derive(Debug, Clone, Default)]
pub struct LiveSettings {
    /// `bucket/key.zip` of the sources, when the deck or the deployed stack names it.
    pub source: Option<String>,
    pub pipeline: Option<String>,
    /// Where recordings are saved.
    pub recordings: Option<PathBuf>,
}

#[derive(Debug, Default)]
struct LiveBuild {
    id: Option<String>,
    seen: Seen,
    status: Option<BuildStatus>,
    follower: Option<LogFollower>,
    log_done: bool,
    stale: bool,
}

impl LiveBuild {
    fn with_id(id: String) -> Self {
        LiveBuild { id: Some(id), ..Default::default() }
    }

    fn done(&self) -> bool {
        self.seen.status && self.log_done
    }
}

struct LiveScenario {
    origin: f64,
    builds: BTreeMap<String, LiveBuild>,
    /// Everything sent for this run, for a recording.
    history: Vec<TimedEvent>,
    finished_reported: bool,
    /// Found rather than started here: builds that wait for others are not started for it.
    attached: bool,
}

/// Starts the backend task; returns its command sender. Reports go to `reports`.
pub fn spawn(
    config: aws_config::SdkConfig,
    catalog: Catalog,
    root: ProjectRoot,
    settings: LiveSettings,
    reports: mpsc::UnboundedSender<Report>,
) -> mpsc::UnboundedSender<Command> {
    let (cmd_tx, cmd_rx) = mpsc::unbounded_channel();
    let backend = Backend::new(Clients::new(&config), catalog, root, settings, reports);
    tokio::spawn(backend.run(cmd_rx));
    cmd_tx
}

fn epoch_now() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

/// The live backend's state, owned by its task.
pub struct Backend {
    codebuild: aws_sdk_codebuild::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
    pipelines: aws_sdk_codepipeline::Client,
    catalog: Catalog,
    root: ProjectRoot,
    settings: LiveSettings,
    region: String,
    reports: mpsc::UnboundedSender<Report>,
    scenarios: BTreeMap<String, LiveScenario>,
    limiter: RateLimiter,
    interval: PollInterval,
    /// A per-session prefix of idempotency tokens, and a counter per start.
    session: String,
    starts: u64,
    next_poll: tokio::time::Instant,
}

/// The service clients the backend calls.
pub struct Clients {
    pub codebuild: aws_sdk_codebuild::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub pipelines: aws_sdk_codepipeline::Client,
    pub region: String,
}

impl Clients {
    pub fn new(config: &aws_config::SdkConfig) -> Self {
        Clients {
            codebuild: aws_sdk_codebuild::Client::new(config),
            logs: aws_sdk_cloudwatchlogs::Client::new(config),
            pipelines: aws_sdk_codepipeline::Client::new(config),
            region: config.region().map_or("?".to_string(), |r| r.to_string()),
        }
    }
}

impl Backend {
    pub fn new(
        clients: Clients,
        catalog: Catalog,
        root: ProjectRoot,
        settings: LiveSettings,
        reports: mpsc::UnboundedSender<Report>,
    ) -> Self {
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        Backend {
            codebuild: clients.codebuild,
            logs: clients.logs,
            pipelines: clients.pipelines,
            catalog,
            root,
            settings,
            region: clients.region,
            reports,
            scenarios: BTreeMap::new(),
            limiter: RateLimiter::per_second(LOGS_PER_SECOND),
            interval: PollInterval::default(),
            session: format!("{:x}-{:x}", std::process::id(), nanos % 0xffff_ffff),
            starts: 0,
            next_poll: tokio::time::Instant::now(),
        }
    }

    /// Serves commands and polls while anything is active, until the command channel closes.
    pub async fn run(mut self, mut commands: mpsc::UnboundedReceiver<Command>) {
        loop {
            let active = self.active();
            tokio::select! {
                // Commands first: a stop must not wait behind a poll round.
                biased;
                cmd = commands.recv() => match cmd {
                    None => return,
                    Some(cmd) => self.command(cmd).await,
                },
                _ = tokio::time::sleep_until(self.next_poll), if active => {
                    let wait = self.poll().await;
                    self.next_poll = tokio::time::Instant::now() + wait;
                }
            }
        }
    }

    fn active(&self) -> bool {
        self.scenarios.values().any(|s| s.builds.values().any(|b| !b.done()))
    }

    fn report(&self, r: Report) {
        let _ = self.reports.send(r);
    }

    /// Carries out one command.
    pub async fn command(&mut self, cmd: Command) {
        match cmd {
            Command::Start(id) => self.start(&id).await,
            Command::Stop(id) => self.stop(&id).await,
            Command::Attach(ids) => self.attach(&ids).await,
            Command::Record(id) => self.record(&id),
            Command::PipelineRefresh => {
                if let Some(name) = self.settings.pipeline.clone() {
                    self.report(Report::Pipeline(pipeline::state(&self.pipelines, &name).await));
                }
            }
            Command::StartPipeline => {
                let Some(name) = self.settings.pipeline.clone() else { return };
                let token = format!("{}-pipeline-{}", self.session, self.starts);
                self.starts += 1;
                let notice = match pipeline::start(&self.pipelines, &name, &token).await {
                    Ok(id) => format!("pipeline {name} started (execution {id})"),
                    Err(e) => format!("pipeline {name} did not start: {e}"),
                };
                self.report(Report::Notice(notice));
                self.report(Report::Pipeline(pipeline::state(&self.pipelines, &name).await));
            }
        }
        self.interval.reset();
        self.next_poll = tokio::time::Instant::now();
    }

    async fn start(&mut self, id: &str) {
        let Some(def) = self.catalog.scenario(id).cloned() else { return };
        // A second press while the builds run starts nothing: `s` stops them first.
        if self.scenarios.get(id).is_some_and(|s| s.builds.values().any(|b| !b.seen.status)) {
            self.report(Report::Notice(format!("{} is already running; s stops it", def.title)));
            return;
        }
        self.starts += 1;
        let origin = epoch_now();
        let mut live = LiveScenario {
            origin,
            builds: BTreeMap::new(),
            history: Vec::new(),
            finished_reported: false,
            attached: false,
        };
        let mut error = None;
        for b in def.builds.iter().filter(|b| b.buildspec.as_deref() != Some(AFTER_OTHERS)) {
            match self.start_one(id, b).await {
                Ok(build_id) => {
                    live.builds.insert(b.id.clone(), LiveBuild::with_id(build_id));
                }
                Err(e) => {
                    error = Some(format!("{}: {e}", b.label));
                    break;
                }
            }
        }
        let report = match error {
            Some(error) => Report::Failed { scenario: id.to_string(), error },
            None => Report::Started {
                scenario: id.to_string(),
                label: format!("LIVE · CodeBuild in {}", self.region),
                clock: Clock { at: Instant::now(), t: 0.0, speed: 1.0, running: true },
                origin,
            },
        };
        self.report(report);
        self.scenarios.insert(id.to_string(), live);
    }

    async fn start_one(&self, scenario: &str, b: &crate::builds::catalog::BuildDef) -> Result<String, String> {
        // The same token for the SDK's own retries of this request; a new one for each press.
        let token = format!("{}-{}-{}-{}", self.session, self.starts, scenario, b.id);
        let spec = start::spec(&self.root, scenario, b, self.settings.source.as_deref(), token)?;
        start::send(&self.codebuild, &spec).await
    }

    async fn stop(&mut self, id: &str) {
        let Some(live) = self.scenarios.get(id) else { return };
        let mut stopped = 0;
        let mut errors = Vec::new();
        for b in live.builds.values().filter(|b| !b.seen.status) {
            if let Some(build_id) = &b.id {
                match self.codebuild.stop_build().id(build_id).send().await {
                    Ok(_) => stopped += 1,
                    Err(e) => errors.push(super::describe(&e)),
                }
            }
        }
        let notice = match errors.first() {
            Some(e) => format!("stopped {stopped} build(s); {} could not be stopped: {e}", errors.len()),
            None => format!("stopping {stopped} build(s)"),
        };
        self.report(Report::Notice(notice));
    }

    async fn attach(&mut self, ids: &[String]) {
        let wanted: Vec<String> = ids.iter().filter(|s| !self.scenarios.contains_key(*s)).cloned().collect();
        if wanted.is_empty() {
            return;
        }
        let found = match attach::latest(&self.codebuild, &self.catalog, &wanted).await {
            Ok(found) => found,
            Err(e) => {
                self.report(Report::Notice(format!("could not look for earlier builds: {e}")));
                return;
            }
        };
        for scenario in wanted.iter().filter(|s| !found.contains_key(*s)) {
            self.report(Report::NothingToAttach { scenario: scenario.clone() });
        }
        let now = epoch_now();
        for (scenario, builds) in found {
            let origin = builds.values().filter_map(|b| b.start_time()).map(|t| t.as_secs_f64()).fold(now, f64::min);
            let started = chrono::DateTime::from_timestamp(origin as i64, 0)
                .map(|t| t.with_timezone(&chrono::Local).format("%H:%M").to_string())
                .unwrap_or_default();
            let running = builds.values().any(|b| !b.build_complete());
            let live = LiveScenario {
                origin,
                builds: builds
                    .iter()
                    .filter_map(|(def, b)| Some((def.clone(), LiveBuild::with_id(b.id()?.to_string()))))
                    .collect(),
                history: Vec::new(),
                finished_reported: false,
                attached: true,
            };
            self.scenarios.insert(scenario.clone(), live);
            self.report(Report::Started {
                scenario,
                label: format!("LIVE · CodeBuild in {} · builds from {started}", self.region),
                clock: Clock { at: Instant::now(), t: now - origin, speed: 1.0, running },
                origin,
            });
        }
    }

    fn record(&self, id: &str) {
        let result = (|| {
            let live = self.scenarios.get(id).ok_or("this scenario has no live run to record")?;
            if !live.builds.values().all(LiveBuild::done) {
                return Err("the run has not finished yet".to_string());
            }
            let def = self.catalog.scenario(id).ok_or("unknown scenario")?;
            let dir = self.settings.recordings.clone().ok_or("no folder for recordings ($HOME is not set)")?;
            let date = chrono::DateTime::from_timestamp(live.origin as i64, 0)
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_default();
            let rec = record::build(def, &live.history, &date, &self.region);
            record::save(&dir, &rec).map_err(|e| format!("{}: {e}", dir.display()))
        })();
        self.report(Report::Recorded { scenario: id.to_string(), result });
    }

    /// One round: every active build in one BatchGetBuilds call, then pages of the logs.
    /// Returns how long to wait before the next round.
    pub async fn poll(&mut self) -> Duration {
        let mut out: BTreeMap<String, Vec<TimedEvent>> = BTreeMap::new();
        let builds_ok = self.poll_builds(&mut out).await;
        let (logs_ok, more) = self.poll_logs(&mut out).await;
        self.start_waiting_builds().await;
        let changed = out.values().any(|e| !e.is_empty());
        let scenario_ids: Vec<String> = self.scenarios.keys().cloned().collect();
        for scenario in scenario_ids {
            let live = self.scenarios.get_mut(&scenario).expect("listed above");
            let events = out.remove(&scenario).unwrap_or_default();
            live.history.extend(events.iter().cloned());
            let running = live.builds.values().any(|b| !b.seen.status);
            let done = live.builds.values().all(LiveBuild::done);
            let clock = Clock { at: Instant::now(), t: epoch_now() - live.origin, speed: 1.0, running };
            let finished = done && !std::mem::replace(&mut live.finished_reported, done);
            if !events.is_empty() || finished || !running {
                self.report(Report::Events(ScenarioEvents { scenario: scenario.clone(), clock, events }));
            }
            if finished {
                self.report(Report::Finished { scenario });
            }
        }
        if !(builds_ok && logs_ok) {
            self.interval.after_error()
        } else if more {
            CATCH_UP
        } else {
            self.interval.after_round(changed)
        }
    }

    async fn poll_builds(&mut self, out: &mut BTreeMap<String, Vec<TimedEvent>>) -> bool {
        let ids: Vec<String> = self
            .scenarios
            .values()
            .flat_map(|s| s.builds.values())
            .filter(|b| !b.seen.status)
            .filter_map(|b| b.id.clone())
            .take(100)
            .collect();
        if ids.is_empty() {
            return true;
        }
        match self.codebuild.batch_get_builds().set_ids(Some(ids.clone())).send().await {
            Ok(res) => {
                let missing: Vec<String> = res.builds_not_found().to_vec();
                for build in res.builds() {
                    for (scenario, live) in self.scenarios.iter_mut() {
                        for (def_id, b) in live.builds.iter_mut() {
                            if b.id.as_deref() != build.id() {
                                continue;
                            }
                            let events = out.entry(scenario.clone()).or_default();
                            if std::mem::take(&mut b.stale) {
                                events.push(TimedEvent {
                                    t: epoch_now() - live.origin,
                                    build: def_id.clone(),
                                    event: BuildEvent::Resumed,
                                });
                            }
                            for (t, event) in new_events(build, &mut b.seen, live.origin) {
                                if let BuildEvent::Status { status } = &event {
                                    b.status = Some(*status);
                                }
                                events.push(TimedEvent { t, build: def_id.clone(), event });
                            }
                            if b.follower.is_none()
                                && b.seen.phase.is_some_and(|p| p >= Phase::Provisioning)
                                && let Some((group, stream)) = log_location(build)
                            {
                                b.follower = Some(LogFollower::new(group, stream));
                            }
                        }
                    }
                }
                // A build CodeBuild no longer knows (deleted with its project) ends here.
                for (scenario, live) in self.scenarios.iter_mut() {
                    for (def_id, b) in live.builds.iter_mut() {
                        if b.id.as_ref().is_some_and(|id| missing.contains(id)) && !b.seen.status {
                            b.seen.status = true;
                            b.log_done = true;
                            b.status = Some(BuildStatus::Fault);
                            let t = epoch_now() - live.origin;
                            let events = out.entry(scenario.clone()).or_default();
                            events.push(TimedEvent {
                                t,
                                build: def_id.clone(),
                                event: BuildEvent::Stale { reason: "CodeBuild no longer knows this build".into() },
                            });
                            events.push(TimedEvent {
                                t,
                                build: def_id.clone(),
                                event: BuildEvent::Status { status: BuildStatus::Fault },
                            });
                        }
                    }
                }
                true
            }
            Err(e) => {
                let reason = format!("CodeBuild: {}", super::describe(&e));
                for (scenario, live) in self.scenarios.iter_mut() {
                    for (def_id, b) in
                        live.builds.iter_mut().filter(|(_, b)| b.id.as_ref().is_some_and(|id| ids.contains(id)))
                    {
                        b.stale = true;
                        out.entry(scenario.clone()).or_default().push(TimedEvent {
                            t: epoch_now() - live.origin,
                            build: def_id.clone(),
                            event: BuildEvent::Stale { reason: reason.clone() },
                        });
                    }
                }
                false
            }
        }
    }

    /// Reads the next pages of the logs, within the round's budget. Returns whether every call
    /// went through and whether some log has more to read right away.
    async fn poll_logs(&mut self, out: &mut BTreeMap<String, Vec<TimedEvent>>) -> (bool, bool) {
        let mut calls = 0;
        let mut ok = true;
        let mut more = false;
        for (scenario, live) in self.scenarios.iter_mut() {
            for (def_id, b) in live.builds.iter_mut() {
                let Some(f) = b.follower.as_mut() else {
                    // No stream to read and the build ended: nothing will come.
                    b.log_done |= b.seen.status;
                    continue;
                };
                if b.log_done {
                    continue;
                }
                if calls >= LOG_CALLS_PER_ROUND {
                    more = true;
                    continue;
                }
                calls += 1;
                self.limiter.acquire().await;
                let events = out.entry(scenario.clone()).or_default();
                let now = epoch_now() - live.origin;
                match f.poll(&self.logs).await {
                    Ok(page) => {
                        if std::mem::take(&mut b.stale) {
                            events.push(TimedEvent { t: now, build: def_id.clone(), event: BuildEvent::Resumed });
                        }
                        more |= !page.at_end && !page.lines.is_empty();
                        b.log_done = page.at_end && b.seen.status;
                        log_events(page, live.origin, now, def_id, events);
                    }
                    Err(e) if not_there_yet(&e) => b.log_done = b.seen.status,
                    Err(e) => {
                        ok = false;
                        b.stale = true;
                        events.push(TimedEvent {
                            t: now,
                            build: def_id.clone(),
                            event: BuildEvent::Stale { reason: format!("logs: {}", super::describe(&e)) },
                        });
                    }
                }
            }
        }
        (ok, more)
    }

    /// Builds that wait for the others (the multi-arch manifest) start once those succeeded.
    async fn start_waiting_builds(&mut self) {
        let mut to_start = Vec::new();
        for (scenario, live) in self.scenarios.iter().filter(|(_, l)| !l.attached) {
            let Some(def) = self.catalog.scenario(scenario) else { continue };
            let others_ok = live.builds.values().all(|b| b.status == Some(BuildStatus::Succeeded));
            for b in def.builds.iter().filter(|b| b.buildspec.as_deref() == Some(AFTER_OTHERS)) {
                if others_ok && !live.builds.contains_key(&b.id) {
                    to_start.push((scenario.clone(), b.clone()));
                }
            }
        }
        for (scenario, b) in to_start {
            let result = self.start_one(&scenario, &b).await;
            let live = self.scenarios.get_mut(&scenario).expect("listed above");
            match result {
                Ok(id) => {
                    live.builds.insert(b.id.clone(), LiveBuild::with_id(id));
                }
                Err(e) => {
                    // Shown on the build's row; it counts as ended, so the run can finish.
                    let t = epoch_now() - live.origin;
                    let failed = LiveBuild {
                        seen: Seen { started: true, phase: None, status: true },
                        log_done: true,
                        status: Some(BuildStatus::Fault),
                        ..Default::default()
                    };
                    live.builds.insert(b.id.clone(), failed);
                    let _ = self.reports.send(Report::Events(ScenarioEvents {
                        scenario: scenario.clone(),
                        clock: Clock { at: Instant::now(), t, speed: 1.0, running: false },
                        events: vec![
                            TimedEvent {
                                t,
                                build: b.id.clone(),
                                event: BuildEvent::Log { lines: vec![format!("StartBuild failed: {e}")] },
                            },
                            TimedEvent {
                                t,
                                build: b.id.clone(),
                                event: BuildEvent::Status { status: BuildStatus::Fault },
                            },
                        ],
                    }));
                }
            }
        }
    }
}

/// A page of log lines as events, each at its CloudWatch time (consecutive lines of the same
/// second share one event), so a recording replays them when they happened.
fn log_events(page: Page, origin: f64, now: f64, build: &str, out: &mut Vec<TimedEvent>) {
    let mut current: Option<(f64, Vec<String>)> = None;
    for (line, at) in page.lines.into_iter().zip(page.times) {
        let t = at.map_or(now, |a| (a - origin).max(0.0));
        match current.as_mut() {
            Some((start, lines)) if t.floor() == start.floor() => lines.push(line),
            _ => {
                if let Some((start, lines)) = current.take() {
                    out.push(TimedEvent { t: start, build: build.to_string(), event: BuildEvent::Log { lines } });
                }
                current = Some((t, vec![line]));
            }
        }
    }
    if let Some((start, lines)) = current {
        out.push(TimedEvent { t: start, build: build.to_string(), event: BuildEvent::Log { lines } });
    }
}
