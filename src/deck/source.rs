//! Where a deck's files come from: the copy embedded in the binary, or a folder on disk.

use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use super::DeckError;

static BUNDLED: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/slides");
static CODECOMMIT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/codecommit");
static BUILDSPECS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/buildspecs");

/// The embedded demo sources and buildspecs, by folder name (what `deploy` zips).
pub fn bundled_project_dirs() -> [(&'static str, &'static Dir<'static>); 2] {
    [("codecommit", &CODECOMMIT), ("buildspecs", &BUILDSPECS)]
}

/// The origin of a deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckSource {
    /// The deck compiled into the binary.
    Bundled,
    /// A deck folder holding `deck.toml` and `*.md`.
    Folder(PathBuf),
}

/// One file of a deck: the name shown in errors, and its text.
#[derive(Debug, Clone)]
pub struct DeckFile {
    pub name: String,
    pub text: String,
}

/// The raw files of a deck: `deck.toml` and the slide files in file-name order, and where the
/// files its panes name (`codecommit/…`, `buildspecs/…`) are read from.
#[derive(Debug, Clone)]
pub struct DeckFiles {
    pub config: DeckFile,
    pub slides: Vec<DeckFile>,
    pub root: ProjectRoot,
}

/// Where `codecommit/` and `buildspecs/` are: in the binary, beside a deck folder, or nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProjectRoot {
    Bundled,
    /// The folder that holds `codecommit/` and `buildspecs/` (a deck folder's parent).
    Folder(PathBuf),
    None,
}

/// The embedded folder a project path lies in, and the path inside it.
fn bundled(path: &str) -> Option<(&'static Dir<'static>, &str)> {
    if let Some(rest) = path.strip_prefix("codecommit/") {
        Some((&CODECOMMIT, rest))
    } else {
        path.strip_prefix("buildspecs/").map(|rest| (&BUILDSPECS, rest))
    }
}

impl ProjectRoot {
    /// Whether a file or folder exists; `None` when there is no project to look in.
    pub fn exists(&self, path: &str, folder: bool) -> Option<bool> {
        match self {
            ProjectRoot::Bundled => Some(bundled(path).is_some_and(|(dir, rest)| {
                if folder { dir.get_dir(rest).is_some() } else { dir.get_file(rest).is_some() }
            })),
            ProjectRoot::Folder(root) => {
                let p = root.join(path);
                Some(if folder { p.is_dir() } else { p.is_file() })
            }
            ProjectRoot::None => None,
        }
    }

    /// Reads a project file by its path relative to the project root.
    pub fn read(&self, path: &str) -> Result<String, String> {
        match self {
            ProjectRoot::Bundled => {
                let (dir, rest) = bundled(path).ok_or_else(|| "not a bundled file".to_string())?;
                let file = dir.get_file(rest).ok_or_else(|| "no such bundled file".to_string())?;
                String::from_utf8(file.contents().to_vec()).map_err(|_| "not UTF-8 text".to_string())
            }
            ProjectRoot::Folder(root) => std::fs::read_to_string(root.join(path)).map_err(|e| e.to_string()),
            ProjectRoot::None => Err("this deck has no project folder to read files from".into()),
        }
    }
}

impl DeckSource {
    /// A stable identity for this deck, used to keep the notes sockets of several decks apart.
    pub fn identity(&self) -> String {
        match self {
            DeckSource::Bundled => "bundled".to_string(),
            DeckSource::Folder(p) => {
                let canonical = p.canonicalize().unwrap_or_else(|_| p.clone());
                format!("{:016x}", fnv1a(canonical.to_string_lossy().as_bytes()))
            }
        }
    }

    /// The folder to watch for changes, if the deck lives on disk.
    pub fn folder(&self) -> Option<&Path> {
        match self {
            DeckSource::Bundled => None,
            DeckSource::Folder(p) => Some(p),
        }
    }

