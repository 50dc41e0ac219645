//! Search: an index per language of what the pages, the facts and the checkers say, written as
//! files a browser loads with classic `<script>` elements, so that search works under a
//! subpath, from disk, whatever MIME type a host sends and under a strict CSP.
//!
//! Each page's words are read while it renders (from the HTML its Markdown became:
//! [`text::content_text`]) into its [`Terms`] and its result file; once every page is
//! rendered, the facts and the checkers' criteria and outcomes join them (each linking to the
//! first page, in nav order, that shows it) and [`Corpus::files`] writes each language's
//! manifest and shards ([`index`]). Words are cut, folded and stemmed by [`words`], whose
//! rules `search.js` follows for a query.

use std::collections::HashMap;

use crate::content::{Content, PageKind};
use crate::output_path::OutputPath;
use crate::site::Site;

pub mod index;
pub mod text;
pub mod words;

pub use crate::config::{Include, SearchConfig};
pub use index::{Row, Shown, Terms};

/// Where the index files are: `search/LANG/`.
pub const FOLDER: &str = "search/";

/// The theme's template for the search pages; a theme without one has none.
pub const PAGE_TEMPLATE: &str = "search.html";

/// The search page's URL path in language `code` (`search/`, `fr/recherche/`): its folder,
/// `[search] slug`, under the language's.
pub fn page_url(site: &Site, code: &str) -> String {
    format!(
        "{}{}/",
        site.content.languages.prefix(code),
        site.config.search.slug(code)
    )
}

/// The search page's output path in language `code`.
pub fn page_path(site: &Site, code: &str) -> String {
    format!("{}index.html", page_url(site, code))
}

/// The manifest's output path for language `code`.
pub fn manifest_path(code: &str) -> String {
    format!("{FOLDER}{code}/{}", index::MANIFEST)
}

/// Every page of language `code` for the search page's list: the home page's own pages, then
/// each top-level section with everything below it, in nav order.
pub fn site_index(content: &Content, code: &str) -> serde_json::Value {
    use serde_json::json;
    let Some(&home) = content.homes.get(code) else {
        return json!([]);
    };
    let entry = |index: usize| {
        let page = &content.pages[index];
        json!({ "title": page.title(), "path": page.path })
    };
    let children = &content.pages[home].children;
    let mut groups = vec![json!({
        "title": content.pages[home].title(),
        "path": content.pages[home].path,
        "pages": children
            .iter()
            .filter(|&&child| content.pages[child].kind == PageKind::Page)
            .map(|&child| entry(child))
            .collect::<Vec<_>>(),
    })];
    for &section in children {
        if content.pages[section].kind != PageKind::Section {
            continue;
        }
        let mut below = Vec::new();
        let mut stack: Vec<usize> = content.pages[section]
            .children
            .iter()
            .rev()
            .copied()
            .collect();
        while let Some(index) = stack.pop() {
            below.push(entry(index));
            stack.extend(content.pages[index].children.iter().rev());
        }
        groups.push(json!({
            "title": content.pages[section].title(),
            "path": content.pages[section].path,
            "pages": below,
        }));
    }
    json!(groups)
}

/// What a rendered page gives the index: its terms, and its result file's path and text.
pub struct PageEntry {
    pub terms: Terms,
    pub fragment: (OutputPath, String),
}

/// Each language's documents: its pages (by page index), then its facts and checker texts.
pub struct Corpus {
    languages: Vec<LanguageDocs>,
    /// For each page: its language's position in `languages` and its document id.
    page_ids: Vec<Option<(usize, u32)>>,
    /// By language, the words some page already holds: see [`Corpus::keep_first_forms`].
    held_forms: Vec<std::sync::Mutex<HeldForms>>,
    /// By language, the index kept current document by document, once [`Corpus::keep_live`]
    /// asks (for `guide serve`); without it, [`Corpus::files`] works out every file again.
    live: Option<Vec<index::LiveIndex>>,
    /// Whether the next [`Corpus::files`] builds `live`.
    keep_live: bool,
}

