//! Pages and sections from `content/`: front matter, URL paths, and the section tree.
//!
//! A folder with an `_index.md` is a section; every other `.md` file is a page of the nearest
//! section above it. Non-Markdown files are copied beside the pages that use them.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock, RwLock};

use guide_rules::Date;
use rayon::prelude::*;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::config::Languages;
use crate::confine;
use crate::diagnostics::{io_error, toml_error, utf8_text, Diagnostic, Diagnostics};
use crate::facts::date_from_toml;
use crate::links::WrittenLinks;
use crate::output_path::{self, OutputPath, PathProblem};
use crate::paths::{has_extension, is_hidden_or_temporary, shown_path, CONTENT_DIR, DATA_DIRS};

mod link_table;
pub use link_table::LinkTable;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<toml::value::Datetime>,
    pub updated: Option<toml::value::Datetime>,
    #[serde(default)]
    pub weight: i64,
    #[serde(default)]
    pub draft: bool,
    /// With its place in the front matter, for errors about it.
    pub slug: Option<toml::Spanned<String>>,
    pub template: Option<String>,
    /// Old addresses of the page, each written as a page that sends the reader on to it.
    #[serde(default)]
    pub aliases: Vec<toml::Spanned<String>>,
    /// Listed in the Atom feed of program updates.
    #[serde(default)]
    pub update: bool,
    /// Link every fact the page shows in its text to the fact's source, as if each
    /// `{{ fact(...) }}` said `cite`.
    #[serde(default)]
    pub cite_facts: bool,
    /// In a translation: the fingerprint of its source page (title, description and body)
    /// when it was translated, written by `guide translations mark`; `guide check` reports the
    /// translation as stale once the source's fingerprint differs.
    pub translated_from: Option<toml::Spanned<String>>,
    #[serde(default)]
    pub extra: toml::Table,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    Page,
    Section,
}

#[derive(Debug, Clone)]
pub struct Page {
    /// Path shown in messages, relative to the site root (`content/stream/family.md`).
    pub file: PathBuf,
    /// Path relative to `content/` with `/` separators (`stream/family.fr.md`).
    pub source_path: String,
    /// `source_path` without its language mark (`stream/family.md`): what a page and its
    /// translations share, and what `@/` links name.
    pub key: String,
    /// Its language's code: the site's default language unless the file name marks another.
    pub lang: String,
    /// Its file as read: see [`Page::text`].
    pub text: Source,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    pub meta: FrontMatter,
    pub kind: PageKind,
    /// Output URL path relative to the site root: `""` for home, `stream/family/` otherwise.
    pub path: String,
    /// `path` plus `index.html`: where the page is written.
    pub output: OutputPath,
    /// Its `aliases`, checked, each written as a redirect to the page.
    pub aliases: Vec<Alias>,
    /// Index of the section this page or section belongs to (`None` for a language's home).
    pub parent: Option<usize>,
    /// For sections: their pages and subsections, ordered by weight then title.
    pub children: Vec<usize>,
    /// Every link and image its Markdown writes, recorded by its first render (so `guide
    /// check` never reads the Markdown again). Whoever replaces `text` resets it.
    pub written_links: OnceLock<WrittenLinks>,
}

/// A page file's text. `guide build` never holds every page's text at once: it reads each
/// file, keeps what the front matter says, and lets the text go ([`Holding::ReadAgain`]); the
/// page's render reads the file again. Held from loading to the end, the sources were a third
/// of a large site's peak memory. `guide serve` and `guide check` hold them ([`Holding::Held`]):
/// they render pages again and compare an edited file with what it was.
#[derive(Debug)]
pub struct Source {
    held: RwLock<Option<Arc<str>>>,
    /// Where the text was read from, to read it again once released; `None` for a page that
    /// has no file (a language's empty home).
    path: Option<PathBuf>,
    /// The text's hash as loaded: a text read again that differs is a file changed since.
    fingerprint: u64,
}

/// Whether loading keeps each page's text in memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holding {
    Held,
    /// Each page's text is read again when it is needed: for a site rendered once.
    ReadAgain,
}

impl Source {
    pub fn new(text: Arc<str>, path: Option<PathBuf>) -> Source {
        Source {
            fingerprint: xxhash_rust::xxh3::xxh3_64(text.as_bytes()),
            held: RwLock::new(Some(text)),
            path,
        }
    }

