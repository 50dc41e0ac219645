//! Facts whose value changes on dates: a fact's `[[name.values]]` (each a value from a date
//! on) and a list record's dated fields (`status = [{ value = "announced" }, { from =
//! 2023-07-16, value = "open" }]`), read and checked here; `load` calls in for each fact.

use std::collections::BTreeMap;
use std::ops::Range;

use guide_rules::{Date, Translatable};
use serde::Deserialize;

use super::load::{FileText, RawSourceRef};
use super::values::{date_from_toml, typed_value, FactValue};
use super::{FactChange, Facts};
use crate::diagnostics::{Diagnostic, Diagnostics};

/// One `[[name.values]]` table: a value the fact takes from a date on.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChange {
    from: toml::Spanned<toml::value::Datetime>,
    value: toml::Spanned<toml::Value>,
    source: Option<toml::Spanned<RawSourceRef>>,
    note: Option<Translatable>,
    verified: Option<toml::Spanned<toml::value::Datetime>>,
}

/// The keys an entry of a record's dated field may have.
const DATED_FIELD_KEYS: [&str; 4] = ["from", "value", "source", "note"];

/// A field of a list record written as dated values:
/// `status = [{ value = "announced" }, { from = 2023-07-16, value = "open" }]`.
pub(super) struct DatedField {
    /// The record's index in its list.
    pub record: usize,
    pub field: String,
    /// In date order; only the first may have no `from` (it held before the first date).
    pub values: Vec<DatedFieldValue>,
}

pub(super) struct DatedFieldValue {
    pub from: Option<Date>,
    pub value: FactValue,
    pub source: Option<usize>,
    pub note: Option<String>,
}

/// Where an entry of a table or array is in its file, and each of its keys and values.
#[derive(Default)]
pub(super) struct EntryPlaces {
    span: Range<usize>,
    /// Each key's own span and its value's.
    keys: BTreeMap<String, (Range<usize>, Range<usize>)>,
}

impl EntryPlaces {
    /// Where a record is, for a problem with its `key`: that key's value when it has the key,
    /// else the record itself (its `[[...]]` header, or its inline table).
    pub(super) fn at_value_or_entry(&self, key: &str) -> Range<usize> {
        self.value(key).unwrap_or(self.span.clone())
    }

    fn value(&self, key: &str) -> Option<Range<usize>> {
        self.keys.get(key).map(|(_, value)| value.clone())
    }

    fn key(&self, key: &str) -> Option<Range<usize>> {
        self.keys.get(key).map(|(key, _)| key.clone())
    }

    /// From each key to the end of its value, as [`Fact::keys`] holds them.
    fn key_to_value_end(&self) -> BTreeMap<String, Range<usize>> {
        self.keys
            .iter()
            .map(|(name, (key, value))| (name.clone(), key.start..value.end.max(key.end)))
            .collect()
    }
}

