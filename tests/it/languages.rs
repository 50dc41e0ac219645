//! A site in two languages: pages in pairs, each language its own tree under its own folder,
//! `@/` links to the counterpart in the page's language, the toggle, `hreflang` alternates and
//! the sitemap's, and `guide check`'s missing counterparts.

use crate::common::Fixture;
use guide::check::{CheckOptions, CheckReport};
use guide::Severity;

/// The bilingual fixture, on the built-in theme.
fn bilingual() -> Fixture {
    Fixture::new("bilingual")
}

fn built() -> Fixture {
    let site = bilingual();
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    site
}

fn check(site: &Fixture) -> CheckReport {
    let mut options = CheckOptions::new(site.options());
    options.today = Some(guide_rules::Date::parse("2026-12-01").unwrap());
    guide::check::check(&options).unwrap_or_else(|e| panic!("{}", e.render()))
}

#[test]
fn each_language_is_a_tree_under_its_own_folder_with_translated_slugs() {
    let site = built();
    for path in [
        "index.html",
        "stream/index.html",
        "stream/cap/index.html",
        "stream/family/index.html",
        "fr/index.html",
        "fr/volet/index.html",
        "fr/volet/plafond/index.html",
        "fr/volet/famille/index.html",
    ] {
        assert!(site.path("public").join(path).is_file(), "{path} missing");
    }
    assert!(!site.path("public/stream/family.fr").exists());
    let french = site.output("fr/volet/famille/index.html");
    assert!(french.contains("<html lang=\"fr\">"), "{french}");
    assert!(french.contains("<title>Famille · Guide du programme</title>"));
    let english = site.output("stream/family/index.html");
    assert!(english.contains("<html lang=\"en\">"));
    assert!(english.contains("<title>Family · Program guide</title>"));
}

#[test]
fn an_internal_link_leads_to_the_counterpart_in_the_pages_language() {
    let site = built();
    let french = site.output("fr/volet/famille/index.html");
    assert!(
        french.contains("href=\"../../../fr/volet/plafond/\""),
        "the French page links the French cap page: {french}"
    );
    let english = site.output("stream/family/index.html");
    assert!(english.contains("href=\"../../stream/cap/\""));
    // An anchor is checked against the counterpart's headings.
    let cap = site.output("fr/volet/plafond/index.html");
    assert!(cap.contains("href=\"../../../fr/volet/famille/#conjoints\""));
}

#[test]
fn a_link_to_a_page_missing_in_the_pages_language_is_an_error_naming_the_file_to_write() {
    let site = bilingual();
    std::fs::remove_file(site.path("content/stream/cap.fr.md")).unwrap();
    let (_, text) = site.build_error();
    assert!(
        text.contains("`@/stream/cap.md` has no counterpart in this page's language (`fr`)"),
        "{text}"
    );
    assert!(text.contains("content/stream/family.fr.md:8:52"), "{text}");
    assert!(text.contains("content/stream/cap.fr.md"), "{text}");
}

#[test]
fn an_anchor_missing_from_the_counterpart_is_an_error() {
    let site = bilingual();
    site.edit("content/stream/family.fr.md", "## Conjoints", "## Époux");
    let (_, text) = site.build_error();
    // Named as written, `@/stream/family.md`, and pointed at where it is written, though it
    // leads to the French file.
    assert!(
        text.contains("`@/stream/family.md` has no heading or element with the id `conjoints`"),
        "{text}"
    );
    assert!(text.contains("content/stream/cap.fr.md:6:52"), "{text}");
}

#[test]
fn the_toggle_and_hreflang_links_name_the_same_page_in_the_other_language() {
    let site = built();
    let english = site.output("stream/family/index.html");
    assert!(english.contains(
        "<a class=\"language-toggle\" rel=\"alternate\" href=\"../../fr/volet/famille/\" hreflang=\"fr\" lang=\"fr\">Français</a>"
    ), "{english}");
    assert!(english.contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/guide/fr/volet/famille/\">"
    ));
    assert!(english.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/guide/stream/family/\">"
    ));
    let french = site.output("fr/volet/famille/index.html");
    assert!(french.contains(
        "<a class=\"language-toggle\" rel=\"alternate\" href=\"../../../stream/family/\" hreflang=\"en\" lang=\"en\">English</a>"
    ), "{french}");
    let home = site.output("fr/index.html");
    assert!(home.contains("href=\"../\" hreflang=\"en\""), "{home}");
    // The French site's title leads to the French home.
    assert!(french.contains("class=\"site-title\" href=\"../../../fr/\""));
}

#[test]
fn a_language_lists_its_pages_in_the_default_languages_order() {
    let site = built();
    // By title, French would list "Famille" before "Plafond"; English lists "Cap" first.
    let section = site.output("fr/volet/index.html");
    let plafond = section.find("Plafond").expect("the cap page is listed");
    let famille = section.find("Famille").expect("the family page is listed");
    assert!(plafond < famille, "{section}");
    let english = site.output("stream/index.html");
    assert!(english.find("Cap").unwrap() < english.find("Family").unwrap());
    // The French nav lists the French sections, the English nav the English ones.
    let home = site.output("fr/index.html");
    assert!(home.contains("Le volet"), "{home}");
    assert!(!home.contains(">The stream<"), "{home}");
}

#[test]
fn the_sitemap_lists_every_version_of_a_page_as_alternates() {
    let site = built();
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let family = sitemap
        .split("<url>")
        .find(|entry| entry.contains("<loc>https://example.org/guide/fr/volet/famille/</loc>"))
        .expect("the French family page is in the sitemap");
    assert!(family.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/guide/stream/family/\"/>"
    ), "{family}");
    assert!(family.contains(
        "<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/guide/fr/volet/famille/\"/>"
    ));
}

