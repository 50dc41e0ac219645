//! Lexer and recursive-descent parser for conditions and computed values.
//!
//! Spans are byte offsets into the whole rules file: the parser is handed the
//! offset at which the expression's text starts inside its TOML string.

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
}

pub(crate) const FUNCTION_NAMES: [&str; 2] = ["min", "max"];

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Expr {
    pub(crate) kind: ExprKind,
    pub(crate) span: Range<usize>,
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

const SYMBOLS: [&str; 13] = [
    "==", "!=", "<=", ">=", "<", ">", "+", "-", "(", ")", "[", "]", ",",
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

const KEYWORDS: [&str; 6] = ["and", "or", "not", "in", "true", "false"];

struct Parser {
    tokens: Vec<(Token, Range<usize>)>,
    position: usize,
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
    let expr = parser.or()?;
    if parser.peek() != &Token::End {
        let help = match parser.peek() {
            Token::Word(_) | Token::Integer(_) | Token::Date(_) => {
                Some("join conditions with `and` or `or`".to_string())
            }
            _ => None,
        };
        let mut error = parser.unexpected("`and`, `or` or the end");
        error.help = help;
        return Err(error);
    }
    Ok(expr)
}

impl Parser {
    fn peek(&self) -> &Token {
        &self.tokens[self.position].0
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

    fn at_word(&self, word: &str) -> bool {
        matches!(self.peek(), Token::Word(found) if found == word)
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

    fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
        let span = left.span.start..right.span.end;
        Expr {
            kind: ExprKind::Binary(op, Box::new(left), Box::new(right)),
            span,
        }
    }

    fn or(&mut self) -> Result<Expr, SyntaxError> {
        let mut left = self.and()?;
        while self.at_word("or") {
            self.advance();
            let right = self.and()?;
            left = Self::binary(BinaryOp::Or, left, right);
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, SyntaxError> {
        let mut left = self.not()?;
        while self.at_word("and") {
            self.advance();
            let right = self.not()?;
            left = Self::binary(BinaryOp::And, left, right);
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, SyntaxError> {
        if self.at_word("not") {
            let start = self.advance().1.start;
            let operand = self.not()?;
            let span = start..operand.span.end;
            return Ok(Expr {
                kind: ExprKind::Not(Box::new(operand)),
                span,
            });
        }
        self.comparison()
    }

    fn comparison_op(&self) -> Option<BinaryOp> {
        match self.peek() {
            Token::Symbol("==") => Some(BinaryOp::Equal),
            Token::Symbol("!=") => Some(BinaryOp::NotEqual),
            Token::Symbol("<") => Some(BinaryOp::Less),
            Token::Symbol("<=") => Some(BinaryOp::LessOrEqual),
            Token::Symbol(">") => Some(BinaryOp::Greater),
            Token::Symbol(">=") => Some(BinaryOp::GreaterOrEqual),
            _ => None,
        }
    }

    fn comparison(&mut self) -> Result<Expr, SyntaxError> {
        let left = self.sum()?;
        if self.at_word("in") {
            self.advance();
            self.expect_symbol("[")?;
            let mut choices = Vec::new();
            loop {
                if self.at_symbol("]") && !choices.is_empty() {
                    break;
                }
                match self.advance() {
                    (Token::Word(word), span) if !KEYWORDS.contains(&word.as_str()) => {
                        choices.push((word, span))
                    }
                    _ => {
                        self.position -= 1;
                        return Err(self.unexpected("a choice id"));
                    }
                }
                if !self.at_symbol(",") {
                    break;
                }
                self.advance();
            }
            let end = self.expect_symbol("]")?.end;
            let span = left.span.start..end;
            return Ok(Expr {
                kind: ExprKind::In(Box::new(left), choices),
                span,
            });
        }
        let Some(op) = self.comparison_op() else {
            return Ok(left);
        };
        self.advance();
        let right = self.sum()?;
        if self.comparison_op().is_some() {
            return Err(SyntaxError {
                span: self.span(),
                message: "comparisons cannot be chained".to_string(),
                help: Some("join two comparisons with `and`".to_string()),
            });
        }
        Ok(Self::binary(op, left, right))
    }

    fn sum(&mut self) -> Result<Expr, SyntaxError> {
        let mut left = self.duration()?;
        loop {
            let op = match self.peek() {
                Token::Symbol("+") => BinaryOp::Add,
                Token::Symbol("-") => BinaryOp::Subtract,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.duration()?;
            left = Self::binary(op, left, right);
        }
    }

    fn duration(&mut self) -> Result<Expr, SyntaxError> {
        let amount = self.primary()?;
        if let Token::Word(word) = self.peek() {
            if let Some(unit) = Unit::from_word(word) {
                let end = self.advance().1.end;
                let span = amount.span.start..end;
                return Ok(Expr {
                    kind: ExprKind::Duration(Box::new(amount), unit),
                    span,
                });
            }
        }
        Ok(amount)
    }

    fn primary(&mut self) -> Result<Expr, SyntaxError> {
        let (token, span) = self.advance();
        let kind = match token {
            Token::Integer(value) => ExprKind::Integer(value),
            Token::Date(date) => ExprKind::Date(date),
            Token::Symbol("-") => {
                let operand = self.primary()?;
                let span = span.start..operand.span.end;
                return Ok(Expr {
                    kind: ExprKind::Negate(Box::new(operand)),
                    span,
                });
            }
            Token::Symbol("(") => {
                let inner = self.or()?;
                let end = self.expect_symbol(")")?.end;
                return Ok(Expr {
                    kind: inner.kind,
                    span: span.start..end,
                });
            }
            Token::Word(word) => match word.as_str() {
                "true" => ExprKind::Bool(true),
                "false" => ExprKind::Bool(false),
                _ if self.at_symbol("(") => return self.call(word, span),
                _ if KEYWORDS.contains(&word.as_str()) || Unit::from_word(&word).is_some() => {
                    self.position -= 1;
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
            Token::Symbol(_) | Token::End => {
                self.position = self.position.saturating_sub(1);
                if matches!(token, Token::End) {
                    self.position = self.tokens.len() - 1;
                }
                return Err(self.unexpected("a value"));
            }
        };
        Ok(Expr { kind, span })
    }

    fn call(&mut self, name: String, name_span: Range<usize>) -> Result<Expr, SyntaxError> {
        let function = match name.as_str() {
            "min" => Function::Min,
            "max" => Function::Max,
            _ => {
                return Err(SyntaxError {
                    span: name_span,
                    message: format!("unknown function `{name}`"),
                    help: Some(
                        crate::diagnostic::did_you_mean(&name, FUNCTION_NAMES)
                            .unwrap_or_else(|| "the functions are `min` and `max`".to_string()),
                    ),
                })
            }
        };
        self.expect_symbol("(")?;
        let mut arguments = vec![self.or()?];
        while self.at_symbol(",") {
            self.advance();
            arguments.push(self.or()?);
        }
        let end = self.expect_symbol(")")?.end;
        if arguments.len() < 2 {
            return Err(SyntaxError {
                span: name_span.start..end,
                message: format!("`{name}` needs at least two values"),
                help: None,
            });
        }
        Ok(Expr {
            kind: ExprKind::Call(function, arguments),
            span: name_span.start..end,
        })
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
                let name = match function {
                    Function::Min => "min",
                    Function::Max => "max",
                };
                let arguments: Vec<String> = arguments.iter().map(shape).collect();
                format!("{name}({})", arguments.join(", "))
            }
            ExprKind::Duration(amount, unit) => format!("({} {})", shape(amount), unit.word()),
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
        assert_eq!(error("min(a)").message, "`min` needs at least two values");
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
}
