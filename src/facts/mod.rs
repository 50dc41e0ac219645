//! Program facts: typed values with labels, sources and verification dates, loaded from
//! `content/facts/*.toml` (one namespace a file) and `content/facts/sources.toml`.
//!
//! A fact is rendered in one human format everywhere (pages, templates, rules texts), so a
//! number or date is typed once, in its fact file.
//!
//! `load` reads the files (`dated` the values that take effect on dates), `values` types a fact's value and writes it for readers (through
//! `crate::format`), `template` projects the facts into the values templates see.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use guide_rules::{Date, Translatable};

use crate::diagnostics::suggest;

use crate::format::{format_date, DateFormat, Locale};

/// The format that shows when a fact's value in force was last verified, by month.
pub const CHECKED_FORMAT: &str = "checked";

mod dated;
mod load;
mod template;
mod values;

pub use template::Reader;
pub use values::{
    date_from_toml, localize_record, localize_record_field, table_to_json, FactValue,
};

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    /// Its title in each language it is published in (a plain string: the default language's).
    pub title: Translatable,
    /// Its web address in each language; empty when the source has no known web address.
    pub url: Translatable,
    /// Lists order sources by weight, then id: give official sources the lower weights.
    pub weight: i64,
    pub publisher: Option<Translatable>,
    pub published: Option<String>,
    /// The languages the source is published in, when it says (`languages = ["en"]`): a page
    /// in any other language cites it in the first of them, marked as such, and `guide check`
    /// asks no title of it in that language.
    pub languages: Option<Vec<String>>,
    /// Where its address is written: the facts file (as shown) and the span of the string, so
    /// `guide check` points a finding about the address there.
    pub url_written_at: Option<(PathBuf, Range<usize>)>,
    /// Where its title and its publisher are written, for a finding about a text missing in
    /// a language.
    pub title_written_at: Option<(PathBuf, Range<usize>)>,
    pub publisher_written_at: Option<(PathBuf, Range<usize>)>,
}

impl Source {
    /// Whether the source is published in `language`: it says so in `languages`, or (saying
    /// nothing) has a title in it.
    pub fn is_published_in(&self, language: &str, default_language: &str) -> bool {
        match &self.languages {
            Some(languages) => languages.iter().any(|code| code == language),
            None => self.title.get(language, default_language).is_some(),
        }
    }

    /// The language a page in `language` cites the source in: `language` itself, or where
    /// the source is not published in it, its own language (the first of `languages`, else
    /// the default language).
    pub fn cited_language<'a>(&'a self, language: &'a str, default_language: &'a str) -> &'a str {
        if self.is_published_in(language, default_language) {
            return language;
        }
        match &self.languages {
            Some(languages) => languages.first().map_or(default_language, String::as_str),
            None => default_language,
        }
    }

    /// The source as a page in `reader`'s language shows it: `{id, title, url, publisher,
    /// published, weight}` in that language where the source has it, `path` when the address
    /// is a path from the site's root (without its `/`), and `lang`, the language
    /// code of the title and address shown when they are not in the page's language (a source
    /// published only in English, on a French page), for the template to mark.
    pub fn view(&self, reader: &Reader) -> serde_json::Value {
        let shown = self.cited_language(reader.language, reader.default_language);
        let in_shown = |text: &Translatable| -> String {
            text.get(shown, reader.default_language)
                .unwrap_or_else(|| text.get_or_default(reader.language, reader.default_language))
                .to_string()
        };
        let url = in_shown(&self.url);
        let mut value = serde_json::json!({
            "id": self.id,
            "title": in_shown(&self.title),
            "weight": self.weight,
        });
        // A file of the site is linked as each page reaches it: `{{ root }}{{ source.path }}`.
        if let Some(path) = crate::urls::site_path(&url) {
            value["path"] = path.into();
        }
        value["url"] = url.into();
        if let Some(publisher) = &self.publisher {
            // A publisher is named in the page's language where it can be, whatever the
            // language of the source itself.
            value["publisher"] = publisher
                .get_or_default(reader.language, reader.default_language)
                .into();
        }
        if let Some(published) = &self.published {
            value["published"] = published.as_str().into();
        }
        if shown != reader.language {
            value["lang"] = shown.into();
        }
        value
    }

    /// The address a page in `language` links to, in the language it cites the source in.
    pub fn url_in(&self, language: &str, default_language: &str) -> &str {
        let shown = self.cited_language(language, default_language);
        self.url
            .get(shown, default_language)
            .unwrap_or_else(|| self.url.get_or_default(language, default_language))
    }

    /// The title a page in `language` shows, in the language it cites the source in.
    pub fn title_in(&self, language: &str, default_language: &str) -> &str {
        let shown = self.cited_language(language, default_language);
        self.title
            .get(shown, default_language)
            .unwrap_or_else(|| self.title.get_or_default(language, default_language))
    }
}

