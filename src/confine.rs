//! The one rule for reading the site from disk: a file or folder is read only while its
//! canonical path (every symbolic link and `..` resolved) lies inside the site's folder.
//!
//! Links that stay inside the site work as the files or folders they point to. A link that
//! leads out of it is refused wherever the site is read: the load stage's walks and reads,
//! copied files read at write time or by `guide serve`, and every re-read after a change. A
//! site is often shared, cloned or previewed from an untrusted source; it must not be able to
//! publish a file of the machine it is built on.

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diagnostics::{io_error, utf8_text, Diagnostic};

/// Why a path of the site may not be read.
#[derive(Debug)]
pub enum Refused {
    /// It, or the site's folder, could not be resolved (missing, unreadable).
    Io(io::Error),
    /// It resolves outside the site's folder.
    Outside(Outside),
}

/// A path leading out of the site: `link` (relative to the site's folder) is the first part
/// of it that does, and `target` the canonical path it leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outside {
    pub link: PathBuf,
    pub target: PathBuf,
}

impl Outside {
    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::new(&self.link, self.to_string())
            .with_help("copy the file into the site, or make the link point inside it")
    }
}

impl fmt::Display for Outside {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` leads to `{}`, outside the site's folder; nothing outside it is read",
            self.link.display(),
            self.target.display()
        )
    }
}

impl Refused {
    /// The problem as a diagnostic on `path`; `action` says what failed on an I/O error
    /// ("read the template").
    pub fn diagnostic(&self, root: &Path, path: &Path, action: &str) -> Diagnostic {
        match self {
            Refused::Io(error) => io_error(&shown(root, path), action, error),
            Refused::Outside(outside) => outside.diagnostic(),
        }
    }
}

impl From<io::Error> for Refused {
    fn from(error: io::Error) -> Self {
        Refused::Io(error)
    }
}

/// The rule: `path`'s canonical form, if it lies inside the canonical `root`.
///
/// Every read of the site goes through here or through a walk that checks each link it meets
/// with it ([`check_walk_entry`]).
pub fn resolve_inside(root: &Path, path: &Path) -> Result<PathBuf, Refused> {
    let canonical_root = root.canonicalize()?;
    let canonical = path.canonicalize()?;
    if canonical.starts_with(&canonical_root) {
        return Ok(canonical);
    }
    Err(Refused::Outside(first_outside(
        root,
        &canonical_root,
        path,
        canonical,
    )))
}

/// Names the part of `path`, from the root down, that first leads outside: the link itself
/// rather than a file below a linked folder. Runs only on the way to an error.
fn first_outside(root: &Path, canonical_root: &Path, path: &Path, canonical: PathBuf) -> Outside {
    if let Ok(relative) = path.strip_prefix(root) {
        let mut partial = root.to_path_buf();
        for component in relative.components() {
            partial.push(component);
            match partial.canonicalize() {
                Ok(target) if !target.starts_with(canonical_root) => {
                    return Outside {
                        link: shown(root, &partial),
                        target,
                    }
                }
                _ => {}
            }
        }
    }
    Outside {
        link: shown(root, path),
        target: canonical,
    }
}

/// Whether a walk of the site (walkdir, following links) may read or enter `entry`. The
/// walk's own folder is always checked, since it or a folder above it may be a link; below
/// it only links need be, as anything else lies inside its parent. A link may not lead into
/// the build's `output` folder either: each build would publish the last one's files again,
/// nested one level deeper every time.
pub fn check_walk_entry(
    root: &Path,
    output: &Path,
    entry: &walkdir::DirEntry,
) -> Result<(), Diagnostic> {
    if entry.depth() > 0 && !entry.path_is_symlink() {
        return Ok(());
    }
    let canonical = resolve_inside(root, entry.path())
        .map_err(|refused| refused.diagnostic(root, entry.path(), "read"))?;
    // Into the output folder, or to a folder holding it, which the walk would then enter.
    match output.canonicalize() {
        Ok(output) if canonical.starts_with(&output) || output.starts_with(&canonical) => {
            Err(Diagnostic::new(
                shown(root, entry.path()),
                format!(
                    "`{}` leads into the output folder `{}`, or to a folder holding it",
                    shown(root, entry.path()).display(),
                    shown(root, &output).display()
                ),
            )
            .with_help("remove the link: a build would publish the last build's files again"))
        }
        _ => Ok(()),
    }
}

/// Reads a file of the site under the rule. The canonical path is opened, and on Unix with
/// `O_NOFOLLOW`, so a link swapped in for the file after the check is refused by the open.
pub fn read_inside(root: &Path, path: &Path) -> Result<Vec<u8>, Refused> {
    let canonical = resolve_inside(root, path)?;
    let mut file = open_no_follow(&canonical)?;
    let size = file.metadata().map_or(0, |meta| meta.len() as usize);
    let mut bytes = Vec::with_capacity(size);
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// [`read_inside`] as UTF-8 text; `action` says what failed when the file cannot be read
/// ("read the rules"), and a file that is not UTF-8 is an error at its first invalid byte.
pub fn read_text(root: &Path, path: &Path, action: &str) -> Result<Arc<str>, Diagnostic> {
    let bytes =
        read_inside(root, path).map_err(|refused| refused.diagnostic(root, path, action))?;
    utf8_text(bytes, &shown(root, path))
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// A file of the site that the output copies, read when written or served, and only then
/// checked against the rule: a link swapped in after the load is refused at that read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// The site's folder.
    pub root: PathBuf,
    pub path: PathBuf,
}

impl SiteFile {
    pub fn read(&self) -> Result<Vec<u8>, Diagnostic> {
        read_inside(&self.root, &self.path)
            .map_err(|refused| refused.diagnostic(&self.root, &self.path, "read"))
    }

    /// The path relative to the site's folder, as messages show it.
    pub fn shown(&self) -> PathBuf {
        shown(&self.root, &self.path)
    }
}

fn shown(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::fs;
    use std::os::unix::fs::symlink;

    /// A site folder with `inside.txt`, and a file outside it.
    fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("site");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::write(root.join("inside.txt"), "inside").unwrap();
        fs::write(temp.path().join("outside.txt"), "OUTSIDE-BYTES").unwrap();
        let outside = temp.path().join("outside.txt").canonicalize().unwrap();
        (temp, root, outside)
    }

    #[test]
    fn files_and_links_inside_the_site_are_read() {
        let (_temp, root, _) = site();
        symlink("../inside.txt", root.join("content/link.txt")).unwrap();
        assert_eq!(
            read_inside(&root, &root.join("inside.txt")).unwrap(),
            b"inside"
        );
        assert_eq!(
            read_inside(&root, &root.join("content/link.txt")).unwrap(),
            b"inside"
        );
        // The site's folder itself may be reached through a link.
        let linked_root = root.with_file_name("linked-site");
        symlink(&root, &linked_root).unwrap();
        assert_eq!(
            read_inside(&linked_root, &linked_root.join("content/link.txt")).unwrap(),
            b"inside"
        );
    }

    #[test]
    fn a_link_leading_outside_is_refused_and_named() {
        let (_temp, root, outside) = site();
        symlink(&outside, root.join("content/secret.txt")).unwrap();
        let Err(Refused::Outside(found)) = read_inside(&root, &root.join("content/secret.txt"))
        else {
            panic!("read through a link leading outside");
        };
        assert_eq!(
            found,
            Outside {
                link: PathBuf::from("content/secret.txt"),
                target: outside.clone()
            }
        );
        let diagnostic = found.diagnostic();
        assert_eq!(diagnostic.path, Path::new("content/secret.txt"));
        assert!(diagnostic.message.contains(&outside.display().to_string()));
    }

    #[test]
    fn a_file_below_a_linked_folder_names_the_folder() {
        let (_temp, root, outside) = site();
        symlink(outside.parent().unwrap(), root.join("content/elsewhere")).unwrap();
        let Err(Refused::Outside(found)) =
            resolve_inside(&root, &root.join("content/elsewhere/outside.txt"))
        else {
            panic!("read through a folder link leading outside");
        };
        assert_eq!(found.link, Path::new("content/elsewhere"));
        assert_eq!(found.target, outside.parent().unwrap());
        // `..` leads out the same way.
        let Err(Refused::Outside(found)) =
            resolve_inside(&root, &root.join("content/../../outside.txt"))
        else {
            panic!("read through `..`");
        };
        assert_eq!(found.target, outside.parent().unwrap());
    }

    #[test]
    fn a_missing_file_is_an_io_error() {
        let (_temp, root, _) = site();
        let refused = read_inside(&root, &root.join("missing.txt")).unwrap_err();
        assert!(matches!(&refused, Refused::Io(e) if e.kind() == io::ErrorKind::NotFound));
    }

    #[test]
    fn a_copied_file_swapped_for_a_link_after_load_is_refused_at_its_read() {
        let (_temp, root, outside) = site();
        let file = SiteFile {
            root: root.clone(),
            path: root.join("inside.txt"),
        };
        assert_eq!(file.read().unwrap(), b"inside");
        let swap = root.join(".swap");
        symlink(&outside, &swap).unwrap();
        fs::rename(&swap, root.join("inside.txt")).unwrap();
        let diagnostic = file.read().unwrap_err();
        assert_eq!(diagnostic.path, Path::new("inside.txt"));
        assert!(diagnostic.message.contains("outside the site's folder"));
        assert!(!diagnostic.render().contains("OUTSIDE-BYTES"));
    }
}
