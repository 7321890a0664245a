//! `arm64-demo deploy`: the source zip into the stack's bucket, the stack created or updated, its
//! outputs saved for the deck. Running it again with nothing changed changes nothing: the zip is
//! compared by its sha256 (kept in the object's metadata), the template and parameters with the
//! stack's own.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use aws_sdk_cloudformation::Client;
use aws_sdk_cloudformation::error::ProvideErrorMetadata;
use aws_sdk_cloudformation::types::{Capability, Parameter, TemplateStage};
use aws_sdk_s3::primitives::ByteStream;
use clap::Args;

use super::archive::{self, ArchiveSource, SourceArchive};
use super::outputs::{self, StackFile};
use super::progress::{self, Events, Finish, Goal, Watch};
use super::{AwsTarget, DEFAULT_STACK_NAME, region_of, s3_client, sdk_error, stack};

/// The template, embedded so the binary alone can deploy.
pub const TEMPLATE: &str = include_str!("../../infra/arm64-demo.yaml");

/// Where the zip goes in the bucket: the template's `SourceObjectKey` default.
pub const SOURCE_KEY: &str = "source/arm64-demo-source.zip";

/// The object metadata key holding the zip's sha256.
const SHA_METADATA: &str = "sha256";

/// CloudFormation's limit for a template passed inline.
const TEMPLATE_BODY_LIMIT: usize = 51_200;

#[derive(Debug, Clone, Args)]
pub struct DeployArgs {
    /// The CloudFormation stack to create or update.
    #[arg(long, default_value = DEFAULT_STACK_NAME)]
    pub stack_name: String,
    /// Prefix of the resource names (projects, pipeline, repository, bucket).
    #[arg(long, default_value = "arm64-demo")]
    pub name_prefix: String,
    #[command(flatten)]
    pub aws: AwsTarget,
    /// A project folder holding codecommit/ and buildspecs/ (default: the copy in this binary).
    #[arg(long, value_name = "DIR")]
    pub source: Option<PathBuf>,
    /// A CloudFormation template (default: infra/arm64-demo.yaml, embedded in this binary).
    #[arg(long, value_name = "PATH")]
    pub template: Option<PathBuf>,
    /// Print the plan (create or update, zip size and sha256, upload or not); change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

impl DeployArgs {
    /// The options these arguments stand for; `live` shows one progress line instead of events.
    pub fn options(&self, live: bool) -> anyhow::Result<DeployOptions> {
        let template = match &self.template {
            Some(p) => Template {
                name: p.display().to_string(),
                body: std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read the template {}", p.display()))?,
            },
            None => Template::embedded(),
        };
        Ok(DeployOptions {
            stack_name: self.stack_name.clone(),
            name_prefix: self.name_prefix.clone(),
            source: self.source.clone().map_or(ArchiveSource::Bundled, ArchiveSource::Folder),
            source_key: SOURCE_KEY.into(),
            template,
            dry_run: self.dry_run,
            watch: Watch::new(live),
            stack_file: outputs::path(),
        })
    }
}

/// A template and where it came from.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub body: String,
}

impl Template {
    pub fn embedded() -> Template {
        Template { name: "infra/arm64-demo.yaml (embedded)".into(), body: TEMPLATE.into() }
    }
}

/// Everything `deploy` does, decided up front.
#[derive(Debug, Clone)]
pub struct DeployOptions {
    pub stack_name: String,
    pub name_prefix: String,
    pub source: ArchiveSource,
    pub source_key: String,
    pub template: Template,
    pub dry_run: bool,
    pub watch: Watch,
    /// Where to save the outputs; `None` saves nothing.
    pub stack_file: Option<PathBuf>,
}

/// What happened to the stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackChange {
    Created,
    Updated,
    Unchanged,
    /// `--dry-run`: nothing was touched.
    Planned,
}

/// What `deploy` did.
#[derive(Debug, Clone)]
pub struct DeployReport {
    pub stack: StackChange,
    pub uploaded: bool,
    pub sha256: String,
    pub outputs: BTreeMap<String, String>,
}

