//! The search index as the browser reads it: a word's form leads to its shard, its stem and
//! postings, and the manifest says where each document links. Facts and checker criteria
//! are found as pages are; an edit rewrites only the shards of the words it changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::common::{snapshot, Fixture};

/// The data of one index file: `__guideSearch(name, DATA);`.
fn data(text: &str) -> Json {
    let start = text.find(',').expect("a call with data") + 1;
    let end = text.rfind(')').expect("a closed call");
    serde_json::from_str(&text[start..end]).expect("JSON data")
}

struct Index {
    folder: PathBuf,
    manifest: Json,
}

impl Index {
    /// The manifest, with the rows of the rows files it names as `d`, as the browser joins them.
    fn open(public: &Path, language: &str) -> Index {
        let folder = public.join("search").join(language);
        let mut manifest = data(&std::fs::read_to_string(folder.join("manifest.js")).unwrap());
        let mut rows = Vec::new();
        for hash in manifest["r"].as_array().expect("rows files named").clone() {
            let file = folder.join(format!("{}.js", hash.as_str().unwrap()));
            let data = data(&std::fs::read_to_string(file).unwrap());
            rows.extend(data.as_array().expect("a list of rows").iter().cloned());
        }
        manifest["d"] = Json::Array(rows);
        Index { folder, manifest }
    }

    fn file(&self, name: &str) -> Json {
        data(&std::fs::read_to_string(self.folder.join(name)).unwrap())
    }

    /// The documents holding the word whose folded form is `form`, as the browser finds them.
    fn documents(&self, form: &str) -> Vec<u64> {
        let prefix: String = form.chars().take(2).collect();
        let Some(hash) = self.manifest["s"][&prefix].as_str() else {
            return Vec::new();
        };
        let shard = self.file(&format!("{hash}.js"));
        let stem = shard["f"][form]
            .as_str()
            .map(str::to_string)
            .unwrap_or_else(|| form.to_string());
        let Some(postings) = shard["w"][&stem].as_str() else {
            return Vec::new();
        };
        let numbers = guide::search::index::decode_numbers(postings).expect("postings");
        let mut id = 0;
        numbers
            .chunks(2)
            .map(|pair| {
                id += u64::from(pair[0]);
                id
            })
            .collect()
    }

    /// What result `id` shows: its row (title, URL, section) and its text from its result
    /// file.
    fn shown(&self, id: u64) -> Json {
        let row = &self.manifest["d"][id as usize];
        let section = row[2].as_u64().expect("a section number") as usize;
        serde_json::json!({
            "t": row[0],
            "u": row[1],
            "s": self.manifest["e"][section],
            "x": self.file(&format!("f/{id}.js"))["x"],
        })
    }

    fn kinds(&self) -> Vec<char> {
        self.manifest["k"].as_str().unwrap().chars().collect()
    }
}

fn bundled() -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    out
}

#[test]
fn facts_and_checker_criteria_are_found_by_their_words_and_link_to_their_page() {
    let out = bundled();
    let index = Index::open(&out.path().join("public"), "en");
    let kinds = index.kinds();
    // The cap fact: found by `cap`, linked to a page that cites it.
    let cap = index
        .documents("cap")
        .into_iter()
        .find(|&id| {
            kinds[id as usize] == 'f'
                && index.shown(id)["t"] == "Application cap of the H-1B stream"
        })
        .expect("the cap fact is found by `cap`");
    let url = index.shown(cap)["u"].as_str().unwrap().to_string();
    let page =
        std::fs::read_to_string(out.path().join("public").join(&url).join("index.html")).unwrap();
    assert!(page.contains("10,000"), "{url} shows the cap");
    // Every criterion is found by each of its title's longer words.
    let criteria: Vec<u64> = (0..kinds.len() as u64)
        .filter(|&id| kinds[id as usize] == 'c')
        .collect();
    assert!(
        criteria.len() >= 5,
        "the H-1B checker's criteria are indexed"
    );
    for id in criteria {
        let shown = index.shown(id);
        assert_eq!(shown["u"], "check/", "{shown}");
        let title = shown["t"].as_str().unwrap().to_lowercase();
        let word = title
            .split(|c: char| !c.is_alphanumeric())
            .find(|word| word.len() >= 6 && word.is_ascii())
            .unwrap_or_else(|| panic!("a long word in {title}"));
        assert!(
            index.documents(word).contains(&id),
            "`{word}` finds {title}"
        );
    }
}

