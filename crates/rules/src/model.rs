//! Read-only views of a checked rules file, for rendering forms and checklists.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Serialize, Serializer};

use crate::date::Date;
use crate::text::Translatable;

/// The value of a program fact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Constant {
    Bool(bool),
    Integer(i64),
    Date(Date),
    Text(String),
    /// A point table, read with `lookup(facts.NAME, key, column)`.
    Table(Table),
}

/// A table of whole numbers: rows found by a key, one number per column.
///
/// A row's key is either a choice id (the table is then read with the answer to a choice
/// question, and must have a row for each of its choices) or a band of whole numbers, both
/// ends included, either end open (the bands must not overlap, and must hold every value the
/// key can take).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<TableRow>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    pub key: TableKey,
    /// One per column, in the order of [`Table::columns`].
    pub cells: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TableKey {
    Choice(String),
    Band { min: Option<i64>, max: Option<i64> },
}

impl Table {
    /// A table from TOML rows: `{ key = "phd", points = 150 }` for a choice, or
    /// `{ min = 18, max = 18, single = 99, with_spouse = 90 }` for a band (`min` or `max` may
    /// be left out for an open end); every row gives a whole number for every column. Says
    /// in a sentence what is wrong with a row otherwise, with the row's index.
    pub fn from_rows(columns: Vec<String>, rows: &[toml::Table]) -> Result<Table, (usize, String)> {
        let mut table = Table {
            columns,
            rows: Vec::new(),
        };
        for (index, row) in rows.iter().enumerate() {
            let fail = |message: String| Err((index, message));
            let whole = |key: &str| -> Result<Option<i64>, (usize, String)> {
                match row.get(key) {
                    None => Ok(None),
                    Some(toml::Value::Integer(value)) => Ok(Some(*value)),
                    Some(other) => Err((
                        index,
                        format!("`{key}` must be a whole number, not {}", other.type_str()),
                    )),
                }
            };
            let key = match row.get("key") {
                Some(toml::Value::String(choice)) => {
                    if row.contains_key("min") || row.contains_key("max") {
                        return fail(
                            "a row has either a `key` or a band (`min`, `max`), not both".into(),
                        );
                    }
                    TableKey::Choice(choice.clone())
                }
                Some(other) => {
                    return fail(format!(
                        "`key` must be a choice id in quotes, not {}",
                        other.type_str()
                    ))
                }
                None => {
                    let (min, max) = (whole("min")?, whole("max")?);
                    if min.is_none() && max.is_none() {
                        return fail(
                            "a row needs a `key` (a choice id) or a band (`min`, `max` or both)"
                                .into(),
                        );
                    }
                    if let (Some(min), Some(max)) = (min, max) {
                        if min > max {
                            return fail(format!(
                                "the band's `max` ({max}) is below its `min` ({min})"
                            ));
                        }
                    }
                    TableKey::Band { min, max }
                }
            };
            let mut cells = Vec::new();
            for column in &table.columns {
                match whole(column)? {
                    Some(value) => cells.push(value),
                    None => return fail(format!("the row has no `{column}`")),
                }
            }
            if let Some(extra) = row.keys().find(|name| {
                !["key", "min", "max"].contains(&name.as_str()) && !table.columns.contains(name)
            }) {
                return fail(format!(
                    "`{extra}` is not a column; the columns are {}",
                    table.columns.join(", ")
                ));
            }
            let kinds_differ = table.rows.first().is_some_and(|first: &TableRow| {
                matches!(first.key, TableKey::Choice(_)) != matches!(key, TableKey::Choice(_))
            });
            if kinds_differ {
                return fail(
                    "every row is keyed the same way: all by `key`, or all by band".into(),
                );
            }
            for earlier in &table.rows {
                let overlaps = match (&earlier.key, &key) {
                    (TableKey::Choice(a), TableKey::Choice(b)) => a == b,
                    (
                        TableKey::Band {
                            min: a_min,
                            max: a_max,
                        },
                        TableKey::Band {
                            min: b_min,
                            max: b_max,
                        },
                    ) => {
                        a_min.unwrap_or(i64::MIN) <= b_max.unwrap_or(i64::MAX)
                            && b_min.unwrap_or(i64::MIN) <= a_max.unwrap_or(i64::MAX)
                    }
                    _ => false,
                };
                if overlaps {
                    return fail("this row's key overlaps an earlier row's".into());
                }
            }
            table.rows.push(TableRow { key, cells });
        }
        if table.rows.is_empty() {
            return Err((0, "a table needs at least one row".into()));
        }
        Ok(table)
    }
}

