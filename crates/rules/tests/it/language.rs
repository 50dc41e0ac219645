//! The language's richer forms: conditional questions and the proof that unasked answers are
//! never read, products, conditionals, sums, tables, whole years, dated facts and ranges.

use guide_rules::{
    compile, Answers, Constant, Diagnostic, Fact, FactChange, Facts, Program, Value, WasmEvaluator,
};
use serde_json::json;

use crate::common::{date, fixture};

/// The H-1B facts, and `points.offer`: 50 until 2025-03-24, 0 from 2025-03-25.
fn facts() -> Facts {
    let mut facts = crate::common::h1b_facts();
    let mut offer = Fact::new(Constant::Integer(50), "50 points");
    offer.changes.push(FactChange {
        from: date("2025-03-25"),
        value: Constant::Integer(0),
        display: "no points".to_string(),
    });
    facts.insert("points.offer".to_string(), offer);
    facts
}

fn points() -> Program {
    compile(&fixture("points.toml"), &facts()).unwrap_or_else(|diagnostics| {
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!("points.toml does not compile:\n{}", messages.join("\n"))
    })
}

/// The errors for the points fixture with `from` replaced by `to`.
fn errors_after(from: &str, to: &str) -> Vec<Diagnostic> {
    let source = fixture("points.toml");
    assert!(source.contains(from), "the fixture has no `{from}`");
    let changed = source.replacen(from, to, 1);
    match compile(&changed, &facts()) {
        Ok(_) => panic!("expected an error after replacing `{from}` with `{to}`"),
        Err(diagnostics) => diagnostics,
    }
}

fn single_after(from: &str, to: &str) -> Diagnostic {
    let mut found = errors_after(from, to);
    let messages: Vec<&str> = found.iter().map(|found| found.message.as_str()).collect();
    assert_eq!(found.len(), 1, "expected one error, got {messages:#?}");
    found.remove(0)
}

/// Line and column (1-based) of the `occurrence`-th `needle` in the fixture after the change.
fn place(from: &str, to: &str, needle: &str) -> (usize, usize) {
    let changed = fixture("points.toml").replacen(from, to, 1);
    let offset = changed
        .find(needle)
        .unwrap_or_else(|| panic!("no `{needle}`"));
    guide_rules::line_column(&changed, offset)
}

#[test]
fn the_points_fixture_compiles_and_its_examples_hold_in_both_engines() {
    let program = points();
    assert_eq!(program.examples().len(), 6);
    program
        .check_examples()
        .expect("every example holds in both engines");
}

#[test]
fn a_question_is_asked_only_when_its_condition_holds() {
    let program = points();
    let single = json!({"marital_status": "single", "born_on": "1990-01-01", "scored_on": "2026-12-01",
        "education": "bachelor", "clb": 9, "has_offer": "no", "spouse_comes": "yes", "spouse_clb": 12});
    let answers = Answers::from_json(&program, &single).expect("answers for a single person");
    assert_eq!(answers.ignored(), ["spouse_comes", "spouse_clb"]);
    let result = program.evaluate(&answers);
    assert_eq!(result.values["spouse_points"], Value::Integer(0));
    // The module sets aside what the page wrote for unasked questions in the same way.
    let mut module = WasmEvaluator::new(&program).expect("the module instantiates");
    assert_eq!(module.evaluate(&answers), Ok(result));

    let married = json!({"marital_status": "married", "spouse_comes": true, "born_on": "1990-01-01",
        "scored_on": "2026-12-01", "education": "bachelor", "clb": 3});
    let errors = Answers::from_json(&program, &married).unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(messages, ["no answer for `spouse_clb`"]);

    // `has_offer` is not asked below CLB 4 and then holds its default, no.
    let low = json!({"marital_status": "single", "born_on": "1990-01-01", "scored_on": "2026-12-01",
        "education": "bachelor", "clb": 3});
    let answers = Answers::from_json(&program, &low).expect("has_offer is not asked");
    assert_eq!(
        program.evaluate(&answers).values["offer_points"],
        Value::Integer(0)
    );
}

