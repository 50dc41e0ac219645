//! The render stage: Markdown and templates for every page, in parallel, into an [`Output`]
//! ([`render`]) or handed page by page to a writer ([`Renderer::render_each`]).
//!
//! The parts of the template context every page shares (site, facts, timeline, sources, nav)
//! are serialised once, and copied once per rendering thread rather than once per page: a page
//! borrows a context that holds them, adds only its own values, and takes them out again.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use rayon::prelude::*;
use serde_json::{json, Map, Value as Json};
use tera::Context;

use crate::checkers::CheckerPages;
use crate::clock::Clock;
use crate::confine::SiteFile;
use crate::content::{Page, PageKind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::facts::Reader;
use crate::markdown::{self, Embeds, InternalLink, Rendered, ShortcodeFailure};
use crate::output::{Output, OutputFile};
use crate::output_path::OutputPath;
use crate::site::Site;
use crate::theme::{Assets, Theme};

mod claims;

use claims::{claim_output_paths, Origin};

/// A page's Markdown ids, one per line (one allocation a page, as they are kept for every page
/// until every page is rendered), and its `@/` links that name an anchor.
type Anchors = (Box<str>, Vec<InternalLink>);
/// A page's terms for the search index, and the facts and checkers it shows.
type Searched = (Option<crate::search::Terms>, crate::search::PageShows);
/// What rendering a page leaves for the steps after every page: see [`Anchors`], [`Searched`].
type PageResult = Result<(Anchors, Searched), Diagnostics>;

/// What pages embed or link besides their own content, made from the loaded site before any
/// page renders: each checker's HTML and scripts, and every fingerprinted asset (the theme's
/// and the checkers' scripts).
pub struct Prepared {
    pub checker_pages: CheckerPages,
    pub assets: Assets,
}

impl Prepared {
    pub fn new(site: &Site) -> Prepared {
        let mut assets = site.theme.assets.clone();
        let checker_pages = CheckerPages::new(&site.checkers, &mut assets);
        Prepared {
            checker_pages,
            assets,
        }
    }
}

pub struct Renderer<'a> {
    site: &'a Site,
    prepared: Prepared,
    /// The values every page of one language sees (`site`, `facts`, `nav`…, in that language's
    /// words and formats), the default language's first, each with its spare contexts. Built
    /// once per language: a page adds only its own values, never copies the site's.
    languages: Vec<LanguageContext>,
    markdown: Clock,
    templates: Clock,
    search_clock: Clock,
    /// The search index's document ids, when the site has search: where each page's result
    /// file goes.
    search: Option<crate::search::Corpus>,
    /// The index of the last full render, for `guide serve` to update page by page, kept
    /// when `keep_search` asks (a build has no use for it).
    finished_search: Mutex<Option<SearchState>>,
    keep_search: bool,
    /// Whether pages keep the links and images their Markdown writes (`Page::written_links`).
    record_links: bool,
}

/// The values shared by every page of one language.
struct LanguageContext {
    code: String,
    shared: Context,
    /// Contexts holding exactly `shared`, free for the next page to borrow.
    spare: Mutex<Vec<Context>>,
}

impl LanguageContext {
    /// Applies `change` to the shared values and to every spare copy of them.
    fn each_context(&mut self, mut change: impl FnMut(&mut Context)) {
        change(&mut self.shared);
        let spare = self
            .spare
            .get_mut()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        spare.iter_mut().for_each(change);
    }
}

/// One page's HTML and what later checks need to know about it.
pub struct RenderedPage {
    pub index: usize,
    pub html: String,
    /// The ids its Markdown defines: its headings' and footnotes'. (Those its template writes
    /// are read from the HTML only when a link needs them: see `check_anchor_links`.)
    pub anchors: Vec<String>,
    /// Its `@/` links that name an anchor, to check once every page is rendered.
    pub anchor_links: Vec<InternalLink>,
    /// Its words for the search index and its result file, when the site has search.
    pub search: Option<crate::search::PageEntry>,
    /// The facts it cites and the checkers it embeds, which the index links to it.
    pub shows: crate::search::PageShows,
}

/// The values every page of each language sees that only the site's configuration, facts and
/// theme decide, not its pages (`site`, `facts`, `timeline`, `sources`…): the bulk of a page's
/// shared context, which `guide serve` keeps between rebuilds that read only pages again.
pub struct SiteValues {
    /// By language, the default language's first, without the nav; its spare contexts are
    /// those the last render's pages left, so that the next does not copy its values again for
    /// each thread.
    languages: Vec<LanguageContext>,
}

