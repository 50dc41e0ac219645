//! `guide init`, the theme built into the binary, a site's own `templates/` over its theme's,
//! and `guide init --eject-theme`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{copy_tree, snapshot};

const GUIDE: &str = env!("CARGO_BIN_EXE_guide");
/// The day the tests' guides are made and checked on.
const TODAY: &str = "2026-12-04";

fn guide(args: &[&str]) -> Output {
    Command::new(GUIDE).args(args).output().expect("guide runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `guide init` into `dir`, which must succeed.
fn init(dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["init", dir.to_str().unwrap(), "--today", TODAY];
    args.extend(extra);
    let run = guide(&args);
    assert!(run.status.success(), "{}", text(&run.stderr));
    run
}

/// A new guide in a temporary folder: (the folder holding it, the guide's folder).
fn new_guide() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("my-guide");
    init(&site, &[]);
    (temp, site)
}

/// Builds `site` into `output`, returning every output file with its bytes.
fn build(site: &Path, output: &Path) -> Vec<(String, Vec<u8>)> {
    let run = guide(&[
        "--root",
        site.to_str().unwrap(),
        "build",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    snapshot(output)
}

fn build_error(site: &Path) -> String {
    let output = site.with_extension("out");
    let run = guide(&[
        "--root",
        site.to_str().unwrap(),
        "build",
        "--output",
        output.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(1), "the build should fail");
    text(&run.stderr)
}

fn repo_theme() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default")
}

#[test]
fn a_new_guide_builds_and_passes_its_check_with_no_warnings() {
    let temp = tempfile::tempdir().unwrap();
    let site = temp.path().join("my-guide");
    let run = init(
        &site,
        &["--title", "A \"quoted\" guide", "--language", "fr"],
    );
    let stdout = text(&run.stdout);
    for written in [
        "site.toml",
        "content/_index.md",
        "content/program/_index.md",
        "content/program/who-can-apply.md",
        "content/facts/program.toml",
        "content/facts/sources.toml",
        "content/rules/eligibility.toml",
        "content/check.md",
        "content/sources.md",
    ] {
        assert!(site.join(written).is_file(), "{written}");
        assert!(stdout.contains(&format!("  {written}\n")), "{stdout}");
    }
    assert!(stdout.contains("guide serve"), "{stdout}");
    assert!(
        stdout.contains(&format!("cd {}", site.display())),
        "{stdout}"
    );
    // The facts are dated the day the guide was made.
    let facts = fs::read_to_string(site.join("content/facts/program.toml")).unwrap();
    assert!(facts.contains(&format!("verified = {TODAY}\n")), "{facts}");

    let files = build(&site, &temp.path().join("public"));
    let home = files
        .iter()
        .find(|(path, _)| path == "index.html")
        .map(|(_, bytes)| text(bytes))
        .unwrap();
    assert!(home.contains("<html lang=\"fr\">"), "{home}");
    assert!(
        home.contains("<h1>A &quot;quoted&quot; guide</h1>"),
        "{home}"
    );
    assert!(files.iter().any(|(path, _)| path == "check/index.html"));

    let check = guide(&["--root", site.to_str().unwrap(), "check", "--today", TODAY]);
    let (stdout, stderr) = (text(&check.stdout), text(&check.stderr));
    assert_eq!(check.status.code(), Some(0), "{stderr}");
    assert!(
        stdout.ends_with("0 errors, 0 warnings: check passed\n"),
        "{stdout}"
    );
    assert!(!stderr.contains("warning"), "{stderr}");

    // A year on, its one fact is due to be checked again: the date is the one written.
    let later = guide(&[
        "--root",
        site.to_str().unwrap(),
        "check",
        "--today",
        "2027-12-06",
    ]);
    assert!(text(&later.stderr).contains("fact `program.minimum_age` was last verified"));
}

#[test]
fn the_new_guides_checker_gives_its_worked_examples_results() {
    let (_temp, site) = new_guide();
    for (answers, outcome) in [
        (r#"{"age": 30, "resident": true}"#, "eligible"),
        (r#"{"age": 17, "resident": true}"#, "not_eligible"),
    ] {
        let answers_file = site.join("answers.json");
        fs::write(&answers_file, answers).unwrap();
        let run = guide(&[
            "--root",
            site.to_str().unwrap(),
            "eval",
            "eligibility",
            "--answers",
            answers_file.to_str().unwrap(),
        ]);
        assert!(run.status.success(), "{}", text(&run.stderr));
        let result: serde_json::Value = serde_json::from_slice(&run.stdout).unwrap();
        assert_eq!(result["outcome"], outcome, "{answers}");
    }
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    fs::write(temp.path().join("notes.txt"), "mine").unwrap();
    let run = guide(&["init", temp.path().to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("the folder is not empty"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    let left: Vec<String> = snapshot(temp.path())
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    assert_eq!(left, ["notes.txt"]);

    // Told to, it writes among the files there, and keeps the others.
    let run = guide(&["init", temp.path().to_str().unwrap(), "--force"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(temp.path().join("site.toml").is_file());
    assert_eq!(
        fs::read_to_string(temp.path().join("notes.txt")).unwrap(),
        "mine"
    );

    // A bad language tag is refused before anything is written.
    let empty = temp.path().join("empty");
    let run = guide(&["init", empty.to_str().unwrap(), "--language", "en US"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("`en US` is not a language code"));
    assert!(!empty.exists());
    // So is one whose dates and numbers guide cannot write: its site would not build.
    let run = guide(&["init", empty.to_str().unwrap(), "--language", "es"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("guide cannot write dates and numbers in `es`"));
    assert!(!empty.exists());
}

#[test]
fn the_built_in_theme_gives_the_same_site_as_its_folder() {
    let (temp, site) = new_guide();
    assert!(!site.join("themes").exists());
    let built_in = build(&site, &temp.path().join("built-in"));
    assert!(built_in.iter().any(|(path, _)| path == "favicon.svg"));
    assert!(built_in.iter().any(|(path, _)| path.starts_with("style.")));

    copy_tree(&repo_theme(), &site.join("themes/default"));
    let from_folder = build(&site, &temp.path().join("from-folder"));
    assert_eq!(
        built_in.iter().map(|(path, _)| path).collect::<Vec<_>>(),
        from_folder.iter().map(|(path, _)| path).collect::<Vec<_>>()
    );
    assert!(built_in == from_folder, "the files' bytes differ");

    // The site's folder wins over the built-in theme.
    let page = site.join("themes/default/templates/page.html");
    let edited = fs::read_to_string(&page).unwrap().replace(
        "<article class=\"page\">",
        "<article class=\"page from-folder\">",
    );
    fs::write(&page, edited).unwrap();
    let changed = build(&site, &temp.path().join("edited"));
    let check = changed
        .iter()
        .find(|(path, _)| path == "check/index.html")
        .unwrap();
    assert!(text(&check.1).contains("page from-folder"));

    // Another theme name has no built-in fallback.
    let config = fs::read_to_string(site.join("site.toml"))
        .unwrap()
        .replace("theme = \"default\"", "theme = \"plain\"");
    fs::write(site.join("site.toml"), config).unwrap();
    let error = build_error(&site);
    assert!(error.contains("theme `plain` not found"), "{error}");
    assert!(error.contains("the theme built into guide"), "{error}");
}

#[test]
fn a_template_in_the_sites_templates_folder_replaces_only_the_pages_using_it() {
    let (temp, site) = new_guide();
    let before = build(&site, &temp.path().join("before"));
    let page = fs::read_to_string(repo_theme().join("templates/page.html")).unwrap();
    fs::create_dir_all(site.join("templates")).unwrap();
    fs::write(
        site.join("templates/page.html"),
        page.replace(
            "<article class=\"page\">",
            "<article class=\"page overridden\">",
        ),
    )
    .unwrap();
    let after = build(&site, &temp.path().join("after"));
    let changed: Vec<&str> = before
        .iter()
        .zip(&after)
        .filter(|(old, new)| {
            assert_eq!(old.0, new.0);
            old.1 != new.1
        })
        .map(|(old, _)| old.0.as_str())
        .collect();
    // The two pages of `page.html`; sections, the home page and the sources page use others.
    assert_eq!(
        changed,
        ["check/index.html", "program/who-can-apply/index.html"]
    );
    for (path, bytes) in &after {
        if changed.contains(&path.as_str()) {
            assert!(text(bytes).contains("page overridden"), "{path}");
        }
    }

    // A partial is replaced the same way, for every page that includes it.
    fs::create_dir_all(site.join("templates/partials")).unwrap();
    fs::write(
        site.join("templates/partials/nav.html"),
        "<nav aria-label=\"Main\">site nav</nav>\n",
    )
    .unwrap();
    let with_nav = build(&site, &temp.path().join("nav"));
    let pages = with_nav.iter().filter(|(path, _)| path.ends_with(".html"));
    for (path, bytes) in pages {
        assert!(text(bytes).contains("site nav"), "{path}");
    }
}

#[test]
fn an_error_in_a_sites_template_points_at_its_own_file() {
    let (_temp, site) = new_guide();
    fs::create_dir_all(site.join("templates/partials")).unwrap();
    fs::write(
        site.join("templates/partials/toc.html"),
        "<p>Contents</p>\n{{ page.title | shout }}\n",
    )
    .unwrap();
    let error = build_error(&site);
    assert!(
        error.contains("--> templates/partials/toc.html:2:17"),
        "{error}"
    );
    assert!(error.contains("Filter 'shout' not found"), "{error}");

    fs::write(
        site.join("templates/partials/toc.html"),
        "<p>Contents</p>\n{% if %}\n",
    )
    .unwrap();
    let error = build_error(&site);
    assert!(error.contains("template syntax error"), "{error}");
    assert!(
        error.contains("--> templates/partials/toc.html:2:7"),
        "{error}"
    );
}

#[test]
fn a_sites_templates_join_the_themes_under_their_own_names() {
    let (_temp, site) = new_guide();
    fs::create_dir_all(site.join("templates/shortcodes")).unwrap();
    fs::write(
        site.join("templates/shortcodes/note.html"),
        "<aside>{{ body }}</aside>\n",
    )
    .unwrap();
    let config = guide::config::Config::load(&site).unwrap();
    let theme = guide::theme::Theme::load(&site, &site.join("public"), &config).unwrap();
    assert!(theme.has_template("shortcodes/note.html"));
    assert!(theme.has_template("page.html"));
    assert_eq!(
        theme.sources["shortcodes/note.html"].0,
        Path::new("templates/shortcodes/note.html")
    );
    assert_eq!(
        theme.sources["page.html"].0,
        Path::new("<built-in theme>/templates/page.html")
    );
    let mut context = tera::Context::new();
    context.insert("body", "a <b>");
    let rendered = theme.tera.render("shortcodes/note.html", &context).unwrap();
    assert_eq!(rendered, "<aside>a &lt;b&gt;</aside>\n");
}

#[test]
fn eject_copies_the_built_in_theme_byte_for_byte_and_never_over_files_unasked() {
    let (_temp, site) = new_guide();
    let root = site.to_str().unwrap();
    let run = guide(&["init", root, "--eject-theme"]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert!(text(&run.stdout).contains("  templates/page.html\n"));
    let ejected = snapshot(&site.join("themes/default"));
    assert_eq!(ejected, snapshot(&repo_theme()));

    let page = site.join("themes/default/templates/page.html");
    fs::write(&page, "mine").unwrap();
    let again = guide(&["init", root, "--eject-theme"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        text(&again.stderr).contains("refusing to replace files of the theme already there"),
        "{}",
        text(&again.stderr)
    );
    assert_eq!(fs::read_to_string(&page).unwrap(), "mine");
    let forced = guide(&["init", root, "--eject-theme", "--force"]);
    assert!(forced.status.success());
    assert_eq!(
        snapshot(&site.join("themes/default")),
        snapshot(&repo_theme())
    );

    // Only a site's folder takes the theme.
    let elsewhere = tempfile::tempdir().unwrap();
    let refused = guide(&["init", elsewhere.path().to_str().unwrap(), "--eject-theme"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused.stderr).contains("has no site.toml"));
    assert!(snapshot(elsewhere.path()).is_empty());
}

#[test]
fn a_list_page_without_its_fact_says_which_key_to_write() {
    let (_temp, site) = new_guide();
    let hubs = site.join("content/hubs.md");
    fs::write(
        &hubs,
        "+++\ntitle = \"Hubs\"\ndescription = \"Cities.\"\ntemplate = \"hubs.html\"\n+++\n",
    )
    .unwrap();
    let error = build_error(&site);
    assert!(
        error.contains("failed while rendering content/hubs.md"),
        "{error}"
    );
    assert!(
        error.contains("`fact = \"namespace.name\"` under `[extra]`"),
        "{error}"
    );
    assert!(!error.contains("not found in context"), "{error}");

    fs::write(
        &hubs,
        "+++\ntitle = \"Hubs\"\ndescription = \"Cities.\"\ntemplate = \"hubs.html\"\n[extra]\nfact = \"program.cities\"\n+++\n",
    )
    .unwrap();
    let error = build_error(&site);
    assert!(
        error.contains(
            "`fact = \"program.cities\"` under [extra] in the front matter names no fact"
        ),
        "{error}"
    );

    // Given a list fact, the page lists it.
    let facts = site.join("content/facts/program.toml");
    let mut text_of_facts = fs::read_to_string(&facts).unwrap();
    text_of_facts.push_str(&format!(
        "\n[cities]\nlabel = \"Cities\"\nsource = \"official_page\"\nverified = {TODAY}\n[[cities.items]]\nname = \"Springfield\"\n"
    ));
    fs::write(&facts, text_of_facts).unwrap();
    let out = site.with_extension("built");
    let files = build(&site, &out);
    let page = files
        .iter()
        .find(|(path, _)| path == "hubs/index.html")
        .unwrap();
    assert!(text(&page.1).contains("<h3>Springfield</h3>"));
}
