//! `deck.toml`: the deck's metadata and its scenario catalog, validated with file:line errors.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use super::error::{DeckError, LineIndex, toml_error};
use super::source::{DeckFile, ProjectRoot};
use crate::builds::catalog::{
    Arch, BuildDef, BuildMode, Catalog, Expect, FigureSource, MetricPattern, Pattern, PriceTable, ReferenceMetric,
    ReferenceTime, Scenario,
};

/// The colour theme a deck asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
}

/// Deck-wide metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct DeckMeta {
    pub title: String,
    pub author: String,
    pub theme: ThemeName,
    /// The AWS region of the live builds (`[aws] region`), before the environment's.
    pub region: Option<String>,
    /// The zip CodeBuild reads the sources from (`[aws] source = "bucket/key.zip"`); the
    /// projects' own source when absent. `arm64-demo deploy` supplies it too.
    pub source: Option<String>,
    /// The CodePipeline the pipeline pane shows (`[aws] pipeline`).
    pub pipeline: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    theme: ThemeName,
    #[serde(default)]
    sources: BTreeMap<String, RawSource>,
    #[serde(default)]
    build_env: BTreeMap<Spanned<String>, String>,
    #[serde(default)]
    hosts: BTreeMap<String, RawHost>,
    prices: Option<RawPrices>,
    aws: Option<RawAws>,
    #[serde(default)]
    scenarios: Vec<RawScenario>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAws {
    region: Option<String>,
    source: Option<Spanned<String>>,
    pipeline: Option<String>,
}

