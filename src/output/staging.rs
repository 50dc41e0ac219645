//! [`Staging`]: a new output folder filled beside the old one and swapped in at once; see the
//! `output` module's documentation. Its tests write through [`crate::output::Output`].

use std::ffi::OsStr;
use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use super::record::{self, Tally};
use super::{OutputFile, WriteStats};
use crate::diagnostics::{io_error, Diagnostic};

/// A new output folder being filled; see the module documentation.
///
/// [`Staging::finish`] swaps it in. Dropped unfinished (say, because a page failed to
/// render), it deletes what it wrote and the previous output stays untouched.
///
/// The staging folder `.NAME.build-ID` sits beside the output `NAME`, with a lock file
/// `.NAME.build-ID.lock` that this build holds an exclusive advisory lock on (`flock` on
/// Unix) from before the folder exists until after it is gone. The lock, not a process id
/// (which another container may reuse), is what tells a later build that such a folder's
/// owner is dead: the operating system releases it however the process ends, so a build that
/// can take it removes the folder (see [`remove_leftovers`]).
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// Whether there is a previous output to compare with.
    previous: bool,
    staging: PathBuf,
    /// Where the previous output is moved aside when the folders cannot be exchanged.
    retired: PathBuf,
    lock_path: PathBuf,
    /// Open, and locked, for as long as this build may leave folders behind.
    _lock: fs::File,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    /// Files added twice (the later one wins), so they are not counted twice.
    replaced: AtomicUsize,
    /// Every file's path, for the output's record.
    tally: Tally,
}

