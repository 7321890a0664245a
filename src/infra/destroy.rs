//! `arm64-demo destroy`: empties what CloudFormation cannot delete while it holds data (the ECR
//! repository's images, every object version in the bucket), then deletes the stack. Resources
//! are found from the stack's own list, not its outputs, so a half-created stack goes too.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::path::PathBuf;

use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_ecr::types::ImageIdentifier;
use aws_sdk_s3::types::{Delete, ObjectIdentifier};
use clap::Args;

use super::outputs;
use super::progress::{self, Events, Finish, Goal, Watch};
use super::{AwsTarget, DEFAULT_STACK_NAME, region_of, s3_client, sdk_error, stack};

/// BatchDeleteImage takes at most 100 images a call.
const ECR_BATCH: usize = 100;
/// DeleteObjects takes at most 1000 keys a call.
const S3_BATCH: usize = 1000;

#[derive(Debug, Clone, Args)]
pub struct DestroyArgs {
    /// The CloudFormation stack to delete.
    #[arg(long, default_value = DEFAULT_STACK_NAME)]
    pub stack_name: String,
    #[command(flatten)]
    pub aws: AwsTarget,
    /// Delete without asking; needed when stdin is not a terminal.
    #[arg(long)]
    pub yes: bool,
}

impl DestroyArgs {
    /// The options these arguments stand for; `live` shows one progress line instead of events.
    pub fn options(&self, live: bool) -> anyhow::Result<DestroyOptions> {
        Ok(DestroyOptions { stack_name: self.stack_name.clone(), watch: Watch::new(live), stack_file: outputs::path() })
    }
}

#[derive(Debug, Clone)]
pub struct DestroyOptions {
    pub stack_name: String,
    pub watch: Watch,
    /// The stack file to remove when it names this stack.
    pub stack_file: Option<PathBuf>,
}

/// How `destroy` ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestroyOutcome {
    /// There was no such stack.
    Missing,
    /// The confirmation was declined; nothing was touched.
    Declined,
    Deleted,
}

#[derive(Debug, Clone)]
pub struct DestroyReport {
    pub outcome: DestroyOutcome,
    pub images_deleted: usize,
    pub objects_deleted: usize,
}

