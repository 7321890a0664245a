//! Finds the latest build of each catalog build, so builds started before the talk (or by an
//! earlier session) show up as running or finished. Builds are recognised by their
//! `ARM64_DEMO_SCENARIO` variable; builds without it are someone else's and never shown.

use std::collections::BTreeMap;

use aws_sdk_codebuild::types::{Build, SortOrderType};

use super::SCENARIO_VAR;
use crate::builds::catalog::Catalog;

/// How many of a project's newest builds are looked at.
const NEWEST: usize = 50;

/// Scenario id → (build id of the catalog → the newest CodeBuild build marked with it).
pub type Found = BTreeMap<String, BTreeMap<String, Build>>;

/// One ListBuildsForProject and one BatchGetBuilds per project the scenarios use.
pub async fn latest(
    codebuild: &aws_sdk_codebuild::Client,
    catalog: &Catalog,
    scenarios: &[String],
) -> Result<Found, String> {
    let mut projects: Vec<&str> = catalog
        .scenarios
        .iter()
        .filter(|s| scenarios.contains(&s.id))
        .flat_map(|s| s.builds.iter().map(|b| b.project.as_str()))
        .filter(|p| !p.is_empty())
        .collect();
    projects.sort_unstable();
    projects.dedup();
    let mut builds = Vec::new();
    for project in projects {
        let listed = codebuild
            .list_builds_for_project()
            .project_name(project)
            .sort_order(SortOrderType::Descending)
            .send()
            .await
            .map_err(|e| format!("ListBuildsForProject {project}: {}", crate::backend::aws::describe(&e)))?;
        let ids: Vec<String> = listed.ids().iter().take(NEWEST).cloned().collect();
        if ids.is_empty() {
            continue;
        }
        let got = codebuild
            .batch_get_builds()
            .set_ids(Some(ids))
            .send()
            .await
            .map_err(|e| format!("BatchGetBuilds: {}", crate::backend::aws::describe(&e)))?;
        builds.extend(got.builds.unwrap_or_default());
    }
    Ok(pick(builds, scenarios))
}

/// The newest marked build per catalog build; pure, so the choice is tested without a server.
pub fn pick(builds: Vec<Build>, scenarios: &[String]) -> Found {
    let mut found: Found = BTreeMap::new();
    for build in builds {
        let Some(mark) = marker(&build) else { continue };
        let Some((scenario, def)) = mark.split_once('/') else { continue };
        if !scenarios.iter().any(|s| s == scenario) {
            continue;
        }
        let slot = found.entry(scenario.to_string()).or_default();
        let newer = slot.get(def).is_none_or(|have| start(&build) > start(have));
        if newer {
            slot.insert(def.to_string(), build);
        }
    }
    found
}

fn start(b: &Build) -> f64 {
    b.start_time().map_or(0.0, |t| t.as_secs_f64())
}

/// The build's `ARM64_DEMO_SCENARIO` value.
fn marker(build: &Build) -> Option<String> {
    build
        .environment()?
        .environment_variables()
        .iter()
        .find(|v| v.name() == SCENARIO_VAR)
        .map(|v| v.value().to_string())
}

#[cfg(test)]
mod tests {
    use aws_sdk_codebuild::types::{ComputeType, EnvironmentType, EnvironmentVariable, ProjectEnvironment};
    use aws_smithy_types::DateTime;

    use super::*;

    pub fn build(id: &str, mark: Option<&str>, started: i64) -> Build {
        let mut env = ProjectEnvironment::builder()
            .r#type(EnvironmentType::LinuxContainer)
            .image("i")
            .compute_type(ComputeType::BuildGeneral1Large);
        if let Some(m) = mark {
            env =
                env.environment_variables(EnvironmentVariable::builder().name(SCENARIO_VAR).value(m).build().unwrap());
        }
        Build::builder().id(id).start_time(DateTime::from_secs(started)).environment(env.build().unwrap()).build()
    }

    #[test]
    fn picks_the_newest_marked_build_of_each_catalog_build() {
        let builds = vec![
            build("p:old", Some("native-build/x86-native"), 100),
            build("p:new", Some("native-build/x86-native"), 200),
            build("p:arm", Some("native-build/arm64-native"), 150),
            build("p:unmarked", None, 300),
            build("p:other", Some("go-assembly/x86-amd64-tag"), 300),
            build("p:junk", Some("no-slash"), 300),
        ];
        let found = pick(builds, &["native-build".to_string()]);
        assert_eq!(found.len(), 1, "only the scenarios asked for");
        let native = &found["native-build"];
        assert_eq!(native["x86-native"].id(), Some("p:new"));
        assert_eq!(native["arm64-native"].id(), Some("p:arm"));
        assert_eq!(native.len(), 2);
    }
}
