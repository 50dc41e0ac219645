//! The index of one language, as files the browser loads with classic `<script>` elements.
//!
//! - `search/LANG/manifest.js`, under a stable name: how many documents, each one's length (one
//!   character per document, a length bucket), their average, the content-hashed rows files
//!   and the content-hashed shard for each two-character prefix of a word's form.
//! - `search/LANG/HASH.js`, one rows file per [`ROWS_PER_FILE`] documents by id: each one's row
//!   in a result list (title, URL, section). The manifest and its rows files are loaded when a
//!   search field is focused, so a list of results needs no other file than its words' shards.
//! - `search/LANG/HASH.js`, one shard per prefix: the forms starting with it, each with its stem
//!   when they differ, and each of their stems' postings (document ids as gaps, each with the
//!   term's weighted count), written as a string of [`DIGITS`]. A shard's bytes depend only on the documents holding its words, so
//!   editing a page rewrites only the shards of the words that page gains, loses or counts
//!   differently, the rows file of a page whose row changed, and the manifest.
//! - `search/LANG/f/ID.js`, one per document: its text, loaded only for the results shown, to
//!   cut their snippets from.
//!
//! Each file is one call, `__guideSearch(name, data)`, which `search.js` answers. Scoring
//! (BM25) is done in the browser from these counts, so no file depends on every document.

use std::collections::BTreeMap;
use std::ops::Range;

use rayon::prelude::*;
use serde_json::json;

use super::words::{self, Analyzer, Word};

/// A document's weighted word counts, and the forms its words take, by their numbers in its
/// language's [`words::Vocabulary`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Terms {
    /// Words, each counted by its field's weight.
    pub length: u32,
    /// (stem, weighted count), sorted by stem number.
    pub stems: Vec<(u32, u16)>,
    /// The words whose forms the document holds, one per form, sorted by form number.
    pub forms: Vec<Word>,
    /// What the document is, as [`Shown::kind`] says.
    pub kind: char,
    /// For a fact or a checker's text, the id of the page it links to: a result list shows
    /// one result per page.
    pub owner: Option<u32>,
    /// What its result's row shows, written into a rows file loaded with the manifest, so that a
    /// result list is shown as soon as it is ranked (its snippet follows, from its result file).
    pub row: Row,
}

/// A result's row: where it links (from the site's root), its title and its section's.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    pub url: String,
    pub title: String,
    pub section: String,
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
        // Counted into the analyzer's arrays by number, then read back and cleared: no map,
        // no string compared.
        let mut scratch = std::mem::take(&mut analyzer.scratch);
        let mut length = 0u32;
        for (weight, text) in fields {
            analyzer.words(text, |word| {
                length = length.saturating_add(weight);
                let stem = word.stem as usize;
                if stem >= scratch.counts.len() {
                    scratch.counts.resize(stem + 1, 0);
                }
                if scratch.counts[stem] == 0 {
                    scratch.stems.push(word.stem);
                }
                // Weights are at least 1: a stem counted is never back at 0.
                scratch.counts[stem] = scratch.counts[stem].saturating_add(weight.max(1));
                let form = word.form as usize;
                if form >= scratch.form_seen.len() {
                    scratch.form_seen.resize(form + 1, false);
                }
                if !scratch.form_seen[form] {
                    scratch.form_seen[form] = true;
                    scratch.forms.push(word);
                }
            });
        }
        scratch.stems.sort_unstable();
        let stems = scratch
            .stems
            .drain(..)
            .map(|stem| {
                let count = std::mem::take(&mut scratch.counts[stem as usize]);
                (stem, count.min(u32::from(u16::MAX)) as u16)
            })
            .collect();
        scratch.forms.sort_unstable();
        let forms: Vec<Word> = scratch.forms.drain(..).collect();
        for word in &forms {
            scratch.form_seen[word.form as usize] = false;
        }
        analyzer.scratch = scratch;
        Terms {
            length,
            stems,
            forms,
            kind: 'p',
            owner: None,
            row: Row::default(),
        }
    }
}

/// A fact's or a checker text's document: its row, its kind (`f` fact, `c` a checker's
/// criterion, `o` an outcome; a page is `p`) and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub row: Row,
    pub kind: char,
    pub text: String,
}

/// The most text a result keeps to cut its snippet from.
const SHOWN_TEXT_CHARS: usize = 20_000;

/// A result file's text: a document's `text`, to cut its snippet from, as one call to
/// `__guideSearch` under `name`.
pub fn fragment(name: &str, text: &str) -> String {
    let text = match text.char_indices().nth(SHOWN_TEXT_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    };
    #[derive(serde::Serialize)]
    struct Fragment<'a> {
        x: &'a str,
    }
    let data = serde_json::to_string(&Fragment { x: text }).unwrap_or_else(|_| "{}".into());
    format!("__guideSearch({},{data});\n", json!(name))
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

/// [`bucket_length`] of each bucket, worked out once.
static BUCKET_LENGTHS: std::sync::LazyLock<[f64; 64]> =
    std::sync::LazyLock::new(|| std::array::from_fn(|bucket| bucket_length(bucket as u8)));

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
    // Held only while the documents' numbers are read and the names they use copied out: the
    // shards are then written in parallel on the render threads, which may meanwhile take up
    // another build's pages and need the vocabulary themselves.
    let names = words::vocabulary(language).names();
    // By stem number: (document id, weighted count), in id order.
    let mut postings: Vec<Vec<(u32, u16)>> = vec![Vec::new(); names.stem_count()];
    // By form number: its stem, the first by name when documents stem one form two ways.
    let mut form_stems: Vec<Option<u32>> = vec![None; names.form_count()];
    for (id, terms) in documents.iter().enumerate() {
        let Some(terms) = terms else { continue };
        for &(stem, count) in &terms.stems {
            postings[stem as usize].push((id as u32, count));
        }
        for word in &terms.forms {
            let known = &mut form_stems[word.form as usize];
            match known {
                Some(stem) if *stem == word.stem => {}
                Some(stem) if names.stem(*stem) <= names.stem(word.stem) => {}
                _ => *known = Some(word.stem),
            }
        }
    }
    // Each shard's forms, and the stems they have, by name.
    let mut shards: BTreeMap<Box<str>, Vec<ShardForm>> = BTreeMap::new();
    for (form, stem) in form_stems.iter().enumerate() {
        if let Some(stem) = *stem {
            let form = names.form(form as u32);
            shards.entry(prefix(form).into()).or_default().push((
                form.into(),
                names.stem(stem).into(),
                stem,
            ));
        }
    }
    drop(names);
    let shards: Vec<(Box<str>, Vec<ShardForm>)> = shards.into_iter().collect();
    // Each shard is written on its own: hundreds of them on a large site.
    let written: Vec<(Box<str>, String, String)> = shards
        .into_par_iter()
        .map(|(prefix, shard_forms)| {
            let (hash, file) = shard_file(language, shard_forms, &postings);
            (prefix, hash, file)
        })
        .collect();
    let mut files = Vec::with_capacity(written.len() + 1);
    let mut hashes = BTreeMap::new();
    for (prefix, hash, file) in written {
        files.push((format!("{hash}.js"), file));
        hashes.insert(prefix, hash);
    }
    files.extend(manifest_files(language, documents, &hashes));
    files
}

