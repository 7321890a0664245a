//! `deploy` and `destroy` against moto's server, with the real template.
//!
//! What moto does with infra/arm64-demo.yaml: it creates the S3 buckets, the ECR repository, the
//! log groups and the IAM roles; it skips AWS::CodeBuild::Project and AWS::CodePipeline::Pipeline
//! (and drops the outputs that refer to them). Its stacks settle at once and record events for
//! the stack only, never per resource. It ignores the buckets' VersioningConfiguration, so the
//! tests turn versioning on themselves, as the template does. It accepts an UpdateStack that changes nothing (no "No
//! updates are to be performed") and never sets LastUpdatedTime, so "not updated" is read from
//! the stack's status and event count. Deleting a stack leaves a non-empty bucket behind (real
//! CloudFormation fails instead), so the buckets' absence is asserted on S3; like CloudFormation
//! it refuses to delete an ECR repository that holds images.
//!
//! Each test uses its own region, and stack names and name prefixes carry the process id, so a
//! rerun against the same server starts clean.

mod moto;

use std::path::Path;
use std::time::Duration;

use arm64_demo::infra::archive::{ArchiveSource, hex};
use arm64_demo::infra::deploy::{self, DeployOptions, StackChange, Template};
use arm64_demo::infra::destroy::{self, DestroyOptions, DestroyOutcome};
use arm64_demo::infra::outputs::{self, StackFile};
use arm64_demo::infra::progress::Watch;
use sha2::{Digest, Sha256};

/// A unique stack name and name prefix for this run (≤ 20 characters, as the template asks).
fn names(tag: &str) -> (String, String) {
    let name = format!("t{}-{tag}", std::process::id());
    (name.clone(), name)
}

/// An S3 client for the server: path-style, since the server does not resolve bucket host names.
async fn s3_client(region: &str) -> aws_sdk_s3::Client {
    let config = moto::config(region).await;
    aws_sdk_s3::Client::from_conf(aws_sdk_s3::config::Builder::from(&config).force_path_style(true).build())
}

fn watch(live: bool) -> Watch {
    Watch { live, poll: Duration::from_millis(50), timeout: Duration::from_secs(30) }
}

fn options(tag: &str, stack_file: &Path) -> DeployOptions {
    let (stack_name, name_prefix) = names(tag);
    DeployOptions {
        stack_name,
        name_prefix,
        source: ArchiveSource::Bundled,
        source_key: deploy::SOURCE_KEY.into(),
        template: Template::embedded(),
        dry_run: false,
        watch: watch(false),
        stack_file: Some(stack_file.to_path_buf()),
    }
}

fn destroy_options(stack_name: &str, stack_file: &Path) -> DestroyOptions {
    DestroyOptions { stack_name: stack_name.into(), watch: watch(false), stack_file: Some(stack_file.to_path_buf()) }
}

async fn run_deploy(config: &aws_config::SdkConfig, opts: &DeployOptions) -> (deploy::DeployReport, String) {
    let mut out = Vec::new();
    let report = deploy::deploy(config, opts, &mut out).await.unwrap_or_else(|e| {
        panic!("deploy failed: {e:#}\n{}", String::from_utf8_lossy(&out));
    });
    (report, String::from_utf8(out).unwrap())
}

async fn stack_status_and_events(cfn: &aws_sdk_cloudformation::Client, name: &str) -> (String, usize) {
    let stack = cfn.describe_stacks().stack_name(name).send().await.unwrap().stacks.unwrap().remove(0);
    let events = cfn.describe_stack_events().stack_name(name).send().await.unwrap();
    (stack.stack_status.unwrap().as_str().to_string(), events.stack_events().len())
}

/// What the template's `VersioningConfiguration` does on AWS; moto's CloudFormation ignores it.
async fn enable_versioning(s3: &aws_sdk_s3::Client, bucket: &str) {
    use aws_sdk_s3::types::{BucketVersioningStatus, VersioningConfiguration};
    let on = VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build();
    s3.put_bucket_versioning().bucket(bucket).versioning_configuration(on).send().await.unwrap();
}

async fn versions(s3: &aws_sdk_s3::Client, bucket: &str, key: &str) -> usize {
    let out = s3.list_object_versions().bucket(bucket).prefix(key).send().await.unwrap();
    out.versions().iter().filter(|v| v.key() == Some(key)).count()
}

