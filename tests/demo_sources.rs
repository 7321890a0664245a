//! Proof without Docker that the demo sources do what their slides claim: the buildspecs are
//! valid and read only variables someone provides, every Dockerfile parses and pins what it
//! installs, each issues/fixes pair differs only where the lesson is, and the perf scripts
//! print their documented lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use arm64_demo::builds::catalog::BuildDef;
use arm64_demo::deck::diff::{Change, diff};
use arm64_demo::deck::{self, DeckSource, ThemeName};
use dockerfile_parser::{Dockerfile, Instruction};
use regex::Regex;
use serde_yaml_ng::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn builds() -> Vec<BuildDef> {
    let deck = deck::load(&DeckSource::Bundled, None).expect("the bundled deck loads");
    deck.catalog.scenarios.into_iter().flat_map(|s| s.builds).collect()
}

/// Variables CodeBuild sets in every build (and the shell's own).
const CODEBUILD_VARS: [&str; 10] = [
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "CODEBUILD_BUILD_ARN",
    "CODEBUILD_BUILD_ID",
    "CODEBUILD_SRC_DIR",
    "CODEBUILD_RESOLVED_SOURCE_VERSION",
    "CODEBUILD_BUILD_NUMBER",
    "CODEBUILD_START_TIME",
    "HOME",
    "PATH",
];

fn buildspec_files() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root().join("buildspecs"))
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yml"))
        .collect();
    files.sort();
    files
}

/// The commands of every phase, in order.
fn commands(spec: &Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(phases) = spec.get("phases").and_then(Value::as_mapping) {
        for (_, phase) in phases {
            for key in ["commands", "finally"] {
                for c in phase.get(key).and_then(Value::as_sequence).into_iter().flatten() {
                    out.push(c.as_str().expect("commands are strings").to_string());
                }
            }
        }
    }
    out
}

#[test]
fn buildspecs_are_version_0_2_with_known_phases_and_valid_shell() {
    let files = buildspec_files();
    assert!(files.len() >= 3, "native, manifest and emulated buildspecs: {files:?}");
    for name in &files {
        let text = read(&format!("buildspecs/{name}"));
        let spec: Value = serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let version = spec.get("version").map(|v| match v {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.clone(),
            other => format!("{other:?}"),
        });
        assert_eq!(version.as_deref(), Some("0.2"), "{name}");
        let top: BTreeSet<String> =
            spec.as_mapping().unwrap().keys().filter_map(|k| k.as_str().map(String::from)).collect();
        let known = ["version", "run-as", "env", "proxy", "batch", "phases", "reports", "artifacts", "cache"];
        assert!(top.iter().all(|k| known.contains(&k.as_str())), "{name}: unknown top-level keys in {top:?}");
        let phases: Vec<String> =
            spec["phases"].as_mapping().unwrap().keys().filter_map(|k| k.as_str().map(String::from)).collect();
        for p in &phases {
            assert!(["install", "pre_build", "build", "post_build"].contains(&p.as_str()), "{name}: unknown phase {p}");
        }
        // All commands run in one bash session in buildspec 0.2: check them as one script.
        let script = commands(&spec).join("\n");
        let out = Command::new("bash").arg("-n").arg("-c").arg(&script).output().unwrap();
        assert!(out.status.success(), "{name}: bash -n: {}", String::from_utf8_lossy(&out.stderr));
    }
}

/// `$NAME` and `${NAME}` the commands read, less what they assign themselves.
fn variables_read(script: &str) -> BTreeSet<String> {
    let read = Regex::new(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)").unwrap();
    let assigned = Regex::new(r"(?:^|[\s;&|(`])(?:export\s+|local\s+)?([A-Za-z_][A-Za-z0-9_]*)=").unwrap();
    let looped = Regex::new(r"\b(?:for|read)\s+(?:-r\s+)?([A-Za-z_][A-Za-z0-9_]*)").unwrap();
    // awk programs use `$NF` and friends: strip single-quoted text first.
    let unquoted = Regex::new(r"'[^']*'").unwrap().replace_all(script, "''");
    let own: BTreeSet<String> =
        assigned.captures_iter(&unquoted).chain(looped.captures_iter(&unquoted)).map(|c| c[1].to_string()).collect();
    read.captures_iter(&unquoted).map(|c| c[1].to_string()).filter(|v| !own.contains(v)).collect()
}

