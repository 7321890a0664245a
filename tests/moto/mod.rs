//! The moto server scripts/test starts, and the CodeBuild projects the live tests need on it.
#![allow(dead_code)]

use aws_sdk_codebuild::types::{
    ArtifactsType, ComputeType, EnvironmentType, ProjectArtifacts, ProjectEnvironment, ProjectSource, SourceType,
};

/// The server's URL.
pub fn url() -> String {
    std::env::var("ARM64_DEMO_MOTO_URL").expect("ARM64_DEMO_MOTO_URL: run scripts/test, which starts moto's server")
}

/// SDK configuration for the server; each test uses its own region, so their state does not meet.
pub async fn config(region: &str) -> aws_config::SdkConfig {
    aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_string()))
        .endpoint_url(url())
        .credentials_provider(aws_sdk_codebuild::config::Credentials::new("testing", "testing", None, None, "test"))
        .load()
        .await
}

/// (Re)creates a CodeBuild project; a rerun against the same server starts from a clean one.
pub async fn create_project(client: &aws_sdk_codebuild::Client, name: &str, env: EnvironmentType, image: &str) {
    let _ = client.delete_project().name(name).send().await;
    client
        .create_project()
        .name(name)
        .source(
            ProjectSource::builder().r#type(SourceType::S3).location("arm64-demo-source/source.zip").build().unwrap(),
        )
        .artifacts(ProjectArtifacts::builder().r#type(ArtifactsType::NoArtifacts).build().unwrap())
        .environment(
            ProjectEnvironment::builder()
                .r#type(env)
                .image(image)
                .compute_type(ComputeType::BuildGeneral1Large)
                .privileged_mode(true)
                .build()
                .unwrap(),
        )
        .service_role("arn:aws:iam::123456789012:role/arm64-demo")
        .send()
        .await
        .expect("moto creates the project");
}

/// Every project the bundled deck's builds use, each on its host arch's environment type.
pub async fn create_demo_projects(client: &aws_sdk_codebuild::Client) {
    let deck = arm64_demo::deck::load(&arm64_demo::deck::DeckSource::Bundled, None).unwrap();
    let mut made = Vec::new();
    for b in deck.catalog.scenarios.iter().flat_map(|s| &s.builds) {
        if made.contains(&b.project) {
            continue;
        }
        let env = arm64_demo::backend::aws::check::environment_type(b.host_arch());
        create_project(client, &b.project, env, &b.image).await;
        made.push(b.project.clone());
    }
}