/// The (form, stem) pairs of one language's pages so far: by form number its stem plus one
/// (0 for none yet), and the rare pairs of a form already held with another stem.
#[derive(Default)]
struct HeldForms {
    stem_of_form: Vec<u32>,
    other_stems: std::collections::HashSet<words::Word>,
}

struct LanguageDocs {
    code: String,
    /// By document id: the pages' first, then the facts' and the checkers'.
    terms: Vec<Option<Terms>>,
    pages: usize,
    /// The facts' and checker texts' documents last added, each with the page it links to:
    /// one unchanged since keeps its terms and result file.
    site_texts: Vec<(Shown, usize)>,
}

impl Corpus {
    /// The documents of `site`, with no terms yet: ids for its pages, in page order, in each
    /// language. `None` when the site's search is off.
    pub fn new(site: &Site) -> Option<Corpus> {
        if !site.config.search.enabled {
            return None;
        }
        let codes: Vec<&str> = site.content.languages.codes().collect();
        let mut counts = vec![0u32; codes.len()];
        let page_ids = site
            .content
            .pages
            .iter()
            .map(|page| {
                let language = codes.iter().position(|code| *code == page.lang)?;
                let id = counts[language];
                counts[language] += 1;
                Some((language, id))
            })
            .collect();
        let languages = codes
            .iter()
            .zip(counts)
            .map(|(code, count)| LanguageDocs {
                code: code.to_string(),
                terms: vec![None; count as usize],
                pages: count as usize,
                site_texts: Vec::new(),
            })
            .collect();
        let held_forms = codes.iter().map(|_| Default::default()).collect();
        Some(Corpus {
            languages,
            page_ids,
            held_forms,
            live: None,
            keep_live: false,
        })
    }

    /// Leaves in page `index`'s terms only the words no page rendered before it held. The index
    /// lists each form a language's documents hold with its stem, whichever documents hold it,
    /// so a build that writes the index once needs each (form, stem) pair in one document
    /// only; without this, every page keeps a word for each of its forms until the index is
    /// written. (`guide serve` keeps them all: it removes and replaces a page's terms.)
    pub fn keep_first_forms(&self, index: usize, terms: &mut Terms) {
        let Some(&Some((language, _))) = self.page_ids.get(index) else {
            return;
        };
        let Ok(mut held) = self.held_forms[language].lock() else {
            return;
        };
        let held = &mut *held;
        let first: Vec<words::Word> = terms
            .forms
            .iter()
            .copied()
            .filter(|word| {
                let form = word.form as usize;
                if form >= held.stem_of_form.len() {
                    held.stem_of_form.resize(form + 1, 0);
                }
                match held.stem_of_form[form] {
                    0 => {
                        held.stem_of_form[form] = word.stem + 1;
                        true
                    }
                    stem if stem == word.stem + 1 => false,
                    _ => held.other_stems.insert(*word),
                }
            })
            .collect();
        terms.forms = first;
    }

    /// Page `index`'s result file: its path and its name in the index.
    pub fn result_file(&self, index: usize) -> Option<(OutputPath, String)> {
        let (language, id) = self.page_ids.get(index).copied().flatten()?;
        result_file(&self.languages[language].code, id as usize)
    }

    /// Keeps the index between updates, so that [`Corpus::files`] writes only what changed.
    pub fn keep_live(&mut self) {
        self.keep_live = true;
    }

    pub fn set_page(&mut self, index: usize, terms: Terms) {
        if let Some(&Some((language, id))) = self.page_ids.get(index) {
            self.set_document(language, id as usize, Some(terms));
        }
    }

    /// Document `id` of language position `language` is now `terms`.
    fn set_document(&mut self, language: usize, id: usize, terms: Option<Terms>) {
        let documents = &mut self.languages[language].terms;
        if id >= documents.len() {
            documents.resize(id + 1, None);
        }
        let old = std::mem::replace(&mut documents[id], terms);
        if let Some(live) = &mut self.live {
            live[language].replace(id as u32, old.as_ref(), documents[id].as_ref());
        }
    }

