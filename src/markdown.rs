//! Markdown to HTML for one page: resolves `@/` links, expands `{{ fact(...) }}`,
//! `{{ checker(...) }}` and the theme's shortcodes, gives every heading a stable id and
//! collects the table of contents.
//!
//! Works on pulldown-cmark's event stream with source offsets, so every problem is reported at
//! its line and column, and text inside code is never touched.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::content::{Content, Page};
use crate::diagnostics::{suggest, Diagnostic, Diagnostics};
use crate::escape::escape_html;
use crate::facts::Facts;
use crate::paths::has_extension;

mod shortcodes;
mod user_shortcodes;

pub use crate::links::{InternalLink, LinkKind, WrittenLink, WrittenLinks};
pub(crate) use shortcodes::parse_shortcode;
use shortcodes::Expanded;
pub use user_shortcodes::{ShortcodeFailure, BUILT_IN as BUILT_IN_SHORTCODES};

/// What Markdown may embed besides facts: the eligibility checkers and the theme's shortcodes.
pub trait Embeds: Sync {
    /// The HTML of checker `id` for a page in `language` whose links reach the site root
    /// through `root`; the first checker on a page (`first_on_page`) also loads the page
    /// script every checker shares, which must run once.
    fn checker(
        &self,
        id: &str,
        root: &str,
        language: &str,
        first_on_page: bool,
    ) -> Result<String, String>;
    fn checker_ids(&self) -> Vec<&str>;
    /// The theme's string `key` in `language`, for wording the Markdown renderer writes itself
    /// (a cited fact's link title).
    fn theme_string(&self, key: &str, language: &str) -> Option<String> {
        let _ = (key, language);
        None
    }
    /// The theme's own shortcodes: the names of its templates `shortcodes/NAME.html`.
    fn shortcode_names(&self) -> Vec<&str> {
        Vec::new()
    }
    /// Renders the theme's shortcode `name` with `args` (a body call's rendered body is `body`).
    fn shortcode(
        &self,
        name: &str,
        args: &serde_json::Map<String, serde_json::Value>,
    ) -> Result<String, ShortcodeFailure> {
        let _ = args;
        Err(ShortcodeFailure {
            template: format!("shortcodes/{name}.html"),
            causes: vec![format!("there is no template `shortcodes/{name}.html`")],
        })
    }
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<Heading>,
}

#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<Heading>,
    /// Every `id` the page defines (headings and footnotes), for anchor checks.
    pub anchors: Vec<String>,
    /// Ids of the checkers the page embeds.
    pub checkers: Vec<String>,
    /// The `@/` links of this page that name an anchor, to check once every page is rendered.
    pub anchor_links: Vec<InternalLink>,
    /// The facts its `{{ fact(..) }}` calls show, in the order written (repeats kept).
    pub facts: Vec<String>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

struct PageRenderer<'a> {
    page: &'a Page,
    /// The page's file, read once for this render: what every span points into.
    text: Arc<str>,
    content: &'a Content,
    facts: &'a Facts,
    embeds: &'a dyn Embeds,
    diagnostics: Diagnostics,
    rendered: Rendered,
    /// Every link and image of the page and its raw HTML, kept on the page once rendered;
    /// `None` when no one will read them.
    written_links: Option<WrittenLinks>,
    /// Where in the page's file the Markdown being read starts: the body's start, or a
    /// shortcode body's.
    base: usize,
    /// Every heading id given so far, bodies of shortcodes included.
    used_ids: UsedIds,
    /// The HTML of the theme's shortcodes, by the index their placeholders hold.
    shortcode_html: Vec<String>,
    /// Whether the page has been told it holds more calls than placeholders can number.
    too_many_said: bool,
    /// The way from the page up to the site's root (`../../`), which every link starts with.
    root: String,
    /// The page's language's position among the site's: where its links are found in
    /// [`crate::content::LinkTable`].
    language: usize,
}