/// A shard's content hash and file, from its forms (in any order) and every stem's postings.
fn shard_file<S: AsRef<str>>(
    language: &str,
    mut shard_forms: Vec<(S, S, u32)>,
    postings: &[Vec<(u32, u16)>],
) -> (String, String) {
    // Forms given in order (as a live index keeps them) are only checked, not sorted again.
    shard_forms.sort_unstable_by(|a, b| a.0.as_ref().cmp(b.0.as_ref()));
    hashed_script(language, &shard_data(&shard_forms, postings))
}

/// A content-hashed index file holding `data` (JSON): its hash, which names it, and its text.
/// The name is the hash of what the file holds, so its bytes, name included, change only when
/// its content does.
fn hashed_script(language: &str, data: &str) -> (String, String) {
    let hash = format!("{:012x}", xxhash_rust::xxh3::xxh3_64(data.as_bytes()) >> 16);
    let mut file = String::with_capacity(data.len() + language.len() + 40);
    file.push_str("__guideSearch(");
    push_json(&mut file, format!("{language}/{hash}").as_str());
    file.push(',');
    file.push_str(data);
    file.push_str(");\n");
    (hash, file)
}

/// What the manifest and its rows file say of one document: its row's start (`head`: where, in
/// the text of every document's heads, its title and URL are as JSON, `[title,url,`, the
/// section's number to follow), its section (a number standing for its name), kind, length
/// bucket and owner. Heads are kept one after another rather than each in a string of its own:
/// a rows file copies them in document order, from one run of memory.
struct ManifestEntry {
    head: Range<usize>,
    section: u32,
    kind: char,
    /// Its length's bucket: see [`length_bucket`].
    bucket: u8,
    owner: Option<u32>,
}

/// Appends a row's start to `heads`: `[`, its title and its URL as JSON, each followed by a
/// comma. Returns where it is.
fn push_row_head(heads: &mut String, row: &Row) -> Range<usize> {
    let start = heads.len();
    heads.push('[');
    push_json(heads, row.title.as_str());
    heads.push(',');
    push_json(heads, row.url.as_str());
    heads.push(',');
    start..heads.len()
}

/// Appends `value` as compact JSON.
fn push_json<T: serde::Serialize + ?Sized>(out: &mut String, value: &T) {
    // Serializing fails only for a value JSON can't hold (a map with non-string keys), which
    // none here is.
    out.push_str(&serde_json::to_string(value).unwrap_or_default());
}

/// Section names, each numbered once, in the order they are first met.
#[derive(Default)]
struct SectionNames {
    numbers: rustc_hash::FxHashMap<Box<str>, u32>,
    names: Vec<Box<str>>,
}

impl SectionNames {
    /// Looked up first, so a name is copied only for a new section.
    fn number(&mut self, name: &str) -> u32 {
        if let Some(&number) = self.numbers.get(name) {
            return number;
        }
        let number = self.names.len() as u32;
        self.names.push(name.into());
        self.numbers.insert(name.into(), number);
        number
    }
}

/// How many documents' rows each rows file holds, by id: an edit in `guide serve` rewrites the
/// manifest and one rows file, not a row for every document.
pub const ROWS_PER_FILE: usize = 4096;

/// The manifest and the rows files of `documents`, whose shards are named by `hashes` (by
/// prefix), as (name, text).
fn manifest_files(
    language: &str,
    documents: &[Option<&Terms>],
    hashes: &BTreeMap<Box<str>, String>,
) -> Vec<(String, String)> {
    let mut sections = SectionNames::default();
    let mut heads = String::new();
    let entries: Vec<Option<ManifestEntry>> = documents
        .iter()
        .map(|terms| {
            let terms = (*terms)?;
            Some(ManifestEntry {
                head: push_row_head(&mut heads, &terms.row),
                section: sections.number(terms.row.section.as_str()),
                kind: terms.kind,
                bucket: length_bucket(terms.length),
                owner: terms.owner,
            })
        })
        .collect();
    let summary = Summary::of(&entries, &sections.names);
    let mut files = Vec::new();
    let mut row_hashes = Vec::with_capacity(entries.len().div_ceil(ROWS_PER_FILE));
    for rows in entries.chunks(ROWS_PER_FILE) {
        let (hash, file) = rows_file(language, rows, &heads, &summary.numbers);
        // Two files of equal rows (all left out, say) are one file.
        if !row_hashes.contains(&hash) {
            files.push((format!("{hash}.js"), file));
        }
        row_hashes.push(hash);
    }
    files.push((
        MANIFEST.to_string(),
        summary.manifest(language, &row_hashes, hashes),
    ));
    files
}

/// What the manifest says of documents besides their rows, and each section's number in it.
/// Sections are numbered in the order documents first name them.
struct Summary<'s> {
    lengths: String,
    kinds: String,
    /// Keyed by the id as a string, and sorted so, as a JSON object's keys are.
    owners: Vec<(String, u32)>,
    /// By section: its number in the manifest (u32::MAX: named by no document).
    numbers: Vec<u32>,
    /// The sections in the manifest's order.
    sections: Vec<&'s str>,
    average: f64,
    count: usize,
}

