//! Pane blocks: a fenced block with the info string `pane` and a TOML body.

use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::DeckError;
use super::config::ThemeName;
use super::config::list;
use super::diff::{FileDiff, diff_styled};
use super::error::{LineIndex, toml_error};
use super::source::ProjectRoot;
use crate::builds::catalog::Catalog;

/// What a pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneKind {
    /// One scenario's builds: status, phases, log tail.
    Build,
    /// Bars racing the builds of one or more scenarios.
    Race,
    /// Metrics read from the builds' logs, per arch.
    Metrics,
    /// A full log viewer for a scenario's builds.
    Logs,
    /// Two files side by side.
    Diff,
    /// The CodePipeline of the deck.
    Pipeline,
}

const KINDS: [(&str, PaneKind); 6] = [
    ("build", PaneKind::Build),
    ("race", PaneKind::Race),
    ("metrics", PaneKind::Metrics),
    ("logs", PaneKind::Logs),
    ("diff", PaneKind::Diff),
    ("pipeline", PaneKind::Pipeline),
];

impl PaneKind {
    pub fn name(self) -> &'static str {
        KINDS.iter().find(|(_, k)| *k == self).map_or("?", |(n, _)| n)
    }
}

/// A validated pane block.
#[derive(Debug, Clone, PartialEq)]
pub struct PaneSpec {
    pub kind: PaneKind,
    /// The scenarios it follows (one for build/metrics/logs, one or more for race).
    pub scenarios: Vec<String>,
    /// The two files a diff pane compares, relative to the project root.
    pub files: Option<(String, String)>,
    /// Rows the pane asks for; a default per kind otherwise.
    pub height: Option<u16>,
    /// A diff pane's two files, diffed and highlighted at load.
    pub diff: Option<Arc<FileDiff>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPane {
    kind: Spanned<String>,
    scenario: Option<Spanned<String>>,
    scenarios: Option<Vec<Spanned<String>>>,
    left: Option<Spanned<String>>,
    right: Option<Spanned<String>>,
    height: Option<u16>,
}

/// Folders a diff pane may read from.
pub const DIFF_ROOTS: [&str; 2] = ["codecommit/", "buildspecs/"];

/// What a pane is checked against.
pub struct PaneContext<'a> {
    pub file: &'a str,
    pub catalog: &'a Catalog,
    pub root: &'a ProjectRoot,
    pub theme: ThemeName,
    /// Code without syntax colours (the quick first load).
    pub plain: bool,
}

/// Parses a pane body. `first_line` is the file line of the body's first line, `fence_line`
/// that of the opening fence (used when the problem is the block as a whole).
pub fn parse(ctx: &PaneContext<'_>, body: &str, first_line: usize, fence_line: usize) -> Result<PaneSpec, DeckError> {
    let (file, catalog) = (ctx.file, ctx.catalog);
    let raw: RawPane = toml::from_str(body).map_err(|e| toml_error(file, body, first_line, &e))?;
    let index = LineIndex::new(body);
    let at = |span: std::ops::Range<usize>, msg: String| {
        let (line, col) = index.position(span.start);
        DeckError::new(file, first_line + line - 1, col, msg)
    };
    let whole = |msg: String| DeckError::new(file, fence_line, 1, msg);

    let kind = KINDS.iter().find(|(n, _)| *n == raw.kind.get_ref()).map(|(_, k)| *k).ok_or_else(|| {
        let names: Vec<String> = KINDS.iter().map(|(n, _)| n.to_string()).collect();
        at(raw.kind.span(), format!("unknown pane kind \"{}\"; expected one of {}", raw.kind.get_ref(), list(&names)))
    })?;
    let name = kind.name();

    let mut scenarios: Vec<&Spanned<String>> = Vec::new();
    scenarios.extend(raw.scenario.iter());
    scenarios.extend(raw.scenarios.iter().flatten());
    for s in &scenarios {
        if catalog.scenario(s.get_ref()).is_none() {
            let ids: Vec<String> = catalog.scenarios.iter().map(|s| s.id.clone()).collect();
            return Err(at(
                s.span(),
                format!("unknown scenario \"{}\"; expected one of deck.toml's scenarios: {}", s.get_ref(), list(&ids)),
            ));
        }
    }
    let scenarios: Vec<String> = scenarios.iter().map(|s| s.get_ref().clone()).collect();

    match kind {
        PaneKind::Build | PaneKind::Metrics | PaneKind::Logs => {
            if raw.scenario.is_none() || raw.scenarios.is_some() {
                return Err(whole(format!("a {name} pane follows one scenario; expected `scenario = \"<id>\"`")));
            }
        }
        PaneKind::Race => {
            if scenarios.is_empty() {
                return Err(whole("a race pane needs its builds; expected `scenarios = [\"<id>\", ...]`".into()));
            }
        }
        PaneKind::Diff | PaneKind::Pipeline => {
            if !scenarios.is_empty() {
                return Err(whole(format!("a {name} pane takes no scenario")));
            }
        }
    }
    let mut file_diff = None;
    let files = match (kind, raw.left, raw.right) {
        (PaneKind::Diff, Some(l), Some(r)) => {
            let mut texts = Vec::with_capacity(2);
            for p in [&l, &r] {
                check_diff_path(p.get_ref()).map_err(|m| at(p.span(), m))?;
                let text = ctx.root.read(p.get_ref()).map_err(|e| {
                    at(p.span(), format!("cannot read \"{}\": {e}; expected an existing file", p.get_ref()))
                })?;
                texts.push(text);
            }
            // The quick first load names the files and leaves the rows to the full load.
            file_diff = Some(Arc::new(if ctx.plain {
                FileDiff::pending(l.get_ref(), r.get_ref())
            } else {
                diff_styled(l.get_ref(), &texts[0], r.get_ref(), &texts[1], ctx.theme, false)
            }));
            Some((l.into_inner(), r.into_inner()))
        }
        (PaneKind::Diff, _, _) => {
            return Err(whole(
                "a diff pane compares two files; expected `left = \"...\"` and `right = \"...\"`".into(),
            ));
        }
        (_, None, None) => None,
        (_, Some(p), _) | (_, _, Some(p)) => {
            return Err(at(p.span(), format!("a {name} pane takes no left/right files")));
        }
    };
    if raw.height.is_some_and(|h| !(3..=200).contains(&h)) {
        return Err(whole("pane height must be between 3 and 200 rows".into()));
    }
    Ok(PaneSpec { kind, scenarios, files, height: raw.height, diff: file_diff })
}

