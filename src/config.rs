//! `site.toml`: what the whole site shares.

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
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// A fact whose `verified` date is older than this many days is reported as stale.
    #[serde(default = "default_stale_after_days")]
    pub stale_after_days: u32,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            stale_after_days: default_stale_after_days(),
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
        config
            .set_base_url(&config.base_url.clone())
            .map_err(|message| {
                let span = text.find("base_url").map_or(0..0, |start| start..start + 8);
                Diagnostic::at(shown_path, &shared, span, message)
                    .with_help("write an absolute URL such as \"https://example.org/guide/\"")
            })?;
        Ok(config)
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
    fn relative_base_url_is_rejected_at_its_key() {
        let text = "title = \"T\"\nbase_url = \"guides/\"\n";
        let error = Config::parse(Path::new("site.toml"), text).unwrap_err();
        assert!(error.message.contains("not an absolute"));
        assert_eq!(error.line_column(), Some((2, 1)));
    }
}
