//! A text a reader sees, written once or once per language.
//!
//! Every translatable text of a site — a fact's label or note, a rules file's question, help,
//! choice, criterion or outcome, a theme string — is written the same way: a plain string is
//! the site's default language; a table keyed by language code gives each language its own
//! (`label = { en = "Cap", fr = "Plafond" }`). One type reads both, so facts, rules and the
//! theme share one mechanism and one check for a missing language.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};

/// A text, in the default language or in several. (Not [`crate::Text`], which is a checked
/// text's segments once its placeholders are read.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Translatable {
    /// One text, in the site's default language.
    Plain(String),
    /// The text in each language, by language code, in the order written.
    PerLanguage(Vec<(String, String)>),
}

impl Translatable {
    /// The text for `language`. A plain text is the default language's; a table answers only
    /// for the languages it names.
    pub fn get(&self, language: &str, default_language: &str) -> Option<&str> {
        match self {
            Translatable::Plain(text) => (language == default_language).then_some(text.as_str()),
            Translatable::PerLanguage(texts) => texts
                .iter()
                .find(|(code, _)| code == language)
                .map(|(_, text)| text.as_str()),
        }
    }

    /// The text for `language`, or the default language's when it has none: what a page shows
    /// while a translation is missing (which `guide check` reports).
    pub fn get_or_default(&self, language: &str, default_language: &str) -> &str {
        self.get(language, default_language)
            .or_else(|| self.get(default_language, default_language))
            .unwrap_or_else(|| self.any())
    }

    /// The first text written, whatever its language.
    pub fn any(&self) -> &str {
        match self {
            Translatable::Plain(text) => text,
            Translatable::PerLanguage(texts) => texts.first().map_or("", |(_, text)| text.as_str()),
        }
    }

    /// Every text with its language code (a plain text under `default_language`).
    pub fn iter<'a>(
        &'a self,
        default_language: &'a str,
    ) -> Box<dyn Iterator<Item = (&'a str, &'a str)> + 'a> {
        match self {
            Translatable::Plain(text) => {
                Box::new(std::iter::once((default_language, text.as_str())))
            }
            Translatable::PerLanguage(texts) => Box::new(
                texts
                    .iter()
                    .map(|(code, text)| (code.as_str(), text.as_str())),
            ),
        }
    }

    /// The languages of `languages` this text has no text for.
    pub fn missing<'a>(&self, languages: &'a [&'a str], default_language: &str) -> Vec<&'a str> {
        languages
            .iter()
            .copied()
            .filter(|language| self.get(language, default_language).is_none())
            .collect()
    }
}

impl From<&str> for Translatable {
    fn from(text: &str) -> Self {
        Translatable::Plain(text.to_string())
    }
}

impl From<String> for Translatable {
    fn from(text: String) -> Self {
        Translatable::Plain(text)
    }
}

/// A language code as `site.toml` and file names write it: `en`, `fr`, `pt-br`.
fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Why `code` cannot key a translated text that already has `seen`, if it cannot: the one
/// check every reader of a per-language table makes (the rules compiler reads its texts with
/// their spans, but by the same rules).
pub(crate) fn check_language_key<'s>(
    code: &str,
    mut seen: impl Iterator<Item = &'s str>,
) -> Result<(), String> {
    if !is_language_code(code) {
        return Err(format!(
            "`{code}` is not a language code; a translated text is a table \
             keyed by language, such as {{ en = \"…\", fr = \"…\" }}"
        ));
    }
    if seen.any(|known| known == code) {
        return Err(format!("the language `{code}` is given twice"));
    }
    Ok(())
}

/// Why a per-language table of `count` texts cannot be a text, if it cannot.
pub(crate) fn check_not_empty(count: usize) -> Result<(), String> {
    if count == 0 {
        return Err(
            "a translated text needs at least one language, such as { en = \"…\" }".to_string(),
        );
    }
    Ok(())
}

impl<'de> Deserialize<'de> for Translatable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TranslatableVisitor;

        impl<'de> Visitor<'de> for TranslatableVisitor {
            type Value = Translatable;

            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str(
                    "a text, or a table of texts by language such as { en = \"…\", fr = \"…\" }",
                )
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Translatable, E> {
                Ok(Translatable::Plain(text.to_string()))
            }

            fn visit_string<E: de::Error>(self, text: String) -> Result<Translatable, E> {
                Ok(Translatable::Plain(text))
            }

            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Translatable, M::Error> {
                let mut texts: Vec<(String, String)> = Vec::new();
                while let Some(code) = map.next_key::<String>()? {
                    check_language_key(&code, texts.iter().map(|(seen, _)| seen.as_str()))
                        .map_err(de::Error::custom)?;
                    let text: String = map.next_value()?;
                    texts.push((code, text));
                }
                check_not_empty(texts.len()).map_err(de::Error::custom)?;
                Ok(Translatable::PerLanguage(texts))
            }
        }

        deserializer.deserialize_any(TranslatableVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Holder {
        label: Translatable,
    }

    fn read(toml_text: &str) -> Result<Translatable, String> {
        toml::from_str::<Holder>(toml_text)
            .map(|holder| holder.label)
            .map_err(|error| error.to_string())
    }

    #[test]
    fn a_plain_string_is_the_default_language() {
        let text = read(r#"label = "Cap""#).unwrap();
        assert_eq!(text.get("en", "en"), Some("Cap"));
        assert_eq!(text.get("fr", "en"), None);
        assert_eq!(text.get_or_default("fr", "en"), "Cap");
        assert_eq!(text.missing(&["en", "fr"], "en"), vec!["fr"]);
    }

    #[test]
    fn a_table_gives_each_language_its_own() {
        let text = read(r#"label = { en = "Cap", fr = "Plafond" }"#).unwrap();
        assert_eq!(text.get("fr", "en"), Some("Plafond"));
        assert_eq!(text.get("en", "en"), Some("Cap"));
        assert!(text.missing(&["en", "fr"], "en").is_empty());
        let pairs: Vec<_> = text.iter("en").collect();
        assert_eq!(pairs, vec![("en", "Cap"), ("fr", "Plafond")]);
    }

    #[test]
    fn a_table_missing_the_default_falls_back_to_what_it_has() {
        let text = read(r#"label = { fr = "Plafond" }"#).unwrap();
        assert_eq!(text.get("en", "en"), None);
        assert_eq!(text.get_or_default("en", "en"), "Plafond");
    }

    #[test]
    fn bad_tables_are_refused_with_what_to_write() {
        let not_a_code = read(r#"label = { english = "Cap" }"#).unwrap_err();
        assert!(
            not_a_code.contains("`english` is not a language code"),
            "{not_a_code}"
        );
        let empty = read("label = {}").unwrap_err();
        assert!(empty.contains("at least one language"), "{empty}");
        let number = read("label = 5").unwrap_err();
        assert!(number.contains("a table of texts by language"), "{number}");
        let nested = read(r#"label = { en = 5 }"#).unwrap_err();
        assert!(nested.contains("invalid type"), "{nested}");
    }

    #[test]
    fn language_codes_follow_site_toml() {
        assert!(is_language_code("en"));
        assert!(is_language_code("fr"));
        assert!(is_language_code("pt-br"));
        assert!(!is_language_code("EN"));
        assert!(!is_language_code("f"));
        assert!(!is_language_code("fr-"));
    }
}
