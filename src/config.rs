//! `site.toml`: what the whole site shares.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::confine::Refused;
use crate::diagnostics::{io_error, toml_error, utf8_text, Diagnostic};

pub const CONFIG_FILE: &str = "site.toml";

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: String,
    /// Absolute URL the site is published at, always ending in `/`.
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Minify HTML and CSS in `guide build` output.
    #[serde(default)]
    pub minify: bool,
    #[serde(default)]
    pub check: CheckConfig,
    #[serde(default)]
    pub extra: toml::Table,
    /// Languages besides `language`, by code (`[languages.fr]`), each published under its own
    /// folder (`/fr/`).
    #[serde(default)]
    pub languages: BTreeMap<String, LanguageConfig>,
    /// `[search]`: on unless `search = false`.
    #[serde(default, skip_serializing)]
    pub search: SearchConfig,
    /// The file as read, for a later diagnostic to point into (a language's `path`).
    #[serde(skip)]
    pub text: Arc<str>,
}

/// A language the site is published in besides its default one.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LanguageConfig {
    /// The site's title in this language; the default language's when absent.
    pub title: Option<String>,
    pub description: Option<String>,
    /// The language's name in itself, for the language toggle (`Français`); a known
    /// language's name when absent.
    pub name: Option<String>,
    /// The folder its pages are published under; the language's code when absent.
    pub path: Option<String>,
    /// Replaces the same keys of the site's `[extra]` on this language's pages.
    #[serde(default)]
    pub extra: toml::Table,
}

/// The site's languages, the default one first: what the content and the templates need of
/// them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Languages {
    /// `(code, folder prefix)`: `("en", "")`, `("fr", "fr/")`.
    list: Vec<(String, String)>,
}

impl Default for Languages {
    fn default() -> Self {
        Languages {
            list: vec![(default_language(), String::new())],
        }
    }
}

impl Languages {
    pub fn default_code(&self) -> &str {
        &self.list[0].0
    }

    pub fn is_default(&self, code: &str) -> bool {
        self.default_code() == code
    }

    /// Every code, the default first.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        self.list.iter().map(|(code, _)| code.as_str())
    }

    /// The codes besides the default one.
    pub fn others(&self) -> impl Iterator<Item = &str> {
        self.codes().skip(1)
    }

    pub fn is_multilingual(&self) -> bool {
        self.list.len() > 1
    }

    /// Where a language's pages go, relative to the output folder: `""` or `"fr/"`.
    pub fn prefix(&self, code: &str) -> &str {
        self.list
            .iter()
            .find(|(known, _)| known == code)
            .map_or("", |(_, prefix)| prefix.as_str())
    }

    /// The language a file name marks, `family.fr.md` → `fr`, if it is one of the others.
    pub fn marked_by<'a>(&self, file_stem: &'a str) -> Option<&'a str> {
        let (_, code) = file_stem.rsplit_once('.')?;
        self.others().any(|known| known == code).then_some(code)
    }
}

/// Whether `code` is a language this project knows by name: a file marked with it is taken
/// for a translation (see `content::misplaced_language_mark`).
pub fn is_known_language(code: &str) -> bool {
    AUTONYMS.iter().any(|(known, _)| *known == code)
}

/// Languages' names in themselves, for the toggle when `site.toml` gives none.
const AUTONYMS: &[(&str, &str)] = &[
    ("de", "Deutsch"),
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("it", "Italiano"),
    ("iu", "ᐃᓄᒃᑎᑐᑦ"),
    ("pt", "Português"),
];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// A fact whose `verified` date is older than this many days is reported as stale.
    #[serde(default = "default_stale_after_days")]
    pub stale_after_days: u32,
    /// How a page missing in one of the site's languages is reported: `"error"` (the
    /// default) or `"warning"`.
    #[serde(default)]
    pub missing_translation: FindingLevel,
}