    /// The text, held or read again. A file that can no longer be read, or is no longer
    /// UTF-8, reads as empty; one changed since it was loaded reads as it is now, and
    /// [`Source::is_as_loaded`] tells which.
    pub fn get(&self) -> Arc<str> {
        if let Some(text) = self.held.read().ok().and_then(|held| held.clone()) {
            return text;
        }
        let read = self
            .path
            .as_deref()
            .and_then(|path| std::fs::read(path).ok());
        Arc::from(
            read.and_then(|bytes| String::from_utf8(bytes).ok())
                .unwrap_or_default(),
        )
    }

    /// Whether `text` is the text as it was loaded.
    pub fn is_as_loaded(&self, text: &str) -> bool {
        xxhash_rust::xxh3::xxh3_64(text.as_bytes()) == self.fingerprint
    }

    /// Lets go of the text: the next [`Source::get`] reads the file again.
    pub fn release(&self) {
        if self.path.is_some() {
            if let Ok(mut held) = self.held.write() {
                *held = None;
            }
        }
    }

    /// Whether the text is held in memory.
    pub fn is_held(&self) -> bool {
        self.held.read().is_ok_and(|held| held.is_some())
    }
}

impl Clone for Source {
    fn clone(&self) -> Source {
        let clone = Source::new(self.get(), self.path.clone());
        if !self.is_held() {
            clone.release();
        }
        clone
    }
}

/// A page's Markdown body: its text after the front matter.
pub struct Body {
    text: Arc<str>,
    start: usize,
}

impl std::ops::Deref for Body {
    type Target = str;

    fn deref(&self) -> &str {
        // Empty for a file changed since it was loaded whose front matter grew past its end:
        // a render reports that change (see `Source::is_as_loaded`).
        self.text.get(self.start..).unwrap_or("")
    }
}

impl Page {
    /// Its file's text, front matter and body.
    pub fn text(&self) -> Arc<str> {
        self.text.get()
    }

    pub fn body(&self) -> Body {
        Body {
            text: self.text(),
            start: self.body_start,
        }
    }

    pub fn title(&self) -> &str {
        self.meta.title.as_deref().unwrap_or("")
    }

    pub fn date(&self) -> Option<Date> {
        self.meta.date.as_ref().and_then(date_from_toml)
    }

    pub fn updated(&self) -> Option<Date> {
        self.meta.updated.as_ref().and_then(date_from_toml)
    }

    /// Where the page is written, relative to the output folder (`stream/family/index.html`).
    pub fn output_path(&self) -> &OutputPath {
        &self.output
    }

    /// Where the `slug` value is in the page's file, quotes included.
    pub fn slug_span(&self) -> Option<Range<usize>> {
        let slug = self.meta.slug.as_ref()?;
        let (_, front_start, _) = split_front_matter(&self.text())?;
        let span = slug.span();
        Some(front_start + span.start..front_start + span.end)
    }

    /// Where the `translated_from` value is in the page's file, quotes included.
    pub fn translated_from_span(&self) -> Option<Range<usize>> {
        let from = self.meta.translated_from.as_ref()?;
        let (_, front_start, _) = split_front_matter(&self.text())?;
        Some(front_start + from.span().start..front_start + from.span().end)
    }

    /// Where its alias number `alias` is in the page's file, quotes included.
    pub fn alias_span(&self, alias: usize) -> Option<Range<usize>> {
        let alias = self.meta.aliases.get(alias)?;
        let (_, front_start, _) = split_front_matter(&self.text())?;
        Some(front_start + alias.span().start..front_start + alias.span().end)
    }

    /// `../` once per path segment: how this page's links reach the site root.
    pub fn root(&self) -> String {
        relative_root(&self.path)
    }
}

pub fn relative_root(path: &str) -> String {
    let depth = path
        .split('/')
        .filter(|segment| !segment.is_empty())
        .count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// An old address of a page, from its front matter's `aliases`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// As written, without a leading `/`: `old/path/` or `old.html`.
    pub path: String,
    /// Where its redirect is written: `old/path/index.html`, `old.html`.
    pub output: OutputPath,
}

