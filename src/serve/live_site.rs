//! The loaded site kept between rebuilds, and the least work that brings it up to date after a
//! set of changed paths (the table is in [`super::changes`]).
//!
//! The model (`site`) always holds what was last read successfully. Work that could not finish
//! (a page that no longer parses, a render error) stays owed and is tried again with the next
//! change, so nothing is published until a build as a whole succeeds, and the published files
//! are then those of a full build of the same inputs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bytes::Bytes;
use rayon::prelude::*;

use super::changes::{ChangedPath, Classifier, Input};
use crate::confine::SiteFile;
use crate::content::{read_page, Content, PageKind};
use crate::diagnostics::Diagnostics;
use crate::feeds;
use crate::output::{Output, OutputFile};
use crate::render::{self, Renderer};
use crate::site::{BuildOptions, Site};

pub struct LiveSite {
    options: BuildOptions,
    classifier: Classifier,
    site: Option<Site>,
    owed: Owed,
    /// Where each copied output file of the last full render comes from, by output path: a
    /// change to that source is read again alone.
    copied_sources: CopiedSources,
    /// The search index of the last full render, updated by each page rendered since.
    search: Option<render::SearchState>,
    /// The values the last partial render's pages shared that only the configuration, facts
    /// and theme decide: dropped whenever the site is loaded again, which a change to any of
    /// those does.
    site_values: Option<render::SiteValues>,
}

/// Work accepted but not yet published.
#[derive(Default)]
struct Owed {
    load_site: bool,
    load_content: bool,
    pages_to_read: BTreeSet<String>,
    render: Pages,
    /// A page's front matter changed: the sitemap and feeds list pages by it, and the facts'
    /// and checkers' search documents, linked to the first page in nav order that shows them,
    /// are worked out again (see `render_pages`' `only_bodies`).
    front_matter_changed: bool,
    /// Some input other than a stylesheet changed, so browsers must reload rather than swap.
    reload: bool,
    /// Copied files edited in place, by output path: read again alone. Stylesheets among them
    /// are swapped in browsers.
    copied: CopiedSources,
    /// Inputs changed since the last published build, as shown to the user.
    inputs: BTreeSet<String>,
}

impl Owed {
    fn copied_other(&self) -> bool {
        self.copied.keys().any(|path| !path.ends_with(".css"))
    }

    fn copied_stylesheets(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.copied
            .keys()
            .filter(|path| path.ends_with(".css"))
            .map(|path| (path.clone(), path.clone()))
    }

    fn needs_build(&self) -> bool {
        self.load_site
            || self.load_content
            || !self.pages_to_read.is_empty()
            || self.render != Pages::None
    }
}

/// Which pages to render.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
enum Pages {
    #[default]
    None,
    /// By index into the loaded content.
    Some(BTreeSet<usize>),
    All,
}

impl Pages {
    fn add(&mut self, more: Pages) {
        *self = match (std::mem::take(self), more) {
            (Pages::All, _) | (_, Pages::All) => Pages::All,
            (Pages::None, other) | (other, Pages::None) => other,
            (Pages::Some(mut mine), Pages::Some(theirs)) => {
                mine.extend(theirs);
                Pages::Some(mine)
            }
        }
    }
}

/// What a set of changes did to the served site.
pub enum Outcome {
    /// No input of the site changed.
    Unchanged,
    /// Only copied files changed in place; they were read again, and nothing was rebuilt.
    Copied(Published),
    Built(Published),
    Failed(Diagnostics),
}

