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

/// The deepest nesting of elements given to minify-html. It recurses once per level, and a
/// document nested deeper (which no template writes, but raw HTML in Markdown may) would run
/// the render thread's stack out, which aborts the process: such a document is left as it is.
pub const MAX_DEPTH: usize = 10_000;

/// Minifies one HTML document; `Err` with how deep its elements nest when that is more than
/// [`MAX_DEPTH`], to be left as it is.
pub fn html(bytes: &[u8]) -> Result<Vec<u8>, usize> {
    let depth = nesting_depth(bytes);
    if depth > MAX_DEPTH {
        return Err(depth);
    }
    Ok(minify_html::minify(bytes, &html_config()))
}

/// How deep the elements of an HTML document nest, at most: each start tag of an element that
/// is not void opens a level, each end tag closes one. An element left open (`<p>`, `<li>`)
/// or a `<` in a script counts as a level more, so the count errs on the deep side.
fn nesting_depth(bytes: &[u8]) -> usize {
    const VOID: [&[u8]; 14] = [
        b"area", b"base", b"br", b"col", b"embed", b"hr", b"img", b"input", b"link", b"meta",
        b"param", b"source", b"track", b"wbr",
    ];
    let (mut depth, mut deepest) = (0usize, 0usize);
    for at in memchr::memchr_iter(b'<', bytes) {
        match bytes.get(at + 1) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(first) if first.is_ascii_alphabetic() => {
                let name = &bytes[at + 1..];
                let length = name
                    .iter()
                    .position(|byte| !byte.is_ascii_alphanumeric())
                    .unwrap_or(name.len());
                let name = &name[..length];
                if !VOID.iter().any(|void| void.eq_ignore_ascii_case(name)) {
                    depth += 1;
                    deepest = deepest.max(depth);
                }
            }
            _ => {}
        }
    }
    deepest
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
/// `static/` are the author's and stay as they are, and so is a page nested deeper than
/// [`MAX_DEPTH`].
pub fn minify(output: &mut Output) -> Savings {
    // On the render threads, whose stack holds the minifier's recursion to MAX_DEPTH.
    let results: Vec<(usize, usize)> = crate::threads::on_render_threads(|| {
        output
            .files
            .par_iter_mut()
            .filter_map(|(path, file)| {
                let OutputFile::Bytes(bytes) = file else {
                    return None;
                };
                let minified = if path.ends_with(".html") {
                    html(bytes).ok()?
                } else if path.ends_with(".css") {
                    css(bytes)
                } else {
                    return None;
                };
                let sizes = (bytes.len(), minified.len());
                *bytes = minified;
                Some(sizes)
            })
            .collect()
    });
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
        let minified = String::from_utf8(html(page).unwrap()).unwrap();
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
    fn a_page_nested_deeper_than_the_minifier_can_go_is_left_as_it_is() {
        let nested = |levels: usize| {
            format!(
                "<!doctype html><html><head><meta charset=utf-8></head><body>{}x{}<br><img src=a.png></body></html>",
                "<div>".repeat(levels),
                "</div>".repeat(levels)
            )
        };
        // html, body and the divs; void elements open no level.
        assert_eq!(nesting_depth(nested(3).as_bytes()), 5);
        // As deep as is minified, on the render threads that minify pages.
        let deepest = nested(MAX_DEPTH - 2);
        let minified = crate::threads::on_render_threads(|| html(deepest.as_bytes()));
        assert!(minified.is_ok());
        assert_eq!(html(nested(100_000).as_bytes()), Err(100_002));
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
