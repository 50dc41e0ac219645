//! `{{ fact(...) }}` and `{{ checker(...) }}` in a page's text: read, checked and expanded.

use std::ops::Range;

use super::PageRenderer;
use crate::diagnostics::suggest;

impl PageRenderer<'_> {
    /// A paragraph holding nothing but `{{ checker(id) }}` becomes the checker's block.
    pub(super) fn block_checker(&mut self, text: &str, range: &Range<usize>) -> Option<String> {
        let call = parse_shortcode(text.trim())?;
        if call.name != "checker" || call.end != text.trim().len() {
            return None;
        }
        Some(self.checker(&call, text.trim(), range))
    }

    fn checker(&mut self, call: &Shortcode, raw: &str, range: &Range<usize>) -> String {
        let id = call.args.first().map(String::as_str).unwrap_or_default();
        if self.rendered.checkers.iter().any(|embedded| embedded == id) {
            let message = format!("checker `{id}` is already on this page");
            let diagnostic = self.error(self.locate(range, raw), message);
            self.diagnostics.push(diagnostic.with_help(
                "embed each checker once per page: a second copy would repeat its element ids",
            ));
            return String::new();
        }
        let first_on_page = self.rendered.checkers.is_empty();
        match self
            .embeds
            .checker(id, &self.root, &self.page.lang, first_on_page)
        {
            Ok(html) => {
                self.rendered.checkers.push(id.to_string());
                html
            }
            Err(message) => {
                let span = self.locate(range, raw);
                let mut diagnostic =
                    self.error(span, format!("cannot embed checker `{id}`: {message}"));
                if let Some(near) = suggest(id, self.embeds.checker_ids()) {
                    diagnostic = diagnostic.with_help(format!("did you mean `{near}`?"));
                }
                self.diagnostics.push(diagnostic);
                String::new()
            }
        }
    }

    /// Replaces every `{{ fact(...) }}` in a run of text with the fact's human format, and
    /// a cited fact (when `may_cite`) with its format linked to its source.
    pub(super) fn expand_shortcodes(
        &mut self,
        text: &str,
        range: &Range<usize>,
        may_cite: bool,
    ) -> Vec<Expanded> {
        let mut pieces = Vec::new();
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            out.push_str(&rest[..open]);
            let candidate = &rest[open..];
            match parse_shortcode(candidate) {
                Some(call) => {
                    let raw = &candidate[..call.end];
                    let expanded = self.expand(&call, raw, range);
                    match self.citation(&call).filter(|_| may_cite) {
                        Some(source) => {
                            pieces.push(Expanded::Text(std::mem::take(&mut out)));
                            pieces.push(Expanded::Cited {
                                text: expanded,
                                source,
                            });
                        }
                        None => out.push_str(&expanded),
                    }
                    rest = &candidate[call.end..];
                }
                None => {
                    let close = candidate.find("}}").map_or(candidate.len(), |i| i + 2);
                    let raw = &candidate[..close];
                    let span = self.locate(range, raw);
                    let diagnostic = self.error(span, format!("cannot read `{raw}`"));
                    self.diagnostics.push(diagnostic.with_help(
                        "write `{{ fact(namespace.name) }}` or `{{ fact(namespace.name, \"iso\") }}`; \
                         to show braces literally, put them in `code`",
                    ));
                    out.push_str(raw);
                    rest = &candidate[close..];
                }
            }
        }
        out.push_str(rest);
        pieces.push(Expanded::Text(out));
        pieces.retain(|piece| !matches!(piece, Expanded::Text(text) if text.is_empty()));
        pieces
    }

    /// The address and title of the source a `fact` shortcode cites, when it asks for a
    /// citation (`cite`, or the page's `cite_facts`) and its value in force has a source with
    /// an address: a web address as written, a path of the site from this page's way up to
    /// the root (`../docs/rules.pdf`), so that it holds under a subpath and from disk.
    fn citation(&self, call: &Shortcode) -> Option<Citation> {
        if call.name != "fact" || !(call.cite || self.page.meta.cite_facts) {
            return None;
        }
        let fact = self.facts.get(call.args.first()?)?;
        let source = self.facts.current_source(fact)?;
        let (language, default_language) = (
            self.page.lang.as_str(),
            self.content.languages.default_code(),
        );
        let url = source.url_in(language, default_language);
        let href = match crate::urls::site_path(url) {
            Some(path) => format!("{}{path}", self.root),
            None if url.starts_with("https://") || url.starts_with("http://") => url.to_string(),
            None => return None,
        };
        let cited_in = source.cited_language(language, default_language);
        Some(Citation {
            url: href,
            title: source.title_in(language, default_language).to_string(),
            lang: (cited_in != language).then(|| cited_in.to_string()),
        })
    }

    /// Where `name` is inside the shortcode `raw`, for a diagnostic about it.
    fn name_span(&self, range: &Range<usize>, raw: &str, name: &str) -> Range<usize> {
        let call_span = self.locate(range, raw);
        let text = self.text.get(call_span.clone()).unwrap_or("");
        text.find(name).map_or(call_span.clone(), |i| {
            call_span.start + i..call_span.start + i + name.len()
        })
    }

    /// A shortcode's text. Where it is in the file is looked up only for a diagnostic: that
    /// search would cost more than the expansion itself.
    fn expand(&mut self, call: &Shortcode, raw: &str, range: &Range<usize>) -> String {
        let call_span = |this: &Self| this.locate(range, raw);
        match call.name.as_str() {
            "fact" => {
                let Some(name) = call.args.first() else {
                    let diagnostic = self.error(call_span(self), "`fact` needs a fact name".into());
                    self.diagnostics
                        .push(diagnostic.with_help("write `{{ fact(h1b.cap) }}`"));
                    return String::new();
                };
                let Some(fact) = self.facts.get(name) else {
                    let mut diagnostic = self.error(
                        self.name_span(range, raw, name),
                        format!("unknown fact `{name}`"),
                    );
                    diagnostic = match self.facts.suggest(name) {
                        Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
                        None => diagnostic
                            .with_help("facts are defined in content/facts/NAMESPACE.toml"),
                    };
                    self.diagnostics.push(diagnostic);
                    return raw.to_string();
                };
                self.rendered.facts.push(fact.name.clone());
                match self.facts.display_in(
                    fact,
                    call.args.get(1).map(String::as_str),
                    &self.page.lang,
                ) {
                    Ok(text) => text,
                    Err(message) => {
                        let diagnostic = self.error(call_span(self), message);
                        self.diagnostics.push(diagnostic);
                        raw.to_string()
                    }
                }
            }
            "checker" => {
                let diagnostic = self.error(
                    call_span(self),
                    "a checker must stand alone on its own line".into(),
                );
                self.diagnostics.push(
                    diagnostic.with_help("put `{{ checker(id) }}` in a paragraph of its own"),
                );
                String::new()
            }
            other => {
                let mut diagnostic = self.error(
                    self.name_span(range, raw, other),
                    format!("unknown shortcode `{other}`"),
                );
                if let Some(near) = suggest(other, ["fact", "checker"]) {
                    diagnostic = diagnostic.with_help(format!("did you mean `{near}`?"));
                } else {
                    diagnostic = diagnostic.with_help("the shortcodes are `fact` and `checker`");
                }
                self.diagnostics.push(diagnostic);
                raw.to_string()
            }
        }
    }
}

