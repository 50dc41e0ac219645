//! Typing expressions and lowering them to `Ir`: names, facts (dated ones as of a date),
//! choices, comparisons, arithmetic, conditionals, tables and calendar arithmetic. Every
//! arithmetic node's range is checked as it is built (`bounds`).

use std::ops::Range;

use super::{describe, Checker, Declared, Type};
use crate::diagnostic::{did_you_mean, nearest};
use crate::ir::{Ir, Row};
use crate::model::{Constant, QuestionKind, Table, TableKey};
use crate::syntax::{BinaryOp, Expr, ExprKind, Function, Unit};

impl Checker<'_> {
    pub(super) fn expect_bool(&mut self, ty: Type, span: Range<usize>, what: &str) {
        if ty != Type::Bool && ty != Type::Unknown {
            self.reporter.error_with_help(
                span,
                format!(
                    "{what} must be a yes/no condition, but this is {}",
                    describe(ty, &self.questions)
                ),
                "compare it with something, as in `years_requested <= 3`",
            );
        }
    }

    fn mismatch(&mut self, span: Range<usize>, message: String, help: Option<&str>) -> (Ir, Type) {
        self.reporter
            .error_with_optional_help(span, message, help.map(str::to_string));
        (Ir::Const(0), Type::Unknown)
    }

    pub(super) fn check_expr(&mut self, expr: &Expr) -> (Ir, Type) {
        match &expr.kind {
            ExprKind::Bool(value) => (Ir::Const(*value as i32), Type::Bool),
            ExprKind::Integer(value) => (Ir::Const(*value), Type::Integer),
            ExprKind::Date(date) => (Ir::Const(date.days()), Type::Date),
            ExprKind::Name(name) => self.check_name(name, expr.span.clone()),
            ExprKind::Fact(name) => self.check_fact(name, expr.span.clone()),
            ExprKind::Not(operand) => {
                let (ir, ty) = self.check_expr(operand);
                self.expect_bool(ty, operand.span.clone(), "what follows `not`");
                (Ir::Not(Box::new(ir)), Type::Bool)
            }
            ExprKind::Negate(operand) => {
                let (ir, ty) = self.check_expr(operand);
                match ty {
                    Type::Integer => {
                        self.bounded(Ir::Negate(Box::new(ir)), Type::Integer, expr.span.clone())
                    }
                    Type::Unknown => (Ir::Const(0), Type::Unknown),
                    _ => {
                        let message = format!(
                            "only a whole number can be negated, not {}",
                            describe(ty, &self.questions)
                        );
                        self.mismatch(expr.span.clone(), message, None)
                    }
                }
            }
            ExprKind::Duration(amount, unit) => {
                let (ir, ty) = self.check_expr(amount);
                match ty {
                    Type::Integer => (ir, Type::Duration(*unit)),
                    Type::Unknown => (Ir::Const(0), Type::Unknown),
                    _ => {
                        let message = format!(
                            "a number of {} must be a whole number, not {}",
                            unit.word(),
                            describe(ty, &self.questions)
                        );
                        self.mismatch(amount.span.clone(), message, None)
                    }
                }
            }
            ExprKind::Binary(op, left, right) => {
                self.check_binary(*op, left, right, expr.span.clone())
            }
            ExprKind::In(subject, names) => {
                let (ir, ty) = self.check_expr(subject);
                match ty {
                    Type::Choice(question) => {
                        let mut indices = Vec::new();
                        for (name, span) in names {
                            if let Some(index) = self.choice_index(question, name, span.clone()) {
                                indices.push(index);
                            }
                        }
                        (Ir::In(Box::new(ir), indices), Type::Bool)
                    }
                    Type::Unknown => (Ir::Const(0), Type::Unknown),
                    _ => {
                        let message = format!(
                            "`in` needs the answer to a choice question on its left, not {}",
                            describe(ty, &self.questions)
                        );
                        self.mismatch(subject.span.clone(), message, None)
                    }
                }
            }
            ExprKind::If(condition, then, otherwise) => {
                self.check_if(condition, then, otherwise, expr.span.clone())
            }
            ExprKind::Call(Function::Answered, arguments) => self.check_answered(&arguments[0]),
            ExprKind::Call(Function::Lookup, arguments) => {
                self.check_lookup(arguments, expr.span.clone())
            }
            ExprKind::Call(Function::YearsBetween, arguments) => {
                self.check_years_between(arguments, expr.span.clone())
            }
            ExprKind::Call(function, arguments) => {
                self.check_call(*function, arguments, expr.span.clone())
            }
        }
    }

    // Each form is checked in its own function: `check_expr` recurses once per level of the
    // tree, so its frame is kept small.
    #[inline(never)]
    fn check_years_between(&mut self, arguments: &[Expr], span: Range<usize>) -> (Ir, Type) {
        let (from, from_ty) = self.check_expr(&arguments[0]);
        let (to, to_ty) = self.check_expr(&arguments[1]);
        if from_ty == Type::Unknown || to_ty == Type::Unknown {
            return (Ir::Const(0), Type::Unknown);
        }
        for (ty, argument) in [(from_ty, &arguments[0]), (to_ty, &arguments[1])] {
            if ty != Type::Date {
                let message = format!(
                    "`years_between` takes two dates, not {}",
                    describe(ty, &self.questions)
                );
                return self.mismatch(argument.span.clone(), message, None);
            }
        }
        let ir = Ir::YearsBetween(Box::new(from), Box::new(to));
        self.bounded(ir, Type::Integer, span)
    }

    #[inline(never)]
    fn check_call(
        &mut self,
        function: Function,
        arguments: &[Expr],
        span: Range<usize>,
    ) -> (Ir, Type) {
        let checked: Vec<(Ir, Type)> = arguments
            .iter()
            .map(|argument| self.check_expr(argument))
            .collect();
        let name = function.name();
        if checked.iter().any(|(_, ty)| *ty == Type::Unknown) {
            return (Ir::Const(0), Type::Unknown);
        }
        let first = checked[0].1;
        if function == Function::Sum && first != Type::Integer {
            let message = format!(
                "`sum` adds whole numbers, not {}",
                describe(first, &self.questions)
            );
            return self.mismatch(arguments[0].span.clone(), message, None);
        }
        if first != Type::Integer && first != Type::Date {
            let message = format!(
                "`{name}` takes whole numbers or dates, not {}",
                describe(first, &self.questions)
            );
            return self.mismatch(arguments[0].span.clone(), message, None);
        }
        for ((_, ty), argument) in checked.iter().zip(arguments).skip(1) {
            if *ty != first {
                let message = format!(
                    "`{name}` cannot mix {} with {}",
                    describe(first, &self.questions),
                    describe(*ty, &self.questions)
                );
                return self.mismatch(argument.span.clone(), message, None);
            }
        }
        let irs: Vec<Ir> = checked.into_iter().map(|(ir, _)| ir).collect();
        match function {
            Function::Min => (Ir::Min(irs), first),
            Function::Max => (Ir::Max(irs), first),
            _ => {
                // A sum is a chain of additions, each checked for its range.
                let mut terms = irs.into_iter();
                let mut total = terms.next().unwrap_or(Ir::Const(0));
                for term in terms {
                    let ir = Ir::Binary(BinaryOp::Add, Box::new(total), Box::new(term));
                    let (ir, ty) = self.bounded(ir, Type::Integer, span.clone());
                    if ty == Type::Unknown {
                        return (ir, ty);
                    }
                    total = ir;
                }
                (total, Type::Integer)
            }
        }
    }

    fn names_in_scope(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.declared.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    fn check_name(&mut self, name: &str, span: Range<usize>) -> (Ir, Type) {
        if let Some(asked) = self.ask_scope {
            let earlier = matches!(
                self.declared.get(name),
                Some(Declared::Question(index)) if *index < asked
            );
            if !earlier && self.declared.contains_key(name) {
                let question = &self.questions[asked].id;
                self.reporter.error_with_help(
                    span,
                    format!("the condition for asking `{question}` reads `{name}`"),
                    "a question's `ask_if` reads only the answers to questions before it",
                );
                return (Ir::Const(0), Type::Unknown);
            }
        }
        match self.declared.get(name).copied() {
            Some(Declared::Question(index)) => {
                let ty = match self.questions[index].kind {
                    QuestionKind::Bool => Type::Bool,
                    QuestionKind::Choice { .. } => Type::Choice(index),
                    QuestionKind::Date { .. } => Type::Date,
                    QuestionKind::Integer { .. } => Type::Integer,
                };
                (Ir::Answer(index, span), ty)
            }
            Some(Declared::Value(index)) => (
                Ir::Value(index),
                self.value_types[index].unwrap_or(Type::Unknown),
            ),
            Some(Declared::Criterion(index)) => (Ir::Criterion(index), Type::Bool),
            None => {
                let owner = self.questions.iter().find(|question| match &question.kind {
                    QuestionKind::Choice { choices } => {
                        choices.iter().any(|choice| choice.id == name)
                    }
                    _ => false,
                });
                let help = match owner {
                    Some(question) => Some(format!(
                        "`{name}` is a choice of `{}`: write `{} == {name}`",
                        question.id, question.id
                    )),
                    None => did_you_mean(name, self.names_in_scope()),
                };
                self.reporter.error_with_optional_help(
                    span,
                    format!("unknown name `{name}`"),
                    help.or_else(|| {
                        Some(format!(
                            "the names are {}",
                            self.names_in_scope().join(", ")
                        ))
                    }),
                );
                (Ir::Const(0), Type::Unknown)
            }
        }
    }

    pub(super) fn check_fact_name(&mut self, name: &str, span: Range<usize>) -> bool {
        if self.facts.contains_key(name) {
            return true;
        }
        let help = nearest(name, self.facts.keys().map(String::as_str))
            .map(|fact| format!("did you mean `facts.{fact}`?"));
        self.reporter
            .error_with_optional_help(span, format!("unknown fact `facts.{name}`"), help);
        false
    }

    fn check_fact(&mut self, name: &str, span: Range<usize>) -> (Ir, Type) {
        if !self.check_fact_name(name, span.clone()) {
            return (Ir::Const(0), Type::Unknown);
        }
        if let Some(change) = self.facts[name].changes.first() {
            return self.mismatch(
                span,
                format!(
                    "the fact `facts.{name}` changes on {}, so the rules must say as of which date they read it",
                    change.from
                ),
                Some("read it as of a date answer, as in `facts.NAMESPACE.NAME at applied_on`"),
            );
        }
        let value = self.facts[name].value.clone();
        self.constant(name, &value, span)
    }

    /// A fact's value, or one of its dated values, as a constant.
    fn constant(&mut self, name: &str, value: &Constant, span: Range<usize>) -> (Ir, Type) {
        match value {
            Constant::Bool(value) => (Ir::Const(*value as i32), Type::Bool),
            Constant::Date(date) => (Ir::Const(date.days()), Type::Date),
            Constant::Integer(value) => match i32::try_from(*value) {
                Ok(value) => (Ir::Const(value), Type::Integer),
                Err(_) => self.mismatch(
                    span,
                    format!("the fact `facts.{name}` ({value}) is too large for a condition"),
                    Some("whole numbers in rules go up to 2147483647"),
                ),
            },
            Constant::Text(_) => self.mismatch(
                span,
                format!("the fact `facts.{name}` is text and cannot be used in a condition"),
                Some("text facts can be shown in texts, as `{facts.NAMESPACE.NAME}`"),
            ),
            Constant::Table(_) => self.mismatch(
                span,
                format!("the fact `facts.{name}` is a table"),
                Some("read a table with `lookup(facts.NAMESPACE.NAME, key, column)`"),
            ),
        }
    }

    fn choice_index(&mut self, question: usize, name: &str, span: Range<usize>) -> Option<i32> {
        let QuestionKind::Choice { choices } = &self.questions[question].kind else {
            return None;
        };
        if let Some(index) = choices.iter().position(|choice| choice.id == name) {
            return Some(index as i32);
        }
        let ids: Vec<&str> = choices.iter().map(|choice| choice.id.as_str()).collect();
        let list = ids.join(", ");
        let help = match did_you_mean(name, ids.iter().copied()) {
            Some(hint) => format!("{hint} The choices are {list}"),
            None => format!("the choices are {list}"),
        };
        let question = self.questions[question].id.clone();
        self.reporter
            .error_with_help(span, format!("`{question}` has no choice `{name}`"), help);
        None
    }

    /// A bare name next to a choice question is one of its choices, unless it
    /// names something else entirely.
    fn is_choice_candidate(&self, question: usize, expr: &Expr) -> bool {
        let ExprKind::Name(name) = &expr.kind else {
            return false;
        };
        let is_choice = match &self.questions[question].kind {
            QuestionKind::Choice { choices } => choices.iter().any(|choice| choice.id == *name),
            _ => false,
        };
        is_choice || !self.declared.contains_key(name)
    }

    fn is_undeclared_name(&self, expr: &Expr) -> bool {
        matches!(&expr.kind, ExprKind::Name(name) if !self.declared.contains_key(name))
    }

    fn check_binary(
        &mut self,
        op: BinaryOp,
        left: &Expr,
        right: &Expr,
        span: Range<usize>,
    ) -> (Ir, Type) {
        if matches!(op, BinaryOp::Equal | BinaryOp::NotEqual) {
            if let Some(checked) = self.check_choice_equality(op, left, right) {
                return checked;
            }
        }
        if op == BinaryOp::At {
            return self.check_at(left, right, span);
        }
        let (left_ir, left_ty) = self.check_expr(left);
        let (right_ir, right_ty) = self.check_expr(right);
        if left_ty == Type::Unknown || right_ty == Type::Unknown {
            return (Ir::Const(0), Type::Unknown);
        }
        let binary = |left: Ir, right: Ir| Ir::Binary(op, Box::new(left), Box::new(right));
        let left_text = describe(left_ty, &self.questions);
        let right_text = describe(right_ty, &self.questions);
        match op {
            BinaryOp::And | BinaryOp::Or => {
                self.expect_bool(
                    left_ty,
                    left.span.clone(),
                    &format!("each side of `{}`", op.symbol()),
                );
                self.expect_bool(
                    right_ty,
                    right.span.clone(),
                    &format!("each side of `{}`", op.symbol()),
                );
                (binary(left_ir, right_ir), Type::Bool)
            }
            BinaryOp::Equal | BinaryOp::NotEqual => {
                let comparable = left_ty == right_ty && !matches!(left_ty, Type::Duration(_));
                if !comparable {
                    return self.mismatch(
                        span,
                        format!("cannot compare {left_text} with {right_text}"),
                        None,
                    );
                }
                (binary(left_ir, right_ir), Type::Bool)
            }
            BinaryOp::Less
            | BinaryOp::LessOrEqual
            | BinaryOp::Greater
            | BinaryOp::GreaterOrEqual => {
                let ordered = left_ty == right_ty && matches!(left_ty, Type::Integer | Type::Date);
                if !ordered {
                    let help = if left_ty == right_ty {
                        Some("only whole numbers and dates can be ordered")
                    } else {
                        None
                    };
                    return self.mismatch(
                        span,
                        format!(
                            "cannot order {left_text} against {right_text} with `{}`",
                            op.symbol()
                        ),
                        help,
                    );
                }
                (binary(left_ir, right_ir), Type::Bool)
            }
            BinaryOp::Add | BinaryOp::Subtract => {
                self.check_arithmetic(op, (left_ir, left_ty), (right_ir, right_ty), span)
            }
            BinaryOp::Multiply => {
                if left_ty != Type::Integer || right_ty != Type::Integer {
                    return self.mismatch(
                        span,
                        format!("cannot multiply {left_text} by {right_text}"),
                        Some("`*` multiplies whole numbers"),
                    );
                }
                self.bounded(binary(left_ir, right_ir), Type::Integer, span)
            }
            BinaryOp::At => unreachable!("`at` is checked before its operands"),
        }
    }

    fn check_choice_equality(
        &mut self,
        op: BinaryOp,
        left: &Expr,
        right: &Expr,
    ) -> Option<(Ir, Type)> {
        // Type the side that is not a lone unknown word first, so `spouse == role` works too.
        let (subject, word) = if self.is_undeclared_name(left) && !self.is_undeclared_name(right) {
            (right, left)
        } else {
            (left, right)
        };
        let (subject_ir, subject_ty) = self.check_expr(subject);
        match subject_ty {
            Type::Choice(question) if self.is_choice_candidate(question, word) => {
                let ExprKind::Name(name) = &word.kind else {
                    return None;
                };
                let ir = match self.choice_index(question, name, word.span.clone()) {
                    Some(index) => Ir::Binary(op, Box::new(subject_ir), Box::new(Ir::Const(index))),
                    None => Ir::Const(0),
                };
                Some((ir, Type::Bool))
            }
            Type::Choice(_) => None,
            Type::Unknown => {
                // Still report an unknown word on the other side.
                if !self.is_undeclared_name(word) {
                    self.check_expr(word);
                }
                Some((Ir::Const(0), Type::Unknown))
            }
            _ => {
                let (word_ir, word_ty) = self.check_expr(word);
                if word_ty == Type::Unknown {
                    return Some((Ir::Const(0), Type::Unknown));
                }
                if word_ty != subject_ty || matches!(subject_ty, Type::Duration(_)) {
                    let message = format!(
                        "cannot compare {} with {}",
                        describe(subject_ty, &self.questions),
                        describe(word_ty, &self.questions)
                    );
                    return Some(self.mismatch(left.span.start..right.span.end, message, None));
                }
                let (left_ir, right_ir) = if std::ptr::eq(subject, left) {
                    (subject_ir, word_ir)
                } else {
                    (word_ir, subject_ir)
                };
                Some((
                    Ir::Binary(op, Box::new(left_ir), Box::new(right_ir)),
                    Type::Bool,
                ))
            }
        }
    }

    fn check_arithmetic(
        &mut self,
        op: BinaryOp,
        (left_ir, left_ty): (Ir, Type),
        (right_ir, right_ty): (Ir, Type),
        span: Range<usize>,
    ) -> (Ir, Type) {
        let binary = |left: Ir, right: Ir| Ir::Binary(op, Box::new(left), Box::new(right));
        let shift = |date: Ir, amount: Ir, unit: Unit| {
            let amount = if op == BinaryOp::Subtract {
                Ir::Negate(Box::new(amount))
            } else {
                amount
            };
            match unit {
                Unit::Days => Ir::Binary(BinaryOp::Add, Box::new(date), Box::new(amount)),
                Unit::Months => Ir::AddMonths(Box::new(date), Box::new(amount)),
                Unit::Years => {
                    Ir::AddMonths(Box::new(date), Box::new(Ir::TimesTwelve(Box::new(amount))))
                }
            }
        };
        match (left_ty, right_ty) {
            (Type::Integer, Type::Integer) => {
                self.bounded(binary(left_ir, right_ir), Type::Integer, span)
            }
            (Type::Date, Type::Date) if op == BinaryOp::Subtract => {
                self.bounded(binary(left_ir, right_ir), Type::Integer, span)
            }
            (Type::Date, Type::Duration(unit)) => {
                self.bounded(shift(left_ir, right_ir, unit), Type::Date, span)
            }
            (Type::Duration(unit), Type::Date) if op == BinaryOp::Add => {
                self.bounded(shift(right_ir, left_ir, unit), Type::Date, span)
            }
            (Type::Date, Type::Integer) | (Type::Integer, Type::Date) => self.mismatch(
                span,
                format!(
                    "cannot {} a whole number {} a date",
                    if op == BinaryOp::Add { "add" } else { "subtract" },
                    if op == BinaryOp::Add { "to" } else { "from" }
                ),
                Some("give the number a unit, as in `applied_on + 10 days`"),
            ),
            (Type::Duration(_), _) | (_, Type::Duration(_)) => self.mismatch(
                span,
                format!(
                    "cannot {} {} and {}",
                    if op == BinaryOp::Add { "add" } else { "subtract" },
                    describe(left_ty, &self.questions),
                    describe(right_ty, &self.questions)
                ),
                Some("a duration such as `3 years` can only move a date"),
            ),
            _ => self.mismatch(
                span,
                format!(
                    "cannot {} {} and {}",
                    if op == BinaryOp::Add { "add" } else { "subtract" },
                    describe(left_ty, &self.questions),
                    describe(right_ty, &self.questions)
                ),
                Some("`+` and `-` work on whole numbers and dates; a date minus a date is a number of days"),
            ),
        }
    }
}

impl Checker<'_> {
    /// `if CONDITION then A else B`: a yes/no condition, and two branches of one type.
    fn check_if(
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
    fn check_answered(&mut self, argument: &Expr) -> (Ir, Type) {
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
        if let Some(asked) = self.ask_scope {
            if index >= asked {
                let question = &self.questions[asked].id;
                self.reporter.error_with_help(
                    argument.span.clone(),
                    format!("the condition for asking `{question}` reads a later question"),
                    "a question's `ask_if` reads only the answers to questions before it",
                );
                return (Ir::Const(0), Type::Unknown);
            }
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
    fn check_at(&mut self, fact: &Expr, date: &Expr, span: Range<usize>) -> (Ir, Type) {
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
    fn check_lookup(&mut self, arguments: &[Expr], span: Range<usize>) -> (Ir, Type) {
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
