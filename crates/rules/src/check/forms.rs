//! Typing and lowering the expressions with rules of their own: `if … then … else …`,
//! `answered(…)`, a dated fact `at` a date, and `lookup` in a table (every value its key can
//! take must find a row).

use std::ops::Range;

use super::{describe, Checker, Declared, Type};
use crate::diagnostic::did_you_mean;
use crate::ir::{Ir, Row};
use crate::model::{Constant, QuestionKind, Table, TableKey};
use crate::syntax::{BinaryOp, Expr, ExprKind};

impl Checker<'_> {
    /// `if CONDITION then A else B`: a yes/no condition, and two branches of one type.
    pub(super) fn check_if(
        &mut self,
        condition: &Expr,
        then: &Expr,
        otherwise: &Expr,
        span: Range<usize>,
    ) -> (Ir, Type) {
        let (condition_ir, condition_ty) = self.check_expr(condition);
        self.expect_bool(
            condition_ty,
            condition.span.clone(),
            "the condition after `if`",
        );
        let (then_ir, then_ty) = self.check_expr(then);
        let (otherwise_ir, otherwise_ty) = self.check_expr(otherwise);
        if [condition_ty, then_ty, otherwise_ty].contains(&Type::Unknown) {
            return (Ir::Const(0), Type::Unknown);
        }
        if then_ty != otherwise_ty || matches!(then_ty, Type::Duration(_)) {
            let message = format!(
                "the two branches of `if` differ: {} after `then`, {} after `else`",
                describe(then_ty, &self.questions),
                describe(otherwise_ty, &self.questions)
            );
            return self.mismatch(
                span,
                message,
                Some("both branches must give the same kind of value"),
            );
        }
        let ir = Ir::If(
            Box::new(condition_ir),
            Box::new(then_ir),
            Box::new(otherwise_ir),
        );
        (ir, then_ty)
    }

    /// `answered(question)`: 1 when the question was asked.
    pub(super) fn check_answered(&mut self, argument: &Expr) -> (Ir, Type) {
        let question = match &argument.kind {
            ExprKind::Name(name) => match self.declared.get(name) {
                Some(Declared::Question(index)) => Some(*index),
                _ => None,
            },
            _ => None,
        };
        let Some(index) = question else {
            self.reporter.error_with_help(
                argument.span.clone(),
                "`answered` takes the id of a question".to_string(),
                "as in `answered(spouse_age)`",
            );
            return (Ir::Const(0), Type::Unknown);
        };
        if let Some((message, help)) = self.out_of_answer_scope(index, "a later question") {
            self.reporter
                .error_with_help(argument.span.clone(), message, help);
            return (Ir::Const(0), Type::Unknown);
        }
        if self.ask_conditions[index] {
            (Ir::Answered(index), Type::Bool)
        } else {
            // A question without `ask_if` is always asked.
            (Ir::Const(1), Type::Bool)
        }
    }

    /// `facts.NAME at DATE`: the value in force on that date, as a chain of `if`s from the
    /// latest change back.
    pub(super) fn check_at(&mut self, fact: &Expr, date: &Expr, span: Range<usize>) -> (Ir, Type) {
        let ExprKind::Fact(name) = &fact.kind else {
            return self.mismatch(
                fact.span.clone(),
                "only a fact can be read as of a date".to_string(),
                Some("write `facts.NAMESPACE.NAME at DATE`"),
            );
        };
        let (date_ir, date_ty) = self.check_expr(date);
        if !self.check_fact_name(name, fact.span.clone()) || date_ty == Type::Unknown {
            return (Ir::Const(0), Type::Unknown);
        }
        if date_ty != Type::Date {
            let message = format!(
                "a fact is read as of a date, not {}",
                describe(date_ty, &self.questions)
            );
            return self.mismatch(date.span.clone(), message, None);
        }
        let fact = self.facts[name.as_str()].clone();
        let (mut ir, ty) = self.constant(name, &fact.value, span.clone());
        if ty == Type::Unknown {
            return (ir, ty);
        }
        for change in &fact.changes {
            let (value, value_ty) = self.constant(name, &change.value, span.clone());
            if value_ty != ty {
                return self.mismatch(
                    span,
                    format!(
                        "the fact `facts.{name}` changes type on {}: {} before, {} from then",
                        change.from,
                        describe(ty, &self.questions),
                        describe(value_ty, &self.questions)
                    ),
                    None,
                );
            }
            let from = Ir::Const(change.from.days());
            let on_or_after = Ir::Binary(
                BinaryOp::GreaterOrEqual,
                Box::new(date_ir.clone()),
                Box::new(from),
            );
            ir = Ir::If(Box::new(on_or_after), Box::new(value), Box::new(ir));
        }
        (ir, ty)
    }

    /// `lookup(table, key)` or `lookup(table, key, column)`.
    pub(super) fn check_lookup(&mut self, arguments: &[Expr], span: Range<usize>) -> (Ir, Type) {
        let table_expr = &arguments[0];
        let table = match &table_expr.kind {
            ExprKind::Name(name) => match self.tables.get(name) {
                Some(table) => Some((format!("`{name}`"), table.clone())),
                None if self.broken_tables.contains(name) => None,
                None => {
                    let help = did_you_mean(name, self.tables.keys().map(String::as_str))
                        .unwrap_or_else(|| {
                            "tables are defined with `[[tables]]`, or as facts (`facts.NAMESPACE.NAME`)"
                                .to_string()
                        });
                    self.reporter.error_with_help(
                        table_expr.span.clone(),
                        format!("unknown table `{name}`"),
                        help,
                    );
                    None
                }
            },
            ExprKind::Fact(name) => {
                if !self.check_fact_name(name, table_expr.span.clone()) {
                    None
                } else if let Constant::Table(table) = &self.facts[name.as_str()].value {
                    Some((format!("`facts.{name}`"), table.clone()))
                } else {
                    self.reporter.error(
                        table_expr.span.clone(),
                        format!("the fact `facts.{name}` is not a table"),
                    );
                    None
                }
            }
            _ => {
                self.reporter.error_with_help(
                    table_expr.span.clone(),
                    "`lookup` reads a table, named first".to_string(),
                    "as in `lookup(age_points, age, with_spouse)`",
                );
                None
            }
        };
        let (key_ir, key_ty) = self.check_expr(&arguments[1]);
        let Some((table_name, table)) = table else {
            return (Ir::Const(0), Type::Unknown);
        };
        if key_ty == Type::Unknown {
            return (Ir::Const(0), Type::Unknown);
        }
        let column = match arguments.get(2) {
            None if table.columns.len() == 1 => 0,
            None => {
                self.reporter.error_with_help(
                    span,
                    format!("the table {table_name} has several columns: say which"),
                    format!("its columns are {}", table.columns.join(", ")),
                );
                return (Ir::Const(0), Type::Unknown);
            }
            Some(column) => {
                let found = match &column.kind {
                    ExprKind::Name(name) => table.columns.iter().position(|known| known == name),
                    _ => None,
                };
                match found {
                    Some(index) => index,
                    None => {
                        let written = self.reporter.source.get(column.span.clone()).unwrap_or("");
                        let help = did_you_mean(written, table.columns.iter().map(String::as_str))
                            .unwrap_or_else(|| {
                                format!("its columns are {}", table.columns.join(", "))
                            });
                        self.reporter.error_with_help(
                            column.span.clone(),
                            format!("the table {table_name} has no column `{written}`"),
                            help,
                        );
                        return (Ir::Const(0), Type::Unknown);
                    }
                }
            }
        };
        let rows = match self.table_rows(
            &table,
            &table_name,
            column,
            key_ty,
            &key_ir,
            arguments[1].span.clone(),
        ) {
            Some(rows) => rows,
            None => return (Ir::Const(0), Type::Unknown),
        };
        self.bounded(Ir::Lookup(Box::new(key_ir), rows), Type::Integer, span)
    }

    /// The table's rows for `column`, keyed the way the key is typed; every value the key can
    /// take must find a row.
    fn table_rows(
        &mut self,
        table: &Table,
        table_name: &str,
        column: usize,
        key_ty: Type,
        key_ir: &Ir,
        key_span: Range<usize>,
    ) -> Option<Vec<Row>> {
        let cell = |checker: &mut Checker, value: i64| -> Option<i32> {
            let fits = i32::try_from(value).ok();
            if fits.is_none() {
                checker.reporter.error(
                    key_span.clone(),
                    format!("the table {table_name} holds {value}, too large for the rules"),
                );
            }
            fits
        };
        match key_ty {
            Type::Choice(question) => {
                let QuestionKind::Choice { choices } = self.questions[question].kind.clone() else {
                    return None;
                };
                let mut rows = Vec::new();
                let mut missing = Vec::new();
                for (index, choice) in choices.iter().enumerate() {
                    let row = table
                        .rows
                        .iter()
                        .find(|row| matches!(&row.key, TableKey::Choice(id) if *id == choice.id));
                    match row {
                        Some(row) => rows.push(Row {
                            low: index as i32,
                            high: index as i32,
                            value: cell(self, row.cells[column])?,
                        }),
                        None => missing.push(choice.id.as_str()),
                    }
                }
                let question_id = self.questions[question].id.clone();
                if !missing.is_empty() {
                    self.reporter.error_with_help(
                        key_span,
                        format!(
                            "the table {table_name} has no row for {} of `{question_id}`",
                            missing
                                .iter()
                                .map(|id| format!("`{id}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        "a table read with a choice needs a row (`key = \"...\"`) for every choice",
                    );
                    return None;
                }
                let stray: Vec<&str> = table
                    .rows
                    .iter()
                    .filter_map(|row| match &row.key {
                        TableKey::Choice(id) if !choices.iter().any(|choice| choice.id == *id) => {
                            Some(id.as_str())
                        }
                        TableKey::Band { .. } => Some("a band of numbers"),
                        _ => None,
                    })
                    .collect();
                if let Some(stray) = stray.first() {
                    self.reporter.error(
                        key_span,
                        format!("the table {table_name} has a row for {stray}, which is not a choice of `{question_id}`"),
                    );
                    return None;
                }
                Some(rows)
            }
            Type::Integer => {
                let mut rows = Vec::new();
                for row in &table.rows {
                    let TableKey::Band { min, max } = &row.key else {
                        self.reporter.error(
                            key_span,
                            format!("the table {table_name} is keyed by choices, but this key is a whole number"),
                        );
                        return None;
                    };
                    let clamp = |bound: i64| bound.clamp(i32::MIN.into(), i32::MAX.into()) as i32;
                    rows.push(Row {
                        low: min.map_or(i32::MIN, clamp),
                        high: max.map_or(i32::MAX, clamp),
                        value: cell(self, row.cells[column])?,
                    });
                }
                // Every value the key can take, for the answers a reader can give, finds a row.
                let (low, high) = self.answer_bounds(key_ir);
                let mut sorted = rows.clone();
                sorted.sort_by_key(|row| row.low);
                let mut next = low;
                for row in &sorted {
                    if i128::from(row.low) > next {
                        break;
                    }
                    next = next.max(i128::from(row.high) + 1);
                }
                if next <= high {
                    self.reporter.error_with_help(
                        key_span,
                        format!(
                            "the table {table_name} has no row for {next}, which this key can be"
                        ),
                        format!(
                            "the key can be anything from {low} to {high}: add a row for {next}, or leave a band's end open"
                        ),
                    );
                    return None;
                }
                Some(rows)
            }
            _ => {
                let message = format!(
                    "a table's key is the answer to a choice question or a whole number, not {}",
                    describe(key_ty, &self.questions)
                );
                self.mismatch(key_span, message, None);
                None
            }
        }
    }
}