/// A program fact: its value, and how the guide writes it for people ("July 17, 2023").
///
/// A fact whose value changes on dates (a status, a point value IRCC changed) holds the value
/// in force before its first change in `value`, and each later value in `changes`. Rules read
/// such a fact as of a date (`facts.NAME at DATE`); texts show `display`, which the guide
/// writes as of its own date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub value: Constant,
    pub display: String,
    /// Later values, each in force from its date on, in date order; empty for a fact that has
    /// one value.
    pub changes: Vec<FactChange>,
}

impl Fact {
    /// A fact with one value.
    pub fn new(value: Constant, display: impl Into<String>) -> Fact {
        Fact {
            value,
            display: display.into(),
            changes: Vec::new(),
        }
    }
}

/// A value a fact takes from a date on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactChange {
    pub from: Date,
    pub value: Constant,
    pub display: String,
}

/// Facts by name, such as `h1b.closed_on` (without the `facts.` prefix used in rules).
pub type Facts = BTreeMap<String, Fact>;

/// The type of a computed value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ValueType {
    Bool,
    Integer,
    Date,
}

/// A computed value, or an expected one in an example.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    Bool(bool),
    Integer(i32),
    Date(Date),
}

impl Value {
    pub fn value_type(self) -> ValueType {
        match self {
            Value::Bool(_) => ValueType::Bool,
            Value::Integer(_) => ValueType::Integer,
            Value::Date(_) => ValueType::Date,
        }
    }

    /// The `i32` the WebAssembly module stores for this value.
    pub fn encode(self) -> i32 {
        match self {
            Value::Bool(value) => value as i32,
            Value::Integer(value) => value,
            Value::Date(date) => date.days(),
        }
    }

    pub fn decode(value_type: ValueType, encoded: i32) -> Value {
        match value_type {
            ValueType::Bool => Value::Bool(encoded != 0),
            ValueType::Integer => Value::Integer(encoded),
            ValueType::Date => Value::Date(Date::from_days(encoded)),
        }
    }

    pub fn to_json(self) -> serde_json::Value {
        match self {
            Value::Bool(value) => value.into(),
            Value::Integer(value) => value.into(),
            Value::Date(date) => date.to_string().into(),
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Bool(value) => write!(formatter, "{value}"),
            Value::Integer(value) => write!(formatter, "{value}"),
            Value::Date(date) => write!(formatter, "{date}"),
        }
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

/// A name written in the rules file that another part of the guide must resolve
/// (a source id, a fact name), with where it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reference {
    pub name: String,
    #[serde(skip)]
    pub span: Range<usize>,
    #[serde(skip)]
    pub line: usize,
    #[serde(skip)]
    pub column: usize,
}

/// A piece of a text: the page writes literals as they are, fills values in
/// from the evaluation, and writes a fact's display string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Segment {
    Literal {
        text: String,
    },
    Value {
        id: String,
    },
    Fact {
        name: String,
        display: String,
    },
    /// A question's own `{min}` or `{max}`, which the page writes as a number in its language.
    Bound {
        name: String,
        value: i64,
    },
}

/// A text with `{value_id}` and `{facts.ns.name}` placeholders split out, in one language.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Text {
    pub segments: Vec<Segment>,
    /// Where the text is in the rules file (its TOML string), for diagnostics about it.
    pub span: Range<usize>,
}

// A text crosses to a page as its segments alone.
impl Serialize for Text {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.segments.serialize(serializer)
    }
}

impl Text {
    /// The text with each value placeholder replaced by `value(id)`.
    pub fn render(&self, mut value: impl FnMut(&str) -> String) -> String {
        let mut rendered = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Literal { text } => rendered.push_str(text),
                Segment::Value { id } => rendered.push_str(&value(id)),
                Segment::Fact { display, .. } => rendered.push_str(display),
                Segment::Bound { value, .. } => rendered.push_str(&value.to_string()),
            }
        }
        rendered
    }

    /// Ids of the computed values this text shows.
    pub fn value_ids(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|segment| match segment {
            Segment::Value { id } => Some(id.as_str()),
            _ => None,
        })
    }

    /// What its placeholders name (`ends_on`, `facts.h1b.cap`), sorted: two languages' texts
    /// must show the same.
    pub fn placeholder_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .segments
            .iter()
            .filter_map(|segment| match segment {
                Segment::Literal { .. } => None,
                Segment::Value { id } => Some(id.clone()),
                Segment::Fact { name, .. } => Some(format!("facts.{name}")),
                Segment::Bound { name, .. } => Some(name.clone()),
            })
            .collect();
        names.sort();
        names
    }
}

