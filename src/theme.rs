//! A theme: Tera templates, fingerprinted assets and static files, loaded once per build.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::Tera;
use walkdir::WalkDir;

use crate::config::Config;
use crate::confine;
use crate::content::{is_hidden_or_temporary, StaticFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::format::{format_date, format_integer, DateFormat, Locale};
use crate::paths::shown_path;

pub struct Theme {
    pub tera: Tera,
    /// Template name → (shown path, text), so template errors can point into the file.
    pub sources: BTreeMap<String, (PathBuf, Arc<str>)>,
    pub assets: Assets,
    pub static_files: Vec<StaticFile>,
}

/// Files served under a content hash in their name, so hosts may cache them forever.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// Logical name (`style.css`) → output path (`style.1a2b3c4d5e.css`).
    pub names: BTreeMap<String, String>,
    files: BTreeMap<String, Vec<u8>>,
}

impl Assets {
    /// Adds an asset and returns its fingerprinted output path.
    pub fn add(&mut self, logical: &str, bytes: Vec<u8>) -> String {
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let fingerprinted = match logical.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{:010x}.{ext}", hash >> 24),
            None => format!("{logical}.{:010x}", hash >> 24),
        };
        self.names
            .insert(logical.to_string(), fingerprinted.clone());
        self.files.insert(fingerprinted.clone(), bytes);
        fingerprinted
    }

    pub fn get(&self, logical: &str) -> Option<&str> {
        self.names.get(logical).map(String::as_str)
    }

    /// The bytes behind a fingerprinted output path.
    pub fn bytes_of(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Every asset's fingerprinted output path.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

impl Theme {
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Diagnostics> {
        let dir = config.theme_dir(root);
        if !dir.is_dir() {
            return Err(Diagnostic::new(
                shown_path(root, &dir),
                format!("theme `{}` not found", config.theme),
            )
            .with_help("set `theme` in site.toml to a folder of themes/")
            .into());
        }
        let mut diagnostics = Diagnostics::default();
        let mut sources = BTreeMap::new();
        let templates_dir = dir.join("templates");
        for path in files_below(root, &templates_dir, &mut diagnostics) {
            let shown = shown_path(root, &path);
            let name = slash_relative(&templates_dir, &path);
            match confine::read_text(root, &path, "read the template") {
                Ok(text) => {
                    sources.insert(name, (shown, text));
                }
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.register_filter("human", human_filter);
        // Parse each template alone first so a syntax error names its own file and line;
        // add_raw_templates then links inheritance across them.
        for (name, (shown, text)) in &sources {
            if let Err(error) = tera::Template::new(name, None, text) {
                diagnostics.push(template_diagnostic(&error, shown, text));
            }
        }
        if diagnostics.is_empty() {
            diagnostics.extend(include_cycles(&sources));
        }
        if diagnostics.is_empty() {
            let all = sources
                .iter()
                .map(|(name, (_, text))| (name.as_str(), text.as_ref()));
            if let Err(error) = tera.add_raw_templates(all) {
                diagnostics.push(
                    Diagnostic::new(
                        shown_path(root, &templates_dir),
                        "the templates do not fit together",
                    )
                    .with_causes(causes(&error)),
                );
            }
        }
        let mut assets = Assets::default();
        let assets_dir = dir.join("assets");
        for path in files_below(root, &assets_dir, &mut diagnostics) {
            match confine::read_inside(root, &path) {
                Ok(bytes) => {
                    assets.add(&slash_relative(&assets_dir, &path), bytes);
                }
                Err(refused) => diagnostics.push(refused.diagnostic(root, &path, "read the asset")),
            }
        }
        let mut static_files = Vec::new();
        for static_dir in [dir.join("static"), root.join("static")] {
            for path in files_below(root, &static_dir, &mut diagnostics) {
                static_files.push(StaticFile {
                    to: slash_relative(&static_dir, &path),
                    from: path,
                });
            }
        }
        diagnostics.into_result(Theme {
            tera,
            sources,
            assets,
            static_files,
        })
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// A page asks for a template the theme lacks: point at its `template` line.
    pub fn missing_template(&self, page: &crate::content::Page, name: &str) -> Diagnostic {
        let message = format!("the theme has no template `{name}`");
        let quoted = format!("\"{name}\"");
        let front_matter = &page.text[..page.body_start];
        let diagnostic = match front_matter.find(&quoted) {
            Some(at) => Diagnostic::at(&page.file, &page.text, at..at + quoted.len(), message),
            None => Diagnostic::new(&page.file, message),
        };
        match crate::diagnostics::suggest(name, self.sources.keys().map(String::as_str)) {
            Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
            None => diagnostic.with_help("templates live in the theme's templates/ folder"),
        }
    }

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
        // Tera's AST keeps no positions: an unknown filter, test, function or template is
        // found by searching the templates for its name where the syntax would use it.
        let culprit = match unknown_name(error) {
            Some((use_of, name)) => in_templates(&|text| find_use(text, use_of, &name)),
            None => quoted_between(&innermost, '`')
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
        diagnostic.with_causes(chain)
    }
}

/// The templates a template names in `{% include %}`, `{% extends %}` and `{% import %}` tags,
/// each with the span of its quoted name, in the order they appear. A scan of the text is
/// enough: only tags matter, and comments and `{% raw %}` blocks are skipped.
fn template_references(text: &str) -> Vec<(String, Range<usize>)> {
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
                    "include" | "extends" | "import" => {
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
fn include_cycles(sources: &BTreeMap<String, (PathBuf, Arc<str>)>) -> Diagnostics {
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

/// The files below `dir`, sorted, following links that stay inside the site; a link leading
/// out of it, or a folder that cannot be read, is reported in `diagnostics`.
fn files_below(root: &Path, dir: &Path, diagnostics: &mut Diagnostics) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut refused = Vec::new();
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() > 0 && is_hidden_or_temporary(entry.path()) {
                return false;
            }
            confine::check_walk_entry(root, entry)
                .map_err(|diagnostic| refused.push(diagnostic))
                .is_ok()
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            // An editor's lock file is a dangling link, met before the filter can skip it.
            Err(error) if error.path().is_some_and(is_hidden_or_temporary) => {}
            Err(error) => {
                let path = error.path().unwrap_or(dir);
                diagnostics.push(Diagnostic::new(
                    shown_path(root, path),
                    format!("could not read: {error}"),
                ));
            }
        }
    }
    for diagnostic in refused {
        diagnostics.push(diagnostic);
    }
    files
}

fn slash_relative(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The error and its sources, outermost first.
pub fn causes(error: &dyn std::error::Error) -> Vec<String> {
    let mut chain = vec![error.to_string()];
    let mut current = error.source();
    while let Some(cause) = current {
        chain.push(cause.to_string());
        current = cause.source();
    }
    chain
}

fn find_literal(text: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    text.find(needle).map(|at| at..at + needle.len())
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
    text.match_indices(name).map(|(at, _)| at).find_map(|at| {
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
fn template_diagnostic(error: &tera::Error, shown: &Path, text: &Arc<str>) -> Diagnostic {
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

/// Escapes what HTML needs escaped; unlike Tera's default it leaves `/` alone, so URLs in
/// attributes stay readable.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `human`: an ISO date as "July 16, 2023", an integer as "10,000"; anything else unchanged.
fn human_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(match value {
        tera::Value::String(text) => match guide_rules::Date::parse(text) {
            Some(date) => tera::Value::String(format_date(date, DateFormat::Long, Locale::En)),
            None => value.clone(),
        },
        tera::Value::Number(number) => match number.as_i64() {
            Some(n) => tera::Value::String(format_integer(n, Locale::En)),
            None => value.clone(),
        },
        _ => value.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_change_with_content() {
        let mut assets = Assets::default();
        let first = assets.add("style.css", b"body{}".to_vec());
        let second = assets.add("style.css", b"body{color:red}".to_vec());
        assert!(first.starts_with("style.") && first.ends_with(".css"));
        assert_ne!(first, second);
        assert_eq!(assets.get("style.css"), Some(second.as_str()));
    }

    #[test]
    fn offsets_from_line_and_column() {
        let text = "ab\ncdé\nf";
        assert_eq!(offset_of(text, 1, 1), Some(0));
        assert_eq!(offset_of(text, 2, 3), Some(5));
        assert_eq!(offset_of(text, 3, 1), Some(text.len() - 1));
    }

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
