//! The live backend against exact CodeBuild answers (aws-smithy-mocks): phases advancing through
//! all eleven types, every final status, builds CodeBuild no longer knows, an account limit on
//! start, attaching to builds found by their marker, and the pipeline's state.

use std::time::Duration;

use arm64_demo::backend::aws::live::{Backend, Clients, Command, LiveSettings, Report, SCENARIO_VAR, pipeline};
use arm64_demo::builds::event::BuildEvent;
use arm64_demo::builds::phase::Phase;
use arm64_demo::builds::status::BuildStatus;
use arm64_demo::deck::{self, DeckSource};
use aws_sdk_cloudwatchlogs::operation::get_log_events::GetLogEventsOutput;
use aws_sdk_codebuild::operation::batch_get_builds::BatchGetBuildsOutput;
use aws_sdk_codebuild::operation::list_builds_for_project::ListBuildsForProjectOutput;
use aws_sdk_codebuild::operation::start_build::{StartBuildError, StartBuildOutput};
use aws_sdk_codebuild::types::error::AccountLimitExceededException;
use aws_sdk_codebuild::types::{
    Build, BuildPhase, BuildPhaseType, ComputeType, EnvironmentType, EnvironmentVariable, ProjectEnvironment,
    StatusType,
};
use aws_sdk_codepipeline::operation::get_pipeline_state::GetPipelineStateOutput;
use aws_sdk_codepipeline::types::{
    ActionExecution, ActionExecutionStatus, ActionState, StageExecution, StageExecutionStatus, StageState,
};
use aws_smithy_mocks::{Rule, RuleMode, mock, mock_client};
use aws_smithy_types::DateTime;
use tokio::sync::mpsc;

const T0: i64 = 1_790_000_000;

/// A build `n` phases in (all eleven when `n == 11`), ending with `status` once complete.
fn build_at(id: &str, n: usize, status: StatusType) -> Build {
    let phases: Vec<BuildPhase> = Phase::ALL
        .iter()
        .take(n)
        .enumerate()
        .map(|(i, p)| {
            BuildPhase::builder()
                .phase_type(BuildPhaseType::from(p.api_name()))
                .start_time(DateTime::from_secs(T0 + 10 * i as i64))
                .build()
        })
        .collect();
    let complete = n == Phase::ALL.len();
    let mut b = Build::builder()
        .id(id)
        .start_time(DateTime::from_secs(T0))
        .set_phases(Some(phases))
        .build_complete(complete)
        .build_status(if complete { status } else { StatusType::InProgress });
    if complete {
        b = b.end_time(DateTime::from_secs(T0 + 120));
    }
    b.build()
}

fn start_rule(id: &'static str) -> Rule {
    mock!(aws_sdk_codebuild::Client::start_build)
        .then_output(move || StartBuildOutput::builder().build_value(Build::builder().id(id).build()).build())
}

/// Logs that exist but hold nothing yet.
fn empty_logs() -> Rule {
    mock!(aws_sdk_cloudwatchlogs::Client::get_log_events)
        .then_output(|| GetLogEventsOutput::builder().next_forward_token("f/1").build())
}

struct Harness {
    backend: Backend,
    reports: mpsc::UnboundedReceiver<Report>,
}

fn harness(codebuild: aws_sdk_codebuild::Client, logs: aws_sdk_cloudwatchlogs::Client) -> Harness {
    let deck = deck::load(&DeckSource::Bundled, None).unwrap();
    let pipelines = mock_client!(aws_sdk_codepipeline, []);
    let (tx, reports) = mpsc::unbounded_channel();
    let clients = Clients { codebuild, logs, pipelines, region: "eu-west-1".into() };
    let backend = Backend::new(clients, deck.catalog, DeckSource::Bundled.root(), LiveSettings::default(), tx);
    Harness { backend, reports }
}

impl Harness {
    fn drain(&mut self) -> Vec<Report> {
        std::iter::from_fn(|| self.reports.try_recv().ok()).collect()
    }

    /// The events of every report so far, for one build.
    fn events(reports: &[Report], build: &str) -> Vec<BuildEvent> {
        reports
            .iter()
            .filter_map(|r| if let Report::Events(e) = r { Some(e) } else { None })
            .flat_map(|e| e.events.iter().filter(|e| e.build == build).map(|e| e.event.clone()))
            .collect()
    }
}

