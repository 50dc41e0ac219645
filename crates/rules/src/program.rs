//! A checked rules file: its public views, its worked examples, and the
//! checked expressions both engines run.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::answers::Answers;
use crate::diagnostic::Diagnostic;
use crate::ir::{Definition, Ir};
use crate::model::{ComputedValue, Criterion, Outcome, Question, Tense, Value};

/// A checked rules file, ready to evaluate natively or to emit as WebAssembly.
#[derive(Clone, Debug)]
pub struct Program {
    pub(crate) source: String,
    pub(crate) tense: Tense,
    pub(crate) questions: Vec<Question>,
    pub(crate) values: Vec<ComputedValue>,
    pub(crate) criteria: Vec<Criterion>,
    pub(crate) outcomes: Vec<Outcome>,
    pub(crate) examples: Vec<Example>,
    pub(crate) value_code: Vec<Ir>,
    pub(crate) criterion_code: Vec<Ir>,
    /// `None` only for the last outcome, which needs no condition.
    pub(crate) outcome_code: Vec<Option<Ir>>,
    /// Values and criteria, each after those it uses.
    pub(crate) order: Vec<Definition>,
    /// Per question, the condition under which it is asked (`None`: always).
    pub(crate) ask_code: Vec<Option<Ir>>,
    /// Per question, the condition its answer must meet when it is asked (`None`: any).
    pub(crate) valid_code: Vec<Option<Ir>>,
    /// Per question, what it holds when it is not asked: its `default`, or 0.
    pub(crate) unasked: Vec<i32>,
    /// What the checker noticed but did not refuse, in file order (a criterion no outcome
    /// reads, an outcome that can never apply), each without a path until the caller adds it.
    pub(crate) warnings: Vec<Diagnostic>,
    /// Every text a reader sees, for [`Program::untranslated`].
    pub(crate) reader_texts: Vec<ReaderText>,
}

/// A text of the rules file a reader sees: what it is, where, and the languages it is
/// written in (`None` for a plain string, which is the default language's).
#[derive(Clone, Debug)]
pub(crate) struct ReaderText {
    pub(crate) what: String,
    pub(crate) span: Range<usize>,
    pub(crate) languages: Option<Vec<String>>,
}

/// A worked case: answers and what they must lead to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub id: String,
    /// Byte span of the example's id in the rules file, for diagnostics about the example.
    pub span: Range<usize>,
    pub description: Option<String>,
    pub answers: Answers,
    pub outcome: String,
    /// When given, exactly the criteria that must fail, in any order.
    pub failed: Option<Vec<String>>,
    /// Values that must come out as given; others are not checked.
    pub values: BTreeMap<String, Value>,
}

impl Program {
    /// The tense the rules speak in, for the wording a page puts around their texts.
    pub fn tense(&self) -> Tense {
        self.tense
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn criteria(&self) -> &[Criterion] {
        &self.criteria
    }

    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    pub fn values(&self) -> &[ComputedValue] {
        &self.values
    }

    pub fn examples(&self) -> &[Example] {
        &self.examples
    }

    /// Warnings about rules that work but may not do what was meant, in file order.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Each text a reader sees that has no text in one of `languages` (the site's, the
    /// default one being `default_language`), as an error at the text; the caller decides
    /// whether it is one (`guide check` may be told to take it as a warning).
    pub fn untranslated(&self, languages: &[&str], default_language: &str) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        for text in &self.reader_texts {
            let has = |language: &str| match &text.languages {
                None => language == default_language,
                Some(codes) => codes.iter().any(|code| code == language),
            };
            let missing: Vec<&str> = languages
                .iter()
                .copied()
                .filter(|language| !has(language))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let quoted: Vec<String> = missing.iter().map(|code| format!("`{code}`")).collect();
            let message = format!("{} has no {} text", text.what, quoted.join(" or "));
            let example: Vec<String> = missing
                .iter()
                .map(|code| format!("{code} = \"…\""))
                .collect();
            let help = match &text.languages {
                None => format!(
                    "write it in each language, as a table: {{ {default_language} = \"…\", {} }}",
                    example.join(", ")
                ),
                Some(_) => format!("add {} to its table", example.join(", ")),
            };
            found.push(self.diagnostic(text.span.clone(), message, Some(help)));
        }
        found
    }

    /// A diagnostic located in this program's rules file, for problems found
    /// by the caller (such as an unknown source id in a [`Reference`](crate::model::Reference)).
    pub fn diagnostic(
        &self,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
        help: Option<String>,
    ) -> Diagnostic {
        crate::diagnostic::diagnostic_at(&self.source, span, message, help)
    }
}
