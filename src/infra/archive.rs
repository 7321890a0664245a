//! The source zip CodeBuild and CodePipeline read: `codecommit/` and `buildspecs/`, with bytes that
//! depend only on the files' paths and contents. The same source gives the same sha256, so an
//! unchanged source is never uploaded again and never starts a needless pipeline run.
//!
//! Every entry is a regular file with mode 0644, modified 1980-01-01 00:00, deflated at level 6,
//! in byte order of its `/`-separated path; no directory entries. The images run their scripts
//! through an interpreter (`python app.py`), so nothing needs the executable bit, and the copy
//! embedded in the binary carries no modes at all: a fixed mode makes the embedded files and the
//! same files in a folder zip to the same bytes.

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use include_dir::Dir;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, System, ZipWriter};

/// The folders the zip holds, at its root.
pub const FOLDERS: [&str; 2] = ["codecommit", "buildspecs"];

/// Where the files come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArchiveSource {
    /// The copy embedded in the binary.
    Bundled,
    /// A project folder holding `codecommit/` and `buildspecs/`.
    Folder(PathBuf),
}

impl std::fmt::Display for ArchiveSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArchiveSource::Bundled => f.write_str("the files embedded in this binary"),
            ArchiveSource::Folder(p) => write!(f, "{}", p.display()),
        }
    }
}

/// A built zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceArchive {
    pub bytes: Vec<u8>,
    /// Lower-case hex of the zip's SHA-256.
    pub sha256: String,
    /// The entry names, in archive order.
    pub entries: Vec<String>,
}

/// Build litter that must not change the hash: Python byte code and Finder metadata.
fn skipped(name: &str) -> bool {
    name == "__pycache__" || name == ".DS_Store" || name.ends_with(".pyc")
}

/// Reads the files and zips them.
pub fn build(source: &ArchiveSource) -> anyhow::Result<SourceArchive> {
    let files = match source {
        ArchiveSource::Bundled => bundled_files(),
        ArchiveSource::Folder(root) => folder_files(root)?,
    };
    zip_files(files)
}

/// Zips `(path, contents)` pairs; the order given does not matter.
pub fn zip_files(mut files: Vec<(String, Vec<u8>)>) -> anyhow::Result<SourceArchive> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    if let Some(w) = files.windows(2).find(|w| w[0].0 == w[1].0) {
        anyhow::bail!("two files named {} in the source", w[0].0);
    }
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
        .system(System::Unix)
        .large_file(false);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, contents) in &files {
        zip.start_file(name.as_str(), options).with_context(|| format!("zipping {name}"))?;
        zip.write_all(contents).with_context(|| format!("zipping {name}"))?;
    }
    let bytes = zip.finish().context("finishing the source zip")?.into_inner();
    let sha256 = hex(&Sha256::digest(&bytes));
    Ok(SourceArchive { bytes, sha256, entries: files.into_iter().map(|(n, _)| n).collect() })
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn bundled_files() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Dir<'static>, prefix: &str, files: &mut Vec<(String, Vec<u8>)>) {
        for entry in dir.entries() {
            let name = entry.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if skipped(&name) {
                continue;
            }
            let path = format!("{prefix}/{name}");
            match entry {
                include_dir::DirEntry::Dir(d) => walk(d, &path, files),
                include_dir::DirEntry::File(f) => files.push((path, f.contents().to_vec())),
            }
        }
    }
    let mut files = Vec::new();
    // The same embedded copies the deck reads, not a second set.
    for (name, dir) in crate::deck::source::bundled_project_dirs() {
        walk(dir, name, &mut files);
    }
    files
}

