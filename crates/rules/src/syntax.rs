//! Lexer and parser for conditions and computed values. The parser keeps what it
//! has still to finish on a stack of its own, not the thread's, so no input can
//! overflow it.
//!
//! Spans are byte offsets into the whole rules file: the parser is handed the
//! offset at which the expression's text starts inside its TOML string.
//!
//! The parser is the only place trees are built, so it is where their depth is
//! bounded (see [`MAX_DEPTH`]): everything after it (checking, lowering, both
//! engines) walks trees recursively and may rely on that bound.

use std::ops::Range;

use crate::date::Date;

mod lex;
mod parser;
mod placeholders;

pub(crate) use parser::parse;
pub(crate) use placeholders::{split_placeholders, TextPart};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BinaryOp {
    And,
    Or,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Add,
    Subtract,
    Multiply,
    /// `facts.NAME at DATE`: a dated fact as of a date. Only in syntax trees; lowering turns
    /// it into a lookup of the value in force.
    At,
}

impl BinaryOp {
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            BinaryOp::And => "and",
            BinaryOp::Or => "or",
            BinaryOp::Equal => "==",
            BinaryOp::NotEqual => "!=",
            BinaryOp::Less => "<",
            BinaryOp::LessOrEqual => "<=",
            BinaryOp::Greater => ">",
            BinaryOp::GreaterOrEqual => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::At => "at",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Days,
    Months,
    Years,
}

impl Unit {
    fn from_word(word: &str) -> Option<Unit> {
        match word {
            "day" | "days" => Some(Unit::Days),
            "month" | "months" => Some(Unit::Months),
            "year" | "years" => Some(Unit::Years),
            _ => None,
        }
    }

    pub(crate) fn word(self) -> &'static str {
        match self {
            Unit::Days => "days",
            Unit::Months => "months",
            Unit::Years => "years",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Function {
    Min,
    Max,
    Sum,
    /// `answered(question)`: whether the question was asked (and so answered).
    Answered,
    /// `years_between(from, to)`: whole years from one date to another, as `+ n years` counts.
    YearsBetween,
    /// `lookup(table, key)` or `lookup(table, key, column)`.
    Lookup,
}

impl Function {
    pub(crate) const ALL: [Function; 6] = [
        Function::Min,
        Function::Max,
        Function::Sum,
        Function::Answered,
        Function::YearsBetween,
        Function::Lookup,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Function::Min => "min",
            Function::Max => "max",
            Function::Sum => "sum",
            Function::Answered => "answered",
            Function::YearsBetween => "years_between",
            Function::Lookup => "lookup",
        }
    }

    /// How many arguments it takes: at least, at most.
    fn arity(self) -> (usize, usize) {
        match self {
            Function::Min | Function::Max | Function::Sum => (2, usize::MAX),
            Function::Answered => (1, 1),
            Function::YearsBetween => (2, 2),
            Function::Lookup => (2, 3),
        }
    }

    fn usage(self) -> &'static str {
        match self {
            Function::Min | Function::Max | Function::Sum => "at least two values",
            Function::Answered => "one question id, as in `answered(spouse_age)`",
            Function::YearsBetween => "two dates, as in `years_between(born_on, applied_on)`",
            Function::Lookup => {
                "a table, a key and, for a table of several columns, a column, as in \
                 `lookup(age_points, age, with_spouse)`"
            }
        }
    }
}

