//! Typing expressions and lowering them to `Ir`: names, facts, choices, comparisons,
//! arithmetic and calendar arithmetic; conditionals, dated facts and tables are in `forms`.
//! Every arithmetic node's range is checked as it is built (`bounds`).

use std::ops::Range;

use super::{describe, Checker, Declared, Type};
use crate::diagnostic::{did_you_mean, nearest};
use crate::ir::Ir;
use crate::model::{Constant, QuestionKind};
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

    pub(super) fn mismatch(
        &mut self,
        span: Range<usize>,
        message: String,
        help: Option<&str>,
    ) -> (Ir, Type) {
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
                // A sum is a chain of additions, each checked for its range. The chain's range
                // is kept as it grows, each term's worked out once: asking `bounded` at each
                // link would work out the whole chain again, a time that grows with the square
                // of the terms (20,000 terms took 4 s).
                let mut terms = irs.into_iter();
                let mut total = terms.next().unwrap_or(Ir::Const(0));
                let mut range = self.answer_bounds_with_unasked(&total);
                for term in terms {
                    let (low, high) = self.answer_bounds_with_unasked(&term);
                    range = (range.0 + low, range.1 + high);
                    let ir = Ir::Binary(BinaryOp::Add, Box::new(total), Box::new(term));
                    if !super::bounds::in_range(range) {
                        // The error, worked out once, says how far it could go.
                        return self.bounded(ir, Type::Integer, span.clone());
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
        if let Some(declared) = self.declared.get(name).copied() {
            let index = match declared {
                Declared::Question(index) => index,
                // Values and criteria are out of any answer scope.
                _ => usize::MAX,
            };
            if let Some((message, help)) = self.out_of_answer_scope(index, &format!("`{name}`")) {
                self.reporter.error_with_help(span, message, help);
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
            // Unless a choice question offers `yes` or `no`: then the hint below names it.
            None if matches!(name, "yes" | "no") && !self.is_a_choice(name) => {
                self.yes_or_no_word(name, span, None);
                (Ir::Const(0), Type::Unknown)
            }
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
    pub(super) fn constant(
        &mut self,
        name: &str,
        value: &Constant,
        span: Range<usize>,
    ) -> (Ir, Type) {
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

    /// Whether some choice question has a choice with this id.
    fn is_a_choice(&self, name: &str) -> bool {
        self.questions.iter().any(|question| match &question.kind {
            QuestionKind::Choice { choices } => choices.iter().any(|choice| choice.id == name),
            _ => false,
        })
    }

    /// `yes` or `no` written as a value, where no question, value or criterion has that id.
    fn is_yes_or_no(&self, expr: &Expr) -> bool {
        matches!(&expr.kind, ExprKind::Name(name) if matches!(name.as_str(), "yes" | "no"))
            && self.is_undeclared_name(expr)
    }

    /// Reports `yes` or `no` written as a value (the page's address says them, so authors
    /// write them too): a yes/no answer is already a condition. `subject` is what it was
    /// compared with, if anything.
    fn yes_or_no_word(&mut self, name: &str, word: Range<usize>, subject: Option<&Expr>) {
        let subject_text = subject.and_then(|subject| match &subject.kind {
            ExprKind::Name(subject) => Some(subject.as_str()),
            _ => None,
        });
        let help = match subject_text {
            Some(subject) => format!(
                "a yes/no question is already true or false: write `{subject}` or `not {subject}`"
            ),
            None => "a yes/no answer is already true or false: write the question's id alone (or `not` before it), or the literal `true` or `false`".to_string(),
        };
        let span = match subject {
            Some(subject) => subject.span.start.min(word.start)..subject.span.end.max(word.end),
            None => word,
        };
        self.reporter
            .error_with_help(span, format!("`{name}` is not a name"), help);
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
            Type::Bool if self.is_yes_or_no(word) => {
                if let ExprKind::Name(name) = &word.kind {
                    self.yes_or_no_word(name, word.span.clone(), Some(subject));
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
