//! Fixture sites copied into a temporary folder, so each test may edit its own copy.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};

use guide::{BuildOptions, BuildReport, Diagnostics};

pub struct Fixture {
    pub dir: tempfile::TempDir,
}

impl Fixture {
    /// A copy of `tests/fixtures/NAME`.
    pub fn new(name: &str) -> Fixture {
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        let dir = tempfile::tempdir().expect("temporary folder");
        copy_tree(&source, dir.path());
        Fixture { dir }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
    }

    /// Replaces the first `from` in a file with `to`, failing loudly if it is not there.
    pub fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.read(relative);
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    pub fn options(&self) -> BuildOptions {
        BuildOptions::new(self.root())
    }

    pub fn build(&self) -> Result<BuildReport, Diagnostics> {
        guide::build(&self.options())
    }

    /// Builds, expecting failure; returns the rendered error text.
    pub fn build_error(&self) -> (Diagnostics, String) {
        match self.build() {
            Ok(report) => panic!("the build should have failed, but {}", report.summary()),
            Err(diagnostics) => {
                let text = diagnostics.render();
                (diagnostics, text)
            }
        }
    }

    pub fn output(&self, relative: &str) -> String {
        self.read(&format!("public/{relative}"))
    }
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file below `dir` with its bytes, by relative path.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let relative = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (relative, fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// One line per file of `snapshot`: a hash of its bytes, its length and its path, so a
/// recorded output shows which files a change touched without holding them.
pub fn hash_manifest(files: Vec<(String, Vec<u8>)>) -> String {
    files
        .into_iter()
        .map(|(path, bytes)| {
            let path = path.replace('\\', "/");
            format!(
                "{:016x} {:>7} {path}\n",
                xxhash_rust::xxh3::xxh3_64(&bytes),
                bytes.len()
            )
        })
        .collect()
}
