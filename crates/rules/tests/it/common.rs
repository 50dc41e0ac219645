#![allow(dead_code)]

use guide_rules::{compile, Constant, Date, Fact, Facts, Program};

pub fn date(text: &str) -> Date {
    Date::parse(text).unwrap_or_else(|| panic!("{text} is not a date"))
}

/// The facts the H-1B fixture uses, from `tests/fixtures/h1b_facts.toml`: a table per fact
/// name, each with a `value` (yes/no, whole number, date or text) and its `display` string.
pub fn h1b_facts() -> Facts {
    let text = fixture("h1b_facts.toml");
    let table: toml::Table = toml::from_str(&text).expect("h1b_facts.toml is TOML");
    table
        .into_iter()
        .map(|(name, entry)| {
            let value = match &entry["value"] {
                toml::Value::Boolean(value) => Constant::Bool(*value),
                toml::Value::Integer(value) => Constant::Integer(*value),
                toml::Value::String(text) => Constant::Text(text.clone()),
                toml::Value::Datetime(datetime) => Constant::Date(date(&datetime.to_string())),
                other => panic!("the fact `{name}` has a value rules cannot hold: {other}"),
            };
            let display = entry["display"]
                .as_str()
                .unwrap_or_else(|| panic!("the fact `{name}` has no display string"))
                .to_string();
            (name, Fact::new(value, display))
        })
        .collect()
}

pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The H-1B rules, a copy of the bundled guide's, so the crate's tests stand on their own.
pub fn h1b_source() -> String {
    fixture("h1b.toml")
}

pub fn h1b() -> Program {
    compile(&h1b_source(), &h1b_facts()).unwrap_or_else(|diagnostics| {
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!("h1b.toml does not compile:\n{}", messages.join("\n"))
    })
}