/// An alias checked as an output path: `old/path/` (or `old/path`) is written to
/// `old/path/index.html`, a name ending in `.html` to itself.
fn read_alias(written: &str) -> Result<Alias, PathProblem> {
    let path = written.strip_prefix('/').unwrap_or(written);
    let output = if has_extension(Path::new(path), "html") {
        OutputPath::new(path)?
    } else {
        let folder = path.strip_suffix('/').unwrap_or(path);
        if let Some(problem) = output_path::problem(folder) {
            return Err(problem);
        }
        OutputPath::new(&format!("{folder}/index.html"))?
    };
    Ok(Alias {
        path: path.to_string(),
        output,
    })
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// The file, or for one of the built-in theme where messages say it is.
    pub from: PathBuf,
    /// The bytes of a file of the theme built into the binary.
    pub built_in: Option<&'static [u8]>,
    /// Output path relative to the output folder, `/`-separated.
    pub to: String,
}

#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Pages and sections; index 0 is the default language's home section.
    pub pages: Vec<Page>,
    /// Looked up for every `@/` link of every page: hashed with FxHash rather than SipHash.
    pub by_source: rustc_hash::FxHashMap<String, usize>,
    pub languages: Languages,
    /// Each language's home section, by code.
    pub homes: HashMap<String, usize>,
    /// Key (`stream/family.md`) → the page in each language that has it, the default first.
    pub translations: rustc_hash::FxHashMap<String, Vec<usize>>,
    pub static_files: Vec<StaticFile>,
    /// Source paths of the files copied from `content/`: what `@/` links to files may name.
    pub copied: HashSet<String>,
    /// Where each `@/` link leads from each language: [`Content::resolve`] in one lookup.
    /// Made with the URL paths, in [`Content::link_tree`], the one place that sets them.
    link_table: LinkTable,
}