impl SiteValues {
    fn new(site: &Site, assets: &crate::theme::Assets) -> SiteValues {
        let default_language = site.content.languages.default_code();
        let languages = std::iter::once(default_language)
            .chain(site.content.languages.others())
            .map(|code| {
                // Facts, the timeline and the guide's date in the words and formats of the
                // page's language: one value, one presentation per language.
                let reader = Reader {
                    language: code,
                    default_language,
                };
                let mut shared = Context::new();
                shared.insert("site", &site_value(site, code));
                shared.insert("assets", &assets.names);
                shared.insert("facts", &site.facts.to_template_value_in(&reader));
                shared.insert("timeline", &site.facts.timeline_in(&reader));
                shared.insert(
                    "guide_date",
                    &site.facts.guide_date_value_in(reader.locale()),
                );
                shared.insert("sources", &site.facts.sources_value_in(&reader));
                shared.insert("feed", &crate::feeds::feed_path_in(site, code));
                LanguageContext {
                    code: code.to_string(),
                    shared,
                    spare: Mutex::new(Vec::new()),
                }
            })
            .collect();
        SiteValues { languages }
    }

    /// Whether these were made for a site with `site`'s languages, in its order.
    fn fits(&self, site: &Site) -> bool {
        let languages = &site.content.languages;
        let codes = std::iter::once(languages.default_code()).chain(languages.others());
        self.languages
            .iter()
            .map(|language| language.code.as_str())
            .eq(codes)
    }
}

