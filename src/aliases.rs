//! The redirect page written at each of a page's `aliases`: a meta refresh, a canonical link
//! and a visible link, all relative, so it works under any subpath and from disk, without
//! JavaScript.

use crate::content::{Alias, Page};
use crate::escape::escape_html;

/// The redirect page at `alias` for `page`, whose permanent address is `canonical`.
pub fn redirect_html(alias: &Alias, page: &Page, language: &str, canonical: &str) -> String {
    let depth = alias.output.folders().count();
    let root = if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    };
    // `index.html` named: a folder's address opens a listing of it from disk, not the page.
    let target = escape_html(&format!("{root}{}index.html", page.path));
    let title = escape_html(page.title());
    let canonical = escape_html(canonical);
    let language = escape_html(language);
    format!(
        "<!doctype html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <title>Moved: {title}</title>\n\
         <meta name=\"description\" content=\"This page has moved to {title}.\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={target}\">\n\
         <link rel=\"icon\" href=\"data:,\">\n\
         </head>\n<body>\n<main>\n\
         <p>This page has moved to <a href=\"{target}\">{title}</a>.</p>\n\
         </main>\n</body>\n</html>\n"
    )
}
