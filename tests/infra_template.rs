//! The CloudFormation template in infra/ against cfn-lint, against the scenario catalog (every
//! project and pipeline action the deck uses exists there with the same settings, and the
//! reverse) and against the least-privilege rules of its IAM policies.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use arm64_demo::builds::catalog::{Arch, BuildDef, BuildMode, Scenario};
use arm64_demo::deck::{self, DeckSource};
use serde_yaml_ng::{Mapping, Value};

const TEMPLATE: &str = "infra/arm64-demo.yaml";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scenarios() -> Vec<Scenario> {
    deck::load(&DeckSource::Bundled, None).expect("the bundled deck loads").catalog.scenarios
}

fn builds() -> Vec<BuildDef> {
    scenarios().into_iter().flat_map(|s| s.builds).collect()
}

/// The template, with its CloudFormation tags (`!Sub`, `!Ref`, ...) kept as tagged values.
struct Template {
    doc: Value,
}

impl Template {
    fn load() -> Template {
        let text = std::fs::read_to_string(root().join(TEMPLATE)).unwrap_or_else(|e| panic!("{TEMPLATE}: {e}"));
        Template { doc: serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{TEMPLATE}: {e}")) }
    }

    fn resources(&self) -> &Mapping {
        self.doc.get("Resources").and_then(Value::as_mapping).expect("Resources")
    }

    /// `(logical id, properties)` of every resource of one type.
    fn of_type(&self, kind: &str) -> Vec<(String, &Value)> {
        self.resources()
            .iter()
            .filter(|(_, r)| r.get("Type").and_then(Value::as_str) == Some(kind))
            .map(|(id, r)| (id.as_str().unwrap().to_string(), r.get("Properties").expect("Properties")))
            .collect()
    }

    fn parameter_default(&self, name: &str) -> Option<String> {
        let p = self.doc.get("Parameters")?.get(name)?;
        Some(scalar(p.get("Default")?))
    }

    /// A resource's physical name as the template sets it (`None` when CloudFormation makes one).
    fn resource_name(&self, id: &str) -> Option<String> {
        let props = self.resources().get(id)?.get("Properties")?;
        ["Name", "RepositoryName", "LogGroupName", "RoleName"]
            .iter()
            .find_map(|key| props.get(*key))
            .map(|v| self.resolve(v))
    }

    /// What `Ref` of a name gives with the parameters at their defaults: a parameter's default,
    /// a pseudo parameter's placeholder, a resource's name (or `{Id}` when generated).
    fn reference(&self, name: &str) -> String {
        match name {
            "AWS::Region" => "REGION".into(),
            "AWS::AccountId" => "ACCOUNT".into(),
            "AWS::Partition" => "aws".into(),
            "AWS::NoValue" => "".into(),
            _ => {
                if let Some(default) = self.parameter_default(name) {
                    return default;
                }
                assert!(self.resources().contains_key(name), "a reference to \"{name}\", which the template lacks");
                self.resource_name(name).unwrap_or_else(|| format!("{{{name}}}"))
            }
        }
    }

    /// The string a value becomes with the parameters at their defaults. `!GetAtt X.Attr` and
    /// `${X.Attr}` become `{X.Attr}` (the attribute exists only in a deployed stack).
    fn resolve(&self, v: &Value) -> String {
        match v {
            Value::Tagged(t) if t.tag == "Sub" => self.sub(t.value.as_str().expect("!Sub of a string")),
            Value::Tagged(t) if t.tag == "Ref" => self.reference(t.value.as_str().expect("!Ref of a name")),
            Value::Tagged(t) if t.tag == "GetAtt" => {
                let attr = match &t.value {
                    Value::String(s) => s.clone(),
                    Value::Sequence(parts) => parts.iter().map(scalar).collect::<Vec<_>>().join("."),
                    other => panic!("!GetAtt of {other:?}"),
                };
                let id = attr.split('.').next().unwrap();
                assert!(self.resources().contains_key(id), "!GetAtt {attr} names no resource");
                format!("{{{attr}}}")
            }
            Value::Tagged(t) => panic!("cannot resolve !{} {:?}", t.tag, t.value),
            other => scalar(other),
        }
    }

    fn sub(&self, text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let end = rest[start..].find('}').expect("a closed ${...}") + start;
            let name = &rest[start + 2..end];
            if name.contains('.') && !name.starts_with("AWS::") {
                let id = name.split('.').next().unwrap();
                assert!(self.resources().contains_key(id), "${{{name}}} names no resource");
                out.push_str(&format!("{{{name}}}"));
            } else {
                out.push_str(&self.reference(name));
            }
            rest = &rest[end + 1..];
        }
        out.push_str(rest);
        out
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        other => panic!("expected a scalar, found {other:?}"),
    }
}