impl<'a> Renderer<'a> {
    pub fn new(site: &'a Site) -> Renderer<'a> {
        let mut renderer = Renderer::reusing(site, None);
        renderer.search = crate::search::Corpus::new(site);
        renderer
    }

    /// A renderer whose pages see `values` rather than values worked out again: for `guide
    /// serve`, where they were made for the same configuration, facts and theme. It has no
    /// index of its own: [`Renderer::render_pages`] files pages in the one it is given.
    pub fn reusing(site: &'a Site, values: Option<SiteValues>) -> Renderer<'a> {
        let prepared = Prepared::new(site);
        let values = values
            .filter(|values| values.fits(site))
            .unwrap_or_else(|| SiteValues::new(site, &prepared.assets));
        let mut languages = values.languages;
        for language in &mut languages {
            // The nav lists pages, so it is never kept: see `SiteValues`.
            let nav = nav(site, &language.code);
            language.each_context(|context| context.insert("nav", &nav));
        }
        Renderer {
            site,
            prepared,
            languages,
            markdown: Clock::default(),
            templates: Clock::default(),
            search_clock: Clock::default(),
            search: None,
            finished_search: Mutex::new(None),
            keep_search: false,
            record_links: false,
        }
    }

    /// The values its pages saw that [`Renderer::reusing`] can take again.
    pub fn into_site_values(self) -> SiteValues {
        let mut languages = self.languages;
        for language in &mut languages {
            language.each_context(|context| {
                context.remove("nav");
            });
        }
        SiteValues { languages }
    }

    /// Keeps on each page the links and images its Markdown writes, for `guide check` to point
    /// at; without it a render leaves them out, as a build that only writes the site needs none.
    pub fn recording_links(mut self) -> Renderer<'a> {
        self.record_links = true;
        self
    }

    pub fn prepared(&self) -> &Prepared {
        &self.prepared
    }

    /// Time spent so far in Markdown and in templates, summed over threads.
    pub fn work(&self) -> Vec<(&'static str, Duration)> {
        vec![
            ("markdown", self.markdown.total()),
            ("templates", self.templates.total()),
            ("search", self.search_clock.total()),
        ]
    }

    /// Renders `template` with the values shared by the pages of `language` plus `own` (which
    /// win on a clash). `trans` answers in that language.
    fn render_template(
        &self,
        language: &str,
        template: &str,
        own: Map<String, Json>,
    ) -> tera::Result<String> {
        let shared = self
            .languages
            .iter()
            .find(|candidate| candidate.code == language)
            .unwrap_or(&self.languages[0]);
        let keys: Vec<String> = own.keys().cloned().collect();
        let spare = shared.spare.lock().ok().and_then(|mut spare| spare.pop());
        let mut context = spare.unwrap_or_else(|| shared.shared.clone());
        // Moved in, not inserted: `Context::insert` serializes each value into a copy, which
        // for a page's content and table of contents was a tenth of the template time.
        context.extend(tera::Context::from_value(Json::Object(own))?);
        let html = crate::theme::strings::in_language(&shared.code, || {
            self.site.theme.tera.render(template, &context)
        });
        let mut restored = Map::new();
        for key in keys {
            context.remove(&key);
            if let Some(value) = shared.shared.get(&key) {
                restored.insert(key, value.clone());
            }
        }
        if !restored.is_empty() {
            context.extend(tera::Context::from_value(Json::Object(restored))?);
        }
        if let Ok(mut spare) = shared.spare.lock() {
            spare.push(context);
        }
        html
    }

    /// The pages `indices`, rendered in parallel, as output files; every error from every
    /// page together. With `search`, it is kept current: each page's words replace its old
    /// ones, and the index's changed files join the output. `only_bodies` says the pages
    /// changed in their bodies only: then their titles, places and the nav are as the index
    /// last saw them, and the facts' and checkers' documents are worked out again only where a
    /// page shows other ones.
    pub fn render_pages(
        &self,
        indices: &[usize],
        search: Option<&mut SearchState>,
        only_bodies: bool,
    ) -> Result<Output, Diagnostics> {
        let results: Vec<Result<RenderedPage, Diagnostics>> =
            crate::threads::on_render_threads(|| {
                // Pages are filed in the index kept between renders, not in one made anew.
                let corpus = search.as_deref().map(|state| &state.corpus);
                indices
                    .par_iter()
                    .map(|&index| self.render_page_in(index, corpus))
                    .collect()
            });
        let mut output = Output::default();
        let mut diagnostics = Diagnostics::default();
        let mut searched = Vec::new();
        for result in results {
            match result {
                Ok(page) => {
                    let path = self.site.content.pages[page.index].output_path().clone();
                    output.insert(path, OutputFile::Bytes(page.html.into_bytes()));
                    // What a page shows counts even where pages themselves are not indexed:
                    // facts link to the first page citing them all the same.
                    let terms = page.search.map(|entry| {
                        let (path, text) = entry.fragment;
                        output.insert(path, OutputFile::Bytes(text.into_bytes()));
                        entry.terms
                    });
                    searched.push((page.index, terms, page.shows));
                }
                Err(found) => diagnostics.extend(found),
            }
        }
        diagnostics.merge_repeated();
        let mut output = diagnostics.into_result(output)?;
        if let Some(state) = search {
            // Facts and checker texts list pages of their own language only: the other
            // languages' are as they were. Where only pages' bodies changed, they link to the
            // same pages unless a page now shows other facts or checkers.
            let mut languages = Vec::new();
            for (index, terms, shows) in searched {
                if let Some(terms) = terms {
                    state.corpus.set_page(index, terms);
                }
                if let Some(slot) = state.shows.get_mut(index) {
                    if !only_bodies || *slot != shows {
                        languages.push(self.site.content.pages[index].lang.as_str());
                    }
                    *slot = shows;
                }
            }
            languages.sort_unstable();
            languages.dedup();
            state.write_into(self.site, &mut output, Some(&languages));
        }
        Ok(output)
    }

    /// The index the last [`Renderer::render_each`] wrote, taken.
    pub fn take_search(&self) -> Option<SearchState> {
        self.finished_search
            .lock()
            .ok()
            .and_then(|mut state| state.take())
    }

    /// Renders every page in parallel and hands each one's output path and HTML to `emit`, on
    /// the thread that rendered it, as soon as it is ready, the sitemap and feeds beside them;
    /// then renders the site's other files (404 page, assets, static files). First checks that no two files claim one
    /// output path: when some do, pages are still rendered, to report their errors too, but
    /// none is handed to `emit`. Reports every error from every page, and from `emit`, together.
    pub fn render_each(
        &self,
        emit: &(dyn Fn(&OutputPath, String) -> Result<(), Diagnostic> + Sync),
    ) -> Result<Output, Diagnostics> {
        crate::threads::on_render_threads(|| self.render_each_here(emit))
    }

    fn render_each_here(
        &self,
        emit: &(dyn Fn(&OutputPath, String) -> Result<(), Diagnostic> + Sync),
    ) -> Result<Output, Diagnostics> {
        let site = self.site;
        let mut diagnostics = Diagnostics::default();
        let assets = &self.prepared.assets;
        let others = claim_output_paths(site, assets).unwrap_or_else(|found| {
            diagnostics.extend(found);
            Vec::new()
        });
        let paths_clash = !diagnostics.is_empty();
        // The sitemap and the feeds are read from the site's model alone: made beside the
        // pages, on whichever thread is free, rather than after them on one (the sitemap of
        // 20,000 pages takes tens of milliseconds).
        let machine_text = |origin: &Origin| match origin {
            Origin::Machines(name) => crate::feeds::text(site, name),
            Origin::LanguageFeed(code) => crate::feeds::atom(site, code),
            _ => None,
        };
        let (results, mut machine_files): (Vec<PageResult>, _) = rayon::join(
            || self.render_and_emit_pages(paths_clash, emit),
            || {
                others
                    .iter()
                    .filter_map(|(path, origin)| Some((path.clone(), machine_text(origin)?)))
                    .collect::<HashMap<OutputPath, String>>()
            },
        );
        let mut anchors = Vec::with_capacity(results.len());
        let mut searched = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok((found, words)) => {
                    anchors.push(found);
                    searched.push(words);
                }
                Err(found) => diagnostics.extend(found),
            }
        }
        diagnostics.merge_repeated();
        diagnostics.into_result(())?;
        self.check_anchor_links(&anchors)?;
        let icon = crate::aliases::ICONS
            .iter()
            .copied()
            .find(|icon| others.iter().any(|(path, _)| path.as_str() == *icon));
        let mut output = Output::default();
        if let Some(mut corpus) = crate::search::Corpus::new(site) {
            self.search_clock.time(|| {
                let mut shows = Vec::with_capacity(searched.len());
                for (index, (terms, page_shows)) in searched.into_iter().enumerate() {
                    if let Some(terms) = terms {
                        corpus.set_page(index, terms);
                    }
                    shows.push(page_shows);
                }
                if self.keep_search {
                    corpus.keep_live();
                }
                let mut state = SearchState {
                    corpus,
                    shows,
                    gone: Vec::new(),
                };
                state.write_into(site, &mut output, None);
                if self.keep_search {
                    if let Ok(mut finished) = self.finished_search.lock() {
                        *finished = Some(state);
                    }
                }
            });
        }
        let mut failed = Diagnostics::default();
        for (path, origin) in others {
            let file = match origin {
                Origin::NotFoundPage => match self.render_not_found()? {
                    Some(html) => OutputFile::Bytes(html.into_bytes()),
                    None => continue,
                },
                Origin::SearchPage(code) => {
                    let url = crate::search::page_url(site, code);
                    match self.render_search_page(code, &url) {
                        Ok(html) => OutputFile::Bytes(html.into_bytes()),
                        Err(error) => {
                            failed.push(error);
                            continue;
                        }
                    }
                }
                // The index's files are added above, once every page is rendered.
                Origin::SearchIndex(_) => continue,
                // Made beside the pages, above.
                Origin::Machines(_) | Origin::LanguageFeed(_) => {
                    match machine_files.remove(&path) {
                        Some(text) => OutputFile::Bytes(text.into_bytes()),
                        None => continue,
                    }
                }
                Origin::Asset => match assets.bytes_of(path.as_str()) {
                    Some(bytes) => OutputFile::Bytes(bytes.to_vec()),
                    None => continue,
                },
                Origin::Copied(file) => match file.built_in {
                    Some(bytes) => OutputFile::Bytes(bytes.to_vec()),
                    None => OutputFile::Copy(SiteFile {
                        root: site.root.clone(),
                        path: file.from.clone(),
                    }),
                },
                Origin::Alias { page, alias } => {
                    let page = &site.content.pages[page];
                    let canonical = format!("{}{}", site.config.base_url, page.path);
                    let context = crate::aliases::redirect_context(
                        &page.aliases[alias],
                        page,
                        &canonical,
                        icon,
                    );
                    let template = crate::theme::REDIRECT_TEMPLATE;
                    match self.render_template(&page.lang, template, context) {
                        Ok(html) => OutputFile::Bytes(html.into_bytes()),
                        Err(error) => {
                            failed.push(site.theme.render_error(&error, template, &page.file));
                            continue;
                        }
                    }
                }
                Origin::Page(_) => continue,
            };
            output.insert(path, file);
        }
        failed.into_result(output)
    }

    /// Renders every page in parallel and hands each its output files (its HTML, and its
    /// search result file) through `emit`, unless output paths clash.
    fn render_and_emit_pages(
        &self,
        paths_clash: bool,
        emit: &(dyn Fn(&OutputPath, String) -> Result<(), Diagnostic> + Sync),
    ) -> Vec<PageResult> {
        let site = self.site;
        (0..site.content.pages.len())
            .into_par_iter()
            .map(|index| {
                let page = self.render_page(index)?;
                let mut terms = None;
                if !paths_clash {
                    emit(site.content.pages[index].output_path(), page.html)?;
                    if let Some(mut entry) = page.search {
                        let (path, text) = entry.fragment;
                        emit(&path, text)?;
                        if let (Some(corpus), false) = (&self.search, self.keep_search) {
                            corpus.keep_first_forms(index, &mut entry.terms);
                        }
                        terms = Some(entry.terms);
                    }
                }
                let ids = page.anchors.join("\n").into_boxed_str();
                Ok(((ids, page.anchor_links), (terms, page.shows)))
            })
            .collect()
    }

    pub fn render_page(&self, index: usize) -> Result<RenderedPage, Diagnostics> {
        self.render_page_in(index, self.search.as_ref())
    }

    /// Page `index`, with its search entry when `corpus` (its index) is given.
    fn render_page_in(
        &self,
        index: usize,
        corpus: Option<&crate::search::Corpus>,
    ) -> Result<RenderedPage, Diagnostics> {
        let site = self.site;
        let page = &site.content.pages[index];
        let embeds = PageEmbeds {
            checkers: &self.prepared.checker_pages,
            theme: &site.theme,
        };
        let record_links = self.record_links;
        // The page's theme shortcodes may ask for theme strings: in the page's language.
        let rendered = self.markdown.time(|| {
            crate::theme::strings::in_language(&page.lang, || {
                markdown::render(page, &site.content, &site.facts, &embeds, record_links)
            })
        })?;
        let shows = crate::search::PageShows {
            facts: crate::search::Names::new(&rendered.facts),
            checkers: crate::search::Names::new(&rendered.checkers),
        };
        let mut page = self
            .templates
            .time(|| self.apply_template(index, page, rendered))?;
        page.search = corpus.and_then(|corpus| {
            if !site.config.search.includes(crate::search::Include::Pages) {
                return None;
            }
            let file = corpus.result_file(index)?;
            Some(
                self.search_clock
                    .time(|| crate::search::page_entry(site, index, &page.html, file)),
            )
        });
        page.shows = shows;
        Ok(page)
    }

    fn apply_template(
        &self,
        index: usize,
        page: &Page,
        mut rendered: Rendered,
    ) -> Result<RenderedPage, Diagnostics> {
        let site = self.site;
        let template = self.template_for(page);
        if !site.theme.has_template(template) {
            return Err(site.theme.missing_template(page, template).into());
        }
        let mut context = Map::new();
        context.insert("root".into(), json!(page.root()));
        context.insert(
            "canonical".into(),
            json!(format!("{}{}", site.config.base_url, page.path)),
        );
        context.insert("breadcrumbs".into(), self.breadcrumbs(index));
        context.insert("translations".into(), self.translations(index));
        let value = self.page_value(page, &mut rendered);
        match page.kind {
            PageKind::Page => {
                let mut page_value = value;
                let (previous, next) = self.neighbours(index);
                page_value["previous"] = previous.map_or(Json::Null, summary);
                page_value["next"] = next.map_or(Json::Null, summary);
                context.insert("page".into(), page_value);
            }
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
                context.insert("page".into(), section.clone());
                context.insert("section".into(), section);
            }
        }
        let html = self
            .render_template(&page.lang, template, context)
            .map_err(|error| {
                Diagnostics::from(site.theme.render_error(&error, template, &page.file))
            })?;
        let anchors = rendered.anchors;
        let mut anchor_links = rendered.anchor_links;
        // Kept until the build ends: without the room it grew into.
        anchor_links.shrink_to_fit();
        Ok(RenderedPage {
            index,
            html,
            anchors,
            anchor_links,
            search: None,
            shows: crate::search::PageShows::default(),
        })
    }

    fn template_for<'p>(&self, page: &'p Page) -> &'p str {
        if let Some(template) = &page.meta.template {
            return template;
        }
        match page.kind {
            PageKind::Page => "page.html",
            PageKind::Section
                if page.parent.is_none() && self.site.theme.has_template("index.html") =>
            {
                "index.html"
            }
            PageKind::Section => "section.html",
        }
    }

    fn page_value(&self, page: &Page, rendered: &mut Rendered) -> Json {
        let mut value = summary(page);
        value["content"] = Json::String(std::mem::take(&mut rendered.html));
        value["toc"] = json!(rendered.toc);
        value["extra"] = json!(page.meta.extra);
        value["checkers"] = json!(rendered.checkers);
        value["permalink"] = json!(format!("{}{}", self.site.config.base_url, page.path));
        value
    }

    /// The page in each other language, for the language toggle and `hreflang` links.
    fn translations(&self, index: usize) -> Json {
        let site = self.site;
        let content = &site.content;
        Json::Array(
            content
                .counterparts(index)
                .map(|other| {
                    let page = &content.pages[other];
                    json!({
                        "lang": page.lang,
                        "name": site.config.language_name(&page.lang),
                        "title": page.title(),
                        "path": page.path,
                        "permalink": format!("{}{}", site.config.base_url, page.path),
                    })
                })
                .collect(),
        )
    }

    /// The pages before and after page `index` in its section's listing (by weight, then
    /// title), subsections left out.
    fn neighbours(&self, index: usize) -> (Option<&Page>, Option<&Page>) {
        let pages = &self.site.content.pages;
        let Some(parent) = pages[index].parent else {
            return (None, None);
        };
        // Found by binary search in the section's sorted list, reading only the pages next to
        // it: listing the section's pages for each of its pages, or scanning for it, makes a
        // build quadratic in a section's size (5,000 pages a subsection at 100,000 pages).
        let content = &self.site.content;
        let children = &pages[parent].children;
        let found = children.binary_search_by(|&child| content.listing_order(child, index));
        // Should a list not be in that order, its page is still found, by a scan.
        let Some(at) = found
            .ok()
            .or_else(|| children.iter().position(|&child| child == index))
        else {
            return (None, None);
        };
        let is_page = |&&child: &&usize| pages[child].kind == PageKind::Page;
        let previous = children[..at].iter().rev().find(is_page);
        let next = children[at + 1..].iter().find(is_page);
        (previous.map(|&i| &pages[i]), next.map(|&i| &pages[i]))
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

    /// Every `@/page.md#anchor` link must name an id of its target page. `anchors[i]` holds
    /// page `i`'s Markdown ids, one per line, and its links that name an anchor. An anchor that
    /// is not among
    /// its target's Markdown ids may be one its template writes: only then is the target
    /// rendered again to read them, which spares every other page's HTML that scan.
    fn check_anchor_links(
        &self,
        anchors: &[(Box<str>, Vec<InternalLink>)],
    ) -> Result<(), Diagnostics> {
        let content = &self.site.content;
        let mut every_id: HashMap<usize, Vec<String>> = HashMap::new();
        let mut diagnostics = Diagnostics::default();
        for (index, (_, links)) in anchors.iter().enumerate() {
            for link in links {
                let (named, anchor) = link.named_and_anchor();
                let Some(&target) = content.by_source.get(&link.target) else {
                    continue;
                };
                let markdown_ids = &anchors[target].0;
                if markdown_ids
                    .split('\n')
                    .any(|id| !id.is_empty() && id == anchor)
                {
                    continue;
                }
                let ids = every_id
                    .entry(target)
                    .or_insert_with(|| self.every_id(target, markdown_ids));
                if ids.iter().any(|id| id == anchor) {
                    continue;
                }
                let page = &content.pages[index];
                let message = format!("`{named}` has no heading or element with the id `{anchor}`");
                let text = page.text();
                let mut diagnostic = Diagnostic::at(&page.file, &text, link.locate(&text), message);
                diagnostic =
                    match crate::diagnostics::suggest(anchor, ids.iter().map(String::as_str)) {
                        Some(near) => diagnostic.with_help(format!("did you mean `#{near}`?")),
                        None => diagnostic.with_help(
                            "a heading's id is its text in lowercase words joined by `-`",
                        ),
                    };
                diagnostics.push(diagnostic);
            }
        }
        diagnostics.into_result(())
    }

    /// Every id in page `index`: its Markdown's, then those in its rendered HTML.
    fn every_id(&self, index: usize, markdown_ids: &str) -> Vec<String> {
        let mut ids: Vec<String> = markdown_ids
            .split('\n')
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect();
        if let Ok(page) = self.render_page(index) {
            ids.extend(element_ids(&page.html).map(str::to_string));
        }
        ids
    }

    /// The search page of language `code`: a search form that works with the index, and, for
    /// a reader without JavaScript, every page of that language by section.
    fn render_search_page(&self, code: &str, path: &str) -> Result<String, Diagnostic> {
        let site = self.site;
        let template = crate::search::PAGE_TEMPLATE;
        let languages = &site.content.languages;
        let title = |language: &str| {
            site.theme
                .strings
                .get("search_title", language)
                .unwrap_or("")
                .to_string()
        };
        let mut context = Map::new();
        context.insert("root".into(), json!(crate::content::relative_root(path)));
        context.insert(
            "canonical".into(),
            json!(format!("{}{path}", site.config.base_url)),
        );
        context.insert("breadcrumbs".into(), Json::Array(Vec::new()));
        let translations: Vec<Json> = languages
            .codes()
            .filter(|other| *other != code)
            .map(|other| {
                let path = crate::search::page_url(site, other);
                json!({
                    "lang": other,
                    "name": site.config.language_name(other),
                    "title": title(other),
                    "path": path,
                    "permalink": format!("{}{path}", site.config.base_url),
                })
            })
            .collect();
        context.insert("translations".into(), Json::Array(translations));
        context.insert(
            "search_index".into(),
            crate::search::site_index(&site.content, code),
        );
        let page = json!({
            "title": title(code),
            "description": "",
            "path": path,
            "content": "",
            "toc": [],
            "extra": {},
            "checkers": [],
            "lang": code,
        });
        context.insert("page".into(), page);
        self.render_template(code, template, context)
            .map_err(|error| {
                site.theme
                    .render_error(&error, template, std::path::Path::new(template))
            })
    }

    /// The 404 page: its links are relative to the base URL's path, because a host serves it
    /// for a missing address at any depth.
    pub fn render_not_found(&self) -> Result<Option<String>, Diagnostic> {
        let template = "404.html";
        if !self.site.theme.has_template(template) {
            return Ok(None);
        }
        let mut context = Map::new();
        context.insert("root".into(), json!(self.site.config.base_path()));
        context.insert(
            "canonical".into(),
            json!(format!("{}404.html", self.site.config.base_url)),
        );
        context.insert("breadcrumbs".into(), Json::Array(Vec::new()));
        context.insert("translations".into(), Json::Array(Vec::new()));
        let languages = &self.site.content.languages;
        let other_languages: Vec<Json> = languages
            .others()
            .map(|code| json!({ "lang": code, "home": languages.prefix(code) }))
            .collect();
        context.insert("other_languages".into(), Json::Array(other_languages));
        let title = self
            .site
            .theme
            .strings
            .get("not_found_title", languages.default_code())
            .unwrap_or("");
        let page = json!({
            "title": title,
            "description": "",
            "path": "404.html",
            "content": "",
            "toc": [],
            "extra": {},
            "checkers": [],
        });
        context.insert("page".into(), page);
        self.render_template(languages.default_code(), template, context)
            .map(Some)
            .map_err(|error| {
                self.site
                    .theme
                    .render_error(&error, template, std::path::Path::new(template))
            })
    }
}

