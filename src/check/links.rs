//! Links, anchors and assets: every reference of a rendered document resolved against the
//! output.

use super::resolve::{resolve, Target};
use super::scan::{Document, Kind, Reference};
use super::{Checker, Findings, Tally};
use crate::diagnostics::{suggest, Severity};
use crate::urls::Hazard;

impl Checker<'_> {
    pub(super) fn check_document(&self, document: &Document) -> (Findings, Tally) {
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
                occurrence: 0,
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
}
