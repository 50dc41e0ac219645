//! The native evaluator, answers from JSON, and examples.

use crate::common::{date, h1b, h1b_facts};
use guide_rules::{compile, Answers, Program, Segment, Value};
use serde_json::json;

fn answers(program: &Program, json: serde_json::Value) -> Answers {
    Answers::from_json(program, &json).unwrap_or_else(|errors| panic!("{errors:?}"))
}

fn principal_on(applied_on: &str) -> serde_json::Value {
    json!({
        "role": "principal",
        "applied_on": applied_on,
        "visa_valid": true,
        "lives_in_us": true,
        "outside_canada": true,
        "years_requested": 3,
        "passport_expires_on": "2040-01-01",
    })
}

#[test]
fn a_reader_applying_today_learns_the_stream_closed() {
    let program = h1b();
    for today in ["2023-07-18", "2024-02-29", "2025-11-20", "2031-05-05"] {
        let evaluation = program.evaluate(&answers(&program, principal_on(today)));
        assert_eq!(evaluation.outcome, "closed", "{today}");
        assert_eq!(evaluation.failed, ["applied_while_open"]);
    }
    let closed = &program.outcomes()[1];
    assert_eq!(closed.id, "closed");
    let heading = closed.heading.first().render(|_| unreachable!());
    assert_eq!(heading, "This stream closed on July 17, 2023");
    let text = closed.text.first().render(|id| format!("[{id}]"));
    for route in ["Express Entry", "Global Talent Stream", "Start-up Visa"] {
        assert!(text.contains(route), "{text}");
    }
    assert!(
        text.contains("[days_after_closing] days after it closed"),
        "{text}"
    );
}

#[test]
fn the_stream_window_includes_both_ends() {
    let program = h1b();
    let outcome = |day: &str| {
        program
            .evaluate(&answers(&program, principal_on(day)))
            .outcome
    };
    assert_eq!(outcome("2023-07-15"), "not_yet_open");
    assert_eq!(outcome("2023-07-16"), "principal_eligible");
    assert_eq!(outcome("2023-07-17"), "principal_eligible");
    assert_eq!(outcome("2023-07-18"), "closed");
}

#[test]
fn a_passport_expired_before_applying_is_not_eligible() {
    let program = h1b();
    let mut given = principal_on("2023-07-16");
    let mut outcome_with_passport = |expires_on: &str| {
        given["passport_expires_on"] = json!(expires_on);
        let evaluation = program.evaluate(&answers(&program, given.clone()));
        (evaluation.outcome, evaluation.failed)
    };
    let expired = (
        "not_eligible".to_string(),
        vec!["passport_valid".to_string()],
    );
    assert_eq!(outcome_with_passport("2020-01-01"), expired);
    assert_eq!(outcome_with_passport("2023-07-16"), expired);
    assert_eq!(
        outcome_with_passport("2023-07-17"),
        ("principal_eligible".to_string(), Vec::new())
    );
}

#[test]
fn evaluation_json_has_the_documented_shape() {
    let program = h1b();
    let evaluation = program.evaluate(&answers(&program, principal_on("2023-07-16")));
    assert_eq!(
        evaluation.to_json(),
        json!({
            "outcome": "principal_eligible",
            "failed": [],
            "passed": ["applied_while_open", "valid_h1b", "lived_in_us", "permit_within_limit", "applied_from_outside", "passport_valid"],
            "values": {
                "permit_ends_on": "2026-07-16",
                "days_after_closing": -1,
                "days_before_opening": 0,
            },
        })
    );
}

#[test]
fn family_members_qualify_through_the_holder() {
    let program = h1b();
    let mut given = principal_on("2023-07-17");
    for role in ["spouse", "child"] {
        given["role"] = json!(role);
        assert_eq!(
            program.evaluate(&answers(&program, given.clone())).outcome,
            "family_eligible"
        );
    }
    given["visa_valid"] = json!(false);
    let evaluation = program.evaluate(&answers(&program, given));
    assert_eq!(evaluation.outcome, "not_eligible");
    assert_eq!(evaluation.failed, ["valid_h1b"]);
}