/// What a page's Markdown embeds: the checkers, and the theme's shortcodes, which are its
/// templates `shortcodes/NAME.html` (a built-in shortcode's name is never one of them).
struct PageEmbeds<'a> {
    checkers: &'a CheckerPages,
    theme: &'a Theme,
}

const SHORTCODES_DIR: &str = "shortcodes/";

impl Embeds for PageEmbeds<'_> {
    fn checker(
        &self,
        id: &str,
        root: &str,
        language: &str,
        first_on_page: bool,
    ) -> Result<String, String> {
        self.checkers.checker(id, root, language, first_on_page)
    }

    fn checker_ids(&self) -> Vec<&str> {
        self.checkers.checker_ids()
    }

    fn theme_string(&self, key: &str, language: &str) -> Option<String> {
        self.theme.strings.get(key, language).map(str::to_string)
    }

    fn shortcode_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .theme
            .tera
            .get_template_names()
            .filter_map(|name| name.strip_prefix(SHORTCODES_DIR)?.strip_suffix(".html"))
            .filter(|name| !markdown::BUILT_IN_SHORTCODES.contains(name))
            .collect();
        names.sort_unstable();
        names
    }

    fn shortcode(&self, name: &str, args: &Map<String, Json>) -> Result<String, ShortcodeFailure> {
        let template = format!("{SHORTCODES_DIR}{name}.html");
        let shown = self
            .theme
            .sources
            .get(&template)
            .map_or(template.clone(), |(shown, _)| shown.display().to_string());
        let failure = |error: &tera::Error| ShortcodeFailure {
            template: format!("`{shown}`"),
            causes: crate::theme::causes(error),
        };
        let context = Context::from_value(Json::Object(args.clone())).map_err(|e| failure(&e))?;
        self.theme
            .tera
            .render(&template, &context)
            .map_err(|e| failure(&e))
    }
}

