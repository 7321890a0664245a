//! The live path through a loopback proxy that drops connections, stalls 10 s, answers 500 and
//! ThrottlingException, between the AWS SDK and moto's server: the log follower still yields
//! every line exactly once and in order, and a scenario's builds still reach their end, with
//! the stale spell shown and cleared.

mod fault_proxy;
mod moto;

use std::collections::BTreeMap;
use std::time::Duration;

use arm64_demo::backend::aws::live::{self, Command, Report};
use arm64_demo::backend::aws::logs::LogFollower;
use arm64_demo::builds::event::BuildEvent;
use arm64_demo::builds::status::BuildStatus;
use arm64_demo::deck::{self, DeckSource};
use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use fault_proxy::{Fault, FaultProxy};

/// The program's own timeouts and retries, with the endpoint behind the proxy.
async fn via(proxy: &FaultProxy, region: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_string()))
        .endpoint_url(&proxy.url)
        .credentials_provider(aws_sdk_codebuild::config::Credentials::new("testing", "testing", None, None, "test"))
        .timeout_config(arm64_demo::backend::aws::timeouts())
        .load()
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_follower_loses_and_repeats_nothing_through_every_fault() {
    let region = "eu-south-1";
    let direct = aws_sdk_cloudwatchlogs::Client::new(&moto::config(region).await);
    let (group, stream) = ("/aws/codebuild/faults", "build-1");
    let _ = direct.delete_log_group().log_group_name(group).send().await;
    direct.create_log_group().log_group_name(group).send().await.unwrap();
    direct.create_log_stream().log_group_name(group).log_stream_name(stream).send().await.unwrap();

    let proxy = FaultProxy::start(&moto::url()).await;
    let logs = aws_sdk_cloudwatchlogs::Client::new(&via(&proxy, region).await);
    let mut follower = LogFollower::new(group, stream).with_limit(150);
    let (mut sent, mut read) = (Vec::new(), Vec::new());
    let mut errors = 0;
    let faults = [
        vec![Fault::Drop, Fault::Drop, Fault::Drop],
        vec![Fault::ServerError, Fault::ServerError, Fault::ServerError, Fault::Throttle],
        vec![Fault::Stall(Duration::from_secs(10))],
        vec![Fault::Throttle, Fault::Throttle, Fault::Throttle, Fault::Drop],
        vec![Fault::ServerError, Fault::Pass, Fault::Drop, Fault::Pass, Fault::Throttle],
    ];
    // CloudWatch (and moto) refuse events older than 14 days: stamp them from now.
    let base = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64 - 60_000;
    for (burst, plan) in faults.into_iter().enumerate() {
        let lines: Vec<String> = (0..700).map(|i| format!("burst {burst} line {i:04}")).collect();
        let events: Vec<InputLogEvent> = lines
            .iter()
            .enumerate()
            .map(|(i, m)| {
                InputLogEvent::builder().timestamp(base + (burst * 1000 + i) as i64).message(m).build().unwrap()
            })
            .collect();
        direct
            .put_log_events()
            .log_group_name(group)
            .log_stream_name(stream)
            .set_log_events(Some(events))
            .send()
            .await
            .unwrap();
        sent.extend(lines);
        proxy.then(plan);
        // Read to the end of what is there, as the poller does round after round.
        loop {
            match follower.poll(&logs).await {
                Ok(page) => {
                    read.extend(page.lines);
                    if page.at_end {
                        break;
                    }
                }
                Err(_) => errors += 1,
            }
        }
    }
    assert_eq!(read.len(), sent.len(), "no line lost, none repeated");
    assert_eq!(read, sent, "in order");
    assert!(errors >= 2, "some faults outlasted the SDK's own retries and reached the follower: {errors}");
    assert!(proxy.failed.load(std::sync::atomic::Ordering::SeqCst) >= 15, "the faults were served");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_reaches_its_end_through_faults_with_the_stale_spell_shown_and_cleared() {
    let region = "eu-south-2";
    let codebuild = aws_sdk_codebuild::Client::new(&moto::config(region).await);
    moto::create_demo_projects(&codebuild).await;
    let proxy = FaultProxy::start(&moto::url()).await;
    let deck = deck::load(&DeckSource::Bundled, None).unwrap();
    let (tx, mut reports) = tokio::sync::mpsc::unbounded_channel();
    let commands = live::spawn(
        via(&proxy, region).await,
        deck.catalog.clone(),
        DeckSource::Bundled.root(),
        Default::default(),
        tx,
    );
    // The two StartBuild calls pass; every attempt of the next two polls fails.
    proxy.then([Fault::Pass, Fault::Pass, Fault::Drop, Fault::ServerError, Fault::Throttle]);
    proxy.then([Fault::Stall(Duration::from_secs(10)), Fault::Drop, Fault::Drop]);
    commands.send(Command::Start("software-running".into())).unwrap();

    let mut statuses: BTreeMap<String, Vec<BuildStatus>> = BTreeMap::new();
    let (mut stale, mut resumed) = (0, 0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    loop {
        let report = tokio::time::timeout_at(deadline, reports.recv()).await.expect("ends within 90 s").unwrap();
        match report {
            Report::Failed { error, .. } => panic!("{error}"),
            Report::Events(e) => {
                for ev in e.events {
                    match ev.event {
                        BuildEvent::Stale { .. } => stale += 1,
                        BuildEvent::Resumed => resumed += 1,
                        BuildEvent::Status { status } => statuses.entry(ev.build).or_default().push(status),
                        _ => {}
                    }
                }
            }
            Report::Finished { .. } => break,
            _ => {}
        }
    }
    assert!(stale >= 2, "both builds were shown stale: {stale}");
    assert!(resumed >= 2, "and reachable again: {resumed}");
    let want: BTreeMap<String, Vec<BuildStatus>> =
        ["arm64", "manifest", "x86"].iter().map(|b| (b.to_string(), vec![BuildStatus::Succeeded])).collect();
    assert_eq!(statuses, want, "each build ended once, the manifest after the others");
}
