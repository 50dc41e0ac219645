//! A URL's scheme as a browser reads it, to refuse the ones that run code or carry a document.

/// The lowercase scheme of `url` as a browser reads it, or `None` for a relative URL.
///
/// Browsers drop leading spaces and control characters and remove tabs and line breaks
/// anywhere before they look for the scheme, so `  Java\tScript:` is `javascript`.
pub fn scheme(url: &str) -> Option<String> {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let colon = url.find(':')?;
    let scheme: String = url[..colon]
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let well_formed = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    well_formed.then(|| scheme.to_ascii_lowercase())
}

/// Why following or loading `url` is unsafe, or `None` when it is not: `javascript:` and
/// `vbscript:` run a script; a `data:` URL is a document of its own.
pub fn hazard(url: &str) -> Option<Hazard> {
    // Every link of every page is asked: most have no scheme, or one written plainly, read
    // here without building a string.
    let trimmed = url.trim_start_matches(|c: char| c <= ' ');
    let colon = trimmed.find(':')?;
    let written = &trimmed[..colon];
    if !written.contains(['\t', '\n', '\r']) {
        return ["javascript", "vbscript"]
            .iter()
            .any(|script| written.eq_ignore_ascii_case(script))
            .then_some(Hazard::Script)
            .or_else(|| written.eq_ignore_ascii_case("data").then_some(Hazard::Data));
    }
    match scheme(url)?.as_str() {
        "javascript" | "vbscript" => Some(Hazard::Script),
        "data" => Some(Hazard::Data),
        _ => None,
    }
}

/// The lowercase media type of a `data:` URL (`image/png`), `None` for other URLs.
pub fn media_type(url: &str) -> Option<String> {
    let url = url.trim_start_matches(|c: char| c <= ' ');
    let colon = url.find(':')?;
    if scheme(url)? != "data" {
        return None;
    }
    let rest = &url[colon + 1..];
    let end = rest.find([';', ',']).unwrap_or(rest.len());
    Some(rest[..end].trim().to_ascii_lowercase())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hazard {
    Script,
    Data,
}

/// A path from the site's root (`/docs/rules.pdf`) without its leading `/`, which a page
/// prefixes with its way up to the root; `None` for any other URL. `//host` and `/\\host` name
/// another host (a browser reads a backslash there as a slash), so they are not site paths.
pub fn site_path(url: &str) -> Option<&str> {
    let path = url.strip_prefix('/')?;
    (!path.starts_with(['/', '\\'])).then_some(path)
}

/// Whether relative path `path` (its query and fragment aside) goes above where it starts
/// with its `..` segments, as a browser resolves them (`%2e` is a dot there, `\\` a slash).
pub fn climbs_above(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let mut depth = 0i64;
    let segments: Vec<&str> = path.split(['/', '\\']).collect();
    for (index, segment) in segments.iter().enumerate() {
        let dots = segment.to_ascii_lowercase().replace("%2e", ".");
        match dots.as_str() {
            ".." => {
                depth -= 1;
                if depth < 0 {
                    return true;
                }
            }
            "." | "" => {}
            _ if index + 1 < segments.len() => depth += 1,
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_browsers_read_them() {
        assert_eq!(scheme("https://example.org").as_deref(), Some("https"));
        assert_eq!(
            scheme("  JaVa\tScRiPt:alert(1)").as_deref(),
            Some("javascript")
        );
        assert_eq!(
            scheme("\u{1}\u{1f} java\nscript:x").as_deref(),
            Some("javascript")
        );
        assert_eq!(scheme("docs/rules.pdf"), None);
        assert_eq!(scheme("/a:b"), None);
        assert_eq!(scheme("./javascript:x"), None);
        assert_eq!(scheme("1ab:x"), None);
        assert_eq!(site_path("/docs/rules.pdf"), Some("docs/rules.pdf"));
        assert_eq!(site_path("/"), Some(""));
        assert_eq!(site_path("docs/rules.pdf"), None);
        assert_eq!(site_path("//example.net/x"), None);
        assert_eq!(site_path("/\\example.net/x"), None);
        assert_eq!(site_path("https://example.org/x"), None);
        assert!(climbs_above("../x.pdf"));
        assert!(climbs_above("docs/../../x.pdf"));
        assert!(climbs_above("docs/%2E%2e/.%2e/x.pdf"));
        assert!(climbs_above("docs\\..\\..\\x.pdf"));
        assert!(!climbs_above("docs/../x.pdf"));
        assert!(!climbs_above("docs/a..b/x.pdf?up=../../"));
        assert!(!climbs_above(""));
        assert_eq!(hazard("VBScript:msgbox"), Some(Hazard::Script));
        assert_eq!(hazard(" data:text/html,x"), Some(Hazard::Data));
        assert_eq!(hazard("mailto:a@b.org"), None);
        assert_eq!(
            media_type("data:Image/PNG;base64,AA").as_deref(),
            Some("image/png")
        );
        assert_eq!(media_type("data:,hello").as_deref(), Some(""));
        assert_eq!(media_type("https://x.org/data:image/png"), None);
    }
}
