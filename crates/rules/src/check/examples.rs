//! Worked examples as written: their answers, expected outcome, failed
//! criteria and values name what the rules declare and fit their types.

use std::collections::BTreeMap;

use super::Checker;
use crate::answers::{encode_answer, encode_answers, Answers, RawAnswer};
use crate::date::Date;
use crate::diagnostic::did_you_mean;
use crate::model::{Value, ValueType};
use crate::program::{Example, Program};
use crate::schema::ExampleEntry;

impl Checker<'_> {
    pub(super) fn check_example(
        &mut self,
        program: &Program,
        entry: &ExampleEntry,
    ) -> Option<Example> {
        let before = self.reporter.diagnostics.len();
        self.check_id(&entry.id, "example");
        let id = entry.id.get_ref();
        let mut answers: Vec<(&str, RawAnswer<'_>)> = Vec::new();
        let mut refused: Vec<&str> = Vec::new();
        for (question, answer) in entry.answers.get_ref() {
            let Some(index) = self
                .questions
                .iter()
                .position(|candidate| candidate.id == *question.get_ref())
            else {
                let help = did_you_mean(
                    question.get_ref(),
                    self.questions.iter().map(|candidate| candidate.id.as_str()),
                );
                self.reporter.error_with_optional_help(
                    question.span(),
                    format!(
                        "example `{id}` answers `{}`, which is not a question",
                        question.get_ref()
                    ),
                    help,
                );
                continue;
            };
            let raw = toml_answer(answer.get_ref());
            if let Err(message) = encode_answer(&self.questions[index], &raw) {
                self.reporter
                    .error(answer.span(), format!("in example `{id}`: {message}"));
                refused.push(question.get_ref().as_str());
                continue;
            }
            answers.push((question.get_ref().as_str(), raw));
        }
        let encoded = match encode_answers(&program.questions, program, answers) {
            Ok(encoded) => Some(encoded),
            Err(_) if self.ask_failed => None,
            Err(errors) => {
                let missing = errors
                    .iter()
                    .filter(|error| !refused.contains(&error.question.as_str()));
                for error in missing {
                    self.reporter.error_with_help(
                        entry.answers.span(),
                        format!("example `{id}` does not answer `{}`", error.question),
                        "an example answers every question that its answers lead to",
                    );
                }
                None
            }
        };
        // Answers a question's own condition refuses, once the rules themselves are sound (a
        // `valid_if` already reported is not held against every example).
        if let (Some(answers), false) = (&encoded, self.rules_failed) {
            let refusals = crate::answers::refused(program, answers);
            for &index in &refusals {
                let question = &program.questions[index];
                let span = entry
                    .answers
                    .get_ref()
                    .iter()
                    .find(|(written, _)| *written.get_ref() == question.id)
                    .map_or_else(|| entry.answers.span(), |(_, answer)| answer.span());
                self.reporter.error_with_help(
                    span,
                    format!(
                        "in example `{id}`: the answer to `{}` does not meet its condition `valid_if = \"{}\"`",
                        question.id,
                        question.valid_if.as_deref().unwrap_or_default()
                    ),
                    "an example's answers are ones a reader could give: change this answer, or the answers its condition reads",
                );
            }
            if !refusals.is_empty() {
                return None;
            }
        }
        let ignored = encoded.iter().flat_map(Answers::ignored);
        for ignored in ignored.filter(|_| !self.ask_failed) {
            let span = entry
                .answers
                .get_ref()
                .keys()
                .find(|question| question.get_ref() == ignored)
                .map_or_else(|| entry.answers.span(), |question| question.span());
            self.reporter.error_with_help(
                span,
                format!("example `{id}` answers `{ignored}`, which its other answers do not ask"),
                "leave out the answers to questions that are not asked",
            );
        }
        let outcome_ids: Vec<&str> = program
            .outcomes
            .iter()
            .map(|outcome| outcome.id.as_str())
            .collect();
        if !outcome_ids.contains(&entry.outcome.get_ref().as_str()) {
            let help = did_you_mean(entry.outcome.get_ref(), outcome_ids.iter().copied())
                .unwrap_or_else(|| format!("the outcomes are {}", outcome_ids.join(", ")));
            self.reporter.error_with_help(
                entry.outcome.span(),
                format!("unknown outcome `{}`", entry.outcome.get_ref()),
                help,
            );
        }
        let criterion_ids: Vec<&str> = program
            .criteria
            .iter()
            .map(|criterion| criterion.id.as_str())
            .collect();
        for failed in entry.failed.iter().flatten() {
            if !criterion_ids.contains(&failed.get_ref().as_str()) {
                let help = did_you_mean(failed.get_ref(), criterion_ids.iter().copied())
                    .unwrap_or_else(|| format!("the criteria are {}", criterion_ids.join(", ")));
                self.reporter.error_with_help(
                    failed.span(),
                    format!("unknown criterion `{}`", failed.get_ref()),
                    help,
                );
            }
        }
        let mut values = BTreeMap::new();
        for (value_id, expected) in &entry.values {
            let Some(computed) = program
                .values
                .iter()
                .find(|value| value.id == *value_id.get_ref())
            else {
                let help = did_you_mean(
                    value_id.get_ref(),
                    program.values.iter().map(|value| value.id.as_str()),
                );
                self.reporter.error_with_optional_help(
                    value_id.span(),
                    format!("unknown computed value `{}`", value_id.get_ref()),
                    help,
                );
                continue;
            };
            let index = program
                .values
                .iter()
                .position(|value| value.id == computed.id);
            if index.and_then(|index| self.value_types[index]) == Some(super::Type::Unknown) {
                // Already reported at the value's formula.
                continue;
            }
            let value = match (computed.value_type, expected.get_ref()) {
                (ValueType::Bool, toml::Value::Boolean(value)) => Some(Value::Bool(*value)),
                (ValueType::Integer, toml::Value::Integer(value)) => {
                    i32::try_from(*value).ok().map(Value::Integer)
                }
                (ValueType::Date, toml::Value::String(text)) => Date::parse(text).map(Value::Date),
                (ValueType::Date, toml::Value::Datetime(_)) => {
                    match toml_answer(expected.get_ref()) {
                        RawAnswer::Date(date) => Some(Value::Date(date)),
                        _ => None,
                    }
                }
                _ => None,
            };
            match value {
                Some(value) => {
                    values.insert(value_id.get_ref().clone(), value);
                }
                None => self.reporter.error(
                    expected.span(),
                    format!(
                        "`{}` is {}, so example `{id}` cannot expect {}",
                        computed.id,
                        match computed.value_type {
                            ValueType::Bool => "true or false",
                            ValueType::Integer => "a whole number",
                            ValueType::Date => "a date",
                        },
                        expected.get_ref()
                    ),
                ),
            }
        }
        if self.reporter.diagnostics.len() > before {
            return None;
        }
        let answers = encoded?;
        Some(Example {
            id: id.clone(),
            span: entry.id.span(),
            description: entry.description.clone(),
            answers,
            outcome: entry.outcome.get_ref().clone(),
            failed: entry
                .failed
                .as_ref()
                .map(|failed| failed.iter().map(|name| name.get_ref().clone()).collect()),
            values,
        })
    }
}

pub(super) fn toml_answer(value: &toml::Value) -> RawAnswer<'_> {
    match value {
        toml::Value::Boolean(value) => RawAnswer::Bool(*value),
        toml::Value::Integer(value) => RawAnswer::Integer(*value),
        toml::Value::String(text) => RawAnswer::Text(text),
        toml::Value::Datetime(datetime) => match (datetime.date, datetime.time, datetime.offset) {
            (Some(date), None, None) => {
                match Date::from_ymd(date.year.into(), date.month.into(), date.day.into()) {
                    Some(date) => RawAnswer::Date(date),
                    None => RawAnswer::Other("an impossible date"),
                }
            }
            _ => RawAnswer::Other("a date with a time"),
        },
        toml::Value::Float(_) => RawAnswer::Other("a number that is not whole"),
        toml::Value::Array(_) => RawAnswer::Other("a list"),
        toml::Value::Table(_) => RawAnswer::Other("a table"),
    }
}
