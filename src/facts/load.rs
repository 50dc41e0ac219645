//! Reading `content/facts/`: each namespace file and the sources, with every problem reported
//! together and each fact's place in its file kept for later diagnostics.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::values::{date_from_toml, table_to_json, typed_value, FactValue};
use super::{Fact, Facts, Source};
use crate::diagnostics::{io_error, suggest, toml_error, Diagnostic, Diagnostics};
use crate::paths::{has_extension, shown_path, CONTENT_DIR, FACTS_DIR, SOURCES_FILE};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    url: Option<toml::Spanned<String>>,
    #[serde(default)]
    weight: i64,
    publisher: Option<String>,
    published: Option<toml::value::Datetime>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawSourceRef {
    Id(String),
    Inline { title: String, url: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    label: String,
    value: Option<toml::Spanned<toml::Value>>,
    items: Option<Vec<toml::Table>>,
    unit: Option<String>,
    note: Option<String>,
    source: Option<toml::Spanned<RawSourceRef>>,
    verified: Option<toml::Spanned<toml::value::Datetime>>,
    timeline: Option<bool>,
}

impl Facts {
    /// Loads `content/facts/`. A site without that folder has no facts.
    pub fn load(root: &Path) -> Result<Facts, Diagnostics> {
        let dir = root.join(CONTENT_DIR).join(FACTS_DIR);
        let mut facts = Facts::default();
        let mut diagnostics = Diagnostics::default();
        if !dir.is_dir() {
            return Ok(facts);
        }
        // Its files are each read under the rule, but listing a folder outside the site would
        // already read from outside it.
        if let Err(refused) = crate::confine::resolve_inside(root, &dir) {
            return Err(refused.diagnostic(root, &dir, "read").into());
        }
        let sources_path = dir.join(SOURCES_FILE);
        let mut source_ids = BTreeMap::new();
        if sources_path.is_file() {
            match facts.load_sources(root, &sources_path, &mut diagnostics) {
                Ok(ids) => source_ids = ids,
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(entries) => entries
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|path| has_extension(path, "toml"))
                .filter(|path| path.file_name().is_some_and(|name| name != SOURCES_FILE))
                .collect(),
            Err(error) => return Err(io_error(&dir, "list the facts folder", &error).into()),
        };
        files.sort();
        for path in files {
            if let Err(found) = facts.load_namespace(root, &path, &mut source_ids) {
                diagnostics.extend(found);
            }
        }
        diagnostics.into_result(facts)
    }

    fn load_sources(
        &mut self,
        root: &Path,
        path: &Path,
        // Problems with single sources: the others still load, so facts citing them resolve.
        diagnostics: &mut Diagnostics,
    ) -> Result<BTreeMap<String, usize>, Diagnostic> {
        let shown = shown_path(root, path);
        let text: Arc<str> = read(root, path)?;
        let raw: BTreeMap<String, RawSource> =
            toml::from_str(&text).map_err(|e| toml_error(&shown, &text, 0, &e, "sources"))?;
        let mut ids = BTreeMap::new();
        for (id, source) in raw {
            let url = match source.url {
                None => String::new(),
                Some(url) => {
                    let span = url.span();
                    let url = url.into_inner();
                    if let Some(diagnostic) = check_source_url(&shown, &text, span, &url) {
                        diagnostics.push(diagnostic);
                    }
                    url
                }
            };
            ids.insert(id.clone(), self.sources.len());
            self.sources.push(Source {
                id,
                title: source.title,
                url,
                weight: source.weight,
                publisher: source.publisher,
                published: source
                    .published
                    .as_ref()
                    .and_then(date_from_toml)
                    .map(|date| date.to_string()),
            });
        }
        self.texts.insert(shown, text);
        Ok(ids)
    }

    fn load_namespace(
        &mut self,
        root: &Path,
        path: &Path,
        source_ids: &mut BTreeMap<String, usize>,
    ) -> Result<(), Diagnostics> {
        let shown = shown_path(root, path);
        let text = read(root, path)?;
        let namespace = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default()
            .to_string();
        let raw: BTreeMap<String, toml::Spanned<RawFact>> = toml::from_str(&text)
            .map_err(|e| Diagnostics::from(toml_error(&shown, &text, 0, &e, "facts")))?;
        let mut key_spans = key_spans(&text);
        let mut diagnostics = Diagnostics::default();
        for (key, spanned) in raw {
            let keys = key_spans.remove(&key).unwrap_or_default();
            let span = spanned.span();
            let raw = spanned.into_inner();
            let name = format!("{namespace}.{key}");
            let at = |range: Range<usize>, message: String| {
                Diagnostic::at(&shown, &text, range, message)
            };
            let value = match (raw.value, raw.items) {
                (Some(value), None) => {
                    let value_span = value.span();
                    match typed_value(value.into_inner()) {
                        Ok(value) => value,
                        Err(message) => {
                            diagnostics.push(at(value_span, format!("fact `{name}`: {message}")));
                            continue;
                        }
                    }
                }
                (None, Some(items)) => {
                    for (index, item) in items.iter().enumerate() {
                        let problem = match item.get("name") {
                            Some(toml::Value::String(_)) => continue,
                            Some(_) => "has a `name` that is not text",
                            None => "has no `name`",
                        };
                        let span = record_span(&text, &key, index, item.contains_key("name"))
                            .unwrap_or_else(|| span.clone());
                        diagnostics.push(
                            at(
                                span,
                                format!(
                                    "record {} of the list fact `{name}` {problem}",
                                    index + 1
                                ),
                            )
                            .with_help(
                                "give every record `name = \"...\"`: pages list the records by their names",
                            ),
                        );
                    }
                    FactValue::Items(items.iter().map(table_to_json).collect())
                }
                (Some(value), Some(_)) => {
                    diagnostics.push(
                        at(
                            value.span(),
                            format!("fact `{name}` has both `value` and `items`"),
                        )
                        .with_help("a fact is either one value or a list of records"),
                    );
                    continue;
                }
                (None, None) => {
                    diagnostics.push(
                        at(span.clone(), format!("fact `{name}` has no `value`")).with_help(
                            "add `value = ...` (a date, number, text) or `[[...items]]`",
                        ),
                    );
                    continue;
                }
            };
            let source = match raw.source {
                None => None,
                Some(source) => {
                    let source_span = source.span();
                    match source.into_inner() {
                        RawSourceRef::Id(id) => match source_ids.get(&id) {
                            Some(index) => Some(*index),
                            None => {
                                let mut diagnostic =
                                    at(source_span, format!("unknown source `{id}`"));
                                let known = source_ids.keys().map(String::as_str);
                                diagnostic = match suggest(&id, known) {
                                    Some(near) => {
                                        diagnostic.with_help(format!("did you mean `{near}`?"))
                                    }
                                    None => diagnostic.with_help(format!(
                                        "define it in content/{FACTS_DIR}/{SOURCES_FILE}"
                                    )),
                                };
                                diagnostics.push(diagnostic);
                                None
                            }
                        },
                        RawSourceRef::Inline { title, url } => {
                            // An inline table loses its spans: find the address in its text.
                            let url_span = text
                                .get(source_span.clone())
                                .and_then(|table| table.find(&format!("\"{url}\"")))
                                .map_or(source_span.clone(), |at| {
                                    source_span.start + at..source_span.start + at + url.len() + 2
                                });
                            if let Some(diagnostic) =
                                check_source_url(&shown, &text, url_span, &url)
                            {
                                diagnostics.push(diagnostic);
                            }
                            let existing = self
                                .sources
                                .iter()
                                .position(|s| s.url == url && s.title == title);
                            Some(existing.unwrap_or_else(|| {
                                self.sources.push(Source {
                                    id: format!("{name}.source"),
                                    title,
                                    url,
                                    weight: 0,
                                    publisher: None,
                                    published: None,
                                });
                                self.sources.len() - 1
                            }))
                        }
                    }
                }
            };
            let verified = match raw.verified {
                None => None,
                Some(verified) => match date_from_toml(verified.get_ref()) {
                    Some(date) => Some(date),
                    None => {
                        diagnostics.push(at(
                            verified.span(),
                            format!("fact `{name}`: `verified` must be a date such as 2026-11-01"),
                        ));
                        None
                    }
                },
            };
            self.facts.insert(
                name.clone(),
                Fact {
                    name,
                    label: raw.label,
                    value,
                    unit: raw.unit,
                    note: raw.note,
                    source,
                    verified,
                    on_timeline: raw.timeline.unwrap_or(true),
                    file: shown.clone(),
                    span,
                    keys,
                },
            );
        }
        self.texts.insert(shown, text);
        diagnostics.into_result(())
    }
}

/// For each fact of a facts file, where each of its keys is: from the key to the end of its
/// value (`verified = 2026-11-01`). The file has already been read once, typed: this second,
/// untyped reading keeps the places that typed reading cannot.
fn key_spans(text: &str) -> BTreeMap<String, BTreeMap<String, Range<usize>>> {
    let Ok(document) = toml::de::DeTable::parse(text) else {
        return BTreeMap::new();
    };
    let mut facts = BTreeMap::new();
    for (name, table) in document.get_ref() {
        let Some(table) = table.get_ref().as_table() else {
            continue;
        };
        let keys = table
            .iter()
            .map(|(key, value)| {
                let (key_span, value_span) = (key.span(), value.span());
                // A `[[fact.items]]` header sits apart from its key: the key alone is the place.
                let end = if value_span.start >= key_span.end {
                    value_span.end
                } else {
                    key_span.end
                };
                (key.get_ref().to_string(), key_span.start..end)
            })
            .collect();
        facts.insert(name.get_ref().to_string(), keys);
    }
    facts
}

fn read(root: &Path, path: &Path) -> Result<Arc<str>, Diagnostic> {
    crate::confine::read_text(root, path, "read")
}

/// Where record `index` of the list fact `key` is written as a `[[key.items]]` table: its
/// `name` value when it has one, else its header.
fn record_span(text: &str, key: &str, index: usize, at_name: bool) -> Option<Range<usize>> {
    let header = format!("[[{key}.items]]");
    let start = text
        .match_indices(&header)
        .map(|(at, _)| at)
        .filter(|&at| at == 0 || text[..at].ends_with('\n'))
        .nth(index)?;
    let header_span = start..start + header.len();
    if !at_name {
        return Some(header_span);
    }
    let body_start = header_span.end;
    let body_end = text[body_start..]
        .find("\n[")
        .map_or(text.len(), |i| body_start + i);
    let mut offset = body_start;
    for line in text[body_start..body_end].split_inclusive('\n') {
        let Some(after_key) = line.trim_start().strip_prefix("name") else {
            offset += line.len();
            continue;
        };
        let Some(value) = after_key.trim_start().strip_prefix('=') else {
            offset += line.len();
            continue;
        };
        let value = value.trim();
        let value_start = offset + line.find(value).unwrap_or(0);
        return Some(value_start..value_start + value.len());
    }
    Some(header_span)
}

/// A source's address must be a web page or a path within the site: anything else (a
/// `javascript:` or `data:` URL above all) would become a live link on every page citing it.
fn check_source_url(
    shown: &Path,
    text: &Arc<str>,
    span: Range<usize>,
    url: &str,
) -> Option<Diagnostic> {
    if crate::urls::is_web_or_relative(url) {
        return None;
    }
    let scheme = crate::urls::scheme(url).unwrap_or_default();
    let shown_url = url.escape_debug();
    Some(
        Diagnostic::at(
            shown,
            text,
            span,
            format!(
                "source url `{shown_url}` is a `{scheme}:` URL: sources link only to web pages"
            ),
        )
        .with_help(
            "write an `https://` address, or a path within the site such as `/docs/rules.pdf`",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Facts {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CONTENT_DIR).join(FACTS_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(SOURCES_FILE), "[gov]\ntitle = \"Gov\"\n").unwrap();
        std::fs::write(dir.join("h1b.toml"), text).unwrap();
        Facts::load(root.path()).unwrap_or_else(|found| panic!("{found:?}"))
    }

    /// The byte range of the one place `needle` occurs in `text`.
    fn place(text: &str, needle: &str) -> Range<usize> {
        assert_eq!(text.matches(needle).count(), 1, "{needle}");
        let start = text.find(needle).unwrap();
        start..start + needle.len()
    }

    #[test]
    fn facts_keep_the_spans_of_their_header_and_keys() {
        // The second fact's keys also appear, as text, in the first fact's note and label.
        let text = "[start]\nlabel = \"verified = soon\"\nvalue = 2023-07-16\nnote = \"source = gov\"\n\n[cap]\nlabel = \"Cap\"\nvalue  =  10_000\nsource = \"gov\"\nverified = 2026-11-01 # checked\n";
        let facts = load(text);
        let cap = facts.get("h1b.cap").unwrap();
        assert_eq!(cap.span, place(text, "[cap]"));
        assert_eq!(cap.key_span("value"), Some(place(text, "value  =  10_000")));
        assert_eq!(
            cap.key_span("source"),
            Some(place(text, "source = \"gov\""))
        );
        assert_eq!(
            cap.key_span("verified"),
            Some(place(text, "verified = 2026-11-01"))
        );
        assert_eq!(cap.key_span("note"), None);
        let start = facts.get("h1b.start").unwrap();
        assert_eq!(start.span, place(text, "[start]"));
        assert_eq!(
            start.key_span("note"),
            Some(place(text, "note = \"source = gov\""))
        );
    }

    #[test]
    fn an_inline_fact_keeps_its_keys_spans() {
        let text = "cap = { label = \"Cap\", value = 5 }\n";
        let facts = load(text);
        let cap = facts.get("h1b.cap").unwrap();
        assert_eq!(cap.key_span("value"), Some(place(text, "value = 5")));
        assert_eq!(cap.key_span("label"), Some(place(text, "label = \"Cap\"")));
    }
}
