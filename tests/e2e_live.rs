//! The real binary in a pty, live against moto's server: the LIVE badge, a build started from a
//! concept slide, and its success on screen. `--live` without a region fails before the
//! terminal is touched.

mod fault_proxy;
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
            &["--live", "--yes", "--region", region, "--endpoint-url", &url],
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

const KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

#[tokio::test]
async fn the_default_mode_goes_live_by_itself_asks_before_starting_and_never_shows_a_credential() {
    let region = "ap-south-2";
    let codebuild = aws_sdk_codebuild::Client::new(&moto::config(region).await);
    moto::create_demo_projects(&codebuild).await;
    let home = tempfile::tempdir().unwrap();
    let url = moto::url();
    let (screen, log) = tokio::task::spawn_blocking(move || {
        let env = [
            ("AWS_ACCESS_KEY_ID", KEY_ID),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_REGION", region),
            ("AWS_ENDPOINT_URL", url.as_str()),
        ];
        let mut s = Session::start_with_env(&[], &env, home.path(), 150, 45);
        s.wait_for(" LIVE ");
        s.send("8");
        s.send(ENTER);
        s.wait_for("2A · Software that just works");
        s.send(ENTER);
        // Live builds cost money: what starts, and its estimate, first.
        s.wait_for("Start 3 CodeBuild build(s)?");
        s.wait_for("Estimated cost unknown + 3 build(s) without a sourced price or duration");
        s.send("n");
        s.wait_gone("Start 3 CodeBuild build(s)?");
        s.send(ENTER);
        s.wait_for("Start 3 CodeBuild build(s)?");
        s.send("y");
        s.wait_for(&format!("LIVE · CodeBuild in {region}"));
        s.wait_for("✓ succeeded");
        let screen = s.screen();
        s.send("q");
        assert_eq!(s.wait_exit(), 0);
        let log = std::fs::read_to_string(home.path().join("state/arm64-demo/arm64-demo.log")).unwrap_or_default();
        (screen, log)
    })
    .await
    .unwrap();
    for secret in [KEY_ID, SECRET] {
        assert!(!screen.contains(secret) && !log.contains(secret), "a credential leaked");
    }
    assert!(log.contains("mode: Live"), "the decision is logged: {log}");
}

#[test]
fn without_credentials_the_default_mode_stays_offline_and_says_why() {
    let home = tempfile::tempdir().unwrap();
    let s = Session::start_with_env(&[], &[("AWS_REGION", "eu-west-1")], home.path(), 150, 40);
    s.wait_for("OFFLINE");
    s.wait_for("no AWS credentials");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_answered_within_50_ms_while_the_network_stalls() {
    let proxy = fault_proxy::FaultProxy::start(&moto::url()).await;
    // Every AWS call hangs for longer than the test runs.
    proxy.always(Some(fault_proxy::Fault::Stall(std::time::Duration::from_secs(60))));
    let home = tempfile::tempdir().unwrap();
    let url = proxy.url.clone();
    let slowest = tokio::task::spawn_blocking(move || {
        let env = [("AWS_ACCESS_KEY_ID", "testing"), ("AWS_SECRET_ACCESS_KEY", "testing")];
        let mut s = Session::start_with_env(
            &["--live", "--region", "eu-west-3", "--endpoint-url", &url],
            &env,
            home.path(),
            120,
            40,
        );
        s.wait_for(" LIVE ");
        // The backend is now waiting on the stalled attach; walk the deck.
        std::thread::sleep(std::time::Duration::from_millis(300));
        let mut slowest = std::time::Duration::ZERO;
        for key in std::iter::repeat_n(pty::RIGHT, 12).chain(std::iter::repeat_n("\x1b[D", 12)) {
            let before = s.frames();
            let sent = std::time::Instant::now();
            s.send(key);
            while s.frames() == before {
                assert!(sent.elapsed() < std::time::Duration::from_secs(2), "no frame after a key");
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
            slowest = slowest.max(sent.elapsed());
        }
        s.send("q");
        assert_eq!(s.wait_exit(), 0, "quits at once although calls are pending");
        slowest
    })
    .await
    .unwrap();
    assert!(proxy.requests.load(std::sync::atomic::Ordering::SeqCst) >= 1, "the backend was waiting on the network");
    eprintln!("slowest key → frame while AWS stalls: {slowest:?}");
    assert!(slowest < std::time::Duration::from_millis(50), "slowest key → frame: {slowest:?}");
}

/// The headless commands, as a script would run them.
fn headless(args: &[&str], region: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_arm64-demo"))
        .args(args)
        .args(["--region", region, "--endpoint-url", &moto::url()])
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .unwrap()
}

#[tokio::test]
async fn run_streams_prefixed_lines_and_exits_by_whether_builds_ended_as_expected() {
    let region = "ap-east-1";
    let codebuild = aws_sdk_codebuild::Client::new(&moto::config(region).await);
    moto::create_demo_projects(&codebuild).await;

    let ok = tokio::task::spawn_blocking(move || headless(&["run", "software-running"], region)).await.unwrap();
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(ok.status.success(), "{out}\n{}", String::from_utf8_lossy(&ok.stderr));
    for line in ["x86      | ▶ COMPLETED", "arm64    | ■ SUCCEEDED", "manifest | ■ SUCCEEDED", "manifest | ✓ Succeeded"]
    {
        assert!(out.contains(line), "{line:?} in:\n{out}");
    }

    // moto ends every build SUCCEEDED, so the build meant to fail did not: not as expected.
    let bad = tokio::task::spawn_blocking(move || headless(&["run", "python-wheels"], region)).await.unwrap();
    let out = String::from_utf8_lossy(&bad.stdout);
    assert_eq!(bad.status.code(), Some(1), "{out}");
    assert!(out.contains("arm64-pinned | ✗ UnexpectedSuccess"), "{out}");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("not every build of python-wheels ended as expected"));

    // moto keeps no env overrides, so no build carries the scenario marker: nothing to attach.
    let none =
        tokio::task::spawn_blocking(move || headless(&["run", "go-assembly", "--attach"], region)).await.unwrap();
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no earlier build of go-assembly to follow"));
    let unknown = tokio::task::spawn_blocking(move || headless(&["run", "nope"], region)).await.unwrap();
    assert_eq!(unknown.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no scenario \"nope\"; the deck has: native-build"));
}