/// A point table is found by its label and source, not shown as its row count (which reads
/// as a value: "Points for the level of education — 8"); the sources page says what it counts.
#[test]
fn a_point_table_fact_is_not_shown_as_its_row_count() {
    let out = bundled();
    let public = out.path().join("public");
    for (language, label, sources, listed) in [
        (
            "en",
            "Points for the level of education",
            "sources/index.html",
            "8 entries",
        ),
        (
            "fr",
            "Points pour le niveau de scolarité",
            "fr/sources/index.html",
            "8\u{a0}éléments",
        ),
    ] {
        let index = Index::open(&public, language);
        let kinds = index.kinds();
        let table = (0..kinds.len() as u64)
            .find(|&id| kinds[id as usize] == 'f' && index.shown(id)["t"] == label)
            .unwrap_or_else(|| panic!("{language}: {label} is indexed"));
        let text = index.shown(table)["x"].as_str().unwrap().to_string();
        assert!(!text.starts_with("8 "), "{language}: {text}");
        let page = std::fs::read_to_string(public.join(sources)).unwrap();
        let at = page
            .find(label)
            .unwrap_or_else(|| panic!("{sources} lists {label}"));
        let item: String = page[at..].chars().take(200).collect();
        assert!(
            item.contains(&format!("<span class=\"fact-value\">{listed}</span>")),
            "{item}"
        );
    }
}

#[test]
fn the_french_index_folds_accents_and_stems_french() {
    let out = bundled();
    let index = Index::open(&out.path().join("public"), "fr");
    let nomads: Vec<String> = index
        .documents("numeriques")
        .into_iter()
        .map(|id| index.shown(id)["u"].as_str().unwrap().to_string())
        .collect();
    assert!(
        nomads.contains(&"fr/mises-a-jour/nomades-numeriques/".to_string()),
        "{nomads:?}"
    );
    // A singular and its plural are one stem; an accented word and its folded form one form.
    assert_eq!(index.documents("numerique"), index.documents("numeriques"));
    assert!(!index.documents("entree").is_empty());
    // No English page is in the French index.
    for id in index.documents("express") {
        assert!(index.shown(id)["u"].as_str().unwrap().starts_with("fr/"));
    }
}

#[test]
fn an_edit_rewrites_the_manifest_its_result_file_and_the_shards_of_its_new_words_only() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let files = |site: &Fixture| -> BTreeMap<String, Vec<u8>> {
        snapshot(&site.path("public/search"))
            .into_iter()
            .map(|(path, bytes)| (path.replace('\\', "/"), bytes))
            .collect()
    };
    let before = files(&site);
    site.edit(
        "content/stream/family.md",
        "Spouses and children.",
        "Spouses, partners and children.",
    );
    site.build().unwrap();
    let after = files(&site);
    let changed: Vec<&String> = after
        .iter()
        .filter(|(path, bytes)| before.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .collect();
    let gone: Vec<&String> = before
        .keys()
        .filter(|path| !after.contains_key(*path))
        .collect();
    assert_eq!(changed.len(), 3, "{changed:?}");
    assert!(changed.iter().any(|path| path.ends_with("en/manifest.js")));
    assert!(changed.iter().any(|path| path.contains("en/f/")));
    let public = site.path("public");
    let index = Index::open(&public, "en");
    assert!(!index.documents("partners").is_empty());
    // The shard of `partners` (`pa`) is the only one renamed.
    assert!(gone.len() <= 1, "{gone:?}");
}

#[test]
fn search_can_be_turned_off_and_its_folder_is_kept_for_it() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    assert!(site.path("public/search/en/manifest.js").is_file());
    site.write(
        "content/search/en/notes.md",
        "+++\ntitle = \"Notes\"\n+++\nText.\n",
    );
    let (_, error) = site.build_error();
    assert!(error.contains("which holds the search index"), "{error}");
    assert!(error.contains("search = false"), "{error}");
    let config = site.read("site.toml");
    site.write("site.toml", &format!("search = false\n{config}"));
    site.build().unwrap();
    assert!(!site.path("public/search/en/manifest.js").exists());
    assert!(site.path("public/search/en/notes/index.html").is_file());
}

