//! A fact's typed value, read from TOML and written for readers.

use guide_rules::Date;
use serde_json::{json, Value as Json};

use crate::format::{
    format_bool, format_date, format_integer, format_list, format_quantity, DateFormat, Locale,
};

/// A fact's typed value.
#[derive(Debug, Clone, PartialEq)]
pub enum FactValue {
    Date(Date),
    Integer(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    /// A list of records (cities, strategy components): their fields as the template sees them.
    Items(Vec<Json>),
    /// A point table that rules read with `lookup`.
    Table(guide_rules::Table),
}

impl FactValue {
    /// The kind of value, as templates see it in `facts.ns.name.kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            FactValue::Date(_) => "date",
            FactValue::Integer(_) => "integer",
            FactValue::Float(_) => "number",
            FactValue::Text(_) => "text",
            FactValue::Bool(_) => "bool",
            FactValue::Items(_) => "items",
            FactValue::Table(_) => "table",
        }
    }

    /// The kind of value in words, for error messages.
    pub fn kind_in_words(&self) -> &'static str {
        match self {
            FactValue::Date(_) => "a date",
            FactValue::Integer(_) => "a whole number",
            FactValue::Float(_) => "a decimal number",
            FactValue::Text(_) => "text",
            FactValue::Bool(_) => "true or false",
            FactValue::Items(_) => "a list of records",
            FactValue::Table(_) => "a table",
        }
    }

    /// The value as templates see it: dates as ISO strings.
    pub fn to_json(&self) -> Json {
        match self {
            FactValue::Date(date) => json!(date.to_string()),
            FactValue::Integer(n) => json!(n),
            FactValue::Float(x) => json!(x),
            FactValue::Text(text) => json!(text),
            FactValue::Bool(b) => json!(b),
            FactValue::Items(items) => json!(items),
            FactValue::Table(table) => table_json(table),
        }
    }
}

/// A TOML date as a calendar day: `None` for a date with a time, or a day that does not exist.
pub fn date_from_toml(datetime: &toml::value::Datetime) -> Option<Date> {
    match (datetime.date, datetime.time) {
        (Some(date), None) => Date::from_ymd(
            i32::from(date.year),
            u32::from(date.month),
            u32::from(date.day),
        ),
        _ => None,
    }
}

pub(super) fn typed_value(value: toml::Value) -> Result<FactValue, String> {
    Ok(match value {
        toml::Value::Datetime(datetime) => FactValue::Date(
            date_from_toml(&datetime)
                .ok_or("a fact date must be a plain date such as 2023-07-16")?,
        ),
        toml::Value::Integer(n) => FactValue::Integer(n),
        toml::Value::Float(x) => FactValue::Float(x),
        toml::Value::String(text) => FactValue::Text(text),
        toml::Value::Boolean(b) => FactValue::Bool(b),
        toml::Value::Array(_) | toml::Value::Table(_) => {
            return Err(
                "a `value` is one date, number, text or boolean; use `[[name.items]]` for a list"
                    .into(),
            )
        }
    })
}

/// A TOML table as templates see it: dates become ISO strings.
pub fn table_to_json(table: &toml::Table) -> Json {
    Json::Object(
        table
            .iter()
            .map(|(key, value)| (key.clone(), toml_to_json(value)))
            .collect(),
    )
}

fn toml_to_json(value: &toml::Value) -> Json {
    match value {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(n) => json!(n),
        toml::Value::Float(x) => json!(x),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(datetime) => match date_from_toml(datetime) {
            Some(date) => json!(date.to_string()),
            None => json!(datetime.to_string()),
        },
        toml::Value::Array(items) => Json::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => table_to_json(table),
    }
}

/// A fact's value written for readers, in the format a page or template names (`None` for
/// the fact's own: `long`), with the fact's unit.
pub(super) fn display(
    value: &FactValue,
    unit: Option<&str>,
    format: Option<&str>,
    locale: Locale,
) -> Result<String, String> {
    match (value, format) {
        (FactValue::Date(date), format) => {
            let format = match DateFormat::named(format.unwrap_or("long")) {
                Some(format) => format,
                None => {
                    let other = format.unwrap_or_default();
                    return Err(unknown_format(other, "long, iso, year, month"));
                }
            };
            Ok(format_date(*date, format, locale))
        }
        (FactValue::Integer(n), None | Some("long")) => Ok(match unit {
            None => format_integer(*n, locale),
            unit => format_quantity(*n as f64, unit, locale),
        }),
        (FactValue::Integer(n), Some("plain")) => Ok(n.to_string()),
        (FactValue::Integer(_), Some(other)) => Err(unknown_format(other, "long, plain")),
        (FactValue::Float(x), None | Some("long")) => Ok(format_quantity(*x, unit, locale)),
        (FactValue::Float(_), Some(other)) => Err(unknown_format(other, "long")),
        (FactValue::Text(text), None) => Ok(text.clone()),
        (FactValue::Bool(b), None) => Ok(format_bool(*b, locale)),
        (FactValue::Items(items), None | Some("list")) => Ok(format_list(&names(items), locale)),
        (FactValue::Items(items), Some("count")) => Ok(format_integer(items.len() as i64, locale)),
        // A table is shown by a template (its rows are in `value`); in words, its size.
        (FactValue::Table(table), None | Some("count")) => {
            Ok(format_integer(table.rows.len() as i64, locale))
        }
        (_, Some(other)) => Err(unknown_format(other, "none")),
    }
}

