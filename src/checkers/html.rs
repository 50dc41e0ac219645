//! What the checkers put on pages: each module in a fingerprinted script, the shared page
//! script, and each checker's form and checklist as HTML.
//!
//! The module travels base64-encoded inside a `.js` file and is instantiated synchronously, so
//! it loads from any static host (whatever MIME type it sends for `.wasm`) and from `file://`,
//! with no fetch, under a `script-src 'self' 'wasm-unsafe-eval'` policy.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine as _;
use guide_rules::{Abi, Program, QuestionKind, Segment, Text};

use super::inline::{inline_html, Piece};
use super::Checkers;
use crate::facts::{Facts, Source};
use crate::markdown::Embeds;
use crate::paths::RULES_DIR;
use crate::theme::{escape_html as escape, Assets};

/// The page script shared by every checker, as written.
pub const SCRIPT: &str = include_str!("checker.js");
const SCRIPT_ASSET: &str = "checker.js";

/// The page script as shipped: minified (by minify-html's JavaScript minifier, through a
/// `<script>` element), once per process. Whole-line `//` comments go first (the minifier keeps
/// some of them), and so do the minifier's `@__PURE__` marks and the lines marked
/// `// not shipped` (the hook that hands the tests in Node the script's calendar).
pub fn shipped_script() -> &'static [u8] {
    static MINIFIED: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    MINIFIED.get_or_init(|| {
        let mut config = minify_html::Cfg::new();
        config.minify_js = true;
        let code: Vec<&str> = SCRIPT
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .filter(|line| !line.trim_end().ends_with("// not shipped"))
            .collect();
        let html = minify_html::minify(
            format!("<script>{}</script>", code.join("\n")).as_bytes(),
            &config,
        );
        let text = String::from_utf8_lossy(&html);
        let body = text
            .strip_prefix("<script>")
            .and_then(|rest| rest.strip_suffix("</script>"))
            .unwrap_or(SCRIPT);
        // Marks for later bundlers, which the page has no use for.
        body.replace("/* @__PURE__ */ ", "").into_bytes()
    })
}

/// One checker as a page embeds it.
struct CheckerPage {
    /// Output path of the script carrying the module and its ABI.
    data_script: String,
    /// The checker's HTML, without the script tags (whose paths depend on the page).
    body: String,
}

/// The checkers as pages embed them: their HTML, and the paths of their scripts.
#[derive(Default)]
pub struct CheckerPages {
    pages: BTreeMap<String, CheckerPage>,
    /// Output path of the page script every checker shares; `None` when there is no checker.
    script: Option<String>,
}

impl CheckerPages {
    /// Writes each checker's HTML, and adds its module's script and the shared page script to
    /// `assets`.
    pub fn new(checkers: &Checkers, facts: &Facts, assets: &mut Assets) -> CheckerPages {
        let mut pages = BTreeMap::new();
        for checker in checkers.iter() {
            let id = &checker.id;
            let data_script = assets.add(
                &format!("checker-{id}.js"),
                data_script(id, &checker.program.abi(), &checker.module),
            );
            let body = render_body(id, &checker.program, facts);
            pages.insert(id.clone(), CheckerPage { data_script, body });
        }
        let script =
            (!pages.is_empty()).then(|| assets.add(SCRIPT_ASSET, shipped_script().to_vec()));
        CheckerPages { pages, script }
    }

    /// Bytes a page with checker `id` loads for it: the module's script and the shared script.
    pub fn script_sizes(&self, id: &str, assets: &Assets) -> (usize, usize) {
        let size = |path: &str| assets.bytes_of(path).map_or(0, <[u8]>::len);
        (
            self.pages.get(id).map_or(0, |page| size(&page.data_script)),
            self.script.as_deref().map_or(0, size),
        )
    }
}

impl Embeds for CheckerPages {
    fn checker(&self, id: &str, root: &str) -> Result<String, String> {
        let checker = self
            .pages
            .get(id)
            .ok_or_else(|| format!("there is no content/{RULES_DIR}/{id}.toml"))?;
        let script = self.script.as_deref().unwrap_or_default();
        Ok(format!(
            "{}<script src=\"{root}{}\" defer></script>\n<script src=\"{root}{script}\" defer></script>\n",
            checker.body,
            escape(&checker.data_script),
        ))
    }

    fn checker_ids(&self) -> Vec<&str> {
        self.pages.keys().map(String::as_str).collect()
    }
}

/// `guideCheckers[id] = {abi, wasm}`: the module and how to drive it, as a classic script.
fn data_script(id: &str, abi: &Abi, module: &[u8]) -> Vec<u8> {
    let data = serde_json::json!({
        "abi": abi,
        "wasm": base64::engine::general_purpose::STANDARD.encode(module),
    });
    let id = serde_json::to_string(id).unwrap_or_default();
    format!("(globalThis.guideCheckers=globalThis.guideCheckers||{{}})[{id}]={data};\n")
        .into_bytes()
}

