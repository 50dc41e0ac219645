//! The native evaluator: answers in, evaluation out.
//!
//! It reads answers for a program (from JSON or in the module's encoding),
//! runs the program's checked expressions on them, and describes the result.
//! The emitted WebAssembly module computes the same thing; the two are
//! compared on every worked example and, in tests, on random answers.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::answers::{self, json_answer, AnswerError, Answers, Asking};
use crate::date;
use crate::ir::{Definition, Ir};
use crate::model::Value;
use crate::program::Program;
use crate::syntax::BinaryOp;

/// What a set of answers leads to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    /// The id of the first outcome whose condition holds.
    pub outcome: String,
    /// Ids of the criteria that failed, in the order of the rules file.
    pub failed: Vec<String>,
    /// Ids of the criteria that passed, in the order of the rules file.
    pub passed: Vec<String>,
    pub values: BTreeMap<String, Value>,
}

impl Evaluation {
    /// `{"outcome": ID, "failed": [...], "passed": [...], "values": {id: value}}`,
    /// dates as `YYYY-MM-DD`.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }
}

/// What either engine computes, in the module's encoding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RawEvaluation {
    /// Per question, 1 when it is asked.
    pub(crate) asked: Vec<i32>,
    /// Per question, 0 when it is asked and its answer does not meet its `valid_if`.
    pub(crate) valid: Vec<i32>,
    pub(crate) outcome: usize,
    pub(crate) criteria: Vec<i32>,
    pub(crate) values: Vec<i32>,
}

impl Answers {
    /// Answers from a JSON object keyed by question id: `true`/`false`, choice
    /// ids, dates as `"YYYY-MM-DD"`, whole numbers. Every question needs an
    /// answer; all problems are reported together.
    pub fn from_json(
        program: &Program,
        json: &serde_json::Value,
    ) -> Result<Answers, Vec<AnswerError>> {
        let Some(object) = json.as_object() else {
            return Err(vec![AnswerError {
                question: String::new(),
                message: "answers must be a JSON object keyed by question id".to_string(),
            }]);
        };
        answers::encode_answers(
            program.questions(),
            program,
            object
                .iter()
                .map(|(question, value)| (question.as_str(), json_answer(value))),
        )
        .and_then(|answers| program.accepted(answers))
    }

    /// Answers from JSON text; see [`Answers::from_json`].
    pub fn parse_json(program: &Program, text: &str) -> Result<Answers, Vec<AnswerError>> {
        let json: serde_json::Value = serde_json::from_str(text).map_err(|error| {
            vec![AnswerError {
                question: String::new(),
                message: format!("answers are not valid JSON: {error}"),
            }]
        })?;
        Answers::from_json(program, &json)
    }

    /// Answers already in the module's encoding (one `i32` per question, in
    /// question order), checked like any others.
    pub fn from_encoded(program: &Program, encoded: &[i32]) -> Result<Answers, Vec<AnswerError>> {
        answers::check_encoded(program.questions(), program, encoded)
            .and_then(|answers| program.accepted(answers))
    }

    /// The answers as a JSON object, in the shape [`Answers::from_json`] reads.
    pub fn to_json(&self, program: &Program) -> serde_json::Value {
        answers::to_json(self, program.questions())
    }
}

impl Program {
    /// Evaluates answers made for this program (by [`Answers::from_json`] and
    /// its siblings).
    pub fn evaluate(&self, answers: &Answers) -> Evaluation {
        assert_eq!(
            answers.encoded().len(),
            self.questions.len(),
            "the answers were made for rules with other questions"
        );
        self.describe(&self.evaluate_raw(answers.encoded()))
    }

