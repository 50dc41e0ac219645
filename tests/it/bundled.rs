//! The bundled guide builds, and its pages carry the program facts from the fact files.

use std::path::Path;

fn build() -> (tempfile::TempDir, impl Fn(&str) -> String) {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    let report = guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    assert!(report.pages >= 20, "{}", report.summary());
    assert_eq!(report.checkers, 1);
    let public = out.path().join("public");
    let read = move |path: &str| {
        std::fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    (out, read)
}

fn html_files(dir: &Path) -> Vec<std::path::PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
        .collect()
}

#[test]
fn every_page_of_the_guide_is_built() {
    let (out, read) = build();
    for path in [
        "index.html",
        "stream/index.html",
        "stream/cap/index.html",
        "stream/family/index.html",
        "stream/who-qualified/index.html",
        "check/index.html",
        "timeline/index.html",
        "strategy/index.html",
        "hubs/index.html",
        "routes/express-entry/index.html",
        "misconceptions/index.html",
        "sources/index.html",
        "404.html",
    ] {
        let html = read(path);
        assert!(html.contains("<h1"), "{path} has no heading");
    }
    for file in html_files(&out.path().join("public")) {
        let html = std::fs::read_to_string(&file).unwrap();
        assert!(
            !html.contains("{{") && !html.contains("{%"),
            "{} has template syntax left",
            file.display()
        );
    }
}

#[test]
fn the_stream_pages_state_the_facts_in_human_formats() {
    let (_out, read) = build();
    let cap = read("stream/cap/index.html");
    assert!(cap.contains("10,000 applications"), "cap");
    assert!(
        cap.contains("July 16, 2023") && cap.contains("July 17, 2023"),
        "dates"
    );
    let check = read("check/index.html");
    assert!(check.contains("data-checker=\"h1b\""));
    assert!(
        check.contains("This stream closed on July 17, 2023"),
        "the closed outcome names the date"
    );
}

#[test]
fn generated_pages_come_from_the_facts() {
    let (_out, read) = build();
    let timeline = read("timeline/index.html");
    let announced = timeline
        .find("June 27, 2023")
        .expect("announcement on the timeline");
    let opened = timeline
        .find("July 16, 2023")
        .expect("opening on the timeline");
    let closed = timeline
        .find("July 17, 2023")
        .expect("closing on the timeline");
    assert!(
        announced < opened && opened < closed,
        "timeline in date order"
    );
    let hubs = read("hubs/index.html");
    for city in ["Toronto", "Vancouver", "Montreal", "Waterloo"] {
        assert!(hubs.contains(city), "{city}");
    }
    let strategy = read("strategy/index.html");
    assert!(
        strategy.contains("Start-up Visa") && strategy.contains("Global"),
        "components"
    );
    let sources = read("sources/index.html");
    assert!(sources.contains("canada.ca"), "official sources are listed");
}

/// Each script a page loads for its checker (the module with its ABI, and the page script), by
/// path and gzipped size: what a host that compresses sends.
fn checker_scripts_gzipped(page: &str, read: &dyn Fn(&str) -> Vec<u8>) -> Vec<(String, usize)> {
    use std::io::Write as _;
    let html = String::from_utf8(read(page)).unwrap();
    let folder = page.rsplit_once('/').map_or("", |(folder, _)| folder);
    html.split("<script src=\"")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .filter(|src| src.contains("checker"))
        .map(|src| {
            let mut path: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
            for part in src.split('/') {
                match part {
                    ".." => {
                        path.pop();
                    }
                    "." => {}
                    part => path.push(part),
                }
            }
            let path = path.join("/");
            let mut gzip =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            gzip.write_all(&read(&path)).unwrap();
            (path, gzip.finish().unwrap().len())
        })
        .collect()
}

#[test]
fn the_h1b_checker_page_loads_at_most_four_kilobytes_gzipped_for_its_checker() {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    let public = options.output.clone();
    let read = move |path: &str| {
        std::fs::read(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    let scripts = checker_scripts_gzipped("check/index.html", &read);
    assert_eq!(
        scripts.len(),
        2,
        "the module's script and the page script: {scripts:?}"
    );
    assert!(scripts[0].0.starts_with("checker-h1b.") && scripts[1].0.starts_with("checker."));
    let total: usize = scripts.iter().map(|(_, size)| size).sum();
    assert!(total <= 4096, "{total} B gzipped: {scripts:?}");
}

fn bundled_rules() -> guide_rules::Program {
    let options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    let site = guide::Site::load(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    site.checkers.get("h1b").unwrap().program.clone()
}

#[test]
fn the_bundled_rules_have_an_example_for_every_outcome_and_every_criterion_failing_alone() {
    let program = bundled_rules();
    if let Err(failures) = program.check_examples() {
        let messages: Vec<String> = failures.iter().map(ToString::to_string).collect();
        panic!("{}", messages.join("\n"));
    }
    for outcome in program.outcomes() {
        assert!(
            program
                .examples()
                .iter()
                .any(|example| example.outcome == outcome.id),
            "no example for the outcome `{}`",
            outcome.id
        );
    }
    for criterion in program.criteria() {
        let alone = [criterion.id.clone()];
        assert!(
            program
                .examples()
                .iter()
                .any(|example| example.failed.as_deref() == Some(&alone[..])),
            "no example where only `{}` fails",
            criterion.id
        );
    }
}

#[test]
fn the_bundled_rules_help_every_question_and_make_a_small_valid_module() {
    let program = bundled_rules();
    for question in program.questions() {
        assert!(
            question.help.is_some(),
            "`{}` has no help text",
            question.id
        );
    }
    let bytes = program.emit_wasm();
    guide_rules::validate(&bytes).unwrap();
    assert!(
        bytes.len() < 1200,
        "the module grew to {} bytes",
        bytes.len()
    );
}

/// The bundled guide's whole output, file by file, as a manifest of content hashes kept in
/// `snapshots/`: a change that is meant to leave the output alone (a refactoring, a speed-up)
/// proves it by leaving this snapshot alone, and one that changes pages shows which.
#[test]
fn the_bundled_output_is_the_recorded_one() {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    let manifest: String = crate::common::snapshot(&out.path().join("public"))
        .into_iter()
        .map(|(path, bytes)| {
            let path = path.replace('\\', "/");
            format!(
                "{:016x} {:>7} {path}\n",
                xxhash_rust::xxh3::xxh3_64(&bytes),
                bytes.len()
            )
        })
        .collect();
    insta::assert_snapshot!("bundled_output", manifest);
}
