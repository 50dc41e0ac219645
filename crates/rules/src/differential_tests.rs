//! The emitted module, run in an interpreter, against the native evaluator on
//! many seeded random answer sets, drawn with a bias to the program's own edges: every
//! constant its expressions compare with or compute from (table bands, caps, the dates a
//! fact changes on) and its neighbours, month ends and leap days, and what a page may write
//! for a question that is not asked (anything: the module must set it aside).

use std::collections::BTreeSet;
use std::time::Instant;

use crate::ir::Ir;
use crate::test_support::{crs, date, h1b, h1b_facts};
use crate::{compile, Answers, Constant, FactChange, Program, QuestionKind, WasmEvaluator};

/// Answer sets per rules file: a million across the suite for each.
const CASES: usize = 1_000_000;

/// Every constant in the program's expressions, and the bounds of its table rows.
fn edges(program: &Program) -> Vec<i32> {
    fn walk(ir: &Ir, found: &mut Vec<i32>) {
        match ir {
            Ir::Const(value) => found.push(*value),
            Ir::Lookup(_, rows) => {
                for row in rows {
                    found.extend([row.low, row.high]);
                }
            }
            Ir::In(_, choices) => found.extend(choices),
            _ => {}
        }
        for child in ir.children() {
            walk(child, found);
        }
    }
    let mut found = Vec::new();
    let code = program
        .ask_code
        .iter()
        .flatten()
        .chain(program.valid_code.iter().flatten())
        .chain(&program.value_code)
        .chain(&program.criterion_code)
        .chain(program.outcome_code.iter().flatten());
    for ir in code {
        walk(ir, &mut found);
    }
    let mut edges: Vec<i32> = found
        .iter()
        .flat_map(|value| [value.saturating_sub(1), *value, value.saturating_add(1)])
        .collect();
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// SplitMix64: small, seeded, and good enough to spread test cases.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut mixed = self.0;
        mixed = (mixed ^ (mixed >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        mixed = (mixed ^ (mixed >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        mixed ^ (mixed >> 31)
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + self.below((high - low + 1) as u64) as i64
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Dates where off-by-one mistakes hide: the stream's days and their
/// neighbours, leap days, month ends, and the ends of the `i32` range.
fn boundary_days() -> Vec<i32> {
    let mut days: Vec<i32> = [
        "2023-07-15",
        "2023-07-16",
        "2023-07-17",
        "2023-07-18",
        "2024-07-16",
        "2024-09-27",
        "2024-02-28",
        "2024-02-29",
        "2024-03-01",
        "2023-02-28",
        "2023-03-01",
        "2000-02-29",
        "2100-02-28",
        "2100-03-01",
        "1900-02-28",
        "2023-01-31",
        "2023-12-31",
        "2024-01-31",
        "2024-08-31",
        "2024-12-31",
        "1970-01-01",
        "1969-12-31",
        "0001-01-01",
        "9999-12-31",
        "2026-07-16",
        "2026-07-17",
        "2025-03-24",
        "2025-03-25",
    ]
    .iter()
    .map(|text| date(text).days())
    .collect();
    days.extend([i32::MIN, i32::MIN + 1, -1, i32::MAX - 1, i32::MAX]);
    days
}

fn random_answers(
    program: &Program,
    random: &mut Random,
    boundaries: &[i32],
    edges: &[i32],
) -> Vec<i32> {
    let around_today = (
        date("1990-01-01").days() as i64,
        date("2060-12-31").days() as i64,
    );
    // Earlier date answers, so that a later one can fall a whole number of years before one
    // of them, or a day either side: birthdays on the day an age is counted.
    let mut dates: Vec<i32> = Vec::new();
    program
        .questions()
        .iter()
        .map(|question| match &question.kind {
            QuestionKind::Bool => random.below(2) as i32,
            QuestionKind::Choice { choices } => random.below(choices.len() as u64) as i32,
            QuestionKind::Date { .. } => {
                let day = match random.below(12) {
                    0..=2 => random.pick(boundaries),
                    3 if !edges.is_empty() => random.pick(edges),
                    9 | 10 if !dates.is_empty() => {
                        let years = random.between(0, 60) as i32;
                        crate::date::add_months(random.pick(&dates), -12 * years)
                            .wrapping_add(random.between(-1, 1) as i32)
                    }
                    4..=10 => random.between(around_today.0, around_today.1) as i32,
                    _ => random.next() as i32,
                };
                dates.push(day);
                day
            }
            QuestionKind::Integer { min, max } => {
                let low = min.unwrap_or(i32::MIN) as i64;
                let high = max.unwrap_or(i32::MAX) as i64;
                let candidate = match random.below(10) {
                    0 => low,
                    1 => high,
                    8 | 9 if !edges.is_empty() => random.pick(edges).into(),
                    2..=5 => random.between(-50, 50),
                    6 => random.between(-20_000, 20_000),
                    _ => random.next() as i32 as i64,
                };
                candidate.clamp(low, high) as i32
            }
        })
        .collect()
}

/// Runs `cases` answer sets through both engines; returns, per computed value, the values the
/// native engine gave (for programs whose values are few, such as points).
fn run_both(program: &Program, seed: u64, cases: usize) -> Vec<BTreeSet<i32>> {
    let started = Instant::now();
    crate::validate(&program.emit_wasm()).expect("the module is valid");
    let boundaries = boundary_days();
    let edges = edges(program);
    let mut module = WasmEvaluator::new(program).expect("the module instantiates");
    let mut random = Random(seed);
    let mut outcomes_seen = vec![0usize; program.outcomes().len()];
    let mut values_seen = vec![BTreeSet::new(); program.values().len()];
    let mut refusals_seen = vec![0usize; program.questions().len()];
    for case in 0..cases {
        let encoded = random_answers(program, &mut random, &boundaries, &edges);
        let native = program.evaluate_raw(&encoded);
        let emitted = module.evaluate_raw(&encoded).expect("the module runs");
        if native != emitted {
            let answers = Answers::from_encoded(program, &encoded)
                .map(|answers| answers.to_json(program).to_string())
                .unwrap_or_else(|_| format!("{encoded:?}"));
            assert_eq!(
                (program.describe(&native), &native.asked, &native.valid),
                (program.describe(&emitted), &emitted.asked, &emitted.valid),
                "case {case} disagrees for answers {answers}"
            );
        }
        for (refused, valid) in refusals_seen.iter_mut().zip(&native.valid) {
            *refused += usize::from(*valid == 0);
        }
        outcomes_seen[native.outcome] += 1;
        for (seen, value) in values_seen.iter_mut().zip(&native.values) {
            if seen.len() < 1_000 {
                seen.insert(*value);
            }
        }
    }
    for (outcome, seen) in program.outcomes().iter().zip(&outcomes_seen) {
        assert!(
            *seen > 0,
            "no random case reached the outcome `{}`",
            outcome.id
        );
    }
    // Each `valid_if` both held and refused some answers, so both engines' judgements were
    // compared each way.
    for ((question, code), refused) in program
        .questions()
        .iter()
        .zip(&program.valid_code)
        .zip(&refusals_seen)
    {
        if code.is_some() {
            assert!(
                (1..cases).contains(refused),
                "the `valid_if` of `{}` refused {refused} of {cases} cases",
                question.id
            );
        }
    }
    println!(
        "{cases} cases in {:?}; outcomes reached {outcomes_seen:?}; refused {refusals_seen:?}",
        started.elapsed()
    );
    values_seen
}

#[test]
fn h1b_module_agrees_with_the_native_evaluator() {
    run_both(&h1b(), 0x4831_4232, CASES);
}

#[test]
fn every_operator_module_agrees_with_the_native_evaluator() {
    let source = include_str!("../tests/fixtures/every_operator.toml");
    let program = compile(source, &h1b_facts()).unwrap_or_else(|diagnostics| {
        panic!("{diagnostics:#?}");
    });
    run_both(&program, 0x0E0E_0E0E, CASES);
}

#[test]
fn points_module_with_conditions_tables_and_dated_values_agrees_with_the_native_evaluator() {
    let mut facts = h1b_facts();
    let mut offer = crate::Fact::new(Constant::Integer(50), "50 points");
    offer.changes.push(FactChange {
        from: date("2025-03-25"),
        value: Constant::Integer(0),
        display: "no points".to_string(),
    });
    facts.insert("points.offer".to_string(), offer);
    let source = include_str!("../tests/fixtures/points.toml");
    let program = compile(source, &facts).unwrap_or_else(|diagnostics| {
        panic!("{diagnostics:#?}");
    });
    run_both(&program, 0x5043_5253, CASES);
}

#[test]
fn crs_module_agrees_with_the_native_evaluator() {
    let program = crs();
    let seen = run_both(&program, 0x4352_5321, CASES);
    // The draws reach every table's ends and every cap, where mistakes hide.
    let took = |id: &str, value: i32| {
        let index = program.values().iter().position(|v| v.id == id).unwrap();
        assert!(
            seen[index].contains(&value),
            "`{id}` never took {value}: {:?}",
            seen[index]
        );
    };
    for age in [17, 18, 29, 30, 44, 45] {
        took("age", age);
    }
    for points in [0, 5, 6, 99, 105, 110] {
        took("age_points", points);
    }
    for (id, points) in [
        ("first_language_points", 136),
        ("first_language_points", 128),
        ("second_language_points", 22),
        ("second_language_points", 24),
        ("spouse_factors", 40),
        ("education_transferability", 50),
        ("education_transferability", 13),
        ("foreign_work_transferability", 50),
        ("trade_certificate_points", 25),
        ("transferability", 100),
        ("french_points", 25),
        ("french_points", 50),
        ("job_offer_points", 200),
        ("job_offer_points", 50),
        ("additional", 600),
        ("core", 500),
    ] {
        took(id, points);
    }
}
