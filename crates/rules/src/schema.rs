//! The rules file as TOML sees it, before any checking.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RulesFile {
    #[serde(default)]
    pub(crate) tense: crate::model::Tense,
    #[serde(default)]
    pub(crate) questions: Vec<Spanned<QuestionEntry>>,
    #[serde(default)]
    pub(crate) values: Vec<Spanned<ValueEntry>>,
    #[serde(default)]
    pub(crate) criteria: Vec<Spanned<CriterionEntry>>,
    #[serde(default)]
    pub(crate) outcomes: Vec<Spanned<OutcomeEntry>>,
    #[serde(default)]
    pub(crate) examples: Vec<Spanned<ExampleEntry>>,
    #[serde(default)]
    pub(crate) tables: Vec<Spanned<TableEntry>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TableEntry {
    pub(crate) id: Spanned<String>,
    pub(crate) columns: Spanned<Vec<String>>,
    pub(crate) rows: Vec<Spanned<toml::Table>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct QuestionEntry {
    pub(crate) id: Spanned<String>,
    #[serde(rename = "type")]
    pub(crate) kind: Spanned<String>,
    pub(crate) text: String,
    pub(crate) help: Option<Spanned<String>>,
    /// The message for a question left unanswered ("Select if you have a valid job offer").
    pub(crate) error: Option<Spanned<String>>,
    /// What the generated messages call the answer ("Date of birth must include a month").
    pub(crate) name: Option<Spanned<String>>,
    /// For a date: whether a day after the reader's today is taken.
    pub(crate) allow_future: Option<Spanned<bool>>,
    pub(crate) choices: Option<Spanned<Vec<ChoiceEntry>>>,
    pub(crate) default: Option<Spanned<toml::Value>>,
    pub(crate) ask_if: Option<Spanned<String>>,
    pub(crate) min: Option<Spanned<i64>>,
    pub(crate) max: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChoiceEntry {
    pub(crate) id: Spanned<String>,
    pub(crate) label: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValueEntry {
    pub(crate) id: Spanned<String>,
    pub(crate) label: String,
    pub(crate) formula: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CriterionEntry {
    pub(crate) id: Spanned<String>,
    pub(crate) condition: Spanned<String>,
    pub(crate) passed: Spanned<String>,
    pub(crate) failed: Spanned<String>,
    pub(crate) source: Option<Spanned<String>>,
    pub(crate) fact: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct OutcomeEntry {
    pub(crate) id: Spanned<String>,
    pub(crate) when: Option<Spanned<String>>,
    #[serde(default)]
    pub(crate) tone: crate::model::Tone,
    pub(crate) heading: Spanned<String>,
    pub(crate) text: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ExampleEntry {
    pub(crate) id: Spanned<String>,
    pub(crate) description: Option<String>,
    pub(crate) answers: Spanned<BTreeMap<Spanned<String>, Spanned<toml::Value>>>,
    pub(crate) outcome: Spanned<String>,
    pub(crate) failed: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    pub(crate) values: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}
