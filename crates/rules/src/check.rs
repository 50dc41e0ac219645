//! Turns the parsed TOML into a checked [`Program`], reporting every
//! independent problem with its place in the file.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;

use toml::Spanned;

use crate::answers::{encode_answer, encode_answers, RawAnswer};
use crate::date::Date;
use crate::diagnostic::{did_you_mean, line_column, nearest, Diagnostic, Reporter};
use crate::ir::{Definition, Ir};
use crate::model::{
    Choice, ComputedValue, Constant, Criterion, Facts, Outcome, Question, QuestionKind, Reference,
    Segment, Text, Value, ValueType,
};
use crate::program::{Example, Program};
use crate::schema::{ExampleEntry, QuestionEntry, RulesFile};
use crate::syntax::{self, BinaryOp, Expr, ExprKind, Function, Unit, FUNCTION_NAMES};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Type {
    Bool,
    Integer,
    Date,
    /// A choice of the question with this index.
    Choice(usize),
    Duration(Unit),
    /// Already reported; stays quiet so one mistake gives one message.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Declared {
    Question(usize),
    Value(usize),
    Criterion(usize),
}

const RESERVED_WORDS: [&str; 13] = [
    "and", "or", "not", "in", "true", "false", "day", "days", "month", "months", "year", "years",
    "facts",
];

pub(crate) fn compile(source: &str, facts: &Facts) -> Result<Program, Vec<Diagnostic>> {
    let file: RulesFile = toml::from_str(source).map_err(|error| {
        let span = error.span().unwrap_or(0..0);
        vec![Diagnostic::new(
            source,
            span,
            error.message().trim_end().to_string(),
            None,
        )]
    })?;
    let mut checker = Checker {
        reporter: Reporter::new(source),
        facts,
        declared: HashMap::new(),
        questions: Vec::new(),
        question_spans: Vec::new(),
        value_types: Vec::new(),
        criterion_count: 0,
    };
    let program = checker.check(file);
    if checker.reporter.has_errors() {
        Err(checker.reporter.into_sorted())
    } else {
        Ok(program)
    }
}

struct Checker<'a> {
    reporter: Reporter<'a>,
    facts: &'a Facts,
    declared: HashMap<String, Declared>,
    questions: Vec<Question>,
    question_spans: Vec<Range<usize>>,
    /// `None` until the value has been checked.
    value_types: Vec<Option<Type>>,
    criterion_count: usize,
}

fn describe(ty: Type, questions: &[Question]) -> String {
    match ty {
        Type::Bool => "a yes/no condition".to_string(),
        Type::Integer => "a whole number".to_string(),
        Type::Date => "a date".to_string(),
        Type::Choice(index) => format!("a choice of `{}`", questions[index].id),
        Type::Duration(_) => "a duration".to_string(),
        Type::Unknown => "an unknown value".to_string(),
    }
}

fn value_type(ty: Type) -> Option<ValueType> {
    match ty {
        Type::Bool => Some(ValueType::Bool),
        Type::Integer => Some(ValueType::Integer),
        Type::Date => Some(ValueType::Date),
        _ => None,
    }
}

/// Where a TOML string's text starts in the file, when the file holds it
/// verbatim (no escapes); otherwise the opening quote, which is near enough.
fn string_base(source: &str, spanned: &Spanned<String>) -> usize {
    let span = spanned.span();
    let Some(raw) = source.get(span.clone()) else {
        return span.start;
    };
    for delimiter in ["\"\"\"", "'''", "\"", "'"] {
        if raw.len() >= 2 * delimiter.len()
            && raw.starts_with(delimiter)
            && raw.ends_with(delimiter)
        {
            let mut start = span.start + delimiter.len();
            let mut inner = &raw[delimiter.len()..raw.len() - delimiter.len()];
            if delimiter.len() == 3 {
                for newline in ["\r\n", "\n"] {
                    if let Some(rest) = inner.strip_prefix(newline) {
                        start += newline.len();
                        inner = rest;
                        break;
                    }
                }
            }
            if inner == spanned.get_ref() {
                return start;
            }
            return span.start;
        }
    }
    span.start
}

