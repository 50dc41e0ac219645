//! `guide check`: builds the site in memory and verifies what a reader would trip over.
//!
//! It reads the rendered HTML with a real parser (lol_html) and checks that every internal
//! link, `#anchor` and asset resolves in the output, that no `href` or `src` runs a script
//! (`javascript:`, `vbscript:`) or opens a `data:` document, that pages have titles,
//! descriptions and image alt text, and lists the facts due for re-verification and the
//! external links (which it requests only when asked). Each finding points at the Markdown
//! line that wrote the link where it can, else at the template or fact file holding it, else
//! at the rendered HTML.
//!
//! Errors (broken links, anchors and assets, script and `data:` URLs, a missing title, an
//! image without alt text, an external link that answers "not found") make the command fail;
//! warnings (a missing description, a stale or unverified fact, a link that works only on
//! some hosts) do not.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use lol_html::{element, text, HtmlRewriter, Settings};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::build::build_in_memory;
use crate::content::{relative_root, Page};
use crate::diagnostics::{suggest, Diagnostic, Diagnostics, Severity};
use crate::facts::Fact;
use crate::output::{Output, OutputFile};
use crate::site::{BuildOptions, Site};
use crate::urls::Hazard;
use guide_rules::Date;

/// How long one external link may take to answer.
pub const EXTERNAL_TIMEOUT: Duration = Duration::from_secs(10);
/// External links requested at once.
const EXTERNAL_WORKERS: usize = 8;

/// What `guide check` is asked to do.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub build: BuildOptions,
    /// Request every external link.
    pub external: bool,
    /// Overrides `[check] stale_after_days`.
    pub stale_after_days: Option<u32>,
    /// The day facts' ages are counted to; `None` for today's date (UTC).
    pub today: Option<Date>,
    pub timeout: Duration,
}

impl CheckOptions {
    pub fn new(build: BuildOptions) -> CheckOptions {
        CheckOptions {
            build,
            external: false,
            stale_after_days: None,
            today: None,
            timeout: EXTERNAL_TIMEOUT,
        }
    }
}

/// What an external link answered, when external links were checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    Status(u16),
    TimedOut,
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct ExternalLink {
    pub url: String,
    /// How many times the site links to it.
    pub count: usize,
    pub answer: Option<Answer>,
}

#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Every problem found, each with its severity: errors fail the check.
    pub findings: Vec<Diagnostic>,
    /// HTML documents read.
    pub documents: usize,
    /// Internal links (with or without an anchor) followed.
    pub links: usize,
    /// Internal stylesheets, scripts, images and icons looked up.
    pub assets: usize,
    pub facts: usize,
    pub stale_after_days: u32,
    pub today: Option<Date>,
    /// Every external http(s) URL, once, in order.
    pub external: Vec<ExternalLink>,
    pub external_checked: bool,
}

