//! The record a build leaves in its output ([`NAME`]): how many files it wrote and a
//! fingerprint of their paths. A build replaces its output folder whole; the record is how the
//! next one tells a folder it may replace (the last build's output, as that build left it)
//! from one it must not without `--force`: a folder of someone's own files (a site of theirs,
//! a checkout with its history), or an output with a file added by hand since.
//!
//! The fingerprint is a sum of one hash per path, so the render threads add their files to it
//! in any order, and reading it back needs only the folder's names, not its files' bytes.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// The record's name at the top of the output.
pub const NAME: &str = ".guide-build";

/// What the record's first line says, for whoever opens it.
const HEADING: &str =
    "A record of the build that wrote this folder: the next build replaces the folder only while it holds these files.";

/// The files a build has written so far, tallied as they are written (see the module
/// documentation).
#[derive(Debug, Default)]
pub struct Tally {
    files: AtomicU64,
    fingerprint: AtomicU64,
}

impl Tally {
    /// Counts the file at `path` (relative, `/`-separated).
    pub fn add(&self, path: &str) {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.fingerprint
            .fetch_add(path_hash(path), Ordering::Relaxed);
    }

    /// Takes back a file counted by [`Tally::add`], as one written again at its path replaces it.
    pub fn remove(&self, path: &str) {
        self.files.fetch_sub(1, Ordering::Relaxed);
        self.fingerprint
            .fetch_sub(path_hash(path), Ordering::Relaxed);
    }

    /// The record's text.
    pub fn text(&self) -> String {
        record_text(
            self.files.load(Ordering::Relaxed),
            self.fingerprint.load(Ordering::Relaxed),
        )
    }
}

fn path_hash(path: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(path.as_bytes())
}

fn record_text(files: u64, fingerprint: u64) -> String {
    format!("{HEADING}\nfiles {files}\npaths {fingerprint:016x}\n")
}

/// What a folder holds, against the record in it.
#[derive(Debug, PartialEq, Eq)]
pub enum Found {
    /// The files the record names, and no other.
    AsRecorded,
    /// No record (or one that cannot be read): no build wrote the folder.
    NoRecord,
    /// A record, but other files: `now` of them, where the build wrote `then`.
    Other { now: u64, then: u64 },
}

/// The record in `dir`, if it has one that can be read: the number of files it names and
/// their fingerprint.
pub fn read(dir: &Path) -> Option<(u64, u64)> {
    parse(&std::fs::read_to_string(dir.join(NAME)).ok()?)
}

/// Reads the record in `dir` and compares it with the files `dir` holds.
pub fn compare(dir: &Path) -> Found {
    let Some((then, recorded)) = read(dir) else {
        return Found::NoRecord;
    };
    let tally = Tally::default();
    // A name that is not UTF-8, or a folder that cannot be read, is nothing a build wrote.
    let mut foreign = false;
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let Ok(entry) = entry else {
            foreign = true;
            continue;
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let relative = entry.path().strip_prefix(dir).ok().and_then(slash_path);
        match relative {
            Some(path) if path == NAME => {}
            Some(path) => tally.add(&path),
            None => foreign = true,
        }
    }
    let now = tally.files.load(Ordering::Relaxed);
    if !foreign && now == then && tally.fingerprint.load(Ordering::Relaxed) == recorded {
        Found::AsRecorded
    } else {
        Found::Other { now, then }
    }
}

/// `path`'s components joined with `/`, when each is UTF-8.
fn slash_path(path: &Path) -> Option<String> {
    let parts: Option<Vec<&str>> = path
        .components()
        .map(|part| part.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

/// The file count and fingerprint a record's text holds.
fn parse(text: &str) -> Option<(u64, u64)> {
    let mut lines = text.lines();
    if lines.next()? != HEADING {
        return None;
    }
    let files = lines.next()?.strip_prefix("files ")?.parse().ok()?;
    let fingerprint = u64::from_str_radix(lines.next()?.strip_prefix("paths ")?, 16).ok()?;
    Some((files, fingerprint))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder holding `files`, with the record of a build that wrote `recorded`.
    fn folder(files: &[&str], recorded: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for file in files {
            let path = dir.path().join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let tally = Tally::default();
        for file in recorded {
            tally.add(file);
        }
        std::fs::write(dir.path().join(NAME), tally.text()).unwrap();
        dir
    }

    #[test]
    fn a_folder_holding_the_recorded_files_is_as_recorded_in_any_order() {
        let dir = folder(
            &["index.html", "a/index.html", "a/b/c.css"],
            &["a/b/c.css", "index.html", "a/index.html"],
        );
        assert_eq!(compare(dir.path()), Found::AsRecorded);
        // An empty folder left behind holds no file.
        std::fs::create_dir(dir.path().join("empty")).unwrap();
        assert_eq!(compare(dir.path()), Found::AsRecorded);
    }

    #[test]
    fn a_file_added_removed_or_renamed_is_told_apart() {
        let recorded = ["index.html", "a/index.html"];
        for (files, now) in [
            (&["index.html", "a/index.html", "a/mine.txt"][..], 3),
            (&["index.html"][..], 1),
            (&["index.html", "b/index.html"][..], 2),
        ] {
            let dir = folder(files, &recorded);
            assert_eq!(
                compare(dir.path()),
                Found::Other { now, then: 2 },
                "{files:?}"
            );
        }
    }

    #[test]
    fn a_replaced_file_is_counted_once() {
        let tally = Tally::default();
        tally.add("index.html");
        tally.add("index.html");
        tally.remove("index.html");
        let once = Tally::default();
        once.add("index.html");
        assert_eq!(tally.text(), once.text());
    }

    #[test]
    fn no_record_or_an_unreadable_one_is_no_record() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "mine").unwrap();
        assert_eq!(compare(dir.path()), Found::NoRecord);
        std::fs::write(dir.path().join(NAME), "files 1\n").unwrap();
        assert_eq!(compare(dir.path()), Found::NoRecord);
    }
}
