//! Every output path claimed once, before anything is written: two files at one path, or a
//! file where another needs a folder, is an error naming both sides.

use std::collections::HashMap;

use crate::content::StaticFile;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output_path::{Claims, Clash, OutputPath};
use crate::paths::shown_path;
use crate::site::Site;
use crate::theme::Assets;

/// What puts a file at an output path, to name both sides when two claim one place.
#[derive(Debug, Clone, Copy)]
pub(super) enum Origin<'s> {
    /// The page at this index of the content.
    Page(usize),
    /// The redirect written for alias number `alias` of page `page`.
    Alias {
        page: usize,
        alias: usize,
    },
    /// A file copied as it is from content/, static/ or the theme's static/.
    Copied(&'s StaticFile),
    NotFoundPage,
    /// One of the files of [`crate::feeds`].
    Machines(&'static str),
    /// The Atom feed of a language other than the default (`fr/atom.xml`), by its code.
    LanguageFeed(&'s str),
    /// A fingerprinted asset: the theme's, or a checker's script.
    Asset,
    /// The search page of a language, by its code.
    SearchPage(&'s str),
    /// The search index's manifest of a language, by its code; the index's other files are
    /// under the same folder, which nothing else may use.
    SearchIndex(&'s str),
}

impl Origin<'_> {
    fn is_page(&self) -> bool {
        matches!(self, Origin::Page(_))
    }

    fn is_generated(&self) -> bool {
        matches!(
            self,
            Origin::NotFoundPage
                | Origin::Machines(_)
                | Origin::LanguageFeed(_)
                | Origin::Asset
                | Origin::SearchPage(_)
                | Origin::SearchIndex(_)
        )
    }

    /// A page with a `slug`, or an alias: that is the likeliest cause of a clash, and has a
    /// place.
    fn has_slug(&self, site: &Site) -> bool {
        match self {
            Origin::Page(index) => site.content.pages[*index].meta.slug.is_some(),
            Origin::Alias { .. } => true,
            _ => false,
        }
    }

    /// The language whose home page it is, for a language besides the default: its address
    /// is that language's folder, set in site.toml rather than by the page.
    fn language_home<'s>(&self, site: &'s Site) -> Option<&'s str> {
        let Origin::Page(index) = *self else {
            return None;
        };
        let page = &site.content.pages[index];
        (page.parent.is_none() && page.lang != site.content.languages.default_code())
            .then_some(page.lang.as_str())
    }

    /// What it is, in words: its file where it has one.
    fn describe(&self, site: &Site, assets: &Assets, path: &str) -> String {
        match *self {
            Origin::Page(index) => site.content.pages[index].file.display().to_string(),
            Origin::Alias { page, alias } => {
                let page = &site.content.pages[page];
                format!(
                    "the alias `{}` of {}",
                    page.aliases[alias].path,
                    page.file.display()
                )
            }
            Origin::Copied(file) => shown_path(&site.root, &file.from).display().to_string(),
            Origin::NotFoundPage => "the 404 page".into(),
            Origin::Machines(crate::feeds::SITEMAP) => "the sitemap".into(),
            Origin::Machines(crate::feeds::FEED) => "the Atom feed".into(),
            Origin::Machines(name) => format!("the generated {name}"),
            Origin::LanguageFeed(code) => format!("the `{code}` Atom feed"),
            Origin::SearchPage(code) => format!("the `{code}` search page"),
            Origin::SearchIndex(code) => format!("the `{code}` search index"),
            Origin::Asset => {
                let logical = assets.names.iter().find(|(_, output)| *output == path);
                match logical {
                    Some((logical, _)) => format!("the asset `{logical}`"),
                    None => format!("the asset `{path}`"),
                }
            }
        }
    }

    /// A diagnostic placed on it: at a page's slug, else at its file.
    fn diagnostic(&self, site: &Site, path: &str, message: String) -> Diagnostic {
        match *self {
            Origin::Page(index) => {
                let page = &site.content.pages[index];
                match page.slug_span() {
                    Some(span) => Diagnostic::at(&page.file, &page.text(), span, message),
                    None => Diagnostic::new(&page.file, message),
                }
            }
            Origin::Alias { page, alias } => {
                let page = &site.content.pages[page];
                let span = page.alias_span(alias).unwrap_or(0..0);
                Diagnostic::at(&page.file, &page.text(), span, message)
            }
            Origin::Copied(file) => Diagnostic::new(shown_path(&site.root, &file.from), message),
            Origin::NotFoundPage => match site.theme.sources.get("404.html") {
                Some((shown, _)) => Diagnostic::new(shown, message),
                None => Diagnostic::new("404.html", message),
            },
            Origin::Machines(_)
            | Origin::LanguageFeed(_)
            | Origin::Asset
            | Origin::SearchPage(_)
            | Origin::SearchIndex(_) => Diagnostic::new(path, message),
        }
    }

    /// What it is, as the subject of a sentence about this one.
    fn kind(&self) -> &'static str {
        match self {
            Origin::Page(_) => "page",
            Origin::Alias { .. } => "alias",
            _ => "file",
        }
    }
}

