//! The words of a page, read off its HTML: what its `<main>` element holds (the same text a
//! reader sees, with facts, checkers and whatever the template adds), less the elements marked
//! `data-search-ignore`; and the words of a rules or fact text's inline Markdown.

/// A page's content as text: its headings apart (they weigh more), and everything else.
#[derive(Debug, Default, PartialEq)]
pub struct ContentText {
    pub headings: Vec<String>,
    pub text: String,
    /// The words in `<strong>` and `<b>` (also in `text`): what the author stressed.
    pub stressed: String,
}

/// Elements whose content is not read (code a browser runs, styles, inert templates).
const SKIPPED: [&str; 3] = ["script", "style", "template"];

/// Elements that end a run of words: text on either side of them is two words, not one.
fn is_breaking(name: &str) -> bool {
    matches!(
        name,
        "p" | "br"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "div"
            | "section"
            | "table"
            | "tr"
            | "td"
            | "th"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "blockquote"
            | "pre"
            | "figcaption"
            | "summary"
            | "legend"
            | "label"
            | "option"
            | "hr"
    )
}

/// The part of a page's HTML that is its own: its `<main>` element's content, or the whole
/// page when it has none.
pub fn main_of(html: &str) -> &str {
    // Searchers built once: `str::find` builds a two-way searcher for each call, and this
    // runs once a page, over the whole head and header (a percent of a build's time).
    static OPEN: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    static CLOSE: std::sync::OnceLock<memchr::memmem::FinderRev<'static>> =
        std::sync::OnceLock::new();
    let open_finder = OPEN.get_or_init(|| memchr::memmem::Finder::new("<main"));
    let close_finder = CLOSE.get_or_init(|| memchr::memmem::FinderRev::new("</main>"));
    let Some(open) = open_finder.find(html.as_bytes()) else {
        return html;
    };
    let Some(start) = memchr::memchr(b'>', &html.as_bytes()[open..]).map(|end| open + end + 1)
    else {
        return html;
    };
    match close_finder.rfind(&html.as_bytes()[start..]) {
        Some(end) => &html[start..start + end],
        None => &html[start..],
    }
}

/// The attribute that keeps an element's content out of the index (a page's neighbours'
/// titles, say, which are not what it is about).
pub const IGNORE_ATTRIBUTE: &str = "data-search-ignore";

/// The text of `html`, as a reader sees it: tags dropped, entities decoded, blocks apart.
pub fn content_text(html: &str) -> ContentText {
    let mut found = ContentText::default();
    // Text is most of a page's `<main>`: one allocation rather than a dozen doublings.
    found.text.reserve(html.len());
    let mut heading: Option<String> = None;
    let mut skipping: Option<&str> = None;
    // The element marked to be ignored, by name, and how many of its name are open inside it.
    let mut ignoring: Option<(&str, usize)> = None;
    let mut stressing = 0usize;
    // Whether white space (or a block's edge) was met since the last word written to `text`,
    // and to `stressed`: text is written squeezed, one space between words.
    let mut gap = false;
    let mut stressed_gap = false;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(open) = memchr::memchr(b'<', rest.as_bytes()) else {
            push_text(
                &mut found,
                heading.as_mut(),
                stressing > 0,
                rest,
                (&mut gap, &mut stressed_gap),
            );
            break;
        };
        if skipping.is_none() && ignoring.is_none() {
            let text = &rest[..open];
            push_text(
                &mut found,
                heading.as_mut(),
                stressing > 0,
                text,
                (&mut gap, &mut stressed_gap),
            );
        }
        let tag_text = &rest[open + 1..];
        let Some(close) = memchr::memchr(b'>', tag_text.as_bytes()) else {
            break;
        };
        let tag = &tag_text[..close];
        rest = &tag_text[close + 1..];
        let closing = tag.starts_with('/');
        // The tag's name as written: generators write them in lowercase, as this one does.
        let bare = tag.trim_start_matches('/');
        let name = &bare[..bare
            .bytes()
            .position(|byte| !byte.is_ascii_alphanumeric())
            .unwrap_or(bare.len())];
        if let Some(skipped) = skipping {
            if closing && name == skipped {
                skipping = None;
            }
            continue;
        }
        if let Some((ignored, depth)) = ignoring.as_mut() {
            if *ignored == name && !tag.ends_with('/') {
                if closing {
                    if *depth == 0 {
                        ignoring = None;
                    } else {
                        *depth -= 1;
                    }
                } else {
                    *depth += 1;
                }
            }
            continue;
        }
        if !closing && has_ignore_attribute(tag) && !is_void(name) {
            ignoring = Some((name, 0));
            continue;
        }
        if let Some(skipped) = SKIPPED.iter().find(|skipped| **skipped == name) {
            if !closing {
                skipping = Some(skipped);
            }
            continue;
        }
        if matches!(name, "strong" | "b") {
            if closing {
                stressing = stressing.saturating_sub(1);
                found.stressed.push(' ');
                stressed_gap = true;
            } else {
                stressing += 1;
            }
            continue;
        }
        let is_heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if is_heading && !closing {
            heading = Some(String::new());
        } else if is_heading {
            if let Some(text) = heading.take() {
                let text = squeeze(&text);
                if !text.is_empty() {
                    found.headings.push(text);
                }
            }
        } else if is_breaking(name) {
            gap = true;
        }
    }
    found.stressed = squeeze(&found.stressed);
    found
}

