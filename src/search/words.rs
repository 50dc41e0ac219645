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

use std::sync::{Mutex, MutexGuard, OnceLock};

use rust_stemmers::{Algorithm, Stemmer};

use rustc_hash::FxHashMap;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

pub const MIN_CHARS: usize = 2;
pub const MAX_CHARS: usize = 40;

/// A word as numbers: its form's and its stem's in its language's [`Vocabulary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Word {
    pub form: u32,
    pub stem: u32,
}

/// Every word one language's analyzers have worked out, numbered once for the whole process:
/// pages rendered on different threads (and, under `guide serve`, in different rebuilds) name
/// a word by one number, so a document's terms are numbers, counted and merged without
/// comparing strings.
pub struct Vocabulary {
    stemmer: Option<Stemmer>,
    known: Mutex<Known>,
}

#[derive(Default)]
struct Known {
    /// A lowercase word's form and stem.
    words: FxHashMap<Box<str>, Word>,
    forms: Names,
    stems: Names,
}

/// Strings numbered in the order first seen.
#[derive(Default)]
struct Names {
    names: Vec<Box<str>>,
    numbers: FxHashMap<Box<str>, u32>,
}

impl Names {
    fn number(&mut self, name: String) -> u32 {
        if let Some(&number) = self.numbers.get(name.as_str()) {
            return number;
        }
        let number = self.names.len() as u32;
        self.names.push(name.as_str().into());
        self.numbers.insert(name.into(), number);
        number
    }
}

/// The vocabulary of language `code`: English and French are stemmed; any other language is
/// folded only. Made once per language and kept for the process (a handful of languages).
pub fn vocabulary(code: &str) -> &'static Vocabulary {
    static VOCABULARIES: OnceLock<Mutex<FxHashMap<String, &'static Vocabulary>>> = OnceLock::new();
    let mut vocabularies = VOCABULARIES
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    vocabularies.entry(code.to_string()).or_insert_with(|| {
        let base = code.split(['-', '_']).next().unwrap_or(code);
        let algorithm = match base {
            "en" => Some(Algorithm::English),
            "fr" => Some(Algorithm::French),
            _ => None,
        };
        Box::leak(Box::new(Vocabulary {
            stemmer: algorithm.map(Stemmer::create),
            known: Mutex::new(Known::default()),
        }))
    })
}

impl Vocabulary {
    fn known(&self) -> MutexGuard<'_, Known> {
        // Nothing is left half-inserted by a panic: a poisoned lock's data is whole.
        self.known
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A lowercase word's form and stem, worked out the first time it is seen.
    fn word(&self, lowercase: &str) -> Word {
        let mut known = self.known();
        if let Some(&word) = known.words.get(lowercase) {
            return word;
        }
        let form = fold(lowercase);
        let stem = match &self.stemmer {
            Some(stemmer) => fold(&stemmer.stem(lowercase)),
            None => form.clone(),
        };
        let word = Word {
            form: known.forms.number(form),
            stem: known.stems.number(stem),
        };
        known.words.insert(lowercase.into(), word);
        word
    }

    /// The forms' and stems' names, read while the returned guard is held.
    pub fn names(&self) -> VocabularyNames<'_> {
        VocabularyNames(self.known())
    }
}

/// The names of a vocabulary's forms and stems, by number.
pub struct VocabularyNames<'v>(MutexGuard<'v, Known>);

impl VocabularyNames<'_> {
    pub fn form(&self, number: u32) -> &str {
        &self.0.forms.names[number as usize]
    }

    pub fn stem(&self, number: u32) -> &str {
        &self.0.stems.names[number as usize]
    }

    pub fn form_count(&self) -> usize {
        self.0.forms.names.len()
    }

    pub fn stem_count(&self) -> usize {
        self.0.stems.names.len()
    }
}

/// The word rules of one language on one thread: its vocabulary, and the words this thread has
/// already looked up there (a site repeats its words: each is looked up in the shared
/// vocabulary once per thread), with whether its form is as long as words are kept.
pub struct Analyzer {
    pub vocabulary: &'static Vocabulary,
    seen: Seen,
    /// A document's counts by stem number, and the forms it holds, kept between documents so
    /// that counting one needs no map: see [`Analyzer::count`].
    pub(super) scratch: Scratch,
}

/// Runs already analysed, as written. A run of up to [`Seen::SHORT`] bytes (most words) is
/// keyed by its bytes in one integer: looked up without following a pointer or comparing
/// strings, which a page's hundreds of words would otherwise each do.
#[derive(Default)]
struct Seen {
    short: FxHashMap<u128, (Word, bool)>,
    long: FxHashMap<Box<str>, (Word, bool)>,
}

impl Seen {
    const SHORT: usize = 15;

    /// The run's bytes, then zeros, and its length in the last byte: two runs have one key
    /// only if they are the same. Read with whole-word loads (overlapping ones, the overlap
    /// shifted out) rather than copied into a buffer a byte at a time and read back, which
    /// stalls the load on the stores just made.
    fn short_key(run: &str) -> Option<u128> {
        let bytes = run.as_bytes();
        let length = bytes.len();
        let read8 = |at: usize| u64::from_le_bytes(std::array::from_fn(|index| bytes[at + index]));
        let read4 = |at: usize| {
            u64::from(u32::from_le_bytes(std::array::from_fn(|index| {
                bytes[at + index]
            })))
        };
        let padded: u128 = match length {
            0..=3 => bytes
                .iter()
                .enumerate()
                .fold(0, |key, (at, &byte)| key | u128::from(byte) << (8 * at)),
            4..=7 => {
                let tail = read4(length - 4) >> (8 * (8 - length));
                u128::from(read4(0) | tail << 32)
            }
            8..=Self::SHORT => {
                let tail = read8(length - 8)
                    .checked_shr(8 * (16 - length) as u32)
                    .unwrap_or(0);
                u128::from(read8(0)) | u128::from(tail) << 64
            }
            _ => return None,
        };
        Some(padded | (length as u128) << 120)
    }

