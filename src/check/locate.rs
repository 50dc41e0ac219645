//! Where a finding is shown: the Markdown that wrote a reference (from the links the page
//! recorded while rendering), a fact file, the template line holding it, or the rendered HTML.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use super::resolve::has_scheme;
use super::scan::{Document, Reference};
use super::Checker;
use crate::diagnostics::Diagnostic;

#[derive(Debug, Clone)]
pub(super) struct Located {
    pub(super) path: PathBuf,
    pub(super) text: Option<Arc<str>>,
    pub(super) span: Option<Range<usize>>,
    /// Whether the location is the page's own source (so naming the page again is noise).
    pub(super) in_page_source: bool,
    pub(super) document: String,
    /// The reference as the message shows it: as the located source wrote it where known
    /// (`{{ root }}style.css` in a template), else as rendered.
    pub(super) shown: String,
}

impl Located {
    pub(super) fn diagnostic(&self, message: String) -> Diagnostic {
        match (&self.text, &self.span) {
            (Some(text), Some(span)) => Diagnostic::at(&self.path, text, span.clone(), message),
            _ => Diagnostic::new(&self.path, message),
        }
    }
}

impl Checker<'_> {
    /// Where `reference` came from: the page's Markdown, else a fact file (for URLs), else a
    /// template, else the rendered HTML.
    pub(super) fn locate(&self, document: &Document, reference: &Reference) -> Located {
        let written = reference.value.as_str();
        let visible = written.trim_start_matches(|c: char| c <= ' ');
        let at =
            |path: PathBuf, text: &Arc<str>, span: Range<usize>, in_page_source: bool| Located {
                path,
                text: Some(text.clone()),
                span: Some(span),
                in_page_source,
                document: document.path.clone(),
                shown: written.to_string(),
            };
        if let Some(index) = document.page {
            let page = &self.site.content.pages[index];
            // The n-th reference to a URL in the HTML is taken for the n-th Markdown link to
            // it; one the template adds beyond those is shown at the last.
            let recorded = page.written_links.get();
            let written_here: Vec<_> = recorded
                .into_iter()
                .flat_map(|recorded| &recorded.links)
                .filter(|link| link.rendered == written)
                .collect();
            let link = written_here
                .get(reference.occurrence)
                .or(written_here.last());
            if let Some(link) = link {
                return at(page.file.clone(), &page.text(), link.span.clone(), true);
            }
            // HTML written in the Markdown holds its reference as written. Leading spaces and
            // control characters (written as entities, say) are skipped by browsers: look for
            // what follows them too.
            let raw_html = recorded.into_iter().flat_map(|recorded| &recorded.raw_html);
            for span in raw_html {
                let html = &page.text()[span.clone()];
                let found = [written, visible]
                    .into_iter()
                    .filter(|needle| !needle.is_empty())
                    .find_map(|needle| Some((html.find(needle)?, needle.len())));
                if let Some((offset, length)) = found {
                    let start = span.start + offset;
                    return at(page.file.clone(), &page.text(), start..start + length, true);
                }
            }
        }
        let from_root = (!document.root.is_empty())
            .then(|| written.strip_prefix(document.root.as_str()))
            .flatten();
        // A source's address at a path of the site is written from the page's way up to the
        // root (`../docs/rules.pdf` for `/docs/rules.pdf`).
        let as_source = match from_root {
            Some(rest) if !has_scheme(visible) => Some(format!("/{rest}")),
            _ => has_scheme(visible).then(|| visible.to_string()),
        };
        if let Some(address) = as_source {
            // An address from the facts is a source's, written where the source is defined.
            let written_at = (self.site.facts.sources.iter())
                .filter(|source| source.url.iter("").any(|(_, url)| *url == address))
                .find_map(|source| source.url_written_at.as_ref());
            if let Some((path, span)) = written_at {
                if let Some(text) = self.site.facts.texts.get(path) {
                    // The span is the TOML string's; the finding points at the address inside.
                    let quoted = text
                        .get(span.clone())
                        .is_some_and(|string| string.len() >= 2 && string.starts_with(['"', '\'']));
                    let inside = if quoted {
                        span.start + 1..span.end - 1
                    } else {
                        span.clone()
                    };
                    return at(path.clone(), text, inside, false);
                }
            }
        }
        if has_scheme(visible) {
            // A list fact's record may hold an address too (`url` in `[[links.items]]`); the
            // loader keeps no span inside records, so it is looked for in the facts files.
            for (path, text) in &self.site.facts.texts {
                if let Some(offset) = text.find(visible) {
                    return at(path.clone(), text, offset..offset + visible.len(), false);
                }
            }
        }
        if let Some((shown, text, span)) =
            self.find_in_templates(&template_needles(written, from_root), &reference.tag)
        {
            let mut located = at(shown, &text, span, false);
            if let Some(rest) = from_root {
                located.shown = format!("{{{{ root }}}}{rest}");
            }
            return located;
        }
        let end = document.html[reference.offset..]
            .find('>')
            .map_or(reference.offset, |i| reference.offset + i + 1);
        let path = document
            .copied_from
            .clone()
            .unwrap_or_else(|| PathBuf::from(&document.path));
        at(
            path,
            &document.html,
            reference.offset..end,
            document.copied_from.is_some(),
        )
    }

    /// The first needle found in a template, preferring a place inside a `<tag ...>`.
    fn find_in_templates(
        &self,
        needles: &[String],
        tag: &str,
    ) -> Option<(PathBuf, Arc<str>, Range<usize>)> {
        for needle in needles {
            let mut elsewhere = None;
            for (shown, text) in self.site.theme.sources.values() {
                for (at, _) in text.match_indices(needle.as_str()) {
                    // A needle in quotes points at what is between them.
                    let quotes = usize::from(needle.starts_with('"'));
                    let span = at + quotes..at + needle.len() - quotes;
                    let found = (shown.clone(), text.clone(), span);
                    if inside_tag(text, at, tag) {
                        return Some(found);
                    }
                    elsewhere.get_or_insert(found);
                }
            }
            if elsewhere.is_some() {
                return elsewhere;
            }
        }
        None
    }
}