#[test]
fn a_page_without_its_counterpart_is_a_check_error_or_a_warning_if_the_site_says_so() {
    let site = bilingual();
    site.write(
        "content/stream/dates.md",
        "+++\ntitle = \"Dates\"\ndescription = \"Key dates.\"\n+++\nDates.\n",
    );
    let report = check(&site);
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.message.contains("has no `fr` counterpart"))
        .collect();
    assert_eq!(missing.len(), 1, "{}", report.render_findings());
    assert_eq!(missing[0].severity, Severity::Error);
    assert!(report
        .render_findings()
        .contains("content/stream/dates.fr.md"));
    site.edit(
        "site.toml",
        "[languages.fr]",
        "[check]\nmissing_translation = \"warning\"\n\n[languages.fr]",
    );
    let report = check(&site);
    let missing = report
        .findings
        .iter()
        .find(|f| f.message.contains("has no `fr` counterpart"))
        .expect("still reported");
    assert_eq!(missing.severity, Severity::Warning);
}

#[test]
fn a_complete_bilingual_site_has_no_counterpart_findings() {
    let site = bilingual();
    let report = check(&site);
    assert!(
        !report.render_findings().contains("counterpart"),
        "{}",
        report.render_findings()
    );
}

/// The bilingual fixture with facts, and a page template showing them through the template
/// context and the `human` filter.
fn bilingual_with_facts() -> Fixture {
    let site = bilingual();
    site.write(
        "content/facts/stream.toml",
        "[cap]\nlabel = { en = \"Cap\", fr = \"Plafond\" }\nvalue = 10000\nsource = \"gov\"\n\
         verified = 2023-07-01\nnote = { en = \"Per year.\", fr = \"Par année.\" }\n\n\
         [opened_on]\nlabel = \"Opened\"\nvalue = 2023-07-16\nsource = \"gov\"\n\n\
         [budget]\nlabel = \"Budget\"\nvalue = 104_500_000_000\nunit = \"CAD\"\nsource = \"gov\"\n\n\
         [fee]\nlabel = \"Fee\"\nvalue = 5000\nunit = \"USD\"\nsource = \"gov\"\n\n\
         [rate]\nlabel = \"Rate\"\nvalue = 0.051\nunit = \"percent\"\nsource = \"gov\"\n\n\
         [stay]\nlabel = \"Stay\"\nvalue = 1\nunit = \"years\"\nsource = \"gov\"\n",
    );
    add_gov_source(&site);
    let shortcodes = "{{ fact(stream.cap) }} | {{ fact(stream.opened_on) }} | \
                      {{ fact(stream.budget) }} | {{ fact(stream.fee) }} | \
                      {{ fact(stream.rate) }} | {{ fact(stream.stay) }} | \
                      {{ fact(stream.cap, checked) }}";
    site.edit(
        "content/stream/cap.md",
        "The cap.",
        &format!("The cap. {shortcodes}"),
    );
    site.edit(
        "content/stream/cap.fr.md",
        "Le plafond.",
        &format!("Le plafond. {shortcodes}"),
    );
    site.write(
        "templates/page.html",
        "<html lang=\"{{ page.lang }}\"><body>{{ page.content | safe }}\n\
         <p id=\"label\">{{ facts.stream.cap.label }}: {{ facts.stream.cap.note }} \
         ({{ facts.stream.budget.label }})</p>\n\
         <p id=\"facts\">{{ facts.stream.budget.display }} | {{ facts.stream.stay.display }} | \
         {{ guide_date.display }} | {{ facts.stream.opened_on.value | human(lang=page.lang) }} | \
         {{ facts.stream.cap.value | human(lang=page.lang) }}</p></body></html>",
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    site
}

/// A second source beside the fixture's own, which its rules cite.
fn add_gov_source(site: &Fixture) {
    let sources = site.read("content/facts/sources.toml");
    site.write(
        "content/facts/sources.toml",
        &format!(
            "{sources}\n[gov]\ntitle = \"The policy\"\nurl = \"https://example.org/policy\"\n"
        ),
    );
}

/// The text between `from` and the next `to` in `page`.
fn between<'p>(page: &'p str, from: &str, to: &str) -> &'p str {
    let start = page
        .find(from)
        .unwrap_or_else(|| panic!("no {from} in {page}"))
        + from.len();
    let end = page[start..]
        .find(to)
        .unwrap_or_else(|| panic!("no {to} in {page}"));
    &page[start..start + end]
}

#[test]
fn a_french_page_shows_facts_in_french_formats_and_an_english_one_in_english() {
    let site = bilingual_with_facts();
    let english = site.output("stream/cap/index.html");
    assert_eq!(
        between(&english, "The cap. ", " See also"),
        "10,000 | July 16, 2023 | $104.5 billion | US$5,000 | 5.1% | 1 year | July 2023"
    );
    assert_eq!(
        between(&english, "<p id=\"facts\">", "</p>"),
        "$104.5 billion | 1 year | July 1, 2023 | July 16, 2023 | 10,000"
    );
    assert_eq!(
        between(&english, "<p id=\"label\">", "</p>"),
        "Cap: Per year. (Budget)"
    );
    let french = site.output("fr/volet/plafond/index.html");
    assert_eq!(
        between(&french, "Le plafond. ", " Voir aussi"),
        "10\u{a0}000 | 16 juillet 2023 | 104,5 milliards de dollars | 5\u{a0}000\u{a0}$\u{a0}US \
         | 5,1\u{a0}% | 1 an | juillet 2023"
    );
    assert_eq!(
        between(&french, "<p id=\"facts\">", "</p>"),
        "104,5 milliards de dollars | 1 an | 1er juillet 2023 | 16 juillet 2023 | 10\u{a0}000"
    );
    // A label written in French shows in French; one written once stands in, in English.
    assert_eq!(
        between(&french, "<p id=\"label\">", "</p>"),
        "Plafond: Par année. (Budget)"
    );
}

