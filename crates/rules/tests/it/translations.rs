//! Texts in several languages: every text a reader sees may be a table by language; each
//! language's placeholders are checked in its own string, every language must show the same
//! ones, and a text missing in one of the site's languages is reported where it is written.

use crate::common::h1b_facts;
use guide_rules::{compile, line_column, Diagnostic, Segment, Translatable, Translated};

const BILINGUAL: &str = r#"[[questions]]
id = "role"
type = "choice"
text = { en = "Who is applying?", fr = "Qui présente la demande?" }
help = { en = "Opened {facts.h1b.opened_on}.", fr = "Ouvert le {facts.h1b.opened_on}." }
choices = [
  { id = "principal", label = { en = "Holder", fr = "Titulaire" } },
  { id = "spouse", label = { en = "Spouse", fr = "Époux" } },
]

[[questions]]
id = "count"
type = "integer"
min = 1
max = 3
text = { en = "How many years?", fr = "Combien d’années?" }

[[values]]
id = "doubled"
label = { en = "Twice", fr = "Le double" }
formula = "count + count"

[[criteria]]
id = "holds_visa"
condition = "role == principal"
passed = { en = "You hold the visa.", fr = "Vous êtes titulaire du visa." }
failed = { en = "Only holders, until {facts.h1b.closed_on}.", fr = "Seulement les titulaires, jusqu’au {facts.h1b.closed_on}." }

[[outcomes]]
id = "yes"
when = "holds_visa"
heading = { en = "Yes: {doubled}", fr = "Oui : {doubled}" }
text = { en = "Good.", fr = "Bien." }

[[outcomes]]
id = "no"
heading = { en = "No", fr = "Non" }
text = { en = "Sorry.", fr = "Désolé." }
"#;

fn errors(source: &str) -> Vec<Diagnostic> {
    compile(source, &h1b_facts()).expect_err("the rules should not compile")
}

/// Where a diagnostic points, as `line:column`.
fn at(source: &str, diagnostic: &Diagnostic) -> (usize, usize) {
    let span = diagnostic.span.clone().expect("the diagnostic has a place");
    line_column(source, span.start)
}

/// Where `needle` is in `source`, as `line:column`.
fn place(source: &str, needle: &str) -> (usize, usize) {
    line_column(source, source.find(needle).expect(needle))
}

#[test]
fn every_text_field_takes_a_table_by_language() {
    let program = compile(BILINGUAL, &h1b_facts()).unwrap_or_else(|e| panic!("{e:?}"));
    let role = &program.questions()[0];
    assert_eq!(role.text.get("fr", "en"), Some("Qui présente la demande?"));
    assert_eq!(role.text.get("en", "en"), Some("Who is applying?"));
    let help = role.help.as_ref().unwrap();
    assert_eq!(
        help.get("fr", "en").unwrap().segments,
        [
            Segment::Literal {
                text: "Ouvert le ".into()
            },
            Segment::Fact {
                name: "h1b.opened_on".into(),
                display: "July 16, 2023".into()
            },
            Segment::Literal { text: ".".into() },
        ]
    );
    let guide_rules::QuestionKind::Choice { choices } = &role.kind else {
        panic!("{:?}", role.kind)
    };
    assert_eq!(choices[1].label.get("fr", "en"), Some("Époux"));
    assert_eq!(
        program.values()[0].label,
        Translatable::PerLanguage(vec![
            ("en".into(), "Twice".into()),
            ("fr".into(), "Le double".into())
        ])
    );
    let failed = &program.criteria()[0].failed;
    assert_eq!(
        failed.get("fr", "en").unwrap().render(|_| unreachable!()),
        "Seulement les titulaires, jusqu’au July 17, 2023."
    );
    let heading = program.outcomes()[0].heading.get("fr", "en").unwrap();
    assert_eq!(heading.value_ids().collect::<Vec<_>>(), ["doubled"]);
    // Each language's text keeps its own place in the file.
    let french_heading = BILINGUAL.find("\"Oui : {doubled}\"").unwrap();
    assert_eq!(heading.span.start, french_heading);
    // One logic: the languages share the module.
    assert!(!program.emit_wasm().is_empty());
    assert!(program.untranslated(&["en", "fr"], "en").is_empty());
}

#[test]
fn plain_strings_still_compile_as_the_default_language() {
    let program = crate::common::h1b();
    let first = &program.questions()[0];
    assert!(matches!(first.text, Translatable::Plain(_)));
    assert!(matches!(
        program.outcomes()[0].heading,
        Translated::Plain(_)
    ));
    // A site in one language misses nothing.
    assert!(program.untranslated(&["en"], "en").is_empty());
}

#[test]
fn a_placeholder_is_checked_in_each_languages_text_at_its_own_place() {
    let source = BILINGUAL.replace(
        "jusqu’au {facts.h1b.closed_on}.",
        "jusqu’au {facts.h1b.closed}.",
    );
    let found = errors(&source);
    // One mistake, one message: the French text is not also said to show fewer placeholders.
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].message, "unknown fact `facts.h1b.closed`");
    assert_eq!(at(&source, &found[0]), place(&source, "{facts.h1b.closed}"));
    assert_eq!(
        found[0].help.as_deref(),
        Some("did you mean `facts.h1b.closed_on`?")
    );
}

