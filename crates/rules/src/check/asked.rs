//! The proof that no answer is read where its question may not have been asked.
//!
//! Whether a question is asked depends only on the answers its `ask_if` reads. The proof
//! enumerates every combination of those answers (yes/no and choice answers take each of
//! their values; any other condition in an `ask_if`, such as `age >= 18`, is taken as true and
//! as false), works out which questions are asked, and walks every condition for asking,
//! computed value, criterion and outcome with three-valued logic: a part is known (from the
//! enumerated answers, from `answered(...)`, from what an unasked question holds) or unknown.
//! A read is reached unless what guards it is known to exclude it: the right of `a and b`
//! when `a` is not known false, of `a or b` when `a` is not known true, a branch of `if` when
//! its condition is not known to choose the other one; an outcome when no earlier outcome is
//! known to hold. A reached read of an unasked question without a `default` is an error.
//!
//! The enumeration over-approximates (a combination the conditions rule out is still tried),
//! so the proof may refuse rules that are in fact safe, never the reverse.

use std::collections::BTreeMap;
use std::ops::Range;

use super::Checker;
use crate::date;
use crate::ir::{Definition, Ir};
use crate::model::{Outcome, QuestionKind};
use crate::program::Program;
use crate::schema::RulesFile;
use crate::syntax::BinaryOp;

/// The most combinations the proof tries before asking the author to simplify.
const MAX_COMBINATIONS: usize = 1 << 16;

/// The most steps (combinations times the rules' expression nodes) the proof takes: each
/// combination runs the whole program, so many combinations of a large program would hold a
/// build for seconds (some tenths of a second at this bound).
pub(super) const MAX_STEPS: usize = 1 << 24;

/// How many expression nodes one run of the proof evaluates at most: every condition and
/// formula of the program.
pub(super) fn program_size(program: &Program) -> usize {
    let mut size = 0usize;
    let mut count = |ir: &Ir| ir.visit(&mut |_| size += 1);
    program.ask_code.iter().flatten().for_each(&mut count);
    program.valid_code.iter().flatten().for_each(&mut count);
    program.value_code.iter().for_each(&mut count);
    program.criterion_code.iter().for_each(&mut count);
    program.outcome_code.iter().flatten().for_each(&mut count);
    size
}

/// A read of an unasked question, found under one combination of answers.
struct Unasked {
    question: usize,
    reader: String,
    combination: String,
}

struct Prover<'p> {
    program: &'p Program,
    /// Questions whose answers an `ask_if` reads and which the proof enumerates, with how
    /// many values each takes.
    gates: Vec<(usize, i32)>,
    /// Other conditions in an `ask_if`, each taken as true and as false.
    atoms: Vec<Ir>,
    /// Whether each question has a `default` to hold when not asked.
    has_default: Vec<bool>,
    // One combination:
    gate_values: BTreeMap<usize, i32>,
    atom_values: Vec<i32>,
    asked: Vec<bool>,
    values: Vec<Option<i32>>,
    criteria: Vec<Option<i32>>,
    reader: String,
    found: BTreeMap<(usize, usize), Unasked>,
}

