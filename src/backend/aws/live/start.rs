//! StartBuild for one build of the catalog: the overrides it names, a marker to find the build
//! again, and an idempotency token that makes a retried request start nothing twice.

use aws_sdk_codebuild::types::{ComputeType, EnvironmentVariable, EnvironmentVariableType, SourceType};

use super::SCENARIO_VAR;
use crate::backend::aws::check::environment_type;
use crate::builds::catalog::BuildDef;
use crate::deck::source::ProjectRoot;

/// Everything one StartBuild sends, decided before the network is touched.
#[derive(Debug, Clone, PartialEq)]
pub struct StartSpec {
    pub project: String,
    pub buildspec: Option<String>,
    /// Plaintext variables only: the catalog holds no secrets.
    pub env: Vec<(String, String)>,
    pub environment_type: String,
    pub image: Option<String>,
    pub compute: Option<String>,
    /// `bucket/key.zip` when the deck names the S3 source.
    pub source: Option<String>,
    pub token: String,
}

/// The marker value of a build: `<scenario>/<build id>`.
pub fn marker(scenario: &str, build: &str) -> String {
    format!("{scenario}/{build}")
}

/// The request for build `b` of `scenario`. `token` is unique per press of the start key.
pub fn spec(
    root: &ProjectRoot,
    scenario: &str,
    b: &BuildDef,
    source: Option<&str>,
    token: String,
) -> Result<StartSpec, String> {
    let buildspec = match &b.buildspec {
        Some(file) => Some(root.read(&format!("buildspecs/{file}"))?),
        None => None,
    };
    let mut env: Vec<(String, String)> = b.env.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    env.push((SCENARIO_VAR.to_string(), marker(scenario, &b.id)));
    Ok(StartSpec {
        project: b.project.clone(),
        buildspec,
        env,
        environment_type: environment_type(b.host_arch()).as_str().to_string(),
        image: (!b.image.is_empty()).then(|| b.image.clone()),
        compute: (!b.compute.is_empty()).then(|| b.compute.clone()),
        source: source.map(String::from),
        token,
    })
}

/// Sends the request; returns the new build's id.
pub async fn send(codebuild: &aws_sdk_codebuild::Client, spec: &StartSpec) -> Result<String, String> {
    let vars = spec
        .env
        .iter()
        .filter_map(|(k, v)| {
            EnvironmentVariable::builder().name(k).value(v).r#type(EnvironmentVariableType::Plaintext).build().ok()
        })
        .collect();
    let req = codebuild
        .start_build()
        .project_name(&spec.project)
        .set_buildspec_override(spec.buildspec.clone())
        .set_environment_variables_override(Some(vars))
        .environment_type_override(spec.environment_type.as_str().into())
        // Docker builds need it.
        .privileged_mode_override(true)
        .set_image_override(spec.image.clone())
        .set_compute_type_override(spec.compute.as_deref().map(ComputeType::from))
        .set_source_type_override(spec.source.as_ref().map(|_| SourceType::S3))
        .set_source_location_override(spec.source.clone())
        .idempotency_token(&spec.token);
    let out = req.send().await.map_err(|e| crate::backend::aws::describe(&e))?;
    out.build_value().and_then(|b| b.id()).map(String::from).ok_or_else(|| "StartBuild returned no build".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::{self, DeckSource};

    #[test]
    fn names_every_override_the_catalog_gives() {
        let deck = deck::load(&DeckSource::Bundled, None).unwrap();
        let scenario = deck.catalog.scenario("native-build").unwrap();
        let arm = scenario.builds.iter().find(|b| b.id == "arm64-native").unwrap();
        let s = spec(&DeckSource::Bundled.root(), "native-build", arm, Some("bucket/src.zip"), "t1".into()).unwrap();
        assert_eq!(s.project, "arm64-demo-arm64");
        assert_eq!(s.environment_type, "ARM_CONTAINER");
        assert_eq!(s.image.as_deref(), Some("aws/codebuild/amazonlinux-aarch64-standard:3.0"));
        assert_eq!(s.compute.as_deref(), Some("BUILD_GENERAL1_LARGE"));
        assert!(s.buildspec.as_deref().unwrap().contains("version: 0.2"));
        assert!(s.env.contains(&("PLATFORM".into(), "arm64".into())));
        assert!(s.env.contains(&("FILES_LOCATION".into(), "codecommit/native_speed".into())));
        assert!(s.env.contains(&(SCENARIO_VAR.into(), "native-build/arm64-native".into())));
        assert_eq!(s.source.as_deref(), Some("bucket/src.zip"));
        // An emulated arm64 build runs on an x86_64 host.
        let emulated = deck.catalog.scenario("emulated-build").unwrap();
        let s = spec(&DeckSource::Bundled.root(), "emulated-build", &emulated.builds[0], None, "t2".into()).unwrap();
        assert_eq!(s.environment_type, "LINUX_CONTAINER");
        assert_eq!(s.source, None);
    }
}