#[test]
fn reading_an_unasked_answer_unguarded_is_an_error_naming_the_condition() {
    let from = "formula = \"if answered(spouse_clb) then 4 * lookup(spouse_language_points, spouse_clb) else 0\"";
    let to = "formula = \"4 * lookup(spouse_language_points, spouse_clb)\"";
    let found = single_after(from, to);
    assert_eq!(
        found.message,
        "the computed value `spouse_points` reads `spouse_clb`, which may not have been asked"
    );
    let help = found.help.as_deref().unwrap_or_default();
    assert!(
        help.starts_with("`spouse_clb` is asked only if `marital_status != single and spouse_comes`, and it is not asked when `marital_status` is single"),
        "{help}"
    );
    assert!(help.contains("answered(spouse_clb)"), "{help}");
    assert_eq!(found.line_column(), Some(place(from, to, "spouse_clb)\"")));

    // Guarded by `and`, or by an earlier outcome, a read is safe; in an outcome with no guard
    // it is not.
    let outcome = "when = \"total >= 300\"";
    let found = single_after(outcome, "when = \"spouse_comes\"");
    assert_eq!(
        found.message,
        "the condition of the outcome `high` reads `spouse_comes`, which may not have been asked"
    );
    compile(
        &fixture("points.toml").replacen(
            outcome,
            "when = \"marital_status != single and spouse_comes\"",
            1,
        ),
        &facts(),
    )
    .expect("a read after `and` on its condition is safe");
}

#[test]
fn a_default_makes_an_unasked_answer_readable_and_must_fit_its_question() {
    // `has_offer` has a default, so it may be read unguarded.
    let program = points();
    assert!(program
        .questions()
        .iter()
        .any(|question| question.id == "has_offer"));
    let found = single_after("default = false", "default = 3");
    assert_eq!(
        found.message,
        "the default must be true or false, not the number 3"
            .replace("true or false", "yes or no (or true or false)")
    );
}

#[test]
fn an_ask_if_reads_only_earlier_questions() {
    let found = single_after(
        "ask_if = \"marital_status in [married, common_law]\"",
        "ask_if = \"marital_status in [married, common_law] and clb > 2\"",
    );
    assert_eq!(
        found.message,
        "the condition for asking `spouse_comes` reads `clb`"
    );
    let found = single_after(
        "ask_if = \"marital_status in [married, common_law]\"",
        "ask_if = \"marital_status in [married, common_law] and total > 2\"",
    );
    assert_eq!(
        found.message,
        "the condition for asking `spouse_comes` reads `total`"
    );
}

#[test]
fn tables_are_read_by_band_or_by_choice_and_must_cover_every_key() {
    // Both lookups of `age_points` by `age` are reported.
    let found = errors_after("{ max = 17, with_spouse = 0, single = 0 },\n", "");
    assert_eq!(found.len(), 2);
    assert_eq!(
        found[0].message,
        "the table `age_points` has no row for -10007, which this key can be"
    );
    assert_eq!(
        found[0].help.as_deref(),
        Some("the key can be anything from -10007 to 10006: add a row for -10007, or leave a band's end open")
    );
    let found = &errors_after(
        "{ key = \"secondary\", with_spouse = 28, single = 30 },\n",
        "",
    )[0];
    assert_eq!(
        found.message,
        "the table `education_points` has no row for `secondary` of `education`"
    );
    let found = single_after(
        "lookup(age_points, age, single)",
        "lookup(age_points, age, singel)",
    );
    assert_eq!(
        found.message,
        "the table `age_points` has no column `singel`"
    );
    assert_eq!(found.help.as_deref(), Some("did you mean `single`?"));
    let found = single_after(
        "lookup(spouse_language_points, spouse_clb)",
        "lookup(age_points, spouse_clb)",
    );
    assert_eq!(
        found.message,
        "the table `age_points` has several columns: say which"
    );
    let found = single_after(
        "{ min = 18, max = 19, with_spouse = 90, single = 99 }",
        "{ min = 18, max = 20, with_spouse = 90, single = 99 }",
    );
    assert_eq!(
        found.message,
        "in the table `age_points`: this row's key overlaps an earlier row's"
    );
    let found = single_after(
        "{ min = 45, with_spouse = 0, single = 0 }",
        "{ min = 45, with_spouse = 0 }",
    );
    assert_eq!(
        found.message,
        "in the table `age_points`: the row has no `single`"
    );
}

#[test]
fn a_dated_fact_is_read_as_of_a_date() {
    let found = single_after("facts.points.offer at scored_on", "facts.points.offer");
    assert_eq!(
        found.message,
        "the fact `facts.points.offer` changes on 2025-03-25, so the rules must say as of which date they read it"
    );
    let found = single_after(
        "facts.points.offer at scored_on",
        "facts.points.offer at clb",
    );
    assert_eq!(
        found.message,
        "a fact is read as of a date, not a whole number"
    );
}