/// A list, or one item as a list of one.
fn items(v: Option<&Value>) -> Vec<&Value> {
    match v {
        Some(Value::Sequence(s)) => s.iter().collect(),
        Some(other) => vec![other],
        None => vec![],
    }
}

/// Both branches of an `!If [condition, then, else]`, or the value itself.
fn branches(v: &Value) -> Vec<&Value> {
    match v {
        Value::Tagged(t) if t.tag == "If" => {
            let s = t.value.as_sequence().expect("!If [condition, then, else]");
            assert_eq!(s.len(), 3, "!If [condition, then, else]: {s:?}");
            s[1..].iter().flat_map(branches).collect()
        }
        other => vec![other],
    }
}

fn is_no_value(v: &Value) -> bool {
    matches!(v, Value::Tagged(t) if t.tag == "Ref" && t.value.as_str() == Some("AWS::NoValue"))
}

// ── cfn-lint ─────────────────────────────────────────────────────────────────────────────────

/// The Python of the test venv that scripts/test prepares.
fn python() -> PathBuf {
    let p = std::env::var_os("ARM64_DEMO_PYTHON").map(PathBuf::from).unwrap_or_else(|| root().join(".venv/bin/python"));
    assert!(p.exists(), "no Python venv at {}: run scripts/test, which creates it", p.display());
    p
}

fn cfn_lint(template: &Path) -> std::process::Output {
    Command::new(python())
        .args(["-c", "import sys; from cfnlint.runner import main; sys.argv[0] = 'cfn-lint'; sys.exit(main())"])
        .arg(template)
        .current_dir(root())
        .output()
        .expect("python runs")
}

