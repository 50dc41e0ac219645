//! Problems that point at their input, shared by the site generator and the rules compiler.
//!
//! A [`Diagnostic`] is an error or a warning about a file: a message, a primary span in the
//! file's text (optional: some problems concern a whole file), further labelled spans in the
//! same file or in others, causes, notes and a hint. Rendering follows cargo's layout
//! (`file:line:col` and a snippet with carets) through `codespan-reporting`, without colour.
//!
//! A label in another file is a full [`Label`] with its own path and text, so a problem that
//! involves two files (two pages writing the same output, say) shows a snippet of each, under
//! its own `file:line:col` header.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label as ReportLabel};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::{self, termcolor::NoColor, Chars, Config};

/// How bad a problem is: errors fail a command, warnings only inform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root where possible). Empty until the
    /// caller names the file, as for the rules compiler, which reads no files itself.
    pub path: PathBuf,
    /// The file's text, when the problem has a position in it.
    pub text: Option<Arc<str>>,
    /// The primary span, in bytes of `text`.
    pub span: Option<Range<usize>>,
    /// Said under the primary span's carets; without it the carets stand alone.
    pub label: Option<String>,
    /// Further places the problem involves, in this file or in others.
    pub labels: Vec<Label>,
    pub message: String,
    pub help: Option<String>,
    /// Further causes, outermost first (template errors carry a chain).
    pub causes: Vec<String>,
    pub notes: Vec<String>,
}

/// A secondary place: a span of a file's text and what to say about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub span: Range<usize>,
    pub message: Option<String>,
}