#[test]
fn buildspecs_read_only_what_the_catalog_or_codebuild_provides() {
    let builds = builds();
    for name in buildspec_files() {
        let spec: Value = serde_yaml_ng::from_str(&read(&format!("buildspecs/{name}"))).unwrap();
        let mut script = commands(&spec).join("\n");
        if let Some(vars) = spec.get("env").and_then(|e| e.get("variables")).and_then(Value::as_mapping) {
            for (k, _) in vars {
                script.push_str(&format!("\n{}=x", k.as_str().unwrap()));
            }
        }
        let needed = variables_read(&script);
        let users: Vec<&BuildDef> = builds.iter().filter(|b| b.buildspec.as_deref() == Some(name.as_str())).collect();
        assert!(!users.is_empty(), "{name} is used by no build of the catalog");
        for b in users {
            let missing: Vec<&String> =
                needed.iter().filter(|v| !b.env.contains_key(*v) && !CODEBUILD_VARS.contains(&v.as_str())).collect();
            assert!(missing.is_empty(), "{name} reads {missing:?}, which build {} does not get", b.id);
        }
    }
}

#[test]
fn the_variable_scan_sees_reads_and_assignments() {
    let vars = variables_read(
        "ACCOUNT=$(echo $CODEBUILD_BUILD_ARN | cut -d: -f5)\necho ${ACCOUNT} $PLATFORM\nawk '{print $NF}'",
    );
    assert_eq!(vars.into_iter().collect::<Vec<_>>(), ["CODEBUILD_BUILD_ARN", "PLATFORM"]);
}

#[test]
fn buildspecs_print_timing_lines_in_the_documented_format() {
    let line = Regex::new(r"ARM64_DEMO_TIMING step=([a-z0-9_]+) seconds=").unwrap();
    let doc = read("buildspecs/README.md");
    assert!(doc.contains("ARM64_DEMO_TIMING step="), "buildspecs/README.md documents the timing line");
    for name in buildspec_files() {
        let text = read(&format!("buildspecs/{name}"));
        let steps: Vec<String> = line.captures_iter(&text).map(|c| c[1].to_string()).collect();
        assert!(!steps.is_empty(), "{name} prints no timing line");
    }
    let emulated = read("buildspecs/emulated_build.yml");
    for step in ["docker_build_amd64", "docker_build_arm64"] {
        assert!(emulated.contains(&format!("step={step}")), "the emulated build times {step} on its own");
    }
    assert!(emulated.contains("public.ecr.aws/eks-distro-build-tooling/binfmt-misc"), "QEMU from public ECR");
}

/// Every Dockerfile under codecommit/.
fn dockerfiles() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok()) {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.file_name().is_some_and(|n| n == "Dockerfile") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(&root().join("codecommit"), &mut out);
    out.sort();
    out
}

#[test]
fn every_case_has_a_readme_a_dockerfile_and_a_build() {
    let builds = builds();
    let sources: BTreeSet<String> = builds.iter().filter_map(|b| b.source.clone()).collect();
    for src in &sources {
        assert!(root().join(src).join("Dockerfile").is_file(), "{src}/Dockerfile");
        assert!(root().join(src).join("README.md").is_file(), "{src}/README.md");
    }
    for d in dockerfiles() {
        let case = d.parent().unwrap().strip_prefix(root()).unwrap().to_string_lossy().into_owned();
        assert!(sources.contains(&case), "{case} is built by no scenario");
    }
}

