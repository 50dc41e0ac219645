//! Minification of a rendered site's HTML pages and CSS assets (`minify = true` in site.toml,
//! or `guide build --minify`): a step after rendering, so `guide serve` shows the site as
//! written.
//!
//! It is conservative: closing tags, the `<html>` and `<head>` start tags, the doctype and
//! inline scripts stay as they are; whitespace, comments, default attribute quotes and CSS are
//! squeezed. A fingerprinted stylesheet keeps its name, which was hashed from the source the
//! minified bytes are made from, so the name still changes exactly when the content does.

use rayon::prelude::*;

use crate::output::{Output, OutputFile};

/// How much minification saved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Savings {
    pub files: usize,
    pub before: usize,
    pub after: usize,
}

fn html_config() -> minify_html::Cfg {
    let mut config = minify_html::Cfg::new();
    config.keep_closing_tags = true;
    config.keep_html_and_head_opening_tags = true;
    config.minify_css = true;
    config
}

/// Minifies one HTML document.
pub fn html(bytes: &[u8]) -> Vec<u8> {
    minify_html::minify(bytes, &html_config())
}

/// Minifies one stylesheet (through a `<style>` element, as minify-html takes HTML); a sheet it
/// cannot take back out unchanged is left as it was.
pub fn css(bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    if text.to_ascii_lowercase().contains("</style") {
        return bytes.to_vec();
    }
    let mut config = minify_html::Cfg::new();
    config.minify_css = true;
    let minified = minify_html::minify(format!("<style>{text}</style>").as_bytes(), &config);
    let minified = String::from_utf8_lossy(&minified);
    match minified
        .strip_prefix("<style>")
        .and_then(|rest| rest.strip_suffix("</style>"))
    {
        Some(sheet) if sheet.len() <= text.len() => sheet.as_bytes().to_vec(),
        _ => bytes.to_vec(),
    }
}

/// Minifies every generated `.html` and `.css` file of `output` in place. Files copied from
/// `static/` are the author's and stay as they are.
pub fn minify(output: &mut Output) -> Savings {
    let results: Vec<(usize, usize)> = output
        .files
        .par_iter_mut()
        .filter_map(|(path, file)| {
            let OutputFile::Bytes(bytes) = file else {
                return None;
            };
            let minified = if path.ends_with(".html") {
                html(bytes)
            } else if path.ends_with(".css") {
                css(bytes)
            } else {
                return None;
            };
            let sizes = (bytes.len(), minified.len());
            *bytes = minified;
            Some(sizes)
        })
        .collect();
    results
        .into_iter()
        .fold(Savings::default(), |total, (before, after)| Savings {
            files: total.files + 1,
            before: total.before + before,
            after: total.after + after,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_keeps_its_closing_tags_and_text() {
        let page = b"<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>T</title>\n</head>\n<body>\n  <!-- a note -->\n  <p class=\"lead\">Hello,   <em>world</em>.</p>\n  <pre>  kept\n   as is</pre>\n</body>\n</html>\n";
        let minified = String::from_utf8(html(page)).unwrap();
        assert!(minified.len() < page.len());
        assert!(
            minified.starts_with("<!doctype html><html lang=en><head>"),
            "{minified}"
        );
        assert!(
            minified.contains("<p class=lead>Hello, <em>world</em>.</p>"),
            "{minified}"
        );
        assert!(
            minified.contains("<pre>  kept\n   as is</pre>"),
            "{minified}"
        );
        assert!(minified.contains("</body></html>"), "{minified}");
        assert!(!minified.contains("a note"), "{minified}");
    }

    #[test]
    fn css_is_squeezed_and_a_stray_end_tag_leaves_it_alone() {
        let sheet = b"body {\n  color: #ff0000;\n  margin: 0px;\n}\n";
        let minified = String::from_utf8(css(sheet)).unwrap();
        assert!(minified.len() < sheet.len(), "{minified}");
        assert!(minified.contains("body{"), "{minified}");
        let odd = b"p::after { content: \"</style>\"; }";
        assert_eq!(css(odd), odd.to_vec());
    }
}
