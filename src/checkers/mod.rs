//! The eligibility checkers: each `content/rules/ID.toml` compiled once per build, checked
//! against the facts, and its worked examples run through both engines (this module, the load
//! stage); then its WebAssembly module shipped as a fingerprinted script and its form and
//! checklist written as HTML for `{{ checker(ID) }}` ([`html`], once the site is loaded).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use guide_rules::{Constant, Program};
use rayon::prelude::*;

use crate::config::Languages;
use crate::diagnostics::{io_error, suggest, Diagnostic, Diagnostics};
use crate::facts::{FactValue, Facts};
use crate::paths::{has_extension, shown_path, CONTENT_DIR, RULES_DIR};

pub mod html;
mod inline;

pub use html::CheckerPages;

/// One compiled rules file.
pub struct Checker {
    pub id: String,
    pub file: PathBuf,
    pub program: Program,
    /// The emitted WebAssembly module, validated.
    pub module: Vec<u8>,
    /// Its form, results and checklist as the theme's `checker.html` renders them, in each of
    /// the site's languages, by code; empty until [`Checkers::render_html`], once the theme is
    /// loaded. The module is one for every language.
    pub html: BTreeMap<String, String>,
    /// What the rules compiler warned about (a criterion no outcome reads, an outcome that can
    /// never apply), with the file's path: `guide build` prints them, `guide check` lists them.
    pub warnings: Vec<Diagnostic>,
}

/// Every compiled rules file of a site, by id.
#[derive(Default)]
pub struct Checkers {
    checkers: BTreeMap<String, Checker>,
}

impl Checkers {
    /// Compiles every rules file, checks it against the facts and runs its worked examples
    /// through both engines.
    pub fn load(root: &Path, facts: &Facts) -> Result<Checkers, Diagnostics> {
        let dir = root.join(CONTENT_DIR).join(RULES_DIR);
        let mut checkers = Checkers::default();
        if !dir.is_dir() {
            return Ok(checkers);
        }
        // Its files are each read under the rule, but listing a folder outside the site would
        // already read from outside it.
        if let Err(refused) = crate::confine::resolve_inside(root, &dir) {
            return Err(refused.diagnostic(root, &dir, "read").into());
        }
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|e| Diagnostics::from(io_error(&dir, "list the rules folder", &e)))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| has_extension(path, "toml"))
            .collect();
        files.sort();
        let constants = rule_facts(facts);
        let mut diagnostics = Diagnostics::default();
        // Each rules file compiles and runs its worked examples on its own; in parallel, the
        // results still come back in the files' order.
        let compiled: Vec<_> = files
            .par_iter()
            .map(|path| compile_file(root, path, facts, &constants))
            .collect();
        for result in compiled {
            match result {
                Ok(checker) => {
                    checkers.checkers.insert(checker.id.clone(), checker);
                }
                Err(found) => diagnostics.extend(found),
            }
        }
        diagnostics.into_result(checkers)
    }

    pub fn get(&self, id: &str) -> Option<&Checker> {
        self.checkers.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Checker> {
        self.checkers.values()
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut Checker> {
        self.checkers.values_mut()
    }

    pub fn len(&self) -> usize {
        self.checkers.len()
    }

    /// Every rules file's warnings, file by file.
    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.checkers.values().flat_map(|checker| &checker.warnings)
    }

    pub fn is_empty(&self) -> bool {
        self.checkers.is_empty()
    }

    /// Every text of every rules file that has no text in one of the site's languages, with
    /// the file's path; `guide check` reports them.
    pub fn untranslated(&self, languages: &Languages) -> Vec<Diagnostic> {
        let codes: Vec<&str> = languages.codes().collect();
        if codes.len() < 2 {
            return Vec::new();
        }
        self.checkers
            .values()
            .flat_map(|checker| {
                checker
                    .program
                    .untranslated(&codes, languages.default_code())
                    .into_iter()
                    .map(|diagnostic| diagnostic.with_path(&checker.file))
            })
            .collect()
    }
}

