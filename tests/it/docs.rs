//! The documentation's tutorial (docs/rules.md) is a working checker, so the page cannot drift
//! from the language: every step's file and the whole file build, with their facts, run their
//! worked examples through both engines and raise no warning, and `guide eval` prints what the
//! page says it prints.
//!
//! A step's TOML block holds tables (`[[questions]]`, ...) to add, or to put in place of the
//! earlier table of the same kind and id. The file after step N is the latest version of each
//! table from steps 1 to N, in the order the whole file gives them.

use std::collections::BTreeMap;
use std::path::Path;

use guide::checkers::Checkers;
use guide::facts::Facts;

const DOC: &str = include_str!("../../docs/rules.md");

/// Each `<!-- tutorial: NAME -->` marker's name and the text of the code block after it.
fn tutorial_blocks() -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = DOC.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("<!-- tutorial: ")
            .and_then(|rest| rest.strip_suffix(" -->"))
        else {
            continue;
        };
        let fence = lines.next().unwrap_or_default();
        assert!(fence.starts_with("```"), "no code block after {line}");
        let body: Vec<&str> = lines.by_ref().take_while(|line| *line != "```").collect();
        blocks.push((name.to_string(), body.join("\n") + "\n"));
    }
    blocks
}

fn block<'b>(blocks: &'b [(String, String)], name: &str) -> &'b str {
    blocks
        .iter()
        .find(|(found, _)| found == name)
        .map(|(_, text)| text.as_str())
        .unwrap_or_else(|| panic!("docs/rules.md has no tutorial block `{name}`"))
}

/// A table of a rules file: its header and id (`[[outcomes]] can_apply`), and its text.
fn tables(toml: &str) -> Vec<(String, String)> {
    let mut tables: Vec<(String, String)> = Vec::new();
    for line in toml.lines() {
        if line.starts_with("[[") {
            tables.push((line.to_string(), String::new()));
        }
        let Some((key, text)) = tables.last_mut() else {
            assert!(
                line.trim().is_empty(),
                "text before the first table: {line}"
            );
            continue;
        };
        if let Some(id) = line.strip_prefix("id = ") {
            if !key.contains(' ') {
                key.push(' ');
                key.push_str(id);
            }
        }
        text.push_str(line);
        text.push('\n');
    }
    for (_, text) in &mut tables {
        *text = text.trim_end().to_string() + "\n";
    }
    tables
}

fn site_with(root: &Path, blocks: &[(String, String)], rules: &str) {
    for path in ["content/facts/sources.toml", "content/facts/garden.toml"] {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, block(blocks, path)).unwrap();
    }
    let file = root.join("content/rules/garden.toml");
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::write(file, rules).unwrap();
}

/// Loads the facts and the rules as a build does: checked, examples run through both engines.
fn load(root: &Path, what: &str, rules: &str) -> Checkers {
    let facts = Facts::load(root).unwrap_or_else(|e| panic!("{what}: {}", e.render()));
    let checkers = Checkers::load(root, &facts)
        .unwrap_or_else(|e| panic!("{what} does not build:\n{rules}\n{}", e.render()));
    let warnings: Vec<String> = checkers.warnings().map(|w| w.render()).collect();
    assert!(warnings.is_empty(), "{what}:\n{}", warnings.join(""));
    checkers
}

#[test]
fn every_step_of_the_tutorial_and_the_whole_file_build_without_warnings() {
    let blocks = tutorial_blocks();
    let whole = block(&blocks, "content/rules/garden.toml");
    let whole_tables = tables(whole);
    let position = |key: &str| {
        whole_tables
            .iter()
            .position(|(found, _)| found == key)
            .unwrap_or_else(|| panic!("the whole file has no {key}, which a step writes"))
    };
    let steps: Vec<&str> = (1..)
        .map_while(|step| {
            let name = format!("step {step}");
            blocks
                .iter()
                .find(|(found, _)| *found == name)
                .map(|(_, text)| text.as_str())
        })
        .collect();
    assert!(steps.len() >= 5, "the tutorial has {} steps", steps.len());

    let root = tempfile::tempdir().unwrap();
    // The latest version of each table, by its place in the whole file.
    let mut so_far: BTreeMap<usize, (String, String)> = BTreeMap::new();
    for (index, step) in steps.iter().enumerate() {
        for (key, text) in tables(step) {
            so_far.insert(position(&key), (key, text));
        }
        let rules: String = so_far
            .values()
            .map(|(_, text)| text.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        site_with(root.path(), &blocks, &rules);
        let what = format!("step {} of the tutorial", index + 1);
        let checkers = load(root.path(), &what, &rules);
        let checker = checkers.get("garden").unwrap();
        assert!(!checker.program.outcomes().is_empty(), "{what}");
    }
    // The steps, put together, are the whole file: no table the steps leave out or word apart.
    let assembled: Vec<(String, String)> = so_far.into_values().collect();
    assert_eq!(
        assembled, whole_tables,
        "the steps and the whole file differ"
    );

    site_with(root.path(), &blocks, whole);
    let checkers = load(root.path(), "the whole file", whole);
    let program = &checkers.get("garden").unwrap().program;
    // One example for each outcome, and one where each criterion fails alone.
    for outcome in program.outcomes() {
        assert!(
            program.examples().iter().any(|e| e.outcome == outcome.id),
            "no example for `{}`",
            outcome.id
        );
    }
    for criterion in program.criteria() {
        let alone = [criterion.id.clone()];
        assert!(
            program
                .examples()
                .iter()
                .any(|e| e.failed.as_deref() == Some(&alone[..])),
            "no example where only `{}` fails",
            criterion.id
        );
    }
}

#[test]
fn the_tutorials_eval_prints_what_the_page_says() {
    let blocks = tutorial_blocks();
    let root = tempfile::tempdir().unwrap();
    site_with(
        root.path(),
        &blocks,
        block(&blocks, "content/rules/garden.toml"),
    );
    let evaluated = guide::eval::evaluate(root.path(), "garden", block(&blocks, "eval answers"))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(evaluated.warnings.is_empty(), "{:?}", evaluated.warnings);
    let expected: serde_json::Value = serde_json::from_str(block(&blocks, "eval result")).unwrap();
    assert_eq!(evaluated.result, expected);
}

#[test]
fn the_readme_lists_every_unit_a_fact_may_carry() {
    let readme = include_str!("../../README.md");
    let table = readme
        .split("**Units.**")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").nth(1))
        .expect("README.md has a units table after **Units.**");
    for unit in guide::format::unit_names() {
        assert!(
            table.contains(&format!("`{unit}`")),
            "README.md's units table leaves out `{unit}`:\n{table}"
        );
    }
}

/// README's set-up names the oldest Rust that builds the guide, the one `Cargo.toml` declares,
/// so a reader with an older compiler learns it before a long first build, not from its end.
#[test]
fn the_readme_names_the_rust_version_cargo_declares() {
    let manifest = include_str!("../../Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("Cargo.toml declares a rust-version");
    let readme = include_str!("../../README.md");
    let set_up = &readme[readme.find("## Set up").unwrap()..];
    let set_up = &set_up[..set_up[3..].find("\n## ").unwrap()];
    assert!(
        set_up.contains(&format!("Rust {version} or newer")),
        "{set_up}"
    );
}