#[derive(Debug, Clone)]
pub struct Fact {
    /// `namespace.name`.
    pub name: String,
    /// What readers call it, in each language written.
    pub label: Translatable,
    /// The value in force before the first of `changes` (the only one when there are none).
    /// For a list fact, its records as of the guide's date (see [`Facts::guide_date`]).
    pub value: FactValue,
    /// Later values, each in force from its date on, in strictly increasing date order.
    pub changes: Vec<FactChange>,
    pub unit: Option<String>,
    /// The format the value is shown in where none is named (`plain` for a year).
    pub format: Option<String>,
    pub note: Option<Translatable>,
    /// Index into [`Facts::sources`].
    pub source: Option<usize>,
    pub verified: Option<Date>,
    pub on_timeline: bool,
    /// For a table: the headings pages show, `key` for the rows' keys and one per column
    /// (a column without one shows its name).
    pub headers: BTreeMap<String, Translatable>,
    pub file: PathBuf,
    /// Byte span of the fact's table header (`[name]`) in its file, for diagnostics about it.
    pub span: Range<usize>,
    /// Byte span of each of the fact's keys, from the key to the end of its value.
    pub keys: BTreeMap<String, Range<usize>>,
}

/// A value a fact takes from a date on: one `[[name.values]]` table.
#[derive(Debug, Clone)]
pub struct FactChange {
    pub from: Date,
    /// Of the same kind as the fact's own value.
    pub value: FactValue,
    /// Index into [`Facts::sources`]: the change's own source, if it names one.
    pub source: Option<usize>,
    pub note: Option<Translatable>,
    /// When this value was last checked, if it was checked apart from the fact.
    pub verified: Option<Date>,
    /// Byte span of the change's table in the fact's file.
    pub span: Range<usize>,
    /// Byte span of each of the change's keys, from the key to the end of its value.
    pub keys: BTreeMap<String, Range<usize>>,
}

impl Fact {
    /// Where `key = ...` is in the fact's file, if the fact has that key.
    pub fn key_span(&self, key: &str) -> Option<Range<usize>> {
        self.keys.get(key).cloned()
    }

    /// The value in force on `date`, with the change that set it (`None` for the first
    /// value). Without a date, the latest value.
    pub fn value_on(&self, date: Option<Date>) -> (&FactValue, Option<&FactChange>) {
        let change = match date {
            None => self.changes.last(),
            Some(date) => self.changes.iter().rev().find(|change| change.from <= date),
        };
        match change {
            Some(change) => (&change.value, Some(change)),
            None => (&self.value, None),
        }
    }

    /// Every value the fact takes, in date order, each with the change that brought it: first
    /// its own value (no change: in force before the first change's date), then each change's.
    pub fn values_in_order(&self) -> impl Iterator<Item = (&FactValue, Option<&FactChange>)> {
        std::iter::once((&self.value, None)).chain(
            self.changes
                .iter()
                .map(|change| (&change.value, Some(change))),
        )
    }

    /// `value` written for readers, in `format` (`None` for the fact's own), with the fact's
    /// unit.
    pub fn display_value(&self, value: &FactValue, format: Option<&str>) -> Result<String, String> {
        self.display_value_in(value, format, "en")
    }

    /// [`Fact::display_value`], for a page in `language`: in its locale's formats, and a text
    /// written per language in its text (the default language's while it has none).
    pub fn display_value_in(
        &self,
        value: &FactValue,
        format: Option<&str>,
        language: &str,
    ) -> Result<String, String> {
        let format = format.or(self.format.as_deref());
        values::display(value, self.unit.as_deref(), format, language)
    }
}

