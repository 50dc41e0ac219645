//! How deep an expression may be. The deepest the parser accepts goes through every stage
//! (checking, lowering, the native evaluator, emitting, running in wasmi) on a thread with
//! 2 MiB of stack, as rayon's workers and the preview server's rebuild thread have; anything
//! deeper is an error at its place, not a stack overflow that aborts the process.

use crate::common::{date, h1b_facts};
use guide_rules::{compile, validate, Answers, Diagnostic, Program, Value, WasmEvaluator};
use serde_json::json;

/// The deepest tree the parser builds, counting a leaf as one level.
const MAX_DEPTH: usize = 256;

/// The stack std and rayon give a thread unless told otherwise.
const SMALL_STACK: usize = 2 * 1024 * 1024;

/// Runs `work` on a fresh thread with a 2 MiB stack; an overflow aborts the test binary.
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(work)
        .expect("a thread starts")
        .join()
        .expect("the thread finishes")
}

/// `term op term op ...` with `count` terms: a left-deep tree of `count` levels.
fn chain(term: &str, op: &str, count: usize) -> String {
    vec![term; count].join(&format!(" {op} "))
}

const QUESTIONS: &str = r#"[[questions]]
id = "a"
type = "bool"
text = "A?"

[[questions]]
id = "n"
type = "integer"
min = -1000
max = 1000
text = "N?"

[[questions]]
id = "d"
type = "date"
text = "D?"
"#;

/// A rules file whose criterion `deep` holds `condition`; the outcome says whether it held.
fn rules_with_condition(condition: &str) -> String {
    format!(
        "{QUESTIONS}
[[criteria]]
id = \"deep\"
condition = \"{condition}\"
passed = \"yes\"
failed = \"no\"

[[outcomes]]
id = \"held\"
when = \"deep\"
heading = \"Held\"
text = \"Held\"

[[outcomes]]
id = \"failed\"
heading = \"Failed\"
text = \"Failed\"
"
    )
}

/// The line of `condition = "` in [`rules_with_condition`], and the column its text starts at.
fn condition_position() -> (usize, usize) {
    (QUESTIONS.lines().count() + 4, 14)
}

fn single_error(source: String) -> Diagnostic {
    let mut found = on_small_stack(move || match compile(&source, &h1b_facts()) {
        Ok(_) => panic!("expected an error"),
        Err(diagnostics) => diagnostics,
    });
    assert_eq!(found.len(), 1, "{found:#?}");
    let diagnostic = found.remove(0);
    assert!(diagnostic.message.contains("too deep"), "{diagnostic}");
    assert!(
        diagnostic
            .help
            .as_deref()
            .is_some_and(|help| help.contains("criterion")),
        "{diagnostic}"
    );
    diagnostic
}

#[test]
fn thousands_of_nested_parentheses_are_an_error_at_the_first_level_too_many() {
    // `a and (a and (... a))`, 4,500 levels: built from the inside out, the 257th level from
    // the inside is the first too many.
    let levels = 4_500;
    let condition = format!(
        "{}a{}",
        "a and (".repeat(levels - 1),
        ")".repeat(levels - 1)
    );
    let diagnostic = single_error(rules_with_condition(&condition));
    let too_many = levels - MAX_DEPTH;
    let offset = "a and (".len() * (too_many - 1) + "a ".len();
    let (line, column) = condition_position();
    assert_eq!(
        diagnostic.line_column().expect("a position"),
        (line, column + offset),
        "{diagnostic}"
    );
}

#[test]
fn parentheses_around_one_value_cost_no_depth_however_many() {
    let condition = format!("{}a{}", "(".repeat(4_500), ")".repeat(4_500));
    let source = rules_with_condition(&condition);
    on_small_stack(move || {
        let program = compile(&source, &h1b_facts()).expect("the rules compile");
        let answers = Answers::from_json(&program, &json!({"a": true, "n": 0, "d": "2024-01-31"}))
            .expect("answers fit the questions");
        assert_eq!(program.evaluate(&answers).outcome, "held");
    });
}

