#![allow(dead_code)]

use guide_rules::{compile, Constant, Date, Fact, Facts, Program};

pub fn date(text: &str) -> Date {
    Date::parse(text).unwrap_or_else(|| panic!("{text} is not a date"))
}

fn fact(value: Constant, display: &str) -> Fact {
    Fact {
        value,
        display: display.to_string(),
    }
}

/// The facts the bundled guide declares in `content/facts/`, as the rules see them.
pub fn h1b_facts() -> Facts {
    let mut facts = Facts::new();
    let mut add = |name: &str, value: Constant, display: &str| {
        facts.insert(name.to_string(), fact(value, display));
    };
    add(
        "h1b.opened_on",
        Constant::Date(date("2023-07-16")),
        "July 16, 2023",
    );
    add(
        "h1b.closed_on",
        Constant::Date(date("2023-07-17")),
        "July 17, 2023",
    );
    add("h1b.cap", Constant::Integer(10_000), "10,000");
    add("h1b.max_permit_years", Constant::Integer(3), "3 years");
    add(
        "h1b.planned_end_on",
        Constant::Date(date("2024-07-16")),
        "July 16, 2024",
    );
    add(
        "h1b.family_deadline",
        Constant::Date(date("2024-09-27")),
        "September 27, 2024",
    );
    add(
        "strategy.announced_on",
        Constant::Date(date("2023-06-27")),
        "June 27, 2023",
    );
    add(
        "h1b.legal_basis",
        Constant::Text("a temporary public policy".to_string()),
        "a temporary public policy",
    );
    add("h1b.stream_open", Constant::Bool(false), "no");
    facts
}

pub fn h1b_source() -> String {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../content/rules/h1b.toml");
    std::fs::read_to_string(path).expect("content/rules/h1b.toml is readable")
}

pub fn h1b() -> Program {
    compile(&h1b_source(), &h1b_facts()).unwrap_or_else(|diagnostics| {
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!("h1b.toml does not compile:\n{}", messages.join("\n"))
    })
}
