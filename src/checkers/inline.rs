//! Inline Markdown in a checker's texts (outcomes, criteria, help): emphasis, strong, code and
//! links to web addresses, with `{value}` and `{facts.NAME}` placeholders anywhere in the prose.
//!
//! Each placeholder stands in the Markdown as one character from Unicode's private use area,
//! so pulldown-cmark reads the prose around it as written and cannot split it; each comes back
//! as its own HTML (a slot the script fills, or a fact's display, escaped). Text is escaped on
//! the way out, raw HTML in a text is shown as text, and a link goes only to an `http(s)`
//! address with no placeholder in it.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::theme::escape_html as escape;

/// The first private-use character standing for a placeholder; placeholder `n` is this + n.
const FIRST_SLOT: u32 = 0xF_0000;

/// `text` as inline HTML: the prose's Markdown rendered, each placeholder `n` replaced by
/// `slot(n)`. An error says in a sentence what the text may not hold.
pub fn inline_html(
    pieces: &[Piece<'_>],
    slot: &mut dyn FnMut(usize) -> String,
) -> Result<String, String> {
    let mut source = String::new();
    for (index, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Prose(text) => source.push_str(text),
            Piece::Slot => source.push(slot_char(index)),
        }
    }
    let slots = pieces.len();
    let mut html = String::new();
    let mut open_links = 0;
    for event in Parser::new(&source) {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                push_text(&mut html, &text, slots, slot)
            }
            Event::Code(code) => {
                html.push_str("<code>");
                push_text(&mut html, &code, slots, slot);
                html.push_str("</code>");
            }
            Event::SoftBreak => html.push(' '),
            Event::HardBreak => html.push_str("<br>"),
            Event::Start(Tag::Emphasis) => html.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => html.push_str("</em>"),
            Event::Start(Tag::Strong) => html.push_str("<strong>"),
            Event::End(TagEnd::Strong) => html.push_str("</strong>"),
            Event::Start(Tag::Link { dest_url, .. }) => {
                if dest_url.chars().any(|c| slot_index(c, slots).is_some()) {
                    return Err("a link's address cannot hold a placeholder".to_string());
                }
                let web = matches!(
                    crate::urls::scheme(&dest_url).as_deref(),
                    Some("http" | "https")
                );
                if !web {
                    return Err(format!(
                        "the link to `{dest_url}` is not a web address: links in a checker's texts go to `https://` addresses"
                    ));
                }
                open_links += 1;
                html.push_str("<a href=\"");
                html.push_str(&escape(&dest_url));
                html.push_str("\">");
            }
            Event::End(TagEnd::Link) => {
                open_links -= 1;
                html.push_str("</a>");
            }
            other => {
                return Err(format!(
                    "a checker's texts take inline Markdown only (emphasis, strong, code and links), not {}",
                    describe(&other)
                ))
            }
        }
    }
    debug_assert_eq!(open_links, 0, "pulldown-cmark closes every link it opens");
    Ok(html)
}

/// A part of a text: prose as written, or a placeholder the caller renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'t> {
    Prose(&'t str),
    Slot,
}

fn slot_char(index: usize) -> char {
    char::from_u32(FIRST_SLOT + index as u32).unwrap_or('\u{FFFD}')
}

fn slot_index(c: char, slots: usize) -> Option<usize> {
    let index = (c as u32).checked_sub(FIRST_SLOT)? as usize;
    (index < slots).then_some(index)
}

fn push_text(html: &mut String, text: &str, slots: usize, slot: &mut dyn FnMut(usize) -> String) {
    let mut prose = String::new();
    for c in text.chars() {
        match slot_index(c, slots) {
            Some(index) => {
                html.push_str(&escape(&prose));
                prose.clear();
                html.push_str(&slot(index));
            }
            None => prose.push(c),
        }
    }
    html.push_str(&escape(&prose));
}

fn describe(event: &Event<'_>) -> &'static str {
    match event {
        Event::Start(Tag::Heading { .. }) => "a heading",
        Event::Start(Tag::List(_) | Tag::Item) => "a list",
        Event::Start(Tag::Image { .. }) => "an image",
        Event::Start(Tag::CodeBlock(_)) => "a code block",
        Event::Start(Tag::BlockQuote(_)) => "a quotation",
        Event::Rule => "a rule",
        _ => "this block",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(pieces: &[Piece<'_>]) -> Result<String, String> {
        inline_html(pieces, &mut |index| {
            format!("<span data-value=\"v{index}\"></span>")
        })
    }

    #[test]
    fn emphasis_links_and_code_render_around_placeholders() {
        let html = render(&[
            Piece::Prose("You are *"),
            Piece::Slot,
            Piece::Prose(
                " years* old; see [the **rules**](https://www.canada.ca/a?b=1&c=2) and `code`.",
            ),
        ])
        .unwrap();
        assert_eq!(
            html,
            "You are <em><span data-value=\"v1\"></span> years</em> old; see <a href=\"https://www.canada.ca/a?b=1&amp;c=2\">the <strong>rules</strong></a> and <code>code</code>."
        );
    }

    #[test]
    fn raw_html_and_entities_stay_text() {
        let html = render(&[Piece::Prose("<b>bold</b> & <script>x()</script> AT&amp;T")]).unwrap();
        assert_eq!(
            html,
            "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt; AT&amp;T"
        );
    }

    #[test]
    fn links_go_only_to_web_addresses_without_placeholders() {
        for address in [
            "javascript:alert(1)",
            " JavaScript:x",
            "data:text/html,x",
            "/local",
            "mailto:a@b.c",
        ] {
            let error = render(&[Piece::Prose(&format!("[here]({address})"))]).unwrap_err();
            assert!(error.contains("is not a web address"), "{address}: {error}");
        }
        let error = render(&[
            Piece::Prose("[here](https://x.org/"),
            Piece::Slot,
            Piece::Prose(")"),
        ])
        .unwrap_err();
        assert_eq!(error, "a link's address cannot hold a placeholder");
    }

    #[test]
    fn block_markdown_is_refused() {
        for (text, what) in [
            ("# Title", "a heading"),
            ("- one\n- two", "a list"),
            ("![alt](https://x.org/a.png)", "an image"),
            ("> quoted", "a quotation"),
        ] {
            let error = render(&[Piece::Prose(text)]).unwrap_err();
            assert!(error.ends_with(&format!("not {what}")), "{text}: {error}");
        }
    }

    #[test]
    fn plain_prose_is_unchanged_but_escaped() {
        assert_eq!(
            render(&[
                Piece::Prose("It closed on "),
                Piece::Slot,
                Piece::Prose(".")
            ])
            .unwrap(),
            "It closed on <span data-value=\"v1\"></span>."
        );
        assert_eq!(render(&[Piece::Prose("5 > 3")]).unwrap(), "5 &gt; 3");
    }
}