/// The most levels an expression tree may have, counting a leaf as one.
///
/// Checking, lowering, the native evaluator and the WebAssembly emitter each
/// recurse once per level, on whatever thread compiles the rules: a rayon worker
/// or the preview server's rebuild thread, with 2 MiB of stack. Input that nests
/// deeper would overflow that stack and abort the process, so the parser refuses
/// it. Long chains such as `a and b and c` build left-deep trees, one level per
/// operator, so the bound is on the tree's depth, not on parentheses (which add
/// no level of their own).
pub(crate) const MAX_DEPTH: usize = 256;

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) span: Range<usize>,
    /// Levels in this tree: 1 for a leaf. Never more than [`MAX_DEPTH`].
    depth: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ExprKind {
    Bool(bool),
    Integer(i32),
    Date(Date),
    /// An answer, computed value or criterion, or a choice id next to a choice.
    Name(String),
    /// A program fact, without the `facts.` prefix.
    Fact(String),
    Not(Box<Expr>),
    Negate(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    In(Box<Expr>, Vec<(String, Range<usize>)>),
    Call(Function, Vec<Expr>),
    Duration(Box<Expr>, Unit),
    /// `if CONDITION then VALUE else VALUE`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Expr {
        parse(text, 0).unwrap_or_else(|error| panic!("{text}: {error:?}"))
    }

    /// Prints an expression with full parentheses, to make precedence visible.
    fn shape(expr: &Expr) -> String {
        match &expr.kind {
            ExprKind::Bool(value) => value.to_string(),
            ExprKind::Integer(value) => value.to_string(),
            ExprKind::Date(date) => date.to_string(),
            ExprKind::Name(name) => name.clone(),
            ExprKind::Fact(name) => format!("facts.{name}"),
            ExprKind::Not(operand) => format!("(not {})", shape(operand)),
            ExprKind::Negate(operand) => format!("(-{})", shape(operand)),
            ExprKind::Binary(op, left, right) => {
                format!("({} {} {})", shape(left), op.symbol(), shape(right))
            }
            ExprKind::In(subject, choices) => {
                let names: Vec<&str> = choices.iter().map(|(name, _)| name.as_str()).collect();
                format!("({} in [{}])", shape(subject), names.join(", "))
            }
            ExprKind::Call(function, arguments) => {
                let arguments: Vec<String> = arguments.iter().map(shape).collect();
                format!("{}({})", function.name(), arguments.join(", "))
            }
            ExprKind::Duration(amount, unit) => format!("({} {})", shape(amount), unit.word()),
            ExprKind::If(condition, then, otherwise) => format!(
                "(if {} then {} else {})",
                shape(condition),
                shape(then),
                shape(otherwise)
            ),
        }
    }

    #[test]
    fn precedence_reads_naturally() {
        assert_eq!(
            shape(&parsed("a and b or not c and d")),
            "((a and b) or ((not c) and d))"
        );
        assert_eq!(
            shape(&parsed("applied_on + 3 years <= facts.h1b.planned_end_on")),
            "((applied_on + (3 years)) <= facts.h1b.planned_end_on)"
        );
        assert_eq!(shape(&parsed("a - b - c")), "((a - b) - c)");
        assert_eq!(shape(&parsed("not a == b")), "(not (a == b))");
        assert_eq!(shape(&parsed("(a or b) and c")), "((a or b) and c)");
        assert_eq!(shape(&parsed("-3 + x")), "((-3) + x)");
    }

    #[test]
    fn products_conditionals_and_dated_facts_bind_as_written() {
        assert_eq!(shape(&parsed("a + b * c - d")), "((a + (b * c)) - d)");
        assert_eq!(shape(&parsed("a * b * 2 years")), "((a * b) * (2 years))");
        assert_eq!(
            shape(&parsed("facts.crs.offer at scored_on * 2 + 1")),
            "(((facts.crs.offer at scored_on) * 2) + 1)"
        );
        assert_eq!(
            shape(&parsed("facts.x at d >= 5 and y")),
            "(((facts.x at d) >= 5) and y)"
        );
        // The value after `else` reaches as far as it can, as in Python.
        assert_eq!(
            shape(&parsed("if a and b then x + 1 else y or z")),
            "(if (a and b) then (x + 1) else (y or z))"
        );
        assert_eq!(
            shape(&parsed("if a then 1 else if b then 2 else 3")),
            "(if a then 1 else (if b then 2 else 3))"
        );
        assert_eq!(
            shape(&parsed("(if a then 1 else 2) + 3")),
            "((if a then 1 else 2) + 3)"
        );
        assert_eq!(
            shape(&parsed("sum(if a then 1 else 0, lookup(t, age, single))")),
            "sum((if a then 1 else 0), lookup(t, age, single))"
        );
        assert_eq!(
            shape(&parsed("not answered(x) or years_between(b, d) >= 18")),
            "((not answered(x)) or (years_between(b, d) >= 18))"
        );
        assert_eq!(
            shape(&parsed("if not a then b else c")),
            "(if (not a) then b else c)"
        );
    }

    #[test]
    fn conditionals_and_calls_say_what_is_missing() {
        assert_eq!(
            error("if a then 1").message,
            "expected `else`, found the end of the expression"
        );
        assert_eq!(
            error("if a 1 else 2").message,
            "expected `then`, found the number 1"
        );
        assert_eq!(
            error("a then b").message,
            "expected `and`, `or` or the end, found `then`"
        );
        assert_eq!(
            error("answered(a, b)").message,
            "`answered` takes one question id, as in `answered(spouse_age)`"
        );
        assert_eq!(
            error("lookup(t)").span,
            10..19,
            "a call with the wrong number of arguments points at the whole call"
        );
        assert_eq!(
            error("summ(a, b)").help.as_deref(),
            Some("did you mean `sum`?")
        );
        assert_eq!(error("a * * b").message, "expected a value, found `*`");
    }

    #[test]
    fn literals_names_and_calls() {
        assert_eq!(
            shape(&parsed("min(d + n years, 2023-07-16, max(e, f))")),
            "min((d + (n years)), 2023-07-16, max(e, f))"
        );
        assert_eq!(shape(&parsed("10_000 + 1 day")), "(10000 + (1 days))");
        assert_eq!(
            shape(&parsed("role in [spouse, child,]")),
            "(role in [spouse, child])"
        );
        assert_eq!(shape(&parsed("true != false")), "(true != false)");
        assert_eq!(shape(&parsed("(n + 1) months")), "((n + 1) months)");
        assert_eq!(
            parsed("facts.h1b.cap").kind,
            ExprKind::Fact("h1b.cap".to_string())
        );
        assert_eq!(
            parsed("2024-02-29").kind,
            ExprKind::Date(Date::parse("2024-02-29").unwrap())
        );
    }

    #[test]
    fn spans_are_offsets_into_the_file() {
        let expr = parsed("visa_valid and role == spouse");
        assert_eq!(expr.span, 0..29);
        let ExprKind::Binary(_, left, right) = &expr.kind else {
            panic!("not binary");
        };
        assert_eq!(left.span, 0..10);
        assert_eq!(right.span, 15..29);
        let shifted = parse("x < 2023-07-16", 100).unwrap();
        let ExprKind::Binary(_, _, date) = &shifted.kind else {
            panic!("not binary");
        };
        assert_eq!(date.span, 104..114);
    }

    fn error(text: &str) -> SyntaxError {
        parse(text, 10).expect_err(text)
    }

    #[test]
    fn errors_point_at_the_problem() {
        let found = error("a = b");
        assert_eq!(found.message, "unexpected character `=`");
        assert_eq!(found.span, 12..13);
        assert_eq!(found.help.as_deref(), Some("compare with `==`"));

        let found = error("a and");
        assert_eq!(
            found.message,
            "expected a value, found the end of the expression"
        );
        assert_eq!(found.span, 15..15);

        let found = error("a < b < c");
        assert_eq!(found.message, "comparisons cannot be chained");

        let found = error("a b");
        assert_eq!(found.message, "expected `and`, `or` or the end, found `b`");
        assert_eq!(found.span, 12..13);

        assert_eq!(
            error("2023-02-30").message,
            "2023-02-30 is not a calendar date"
        );
        assert_eq!(error("3years").message, "`3years` is not a number");
        assert_eq!(error("99999999999").message, "99999999999 is too large");
        assert_eq!(error("mni(a, b)").message, "unknown function `mni`");
        assert_eq!(
            error("mni(a, b)").help.as_deref(),
            Some("did you mean `min`?")
        );
        assert_eq!(error("min(a)").message, "`min` takes at least two values");
        assert_eq!(
            error("(a").message,
            "expected `)`, found the end of the expression"
        );
        assert_eq!(
            error("role in []").message,
            "expected a choice id, found `]`"
        );
        assert_eq!(
            error("").message,
            "expected a condition or a value, found the end of the expression"
        );
        assert_eq!(error("a && b").help.as_deref(), Some("write `and`"));
        assert_eq!(error("h1b.cap").message, "`h1b.cap` is not a name");
        assert_eq!(
            error("a + years").message,
            "expected a value, found `years`"
        );
    }

    /// `term op term op ...`, `count` terms: a left-deep tree of `count` levels.
    fn chain(term: &str, op: &str, count: usize) -> String {
        vec![term; count].join(&format!(" {op} "))
    }

    fn depth_error(text: &str) -> SyntaxError {
        let found = error(text);
        assert!(found.message.contains("too deep"), "{found:?}");
        assert!(found.help.is_some());
        found
    }

    #[test]
    fn chains_as_deep_as_the_limit_parse_and_one_more_term_does_not() {
        for op in ["and", "or", "-", "+"] {
            let deepest = parsed(&chain("a", op, MAX_DEPTH));
            assert_eq!(deepest.depth, MAX_DEPTH, "{op}");
            // The operator that would make the 257th level is the one pointed at.
            let text = chain("a", op, MAX_DEPTH + 1);
            let found = depth_error(&text);
            let last_op = text.rfind(&format!(" {op} ")).unwrap() + 1;
            assert_eq!(found.span, 10 + last_op..10 + last_op + op.len(), "{op}");
        }
    }

    #[test]
    fn nesting_as_deep_as_the_limit_parses_and_one_more_level_does_not() {
        // Parentheses around each right operand: one level of tree per pair.
        let right_deep =
            |count: usize| format!("{}a{}", "a and (".repeat(count - 1), ")".repeat(count - 1));
        assert_eq!(parsed(&right_deep(MAX_DEPTH)).depth, MAX_DEPTH);
        // The outermost `and` is the one too many.
        assert_eq!(depth_error(&right_deep(MAX_DEPTH + 1)).span, 12..15);

        let nots = |count: usize| format!("{}a", "not ".repeat(count));
        assert_eq!(parsed(&nots(MAX_DEPTH - 1)).depth, MAX_DEPTH);
        assert_eq!(depth_error(&nots(MAX_DEPTH)).span, 10..13);

        let negations = |count: usize| format!("{}n", "-".repeat(count));
        assert_eq!(parsed(&negations(MAX_DEPTH - 1)).depth, MAX_DEPTH);
        assert_eq!(depth_error(&negations(MAX_DEPTH)).span, 10..11);

        let calls = |count: usize| format!("{}n, n{}", "min(n, ".repeat(count), ")".repeat(count));
        assert_eq!(parsed(&calls(MAX_DEPTH - 1)).depth, MAX_DEPTH);
        assert_eq!(depth_error(&calls(MAX_DEPTH)).span, 10..13);

        // A deep chain inside `not`, a unit or `in` is one level more.
        depth_error(&format!("not ({})", chain("a", "and", MAX_DEPTH)));
        depth_error(&format!("({}) days", chain("n", "+", MAX_DEPTH)));
        depth_error(&format!("({}) in [x]", chain("n", "+", MAX_DEPTH)));
    }

    #[test]
    fn parentheses_alone_add_no_level() {
        let parentheses = |count: usize| format!("{}a{}", "(".repeat(count), ")".repeat(count));
        let expr = parsed(&parentheses(10_000));
        assert_eq!(
            (expr.depth, expr.kind),
            (1, ExprKind::Name("a".to_string()))
        );
        assert_eq!(expr.span, 0..20_001);
        assert_eq!(
            shape(&parsed("((a and ((b))) or (((c))))")),
            "((a and b) or c)"
        );
    }

    #[test]
    fn input_far_past_the_limit_is_an_error_not_a_stack_overflow() {
        let nested = format!("{}a{}", "a and (".repeat(4_500), ")".repeat(4_500));
        depth_error(&nested);
        depth_error(&chain("a", "and", 10_000));
        depth_error(&chain("n", "-", 10_000));
        depth_error(&format!("{}a", "not ".repeat(100_000)));
        depth_error(&format!("{}n", "-".repeat(100_000)));
        depth_error(&format!(
            "{}n, n{}",
            "max(n, ".repeat(10_000),
            ")".repeat(10_000)
        ));
    }
}
