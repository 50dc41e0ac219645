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

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Word(String),
    Integer(i32),
    Date(Date),
    Symbol(&'static str),
    End,
}

const SYMBOLS: [&str; 14] = [
    "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "(", ")", "[", "]", ",",
];

fn describe(token: &Token) -> String {
    match token {
        Token::Word(word) => format!("`{word}`"),
        Token::Integer(value) => format!("the number {value}"),
        Token::Date(date) => format!("the date {date}"),
        Token::Symbol(symbol) => format!("`{symbol}`"),
        Token::End => "the end of the expression".to_string(),
    }
}

fn lex(text: &str, base: usize) -> Result<Vec<(Token, Range<usize>)>, SyntaxError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut position = 0;
    let error = |start: usize, end: usize, message: String, help: Option<&str>| SyntaxError {
        span: base + start..base + end,
        message,
        help: help.map(str::to_string),
    };
    while position < bytes.len() {
        let byte = bytes[position];
        let start = position;
        if byte.is_ascii_whitespace() {
            position += 1;
            continue;
        }
        if byte.is_ascii_digit() {
            let is_date = bytes.len() >= start + 10
                && bytes[start..start + 4].iter().all(u8::is_ascii_digit)
                && bytes[start + 4] == b'-'
                && bytes[start + 5..start + 7].iter().all(u8::is_ascii_digit)
                && bytes[start + 7] == b'-'
                && bytes[start + 8..start + 10].iter().all(u8::is_ascii_digit)
                && !bytes
                    .get(start + 10)
                    .is_some_and(|next| next.is_ascii_alphanumeric() || *next == b'_');
            if is_date {
                position = start + 10;
                let literal = &text[start..position];
                let date = Date::parse(literal).ok_or_else(|| {
                    error(
                        start,
                        position,
                        format!("{literal} is not a calendar date"),
                        Some("dates are written YYYY-MM-DD"),
                    )
                })?;
                tokens.push((Token::Date(date), base + start..base + position));
                continue;
            }
            while position < bytes.len()
                && (bytes[position].is_ascii_alphanumeric() || bytes[position] == b'_')
            {
                position += 1;
            }
            let literal = &text[start..position];
            let digits: String = literal.chars().filter(|c| *c != '_').collect();
            if !digits.chars().all(|c| c.is_ascii_digit()) {
                return Err(error(
                    start,
                    position,
                    format!("`{literal}` is not a number"),
                    Some("write a unit after a space, as in `3 years`"),
                ));
            }
            let value = digits.parse::<i32>().map_err(|_| {
                error(
                    start,
                    position,
                    format!("{literal} is too large"),
                    Some("whole numbers go up to 2147483647"),
                )
            })?;
            tokens.push((Token::Integer(value), base + start..base + position));
            continue;
        }
        if byte.is_ascii_alphabetic() || byte == b'_' {
            while position < bytes.len() {
                let next = bytes[position];
                let continues_word = next.is_ascii_alphanumeric()
                    || next == b'_'
                    || (next == b'.'
                        && bytes
                            .get(position + 1)
                            .is_some_and(|after| after.is_ascii_alphabetic() || *after == b'_'));
                if !continues_word {
                    break;
                }
                position += 1;
            }
            tokens.push((
                Token::Word(text[start..position].to_string()),
                base + start..base + position,
            ));
            continue;
        }
        if let Some(symbol) = SYMBOLS
            .iter()
            .find(|symbol| text[start..].starts_with(**symbol))
        {
            position += symbol.len();
            tokens.push((Token::Symbol(symbol), base + start..base + position));
            continue;
        }
        let character = text[start..].chars().next().unwrap_or('?');
        let help = match character {
            '=' => Some("compare with `==`"),
            '&' => Some("write `and`"),
            '|' => Some("write `or`"),
            '!' => Some("write `not`"),
            '"' | '\'' => Some("choices are written without quotes, as in `role == spouse`"),
            _ => None,
        };
        return Err(error(
            start,
            start + character.len_utf8(),
            format!("unexpected character `{character}`"),
            help,
        ));
    }
    tokens.push((Token::End, base + text.len()..base + text.len()));
    Ok(tokens)
}