    /// Decides which questions are asked (a question not asked takes its unasked value,
    /// whatever was written for it), computes every value and criterion, each after those it
    /// uses, then picks the first outcome whose condition holds.
    pub(crate) fn evaluate_raw(&self, written: &[i32]) -> RawEvaluation {
        let mut answers = written.to_vec();
        let mut asked = vec![1; self.questions.len()];
        for (index, condition) in self.ask_code.iter().enumerate() {
            if let Some(condition) = condition {
                let slots = Slots {
                    answers: &answers,
                    asked: &asked,
                    values: &[],
                    criteria: &[],
                };
                asked[index] = (evaluate(condition, &slots) != 0) as i32;
                if asked[index] == 0 {
                    answers[index] = self.unasked[index];
                }
            }
        }
        let answers = answers.as_slice();
        let valid = (0..self.questions.len())
            .map(|index| self.answer_meets_condition(index, answers, &asked) as i32)
            .collect();
        let mut values = vec![0; self.values.len()];
        let mut criteria = vec![0; self.criteria.len()];
        for definition in &self.order {
            let slots = Slots {
                answers,
                asked: &asked,
                values: &values,
                criteria: &criteria,
            };
            match *definition {
                Definition::Value(index) => {
                    values[index] = evaluate(&self.value_code[index], &slots)
                }
                Definition::Criterion(index) => {
                    criteria[index] = evaluate(&self.criterion_code[index], &slots)
                }
            }
        }
        let slots = Slots {
            answers,
            asked: &asked,
            values: &values,
            criteria: &criteria,
        };
        let outcome = self
            .outcome_code
            .iter()
            .position(|code| code.as_ref().is_none_or(|code| evaluate(code, &slots) != 0))
            .unwrap_or(self.outcomes.len().saturating_sub(1));
        RawEvaluation {
            asked,
            valid,
            outcome,
            criteria,
            values,
        }
    }

    /// Names the outcome and the criteria, and decodes the values, of what
    /// either engine computed.
    pub(crate) fn describe(&self, raw: &RawEvaluation) -> Evaluation {
        let (passed, failed): (Vec<_>, Vec<_>) = self
            .criteria
            .iter()
            .zip(&raw.criteria)
            .partition(|(_, &result)| result != 0);
        Evaluation {
            outcome: self.outcomes[raw.outcome].id.clone(),
            passed: passed
                .into_iter()
                .map(|(criterion, _)| criterion.id.clone())
                .collect(),
            failed: failed
                .into_iter()
                .map(|(criterion, _)| criterion.id.clone())
                .collect(),
            values: self
                .values
                .iter()
                .zip(&raw.values)
                .map(|(value, &encoded)| {
                    (value.id.clone(), Value::decode(value.value_type, encoded))
                })
                .collect::<BTreeMap<_, _>>(),
        }
    }
}

/// The answers and what has been computed so far, as an expression reads them.
struct Slots<'a> {
    answers: &'a [i32],
    asked: &'a [i32],
    values: &'a [i32],
    criteria: &'a [i32],
}