    /// Adds the facts and the checkers' texts, each linking to the first page in nav order
    /// that shows it, and returns their result files. `shown[i]` is what page `i` shows: the
    /// facts it cites and the checkers it embeds.
    pub fn add_site_texts(
        &mut self,
        site: &Site,
        shown: &[PageShows],
        only: Option<&[&str]>,
    ) -> Vec<(OutputPath, String)> {
        let mut fragments = Vec::new();
        let default_language = site.content.languages.default_code().to_string();
        for position in 0..self.languages.len() {
            let language = &self.languages[position];
            if only.is_some_and(|only| !only.contains(&language.code.as_str())) {
                continue;
            }
            let code = language.code.clone();
            let first = language.pages;
            let before = language.terms.len();
            let documents = site_documents(site, &code, &default_language, shown);
            let mut analyzer = words::Analyzer::for_language(&code);
            let count = documents.len();
            let previous = std::mem::take(&mut self.languages[position].site_texts);
            for (offset, (document, page)) in documents.iter().enumerate() {
                let id = first + offset;
                let unchanged = previous
                    .get(offset)
                    .is_some_and(|(shown, shown_on)| shown == document && shown_on == page)
                    && matches!(self.languages[position].terms.get(id), Some(Some(_)));
                if unchanged {
                    continue;
                }
                let mut terms = Terms::of(
                    &mut analyzer,
                    [
                        (index::TITLE_WEIGHT, document.row.title.as_str()),
                        (index::TEXT_WEIGHT, document.text.as_str()),
                    ],
                );
                if let Some((path, name)) = result_file(&code, id) {
                    fragments.push((path, index::fragment(&name, &document.text)));
                }
                terms.kind = document.kind;
                terms.row = document.row.clone();
                terms.owner = self
                    .page_ids
                    .get(*page)
                    .copied()
                    .flatten()
                    .map(|(_, owner)| owner);
                self.set_document(position, id, Some(terms));
            }
            for id in first + count..before {
                self.set_document(position, id, None);
            }
            self.languages[position].terms.truncate(first + count);
            self.languages[position].site_texts = documents;
        }
        fragments
    }

    /// Every language's manifest and shards; once the index is kept live, only those changed
    /// since the last call, with the output paths of the shards no longer written.
    pub fn files(&mut self) -> (Vec<(OutputPath, String)>, Vec<String>) {
        let mut files = Vec::new();
        let mut gone = Vec::new();
        let keep_live = self.keep_live && self.live.is_none();
        let mut kept = Vec::new();
        for (position, language) in self.languages.iter().enumerate() {
            let written = match &mut self.live {
                Some(live) => live[position].files(language.terms.len()),
                None => {
                    let documents: Vec<Option<&Terms>> =
                        language.terms.iter().map(Option::as_ref).collect();
                    if keep_live {
                        let (live, written) = index::LiveIndex::new(&language.code, &documents);
                        kept.push(live);
                        written
                    } else {
                        index::LiveFiles {
                            files: index::files(&language.code, &documents),
                            gone: Vec::new(),
                        }
                    }
                }
            };
            let folder = format!("{FOLDER}{}/", language.code);
            for (name, text) in written.files {
                if let Ok(path) = OutputPath::new(&format!("{folder}{name}")) {
                    files.push((path, text));
                }
            }
            gone.extend(written.gone.iter().map(|name| format!("{folder}{name}")));
        }
        if keep_live {
            self.live = Some(kept);
        }
        (files, gone)
    }
}

/// What one rendered page shows that the index lists apart from it: the facts it cites and
/// the checkers it embeds, each named once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PageShows {
    pub facts: Names,
    pub checkers: Names,
}

/// A set of names kept as one sorted, line-separated string: one allocation a page, as every
/// page's are kept until the index is written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Names(Box<str>);

impl Names {
    pub fn new<S: AsRef<str>>(names: &[S]) -> Names {
        let mut sorted: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
        sorted.sort_unstable();
        sorted.dedup();
        Names(sorted.join("\n").into_boxed_str())
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split('\n').filter(|name| !name.is_empty())
    }

