//! A fact's typed value, read from TOML and written for readers.

use guide_rules::{Date, Translatable};
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
    /// A text written in each language (`value = { en = "open", fr = "ouvert" }`): `text` is
    /// the default language's, the one rules compare and templates see as `value`; pages show
    /// their own language's.
    Texts {
        text: String,
        texts: Translatable,
    },
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
            FactValue::Text(_) | FactValue::Texts { .. } => "text",
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
            FactValue::Text(_) | FactValue::Texts { .. } => "text",
            FactValue::Bool(_) => "true or false",
            FactValue::Items(_) => "a list of records",
            FactValue::Table(_) => "a table",
        }
    }

    /// The text of a text value, in the default language.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            FactValue::Text(text) | FactValue::Texts { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The value as templates see it: dates as ISO strings.
    pub fn to_json(&self) -> Json {
        match self {
            FactValue::Date(date) => json!(date.to_string()),
            FactValue::Integer(n) => json!(n),
            FactValue::Float(x) => json!(x),
            FactValue::Text(text) | FactValue::Texts { text, .. } => json!(text),
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

/// A fact's value as written: one date, number, text or boolean, or a text per language
/// (`{ en = "…", fr = "…" }`), which must give `default_language`'s.
pub(super) fn typed_value(value: toml::Value, default_language: &str) -> Result<FactValue, String> {
    Ok(match value {
        toml::Value::Datetime(datetime) => {
            let date = date_from_toml(&datetime)
                .ok_or("a fact date must be a plain date such as 2023-07-16")?;
            // Dates run from the year 1, as the rules' dates do: there is no year 0.
            if date.days() < Date::from_ymd(1, 1, 1).map_or(i32::MIN, Date::days) {
                return Err("a fact date must be in the year 1 or later".into());
            }
            FactValue::Date(date)
        }
        toml::Value::Integer(n) => FactValue::Integer(n),
        toml::Value::Float(x) if !x.is_finite() => {
            return Err(format!(
                "a fact's number must be a number a page can show, not `{x}`"
            ))
        }
        toml::Value::Float(x) => FactValue::Float(x),
        toml::Value::String(text) if text.trim().is_empty() => {
            return Err(
                "a fact's text is empty: write what a page shows, or leave the fact out".into(),
            )
        }
        toml::Value::String(text) => FactValue::Text(text),
        toml::Value::Boolean(b) => FactValue::Bool(b),
        toml::Value::Table(table) => {
            let texts: Translatable = toml::Value::Table(table).try_into().map_err(|_| {
                "a `value` is one date, number, text or boolean, or a text per language \
                 such as { en = \"open\", fr = \"ouvert\" }"
                    .to_string()
            })?;
            let text = texts
                .get(default_language, default_language)
                .ok_or_else(|| {
                    format!(
                        "a text value written per language needs the site's default language: \
                         add `{default_language} = \"…\"`"
                    )
                })?
                .to_string();
            FactValue::Texts { text, texts }
        }
        toml::Value::Array(_) => {
            return Err(
                "a `value` is one date, number, text or boolean; use `[[name.items]]` for a list"
                    .into(),
            )
        }
    })
}

/// A record's field as a page in `language` shows it: a table by language (`notes = { en =
/// "…", fr = "…" }`) becomes the text in that language, or in the default language while it
/// has none; any other value is kept. Records' fields are free-form, so a table is read as
/// texts by language only when every key is a language code and every value a text.
pub fn localize_record_field(value: &Json, language: &str, default_language: &str) -> Json {
    let Json::Object(map) = value else {
        return value.clone();
    };
    let looks_like_language = |code: &str| {
        let primary = code.split('-').next().unwrap_or("");
        (2..=3).contains(&primary.len()) && primary.bytes().all(|b| b.is_ascii_lowercase())
    };
    let texts: Option<Vec<(String, String)>> = map
        .iter()
        .map(|(code, text)| {
            let text = text.as_str()?;
            looks_like_language(code).then(|| (code.clone(), text.to_string()))
        })
        .collect();
    match texts {
        Some(texts) if !texts.is_empty() => {
            json!(Translatable::PerLanguage(texts).get_or_default(language, default_language))
        }
        _ => value.clone(),
    }
}

/// A record as a page in `language` shows it: each field through [`localize_record_field`].
pub fn localize_record(record: &Json, language: &str, default_language: &str) -> Json {
    match record {
        Json::Object(map) => Json::Object(
            map.iter()
                .map(|(key, value)| {
                    (
                        key.clone(),
                        localize_record_field(value, language, default_language),
                    )
                })
                .collect(),
        ),
        other => other.clone(),
    }
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
    language: &str,
) -> Result<String, String> {
    let locale = Locale::for_language_or_default(language);
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
        // The page's language's text, else the default language's.
        (FactValue::Texts { text, texts }, None) => {
            Ok(texts.get(language, "").unwrap_or(text).to_string())
        }
        (FactValue::Bool(b), None) => Ok(format_bool(*b, locale)),
        (FactValue::Items(items), None | Some("list")) => {
            Ok(format_list(&names(items, language), locale))
        }
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

/// The `name` of each record that has one, in `language` where it is written per language.
fn names<'a>(items: &'a [Json], language: &str) -> Vec<&'a str> {
    items
        .iter()
        .filter_map(|item| {
            let name = item.get("name")?;
            name.as_str()
                .or_else(|| name.get(language).and_then(Json::as_str))
                .or_else(|| name.as_object()?.values().next()?.as_str())
        })
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
            format: None,
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
