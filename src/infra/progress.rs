//! Waiting for a stack operation while showing its events: one line per event when the output is
//! a file or a pipe, one progress line (elapsed time, resources done) on a terminal.

use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use std::time::{Duration, Instant};

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::types::{Stack, StackEvent};

use super::{sdk_error, stack};

/// How to wait.
#[derive(Debug, Clone)]
pub struct Watch {
    /// One rewritten progress line (a terminal) instead of one line per event.
    pub live: bool,
    /// Time between polls.
    pub poll: Duration,
    /// When to give up; CloudFormation keeps going without us.
    pub timeout: Duration,
}

impl Watch {
    /// Polls every 3 s; gives up after an hour, far beyond what this stack takes to create.
    pub fn new(live: bool) -> Self {
        Watch { live, poll: Duration::from_secs(3), timeout: Duration::from_secs(60 * 60) }
    }
}

/// The operation being waited for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    Create,
    Update,
    Delete,
}

impl Goal {
    fn complete(self) -> &'static str {
        match self {
            Goal::Create => "CREATE_COMPLETE",
            Goal::Update => "UPDATE_COMPLETE",
            Goal::Delete => "DELETE_COMPLETE",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Goal::Create => "creating",
            Goal::Update => "updating",
            Goal::Delete => "deleting",
        }
    }
}

/// A resource that failed, from its event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub logical_id: String,
    pub resource_type: String,
    pub status: String,
    pub reason: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}) {}: {}", self.logical_id, self.resource_type, self.status, self.reason)
    }
}

/// How the operation ended.
#[derive(Debug)]
pub enum Finish {
    /// The goal's *_COMPLETE; `None` once a deleted stack is gone.
    Done(Option<Box<Stack>>),
    /// Any other settled state: a rollback or a failure.
    Failed { status: String, failure: Option<Failure>, stack_reason: Option<String> },
}

impl Finish {
    /// The failure as one sentence, naming the first failed resource.
    pub fn describe(status: &str, failure: &Option<Failure>, stack_reason: &Option<String>) -> String {
        match (failure, stack_reason) {
            (Some(f), _) => format!("{status}; first failure: {f}"),
            (None, Some(r)) => format!("{status}: {r}"),
            (None, None) => status.to_string(),
        }
    }
}

/// The events of one stack seen so far.
#[derive(Debug, Default)]
pub struct Events {
    seen: HashSet<String>,
    /// The newest event before the operation: it and everything older belong to the past.
    marker: Option<String>,
    /// Last status per resource, for the progress counts.
    resources: BTreeMap<String, String>,
    failures: Vec<Failure>,
}

impl Events {
    /// Events from now on: remembers the stack's newest event, so nothing older is shown.
    pub async fn after_now(cfn: &Client, stack_id: &str) -> anyhow::Result<Events> {
        let marker = match cfn.describe_stack_events().stack_name(stack_id).send().await {
            Ok(out) => out.stack_events().first().and_then(|e| e.event_id()).map(str::to_string),
            Err(e) if stack::is_missing(&e) => None,
            Err(e) => return Err(sdk_error("DescribeStackEvents", e)),
        };
        Ok(Events { marker, ..Events::default() })
    }

    /// The events that appeared since the last call, oldest first.
    async fn fetch(&mut self, cfn: &Client, stack_id: &str) -> anyhow::Result<Vec<StackEvent>> {
        let mut fresh = Vec::new();
        let mut pages = cfn.describe_stack_events().stack_name(stack_id).into_paginator().send();
        'pages: while let Some(page) = pages.next().await {
            let page = match page {
                Ok(p) => p,
                Err(e) if stack::is_missing(&e) => break,
                Err(e) => return Err(sdk_error("DescribeStackEvents", e)),
            };
            // Newest first: stop at the first event already known.
            for event in page.stack_events() {
                let id = event.event_id().unwrap_or_default();
                if self.marker.as_deref() == Some(id) || self.seen.contains(id) {
                    break 'pages;
                }
                fresh.push(event.clone());
            }
        }
        fresh.reverse();
        for e in &fresh {
            self.seen.insert(e.event_id().unwrap_or_default().to_string());
            let status = e.resource_status().map(|s| s.as_str()).unwrap_or_default().to_string();
            let logical = e.logical_resource_id().unwrap_or_default().to_string();
            let kind = e.resource_type().unwrap_or_default().to_string();
            if status.ends_with("_FAILED") {
                self.failures.push(Failure {
                    logical_id: logical.clone(),
                    resource_type: kind.clone(),
                    status: status.clone(),
                    reason: e.resource_status_reason().unwrap_or("no reason given").to_string(),
                });
            }
            if kind != "AWS::CloudFormation::Stack" {
                self.resources.insert(logical, status);
            }
        }
        Ok(fresh)
    }

    /// The first failure worth naming: a resource's own, not a cancellation it caused elsewhere
    /// nor the stack's summary of it.
    pub fn first_failure(&self) -> Option<Failure> {
        let own = |f: &&Failure| f.resource_type != "AWS::CloudFormation::Stack";
        self.failures
            .iter()
            .filter(own)
            .find(|f| !f.reason.to_lowercase().contains("cancelled"))
            .or_else(|| self.failures.iter().find(own))
            .or_else(|| self.failures.first())
            .cloned()
    }

    fn counts(&self) -> (usize, usize) {
        let done = self.resources.values().filter(|s| s.ends_with("_COMPLETE") || s.ends_with("_SKIPPED")).count();
        let busy = self.resources.values().filter(|s| stack::in_progress(s)).count();
        (done, busy)
    }
}