impl CheckConfig {
    pub fn missing_translation_is_error(&self) -> bool {
        self.missing_translation == FindingLevel::Error
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingLevel {
    #[default]
    Error,
    Warning,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            stale_after_days: default_stale_after_days(),
            missing_translation: FindingLevel::Error,
        }
    }
}

fn default_language() -> String {
    "en".into()
}

fn default_theme() -> String {
    "default".into()
}

fn default_stale_after_days() -> u32 {
    365
}

impl Config {
    pub fn load(root: &Path) -> Result<Config, Diagnostic> {
        let path = root.join(CONFIG_FILE);
        let bytes = crate::confine::read_inside(root, &path).map_err(|refused| match refused {
            Refused::Io(e) => io_error(&path, "read the site configuration", &e)
                .with_help("run guide from a site's folder, or pass --root DIR"),
            Refused::Outside(outside) => outside.diagnostic(),
        })?;
        let text = utf8_text(bytes, Path::new(CONFIG_FILE))?;
        Config::parse(Path::new(CONFIG_FILE), &text)
    }

    pub fn parse(shown_path: &Path, text: &str) -> Result<Config, Diagnostic> {
        let shared: Arc<str> = Arc::from(text);
        let mut config: Config = toml::from_str(text)
            .map_err(|e| toml_error(shown_path, &shared, 0, &e, "site configuration"))?;
        config.text = shared.clone();
        config
            .set_base_url(&config.base_url.clone())
            .map_err(|message| {
                let span = key_span(text, "base_url");
                Diagnostic::at(shown_path, &shared, span, message)
                    .with_help("write an absolute URL such as \"https://example.org/guide/\"")
            })?;
        config.check_languages(shown_path, &shared)?;
        config.check_search_slugs(shown_path, &shared)?;
        Ok(config)
    }

    /// Each `[search] slug` names one of the site's languages and is one folder name.
    fn check_search_slugs(&self, shown_path: &Path, text: &Arc<str>) -> Result<(), Diagnostic> {
        // Looked for in the `[search]` table first.
        let at = |needle: &str| {
            let table = text.find("[search]").unwrap_or(0);
            let span = span_of(&text[table..], needle);
            if span.is_empty() {
                span_of(text, needle)
            } else {
                span.start + table..span.end + table
            }
        };
        for (code, slug) in &self.search.slugs {
            if *code != self.language && !self.languages.contains_key(code) {
                let known: Vec<String> = std::iter::once(self.language.clone())
                    .chain(self.languages.keys().cloned())
                    .map(|code| format!("`{code}`"))
                    .collect();
                return Err(Diagnostic::at(
                    shown_path,
                    text,
                    at(code),
                    format!(
                        "`[search] slug` names `{code}`, which is not one of the site's languages"
                    ),
                )
                .with_help(format!("the site's languages are {}", known.join(", "))));
            }
            if !is_folder_name(slug) {
                return Err(Diagnostic::at(
                    shown_path,
                    text,
                    at(&format!("\"{slug}\"")),
                    format!("`{slug}` cannot be the search page's folder"),
                )
                .with_help("a search page's `slug` is one folder name in letters, digits, `-` and `_`, such as \"recherche\""));
            }
        }
        Ok(())
    }