#[test]
fn each_language_has_its_search_page_under_its_own_slug() {
    let site = Fixture::new("bilingual");
    let config = site.read("site.toml");
    site.write(
        "site.toml",
        &format!("{config}\n[search]\nslug = {{ fr = \"recherche\" }}\n"),
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(site.path("public/search/index.html").is_file());
    assert!(!site.path("public/fr/search").exists());
    let french = site.output("fr/recherche/index.html");
    assert!(french.contains("<html lang=\"fr\""), "{french}");
    // The French header form is sent to the French search page, and the English search page's
    // toggle leads to it.
    let page = site.output("fr/volet/famille/index.html");
    assert!(page.contains("action=\"../../../fr/recherche/\""), "{page}");
    let english = site.output("search/index.html");
    assert!(english.contains("href=\"../fr/recherche/\""), "{english}");
    // A page cannot take the search page's place.
    site.write(
        "content/recherche.fr.md",
        "+++\ntitle = \"Recherche\"\n+++\nTexte.\n",
    );
    let (_, error) = site.build_error();
    assert!(error.contains("search page"), "{error}");
}

#[test]
fn the_bundled_search_page_lists_every_page_of_its_language() {
    let out = bundled();
    let public = out.path().join("public");
    let english = std::fs::read_to_string(public.join("search/index.html")).unwrap();
    let french = std::fs::read_to_string(public.join("fr/recherche/index.html")).unwrap();
    for page in ["stream/cap/", "routes/express-entry/score/", "sources/"] {
        assert!(english.contains(&format!("href=\"../{page}\"")), "{page}");
    }
    assert!(french.contains("href=\"../../fr/volet/plafond/\""));
    assert!(french.contains("<html lang=\"fr\""));
    assert!(
        french.contains("hreflang=\"en\""),
        "the toggle leads to the English search page"
    );
    // One search landmark per page: the search page has no header form.
    assert_eq!(english.matches("role=\"search\"").count(), 1);
    let page = std::fs::read_to_string(public.join("stream/cap/index.html")).unwrap();
    assert_eq!(page.matches("role=\"search\"").count(), 1);
}

/// A result's text is what a reader of the page reads about its subject: not the page's dates,
/// nor the checker's error messages and result, which wait hidden for answers (the result's
/// values blank until the script fills them in), nor the labels of its date parts and yes/no
/// options, which say nothing of the subject and crowd the snippet.
#[test]
fn result_texts_leave_out_page_dates_and_checker_messages_results_and_field_parts() {
    let out = bundled();
    let english = [
        "Date modified",
        "Error:",
        "Day Month Year",
        "Yes No",
        "Answer every question",
    ];
    let french = [
        "Date de modification",
        "Erreur :",
        "Jour Mois Année",
        "Oui Non",
        "Répondez à toutes les questions",
    ];
    for (language, left_out) in [("en", english), ("fr", french)] {
        let index = Index::open(&out.path().join("public"), language);
        let kinds = index.kinds();
        let mut read = 0;
        for id in (0..kinds.len() as u64).filter(|&id| kinds[id as usize] == 'p') {
            let shown = index.shown(id);
            let text = shown["x"].as_str().unwrap();
            for words in left_out {
                assert!(!text.contains(words), "{}: {words}: {text}", shown["u"]);
            }
            read += 1;
        }
        assert!(read > 20, "{language}: {read} pages");
    }
}

/// A checker's criteria and outcomes cite facts: in the French index, as French pages write
/// them (dates, numbers, statuses), not as the default language does.
#[test]
fn french_checker_texts_in_the_index_write_their_facts_in_french() {
    let out = bundled();
    let folder = out.path().join("public/search/fr");
    let mut french = String::new();
    for (path, bytes) in snapshot(&folder) {
        if path.ends_with(".js") {
            french.push_str(&String::from_utf8(bytes).unwrap());
        }
    }
    assert!(
        french.contains("entre le 16 juillet 2023 et le 17 juillet 2023"),
        "the open period in French"
    );
    // Numbers too (an English source's quoted title may hold "10,000": not a fact); the index writes
    // every space as a plain one.
    assert!(french.contains("10 000 demandes"), "the cap in French");
    for english in ["July 16, 2023", "January 2026", "closed"] {
        if let Some(at) = french.find(english) {
            let before: String = french[..at].chars().rev().take(100).collect();
            let before: String = before.chars().rev().collect();
            panic!("{english} in the French index: {before}{english}");
        }
    }
}
