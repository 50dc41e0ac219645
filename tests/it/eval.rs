//! `guide eval` on the bundled guide's rules: the native result as JSON, and bad answers.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn eval(answers: &str, rules: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_guide"))
        .args([
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "eval",
            rules,
            "--answers",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("guide runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(answers.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn json(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

const OPENING_DAY: &str = r#"{"role": "principal", "applied_on": "2023-07-16", "visa_valid": true,
  "lives_in_us": true, "outside_canada": true, "years_requested": 3, "issued_on": "2023-08-15",
  "passport_expires_on": "2025-05-01"}"#;

#[test]
fn a_principal_on_opening_day_qualified_with_the_permit_cut_to_the_passport() {
    let result = json(&eval(OPENING_DAY, "h1b"));
    assert_eq!(result["outcome"], "principal_short_passport");
    assert_eq!(result["failed"], serde_json::json!([]));
    // Three years from the border would reach 2026-08-15; the passport ends first.
    assert_eq!(result["values"]["permit_ends_on"], "2025-05-01");
    assert_eq!(result["values"]["full_permit_ends_on"], "2026-08-15");
    assert!(result["passed"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "valid_h1b"));
}

#[test]
fn a_reader_applying_today_learns_the_stream_closed() {
    let answers = OPENING_DAY
        .replace("2023-07-16", "2026-11-21")
        .replace("2025-05-01", "2031-01-01");
    // A permit cannot be issued before the day of applying.
    let refused = eval(&answers, "h1b");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains(
            "error: the answer to `issued_on` does not meet its condition `valid_if = \"issued_on >= applied_on\"`"
        ),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let answers = answers.replace("2023-08-15", "2026-12-15");
    let result = json(&eval(&answers, "h1b"));
    assert_eq!(result["outcome"], "closed");
    assert_eq!(result["failed"], serde_json::json!(["applied_while_open"]));
    assert_eq!(result["values"]["days_after_closing"], 1223);
}

#[test]
fn a_whole_number_too_large_is_said_to_be_too_large_not_not_whole() {
    let output = eval(
        &OPENING_DAY.replace(
            "\"years_requested\": 3",
            "\"years_requested\": 99999999999999999999",
        ),
        "h1b",
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("`years_requested` takes a whole number, not a number with more digits than it can take"),
        "{stderr}"
    );
    let output = eval(
        &OPENING_DAY.replace("\"years_requested\": 3", "\"years_requested\": 2.5"),
        "h1b",
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a number that is not whole"));
}

#[test]
fn answers_can_come_from_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.json");
    std::fs::write(
        &path,
        OPENING_DAY.replace("\"visa_valid\": true", "\"visa_valid\": false"),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_guide"))
        .args([
            "--root",
            env!("CARGO_MANIFEST_DIR"),
            "eval",
            "h1b",
            "--answers",
        ])
        .arg(&path)
        .output()
        .unwrap();
    let result = json(&output);
    assert_eq!(result["outcome"], "not_eligible");
    assert_eq!(result["failed"], serde_json::json!(["valid_h1b"]));
}

#[test]
fn bad_answers_exit_with_2_and_say_what_is_wrong() {
    let cases = [
        (OPENING_DAY.replace("\"role\": \"principal\", ", ""), "role"),
        (OPENING_DAY.replace("\"principal\"", "\"cousin\""), "cousin"),
        (
            OPENING_DAY.replace("\"visa_valid\": true", "\"visa_valid\": \"maybe\""),
            "visa_valid",
        ),
        (
            OPENING_DAY.replace("\"2023-07-16\"", "\"July 16\""),
            "applied_on",
        ),
        ("not json".to_string(), "error: answers are not valid JSON"),
    ];
    for (answers, mentioned) in cases {
        let output = eval(&answers, "h1b");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{answers}: {stderr}");
        assert!(stderr.contains(mentioned), "{mentioned} not in: {stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn unknown_rules_exit_with_1_naming_the_known_ones() {
    let output = eval(OPENING_DAY, "h2b");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("no rules `h2b`") && stderr.contains("h1b"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("build failed"),
        "eval builds nothing: {stderr}"
    );
}

#[test]
fn an_answer_to_a_question_not_asked_is_set_aside_with_a_warning() {
    let answers = OPENING_DAY.replace("\"principal\"", "\"spouse\"");
    let output = eval(&answers, "h1b");
    let result = json(&output);
    assert_eq!(result["outcome"], "spouse_eligible");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: `years_requested` is asked only if `role == principal`, which these answers do not meet: its answer is ignored"),
        "{stderr}"
    );
}

#[test]
fn a_question_the_answers_ask_must_be_answered() {
    let answers = OPENING_DAY.replace(" \"years_requested\": 3,", "");
    assert!(!answers.contains("years_requested"));
    let output = eval(&answers, "h1b");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("error: no answer for `years_requested`"),
        "{stderr}"
    );
    // Without the asking answer, the spouse is not asked it.
    let spouse = answers.replace("\"principal\"", "\"spouse\"");
    assert_eq!(json(&eval(&spouse, "h1b"))["outcome"], "spouse_eligible");
}

#[test]
fn yes_and_no_are_taken_as_true_and_false() {
    let answers = OPENING_DAY.replace("true", "\"yes\"");
    assert_eq!(
        json(&eval(&answers, "h1b"))["outcome"],
        "principal_short_passport"
    );
    let answers = OPENING_DAY.replacen("\"visa_valid\": true", "\"visa_valid\": \"no\"", 1);
    assert_eq!(
        json(&eval(&answers, "h1b"))["failed"],
        serde_json::json!(["valid_h1b"])
    );
}

/// `OPENING_DAY` with a passport that outlasts the permit.
fn with_long_passport(answers: &str) -> String {
    answers.replace("2025-05-01", "2031-01-01")
}

#[test]
fn a_principal_permit_runs_three_years_from_the_border_not_from_applying() {
    let result = json(&eval(&with_long_passport(OPENING_DAY), "h1b"));
    assert_eq!(result["outcome"], "principal_eligible");
    assert_eq!(result["values"]["permit_ends_on"], "2026-08-15");
}

#[test]
fn the_cap_day_has_its_own_outcome_for_a_principal_and_a_family_member() {
    let cap_day = with_long_passport(OPENING_DAY).replace("2023-07-16", "2023-07-17");
    let result = json(&eval(&cap_day, "h1b"));
    assert_eq!(result["outcome"], "cap_day");
    assert_eq!(result["failed"], serde_json::json!([]));
    let child = cap_day.replace("\"principal\"", "\"child\"");
    assert_eq!(json(&eval(&child, "h1b"))["outcome"], "cap_day");
    // The day before is plainly inside the cap.
    let before = with_long_passport(OPENING_DAY);
    assert_eq!(json(&eval(&before, "h1b"))["outcome"], "principal_eligible");
}

#[test]
fn a_spouse_and_a_child_each_get_their_own_outcome() {
    let principal = with_long_passport(OPENING_DAY);
    let spouse = principal.replace("\"principal\"", "\"spouse\"");
    let child = principal.replace("\"principal\"", "\"child\"");
    assert_eq!(json(&eval(&spouse, "h1b"))["outcome"], "spouse_eligible");
    assert_eq!(json(&eval(&child, "h1b"))["outcome"], "child_eligible");
}

/// The bundled checker's outcome texts as the built page shows them, by outcome id.
fn outcome_texts() -> Vec<(String, String)> {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    let html = std::fs::read_to_string(options.output.join("check/index.html")).unwrap();
    html.split("data-outcome=\"")
        .skip(1)
        .map(|rest| {
            let id = rest[..rest.find('"').unwrap()].to_string();
            let end = rest.find("</div>").unwrap_or(rest.len());
            (id, rest[..end].to_string())
        })
        .collect()
}

#[test]
fn outcome_texts_speak_to_each_role_and_count_right() {
    let texts = outcome_texts();
    let text = |id: &str| {
        texts
            .iter()
            .find(|(found, _)| found == id)
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| panic!("no outcome `{id}` in {texts:?}"))
    };
    for (id, body) in &texts {
        assert!(!body.contains(" 1 days"), "{id}: {body}");
    }
    assert!(text("cap_day").contains("during the day"));
    assert!(!text("cap_day").contains("You met the stream"));
    assert!(text("spouse_eligible").contains("work permit"));
    assert!(text("child_eligible").contains("study permit"));
    assert_ne!(text("spouse_eligible"), text("child_eligible"));
    // No text a family member may see tells them of their own principal application.
    for id in [
        "closed",
        "not_eligible",
        "spouse_eligible",
        "child_eligible",
        "cap_day",
    ] {
        assert!(!text(id).contains("principal applications"), "{id}");
    }
    // The routes' statuses come with the month they were checked.
    assert!(
        text("closed").contains("As of January 2026"),
        "{}",
        text("closed")
    );
}

/// The worked example of IRCC's tables: single, 29 on the day of scoring, a master's degree,
/// CLB 9 on all four English abilities, three years of foreign work, nothing else.
const CRS_SINGLE: &str = r#"{"scored_on": "2026-12-01", "birth_date": "1997-06-01", "spouse": "none",
  "education": "masters", "first_language": "english", "first_reading": 9, "first_writing": 9,
  "first_speaking": 9, "first_listening": 9, "second_language_test": false,
  "canadian_work_years": 0, "foreign_work_years": 3, "trade_certificate": false,
  "sibling_in_canada": false, "canadian_education": "none", "job_offer": "none", "nomination": false}"#;

#[test]
fn the_express_entry_calculator_gives_each_part_of_the_score() {
    let result = json(&eval(CRS_SINGLE, "crs"));
    assert_eq!(result["outcome"], "estimate");
    let values = &result["values"];
    // Age 110 + master's 135 + 4 × 31 = 369; education and foreign work with CLB 9: 50 + 50.
    for (id, points) in [
        ("age_points", 110),
        ("education_points", 135),
        ("first_language_points", 124),
        ("core", 369),
        ("spouse_factors", 0),
        ("education_transferability", 50),
        ("foreign_work_transferability", 50),
        ("transferability", 100),
        ("additional", 0),
        ("total", 469),
    ] {
        assert_eq!(values[id], points, "{id}");
    }
}

#[test]
fn the_calculator_scores_a_spouse_only_when_they_come_along() {
    let with_spouse = CRS_SINGLE.replace(
        "\"spouse\": \"none\"",
        "\"spouse\": \"coming\", \"spouse_education\": \"bachelors\", \"spouse_reading\": 7, \
         \"spouse_writing\": 7, \"spouse_speaking\": 7, \"spouse_listening\": 7, \
         \"spouse_canadian_work_years\": 1",
    );
    let result = json(&eval(&with_spouse, "crs"));
    // With-spouse columns: 100 + 126 + 4 × 29 = 342; the spouse's 8 + 4 × 3 + 5 = 25.
    assert_eq!(result["values"]["core"], 342);
    assert_eq!(result["values"]["spouse_factors"], 25);
    assert_eq!(result["values"]["total"], 342 + 25 + 100);
    let staying = with_spouse.replace("\"coming\"", "\"not_coming\"");
    let output = eval(&staying, "crs");
    assert_eq!(json(&output)["values"]["total"], 469);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("warning: `spouse_education` is asked only if `spouse == coming`"),
        "{stderr}"
    );
    // A spouse who comes along must be described.
    let missing = CRS_SINGLE.replace("\"spouse\": \"none\"", "\"spouse\": \"coming\"");
    let output = eval(&missing, "crs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no answer for `spouse_education`"));
}

#[test]
fn a_job_offer_counts_on_march_24_2025_and_not_on_march_25() {
    let offer = CRS_SINGLE.replace("\"job_offer\": \"none\"", "\"job_offer\": \"teer_00\"");
    for (day, points, total) in [("2025-03-24", 200, 669), ("2025-03-25", 0, 469)] {
        let answers = offer.replace("2026-12-01", day);
        let result = json(&eval(&answers, "crs"));
        assert_eq!(result["values"]["job_offer_points"], points, "{day}");
        assert_eq!(result["values"]["total"], total, "{day}");
    }
}

#[test]
fn the_calculator_needs_the_scoring_date() {
    let answers = CRS_SINGLE.replace("\"scored_on\": \"2026-12-01\", ", "");
    let output = eval(&answers, "crs");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("scored_on"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
