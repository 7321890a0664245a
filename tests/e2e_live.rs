//! The real binary in a pty, live against moto's server: the LIVE badge, a build started from a
//! concept slide, and its success on screen. `--live` without a region fails before the
//! terminal is touched.

mod pty;

use aws_sdk_codebuild::types::{
    ArtifactsType, ComputeType, EnvironmentType, ProjectArtifacts, ProjectEnvironment, ProjectSource, SourceType,
};
use pty::{ENTER, Session};

fn moto() -> String {
    std::env::var("ARM64_DEMO_MOTO_URL").expect("ARM64_DEMO_MOTO_URL: run scripts/test, which starts moto's server")
}

#[tokio::test]
async fn live_mode_starts_a_build_from_a_slide_and_shows_it_succeed() {
    let region = "sa-east-1";
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region))
        .endpoint_url(moto())
        .credentials_provider(aws_sdk_codebuild::config::Credentials::new("testing", "testing", None, None, "test"))
        .load()
        .await;
    let codebuild = aws_sdk_codebuild::Client::new(&config);
    for (name, env) in
        [("arm64-demo-x86_64", EnvironmentType::LinuxContainer), ("arm64-demo-arm64", EnvironmentType::ArmContainer)]
    {
        let _ = codebuild.delete_project().name(name).send().await;
        codebuild
            .create_project()
            .name(name)
            .source(
                ProjectSource::builder()
                    .r#type(SourceType::S3)
                    .location("arm64-demo-source/source.zip")
                    .build()
                    .unwrap(),
            )
            .artifacts(ProjectArtifacts::builder().r#type(ArtifactsType::NoArtifacts).build().unwrap())
            .environment(
                ProjectEnvironment::builder()
                    .r#type(env)
                    .image("i")
                    .compute_type(ComputeType::BuildGeneral1Large)
                    .build()
                    .unwrap(),
            )
            .service_role("arn:aws:iam::123456789012:role/arm64-demo")
            .send()
            .await
            .unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    let url = moto();
    let mut s = tokio::task::spawn_blocking(move || {
        let mut s = Session::start_with_env(
            &["--live", "--region", region, "--endpoint-url", &url],
            &[("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")],
            home.path(),
            140,
            40,
        );
        s.wait_for("LIVE");
        s.send("8");
        s.send(ENTER);
        s.wait_for("2A · Software that just works");
        s.send(ENTER);
        s.wait_for("LIVE · CodeBuild in sa-east-1");
        s.wait_for("✓ succeeded");
        (s, home)
    })
    .await
    .unwrap();
    s.0.send("q");
    assert_eq!(s.0.wait_exit(), 0);
}

#[test]
fn live_without_a_region_fails_before_the_terminal_is_touched() {
    let home = tempfile::tempdir().unwrap();
    let mut s = Session::start_with_env(
        &["--live"],
        &[("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing"), ("AWS_CONFIG_FILE", "/nonexistent")],
        home.path(),
        100,
        30,
    );
    assert_eq!(s.wait_exit(), 1);
    assert!(s.screen().contains("--live needs a region"), "{}", s.screen());
    assert!(!s.alternate_screen());
}