fn is_identifier(name: &str) -> bool {
    let mut characters = name.chars();
    characters
        .next()
        .is_some_and(|first| first.is_ascii_lowercase() || first == '_')
        && characters.all(|next| next.is_ascii_lowercase() || next.is_ascii_digit() || next == '_')
}

impl<'a> Checker<'a> {
    fn check(&mut self, file: RulesFile) -> Program {
        for entry in &file.questions {
            self.check_question(entry);
        }
        let values: Vec<_> = file.values.iter().map(Spanned::get_ref).collect();
        let criteria: Vec<_> = file.criteria.iter().map(Spanned::get_ref).collect();
        self.value_types = vec![None; values.len()];
        self.criterion_count = criteria.len();
        for (index, value) in values.iter().enumerate() {
            self.declare(&value.id, Declared::Value(index), "computed value");
        }
        for (index, criterion) in criteria.iter().enumerate() {
            self.declare(&criterion.id, Declared::Criterion(index), "criterion");
        }

        let definitions: Vec<(Definition, &Spanned<String>, Option<Expr>)> = values
            .iter()
            .enumerate()
            .map(|(index, value)| (Definition::Value(index), &value.formula))
            .chain(
                criteria
                    .iter()
                    .enumerate()
                    .map(|(index, criterion)| (Definition::Criterion(index), &criterion.condition)),
            )
            .map(|(definition, text)| (definition, text, self.parse(text)))
            .collect();
        let (order, cyclic) = self.order_definitions(&definitions, &values, &criteria);

        let mut value_code = vec![Ir::Const(0); values.len()];
        let mut criterion_code = vec![Ir::Const(0); criteria.len()];
        for &position in &order {
            let (definition, text, expr) = &definitions[position];
            let checked = match expr {
                Some(expr) if !cyclic[position] => Some(self.check_expr(expr)),
                _ => None,
            };
            match (*definition, checked) {
                (Definition::Value(index), Some((ir, ty))) => {
                    let ty = if ty != Type::Unknown && value_type(ty).is_none() {
                        self.reporter.error_with_help(
                            text.span(),
                            format!(
                                "the computed value `{}` is {}",
                                values[index].id.get_ref(),
                                describe(ty, &self.questions)
                            ),
                            "a computed value must be a yes/no condition, a whole number or a date",
                        );
                        Type::Unknown
                    } else {
                        ty
                    };
                    self.value_types[index] = Some(ty);
                    value_code[index] = ir;
                }
                (Definition::Value(index), None) => self.value_types[index] = Some(Type::Unknown),
                (Definition::Criterion(index), Some((ir, ty))) => {
                    self.expect_bool(ty, text.span(), "the condition of a criterion");
                    criterion_code[index] = ir;
                }
                (Definition::Criterion(_), None) => {}
            }
        }

        let computed_values: Vec<ComputedValue> = values
            .iter()
            .enumerate()
            .map(|(index, value)| ComputedValue {
                id: value.id.get_ref().clone(),
                label: value.label.clone(),
                formula: value.formula.get_ref().clone(),
                value_type: self.value_types[index]
                    .and_then(value_type)
                    .unwrap_or(ValueType::Bool),
            })
            .collect();
        let criteria_views: Vec<Criterion> = criteria
            .iter()
            .map(|criterion| Criterion {
                id: criterion.id.get_ref().clone(),
                condition: criterion.condition.get_ref().clone(),
                passed: self.check_text(&criterion.passed),
                failed: self.check_text(&criterion.failed),
                source: criterion
                    .source
                    .as_ref()
                    .map(|source| self.reference(source)),
                fact: criterion.fact.as_ref().map(|fact| {
                    self.check_fact_name(fact.get_ref(), fact.span());
                    self.reference(fact)
                }),
            })
            .collect();

        let (outcomes, outcome_code) = self.check_outcomes(&file);
        let mut program = Program {
            source: self.reporter.source.to_string(),
            questions: self.questions.clone(),
            values: computed_values,
            criteria: criteria_views,
            outcomes,
            examples: Vec::new(),
            value_code,
            criterion_code,
            outcome_code,
            order: order
                .iter()
                .map(|&position| definitions[position].0)
                .collect(),
        };
        program.examples = file
            .examples
            .iter()
            .enumerate()
            .filter_map(|(index, entry)| {
                let duplicate = file.examples[..index]
                    .iter()
                    .any(|earlier| earlier.get_ref().id.get_ref() == entry.get_ref().id.get_ref());
                if duplicate {
                    self.duplicate(&entry.get_ref().id, "example");
                }
                self.check_example(&program, entry.get_ref())
            })
            .collect();
        program
    }

