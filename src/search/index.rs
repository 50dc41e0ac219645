//! The index of one language, as files the browser loads with classic `<script>` elements.
//!
//! - `search/LANG/manifest.js`, under a stable name: how many documents, each one's length (one
//!   character per document, a length bucket), their average, and the content-hashed shard for
//!   each two-character prefix of a word's form.
//! - `search/LANG/HASH.js`, one shard per prefix: the forms starting with it, each with its stem
//!   when they differ, and each of their stems' postings (document ids as gaps, each with the
//!   term's weighted count). A shard's bytes depend only on the documents holding its words, so
//!   editing a page rewrites only the shards of the words that page gains, loses or counts
//!   differently, and the manifest.
//! - `search/LANG/f/ID.js`, one per document: its URL, title, section, kind and text, loaded
//!   only for the results shown, to cut their snippets from.
//!
//! Each file is one call, `__guideSearch(name, data)`, which `search.js` answers. Scoring
//! (BM25) is done in the browser from these counts, so no file depends on every document.

use std::collections::BTreeMap;

use serde_json::json;

use std::sync::Arc;

use rustc_hash::FxHashMap;

use super::words::{Analyzer, Word};

/// A document's weighted word counts, and the forms its words take.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Terms {
    /// Words, each counted by its field's weight.
    pub length: u32,
    /// (stem, weighted count), sorted by stem.
    pub stems: Vec<(Arc<str>, u16)>,
    /// (form, stem), sorted by form.
    pub forms: Vec<(Arc<str>, Arc<str>)>,
    /// What the document is, as [`Shown::kind`] says.
    pub kind: char,
    /// For a fact or a checker's text, the id of the page it links to: a result list shows
    /// one result per page.
    pub owner: Option<u32>,
}

/// How much a word counts where it is: a title's words most, then headings, a page's
/// description, and its text.
pub const TITLE_WEIGHT: u32 = 6;
pub const HEADING_WEIGHT: u32 = 3;
pub const DESCRIPTION_WEIGHT: u32 = 2;
/// Added to a word's text weight where it is in bold.
pub const STRESSED_WEIGHT: u32 = 2;
pub const TEXT_WEIGHT: u32 = 1;

impl Terms {
    /// The terms of fields `(weight, text)`.
    pub fn of<'t>(
        analyzer: &mut Analyzer,
        fields: impl IntoIterator<Item = (u32, &'t str)>,
    ) -> Terms {
        // By stem number: a word with that stem, and its weighted count.
        let mut stems: FxHashMap<u32, (Word, u32)> = FxHashMap::default();
        let mut forms: FxHashMap<u32, u32> = FxHashMap::default();
        let mut length = 0u32;
        for (weight, text) in fields {
            analyzer.words(text, |word| {
                length = length.saturating_add(weight);
                stems.entry(word.stem).or_insert((word, 0)).1 += weight;
                forms.entry(word.form).or_insert(word.stem);
            });
        }
        let mut stems: Vec<(Arc<str>, u16)> = stems
            .into_values()
            .map(|(word, count)| {
                let count = count.min(u32::from(u16::MAX)) as u16;
                (analyzer.stem(word).clone(), count)
            })
            .collect();
        stems.sort_unstable();
        let mut forms: Vec<(Arc<str>, Arc<str>)> = forms
            .into_iter()
            .map(|(form, stem)| {
                let word = Word { form, stem };
                (analyzer.form(word).clone(), analyzer.stem(word).clone())
            })
            .collect();
        forms.sort_unstable();
        Terms {
            length,
            stems,
            forms,
            kind: 'p',
            owner: None,
        }
    }
}

/// What a result shows: where it links (from the site's root), its title, the section it is in,
/// its kind (`p` page, `f` fact, `c` a checker's criterion, `o` an outcome) and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub url: String,
    pub title: String,
    pub section: String,
    pub kind: char,
    pub text: String,
}

/// The most text a result keeps to cut its snippet from.
const SHOWN_TEXT_CHARS: usize = 20_000;

impl Shown {
    /// Its file's text: one call to `__guideSearch`.
    pub fn fragment(&self, name: &str) -> String {
        let text = match self.text.char_indices().nth(SHOWN_TEXT_CHARS) {
            Some((at, _)) => &self.text[..at],
            None => &self.text,
        };
        #[derive(serde::Serialize)]
        struct Fragment<'a> {
            k: char,
            s: &'a str,
            t: &'a str,
            u: &'a str,
            x: &'a str,
        }
        let data = Fragment {
            k: self.kind,
            s: &self.section,
            t: &self.title,
            u: &self.url,
            x: text,
        };
        let data = serde_json::to_string(&data).unwrap_or_else(|_| "{}".into());
        format!("__guideSearch({},{data});\n", json!(name))
    }
}

