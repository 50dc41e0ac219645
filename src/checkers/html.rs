//! What the checkers put on pages: each module in a fingerprinted script, the shared page
//! script, and each checker's form and checklist as HTML.
//!
//! The module travels base64-encoded inside a `.js` file and is instantiated synchronously, so
//! it loads from any static host (whatever MIME type it sends for `.wasm`) and from `file://`,
//! with no fetch, under a `script-src 'self' 'wasm-unsafe-eval'` policy.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use guide_rules::{Abi, Date, Program, Question, QuestionKind, Segment, Tense, Text};
use serde::Serialize;

use super::inline::{inline_html, Piece};
use super::{Checker, Checkers};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::facts::{Facts, Source};
use crate::format::{format_bool, format_date, format_integer, DateFormat, Locale};
use crate::markdown::Embeds;
use crate::paths::{shown_path, RULES_DIR};
use crate::theme::{escape_html as escape, Assets, Theme};

/// The page script shared by every checker, as written.
pub const SCRIPT: &str = include_str!("checker.js");
const SCRIPT_ASSET: &str = "checker.js";

/// The page script as shipped, once per process: minified by oxc with its local names
/// shortened (the page's budget is counted in gzipped bytes, and long names are most of what
/// is left after whitespace). The lines marked `// not shipped` (the hook that hands the tests
/// in Node the script's calendar) go first. The script is ours and parses; should it ever not,
/// it ships as written rather than break the page.
pub fn shipped_script() -> &'static [u8] {
    static MINIFIED: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    MINIFIED.get_or_init(|| {
        let code: Vec<&str> = SCRIPT
            .lines()
            .filter(|line| !line.trim_end().ends_with("// not shipped"))
            .collect();
        minify_script(&code.join("\n"))
            .unwrap_or_else(|| SCRIPT.to_string())
            .into_bytes()
    })
}

/// `source` minified, or `None` if it does not parse.
fn minify_script(source: &str) -> Option<String> {
    let allocator = oxc_allocator::Allocator::default();
    let parsed = oxc_parser::Parser::new(&allocator, source, oxc_span::SourceType::cjs()).parse();
    if !parsed.errors.is_empty() || parsed.panicked {
        return None;
    }
    let mut program = parsed.program;
    let minified = oxc_minifier::Minifier::new(oxc_minifier::MinifierOptions {
        mangle: Some(oxc_minifier::MangleOptions::default()),
        compress: Some(oxc_minifier::CompressOptions {
            unused: oxc_minifier::CompressOptionsUnused::Remove,
            ..oxc_minifier::CompressOptions::safest()
        }),
    })
    .minify(&allocator, &mut program);
    let code = oxc_codegen::Codegen::new()
        .with_options(oxc_codegen::CodegenOptions::minify())
        .with_scoping(minified.scoping)
        .build(&program)
        .code;
    Some(code)
}

/// One checker as a page embeds it.
struct CheckerPage {
    /// Output path of the script carrying the module and its ABI, which every language's
    /// pages share.
    data_script: String,
    /// The checker's HTML in each language, by code, without the script tags (whose paths
    /// depend on the page).
    bodies: BTreeMap<String, String>,
}

/// The checkers as pages embed them: their HTML, and the paths of their scripts.
#[derive(Default)]
pub struct CheckerPages {
    pages: BTreeMap<String, CheckerPage>,
    /// Output path of the page script every checker shares; `None` when there is no checker.
    script: Option<String>,
}

impl Checkers {
    /// Renders each checker's HTML with the theme's `checker.html` and strings (the default
    /// theme's when it has none), in the tense of its rules.
    pub fn render_html(
        &mut self,
        theme: &Theme,
        facts: &Facts,
        root: &Path,
        config: &Config,
    ) -> Result<(), Diagnostics> {
        if self.is_empty() {
            return Ok(());
        }
        let tera = checker_tera(theme)?;
        let strings = load_strings(root, config)?;
        let languages = config.languages();
        let mut diagnostics = Diagnostics::default();
        for checker in self.iter_mut() {
            for language in languages.codes() {
                let page_language = PageLanguage {
                    code: language,
                    default: languages.default_code(),
                };
                match render_body(checker, facts, &tera, &strings, theme, page_language) {
                    Ok(html) => {
                        checker.html.insert(language.to_string(), html);
                    }
                    Err(diagnostic) => diagnostics.push(diagnostic),
                }
            }
        }
        diagnostics.into_result(())
    }
}