    fn check_languages(&self, shown_path: &Path, text: &Arc<str>) -> Result<(), Diagnostic> {
        if let Err((message, help)) = check_language_code(&self.language) {
            return Err(
                Diagnostic::at(shown_path, text, key_span(text, "language"), message)
                    .with_help(help),
            );
        }
        let mut folders = BTreeMap::new();
        // Where a language is written is looked up only for an error: a load with none
        // reads the file as TOML once.
        let table_of = |code: &str| language_spans(text).remove(code).unwrap_or((0..0, None));
        for (code, language) in &self.languages {
            if *code == self.language {
                return Err(Diagnostic::at(
                    shown_path,
                    text,
                    table_of(code).0,
                    format!("`{code}` is the site's default language (`language`)"),
                )
                .with_help("`[languages.CODE]` adds a language besides the default one: remove this table, or change `language`"));
            }
            if let Err((message, help)) = check_language_code(code) {
                return Err(
                    Diagnostic::at(shown_path, text, table_of(code).0, message).with_help(help)
                );
            }
            let folder = language.path.as_deref().unwrap_or(code);
            if !is_folder_name(folder) {
                return Err(Diagnostic::at(
                    shown_path,
                    text,
                    language_path_span(text, code),
                    format!("`{folder}` cannot be a language's folder"),
                )
                .with_help("a language's `path` is one folder name in letters, digits, `-` and `_`, such as `fr`"));
            }
            if let Some(other) = folders.insert(folder.to_string(), code) {
                return Err(Diagnostic::at(
                    shown_path,
                    text,
                    language_path_span(text, code),
                    format!("`{code}` and `{other}` are both published under `/{folder}/`"),
                )
                .with_help("give one of them another `path`"));
            }
        }
        Ok(())
    }

    /// The site's languages, the default one first, then the others by code.
    pub fn languages(&self) -> Languages {
        let mut list = vec![(self.language.clone(), String::new())];
        for (code, language) in &self.languages {
            let folder = language.path.as_deref().unwrap_or(code);
            list.push((code.clone(), format!("{folder}/")));
        }
        Languages { list }
    }

    /// A language's name in itself, for the language toggle.
    pub fn language_name(&self, code: &str) -> String {
        if let Some(name) = self.languages.get(code).and_then(|l| l.name.clone()) {
            return name;
        }
        let base = code.split('-').next().unwrap_or(code);
        AUTONYMS
            .iter()
            .find(|(known, _)| *known == base)
            .map_or_else(|| code.to_string(), |(_, name)| name.to_string())
    }

    /// The site's title in a language.
    pub fn title_in(&self, code: &str) -> &str {
        self.languages
            .get(code)
            .and_then(|l| l.title.as_deref())
            .unwrap_or(&self.title)
    }

    /// The site's description in a language.
    pub fn description_in(&self, code: &str) -> &str {
        self.languages
            .get(code)
            .and_then(|l| l.description.as_deref())
            .unwrap_or(&self.description)
    }

    /// The site's `[extra]` as a language's pages see it.
    pub fn extra_in(&self, code: &str) -> toml::Table {
        let mut extra = self.extra.clone();
        if let Some(language) = self.languages.get(code) {
            for (key, value) in &language.extra {
                extra.insert(key.clone(), value.clone());
            }
        }
        extra
    }

    /// Normalises and sets the base URL (used by `--base-url` too).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        let url = url.trim();
        if !(url.starts_with("http://")
            || url.starts_with("https://")
            || url.starts_with("file://"))
        {
            return Err(format!("base_url `{url}` is not an absolute http(s) URL"));
        }
        // Every address is the base URL followed by a page's path: a query or a fragment
        // would land in the middle of each one, and a space is not part of a URL.
        let (scheme, rest) = url.split_once("://").unwrap_or_default();
        let problem = if url.contains('?') {
            Some("has a query (`?...`)")
        } else if url.contains('#') {
            Some("has a fragment (`#...`)")
        } else if url.contains(char::is_whitespace) {
            Some("has a space")
        } else if scheme != "file" && matches!(rest.chars().next(), None | Some('/' | ':')) {
            Some("names no host")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(format!(
                "base_url `{url}` {problem}: every page's address is the base URL followed by its path"
            ));
        }
        self.base_url = if url.ends_with('/') {
            url.to_string()
        } else {
            format!("{url}/")
        };
        Ok(())
    }

    /// The path part of the base URL, e.g. `/guides/h1b/`.
    pub fn base_path(&self) -> &str {
        let without_scheme = self.base_url.split_once("://").map_or("", |(_, rest)| rest);
        without_scheme
            .find('/')
            .map_or("/", |slash| &without_scheme[slash..])
    }

    pub fn theme_dir(&self, root: &Path) -> PathBuf {
        root.join("themes").join(&self.theme)
    }
}