/// One event as `time  ResourceType  LogicalId  STATUS  reason`.
pub fn event_line(e: &StackEvent) -> String {
    let time = e
        .timestamp()
        .and_then(|t| chrono::DateTime::from_timestamp(t.secs(), t.subsec_nanos()))
        .map(|t| t.with_timezone(&chrono::Local).format("%H:%M:%S").to_string())
        .unwrap_or_else(|| "--:--:--".into());
    let line = format!(
        "{time}  {:<30}  {:<26}  {:<20}  {}",
        e.resource_type().unwrap_or_default(),
        e.logical_resource_id().unwrap_or_default(),
        e.resource_status().map(|s| s.as_str()).unwrap_or_default(),
        e.resource_status_reason().unwrap_or_default(),
    );
    line.trim_end().to_string()
}

fn elapsed(d: Duration) -> String {
    let s = d.as_secs();
    format!("{}:{:02}", s / 60, s % 60)
}

/// Polls the stack until it settles, showing its events; errors only when CloudFormation cannot
/// be asked or the wait times out.
pub async fn wait(
    cfn: &Client,
    stack_id: &str,
    goal: Goal,
    events: &mut Events,
    watch: &Watch,
    out: &mut impl Write,
) -> anyhow::Result<Finish> {
    let start = Instant::now();
    loop {
        let current = stack::describe(cfn, stack_id).await?;
        let fresh = events.fetch(cfn, stack_id).await?;
        let (done, busy) = events.counts();
        if watch.live {
            for e in fresh.iter().filter(|e| e.resource_status().is_some_and(|s| s.as_str().ends_with("_FAILED"))) {
                write!(out, "\r\x1b[2K{}\n", event_line(e))?;
            }
            write!(
                out,
                "\r\x1b[2K  {}  {} {stack_id}: {done} resources done, {busy} in progress",
                elapsed(start.elapsed()),
                goal.verb()
            )?;
        } else {
            for e in &fresh {
                writeln!(out, "{}", event_line(e))?;
            }
        }
        out.flush()?;
        let status = match &current {
            None if goal == Goal::Delete => "DELETE_COMPLETE".to_string(),
            None => anyhow::bail!("stack {stack_id} disappeared while {} it", goal.verb()),
            Some(s) => stack::status(s).to_string(),
        };
        if !stack::in_progress(&status) {
            if watch.live {
                writeln!(out, "\r\x1b[2K  {}  {stack_id}: {status}", elapsed(start.elapsed()))?;
            }
            return Ok(if status == goal.complete() {
                Finish::Done(current.filter(|_| goal != Goal::Delete).map(Box::new))
            } else {
                Finish::Failed {
                    status,
                    failure: events.first_failure(),
                    stack_reason: current.and_then(|s| s.stack_status_reason().map(str::to_string)),
                }
            });
        }
        if start.elapsed() >= watch.timeout {
            if watch.live {
                writeln!(out)?;
            }
            anyhow::bail!(
                "gave up waiting after {} with stack {stack_id} still {status}; CloudFormation carries on: \
                 watch it in the console, then run the command again",
                elapsed(start.elapsed())
            );
        }
        tokio::time::sleep(watch.poll).await;
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_cloudformation::types::ResourceStatus;

    use super::*;

    fn event(id: &str, logical: &str, kind: &str, status: ResourceStatus, reason: &str) -> StackEvent {
        StackEvent::builder()
            .event_id(id)
            .stack_id("s")
            .stack_name("s")
            .logical_resource_id(logical)
            .resource_type(kind)
            .resource_status(status)
            .resource_status_reason(reason)
            .timestamp(aws_smithy_types::DateTime::from_secs(0))
            .build()
    }

    #[test]
    fn event_lines_hold_type_id_status_and_reason() {
        let line = event_line(&event("1", "Bucket", "AWS::S3::Bucket", ResourceStatus::CreateFailed, "Access denied"));
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(&cols[1..], ["AWS::S3::Bucket", "Bucket", "CREATE_FAILED", "Access", "denied"]);
    }

    #[test]
    fn the_first_failure_is_the_cause_not_a_cancellation() {
        let mut events = Events::default();
        for (logical, kind, reason) in [
            ("Other", "AWS::IAM::Role", "Resource creation cancelled"),
            ("Repo", "AWS::ECR::Repository", "name taken"),
            ("s", "AWS::CloudFormation::Stack", "The following resource(s) failed to create: [Repo]"),
        ] {
            events.failures.push(Failure {
                logical_id: logical.into(),
                resource_type: kind.into(),
                status: "CREATE_FAILED".into(),
                reason: reason.into(),
            });
        }
        assert_eq!(events.first_failure().unwrap().logical_id, "Repo");
    }
}