#[test]
fn cfn_lint_of_the_pinned_version_passes_and_catches_a_broken_copy() {
    let pin = std::fs::read_to_string(root().join("tests/requirements.txt"))
        .unwrap()
        .lines()
        .find_map(|l| l.trim().strip_prefix("cfn-lint==").map(str::to_string))
        .expect("tests/requirements.txt pins cfn-lint==<version>");
    let version = Command::new(python())
        .args(["-c", "import cfnlint.version; print(cfnlint.version.__version__)"])
        .output()
        .expect("python runs");
    assert!(version.status.success(), "cfn-lint is not installed: {}", String::from_utf8_lossy(&version.stderr));
    assert_eq!(String::from_utf8_lossy(&version.stdout).trim(), pin, "the venv's cfn-lint is the pinned one");

    let out = cfn_lint(Path::new(TEMPLATE));
    assert_eq!(
        out.status.code(),
        Some(0),
        "cfn-lint {TEMPLATE}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // The same run reports a template error, so a pass above means something.
    let text = std::fs::read_to_string(root().join(TEMPLATE)).unwrap();
    let broken = text.replacen("PipelineType: V2", "PipelineType: V3", 1);
    assert_ne!(broken, text);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.yaml");
    std::fs::write(&path, broken).unwrap();
    let out = cfn_lint(&path);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_ne!(out.status.code(), Some(0), "cfn-lint accepted an unknown pipeline type:\n{report}");
    assert!(report.contains("'V3'"), "{report}");
}

// ── template ↔ catalog ───────────────────────────────────────────────────────────────────────

/// A CodeBuild project of the template, its names resolved.
#[derive(Debug)]
struct Project {
    id: String,
    env_type: String,
    image: String,
    compute: String,
    privileged: bool,
    buildspec: String,
    timeout_minutes: u64,
    log_group: String,
}

fn projects(t: &Template) -> BTreeMap<String, Project> {
    t.of_type("AWS::CodeBuild::Project")
        .into_iter()
        .map(|(id, p)| {
            let env = p.get("Environment").expect("Environment");
            let source = p.get("Source").expect("Source");
            assert_eq!(source.get("Type").map(scalar).as_deref(), Some("S3"), "{id}: an S3 source");
            assert_eq!(
                source.get("Location").map(|v| t.resolve(v)),
                Some(format!("{{SourceBucket}}/{}", t.parameter_default("SourceObjectKey").unwrap())),
                "{id}: the source zip"
            );
            let logs = p.get("LogsConfig").and_then(|l| l.get("CloudWatchLogs")).expect("LogsConfig.CloudWatchLogs");
            assert_eq!(logs.get("Status").map(scalar).as_deref(), Some("ENABLED"), "{id}");
            let project = Project {
                id: id.clone(),
                env_type: scalar(env.get("Type").unwrap()),
                image: scalar(env.get("Image").unwrap()),
                compute: scalar(env.get("ComputeType").unwrap()),
                privileged: env.get("PrivilegedMode").and_then(Value::as_bool).unwrap_or(false),
                buildspec: source.get("BuildSpec").map(scalar).unwrap_or_default(),
                timeout_minutes: p.get("TimeoutInMinutes").and_then(Value::as_u64).unwrap_or(60),
                log_group: t.resolve(logs.get("GroupName").expect("a log group name")),
            };
            (t.resolve(p.get("Name").expect("a project name")), project)
        })
        .collect()
}

#[test]
fn every_project_the_catalog_uses_exists_with_its_settings_and_every_project_is_used() {
    let t = Template::load();
    let projects = projects(&t);
    assert_eq!(projects.len(), 4, "x86_64, arm64, manifest, emulated: {:?}", projects.keys());
    let builds = builds();
    for b in &builds {
        let p = projects.get(&b.project).unwrap_or_else(|| {
            panic!("build {} runs in project {:?}, which the template lacks: {:?}", b.id, b.project, projects.keys())
        });
        let env_type = match b.host_arch() {
            Arch::X86_64 => "LINUX_CONTAINER",
            Arch::Arm64 => "ARM_CONTAINER",
        };
        assert_eq!(p.env_type, env_type, "{}: the environment type of its host arch", b.project);
        assert_eq!(p.image, b.image, "{}: image", b.project);
        assert_eq!(p.compute, b.compute, "{}: compute type", b.project);
        assert!(p.privileged, "{}: Docker needs privileged mode", b.project);
        // The pipeline runs the project's own buildspec: it must be the build's.
        let spec = b.buildspec.as_deref().expect("every catalog build names a buildspec");
        assert_eq!(p.buildspec, format!("buildspecs/{spec}"), "{} (build {})", b.project, b.id);
        if let Some(r) = &b.reference {
            assert!(
                (p.timeout_minutes * 60) as f64 >= 2.0 * r.seconds,
                "{}: a {} min timeout leaves no room for the reference {} s",
                b.project,
                p.timeout_minutes,
                r.seconds
            );
        }
        if b.mode == BuildMode::Emulated {
            assert_eq!(p.timeout_minutes, 120, "{}: the emulated build's timeout", b.project);
        }
    }
    let used: BTreeSet<&str> = builds.iter().map(|b| b.project.as_str()).collect();
    let defined: BTreeSet<&str> = projects.keys().map(String::as_str).collect();
    assert_eq!(used, defined, "the projects the catalog uses are the template's");

    // Each project logs to its own group, /aws/codebuild/<project>, which has a retention.
    let groups = t.of_type("AWS::Logs::LogGroup");
    assert_eq!(groups.len(), projects.len(), "one log group per project");
    for (name, p) in &projects {
        assert_eq!(p.log_group, format!("/aws/codebuild/{name}"), "{}: the log group the deck reads", p.id);
        let (id, group) = groups
            .iter()
            .find(|(_, g)| t.resolve(g.get("LogGroupName").unwrap()) == p.log_group)
            .unwrap_or_else(|| panic!("{} logs to {}, which no log group creates", p.id, p.log_group));
        assert!(group.get("RetentionInDays").and_then(Value::as_u64).is_some_and(|d| d > 0), "{id}: a retention");
    }
}

#[test]
fn the_ecr_repository_is_the_decks_and_scans_on_push_with_a_lifecycle() {
    let t = Template::load();
    let repos = t.of_type("AWS::ECR::Repository");
    assert_eq!(repos.len(), 1);
    let (_, repo) = &repos[0];
    let name = t.resolve(repo.get("RepositoryName").unwrap());
    for b in builds() {
        assert_eq!(b.env.get("ECR_REPOSITORY"), Some(&name), "build {} pushes to the stack's repository", b.id);
    }
    assert_eq!(repo.get("ImageScanningConfiguration").and_then(|c| c.get("ScanOnPush")), Some(&Value::Bool(true)));
    let lifecycle = repo.get("LifecyclePolicy").and_then(|l| l.get("LifecyclePolicyText")).map(scalar).unwrap();
    let lifecycle: serde_json::Value = serde_json::from_str(&lifecycle).expect("the lifecycle policy is JSON");
    assert!(lifecycle["rules"].as_array().is_some_and(|r| !r.is_empty()), "{lifecycle}");
    assert!(repo.get("EmptyOnDelete").is_none(), "destroy empties the repository itself");
}

#[test]
fn the_buckets_are_encrypted_private_and_the_source_bucket_versioned() {
    let t = Template::load();
    let buckets = t.of_type("AWS::S3::Bucket");
    assert!(buckets.iter().any(|(id, _)| id == "SourceBucket"), "{buckets:?}");
    for (id, b) in &buckets {
        let block = b.get("PublicAccessBlockConfiguration").unwrap_or_else(|| panic!("{id}: public access block"));
        for key in ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"] {
            assert_eq!(block.get(key), Some(&Value::Bool(true)), "{id}: {key}");
        }
        let sse = b
            .get("BucketEncryption")
            .and_then(|e| e.get("ServerSideEncryptionConfiguration"))
            .and_then(|c| c.get(0))
            .and_then(|c| c.get("ServerSideEncryptionByDefault"))
            .and_then(|c| c.get("SSEAlgorithm"))
            .map(scalar);
        assert!(matches!(sse.as_deref(), Some("AES256" | "aws:kms")), "{id}: encryption {sse:?}");
        let owner = b.get("OwnershipControls").and_then(|o| o.get("Rules")).and_then(|r| r.get(0));
        assert_eq!(
            owner.and_then(|r| r.get("ObjectOwnership")).map(scalar).as_deref(),
            Some("BucketOwnerEnforced"),
            "{id}"
        );
    }
    let source = &buckets.iter().find(|(id, _)| id == "SourceBucket").unwrap().1;
    let status = source.get("VersioningConfiguration").and_then(|v| v.get("Status")).map(scalar);
    assert_eq!(status.as_deref(), Some("Enabled"), "the S3 source action needs a versioned bucket");
}

