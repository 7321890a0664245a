//! The stack file: what `deploy` learnt about the stack, where the deck and `check` find it
//! without asking CloudFormation again.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

/// The variable that moves the stack file (tests, several accounts side by side).
pub const ENV_VAR: &str = "ARM64_DEMO_STACK_FILE";

/// A deployed stack, as `deploy` saw it last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StackFile {
    pub stack: String,
    pub region: String,
    /// RFC 3339, UTC.
    pub deployed_at: String,
    /// The SHA-256 of the source zip in the bucket.
    pub source_sha256: String,
    /// Every output of the stack, by key.
    #[serde(default)]
    pub outputs: BTreeMap<String, String>,
}

impl StackFile {
    pub fn output(&self, key: &str) -> Option<&str> {
        self.outputs.get(key).map(String::as_str)
    }

    pub fn source_bucket(&self) -> Option<&str> {
        self.output("SourceBucket")
    }

    pub fn source_key(&self) -> Option<&str> {
        self.output("SourceObjectKey")
    }

    pub fn pipeline(&self) -> Option<&str> {
        self.output("PipelineName")
    }

    /// Whether this file describes the stack `stack` in `region`.
    pub fn names(&self, stack: &str, region: &str) -> bool {
        self.stack == stack && self.region == region
    }

    /// Parses the file's text; errors name `file:line:column`.
    pub fn parse(text: &str, file: &Path) -> anyhow::Result<StackFile> {
        toml::from_str(text).map_err(|e| {
            let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            anyhow::anyhow!("{}:{line}:{col}: {}", file.display(), e.message())
        })
    }

    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a stack file is plain strings")
    }

    /// Writes the file, creating its folder; a reader never sees half a file.
    pub fn save_to(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let tmp = path.with_extension("toml.tmp");
        std::fs::write(&tmp, self.to_toml()).with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
    }
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text.as_bytes()[..offset.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
    (line, col)
}

/// `$ARM64_DEMO_STACK_FILE`, else `$XDG_CONFIG_HOME/arm64-demo/stack.toml`, else
/// `~/.config/arm64-demo/stack.toml`; `None` without a home folder.
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(ENV_VAR).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| dirs::home_dir().map(|h| h.join(".config")))?;
    Some(config.join("arm64-demo").join("stack.toml"))
}

/// The stack file at the usual place; `None` when no stack was deployed from here.
pub fn load() -> anyhow::Result<Option<StackFile>> {
    match path() {
        Some(p) => load_from(&p),
        None => Ok(None),
    }
}

/// The stack file at `path`; `None` when it does not exist.
pub fn load_from(path: &Path) -> anyhow::Result<Option<StackFile>> {
    match std::fs::read_to_string(path) {
        Ok(text) => StackFile::parse(&text, path).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    }
}

/// Removes the file at `path` if it describes `stack` in `region`; whether it did.
pub fn remove_if_names(path: &Path, stack: &str, region: &str) -> anyhow::Result<bool> {
    // A malformed file names nothing we know of; it stays for its owner to look at.
    match load_from(path) {
        Ok(Some(file)) if file.names(stack, region) => {
            std::fs::remove_file(path).with_context(|| format!("cannot remove {}", path.display()))?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StackFile {
        StackFile {
            stack: "arm64-demo".into(),
            region: "eu-west-1".into(),
            deployed_at: "2026-03-01T10:00:00Z".into(),
            source_sha256: "ab".repeat(32),
            outputs: [
                ("SourceBucket", "arm64-demo-source-123"),
                ("SourceObjectKey", "source/arm64-demo-source.zip"),
                ("PipelineName", "arm64-demo-pipeline"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        }
    }

    #[test]
    fn round_trip_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/stack.toml");
        sample().save_to(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("[outputs]") && text.contains("stack = \"arm64-demo\""), "{text}");
        let back = load_from(&path).unwrap().unwrap();
        assert_eq!(back, sample());
        assert_eq!(back.source_bucket(), Some("arm64-demo-source-123"));
        assert_eq!(back.source_key(), Some("source/arm64-demo-source.zip"));
        assert_eq!(back.pipeline(), Some("arm64-demo-pipeline"));
        assert_eq!(back.region, "eu-west-1");
    }

    #[test]
    fn a_missing_file_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_from(&dir.path().join("stack.toml")).unwrap(), None);
    }

    #[test]
    fn malformed_toml_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stack.toml");
        std::fs::write(&path, "stack = \"a\"\nregion = \"eu-west-1\"\ndeployed_at = oops\n").unwrap();
        let err = load_from(&path).unwrap_err().to_string();
        assert!(err.starts_with(&format!("{}:3:", path.display())), "{err}");
    }

    #[test]
    fn a_missing_field_is_an_error_too() {
        let err = StackFile::parse("stack = \"a\"\n", Path::new("s.toml")).unwrap_err().to_string();
        assert!(err.starts_with("s.toml:1:") && err.contains("region"), "{err}");
    }

    #[test]
    fn removal_only_when_the_file_names_the_stack() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("stack.toml");
        sample().save_to(&path).unwrap();
        assert!(!remove_if_names(&path, "arm64-demo", "us-east-1").unwrap());
        assert!(!remove_if_names(&path, "other", "eu-west-1").unwrap());
        assert!(path.exists());
        assert!(remove_if_names(&path, "arm64-demo", "eu-west-1").unwrap());
        assert!(!path.exists());
    }
}