#[test]
fn dockerfiles_parse_and_pin_what_they_install() {
    let pip_spec = Regex::new(r"(?:pip3?|python3? -m pip) install ([^&;|]*)").unwrap();
    let npm_spec = Regex::new(r"npm (?:install|i) ([^&;|]*)").unwrap();
    let npm_pinned = Regex::new(r"@\d+\.\d+\.\d+$").unwrap();
    for path in dockerfiles() {
        let name = path.strip_prefix(root()).unwrap().display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let df = Dockerfile::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let stages: BTreeSet<String> = df
            .instructions
            .iter()
            .filter_map(|i| i.as_from())
            .filter_map(|f| f.alias.as_ref().map(|a| a.content.clone()))
            .collect();
        for from in df.instructions.iter().filter_map(|i| i.as_from()) {
            let image = &from.image_parsed;
            if stages.contains(&from.image.content) {
                continue;
            }
            assert_eq!(
                image.registry.as_deref(),
                Some("public.ecr.aws"),
                "{name}: {} is not from public ECR",
                from.image.content
            );
            let tag = image.tag.as_deref().or(image.hash.as_deref());
            assert!(tag.is_some_and(|t| t != "latest"), "{name}: {} has no pinned tag", from.image.content);
        }
        for run in df.instructions.iter().filter_map(Instruction::as_run) {
            let Some(shell) = run.as_shell() else { continue };
            let cmd = shell.to_string();
            for c in pip_spec.captures_iter(&cmd) {
                for arg in c[1].split_whitespace().filter(|a| !a.starts_with('-')) {
                    let from_file = c[1].contains("-r ") && (arg.ends_with(".txt"));
                    assert!(from_file || arg.contains("=="), "{name}: pip installs {arg} unpinned");
                }
            }
            for c in npm_spec.captures_iter(&cmd) {
                for arg in c[1].split_whitespace().filter(|a| !a.starts_with('-')) {
                    assert!(npm_pinned.is_match(arg), "{name}: npm installs {arg} unpinned");
                }
            }
            if cmd.contains("git clone") {
                assert!(
                    cmd.contains("--branch") || cmd.contains("-b ") || cmd.contains("checkout"),
                    "{name}: git clone without a pinned tag or commit: {cmd}"
                );
            }
        }
    }
    for req in ["codecommit/perf_tests/requirements.txt", "codecommit/software_running/requirements.txt"] {
        for line in read(req).lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            assert!(line.contains("=="), "{req}: {line} is not pinned with ==");
        }
    }
}

/// The changed lines of two files: (removed, added).
fn changed_lines(left: &str, right: &str) -> (Vec<String>, Vec<String>) {
    let d = diff(left, &read(left), right, &read(right), ThemeName::Dark);
    let pick = |c: Change| d.unified.iter().filter(|r| r.change == c).map(|r| r.line.text()).collect();
    (pick(Change::Delete), pick(Change::Insert))
}

#[test]
fn python_pair_differs_only_in_the_numpy_pin() {
    let (removed, added) = changed_lines(
        "codecommit/software_not_running/python_issues/Dockerfile",
        "codecommit/software_not_running/python_fixes/Dockerfile",
    );
    assert_eq!((removed.len(), added.len()), (1, 1), "{removed:?} {added:?}");
    assert!(removed[0].contains("numpy==1.18.5"), "{removed:?}");
    assert!(added[0].contains("numpy==1.19.0"), "{added:?}");
}

#[test]
fn nodejs_pair_differs_only_in_the_build_dependencies() {
    let (removed, added) = changed_lines(
        "codecommit/software_not_running/nodejs_issues/Dockerfile",
        "codecommit/software_not_running/nodejs_fixes/Dockerfile",
    );
    assert!(removed.len() <= 1 && !added.is_empty() && added.len() <= 2, "a small diff: {removed:?} {added:?}");
    let added = added.join("\n");
    for pkg in ["gcc-c++", "cairo-devel", "pango-devel", "libjpeg-turbo-devel", "giflib-devel"] {
        assert!(added.contains(pkg), "the fix installs {pkg}: {added}");
    }
    for d in ["nodejs_issues", "nodejs_fixes"] {
        assert!(read(&format!("codecommit/software_not_running/{d}/package.json")).contains("\"canvas\": \"2.11.2\""));
    }
}

#[test]
fn go_pair_differs_only_in_the_build_tag_and_both_pick_the_toolchain_by_targetarch() {
    let issues = "codecommit/runtime_tests/go_tests_issues/Dockerfile";
    let fixed = "codecommit/runtime_tests/go_tests_fixed/Dockerfile";
    let (removed, added) = changed_lines(issues, fixed);
    assert_eq!((removed.len(), added.len()), (1, 1), "{removed:?} {added:?}");
    assert!(removed[0].contains("-tags amd64"), "{removed:?}");
    assert!(added[0].contains("-tags purego"), "{added:?}");
    for f in [issues, fixed] {
        let text = read(f);
        assert!(text.contains("ARG TARGETARCH"), "{f}");
        assert!(
            text.contains("linux-${TARGETARCH}") || text.contains("linux-$TARGETARCH"),
            "{f}: the tarball follows the arch"
        );
        assert!(!text.contains("linux-amd64.tar.gz"), "{f}: no hard-coded amd64 toolchain");
    }
}