/// The pipeline's stages: name → actions.
fn stages(t: &Template) -> Vec<(String, &Value)> {
    let pipelines = t.of_type("AWS::CodePipeline::Pipeline");
    assert_eq!(pipelines.len(), 1);
    let p = pipelines[0].1;
    assert_eq!(p.get("PipelineType").map(scalar).as_deref(), Some("V2"));
    p.get("Stages")
        .and_then(Value::as_sequence)
        .expect("Stages")
        .iter()
        .map(|s| (scalar(s.get("Name").unwrap()), s))
        .collect()
}

#[test]
fn pipeline_actions_and_catalog_builds_match_one_to_one() {
    let t = Template::load();
    let stages = stages(&t);
    let scenarios = scenarios();
    let mut concepts: Vec<&str> = Vec::new();
    for s in &scenarios {
        if !concepts.contains(&s.concept.as_str()) {
            concepts.push(&s.concept);
        }
    }
    let expected: Vec<String> =
        std::iter::once("Source".to_string()).chain(concepts.iter().map(|c| format!("Concept-{c}"))).collect();
    let names: Vec<&String> = stages.iter().map(|(n, _)| n).collect();
    assert_eq!(names, expected.iter().collect::<Vec<_>>(), "a source stage, then one stage per concept in order");
    assert_eq!(concepts, ["1A", "1B", "2A", "2B", "3A", "3B"], "the concepts of the deck");

    // Source: the S3 zip, or CodeCommit when the parameter is set; no polling either way.
    let source_actions: Vec<&Value> =
        items(stages[0].1.get("Actions")).into_iter().flat_map(branches).filter(|a| !is_no_value(a)).collect();
    let providers: BTreeSet<String> =
        source_actions.iter().map(|a| scalar(a.get("ActionTypeId").unwrap().get("Provider").unwrap())).collect();
    assert_eq!(providers, BTreeSet::from(["S3".to_string(), "CodeCommit".to_string()]));
    for a in &source_actions {
        let config = a.get("Configuration").unwrap();
        assert_eq!(config.get("PollForSourceChanges"), Some(&Value::Bool(false)), "{a:?}");
        assert_eq!(items(a.get("OutputArtifacts"))[0].get("Name").map(scalar).as_deref(), Some("SourceArtifact"));
    }
    let s3 =
        source_actions.iter().find(|a| a.get("ActionTypeId").unwrap().get("Provider").map(scalar).unwrap() == "S3");
    let s3 = s3.unwrap().get("Configuration").unwrap();
    assert_eq!(t.resolve(s3.get("S3Bucket").unwrap()), "{SourceBucket}");
    assert_eq!(Some(t.resolve(s3.get("S3ObjectKey").unwrap())), t.parameter_default("SourceObjectKey"));

    let default_concepts = t
        .of_type("AWS::CodePipeline::Pipeline")
        .first()
        .and_then(|(_, p)| {
            items(p.get("Variables")).into_iter().find(|v| v.get("Name").map(scalar).as_deref() == Some("CONCEPTS"))
        })
        .and_then(|v| v.get("DefaultValue"))
        .map(scalar)
        .expect("a CONCEPTS pipeline variable with a default");

    let mut seen = BTreeSet::new();
    for (concept, (stage_name, stage)) in concepts.iter().zip(&stages[1..]) {
        // A run enters the stage only when its CONCEPTS names it; the default names them all.
        let conditions = items(stage.get("BeforeEntry").and_then(|b| b.get("Conditions")));
        assert_eq!(conditions.len(), 1, "{stage_name}: one entry condition");
        assert_eq!(conditions[0].get("Result").map(scalar).as_deref(), Some("SKIP"), "{stage_name}");
        let rules = items(conditions[0].get("Rules"));
        assert_eq!(rules.len(), 1, "{stage_name}");
        let config = rules[0].get("Configuration").unwrap();
        assert_eq!(
            rules[0].get("RuleTypeId").and_then(|r| r.get("Provider")).map(scalar).as_deref(),
            Some("VariableCheck")
        );
        assert_eq!(config.get("Variable").map(scalar).as_deref(), Some("#{variables.CONCEPTS}"), "{stage_name}");
        assert_eq!(config.get("Operator").map(scalar).as_deref(), Some("CONTAINS"), "{stage_name}");
        assert_eq!(config.get("Value").map(scalar).as_deref(), Some(*concept), "{stage_name}");
        assert!(default_concepts.split_whitespace().any(|c| c == *concept), "{concept} not in {default_concepts:?}");

        let actions: BTreeMap<String, &Value> =
            items(stage.get("Actions")).into_iter().map(|a| (scalar(a.get("Name").unwrap()), a)).collect();
        let mut expected_names = BTreeSet::new();
        for s in scenarios.iter().filter(|s| s.concept == *concept) {
            let mut order: Vec<(u64, &BuildDef)> = Vec::new();
            for b in &s.builds {
                let name = format!("{}.{}", s.id, b.id);
                expected_names.insert(name.clone());
                let a = actions
                    .get(&name)
                    .unwrap_or_else(|| panic!("{stage_name} has no action {name}: {:?}", actions.keys()));
                let kind = a.get("ActionTypeId").unwrap();
                assert_eq!(kind.get("Provider").map(scalar).as_deref(), Some("CodeBuild"), "{name}");
                assert_eq!(
                    items(a.get("InputArtifacts"))[0].get("Name").map(scalar).as_deref(),
                    Some("SourceArtifact")
                );
                let config = a.get("Configuration").unwrap();
                assert_eq!(t.resolve(config.get("ProjectName").unwrap()), b.project, "{name}: project");
                let vars: Vec<serde_json::Value> =
                    serde_json::from_str(&t.resolve(config.get("EnvironmentVariables").expect("variables")))
                        .unwrap_or_else(|e| panic!("{name}: EnvironmentVariables is not JSON: {e}"));
                let mut got = BTreeMap::new();
                for v in &vars {
                    assert_eq!(v["type"], "PLAINTEXT", "{name}: {v}");
                    let key = v["name"].as_str().unwrap().to_string();
                    assert!(got.insert(key, v["value"].as_str().unwrap().to_string()).is_none(), "{name}: {v} twice");
                }
                let mut want = b.env.clone();
                want.insert("ARM64_DEMO_SCENARIO".into(), s.id.clone());
                assert_eq!(got, want, "{name}: environment variables");
                assert_eq!(got.get("FILES_LOCATION"), b.source.as_ref(), "{name}: FILES_LOCATION is the source");
                order.push((a.get("RunOrder").and_then(Value::as_u64).unwrap_or(1), b));
            }
            // A manifest joins the per-arch images: it runs after every other build of its scenario.
            for (run, m) in order.iter().filter(|(_, b)| b.buildspec.as_deref() == Some("multi_arch_manifest.yml")) {
                for (other, b) in order.iter().filter(|(_, b)| b.id != m.id) {
                    assert!(run > other, "{}.{} (run order {run}) before {} ({other})", s.id, m.id, b.id);
                }
            }
        }
        let names: BTreeSet<String> = actions.keys().cloned().collect();
        assert_eq!(names, expected_names, "{stage_name}: the actions are the builds of concept {concept}");
        seen.extend(names);
    }
    assert_eq!(seen.len(), builds().len(), "every catalog build has exactly one action");
}