#[tokio::test(start_paused = true)]
async fn phases_advance_through_all_eleven_types_once_each() {
    // The emulated scenario has one build; each poll finds it two phases further.
    let mut seq = mock!(aws_sdk_codebuild::Client::batch_get_builds).sequence();
    for n in [2, 4, 6, 8, 10, 11] {
        seq = seq.output(move || {
            BatchGetBuildsOutput::builder().builds(build_at("p:emu", n, StatusType::Succeeded)).build()
        });
    }
    let polls = seq.build();
    let codebuild = mock_client!(aws_sdk_codebuild, RuleMode::MatchAny, [&start_rule("p:emu"), &polls]);
    let logs = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, [&empty_logs()]);
    let mut h = harness(codebuild, logs);
    h.backend.command(Command::Start("emulated-build".into())).await;
    for _ in 0..6 {
        h.backend.poll().await;
    }
    let reports = h.drain();
    assert!(matches!(&reports[0], Report::Started { label, .. } if label == "LIVE · CodeBuild in eu-west-1"));
    let events = Harness::events(&reports, "arm64-emulated");
    let phases: Vec<Phase> =
        events.iter().filter_map(|e| if let BuildEvent::Phase { phase } = e { Some(*phase) } else { None }).collect();
    assert_eq!(phases, Phase::ALL, "every phase once, in order");
    let statuses: Vec<&BuildEvent> = events.iter().filter(|e| matches!(e, BuildEvent::Status { .. })).collect();
    assert_eq!(statuses, [&BuildEvent::Status { status: BuildStatus::Succeeded }]);
    assert!(reports.iter().any(|r| matches!(r, Report::Finished { scenario } if scenario == "emulated-build")));
}

#[tokio::test(start_paused = true)]
async fn every_final_status_reaches_the_pane() {
    for (api, ours) in [
        (StatusType::Failed, BuildStatus::Failed),
        (StatusType::Fault, BuildStatus::Fault),
        (StatusType::TimedOut, BuildStatus::TimedOut),
        (StatusType::Stopped, BuildStatus::Stopped),
        (StatusType::Succeeded, BuildStatus::Succeeded),
    ] {
        let api2 = api.clone();
        let poll = mock!(aws_sdk_codebuild::Client::batch_get_builds)
            .then_output(move || BatchGetBuildsOutput::builder().builds(build_at("p:emu", 11, api2.clone())).build());
        let codebuild = mock_client!(aws_sdk_codebuild, RuleMode::MatchAny, [&start_rule("p:emu"), &poll]);
        let logs = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, [&empty_logs()]);
        let mut h = harness(codebuild, logs);
        h.backend.command(Command::Start("emulated-build".into())).await;
        h.backend.poll().await;
        h.backend.poll().await;
        let events = Harness::events(&h.drain(), "arm64-emulated");
        let statuses: Vec<&BuildEvent> = events.iter().filter(|e| matches!(e, BuildEvent::Status { .. })).collect();
        assert_eq!(statuses, [&BuildEvent::Status { status: ours }], "{api:?}: once, whatever the re-polls");
    }
}

#[tokio::test(start_paused = true)]
async fn a_build_codebuild_no_longer_knows_ends_as_a_fault_with_the_reason() {
    let poll = mock!(aws_sdk_codebuild::Client::batch_get_builds)
        .then_output(|| BatchGetBuildsOutput::builder().builds_not_found("p:emu").build());
    let codebuild = mock_client!(aws_sdk_codebuild, RuleMode::MatchAny, [&start_rule("p:emu"), &poll]);
    let logs = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, [&empty_logs()]);
    let mut h = harness(codebuild, logs);
    h.backend.command(Command::Start("emulated-build".into())).await;
    h.backend.poll().await;
    let events = Harness::events(&h.drain(), "arm64-emulated");
    assert!(
        events.contains(&BuildEvent::Stale { reason: "CodeBuild no longer knows this build".into() }),
        "{events:?}"
    );
    assert_eq!(events.last(), Some(&BuildEvent::Status { status: BuildStatus::Fault }));
    h.backend.poll().await;
    assert!(Harness::events(&h.drain(), "arm64-emulated").is_empty(), "nothing polled after the end");
    assert_eq!(poll.num_calls(), 1);
}

