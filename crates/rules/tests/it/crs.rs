//! The Express Entry score calculator (`tests/fixtures/crs.toml`, a copy of the bundled guide's
//! `content/rules/crs.toml`) on IRCC's tables.

use crate::common::crs;
use guide_rules::{validate, Answers, Program, Value};
use serde_json::json;

fn total(program: &Program, answers: serde_json::Value) -> (i32, Vec<String>) {
    let answers = Answers::from_json(program, &answers).unwrap_or_else(|e| panic!("{e:?}"));
    let evaluation = program.evaluate(&answers);
    let Value::Integer(total) = evaluation.values["total"] else {
        panic!("the total is not a whole number");
    };
    (total, answers.ignored().to_vec())
}

/// The worked example of IRCC's tables: single, 29, a master's degree, CLB 9 on all four.
fn worked_example() -> serde_json::Value {
    json!({
        "scored_on": "2026-12-01", "birth_date": "1997-06-01", "spouse": "none",
        "education": "masters", "first_language": "english",
        "first_reading": 9, "first_writing": 9, "first_speaking": 9, "first_listening": 9,
        "second_language_test": false, "canadian_work_years": 0, "foreign_work_years": 3,
        "trade_certificate": false, "sibling_in_canada": false, "canadian_education": "none",
        "job_offer": "none", "nomination": false,
    })
}

/// A spouse or partner with a doctorate and CLB 9 on all four abilities.
fn add_spouse_profile(answers: &mut serde_json::Value) {
    for (id, value) in [
        ("spouse_education", json!("phd")),
        ("spouse_reading", json!(9)),
        ("spouse_writing", json!(9)),
        ("spouse_speaking", json!(9)),
        ("spouse_listening", json!(9)),
    ] {
        answers[id] = value;
    }
}

#[test]
fn every_worked_example_holds_in_both_engines() {
    let program = crs();
    assert!(
        program.examples().len() >= 40,
        "{} worked examples",
        program.examples().len()
    );
    if let Err(failures) = program.check_examples() {
        let messages: Vec<String> = failures.iter().map(ToString::to_string).collect();
        panic!("{}", messages.join("\n"));
    }
}

#[test]
fn the_worked_example_scores_469() {
    let program = crs();
    assert_eq!(total(&program, worked_example()).0, 469);
}

#[test]
fn spouse_answers_count_only_for_a_spouse_who_comes_along() {
    let program = crs();
    let mut answers = worked_example();
    add_spouse_profile(&mut answers);
    answers["spouse_canadian_work_years"] = json!(5);
    answers["spouse"] = json!("not_coming");
    let (alone, ignored) = total(&program, answers.clone());
    assert_eq!(
        alone, 469,
        "scored without spouse, spouse answers set aside"
    );
    assert_eq!(ignored.len(), 6, "{ignored:?}");
    answers["spouse"] = json!("coming");
    let (together, ignored) = total(&program, answers);
    // With-spouse columns: age 100, master's 126, CLB 9 4 × 29 = 116 (342 instead of 369),
    // and the spouse's 10 + 20 + 10 = 40.
    assert_eq!(together, 342 + 40 + 100);
    assert!(ignored.is_empty(), "{ignored:?}");
}

#[test]
fn second_language_answers_count_only_with_a_test() {
    let program = crs();
    let mut answers = worked_example();
    for id in [
        "second_reading",
        "second_writing",
        "second_speaking",
        "second_listening",
    ] {
        answers[id] = json!(12);
    }
    let (without_test, ignored) = total(&program, answers.clone());
    assert_eq!(without_test, 469);
    assert_eq!(ignored.len(), 4, "{ignored:?}");
    answers["second_language_test"] = json!(true);
    // 24 points for French, the cap without a spouse, and 50 for French with English CLB 5+.
    assert_eq!(total(&program, answers).0, 469 + 24 + 50);
}

#[test]
fn the_module_is_valid_and_agrees_on_the_worked_example() {
    let program = crs();
    let bytes = program.emit_wasm();
    validate(&bytes).unwrap();
    println!("crs module: {} bytes", bytes.len());
    let answers = Answers::from_json(&program, &worked_example()).unwrap();
    let mut module = guide_rules::WasmEvaluator::new(&program).unwrap();
    let emitted = module.evaluate(&answers).unwrap();
    assert_eq!(emitted, program.evaluate(&answers));
    assert_eq!(emitted.values["total"], Value::Integer(469));
}

/// IRCC's tables stop at "5 years or more" of Canadian work (and abroad at "3 years or more",
/// of the last 10): a longer career is entered as it is and scores as the last row.
#[test]
fn a_long_career_is_entered_as_it_is_and_scores_as_the_last_row() {
    let program = crs();
    let mut answers = worked_example();
    answers["spouse"] = json!("coming");
    add_spouse_profile(&mut answers);
    let with_years = |canadian: i32, foreign: i32, spouse: i32| {
        let mut answers = answers.clone();
        answers["canadian_work_years"] = json!(canadian);
        answers["foreign_work_years"] = json!(foreign);
        answers["spouse_canadian_work_years"] = json!(spouse);
        total(&program, answers).0
    };
    assert_eq!(with_years(25, 10, 40), with_years(5, 3, 5));
    assert!(with_years(5, 3, 5) > with_years(4, 2, 4));
}
