//! The theme's own shortcodes: a template `shortcodes/NAME.html` called from Markdown as
//! `{{ NAME(arg = "value", n = 3) }}`, or with a Markdown body as
//! `{% NAME(arg = "x") %}` … `{% end %}`.
//!
//! They are found in the page's source before pulldown-cmark reads it, outside code and raw
//! HTML (found by one parse of the source), because a body spans paragraphs and an argument may
//! hold any character. Each call is rendered at once and its place in the source filled with a
//! placeholder of the same length, so every offset after it still points into the file: a call
//! becomes private-use characters that the event stream carries as text, a body call an HTML
//! comment on lines of its own, which pulldown-cmark keeps as a block. The transform puts the
//! rendered HTML in their place.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde_json::{Map, Value as Json};

use super::PageRenderer;
use crate::diagnostics::suggest;
use crate::escape::escape_html;
use crate::urls::{hazard, Hazard};

/// The shortcodes built into the generator: a theme's template of the same name is never used.
pub const BUILT_IN: [&str; 2] = ["fact", "checker"];

/// How deep bodies may nest: a body is rendered by a recursive call.
const MAX_DEPTH: usize = 8;

/// An inline call's stand-in is as long as the call, so that everything after it keeps its
/// place for diagnostics: its marks are one byte each (control characters Markdown keeps as
/// text), leaving the most room for its number (five digits in `{{a()}}`, the shortest call).
const MARK_START: char = '\u{2}';
const MARK_END: char = '\u{3}';
const MARK_FILL: char = 'x';
/// What a body call's placeholder starts with.
const BLOCK_START: &str = "<!--\u{E000}";

/// A call of a theme's shortcode, read from the source. Spans are relative to the text read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Call {
    pub(crate) name: String,
    pub(crate) name_span: Range<usize>,
    pub(crate) args: Vec<Arg>,
    /// The whole `{{ ... }}` or `{% ... %}`.
    pub(crate) span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Arg {
    pub(crate) name: String,
    pub(crate) value: Json,
    /// The value as written, quotes included.
    pub(crate) value_span: Range<usize>,
}

/// Why a call cannot be read: where, what, and what to write instead.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CallError {
    pub(crate) span: Range<usize>,
    pub(crate) message: String,
    pub(crate) help: String,
}

/// What a template renders, or why it failed.
pub struct ShortcodeFailure {
    /// The template's file, as shown in messages.
    pub template: String,
    /// Tera's error and its causes, outermost first.
    pub causes: Vec<String>,
}

/// What is at `text`'s start: a call, `{% end %}`, an unreadable call, or nothing shortcode-like
/// (`{{ page.title }}`, `{% if x %}`), left as text.
#[derive(Debug, PartialEq)]
pub(crate) enum Found {
    Call(Call),
    End(Range<usize>),
    Error(CallError),
    Nothing,
}

/// Reads a call at the start of `text`, which starts with `{{` or `{%`, at offset `at` of the
/// text its spans are relative to.
pub(crate) fn read_call(text: &str, at: usize) -> Found {
    let body_form = text.starts_with("{%");
    let close = if body_form { "%}" } else { "}}" };
    let mut reader = Reader { text, pos: 2, at };
    reader.spaces();
    let name_start = reader.pos;
    let name = reader.identifier();
    if name.is_empty() {
        return Found::Nothing;
    }
    let name_span = at + name_start..at + reader.pos;
    if BUILT_IN.contains(&name) {
        if !body_form {
            // Read by the event stream, with its own syntax.
            return Found::Nothing;
        }
        return Found::Error(CallError {
            span: name_span,
            message: format!("`{name}` takes no body"),
            help: format!("write it as `{{{{ {name}(...) }}}}`"),
        });
    }
    reader.spaces();
    if body_form && name == "end" && reader.rest().starts_with(close) {
        return Found::End(at..at + reader.pos + 2);
    }
    if !reader.rest().starts_with('(') {
        return Found::Nothing;
    }
    reader.pos += 1;
    let call = reader.arguments().and_then(|args| {
        reader.spaces();
        if !reader.rest().starts_with(close) {
            return Err(reader.error(
                format!("expected `{close}` to end the shortcode"),
                format!("end the call with `) {close}`"),
            ));
        }
        reader.pos += 2;
        Ok(Call {
            name: name.to_string(),
            name_span,
            args,
            span: at..at + reader.pos,
        })
    });
    match call {
        Ok(call) => Found::Call(call),
        Err(error) => Found::Error(error),
    }
}

