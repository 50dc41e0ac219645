//! Ids and questions: what may be declared, and each question's type and options.

use std::ops::Range;

use toml::Spanned;

use super::{Checker, Declared};
use crate::answers::{encode_answer, RawAnswer};
use crate::diagnostic::did_you_mean;
use crate::model::{Choice, Question, QuestionKind};
use crate::schema::QuestionEntry;
use crate::syntax::Function;
use crate::text::Translatable;

const RESERVED_WORDS: [&str; 17] = [
    "and", "or", "not", "in", "true", "false", "if", "then", "else", "at", "day", "days", "month",
    "months", "year", "years", "facts",
];

fn is_identifier(name: &str) -> bool {
    let mut characters = name.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_lowercase() || first == '_')
        && characters.all(|next| next.is_ascii_lowercase() || next.is_ascii_digit() || next == '_')
}

impl Checker<'_> {
    pub(super) fn duplicate(&mut self, id: &Spanned<String>, what: &str) {
        self.reporter.error_with_help(
            id.span(),
            format!("duplicate {what} id `{}`", id.get_ref()),
            "each id may be used once",
        );
    }

    pub(super) fn check_id(&mut self, id: &Spanned<String>, what: &str) -> bool {
        let name = id.get_ref();
        if !is_identifier(name) {
            self.reporter.error_with_help(
                id.span(),
                format!("`{name}` cannot be a {what} id"),
                "ids are lowercase letters, digits and `_`, starting with a letter or `_`",
            );
            return false;
        }
        if RESERVED_WORDS.contains(&name.as_str())
            || Function::ALL.iter().any(|function| function.name() == name)
        {
            self.reporter.error_with_help(
                id.span(),
                format!("`{name}` is a word of the rules language and cannot be a {what} id"),
                "pick a longer name",
            );
            return false;
        }
        true
    }

    pub(super) fn declare(&mut self, id: &Spanned<String>, declared: Declared, what: &str) {
        if !self.check_id(id, what) {
            return;
        }
        if self.declared.contains_key(id.get_ref()) {
            self.reporter.error_with_help(
                id.span(),
                format!("duplicate id `{}`", id.get_ref()),
                "questions, computed values and criteria share one set of ids",
            );
            return;
        }
        self.declared.insert(id.get_ref().clone(), declared);
    }

    pub(super) fn check_question(&mut self, entry: &Spanned<QuestionEntry>) {
        let question = entry.get_ref();
        let index = self.questions.len();
        self.declare(&question.id, Declared::Question(index), "question");
        let kind_name = question.kind.get_ref().as_str();
        let kinds = ["bool", "choice", "date", "integer"];
        let mut misplaced = Vec::new();
        if kind_name != "choice" {
            if let Some(choices) = &question.choices {
                misplaced.push(("choices", choices.span(), "choice"));
            }
        }
        if kind_name != "integer" {
            for bound in [&question.min, &question.max].into_iter().flatten() {
                misplaced.push(("min and max", bound.span(), "integer"));
            }
        }
        if kind_name != "date" {
            if let Some(allow_future) = &question.allow_future {
                misplaced.push(("allow_future", allow_future.span(), "date"));
            }
        }
        if kinds.contains(&kind_name) {
            for (key, span, kind) in misplaced {
                let verb = if key.contains(" and ") {
                    "belong"
                } else {
                    "belongs"
                };
                self.reporter.error(
                    span,
                    format!("{key} {verb} only to questions of type \"{kind}\""),
                );
            }
            if let (Some(name), "bool" | "choice") = (&question.name, kind_name) {
                self.reporter.error_with_help(
                    name.span(),
                    format!("`name` belongs only to questions of type \"date\" or \"integer\", not \"{kind_name}\""),
                    "a yes/no or choice question has one message, for a missing answer: write it as `error = \"Select if ...\"`",
                );
            }
        }
        let kind = match kind_name {
            "bool" => QuestionKind::Bool,
            "choice" => QuestionKind::Choice {
                choices: self.check_choices(question, entry.span()),
            },
            "date" => QuestionKind::Date {
                default_today: question
                    .default
                    .as_ref()
                    .is_some_and(|default| default.get_ref().as_str() == Some("today")),
                allow_future: question
                    .allow_future
                    .as_ref()
                    .is_some_and(|allow| *allow.get_ref()),
            },
            "integer" => {
                let bound = |checker: &mut Checker, bound: &Option<Spanned<i64>>| {
                    bound.as_ref().and_then(|bound| {
                        let fits = i32::try_from(*bound.get_ref()).ok();
                        if fits.is_none() {
                            checker.reporter.error(
                                bound.span(),
                                format!(
                                    "{} is too large for a whole-number answer",
                                    bound.get_ref()
                                ),
                            );
                        }
                        fits
                    })
                };
                let min = bound(self, &question.min);
                let max = bound(self, &question.max);
                if let (Some(low), Some(high), Some(max_span)) =
                    (min, max, question.max.as_ref().map(Spanned::span))
                {
                    if low > high {
                        self.reporter
                            .error(max_span, format!("max ({high}) is below min ({low})"));
                    }
                }
                QuestionKind::Integer { min, max }
            }
            _ => {
                let help = did_you_mean(kind_name, kinds)
                    .unwrap_or_else(|| "the types are bool, choice, date and integer".to_string());
                self.reporter.error_with_help(
                    question.kind.span(),
                    format!("unknown question type \"{kind_name}\""),
                    help,
                );
                QuestionKind::Bool
            }
        };
        let unasked = question
            .default
            .as_ref()
            .and_then(|default| self.unasked_default(&kind, default));
        let id = question.id.get_ref();
        let text = self.plain_text(&question.text, format!("the text of question `{id}`"));
        let help = question
            .help
            .as_ref()
            .map(|help| self.check_help(help, &kind, format!("the help of question `{id}`")));
        let error = question.error.as_ref().and_then(|error| {
            self.check_message(
                error,
                "error",
                &kind,
                format!("the error of question `{id}`"),
            )
        });
        let name = question.name.as_ref().and_then(|name| {
            self.check_message(name, "name", &kind, format!("the name of question `{id}`"))
        });
        let valid_error = question.valid_error.as_ref().and_then(|message| {
            self.check_message(
                message,
                "valid_error",
                &kind,
                format!("the valid_error of question `{id}`"),
            )
        });
        match (&question.valid_if, &question.valid_error) {
            (Some(condition), None) => self.reporter.error_with_help(
                condition.span(),
                format!("question `{id}` has a `valid_if` but no `valid_error`"),
                "add `valid_error = \"...\"`, the message shown when the answer does not meet the condition, such as \"The date of issue must be on or after the date of applying\"",
            ),
            (None, Some(message)) => self.reporter.error_with_help(
                message.span(),
                format!("question `{id}` has a `valid_error` but no `valid_if`"),
                "add `valid_if = \"...\"`, the condition the answer must meet, or leave `valid_error` out",
            ),
            _ => {}
        }
        self.questions.push(Question {
            id: id.clone(),
            text,
            help,
            error,
            name,
            kind,
            ask_if: question.ask_if.as_ref().map(|text| text.get_ref().clone()),
            valid_if: question
                .valid_if
                .as_ref()
                .map(|text| text.get_ref().clone()),
            valid_error,
        });
        self.unasked.push(unasked);
        self.ask_conditions.push(question.ask_if.is_some());
        self.question_spans.push(entry.span());
    }

    /// The answer a `default` stands for when its question is not asked, encoded; `None`
    /// for a date's `"today"`, which only fills in the form.
    fn unasked_default(
        &mut self,
        kind: &QuestionKind,
        default: &Spanned<toml::Value>,
    ) -> Option<i32> {
        let raw = super::examples::toml_answer(default.get_ref());
        if let (QuestionKind::Date { .. }, RawAnswer::Text("today")) = (kind, &raw) {
            return None;
        }
        let question = Question {
            id: "default".to_string(),
            text: Translatable::Plain(String::new()),
            help: None,
            error: None,
            name: None,
            kind: kind.clone(),
            ask_if: None,
            valid_if: None,
            valid_error: None,
        };
        match encode_answer(&question, &raw) {
            Ok(encoded) => Some(encoded),
            Err(message) => {
                let help = match kind {
                    QuestionKind::Date { .. } => {
                        "a date question's default is a date, or \"today\" to fill in the reader's today"
                    }
                    _ => "the default is the answer assumed when the question is not asked",
                };
                let message = message.replacen("`default` takes", "the default must be", 1);
                self.reporter.error_with_help(default.span(), message, help);
                None
            }
        }
    }

    fn check_choices(&mut self, question: &QuestionEntry, span: Range<usize>) -> Vec<Choice> {
        let Some(entries) = &question.choices else {
            self.reporter.error_with_help(
                span,
                format!(
                    "the choice question `{}` has no choices",
                    question.id.get_ref()
                ),
                "add `choices = [{ id = \"...\", label = \"...\" }, ...]`",
            );
            return Vec::new();
        };
        if entries.get_ref().len() < 2 {
            self.reporter.error(
                entries.span(),
                format!(
                    "the choice question `{}` needs at least two choices",
                    question.id.get_ref()
                ),
            );
        }
        let mut choices: Vec<Choice> = Vec::new();
        for entry in entries.get_ref() {
            if !self.check_id(&entry.id, "choice") {
                continue;
            }
            if choices
                .iter()
                .any(|choice| choice.id == *entry.id.get_ref())
            {
                self.duplicate(&entry.id, "choice");
                continue;
            }
            let label = self.plain_text(
                &entry.label,
                format!(
                    "the label of choice `{}` of question `{}`",
                    entry.id.get_ref(),
                    question.id.get_ref()
                ),
            );
            choices.push(Choice {
                id: entry.id.get_ref().clone(),
                label,
            });
        }
        choices
    }
}
