//! The load stage and the model it produces: everything a render needs, read and checked.

use std::path::{Component, Path, PathBuf};

use crate::checkers::Checkers;
use crate::config::Config;
use crate::content::{Content, Holding};
use crate::diagnostics::{io_error, Diagnostic, Diagnostics};
use crate::facts::Facts;
use crate::theme::Theme;

/// What a build is asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Minify HTML and CSS even when site.toml does not ask for it.
    pub minify: bool,
    /// Replace an output folder that does not look like an earlier build.
    pub force: bool,
}

impl BuildOptions {
    pub fn new(root: impl Into<PathBuf>) -> BuildOptions {
        let root = root.into();
        BuildOptions {
            output: root.join("public"),
            root,
            base_url: None,
            drafts: false,
            minify: false,
            force: false,
        }
    }

    /// A build replaces its output folder whole. Refuse a folder whose loss would hurt: the
    /// site itself or one of its inputs, a folder holding them or inside them, and a symbolic
    /// link (always), or a folder with files in it without the record every build leaves in
    /// its output (see [`crate::output::record`]) unless `force` is set. Whether the files are
    /// still those the record names is [`BuildOptions::check_output_as_recorded`]'s question.
    ///
    /// Returns the output folder resolved, which is what the build then writes to: absolute,
    /// with every link and `..` on its way followed, so what was checked is what is replaced.
    pub fn check_output(&self) -> Result<PathBuf, Diagnostic> {
        let shown = self.output.display();
        let absolute = std::path::absolute(&self.output).unwrap_or_else(|_| self.output.clone());
        let output = resolve(&self.output)
            .map_err(|e| io_error(&self.output, "find the output folder", &e))?;
        let root =
            resolve(&self.root).map_err(|e| io_error(&self.root, "find the site folder", &e))?;
        let inputs: Vec<PathBuf> = INPUTS
            .iter()
            .filter_map(|name| resolve(&root.join(name)).ok())
            .collect();
        let overlaps = |input: &PathBuf| output.starts_with(input) || input.starts_with(&output);
        if root.starts_with(&output) || inputs.iter().any(overlaps) {
            let resolved = if output == absolute {
                String::new()
            } else {
                format!(" (that is `{}`)", output.display())
            };
            return Err(Diagnostic::new(&self.output, format!("refusing to build into `{shown}`{resolved}: the build replaces that folder, and it holds the site's own files or is among them"))
                .with_help("choose a folder of its own, such as `public/`; --force does not change this"));
        }
        match std::fs::symlink_metadata(&absolute) {
            Ok(meta) if meta.file_type().is_symlink() => {
                // A dangling link resolves to nothing: say what it names instead.
                let target = std::fs::canonicalize(&absolute)
                    .or_else(|_| std::fs::read_link(&absolute))
                    .unwrap_or_else(|_| output.clone());
                let target = target.display();
                return Err(Diagnostic::new(&self.output, format!("refusing to build into `{shown}`: it is a symbolic link to `{target}`, and the build would replace the link with a folder"))
                    .with_help(format!("to build into the folder it points to, pass that folder: `--output {target}`; --force does not change this")));
            }
            Ok(meta) if !meta.is_dir() => {
                return Err(Diagnostic::new(
                    &self.output,
                    format!("refusing to build into `{shown}`: it is a file, not a folder"),
                )
                .with_help(
                    "choose a folder of its own, such as `public/`; --force does not change this",
                ));
            }
            _ => {}
        }
        let has_files =
            std::fs::read_dir(&output).is_ok_and(|mut entries| entries.next().is_some());
        if !has_files || self.force {
            return Ok(output);
        }
        if crate::output::record::read(&output).is_none() {
            return Err(Diagnostic::new(&self.output, format!("refusing to replace `{shown}`: it has files that no build wrote"))
                .with_help("a build replaces its output folder whole; choose an empty or new folder, or pass --force to replace it (once, for an output written before builds kept their record)"));
        }
        Ok(output)
    }

    /// The second half of [`BuildOptions::check_output`], for the `output` it returned: unless
    /// `force` is set, an output whose files are no longer those its record names (a file put
    /// there by hand since) is refused. It reads every folder of the output, so a build runs
    /// it beside loading the site.
    pub fn check_output_as_recorded(&self, output: &Path) -> Result<(), Diagnostic> {
        use crate::output::record::{compare, Found};
        if self.force {
            return Ok(());
        }
        match compare(output) {
            Found::AsRecorded | Found::NoRecord => Ok(()),
            Found::Other { now, then } => Err(Diagnostic::new(&self.output, format!("refusing to replace `{}`: its files are not the ones the last build wrote ({now} files, where it wrote {then})", self.output.display()))
                .with_help("a file put there by hand would be lost: move it out (a file to publish belongs in `static/`), or pass --force to replace the folder whole")),
        }
    }
}

