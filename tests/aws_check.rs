//! `arm64-demo check` against moto's server (the real AWS wire protocol on 127.0.0.1):
//! ✓ for what exists, ✗ with a fix for what does not, and the exit code a script can trust.

use std::process::{Command, Output};

mod moto;

use aws_sdk_codebuild::types::EnvironmentType;
use moto::{create_project, url as moto};

async fn codebuild(region: &str) -> aws_sdk_codebuild::Client {
    aws_sdk_codebuild::Client::new(&moto::config(region).await)
}

fn check(region: &str) -> Output {
    check_at(region, &moto())
}

/// `arm64-demo check` against an endpoint, with test credentials and no profile of the user's.
fn check_at(region: &str, endpoint: &str) -> Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_arm64-demo"))
        .args(["check", "--region", region, "--endpoint-url", endpoint])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_SESSION_TOKEN", "secret-session-token")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("HOME", home.path())
        .env("XDG_STATE_HOME", home.path())
        .env("ARM64_DEMO_STACK_FILE", home.path().join("no-stack.toml"))
        .env_remove("AWS_PROFILE")
        .output()
        .unwrap()
}

#[tokio::test]
async fn reports_missing_and_present_projects_and_exits_accordingly() {
    let region = "eu-west-3";
    let client = codebuild(region).await;
    let _ = client.delete_project().name("arm64-demo-arm64").send().await;
    create_project(
        &client,
        "arm64-demo-x86_64",
        EnvironmentType::LinuxContainer,
        "aws/codebuild/amazonlinux-x86_64-standard:5.0",
    )
    .await;

    let out = check(region);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("✓ region"), "{stdout}");
    assert!(stdout.contains("✓ credentials"), "{stdout}");
    assert!(stdout.contains("✓ project arm64-demo-x86_64"), "{stdout}");
    assert!(stdout.contains("✗ project arm64-demo-arm64") && stdout.contains("missing; deploy the stack"), "{stdout}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("a live talk needs are missing"), "{stderr}");
    assert!(
        !stdout.contains("secret-session-token") && !stderr.contains("secret-session-token"),
        "no credential is printed"
    );

    // An arm64 project on the wrong environment type is named as such; the right one passes.
    create_project(
        &client,
        "arm64-demo-arm64",
        EnvironmentType::LinuxContainer,
        "aws/codebuild/amazonlinux-aarch64-standard:3.0",
    )
    .await;
    let stdout = String::from_utf8_lossy(&check(region).stdout).into_owned();
    assert!(stdout.contains("✗ project arm64-demo-arm64") && stdout.contains("expected ARM_CONTAINER"), "{stdout}");
}

#[tokio::test]
async fn everything_present_is_ready() {
    let region = "ap-southeast-2";
    let client = codebuild(region).await;
    moto::create_demo_projects(&client).await;
    let out = check(region);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let arm = stdout.lines().find(|l| l.contains("project arm64-demo-arm64")).unwrap_or_default();
    assert!(arm.starts_with('✓') && arm.contains("ARM_CONTAINER"), "{stdout}");
    assert!(stdout.contains("ready for a live talk"), "{stdout}");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_unreachable_endpoint_is_a_clear_failure_not_a_hang() {
    let out = check_at("eu-west-1", "http://127.0.0.1:9");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("✗ credentials") && stdout.contains("cannot reach the endpoint"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
}

#[tokio::test]
async fn the_source_zip_and_the_pipeline_are_checked_when_named() {
    use arm64_demo::backend::aws::check::sources;
    let region = "us-west-1";
    let config = moto::config(region).await;
    let s3 = arm64_demo::infra::s3_client(&config);
    let bucket = "arm64-demo-check-source";
    let _ = s3
        .create_bucket()
        .bucket(bucket)
        .create_bucket_configuration(
            aws_sdk_s3::types::CreateBucketConfiguration::builder()
                .location_constraint(aws_sdk_s3::types::BucketLocationConstraint::UsWest1)
                .build(),
        )
        .send()
        .await;
    s3.put_object().bucket(bucket).key("source.zip").body(b"PK".to_vec().into()).send().await.unwrap();
    let items = sources(&config, Some("no-such-pipeline"), Some(&format!("{bucket}/source.zip"))).await;
    assert_eq!(items.len(), 2);
    assert!(!items[0].ok && items[0].what == "pipeline no-such-pipeline", "{:?}", items[0]);
    assert!(items[0].detail.contains("deploy the stack"), "{:?}", items[0]);
    assert!(items[1].ok && items[1].detail == "2 bytes", "{:?}", items[1]);
    let missing = sources(&config, None, Some(&format!("{bucket}/other.zip"))).await;
    assert!(!missing[0].ok && missing[0].detail.contains("`arm64-demo deploy` uploads it"), "{:?}", missing[0]);
}
