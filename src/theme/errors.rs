//! Where a template error is. Tera's syntax errors carry a line and column; its render
//! errors carry none (its syntax tree keeps no positions), so an unknown filter, test,
//! function or template is found by searching the templates for its name where the syntax
//! would use it.

use std::path::Path;
use std::sync::Arc;

use super::Theme;
use crate::diagnostics::Diagnostic;

impl Theme {
    /// A render error, pointed at the line of the template that most likely caused it.
    pub fn render_error(
        &self,
        error: &tera::Error,
        template: &str,
        page_file: &Path,
    ) -> Diagnostic {
        let chain = causes(error);
        let innermost = chain.last().cloned().unwrap_or_else(|| error.to_string());
        let named =
            quoted_between(&innermost, '\'').filter(|name| self.sources.contains_key(*name));
        let rendering = named.unwrap_or(template);
        // Tera names the template it was rendering, not the parent or partial that holds the
        // mistake: look for the culprit there first, then in every other template.
        let candidates = || {
            std::iter::once(rendering).chain(
                self.sources
                    .keys()
                    .map(String::as_str)
                    .filter(move |name| *name != rendering),
            )
        };
        let in_templates = |find: &dyn Fn(&str) -> Option<std::ops::Range<usize>>| {
            candidates().find_map(|name| {
                let (_, text) = self.sources.get(name)?;
                find(text).map(|span| (name, span))
            })
        };
        // A macro stopped by the stack guard names itself and its template. Otherwise, as
        // Tera's AST keeps no positions, an unknown filter, test, function or template is
        // found by searching the templates for its name where the syntax would use it.
        let runaway = super::macros::RunawayMacro::behind(error);
        let culprit = match (runaway, unknown_name(error)) {
            (Some(runaway), _) => self
                .sources
                .get_key_value(&runaway.template)
                .map(|(name, (_, text))| (name.as_str(), runaway.span(text))),
            (None, Some((use_of, name))) => in_templates(&|text| find_use(text, use_of, &name)),
            (None, None) => quoted_between(&innermost, '`')
                .and_then(|needle| in_templates(&|text| find_literal(text, needle))),
        };
        let at = culprit.as_ref().map_or(rendering, |(name, _)| name);
        let message = format!(
            "template `{at}` failed while rendering {}",
            page_file.display()
        );
        let diagnostic = match (self.sources.get(at), culprit) {
            (Some((shown, text)), Some((_, span))) => Diagnostic::at(shown, text, span, message),
            (Some((shown, _)), None) => Diagnostic::new(shown, message),
            (None, _) => Diagnostic::new(page_file, message),
        };
        match runaway {
            Some(_) => diagnostic
                .with_causes(chain)
                .with_help(super::macros::RUNAWAY_HELP),
            None => diagnostic.with_causes(chain),
        }
    }
}

/// The error and its sources, outermost first. For a macro stopped before the stack ran out,
/// the outermost and the macro's own: Tera's links between them (the guard function's call
/// that failed) say nothing to the author.
pub fn causes(error: &tera::Error) -> Vec<String> {
    if let Some(runaway) = super::macros::RunawayMacro::behind(error) {
        return vec![error.to_string(), runaway.to_string()];
    }
    error_chain(error)
}

/// Any error and its sources, outermost first.
pub fn error_chain(error: &dyn std::error::Error) -> Vec<String> {
    let mut chain = vec![error.to_string()];
    let mut current = error.source();
    while let Some(cause) = current {
        chain.push(cause.to_string());
        current = cause.source();
    }
    chain
}

fn find_literal(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    let tags = tags(text);
    text.match_indices(needle)
        .map(|(at, _)| at)
        .find(|at| in_tags(&tags, *at))
        .map(|at| at..at + needle.len())
}

/// Where `text` has template code: each `{{ ... }}` and `{% ... %}`, in order. A comment
/// (`{# ... #}`), the page's text around the tags and a `{% raw %}` block are not code, so a
/// name found there is not where the template used it.
fn tags(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut tags = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('{').map(|at| from + at) {
        let close = match text.as_bytes().get(open + 1) {
            Some(b'{') => "}}",
            Some(b'%') => "%}",
            Some(b'#') => "#}",
            _ => {
                from = open + 1;
                continue;
            }
        };
        let end = text[open + 2..]
            .find(close)
            .map_or(text.len(), |at| open + 2 + at + close.len());
        if close == "#}" {
            from = end;
            continue;
        }
        let tag = &text[open..end];
        tags.push(open..end);
        let inner = tag.trim_matches(|c: char| "{}%-".contains(c) || c.is_whitespace());
        from = if inner == "raw" {
            // Up to the `{% endraw %}`, which is code again.
            text[end..]
                .find("endraw")
                .and_then(|at| text[..end + at].rfind("{%"))
                .unwrap_or(text.len())
        } else {
            end
        };
    }
    tags
}

fn in_tags(tags: &[std::ops::Range<usize>], at: usize) -> bool {
    let after = tags.partition_point(|tag| tag.start <= at);
    after > 0 && tags[after - 1].contains(&at)
}

/// How a template uses a name Tera could not resolve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UseOf {
    /// `value | name`, `{% filter name %}`.
    Filter,
    /// `value is name`, `value is not name`.
    Test,
    /// `name(...)`.
    Function,
    /// `{% include "name" %}`, `{% extends "name" %}`, `{% import "name" as x %}`.
    Template,
}

