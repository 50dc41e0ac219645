//! The rendered site as a set of files, and writing a new output folder all at once.
//!
//! [`Staging`] fills a sibling temporary folder, file by file from any thread (`guide build`
//! writes each page as soon as it is rendered, so it never holds the whole site in memory),
//! and swaps it in (in one step on Linux), so a failure at any point leaves the previous output
//! exactly as it was, and a kill at any point leaves the previous output or the new one whole. Files whose bytes did not change are hard-linked from the previous
//! output rather than rewritten, keeping their modification time (and inode) for hosts that
//! sync by mtime. [`Output`] is the same site held in memory, for `guide serve` and
//! `guide check`; [`Output::write`] writes it through a [`Staging`].

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;

use crate::confine::SiteFile;
use crate::diagnostics::Diagnostic;
use crate::output_path::OutputPath;

pub mod record;
mod staging;

pub use staging::Staging;

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

#[cfg(test)]
pub(crate) mod tests {
    use std::fs;

    use super::*;

    /// An output of text files.
    pub(crate) fn output(files: &[(&str, &str)]) -> Output {
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
}