    fn get(&self, run: &str) -> Option<(Word, bool)> {
        match Self::short_key(run) {
            Some(key) => self.short.get(&key).copied(),
            None => self.long.get(run).copied(),
        }
    }

    fn insert(&mut self, run: &str, analysed: (Word, bool)) {
        match Self::short_key(run) {
            Some(key) => self.short.insert(key, analysed),
            None => self.long.insert(run.into(), analysed),
        };
    }
}

/// Counts by number, reused from one document to the next.
#[derive(Default)]
pub(super) struct Scratch {
    /// By stem number: its weighted count in the document being counted (0: not in it).
    pub counts: Vec<u32>,
    /// The stems whose count is not 0.
    pub stems: Vec<u32>,
    /// By form number: whether the document holds it.
    pub form_seen: Vec<bool>,
    /// The words whose form the document holds, one per form.
    pub forms: Vec<Word>,
}

impl Analyzer {
    pub fn for_language(code: &str) -> Analyzer {
        Analyzer {
            vocabulary: vocabulary(code),
            seen: Seen::default(),
            scratch: Scratch::default(),
        }
    }

    /// Calls `found` with each word of `text`, in order.
    pub fn words(&mut self, text: &str, mut found: impl FnMut(Word)) {
        // The previous run's start and end, to join `a-b`.
        let mut previous: Option<(usize, usize)> = None;
        for (start, run) in runs(text) {
            let (word, kept) = self.analyse_run(run);
            if let Some((previous_start, end)) = previous.take() {
                if is_joining_hyphen(&text[end..start]) {
                    let (joined, kept) = self.analyse_joined(
                        &text[previous_start..start + run.len()],
                        end - previous_start,
                    );
                    if kept {
                        found(joined);
                    }
                }
            }
            if kept {
                found(word);
            }
            previous = Some((start, start + run.len()));
        }
    }

    /// A run's form and stem, and whether its form is kept. Looked up by the run as written
    /// (a run is lowercased on its own, so its case tells nothing else): a word seen before is
    /// neither lowercased nor looked up again.
    fn analyse_run(&mut self, run: &str) -> (Word, bool) {
        if let Some(seen) = self.seen.get(run) {
            return seen;
        }
        let mut lower = String::with_capacity(run.len());
        push_lowercase(&mut lower, run);
        let word = self.vocabulary.word(&lower);
        let kept = is_kept(self.vocabulary.names().form(word.form));
        self.seen.insert(run, (word, kept));
        (word, kept)
    }

    /// The word two runs joined by a hyphen make (`written`, the first run ending at byte
    /// `first`), and whether it is kept. Remembered by the two as written, hyphen included, which
    /// no run can be.
    fn analyse_joined(&mut self, written: &str, first: usize) -> (Word, bool) {
        if let Some(seen) = self.seen.get(written) {
            return seen;
        }
        // The joined word is made of the two forms: folding one character at a time, the
        // forms of the halves are the halves of the form.
        let second = &written[first..].trim_start_matches(['-', '\u{2011}']);
        let mut halves = String::with_capacity(written.len());
        push_lowercase(&mut halves, &written[..first]);
        let joined = fold(&halves) + &fold(&second.to_lowercase());
        let analysed = (self.vocabulary.word(&joined), is_kept(&joined));
        self.seen.insert(written, analysed);
        analysed
    }
}

/// `run` lowercased, appended to `out`.
fn push_lowercase(out: &mut String, run: &str) {
    if run.is_ascii() {
        let from = out.len();
        out.push_str(run);
        out[from..].make_ascii_lowercase();
    } else {
        out.push_str(&run.to_lowercase());
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

const ASCII_WORD: u8 = 0;
const ASCII_OTHER: u8 = 1;
const NOT_ASCII: u8 = 2;

/// Each byte's kind: an ASCII letter or digit, other ASCII, or part of a wider character.
static BYTE_KINDS: [u8; 256] = {
    let mut kinds = [NOT_ASCII; 256];
    let mut byte = 0;
    while byte < 128 {
        kinds[byte] = if (byte as u8).is_ascii_alphanumeric() {
            ASCII_WORD
        } else {
            ASCII_OTHER
        };
        byte += 1;
    }
    kinds
};

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
            // ASCII that is not a word's is passed over a byte at a time, without decoding.
            while at < bytes.len() && BYTE_KINDS[bytes[at] as usize] == ASCII_OTHER {
                at += 1;
            }
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
        loop {
            while at < bytes.len() && BYTE_KINDS[bytes[at] as usize] == ASCII_WORD {
                at += 1;
            }
            if at >= bytes.len() || bytes[at].is_ascii() {
                break;
            }
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
        let names = analyzer.vocabulary.names();
        words
            .into_iter()
            .map(|word| {
                (
                    names.form(word.form).to_string(),
                    names.stem(word.stem).to_string(),
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
    fn a_short_run_is_keyed_by_its_bytes_zero_padded_and_its_length() {
        let text = "abcdefghijklmnopqrstuvwxyz0123456789";
        for start in 0..4 {
            for length in 0..=Seen::SHORT {
                let run = &text[start..start + length];
                let mut padded = [0u8; 16];
                padded[..length].copy_from_slice(run.as_bytes());
                padded[15] = length as u8;
                assert_eq!(
                    Seen::short_key(run),
                    Some(u128::from_le_bytes(padded)),
                    "{run:?}"
                );
            }
        }
        assert_eq!(Seen::short_key(&text[..Seen::SHORT + 1]), None);
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