#[test]
fn a_ten_thousand_term_chain_is_an_error_at_the_operator_one_level_too_deep() {
    let (line, column) = condition_position();
    // `a and a and ...`: the 256th `and` would build the 257th level.
    let diagnostic = single_error(rules_with_condition(&chain("a", "and", 10_000)));
    let offset = "a and ".len() * (MAX_DEPTH - 1) + "a ".len();
    assert_eq!(
        diagnostic.line_column().expect("a position"),
        (line, column + offset),
        "{diagnostic}"
    );
    let condition = format!("{} < 0", chain("n", "-", 10_000));
    let diagnostic = single_error(rules_with_condition(&condition));
    let offset = "n - ".len() * (MAX_DEPTH - 1) + "n ".len();
    assert_eq!(
        diagnostic.line_column().expect("a position"),
        (line, column + offset),
        "{diagnostic}"
    );
}

/// Rules whose every definition is a tree of exactly [`MAX_DEPTH`] levels, with an example
/// that pins what each comes to.
fn deepest_rules() -> String {
    // `a and (a and (... a))`: one pair of parentheses per level.
    let nested = format!(
        "{}a{}",
        "a and (".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    let and_chain = chain("a", "and", MAX_DEPTH);
    // 1 - 1 - ... - 1 with 256 terms is 1 - 255.
    let minus_chain = chain("n", "-", MAX_DEPTH);
    // 255 minus signs: an odd number, so -n.
    let negations = format!("{}n", "-".repeat(MAX_DEPTH - 1));
    // A date moved back a year 254 times (`1 years` is two levels): the engines turn each
    // step into month arithmetic.
    let years_back = format!("d{}", " - 1 years".repeat(MAX_DEPTH - 2));
    // Lowering turns `d - (x) years` into months of a negated amount: a level deeper than
    // the tree it comes from. (n - n - ... 254 terms) is 1 - 253 = -252.
    let lowered_deeper = format!("d - ({}) years", chain("n", "-", MAX_DEPTH - 2));
    let calls = format!(
        "{}n, n{}",
        "max(n, ".repeat(MAX_DEPTH - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    format!(
        r#"{QUESTIONS}
[[values]]
id = "minus_chain"
label = "Minus chain"
formula = "{minus_chain}"

[[values]]
id = "negations"
label = "Negations"
formula = "{negations}"

[[values]]
id = "years_back"
label = "Years back"
formula = "{years_back}"

[[values]]
id = "lowered_deeper"
label = "Lowered deeper"
formula = "{lowered_deeper}"

[[values]]
id = "calls"
label = "Calls"
formula = "{calls}"

[[criteria]]
id = "nested"
condition = "{nested}"
passed = "yes"
failed = "no"

[[criteria]]
id = "and_chain"
condition = "{and_chain}"
passed = "yes"
failed = "no"

[[outcomes]]
id = "both"
when = "{and_chain}"
heading = "Both"
text = "Both"

[[outcomes]]
id = "not_both"
heading = "Not both"
text = "Not both"

[[examples]]
id = "all_levels"
answers = {{ a = true, n = 1, d = 2024-01-31 }}
outcome = "both"
failed = []
values = {{ minus_chain = -254, negations = -1, years_back = 1770-01-31, lowered_deeper = 2276-01-31, calls = 1 }}
"#
    )
}

#[test]
fn trees_of_the_deepest_allowed_kind_compile_evaluate_and_emit_on_a_small_stack() {
    let source = deepest_rules();
    on_small_stack(move || {
        let program: Program = compile(&source, &h1b_facts()).unwrap_or_else(|diagnostics| {
            panic!("{diagnostics:#?}");
        });
        let answers = Answers::from_json(&program, &json!({"a": true, "n": 1, "d": "2024-01-31"}))
            .expect("answers fit the questions");
        let native = program.evaluate(&answers);
        assert_eq!(native.outcome, "both");
        assert_eq!(native.values["minus_chain"], Value::Integer(-254));
        assert_eq!(native.values["years_back"], Value::Date(date("1770-01-31")));
        assert_eq!(
            native.values["lowered_deeper"],
            Value::Date(date("2276-01-31"))
        );

        let module = program.emit_wasm();
        validate(&module).expect("the module validates");
        let mut evaluator = WasmEvaluator::new(&program).expect("wasmi compiles the module");
        assert_eq!(evaluator.evaluate(&answers), Ok(native));

        program
            .check_examples()
            .expect("both engines agree with the example");
    });
}
