//! The bundled rules and their WebAssembly module.

use crate::common::{h1b, h1b_facts};
use guide_rules::{compile, validate, QuestionKind};
use serde_json::json;

#[test]
fn every_bundled_example_holds_in_both_engines() {
    let program = h1b();
    if let Err(failures) = program.check_examples() {
        let messages: Vec<String> = failures.iter().map(ToString::to_string).collect();
        panic!("{}", messages.join("\n"));
    }
}

#[test]
fn examples_cover_every_outcome_and_every_criterion_failing_alone() {
    let program = h1b();
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
fn the_module_is_valid_and_small() {
    let bytes = h1b().emit_wasm();
    validate(&bytes).unwrap();
    assert!(
        bytes.len() < 1200,
        "the module grew to {} bytes",
        bytes.len()
    );
    assert_eq!(&bytes[..4], b"\0asm");
    println!("h1b module: {} bytes", bytes.len());
}

#[test]
fn validate_rejects_broken_modules() {
    let mut bytes = h1b().emit_wasm();
    assert!(validate(&bytes[..bytes.len() - 3]).is_err());
    bytes[0] = b'x';
    assert!(validate(&bytes).is_err());
}

#[test]
fn the_abi_tells_the_page_everything_it_needs() {
    let program = h1b();
    let abi = serde_json::to_value(program.abi()).unwrap();
    assert_eq!(abi["memory"], "memory");
    assert_eq!(abi["evaluate"], "evaluate");
    assert_eq!(
        abi["questions"][0],
        json!({"id": "role", "type": "choice", "offset": 0, "choices": ["principal", "spouse", "child"]})
    );
    assert_eq!(
        abi["questions"][1],
        json!({"id": "applied_on", "type": "date", "offset": 4, "default": "today"})
    );
    assert_eq!(
        abi["questions"][5],
        json!({"id": "years_requested", "type": "integer", "offset": 20, "min": 1, "max": 10, "asked": 84})
    );
    assert_eq!(
        abi["criteria"][0],
        json!({"id": "applied_while_open", "type": "bool", "offset": 28})
    );
    assert_eq!(
        abi["values"][0],
        json!({"id": "permit_ends_on", "type": "date", "offset": 52})
    );
    assert_eq!(
        abi["outcomes"],
        json!([
            "not_yet_open",
            "closed",
            "principal_eligible",
            "family_eligible",
            "not_eligible"
        ])
    );
}

/// The page script (`src/checkers/checker.js` in the guide) tells answers and values apart by
/// these exact `type` strings.
#[test]
fn the_abi_names_every_question_and_value_type_as_the_page_script_reads_it() {
    let source = include_str!("../fixtures/every_operator.toml");
    let program = compile(source, &h1b_facts()).unwrap_or_else(|diagnostics| {
        panic!("{diagnostics:#?}");
    });
    let abi = serde_json::to_value(program.abi()).unwrap();
    let types = |list: &str| -> Vec<(String, String)> {
        abi[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|slot| {
                (
                    slot["id"].as_str().unwrap().to_string(),
                    slot["type"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let questions = types("questions");
    for (id, kind) in [
        ("flag", "bool"),
        ("kind", "choice"),
        ("start", "date"),
        ("count", "integer"),
    ] {
        assert!(
            questions.contains(&(id.to_string(), kind.to_string())),
            "{questions:?}"
        );
    }
    let values = types("values");
    for (id, kind) in [
        ("shifted_days", "date"),
        ("span_days", "integer"),
        ("logic", "bool"),
    ] {
        assert!(
            values.contains(&(id.to_string(), kind.to_string())),
            "{values:?}"
        );
    }
    assert!(types("criteria").iter().all(|(_, kind)| kind == "bool"));
    assert!(!types("criteria").is_empty());
}

#[test]
fn questions_are_exposed_for_the_form() {
    let program = h1b();
    let ids: Vec<&str> = program
        .questions()
        .iter()
        .map(|question| question.id.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "role",
            "applied_on",
            "visa_valid",
            "lives_in_us",
            "outside_canada",
            "years_requested",
            "passport_expires_on"
        ]
    );
    assert_eq!(
        program.questions()[1].kind,
        QuestionKind::Date {
            default_today: true,
            allow_future: false,
        }
    );
    for question in program.questions() {
        assert!(
            question.help.is_some(),
            "`{}` has no help text",
            question.id
        );
    }
    let json = serde_json::to_value(&program.questions()[5].kind).unwrap();
    assert_eq!(json["type"], "integer");
    assert_eq!(json["max"], 10);
}