impl CheckerPages {
    /// Takes each checker's HTML, and adds its module's script and the shared page script to
    /// `assets`.
    pub fn new(checkers: &Checkers, assets: &mut Assets) -> CheckerPages {
        let mut pages = BTreeMap::new();
        for checker in checkers.iter() {
            let id = &checker.id;
            let data_script = assets.add(
                &format!("checker-{id}.js"),
                data_script(id, &checker.program.abi(), &checker.module),
            );
            let bodies = checker.html.clone();
            pages.insert(
                id.clone(),
                CheckerPage {
                    data_script,
                    bodies,
                },
            );
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
    fn checker(
        &self,
        id: &str,
        root: &str,
        language: &str,
        first_on_page: bool,
    ) -> Result<String, String> {
        let checker = self
            .pages
            .get(id)
            .ok_or_else(|| format!("there is no content/{RULES_DIR}/{id}.toml"))?;
        // Rendered in each of the site's languages; a page is always in one of them.
        let body = checker
            .bodies
            .get(language)
            .or_else(|| checker.bodies.values().next())
            .map_or("", String::as_str);
        // Deferred scripts run in the page's order, all before `DOMContentLoaded`, when the
        // page script sets up every checker: so one page script, with the first checker,
        // sees the modules of those after it too.
        let page_script = match (first_on_page, self.script.as_deref()) {
            (true, Some(script)) => format!("<script src=\"{root}{script}\" defer></script>\n"),
            _ => String::new(),
        };
        Ok(format!(
            "{body}<script src=\"{root}{}\" defer></script>\n{page_script}",
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

/// A text with computed values left as empty spans for the script to fill, and facts as
/// `language` writes them.
fn text_html(text: &Text, facts: &Facts, language: PageLanguage<'_>) -> String {
    rendered_or_escaped(text, &|segment| match segment {
        Segment::Value { id } => format!("<span data-value=\"{}\"></span>", escape(id)),
        Segment::Fact { name, display } => {
            escape(&fact_in_language(facts, name, display, language.code))
        }
        Segment::Bound { value, .. } => escape(&bound_in_language(*value, language.code)),
        Segment::Literal { text } => escape(text),
    })
}

/// A question's `{min}` or `{max}` as `language` writes a whole number.
fn bound_in_language(value: i64, language: &str) -> String {
    crate::format::format_integer(value, locale_of(language))
}

/// A question's `error` or `name` as plain text, its facts as `language` writes them; the
/// template escapes it where it goes (an attribute, a message).
fn message_text(text: &Text, facts: &Facts, language: PageLanguage<'_>) -> String {
    // The rules refuse a computed value here: it is not known before the answers.
    plain_text_in(text, facts, language.code, &|id| id.to_string())
}

/// A rules text as plain words, unescaped: its facts as `language` writes them, each computed
/// value as `value` gives it (by its id).
pub fn plain_text_in(
    text: &Text,
    facts: &Facts,
    language: &str,
    value: &dyn Fn(&str) -> String,
) -> String {
    text.segments
        .iter()
        .map(|segment| match segment {
            Segment::Literal { text } => text.clone(),
            Segment::Fact { name, display } => fact_in_language(facts, name, display, language),
            Segment::Bound { value, .. } => bound_in_language(*value, language),
            Segment::Value { id } => value(id),
        })
        .collect()
}

/// The same text for readers without JavaScript: values cannot be computed, so they are named.
fn text_plain_html(
    text: &Text,
    program: &Program,
    facts: &Facts,
    language: PageLanguage<'_>,
) -> String {
    rendered_or_escaped(text, &|segment| match segment {
        Segment::Value { id } => {
            let label = program
                .values()
                .iter()
                .find(|v| &v.id == id)
                .map_or(id.as_str(), |v| language.text(&v.label));
            format!("[{}]", escape(&label.to_lowercase()))
        }
        Segment::Fact { name, display } => {
            escape(&fact_in_language(facts, name, display, language.code))
        }
        Segment::Bound { value, .. } => escape(&bound_in_language(*value, language.code)),
        Segment::Literal { text } => escape(text),
    })
}

/// A page's language, and the site's default one, which a plain text is written in.
#[derive(Clone, Copy)]
pub(super) struct PageLanguage<'l> {
    pub(super) code: &'l str,
    pub(super) default: &'l str,
}

impl<'l> PageLanguage<'l> {
    /// A rules text in this language, or in the default one while it has no translation
    /// (which `guide check` reports).
    fn text(self, text: &guide_rules::Translatable) -> &str {
        text.get_or_default(self.code, self.default)
    }

    fn translated<T>(self, text: &guide_rules::Translated<T>) -> &T {
        text.get_or_default(self.code, self.default)
    }
}

/// How a page in `language` writes values: every number, date and yes/no of a checker, on
/// the page and in its script, is formatted for this locale.
pub fn locale_of(language: &str) -> Locale {
    // A language src/format.rs has no formats for writes values as the default locale does.
    Locale::for_language_or_default(language)
}

/// How a fact placeholder (`{facts.NAME}`, `{facts.NAME.checked}`) reads on a page in
/// `language`, in that language's formats; `written` is how the rules were given it, which
/// stands when the facts cannot say (a name they do not hold).
fn fact_in_language(facts: &Facts, name: &str, written: &str, language: &str) -> String {
    let (fact, format) = match facts.get(name) {
        Some(fact) => (Some(fact), None),
        None => match name.strip_suffix(".checked") {
            Some(base) => (facts.get(base), Some(crate::facts::CHECKED_FORMAT)),
            None => (None, None),
        },
    };
    fact.and_then(|fact| facts.display_in(fact, format, language).ok())
        .unwrap_or_else(|| written.to_string())
}

/// How a locale writes the values the page script fills in, taken from src/format.rs's own
/// output so that the script writes a value as the build does, byte for byte: the dates'
/// pattern, its month names and the days not written as their number (`1er`), the integers'
/// grouping and minus sign, and yes and no.
#[derive(Debug, PartialEq, Eq, Serialize)]
pub struct ScriptFormats {
    /// A long date, with `{day}`, `{month}` and `{year}`: `{month} {day}, {year}`.
    pub date: String,
    pub months: Vec<String>,
    /// Days of the month written otherwise than as their number, by number.
    pub days: BTreeMap<u32, String>,
    /// Between groups of three digits.
    pub group: String,
    /// The fewest digits a number has for its digits to be grouped (4: `1,000`; 5: `1000`
    /// but `10 000`).
    pub group_from: usize,
    pub minus: String,
    pub yes: String,
    pub no: String,
}

impl ScriptFormats {
    /// Read off `locale`'s formats: a date in each month (day 22 of 2033, digits no other
    /// part of a date repeats), each day of January, and a few numbers.
    pub fn of(locale: Locale) -> ScriptFormats {
        const YEAR: i32 = 2033;
        const DAY: u32 = 22;
        let long = |month: u32, day: u32| {
            Date::from_ymd(YEAR, month, day)
                .map(|date| format_date(date, DateFormat::Long, locale))
                .unwrap_or_default()
        };
        // Each month's date with its day and year marked: what is left differs only by the
        // month's name.
        let marked: Vec<String> = (1..=12)
            .map(|month| {
                long(month, DAY)
                    .replacen(&YEAR.to_string(), "{year}", 1)
                    .replacen(&DAY.to_string(), "{day}", 1)
            })
            .collect();
        let prefix = common_length(marked.iter().map(|m| m.chars()));
        let suffix = common_length(marked.iter().map(|m| m.chars().rev()));
        let months: Vec<String> = marked
            .iter()
            .map(|m| {
                let chars: Vec<char> = m.chars().collect();
                chars[prefix..chars.len() - suffix].iter().collect()
            })
            .collect();
        let first: Vec<char> = marked[0].chars().collect();
        let date = format!(
            "{}{{month}}{}",
            first[..prefix].iter().collect::<String>(),
            first[first.len() - suffix..].iter().collect::<String>()
        );
        let (before_day, after_day) = date.split_once("{day}").unwrap_or((&date, ""));
        let fill = |part: &str| {
            part.replace("{month}", &months[0])
                .replace("{year}", &YEAR.to_string())
        };
        let (before_day, after_day) = (fill(before_day), fill(after_day));
        let days = (1..=31)
            .filter_map(|day| {
                let written = long(1, day);
                let shown = written
                    .strip_prefix(&before_day)?
                    .strip_suffix(&after_day)?
                    .to_string();
                (shown != day.to_string()).then_some((day, shown))
            })
            .collect();
        let grouped = format_integer(1_234_567, locale);
        let group = grouped
            .strip_prefix('1')
            .and_then(|rest| rest.split_once("234"))
            .map_or(String::new(), |(group, _)| group.to_string());
        let group_from = if format_integer(1_000, locale) == "1000" {
            5
        } else {
            4
        };
        let minus = format_integer(-7, locale)
            .strip_suffix('7')
            .unwrap_or("-")
            .to_string();
        ScriptFormats {
            date,
            months,
            days,
            group,
            group_from,
            minus,
            yes: format_bool(true, locale),
            no: format_bool(false, locale),
        }
    }
}

/// How many characters every sequence starts with alike.
fn common_length<I: Iterator<Item = char>>(sequences: impl Iterator<Item = I>) -> usize {
    let sequences: Vec<Vec<char>> = sequences.map(Iterator::collect).collect();
    let shortest = sequences.iter().map(Vec::len).min().unwrap_or(0);
    (0..shortest)
        .take_while(|&i| sequences.iter().all(|s| s[i] == sequences[0][i]))
        .count()
}

/// The source a criterion cites, as the facts define it.
fn criterion_source<'f>(
    criterion: &guide_rules::Criterion,
    facts: &'f Facts,
) -> Option<&'f Source> {
    let id = &criterion.source.as_ref()?.name;
    facts.sources.iter().find(|source| &source.id == id)
}

/// The theme template that renders one checker, and the theme file holding its fixed wording.
pub const TEMPLATE: &str = "checker.html";
pub const STRINGS_FILE: &str = crate::theme::strings::THEME_STRINGS_FILE;
/// The default theme's template and strings, for a theme that has none of its own.
const DEFAULT_TEMPLATE: &str = include_str!("../../themes/default/templates/checker.html");
const DEFAULT_STRINGS: &str = include_str!("../../themes/default/strings.toml");

/// What the template gets for one checker. Texts with inline Markdown come as HTML, rendered
/// and escaped here; everything else is plain text for the template to escape.
#[derive(Serialize)]
struct CheckerView<'p> {
    id: &'p str,
    /// How the page's language writes the values the script fills in, as JSON for the
    /// template to put in `data-formats`.
    formats: String,
    questions: Vec<QuestionView<'p>>,
    outcomes: Vec<OutcomeView<'p>>,
    criteria: Vec<CriterionView<'p>>,
    /// The point tables the rules read, for readers who add up a score by hand.
    tables: Vec<TableView<'p>>,
    /// The other whole-number facts the rules read (caps, fixed points), with them.
    amounts: Vec<AmountView<'p>>,
}

#[derive(Serialize)]
struct TableView<'p> {
    caption: &'p str,
    /// The heading over the rows' keys, and over each column, from the fact's `headers`.
    key_heading: Option<&'p str>,
    columns: Vec<&'p str>,
    rows: Vec<TableRowView<'p>>,
}

/// A row's key: a choice's label, or a band of whole numbers written as pages write them
/// (the theme words a band from its ends).
#[derive(Serialize)]
struct TableRowView<'p> {
    label: Option<&'p str>,
    min: Option<String>,
    max: Option<String>,
    cells: Vec<String>,
}