/// Claims the output path of every file the site writes, and returns those of the files other
/// than the pages. Each path must be an [`OutputPath`], and no two files may claim one path, or
/// one a path inside the other's
/// (`x.js` and `x.js/index.html`). The only files that replace others are those the README
/// documents: a site's `static/` file replaces its theme's at the same path, and a copied file
/// replaces a generated sitemap, robots.txt or feed of the same name ([`crate::feeds::published`]).
/// The claims are made in one fixed order (pages, the 404 page, feeds, assets, then copied
/// files), so the same input always gives the same errors.
pub(super) fn claim_output_paths<'s>(
    site: &'s Site,
    assets: &'s Assets,
) -> Result<Vec<(OutputPath, Origin<'s>)>, Diagnostics> {
    let mut claims: Claims<Origin> = Claims::default();
    let mut others = Vec::new();
    let mut diagnostics = Diagnostics::default();
    for (index, page) in site.content.pages.iter().enumerate() {
        if let Err(clash) = claims.claim(page.output_path().clone(), Origin::Page(index)) {
            diagnostics.push(clash_diagnostic(
                site,
                assets,
                page.output_path(),
                Origin::Page(index),
                clash,
            ));
        }
    }
    for (index, page) in site.content.pages.iter().enumerate() {
        for (alias, written) in page.aliases.iter().enumerate() {
            let origin = Origin::Alias { page: index, alias };
            match claims.claim(written.output.clone(), origin) {
                Ok(()) => others.push((written.output.clone(), origin)),
                Err(clash) => diagnostics.push(clash_diagnostic(
                    site,
                    assets,
                    &written.output,
                    origin,
                    clash,
                )),
            }
        }
    }
    let language_feeds = crate::feeds::language_feeds(site);
    let mut wanted: Vec<(&str, Origin)> = Vec::new();
    if site.theme.has_template("404.html") {
        wanted.push(("404.html", Origin::NotFoundPage));
    }
    for name in crate::feeds::published(site) {
        wanted.push((name, Origin::Machines(name)));
    }
    for (code, path) in &language_feeds {
        wanted.push((path.as_str(), Origin::LanguageFeed(code)));
    }
    let mut search_paths = Vec::new();
    if site.config.search.enabled {
        for code in site.content.languages.codes() {
            if site.theme.has_template(crate::search::PAGE_TEMPLATE) {
                let page = crate::search::page_path(site, code);
                search_paths.push((page, Origin::SearchPage(code)));
            }
            search_paths.push((
                crate::search::manifest_path(code),
                Origin::SearchIndex(code),
            ));
        }
    }
    for (path, origin) in &search_paths {
        wanted.push((path.as_str(), *origin));
    }
    wanted.extend(assets.paths().map(|path| (path, Origin::Asset)));
    // The theme's static files come first, then the site's: the last at a path wins.
    let statics = &site.theme.static_files;
    let last_at: HashMap<&str, usize> = statics
        .iter()
        .enumerate()
        .map(|(at, file)| (file.to.as_str(), at))
        .collect();
    let kept = statics
        .iter()
        .enumerate()
        .filter(|(at, file)| last_at.get(file.to.as_str()) == Some(at))
        .map(|(_, file)| file);
    for file in kept.chain(&site.content.static_files) {
        wanted.push((file.to.as_str(), Origin::Copied(file)));
    }
    for (raw, origin) in wanted {
        let path = match OutputPath::new(raw) {
            Ok(path) => path,
            Err(problem) => {
                let message = format!("this file's output path `{raw}` {problem}");
                diagnostics.push(origin.diagnostic(site, raw, message).with_help(
                    "rename the file: output names are letters, digits, `-`, `_` and `.`, \
                         with `/` between folders",
                ));
                continue;
            }
        };
        match claims.claim(path.clone(), origin) {
            Ok(()) => others.push((path, origin)),
            Err(clash) => diagnostics.push(clash_diagnostic(site, assets, &path, origin, clash)),
        }
    }
    if site.config.search.enabled {
        claim_search_folders(site, &mut diagnostics);
    }
    // A language's folder in the way of a whole section is one mistake, at its `path` in
    // site.toml, with one message for every page of the section: said once.
    diagnostics.merge_repeated();
    diagnostics.into_result(others)
}

