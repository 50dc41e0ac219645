//! The rendered site as a set of files, and writing it to disk all at once.
//!
//! A build renders everything in memory first; only then does [`Output::write`] touch the disk.
//! It fills a sibling temporary folder and swaps it in with two renames, so a failure at any
//! point leaves the previous output exactly as it was. Files whose bytes did not change are
//! hard-linked from the previous output rather than rewritten, keeping their modification
//! time for hosts that sync by mtime.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostics::{io_error, Diagnostic};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    Bytes(Vec<u8>),
    /// Copied from this source file.
    Copy(PathBuf),
}

impl OutputFile {
    pub fn bytes(&self) -> io::Result<std::borrow::Cow<'_, [u8]>> {
        match self {
            OutputFile::Bytes(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            OutputFile::Copy(path) => fs::read(path).map(std::borrow::Cow::Owned),
        }
    }
}

/// Output files keyed by their `/`-separated path relative to the output folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    pub files: BTreeMap<String, OutputFile>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub written: usize,
    pub unchanged: usize,
}

impl Output {
    pub fn insert(&mut self, path: impl Into<String>, file: OutputFile) {
        self.files.insert(path.into(), file);
    }

    pub fn get(&self, path: &str) -> Option<&OutputFile> {
        self.files.get(path)
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Replaces `dir` with exactly these files.
    pub fn write(&self, dir: &Path) -> Result<WriteStats, Diagnostic> {
        let parent = match dir.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent)
            .map_err(|e| io_error(&parent, "create the output's parent folder", &e))?;
        let name = dir
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
        let retired = parent.join(format!(".{name}.old-{}", std::process::id()));
        let _ = fs::remove_dir_all(&staging);
        let result = self.fill(&staging, dir).and_then(|stats| {
            swap(dir, &staging, &retired)?;
            Ok(stats)
        });
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        let _ = fs::remove_dir_all(&retired);
        result.map_err(|(path, action, error)| io_error(&path, action, &error))
    }

    fn fill(
        &self,
        staging: &Path,
        previous: &Path,
    ) -> Result<WriteStats, (PathBuf, &'static str, io::Error)> {
        let mut stats = WriteStats::default();
        fs::create_dir_all(staging)
            .map_err(|e| (staging.to_path_buf(), "create a staging folder", e))?;
        for (relative, file) in &self.files {
            let target = staging.join(relative);
            if let Some(folder) = target.parent() {
                fs::create_dir_all(folder)
                    .map_err(|e| (folder.to_path_buf(), "create a folder", e))?;
            }
            let bytes = file
                .bytes()
                .map_err(|e| (source_path(file, &target), "read", e))?;
            let old = previous.join(relative);
            if same_bytes(&old, &bytes) && fs::hard_link(&old, &target).is_ok() {
                stats.unchanged += 1;
                continue;
            }
            fs::write(&target, &bytes).map_err(|e| (target.clone(), "write", e))?;
            stats.written += 1;
        }
        Ok(stats)
    }
}

fn source_path(file: &OutputFile, target: &Path) -> PathBuf {
    match file {
        OutputFile::Copy(path) => path.clone(),
        OutputFile::Bytes(_) => target.to_path_buf(),
    }
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

fn swap(
    dir: &Path,
    staging: &Path,
    retired: &Path,
) -> Result<(), (PathBuf, &'static str, io::Error)> {
    let had_previous = dir.exists();
    if had_previous {
        fs::rename(dir, retired)
            .map_err(|e| (dir.to_path_buf(), "move the previous output aside", e))?;
    }
    if let Err(error) = fs::rename(staging, dir) {
        if had_previous {
            let _ = fs::rename(retired, dir);
        }
        return Err((dir.to_path_buf(), "move the new output into place", error));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn output(files: &[(&str, &str)]) -> Output {
        let mut output = Output::default();
        for (path, text) in files {
            output.insert(*path, OutputFile::Bytes(text.as_bytes().to_vec()));
        }
        output
    }

    #[test]
    fn write_replaces_the_folder_and_links_unchanged_files() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("public");
        let first = output(&[
            ("index.html", "home"),
            ("a/index.html", "a"),
            ("gone.txt", "x"),
        ]);
        assert_eq!(first.write(&dir).unwrap().written, 3);
        let second = output(&[("index.html", "home"), ("a/index.html", "a2")]);
        let stats = second.write(&dir).unwrap();
        assert_eq!(
            stats,
            WriteStats {
                written: 1,
                unchanged: 1
            }
        );
        assert_eq!(fs::read_to_string(dir.join("a/index.html")).unwrap(), "a2");
        assert!(!dir.join("gone.txt").exists());
        let leftovers: Vec<_> = fs::read_dir(temp.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders must be cleaned up");
    }

    #[test]
    fn a_failed_write_leaves_the_previous_output_intact() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("public");
        output(&[("index.html", "old")]).write(&dir).unwrap();
        let mut broken = output(&[("index.html", "new")]);
        broken.insert(
            "copied.css",
            OutputFile::Copy(temp.path().join("missing.css")),
        );
        assert!(broken.write(&dir).is_err());
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(temp.path()).unwrap().count(), 1);
    }
}
