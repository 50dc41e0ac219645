//! The bundled guide's wording: what its pages say about the program stays within what the
//! sources say, and generated lists read the way the pages describe them.

fn build() -> (tempfile::TempDir, impl Fn(&str) -> String) {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    let public = out.path().join("public");
    let read = move |path: &str| {
        std::fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    (out, read)
}

/// The `content` of the page's `<meta name="description">`.
fn description(html: &str) -> &str {
    let start = html
        .find("<meta name=\"description\" content=\"")
        .expect("a description")
        + "<meta name=\"description\" content=\"".len();
    let end = html[start..].find('"').unwrap();
    &html[start..start + end]
}

#[test]
fn the_check_page_offers_the_checker_to_family_members_too() {
    let (_out, read) = build();
    let check = read("check/index.html");
    let description = description(&check);
    assert!(
        !description.contains("principal applicant"),
        "{description}"
    );
    for role in ["H-1B holder", "spouse", "partner", "child"] {
        assert!(description.contains(role), "{role} in: {description}");
    }
}

#[test]
fn timeline_labels_tell_of_the_past() {
    let facts = guide::facts::Facts::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let present = [
        "opens",
        "closes",
        "reaches",
        "announces",
        "launches",
        "clarifies",
        "ends",
        "may",
        "can",
    ];
    let timeline = facts.timeline();
    let events = timeline.as_array().unwrap();
    assert!(events.len() >= 8, "{timeline}");
    for event in events {
        let label = event["label"].as_str().unwrap();
        for word in label.split(|c: char| !c.is_alphanumeric()) {
            assert!(
                !present.contains(&word.to_lowercase().as_str()),
                "`{word}` in the timeline label {label:?}"
            );
        }
    }
}

#[test]
fn the_tech_workforce_reads_as_about_one_point_two_million() {
    let (_out, read) = build();
    let hubs = read("hubs/index.html");
    // The hubs page links each figure to its source.
    assert!(
        hubs.contains("employs about <a class=\"fact-source\""),
        "{hubs}"
    );
    assert!(hubs.contains(">1.2 million people</a>;"), "{hubs}");
    assert!(!hubs.contains("1,200,000"));
}

#[test]
fn the_guide_says_no_more_than_the_follow_up_policy_about_new_applicants() {
    let (_out, read) = build();
    for path in ["index.html", "stream/cap/index.html"] {
        let html = read(path);
        assert!(!html.contains("original form"), "{path}");
        assert!(
            html.contains("not inviting new principal") && html.contains("applicants"),
            "{path}"
        );
    }
}

#[test]
fn the_french_guide_says_no_more_than_the_follow_up_policy_about_new_applicants() {
    let (_out, read) = build();
    for path in ["fr/index.html", "fr/volet/plafond/index.html"] {
        let html = read(path).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            html.contains("pas de nouveaux demandeurs principaux"),
            "{path}"
        );
        assert!(!html.contains("forme originale"), "{path}");
    }
}

#[test]
fn sources_that_share_an_index_address_are_titled_as_the_index() {
    let facts = guide::facts::Facts::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    for source in &facts.sources {
        let sharing = facts
            .sources
            .iter()
            .filter(|other| !source.url.any().is_empty() && other.url == source.url)
            .count();
        if sharing > 1 {
            assert!(
                source.title.any().contains("(index)"),
                "`{}` links to {} like another source, but is titled as a document: {}",
                source.id,
                source.url.any(),
                source.title.any()
            );
        }
    }
}

#[test]
fn the_sources_page_lists_official_sources_before_the_articles() {
    let (_out, read) = build();
    let sources = read("sources/index.html");
    let ids: Vec<&str> = sources
        .split("<li class=\"source\" id=\"source-")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    let first_article = ids
        .iter()
        .position(|id| id.starts_with("article_"))
        .unwrap();
    assert!(
        ids[first_article..]
            .iter()
            .all(|id| id.starts_with("article_")),
        "{ids:?}"
    );
    assert!(first_article >= 10, "{ids:?}");
}