impl<'s> Summary<'s> {
    /// The summary of documents' `entries`, their sections named by `section_names`.
    fn of(entries: &[Option<ManifestEntry>], section_names: &'s [Box<str>]) -> Self {
        let mut lengths = String::with_capacity(entries.len());
        let mut kinds = String::with_capacity(entries.len());
        let mut owners: Vec<(String, u32)> = Vec::new();
        let mut numbers = vec![u32::MAX; section_names.len()];
        let mut sections: Vec<&str> = Vec::new();
        let mut total_length = 0f64;
        let mut count = 0usize;
        for (id, entry) in entries.iter().enumerate() {
            let Some(entry) = entry else {
                lengths.push('0');
                kinds.push('-');
                continue;
            };
            count += 1;
            let number = &mut numbers[entry.section as usize];
            if *number == u32::MAX {
                *number = sections.len() as u32;
                sections.push(&section_names[entry.section as usize]);
            }
            kinds.push(entry.kind);
            if let Some(owner) = entry.owner {
                owners.push((id.to_string(), owner));
            }
            lengths.push(char::from(BUCKETS[usize::from(entry.bucket)]));
            total_length += BUCKET_LENGTHS[usize::from(entry.bucket)];
        }
        owners.sort_unstable();
        let average = if count == 0 {
            1.0
        } else {
            (total_length / count as f64).max(1.0)
        };
        Summary {
            lengths,
            kinds,
            owners,
            numbers,
            sections,
            average,
            count,
        }
    }

    /// The manifest: the JSON object `{"a","e","g","k","l","n","o","r","s"}` (keys in that
    /// order, as `serde_json` sorts them), naming its rows files (`row_hashes`, in id order)
    /// and its shards (`hashes`, by prefix).
    fn manifest(
        &self,
        language: &str,
        row_hashes: &[String],
        hashes: &BTreeMap<Box<str>, String>,
    ) -> String {
        let mut out = String::with_capacity(self.kinds.len() * 2 + hashes.len() * 24 + 4096);
        out.push_str("__guideSearch(");
        push_json(&mut out, format!("{language}/manifest").as_str());
        out.push_str(",{\"a\":");
        push_json(&mut out, &((self.average * 10.0).round() / 10.0));
        out.push_str(",\"e\":");
        push_json(&mut out, &self.sections);
        out.push_str(",\"g\":");
        push_json(&mut out, &BUCKET_GROWTH);
        out.push_str(",\"k\":");
        push_json(&mut out, self.kinds.as_str());
        out.push_str(",\"l\":");
        push_json(&mut out, self.lengths.as_str());
        out.push_str(",\"n\":");
        push_json(&mut out, &self.count);
        out.push_str(",\"o\":{");
        for (at, (id, owner)) in self.owners.iter().enumerate() {
            if at > 0 {
                out.push(',');
            }
            push_json(&mut out, id.as_str());
            out.push(':');
            push_json(&mut out, owner);
        }
        out.push_str("},\"r\":");
        push_json(&mut out, row_hashes);
        out.push_str(",\"s\":");
        push_json(&mut out, hashes);
        out.push_str("});\n");
        out
    }
}

/// A rows file's content hash and file: each of `entries`' rows as `[title, url, section
/// number]` (`null` for a document left out), their heads in `heads`, their sections numbered
/// by `numbers`. Named by its hash, as shards are, so an unchanged file keeps its name and
/// bytes.
fn rows_file(
    language: &str,
    entries: &[Option<ManifestEntry>],
    heads: &str,
    numbers: &[u32],
) -> (String, String) {
    let length: usize = entries
        .iter()
        .map(|entry| entry.as_ref().map_or(5, |entry| entry.head.len() + 12))
        .sum();
    let mut data = String::with_capacity(length + 2);
    data.push('[');
    let mut digits = itoa::Buffer::new();
    for (at, entry) in entries.iter().enumerate() {
        if at > 0 {
            data.push(',');
        }
        match entry {
            Some(entry) => {
                data.push_str(&heads[entry.head.clone()]);
                data.push_str(digits.format(numbers[entry.section as usize]));
                data.push(']');
            }
            None => data.push_str("null"),
        }
    }
    data.push(']');
    hashed_script(language, &data)
}

/// One language's index kept current as documents change (for `guide serve`): what
/// [`files`] works out from every document each time, kept, so that a changed document
/// rewrites only the shards of the words it gains, loses or counts differently, and the
/// manifest. Its files are those [`files`] writes for the same documents.
#[derive(Default)]
pub struct LiveIndex {
    language: String,
    /// By stem number: (document id, weighted count), in id order.
    postings: Vec<Vec<(u32, u16)>>,
    /// By form number: each stem documents give it, with how many documents do.
    form_stems: Vec<Vec<(u32, u32)>>,
    /// By form number: the stem it is listed with, the first by name of `form_stems`.
    listed: Vec<Option<u32>>,
    /// By stem number: the forms listed with it.
    forms_of_stem: Vec<Vec<u32>>,
    /// By prefix: the forms listed in its shard, and the shard's hash as last written.
    shards: BTreeMap<Box<str>, (ShardForms, String)>,
    changed_stems: std::collections::BTreeSet<u32>,
    changed_forms: std::collections::BTreeSet<u32>,
    /// By document id: what the manifest says of it, as last told, so that an edit writes the
    /// manifest from every other document's entry without working it out again.
    entries: Vec<Option<ManifestEntry>>,
    /// Every section name documents were told with, by number.
    sections: SectionNames,
    /// Whether a document was replaced since the files were last written: if not, they are
    /// the same, and none is written again.
    replaced: bool,
    /// Every entry's head, one after another: a rows file copies them in document order, and
    /// copying from one run of memory rather than from a separate allocation per document is
    /// most of what makes that fast on a large site. A replaced document's new head is added
    /// at the end (unless it is the same); when the heads no longer used are as long as those
    /// used, they are dropped.
    heads: String,
    /// How much of `heads` is the heads of current entries.
    heads_used: usize,
    /// By rows file (each [`ROWS_PER_FILE`] documents), its hash as last written.
    row_hashes: Vec<String>,
    /// The rows files holding a document replaced since they were last written.
    dirty_rows: std::collections::BTreeSet<usize>,
    /// The section numbers and the count of documents the rows files were last written with.
    row_numbers: Vec<u32>,
    rows_count: usize,
}

/// A shard's forms: each form's number, by its name.
type ShardForms = BTreeMap<Box<str>, u32>;

/// What a [`LiveIndex`] update writes: the changed shards and rows files and the manifest, and
/// the names of the shards and rows files it no longer writes.
pub struct LiveFiles {
    pub files: Vec<(String, String)>,
    pub gone: Vec<String>,
}

