//! The rendered site as a set of files, and writing a new output folder all at once.
//!
//! [`Staging`] fills a sibling temporary folder, file by file from any thread (`guide build`
//! writes each page as soon as it is rendered, so it never holds the whole site in memory),
//! and swaps it in with two renames, so a failure at any point leaves the previous output
//! exactly as it was. Files whose bytes did not change are hard-linked from the previous
//! output rather than rewritten, keeping their modification time (and inode) for hosts that
//! sync by mtime. [`Output`] is the same site held in memory, for `guide serve` and
//! `guide check`; [`Output::write`] writes it through a [`Staging`].

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::confine::SiteFile;
use crate::diagnostics::{io_error, Diagnostic};
use crate::output_path::OutputPath;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OutputFile {
    Bytes(Vec<u8>),
    /// Copied from this file of the site, read (under the rule of [`crate::confine`]) only
    /// when written.
    Copy(SiteFile),
}

impl OutputFile {
    pub fn bytes(&self) -> Result<std::borrow::Cow<'_, [u8]>, Diagnostic> {
        match self {
            OutputFile::Bytes(bytes) => Ok(std::borrow::Cow::Borrowed(bytes)),
            OutputFile::Copy(file) => file.read().map(std::borrow::Cow::Owned),
        }
    }
}

/// Output files keyed by their `/`-separated path relative to the output folder. Every key is
/// an [`OutputPath`], which [`Output::insert`] asks for.
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
    pub fn insert(&mut self, path: OutputPath, file: OutputFile) {
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
        let staging = Staging::new(dir)?;
        self.write_into(&staging)?;
        staging.finish()
    }

    /// Adds these files to a new output folder, replacing any already there at their paths.
    pub fn write_into(&self, staging: &Staging) -> Result<(), Diagnostic> {
        self.files
            .par_iter()
            .try_for_each(|(relative, file)| staging.add(relative, file))
    }
}

/// A new output folder being filled; see the module documentation.
///
/// [`Staging::finish`] swaps it in. Dropped unfinished (say, because a page failed to
/// render), it deletes what it wrote and the previous output stays untouched.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// Whether there is a previous output to compare with.
    previous: bool,
    staging: PathBuf,
    retired: PathBuf,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// Files added twice (the later one wins), so they are not counted twice.
    replaced: AtomicUsize,
    finished: bool,
}

impl Staging {
    /// Starts a new output folder that will replace `dir`.
    pub fn new(dir: &Path) -> Result<Staging, Diagnostic> {
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
        fs::create_dir_all(&staging)
            .map_err(|e| io_error(&staging, "create a staging folder", &e))?;
        Ok(Staging {
            dir: dir.to_path_buf(),
            previous: dir.is_dir(),
            staging,
            retired,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            replaced: AtomicUsize::new(0),
            finished: false,
        })
    }

    /// Adds a file at `relative` (`/`-separated); a second file at the same path replaces
    /// the first.
    pub fn add(&self, relative: &str, file: &OutputFile) -> Result<(), Diagnostic> {
        let bytes = file.bytes()?;
        self.add_bytes(relative, &bytes)
    }

    /// Adds a file at `relative` with these bytes.
    pub fn add_bytes(&self, relative: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let target = self.staging.join(relative);
        self.place(relative, &target, bytes)
            .map_err(|(path, action, error)| io_error(&path, action, &error))
    }