/// The search index's files other than its manifest have names known only once every page is
/// rendered, so their folders are kept for them: a page or copied file there is an error.
fn claim_search_folders(site: &Site, diagnostics: &mut Diagnostics) {
    let folders: Vec<(String, &str)> = site
        .content
        .languages
        .codes()
        .map(|code| (format!("{}{code}/", crate::search::FOLDER), code))
        .collect();
    let inside = |path: &str| {
        folders
            .iter()
            .find(|(folder, _)| path.starts_with(folder.as_str()))
            .filter(|(_, code)| path != crate::search::manifest_path(code))
    };
    let help = "move it, or turn search off in site.toml (`search = false`)";
    for (index, page) in site.content.pages.iter().enumerate() {
        if let Some((folder, _)) = inside(page.output_path().as_str()) {
            let message =
                format!("this page is written into `{folder}`, which holds the search index");
            diagnostics.push(
                Origin::Page(index)
                    .diagnostic(site, page.output_path().as_str(), message)
                    .with_help(help),
            );
        }
    }
    for file in site
        .theme
        .static_files
        .iter()
        .chain(&site.content.static_files)
    {
        if let Some((folder, _)) = inside(&file.to) {
            let message =
                format!("this file is copied into `{folder}`, which holds the search index");
            diagnostics.push(
                Origin::Copied(file)
                    .diagnostic(site, &file.to, message)
                    .with_help(help),
            );
        }
    }
}

/// Why two paths that fold alike clash: they are one file, or the files are in folders that are
/// one folder, where case is ignored or names normalized.
fn folded_message(
    (blamed, blamed_path): (Origin, &str),
    (second, second_path): (Origin, &str),
    named: &str,
) -> String {
    use crate::output_path::fold;
    use unicode_normalization::UnicodeNormalization;
    // Two pages or aliases are named by their URLs; anything else by both paths in full.
    let addressed = |origin: Origin| matches!(origin, Origin::Page(_) | Origin::Alias { .. });
    let urls = addressed(blamed) && addressed(second);
    let shown = |path: &str| -> String {
        match urls {
            true => format!("/{}", url_of(path)),
            false => format!("/{path}"),
        }
    };
    // The two names that fold alike: the whole paths, or the first folders that do.
    let (first, second, whole) = if fold(blamed_path) == fold(second_path) {
        (shown(blamed_path), shown(second_path), true)
    } else {
        let folders =
            |path: &str| -> Vec<usize> { path.match_indices('/').map(|(at, _)| at + 1).collect() };
        let pair = folders(blamed_path).into_iter().find_map(|end| {
            let mine = &blamed_path[..end];
            folders(second_path)
                .into_iter()
                .map(|other_end| &second_path[..other_end])
                .find(|other| *other != mine && fold(other) == fold(mine))
                .map(|other| (format!("/{mine}"), format!("/{other}")))
        });
        let (mine, other) = pair.unwrap_or_else(|| (shown(blamed_path), shown(second_path)));
        (mine, other, false)
    };
    let accents = first.nfc().eq(second.nfc());
    let (how, first, second) = if accents {
        // Written alike, so shown as their characters: `é` is `\u{e9}` or `e\u{301}`.
        let codes = |path: &str| -> String {
            path.chars()
                .map(|c| match c.is_ascii() {
                    true => c.to_string(),
                    false => c.escape_unicode().to_string(),
                })
                .collect()
        };
        ("in how an accent is encoded", codes(&first), codes(&second))
    } else {
        ("in letter case", first, second)
    };
    let systems = if accents {
        "On macOS, and on hosts that normalize names,"
    } else {
        "On macOS and Windows, and on hosts that ignore case,"
    };
    let kind = blamed.kind();
    if whole {
        let names = if urls { "URLs" } else { "paths" };
        format!(
            "this {kind} and {named} have {names} that differ only {how}: `{first}` and \
             `{second}`. {systems} they are one file, and one would overwrite the other"
        )
    } else {
        format!(
            "this {kind} is in the folder `{first}` and {named} in `{second}`, whose names \
             differ only {how}. {systems} they are one folder, named as the first build made \
             it, so the other address would not lead to its file on a host that minds the \
             difference"
        )
    }
}

/// A page's URL path from its output path: `a/b/index.html` is `a/b/`.
fn url_of(path: &str) -> &str {
    path.strip_suffix("index.html").unwrap_or(path)
}