/// The site as one language's pages see it.
fn site_value(site: &Site, lang: &str) -> Json {
    let config = &site.config;
    let home = config.base_url.clone() + site.content.languages.prefix(lang);
    json!({
        "title": config.title_in(lang),
        "description": config.description_in(lang),
        "base_url": config.base_url,
        "language": lang,
        "home": site.content.languages.prefix(lang),
        "home_url": home,
        "extra": config.extra_in(lang),
        "search": config.search.enabled.then(|| json!({
            "page": crate::search::page_url(site, lang),
            "manifest": format!("{}{lang}/{}", crate::search::FOLDER, crate::search::index::MANIFEST),
            "index": format!("{}{lang}/", crate::search::FOLDER),
        })),
    })
}

/// What a listing needs of a page: never its content.
fn summary(page: &Page) -> Json {
    json!({
        "title": page.title(),
        "description": page.meta.description,
        "date": page.date().map(|date| date.to_string()),
        "updated": page.updated().map(|date| date.to_string()),
        "path": page.path,
        "weight": page.meta.weight,
        "kind": match page.kind { PageKind::Page => "page", PageKind::Section => "section" },
        "source_path": page.source_path,
        "lang": page.lang,
    })
}

/// The top-level sections and pages. Deliberately without their children: the nav goes into
/// every page's context, so listing every page in it would make a build quadratic in pages.
fn nav(site: &Site, lang: &str) -> Json {
    let pages = &site.content.pages;
    let Some(&home) = site.content.homes.get(lang) else {
        return Json::Array(Vec::new());
    };
    Json::Array(
        pages[home]
            .children
            .iter()
            .map(|&index| summary(&pages[index]))
            .collect(),
    )
}

