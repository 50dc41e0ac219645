//! A theme: Tera templates, fingerprinted assets and static files, loaded once per build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tera::Tera;
use walkdir::WalkDir;

use crate::config::Config;
use crate::confine;
use crate::content::StaticFile;
use crate::diagnostics::{Diagnostic, Diagnostics};
pub use crate::escape::escape_html;
use crate::format::{format_date, format_integer, DateFormat, Locale};
use crate::paths::is_hidden_or_temporary;
use crate::paths::{shown_path, TEMPLATES_DIR};

mod errors;
mod includes;
mod macros;
pub use macros::guard_recursion;
pub mod strings;

pub use errors::causes;
use errors::template_diagnostic;
use includes::{include_cycles, missing_templates};

pub struct Theme {
    pub tera: Tera,
    /// Template name → (shown path, text), so template errors can point into the file.
    pub sources: BTreeMap<String, (PathBuf, Arc<str>)>,
    pub assets: Assets,
    pub static_files: Vec<StaticFile>,
    /// The theme's wording per language (`trans` in templates).
    pub strings: Arc<strings::ThemeStrings>,
}

/// Files served under a content hash in their name, so hosts may cache them forever.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// Logical name (`style.css`) → output path (`style.1a2b3c4d5e.css`).
    pub names: BTreeMap<String, String>,
    files: BTreeMap<String, Vec<u8>>,
}

impl Assets {
    /// Adds an asset and returns its fingerprinted output path.
    pub fn add(&mut self, logical: &str, bytes: Vec<u8>) -> String {
        let hash = xxhash_rust::xxh3::xxh3_64(&bytes);
        let fingerprinted = match logical.rsplit_once('.') {
            Some((stem, ext)) => format!("{stem}.{:010x}.{ext}", hash >> 24),
            None => format!("{logical}.{:010x}", hash >> 24),
        };
        self.names
            .insert(logical.to_string(), fingerprinted.clone());
        self.files.insert(fingerprinted.clone(), bytes);
        fingerprinted
    }

    pub fn get(&self, logical: &str) -> Option<&str> {
        self.names.get(logical).map(String::as_str)
    }

    /// The bytes behind a fingerprinted output path.
    pub fn bytes_of(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Every asset's fingerprinted output path.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }
}

/// The theme built into the binary: this repository's `themes/default/`, file by file
/// (`/`-separated path below the theme's folder, bytes), sorted by path. A site uses it when
/// `theme` is `"default"` and it has no `themes/default/` folder of its own.
pub static BUILT_IN_FILES: &[(&str, &[u8])] =
    include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));
/// The built-in theme's templates every theme has unless it brings its own: the redirect page
/// written at a page's old address (`aliases`).
pub const GIVEN_TEMPLATES: &[&str] = &[REDIRECT_TEMPLATE];
/// The template of the page written at each of a page's `aliases`.
pub const REDIRECT_TEMPLATE: &str = "redirect.html";
/// The name of the built-in theme in `site.toml`.
pub const BUILT_IN_NAME: &str = "default";
/// Where messages say a file of the built-in theme is, as `<built-in theme>/templates/base.html`.
pub const BUILT_IN_SHOWN: &str = "<built-in theme>";

/// Where a theme's files come from: a folder of the site's `themes/`, or the binary.
enum ThemeFiles {
    Folder(PathBuf),
    BuiltIn,
}

/// One file of a theme, named by its path below `templates/`, `assets/` or `static/`.
struct ThemeFile {
    name: String,
    /// Where messages say it is.
    shown: PathBuf,
    from: FileFrom,
}

enum FileFrom {
    Disk(PathBuf),
    BuiltIn(&'static [u8]),
}

impl ThemeFiles {
    /// The site's `themes/NAME/` when it exists, else the built-in theme for its name.
    fn find(root: &Path, config: &Config) -> Result<ThemeFiles, Diagnostic> {
        let dir = config.theme_dir(root);
        if dir.is_dir() {
            Ok(ThemeFiles::Folder(dir))
        } else if config.theme == BUILT_IN_NAME {
            Ok(ThemeFiles::BuiltIn)
        } else {
            Err(Diagnostic::new(
                shown_path(root, &dir),
                format!("theme `{}` not found", config.theme),
            )
            .with_help(format!(
                "set `theme` in site.toml to a folder of themes/, or to \"{BUILT_IN_NAME}\" \
                 for the theme built into guide"
            )))
        }
    }

