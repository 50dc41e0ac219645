//! One test per class of error the checker reports, each checking the
//! message, the help and the line and column.

use crate::common::h1b_facts;
use guide_rules::{compile, Diagnostic, QuestionKind};

const BASE: &str = r#"[[questions]]
id = "role"
type = "choice"
text = "Who is applying?"
choices = [{ id = "principal", label = "Holder" }, { id = "spouse", label = "Spouse" }]

[[questions]]
id = "applied_on"
type = "date"
text = "When?"

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

const OUTCOMES: &str = r#"
[[outcomes]]
id = "yes"
when = "visa_valid"
heading = "Yes"
text = "Yes"

[[outcomes]]
id = "no"
heading = "No"
text = "No"
"#;

/// Lines in `BASE`; an added part starts on the line after.
fn base_lines() -> usize {
    BASE.lines().count()
}

fn errors(extra: &str) -> Vec<Diagnostic> {
    let source = format!("{BASE}{extra}{OUTCOMES}");
    match compile(&source, &h1b_facts()) {
        Ok(_) => panic!("expected errors for:\n{extra}"),
        Err(diagnostics) => diagnostics,
    }
}

fn single(extra: &str) -> Diagnostic {
    let mut found = errors(extra);
    assert_eq!(found.len(), 1, "expected one error, got {found:#?}");
    found.remove(0)
}

fn criterion(condition: &str) -> String {
    format!("[[criteria]]\nid = \"check\"\ncondition = \"{condition}\"\npassed = \"ok\"\nfailed = \"not ok\"\n")
}

/// The condition's text starts at this column of its line: `condition = "` is 13 characters.
const CONDITION_COLUMN: usize = 14;

fn line(diagnostic: &Diagnostic) -> usize {
    diagnostic.line_column().expect("a position").0
}

fn column(diagnostic: &Diagnostic) -> usize {
    diagnostic.line_column().expect("a position").1
}

fn assert_at(diagnostic: &Diagnostic, line: usize, column: usize) {
    assert_eq!(
        diagnostic.line_column(),
        Some((line, column)),
        "{diagnostic}"
    );
}

#[test]
fn the_base_rules_compile() {
    let source = format!("{BASE}{OUTCOMES}");
    assert!(compile(&source, &h1b_facts()).is_ok());
}

#[test]
fn malformed_toml_is_located() {
    let found = single("[[criteria]\nid = \"x\"\n");
    assert_at(&found, base_lines() + 1, 12);
    assert_eq!(found.message, "unclosed array table, expected `]`");
}

#[test]
fn unknown_keys_are_named() {
    let found =
        single("[[values]]\nid = \"x\"\nlabel = \"X\"\nformula = \"count\"\ncolour = \"red\"\n");
    assert!(found.message.contains("unknown field `colour`"), "{found}");
    assert_at(&found, base_lines() + 5, 1);
}

#[test]
fn missing_keys_are_named() {
    let found = single("[[values]]\nid = \"x\"\nformula = \"count\"\n");
    assert!(found.message.contains("missing field `label`"), "{found}");
}

#[test]
fn unknown_names_suggest_the_nearest() {
    let found = single(&criterion("visa_vaild and count > 1"));
    assert_eq!(found.message, "unknown name `visa_vaild`");
    assert_eq!(found.help.as_deref(), Some("did you mean `visa_valid`?"));
    assert_at(&found, base_lines() + 3, CONDITION_COLUMN);
    assert_eq!(
        found.span.clone().map(|span| span.len()),
        Some("visa_vaild".len())
    );
}

#[test]
fn a_choice_used_alone_points_to_its_question() {
    let found = single(&criterion("spouse"));
    assert_eq!(found.message, "unknown name `spouse`");
    assert_eq!(
        found.help.as_deref(),
        Some("`spouse` is a choice of `role`: write `role == spouse`")
    );
}