#[test]
fn a_fact_text_missing_in_a_site_language_is_a_check_error_or_a_warning_at_its_place() {
    let site = bilingual();
    add_gov_source(&site);
    site.write(
        "content/facts/stream.toml",
        "[cap]\nlabel = { en = \"Cap\", fr = \"Plafond\" }\nvalue = 1\nsource = \"gov\"\n\
         verified = 2026-11-01\n\n\
         [fee]\nlabel = \"Fee\"\nvalue = 2\nsource = \"gov\"\nverified = 2026-11-01\n\
         note = { en = \"Each.\" }\n",
    );
    let report = check(&site);
    let rendered = report.render_findings();
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.message.contains("has no `fr`") && f.message.contains("fact"))
        .collect();
    let messages: Vec<&str> = missing.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "fact `stream.fee` has no `fr` label",
            "fact `stream.fee` has no `fr` note"
        ],
        "{rendered}"
    );
    assert!(missing.iter().all(|f| f.severity == Severity::Error));
    // At the label's line (8) and the note's (12) of the file.
    assert!(rendered.contains("stream.toml:8:1"), "{rendered}");
    assert!(rendered.contains("stream.toml:12:1"), "{rendered}");
    assert!(rendered.contains("fr = \"…\""), "{rendered}");

    site.edit(
        "site.toml",
        "[languages.fr]",
        "[check]\nmissing_translation = \"warning\"\n\n[languages.fr]",
    );
    let report = check(&site);
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.message.starts_with("fact `stream.fee` has no `fr`"))
        .collect();
    assert_eq!(missing.len(), 2, "{}", report.render_findings());
    assert!(missing.iter().all(|f| f.severity == Severity::Warning));
}

