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
    assert!(
        text.contains("has no heading or element with the id `conjoints`"),
        "{text}"
    );
    assert!(text.contains("content/stream/cap.fr.md"), "{text}");
}

#[test]
fn the_toggle_and_hreflang_links_name_the_same_page_in_the_other_language() {
    let site = built();
    let english = site.output("stream/family/index.html");
    assert!(english.contains(
        "<a class=\"language-toggle\" href=\"../../fr/volet/famille/\" hreflang=\"fr\" lang=\"fr\">Français</a>"
    ), "{english}");
    assert!(english.contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/guide/fr/volet/famille/\">"
    ));
    assert!(english.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/guide/stream/family/\">"
    ));
    let french = site.output("fr/volet/famille/index.html");
    assert!(french.contains(
        "<a class=\"language-toggle\" href=\"../../../stream/family/\" hreflang=\"en\" lang=\"en\">English</a>"
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