const KEYWORDS: [&str; 10] = [
    "and", "or", "not", "in", "true", "false", "if", "then", "else", "at",
];

/// How tightly an operator binds: `if … then … else …` loosest, then `or`, `and`, `not`,
/// comparisons, `+` and `-`, `*`, and `at`. (A minus sign in front of a value and a unit
/// after it bind tighter still.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Conditional,
    Or,
    And,
    Not,
    Comparison,
    Sum,
    Product,
    At,
}

fn level(op: BinaryOp) -> Level {
    match op {
        BinaryOp::Or => Level::Or,
        BinaryOp::And => Level::And,
        BinaryOp::Add | BinaryOp::Subtract => Level::Sum,
        BinaryOp::Multiply => Level::Product,
        BinaryOp::At => Level::At,
        _ => Level::Comparison,
    }
}

/// What waits, on the parser's own stack, for the operand being read.
enum Pending {
    /// An opening parenthesis.
    Group(Range<usize>),
    /// `if` waiting for its condition.
    If(Range<usize>),
    /// `if CONDITION then` waiting for the value when it holds.
    Then(Range<usize>, Expr),
    /// `if CONDITION then VALUE else` waiting for the value when it does not.
    Else(Range<usize>, Expr, Expr),
    /// A function's name and opening parenthesis, and the arguments read so far.
    Call {
        function: Function,
        name: String,
        name_span: Range<usize>,
        arguments: Vec<Expr>,
    },
    Not(Range<usize>),
    Negate(Range<usize>),
    /// An operator, its span, and its left operand.
    Binary(BinaryOp, Range<usize>, Expr),
}

struct Parser {
    tokens: Vec<(Token, Range<usize>)>,
    position: usize,
}

fn too_deep(span: Range<usize>) -> SyntaxError {
    SyntaxError {
        span,
        message: format!(
            "this expression is too deep: more than {MAX_DEPTH} levels of operators and parentheses"
        ),
        help: Some(
            "each `and`, `or`, `+` or `-` in a chain adds a level, as does each operator \
             around parentheses; give part of it its own computed value or criterion and use \
             that name here"
                .to_string(),
        ),
    }
}

