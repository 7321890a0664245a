//! The default mode, decided in the background while the first slides show: LIVE when
//! credentials resolve and the deck's CodeBuild projects exist, OFFLINE otherwise, with the
//! reason in one line.

use std::time::Duration;

use super::AwsOptions;
use crate::builds::catalog::Catalog;

/// The whole decision never takes longer than this.
pub const TIMEOUT: Duration = Duration::from_secs(4);

/// A usable configuration, or why the talk stays offline.
pub async fn detect(opts: &AwsOptions, catalog: &Catalog) -> Result<aws_config::SdkConfig, String> {
    match tokio::time::timeout(TIMEOUT, decide(opts, catalog)).await {
        Ok(result) => result,
        Err(_) => Err(format!("AWS did not answer within {} s", TIMEOUT.as_secs())),
    }
}

async fn decide(opts: &AwsOptions, catalog: &Catalog) -> Result<aws_config::SdkConfig, String> {
    use aws_credential_types::provider::ProvideCredentials;
    let config = super::load(opts).await;
    let region =
        config.region().map(|r| r.to_string()).ok_or("no AWS region (--region, AWS_REGION or [aws] region)")?;
    let provider = config.credentials_provider().ok_or("no AWS credentials")?;
    provider.provide_credentials().await.map_err(|_| "no AWS credentials".to_string())?;
    let mut names: Vec<String> =
        catalog.scenarios.iter().flat_map(|s| &s.builds).map(|b| b.project.clone()).filter(|p| !p.is_empty()).collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return Err("the deck names no CodeBuild projects".into());
    }
    let codebuild = aws_sdk_codebuild::Client::new(&config);
    let out = codebuild
        .batch_get_projects()
        .set_names(Some(names.clone()))
        .send()
        .await
        .map_err(|e| format!("CodeBuild in {region}: {}", super::describe(&e)))?;
    let missing: Vec<&String> =
        names.iter().filter(|n| !out.projects().iter().any(|p| p.name() == Some(n.as_str()))).collect();
    match missing.first() {
        Some(first) => Err(format!(
            "project {first}{} not in {region}; `arm64-demo deploy` creates them",
            if missing.len() > 1 { format!(" and {} more", missing.len() - 1) } else { String::new() }
        )),
        None => Ok(config),
    }
}
