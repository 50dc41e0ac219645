//! The rules compiler's problems are the shared [`Diagnostic`]s, located in the rules file's
//! text. This crate reads no files, so its diagnostics have no path: the caller names the file
//! with [`Diagnostic::with_path`].

use std::ops::Range;
use std::sync::Arc;

pub(crate) use guide_diagnostic::{did_you_mean, suggest as nearest};
pub use guide_diagnostic::{line_column, Diagnostic, Severity};

/// An error at `span` of the rules text `source`.
pub(crate) fn diagnostic_at(
    source: &str,
    span: Range<usize>,
    message: impl Into<String>,
    help: Option<String>,
) -> Diagnostic {
    with_optional_help(Diagnostic::at("", &Arc::from(source), span, message), help)
}

fn with_optional_help(diagnostic: Diagnostic, help: Option<String>) -> Diagnostic {
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// Collects diagnostics against one source text.
pub(crate) struct Reporter<'a> {
    pub(crate) source: &'a str,
    /// The source as every diagnostic holds it, copied once, on the first error.
    shared_source: Option<Arc<str>>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// Problems that do not stop the rules from working: reported, never refused.
    pub(crate) warnings: Vec<Diagnostic>,
}

impl<'a> Reporter<'a> {
    pub(crate) fn new(source: &'a str) -> Reporter<'a> {
        Reporter {
            source,
            shared_source: None,
            diagnostics: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub(crate) fn error(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.error_with_optional_help(span, message, None);
    }

    pub(crate) fn error_with_help(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.error_with_optional_help(span, message, Some(help.into()));
    }

    pub(crate) fn error_with_optional_help(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) {
        let source = self
            .shared_source
            .get_or_insert_with(|| Arc::from(self.source));
        let diagnostic = Diagnostic::at("", source, span, message);
        self.diagnostics.push(with_optional_help(diagnostic, help));
    }

    /// An error at `span` that points at a second place, `other`, which it is about.
    pub(crate) fn error_with_label(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        other: Range<usize>,
        label: impl Into<String>,
        help: impl Into<String>,
    ) {
        let source = self
            .shared_source
            .get_or_insert_with(|| Arc::from(self.source));
        let diagnostic = Diagnostic::at("", source, span, message)
            .with_label(other, label)
            .with_help(help);
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn warning_with_help(
        &mut self,
        span: Range<usize>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let source = self
            .shared_source
            .get_or_insert_with(|| Arc::from(self.source));
        let diagnostic = Diagnostic::at("", source, span, message)
            .with_severity(Severity::Warning)
            .with_help(help);
        self.warnings.push(diagnostic);
    }

    /// The warnings, in the order of the file.
    pub(crate) fn take_warnings(&mut self) -> Vec<Diagnostic> {
        let mut warnings = std::mem::take(&mut self.warnings);
        warnings.sort_by_key(|diagnostic| diagnostic.span.as_ref().map_or(0, |span| span.start));
        warnings
    }

    pub(crate) fn has_errors(&self) -> bool {
        !self.diagnostics.is_empty()
    }

    pub(crate) fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.diagnostics
            .sort_by_key(|diagnostic| diagnostic.span.as_ref().map_or(0, |span| span.start));
        self.diagnostics.dedup();
        self.diagnostics
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diagnostics_point_into_the_rules_text_and_wait_for_a_path() {
        let source = "a = 1\nbé = \"x\"\n";
        let quote = source.find('"').unwrap();
        let diagnostic = diagnostic_at(source, quote..quote + 3, "bad", Some("fix".into()));
        assert_eq!(diagnostic.line_column(), Some((2, 6)));
        assert_eq!(diagnostic.to_string(), "2:6: bad");
        let named = diagnostic.with_path("content/rules/x.toml");
        assert_eq!(named.to_string(), "content/rules/x.toml:2:6: bad");
        assert!(named.render().contains("help: fix"), "{}", named.render());
    }

    #[test]
    fn nearest_ignores_names_that_are_too_different() {
        let names = ["applied_on", "visa_valid", "role"];
        assert_eq!(nearest("aplied_on", names), Some("applied_on"));
        assert_eq!(nearest("rol", names), Some("role"));
        assert_eq!(nearest("passport", names), None);
    }
}