/// Parses `text`, whose first byte is at offset `base` of the rules file.
pub(crate) fn parse(text: &str, base: usize) -> Result<Expr, SyntaxError> {
    let tokens = lex(text, base)?;
    let mut parser = Parser {
        tokens,
        position: 0,
    };
    if parser.peek() == &Token::End {
        return Err(parser.unexpected("a condition or a value"));
    }
    parser.expression()
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.position].0
    }

    fn peek_next(&self) -> Option<&Token> {
        self.tokens.get(self.position + 1).map(|(token, _)| token)
    }

    fn span(&self) -> Range<usize> {
        self.tokens[self.position].1.clone()
    }

    fn advance(&mut self) -> (Token, Range<usize>) {
        let token = self.tokens[self.position].clone();
        if self.position + 1 < self.tokens.len() {
            self.position += 1;
        }
        token
    }

    fn at_symbol(&self, symbol: &str) -> bool {
        matches!(self.peek(), Token::Symbol(found) if *found == symbol)
    }

    fn unexpected(&self, expected: &str) -> SyntaxError {
        SyntaxError {
            span: self.span(),
            message: format!("expected {expected}, found {}", describe(self.peek())),
            help: None,
        }
    }

    fn expect_symbol(&mut self, symbol: &str) -> Result<Range<usize>, SyntaxError> {
        if self.at_symbol(symbol) {
            Ok(self.advance().1)
        } else {
            Err(self.unexpected(&format!("`{symbol}`")))
        }
    }

    /// A node one level above its deepest child (of `child_depth` levels); `at` is where to
    /// point if that is a level too many. Every node is built here or in [`Parser::leaf`].
    fn node(
        kind: ExprKind,
        span: Range<usize>,
        child_depth: usize,
        at: Range<usize>,
    ) -> Result<Expr, SyntaxError> {
        let depth = child_depth + 1;
        if depth > MAX_DEPTH {
            return Err(too_deep(at));
        }
        Ok(Expr { kind, span, depth })
    }

    fn leaf(kind: ExprKind, span: Range<usize>) -> Expr {
        Expr {
            kind,
            span,
            depth: 1,
        }
    }

    fn binary(
        op: BinaryOp,
        left: Expr,
        right: Expr,
        op_span: Range<usize>,
    ) -> Result<Expr, SyntaxError> {
        let span = left.span.start..right.span.end;
        let child_depth = left.depth.max(right.depth);
        let kind = ExprKind::Binary(op, Box::new(left), Box::new(right));
        Self::node(kind, span, child_depth, op_span)
    }

    /// The whole expression, read without recursion: what a recursive-descent parser would
    /// keep in its call stack (open parentheses and calls, operators waiting for their right
    /// operand, `not`s and minus signs waiting for theirs) is kept in `stack`, so input
    /// nested any number of levels costs heap, not the thread's stack.
    ///
    /// The grammar, loosest first:
    ///
    /// ```text
    /// or         = and ("or" and)*
    /// and        = not ("and" not)*
    /// not        = "not" not | comparison
    /// comparison = sum (("==" | "!=" | "<" | "<=" | ">" | ">=") sum | "in" "[" ids "]")?
    /// sum        = duration (("+" | "-") duration)*
    /// duration   = primary unit?
    /// primary    = "-" primary | "(" or ")" | ("min" | "max") "(" or ("," or)* ")" | literal | name
    /// ```
    fn expression(&mut self) -> Result<Expr, SyntaxError> {
        let mut stack: Vec<Pending> = Vec::new();
        loop {
            let mut operand = self.operand(&mut stack)?;
            // `a in [..]` ends its comparison: only `and`, `or` or a closing may follow.
            let mut comparison_closed = false;
            loop {
                if !comparison_closed {
                    operand = self.finish_primary(operand, &mut stack)?;
                }
                let (token, span) = (self.peek().clone(), self.span());
                let op = match &token {
                    Token::Symbol("+") => Some(BinaryOp::Add),
                    Token::Symbol("-") => Some(BinaryOp::Subtract),
                    Token::Symbol("*") => Some(BinaryOp::Multiply),
                    Token::Word(word) if word == "at" => Some(BinaryOp::At),
                    Token::Symbol("==") => Some(BinaryOp::Equal),
                    Token::Symbol("!=") => Some(BinaryOp::NotEqual),
                    Token::Symbol("<") => Some(BinaryOp::Less),
                    Token::Symbol("<=") => Some(BinaryOp::LessOrEqual),
                    Token::Symbol(">") => Some(BinaryOp::Greater),
                    Token::Symbol(">=") => Some(BinaryOp::GreaterOrEqual),
                    Token::Word(word) if word == "and" => Some(BinaryOp::And),
                    Token::Word(word) if word == "or" => Some(BinaryOp::Or),
                    _ => None,
                };
                if let Some(op) = op {
                    let op_level = level(op);
                    if comparison_closed && op_level > Level::And {
                        return Err(self.misplaced(&stack));
                    }
                    // Before a comparison apply only `+` and `-`: a comparison still waiting
                    // for its right side means this one would chain onto it.
                    let reduce_to = if op_level == Level::Comparison {
                        Level::Sum
                    } else {
                        op_level
                    };
                    operand = Self::reduce(&mut stack, operand, reduce_to)?;
                    if op_level == Level::Comparison && Self::comparison_pending(&stack) {
                        return Err(SyntaxError {
                            span,
                            message: "comparisons cannot be chained".to_string(),
                            help: Some("join two comparisons with `and`".to_string()),
                        });
                    }
                    self.advance();
                    stack.push(Pending::Binary(op, span, operand));
                    break;
                }
                match token {
                    Token::Word(word) if word == "in" => {
                        if comparison_closed {
                            return Err(self.misplaced(&stack));
                        }
                        operand = Self::reduce(&mut stack, operand, Level::Sum)?;
                        if Self::comparison_pending(&stack) {
                            return Err(self.misplaced(&stack));
                        }
                        operand = self.choices(operand)?;
                        comparison_closed = true;
                    }
                    Token::Word(word) if word == "then" => {
                        operand = Self::reduce(&mut stack, operand, Level::Conditional)?;
                        let Some(Pending::If(_)) = stack.last() else {
                            return Err(self.misplaced(&stack));
                        };
                        let Some(Pending::If(if_span)) = stack.pop() else {
                            unreachable!("the top of the stack was an `if`");
                        };
                        self.advance();
                        stack.push(Pending::Then(if_span, operand));
                        break;
                    }
                    Token::Word(word) if word == "else" => {
                        operand = Self::reduce(&mut stack, operand, Level::Conditional)?;
                        let Some(Pending::Then(..)) = stack.last() else {
                            return Err(self.misplaced(&stack));
                        };
                        let Some(Pending::Then(if_span, condition)) = stack.pop() else {
                            unreachable!("the top of the stack was a `then`");
                        };
                        self.advance();
                        stack.push(Pending::Else(if_span, condition, operand));
                        break;
                    }
                    Token::Symbol(",") => {
                        operand = Self::reduce(&mut stack, operand, Level::Conditional)?;
                        let Some(Pending::Call { arguments, .. }) = stack.last_mut() else {
                            return Err(self.misplaced(&stack));
                        };
                        arguments.push(operand);
                        self.advance();
                        break;
                    }
                    Token::Symbol(")") => {
                        operand = Self::reduce(&mut stack, operand, Level::Conditional)?;
                        let close = match stack.last() {
                            Some(Pending::Group(_) | Pending::Call { .. }) => self.advance().1,
                            _ => return Err(self.misplaced(&stack)),
                        };
                        operand = match stack.pop() {
                            Some(Pending::Group(open)) => Expr {
                                span: open.start..close.end,
                                ..operand
                            },
                            Some(Pending::Call {
                                function,
                                name,
                                name_span,
                                mut arguments,
                            }) => {
                                arguments.push(operand);
                                Self::call(function, &name, name_span, arguments, close)?
                            }
                            _ => unreachable!("the top of the stack was a group or a call"),
                        };
                        comparison_closed = false;
                    }
                    Token::End => {
                        operand = Self::reduce(&mut stack, operand, Level::Conditional)?;
                        if stack.is_empty() {
                            return Ok(operand);
                        }
                        return Err(self.misplaced(&stack));
                    }
                    _ => return Err(self.misplaced(&stack)),
                }
            }
        }
    }

    /// Reads up to and including the next literal or name: the `not`s, minus signs,
    /// parentheses and calls before it go onto `stack`.
    fn operand(&mut self, stack: &mut Vec<Pending>) -> Result<Expr, SyntaxError> {
        loop {
            // `not` starts a condition: after `and`, `or`, `not`, an opening or the start.
            let may_negate_condition = matches!(
                stack.last(),
                None | Some(
                    Pending::Group(_)
                        | Pending::Call { .. }
                        | Pending::If(_)
                        | Pending::Then(..)
                        | Pending::Else(..)
                        | Pending::Not(_)
                        | Pending::Binary(BinaryOp::And | BinaryOp::Or, _, _)
                )
            );
            let span = self.span();
            match self.peek().clone() {
                Token::Word(word) if word == "not" && may_negate_condition => {
                    self.advance();
                    stack.push(Pending::Not(span));
                }
                Token::Symbol("-") => {
                    self.advance();
                    stack.push(Pending::Negate(span));
                }
                Token::Symbol("(") => {
                    self.advance();
                    stack.push(Pending::Group(span));
                }
                Token::Word(word) if word == "if" => {
                    self.advance();
                    stack.push(Pending::If(span));
                }
                Token::Word(word)
                    if word != "true"
                        && word != "false"
                        && self.peek_next() == Some(&Token::Symbol("(")) =>
                {
                    let Some(function) = Function::ALL
                        .into_iter()
                        .find(|function| function.name() == word)
                    else {
                        let names = Function::ALL.map(Function::name);
                        return Err(SyntaxError {
                            span,
                            message: format!("unknown function `{word}`"),
                            help: Some(
                                crate::diagnostic::did_you_mean(&word, names).unwrap_or_else(
                                    || format!("the functions are {}", names.join(", ")),
                                ),
                            ),
                        });
                    };
                    self.advance();
                    self.advance();
                    stack.push(Pending::Call {
                        function,
                        name: word,
                        name_span: span,
                        arguments: Vec::new(),
                    });
                }
                _ => return self.atom(),
            }
        }
    }

    /// A literal or a name.
    fn atom(&mut self) -> Result<Expr, SyntaxError> {
        let span = self.span();
        let kind = match self.peek().clone() {
            Token::Integer(value) => ExprKind::Integer(value),
            Token::Date(date) => ExprKind::Date(date),
            Token::Word(word) => match word.as_str() {
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                _ if KEYWORDS.contains(&word.as_str()) || Unit::from_word(&word).is_some() => {
                    return Err(self.unexpected("a value"));
                }
                _ => match word.strip_prefix("facts.") {
                    Some(fact) => ExprKind::Fact(fact.to_string()),
                    None if word.contains('.') => return Err(SyntaxError {
                        span,
                        message: format!("`{word}` is not a name"),
                        help: Some(
                            "facts are written `facts.NAMESPACE.NAME`; other names have no dots"
                                .to_string(),
                        ),
                    }),
                    None => ExprKind::Name(word),
                },
            },
            Token::Symbol(_) | Token::End => return Err(self.unexpected("a value")),
        };
        self.advance();
        Ok(Self::leaf(kind, span))
    }

    /// Applies the minus signs waiting for `operand`, then a unit after it.
    fn finish_primary(
        &mut self,
        mut operand: Expr,
        stack: &mut Vec<Pending>,
    ) -> Result<Expr, SyntaxError> {
        while let Some(Pending::Negate(_)) = stack.last() {
            let Some(Pending::Negate(minus)) = stack.pop() else {
                unreachable!("the top of the stack was a minus sign");
            };
            let span = minus.start..operand.span.end;
            let child_depth = operand.depth;
            operand = Self::node(
                ExprKind::Negate(Box::new(operand)),
                span,
                child_depth,
                minus,
            )?;
        }
        if let Token::Word(word) = self.peek() {
            if let Some(unit) = Unit::from_word(word) {
                let unit_span = self.advance().1;
                let span = operand.span.start..unit_span.end;
                let child_depth = operand.depth;
                return Self::node(
                    ExprKind::Duration(Box::new(operand), unit),
                    span,
                    child_depth,
                    unit_span,
                );
            }
        }
        Ok(operand)
    }

    /// Applies the operators and `not`s waiting on `stack` that bind at least as tightly as
    /// `level` (all operators group from the left) to `operand`, up to the innermost opening.
    fn reduce(
        stack: &mut Vec<Pending>,
        mut operand: Expr,
        level: Level,
    ) -> Result<Expr, SyntaxError> {
        loop {
            match stack.last() {
                Some(Pending::Binary(op, _, _)) if self::level(*op) >= level => {
                    let Some(Pending::Binary(op, op_span, left)) = stack.pop() else {
                        unreachable!("the top of the stack was an operator");
                    };
                    operand = Self::binary(op, left, operand, op_span)?;
                }
                Some(Pending::Else(..)) if Level::Conditional >= level => {
                    let Some(Pending::Else(if_span, condition, then)) = stack.pop() else {
                        unreachable!("the top of the stack was an `else`");
                    };
                    let span = if_span.start..operand.span.end;
                    let child_depth = condition.depth.max(then.depth).max(operand.depth);
                    let kind = ExprKind::If(Box::new(condition), Box::new(then), Box::new(operand));
                    operand = Self::node(kind, span, child_depth, if_span)?;
                }
                Some(Pending::Not(_)) if Level::Not >= level => {
                    let Some(Pending::Not(not)) = stack.pop() else {
                        unreachable!("the top of the stack was a `not`");
                    };
                    let span = not.start..operand.span.end;
                    let child_depth = operand.depth;
                    operand = Self::node(ExprKind::Not(Box::new(operand)), span, child_depth, not)?;
                }
                _ => return Ok(operand),
            }
        }
    }

    /// Whether a comparison waits for its right side (`+` and `-` already applied).
    fn comparison_pending(stack: &[Pending]) -> bool {
        matches!(stack.last(), Some(Pending::Binary(op, _, _)) if level(*op) == Level::Comparison)
    }

    /// A token that cannot come next: say what could.
    fn misplaced(&self, stack: &[Pending]) -> SyntaxError {
        let innermost = stack.iter().rev().find(|pending| {
            matches!(
                pending,
                Pending::Group(_) | Pending::Call { .. } | Pending::If(_) | Pending::Then(..)
            )
        });
        match innermost {
            Some(Pending::Group(_) | Pending::Call { .. }) => return self.unexpected("`)`"),
            Some(Pending::If(_)) => return self.unexpected("`then`"),
            Some(Pending::Then(..)) => return self.unexpected("`else`"),
            _ => {}
        }
        let mut error = self.unexpected("`and`, `or` or the end");
        if matches!(
            self.peek(),
            Token::Word(_) | Token::Integer(_) | Token::Date(_)
        ) {
            error.help = Some("join conditions with `and` or `or`".to_string());
        }
        error
    }

    /// `in [a, b, ...]` after `subject`, from the `in`.
    fn choices(&mut self, subject: Expr) -> Result<Expr, SyntaxError> {
        self.advance();
        self.expect_symbol("[")?;
        let mut choices = Vec::new();
        loop {
            if self.at_symbol("]") && !choices.is_empty() {
                break;
            }
            match self.peek().clone() {
                Token::Word(word) if !KEYWORDS.contains(&word.as_str()) => {
                    choices.push((word, self.advance().1));
                }
                _ => return Err(self.unexpected("a choice id")),
            }
            if !self.at_symbol(",") {
                break;
            }
            self.advance();
        }
        let end_span = self.expect_symbol("]")?;
        let span = subject.span.start..end_span.end;
        let child_depth = subject.depth;
        Self::node(
            ExprKind::In(Box::new(subject), choices),
            span,
            child_depth,
            end_span,
        )
    }

    fn call(
        function: Function,
        name: &str,
        name_span: Range<usize>,
        arguments: Vec<Expr>,
        close: Range<usize>,
    ) -> Result<Expr, SyntaxError> {
        let span = name_span.start..close.end;
        let (least, most) = function.arity();
        if arguments.len() < least || arguments.len() > most {
            return Err(SyntaxError {
                span,
                message: format!("`{name}` takes {}", function.usage()),
                help: None,
            });
        }
        let child_depth = arguments.iter().map(|argument| argument.depth).max();
        Self::node(
            ExprKind::Call(function, arguments),
            span,
            child_depth.unwrap_or(0),
            name_span,
        )
    }
}

mod placeholders;
pub(crate) use placeholders::{split_placeholders, TextPart};

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