#[test]
fn arithmetic_that_could_leave_the_range_is_refused_with_the_unbounded_question_named() {
    let source = fixture("points.toml")
        .replacen("min = 0\nmax = 12\nask_if", "ask_if", 1)
        .replacen(
            "4 * lookup(spouse_language_points, spouse_clb)",
            "spouse_clb * 1000",
            1,
        );
    let found = compile(&source, &facts()).unwrap_err();
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].message,
        "`spouse_clb * 1000` could reach 2147483647000, beyond the whole numbers the rules compute with (-2147483648 to 2147483647)"
    );
    assert_eq!(
        found[0].help.as_deref(),
        Some("give `spouse_clb` a `min` and a `max`")
    );
    // A table read with an unbounded key is fine when its bands are open at both ends.
    let source = fixture("points.toml").replacen("min = 0\nmax = 12\nask_if", "ask_if", 1);
    compile(&source, &facts()).expect("open bands hold any key");
    let found = single_after(
        "formula = \"min(sum(core_points, spouse_points, offer_points), 500)\"",
        "formula = \"clb * clb * clb * clb * clb * clb * clb * clb * clb * clb\"",
    );
    assert!(
        found.message.starts_with(
            "`clb * clb * clb * clb * clb * clb * clb * clb * clb` could reach 5159780352"
        ),
        "{}",
        found.message
    );
    assert_eq!(
        found.help.as_deref(),
        Some("use smaller numbers, or split the computation so each part stays in range")
    );
}

#[test]
fn whole_years_count_a_leap_day_birthday_on_february_28() {
    let program = points();
    let on = |scored_on: &str| {
        let answers = Answers::from_json(
            &program,
            &json!({"marital_status": "single", "born_on": "2008-02-29",
            "scored_on": scored_on, "education": "secondary", "clb": 0}),
        )
        .expect("answers");
        program.evaluate(&answers).values["age"]
    };
    assert_eq!(on("2026-02-27"), Value::Integer(17));
    assert_eq!(on("2026-02-28"), Value::Integer(18));
    assert_eq!(on("2028-02-28"), Value::Integer(19));
    assert_eq!(on("2028-02-29"), Value::Integer(20));
}

#[test]
fn conditionals_and_products_type_check() {
    let found = single_after(
        "then 4 * lookup(spouse_language_points, spouse_clb) else 0",
        "then 4 * lookup(spouse_language_points, spouse_clb) else scored_on",
    );
    assert_eq!(
        found.message,
        "the two branches of `if` differ: a whole number after `then`, a date after `else`"
    );
    let found = single_after("4 * lookup(", "scored_on * lookup(");
    assert_eq!(found.message, "cannot multiply a date by a whole number");
}

