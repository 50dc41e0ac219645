//! Errors that point at the input: a file, a byte span in it, a message and a hint.
//!
//! Every stage reports problems as [`Diagnostic`]s and keeps going where it can, so one build
//! shows every independent error at once. Rendering follows cargo's layout (file:line:col and a
//! snippet with a caret) through `codespan-reporting`. The type lives in `guide-diagnostic`,
//! shared with the rules compiler; this module adds a build's list of them and the common
//! I/O and TOML errors.

use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use guide_diagnostic::{line_column, suggest, Diagnostic, Label, Severity};

/// The last cause, without the template Tera was rendering when it met it.
fn innermost_cause(diagnostic: &Diagnostic) -> Option<&str> {
    let cause = diagnostic.causes.last()?;
    Some(cause.split(" while rendering").next().unwrap_or(cause))
}

/// Every problem a build found. A build fails with all of them, not just the first.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// `Ok(value)` when nothing was reported.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// One template error breaks every page using the template: report it once, saying how
    /// many other pages it broke, instead of once a page. Errors without a cause merge when
    /// their place and message are the same (a language's folder in the way of a section).
    pub fn merge_repeated(&mut self) {
        let mut merged: Vec<(Diagnostic, usize)> = Vec::new();
        // The same cause at the same place, whichever page or child template hit it: found by
        // a map from the place, as a page may hold thousands of problems.
        let mut first_at: HashMap<(PathBuf, Range<usize>, String), usize> = HashMap::new();
        for diagnostic in self.0.drain(..) {
            let Some(span) = diagnostic.span.clone() else {
                merged.push((diagnostic, 0));
                continue;
            };
            // Without a cause, the message is what it says: two different mistakes at one
            // place stay two.
            let key = (
                diagnostic.path.clone(),
                span,
                innermost_cause(&diagnostic)
                    .unwrap_or(&diagnostic.message)
                    .to_string(),
            );
            match first_at.get(&key) {
                Some(&index) => merged[index].1 += 1,
                None => {
                    first_at.insert(key, merged.len());
                    merged.push((diagnostic, 0));
                }
            }
        }
        self.0 = merged
            .into_iter()
            .map(|(mut diagnostic, others)| {
                if others > 0 {
                    let plural = if others == 1 { "" } else { "s" };
                    diagnostic
                        .message
                        .push_str(&format!(" (and {others} other page{plural})"));
                }
                diagnostic
            })
            .collect();
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for diagnostic in &self.0 {
            out.push_str(&diagnostic.render());
            out.push('\n');
        }
        let count = self.0.len();
        out.push_str(&format!(
            "build failed: {count} error{}\n",
            if count == 1 { "" } else { "s" }
        ));
        out
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

impl std::error::Error for Diagnostics {}

/// An I/O failure on `path`, said plainly.
pub fn io_error(path: &Path, action: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("could not {action}: {error}"))
}

/// Text from a file's bytes. A file that is not UTF-8 is an error at its first invalid byte,
/// shown in a lossy copy of the text (identical up to that byte, so the line and column hold).
pub fn utf8_text(bytes: Vec<u8>, shown: &Path) -> Result<Arc<str>, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Arc::from(text)),
        Err(error) => {
            let bytes = error.as_bytes();
            let at = error.utf8_error().valid_up_to();
            let lossy: Arc<str> = Arc::from(String::from_utf8_lossy(bytes).as_ref());
            let replacement = char::REPLACEMENT_CHARACTER.len_utf8();
            Err(Diagnostic::at(
                shown,
                &lossy,
                at..at + replacement,
                format!("not UTF-8 text: invalid byte 0x{:02X}", bytes[at]),
            )
            .with_help(
                "save the file as UTF-8 (an editor's \"Save with encoding\" or \"Reopen with encoding\" converts it)",
            ))
        }
    }
}