    fn reference(&self, spanned: &Spanned<String>) -> Reference {
        let (line, column) = line_column(self.reporter.source, spanned.span().start);
        Reference {
            name: spanned.get_ref().clone(),
            span: spanned.span(),
            line,
            column,
        }
    }

    fn duplicate(&mut self, id: &Spanned<String>, what: &str) {
        self.reporter.error_with_help(
            id.span(),
            format!("duplicate {what} id `{}`", id.get_ref()),
            "each id may be used once",
        );
    }

    fn check_id(&mut self, id: &Spanned<String>, what: &str) -> bool {
        let name = id.get_ref();
        if !is_identifier(name) {
            self.reporter.error_with_help(
                id.span(),
                format!("`{name}` cannot be a {what} id"),
                "ids are lowercase letters, digits and `_`, starting with a letter or `_`",
            );
            return false;
        }
        if RESERVED_WORDS.contains(&name.as_str()) || FUNCTION_NAMES.contains(&name.as_str()) {
            self.reporter.error_with_help(
                id.span(),
                format!("`{name}` is a word of the rules language and cannot be a {what} id"),
                "pick a longer name",
            );
            return false;
        }
        true
    }

    fn declare(&mut self, id: &Spanned<String>, declared: Declared, what: &str) {
        if !self.check_id(id, what) {
            return;
        }
        if self.declared.contains_key(id.get_ref()) {
            self.reporter.error_with_help(
                id.span(),
                format!("duplicate id `{}`", id.get_ref()),
                "questions, computed values and criteria share one set of ids",
            );
            return;
        }
        self.declared.insert(id.get_ref().clone(), declared);
    }

    fn check_question(&mut self, entry: &Spanned<QuestionEntry>) {
        let question = entry.get_ref();
        let index = self.questions.len();
        self.declare(&question.id, Declared::Question(index), "question");
        let kind_name = question.kind.get_ref().as_str();
        let kinds = ["bool", "choice", "date", "integer"];
        let mut misplaced = Vec::new();
        if kind_name != "choice" {
            if let Some(choices) = &question.choices {
                misplaced.push(("choices", choices.span(), "choice"));
            }
        }
        if kind_name != "date" {
            if let Some(default) = &question.default {
                misplaced.push(("default", default.span(), "date"));
            }
        }
        if kind_name != "integer" {
            for bound in [&question.min, &question.max].into_iter().flatten() {
                misplaced.push(("min and max", bound.span(), "integer"));
            }
        }
        if kinds.contains(&kind_name) {
            for (key, span, kind) in misplaced {
                self.reporter.error(
                    span,
                    format!("{key} belong only to questions of type \"{kind}\""),
                );
            }
        }
        let kind = match kind_name {
            "bool" => QuestionKind::Bool,
            "choice" => QuestionKind::Choice {
                choices: self.check_choices(question, entry.span()),
            },
            "date" => {
                let default_today = match &question.default {
                    None => false,
                    Some(default) if default.get_ref() == "today" => true,
                    Some(default) => {
                        self.reporter.error_with_help(
                            default.span(),
                            format!("unknown default \"{}\"", default.get_ref()),
                            "the only default is \"today\"",
                        );
                        false
                    }
                };
                QuestionKind::Date { default_today }
            }
            "integer" => {
                let bound = |checker: &mut Checker, bound: &Option<Spanned<i64>>| {
                    bound.as_ref().and_then(|bound| {
                        let fits = i32::try_from(*bound.get_ref()).ok();
                        if fits.is_none() {
                            checker.reporter.error(
                                bound.span(),
                                format!(
                                    "{} is too large for a whole-number answer",
                                    bound.get_ref()
                                ),
                            );
                        }
                        fits
                    })
                };
                let min = bound(self, &question.min);
                let max = bound(self, &question.max);
                if let (Some(low), Some(high), Some(max_span)) =
                    (min, max, question.max.as_ref().map(Spanned::span))
                {
                    if low > high {
                        self.reporter
                            .error(max_span, format!("max ({high}) is below min ({low})"));
                    }
                }
                QuestionKind::Integer { min, max }
            }
            _ => {
                let help = did_you_mean(kind_name, kinds)
                    .unwrap_or_else(|| "the types are bool, choice, date and integer".to_string());
                self.reporter.error_with_help(
                    question.kind.span(),
                    format!("unknown question type \"{kind_name}\""),
                    help,
                );
                QuestionKind::Bool
            }
        };
        self.questions.push(Question {
            id: question.id.get_ref().clone(),
            text: question.text.clone(),
            help: question.help.clone(),
            kind,
        });
        self.question_spans.push(entry.span());
    }

