//! Eligibility rules: parse, check, evaluate natively, and compile to WebAssembly.
//!
//! A rules file is TOML with five arrays of tables. Ids are lowercase letters,
//! digits and `_`; questions, computed values and criteria share one set of ids.
//!
//! ```toml
//! [[questions]]
//! id = "role"
//! type = "choice"                  # bool, choice, date or integer
//! text = "Who is applying?"
//! help = "Optional help shown under the question."
//! choices = [
//!   { id = "principal", label = "I hold the H-1B visa" },
//!   { id = "spouse", label = "I am the H-1B holder's spouse or partner" },
//! ]
//!
//! [[questions]]
//! id = "applied_on"
//! type = "date"
//! text = "On what date did you apply?"
//! default = "today"                # the form starts at the reader's today
//!
//! [[questions]]
//! id = "years_requested"
//! type = "integer"
//! text = "How many years of permit did you ask for?"
//! min = 1                          # optional bounds
//! max = 10
//!
//! [[values]]                       # computed values, shown in texts
//! id = "permit_ends_on"
//! label = "Latest end date of the permit"
//! formula = "min(applied_on + years_requested years, passport_expires_on)"
//!
//! [[criteria]]
//! id = "applied_while_open"
//! condition = "applied_on >= facts.h1b.opened_on and applied_on <= facts.h1b.closed_on"
//! passed = "You applied while the stream was open."
//! failed = "The stream took applications from {facts.h1b.opened_on} to {facts.h1b.closed_on}."
//! source = "ircc_after"            # optional: a source id, checked by the guide
//! fact = "h1b.closed_on"           # optional: the fact the criterion rests on
//!
//! [[outcomes]]                     # the first whose `when` holds applies
//! id = "closed"
//! when = "applied_on > facts.h1b.closed_on"
//! tone = "negative"                # optional: positive, negative or neutral (default)
//! heading = "The stream closed on {facts.h1b.closed_on}"
//! text = "Your date is {days_after_closing} days after it closed."
//!
//! [[outcomes]]                     # the last has no `when`: it applies otherwise
//! id = "not_eligible"
//! heading = "You did not qualify"
//! text = "..."
//!
//! [[examples]]                     # worked cases, run through both engines
//! id = "principal_on_opening_day"
//! description = "Optional."
//! answers = { role = "principal", applied_on = 2023-07-16, years_requested = 3 }
//! outcome = "eligible"
//! failed = []                      # optional: exactly these criteria fail
//! values = { permit_ends_on = 2026-07-16 }   # optional: these values come out
//! ```
//!
//! Conditions and formulas are small expressions:
//!
//! | form | meaning |
//! |---|---|
//! | `a and b`, `a or b`, `not a` | yes/no logic |
//! | `==`, `!=`, `<`, `<=`, `>`, `>=` | comparisons; only whole numbers and dates are ordered |
//! | `role == spouse`, `role in [spouse, child]` | a choice answer against its choice ids |
//! | `n + 1`, `n - 1`, `-n` | whole-number arithmetic |
//! | `d + 10 days`, `d - 6 months`, `d + n years` | calendar arithmetic; a day past the end of the month becomes its last day |
//! | `d1 - d2` | days between two dates |
//! | `min(a, b, ...)`, `max(a, b, ...)` | of whole numbers or of dates |
//! | `true`, `false`, `42`, `2023-07-16` | literals |
//! | `applied_on`, `permit_ends_on`, `applied_while_open` | an answer, a computed value, a criterion (yes/no) |
//! | `facts.h1b.closed_on` | a program fact (yes/no, whole number or date) |
//!
//! Texts (`passed`, `failed`, `heading`, `text`) may hold `{value_id}` and
//! `{facts.ns.name}` placeholders; `{{` and `}}` are literal braces. A question's `help`,
//! `error`, `name` and `valid_error` take `{facts.ns.name}`, and `{min}` and `{max}` for an
//! integer question's own bounds.
//!
//! The whole language, with a tutorial, is described in the repository's `docs/rules.md`.