    pub fn contains(&self, name: &str) -> bool {
        self.iter().any(|held| held == name)
    }
}

/// The page `index`'s document, from its rendered `html`: its title, description, headings and
/// text, and its result file `name`d as the index expects.
pub fn page_entry(site: &Site, index: usize, html: &str, file: (OutputPath, String)) -> PageEntry {
    let page = &site.content.pages[index];
    let found = text::content_text(text::main_of(html));
    let description = page.meta.description.as_deref().unwrap_or("");
    let headings = found.headings.join(" · ");
    let terms = ANALYZERS.with(|analyzers| {
        let mut analyzers = analyzers.borrow_mut();
        let analyzer = analyzers
            .entry(page.lang.clone())
            .or_insert_with(|| words::Analyzer::for_language(&page.lang));
        Terms::of(
            analyzer,
            [
                (index::TITLE_WEIGHT, page.title()),
                (index::HEADING_WEIGHT, headings.as_str()),
                (index::DESCRIPTION_WEIGHT, description),
                (index::STRESSED_WEIGHT, found.stressed.as_str()),
                (index::TEXT_WEIGHT, found.text.as_str()),
            ],
        )
    });
    let mut terms = terms;
    terms.row = index::Row {
        url: page.path.clone(),
        title: page.title().to_string(),
        section: section_title(&site.content, index),
    };
    let (path, name) = file;
    let fragment = index::fragment(&name, &found.text);
    PageEntry {
        terms,
        fragment: (path, fragment),
    }
}

/// Document `id`'s result file in language `code`: its output path, and its name in the
/// index (what its `__guideSearch` call and `search.js` call it).
fn result_file(code: &str, id: usize) -> Option<(OutputPath, String)> {
    let name = format!("{code}/f/{id}");
    let path = OutputPath::new(&format!("{FOLDER}{name}.js")).ok()?;
    Some((path, name))
}

thread_local! {
    /// Each rendering thread's analyzers, by language, with the stems they have worked out.
    static ANALYZERS: std::cell::RefCell<HashMap<String, words::Analyzer>> =
        std::cell::RefCell::new(HashMap::new());
}

/// The title of the section a page is in, below the home page ("" for the home page and its
/// direct pages).
fn section_title(content: &Content, index: usize) -> String {
    let page = &content.pages[index];
    let parent = match page.kind {
        PageKind::Section => Some(index),
        PageKind::Page => page.parent,
    };
    match parent {
        Some(parent) if content.pages[parent].parent.is_some() => {
            content.pages[parent].title().to_string()
        }
        _ => String::new(),
    }
}

/// The pages of `language` in nav order: the home page, then each section's pages depth first.
/// Walked as far as the caller reads: a large site's pages are many, and each one read is a
/// page's worth of memory away from the last.
fn nav_order<'c>(content: &'c Content, language: &str) -> impl Iterator<Item = usize> + 'c {
    let mut stack: Vec<usize> = content.homes.get(language).copied().into_iter().collect();
    std::iter::from_fn(move || {
        let index = stack.pop()?;
        stack.extend(content.pages[index].children.iter().rev());
        Some(index)
    })
}