#[test]
fn outputs_name_what_the_deck_needs() {
    let t = Template::load();
    let outputs = t.doc.get("Outputs").and_then(Value::as_mapping).expect("Outputs");
    let value = |key: &str| -> String {
        t.resolve(outputs.get(key).and_then(|o| o.get("Value")).unwrap_or_else(|| panic!("no output {key}")))
    };
    // Every output the program reads (the stack file, `check`).
    for key in arm64_demo::infra::check::OUTPUT_KEYS {
        assert!(!value(key).is_empty(), "{key}");
    }
    let projects: BTreeSet<String> = builds().into_iter().map(|b| b.project).collect();
    let outputs: BTreeSet<String> =
        ["X86ProjectName", "Arm64ProjectName", "ManifestProjectName", "EmulatedProjectName"].map(value).into();
    assert_eq!(outputs, projects, "the project outputs are the catalog's projects");
    assert_eq!(value("Region"), "REGION");
    assert_eq!(value("SourceBucket"), "{SourceBucket}");
}

// ── IAM ──────────────────────────────────────────────────────────────────────────────────────

/// Every policy statement anywhere in a document (both branches of an `!If`).
fn statements(v: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                if k.as_str() == Some("Statement") {
                    out.extend(items(Some(child)).into_iter().flat_map(branches).filter(|s| !is_no_value(s)));
                } else {
                    out.extend(statements(child));
                }
            }
        }
        Value::Sequence(s) => s.iter().for_each(|c| out.extend(statements(c))),
        Value::Tagged(t) => out.extend(statements(&t.value)),
        _ => {}
    }
    out
}