/// The site's inputs, beside `site.toml`: a build never writes into, over or around them.
const INPUTS: [&str; 5] = ["site.toml", "content", "themes", "static", "templates"];

/// `path` made absolute with every symbolic link and `..` followed, as far as it exists; the
/// rest does not exist yet, so it holds no links and its `..` can be taken literally.
fn resolve(path: &Path) -> std::io::Result<PathBuf> {
    let absolute = std::path::absolute(path)?;
    for existing in absolute.ancestors() {
        let Ok(mut resolved) = existing.canonicalize() else {
            continue;
        };
        let rest = absolute.strip_prefix(existing).unwrap_or(Path::new(""));
        for part in rest.components() {
            match part {
                Component::ParentDir => {
                    resolved.pop();
                }
                Component::Normal(name) => resolved.push(name),
                _ => {}
            }
        }
        return Ok(resolved);
    }
    Ok(absolute)
}

/// A loaded site: configuration, facts, rules, pages and theme.
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub facts: Facts,
    pub content: Content,
    pub checkers: Checkers,
    pub theme: Theme,
}

impl Site {
    /// Reads and checks every input, reporting every independent problem together.
    pub fn load(options: &BuildOptions) -> Result<Site, Diagnostics> {
        Site::load_holding(options, Holding::Held)
    }

    /// [`Site::load`] for a site rendered once: each page's text is read again when it
    /// renders, not held from loading on.
    pub fn load_to_render_once(options: &BuildOptions) -> Result<Site, Diagnostics> {
        Site::load_holding(options, Holding::ReadAgain)
    }

    fn load_holding(options: &BuildOptions, holding: Holding) -> Result<Site, Diagnostics> {
        let root = options.root.as_path();
        let mut config = Config::load(root)?;
        if let Some(url) = &options.base_url {
            config
                .set_base_url(url)
                .map_err(|message| crate::diagnostics::Diagnostic::new("--base-url", message))?;
        }
        // The theme is independent of the rest, and parsing its templates is the largest part
        // of loading a small site, so it is read on a thread of its own. Both run on the render
        // threads, whose stack holds the parsers' recursion into deeply nested input.
        let (theme, (facts, content, checkers)) = crate::threads::on_render_threads(|| {
            rayon::join(
                || Theme::load(root, &options.output, &config),
                || {
                    let facts = Facts::load_in(root, &config.language);
                    let content = Content::load(
                        root,
                        &options.output,
                        options.drafts,
                        &config.languages(),
                        holding,
                    );
                    // Rules name facts: compiled against broken facts, they would only repeat the
                    // facts' errors as dozens of "unknown fact" ones.
                    let checkers = facts.as_ref().ok().map(|facts| Checkers::load(root, facts));
                    (facts, content, checkers)
                },
            )
        });
        let mut diagnostics = Diagnostics::default();
        let facts = facts.unwrap_or_else(|found| {
            diagnostics.extend(found);
            Facts::default()
        });
        let content = content.unwrap_or_else(|found| {
            diagnostics.extend(found);
            Content::default()
        });
        let theme = match theme {
            Ok(theme) => Some(theme),
            Err(found) => {
                diagnostics.extend(found);
                None
            }
        };
        let checkers = match checkers {
            Some(Ok(checkers)) => checkers,
            Some(Err(found)) => {
                diagnostics.extend(found);
                Checkers::default()
            }
            None => Checkers::default(),
        };
        match theme {
            Some(theme) if diagnostics.is_empty() => {
                // Each checker's form and checklist is rendered here, from the theme's
                // `checker.html` and strings, because a mistake there is reported with the
                // rules file like any other load error. Its scripts and every fingerprinted
                // asset are made by the render stage (`render::Prepared`).
                let mut checkers = checkers;
                checkers.render_html(&theme, &facts, root, &config)?;
                Ok(Site {
                    root: root.to_path_buf(),
                    config,
                    facts,
                    content,
                    checkers,
                    theme,
                })
            }
            _ => Err(diagnostics),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}