/// Renders one page. With `record_links`, every link and image it writes, and its raw HTML,
/// are kept on the page (`Page::written_links`) for `guide check`; a build that only writes
/// the site has no use for them, and leaves them out.
pub fn render(
    page: &Page,
    content: &Content,
    facts: &Facts,
    embeds: &dyn Embeds,
    record_links: bool,
) -> Result<Rendered, Diagnostics> {
    let text = page.text();
    if !page.text.is_as_loaded(&text) {
        let first_line = text.find('\n').unwrap_or(text.len());
        return Err(Diagnostics::from(
            Diagnostic::at(
                &page.file,
                &text,
                0..first_line,
                "this file changed while the site was building",
            )
            .with_help("build again once it is saved"),
        ));
    }
    let mut renderer = PageRenderer {
        page,
        text: text.clone(),
        content,
        facts,
        embeds,
        diagnostics: Diagnostics::default(),
        rendered: Rendered::default(),
        written_links: record_links.then(WrittenLinks::default),
        base: page.body_start,
        used_ids: UsedIds::default(),
        shortcode_html: Vec::new(),
        too_many_said: false,
        root: page.root(),
        language: content
            .languages
            .codes()
            .position(|code| code == page.lang)
            .unwrap_or(usize::MAX),
    };
    let body = text.get(page.body_start..).unwrap_or("");
    let source = if user_shortcodes::may_call_user_shortcodes(body) {
        std::borrow::Cow::Owned(renderer.replace_user_shortcodes(body, page.body_start, 0))
    } else {
        std::borrow::Cow::Borrowed(body)
    };
    let events = merge_text(Parser::new_ext(&source, options()).into_offset_iter());
    let events = renderer.transform(events);
    pulldown_cmark::html::push_html(&mut renderer.rendered.html, events.into_iter());
    renderer.rendered.toc = nest(std::mem::take(&mut renderer.rendered.toc));
    // Kept by the first render of this text: a later one (`guide serve`) writes the same links.
    if let Some(written_links) = renderer.written_links {
        let _ = page.written_links.set(written_links);
    }
    renderer.diagnostics.into_result(renderer.rendered)
}

/// Whether `text` holds `{{`. Most text holds no `{` at all, which a search for one character
/// (memchr) settles at once, without the setup a substring search costs on every text event.
fn has_open_braces(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find('{') {
        rest = &rest[at + 1..];
        if rest.starts_with('{') {
            return true;
        }
    }
    false
}