#[test]
fn languages_that_show_different_placeholders_are_reported_at_the_translation() {
    let source = BILINGUAL.replace("Oui : {doubled}", "Oui");
    let found = errors(&source);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "the `fr` text of the heading of outcome `yes` shows no placeholder, but the `en` text shows `{doubled}`"
    );
    assert_eq!(at(&source, &found[0]), place(&source, "\"Oui\""));
    // The English text it differs from is labelled.
    let rendered = found[0].render();
    assert!(rendered.contains("the `en` text"), "{rendered}");
    assert!(
        found[0]
            .help
            .as_deref()
            .unwrap()
            .contains("translate the words around them"),
        "{:?}",
        found[0].help
    );

    // A fact instead of another is a difference too, and so is a help's.
    let source = BILINGUAL.replace(
        "Ouvert le {facts.h1b.opened_on}.",
        "Ouvert le {facts.h1b.closed_on}.",
    );
    let found = errors(&source);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "the `fr` text of the help of question `role` shows `{facts.h1b.closed_on}`, but the `en` text shows `{facts.h1b.opened_on}`"
    );
    assert_eq!(
        at(&source, &found[0]),
        place(&source, "\"Ouvert le {facts.h1b.closed_on}.\"")
    );
}

#[test]
fn a_text_missing_in_a_site_language_is_reported_where_it_is_written() {
    let source = BILINGUAL
        .replace(
            r#"text = { en = "Good.", fr = "Bien." }"#,
            r#"text = { en = "Good." }"#,
        )
        .replace(
            r#"{ id = "spouse", label = { en = "Spouse", fr = "Époux" } }"#,
            r#"{ id = "spouse", label = "Spouse" }"#,
        );
    let program = compile(&source, &h1b_facts()).unwrap_or_else(|e| panic!("{e:?}"));
    let found = program.untranslated(&["en", "fr"], "en");
    let described: Vec<(&str, (usize, usize))> = found
        .iter()
        .map(|d| (d.message.as_str(), at(&source, d)))
        .collect();
    assert_eq!(
        described,
        [
            (
                "the label of choice `spouse` of question `role` has no `fr` text",
                place(&source, "\"Spouse\"")
            ),
            (
                "the text of outcome `yes` has no `fr` text",
                place(&source, "{ en = \"Good.\" }")
            ),
        ]
    );
    assert_eq!(
        found[0].help.as_deref(),
        Some("write it in each language, as a table: { en = \"…\", fr = \"…\" }")
    );
    assert_eq!(
        found[1].help.as_deref(),
        Some("add fr = \"…\" to its table")
    );
    // In English only, nothing is missing; with a third language, every text is.
    assert!(program.untranslated(&["en"], "en").is_empty());
    let with_german = program.untranslated(&["en", "fr", "de"], "en");
    assert!(with_german
        .iter()
        .any(|d| d.message == "the text of question `role` has no `de` text"));
    assert!(with_german
        .iter()
        .any(|d| d.message == "the text of outcome `yes` has no `fr` or `de` text"));
}

#[test]
fn a_table_that_is_not_by_language_is_refused_at_its_place() {
    let source = BILINGUAL.replace(
        r#"text = { en = "Sorry.", fr = "Désolé." }"#,
        r#"text = { english = "Sorry." }"#,
    );
    let found = errors(&source);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0]
            .message
            .contains("`english` is not a language code"),
        "{}",
        found[0].message
    );
    assert_eq!(at(&source, &found[0]).0, place(&source, "english").0);
}

#[test]
fn a_questions_error_and_name_are_texts_by_language_checked_like_the_others() {
    let source = BILINGUAL.replace(
        "text = { en = \"How many years?\", fr = \"Combien d’années?\" }",
        "text = { en = \"How many years?\", fr = \"Combien d’années?\" }\n\
         error = { en = \"Enter the years, up to {facts.h1b.max_permit_years}\", fr = \"Inscrivez les années, jusqu’à {facts.h1b.max_permit_years}\" }\n\
         name = { en = \"Years\" }",
    );
    let program = compile(&source, &h1b_facts()).unwrap_or_else(|e| panic!("{e:?}"));
    let count = program
        .questions()
        .iter()
        .find(|q| q.id == "count")
        .unwrap();
    let shown = |language: &str| {
        count
            .error
            .as_ref()
            .unwrap()
            .get(language, "en")
            .unwrap()
            .render(|_| unreachable!())
    };
    assert_eq!(shown("en"), "Enter the years, up to 3 years");
    assert_eq!(shown("fr"), "Inscrivez les années, jusqu’à 3 years");
    // A name missing in French is reported where it is written, like any text.
    let found = program.untranslated(&["en", "fr"], "en");
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "the name of question `count` has no `fr` text"
    );
    assert_eq!(at(&source, &found[0]), place(&source, "{ en = \"Years\" }"));

    // Every language shows the same facts, and none shows a computed value.
    let source = BILINGUAL.replace(
        "text = { en = \"How many years?\", fr = \"Combien d’années?\" }",
        "text = { en = \"How many years?\", fr = \"Combien d’années?\" }\n\
         error = { en = \"Up to {facts.h1b.max_permit_years}\", fr = \"Pas plus\" }\n\
         name = { en = \"Years\", fr = \"{doubled}\" }",
    );
    let messages: Vec<String> = errors(&source).into_iter().map(|d| d.message).collect();
    assert_eq!(
        messages,
        [
            "the `fr` text of the error of question `count` shows no placeholder, but the `en` text shows `{facts.h1b.max_permit_years}`",
            "a question's name is shown before any value is computed, so it cannot show `{doubled}`",
        ]
    );
}