fn check_diff_path(path: &str) -> Result<(), String> {
    let inside = DIFF_ROOTS.iter().any(|r| path.starts_with(r));
    if !inside || path.split('/').any(|c| c == ".." || c.is_empty()) {
        return Err(format!(
            "diff path \"{path}\" is not a file under codecommit/ or buildspecs/; expected e.g. \"codecommit/<case>/Dockerfile\""
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builds::catalog::{Arch, BuildDef, BuildMode, Expect, Scenario};

    fn catalog() -> Catalog {
        let b = BuildDef {
            id: "x".into(),
            label: "x".into(),
            arch: Arch::X86_64,
            mode: BuildMode::Native,
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
        Catalog {
            scenarios: vec![Scenario {
                id: "s1".into(),
                concept: "1A".into(),
                title: "S".into(),
                builds: vec![b],
                patterns: vec![],
            }],
            prices: Default::default(),
        }
    }

    fn p(body: &str) -> Result<PaneSpec, DeckError> {
        let dir = std::env::temp_dir().join(format!("arm64-demo-pane-{}", std::process::id()));
        for f in ["codecommit/a/Dockerfile", "buildspecs/b.yml"] {
            std::fs::create_dir_all(dir.join(f).parent().unwrap()).unwrap();
            std::fs::write(dir.join(f), "FROM x\n").unwrap();
        }
        let catalog = catalog();
        let root = ProjectRoot::Folder(dir);
        let ctx = PaneContext { file: "f.md", catalog: &catalog, root: &root, theme: ThemeName::Dark, plain: false };
        parse(&ctx, body, 10, 9)
    }

    #[test]
    fn valid_panes() {
        assert_eq!(p("kind = \"build\"\nscenario = \"s1\"\n").unwrap().scenarios, vec!["s1"]);
        assert_eq!(p("kind = \"race\"\nscenarios = [\"s1\"]\n").unwrap().kind, PaneKind::Race);
        let d = p("kind = \"diff\"\nleft = \"codecommit/a/Dockerfile\"\nright = \"buildspecs/b.yml\"\n").unwrap();
        assert_eq!(d.files.unwrap().1, "buildspecs/b.yml");
        assert_eq!(p("kind = \"pipeline\"\nheight = 8").unwrap().height, Some(8));
    }

    #[test]
    fn unknown_kind_names_line_and_column() {
        let err = p("\nkind = \"chart\"\n").unwrap_err();
        assert_eq!((err.line, err.col), (11, 8));
        assert!(err.message.contains("expected one of build, race"), "{err}");
    }

    #[test]
    fn unknown_scenario_names_line_and_column() {
        let err = p("kind = \"build\"\nscenario = \"nope\"\n").unwrap_err();
        assert_eq!((err.line, err.col), (11, 12));
        assert!(err.message.contains("unknown scenario \"nope\"; expected one of deck.toml's scenarios: s1"));
    }

    #[test]
    fn bad_toml_names_its_line() {
        let err = p("kind = \"build\"\nscenario = s1\n").unwrap_err();
        assert_eq!(err.line, 11);
        let err = p("kind = \"build\"\nscenario = \"s1\"\ncolour = 1\n").unwrap_err();
        assert_eq!((err.line, err.col), (12, 1));
        assert!(err.message.contains("unknown field `colour`"));
    }

    #[test]
    fn missing_keys_point_at_the_fence() {
        let err = p("kind = \"diff\"\nleft = \"codecommit/a\"\n").unwrap_err();
        assert_eq!(err.line, 9);
        let err =
            p("kind = \"diff\"\nleft = \"codecommit/a/Dockerfile\"\nright = \"codecommit/missing\"\n").unwrap_err();
        assert_eq!((err.line, err.col), (12, 9));
        assert!(err.message.contains("cannot read \"codecommit/missing\""), "{err}");
        let err = p("kind = \"race\"\n").unwrap_err();
        assert_eq!(err.line, 9);
        let err = p("kind = \"build\"\n").unwrap_err();
        assert!(err.message.contains("expected `scenario"));
    }

    #[test]
    fn diff_paths_stay_inside_the_roots() {
        let err =
            p("kind = \"diff\"\nleft = \"codecommit/../../etc/passwd\"\nright = \"buildspecs/b.yml\"\n").unwrap_err();
        assert_eq!((err.line, err.col), (11, 8));
        assert!(p("kind = \"diff\"\nleft = \"/etc/passwd\"\nright = \"buildspecs/b.yml\"\n").is_err());
    }
}