#[test]
fn an_answer_its_valid_if_refuses_is_an_error_naming_the_condition() {
    let program = points();
    let scored_before_birth = json!({"marital_status": "single", "born_on": "1990-01-01",
        "scored_on": "1989-12-31", "education": "bachelor", "clb": 9, "has_offer": "no"});
    let errors = Answers::from_json(&program, &scored_before_birth).unwrap_err();
    let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        ["the answer to `scored_on` does not meet its condition `valid_if = \"scored_on > born_on\"`"]
    );
    assert_eq!(errors[0].question, "scored_on");
    // The day after is taken; so is an answer the same form refuses on a question not asked
    // (below CLB 4 the offer is not asked, so its condition is not judged).
    let next_day = json!({"marital_status": "single", "born_on": "1990-01-01",
        "scored_on": "1990-01-02", "education": "bachelor", "clb": 9, "has_offer": "no"});
    Answers::from_json(&program, &next_day).expect("a score counted after the birth");
    let offer_at_clb_4 = json!({"marital_status": "single", "born_on": "1990-01-01",
        "scored_on": "2026-12-01", "education": "bachelor", "clb": 4, "has_offer": "yes"});
    let errors = Answers::from_json(&program, &offer_at_clb_4).unwrap_err();
    assert_eq!(errors[0].question, "has_offer");
    let unasked = json!({"marital_status": "single", "born_on": "1990-01-01",
        "scored_on": "2026-12-01", "education": "bachelor", "clb": 3, "has_offer": "yes"});
    let answers = Answers::from_json(&program, &unasked).expect("has_offer is not asked at CLB 3");
    assert_eq!(answers.ignored(), ["has_offer"]);
    // Answers in the module's encoding are held to the same conditions.
    let encoded = Answers::from_json(&program, &next_day)
        .unwrap()
        .encoded()
        .to_vec();
    let mut before_birth = encoded.clone();
    before_birth[3] = before_birth[2];
    let errors = Answers::from_encoded(&program, &before_birth).unwrap_err();
    assert_eq!(errors[0].question, "scored_on");
    // The module tells a page where it writes its judgement, and which other answers it reads.
    let abi = program.abi();
    let scored_on = abi.questions.iter().find(|q| q.id == "scored_on").unwrap();
    assert!(scored_on.valid.is_some());
    assert_eq!(scored_on.reads, ["born_on"]);
    let has_offer = abi.questions.iter().find(|q| q.id == "has_offer").unwrap();
    assert_eq!(has_offer.reads, ["clb"]);
    let clb = abi.questions.iter().find(|q| q.id == "clb").unwrap();
    assert_eq!((clb.valid, clb.reads.len()), (None, 0));
    // A spouse's level of 0 is refused where it is asked, and not judged where it is not: the
    // 0 an unasked question holds is no answer of the reader's.
    let spouse = json!({"marital_status": "married", "spouse_comes": true, "spouse_clb": 0,
        "born_on": "1990-01-01", "scored_on": "2026-12-01", "education": "bachelor", "clb": 9, "has_offer": "no"});
    let errors = Answers::from_json(&program, &spouse).unwrap_err();
    assert_eq!(errors[0].question, "spouse_clb");
    let alone = json!({"marital_status": "married", "spouse_comes": false,
        "born_on": "1990-01-01", "scored_on": "2026-12-01", "education": "bachelor", "clb": 9, "has_offer": "no"});
    let answers = Answers::from_json(&program, &alone).expect("spouse_clb is not asked");
    assert_eq!(answers.encoded()[7], 0);
    let mut module = WasmEvaluator::new(&program).expect("the module instantiates");
    assert_eq!(module.evaluate(&answers), Ok(program.evaluate(&answers)));
}

#[test]
fn a_page_judges_a_valid_if_once_every_question_it_depends_on_is_settled() {
    // Reading `spouse_comes`, asked only for a spouse, depends on `marital_status` too.
    let condition = "valid_if = \"scored_on > born_on\"\n";
    let source = fixture("points.toml").replacen(
        condition,
        "valid_if = \"scored_on > born_on or (answered(spouse_comes) and spouse_comes)\"\n",
        1,
    );
    let program = compile(&source, &facts()).expect("a guarded read compiles");
    let abi = program.abi();
    let scored_on = abi.questions.iter().find(|q| q.id == "scored_on").unwrap();
    assert_eq!(
        scored_on.reads,
        ["marital_status", "spouse_comes", "born_on"]
    );
}

#[test]
fn a_valid_if_needs_its_message_reads_no_later_answer_and_is_proven_like_any_read() {
    let condition = "valid_if = \"scored_on > born_on\"\n";
    let message = "valid_error = \"The date of the score must be after the date of birth\"\n";
    let found = single_after(message, "");
    assert_eq!(
        found.message,
        "question `scored_on` has a `valid_if` but no `valid_error`"
    );
    assert_eq!(
        found.line_column(),
        Some(place(message, "", "\"scored_on > born_on\""))
    );
    let found = single_after(condition, "");
    assert_eq!(
        found.message,
        "question `scored_on` has a `valid_error` but no `valid_if`"
    );
    let found = single_after(
        condition,
        "valid_if = \"scored_on > born_on and clb > 2\"\n",
    );
    assert_eq!(found.message, "the `valid_if` of `scored_on` reads `clb`");
    assert_eq!(
        found.help.as_deref(),
        Some("a question's `valid_if` reads only its own answer and the answers to questions before it")
    );
    // A computed value is worked out from every answer: no question's own condition reads one.
    let found = single_after(
        condition,
        "valid_if = \"scored_on > born_on and age > 3\"\n",
    );
    assert_eq!(found.message, "the `valid_if` of `scored_on` reads `age`");
    let found = single_after(condition, "valid_if = \"scored_on - born_on\"\n");
    assert!(found.message.contains("`valid_if`"), "{}", found.message);
    // `spouse_comes` is asked only with a spouse: reading it unguarded is refused as anywhere.
    let found = single_after(
        condition,
        "valid_if = \"scored_on > born_on or spouse_comes\"\n",
    );
    assert_eq!(
        found.message,
        "the `valid_if` of `scored_on` reads `spouse_comes`, which may not have been asked"
    );
    compile(
        &fixture("points.toml").replacen(
            condition,
            "valid_if = \"scored_on > born_on or (answered(spouse_comes) and spouse_comes)\"\n",
            1,
        ),
        &facts(),
    )
    .expect("a guarded read is safe");
}