impl CheckReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|finding| finding.severity == severity)
            .count()
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    /// Every finding, cargo-style: errors first.
    pub fn render_findings(&self) -> String {
        let mut out = String::new();
        for finding in &self.findings {
            out.push_str(&finding.render());
            out.push('\n');
        }
        out
    }

    /// What was checked, the external links, and the verdict.
    pub fn summary(&self) -> String {
        let mut out = format!(
            "checked {} pages: {} internal links, {} assets, {} facts (stale after {} days)\n",
            self.documents, self.links, self.assets, self.facts, self.stale_after_days
        );
        let total: usize = self.external.iter().map(|link| link.count).sum();
        out.push_str(&format!(
            "external links: {total} ({} unique URLs){}\n",
            self.external.len(),
            if self.external_checked || self.external.is_empty() {
                ""
            } else {
                ", not requested (pass --external to check them)"
            }
        ));
        for link in &self.external {
            let answer = match &link.answer {
                None => String::new(),
                Some(Answer::Status(code)) => format!("{code} "),
                Some(Answer::TimedOut) => "timeout ".into(),
                Some(Answer::Failed(_)) => "failed ".into(),
            };
            out.push_str(&format!("  {answer}{}\n", link.url));
        }
        let (errors, warnings) = (self.errors(), self.warnings());
        out.push_str(&format!(
            "{errors} error{}, {warnings} warning{}",
            plural(errors),
            plural(warnings)
        ));
        out.push_str(if errors > 0 {
            ": check failed\n"
        } else {
            ": check passed\n"
        });
        out
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// Builds the site in memory (nothing is written) and checks it. `Err` when the build fails.
pub fn check(options: &CheckOptions) -> Result<CheckReport, Diagnostics> {
    let (site, output) = build_in_memory(&options.build, &mut Vec::new())?;
    Ok(check_output(&site, &output, options))
}

/// Checks a rendered site.
pub fn check_output(site: &Site, output: &Output, options: &CheckOptions) -> CheckReport {
    let today = options.today.unwrap_or_else(today_utc);
    let stale_after_days = options
        .stale_after_days
        .unwrap_or(site.config.check.stale_after_days);
    let checker = Checker::new(site, output);
    let mut findings = Findings::default();
    let mut report = CheckReport {
        documents: checker.documents.len(),
        facts: site.facts.len(),
        stale_after_days,
        today: Some(today),
        external_checked: options.external,
        ..CheckReport::default()
    };

    let per_document: Vec<(Findings, Tally)> = checker
        .documents
        .par_iter()
        .map(|(_, document)| checker.check_document(document))
        .collect();
    let mut external: BTreeMap<String, (usize, Located)> = BTreeMap::new();
    for (found, tally) in per_document {
        findings.extend(found);
        report.links += tally.links;
        report.assets += tally.assets;
        for (url, located) in tally.external {
            external.entry(url).or_insert_with(|| (0, located)).0 += 1;
        }
    }
    checker.check_pages(&mut findings);
    checker.check_rendered_heads(&mut findings);
    check_facts(site, today, stale_after_days, &mut findings);

    let urls: Vec<&String> = external.keys().collect();
    let answers = if options.external {
        request_all(&urls, options.timeout)
    } else {
        vec![None; urls.len()]
    };
    for ((url, (count, located)), answer) in external.iter().zip(answers) {
        if let Some(answer) = &answer {
            if let Some((severity, message, help)) = judge(url, answer, options.timeout) {
                findings.add(
                    severity,
                    located.diagnostic(message).with_help(help),
                    located,
                );
            }
        }
        report.external.push(ExternalLink {
            url: url.clone(),
            count: *count,
            answer,
        });
    }
    report.findings = findings.finish();
    report
}

/// Today's date in UTC, from the system clock.
pub fn today_utc() -> Date {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    Date::from_days(i32::try_from(seconds / 86_400).unwrap_or(i32::MAX))
}

// ---------------------------------------------------------------------------------------------
// Reading the output

/// One HTML document of the output, as the parser saw it.
#[derive(Debug, Default)]
struct Document {
    /// Output path, e.g. `stream/family/index.html`.
    path: String,
    html: Arc<str>,
    /// The content page it was rendered from.
    page: Option<usize>,
    /// The file it was copied from, for HTML in `static/`.
    copied_from: Option<PathBuf>,
    /// How its links reach the site root (`../`, or the base path for the 404 page).
    root: String,
    ids: HashSet<String>,
    refs: Vec<Reference>,
    /// Every `href` and `src` (on any element) whose URL runs a script or is a `data:` URL.
    hazards: Vec<(Hazard, Reference)>,
    /// Byte offsets and `src` of `<img>` elements with no `alt` attribute.
    images_without_alt: Vec<(usize, String)>,
    title: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `a[href]`, `area[href]`: somewhere a reader goes.
    Link,
    /// What the page loads: stylesheets, scripts, images, icons, feeds.
    Asset,
}

#[derive(Debug, Clone)]
struct Reference {
    kind: Kind,
    /// The attribute's value, entities decoded.
    value: String,
    /// Byte offset of the element in the HTML.
    offset: usize,
    tag: String,
}

fn scan(path: &str, html: Arc<str>) -> Document {
    let document = RefCell::new(Document {
        path: path.to_string(),
        ..Document::default()
    });
    let title: RefCell<Option<String>> = RefCell::new(None);
    {
        let mut rewriter = HtmlRewriter::new(
            Settings::new()
                .append_element_content_handler(element!("*", |element| {
                    let mut document = document.borrow_mut();
                    let offset = element.source_location().bytes().start;
                    let tag = element.tag_name();
                    let attribute = |name: &str| element.get_attribute(name).map(|v| decode(&v));
                    if let Some(id) = attribute("id") {
                        document.ids.insert(id);
                    }
                    let mut reference = |kind: Kind, name: &str| {
                        if let Some(value) = attribute(name) {
                            document.refs.push(Reference {
                                kind,
                                value,
                                offset,
                                tag: tag.clone(),
                            });
                        }
                    };
                    match tag.as_str() {
                        "a" | "area" => reference(Kind::Link, "href"),
                        "link" => reference(Kind::Asset, "href"),
                        "script" | "img" | "iframe" | "embed" | "video" | "audio" | "source"
                        | "track" => reference(Kind::Asset, "src"),
                        _ => {}
                    }
                    for name in ["href", "src", "xlink:href"] {
                        let Some(value) = attribute(name) else {
                            continue;
                        };
                        let Some(hazard) = crate::urls::hazard(&value) else {
                            continue;
                        };
                        // An image inlined as data is only drawn: it runs nothing.
                        let drawn = hazard == Hazard::Data
                            && matches!(tag.as_str(), "img" | "link")
                            && crate::urls::media_type(&value)
                                .is_some_and(|media| media.starts_with("image/"));
                        if !drawn {
                            let kind = match tag.as_str() {
                                "a" | "area" => Kind::Link,
                                _ => Kind::Asset,
                            };
                            document.hazards.push((
                                hazard,
                                Reference {
                                    kind,
                                    value,
                                    offset,
                                    tag: tag.clone(),
                                },
                            ));
                        }
                    }
                    if tag == "a" {
                        if let Some(name) = attribute("name") {
                            document.ids.insert(name);
                        }
                    }
                    if tag == "img" && !element.has_attribute("alt") {
                        let src = attribute("src").unwrap_or_default();
                        document.images_without_alt.push((offset, src));
                    }
                    if tag == "meta"
                        && attribute("name").is_some_and(|n| n.eq_ignore_ascii_case("description"))
                    {
                        document.description = Some(attribute("content").unwrap_or_default());
                    }
                    Ok(())
                }))
                .append_element_content_handler(text!("head > title", |chunk| {
                    title
                        .borrow_mut()
                        .get_or_insert_with(String::new)
                        .push_str(chunk.as_str());
                    Ok(())
                })),
            |_: &[u8]| {},
        );
        // The parser recovers from any malformed markup, as browsers do; an error here could
        // only come from a handler, and the handlers above never fail.
        let _ = rewriter.write(html.as_bytes());
        let _ = rewriter.end();
    }
    let mut document = document.into_inner();
    document.title = title.into_inner().map(|t| decode(&t));
    document.html = html;
    document
}

/// Decodes the character references HTML attributes and titles use. Unknown named references
/// stay as written.
fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map(|i| i + 1)
            .unwrap_or(rest.len());
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .map(|hex| u32::from_str_radix(hex, 16))
                .or_else(|| name.strip_prefix('#').map(str::parse::<u32>))
                .and_then(Result::ok)
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end..];
                rest = rest.strip_prefix(';').unwrap_or(rest);
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---------------------------------------------------------------------------------------------
// Resolving references