    fn check_choices(&mut self, question: &QuestionEntry, span: Range<usize>) -> Vec<Choice> {
        let Some(entries) = &question.choices else {
            self.reporter.error_with_help(
                span,
                format!(
                    "the choice question `{}` has no choices",
                    question.id.get_ref()
                ),
                "add `choices = [{ id = \"...\", label = \"...\" }, ...]`",
            );
            return Vec::new();
        };
        if entries.get_ref().len() < 2 {
            self.reporter.error(
                entries.span(),
                format!(
                    "the choice question `{}` needs at least two choices",
                    question.id.get_ref()
                ),
            );
        }
        let mut choices: Vec<Choice> = Vec::new();
        for entry in entries.get_ref() {
            if !self.check_id(&entry.id, "choice") {
                continue;
            }
            if choices
                .iter()
                .any(|choice| choice.id == *entry.id.get_ref())
            {
                self.duplicate(&entry.id, "choice");
                continue;
            }
            choices.push(Choice {
                id: entry.id.get_ref().clone(),
                label: entry.label.clone(),
            });
        }
        choices
    }

    fn parse(&mut self, text: &Spanned<String>) -> Option<Expr> {
        let base = string_base(self.reporter.source, text);
        match syntax::parse(text.get_ref(), base) {
            Ok(expr) => Some(expr),
            Err(error) => {
                self.reporter
                    .error_with_optional_help(error.span, error.message, error.help);
                None
            }
        }
    }