impl Staging {
    /// Starts a new output folder that will replace `dir`, first removing the staging folders
    /// that dead builds left beside it.
    ///
    /// `dir` should be resolved (see `BuildOptions::check_output`): its parent is where the
    /// new folder is made, and it must not be a symbolic link.
    pub fn new(dir: &Path) -> Result<Staging, Diagnostic> {
        let name = dir.file_name().ok_or_else(|| {
            Diagnostic::new(dir, "the output folder has no name of its own")
                .with_help("pass a folder such as `public/` as --output")
        })?;
        let parent = match dir.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        match fs::symlink_metadata(dir) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Diagnostic::new(
                    dir,
                    "the output folder is a symbolic link: replacing it would replace the link",
                )
                .with_help("pass the folder it points to as --output"))
            }
            Ok(meta) if !meta.is_dir() => {
                return Err(Diagnostic::new(dir, "the output is a file, not a folder")
                    .with_help("pass a folder as --output"))
            }
            _ => {}
        }
        fs::create_dir_all(&parent)
            .map_err(|e| io_error(&parent, "create the output's parent folder", &e))?;
        let prefix = staging_prefix(name);
        // First, as it may put back the previous output.
        remove_leftovers(&parent, &prefix, dir);
        let previous = fs::symlink_metadata(dir).is_ok_and(|meta| meta.is_dir());
        let (id, lock) = claim(&parent, &prefix)?;
        let staging = parent.join(format!("{prefix}{id}"));
        fault_point("staging-created");
        Ok(Staging {
            dir: dir.to_path_buf(),
            previous,
            retired: parent.join(format!("{prefix}{id}{RETIRED}")),
            lock_path: parent.join(format!("{prefix}{id}{LOCK}")),
            staging,
            _lock: lock,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            replaced: AtomicUsize::new(0),
            tally: Tally::default(),
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
                    self.tally.add(relative);
                    return Ok(());
                }
                Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                    self.replace(relative, target)?;
                    if fs::hard_link(&old, target).is_ok() {
                        self.unchanged.fetch_add(1, Ordering::Relaxed);
                        self.tally.add(relative);
                        return Ok(());
                    }
                }
                Err(_) => {}
            }
        }
        // Never open an existing file for writing: it may be a link to the previous output's.
        let mut file = match create_new(target) {
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
                self.replace(relative, target)?;
                create_new(target)
            }
            other => other,
        }
        .map_err(|e| (target.to_path_buf(), "write", e))?;
        file.write_all(bytes)
            .map_err(|e| (target.to_path_buf(), "write", e))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        self.tally.add(relative);
        Ok(())
    }

    /// Removes the file an earlier add wrote at `relative`, which a new one replaces.
    fn replace(
        &self,
        relative: &str,
        target: &Path,
    ) -> Result<(), (PathBuf, &'static str, io::Error)> {
        fs::remove_file(target).map_err(|e| (target.to_path_buf(), "replace", e))?;
        self.replaced.fetch_add(1, Ordering::Relaxed);
        self.tally.remove(relative);
        Ok(())
    }

    /// How many files the new output holds so far.
    pub fn files(&self) -> usize {
        self.written.load(Ordering::Relaxed) + self.unchanged.load(Ordering::Relaxed)
            - self.replaced.load(Ordering::Relaxed)
    }

    /// Swaps the new output in for the previous one, and deletes the previous one.
    pub fn finish(self) -> Result<WriteStats, Diagnostic> {
        let record = self.staging.join(record::NAME);
        create_new(&record)
            .and_then(|mut file| file.write_all(self.tally.text().as_bytes()))
            .map_err(|e| {
                let reserved = if e.kind() == io::ErrorKind::AlreadyExists {
                    format!(" (the site has a file of its own at `{}`, a name the build keeps for its record: rename it)", record::NAME)
                } else {
                    String::new()
                };
                let mut diagnostic = io_error(&record, "write the build's record", &e);
                diagnostic.message.push_str(&reserved);
                diagnostic
            })?;
        fault_point("staging-filled");
        swap(&self.dir, &self.staging, &self.retired)
            .map_err(|(path, action, error)| io_error(&path, action, &error))?;
        // Exchanged, the staging folder's name now holds the previous output; renamed, the
        // retired folder's does.
        remove_tree(&self.staging);
        remove_tree(&self.retired);
        fault_point("retired-removed");
        Ok(WriteStats {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        // Unfinished, the staging folder holds part of a new output, nothing worth keeping. The
        // retired folder is left alone: it is only still there when putting it back as the
        // output failed, and then it is the only copy of the previous output.
        remove_tree(&self.staging);
        // The lock file goes last, and only once no folder needs it; the lock itself is
        // released when the file closes, right after.
        if !exists(&self.staging) && !exists(&self.retired) {
            let _ = fs::remove_file(&self.lock_path);
        }
    }
}

/// The lock file beside each staging folder.
const LOCK: &str = ".lock";
/// Where the previous output is moved aside by the swap with two renames.
const RETIRED: &str = ".old";

/// `.NAME.build-`: how the names of the staging folders of the output `NAME` begin (the ID
/// that follows is the process id and a counter, `PID-N`).
fn staging_prefix(name: &OsStr) -> String {
    format!(".{}.build-", name.to_string_lossy())
}

/// Creates this build's lock file, locks it, and creates its staging folder; returns the ID
/// of their names.
fn claim(parent: &Path, prefix: &str) -> Result<(String, fs::File), Diagnostic> {
    let pid = std::process::id();
    for attempt in 0..1000u32 {
        let id = format!("{pid}-{attempt}");
        let lock_path = parent.join(format!("{prefix}{id}{LOCK}"));
        let lock = match create_new(&lock_path) {
            Ok(lock) => lock,
            Err(error) if error.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(io_error(&lock_path, "create a lock file", &error)),
        };
        if let Err(error) = lock.try_lock() {
            let _ = fs::remove_file(&lock_path);
            return Err(io_error(&lock_path, "lock", &io::Error::from(error)));
        }
        let staging = parent.join(format!("{prefix}{id}"));
        match fs::create_dir(&staging) {
            Ok(()) => return Ok((id, lock)),
            Err(error) => {
                let _ = fs::remove_file(&lock_path);
                if error.kind() != io::ErrorKind::AlreadyExists {
                    return Err(io_error(&staging, "create a staging folder", &error));
                }
            }
        }
    }
    Err(Diagnostic::new(
        parent,
        format!("cannot create a staging folder: every name `{prefix}*` is taken"),
    )
    .with_help(format!(
        "remove the folders and files named `{prefix}*` here that no running build uses"
    )))
}

/// Removes what dead builds of the same output (killed, crashed, powered off) left in
/// `parent`: staging folders of this output's naming whose lock no process holds, and their
/// lock files. One that died between the two renames of the fallback swap left no output
/// at all: its previous output is put back first.
fn remove_leftovers(parent: &Path, prefix: &str, dir: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name();
        let Some(id) = name
            .to_str()
            .and_then(|name| name.strip_prefix(prefix))
            .and_then(|rest| rest.strip_suffix(LOCK))
            .filter(|id| is_staging_id(id))
        else {
            continue;
        };
        let lock_path = entry.path();
        let Ok(lock) = fs::File::open(&lock_path) else {
            continue;
        };
        if lock.try_lock().is_err() {
            continue; // Its build is running.
        }
        // Between the open and the lock, its build may have ended and removed the file, and
        // a new build created one of the same name: only the file still at the path counts.
        if !same_file(&lock, &lock_path) {
            continue;
        }
        let staging = parent.join(format!("{prefix}{id}"));
        let retired = parent.join(format!("{prefix}{id}{RETIRED}"));
        let retired_is_folder =
            fs::symlink_metadata(&retired).is_ok_and(|meta| meta.file_type().is_dir());
        if !exists(dir) && retired_is_folder {
            let _ = fs::rename(&retired, dir);
        }
        remove_tree(&staging);
        remove_tree(&retired);
        if !exists(&staging) && !exists(&retired) {
            let _ = fs::remove_file(&lock_path);
        }
    }
}

