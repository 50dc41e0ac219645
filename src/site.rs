//! The load stage and the model it produces: everything a render needs, read and checked.

use std::path::{Path, PathBuf};

use crate::checkers::Checkers;
use crate::config::Config;
use crate::content::Content;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::facts::Facts;
use crate::theme::{Assets, Theme};

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
    /// site itself or one of its inputs (always), or a folder with files in it that no build
    /// wrote (every build writes `index.html`) unless `force` is set.
    pub fn check_output(&self) -> Result<(), Diagnostic> {
        let absolute =
            |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        let output = absolute(&self.output);
        let root = absolute(&self.root);
        let inputs = ["content", "themes", "static", "site.toml"].map(|name| root.join(name));
        let shown = self.output.display();
        if root.starts_with(&output) || inputs.iter().any(|input| output.starts_with(input)) {
            return Err(Diagnostic::new(&self.output, format!("refusing to build into `{shown}`: the build replaces that folder, and it holds the site's own files"))
                .with_help("choose a folder of its own, such as `public/`"));
        }
        let has_files =
            std::fs::read_dir(&output).is_ok_and(|mut entries| entries.next().is_some());
        if has_files && !output.join("index.html").is_file() && !self.force {
            return Err(Diagnostic::new(&self.output, format!("refusing to replace `{shown}`: it has files that no build wrote"))
                .with_help("a build replaces its output folder whole; choose an empty or new folder, or pass --force to replace it"));
        }
        Ok(())
    }
}

/// A loaded site: configuration, facts, rules, pages and theme.
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    pub facts: Facts,
    pub content: Content,
    pub checkers: Checkers,
    pub theme: Theme,
    /// The theme's assets plus those the site generates (checker scripts and modules).
    pub assets: Assets,
}

impl Site {
    /// Reads and checks every input, reporting every independent problem together.
    pub fn load(options: &BuildOptions) -> Result<Site, Diagnostics> {
        let root = options.root.as_path();
        let mut config = Config::load(root)?;
        if let Some(url) = &options.base_url {
            config
                .set_base_url(url)
                .map_err(|message| crate::diagnostics::Diagnostic::new("--base-url", message))?;
        }
        let mut diagnostics = Diagnostics::default();
        let mut facts_loaded = true;
        let facts = Facts::load(root).unwrap_or_else(|found| {
            diagnostics.extend(found);
            facts_loaded = false;
            Facts::default()
        });
        let content = Content::load(root, options.drafts).unwrap_or_else(|found| {
            diagnostics.extend(found);
            Content::default()
        });
        let theme = Theme::load(root, &config);
        let theme = match theme {
            Ok(theme) => Some(theme),
            Err(found) => {
                diagnostics.extend(found);
                None
            }
        };
        let mut assets = theme.as_ref().map(|t| t.assets.clone()).unwrap_or_default();
        // Rules name facts: compiled against broken facts, they would only repeat the facts'
        // errors as dozens of "unknown fact" ones.
        let checkers = if facts_loaded {
            Checkers::load(root, &facts, &mut assets).unwrap_or_else(|found| {
                diagnostics.extend(found);
                Checkers::default()
            })
        } else {
            Checkers::default()
        };
        match theme {
            Some(theme) if diagnostics.is_empty() => Ok(Site {
                root: root.to_path_buf(),
                config,
                facts,
                content,
                checkers,
                theme,
                assets,
            }),
            _ => Err(diagnostics),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }
}