/// Asks on the terminal; only "y" or "yes" confirms.
pub fn ask(prompt: &str) -> anyhow::Result<bool> {
    let mut stdout = std::io::stdout();
    write!(stdout, "{prompt}")?;
    stdout.flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// Deletes the stack and its data after `confirm` agrees to the prompt it is given.
pub async fn destroy(
    config: &aws_config::SdkConfig,
    opts: &DestroyOptions,
    confirm: impl FnOnce(&str) -> anyhow::Result<bool>,
    out: &mut impl Write,
) -> anyhow::Result<DestroyReport> {
    let region = region_of(config);
    let cfn = Client::new(config);
    let name = &opts.stack_name;
    let mut report = DestroyReport { outcome: DestroyOutcome::Missing, images_deleted: 0, objects_deleted: 0 };
    let Some(current) = stack::describe(&cfn, name).await? else {
        writeln!(out, "stack {name} does not exist in {region}: nothing to destroy")?;
        forget(opts, &region, out)?;
        return Ok(report);
    };
    let status = stack::status(&current).to_string();
    if stack::in_progress(&status) && status != "DELETE_IN_PROGRESS" {
        anyhow::bail!("stack {name} in {region} is busy ({status}); wait for it to settle, then destroy it");
    }
    let stack_id = current.stack_id().unwrap_or(name).to_string();
    let data = Data::of(&cfn, &stack_id).await?;

    let mut prompt = format!("This deletes stack {name} in {region} ({status}) and everything in it:\n");
    for repo in &data.repositories {
        prompt.push_str(&format!("  - every image in the ECR repository {repo}\n"));
    }
    for bucket in &data.buckets {
        prompt.push_str(&format!("  - every object and object version in the S3 bucket {bucket}\n"));
    }
    for (kind, n) in &data.others {
        prompt.push_str(&format!("  - {n} × {kind}\n"));
    }
    prompt.push_str("Delete? [y/N] ");
    if !confirm(&prompt)? {
        writeln!(out, "nothing was deleted")?;
        report.outcome = DestroyOutcome::Declined;
        return Ok(report);
    }

    let ecr = aws_sdk_ecr::Client::new(config);
    let s3 = s3_client(config);
    data.empty(&ecr, &s3, &mut report, out).await?;
    writeln!(out, "deleting stack {name} in {region} …")?;
    let finish = delete_and_wait(&cfn, &stack_id, opts, out).await?;
    if let Finish::Failed { status, failure, stack_reason } = finish {
        // Usually data written while we deleted (a build pushing an image): empty again, once.
        writeln!(
            out,
            "deleting failed ({}); emptying again and retrying once",
            Finish::describe(&status, &failure, &stack_reason)
        )?;
        Data::of(&cfn, &stack_id).await?.empty(&ecr, &s3, &mut report, out).await?;
        if let Finish::Failed { status, failure, stack_reason } = delete_and_wait(&cfn, &stack_id, opts, out).await? {
            anyhow::bail!(
                "deleting stack {name} failed twice: {}; fix that resource in the console, then run destroy again",
                Finish::describe(&status, &failure, &stack_reason)
            );
        }
    }
    writeln!(out, "stack {name} deleted")?;
    forget(opts, &region, out)?;
    report.outcome = DestroyOutcome::Deleted;
    Ok(report)
}

async fn delete_and_wait(
    cfn: &Client,
    stack_id: &str,
    opts: &DestroyOptions,
    out: &mut impl Write,
) -> anyhow::Result<Finish> {
    let mut events = Events::after_now(cfn, stack_id).await?;
    cfn.delete_stack().stack_name(stack_id).send().await.map_err(|e| sdk_error("DeleteStack", e))?;
    progress::wait(cfn, stack_id, Goal::Delete, &mut events, &opts.watch, out).await
}

/// Removes the stack file when it describes this stack.
fn forget(opts: &DestroyOptions, region: &str, out: &mut impl Write) -> anyhow::Result<()> {
    if let Some(path) = &opts.stack_file
        && outputs::remove_if_names(path, &opts.stack_name, region)?
    {
        writeln!(out, "removed {}", path.display())?;
    }
    Ok(())
}

/// The stack's resources that hold data, and a count of the rest by type.
struct Data {
    repositories: Vec<String>,
    buckets: Vec<String>,
    others: BTreeMap<String, usize>,
}

impl Data {
    async fn of(cfn: &Client, stack_id: &str) -> anyhow::Result<Data> {
        let resources = cfn
            .describe_stack_resources()
            .stack_name(stack_id)
            .send()
            .await
            .map_err(|e| sdk_error("DescribeStackResources", e))?;
        let mut data = Data { repositories: Vec::new(), buckets: Vec::new(), others: BTreeMap::new() };
        for r in resources.stack_resources() {
            let gone = r.resource_status().is_some_and(|s| s.as_str() == "DELETE_COMPLETE");
            let physical = r.physical_resource_id().unwrap_or_default();
            if gone || physical.is_empty() {
                continue;
            }
            match r.resource_type().unwrap_or_default() {
                "AWS::ECR::Repository" => data.repositories.push(physical.to_string()),
                "AWS::S3::Bucket" => data.buckets.push(physical.to_string()),
                kind => *data.others.entry(kind.to_string()).or_default() += 1,
            }
        }
        Ok(data)
    }

    async fn empty(
        &self,
        ecr: &aws_sdk_ecr::Client,
        s3: &aws_sdk_s3::Client,
        report: &mut DestroyReport,
        out: &mut impl Write,
    ) -> anyhow::Result<()> {
        for repo in &self.repositories {
            let n = empty_repository(ecr, repo).await?;
            writeln!(out, "emptied     ECR repository {repo}: {n} images deleted")?;
            report.images_deleted += n;
        }
        for bucket in &self.buckets {
            let n = empty_bucket(s3, bucket).await?;
            writeln!(out, "emptied     S3 bucket {bucket}: {n} object versions and delete markers deleted")?;
            report.objects_deleted += n;
        }
        Ok(())
    }
}

/// Deletes every image of a repository; a repository that is already gone holds none.
pub async fn empty_repository(ecr: &aws_sdk_ecr::Client, repo: &str) -> anyhow::Result<usize> {
    // By digest: one delete removes an image with all its tags.
    let mut digests = BTreeSet::new();
    let mut ids = ecr.list_images().repository_name(repo).into_paginator().items().send();
    while let Some(id) = ids.next().await {
        match id {
            Ok(id) => digests.extend(id.image_digest().map(str::to_string)),
            Err(e) if e.as_service_error().is_some_and(|s| s.is_repository_not_found_exception()) => return Ok(0),
            Err(e) => return Err(sdk_error(&format!("ListImages {repo}"), e)),
        }
    }
    let digests: Vec<String> = digests.into_iter().collect();
    for chunk in digests.chunks(ECR_BATCH) {
        let ids = chunk.iter().map(|d| ImageIdentifier::builder().image_digest(d).build()).collect();
        let done = ecr
            .batch_delete_image()
            .repository_name(repo)
            .set_image_ids(Some(ids))
            .send()
            .await
            .map_err(|e| sdk_error(&format!("BatchDeleteImage {repo}"), e))?;
        if let Some(f) = done.failures().iter().find(|f| f.failure_code().is_none_or(|c| c.as_str() != "ImageNotFound"))
        {
            anyhow::bail!(
                "BatchDeleteImage {repo}: {} {}",
                f.failure_code().map(|c| c.as_str()).unwrap_or("failed"),
                f.failure_reason().unwrap_or_default()
            );
        }
    }
    Ok(digests.len())
}

/// Deletes every object version and delete marker of a bucket; a bucket that is already gone
/// holds none.
pub async fn empty_bucket(s3: &aws_sdk_s3::Client, bucket: &str) -> anyhow::Result<usize> {
    let mut all = Vec::new();
    let (mut key_marker, mut version_marker) = (None, None);
    loop {
        let page = match s3
            .list_object_versions()
            .bucket(bucket)
            .set_key_marker(key_marker.take())
            .set_version_id_marker(version_marker.take())
            .send()
            .await
        {
            Ok(p) => p,
            Err(e) if e.code() == Some("NoSuchBucket") => return Ok(0),
            Err(e) => return Err(sdk_error(&format!("ListObjectVersions {bucket}"), e)),
        };
        let versions = page.versions().iter().map(|v| (v.key(), v.version_id()));
        let markers = page.delete_markers().iter().map(|m| (m.key(), m.version_id()));
        for (key, version) in versions.chain(markers) {
            let Some(key) = key else { continue };
            all.push(ObjectIdentifier::builder().key(key).set_version_id(version.map(str::to_string)).build()?);
        }
        if page.is_truncated() != Some(true) {
            break;
        }
        key_marker = page.next_key_marker().map(str::to_string);
        version_marker = page.next_version_id_marker().map(str::to_string);
        if key_marker.is_none() && version_marker.is_none() {
            break;
        }
    }
    for chunk in all.chunks(S3_BATCH) {
        let delete = Delete::builder().set_objects(Some(chunk.to_vec())).quiet(true).build()?;
        let done = s3
            .delete_objects()
            .bucket(bucket)
            .delete(delete)
            .send()
            .await
            .map_err(|e| sdk_error(&format!("DeleteObjects {bucket}"), e))?;
        if let Some(err) = done.errors().first() {
            anyhow::bail!(
                "DeleteObjects {bucket}: {} {}: {}",
                err.key().unwrap_or_default(),
                err.code().unwrap_or("failed"),
                err.message().unwrap_or_default()
            );
        }
    }
    Ok(all.len())
}