/// `PID-N`, the only IDs this build's naming makes.
fn is_staging_id(id: &str) -> bool {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    id.split_once('-')
        .is_some_and(|(pid, n)| digits(pid) && digits(n))
}

/// Whether `file` is the file at `path` (and not one since created there under that name).
#[cfg(unix)]
fn same_file(file: &fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

/// Whether `file` is the file at `path`; elsewhere an open file cannot be removed, so the
/// name still being there is enough.
#[cfg(not(unix))]
fn same_file(_file: &fs::File, path: &Path) -> bool {
    exists(path)
}

/// Whether anything, even a dangling symbolic link, is at `path`.
fn exists(path: &Path) -> bool {
    fs::symlink_metadata(path).is_ok()
}

/// A test hook: with `GUIDE_FAULT_ABORT_AT=POINT` set, the build aborts at that point of
/// replacing its output, as a crash or a kill there would. The swap takes microseconds, too
/// short for a kill at a random moment to land in (see tests/crash.rs).
fn fault_point(point: &str) {
    if std::env::var_os("GUIDE_FAULT_ABORT_AT").is_some_and(|at| at == point) {
        std::process::abort();
    }
}

/// Deletes a folder and everything in it, its subfolders in parallel: the previous output can
/// hold as many files as the new one. It never follows a symbolic link: a link, at `path` or
/// anywhere below, is removed itself and what it points to is left alone.
fn remove_tree(path: &Path) {
    fn remove(path: &Path) -> io::Result<()> {
        let entries: Vec<fs::DirEntry> = fs::read_dir(path)?.collect::<io::Result<_>>()?;
        entries.par_iter().try_for_each(|entry| {
            // The entry's own type, not its target's: a link to a folder is no folder.
            if entry.file_type()?.is_dir() {
                remove(&entry.path())
            } else {
                fs::remove_file(entry.path())
            }
        })?;
        fs::remove_dir(path)
    }
    match fs::symlink_metadata(path) {
        Err(_) => {}
        Ok(meta) if !meta.is_dir() => {
            let _ = fs::remove_file(path);
        }
        Ok(_) => {
            if remove(path).is_err() {
                // What is left, one by one; std's remove_dir_all does not follow links either.
                let _ = fs::remove_dir_all(path);
            }
        }
    }
}

fn create_new(path: &Path) -> io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}

/// Whether the file at `path` holds exactly `bytes`. A symbolic link does not count, even to
/// such a file: the new output is made of the build's files only.
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    let Ok(mut file) = fs::File::open(path) else {
        return false;
    };
    let mut old = Vec::with_capacity(bytes.len() + 1);
    file.read_to_end(&mut old).is_ok() && old == bytes
}