#[test]
fn a_worked_example_with_an_answer_its_valid_if_refuses_is_an_error_at_that_answer() {
    let from = "born_on = 1996-02-29, scored_on = 2026-02-28,";
    let to = "born_on = 1996-02-29, scored_on = 1996-02-29,";
    let found = single_after(from, to);
    assert_eq!(
        found.message,
        "in example `single_doctorate`: the answer to `scored_on` does not meet its condition `valid_if = \"scored_on > born_on\"`"
    );
    let changed = fixture("points.toml").replacen(from, to, 1);
    let at = changed.find(to).unwrap() + "born_on = 1996-02-29, scored_on = ".len();
    assert_eq!(
        found.line_column(),
        Some(guide_rules::line_column(&changed, at))
    );
}

/// The proof that unasked answers are never read runs the program once per combination of
/// the answers `ask_if` reads: a file whose combinations times its size would take too long
/// to prove is refused at its first condition, rather than holding the build for seconds.
#[test]
fn a_proof_too_long_to_run_is_refused_at_the_first_condition() {
    let mut source = String::new();
    for i in 0..16 {
        source += &format!("[[questions]]\nid = \"q{i}\"\ntype = \"bool\"\ntext = \"Q{i}?\"\n\n");
    }
    let all: Vec<String> = (0..16).map(|i| format!("q{i}")).collect();
    source += &format!(
        "[[questions]]\nid = \"n\"\ntype = \"integer\"\nmin = 0\nmax = 10\ndefault = 0\nask_if = \"{}\"\ntext = \"N?\"\n\n",
        all.join(" and ")
    );
    source += &format!(
        "[[values]]\nid = \"total\"\nlabel = \"Total\"\nformula = \"sum({})\"\n\n",
        vec!["n"; 300].join(", ")
    );
    source += "[[outcomes]]\nid = \"done\"\nheading = \"Done\"\ntext = \"Done: {total}.\"\n";
    let found = match compile(&source, &Facts::default()) {
        Ok(_) => panic!("a proof of 65,536 runs of a 300-term sum was run"),
        Err(found) => found,
    };
    let messages: Vec<&str> = found.iter().map(|found| found.message.as_str()).collect();
    assert_eq!(found.len(), 1, "{messages:#?}");
    assert!(
        messages[0].contains("too many to check every case"),
        "{}",
        messages[0]
    );
    let at = source.find("ask_if = ").unwrap() + "ask_if = ".len();
    assert_eq!(
        found[0].span.as_ref().map(|span| span.start),
        Some(at),
        "{}",
        messages[0]
    );
    let help = found[0].help.as_deref().unwrap_or("");
    assert!(help.contains("ask_if"), "{help}");
}

/// A sum is checked for its range link by link: the first partial sum that could leave the
/// range is the error, naming the whole `sum(...)` and how far it could go.
#[test]
fn a_sum_that_could_leave_the_range_is_refused_naming_how_far() {
    let terms = ["big"; 3].join(", ");
    let source = format!(
        "[[questions]]\nid = \"big\"\ntype = \"integer\"\nmin = 0\nmax = 1000000000\ntext = \"Big?\"\n\n\
         [[values]]\nid = \"total\"\nlabel = \"Total\"\nformula = \"sum({terms})\"\n\n\
         [[outcomes]]\nid = \"done\"\nheading = \"Done\"\ntext = \"Done: {{total}}.\"\n"
    );
    let found = compile(&source, &Facts::default()).unwrap_err();
    assert_eq!(found.len(), 1, "{found:#?}");
    // Two terms reach 2,000,000,000, within the range; the third, 3,000,000,000, is not.
    assert_eq!(
        found[0].message,
        "`sum(big, big, big)` could reach 3000000000, beyond the whole numbers the rules compute with (-2147483648 to 2147483647)"
    );
    let at = source.find("sum(").unwrap();
    assert_eq!(found[0].span.as_ref().map(|span| span.start), Some(at));
    // Two terms are fine.
    let two = source.replace("sum(big, big, big)", "sum(big, big)");
    compile(&two, &Facts::default()).unwrap_or_else(|e| panic!("{e:#?}"));
}