#[derive(Serialize)]
struct AmountView<'p> {
    label: &'p str,
    /// The value in force on the guide's date.
    value: String,
    /// The values it held or will hold on other days, in date order, for a reader scoring
    /// another day by hand.
    others: Vec<OtherValueView>,
}

/// A value a dated fact takes on other days than the guide's: from `from` (none: since
/// always) through `through`, the day before `next` (none: from then on), each written as
/// pages write dates.
#[derive(Serialize)]
struct OtherValueView {
    value: String,
    from: Option<String>,
    through: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct QuestionView<'p> {
    id: &'p str,
    text: &'p str,
    help: Option<String>,
    /// `bool`, `choice`, `date` or `integer`.
    #[serde(rename = "type")]
    kind: &'static str,
    /// A yes/no question's options have no label: the theme's strings name them.
    options: Vec<OptionView<'p>>,
    /// Bounds of a whole number, written as pages write numbers.
    min: Option<String>,
    max: Option<String>,
    ask_if: Option<ConditionView<'p>>,
    /// The rules' own message for a missing answer, in place of the theme's; plain text, which
    /// the template escapes.
    error: Option<String>,
    /// What the theme's generated messages call the answer ("Date of birth"); plain text.
    name: Option<String>,
    /// The rules' message for an answer its `valid_if` refuses; plain text.
    valid_error: Option<String>,
    /// For a date: whether a day after the reader's today is taken.
    allow_future: bool,
}