#[test]
fn a_missing_web_address_is_said_in_words_not_in_monospace() {
    let (_out, read) = build();
    let sources = read("sources/index.html");
    assert!(
        sources.contains("<p class=\"source-no-url\">No web address recorded"),
        "{sources}"
    );
    let css = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/assets/style.css"),
    )
    .unwrap();
    let rule = css
        .split(".source-no-url {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .expect("a rule for .source-no-url");
    assert!(!rule.contains("mono"), "{rule}");
}

/// The words a status fact may hold.
const STATUS_WORDS: [&str; 4] = ["open", "paused", "closed", "announced"];

/// Each route or part of the strategy a page may name, in English and in French, and the fact
/// holding its status.
const ROUTE_STATUS: [(&str, &str); 17] = [
    ("Start-up Visa", "status.start_up_visa"),
    ("H-1B stream", "status.h1b_stream"),
    ("STEM", "status.stem_draws"),
    ("Express Entry", "status.express_entry"),
    ("Global Talent Stream", "status.global_talent_stream"),
    ("accelerated pathway", "status.h1b_pathway"),
    (
        "pilot for immigrant entrepreneurs",
        "status.entrepreneur_pilot",
    ),
    ("entrepreneur pilot", "status.entrepreneur_pilot"),
    ("Innovation Stream", "status.innovation_pilot"),
    ("démarrage d'entreprise", "status.start_up_visa"),
    ("volet H-1B", "status.h1b_stream"),
    ("STIM", "status.stem_draws"),
    ("Entrée express", "status.express_entry"),
    ("Volet des talents mondiaux", "status.global_talent_stream"),
    ("voie d'accès accélérée", "status.h1b_pathway"),
    ("pour les entrepreneurs", "status.entrepreneur_pilot"),
    ("volet Innovation", "status.innovation_pilot"),
];

fn bundled_facts() -> guide::facts::Facts {
    guide::facts::Facts::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{}", e.render()))
}

/// A status fact's word on the guide's date.
fn status_on_guide_date(facts: &guide::facts::Facts, name: &str) -> String {
    let fact = facts
        .get(name)
        .unwrap_or_else(|| panic!("no status fact `{name}`"));
    match facts.current(fact).0.as_text() {
        Some(word) => word.to_string(),
        None => panic!(
            "`{name}` holds {:?}, not a status word",
            facts.current(fact).0
        ),
    }
}

#[test]
fn every_status_is_a_known_word_with_a_source_and_a_verified_date() {
    let facts = bundled_facts();
    let statuses: Vec<_> = facts
        .iter()
        .filter(|fact| fact.name.starts_with("status."))
        .collect();
    assert!(statuses.len() >= 10, "{}", statuses.len());
    for fact in statuses {
        let values = std::iter::once((&fact.value, fact.source, fact.verified)).chain(
            fact.changes.iter().map(|change| {
                (
                    &change.value,
                    change.source.or(fact.source),
                    change.verified,
                )
            }),
        );
        for (value, source, verified) in values {
            let Some(word) = value.as_text() else {
                panic!("`{}` holds {value:?}", fact.name);
            };
            assert!(STATUS_WORDS.contains(&word), "`{}`: {word}", fact.name);
            assert!(source.is_some(), "`{}` ({word}) has no source", fact.name);
            assert!(
                verified.is_some(),
                "`{}` ({word}) is not verified",
                fact.name
            );
        }
    }
    for (_, name) in ROUTE_STATUS {
        status_on_guide_date(&facts, name);
    }
}

