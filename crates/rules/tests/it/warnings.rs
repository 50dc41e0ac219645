//! The warnings: a criterion no outcome reads, an outcome that can never apply.

use crate::common::{crs, h1b, h1b_facts};
use guide_rules::{compile, Diagnostic, Program, Severity};

const QUESTIONS: &str = r#"[[questions]]
id = "role"
type = "choice"
text = "Who is applying?"
choices = [{ id = "principal", label = "Holder" }, { id = "spouse", label = "Spouse" }]

[[questions]]
id = "visa_valid"
type = "bool"
text = "Valid?"

[[questions]]
id = "count"
type = "integer"
min = 0
max = 100
text = "How many years?"
"#;

fn compiled(rest: &str) -> (String, Program) {
    let source = format!("{QUESTIONS}{rest}");
    match compile(&source, &h1b_facts()) {
        Ok(program) => (source, program),
        Err(errors) => panic!("{errors:#?}"),
    }
}

fn warnings(rest: &str) -> Vec<Diagnostic> {
    let (_, program) = compiled(rest);
    let warnings = program.warnings().to_vec();
    for warning in &warnings {
        assert_eq!(warning.severity, Severity::Warning, "{warning}");
        assert!(warning.help.is_some(), "{warning}");
    }
    warnings
}

fn outcome(id: &str, when: Option<&str>) -> String {
    let when = when
        .map(|when| format!("when = \"{when}\"\n"))
        .unwrap_or_default();
    format!("\n[[outcomes]]\nid = \"{id}\"\n{when}heading = \"H\"\ntext = \"T\"\n")
}

fn criterion(id: &str, condition: &str) -> String {
    format!("\n[[criteria]]\nid = \"{id}\"\ncondition = \"{condition}\"\npassed = \"ok\"\nfailed = \"not ok\"\n")
}

/// The line and column of `needle`'s first occurrence in `source`.
fn place(source: &str, needle: &str) -> (usize, usize) {
    let at = source.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    guide_rules::line_column(source, at)
}

#[test]
fn the_bundled_rules_raise_no_warning() {
    for program in [h1b(), crs()] {
        let found: Vec<String> = program.warnings().iter().map(|w| w.render()).collect();
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}

#[test]
fn a_criterion_no_outcome_reads_is_a_warning_at_its_id() {
    let rest = format!(
        "{}{}{}{}",
        criterion("holds_visa", "visa_valid"),
        criterion("long_enough", "count >= 3"),
        outcome("eligible", Some("holds_visa")),
        outcome("not_eligible", None)
    );
    let (source, program) = compiled(&rest);
    let found = program.warnings();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "no outcome reads the criterion `long_enough`, so it never changes the result"
    );
    let help = found[0].help.as_deref().unwrap();
    assert!(
        help.contains("reference it from an outcome's `when`"),
        "{help}"
    );
    assert!(help.contains("or remove it"), "{help}");
    assert_eq!(
        found[0].line_column(),
        Some(place(&source, "\"long_enough\""))
    );
}

#[test]
fn a_criterion_read_through_a_value_or_another_criterion_counts() {
    let rest = format!(
        "{}{}{}\n[[values]]\nid = \"all_met\"\nlabel = \"All met\"\nformula = \"both\"\n{}{}",
        criterion("holds_visa", "visa_valid"),
        criterion("long_enough", "count >= 3"),
        criterion("both", "holds_visa and long_enough"),
        outcome("eligible", Some("all_met")),
        outcome("not_eligible", None)
    );
    assert!(warnings(&rest).is_empty(), "{:#?}", warnings(&rest));
}

#[test]
fn an_outcome_that_earlier_outcomes_always_catch_is_a_warning_naming_them() {
    let rest = format!(
        "{}{}{}",
        outcome("valid", Some("visa_valid")),
        outcome("valid_spouse", Some("visa_valid and role == spouse")),
        outcome("other", None)
    );
    let (source, program) = compiled(&rest);
    let found = program.warnings();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "the outcome `valid_spouse` can never apply: `valid` before it takes every case it would"
    );
    assert!(found[0]
        .help
        .as_deref()
        .unwrap()
        .contains("move this one before them"));
    assert_eq!(
        found[0].line_column(),
        Some(place(&source, "visa_valid and role"))
    );
}

#[test]
fn a_last_outcome_left_no_case_is_a_warning_naming_the_outcomes_that_cover_them() {
    let rest = format!(
        "{}{}{}",
        outcome("holder", Some("role == principal")),
        outcome("partner", Some("role == spouse")),
        outcome("other", None)
    );
    let found = warnings(&rest);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "the outcome `other` can never apply: `holder` and `partner` before it take every case it would"
    );
    assert!(found[0]
        .help
        .as_deref()
        .unwrap()
        .contains("remove `when` from the outcome before it"));
}

#[test]
fn an_outcome_whose_condition_never_holds_is_a_warning() {
    let rest = format!(
        "{}{}{}",
        outcome("impossible", Some("visa_valid and not visa_valid")),
        outcome("never", Some("false")),
        outcome("other", None)
    );
    let found = warnings(&rest);
    let messages: Vec<&str> = found.iter().map(|w| w.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the outcome `impossible` can never apply: its `when` never holds",
            "the outcome `never` can never apply: its `when` never holds",
        ]
    );
}