#[derive(Serialize)]
struct OptionView<'p> {
    value: &'p str,
    label: Option<&'p str>,
}

/// When a conditional question is asked, for readers who see every question at once: the
/// earlier question and the answers to it that ask this one. `question` is `None` for a
/// condition too intricate to put in a sentence.
#[derive(Serialize)]
struct ConditionView<'p> {
    question: Option<&'p str>,
    answers: Vec<OptionView<'p>>,
}

#[derive(Serialize)]
struct OutcomeView<'p> {
    id: &'p str,
    tone: &'static str,
    heading: String,
    text: String,
}

#[derive(Serialize)]
struct CriterionView<'p> {
    id: &'p str,
    /// With slots the script fills.
    passed: String,
    failed: String,
    /// With computed values named, for readers without JavaScript.
    passed_plain: String,
    failed_plain: String,
    source: Option<SourceView<'p>>,
    /// The questions its condition names: a condition met only because a question was not
    /// asked (`not answered(q) or ...`) is not listed as met.
    reads: Vec<&'p str>,
}

#[derive(Serialize)]
struct SourceView<'p> {
    title: &'p str,
    /// A web address, or empty: a file of the site (`/docs/rules.pdf`) is named without a
    /// link, because one checker body serves pages at every depth; the sources page links it.
    url: &'p str,
    /// The language of the title and address, when they are not in the page's language (a
    /// source published only in English, on a French page).
    lang: Option<&'p str>,
    in_language: Option<&'p str>,
}

/// The theme's checker template, or the default theme's when it has none.
fn checker_tera(theme: &Theme) -> Result<Cow<'_, tera::Tera>, Diagnostic> {
    if theme.has_template(TEMPLATE) {
        return Ok(Cow::Borrowed(&theme.tera));
    }
    let mut tera = theme.tera.clone();
    tera.add_raw_template(TEMPLATE, DEFAULT_TEMPLATE)
        .map_err(|error| {
            Diagnostic::new(
                TEMPLATE,
                "the default checker template does not fit the theme",
            )
            .with_causes(crate::theme::causes(&error))
        })?;
    // Its macros, if a later version has some, stopped before the stack runs out as the
    // theme's are.
    crate::theme::guard_recursion(&mut tera);
    Ok(Cow::Owned(tera))
}