#[test]
fn the_permit_end_is_cut_by_the_passport_and_by_the_limit() {
    let program = h1b();
    let mut given = principal_on("2024-02-29");
    given["passport_expires_on"] = json!("2040-01-01");
    given["years_requested"] = json!(1);
    let values = program.evaluate(&answers(&program, given.clone())).values;
    assert_eq!(values["permit_ends_on"], Value::Date(date("2025-02-28")));
    given["years_requested"] = json!(9);
    let values = program.evaluate(&answers(&program, given.clone())).values;
    assert_eq!(values["permit_ends_on"], Value::Date(date("2027-02-28")));
    given["passport_expires_on"] = json!("2026-01-01");
    let values = program.evaluate(&answers(&program, given)).values;
    assert_eq!(values["permit_ends_on"], Value::Date(date("2026-01-01")));
}

#[test]
fn answers_report_every_problem_with_a_clear_message() {
    let program = h1b();
    let errors = Answers::from_json(
        &program,
        &json!({
            "role": "boss",
            "applied_on": "16/07/2023",
            "visa_valid": "maybe",
            "outside_canada": 1,
            "years_requested": 11,
            "passport_expires_on": "2030-02-30",
            "visa_vaild": true,
        }),
    )
    .unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "`applied_on` takes a date written YYYY-MM-DD, not \"16/07/2023\"",
            "`outside_canada` takes yes or no (or true or false), not the number 1",
            "`passport_expires_on` has no day \"2030-02-30\": February 2030 has 28 days",
            "`role` has no choice `boss`; the choices are principal, spouse, child",
            "there is no question `visa_vaild` (did you mean `visa_valid`?)",
            "`visa_valid` takes yes or no (or true or false), not the text \"maybe\"",
            "`years_requested` must be at most 10, not 11",
            "no answer for `lives_in_us`",
        ]
    );
    assert_eq!(errors[0].question, "applied_on");
}

#[test]
fn answers_from_json_text() {
    let program = h1b();
    let parsed = Answers::parse_json(&program, &principal_on("2023-07-16").to_string()).unwrap();
    assert_eq!(parsed.to_json(&program), principal_on("2023-07-16"));
    let errors = Answers::parse_json(&program, "{").unwrap_err();
    assert!(
        errors[0].message.starts_with("answers are not valid JSON"),
        "{errors:?}"
    );
    let errors = Answers::parse_json(&program, "[]").unwrap_err();
    assert_eq!(
        errors[0].message,
        "answers must be a JSON object keyed by question id"
    );
    let errors = Answers::parse_json(&program, r#"{"years_requested": 2.5}"#).unwrap_err();
    assert!(errors.iter().any(|error| error.message
        == "`years_requested` takes a whole number, not a number that is not whole"));
}

#[test]
fn encoded_answers_are_checked_like_any_others() {
    let program = h1b();
    let parsed = answers(&program, principal_on("2023-07-16"));
    let encoded = parsed.encoded().to_vec();
    assert_eq!(
        encoded,
        [
            0,
            date("2023-07-16").days(),
            1,
            1,
            1,
            3,
            date("2040-01-01").days()
        ]
    );
    assert_eq!(Answers::from_encoded(&program, &encoded).unwrap(), parsed);
    let mut wrong = encoded.clone();
    wrong[0] = 3;
    wrong[2] = 2;
    let errors = Answers::from_encoded(&program, &wrong).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|error| error.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`role` takes one of principal, spouse, child, not the number 3",
            "`visa_valid` takes yes or no (or true or false), not the number 2",
        ]
    );
    assert!(Answers::from_encoded(&program, &encoded[1..]).is_err());
}