impl LiveIndex {
    /// The index of `documents`, and its files.
    pub fn new(language: &str, documents: &[Option<&Terms>]) -> (LiveIndex, LiveFiles) {
        let mut index = LiveIndex {
            language: language.to_string(),
            // Its first files are written even with no document.
            replaced: true,
            ..LiveIndex::default()
        };
        for (id, terms) in documents.iter().enumerate() {
            index.change(id as u32, None, *terms, false);
        }
        // Every stem and form is new: marked changed at once, in order, rather than one
        // ordered-set insertion for each of a document's words (a second of a 100,000-page
        // server's start).
        index.changed_stems = (0..index.postings.len() as u32)
            .filter(|&stem| !index.postings[stem as usize].is_empty())
            .collect();
        index.changed_forms = (0..index.form_stems.len() as u32)
            .filter(|&form| !index.form_stems[form as usize].is_empty())
            .collect();
        let files = index.files(documents.len());
        (index, files)
    }

    /// Document `id` was `old` and is now `new`.
    pub fn replace(&mut self, id: u32, old: Option<&Terms>, new: Option<&Terms>) {
        self.change(id, old, new, true);
    }

    /// [`LiveIndex::replace`]; `mark` says whether to note the stems and forms it changes (the
    /// first index marks them all at the end).
    fn change(&mut self, id: u32, old: Option<&Terms>, new: Option<&Terms>, mark: bool) {
        self.replaced = true;
        let at = id as usize;
        if at >= self.entries.len() {
            self.entries.resize_with(at + 1, || None);
        }
        let was = self.entries[at].take();
        let entry = new.map(|terms| {
            let head = push_row_head(&mut self.heads, &terms.row);
            let section = self.sections.number(terms.row.section.as_str());
            // The same row as before (an edit of a page's body): its head is kept where it
            // was, and the copy just added taken off again.
            let kept = was.as_ref().filter(|was| {
                was.section == section && self.heads[was.head.clone()] == self.heads[head.clone()]
            });
            let head = match kept {
                Some(was) => {
                    self.heads.truncate(head.start);
                    was.head.clone()
                }
                None => head,
            };
            ManifestEntry {
                // Where its head is in `heads`.
                head,
                section,
                kind: terms.kind,
                bucket: length_bucket(terms.length),
                owner: terms.owner,
            }
        });
        let same_row = match (&was, &entry) {
            (Some(was), Some(entry)) => was.head == entry.head,
            (None, None) => true,
            _ => false,
        };
        if !same_row {
            // Its rows file changes.
            self.dirty_rows.insert(at / ROWS_PER_FILE);
            if let Some(was) = &was {
                self.heads_used -= was.head.len();
            }
            if let Some(entry) = &entry {
                self.heads_used += entry.head.len();
            }
        }
        self.entries[at] = entry;
        if self.heads.len() > 2 * self.heads_used + 4096 {
            self.compact_heads();
        }
        let empty = Terms::default();
        let old = old.unwrap_or(&empty);
        let new = new.unwrap_or(&empty);
        for (stem, counts) in merge_by_key(&old.stems, &new.stems, |&(stem, _)| stem) {
            let (old_count, new_count) = (counts.0.map(|s| s.1), counts.1.map(|s| s.1));
            if old_count == new_count {
                continue;
            }
            let stem = stem as usize;
            if stem >= self.postings.len() {
                self.postings.resize_with(stem + 1, Vec::new);
            }
            let postings = &mut self.postings[stem];
            let at = postings.binary_search_by_key(&id, |&(doc, _)| doc);
            match (at, new_count) {
                (Ok(at), Some(count)) => postings[at].1 = count,
                (Ok(at), None) => {
                    postings.remove(at);
                }
                (Err(at), Some(count)) => postings.insert(at, (id, count)),
                (Err(_), None) => {}
            }
            if mark {
                self.changed_stems.insert(stem as u32);
            }
        }
        let word_key = |word: &Word| (word.form, word.stem);
        for ((form, stem), words) in merge_by_key(&old.forms, &new.forms, word_key) {
            let change: i64 = match words {
                (Some(_), None) => -1,
                (None, Some(_)) => 1,
                _ => continue,
            };
            let form_index = form as usize;
            if form_index >= self.form_stems.len() {
                self.form_stems.resize_with(form_index + 1, Vec::new);
            }
            let stems = &mut self.form_stems[form_index];
            match stems.iter().position(|&(known, _)| known == stem) {
                Some(at) => {
                    let count = i64::from(stems[at].1) + change;
                    if count <= 0 {
                        stems.swap_remove(at);
                    } else {
                        stems[at].1 = count as u32;
                    }
                }
                None if change > 0 => stems.push((stem, 1)),
                None => {}
            }
            if mark {
                self.changed_forms.insert(form);
            }
        }
    }

