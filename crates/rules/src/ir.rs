//! Checked expressions over `i32`s, shared by the native evaluator (`eval`)
//! and the WebAssembly emitter (`wasm`).
//!
//! Every value is an `i32`: yes/no as 0 or 1, a choice as its index, a date as
//! days since 1970-01-01. Both engines compute with wrapping `i32` arithmetic,
//! but the checker proves from the questions' ranges and the facts and tables
//! that no expression ever leaves the `i32` range (`check::bounds`), so nothing
//! ever wraps.

use std::ops::Range;

use crate::syntax::BinaryOp;

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ir {
    Const(i32),
    /// The answer to a question, and where the rules read it (for the proof that it was asked).
    Answer(usize, Range<usize>),
    /// 1 when the question was asked, 0 when its condition kept it from the reader.
    Answered(usize),
    Value(usize),
    Criterion(usize),
    Not(Box<Ir>),
    Negate(Box<Ir>),
    /// Never `BinaryOp::At`, which lowering turns into `If`s.
    Binary(BinaryOp, Box<Ir>, Box<Ir>),
    /// A date moved by a number of calendar months.
    AddMonths(Box<Ir>, Box<Ir>),
    TimesTwelve(Box<Ir>),
    In(Box<Ir>, Vec<i32>),
    Min(Vec<Ir>),
    Max(Vec<Ir>),
    /// Only the branch taken is computed.
    If(Box<Ir>, Box<Ir>, Box<Ir>),
    /// Whole years from the first date to the second: the largest `n` with
    /// `first + n years <= second`.
    YearsBetween(Box<Ir>, Box<Ir>),
    /// The value of the first row whose inclusive range holds the key, or 0 when none does
    /// (which the checker proves cannot happen for any answer a reader can give).
    Lookup(Box<Ir>, Vec<Row>),
}

/// One row of a lowered table: keys `low..=high` give `value`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Row {
    pub(crate) low: i32,
    pub(crate) high: i32,
    pub(crate) value: i32,
}

impl Ir {
    /// Whether two expressions compute the same thing, wherever they were written.
    pub(crate) fn same_as(&self, other: &Ir) -> bool {
        match (self, other) {
            (Ir::Answer(a, _), Ir::Answer(b, _)) => a == b,
            (Ir::Not(a), Ir::Not(b))
            | (Ir::Negate(a), Ir::Negate(b))
            | (Ir::TimesTwelve(a), Ir::TimesTwelve(b)) => a.same_as(b),
            (Ir::Binary(op_a, a1, a2), Ir::Binary(op_b, b1, b2)) => {
                op_a == op_b && a1.same_as(b1) && a2.same_as(b2)
            }
            (Ir::AddMonths(a1, a2), Ir::AddMonths(b1, b2))
            | (Ir::YearsBetween(a1, a2), Ir::YearsBetween(b1, b2)) => {
                a1.same_as(b1) && a2.same_as(b2)
            }
            (Ir::In(a, choices_a), Ir::In(b, choices_b)) => choices_a == choices_b && a.same_as(b),
            (Ir::Min(a), Ir::Min(b)) | (Ir::Max(a), Ir::Max(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(a, b)| a.same_as(b))
            }
            (Ir::If(a1, a2, a3), Ir::If(b1, b2, b3)) => {
                a1.same_as(b1) && a2.same_as(b2) && a3.same_as(b3)
            }
            (Ir::Lookup(a, rows_a), Ir::Lookup(b, rows_b)) => rows_a == rows_b && a.same_as(b),
            _ => self == other,
        }
    }

    /// Calls `each` on this node and on every node below it, each before its children.
    pub(crate) fn visit(&self, each: &mut dyn FnMut(&Ir)) {
        each(self);
        for child in self.children() {
            child.visit(each);
        }
    }

    /// The questions whose answers this expression reads (`Answer`), each once, in question
    /// order; with `answered`, also those it asks only whether they were asked.
    pub(crate) fn questions_read(&self, answered: bool) -> Vec<usize> {
        let mut found = Vec::new();
        self.visit(&mut |node| match node {
            Ir::Answer(question, _) => found.push(*question),
            Ir::Answered(question) if answered => found.push(*question),
            _ => {}
        });
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Each direct child.
    pub(crate) fn children(&self) -> Vec<&Ir> {
        match self {
            Ir::Const(_) | Ir::Answer(..) | Ir::Answered(_) | Ir::Value(_) | Ir::Criterion(_) => {
                Vec::new()
            }
            Ir::Not(a) | Ir::Negate(a) | Ir::TimesTwelve(a) | Ir::In(a, _) | Ir::Lookup(a, _) => {
                vec![a]
            }
            Ir::Binary(_, a, b) | Ir::AddMonths(a, b) | Ir::YearsBetween(a, b) => vec![a, b],
            Ir::Min(all) | Ir::Max(all) => all.iter().collect(),
            Ir::If(a, b, c) => vec![a, b, c],
        }
    }
}

/// A computed value or a criterion: the definitions evaluated before the outcomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Definition {
    Value(usize),
    Criterion(usize),
}