/// `fr`, `en`, `fr-CA`, `zh-Hant`: a primary subtag of 2 or 3 letters, then subtags of
/// letters and digits.
fn is_language_code(code: &str) -> bool {
    let mut parts = code.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|part| {
            (1..=8).contains(&part.len()) && part.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

/// Which kinds of documents `[search] include` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Include {
    Pages,
    Facts,
    Checkers,
}

/// A site language code as guide takes it: well formed (`fr`, `fr-CA`), and a language it
/// writes dates, numbers and the theme's wording in. `Err` holds the message and its help.
pub fn check_language_code(code: &str) -> Result<(), (String, String)> {
    if !is_language_code(code) {
        return Err((
            format!("`{code}` is not a language code"),
            "write a language code such as `fr`, `en` or `fr-CA`".to_string(),
        ));
    }
    if crate::format::Locale::for_language(code).is_none() {
        return Err((
            format!("guide cannot write dates and numbers in `{code}`"),
            "the theme and the facts' formats are written in English (`en`) and French (`fr`), with a region if you like (`en-CA`, `fr-CA`)".to_string(),
        ));
    }
    Ok(())
}

/// The span of the top-level key `key` where it is set (`key = ...` at the start of a line),
/// not where a comment mentions it; empty at the start when it is not set.
fn key_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if let Some(rest) = trimmed.strip_prefix(key) {
            if rest.trim_start().starts_with('=') {
                return offset + indent..offset + indent + key.len();
            }
        }
        offset += line.len();
    }
    0..0
}

/// Where site.toml `text` writes each language besides the default, by code: its table (the
/// header of `[languages.fr]`, the braces of `fr = { ... }`, the key of `languages.fr.title`)
/// and the value of its `path` when it has one. Read as TOML, so a comment never matches.
fn language_spans(text: &str) -> BTreeMap<String, (Range<usize>, Option<Range<usize>>)> {
    #[derive(Deserialize)]
    struct Spans {
        #[serde(default)]
        languages: BTreeMap<String, toml::Spanned<LanguageSpans>>,
    }
    #[derive(Deserialize)]
    struct LanguageSpans {
        path: Option<toml::Spanned<String>>,
    }
    let Ok(spans) = toml::from_str::<Spans>(text) else {
        return BTreeMap::new();
    };
    spans
        .languages
        .into_iter()
        .map(|(code, language)| {
            let table = language.span();
            let path = language.into_inner().path.map(|path| path.span());
            (code, (table, path))
        })
        .collect()
}

/// Where site.toml `text` sets the folder of language `code`: the value of its `path`, else
/// its table (its folder is then its code); empty when not found.
pub fn language_path_span(text: &str, code: &str) -> Range<usize> {
    language_spans(text)
        .remove(code)
        .map_or(0..0, |(table, path)| path.unwrap_or(table))
}

/// Where `needle` first is in `text`, or an empty span at the start.
fn span_of(text: &str, needle: &str) -> std::ops::Range<usize> {
    text.find(needle)
        .map_or(0..0, |start| start..start + needle.len())
}

/// Whether `name` is one folder name a site's configuration may give (a language's `path`, a
/// search page's `slug`): ASCII letters, digits, `-` and `_`.
fn is_folder_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// `[search]` in `site.toml`: `search = false` turns it off; a table may say which kinds of
/// documents it holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchConfig {
    pub enabled: bool,
    pub include: Vec<Include>,
    /// The search page's folder name by language code (`fr = "recherche"`), under the
    /// language's folder; [`DEFAULT_SEARCH_SLUG`] for a language not named.
    pub slugs: BTreeMap<String, String>,
}

/// The search page's folder name in a language `[search] slug` does not name.
pub const DEFAULT_SEARCH_SLUG: &str = "search";

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig {
            enabled: true,
            include: every_kind(),
            slugs: BTreeMap::new(),
        }
    }
}