struct Reader<'t> {
    text: &'t str,
    pos: usize,
    at: usize,
}

const ARGUMENT_HELP: &str = "write arguments as `name = value`, separated by commas: \
    text in quotes (`text = \"Start now\"`), a number (`n = 3`, `x = 1.5`) or `true`/`false`";

impl<'t> Reader<'t> {
    fn rest(&self) -> &'t str {
        &self.text[self.pos..]
    }

    fn spaces(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn identifier(&mut self) -> &'t str {
        let rest = self.rest();
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        self.pos += len;
        &rest[..len]
    }

    fn error(&self, message: String, help: impl Into<String>) -> CallError {
        let len = self.rest().chars().next().map_or(0, char::len_utf8);
        CallError {
            span: self.at + self.pos..self.at + self.pos + len,
            message,
            help: help.into(),
        }
    }

    fn found(&self) -> String {
        match self.rest().chars().next() {
            Some(c) => format!("`{c}`"),
            None => "the end of the page".into(),
        }
    }

    /// `name = value, ...)`, after the opening parenthesis, through the closing one.
    fn arguments(&mut self) -> Result<Vec<Arg>, CallError> {
        let mut args: Vec<Arg> = Vec::new();
        loop {
            self.spaces();
            if self.rest().starts_with(')') {
                self.pos += 1;
                return Ok(args);
            }
            let name_start = self.pos;
            let name = self.identifier();
            if name.is_empty() {
                let message = format!("expected an argument's name, found {}", self.found());
                let help = if self.rest().starts_with(['"', '\''])
                    || self.rest().starts_with(|c: char| c.is_ascii_digit())
                {
                    "arguments are named: write `name = value`, as the template reads them by name"
                        .to_string()
                } else {
                    ARGUMENT_HELP.to_string()
                };
                return Err(self.error(message, help));
            }
            let name_end = self.pos;
            if args.iter().any(|arg| arg.name == name) {
                return Err(CallError {
                    span: self.at + name_start..self.at + name_end,
                    message: format!("the argument `{name}` is given twice"),
                    help: "give each argument once".into(),
                });
            }
            self.spaces();
            if !self.rest().starts_with('=') {
                let message = format!("expected `=` after `{name}`, found {}", self.found());
                return Err(self.error(message, ARGUMENT_HELP));
            }
            self.pos += 1;
            self.spaces();
            let value_start = self.pos;
            let value = self.value(name)?;
            args.push(Arg {
                name: name.to_string(),
                value,
                value_span: self.at + value_start..self.at + self.pos,
            });
            self.spaces();
            if self.rest().starts_with(',') {
                self.pos += 1;
            } else if !self.rest().starts_with(')') {
                let message = format!(
                    "expected `,` or `)` after an argument, found {}",
                    self.found()
                );
                return Err(self.error(message, ARGUMENT_HELP));
            }
        }
    }

    fn value(&mut self, name: &str) -> Result<Json, CallError> {
        let rest = self.rest();
        if let Some(quote) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) {
            let Some(end) = rest[1..].find(quote) else {
                return Err(self.error(
                    format!("the text of `{name}` has no closing {quote}"),
                    format!("end the text with {quote}; to write {quote} inside it, quote it with the other kind of quote"),
                ));
            };
            self.pos += end + 2;
            return Ok(Json::String(rest[1..1 + end].to_string()));
        }
        let len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '+')))
            .unwrap_or(rest.len());
        let word = &rest[..len];
        let value = match word {
            "true" => Some(Json::Bool(true)),
            "false" => Some(Json::Bool(false)),
            _ => word.parse::<i64>().ok().map(Json::from).or_else(|| {
                let float = word.parse::<f64>().ok().filter(|f| f.is_finite())?;
                serde_json::Number::from_f64(float).map(Json::Number)
            }),
        };
        match value {
            Some(value) => {
                self.pos += len;
                Ok(value)
            }
            None if word.is_empty() => Err(self.error(
                format!("`{name}` has no value: found {}", self.found()),
                ARGUMENT_HELP,
            )),
            None => Err(CallError {
                span: self.at + self.pos..self.at + self.pos + len,
                message: format!("`{word}` is not a value"),
                help: format!("put text in quotes: `{name} = \"{word}\"`; numbers are written `3` or `1.5`, yes/no as `true` or `false`"),
            }),
        }
    }
}