/// The default strings with the theme's `strings.toml`, if it has one, merged over them.
fn load_strings(root: &Path, config: &Config) -> Result<toml::Table, Diagnostic> {
    let mut strings: toml::Table = DEFAULT_STRINGS.parse().unwrap_or_default();
    let path = config.theme_dir(root).join(STRINGS_FILE);
    if path.is_file() {
        let text = crate::confine::read_text(root, &path, "read the theme's strings")?;
        let theirs: toml::Table = toml::from_str(&text).map_err(|error| {
            crate::diagnostics::toml_error(
                &shown_path(root, &path),
                &text,
                0,
                &error,
                "theme strings",
            )
        })?;
        if let Some(problem) = check_checker_strings(&strings, &text, &shown_path(root, &path)) {
            return Err(problem);
        }
        merge(&mut strings, theirs);
    }
    Ok(strings)
}

/// The placeholders the checker template fills, in some string or other (the strings file's
/// header lists them).
const CHECKER_PLACEHOLDERS: [&str; 6] = ["question", "answer", "answers", "name", "min", "max"];

/// The first problem with a theme's `[checker]` strings (`text`, its strings.toml) against
/// the defaults: a key the checker never reads (a misspelt one would leave the default in
/// place without a word), or a `{placeholder}` nothing fills, which would reach the page as
/// written.
fn check_checker_strings(
    defaults: &toml::Table,
    text: &std::sync::Arc<str>,
    shown: &Path,
) -> Option<Diagnostic> {
    let document = toml::de::DeTable::parse(text).ok()?;
    let theirs = document.get_ref().get("checker")?.get_ref();
    let toml::de::DeValue::Table(theirs) = theirs else {
        return None;
    };
    let defaults = defaults.get("checker")?.as_table()?;
    check_strings_table(defaults, theirs, "checker", text, shown)
}

fn check_strings_table(
    defaults: &toml::Table,
    theirs: &toml::de::DeTable,
    path: &str,
    text: &std::sync::Arc<str>,
    shown: &Path,
) -> Option<Diagnostic> {
    for (key, value) in theirs {
        let name = key.get_ref().as_ref();
        let Some(default) = defaults.get(name) else {
            let help = crate::diagnostics::suggest(name, defaults.keys().map(String::as_str))
                .map(|near| format!("did you mean `{near}`?"))
                .unwrap_or_else(|| format!("the keys of [{path}] are the default theme's"));
            return Some(
                Diagnostic::at(
                    shown,
                    text,
                    key.span(),
                    format!("the checker reads no string `{path}.{name}`"),
                )
                .with_help(help),
            );
        };
        let is_group = default.as_table().is_some_and(|table| {
            toml::Value::Table(table.clone())
                .try_into::<guide_rules::Translatable>()
                .is_err()
        });
        match (value.get_ref(), default) {
            (toml::de::DeValue::Table(inner), toml::Value::Table(default_inner)) if is_group => {
                let inner_path = format!("{path}.{name}");
                // A tense's strings go over the whole of [checker] (`checker_strings`): any
                // key of it may be given there too.
                let mut allowed = default_inner.clone();
                if path == "checker" && matches!(name, "present" | "past") {
                    for (key, value) in defaults {
                        allowed.entry(key.clone()).or_insert_with(|| value.clone());
                    }
                }
                if let Some(problem) =
                    check_strings_table(&allowed, inner, &inner_path, text, shown)
                {
                    return Some(problem);
                }
            }
            _ => {
                let written = &text[value.span()];
                let defaults_text = default.to_string();
                let unknown = placeholders(written).find(|placeholder| {
                    !CHECKER_PLACEHOLDERS.contains(placeholder)
                        && !placeholders(&defaults_text).any(|known| known == *placeholder)
                });
                if let Some(unknown) = unknown {
                    return Some(
                        Diagnostic::at(shown, text, value.span(), format!("`{{{unknown}}}` in `{path}.{name}` is filled by nothing: it would reach the page as written"))
                            .with_help(format!("the checker fills {}", CHECKER_PLACEHOLDERS.map(|known| format!("`{{{known}}}`")).join(", "))),
                    );
                }
            }
        }
    }
    None
}

/// The names of the `{name}` placeholders in `text`.
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.match_indices('{').filter_map(move |(at, _)| {
        let rest = &text[at + 1..];
        let end = rest.find('}')?;
        let name = &rest[..end];
        (!name.is_empty()
            && name
                .bytes()
                .all(|byte| byte.is_ascii_lowercase() || byte == b'_'))
        .then_some(name)
    })
}

fn merge(into: &mut toml::Table, from: toml::Table) {
    for (key, value) in from {
        match (into.get_mut(&key), value) {
            (Some(toml::Value::Table(mine)), toml::Value::Table(theirs)) => merge(mine, theirs),
            (_, value) => {
                into.insert(key, value);
            }
        }
    }
}