    /// Where messages say the theme's `part` folder is.
    fn shown(&self, root: &Path, part: &str) -> PathBuf {
        match self {
            ThemeFiles::Folder(dir) => shown_path(root, &dir.join(part)),
            ThemeFiles::BuiltIn => Path::new(BUILT_IN_SHOWN).join(part),
        }
    }

    /// The files below the theme's `part` folder (`templates`, `assets`, `static`), sorted.
    fn files(
        &self,
        root: &Path,
        output: &Path,
        part: &str,
        diagnostics: &mut Diagnostics,
    ) -> Vec<ThemeFile> {
        match self {
            ThemeFiles::Folder(dir) => {
                let part_dir = dir.join(part);
                files_below(root, output, &part_dir, diagnostics)
                    .into_iter()
                    .map(|path| ThemeFile {
                        name: slash_relative(&part_dir, &path),
                        shown: shown_path(root, &path),
                        from: FileFrom::Disk(path),
                    })
                    .collect()
            }
            ThemeFiles::BuiltIn => BUILT_IN_FILES
                .iter()
                .filter_map(|(path, bytes)| {
                    let name = path.strip_prefix(part)?.strip_prefix('/')?;
                    Some(ThemeFile {
                        name: name.to_string(),
                        shown: Path::new(BUILT_IN_SHOWN).join(path),
                        from: FileFrom::BuiltIn(bytes),
                    })
                })
                .collect(),
        }
    }
}

impl ThemeFile {
    fn bytes(&self, root: &Path, doing: &str) -> Result<Vec<u8>, Diagnostic> {
        match &self.from {
            FileFrom::Disk(path) => confine::read_inside(root, path)
                .map_err(|refused| refused.diagnostic(root, path, doing)),
            FileFrom::BuiltIn(bytes) => Ok(bytes.to_vec()),
        }
    }