/// The error for `origin` claiming `path` when an earlier claim is in the way. It is placed on
/// the side the author most likely meant to change: a page's slug, else the later claim,
/// unless that one is a file the site generates.
fn clash_diagnostic(
    site: &Site,
    assets: &Assets,
    path: &OutputPath,
    origin: Origin,
    clash: Clash<Origin>,
) -> Diagnostic {
    let (other_path, other) = match &clash {
        Clash::Same(owner) => (path.as_str(), *owner),
        Clash::FileInFolderPlace { path, owner }
        | Clash::FolderInFilePlace { path, owner }
        | Clash::SameWhenFolded { path, owner } => (path.as_str(), *owner),
    };
    let folded = matches!(clash, Clash::SameWhenFolded { .. });
    let home = [
        (origin, path.as_str(), other, other_path),
        (other, other_path, origin, path.as_str()),
    ]
    .into_iter()
    .find_map(|(home, home_path, rest, rest_path)| {
        home.language_home(site)
            .map(|code| (code, home_path, rest, rest_path))
    });
    if let Some((code, home_path, rest, rest_path)) = home {
        return language_home_clash(site, assets, code, (home_path, rest_path), rest, folded);
    }
    let blame_other = (other.has_slug(site) && !origin.has_slug(site)) || origin.is_generated();
    let ((blamed_path, blamed), (second_path, second)) = if blame_other {
        ((other_path, other), (path.as_str(), origin))
    } else {
        ((path.as_str(), origin), (other_path, other))
    };
    let named = second.describe(site, assets, second_path);
    let message = if folded {
        folded_message((blamed, blamed_path), (second, second_path), &named)
    } else if blamed_path != second_path {
        let (file, folder) = if blamed_path.len() < second_path.len() {
            (blamed_path, second_path)
        } else {
            (second_path, blamed_path)
        };
        format!(
            "this {} is written to `{blamed_path}` and {named} to `{second_path}`: `{file}` \
             cannot be a file and also the folder of `{folder}`",
            blamed.kind()
        )
    } else if blamed.is_page() && second.is_page() {
        format!(
            "this page and {named} both have the URL `/{}`",
            url_of(blamed_path)
        )
    } else if matches!(blamed, Origin::Alias { .. }) {
        format!(
            "this alias and {named} both have the URL `/{}`",
            url_of(blamed_path)
        )
    } else {
        format!(
            "this {} and {named} are both written to `{blamed_path}`",
            blamed.kind()
        )
    };
    let help = if folded && blamed.is_page() {
        "give this page another `slug`, one that differs from the other's in more than letter case or accents"
    } else if folded {
        "rename one of them, so that their paths differ in more than letter case or accents"
    } else if matches!(blamed, Origin::Alias { .. }) {
        "remove this alias, or change it: an alias must not be the address of a page or of another alias"
    } else if blamed.is_page() && second.is_page() {
        "give one of them another `slug`"
    } else if blamed.has_slug(site) {
        "give this page another `slug`"
    } else {
        "rename or move one of them"
    };
    let diagnostic = blamed
        .diagnostic(site, blamed_path, message)
        .with_help(help);
    with_other_label(diagnostic, site, second)
}

/// A language's home page and `other` claim one path: the error is at the language's `path`
/// in site.toml, which sets the home's address (the home may have no file at all).
fn language_home_clash(
    site: &Site,
    assets: &Assets,
    code: &str,
    (home_path, other_path): (&str, &str),
    other: Origin,
    folded: bool,
) -> Diagnostic {
    let named = other.describe(site, assets, other_path);
    let message = if folded {
        // The home's folder against the other's first folder, which folds alike.
        let folder = home_path.split('/').next().unwrap_or_default();
        let others = other_path.split('/').next().unwrap_or_default();
        // Every page under that folder clashes alike: the message names the folder, not
        // the page, so that it is said once (the label shows the first page).
        format!(
            "the home page of `{code}` (`/{folder}/`) and the site's `/{others}/` differ only in letter case or accents: on hosts that ignore case they are one folder"
        )
    } else if other.is_page() && home_path == other_path {
        format!(
            "the home page of `{code}` and {named} both have the URL `/{}`",
            url_of(home_path)
        )
    } else {
        format!(
            "the home page of `{code}` is written to `{home_path}` and {named} to `{other_path}`"
        )
    };
    let help = if other.is_page() {
        format!("give `[languages.{code}]` another `path`, or the other page another `slug`")
    } else {
        format!("give `[languages.{code}]` another `path`")
    };
    // The text the build read, not the file as it may be now.
    let text = &site.config.text;
    let span = crate::config::language_path_span(text, code);
    let diagnostic = Diagnostic::at(crate::config::CONFIG_FILE, text, span, message);
    with_other_label(diagnostic.with_help(help), site, other)
}

/// Both sides of a clash are shown: the other one as a label in its own file, where it has one.
fn with_other_label(diagnostic: Diagnostic, site: &Site, second: Origin) -> Diagnostic {
    match second {
        Origin::Page(index) => {
            let page = &site.content.pages[index];
            let span = page.slug_span().unwrap_or(0..0);
            diagnostic.with_label_in(&page.file, &page.text(), span, "the other page")
        }
        Origin::Alias { page, alias } => {
            let page = &site.content.pages[page];
            let span = page.alias_span(alias).unwrap_or(0..0);
            diagnostic.with_label_in(&page.file, &page.text(), span, "the other alias")
        }
        _ => diagnostic,
    }
}