#[test]
fn numbers_and_dates_are_unknown_so_an_outcome_they_may_reach_stays_quiet() {
    // `count > 3` after `count > 5` can apply (count 4); a yes/no answer alongside an unknown
    // comparison still decides when it is enough on its own.
    let rest = format!(
        "{}{}{}{}",
        outcome("many", Some("count > 5")),
        outcome("some", Some("count > 3")),
        outcome("either", Some("count > 10 or visa_valid")),
        outcome("other", None)
    );
    assert!(warnings(&rest).is_empty(), "{:#?}", warnings(&rest));

    let rest = format!(
        "{}{}{}",
        outcome("either", Some("count > 10 or visa_valid")),
        outcome("valid", Some("visa_valid")),
        outcome("other", None)
    );
    let found = warnings(&rest);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0]
        .message
        .starts_with("the outcome `valid` can never apply: `either`"));
}

#[test]
fn an_answer_not_asked_holds_its_default_in_the_search() {
    // `has_offer` is asked only of a principal; a spouse's is its default, no. So an outcome
    // for a spouse with an offer can never apply.
    let rest = r#"
[[questions]]
id = "has_offer"
type = "bool"
text = "Offer?"
ask_if = "role == principal"
default = false
"#
    .to_string()
        + &outcome("spouse_with_offer", Some("role == spouse and has_offer"))
        + &outcome("other", None);
    let found = warnings(&rest);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "the outcome `spouse_with_offer` can never apply: its `when` never holds"
    );
}

#[test]
fn too_many_combinations_are_not_searched() {
    // `visa_valid` and 12 more yes/no questions make 8,192 combinations, over the bound of
    // 4,096: a dead outcome there goes unreported rather than slowing every build.
    let mut rest = String::new();
    let mut all = Vec::new();
    for index in 0..12 {
        rest += &format!("\n[[questions]]\nid = \"q{index}\"\ntype = \"bool\"\ntext = \"Q?\"\n");
        all.push(format!("q{index}"));
    }
    let all = all.join(" or ");
    rest += &outcome("first", Some("visa_valid"));
    rest += &outcome("caught", Some(&format!("visa_valid and ({all})")));
    rest += &outcome("other", None);
    assert!(warnings(&rest).is_empty());
    // With one question fewer, 4,096 combinations: the search runs and finds it.
    let rest = rest
        .replace(
            "\n[[questions]]\nid = \"q11\"\ntype = \"bool\"\ntext = \"Q?\"\n",
            "",
        )
        .replace(" or q11", "");
    let found = warnings(&rest);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(found[0]
        .message
        .starts_with("the outcome `caught` can never apply"));
}

/// A file of `gates` yes/no questions all read by the first outcome, whose second outcome can
/// never apply, and a value summing `count` `terms` times, read by both outcomes. The sum is
/// made of sums of at most 300 terms, which a debug build's test thread parses and checks
/// within its default stack.
fn gated_with_a_long_sum(gates: usize, terms: usize) -> String {
    let mut source = String::new();
    for i in 0..gates {
        source += &format!("[[questions]]\nid = \"q{i}\"\ntype = \"bool\"\ntext = \"Q{i}?\"\n\n");
    }
    source +=
        "[[questions]]\nid = \"count\"\ntype = \"integer\"\nmin = 0\nmax = 10\ntext = \"N?\"\n\n";
    let mut parts = Vec::new();
    for (index, start) in (0..terms).step_by(300).enumerate() {
        let length = (terms - start).min(300);
        source += &format!(
            "[[values]]\nid = \"part{index}\"\nlabel = \"Part\"\nformula = \"sum({})\"\n\n",
            vec!["count"; length].join(", ")
        );
        parts.push(format!("part{index}"));
    }
    source += &format!(
        "[[values]]\nid = \"total\"\nlabel = \"Total\"\nformula = \"{}\"\n\n",
        parts.join(" + ")
    );
    let all: Vec<String> = (0..gates).map(|i| format!("q{i}")).collect();
    source += &format!(
        "[[outcomes]]\nid = \"first\"\nheading = \"First\"\ntext = \"{{total}}\"\nwhen = \"{} or total >= 0\"\n\n",
        all.join(" or ")
    );
    source += "[[outcomes]]\nid = \"never\"\nheading = \"Never\"\ntext = \"Never\"\nwhen = \"q0 and total >= 0\"\n\n";
    source += "[[outcomes]]\nid = \"rest\"\nheading = \"Rest\"\ntext = \"Rest\"\n";
    source
}

/// The search for outcomes that can never apply runs the outcomes once per combination of
/// yes/no and choice answers: past a bound on combinations times the rules' size it is not
/// run (a warning missed, never a build held for seconds), as past a bound on combinations.
#[test]
fn the_search_for_dead_outcomes_is_skipped_when_it_would_take_too_long() {
    let dead = |source: &str| -> Vec<String> {
        match compile(source, &h1b_facts()) {
            Ok(program) => program
                .warnings()
                .iter()
                .map(|warning| warning.message.clone())
                .filter(|message| message.contains("can never apply"))
                .collect(),
            Err(errors) => panic!("{errors:#?}"),
        }
    };
    // Small: the dead outcome is found (4,096 combinations of a short program).
    let small = dead(&gated_with_a_long_sum(12, 2));
    assert_eq!(small.len(), 1, "{small:#?}");
    // 4,096 combinations of 5,000 terms: about 20 million steps, past the bound.
    let large = dead(&gated_with_a_long_sum(12, 5000));
    assert!(large.is_empty(), "{large:#?}");
}
