//! Reading one rendered HTML document with lol_html: its ids, the references it makes (links
//! and what it loads), its images without alt text, its title and description.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;

use lol_html::{element, text, HtmlRewriter, Settings};

use crate::urls::Hazard;

/// One HTML document of the output, as the parser saw it.
#[derive(Debug, Default)]
pub(super) struct Document {
    /// Output path, e.g. `stream/family/index.html`.
    pub(super) path: String,
    pub(super) html: Arc<str>,
    /// The content page it was rendered from.
    pub(super) page: Option<usize>,
    /// The file it was copied from, for HTML in `static/`.
    pub(super) copied_from: Option<PathBuf>,
    /// How its links reach the site root (`../`, or the base path for the 404 page).
    pub(super) root: String,
    pub(super) ids: HashSet<String>,
    pub(super) refs: Vec<Reference>,
    /// Every `href` and `src` (on any element) whose URL runs a script or is a `data:` URL.
    pub(super) hazards: Vec<(Hazard, Reference)>,
    /// Byte offsets and `src` of `<img>` elements with no `alt` attribute.
    pub(super) images_without_alt: Vec<(usize, String)>,
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// `a[href]`, `area[href]`: somewhere a reader goes.
    Link,
    /// What the page loads: stylesheets, scripts, images, icons, feeds.
    Asset,
}

#[derive(Debug, Clone)]
pub(super) struct Reference {
    pub(super) kind: Kind,
    /// The attribute's value, entities decoded.
    pub(super) value: String,
    /// Byte offset of the element in the HTML.
    pub(super) offset: usize,
    /// How many references before this one in the document have the same value.
    pub(super) occurrence: usize,
    pub(super) tag: String,
}

pub(super) fn scan(path: &str, html: Arc<str>) -> Document {
    let document = RefCell::new(Document {
        path: path.to_string(),
        ..Document::default()
    });
    let title: RefCell<Option<String>> = RefCell::new(None);
    {
        let mut rewriter = HtmlRewriter::new(
            Settings::new()
                .append_element_content_handler(element!("*", |element| {
                    let mut document = document.borrow_mut();
                    let offset = element.source_location().bytes().start;
                    let tag = element.tag_name();
                    let attribute = |name: &str| element.get_attribute(name).map(|v| decode(&v));
                    if let Some(id) = attribute("id") {
                        document.ids.insert(id);
                    }
                    let mut reference = |kind: Kind, name: &str| {
                        if let Some(value) = attribute(name) {
                            document.refs.push(Reference {
                                kind,
                                value,
                                offset,
                                occurrence: 0,
                                tag: tag.clone(),
                            });
                        }
                    };
                    match tag.as_str() {
                        "a" | "area" => reference(Kind::Link, "href"),
                        "link" => reference(Kind::Asset, "href"),
                        "script" | "img" | "iframe" | "embed" | "video" | "audio" | "source"
                        | "track" => reference(Kind::Asset, "src"),
                        _ => {}
                    }
                    for name in ["href", "src", "xlink:href"] {
                        let Some(value) = attribute(name) else {
                            continue;
                        };
                        let Some(hazard) = crate::urls::hazard(&value) else {
                            continue;
                        };
                        // An image inlined as data is only drawn: it runs nothing.
                        let drawn = hazard == Hazard::Data
                            && matches!(tag.as_str(), "img" | "link")
                            && crate::urls::media_type(&value)
                                .is_some_and(|media| media.starts_with("image/"));
                        if !drawn {
                            let kind = match tag.as_str() {
                                "a" | "area" => Kind::Link,
                                _ => Kind::Asset,
                            };
                            document.hazards.push((
                                hazard,
                                Reference {
                                    kind,
                                    value,
                                    offset,
                                    occurrence: 0,
                                    tag: tag.clone(),
                                },
                            ));
                        }
                    }
                    if tag == "a" {
                        if let Some(name) = attribute("name") {
                            document.ids.insert(name);
                        }
                    }
                    if tag == "img" && !element.has_attribute("alt") {
                        let src = attribute("src").unwrap_or_default();
                        document.images_without_alt.push((offset, src));
                    }
                    if tag == "meta"
                        && attribute("name").is_some_and(|n| n.eq_ignore_ascii_case("description"))
                    {
                        document.description = Some(attribute("content").unwrap_or_default());
                    }
                    Ok(())
                }))
                .append_element_content_handler(text!("head > title", |chunk| {
                    title
                        .borrow_mut()
                        .get_or_insert_with(String::new)
                        .push_str(chunk.as_str());
                    Ok(())
                })),
            |_: &[u8]| {},
        );
        // The parser recovers from any malformed markup, as browsers do; an error here could
        // only come from a handler, and the handlers above never fail.
        let _ = rewriter.write(html.as_bytes());
        let _ = rewriter.end();
    }
    let mut document = document.into_inner();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let occurrences: Vec<usize> = document
        .refs
        .iter()
        .map(|reference| {
            let count = seen.entry(reference.value.as_str()).or_default();
            *count += 1;
            *count - 1
        })
        .collect();
    for (reference, occurrence) in document.refs.iter_mut().zip(occurrences) {
        reference.occurrence = occurrence;
    }
    document.title = title.into_inner().map(|t| decode(&t));
    document.html = html;
    document
}