#[test]
fn yes_and_no_as_values_get_a_hint_not_a_list_of_names() {
    for (condition, subject) in [
        ("visa_valid == yes", "visa_valid"),
        ("visa_valid != no", "visa_valid"),
        ("no == visa_valid", "visa_valid"),
    ] {
        let found = single(&criterion(condition));
        let word = if condition.contains("yes") {
            "yes"
        } else {
            "no"
        };
        assert_eq!(
            found.message,
            format!("`{word}` is not a name"),
            "{condition}"
        );
        assert_eq!(
            found.help.as_deref(),
            Some(format!(
                "a yes/no question is already true or false: write `{subject}` or `not {subject}`"
            ))
            .as_deref(),
            "{condition}"
        );
        // The whole comparison is pointed at: it is what to rewrite.
        assert_at(&found, base_lines() + 3, CONDITION_COLUMN);
        assert_eq!(
            found.span.clone().map(|span| span.len()),
            Some(condition.len())
        );
    }
    let found = single(&criterion("count > 1 and yes"));
    assert_eq!(found.message, "`yes` is not a name");
    assert!(
        found.help.as_deref().unwrap().contains("`true` or `false`"),
        "{found:?}"
    );
    assert_at(
        &found,
        base_lines() + 3,
        CONDITION_COLUMN + "count > 1 and ".len(),
    );
    // Where a choice question offers `yes`, the hint says how to read that choice.
    let source = format!(
        "{BASE}[[questions]]\nid = \"sure\"\ntype = \"choice\"\ntext = \"Sure?\"\nchoices = [{{ id = \"yes\", label = \"Yes\" }}, {{ id = \"unsure\", label = \"Unsure\" }}]\n{}{OUTCOMES}",
        criterion("yes")
    );
    let found = compile(&source, &h1b_facts()).unwrap_err();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].message, "unknown name `yes`");
    assert_eq!(
        found[0].help.as_deref(),
        Some("`yes` is a choice of `sure`: write `sure == yes`")
    );
    // `true` is a literal: comparing with it is allowed, if wordy.
    let source = format!("{BASE}{}{OUTCOMES}", criterion("visa_valid == true"));
    assert!(compile(&source, &h1b_facts()).is_ok());
}

#[test]
fn unknown_facts_suggest_the_nearest() {
    let found = single(&criterion("applied_on <= facts.h1b.closed"));
    assert_eq!(found.message, "unknown fact `facts.h1b.closed`");
    assert_eq!(
        found.help.as_deref(),
        Some("did you mean `facts.h1b.closed_on`?")
    );
    assert_at(
        &found,
        base_lines() + 3,
        CONDITION_COLUMN + "applied_on <= ".len(),
    );
}

#[test]
fn text_facts_cannot_be_used_in_conditions() {
    let found = single(&criterion("facts.h1b.legal_basis"));
    assert_eq!(
        found.message,
        "the fact `facts.h1b.legal_basis` is text and cannot be used in a condition"
    );
}

#[test]
fn adding_a_bare_number_to_a_date_asks_for_a_unit() {
    let found = single(&criterion("applied_on + 3 > facts.h1b.closed_on"));
    assert_eq!(found.message, "cannot add a whole number to a date");
    assert_eq!(
        found.help.as_deref(),
        Some("give the number a unit, as in `applied_on + 10 days`")
    );
    assert_at(&found, base_lines() + 3, CONDITION_COLUMN);
}

#[test]
fn type_mismatches_name_both_types() {
    let found = single(&criterion("visa_valid < count"));
    assert_eq!(
        found.message,
        "cannot order a yes/no condition against a whole number with `<`"
    );
    let found = single(&criterion("applied_on == count"));
    assert_eq!(found.message, "cannot compare a date with a whole number");
    let found = single(&criterion("count and visa_valid"));
    assert_eq!(
        found.message,
        "each side of `and` must be a yes/no condition, but this is a whole number"
    );
    let found = single(&criterion("min(count, applied_on) > 2"));
    assert_eq!(found.message, "`min` cannot mix a whole number with a date");
    let found = single(&criterion("applied_on + 3 years"));
    assert_eq!(
        found.message,
        "the condition of a criterion must be a yes/no condition, but this is a date"
    );
    let found = single(&criterion("role < role"));
    assert_eq!(
        found.message,
        "cannot order a choice of `role` against a choice of `role` with `<`"
    );
}

#[test]
fn a_choice_compared_with_a_value_it_lacks_lists_the_choices() {
    let found = single(&criterion("role == boss"));
    assert_eq!(found.message, "`role` has no choice `boss`");
    assert_eq!(
        found.help.as_deref(),
        Some("the choices are principal, spouse")
    );
    assert_at(
        &found,
        base_lines() + 3,
        CONDITION_COLUMN + "role == ".len(),
    );

    let found = single(&criterion("role in [spouse, spuse]"));
    assert_eq!(found.message, "`role` has no choice `spuse`");
    assert_eq!(
        found.help.as_deref(),
        Some("did you mean `spouse`? The choices are principal, spouse")
    );

    let found = single(&criterion("boss != role"));
    assert_eq!(found.message, "`role` has no choice `boss`");
    assert_at(&found, base_lines() + 3, CONDITION_COLUMN);

    assert!(compile(
        &format!("{BASE}{}{OUTCOMES}", criterion("principal != role")),
        &h1b_facts()
    )
    .is_ok());
}