#[tokio::test(start_paused = true)]
async fn an_account_limit_on_start_is_the_scenarios_error() {
    let refuse = mock!(aws_sdk_codebuild::Client::start_build).then_error(|| {
        StartBuildError::AccountLimitExceededException(
            AccountLimitExceededException::builder().message("Cannot have more than 1 builds in queue").build(),
        )
    });
    let codebuild = mock_client!(aws_sdk_codebuild, [&refuse]);
    let logs = mock_client!(aws_sdk_cloudwatchlogs, []);
    let mut h = harness(codebuild, logs);
    h.backend.command(Command::Start("emulated-build".into())).await;
    let reports = h.drain();
    match &reports[..] {
        [Report::Failed { scenario, error }] => {
            assert_eq!(scenario, "emulated-build");
            assert!(error.starts_with("arm64 through QEMU on an x86_64 host: "), "{error}");
            assert!(error.contains("Cannot have more than 1 builds in queue"), "{error}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_second_start_while_running_starts_nothing() {
    let start = start_rule("p:emu");
    let poll = mock!(aws_sdk_codebuild::Client::batch_get_builds)
        .then_output(|| BatchGetBuildsOutput::builder().builds(build_at("p:emu", 5, StatusType::InProgress)).build());
    let codebuild = mock_client!(aws_sdk_codebuild, RuleMode::MatchAny, [&start, &poll]);
    let logs = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, [&empty_logs()]);
    let mut h = harness(codebuild, logs);
    h.backend.command(Command::Start("emulated-build".into())).await;
    h.backend.poll().await;
    h.backend.command(Command::Start("emulated-build".into())).await;
    assert_eq!(start.num_calls(), 1);
    assert!(h.drain().iter().any(|r| matches!(r, Report::Notice(n) if n.contains("already running"))));
}

fn marked(id: &str, mark: &str, started: i64, complete: bool) -> Build {
    let env = ProjectEnvironment::builder()
        .r#type(EnvironmentType::LinuxContainer)
        .image("aws/codebuild/amazonlinux-x86_64-standard:5.0")
        .compute_type(ComputeType::BuildGeneral1Large)
        .environment_variables(EnvironmentVariable::builder().name(SCENARIO_VAR).value(mark).build().unwrap())
        .build()
        .unwrap();
    Build::builder()
        .id(id)
        .start_time(DateTime::from_secs(started))
        .build_complete(complete)
        .build_status(if complete { StatusType::Succeeded } else { StatusType::InProgress })
        .environment(env)
        .build()
}

#[tokio::test(start_paused = true)]
async fn attach_finds_the_latest_marked_build_of_each_scenario_build() {
    let list = mock!(aws_sdk_codebuild::Client::list_builds_for_project)
        .then_output(|| ListBuildsForProjectOutput::builder().ids("x:new").ids("x:old").ids("x:foreign").build());
    let get = mock!(aws_sdk_codebuild::Client::batch_get_builds).then_output(|| {
        BatchGetBuildsOutput::builder()
            .builds(marked("x:new", "software-running/x86", T0 + 100, true))
            .builds(marked("x:old", "software-running/x86", T0, true))
            .builds(Build::builder().id("x:foreign").build())
            .build()
    });
    let codebuild = mock_client!(aws_sdk_codebuild, RuleMode::MatchAny, [&list, &get]);
    let logs = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, [&empty_logs()]);
    let mut h = harness(codebuild, logs);
    h.backend.command(Command::Attach(vec!["software-running".into(), "go-assembly".into()])).await;
    let reports = h.drain();
    let started: Vec<&Report> = reports.iter().filter(|r| matches!(r, Report::Started { .. })).collect();
    assert_eq!(started.len(), 1, "{reports:?}");
    let Report::Started { scenario, label, origin, clock } = started[0] else { unreachable!() };
    assert_eq!(scenario, "software-running");
    assert!(label.starts_with("LIVE · CodeBuild in eu-west-1 · builds from "), "{label}");
    assert_eq!(*origin, (T0 + 100) as f64, "the clock starts with the newest run");
    assert!(!clock.running, "every found build had finished");
    assert!(reports.iter().any(|r| matches!(r, Report::NothingToAttach { scenario } if scenario == "go-assembly")));
    // The next poll reads the found build (its id, not the older one).
    h.backend.poll().await;
    let events = Harness::events(&h.drain(), "x86");
    assert_eq!(events.first(), Some(&BuildEvent::Started { build_id: Some("x:new".into()) }), "{events:?}");
    // One lookup per project of the two scenarios, then one poll; attaching never starts a
    // build (not even the manifest that waits for the others).
    let deck = deck::load(&DeckSource::Bundled, None).unwrap();
    let mut projects: Vec<&str> = ["software-running", "go-assembly"]
        .iter()
        .flat_map(|s| deck.catalog.scenario(s).unwrap().builds.iter().map(|b| b.project.as_str()))
        .collect();
    projects.sort_unstable();
    projects.dedup();
    assert_eq!(list.num_calls(), projects.len());
    assert_eq!(get.num_calls(), projects.len() + 1);
}

#[tokio::test(start_paused = true)]
async fn a_stale_poll_is_shown_and_cleared_when_codebuild_answers_again() {
    let polls = mock!(aws_sdk_codebuild::Client::batch_get_builds)
        .sequence()
        .http_status(503, None)
        .times(3)
        .output(|| BatchGetBuildsOutput::builder().builds(build_at("p:emu", 11, StatusType::Succeeded)).build())
        .build();
    let codebuild = mock_client!(aws_sdk_codebuild, RuleMode::MatchAny, [&start_rule("p:emu"), &polls]);
    let logs = mock_client!(aws_sdk_cloudwatchlogs, RuleMode::MatchAny, [&empty_logs()]);
    let mut h = harness(codebuild, logs);
    h.backend.command(Command::Start("emulated-build".into())).await;
    let wait = h.backend.poll().await;
    assert!(wait > Duration::from_secs(2), "a failed round backs off: {wait:?}");
    let stale = Harness::events(&h.drain(), "arm64-emulated");
    assert!(matches!(&stale[..], [BuildEvent::Stale { reason }] if reason.starts_with("CodeBuild: ")), "{stale:?}");
    h.backend.poll().await;
    let events = Harness::events(&h.drain(), "arm64-emulated");
    assert_eq!(events.first(), Some(&BuildEvent::Resumed));
    assert_eq!(events.last(), Some(&BuildEvent::Status { status: BuildStatus::Succeeded }));
}

#[tokio::test]
async fn the_pipeline_view_holds_stages_actions_and_their_status() {
    let state = mock!(aws_sdk_codepipeline::Client::get_pipeline_state).then_output(|| {
        let action = |name: &str, status: ActionExecutionStatus| {
            ActionState::builder()
                .action_name(name)
                .latest_execution(
                    ActionExecution::builder()
                        .status(status)
                        .summary("Build in progress\nsecond line")
                        .last_status_change(DateTime::from_secs(T0))
                        .build(),
                )
                .build()
        };
        GetPipelineStateOutput::builder()
            .stage_states(
                StageState::builder()
                    .stage_name("Concept-1A")
                    .latest_execution(
                        StageExecution::builder()
                            .pipeline_execution_id("e1")
                            .status(StageExecutionStatus::InProgress)
                            .build()
                            .unwrap(),
                    )
                    .action_states(action("native-build.x86-native", ActionExecutionStatus::Succeeded))
                    .action_states(action("native-build.arm64-native", ActionExecutionStatus::InProgress))
                    .build(),
            )
            .stage_states(StageState::builder().stage_name("Concept-1B").build())
            .build()
    });
    let client = mock_client!(aws_sdk_codepipeline, [&state]);
    let view = pipeline::state(&client, "arm64-demo").await.unwrap();
    assert_eq!(view.name, "arm64-demo");
    assert_eq!(view.stages.len(), 2);
    assert_eq!(view.stages[0].status.as_deref(), Some("InProgress"));
    assert_eq!(view.stages[1].status, None, "a stage that never ran");
    let a = &view.stages[0].actions[1];
    assert_eq!(a.name, "native-build.arm64-native");
    assert_eq!(a.status.as_deref(), Some("InProgress"));
    assert_eq!(a.changed, Some(T0 as f64));
    assert_eq!(a.detail.as_deref(), Some("Build in progress"), "first line only");
}