/// The values of the `id="..."` attributes in `html`, as this generator and its themes write
/// them. Links are checked against these, so a miss only costs a false error, never a wrong page.
fn element_ids(html: &str) -> impl Iterator<Item = &str> {
    html.match_indices(" id=\"").filter_map(move |(at, found)| {
        let value = &html[at + found.len()..];
        value.find('"').map(|end| &value[..end])
    })
}

/// The search index of a rendered site: each page's words and what it shows, kept so that a
/// page rendered again updates it.
pub struct SearchState {
    corpus: crate::search::Corpus,
    shows: Vec<crate::search::PageShows>,
    /// The index files the last update stopped writing: a shard whose words changed has a new
    /// name.
    gone: Vec<String>,
}

impl SearchState {
    /// Adds the facts' and checkers' result files, the manifests and the shards to `output`;
    /// the facts' and checkers' documents of `languages` only, when given.
    fn write_into(&mut self, site: &Site, output: &mut Output, languages: Option<&[&str]>) {
        for (path, text) in self.corpus.add_site_texts(site, &self.shows, languages) {
            output.insert(path, OutputFile::Bytes(text.into_bytes()));
        }
        let (files, gone) = self.corpus.files();
        for (path, text) in files {
            output.insert(path, OutputFile::Bytes(text.into_bytes()));
        }
        self.gone = gone;
    }

