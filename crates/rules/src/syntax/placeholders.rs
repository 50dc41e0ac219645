//! Placeholders in texts: `{value_id}`, `{facts.ns.name}`, and a question's `{min}` and
//! `{max}`, with `{{` and `}}` standing for literal braces. What a placeholder names is checked
//! elsewhere; this only finds them.

use std::ops::Range;

use super::SyntaxError;

/// A piece of a text, in the order written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum TextPart<'t> {
    Literal(String),
    Placeholder {
        /// What is between the braces, without surrounding spaces.
        name: &'t str,
        /// The braces and everything between them, as offsets into the file.
        span: Range<usize>,
    },
}

/// Splits `text`, whose first byte is at offset `base` of the rules file, into
/// literal text and placeholders. A `}` without `{` is left out and reported;
/// a `{` that is never closed is reported and ends the text there.
pub(crate) fn split_placeholders(text: &str, base: usize) -> (Vec<TextPart<'_>>, Vec<SyntaxError>) {
    let mut parts = Vec::new();
    let mut errors = Vec::new();
    let mut literal = String::new();
    let mut rest = text.char_indices().peekable();
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
                let Some(length) = text[offset + 1..].find('}') else {
                    errors.push(SyntaxError {
                        span: base + offset..base + offset + 1,
                        message: "`{` is never closed".to_string(),
                        help: Some("write `{{` for a brace".to_string()),
                    });
                    break;
                };
                while rest
                    .peek()
                    .is_some_and(|(next, _)| *next <= offset + length + 1)
                {
                    rest.next();
                }
                if !literal.is_empty() {
                    parts.push(TextPart::Literal(std::mem::take(&mut literal)));
                }
                parts.push(TextPart::Placeholder {
                    name: text[offset + 1..offset + 1 + length].trim(),
                    span: base + offset..base + offset + length + 2,
                });
            }
            '}' => errors.push(SyntaxError {
                span: base + offset..base + offset + 1,
                message: "`}` without `{`".to_string(),
                help: Some("write `}}` for a brace".to_string()),
            }),
            _ => literal.push(character),
        }
    }
    if !literal.is_empty() {
        parts.push(TextPart::Literal(literal));
    }
    (parts, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn literal(text: &str) -> TextPart<'_> {
        TextPart::Literal(text.to_string())
    }

    #[test]
    fn placeholders_are_split_from_literal_text_with_their_spans() {
        let (parts, errors) = split_placeholders("Ends {ends_on}, { facts.h1b.cap }!", 100);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(
            parts,
            [
                literal("Ends "),
                TextPart::Placeholder {
                    name: "ends_on",
                    span: 105..114,
                },
                literal(", "),
                TextPart::Placeholder {
                    name: "facts.h1b.cap",
                    span: 116..133,
                },
                literal("!"),
            ]
        );
    }

    #[test]
    fn doubled_braces_are_literal_braces() {
        let (parts, errors) = split_placeholders("{{x}} and }}{{", 0);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(parts, [literal("{x} and }{")]);
    }

    #[test]
    fn stray_and_unclosed_braces_are_reported_where_they_are() {
        let (parts, errors) = split_placeholders("a } b { c", 10);
        assert_eq!(parts, [literal("a  b ")]);
        let found: Vec<(Range<usize>, &str)> = errors
            .iter()
            .map(|error| (error.span.clone(), error.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [(12..13, "`}` without `{`"), (16..17, "`{` is never closed")]
        );
        assert_eq!(errors[0].help.as_deref(), Some("write `}}` for a brace"));
        assert_eq!(errors[1].help.as_deref(), Some("write `{{` for a brace"));
    }
}
