//! Where a file goes in the output folder, as a value that can only hold a safe place, and the
//! check that no two files claim one place.
//!
//! Every file a build writes (pages, files copied from `content/` or `static/`, the sitemap,
//! feeds, assets) gets its [`OutputPath`] from [`OutputPath::new`], which refuses anything that
//! could leave the output folder or that a static host could not serve under the same name.
//! [`Claims`] then finds two files at one path, or a file where another needs a folder, so a
//! build never lets one file silently replace another or race with it.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::fmt;

/// A `/`-separated path relative to the output folder, such as `stream/family/index.html`:
/// not empty, not absolute, without `.`, `..` or empty segments, without backslashes, control
/// characters, whitespace or characters a static host cannot serve in a file name. Letters of
/// any language are fine (`volet/février/index.html`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutputPath(String);

/// Why a path cannot be an [`OutputPath`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathProblem {
    Empty,
    Absolute,
    EmptySegment,
    CurrentFolder,
    ParentFolder,
    Backslash,
    Control(char),
    Whitespace(char),
    /// A character with a meaning in URLs (`?`, `#`, `%`) or one that some file systems refuse.
    Unservable(char),
}

impl fmt::Display for PathProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathProblem::Empty => f.write_str("is empty"),
            PathProblem::Absolute => {
                f.write_str("starts with `/`, so it would not stay in the output folder")
            }
            PathProblem::EmptySegment => {
                f.write_str("has an empty segment (`//`, or a `/` at the end)")
            }
            PathProblem::CurrentFolder => f.write_str("has a `.` segment"),
            PathProblem::ParentFolder => {
                f.write_str("has a `..` segment, so it would climb out of its folder")
            }
            PathProblem::Backslash => f.write_str("has a `\\`"),
            PathProblem::Control(c) => {
                write!(f, "has the control character U+{:04X}", u32::from(*c))
            }
            PathProblem::Whitespace(' ') => f.write_str("has whitespace (a space)"),
            PathProblem::Whitespace(c) => write!(f, "has whitespace (U+{:04X})", u32::from(*c)),
            PathProblem::Unservable(c) => write!(
                f,
                "has `{c}`, which a static host cannot serve in a file name"
            ),
        }
    }
}

/// Characters with a meaning in a URL, or refused in file names by common file systems.
const UNSERVABLE: [char; 9] = ['?', '#', '%', ':', '*', '"', '<', '>', '|'];

/// The first problem `path` has as a relative, `/`-separated output path, if any.
pub fn problem(path: &str) -> Option<PathProblem> {
    if path.is_empty() {
        return Some(PathProblem::Empty);
    }
    if path.starts_with('/') {
        return Some(PathProblem::Absolute);
    }
    for c in path.chars() {
        let found = match c {
            '\\' => PathProblem::Backslash,
            c if c.is_control() => PathProblem::Control(c),
            c if c.is_whitespace() => PathProblem::Whitespace(c),
            c if UNSERVABLE.contains(&c) => PathProblem::Unservable(c),
            _ => continue,
        };
        return Some(found);
    }
    path.split('/').find_map(|segment| match segment {
        "" => Some(PathProblem::EmptySegment),
        "." => Some(PathProblem::CurrentFolder),
        ".." => Some(PathProblem::ParentFolder),
        _ => None,
    })
}