    /// Orders values and criteria so each comes after what it uses; reports
    /// cycles and marks the definitions on them.
    fn order_definitions(
        &mut self,
        definitions: &[(Definition, &Spanned<String>, Option<Expr>)],
        values: &[&crate::schema::ValueEntry],
        criteria: &[&crate::schema::CriterionEntry],
    ) -> (Vec<usize>, Vec<bool>) {
        let position_of = |declared: Declared| match declared {
            Declared::Value(index) => Some(index),
            Declared::Criterion(index) => Some(values.len() + index),
            Declared::Question(_) => None,
        };
        let uses: Vec<Vec<usize>> = definitions
            .iter()
            .map(|(_, _, expr)| {
                let mut names = Vec::new();
                if let Some(expr) = expr {
                    collect_names(expr, &mut names);
                }
                let mut uses: Vec<usize> = names
                    .iter()
                    .filter_map(|name| self.declared.get(*name).copied().and_then(position_of))
                    .collect();
                uses.dedup();
                uses
            })
            .collect();
        let name_of = |position: usize| {
            if position < values.len() {
                values[position].id.get_ref().as_str()
            } else {
                criteria[position - values.len()].id.get_ref().as_str()
            }
        };

        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            Open,
            Done,
        }
        let mut marks = vec![Mark::New; definitions.len()];
        let mut cyclic = vec![false; definitions.len()];
        let mut order = Vec::new();
        for root in 0..definitions.len() {
            if marks[root] != Mark::New {
                continue;
            }
            // Iterative depth-first search; `path` is the chain of open definitions.
            let mut path: Vec<(usize, usize)> = vec![(root, 0)];
            marks[root] = Mark::Open;
            while let Some(&mut (node, ref mut next)) = path.last_mut() {
                if let Some(&used) = uses[node].get(*next) {
                    *next += 1;
                    match marks[used] {
                        Mark::New => {
                            marks[used] = Mark::Open;
                            path.push((used, 0));
                        }
                        Mark::Open => {
                            let start =
                                path.iter().position(|(open, _)| *open == used).unwrap_or(0);
                            let cycle: Vec<usize> =
                                path[start..].iter().map(|(open, _)| *open).collect();
                            if cycle.iter().any(|member| cyclic[*member]) {
                                continue;
                            }
                            let mut names: Vec<&str> =
                                cycle.iter().map(|member| name_of(*member)).collect();
                            names.push(name_of(used));
                            let text = definitions[used].1;
                            self.reporter.error_with_help(
                                text.span(),
                                format!(
                                    "`{}` depends on itself: {}",
                                    name_of(used),
                                    names.join(" → ")
                                ),
                                "computed values and criteria must not use each other in a circle",
                            );
                            for member in cycle {
                                cyclic[member] = true;
                            }
                        }
                        Mark::Done => {}
                    }
                } else {
                    marks[node] = Mark::Done;
                    order.push(node);
                    path.pop();
                }
            }
        }
        // Whatever uses a definition on a cycle cannot be typed either.
        for &position in &order {
            if uses[position].iter().any(|used| cyclic[*used]) {
                cyclic[position] = true;
            }
        }
        (order, cyclic)
    }

    fn expect_bool(&mut self, ty: Type, span: Range<usize>, what: &str) {
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

    fn check_expr(&mut self, expr: &Expr) -> (Ir, Type) {
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
                    Type::Integer => (Ir::Negate(Box::new(ir)), Type::Integer),
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
            ExprKind::Call(function, arguments) => {
                let checked: Vec<(Ir, Type)> = arguments
                    .iter()
                    .map(|argument| self.check_expr(argument))
                    .collect();
                let name = match function {
                    Function::Min => "min",
                    Function::Max => "max",
                };
                if checked.iter().any(|(_, ty)| *ty == Type::Unknown) {
                    return (Ir::Const(0), Type::Unknown);
                }
                let first = checked[0].1;
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
                let irs = checked.into_iter().map(|(ir, _)| ir).collect();
                let ir = match function {
                    Function::Min => Ir::Min(irs),
                    Function::Max => Ir::Max(irs),
                };
                (ir, first)
            }
        }
    }

    fn names_in_scope(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.declared.keys().map(String::as_str).collect();
        names.sort_unstable();
        names
    }

    fn check_name(&mut self, name: &str, span: Range<usize>) -> (Ir, Type) {
        match self.declared.get(name).copied() {
            Some(Declared::Question(index)) => {
                let ty = match self.questions[index].kind {
                    QuestionKind::Bool => Type::Bool,
                    QuestionKind::Choice { .. } => Type::Choice(index),
                    QuestionKind::Date { .. } => Type::Date,
                    QuestionKind::Integer { .. } => Type::Integer,
                };
                (Ir::Answer(index), ty)
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

    fn check_fact_name(&mut self, name: &str, span: Range<usize>) -> bool {
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
        match &self.facts[name].value {
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
            (Type::Integer, Type::Integer) => (binary(left_ir, right_ir), Type::Integer),
            (Type::Date, Type::Date) if op == BinaryOp::Subtract => {
                (binary(left_ir, right_ir), Type::Integer)
            }
            (Type::Date, Type::Duration(unit)) => (shift(left_ir, right_ir, unit), Type::Date),
            (Type::Duration(unit), Type::Date) if op == BinaryOp::Add => {
                (shift(right_ir, left_ir, unit), Type::Date)
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

    /// Splits `{value_id}` and `{facts.ns.name}` placeholders out of a text;
    /// `{{` and `}}` stand for literal braces.
    fn check_text(&mut self, text: &Spanned<String>) -> Text {
        let base = string_base(self.reporter.source, text);
        let raw = text.get_ref();
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut rest = raw.char_indices().peekable();
        while let Some((offset, character)) = rest.next() {
            match character {
                '{' if rest.peek().map(|(_, next)| *next) == Some('{') => {
                    rest.next();
                    literal.push('{');
                }
                '}' if rest.peek().map(|(_, next)| *next) == Some('}') => {
                    rest.next();
                    literal.push('}');
                }
                '{' => {
                    let Some(length) = raw[offset + 1..].find('}') else {
                        self.reporter.error_with_help(
                            base + offset..base + offset + 1,
                            "`{` is never closed",
                            "write `{{` for a brace",
                        );
                        break;
                    };
                    let name = raw[offset + 1..offset + 1 + length].trim();
                    let span = base + offset..base + offset + length + 2;
                    while rest
                        .peek()
                        .is_some_and(|(next, _)| *next <= offset + length + 1)
                    {
                        rest.next();
                    }
                    if let Some(segment) = self.placeholder(name, span) {
                        if !literal.is_empty() {
                            segments.push(Segment::Literal {
                                text: std::mem::take(&mut literal),
                            });
                        }
                        segments.push(segment);
                    }
                }
                '}' => self.reporter.error_with_help(
                    base + offset..base + offset + 1,
                    "`}` without `{`",
                    "write `}}` for a brace",
                ),
                _ => literal.push(character),
            }
        }
        if !literal.is_empty() {
            segments.push(Segment::Literal { text: literal });
        }
        Text { segments }
    }

    fn placeholder(&mut self, name: &str, span: Range<usize>) -> Option<Segment> {
        if let Some(fact) = name.strip_prefix("facts.") {
            if !self.check_fact_name(fact, span) {
                return None;
            }
            return Some(Segment::Fact {
                name: fact.to_string(),
                display: self.facts[fact].display.clone(),
            });
        }
        match self.declared.get(name) {
            Some(Declared::Value(_)) => Some(Segment::Value {
                id: name.to_string(),
            }),
            Some(_) => {
                self.reporter.error_with_help(
                    span,
                    format!("`{name}` is not a computed value, so it cannot be shown in a text"),
                    format!("add a computed value whose formula is `{name}`"),
                );
                None
            }
            None => {
                let values = self
                    .declared
                    .iter()
                    .filter(|(_, declared)| matches!(declared, Declared::Value(_)))
                    .map(|(id, _)| id.as_str());
                let help = did_you_mean(name, values).or_else(|| {
                    Some(
                        "a placeholder is a computed value id or `facts.NAMESPACE.NAME`"
                            .to_string(),
                    )
                });
                self.reporter.error_with_optional_help(
                    span,
                    format!("unknown placeholder `{{{name}}}`"),
                    help,
                );
                None
            }
        }
    }

    fn check_outcomes(&mut self, file: &RulesFile) -> (Vec<Outcome>, Vec<Option<Ir>>) {
        let mut outcomes = Vec::new();
        let mut code = Vec::new();
        if file.outcomes.is_empty() {
            self.reporter.error_with_help(
                0..0,
                "the rules have no outcomes",
                "add `[[outcomes]]`; the last one, without `when`, applies when no other does",
            );
        }
        for (index, entry) in file.outcomes.iter().enumerate() {
            let outcome = entry.get_ref();
            let is_last = index + 1 == file.outcomes.len();
            if self.check_id(&outcome.id, "outcome")
                && file.outcomes[..index]
                    .iter()
                    .any(|earlier| earlier.get_ref().id.get_ref() == outcome.id.get_ref())
            {
                self.duplicate(&outcome.id, "outcome");
            }
            let ir = match (&outcome.when, is_last) {
                (Some(when), false) => self.parse(when).map(|expr| {
                    let (ir, ty) = self.check_expr(&expr);
                    self.expect_bool(ty, when.span(), "the `when` of an outcome");
                    ir
                }),
                (Some(when), true) => {
                    self.reporter.error_with_help(
                        when.span(),
                        format!(
                            "the last outcome `{}` has a condition, so some answers might match no outcome",
                            outcome.id.get_ref()
                        ),
                        "remove `when` from the last outcome: it then applies whenever no earlier one does",
                    );
                    None
                }
                (None, false) => {
                    self.reporter.error_with_help(
                        outcome.id.span(),
                        format!("the outcome `{}` has no `when`", outcome.id.get_ref()),
                        "only the last outcome may leave out `when`; the outcomes after it could never apply",
                    );
                    None
                }
                (None, true) => None,
            };
            code.push(ir);
            outcomes.push(Outcome {
                id: outcome.id.get_ref().clone(),
                when: outcome.when.as_ref().map(|when| when.get_ref().clone()),
                tone: outcome.tone,
                heading: self.check_text(&outcome.heading),
                text: self.check_text(&outcome.text),
            });
        }
        (outcomes, code)
    }

    fn check_example(&mut self, program: &Program, entry: &ExampleEntry) -> Option<Example> {
        let before = self.reporter.diagnostics.len();
        self.check_id(&entry.id, "example");
        let id = entry.id.get_ref();
        let mut answers: Vec<(&str, RawAnswer<'_>)> = Vec::new();
        for (question, answer) in entry.answers.get_ref() {
            let Some(index) = self
                .questions
                .iter()
                .position(|candidate| candidate.id == *question.get_ref())
            else {
                let help = did_you_mean(
                    question.get_ref(),
                    self.questions.iter().map(|candidate| candidate.id.as_str()),
                );
                self.reporter.error_with_optional_help(
                    question.span(),
                    format!(
                        "example `{id}` answers `{}`, which is not a question",
                        question.get_ref()
                    ),
                    help,
                );
                continue;
            };
            let raw = toml_answer(answer.get_ref());
            if let Err(message) = encode_answer(&self.questions[index], &raw) {
                self.reporter
                    .error(answer.span(), format!("in example `{id}`: {message}"));
                continue;
            }
            answers.push((question.get_ref().as_str(), raw));
        }
        for question in &self.questions {
            let answered = entry
                .answers
                .get_ref()
                .keys()
                .any(|answered| *answered.get_ref() == question.id);
            if !answered {
                self.reporter.error_with_help(
                    entry.answers.span(),
                    format!("example `{id}` does not answer `{}`", question.id),
                    "every example answers every question",
                );
            }
        }
        let outcome_ids: Vec<&str> = program
            .outcomes
            .iter()
            .map(|outcome| outcome.id.as_str())
            .collect();
        if !outcome_ids.contains(&entry.outcome.get_ref().as_str()) {
            let help = did_you_mean(entry.outcome.get_ref(), outcome_ids.iter().copied())
                .unwrap_or_else(|| format!("the outcomes are {}", outcome_ids.join(", ")));
            self.reporter.error_with_help(
                entry.outcome.span(),
                format!("unknown outcome `{}`", entry.outcome.get_ref()),
                help,
            );
        }
        let criterion_ids: Vec<&str> = program
            .criteria
            .iter()
            .map(|criterion| criterion.id.as_str())
            .collect();
        for failed in entry.failed.iter().flatten() {
            if !criterion_ids.contains(&failed.get_ref().as_str()) {
                let help = did_you_mean(failed.get_ref(), criterion_ids.iter().copied())
                    .unwrap_or_else(|| format!("the criteria are {}", criterion_ids.join(", ")));
                self.reporter.error_with_help(
                    failed.span(),
                    format!("unknown criterion `{}`", failed.get_ref()),
                    help,
                );
            }
        }
        let mut values = BTreeMap::new();
        for (value_id, expected) in &entry.values {
            let Some(computed) = program
                .values
                .iter()
                .find(|value| value.id == *value_id.get_ref())
            else {
                let help = did_you_mean(
                    value_id.get_ref(),
                    program.values.iter().map(|value| value.id.as_str()),
                );
                self.reporter.error_with_optional_help(
                    value_id.span(),
                    format!("unknown computed value `{}`", value_id.get_ref()),
                    help,
                );
                continue;
            };
            let value = match (computed.value_type, expected.get_ref()) {
                (ValueType::Bool, toml::Value::Boolean(value)) => Some(Value::Bool(*value)),
                (ValueType::Integer, toml::Value::Integer(value)) => {
                    i32::try_from(*value).ok().map(Value::Integer)
                }
                (ValueType::Date, toml::Value::String(text)) => Date::parse(text).map(Value::Date),
                (ValueType::Date, toml::Value::Datetime(_)) => {
                    match toml_answer(expected.get_ref()) {
                        RawAnswer::Date(date) => Some(Value::Date(date)),
                        _ => None,
                    }
                }
                _ => None,
            };
            match value {
                Some(value) => {
                    values.insert(value_id.get_ref().clone(), value);
                }
                None => self.reporter.error(
                    expected.span(),
                    format!(
                        "`{}` is {}, so example `{id}` cannot expect {}",
                        computed.id,
                        match computed.value_type {
                            ValueType::Bool => "true or false",
                            ValueType::Integer => "a whole number",
                            ValueType::Date => "a date",
                        },
                        expected.get_ref()
                    ),
                ),
            }
        }
        if self.reporter.diagnostics.len() > before {
            return None;
        }
        let answers = encode_answers(&program.questions, answers).ok()?;
        Some(Example {
            id: id.clone(),
            description: entry.description.clone(),
            answers,
            outcome: entry.outcome.get_ref().clone(),
            failed: entry
                .failed
                .as_ref()
                .map(|failed| failed.iter().map(|name| name.get_ref().clone()).collect()),
            values,
        })
    }
}

fn toml_answer(value: &toml::Value) -> RawAnswer<'_> {
    match value {
        toml::Value::Boolean(value) => RawAnswer::Bool(*value),
        toml::Value::Integer(value) => RawAnswer::Integer(*value),
        toml::Value::String(text) => RawAnswer::Text(text),
        toml::Value::Datetime(datetime) => match (datetime.date, datetime.time, datetime.offset) {
            (Some(date), None, None) => {
                match Date::from_ymd(date.year.into(), date.month.into(), date.day.into()) {
                    Some(date) => RawAnswer::Date(date),
                    None => RawAnswer::Other("an impossible date"),
                }
            }
            _ => RawAnswer::Other("a date with a time"),
        },
        toml::Value::Float(_) => RawAnswer::Other("a number that is not whole"),
        toml::Value::Array(_) => RawAnswer::Other("a list"),
        toml::Value::Table(_) => RawAnswer::Other("a table"),
    }
}

fn collect_names<'e>(expr: &'e Expr, names: &mut Vec<&'e str>) {
    match &expr.kind {
        ExprKind::Name(name) => names.push(name),
        ExprKind::Bool(_) | ExprKind::Integer(_) | ExprKind::Date(_) | ExprKind::Fact(_) => {}
        ExprKind::Not(operand) | ExprKind::Negate(operand) | ExprKind::Duration(operand, _) => {
            collect_names(operand, names)
        }
        ExprKind::Binary(_, left, right) => {
            collect_names(left, names);
            collect_names(right, names);
        }
        ExprKind::In(subject, _) => collect_names(subject, names),
        ExprKind::Call(_, arguments) => {
            for argument in arguments {
                collect_names(argument, names);
            }
        }
    }
}
