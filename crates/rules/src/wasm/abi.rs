//! The module's ABI: where a page writes answers and reads results.

use serde::Serialize;

use crate::model::{QuestionKind, ValueType};
use crate::program::Program;

/// How a page drives the module; serialized as JSON for the page script.
///
/// The module imports nothing and exports `memory` and `evaluate: () -> i32`.
/// Every slot in memory is a little-endian `i32`: yes/no as 0 or 1, a choice
/// as its index in the question's `choices`, a date as days since 1970-01-01,
/// a whole number as itself. A page:
///
/// 1. writes one `i32` per question at `questions[i].offset`;
/// 2. calls `evaluate()`, which returns the index of the outcome in `outcomes`;
/// 3. reads one `i32` per criterion at `criteria[i].offset` (1 = passed) and
///    one per computed value at `values[i].offset`, after checking that every question
///    with a `valid` offset reads 1 there (its answer meets its `valid_if`).
///
/// Only `i32` crosses the boundary, so JavaScript needs no `BigInt`. Facts are
/// folded in as constants; month arithmetic is a function in the module that
/// mirrors `Date::add_months` step for step.
///
/// ```json
/// {"memory": "memory", "evaluate": "evaluate",
///  "questions": [{"id": "role", "type": "choice", "offset": 0, "choices": ["principal", "spouse"]},
///                {"id": "applied_on", "type": "date", "offset": 4, "default": "today"},
///                {"id": "years", "type": "integer", "offset": 8, "min": 1, "max": 10}],
///  "criteria": [{"id": "applied_while_open", "type": "bool", "offset": 12}],
///  "values": [{"id": "permit_ends_on", "type": "date", "offset": 16}],
///  "outcomes": ["eligible", "not_eligible"]}
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Abi {
    /// The exported memory's name.
    pub memory: String,
    /// The exported `() -> i32` function's name.
    pub evaluate: String,
    pub questions: Vec<AbiQuestion>,
    pub criteria: Vec<AbiSlot>,
    pub values: Vec<AbiSlot>,
    /// Outcome ids, indexed by what `evaluate` returns.
    pub outcomes: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AbiQuestion {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: AbiQuestionType,
    pub offset: u32,
    /// Choice ids, indexed by the `i32` that stands for them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    /// `Some("today")` when the form should start at the reader's today.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<i32>,
    /// For a question asked only on a condition (`ask_if`, shown in `condition`): where
    /// `evaluate` writes 1 when it is asked, 0 when not. A page shows the question only
    /// when it is asked; what it wrote for an unasked one is replaced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asked: Option<u32>,
    /// For a question with `valid_if`: where `evaluate` writes 0 when it is asked and its
    /// answer does not meet the condition, and not 0 otherwise (the condition's value, 1 for
    /// answers a page writes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub valid: Option<u32>,
    /// For a question with `valid_if`: the other questions its judgement depends on, in
    /// question order: those it reads (or asks whether they were asked), and those that decide
    /// whether each of them is asked, and so on. A page judges the answer only once each of
    /// them is answered or not asked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reads: Vec<String>,
}

/// The other questions whose answers a question's `valid_if` depends on: those it reads (or
/// asks whether they were asked), and, as whether one of those was asked depends on the
/// answers its `ask_if` reads, those too, and so on.
fn deciding_questions(program: &Program, question: usize) -> Vec<String> {
    let Some(condition) = &program.valid_code[question] else {
        return Vec::new();
    };
    let mut found: std::collections::BTreeSet<usize> =
        condition.questions_read(true).into_iter().collect();
    let mut pending: Vec<usize> = found.iter().copied().collect();
    while let Some(read) = pending.pop() {
        for decider in program.ask_code[read]
            .iter()
            .flat_map(|ask| ask.questions_read(true))
        {
            if found.insert(decider) {
                pending.push(decider);
            }
        }
    }
    found.remove(&question);
    found
        .into_iter()
        .map(|index| program.questions()[index].id.clone())
        .collect()
}

/// A question's type as the page script names it: `bool`, `choice`, `date` or `integer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AbiQuestionType {
    Bool,
    Choice,
    Date,
    Integer,
}

impl AbiQuestionType {
    fn of(kind: &QuestionKind) -> AbiQuestionType {
        match kind {
            QuestionKind::Bool => AbiQuestionType::Bool,
            QuestionKind::Choice { .. } => AbiQuestionType::Choice,
            QuestionKind::Date { .. } => AbiQuestionType::Date,
            QuestionKind::Integer { .. } => AbiQuestionType::Integer,
        }
    }
}

/// A result the page reads back: a criterion (1 = passed) or a computed value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AbiSlot {
    pub id: String,
    /// Criteria are always `bool`.
    #[serde(rename = "type")]
    pub kind: ValueType,
    pub offset: u32,
}

/// Bytes per slot: every slot is one `i32`.
pub(super) const SLOT: u32 = 4;

/// Where each part of memory starts: the answers at 0, then the criteria, the values,
/// whether each question was asked, and whether each answer meets its question's `valid_if`.
pub(super) struct Layout {
    pub(super) criteria: u32,
    pub(super) values: u32,
    pub(super) asked: u32,
    pub(super) valid: u32,
    pub(super) end: u32,
}

pub(super) fn layout(program: &Program) -> Layout {
    let criteria = program.questions().len() as u32 * SLOT;
    let values = criteria + program.criteria().len() as u32 * SLOT;
    let asked = values + program.values().len() as u32 * SLOT;
    let valid = asked + program.questions().len() as u32 * SLOT;
    let end = valid + program.questions().len() as u32 * SLOT;
    Layout {
        criteria,
        values,
        asked,
        valid,
        end,
    }
}

pub(super) fn abi(program: &Program) -> Abi {
    let layout = layout(program);
    let questions = program
        .questions()
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let mut described = AbiQuestion {
                id: question.id.clone(),
                kind: AbiQuestionType::of(&question.kind),
                offset: index as u32 * SLOT,
                choices: Vec::new(),
                default: None,
                min: None,
                max: None,
                asked: program.ask_code[index]
                    .is_some()
                    .then_some(layout.asked + index as u32 * SLOT),
                valid: program.valid_code[index]
                    .is_some()
                    .then_some(layout.valid + index as u32 * SLOT),
                reads: deciding_questions(program, index),
            };
            match &question.kind {
                QuestionKind::Bool => {}
                QuestionKind::Choice { choices } => {
                    described.choices = choices.iter().map(|choice| choice.id.clone()).collect();
                }
                QuestionKind::Date { default_today, .. } => {
                    described.default = default_today.then(|| "today".to_string());
                }
                QuestionKind::Integer { min, max } => {
                    described.min = *min;
                    described.max = *max;
                }
            }
            described
        })
        .collect();
    Abi {
        memory: "memory".to_string(),
        evaluate: "evaluate".to_string(),
        questions,
        criteria: program
            .criteria()
            .iter()
            .enumerate()
            .map(|(index, criterion)| AbiSlot {
                id: criterion.id.clone(),
                kind: ValueType::Bool,
                offset: layout.criteria + index as u32 * SLOT,
            })
            .collect(),
        values: program
            .values()
            .iter()
            .enumerate()
            .map(|(index, value)| AbiSlot {
                id: value.id.clone(),
                kind: value.value_type,
                offset: layout.values + index as u32 * SLOT,
            })
            .collect(),
        outcomes: program
            .outcomes()
            .iter()
            .map(|outcome| outcome.id.clone())
            .collect(),
    }
}