impl SearchConfig {
    pub fn includes(&self, kind: Include) -> bool {
        self.include.contains(&kind)
    }

    /// The search page's folder name in language `code`.
    pub fn slug(&self, code: &str) -> &str {
        self.slugs
            .get(code)
            .map_or(DEFAULT_SEARCH_SLUG, String::as_str)
    }
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SearchTable {
    #[serde(default = "yes")]
    enabled: bool,
    #[serde(default = "every_kind")]
    include: Vec<Include>,
    #[serde(default)]
    slug: BTreeMap<String, String>,
}

fn yes() -> bool {
    true
}

fn every_kind() -> Vec<Include> {
    vec![Include::Pages, Include::Facts, Include::Checkers]
}

impl<'de> serde::Deserialize<'de> for SearchConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = SearchConfig;
            fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
                formatter.write_str("`false`, `true` or a table with `enabled` and `include`")
            }
            fn visit_bool<E: serde::de::Error>(self, enabled: bool) -> Result<SearchConfig, E> {
                Ok(SearchConfig {
                    enabled,
                    ..SearchConfig::default()
                })
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                map: M,
            ) -> Result<SearchConfig, M::Error> {
                let table = <SearchTable as serde::Deserialize>::deserialize(
                    serde::de::value::MapAccessDeserializer::new(map),
                )?;
                Ok(SearchConfig {
                    enabled: table.enabled,
                    include: table.include,
                    slugs: table.slug,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let text = "title = \"T\"\nbase_url = \"https://e.org\"\ncolour = \"red\"\n";
        let error = Config::parse(Path::new("site.toml"), text).unwrap_err();
        assert!(error.message.contains("colour"), "{}", error.message);
        assert_eq!(error.line_column().map(|(line, _)| line), Some(3));
    }

    #[test]
    fn base_url_gains_a_trailing_slash_and_exposes_its_path() {
        let text = "title = \"T\"\nbase_url = \"https://e.org/guides/h1b\"\n";
        let config = Config::parse(Path::new("site.toml"), text).unwrap();
        assert_eq!(config.base_url, "https://e.org/guides/h1b/");
        assert_eq!(config.base_path(), "/guides/h1b/");
    }

    #[test]
    fn a_base_url_with_a_query_a_fragment_or_no_host_is_rejected_at_its_key() {
        for (url, cause) in [
            ("https://e.org/guide/?lang=en", "has a query"),
            ("https://e.org/guide#top", "has a fragment"),
            ("https:///guide/", "names no host"),
            ("https://e.org/my guide/", "has a space"),
            ("https://e.org/my\tguide/", "has a space"),
            ("https://", "names no host"),
            ("https://:8080/guide/", "names no host"),
        ] {
            let text = format!("title = \"T\"\nbase_url = \"{url}\"\n");
            let error = Config::parse(Path::new("site.toml"), &text).unwrap_err();
            assert!(error.message.contains(cause), "{url}: {}", error.message);
            assert_eq!(error.line_column(), Some((2, 1)), "{url}");
        }
    }

    #[test]
    fn a_languages_folder_is_found_at_its_path_or_else_its_header() {
        let text = "title = \"T\"\npath = \"no\"\n[languages.fr]\ntitle = \"F\"\n\n[languages.\"de\"]\npath = 'deutsch'\n";
        let shown = |code: &str| &text[language_path_span(text, code)];
        // `fr` sets no `path`: its folder is its code, from its header; the `path` of the
        // table after it is not its own.
        assert_eq!(shown("fr"), "[languages.fr]");
        assert_eq!(shown("de"), "'deutsch'");
        assert_eq!(language_path_span(text, "es"), 0..0);
        // However the table is written, and whatever a comment says.
        for text in [
            "title = \"T\"\n# [languages.fr] path = \"x\"\n[languages]\nfr = { path = \"check\" }\n",
            "title = \"T\"\nlanguages.fr.path = \"check\"\n",
            "title = \"T\"\n[ languages.fr ]\ntitle = \"F\" # path = \"x\"\npath = \"check\"\n",
        ] {
            assert_eq!(&text[language_path_span(text, "fr")], "\"check\"", "{text}");
        }
    }

    #[test]
    fn a_base_url_with_a_port_an_ip_address_or_a_file_path_is_accepted() {
        for url in [
            "http://localhost:1111/",
            "http://127.0.0.1:8080/guide/",
            "http://[::1]:8080/g/",
            "https://e.org/r%C3%A8gles/",
            "file:///home/x/site/",
        ] {
            let text = format!("title = \"T\"\nbase_url = \"{url}\"\n");
            let config = Config::parse(Path::new("site.toml"), &text)
                .unwrap_or_else(|error| panic!("{url}: {}", error.message));
            assert_eq!(config.base_url, url);
        }
    }

    #[test]
    fn relative_base_url_is_rejected_at_its_key() {
        let text = "title = \"T\"\nbase_url = \"guides/\"\n";
        let error = Config::parse(Path::new("site.toml"), text).unwrap_err();
        assert!(error.message.contains("not an absolute"));
        assert_eq!(error.line_column(), Some((2, 1)));
    }

    #[test]
    fn a_language_guide_cannot_write_dates_in_is_refused_where_it_is_set() {
        let refused = |text: &str| {
            let error = Config::parse(Path::new("site.toml"), text).unwrap_err();
            (error.message.clone(), error.line_column())
        };
        // Set below a comment naming the key: the error is at the setting.
        assert_eq!(
            refused("# language = \"en\" is the default\ntitle = \"T\"\nbase_url = \"https://e.org\"\nlanguage = \"es\"\n"),
            ("guide cannot write dates and numbers in `es`".to_string(), Some((4, 1)))
        );
        assert_eq!(
            refused("title = \"T\"\nbase_url = \"https://e.org\"\n\n[languages.de]\ntitle = \"Leitfaden\"\n"),
            ("guide cannot write dates and numbers in `de`".to_string(), Some((4, 1)))
        );
        // A code TOML must quote is found where it is written.
        assert_eq!(
            refused("title = \"T\"\nbase_url = \"https://e.org\"\n\n[languages.\"../x\"]\ntitle = \"X\"\n"),
            ("`../x` is not a language code".to_string(), Some((4, 1)))
        );
        // Written as an inline table or with dotted keys, and named in a comment above.
        assert_eq!(
            refused("title = \"T\"\nbase_url = \"https://e.org\"\n# [languages.de] is not here\n[languages]\nde = { title = \"Leitfaden\" }\n"),
            ("guide cannot write dates and numbers in `de`".to_string(), Some((5, 6)))
        );
        assert_eq!(
            refused("title = \"T\"\nbase_url = \"https://e.org\"\nlanguages.en.title = \"E\"\n").1,
            Some((3, 11))
        );
        assert_eq!(
            refused("title = \"T\"\nbase_url = \"https://e.org\"\n[languages]\nfr = { path = \"x\" }\nfr-CA = { path = \"x\" }\n"),
            ("`fr-CA` and `fr` are both published under `/x/`".to_string(), Some((5, 18)))
        );
        // A comment naming `base_url` does not take its error.
        assert_eq!(
            refused("# base_url is the address\ntitle = \"T\"\nbase_url = \"ftp://x/\"\n").1,
            Some((3, 1))
        );
    }

    #[test]
    fn languages_list_the_default_first_each_under_its_folder() {
        let text = "title = \"T\"\nbase_url = \"https://e.org\"\n\n[languages.fr]\ntitle = \"Guide\"\n\n[languages.en-GB]\npath = \"uk\"\n";
        let config = Config::parse(Path::new("site.toml"), text).unwrap();
        let languages = config.languages();
        assert_eq!(languages.codes().collect::<Vec<_>>(), ["en", "en-GB", "fr"]);
        assert_eq!(languages.prefix("en"), "");
        assert_eq!(languages.prefix("fr"), "fr/");
        assert_eq!(languages.prefix("en-GB"), "uk/");
        assert_eq!(languages.marked_by("family.fr"), Some("fr"));
        assert_eq!(
            languages.marked_by("family.en"),
            None,
            "the default needs no mark"
        );
        assert_eq!(languages.marked_by("v2.1"), None);
        assert_eq!(config.title_in("fr"), "Guide");
        assert_eq!(config.title_in("es"), "T");
        assert_eq!(config.language_name("fr"), "Français");
        assert_eq!(config.language_name("en"), "English");
    }

    #[test]
    fn a_language_table_for_the_default_language_is_refused_at_its_header() {
        let text = "title = \"T\"\nbase_url = \"https://e.org\"\n[languages.en]\n";
        let error = Config::parse(Path::new("site.toml"), text).unwrap_err();
        assert!(
            error.message.contains("default language"),
            "{}",
            error.message
        );
        assert_eq!(error.line_column(), Some((3, 1)));
    }

    #[test]
    fn a_language_folder_outside_one_segment_is_refused() {
        let text = "title = \"T\"\nbase_url = \"https://e.org\"\n[languages.fr]\npath = \"../x\"\n";
        let error = Config::parse(Path::new("site.toml"), text).unwrap_err();
        assert!(error.message.contains("folder"), "{}", error.message);
        assert_eq!(error.line_column(), Some((4, 8)));
        let text = "title = \"T\"\nbase_url = \"https://e.org\"\n[languages.FR]\n";
        let error = Config::parse(Path::new("site.toml"), text).unwrap_err();
        assert!(error.message.contains("language code"), "{}", error.message);
    }

    #[test]
    fn search_is_on_unless_turned_off() {
        #[derive(serde::Deserialize)]
        struct Holder {
            #[serde(default)]
            search: SearchConfig,
        }
        let read = |text: &str| toml::from_str::<Holder>(text).map(|holder| holder.search);
        assert_eq!(read("").unwrap(), SearchConfig::default());
        assert!(!read("search = false").unwrap().enabled);
        let facts_only = read("[search]\ninclude = [\"facts\"]").unwrap();
        assert!(facts_only.enabled && facts_only.include == [Include::Facts]);
        let error = read("[search]\nfields = 1").unwrap_err().to_string();
        assert!(error.contains("unknown field `fields`"), "{error}");
        let error = read("[search]\ninclude = [\"images\"]")
            .unwrap_err()
            .to_string();
        assert!(error.contains("unknown variant `images`"), "{error}");
        let named = read("[search]\nslug = { fr = \"recherche\" }").unwrap();
        assert_eq!(named.slug("fr"), "recherche");
        assert_eq!(named.slug("en"), DEFAULT_SEARCH_SLUG);
    }

    #[test]
    fn a_search_slug_names_a_site_language_and_one_folder() {
        let site = "title = \"T\"\nbase_url = \"https://e.org\"\n[languages.fr]\n";
        let parse =
            |search: &str| Config::parse(Path::new("site.toml"), &format!("{site}{search}"));
        let config = parse("[search]\nslug = { fr = \"recherche\", en = \"find\" }\n").unwrap();
        assert_eq!(config.search.slug("fr"), "recherche");
        assert_eq!(config.search.slug("en"), "find");
        let error = parse("[search]\nslug = { de = \"suche\" }\n").unwrap_err();
        assert!(error.message.contains("`de`"), "{}", error.message);
        assert!(error.help.iter().any(|help| help.contains("`en`, `fr`")));
        assert_eq!(error.line_column(), Some((5, 10)));
        let error = parse("[search]\nslug = { fr = \"re/cherche\" }\n").unwrap_err();
        assert!(error.message.contains("`re/cherche`"), "{}", error.message);
        assert_eq!(error.line_column(), Some((5, 15)));
        assert!(parse("[search]\nslug = { fr = \"\" }\n").is_err());
    }
}
