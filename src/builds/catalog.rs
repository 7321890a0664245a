//! The scenario catalog: which builds each concept runs, on which arch, and the reference
//! figures (with their source) that the panes show beside them.

use std::fmt;

/// A CPU architecture, named the way CodeBuild's images name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Arch {
    #[serde(rename = "x86_64")]
    X86_64,
    Arm64,
}

impl fmt::Display for Arch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Arch::X86_64 => "x86_64",
            Arch::Arm64 => "arm64",
        })
    }
}

/// How a build reaches its target arch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuildMode {
    /// On a host of the target's own arch.
    #[default]
    Native,
    /// On an x86_64 host, the target arch through QEMU.
    Emulated,
}

impl fmt::Display for BuildMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            BuildMode::Native => "native",
            BuildMode::Emulated => "emulated",
        })
    }
}

/// What a build is expected to do; some failures are the point of a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    #[default]
    Succeed,
    Fail,
}

/// Where a figure comes from, shown beside it on screen.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureSource {
    pub id: String,
    /// What the audience reads, e.g. "the seed demo's published run (eu-west-1)".
    pub label: String,
}

/// A reference duration of a build, with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceTime {
    pub seconds: f64,
    pub source: FigureSource,
}

/// A reference value of a metric a build prints (e.g. ML training seconds), with its source.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceMetric {
    pub name: String,
    pub unit: String,
    pub value: f64,
    pub source: FigureSource,
}

/// One build of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct BuildDef {
    pub id: String,
    pub label: String,
    pub arch: Arch,
    pub mode: BuildMode,
    pub expect: Expect,
    pub reference: Option<ReferenceTime>,
    pub metrics: Vec<ReferenceMetric>,
    /// The buildspec file under `buildspecs/`.
    pub buildspec: Option<String>,
    /// The case folder under `codecommit/` (also `FILES_LOCATION`).
    pub source: Option<String>,
    /// Environment variables the build gets: the deck's `build_env`, the build's own, and
    /// `FILES_LOCATION`.
    pub env: std::collections::BTreeMap<String, String>,
    /// Where it runs: CodeBuild project, image and compute type (from the deck's `[hosts]`
    /// for its host arch, unless the build names its own).
    pub project: String,
    pub image: String,
    pub compute: String,
}

impl BuildDef {
    /// The arch of the machine the build runs on (emulated builds run on x86_64).
    pub fn host_arch(&self) -> Arch {
        match self.mode {
            BuildMode::Native => self.arch,
            BuildMode::Emulated => Arch::X86_64,
        }
    }
}

/// A compiled regular expression, compared by its source.
#[derive(Debug, Clone)]
pub struct Pattern(regex::Regex);

impl Pattern {
    pub fn new(source: &str) -> Result<Pattern, regex::Error> {
        regex::Regex::new(source).map(Pattern)
    }
}

impl std::ops::Deref for Pattern {
    type Target = regex::Regex;
    fn deref(&self) -> &regex::Regex {
        &self.0
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Pattern) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

/// A metric read from build logs: the last `value` capture of `regex`, or (`count`) how many
/// lines match.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricPattern {
    pub name: String,
    pub unit: String,
    pub regex: Pattern,
    pub count: bool,
}

/// One demo case, e.g. "1A · native builds".
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub id: String,
    /// The concept label, e.g. "1A".
    pub concept: String,
    pub title: String,
    pub builds: Vec<BuildDef>,
    /// Metrics its builds' logs are read for.
    pub patterns: Vec<MetricPattern>,
}

/// Per-minute prices of build compute, with where they come from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PriceTable {
    pub source: String,
    pub date: String,
    /// `(arch, compute type)` → US dollars per build minute.
    pub per_minute: Vec<((Arch, String), f64)>,
}

impl PriceTable {
    pub fn per_minute(&self, arch: Arch, compute: &str) -> Option<f64> {
        self.per_minute.iter().find(|((a, c), _)| *a == arch && c == compute).map(|(_, p)| *p)
    }

    /// The cost of `seconds` of a build, billed by started minute; `None` without a sourced price.
    pub fn cost(&self, arch: Arch, compute: &str, seconds: f64) -> Option<f64> {
        self.per_minute(arch, compute).map(|p| (seconds / 60.0).ceil().max(1.0) * p)
    }
}

/// All scenarios of a deck.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catalog {
    pub scenarios: Vec<Scenario>,
    pub prices: PriceTable,
}

impl Catalog {
    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }
}

/// Formats seconds as the seed does: `7m7s`, `51m46s`, `40.9s`.
pub fn format_duration(seconds: f64) -> String {
    if seconds < 60.0 {
        return format!("{seconds:.1}s");
    }
    let total = seconds.round() as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 { format!("{h}h{m:02}m{s:02}s") } else { format!("{m}m{s}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_the_seed() {
        assert_eq!(format_duration(427.0), "7m7s");
        assert_eq!(format_duration(513.0), "8m33s");
        assert_eq!(format_duration(3106.0), "51m46s");
        assert_eq!(format_duration(40.88533), "40.9s");
        assert_eq!(format_duration(3725.0), "1h02m05s");
    }

    #[test]
    fn costs_round_up_to_started_minutes_and_are_unknown_without_a_price() {
        let prices = PriceTable {
            source: "s".into(),
            date: "d".into(),
            per_minute: vec![((Arch::X86_64, "BUILD_GENERAL1_LARGE".into()), 0.02)],
        };
        assert_eq!(prices.cost(Arch::X86_64, "BUILD_GENERAL1_LARGE", 427.0), Some(0.16));
        assert_eq!(prices.cost(Arch::X86_64, "BUILD_GENERAL1_LARGE", 5.0), Some(0.02));
        assert_eq!(prices.cost(Arch::Arm64, "BUILD_GENERAL1_LARGE", 427.0), None);
    }

    #[test]
    fn emulated_builds_run_on_x86() {
        let b = BuildDef {
            id: "a".into(),
            label: "a".into(),
            arch: Arch::Arm64,
            mode: BuildMode::Emulated,
            expect: Expect::Succeed,
            reference: None,
            metrics: vec![],
            buildspec: None,
            source: None,
            env: Default::default(),
            project: String::new(),
            image: String::new(),
            compute: String::new(),
        };
        assert_eq!(b.host_arch(), Arch::X86_64);
        assert_eq!(BuildDef { mode: BuildMode::Native, ..b }.host_arch(), Arch::Arm64);
    }
}