impl Content {
    /// Reads `content/` of the site at `root`; a link in it may not lead into `output`, the
    /// folder builds write.
    pub fn load(
        root: &Path,
        output: &Path,
        drafts: bool,
        languages: &Languages,
        holding: Holding,
    ) -> Result<Content, Diagnostics> {
        let content_dir = root.join(CONTENT_DIR);
        let mut diagnostics = Diagnostics::default();
        let mut pages = Vec::new();
        let mut static_files = Vec::new();
        if !content_dir.is_dir() {
            return Err(
                Diagnostic::new(CONTENT_DIR, "the site has no content/ folder")
                    .with_help("create content/_index.md for the home page")
                    .into(),
            );
        }
        // Links are followed, each checked first against the rule of `confine`; refusals are
        // gathered here because the filter runs inside the walk.
        let mut refused = Vec::new();
        let walker = WalkDir::new(&content_dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                let relative = entry
                    .path()
                    .strip_prefix(&content_dir)
                    .unwrap_or(entry.path());
                let top = relative
                    .components()
                    .next()
                    .and_then(|c| c.as_os_str().to_str());
                let data_dir =
                    entry.depth() == 1 && top.is_some_and(|top| DATA_DIRS.contains(&top));
                if data_dir || is_hidden_or_temporary(entry.path()) {
                    return false;
                }
                match confine::check_walk_entry(root, output, entry) {
                    Ok(()) => true,
                    Err(diagnostic) => {
                        refused.push(diagnostic);
                        false
                    }
                }
            });
        let mut markdown_files = Vec::new();
        for entry in walker {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let path = error.path().map(Path::to_path_buf).unwrap_or_default();
                    // Following links, the walk meets an editor's lock file (a dangling link)
                    // before the filter can skip it.
                    if is_hidden_or_temporary(&path) {
                        continue;
                    }
                    diagnostics.push(Diagnostic::new(
                        shown_path(root, &path),
                        format!("could not read: {error}"),
                    ));
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let relative = entry
                .path()
                .strip_prefix(&content_dir)
                .unwrap_or(entry.path());
            let source_path = slash_path(relative);
            if has_extension(entry.path(), "md") {
                markdown_files.push((entry.into_path(), source_path));
            } else {
                static_files.push(StaticFile {
                    from: entry.path().to_path_buf(),
                    built_in: None,
                    to: source_path,
                });
            }
        }
        for diagnostic in refused {
            diagnostics.push(diagnostic);
        }
        // Reading and parsing front matter is most of the load stage on a large site; the
        // collected order is the sorted walk's, so the result does not depend on threads.
        let loaded: Vec<Result<Page, Diagnostic>> = markdown_files
            .into_par_iter()
            .map(|(path, source_path)| load_page(root, &path, source_path, languages, holding))
            .collect();
        for page in loaded {
            match page {
                Ok(page) if page.meta.draft && !drafts => {}
                Ok(page) => pages.push(page),
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let mut content = Content {
            pages,
            by_source: Default::default(),
            languages: languages.clone(),
            homes: HashMap::new(),
            translations: Default::default(),
            static_files,
            copied: HashSet::new(),
            link_table: LinkTable::default(),
        };
        content.ensure_homes();
        for diagnostic in content.link_tree() {
            diagnostics.push(diagnostic);
        }
        diagnostics.into_result(content)
    }

    /// The default language's home becomes page 0, made empty if the site has none; another
    /// language gets an empty home only when it has pages.
    fn ensure_homes(&mut self) {
        let default = self.languages.default_code().to_string();
        let home = self.home_position(&default);
        let home = home.unwrap_or_else(|| {
            self.pages.push(empty_home(&default, None));
            self.pages.len() - 1
        });
        self.pages.swap(0, home);
        let others: Vec<String> = self.languages.others().map(str::to_string).collect();
        for code in others {
            let has_pages = self.pages.iter().any(|page| page.lang == code);
            if has_pages && self.home_position(&code).is_none() {
                self.pages.push(empty_home(&code, Some(&code)));
            }
        }
    }

    fn home_position(&self, code: &str) -> Option<usize> {
        self.pages
            .iter()
            .position(|page| page.key == "_index.md" && page.lang == code)
    }

    /// Assigns parents, children and URL paths, each language a tree of its own. Two pages at
    /// one URL are found with every other output file, when the site is rendered.
    fn link_tree(&mut self) -> Vec<Diagnostic> {
        self.copied = self
            .static_files
            .iter()
            .map(|file| file.to.clone())
            .collect();
        self.by_source = self
            .pages
            .iter()
            .enumerate()
            .map(|(index, page)| (page.source_path.clone(), index))
            .collect();
        let rank: HashMap<&str, usize> = self
            .languages
            .codes()
            .enumerate()
            .map(|(rank, code)| (code, rank))
            .collect();
        let mut translations: rustc_hash::FxHashMap<String, Vec<usize>> = Default::default();
        for (index, page) in self.pages.iter().enumerate() {
            translations
                .entry(page.key.clone())
                .or_default()
                .push(index);
        }
        for list in translations.values_mut() {
            list.sort_by_key(|&index| rank.get(self.pages[index].lang.as_str()));
        }
        self.translations = translations;
        self.homes = self
            .pages
            .iter()
            .enumerate()
            .filter(|(_, page)| page.key == "_index.md")
            .map(|(index, page)| (page.lang.clone(), index))
            .collect();
        let section_of_folder: HashMap<(&str, &str), usize> = self
            .pages
            .iter()
            .enumerate()
            .filter(|(_, page)| page.kind == PageKind::Section)
            .map(|(index, page)| ((page.lang.as_str(), folder_of(&page.key)), index))
            .collect();
        let mut parents = vec![None; self.pages.len()];
        for (index, page) in self.pages.iter().enumerate() {
            if page.key == "_index.md" {
                continue;
            }
            let mut folder = folder_of(&page.key);
            if page.kind == PageKind::Section {
                folder = parent_folder(folder);
            }
            let lang = page.lang.as_str();
            parents[index] = Some(loop {
                if let Some(&section) = section_of_folder.get(&(lang, folder)) {
                    break section;
                }
                if folder.is_empty() {
                    break self.homes[lang];
                }
                folder = parent_folder(folder);
            });
        }
        for (index, parent) in parents.into_iter().enumerate() {
            self.pages[index].parent = parent;
            if let Some(parent) = parent {
                self.pages[parent].children.push(index);
            }
        }
        let sections: Vec<usize> = (0..self.pages.len())
            .filter(|&index| !self.pages[index].children.is_empty())
            .collect();
        for section in sections {
            self.sort_children(section);
        }
        let diagnostics = self.place_pages();
        // Made once every page has its URL path, which it holds.
        self.link_table = LinkTable::new(self);
        diagnostics
    }

    /// Gives each page its URL path, its section's first: a section's path is its parent's, the
    /// folders between them, then its slug or folder name; a page's ends in its slug or file
    /// name. A translation thus sits below its translated sections (`fr/volet/famille/`).
    fn place_pages(&mut self) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let mut pending: Vec<usize> = self.homes.values().copied().collect();
        pending.sort_unstable();
        while let Some(index) = pending.pop() {
            let path = self.url_path_of(index);
            let page = &mut self.pages[index];
            match OutputPath::new(&format!("{path}index.html")) {
                Ok(output) => {
                    page.output = output;
                    page.path = path;
                }
                Err(problem) => diagnostics.push(
                    Diagnostic::new(
                        &page.file,
                        format!("this page's output path `{path}index.html` {problem}"),
                    )
                    .with_help(SLUG_HELP),
                ),
            }
            pending.extend(self.pages[index].children.iter().copied());
        }
        diagnostics
    }