/// A text with placeholders, as [`Translatable`] holds a plain one: written once, in the
/// default language, or once per language, by code.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Translated<T> {
    /// One text, in the site's default language.
    Plain(T),
    /// The text in each language, by code, in the order written.
    PerLanguage(Vec<(String, T)>),
}

impl<T> Translated<T> {
    /// The text for `language`, as [`Translatable::get`] answers.
    pub fn get(&self, language: &str, default_language: &str) -> Option<&T> {
        match self {
            Translated::Plain(text) => (language == default_language).then_some(text),
            Translated::PerLanguage(texts) => texts
                .iter()
                .find(|(code, _)| code == language)
                .map(|(_, text)| text),
        }
    }

    /// The text for `language`, or the default language's, or the first written: what a page
    /// shows while a translation is missing (which `guide check` reports).
    pub fn get_or_default(&self, language: &str, default_language: &str) -> &T {
        self.get(language, default_language)
            .or_else(|| self.get(default_language, default_language))
            .unwrap_or_else(|| self.first())
    }

    /// The first text written, whatever its language.
    pub fn first(&self) -> &T {
        match self {
            Translated::Plain(text) => text,
            // Never empty: a table without a language is refused when the rules are read.
            Translated::PerLanguage(texts) => &texts[0].1,
        }
    }

    /// Every text, whatever its language.
    pub fn all(&self) -> impl Iterator<Item = &T> {
        let texts: Vec<&T> = match self {
            Translated::Plain(text) => vec![text],
            Translated::PerLanguage(texts) => texts.iter().map(|(_, text)| text).collect(),
        };
        texts.into_iter()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub id: String,
    #[serde(skip)]
    pub label: Translatable,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum QuestionKind {
    Bool,
    Choice {
        choices: Vec<Choice>,
    },
    Date {
        /// The form fills in the reader's today; answers are still taken as given.
        default_today: bool,
        /// The form takes a day after the reader's today; without it, such a day is refused
        /// (a date of birth cannot be in the future). Only the form checks this: the build has
        /// no clock, so worked examples and `guide eval` take dates as given.
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        allow_future: bool,
    },
    Integer {
        min: Option<i32>,
        max: Option<i32>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: String,
    #[serde(skip)]
    pub text: Translatable,
    /// Its placeholders are facts only: help is shown before any value is computed.
    #[serde(skip)]
    pub help: Option<Translated<Text>>,
    /// The message shown when the question is left unanswered, in place of the theme's
    /// generic one; plain text with facts only, as help.
    #[serde(skip)]
    pub error: Option<Translated<Text>>,
    /// What the theme's generated messages call the answer, at the start of a sentence
    /// ("Date of birth" in "Date of birth must include a month"); dates and whole numbers
    /// only; plain text with facts only, as help.
    #[serde(skip)]
    pub name: Option<Translated<Text>>,
    #[serde(flatten)]
    pub kind: QuestionKind,
    /// The condition on earlier answers under which the question is asked, as written;
    /// `None` when it is always asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ask_if: Option<String>,
    /// The condition its answer must meet, read with its own answer and those before it, as
    /// written (judged only when it is asked); `None`
    /// when any answer of its type is taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid_if: Option<String>,
    /// The message shown when `valid_if` does not hold; plain text with facts only, as help.
    #[serde(skip)]
    pub valid_error: Option<Translated<Text>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComputedValue {
    pub id: String,
    #[serde(skip)]
    pub label: Translatable,
    pub formula: String,
    pub value_type: ValueType,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub id: String,
    pub condition: String,
    #[serde(skip)]
    pub passed: Translated<Text>,
    #[serde(skip)]
    pub failed: Translated<Text>,
    pub source: Option<Reference>,
    pub fact: Option<Reference>,
}

/// Whether an outcome is good news, bad news or neither, so a page can show it accordingly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tone {
    Positive,
    Negative,
    #[default]
    Neutral,
}

impl Tone {
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Positive => "positive",
            Tone::Negative => "negative",
            Tone::Neutral => "neutral",
        }
    }
}

/// Whether the rules speak of a program open now (`present`) or of one that has closed
/// (`past`), so the fixed wording around their texts (a theme's strings) can agree with them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tense {
    #[default]
    Present,
    Past,
}

impl Tense {
    pub fn as_str(self) -> &'static str {
        match self {
            Tense::Present => "present",
            Tense::Past => "past",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub id: String,
    /// `None` for the last outcome, which applies when no other does.
    pub when: Option<String>,
    pub tone: Tone,
    #[serde(skip)]
    pub heading: Translated<Text>,
    #[serde(skip)]
    pub text: Translated<Text>,
}
