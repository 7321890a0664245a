//! What `check` verifies of a deployed stack: it exists and is settled, its outputs are all
//! there, and the source object the builds read is in its bucket.

use aws_sdk_cloudformation::Client;

use super::deploy::object_sha256;
use super::{region_of, s3_client, stack};

/// Every output the deck and `check` read.
pub const OUTPUT_KEYS: [&str; 11] = [
    "SourceBucket",
    "SourceObjectKey",
    "EcrRepositoryUri",
    "EcrRepositoryName",
    "X86ProjectName",
    "Arm64ProjectName",
    "ManifestProjectName",
    "EmulatedProjectName",
    "PipelineName",
    "Region",
    "NamePrefix",
];

/// The stack's checks as `(what, ok, detail)`: the detail says what was found, or the fix.
pub async fn check_stack(config: &aws_config::SdkConfig, stack_name: &str) -> Vec<(String, bool, String)> {
    let region = region_of(config);
    let cfn = Client::new(config);
    let mut items = Vec::new();
    let what = format!("stack {stack_name}");
    let current = match stack::describe(&cfn, stack_name).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            items.push((what, false, format!("not deployed in {region}; run arm64-demo deploy")));
            return items;
        }
        Err(e) => {
            items.push((what, false, format!("{e:#}")));
            return items;
        }
    };
    let status = stack::status(&current).to_string();
    let settled = status.ends_with("_COMPLETE") && !stack::failed_creation(&status) && status != "DELETE_COMPLETE";
    let fix = if stack::in_progress(&status) {
        "an operation is running; wait for it"
    } else {
        "run arm64-demo destroy, then arm64-demo deploy"
    };
    items.push((what, settled, if settled { format!("{status} in {region}") } else { format!("{status}: {fix}") }));

    let outputs = stack::outputs(&current);
    let missing: Vec<&str> =
        OUTPUT_KEYS.iter().copied().filter(|k| outputs.get(*k).is_none_or(|v| v.is_empty())).collect();
    items.push(if missing.is_empty() {
        ("stack outputs".into(), true, format!("{} outputs", outputs.len()))
    } else {
        ("stack outputs".into(), false, format!("missing {}; run arm64-demo deploy", missing.join(", ")))
    });

    let (Some(bucket), Some(key)) = (outputs.get("SourceBucket"), outputs.get("SourceObjectKey")) else {
        items.push(("source zip".into(), false, "the stack names no source object; run arm64-demo deploy".into()));
        return items;
    };
    let object = format!("s3://{bucket}/{key}");
    items.push(match object_sha256(&s3_client(config), bucket, key).await {
        Ok(Some(sha)) if !sha.is_empty() => {
            ("source zip".into(), true, format!("{object} (sha256 {})", &sha[..12.min(sha.len())]))
        }
        Ok(Some(_)) => ("source zip".into(), true, object),
        Ok(None) => ("source zip".into(), false, format!("{object} is missing; run arm64-demo deploy")),
        Err(e) => ("source zip".into(), false, format!("{e:#}")),
    });
    items
}