/// The placeholder of call number `index` where it took `len` bytes of source; `None` when it
/// does not fit.
fn inline_placeholder(index: usize, len: usize) -> Option<String> {
    let digits = index.to_string();
    let fill = len.checked_sub(MARK_START.len_utf8() + digits.len() + MARK_END.len_utf8())?;
    Some(format!(
        "{MARK_START}{digits}{}{MARK_END}",
        MARK_FILL.to_string().repeat(fill)
    ))
}

fn block_placeholder(index: usize, len: usize) -> Option<String> {
    let digits = index.to_string();
    let fill = len.checked_sub(BLOCK_START.len() + digits.len() + 3)?;
    Some(format!("{BLOCK_START}{digits}{}-->", " ".repeat(fill)))
}

/// The index and byte length of the inline placeholder at the start of `text`.
pub(super) fn inline_placeholder_at(text: &str) -> Option<(usize, usize)> {
    let rest = text.strip_prefix(MARK_START)?;
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    let index = rest[..digits].parse().ok()?;
    let fill = rest[digits..].find(|c| c != MARK_FILL)?;
    rest[digits + fill..].strip_prefix(MARK_END)?;
    Some((
        index,
        MARK_START.len_utf8() + digits + fill + MARK_END.len_utf8(),
    ))
}

/// The index of the body call whose placeholder is the HTML block `html`.
pub(super) fn block_placeholder_index(html: &str) -> Option<usize> {
    let rest = html.strip_prefix(BLOCK_START)?;
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    rest[..digits].parse().ok()
}

pub(super) fn has_placeholder(text: &str) -> bool {
    text.contains(MARK_START)
}

/// Whether `text` may call a theme's shortcode (or close a body): only then is it read before
/// pulldown-cmark, which costs a parse of its own. Most pages call only `fact`.
pub(super) fn may_call_user_shortcodes(text: &str) -> bool {
    text.match_indices('{').any(|(at, _)| {
        let rest = &text[at..];
        (rest.starts_with("{{") || rest.starts_with("{%")) && read_call(rest, at) != Found::Nothing
    })
}

/// Where the code and raw HTML of `text` are: no shortcode is read inside them.
fn code_ranges(text: &str) -> Vec<Range<usize>> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut block: Option<usize> = None;
    for (event, range) in Parser::new_ext(text, super::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(_)) => block = Some(range.start),
            Event::End(TagEnd::CodeBlock) => {
                if let Some(start) = block.take() {
                    ranges.push(start..range.end);
                }
            }
            Event::Code(_) | Event::Html(_) | Event::InlineHtml(_) if block.is_none() => {
                ranges.push(range)
            }
            _ => {}
        }
    }
    ranges.sort_by_key(|range| range.start);
    ranges
}

/// An open body call, waiting for its `{% end %}`.
struct Open {
    /// `None` for a call that could not be read: its `{% end %}` still closes it.
    call: Option<Call>,
    span: Range<usize>,
    /// Where its line starts, and where its body (the next line) starts.
    line_start: usize,
    body_start: usize,
}

/// Whether `span` of `text` is alone on its line, but for spaces after it.
fn alone_on_line(text: &str, span: &Range<usize>) -> bool {
    let line_start = span.start == 0 || text.as_bytes()[span.start - 1] == b'\n';
    let rest = &text[span.end..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    line_start && rest[..line_end].trim().is_empty()
}

fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i)
}