/// Where builds of one host arch run.
#[derive(Deserialize, Clone, Default)]
#[serde(deny_unknown_fields)]
struct RawHost {
    project: Option<String>,
    image: Option<String>,
    compute: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPrices {
    source: String,
    date: String,
    /// `"<arch>/<compute type>" = dollars per minute`
    per_minute: BTreeMap<Spanned<String>, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPattern {
    name: String,
    #[serde(default)]
    unit: String,
    regex: Spanned<String>,
    #[serde(default)]
    count: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    label: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    id: Spanned<String>,
    concept: String,
    title: String,
    builds: Vec<RawBuild>,
    #[serde(default)]
    patterns: Vec<RawPattern>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    id: Spanned<String>,
    label: String,
    arch: Arch,
    #[serde(default)]
    mode: BuildMode,
    #[serde(default)]
    expect: Expect,
    reference: Option<RawReference>,
    #[serde(default)]
    metrics: Vec<RawMetric>,
    buildspec: Option<Spanned<String>>,
    source: Option<Spanned<String>>,
    #[serde(default)]
    env: BTreeMap<Spanned<String>, String>,
    project: Option<String>,
    image: Option<String>,
    compute: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReference {
    seconds: f64,
    source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMetric {
    name: String,
    unit: String,
    reference: f64,
    source: Spanned<String>,
}

/// Checks that a file (or folder) the catalog names exists in the project.
fn check_file(root: &ProjectRoot, path: &str, folder: bool) -> Result<(), String> {
    let what = if folder { "folder" } else { "file" };
    match root.exists(path, folder) {
        Some(false) => Err(format!("no {what} \"{path}\" in the project; expected an existing {what}")),
        // Present, or a deck without a project folder (nothing to check against).
        Some(true) | None => Ok(()),
    }
}

/// Environment variable names: upper case, digits and underscores, not starting with a digit.
fn check_env_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
    if !ok {
        return Err(format!("\"{name}\" is not an environment variable name; expected e.g. CONTAINER_NAME"));
    }
    if name == "FILES_LOCATION" {
        return Err("FILES_LOCATION is set from `source`; expected `source = \"codecommit/...\"` instead".into());
    }
    Ok(())
}

/// Parses and validates `deck.toml`; `root` is where the files it names are checked.
pub fn parse(file: &DeckFile, root: &ProjectRoot) -> Result<(DeckMeta, Catalog), DeckError> {
    let raw: RawConfig = toml::from_str(&file.text).map_err(|e| toml_error(&file.name, &file.text, 1, &e))?;
    let index = LineIndex::new(&file.text);
    let at = |span: std::ops::Range<usize>, message: String| {
        let (line, col) = index.position(span.start);
        DeckError::new(&file.name, line, col, message)
    };
    let source = |id: &Spanned<String>| -> Result<FigureSource, DeckError> {
        match raw.sources.get(id.get_ref()) {
            Some(s) => Ok(FigureSource { id: id.get_ref().clone(), label: s.label.clone() }),
            None => Err(at(
                id.span(),
                format!(
                    "unknown source \"{}\"; expected one of the [sources] tables: {}",
                    id.get_ref(),
                    list(raw.sources.keys())
                ),
            )),
        }
    };

    let mut scenarios: Vec<Scenario> = Vec::with_capacity(raw.scenarios.len());
    for s in &raw.scenarios {
        if scenarios.iter().any(|o| &o.id == s.id.get_ref()) {
            return Err(at(
                s.id.span(),
                format!("duplicate scenario id \"{}\"; expected each id once", s.id.get_ref()),
            ));
        }
        if s.builds.is_empty() {
            return Err(at(
                s.id.span(),
                format!("scenario \"{}\" has no builds; expected at least one [[scenarios.builds]]", s.id.get_ref()),
            ));
        }
        let mut builds: Vec<BuildDef> = Vec::with_capacity(s.builds.len());
        for b in &s.builds {
            if builds.iter().any(|o| &o.id == b.id.get_ref()) {
                return Err(at(
                    b.id.span(),
                    format!("duplicate build id \"{}\" in scenario \"{}\"", b.id.get_ref(), s.id.get_ref()),
                ));
            }
            let reference = match &b.reference {
                Some(r) if !(r.seconds.is_finite() && r.seconds > 0.0) => {
                    return Err(at(r.source.span(), "reference seconds must be a positive number".into()));
                }
                Some(r) => Some(ReferenceTime { seconds: r.seconds, source: source(&r.source)? }),
                None => None,
            };
            let metrics = b
                .metrics
                .iter()
                .map(|m| {
                    Ok(ReferenceMetric {
                        name: m.name.clone(),
                        unit: m.unit.clone(),
                        value: m.reference,
                        source: source(&m.source)?,
                    })
                })
                .collect::<Result<_, DeckError>>()?;
            if let Some(spec) = &b.buildspec {
                let path = format!("buildspecs/{}", spec.get_ref());
                check_file(root, &path, false).map_err(|m| at(spec.span(), m))?;
            }
            if let Some(src) = &b.source {
                check_file(root, src.get_ref(), true).map_err(|m| at(src.span(), m))?;
            }
            let mut env = BTreeMap::new();
            for (name, value) in raw.build_env.iter().chain(&b.env) {
                check_env_name(name.get_ref()).map_err(|m| at(name.span(), m))?;
                env.insert(name.get_ref().clone(), value.clone());
            }
            if let Some(src) = &b.source {
                env.insert("FILES_LOCATION".to_string(), src.get_ref().clone());
            }
            let host_arch = match b.mode {
                BuildMode::Native => b.arch,
                BuildMode::Emulated => Arch::X86_64,
            };
            let host = raw.hosts.get(&host_arch.to_string()).cloned().unwrap_or_default();
            builds.push(BuildDef {
                project: b.project.clone().or(host.project).unwrap_or_default(),
                image: b.image.clone().or(host.image).unwrap_or_default(),
                compute: b.compute.clone().or(host.compute).unwrap_or_default(),
                id: b.id.get_ref().clone(),
                label: b.label.clone(),
                arch: b.arch,
                mode: b.mode,
                expect: b.expect,
                reference,
                metrics,
                buildspec: b.buildspec.as_ref().map(|s| s.get_ref().clone()),
                source: b.source.as_ref().map(|s| s.get_ref().clone()),
                env,
            });
        }
        let mut patterns = Vec::with_capacity(s.patterns.len());
        for p in &s.patterns {
            let regex = Pattern::new(p.regex.get_ref()).map_err(|e| {
                let first = e.to_string().lines().last().unwrap_or("").trim().to_string();
                at(p.regex.span(), format!("invalid regex: {first}"))
            })?;
            if !p.count && !regex.capture_names().any(|n| n == Some("value")) {
                return Err(at(
                    p.regex.span(),
                    "the pattern has no `(?P<value>...)` capture; expected one, or `count = true`".into(),
                ));
            }
            patterns.push(MetricPattern { name: p.name.clone(), unit: p.unit.clone(), regex, count: p.count });
        }
        scenarios.push(Scenario {
            id: s.id.get_ref().clone(),
            concept: s.concept.clone(),
            title: s.title.clone(),
            builds,
            patterns,
        });
    }
    for host in raw.hosts.keys() {
        if !["x86_64", "arm64"].contains(&host.as_str()) {
            return Err(DeckError::new(
                &file.name,
                1,
                1,
                format!("unknown host \"{host}\"; expected [hosts.x86_64] or [hosts.arm64]"),
            ));
        }
    }
    let mut prices = PriceTable::default();
    if let Some(p) = &raw.prices {
        prices.source = p.source.clone();
        prices.date = p.date.clone();
        for (key, price) in &p.per_minute {
            let parsed = key.get_ref().split_once('/').and_then(|(arch, compute)| {
                let arch = match arch {
                    "x86_64" => Arch::X86_64,
                    "arm64" => Arch::Arm64,
                    _ => return None,
                };
                Some((arch, compute.to_string()))
            });
            let Some(k) = parsed else {
                return Err(at(
                    key.span(),
                    format!(
                        "\"{}\" is not \"<arch>/<compute type>\"; expected e.g. \"x86_64/BUILD_GENERAL1_LARGE\"",
                        key.get_ref()
                    ),
                ));
            };
            prices.per_minute.push((k, *price));
        }
    }
    let aws = raw.aws.unwrap_or(RawAws { region: None, source: None, pipeline: None });
    if let Some(src) = &aws.source
        && !src.get_ref().split_once('/').is_some_and(|(bucket, key)| !bucket.is_empty() && !key.is_empty())
    {
        return Err(at(
            src.span(),
            format!("[aws] source \"{}\" is not bucket/key, e.g. \"my-bucket/source.zip\"", src.get_ref()),
        ));
    }
    let meta = DeckMeta {
        title: raw.title,
        author: raw.author,
        theme: raw.theme,
        region: aws.region,
        source: aws.source.map(Spanned::into_inner),
        pipeline: aws.pipeline,
    };
    Ok((meta, Catalog { scenarios, prices }))
}

/// `a, b, c`, or `(none)`.
pub fn list<'a>(items: impl IntoIterator<Item = &'a String>) -> String {
    let all: Vec<&str> = items.into_iter().map(String::as_str).collect();
    if all.is_empty() { "(none)".into() } else { all.join(", ") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<(DeckMeta, Catalog), DeckError> {
        parse(&DeckFile { name: "deck.toml".into(), text: text.into() }, &ProjectRoot::None)
    }

    const GOOD: &str = r#"title = "T"
[sources.seed]
label = "the seed"

[[scenarios]]
id = "s"
concept = "1A"
title = "S"
[[scenarios.builds]]
id = "x"
label = "x86"
arch = "x86_64"
reference = { seconds = 427, source = "seed" }
[[scenarios.builds]]
id = "a"
label = "arm"
arch = "arm64"
mode = "emulated"
expect = "fail"
metrics = [{ name = "training", unit = "s", reference = 40.9, source = "seed" }]
"#;

    #[test]
    fn parses_catalog() {
        let (meta, cat) = parse_text(GOOD).unwrap();
        assert_eq!(meta.title, "T");
        assert_eq!(meta.theme, ThemeName::Dark);
        let s = cat.scenario("s").unwrap();
        assert_eq!(s.builds.len(), 2);
        assert_eq!(s.builds[0].reference.as_ref().unwrap().source.label, "the seed");
        assert_eq!(s.builds[1].mode, BuildMode::Emulated);
        assert_eq!(s.builds[1].expect, Expect::Fail);
        assert_eq!(s.builds[1].metrics[0].value, 40.9);
    }

    #[test]
    fn unknown_key_is_located() {
        let err = parse_text("title = \"T\"\ncolour = \"red\"\n").unwrap_err();
        assert_eq!((err.line, err.col), (2, 1));
        assert!(err.message.contains("unknown field `colour`"), "{err}");
    }

    #[test]
    fn unknown_source_is_located() {
        let text = GOOD.replace("source = \"seed\" }\n[[", "source = \"blog\" }\n[[");
        let err = parse_text(&text).unwrap_err();
        assert_eq!(err.line, 13);
        assert!(err.message.contains("unknown source \"blog\""), "{err}");
    }

    #[test]
    fn duplicate_scenario_is_located() {
        let text = format!("{GOOD}\n[[scenarios]]\nid = \"s\"\nconcept = \"1B\"\ntitle = \"again\"\nbuilds = []\n");
        let err = parse_text(&text).unwrap_err();
        assert_eq!((err.line, err.col), (23, 6));
        assert!(err.message.contains("duplicate scenario id"), "{err}");
    }

    #[test]
    fn bad_arch_is_an_error() {
        let err = parse_text(&GOOD.replace("\"arm64\"", "\"riscv\"")).unwrap_err();
        assert_eq!(err.line, 17);
        assert!(err.message.contains("riscv"), "{err}");
    }

    #[test]
    fn patterns_need_a_value_capture_or_count() {
        let with = |p: &str| GOOD.replace("title = \"S\"\n", &format!("title = \"S\"\npatterns = [{p}]\n"));
        let ok = parse_text(&with("{ name = \"t\", unit = \"s\", regex = 'x=(?P<value>[0-9.]+)' }")).unwrap();
        assert_eq!(ok.1.scenarios[0].patterns[0].name, "t");
        assert!(parse_text(&with("{ name = \"n\", regex = '^ok', count = true }")).is_ok());
        let err = parse_text(&with("{ name = \"t\", regex = 'x=[0-9]+' }")).unwrap_err();
        assert_eq!(err.line, 9);
        assert!(err.message.contains("(?P<value>"), "{err}");
        let err = parse_text(&with("{ name = \"t\", regex = 'x=(' }")).unwrap_err();
        assert!(err.message.starts_with("invalid regex"), "{err}");
    }

    #[test]
    fn hosts_fill_in_where_builds_run_and_prices_are_keyed_by_arch_and_compute() {
        let text = format!(
            "{GOOD}\n[hosts.x86_64]\nproject = \"px\"\nimage = \"ix\"\ncompute = \"C\"\n[prices]\nsource = \"s\"\ndate = \"d\"\nper_minute = {{ \"x86_64/C\" = 0.5 }}\n"
        );
        let (_, cat) = parse_text(&text).unwrap();
        let b = &cat.scenarios[0].builds;
        assert_eq!((b[0].project.as_str(), b[0].compute.as_str()), ("px", "C"));
        assert_eq!(b[1].project, "px", "an emulated build runs on the x86_64 host");
        assert_eq!(cat.prices.per_minute(Arch::X86_64, "C"), Some(0.5));
        let bad = text.replace("\"x86_64/C\"", "\"sparc/C\"");
        assert!(parse_text(&bad).unwrap_err().message.contains("<arch>/<compute type>"));
    }

    #[test]
    fn missing_buildspecs_and_sources_are_located() {
        let root = ProjectRoot::Bundled;
        let text = GOOD.replace("arch = \"x86_64\"\n", "arch = \"x86_64\"\nbuildspec = \"nope.yml\"\n");
        let err = parse(&DeckFile { name: "deck.toml".into(), text }, &root).unwrap_err();
        assert_eq!(err.line, 13);
        assert!(err.message.contains("no file \"buildspecs/nope.yml\""), "{err}");
        let text = GOOD.replace("arch = \"x86_64\"\n", "arch = \"x86_64\"\nsource = \"codecommit/none\"\n");
        let err = parse(&DeckFile { name: "deck.toml".into(), text }, &root).unwrap_err();
        assert!(err.message.contains("no folder \"codecommit/none\""), "{err}");
        let text = GOOD.replace("arch = \"x86_64\"\n", "arch = \"x86_64\"\nenv = { lower = \"x\" }\n");
        let err = parse(&DeckFile { name: "deck.toml".into(), text }, &root).unwrap_err();
        assert!(err.message.contains("not an environment variable name"), "{err}");
    }
}