/// The facts a rules file may use: those with a yes/no, whole-number, date or text value,
/// each with its first value and the later ones it takes on dates, and how the guide writes it
/// as of its date.
fn rule_facts(facts: &Facts) -> guide_rules::Facts {
    facts
        .iter()
        .filter_map(|fact| {
            let value = rule_constant(&fact.value)?;
            // Texts speak as of the guide's date, as pages do; expressions read a dated fact
            // as of an answer, from `value` and `changes`.
            let display = facts.display(fact, None).ok()?;
            let changes = fact
                .changes
                .iter()
                .map(|change| {
                    Some(guide_rules::FactChange {
                        from: change.from,
                        value: rule_constant(&change.value)?,
                        display: fact.display_value(&change.value, None).ok()?,
                    })
                })
                .collect::<Option<Vec<_>>>()?;
            let mut rule_fact = guide_rules::Fact::new(value, display);
            rule_fact.changes = changes;
            // `{facts.ns.name.checked}`: when the value a text shows was last verified, so an
            // outcome can say "as of" beside a status, as pages do.
            let checked = facts.current_verified(fact).map(|date| {
                let display = facts
                    .display(fact, Some(crate::facts::CHECKED_FORMAT))
                    .unwrap_or_default();
                (
                    format!("{}.{}", fact.name, crate::facts::CHECKED_FORMAT),
                    guide_rules::Fact::new(Constant::Date(date), display),
                )
            });
            Some(std::iter::once((fact.name.clone(), rule_fact)).chain(checked))
        })
        .flatten()
        .collect()
}

/// A fact's value as the rules compiler takes it, if it takes that kind.
fn rule_constant(value: &FactValue) -> Option<Constant> {
    Some(match value {
        FactValue::Bool(b) => Constant::Bool(*b),
        FactValue::Integer(n) => Constant::Integer(*n),
        FactValue::Date(date) => Constant::Date(*date),
        FactValue::Text(text) | FactValue::Texts { text, .. } => Constant::Text(text.clone()),
        FactValue::Table(table) => Constant::Table(table.clone()),
        FactValue::Float(_) | FactValue::Items(_) => return None,
    })
}

fn compile_file(
    root: &Path,
    path: &Path,
    facts: &Facts,
    constants: &guide_rules::Facts,
) -> Result<Checker, Diagnostics> {
    let file = shown_path(root, path);
    let text =
        crate::confine::read_text(root, path, "read the rules").map_err(Diagnostics::from)?;
    // The rules compiler reads no files: its diagnostics get their path here.
    let at = |diagnostic: Diagnostic| diagnostic.with_path(&file);
    let program = guide_rules::compile(&text, constants)
        .map_err(|found| Diagnostics(found.into_iter().map(at).collect()))?;
    let mut diagnostics = Diagnostics::default();
    for criterion in program.criteria() {
        if let Some(source) = &criterion.source {
            if !facts.sources.iter().any(|s| s.id == source.name) {
                let ids = facts.sources.iter().map(|s| s.id.as_str());
                let help = suggest(&source.name, ids)
                    .map(|near| format!("did you mean `{near}`?"))
                    .unwrap_or_else(|| "sources are defined in content/facts/sources.toml".into());
                let message = format!(
                    "criterion `{}` cites an unknown source `{}`",
                    criterion.id, source.name
                );
                diagnostics.push(at(program.diagnostic(
                    source.span.clone(),
                    message,
                    Some(help),
                )));
            }
        }
        if let Some(fact) = &criterion.fact {
            if facts.get(&fact.name).is_none() {
                let help = facts
                    .suggest(&fact.name)
                    .map(|near| format!("did you mean `{near}`?"));
                let message = format!(
                    "criterion `{}` rests on an unknown fact `{}`",
                    criterion.id, fact.name
                );
                diagnostics.push(at(program.diagnostic(fact.span.clone(), message, help)));
            }
        }
    }
    for (span, message) in text_markdown_problems(&program) {
        let help =
            "write the text as prose with *emphasis*, **strong**, `code` and [links](https://...)";
        diagnostics.push(at(program.diagnostic(
            span,
            message,
            Some(help.to_string()),
        )));
    }
    if let Err(failures) = program.check_examples() {
        for failure in failures {
            let span = failure.span.clone();
            let diagnostic = Diagnostic::at(&file, &text, span, failure.to_string());
            diagnostics
                .push(diagnostic.with_help("fix the rules or the example's expected result"));
        }
    }
    let module = program.emit_wasm();
    if let Err(error) = guide_rules::validate(&module) {
        diagnostics.push(Diagnostic::new(
            &file,
            format!("the emitted module is invalid: {error}"),
        ));
    }
    if !diagnostics.is_empty() {
        return Err(diagnostics);
    }
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let warnings = program.warnings().iter().cloned().map(at).collect();
    Ok(Checker {
        id,
        file,
        program,
        module,
        html: BTreeMap::new(),
        warnings,
    })
}

