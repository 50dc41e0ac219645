//! Outcomes, and every text: the placeholders in each language's, the same placeholders in
//! every language, and the languages each is written in.

use std::ops::Range;

use toml::Spanned;

use super::{string_base_at, Checker, Declared};
use crate::diagnostic::did_you_mean;
use crate::ir::Ir;
use crate::model::{Outcome, QuestionKind, Segment, Text, Translated};
use crate::program::ReaderText;
use crate::schema::{RulesFile, SpannedText, WrittenString, WrittenText};
use crate::syntax::{split_placeholders, TextPart};
use crate::text::Translatable;

impl Checker<'_> {
    /// A text without placeholders (a question, a choice's or a value's label), recorded as
    /// `what` for the check that every language has it.
    pub(super) fn plain_text(&mut self, text: &Spanned<WrittenText>, what: String) -> Translatable {
        self.record_languages(text, what);
        text.text()
    }

    /// Splits `{value_id}` and `{facts.ns.name}` placeholders out of each language's text and
    /// resolves them, each at its own place; `{{` and `}}` stand for literal braces. A
    /// placeholder that does not resolve is reported and left out, joining the literals around
    /// it. Languages that show different placeholders are reported.
    pub(super) fn check_text(
        &mut self,
        text: &Spanned<WrittenText>,
        what: String,
    ) -> Translated<Text> {
        let errors_before = self.reporter.diagnostics.len();
        let translated = self.translate(text, |checker, string| {
            checker.check_string(string.text, string.span.clone())
        });
        // A placeholder already reported is left out of its text: comparing would report it
        // again.
        if self.reporter.diagnostics.len() == errors_before {
            self.check_same_placeholders(&translated, &what);
        }
        self.record_languages(text, what);
        translated
    }

    /// A question's help, each language's with its `{facts.ns.name}` placeholders, and
    /// `{min}` and `{max}` for a whole-number question's own bounds. The help is shown before
    /// any value is computed, so a value placeholder is reported; `{{` and `}}` stand for
    /// literal braces, as in other texts.
    pub(super) fn check_help(
        &mut self,
        help: &Spanned<WrittenText>,
        kind: &QuestionKind,
        what: String,
    ) -> Translated<Text> {
        let errors_before = self.reporter.diagnostics.len();
        let translated = self.translate(help, |checker, string| {
            checker.check_help_string(string.text, string.span.clone(), "help", kind)
        });
        // A placeholder already reported is left out of its text: comparing would report it
        // again.
        if self.reporter.diagnostics.len() == errors_before {
            self.check_same_placeholders(&translated, &what);
        }
        self.record_languages(help, what);
        translated
    }

    /// A question's `error` or `name`: each language's text with its `{facts.ns.name}`,
    /// `{min}` and `{max}` placeholders, as in its help; `None` (reported) when a language's is
    /// blank, since a page would then show an empty message.
    pub(super) fn check_message(
        &mut self,
        text: &Spanned<WrittenText>,
        field: &str,
        kind: &QuestionKind,
        what: String,
    ) -> Option<Translated<Text>> {
        let blank: Vec<_> = text
            .strings()
            .into_iter()
            .filter(|string| string.text.trim().is_empty())
            .map(|string| string.span)
            .collect();
        if !blank.is_empty() {
            let help = match field {
                "error" => "write the message for a missing answer, such as \"Enter your date of birth\", or leave `error` out for the theme's own",
                "valid_error" => "write what is wrong with an answer that does not meet `valid_if`, such as \"The date of issue must be on or after the date of applying\"",
                _ => "write what messages call the answer, such as \"Date of birth\", or leave `name` out",
            };
            for span in blank {
                self.reporter.error_with_help(
                    span,
                    format!("the question's `{field}` is empty"),
                    help,
                );
            }
            return None;
        }
        let errors_before = self.reporter.diagnostics.len();
        let translated = self.translate(text, |checker, string| {
            checker.check_help_string(string.text, string.span.clone(), field, kind)
        });
        if self.reporter.diagnostics.len() == errors_before {
            self.check_same_placeholders(&translated, &what);
        }
        self.record_languages(text, what);
        Some(translated)
    }

    fn translate(
        &mut self,
        text: &Spanned<WrittenText>,
        mut check: impl FnMut(&mut Self, &WrittenString<'_>) -> Text,
    ) -> Translated<Text> {
        let strings = text.strings();
        match text.get_ref() {
            WrittenText::Plain(_) => Translated::Plain(check(self, &strings[0])),
            WrittenText::PerLanguage(_) => Translated::PerLanguage(
                strings
                    .iter()
                    .map(|string| {
                        let code = string.language.unwrap_or_default().to_string();
                        (code, check(self, string))
                    })
                    .collect(),
            ),
        }
    }

    /// Every language of a text must show the same placeholders (each as many times): a
    /// translation that drops a date or shows another value says something else.
    fn check_same_placeholders(&mut self, text: &Translated<Text>, what: &str) {
        let Translated::PerLanguage(texts) = text else {
            return;
        };
        let Some(((first_code, first), rest)) = texts.split_first() else {
            return;
        };
        let expected = first.placeholder_names();
        for (code, other) in rest {
            let found = other.placeholder_names();
            if found == expected {
                continue;
            }
            let list = |names: &[String]| {
                if names.is_empty() {
                    "no placeholder".to_string()
                } else {
                    names
                        .iter()
                        .map(|name| format!("`{{{name}}}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            };
            self.reporter.error_with_label(
                other.span.clone(),
                format!(
                    "the `{code}` text of {what} shows {}, but the `{first_code}` text shows {}",
                    list(&found),
                    list(&expected)
                ),
                first.span.clone(),
                format!("the `{first_code}` text"),
                "every language's text shows the same values and facts; translate the words around them",
            );
        }
    }

    fn record_languages(&mut self, text: &Spanned<WrittenText>, what: String) {
        let languages = match text.get_ref() {
            WrittenText::Plain(_) => None,
            WrittenText::PerLanguage(texts) => {
                Some(texts.iter().map(|(code, _)| code.clone()).collect())
            }
        };
        self.reader_texts.push(ReaderText {
            what,
            span: text.span(),
            languages,
        });
    }

    /// One language's text, its placeholders resolved.
    fn check_string(&mut self, text: &str, span: Range<usize>) -> Text {
        let base = string_base_at(self.reporter.source, span.clone(), text);
        let (parts, errors) = split_placeholders(text, base);
        for error in errors {
            self.reporter
                .error_with_optional_help(error.span, error.message, error.help);
        }
        let mut segments = Vec::new();
        let mut literal = String::new();
        for part in parts {
            match part {
                TextPart::Literal(text) => literal.push_str(&text),
                TextPart::Placeholder { name, span } => {
                    if let Some(segment) = self.placeholder(name, span) {
                        if !literal.is_empty() {
                            segments.push(Segment::Literal {
                                text: std::mem::take(&mut literal),
                            });
                        }
                        segments.push(segment);
                    }
                }
            }
        }
        if !literal.is_empty() {
            segments.push(Segment::Literal { text: literal });
        }
        Text { segments, span }
    }

    /// One language's help (or `error`, or `name`: `field`): literals and facts, a value
    /// placeholder reported.
    fn check_help_string(
        &mut self,
        help: &str,
        span: Range<usize>,
        field: &str,
        kind: &QuestionKind,
    ) -> Text {
        let base = string_base_at(self.reporter.source, span.clone(), help);
        let (parts, errors) = split_placeholders(help, base);
        for error in errors {
            self.reporter
                .error_with_optional_help(error.span, error.message, error.help);
        }
        let mut segments = Vec::new();
        for part in parts {
            match part {
                TextPart::Literal(text) => match segments.last_mut() {
                    Some(Segment::Literal { text: before }) => before.push_str(&text),
                    _ => segments.push(Segment::Literal { text }),
                },
                TextPart::Placeholder { name, span } if name.starts_with("facts.") => {
                    if let Some(segment) = self.placeholder(name, span) {
                        segments.push(segment);
                    }
                }
                TextPart::Placeholder { name, span } if name == "min" || name == "max" => {
                    let (bound, help) = match kind {
                        QuestionKind::Integer { min, max } => (
                            if name == "min" { *min } else { *max },
                            format!("`{{{name}}}` shows a whole-number question's own `{name}`: add `{name} = ...` to the question, or write the text without it"),
                        ),
                        _ => (
                            None,
                            format!("only questions of type \"integer\" have a `{name}`: write the text without `{{{name}}}`"),
                        ),
                    };
                    match bound {
                        Some(value) => segments.push(Segment::Bound {
                            name: name.to_string(),
                            value: i64::from(value),
                        }),
                        None => self.reporter.error_with_help(
                            span,
                            format!("the question has no `{name}`, so its {field} cannot show `{{{name}}}`"),
                            help,
                        ),
                    }
                }
                TextPart::Placeholder { name, span } => self.reporter.error_with_help(
                    span,
                    format!(
                        "a question's {field} is shown before any value is computed, so it cannot show `{{{name}}}`"
                    ),
                    format!("a question's {field} can show `{{facts.NAME}}`, and `{{min}}` and `{{max}}` for a whole-number question's bounds"),
                ),
            }
        }
        Text { segments, span }
    }

    fn placeholder(&mut self, name: &str, span: Range<usize>) -> Option<Segment> {
        if let Some(fact) = name.strip_prefix("facts.") {
            if !self.check_fact_name(fact, span) {
                return None;
            }
            return Some(Segment::Fact {
                name: fact.to_string(),
                display: self.facts[fact].display.clone(),
            });
        }
        match self.declared.get(name) {
            Some(Declared::Value(_)) => Some(Segment::Value {
                id: name.to_string(),
            }),
            Some(_) => {
                self.reporter.error_with_help(
                    span,
                    format!("`{name}` is not a computed value, so it cannot be shown in a text"),
                    format!("add a computed value whose formula is `{name}`"),
                );
                None
            }
            None => {
                let values = self
                    .declared
                    .iter()
                    .filter(|(_, declared)| matches!(declared, Declared::Value(_)))
                    .map(|(id, _)| id.as_str());
                let help = did_you_mean(name, values).or_else(|| {
                    Some(
                        "a placeholder is a computed value id or `facts.NAMESPACE.NAME`"
                            .to_string(),
                    )
                });
                self.reporter.error_with_optional_help(
                    span,
                    format!("unknown placeholder `{{{name}}}`"),
                    help,
                );
                None
            }
        }
    }

    pub(super) fn check_outcomes(&mut self, file: &RulesFile) -> (Vec<Outcome>, Vec<Option<Ir>>) {
        let mut outcomes = Vec::new();
        let mut code = Vec::new();
        if file.outcomes.is_empty() {
            self.reporter.error_with_help(
                0..0,
                "the rules have no outcomes",
                "add `[[outcomes]]`; the last one, without `when`, applies when no other does",
            );
        }
        for (index, entry) in file.outcomes.iter().enumerate() {
            let outcome = entry.get_ref();
            let is_last = index + 1 == file.outcomes.len();
            if self.check_id(&outcome.id, "outcome")
                && file.outcomes[..index]
                    .iter()
                    .any(|earlier| earlier.get_ref().id.get_ref() == outcome.id.get_ref())
            {
                self.duplicate(&outcome.id, "outcome");
            }
            let ir = match (&outcome.when, is_last) {
                (Some(when), false) => self.parse(when).map(|expr| {
                    let (ir, ty) = self.check_expr(&expr);
                    self.expect_bool(ty, when.span(), "the `when` of an outcome");
                    ir
                }),
                (Some(when), true) => {
                    self.reporter.error_with_help(
                        when.span(),
                        format!(
                            "the last outcome `{}` has a condition, so some answers might match no outcome",
                            outcome.id.get_ref()
                        ),
                        "remove `when` from the last outcome: it then applies whenever no earlier one does",
                    );
                    None
                }
                (None, false) => {
                    self.reporter.error_with_help(
                        outcome.id.span(),
                        format!("the outcome `{}` has no `when`", outcome.id.get_ref()),
                        "only the last outcome may leave out `when`; the outcomes after it could never apply",
                    );
                    None
                }
                (None, true) => None,
            };
            code.push(ir);
            outcomes.push(Outcome {
                id: outcome.id.get_ref().clone(),
                when: outcome.when.as_ref().map(|when| when.get_ref().clone()),
                tone: outcome.tone,
                heading: self.check_text(
                    &outcome.heading,
                    format!("the heading of outcome `{}`", outcome.id.get_ref()),
                ),
                text: self.check_text(
                    &outcome.text,
                    format!("the text of outcome `{}`", outcome.id.get_ref()),
                ),
            });
        }
        (outcomes, code)
    }
}