/// The rule breaks of one statement: a `*` in an action, or a `*` resource for anything but
/// the ECR login.
fn violations(t: &Template, s: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if s.get("NotAction").is_some() || s.get("NotResource").is_some() {
        out.push(format!("NotAction/NotResource: {s:?}"));
    }
    let actions: Vec<String> = items(s.get("Action")).into_iter().map(scalar).collect();
    if actions.is_empty() {
        out.push(format!("no Action: {s:?}"));
    }
    for a in actions.iter().filter(|a| a.contains('*')) {
        out.push(format!("wildcard action {a}"));
    }
    let resources: Vec<String> =
        items(s.get("Resource")).into_iter().flat_map(branches).map(|r| t.resolve(r)).collect();
    if resources.iter().any(|r| r == "*") && actions != ["ecr:GetAuthorizationToken"] {
        out.push(format!("resource \"*\" for {actions:?}"));
    }
    out
}

#[test]
fn iam_policies_have_no_wildcard_action_and_star_resource_only_for_the_ecr_login() {
    let t = Template::load();
    let all = statements(&t.doc);
    // Two trust policies and the permission statements of the two roles.
    assert!(all.len() >= 12, "found only {} statements", all.len());
    let mut star = Vec::new();
    for s in &all {
        let v = violations(&t, s);
        assert!(v.is_empty(), "{v:?} in {s:?}");
        if items(s.get("Resource")).iter().any(|r| t.resolve(r) == "*") {
            star.push(s);
        }
    }
    assert_eq!(star.len(), 1, "exactly one \"*\" resource, for ecr:GetAuthorizationToken: {star:?}");

    // The checker itself catches both kinds of break.
    let bad: Value =
        serde_yaml_ng::from_str("Statement:\n  - {Effect: Allow, Action: 's3:*', Resource: '*'}\n").unwrap();
    let v = violations(&t, statements(&bad)[0]);
    assert_eq!(v.len(), 2, "{v:?}");
    let bad: Value = serde_yaml_ng::from_str(
        "Statement:\n  - !If [C, {Effect: Allow, Action: [ecr:GetAuthorizationToken, ecr:PutImage], Resource: '*'}, !Ref AWS::NoValue]\n",
    )
    .unwrap();
    assert_eq!(violations(&t, statements(&bad)[0]).len(), 1, "a conditional statement is checked too");
}