#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A file of the output, and the fragment after `#`.
    Internal {
        file: String,
        fragment: Option<String>,
        /// Written as a folder (`stream/`) rather than a file.
        folder: bool,
        /// Written as an absolute path (`/guides/x/stream/`).
        absolute: bool,
    },
    External(String),
    /// `mailto:`, `tel:`, `data:`, `javascript:` and the like.
    Other,
    /// Leaves the site: the reason why.
    Outside(String),
}

/// Resolves `href`, written in the document at output path `from`.
fn resolve(from: &str, href: &str, base_url: &str, base_path: &str) -> Target {
    // As browsers do: drop spaces and control characters around it, tabs and line breaks in it.
    let href: String = href
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let href = href.as_str();
    let from_dir = from.rfind('/').map_or("", |slash| &from[..=slash]);
    if href.is_empty() {
        return Target::Other;
    }
    if href.starts_with('#') || href.starts_with('?') {
        let fragment = href.split_once('#').map(|(_, f)| percent_decode(f));
        return Target::Internal {
            file: from.to_string(),
            fragment,
            folder: false,
            absolute: false,
        };
    }
    let (joined, absolute) = if let Some(rest) = strip_prefix_ignore_case(href, base_url) {
        (rest.to_string(), false)
    } else if has_scheme(href) {
        let lower = href.to_ascii_lowercase();
        return if lower.starts_with("http://") || lower.starts_with("https://") {
            Target::External(href.to_string())
        } else {
            Target::Other
        };
    } else if let Some(rest) = href.strip_prefix("//") {
        let scheme = base_url.split("://").next().unwrap_or("https");
        return Target::External(format!("{scheme}://{rest}"));
    } else if href.starts_with('/') {
        match href.strip_prefix(base_path) {
            Some(rest) => (rest.to_string(), true),
            None if format!("{href}/") == base_path => (String::new(), true),
            None => {
                return Target::Outside(format!(
                    "it is an absolute path outside the site's base path `{base_path}`"
                ))
            }
        }
    } else {
        (format!("{from_dir}{href}"), false)
    };
    let (before_fragment, fragment) = match joined.split_once('#') {
        Some((before, fragment)) => (before, Some(percent_decode(fragment))),
        None => (joined.as_str(), None),
    };
    let path = percent_decode(before_fragment.split('?').next().unwrap_or_default());
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if segments.pop().is_none() {
                    return Target::Outside("it climbs above the site's root".into());
                }
            }
            segment => segments.push(segment),
        }
    }
    let last = path.rsplit('/').next().unwrap_or_default();
    let folder = path.is_empty() || path.ends_with('/') || last == "." || last == "..";
    let joined = segments.join("/");
    let file = match (folder, joined.is_empty()) {
        (true, true) => "index.html".to_string(),
        (true, false) => format!("{joined}/index.html"),
        (false, _) => joined,
    };
    Target::Internal {
        file,
        fragment,
        folder,
        absolute,
    }
}