#[tokio::test]
async fn deploy_creates_the_stack_uploads_the_zip_and_saves_the_outputs() {
    let config = moto::config("us-west-1").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("config/arm64-demo/stack.toml");
    let opts = options("create", &file);

    let (report, out) = run_deploy(&config, &opts).await;
    assert_eq!(report.stack, StackChange::Created, "{out}");
    assert!(report.uploaded);
    assert!(out.contains(&format!("stack       {} in us-west-1: create", opts.stack_name)), "{out}");
    assert!(out.contains("AWS::CloudFormation::Stack") && out.contains("CREATE_COMPLETE"), "events shown: {out}");
    assert!(out.contains("outputs of stack") && out.contains("  SourceBucket  "), "outputs table: {out}");

    // The object is the zip, with its sha256 in the metadata.
    let bucket = report.outputs["SourceBucket"].clone();
    let s3 = s3_client("us-west-1").await;
    let head = s3.head_object().bucket(&bucket).key(deploy::SOURCE_KEY).send().await.unwrap();
    assert_eq!(head.metadata().unwrap().get("sha256"), Some(&report.sha256));
    let body = s3.get_object().bucket(&bucket).key(deploy::SOURCE_KEY).send().await.unwrap();
    let bytes = body.body.collect().await.unwrap().into_bytes();
    assert_eq!(hex(&Sha256::digest(&bytes)), report.sha256);
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    assert!(names.iter().any(|n| n == "buildspecs/native_build.yml"), "{names:?}");
    assert!(names.iter().any(|n| n.starts_with("codecommit/")), "{names:?}");

    // The stack file, where the deck looks.
    let saved = outputs::load_from(&file).unwrap().expect("deploy wrote the stack file");
    assert_eq!((saved.stack.as_str(), saved.region.as_str()), (opts.stack_name.as_str(), "us-west-1"));
    assert_eq!(saved.source_sha256, report.sha256);
    assert_eq!(saved.source_bucket(), Some(bucket.as_str()));
    assert_eq!(saved.source_key(), Some(deploy::SOURCE_KEY));
    assert_eq!(saved.outputs, report.outputs);
    assert!(chrono::DateTime::parse_from_rfc3339(&saved.deployed_at).is_ok(), "{}", saved.deployed_at);

    // check: the stack is settled and the source is there; moto drops the project and pipeline
    // outputs (it skips those resource types), so the outputs row names them.
    let checks = arm64_demo::infra::check_stack(&config, &opts.stack_name).await;
    let row = |what: &str| checks.iter().find(|c| c.0 == what).unwrap_or_else(|| panic!("{what}: {checks:?}")).clone();
    assert!(row(&format!("stack {}", opts.stack_name)).1, "{checks:?}");
    assert!(row("source zip").1, "{checks:?}");
    let outputs_row = row("stack outputs");
    assert!(!outputs_row.1 && outputs_row.2.contains("PipelineName"), "{checks:?}");
    let missing = arm64_demo::infra::check_stack(&config, "no-such-stack").await;
    assert_eq!(missing.len(), 1);
    assert!(!missing[0].1 && missing[0].2.contains("arm64-demo deploy"), "{missing:?}");
}

