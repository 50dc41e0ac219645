//! `guide eval`: one rules file evaluated natively on answers given as JSON.

use std::path::Path;

use serde_json::Value as Json;

use crate::checkers::Checkers;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::facts::Facts;
use crate::paths::RULES_DIR;

#[derive(Debug)]
pub enum EvalError {
    /// The site or its rules do not load: fix the input files.
    Site(Diagnostics),
    /// The answers are missing, mistyped or unknown: fix the answers.
    Answers(Vec<String>),
}

/// What `guide eval` prints: the result, and a warning for each answer set aside.
#[derive(Debug)]
pub struct Evaluated {
    /// `{"outcome", "failed", "passed", "values"}`.
    pub result: Json,
    /// One sentence per answer given to a question the other answers do not ask.
    pub warnings: Vec<String>,
}

/// Evaluates `content/rules/RULES_ID.toml` on `answers` (JSON keyed by question id). Only the
/// questions the answers ask need an answer; an answer to any other is set aside, with a
/// warning.
pub fn evaluate(root: &Path, rules_id: &str, answers: &str) -> Result<Evaluated, EvalError> {
    // The default language names the text rules compare where a fact's text is written per
    // language; a site.toml that cannot be read leaves the facts in English, as `build` would
    // report it anyway.
    let default_language = crate::config::Config::load(root)
        .map(|config| config.language)
        .unwrap_or_else(|_| "en".to_string());
    let facts = Facts::load_in(root, &default_language).map_err(EvalError::Site)?;
    let checkers = Checkers::load(root, &facts).map_err(EvalError::Site)?;
    let Some(checker) = checkers.get(rules_id) else {
        let known = checkers
            .iter()
            .map(|c| c.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let message = format!("no rules `{rules_id}` in content/{RULES_DIR}/");
        let help = if known.is_empty() {
            "this site has no rules files".to_string()
        } else {
            format!("rules here: {known}")
        };
        return Err(EvalError::Site(
            Diagnostic::new(format!("content/{RULES_DIR}"), message)
                .with_help(help)
                .into(),
        ));
    };
    let program = &checker.program;
    let answers = guide_rules::Answers::parse_json(program, answers).map_err(|errors| {
        // Each message names its question.
        EvalError::Answers(errors.into_iter().map(|error| error.message).collect())
    })?;
    let warnings = answers
        .ignored()
        .iter()
        .map(|question| {
            let condition = program
                .questions()
                .iter()
                .find(|asked| asked.id == *question)
                .and_then(|asked| asked.ask_if.as_deref())
                .unwrap_or("its condition");
            format!("`{question}` is asked only if `{condition}`, which these answers do not meet: its answer is ignored")
        })
        .collect();
    Ok(Evaluated {
        result: program.evaluate(&answers).to_json(),
        warnings,
    })
}
