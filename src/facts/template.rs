//! The facts as templates see them: `facts.ns.name.{value, display, ...}`, the timeline of
//! dated facts, and the sources with the facts citing them.

use guide_rules::Date;
use serde_json::{json, Value as Json};

use super::dated::DatedField;
use super::values::{display, localize_record, FactValue};
use super::{Fact, Facts, Source};
use guide_rules::Translatable;

use crate::format::{format_date, DateFormat, Locale};

/// Who a template value is for: a language, the site's default one (whose text stands in for
/// a missing translation) and the formats they read values in.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub language: &'a str,
    pub default_language: &'a str,
}

impl Default for Reader<'_> {
    fn default() -> Self {
        Reader {
            language: "en",
            default_language: "en",
        }
    }
}

impl Reader<'_> {
    /// The locale values are written in for this language.
    pub fn locale(&self) -> Locale {
        Locale::for_language_or_default(self.language)
    }

    /// `text` in this reader's language, or the default language's while it has none.
    pub fn text<'t>(&self, text: Option<&'t Translatable>) -> Option<&'t str> {
        text.map(|text| text.get_or_default(self.language, self.default_language))
    }
}

impl Facts {
    /// The guide's date for templates: `{value, display}` (ISO and in words), null when no
    /// fact is verified.
    pub fn guide_date_value(&self) -> Json {
        self.guide_date_value_in(Locale::En)
    }

    /// [`Facts::guide_date_value`], written in `locale`.
    pub fn guide_date_value_in(&self, locale: Locale) -> Json {
        match self.guide_date {
            Some(date) => json!({
                "value": date.to_string(),
                "display": format_date(date, DateFormat::Long, locale),
            }),
            None => Json::Null,
        }
    }

    /// Every fact for templates: `facts.ns.name.{value, display, label, ...}`.
    pub fn to_template_value(&self) -> Json {
        self.to_template_value_in(&Reader::default())
    }

    /// [`Facts::to_template_value`] for readers of one language: labels and notes in it (the
    /// default language's where it has none), values in its formats.
    pub fn to_template_value_in(&self, reader: &Reader) -> Json {
        let mut namespaces = serde_json::Map::new();
        for fact in self.facts.values() {
            let (namespace, key) = fact.name.split_once('.').unwrap_or(("", &fact.name));
            let entry = namespaces
                .entry(namespace.to_string())
                .or_insert_with(|| Json::Object(Default::default()));
            if let Json::Object(map) = entry {
                map.insert(key.to_string(), self.fact_value(fact, reader));
            }
        }
        Json::Object(namespaces)
    }

    fn fact_value(&self, fact: &Fact, reader: &Reader) -> Json {
        let locale = reader.locale();
        let note = reader.text(fact.note.as_ref());
        let (value, change) = self.current(fact);
        let values: Vec<Json> = fact
            .values_in_order()
            .map(|(value, change)| match change {
                None => self.dated_value(fact, None, value, note, fact.source, reader),
                Some(change) => self.dated_value(
                    fact,
                    Some(change.from),
                    value,
                    reader.text(change.note.as_ref()),
                    change.source.or(fact.source),
                    reader,
                ),
            })
            .collect();
        let mut object = json!({
            "name": fact.name,
            "kind": value.kind(),
            "value": value.to_json(),
            "display": fact.display_value_in(value, None, reader.language).unwrap_or_default(),
            "label": reader.text(Some(&fact.label)),
            "note": note,
            "unit": fact.unit,
            "verified": fact.verified.map(|date| date.to_string()),
            "source": self.current_source(fact).map(|source| source.view(reader)),
            "as_of": change.map(|change| change.from.to_string()),
            "checked": self.current_verified(fact).map(|date| json!({
                "value": date.to_string(),
                "display": format_date(date, DateFormat::Month, locale),
            })),
            "values": values,
        });
        if let FactValue::Items(items) = value {
            // A record's texts written per language, in the reader's.
            let items: Vec<Json> = items
                .iter()
                .map(|item| localize_record(item, reader.language, reader.default_language))
                .collect();
            object["value"] = json!(items);
            object["items"] = json!(items);
        }
        object
    }

    /// One entry of a fact's or a record field's history: `{from, value, display, note,
    /// source}`, `from` null for the value before the first change.
    fn dated_value(
        &self,
        fact: &Fact,
        from: Option<Date>,
        value: &FactValue,
        note: Option<&str>,
        source: Option<usize>,
        reader: &Reader,
    ) -> Json {
        json!({
            "from": from.map(|date| date.to_string()),
            "value": value.to_json(),
            "display": fact.display_value_in(value, None, reader.language).unwrap_or_default(),
            "note": note,
            "source": source.map(|index| self.sources[index].view(reader)),
        })
    }