#[tokio::test]
async fn a_second_deploy_changes_nothing_and_changes_are_deployed() {
    let config = moto::config("us-west-2").await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let s3 = s3_client("us-west-2").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stack.toml");
    let mut opts = options("again", &file);
    opts.watch = watch(true);

    let (first, out) = run_deploy(&config, &opts).await;
    assert_eq!(first.stack, StackChange::Created);
    assert!(out.contains("\r\x1b[2K") && out.contains("resources done"), "a progress line on a terminal: {out:?}");
    let bucket = first.outputs["SourceBucket"].clone();
    enable_versioning(&s3, &bucket).await;
    let (status, events) = stack_status_and_events(&cfn, &opts.stack_name).await;
    assert_eq!(status, "CREATE_COMPLETE");
    assert_eq!(versions(&s3, &bucket, deploy::SOURCE_KEY).await, 1);
    let saved = std::fs::read_to_string(&file).unwrap();

    // Nothing changed: no upload, no update, the stack file left as it was.
    opts.watch = watch(false);
    let (second, out) = run_deploy(&config, &opts).await;
    assert_eq!(second.stack, StackChange::Unchanged, "{out}");
    assert!(!second.uploaded);
    assert!(out.contains("nothing to do"), "{out}");
    assert!(out.contains("upload      no:"), "{out}");
    assert_eq!(versions(&s3, &bucket, deploy::SOURCE_KEY).await, 1, "no new object version");
    assert_eq!(stack_status_and_events(&cfn, &opts.stack_name).await, (status.clone(), events), "stack not updated");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), saved);

    // Another source: uploaded, the stack left alone.
    let project = tempfile::tempdir().unwrap();
    for (path, text) in
        [("codecommit/case/Dockerfile", "FROM scratch\n"), ("buildspecs/native_build.yml", "version: 0.2\n")]
    {
        let p = project.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    opts.source = ArchiveSource::Folder(project.path().to_path_buf());
    let (third, out) = run_deploy(&config, &opts).await;
    assert_eq!((third.stack, third.uploaded), (StackChange::Unchanged, true), "{out}");
    assert_ne!(third.sha256, first.sha256);
    assert_eq!(versions(&s3, &bucket, deploy::SOURCE_KEY).await, 2);
    assert_eq!(stack_status_and_events(&cfn, &opts.stack_name).await, (status.clone(), events));
    assert_eq!(outputs::load_from(&file).unwrap().unwrap().source_sha256, third.sha256);

    // Another template: the dry run plans an update and touches nothing; the deploy updates.
    opts.template = Template { name: "changed".into(), body: format!("{}\n# changed\n", deploy::TEMPLATE.trim_end()) };
    opts.dry_run = true;
    let (plan, out) = run_deploy(&config, &opts).await;
    assert_eq!(plan.stack, StackChange::Planned);
    assert!(out.contains(": update, the template changed") && out.contains("upload      no:"), "{out}");
    assert!(out.contains("dry run: nothing was changed"), "{out}");
    assert_eq!(stack_status_and_events(&cfn, &opts.stack_name).await, (status.clone(), events));
    opts.dry_run = false;
    let (fourth, out) = run_deploy(&config, &opts).await;
    assert_eq!((fourth.stack, fourth.uploaded), (StackChange::Updated, false), "{out}");
    let (status, more) = stack_status_and_events(&cfn, &opts.stack_name).await;
    assert_eq!(status, "UPDATE_COMPLETE");
    assert!(more > events);
    assert!(out.contains("UPDATE_COMPLETE"), "update events shown: {out}");
    assert_eq!(versions(&s3, &bucket, deploy::SOURCE_KEY).await, 2);
}

#[tokio::test]
async fn a_dry_run_for_a_new_stack_touches_nothing() {
    let config = moto::config("us-east-2").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stack.toml");
    let mut opts = options("dry", &file);
    opts.dry_run = true;
    let (report, out) = run_deploy(&config, &opts).await;
    assert_eq!(report.stack, StackChange::Planned);
    assert!(out.contains(": create (it does not exist yet)"), "{out}");
    assert!(out.contains(&format!("sha256 {}", report.sha256)), "{out}");
    assert!(out.contains(&format!("NamePrefix={}", opts.name_prefix)), "{out}");
    assert!(out.contains("dry run: nothing was changed"), "{out}");
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    assert!(cfn.describe_stacks().stack_name(&opts.stack_name).send().await.is_err(), "no stack was created");
    assert!(!file.exists());
}