#[test]
fn a_wrong_example_is_reported_by_name() {
    let source = crate::common::h1b_source().replacen(
        "outcome = \"not_eligible\"\nfailed = [\"valid_h1b\"]",
        "outcome = \"principal_eligible\"\nfailed = [\"valid_h1b\"]",
        1,
    );
    let program = compile(&source, &h1b_facts()).unwrap();
    let failures = program.check_examples().unwrap_err();
    let messages: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        ["example `visa_no_longer_valid`: expected the outcome `principal_eligible`, got `not_eligible`"]
    );
}

#[test]
fn wrong_failed_criteria_and_values_in_examples_are_reported() {
    let source = crate::common::h1b_source()
        .replacen(
            "values = { days_after_closing = 1 }",
            "values = { days_after_closing = 2 }",
            1,
        )
        .replacen(
            "outcome = \"not_eligible\"\nfailed = [\"lived_in_us\"]",
            "outcome = \"not_eligible\"\nfailed = [\"lived_in_us\", \"valid_h1b\"]",
            1,
        );
    let program = compile(&source, &h1b_facts()).unwrap();
    let failures = program.check_examples().unwrap_err();
    let messages: Vec<String> = failures.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "example `day_after_closing`: expected `days_after_closing` to be 2, got 1",
            "example `living_outside_the_united_states`: expected the failed criteria [lived_in_us, valid_h1b], got [lived_in_us]",
        ]
    );
}

#[test]
fn texts_are_split_into_segments() {
    let program = h1b();
    let principal = program
        .outcomes()
        .iter()
        .find(|outcome| outcome.id == "principal_eligible")
        .unwrap();
    assert!(principal.text.first().segments.contains(&Segment::Fact {
        name: "h1b.max_permit_years".to_string(),
        display: "3 years".to_string(),
    }));
    assert_eq!(
        principal.text.first().value_ids().collect::<Vec<_>>(),
        ["permit_ends_on"]
    );
    let json = serde_json::to_value(principal.heading.first()).unwrap();
    assert_eq!(
        json,
        json!([{"kind": "literal", "text": "You met the stream's conditions"}])
    );
}

#[test]
fn literal_braces_and_placeholders_side_by_side() {
    let source = r#"
[[questions]]
id = "count"
type = "integer"
min = 0
max = 1000
text = "?"

[[values]]
id = "doubled"
label = "Twice"
formula = "count + count"

[[outcomes]]
id = "only"
heading = "{{literal}} {doubled}{facts.h1b.cap}!"
text = ""
"#;
    let program = compile(source, &h1b_facts()).unwrap();
    let heading = program.outcomes()[0].heading.first();
    assert_eq!(
        heading.segments,
        [
            Segment::Literal {
                text: "{literal} ".to_string()
            },
            Segment::Value {
                id: "doubled".to_string()
            },
            Segment::Fact {
                name: "h1b.cap".to_string(),
                display: "10,000".to_string()
            },
            Segment::Literal {
                text: "!".to_string()
            },
        ]
    );
    let evaluation =
        program.evaluate(&Answers::from_json(&program, &json!({"count": 21})).unwrap());
    assert_eq!(evaluation.values["doubled"], Value::Integer(42));
    assert_eq!(
        heading.render(|id| evaluation.values[id].to_string()),
        "{literal} 4210,000!"
    );
}

#[test]
fn criteria_keep_their_source_and_fact_with_positions() {
    let program = h1b();
    let window = &program.criteria()[0];
    let source = window.source.as_ref().unwrap();
    assert_eq!(source.name, "ircc_after");
    let text = crate::common::h1b_source();
    assert_eq!(&text[source.span.clone()], "\"ircc_after\"");
    let diagnostic = program.diagnostic(source.span.clone(), "unknown source", None);
    assert_eq!(diagnostic.line_column(), Some((source.line, source.column)));
    assert_eq!(window.fact.as_ref().unwrap().name, "h1b.closed_on");
}