#[test]
fn cycles_between_computed_values_are_reported_once() {
    let extra = "[[values]]\nid = \"first\"\nlabel = \"A\"\nformula = \"second + 1\"\n\n\
                 [[values]]\nid = \"second\"\nlabel = \"B\"\nformula = \"first - 1\"\n\n\
                 [[values]]\nid = \"third\"\nlabel = \"C\"\nformula = \"first * 2\"\n";
    let found = errors(extra);
    let cycle: Vec<&Diagnostic> = found
        .iter()
        .filter(|diagnostic| diagnostic.message.contains("depends on itself"))
        .collect();
    assert_eq!(cycle.len(), 1, "{found:#?}");
    assert_eq!(
        cycle[0].message,
        "`first` depends on itself: first → second → first"
    );
    assert_at(cycle[0], base_lines() + 4, 11);
}

#[test]
fn a_criterion_that_uses_itself_is_a_cycle() {
    let found = single(&criterion("check or visa_valid"));
    assert_eq!(found.message, "`check` depends on itself: check → check");
}

#[test]
fn the_last_outcome_must_have_no_condition() {
    let source = format!(
        "{BASE}\n[[outcomes]]\nid = \"yes\"\nwhen = \"visa_valid\"\nheading = \"Yes\"\ntext = \"Yes\"\n"
    );
    let found = compile(&source, &h1b_facts()).unwrap_err();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "the last outcome `yes` has a condition, so some answers might match no outcome"
    );
    assert_at(&found[0], base_lines() + 4, 8);
}

#[test]
fn only_the_last_outcome_may_leave_out_its_condition() {
    let source =
        format!("{BASE}\n[[outcomes]]\nid = \"always\"\nheading = \"A\"\ntext = \"A\"\n{OUTCOMES}");
    let found = compile(&source, &h1b_facts()).unwrap_err();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].message, "the outcome `always` has no `when`");
    assert_at(&found[0], base_lines() + 3, 6);
}

#[test]
fn rules_without_outcomes_are_refused() {
    let found = compile(BASE, &h1b_facts()).unwrap_err();
    assert_eq!(found[0].message, "the rules have no outcomes");
}

#[test]
fn duplicate_ids_are_reported() {
    let found = single("[[values]]\nid = \"count\"\nlabel = \"Y\"\nformula = \"1\"\n");
    assert_eq!(found.message, "duplicate id `count`");
    assert_at(&found, base_lines() + 2, 6);

    let source = format!("{BASE}{OUTCOMES}").replace("id = \"no\"", "id = \"yes\"");
    let found = compile(&source, &h1b_facts()).unwrap_err();
    assert_eq!(found[0].message, "duplicate outcome id `yes`");

    let source = BASE.replace("id = \"spouse\"", "id = \"principal\"");
    let found = compile(&format!("{source}{OUTCOMES}"), &h1b_facts()).unwrap_err();
    assert_eq!(found[0].message, "duplicate choice id `principal`");
    assert_at(&found[0], 5, 59);
}

#[test]
fn independent_errors_are_reported_together_in_file_order() {
    let extra = format!(
        "{}\n{}\n[[values]]\nid = \"bad\"\nlabel = \"B\"\nformula = \"facts.h1b.cap +\"\n",
        criterion("visa_vaild"),
        criterion("role == boss").replace("\"check\"", "\"check_two\""),
    );
    let found = errors(&extra);
    let messages: Vec<&str> = found
        .iter()
        .map(|diagnostic| diagnostic.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "unknown name `visa_vaild`",
            "`role` has no choice `boss`",
            "expected a value, found the end of the expression",
        ]
    );
    let lines: Vec<usize> = found.iter().map(line).collect();
    assert_eq!(
        lines,
        [base_lines() + 3, base_lines() + 9, base_lines() + 16]
    );
}

#[test]
fn syntax_errors_point_into_the_expression() {
    let found = single(&criterion("count = 3"));
    assert_eq!(found.message, "unexpected character `=`");
    assert_eq!(found.help.as_deref(), Some("compare with `==`"));
    assert_at(&found, base_lines() + 3, CONDITION_COLUMN + "count ".len());
}