/// Cuts every text event holding a placeholder of a theme's shortcode into text events, each
/// placeholder one of its own (with the text's range).
fn split_placeholders<'e>(
    events: Vec<(Event<'e>, Range<usize>)>,
) -> Vec<(Event<'e>, Range<usize>)> {
    let mut split = Vec::with_capacity(events.len());
    for (event, range) in events {
        let Event::Text(text) = &event else {
            split.push((event, range));
            continue;
        };
        if !user_shortcodes::has_placeholder(text) {
            split.push((event, range));
            continue;
        }
        let mut rest: &str = text;
        let mut plain = String::new();
        while let Some(c) = rest.chars().next() {
            if let Some((_, len)) = user_shortcodes::inline_placeholder_at(rest) {
                if !plain.is_empty() {
                    split.push((
                        Event::Text(CowStr::from(std::mem::take(&mut plain))),
                        range.clone(),
                    ));
                }
                split.push((
                    Event::Text(CowStr::from(rest[..len].to_string())),
                    range.clone(),
                ));
                rest = &rest[len..];
            } else {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
        if !plain.is_empty() {
            split.push((Event::Text(CowStr::from(plain)), range.clone()));
        }
    }
    split
}

/// Joins adjacent text events (the parser splits text at characters that might start markup).
/// A run is gathered in one buffer, so a paragraph split many times is copied once, not once
/// per piece.
fn merge_text<'e>(
    events: impl Iterator<Item = (Event<'e>, Range<usize>)>,
) -> Vec<(Event<'e>, Range<usize>)> {
    let mut merged: Vec<(Event<'e>, Range<usize>)> = Vec::new();
    // The text of the run the last event in `merged` ends, when it has more than one piece.
    let mut run: Option<String> = None;
    for (event, range) in events {
        if let (Event::Text(next), Some((Event::Text(previous), previous_range))) =
            (&event, merged.last_mut())
        {
            run.get_or_insert_with(|| previous.to_string())
                .push_str(next);
            previous_range.end = range.end;
            continue;
        }
        if let Some(text) = run.take() {
            if let Some((last, _)) = merged.last_mut() {
                *last = Event::Text(CowStr::from(text));
            }
        }
        merged.push((event, range));
    }
    if let Some(text) = run.take() {
        if let Some((last, _)) = merged.last_mut() {
            *last = Event::Text(CowStr::from(text));
        }
    }
    merged
}

impl<'a> PageRenderer<'a> {
    fn transform<'e>(&mut self, events: Vec<(Event<'e>, Range<usize>)>) -> Vec<Event<'e>> {
        let events = if self.shortcode_html.is_empty() {
            events
        } else {
            split_placeholders(events)
        };
        let mut out: Vec<Event<'e>> = Vec::with_capacity(events.len());
        let mut in_code_block = false;
        // Index in `out` of the open heading's start event, rewritten with its id at the end.
        let mut heading: Option<usize> = None;
        let mut heading_text = String::new();
        // Index in `written_links` of the open image, whose alt text is being read.
        let mut image: Option<usize> = None;
        // How many links the text is inside, so a citation never nests in one.
        let mut link_depth = 0usize;
        let mut index = 0;
        while index < events.len() {
            let (event, range) = &events[index];
            index += 1;
            match event {
                Event::Start(Tag::Paragraph) => {
                    if let (
                        Some((Event::Text(text), text_range)),
                        Some((Event::End(TagEnd::Paragraph), _)),
                    ) = (events.get(index), events.get(index + 1))
                    {
                        if let Some(html) = self.placeholder_html(text) {
                            // A paragraph of one shortcode is its HTML alone.
                            out.push(Event::Html(CowStr::from(format!("{html}\n"))));
                            index += 2;
                            continue;
                        }
                        if let Some(html) = self.block_checker(text, text_range) {
                            out.push(Event::Html(CowStr::from(html)));
                            index += 2;
                            continue;
                        }
                    }
                    out.push(event.clone());
                }
                Event::Start(Tag::CodeBlock(_)) => {
                    in_code_block = true;
                    out.push(event.clone());
                }
                Event::End(TagEnd::CodeBlock) => {
                    in_code_block = false;
                    out.push(event.clone());
                }
                Event::Text(text) if !in_code_block && self.placeholder_html(text).is_some() => {
                    let html = self.placeholder_html(text).unwrap_or_default();
                    out.push(Event::InlineHtml(CowStr::from(html)));
                }
                Event::Text(text) if !in_code_block => {
                    self.alt_text(image, text);
                    if !has_open_braces(text) {
                        if heading.is_some() {
                            heading_text.push_str(text);
                        }
                        out.push(Event::Text(text.clone()));
                        continue;
                    }
                    // A citation is a link: none inside a heading, an image's alt text or
                    // another link.
                    let may_cite = heading.is_none() && image.is_none() && link_depth == 0;
                    for piece in self.expand_shortcodes(text, range, may_cite) {
                        match piece {
                            Expanded::Text(text) => {
                                if heading.is_some() {
                                    heading_text.push_str(&text);
                                }
                                out.push(Event::Text(CowStr::from(text)));
                            }
                            Expanded::Cited { text, source } => {
                                // Not recorded as the page's link: its address is written
                                // in the facts, where `guide check` points for it.
                                let language = self.page.lang.as_str();
                                let prefix = self
                                    .embeds
                                    .theme_string("citation", language)
                                    .unwrap_or_else(|| "Source:".to_string());
                                // A source in another language: its title is marked with
                                // its language's name, and the link with its language.
                                let (title, hreflang) = match &source.lang {
                                    Some(lang) => {
                                        let marker = self
                                            .embeds
                                            .theme_string(&format!("in_language_{lang}"), language)
                                            .map(|marker| format!(" {marker}"))
                                            .unwrap_or_default();
                                        (
                                            format!("{prefix} {}{marker}", source.title),
                                            format!(" hreflang=\"{}\"", escape_html(lang)),
                                        )
                                    }
                                    None => (format!("{prefix} {}", source.title), String::new()),
                                };
                                out.push(Event::InlineHtml(CowStr::from(format!(
                                    "<a class=\"fact-source\" href=\"{}\"{hreflang} title=\"{}\">",
                                    escape_html(&source.url),
                                    escape_html(&title)
                                ))));
                                out.push(Event::Text(CowStr::from(text)));
                                out.push(Event::InlineHtml(CowStr::from("</a>")));
                            }
                        }
                    }
                }
                Event::End(TagEnd::Link) => {
                    link_depth = link_depth.saturating_sub(1);
                    out.push(event.clone());
                }
                Event::Code(code) if image.is_some() || heading.is_some() => {
                    self.alt_text(image, code);
                    if heading.is_some() {
                        heading_text.push_str(code);
                    }
                    out.push(event.clone());
                }
                Event::Start(Tag::Heading { .. }) => {
                    heading = Some(out.len());
                    heading_text.clear();
                    out.push(event.clone());
                }
                Event::End(TagEnd::Heading(_)) => {
                    let open = heading.take().map(|start| (start, out[start].clone()));
                    if let Some((
                        start,
                        Event::Start(Tag::Heading {
                            level,
                            id,
                            classes,
                            attrs,
                        }),
                    )) = open
                    {
                        let base = id
                            .map(|id| id.to_string())
                            .unwrap_or_else(|| slugify(&heading_text));
                        let id = unique_id(base, &mut self.used_ids);
                        out[start] = Event::Start(Tag::Heading {
                            level,
                            id: Some(CowStr::from(id.clone())),
                            classes,
                            attrs,
                        });
                        self.rendered.anchors.push(id.clone());
                        self.rendered.toc.push(Heading {
                            level: level as u8,
                            id,
                            title: heading_text.trim().to_string(),
                            children: Vec::new(),
                        });
                    }
                    out.push(event.clone());
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let rendered = if dest_url.starts_with('@') {
                        CowStr::from(self.resolve_link(dest_url, range))
                    } else {
                        self.refuse_script(dest_url, range);
                        dest_url.clone()
                    };
                    self.record(dest_url, &rendered, range, false);
                    link_depth += 1;
                    out.push(Event::Start(Tag::Link {
                        link_type: *link_type,
                        dest_url: rendered,
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let rendered = if dest_url.starts_with('@') {
                        CowStr::from(self.resolve_image(dest_url, range))
                    } else {
                        self.refuse_script(dest_url, range);
                        dest_url.clone()
                    };
                    self.record(dest_url, &rendered, range, true);
                    image = self
                        .written_links
                        .as_ref()
                        .and_then(|written| written.links.len().checked_sub(1));
                    out.push(Event::Start(Tag::Image {
                        link_type: *link_type,
                        dest_url: rendered,
                        title: title.clone(),
                        id: id.clone(),
                    }));
                }
                Event::End(TagEnd::Image) => {
                    image = None;
                    out.push(event.clone());
                }
                Event::Html(html)
                    if !self.shortcode_html.is_empty()
                        && user_shortcodes::block_placeholder_index(html).is_some() =>
                {
                    let index = user_shortcodes::block_placeholder_index(html).unwrap_or_default();
                    let html = self.shortcode_html.get(index).cloned().unwrap_or_default();
                    out.push(Event::Html(CowStr::from(format!("{html}\n"))));
                }
                Event::Html(_) | Event::InlineHtml(_) => {
                    if let Some(written) = &mut self.written_links {
                        let start = self.base;
                        written
                            .raw_html
                            .push(start + range.start..start + range.end);
                    }
                    out.push(event.clone());
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    self.rendered.anchors.push(label.to_string());
                    out.push(event.clone());
                }
                _ => out.push(event.clone()),
            }
        }
        out
    }

    /// Keeps a link or image, at body range `within`, in the page's records (when kept).
    fn record(&mut self, target: &str, rendered: &str, within: &Range<usize>, image: bool) {
        if self.written_links.is_none() {
            return;
        }
        let element = self.base + within.start..self.base + within.end;
        let link = WrittenLink {
            kind: LinkKind::of(target, image, &self.content.copied),
            target: target.to_string(),
            rendered: rendered.to_string(),
            span: if target.is_empty() {
                element.clone()
            } else {
                self.locate(within, target)
            },
            element,
            image,
            without_alt: image,
        };
        if let Some(written) = &mut self.written_links {
            written.links.push(link);
        }
    }

    /// Text inside the open image (if any) is its alt text.
    fn alt_text(&mut self, image: Option<usize>, text: &str) {
        let links = self
            .written_links
            .as_mut()
            .map(|written| &mut written.links);
        if let Some(link) = image.and_then(|i| links?.get_mut(i)) {
            if !text.trim().is_empty() {
                link.without_alt = false;
            }
        }
    }

    /// Reports a link or image to a URL that would run a script (`javascript:`), as shortcode
    /// arguments and rules texts do: a page's links are the guide's own, never a script.
    fn refuse_script(&mut self, dest: &str, range: &Range<usize>) {
        if crate::urls::hazard(dest) == Some(crate::urls::Hazard::Script) {
            let span = self.locate(range, dest);
            let diagnostic = self.error(span, format!("the link `{dest}` would run a script"));
            self.diagnostics.push(diagnostic.with_help(
                "link to a web address (`https://...`) or a page of the guide (`@/path/page.md`)",
            ));
        }
    }

    /// Absolute byte range in the page's file of `needle` inside the body range `within`.
    fn locate(&self, within: &Range<usize>, needle: &str) -> Range<usize> {
        let start = self.base + within.start;
        let end = self.base + within.end;
        match self
            .text
            .get(start..end)
            .and_then(|slice| slice.find(needle))
        {
            Some(offset) => start + offset..start + offset + needle.len(),
            None => start..end,
        }
    }

    /// The HTML of the theme's shortcode whose placeholder is exactly `text`.
    fn placeholder_html(&self, text: &str) -> Option<String> {
        if self.shortcode_html.is_empty() {
            return None;
        }
        let (index, len) = user_shortcodes::inline_placeholder_at(text)?;
        (len == text.len()).then(|| self.shortcode_html.get(index).cloned())?
    }

    fn error(&self, span: Range<usize>, message: String) -> Diagnostic {
        Diagnostic::at(&self.page.file, &self.text, span, message)
    }

    /// The path after `@/`, or `None` (and an error) when the slash is missing.
    fn internal_path<'d>(&mut self, dest: &'d str, range: &Range<usize>) -> Option<&'d str> {
        let path = dest.strip_prefix("@/");
        if path.is_none() {
            let span = self.locate(range, dest);
            let diagnostic = self.error(span, format!("cannot read the internal link `{dest}`"));
            let help = format!("internal links start with `@/`: write `@/{}`", &dest[1..]);
            self.diagnostics.push(diagnostic.with_help(help));
        }
        path
    }

    /// A `@/` link: to a page (by its source path, with an optional `#anchor`) or to a file
    /// copied from content/.
    fn resolve_link(&mut self, dest: &str, range: &Range<usize>) -> String {
        let Some(path) = self.internal_path(dest, range) else {
            return dest.to_string();
        };
        let (target, anchor) = match path.split_once('#') {
            Some((target, anchor)) => (target, Some(anchor)),
            None => (path, None),
        };
        if let Some((index, page_path)) = self.content.link_target(self.language, target) {
            let mut url = self.under_root(page_path);
            if let Some(anchor) = anchor {
                self.record_anchor_link(index, dest, range);
                url.push('#');
                url.push_str(anchor);
            }
            return url;
        }
        let resolved = match self.content.resolve(&self.page.lang, target) {
            Ok(found) => found,
            Err(counterpart) => {
                let span = self.locate(range, dest);
                let message = format!(
                    "`{dest}` has no counterpart in this page's language (`{}`)",
                    self.page.lang
                );
                let help = format!("write its translation, `content/{counterpart}`");
                self.diagnostics
                    .push(self.error(span, message).with_help(help));
                return dest.to_string();
            }
        };
        let url = if let Some(index) = resolved {
            if anchor.is_some() {
                self.record_anchor_link(index, dest, range);
            }
            self.under_root(&self.content.pages[index].path)
        } else if self.content.copied.contains(target) {
            self.under_root(target)
        } else {
            let what = if has_extension(Path::new(target), "md") {
                "a page"
            } else {
                "a file"
            };
            let message = format!("link to {what} that does not exist: `{dest}`");
            let pages = self.content.by_source.keys();
            let known = pages.chain(&self.content.copied).map(String::as_str);
            self.missing_target(dest, target, range, message, known.collect());
            return dest.to_string();
        };
        match anchor {
            Some(anchor) => url + "#" + anchor,
            None => url,
        }
    }

    /// Keeps a link with an anchor to page `index`, for the check of its anchor once every
    /// page is rendered: the only check left for a link that leads to a page (every link is
    /// recorded, when asked, in `written_links`).
    fn record_anchor_link(&mut self, index: usize, dest: &str, range: &Range<usize>) {
        self.rendered.anchor_links.push(InternalLink {
            target: self.content.pages[index].source_path.clone(),
            written: dest.to_string(),
            within: self.base + range.start..self.base + range.end,
        });
    }

    /// `path` (relative to the site's root) as a link from this page.
    fn under_root(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.root.len() + path.len() + 16);
        url.push_str(&self.root);
        url.push_str(path);
        url
    }

    /// A `@/` image: a file copied from content/.
    fn resolve_image(&mut self, dest: &str, range: &Range<usize>) -> String {
        let Some(target) = self.internal_path(dest, range) else {
            return dest.to_string();
        };
        if self.content.copied.contains(target) {
            return self.under_root(target);
        }
        let message = format!("image that does not exist: `{dest}`");
        let known = self.content.copied.iter().map(String::as_str).collect();
        self.missing_target(dest, target, range, message, known);
        dest.to_string()
    }

    fn missing_target(
        &mut self,
        dest: &str,
        target: &str,
        range: &Range<usize>,
        message: String,
        known: Vec<&str>,
    ) {
        let span = self.locate(range, dest);
        let help = match suggest(target, known) {
            Some(near) => format!("did you mean `@/{near}`?"),
            None => "write the target's path below content/, e.g. `@/stream/family.md` or \
                     `@/stream/diagram.svg`"
                .into(),
        };
        self.diagnostics
            .push(self.error(span, message).with_help(help));
    }
}

