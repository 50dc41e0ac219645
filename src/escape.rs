//! Escaping text for HTML, shared by the Markdown renderer, the checkers and the templates.

/// Escapes what HTML needs escaped; unlike Tera's default it leaves `/` alone, so URLs in
/// attributes stay readable.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Every character escaped is ASCII, so the text between two of them is copied whole
    // rather than a character at a time: this runs on every value a template writes.
    let mut copied = 0;
    for (at, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[copied..at]);
        out.push_str(entity);
        copied = at + 1;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn markup_characters_become_entities_and_the_rest_is_kept() {
        assert_eq!(
            escape_html(r#"<a href="x/y?a=1&b='2'">"#),
            "&lt;a href=&quot;x/y?a=1&amp;b=&#39;2&#39;&quot;&gt;"
        );
        assert_eq!(
            escape_html("Montréal — 10 000 $ & plus"),
            "Montréal — 10 000 $ &amp; plus"
        );
        assert_eq!(escape_html("&"), "&amp;");
        assert_eq!(escape_html("plain"), "plain");
        assert_eq!(escape_html(""), "");
    }

    /// The same as escaping one character at a time, on text mixing every escaped character
    /// with characters of one to four bytes.
    #[test]
    fn escaping_whole_runs_gives_what_escaping_each_character_gives() {
        let pieces = ["&", "<", ">", "\"", "'", "a", "é", "—", "𝄞", "/", " "];
        let mut state = 7u32;
        for _ in 0..500 {
            let mut text = String::new();
            for _ in 0..(state % 13) {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                text.push_str(pieces[(state >> 16) as usize % pieces.len()]);
            }
            let one_at_a_time: String = text
                .chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect();
            assert_eq!(escape_html(&text), one_at_a_time, "{text:?}");
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        }
    }
}