/// One checked expression, computed the way the emitted module computes it:
/// on `i32`s, with wrapping arithmetic.
fn evaluate(ir: &Ir, slots: &Slots<'_>) -> i32 {
    match ir {
        Ir::Const(value) => *value,
        Ir::Answer(index, _) => slots.answers[*index],
        Ir::Answered(index) => slots.asked[*index],
        Ir::Value(index) => slots.values[*index],
        Ir::Criterion(index) => slots.criteria[*index],
        Ir::Not(operand) => (evaluate(operand, slots) == 0) as i32,
        Ir::Negate(operand) => 0i32.wrapping_sub(evaluate(operand, slots)),
        Ir::Binary(op, left, right) => {
            let left = evaluate(left, slots);
            let right = evaluate(right, slots);
            match op {
                BinaryOp::And => left & right,
                BinaryOp::Or => left | right,
                BinaryOp::Equal => (left == right) as i32,
                BinaryOp::NotEqual => (left != right) as i32,
                BinaryOp::Less => (left < right) as i32,
                BinaryOp::LessOrEqual => (left <= right) as i32,
                BinaryOp::Greater => (left > right) as i32,
                BinaryOp::GreaterOrEqual => (left >= right) as i32,
                BinaryOp::Add => left.wrapping_add(right),
                BinaryOp::Subtract => left.wrapping_sub(right),
                BinaryOp::Multiply => left.wrapping_mul(right),
                BinaryOp::At => unreachable!("lowering leaves no `at`"),
            }
        }
        Ir::AddMonths(date, months) => {
            date::add_months(evaluate(date, slots), evaluate(months, slots))
        }
        Ir::TimesTwelve(operand) => evaluate(operand, slots).wrapping_mul(12),
        Ir::If(condition, then, otherwise) => {
            if evaluate(condition, slots) != 0 {
                evaluate(then, slots)
            } else {
                evaluate(otherwise, slots)
            }
        }
        Ir::YearsBetween(from, to) => {
            date::years_between(evaluate(from, slots), evaluate(to, slots))
        }
        Ir::Lookup(key, rows) => {
            let key = evaluate(key, slots);
            rows.iter()
                .find(|row| row.low <= key && key <= row.high)
                .map_or(0, |row| row.value)
        }
        Ir::In(subject, choices) => {
            let subject = evaluate(subject, slots);
            choices.contains(&subject) as i32
        }
        Ir::Min(arguments) => fold(
            arguments,
            slots,
            |left, right| {
                if left < right {
                    left
                } else {
                    right
                }
            },
        ),
        Ir::Max(arguments) => fold(
            arguments,
            slots,
            |left, right| {
                if left > right {
                    left
                } else {
                    right
                }
            },
        ),
    }
}

fn fold(arguments: &[Ir], slots: &Slots<'_>, pick: impl Fn(i32, i32) -> i32) -> i32 {
    let mut values = arguments.iter().map(|argument| evaluate(argument, slots));
    let first = values.next().unwrap_or(0);
    values.fold(first, pick)
}

impl Program {
    /// `answers`, unless an answer does not meet its question's `valid_if`: then an error for
    /// each such answer.
    fn accepted(&self, answers: Answers) -> Result<Answers, Vec<AnswerError>> {
        let refused = answers::refused(self, &answers);
        if refused.is_empty() {
            return Ok(answers);
        }
        Err(refused
            .into_iter()
            .map(|index| {
                let question = &self.questions[index];
                AnswerError {
                    question: question.id.clone(),
                    message: format!(
                        "the answer to `{}` does not meet its condition `valid_if = \"{}\"`",
                        question.id,
                        question.valid_if.as_deref().unwrap_or_default()
                    ),
                }
            })
            .collect())
    }

    /// Whether question `index`'s answer meets its `valid_if`, given every answer (those not
    /// asked holding their unasked value) and whether each question was asked; an answer to
    /// a question not asked, or without a condition, always does.
    fn answer_meets_condition(&self, index: usize, answers: &[i32], asked: &[i32]) -> bool {
        let Some(condition) = &self.valid_code[index] else {
            return true;
        };
        if asked[index] == 0 {
            return true;
        }
        let slots = Slots {
            answers,
            asked,
            values: &[],
            criteria: &[],
        };
        evaluate(condition, &slots) != 0
    }
}

impl Asking for Program {
    fn is_asked(&self, index: usize, earlier: &[i32], earlier_asked: &[bool]) -> bool {
        let Some(condition) = &self.ask_code[index] else {
            return true;
        };
        let asked: Vec<i32> = earlier_asked.iter().map(|&asked| asked as i32).collect();
        let slots = Slots {
            answers: earlier,
            asked: &asked,
            values: &[],
            criteria: &[],
        };
        evaluate(condition, &slots) != 0
    }

    fn unasked_value(&self, index: usize) -> i32 {
        self.unasked[index]
    }

    fn accepts(&self, index: usize, answers: &[i32], asked: &[i32]) -> bool {
        self.answer_meets_condition(index, answers, asked)
    }
}
