//! From a changed path to the input of the site it is, and from there to the least work that
//! brings the served site up to date.
//!
//! | changed path                               | [`Input`]        | rebuild                     |
//! |--------------------------------------------|------------------|-----------------------------|
//! | `site.toml`                                | `Config`         | load everything, render all |
//! | `content/facts/**`, `content/rules/**`     | `Data`           | load everything, render all |
//! | `themes/THEME/templates/**`, `templates/**`, `strings.toml` | `Template` | load everything, render all |
//! | `themes/THEME/assets/**`                   | `ThemeAsset`     | load everything, render all (a stylesheet alone is swapped in place) |
//! | `themes/THEME/static/**`, `static/**`      | `StaticFile`     | edited: read that file again; added or removed: load everything |
//! | `content/**.md` already a page, body       | `Content`        | that page                   |
//! | the same, front matter                     | `Content`        | that page, its section, the section's descendants if it is one, every page if it is in the nav |
//! | the same, `slug` or `draft`                | `Content`        | read the content tree, render all |
//! | any other path under `content/`            | `Content`        | a copied file edited: read it again; otherwise read the content tree, render all |
//! | outputs, editor and hidden files, others   | —                | none                        |
//!
//! The "rebuild" column is decided in [`super::live_site`], which can read the page and compare
//! it with the loaded one; this module only names the input. Every read there follows the rule
//! of [`crate::confine`]: a file that has become a link leading out of the site is refused, and
//! the last good site stays.

use std::path::{Component, Path, PathBuf};

use crate::config::CONFIG_FILE;
use crate::paths::is_hidden_or_temporary;
use crate::paths::{CONTENT_DIR, DATA_DIRS, TEMPLATES_DIR};

pub const THEMES_DIR: &str = "themes";
pub const STATIC_DIR: &str = "static";

/// A path the watcher reported, whether the event created, removed or renamed something
/// (rather than editing it in place), and whether its last event left it whole (`settled`):
/// written and closed, or renamed into place, rather than perhaps still being written, or removed or renamed away with its new version perhaps still to come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedPath {
    pub path: PathBuf,
    pub structural: bool,
    pub settled: bool,
}

/// Whether `changes` (batches in the order they came) can be built at once: they touch one
/// path the build reads, as an editor's save does, and its last event left it whole. Anything
/// else (a file perhaps half written, one moved away before its new version is written, or
/// several files, as a checkout writes them) waits for more of the same operation.
pub fn builds_at_once(changes: &[ChangedPath], reads: impl Fn(&Path) -> bool) -> bool {
    let mut read: Option<(&Path, bool)> = None;
    for change in changes.iter().filter(|change| reads(&change.path)) {
        match read {
            Some((path, _)) if path != change.path => return false,
            _ => read = Some((&change.path, change.settled)),
        }
    }
    read.is_some_and(|(_, settled)| settled)
}

/// Which input of the site a path is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Config,
    /// Facts or eligibility rules.
    Data,
    Template,
    /// A fingerprinted theme asset; `stylesheet` when it is a `.css` file.
    ThemeAsset {
        stylesheet: bool,
    },
    /// A file copied as is from the theme's or the site's `static/`, by its output path.
    StaticFile {
        output_path: String,
    },
    /// Anything below `content/` outside the data folders, by its `/`-separated path there.
    Content {
        source_path: String,
    },
}

/// Names what a path is an input of, or `None` when no build reads it.
pub struct Classifier {
    root: PathBuf,
    output: PathBuf,
}

impl Classifier {
    pub fn new(root: &Path, output: &Path) -> Classifier {
        Classifier {
            root: absolute(root),
            output: absolute(output),
        }
    }