fn has_scheme(href: &str) -> bool {
    let Some(colon) = href.find(':') else {
        return false;
    };
    let scheme = &href[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn strip_prefix_ignore_case<'h>(text: &'h str, prefix: &str) -> Option<&'h str> {
    (text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &text[prefix.len()..])
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

// ---------------------------------------------------------------------------------------------
// Locating findings in the sources

/// Where a finding is shown: a file, its text and a span, and the documents it was seen in.
#[derive(Debug, Clone)]
struct Located {
    path: PathBuf,
    text: Option<Arc<str>>,
    span: Option<Range<usize>>,
    /// Whether the location is the page's own source (so naming the page again is noise).
    in_page_source: bool,
    document: String,
    /// The reference as the message shows it: as the located source wrote it where known
    /// (`{{ root }}style.css` in a template), else as rendered.
    shown: String,
}

impl Located {
    fn diagnostic(&self, message: String) -> Diagnostic {
        match (&self.text, &self.span) {
            (Some(text), Some(span)) => Diagnostic::at(&self.path, text, span.clone(), message),
            _ => Diagnostic::new(&self.path, message),
        }
    }
}

/// A link or image written in a page's Markdown: what it renders to and where it is.
#[derive(Debug, Clone)]
struct MarkdownRef {
    rendered: String,
    span: Range<usize>,
}

#[derive(Debug, Clone, Default)]
struct MarkdownRefs {
    refs: Vec<MarkdownRef>,
    /// Images whose alt text is empty: span and destination.
    images_without_alt: Vec<(Range<usize>, String)>,
}

fn markdown_refs(site: &Site, page: &Page) -> MarkdownRefs {
    let mut found = MarkdownRefs::default();
    let body = page.body();
    let mut image: Option<(Range<usize>, String, bool)> = None;
    for (event, range) in Parser::new_ext(body, crate::markdown::options()).into_offset_iter() {
        let span = page.body_start + range.start..page.body_start + range.end;
        match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                let rendered = if let Some(target) = dest_url.strip_prefix("@/") {
                    let (source, anchor) = match target.split_once('#') {
                        Some((source, anchor)) => (source, Some(anchor)),
                        None => (target, None),
                    };
                    let Some(linked) = site.content.get(source) else {
                        continue;
                    };
                    let mut url = format!("{}{}", page.root(), linked.path);
                    if let Some(anchor) = anchor {
                        url.push('#');
                        url.push_str(anchor);
                    }
                    url
                } else {
                    dest_url.to_string()
                };
                let span = narrow(&page.text, span, &dest_url);
                found.refs.push(MarkdownRef { rendered, span });
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let rendered = match dest_url.strip_prefix("@/") {
                    Some(rest) => format!("{}{rest}", page.root()),
                    None => dest_url.to_string(),
                };
                let narrowed = narrow(&page.text, span.clone(), &dest_url);
                found.refs.push(MarkdownRef {
                    rendered,
                    span: narrowed,
                });
                image = Some((span, dest_url.to_string(), false));
            }
            Event::Text(text) | Event::Code(text) if !text.trim().is_empty() => {
                if let Some((_, _, has_text)) = &mut image {
                    *has_text = true;
                }
            }
            Event::End(TagEnd::Image) => {
                if let Some((span, dest, false)) = image.take() {
                    found.images_without_alt.push((span, dest));
                }
            }
            _ => {}
        }
    }
    found
}

/// The span of `needle` inside `span` of `text`, or `span` when it is not there.
fn narrow(text: &str, span: Range<usize>, needle: &str) -> Range<usize> {
    match text.get(span.clone()).and_then(|slice| slice.find(needle)) {
        Some(at) if !needle.is_empty() => span.start + at..span.start + at + needle.len(),
        _ => span,
    }
}

// ---------------------------------------------------------------------------------------------
// The checks

/// What makes two findings the same: severity, message, file and span.
type FindingKey = (Severity, String, PathBuf, Option<(usize, usize)>);

#[derive(Default)]
struct Findings {
    /// Each finding once, with the documents it was seen in and whether it is located in the
    /// page's own source.
    found: BTreeMap<FindingKey, (Diagnostic, Vec<String>, bool)>,
}

impl Findings {
    fn add(&mut self, severity: Severity, diagnostic: Diagnostic, located: &Located) {
        let diagnostic = diagnostic.with_severity(severity);
        let key = (
            severity,
            diagnostic.message.clone(),
            diagnostic.path.clone(),
            diagnostic.span.as_ref().map(|s| (s.start, s.end)),
        );
        let entry = self
            .found
            .entry(key)
            .or_insert_with(|| (diagnostic, Vec::new(), located.in_page_source));
        if !located.document.is_empty() && !entry.1.contains(&located.document) {
            entry.1.push(located.document.clone());
        }
    }

    fn push(&mut self, severity: Severity, diagnostic: Diagnostic) {
        let located = Located {
            path: diagnostic.path.clone(),
            text: None,
            span: None,
            in_page_source: true,
            document: String::new(),
            shown: String::new(),
        };
        self.add(severity, diagnostic, &located);
    }

    fn extend(&mut self, other: Findings) {
        for (key, (diagnostic, documents, in_source)) in other.found {
            let entry = self
                .found
                .entry(key)
                .or_insert_with(|| (diagnostic, Vec::new(), in_source));
            for document in documents {
                if !entry.1.contains(&document) {
                    entry.1.push(document);
                }
            }
        }
    }

    /// Errors first, then by file and position; a finding seen on many pages once, naming them.
    fn finish(self) -> Vec<Diagnostic> {
        let mut findings: Vec<Diagnostic> = self
            .found
            .into_iter()
            .map(|(_, (mut diagnostic, mut documents, in_source))| {
                documents.sort();
                if !in_source && !documents.is_empty() {
                    let seen = match documents.len() {
                        1 => format!(" (in {})", documents[0]),
                        n => format!(" (in {n} pages: {}, ...)", documents[0]),
                    };
                    diagnostic.message.push_str(&seen);
                }
                diagnostic
            })
            .collect();
        findings.sort_by(|a, b| {
            b.severity
                .cmp(&a.severity)
                .then_with(|| a.path.cmp(&b.path))
                .then_with(|| {
                    let start = |d: &Diagnostic| d.span.as_ref().map_or(0, |s| s.start);
                    start(a).cmp(&start(b))
                })
                .then_with(|| a.message.cmp(&b.message))
        });
        findings
    }
}