/// The text of an HTML page, one block (paragraph, list item, cell, heading) a line.
fn text_blocks(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let tag = rest[open + 1..close.saturating_sub(1)]
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '>')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let block = [
            "p", "li", "td", "th", "h1", "h2", "h3", "h4", "dd", "dt", "div", "section", "ul",
            "ol", "tr", "header", "footer", "title",
        ];
        text.push(if block.contains(&tag.as_str()) {
            '\n'
        } else {
            ' '
        });
        rest = &rest[close..];
    }
    text.push_str(rest);
    let text = text
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace('\u{2019}', "'");
    text.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|line| !line.is_empty())
        .collect()
}

/// The sentences of a block of text.
fn sentences(block: &str) -> impl Iterator<Item = &str> {
    block
        .split_inclusive(['.', '?', '!', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// Whether a sentence calls something open: the word "open" (or "running"), not the
/// "open work permit" that the H-1B stream gave, nor permits "running out"; in French, the
/// words « ouvert », « ouverte », « ouverts » and « ouvertes », not the « permis de travail
/// ouvert » nor a past opening (« a ouvert le … », which tells when, like "opened").
fn says_open(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    let lower = [
        "open work permits",
        "open work permit",
        "open permits",
        "open permit",
        "running out",
        "permis de travail ouverts",
        "permis de travail ouvert",
        "permis ouverts",
        "permis ouvert",
        " a ouvert",
        " avait ouvert",
        " ont ouvert",
        " avaient ouvert",
    ]
    .iter()
    .fold(lower, |text, phrase| text.replace(phrase, ""));
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .any(|word| {
            [
                "open", "running", "ouvert", "ouverte", "ouverts", "ouvertes",
            ]
            .contains(&word)
        })
}

/// The words that give a status in a sentence: the status word itself (the fact's value, as
/// an English page shows it) and, for a French page, its French forms in every gender and
/// number.
fn status_words(status: &str) -> Vec<&str> {
    let french: &[&str] = match status {
        "open" => &["ouvert", "ouverte", "ouverts", "ouvertes"],
        "closed" => &["fermé", "fermée", "fermés", "fermées"],
        "paused" => &["suspendu", "suspendue", "suspendus", "suspendues"],
        "announced" => &["annoncé", "annoncée", "annoncés", "annoncées"],
        _ => &[],
    };
    std::iter::once(status)
        .chain(french.iter().copied())
        .collect()
}

/// Whether a sentence is a claim in quotation marks, one a page reports (a misconception)
/// rather than makes: “…” in English, « … » in French.
fn is_quoted(sentence: &str) -> bool {
    (sentence.starts_with('\u{201c}') && sentence.ends_with('\u{201d}'))
        || (sentence.starts_with('\u{ab}') && sentence.ends_with('\u{bb}'))
}

/// Every sentence of the built guide (checker outcomes included, since every outcome is in
/// the page) that calls a route open, when that route's status fact does not say open on
/// the guide's date, unless the same sentence also gives the route's real status.
fn open_claims_against_status(
    pages: &[(String, String)],
    facts: &guide::facts::Facts,
) -> Vec<String> {
    let mut wrong = Vec::new();
    for (path, html) in pages {
        // The timeline is history: each entry stands at the day a status took effect.
        if path == "timeline/index.html" || path == "fr/chronologie/index.html" {
            continue;
        }
        for block in text_blocks(html) {
            for sentence in sentences(&block) {
                if is_quoted(sentence) || !says_open(sentence) {
                    continue;
                }
                for (route, fact) in ROUTE_STATUS {
                    if !sentence.contains(route) {
                        continue;
                    }
                    let status = status_on_guide_date(facts, fact);
                    let words: Vec<String> = sentence
                        .to_lowercase()
                        .split(|c: char| !c.is_alphanumeric())
                        .map(str::to_string)
                        .collect();
                    let gives_status = status_words(&status)
                        .iter()
                        .any(|word| words.iter().any(|w| w == word));
                    if status != "open" && !gives_status {
                        wrong.push(format!(
                            "{path}: calls the {route} open, but `{fact}` says {status}: {sentence}"
                        ));
                    }
                }
            }
        }
    }
    wrong
}

fn built_pages(root: &std::path::Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "html") {
                let shown = path.strip_prefix(root).unwrap().display().to_string();
                pages.push((shown, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    pages.sort();
    pages
}

#[test]
fn no_page_or_outcome_calls_a_route_open_unless_its_status_says_so() {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    let pages = built_pages(&options.output);
    assert!(pages.len() >= 20, "{}", pages.len());
    let facts = bundled_facts();
    let wrong = open_claims_against_status(&pages, &facts);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_open_claim_check_finds_a_closed_route_called_open() {
    let facts = bundled_facts();
    assert_eq!(
        status_on_guide_date(&facts, "status.start_up_visa"),
        "closed"
    );
    let page = |text: &str| vec![("x.html".to_string(), text.to_string())];
    let claims = |text: &str| open_claims_against_status(&page(text), &facts);
    assert_eq!(
        claims("<p>The routes open now are Express Entry and the Start-up Visa.</p>").len(),
        1
    );
    assert_eq!(
        claims("<li>The Start-up Visa is open to founders.</li>").len(),
        1
    );
    // Its real status in the same sentence, another route open, or the stream's permit.
    assert!(claims("<p>Express Entry is open; the Start-up Visa is closed.</p>").is_empty());
    assert!(claims("<p>Express Entry is open. The Start-up Visa is closed.</p>").is_empty());
    assert!(claims("<p>The H-1B stream gave an open work permit.</p>").is_empty());
    assert!(claims("<h2>\u{201c}The Start-up Visa is open\u{201d}</h2>").is_empty());
    assert!(claims("<p>H-1B stream permits began running out.</p>").is_empty());
    assert_eq!(claims("<p>STEM draws are still running.</p>").len(), 1);
    // The same in French: a closed route called open, unless the sentence gives its status.
    assert_eq!(
        claims("<p>Le Programme de visa pour démarrage d'entreprise est ouvert.</p>").len(),
        1
    );
    assert_eq!(
        claims("<li>Les rondes en STIM sont ouvertes aux candidats.</li>").len(),
        1
    );
    assert!(claims(
        "<p>Entrée express est ouvert; le Programme de visa pour démarrage d'entreprise est fermé.</p>"
    )
    .is_empty());
    assert!(claims("<p>Le volet H-1B donnait un permis de travail ouvert.</p>").is_empty());
    assert!(claims("<p>Le volet H-1B a ouvert le jour dit.</p>").is_empty());
    // « ont ouvert » is a past opening; « sont ouvertes » is not.
    assert_eq!(claims("<p>Les rondes en STIM sont ouvertes.</p>").len(), 1);
    assert!(claims("<h2>\u{ab}\u{a0}Le volet H-1B est ouvert\u{a0}\u{bb}</h2>").is_empty());
}

/// Names that hold a year and are not a date: the budget is called "Budget 2025".
const NAMES_WITH_YEARS: [&str; 1] = ["Budget"];

/// Classifications whose categories are numbers: "TEER 0, 1, 2 or 3" names four categories of
/// the National Occupational Classification, not an amount ("FEER" in French), and "major group
/// 00" one of its groups (« grand groupe 00 »).
const NUMBERED_CLASSIFICATIONS: [&str; 4] = ["TEER", "FEER", "major group", "grand groupe"];

/// Whether the number at `position` is one of a list of categories following a numbered
/// classification's name ("TEER 1, 2 or 3").
fn names_a_category(words: &[&str], position: usize) -> bool {
    let bare: Vec<&str> = words[..position]
        .iter()
        .map(|word| word.trim_matches(|c: char| !c.is_alphanumeric()))
        .collect();
    let Some(end) = bare.iter().rposition(|word| {
        !(word.chars().all(|c| c.is_ascii_digit()) || ["or", "and", "ou", "et"].contains(word))
    }) else {
        return false;
    };
    NUMBERED_CLASSIFICATIONS.iter().any(|name| {
        let name: Vec<&str> = name.split(' ').collect();
        end + 1 >= name.len() && bare[end + 1 - name.len()..=end] == name[..]
    })
}

/// Each number typed into `prose` (with its line, counting from `first_line`): a date, an
/// amount, a count or a year written out instead of coming from a fact. Shortcodes
/// (`{{ fact(...) }}`), placeholders (`{value}`), inline code, link addresses and codes that mix
/// letters and digits (`H-1B`, `I-797`) are not typed numbers.
fn typed_numbers(prose: &str, first_line: usize) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in prose.lines().enumerate() {
        let mut kept = String::new();
        let mut rest = line;
        // Leave out shortcodes, placeholders, inline code and link addresses.
        while let Some(at) = rest.find(['{', '`', ']']) {
            kept.push_str(&rest[..at]);
            let tail = &rest[at..];
            let end = if tail.starts_with("{{") {
                tail.find("}}").map(|i| i + 2)
            } else if tail.starts_with('{') {
                tail.find('}').map(|i| i + 1)
            } else if let Some(code) = tail.strip_prefix('`') {
                code.find('`').map(|i| i + 2)
            } else if tail.starts_with("](") {
                tail.find(')').map(|i| i + 1)
            } else {
                Some(1)
            };
            let end = end.unwrap_or(tail.len());
            kept.push(' ');
            rest = &tail[end..];
        }
        kept.push_str(rest);
        let words: Vec<&str> = kept.split_whitespace().collect();
        for (position, word) in words.iter().enumerate() {
            let bare = word
                .trim_matches(|c: char| !c.is_alphanumeric())
                .trim_end_matches("'s");
            if !bare.chars().any(|c| c.is_ascii_digit()) {
                continue;
            }
            if bare.chars().any(|c| c.is_alphabetic()) || bare.starts_with("http") {
                continue;
            }
            // The number of an ordered list's item (`1.` at the start of its line).
            let list_marker = word.strip_suffix('.').or_else(|| word.strip_suffix(')'));
            if position == 0 && list_marker.is_some_and(|n| n.chars().all(|c| c.is_ascii_digit())) {
                continue;
            }
            let previous = position
                .checked_sub(1)
                .map(|p| words[p].trim_matches(|c: char| !c.is_alphanumeric()));
            if previous.is_some_and(|previous| NAMES_WITH_YEARS.contains(&previous))
                || names_a_category(&words, position)
            {
                continue;
            }
            found.push((first_line + index, (*word).to_string()));
        }
    }
    found
}

#[test]
fn typed_numbers_are_found_outside_shortcodes_codes_and_names() {
    let prose = "Opened on July 16, 2023 for {{ fact(h1b.cap) }} people.\n\
                 Form I-797, an H-1B visa, Budget 2025 and `2024` are not.\n\
                 A fee of $100,000, 5% or 3 years is. {days_after_closing} is not.\n\
                 See [after 2023](@/updates/after-2023.md).\n\
                 1. A list item is not a number.\n\
                 NOC TEER 0, 1, 2 or 3 names categories; 2 TEER codes is a count.\n\
                 NOC major group 00 names a group; group 7 is a count.\n";
    let found: Vec<(usize, String)> = typed_numbers(prose, 10);
    let expected = [
        (10, "16,"),
        (10, "2023"),
        (12, "$100,000,"),
        (12, "5%"),
        (12, "3"),
        (13, "2023"),
        (15, "2"),
        (16, "7"),
    ];
    assert_eq!(
        found,
        expected.map(|(line, word)| (line, word.to_string())),
        "{found:?}"
    );
    // A French page's list of categories joins them with « ou » and « et ».
    assert!(typed_numbers("Les catégories TEER 0, 1, 2 ou 3 et 4.", 1).is_empty());
    assert!(typed_numbers("(catégorie FEER 0, 1, 2 ou 3 de la CNP)", 1).is_empty());
    assert_eq!(
        typed_numbers("Un délai de 6 mois, le 16 juillet 2023.", 1),
        [(1, "6"), (1, "16"), (1, "2023.")].map(|(line, word)| (line, word.to_string()))
    );
}

#[test]
fn no_date_or_amount_is_typed_into_page_prose_or_checker_texts() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut typed = Vec::new();
    let mut stack = vec![root.join("content")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "md") {
                let text = std::fs::read_to_string(&path).unwrap();
                // The body starts after the closing `+++` of the front matter.
                let body_start = text[3..].find("+++").map_or(0, |i| i + 6);
                let first_line = text[..body_start].lines().count() + 1;
                for (line, word) in typed_numbers(&text[body_start..], first_line) {
                    let shown = path.strip_prefix(root).unwrap().display();
                    typed.push(format!("{shown}:{line}: `{word}`"));
                }
            }
        }
    }
    // A rules file's texts, read as TOML: a text written per language is an inline table,
    // `{ en = "...", fr = "..." }`, each of whose strings is prose.
    let rules_dir = root.join("content/rules");
    for entry in std::fs::read_dir(&rules_dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let shown = path.strip_prefix(root).unwrap().display().to_string();
        let table: toml::Table = toml::from_str(&text).unwrap();
        for (place, prose) in rules_prose(&table, "") {
            for (_, word) in typed_numbers(&prose, 1) {
                typed.push(format!("{shown}: {place}: `{word}`"));
            }
        }
    }
    typed.sort();
    assert!(
        typed.is_empty(),
        "numbers typed into prose; write them as facts (`{{{{ fact(ns.name) }}}}`):\n{}",
        typed.join("\n")
    );
}

/// The prose of a rules file: every string (per language too) of a `text`, `help`, `passed`,
/// `failed`, `heading`, `error`, `name`, `valid_error` or `label`, with where it is
/// (`questions[3].help.fr`).
fn rules_prose(table: &toml::Table, at: &str) -> Vec<(String, String)> {
    const PROSE: [&str; 9] = [
        "text",
        "help",
        "passed",
        "failed",
        "heading",
        "error",
        "name",
        "valid_error",
        "label",
    ];
    let mut found = Vec::new();
    for (key, value) in table {
        let place = if at.is_empty() {
            key.clone()
        } else {
            format!("{at}.{key}")
        };
        match value {
            toml::Value::String(prose) if PROSE.contains(&key.as_str()) => {
                found.push((place, prose.clone()));
            }
            toml::Value::Table(texts) if PROSE.contains(&key.as_str()) => {
                for (language, prose) in texts {
                    if let toml::Value::String(prose) = prose {
                        found.push((format!("{place}.{language}"), prose.clone()));
                    }
                }
            }
            toml::Value::Table(inner) => found.extend(rules_prose(inner, &place)),
            toml::Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    if let toml::Value::Table(inner) = item {
                        found.extend(rules_prose(inner, &format!("{place}[{index}]")));
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Every text of a fact (its label, note, text value and table headings, and each dated
/// value's text and note), as `(what, text)`.
fn fact_texts(fact: &guide::facts::Fact) -> Vec<(String, guide_rules::Translatable)> {
    let value_text = |value: &guide::facts::FactValue| match value {
        guide::facts::FactValue::Text(text) => Some(guide_rules::Translatable::from(text.as_str())),
        guide::facts::FactValue::Texts { texts, .. } => Some(texts.clone()),
        _ => None,
    };
    let mut texts = vec![("label".to_string(), fact.label.clone())];
    texts.extend(fact.note.clone().map(|note| ("note".to_string(), note)));
    texts.extend(value_text(&fact.value).map(|value| ("value".to_string(), value)));
    for (column, heading) in &fact.headers {
        texts.push((format!("heading `{column}`"), heading.clone()));
    }
    for change in &fact.changes {
        let when = format!("value from {}", change.from);
        texts.extend(value_text(&change.value).map(|value| (when.clone(), value)));
        texts.extend(
            change
                .note
                .clone()
                .map(|note| (format!("note of the {when}"), note)),
        );
    }
    texts
}

#[test]
fn every_bundled_fact_and_its_records_are_written_in_french() {
    let facts = bundled_facts();
    assert!(facts.len() >= 90, "{}", facts.len());
    let mut missing = Vec::new();
    for fact in facts.iter() {
        for (what, text) in fact_texts(fact) {
            match text.get("fr", "en") {
                Some(french) if !french.trim().is_empty() => {}
                _ => missing.push(format!("{} {what}", fact.name)),
            }
        }
        // A list's records: every text a page shows (all but ids, paths and fact names).
        if let guide::facts::FactValue::Items(items) = &fact.value {
            for (index, item) in items.iter().enumerate() {
                for field in ["name", "notes", "gives", "starts", "summary", "province"] {
                    let Some(value) = item.get(field) else {
                        continue;
                    };
                    let french = guide::facts::localize_record_field(value, "fr", "en");
                    // A name the same in both languages (Toronto) may be written once.
                    let same_name = field == "name" && value.is_string();
                    if !same_name && (value.is_string() || french == *value) {
                        missing.push(format!("{} record {} `{field}`", fact.name, index + 1));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "no French text: {missing:#?}");
}

#[test]
fn every_bundled_source_has_a_french_title_or_says_it_is_published_only_in_english() {
    let facts = bundled_facts();
    assert!(facts.sources.len() >= 19, "{}", facts.sources.len());
    let mut missing = Vec::new();
    for source in &facts.sources {
        let english_only = source.languages.as_deref() == Some(&["en".to_string()][..]);
        let french_title = source.title.get("fr", "en").is_some();
        if english_only == french_title {
            missing.push(format!(
                "{}: {}",
                source.id,
                if english_only {
                    "marked English-only but has a French title"
                } else {
                    "neither a French title nor `languages = [\"en\"]`"
                }
            ));
        }
        // A French title comes with its French address (where the source has one).
        if french_title && !source.url.any().is_empty() {
            match source.url.get("fr", "en") {
                Some(url) if url.contains("/fr/") || url.contains("-fr.") => {}
                other => missing.push(format!("{}: French address {other:?}", source.id)),
            }
        }
        if source
            .publisher
            .as_ref()
            .and_then(|p| p.get("fr", "en"))
            .is_none()
        {
            missing.push(format!("{}: no French publisher", source.id));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

/// Every French text of a table in `value`, with the dotted path to it.
fn french_texts(value: &toml::Value, path: String, found: &mut Vec<(String, String)>) {
    match value {
        toml::Value::Table(table) => {
            for (key, inner) in table {
                match (key.as_str(), inner) {
                    ("fr", toml::Value::String(text)) => found.push((path.clone(), text.clone())),
                    _ => french_texts(inner, format!("{path}.{key}"), found),
                }
            }
        }
        toml::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                french_texts(item, format!("{path}[{index}]"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn french_texts_shown_as_written_use_the_typographic_apostrophe_as_pages_do() {
    // Markdown pages get `’` from smart punctuation; texts from facts and rules are shown as
    // written, so they write it themselves, or a page mixes `qu'il` with `qu’il`.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut straight = Vec::new();
    for folder in ["facts", "rules"] {
        for entry in std::fs::read_dir(root.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let value: toml::Value = toml::from_str(&text).unwrap();
            let mut found = Vec::new();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            french_texts(&value, name, &mut found);
            straight.extend(found.into_iter().filter(|(_, text)| text.contains('\'')));
        }
    }
    // A page's front matter (its title in the menu, the tab and the heading; its description)
    // is shown as written too, and so are the theme's French strings.
    for entry in walkdir::WalkDir::new(&root) {
        let path = entry.unwrap().into_path();
        if !path.to_string_lossy().ends_with(".fr.md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let front = text.split("+++").nth(1).unwrap_or_default();
        let value: toml::Value = toml::from_str(front).unwrap();
        for key in ["title", "description"] {
            if let Some(words) = value.get(key).and_then(toml::Value::as_str) {
                if words.contains('\'') {
                    let name = path.strip_prefix(&root).unwrap().display();
                    straight.push((format!("{name}: {key}"), words.to_string()));
                }
            }
        }
    }
    let strings_file = root.join("../themes/default/strings.toml");
    let strings: toml::Value =
        toml::from_str(&std::fs::read_to_string(&strings_file).unwrap()).unwrap();
    let mut theme = Vec::new();
    french_texts(&strings, "strings.toml".to_string(), &mut theme);
    straight.extend(theme.into_iter().filter(|(_, text)| text.contains('\'')));
    assert!(
        straight.is_empty(),
        "straight apostrophes in French: {straight:#?}"
    );
}

/// Express Entry's category priorities for 2025 are IRCC's own announcement, which can be
/// linked: the facts that rest on it cite the release itself, with its address, and only the
/// claim no release makes (no STEM-only draw since 2024) rests on reports.
#[test]
fn the_2025_category_priorities_cite_ircc_s_own_release() {
    let facts = bundled_facts();
    let release = |index: Option<usize>, what: &str| {
        let source = &facts.sources[index.unwrap_or_else(|| panic!("{what} has no source"))];
        let url = source.url.get_or_default("en", "en");
        assert!(
            url.starts_with("https://"),
            "{what}: {} has no address",
            source.id
        );
        let publisher = source
            .publisher
            .as_ref()
            .map(|p| p.get_or_default("en", "en"));
        assert!(
            publisher
                .is_some_and(|p| p.starts_with("Immigration, Refugees and Citizenship Canada")),
            "{what}: {} is published by {publisher:?}",
            source.id
        );
    };
    let announced = facts.get("express_entry.categories_2025_on").unwrap();
    release(announced.source, "express_entry.categories_2025_on");
    let stem = facts.get("status.stem_draws").unwrap();
    let change = stem
        .changes
        .iter()
        .find(|change| change.from.to_string() == "2025-02-27")
        .expect("STEM draws change on the day of the announcement");
    release(change.source, "status.stem_draws from 2025-02-27");
}

/// The extension policy is known from BPIRS's report of IRCC's update, and the report can be
/// linked: the facts that rest on it give the reader its address.
#[test]
fn the_extension_policy_cites_the_report_it_is_known_from_with_its_address() {
    let facts = bundled_facts();
    for name in [
        "h1b.extension_policy_on",
        "h1b.extension_deadline",
        "status.h1b_extension",
    ] {
        let fact = facts.get(name).unwrap();
        let cited = fact
            .source
            .into_iter()
            .chain(fact.changes.iter().filter_map(|c| c.source));
        for index in cited {
            let source = &facts.sources[index];
            let url = source.url.get_or_default("en", "en");
            assert!(
                url.starts_with("https://"),
                "{name}: {} has no address",
                source.id
            );
        }
    }
}

/// French elides « de » and « que » before a vowel: a fact's month written after them (« à
/// partir de {{ fact(..., "month") }} ») must not read « de août 2023 ».
#[test]
fn french_pages_elide_before_a_month_that_starts_with_a_vowel() {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    let mut wrong = Vec::new();
    for (path, html) in built_pages(&options.output.join("fr")) {
        // The words as read: a cited fact is a link, so tags go.
        let mut text = String::with_capacity(html.len());
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                '\n' | '\u{a0}' if !in_tag => text.push(' '),
                _ if !in_tag => text.push(c),
                _ => {}
            }
        }
        for word in ["de", "que", "De", "Que"] {
            for month in ["avril", "août", "octobre"] {
                if text.contains(&format!(" {word} {month}")) {
                    wrong.push(format!("fr/{path}: « {word} {month} »"));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
