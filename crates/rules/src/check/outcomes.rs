//! Outcomes, and the placeholders in every text.

use std::ops::Range;

use toml::Spanned;

use super::{string_base, Checker, Declared};
use crate::diagnostic::did_you_mean;
use crate::ir::Ir;
use crate::model::{Outcome, Segment, Text};
use crate::schema::RulesFile;
use crate::syntax::{split_placeholders, TextPart};

impl Checker<'_> {
    /// Splits `{value_id}` and `{facts.ns.name}` placeholders out of a text and
    /// resolves them; `{{` and `}}` stand for literal braces. A placeholder that
    /// does not resolve is reported and left out, joining the literals around it.
    pub(super) fn check_text(&mut self, text: &Spanned<String>) -> Text {
        let base = string_base(self.reporter.source, text);
        let (parts, errors) = split_placeholders(text.get_ref(), base);
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
        Text {
            segments,
            span: text.span(),
        }
    }

    /// A question's help with its `{facts.ns.name}` placeholders replaced by the facts'
    /// displays. The help is shown before any value is computed, so a value placeholder is
    /// reported; `{{` and `}}` stand for literal braces, as in other texts.
    pub(super) fn check_help(&mut self, help: &Spanned<String>) -> String {
        self.text_with_facts(help, "help")
    }

    /// A question's `error` or `name`: plain text with `{facts.ns.name}` placeholders filled
    /// in, as in its help; `None` (reported) when it is blank, since a page would then show an
    /// empty message.
    pub(super) fn check_message(&mut self, text: &Spanned<String>, field: &str) -> Option<String> {
        if text.get_ref().trim().is_empty() {
            let help = match field {
                "error" => "write the message for a missing answer, such as \"Enter your date of birth\", or leave `error` out for the theme's own",
                _ => "write what messages call the answer, such as \"Date of birth\", or leave `name` out",
            };
            self.reporter.error_with_help(
                text.span(),
                format!("the question's `{field}` is empty"),
                help,
            );
            return None;
        }
        Some(self.text_with_facts(text, field))
    }

    fn text_with_facts(&mut self, text: &Spanned<String>, field: &str) -> String {
        let base = string_base(self.reporter.source, text);
        let (parts, errors) = split_placeholders(text.get_ref(), base);
        for error in errors {
            self.reporter
                .error_with_optional_help(error.span, error.message, error.help);
        }
        let mut shown = String::new();
        for part in parts {
            match part {
                TextPart::Literal(text) => shown.push_str(&text),
                TextPart::Placeholder { name, span } if name.starts_with("facts.") => {
                    if let Some(Segment::Fact { display, .. }) = self.placeholder(name, span) {
                        shown.push_str(&display);
                    }
                }
                TextPart::Placeholder { name, span } => self.reporter.error_with_help(
                    span,
                    format!(
                        "a question's {field} is shown before any value is computed, so it cannot show `{{{name}}}`"
                    ),
                    format!("only `{{facts.NAME}}` placeholders can be used in a question's {field}"),
                ),
            }
        }
        shown
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
                heading: self.check_text(&outcome.heading),
                text: self.check_text(&outcome.text),
            });
        }
        (outcomes, code)
    }
}