/// A stable id for a heading: lowercase words joined by `-`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.push(c);
        } else if !matches!(c, '\'' | '\u{2019}') {
            pending_dash = true;
        }
    }
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

/// The ids a page's headings took, and for each id taken more than once, the next number to
/// try after it: a page of many same headings numbers each in one step, not by trying every
/// number taken before it again.
#[derive(Default)]
struct UsedIds {
    ids: HashSet<String>,
    next: HashMap<String, usize>,
}

/// `base`, or `base-1`, `base-2`... the first not taken: numbers are tried in order from the
/// last one given for `base`, as every one below it is taken for good.
fn unique_id(base: String, used: &mut UsedIds) -> String {
    if used.ids.insert(base.clone()) {
        return base;
    }
    let next = used.next.entry(base.clone()).or_insert(1);
    loop {
        let id = format!("{base}-{next}");
        *next += 1;
        if used.ids.insert(id.clone()) {
            return id;
        }
    }
}

/// Turns the flat heading list into a tree: each heading holds the deeper ones after it.
fn nest(flat: Vec<Heading>) -> Vec<Heading> {
    let mut roots: Vec<Heading> = Vec::new();
    for heading in flat {
        insert(&mut roots, heading);
    }
    roots
}

fn insert(siblings: &mut Vec<Heading>, heading: Heading) {
    match siblings.last_mut() {
        Some(last) if last.level < heading.level => insert(&mut last.children, heading),
        _ => siblings.push(heading),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::{BuildOptions, Site};

    #[test]
    fn adjacent_text_becomes_one_event_spanning_its_pieces() {
        let source = "a\\_b\\_c [x](y) d\\*e\n\nf\\_g";
        let merged = merge_text(Parser::new_ext(source, options()).into_offset_iter());
        let texts: Vec<(String, Range<usize>)> = merged
            .into_iter()
            .filter_map(|(event, range)| match event {
                Event::Text(text) => Some((text.to_string(), range)),
                _ => None,
            })
            .collect();
        assert_eq!(
            texts,
            [
                ("a_b_c ".to_string(), 0..8),
                ("x".to_string(), 9..10),
                (" d*e".to_string(), 14..19),
                ("f_g".to_string(), 21..25),
            ]
        );
    }

    /// Renders `body` as `content/a.md` (front matter `front` added to its title) in a site
    /// whose fact `p.cap` cites a web source and `p.local` a path within the site.
    fn render_with_facts(front: &str, body: &str) -> String {
        let temp = tempfile::tempdir().unwrap();
        let sources =
            "[gov]\ntitle = \"Gov <notice>\"\nurl = \"https://gov.example/cap?a=1&b=2\"\n\n\
                       [local]\ntitle = \"Local\"\nurl = \"/docs/rules.pdf\"\n";
        let facts =
            "[cap]\nlabel = \"Cap\"\nvalue = 10000\nsource = \"gov\"\nverified = 2026-01-31\n\n\
                     [local]\nlabel = \"Local\"\nvalue = 3\nsource = \"local\"\n";
        for (path, text) in [
            (
                "site.toml",
                "title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"t\"\n",
            ),
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
            ("content/facts/sources.toml", sources),
            ("content/facts/p.toml", facts),
            ("themes/t/templates/page.html", "{{ page.content }}"),
            ("themes/t/templates/section.html", "{{ section.content }}"),
        ] {
            let path = temp.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let page = format!("+++\ntitle = \"A\"\n{front}+++\n{body}");
        std::fs::write(temp.path().join("content/a.md"), page).unwrap();
        let site = match Site::load(&BuildOptions::new(temp.path())) {
            Ok(site) => site,
            Err(diagnostics) => panic!("{}", diagnostics.render()),
        };
        let page = &site.content.pages[site.content.by_source["a.md"]];
        let prepared = crate::render::Prepared::new(&site);
        match render(
            page,
            &site.content,
            &site.facts,
            &prepared.checker_pages,
            false,
        ) {
            Ok(rendered) => rendered.html,
            Err(diagnostics) => panic!("{}", diagnostics.render()),
        }
    }

    #[test]
    fn a_cited_fact_links_to_its_source_where_it_stands() {
        let html = render_with_facts(
            "",
            "Capped at {{ fact(p.cap, cite) }} and {{ fact(p.cap) }}.\n",
        );
        assert_eq!(
            html,
            "<p>Capped at <a class=\"fact-source\" href=\"https://gov.example/cap?a=1&amp;b=2\" \
             title=\"Source: Gov &lt;notice&gt;\">10,000</a> and 10,000.</p>\n"
        );
        // A format and `cite` together; `cite` is not taken for a format.
        let html = render_with_facts("", "{{ fact(p.cap, \"plain\", cite) }}\n");
        assert!(html.contains(">10000</a>"), "{html}");
    }

    #[test]
    fn a_page_can_cite_every_fact_except_in_headings_and_links() {
        let body = "## Cap of {{ fact(p.cap) }}\n\nCap {{ fact(p.cap) }}, [see {{ fact(p.cap) }}](https://x.org/), \
                    local {{ fact(p.local) }}.\n";
        let html = render_with_facts("cite_facts = true\n", body);
        assert_eq!(html.matches("class=\"fact-source\"").count(), 2, "{html}");
        assert!(
            html.contains("<h2 id=\"cap-of-10-000\">Cap of 10,000</h2>"),
            "{html}"
        );
        assert!(html.contains(">see 10,000</a>"), "{html}");
        // A source at a path of the site is linked from the page (`content/a.md` is one
        // folder down).
        assert!(
            html.contains("local <a class=\"fact-source\" href=\"../docs/rules.pdf\" title=\"Source: Local\">3</a>."),
            "{html}"
        );
        let plain = render_with_facts("", body);
        assert!(!plain.contains("fact-source"), "{plain}");
    }

    #[test]
    fn the_checked_format_shows_the_month_a_fact_was_verified() {
        let html = render_with_facts("", "As of {{ fact(p.cap, \"checked\") }}.\n");
        assert_eq!(html, "<p>As of January 2026.</p>\n");
    }

    #[test]
    fn every_link_and_image_is_recorded_with_its_kind_and_span() {
        let temp = tempfile::tempdir().unwrap();
        let body = "See [b](@/b.md#top), [here](#who), [up](../x/) and [w](https://w.org/).\n\n\
                    ![](@/map.png) ![A `map`](map.png)\n\n[ref][r]\n\n[r]: ../ref/\n";
        for (path, text) in [
            (
                "site.toml",
                "title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"t\"\n",
            ),
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
            ("content/b.md", "+++\ntitle = \"B\"\n+++\n## Top\n"),
            ("content/map.png", "not really a PNG"),
            ("themes/t/templates/page.html", "{{ page.content }}"),
            ("themes/t/templates/section.html", "{{ section.content }}"),
        ] {
            let path = temp.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let a = temp.path().join("content/a.md");
        std::fs::write(&a, format!("+++\ntitle = \"A\"\n+++\n{body}")).unwrap();
        let site = match Site::load(&BuildOptions::new(temp.path())) {
            Ok(site) => site,
            Err(diagnostics) => panic!("{}", diagnostics.render()),
        };
        let page = &site.content.pages[site.content.by_source["a.md"]];
        let prepared = crate::render::Prepared::new(&site);
        assert!(render(
            page,
            &site.content,
            &site.facts,
            &prepared.checker_pages,
            true
        )
        .is_ok());
        let written = page.written_links.get().expect("recorded by the render");
        let links = &written.links;
        let text = page.text();
        let seen: Vec<(LinkKind, &str, &str, &str, bool)> = links
            .iter()
            .map(|link| {
                (
                    link.kind,
                    link.target.as_str(),
                    link.rendered.as_str(),
                    &text[link.span.clone()],
                    link.without_alt,
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                (
                    LinkKind::Page,
                    "@/b.md#top",
                    "../b/#top",
                    "@/b.md#top",
                    false
                ),
                (LinkKind::Anchor, "#who", "#who", "#who", false),
                (LinkKind::Relative, "../x/", "../x/", "../x/", false),
                (
                    LinkKind::External,
                    "https://w.org/",
                    "https://w.org/",
                    "https://w.org/",
                    false
                ),
                (LinkKind::File, "@/map.png", "../map.png", "@/map.png", true),
                (LinkKind::Relative, "map.png", "map.png", "map.png", false),
                // A reference-style link's destination is written elsewhere: its element.
                (LinkKind::Relative, "../ref/", "../ref/", "[ref][r]", false),
            ]
        );
        assert_eq!(&page.text()[links[4].element.clone()], "![](@/map.png)");
    }

    #[test]
    fn open_braces_are_found_only_as_a_pair() {
        for text in ["{{", "a {{ fact(x) }}", "{ {{", "a{b{{"] {
            assert!(has_open_braces(text), "{text}");
        }
        for text in ["", "{", "a { b } c", "{ {", "}}{", "é{"] {
            assert!(!has_open_braces(text), "{text}");
        }
    }

    #[test]
    fn slugs_are_stable_and_unique() {
        assert_eq!(slugify("Who qualified?"), "who-qualified");
        assert_eq!(
            slugify("The cap: 10,000 applications"),
            "the-cap-10-000-applications"
        );
        assert_eq!(slugify("Canada's strategy"), "canadas-strategy");
        let mut used = UsedIds::default();
        assert_eq!(unique_id("a".into(), &mut used), "a");
        assert_eq!(unique_id("a".into(), &mut used), "a-1");
        // A heading written `A 2` took `a-2` already: the next `A` skips it.
        assert_eq!(unique_id("a-2".into(), &mut used), "a-2");
        assert_eq!(unique_id("a".into(), &mut used), "a-3");
        assert_eq!(unique_id("a-1".into(), &mut used), "a-1-1");
        // Many same headings, each in one step.
        for n in 4..20_000 {
            assert_eq!(unique_id("a".into(), &mut used), format!("a-{n}"));
        }
    }

    #[test]
    fn headings_nest_by_level() {
        let h = |level, id: &str| Heading {
            level,
            id: id.into(),
            title: id.into(),
            children: vec![],
        };
        let tree = nest(vec![h(2, "a"), h(3, "b"), h(3, "c"), h(2, "d")]);
        assert_eq!(tree.len(), 2);
        assert_eq!(
            tree[0]
                .children
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>(),
            ["b", "c"]
        );
    }
}