/// The facts and checker texts of `language` as documents.
fn site_documents(
    site: &Site,
    language: &str,
    default_language: &str,
    shown: &[PageShows],
) -> Vec<(Shown, usize)> {
    let content = &site.content;
    let search = &site.config.search;
    let mut documents = Vec::new();
    let page_url = |index: usize| {
        (
            content.pages[index].path.clone(),
            content.pages[index].title().to_string(),
        )
    };
    if search.includes(Include::Facts) {
        let mut first_citing: rustc_hash::FxHashMap<&str, usize> = Default::default();
        // The facts not yet found cited: once none is left, the pages further on don't matter.
        let mut uncited: rustc_hash::FxHashSet<&str> =
            site.facts.iter().map(|fact| fact.name.as_str()).collect();
        for index in nav_order(content, language) {
            if uncited.is_empty() {
                break;
            }
            for fact in shown
                .get(index)
                .into_iter()
                .flat_map(|shows| shows.facts.iter())
            {
                if uncited.remove(fact) {
                    first_citing.insert(fact, index);
                }
            }
        }
        // Looked for only when a fact is cited nowhere: finding it may mean every page.
        let sources_page = std::cell::OnceCell::new();
        let sources_page = || {
            *sources_page.get_or_init(|| {
                nav_order(content, language).find(|&index| {
                    content.pages[index].meta.template.as_deref() == Some("sources.html")
                })
            })
        };
        let reader = crate::facts::Reader {
            language,
            default_language,
        };
        for fact in site.facts.iter() {
            let Some(index) = first_citing
                .get(fact.name.as_str())
                .copied()
                .or_else(sources_page)
            else {
                continue;
            };
            let label = reader.text(Some(&fact.label)).unwrap_or(&fact.name);
            let mut parts = Vec::new();
            // A table's value in words is its size alone, which would read as a value: a
            // table is found by its label, note and source.
            let is_table = matches!(fact.value, crate::facts::FactValue::Table(_));
            if let (false, Ok(value)) = (is_table, site.facts.display_in(fact, None, language)) {
                parts.push(value);
            }
            if let Some(note) = reader.text(fact.note.as_ref()) {
                parts.push(text::inline_markdown_text(note));
            }
            if let Some(source) = site.facts.current_source(fact) {
                parts.push(source.title_in(language, default_language).to_string());
            }
            let text = parts.join(" — ");
            let (url, section) = page_url(index);
            let document = Shown {
                row: Row {
                    url,
                    title: text::inline_markdown_text(label),
                    section,
                },
                kind: 'f',
                text,
            };
            documents.push((document, index));
        }
    }
    if search.includes(Include::Checkers) {
        for checker in site.checkers.iter() {
            let Some(index) = nav_order(content, language).find(|&index| {
                shown
                    .get(index)
                    .is_some_and(|shows| shows.checkers.contains(&checker.id))
            }) else {
                continue;
            };
            let (url, section) = page_url(index);
            // Facts as the language writes them, as its pages do; computed values unknown.
            let text_of = |text: &guide_rules::Translated<guide_rules::Text>| {
                text.get(language, default_language).map(|text| {
                    let words =
                        crate::checkers::html::plain_text_in(text, &site.facts, language, &|_| {
                            "…".to_string()
                        });
                    text::inline_markdown_text(&words)
                })
            };
            for criterion in checker.program.criteria() {
                let Some(passed) = text_of(&criterion.passed) else {
                    continue;
                };
                let failed = text_of(&criterion.failed).unwrap_or_default();
                let document = Shown {
                    row: Row {
                        url: url.clone(),
                        title: passed.clone(),
                        section: section.clone(),
                    },
                    kind: 'c',
                    text: format!("{passed} {failed}"),
                };
                documents.push((document, index));
            }
            for outcome in checker.program.outcomes() {
                let Some(heading) = text_of(&outcome.heading) else {
                    continue;
                };
                let body = text_of(&outcome.text).unwrap_or_default();
                let document = Shown {
                    row: Row {
                        url: url.clone(),
                        title: heading,
                        section: section.clone(),
                    },
                    kind: 'o',
                    text: body,
                };
                documents.push((document, index));
            }
        }
    }
    documents
}

#[cfg(test)]
mod tests {
    use super::Names;

    #[test]
    fn names_are_held_once_each_and_found_whole() {
        let names = Names::new(&["h1b.cap", "h1b.opened_on", "h1b.cap", "crs.age"]);
        assert_eq!(
            names.iter().collect::<Vec<_>>(),
            ["crs.age", "h1b.cap", "h1b.opened_on"]
        );
        assert!(names.contains("h1b.cap"));
        assert!(!names.contains("h1b"));
        assert!(!names.contains(""));
        let none = Names::new::<&str>(&[]);
        assert_eq!(none.iter().count(), 0);
        assert!(!none.contains(""));
    }
}
