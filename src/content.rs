//! Pages and sections from `content/`: front matter, URL paths, and the section tree.
//!
//! A folder with an `_index.md` is a section; every other `.md` file is a page of the nearest
//! section above it. Non-Markdown files are copied beside the pages that use them.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use guide_rules::Date;
use rayon::prelude::*;
use serde::Deserialize;
use walkdir::WalkDir;

use crate::confine;
use crate::diagnostics::{io_error, toml_error, utf8_text, Diagnostic, Diagnostics};
use crate::facts::date_from_toml;
use crate::links::WrittenLinks;
use crate::output_path::{self, OutputPath, PathProblem};
use crate::paths::{has_extension, shown_path, CONTENT_DIR, DATA_DIRS};

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
    /// Path relative to `content/` with `/` separators, the key of `@/` links.
    pub source_path: String,
    pub text: Arc<str>,
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
    /// Index of the section this page or section belongs to (`None` for home).
    pub parent: Option<usize>,
    /// For sections: their pages and subsections, ordered by weight then title.
    pub children: Vec<usize>,
    /// Every link and image its Markdown writes, recorded by its first render (so `guide
    /// check` never reads the Markdown again). Whoever replaces `text` resets it.
    pub written_links: OnceLock<WrittenLinks>,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
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
        let (_, front_start, _) = split_front_matter(&self.text)?;
        let span = slug.span();
        Some(front_start + span.start..front_start + span.end)
    }

    /// Where its alias number `alias` is in the page's file, quotes included.
    pub fn alias_span(&self, alias: usize) -> Option<Range<usize>> {
        let alias = self.meta.aliases.get(alias)?;
        let (_, front_start, _) = split_front_matter(&self.text)?;
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
    pub from: PathBuf,
    /// Output path relative to the output folder, `/`-separated.
    pub to: String,
}

#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Pages and sections; index 0 is the home section.
    pub pages: Vec<Page>,
    pub by_source: HashMap<String, usize>,
    pub static_files: Vec<StaticFile>,
    /// Source paths of the files copied from `content/`: what `@/` links to files may name.
    pub copied: HashSet<String>,
}

impl Content {
    pub fn load(root: &Path, drafts: bool) -> Result<Content, Diagnostics> {
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
                match confine::check_walk_entry(root, entry) {
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
            .map(|(path, source_path)| load_page(root, &path, source_path))
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
            by_source: HashMap::new(),
            static_files,
            copied: HashSet::new(),
        };
        content.ensure_home();
        content.link_tree();
        diagnostics.into_result(content)
    }

    fn ensure_home(&mut self) {
        let home = self.pages.iter().position(|p| p.source_path == "_index.md");
        let home = home.unwrap_or_else(|| {
            self.pages.push(Page {
                file: PathBuf::from("content/_index.md"),
                source_path: "_index.md".into(),
                text: Arc::from(""),
                body_start: 0,
                meta: FrontMatter::default(),
                kind: PageKind::Section,
                path: String::new(),
                output: OutputPath::new("index.html").expect("`index.html` is an output path"),
                aliases: Vec::new(),
                parent: None,
                children: Vec::new(),
                written_links: OnceLock::new(),
            });
            self.pages.len() - 1
        });
        self.pages.swap(0, home);
    }

    /// Assigns parents and children. Two pages at one URL are found with every other output
    /// file, when the site is rendered.
    fn link_tree(&mut self) {
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
        let section_of_folder: HashMap<String, usize> = self
            .pages
            .iter()
            .enumerate()
            .filter(|(_, page)| page.kind == PageKind::Section)
            .map(|(index, page)| (folder_of(&page.source_path).to_string(), index))
            .collect();
        for index in 1..self.pages.len() {
            let page = &self.pages[index];
            let mut folder = folder_of(&page.source_path);
            if page.kind == PageKind::Section {
                folder = parent_folder(folder);
            }
            let parent = loop {
                if let Some(&section) = section_of_folder.get(folder) {
                    break section;
                }
                if folder.is_empty() {
                    break 0;
                }
                folder = parent_folder(folder);
            };
            self.pages[index].parent = Some(parent);
            self.pages[parent].children.push(index);
        }
        let pages = &self.pages;
        let mut children: Vec<Vec<usize>> = pages.iter().map(|p| p.children.clone()).collect();
        for list in &mut children {
            list.sort_by(|&a, &b| listing_order(&pages[a], &pages[b]));
        }
        for (page, list) in self.pages.iter_mut().zip(children) {
            page.children = list;
        }
    }

    /// Orders a section's children again after their front matter changed. Children are
    /// listed in index order before [`Content::load`]'s stable sort, so breaking ties by index
    /// gives the same order as a fresh load.
    pub fn sort_children(&mut self, section: usize) {
        let mut list = std::mem::take(&mut self.pages[section].children);
        list.sort_by(|&a, &b| listing_order(&self.pages[a], &self.pages[b]).then(a.cmp(&b)));
        self.pages[section].children = list;
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

/// Order within a section: by weight, then title.
fn listing_order(a: &Page, b: &Page) -> std::cmp::Ordering {
    a.meta
        .weight
        .cmp(&b.meta.weight)
        .then_with(|| a.title().cmp(b.title()))
}

/// Reads one page again, with the checks of a full load; its place in the tree (`parent`,
/// `children`) is left empty for the caller to keep.
pub fn read_page(root: &Path, source_path: &str) -> Result<Page, Diagnostics> {
    let path = root.join(CONTENT_DIR).join(source_path);
    // The load's walk checked the page; it may have become a link since.
    confine::resolve_inside(root, &path)
        .map_err(|refused| refused.diagnostic(root, &path, "read"))?;
    load_page(root, &path, source_path.to_string()).map_err(Diagnostics::from)
}

fn load_page(root: &Path, path: &Path, source_path: String) -> Result<Page, Diagnostic> {
    let file = shown_path(root, path);
    // The walk (or `read_page`) checked the path against the site's folder.
    let bytes = std::fs::read(path).map_err(|e| io_error(&file, "read", &e))?;
    let text = utf8_text(bytes, &file)?;
    let (front, front_start, body_start) = split_front_matter(&text).ok_or_else(|| {
        Diagnostic::at(&file, &text, 0..text.find('\n').unwrap_or(text.len()), "missing front matter")
            .with_help("start the page with a `+++` line, TOML such as `title = \"...\"`, and a closing `+++` line")
    })?;
    let meta: FrontMatter = toml::from_str(front)
        .map_err(|e| toml_error(&file, &text, front_start, &e, "front matter"))?;
    let is_section = path.file_name().is_some_and(|name| name == "_index.md");
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
    let path = url_path(&source_path, is_section, slug);
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
    Ok(Page {
        file,
        source_path,
        text: text.clone(),
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
fn split_front_matter(text: &str) -> Option<(&str, usize, usize)> {
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

/// Dot files and editors' backup, swap and temporary files are never content.
pub fn is_hidden_or_temporary(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    (name.starts_with('.') && name.len() > 1)
        || name.ends_with('~')
        || name.starts_with("#")
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with(".#")
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
