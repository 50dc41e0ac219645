//! The graph of templates that include, extend and import each other, whose circles are
//! errors before anything renders.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use crate::diagnostics::{Diagnostic, Diagnostics};

/// The templates a template names in `{% include %}`, `{% extends %}` and `{% import %}` tags,
/// each with the span of its quoted name, in the order they appear. A scan of the text is
/// enough: only tags matter, and comments and `{% raw %}` blocks are skipped.
fn template_references(text: &str) -> Vec<(String, Range<usize>)> {
    tagged_references(text, &["include", "extends", "import"])
}

/// Each `{% extends %}` or `{% import %}` naming a template that is not among `sources`, as an
/// error at the name: Tera only says which template it missed, not where it was named.
pub(super) fn missing_templates(sources: &BTreeMap<String, (PathBuf, Arc<str>)>) -> Diagnostics {
    let mut found = Diagnostics::default();
    for (name, (shown, text)) in sources {
        for (missing, span) in tagged_references(text, &["extends", "import"]) {
            if !sources.contains_key(&missing) {
                found.push(
                    Diagnostic::at(
                        shown.clone(),
                        text,
                        span,
                        format!("`{name}` names the template `{missing}`, which the theme does not have"),
                    )
                    .with_help("name a template of the theme's templates/ folder, or of the site's"),
                );
            }
        }
    }
    found
}