/// The unknown filter, test, function or template behind a render error, if that is its cause.
fn unknown_name(error: &tera::Error) -> Option<(UseOf, String)> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(cause) = current {
        if let Some(error) = cause.downcast_ref::<tera::Error>() {
            let found = match &error.kind {
                tera::ErrorKind::FilterNotFound(name) => Some((UseOf::Filter, name)),
                tera::ErrorKind::TestNotFound(name) => Some((UseOf::Test, name)),
                tera::ErrorKind::FunctionNotFound(name) => Some((UseOf::Function, name)),
                tera::ErrorKind::TemplateNotFound(name) => Some((UseOf::Template, name)),
                _ => None,
            };
            if let Some((use_of, name)) = found {
                // An include names the templates it tried as `[first, second]`: the first
                // is the one written first.
                let name = match name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
                    Some(list) if use_of == UseOf::Template => {
                        list.split(", ").next().unwrap_or(list)
                    }
                    _ => name,
                };
                return Some((use_of, name.to_string()));
            }
        }
        current = cause.source();
    }
    None
}

/// The first place `text` uses `name` as `use_of`, skipping the name where it means something
/// else (a variable, a word of the page's text).
fn find_use(text: &str, use_of: UseOf, name: &str) -> Option<std::ops::Range<usize>> {
    let is_name_char = |c: char| c.is_alphanumeric() || c == '_';
    let tags = tags(text);
    text.match_indices(name).map(|(at, _)| at).find_map(|at| {
        if !in_tags(&tags, at) {
            return None;
        }
        let end = at + name.len();
        let (before, after) = (&text[..at], &text[end..]);
        let whole_word = !before.ends_with(is_name_char) && !after.starts_with(is_name_char);
        let word_before = before.trim_end();
        let fits = match use_of {
            UseOf::Template => {
                let quote = before.chars().next_back();
                matches!(quote, Some('"' | '\'' | '`')) && after.starts_with(quote?)
            }
            UseOf::Filter => {
                whole_word
                    && (word_before.ends_with('|')
                        || word_before
                            .strip_suffix("filter")
                            .is_some_and(|rest| rest.trim_end().ends_with("{%")))
            }
            UseOf::Test => {
                let word_before = word_before
                    .strip_suffix("not")
                    .map_or(word_before, str::trim_end);
                whole_word
                    && word_before
                        .strip_suffix("is")
                        .is_some_and(|rest| rest.ends_with(char::is_whitespace))
            }
            UseOf::Function => {
                whole_word
                    && !word_before.ends_with(['.', ':'])
                    && after.trim_start().starts_with('(')
            }
        };
        fits.then_some(at..end)
    })
}

fn quoted_between(text: &str, quote: char) -> Option<&str> {
    let start = text.find(quote)? + quote.len_utf8();
    let end = text[start..].find(quote)? + start;
    Some(&text[start..end])
}

/// A template syntax error: Tera's parser reports ` --> line:column`; point the snippet there.
pub(super) fn template_diagnostic(
    error: &tera::Error,
    shown: &Path,
    text: &Arc<str>,
) -> Diagnostic {
    let chain = causes(error);
    let position = chain.iter().find_map(|message| {
        let after = &message[message.find("--> ")? + 4..];
        let end = after
            .find(|c: char| !(c.is_ascii_digit() || c == ':'))
            .unwrap_or(after.len());
        let (line, column) = after[..end].split_once(':')?;
        Some((line.parse::<usize>().ok()?, column.parse::<usize>().ok()?))
    });
    let message = "template syntax error".to_string();
    let diagnostic = match position.and_then(|(line, column)| offset_of(text, line, column)) {
        Some(offset) => Diagnostic::at(shown, text, offset..offset + 1, message),
        None => Diagnostic::new(shown, message),
    };
    // The parser's own message repeats the snippet shown above; keep only what it expected.
    let chain = chain
        .into_iter()
        .map(|cause| match cause.find(" --> ") {
            Some(_) => cause
                .lines()
                .filter_map(|line| line.trim_start().strip_prefix("= "))
                .collect::<Vec<_>>()
                .join("; "),
            None => cause,
        })
        .filter(|cause| !cause.is_empty())
        .collect();
    diagnostic
        .with_causes(chain)
        .with_help("see Tera's documentation for the template syntax")
}

fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let line_start = if line <= 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2)?.0 + 1
    };
    let column_offset = text[line_start..]
        .chars()
        .take(column.saturating_sub(1))
        .map(char::len_utf8)
        .sum::<usize>();
    Some(line_start + column_offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_in_a_comment_or_in_the_text_is_not_where_the_template_uses_it() {
        let text = "{# shows the title | shout, or is shouting #}\n<p>is shouting | shout</p>\n\
                    {{ page.title | shout }}{% if x is shouting %}!{% endif %}{{ page.nme }}";
        let at = |range: Option<std::ops::Range<usize>>| range.map(|range| &text[range.start..]);
        assert!(at(find_use(text, UseOf::Filter, "shout"))
            .is_some_and(|rest| rest.starts_with("shout }}")));
        assert!(at(find_use(text, UseOf::Test, "shouting"))
            .is_some_and(|rest| rest.starts_with("shouting %}")));
        let commented = "{# page.nme was page.name #}{{ page.nme }}";
        assert_eq!(find_literal(commented, "page.nme"), Some(31..39));
        assert_eq!(find_literal("{# page.nme #}", "page.nme"), None);
        let raw = "{% raw %}{{ x | shout }}{% endraw %}{{ y | shout }}";
        assert_eq!(find_use(raw, UseOf::Filter, "shout"), Some(43..48));
    }

    #[test]
    fn offsets_from_line_and_column() {
        let text = "ab\ncdé\nf";
        assert_eq!(offset_of(text, 1, 1), Some(0));
        assert_eq!(offset_of(text, 2, 3), Some(5));
        assert_eq!(offset_of(text, 3, 1), Some(text.len() - 1));
    }
}
