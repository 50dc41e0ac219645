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

mod external;
mod links;
mod locate;
mod pages;
mod resolve;
mod scan;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rayon::prelude::*;

use crate::build::build_in_memory;
use crate::content::relative_root;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::output::{Output, OutputFile};
use crate::site::{BuildOptions, Site};
use external::{judge, request_all};
use guide_rules::Date;
use locate::Located;
use pages::{check_dated_claims, check_fact_translations, check_facts};
use scan::{scan, Document};

/// How long one external link may take to answer.
pub const EXTERNAL_TIMEOUT: Duration = Duration::from_secs(10);

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
    checker.check_theme_strings(&mut findings);
    checker.check_rendered_heads(&mut findings);
    check_facts(site, today, stale_after_days, &mut findings);
    check_fact_translations(site, &mut findings);
    check_dated_claims(site, today, stale_after_days, &mut findings);
    for warning in site.checkers.warnings() {
        findings.push(Severity::Warning, warning.clone());
    }
    // A rules text missing in one of the site's languages: the page shows the default
    // language's meanwhile.
    let untranslated = if site.config.check.missing_translation_is_error() {
        Severity::Error
    } else {
        Severity::Warning
    };
    for finding in site.checkers.untranslated(&site.config.languages()) {
        findings.push(untranslated, finding);
    }

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

/// The site, its output, and every HTML document of the output as the parser read it.
struct Checker<'a> {
    site: &'a Site,
    output: &'a Output,
    documents: BTreeMap<String, Document>,
}

impl<'a> Checker<'a> {
    fn new(site: &'a Site, output: &'a Output) -> Checker<'a> {
        let page_of: HashMap<String, usize> = site
            .content
            .pages
            .iter()
            .enumerate()
            .map(|(index, page)| (page.output_path().to_string(), index))
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
        Checker {
            site,
            output,
            documents,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