pub fn script(name: &str, data: &serde_json::Value) -> String {
    format!("__guideSearch({},{});\n", json!(name), data)
}

/// The alphabet of the manifest's length buckets, one character per document.
const BUCKETS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
/// Each bucket is this much longer than the one before.
pub const BUCKET_GROWTH: f64 = 1.2;

/// The bucket of a document `length` words long: `round(log_growth(length + 1))`.
pub fn length_bucket(length: u32) -> u8 {
    let bucket = (f64::from(length) + 1.0).ln() / BUCKET_GROWTH.ln();
    bucket.round().clamp(0.0, 63.0) as u8
}

/// The length a bucket stands for, as the browser reads it back.
pub fn bucket_length(bucket: u8) -> f64 {
    BUCKET_GROWTH.powi(i32::from(bucket)) - 1.0
}

/// The first two characters of a form: its shard.
pub fn prefix(form: &str) -> &str {
    match form.char_indices().nth(2) {
        Some((at, _)) => &form[..at],
        None => form,
    }
}

/// One language's manifest and shards, as (name under `search/LANG/`, text), from its
/// documents' terms by id (`None` for a document left out).
pub fn files(language: &str, documents: &[Option<&Terms>]) -> Vec<(String, String)> {
    // Hashed while every document's words are added (millions of them on a large site);
    // sorted once, by shard, to write.
    let mut postings: FxHashMap<&str, Vec<(u32, u16)>> = FxHashMap::default();
    // Each form's stem: the first by sort order when documents stem one form two ways.
    let mut forms: FxHashMap<&str, &str> = FxHashMap::default();
    let mut lengths = String::with_capacity(documents.len());
    let mut kinds = String::with_capacity(documents.len());
    let mut owners = serde_json::Map::new();
    let mut total_length = 0f64;
    for (id, terms) in documents.iter().enumerate() {
        let Some(terms) = terms else {
            lengths.push('0');
            kinds.push('-');
            continue;
        };
        kinds.push(terms.kind);
        if let Some(owner) = terms.owner {
            owners.insert(id.to_string(), json!(owner));
        }
        let bucket = length_bucket(terms.length);
        lengths.push(char::from(BUCKETS[usize::from(bucket)]));
        total_length += bucket_length(bucket);
        for (stem, count) in &terms.stems {
            postings.entry(stem).or_default().push((id as u32, *count));
        }
        for (form, stem) in &terms.forms {
            forms
                .entry(form)
                .and_modify(|known| *known = (*known).min(stem))
                .or_insert(stem);
        }
    }
    let mut shards: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (form, stem) in forms {
        shards.entry(prefix(form)).or_default().push((form, stem));
    }
    for shard_forms in shards.values_mut() {
        shard_forms.sort_unstable();
    }
    let mut files = Vec::with_capacity(shards.len() + 1);
    let mut hashes = serde_json::Map::new();
    for (prefix, shard_forms) in shards {
        let mut stems: BTreeMap<&str, serde_json::Value> = BTreeMap::new();
        let mut renamed = serde_json::Map::new();
        for (form, stem) in shard_forms {
            if form != stem {
                renamed.insert(form.to_string(), json!(stem));
            }
            stems.entry(stem).or_insert_with(|| {
                let mut gaps = Vec::new();
                let mut last = 0u32;
                for &(id, count) in &postings[stem] {
                    gaps.push(id - last);
                    gaps.push(u32::from(count));
                    last = id;
                }
                json!(gaps)
            });
        }
        let data = json!({ "w": stems, "f": renamed });
        // The name is the hash of what the shard holds, so the file's bytes, name included,
        // change only when its content does.
        let hash = format!(
            "{:012x}",
            xxhash_rust::xxh3::xxh3_64(data.to_string().as_bytes()) >> 16
        );
        let name = format!("{language}/{hash}");
        hashes.insert(prefix.to_string(), json!(hash));
        files.push((format!("{hash}.js"), script(&name, &data)));
    }
    let count = documents.iter().filter(|terms| terms.is_some()).count();
    let average = if count == 0 {
        1.0
    } else {
        (total_length / count as f64).max(1.0)
    };
    let manifest = json!({
        "n": count,
        "a": (average * 10.0).round() / 10.0,
        "g": BUCKET_GROWTH,
        "l": lengths,
        "k": kinds,
        "o": owners,
        "s": hashes,
    });
    files.push((
        MANIFEST.to_string(),
        script(&format!("{language}/manifest"), &manifest),
    ));
    files
}

