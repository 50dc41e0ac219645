//! What a reader sees of each page: titles, descriptions and alt text, and how old the
//! facts are.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;

use super::scan::Document;
use super::{plural, Checker, Findings};
use crate::content::Page;
use crate::diagnostics::{Diagnostic, Severity};
use crate::facts::{Fact, CHECKED_FORMAT};
use crate::markdown::parse_shortcode;
use crate::site::Site;
use guide_rules::Date;

impl Checker<'_> {
    /// Titles and descriptions in the pages' front matter.
    pub(super) fn check_pages(&self, findings: &mut Findings) {
        for document in self.documents.values() {
            let Some(index) = document.page else {
                continue;
            };
            let page = &self.site.content.pages[index];
            let front = front_matter_span(page);
            if page.title().trim().is_empty() {
                findings.push(
                    Severity::Error,
                    Diagnostic::at(&page.file, &page.text(), front.clone(), "page has no title")
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
                    Diagnostic::at(&page.file, &page.text(), front, "page has no description")
                        .with_help("add `description = \"...\"` to its front matter: search results and link previews show it"),
                );
            }
            self.check_counterparts(index, findings);
            self.check_translation_age(index, findings);
            let written_links = page.written_links.get().into_iter().flat_map(|w| &w.links);
            for image in written_links.filter(|link| link.without_alt) {
                findings.push(
                    Severity::Error,
                    Diagnostic::at(
                        &page.file,
                        &page.text(),
                        image.element.clone(),
                        format!("image `{}` has no alt text", image.target),
                    )
                    .with_help("describe it between the brackets: `![what it shows](...)`"),
                );
            }
        }
    }

    /// On a site in several languages, every page in each of them: a reader who switches
    /// language expects the same page, not the other language's home.
    fn check_counterparts(&self, index: usize, findings: &mut Findings) {
        let content = &self.site.content;
        let page = &content.pages[index];
        if page.meta.draft {
            return;
        }
        let missing: Vec<&str> = content
            .languages
            .codes()
            .filter(|&code| code != page.lang && content.in_language(&page.key, code).is_none())
            .collect();
        for code in missing {
            let severity = if self.site.config.check.missing_translation_is_error() {
                Severity::Error
            } else {
                Severity::Warning
            };
            let counterpart = if content.languages.is_default(code) {
                page.key.clone()
            } else {
                crate::content::marked_path(&page.key, code)
            };
            findings.push(
                severity,
                Diagnostic::at(
                    &page.file,
                    &page.text(),
                    front_matter_span(page),
                    format!("this page has no `{code}` counterpart"),
                )
                .with_help(format!(
                    "write `content/{counterpart}`; the language toggle links the two pages"
                )),
            );
        }
    }

    /// On a site in several languages, each theme string in each of them: a string missing in
    /// one shows the default language's text on that language's pages.
    pub(super) fn check_theme_strings(&self, findings: &mut Findings) {
        let languages = &self.site.content.languages;
        if !languages.is_multilingual() {
            return;
        }
        let codes: Vec<&str> = languages.codes().collect();
        let strings = &self.site.theme.strings;
        let severity = if self.site.config.check.missing_translation_is_error() {
            Severity::Error
        } else {
            Severity::Warning
        };
        for (key, string) in &strings.strings {
            let missing = string.text.missing(&codes, languages.default_code());
            if missing.is_empty() {
                continue;
            }
            let list = missing
                .iter()
                .map(|code| format!("`{code}`"))
                .collect::<Vec<_>>()
                .join(", ");
            findings.push(
                severity,
                Diagnostic::at(
                    &string.file,
                    &string.source,
                    string.span.clone(),
                    format!("the theme string `{key}` has no text in {list}"),
                )
                .with_help(format!(
                    "write it for each language, as `{key} = {{ {} }}`, in the site's \
                     strings.toml (beside site.toml) under [theme]; until then those pages \
                     show the `{}` text",
                    codes
                        .iter()
                        .map(|code| format!("{code} = \"…\""))
                        .collect::<Vec<_>>()
                        .join(", "),
                    languages.default_code()
                )),
            );
        }
    }

    /// A translation that records what it was translated from (`guide translations mark`),
    /// against its source as it is now. A translation that records nothing is not reported:
    /// the record is a site's choice to make, page by page, and the first `mark --all`
    /// starts it.
    fn check_translation_age(&self, index: usize, findings: &mut Findings) {
        let content = &self.site.content;
        let page = &content.pages[index];
        let Some(recorded) = page.meta.translated_from.as_ref() else {
            return;
        };
        let span = page.translated_from_span().unwrap_or(0..0);
        let Some(source) = crate::translations::source_of(content, index) else {
            if content.languages.is_default(&page.lang) {
                findings.push(
                    Severity::Warning,
                    Diagnostic::at(
                        &page.file,
                        &page.text(),
                        span,
                        "a page in the default language is not translated from another",
                    )
                    .with_help("remove `translated_from`: only a translation records its source"),
                );
            }
            // A translation without a source is reported as a missing counterpart.
            return;
        };
        let source = &content.pages[source];
        if crate::translations::fingerprint(source) != *recorded.get_ref() {
            findings.push(
                Severity::Warning,
                Diagnostic::at(
                    &page.file,
                    &page.text(),
                    span,
                    format!(
                        "translated from an earlier version of `{}`",
                        source.file.display()
                    ),
                )
                .with_help(format!(
                    "update the translation, then run `guide translations mark {}`",
                    page.file.display()
                )),
            );
        }
    }

    /// A `<title>` and a description in every rendered page's head: one finding each for all
    /// pages lacking them, since a theme's layout is the usual cause.
    pub(super) fn check_rendered_heads(&self, findings: &mut Findings) {
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

/// The span of a page's front matter (its first `+++` line when there is no body start).
fn front_matter_span(page: &Page) -> Range<usize> {
    if page.text().is_empty() {
        return 0..0;
    }
    let first_line = page.text().find('\n').unwrap_or(page.text().len());
    0..first_line
}

/// Each "as of" a page writes (`{{ fact(name, "checked") }}`) whose fact's value in force was
/// verified longer ago than `stale_after_days`: the page dates a claim, such as a status, by a
/// check that is now old. Reported at the shortcode, beside the fact's own warning.
pub(super) fn check_dated_claims(
    site: &Site,
    today: Date,
    stale_after_days: u32,
    findings: &mut Findings,
) {
    for page in site.content.pages.iter().filter(|page| !page.meta.draft) {
        let body = page.body();
        let mut offset = 0;
        while let Some(open) = body[offset..].find("{{") {
            let start = offset + open;
            let Some(call) = parse_shortcode(&body[start..]) else {
                offset = start + 2;
                continue;
            };
            offset = start + call.end;
            if call.name != "fact" || call.args.get(1).map(String::as_str) != Some(CHECKED_FORMAT) {
                continue;
            }
            let Some(fact) = call.args.first().and_then(|name| site.facts.get(name)) else {
                continue;
            };
            let Some(verified) = site.facts.current_verified(fact) else {
                continue;
            };
            let age = i64::from(today.days()) - i64::from(verified.days());
            if age > i64::from(stale_after_days) {
                let span = page.body_start + start..page.body_start + offset;
                findings.push(
                    Severity::Warning,
                    Diagnostic::at(
                        &page.file,
                        &page.text(),
                        span,
                        format!(
                            "page says \"as of\" a check of `{}` made on {verified}, {age} days ago (more than {stale_after_days})",
                            fact.name
                        ),
                    )
                    .with_help("re-verify the fact against its source, then set its `verified` to today's date"),
                );
            }
        }
    }
}

/// Facts never verified, or verified longer ago than `stale_after_days`.
pub(super) fn check_facts(
    site: &Site,
    today: Date,
    stale_after_days: u32,
    findings: &mut Findings,
) {
    for fact in site.facts.iter() {
        let Some(text) = site.facts.texts.get(&fact.file) else {
            continue;
        };
        match fact.verified {
            None => findings.push(
                Severity::Warning,
                Diagnostic::at(&fact.file, text, fact.span.clone(), format!("fact `{}` has never been verified", fact.name))
                    .with_help("check it against its source and add `verified = YYYY-MM-DD` with the day you did"),
            ),
            Some(verified) => {
                let age = i64::from(today.days()) - i64::from(verified.days());
                let span = fact.key_span("verified").unwrap_or(fact.span.clone());
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
        check_changes(fact, text, today, stale_after_days, findings);
    }
}

/// The dated values of a fact that were verified on their own day; the others go with the
/// fact's `verified`.
fn check_changes(
    fact: &Fact,
    text: &Arc<str>,
    today: Date,
    stale_after_days: u32,
    findings: &mut Findings,
) {
    for change in &fact.changes {
        let Some(verified) = change.verified else {
            continue;
        };
        let age = i64::from(today.days()) - i64::from(verified.days());
        let span = change
            .keys
            .get("verified")
            .cloned()
            .unwrap_or(change.span.clone());
        let what = format!("fact `{}`: the value from {}", fact.name, change.from);
        if age > i64::from(stale_after_days) {
            findings.push(
                Severity::Warning,
                Diagnostic::at(
                    &fact.file,
                    text,
                    span,
                    format!("{what} was last verified on {verified}, {age} days ago (more than {stale_after_days}): re-verify it"),
                )
                .with_help("check the value against its source, then set its `verified` to today's date"),
            );
        } else if age < 0 {
            findings.push(
                Severity::Warning,
                Diagnostic::at(
                    &fact.file,
                    text,
                    span,
                    format!("{what} is verified on {verified}, a day still to come"),
                ),
            );
        }
    }
}

/// On a site in several languages, each fact's label, note and text value (and each dated
/// value's text and note) in every one of them, and each source's title and publisher in every
/// language it is published in: a page in a language shows them in it, or in the default
/// language while one is missing. An error, or a warning where `[check] missing_translation =
/// "warning"`, at the text.
pub(super) fn check_fact_translations(site: &Site, findings: &mut Findings) {
    let languages = &site.content.languages;
    if !languages.is_multilingual() {
        return;
    }
    let codes: Vec<&str> = languages.codes().collect();
    let default_language = languages.default_code();
    let severity = if site.config.check.missing_translation_is_error() {
        Severity::Error
    } else {
        Severity::Warning
    };
    let mut report = |file: &std::path::Path,
                      span: Range<usize>,
                      what: String,
                      key: &str,
                      translatable: &guide_rules::Translatable,
                      codes: &[&str],
                      more_help: &str| {
        let Some(text) = site.facts.texts.get(file) else {
            return;
        };
        for code in translatable.missing(codes, default_language) {
            let example = match translatable {
                guide_rules::Translatable::Plain(_) => format!(
                    "write it per language: `{key} = {{ {default_language} = \"…\", {code} = \"…\" }}`"
                ),
                guide_rules::Translatable::PerLanguage(_) => {
                    format!("add `{code} = \"…\"` to the table")
                }
            };
            findings.push(
                severity,
                Diagnostic::at(file, text, span.clone(), format!("{what} has no `{code}` {key}"))
                    .with_help(format!(
                        "{example}; until then `{code}` pages show the `{default_language}` text{more_help}"
                    )),
            );
        }
    };
    for fact in site.facts.iter() {
        let what = format!("fact `{}`", fact.name);
        let at = |key: &str| fact.key_span(key).unwrap_or(fact.span.clone());
        let texts = [("label", Some(&fact.label)), ("note", fact.note.as_ref())];
        for (key, translatable) in texts {
            if let Some(translatable) = translatable {
                report(
                    &fact.file,
                    at(key),
                    what.clone(),
                    key,
                    translatable,
                    &codes,
                    "",
                );
            }
        }
        if let Some(value) = value_texts(&fact.value) {
            report(
                &fact.file,
                at("value"),
                what.clone(),
                "value",
                &value,
                &codes,
                "",
            );
        }
        for change in &fact.changes {
            let what = format!("the value of fact `{}` from {}", fact.name, change.from);
            let at = |key: &str| change.keys.get(key).cloned().unwrap_or(change.span.clone());
            if let Some(value) = value_texts(&change.value) {
                report(
                    &fact.file,
                    at("value"),
                    what.clone(),
                    "value",
                    &value,
                    &codes,
                    "",
                );
            }
            if let Some(note) = &change.note {
                report(
                    &fact.file,
                    at("note"),
                    what.clone(),
                    "note",
                    note,
                    &codes,
                    "",
                );
            }
        }
    }
    for source in &site.facts.sources {
        // A source is cited in its own language where it is not published in a page's: it
        // needs a title only in the languages it is published in.
        let published_in: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|code| match &source.languages {
                Some(languages) => languages.iter().any(|language| language == code),
                None => true,
            })
            .collect();
        let what = format!("source `{}`", source.id);
        if let Some((file, span)) = &source.title_written_at {
            let published_only_in = format!(
                ". A source not published in a language says which it is published in, \
                 `languages = [\"{default_language}\"]`: pages in the others cite it in its own, marked"
            );
            report(
                file,
                span.clone(),
                what.clone(),
                "title",
                &source.title,
                &published_in,
                &published_only_in,
            );
        }
        if let (Some(publisher), Some((file, span))) =
            (&source.publisher, &source.publisher_written_at)
        {
            // Who published it is said in every language of the site.
            report(
                file,
                span.clone(),
                what.clone(),
                "publisher",
                publisher,
                &codes,
                "",
            );
        }
    }
}

/// A text value as a translatable text, for the check of its languages.
fn value_texts(value: &crate::facts::FactValue) -> Option<guide_rules::Translatable> {
    match value {
        crate::facts::FactValue::Text(text) => Some(text.as_str().into()),
        crate::facts::FactValue::Texts { texts, .. } => Some(texts.clone()),
        _ => None,
    }
}
