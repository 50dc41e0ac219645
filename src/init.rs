//! `guide init`: a new guide that builds, passes `guide check` and serves as written, from the
//! starter files in `src/init/starter/` (embedded by `build.rs`); and `guide init
//! --eject-theme`, which copies the built-in theme into a site's `themes/default/`.

use std::path::{Path, PathBuf};

use guide_rules::Date;

use crate::diagnostics::{io_error, Diagnostic};
use crate::theme::{BUILT_IN_FILES, BUILT_IN_NAME};

/// The starter guide, file by file (`/`-separated path, bytes), with `@TITLE@`, `@LANGUAGE@`
/// (each replaced by a TOML string) and `@TODAY@` (a TOML date) to fill in.
static STARTER_FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/starter.rs"));

/// The title a guide gets when `--title` is not given.
pub const DEFAULT_TITLE: &str = "A guide to the Example Program";

/// What `guide init` is asked to write.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    pub title: String,
    /// An HTML language tag, as `site.toml` takes it.
    pub language: String,
    /// The day the starter facts were verified: the day the guide is made.
    pub today: Date,
    /// Write into a folder that already holds files, replacing those of the same names.
    pub force: bool,
}

/// One file `guide init` wrote, and whether a file of that name was there before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub replaced: bool,
}

/// Writes the starter guide into `options.dir` (created if missing). A folder that holds
/// anything is refused, with nothing written, unless `force` is set.
pub fn init(options: &InitOptions) -> Result<Vec<Written>, Diagnostic> {
    let dir = &options.dir;
    check_language(&options.language)?;
    if !options.force && !is_empty_folder(dir)? {
        return Err(Diagnostic::new(
            dir,
            format!(
                "refusing to start a guide in `{}`: the folder is not empty",
                dir.display()
            ),
        )
        .with_help(
            "choose a new or empty folder (`guide init my-guide`), or pass --force to write the \
             starter files among those there, replacing any of the same names",
        ));
    }
    let files = STARTER_FILES.iter().map(|(path, bytes)| {
        let text = String::from_utf8_lossy(bytes)
            .replace("@TITLE@", &toml_string(&options.title))
            .replace("@LANGUAGE@", &toml_string(&options.language))
            .replace("@TODAY@", &options.today.to_string());
        (*path, text.into_bytes())
    });
    write_files(dir, files)
}

/// Copies the built-in theme into `root/themes/default/`. Refuses, writing nothing, when a
/// file it would write is already there, unless `force` is set; refuses a folder that is not a
/// site.
pub fn eject_theme(root: &Path, force: bool) -> Result<Vec<Written>, Diagnostic> {
    let config = root.join(crate::config::CONFIG_FILE);
    if !config.is_file() {
        return Err(Diagnostic::new(
            &config,
            format!(
                "`{}` is not a guide's folder: it has no site.toml",
                root.display()
            ),
        )
        .with_help("run `guide init --eject-theme` in a guide's folder, or pass it as DIR"));
    }
    let theme = root.join("themes").join(BUILT_IN_NAME);
    let existing: Vec<String> = BUILT_IN_FILES
        .iter()
        .map(|(path, _)| theme.join(path))
        .filter(|path| path.symlink_metadata().is_ok())
        .map(|path| crate::paths::shown_path(root, &path).display().to_string())
        .collect();
    if !existing.is_empty() && !force {
        let listed = existing
            .iter()
            .take(5)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let more = match existing.len() {
            0..=5 => String::new(),
            n => format!(" and {} more", n - 5),
        };
        return Err(Diagnostic::new(
            crate::paths::shown_path(root, &theme),
            format!("refusing to replace files of the theme already there: {listed}{more}"),
        )
        .with_help(
            "move them aside first, or pass --force to replace them with the built-in theme's",
        ));
    }
    write_files(
        &theme,
        BUILT_IN_FILES
            .iter()
            .map(|(path, bytes)| (*path, bytes.to_vec())),
    )
}

/// Writes each (`/`-separated path, bytes) below `dir`.
fn write_files<'a>(
    dir: &Path,
    files: impl Iterator<Item = (&'a str, Vec<u8>)>,
) -> Result<Vec<Written>, Diagnostic> {
    let mut written = Vec::new();
    for (relative, bytes) in files {
        let path = relative
            .split('/')
            .fold(dir.to_path_buf(), |path, part| path.join(part));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|error| io_error(parent, "create the folder", &error))?;
        }
        let replaced = path.symlink_metadata().is_ok();
        std::fs::write(&path, bytes).map_err(|error| io_error(&path, "write", &error))?;
        written.push(Written {
            path: PathBuf::from(relative),
            replaced,
        });
    }
    Ok(written)
}

/// Whether `dir` is missing or holds nothing; a file in its place is an error.
fn is_empty_folder(dir: &Path) -> Result<bool, Diagnostic> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(true),
        Err(error) => Err(io_error(dir, "read the folder", &error)),
    }
}

/// A language guide writes pages in, as `site.toml` takes it ([`check_language_code`]).
fn check_language(language: &str) -> Result<(), Diagnostic> {
    crate::config::check_language_code(language)
        .map_err(|(message, help)| Diagnostic::new("--language", message).with_help(help))
}

/// `text` as a TOML basic string, quotes included.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_written_as_toml_strings() {
        let quoted = toml_string("Say \"hi\" \\ now");
        let parsed: toml::Table = format!("title = {quoted}").parse().unwrap();
        assert_eq!(parsed["title"].as_str(), Some("Say \"hi\" \\ now"));
    }

    #[test]
    fn language_tags_are_checked() {
        for good in ["en", "fr", "fr-CA", "en-GB"] {
            assert!(check_language(good).is_ok(), "{good}");
        }
        for bad in ["", "en_US", "e\"n", "-en", "en-", "english language"] {
            let refused = check_language(bad).unwrap_err();
            assert!(refused.message.contains("is not a language code"), "{bad}");
        }
        // Well formed, but a language the theme and formats are not written in: a site in it
        // would fail at its first date.
        for unknown in ["es", "pt-BR", "zh-Hant-TW"] {
            let refused = check_language(unknown).unwrap_err();
            assert_eq!(
                refused.message,
                format!("guide cannot write dates and numbers in `{unknown}`")
            );
        }
    }

    #[test]
    fn the_starter_has_every_placeholder_filled() {
        for (path, bytes) in STARTER_FILES {
            let text = std::str::from_utf8(bytes).unwrap();
            let filled = text
                .replace("@TITLE@", "\"T\"")
                .replace("@LANGUAGE@", "\"en\"")
                .replace("@TODAY@", "2026-01-01");
            // `@/` starts a link to a page; any other `@` is a placeholder left unfilled.
            let unfilled = filled
                .match_indices('@')
                .any(|(at, _)| !filled[at..].starts_with("@/"));
            assert!(!unfilled, "{path} has an unknown placeholder");
        }
    }
}
