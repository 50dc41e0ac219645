//! Checked expressions over `i32`s, shared by the native evaluator and the
//! WebAssembly emitter.
//!
//! Every value is an `i32`: yes/no as 0 or 1, a choice as its index, a date as
//! days since 1970-01-01. Arithmetic wraps, as WebAssembly's does.

use crate::date;
use crate::syntax::BinaryOp;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ir {
    Const(i32),
    Answer(usize),
    Value(usize),
    Criterion(usize),
    Not(Box<Ir>),
    Negate(Box<Ir>),
    Binary(BinaryOp, Box<Ir>, Box<Ir>),
    /// A date moved by a number of calendar months.
    AddMonths(Box<Ir>, Box<Ir>),
    TimesTwelve(Box<Ir>),
    In(Box<Ir>, Vec<i32>),
    Min(Vec<Ir>),
    Max(Vec<Ir>),
}

/// A computed value or a criterion: the definitions evaluated before the outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Definition {
    Value(usize),
    Criterion(usize),
}

pub(crate) struct Slots<'a> {
    pub(crate) answers: &'a [i32],
    pub(crate) values: &'a [i32],
    pub(crate) criteria: &'a [i32],
}

impl Ir {
    pub(crate) fn evaluate(&self, slots: &Slots<'_>) -> i32 {
        match self {
            Ir::Const(value) => *value,
            Ir::Answer(index) => slots.answers[*index],
            Ir::Value(index) => slots.values[*index],
            Ir::Criterion(index) => slots.criteria[*index],
            Ir::Not(operand) => (operand.evaluate(slots) == 0) as i32,
            Ir::Negate(operand) => 0i32.wrapping_sub(operand.evaluate(slots)),
            Ir::Binary(op, left, right) => {
                let left = left.evaluate(slots);
                let right = right.evaluate(slots);
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
                }
            }
            Ir::AddMonths(date, months) => {
                date::add_months(date.evaluate(slots), months.evaluate(slots))
            }
            Ir::TimesTwelve(operand) => operand.evaluate(slots).wrapping_mul(12),
            Ir::In(subject, choices) => {
                let subject = subject.evaluate(slots);
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
}

fn fold(arguments: &[Ir], slots: &Slots<'_>, pick: impl Fn(i32, i32) -> i32) -> i32 {
    let mut values = arguments.iter().map(|argument| argument.evaluate(slots));
    let first = values.next().unwrap_or(0);
    values.fold(first, pick)
}