    /// The files changed since the last call, for the first `count` documents (ids `0..count`)
    /// as the index was told of them.
    pub fn files(&mut self, count: usize) -> LiveFiles {
        if !std::mem::take(&mut self.replaced) {
            return LiveFiles {
                files: Vec::new(),
                gone: Vec::new(),
            };
        }
        let names = words::vocabulary(&self.language).names();
        self.listed.resize(names.form_count(), None);
        self.forms_of_stem.resize_with(names.stem_count(), Vec::new);
        self.postings.resize_with(names.stem_count(), Vec::new);
        let mut changed_shards: std::collections::BTreeSet<Box<str>> = Default::default();
        for form in std::mem::take(&mut self.changed_forms) {
            let listed = self.form_stems[form as usize]
                .iter()
                .map(|&(stem, _)| stem)
                .min_by(|&a, &b| names.stem(a).cmp(names.stem(b)).then(a.cmp(&b)));
            let was = std::mem::replace(&mut self.listed[form as usize], listed);
            if was == listed {
                continue;
            }
            let prefix: Box<str> = prefix(names.form(form)).into();
            if let Some(stem) = was {
                self.forms_of_stem[stem as usize].retain(|&known| known != form);
            }
            let shard = self.shards.entry(prefix.clone()).or_default();
            match listed {
                Some(stem) => {
                    self.forms_of_stem[stem as usize].push(form);
                    shard.0.insert(names.form(form).into(), form);
                }
                None => {
                    shard.0.remove(names.form(form));
                }
            }
            changed_shards.insert(prefix);
        }
        for stem in std::mem::take(&mut self.changed_stems) {
            for &form in &self.forms_of_stem[stem as usize] {
                changed_shards.insert(prefix(names.form(form)).into());
            }
        }
        let mut files = Vec::with_capacity(changed_shards.len() + 1);
        let mut gone = Vec::new();
        for prefix in changed_shards {
            let Some((forms, hash)) = self.shards.get_mut(&prefix) else {
                continue;
            };
            let old_hash = std::mem::take(hash);
            if forms.is_empty() {
                self.shards.remove(&prefix);
            } else {
                let shard_forms: Vec<(&str, &str, u32)> = forms
                    .iter()
                    .filter_map(|(name, &form)| {
                        let stem = self.listed[form as usize]?;
                        Some((&**name, names.stem(stem), stem))
                    })
                    .collect();
                let (new_hash, file) = shard_file(&self.language, shard_forms, &self.postings);
                if new_hash != old_hash {
                    files.push((format!("{new_hash}.js"), file));
                }
                *hash = new_hash;
            }
            if !old_hash.is_empty() && self.shards.get(&prefix).map(|s| &s.1) != Some(&old_hash) {
                gone.push(format!("{old_hash}.js"));
            }
        }
        drop(names);
        let hashes: BTreeMap<Box<str>, String> = self
            .shards
            .iter()
            .map(|(prefix, (_, hash))| (prefix.clone(), hash.clone()))
            .collect();
        // Told of every document as it changed, the index writes the manifest from its own
        // entries: documents past the `count` now listed were each replaced by none.
        if self.entries.len() < count {
            self.entries.resize_with(count, || None);
        }
        let (listed, past) = self.entries.split_at(count);
        debug_assert!(
            past.iter().all(Option::is_none),
            "a document past {count} is listed"
        );
        let summary = Summary::of(listed, &self.sections.names);
        // The rows files to write again: those holding a replaced document, those past the
        // end of the last list, and, when a section named before and now is numbered
        // differently, all. (A section named only now or only before is named by replaced
        // documents alone, whose files are already to be written.)
        let files_now = count.div_ceil(ROWS_PER_FILE);
        let mut rewrite = std::mem::take(&mut self.dirty_rows);
        if numbers_moved(&self.row_numbers, &summary.numbers) {
            rewrite.extend(0..files_now);
        }
        if count != self.rows_count {
            let kept = count.min(self.rows_count);
            rewrite.extend(kept.saturating_sub(1) / ROWS_PER_FILE..files_now);
        }
        let mut dropped: Vec<String> = Vec::new();
        if files_now < self.row_hashes.len() {
            dropped.extend(self.row_hashes.drain(files_now..));
        }
        self.row_hashes.resize(files_now, String::new());
        for at in rewrite.into_iter().filter(|&at| at < files_now) {
            let rows = &listed[at * ROWS_PER_FILE..((at + 1) * ROWS_PER_FILE).min(count)];
            let (hash, file) = rows_file(&self.language, rows, &self.heads, &summary.numbers);
            if hash == self.row_hashes[at] {
                continue;
            }
            let name = format!("{hash}.js");
            if !files.iter().any(|(written, _)| *written == name) {
                files.push((name, file));
            }
            dropped.push(std::mem::replace(&mut self.row_hashes[at], hash));
        }
        for old in dropped {
            // Another rows file may hold the same rows (all left out, say) under that name.
            if !old.is_empty() && !self.row_hashes.contains(&old) {
                gone.push(format!("{old}.js"));
            }
        }
        gone.sort_unstable();
        gone.dedup();
        let manifest = summary.manifest(&self.language, &self.row_hashes, &hashes);
        self.row_numbers = summary.numbers;
        self.rows_count = count;
        files.push((MANIFEST.to_string(), manifest));
        LiveFiles { files, gone }
    }

    /// Writes the current entries' heads again, in document order, without the others.
    fn compact_heads(&mut self) {
        let mut heads = String::with_capacity(self.heads_used);
        for entry in self.entries.iter_mut().flatten() {
            let start = heads.len();
            heads.push_str(&self.heads[entry.head.clone()]);
            entry.head = start..heads.len();
        }
        self.heads = heads;
    }
}

/// Whether a section numbered in the manifest both `before` and `now` (by section: its number,
/// or `u32::MAX` when no document names it; a list shorter than the other names no more) has
/// a different number now.
fn numbers_moved(before: &[u32], now: &[u32]) -> bool {
    before
        .iter()
        .zip(now)
        .any(|(&was, &is)| was != u32::MAX && is != u32::MAX && was != is)
}

/// An item of the old list and of the new one with the same key, either missing.
type Paired<'a, T> = (Option<&'a T>, Option<&'a T>);

/// The keys of two sorted lists, each with its item in either list.
fn merge_by_key<'a, T, K: Ord + Copy>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> Vec<(K, Paired<'a, T>)> {
    let mut merged = Vec::with_capacity(old.len().max(new.len()));
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        let (a, b) = (old.get(i).map(&key), new.get(j).map(&key));
        match (a, b) {
            (Some(a), Some(b)) if a == b => {
                merged.push((a, (Some(&old[i]), Some(&new[j]))));
                i += 1;
                j += 1;
            }
            (Some(a), b) if b.is_none_or(|b| a < b) => {
                merged.push((a, (Some(&old[i]), None)));
                i += 1;
            }
            (_, Some(b)) => {
                merged.push((b, (None, Some(&new[j]))));
                j += 1;
            }
            _ => break,
        }
    }
    merged
}

/// A shard's data as JSON: `{"f":{form:stem},"w":{stem:"postings"}}`, the forms that differ
/// from their stem and the postings of every stem its forms have, each object's keys sorted.
/// A form in a shard: its name, its stem's name and its stem's number.
type ShardForm = (Box<str>, Box<str>, u32);

/// `forms` is sorted by form.
fn shard_data<S: AsRef<str>>(forms: &[(S, S, u32)], postings: &[Vec<(u32, u16)>]) -> String {
    let mut out = String::from("{\"f\":{");
    let mut first = true;
    for (form, stem_name, _) in forms {
        let (form, stem_name) = (form.as_ref(), stem_name.as_ref());
        if form != stem_name {
            if !first {
                out.push(',');
            }
            first = false;
            push_json_string(&mut out, form);
            out.push(':');
            push_json_string(&mut out, stem_name);
        }
    }
    out.push_str("},\"w\":{");
    let mut stems: Vec<(&str, u32)> = forms
        .iter()
        .map(|(_, name, stem)| (name.as_ref(), *stem))
        .collect();
    stems.sort_unstable();
    stems.dedup();
    for (index, &(name, stem)) in stems.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        push_json_string(&mut out, name);
        out.push_str(":\"");
        let mut last = 0u32;
        for &(id, count) in &postings[stem as usize] {
            push_number(&mut out, id - last);
            push_number(&mut out, u32::from(count));
            last = id;
        }
        out.push('"');
    }
    out.push_str("}}");
    out
}

