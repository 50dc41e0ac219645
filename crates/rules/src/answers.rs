//! Answers in the module's encoding, and how one answer is encoded for its question.
//!
//! This works on a list of questions, not on a whole program, so that a program (whose worked
//! examples hold answers) can be built on top of it. The public ways to read answers for a
//! program, [`Answers::from_json`] and its siblings, are in `eval`.

use std::fmt;

use crate::date::Date;
use crate::diagnostic::did_you_mean;
use crate::model::{Question, QuestionKind};

/// A set of answers, one per question, in question order, each held in the `i32` encoding the
/// WebAssembly module reads. A question that was not asked holds its `default`, or 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answers {
    pub(crate) encoded: Vec<i32>,
    /// Whether each question is asked, given the answers before it.
    pub(crate) asked: Vec<bool>,
    /// Questions answered although, given the other answers, they are not asked.
    pub(crate) ignored: Vec<String>,
}

/// Why an answer was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AnswerError {
    /// The question id as written by the caller.
    pub question: String,
    pub message: String,
}

impl fmt::Display for AnswerError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl std::error::Error for AnswerError {}

impl Answers {
    /// The module's encoding: one `i32` per question, in question order.
    pub fn encoded(&self) -> &[i32] {
        &self.encoded
    }

    /// Ids of the questions that were answered but are not asked given the other answers:
    /// their answers were set aside.
    pub fn ignored(&self) -> &[String] {
        &self.ignored
    }
}

/// An answer as it arrives, from JSON or from an example in the rules file.
pub(crate) enum RawAnswer<'a> {
    Bool(bool),
    Integer(i64),
    Text(&'a str),
    Date(Date),
    Other(&'static str),
}

impl RawAnswer<'_> {
    fn describe(&self) -> String {
        match self {
            RawAnswer::Bool(value) => format!("`{value}`"),
            RawAnswer::Integer(value) => format!("the number {value}"),
            RawAnswer::Text(text) => format!("the text \"{text}\""),
            RawAnswer::Date(date) => format!("the date {date}"),
            RawAnswer::Other(kind) => kind.to_string(),
        }
    }
}