    /// Writes each dated field of a list fact's records as templates see it: the field holds
    /// its value as of the guide's date (absent before its first date), and `FIELD_values` its
    /// history.
    pub(super) fn resolve_dated_fields(&mut self, name: &str, fields: Vec<DatedField>) {
        let Some(fact) = self.facts.get(name) else {
            return;
        };
        let guide_date = self.guide_date;
        let reader = Reader {
            language: &self.default_language,
            default_language: &self.default_language,
        };
        let mut resolved = Vec::new();
        for field in fields {
            let in_force = field
                .values
                .iter()
                .rev()
                .find(|value| match (value.from, guide_date) {
                    (None, _) | (_, None) => true,
                    (Some(from), Some(date)) => from <= date,
                })
                .map(|value| value.value.to_json());
            // A field's values carry no unit: the fact's unit is about the fact.
            let history: Vec<Json> = field
                .values
                .iter()
                .map(|value| {
                    let mut entry = self.dated_value(
                        fact,
                        value.from,
                        &value.value,
                        value.note.as_deref(),
                        value.source.or(fact.source),
                        &reader,
                    );
                    // Records are resolved once, as facts load: their history is in the
                    // default format.
                    entry["display"] = json!(
                        display(&value.value, None, None, reader.language).unwrap_or_default()
                    );
                    entry
                })
                .collect();
            resolved.push((field.record, field.field, in_force, history));
        }
        let Some(fact) = self.facts.get_mut(name) else {
            return;
        };
        let FactValue::Items(items) = &mut fact.value else {
            return;
        };
        for (record, field, in_force, history) in resolved {
            let Some(Json::Object(record)) = items.get_mut(record) else {
                continue;
            };
            match in_force {
                Some(value) => record.insert(field.clone(), value),
                None => record.remove(&field),
            };
            record.insert(format!("{field}_values"), Json::Array(history));
        }
    }

    /// Date facts and every change of a dated fact, in date order (then by name), for the
    /// generated timeline. A date fact stands at its date as of the guide's date; a change
    /// stands at the day it took effect, as "label: value".
    pub fn timeline(&self) -> Json {
        self.timeline_in(&Reader::default())
    }

    /// [`Facts::timeline`] for readers of one language.
    pub fn timeline_in(&self, reader: &Reader) -> Json {
        let mut entries: Vec<(Date, &Fact, Json)> = Vec::new();
        for fact in self.facts.values().filter(|fact| fact.on_timeline) {
            if let (FactValue::Date(date), _) = self.current(fact) {
                // A date known to the month (`format = "month"`) is shown by its month, as
                // the pages show it; a change below is dated to its day.
                let format = fact
                    .format
                    .as_deref()
                    .and_then(DateFormat::named)
                    .filter(|format| matches!(format, DateFormat::Month | DateFormat::Year))
                    .unwrap_or(DateFormat::Long);
                let mut entry = self.timeline_entry(
                    *date,
                    fact,
                    reader
                        .text(Some(&fact.label))
                        .unwrap_or_default()
                        .to_string(),
                    reader.text(fact.note.as_ref()),
                    self.current_source(fact),
                    reader,
                );
                entry["display"] = json!(format_date(*date, format, reader.locale()));
                // The machine-readable date claims no more than the words: `2026-08`.
                let iso = date.to_string();
                entry["datetime"] = json!(match format {
                    DateFormat::Month => &iso[..7],
                    DateFormat::Year => &iso[..4],
                    _ => &iso,
                });
                entries.push((*date, fact, entry));
            }
            for change in &fact.changes {
                let value = fact
                    .display_value_in(&change.value, None, reader.language)
                    .unwrap_or_default();
                let subject = reader.text(Some(&fact.label)).unwrap_or_default();
                let source = change
                    .source
                    .or(fact.source)
                    .map(|index| &self.sources[index]);
                let mut entry = self.timeline_entry(
                    change.from,
                    fact,
                    format!("{subject}: {value}"),
                    reader.text(change.note.as_ref()),
                    source,
                    reader,
                );
                // Apart as well, for a template to join in its language's way (`label` keeps
                // the English way, for themes that read it).
                entry["subject"] = json!(subject);
                entry["value"] = json!(value);
                entries.push((change.from, fact, entry));
            }
        }
        // Stable: a fact's own entry and its changes on one day keep that order.
        entries.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
        Json::Array(entries.into_iter().map(|(_, _, entry)| entry).collect())
    }