/// A finished build, and what browsers need to know about it.
pub struct Published {
    pub files: Files,
    /// Output paths no longer written (a search shard renamed by its new content): with
    /// `Files::Some`, removed from what is served.
    pub gone: Vec<String>,
    /// Changed inputs, relative to the site root.
    pub inputs: Vec<String>,
    /// `Some` when only stylesheets changed: (old, new) output paths to swap in open pages.
    pub stylesheet_swaps: Option<Vec<(String, String)>>,
    pub rendered: usize,
    pub pages: usize,
    pub loaded: Loaded,
    pub duration: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loaded {
    Nothing,
    Pages,
    ContentTree,
    Site,
}

/// Output files as served, by output path. Copied files are read once, when published (under
/// the rule of [`crate::confine`]), so what is served is what was checked: a file swapped for a
/// link leading out of the site is refused and its last good bytes stay.
pub enum Files {
    /// Every output file of the site.
    All(ServedFiles),
    /// Only these changed; every other file stays as it is.
    Some(ServedFiles),
}

/// Output files' bytes by output path.
pub type ServedFiles = BTreeMap<String, Bytes>;

/// The source of each copied output file, by output path.
type CopiedSources = BTreeMap<String, PathBuf>;

impl Published {
    /// One line for the terminal: what changed, what was rebuilt and how long it took.
    pub fn summary(&self) -> String {
        let inputs = match self.inputs.as_slice() {
            [] => "built the site:".to_string(),
            [one] => format!("{one} changed:"),
            [first, rest @ ..] => format!("{first} and {} more changed:", rest.len()),
        };
        let loaded = match self.loaded {
            _ if self.inputs.is_empty() => "",
            Loaded::Nothing | Loaded::Pages => "",
            Loaded::ContentTree => "read the content again, ",
            Loaded::Site => "loaded the site, ",
        };
        let plural = if self.rendered == 1 { "" } else { "s" };
        let rendered = if self.rendered == 0 {
            "served as it is, nothing to rebuild".to_string()
        } else if self.rendered == self.pages {
            format!("rendered all {} page{plural}", self.rendered)
        } else {
            format!("rendered {} of {} pages", self.rendered, self.pages)
        };
        let swapped = match &self.stylesheet_swaps {
            Some(swaps) if !swaps.is_empty() => ", swapping stylesheets",
            _ => "",
        };
        format!(
            "{inputs} {loaded}{rendered} in {:.1} ms{swapped}",
            self.duration.as_secs_f64() * 1000.0
        )
    }
}

impl LiveSite {
    pub fn new(options: BuildOptions) -> LiveSite {
        let classifier = Classifier::new(&options.root, &options.output);
        LiveSite {
            options,
            classifier,
            site: None,
            owed: Owed::default(),
            copied_sources: BTreeMap::new(),
            search: None,
            site_values: None,
        }
    }