/// Decodes the character references HTML attributes and titles use. Unknown named references
/// stay as written.
/// Decodes the character references of HTML attributes and titles, named or numeric. Unknown
/// named references stay as written.
pub(super) fn decode(text: &str) -> String {
    html_escape::decode_html_entities(&decode_control_references(text)).into_owned()
}

/// Decodes the numeric references to control characters (`&#x01;`), which html-escape leaves
/// as written but a browser decodes, and then skips around a URL: `&#x01;javascript:` runs.
/// What they decode to can start no other reference, so the rest is decoded after.
fn decode_control_references(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("&#") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("&#") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let (digits, radix) = match after.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (after, 10),
        };
        let length = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        let control = u32::from_str_radix(&digits[..length], radix)
            .ok()
            .filter(|&code| code < 0x20 && !matches!(code, 0x09 | 0x0A | 0x0C | 0x0D));
        match control {
            Some(code) => {
                // The HTML standard decodes `&#0;` to the replacement character.
                out.push(
                    char::from_u32(code)
                        .filter(|&c| c != '\0')
                        .unwrap_or('\u{fffd}'),
                );
                let end = &digits[length..];
                rest = end.strip_prefix(';').unwrap_or(end);
            }
            None => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parser_finds_ids_references_titles_and_images_without_alt() {
        let html = "<!doctype html><html><head><title>A &amp; B</title>\
            <meta name=description content=\"About &quot;A&quot;\">\
            <link rel=stylesheet href=\"../style.css\"><script src=\"../a.js\" defer></script></head>\
            <body><h2 id=\"who-counts\">Who</h2><a name=old></a>\
            <a href=\"../cap/?x=1&amp;y=2#top\">cap</a><img src=\"x.png\"><img src=\"y.png\" alt=\"\">\
            <svg><title>not the page title</title></svg></body></html>";
        let document = scan("stream/family/index.html", Arc::from(html));
        assert_eq!(document.title.as_deref(), Some("A & B"));
        assert_eq!(document.description.as_deref(), Some("About \"A\""));
        assert!(document.ids.contains("who-counts") && document.ids.contains("old"));
        let values: Vec<&str> = document.refs.iter().map(|r| r.value.as_str()).collect();
        assert_eq!(
            values,
            [
                "../style.css",
                "../a.js",
                "../cap/?x=1&y=2#top",
                "x.png",
                "y.png"
            ]
        );
        assert_eq!(document.images_without_alt.len(), 1);
        assert_eq!(&html[document.images_without_alt[0].0..][..4], "<img");
    }

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(decode("a&amp;b&#39;c&#x41;&unknown;&"), "a&b'cA&unknown;&");
    }

    #[test]
    fn references_to_control_characters_are_decoded_as_browsers_do() {
        assert_eq!(decode("&#x01; vbscript:x"), "\u{1} vbscript:x");
        assert_eq!(
            decode("&#1;&#X1F&#0;&amp;#1;&#9;"),
            "\u{1}\u{1f}\u{fffd}&#1;\t"
        );
    }

    #[test]
    fn named_references_beyond_the_xml_ones_are_decoded() {
        assert_eq!(
            decode("caf&eacute; &mdash; &hellip;"),
            "caf\u{e9} \u{2014} \u{2026}"
        );
    }
}