    fn url_path_of(&self, index: usize) -> String {
        let page = &self.pages[index];
        let Some(parent) = page.parent else {
            return self.languages.prefix(&page.lang).to_string();
        };
        let parent_page = &self.pages[parent];
        let within = folder_of(&page.key)
            .strip_prefix(folder_of(&parent_page.key))
            .unwrap_or("")
            .trim_start_matches('/');
        let slug = page.meta.slug.as_ref().map(|slug| slug.get_ref().as_str());
        let (between, name) = match page.kind {
            PageKind::Section => within.rsplit_once('/').unwrap_or(("", within)),
            PageKind::Page => {
                let file_name = page.key.rsplit('/').next().unwrap_or(&page.key);
                let stem = file_name
                    .rsplit_once('.')
                    .map_or(file_name, |(stem, _)| stem);
                (within, stem)
            }
        };
        let mut path = parent_page.path.clone();
        if !between.is_empty() {
            path.push_str(between);
            path.push('/');
        }
        path.push_str(slug.unwrap_or(name));
        path.push('/');
        path
    }

    /// The title a page is listed by: its default-language counterpart's, so that every
    /// language lists a section's pages in the same order.
    fn listing_title(&self, index: usize) -> &str {
        let page = &self.pages[index];
        self.translations
            .get(&page.key)
            .and_then(|list| list.first())
            .map(|&first| &self.pages[first])
            .filter(|first| self.languages.is_default(&first.lang))
            .unwrap_or(page)
            .title()
    }

    /// The page `target` (a key or a source path) leads to from a page in the language at
    /// position `language`, and its URL path, when the link table holds it; [`Content::resolve`]
    /// answers the rest.
    pub fn link_target(&self, language: usize, target: &str) -> Option<(usize, &str)> {
        self.link_table.find(language, target)
    }

    /// The page with `key` in language `lang`.
    pub fn in_language(&self, key: &str, lang: &str) -> Option<usize> {
        self.translations
            .get(key)?
            .iter()
            .copied()
            .find(|&index| self.pages[index].lang == lang)
    }

    /// The other languages' versions of page `index`.
    pub fn counterparts(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let key = &self.pages[index].key;
        self.translations
            .get(key)
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&other| other != index)
    }

    /// The page an `@/` link written in a page in `lang` names: `@/stream/family.md` in a
    /// French page is the French `stream/family.fr.md`. `Err` holds the source path the
    /// counterpart would have, when the page exists only in other languages.
    pub fn resolve(&self, lang: &str, target: &str) -> Result<Option<usize>, String> {
        if let Some(&index) = self.by_source.get(target) {
            let page = &self.pages[index];
            if page.lang == *lang || page.key != target {
                // Either the same language, or a translation named by its own file.
                return Ok(Some(index));
            }
            return match self.in_language(target, lang) {
                Some(index) => Ok(Some(index)),
                None => Err(marked_path(target, lang)),
            };
        }
        Ok(self.in_language(target, lang))
    }

    /// Orders a section's children again after their front matter changed. Children are
    /// listed in index order before [`Content::load`]'s stable sort, so breaking ties by index
    /// gives the same order as a fresh load.
    pub fn sort_children(&mut self, section: usize) {
        let mut list = std::mem::take(&mut self.pages[section].children);
        list.sort_by(|&a, &b| self.listing_order(a, b));
        self.pages[section].children = list;
    }

    /// The order of a section's children: by weight, then title, then index. A total order,
    /// so a page is found in its section's list by binary search.
    pub fn listing_order(&self, a: usize, b: usize) -> std::cmp::Ordering {
        let (page_a, page_b) = (&self.pages[a], &self.pages[b]);
        page_a
            .meta
            .weight
            .cmp(&page_b.meta.weight)
            .then_with(|| self.listing_title(a).cmp(self.listing_title(b)))
            .then(a.cmp(&b))
    }

    pub fn get(&self, source_path: &str) -> Option<&Page> {
        self.by_source
            .get(source_path)
            .map(|&index| &self.pages[index])
    }

    /// Sections from the home page down to (excluding) `index`.
    pub fn ancestors(&self, index: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = self.pages[index].parent;
        while let Some(section) = current {
            chain.push(section);
            current = self.pages[section].parent;
        }
        chain.reverse();
        chain
    }
}