/// The characters numbers are written with in postings: each carries five bits, and the upper
/// half of the alphabet says that more characters follow. None needs escaping in JSON.
pub const DIGITS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends `number` in [`DIGITS`], five bits at a time, lowest first: a document gap of 1 and
/// a count under 32 are one character each. A string is read far faster than an array of
/// numbers by a browser, and `search.js` decodes only the postings of the words typed.
fn push_number(out: &mut String, mut number: u32) {
    while number >= 32 {
        out.push(char::from(DIGITS[32 + (number & 31) as usize]));
        number >>= 5;
    }
    out.push(char::from(DIGITS[number as usize]));
}

/// Postings as [`push_number`] writes them: (gap, count) pairs.
pub fn decode_numbers(text: &str) -> Option<Vec<u32>> {
    let mut numbers = Vec::new();
    let (mut number, mut shift) = (0u32, 0u32);
    for byte in text.bytes() {
        let digit = DIGITS.iter().position(|&d| d == byte)? as u32;
        number |= (digit & 31).checked_shl(shift)?;
        if digit >= 32 {
            shift += 5;
        } else {
            numbers.push(number);
            number = 0;
            shift = 0;
        }
    }
    (shift == 0).then_some(numbers)
}

/// `text` as a JSON string, escaped as `serde_json` escapes it.
fn push_json_string(out: &mut String, text: &str) {
    match serde_json::to_string(text) {
        Ok(quoted) => out.push_str(&quoted),
        Err(_) => out.push_str("\"\""),
    }
}