/// Creates or updates the stack and uploads the source, printing the plan, the stack's events
/// and its outputs to `out`.
pub async fn deploy(
    config: &aws_config::SdkConfig,
    opts: &DeployOptions,
    out: &mut impl Write,
) -> anyhow::Result<DeployReport> {
    let region = region_of(config);
    let cfn = Client::new(config);
    let s3 = s3_client(config);
    if opts.template.body.len() > TEMPLATE_BODY_LIMIT {
        anyhow::bail!(
            "the template {} is {} bytes; CloudFormation takes at most {TEMPLATE_BODY_LIMIT} inline",
            opts.template.name,
            opts.template.body.len()
        );
    }
    let zip = archive::build(&opts.source)?;
    let params = parameters(opts);
    let existing = stack::describe(&cfn, &opts.stack_name).await?;

    writeln!(out, "template    {}, {}", opts.template.name, size(opts.template.body.len()))?;
    writeln!(out, "parameters  {}", params.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" "))?;
    writeln!(
        out,
        "source      {} files from {}: zip {}, sha256 {}",
        zip.entries.len(),
        opts.source,
        size(zip.bytes.len()),
        zip.sha256
    )?;

    let Some(current) = existing else {
        writeln!(out, "stack       {} in {region}: create (it does not exist yet)", opts.stack_name)?;
        writeln!(out, "upload      yes, to s3://<the stack's bucket>/{} once the stack exists", opts.source_key)?;
        if opts.dry_run {
            writeln!(out, "dry run: nothing was changed")?;
            return Ok(DeployReport {
                stack: StackChange::Planned,
                uploaded: false,
                sha256: zip.sha256,
                outputs: [].into(),
            });
        }
        return create(&cfn, &s3, opts, &params, &zip, &region, out).await;
    };

    let status = stack::status(&current).to_string();
    let stack_id = current.stack_id().unwrap_or(&opts.stack_name).to_string();
    if stack::failed_creation(&status) {
        anyhow::bail!(
            "stack {} in {region} is {status}: its creation failed and it cannot be updated; \
             run `arm64-demo destroy --stack-name {0}`, then deploy again",
            opts.stack_name
        );
    }
    if stack::in_progress(&status) {
        anyhow::bail!(
            "stack {} in {region} is busy ({status}); wait for it to settle, then deploy again",
            opts.stack_name
        );
    }
    if !stack::updatable(&status) {
        anyhow::bail!(
            "stack {} in {region} is {status}, which CloudFormation cannot update; fix it in the console",
            opts.stack_name
        );
    }
    let before = stack::outputs(&current);
    let bucket = source_bucket(&before, &opts.stack_name)?;
    let in_bucket = object_sha256(&s3, &bucket, &opts.source_key).await?;
    let upload = in_bucket.as_deref() != Some(zip.sha256.as_str());
    let template_changed = template_differs(&cfn, &stack_id, &opts.template.body).await?;
    let params_changed = params.iter().any(|(k, v)| stack::parameters(&current).get(k) != Some(v));
    let update = template_changed || params_changed;

    let why = match (template_changed, params_changed) {
        (true, true) => "the template and parameters changed",
        (true, false) => "the template changed",
        (false, true) => "parameters changed",
        (false, false) => "template and parameters as deployed",
    };
    let verb = if update { "update" } else { "keep" };
    writeln!(out, "stack       {} in {region} ({status}): {verb}, {why}", opts.stack_name)?;
    let object = format!("s3://{bucket}/{}", opts.source_key);
    match &in_bucket {
        None => writeln!(out, "upload      yes: {object} does not exist")?,
        Some(_) if upload => writeln!(out, "upload      yes: {object} holds another source")?,
        Some(_) => writeln!(out, "upload      no: {object} holds this source")?,
    }
    if opts.dry_run {
        writeln!(out, "dry run: nothing was changed")?;
        return Ok(DeployReport { stack: StackChange::Planned, uploaded: false, sha256: zip.sha256, outputs: before });
    }
    if !update && !upload {
        writeln!(out, "nothing to do: stack {} and its source are up to date", opts.stack_name)?;
        finish(opts, &region, &zip, &before, out)?;
        return Ok(DeployReport {
            stack: StackChange::Unchanged,
            uploaded: false,
            sha256: zip.sha256,
            outputs: before,
        });
    }

    if upload {
        put_source(&s3, &bucket, &opts.source_key, &zip).await?;
        writeln!(out, "uploaded    {object} ({})", size(zip.bytes.len()))?;
    }
    let mut change = StackChange::Unchanged;
    let mut after = before.clone();
    let mut uploaded = upload;
    if update {
        let mut events = Events::after_now(&cfn, &stack_id).await?;
        let sent = cfn
            .update_stack()
            .stack_name(&stack_id)
            .template_body(&opts.template.body)
            .set_parameters(Some(update_parameters(&params, &current)))
            .capabilities(Capability::CapabilityNamedIam)
            .send()
            .await;
        match sent {
            Ok(_) => {
                writeln!(out, "updating stack {} …", opts.stack_name)?;
                match progress::wait(&cfn, &stack_id, Goal::Update, &mut events, &opts.watch, out).await? {
                    Finish::Done(Some(s)) => after = stack::outputs(&s),
                    Finish::Done(None) => anyhow::bail!("stack {} vanished during its update", opts.stack_name),
                    Finish::Failed { status, failure, stack_reason } => anyhow::bail!(
                        "updating stack {} failed: {}",
                        opts.stack_name,
                        Finish::describe(&status, &failure, &stack_reason)
                    ),
                }
                change = StackChange::Updated;
            }
            // CloudFormation found nothing to change after all (e.g. only formatting differs).
            Err(e) if e.message().is_some_and(|m| m.contains("No updates are to be performed")) => {
                writeln!(out, "stack       CloudFormation found no changes to make")?;
            }
            Err(e) => return Err(sdk_error("UpdateStack", e)),
        }
        // An update that renamed the bucket needs the source in the new one.
        let new_bucket = source_bucket(&after, &opts.stack_name)?;
        if new_bucket != bucket
            && object_sha256(&s3, &new_bucket, &opts.source_key).await?.as_deref() != Some(&zip.sha256)
        {
            put_source(&s3, &new_bucket, &opts.source_key, &zip).await?;
            writeln!(out, "uploaded    s3://{new_bucket}/{} ({})", opts.source_key, size(zip.bytes.len()))?;
            uploaded = true;
        }
    }
    finish(opts, &region, &zip, &after, out)?;
    Ok(DeployReport { stack: change, uploaded, sha256: zip.sha256, outputs: after })
}

