//! The render stage: Markdown and templates for every page, in parallel, into an [`Output`].
//!
//! The parts of the template context every page shares (site, facts, timeline, sources, nav)
//! are serialised once; a page adds only its own data.

use rayon::prelude::*;
use serde_json::{json, Value as Json};
use tera::Context;

use crate::content::{Page, PageKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::markdown::{self, Rendered};
use crate::output::{Output, OutputFile};
use crate::site::Site;

pub struct Renderer<'a> {
    site: &'a Site,
    shared: Context,
}

/// One page's HTML and what later checks need to know about it.
pub struct RenderedPage {
    pub index: usize,
    pub html: String,
    pub anchors: Vec<String>,
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site) -> Renderer<'a> {
        let mut shared = Context::new();
        shared.insert("site", &site_value(site));
        shared.insert("assets", &site.assets.names);
        shared.insert("facts", &site.facts.to_template_value());
        shared.insert("timeline", &site.facts.timeline());
        shared.insert("sources", &site.facts.sources_value());
        shared.insert("nav", &nav(site));
        shared.insert("feed", &crate::feeds::feed_path(site));
        Renderer { site, shared }
    }

    /// Every page, rendered in parallel; every error from every page together.
    pub fn render_pages(&self) -> Result<Vec<RenderedPage>, Diagnostics> {
        let results: Vec<Result<RenderedPage, Diagnostics>> = (0..self.site.content.pages.len())
            .into_par_iter()
            .map(|index| self.render_page(index))
            .collect();
        let mut pages = Vec::with_capacity(results.len());
        let mut diagnostics = Diagnostics::default();
        for result in results {
            match result {
                Ok(page) => pages.push(page),
                Err(found) => diagnostics.extend(found),
            }
        }
        diagnostics.merge_repeated();
        diagnostics.into_result(pages)
    }

    pub fn render_page(&self, index: usize) -> Result<RenderedPage, Diagnostics> {
        let site = self.site;
        let page = &site.content.pages[index];
        let rendered = markdown::render(page, &site.content, &site.facts, &site.checkers)?;
        let template = self.template_for(page);
        if !site.theme.has_template(template) {
            return Err(site.theme.missing_template(page, template).into());
        }
        let mut context = self.shared.clone();
        context.insert("root", &page.root());
        context.insert(
            "canonical",
            &format!("{}{}", site.config.base_url, page.path),
        );
        context.insert("breadcrumbs", &self.breadcrumbs(index));
        let value = self.page_value(page, &rendered);
        match page.kind {
            PageKind::Page => context.insert("page", &value),
            PageKind::Section => {
                let mut section = value;
                let (pages, subsections): (Vec<usize>, Vec<usize>) = page
                    .children
                    .iter()
                    .partition(|&&child| site.content.pages[child].kind == PageKind::Page);
                section["pages"] = Json::Array(
                    pages
                        .iter()
                        .map(|&i| summary(&site.content.pages[i]))
                        .collect(),
                );
                section["subsections"] = Json::Array(
                    subsections
                        .iter()
                        .map(|&i| summary(&site.content.pages[i]))
                        .collect(),
                );
                context.insert("page", &section);
                context.insert("section", &section);
            }
        }
        let html = site
            .theme
            .tera
            .render(template, &context)
            .map_err(|error| {
                Diagnostics::from(site.theme.render_error(&error, template, &page.file))
            })?;
        Ok(RenderedPage {
            index,
            html,
            anchors: rendered.anchors,
        })
    }

    fn template_for<'p>(&self, page: &'p Page) -> &'p str {
        if let Some(template) = &page.meta.template {
            return template;
        }
        match page.kind {
            PageKind::Page => "page.html",
            PageKind::Section
                if page.path.is_empty() && self.site.theme.has_template("index.html") =>
            {
                "index.html"
            }
            PageKind::Section => "section.html",
        }
    }

    fn page_value(&self, page: &Page, rendered: &Rendered) -> Json {
        let mut value = summary(page);
        value["content"] = json!(rendered.html);
        value["toc"] = json!(rendered.toc);
        value["extra"] = json!(page.meta.extra);
        value["checkers"] = json!(rendered.checkers);
        value["permalink"] = json!(format!("{}{}", self.site.config.base_url, page.path));
        value
    }

    fn breadcrumbs(&self, index: usize) -> Json {
        let content = &self.site.content;
        Json::Array(
            content
                .ancestors(index)
                .into_iter()
                .map(|i| json!({"title": content.pages[i].title(), "path": content.pages[i].path}))
                .collect(),
        )
    }

    /// The 404 page: its links are relative to the base URL's path, because a host serves it
    /// for a missing address at any depth.
    pub fn render_not_found(&self) -> Result<Option<String>, Diagnostic> {
        let template = "404.html";
        if !self.site.theme.has_template(template) {
            return Ok(None);
        }
        let mut context = self.shared.clone();
        let root = self.site.config.base_path().to_string();
        context.insert("root", &root);
        context.insert(
            "canonical",
            &format!("{}404.html", self.site.config.base_url),
        );
        context.insert("breadcrumbs", &Json::Array(Vec::new()));
        let page = json!({
            "title": "Page not found",
            "description": "",
            "path": "404.html",
            "content": "",
            "toc": [],
            "extra": {},
            "checkers": [],
        });
        context.insert("page", &page);
        self.site
            .theme
            .tera
            .render(template, &context)
            .map(Some)
            .map_err(|error| {
                self.site
                    .theme
                    .render_error(&error, template, std::path::Path::new(template))
            })
    }
}

fn site_value(site: &Site) -> Json {
    let config = &site.config;
    json!({
        "title": config.title,
        "description": config.description,
        "base_url": config.base_url,
        "language": config.language,
        "extra": config.extra,
    })
}

/// What a listing needs of a page: never its content.
fn summary(page: &Page) -> Json {
    json!({
        "title": page.title(),
        "description": page.meta.description,
        "date": page.date().map(|d| d.iso()),
        "updated": page.updated().map(|d| d.iso()),
        "path": page.path,
        "weight": page.meta.weight,
        "kind": match page.kind { PageKind::Page => "page", PageKind::Section => "section" },
        "source_path": page.source_path,
    })
}

/// The top-level sections and pages. Deliberately without their children: the nav goes into
/// every page's context, so listing every page in it would make a build quadratic in pages.
fn nav(site: &Site) -> Json {
    let pages = &site.content.pages;
    Json::Array(pages[0].children.iter().map(|&index| summary(&pages[index])).collect())
}

/// Renders the whole site into memory.
pub fn render(site: &Site) -> Result<Output, Diagnostics> {
    let renderer = Renderer::new(site);
    let pages = renderer.render_pages()?;
    let mut output = Output::default();
    for page in pages {
        let path = &site.content.pages[page.index].path;
        output.insert(
            format!("{path}index.html"),
            OutputFile::Bytes(page.html.into_bytes()),
        );
    }
    if let Some(html) = renderer.render_not_found()? {
        output.insert("404.html", OutputFile::Bytes(html.into_bytes()));
    }
    crate::feeds::add(site, &mut output);
    site.assets.write_into(&mut output);
    for file in site
        .theme
        .static_files
        .iter()
        .chain(&site.content.static_files)
    {
        output.insert(file.to.clone(), OutputFile::Copy(file.from.clone()));
    }
    Ok(output)
}