/// The `[checker]` strings with those of `tense` merged over them, each in `language`: a
/// string is a [`guide_rules::Translatable`], plain (the default language) or a table by language.
fn checker_strings(strings: &toml::Table, tense: Tense, language: PageLanguage<'_>) -> toml::Table {
    let mut checker = match strings.get("checker") {
        Some(toml::Value::Table(table)) => table.clone(),
        _ => toml::Table::new(),
    };
    if let Some(toml::Value::Table(tensed)) = checker.remove(tense.as_str()) {
        merge(&mut checker, tensed);
    }
    checker.remove(Tense::Present.as_str());
    checker.remove(Tense::Past.as_str());
    in_language(checker, language)
}

/// Each text of `table` in `language`; a table whose keys are not languages, such as
/// `[checker.date_missing]`, is a group of texts, each read the same way.
fn in_language(table: toml::Table, language: PageLanguage<'_>) -> toml::Table {
    table
        .into_iter()
        .map(|(key, value)| match value {
            toml::Value::Table(group) => {
                match toml::Value::Table(group.clone()).try_into::<guide_rules::Translatable>() {
                    Ok(text) => (key, toml::Value::String(language.text(&text).into())),
                    Err(_) => (key, toml::Value::Table(in_language(group, language))),
                }
            }
            value => (key, value),
        })
        .collect()
}

fn question_view<'p>(
    question: &'p Question,
    program: &'p Program,
    facts: &Facts,
    language: PageLanguage<'p>,
) -> QuestionView<'p> {
    let (kind, options, min, max) = match &question.kind {
        QuestionKind::Bool => ("bool", bool_options(&["yes", "no"]), None, None),
        QuestionKind::Choice { choices } => (
            "choice",
            choices
                .iter()
                .map(|choice| OptionView {
                    value: &choice.id,
                    label: Some(language.text(&choice.label)),
                })
                .collect(),
            None,
            None,
        ),
        QuestionKind::Date { .. } => ("date", Vec::new(), None, None),
        QuestionKind::Integer { min, max } => {
            let locale = locale_of(language.code);
            let written = |n: &Option<i32>| n.map(|n| format_integer(n.into(), locale));
            ("integer", Vec::new(), written(min), written(max))
        }
    };
    QuestionView {
        id: &question.id,
        text: language.text(&question.text),
        help: question
            .help
            .as_ref()
            .map(|help| text_html(language.translated(help), facts, language)),
        kind,
        options,
        min,
        max,
        ask_if: question
            .ask_if
            .as_deref()
            .map(|condition| condition_view(condition, program, language)),
        error: question
            .error
            .as_ref()
            .map(|error| message_text(language.translated(error), facts, language)),
        name: question
            .name
            .as_ref()
            .map(|name| message_text(language.translated(name), facts, language)),
        valid_error: question
            .valid_error
            .as_ref()
            .map(|message| message_text(language.translated(message), facts, language)),
        allow_future: matches!(
            question.kind,
            QuestionKind::Date {
                allow_future: true,
                ..
            }
        ),
    }
}

fn bool_options(values: &[&'static str]) -> Vec<OptionView<'static>> {
    values
        .iter()
        .map(|value| OptionView { value, label: None })
        .collect()
}

/// `role == principal`, `role in [spouse, child]`, `has_offer`, `not has_offer` or
/// `has_offer == false` in words; anything else (and, or, other comparisons) has no words.
fn condition_view<'p>(
    condition: &str,
    program: &'p Program,
    language: PageLanguage<'p>,
) -> ConditionView<'p> {
    let unknown = ConditionView {
        question: None,
        answers: Vec::new(),
    };
    let words: Vec<&str> = condition
        .split(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | ','))
        .filter(|word| !word.is_empty())
        .collect();
    let (negated, words) = match words.split_first() {
        Some((&"not", rest)) => (true, rest),
        _ => (false, &words[..]),
    };
    let Some((id, rest)) = words.split_first() else {
        return unknown;
    };
    let Some(question) = program.questions().iter().find(|q| q.id == *id) else {
        return unknown;
    };
    let values: Vec<&str> = match rest {
        [] => vec!["true"],
        ["==", value] => vec![*value],
        ["in", values @ ..] if !values.is_empty() => values.to_vec(),
        _ => return unknown,
    };
    let answers = match &question.kind {
        QuestionKind::Bool => match (negated, values.as_slice()) {
            (false, ["true"]) | (true, ["false"]) => bool_options(&["yes"]),
            (false, ["false"]) | (true, ["true"]) => bool_options(&["no"]),
            _ => return unknown,
        },
        QuestionKind::Choice { choices } if !negated => {
            let labels: Option<Vec<OptionView<'p>>> = values
                .iter()
                .map(|value| {
                    let choice = choices.iter().find(|choice| choice.id == *value)?;
                    Some(OptionView {
                        value: &choice.id,
                        label: Some(language.text(&choice.label)),
                    })
                })
                .collect();
            match labels {
                Some(labels) => labels,
                None => return unknown,
            }
        }
        _ => return unknown,
    };
    ConditionView {
        question: Some(language.text(&question.text)),
        answers,
    }
}

