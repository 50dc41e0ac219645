//! What the redirect page written at each of a page's `aliases` is told: the theme's
//! `redirect.html` (built into guide, which a theme or a site may replace) turns it into a
//! meta refresh, a canonical link and a visible link, all relative, so it works under any
//! subpath and from disk, without JavaScript.

use serde_json::{json, Map, Value};

use crate::content::{Alias, Page};

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
    let depth = alias.output.folders().count();
    let root = if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    };
    // `index.html` named: a folder's address opens a listing of it from disk, not the page.
    let target = format!("{root}{}index.html", page.path);
    let icon = icon.map(|icon| format!("{root}{icon}")).unwrap_or_default();
    let context = json!({
        "lang": page.lang,
        "root": root,
        "target": target,
        "canonical": canonical,
        "title": page.title(),
        "icon": icon,
    });
    match context {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}