/// An empty home for a language whose site has none: `lang_mark` is `Some` for a language
/// other than the default.
fn empty_home(lang: &str, lang_mark: Option<&str>) -> Page {
    let source_path = match lang_mark {
        Some(mark) => format!("_index.{mark}.md"),
        None => "_index.md".to_string(),
    };
    Page {
        file: PathBuf::from(CONTENT_DIR).join(&source_path),
        source_path,
        key: "_index.md".into(),
        lang: lang.to_string(),
        text: Source::new(Arc::from(""), None),
        body_start: 0,
        meta: FrontMatter::default(),
        kind: PageKind::Section,
        path: String::new(),
        output: OutputPath::new("index.html").expect("`index.html` is an output path"),
        aliases: Vec::new(),
        parent: None,
        children: Vec::new(),
        written_links: OnceLock::new(),
    }
}

/// `stream/family.md` in `fr` → `stream/family.fr.md`.
pub fn marked_path(key: &str, lang: &str) -> String {
    match key.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}.{lang}.{extension}"),
        None => format!("{key}.{lang}"),
    }
}

/// `stream/family.fr.md` → (`stream/family.md`, `fr`) when `fr` is one of the site's other
/// languages; a file without a mark is in the default language.
fn key_and_language(source_path: &str, languages: &Languages) -> (String, String) {
    let (folder, file_name) = match source_path.rsplit_once('/') {
        Some((folder, name)) => (Some(folder), name),
        None => (None, source_path),
    };
    let (stem, extension) = file_name.rsplit_once('.').unwrap_or((file_name, ""));
    if let Some(lang) = languages.marked_by(stem) {
        let bare = &stem[..stem.len() - lang.len() - 1];
        let name = format!("{bare}.{extension}");
        let key = match folder {
            Some(folder) => format!("{folder}/{name}"),
            None => name,
        };
        return (key, lang.to_string());
    }
    (
        source_path.to_string(),
        languages.default_code().to_string(),
    )
}

/// A page in the default language whose name still ends in a language's code: the default
/// language's own (`family.en.md`), or one the site does not publish in (`family.fr.md`
/// without `[languages.fr]`). Either would be published as a default-language page at an
/// address ending in the mark (`family.fr/`).
fn misplaced_language_mark(
    file: &Path,
    source_path: &str,
    languages: &Languages,
) -> Option<Diagnostic> {
    let file_name = source_path.rsplit('/').next()?;
    let (stem, extension) = file_name.rsplit_once('.')?;
    let (bare, code) = stem.rsplit_once('.')?;
    if code == languages.default_code() {
        return Some(
            Diagnostic::new(
                file,
                format!("this page is marked `.{code}`, the site's default language, which pages do not mark"),
            )
            .with_help(format!(
                "rename it `{bare}.{extension}`: a page without a mark is in the default language"
            )),
        );
    }
    if crate::config::is_known_language(code) {
        return Some(
            Diagnostic::new(
                file,
                format!("this page is marked as a page in `{code}`, which is not one of the site's languages"),
            )
            .with_help(format!(
                "add `[languages.{code}]` to site.toml to publish it in `{code}`, or rename it \
                 `{bare}.{extension}` if it is a page in the default language"
            )),
        );
    }
    None
}

/// Reads one page again, with the checks of a full load; its place in the tree (`parent`,
/// `children`) is left empty for the caller to keep.
/// Its URL path is only provisional: a page's path depends on its section's, which the caller
/// keeps.
pub fn read_page(
    root: &Path,
    source_path: &str,
    languages: &Languages,
) -> Result<Page, Diagnostics> {
    let path = root.join(CONTENT_DIR).join(source_path);
    // The load's walk checked the page; it may have become a link since.
    confine::resolve_inside(root, &path)
        .map_err(|refused| refused.diagnostic(root, &path, "read"))?;
    load_page(
        root,
        &path,
        source_path.to_string(),
        languages,
        Holding::Held,
    )
    .map_err(Diagnostics::from)
}