    /// Where the project files beside this deck are.
    pub fn root(&self) -> ProjectRoot {
        match self {
            DeckSource::Bundled => ProjectRoot::Bundled,
            DeckSource::Folder(dir) => ProjectRoot::Folder(dir.join("..")),
        }
    }

    /// Reads the deck's files.
    pub fn read(&self) -> Result<DeckFiles, DeckError> {
        match self {
            DeckSource::Bundled => read_bundled(),
            DeckSource::Folder(dir) => read_folder(dir),
        }
    }
}

fn read_bundled() -> Result<DeckFiles, DeckError> {
    let text_of = |f: &include_dir::File| String::from_utf8_lossy(f.contents()).into_owned();
    let config = BUNDLED
        .get_file("deck.toml")
        .map(|f| DeckFile { name: "slides/deck.toml".into(), text: text_of(f) })
        .ok_or_else(|| DeckError::new("slides/deck.toml", 1, 1, "the bundled deck has no deck.toml"))?;
    let mut slides: Vec<DeckFile> = BUNDLED
        .files()
        .filter(|f| f.path().extension().is_some_and(|e| e == "md"))
        .filter(|f| f.path().file_name().is_some_and(|n| n != "README.md"))
        .map(|f| DeckFile { name: format!("slides/{}", f.path().display()), text: text_of(f) })
        .collect();
    slides.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(DeckFiles { config, slides, root: ProjectRoot::Bundled })
}

fn read_folder(dir: &Path) -> Result<DeckFiles, DeckError> {
    let shown = |p: &Path| p.display().to_string();
    let config_path = dir.join("deck.toml");
    let config_text = std::fs::read_to_string(&config_path)
        .map_err(|e| DeckError::new(shown(&config_path), 1, 1, format!("cannot read the deck's deck.toml: {e}")))?;
    let entries = std::fs::read_dir(dir)
        .map_err(|e| DeckError::new(shown(dir), 1, 1, format!("cannot list the deck folder: {e}")))?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    paths.sort();
    let mut slides = Vec::with_capacity(paths.len());
    for path in paths {
        let bytes =
            std::fs::read(&path).map_err(|e| DeckError::new(shown(&path), 1, 1, format!("cannot read: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            DeckError::new(shown(&path), line, col, "invalid UTF-8; expected a UTF-8 text file")
        })?;
        slides.push(DeckFile { name: shown(&path), text });
    }
    Ok(DeckFiles {
        config: DeckFile { name: shown(&config_path), text: config_text },
        slides,
        root: ProjectRoot::Folder(dir.join("..")),
    })
}

/// 64-bit FNV-1a: a stable hash (std's hasher is randomly seeded per process).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_deck_has_config_and_sorted_slides() {
        let files = DeckSource::Bundled.read().unwrap();
        assert_eq!(files.config.name, "slides/deck.toml");
        assert!(!files.slides.is_empty());
        let names: Vec<_> = files.slides.iter().map(|f| f.name.clone()).collect();
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted);
        assert!(names.iter().all(|n| !n.ends_with("README.md")));
    }

    #[test]
    fn folder_identities_differ_and_are_stable() {
        let a = DeckSource::Folder("/tmp/deck-a".into());
        let b = DeckSource::Folder("/tmp/deck-b".into());
        assert_ne!(a.identity(), b.identity());
        assert_eq!(a.identity(), a.identity());
        assert_eq!(DeckSource::Bundled.identity(), "bundled");
    }

    #[test]
    fn invalid_utf8_names_line_and_column() {
        let dir = std::env::temp_dir().join(format!("arm64-demo-utf8-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("deck.toml"), "title = \"t\"\n").unwrap();
        std::fs::write(dir.join("a.md"), b"# ok\nab\xffc\n").unwrap();
        let err = DeckSource::Folder(dir.clone()).read().unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!((err.line, err.col), (2, 3));
        assert!(err.file.ends_with("a.md"));
    }
}