#[test]
fn build_and_pipeline_permissions_reach_only_the_demos_resources() {
    let t = Template::load();
    let key = t.parameter_default("SourceObjectKey").unwrap();
    let log_groups: BTreeSet<String> =
        t.of_type("AWS::Logs::LogGroup").into_iter().map(|(id, _)| format!("{{{id}.Arn}}")).collect();
    let projects: BTreeSet<String> =
        builds().into_iter().map(|b| format!("arn:aws:codebuild:REGION:ACCOUNT:project/{}", b.project)).collect();
    let objects: BTreeSet<String> =
        [format!("{{SourceBucket.Arn}}/{key}"), "{ArtifactBucket.Arn}/*".to_string()].into();
    let buckets: BTreeSet<String> = ["{SourceBucket.Arn}".to_string(), "{ArtifactBucket.Arn}".to_string()].into();
    let mut checked = BTreeSet::new();
    for s in statements(&t.doc) {
        if s.get("Principal").is_some() {
            continue; // a trust policy
        }
        let actions: Vec<String> = items(s.get("Action")).into_iter().map(scalar).collect();
        let resources: BTreeSet<String> = items(s.get("Resource")).into_iter().map(|r| t.resolve(r)).collect();
        for a in &actions {
            let service = a.split(':').next().unwrap();
            let allowed: BTreeSet<String> = match (service, a.as_str()) {
                (_, "ecr:GetAuthorizationToken") => ["*".to_string()].into(),
                ("ecr", _) => ["{EcrRepository.Arn}".to_string()].into(),
                ("logs", _) => log_groups.clone(),
                ("codebuild", _) => projects.clone(),
                ("s3", _) if a.starts_with("s3:GetBucket") => buckets.clone(),
                ("s3", _) => objects.clone(),
                ("codecommit", _) => ["arn:aws:codecommit:REGION:ACCOUNT:".to_string()].into(),
                _ => panic!("an action of an unexpected service: {a}"),
            };
            assert!(resources.is_subset(&allowed), "{a} on {resources:?}; expected only {allowed:?}");
            checked.insert(service.to_string());
        }
        if actions.iter().any(|a| a == "s3:PutObject") {
            assert_eq!(
                resources,
                ["{ArtifactBucket.Arn}/*".to_string()].into(),
                "writes go to the artifact store only"
            );
        }
    }
    let services: BTreeSet<String> = ["codebuild", "codecommit", "ecr", "logs", "s3"].map(String::from).into();
    assert_eq!(checked, services);
}
