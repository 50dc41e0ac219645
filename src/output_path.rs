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
    /// The earlier claim's file at `path` differs from the new one only in letter case or in
    /// how an accent is encoded (`é` as one character or as `e` and a combining mark): one file
    /// on file systems and hosts that ignore case or normalize names (macOS, Windows).
    SameWhenFolded { path: String, owner: T },
}

/// The output paths claimed so far and who claimed them.
#[derive(Debug)]
pub struct Claims<T> {
    files: HashMap<OutputPath, T>,
    /// Every folder some file needs → the first such file.
    folders: HashMap<String, OutputPath>,
    /// The claimed paths not already in [`folded`] form (nearly all are), by that form.
    folded: HashMap<String, OutputPath>,
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
/// Unicode NFC), or `None` when that is `path` itself: two paths are one file there exactly
/// when their folded forms are equal.
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

impl<T: Clone> Claims<T> {
    /// Claims `path` for `owner`, unless an earlier claim is at the same path, or is a file
    /// where this one needs a folder, or needs a folder where this one is a file: then the
    /// claim is refused and the earlier one kept, so the first claimant is always the one
    /// named in the report.
    pub fn claim(&mut self, path: OutputPath, owner: T) -> Result<(), Clash<T>> {
        if let Some(clash) = self.in_the_way(&path) {
            return Err(clash);
        }
        for folder in path.folders() {
            if !self.folders.contains_key(folder) {
                self.folders.insert(folder.to_string(), path.clone());
            }
        }
        if let Some(folded) = folded(path.as_str()) {
            self.folded.insert(folded, path.clone());
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

    /// An earlier claim that is `path` on a file system ignoring case and normalizing names.
    fn same_when_folded(&self, path: &OutputPath) -> Option<Clash<T>> {
        let earlier = match folded(path.as_str()) {
            // Either a path already folded, or one that folds to the same as this one.
            Some(folded) => match self.files.get_key_value(folded.as_str()) {
                Some((earlier, _)) => earlier,
                None => self.folded.get(&folded)?,
            },
            // Only a path that is not folded can fold to one that is.
            None if self.folded.is_empty() => return None,
            None => self.folded.get(path.as_str())?,
        };
        Some(Clash::SameWhenFolded {
            path: earlier.to_string(),
            owner: self.files.get(earlier)?.clone(),
        })
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
        // Folders alike in all but case hold different files without loss: not a clash.
        assert_eq!(folded("About/a.html", "about/b.html"), Ok(()));
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