    fn text(&self, root: &Path) -> Result<Arc<str>, Diagnostic> {
        match &self.from {
            FileFrom::Disk(path) => confine::read_text(root, path, "read the template"),
            FileFrom::BuiltIn(bytes) => crate::diagnostics::utf8_text(bytes.to_vec(), &self.shown),
        }
    }
}

impl Theme {
    /// Reads the theme, with the site's own `templates/` over its templates: a file there
    /// replaces the theme's template of the same relative name, or adds one.
    /// Reads the theme `config` names and the site's own templates and static files; a link
    /// among them may not lead into `output`, the folder builds write.
    pub fn load(root: &Path, output: &Path, config: &Config) -> Result<Theme, Diagnostics> {
        let theme = ThemeFiles::find(root, config)?;
        let mut diagnostics = Diagnostics::default();
        let mut sources = BTreeMap::new();
        let site_templates = root.join(TEMPLATES_DIR);
        let overrides = files_below(root, output, &site_templates, &mut diagnostics)
            .into_iter()
            .map(|path| ThemeFile {
                name: slash_relative(&site_templates, &path),
                shown: shown_path(root, &path),
                from: FileFrom::Disk(path),
            });
        // The built-in theme's templates that guide itself renders, not pages (the redirect at
        // an alias), come first: a theme of its own without them still builds.
        let given = ThemeFiles::BuiltIn
            .files(root, output, "templates", &mut diagnostics)
            .into_iter()
            .filter(|file| GIVEN_TEMPLATES.contains(&file.name.as_str()));
        for file in given
            .chain(theme.files(root, output, "templates", &mut diagnostics))
            .chain(overrides)
        {
            match file.text(root) {
                Ok(text) => {
                    sources.insert(file.name, (file.shown, text));
                }
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        tera.register_filter("human", human_filter);
        let theme_strings = Arc::new(load_strings(root, config, &theme, &mut diagnostics));
        tera.register_function(
            "trans",
            strings::Trans {
                strings: theme_strings.clone(),
            },
        );
        // add_raw_templates parses every template and links inheritance across them; a theme
        // is parsed once, by it. It must not see a circle of `extends` (Tera recurses forever
        // on one that does not return to where it started), so the circles, found by a scan of
        // the text, come first. Only when something is wrong is each template parsed alone,
        // so that a syntax error names its own file and line, and is reported before circles.
        let cycles = include_cycles(&sources);
        let linked = (diagnostics.is_empty() && cycles.is_empty()).then(|| {
            tera.add_raw_templates(
                sources
                    .iter()
                    .map(|(name, (_, text))| (name.as_str(), text.as_ref())),
            )
        });
        if matches!(linked, Some(Ok(()))) {
            diagnostics.extend(macros::unending_macros(&tera, &sources));
            macros::guard_recursion(&mut tera);
        } else {
            for (name, (shown, text)) in &sources {
                if let Err(error) = tera::Template::new(name, None, text) {
                    diagnostics.push(template_diagnostic(&error, shown, text));
                }
            }
            if diagnostics.is_empty() {
                diagnostics.extend(cycles);
            }
            if let (true, Some(Err(error))) = (diagnostics.is_empty(), linked) {
                // A template named and missing is the usual reason, and has a place.
                let missing = missing_templates(&sources);
                if missing.is_empty() {
                    diagnostics.push(
                        Diagnostic::new(
                            theme.shown(root, "templates"),
                            "the templates do not fit together",
                        )
                        .with_causes(causes(&error)),
                    );
                } else {
                    diagnostics.extend(missing);
                }
            }
        }
        let mut assets = Assets::default();
        for file in theme.files(root, output, "assets", &mut diagnostics) {
            match file.bytes(root, "read the asset") {
                Ok(bytes) => {
                    assets.add(&file.name, bytes);
                }
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let mut static_files: Vec<StaticFile> = theme
            .files(root, output, "static", &mut diagnostics)
            .into_iter()
            .map(|file| match file.from {
                FileFrom::Disk(path) => StaticFile {
                    to: file.name,
                    from: path,
                    built_in: None,
                },
                FileFrom::BuiltIn(bytes) => StaticFile {
                    to: file.name,
                    from: file.shown,
                    built_in: Some(bytes),
                },
            })
            .collect();
        let site_static = root.join("static");
        for path in files_below(root, output, &site_static, &mut diagnostics) {
            static_files.push(StaticFile {
                to: slash_relative(&site_static, &path),
                from: path,
                built_in: None,
            });
        }
        diagnostics.into_result(Theme {
            tera,
            sources,
            assets,
            static_files,
            strings: theme_strings,
        })
    }

    pub fn has_template(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// A page asks for a template the theme lacks: point at its `template` line.
    pub fn missing_template(&self, page: &crate::content::Page, name: &str) -> Diagnostic {
        let message = format!("the theme has no template `{name}`");
        let quoted = format!("\"{name}\"");
        let text = page.text();
        let front_matter = text.get(..page.body_start).unwrap_or("");
        let diagnostic = match front_matter.find(&quoted) {
            Some(at) => Diagnostic::at(&page.file, &text, at..at + quoted.len(), message),
            None => Diagnostic::new(&page.file, message),
        };
        match crate::diagnostics::suggest(name, self.sources.keys().map(String::as_str)) {
            Some(near) => diagnostic.with_help(format!("did you mean `{near}`?")),
            None => diagnostic.with_help(
                "templates live in the theme's templates/ folder, or in the site's own templates/",
            ),
        }
    }
}

/// The built-in theme's `[theme]` strings, then the theme's own `strings.toml`, then the
/// site's, each over the one before it key by key.
fn load_strings(
    root: &Path,
    config: &Config,
    theme: &ThemeFiles,
    diagnostics: &mut Diagnostics,
) -> strings::ThemeStrings {
    let mut loaded = strings::ThemeStrings::new(&config.language);
    let strings_file = strings::THEME_STRINGS_FILE;
    let mut files: Vec<(PathBuf, Result<Arc<str>, Diagnostic>)> = Vec::new();
    if let Some((_, bytes)) = BUILT_IN_FILES
        .iter()
        .find(|(path, _)| *path == strings_file)
    {
        let shown = Path::new(BUILT_IN_SHOWN).join(strings_file);
        let text = crate::diagnostics::utf8_text(bytes.to_vec(), &shown);
        files.push((shown, text));
    }
    let mut on_disk = Vec::new();
    if let ThemeFiles::Folder(dir) = theme {
        on_disk.push(dir.join(strings_file));
    }
    on_disk.push(root.join(strings::SITE_STRINGS_FILE));
    for path in on_disk.into_iter().filter(|path| path.is_file()) {
        let text = confine::read_text(root, &path, "read the strings");
        files.push((shown_path(root, &path), text));
    }
    for (shown, text) in files {
        match text.and_then(|text| loaded.add_file(&shown, text)) {
            Ok(()) => {}
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    loaded
}

/// The files below `dir`, sorted, following links that stay inside the site; a link leading
/// out of it, or a folder that cannot be read, is reported in `diagnostics`.
fn files_below(
    root: &Path,
    output: &Path,
    dir: &Path,
    diagnostics: &mut Diagnostics,
) -> Vec<PathBuf> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut refused = Vec::new();
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            if entry.depth() > 0 && is_hidden_or_temporary(entry.path()) {
                return false;
            }
            confine::check_walk_entry(root, output, entry)
                .map_err(|diagnostic| refused.push(diagnostic))
                .is_ok()
        });
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() => files.push(entry.into_path()),
            Ok(_) => {}
            // An editor's lock file is a dangling link, met before the filter can skip it.
            Err(error) if error.path().is_some_and(is_hidden_or_temporary) => {}
            Err(error) => {
                let path = error.path().unwrap_or(dir);
                diagnostics.push(Diagnostic::new(
                    shown_path(root, path),
                    format!("could not read: {error}"),
                ));
            }
        }
    }
    for diagnostic in refused {
        diagnostics.push(diagnostic);
    }
    files
}

fn slash_relative(base: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(base).unwrap_or(path);
    relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// `human`: an ISO date as "July 16, 2023", an integer as "10,000"; anything else unchanged.
/// `human(lang=page.lang)` writes them in the page's language ("16 juillet 2023", "10 000").
fn human_filter(
    value: &tera::Value,
    args: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let locale = match args.get("lang") {
        // The page's own language, as `trans` answers in it.
        None | Some(tera::Value::Null) => strings::rendering_language()
            .map_or(Locale::En, |code| Locale::for_language_or_default(&code)),
        Some(tera::Value::String(code)) => Locale::for_language(code).ok_or_else(|| {
            tera::Error::msg(format!(
                "`human` cannot write values in the language `{code}` (it knows en and fr)"
            ))
        })?,
        Some(other) => {
            return Err(tera::Error::msg(format!(
                "`human(lang=...)` takes a language code such as \"fr\", not {other}"
            )))
        }
    };
    Ok(match value {
        tera::Value::String(text) => match guide_rules::Date::parse(text) {
            Some(date) => tera::Value::String(format_date(date, DateFormat::Long, locale)),
            None => value.clone(),
        },
        tera::Value::Number(number) => match number.as_i64() {
            Some(n) => tera::Value::String(format_integer(n, locale)),
            None => value.clone(),
        },
        _ => value.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_change_with_content() {
        let mut assets = Assets::default();
        let first = assets.add("style.css", b"body{}".to_vec());
        let second = assets.add("style.css", b"body{color:red}".to_vec());
        assert!(first.starts_with("style.") && first.ends_with(".css"));
        assert_ne!(first, second);
        assert_eq!(assets.get("style.css"), Some(second.as_str()));
    }
}
