//! Whole rules files, random and mutated, through the parser and the checker: each either
//! compiles (and then emits a module that validates and runs its examples) or is refused
//! with diagnostics whose spans lie inside the file and whose lines and columns match them.
//! Nothing panics, aborts or hangs; the tests run on the test harness's threads, whose
//! 2 MiB stack is what rayon's and the preview server's threads have.

use std::cell::Cell;

use crate::common::{h1b_facts, h1b_source};
use guide_rules::{compile, line_column, Diagnostic};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Cases per strategy; together the tests stay within seconds in a debug build.
const CASES: u32 = 1_500;

fn assert_well_placed(source: &str, diagnostics: &[Diagnostic]) {
    assert!(!diagnostics.is_empty(), "an error without a diagnostic");
    for diagnostic in diagnostics {
        let span = diagnostic
            .span
            .clone()
            .unwrap_or_else(|| panic!("{diagnostic:?} has no place in the rules file"));
        assert!(
            span.start <= span.end && span.end <= source.len(),
            "{diagnostic:?} lies outside a file of {} bytes",
            source.len()
        );
        assert_eq!(
            diagnostic.line_column(),
            Some(line_column(source, span.start)),
            "{diagnostic:?}"
        );
        assert!(!diagnostic.message.is_empty(), "{diagnostic:?}");
    }
}

/// Compiles `source`; returns whether it compiled.
fn compiles_or_is_refused_in_place(source: &str) -> bool {
    match compile(source, &h1b_facts()) {
        Ok(program) => {
            guide_rules::validate(&program.emit_wasm()).expect("the module validates");
            // Examples may be wrong (that is the author's error, reported by the build),
            // but running them must not fail in any other way.
            if let Err(failures) = program.check_examples() {
                for failure in failures {
                    assert!(!failure.message.contains("does not run"), "{failure}");
                }
            }
            true
        }
        Err(diagnostics) => {
            assert_well_placed(source, &diagnostics);
            false
        }
    }
}