/// Every text whose inline Markdown a page could not show, in any language, with where it is.
fn text_markdown_problems(program: &Program) -> Vec<(std::ops::Range<usize>, String)> {
    let texts = program
        .criteria()
        .iter()
        .flat_map(|criterion| [&criterion.passed, &criterion.failed])
        .chain(
            program
                .outcomes()
                .iter()
                .flat_map(|outcome| [&outcome.heading, &outcome.text]),
        )
        .chain(program.questions().iter().filter_map(|q| q.help.as_ref()))
        .flat_map(|translated| translated.all());
    texts
        .filter_map(|text| {
            html::rendered(text, &|_| String::new())
                .err()
                .map(|message| (text.span.clone(), message))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paths::{FACTS_DIR, SOURCES_FILE};
    use guide_rules::Date;

    #[test]
    fn rule_facts_carry_the_first_value_and_each_dated_change() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(CONTENT_DIR).join(FACTS_DIR);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(SOURCES_FILE), "").unwrap();
        let facts = "[points]\nlabel = \"Points\"\nvalue = 1200\nverified = 2026-11-01\n[[points.values]]\nfrom = 2025-03-25\nvalue = 0\n[[points.values]]\nfrom = 2027-01-01\nvalue = 2500\n\n[cap]\nlabel = \"Cap\"\nvalue = 10\n\n[rate]\nlabel = \"Rate\"\nvalue = 1.5\n[[rate.values]]\nfrom = 2025-01-01\nvalue = 2.5\n";
        std::fs::write(dir.join("ee.toml"), facts).unwrap();
        let facts = Facts::load(root.path()).unwrap_or_else(|found| panic!("{found:?}"));
        let rules = rule_facts(&facts);
        let points = &rules["ee.points"];
        // The value before the first change, whatever the guide's date.
        assert_eq!(points.value, Constant::Integer(1200));
        // Texts show it as of the guide's date (2026-11-01), as pages do.
        assert_eq!(points.display, "0");
        let day = |y, m, d| Date::from_ymd(y, m, d).unwrap();
        assert_eq!(
            points.changes,
            [
                guide_rules::FactChange {
                    from: day(2025, 3, 25),
                    value: Constant::Integer(0),
                    display: "0".into(),
                },
                guide_rules::FactChange {
                    from: day(2027, 1, 1),
                    value: Constant::Integer(2500),
                    display: "2,500".into(),
                },
            ]
        );
        assert!(rules["ee.cap"].changes.is_empty());
        // When the value a text shows was verified, for "as of"; only for a verified fact.
        let checked = &rules["ee.points.checked"];
        assert_eq!(checked.value, Constant::Date(day(2026, 11, 1)));
        assert_eq!(checked.display, "November 2026");
        assert!(!rules.contains_key("ee.cap.checked"));
        assert!(
            !rules.contains_key("ee.rate"),
            "decimal facts stay out of rules"
        );
    }
}