#[test]
fn expressions_with_escapes_are_located_at_their_string() {
    let found = single("[[criteria]]\nid = \"check\"\ncondition = \"visa_vaild \\u0061nd true\"\npassed = \"ok\"\nfailed = \"no\"\n");
    assert_eq!(found.message, "unknown name `visa_vaild`");
    assert_eq!(line(&found), base_lines() + 3);
}

#[test]
fn multi_line_strings_are_located_exactly() {
    let found = single("[[criteria]]\nid = \"check\"\ncondition = \"\"\"\nvisa_valid and\n  cuont > 2\"\"\"\npassed = \"ok\"\nfailed = \"no\"\n");
    assert_eq!(found.message, "unknown name `cuont`");
    assert_at(&found, base_lines() + 5, 3);
}

#[test]
fn unknown_placeholders_are_located_inside_the_text() {
    let extra = "[[values]]\nid = \"ends_on\"\nlabel = \"End\"\nformula = \"applied_on + count years\"\n\n\
                 [[criteria]]\nid = \"check\"\ncondition = \"true\"\npassed = \"Ends {ends_om}.\"\nfailed = \"{facts.h1b.cap} {applied_on} {facts.nope}\"\n";
    let found = errors(extra);
    let messages: Vec<(&str, Option<&str>, usize, usize)> = found
        .iter()
        .map(|diagnostic| {
            (
                diagnostic.message.as_str(),
                diagnostic.help.as_deref(),
                line(diagnostic) - base_lines(),
                column(diagnostic),
            )
        })
        .collect();
    assert_eq!(
        messages,
        [
            (
                "unknown placeholder `{ends_om}`",
                Some("did you mean `ends_on`?"),
                9,
                16
            ),
            (
                "`applied_on` is not a computed value, so it cannot be shown in a text",
                Some("add a computed value whose formula is `applied_on`"),
                10,
                27
            ),
            ("unknown fact `facts.nope`", None, 10, 40),
        ]
    );
}

#[test]
fn unbalanced_braces_in_texts_are_reported() {
    let found = single(
        "[[criteria]]\nid = \"check\"\ncondition = \"true\"\npassed = \"a } b\"\nfailed = \"no\"\n",
    );
    assert_eq!(found.message, "`}` without `{`");
    let found = single(
        "[[criteria]]\nid = \"check\"\ncondition = \"true\"\npassed = \"a { b\"\nfailed = \"no\"\n",
    );
    assert_eq!(found.message, "`{` is never closed");
}

#[test]
fn computed_values_must_have_a_simple_type() {
    let found = single("[[values]]\nid = \"who\"\nlabel = \"Who\"\nformula = \"role\"\n");
    assert_eq!(
        found.message,
        "the computed value `who` is a choice of `role`"
    );
}

#[test]
fn question_definitions_are_checked() {
    let found = single("[[questions]]\nid = \"x\"\ntype = \"boolean\"\ntext = \"?\"\n");
    assert_eq!(found.message, "unknown question type \"boolean\"");
    let found =
        single("[[questions]]\nid = \"x\"\ntype = \"integer\"\nmin = 5\nmax = 2\ntext = \"?\"\n");
    assert_eq!(found.message, "max (2) is below min (5)");
    let found = single("[[questions]]\nid = \"x\"\ntype = \"bool\"\nmin = 5\ntext = \"?\"\n");
    assert_eq!(
        found.message,
        "min and max belong only to questions of type \"integer\""
    );
    let found = single(
        "[[questions]]\nid = \"x\"\ntype = \"date\"\ndefault = \"tomorrow\"\ntext = \"?\"\n",
    );
    assert_eq!(
        found.message,
        "the default must be a date written YYYY-MM-DD, not \"tomorrow\""
    );
    let found = single("[[questions]]\nid = \"x\"\ntype = \"choice\"\ntext = \"?\"\n");
    assert_eq!(found.message, "the choice question `x` has no choices");
    let found = single("[[questions]]\nid = \"Bad-Id\"\ntype = \"bool\"\ntext = \"?\"\n");
    assert_eq!(found.message, "`Bad-Id` cannot be a question id");
    let found = single("[[questions]]\nid = \"other\"\ntype = \"bool\"\ntext = \"?\"\n[[values]]\nid = \"min\"\nlabel = \"m\"\nformula = \"1\"\n");
    assert_eq!(
        found.message,
        "`min` is a word of the rules language and cannot be a computed value id"
    );
}