    pub fn classifier(&self) -> &Classifier {
        &self.classifier
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Builds everything, as at start-up.
    pub fn build_all(&mut self) -> Outcome {
        self.owed.load_site = true;
        self.owed.reload = true;
        self.rebuild()
    }

    pub fn apply(&mut self, changes: &[ChangedPath]) -> Outcome {
        for change in changes {
            self.note(change);
        }
        if self.owed.needs_build() {
            return self.rebuild();
        }
        if !self.owed.copied.is_empty() {
            let start = Instant::now();
            let files = match read_copied(&self.options.root, &self.owed.copied) {
                Ok(files) => files,
                // Owed still: read again with the next change.
                Err(diagnostics) => return Outcome::Failed(diagnostics),
            };
            let owed = std::mem::take(&mut self.owed);
            let stylesheet_swaps =
                (!owed.copied_other() && !owed.reload).then(|| owed.copied_stylesheets().collect());
            return Outcome::Copied(Published {
                files: Files::Some(files),
                gone: Vec::new(),
                inputs: owed.inputs.into_iter().collect(),
                stylesheet_swaps,
                rendered: 0,
                pages: self.page_count(),
                loaded: Loaded::Nothing,
                duration: start.elapsed(),
            });
        }
        Outcome::Unchanged
    }

    fn page_count(&self) -> usize {
        self.site
            .as_ref()
            .map_or(0, |site| site.content.pages.len())
    }

    /// Which input of the site `path` is, if the build reads it at all.
    fn input_of(&self, path: &Path) -> Option<Input> {
        let theme = self.site.as_ref().map(|site| site.config.theme.as_str());
        // Before the first successful load the theme is unknown; any theme path may matter.
        let theme = theme.unwrap_or_else(|| {
            path.strip_prefix(self.classifier.root().join(super::changes::THEMES_DIR))
                .ok()
                .and_then(|rest| rest.components().next())
                .and_then(|c| c.as_os_str().to_str())
                .unwrap_or("")
        });
        self.classifier.classify(path, theme)
    }

    /// Whether a build reads `path` (editors' temporary and backup files it does not).
    pub fn reads(&self, path: &Path) -> bool {
        self.input_of(path).is_some()
    }

    /// Records the work one changed path asks for.
    fn note(&mut self, change: &ChangedPath) {
        let Some(input) = self.input_of(&change.path) else {
            return;
        };
        let owed = &mut self.owed;
        let shown = change
            .path
            .strip_prefix(self.classifier.root())
            .unwrap_or(&change.path)
            .to_string_lossy()
            .into_owned();
        let is_file = change.path.is_file();
        match input {
            Input::Config | Input::Data | Input::Template => {
                owed.load_site = true;
                owed.reload = true;
            }
            Input::ThemeAsset { stylesheet } => {
                owed.load_site = true;
                owed.reload |= !stylesheet;
            }
            Input::StaticFile { output_path } => {
                // Written in place or renamed over (as editors save): either way the file
                // is already in the output, and only needs reading again.
                let copied_in_place =
                    is_file && self.copied_sources.get(&output_path) == Some(&change.path);
                if copied_in_place {
                    owed.copied.insert(output_path, change.path.clone());
                } else {
                    owed.load_site = true;
                    owed.reload = true;
                }
            }
            Input::Content { source_path } => {
                let content = self.site.as_ref().map(|site| &site.content);
                let known_page =
                    content.is_some_and(|content| content.by_source.contains_key(&source_path));
                let exists = change.path.exists();
                owed.reload = true;
                if crate::paths::has_extension(std::path::Path::new(&source_path), "md") {
                    if known_page && is_file {
                        owed.pages_to_read.insert(source_path);
                    } else if known_page || exists {
                        owed.load_content = true;
                    } else {
                        // A page that was never loaded (a draft, say) went away: nothing to do.
                        return;
                    }
                } else if is_file && self.copied_sources.get(&source_path) == Some(&change.path) {
                    owed.copied.insert(source_path, change.path.clone());
                } else if change.path.is_dir() && !change.structural {
                    return;
                } else {
                    owed.load_content = true;
                }
            }
        }
        self.owed.inputs.insert(shown);
    }

    fn rebuild(&mut self) -> Outcome {
        let start = Instant::now();
        let mut loaded = Loaded::Nothing;
        let mut previous_assets = None;
        if self.site.is_none() {
            self.owed.load_site = true;
        }
        if self.owed.load_site {
            match Site::load(&self.options) {
                Ok(site) => {
                    // Checkers add only scripts: the stylesheets are the theme's.
                    previous_assets = self.site.take().map(|old| old.theme.assets.names);
                    self.site = Some(site);
                    self.owed.load_site = false;
                    self.owed.load_content = false;
                    self.owed.pages_to_read.clear();
                    self.owed.render = Pages::All;
                    loaded = Loaded::Site;
                }
                Err(diagnostics) => return Outcome::Failed(diagnostics),
            }
        }
        let Some(site) = self.site.as_mut() else {
            unreachable!("the site was loaded above");
        };
        let mut errors = Diagnostics::default();
        loop {
            if self.owed.load_content {
                match Content::load(
                    &self.options.root,
                    &self.options.output,
                    self.options.drafts,
                    &site.config.languages(),
                    crate::content::Holding::Held,
                ) {
                    Ok(content) => {
                        site.content = content;
                        self.owed.load_content = false;
                        self.owed.pages_to_read.clear();
                        self.owed.render = Pages::All;
                        if loaded != Loaded::Site {
                            loaded = Loaded::ContentTree;
                        }
                    }
                    Err(diagnostics) => return Outcome::Failed(diagnostics),
                }
            }
            let mut unreadable = BTreeSet::new();
            let mut tree_changed = false;
            for source_path in std::mem::take(&mut self.owed.pages_to_read) {
                match refresh_page(site, &self.options.root, &source_path) {
                    Ok(Refresh::Render {
                        pages,
                        front_matter,
                    }) => {
                        self.owed.render.add(pages);
                        self.owed.front_matter_changed |= front_matter;
                        if loaded == Loaded::Nothing {
                            loaded = Loaded::Pages;
                        }
                    }
                    Ok(Refresh::Unchanged) => {}
                    Ok(Refresh::TreeChanged) => tree_changed = true,
                    Err(diagnostics) => {
                        errors.extend(diagnostics);
                        unreadable.insert(source_path);
                    }
                }
            }
            self.owed.pages_to_read = unreadable;
            if tree_changed {
                self.owed.load_content = true;
                errors = Diagnostics::default();
                continue;
            }
            break;
        }
        if !errors.is_empty() {
            return Outcome::Failed(errors);
        }
        let pages = site.content.pages.len();
        let root = &self.options.root;
        let (files, rendered) = match &self.owed.render {
            Pages::None => match read_copied(root, &self.owed.copied) {
                Ok(copied) => (Files::Some(copied), 0),
                Err(diagnostics) => return Outcome::Failed(diagnostics),
            },
            Pages::All => match {
                self.site_values = None;
                render::render_keeping_search(site)
            }
            .and_then(|(output, search)| Ok((served(output)?, search)))
            {
                Ok(((files, copied_sources), search)) => {
                    self.copied_sources = copied_sources;
                    self.search = search;
                    (Files::All(files), pages)
                }
                Err(diagnostics) => return Outcome::Failed(diagnostics),
            },
            Pages::Some(indices) => {
                // Copied files are read first: once pages are rendered, their words are in the
                // live search index, and a build failing after that would lose the index files
                // they changed (the next attempt finds the index already up to date).
                let copied = match read_copied(root, &self.owed.copied) {
                    Ok(copied) => copied,
                    Err(diagnostics) => return Outcome::Failed(diagnostics),
                };
                let search = self.search.as_mut();
                let values = &mut self.site_values;
                // No front matter changed since the last published build: bodies only.
                let only_bodies = !self.owed.front_matter_changed;
                let rendered = render_some(site, indices, search, values, only_bodies).and_then(
                    |mut output| {
                        let count = indices.len();
                        if self.owed.front_matter_changed {
                            feeds::add(site, &mut output);
                        }
                        // A partial render's output is rendered bytes only: nothing left to read.
                        let (mut files, _) = served(output)?;
                        files.extend(copied);
                        Ok((files, count))
                    },
                );
                match rendered {
                    Ok((files, count)) => (Files::Some(files), count),
                    Err(diagnostics) => return Outcome::Failed(diagnostics),
                }
            }
        };
        let owed = std::mem::take(&mut self.owed);
        let stylesheet_swaps = (!owed.reload && !owed.copied_other()).then(|| {
            let mut swaps = stylesheet_swaps(previous_assets.as_ref(), &site.theme.assets.names);
            swaps.extend(owed.copied_stylesheets());
            swaps
        });
        let gone = match &files {
            Files::Some(_) => self
                .search
                .as_mut()
                .map(render::SearchState::take_gone)
                .unwrap_or_default(),
            Files::All(_) => Vec::new(),
        };
        Outcome::Built(Published {
            files,
            gone,
            inputs: owed.inputs.into_iter().collect(),
            stylesheet_swaps,
            rendered,
            pages,
            loaded,
            duration: start.elapsed(),
        })
    }
}

/// What re-reading one page asks for.
enum Refresh {
    Unchanged,
    Render {
        pages: Pages,
        front_matter: bool,
    },
    /// Its URL or its presence changed: the content tree must be read again.
    TreeChanged,
}

/// Reads a loaded page again and updates the model in place when its place in the tree holds.
fn refresh_page(site: &mut Site, root: &Path, source_path: &str) -> Result<Refresh, Diagnostics> {
    let content = &mut site.content;
    let Some(&index) = content.by_source.get(source_path) else {
        return Ok(Refresh::TreeChanged);
    };
    let fresh = match read_page(root, source_path, &content.languages) {
        Ok(page) => page,
        Err(_)
            if !root
                .join(crate::paths::CONTENT_DIR)
                .join(source_path)
                .is_file() =>
        {
            return Ok(Refresh::TreeChanged)
        }
        Err(diagnostics) => return Err(diagnostics),
    };
    let page = &mut content.pages[index];
    if fresh.text() == page.text() {
        return Ok(Refresh::Unchanged);
    }
    let same_front_matter = fresh.text()[..fresh.body_start] == page.text()[..page.body_start];
    if same_front_matter {
        page.text = fresh.text;
        page.body_start = fresh.body_start;
        page.written_links = fresh.written_links;
        return Ok(Refresh::Render {
            pages: Pages::Some(BTreeSet::from([index])),
            front_matter: false,
        });
    }
    // A page's URL follows from its file, its section's (unchanged here) and its slug. Any
    // change to a URL must read the tree again: URL paths, and the link table made with them,
    // are set only by `Content::load`.
    let slug = |page: &crate::content::Page| page.meta.slug.as_ref().map(|s| s.get_ref().clone());
    if slug(&fresh) != slug(page)
        || fresh.meta.draft != page.meta.draft
        // An alias is a file of its own, claimed with every other output path.
        || fresh.aliases != page.aliases
    {
        return Ok(Refresh::TreeChanged);
    }
    let feed_before = feeds::feed_paths(site);
    let page = &mut site.content.pages[index];
    page.text = fresh.text;
    page.body_start = fresh.body_start;
    page.written_links = fresh.written_links;
    page.meta = fresh.meta;
    let parent = page.parent;
    let is_section = page.kind == PageKind::Section;
    let all = Refresh::Render {
        pages: Pages::All,
        front_matter: true,
    };
    // Every page links the feed when there is one.
    if feeds::feed_paths(site) != feed_before {
        return Ok(all);
    }
    // Its translations list their sections in its order (weights, then the default language's
    // titles): they are sorted again too, and every language rendered.
    let versions: Vec<usize> = site.content.translations[&site.content.pages[index].key].clone();
    if versions.len() > 1 {
        for version in versions {
            if let Some(section) = site.content.pages[version].parent {
                site.content.sort_children(section);
            }
        }
        return Ok(all);
    }
    let content = &mut site.content;
    let Some(parent) = parent else {
        // The home page: its title heads every page's breadcrumbs.
        return Ok(all);
    };
    content.sort_children(parent);
    // The nav lists each language's home's children and theirs.
    let is_home = |section: usize| content.pages[section].parent.is_none();
    if is_home(parent) || content.pages[parent].parent.is_some_and(is_home) {
        return Ok(all);
    }
    let mut pages = BTreeSet::from([index, parent]);
    // Its neighbours in the section link it by title, as previous and next.
    pages.extend(content.pages[parent].children.iter().copied());
    if is_section {
        // A section's title is in the breadcrumbs of everything below it.
        let mut below = content.pages[index].children.clone();
        while let Some(next) = below.pop() {
            pages.insert(next);
            below.extend(content.pages[next].children.iter().copied());
        }
    }
    Ok(Refresh::Render {
        pages: Pages::Some(pages),
        front_matter: true,
    })
}

/// The rendered files as served, copied ones read now (in parallel: a site may copy many
/// images), and where each copied one came from.
fn served(output: Output) -> Result<(ServedFiles, CopiedSources), Diagnostics> {
    let mut files = BTreeMap::new();
    let mut copies = Vec::new();
    for (path, file) in output.files {
        match file {
            OutputFile::Bytes(bytes) => {
                files.insert(path, Bytes::from(bytes));
            }
            OutputFile::Copy(copied) => copies.push((path, copied)),
        }
    }
    let read: Vec<_> = copies.par_iter().map(|(_, copied)| copied.read()).collect();
    let mut copied_sources = BTreeMap::new();
    let mut diagnostics = Diagnostics::default();
    for ((path, copied), bytes) in copies.into_iter().zip(read) {
        match bytes {
            Ok(bytes) => {
                files.insert(path.clone(), Bytes::from(bytes));
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
        copied_sources.insert(path, copied.path);
    }
    diagnostics.into_result((files, copied_sources))
}

/// Copied files edited in place, read again: (output path, source) pairs.
fn read_copied(root: &Path, copied: &CopiedSources) -> Result<ServedFiles, Diagnostics> {
    let mut files = BTreeMap::new();
    let mut diagnostics = Diagnostics::default();
    for (path, from) in copied {
        let file = SiteFile {
            root: root.to_path_buf(),
            path: from.clone(),
        };
        match file.read() {
            Ok(bytes) => {
                files.insert(path.clone(), Bytes::from(bytes));
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    diagnostics.into_result(files)
}

/// Renders pages `indices`, taking the site's shared values from `values` and putting them
/// back for the next render.
fn render_some(
    site: &Site,
    indices: &BTreeSet<usize>,
    search: Option<&mut render::SearchState>,
    values: &mut Option<render::SiteValues>,
    only_bodies: bool,
) -> Result<Output, Diagnostics> {
    let indices: Vec<usize> = indices.iter().copied().collect();
    let renderer = Renderer::reusing(site, values.take());
    let rendered = renderer.render_pages(&indices, search, only_bodies);
    *values = Some(renderer.into_site_values());
    rendered
}

/// Stylesheets whose fingerprinted name changed, as (old, new) output paths.
fn stylesheet_swaps(
    previous: Option<&BTreeMap<String, String>>,
    current: &BTreeMap<String, String>,
) -> Vec<(String, String)> {
    let Some(previous) = previous else {
        return Vec::new();
    };
    current
        .iter()
        .filter(|(logical, _)| logical.ends_with(".css"))
        .filter_map(|(logical, new)| {
            let old = previous.get(logical)?;
            (old != new).then(|| (old.clone(), new.clone()))
        })
        .collect()
}