/// The questions an expression names directly, in the rules' order.
fn questions_named<'p>(expression: &str, program: &'p Program) -> Vec<&'p str> {
    let words: Vec<&str> = expression
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .collect();
    program
        .questions()
        .iter()
        .map(|question| question.id.as_str())
        .filter(|id| words.contains(id))
        .collect()
}

/// The facts a rules file's formulas and conditions read, in the order they first appear.
fn facts_read<'f>(program: &Program, facts: &'f Facts) -> Vec<&'f crate::facts::Fact> {
    let expressions = program
        .values()
        .iter()
        .map(|value| value.formula.as_str())
        .chain(program.criteria().iter().map(|c| c.condition.as_str()))
        .chain(program.outcomes().iter().filter_map(|o| o.when.as_deref()));
    let mut read: Vec<&crate::facts::Fact> = Vec::new();
    for expression in expressions {
        let words = expression.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'));
        for name in words.filter_map(|word| word.strip_prefix("facts.")) {
            if let Some(fact) = facts.get(name) {
                if !read.iter().any(|seen| seen.name == fact.name) {
                    read.push(fact);
                }
            }
        }
    }
    read
}

/// A table fact as a page shows it; a row keyed by a choice shows the label of that choice in
/// the first choice question holding every key of the table.
fn table_view<'p>(
    fact: &'p crate::facts::Fact,
    table: &'p guide_rules::Table,
    program: &'p Program,
    language: PageLanguage<'p>,
) -> TableView<'p> {
    let keys: Vec<&str> = table
        .rows
        .iter()
        .filter_map(|row| match &row.key {
            guide_rules::TableKey::Choice(key) => Some(key.as_str()),
            guide_rules::TableKey::Band { .. } => None,
        })
        .collect();
    let choices = program
        .questions()
        .iter()
        .find_map(|question| match &question.kind {
            QuestionKind::Choice { choices }
                if !keys.is_empty()
                    && keys.iter().all(|key| choices.iter().any(|c| c.id == *key)) =>
            {
                Some(choices)
            }
            _ => None,
        });
    let written = |n: i64| format_integer(n, locale_of(language.code));
    TableView {
        caption: fact.label.get_or_default(language.code, language.default),
        key_heading: fact
            .headers
            .get("key")
            .map(|heading| language.text(heading)),
        columns: table
            .columns
            .iter()
            .map(|column| {
                fact.headers
                    .get(column)
                    .map_or(column.as_str(), |heading| language.text(heading))
            })
            .collect(),
        rows: table
            .rows
            .iter()
            .map(|row| {
                let (label, min, max) = match &row.key {
                    guide_rules::TableKey::Choice(key) => {
                        let label = choices
                            .and_then(|choices| choices.iter().find(|c| c.id == *key))
                            .map_or(key.as_str(), |choice| language.text(&choice.label));
                        (Some(label), None, None)
                    }
                    guide_rules::TableKey::Band { min, max } => {
                        (None, min.map(written), max.map(written))
                    }
                };
                TableRowView {
                    label,
                    min,
                    max,
                    cells: row.cells.iter().map(|&cell| written(cell)).collect(),
                }
            })
            .collect(),
    }
}

/// The values `fact` holds on days other than the guide's, each with its first and last day.
fn other_values(fact: &crate::facts::Fact, facts: &Facts, language: &str) -> Vec<OtherValueView> {
    let (_, current) = facts.current(fact);
    let first_day = |change: Option<&crate::facts::FactChange>| change.map(|change| change.from);
    let date = |date: Date| {
        crate::format::format_date(date, crate::format::DateFormat::Long, locale_of(language))
    };
    // Each value lasts until the day before the next one's first day.
    let values: Vec<_> = fact.values_in_order().collect();
    values
        .iter()
        .enumerate()
        .filter(|(_, (_, change))| first_day(*change) != first_day(current))
        .filter_map(|(position, (value, change))| {
            let next = values
                .get(position + 1)
                .and_then(|(_, next)| first_day(*next));
            Some(OtherValueView {
                value: fact.display_value_in(value, None, language).ok()?,
                from: first_day(*change).map(date),
                through: next.map(|next| date(next.add_days(-1))),
                next: next.map(date),
            })
        })
        .collect()
}