/// Puts `staging` in the place of `dir`.
///
/// On Linux the two folders are exchanged in one step (`renameat2` with `RENAME_EXCHANGE`):
/// `dir` holds a whole output at every moment, and afterwards `staging` holds the previous
/// one. Elsewhere, or on a filesystem that cannot exchange, the previous output is renamed to
/// `retired` and then the new one into place: a crash between the two renames leaves no `dir`
/// for as long as no build runs, and the next build puts `retired` back first (see
/// [`remove_leftovers`]).
fn swap(
    dir: &Path,
    staging: &Path,
    retired: &Path,
) -> Result<(), (PathBuf, &'static str, io::Error)> {
    match fs::symlink_metadata(dir) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            fs::rename(staging, dir)
                .map_err(|e| (dir.to_path_buf(), "move the new output into place", e))?;
            fault_point("swap-done");
            return Ok(());
        }
        Err(error) => return Err((dir.to_path_buf(), "read", error)),
        Ok(meta) if !meta.file_type().is_dir() => {
            let error = io::Error::other("it is no longer a folder but a link or a file");
            return Err((dir.to_path_buf(), "replace", error));
        }
        Ok(_) => {}
    }
    match exchange(staging, dir) {
        Ok(()) => {
            fault_point("swap-done");
            return Ok(());
        }
        Err(error)
            if !matches!(
                error.kind(),
                io::ErrorKind::Unsupported | io::ErrorKind::InvalidInput
            ) =>
        {
            return Err((dir.to_path_buf(), "swap the new output in for", error));
        }
        Err(_) => {}
    }
    fs::rename(dir, retired)
        .map_err(|e| (dir.to_path_buf(), "move the previous output aside", e))?;
    fault_point("swap-moved-aside");
    if let Err(error) = fs::rename(staging, dir) {
        let _ = fs::rename(retired, dir);
        return Err((dir.to_path_buf(), "move the new output into place", error));
    }
    fault_point("swap-done");
    Ok(())
}

/// Exchanges two folders in one step.
#[cfg(target_os = "linux")]
fn exchange(one: &Path, other: &Path) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, one, CWD, other, RenameFlags::EXCHANGE).map_err(io::Error::from)
}