#[test]
fn examples_are_checked_against_the_rules() {
    let extra = "[[examples]]\nid = \"sample\"\n\
                 answers = { role = \"boss\", applied_on = \"July 1\", visa_valid = true, conut = 2 }\n\
                 outcome = \"maybe\"\nfailed = [\"nothing\"]\n";
    let found = errors(extra);
    let messages: Vec<&str> = found
        .iter()
        .map(|diagnostic| diagnostic.message.as_str())
        .collect();
    assert_eq!(
        messages,
        [
            "example `sample` does not answer `count`",
            "in example `sample`: `role` has no choice `boss`; the choices are principal, spouse",
            "in example `sample`: `applied_on` takes a date written YYYY-MM-DD, not \"July 1\"",
            "example `sample` answers `conut`, which is not a question",
            "unknown outcome `maybe`",
            "unknown criterion `nothing`",
        ]
    );
    assert_eq!(found[3].help.as_deref(), Some("did you mean `count`?"));
    assert_eq!(found[4].help.as_deref(), Some("the outcomes are yes, no"));
}

#[test]
fn a_questions_help_shows_facts_by_their_display() {
    let source = BASE.replacen(
        "text = \"How many years?\"",
        "text = \"How many years?\"\nhelp = \"Up to {facts.h1b.cap} applications, {{braces}} kept.\"",
        1,
    );
    let program = compile(&format!("{source}{OUTCOMES}"), &h1b_facts()).unwrap();
    let count = program
        .questions()
        .iter()
        .find(|q| q.id == "count")
        .unwrap();
    assert_eq!(
        count
            .help
            .as_ref()
            .map(|help| help.first().render(|_| unreachable!())),
        Some("Up to 10,000 applications, {braces} kept.".to_string())
    );
}

#[test]
fn a_questions_help_cannot_show_a_computed_value_or_an_unknown_fact() {
    let with_help = |help: &str| {
        BASE.replacen(
            "text = \"Valid?\"",
            &format!("text = \"Valid?\"\nhelp = \"{help}\""),
            1,
        )
    };
    let source = format!(
        "{}[[values]]\nid = \"twice\"\nlabel = \"Twice\"\nformula = \"count * 2\"\n{OUTCOMES}",
        with_help("See {twice}.")
    );
    let found = compile(&source, &h1b_facts()).unwrap_err();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "a question's help is shown before any value is computed, so it cannot show `{twice}`"
    );
    assert_eq!(
        found[0].help.as_deref(),
        Some("a question's help can show `{facts.NAME}`, and `{min}` and `{max}` for a whole-number question's bounds")
    );
    // The help is on line 16, after `text = "Valid?"`; the placeholder starts at column 13.
    assert_eq!((line(&found[0]), column(&found[0])), (16, 13));

    let source = format!("{}{OUTCOMES}", with_help("Up to {facts.h1b.caps}."));
    let found = compile(&source, &h1b_facts()).unwrap_err();
    assert_eq!(found[0].message, "unknown fact `facts.h1b.caps`");
}

#[test]
fn a_question_s_messages_are_kept_with_facts_filled_in() {
    let source = format!(
        "{BASE}\n[[questions]]\nid = \"born_on\"\ntype = \"date\"\ntext = \"What is your date of birth?\"\nerror = \"Enter your date of birth\"\nname = \"Date of birth\"\n\n[[questions]]\nid = \"permit_years\"\ntype = \"integer\"\nmin = 1\nmax = 10\ntext = \"How many years?\"\nerror = \"Enter how many years, up to {{facts.h1b.max_permit_years}}\"\nname = \"Years\"\n\n[[questions]]\nid = \"expires_on\"\ntype = \"date\"\nallow_future = true\ntext = \"When does it expire?\"\n{OUTCOMES}"
    );
    let program = compile(&source, &h1b_facts()).unwrap_or_else(|e| panic!("{e:#?}"));
    let question = |id: &str| program.questions().iter().find(|q| q.id == id).unwrap();
    let shown = |text: &Option<guide_rules::Translated<guide_rules::Text>>| {
        text.as_ref()
            .map(|text| text.first().render(|_| unreachable!()))
    };
    let born = question("born_on");
    assert_eq!(
        shown(&born.error).as_deref(),
        Some("Enter your date of birth")
    );
    assert_eq!(shown(&born.name).as_deref(), Some("Date of birth"));
    assert_eq!(
        born.kind,
        QuestionKind::Date {
            default_today: false,
            allow_future: false
        },
        "a date in the future is refused unless allowed"
    );
    assert_eq!(
        shown(&question("permit_years").error).as_deref(),
        Some("Enter how many years, up to 3 years")
    );
    assert_eq!(
        question("expires_on").kind,
        QuestionKind::Date {
            default_today: false,
            allow_future: true
        }
    );
    assert_eq!(question("visa_valid").error, None);
    assert_eq!(question("visa_valid").name, None);
}