/// A table as templates see it: `{"columns": [...], "rows": [{"key"|"min"|"max", COLUMN: n}]}`.
fn table_json(table: &guide_rules::Table) -> Json {
    let rows: Vec<Json> = table
        .rows
        .iter()
        .map(|row| {
            let mut object = serde_json::Map::new();
            match &row.key {
                guide_rules::TableKey::Choice(key) => {
                    object.insert("key".into(), json!(key));
                }
                guide_rules::TableKey::Band { min, max } => {
                    object.insert("min".into(), json!(min));
                    object.insert("max".into(), json!(max));
                }
            }
            for (column, cell) in table.columns.iter().zip(&row.cells) {
                object.insert(column.clone(), json!(cell));
            }
            Json::Object(object)
        })
        .collect();
    json!({ "columns": table.columns, "rows": rows })
}

fn unknown_format(format: &str, known: &str) -> String {
    format!("unknown format \"{format}\" for this fact (formats: {known})")
}

/// The `name` of each record that has one.
fn names(items: &[Json]) -> Vec<&str> {
    items
        .iter()
        .filter_map(|item| item.get("name").and_then(Json::as_str))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::facts::Fact;

    fn display(fact: &Fact, format: Option<&str>) -> Result<String, String> {
        fact.display_value(&fact.value, format)
    }

    fn fact(value: FactValue, unit: Option<&str>) -> Fact {
        Fact {
            name: "t.x".into(),
            label: "X".into(),
            value,
            changes: Vec::new(),
            unit: unit.map(str::to_string),
            note: None,
            source: None,
            verified: None,
            on_timeline: true,
            headers: Default::default(),
            file: PathBuf::from("f.toml"),
            span: 0..0,
            keys: Default::default(),
        }
    }

    #[test]
    fn human_formats() {
        let day = Date::from_ymd(2023, 7, 16).unwrap();
        assert_eq!(
            display(&fact(FactValue::Date(day), None), None).unwrap(),
            "July 16, 2023"
        );
        assert_eq!(
            display(&fact(FactValue::Date(day), None), Some("iso")).unwrap(),
            "2023-07-16"
        );
        assert_eq!(
            display(&fact(FactValue::Date(day), None), Some("month")).unwrap(),
            "July 2023"
        );
        assert_eq!(
            display(&fact(FactValue::Integer(10_000), None), None).unwrap(),
            "10,000"
        );
        assert_eq!(
            display(&fact(FactValue::Integer(1_200_000), None), None).unwrap(),
            "1,200,000"
        );
        assert_eq!(
            display(&fact(FactValue::Integer(3), Some("years")), None).unwrap(),
            "3 years"
        );
        assert_eq!(
            display(&fact(FactValue::Integer(1), Some("years")), None).unwrap(),
            "1 year"
        );
        assert_eq!(
            display(
                &fact(FactValue::Integer(104_500_000_000), Some("CAD")),
                None
            )
            .unwrap(),
            "$104.5 billion"
        );
        assert_eq!(
            display(&fact(FactValue::Float(0.051), Some("percent")), None).unwrap(),
            "5.1%"
        );
        assert_eq!(
            display(&fact(FactValue::Integer(5000), Some("USD")), None).unwrap(),
            "US$5,000"
        );
        assert!(display(&fact(FactValue::Date(day), None), Some("fancy"))
            .unwrap_err()
            .contains("long, iso, year, month"));
    }

    #[test]
    fn items_display_as_a_list_of_names() {
        let items = vec![
            json!({"name": "Toronto"}),
            json!({"name": "Vancouver"}),
            json!({"name": "Montreal"}),
        ];
        assert_eq!(
            display(&fact(FactValue::Items(items), None), None).unwrap(),
            "Toronto, Vancouver and Montreal"
        );
    }

    #[test]
    fn days_since_epoch_matches_known_dates() {
        let days = |year, month, day| Date::from_ymd(year, month, day).unwrap().days();
        assert_eq!(days(1970, 1, 1), 0);
        assert_eq!(days(2023, 7, 16), 19_554);
        assert_eq!(days(2000, 3, 1), 11_017);
    }

    #[test]
    fn day_parse_rejects_malformed_dates() {
        assert_eq!(Date::parse("2023-07-16"), Date::from_ymd(2023, 7, 16));
        assert!(Date::parse("2023-07-16").is_some());
        assert_eq!(Date::parse("2023-13-01"), None);
        assert_eq!(Date::parse("2026-02-31"), None);
        assert_eq!(Date::parse("+202-01-01"), None);
        assert_eq!(
            Date::from_days(19_555),
            Date::from_ymd(2023, 7, 17).unwrap()
        );
        assert_eq!(Date::parse("2023-7-16"), None);
    }

    #[test]
    fn toml_dates_become_days_and_date_times_do_not() {
        let parse = |text: &str| text.parse::<toml::value::Datetime>().unwrap();
        assert_eq!(
            date_from_toml(&parse("2023-07-16")),
            Date::from_ymd(2023, 7, 16)
        );
        assert_eq!(date_from_toml(&parse("2023-07-16T10:00:00Z")), None);
    }
}
