//! Errors that point at the input: a file, a byte span in it, a message and a hint.
//!
//! Every stage reports problems as [`Diagnostic`]s and keeps going where it can, so one build
//! shows every independent error at once. Rendering follows cargo's layout (file:line:col and a
//! snippet with a caret) through `codespan-reporting`.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::NoColor, Chars, Config};

#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Path as shown to the user (relative to the site root where possible).
    pub path: PathBuf,
    /// The file's text, when the problem has a position in it.
    pub text: Option<Arc<str>>,
    pub span: Option<Range<usize>>,
    pub message: String,
    pub help: Option<String>,
    /// Further causes, outermost first (template errors carry a chain).
    pub causes: Vec<String>,
}

impl Diagnostic {
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.into(),
            text: None,
            span: None,
            message: message.into(),
            help: None,
            causes: Vec::new(),
        }
    }

    /// A problem at `span` (byte offsets) of `text`, the contents of `path`.
    pub fn at(
        path: impl Into<PathBuf>,
        text: &Arc<str>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let end = span.end.min(text.len());
        let start = span.start.min(end);
        Diagnostic {
            text: Some(text.clone()),
            span: Some(start..end),
            ..Diagnostic::new(path, message)
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_causes(mut self, causes: Vec<String>) -> Self {
        self.causes = causes;
        self
    }

    /// 1-based line and column (in characters) of the start of the span.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        let (text, span) = (self.text.as_deref()?, self.span.as_ref()?);
        Some(line_column(text, span.start))
    }

    /// `path:line:col`, or the path alone when there is no position.
    pub fn location(&self) -> String {
        match self.line_column() {
            Some((line, column)) => format!("{}:{line}:{column}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }

    /// Cargo-style rendering, without colour.
    pub fn render(&self) -> String {
        self.render_as(Severity::Error)
    }

    /// Cargo-style rendering as an error or a warning, without colour.
    pub fn render_as(&self, severity: Severity) -> String {
        let mut out = String::new();
        match (&self.text, &self.span) {
            (Some(text), Some(span)) => {
                let file = SimpleFile::new(self.path.display().to_string(), text.as_ref());
                let report = match severity {
                    Severity::Error => Report::error(),
                    Severity::Warning => Report::warning(),
                };
                let mut report = report
                    .with_message(&self.message)
                    .with_labels(vec![Label::primary((), span.clone())]);
                let mut notes: Vec<String> = self
                    .causes
                    .iter()
                    .map(|c| format!("caused by: {c}"))
                    .collect();
                if let Some(help) = &self.help {
                    notes.push(format!("help: {help}"));
                }
                report = report.with_notes(notes);
                let config = Config {
                    chars: Chars::ascii(),
                    ..Config::default()
                };
                let mut writer = NoColor::new(Vec::new());
                if term::emit(&mut writer, &config, &file, &report).is_ok() {
                    out.push_str(&String::from_utf8_lossy(&writer.into_inner()));
                } else {
                    out = self.render_plain(severity);
                }
            }
            _ => out = self.render_plain(severity),
        }
        out
    }

    fn render_plain(&self, severity: Severity) -> String {
        let mut out = format!("{severity}: {}\n  --> {}\n", self.message, self.location());
        for cause in &self.causes {
            out.push_str(&format!("  = caused by: {cause}\n"));
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
        out
    }
}

/// How bad a finding is: errors fail a command, warnings only inform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

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
    /// many other pages it broke, instead of once a page.
    pub fn merge_repeated(&mut self) {
        let mut merged: Vec<(Diagnostic, usize)> = Vec::new();
        for diagnostic in self.0.drain(..) {
            // The same cause at the same place, whichever page or child template hit it.
            let same_problem = |(kept, _): &&mut (Diagnostic, usize)| {
                kept.span.is_some()
                    && (&kept.path, &kept.span) == (&diagnostic.path, &diagnostic.span)
                    && innermost_cause(kept) == innermost_cause(&diagnostic)
            };
            match merged.iter_mut().find(same_problem) {
                Some((_, count)) => *count += 1,
                None => merged.push((diagnostic, 0)),
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

pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// An I/O failure on `path`, said plainly.
pub fn io_error(path: &Path, action: &str, error: &std::io::Error) -> Diagnostic {
    Diagnostic::new(path, format!("could not {action}: {error}"))
}

/// Reads a text file. A file that is not UTF-8 is an error at its first invalid byte, shown in
/// a lossy copy of the text (identical up to that byte, so the line and column hold).
/// `action` says what failed when the file cannot be read at all ("read the rules").
pub fn read_text(path: &Path, shown: &Path, action: &str) -> Result<Arc<str>, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| io_error(shown, action, &e))?;
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

/// The candidate closest to `name` by edit distance, if close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= (name.len().max(candidate.len()) / 3).max(2))
        .min()
        .map(|(_, candidate)| candidate)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_from_one() {
        let text = "first\nsé cond\nthird";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, text.find("cond").unwrap()), (2, 4));
    }

    #[test]
    fn suggestion_picks_the_nearest_name_and_rejects_distant_ones() {
        let names = ["h1b.cap", "h1b.closed_on", "h1b.opened_on"];
        assert_eq!(suggest("h1b.cpa", names), Some("h1b.cap"));
        assert_eq!(suggest("h1b.opend_on", names), Some("h1b.opened_on"));
        assert_eq!(suggest("cities.hubs", names), None);
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
