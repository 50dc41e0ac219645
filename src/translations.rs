//! What a translation was translated from: `guide translations mark` records in a translation's
//! front matter the fingerprint of its source page (`translated_from = "…"`), and `guide check`
//! reports a translation whose source has changed since.
//!
//! The source of a translation is the same page in the site's default language
//! (`stream/family.md` for `stream/family.fr.md`). Its fingerprint covers what a translator
//! translates: the title, the description and the Markdown body, with line endings made
//! alike so that a checkout that turns `\n` into `\r\n` changes nothing.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use xxhash_rust::xxh3::Xxh3;

use crate::config::Config;
use crate::content::{split_front_matter, Content, Page};
use crate::diagnostics::{io_error, Diagnostic, Diagnostics};
use crate::paths::CONTENT_DIR;

/// The front matter key that holds the fingerprint.
pub const KEY: &str = "translated_from";

/// The fingerprint of what a translator translates of `page`: 16 hexadecimal digits.
pub fn fingerprint(page: &Page) -> String {
    let mut hasher = Xxh3::new();
    let parts = [
        page.meta.title.as_deref().unwrap_or(""),
        page.meta.description.as_deref().unwrap_or(""),
        &page.body(),
    ];
    for part in parts {
        let part = part.replace("\r\n", "\n");
        // Each part's length first, so that text moving from one part to the next changes
        // the fingerprint.
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    format!("{:016x}", hasher.digest())
}

/// The page a translation was translated from: its counterpart in the default language.
/// `None` for a page in the default language, or a translation without a source.
pub fn source_of(content: &Content, index: usize) -> Option<usize> {
    let page = &content.pages[index];
    if content.languages.is_default(&page.lang) {
        return None;
    }
    content.in_language(&page.key, content.languages.default_code())
}

/// Which translations `mark` records.
#[derive(Debug, Clone)]
pub enum MarkTarget {
    /// Every translation that has a source.
    All,
    /// These files: a translation is marked itself, a page in the default language marks each
    /// of its translations. Paths are relative to the working folder, to the site's folder or
    /// to its `content/`.
    Pages(Vec<PathBuf>),
}

/// One translation `mark` looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    /// The translation, as messages show it (`content/stream/family.fr.md`).
    pub file: PathBuf,
    /// Its source.
    pub source: PathBuf,
    /// Whether its file changed (false when it already recorded the source as it is).
    pub changed: bool,
}