fn load_page(
    root: &Path,
    path: &Path,
    source_path: String,
    languages: &Languages,
    holding: Holding,
) -> Result<Page, Diagnostic> {
    let file = shown_path(root, path);
    let read_from = path.to_path_buf();
    // The walk (or `read_page`) checked the path against the site's folder.
    let bytes = std::fs::read(path).map_err(|e| io_error(&file, "read", &e))?;
    let text = utf8_text(bytes, &file)?;
    let (front, front_start, body_start) = split_front_matter(&text).ok_or_else(|| {
        let first_line = 0..text.find('\n').unwrap_or(text.len());
        // Opened but never closed reads differently from never opened.
        let opening = text.trim_start_matches('\u{feff}').lines().next().unwrap_or("");
        if opening.trim_end() == "+++" {
            Diagnostic::at(&file, &text, first_line, "the front matter is never closed")
                .with_help("end the front matter with a `+++` line of its own, before the page's text")
        } else {
            Diagnostic::at(&file, &text, first_line, "missing front matter")
                .with_help("start the page with a `+++` line, TOML such as `title = \"...\"`, and a closing `+++` line")
        }
    })?;
    let meta: FrontMatter = toml::from_str(front)
        .map_err(|e| toml_error(&file, &text, front_start, &e, "front matter"))?;
    let (key, lang) = key_and_language(&source_path, languages);
    if lang == languages.default_code() {
        if let Some(diagnostic) = misplaced_language_mark(&file, &source_path, languages) {
            return Err(diagnostic);
        }
    }
    let is_section = key == "_index.md" || key.ends_with("/_index.md");
    let slug = meta.slug.as_ref().map(|slug| slug.get_ref().as_str());
    if let (Some(slug), Some(problem)) = (slug, slug.and_then(output_path::problem)) {
        let span = meta.slug.as_ref().map_or(0..0, |slug| {
            front_start + slug.span().start..front_start + slug.span().end
        });
        return Err(
            Diagnostic::at(&file, &text, span, format!("this slug {problem}"))
                .with_help(format!("{}; {SLUG_HELP}", slug_fix(slug, problem))),
        );
    }
    let mut aliases = Vec::with_capacity(meta.aliases.len());
    for written in &meta.aliases {
        match read_alias(written.get_ref()) {
            Ok(alias) => aliases.push(alias),
            Err(problem) => {
                let span = front_start + written.span().start..front_start + written.span().end;
                return Err(
                    Diagnostic::at(&file, &text, span, format!("this alias {problem}")).with_help(
                        "an alias is an old address of the page below the site's root, in \
                         letters, digits, `-`, `_` and `.`, with `/` between folders: \
                         `old/path/` or `old-page.html`",
                    ),
                );
            }
        }
    }
    // Provisional, checked early so that a bad name is reported at its file: the tree's
    // linking sets the final path from the page's sections.
    let path = url_path(&key, is_section, slug);
    let output = OutputPath::new(&format!("{path}index.html")).map_err(|problem| {
        let help = if is_section {
            "rename the section's folder"
        } else {
            "rename the file, or give the page a `slug` to use in its place"
        };
        Diagnostic::new(
            &file,
            format!("this page's output path `{path}index.html` {problem}"),
        )
        .with_help(format!("{help}; {SLUG_HELP}"))
    })?;
    let text = Source::new(text, Some(read_from));
    if holding == Holding::ReadAgain {
        text.release();
    }
    Ok(Page {
        file,
        source_path,
        key,
        lang,
        text,
        body_start,
        meta,
        kind: if is_section {
            PageKind::Section
        } else {
            PageKind::Page
        },
        path,
        output,
        aliases,
        parent: None,
        children: Vec::new(),
        written_links: OnceLock::new(),
    })
}

const SLUG_HELP: &str = "a slug is the page's name below its section, in letters, digits, \
    `-`, `_` and `.`, with `/` between folders: `family`, `volet/famille`";