impl OutputPath {
    pub fn new(path: &str) -> Result<OutputPath, PathProblem> {
        match problem(path) {
            Some(problem) => Err(problem),
            None => Ok(OutputPath(path.to_string())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The folders that hold this file, outermost first: `a` and `a/b` for `a/b/c`.
    pub fn folders(&self) -> impl Iterator<Item = &str> {
        self.0
            .match_indices('/')
            .map(move |(slash, _)| &self.0[..slash])
    }
}

impl fmt::Display for OutputPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for OutputPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for OutputPath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<OutputPath> for String {
    fn from(path: OutputPath) -> String {
        path.0
    }
}

/// Two claims that cannot both be written: the earlier claim in the way of a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash<T> {
    /// The earlier claim is for the same file.
    Same(T),
    /// The earlier claim is a file at `path`, one of the folders the new claim needs.
    FileInFolderPlace { path: String, owner: T },
    /// The new claim's path is a folder of the earlier claim's file at `path`.
    FolderInFilePlace { path: String, owner: T },
    /// The earlier claim's file at `path`, or one of its folders, differs from the new one's
    /// only in letter case or in how an accent is encoded (`é` as one character or as `e` and a
    /// combining mark): one name on file systems and hosts that ignore case (macOS, Windows)
    /// or normalize names (macOS).
    SameWhenFolded { path: String, owner: T },
}

/// The output paths claimed so far and who claimed them.
#[derive(Debug)]
pub struct Claims<T> {
    files: HashMap<OutputPath, T>,
    /// Every folder some file needs → the first such file.
    folders: HashMap<String, OutputPath>,
    /// The names claimed (files, and the folders they need) not already in [`folded`] form
    /// (nearly all are), by that form: each as written, with the file that first needed it.
    folded: HashMap<String, (String, OutputPath)>,
}

impl<T> Default for Claims<T> {
    fn default() -> Self {
        Claims {
            files: HashMap::new(),
            folders: HashMap::new(),
            folded: HashMap::new(),
        }
    }
}

/// `path` as a file system that ignores case and normalizes names compares it (lowercase,
/// Unicode NFC): two paths are one file there exactly when their folded forms are equal.
pub fn fold(path: &str) -> String {
    folded(path).unwrap_or_else(|| path.to_string())
}

/// [`fold`] of `path`, or `None` when that is `path` itself (nearly always). A folder's path
/// is a prefix of its file's ending before a `/`, which case and normalization never cross: a
/// path that is its own folded form has folders that are theirs too.
fn folded(path: &str) -> Option<String> {
    if path.is_ascii() {
        return path
            .bytes()
            .any(|byte| byte.is_ascii_uppercase())
            .then(|| path.to_ascii_lowercase());
    }
    use unicode_normalization::UnicodeNormalization;
    let folded: String = path.nfc().flat_map(char::to_lowercase).nfc().collect();
    (folded != path).then_some(folded)
}

/// A claim's names: its file's path, then its folders'.
fn names(path: &OutputPath) -> impl Iterator<Item = &str> {
    std::iter::once(path.as_str()).chain(path.folders())
}

impl<T: Clone> Claims<T> {
    /// Claims `path` for `owner`, unless an earlier claim is at the same path, or is a file
    /// where this one needs a folder, or needs a folder where this one is a file: then the
    /// claim is refused and the earlier one kept, so the first claimant is always the one
    /// named in the report.
    pub fn claim(&mut self, path: OutputPath, owner: T) -> Result<(), Clash<T>> {
        if let Some(clash) = self.in_the_way(&path) {
            return Err(clash);
        }
        // Only a path not in folded form has names (its own, its folders') that are not.
        if folded(path.as_str()).is_some() {
            for name in names(&path) {
                if let Some(folded) = folded(name) {
                    self.folded
                        .entry(folded)
                        .or_insert_with(|| (name.to_string(), path.clone()));
                }
            }
        }
        for folder in path.folders() {
            if !self.folders.contains_key(folder) {
                self.folders.insert(folder.to_string(), path.clone());
            }
        }
        self.files.insert(path, owner);
        Ok(())
    }

    fn in_the_way(&self, path: &OutputPath) -> Option<Clash<T>> {
        if let Some(owner) = self.files.get(path) {
            return Some(Clash::Same(owner.clone()));
        }
        if let Some(clash) = self.same_when_folded(path) {
            return Some(clash);
        }
        let file_as_folder = path
            .folders()
            .find_map(|folder| self.files.get_key_value(folder));
        if let Some((path, owner)) = file_as_folder {
            return Some(Clash::FileInFolderPlace {
                path: path.to_string(),
                owner: owner.clone(),
            });
        }
        let below = self.folders.get(path.as_str())?;
        let owner = self.files.get(below)?;
        Some(Clash::FolderInFilePlace {
            path: below.to_string(),
            owner: owner.clone(),
        })
    }

    /// An earlier claim whose name, or one of whose folders' names, is spelled otherwise than
    /// `path`'s or one of its folders' but is the same where case is ignored and names are
    /// normalized: there both would be one file, or share one folder spelled as the first made
    /// it.
    fn same_when_folded(&self, path: &OutputPath) -> Option<Clash<T>> {
        // A path in folded form (nearly all) can meet only a name that is not: none yet, mostly.
        let in_folded_form = folded(path.as_str()).is_none();
        if in_folded_form && self.folded.is_empty() {
            return None;
        }
        for name in names(path) {
            let folded = if in_folded_form { None } else { folded(name) };
            let earlier = match &folded {
                // A name already folded, or one spelled otherwise that folds the same.
                Some(folded) => self
                    .files
                    .get_key_value(folded.as_str())
                    .map(|(earlier, _)| earlier)
                    .or_else(|| self.folders.get(folded.as_str()))
                    .or_else(|| {
                        let (written, earlier) = self.folded.get(folded)?;
                        (written != name).then_some(earlier)
                    }),
                // Only a name not folded can fold to one that is.
                None => self.folded.get(name).map(|(_, earlier)| earlier),
            };
            if let Some(earlier) = earlier {
                return Some(Clash::SameWhenFolded {
                    path: earlier.to_string(),
                    owner: self.files.get(earlier)?.clone(),
                });
            }
        }
        None
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(text: &str) -> OutputPath {
        OutputPath::new(text).unwrap()
    }

    #[test]
    fn relative_paths_of_servable_names_are_accepted() {
        for text in [
            "index.html",
            "stream/family/index.html",
            "volet/famille/index.html",
            "février/index.html",
            "style.0123456789.css",
            ".well-known/security.txt",
            "a-b_c~d/e+f(1)!.txt",
        ] {
            assert_eq!(
                OutputPath::new(text).map(String::from),
                Ok(text.to_string())
            );
        }
    }

    #[test]
    fn paths_that_leave_the_folder_or_cannot_be_served_are_refused() {
        for (text, expected) in [
            ("", PathProblem::Empty),
            ("/tmp/victim/index.html", PathProblem::Absolute),
            ("../../x/index.html", PathProblem::ParentFolder),
            ("stream/../index.html", PathProblem::ParentFolder),
            ("./index.html", PathProblem::CurrentFolder),
            ("stream//index.html", PathProblem::EmptySegment),
            ("stream/", PathProblem::EmptySegment),
            ("a\\b.html", PathProblem::Backslash),
            ("..\\x", PathProblem::Backslash),
            ("a\u{0}b", PathProblem::Control('\u{0}')),
            ("a\nb", PathProblem::Control('\n')),
            ("two words", PathProblem::Whitespace(' ')),
            ("no\u{a0}break", PathProblem::Whitespace('\u{a0}')),
            ("what?", PathProblem::Unservable('?')),
            ("a#b", PathProblem::Unservable('#')),
            ("100%", PathProblem::Unservable('%')),
            ("c:x", PathProblem::Unservable(':')),
            ("a*", PathProblem::Unservable('*')),
            ("\"q\"", PathProblem::Unservable('"')),
            ("<a>", PathProblem::Unservable('<')),
            ("a|b", PathProblem::Unservable('|')),
        ] {
            assert_eq!(OutputPath::new(text), Err(expected), "{text:?}");
        }
    }

    #[test]
    fn folders_are_listed_outermost_first() {
        let file = path("a/b/c.html");
        let folders: Vec<&str> = file.folders().collect();
        assert_eq!(folders, ["a", "a/b"]);
        assert_eq!(path("index.html").folders().count(), 0);
    }

    #[test]
    fn a_second_claim_on_a_file_is_refused_and_the_first_kept() {
        let mut claims = Claims::default();
        claims.claim(path("a/index.html"), "first").unwrap();
        assert_eq!(
            claims.claim(path("a/index.html"), "second"),
            Err(Clash::Same("first"))
        );
        assert_eq!(claims.len(), 1);
    }

    #[test]
    fn paths_one_file_where_case_is_ignored_clash_in_any_order() {
        let folded = |earlier: &str, later: &str| {
            let mut claims = Claims::default();
            claims.claim(path(earlier), "earlier").unwrap();
            claims.claim(path(later), "later")
        };
        for (earlier, later) in [
            ("about/index.html", "About/index.html"),
            ("About/index.html", "about/index.html"),
            ("ABOUT/index.html", "About/index.html"),
            ("caf\u{e9}/index.html", "cafe\u{301}/index.html"),
            ("cafe\u{301}/index.html", "CAF\u{c9}/index.html"),
        ] {
            assert_eq!(
                folded(earlier, later),
                Err(Clash::SameWhenFolded {
                    path: earlier.into(),
                    owner: "earlier"
                }),
                "{earlier} then {later}"
            );
        }
        // Folders alike in all but case would be one folder, spelled as the first made it:
        // the second file's address would not lead to it on a host that minds case.
        for later in ["about/b.html", "ABOUT/c/d.html"] {
            assert_eq!(
                folded("About/a.html", later),
                Err(Clash::SameWhenFolded {
                    path: "About/a.html".into(),
                    owner: "earlier"
                }),
                "{later}"
            );
        }
        // A file and a folder alike in all but case.
        assert!(folded("Stream", "stream/index.html").is_err());
        assert!(folded("stream/index.html", "STREAM").is_err());
        // The same spelling, and names that differ in more than case, are no clash.
        assert_eq!(folded("About/a.html", "About/b.html"), Ok(()));
        assert_eq!(folded("caf\u{e9}/a.html", "caf\u{e9}/b.html"), Ok(()));
        assert_eq!(folded("a/index.html", "b/index.html"), Ok(()));
    }

    #[test]
    fn a_file_and_a_folder_at_one_path_clash_in_either_order() {
        let mut claims = Claims::default();
        claims.claim(path("x.js"), "file").unwrap();
        assert_eq!(
            claims.claim(path("x.js/index.html"), "page"),
            Err(Clash::FileInFolderPlace {
                path: "x.js".into(),
                owner: "file"
            })
        );
        let mut claims = Claims::default();
        claims.claim(path("a/b/index.html"), "page").unwrap();
        assert_eq!(
            claims.claim(path("a/b"), "file"),
            Err(Clash::FolderInFilePlace {
                path: "a/b/index.html".into(),
                owner: "page"
            })
        );
        assert_eq!(
            claims.claim(path("a"), "file"),
            Err(Clash::FolderInFilePlace {
                path: "a/b/index.html".into(),
                owner: "page"
            })
        );
        claims.claim(path("a/b/c.txt"), "beside").unwrap();
        claims.claim(path("a/bc"), "similar name").unwrap();
        assert_eq!(claims.len(), 3);
    }
}
