//! Ranges: what each expression can be, from the questions' ranges, the facts and the
//! tables, so that no arithmetic ever leaves the `i32` range both engines compute in.
//!
//! The range of an answer covers every answer a reader can give and, for overflow, also what
//! the question holds when it is not asked (its default or 0), because both engines compute
//! every definition whether or not its answers were asked.

use std::ops::Range;

use super::{Checker, Type};
use crate::date::Date;
use crate::ir::Ir;
use crate::model::QuestionKind;
use crate::syntax::BinaryOp;

/// Inclusive bounds, wide enough that combining two `i32` ranges never overflows.
pub(super) type Bounds = (i128, i128);

const I32: Bounds = (i32::MIN as i128, i32::MAX as i128);

/// Whether every value in `bounds` is a whole number the rules compute with.
pub(super) fn in_range(bounds: Bounds) -> bool {
    bounds.0 >= I32.0 && bounds.1 <= I32.1
}

fn hull(a: Bounds, b: Bounds) -> Bounds {
    (a.0.min(b.0), a.1.max(b.1))
}

fn corners(a: Bounds, b: Bounds, combine: impl Fn(i128, i128) -> i128) -> Bounds {
    let values = [
        combine(a.0, b.0),
        combine(a.0, b.1),
        combine(a.1, b.0),
        combine(a.1, b.1),
    ];
    (
        values.iter().copied().min().unwrap_or(0),
        values.iter().copied().max().unwrap_or(0),
    )
}

impl Checker<'_> {
    /// What `ir` can be for the answers a reader can give.
    pub(super) fn answer_bounds(&self, ir: &Ir) -> Bounds {
        self.bounds(ir, false)
    }

    /// What `ir` can be when computed, including from what unasked questions hold.
    pub(super) fn answer_bounds_with_unasked(&self, ir: &Ir) -> Bounds {
        self.bounds(ir, true)
    }

    /// `ir`, if it provably stays in the `i32` range; otherwise an error at `span` naming how
    /// far it could go, and which unbounded questions let it.
    pub(super) fn bounded(&mut self, ir: Ir, ty: Type, span: Range<usize>) -> (Ir, Type) {
        let (low, high) = self.bounds(&ir, true);
        if in_range((low, high)) {
            return (ir, ty);
        }
        let reach = if high > I32.1 { high } else { low };
        let written = self.reporter.source.get(span.clone()).unwrap_or("this");
        let mut unbounded = Vec::new();
        self.unbounded_questions(&ir, &mut unbounded);
        let help = if unbounded.is_empty() {
            "use smaller numbers, or split the computation so each part stays in range".to_string()
        } else {
            format!(
                "give {} a `min` and a `max`",
                unbounded
                    .iter()
                    .map(|id| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            )
        };
        self.reporter.error_with_help(
            span,
            format!(
                "`{written}` could reach {reach}, beyond the whole numbers the rules compute with ({} to {})",
                i32::MIN,
                i32::MAX
            ),
            help,
        );
        (Ir::Const(0), Type::Unknown)
    }

    fn unbounded_questions(&self, ir: &Ir, found: &mut Vec<String>) {
        if let Ir::Answer(index, _) = ir {
            let question = &self.questions[*index];
            let open = matches!(question.kind, QuestionKind::Integer { min, max } if min.is_none() || max.is_none());
            if open && !found.contains(&question.id) {
                found.push(question.id.clone());
            }
        }
        for child in ir.children() {
            self.unbounded_questions(child, found);
        }
    }

    fn bounds(&self, ir: &Ir, with_unasked: bool) -> Bounds {
        let of = |ir: &Ir| self.bounds(ir, with_unasked);
        match ir {
            Ir::Const(value) => (i128::from(*value), i128::from(*value)),
            Ir::Answer(index, _) => {
                let question = &self.questions[*index];
                let answers = match &question.kind {
                    QuestionKind::Bool => (0, 1),
                    QuestionKind::Choice { choices } => (0, choices.len().max(1) as i128 - 1),
                    QuestionKind::Date { .. } => (
                        i128::from(Date::FIRST_ANSWER.days()),
                        i128::from(Date::LAST_ANSWER.days()),
                    ),
                    QuestionKind::Integer { min, max } => {
                        (min.map_or(I32.0, i128::from), max.map_or(I32.1, i128::from))
                    }
                };
                if with_unasked && self.ask_conditions[*index] {
                    let unasked = i128::from(self.unasked[*index].unwrap_or(0));
                    hull(answers, (unasked, unasked))
                } else {
                    answers
                }
            }
            Ir::Answered(_) | Ir::Criterion(_) | Ir::Not(_) | Ir::In(..) => (0, 1),
            Ir::Value(index) => self
                .value_bounds
                .get(*index)
                .copied()
                .flatten()
                .unwrap_or(I32),
            Ir::Negate(operand) => {
                let (low, high) = of(operand);
                (-high, -low)
            }
            Ir::Binary(op, left, right) => {
                let (left, right) = (of(left), of(right));
                match op {
                    BinaryOp::Add => (left.0 + right.0, left.1 + right.1),
                    BinaryOp::Subtract => (left.0 - right.1, left.1 - right.0),
                    BinaryOp::Multiply => corners(left, right, |a, b| a * b),
                    _ => (0, 1),
                }
            }
            Ir::TimesTwelve(operand) => {
                let (low, high) = of(operand);
                (low * 12, high * 12)
            }
            Ir::AddMonths(date, months) => {
                // A month is 28 to 31 days; the clamp to a month's end moves a day by 3 at most.
                let (date, months) = (of(date), of(months));
                let shortest = corners(months, (28, 31), |a, b| a * b);
                (date.0 + shortest.0 - 3, date.1 + shortest.1 + 3)
            }
            Ir::YearsBetween(from, to) => {
                let (from, to) = (of(from), of(to));
                let days = (to.0 - from.1, to.1 - from.0);
                // Every year has at least 365 days. The estimate multiplies the days by 400,
                // so more days than fit that would wrap.
                if days.0 < -5_000_000 || days.1 > 5_000_000 {
                    return (i128::MIN / 4, i128::MAX / 4);
                }
                (days.0.div_euclid(365) - 1, days.1.div_euclid(365) + 1)
            }
            Ir::Min(arguments) | Ir::Max(arguments) => arguments
                .iter()
                .map(of)
                .reduce(|a, b| {
                    if matches!(ir, Ir::Min(_)) {
                        (a.0.min(b.0), a.1.min(b.1))
                    } else {
                        (a.0.max(b.0), a.1.max(b.1))
                    }
                })
                .unwrap_or((0, 0)),
            Ir::If(_, then, otherwise) => hull(of(then), of(otherwise)),
            Ir::Lookup(_, rows) => rows.iter().fold((0, 0), |bounds, row| {
                hull(bounds, (i128::from(row.value), i128::from(row.value)))
            }),
        }
    }
}