impl Diagnostic {
    /// An error about `path` as a whole.
    pub fn new(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            text: None,
            span: None,
            label: None,
            labels: Vec::new(),
            message: message.into(),
            help: None,
            causes: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// A warning about `path` as a whole.
    pub fn warning(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::new(path, message).with_severity(Severity::Warning)
    }

    /// An error at `span` (byte offsets, clamped to the text) of `text`, the contents of `path`.
    pub fn at(
        path: impl Into<PathBuf>,
        text: &Arc<str>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            text: Some(text.clone()),
            span: Some(clamp(span, text)),
            ..Diagnostic::new(path, message)
        }
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Names the file, for a diagnostic made by code that knows only the text.
    pub fn with_path(mut self, path: impl Into<PathBuf>) -> Self {
        self.path = path.into();
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_causes(mut self, causes: Vec<String>) -> Self {
        self.causes = causes;
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }

    /// Words under the primary span's carets.
    pub fn with_primary_label(mut self, message: impl Into<String>) -> Self {
        self.label = Some(message.into());
        self
    }

    /// A further span of this diagnostic's own text; an empty message shows the carets alone.
    /// A diagnostic without text has nothing to point into: the message becomes a note.
    pub fn with_label(self, span: Range<usize>, message: impl Into<String>) -> Self {
        match self.text.clone() {
            Some(text) => {
                let path = self.path.clone();
                self.with_label_in(path, &text, span, message)
            }
            None => {
                let note = message.into();
                if note.is_empty() {
                    self
                } else {
                    self.with_note(note)
                }
            }
        }
    }

    /// A further span in another file, shown under that file's own `file:line:col`.
    pub fn with_label_in(
        mut self,
        path: impl Into<PathBuf>,
        text: &Arc<str>,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let message = message.into();
        self.labels.push(Label {
            path: path.into(),
            text: text.clone(),
            span: clamp(span, text),
            message: (!message.is_empty()).then_some(message),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// 1-based line and column (in characters) of the start of the primary span.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        let (text, span) = (self.text.as_deref()?, self.span.as_ref()?);
        Some(line_column(text, span.start))
    }

    /// `path:line:col`, the path alone when there is no position, `line:col` when there is no
    /// path yet.
    pub fn location(&self) -> String {
        located(&self.path, self.line_column())
    }

    /// Cargo-style rendering, without colour.
    pub fn render(&self) -> String {
        self.render_snippets()
            .unwrap_or_else(|| self.render_plain())
    }

    /// The snippet form, when the primary span has text to show.
    fn render_snippets(&self) -> Option<String> {
        let (text, span) = (self.text.as_ref()?, self.span.as_ref()?);
        // A snippet shows whole lines: one of a hundred kilobytes (a generated or minified
        // file) would bury the message, so such a diagnostic gives its place without one.
        let places = std::iter::once((text, span))
            .chain(self.labels.iter().map(|label| (&label.text, &label.span)));
        for (text, span) in places {
            if longest_line(text, span) > MAX_SNIPPET_LINE {
                return None;
            }
        }
        let mut files = IndexedFiles::default();
        let own = files.add(self.path.display().to_string(), text.clone());
        let mut others: Vec<(&Path, usize)> = Vec::new();
        let mut primary = ReportLabel::primary(own, span.clone());
        if let Some(label) = &self.label {
            primary = primary.with_message(label);
        }
        let mut labels = vec![primary];
        for label in &self.labels {
            let file = if label.path == self.path && label.text == *text {
                own
            } else if let Some(&(_, id)) = others.iter().find(|(path, _)| *path == label.path) {
                id
            } else {
                let id = files.add(label.path.display().to_string(), label.text.clone());
                others.push((&label.path, id));
                id
            };
            let mut secondary = ReportLabel::secondary(file, label.span.clone());
            if let Some(message) = &label.message {
                secondary = secondary.with_message(message);
            }
            labels.push(secondary);
        }
        let report = match self.severity {
            Severity::Error => Report::error(),
            Severity::Warning => Report::warning(),
        }
        .with_message(&self.message)
        .with_labels(labels)
        .with_notes(self.note_lines());
        let config = Config {
            chars: Chars::ascii(),
            ..Config::default()
        };
        let mut writer = NoColor::new(Vec::new());
        term::emit(&mut writer, &config, &files, &report).ok()?;
        Some(String::from_utf8_lossy(&writer.into_inner()).into_owned())
    }

    /// The form without a snippet: a header, the location, then every note. Labels, which
    /// have nowhere to be drawn, become notes with their own locations.
    fn render_plain(&self) -> String {
        let mut out = format!(
            "{}: {}\n  --> {}\n",
            self.severity,
            self.message,
            self.location()
        );
        for label in &self.labels {
            let place = located(
                &label.path,
                Some(line_column(&label.text, label.span.start)),
            );
            let line = match &label.message {
                Some(message) => format!("  = note: {place}: {message}\n"),
                None => format!("  = note: see {place}\n"),
            };
            out.push_str(&line);
        }
        for line in self.note_lines() {
            out.push_str(&format!("  = {line}\n"));
        }
        out
    }

    /// Causes, notes and help, in the order they are read: why, what else, what to do.
    fn note_lines(&self) -> Vec<String> {
        let causes = self
            .causes
            .iter()
            .map(|cause| format!("caused by: {cause}"));
        let notes = self.notes.iter().map(|note| format!("note: {note}"));
        let help = self.help.iter().map(|help| format!("help: {help}"));
        causes.chain(notes).chain(help).collect()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

fn located(path: &Path, position: Option<(usize, usize)>) -> String {
    match (path.as_os_str().is_empty(), position) {
        (false, Some((line, column))) => format!("{}:{line}:{column}", path.display()),
        (true, Some((line, column))) => format!("{line}:{column}"),
        (_, None) => path.display().to_string(),
    }
}

fn clamp(span: Range<usize>, text: &str) -> Range<usize> {
    let end = span.end.min(text.len());
    let start = span.start.min(end);
    start..end
}

/// 1-based line and column (in characters) of a byte offset; an offset past the end or inside
/// a character counts from the character's start.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Edits between two names, in characters: insertions, deletions, substitutions, and swaps of
/// neighbouring characters (the common typo `aplpied_on`) counted as one.
pub fn edit_distance(left: &str, right: &str) -> usize {
    strsim::osa_distance(left, right)
}

/// The candidate nearest to `name`, if it is near enough to be a likely typo: at most one edit
/// in three characters of the longer name, and always two.
pub fn suggest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(name, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= typo_limit(name, candidate))
        .min()
        .map(|(_, candidate)| candidate)
}

fn typo_limit(name: &str, candidate: &str) -> usize {
    let longer = name.chars().count().max(candidate.chars().count());
    (longer / 3).max(2)
}

/// "did you mean `candidate`?" for the nearest candidate, if any is near enough.
pub fn did_you_mean<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
) -> Option<String> {
    suggest(name, candidates).map(|candidate| format!("did you mean `{candidate}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_too_long_to_show_gives_the_place_without_a_snippet() {
        let long = format!("a = \"{}\"\nb = 1\n", "x".repeat(100_000));
        let at = long.len() - 2;
        let shown = Diagnostic::at("f.toml", &text(&long), at..at + 1, "bad b").render();
        assert!(
            shown.contains("bad b") && shown.contains("f.toml:2:5"),
            "{shown}"
        );
        assert!(shown.contains("^"), "its own short line is shown: {shown}");
        let shown = Diagnostic::at("f.toml", &text(&long), 5..6, "bad a").render();
        assert!(shown.len() < 500, "{} bytes", shown.len());
        assert!(
            shown.contains("bad a") && shown.contains("f.toml:1:6"),
            "{shown}"
        );
    }

    #[test]
    fn indexed_files_place_lines_as_codespans_own_files_do() {
        use codespan_reporting::files::SimpleFile;
        for text in ["", "one", "one\n", "one\ntwo\n\nfour", "\n\n", "é\nà\r\nü"] {
            let own = SimpleFile::new("f", text);
            let mut indexed = IndexedFiles::default();
            let id = indexed.add("f".to_string(), Arc::from(text));
            for byte in 0..=text.len() {
                assert_eq!(
                    indexed.line_index(id, byte).unwrap(),
                    own.line_index((), byte).unwrap(),
                    "{text:?} at {byte}"
                );
            }
            let lines = own.line_index((), text.len()).unwrap() + 1;
            for line in 0..=lines {
                assert_eq!(
                    indexed.line_range(id, line).ok(),
                    own.line_range((), line).ok(),
                    "{text:?} line {line}"
                );
            }
        }
    }

    fn text(contents: &str) -> Arc<str> {
        Arc::from(contents)
    }

    #[test]
    fn line_column_counts_characters_from_one() {
        let text = "first\nsé cond\nthird";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, text.find("cond").unwrap()), (2, 4));
    }

    #[test]
    fn line_and_column_are_one_based_and_count_characters() {
        let source = "a = 1\nbé = \"x\"\n";
        assert_eq!(line_column(source, 0), (1, 1));
        assert_eq!(line_column(source, 4), (1, 5));
        assert_eq!(line_column(source, 6), (2, 1));
        let quote = source.find('"').unwrap();
        assert_eq!(line_column(source, quote), (2, 6));
        assert_eq!(line_column(source, 1000), (3, 1));
    }

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("visa_valid", "visa_valid"), 0);
        assert_eq!(edit_distance("visa_vaild", "visa_valid"), 1);
        assert_eq!(edit_distance("mni", "min"), 1);
        assert_eq!(edit_distance("role", "roles"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn suggestions_allow_one_edit_in_three_characters_and_always_two() {
        assert_eq!(suggest("ab", ["xy"]), Some("xy"));
        assert_eq!(suggest("abc", ["xyz"]), None);
        assert_eq!(
            suggest("h1b.cpa", ["h1b.cap", "h1b.closed_on"]),
            Some("h1b.cap")
        );
        // Nine characters allow three edits, not four.
        assert_eq!(suggest("abcdefghi", ["abcdefxyz"]), Some("abcdefxyz"));
        assert_eq!(suggest("abcdefghi", ["abcdewxyz"]), None);
        assert_eq!(
            did_you_mean("pgae.html", ["page.html", "section.html"]),
            Some("did you mean `page.html`?".to_string())
        );
    }

    #[test]
    fn a_warning_renders_with_its_own_severity() {
        let source = text("title = \"\"\n");
        let warning = Diagnostic::at("p.md", &source, 8..10, "empty title")
            .with_severity(Severity::Warning)
            .with_help("add one");
        assert!(!warning.is_error());
        assert_eq!(
            warning.render(),
            "warning: empty title\n  --> p.md:1:9\n  |\n1 | title = \"\"\n  |         ^^\n  |\n  = help: add one\n\n"
        );
        let whole_file = Diagnostic::warning("facts/prog.toml", "no facts");
        assert_eq!(
            whole_file.render(),
            "warning: no facts\n  --> facts/prog.toml\n"
        );
    }

    #[test]
    fn two_labels_in_one_file_share_a_snippet() {
        let source = text("id = \"x\"\nn = 1\nid = \"x\"\n");
        let second = source.rfind("\"x\"").unwrap();
        let diagnostic = Diagnostic::at(
            "r.toml",
            &source,
            second..second + 3,
            "`x` is declared twice",
        )
        .with_primary_label("declared again")
        .with_label(5..8, "first declared here");
        assert_eq!(
            diagnostic.render(),
            "error: `x` is declared twice\n  --> r.toml:3:6\n  |\n1 | id = \"x\"\n  |      --- first declared here\n2 | n = 1\n3 | id = \"x\"\n  |      ^^^ declared again\n\n"
        );
    }

    #[test]
    fn a_label_in_another_file_shows_that_file() {
        let first = text("+++\ntitle = \"A\"\nslug = \"same\"\n+++\n");
        let second = text("+++\ntitle = \"B\"\nslug = \"same\"\n+++\n");
        let slug = first.find("\"same\"").unwrap();
        let diagnostic = Diagnostic::at(
            "content/b.md",
            &second,
            slug..slug + 6,
            "two pages have the URL `/same/`",
        )
        .with_label_in("content/a.md", &first, slug..slug + 6, "the other page")
        .with_help("give one of them another `slug`");
        assert_eq!(
            diagnostic.render(),
            "error: two pages have the URL `/same/`\n  --> content/b.md:3:8\n  |\n3 | slug = \"same\"\n  |        ^^^^^^\n  |\n  --> content/a.md:3:8\n  |\n3 | slug = \"same\"\n  |        ------ the other page\n  |\n  = help: give one of them another `slug`\n\n"
        );
    }

    #[test]
    fn labels_without_a_snippet_become_notes() {
        let other = text("a\nb\n");
        let diagnostic = Diagnostic::new("content/b.md", "two pages have the URL `/b/`")
            .with_label_in("content/a.md", &other, 2..3, "the other page")
            .with_label(0..1, "nowhere to point");
        assert_eq!(
            diagnostic.render(),
            "error: two pages have the URL `/b/`\n  --> content/b.md\n  = note: content/a.md:2:1: the other page\n  = note: nowhere to point\n"
        );
    }

    #[test]
    fn an_error_with_notes_lists_causes_then_notes_then_help() {
        let source = text("{{ x }}\n");
        let diagnostic = Diagnostic::at("t.html", &source, 3..4, "`x` is not defined")
            .with_causes(vec!["while rendering".into()])
            .with_note("templates see `page`, `site` and `facts`")
            .with_help("define `x`");
        assert_eq!(
            diagnostic.render(),
            "error: `x` is not defined\n  --> t.html:1:4\n  |\n1 | {{ x }}\n  |    ^\n  |\n  = caused by: while rendering\n  = note: templates see `page`, `site` and `facts`\n  = help: define `x`\n\n"
        );
        let plain = Diagnostic::new("t.html", "gone").with_note("a note");
        assert_eq!(
            plain.render(),
            "error: gone\n  --> t.html\n  = note: a note\n"
        );
    }

    #[test]
    fn location_and_display_name_the_file_when_there_is_one() {
        let source = text("a\nbc\n");
        let unnamed = Diagnostic::at("", &source, 3..4, "odd");
        assert_eq!(unnamed.location(), "2:2");
        assert_eq!(unnamed.to_string(), "2:2: odd");
        assert_eq!(unnamed.with_path("x.toml").to_string(), "x.toml:2:2: odd");
        assert_eq!(Diagnostic::new("x.toml", "odd").to_string(), "x.toml: odd");
    }
}

/// The longest line a snippet shows, in bytes.
const MAX_SNIPPET_LINE: usize = 2_000;

/// The length of the longest line `span` of `text` touches.
fn longest_line(text: &str, span: &Range<usize>) -> usize {
    let start = span.start.min(text.len());
    let end = span.end.clamp(start, text.len());
    let line_start = text[..start].rfind('\n').map_or(0, |at| at + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |at| end + at);
    text[line_start..line_end]
        .split('\n')
        .map(str::len)
        .max()
        .unwrap_or(0)
}

/// The files a rendered diagnostic shows, each with where its lines start. Those are worked out
/// once per text and kept (a build's thousand errors in one long file would otherwise each
/// scan it from the start), as codespan's `SimpleFiles` does for every file it is given.
#[derive(Default)]
struct IndexedFiles {
    files: Vec<IndexedFile>,
}

/// A file's name, text, and the byte at which each of its lines starts.
type IndexedFile = (String, Arc<str>, Arc<[usize]>);

/// A text and where its lines start.
type Indexed = (Arc<str>, Arc<[usize]>);

impl IndexedFiles {
    fn add(&mut self, name: String, text: Arc<str>) -> usize {
        let starts = line_starts(&text);
        self.files.push((name, text, starts));
        self.files.len() - 1
    }

    fn get(&self, id: usize) -> Result<&IndexedFile, FilesError> {
        self.files.get(id).ok_or(FilesError::FileMissing)
    }
}

/// Where each line of `text` starts, from a cache of the texts last rendered (the same `Arc`).
fn line_starts(text: &Arc<str>) -> Arc<[usize]> {
    use std::sync::{Mutex, OnceLock};
    // A few files at a time: errors come a file at a time, and a text held here stays alive.
    const KEPT: usize = 8;
    static CACHE: OnceLock<Mutex<Vec<Indexed>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let mut cache = cache
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(position) = cache.iter().position(|(kept, _)| Arc::ptr_eq(kept, text)) {
        let found = cache.remove(position);
        let starts = found.1.clone();
        cache.insert(0, found);
        return starts;
    }
    let starts: Arc<[usize]> = std::iter::once(0)
        .chain(memchr_newlines(text).map(|at| at + 1))
        .collect();
    cache.insert(0, (text.clone(), starts.clone()));
    cache.truncate(KEPT);
    starts
}

fn memchr_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|(_, byte)| *byte == b'\n')
        .map(|(at, _)| at)
}

impl<'a> Files<'a> for IndexedFiles {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.get(id)?.0)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        Ok(&self.get(id)?.1)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let starts = &self.get(id)?.2;
        Ok(starts
            .binary_search(&byte_index)
            .unwrap_or_else(|next| next - 1))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let (_, text, starts) = self.get(id)?;
        let line_start = |index: usize| -> Result<usize, FilesError> {
            match index.cmp(&starts.len()) {
                std::cmp::Ordering::Less => Ok(starts[index]),
                std::cmp::Ordering::Equal => Ok(text.len()),
                std::cmp::Ordering::Greater => Err(FilesError::LineTooLarge {
                    given: index,
                    max: starts.len() - 1,
                }),
            }
        };
        Ok(line_start(line_index)?..line_start(line_index + 1)?)
    }
}