impl Checker<'_> {
    pub(super) fn prove_answers_asked(&mut self, program: &Program, file: &RulesFile) {
        if program.ask_code.iter().all(Option::is_none) {
            return;
        }
        let mut prover = Prover {
            program,
            gates: Vec::new(),
            atoms: Vec::new(),
            has_default: self.unasked.iter().map(Option::is_some).collect(),
            gate_values: BTreeMap::new(),
            atom_values: Vec::new(),
            asked: Vec::new(),
            values: Vec::new(),
            criteria: Vec::new(),
            reader: String::new(),
            found: BTreeMap::new(),
        };
        for condition in program.ask_code.iter().flatten() {
            prover.collect(condition);
        }
        let size = program_size(program);
        let combinations = prover
            .gates
            .iter()
            .map(|(_, count)| *count as usize)
            .chain(prover.atoms.iter().map(|_| 2))
            .try_fold(1usize, |total, count| total.checked_mul(count))
            .filter(|total| *total <= MAX_COMBINATIONS)
            .filter(|total| total.saturating_mul(size) <= MAX_STEPS);
        let Some(combinations) = combinations else {
            let first = file
                .questions
                .iter()
                .find_map(|entry| entry.get_ref().ask_if.as_ref())
                .map_or(0..0, |condition| condition.span());
            self.reporter.error_with_help(
                first,
                format!(
                    "the conditions for asking questions combine {} answers and conditions, too many to check every case",
                    prover.gates.len() + prover.atoms.len()
                ),
                format!("keep the combinations of answers read by `ask_if` under {MAX_COMBINATIONS}, and under {MAX_STEPS} divided by the rules' size ({size} steps): fewer answers read by each `ask_if`, or fewer and shorter formulas"),
            );
            return;
        };
        for combination in 0..combinations {
            prover.try_combination(combination);
        }
        for ((_, span_start), unasked) in std::mem::take(&mut prover.found) {
            let question = &program.questions[unasked.question];
            let span = self.read_span(program, unasked.question, span_start);
            let condition = question.ask_if.as_deref().unwrap_or("");
            self.reporter.error_with_help(
                span,
                format!(
                    "{} reads `{}`, which may not have been asked",
                    unasked.reader, question.id
                ),
                format!(
                    "`{id}` is asked only if `{condition}`, and it is not asked when {}; read it only where it was asked (`answered({id}) and ...`, or `if answered({id}) then ... else ...`), or give `{id}` a `default` to use when it is not asked",
                    unasked.combination,
                    id = question.id
                ),
            );
        }
    }

    /// The span of the read of `question` that starts at `start`.
    fn read_span(&self, program: &Program, question: usize, start: usize) -> Range<usize> {
        let mut span = start..start + program.questions[question].id.len();
        let mut find = |ir: &Ir| {
            ir.visit(&mut |node| {
                if let Ir::Answer(index, read) = node {
                    if *index == question && read.start == start {
                        span = read.clone();
                    }
                }
            })
        };
        program.ask_code.iter().flatten().for_each(&mut find);
        program.valid_code.iter().flatten().for_each(&mut find);
        program.value_code.iter().for_each(&mut find);
        program.criterion_code.iter().for_each(&mut find);
        program.outcome_code.iter().flatten().for_each(&mut find);
        span
    }
}