/// A new stack: created first (it makes the bucket), then the source goes into its bucket.
/// Builds read the object when they run, so the projects may exist before it does.
async fn create(
    cfn: &Client,
    s3: &aws_sdk_s3::Client,
    opts: &DeployOptions,
    params: &BTreeMap<String, String>,
    zip: &SourceArchive,
    region: &str,
    out: &mut impl Write,
) -> anyhow::Result<DeployReport> {
    let created = cfn
        .create_stack()
        .stack_name(&opts.stack_name)
        .template_body(&opts.template.body)
        .set_parameters(Some(params.iter().map(|(k, v)| parameter(k, v)).collect()))
        .capabilities(Capability::CapabilityNamedIam)
        .send()
        .await
        .map_err(|e| sdk_error("CreateStack", e))?;
    let stack_id = created.stack_id().unwrap_or(&opts.stack_name).to_string();
    writeln!(out, "creating stack {} in {region} …", opts.stack_name)?;
    let outputs = match progress::wait(cfn, &stack_id, Goal::Create, &mut Events::default(), &opts.watch, out).await? {
        Finish::Done(Some(s)) => stack::outputs(&s),
        Finish::Done(None) => anyhow::bail!("stack {} vanished while it was created", opts.stack_name),
        Finish::Failed { status, failure, stack_reason } => anyhow::bail!(
            "creating stack {} failed: {}; run `arm64-demo destroy --stack-name {0}` before deploying again",
            opts.stack_name,
            Finish::describe(&status, &failure, &stack_reason)
        ),
    };
    let bucket = source_bucket(&outputs, &opts.stack_name)?;
    put_source(s3, &bucket, &opts.source_key, zip).await.context("the stack is created; run deploy again to upload")?;
    writeln!(out, "uploaded    s3://{bucket}/{} ({})", opts.source_key, size(zip.bytes.len()))?;
    finish(opts, region, zip, &outputs, out)?;
    Ok(DeployReport { stack: StackChange::Created, uploaded: true, sha256: zip.sha256.clone(), outputs })
}