#[test]
fn word_level_emphasis_on_the_real_pairs() {
    let cases = [
        (
            "codecommit/software_not_running/python_issues/Dockerfile",
            "codecommit/software_not_running/python_fixes/Dockerfile",
            "18",
            "19",
        ),
        (
            "codecommit/runtime_tests/go_tests_issues/Dockerfile",
            "codecommit/runtime_tests/go_tests_fixed/Dockerfile",
            "amd64",
            "purego",
        ),
    ];
    for (left, right, old_word, new_word) in cases {
        let d = diff(left, &read(left), right, &read(right), ThemeName::Dark);
        let row = d.side_by_side.iter().find(|r| r.change == Change::Replace).expect("a replaced line");
        let old: String = row.left.as_ref().unwrap().emphasized().concat();
        let new: String = row.right.as_ref().unwrap().emphasized().concat();
        assert!(old.contains(old_word) && new.contains(new_word), "{left}: emphasized {old:?} → {new:?}");
        let whole_old = row.left.as_ref().unwrap().text();
        assert!(old.len() < whole_old.trim().len(), "only part of the line is emphasized: {old:?} of {whole_old:?}");
    }
}

/// The Python of the test venv that scripts/test prepares.
fn python() -> PathBuf {
    let p = std::env::var_os("ARM64_DEMO_PYTHON").map(PathBuf::from).unwrap_or_else(|| root().join(".venv/bin/python"));
    assert!(p.exists(), "no Python venv at {}: run scripts/test, which creates it", p.display());
    p
}

#[test]
fn perf_scripts_generate_the_shape_and_print_the_documented_metric_lines() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("data.csv");
    let perf = root().join("codecommit/perf_tests");
    let rows = 20_000usize;
    let out = Command::new(python())
        .arg(perf.join("generate.py"))
        .args(["--rows", &rows.to_string(), "--out"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success(), "generate.py: {}", String::from_utf8_lossy(&out.stderr));
    let data = std::fs::read_to_string(&csv).unwrap();
    let mut lines = data.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').map(|h| h.trim_matches('"')).collect();
    let expected: Vec<String> = std::iter::once("Time".to_string())
        .chain((1..=28).map(|i| format!("V{i}")))
        .chain(["Amount".into(), "Class".into()])
        .collect();
    assert_eq!(header, expected);
    let classes: Vec<&str> = lines.map(|l| l.rsplit(',').next().unwrap()).collect();
    assert_eq!(classes.len(), rows);
    let positives = classes.iter().filter(|c| c.trim_matches('"').starts_with('1')).count();
    let expected_positives = ((rows as f64) * 492.0 / 284_807.0).round().max(1.0) as usize;
    assert_eq!(positives, expected_positives, "the same imbalance as the Kaggle set");

    let out = Command::new(python())
        .arg(perf.join("classify.py"))
        .args(["--rows", &rows.to_string(), "--data"])
        .arg(&csv)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "classify.py: {}{}", stdout, String::from_utf8_lossy(&out.stderr));
    let metric = Regex::new(r"(?m)^ARM64_DEMO_METRIC name=([a-z_]+) value=([0-9.eE+-]+) unit=(\S+)$").unwrap();
    let metrics: BTreeMap<String, (f64, String)> =
        metric.captures_iter(&stdout).map(|c| (c[1].to_string(), (c[2].parse().unwrap(), c[3].to_string()))).collect();
    for name in ["training_seconds", "inference_seconds"] {
        let (value, unit) = metrics.get(name).unwrap_or_else(|| panic!("no {name} line in:\n{stdout}"));
        assert!(*value > 0.0 && unit == "s", "{name} = {value} {unit}");
    }
    let doc = read("codecommit/perf_tests/README.md");
    assert!(doc.contains("ARM64_DEMO_METRIC name="), "the format is documented");
}