/// Records in each translation named by `target` its source's current fingerprint, changing
/// only the `translated_from` line of each file (added when missing) and writing each file
/// whole or not at all.
pub fn mark(root: &Path, target: &MarkTarget) -> Result<Vec<Marked>, Diagnostics> {
    let config = Config::load(root)?;
    let languages = config.languages();
    // Drafts too: a translation is worth marking before it is published.
    // Marking reads the pages only and writes no output: no folder is one (an empty path
    // resolves to none).
    let content = Content::load(
        root,
        Path::new(""),
        true,
        &languages,
        crate::content::Holding::Held,
    )?;
    let mut translations: Vec<usize> = Vec::new();
    let mut diagnostics = Diagnostics::default();
    match target {
        MarkTarget::All => {
            translations = (0..content.pages.len())
                .filter(|&index| source_of(&content, index).is_some())
                .collect();
        }
        MarkTarget::Pages(paths) => {
            for path in paths {
                match named_translations(root, &content, path) {
                    Ok(found) => translations.extend(found),
                    Err(diagnostic) => diagnostics.push(diagnostic),
                }
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    translations.retain(|&index| seen.insert(index));
    let mut marked = Vec::new();
    for index in translations {
        let page = &content.pages[index];
        let Some(source) = source_of(&content, index) else {
            continue;
        };
        // An empty home made for a language without one has no file to write.
        if page.text().is_empty() && !root.join(&page.file).is_file() {
            continue;
        }
        let value = fingerprint(&content.pages[source]);
        let text = match with_fingerprint(&page.text(), &value) {
            Ok(text) => text,
            Err(problem) => {
                diagnostics.push(
                    Diagnostic::new(&page.file, format!("could not record `{KEY}`: {problem}"))
                        .with_help(format!(
                            "add `{KEY} = \"{value}\"` to its front matter by hand"
                        )),
                );
                continue;
            }
        };
        let changed = text != *page.text();
        if changed {
            if let Err(error) = write_atomically(&root.join(&page.file), &text) {
                diagnostics.push(io_error(&page.file, "write", &error));
                continue;
            }
        }
        marked.push(Marked {
            file: page.file.clone(),
            source: content.pages[source].file.clone(),
            changed,
        });
    }
    diagnostics.into_result(marked)
}

/// The translations a path on the command line names.
fn named_translations(
    root: &Path,
    content: &Content,
    path: &Path,
) -> Result<Vec<usize>, Diagnostic> {
    let content_dir = root.join(CONTENT_DIR);
    let canonical_content = std::fs::canonicalize(&content_dir).ok();
    let source_path = [path.to_path_buf(), root.join(path), content_dir.join(path)]
        .iter()
        .filter_map(|candidate| std::fs::canonicalize(candidate).ok())
        .find_map(|found| {
            let relative = found.strip_prefix(canonical_content.as_ref()?).ok()?;
            let slashed = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            content.by_source.contains_key(&slashed).then_some(slashed)
        })
        .ok_or_else(|| {
            Diagnostic::new(
                path,
                format!("`{}` is not a page of the site", path.display()),
            )
            .with_help(format!(
                "name a Markdown file in {}/, such as `content/stream/family.fr.md`",
                CONTENT_DIR
            ))
        })?;
    let index = content.by_source[&source_path];
    let page = &content.pages[index];
    if content.languages.is_default(&page.lang) {
        let translations: Vec<usize> = content.counterparts(index).collect();
        if translations.is_empty() {
            return Err(
                Diagnostic::new(&page.file, "this page has no translation to mark")
                    .with_help("write its translation first, then mark it"),
            );
        }
        return Ok(translations);
    }
    if source_of(content, index).is_none() {
        let default = content.languages.default_code();
        return Err(Diagnostic::new(
            &page.file,
            format!("this translation has no source in the default language (`{default}`)"),
        )
        .with_help(format!("write `content/{}`", page.key)));
    }
    Ok(vec![index])
}

/// `text` with its front matter's `translated_from` set to `value`: the value replaced where
/// it is, or a line added among the top-level keys; every other byte is kept.
pub fn with_fingerprint(text: &str, value: &str) -> Result<String, String> {
    #[derive(Deserialize)]
    struct Recorded {
        translated_from: Option<toml::Spanned<toml::Value>>,
    }
    let (front, front_start, _) =
        split_front_matter(text).ok_or("the file has no `+++` front matter")?;
    let recorded: Recorded =
        toml::from_str(front).map_err(|e| format!("its front matter is not TOML: {e}"))?;
    let quoted = format!("\"{value}\"");
    if let Some(existing) = recorded.translated_from {
        let span = existing.span();
        let mut out = String::with_capacity(text.len());
        out.push_str(&text[..front_start + span.start]);
        out.push_str(&quoted);
        out.push_str(&text[front_start + span.end..]);
        return Ok(out);
    }
    let newline = if front.contains("\r\n") { "\r\n" } else { "\n" };
    let line = format!("{KEY} = {quoted}{newline}");
    let original: toml::Table = toml::from_str(front).map_err(|e| e.to_string())?;
    // Before the first table (`[extra]`), where a key still belongs to the top level; the
    // result is parsed to make sure, and the top of the front matter is the fallback.
    let mut offset = 0;
    let mut before_first_table = front.len();
    for front_line in front.split_inclusive('\n') {
        if front_line.trim_start().starts_with('[') {
            before_first_table = offset;
            break;
        }
        offset += front_line.len();
    }
    for at in [before_first_table, 0] {
        let mut candidate = String::with_capacity(front.len() + line.len());
        candidate.push_str(&front[..at]);
        // A last key without a newline before the closing `+++` cannot happen (the closing
        // line starts a line), but an empty front matter has no lines at all.
        candidate.push_str(&line);
        candidate.push_str(&front[at..]);
        let Ok(mut parsed) = toml::from_str::<toml::Table>(&candidate) else {
            continue;
        };
        let added = parsed.remove(KEY);
        if added.as_ref().and_then(toml::Value::as_str) == Some(value) && parsed == original {
            let mut out = String::with_capacity(text.len() + line.len());
            out.push_str(&text[..front_start]);
            out.push_str(&candidate);
            out.push_str(&text[front_start + front.len()..]);
            return Ok(out);
        }
    }
    Err("no place in its front matter keeps the other keys as they are".into())
}

/// Writes `text` to a hidden file beside `path`, then renames it over `path`: a reader (or a
/// crash) sees the old file or the new one, never half of one. The file keeps its permissions.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        std::fs::write(&temporary, text)?;
        if let Ok(metadata) = std::fs::metadata(path) {
            std::fs::set_permissions(&temporary, metadata.permissions())?;
        }
        std::fs::rename(&temporary, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_key_is_added_before_the_first_table_and_nothing_else_moves() {
        let text = "+++\ntitle = \"Famille\"  # kept\n\n[extra]\nicon = \"x\"\n+++\nCorps\r\n";
        let marked = with_fingerprint(text, "0123456789abcdef").unwrap();
        assert_eq!(
            marked,
            "+++\ntitle = \"Famille\"  # kept\n\ntranslated_from = \"0123456789abcdef\"\n[extra]\nicon = \"x\"\n+++\nCorps\r\n"
        );
    }

    #[test]
    fn an_existing_value_is_replaced_in_place() {
        let text = "+++\ntitle = \"A\"\ntranslated_from = 'old'   # when\nweight = 2\n+++\nB\n";
        let marked = with_fingerprint(text, "ffff").unwrap();
        assert_eq!(
            marked,
            "+++\ntitle = \"A\"\ntranslated_from = \"ffff\"   # when\nweight = 2\n+++\nB\n"
        );
        // Marking again changes nothing.
        assert_eq!(with_fingerprint(&marked, "ffff").unwrap(), marked);
    }

    #[test]
    fn a_line_opening_with_a_bracket_inside_an_array_is_not_taken_for_a_table() {
        let text = "+++\ntitle = \"A\"\naliases = [\n[\"x\"][0],\n]\n+++\n";
        // Not valid TOML either way; what matters is an error, never a changed meaning.
        assert!(with_fingerprint(text, "ab").is_err());
        let text = "+++\naliases = [\n  \"old/\",\n]\ntitle = \"A\"\n+++\n";
        let marked = with_fingerprint(text, "ab").unwrap();
        assert!(
            marked.ends_with("title = \"A\"\ntranslated_from = \"ab\"\n+++\n"),
            "{marked}"
        );
    }

    #[test]
    fn crlf_front_matter_gets_a_crlf_line() {
        let text = "+++\r\ntitle = \"A\"\r\n+++\r\nB\r\n";
        let marked = with_fingerprint(text, "ab").unwrap();
        assert_eq!(
            marked,
            "+++\r\ntitle = \"A\"\r\ntranslated_from = \"ab\"\r\n+++\r\nB\r\n"
        );
    }
}