/// What to do about a slug's problem, in words.
fn slug_fix(slug: &str, problem: PathProblem) -> String {
    match problem {
        PathProblem::Empty => "remove `slug` to name the page after its file".into(),
        PathProblem::Absolute => format!(
            "a slug is relative to the page's section: write `{}`",
            slug.trim_start_matches('/')
        ),
        PathProblem::ParentFolder | PathProblem::CurrentFolder => {
            "to place a page in another section, move its file into that section's folder".into()
        }
        PathProblem::EmptySegment => "remove the extra `/`".into(),
        PathProblem::Backslash => "separate folders with `/`".into(),
        _ => "replace that character, say with `-`".into(),
    }
}

/// Finds `+++` front matter: returns it, where it starts, and where the body starts.
pub(crate) fn split_front_matter(text: &str) -> Option<(&str, usize, usize)> {
    let start = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let first_line_end = text[start..].find('\n').map(|i| start + i)?;
    if text[start..first_line_end].trim_end() != "+++" {
        return None;
    }
    let front_start = first_line_end + 1;
    let mut offset = front_start;
    for line in text[front_start..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&text[front_start..offset], front_start, offset + line.len()));
        }
        offset += line.len();
    }
    None
}

fn url_path(source_path: &str, is_section: bool, slug: Option<&str>) -> String {
    let folder = folder_of(source_path);
    if is_section {
        return if folder.is_empty() {
            String::new()
        } else {
            format!("{folder}/")
        };
    }
    let file_name = source_path.rsplit('/').next().unwrap_or(source_path);
    let stem = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem);
    let name = slug.unwrap_or(stem);
    if folder.is_empty() {
        format!("{name}/")
    } else {
        format!("{folder}/{name}/")
    }
}

/// `stream/family.md` → `stream`; `family.md` → ``.
fn folder_of(source_path: &str) -> &str {
    source_path
        .rsplit_once('/')
        .map_or("", |(folder, _)| folder)
}

fn parent_folder(folder: &str) -> &str {
    folder.rsplit_once('/').map_or("", |(parent, _)| parent)
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_is_split_from_the_body() {
        let text = "+++\ntitle = \"A\"\n+++\n# Body\n";
        let (front, front_start, body_start) = split_front_matter(text).unwrap();
        assert_eq!(front, "title = \"A\"\n");
        assert_eq!(front_start, 4);
        assert_eq!(&text[body_start..], "# Body\n");
        assert!(split_front_matter("# no front matter\n").is_none());
        assert!(split_front_matter("+++\ntitle = \"unclosed\"\n").is_none());
    }

    #[test]
    fn url_paths_are_pretty() {
        assert_eq!(url_path("_index.md", true, None), "");
        assert_eq!(url_path("stream/_index.md", true, None), "stream/");
        assert_eq!(url_path("stream/family.md", false, None), "stream/family/");
        assert_eq!(
            url_path("stream/family.md", false, Some("kin")),
            "stream/kin/"
        );
        assert_eq!(url_path("about.md", false, None), "about/");
    }

    #[test]
    fn aliases_are_folders_or_html_files_inside_the_output() {
        let output = |written: &str| read_alias(written).map(|alias| alias.output.to_string());
        assert_eq!(output("old/path/").as_deref(), Ok("old/path/index.html"));
        assert_eq!(output("/old").as_deref(), Ok("old/index.html"));
        assert_eq!(output("old.html").as_deref(), Ok("old.html"));
        assert_eq!(output("../up/"), Err(PathProblem::ParentFolder));
        assert_eq!(output("a/../../b.html"), Err(PathProblem::ParentFolder));
        assert_eq!(output(""), Err(PathProblem::Empty));
        assert_eq!(output("a b/"), Err(PathProblem::Whitespace(' ')));
    }

    #[test]
    fn relative_root_climbs_one_level_per_segment() {
        assert_eq!(relative_root(""), "./");
        assert_eq!(relative_root("stream/"), "../");
        assert_eq!(relative_root("stream/family/"), "../../");
    }

    #[test]
    fn extensions_match_in_any_case() {
        assert!(has_extension(Path::new("a/page.MD"), "md"));
        assert!(has_extension(Path::new("page.md"), "md"));
        assert!(!has_extension(Path::new("page.mdx"), "md"));
        assert_eq!(url_path("stream/Family.MD", false, None), "stream/Family/");
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".page.md.swp",
            "page.md~",
            "#page.md#",
            ".#page.md",
            "4913.tmp",
            ".DS_Store",
        ] {
            assert!(is_hidden_or_temporary(Path::new(name)), "{name}");
        }
        assert!(!is_hidden_or_temporary(Path::new("page.md")));
    }
}