/// Exchanging in one step is Linux's `renameat2`; elsewhere [`swap`] renames twice.
#[cfg(not(target_os = "linux"))]
fn exchange(_one: &Path, _other: &Path) -> io::Result<()> {
    Err(io::ErrorKind::Unsupported.into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::confine::SiteFile;
    use crate::output::tests::output;
    use crate::output::OutputFile;
    use crate::output_path::OutputPath;

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

    /// Names in `folder`, sorted.
    fn names(folder: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(folder)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    /// What a build killed while filling its staging folder leaves behind.
    fn leftover(parent: &Path, name: &str) {
        fs::write(parent.join(format!("{name}.lock")), "").unwrap();
        fs::create_dir_all(parent.join(name).join("a")).unwrap();
        fs::write(parent.join(name).join("a/index.html"), "half").unwrap();
    }

    #[test]
    fn leftovers_of_dead_builds_are_removed_and_those_of_live_builds_kept() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("public");
        output(&[("index.html", "old")]).write(&dir).unwrap();
        leftover(temp.path(), ".public.build-7-0");
        leftover(temp.path(), ".public.build-8-3");
        // A live build holds its lock for as long as its staging folder exists.
        leftover(temp.path(), ".public.build-9-0");
        let live = fs::File::open(temp.path().join(".public.build-9-0.lock")).unwrap();
        live.try_lock().unwrap();
        // Not this output's staging folders: another output's, and the user's own.
        leftover(temp.path(), ".docs.build-7-0");
        fs::create_dir(temp.path().join(".public.notes")).unwrap();

        let staging = Staging::new(&dir).unwrap();
        let during = names(temp.path());
        assert!(
            !during
                .iter()
                .any(|name| name.starts_with(".public.build-7-")
                    || name.starts_with(".public.build-8-")),
            "{during:?}"
        );
        for kept in [
            ".public.build-9-0",
            ".public.build-9-0.lock",
            ".docs.build-7-0",
            ".docs.build-7-0.lock",
            ".public.notes",
        ] {
            assert!(during.iter().any(|name| name == kept), "{kept}: {during:?}");
        }
        staging.add_bytes("index.html", b"new").unwrap();
        staging.finish().unwrap();
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "new");
        drop(live);
        assert_eq!(
            names(temp.path()),
            [
                ".docs.build-7-0",
                ".docs.build-7-0.lock",
                ".public.build-9-0",
                ".public.build-9-0.lock",
                ".public.notes",
                "public"
            ]
        );
        // Its owner gone, the next build clears it.
        drop(Staging::new(&dir).unwrap());
        assert_eq!(
            names(temp.path()),
            [
                ".docs.build-7-0",
                ".docs.build-7-0.lock",
                ".public.notes",
                "public"
            ]
        );
    }

    #[test]
    fn a_build_that_died_between_the_two_renames_is_rolled_back() {
        // Where renaming in one step is not possible, the previous output is moved aside
        // first: a build killed right then leaves no output, only the two folders.
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("public");
        fs::write(temp.path().join(".public.build-7-0.lock"), "").unwrap();
        fs::create_dir(temp.path().join(".public.build-7-0.old")).unwrap();
        fs::write(temp.path().join(".public.build-7-0.old/index.html"), "old").unwrap();
        fs::create_dir(temp.path().join(".public.build-7-0")).unwrap();
        fs::write(temp.path().join(".public.build-7-0/index.html"), "new").unwrap();
        let staging = Staging::new(&dir).unwrap();
        assert_eq!(fs::read_to_string(dir.join("index.html")).unwrap(), "old");
        drop(staging);
        assert_eq!(names(temp.path()), ["public"]);
    }

    #[test]
    fn the_staging_names_are_ignored_by_git() {
        let gitignore =
            fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".gitignore")).unwrap();
        let temp = tempfile::tempdir().unwrap();
        let staging = Staging::new(&temp.path().join("public")).unwrap();
        let made = names(temp.path());
        assert_eq!(made.len(), 2, "a staging folder and its lock: {made:?}");
        for name in made {
            assert!(
                gitignore.lines().any(|pattern| pattern
                    .strip_prefix('/')
                    .and_then(|pattern| pattern.strip_suffix('*'))
                    .is_some_and(|prefix| !prefix.contains('*') && name.starts_with(prefix))),
                "{name} is not in .gitignore"
            );
        }
        drop(staging);
    }

    #[cfg(unix)]
    #[test]
    fn removing_a_tree_never_follows_a_symbolic_link() {
        use std::os::unix::fs::symlink;
        let temp = tempfile::tempdir().unwrap();
        let users = temp.path().join("users");
        fs::create_dir_all(users.join("sub")).unwrap();
        fs::write(users.join("keep.txt"), "keep me").unwrap();
        let tree = temp.path().join("tree");
        fs::create_dir_all(tree.join("deep")).unwrap();
        fs::write(tree.join("a.txt"), "a").unwrap();
        symlink(&users, tree.join("link")).unwrap();
        symlink(&users, tree.join("deep/link")).unwrap();
        symlink(users.join("keep.txt"), tree.join("file-link")).unwrap();
        remove_tree(&tree);
        assert!(!tree.exists());
        let link = temp.path().join("link");
        symlink(&users, &link).unwrap();
        remove_tree(&link);
        assert!(fs::symlink_metadata(&link).is_err(), "the link itself goes");
        assert_eq!(
            fs::read_to_string(users.join("keep.txt")).unwrap(),
            "keep me"
        );
        assert!(users.join("sub").is_dir());
    }

    #[cfg(unix)]
    #[test]
    fn an_output_folder_that_is_a_symbolic_link_is_not_replaced() {
        let temp = tempfile::tempdir().unwrap();
        let users = temp.path().join("users");
        fs::create_dir_all(users.join("sub")).unwrap();
        fs::write(users.join("keep.txt"), "keep me").unwrap();
        let dir = temp.path().join("public");
        std::os::unix::fs::symlink(&users, &dir).unwrap();
        let error = output(&[("index.html", "new")]).write(&dir).unwrap_err();
        assert!(
            error.message.contains("symbolic link"),
            "{}",
            error.render()
        );
        assert!(fs::symlink_metadata(&dir).unwrap().file_type().is_symlink());
        assert_eq!(names(&users), ["keep.txt", "sub"]);
        assert_eq!(names(temp.path()), ["public", "users"]);
    }
}