/// Literal pieces of a reference that a template would hold, most telling first: the part
/// after the page's root behind `{{ root }}`, the whole value in quotes, its file name, its
/// fragment.
fn template_needles(written: &str, from_root: Option<&str>) -> Vec<String> {
    let mut needles = Vec::new();
    if let Some(rest) = from_root {
        needles.push(format!("{{{{ root }}}}{rest}"));
        needles.push(format!("{{{{root}}}}{rest}"));
    }
    needles.push(format!("\"{written}\""));
    let rest = from_root.unwrap_or(written);
    let path = rest.split(['#', '?']).next().unwrap_or_default();
    if let Some(name) = path
        .rsplit('/')
        .next()
        .filter(|n| n.contains('.') && n.len() >= 3)
    {
        needles.push(name.to_string());
    }
    if let Some((_, fragment)) = rest.split_once('#') {
        if fragment.len() >= 2 {
            needles.push(format!("#{fragment}"));
        }
    }
    needles.dedup();
    needles
}

/// Whether offset `at` of a template is inside the start tag of a `tag` element.
fn inside_tag(text: &str, at: usize, tag: &str) -> bool {
    let Some(open) = text[..at].rfind('<') else {
        return false;
    };
    let name = &text[open + 1..];
    name.len() > tag.len()
        && name[..tag.len()].eq_ignore_ascii_case(tag)
        && name[tag.len()..].starts_with(|c: char| c.is_ascii_whitespace())
        && !text[open..at].contains('>')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_needles_start_from_the_root() {
        assert_eq!(
            template_needles("../../favicon.svg", Some("favicon.svg")),
            [
                "{{ root }}favicon.svg",
                "{{root}}favicon.svg",
                "\"../../favicon.svg\"",
                "favicon.svg"
            ]
        );
        assert_eq!(template_needles("#main", None), ["\"#main\"", "#main"]);
        assert!(inside_tag("<p><img class=x src=\"a.png\">", 20, "img"));
        assert!(!inside_tag("<link href=\"a.png\"><p>a.png", 25, "link"));
    }
}
