//! The bundled guide builds, and its pages carry the program facts from the fact files.

use std::path::Path;

/// The bundled guide's output, built once for every test here: each only reads it. A static
/// is never dropped, so the folder is made in the target's own temporary folder.
fn build() -> (&'static Path, impl Fn(&str) -> String) {
    static PUBLIC: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    let out = PUBLIC.get_or_init(|| {
        let out = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
        options.output = out.path().join("public");
        let report = guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
        assert!(report.pages >= 20, "{}", report.summary());
        assert_eq!(report.checkers, 2);
        out
    });
    let public = out.path().join("public");
    let read = move |path: &str| {
        std::fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    (out.path(), read)
}

fn html_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

#[test]
fn every_page_of_the_guide_is_built() {
    let (out, read) = build();
    for path in [
        "index.html",
        "stream/index.html",
        "stream/cap/index.html",
        "stream/family/index.html",
        "stream/who-qualified/index.html",
        "check/index.html",
        "timeline/index.html",
        "strategy/index.html",
        "hubs/index.html",
        "routes/express-entry/index.html",
        "routes/express-entry/score/index.html",
        "misconceptions/index.html",
        "sources/index.html",
        "404.html",
    ] {
        let html = read(path);
        assert!(html.contains("<h1"), "{path} has no heading");
    }
    for file in html_files(&out.join("public")) {
        let html = std::fs::read_to_string(&file).unwrap();
        assert!(
            !html.contains("{{") && !html.contains("{%"),
            "{} has template syntax left",
            file.display()
        );
    }
}

#[test]
fn the_stream_pages_state_the_facts_in_human_formats() {
    let (_out, read) = build();
    let cap = read("stream/cap/index.html");
    assert!(cap.contains("10,000 applications"), "cap");
    assert!(
        cap.contains("July 16, 2023") && cap.contains("July 17, 2023"),
        "dates"
    );
    let check = read("check/index.html");
    assert!(check.contains("data-checker=\"h1b\""));
    assert!(
        check.contains("This stream closed on July 17, 2023"),
        "the closed outcome names the date"
    );
}

/// A year is a whole number shown without grouping wherever it appears, the sources page's
/// list of every fact included, in both languages.
#[test]
fn years_read_as_years_on_the_sources_page() {
    let (_out, read) = build();
    for (path, label) in [
        (
            "sources/index.html",
            "Last year a STEM-only draw was reported",
        ),
        (
            "fr/sources/index.html",
            "Dernière année où une ronde réservée aux STIM a été signalée",
        ),
    ] {
        let page = read(path);
        let at = page
            .find(label)
            .unwrap_or_else(|| panic!("no {label} in {path}"));
        let after = &page[at..page.len().min(at + 400)];
        assert!(after.contains("2024"), "{path}: {after}");
        for grouped in ["2,024", "2\u{a0}024", "2\u{202f}024", "2 024"] {
            assert!(!page.contains(grouped), "{path} writes {grouped}");
        }
    }
}

/// The job-offer question's help gives the day job offers stopped earning points, in the
/// page's language, rather than sending the reader to look for it.
#[test]
fn the_job_offer_help_names_the_day_points_stopped() {
    let (_out, read) = build();
    for (path, expected) in [
        (
            "routes/express-entry/score/index.html",
            "Job offers earn no points for a profile scored from March 25, 2025;",
        ),
        (
            "fr/voies/entree-express/note/index.html",
            "pour un profil évalué à partir du 25 mars 2025;",
        ),
    ] {
        let page = read(path);
        assert!(page.contains(expected), "{path}: no {expected}");
    }
}

/// French puts a no-break space before a colon, in the lists the theme writes too; a route's
/// status follows "Statut", so that the word agrees whatever the route's name.
#[test]
fn french_status_lists_write_their_colons_and_statuses_in_french() {
    let (_out, read) = build();
    let home = read("fr/index.html");
    assert!(
        home.contains("Entrée express</a>\u{a0}: la résidence permanente. Statut\u{a0}: \n<span class=\"status status-open\">ouvert</span>"),
        "{home}"
    );
    let timeline = read("fr/chronologie/index.html");
    assert!(
        timeline.contains(
            "Volet H-1B, demandes de permis de travail des membres de la famille\u{a0}: fermé"
        ),
        "the timeline's changes"
    );
    assert!(!timeline.contains("famille: fermé"));
    let english = read("index.html");
    assert!(
        english.contains("Express Entry</a>: permanent residence. Status: \n<span class=\"status status-open\">open</span>"),
        "{english}"
    );
}

/// The home's lists of routes are headed with the word the French routes section uses
/// (« voies »): a « volet » is one stream of a program, and Express Entry is not one. The
/// headings say no "now": each route's status carries the month it was checked.
#[test]
fn the_french_home_heads_its_route_lists_with_the_word_for_routes() {
    let (_out, read) = build();
    let home = read("fr/index.html");
    let start = home
        .find("class=\"open-routes\"")
        .expect("the home lists routes");
    let end = start + home[start..].find("</section>").unwrap();
    let headings: Vec<&str> = home[start..end]
        .split("<h")
        .skip(1)
        .filter(|part| part.starts_with('2') || part.starts_with('3'))
        .map(|part| &part[part.find('>').unwrap() + 1..part.find("</h").unwrap()])
        .collect();
    assert_eq!(
        headings,
        ["Voies ouvertes", "Voies qui ne sont pas ouvertes"],
        "{home}"
    );
    let english = read("index.html");
    assert!(english.contains(">Open routes</h2>"), "{english}");
    assert!(!english.contains("open now"), "{english}");
}

/// The routes table is wider than a phone: its scrolling box takes keyboard focus and is named
/// by the table's heading, so it can be scrolled without a mouse.
#[test]
fn the_routes_table_scrolls_by_keyboard_in_a_named_region() {
    let (_out, read) = build();
    for path in ["routes/index.html", "fr/voies/index.html"] {
        let page = read(path);
        assert!(
            page.contains(
                "<div class=\"table-wrap\" role=\"region\" aria-labelledby=\"routes-table\" tabindex=\"0\">"
            ),
            "{path}: {page}"
        );
    }
}

/// Every H-1B checker question is about the H-1B holder, the passport too; a spouse or child
/// answering must learn that their own permit is held to their own passport the same way.
#[test]
fn the_passport_question_tells_family_members_whose_passport_it_asks_about() {
    let (_out, read) = build();
    for (path, expected) in [
        (
            "check/index.html",
            "even if you are their spouse, common-law partner or child: your own permit is limited in the same way by your own passport",
        ),
        (
            "fr/verifier-admissibilite/index.html",
            "même si vous êtes son époux, son conjoint de fait ou son enfant à charge\u{a0}: votre propre permis ne peut pas non plus dépasser la date d’expiration de votre propre passeport",
        ),
    ] {
        let page = read(path);
        let start = page
            .find("id=\"checker-h1b-passport_expires_on-help\"")
            .unwrap_or_else(|| panic!("{path}: no passport help"));
        let help = &page[start..start + page[start..].find("</p>").unwrap()];
        assert!(help.contains(expected), "{path}: {help}");
    }
}

/// A permit's end date is printed on it, and may be past or still to come on the day the
/// reader checks: the result states it ("is"), rather than "would run to" a day already gone.
#[test]
fn the_h1b_result_states_the_permit_s_end_date_in_no_tense_a_past_date_contradicts() {
    let (_out, read) = build();
    for (path, stated, conditional) in [
        (
            "check/index.html",
            "your permit\u{27}s end date is <span data-value=\"permit_ends_on\"></span>",
            ["would run to", "would end on"],
        ),
        (
            "fr/verifier-admissibilite/index.html",
            "la date de fin de votre permis est le <span data-value=\"permit_ends_on\"></span>",
            ["serait valide jusqu", "prendrait fin"],
        ),
    ] {
        let page = read(path).replace("&#39;", "\u{27}");
        assert_eq!(page.matches(stated).count(), 2, "{path}: {stated}");
        for words in conditional {
            assert!(!page.contains(words), "{path}: {words}");
        }
    }
}

/// The calculator's questions say who issues what they ask about as IRCC does, and as their
/// help does: a trade certificate from a province, a territory or a federal authority; a job
/// offer supported by an LMIA where one is needed.
#[test]
fn the_calculator_names_who_issues_a_trade_certificate_and_what_supports_a_job_offer() {
    let (_out, read) = build();
    for (path, expected) in [
        (
            "routes/express-entry/score/index.html",
            ["from a Canadian province, territory or federal authority?", "supported by a Labour Market Impact Assessment (LMIA) where one is needed?"],
        ),
        (
            "fr/voies/entree-express/note/index.html",
            ["délivré par une province, un territoire ou une autorité fédérale du Canada?", "appuyée par une étude d’impact sur le marché du travail (EIMT) lorsqu’il en faut une?"],
        ),
    ] {
        let page = read(path);
        for words in expected {
            assert!(page.contains(words), "{path}: {words}");
        }
    }
}

/// The timeline lists every dated event the guide speaks of, the permits' first expiries too,
/// and a fact known only to the month is shown by its month, as the pages show it, in words
/// and in its `datetime` (which claims no day); an entry starts with a capital letter.
#[test]
fn the_timeline_shows_events_known_to_the_month_by_their_month() {
    let (_out, read) = build();
    for (path, expected) in [
        (
            "timeline/index.html",
            [
                "<time datetime=\"2023-08\">August 2023</time>",
                "<time datetime=\"2026-08\">August 2026</time>",
            ],
        ),
        (
            "fr/chronologie/index.html",
            [
                "<time datetime=\"2023-08\">Août 2023</time>",
                "<time datetime=\"2026-08\">Août 2026</time>",
            ],
        ),
    ] {
        let page = read(path);
        for time in expected {
            assert!(page.contains(time), "{path}: {time}");
        }
    }
}

/// Years of work are counted from none: a table's first band reads "0", not "0 or less".
#[test]
fn the_hand_tables_count_years_from_none() {
    let (_out, read) = build();
    for (path, wrong) in [
        ("routes/express-entry/score/index.html", ">0 or less<"),
        ("fr/voies/entree-express/note/index.html", ">0 ou moins<"),
    ] {
        let page = read(path);
        assert!(page.contains("checker-tables"), "{path}");
        assert!(!page.contains(wrong), "{path} writes {wrong}");
        assert!(page.contains("\">0</th>"), "{path}");
    }
}

#[test]
fn generated_pages_come_from_the_facts() {
    let (_out, read) = build();
    let timeline = read("timeline/index.html");
    let announced = timeline
        .find("June 27, 2023")
        .expect("announcement on the timeline");
    let opened = timeline
        .find("July 16, 2023")
        .expect("opening on the timeline");
    let closed = timeline
        .find("July 17, 2023")
        .expect("closing on the timeline");
    assert!(
        announced < opened && opened < closed,
        "timeline in date order"
    );
    let hubs = read("hubs/index.html");
    for city in ["Toronto", "Vancouver", "Montreal", "Waterloo"] {
        assert!(hubs.contains(city), "{city}");
    }
    let strategy = read("strategy/index.html");
    assert!(
        strategy.contains("Start-up Visa") && strategy.contains("Global"),
        "components"
    );
    let sources = read("sources/index.html");
    assert!(sources.contains("canada.ca"), "official sources are listed");
}

fn gzipped_size(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap().len()
}

/// Everything a checker's page loads for it (the module and its ABI, base64 in one script,
/// and the page script), gzipped as a host sends it, is within that checker's budget: 4 KB
/// for the H-1B checker, 8 KB for the Express Entry calculator.
#[test]
fn each_checker_stays_within_its_gzipped_budget() {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    let report = guide::build(&options).unwrap();
    let public = out.path().join("public");
    let script_of = |page: &str, name: &str| -> Vec<u8> {
        let html = std::fs::read_to_string(public.join(page)).unwrap();
        let at = html
            .find(&format!("/{name}."))
            .unwrap_or_else(|| panic!("{page} loads no {name}"));
        let start = html[..at].rfind('"').unwrap() + 1;
        let end = at + html[at..].find('"').unwrap();
        let path = html[start..end].trim_start_matches("../");
        std::fs::read(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    for (id, page, budget) in [
        ("h1b", "check/index.html", 4096),
        ("crs", "routes/express-entry/score/index.html", 8192),
    ] {
        let data = script_of(page, &format!("checker-{id}"));
        let script = script_of(page, "checker");
        let gzipped = gzipped_size(&data) + gzipped_size(&script);
        println!(
            "checker {id}: {} B + {} B raw, {gzipped} B gzipped",
            data.len(),
            script.len()
        );
        assert!(
            gzipped <= budget,
            "checker {id}: {gzipped} B gzipped, over its budget of {budget} B"
        );
        let line = report
            .checker_sizes
            .iter()
            .find(|line| line.starts_with(&format!("checker {id}: module ")))
            .unwrap_or_else(|| panic!("{:?}", report.checker_sizes));
        assert!(
            line.contains(&format!("{} B (module + ABI", data.len())),
            "{line}"
        );
    }
}

/// The rules crate tests the calculator on copies of the bundled rules and facts; the copies
/// must be the bundled ones.
#[test]
fn the_rules_crates_crs_fixtures_are_the_bundled_rules_and_facts() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    assert!(
        read("content/rules/crs.toml") == read("crates/rules/tests/fixtures/crs.toml"),
        "content/rules/crs.toml and crates/rules/tests/fixtures/crs.toml differ: copy one over the other"
    );
    let fixture: toml::Table =
        toml::from_str(&read("crates/rules/tests/fixtures/crs_facts.toml")).unwrap();
    let options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    let site = guide::Site::load(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    // Every `crs.` fact, and the other facts the rules read (named in the fixture).
    let bundled: Vec<_> = site
        .facts
        .iter()
        .filter(|fact| fact.name.starts_with("crs.") || fixture.contains_key(&fact.name))
        .collect();
    assert_eq!(bundled.len(), fixture.len(), "as many facts in both");
    for fact in bundled {
        let copy = fixture
            .get(&fact.name)
            .unwrap_or_else(|| panic!("`{}` is not in crs_facts.toml", fact.name));
        let value = |value: &guide::facts::FactValue| match value {
            guide::facts::FactValue::Integer(n) => toml::Value::Integer(*n),
            guide::facts::FactValue::Date(date) => {
                toml::Value::Datetime(date.to_string().parse().unwrap())
            }
            other => panic!(
                "`{}` has a kind of value the calculator does not use: {other:?}",
                fact.name
            ),
        };
        match &fact.value {
            guide::facts::FactValue::Table(table) => {
                let columns: Vec<String> = copy["columns"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c.as_str().unwrap().to_string())
                    .collect();
                let rows: Vec<toml::Table> = copy["rows"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|row| row.as_table().unwrap().clone())
                    .collect();
                let copied = guide_rules::Table::from_rows(columns, &rows).unwrap();
                assert_eq!(table, &copied, "`{}`", fact.name);
            }
            other => assert_eq!(value(other), copy["value"], "`{}`", fact.name),
        }
        let changes: Vec<(String, toml::Value)> = fact
            .changes
            .iter()
            .map(|change| (change.from.to_string(), value(&change.value)))
            .collect();
        let copied: Vec<(String, toml::Value)> = copy
            .get("changes")
            .and_then(|changes| changes.as_array())
            .into_iter()
            .flatten()
            .map(|change| (change["from"].to_string(), change["value"].clone()))
            .collect();
        assert_eq!(changes, copied, "`{}` changes on the same dates", fact.name);
    }
}

fn bundled_rules() -> guide_rules::Program {
    let options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    let site = guide::Site::load(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    site.checkers.get("h1b").unwrap().program.clone()
}

#[test]
fn the_bundled_rules_raise_no_warning() {
    let options = guide::BuildOptions::new(Path::new(env!("CARGO_MANIFEST_DIR")));
    let site = guide::Site::load(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    assert_eq!(site.checkers.len(), 2);
    let warnings: Vec<String> = site.checkers.warnings().map(|w| w.render()).collect();
    assert!(warnings.is_empty(), "{}", warnings.join(""));
}

#[test]
fn the_bundled_rules_have_an_example_for_every_outcome_and_every_criterion_failing_alone() {
    let program = bundled_rules();
    if let Err(failures) = program.check_examples() {
        let messages: Vec<String> = failures.iter().map(ToString::to_string).collect();
        panic!("{}", messages.join("\n"));
    }
    for outcome in program.outcomes() {
        assert!(
            program
                .examples()
                .iter()
                .any(|example| example.outcome == outcome.id),
            "no example for the outcome `{}`",
            outcome.id
        );
    }
    for criterion in program.criteria() {
        let alone = [criterion.id.clone()];
        assert!(
            program
                .examples()
                .iter()
                .any(|example| example.failed.as_deref() == Some(&alone[..])),
            "no example where only `{}` fails",
            criterion.id
        );
    }
}

#[test]
fn the_bundled_rules_help_every_question_and_make_a_small_valid_module() {
    let program = bundled_rules();
    for question in program.questions() {
        assert!(
            question.help.is_some(),
            "`{}` has no help text",
            question.id
        );
    }
    let bytes = program.emit_wasm();
    guide_rules::validate(&bytes).unwrap();
    assert!(
        bytes.len() < 1200,
        "the module grew to {} bytes",
        bytes.len()
    );
}

/// The bundled guide's whole output, file by file, as a manifest of content hashes kept in
/// `snapshots/`: a change that is meant to leave the output alone (a refactoring, a speed-up)
/// proves it by leaving this snapshot alone, and one that changes pages shows which.
#[test]
fn the_bundled_output_is_the_recorded_one() {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    let manifest =
        crate::common::hash_manifest(crate::common::snapshot(&out.path().join("public")));
    insta::assert_snapshot!("bundled_output", manifest);
}

#[test]
fn the_score_page_embeds_the_calculator_without_a_checklist_and_says_what_it_is_not() {
    let (_out, read) = build();
    let page = read("routes/express-entry/score/index.html");
    assert!(page.contains("data-checker=\"crs\""));
    assert!(
        !page.contains("checker-checklist"),
        "a score has no conditions to list"
    );
    assert!(read("check/index.html").contains("checker-checklist"));
    for said in [
        "not an invitation to apply",
        "not IRCC’s own tool",
        "crs-criteria.html",
        "March 25, 2025",
        "600 points",
    ] {
        assert!(page.contains(said), "{said}");
    }
    assert!(read("routes/express-entry/index.html").contains("score/"));
}

/// The texts of the bundled rules files (`content/rules/`) that lack one of the site's
/// languages, as `guide check` reports them.
fn untranslated_rules_texts(root: &Path) -> Vec<String> {
    let mut options = guide::check::CheckOptions::new(guide::BuildOptions::new(root));
    options.today = Some(guide_rules::Date::parse("2026-12-01").unwrap());
    let report = guide::check::check(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    report
        .findings
        .iter()
        .filter(|finding| finding.path.starts_with("content/rules"))
        .filter(|finding| finding.message.contains("has no `"))
        .map(|finding| finding.render())
        .collect()
}

/// Both bundled checkers speak every language of the site: each question, help, choice,
/// message, value, criterion and outcome has its French text, so a French page never shows
/// an English sentence from the rules.
#[test]
fn the_bundled_rules_have_every_text_in_every_language() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let untranslated = untranslated_rules_texts(root);
    assert!(untranslated.is_empty(), "{}", untranslated.join(""));

    // The same check on a copy of the guide whose nomination question is in English only
    // names that text, and nothing else.
    let copy = tempfile::tempdir().unwrap();
    for part in ["content", "themes"] {
        crate::common::copy_tree(&root.join(part), &copy.path().join(part));
    }
    std::fs::copy(root.join("site.toml"), copy.path().join("site.toml")).unwrap();
    let rules = copy.path().join("content/rules/crs.toml");
    let english_only: String = std::fs::read_to_string(&rules)
        .unwrap()
        .lines()
        .map(|line| {
            if line.starts_with("text = { en = \"Do you have a nomination") {
                "text = \"Do you have a nomination from a province or territory?\"\n".to_string()
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    std::fs::write(&rules, english_only).unwrap();
    let untranslated = untranslated_rules_texts(copy.path());
    assert_eq!(untranslated.len(), 1, "{}", untranslated.join(""));
    assert!(
        untranslated[0].contains("the text of question `nomination` has no `fr` text"),
        "{}",
        untranslated[0]
    );
}

#[test]
fn a_french_page_dates_its_last_change_in_french() {
    let (_out, read) = build();
    let page = read("fr/volet/famille/index.html");
    assert!(
        page.contains("<time datetime=\"2026-12-04\">4 décembre 2026</time>"),
        "the `human` filter writes a French page's dates in French"
    );
    let english = read("stream/family/index.html");
    assert!(english.contains("<time datetime=\"2026-12-04\">December 4, 2026</time>"));
}

/// The routes table, the status badges and the strategy's dates speak the page's language: a
/// French page once showed the theme's English labels there.
#[test]
fn french_routes_and_strategy_pages_label_their_tables_and_dates_in_french() {
    let (_out, read) = build();
    let routes = read("fr/voies/index.html");
    for label in [
        "Voie",
        "Statut",
        "Ce qu’elle donne",
        "Qui fait la démarche",
        "en date de",
    ] {
        assert!(routes.contains(label), "fr/voies/ lacks {label:?}");
    }
    let strategy = read("fr/strategie/index.html");
    assert!(strategy.contains("<dt>Annonce</dt>"), "fr/strategie/");
    for page in [&routes, &strategy] {
        for english in [
            "What it gives you",
            "Who starts it",
            ">as of ",
            "<dt>Announced",
            "Status: ",
        ] {
            assert!(
                !page.contains(english),
                "English {english:?} on a French page"
            );
        }
    }
    let english = read("routes/index.html");
    assert!(english.contains("What it gives you") && english.contains(">as of "));
}

/// A screen reader names each checker's form for what it is: the score calculator was
/// announced as an eligibility checker.
#[test]
fn the_calculator_and_the_eligibility_checker_name_their_forms_for_what_they_are() {
    let (_out, read) = build();
    for (page, label) in [
        ("check/index.html", "Eligibility checker"),
        (
            "fr/verifier-admissibilite/index.html",
            "Outil de vérification de l’admissibilité",
        ),
        ("routes/express-entry/score/index.html", "Calculator"),
        ("fr/voies/entree-express/note/index.html", "Calculateur"),
    ] {
        let html = read(page);
        let form = format!("<form class=\"checker-form\" aria-label=\"{label}\"");
        assert!(html.contains(&form), "{page} lacks {form}");
    }
}

/// The calculator's help says how many years of Canadian work count at most, from a fact: it
/// must be where both Canadian-work tables stop counting (their open-ended last row).
#[test]
fn the_years_of_canadian_work_counted_are_where_the_tables_stop() {
    let options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    let site = guide::Site::load(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    let fact = |name: &str| {
        site.facts
            .iter()
            .find(|fact| fact.name == name)
            .unwrap_or_else(|| panic!("no fact `{name}`"))
    };
    let guide::facts::FactValue::Integer(counted) = fact("crs.work_years_counted").value else {
        panic!("crs.work_years_counted is not a whole number");
    };
    for table in [
        "crs.canadian_work_points",
        "crs.spouse_canadian_work_points",
    ] {
        let guide::facts::FactValue::Table(table_value) = &fact(table).value else {
            panic!("{table} is not a table");
        };
        let last = table_value.rows.last().unwrap();
        assert_eq!(
            last.key,
            guide_rules::TableKey::Band {
                min: Some(counted),
                max: None
            },
            "{table}"
        );
    }
}
