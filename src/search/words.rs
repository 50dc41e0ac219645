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

use rust_stemmers::{Algorithm, Stemmer};
use std::sync::Arc;

use rustc_hash::FxHashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub const MIN_CHARS: usize = 2;
pub const MAX_CHARS: usize = 40;

/// The word rules of one language: its stemmer, if it has one, and every word already worked
/// out (a site repeats its words: stemming each once, and naming forms and stems by number,
/// is most of the saving).
pub struct Analyzer {
    stemmer: Option<Stemmer>,
    /// A lowercase word's (form, stem), by number.
    known: FxHashMap<Box<str>, (u32, u32)>,
    forms: Names,
    stems: Names,
}

/// Strings numbered in the order first seen.
#[derive(Default)]
struct Names {
    /// Shared, so a document's terms name them without a copy each.
    names: Vec<Arc<str>>,
    numbers: FxHashMap<Box<str>, u32>,
}

impl Names {
    fn number(&mut self, name: String) -> u32 {
        if let Some(&number) = self.numbers.get(name.as_str()) {
            return number;
        }
        let number = self.names.len() as u32;
        self.names.push(Arc::from(name.as_str()));
        self.numbers.insert(name.into(), number);
        number
    }
}

/// A word as numbers: its form's and its stem's, in one [`Analyzer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Word {
    pub form: u32,
    pub stem: u32,
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
            known: FxHashMap::default(),
            forms: Names::default(),
            stems: Names::default(),
        }
    }

    pub fn form(&self, word: Word) -> &Arc<str> {
        &self.forms.names[word.form as usize]
    }

    pub fn stem(&self, word: Word) -> &Arc<str> {
        &self.stems.names[word.stem as usize]
    }

    /// Calls `found` with each word of `text`, in order.
    pub fn words(&mut self, text: &str, mut found: impl FnMut(Word)) {
        // The previous word's end and form, to join `a-b`.
        let mut previous: Option<(usize, Word)> = None;
        let mut joined = String::new();
        let mut lower = String::new();
        for (start, run) in runs(text) {
            // Lowercased word by word: no letter's case changes whether it is a word's.
            lower.clear();
            if run.is_ascii() {
                lower.push_str(run);
                lower.make_ascii_lowercase();
            } else {
                lower.push_str(&run.to_lowercase());
            }
            let word = self.analyse(&lower);
            if let Some((end, before)) = previous.take() {
                if is_joining_hyphen(&text[end..start]) {
                    joined.clear();
                    joined.push_str(self.form(before));
                    joined.push_str(self.form(word));
                    if is_kept(&joined) {
                        let joined = joined.clone();
                        found(self.analyse(&joined));
                    }
                }
            }
            if is_kept(self.form(word)) {
                found(word);
            }
            previous = Some((start + run.len(), word));
        }
    }

    /// A lowercase word's form and stem.
    fn analyse(&mut self, lowercase: &str) -> Word {
        if let Some(&(form, stem)) = self.known.get(lowercase) {
            return Word { form, stem };
        }
        let form = fold(lowercase);
        let stem = match &self.stemmer {
            Some(stemmer) => fold(&stemmer.stem(lowercase)),
            None => form.clone(),
        };
        let word = Word {
            form: self.forms.number(form),
            stem: self.stems.number(stem),
        };
        self.known.insert(lowercase.into(), (word.form, word.stem));
        word
    }
}

/// Whether a form is as long as words are kept.
fn is_kept(form: &str) -> bool {
    // Most words are ASCII, whose length in characters is their length in bytes.
    let count = if form.is_ascii() {
        form.len()
    } else {
        form.chars().count()
    };
    (MIN_CHARS..=MAX_CHARS).contains(&count)
}

fn is_joining_hyphen(between: &str) -> bool {
    matches!(between, "-" | "\u{2011}")
}

/// The runs of word characters in `text`, with their byte offsets.
fn runs(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = 0;
    // Whether the character at `at` is a word's, and its length; ASCII without a table.
    let word_char_at = move |at: usize| -> (bool, usize) {
        let byte = bytes[at];
        if byte.is_ascii() {
            (byte.is_ascii_alphanumeric(), 1)
        } else {
            let c = text[at..].chars().next().unwrap_or(' ');
            (is_word_char(c), c.len_utf8())
        }
    };
    std::iter::from_fn(move || {
        loop {
            if at >= bytes.len() {
                return None;
            }
            let (is_word, length) = word_char_at(at);
            if is_word {
                break;
            }
            at += length;
        }
        let start = at;
        while at < bytes.len() {
            let (is_word, length) = word_char_at(at);
            if !is_word {
                break;
            }
            at += length;
        }
        Some((start, &text[start..at]))
    })
}

/// Letters, digits and combining marks: the browser's `[\p{L}\p{N}\p{M}]`.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// `word` with its accents folded: decomposed, marks dropped, `œ` and `æ` written out.
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_string();
    }
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
        let mut words = Vec::new();
        analyzer.words(text, |word| words.push(word));
        words
            .into_iter()
            .map(|word| {
                (
                    analyzer.form(word).to_string(),
                    analyzer.stem(word).to_string(),
                )
            })
            .collect()
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