    fn timeline_entry(
        &self,
        date: Date,
        fact: &Fact,
        label: String,
        note: Option<&str>,
        source: Option<&Source>,
        reader: &Reader,
    ) -> Json {
        json!({
            "date": date.to_string(),
            "datetime": date.to_string(),
            "display": format_date(date, DateFormat::Long, reader.locale()),
            "label": label,
            "note": note,
            "fact": fact.name,
            "source": source.map(|source| source.view(reader)),
        })
    }

    /// Whether a fact, or any of its dated values, cites the source `id`.
    fn cites(&self, fact: &Fact, id: &str) -> bool {
        let changes = fact.changes.iter().filter_map(|change| change.source);
        fact.source
            .into_iter()
            .chain(changes)
            .any(|index| self.sources[index].id == id)
    }

    /// Every source with the names of the facts citing it, in id order.
    pub fn sources_value(&self) -> Json {
        self.sources_value_in(&Reader::default())
    }

    /// [`Facts::sources_value`] for readers of one language: each source's title and address
    /// in it where the source is published in it (see [`Source::view`]).
    pub fn sources_value_in(&self, reader: &Reader) -> Json {
        let mut sources: Vec<&Source> = self.sources.iter().collect();
        sources.sort_by(|a, b| (a.weight, &a.id).cmp(&(b.weight, &b.id)));
        Json::Array(
            sources
                .into_iter()
                .map(|source| {
                    let citing: Vec<&str> = self
                        .facts
                        .values()
                        .filter(|fact| self.cites(fact, &source.id))
                        .map(|fact| fact.name.as_str())
                        .collect();
                    let mut value = source.view(reader);
                    value["facts"] = json!(citing);
                    value
                })
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::{CONTENT_DIR, FACTS_DIR, SOURCES_FILE};

    fn load(facts: &str) -> Facts {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CONTENT_DIR).join(FACTS_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        let sources = "[gov]\ntitle = \"Gov\"\n\n[news]\ntitle = \"News\"\n";
        std::fs::write(dir.join(SOURCES_FILE), sources).unwrap();
        std::fs::write(dir.join("ee.toml"), facts).unwrap();
        Facts::load(root.path()).unwrap_or_else(|found| panic!("{found:?}"))
    }

    /// Job offer points: 50, then 0 from 2025-03-25 (from its own source), then 25 from
    /// 2027-01-01, in a guide verified up to 2026-11-01.
    const POINTS: &str = "[points]\nlabel = \"Points\"\nvalue = 50\nsource = \"gov\"\nverified = 2026-11-01\n[[points.values]]\nfrom = 2025-03-25\nvalue = 0\nsource = \"news\"\nnote = \"Removed.\"\n[[points.values]]\nfrom = 2027-01-01\nvalue = 2500\n";

    #[test]
    fn templates_see_a_dated_fact_as_of_the_guides_date_with_its_history() {
        let facts = load(POINTS);
        let points = &facts.to_template_value()["ee"]["points"];
        assert_eq!(points["value"], json!(0));
        assert_eq!(points["display"], json!("0"));
        assert_eq!(points["kind"], json!("integer"));
        assert_eq!(points["as_of"], json!("2025-03-25"));
        assert_eq!(points["source"]["id"], json!("news"));
        let history: Vec<(Json, Json, Json)> = points["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| {
                (
                    entry["from"].clone(),
                    entry["display"].clone(),
                    entry["source"]["id"].clone(),
                )
            })
            .collect();
        assert_eq!(
            history,
            [
                (Json::Null, json!("50"), json!("gov")),
                (json!("2025-03-25"), json!("0"), json!("news")),
                (json!("2027-01-01"), json!("2,500"), json!("gov")),
            ]
        );
        assert_eq!(points["values"][1]["note"], json!("Removed."));
        assert_eq!(
            facts.guide_date_value(),
            json!({"value": "2026-11-01", "display": "November 1, 2026"})
        );
        let fact = facts.get("ee.points").unwrap();
        assert_eq!(facts.display(fact, Some("plain")).unwrap(), "0");
    }

    #[test]
    fn checked_is_when_the_value_in_force_was_verified_by_month() {
        let status = "[status]\nlabel = \"Status\"\nvalue = \"open\"\nverified = 2026-11-01\n\
                      [[status.values]]\nfrom = 2025-12-19\nvalue = \"closed\"\nverified = 2026-01-31\n\
                      [other]\nlabel = \"Other\"\nvalue = 1\nverified = 2026-11-01\n";
        let facts = load(status);
        let all = facts.to_template_value();
        assert_eq!(all["ee"]["status"]["value"], json!("closed"));
        assert_eq!(
            all["ee"]["status"]["checked"],
            json!({"value": "2026-01-31", "display": "January 2026"})
        );
        assert_eq!(all["ee"]["other"]["checked"]["value"], json!("2026-11-01"));
        let undated = load("[cap]\nlabel = \"Cap\"\nvalue = 1\n");
        assert_eq!(
            undated.to_template_value()["ee"]["cap"]["checked"],
            Json::Null
        );
    }

    #[test]
    fn a_fact_without_changes_has_its_one_value_in_force() {
        let facts = load("[cap]\nlabel = \"Cap\"\nvalue = 10000\nverified = 2026-11-01\n");
        let cap = &facts.to_template_value()["ee"]["cap"];
        assert_eq!(cap["value"], json!(10000));
        assert_eq!(cap["as_of"], Json::Null);
        assert_eq!(cap["values"].as_array().unwrap().len(), 1);
        assert_eq!(cap["values"][0]["display"], json!("10,000"));
    }

    #[test]
    fn with_nothing_verified_every_fact_shows_its_latest_value() {
        let facts = load(&POINTS.replace("verified = 2026-11-01\n", ""));
        assert_eq!(facts.guide_date_value(), Json::Null);
        let points = &facts.to_template_value()["ee"]["points"];
        assert_eq!(points["value"], json!(2500));
        assert_eq!(points["as_of"], json!("2027-01-01"));
    }

    #[test]
    fn each_change_is_a_timeline_entry_and_its_source_cites_the_fact() {
        let facts = load(&format!(
            "{POINTS}\n[opened_on]\nlabel = \"Opened\"\nvalue = 2026-01-05\n"
        ));
        let entries: Vec<(String, String, Json)> = facts
            .timeline()
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| {
                let text = |key: &str| entry[key].as_str().unwrap().to_string();
                (text("date"), text("label"), entry["source"]["id"].clone())
            })
            .collect();
        assert_eq!(
            entries,
            [
                ("2025-03-25".into(), "Points: 0".into(), json!("news")),
                ("2026-01-05".into(), "Opened".into(), Json::Null),
                ("2027-01-01".into(), "Points: 2,500".into(), json!("gov")),
            ]
        );
        let news = facts
            .sources_value()
            .as_array()
            .unwrap()
            .iter()
            .find(|source| source["id"] == json!("news"))
            .cloned()
            .unwrap();
        assert_eq!(news["facts"], json!(["ee.points"]));
    }