/// A run of text after its shortcodes are expanded.
pub(super) enum Expanded {
    Text(String),
    /// A fact's text, to be linked to its source.
    Cited {
        text: String,
        source: Citation,
    },
}

/// The argument that links a fact to its source: `{{ fact(h1b.cap, cite) }}`.
const CITE_ARGUMENT: &str = "cite";

#[derive(Debug, PartialEq)]
pub(crate) struct Shortcode {
    pub(crate) name: String,
    pub(crate) args: Vec<String>,
    /// `cite` was among the arguments (it is not kept in `args`).
    pub(crate) cite: bool,
    /// Length of the whole `{{ ... }}` in the text it was read from.
    pub(crate) end: usize,
}

fn is_quote(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}'
    )
}

/// Reads `{{ name(arg, "arg") }}` at the start of `text`. Quotes may have been curled by
/// smart punctuation, so curly ones count too.
pub(crate) fn parse_shortcode(text: &str) -> Option<Shortcode> {
    let inner_start = text.strip_prefix("{{")?;
    let close = inner_start.find("}}")?;
    let inner = inner_start[..close].trim();
    let (name, args) = inner.split_once('(')?;
    let args = args.trim_end().strip_suffix(')')?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    let mut parsed = Vec::new();
    let mut cite = false;
    for arg in args.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        let unquoted = arg.trim_matches(is_quote);
        let valid = unquoted
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !valid || unquoted.is_empty() {
            return None;
        }
        // After the fact's name, `cite` asks for a citation; it is not a format.
        if unquoted == CITE_ARGUMENT && !parsed.is_empty() {
            cite = true;
            continue;
        }
        parsed.push(unquoted.to_string());
    }
    Some(Shortcode {
        name: name.to_string(),
        args: parsed,
        cite,
        end: 2 + close + 2,
    })
}

/// The source a cited fact links to, as a page in one language cites it.
pub(super) struct Citation {
    pub url: String,
    pub title: String,
    /// The language of the source's title and address, when it is not the page's.
    pub lang: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortcodes_parse_with_straight_or_curly_quotes() {
        let call = parse_shortcode("{{ fact(h1b.cap) }} rest").unwrap();
        assert_eq!(call.name, "fact");
        assert_eq!(call.args, vec!["h1b.cap"]);
        assert_eq!(call.end, "{{ fact(h1b.cap) }}".len());
        let call = parse_shortcode("{{ fact(h1b.opened_on, \u{201c}iso\u{201d}) }}").unwrap();
        assert_eq!(call.args, vec!["h1b.opened_on", "iso"]);
        assert!(!call.cite);
        let call = parse_shortcode("{{ fact(h1b.cap, cite) }}").unwrap();
        assert_eq!((call.args, call.cite), (vec!["h1b.cap".to_string()], true));
        assert!(parse_shortcode("{{ fact(h1b.cap }}").is_none());
        assert!(parse_shortcode("{{ fa ct(x) }}").is_none());
    }
}