fn choice_list(question: &Question) -> String {
    match &question.kind {
        QuestionKind::Choice { choices } => choices
            .iter()
            .map(|choice| choice.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

/// Encodes one answer for `question`, or says in a sentence why it does not fit.
pub(crate) fn encode_answer(question: &Question, raw: &RawAnswer<'_>) -> Result<i32, String> {
    let id = &question.id;
    match (&question.kind, raw) {
        (QuestionKind::Bool, RawAnswer::Bool(value)) => Ok(*value as i32),
        // A page's address says `yes` and `no`, as the form does; JSON says true and false.
        (QuestionKind::Bool, RawAnswer::Text("yes" | "true")) => Ok(1),
        (QuestionKind::Bool, RawAnswer::Text("no" | "false")) => Ok(0),
        (QuestionKind::Bool, _) => Err(format!(
            "`{id}` takes yes or no (or true or false), not {}",
            raw.describe()
        )),
        (QuestionKind::Choice { choices }, RawAnswer::Text(text)) => choices
            .iter()
            .position(|choice| choice.id == *text)
            .map(|index| index as i32)
            .ok_or_else(|| {
                let hint = did_you_mean(text, choices.iter().map(|choice| choice.id.as_str()))
                    .map(|hint| format!(" ({hint})"))
                    .unwrap_or_default();
                format!(
                    "`{id}` has no choice `{text}`{hint}; the choices are {}",
                    choice_list(question)
                )
            }),
        (QuestionKind::Choice { .. }, _) => Err(format!(
            "`{id}` takes one of {}, not {}",
            choice_list(question),
            raw.describe()
        )),
        (QuestionKind::Date { .. }, RawAnswer::Date(date)) => answer_date(id, *date),
        (QuestionKind::Date { .. }, RawAnswer::Text(text)) => match Date::parse(text) {
            Some(date) => answer_date(id, date),
            None => Err(match Date::why_not_a_day(text) {
                Some(why) => format!("`{id}` has no day \"{text}\": {why}"),
                None => format!("`{id}` takes a date written YYYY-MM-DD, not \"{text}\""),
            }),
        },
        (QuestionKind::Date { .. }, _) => Err(format!(
            "`{id}` takes a date written YYYY-MM-DD, not {}",
            raw.describe()
        )),
        (QuestionKind::Integer { min, max }, RawAnswer::Integer(value)) => {
            let value = i32::try_from(*value)
                .map_err(|_| format!("`{id}` takes a whole number, and {value} is too large"))?;
            if let Some(min) = min.filter(|min| value < *min) {
                return Err(format!("`{id}` must be at least {min}, not {value}"));
            }
            if let Some(max) = max.filter(|max| value > *max) {
                return Err(format!("`{id}` must be at most {max}, not {value}"));
            }
            Ok(value)
        }
        (QuestionKind::Integer { .. }, _) => Err(format!(
            "`{id}` takes a whole number, not {}",
            raw.describe()
        )),
    }
}

/// A date answer, in the years both engines and the page share.
fn answer_date(id: &str, date: Date) -> Result<i32, String> {
    if (Date::FIRST_ANSWER..=Date::LAST_ANSWER).contains(&date) {
        Ok(date.days())
    } else {
        Err(format!(
            "`{id}` takes a date from {} to {}, not {date}",
            Date::FIRST_ANSWER,
            Date::LAST_ANSWER
        ))
    }
}

pub(crate) fn json_answer(value: &serde_json::Value) -> RawAnswer<'_> {
    match value {
        serde_json::Value::Bool(value) => RawAnswer::Bool(*value),
        serde_json::Value::Number(number) => match number.as_i64() {
            Some(integer) => RawAnswer::Integer(integer),
            // A whole number too large for i64 is still whole.
            None if number.is_u64() || number.as_f64().is_some_and(|x| x.fract() == 0.0) => {
                RawAnswer::Other("a number with more digits than it can take")
            }
            None => RawAnswer::Other("a number that is not whole"),
        },
        serde_json::Value::String(text) => RawAnswer::Text(text),
        serde_json::Value::Null => RawAnswer::Other("null"),
        serde_json::Value::Array(_) => RawAnswer::Other("a list"),
        serde_json::Value::Object(_) => RawAnswer::Other("an object"),
    }
}

/// Whether each question is asked, given the answers before it, and what a question that is
/// not asked holds: a program's `ask_if` conditions and defaults.
pub(crate) trait Asking {
    /// Whether question `index` is asked, given the encoded answers to the questions before
    /// it (those not asked holding their unasked value) and whether each was asked.
    fn is_asked(&self, index: usize, earlier: &[i32], earlier_asked: &[bool]) -> bool;
    /// What question `index` holds when it is not asked.
    fn unasked_value(&self, index: usize) -> i32;
    /// Whether question `index`'s answer meets its `valid_if`, given every answer (those not
    /// asked holding their unasked value) and whether each question was asked (1) or not (0).
    fn accepts(&self, index: usize, answers: &[i32], asked: &[i32]) -> bool;
}

/// The questions whose answers their `valid_if` refuses, by index, in order: judged once the
/// answers are encoded, as a condition reads answers after its own too.
pub(crate) fn refused(asking: &dyn Asking, answers: &Answers) -> Vec<usize> {
    let asked: Vec<i32> = answers.asked.iter().map(|&asked| asked as i32).collect();
    (0..answers.encoded.len())
        .filter(|&index| !asking.accepts(index, &answers.encoded, &asked))
        .collect()
}

/// Answers keyed by question id, encoded for `questions`: every question that is asked needs
/// an answer, an answer to a question that is not asked is set aside (and named in
/// [`Answers::ignored`]), and all problems are reported together.
pub(crate) fn encode_answers<'a>(
    questions: &[Question],
    asking: &dyn Asking,
    given: impl IntoIterator<Item = (&'a str, RawAnswer<'a>)>,
) -> Result<Answers, Vec<AnswerError>> {
    let mut encoded: Vec<Option<i32>> = vec![None; questions.len()];
    let mut errors = Vec::new();
    for (id, raw) in given {
        let Some(index) = questions.iter().position(|question| question.id == id) else {
            let hint = did_you_mean(id, questions.iter().map(|question| question.id.as_str()))
                .map(|hint| format!(" ({hint})"))
                .unwrap_or_default();
            errors.push(AnswerError {
                question: id.to_string(),
                message: format!("there is no question `{id}`{hint}"),
            });
            continue;
        };
        match encode_answer(&questions[index], &raw) {
            Ok(value) => encoded[index] = Some(value),
            Err(message) => errors.push(AnswerError {
                question: id.to_string(),
                message,
            }),
        }
    }
    let mut slots = Vec::with_capacity(questions.len());
    let mut asked = Vec::with_capacity(questions.len());
    let mut ignored = Vec::new();
    for (index, (question, value)) in questions.iter().zip(&encoded).enumerate() {
        let refused = errors.iter().any(|error| error.question == question.id);
        let is_asked = asking.is_asked(index, &slots, &asked);
        asked.push(is_asked);
        if !is_asked {
            if value.is_some() || refused {
                ignored.push(question.id.clone());
                errors.retain(|error| error.question != question.id);
            }
            slots.push(asking.unasked_value(index));
            continue;
        }
        match value {
            Some(value) => slots.push(*value),
            None => {
                if !refused {
                    errors.push(AnswerError {
                        question: question.id.clone(),
                        message: format!("no answer for `{}`", question.id),
                    });
                }
                slots.push(0);
            }
        }
    }
    if errors.is_empty() {
        Ok(Answers {
            encoded: slots,
            asked,
            ignored,
        })
    } else {
        Err(errors)
    }
}

/// Answers already in the module's encoding, checked like any others against `questions`.
/// A question that is not asked may hold anything: it is given its unasked value.
pub(crate) fn check_encoded(
    questions: &[Question],
    asking: &dyn Asking,
    encoded: &[i32],
) -> Result<Answers, Vec<AnswerError>> {
    if encoded.len() != questions.len() {
        return Err(vec![AnswerError {
            question: String::new(),
            message: format!(
                "expected {} answers, one per question, not {}",
                questions.len(),
                encoded.len()
            ),
        }]);
    }
    let mut slots = Vec::with_capacity(questions.len());
    let mut asked = Vec::with_capacity(questions.len());
    for (index, &value) in encoded.iter().enumerate() {
        let is_asked = asking.is_asked(index, &slots, &asked);
        asked.push(is_asked);
        slots.push(if is_asked {
            value
        } else {
            asking.unasked_value(index)
        });
    }
    let errors: Vec<AnswerError> = questions
        .iter()
        .zip(&slots)
        .zip(&asked)
        .filter(|(_, asked)| **asked)
        .filter_map(|((question, &value), _)| {
            let raw = match &question.kind {
                QuestionKind::Bool if value == 0 || value == 1 => RawAnswer::Bool(value == 1),
                QuestionKind::Bool => RawAnswer::Integer(value.into()),
                QuestionKind::Choice { choices } => match choices.get(value as usize) {
                    Some(choice) if value >= 0 => RawAnswer::Text(&choice.id),
                    _ => RawAnswer::Integer(value.into()),
                },
                QuestionKind::Date { .. } => RawAnswer::Date(Date::from_days(value)),
                QuestionKind::Integer { .. } => RawAnswer::Integer(value.into()),
            };
            encode_answer(question, &raw)
                .err()
                .map(|message| AnswerError {
                    question: question.id.clone(),
                    message,
                })
        })
        .collect();
    if errors.is_empty() {
        Ok(Answers {
            encoded: slots,
            asked,
            ignored: Vec::new(),
        })
    } else {
        Err(errors)
    }
}

/// `answers` as a JSON object keyed by the ids of `questions`, in the shape
/// [`Answers::from_json`] reads.
pub(crate) fn to_json(answers: &Answers, questions: &[Question]) -> serde_json::Value {
    let object = questions
        .iter()
        .zip(&answers.encoded)
        .zip(&answers.asked)
        .filter(|(_, asked)| **asked)
        .map(|((question, &value), _)| {
            let json = match &question.kind {
                QuestionKind::Bool => serde_json::Value::Bool(value != 0),
                QuestionKind::Choice { choices } => choices[value as usize].id.clone().into(),
                QuestionKind::Date { .. } => Date::from_days(value).to_string().into(),
                QuestionKind::Integer { .. } => value.into(),
            };
            (question.id.clone(), json)
        })
        .collect();
    serde_json::Value::Object(object)
}