/// A text's inline Markdown as HTML, each placeholder rendered by `slot`.
pub(super) fn rendered(text: &Text, slot: &dyn Fn(&Segment) -> String) -> Result<String, String> {
    let pieces: Vec<Piece<'_>> = text
        .segments
        .iter()
        .map(|segment| match segment {
            Segment::Literal { text } => Piece::Prose(text),
            _ => Piece::Slot,
        })
        .collect();
    inline_html(&pieces, &mut |index| slot(&text.segments[index]))
}

/// Rendered, or (for a text the load stage did not check) its words escaped.
fn rendered_or_escaped(text: &Text, slot: &dyn Fn(&Segment) -> String) -> String {
    rendered(text, slot).unwrap_or_else(|_| {
        let prose = |segment: &Segment| match segment {
            Segment::Literal { text } => escape(text),
            other => slot(other),
        };
        text.segments.iter().map(prose).collect()
    })
}

/// A text with computed values left as empty spans for the script to fill.
fn text_html(text: &Text) -> String {
    rendered_or_escaped(text, &|segment| match segment {
        Segment::Value { id } => format!("<span data-value=\"{}\"></span>", escape(id)),
        Segment::Fact { display, .. } => escape(display),
        Segment::Literal { text } => escape(text),
    })
}

/// The same text for readers without JavaScript: values cannot be computed, so they are named.
fn text_plain_html(text: &Text, program: &Program) -> String {
    rendered_or_escaped(text, &|segment| match segment {
        Segment::Value { id } => {
            let label = program
                .values()
                .iter()
                .find(|v| &v.id == id)
                .map_or(id.as_str(), |v| v.label.as_str());
            format!("[{}]", escape(&label.to_lowercase()))
        }
        Segment::Fact { display, .. } => escape(display),
        Segment::Literal { text } => escape(text),
    })
}

/// A question's help, with inline Markdown.
pub(super) fn help_html(help: &str) -> Result<String, String> {
    inline_html(&[Piece::Prose(help)], &mut |_| String::new())
}

/// The source a criterion cites, as the facts define it.
fn criterion_source<'f>(
    criterion: &guide_rules::Criterion,
    facts: &'f Facts,
) -> Option<&'f Source> {
    let id = &criterion.source.as_ref()?.name;
    facts.sources.iter().find(|source| &source.id == id)
}

fn source_link(source: Option<&Source>) -> String {
    match source {
        Some(source) if source.url.is_empty() => {
            format!(
                " <span class=\"checker-source\">(Source: {})</span>",
                escape(&source.title)
            )
        }
        Some(source) => format!(
            " <span class=\"checker-source\">(Source: <a href=\"{}\">{}</a>)</span>",
            escape(&source.url),
            escape(&source.title)
        ),
        None => String::new(),
    }
}

