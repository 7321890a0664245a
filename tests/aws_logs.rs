//! Log following against moto's CloudWatch Logs: thousands of events written in bursts, read
//! across many pages while they arrive, each exactly once and in order.

use arm64_demo::backend::aws::logs::{LogFollower, not_there_yet};
use aws_sdk_cloudwatchlogs::types::InputLogEvent;

fn moto() -> String {
    std::env::var("ARM64_DEMO_MOTO_URL").expect("ARM64_DEMO_MOTO_URL: run scripts/test, which starts moto's server")
}

async fn client() -> aws_sdk_cloudwatchlogs::Client {
    let config = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new("eu-north-1"))
        .endpoint_url(moto())
        .credentials_provider(aws_sdk_cloudwatchlogs::config::Credentials::new(
            "testing", "testing", None, None, "test",
        ))
        .load()
        .await;
    aws_sdk_cloudwatchlogs::Client::new(&config)
}

#[tokio::test]
async fn follows_bursts_across_pages_with_every_line_once_in_order() {
    let logs = client().await;
    let (group, stream) = ("/aws/codebuild/arm64-demo-follow", format!("run-{}", std::process::id()));
    let _ = logs.create_log_group().log_group_name(group).send().await;
    let mut follower = LogFollower::new(group, &stream).with_limit(250);
    // Before the stream exists: a clear "not yet", not a failure.
    let err = follower.poll(&logs).await.unwrap_err();
    assert!(not_there_yet(&err), "{err:?}");
    logs.create_log_stream().log_group_name(group).log_stream_name(&stream).send().await.unwrap();

    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let mut sent = Vec::new();
    let mut read = Vec::new();
    for burst in 0..4 {
        let lines: Vec<String> = (0..1500).map(|i| format!("burst {burst} line {i:04}")).collect();
        let events: Vec<InputLogEvent> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                InputLogEvent::builder().timestamp(now + burst * 10_000 + i as i64).message(l).build().unwrap()
            })
            .collect();
        logs.put_log_events()
            .log_group_name(group)
            .log_stream_name(&stream)
            .set_log_events(Some(events))
            .send()
            .await
            .unwrap();
        sent.extend(lines);
        // Read part of the way, then let the next burst land mid-stream.
        for _ in 0..3 {
            read.extend(follower.poll(&logs).await.unwrap().lines);
        }
    }
    loop {
        let page = follower.poll(&logs).await.unwrap();
        read.extend(page.lines);
        if page.at_end {
            break;
        }
    }
    assert_eq!(read.len(), sent.len(), "every line once");
    assert_eq!(read, sent, "in order");
    // At the end, another poll brings nothing new.
    let page = follower.poll(&logs).await.unwrap();
    assert!(page.lines.is_empty() && page.at_end);
}