/// Whether the tag `tag` (its text between `<` and `>`) has [`IGNORE_ATTRIBUTE`].
fn has_ignore_attribute(tag: &str) -> bool {
    // Most tags are a bare name (`p`, `/li`): too short to hold the attribute, so not searched.
    if tag.len() <= IGNORE_ATTRIBUTE.len() {
        return false;
    }
    static FINDER: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
        std::sync::OnceLock::new();
    let finder = FINDER.get_or_init(|| memchr::memmem::Finder::new(IGNORE_ATTRIBUTE));
    has_attribute(tag, IGNORE_ATTRIBUTE, finder)
}

/// Whether the tag `tag` (its text between `<` and `>`) has the attribute `name` (which
/// `finder` finds): the name after white space and before `=`, white space, `/` or the tag's
/// end, not inside a value.
fn has_attribute(tag: &str, name: &str, finder: &memchr::memmem::Finder) -> bool {
    finder.find_iter(tag.as_bytes()).any(|at| {
        let before = tag[..at].bytes().next_back();
        let after = tag[at + name.len()..].bytes().next();
        before.is_some_and(|byte| byte.is_ascii_whitespace())
            && after.is_none_or(|byte| byte == b'=' || byte == b'/' || byte.is_ascii_whitespace())
            && !inside_quotes(&tag[..at])
    })
}

/// Whether `text`, the start of a tag, ends inside a quoted attribute value.
fn inside_quotes(text: &str) -> bool {
    let mut quote = None;
    for byte in text.bytes() {
        match quote {
            Some(open) if byte == open => quote = None,
            None if byte == b'"' || byte == b'\'' => quote = Some(byte),
            _ => {}
        }
    }
    quote.is_some()
}

fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
    )
}

fn push_text(
    found: &mut ContentText,
    heading: Option<&mut String>,
    stressed: bool,
    raw: &str,
    (gap, stressed_gap): (&mut bool, &mut bool),
) {
    if raw.is_empty() {
        return;
    }
    let decoded = html_escape::decode_html_entities(raw);
    match heading {
        Some(heading) => heading.push_str(&decoded),
        None => {
            push_squeezed(&mut found.text, &decoded, gap);
            if stressed {
                push_squeezed(&mut found.stressed, &decoded, stressed_gap);
            }
        }
    }
}

/// Appends `text` to `out` with each run of white space one space, none at the start;
/// `gap` carries white space met at the end of one piece to the next.
fn push_squeezed(out: &mut String, text: &str, gap: &mut bool) {
    if text.is_ascii() {
        return push_squeezed_ascii(out, text, gap);
    }
    let mut words = text.split_whitespace().peekable();
    if words.peek().is_none() {
        *gap = true;
        return;
    }
    let mut apart = *gap || text.starts_with(char::is_whitespace);
    for word in words {
        if apart && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        apart = true;
    }
    *gap = text.ends_with(char::is_whitespace);
}

/// [`push_squeezed`] for ASCII text (most of a page), copying each stretch of words already
/// one space apart at once rather than a word at a time. ASCII white space as
/// [`char::is_whitespace`] has it: space, and tab to carriage return.
fn push_squeezed_ascii(out: &mut String, text: &str, gap: &mut bool) {
    let is_space = |byte: u8| byte == b' ' || (b'\t'..=b'\r').contains(&byte);
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if is_space(bytes[at]) {
            *gap = true;
            at += 1;
            continue;
        }
        let start = at;
        loop {
            at = next_at_most_space(bytes, at);
            while at < bytes.len() && !is_space(bytes[at]) {
                at = next_at_most_space(bytes, at + 1);
            }
            // One space between two words is kept as it is: the stretch goes on.
            if at + 1 < bytes.len() && bytes[at] == b' ' && !is_space(bytes[at + 1]) {
                at += 1;
                continue;
            }
            break;
        }
        if *gap && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&text[start..at]);
        *gap = false;
    }
}