/// Every fact and source of a site.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    facts: BTreeMap<String, Fact>,
    pub sources: Vec<Source>,
    /// Source texts of the fact files, so later stages can point into them.
    pub texts: BTreeMap<PathBuf, Arc<str>>,
    /// The latest `verified` date of any fact or change: the day the guide speaks of.
    guide_date: Option<Date>,
    /// The site's default language: the one a text written per language must give.
    default_language: String,
    /// What [`Facts::display_in`] has shown: pages cite the same facts over and over.
    displayed: DisplayCache,
}

/// Facts as shown, by language, format and name. Emptied when facts are cloned: a clone may
/// be changed.
#[derive(Default)]
struct DisplayCache(std::sync::RwLock<rustc_hash::FxHashMap<Box<str>, Result<String, String>>>);

impl DisplayCache {
    fn key(fact: &Fact, format: Option<&str>, language: &str) -> String {
        // No format and an empty one are told apart: `=` marks a format given.
        let (given, format) = match format {
            Some(format) => ("=", format),
            None => ("", ""),
        };
        let mut key = String::with_capacity(language.len() + format.len() + fact.name.len() + 4);
        for part in [language, given, format, fact.name.as_str()] {
            key.push_str(part);
            key.push('\u{0}');
        }
        key
    }
}

impl Clone for DisplayCache {
    fn clone(&self) -> Self {
        DisplayCache::default()
    }
}

impl std::fmt::Debug for DisplayCache {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("DisplayCache")
    }
}

impl Facts {
    /// The site's default language, as the facts were loaded for it.
    pub fn default_language(&self) -> &str {
        &self.default_language
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

    /// The day the guide speaks of: the latest `verified` date of any fact or dated value.
    /// Taken from the content rather than the clock, so a build stays the same on any day.
    /// `None` when nothing is verified; then every fact shows its latest value.
    pub fn guide_date(&self) -> Option<Date> {
        self.guide_date
    }

    /// A fact's value as of the guide's date, with the change that set it (`None` for the
    /// first value).
    pub fn current<'f>(&self, fact: &'f Fact) -> (&'f FactValue, Option<&'f FactChange>) {
        fact.value_on(self.guide_date)
    }

    /// The source of a fact's value as of the guide's date: its change's own, else the fact's.
    pub fn current_source(&self, fact: &Fact) -> Option<&Source> {
        let (_, change) = self.current(fact);
        change
            .and_then(|change| change.source)
            .or(fact.source)
            .map(|index| &self.sources[index])
    }

    /// When the value in force on the guide's date was last checked: its change's own
    /// `verified`, else the fact's. What a page's "as of" shows for a status.
    pub fn current_verified(&self, fact: &Fact) -> Option<Date> {
        let (_, change) = self.current(fact);
        change.and_then(|change| change.verified).or(fact.verified)
    }

    /// The human format of a fact as of the guide's date, in `format` (`None` for its default
    /// one).
    /// The format `checked` gives, for any fact, the month its value in force was last
    /// verified (`January 2026`), for "as of" beside a status.
    pub fn display(&self, fact: &Fact, format: Option<&str>) -> Result<String, String> {
        self.display_in(fact, format, "en")
    }

    /// [`Facts::display`] for a page in `language`: what `{{ fact(..) }}` shows there.
    pub fn display_in(
        &self,
        fact: &Fact,
        format: Option<&str>,
        language: &str,
    ) -> Result<String, String> {
        let key = DisplayCache::key(fact, format, language);
        let cache = &self.displayed.0;
        if let Some(shown) = cache
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(key.as_str())
        {
            return shown.clone();
        }
        let shown = self.display_uncached(fact, format, language);
        cache
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key.into(), shown.clone());
        shown
    }

    fn display_uncached(
        &self,
        fact: &Fact,
        format: Option<&str>,
        language: &str,
    ) -> Result<String, String> {
        let locale = Locale::for_language_or_default(language);
        if format == Some(CHECKED_FORMAT) {
            return self
                .current_verified(fact)
                .map(|date| format_date(date, DateFormat::Month, locale))
                .ok_or_else(|| {
                    format!(
                        "fact `{}` has no `verified` date for the format `checked` to show",
                        fact.name
                    )
                });
        }
        fact.display_value_in(self.current(fact).0, format, language)
    }
}
