//! The live side: the official AWS SDK for Rust, with the standard credential chain.

pub mod check;
pub mod live;
pub mod logs;
pub mod mapping;

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
    loader.load().await
}