fn folder_files(root: &Path) -> anyhow::Result<Vec<(String, Vec<u8>)>> {
    fn walk(dir: &Path, prefix: &str, files: &mut Vec<(String, Vec<u8>)>) -> anyhow::Result<()> {
        let entries = std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", dir.display()))?;
            let Some(name) = entry.file_name().to_str().map(str::to_string) else {
                anyhow::bail!("{}: file names in the source must be UTF-8", entry.path().display());
            };
            if skipped(&name) {
                continue;
            }
            let path = format!("{prefix}/{name}");
            // Follows symbolic links: the zip holds what a build would read.
            let meta = std::fs::metadata(entry.path()).with_context(|| format!("cannot read {}", path))?;
            if meta.is_dir() {
                walk(&entry.path(), &path, files)?;
            } else if meta.is_file() {
                let contents = std::fs::read(entry.path()).with_context(|| format!("cannot read {path}"))?;
                files.push((path, contents));
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    for folder in FOLDERS {
        let dir = root.join(folder);
        if !dir.is_dir() {
            anyhow::bail!(
                "{} holds no {folder}/ folder; --source takes the folder holding codecommit/ and buildspecs/",
                root.display()
            );
        }
        walk(&dir, folder, &mut files)?;
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    fn sample() -> Vec<(String, Vec<u8>)> {
        vec![
            ("codecommit/b/Dockerfile".into(), b"FROM scratch\n".to_vec()),
            ("buildspecs/native_build.yml".into(), b"version: 0.2\n".to_vec()),
            ("codecommit/a.txt".into(), b"a\n".to_vec()),
        ]
    }

    #[test]
    fn two_runs_give_identical_bytes() {
        let a = zip_files(sample()).unwrap();
        let mut reversed = sample();
        reversed.reverse();
        let b = zip_files(reversed).unwrap();
        assert_eq!(a.bytes, b.bytes);
        assert_eq!(a.sha256, b.sha256);
        assert_eq!(a.sha256.len(), 64);
    }

    #[test]
    fn changing_one_file_changes_the_hash() {
        let a = zip_files(sample()).unwrap();
        let mut files = sample();
        files[2].1 = b"b\n".to_vec();
        assert_ne!(a.sha256, zip_files(files).unwrap().sha256);
        let mut renamed = sample();
        renamed[2].0 = "codecommit/c.txt".into();
        assert_ne!(a.sha256, zip_files(renamed).unwrap().sha256);
    }

    #[test]
    fn entries_are_sorted_relative_fixed_and_readable() {
        let archive = zip_files(sample()).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(archive.bytes.clone())).unwrap();
        let names: Vec<String> = (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().to_string()).collect();
        assert_eq!(names, ["buildspecs/native_build.yml", "codecommit/a.txt", "codecommit/b/Dockerfile"]);
        assert_eq!(names, archive.entries);
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().to_string();
            assert!(!name.starts_with('/') && !name.contains('\\'));
            assert_eq!(f.unix_mode(), Some(0o100644));
            assert_eq!(f.compression(), CompressionMethod::Deflated);
            let t = f.last_modified().unwrap();
            assert_eq!((t.year(), t.month(), t.day(), t.hour(), t.minute()), (1980, 1, 1, 0, 0));
            let mut text = String::new();
            f.read_to_string(&mut text).unwrap();
            assert!(!text.is_empty());
        }
    }

    #[test]
    fn duplicate_names_are_an_error() {
        let mut files = sample();
        files.push(files[0].clone());
        assert!(zip_files(files).unwrap_err().to_string().contains("two files named"));
    }

    #[test]
    fn embedded_copy_and_project_folder_zip_to_the_same_bytes() {
        let bundled = build(&ArchiveSource::Bundled).unwrap();
        let folder = build(&ArchiveSource::Folder(env!("CARGO_MANIFEST_DIR").into())).unwrap();
        assert_eq!(bundled.entries, folder.entries);
        assert_eq!(bundled.sha256, folder.sha256);
        assert!(bundled.entries.iter().any(|e| e == "buildspecs/native_build.yml"));
        assert!(bundled.entries.iter().all(|e| e.starts_with("codecommit/") || e.starts_with("buildspecs/")));
    }

    #[test]
    fn folder_without_the_project_folders_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let err = build(&ArchiveSource::Folder(dir.path().into())).unwrap_err().to_string();
        assert!(err.contains("holds no codecommit/ folder"), "{err}");
    }

    #[test]
    fn folder_litter_is_left_out() {
        let dir = tempfile::tempdir().unwrap();
        for f in FOLDERS {
            std::fs::create_dir_all(dir.path().join(f)).unwrap();
        }
        std::fs::write(dir.path().join("buildspecs/a.yml"), "x").unwrap();
        let clean = build(&ArchiveSource::Folder(dir.path().into())).unwrap();
        std::fs::create_dir_all(dir.path().join("codecommit/__pycache__")).unwrap();
        std::fs::write(dir.path().join("codecommit/__pycache__/app.cpython-311.pyc"), "x").unwrap();
        std::fs::write(dir.path().join("codecommit/.DS_Store"), "x").unwrap();
        let littered = build(&ArchiveSource::Folder(dir.path().into())).unwrap();
        assert_eq!(clean.sha256, littered.sha256);
        std::fs::write(dir.path().join("codecommit/new.txt"), "x").unwrap();
        assert_ne!(clean.sha256, build(&ArchiveSource::Folder(dir.path().into())).unwrap().sha256);
    }
}
