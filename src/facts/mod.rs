//! Program facts: typed values with labels, sources and verification dates, loaded from
//! `content/facts/*.toml` (one namespace a file) and `content/facts/sources.toml`.
//!
//! A fact is rendered in one human format everywhere (pages, templates, rules texts), so a
//! number or date is typed once, in its fact file.
//!
//! `load` reads the files, `values` types a fact's value and writes it for readers (through
//! `crate::format`), `template` projects the facts into the values templates see.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use guide_rules::Date;
use serde::Serialize;

use crate::diagnostics::suggest;

mod load;
mod template;
mod values;

pub use values::{date_from_toml, table_to_json, FactValue};

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
    pub verified: Option<Date>,
    pub on_timeline: bool,
    pub file: PathBuf,
    /// Byte span of the fact's table header (`[name]`) in its file, for diagnostics about it.
    pub span: Range<usize>,
    /// Byte span of each of the fact's keys, from the key to the end of its value.
    pub keys: BTreeMap<String, Range<usize>>,
}

impl Fact {
    /// Where `key = ...` is in the fact's file, if the fact has that key.
    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.keys.get(key).cloned()
    }
}

/// Every fact and source of a site.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    facts: BTreeMap<String, Fact>,
    pub sources: Vec<Source>,
    /// Source texts of the fact files, so later stages can point into them.
    pub texts: BTreeMap<PathBuf, Arc<str>>,
}

impl Facts {
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
        values::display(fact, format)
    }
}
