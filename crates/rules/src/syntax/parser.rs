//! The parser: tokens to an [`Expr`] tree, with what is still to finish kept on a stack of
//! its own (see the crate's `syntax` module).

use std::ops::Range;

use super::lex::{describe, lex, Token};
use super::{BinaryOp, Expr, ExprKind, Function, SyntaxError, Unit, MAX_DEPTH};

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