/// A TOML deserialisation error, positioned by the span toml reports. `offset` is where the
/// TOML starts inside `text` (front matter sits below the `+++` line).
pub fn toml_error(
    path: &Path,
    text: &Arc<str>,
    offset: usize,
    error: &toml::de::Error,
    what: &str,
) -> Diagnostic {
    let message = format!("invalid {what}: {}", error.message());
    let diagnostic = match error.span() {
        Some(span) => Diagnostic::at(path, text, offset + span.start..offset + span.end, message),
        None => Diagnostic::new(path, message),
    };
    diagnostic.with_help(match what {
        "front matter" => "front matter is TOML between two `+++` lines; see README.md, \"Pages\"",
        "site configuration" => "see README.md, \"site.toml\", for the keys a site may set",
        "facts" => "see README.md, \"Program facts\", for the shape of a fact",
        _ => "check the TOML syntax at the position shown",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_picks_the_nearest_name_and_rejects_distant_ones() {
        let names = ["h1b.cap", "h1b.closed_on", "h1b.opened_on"];
        assert_eq!(suggest("h1b.cpa", names), Some("h1b.cap"));
        assert_eq!(suggest("h1b.opend_on", names), Some("h1b.opened_on"));
        assert_eq!(suggest("cities.hubs", names), None);
    }

    #[test]
    fn the_same_error_at_one_place_is_said_once_and_different_ones_each() {
        let text: Arc<str> = Arc::from("path = \"x\"\n");
        let at = |message: &str| Diagnostic::at("site.toml", &text, 7..10, message);
        let mut diagnostics = Diagnostics(vec![at("same"), at("other"), at("same"), at("same")]);
        diagnostics.merge_repeated();
        let messages: Vec<&str> = diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["same (and 2 other pages)", "other"]);
    }

    #[test]
    fn rendering_shows_location_snippet_and_help() {
        let text: Arc<str> = Arc::from("a = 1\nb = {{ oops }}\n");
        let diagnostic = Diagnostic::at("x.md", &text, 10..14, "bad thing").with_help("do this");
        let rendered = diagnostic.render();
        assert!(rendered.contains("error: bad thing"), "{rendered}");
        assert!(rendered.contains("x.md:2:5"), "{rendered}");
        assert!(rendered.contains("b = {{ oops }}"), "{rendered}");
        assert!(rendered.contains("help: do this"), "{rendered}");
    }
}

#[cfg(test)]
mod rendered_forms {
    use super::*;

    /// The exact text of the forms every stage prints today; a change here changes what
    /// users and editors parse.
    #[test]
    fn single_label_error_renders_in_cargo_layout() {
        let text: Arc<str> = Arc::from("a = 1\nb = {{ oops }}\n");
        let diagnostic = Diagnostic::at("x.md", &text, 10..14, "bad thing")
            .with_help("do this")
            .with_causes(vec!["outer".into(), "inner".into()]);
        assert_eq!(
            diagnostic.render(),
            "error: bad thing\n  --> x.md:2:5\n  |\n2 | b = {{ oops }}\n  |     ^^^^\n  |\n  = caused by: outer\n  = caused by: inner\n  = help: do this\n\n"
        );
    }

    #[test]
    fn error_without_a_position_renders_plainly() {
        let diagnostic = Diagnostic::new("site.toml", "could not read: gone")
            .with_help("check it")
            .with_causes(vec!["because".into()]);
        assert_eq!(
            diagnostic.render(),
            "error: could not read: gone\n  --> site.toml\n  = caused by: because\n  = help: check it\n"
        );
        assert_eq!(diagnostic.to_string(), "site.toml: could not read: gone");
    }

    #[test]
    fn span_past_the_end_is_clamped() {
        let text: Arc<str> = Arc::from("é\n");
        let diagnostic = Diagnostic::at("y.toml", &text, 5..9, "at the end");
        assert_eq!(
            diagnostic.render(),
            "error: at the end\n  --> y.toml:2:1\n  |\n2 | \n  | ^\n\n"
        );
        assert_eq!(diagnostic.location(), "y.toml:2:1");
    }

    #[test]
    fn warning_renders_in_cargo_layout() {
        let text: Arc<str> = Arc::from("title = \"\"\n");
        let diagnostic = Diagnostic::at("p.md", &text, 8..10, "empty title").with_help("add one");
        assert_eq!(
            diagnostic.with_severity(Severity::Warning).render(),
            "warning: empty title\n  --> p.md:1:9\n  |\n1 | title = \"\"\n  |         ^^\n  |\n  = help: add one\n\n"
        );
    }
}
