//! The site's folder names and the helpers every stage uses on input paths.

use std::path::{Path, PathBuf};

/// Pages, sections, their files, and the data folders below.
pub const CONTENT_DIR: &str = "content";
/// Program facts, one namespace a file, inside `content/`.
pub const FACTS_DIR: &str = "facts";
/// The sources facts cite, inside the facts folder.
pub const SOURCES_FILE: &str = "sources.toml";
/// Eligibility rules, one checker a file, inside `content/`.
pub const RULES_DIR: &str = "rules";
/// The site's own templates, beside `site.toml`: each replaces its theme's template of the
/// same relative name, or adds one.
pub const TEMPLATES_DIR: &str = "templates";
/// Folders of `content/` that hold data, not pages.
pub const DATA_DIRS: [&str; 2] = [FACTS_DIR, RULES_DIR];

/// A path as diagnostics show it: relative to the site's folder when it is inside it.
pub fn shown_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Whether `path` ends in `.extension`, in any letter case (`page.MD` is Markdown).
pub fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case(extension))
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