pub const MANIFEST: &str = "manifest.js";

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(language: &str, title: &str, text: &str) -> Terms {
        let mut analyzer = Analyzer::for_language(language);
        let mut terms = Terms::of(&mut analyzer, [(TITLE_WEIGHT, title), (TEXT_WEIGHT, text)]);
        terms.row = Row {
            url: format!("{}/", title.to_lowercase()),
            title: title.to_string(),
            section: "Stream".to_string(),
        };
        terms
    }

    /// `terms` with its row pointing elsewhere, its words the same.
    fn moved(mut terms: Terms, url: &str, section: &str) -> Terms {
        terms.row.url = url.to_string();
        terms.row.section = section.to_string();
        terms
    }

    #[test]
    fn words_count_by_their_field_weight() {
        let found = terms("en", "The cap", "The cap was reached.");
        let names = words::vocabulary("en").names();
        let count = |stem: &str| {
            found
                .stems
                .iter()
                .find(|(s, _)| names.stem(*s) == stem)
                .map(|(_, c)| *c)
        };
        assert_eq!(count("cap"), Some(7));
        assert_eq!(count("reach"), Some(1));
        assert_eq!(found.length, 2 * 6 + 4);
        assert!(found
            .forms
            .iter()
            .any(|word| names.form(word.form) == "reached" && names.stem(word.stem) == "reach"));
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

    fn data_of(file: &str) -> serde_json::Value {
        let start = file.find(',').unwrap() + 1;
        serde_json::from_str(&file[start..file.rfind(')').unwrap()]).unwrap()
    }

    #[test]
    fn numbers_are_written_five_bits_a_character_and_read_back() {
        let numbers = [0u32, 1, 31, 32, 1_000, 65_535, 1 << 30, u32::MAX];
        let mut text = String::new();
        for number in numbers {
            push_number(&mut text, number);
        }
        assert_eq!(&text[..4], "ABfg", "0, 1 and 31 take one character each");
        assert_eq!(decode_numbers(&text), Some(numbers.to_vec()));
        // A number cut short is not read as another.
        assert_eq!(decode_numbers("g"), None);
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
        let postings = data_of(shard)["w"]["cap"].as_str().unwrap().to_string();
        assert_eq!(decode_numbers(&postings), Some(vec![0, 7, 2, 1]), "{shard}");
        let manifest = &files.last().unwrap().1;
        assert!(manifest.starts_with("__guideSearch(\"en/manifest\""));
        assert!(manifest.contains("\"n\":2"));
    }

    #[test]
    fn the_rows_file_holds_each_result_row_with_sections_named_once_in_the_manifest() {
        let mut cap = terms("en", "Cap", "The cap was reached.");
        cap.row = Row {
            url: "stream/cap/".into(),
            title: "The \"cap\"".into(),
            section: "Stream".into(),
        };
        let mut family = terms("en", "Family", "Spouses qualify.");
        family.row = Row {
            url: "stream/family/".into(),
            title: "Family".into(),
            section: "Stream".into(),
        };
        let mut home = terms("en", "Home", "Welcome.");
        home.row = Row::default();
        let files = files("en", &[Some(&cap), None, Some(&family), Some(&home)]);
        let manifest = &files.last().unwrap().1;
        assert!(manifest.contains(r#""e":["Stream",""]"#), "{manifest}");
        // The manifest names the one rows file, which holds the rows in id order.
        let start = manifest.find(r#""r":[""#).expect("rows files named") + 6;
        let hash = &manifest[start..start + 12];
        let rows = &files
            .iter()
            .find(|(name, _)| *name == format!("{hash}.js"))
            .expect("the rows file")
            .1;
        assert_eq!(
            rows,
            &format!(
                "__guideSearch(\"en/{hash}\",{});\n",
                r#"[["The \"cap\"","stream/cap/",0],null,["Family","stream/family/",0],["","",1]]"#
            )
        );
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
        assert!(shard_of(&after, "children").contains("\"children\":\""));
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

    fn as_refs(documents: &[Option<Terms>]) -> Vec<Option<&Terms>> {
        documents.iter().map(Option::as_ref).collect()
    }

    /// What a live index serves after each update: the files it wrote, less those gone.
    fn served_after(
        served: &mut BTreeMap<String, String>,
        written: LiveFiles,
    ) -> BTreeMap<String, String> {
        for name in written.gone {
            assert!(served.remove(&name).is_some(), "{name} was not served");
        }
        served.extend(written.files);
        served.clone()
    }

    #[test]
    fn a_live_index_serves_the_files_a_full_index_writes_after_every_change() {
        let cap_twice = || terms("en", "Cap", "The cap was reached in days, the cap.");
        let family_grown = || {
            terms(
                "en",
                "Family",
                "Spouses, children and grandparents were capped.",
            )
        };
        let zebra = || terms("en", "Zebra", "Zebras were never capped.");
        let versions = [
            vec![
                Some(terms("en", "Cap", "The cap was reached in days.")),
                Some(terms("en", "Family", "Spouses and children were capped.")),
            ],
            // A page gains words, one of them new to the site.
            vec![
                Some(terms("en", "Cap", "The cap was reached in days.")),
                Some(family_grown()),
            ],
            // A word's count changes; a page is added.
            vec![Some(cap_twice()), Some(family_grown()), Some(zebra())],
            // A page moves to another section, its words the same: only its row changes.
            vec![
                Some(cap_twice()),
                Some(family_grown()),
                Some(moved(zebra(), "updates/zebra/", "Updates")),
            ],
            // A page leaves: its only words leave the index, their shard with them.
            vec![Some(cap_twice()), None, Some(zebra())],
            // The last document goes: the manifest lists one fewer.
            vec![Some(cap_twice()), None],
        ];
        let full = |documents: &[Option<Terms>]| -> BTreeMap<String, String> {
            files("en", &as_refs(documents)).into_iter().collect()
        };
        let (mut live, written) = LiveIndex::new("en", &as_refs(&versions[0]));
        let mut served = BTreeMap::new();
        assert_eq!(served_after(&mut served, written), full(&versions[0]));
        for pair in versions.windows(2) {
            let (before, after) = (&pair[0], &pair[1]);
            for id in 0..before.len().max(after.len()) {
                let old = before.get(id).and_then(Option::as_ref);
                let new = after.get(id).and_then(Option::as_ref);
                live.replace(id as u32, old, new);
            }
            let written = live.files(after.len());
            let unchanged_shards = full(before)
                .keys()
                .filter(|name| full(after).contains_key(*name) && *name != MANIFEST)
                .count();
            assert!(
                written.files.len() <= full(after).len() - unchanged_shards,
                "only changed shards are written again"
            );
            assert_eq!(served_after(&mut served, written), full(after));
        }
        // Nothing replaced since: nothing is written again.
        let last = versions.last().unwrap();
        let again = live.files(last.len());
        assert!(again.files.is_empty() && again.gone.is_empty());
        assert_eq!(served_after(&mut served, again), full(last));
    }

    #[test]
    fn a_live_index_drops_heads_no_longer_used_and_writes_the_same_files() {
        let long = "word ".repeat(60);
        let mut documents = vec![
            Some(terms("en", "Cap", "The cap was reached.")),
            Some(terms("en", "Family", "Spouses qualify.")),
            Some(terms("en", "Zebra", "Zebras were never capped.")),
        ];
        let (mut live, written) = LiveIndex::new("en", &as_refs(&documents));
        let mut served = BTreeMap::new();
        served_after(&mut served, written);
        let mut appended = live.heads.len();
        for round in 0..60 {
            let title = format!("Family {round} {long}");
            let new = terms("en", &title, "Spouses qualify.");
            live.replace(1, documents[1].as_ref(), Some(&new));
            appended += push_row_head(&mut String::new(), &new.row).len();
            documents[1] = Some(new);
        }
        assert!(live.heads.len() < appended, "old heads were dropped");
        // An edit of a body only keeps the row's head where it was, adding none.
        let before = live.heads.len();
        let new = terms(
            "en",
            &format!("Family 59 {long}"),
            "Spouses qualify, and children.",
        );
        live.replace(1, documents[1].as_ref(), Some(&new));
        documents[1] = Some(new);
        assert_eq!(live.heads.len(), before);
        let written = live.files(documents.len());
        let full: BTreeMap<String, String> =
            files("en", &as_refs(&documents)).into_iter().collect();
        let manifest = written.files.iter().find(|(name, _)| name == MANIFEST);
        assert_eq!(manifest.map(|(_, text)| text), full.get(MANIFEST));
        // The rows file, written from the compacted heads, too: every file served is the same.
        assert_eq!(served_after(&mut served, written), full);
    }

    /// The manifest and rows files as `serde_json` writes the same objects.
    fn manifest_by_value(
        language: &str,
        documents: &[Option<&Terms>],
        hashes: &BTreeMap<Box<str>, String>,
    ) -> Vec<(String, String)> {
        let mut lengths = String::new();
        let mut kinds = String::new();
        let mut owners = serde_json::Map::new();
        let mut rows = Vec::new();
        let mut sections: Vec<&str> = Vec::new();
        let mut total_length = 0f64;
        for (id, terms) in documents.iter().enumerate() {
            let Some(terms) = terms else {
                lengths.push('0');
                kinds.push('-');
                rows.push(serde_json::Value::Null);
                continue;
            };
            let section = match sections.iter().position(|s| *s == terms.row.section) {
                Some(at) => at,
                None => {
                    sections.push(&terms.row.section);
                    sections.len() - 1
                }
            };
            rows.push(json!([terms.row.title, terms.row.url, section]));
            kinds.push(terms.kind);
            if let Some(owner) = terms.owner {
                owners.insert(id.to_string(), json!(owner));
            }
            let bucket = length_bucket(terms.length);
            lengths.push(char::from(BUCKETS[usize::from(bucket)]));
            total_length += bucket_length(bucket);
        }
        let mut files = Vec::new();
        let mut row_hashes = Vec::new();
        for chunk in rows.chunks(ROWS_PER_FILE) {
            let data = serde_json::to_string(chunk).unwrap();
            let hash = format!("{:012x}", xxhash_rust::xxh3::xxh3_64(data.as_bytes()) >> 16);
            let file = script(&format!("{language}/{hash}"), &json!(chunk));
            if !row_hashes.contains(&hash) {
                files.push((format!("{hash}.js"), file));
            }
            row_hashes.push(hash);
        }
        let count = documents.iter().flatten().count();
        let average = if count == 0 {
            1.0
        } else {
            (total_length / count as f64).max(1.0)
        };
        let value = json!({
            "n": count, "a": (average * 10.0).round() / 10.0, "g": BUCKET_GROWTH,
            "l": lengths, "k": kinds, "o": owners, "s": hashes, "r": row_hashes, "e": sections,
        });
        files.push((
            MANIFEST.to_string(),
            script(&format!("{language}/manifest"), &value),
        ));
        files
    }

    #[test]
    fn the_manifest_and_its_rows_are_the_json_serde_json_writes_for_the_same_objects() {
        // Past two rows files, the last one short, and a run of documents left out as long
        // as a rows file (twice: two files of equal rows are one file).
        let total = 3 * ROWS_PER_FILE + 1000;
        let left_out = |id: usize| (ROWS_PER_FILE..2 * ROWS_PER_FILE).contains(&id) || id % 6 == 5;
        let mut documents: Vec<Option<Terms>> = Vec::new();
        let mut analyzer = Analyzer::for_language("fr");
        for id in 0..total {
            if left_out(id) {
                documents.push(None);
                continue;
            }
            let text = "mot ".repeat(id % 40 * 7 + 1);
            let mut terms = Terms::of(
                &mut analyzer,
                [(TITLE_WEIGHT, "Titre"), (TEXT_WEIGHT, &text)],
            );
            terms.row = Row {
                url: format!("volet/page-{id}/"),
                title: format!("Page \"{id}\" \\ é\u{1}"),
                // Thirteen sections: numbers of two digits too.
                section: match id % 13 {
                    0 => String::new(),
                    n => format!("Volet {n}"),
                },
            };
            terms.kind = ['p', 'f', 'c', 'o'][id % 4];
            terms.owner = (id % 4 != 0).then_some(id as u32 / 2);
            documents.push(Some(terms));
        }
        let hashes: BTreeMap<Box<str>, String> = [("mo", "0123456789ab"), ("ti", "ba9876543210")]
            .into_iter()
            .map(|(prefix, hash)| (prefix.into(), hash.to_string()))
            .collect();
        for cut in [0, 1, 6, 25, ROWS_PER_FILE + 1, total] {
            let documents: Vec<Option<&Terms>> =
                documents[..cut].iter().map(Option::as_ref).collect();
            assert_eq!(
                manifest_files("fr", &documents, &hashes),
                manifest_by_value("fr", &documents, &hashes),
                "{cut} documents"
            );
        }
    }

    #[test]
    fn a_live_index_rewrites_only_the_rows_files_its_changes_touch() {
        let mut analyzer = Analyzer::for_language("en");
        let mut document = |id: usize, section: &str| {
            let mut terms = Terms::of(
                &mut analyzer,
                [(TITLE_WEIGHT, "Page"), (TEXT_WEIGHT, "text")],
            );
            terms.row = Row {
                url: format!("page-{id}/"),
                title: format!("Page {id}"),
                section: section.to_string(),
            };
            terms
        };
        let total = 2 * ROWS_PER_FILE + 10;
        let mut documents: Vec<Option<Terms>> =
            (0..total).map(|id| Some(document(id, "Stream"))).collect();
        let full = |documents: &[Option<Terms>]| -> BTreeMap<String, String> {
            files("en", &as_refs(documents)).into_iter().collect()
        };
        let (mut live, written) = LiveIndex::new("en", &as_refs(&documents));
        let mut served = BTreeMap::new();
        assert_eq!(served_after(&mut served, written), full(&documents));
        let rows_files = |written: &LiveFiles| {
            written
                .files
                .iter()
                .filter(|(_, text)| text.contains(",[[\""))
                .count()
        };

        // New words, the same row: no rows file is written again.
        let old = documents[3].take();
        let mut reworded = Terms::of(
            &mut Analyzer::for_language("en"),
            [(TITLE_WEIGHT, "Page"), (TEXT_WEIGHT, "new words")],
        );
        reworded.row = old.as_ref().unwrap().row.clone();
        documents[3] = Some(reworded);
        live.replace(3, old.as_ref(), documents[3].as_ref());
        let written = live.files(documents.len());
        assert_eq!(rows_files(&written), 0);
        assert_eq!(served_after(&mut served, written), full(&documents));

        // A title in the second rows file: that file and the manifest.
        let old = documents[ROWS_PER_FILE + 3].take();
        documents[ROWS_PER_FILE + 3] = Some(Terms {
            row: Row {
                title: "Renamed".into(),
                ..old.as_ref().unwrap().row.clone()
            },
            ..old.clone().unwrap()
        });
        live.replace(
            ROWS_PER_FILE as u32 + 3,
            old.as_ref(),
            documents[ROWS_PER_FILE + 3].as_ref(),
        );
        let written = live.files(documents.len());
        assert_eq!(rows_files(&written), 1);
        assert_eq!(written.gone.len(), 1, "the file it replaced");
        assert_eq!(served_after(&mut served, written), full(&documents));

        // The list shortened to less than one file: the others go.
        let short = ROWS_PER_FILE - 5;
        for (id, old) in documents.iter().enumerate().skip(short) {
            live.replace(id as u32, old.as_ref(), None);
        }
        documents.truncate(short);
        let written = live.files(short);
        assert_eq!(served_after(&mut served, written), full(&documents));

        // Grown again, past a file's end.
        for id in short..ROWS_PER_FILE + 2 {
            documents.push(Some(document(id, "Stream")));
            live.replace(id as u32, None, documents[id].as_ref());
        }
        let written = live.files(documents.len());
        assert_eq!(served_after(&mut served, written), full(&documents));

        // The last document in a new section: numbered after every other, it moves none, so
        // only its own rows file is written again.
        let last = documents.len() - 1;
        let old = documents[last].take();
        documents[last] = Some(document(last, "Appendix"));
        live.replace(last as u32, old.as_ref(), documents[last].as_ref());
        let written = live.files(documents.len());
        assert_eq!(rows_files(&written), 1);
        assert_eq!(served_after(&mut served, written), full(&documents));

        // The first document in a new section: every section's number moves, so every row.
        let old = documents[0].take();
        documents[0] = Some(document(0, "Updates"));
        live.replace(0, old.as_ref(), documents[0].as_ref());
        let written = live.files(documents.len());
        assert_eq!(rows_files(&written), 2);
        assert_eq!(served_after(&mut served, written), full(&documents));
    }

    #[test]
    fn two_rows_files_of_equal_rows_are_one_file_until_one_changes() {
        let mut documents: Vec<Option<Terms>> = vec![None; 2 * ROWS_PER_FILE + 1];
        documents[2 * ROWS_PER_FILE] = Some(terms("en", "Cap", "The cap was reached."));
        let full = |documents: &[Option<Terms>]| -> BTreeMap<String, String> {
            files("en", &as_refs(documents)).into_iter().collect()
        };
        let (mut live, written) = LiveIndex::new("en", &as_refs(&documents));
        let mut served = BTreeMap::new();
        assert_eq!(served_after(&mut served, written), full(&documents));
        // The first file changes; the second still names the file of rows all left out.
        documents[5] = Some(terms("en", "Family", "Spouses qualify."));
        live.replace(5, None, documents[5].as_ref());
        let written = live.files(documents.len());
        assert!(written.gone.is_empty(), "{:?}", written.gone);
        assert_eq!(served_after(&mut served, written), full(&documents));
    }
}
