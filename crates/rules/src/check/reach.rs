//! Warnings about rules that check but do not do what their author meant: a criterion no
//! outcome reads (it shows in the checklist, yet never changes the result), and an outcome
//! that can never apply because the outcomes before it catch every case it would.
//!
//! Outcomes decide, in order; criteria explain. A criterion counts when an outcome's `when`
//! reads it, directly or through computed values and other criteria.
//!
//! Whether an outcome can apply is found by trying every combination of the yes/no and choice
//! answers the outcomes read (through values and criteria too). Anything else (a number, a
//! date, a comparison of them) is unknown, and the logic is three-valued as in `asked`: an
//! outcome is caught only when an earlier outcome is known to hold. So the search may miss a
//! dead outcome, never call a live one dead. With more than [`MAX_CASES`] combinations, or
//! more than [`MAX_STEPS`] steps (combinations times the rules' size), it is not tried.

use std::collections::BTreeSet;
use std::ops::Range;

use super::asked::{compute, program_size, MAX_STEPS};
use super::{string_base, Checker};
use crate::ir::{Definition, Ir};
use crate::model::QuestionKind;
use crate::program::Program;
use crate::schema::RulesFile;
use crate::syntax::BinaryOp;

/// The most combinations of answers tried when looking for outcomes that can never apply.
pub(crate) const MAX_CASES: usize = 4096;

impl Checker<'_> {
    /// Warns about criteria no outcome reads and outcomes that can never apply.
    pub(super) fn warn_unused_rules(&mut self, program: &Program, file: &RulesFile) {
        self.warn_unread_criteria(program, file);
        self.warn_unreachable_outcomes(program, file);
    }

    fn warn_unread_criteria(&mut self, program: &Program, file: &RulesFile) {
        let (_, criteria) = read_by_outcomes(program);
        for (index, entry) in file.criteria.iter().enumerate() {
            if criteria.contains(&index) {
                continue;
            }
            let id = &entry.get_ref().id;
            self.reporter.warning_with_help(
                id.span(),
                format!(
                    "no outcome reads the criterion `{}`, so it never changes the result",
                    id.get_ref()
                ),
                format!(
                    "outcomes decide and criteria only explain: reference it from an outcome's `when` (`when = \"not {}\"`, or through a computed value), or remove it",
                    id.get_ref()
                ),
            );
        }
    }

    fn warn_unreachable_outcomes(&mut self, program: &Program, file: &RulesFile) {
        let Some(cases) = Cases::new(program) else {
            return;
        };
        let outcomes = program.outcomes.len();
        let mut can_apply = vec![false; outcomes];
        let mut holds_somewhere = vec![false; outcomes];
        // For each outcome, the earlier outcomes that took its cases.
        let mut caught_by: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); outcomes];
        cases.each(|case| {
            let mut taken: Option<usize> = None;
            for (index, code) in program.outcome_code.iter().enumerate() {
                let holds = match code {
                    Some(code) => case.eval(code),
                    None => Some(1),
                };
                if holds == Some(0) {
                    continue;
                }
                holds_somewhere[index] = true;
                match taken {
                    Some(earlier) => {
                        caught_by[index].insert(earlier);
                    }
                    None => can_apply[index] = true,
                }
                if holds == Some(1) && taken.is_none() {
                    taken = Some(index);
                }
            }
        });
        for (index, entry) in file.outcomes.iter().enumerate() {
            if can_apply[index] {
                continue;
            }
            let outcome = entry.get_ref();
            let id = outcome.id.get_ref();
            let span: Range<usize> = match &outcome.when {
                Some(when) => {
                    let start = string_base(self.reporter.source, when);
                    start..start + when.get_ref().len()
                }
                None => outcome.id.span(),
            };
            if !holds_somewhere[index] {
                self.reporter.warning_with_help(
                    span,
                    format!("the outcome `{id}` can never apply: its `when` never holds"),
                    "check its condition against the questions' answers, or remove the outcome",
                );
                continue;
            }
            let earlier: Vec<String> = caught_by[index]
                .iter()
                .map(|&earlier| format!("`{}`", program.outcomes[earlier].id))
                .collect();
            let help = if outcome.when.is_none() {
                "the last outcome applies when no other does, and here another always does: remove it, or remove `when` from the outcome before it"
            } else {
                "the first outcome whose `when` holds applies: move this one before them, narrow theirs, or remove it"
            };
            self.reporter.warning_with_help(
                span,
                format!(
                    "the outcome `{id}` can never apply: {} before it {} every case it would",
                    list(&earlier),
                    if earlier.len() == 1 { "takes" } else { "take" }
                ),
                help,
            );
        }
    }
}

/// `a`, `a and b`, `a, b and c`.
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// The computed values and criteria the outcomes' conditions read, directly or through
/// each other.
fn read_by_outcomes(program: &Program) -> (BTreeSet<usize>, BTreeSet<usize>) {
    let mut values = BTreeSet::new();
    let mut criteria = BTreeSet::new();
    let mut pending: Vec<&Ir> = program.outcome_code.iter().flatten().collect();
    while let Some(ir) = pending.pop() {
        match ir {
            Ir::Value(index) => {
                if values.insert(*index) {
                    pending.push(&program.value_code[*index]);
                }
            }
            Ir::Criterion(index) => {
                if criteria.insert(*index) {
                    pending.push(&program.criterion_code[*index]);
                }
            }
            _ => pending.extend(ir.children()),
        }
    }
    (values, criteria)
}

