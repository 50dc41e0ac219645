//! Pages' front matter, random and mutated, through the page reader: each page is read or
//! refused with diagnostics that point inside the page and render. Nothing panics, aborts or
//! hangs, on the test harness's 2 MiB threads, however deep the TOML nests.

use std::cell::Cell;
use std::path::Path;

use guide::content::read_page;
use guide::Diagnostic;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

/// Cases per strategy; each test stays within seconds in a debug build.
const CASES: u32 = 1_500;

const PAGE: &str = include_str!("../fixtures/basic/content/stream/cap.md");

fn assert_well_placed(text: &str, diagnostic: &Diagnostic) {
    if let Some(span) = &diagnostic.span {
        assert!(
            span.start <= span.end && span.end <= text.len(),
            "{span:?} lies outside a page of {} bytes: {}",
            text.len(),
            diagnostic.message
        );
        assert!(
            text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
            "{span:?} splits a character: {}",
            diagnostic.message
        );
        assert!(diagnostic.line_column().is_some());
    }
    assert!(!diagnostic.message.is_empty());
    let rendered = diagnostic.render();
    assert!(rendered.contains(&diagnostic.message), "{rendered}");
}

/// Writes each page from `strategy` to `content/page.md` under `root` and reads it back;
/// returns how many pages ran and how many were read.
fn run(root: &Path, strategy: impl Strategy<Value = String>) -> (u32, u32) {
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        failure_persistence: None,
        ..Config::default()
    });
    let ran = Cell::new(0);
    let read = Cell::new(0);
    let file = root.join("content/page.md");
    runner
        .run(&strategy, |text| {
            ran.set(ran.get() + 1);
            std::fs::write(&file, &text).expect("the page is written");
            match read_page(root, "page.md", &Default::default()) {
                Ok(page) => {
                    assert!(page.body_start <= page.text().len());
                    read.set(read.get() + 1);
                }
                Err(diagnostics) => {
                    assert!(!diagnostics.0.is_empty());
                    for diagnostic in &diagnostics.0 {
                        assert_well_placed(&text, diagnostic);
                    }
                }
            }
            Ok(())
        })
        .unwrap_or_else(|failure| panic!("{failure}"));
    (ran.get(), read.get())
}

fn site() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("a temporary folder");
    std::fs::create_dir_all(root.path().join("content")).unwrap();
    root
}

/// Pieces of front matter, right and wrong.
const PIECES: &[&str] = &[
    "+++",
    "+++\n",
    "\n",
    "\r\n",
    "\u{feff}",
    "title",
    "description",
    "date",
    "updated",
    "weight",
    "draft",
    "slug",
    "template",
    "update",
    "extra",
    "extra.toc",
    "unknown",
    " = ",
    "=",
    "\"",
    "'",
    "'''",
    "\"\"\"",
    "\\",
    "\\u00e9",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    ",",
    ".",
    "#",
    "true",
    "false",
    "10",
    "-1",
    "1e400",
    "99999999999999999999",
    "2023-07-16",
    "2023-02-30",
    "2023-07-16T10:00:00Z",
    "é",
    "\u{0}",
    "\t",
    "x",
];

/// Pieces joined, with a run of one repeated; sometimes thousands of nested arrays or
/// tables.
fn front_matter() -> impl Strategy<Value = String> {
    let pieces = proptest::collection::vec(proptest::sample::select(PIECES), 0..30)
        .prop_map(|pieces| pieces.concat());
    let nesting = proptest::sample::select(&[("[", "]"), ("{ a = ", " }"), ("[{ a = ", " }]")][..]);
    let levels = prop_oneof![0..3usize, 100..200usize, 0..5_000usize];
    (pieces, nesting, levels, any::<bool>()).prop_map(|(pieces, (open, close), levels, nest)| {
        if nest {
            format!(
                "+++\ntitle = \"T\"\nextra.deep = {}1{}\n{pieces}\n+++\nBody.\n",
                open.repeat(levels),
                close.repeat(levels)
            )
        } else {
            format!("+++\n{pieces}\n+++\nBody.\n")
        }
    })
}

#[test]
fn random_front_matter_is_read_or_refused_in_place() {
    let root = site();
    let (ran, read) = run(root.path(), front_matter());
    eprintln!("{ran} random pages: {read} read, the rest refused in place");
    assert_eq!(ran, CASES);
}

/// The nearest character boundary at or before `at` (taken modulo the length).
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

#[test]
fn mutated_pages_are_read_or_refused_in_place() {
    let edit = (
        any::<proptest::sample::Index>(),
        0..20usize,
        prop_oneof![
            proptest::sample::select(PIECES).prop_map(str::to_string),
            any::<char>().prop_map(String::from),
        ],
    );
    let pages = proptest::collection::vec(edit, 1..6).prop_map(|edits| {
        let mut text = PAGE.to_string();
        for (at, cut, insert) in edits {
            let start = boundary(&text, at.index(usize::MAX));
            let end = boundary(&text, (start + cut).min(text.len()));
            text.replace_range(start..end, &insert);
        }
        text
    });
    let root = site();
    let (ran, read) = run(root.path(), pages);
    eprintln!("{ran} mutated pages: {read} read, the rest refused in place");
    assert_eq!(ran, CASES);
}
