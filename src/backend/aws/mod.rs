//! The live side: the official AWS SDK for Rust, with the standard credential chain.

pub mod check;
pub mod detect;
pub mod live;
pub mod logs;
pub mod mapping;
pub mod rate;
pub mod redact;

use aws_config::BehaviorVersion;
use aws_config::meta::region::RegionProviderChain;

/// How to reach AWS: the standard chain, narrowed by the command line.
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    pub profile: Option<String>,
    /// `--region`, else the deck's region, else the environment or profile.
    pub region: Option<String>,
    /// `--endpoint-url` (e.g. a local AWS protocol server); `AWS_ENDPOINT_URL` works too.
    pub endpoint_url: Option<String>,
}

/// Loads the SDK configuration. Never prints a credential.
pub async fn load(opts: &AwsOptions) -> aws_config::SdkConfig {
    let region = RegionProviderChain::first_try(opts.region.clone().map(aws_config::Region::new)).or_default_provider();
    let mut loader = aws_config::defaults(BehaviorVersion::latest()).region(region);
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.timeout_config(timeouts()).load().await
}

/// A stalled connection becomes an error the poller retries (and shows as stale), never a hang:
/// each attempt gets a few seconds, and the SDK retries with backoff.
pub fn timeouts() -> aws_config::timeout::TimeoutConfig {
    aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(std::time::Duration::from_secs(3))
        .operation_attempt_timeout(std::time::Duration::from_secs(5))
        .build()
}

/// Loads the configuration for `--live` and proves it usable: a region, and credentials that
/// resolve within a few seconds. The error says which is missing; no credential is printed.
pub async fn load_for_live(opts: &AwsOptions) -> anyhow::Result<aws_config::SdkConfig> {
    use aws_credential_types::provider::ProvideCredentials;
    let config = load(opts).await;
    if config.region().is_none() {
        anyhow::bail!("--live needs a region: --region eu-west-1, AWS_REGION, or a region in your AWS profile");
    }
    let provider =
        config.credentials_provider().ok_or_else(|| anyhow::anyhow!("--live found no AWS credentials provider"))?;
    match tokio::time::timeout(std::time::Duration::from_secs(5), provider.provide_credentials()).await {
        Ok(Ok(_)) => Ok(config),
        Ok(Err(e)) => {
            anyhow::bail!("--live found no usable AWS credentials ({e}); try aws configure, AWS_PROFILE or --profile")
        }
        Err(_) => anyhow::bail!("--live: AWS credentials did not resolve within 5 s"),
    }
}

/// The first line of an SDK error, without request ids or credentials.
pub fn describe<E: std::error::Error + 'static, R: std::fmt::Debug>(
    e: &aws_smithy_runtime_api::client::result::SdkError<E, R>,
) -> String {
    use aws_smithy_runtime_api::client::result::SdkError;
    match e {
        SdkError::ServiceError(s) => s.err().to_string(),
        SdkError::DispatchFailure(_) => "cannot reach the endpoint".into(),
        SdkError::TimeoutError(_) => "timed out".into(),
        SdkError::ResponseError(_) => "unreadable response".into(),
        other => other.to_string(),
    }
    .lines()
    .next()
    .unwrap_or("")
    .to_string()
}
