//! Escaping text for HTML, shared by the Markdown renderer, the checkers and the templates.

/// Escapes what HTML needs escaped; unlike Tera's default it leaves `/` alone, so URLs in
/// attributes stay readable.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}