impl PageRenderer<'_> {
    /// `text` (at `base` in the page's file) with every call of a theme's shortcode rendered
    /// and replaced by its placeholder. Built-in shortcodes are left for the event stream.
    pub(super) fn replace_user_shortcodes(
        &mut self,
        text: &str,
        base: usize,
        depth: usize,
    ) -> String {
        let code = code_ranges(text);
        let in_code = |at: usize| code.iter().any(|range| range.contains(&at));
        let mut replaced = text.to_string();
        let mut open: Vec<Open> = Vec::new();
        let mut from = 0;
        while let Some(found) = text[from..].find('{').map(|i| from + i) {
            from = found + 1;
            let rest = &text[found..];
            if !(rest.starts_with("{{") || rest.starts_with("{%")) || in_code(found) {
                continue;
            }
            let body_form = rest.starts_with("{%");
            // Inside a body, calls are read when the body is rendered; only the bodies' own
            // opening and closing lines are matched here.
            let nested = !open.is_empty();
            match read_call(rest, found) {
                Found::Nothing => {}
                Found::Error(error) => {
                    // The call as far as it goes: to its closing braces, or, never closed, to
                    // the end of its line (shown as written, and read no further).
                    let end = rest
                        .find(if body_form { "%}" } else { "}}" })
                        .map_or_else(|| line_end(text, found), |i| found + i + 2);
                    from = end;
                    if body_form {
                        // Its `{% end %}` still closes it.
                        open.push(Open {
                            call: None,
                            span: found..end,
                            line_start: found,
                            body_start: (line_end(text, end) + 1).min(text.len()),
                        });
                    }
                    if nested {
                        continue;
                    }
                    let span = base + error.span.start..base + error.span.end;
                    let diagnostic = self.error(
                        span,
                        format!("cannot read this shortcode: {}", error.message),
                    );
                    self.diagnostics.push(diagnostic.with_help(error.help));
                    if !body_form {
                        let raw = escape_html(&text[found..end]);
                        self.put_inline(&mut replaced, found..end, raw);
                    }
                }
                Found::Call(call) if !body_form => {
                    from = call.span.end;
                    if nested {
                        continue;
                    }
                    let html = match self.user_shortcode(&call, text, base, None) {
                        Some(html) => html,
                        None => escape_html(&text[call.span.clone()]),
                    };
                    self.put_inline(&mut replaced, call.span.clone(), html);
                }
                Found::Call(call) => {
                    from = call.span.end;
                    if !alone_on_line(text, &call.span) {
                        // Its `{% end %}` still closes it.
                        open.push(Open {
                            call: None,
                            span: call.span.clone(),
                            line_start: call.span.start,
                            body_start: (line_end(text, call.span.end) + 1).min(text.len()),
                        });
                        if nested {
                            continue;
                        }
                        let span = base + call.span.start..base + call.span.end;
                        let diagnostic = self.error(
                            span,
                            "a shortcode with a body must start on a line of its own".into(),
                        );
                        self.diagnostics.push(diagnostic.with_help(format!(
                            "put `{}` at the start of a line of its own, its body on the lines \
                             after it and `{{% end %}}` on a line of its own; without a body, \
                             write `{{{{ {}(...) }}}}`",
                            &text[call.span.clone()],
                            call.name
                        )));
                        continue;
                    }
                    let body_start = (line_end(text, call.span.end) + 1).min(text.len());
                    open.push(Open {
                        span: call.span.clone(),
                        line_start: call.span.start,
                        call: Some(call),
                        body_start,
                    });
                }
                Found::End(span) => {
                    from = span.end;
                    if !alone_on_line(text, &span) {
                        if !nested {
                            let diagnostic = self.error(
                                base + span.start..base + span.end,
                                "`{% end %}` must be on a line of its own".into(),
                            );
                            self.diagnostics.push(
                                diagnostic
                                    .with_help("put `{% end %}` alone on the line after the body"),
                            );
                        }
                        continue;
                    }
                    let Some(opened) = open.pop() else {
                        let diagnostic = self.error(
                            base + span.start..base + span.end,
                            "this `{% end %}` closes no shortcode".into(),
                        );
                        self.diagnostics.push(diagnostic.with_help(
                            "remove it, or open a body before it with `{% NAME(...) %}` on a \
                             line of its own",
                        ));
                        continue;
                    };
                    if !open.is_empty() {
                        continue;
                    }
                    let body_range = opened.body_start..span.start.max(opened.body_start);
                    let region = opened.line_start..line_end(text, span.end);
                    let html = match opened.call {
                        None => None,
                        Some(_) if depth >= MAX_DEPTH => {
                            let call_span = base + opened.span.start..base + opened.span.end;
                            let diagnostic = self.error(
                                call_span,
                                format!(
                                    "shortcodes with a body are nested more than {MAX_DEPTH} deep"
                                ),
                            );
                            self.diagnostics.push(
                                diagnostic.with_help("close some of them before opening the next"),
                            );
                            None
                        }
                        Some(call) => {
                            let body = self.render_fragment(
                                &text[body_range.clone()],
                                base + body_range.start,
                                depth + 1,
                            );
                            self.base = base;
                            self.user_shortcode(&call, text, base, Some(body))
                        }
                    };
                    self.put_block(&mut replaced, region, html.unwrap_or_default());
                }
            }
        }
        if let Some(opened) = open.first() {
            let span = base + opened.span.start..base + opened.span.end;
            let message = match &opened.call {
                Some(call) => format!("the body of `{}` is never closed", call.name),
                None => "this shortcode's body is never closed".to_string(),
            };
            let diagnostic = self.error(span, message);
            self.diagnostics
                .push(diagnostic.with_help("end the body with `{% end %}` on a line of its own"));
        }
        replaced
    }

    fn put_inline(&mut self, replaced: &mut String, region: Range<usize>, html: String) {
        let index = self.shortcode_html.len();
        match inline_placeholder(index, region.len()) {
            Some(placeholder) => {
                replaced.replace_range(region, &placeholder);
                self.shortcode_html.push(html);
            }
            None => self.too_many(replaced, region),
        }
    }

    fn put_block(&mut self, replaced: &mut String, region: Range<usize>, html: String) {
        let index = self.shortcode_html.len();
        match block_placeholder(index, region.len()) {
            Some(placeholder) => {
                replaced.replace_range(region, &placeholder);
                self.shortcode_html.push(html);
            }
            None => self.too_many(replaced, region),
        }
    }

    fn too_many(&mut self, replaced: &mut String, region: Range<usize>) {
        // The call is blanked, so that nothing reads it again as a call of its own; and it is
        // said once, as every call after it would say the same.
        replaced.replace_range(region.clone(), &" ".repeat(region.len()));
        if std::mem::replace(&mut self.too_many_said, true) {
            return;
        }
        let span = self.base + region.start..self.base + region.end;
        let diagnostic = self.error(span, "too many shortcodes on one page".into());
        self.diagnostics
            .push(diagnostic.with_help("split the page in two"));
    }

    /// The HTML of a theme's shortcode, or `None` (and an error) when it has none.
    fn user_shortcode(
        &mut self,
        call: &Call,
        text: &str,
        base: usize,
        body: Option<String>,
    ) -> Option<String> {
        let absolute = |span: &Range<usize>| base + span.start..base + span.end;
        let names = self.embeds.shortcode_names();
        if !names.iter().any(|name| *name == call.name) {
            let mut diagnostic = self.error(
                absolute(&call.name_span),
                format!("unknown shortcode `{}`", call.name),
            );
            let known: Vec<&str> = BUILT_IN
                .iter()
                .copied()
                .chain(names.iter().copied())
                .collect();
            diagnostic = match suggest(&call.name, known.iter().copied()) {
                Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                None => diagnostic.with_help(format!(
                    "the shortcodes are {}; a theme adds one with a template `templates/shortcodes/NAME.html`",
                    known.iter().map(|name| format!("`{name}`")).collect::<Vec<_>>().join(", ")
                )),
            };
            self.diagnostics.push(diagnostic);
            return None;
        }
        let mut args = Map::new();
        let mut failed = false;
        for arg in &call.args {
            let value = match &arg.value {
                Json::String(value) => {
                    let span = arg.value_span.start + 1..arg.value_span.end - 1;
                    match self.argument_text(value, &text[span.clone()], absolute(&span)) {
                        Some(value) => Json::String(value),
                        None => {
                            failed = true;
                            continue;
                        }
                    }
                }
                other => other.clone(),
            };
            args.insert(arg.name.clone(), value);
        }
        if failed {
            return None;
        }
        if let Some(body) = body {
            args.insert("body".into(), Json::String(body));
        }
        match self.embeds.shortcode(&call.name, &args) {
            Ok(html) => Some(html),
            Err(failure) => {
                let innermost = failure.causes.last().cloned().unwrap_or_default();
                let diagnostic = self.error(
                    absolute(&call.span),
                    format!("shortcode `{}` failed: {innermost}", call.name),
                );
                let given: Vec<String> = args.keys().map(|name| format!("`{name}`")).collect();
                let given = if given.is_empty() {
                    "no arguments".to_string()
                } else {
                    given.join(", ")
                };
                self.diagnostics.push(
                    diagnostic
                        .with_causes(failure.causes)
                        .with_help(format!(
                            "this call gives {given}: give the arguments {} reads (`body` comes from a body, `{{% {}(...) %}}` … `{{% end %}}`), or fix the template",
                            failure.template, call.name
                        )),
                );
                None
            }
        }
    }

    /// A text argument as the template sees it: an `@/` link resolved like a Markdown link's;
    /// a URL that would run a script refused.
    fn argument_text(&mut self, value: &str, written: &str, span: Range<usize>) -> Option<String> {
        let relative = span.start - self.base..span.end - self.base;
        if value.starts_with('@') {
            let resolved = self.resolve_link(written, &relative);
            self.record(written, &resolved, &relative, false);
            return Some(resolved);
        }
        if hazard(value) == Some(Hazard::Script) {
            let diagnostic = self.error(span, format!("`{value}` would run a script"));
            self.diagnostics.push(diagnostic.with_help(
                "link to a web address (`https://...`) or a page of the guide (`@/path/page.md`)",
            ));
            return None;
        }
        Some(value.to_string())
    }

    /// A body's Markdown, at `base` in the page's file, as HTML: its ids, links and shortcodes
    /// are the page's.
    pub(super) fn render_fragment(&mut self, text: &str, base: usize, depth: usize) -> String {
        let saved = std::mem::replace(&mut self.base, base);
        let source = if may_call_user_shortcodes(text) {
            self.replace_user_shortcodes(text, base, depth)
        } else {
            text.to_string()
        };
        let events =
            super::merge_text(Parser::new_ext(&source, super::options()).into_offset_iter());
        let events = self.transform(events);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter());
        self.base = saved;
        html
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(text: &str) -> Call {
        match read_call(text, 0) {
            Found::Call(call) => call,
            other => panic!("{other:?}"),
        }
    }

    fn error(text: &str) -> (String, String) {
        match read_call(text, 0) {
            Found::Error(error) => (text[error.span].to_string(), error.message),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn arguments_are_typed() {
        let text = "{{ button(url = \"@/check.md\", text='Say \"hi\", now', n = -3, x = 1.5, on = true) }} after";
        let read = call(text);
        assert_eq!(read.name, "button");
        let values: Vec<(&str, Json)> = read
            .args
            .iter()
            .map(|a| (a.name.as_str(), a.value.clone()))
            .collect();
        assert_eq!(
            values,
            [
                ("url", Json::from("@/check.md")),
                ("text", Json::from("Say \"hi\", now")),
                ("n", Json::from(-3)),
                ("x", Json::from(1.5)),
                ("on", Json::from(true)),
            ]
        );
        assert_eq!(read.span, 0..text.find(" after").unwrap());
        assert_eq!(&text[read.name_span.clone()], "button");
        assert_eq!(&text[read.args[1].value_span.clone()], "'Say \"hi\", now'");
        assert!(call("{% note() %}").args.is_empty());
        assert_eq!(read_call("{% end %}", 4), Found::End(4..13));
        assert_eq!(read_call("{{ page.title }}", 0), Found::Nothing);
        assert_eq!(read_call("{% if x %}", 0), Found::Nothing);
    }

    #[test]
    fn unreadable_arguments_are_pointed_at() {
        assert_eq!(error("{{ note(\"x\") }}").0, "\"");
        assert_eq!(
            error("{{ note(text = Start) }}"),
            ("Start".into(), "`Start` is not a value".into())
        );
        assert_eq!(error("{{ note(a = 1, a = 2) }}").0, "a");
        assert_eq!(error("{{ note(a = \"open) }}").0, "\"");
        assert_eq!(error("{{ note(a = 1 b = 2) }}").0, "b");
        assert_eq!(error("{{ note(a = 1) %}").0, "%");
    }

    #[test]
    fn placeholders_keep_their_length_and_index() {
        let inline = inline_placeholder(12, 20).unwrap();
        assert_eq!(inline.len(), 20);
        assert_eq!(
            inline_placeholder_at(&format!("{inline}tail")),
            Some((12, 20))
        );
        let block = block_placeholder(3, 40).unwrap();
        assert_eq!(block.len(), 40);
        assert_eq!(block_placeholder_index(&block), Some(3));
        assert_eq!(
            inline_placeholder(99_999, "{{a()}}".len()).map(|p| p.len()),
            Some(7)
        );
        assert!(inline_placeholder(100_000, 7).is_none());
    }
}