/// The first position from `at` of a byte at most `b' '` (white space, or a control
/// character), or the end: eight bytes at a time, as `bytes` is ASCII.
fn next_at_most_space(bytes: &[u8], mut at: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    while let Some(chunk) = bytes.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        // With every byte below 0x80, the lowest high bit set in `low` is that of the first
        // byte at most 0x20 (bytes above it may be marked by its borrow, never bytes below).
        let low = word.wrapping_sub(ONES * 0x21) & !word & HIGH;
        if low != 0 {
            return at + (low.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < bytes.len() && bytes[at] > b' ' {
        at += 1;
    }
    at
}

/// `text` with each run of white space one space, trimmed.
pub fn squeeze(text: &str) -> String {
    let mut squeezed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !squeezed.is_empty() {
            squeezed.push(' ');
        }
        squeezed.push_str(word);
    }
    squeezed
}

/// The text of a line of inline Markdown (a rules or fact text): emphasis and link targets
/// dropped, the words kept.
pub fn inline_markdown_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser};
    let mut text = String::new();
    for event in Parser::new(markdown) {
        match event {
            Event::Text(words) | Event::Code(words) => text.push_str(&words),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    squeeze(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_go_entities_are_decoded_and_blocks_stay_apart() {
        let found = content_text(
            "<h2 id=\"cap\">The <em>cap</em></h2><p>10,000&nbsp;applications &amp; more</p>\
             <ul><li>one</li><li>two</li></ul>",
        );
        assert_eq!(found.headings, ["The cap"]);
        // A no-break space is white space too: the words either side are two words.
        assert_eq!(found.text, "10,000 applications & more one two");
    }

    #[test]
    fn stressed_words_are_kept_apart_too() {
        let found = content_text(
            "<p>Capped at <strong>10,000 applications</strong>, <b>then</b> closed</p>",
        );
        assert_eq!(found.text, "Capped at 10,000 applications, then closed");
        assert_eq!(found.stressed, "10,000 applications then");
    }

    #[test]
    fn squeezing_in_pieces_is_squeezing_the_whole() {
        let pieces = [
            "",
            " ",
            "a",
            "ab cd",
            "  lead",
            "trail  ",
            "x\ty",
            "one\r\ntwo",
            "\u{1}ctl",
            "eight by",
            "tes_long_enough to cross  two\nchunks of eight",
            "é à",
            " \u{a0}z",
            "aaaaaaaaaaaaaaaa bbbbbbbbbbbbbbbbb\x0bc",
            "q ",
        ];
        for first in pieces {
            for second in pieces {
                let (mut out, mut gap) = (String::new(), false);
                push_squeezed(&mut out, first, &mut gap);
                push_squeezed(&mut out, second, &mut gap);
                let whole = format!("{first}{second}");
                // Two pieces join into one word when neither has white space between them.
                assert_eq!(out, squeeze(&whole), "{first:?} + {second:?}");
            }
        }
    }

    #[test]
    fn inline_elements_do_not_split_a_word() {
        assert_eq!(content_text("<p>H-<strong>1B</strong></p>").text, "H-1B");
    }

    #[test]
    fn scripts_styles_and_templates_are_not_read() {
        let found = content_text(
            "<p>before</p><script>let x = \"<p>\";</script><style>p{}</style>\
             <template><p>hidden</p></template><p>after</p>",
        );
        assert_eq!(found.text, "before after");
    }

    #[test]
    fn only_main_is_read_less_what_is_marked_ignored() {
        let page = "<header><p>Menu</p></header><main id=\"main\"><h1>Cap</h1>\
                    <div data-search-ignore><div><p>Next page</p></div><p>Also</p></div>\
                    <p>Kept</p></main><footer>Footer</footer>";
        let found = content_text(main_of(page));
        assert_eq!(found.headings, ["Cap"]);
        assert_eq!(found.text, "Kept");
        assert_eq!(main_of("<p>No main</p>"), "<p>No main</p>");
    }

    #[test]
    fn only_the_attribute_ignores_not_its_name_in_a_value() {
        let found = content_text(
            "<p title=\"see data-search-ignore\">Kept</p>\
             <section class=\"x\" data-search-ignore=\"\">Left out</section>\
             <p data-search-ignored>Also kept</p><nav\tdata-search-ignore>Out</nav>",
        );
        assert_eq!(found.text, "Kept Also kept");
    }

    #[test]
    fn inline_markdown_keeps_the_words() {
        assert_eq!(
            inline_markdown_text("You **lived** in [the U.S.](https://example.org) for `3` years"),
            "You lived in the U.S. for 3 years"
        );
    }
}