/// The templates named in tags whose keyword is one of `keywords`, with their spans.
fn tagged_references(text: &str, keywords: &[&str]) -> Vec<(String, Range<usize>)> {
    let bytes = text.as_bytes();
    let mut references = Vec::new();
    let mut position = 0;
    while let Some(found) = text[position..].find('{') {
        let start = position + found;
        position = start + 1;
        match bytes.get(start + 1) {
            Some(b'#') => match text[start..].find("#}") {
                Some(end) => position = start + end + 2,
                None => break,
            },
            Some(b'%') => {
                let (keyword, after) = tag_keyword(text, start + 2);
                position = after;
                match keyword {
                    "raw" => match end_of_raw(text, after) {
                        Some(end) => position = end,
                        None => break,
                    },
                    "include" | "extends" | "import" if keywords.contains(&keyword) => {
                        position = quoted_names(text, after, &mut references);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    references
}

/// The word that opens a tag whose `{%` ends before `from`, and where the word ends.
fn tag_keyword(text: &str, from: usize) -> (&str, usize) {
    let rest = &text[from..];
    let trimmed = rest.strip_prefix('-').unwrap_or(rest).trim_start();
    let start = from + rest.len() - trimmed.len();
    let length = trimmed
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(trimmed.len());
    (&text[start..start + length], start + length)
}

/// Where the tag that ends a `{% raw %}` block (opened before `from`) ends.
fn end_of_raw(text: &str, from: usize) -> Option<usize> {
    let mut position = from;
    loop {
        let open = position + text[position..].find("{%")?;
        let (keyword, after) = tag_keyword(text, open + 2);
        position = after;
        if keyword == "endraw" {
            return Some(after + text[after..].find("%}")? + 2);
        }
    }
}

/// Reads `"name"` or `["a", "b"]` (any of Tera's three quotes) from `from`, skipping spaces;
/// returns where reading stopped.
fn quoted_names(text: &str, from: usize, names: &mut Vec<(String, Range<usize>)>) -> usize {
    let mut position = from;
    let mut in_list = false;
    loop {
        let rest = &text[position..];
        let trimmed = rest.trim_start();
        position += rest.len() - trimmed.len();
        let Some(first) = trimmed.chars().next() else {
            return position;
        };
        match first {
            '[' if !in_list => {
                in_list = true;
                position += 1;
            }
            ',' if in_list => position += 1,
            '"' | '\'' | '`' => {
                let Some(length) = trimmed[1..].find(first) else {
                    return position;
                };
                let end = position + 1 + length + 1;
                names.push((trimmed[1..1 + length].to_string(), position..end));
                position = end;
                if !in_list {
                    return position;
                }
            }
            _ => return position,
        }
    }
}

/// Templates that include, extend or import each other in a circle would render forever (or
/// until the stack runs out, which aborts the process): one error per circle, at the tag that
/// leads into it, naming every template on the way round.
pub(super) fn include_cycles(sources: &BTreeMap<String, (PathBuf, Arc<str>)>) -> Diagnostics {
    let names: Vec<&str> = sources.keys().map(String::as_str).collect();
    let index_of = |name: &str| names.binary_search(&name).ok();
    let references: Vec<Vec<(usize, Range<usize>)>> = sources
        .values()
        .map(|(_, text)| {
            template_references(text)
                .into_iter()
                .filter_map(|(name, span)| Some((index_of(&name)?, span)))
                .collect()
        })
        .collect();

    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut marks = vec![Mark::New; names.len()];
    let mut diagnostics = Diagnostics::default();
    for root in 0..names.len() {
        if marks[root] != Mark::New {
            continue;
        }
        // Iterative depth-first search: each open template and how many of its references
        // have been followed (the last of them leads to the next template on the path).
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        marks[root] = Mark::Open;
        while let Some(&mut (template, ref mut followed)) = path.last_mut() {
            let Some((target, _)) = references[template].get(*followed) else {
                marks[template] = Mark::Done;
                path.pop();
                continue;
            };
            *followed += 1;
            match marks[*target] {
                Mark::New => {
                    marks[*target] = Mark::Open;
                    path.push((*target, 0));
                }
                Mark::Open => {
                    let start = path
                        .iter()
                        .position(|(open, _)| open == target)
                        .unwrap_or(0);
                    let mut chain: Vec<&str> =
                        path[start..].iter().map(|(open, _)| names[*open]).collect();
                    chain.push(names[*target]);
                    let (first, first_followed) = path[start];
                    let (_, span) = &references[first][first_followed - 1];
                    let (shown, text) = &sources[names[first]];
                    let message = if chain.len() == 2 {
                        format!("template `{}` includes itself", chain[0])
                    } else {
                        format!(
                            "templates include each other in a circle: {}",
                            chain.join(" → ")
                        )
                    };
                    diagnostics.push(
                        Diagnostic::at(shown, text, span.clone(), message).with_help(
                            "rendering it would never end; for nested data such as a table \
                                 of contents, write a macro that calls itself once per level",
                        ),
                    );
                }
                Mark::Done => {}
            }
        }
    }
    diagnostics
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_read_from_include_extends_and_import_tags() {
        let text = "{% extends \"base.html\" %}{# {% include \"comment.html\" %} #}\n\
                    {%- include 'a.html' -%}{{ x }}{% include [\"b.html\", `c.html`] ignore missing %}\n\
                    {% raw %}{% include \"raw.html\" %}{% endraw %}{% import \"m.html\" as m %}\n\
                    {% if x %}{% set include = 1 %}{% endif %}";
        let found = template_references(text);
        let names: Vec<&str> = found.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["base.html", "a.html", "b.html", "c.html", "m.html"]);
        for (name, span) in &found {
            assert_eq!(&text[span.start + 1..span.end - 1], name);
        }
    }

    fn templates(files: &[(&str, &str)]) -> BTreeMap<String, (PathBuf, Arc<str>)> {
        files
            .iter()
            .map(|(name, text)| {
                let shown = PathBuf::from(format!("templates/{name}"));
                (name.to_string(), (shown, Arc::from(*text)))
            })
            .collect()
    }

    #[test]
    fn include_cycles_are_reported_once_each_with_their_chain() {
        let found = include_cycles(&templates(&[
            ("a.html", "<p>\n{% include \"b.html\" %}"),
            (
                "b.html",
                "{% include \"c.html\" %}{% include \"missing.html\" ignore missing %}",
            ),
            ("c.html", "{% if deep %}{% include \"a.html\" %}{% endif %}"),
            (
                "page.html",
                "{% extends \"base.html\" %}{% import \"macros.html\" as m %}",
            ),
            (
                "base.html",
                "{% include \"a.html\" %}{% include \"toc.html\" %}",
            ),
            ("macros.html", "{% macro x() %}{% endmacro %}"),
            ("toc.html", "<ul>{% include \"toc.html\" %}</ul>"),
        ]));
        let rendered: Vec<(String, String)> = found
            .0
            .iter()
            .map(|diagnostic| (diagnostic.location(), diagnostic.message.clone()))
            .collect();
        assert_eq!(
            rendered,
            [
                (
                    "templates/a.html:2:12".to_string(),
                    "templates include each other in a circle: a.html → b.html → c.html → a.html"
                        .to_string()
                ),
                (
                    "templates/toc.html:1:16".to_string(),
                    "template `toc.html` includes itself".to_string()
                ),
            ]
        );
        assert!(include_cycles(&templates(&[
            (
                "page.html",
                "{% extends \"base.html\" %}{% include \"toc.html\" %}"
            ),
            ("base.html", "{% include \"toc.html\" %}"),
            (
                "toc.html",
                "{% macro toc(items) %}{{ self::toc(items=items) }}{% endmacro %}"
            ),
        ]))
        .is_empty());
    }
}
