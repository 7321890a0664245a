//! The real binary in a pty, live against moto's server: the LIVE badge, a build started from a
//! concept slide, and its success on screen. `--live` without a region fails before the
//! terminal is touched.

mod moto;
mod pty;

use pty::{ENTER, Session};

#[tokio::test]
async fn live_mode_starts_a_build_from_a_slide_and_shows_it_succeed() {
    let region = "sa-east-1";
    let codebuild = aws_sdk_codebuild::Client::new(&moto::config(region).await);
    moto::create_demo_projects(&codebuild).await;
    let home = tempfile::tempdir().unwrap();
    let url = moto::url();
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
