//! Turns the parsed TOML into a checked [`Program`], reporting every
//! independent problem with its place in the file.
//!
//! `decls` checks ids and questions, `order` puts values and criteria after
//! what they use, `lower` types expressions and lowers them to `Ir`,
//! `outcomes` checks outcomes and the placeholders in texts, and `examples`
//! checks the worked examples as written (running them is `check_examples`).

mod asked;
mod bounds;
mod decls;
mod examples;
mod forms;
mod lower;
mod order;
mod outcomes;
mod reach;
mod tables;

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;

use crate::diagnostic::{diagnostic_at, line_column, Diagnostic, Reporter};
use crate::ir::{Definition, Ir};
use crate::model::{ComputedValue, Criterion, Facts, Question, Reference, Table, ValueType};
use crate::program::{Program, ReaderText};
use crate::schema::RulesFile;
use crate::syntax::{self, Expr, Unit};

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

/// Which answers a question's own condition may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum AnswerScope {
    /// Its `ask_if`: the answers before it.
    Asking(usize),
    /// Its `valid_if`: its own answer and those before it.
    Validating(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Declared {
    Question(usize),
    Value(usize),
    Criterion(usize),
}

pub(crate) fn compile(source: &str, facts: &Facts) -> Result<Program, Vec<Diagnostic>> {
    let file: RulesFile = toml::from_str(source).map_err(|error| {
        let span = error.span().unwrap_or(0..0);
        vec![diagnostic_at(
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
        unasked: Vec::new(),
        ask_conditions: Vec::new(),
        answer_scope: None,
        ask_failed: false,
        rules_failed: false,
        tables: HashMap::new(),
        broken_tables: Vec::new(),
        value_types: Vec::new(),
        value_bounds: Vec::new(),
        criterion_count: 0,
        reader_texts: Vec::new(),
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
    /// Per question, what its `default` holds when it is not asked, encoded.
    unasked: Vec<Option<i32>>,
    /// Per question, whether it has an `ask_if`.
    ask_conditions: Vec<bool>,
    /// While checking a question's `ask_if` or `valid_if`: which answers it may read.
    answer_scope: Option<AnswerScope>,
    /// Whether some `ask_if` could not be checked (and was reported).
    ask_failed: bool,
    /// Whether the rules, before their examples, had errors (reported): examples are then not
    /// held to the questions' `valid_if`.
    rules_failed: bool,
    /// The tables of the rules file, by id.
    tables: HashMap<String, Table>,
    /// Tables already reported as malformed: reading them says nothing more.
    broken_tables: Vec<String>,
    /// `None` until the value has been checked.
    value_types: Vec<Option<Type>>,
    /// What each value can be, once checked.
    value_bounds: Vec<Option<bounds::Bounds>>,
    criterion_count: usize,
    /// Every text a reader sees, with the languages it is written in.
    reader_texts: Vec<ReaderText>,
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
    string_base_at(source, spanned.span(), spanned.get_ref())
}

/// [`string_base`] of the TOML string at `span` holding `text`.
fn string_base_at(source: &str, span: Range<usize>, text: &str) -> usize {
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
            if inner == text {
                return start;
            }
            return span.start;
        }
    }
    span.start
}

impl<'a> Checker<'a> {
    /// When a question's own condition is being checked and question `index` (`usize::MAX`
    /// for a value or criterion) is out of what it may read: the error and its help, for a
    /// read of `what`.
    fn out_of_answer_scope(&self, index: usize, what: &str) -> Option<(String, &'static str)> {
        let scope = self.answer_scope?;
        let (question, readable) = match scope {
            AnswerScope::Asking(question) => (question, question),
            AnswerScope::Validating(question) => (question, question + 1),
        };
        if index < readable {
            return None;
        }
        let question = &self.questions[question].id;
        Some(match scope {
            AnswerScope::Asking(_) => (
                format!("the condition for asking `{question}` reads {what}"),
                "a question's `ask_if` reads only the answers to questions before it",
            ),
            AnswerScope::Validating(_) => (
                format!("the `valid_if` of `{question}` reads {what}"),
                "a question's `valid_if` reads only its own answer and the answers to questions before it",
            ),
        })
    }

    /// Each question's own condition (`ask_if` or `valid_if`, as `condition` picks it), checked
    /// in the scope of answers it may read; `None` for a question without one or whose
    /// condition is not a yes/no one (reported), and whether any was not.
    fn question_conditions(
        &mut self,
        file: &RulesFile,
        scope: fn(usize) -> AnswerScope,
        what: &str,
        condition: impl Fn(&crate::schema::QuestionEntry) -> Option<&Spanned<String>>,
    ) -> (Vec<Option<Ir>>, bool) {
        let mut failed = false;
        let code = file
            .questions
            .iter()
            .enumerate()
            .map(|(index, entry)| {
                let written = condition(entry.get_ref())?;
                let expr = self.parse(written)?;
                self.answer_scope = Some(scope(index));
                let (ir, ty) = self.check_expr(&expr);
                self.answer_scope = None;
                self.expect_bool(ty, written.span(), what);
                failed |= ty != Type::Bool;
                (ty == Type::Bool).then_some(ir)
            })
            .collect();
        (code, failed)
    }

    fn check(&mut self, file: RulesFile) -> Program {
        for entry in &file.questions {
            self.check_question(entry);
        }
        self.check_tables(&file.tables);
        // Values and criteria are declared before the questions' own conditions are checked,
        // so that a condition reading one is told it may not, rather than that it is unknown.
        let values: Vec<_> = file.values.iter().map(Spanned::get_ref).collect();
        let criteria: Vec<_> = file.criteria.iter().map(Spanned::get_ref).collect();
        self.value_types = vec![None; values.len()];
        self.value_bounds = vec![None; values.len()];
        self.criterion_count = criteria.len();
        for (index, value) in values.iter().enumerate() {
            self.declare(&value.id, Declared::Value(index), "computed value");
        }
        for (index, criterion) in criteria.iter().enumerate() {
            self.declare(&criterion.id, Declared::Criterion(index), "criterion");
        }
        let (ask_code, ask_failed) =
            self.question_conditions(&file, AnswerScope::Asking, "`ask_if`", |entry| {
                entry.ask_if.as_ref()
            });
        // A condition already reported counts as none, and examples are not held to it, so
        // that one mistake gives one message rather than one per example.
        self.ask_failed = ask_failed;
        let (valid_code, _) =
            self.question_conditions(&file, AnswerScope::Validating, "`valid_if`", |entry| {
                entry.valid_if.as_ref()
            });

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
                    self.value_bounds[index] = Some(self.answer_bounds_with_unasked(&ir));
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
                label: self.plain_text(
                    &value.label,
                    format!("the label of value `{}`", value.id.get_ref()),
                ),
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
                passed: self.check_text(
                    &criterion.passed,
                    format!(
                        "the `passed` text of criterion `{}`",
                        criterion.id.get_ref()
                    ),
                ),
                failed: self.check_text(
                    &criterion.failed,
                    format!(
                        "the `failed` text of criterion `{}`",
                        criterion.id.get_ref()
                    ),
                ),
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
            tense: file.tense,
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
            unasked: self
                .unasked
                .iter()
                .map(|value| value.unwrap_or(0))
                .collect(),
            ask_code,
            valid_code,
            warnings: Vec::new(),
            reader_texts: std::mem::take(&mut self.reader_texts),
        };
        if !self.reporter.has_errors() {
            self.prove_answers_asked(&program, &file);
        }
        if !self.reporter.has_errors() {
            self.warn_unused_rules(&program, &file);
            program.warnings = self.reporter.take_warnings();
        }
        self.rules_failed = self.reporter.has_errors();
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
}
