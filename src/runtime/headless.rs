//! `run` and `record` without a screen: a scenario's builds started (or found), their status
//! changes and log lines streamed as plain text prefixed per build, like `docker compose logs`.

use std::io::Write;

use tokio::sync::mpsc;

use crate::backend::aws::live::{self, Command, LiveSettings, Report};
use crate::builds::catalog::Scenario;
use crate::builds::event::BuildEvent;
use crate::builds::scenario_run::ScenarioRun;
use crate::builds::status::Verdict;
use crate::deck::Deck;
use crate::deck::source::ProjectRoot;

/// What to do with the scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Start its builds.
    Start,
    /// Follow its latest builds, started earlier.
    Attach,
    /// Follow its latest builds to their end, then save them as a recording.
    Record,
}

/// Streams the run to `out`; `Ok(true)` when every build ended as expected (an expected failure
/// counts), `Ok(false)` otherwise.
pub async fn run(
    config: aws_config::SdkConfig,
    deck: &Deck,
    root: ProjectRoot,
    settings: LiveSettings,
    scenario_id: &str,
    mode: Mode,
    out: &mut impl Write,
) -> anyhow::Result<bool> {
    let scenario = deck.catalog.scenario(scenario_id).ok_or_else(|| {
        let ids: Vec<&str> = deck.catalog.scenarios.iter().map(|s| s.id.as_str()).collect();
        anyhow::anyhow!("no scenario \"{scenario_id}\"; the deck has: {}", ids.join(", "))
    })?;
    let (tx, mut reports) = mpsc::unbounded_channel();
    let commands = live::spawn(config, deck.catalog.clone(), root, settings, tx);
    let first = match mode {
        Mode::Start => Command::Start(scenario_id.to_string()),
        Mode::Attach | Mode::Record => Command::Attach(vec![scenario_id.to_string()]),
    };
    let _ = commands.send(first);
    let width = scenario.builds.iter().map(|b| b.id.len()).max().unwrap_or(4);
    let mut run: Option<ScenarioRun> = None;
    while let Some(report) = reports.recv().await {
        match report {
            Report::Started { label, clock, .. } => {
                writeln!(out, "{} · {}: {label}", scenario.concept, scenario.title)?;
                run = Some(ScenarioRun::new(scenario, label, clock, 1));
            }
            Report::Failed { error, .. } => anyhow::bail!("{scenario_id} did not start: {error}"),
            Report::NothingToAttach { .. } => {
                anyhow::bail!(
                    "no earlier build of {scenario_id} to follow; start one with `arm64-demo run {scenario_id}`"
                )
            }
            Report::Events(update) => {
                for e in &update.events {
                    print_event(out, width, &e.build, &e.event)?;
                }
                if let Some(r) = run.as_mut() {
                    r.apply(scenario, &update.events);
                }
            }
            Report::Finished { .. } if mode == Mode::Record => {
                let _ = commands.send(Command::Record(scenario_id.to_string()));
            }
            Report::Finished { .. } => break,
            Report::Recorded { result, .. } => {
                let path = result.map_err(|e| anyhow::anyhow!("not recorded: {e}"))?;
                writeln!(out, "recorded to {}", path.display())?;
                break;
            }
            Report::Notice(text) => writeln!(out, "{text}")?,
            Report::Pipeline(_) => {}
        }
        out.flush()?;
    }
    let Some(run) = run else { anyhow::bail!("the live backend stopped before {scenario_id} started") };
    Ok(summary(out, scenario, &run, width)?)
}

fn print_event(out: &mut impl Write, width: usize, build: &str, event: &BuildEvent) -> std::io::Result<()> {
    let prefix = format!("{build:<width$} |");
    match event {
        BuildEvent::Started { build_id } => writeln!(out, "{prefix} started {}", build_id.as_deref().unwrap_or("")),
        BuildEvent::Phase { phase } => writeln!(out, "{prefix} ▶ {}", phase.api_name()),
        BuildEvent::Log { lines } => lines.iter().try_for_each(|l| writeln!(out, "{prefix} {l}")),
        BuildEvent::Status { status } => writeln!(out, "{prefix} ■ {}", status.api_name()),
        BuildEvent::Metric { name, value } => writeln!(out, "{prefix} {name} = {value}"),
        BuildEvent::Stale { reason } => writeln!(out, "{prefix} ! stale: {reason}"),
        BuildEvent::Resumed => writeln!(out, "{prefix} reachable again"),
    }
}

/// One line per build with its verdict; whether all were as expected.
fn summary(out: &mut impl Write, scenario: &Scenario, run: &ScenarioRun, width: usize) -> std::io::Result<bool> {
    let mut all = true;
    for b in &scenario.builds {
        let verdict = run.builds.get(&b.id).map_or(Verdict::NotStarted, |r| r.verdict(b.expect));
        let expected = matches!(verdict, Verdict::Succeeded | Verdict::FailedAsExpected);
        all &= expected;
        writeln!(out, "{:<width$} | {} {verdict:?}", b.id, if expected { "✓" } else { "✗" })?;
    }
    Ok(all)
}
