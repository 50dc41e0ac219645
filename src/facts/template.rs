//! The facts as templates see them: `facts.ns.name.{value, display, ...}`, the timeline of
//! dated facts, and the sources with the facts citing them.

use guide_rules::Date;
use serde_json::{json, Value as Json};

use super::values::{display, FactValue};
use super::{Fact, Facts, Source};
use crate::format::{format_date, DateFormat, Locale};

impl Facts {
    /// Every fact for templates: `facts.ns.name.{value, display, label, ...}`.
    pub fn to_template_value(&self) -> Json {
        let mut namespaces = serde_json::Map::new();
        for fact in self.facts.values() {
            let (namespace, key) = fact.name.split_once('.').unwrap_or(("", &fact.name));
            let entry = namespaces
                .entry(namespace.to_string())
                .or_insert_with(|| Json::Object(Default::default()));
            if let Json::Object(map) = entry {
                map.insert(key.to_string(), self.fact_value(fact));
            }
        }
        Json::Object(namespaces)
    }

    fn fact_value(&self, fact: &Fact) -> Json {
        let (kind, value) = match &fact.value {
            FactValue::Date(date) => ("date", json!(date.to_string())),
            FactValue::Integer(n) => ("integer", json!(n)),
            FactValue::Float(x) => ("number", json!(x)),
            FactValue::Text(text) => ("text", json!(text)),
            FactValue::Bool(b) => ("bool", json!(b)),
            FactValue::Items(items) => ("items", json!(items)),
        };
        let mut object = json!({
            "name": fact.name,
            "kind": kind,
            "value": value,
            "display": display(fact, None).unwrap_or_default(),
            "label": fact.label,
            "note": fact.note,
            "unit": fact.unit,
            "verified": fact.verified.map(|date| date.to_string()),
            "source": self.source_of(fact),
        });
        if let FactValue::Items(items) = &fact.value {
            object["items"] = json!(items);
        }
        object
    }

    /// Date facts in date order (then by name), for the generated timeline.
    pub fn timeline(&self) -> Json {
        let mut dated: Vec<(&Date, &Fact)> = self
            .facts
            .values()
            .filter(|fact| fact.on_timeline)
            .filter_map(|fact| match &fact.value {
                FactValue::Date(date) => Some((date, fact)),
                _ => None,
            })
            .collect();
        dated.sort_by(|a, b| a.0.cmp(b.0).then_with(|| a.1.name.cmp(&b.1.name)));
        Json::Array(
            dated
                .into_iter()
                .map(|(date, fact)| {
                    json!({
                        "date": date.to_string(),
                        "display": format_date(*date, DateFormat::Long, Locale::En),
                        "label": fact.label,
                        "note": fact.note,
                        "fact": fact.name,
                        "source": self.source_of(fact),
                    })
                })
                .collect(),
        )
    }

    /// Every source with the names of the facts citing it, in id order.
    pub fn sources_value(&self) -> Json {
        let mut sources: Vec<&Source> = self.sources.iter().collect();
        sources.sort_by(|a, b| (a.weight, &a.id).cmp(&(b.weight, &b.id)));
        Json::Array(
            sources
                .into_iter()
                .map(|source| {
                    let citing: Vec<&str> = self
                        .facts
                        .values()
                        .filter(|fact| self.source_of(fact).is_some_and(|s| s.id == source.id))
                        .map(|fact| fact.name.as_str())
                        .collect();
                    let mut value = json!(source);
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