#[test]
fn a_site_in_one_language_asks_no_fact_for_translations() {
    let site = crate::common::Fixture::new("basic");
    let mut options = CheckOptions::new(site.options());
    options.today = Some(guide_rules::Date::parse("2026-12-01").unwrap());
    let report = guide::check::check(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(
        !report.render_findings().contains("has no `"),
        "{}",
        report.render_findings()
    );
}

/// `guide translations mark ARGS` on `site`: its status, standard output and error.
fn mark(site: &Fixture, args: &[&str]) -> (bool, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_guide"))
        .arg("--root")
        .arg(site.root())
        .args(["translations", "mark"])
        .args(args)
        .output()
        .expect("guide runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn stale_findings(report: &CheckReport) -> Vec<&guide::Diagnostic> {
    report
        .findings
        .iter()
        .filter(|f| f.message.contains("translated from an earlier version"))
        .collect()
}

#[test]
fn marking_a_translation_writes_only_its_translated_from_line() {
    let site = bilingual();
    let before = site.read("content/stream/family.fr.md");
    let (ok, out, err) = mark(&site, &["content/stream/family.fr.md"]);
    assert!(ok, "{err}");
    assert!(
        out.contains(
            "marked content/stream/family.fr.md (translated from content/stream/family.md)"
        ),
        "{out}"
    );
    let after = site.read("content/stream/family.fr.md");
    let line = after
        .lines()
        .find(|line| line.starts_with("translated_from = \""))
        .expect("the key is written");
    let value = &line["translated_from = \"".len()..line.len() - 1];
    assert_eq!(value.len(), 16, "{line}");
    assert!(value.bytes().all(|b| b.is_ascii_hexdigit()), "{line}");
    // Every other byte is as it was: the file minus that line is the file before.
    assert_eq!(after.replace(&format!("{line}\n"), ""), before);
    // Marking again changes nothing.
    let (ok, out, _) = mark(&site, &["content/stream/family.fr.md"]);
    assert!(ok);
    assert!(out.contains("already up to date"), "{out}");
    assert_eq!(site.read("content/stream/family.fr.md"), after);
    // No temporary file is left beside it.
    let leftovers: Vec<_> = std::fs::read_dir(site.path("content/stream"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_translation_whose_source_changed_after_it_was_marked_is_a_check_warning_at_its_record() {
    let site = bilingual();
    let (ok, _, err) = mark(&site, &["--all"]);
    assert!(ok, "{err}");
    assert!(stale_findings(&check(&site)).is_empty());
    // A change to the source's body makes the translation stale; its own edits do not.
    site.edit("content/stream/family.md", "could come", "could come too");
    site.edit("content/stream/family.fr.md", "pouvaient", "peuvent");
    let report = check(&site);
    let stale = stale_findings(&report);
    assert_eq!(stale.len(), 1, "{}", report.render_findings());
    assert_eq!(stale[0].severity, Severity::Warning);
    let rendered = stale[0].render();
    assert!(
        rendered.contains("translated from an earlier version of `content/stream/family.md`"),
        "{rendered}"
    );
    // At the value of `translated_from`: line 5 (after title, description, slug), column 19.
    assert!(
        rendered.contains("content/stream/family.fr.md:5:19"),
        "{rendered}"
    );
    assert!(
        rendered.contains("run `guide translations mark content/stream/family.fr.md`"),
        "{rendered}"
    );
    // Marking the source marks its translations, and the warning goes.
    let (ok, out, err) = mark(&site, &["content/stream/family.md"]);
    assert!(ok, "{err}");
    assert!(out.contains("marked content/stream/family.fr.md"), "{out}");
    assert!(stale_findings(&check(&site)).is_empty());
}

#[test]
fn the_source_title_and_description_count_but_its_line_endings_do_not() {
    let site = bilingual();
    mark(&site, &["--all"]);
    let source = site.read("content/stream/cap.md");
    site.write("content/stream/cap.md", &source.replace('\n', "\r\n"));
    assert!(stale_findings(&check(&site)).is_empty());
    site.write(
        "content/stream/cap.md",
        &source.replace("title = \"Cap\"", "title = \"The cap\""),
    );
    assert_eq!(stale_findings(&check(&site)).len(), 1);
    site.write("content/stream/cap.md", &source);
    assert!(stale_findings(&check(&site)).is_empty());
    let description = source
        .lines()
        .find(|line| line.starts_with("description"))
        .expect("the fixture's cap page has a description");
    site.write(
        "content/stream/cap.md",
        &source.replace(description, "description = \"Changed.\""),
    );
    assert_eq!(stale_findings(&check(&site)).len(), 1);
}

#[test]
fn a_translation_without_a_record_is_not_reported() {
    let site = bilingual();
    site.edit("content/stream/family.md", "could come", "could come too");
    let report = check(&site);
    assert!(stale_findings(&report).is_empty());
    assert!(!report.render_findings().contains("translated_from"));
}

#[test]
fn marking_a_file_that_is_not_a_page_or_has_no_source_is_an_error() {
    let site = bilingual();
    let (ok, _, err) = mark(&site, &["content/stream/nothing.fr.md"]);
    assert!(!ok);
    assert!(err.contains("is not a page of the site"), "{err}");
    site.write(
        "content/stream/alone.fr.md",
        "+++\ntitle = \"Seule\"\n+++\nTexte.\n",
    );
    let (ok, _, err) = mark(&site, &["content/stream/alone.fr.md"]);
    assert!(!ok);
    assert!(
        err.contains("this translation has no source in the default language (`en`)"),
        "{err}"
    );
    assert!(err.contains("content/stream/alone.md"), "{err}");
    assert!(!site
        .read("content/stream/alone.fr.md")
        .contains("translated_from"));
    // With neither pages nor --all, the command says what it needs.
    let (ok, _, err) = mark(&site, &[]);
    assert!(!ok);
    assert!(err.contains("--all"), "{err}");
}

#[test]
fn theme_strings_are_in_the_pages_language() {
    let site = built();
    let french = site.output("fr/volet/famille/index.html");
    for text in [
        ">Passer au contenu principal</a>",
        "aria-label=\"Menu principal\"",
        "aria-label=\"Chemin de navigation\"",
        ">Accueil</a>",
        "aria-label=\"Pages précédente et suivante\"",
    ] {
        assert!(french.contains(text), "{text} missing: {french}");
    }
    assert!(!french.contains("Skip to main content"));
    let english = site.output("stream/family/index.html");
    for text in [
        ">Skip to main content</a>",
        "aria-label=\"Breadcrumb\"",
        ">Home</a>",
    ] {
        assert!(english.contains(text), "{text} missing: {english}");
    }
    assert!(!english.contains("Passer au contenu"));
}

#[test]
fn the_404_page_speaks_both_languages_each_marked_with_its_lang() {
    let site = built();
    let page = site.output("404.html");
    assert!(page.contains("<html lang=\"en\">"), "{page}");
    assert!(page.contains("<h1>Page not found</h1>"), "{page}");
    assert!(page.contains("<title>Page not found / Page introuvable · Program guide</title>"));
    let french = page
        .split("<section class=\"not-found-other\" lang=\"fr\"")
        .nth(1)
        .expect("a French passage marked lang=\"fr\"");
    assert!(french.contains("Page introuvable"), "{french}");
    assert!(french.contains("<a href=\"/guide/fr/\">Aller à la page d’accueil</a>"));
}

#[test]
fn a_site_strings_file_goes_over_the_theme_and_a_missing_language_is_a_check_finding() {
    let site = bilingual();
    site.write(
        "strings.toml",
        "[theme]\nmenu = { en = \"Sections\", fr = \"Rubriques\" }\nhome = { en = \"Start\" }\n",
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let french = site.output("fr/volet/famille/index.html");
    assert!(french.contains("<summary>Rubriques</summary>"), "{french}");
    // Missing in French, the string shows the default language's text there.
    assert!(french.contains(">Start</a>"), "{french}");
    assert!(site
        .output("stream/family/index.html")
        .contains("<summary>Sections</summary>"));
    let report = check(&site);
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.message.contains("theme string"))
        .collect();
    assert_eq!(missing.len(), 1, "{}", report.render_findings());
    assert_eq!(missing[0].severity, Severity::Error);
    let rendered = missing[0].render();
    assert!(
        rendered.contains("the theme string `home` has no text in `fr`"),
        "{rendered}"
    );
    assert!(rendered.contains("strings.toml:3:8"), "{rendered}");
    site.edit(
        "site.toml",
        "[languages.fr]",
        "[check]\nmissing_translation = \"warning\"\n\n[languages.fr]",
    );
    let report = check(&site);
    let missing = report
        .findings
        .iter()
        .find(|f| f.message.contains("theme string `home`"))
        .expect("still reported");
    assert_eq!(missing.severity, Severity::Warning);
}

#[test]
fn a_template_asking_for_an_unknown_string_fails_the_build_naming_the_nearest() {
    let site = bilingual();
    site.write(
        "templates/partials/toc.html",
        "<p>{{ trans(key=\"on_this_pge\") }}</p>\n",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("no theme string `on_this_pge`"), "{text}");
    assert!(text.contains("did you mean `on_this_page`"), "{text}");
}

#[test]
fn a_shortcode_asking_for_a_theme_string_gets_it_in_its_pages_language() {
    let site = bilingual();
    site.write(
        "templates/shortcodes/said.html",
        "<span class=\"said\">{{ trans(key=\"on_this_page\") }}</span>",
    );
    for file in ["content/stream/family.md", "content/stream/family.fr.md"] {
        let text = site.read(file);
        site.write(file, &format!("{text}\n{{{{ said() }}}}\n"));
    }
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let french = site.output("fr/volet/famille/index.html");
    assert!(
        french.contains("<span class=\"said\">Sur cette page</span>"),
        "{french}"
    );
    let english = site.output("stream/family/index.html");
    assert!(
        english.contains("<span class=\"said\">On this page</span>"),
        "{english}"
    );
}

#[test]
fn a_bad_site_strings_file_is_an_error_at_its_line() {
    let site = bilingual();
    site.write("strings.toml", "[theme]\nmenu = { english = \"Menu\" }\n");
    let (_, text) = site.build_error();
    assert!(text.contains("strings.toml:2"), "{text}");
    assert!(text.contains("`english` is not a language code"), "{text}");
}

#[test]
fn each_language_has_its_own_atom_feed_linked_from_its_pages() {
    let site = bilingual();
    site.edit(
        "content/stream/cap.md",
        "title = \"Cap\"",
        "title = \"Cap\"\nupdate = true\ndate = 2026-03-01",
    );
    site.edit(
        "content/stream/cap.fr.md",
        "+++\n",
        "+++\nupdate = true\ndate = 2026-03-01\n",
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let english = site.output("atom.xml");
    assert!(english.contains("xml:lang=\"en\""), "{english}");
    assert!(english.contains("<title>Cap</title>"), "{english}");
    assert!(!english.contains("Plafond"), "{english}");
    let french = site.output("fr/atom.xml");
    assert!(french.contains("xml:lang=\"fr\""), "{french}");
    assert!(
        french.contains("<title>Guide du programme</title>"),
        "{french}"
    );
    assert!(french.contains(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/guide/fr/atom.xml\"/>"
    ));
    assert!(
        french.contains("<id>https://example.org/guide/fr/volet/plafond/</id>"),
        "{french}"
    );
    assert!(!french.contains("<title>Cap</title>"), "{french}");
    let page = site.output("fr/volet/famille/index.html");
    assert!(
        page.contains(
            "href=\"../../../fr/atom.xml\" title=\"Guide du programme\u{a0}: mises à jour du programme\""
        ),
        "{page}"
    );
    assert!(site
        .output("stream/family/index.html")
        .contains("href=\"../../atom.xml\""));
    // With updates in one language only, the other has no feed and links none.
    site.edit("content/stream/cap.fr.md", "update = true\n", "");
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(!site.path("public/fr/atom.xml").exists());
    assert!(!site
        .output("fr/volet/famille/index.html")
        .contains("atom.xml"));
}

#[test]
fn a_checker_speaks_its_pages_language_from_one_module() {
    let site = built();
    let english = site.output("stream/check/index.html");
    let french = site.output("fr/volet/verifier/index.html");
    let module = |html: &str| {
        let start = html.find("checker-permit.").expect("the module's script");
        let end = start + html[start..].find('"').unwrap();
        html[start..end].to_string()
    };
    // One module, one fingerprinted file, for both languages.
    assert_eq!(module(&english), module(&french));
    // The rules' texts, the theme's wording and the facts in each page's language.
    for (html, words) in [
        (
            &english,
            &[
                "<legend>Who was applying?</legend>",
                "<label for=\"checker-permit-role-spouse\">The holder&#39;s spouse</label>",
                "<button type=\"submit\">Show my result</button>",
                "To qualify, each of these had to be true:",
                // Without JavaScript, a value is named in the page's language.
                "<h2 tabindex=\"-1\">You could get a permit</h2>",
            ][..],
        ),
        (
            &french,
            &[
                "<legend>Qui présentait la demande?</legend>",
                "<label for=\"checker-permit-role-spouse\">L’époux ou le conjoint du titulaire</label>",
                "<button type=\"submit\">Afficher mon résultat</button>",
                "Pour être admissible, chacune de ces conditions devait être remplie\u{a0}:",
                "data-missing=\"Choisissez une réponse à «\u{a0}Qui présentait la demande?\u{a0}»\"",
                "<h2 tabindex=\"-1\">Vous pouviez obtenir un permis</h2>",
                "Il aurait pris fin le <span data-value=\"permit_ends_on\"></span>.",
            ][..],
        ),
    ] {
        for expected in words {
            assert!(html.contains(expected), "{expected} in {html}");
        }
    }
    assert!(!french.contains("Who was applying?"), "{french}");
    assert!(!french.contains("Show my result"), "{french}");
    // The script writes values in the page's formats, which the page hands it.
    assert!(
        french.contains("data-formats=\"{&quot;date&quot;:"),
        "{french}"
    );
}

#[test]
fn a_rules_text_missing_in_a_language_is_a_check_error_or_a_warning_if_the_site_says_so() {
    let site = bilingual();
    site.edit(
        "content/rules/permit.toml",
        r#"heading = { en = "You could not get a permit", fr = "Vous ne pouviez pas obtenir de permis" }"#,
        r#"heading = "You could not get a permit""#,
    );
    let report = check(&site);
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.message.contains("has no `fr` text"))
        .collect();
    assert_eq!(missing.len(), 1, "{}", report.render_findings());
    assert_eq!(
        missing[0].message,
        "the heading of outcome `not_eligible` has no `fr` text"
    );
    assert_eq!(missing[0].severity, Severity::Error);
    let rendered = report.render_findings();
    assert!(
        rendered.contains("content/rules/permit.toml:54:11"),
        "{rendered}"
    );
    // The French page shows the English heading meanwhile.
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(site
        .output("fr/volet/verifier/index.html")
        .contains("<h2 tabindex=\"-1\">You could not get a permit</h2>"));
    site.edit(
        "site.toml",
        "[languages.fr]",
        "[check]\nmissing_translation = \"warning\"\n\n[languages.fr]",
    );
    let report = check(&site);
    let missing = report
        .findings
        .iter()
        .find(|f| f.message.contains("has no `fr` text"))
        .expect("still reported");
    assert_eq!(missing.severity, Severity::Warning);
}

/// The bilingual fixture with a source in both languages and one published only in English,
/// each cited by a fact that both versions of the cap page cite, and a sources page in each
/// language.
fn bilingual_with_sources() -> Fixture {
    let site = bilingual();
    site.write(
        "content/facts/sources.toml",
        "[policy]\ntitle = { en = \"The public policy\", fr = \"La politique d'intérêt public\" }\n\
         url = { en = \"https://example.org/policy\", fr = \"https://example.org/fr/politique\" }\n\
         publisher = { en = \"Ministry\", fr = \"Ministère\" }\n\n\
         [report]\ntitle = \"A report in English\"\nlanguages = [\"en\"]\n\
         url = \"https://example.org/report\"\npublisher = { en = \"A newspaper\", fr = \"Un journal\" }\n",
    );
    site.write(
        "content/facts/stream.toml",
        "[cap]\nlabel = { en = \"Cap\", fr = \"Plafond\" }\nvalue = 10000\nsource = \"policy\"\n\
         verified = 2023-07-01\n\n\
         [fee]\nlabel = { en = \"Fee\", fr = \"Frais\" }\nvalue = 5000\nunit = \"USD\"\n\
         source = \"report\"\nverified = 2023-07-01\n",
    );
    let cited = "{{ fact(stream.cap, cite) }} and {{ fact(stream.fee, cite) }}";
    site.edit(
        "content/stream/cap.md",
        "The cap.",
        &format!("The cap. {cited}"),
    );
    site.edit(
        "content/stream/cap.fr.md",
        "Le plafond.",
        &format!("Le plafond. {cited}"),
    );
    site.write(
        "content/sources.md",
        "+++\ntitle = \"Sources\"\ntemplate = \"sources.html\"\n+++\n",
    );
    site.write(
        "content/sources.fr.md",
        "+++\ntitle = \"Sources\"\nslug = \"sources\"\ntemplate = \"sources.html\"\n+++\n",
    );
    site
}

/// The `<li>` of source `id` on a sources page.
fn source_item<'p>(page: &'p str, id: &str) -> &'p str {
    between(page, &format!("id=\"source-{id}\">"), "</li>")
}

#[test]
fn a_french_page_cites_a_sources_french_title_and_address() {
    let site = bilingual_with_sources();
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let french = site.output("fr/sources/index.html");
    let policy = source_item(&french, "policy");
    assert!(
        policy.contains(
            "<a href=\"https://example.org/fr/politique\" rel=\"external\">La politique d&#39;intérêt public</a>"
        ),
        "{policy}"
    );
    assert!(policy.contains("Ministère"), "{policy}");
    assert!(
        !policy.contains("lang=\"en\"") && !policy.contains("en anglais"),
        "{policy}"
    );
    // The fact's own link on the page: the French address, titled in French.
    let page = site.output("fr/volet/plafond/index.html");
    assert!(
        page.contains(
            "<a class=\"fact-source\" href=\"https://example.org/fr/politique\" \
             title=\"Source\u{a0}: La politique d&#39;intérêt public\">10\u{a0}000</a>"
        ),
        "{page}"
    );
    // The English pages keep the English title and address.
    let english = site.output("sources/index.html");
    let policy = source_item(&english, "policy");
    assert!(
        policy.contains(
            "<a href=\"https://example.org/policy\" rel=\"external\">The public policy</a>"
        ),
        "{policy}"
    );
    assert!(policy.contains("Ministry"), "{policy}");
}

#[test]
fn a_source_published_only_in_english_is_cited_on_french_pages_in_english_and_marked() {
    let site = bilingual_with_sources();
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let french = site.output("fr/sources/index.html");
    let report = source_item(&french, "report");
    assert!(
        report.contains(
            "<a href=\"https://example.org/report\" rel=\"external\" hreflang=\"en\" lang=\"en\">\
             A report in English</a> <span class=\"source-language\">(en anglais)</span>"
        ),
        "{report}"
    );
    // Who published it is said in French all the same.
    assert!(report.contains("Un journal"), "{report}");
    let page = site.output("fr/volet/plafond/index.html");
    assert!(
        page.contains(
            "<a class=\"fact-source\" href=\"https://example.org/report\" hreflang=\"en\" \
             title=\"Source\u{a0}: A report in English (en anglais)\">"
        ),
        "{page}"
    );
    // On an English page it is an ordinary source.
    let english = site.output("sources/index.html");
    let report = source_item(&english, "report");
    assert!(
        !report.contains("lang=") && !report.contains("(in English)"),
        "{report}"
    );
    // Nothing is missing: the English-only source asks no French title.
    let findings = check(&site);
    let untranslated: Vec<_> = findings
        .findings
        .iter()
        .filter(|f| f.message.contains("has no `fr`"))
        .collect();
    assert!(untranslated.is_empty(), "{}", findings.render_findings());
}

#[test]
fn a_source_title_missing_in_a_site_language_is_a_check_error_or_a_warning_at_its_place() {
    let site = bilingual_with_sources();
    site.edit(
        "content/facts/sources.toml",
        "title = \"A report in English\"\nlanguages = [\"en\"]\n",
        "title = \"A report in English\"\n",
    );
    let report = check(&site);
    let rendered = report.render_findings();
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.message.starts_with("source `report`"))
        .collect();
    let messages: Vec<&str> = missing.iter().map(|f| f.message.as_str()).collect();
    assert_eq!(
        messages,
        ["source `report` has no `fr` title"],
        "{rendered}"
    );
    assert_eq!(missing[0].severity, Severity::Error);
    // At the title, line 7 column 9, with what to write either way.
    assert!(rendered.contains("sources.toml:7:9"), "{rendered}");
    assert!(rendered.contains("languages = [\"en\"]"), "{rendered}");
    assert!(
        rendered.contains("title = { en = \"…\", fr = \"…\" }"),
        "{rendered}"
    );

    site.edit(
        "site.toml",
        "[languages.fr]",
        "[check]\nmissing_translation = \"warning\"\n\n[languages.fr]",
    );
    let report = check(&site);
    let missing: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.message.starts_with("source `report`"))
        .collect();
    assert_eq!(missing.len(), 1, "{}", report.render_findings());
    assert_eq!(missing[0].severity, Severity::Warning);
}

#[test]
fn a_text_value_shows_in_the_pages_language_and_a_missing_one_is_a_check_finding() {
    let site = bilingual();
    site.write(
        "content/facts/stream.toml",
        "[status]\nlabel = { en = \"Status\", fr = \"Statut\" }\nsource = \"policy\"\n\
         value = { en = \"open\", fr = \"ouvert\" }\nverified = 2023-07-01\n\n\
         [[status.values]]\nfrom = 2023-07-17\nvalue = { en = \"closed\", fr = \"fermé\" }\n\
         note = { en = \"Cap reached.\", fr = \"Plafond atteint.\" }\nverified = 2023-07-20\n\n\
         [basis]\nlabel = { en = \"Basis\", fr = \"Fondement\" }\nvalue = \"a public policy\"\n\
         source = \"policy\"\nverified = 2023-07-01\n",
    );
    let shown = "{{ fact(stream.status) }} / {{ fact(stream.basis) }}";
    site.edit(
        "content/stream/cap.md",
        "The cap.",
        &format!("The cap. {shown}"),
    );
    site.edit(
        "content/stream/cap.fr.md",
        "Le plafond.",
        &format!("Le plafond. {shown}"),
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let french = site.output("fr/volet/plafond/index.html");
    // The French text where it is written; the English one stands in where it is not.
    assert_eq!(
        between(&french, "Le plafond. ", " Voir aussi"),
        "fermé / a public policy"
    );
    let english = site.output("stream/cap/index.html");
    assert_eq!(
        between(&english, "The cap. ", " See also"),
        "closed / a public policy"
    );
    let report = check(&site);
    let rendered = report.render_findings();
    let messages: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .filter(|m| m.contains("has no `fr`"))
        .collect();
    assert_eq!(
        messages,
        ["fact `stream.basis` has no `fr` value"],
        "{rendered}"
    );
    // At the value, line 15 of the file.
    assert!(rendered.contains("stream.toml:15:1"), "{rendered}");

    // A dated value without its French text or note is reported at it.
    site.edit(
        "content/facts/stream.toml",
        "value = { en = \"closed\", fr = \"fermé\" }\nnote = { en = \"Cap reached.\", fr = \"Plafond atteint.\" }",
        "value = \"closed\"\nnote = \"Cap reached.\"",
    );
    let report = check(&site);
    let messages: Vec<&str> = report
        .findings
        .iter()
        .map(|f| f.message.as_str())
        .filter(|m| m.contains("from 2023-07-17 has no"))
        .collect();
    assert_eq!(
        messages,
        [
            "the value of fact `stream.status` from 2023-07-17 has no `fr` value",
            "the value of fact `stream.status` from 2023-07-17 has no `fr` note"
        ],
        "{}",
        report.render_findings()
    );
}

#[test]
fn a_text_value_written_per_language_must_give_the_default_language() {
    let site = bilingual();
    site.write(
        "content/facts/stream.toml",
        "[status]\nlabel = \"Status\"\nvalue = { fr = \"ouvert\" }\n",
    );
    let (_, rendered) = site.build_error();
    assert!(
        rendered.contains(
            "a text value written per language needs the site's default language: add `en = \"…\"`"
        ),
        "{rendered}"
    );
    assert!(rendered.contains("stream.toml:3:9"), "{rendered}");
}

#[test]
fn a_checkers_criteria_cite_their_source_in_the_pages_language_or_marked_in_its_own() {
    let site = bilingual();
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let french = site.output("fr/volet/verifier/index.html");
    assert!(
        french.contains(
            "<a href=\"https://example.org/fr/politique\">La politique d’intérêt public</a>)"
        ),
        "{french}"
    );
    let english = site.output("stream/check/index.html");
    assert!(
        english.contains("<a href=\"https://example.org/policy\">The public policy</a>)"),
        "{english}"
    );
    // The same source, published only in English: its English title, marked, on French pages.
    site.write(
        "content/facts/sources.toml",
        "[policy]\ntitle = \"The public policy\"\nlanguages = [\"en\"]\n\
         url = \"https://example.org/policy\"\npublisher = { en = \"Ministry\", fr = \"Ministère\" }\n",
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let french = site.output("fr/volet/verifier/index.html");
    assert!(
        french.contains(
            "<a href=\"https://example.org/policy\" hreflang=\"en\" lang=\"en\">The public policy</a> (en anglais))"
        ),
        "{french}"
    );
    let english = site.output("stream/check/index.html");
    assert!(!english.contains("(in English)"), "{english}");
}

/// A page marked with a language the site does not publish in (`.fr` without
/// `[languages.fr]`), or with the default language's own code, would be published as a page
/// of the default language at an address ending in `.fr/`: an error naming the file and what
/// to do instead.
#[test]
fn a_page_marked_with_a_language_the_site_has_not_is_an_error_naming_the_file() {
    let site = crate::common::Fixture::new("basic");
    site.write(
        "content/stream/family.fr.md",
        "+++\ntitle = \"Famille\"\n+++\n",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(text.contains("content/stream/family.fr.md"), "{text}");
    assert!(
        text.contains("is marked as a page in `fr`, which is not one of the site's languages"),
        "{text}"
    );
    assert!(text.contains("`[languages.fr]`"), "{text}");
    assert!(!site.path("public").exists());

    std::fs::remove_file(site.path("content/stream/family.fr.md")).unwrap();
    site.write(
        "content/stream/family.en.md",
        "+++\ntitle = \"Family\"\n+++\n",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(text.contains("content/stream/family.en.md"), "{text}");
    assert!(
        text.contains("is marked `.en`, the site's default language"),
        "{text}"
    );
    assert!(text.contains("`family.md`"), "{text}");

    // A mark that names no language is part of the page's name, as before.
    std::fs::remove_file(site.path("content/stream/family.en.md")).unwrap();
    site.write("content/stream/v1.2.md", "+++\ntitle = \"Version\"\n+++\n");
    site.build().unwrap_or_else(|e| panic!("{e}"));
    assert!(site.path("public/stream/v1.2/index.html").exists());
}

#[test]
fn a_language_folder_taken_by_a_page_is_an_error_at_the_languages_path_in_site_toml() {
    // The French home is at `/stream/`, where the English section already is. Whether the
    // home has a file or not, what sets its address is `path` in site.toml.
    for (home_file, location) in [(true, "site.toml:9:8"), (false, "site.toml:9:8")] {
        let site = Fixture::new("bilingual");
        site.edit(
            "site.toml",
            "description = \"Un guide du programme.\"",
            "description = \"Un guide du programme.\"\npath = \"stream\"",
        );
        if !home_file {
            std::fs::remove_file(site.path("content/_index.fr.md")).unwrap();
        }
        let (diagnostics, text) = site.build_error();
        assert_eq!(diagnostics.len(), 1, "{text}");
        assert_eq!(diagnostics.0[0].location(), location, "{text}");
        assert!(text.contains("the home page of `fr` and "), "{text}");
        assert!(text.contains("both have the URL `/stream/`"), "{text}");
        assert!(
            text.contains(
                "help: give `[languages.fr]` another `path`, or the other page another `slug`"
            ),
            "{text}"
        );
        assert!(!text.contains("content/_index.fr.md"), "{text}");
    }
}

#[test]
fn a_language_folder_that_differs_from_a_pages_only_in_case_is_an_error_at_its_path() {
    let site = Fixture::new("bilingual");
    site.edit(
        "site.toml",
        "description = \"Un guide du programme.\"",
        "description = \"Un guide du programme.\"\npath = \"Stream\"",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert_eq!(diagnostics.0[0].location(), "site.toml:9:8", "{text}");
    assert!(
        text.contains("the home page of `fr` (`/Stream/`) and the site's `/stream/` differ"),
        "{text}"
    );
    assert!(
        text.contains("differ only in letter case or accents"),
        "{text}"
    );
    assert!(
        text.contains("help: give `[languages.fr]` another `path`"),
        "{text}"
    );
}

/// A question's `{min}` and `{max}` are written as each page's language writes numbers, in its
/// help and in its messages, whether the text is written once or per language.
#[test]
fn a_question_s_bounds_are_written_in_each_page_s_number_format() {
    let site = bilingual();
    site.edit(
        "content/rules/permit.toml",
        "min = 1\nmax = 3\n",
        "min = 1\nmax = 12000\n\
         help = { en = \"From {min} to {max}.\", fr = \"De {min} à {max}.\" }\n\
         error = \"{min}-{max}\"\n",
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    for (path, help, error) in [
        ("stream/check/index.html", "From 1 to 12,000.", "1-12,000"),
        (
            "fr/volet/verifier/index.html",
            "De 1 à 12\u{a0}000.",
            "1-12\u{a0}000",
        ),
    ] {
        let html = site.output(path);
        assert!(html.contains(&format!(">{help}</p>")), "{path}: {html}");
        assert!(
            html.contains(&format!("data-missing=\"{error}\"")),
            "{path}: {html}"
        );
    }
}
