//! Checked expressions over `i32`s, shared by the native evaluator (`eval`)
//! and the WebAssembly emitter (`wasm`).
//!
//! Every value is an `i32`: yes/no as 0 or 1, a choice as its index, a date as
//! days since 1970-01-01. Arithmetic wraps, as WebAssembly's does.

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