impl Facts {
    /// A fact's `[[name.values]]`: each a plain date after the one before, of the fact's own
    /// kind of value, citing a known source. A change with a problem is left out.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn load_changes(
        &mut self,
        name: &str,
        (fact_value, fact_value_span): (&FactValue, Range<usize>),
        raw_changes: Vec<toml::Spanned<RawChange>>,
        places: &[EntryPlaces],
        source_ids: &BTreeMap<String, usize>,
        file: FileText,
        diagnostics: &mut Diagnostics,
    ) -> Vec<FactChange> {
        let (shown, text) = file;
        let at = |range: Range<usize>, message: String| Diagnostic::at(shown, text, range, message);
        let mut changes: Vec<FactChange> = Vec::new();
        for (index, raw) in raw_changes.into_iter().enumerate() {
            let span = raw.span();
            let raw = raw.into_inner();
            let from_span = raw.from.span();
            let Some(from) = date_from_toml(raw.from.get_ref()) else {
                diagnostics.push(at(
                    from_span,
                    format!("fact `{name}`: `from` must be a date such as 2025-03-25"),
                ));
                continue;
            };
            if let Some(previous) = changes.last().filter(|previous| previous.from >= from) {
                diagnostics.push(
                    at(
                        from_span,
                        format!(
                            "fact `{name}`: the change from {from} does not follow the one before it (from {})",
                            previous.from
                        ),
                    )
                    .with_label(previous.keys.get("from").cloned().unwrap_or(previous.span.clone()), "the change before it")
                    .with_help("list a fact's dated values in date order, each from a later day"),
                );
                continue;
            }
            let value_span = raw.value.span();
            let value = match typed_value(raw.value.into_inner(), &self.default_language) {
                Ok(value) => value,
                Err(_) => {
                    diagnostics.push(at(
                        value_span,
                        format!("fact `{name}`: the value from {from} is not one date, number, text or boolean"),
                    ));
                    continue;
                }
            };
            if value.kind() != fact_value.kind() {
                diagnostics.push(
                    at(
                        value_span,
                        format!(
                            "fact `{name}`: the value from {from} is {}, but the fact's `value` is {}",
                            value.kind_in_words(),
                            fact_value.kind_in_words()
                        ),
                    )
                    .with_label(fact_value_span.clone(), "the fact's value")
                    .with_help("a fact keeps one kind of value: write each dated value like its first"),
                );
                continue;
            }
            let source = raw.source.and_then(|source| {
                let inline_id = format!("{name}.values.{from}.source");
                self.resolve_source(source, inline_id, source_ids, file, diagnostics)
            });
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
            let keys = places
                .get(index)
                .map(EntryPlaces::key_to_value_end)
                .unwrap_or_default();
            changes.push(FactChange {
                from,
                value,
                source,
                note: raw.note,
                verified,
                span,
                keys,
            });
        }
        changes
    }

    /// One record field written as dated values. `None`, with diagnostics, when any entry has
    /// a problem.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn load_dated_field(
        &mut self,
        record: &Record,
        item: &toml::Table,
        field: &str,
        entries: &[toml::Value],
        document: Option<&toml::de::DeTable>,
        source_ids: &BTreeMap<String, usize>,
        file: FileText,
        diagnostics: &mut Diagnostics,
    ) -> Option<DatedField> {
        let (shown, text) = file;
        let field_value = document
            .and_then(|document| document.get(record.key))
            .and_then(|fact| fact.get_ref().get("items"))
            .and_then(|items| items.get_ref().get(record.index))
            .and_then(|item| item.get_ref().get(field));
        let places = entry_places(field_value);
        let fallback = field_value.map_or(record.span.clone(), |value| value.span());
        let start = diagnostics.len();
        let mut problem = |range: Option<Range<usize>>, message: String, help: &str| {
            let range = range.unwrap_or(fallback.clone());
            let message = format!(
                "record {} of the list fact `{}`: {message}",
                record.index + 1,
                record.fact
            );
            let diagnostic = Diagnostic::at(shown, text, range, message);
            diagnostics.push(if help.is_empty() {
                diagnostic
            } else {
                diagnostic.with_help(help)
            });
        };
        let entry_help = "write each entry as `{ from = 2023-07-16, value = ... }`; the first may leave out `from`";
        let listed = format!("{field}_values");
        if item.contains_key(&listed) {
            problem(
                None,
                format!("`{listed}` is taken: templates see the dated `{field}`'s values there"),
                "rename that field",
            );
        }
        let mut values: Vec<DatedFieldValue> = Vec::new();
        let mut sources = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let places = places.get(index);
            let place = |key: &str| places.and_then(|places| places.value(key));
            let entry_span = places.map(|places| places.span.clone());
            let Some(table) = entry.as_table() else {
                problem(
                    entry_span,
                    format!("entry {} of its dated `{field}` is not a table", index + 1),
                    entry_help,
                );
                continue;
            };
            if let Some(unknown) = table
                .keys()
                .find(|key| !DATED_FIELD_KEYS.contains(&key.as_str()))
            {
                problem(
                    places.and_then(|places| places.key(unknown)),
                    format!(
                        "entry {} of its dated `{field}` has an unknown key `{unknown}`",
                        index + 1
                    ),
                    "an entry takes `from`, `value`, and optionally `source` and `note`",
                );
                continue;
            }
            let from = match table.get("from") {
                None if index == 0 => None,
                None => {
                    problem(
                        entry_span,
                        format!("entry {} of its dated `{field}` has no `from`", index + 1),
                        "only the first entry may leave out `from`: it is the value before the first change",
                    );
                    continue;
                }
                Some(from) => match from.as_datetime().and_then(date_from_toml) {
                    Some(from) => Some(from),
                    None => {
                        problem(
                            place("from"),
                            format!("its `{field}`: `from` must be a date such as 2025-03-25"),
                            "",
                        );
                        continue;
                    }
                },
            };
            if let (Some(from), Some(previous)) =
                (from, values.last().and_then(|previous| previous.from))
            {
                if previous >= from {
                    problem(
                        place("from"),
                        format!("its `{field}` from {from} does not follow the one before it (from {previous})"),
                        "list the dated values in date order, each from a later day",
                    );
                    continue;
                }
            }
            let Some(value) = table.get("value") else {
                problem(
                    entry_span,
                    format!("entry {} of its dated `{field}` has no `value`", index + 1),
                    entry_help,
                );
                continue;
            };
            let when = from.map_or("before the first change".to_string(), |from| {
                format!("from {from}")
            });
            let value = match value {
                toml::Value::Array(_) => Err(()),
                value => typed_value(value.clone(), &self.default_language).map_err(|_| ()),
            };
            let Ok(value) = value else {
                problem(
                    place("value"),
                    format!("its `{field}` {when} is not one date, number, text or boolean"),
                    "",
                );
                continue;
            };
            if let Some(previous) = values.last() {
                if previous.value.kind() != value.kind() {
                    problem(
                        place("value"),
                        format!(
                            "its `{field}` {when} is {}, but the one before it is {}",
                            value.kind_in_words(),
                            previous.value.kind_in_words()
                        ),
                        "a field keeps one kind of value",
                    );
                    continue;
                }
            }
            sources.push(
                table
                    .get("source")
                    .map(|source| (source.clone(), place("source"))),
            );
            values.push(DatedFieldValue {
                from,
                value,
                source: None,
                note: table
                    .get("note")
                    .and_then(|note| note.as_str())
                    .map(str::to_string),
            });
        }
        for (value, source) in values.iter_mut().zip(sources) {
            let Some((source, span)) = source else {
                continue;
            };
            let span = span.unwrap_or(fallback.clone());
            match source.try_into::<RawSourceRef>() {
                Ok(source) => {
                    let inline_id =
                        format!("{}.items.{}.{field}.source", record.fact, record.index + 1);
                    let source = toml::Spanned::new(span, source);
                    value.source =
                        self.resolve_source(source, inline_id, source_ids, file, diagnostics);
                }
                Err(_) => diagnostics.push(Diagnostic::at(
                    shown,
                    text,
                    span,
                    "a `source` is a source's id or `{ title = \"...\", url = \"...\" }`",
                )),
            }
        }
        (diagnostics.len() == start).then(|| DatedField {
            record: record.index,
            field: field.to_string(),
            values,
        })
    }
}