fn checker_view<'p>(
    id: &'p str,
    program: &'p Program,
    facts: &'p Facts,
    language: PageLanguage<'p>,
    theme_strings: &'p crate::theme::strings::ThemeStrings,
) -> CheckerView<'p> {
    let text = |text| text_html(language.translated(text), facts, language);
    let plain = |text| text_plain_html(language.translated(text), program, facts, language);
    let read = facts_read(program, facts);
    let tables = read
        .iter()
        .filter_map(|fact| match &fact.value {
            crate::facts::FactValue::Table(table) => {
                Some(table_view(fact, table, program, language))
            }
            _ => None,
        })
        .collect();
    // Amounts matter beside tables only: a checker without tables shows none.
    let amounts = read
        .iter()
        .filter(|_| {
            read.iter()
                .any(|f| matches!(f.value, crate::facts::FactValue::Table(_)))
        })
        .filter(|fact| matches!(fact.value, crate::facts::FactValue::Integer(_)))
        .filter_map(|fact| {
            Some(AmountView {
                label: fact.label.get_or_default(language.code, language.default),
                value: facts.display_in(fact, None, language.code).ok()?,
                others: other_values(fact, facts, language.code),
            })
        })
        .collect();
    CheckerView {
        tables,
        amounts,
        id,
        formats: serde_json::to_string(&ScriptFormats::of(locale_of(language.code)))
            .unwrap_or_default(),
        questions: program
            .questions()
            .iter()
            .map(|question| question_view(question, program, facts, language))
            .collect(),
        outcomes: program
            .outcomes()
            .iter()
            .map(|outcome| OutcomeView {
                id: &outcome.id,
                tone: outcome.tone.as_str(),
                heading: text(&outcome.heading),
                text: text(&outcome.text),
            })
            .collect(),
        criteria: program
            .criteria()
            .iter()
            .map(|criterion| CriterionView {
                id: &criterion.id,
                passed: text(&criterion.passed),
                failed: text(&criterion.failed),
                passed_plain: plain(&criterion.passed),
                failed_plain: plain(&criterion.failed),
                source: criterion_source(criterion, facts).map(|source| {
                    let cited_in = source.cited_language(language.code, language.default);
                    SourceView {
                        title: source.title_in(language.code, language.default),
                        url: Some(source.url_in(language.code, language.default))
                            .filter(|url| crate::urls::site_path(url).is_none())
                            .unwrap_or_default(),
                        lang: (cited_in != language.code).then_some(cited_in),
                        // The theme's words for that language, in the page's: "(en anglais)".
                        in_language: (cited_in != language.code)
                            .then(|| {
                                theme_strings.get(&format!("in_language_{cited_in}"), language.code)
                            })
                            .flatten(),
                    }
                }),
                reads: questions_named(&criterion.condition, program),
            })
            .collect(),
    }
}

/// One checker's HTML, by the theme's template.
fn render_body(
    checker: &Checker,
    facts: &Facts,
    tera: &tera::Tera,
    strings: &toml::Table,
    theme: &Theme,
    language: PageLanguage<'_>,
) -> Result<String, Diagnostic> {
    let mut context = tera::Context::new();
    context.insert(
        "checker",
        &checker_view(
            &checker.id,
            &checker.program,
            facts,
            language,
            &theme.strings,
        ),
    );
    context.insert(
        "s",
        &checker_strings(strings, checker.program.tense(), language),
    );
    tera.render(TEMPLATE, &context)
        .map_err(|error| theme.render_error(&error, TEMPLATE, &checker.file))
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
        let english = PageLanguage {
            code: "en",
            default: "en",
        };
        assert_eq!(
            text_html(&text, &Facts::default(), english),
            "&lt;b&gt;until&lt;/b&gt; <span data-value=\"ends_on\"></span>10,000 &amp; more"
        );
    }

    #[test]
    fn the_script_formats_are_read_off_the_builds_own() {
        let english = ScriptFormats::of(Locale::En);
        assert_eq!(english.date, "{month} {day}, {year}");
        assert_eq!(english.months[0], "January");
        assert_eq!(english.months[11], "December");
        assert!(english.days.is_empty(), "{:?}", english.days);
        assert_eq!((english.group.as_str(), english.group_from), (",", 4));
        assert_eq!(english.minus, "-");
        assert_eq!((english.yes.as_str(), english.no.as_str()), ("yes", "no"));
        // What the script then writes for each date of a year is the build's, byte for byte
        // (tests/it/checkers.rs runs the script itself on every year).
        for days in
            Date::from_ymd(2024, 1, 1).unwrap().days()..Date::from_ymd(2025, 1, 1).unwrap().days()
        {
            let date = Date::from_days(days);
            let (year, month, day) = date.ymd();
            let by_pattern = english
                .date
                .replace("{month}", &english.months[month as usize - 1])
                .replace(
                    "{day}",
                    &english.days.get(&day).cloned().unwrap_or(day.to_string()),
                )
                .replace("{year}", &year.to_string());
            assert_eq!(by_pattern, format_date(date, DateFormat::Long, Locale::En));
        }
    }

    #[test]
    fn checker_strings_are_read_in_the_pages_language() {
        let strings: toml::Table = r#"
            [checker]
            submit = { en = "Show my result", fr = "Afficher mon résultat" }
            plain = "Only one"
            [checker.present]
            met = { en = "You meet", fr = "Vous remplissez" }
        "#
        .parse()
        .unwrap();
        let french = PageLanguage {
            code: "fr",
            default: "en",
        };
        let read = checker_strings(&strings, Tense::Present, french);
        assert_eq!(read["submit"].as_str(), Some("Afficher mon résultat"));
        assert_eq!(read["met"].as_str(), Some("Vous remplissez"));
        // A plain string is the default language's, shown while there is no other.
        assert_eq!(read["plain"].as_str(), Some("Only one"));
    }
}
