//! Read-only views of a checked rules file, for rendering forms and checklists.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Serialize, Serializer};

use crate::date::Date;

/// The value of a program fact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Constant {
    Bool(bool),
    Integer(i64),
    Date(Date),
    Text(String),
}

/// A program fact: its value, and how the guide writes it for people ("July 17, 2023").
///
/// A fact whose value changes on dates (a status, a point value IRCC changed) holds the value
/// in force before its first change in `value`, and each later value in `changes`. Rules read
/// such a fact as of a date (`facts.NAME at DATE`).
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
    Literal { text: String },
    Value { id: String },
    Fact { name: String, display: String },
}

/// A text with `{value_id}` and `{facts.ns.name}` placeholders split out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Text {
    pub segments: Vec<Segment>,
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
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Choice {
    pub id: String,
    pub label: String,
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
    },
    Integer {
        min: Option<i32>,
        max: Option<i32>,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Question {
    pub id: String,
    pub text: String,
    pub help: Option<String>,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ComputedValue {
    pub id: String,
    pub label: String,
    pub formula: String,
    pub value_type: ValueType,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Criterion {
    pub id: String,
    pub condition: String,
    pub passed: Text,
    pub failed: Text,
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub id: String,
    /// `None` for the last outcome, which applies when no other does.
    pub when: Option<String>,
    pub tone: Tone,
    pub heading: Text,
    pub text: Text,
}
