//! Program facts: typed values with labels, sources and verification dates, loaded from
//! `content/facts/*.toml` (one namespace a file) and `content/facts/sources.toml`.
//!
//! A fact is rendered in one human format everywhere (pages, templates, rules texts), so a
//! number or date is typed once, in its fact file.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

use crate::diagnostics::{io_error, suggest, toml_error, Diagnostic, Diagnostics};

pub const FACTS_DIR: &str = "facts";
pub const SOURCES_FILE: &str = "sources.toml";

/// A calendar day, as TOML writes it (`2023-07-16`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Day {
    pub fn from_toml(datetime: &toml::value::Datetime) -> Option<Day> {
        match (datetime.date, datetime.time) {
            (Some(date), None) => Some(Day {
                year: i32::from(date.year),
                month: date.month,
                day: date.day,
            }),
            _ => None,
        }
    }

    /// Parses `YYYY-MM-DD`, refusing days that do not exist (2026-02-31).
    pub fn parse(text: &str) -> Option<Day> {
        guide_rules::Date::parse(text).map(Day::from_date)
    }

    fn from_date(date: guide_rules::Date) -> Day {
        let (year, month, day) = date.ymd();
        Day {
            year,
            month: month as u8,
            day: day as u8,
        }
    }

    /// The day `days` days after 1970-01-01.
    pub fn from_days_since_epoch(days: i64) -> Day {
        let days = days.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
        Day::from_date(guide_rules::Date::from_days(days))
    }

    pub fn iso(&self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    pub fn format(&self, format: DateFormat) -> String {
        let month = MONTHS[usize::from(self.month - 1)];
        match format {
            DateFormat::Long => format!("{month} {}, {}", self.day, self.year),
            DateFormat::Iso => self.iso(),
            DateFormat::Year => self.year.to_string(),
            DateFormat::Month => format!("{month} {}", self.year),
        }
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for age comparisons. The calendar is the
    /// one the rules engines use.
    pub fn days_since_epoch(&self) -> i64 {
        guide_rules::Date::from_ymd(self.year, u32::from(self.month), u32::from(self.day))
            .map_or(0, |date| i64::from(date.days()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFormat {
    Long,
    Iso,
    Year,
    Month,
}

/// A fact's typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    Date(Day),
    Integer(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    /// A list of records (cities, strategy components): their fields as the template sees them.
    Items(Vec<Json>),
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub id: String,
    pub title: String,
    /// Empty when the source has no known web address.
    pub url: String,
    /// Lists order sources by weight, then id: give official sources the lower weights.
    pub weight: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Fact {
    /// `namespace.name`.
    pub name: String,
    pub label: String,
    pub value: FactValue,
    pub unit: Option<String>,
    pub note: Option<String>,
    /// Index into [`Facts::sources`].
    pub source: Option<usize>,
    pub verified: Option<Day>,
    pub on_timeline: bool,
    pub file: PathBuf,
    /// Byte span of the fact's table in its file, for diagnostics about it.
    pub span: Range<usize>,
}

/// Every fact and source of a site.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    facts: BTreeMap<String, Fact>,
    pub sources: Vec<Source>,
    /// Source texts of the fact files, so later stages can point into them.
    pub texts: BTreeMap<PathBuf, Arc<str>>,
}

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
        let dir = root.join("content").join(FACTS_DIR);
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
                .filter(|path| crate::content::has_extension(path, "toml"))
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
                    .and_then(Day::from_toml)
                    .map(|d| d.iso()),
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
        let mut diagnostics = Diagnostics::default();
        for (key, spanned) in raw {
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
                Some(verified) => match Day::from_toml(verified.get_ref()) {
                    Some(day) => Some(day),
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
                },
            );
        }
        self.texts.insert(shown, text);
        diagnostics.into_result(())
    }

    pub fn get(&self, name: &str) -> Option<&Fact> {
        self.facts.get(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Fact> {
        self.facts.values()
    }

    pub fn len(&self) -> usize {
        self.facts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// The nearest existing fact name, for "did you mean" hints.
    pub fn suggest(&self, name: &str) -> Option<&str> {
        suggest(name, self.facts.keys().map(String::as_str))
    }

    pub fn source_of(&self, fact: &Fact) -> Option<&Source> {
        fact.source.map(|index| &self.sources[index])
    }

    /// The human format of a fact, in `format` (`None` for its default one).
    pub fn display(&self, fact: &Fact, format: Option<&str>) -> Result<String, String> {
        display(fact, format)
    }

    /// Every fact for templates: `facts.ns.name.{value, display, label, ...}`.
    pub fn to_template_value(&self) -> Json {
        let mut namespaces = serde_json::Map::new();
        for fact in self.facts.values() {
            let (namespace, key) = fact.name.split_once('.').unwrap_or(("", &fact.name));
            let entry = namespaces
                .entry(namespace.to_string())
                .or_insert_with(|| Json::Object(Default::default()));
            if let Json::Object(map) = entry {
                map.insert(key.to_string(), self.fact_value(fact));
            }
        }
        Json::Object(namespaces)
    }

    fn fact_value(&self, fact: &Fact) -> Json {
        let (kind, value) = match &fact.value {
            FactValue::Date(day) => ("date", json!(day.iso())),
            FactValue::Integer(n) => ("integer", json!(n)),
            FactValue::Float(x) => ("number", json!(x)),
            FactValue::Text(text) => ("text", json!(text)),
            FactValue::Bool(b) => ("bool", json!(b)),
            FactValue::Items(items) => ("items", json!(items)),
        };
        let mut object = json!({
            "name": fact.name,
            "kind": kind,
            "value": value,
            "display": display(fact, None).unwrap_or_default(),
            "label": fact.label,
            "note": fact.note,
            "unit": fact.unit,
            "verified": fact.verified.map(|d| d.iso()),
            "source": self.source_of(fact),
        });
        if let FactValue::Items(items) = &fact.value {
            object["items"] = json!(items);
        }
        object
    }

    /// Date facts in date order (then by name), for the generated timeline.
    pub fn timeline(&self) -> Json {
        let mut dated: Vec<(&Day, &Fact)> = self
            .facts
            .values()
            .filter(|fact| fact.on_timeline)
            .filter_map(|fact| match &fact.value {
                FactValue::Date(day) => Some((day, fact)),
                _ => None,
            })
            .collect();
        dated.sort_by(|a, b| a.0.cmp(b.0).then_with(|| a.1.name.cmp(&b.1.name)));
        Json::Array(
            dated
                .into_iter()
                .map(|(day, fact)| {
                    json!({
                        "date": day.iso(),
                        "display": day.format(DateFormat::Long),
                        "label": fact.label,
                        "note": fact.note,
                        "fact": fact.name,
                        "source": self.source_of(fact),
                    })
                })
                .collect(),
        )
    }

    /// Every source with the names of the facts citing it, in id order.
    pub fn sources_value(&self) -> Json {
        let mut sources: Vec<&Source> = self.sources.iter().collect();
        sources.sort_by(|a, b| (a.weight, &a.id).cmp(&(b.weight, &b.id)));
        Json::Array(
            sources
                .into_iter()
                .map(|source| {
                    let citing: Vec<&str> = self
                        .facts
                        .values()
                        .filter(|fact| self.source_of(fact).is_some_and(|s| s.id == source.id))
                        .map(|fact| fact.name.as_str())
                        .collect();
                    let mut value = json!(source);
                    value["facts"] = json!(citing);
                    value
                })
                .collect(),
        )
    }
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

pub fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

fn typed_value(value: toml::Value) -> Result<FactValue, String> {
    Ok(match value {
        toml::Value::Datetime(datetime) => FactValue::Date(
            Day::from_toml(&datetime)
                .ok_or("a fact date must be a plain date such as 2023-07-16")?,
        ),
        toml::Value::Integer(n) => FactValue::Integer(n),
        toml::Value::Float(x) => FactValue::Float(x),
        toml::Value::String(text) => FactValue::Text(text),
        toml::Value::Boolean(b) => FactValue::Bool(b),
        toml::Value::Array(_) | toml::Value::Table(_) => {
            return Err(
                "a `value` is one date, number, text or boolean; use `[[name.items]]` for a list"
                    .into(),
            )
        }
    })
}

/// A TOML table as templates see it: dates become ISO strings.
pub fn table_to_json(table: &toml::Table) -> Json {
    Json::Object(
        table
            .iter()
            .map(|(key, value)| (key.clone(), toml_to_json(value)))
            .collect(),
    )
}

fn toml_to_json(value: &toml::Value) -> Json {
    match value {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(n) => json!(n),
        toml::Value::Float(x) => json!(x),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(datetime) => match Day::from_toml(datetime) {
            Some(day) => json!(day.iso()),
            None => json!(datetime.to_string()),
        },
        toml::Value::Array(items) => Json::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => table_to_json(table),
    }
}

fn display(fact: &Fact, format: Option<&str>) -> Result<String, String> {
    let unit = fact.unit.as_deref();
    match (&fact.value, format) {
        (FactValue::Date(day), format) => Ok(day.format(match format {
            None | Some("long") => DateFormat::Long,
            Some("iso") => DateFormat::Iso,
            Some("year") => DateFormat::Year,
            Some("month") => DateFormat::Month,
            Some(other) => return Err(unknown_format(other, "long, iso, year, month")),
        })),
        (FactValue::Integer(n), None | Some("long")) => {
            Ok(with_unit(*n as f64, &group_digits(*n), unit))
        }
        (FactValue::Integer(n), Some("plain")) => Ok(n.to_string()),
        (FactValue::Integer(_), Some(other)) => Err(unknown_format(other, "long, plain")),
        (FactValue::Float(x), None | Some("long")) => Ok(with_unit(*x, &trim_float(*x), unit)),
        (FactValue::Float(_), Some(other)) => Err(unknown_format(other, "long")),
        (FactValue::Text(text), None) => Ok(text.clone()),
        (FactValue::Bool(b), None) => Ok(if *b { "yes" } else { "no" }.into()),
        (FactValue::Items(items), None | Some("list")) => Ok(join_names(items)),
        (FactValue::Items(items), Some("count")) => Ok(group_digits(items.len() as i64)),
        (_, Some(other)) => Err(unknown_format(other, "none")),
    }
}

fn unknown_format(format: &str, known: &str) -> String {
    format!("unknown format \"{format}\" for this fact (formats: {known})")
}

fn is_currency(unit: &str) -> bool {
    unit.len() == 3 && unit.chars().all(|c| c.is_ascii_uppercase())
}

fn with_unit(amount: f64, number: &str, unit: Option<&str>) -> String {
    match unit {
        None => number.to_string(),
        Some(currency) if is_currency(currency) => money(amount, currency),
        Some("%") => format!("{number}%"),
        Some(unit) if amount == 1.0 && unit.ends_with('s') => {
            format!("{number} {}", &unit[..unit.len() - 1])
        }
        Some(unit) => format!("{number} {unit}"),
    }
}

fn money(amount: f64, currency: &str) -> String {
    let symbol = match currency {
        "CAD" => "$".to_string(),
        "USD" => "US$".to_string(),
        other => format!("{other} "),
    };
    let sign = if amount < 0.0 { "-" } else { "" };
    let amount = amount.abs();
    // Round at the scale first, so 999,999,999 reads "$1 billion", not "$1000 million".
    for (scale, word) in [(1e9, " billion"), (1e6, " million")] {
        let rounded = (amount / scale * 10.0).round() / 10.0;
        if rounded >= 1.0 {
            return format!("{sign}{symbol}{}{word}", trim_float(rounded));
        }
    }
    let cents = (amount * 100.0).round() as i64;
    let whole = group_digits(cents / 100);
    match cents % 100 {
        0 => format!("{sign}{symbol}{whole}"),
        part => format!("{sign}{symbol}{whole}.{part:02}"),
    }
}

fn trim_float(x: f64) -> String {
    let text = format!("{x}");
    text.strip_suffix(".0").map(str::to_string).unwrap_or(text)
}

/// `10000` → `10,000`.
pub fn group_digits(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    if n < 0 {
        format!("-{out}")
    } else {
        out
    }
}

fn join_names(items: &[Json]) -> String {
    let names: Vec<&str> = items
        .iter()
        .filter_map(|item| item.get("name").and_then(Json::as_str))
        .collect();
    match names.as_slice() {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(value: FactValue, unit: Option<&str>) -> Fact {
        Fact {
            name: "t.x".into(),
            label: "X".into(),
            value,
            unit: unit.map(str::to_string),
            note: None,
            source: None,
            verified: None,
            on_timeline: true,
            file: PathBuf::from("f.toml"),
            span: 0..0,
        }
    }

    #[test]
    fn human_formats() {
        let day = Day {
            year: 2023,
            month: 7,
            day: 16,
        };
        assert_eq!(
            display(&fact(FactValue::Date(day), None), None).unwrap(),
            "July 16, 2023"
        );
        assert_eq!(
            display(&fact(FactValue::Date(day), None), Some("iso")).unwrap(),
            "2023-07-16"
        );
        assert_eq!(
            display(&fact(FactValue::Date(day), None), Some("month")).unwrap(),
            "July 2023"
        );
        assert_eq!(
            display(&fact(FactValue::Integer(10_000), None), None).unwrap(),
            "10,000"
        );
        assert_eq!(
            display(&fact(FactValue::Integer(1_200_000), None), None).unwrap(),
            "1,200,000"
        );
        assert_eq!(
            display(&fact(FactValue::Integer(3), Some("years")), None).unwrap(),
            "3 years"
        );
        assert_eq!(
            display(&fact(FactValue::Integer(1), Some("years")), None).unwrap(),
            "1 year"
        );
        assert_eq!(
            display(
                &fact(FactValue::Integer(104_500_000_000), Some("CAD")),
                None
            )
            .unwrap(),
            "$104.5 billion"
        );
        assert_eq!(
            display(&fact(FactValue::Float(5.0), Some("%")), None).unwrap(),
            "5%"
        );
        assert!(display(&fact(FactValue::Date(day), None), Some("fancy"))
            .unwrap_err()
            .contains("long, iso, year, month"));
    }

    #[test]
    fn sources_are_listed_by_weight_then_id() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("content").join(FACTS_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        let sources = "[article]\ntitle = \"A\"\nweight = 90\n\n[policy]\ntitle = \"P\"\nurl = \"https://e.org\"\nweight = 10\n\n[news]\ntitle = \"N\"\nurl = \"https://e.org/n\"\nweight = 10\n";
        std::fs::write(dir.join(SOURCES_FILE), sources).unwrap();
        let facts = Facts::load(root.path()).unwrap();
        let order: Vec<String> = facts
            .sources_value()
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(order, ["news", "policy", "article"]);
    }

    #[test]
    fn money_rounds_at_its_scale_and_keeps_cents_and_signs() {
        let cad = |amount: f64| money(amount, "CAD");
        assert_eq!(cad(999_999_999.0), "$1 billion");
        assert_eq!(cad(104_500_000_000.0), "$104.5 billion");
        assert_eq!(cad(2_340_000.0), "$2.3 million");
        assert_eq!(cad(1234.56), "$1,234.56");
        assert_eq!(cad(0.1), "$0.10");
        assert_eq!(cad(-5.0), "-$5");
        assert_eq!(money(1500.0, "USD"), "US$1,500");
        assert_eq!(money(1500.0, "EUR"), "EUR 1,500");
    }

    #[test]
    fn items_display_as_a_list_of_names() {
        let items = vec![
            json!({"name": "Toronto"}),
            json!({"name": "Vancouver"}),
            json!({"name": "Montreal"}),
        ];
        assert_eq!(
            display(&fact(FactValue::Items(items), None), None).unwrap(),
            "Toronto, Vancouver and Montreal"
        );
    }

    #[test]
    fn days_since_epoch_matches_known_dates() {
        assert_eq!(
            Day {
                year: 1970,
                month: 1,
                day: 1
            }
            .days_since_epoch(),
            0
        );
        assert_eq!(
            Day {
                year: 2023,
                month: 7,
                day: 16
            }
            .days_since_epoch(),
            19_554
        );
        assert_eq!(
            Day {
                year: 2000,
                month: 3,
                day: 1
            }
            .days_since_epoch(),
            11_017
        );
    }

    #[test]
    fn day_parse_rejects_malformed_dates() {
        assert_eq!(
            Day::parse("2023-07-16"),
            Some(Day {
                year: 2023,
                month: 7,
                day: 16
            })
        );
        assert_eq!(Day::parse("2023-13-01"), None);
        assert_eq!(Day::parse("2026-02-31"), None);
        assert_eq!(Day::parse("+202-01-01"), None);
        assert_eq!(
            Day::from_days_since_epoch(19_555),
            Day {
                year: 2023,
                month: 7,
                day: 17
            }
        );
        assert_eq!(Day::parse("2023-7-16"), None);
    }
}
