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

#[test]
fn the_checker_stays_within_its_four_kilobyte_budget() {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    let site = guide::Site::load(&options).unwrap();
    let checker = site.checkers.get("h1b").unwrap();
    let (_, script) = site.checkers.script_sizes(checker, &site.assets);
    assert!(script > 0 && checker.module_size > 0);
    assert!(
        checker.module_size + script < 4096,
        "module {} B + script {script} B",
        checker.module_size
    );
    let report = guide::build(&options).unwrap();
    let line = &report.checker_sizes[0];
    assert!(
        line.starts_with(&format!("checker h1b: module {} B", checker.module_size)),
        "{line}"
    );
}