/// A whole-number question's texts can show its own bounds, so a message such as "a level
/// from 0 to 12" cannot drift from the `min` and `max` the form checks.
#[test]
fn a_question_s_texts_show_its_own_bounds() {
    let source = format!(
        "{BASE}\n[[questions]]\nid = \"level\"\ntype = \"integer\"\nmin = 0\nmax = 12\ntext = \"Your level?\"\nhelp = \"Levels run from {{min}} to {{max}}.\"\nerror = \"Enter a level from {{min}} to {{max}}\"\nname = \"Level {{{{max}}}}\"\n{OUTCOMES}"
    );
    let program = compile(&source, &h1b_facts()).unwrap_or_else(|e| panic!("{e:#?}"));
    let level = program
        .questions()
        .iter()
        .find(|q| q.id == "level")
        .unwrap();
    let shown = |text: &Option<guide_rules::Translated<guide_rules::Text>>| {
        text.as_ref()
            .map(|text| text.first().render(|_| unreachable!()))
    };
    assert_eq!(
        shown(&level.help).as_deref(),
        Some("Levels run from 0 to 12.")
    );
    assert_eq!(
        shown(&level.error).as_deref(),
        Some("Enter a level from 0 to 12")
    );
    // `{{max}}` is the literal word in braces, as in every text.
    assert_eq!(shown(&level.name).as_deref(), Some("Level {max}"));
}

#[test]
fn a_bound_a_question_does_not_have_is_an_error_at_its_placeholder() {
    let question = |kind: &str, extra: &str| {
        format!("[[questions]]\nid = \"x\"\ntype = \"{kind}\"\ntext = \"?\"\n{extra}\n")
    };
    let found = single(&question(
        "integer",
        "min = 1\nerror = \"Enter 1 to {max}\"",
    ));
    assert_eq!(
        found.message,
        "the question has no `max`, so its error cannot show `{max}`"
    );
    assert!(
        found.help.as_deref().unwrap().contains("add `max = ...`"),
        "{found}"
    );
    assert_at(&found, base_lines() + 6, 21);

    let found = single(&question("bool", "help = \"At least {min}.\""));
    assert_eq!(
        found.message,
        "the question has no `min`, so its help cannot show `{min}`"
    );
    assert_eq!(
        found.help.as_deref(),
        Some("only questions of type \"integer\" have a `min`: write the text without `{min}`")
    );
    assert_at(&found, base_lines() + 5, 18);
}

#[test]
fn a_question_s_messages_are_checked_where_they_are_written() {
    let question = |kind: &str, extra: &str| {
        format!("[[questions]]\nid = \"x\"\ntype = \"{kind}\"\ntext = \"?\"\n{extra}\n")
    };
    let found = single(&question("bool", "name = \"Offer\""));
    assert_eq!(
        found.message,
        "`name` belongs only to questions of type \"date\" or \"integer\", not \"bool\""
    );
    assert!(
        found.help.as_deref().unwrap().contains("error = "),
        "{found}"
    );
    assert_at(&found, base_lines() + 5, 8);

    let found = single(&question("integer", "allow_future = true"));
    assert_eq!(
        found.message,
        "allow_future belongs only to questions of type \"date\""
    );
    assert_at(&found, base_lines() + 5, 16);

    let found = single(&question("date", "error = \"  \""));
    assert_eq!(found.message, "the question's `error` is empty");
    assert_at(&found, base_lines() + 5, 9);

    let found = single(&question("date", "name = \"\""));
    assert_eq!(found.message, "the question's `name` is empty");

    let found = single(&question("integer", "error = \"Enter {count}\""));
    assert_eq!(
        found.message,
        "a question's error is shown before any value is computed, so it cannot show `{count}`"
    );
    assert_at(&found, base_lines() + 5, 16);

    let found = single(&question("date", "name = \"Date of {facts.h1b.cpa}\""));
    assert!(found.message.contains("h1b.cpa"), "{found}");

    let found = single(&question("date", "allow_future = \"yes\""));
    assert!(found.message.contains("invalid type"), "{found}");
    assert_at(&found, base_lines() + 5, 16);
}
