//! Reading `content/facts/`: each namespace file and the sources, with every problem reported
//! together and each fact's place in its file kept for later diagnostics.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use guide_rules::Translatable;
use serde::Deserialize;

use super::dated::{dated_entries, fact_entry_places, DatedField, RawChange, Record};
use super::values::{date_from_toml, table_to_json, typed_value, FactValue};
use super::{DisplayCache, Fact, Facts, Source};
use crate::diagnostics::{io_error, suggest, toml_error, Diagnostic, Diagnostics};
use crate::paths::{has_extension, shown_path, CONTENT_DIR, FACTS_DIR, SOURCES_FILE};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: toml::Spanned<Translatable>,
    url: Option<toml::Spanned<Translatable>>,
    #[serde(default)]
    weight: i64,
    publisher: Option<toml::Spanned<Translatable>>,
    published: Option<toml::value::Datetime>,
    /// The languages it is published in, where it is not in every language of the site.
    languages: Option<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawSourceRef {
    Id(String),
    Inline { title: String, url: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFact {
    label: Translatable,
    value: Option<toml::Spanned<toml::Value>>,
    items: Option<Vec<toml::Table>>,
    /// A point table: its column names, and its rows (see `guide_rules::Table::from_rows`).
    columns: Option<Vec<String>>,
    rows: Option<Vec<toml::Spanned<toml::Table>>>,
    /// A table's headings as pages show it: `key` for the rows' keys, and one per column.
    headers: Option<toml::Spanned<BTreeMap<String, Translatable>>>,
    unit: Option<toml::Spanned<String>>,
    /// The format the value is shown in when a page names none (`plain` for a year).
    format: Option<toml::Spanned<String>>,
    note: Option<Translatable>,
    source: Option<toml::Spanned<RawSourceRef>>,
    verified: Option<toml::Spanned<toml::value::Datetime>>,
    timeline: Option<bool>,
    values: Option<Vec<toml::Spanned<RawChange>>>,
}

impl Facts {
    /// Loads `content/facts/` for a site whose default language is English.
    pub fn load(root: &Path) -> Result<Facts, Diagnostics> {
        Facts::load_in(root, "en")
    }

    /// Loads `content/facts/`, for a site whose default language is `default_language` (the
    /// one a text written per language must give). A site without that folder has no facts.
    pub fn load_in(root: &Path, default_language: &str) -> Result<Facts, Diagnostics> {
        let dir = root.join(CONTENT_DIR).join(FACTS_DIR);
        let mut facts = Facts {
            default_language: default_language.to_string(),
            ..Facts::default()
        };
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
                .filter(|path| {
                    // Facts files are read from the folder itself: one below it would be lost
                    // without a word.
                    let folder = path.is_dir() && !crate::paths::is_hidden_or_temporary(path);
                    if folder {
                        diagnostics.push(
                            Diagnostic::new(
                                shown_path(root, path),
                                "a folder inside content/facts/ is not read",
                            )
                            .with_help("move its files into content/facts/: each file is a namespace of facts"),
                        );
                    }
                    !folder
                })
                .filter(|path| has_extension(path, "toml"))
                .filter(|path| path.file_name().is_some_and(|name| name != SOURCES_FILE))
                .collect(),
            Err(error) => return Err(io_error(&dir, "list the facts folder", &error).into()),
        };
        files.sort();
        let mut dated_fields = Vec::new();
        for path in files {
            if let Err(found) =
                facts.load_namespace(root, &path, &mut source_ids, &mut dated_fields)
            {
                diagnostics.extend(found);
            }
        }
        facts.guide_date = facts
            .facts
            .values()
            .flat_map(|fact| {
                let changes = fact.changes.iter().filter_map(|change| change.verified);
                fact.verified.into_iter().chain(changes)
            })
            .max();
        for (name, fields) in dated_fields {
            facts.resolve_dated_fields(&name, fields);
        }
        // Anything shown while the facts were still being read is shown again.
        facts.displayed = DisplayCache::default();
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
            let (url, url_written_at) = match source.url {
                None => (Translatable::Plain(String::new()), None),
                Some(url) => {
                    let span = url.span();
                    let url = url.into_inner();
                    // A per-language address is a table: the problem is somewhere inside it.
                    for (_, address) in url.iter("") {
                        if let Some(diagnostic) =
                            check_source_url(&shown, &text, span.clone(), address)
                        {
                            diagnostics.push(diagnostic);
                        }
                    }
                    (url, Some((shown.clone(), span)))
                }
            };
            let title_span = source.title.span();
            ids.insert(id.clone(), self.sources.len());
            self.sources.push(Source {
                id,
                title: source.title.into_inner(),
                url,
                weight: source.weight,
                url_written_at,
                title_written_at: Some((shown.clone(), title_span)),
                publisher_written_at: source
                    .publisher
                    .as_ref()
                    .map(|publisher| (shown.clone(), publisher.span())),
                publisher: source.publisher.map(toml::Spanned::into_inner),
                languages: source.languages,
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
        // The dated fields of list records, by fact: resolved once the guide's date is known.
        dated_fields: &mut Vec<(String, Vec<DatedField>)>,
    ) -> Result<(), Diagnostics> {
        let shown = shown_path(root, path);
        let text = read(root, path)?;
        let namespace = path
            .file_stem()
            .and_then(|stem| stem.to_str())
            .unwrap_or_default()
            .to_string();
        if !is_fact_name(&namespace) {
            return Err(Diagnostic::new(
                &shown,
                format!("`{namespace}` cannot name facts: a facts file's name is the first part of its facts' names (`{namespace}.NAME`)"),
            )
            .with_help(NAME_HELP)
            .into());
        }
        let raw: BTreeMap<String, toml::Spanned<RawFact>> = toml::from_str(&text)
            .map_err(|e| Diagnostics::from(toml_error(&shown, &text, 0, &e, "facts")))?;
        // The file has already been read once, typed: this second, untyped reading keeps the
        // places that typed reading cannot.
        let document = toml::de::DeTable::parse(&text).ok();
        let document = document.as_ref().map(|document| document.get_ref());
        let mut key_spans = key_spans(document);
        let mut diagnostics = Diagnostics::default();
        for (key, spanned) in raw {
            let keys = key_spans.remove(&key).unwrap_or_default();
            let span = spanned.span();
            let mut raw = spanned.into_inner();
            let name = format!("{namespace}.{key}");
            let at = |range: Range<usize>, message: String| {
                Diagnostic::at(&shown, &text, range, message)
            };
            if !is_fact_name(&key) {
                // The header as written, quoted as TOML needs such a key to be.
                let header = text
                    .find(&format!("[\"{key}\"]"))
                    .or_else(|| text.find(&format!("['{key}']")));
                let place = header.map_or(span.clone(), |start| start..start + key.len() + 4);
                diagnostics
                    .push(at(place, format!("`{key}` cannot name a fact")).with_help(NAME_HELP));
                continue;
            }
            let mut value_span = span.clone();
            let value = match (raw.value, raw.items) {
                (None, None) if raw.rows.is_some() => {
                    let rows = raw.rows.take().unwrap_or_default();
                    match table_value(raw.columns.take(), &rows) {
                        Ok(table) => table,
                        Err((row, message)) => {
                            let place = row.map_or(span.clone(), |row| rows[row].span());
                            diagnostics.push(at(place, format!("fact `{name}`: {message}")));
                            continue;
                        }
                    }
                }
                (_, _) if raw.rows.is_some() => {
                    diagnostics.push(
                        at(
                            span.clone(),
                            format!("fact `{name}` has `rows` and a `value` or `items`"),
                        )
                        .with_help("a fact is one value, a list of records or a table"),
                    );
                    continue;
                }
                (Some(value), None) => {
                    value_span = value.span();
                    match typed_value(value.into_inner(), &self.default_language) {
                        Ok(value) => value,
                        Err(message) => {
                            diagnostics.push(at(value_span, format!("fact `{name}`: {message}")));
                            continue;
                        }
                    }
                }
                (None, Some(items)) => {
                    let places = fact_entry_places(document, &key, "items");
                    for (index, item) in items.iter().enumerate() {
                        let problem = match item.get("name") {
                            Some(toml::Value::String(_)) => continue,
                            // A name per language: `name = { en = "Montreal", fr = "Montréal" }`.
                            Some(name @ toml::Value::Table(_))
                                if name.clone().try_into::<Translatable>().is_ok() =>
                            {
                                continue
                            }
                            Some(_) => "has a `name` that is not text",
                            None => "has no `name`",
                        };
                        let span = places
                            .get(index)
                            .map_or(span.clone(), |place| place.at_value_or_entry("name"));
                        diagnostics.push(
                            at(
                                span,
                                format!(
                                    "record {} of the list fact `{name}` {problem}",
                                    index + 1
                                ),
                            )
                            .with_help(
                                "give every record `name = \"...\"` (or `name = { en = \"...\", fr = \"...\" }`): pages list the records by their names",
                            ),
                        );
                    }
                    if raw.values.is_some() {
                        let values_span = keys.get("values").cloned().unwrap_or(span.clone());
                        diagnostics.push(
                            at(values_span, format!("the list fact `{name}` cannot have dated `values`"))
                                .with_help("date a field of its records instead: `status = [{ value = \"announced\" }, { from = 2023-07-16, value = \"open\" }]`"),
                        );
                    }
                    let mut fields = Vec::new();
                    for (index, item) in items.iter().enumerate() {
                        let record = Record {
                            fact: &name,
                            key: &key,
                            index,
                            span: span.clone(),
                        };
                        for (field, field_value) in item {
                            let Some(entries) = dated_entries(field_value) else {
                                continue;
                            };
                            if let Some(dated) = self.load_dated_field(
                                &record,
                                item,
                                field,
                                entries,
                                document,
                                source_ids,
                                (&shown, &text),
                                &mut diagnostics,
                            ) {
                                fields.push(dated);
                            }
                        }
                    }
                    if !fields.is_empty() {
                        dated_fields.push((name.clone(), fields));
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
            let source = raw.source.and_then(|source| {
                let inline_id = format!("{name}.source");
                self.resolve_source(
                    source,
                    inline_id,
                    source_ids,
                    (&shown, &text),
                    &mut diagnostics,
                )
            });
            let changes = match raw.values {
                Some(raw_changes) if !matches!(value, FactValue::Items(_)) => {
                    let fact_value = (&value, value_span);
                    let places = fact_entry_places(document, &key, "values");
                    self.load_changes(
                        &name,
                        fact_value,
                        raw_changes,
                        &places,
                        source_ids,
                        (&shown, &text),
                        &mut diagnostics,
                    )
                }
                _ => Vec::new(),
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
            let headers = match (raw.headers, &value) {
                (None, _) => BTreeMap::new(),
                (Some(headers), FactValue::Table(table)) => {
                    let written = headers.span();
                    let headers = headers.into_inner();
                    if let Some(unknown) = headers
                        .keys()
                        .find(|heading| *heading != "key" && !table.columns.contains(heading))
                    {
                        diagnostics.push(
                            at(
                                written,
                                format!("fact `{name}`: `headers` names `{unknown}`, which is not a column"),
                            )
                            .with_help(format!(
                                "give a heading to `key` (the rows' keys) or to a column: {}",
                                table.columns.join(", ")
                            )),
                        );
                    }
                    headers
                }
                (Some(headers), _) => {
                    diagnostics.push(
                        at(
                            headers.span(),
                            format!("fact `{name}` has `headers` but is not a table"),
                        )
                        .with_help(
                            "`headers` names the columns of a fact with `columns` and `rows`",
                        ),
                    );
                    BTreeMap::new()
                }
            };
            let unit = raw.unit.map(|unit| {
                if let Some(diagnostic) = unknown_unit(&name, &unit) {
                    diagnostics.push(at(unit.span(), diagnostic.0).with_help(diagnostic.1));
                }
                unit.into_inner()
            });
            // Checked against the first value: later ones are of the same kind.
            let format = raw.format.and_then(|format| {
                let shown =
                    super::values::display(&value, unit.as_deref(), Some(format.get_ref()), "en");
                match shown {
                    Ok(_) => Some(format.into_inner()),
                    Err(problem) => {
                        diagnostics.push(at(format.span(), format!("fact `{name}`: {problem}")).with_help(
                            "`format` names the format pages show the value in when they name none; \
                             remove it to keep the value's own",
                        ));
                        None
                    }
                }
            });
            self.facts.insert(
                name.clone(),
                Fact {
                    name,
                    label: raw.label,
                    value,
                    changes,
                    unit,
                    format,
                    note: raw.note,
                    source,
                    verified,
                    on_timeline: raw.timeline.unwrap_or(true),
                    headers,
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

/// The message and help for a fact's unit that is not one of the known units
/// (`crate::format::unit_names`), or `None` for a known one.
fn unknown_unit(name: &str, unit: &toml::Spanned<String>) -> Option<(String, String)> {
    let written = unit.get_ref();
    if crate::format::is_known_unit(written) {
        return None;
    }
    let message = format!("fact `{name}`: unknown unit `{written}`");
    let known = crate::format::unit_names().collect::<Vec<_>>().join(", ");
    let help = match written.trim() {
        "%" => "write `unit = \"percent\"`, with the value as a fraction: 0.051 is shown as 5.1%"
            .to_string(),
        "$" => {
            "write the currency's code: `unit = \"CAD\"` ($5,000) or `unit = \"USD\"` (US$5,000)"
                .to_string()
        }
        trimmed => {
            let lower = trimmed.to_lowercase();
            let nearest = crate::format::unit_names()
                .find(|known| known.to_lowercase() == lower)
                .or_else(|| suggest(trimmed, crate::format::unit_names()))
                .or_else(|| suggest(&lower, crate::format::unit_names()));
            match nearest {
                Some(near) => format!("did you mean `{near}`? The units are {known}"),
                None => format!("the units are {known}"),
            }
        }
    };
    Some((message, help))
}

/// A facts file's shown path and text, for diagnostics.
pub(super) type FileText<'a> = (&'a Path, &'a Arc<str>);

impl Facts {
    /// The index of the source a fact or a change cites, registering an inline
    /// `{ title, url }` source as `inline_id`; `None`, with a diagnostic, for an unknown id.
    pub(super) fn resolve_source(
        &mut self,
        source: toml::Spanned<RawSourceRef>,
        inline_id: String,
        source_ids: &BTreeMap<String, usize>,
        (shown, text): FileText,
        diagnostics: &mut Diagnostics,
    ) -> Option<usize> {
        let source_span = source.span();
        match source.into_inner() {
            RawSourceRef::Id(id) => match source_ids.get(&id) {
                Some(index) => Some(*index),
                None => {
                    let diagnostic =
                        Diagnostic::at(shown, text, source_span, format!("unknown source `{id}`"));
                    let known = source_ids.keys().map(String::as_str);
                    diagnostics.push(match suggest(&id, known) {
                        Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                        None => diagnostic
                            .with_help(format!("define it in content/{FACTS_DIR}/{SOURCES_FILE}")),
                    });
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
                if let Some(diagnostic) = check_source_url(shown, text, url_span.clone(), &url) {
                    diagnostics.push(diagnostic);
                }
                let existing = self.sources.iter().position(|s| {
                    s.url == Translatable::Plain(url.clone())
                        && s.title == Translatable::Plain(title.clone())
                });
                Some(existing.unwrap_or_else(|| {
                    self.sources.push(Source {
                        id: inline_id,
                        title: title.into(),
                        url: url.into(),
                        weight: 0,
                        publisher: None,
                        published: None,
                        languages: None,
                        url_written_at: Some((shown.to_path_buf(), url_span)),
                        title_written_at: None,
                        publisher_written_at: None,
                    });
                    self.sources.len() - 1
                }))
            }
        }
    }
}

/// What a namespace or a fact's name may be: `facts.NAME.KEY` in a template and
/// `{{ fact(NAME.KEY) }}` in a page read each part as an identifier.
fn is_fact_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

const NAME_HELP: &str =
    "name facts files and facts with letters, digits and `_`, not starting with a digit, such as `h1b` or `opened_on`";

/// For each fact of a facts file, where each of its keys is: from the key to the end of its
/// value (`verified = 2026-11-01`).
fn key_spans(
    document: Option<&toml::de::DeTable>,
) -> BTreeMap<String, BTreeMap<String, Range<usize>>> {
    let Some(document) = document else {
        return BTreeMap::new();
    };
    let mut facts = BTreeMap::new();
    for (name, table) in document {
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

/// A source's address must be a web page or a path within the site: anything else (a
/// `javascript:` or `data:` URL above all) would become a live link on every page citing it.
fn check_source_url(
    shown: &Path,
    text: &Arc<str>,
    span: Range<usize>,
    url: &str,
) -> Option<Diagnostic> {
    let shown_url = url.escape_debug();
    let Some(scheme) = crate::urls::scheme(url) else {
        // A page reads a relative address against its own URL, and `//host` against the
        // page's scheme (nothing at all from disk): only a path from the site's root is
        // reached alike from every page that cites the source.
        let cause = if url.is_empty() {
            return None;
        } else if let Some(path) = crate::urls::site_path(url) {
            if !crate::urls::climbs_above(path) {
                return None;
            }
            "climbs out of the site with `..`"
        } else if url.starts_with('/') {
            "names another host without a scheme"
        } else {
            "is relative to each page that cites it"
        };
        return Some(
            Diagnostic::at(shown, text, span, format!("source url `{shown_url}` {cause}"))
                .with_help(
                    "write a path from the site's root, such as `/docs/rules.pdf`, or an `https://` address",
                ),
        );
    };
    if scheme == "http" || scheme == "https" {
        return None;
    }
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

/// A table fact: `columns = [...]` and `rows = [...]`, checked as the rules compiler reads
/// tables. The error names the row (by index) when one is at fault.
fn table_value(
    columns: Option<Vec<String>>,
    rows: &[toml::Spanned<toml::Table>],
) -> Result<FactValue, (Option<usize>, String)> {
    let Some(columns) = columns.filter(|columns| !columns.is_empty()) else {
        return Err((
            None,
            "a table needs `columns = [\"...\"]`, the names of its columns".to_string(),
        ));
    };
    let rows: Vec<toml::Table> = rows.iter().map(|row| row.get_ref().clone()).collect();
    guide_rules::Table::from_rows(columns, &rows)
        .map(FactValue::Table)
        .map_err(|(row, message)| (Some(row).filter(|row| *row < rows.len()), message))
}

#[cfg(test)]
mod tests {
    use guide_rules::Date;

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
    fn a_fact_shown_again_reads_the_same_and_no_format_is_not_an_empty_one() {
        let facts = load("[start]\nlabel = \"Start\"\nvalue = 2023-07-16\n");
        let start = facts.get("h1b.start").unwrap();
        let first = facts.display_in(start, None, "en");
        assert_eq!(first, Ok("July 16, 2023".to_string()));
        // Shown from what was remembered: the same text, and the same for a clone.
        assert_eq!(facts.display_in(start, None, "en"), first);
        assert_eq!(facts.clone().display_in(start, None, "en"), first);
        assert_eq!(
            facts.display_in(start, None, "fr"),
            Ok("16 juillet 2023".to_string())
        );
        // An empty format is asked for, not the fact's own: it is refused, remembered or not.
        let empty = facts.display_in(start, Some(""), "en");
        assert!(empty.is_err(), "{empty:?}");
        assert_eq!(facts.display_in(start, Some(""), "en"), empty);
        assert_eq!(facts.display_in(start, None, "en"), first);
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
    fn dated_values_load_in_both_forms_with_their_sources_and_spans() {
        let text = "[points]\nlabel = \"Points\"\nvalue = 50\nsource = \"gov\"\n\n[[points.values]]\nfrom = 2025-03-25\nvalue = 0\nnote = \"Removed.\"\nverified = 2026-01-02\n\n[[points.values]]\nfrom = 2027-01-01\nvalue = 25\nsource = { title = \"News\", url = \"https://e.org\" }\n\n[status]\nlabel = \"Status\"\nvalue = \"announced\"\nvalues = [{ from = 2023-07-16, value = \"open\" }]\n";
        let facts = load(text);
        let points = facts.get("h1b.points").unwrap();
        assert_eq!(points.value, FactValue::Integer(50));
        let [removed, restored] = points.changes.as_slice() else {
            panic!("{:?}", points.changes);
        };
        assert_eq!(removed.from, Date::from_ymd(2025, 3, 25).unwrap());
        assert_eq!(removed.value, FactValue::Integer(0));
        assert_eq!(removed.note, Some("Removed.".into()));
        assert_eq!(removed.source, None);
        assert_eq!(removed.verified, Date::from_ymd(2026, 1, 2));
        assert_eq!(removed.keys["from"], place(text, "from = 2025-03-25"));
        assert_eq!(
            removed.keys["verified"],
            place(text, "verified = 2026-01-02")
        );
        assert_eq!(restored.value, FactValue::Integer(25));
        let source = &facts.sources[restored.source.unwrap()];
        assert_eq!(
            (source.title.any(), source.url.any()),
            ("News", "https://e.org")
        );

        let status = facts.get("h1b.status").unwrap();
        assert_eq!(status.changes.len(), 1);
        assert_eq!(status.changes[0].value, FactValue::Text("open".into()));
        assert_eq!(
            status.changes[0].keys["value"],
            place(text, "value = \"open\"")
        );
    }

    #[test]
    fn the_guides_date_is_the_latest_verified_date_of_a_fact_or_a_change() {
        let facts = load("[a]\nlabel = \"A\"\nvalue = 1\nverified = 2026-01-01\n\n[b]\nlabel = \"B\"\nvalue = 1\nverified = 2025-01-01\n[[b.values]]\nfrom = 2025-06-01\nvalue = 2\nverified = 2026-02-03\n");
        assert_eq!(facts.guide_date(), Date::from_ymd(2026, 2, 3));
        assert_eq!(load("[a]\nlabel = \"A\"\nvalue = 1\n").guide_date(), None);
    }

    /// The line and column of each problem `text` has as a facts file.
    fn problem_places(text: &str) -> Vec<(String, (usize, usize))> {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CONTENT_DIR).join(FACTS_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("h1b.toml"), text).unwrap();
        let Err(found) = Facts::load(root.path()) else {
            panic!("{text} loaded without a problem");
        };
        found
            .iter()
            .map(|d| (d.message.clone(), d.line_column().unwrap()))
            .collect()
    }

    #[test]
    fn a_records_problem_is_at_the_record_though_its_header_and_key_appear_earlier_as_text() {
        // A note quoting, at the start of its lines, a record's header and a `name`, both
        // before the real ones.
        let text = "[intro]\nlabel = \"Intro\"\nvalue = 1\nnote = \"\"\"\n[[forms.items]]\nname = \"quoted\"\n\"\"\"\n\n[forms]\nlabel = \"Forms\"\n\n[[forms.items]]\nnote = \"\"\"\nname = \"also quoted\"\n\"\"\"\nname = 5\n\n[[forms.items]]\nurl = \"https://e.org\"\n";
        assert_eq!(
            problem_places(text),
            [
                (
                    "record 1 of the list fact `h1b.forms` has a `name` that is not text".into(),
                    (16, 8)
                ),
                (
                    "record 2 of the list fact `h1b.forms` has no `name`".into(),
                    (18, 1)
                ),
            ]
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

    /// Each problem's message, line and column and help, for `text` as the facts file `h1b`.
    fn problems_with_help(text: &str) -> Vec<(String, (usize, usize), String)> {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CONTENT_DIR).join(FACTS_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("h1b.toml"), text).unwrap();
        let Err(found) = Facts::load(root.path()) else {
            panic!("{text} loaded without a problem");
        };
        found
            .iter()
            .map(|d| {
                let help = d.help.clone().unwrap_or_default();
                (d.message.clone(), d.line_column().unwrap(), help)
            })
            .collect()
    }

    #[test]
    fn a_fact_s_own_format_is_the_one_it_is_shown_in_unless_another_is_named() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CONTENT_DIR).join(FACTS_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("h1b.toml"),
            "[last_year]\nlabel = \"Year\"\nvalue = 2024\nformat = \"plain\"\n\n\
             [cap]\nlabel = \"Cap\"\nvalue = 10000\n",
        )
        .unwrap();
        let facts = Facts::load(root.path()).unwrap_or_else(|e| panic!("{}", e.render()));
        let year = facts.get("h1b.last_year").unwrap();
        assert_eq!(facts.display_in(year, None, "en").as_deref(), Ok("2024"));
        assert_eq!(facts.display_in(year, None, "fr").as_deref(), Ok("2024"));
        assert_eq!(
            facts.display_in(year, Some("long"), "en").as_deref(),
            Ok("2,024")
        );
        let cap = facts.get("h1b.cap").unwrap();
        assert_eq!(facts.display_in(cap, None, "en").as_deref(), Ok("10,000"));
    }

    #[test]
    fn a_fact_s_own_format_that_its_value_has_not_is_an_error_at_the_format() {
        let found =
            problems_with_help("[year]\nlabel = \"Year\"\nvalue = 2024\nformat = \"iso\"\n");
        assert_eq!(found.len(), 1, "{found:?}");
        let (message, place, help) = &found[0];
        assert_eq!(
            message,
            "fact `h1b.year`: unknown format \"iso\" for this fact (formats: long, plain)"
        );
        assert_eq!(*place, (4, 10));
        assert!(help.contains("`format`"), "{help}");
    }

    #[test]
    fn a_unit_outside_the_list_is_an_error_at_the_unit_naming_the_nearest() {
        let found = problems_with_help("[share]\nlabel = \"Share\"\nvalue = 0.051\nunit = \"%\"\n");
        assert_eq!(found.len(), 1, "{found:?}");
        let (message, place, help) = &found[0];
        assert_eq!(message, "fact `h1b.share`: unknown unit `%`");
        assert_eq!(*place, (4, 8));
        assert!(help.contains("`unit = \"percent\"`"), "{help}");
        assert!(help.contains("0.051 is shown as 5.1%"), "{help}");

        let near = |unit: &str| {
            let text = format!("[x]\nlabel = \"X\"\nvalue = 3\nunit = \"{unit}\"\n");
            let found = problems_with_help(&text);
            assert_eq!(found[0].0, format!("fact `h1b.x`: unknown unit `{unit}`"));
            found[0].2.clone()
        };
        assert!(
            near("yeras").starts_with("did you mean `years`?"),
            "{}",
            near("yeras")
        );
        assert!(near("Months").starts_with("did you mean `months`?"));
        assert!(near("usd").starts_with("did you mean `USD`?"));
        assert!(near("$").contains("`unit = \"CAD\"`"));
        let far = near("furlongs");
        assert!(
            far.starts_with("the units are percent, CAD, USD, EUR, years"),
            "{far}"
        );

        // Known units, singular or plural, load.
        let facts = load("[a]\nlabel = \"A\"\nvalue = 1\nunit = \"year\"\n\n[b]\nlabel = \"B\"\nvalue = 1.2\nunit = \"million people\"\n");
        assert_eq!(
            facts.display(facts.get("h1b.a").unwrap(), None).unwrap(),
            "1 year"
        );
        assert_eq!(
            facts.display(facts.get("h1b.b").unwrap(), None).unwrap(),
            "1.2 million people"
        );
    }
}