fn render_body(id: &str, program: &Program, facts: &Facts) -> String {
    let prefix = format!("checker-{id}");
    let mut html = String::new();
    let _ = writeln!(
        html,
        "<section class=\"checker\" id=\"{prefix}\" data-checker=\"{}\">",
        escape(id)
    );
    let _ = writeln!(
        html,
        "<form class=\"checker-form\" aria-label=\"Eligibility checker\" hidden>"
    );
    for question in program.questions() {
        let field = format!("{prefix}-{}", question.id);
        let help_id = format!("{field}-help");
        let described = if question.help.is_some() {
            format!(" aria-describedby=\"{help_id}\"")
        } else {
            String::new()
        };
        let help = question.help.as_ref().map_or(String::new(), |help| {
            format!(
                "<p class=\"checker-help\" id=\"{help_id}\">{}</p>\n",
                help_html(help).unwrap_or_else(|_| escape(help))
            )
        });
        let name = escape(&question.id);
        let options: Vec<(String, String)> = match &question.kind {
            QuestionKind::Bool => vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())],
            QuestionKind::Choice { choices } => choices
                .iter()
                .map(|c| (c.id.clone(), c.label.clone()))
                .collect(),
            QuestionKind::Date { .. } | QuestionKind::Integer { .. } => Vec::new(),
        };
        if options.is_empty() {
            let input = match &question.kind {
                QuestionKind::Integer { min, max } => {
                    let mut bounds = String::new();
                    if let Some(min) = min {
                        let _ = write!(bounds, " min=\"{min}\"");
                    }
                    if let Some(max) = max {
                        let _ = write!(bounds, " max=\"{max}\"");
                    }
                    format!("<input type=\"number\" inputmode=\"numeric\" step=\"1\"{bounds}")
                }
                _ => "<input type=\"date\"".to_string(),
            };
            let _ = writeln!(
                html,
                "<div class=\"checker-question\">\n<label for=\"{field}\">{}</label>\n{help}{input} id=\"{field}\" name=\"{name}\" required{described}>\n</div>",
                escape(&question.text)
            );
        } else {
            let _ = writeln!(
                html,
                "<fieldset class=\"checker-question\"{described}>\n<legend>{}</legend>\n{help}",
                escape(&question.text)
            );
            for (value, label) in options {
                let option_id = format!("{field}-{}", value);
                let _ = writeln!(
                    html,
                    "<div class=\"checker-option\"><input type=\"radio\" id=\"{}\" name=\"{name}\" value=\"{}\" required><label for=\"{}\">{}</label></div>",
                    escape(&option_id),
                    escape(&value),
                    escape(&option_id),
                    escape(&label)
                );
            }
            html.push_str("</fieldset>\n");
        }
    }
    html.push_str("<button type=\"submit\">Show my result</button>\n</form>\n");
    let _ = writeln!(
        html,
        "<div class=\"checker-result\" role=\"status\" aria-live=\"polite\">"
    );
    html.push_str(
        "<p class=\"checker-prompt\" hidden>Answer every question to see your result.</p>\n",
    );
    for outcome in program.outcomes() {
        let _ = writeln!(
            html,
            "<div class=\"checker-outcome\" data-outcome=\"{}\" data-tone=\"{}\" hidden>\n<h2>{}</h2>\n<p>{}</p>\n</div>",
            escape(&outcome.id),
            outcome.tone.as_str(),
            text_html(&outcome.heading),
            text_html(&outcome.text)
        );
    }
    html.push_str("<ul class=\"checker-failed\" hidden>\n");
    for criterion in program.criteria() {
        let source = criterion_source(criterion, facts);
        let _ = writeln!(
            html,
            "<li data-criterion=\"{}\" hidden>{}{}</li>",
            escape(&criterion.id),
            text_html(&criterion.failed),
            source_link(source)
        );
    }
    html.push_str("</ul>\n");
    html.push_str("</div>\n");
    // A calculator with no conditions to meet (a score) has no checklist to show.
    if program.criteria().is_empty() {
        html.push_str("</section>\n");
        return html;
    }
    html.push_str("<div class=\"checker-checklist\">\n<p>To qualify, each of these had to be true:</p>\n<ul>\n");
    for criterion in program.criteria() {
        let source = criterion_source(criterion, facts);
        let _ = writeln!(
            html,
            "<li><strong>{}</strong> <span class=\"checker-if-not\">If not: {}</span>{}</li>",
            text_plain_html(&criterion.passed, program),
            text_plain_html(&criterion.failed, program),
            source_link(source)
        );
    }
    html.push_str("</ul>\n</div>\n</section>\n");
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_script_is_minified_and_keeps_its_entry_points() {
        let shipped = std::str::from_utf8(shipped_script()).unwrap();
        assert!(
            shipped.len() < SCRIPT.len() * 3 / 4,
            "{} of {} bytes",
            shipped.len(),
            SCRIPT.len()
        );
        assert!(shipped.contains("guideCheckers") && shipped.contains("data-checker"));
        assert!(!shipped.contains("innerHTML"));
        assert!(
            !shipped.contains("//") && !shipped.contains("/*"),
            "comments are left out: {shipped}"
        );
        assert!(
            !shipped.contains("module.exports") && SCRIPT.contains("module.exports"),
            "the hook that hands Node the calendar stays out of pages: {shipped}"
        );
    }

    #[test]
    fn data_script_defines_the_checker_with_its_module() {
        let script =
            String::from_utf8(data_script("h1b", &dummy_abi(), b"\0asm\x01\0\0\0")).unwrap();
        assert!(script
            .starts_with("(globalThis.guideCheckers=globalThis.guideCheckers||{})[\"h1b\"]={"));
        assert!(script.contains("\"wasm\":\"AGFzbQEAAAA=\""), "{script}");
    }

    fn dummy_abi() -> Abi {
        Abi {
            memory: "memory".into(),
            evaluate: "evaluate".into(),
            questions: Vec::new(),
            criteria: Vec::new(),
            values: Vec::new(),
            outcomes: Vec::new(),
        }
    }

    #[test]
    fn texts_escape_literals_and_leave_slots_for_values() {
        let text = Text {
            span: 0..0,
            segments: vec![
                Segment::Literal {
                    text: "<b>until</b> ".into(),
                },
                Segment::Value {
                    id: "ends_on".into(),
                },
                Segment::Fact {
                    name: "h1b.cap".into(),
                    display: "10,000 & more".into(),
                },
            ],
        };
        assert_eq!(
            text_html(&text),
            "&lt;b&gt;until&lt;/b&gt; <span data-value=\"ends_on\"></span>10,000 &amp; more"
        );
    }
}
