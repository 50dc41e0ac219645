//! The lexer: an expression's text as words, numbers, dates and symbols, each with its
//! span in the rules file.

use std::ops::Range;

use super::SyntaxError;
use crate::date::Date;

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Token {
    Word(String),
    Integer(i32),
    Date(Date),
    Symbol(&'static str),
    End,
}

const SYMBOLS: [&str; 14] = [
    "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "(", ")", "[", "]", ",",
];

pub(super) fn describe(token: &Token) -> String {
    match token {
        Token::Word(word) => format!("`{word}`"),
        Token::Integer(value) => format!("the number {value}"),
        Token::Date(date) => format!("the date {date}"),
        Token::Symbol(symbol) => format!("`{symbol}`"),
        Token::End => "the end of the expression".to_string(),
    }
}

/// The tokens of `text`, whose first byte is at offset `base` of the rules file, each with
/// its span; the last is [`Token::End`].
pub(super) fn lex(text: &str, base: usize) -> Result<Vec<(Token, Range<usize>)>, SyntaxError> {
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
