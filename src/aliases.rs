//! What the redirect page written at each of a page's `aliases` is told: the theme's
//! `redirect.html` (built into guide, which a theme or a site may replace) turns it into a
//! meta refresh, a canonical link and a visible link, all relative, so it works under any
//! subpath and from disk, without JavaScript.

use serde_json::{json, Map, Value};

use crate::content::{relative_root, Alias, Page};

/// The site's icon files, in the order the redirect page prefers them, at the output's root.
pub const ICONS: &[&str] = &["favicon.svg", "favicon.ico", "favicon.png"];

/// The redirect template's own context for `alias` of `page`, whose permanent address is
/// `canonical`; `icon` is the site's icon at the output's root, if it has one.
pub fn redirect_context(
    alias: &Alias,
    page: &Page,
    canonical: &str,
    icon: Option<&str>,
) -> Map<String, Value> {
    // The alias's own folder, as deep as the page would be that lives there.
    let root = relative_root(alias.output.folders().last().unwrap_or(""));
    // `index.html` named: a folder's address opens a listing of it from disk, not the page.
    let target = format!("{root}{}index.html", page.path);
    let icon = icon.map(|icon| format!("{root}{icon}")).unwrap_or_default();
    Map::from_iter([
        ("lang".to_string(), json!(page.lang)),
        ("target".to_string(), json!(target)),
        ("canonical".to_string(), json!(canonical)),
        ("title".to_string(), json!(page.title())),
        ("icon".to_string(), json!(icon)),
        ("root".to_string(), json!(root)),
    ])
}