/// The places of each entry of the array `fact.array` (`[[fact.values]]` tables or an inline
/// array of tables).
pub(super) fn fact_entry_places(
    document: Option<&toml::de::DeTable>,
    fact: &str,
    array: &str,
) -> Vec<EntryPlaces> {
    let entries = document
        .and_then(|document| document.get(fact))
        .and_then(|table| table.get_ref().get(array));
    entry_places(entries)
}

/// The places of each table in an array value.
fn entry_places(array: Option<&toml::Spanned<toml::de::DeValue>>) -> Vec<EntryPlaces> {
    let Some(array) = array.and_then(|array| array.get_ref().as_array()) else {
        return Vec::new();
    };
    array
        .iter()
        .map(|entry| EntryPlaces {
            span: entry.span(),
            keys: entry
                .get_ref()
                .as_table()
                .into_iter()
                .flatten()
                .map(|(key, value)| (key.get_ref().to_string(), (key.span(), value.span())))
                .collect(),
        })
        .collect()
}

/// A record field written as dated values: an array of tables, at least one with a `from`.
pub(super) fn dated_entries(value: &toml::Value) -> Option<&Vec<toml::Value>> {
    let entries = value.as_array()?;
    let dated = entries.iter().any(|entry| {
        entry
            .as_table()
            .is_some_and(|table| table.contains_key("from"))
    });
    dated.then_some(entries)
}

/// A record of a list fact, for messages about it.
pub(super) struct Record<'a> {
    pub fact: &'a str,
    pub key: &'a str,
    pub index: usize,
    /// Where to point when a place cannot be found: the fact's header.
    pub span: Range<usize>,
}