    /// The index files the last update stopped writing, taken.
    pub fn take_gone(&mut self) -> Vec<String> {
        std::mem::take(&mut self.gone)
    }
}

/// Renders the whole site into memory, each page keeping the links its Markdown writes (for
/// `guide check`).
pub fn render(site: &Site) -> Result<Output, Diagnostics> {
    render_in_memory(Renderer::new(site).recording_links()).map(|(output, _)| output)
}

/// Renders the whole site into memory, with the search index for later updates (for `guide
/// serve`, which has no use for the links each page writes: it does not record them).
pub fn render_keeping_search(site: &Site) -> Result<(Output, Option<SearchState>), Diagnostics> {
    let mut renderer = Renderer::new(site);
    renderer.keep_search = true;
    render_in_memory(renderer)
}

fn render_in_memory(renderer: Renderer) -> Result<(Output, Option<SearchState>), Diagnostics> {
    let pages = Mutex::new(Vec::new());
    let mut output = renderer.render_each(&|path, html| {
        if let Ok(mut pages) = pages.lock() {
            pages.push((path.clone(), html));
        }
        Ok(())
    })?;
    for (path, html) in pages.into_inner().unwrap_or_default() {
        output.insert(path, OutputFile::Bytes(html.into_bytes()));
    }
    Ok((output, renderer.take_search()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::BuildOptions;

    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let temp = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = temp.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let site = match Site::load(&BuildOptions::new(temp.path())) {
            Ok(site) => site,
            Err(diagnostics) => panic!("{}", diagnostics.render()),
        };
        (temp, site)
    }

    #[test]
    fn a_page_sees_only_its_own_values_when_contexts_are_reused() {
        let (_temp, site) = site(&[
            (
                "site.toml",
                "title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"t\"\n",
            ),
            ("content/_index.md", "+++\ntitle = \"Home\"\n+++\n"),
            ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
            ("content/b.md", "+++\ntitle = \"B\"\n+++\n"),
            (
                "themes/t/templates/page.html",
                "{{ page.title }} {{ root }} {% if section is defined %}LEAK{% endif %}",
            ),
            (
                "themes/t/templates/section.html",
                "{{ section.title }} {{ site.title }}",
            ),
        ]);
        let renderer = Renderer::new(&site);
        let index = |source: &str| site.content.by_source[source];
        let html = |i: usize| renderer.render_page(i).ok().unwrap().html;
        // One at a time, so every page reuses the context the page before it used.
        assert_eq!(html(index("_index.md")), "Home T");
        assert_eq!(html(index("a.md")).trim(), "A ../");
        assert_eq!(html(index("_index.md")), "Home T");
        assert_eq!(html(index("b.md")).trim(), "B ../");
        assert_eq!(renderer.languages[0].spare.lock().unwrap().len(), 1);
    }

    #[test]
    fn pages_keep_their_links_only_when_a_render_records_them() {
        let files = [
            (
                "site.toml",
                "title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"t\"\n",
            ),
            (
                "content/_index.md",
                "+++\ntitle = \"Home\"\n+++\n[a](@/a.md) ![map](map.png)\n",
            ),
            ("content/a.md", "+++\ntitle = \"A\"\n+++\n"),
            ("themes/t/templates/page.html", "{{ page.content }}"),
            ("themes/t/templates/section.html", "{{ section.content }}"),
        ];
        let (_temp, built) = site(&files);
        let home = built.content.by_source["_index.md"];
        let page = Renderer::new(&built).render_page(home).ok().unwrap();
        assert!(page.html.contains("map.png"));
        assert!(built.content.pages[home].written_links.get().is_none());
        // Nor does `guide serve`'s render of the whole site.
        let (_temp, served) = site(&files);
        render_keeping_search(&served).ok().unwrap();
        assert!(served.content.pages[home].written_links.get().is_none());
        // `guide check`'s does.
        let (_temp, whole) = site(&files);
        render(&whole).ok().unwrap();
        assert!(whole.content.pages[home].written_links.get().is_some());

        let (_temp, checked) = site(&files);
        Renderer::new(&checked)
            .recording_links()
            .render_page(home)
            .ok()
            .unwrap();
        let written = checked.content.pages[home].written_links.get().unwrap();
        let targets: Vec<&str> = written.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["@/a.md", "map.png"]);
    }

    #[test]
    fn a_site_rendered_once_holds_no_page_text_and_reads_each_file_as_it_renders() {
        let files = [
            (
                "site.toml",
                "title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"t\"\n",
            ),
            (
                "content/_index.md",
                "+++\ntitle = \"Home\"\n+++\nHome text\n",
            ),
            ("content/a.md", "+++\ntitle = \"A\"\n+++\nA *text*\n"),
            ("content/b.md", "+++\ntitle = \"B\"\n+++\nB text\n"),
            ("themes/t/templates/page.html", "{{ page.content | safe }}"),
            ("themes/t/templates/section.html", "{{ section.content }}"),
        ];
        let (temp, held) = site(&files);
        assert!(held.content.pages.iter().all(|page| page.text.is_held()));
        let once = Site::load_to_render_once(&BuildOptions::new(temp.path())).unwrap();
        assert!(once.content.pages.iter().all(|page| !page.text.is_held()));
        let a = held.content.by_source["a.md"];
        assert_eq!(
            Renderer::new(&once).render_page(a).ok().unwrap().html,
            Renderer::new(&held).render_page(a).ok().unwrap().html
        );
        let html = Renderer::new(&once).render_page(a).ok().unwrap().html;
        assert!(html.contains("A <em>text</em>"), "{html}");

        // A file saved between loading and rendering is an error, not a page rendered from
        // two versions of it (its front matter as loaded, its body as saved).
        std::fs::write(
            temp.path().join("content/b.md"),
            "+++\ntitle = \"B, a much longer title\"\n+++\nB text\n",
        )
        .unwrap();
        let b = once.content.by_source["b.md"];
        let error = match Renderer::new(&once).render_page(b) {
            Ok(_) => panic!("a changed file rendered"),
            Err(diagnostics) => diagnostics.render(),
        };
        assert!(
            error.contains("content/b.md") && error.contains("changed while the site was building"),
            "{error}"
        );
    }
}