    #[test]
    fn a_records_dated_field_holds_its_value_as_of_the_guides_date() {
        let facts = load("[parts]\nlabel = \"Parts\"\nsource = \"gov\"\nverified = 2026-11-01\n[[parts.items]]\nname = \"Stream\"\nstatus = [{ value = \"announced\" }, { from = 2023-07-16, value = \"open\", source = \"news\" }, { from = 2030-01-01, value = \"closed\", note = \"Planned.\" }]\n");
        let record = &facts.to_template_value()["ee"]["parts"]["items"][0];
        assert_eq!(record["status"], json!("open"));
        let history = record["status_values"].as_array().unwrap();
        assert_eq!(history.len(), 3);
        assert_eq!(history[0]["from"], Json::Null);
        assert_eq!(history[0]["source"]["id"], json!("gov"));
        assert_eq!(history[1]["source"]["id"], json!("news"));
        assert_eq!(history[2]["from"], json!("2030-01-01"));
        assert_eq!(history[2]["note"], json!("Planned."));
    }

    #[test]
    fn sources_are_listed_by_weight_then_id() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CONTENT_DIR).join(FACTS_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        let sources = "[article]\ntitle = \"A\"\nweight = 90\n\n[policy]\ntitle = \"P\"\nurl = \"https://e.org\"\nweight = 10\n\n[news]\ntitle = \"N\"\nurl = \"https://e.org/n\"\nweight = 10\n";
        std::fs::write(dir.join(SOURCES_FILE), sources).unwrap();
        let facts = Facts::load(root.path()).unwrap();
        let order: Vec<String> = facts
            .sources_value()
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(order, ["news", "policy", "article"]);
    }
}
