//! Resolving a reference written in a rendered document to a file of the output, an external
//! URL, or a reason it leaves the site.

use url::Url;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// A file of the output, and the fragment after `#`.
    Internal {
        file: String,
        fragment: Option<String>,
        /// Written as a folder (`stream/`) rather than a file.
        folder: bool,
        /// Written as an absolute path (`/guides/x/stream/`).
        absolute: bool,
    },
    External(String),
    /// `mailto:`, `tel:`, `data:`, `javascript:` and the like.
    Other,
    /// Leaves the site: the reason why.
    Outside(String),
}

/// Where every site path is joined: only the path of a URL on it matters.
const ORIGIN: &str = "https://site.invalid";
/// A folder above the site's root, so that a relative link climbing above the root stays
/// visible after joining (a URL's path never climbs above `/`).
const ABOVE_ROOT: &str = "/above-root";

/// Resolves `href`, written in the document at output path `from`: relative references are
/// joined on the document's URL under the base path, absolute paths on the origin.
pub(super) fn resolve(from: &str, href: &str, base_url: &str, base_path: &str) -> Target {
    // As browsers do: drop spaces and control characters around it, tabs and line breaks in it.
    let href: String = href
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let href = href.as_str();
    if href.is_empty() {
        return Target::Other;
    }
    let site_root = format!("{ORIGIN}{ABOVE_ROOT}{base_path}");
    let (base, reference, absolute) = if let Some(rest) = strip_prefix_ignore_case(href, base_url) {
        (site_root.clone(), rest, false)
    } else if has_scheme(href) {
        let lower = href.to_ascii_lowercase();
        return if lower.starts_with("http://") || lower.starts_with("https://") {
            Target::External(href.to_string())
        } else {
            Target::Other
        };
    } else if let Some(rest) = href.strip_prefix("//") {
        let scheme = base_url.split("://").next().unwrap_or("https");
        return Target::External(format!("{scheme}://{rest}"));
    } else if href.starts_with('/') {
        (format!("{ORIGIN}/"), href, true)
    } else {
        (format!("{site_root}{from}"), href, false)
    };
    let joined = match Url::parse(&base).and_then(|base| base.join(reference)) {
        Ok(joined) => joined,
        Err(error) => {
            return Target::Outside(format!("it is not a URL a browser can follow ({error})"))
        }
    };
    let root = if absolute {
        base_path.to_string()
    } else {
        format!("{ABOVE_ROOT}{base_path}")
    };
    let path = joined.path();
    let rest = match path.strip_prefix(root.as_str()) {
        Some(rest) => rest,
        // `/guides/x` names the site's root folder without its slash.
        None if absolute && format!("{path}/") == root => "",
        None if absolute => {
            return Target::Outside(format!(
                "it is an absolute path outside the site's base path `{base_path}`"
            ))
        }
        None => return Target::Outside("it climbs above the site's root".into()),
    };
    let rest = percent_decode(rest);
    let folder = rest.is_empty() || rest.ends_with('/');
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let file = match (folder, segments.is_empty()) {
        (true, true) => "index.html".to_string(),
        (true, false) => format!("{}/index.html", segments.join("/")),
        (false, _) => segments.join("/"),
    };
    Target::Internal {
        file,
        fragment: joined.fragment().map(percent_decode),
        folder,
        absolute,
    }
}

pub(super) fn has_scheme(href: &str) -> bool {
    let Some(colon) = href.find(':') else {
        return false;
    };
    let scheme = &href[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

fn strip_prefix_ignore_case<'h>(text: &'h str, prefix: &str) -> Option<&'h str> {
    (text.len() >= prefix.len()
        && text.is_char_boundary(prefix.len())
        && text[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &text[prefix.len()..])
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://example.org/guides/x/";
    const BASE_PATH: &str = "/guides/x/";

    fn internal(file: &str, fragment: Option<&str>, folder: bool, absolute: bool) -> Target {
        Target::Internal {
            file: file.into(),
            fragment: fragment.map(String::from),
            folder,
            absolute,
        }
    }

    #[test]
    fn relative_links_resolve_against_the_document() {
        let from = "stream/family/index.html";
        let resolve = |href| resolve(from, href, BASE, BASE_PATH);
        assert_eq!(
            resolve("../"),
            internal("stream/index.html", None, true, false)
        );
        assert_eq!(resolve("../../"), internal("index.html", None, true, false));
        assert_eq!(
            resolve("../../style.1234.css"),
            internal("style.1234.css", None, false, false)
        );
        assert_eq!(
            resolve("../cap/#the%20cap"),
            internal("stream/cap/index.html", Some("the cap"), true, false)
        );
        assert_eq!(
            resolve("#who"),
            internal("stream/family/index.html", Some("who"), false, false)
        );
        assert_eq!(
            resolve("diagram.png?v=2"),
            internal("stream/family/diagram.png", None, false, false)
        );
        assert!(matches!(resolve("../../../"), Target::Outside(_)));
    }

    #[test]
    fn climbing_above_the_root_leaves_a_site_served_from_the_host_root() {
        let resolve = |href| resolve("a/index.html", href, "https://example.org/", "/");
        assert_eq!(resolve("../"), internal("index.html", None, true, false));
        assert_eq!(
            resolve("../../x/"),
            Target::Outside("it climbs above the site's root".into())
        );
        assert_eq!(
            resolve("https://example.org/../x/"),
            Target::Outside("it climbs above the site's root".into())
        );
        assert_eq!(resolve("/"), internal("index.html", None, true, true));
    }

    #[test]
    fn absolute_urls_and_paths_under_the_base_are_internal() {
        let resolve = |href| resolve("404.html", href, BASE, BASE_PATH);
        assert_eq!(
            resolve("/guides/x/"),
            internal("index.html", None, true, true)
        );
        assert_eq!(
            resolve("/guides/x"),
            internal("index.html", None, true, true)
        );
        assert_eq!(
            resolve("https://EXAMPLE.org/guides/x/stream/"),
            internal("stream/index.html", None, true, false)
        );
        assert!(matches!(resolve("/elsewhere/"), Target::Outside(_)));
        assert_eq!(
            resolve("https://other.org/a"),
            Target::External("https://other.org/a".into())
        );
        assert_eq!(
            resolve("//cdn.org/a.js"),
            Target::External("https://cdn.org/a.js".into())
        );
        assert_eq!(resolve("mailto:a@b.org"), Target::Other);
        assert_eq!(resolve("\u{1} Java\tScript:x"), Target::Other);
        assert_eq!(
            resolve(" https://other.org/a\n"),
            Target::External("https://other.org/a".into())
        );
        assert_eq!(resolve("data:image/png;base64,AAAA"), Target::Other);
    }
}
