//! The theme's fixed wording, per language: the `[theme]` table of the theme's `strings.toml`
//! (with the site's own `strings.toml`, beside `site.toml`, over it key by key), each value a
//! [`Translatable`]. Templates read them with `trans(key="menu")`, in the language of the page
//! being rendered, or `trans(key="menu", lang="fr")` for a passage in another language.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use guide_rules::Translatable;
use serde::Deserialize;

use crate::diagnostics::{toml_error, Diagnostic};

/// The table of `strings.toml` that holds the theme's wording.
pub const TABLE: &str = "theme";
/// The site's own strings file, beside `site.toml`: it goes over the theme's as the site's
/// `templates/` and `static/` go over the theme's.
pub const SITE_STRINGS_FILE: &str = "strings.toml";
/// The theme's strings file, at its folder's root.
pub const THEME_STRINGS_FILE: &str = "strings.toml";

/// One string, with where it is written, for `guide check` to point at.
#[derive(Debug, Clone)]
pub struct ThemeString {
    pub text: Translatable,
    pub file: PathBuf,
    pub source: Arc<str>,
    /// The key's value in `source`.
    pub span: Range<usize>,
}

/// Every theme string by key.
#[derive(Debug, Clone, Default)]
pub struct ThemeStrings {
    pub strings: BTreeMap<String, ThemeString>,
    pub default_language: String,
}

#[derive(Deserialize)]
struct StringsFile {
    #[serde(default)]
    theme: HashMap<String, toml::Spanned<Translatable>>,
}

impl ThemeStrings {
    pub fn new(default_language: &str) -> ThemeStrings {
        ThemeStrings {
            strings: BTreeMap::new(),
            default_language: default_language.to_string(),
        }
    }

    /// Adds the `[theme]` strings of one file, replacing those of the same keys.
    pub fn add_file(&mut self, shown: &Path, text: Arc<str>) -> Result<(), Diagnostic> {
        let file: StringsFile = toml::from_str(&text)
            .map_err(|error| toml_error(shown, &text, 0, &error, "theme strings"))?;
        for (key, value) in file.theme {
            let span = value.span();
            self.strings.insert(
                key,
                ThemeString {
                    text: value.into_inner(),
                    file: shown.to_path_buf(),
                    source: text.clone(),
                    span,
                },
            );
        }
        Ok(())
    }

    /// The string `key` in `language`, or the default language's when it has none.
    pub fn get(&self, key: &str, language: &str) -> Option<&str> {
        let string = self.strings.get(key)?;
        Some(string.text.get_or_default(language, &self.default_language))
    }
}

thread_local! {
    /// The language of the page this thread is rendering, for `trans` (a Tera function sees
    /// only its arguments).
    static RENDERING_LANGUAGE: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `render` with `language` as the language `trans` answers in.
pub fn in_language<T>(language: &str, render: impl FnOnce() -> T) -> T {
    let previous = RENDERING_LANGUAGE.with(|current| current.replace(Some(language.to_string())));
    let result = render();
    RENDERING_LANGUAGE.with(|current| *current.borrow_mut() = previous);
    result
}

/// The language of the page the calling thread is rendering, if it is rendering one: what
/// `trans` answers in and `human` writes in when not told otherwise.
pub fn rendering_language() -> Option<String> {
    RENDERING_LANGUAGE.with(|current| current.borrow().clone())
}

/// The Tera function `trans(key="…", lang="…")`.
pub struct Trans {
    pub strings: Arc<ThemeStrings>,
}

impl tera::Function for Trans {
    fn call(&self, args: &HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(tera::Value::as_str)
            .ok_or_else(|| {
                tera::Error::msg("`trans` needs a `key`, such as trans(key=\"menu\")")
            })?;
        let language = match args.get("lang") {
            Some(lang) => lang
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| tera::Error::msg("`lang` in `trans` is a language code"))?,
            None => RENDERING_LANGUAGE
                .with(|current| current.borrow().clone())
                .unwrap_or_else(|| self.strings.default_language.clone()),
        };
        match self.strings.get(key, &language) {
            Some(text) => Ok(tera::Value::String(text.to_string())),
            None => {
                let known: Vec<&str> = self.strings.strings.keys().map(String::as_str).collect();
                let hint = crate::diagnostics::suggest(key, known.iter().copied())
                    .map(|near| format!(" (did you mean `{near}`?)"))
                    .unwrap_or_default();
                Err(tera::Error::msg(format!(
                    "no theme string `{key}`{hint}: add it under [{TABLE}] in the theme's \
                     strings.toml or the site's {SITE_STRINGS_FILE}"
                )))
            }
        }
    }

    fn is_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_string_answers_in_the_page_language_and_falls_back_to_the_default() {
        let mut strings = ThemeStrings::new("en");
        strings
            .add_file(
                Path::new("strings.toml"),
                Arc::from("[theme]\nmenu = { en = \"Menu\", fr = \"Menu\" }\nhome = { en = \"Home\", fr = \"Accueil\" }\nonly = \"Only\"\n"),
            )
            .unwrap();
        assert_eq!(strings.get("home", "fr"), Some("Accueil"));
        assert_eq!(strings.get("home", "en"), Some("Home"));
        assert_eq!(strings.get("only", "fr"), Some("Only"));
        assert_eq!(strings.get("nothing", "en"), None);
        let trans = Trans {
            strings: Arc::new(strings),
        };
        let args = |key: &str| HashMap::from([("key".to_string(), tera::Value::from(key))]);
        let call = |key: &str| tera::Function::call(&trans, &args(key)).map(|v| v.to_string());
        assert_eq!(call("home").unwrap(), "\"Home\"");
        assert_eq!(in_language("fr", || call("home")).unwrap(), "\"Accueil\"");
        let error = call("hom").unwrap_err().to_string();
        assert!(error.contains("did you mean `home`"), "{error}");
    }
}