pub const MANIFEST: &str = "manifest.js";

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(language: &str, title: &str, text: &str) -> Terms {
        let mut analyzer = Analyzer::for_language(language);
        Terms::of(&mut analyzer, [(TITLE_WEIGHT, title), (TEXT_WEIGHT, text)])
    }

    #[test]
    fn words_count_by_their_field_weight() {
        let found = terms("en", "The cap", "The cap was reached.");
        let count = |stem: &str| {
            found
                .stems
                .iter()
                .find(|(s, _)| &**s == stem)
                .map(|(_, c)| *c)
        };
        assert_eq!(count("cap"), Some(7));
        assert_eq!(count("reach"), Some(1));
        assert_eq!(found.length, 2 * 6 + 4);
        assert!(found
            .forms
            .iter()
            .any(|(form, stem)| &**form == "reached" && &**stem == "reach"));
    }

    #[test]
    fn buckets_round_trip_within_a_tenth() {
        for length in [1u32, 10, 150, 2_000, 40_000] {
            let back = bucket_length(length_bucket(length));
            assert!(
                (back - f64::from(length)).abs() / f64::from(length) < 0.11,
                "{length}"
            );
        }
    }

    fn shard_of<'f>(files: &'f [(String, String)], form: &str) -> &'f str {
        let manifest = &files.last().unwrap().1;
        let hash_at = manifest.find(&format!("\"{}\":\"", prefix(form))).unwrap();
        let hash = &manifest[hash_at + 6..hash_at + 18];
        &files
            .iter()
            .find(|(name, _)| name == &format!("{hash}.js"))
            .unwrap()
            .1
    }

    #[test]
    fn a_shard_holds_its_forms_stems_and_postings() {
        let cap = terms("en", "Cap", "The cap was reached in days.");
        let family = terms("en", "Family", "Spouses and children were capped.");
        let files = files("en", &[Some(&cap), None, Some(&family)]);
        let shard = shard_of(&files, "capped");
        assert!(shard.starts_with("__guideSearch(\"en/"));
        // `capped` is filed under its stem, whose postings are documents 0 and 2 (a gap of 2).
        assert!(shard.contains("\"capped\":\"cap\""), "{shard}");
        assert!(shard.contains("\"cap\":[0,7,2,1]"), "{shard}");
        let manifest = &files.last().unwrap().1;
        assert!(manifest.starts_with("__guideSearch(\"en/manifest\""));
        assert!(manifest.contains("\"n\":2"));
    }

    #[test]
    fn a_shard_changes_only_when_its_words_do() {
        let cap = terms("en", "Cap", "The cap was reached.");
        let family = terms("en", "Family", "Spouses qualify.");
        let edited = terms("en", "Family", "Spouses qualify, and children.");
        let before = files("en", &[Some(&cap), Some(&family)]);
        let after = files("en", &[Some(&cap), Some(&edited)]);
        let cap_shard = |files: &[(String, String)]| shard_of(files, "cap").to_string();
        assert_eq!(cap_shard(&before), cap_shard(&after));
        assert!(!before.last().unwrap().1.contains("\"ch\":"));
        assert!(shard_of(&after, "children").contains("\"children\":["));
        assert_ne!(before.last(), after.last());
        // The shards of the words both versions hold with the same counts are the same files.
        let names = |files: &[(String, String)]| -> Vec<String> {
            files.iter().map(|(name, _)| name.clone()).collect()
        };
        let kept = names(&before)
            .into_iter()
            .filter(|name| names(&after).contains(name))
            .count();
        assert_eq!(
            kept,
            before.len(),
            "new words get new shards; the others are kept"
        );
        // Counting a word differently changes its shard, and only its shard.
        let recounted = terms("en", "Family", "Spouses qualify, and qualify.");
        let third = files("en", &[Some(&cap), Some(&recounted)]);
        assert_ne!(shard_of(&before, "qualify"), shard_of(&third, "qualify"));
        assert_eq!(shard_of(&before, "spouses"), shard_of(&third, "spouses"));
    }
}
