#![allow(dead_code)]

use guide_rules::{compile, Constant, Date, Fact, FactChange, Facts, Program};

pub fn date(text: &str) -> Date {
    Date::parse(text).unwrap_or_else(|| panic!("{text} is not a date"))
}

/// The facts the H-1B fixture uses, from `tests/fixtures/h1b_facts.toml`.
pub fn h1b_facts() -> Facts {
    facts_fixture("h1b_facts.toml")
}

/// The facts the CRS fixture uses, from `tests/fixtures/crs_facts.toml`.
pub fn crs_facts() -> Facts {
    facts_fixture("crs_facts.toml")
}

/// Facts as the rules see them: a table per fact name, each with a `value` (yes/no, whole
/// number, date or text) or a table (`columns` and `rows`), its `display` string, and
/// optionally `changes` (`from`, `value`, `display`) for a value that changes on dates.
fn facts_fixture(name: &str) -> Facts {
    let text = fixture(name);
    let table: toml::Table =
        toml::from_str(&text).unwrap_or_else(|error| panic!("{name} is not TOML: {error}"));
    table
        .into_iter()
        .map(|(name, entry)| {
            let value = match (entry.get("value"), entry.get("rows")) {
                (Some(value), None) => constant(&name, value),
                (None, Some(toml::Value::Array(rows))) => {
                    let columns: Vec<String> = entry["columns"]
                        .as_array()
                        .unwrap_or_else(|| panic!("the table fact `{name}` has no columns"))
                        .iter()
                        .map(|column| column.as_str().unwrap().to_string())
                        .collect();
                    let rows: Vec<toml::Table> = rows
                        .iter()
                        .map(|row| row.as_table().unwrap().clone())
                        .collect();
                    let table = guide_rules::Table::from_rows(columns, &rows)
                        .unwrap_or_else(|(row, message)| panic!("`{name}` row {row}: {message}"));
                    Constant::Table(table)
                }
                _ => panic!("the fact `{name}` needs a `value` or `rows`"),
            };
            let display = |entry: &toml::Value| {
                entry["display"]
                    .as_str()
                    .unwrap_or_else(|| panic!("the fact `{name}` has no display string"))
                    .to_string()
            };
            let mut fact = Fact::new(value, display(&entry));
            for change in entry
                .get("changes")
                .and_then(|c| c.as_array())
                .into_iter()
                .flatten()
            {
                fact.changes.push(FactChange {
                    from: date(&change["from"].to_string()),
                    value: constant(&name, &change["value"]),
                    display: display(change),
                });
            }
            (name, fact)
        })
        .collect()
}

fn constant(name: &str, value: &toml::Value) -> Constant {
    match value {
        toml::Value::Boolean(value) => Constant::Bool(*value),
        toml::Value::Integer(value) => Constant::Integer(*value),
        toml::Value::String(text) => Constant::Text(text.clone()),
        toml::Value::Datetime(datetime) => Constant::Date(date(&datetime.to_string())),
        other => panic!("the fact `{name}` has a value rules cannot hold: {other}"),
    }
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

/// The Express Entry score calculator, a copy of the bundled guide's `crs.toml`.
pub fn crs_source() -> String {
    fixture("crs.toml")
}

pub fn crs() -> Program {
    compile(&crs_source(), &crs_facts()).unwrap_or_else(|diagnostics| {
        let messages: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
        panic!("crs.toml does not compile:\n{}", messages.join("\n"))
    })
}