impl Prover<'_> {
    fn is_gate(&self, question: usize) -> bool {
        matches!(
            self.program.questions[question].kind,
            QuestionKind::Bool | QuestionKind::Choice { .. }
        )
    }

    /// Whether every answer `ir` reads is enumerated, so its value is always known.
    fn decided(&self, ir: &Ir) -> bool {
        match ir {
            Ir::Answer(question, _) => self.is_gate(*question),
            Ir::Value(_) | Ir::Criterion(_) => false,
            _ => ir.children().into_iter().all(|child| self.decided(child)),
        }
    }

    /// The enumerated answers and the other conditions of an `ask_if`.
    fn collect(&mut self, condition: &Ir) {
        condition.visit(&mut |node| {
            if let Ir::Answer(question, _) = node {
                let count = match &self.program.questions[*question].kind {
                    QuestionKind::Bool => Some(2),
                    QuestionKind::Choice { choices } => Some(choices.len() as i32),
                    _ => None,
                };
                if let Some(count) = count {
                    if !self.gates.iter().any(|(known, _)| known == question) {
                        self.gates.push((*question, count));
                    }
                }
            }
        });
        self.collect_atoms(condition);
    }

    fn collect_atoms(&mut self, condition: &Ir) {
        match condition {
            Ir::Binary(BinaryOp::And | BinaryOp::Or, left, right) => {
                self.collect_atoms(left);
                self.collect_atoms(right);
            }
            Ir::Not(operand) => self.collect_atoms(operand),
            Ir::If(test, then, otherwise) => {
                self.collect_atoms(test);
                self.collect_atoms(then);
                self.collect_atoms(otherwise);
            }
            _ if self.decided(condition) => {}
            _ => {
                if !self.atoms.iter().any(|atom| atom.same_as(condition)) {
                    self.atoms.push(condition.clone());
                }
            }
        }
    }

    fn try_combination(&mut self, mut combination: usize) {
        self.gate_values.clear();
        for &(question, count) in &self.gates {
            self.gate_values
                .insert(question, (combination % count as usize) as i32);
            combination /= count as usize;
        }
        self.atom_values = (0..self.atoms.len())
            .map(|_| {
                let value = (combination % 2) as i32;
                combination /= 2;
                value
            })
            .collect();
        let program = self.program;
        self.asked = Vec::with_capacity(program.questions.len());
        self.values = vec![None; program.values.len()];
        self.criteria = vec![None; program.criteria.len()];
        let mut maybe_asked = Vec::with_capacity(program.questions.len());
        for (index, condition) in program.ask_code.iter().enumerate() {
            let decided = match condition {
                None => Some(1),
                Some(condition) => {
                    self.reader =
                        format!("the condition for asking `{}`", program.questions[index].id);
                    self.walk(condition, true)
                }
            };
            let asked = decided == Some(1);
            maybe_asked.push(decided != Some(0));
            self.asked.push(asked);
            // An unasked question holds its unasked value: a combination giving it another
            // one cannot happen.
            if let Some(value) = self.gate_values.get(&index) {
                if !asked && *value != program.unasked[index] {
                    return;
                }
            }
        }
        // A question's `valid_if` is judged only when it is asked: walked unless known not to
        // be, so that a condition left undecided still has its reads proven.
        for (index, condition) in program.valid_code.iter().enumerate() {
            if let (Some(condition), true) = (condition, maybe_asked[index]) {
                self.reader = format!("the `valid_if` of `{}`", program.questions[index].id);
                // Where it is judged, its own question was asked.
                let asked = std::mem::replace(&mut self.asked[index], true);
                self.walk(condition, true);
                self.asked[index] = asked;
            }
        }
        for definition in &program.order {
            match *definition {
                Definition::Value(index) => {
                    self.reader = format!("the computed value `{}`", program.values[index].id);
                    self.values[index] = self.walk(&program.value_code[index], true);
                }
                Definition::Criterion(index) => {
                    self.reader = format!("the criterion `{}`", program.criteria[index].id);
                    self.criteria[index] = self.walk(&program.criterion_code[index], true);
                }
            }
        }
        let mut reached = true;
        for (outcome, code) in program.outcomes.iter().zip(&program.outcome_code) {
            let Some(code) = code else { break };
            self.reader = describe_outcome(outcome);
            if self.walk(code, reached) == Some(1) {
                reached = false;
            }
        }
    }

    fn combination(&self) -> String {
        let described: Vec<String> = self
            .gate_values
            .iter()
            .filter(|(question, _)| self.asked[**question])
            .map(|(&question, &value)| {
                let question = &self.program.questions[question];
                let answer = match &question.kind {
                    QuestionKind::Choice { choices } => choices[value as usize].id.clone(),
                    _ if value == 1 => "yes".to_string(),
                    _ => "no".to_string(),
                };
                format!("`{}` is {answer}", question.id)
            })
            .collect();
        if described.is_empty() {
            "some answers make it so".to_string()
        } else {
            described.join(" and ")
        }
    }

    /// The value of `ir` when known, noting each reached read of an unasked question.
    fn walk(&mut self, ir: &Ir, reached: bool) -> Option<i32> {
        if let Some(position) = self.atoms.iter().position(|atom| atom.same_as(ir)) {
            for child in ir.children() {
                self.walk(child, reached);
            }
            return Some(self.atom_values[position]);
        }
        match ir {
            Ir::Const(value) => Some(*value),
            Ir::Answer(question, span) => {
                let question = *question;
                if !self.asked[question] {
                    if reached && !self.has_default[question] {
                        let combination = self.combination();
                        self.found
                            .entry((question, span.start))
                            .or_insert_with(|| Unasked {
                                question,
                                reader: self.reader.clone(),
                                combination,
                            });
                    }
                    return Some(self.program.unasked[question]);
                }
                self.gate_values.get(&question).copied()
            }
            Ir::Answered(question) => {
                Some(self.asked.get(*question).copied().unwrap_or(true) as i32)
            }
            Ir::Value(index) => self.values[*index],
            Ir::Criterion(index) => self.criteria[*index],
            Ir::Not(operand) => self.walk(operand, reached).map(|value| (value == 0) as i32),
            Ir::Binary(BinaryOp::And, left, right) => {
                let left = self.walk(left, reached);
                let right = self.walk(right, reached && left != Some(0));
                match (left, right) {
                    (Some(0), _) | (_, Some(0)) => Some(0),
                    (Some(left), Some(right)) => Some(left & right),
                    _ => None,
                }
            }
            Ir::Binary(BinaryOp::Or, left, right) => {
                let left = self.walk(left, reached);
                let right = self.walk(right, reached && left != Some(1));
                match (left, right) {
                    (Some(1), _) | (_, Some(1)) => Some(1),
                    (Some(left), Some(right)) => Some(left | right),
                    _ => None,
                }
            }
            Ir::If(test, then, otherwise) => {
                let test = self.walk(test, reached);
                let then = self.walk(then, reached && test != Some(0));
                let otherwise = self.walk(otherwise, reached && test.is_none_or(|test| test == 0));
                match test {
                    Some(0) => otherwise,
                    Some(_) => then,
                    None if then == otherwise => then,
                    None => None,
                }
            }
            _ => {
                let known: Vec<Option<i32>> = ir
                    .children()
                    .into_iter()
                    .map(|child| self.walk(child, reached))
                    .collect();
                let known: Option<Vec<i32>> = known.into_iter().collect();
                known.map(|operands| compute(ir, &operands))
            }
        }
    }
}