    fn place(
        &self,
        relative: &str,
        target: &Path,
        bytes: &[u8],
    ) -> Result<(), (PathBuf, &'static str, io::Error)> {
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder).map_err(|e| (folder.to_path_buf(), "create a folder", e))?;
        }
        let old = self.dir.join(relative);
        if self.previous && same_bytes(&old, bytes) {
            match fs::hard_link(&old, target) {
                Ok(()) => {
                    self.unchanged.fetch_add(1, Ordering::Relaxed);
                    return Ok(());
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    self.replace(target)?;
                    if fs::hard_link(&old, target).is_ok() {
                        self.unchanged.fetch_add(1, Ordering::Relaxed);
                        return Ok(());
                    }
                }
                Err(_) => {}
            }
        }
        // Never open an existing file for writing: it may be a link to the previous output's.
        let mut file = match create_new(target) {
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                self.replace(target)?;
                create_new(target)
            }
            other => other,
        }
        .map_err(|e| (target.to_path_buf(), "write", e))?;
        file.write_all(bytes)
            .map_err(|e| (target.to_path_buf(), "write", e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    fn replace(&self, target: &Path) -> Result<(), (PathBuf, &'static str, io::Error)> {
        fs::remove_file(target).map_err(|e| (target.to_path_buf(), "replace", e))?;
        self.replaced.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// How many files the new output holds so far.
    pub fn files(&self) -> usize {
        self.written.load(Ordering::Relaxed) + self.unchanged.load(Ordering::Relaxed)
            - self.replaced.load(Ordering::Relaxed)
    }

    /// Swaps the new output in for the previous one, and deletes the previous one.
    pub fn finish(mut self) -> Result<WriteStats, Diagnostic> {
        swap(&self.dir, &self.staging, &self.retired)
            .map_err(|(path, action, error)| io_error(&path, action, &error))?;
        self.finished = true;
        remove_tree(&self.retired);
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            remove_tree(&self.staging);
        }
    }
}

/// Deletes a folder and everything in it, its subfolders in parallel: the previous output can
/// hold as many files as the new one.
fn remove_tree(path: &Path) {
    fn remove(path: &Path) -> io::Result<()> {
        let entries: Vec<fs::DirEntry> = fs::read_dir(path)?.collect::<io::Result<_>>()?;
        entries.par_iter().try_for_each(|entry| {
            if entry.file_type()?.is_dir() {
                remove(&entry.path())
            } else {
                fs::remove_file(entry.path())
            }
        })?;
        fs::remove_dir(path)
    }
    if remove(path).is_err() {
        let _ = fs::remove_dir_all(path);
    }
}

fn create_new(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Whether the file at `path` holds exactly `bytes`.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    match file.metadata() {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            let mut old = Vec::with_capacity(bytes.len() + 1);
            file.read_to_end(&mut old).is_ok() && old == bytes
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
            let path = OutputPath::new(path).unwrap();
            output.insert(path, OutputFile::Bytes(text.as_bytes().to_vec()));
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
            OutputPath::new("copied.css").unwrap(),
            OutputFile::Copy(SiteFile {
                root: temp.path().to_path_buf(),
                path: temp.path().join("missing.css"),
            }),
        );
        assert!(broken.write(&dir).is_err());
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "old");
        assert_eq!(fs::read_dir(temp.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_unfinished_staging_folder_is_removed_and_the_output_kept() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("public");
        output(&[("index.html", "old")]).write(&dir).unwrap();
        {
            let staging = Staging::new(&dir).unwrap();
            staging.add_bytes("index.html", b"new").unwrap();
            staging.add_bytes("a/index.html", b"a").unwrap();
        }
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "old");
        assert!(!dir.join("a").exists());
        assert_eq!(fs::read_dir(temp.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_file_added_twice_is_replaced_without_touching_the_previous_output() {
        use std::os::unix::fs::MetadataExt;
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("public");
        output(&[("a.txt", "same"), ("b.txt", "same")])
            .write(&dir)
            .unwrap();
        let inode = |path: &Path| fs::metadata(path).unwrap().ino();
        let (a, b) = (inode(&dir.join("a.txt")), inode(&dir.join("b.txt")));
        let staging = Staging::new(&dir).unwrap();
        // Unchanged, so hard-linked to the previous output's file; then replaced.
        staging.add_bytes("a.txt", b"same").unwrap();
        staging.add_bytes("a.txt", b"changed").unwrap();
        // Changed, then replaced by the unchanged bytes: linked again.
        staging.add_bytes("b.txt", b"changed").unwrap();
        staging.add_bytes("b.txt", b"same").unwrap();
        assert_eq!(staging.files(), 2);
        // The previous output is still intact while the new one is being filled.
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "same");
        let stats = staging.finish().unwrap();
        assert_eq!(fs::read_to_string(dir.join("a.txt")).unwrap(), "changed");
        assert_ne!(inode(&dir.join("a.txt")), a);
        assert_eq!(fs::read_to_string(dir.join("b.txt")).unwrap(), "same");
        assert_eq!(inode(&dir.join("b.txt")), b);
        assert_eq!(stats.written + stats.unchanged, 4);
    }
}