/// Prints the outputs and saves them where the deck looks; an unchanged file is left as it is.
fn finish(
    opts: &DeployOptions,
    region: &str,
    zip: &SourceArchive,
    outputs: &BTreeMap<String, String>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    writeln!(out, "outputs of stack {}:", opts.stack_name)?;
    write!(out, "{}", stack::outputs_table(outputs))?;
    let Some(path) = &opts.stack_file else {
        writeln!(out, "no home folder to save the outputs in; set {}", outputs::ENV_VAR)?;
        return Ok(());
    };
    let file = StackFile {
        stack: opts.stack_name.clone(),
        region: region.to_string(),
        deployed_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        source_sha256: zip.sha256.clone(),
        outputs: outputs.clone(),
    };
    let same = |old: &StackFile| StackFile { deployed_at: file.deployed_at.clone(), ..old.clone() } == file;
    if outputs::load_from(path).ok().flatten().is_some_and(|old| same(&old)) {
        writeln!(out, "outputs     already in {}", path.display())?;
    } else {
        file.save_to(path)?;
        writeln!(out, "outputs     saved to {}", path.display())?;
    }
    Ok(())
}

/// The parameters this command sets; the others keep the stack's values or the template's defaults.
fn parameters(opts: &DeployOptions) -> BTreeMap<String, String> {
    [("NamePrefix", &opts.name_prefix), ("SourceObjectKey", &opts.source_key)]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

fn parameter(key: &str, value: &str) -> Parameter {
    Parameter::builder().parameter_key(key).parameter_value(value).build()
}

/// Ours, plus the stack's other parameters (e.g. a CodeCommit source set up by hand) kept as they
/// are: passed by value, since moto rejects UsePreviousValue for a parameter left at its default;
/// a NoEcho value (shown masked) can only be kept with UsePreviousValue.
fn update_parameters(
    params: &BTreeMap<String, String>,
    current: &aws_sdk_cloudformation::types::Stack,
) -> Vec<Parameter> {
    let mut list: Vec<Parameter> = params.iter().map(|(k, v)| parameter(k, v)).collect();
    for (key, value) in stack::parameters(current).into_iter().filter(|(k, _)| !params.contains_key(k)) {
        list.push(if value == "****" {
            Parameter::builder().parameter_key(key).use_previous_value(true).build()
        } else {
            parameter(&key, &value)
        });
    }
    list
}

fn source_bucket(outputs: &BTreeMap<String, String>, stack_name: &str) -> anyhow::Result<String> {
    outputs.get("SourceBucket").filter(|b| !b.is_empty()).cloned().ok_or_else(|| {
        anyhow::anyhow!("stack {stack_name} has no SourceBucket output; was it deployed from infra/arm64-demo.yaml?")
    })
}

/// Whether the stack was deployed from another template body.
async fn template_differs(cfn: &Client, stack_id: &str, body: &str) -> anyhow::Result<bool> {
    let out = cfn
        .get_template()
        .stack_name(stack_id)
        .template_stage(TemplateStage::Original)
        .send()
        .await
        .map_err(|e| sdk_error("GetTemplate", e))?;
    Ok(out.template_body() != Some(body))
}

/// The sha256 recorded on the source object; `None` when there is no object.
pub(crate) async fn object_sha256(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> anyhow::Result<Option<String>> {
    match s3.head_object().bucket(bucket).key(key).send().await {
        Ok(head) => Ok(Some(head.metadata().and_then(|m| m.get(SHA_METADATA)).cloned().unwrap_or_default())),
        Err(e) if e.as_service_error().is_some_and(|s| s.is_not_found()) => Ok(None),
        Err(e) => Err(sdk_error(&format!("HeadObject s3://{bucket}/{key}"), e)),
    }
}

async fn put_source(s3: &aws_sdk_s3::Client, bucket: &str, key: &str, zip: &SourceArchive) -> anyhow::Result<()> {
    s3.put_object()
        .bucket(bucket)
        .key(key)
        .body(ByteStream::from(zip.bytes.clone()))
        .content_type("application/zip")
        .metadata(SHA_METADATA, &zip.sha256)
        .send()
        .await
        .map_err(|e| sdk_error(&format!("PutObject s3://{bucket}/{key}"), e))?;
    Ok(())
}

fn size(bytes: usize) -> String {
    if bytes < 1024 { format!("{bytes} B") } else { format!("{:.1} KiB", bytes as f64 / 1024.0) }
}