#[derive(Default)]
struct Tally {
    links: usize,
    assets: usize,
    external: Vec<(String, Located)>,
}

struct Checker<'a> {
    site: &'a Site,
    output: &'a Output,
    documents: BTreeMap<String, Document>,
    markdown: HashMap<usize, MarkdownRefs>,
}

impl<'a> Checker<'a> {
    fn new(site: &'a Site, output: &'a Output) -> Checker<'a> {
        let page_of: HashMap<String, usize> = site
            .content
            .pages
            .iter()
            .enumerate()
            .map(|(index, page)| (format!("{}index.html", page.path), index))
            .collect();
        let documents: BTreeMap<String, Document> = output
            .files
            .par_iter()
            .filter(|(path, _)| path.ends_with(".html") || path.ends_with(".htm"))
            .filter_map(|(path, file)| {
                let bytes = file.bytes().ok()?;
                let html: Arc<str> = Arc::from(String::from_utf8_lossy(&bytes).as_ref());
                let mut document = scan(path, html);
                document.page = match file {
                    OutputFile::Bytes(_) => page_of.get(path).copied(),
                    OutputFile::Copy(_) => None,
                };
                if let OutputFile::Copy(from) = file {
                    document.copied_from = Some(from.shown());
                }
                document.root = if path == "404.html" {
                    site.config.base_path().to_string()
                } else {
                    relative_root(path.rsplit_once('/').map_or("", |(dir, _)| dir))
                };
                Some((path.clone(), document))
            })
            .collect();
        let markdown = documents
            .values()
            .filter_map(|document| document.page)
            .map(|index| (index, markdown_refs(site, &site.content.pages[index])))
            .collect();
        Checker {
            site,
            output,
            documents,
            markdown,
        }
    }

    fn check_document(&self, document: &Document) -> (Findings, Tally) {
        let mut findings = Findings::default();
        let mut tally = Tally::default();
        let config = &self.site.config;
        // The 404 page is served at any depth, so its links are absolute on purpose.
        let absolute_expected = document.path == "404.html";
        for reference in &document.refs {
            let what = match reference.kind {
                Kind::Link => "link",
                Kind::Asset => "reference",
            };
            let target = resolve(
                &document.path,
                &reference.value,
                &config.base_url,
                config.base_path(),
            );
            let (file, fragment, folder, absolute) = match target {
                Target::Other => continue,
                Target::External(url) => {
                    tally.external.push((url, self.locate(document, reference)));
                    continue;
                }
                Target::Outside(reason) => {
                    let located = self.locate(document, reference);
                    let message = format!("{what} `{}` leaves the site: {reason}", located.shown);
                    findings.add(
                        Severity::Error,
                        located.diagnostic(message).with_help(
                            "write links relative to the page: `{{ root }}path/` in templates, `@/page.md` in Markdown",
                        ),
                        &located,
                    );
                    continue;
                }
                Target::Internal {
                    file,
                    fragment,
                    folder,
                    absolute,
                } => (file, fragment, folder, absolute),
            };
            match reference.kind {
                Kind::Link => tally.links += 1,
                Kind::Asset => tally.assets += 1,
            }
            if absolute && !absolute_expected {
                let located = self.locate(document, reference);
                let message = format!(
                    "{what} `{}` is an absolute path: it breaks when the site moves or is opened from disk",
                    located.shown
                );
                findings.add(
                    Severity::Warning,
                    located
                        .diagnostic(message)
                        .with_help("write it relative to the page, with `{{ root }}` in templates"),
                    &located,
                );
            }
            let file = if self.output.get(&file).is_some() {
                file
            } else if !folder && self.output.get(&format!("{file}/index.html")).is_some() {
                let located = self.locate(document, reference);
                let path = located.shown.split(['#', '?']).next().unwrap_or_default();
                let message = format!(
                    "{what} `{}` names a folder without its trailing `/`: hosts redirect it, but from disk it fails",
                    located.shown
                );
                findings.add(
                    Severity::Warning,
                    located
                        .diagnostic(message)
                        .with_help(format!("write `{path}/`")),
                    &located,
                );
                format!("{file}/index.html")
            } else {
                let located = self.locate(document, reference);
                let message = match reference.kind {
                    Kind::Link => format!(
                        "broken link `{}`: there is no page or file at `{}`",
                        located.shown,
                        file.strip_suffix("index.html").unwrap_or(&file)
                    ),
                    Kind::Asset => format!(
                        "missing asset `{}` (in a `<{}>`): there is no file `{file}` in the output",
                        located.shown, reference.tag
                    ),
                };
                findings.add(Severity::Error, located.diagnostic(message), &located);
                continue;
            };
            let Some(fragment) = fragment.filter(|f| !f.is_empty()) else {
                continue;
            };
            let Some(target) = self.documents.get(&file) else {
                continue;
            };
            if target.ids.contains(&fragment) || fragment.eq_ignore_ascii_case("top") {
                continue;
            }
            let located = self.locate(document, reference);
            let page = match file.strip_suffix("index.html") {
                Some("") => "the home page".to_string(),
                Some(folder) => format!("`{folder}`"),
                None => format!("`{file}`"),
            };
            let mut diagnostic = located.diagnostic(format!(
                "broken anchor `#{fragment}` in `{}`: {page} has no element with id `{fragment}`",
                located.shown
            ));
            if let Some(near) = suggest(&fragment, target.ids.iter().map(String::as_str)) {
                diagnostic = diagnostic.with_help(format!("did you mean `#{near}`?"));
            }
            findings.add(Severity::Error, diagnostic, &located);
        }
        for (hazard, reference) in &document.hazards {
            let located = self.locate(document, reference);
            let what = match reference.kind {
                Kind::Link => "link",
                Kind::Asset => "reference",
            };
            let shown = located.shown.escape_debug();
            let (message, help) = match hazard {
                Hazard::Script => (
                    format!("{what} `{shown}` runs a script"),
                    "a guide's links go to pages and files; write the page's address instead",
                ),
                Hazard::Data => (
                    format!("{what} `{shown}` is a `data:` URL: browsers may open it as a document of its own"),
                    "put the file in the site (next to the page, or in static/) and link to it",
                ),
            };
            findings.add(
                Severity::Error,
                located.diagnostic(message).with_help(help),
                &located,
            );
        }
        for (offset, src) in &document.images_without_alt {
            let reference = Reference {
                kind: Kind::Asset,
                value: src.clone(),
                offset: *offset,
                tag: "img".into(),
            };
            let located = self.locate(document, &reference);
            let message = format!("image `{}` has no alt attribute", located.shown);
            findings.add(
                Severity::Error,
                located.diagnostic(message).with_help(
                    "describe the image in `alt=\"...\"`; a purely decorative image takes `alt=\"\"`",
                ),
                &located,
            );
        }
        (findings, tally)
    }

    /// Where `reference` came from: the page's Markdown, else a fact file (for URLs), else a
    /// template, else the rendered HTML.
    fn locate(&self, document: &Document, reference: &Reference) -> Located {
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
            if let Some(found) = self
                .markdown
                .get(&index)
                .and_then(|refs| refs.refs.iter().find(|r| r.rendered == written))
            {
                return at(page.file.clone(), &page.text, found.span.clone(), true);
            }
            // Leading spaces and control characters (written as entities, say) are skipped by
            // browsers: look for what follows them too.
            let found = [written, visible]
                .into_iter()
                .filter(|needle| !needle.is_empty())
                .find_map(|needle| Some((page.body().find(needle)?, needle.len())));
            if let Some((offset, length)) = found {
                let start = page.body_start + offset;
                return at(page.file.clone(), &page.text, start..start + length, true);
            }
        }
        if has_scheme(visible) {
            for (path, text) in &self.site.facts.texts {
                if let Some(offset) = text.find(visible) {
                    return at(path.clone(), text, offset..offset + visible.len(), false);
                }
            }
        }
        let from_root = (!document.root.is_empty())
            .then(|| written.strip_prefix(document.root.as_str()))
            .flatten();
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

    /// Titles and descriptions in the pages' front matter.
    fn check_pages(&self, findings: &mut Findings) {
        for document in self.documents.values() {
            let Some(index) = document.page else {
                continue;
            };
            let page = &self.site.content.pages[index];
            let front = front_matter_span(page);
            if page.title().trim().is_empty() {
                findings.push(
                    Severity::Error,
                    Diagnostic::at(&page.file, &page.text, front.clone(), "page has no title")
                        .with_help("add `title = \"...\"` to its front matter"),
                );
            }
            if page
                .meta
                .description
                .as_deref()
                .is_none_or(|d| d.trim().is_empty())
            {
                findings.push(
                    Severity::Warning,
                    Diagnostic::at(&page.file, &page.text, front, "page has no description")
                        .with_help("add `description = \"...\"` to its front matter: search results and link previews show it"),
                );
            }
            if let Some(refs) = self.markdown.get(&index) {
                for (span, dest) in &refs.images_without_alt {
                    findings.push(
                        Severity::Error,
                        Diagnostic::at(
                            &page.file,
                            &page.text,
                            span.clone(),
                            format!("image `{dest}` has no alt text"),
                        )
                        .with_help("describe it between the brackets: `![what it shows](...)`"),
                    );
                }
            }
        }
    }

    /// A `<title>` and a description in every rendered page's head: one finding each for all
    /// pages lacking them, since a theme's layout is the usual cause.
    fn check_rendered_heads(&self, findings: &mut Findings) {
        let lacking = |test: &dyn Fn(&Document) -> bool| -> Vec<&str> {
            self.documents
                .values()
                .filter(|d| test(d))
                .map(|d| d.path.as_str())
                .collect()
        };
        let without_title = lacking(&|d| d.title.as_deref().is_none_or(|t| t.trim().is_empty()));
        let without_description =
            lacking(&|d| d.description.as_deref().is_none_or(|t| t.trim().is_empty()));
        let templates = PathBuf::from(format!("themes/{}/templates", self.site.config.theme));
        for (severity, pages, what, help) in [
            (
                Severity::Error,
                without_title,
                "a `<title>`",
                "write `<title>{{ page.title }}</title>` in the layout's <head>",
            ),
            (
                Severity::Warning,
                without_description,
                "a `<meta name=\"description\">`",
                "write `<meta name=\"description\" content=\"...\">` in the layout's <head>",
            ),
        ] {
            if pages.is_empty() {
                continue;
            }
            let listed: Vec<&str> = pages.iter().take(5).copied().collect();
            let more = if pages.len() > 5 {
                format!(" and {} more", pages.len() - 5)
            } else {
                String::new()
            };
            findings.push(
                severity,
                Diagnostic::new(
                    &templates,
                    format!(
                        "{} rendered page{} lack{} {what}: {}{more}",
                        pages.len(),
                        plural(pages.len()),
                        if pages.len() == 1 { "s" } else { "" },
                        listed.join(", ")
                    ),
                )
                .with_help(help),
            );
        }
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

/// The span of a page's front matter (its first `+++` line when there is no body start).
fn front_matter_span(page: &Page) -> Range<usize> {
    if page.text.is_empty() {
        return 0..0;
    }
    let first_line = page.text.find('\n').unwrap_or(page.text.len());
    0..first_line
}

/// Facts never verified, or verified longer ago than `stale_after_days`.
fn check_facts(site: &Site, today: Date, stale_after_days: u32, findings: &mut Findings) {
    for fact in site.facts.iter() {
        let Some(text) = site.facts.texts.get(&fact.file) else {
            continue;
        };
        match fact.verified {
            None => findings.push(
                Severity::Warning,
                Diagnostic::at(&fact.file, text, fact_header(text, fact), format!("fact `{}` has never been verified", fact.name))
                    .with_help("check it against its source and add `verified = YYYY-MM-DD` with the day you did"),
            ),
            Some(verified) => {
                let age = i64::from(today.days()) - i64::from(verified.days());
                let span = fact_key(text, fact, "verified");
                if age > i64::from(stale_after_days) {
                    findings.push(
                        Severity::Warning,
                        Diagnostic::at(
                            &fact.file,
                            text,
                            span,
                            format!(
                                "fact `{}` was last verified on {}, {age} days ago (more than {stale_after_days}): re-verify it",
                                fact.name,
                                verified
                            ),
                        )
                        .with_help("check the value against its source, then set `verified` to today's date"),
                    );
                } else if age < 0 {
                    findings.push(
                        Severity::Warning,
                        Diagnostic::at(
                            &fact.file,
                            text,
                            span,
                            format!("fact `{}` is verified on {}, a day still to come", fact.name, verified),
                        ),
                    );
                }
            }
        }
    }
}

/// The span of a fact's `[name]` header.
fn fact_header(text: &str, fact: &Fact) -> Range<usize> {
    let key = fact
        .name
        .split_once('.')
        .map_or(fact.name.as_str(), |(_, key)| key);
    let header = format!("[{key}]");
    text.match_indices(&header)
        .map(|(at, _)| at)
        .find(|&at| at == 0 || text[..at].ends_with('\n'))
        .map_or(fact.span.clone(), |at| at..at + header.len())
}

/// The span of `key = ...` inside a fact's table, else its header.
fn fact_key(text: &str, fact: &Fact, key: &str) -> Range<usize> {
    let header = fact_header(text, fact);
    let start = header.end.min(text.len());
    let end = text[start..].find("\n[").map_or(text.len(), |i| start + i);
    let table = &text[start..end];
    table
        .match_indices(key)
        .find(|&(at, _)| at == 0 || table[..at].ends_with('\n'))
        .map(|(at, _)| {
            let line_end = table[at..].find('\n').map_or(table.len(), |i| at + i);
            start + at..start + line_end
        })
        .unwrap_or(header)
}

// ---------------------------------------------------------------------------------------------
// External links

/// Requests every URL, a few at a time.
fn request_all(urls: &[&String], timeout: Duration) -> Vec<Option<Answer>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("guide-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let results = std::sync::Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..EXTERNAL_WORKERS.min(urls.len()) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = urls.get(index) else {
                    break;
                };
                let answer = request(&agent, url);
                if let Ok(mut results) = results.lock() {
                    results[index] = Some(answer);
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

/// HEAD, or GET when the server does not take HEAD. The fragment stays in the browser.
fn request(agent: &ureq::Agent, url: &str) -> Answer {
    let url = url.split('#').next().unwrap_or(url);
    let answer = |result: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match result {
        Ok(response) => Answer::Status(response.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => Answer::TimedOut,
        Err(error) => Answer::Failed(error.to_string()),
    };
    match answer(agent.head(url).call()) {
        Answer::Status(405 | 501) => answer(agent.get(url).call()),
        other => other,
    }
}

/// What an answer means: `None` when the link works.
fn judge(url: &str, answer: &Answer, timeout: Duration) -> Option<(Severity, String, String)> {
    match answer {
        Answer::Status(code) if *code < 400 => None,
        Answer::Status(code @ (401 | 403 | 429)) => Some((
            Severity::Warning,
            format!("external link `{url}` answered {code}: it may refuse automated requests"),
            "open it in a browser to confirm it still works".into(),
        )),
        Answer::Status(code) => Some((
            Severity::Error,
            format!("external link `{url}` is broken: it answered {code}"),
            "find where the page moved (or an archived copy) and update the link".into(),
        )),
        Answer::TimedOut => Some((
            Severity::Warning,
            format!(
                "external link `{url}` did not answer within {} s",
                timeout.as_secs_f32()
            ),
            "the server may be slow or down; try again later".into(),
        )),
        Answer::Failed(reason) => Some((
            Severity::Error,
            format!("external link `{url}` could not be reached: {reason}"),
            "check the address; the host may no longer exist".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://example.org/guides/x/";
    const BASE_PATH: &str = "/guides/x/";

    fn internal(file: &str, fragment: Option<&str>, folder: bool, absolute: bool) -> Target {
        Target::Internal {
            file: file.into(),
            fragment: fragment.map(String::from),
            folder,
            absolute,
        }
    }

    #[test]
    fn relative_links_resolve_against_the_document() {
        let from = "stream/family/index.html";
        let resolve = |href| resolve(from, href, BASE, BASE_PATH);
        assert_eq!(
            resolve("../"),
            internal("stream/index.html", None, true, false)
        );
        assert_eq!(resolve("../../"), internal("index.html", None, true, false));
        assert_eq!(
            resolve("../../style.1234.css"),
            internal("style.1234.css", None, false, false)
        );
        assert_eq!(
            resolve("../cap/#the%20cap"),
            internal("stream/cap/index.html", Some("the cap"), true, false)
        );
        assert_eq!(
            resolve("#who"),
            internal("stream/family/index.html", Some("who"), false, false)
        );
        assert_eq!(
            resolve("diagram.png?v=2"),
            internal("stream/family/diagram.png", None, false, false)
        );
        assert!(matches!(resolve("../../../"), Target::Outside(_)));
    }

    #[test]
    fn absolute_urls_and_paths_under_the_base_are_internal() {
        let resolve = |href| resolve("404.html", href, BASE, BASE_PATH);
        assert_eq!(
            resolve("/guides/x/"),
            internal("index.html", None, true, true)
        );
        assert_eq!(
            resolve("/guides/x"),
            internal("index.html", None, true, true)
        );
        assert_eq!(
            resolve("https://EXAMPLE.org/guides/x/stream/"),
            internal("stream/index.html", None, true, false)
        );
        assert!(matches!(resolve("/elsewhere/"), Target::Outside(_)));
        assert_eq!(
            resolve("https://other.org/a"),
            Target::External("https://other.org/a".into())
        );
        assert_eq!(
            resolve("//cdn.org/a.js"),
            Target::External("https://cdn.org/a.js".into())
        );
        assert_eq!(resolve("mailto:a@b.org"), Target::Other);
        assert_eq!(resolve("\u{1} Java\tScript:x"), Target::Other);
        assert_eq!(
            resolve(" https://other.org/a\n"),
            Target::External("https://other.org/a".into())
        );
        assert_eq!(resolve("data:image/png;base64,AAAA"), Target::Other);
    }

    #[test]
    fn the_parser_finds_ids_references_titles_and_images_without_alt() {
        let html = "<!doctype html><html><head><title>A &amp; B</title>\
            <meta name=description content=\"About &quot;A&quot;\">\
            <link rel=stylesheet href=\"../style.css\"><script src=\"../a.js\" defer></script></head>\
            <body><h2 id=\"who-counts\">Who</h2><a name=old></a>\
            <a href=\"../cap/?x=1&amp;y=2#top\">cap</a><img src=\"x.png\"><img src=\"y.png\" alt=\"\">\
            <svg><title>not the page title</title></svg></body></html>";
        let document = scan("stream/family/index.html", Arc::from(html));
        assert_eq!(document.title.as_deref(), Some("A & B"));
        assert_eq!(document.description.as_deref(), Some("About \"A\""));
        assert!(document.ids.contains("who-counts") && document.ids.contains("old"));
        let values: Vec<&str> = document.refs.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(
            values,
            [
                "../style.css",
                "../a.js",
                "../cap/?x=1&y=2#top",
                "x.png",
                "y.png"
            ]
        );
        assert_eq!(document.images_without_alt.len(), 1);
        assert_eq!(&html[document.images_without_alt[0].0..][..4], "<img");
    }

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(decode("a&amp;b&#39;c&#x41;&unknown;&"), "a&b'cA&unknown;&");
    }

    #[test]
    fn epoch_days_round_trip() {
        for iso in [
            "1970-01-01",
            "2000-02-29",
            "2023-07-16",
            "2024-12-31",
            "2100-03-01",
        ] {
            let day = Date::parse(iso).unwrap();
            assert_eq!(Date::from_days(day.days()), day, "{iso}");
        }
    }

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