fn describe_outcome(outcome: &Outcome) -> String {
    format!("the condition of the outcome `{}`", outcome.id)
}

/// `ir` computed from its operands' values, as both engines compute it.
pub(super) fn compute(ir: &Ir, operands: &[i32]) -> i32 {
    match ir {
        Ir::Negate(_) => 0i32.wrapping_sub(operands[0]),
        Ir::Binary(op, _, _) => {
            let (left, right) = (operands[0], operands[1]);
            match op {
                BinaryOp::Equal => (left == right) as i32,
                BinaryOp::NotEqual => (left != right) as i32,
                BinaryOp::Less => (left < right) as i32,
                BinaryOp::LessOrEqual => (left <= right) as i32,
                BinaryOp::Greater => (left > right) as i32,
                BinaryOp::GreaterOrEqual => (left >= right) as i32,
                BinaryOp::Add => left.wrapping_add(right),
                BinaryOp::Subtract => left.wrapping_sub(right),
                BinaryOp::Multiply => left.wrapping_mul(right),
                BinaryOp::And => left & right,
                BinaryOp::Or => left | right,
                BinaryOp::At => 0,
            }
        }
        Ir::AddMonths(..) => date::add_months(operands[0], operands[1]),
        Ir::TimesTwelve(_) => operands[0].wrapping_mul(12),
        Ir::YearsBetween(..) => date::years_between(operands[0], operands[1]),
        Ir::In(_, choices) => choices.contains(&operands[0]) as i32,
        Ir::Min(_) => operands.iter().copied().min().unwrap_or(0),
        Ir::Max(_) => operands.iter().copied().max().unwrap_or(0),
        Ir::Lookup(_, rows) => rows
            .iter()
            .find(|row| row.low <= operands[0] && operands[0] <= row.high)
            .map_or(0, |row| row.value),
        _ => 0,
    }
}
