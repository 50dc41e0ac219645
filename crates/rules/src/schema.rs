//! The rules file as TOML sees it, before any checking.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use crate::text::{check_language_key, check_not_empty, Translatable};

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
    pub(crate) text: Spanned<WrittenText>,
    pub(crate) help: Option<Spanned<WrittenText>>,
    /// The message for a question left unanswered ("Select if you have a valid job offer").
    pub(crate) error: Option<Spanned<WrittenText>>,
    /// What the generated messages call the answer ("Date of birth must include a month").
    pub(crate) name: Option<Spanned<WrittenText>>,
    /// For a date: whether a day after the reader's today is taken.
    pub(crate) allow_future: Option<Spanned<bool>>,
    pub(crate) choices: Option<Spanned<Vec<ChoiceEntry>>>,
    pub(crate) default: Option<Spanned<toml::Value>>,
    pub(crate) ask_if: Option<Spanned<String>>,
    /// A condition the answer must meet, read with the answers before it ("the permit was
    /// issued on or after the day of applying").
    pub(crate) valid_if: Option<Spanned<String>>,
    /// The message shown when `valid_if` does not hold.
    pub(crate) valid_error: Option<Spanned<WrittenText>>,
    pub(crate) min: Option<Spanned<i64>>,
    pub(crate) max: Option<Spanned<i64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ChoiceEntry {
    pub(crate) id: Spanned<String>,
    pub(crate) label: Spanned<WrittenText>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ValueEntry {
    pub(crate) id: Spanned<String>,
    pub(crate) label: Spanned<WrittenText>,
    pub(crate) formula: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CriterionEntry {
    pub(crate) id: Spanned<String>,
    pub(crate) condition: Spanned<String>,
    pub(crate) passed: Spanned<WrittenText>,
    pub(crate) failed: Spanned<WrittenText>,
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
    pub(crate) heading: Spanned<WrittenText>,
    pub(crate) text: Spanned<WrittenText>,
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

/// A text a reader sees, as written: a [`Translatable`] (a plain string in the default language, or a
/// table by language), with where each language's string is, so that its placeholders are
/// reported in their own language's string.
#[derive(Debug)]
pub(crate) enum WrittenText {
    /// A plain string; its place is the `Spanned` around it.
    Plain(String),
    /// Each language's string with its place, in the order written.
    PerLanguage(Vec<(String, Spanned<String>)>),
}

/// One language's string of a text: its code (`None` for a plain string, the default
/// language), the string, and the span of its TOML string (quotes included).
pub(crate) struct WrittenString<'t> {
    pub(crate) language: Option<&'t str>,
    pub(crate) text: &'t str,
    pub(crate) span: Range<usize>,
}

pub(crate) trait SpannedText {
    /// The text as the rest of the guide reads it.
    fn text(&self) -> Translatable;
    /// Each language's string, in the order written.
    fn strings(&self) -> Vec<WrittenString<'_>>;
}

impl SpannedText for Spanned<WrittenText> {
    fn text(&self) -> Translatable {
        match self.get_ref() {
            WrittenText::Plain(text) => Translatable::Plain(text.clone()),
            WrittenText::PerLanguage(texts) => Translatable::PerLanguage(
                texts
                    .iter()
                    .map(|(code, text)| (code.clone(), text.get_ref().clone()))
                    .collect(),
            ),
        }
    }

    fn strings(&self) -> Vec<WrittenString<'_>> {
        match self.get_ref() {
            WrittenText::Plain(text) => vec![WrittenString {
                language: None,
                text,
                span: self.span(),
            }],
            WrittenText::PerLanguage(texts) => texts
                .iter()
                .map(|(code, text)| WrittenString {
                    language: Some(code),
                    text: text.get_ref(),
                    span: text.span(),
                })
                .collect(),
        }
    }
}

impl<'de> Deserialize<'de> for WrittenText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WrittenTextVisitor;

        impl<'de> Visitor<'de> for WrittenTextVisitor {
            type Value = WrittenText;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str(
                    "a text, or a table of texts by language such as { en = \"…\", fr = \"…\" }",
                )
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<WrittenText, E> {
                Ok(WrittenText::Plain(text.to_string()))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<WrittenText, E> {
                Ok(WrittenText::Plain(text))
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<WrittenText, M::Error> {
                let mut texts: Vec<(String, Spanned<String>)> = Vec::new();
                while let Some(code) = map.next_key::<String>()? {
                    check_language_key(&code, texts.iter().map(|(seen, _)| seen.as_str()))
                        .map_err(de::Error::custom)?;
                    texts.push((code, map.next_value()?));
                }
                check_not_empty(texts.len()).map_err(de::Error::custom)?;
                Ok(WrittenText::PerLanguage(texts))
            }
        }

        deserializer.deserialize_any(WrittenTextVisitor)
    }
}