// The modules depend on each other one way (tests/module_graph.rs holds them to it):
// `date`, `diagnostic` → `syntax` (the rules as written), `model` (public views),
// `schema` (the TOML), `answers` → `ir` → `program` (the checked rules file) → `check`
// (builds it), `eval` (the native evaluator) → `wasm` (emits the module, runs it in wasmi).
// The crate root sits on top: it re-exports the public types and runs the worked examples
// through both engines.
mod answers;
mod check;
mod date;
mod diagnostic;
mod eval;
mod ir;
mod model;
mod program;
mod schema;
mod syntax;
mod text;
mod wasm;

#[cfg(test)]
extern crate self as guide_rules;
#[cfg(test)]
mod differential_tests;
#[cfg(test)]
#[path = "../tests/it/common.rs"]
mod test_support;

pub use answers::{AnswerError, Answers};
pub use date::Date;
pub use diagnostic::{line_column, Diagnostic, Severity};
pub use eval::Evaluation;
pub use model::{
    Choice, ComputedValue, Constant, Criterion, Fact, FactChange, Facts, Outcome, Question,
    QuestionKind, Reference, Segment, Table, TableKey, TableRow, Tense, Text, Tone, Translated,
    Value, ValueType,
};
pub use program::{Example, Program};
pub use text::Translatable;
pub use wasm::{validate, Abi, AbiQuestion, AbiQuestionType, AbiSlot, WasmEvaluator};

/// Parses and checks a rules file against the program's facts.
pub fn compile(source: &str, facts: &Facts) -> Result<Program, Vec<Diagnostic>> {
    check::compile(source, facts)
}

/// An example whose answers did not lead where it says, or on which the two
/// engines disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExampleFailure {
    pub example: String,
    /// Byte span of the example in the rules file; empty when no one example failed.
    pub span: std::ops::Range<usize>,
    pub message: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "example `{}`: {}", self.example, self.message)
    }
}

impl Program {
    /// Runs every example through the native evaluator and through the emitted
    /// module, and reports each example whose result differs from what it
    /// expects or whose two results differ.
    pub fn check_examples(&self) -> Result<(), Vec<ExampleFailure>> {
        let mut module = WasmEvaluator::new(self).map_err(|error| {
            vec![ExampleFailure {
                example: String::new(),
                span: 0..0,
                message: format!("the emitted module does not run: {error}"),
            }]
        })?;
        let mut failures = Vec::new();
        for example in &self.examples {
            let fail = |message: String| ExampleFailure {
                example: example.id.clone(),
                span: example.span.clone(),
                message,
            };
            let native = self.evaluate(&example.answers);
            match module.evaluate(&example.answers) {
                Ok(emitted) if emitted != native => failures.push(fail(format!(
                    "the engines disagree: natively {}, in WebAssembly {}",
                    native.to_json(),
                    emitted.to_json()
                ))),
                Ok(_) => {}
                Err(error) => failures.push(fail(format!("the module failed: {error}"))),
            }
            if native.outcome != example.outcome {
                failures.push(fail(format!(
                    "expected the outcome `{}`, got `{}`",
                    example.outcome, native.outcome
                )));
            }
            if let Some(expected) = &example.failed {
                let mut expected = expected.clone();
                expected.sort();
                let mut actual = native.failed.clone();
                actual.sort();
                if expected != actual {
                    failures.push(fail(format!(
                        "expected the failed criteria [{}], got [{}]",
                        expected.join(", "),
                        actual.join(", ")
                    )));
                }
            }
            for (id, expected) in &example.values {
                let actual = native.values[id];
                if actual != *expected {
                    failures.push(fail(format!(
                        "expected `{id}` to be {expected}, got {actual}"
                    )));
                }
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(failures)
        }
    }
}