/// Runs `cases` inputs from `strategy`; returns how many compiled.
fn run(strategy: impl Strategy<Value = String>, cases: u32) -> (u32, u32) {
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    let ran = Cell::new(0);
    let compiled = Cell::new(0);
    runner
        .run(&strategy, |source| {
            ran.set(ran.get() + 1);
            if compiles_or_is_refused_in_place(&source) {
                compiled.set(compiled.get() + 1);
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    (ran.get(), compiled.get())
}

/// Pieces of conditions and formulas, right and wrong.
const PIECES: &[&str] = &[
    "visa_valid",
    "role",
    "spouse",
    "principal",
    "applied_on",
    "years_requested",
    "count",
    "facts.h1b.cap",
    "facts.h1b.opened_on",
    "facts.h1b.legal_basis",
    "facts.h1b.nope",
    "facts.",
    "h1b.cap",
    "and",
    "or",
    "not",
    "in",
    "[",
    "]",
    ",",
    "(",
    ")",
    "-",
    "+",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "&&",
    "!",
    "0",
    "1",
    "2147483647",
    "99999999999",
    "2023-07-16",
    "2023-02-30",
    "3years",
    "days",
    "months",
    "year",
    "min",
    "max",
    "mni",
    "true",
    "false",
    "_",
    "é",
    "\u{0}",
    "\\",
    "\"",
    "'",
    "\n",
    "{",
    "}",
];

/// How many times to wrap an expression: mostly a few, often around the depth limit (256),
/// sometimes thousands.
fn levels() -> impl Strategy<Value = usize> {
    prop_oneof![4 => 0..4usize, 3 => 250..260usize, 1 => 0..5_000usize]
}

type Wrapping = (&'static str, &'static str);

fn wrapped(
    inner: impl Strategy<Value = String>,
    wrappings: &'static [Wrapping],
) -> impl Strategy<Value = String> {
    (inner, proptest::sample::select(wrappings), levels()).prop_map(
        |(inner, (before, after), levels)| {
            format!("{}{inner}{}", before.repeat(levels), after.repeat(levels))
        },
    )
}

/// A condition that checks, wrapped in ways that keep it one, however deep.
fn condition() -> impl Strategy<Value = String> {
    let inner = proptest::sample::select(
        &[
            "visa_valid",
            "count > 1",
            "role == spouse",
            "role in [principal, spouse]",
            "applied_on + 3 years <= facts.h1b.planned_end_on",
            "facts.h1b.stream_open",
            "max(applied_on, 2023-07-16) == applied_on",
        ][..],
    )
    .prop_map(str::to_string);
    wrapped(
        inner,
        &[
            ("(", ")"),
            ("not ", ""),
            ("visa_valid and (", ")"),
            ("", " and visa_valid"),
            ("", " or count < 0"),
            ("(", " or false)"),
        ],
    )
}

/// A whole number or a date, wrapped in ways that keep it one.
fn formula() -> impl Strategy<Value = String> {
    prop_oneof![
        wrapped(
            proptest::sample::select(&["count", "facts.h1b.cap", "1"][..]).prop_map(str::to_string),
            &[
                ("(", ")"),
                ("-", ""),
                ("count - (", ")"),
                ("min(count, ", ")"),
                ("", " - 1"),
                ("", " + count"),
            ],
        ),
        wrapped(
            proptest::sample::select(&["applied_on", "facts.h1b.closed_on", "2024-02-29"][..])
                .prop_map(str::to_string),
            &[
                ("(", ")"),
                ("", " + 1 days"),
                ("", " - 1 years"),
                ("max(applied_on, ", ")"),
                ("applied_on + (", " - applied_on) days"),
            ],
        ),
    ]
}

/// Anything: pieces right and wrong, sometimes wrapped many levels deep.
fn noise() -> impl Strategy<Value = String> {
    let flat = proptest::collection::vec(proptest::sample::select(PIECES), 1..12)
        .prop_map(|pieces| pieces.join(" "));
    wrapped(
        flat,
        &[
            ("(", ")"),
            ("not ", ""),
            ("-", ""),
            ("visa_valid and (", ")"),
            ("count - (", ")"),
            ("min(count, ", ")"),
            ("(", ") years"),
            ("", " and visa_valid"),
            ("", " - 1"),
        ],
    )
}

/// A TOML basic string holding `text`, escaped as TOML needs.
fn toml_string(text: &str) -> String {
    let mut quoted = String::from("\"");
    for character in text.chars() {
        match character {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            c if c.is_control() => quoted.push_str(&format!("\\u{:04X}", c as u32)),
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

/// A rules file of the usual shape around random conditions, formulas and texts.
fn rules_file() -> impl Strategy<Value = String> {
    let any_condition = || prop_oneof![3 => condition(), 1 => noise()];
    (
        prop_oneof![3 => formula(), 1 => noise()],
        any_condition(),
        any_condition(),
        any::<bool>(),
    )
        .prop_map(|(formula, condition, when, escaped)| {
            // Raw literal strings keep the text's offsets in the file; basic strings with
            // escapes make the checker fall back to the string's start.
            let quote = |text: &str| {
                if escaped || text.contains(['\'', '\n']) || text.chars().any(char::is_control) {
                    toml_string(text)
                } else {
                    format!("'{text}'")
                }
            };
            format!(
                r#"[[questions]]
id = "role"
type = "choice"
text = "Who?"
choices = [{{ id = "principal", label = "P" }}, {{ id = "spouse", label = "S" }}]

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
text = "How many?"

[[values]]
id = "computed"
label = "Computed"
formula = {formula}

[[criteria]]
id = "check"
condition = {condition}
passed = "Passed {{computed}}"
failed = "Failed {{facts.h1b.cap}}"

[[outcomes]]
id = "first"
when = {when}
heading = "First"
text = "First"

[[outcomes]]
id = "otherwise"
heading = "Otherwise"
text = "Otherwise"

[[examples]]
id = "one"
answers = {{ role = "spouse", applied_on = 2023-07-16, visa_valid = true, count = 2 }}
outcome = "first"
"#,
                formula = quote(&formula),
                condition = quote(&condition),
                when = quote(&when),
            )
        })
}

#[test]
fn random_rules_files_compile_or_are_refused_in_place() {
    let (ran, compiled) = run(rules_file(), CASES);
    eprintln!("{ran} random rules files: {compiled} compiled, the rest refused in place");
    assert_eq!(ran, CASES);
}

/// One edit to a file: cut a range, insert a piece or a run of one, or repeat a range.
#[derive(Clone, Debug)]
enum Mutation {
    Cut(usize, usize),
    Insert(usize, String),
    Repeat(usize, usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let position = any::<proptest::sample::Index>();
    prop_oneof![
        (position.clone(), 0..40usize)
            .prop_map(|(at, length)| Mutation::Cut(at.index(usize::MAX), length)),
        (
            position.clone(),
            proptest::sample::select(PIECES),
            prop_oneof![1..2usize, 1..5_000usize]
        )
            .prop_map(|(at, piece, times)| Mutation::Insert(
                at.index(usize::MAX),
                piece.repeat(times)
            )),
        (position.clone(), any::<char>()).prop_map(|(at, character)| Mutation::Insert(
            at.index(usize::MAX),
            character.to_string()
        )),
        (position, 1..80usize, 2..50usize).prop_map(|(at, length, times)| Mutation::Repeat(
            at.index(usize::MAX),
            length,
            times
        )),
    ]
}

/// The nearest character boundary at or before `at` (taken modulo the length).
fn boundary(text: &str, at: usize) -> usize {
    let mut at = if text.is_empty() {
        0
    } else {
        at % (text.len() + 1)
    };
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn mutate(mut text: String, mutations: &[Mutation]) -> String {
    for mutation in mutations {
        match mutation {
            Mutation::Cut(at, length) => {
                let start = boundary(&text, *at);
                let end = boundary(&text, (start + length).min(text.len()));
                text.replace_range(start..end, "");
            }
            Mutation::Insert(at, piece) => {
                let at = boundary(&text, *at);
                text.insert_str(at, piece);
            }
            Mutation::Repeat(at, length, times) => {
                let start = boundary(&text, *at);
                let end = boundary(&text, (start + length).min(text.len()));
                let repeated = text[start..end].repeat(*times);
                text.insert_str(end, &repeated);
            }
        }
    }
    text
}

#[test]
fn mutated_bundled_rules_compile_or_are_refused_in_place() {
    let source = h1b_source();
    let mutated = proptest::collection::vec(mutation(), 1..6)
        .prop_map(move |mutations| mutate(source.clone(), &mutations));
    let (ran, compiled) = run(mutated, CASES);
    eprintln!("{ran} mutated rules files: {compiled} compiled, the rest refused in place");
    assert_eq!(ran, CASES);
}

#[test]
fn arbitrary_text_is_refused_in_place() {
    let text = proptest::collection::vec(any::<char>(), 0..300)
        .prop_map(|characters| characters.into_iter().collect::<String>());
    let (ran, _) = run(text, CASES);
    assert_eq!(ran, CASES);
}