#[tokio::test]
async fn destroy_empties_the_repository_and_buckets_then_deletes_the_stack() {
    let region = "ap-northeast-1";
    let config = moto::config(region).await;
    let cfn = aws_sdk_cloudformation::Client::new(&config);
    let s3 = s3_client(region).await;
    let ecr = aws_sdk_ecr::Client::new(&config);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stack.toml");
    let opts = options("destroy", &file);
    let (report, _) = run_deploy(&config, &opts).await;
    let (source, artifacts) = (report.outputs["SourceBucket"].clone(), report.outputs["ArtifactBucket"].clone());
    let repo = report.outputs["EcrRepositoryName"].clone();
    enable_versioning(&s3, &source).await;

    // Three images, one of them with two tags; moto derives an image's digest from its layers.
    for (i, tags) in [&["a", "latest"][..], &["b"], &["c"]].iter().enumerate() {
        let manifest = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json","config":{{"mediaType":"application/vnd.docker.container.image.v1+json","size":{i},"digest":"sha256:{}"}},"layers":[{{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":1,"digest":"sha256:{}"}}]}}"#,
            format!("{i}").repeat(64),
            format!("{}", i + 5).repeat(64)
        );
        for tag in *tags {
            ecr.put_image().repository_name(&repo).image_manifest(&manifest).image_tag(*tag).send().await.unwrap();
        }
    }
    // Source bucket: the deployed zip, three more versions of it, and a deleted object (a version
    // and a delete marker). Artifact bucket: two objects.
    for n in 0..3 {
        s3.put_object().bucket(&source).key(deploy::SOURCE_KEY).body(vec![n].into()).send().await.unwrap();
    }
    s3.put_object().bucket(&source).key("other.txt").body(b"x".to_vec().into()).send().await.unwrap();
    s3.delete_object().bucket(&source).key("other.txt").send().await.unwrap();
    for key in ["run-1/source.zip", "run-2/source.zip"] {
        s3.put_object().bucket(&artifacts).key(key).body(b"x".to_vec().into()).send().await.unwrap();
    }
    assert_eq!(versions(&s3, &source, deploy::SOURCE_KEY).await, 4, "the source bucket is versioned");

    // Declined: nothing happens.
    let destroy_opts = destroy_options(&opts.stack_name, &file);
    let mut out = Vec::new();
    let mut prompt = String::new();
    let declined = destroy::destroy(
        &config,
        &destroy_opts,
        |p| {
            prompt = p.to_string();
            Ok(false)
        },
        &mut out,
    )
    .await
    .unwrap();
    assert_eq!(declined.outcome, DestroyOutcome::Declined);
    assert!(prompt.contains(&opts.stack_name) && prompt.contains(region), "{prompt}");
    assert!(prompt.contains(&format!("ECR repository {repo}")), "{prompt}");
    assert!(prompt.contains(&source) && prompt.contains(&artifacts), "{prompt}");
    assert!(prompt.contains("AWS::IAM::Role"), "{prompt}");
    assert_eq!(stack_status_and_events(&cfn, &opts.stack_name).await.0, "CREATE_COMPLETE");
    assert!(file.exists());

    let mut out = Vec::new();
    let done = destroy::destroy(&config, &destroy_opts, |_| Ok(true), &mut out).await.unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(done.outcome, DestroyOutcome::Deleted, "{out}");
    assert_eq!(done.images_deleted, 3, "{out}");
    assert_eq!(done.objects_deleted, 4 + 2 + 2, "{out}");
    assert!(out.contains("DELETE_COMPLETE") && out.contains(&format!("stack {} deleted", opts.stack_name)), "{out}");

    assert!(cfn.describe_stacks().stack_name(&opts.stack_name).send().await.is_err(), "the stack is gone");
    // Gone, which both moto and CloudFormation refuse while the repository holds images.
    let repos = ecr.describe_repositories().repository_names(&repo).send().await;
    assert!(repos.is_err_and(|e| e.as_service_error().is_some_and(|e| e.is_repository_not_found_exception())));
    for bucket in [&source, &artifacts] {
        assert!(s3.head_bucket().bucket(bucket).send().await.is_err(), "bucket {bucket} deleted");
    }
    assert!(!file.exists(), "the stack file named this stack");
}

#[tokio::test]
async fn destroying_a_missing_stack_says_so_and_succeeds() {
    let region = "ap-northeast-2";
    let config = moto::config(region).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("stack.toml");
    let other = StackFile {
        stack: "another".into(),
        region: region.into(),
        deployed_at: "2026-01-01T00:00:00Z".into(),
        source_sha256: String::new(),
        outputs: Default::default(),
    };
    other.save_to(&file).unwrap();
    let mut out = Vec::new();
    let mut asked = false;
    let report = destroy::destroy(
        &config,
        &destroy_options("nope", &file),
        |_| {
            asked = true;
            Ok(true)
        },
        &mut out,
    )
    .await
    .unwrap();
    assert_eq!(report.outcome, DestroyOutcome::Missing);
    assert!(!asked, "nothing to confirm");
    assert_eq!(String::from_utf8(out).unwrap(), format!("stack nope does not exist in {region}: nothing to destroy\n"));
    assert!(file.exists(), "a stack file for another stack stays");

    // A stale file for this very stack goes.
    StackFile { stack: "nope".into(), ..other }.save_to(&file).unwrap();
    destroy::destroy(&config, &destroy_options("nope", &file), |_| Ok(true), &mut Vec::new()).await.unwrap();
    assert!(!file.exists());
}
