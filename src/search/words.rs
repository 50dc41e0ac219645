//! Words as the index and the browser both read them.
//!
//! A text is lowercased and cut into runs of letters, digits and combining marks; each run is
//! a word. Its **form** is the word with accents folded (NFD, marks dropped, `œ` → `oe`): the
//! key the browser looks a typed word up by. Its **stem** is the word stemmed by the Snowball
//! algorithm of the page's language (before folding, as the algorithm expects accents), then
//! folded: what postings are filed under. Two words joined by one hyphen (`H-1B`, `start-up`)
//! also give their joined form (`h1b`, `startup`), so either spelling meets the other.
//!
//! The browser never stems: it cuts and folds a query the same way (`search.js`, held to the
//! same cases as this module by `tests/fixtures/search/words.json`) and finds each form in the
//! index's own table of forms. Words shorter than [`MIN_CHARS`] or longer than [`MAX_CHARS`]
//! are left out on both sides.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub const MIN_CHARS: usize = 2;
pub const MAX_CHARS: usize = 40;

/// The word rules of one language: its stemmer, if it has one, and the stems already worked
/// out (a site repeats its words; stemming each once is most of the saving).
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    known: HashMap<String, (Box<str>, Box<str>)>,
}

impl Analyzer {
    /// English and French are stemmed; any other language is folded only.
    pub fn for_language(code: &str) -> Analyzer {
        let base = code.split(['-', '_']).next().unwrap_or(code);
        let algorithm = match base {
            "en" => Some(Algorithm::English),
            "fr" => Some(Algorithm::French),
            _ => None,
        };
        Analyzer {
            stemmer: algorithm.map(Stemmer::create),
            known: HashMap::new(),
        }
    }

    /// Calls `found(form, stem)` for each word of `text`, in order.
    pub fn words(&mut self, text: &str, mut found: impl FnMut(&str, &str)) {
        let lower = text.to_lowercase();
        // The previous word's end and form, to join `a-b`.
        let mut previous: Option<(usize, String)> = None;
        for (start, word) in runs(&lower) {
            let (form, stem) = self.analyse(word);
            if let Some((end, previous_form)) = previous.take() {
                if is_joining_hyphen(&lower[end..start]) {
                    let joined = format!("{previous_form}{}", fold(word));
                    let count = joined.chars().count();
                    if (MIN_CHARS..=MAX_CHARS).contains(&count) {
                        let (form, stem) = self.analyse(&joined);
                        found(&form, &stem);
                    }
                }
            }
            let count = form.chars().count();
            if (MIN_CHARS..=MAX_CHARS).contains(&count) {
                found(&form, &stem);
            }
            previous = Some((start + word.len(), form.to_string()));
        }
    }

    /// A lowercase word's (form, stem).
    fn analyse(&mut self, word: &str) -> (Box<str>, Box<str>) {
        if let Some((form, stem)) = self.known.get(word) {
            return (form.clone(), stem.clone());
        }
        let form: Box<str> = fold(word).into();
        let stem: Box<str> = match &self.stemmer {
            Some(stemmer) => fold(&stemmer.stem(word)).into(),
            None => form.clone(),
        };
        self.known
            .insert(word.to_string(), (form.clone(), stem.clone()));
        (form, stem)
    }
}

fn is_joining_hyphen(between: &str) -> bool {
    matches!(between, "-" | "\u{2011}")
}

/// The runs of word characters in `text`, with their byte offsets.
fn runs(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let start = loop {
            let (at, c) = chars.next()?;
            if is_word_char(c) {
                break at;
            }
        };
        let mut end = text.len();
        while let Some(&(at, c)) = chars.peek() {
            if !is_word_char(c) {
                end = at;
                break;
            }
            chars.next();
        }
        Some((start, &text[start..end]))
    })
}

/// Letters, digits and combining marks: the browser's `[\p{L}\p{N}\p{M}]`.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// `word` with its accents folded: decomposed, marks dropped, `œ` and `æ` written out.
pub fn fold(word: &str) -> String {
    let mut folded = String::with_capacity(word.len());
    for c in word.nfd() {
        match c {
            c if is_combining_mark(c) => {}
            'œ' => folded.push_str("oe"),
            'æ' => folded.push_str("ae"),
            c => folded.push(c),
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(language: &str, text: &str) -> Vec<(String, String)> {
        let mut analyzer = Analyzer::for_language(language);
        let mut found = Vec::new();
        analyzer.words(text, |form, stem| found.push((form.into(), stem.into())));
        found
    }

    fn forms(language: &str, text: &str) -> Vec<String> {
        words(language, text)
            .into_iter()
            .map(|(form, _)| form)
            .collect()
    }

    fn stems(language: &str, text: &str) -> Vec<String> {
        words(language, text)
            .into_iter()
            .map(|(_, stem)| stem)
            .collect()
    }

    #[test]
    fn english_words_are_lowercased_and_stemmed() {
        assert_eq!(
            words("en", "Permits, qualified"),
            [
                ("permits".to_string(), "permit".to_string()),
                ("qualified".to_string(), "qualifi".to_string())
            ]
        );
        assert_eq!(stems("en", "permit permits"), ["permit", "permit"]);
    }

    #[test]
    fn french_words_are_stemmed_before_their_accents_are_folded() {
        assert_eq!(forms("fr", "Entrée express"), ["entree", "express"]);
        assert_eq!(
            stems("fr", "numériques numérique"),
            stems("fr", "numérique numériques")
        );
        assert_eq!(stems("fr", "nomades")[0], stems("fr", "nomade")[0]);
        // An unaccented query word folds to the same form as the accented text.
        assert_eq!(forms("fr", "entree"), forms("fr", "entrée"));
        assert_eq!(forms("fr", "Montréal"), ["montreal"]);
    }

    #[test]
    fn apostrophes_split_and_one_letter_words_are_left_out() {
        assert_eq!(forms("fr", "permis d’études"), ["permis", "etudes"]);
        assert_eq!(forms("fr", "l'admissibilité"), ["admissibilite"]);
        assert_eq!(forms("en", "a b cd"), ["cd"]);
    }

    #[test]
    fn hyphenated_words_also_give_their_joined_form() {
        assert_eq!(forms("en", "H-1B visa"), ["h1b", "1b", "visa"]);
        assert_eq!(
            forms("en", "start-up visa"),
            ["start", "startup", "up", "visa"]
        );
        // Only a hyphen joins: a dash or a space does not.
        assert_eq!(forms("en", "start – up"), ["start", "up"]);
    }

    #[test]
    fn ligatures_are_written_out_and_long_runs_left_out() {
        assert_eq!(forms("fr", "œuvre"), ["oeuvre"]);
        let long = "x".repeat(MAX_CHARS + 1);
        assert!(forms("en", &long).is_empty());
    }

    #[test]
    fn a_language_without_a_stemmer_is_folded_only() {
        assert_eq!(words("de", "Häuser"), [("hauser".into(), "hauser".into())]);
    }

    /// The cases `search.js` is held to as well: both sides read one file.
    #[test]
    fn the_shared_cases_hold() {
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(include_str!("../../tests/fixtures/search/words.json")).unwrap();
        for case in cases {
            let language = case["language"].as_str().unwrap();
            let text = case["text"].as_str().unwrap();
            let expected: Vec<String> = case["forms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|form| form.as_str().unwrap().to_string())
                .collect();
            assert_eq!(forms(language, text), expected, "{text}");
        }
    }
}