    /// The folders to watch recursively, and the root itself for `site.toml`.
    pub fn watched_folders(&self) -> Vec<PathBuf> {
        [CONTENT_DIR, THEMES_DIR, STATIC_DIR, TEMPLATES_DIR]
            .iter()
            .map(|name| self.root.join(name))
            .collect()
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn classify(&self, path: &Path, theme: &str) -> Option<Input> {
        let path = absolute(path);
        if path.starts_with(&self.output) {
            return None;
        }
        let relative = path.strip_prefix(&self.root).ok()?;
        let parts: Vec<&str> = relative
            .components()
            .map(|component| match component {
                Component::Normal(name) => name.to_str(),
                _ => None,
            })
            .collect::<Option<_>>()?;
        // An editor's swap or backup file is never an input, nor is anything in a hidden
        // folder; the build skips them the same way.
        if parts
            .iter()
            .any(|part| is_hidden_or_temporary(Path::new(part)))
        {
            return None;
        }
        match parts.as_slice() {
            [name] if *name == CONFIG_FILE => Some(Input::Config),
            // The site's own theme strings, over its theme's.
            [name] if *name == crate::theme::strings::SITE_STRINGS_FILE => Some(Input::Template),
            [top, rest @ ..] if *top == CONTENT_DIR && !rest.is_empty() => {
                if rest.len() > 1 && DATA_DIRS.contains(&rest[0]) {
                    Some(Input::Data)
                } else if rest.len() == 1 && DATA_DIRS.contains(&rest[0]) {
                    // The data folder itself appearing or going away.
                    Some(Input::Data)
                } else {
                    Some(Input::Content {
                        source_path: rest.join("/"),
                    })
                }
            }
            // The folder of content itself: created, removed or renamed.
            [top] if *top == CONTENT_DIR => Some(Input::Content {
                source_path: String::new(),
            }),
            [top, rest @ ..] if *top == STATIC_DIR => Some(Input::StaticFile {
                output_path: rest.join("/"),
            }),
            // The site's own templates, over its theme's; the folder itself coming or going too.
            [top, ..] if *top == TEMPLATES_DIR => Some(Input::Template),
            [top, name, rest @ ..] if *top == THEMES_DIR && *name == theme => match rest {
                ["templates", ..] => Some(Input::Template),
                ["assets", file @ ..] => Some(Input::ThemeAsset {
                    stylesheet: file.last().is_some_and(|name| name.ends_with(".css")),
                }),
                ["static", file @ ..] => Some(Input::StaticFile {
                    output_path: file.join("/"),
                }),
                // The theme folder itself, or a part of it the build does not read.
                [] | [_] => Some(Input::Template),
                _ => None,
            },
            [top] if *top == THEMES_DIR || *top == STATIC_DIR => Some(Input::Template),
            _ => None,
        }
    }
}

/// A path made absolute without touching the disk (`canonicalize` fails for deleted files).
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|cwd| cwd.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                clean.pop();
            }
            other => clean.push(other),
        }
    }
    clean
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classify(relative: &str) -> Option<Input> {
        let classifier = Classifier::new(Path::new("/site"), Path::new("/site/public"));
        classifier.classify(&Path::new("/site").join(relative), "plain")
    }

    #[test]
    fn inputs_are_named_by_where_they_live() {
        assert_eq!(classify("site.toml"), Some(Input::Config));
        assert_eq!(classify("strings.toml"), Some(Input::Template));
        assert_eq!(classify("content/facts/prog.toml"), Some(Input::Data));
        assert_eq!(classify("content/rules/h1b.toml"), Some(Input::Data));
        assert_eq!(
            classify("content/stream/family.md"),
            Some(Input::Content {
                source_path: "stream/family.md".into()
            })
        );
        assert_eq!(
            classify("themes/plain/templates/page.html"),
            Some(Input::Template)
        );
        assert_eq!(classify("templates/page.html"), Some(Input::Template));
        assert_eq!(
            classify("templates/shortcodes/note.html"),
            Some(Input::Template)
        );
        assert_eq!(classify("templates"), Some(Input::Template));
        assert_eq!(
            classify("themes/plain/assets/style.css"),
            Some(Input::ThemeAsset { stylesheet: true })
        );
        assert_eq!(
            classify("themes/plain/static/favicon.svg"),
            Some(Input::StaticFile {
                output_path: "favicon.svg".into()
            })
        );
        assert_eq!(
            classify("static/img/a.png"),
            Some(Input::StaticFile {
                output_path: "img/a.png".into()
            })
        );
    }

    #[test]
    fn outputs_editor_files_and_other_themes_are_not_inputs() {
        for path in [
            "public/index.html",
            "content/stream/.family.md.swp",
            "content/stream/family.md~",
            "content/stream/4913.tmp",
            "content/.git/HEAD",
            "themes/other/templates/page.html",
            "README.md",
            "target/debug/guide",
        ] {
            assert_eq!(classify(path), None, "{path}");
        }
        let classifier = Classifier::new(Path::new("/site"), Path::new("/elsewhere/out"));
        assert_eq!(
            classifier.classify(Path::new("/elsewhere/out/index.html"), "plain"),
            None
        );
        assert_eq!(
            classifier.classify(Path::new("/site/content/../site.toml"), "plain"),
            Some(Input::Config)
        );
    }
}