/// The combinations of yes/no and choice answers the outcomes read.
struct Cases<'p> {
    program: &'p Program,
    /// The enumerated questions, each with how many answers it takes.
    gates: Vec<(usize, i32)>,
    count: usize,
}

/// One combination: what is known of every question, value and criterion.
struct Case<'p> {
    program: &'p Program,
    /// Per question: its answer when known.
    answers: Vec<Option<i32>>,
    /// Per question: whether it is asked, when known.
    asked: Vec<Option<bool>>,
    values: Vec<Option<i32>>,
    criteria: Vec<Option<i32>>,
}

impl<'p> Cases<'p> {
    /// `None` when the combinations are too many to try.
    fn new(program: &'p Program) -> Option<Cases<'p>> {
        let (values, criteria) = read_by_outcomes(program);
        let mut read = BTreeSet::new();
        let mut note = |ir: &Ir| read.extend(ir.questions_read(false));
        program.outcome_code.iter().flatten().for_each(&mut note);
        values
            .iter()
            .for_each(|&index| note(&program.value_code[index]));
        criteria
            .iter()
            .for_each(|&index| note(&program.criterion_code[index]));
        let gates: Vec<(usize, i32)> = read
            .into_iter()
            .filter_map(|question| match &program.questions[question].kind {
                QuestionKind::Bool => Some((question, 2)),
                QuestionKind::Choice { choices } => Some((question, choices.len() as i32)),
                _ => None,
            })
            .collect();
        // With no such answer there is one case, in which only constants are known.
        let count = gates
            .iter()
            .try_fold(1usize, |total, (_, count)| {
                total.checked_mul(*count as usize)
            })
            .filter(|total| *total <= MAX_CASES)?;
        // Each case runs the outcomes and what they read: a long formula times many cases
        // would hold the build for seconds, for a warning.
        if count.saturating_mul(program_size(program)) > MAX_STEPS {
            return None;
        }
        Some(Cases {
            program,
            gates,
            count,
        })
    }

    /// Calls `visit` with each possible combination.
    fn each(&self, mut visit: impl FnMut(&Case<'p>)) {
        let questions = self.program.questions.len();
        for number in 0..self.count {
            let mut answers = vec![None; questions];
            let mut rest = number;
            for &(question, count) in &self.gates {
                answers[question] = Some((rest % count as usize) as i32);
                rest /= count as usize;
            }
            let mut case = Case {
                program: self.program,
                answers,
                asked: Vec::with_capacity(questions),
                values: vec![None; self.program.values.len()],
                criteria: vec![None; self.program.criteria.len()],
            };
            if case.settle() {
                visit(&case);
            }
        }
    }
}

impl Case<'_> {
    /// Works out which questions are asked and every value and criterion; `false` when the
    /// combination cannot happen (an unasked question enumerated with an answer other than
    /// the one it holds when not asked).
    fn settle(&mut self) -> bool {
        let program = self.program;
        for (index, condition) in program.ask_code.iter().enumerate() {
            let asked = match condition {
                None => Some(true),
                Some(condition) => self.eval(condition).map(|value| value != 0),
            };
            self.asked.push(asked);
            if asked == Some(false) {
                match self.answers[index] {
                    Some(value) if value != program.unasked[index] => return false,
                    _ => self.answers[index] = Some(program.unasked[index]),
                }
            }
        }
        for definition in &program.order {
            match *definition {
                Definition::Value(index) => {
                    self.values[index] = self.eval(&program.value_code[index]);
                }
                Definition::Criterion(index) => {
                    self.criteria[index] = self.eval(&program.criterion_code[index]);
                }
            }
        }
        true
    }

    /// The value of `ir` in this combination, when it is known.
    fn eval(&self, ir: &Ir) -> Option<i32> {
        match ir {
            Ir::Const(value) => Some(*value),
            Ir::Answer(question, _) => self.answers[*question],
            Ir::Answered(question) => self.asked.get(*question).copied().flatten().map(i32::from),
            Ir::Value(index) => self.values[*index],
            Ir::Criterion(index) => self.criteria[*index],
            Ir::Not(operand) => self.eval(operand).map(|value| (value == 0) as i32),
            Ir::Binary(BinaryOp::And, left, right) => match (self.eval(left), self.eval(right)) {
                (Some(0), _) | (_, Some(0)) => Some(0),
                (Some(left), Some(right)) => Some(left & right),
                _ => None,
            },
            Ir::Binary(BinaryOp::Or, left, right) => match (self.eval(left), self.eval(right)) {
                (Some(1), _) | (_, Some(1)) => Some(1),
                (Some(left), Some(right)) => Some(left | right),
                _ => None,
            },
            Ir::If(test, then, otherwise) => match self.eval(test) {
                Some(0) => self.eval(otherwise),
                Some(_) => self.eval(then),
                None => {
                    let (then, otherwise) = (self.eval(then), self.eval(otherwise));
                    (then == otherwise).then_some(then).flatten()
                }
            },
            _ => {
                let operands: Option<Vec<i32>> = ir
                    .children()
                    .into_iter()
                    .map(|child| self.eval(child))
                    .collect();
                operands.map(|operands| compute(ir, &operands))
            }
        }
    }
}
