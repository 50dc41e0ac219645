//! `guide build` on small fixture sites: what the output holds, and what bad input reports.

use crate::common::{snapshot, Fixture};

#[test]
fn pages_get_pretty_urls_and_drafts_stay_out() {
    let site = Fixture::new("basic");
    let report = site.build().unwrap();
    assert_eq!(
        report.pages, 4,
        "home, a section and two pages; the draft is left out"
    );
    for path in [
        "index.html",
        "stream/index.html",
        "stream/family/index.html",
        "stream/the-cap/index.html",
    ] {
        assert!(site.path("public").join(path).is_file(), "{path} missing");
    }
    assert!(!site.path("public/stream/draft").exists());

    let mut options = site.options();
    options.drafts = true;
    let report = guide::build(&options).unwrap();
    assert_eq!(report.pages, 5);
    assert!(site.output("stream/draft/index.html").contains("Draft."));
}

#[test]
fn facts_render_in_human_formats_in_pages_and_templates() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let home = site.output("index.html");
    assert!(
        home.contains("The cap was 10,000 applications, opened July 16, 2023."),
        "{home}"
    );
    let cap = site.output("stream/the-cap/index.html");
    assert!(cap.contains("The cap is 10,000"), "{cap}");
    assert!(
        cap.contains("The hubs: Toronto and Waterloo. Opened in 2023."),
        "{cap}"
    );
    assert!(
        cap.contains("Cap from template: 10,000 (A news report)"),
        "{cap}"
    );
    let section = site.output("stream/index.html");
    assert!(
        section.contains("<li>July 16, 2023: Opened</li><li>July 17, 2023: Closed</li>"),
        "{section}"
    );
    assert!(
        section.contains("<li>Toronto (March 6, 1834)</li>"),
        "{section}"
    );
}

#[test]
fn links_are_relative_so_the_site_works_under_any_path() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let home = site.output("index.html");
    assert!(
        home.contains(r#"<a href="./stream/">the stream</a>"#),
        "{home}"
    );
    assert!(
        home.contains(r#"<a href="./stream/family/#who-counts">family</a>"#),
        "{home}"
    );
    let family = site.output("stream/family/index.html");
    let css = snapshot(&site.path("public"))
        .into_iter()
        .map(|(path, _)| path)
        .find(|path| path.starts_with("style.") && path.ends_with(".css"))
        .expect("fingerprinted stylesheet");
    assert!(
        family.contains(&format!(r#"href="../../{css}""#)),
        "{family}"
    );
    assert!(family.contains(
        r#"<link rel="canonical" href="https://example.org/guides/fixture/stream/family/">"#
    ));
    let not_found = site.output("404.html");
    assert!(
        not_found.contains(r#"<a href="/guides/fixture/">Home</a>"#),
        "{not_found}"
    );
}

#[test]
fn markdown_extensions_headings_and_code() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let family = site.output("stream/family/index.html");
    assert!(
        family.contains(r#"<h2 id="who-counts">Who counts</h2>"#),
        "{family}"
    );
    assert!(
        family.contains(r#"<h2 id="who-counts-1">Who counts</h2>"#),
        "duplicate headings get unique ids"
    );
    assert!(
        family.contains(r##"<li><a href="#who-counts">Who counts</a></li>"##),
        "table of contents"
    );
    assert!(
        family.contains("<code>{{ fact(nope) }}</code>"),
        "inline code is left alone"
    );
    assert!(
        family.contains("{{ fact(also.nope) }}\n</code></pre>"),
        "code blocks are left alone"
    );
    assert!(family.contains("<table>") && family.contains("<del>x</del>"));
    assert!(family.contains("footnote-definition"));
    assert!(family.contains(r#"type="checkbox" checked"#));
}

#[test]
fn static_files_and_breadcrumbs() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    assert_eq!(site.output("stream/diagram.png"), "image bytes\n");
    assert!(site.path("public/favicon.svg").is_file());
    let family = site.output("stream/family/index.html");
    assert!(family.contains(
        r#"<li><a href="../../">Home</a></li><li><a href="../../stream/">The stream</a></li>"#
    ));
}

#[test]
fn sections_list_their_pages_by_weight_then_title() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let section = site.output("stream/index.html");
    let cap = section.find(">The cap<").unwrap();
    let family = section.find(">Family members<").unwrap();
    assert!(cap < family, "weight 10 before weight 20");
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let first = snapshot(&site.path("public"));
    site.build().unwrap();
    assert_eq!(first, snapshot(&site.path("public")));
}

#[test]
fn unchanged_files_are_not_rewritten() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    site.edit(
        "content/stream/family.md",
        "Spouses and children.",
        "Spouses, partners and children.",
    );
    let report = site.build().unwrap();
    // The edited page, its search result file, the search manifest and the one shard that
    // holds its new word (`partners`): every other shard keeps its bytes.
    assert_eq!(
        report.written.written,
        4,
        "only the edited page and its search entries change: {}",
        report.summary()
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_exactly_as_it_was() {
    let site = Fixture::new("basic");
    site.build().unwrap();
    let before = snapshot(&site.path("public"));
    site.edit(
        "content/stream/cap.md",
        "{{ fact(prog.cap) }}",
        "{{ fact(prog.cpa) }}",
    );
    site.build_error();
    assert_eq!(before, snapshot(&site.path("public")));
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn unknown_fact_names_file_line_column_and_the_nearest_fact() {
    let site = Fixture::new("basic");
    site.edit(
        "content/stream/cap.md",
        "{{ fact(prog.cap) }}",
        "{{ fact(prog.cpa) }}",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(text.contains("unknown fact `prog.cpa`"), "{text}");
    assert!(text.contains("content/stream/cap.md:7:22"), "{text}");
    assert!(text.contains("did you mean `prog.cap`?"), "{text}");
}

#[test]
fn unknown_fact_format_is_an_error() {
    let site = Fixture::new("basic");
    site.edit("content/stream/cap.md", "\"year\"", "\"decade\"");
    let (_, text) = site.build_error();
    assert!(text.contains("unknown format \"decade\""), "{text}");
    assert!(text.contains("content/stream/cap.md:9:"), "{text}");
}

#[test]
fn broken_internal_link_names_file_and_line() {
    let site = Fixture::new("basic");
    site.edit(
        "content/_index.md",
        "@/stream/family.md",
        "@/stream/famly.md",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("link to a page that does not exist: `@/stream/famly.md#who-counts`"),
        "{text}"
    );
    assert!(text.contains("content/_index.md:7:"), "{text}");
    assert!(
        text.contains("did you mean `@/stream/family.md`?"),
        "{text}"
    );
}

#[test]
fn front_matter_errors_point_into_the_file() {
    let site = Fixture::new("basic");
    site.edit("content/stream/family.md", "weight = 20", "weight = twenty");
    let (_, text) = site.build_error();
    assert!(text.contains("invalid front matter"), "{text}");
    assert!(text.contains("content/stream/family.md:4:10"), "{text}");

    let site = Fixture::new("basic");
    site.edit(
        "content/stream/family.md",
        "weight = 20",
        "colour = \"red\"",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("unknown field `colour`"), "{text}");
    assert!(text.contains("content/stream/family.md:4:1"), "{text}");

    let site = Fixture::new("basic");
    site.write("content/stream/bare.md", "# No front matter\n");
    let (_, text) = site.build_error();
    assert!(text.contains("missing front matter"), "{text}");
    assert!(text.contains("content/stream/bare.md:1:1"), "{text}");
}

#[test]
fn site_config_errors_name_the_key_and_line() {
    let site = Fixture::new("basic");
    site.edit(
        "site.toml",
        "theme = \"plain\"",
        "theme = \"plain\"\nthem = \"x\"",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("unknown field `them`"), "{text}");
    assert!(text.contains("site.toml:5:1"), "{text}");
}

#[test]
fn fact_file_errors_point_into_the_file() {
    let site = Fixture::new("basic");
    site.edit(
        "content/facts/prog.toml",
        "value = 10000",
        "value = 10000 10",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("content/facts/prog.toml:14:9"), "{text}");

    let site = Fixture::new("basic");
    site.edit(
        "content/facts/prog.toml",
        "source = \"policy\"",
        "source = \"polcy\"",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("unknown source `polcy`"), "{text}");
    assert!(text.contains("content/facts/prog.toml:4:10"), "{text}");
    assert!(text.contains("did you mean `policy`?"), "{text}");
}

#[test]
fn template_syntax_error_names_template_line_and_cause() {
    let site = Fixture::new("basic");
    site.edit(
        "themes/plain/templates/page.html",
        "{{ page.title }}",
        "{{ page.title }",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("template syntax error"), "{text}");
    assert!(
        text.contains("themes/plain/templates/page.html:2:"),
        "{text}"
    );
    assert!(text.contains("caused by"), "{text}");
}

#[test]
fn template_render_error_names_template_line_and_the_cause_chain() {
    let site = Fixture::new("basic");
    site.edit(
        "themes/plain/templates/page.html",
        "{{ facts.prog.cap.display }}",
        "{{ facts.prog.cpa.display }}",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("template `page.html` failed while rendering content/stream/"),
        "{text}"
    );
    assert!(
        text.contains("themes/plain/templates/page.html:5:38"),
        "{text}"
    );
    assert!(
        text.contains("caused by: Variable `facts.prog.cpa.display` not found"),
        "{text}"
    );
    assert_eq!(
        text.matches("error: template").count(),
        1,
        "one error for many pages: {text}"
    );
    assert!(text.contains("(and 1 other page)"), "{text}");
}

#[test]
fn independent_errors_in_pages_are_reported_together() {
    let site = Fixture::new("basic");
    site.edit(
        "content/stream/cap.md",
        "{{ fact(prog.cap) }}",
        "{{ fact(prog.nope) }}",
    );
    site.edit(
        "content/_index.md",
        "@/stream/family.md",
        "@/stream/gone.md",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 2, "{text}");
    assert!(text.contains("unknown fact `prog.nope`"), "{text}");
    assert!(text.contains("`@/stream/gone.md#who-counts`"), "{text}");
    assert!(text.contains("build failed: 2 errors"), "{text}");
}

#[test]
fn independent_errors_in_inputs_are_reported_together() {
    let site = Fixture::new("basic");
    site.edit(
        "content/facts/prog.toml",
        "source = \"policy\"",
        "source = \"nope\"",
    );
    site.edit("content/stream/family.md", "weight = 20", "weight = twenty");
    site.edit(
        "themes/plain/templates/page.html",
        "{{ page.title }}",
        "{{ page.title }",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 3, "{text}");
    assert!(text.contains("unknown source `nope`"), "{text}");
    assert!(text.contains("invalid front matter"), "{text}");
    assert!(text.contains("template syntax error"), "{text}");
}

#[test]
fn two_pages_with_one_url_are_an_error() {
    let site = Fixture::new("basic");
    site.write(
        "content/stream/other.md",
        "+++\ntitle = \"Other\"\nslug = \"family\"\n+++\n",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("both have the URL `/stream/family/`"),
        "{text}"
    );
}

/// On macOS and Windows, and on hosts that ignore case, `About/` and `about/` are one folder,
/// and `café` written with `é` or with `e` and a combining accent one name: a build there would
/// write one page over the other.
#[test]
fn urls_differing_only_in_case_or_accent_encoding_are_an_error() {
    let site = Fixture::new("basic");
    site.write(
        "content/stream/Family-Guide.md",
        "+++\ntitle = \"Capitals\"\n+++\n",
    );
    site.write(
        "content/stream/other.md",
        "+++\ntitle = \"Other\"\nslug = \"family-guide\"\n+++\n",
    );
    // A static file beside a page's folder, in capitals.
    site.write("static/STREAM/FAMILY/INDEX.HTML", "<p>x</p>");
    // Two folders alike but for case: one folder where case is ignored.
    site.write("static/Files/a.txt", "a");
    site.write("static/files/b.txt", "b");
    // The same name with `é` as one character and as two: a file system that normalizes
    // names (macOS's) cannot hold both, so they are written only where they can be.
    let normalizing = cfg!(target_os = "macos");
    if !normalizing {
        site.write("content/caf\u{e9}.md", "+++\ntitle = \"Composed\"\n+++\n");
        site.write(
            "content/cafe\u{301}.md",
            "+++\ntitle = \"Decomposed\"\n+++\n",
        );
    }
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), if normalizing { 3 } else { 4 }, "{text}");
    assert!(
        text.contains(
            "this page and content/stream/Family-Guide.md have URLs that differ only in \
             letter case: `/stream/family-guide/` and `/stream/Family-Guide/`. On macOS and \
             Windows, and on hosts that ignore case, they are one file"
        ),
        "{text}"
    );
    // A file that is not a page is named by its whole path, and so is the page beside it.
    assert!(
        text.contains(
            "this file and content/stream/family.md have paths that differ only in letter \
             case: `/STREAM/FAMILY/INDEX.HTML` and `/stream/family/index.html`"
        ),
        "{text}"
    );
    assert!(
        text.contains("is in the folder `/files/` and static/Files/a.txt in `/Files/`, whose names differ only in letter case")
            || text.contains("is in the folder `/Files/` and static/files/b.txt in `/files/`, whose names differ only in letter case"),
        "{text}"
    );
    if !normalizing {
        // Written alike, so shown by their characters.
        assert!(
            text.contains(
                "differ only in how an accent is encoded: `/caf\\u{e9}/` and `/cafe\\u{301}/`. \
                 On macOS, and on hosts that normalize names, they are one file"
            ) || text.contains(
                "differ only in how an accent is encoded: `/cafe\\u{301}/` and `/caf\\u{e9}/`. \
                 On macOS, and on hosts that normalize names, they are one file"
            ),
            "{text}"
        );
    }
    assert!(!site.path("public").exists());
}

#[test]
fn base_url_override_changes_canonical_links() {
    let site = Fixture::new("basic");
    let mut options = site.options();
    options.base_url = Some("https://mirror.example.net/h1b".into());
    guide::build(&options).unwrap();
    assert!(site
        .output("index.html")
        .contains(r#"href="https://mirror.example.net/h1b/""#));
    assert!(site.output("404.html").contains(r#"href="/h1b/""#));
}

#[test]
fn a_missing_template_points_at_the_front_matter_line() {
    let site = Fixture::new("basic");
    site.edit(
        "content/stream/family.md",
        "weight = 20",
        "weight = 20\ntemplate = \"pgae.html\"",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("the theme has no template `pgae.html`"),
        "{text}"
    );
    assert!(text.contains("content/stream/family.md:5:12"), "{text}");
    assert!(text.contains("did you mean `page.html`?"), "{text}");
}

#[test]
fn an_error_in_a_parent_template_is_reported_once_at_its_own_line() {
    let site = Fixture::new("basic");
    site.edit(
        "themes/plain/templates/base.html",
        "{{ site.title }}",
        "{{ site.titel }}",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(
        diagnostics.len(),
        1,
        "page and section templates share the mistake: {text}"
    );
    assert!(text.contains("template `base.html` failed"), "{text}");
    assert!(
        text.contains("themes/plain/templates/base.html:2:"),
        "{text}"
    );
    assert!(text.contains("other pages)"), "{text}");
}

#[test]
fn a_template_syntax_error_shows_its_snippet_once() {
    let site = Fixture::new("basic");
    site.edit(
        "themes/plain/templates/page.html",
        "{{ page.title }}",
        "{{ page.title }",
    );
    let (_, text) = site.build_error();
    assert_eq!(
        text.matches("<h1>{{ page.title }</h1>").count(),
        1,
        "{text}"
    );
    assert!(
        text.contains("expected"),
        "the parser's expectation is kept: {text}"
    );
}

#[test]
fn an_internal_link_without_its_slash_is_an_error() {
    let site = Fixture::new("basic");
    site.edit(
        "content/_index.md",
        "(@/stream/_index.md)",
        "(@stream/_index.md)",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("cannot read the internal link `@stream/_index.md`"),
        "{text}"
    );
    assert!(text.contains("content/_index.md:7:"), "{text}");
    assert!(text.contains("write `@/stream/_index.md`"), "{text}");
}

#[test]
fn the_build_refuses_to_replace_the_site_or_its_inputs() {
    let site = Fixture::new("basic");
    for output in [
        site.root().to_path_buf(),
        site.path("content"),
        site.path("themes/plain"),
        site.root().parent().unwrap().to_path_buf(),
        // The same folders reached through `..`, or through a folder that does not exist yet.
        site.path("content/stream/.."),
        site.path("not-yet/../content"),
        site.path("public/../themes"),
    ] {
        let mut options = site.options();
        options.output = output.clone();
        options.force = true;
        let error = guide::build(&options).expect_err("must refuse").render();
        assert!(
            error.contains("refusing to build into"),
            "{}: {error}",
            output.display()
        );
    }
    assert!(site.path("site.toml").is_file() && site.path("content/_index.md").is_file());
}

/// A folder with a user's files, reachable through a symbolic link at `link`.
#[cfg(unix)]
fn users_folder_behind_a_link(site: &Fixture, link: &str) -> Vec<(String, Vec<u8>)> {
    site.write("deploy/index.html", "my own page");
    site.write("deploy/keep.txt", "keep me");
    std::fs::create_dir_all(site.path("deploy/sub")).unwrap();
    std::os::unix::fs::symlink(site.path("deploy"), site.path(link)).unwrap();
    snapshot(&site.path("deploy"))
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_symbolic_link_is_refused_even_when_forced() {
    let site = Fixture::new("basic");
    let before = users_folder_behind_a_link(&site, "public");
    for force in [false, true] {
        let mut options = site.options();
        options.force = force;
        let error = guide::build(&options).expect_err("must refuse").render();
        assert!(error.contains("is a symbolic link"), "{error}");
        assert!(
            error.contains(
                &site
                    .path("deploy")
                    .canonicalize()
                    .unwrap()
                    .display()
                    .to_string()
            ),
            "the error says where the link points: {error}"
        );
        assert!(error.contains("--output"), "{error}");
        assert_eq!(snapshot(&site.path("deploy")), before);
        assert!(site.path("deploy/sub").is_dir());
        assert!(std::fs::symlink_metadata(site.path("public"))
            .unwrap()
            .file_type()
            .is_symlink());
    }
}

#[cfg(unix)]
#[test]
fn a_link_to_an_input_folder_is_refused_as_that_folder() {
    let site = Fixture::new("basic");
    let before = snapshot(&site.path("themes"));
    for (link, target) in [("to-themes", "themes"), ("to-content", "content/stream")] {
        std::os::unix::fs::symlink(site.path(target), site.path(link)).unwrap();
        for output in [site.path(link), site.path(link).join("inner")] {
            let mut options = site.options();
            options.output = output.clone();
            options.force = true;
            let error = guide::build(&options).expect_err("must refuse").render();
            assert!(
                error.contains("refusing to build into") && error.contains("site's own files"),
                "{}: {error}",
                output.display()
            );
        }
    }
    assert_eq!(snapshot(&site.path("themes")), before);
    assert!(site.path("content/stream/cap.md").is_file());
}

#[test]
fn the_build_replaces_a_folder_of_other_files_only_when_forced() {
    let site = Fixture::new("basic");
    site.write("mydocs/notes.txt", "keep me");
    let mut options = site.options();
    options.output = site.path("mydocs");
    let error = guide::build(&options).expect_err("must refuse").render();
    assert!(
        error.contains("refusing to replace") && error.contains("--force"),
        "{error}"
    );
    assert_eq!(site.read("mydocs/notes.txt"), "keep me");
    options.force = true;
    guide::build(&options).unwrap();
    assert!(site.path("mydocs/index.html").is_file());
    options.force = false;
    guide::build(&options).expect("an earlier build's folder is replaced without --force");
}

/// A folder of someone's own site (an `index.html`, and more beside it) is not an earlier
/// build's output: nothing in it is replaced without --force.
#[test]
fn a_folder_with_an_index_page_no_build_wrote_is_refused_and_kept_whole() {
    let site = Fixture::new("basic");
    site.write("mysite/index.html", "<h1>mine</h1>");
    site.write("mysite/src/thesis.tex", "precious");
    let before = snapshot(&site.path("mysite"));
    let mut options = site.options();
    options.output = site.path("mysite");
    let error = guide::build(&options).expect_err("must refuse").render();
    assert!(
        error.contains("refusing to replace") && error.contains("no build wrote"),
        "{error}"
    );
    assert!(error.contains("--force"), "{error}");
    assert_eq!(snapshot(&site.path("mysite")), before);
}

/// A file put into a built output by hand would be lost by the next build: it is refused,
/// and kept, until the file is moved or the build forced; a build's own output, rebuilt or
/// with pages gone since, is replaced as before.
#[test]
fn a_file_added_to_a_built_output_by_hand_stops_the_next_build_until_forced() {
    let site = Fixture::new("basic");
    let mut options = site.options();
    guide::build(&options).unwrap();
    guide::build(&options).expect("a build replaces its own output");
    site.write("public/stream/notes/mine.txt", "mine");
    let error = guide::build(&options).expect_err("must refuse").render();
    assert!(
        error.contains("refusing to replace")
            && error.contains("not the ones the last build wrote"),
        "{error}"
    );
    assert!(error.contains("static/"), "{error}");
    assert_eq!(site.read("public/stream/notes/mine.txt"), "mine");
    std::fs::remove_file(site.path("public/stream/notes/mine.txt")).unwrap();
    std::fs::remove_dir(site.path("public/stream/notes")).unwrap();
    guide::build(&options).expect("the output is the last build's again");
    // A page gone from the site leaves the output as the last build wrote it.
    std::fs::remove_file(site.path("content/stream/cap.md")).unwrap();
    guide::build(&options).unwrap();
    guide::build(&options).expect("an output with a page gone is still the build's own");
    site.write("public/mine.txt", "mine");
    options.force = true;
    guide::build(&options).unwrap();
    assert!(!site.path("public/mine.txt").exists());
}

#[test]
fn a_link_to_a_missing_anchor_fails_the_build_with_the_nearest_id() {
    let site = Fixture::new("basic");
    site.edit(
        "content/_index.md",
        "@/stream/family.md#who-counts",
        "@/stream/family.md#who-count",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("`@/stream/family.md` has no heading or element with the id `who-count`"),
        "{text}"
    );
    assert!(text.contains("content/_index.md:7:"), "{text}");
    assert!(text.contains("did you mean `#who-counts`?"), "{text}");
}

#[test]
fn anchors_written_by_templates_and_footnotes_count() {
    let site = Fixture::new("basic");
    site.edit(
        "content/_index.md",
        "@/stream/family.md#who-counts",
        "@/stream/family.md#1",
    );
    site.build().expect("a footnote's id is an anchor");
    site.edit(
        "themes/plain/templates/page.html",
        "<main>",
        "<main id=\"top-of-page\">",
    );
    site.edit(
        "content/_index.md",
        "@/stream/family.md#1",
        "@/stream/family.md#top-of-page",
    );
    site.build()
        .expect("an id the template writes is an anchor");
    site.edit(
        "content/_index.md",
        "@/stream/family.md#top-of-page",
        "@/stream/family.md#top-of-pag",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("did you mean `#top-of-page`?"), "{text}");
}

/// A file outside any site, holding `text`, in a folder of its own.
#[cfg(unix)]
fn outside_file(name: &str, text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    let path = std::fs::canonicalize(path).unwrap();
    (dir, path)
}

/// Replaces `relative` (a file or a folder, or nothing yet) with a symbolic link to `target`.
#[cfg(unix)]
fn replace_with_link(site: &Fixture, relative: &str, target: &std::path::Path) {
    let path = site.path(relative);
    if path.is_dir() {
        std::fs::remove_dir_all(&path).unwrap();
    } else if path.exists() {
        std::fs::remove_file(&path).unwrap();
    }
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink(target, &path).unwrap();
}

#[cfg(unix)]
#[test]
fn a_link_leading_outside_the_site_is_refused_naming_the_link_and_its_target() {
    const MARKER: &str = "OUTSIDE-MARKER-4f1c";
    // Valid as a page, as TOML and as a template, so nothing but the link can fail the build.
    let text = format!("+++\ntitle = \"{MARKER}\"\n+++\n{MARKER}\n");
    let (_outside, target) = outside_file("secret.txt", &text);
    let folder = target.parent().unwrap().to_path_buf();
    let facts = format!("[note]\nvalue = \"{MARKER}\"\n");
    let (_outside_facts, facts_target) = outside_file("facts.toml", &facts);
    for (link, to) in [
        ("content/stream/diagram.png", &target),
        ("content/stream/family.md", &target),
        ("content/elsewhere", &folder),
        ("content/stream", &folder),
        ("content/facts/prog.toml", &facts_target),
        ("themes/plain/static/favicon.svg", &target),
        ("static/secret.txt", &target),
        ("themes/plain/templates/page.html", &target),
        ("themes/plain/assets/style.css", &target),
        ("themes/plain/templates", &folder),
        ("site.toml", &facts_target),
    ] {
        let site = Fixture::new("basic");
        replace_with_link(&site, link, to);
        let (_, text) = site.build_error();
        assert!(
            text.contains(&format!("--> {link}")),
            "{link}: the error names the link\n{text}"
        );
        assert!(
            text.contains(&format!("`{}`", to.display())),
            "{link}: the error names the target\n{text}"
        );
        assert!(
            text.contains("copy the file into the site, or make the link point inside it"),
            "{link}: {text}"
        );
        assert!(!text.contains(MARKER), "{link}: {text}");
        assert!(!site.path("public").exists(), "{link}");
    }
}

#[cfg(unix)]
#[test]
fn links_that_stay_inside_the_site_work_as_files() {
    let site = Fixture::new("basic");
    site.write("shared/note.txt", "a shared note");
    replace_with_link(
        &site,
        "content/stream/note.txt",
        std::path::Path::new("../../shared/note.txt"),
    );
    // A folder of pages shown twice, and the theme's icon taken from elsewhere in the site.
    replace_with_link(&site, "content/mirror", std::path::Path::new("stream"));
    site.write("shared/icon.svg", "<svg id=\"shared\"/>");
    replace_with_link(
        &site,
        "themes/plain/static/favicon.svg",
        &site.path("shared/icon.svg"),
    );
    site.build().unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(site.output("stream/note.txt"), "a shared note");
    assert_eq!(site.output("mirror/note.txt"), "a shared note");
    assert!(site
        .output("mirror/the-cap/index.html")
        .contains("The cap is 10,000"));
    assert_eq!(site.output("favicon.svg"), "<svg id=\"shared\"/>");
}

/// Writes `content/stream/other.md` with this slug, as a TOML string.
fn page_with_slug(site: &Fixture, slug: &str) {
    let quoted: String = slug
        .chars()
        .map(|c| match c {
            '\\' | '"' => format!("\\{c}"),
            c if c.is_control() => format!("\\u{:04X}", u32::from(c)),
            c => c.to_string(),
        })
        .collect();
    site.write(
        "content/stream/other.md",
        &format!("+++\ntitle = \"Other\"\nslug = \"{quoted}\"\n+++\nOther.\n"),
    );
}

#[test]
fn a_slug_that_leaves_its_folder_or_a_host_cannot_serve_is_an_error_at_the_slug() {
    let site = Fixture::new("basic");
    // Inside the test's own folder, outside the output: a build must never write there.
    let outside = site.path("victim");
    let absolute = outside.display().to_string();
    for (slug, problem) in [
        (absolute.as_str(), "starts with `/`"),
        ("../../victim", "`..`"),
        ("..", "`..`"),
        (".", "`.`"),
        ("", "is empty"),
        ("family/", "empty segment"),
        ("a//b", "empty segment"),
        ("back\\slash", "`\\`"),
        ("two words", "whitespace"),
        ("what?", "`?`"),
        ("100%", "`%`"),
        ("a:b", "`:`"),
        ("bell\u{7}", "control character"),
    ] {
        page_with_slug(&site, slug);
        let (diagnostics, text) = site.build_error();
        assert_eq!(diagnostics.len(), 1, "{slug:?}: {text}");
        assert!(
            text.contains("content/stream/other.md:3:8"),
            "{slug:?}: {text}"
        );
        assert!(text.contains(problem), "{slug:?}: {text}");
        assert!(text.contains("help:"), "{slug:?}: {text}");
        assert!(!outside.exists(), "{slug:?} wrote outside the output");
        assert!(!site.path("public").exists(), "{slug:?}: {text}");
    }
}

#[test]
fn slugs_may_hold_folders_and_letters_of_any_language() {
    let site = Fixture::new("basic");
    page_with_slug(&site, "volet/février");
    site.build().unwrap_or_else(|d| panic!("{d}"));
    assert!(site
        .output("stream/volet/février/index.html")
        .contains("Other."));
}

#[test]
fn a_page_file_name_a_host_cannot_serve_is_an_error() {
    let site = Fixture::new("basic");
    site.write("content/stream/two words.md", "+++\ntitle = \"T\"\n+++\n");
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(text.contains("content/stream/two words.md"), "{text}");
    assert!(text.contains("whitespace"), "{text}");
    assert!(text.contains("`slug`"), "{text}");
}

#[test]
fn a_copied_file_in_a_pages_place_is_an_error_naming_both() {
    for (copied, page, path) in [
        ("content/index.html", "content/_index.md", "index.html"),
        (
            "content/stream/the-cap/index.html",
            "content/stream/cap.md",
            "stream/the-cap/index.html",
        ),
    ] {
        let site = Fixture::new("basic");
        site.write(copied, "<p>copied</p>");
        let (diagnostics, text) = site.build_error();
        assert_eq!(diagnostics.len(), 1, "{text}");
        assert!(text.contains(copied), "{text}");
        assert!(text.contains(page), "{text}");
        assert!(text.contains(&format!("`{path}`")), "{text}");
        assert!(!site.path("public").exists());
    }
}

#[test]
fn a_page_in_a_generated_files_place_is_an_error_naming_both() {
    let site = Fixture::new("basic");
    site.write(
        "content/machines.md",
        "+++\ntitle = \"Machines\"\nslug = \"sitemap.xml\"\n+++\n",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(text.contains("content/machines.md:3:8"), "{text}");
    assert!(text.contains("the sitemap"), "{text}");
    assert!(text.contains("`sitemap.xml`"), "{text}");
    assert!(!text.contains(".public.new"), "{text}");
}

#[test]
fn a_file_where_another_needs_a_folder_is_an_error_naming_both() {
    let site = Fixture::new("basic");
    site.write("static/app.js", "let app;");
    site.write(
        "content/app.md",
        "+++\ntitle = \"App\"\nslug = \"app.js\"\n+++\n",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(text.contains("content/app.md:3:8"), "{text}");
    assert!(text.contains("static/app.js"), "{text}");
    assert!(text.contains("`app.js/index.html`"), "{text}");

    // The other way round: a copied file under a page's own file.
    let site = Fixture::new("basic");
    site.write("static/stream/family/index.html/x.txt", "x");
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(
        text.contains("static/stream/family/index.html/x.txt"),
        "{text}"
    );
    assert!(text.contains("content/stream/family.md"), "{text}");
}

#[test]
fn two_copied_files_or_a_copy_and_a_generated_page_in_one_place_are_an_error() {
    let site = Fixture::new("basic");
    site.write("static/stream/diagram.png", "other bytes");
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(text.contains("static/stream/diagram.png"), "{text}");
    assert!(text.contains("content/stream/diagram.png"), "{text}");

    let site = Fixture::new("basic");
    site.write("content/404.html", "not found");
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(text.contains("content/404.html"), "{text}");
    assert!(text.contains("404"), "{text}");
}

#[test]
fn collisions_are_reported_the_same_way_every_time() {
    let site = Fixture::new("basic");
    site.write("content/stream/the-cap/index.html", "copied");
    site.write("content/stream/family/index.html", "copied");
    page_with_slug(&site, "family");
    let (diagnostics, first) = site.build_error();
    assert_eq!(diagnostics.len(), 3, "{first}");
    for _ in 0..5 {
        assert_eq!(site.build_error().1, first);
    }
}

#[test]
fn a_site_static_file_replaces_the_themes() {
    let site = Fixture::new("basic");
    site.write("static/favicon.svg", "<svg>the site's</svg>");
    site.build().unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(site.output("favicon.svg"), "<svg>the site's</svg>");
}

#[test]
fn image_and_file_links_reach_files_copied_from_content() {
    let site = Fixture::new("basic");
    site.edit(
        "content/stream/family.md",
        "## Who counts",
        "![a diagram](@/stream/diagram.png) and [the diagram](@/stream/diagram.png)\n\n## Who counts",
    );
    site.build().unwrap_or_else(|d| panic!("{d}"));
    let family = site.output("stream/family/index.html");
    assert!(
        family.contains(r#"<img src="../../stream/diagram.png" alt="a diagram" />"#),
        "{family}"
    );
    assert!(
        family.contains(r#"<a href="../../stream/diagram.png">the diagram</a>"#),
        "{family}"
    );

    site.edit(
        "content/stream/family.md",
        "![a diagram](@/stream/diagram.png)",
        "![a diagram](@/stream/diagram.svg)",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(
        text.contains("image that does not exist: `@/stream/diagram.svg`"),
        "{text}"
    );
    assert!(text.contains("content/stream/family.md:7:14"), "{text}");
    assert!(
        text.contains("did you mean `@/stream/diagram.png`?"),
        "{text}"
    );

    site.edit(
        "content/stream/family.md",
        "![a diagram](@/stream/diagram.svg) and [the diagram](@/stream/diagram.png)",
        "[a diagram](@/stream/nope.pdf)",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("link to a file that does not exist: `@/stream/nope.pdf`"),
        "{text}"
    );
    assert!(text.contains("content/stream/family.md:7:13"), "{text}");
}

#[test]
fn files_that_are_not_utf8_name_the_first_invalid_byte() {
    let write = |site: &Fixture, relative: &str, bytes: &[u8]| {
        std::fs::create_dir_all(site.path(relative).parent().unwrap()).unwrap();
        std::fs::write(site.path(relative), bytes).unwrap();
    };
    let site = Fixture::new("basic");
    write(
        &site,
        "content/stream/family.md",
        b"+++\ntitle = \"Caf\xe9\"\n+++\nBody.\n",
    );
    write(
        &site,
        "themes/plain/templates/page.html",
        b"{% extends \"base.html\" %}\n{% block content %}\n<p>\xff\xfe</p>{% endblock content %}\n",
    );
    write(
        &site,
        "content/rules/prog.toml",
        b"[[questions]]\nid = \"d\x80\"\n",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 3, "{text}");
    for (file, location, byte) in [
        (
            "content/stream/family.md",
            "content/stream/family.md:2:13",
            "0xE9",
        ),
        (
            "themes/plain/templates/page.html",
            "themes/plain/templates/page.html:3:4",
            "0xFF",
        ),
        (
            "content/rules/prog.toml",
            "content/rules/prog.toml:2:8",
            "0x80",
        ),
    ] {
        let found = diagnostics
            .iter()
            .find(|d| d.path.to_string_lossy().replace('\\', "/") == file)
            .unwrap_or_else(|| panic!("no error for {file}: {text}"));
        assert_eq!(found.location(), location, "{text}");
        assert_eq!(
            found.message,
            format!("not UTF-8 text: invalid byte {byte}"),
        );
        assert_eq!(
            found.help.as_deref(),
            Some("save the file as UTF-8 (an editor's \"Save with encoding\" or \"Reopen with encoding\" converts it)")
        );
    }

    let site = Fixture::new("basic");
    write(
        &site,
        "content/facts/prog.toml",
        b"[cap]\nlabel = \"Cap\"\nvalue = 10000 # \xa3\n",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("content/facts/prog.toml:3:17"), "{text}");
    assert!(text.contains("byte 0xA3"), "{text}");

    let site = Fixture::new("basic");
    write(&site, "site.toml", b"title = \"\xc3(\"\n");
    let (_, text) = site.build_error();
    assert!(text.contains("site.toml:1:10"), "{text}");
    assert!(text.contains("byte 0xC3"), "{text}");
}

#[test]
fn template_errors_at_render_time_point_at_the_unknown_name() {
    for (template, from, to, cause, location) in [
        (
            "page.html",
            "{{ page.title }}",
            "{{ page.title | shout }}",
            "Filter 'shout' not found",
            "themes/plain/templates/page.html:2:46",
        ),
        (
            "base.html",
            "{{ canonical }}\">",
            "{{ canonical }}\">{{ shout(text=\"x\") }}",
            "Function 'shout' not found",
            "themes/plain/templates/base.html:4:49",
        ),
        (
            "page.html",
            "<main>",
            "<main>{% include \"partials/missing.html\" %}",
            "Template '[partials/missing.html]' not found",
            "themes/plain/templates/page.html:2:38",
        ),
        (
            "page.html",
            "<main>",
            "<main>{% if page.title is shouting %}!{% endif %}",
            "Test 'shouting' not found",
            "themes/plain/templates/page.html:2:46",
        ),
    ] {
        let site = Fixture::new("basic");
        site.edit(&format!("themes/plain/templates/{template}"), from, to);
        let (diagnostics, text) = site.build_error();
        assert_eq!(diagnostics.len(), 1, "one error for every page: {text}");
        assert_eq!(diagnostics.0[0].location(), location, "{text}");
        assert!(text.contains(cause), "{text}");
    }
}

#[test]
fn fact_sources_link_only_to_web_addresses_or_paths_within_the_site() {
    let site = Fixture::new("basic");
    site.edit(
        "content/facts/prog.toml",
        "url = \"https://example.org/news\"",
        "url = \"javascript:alert(1)\"",
    );
    site.edit(
        "content/facts/sources.toml",
        "url = \"https://example.org/policy\"",
        "url = \"  JaVa\\tScRiPt:alert(2)\"",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 2, "{text}");
    assert!(
        text.contains("source url `javascript:alert(1)` is a `javascript:` URL"),
        "{text}"
    );
    assert!(text.contains("content/facts/prog.toml:15:43"), "{text}");
    assert!(
        text.contains("source url `  JaVa\\tScRiPt:alert(2)` is a `javascript:` URL"),
        "{text}"
    );
    assert!(text.contains("content/facts/sources.toml:3:7"), "{text}");
    assert!(
        text.contains("help: write an `https://` address, or a path within the site such as `/docs/rules.pdf`"),
        "{text}"
    );

    for url in ["HTTPS://example.org/policy", "/docs/rules.pdf", ""] {
        let site = Fixture::new("basic");
        site.edit(
            "content/facts/sources.toml",
            "url = \"https://example.org/policy\"",
            &format!("url = \"{url}\""),
        );
        site.build().unwrap_or_else(|e| panic!("{url}: {e}"));
    }
}

#[test]
fn every_record_of_a_list_fact_has_a_name() {
    let site = Fixture::new("basic");
    site.edit(
        "content/facts/prog.toml",
        "name = \"Waterloo\"",
        "city = \"Waterloo\"",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(
        text.contains("record 2 of the list fact `prog.hubs` has no `name`"),
        "{text}"
    );
    assert!(text.contains("content/facts/prog.toml:22:1"), "{text}");
    assert!(text.contains("name = \"...\""), "{text}");

    let site = Fixture::new("basic");
    site.edit(
        "content/facts/prog.toml",
        "name = \"Toronto\"",
        "name = 1834",
    );
    let (_, text) = site.build_error();
    assert!(
        text.contains("record 1 of the list fact `prog.hubs` has a `name` that is not text"),
        "{text}"
    );
    assert!(text.contains("content/facts/prog.toml:20:8"), "{text}");
}

/// `guide build | head -0`: the reader is gone before the summary is written. The build still
/// finishes, whole, and the command neither panics nor reports a failure of its own.
#[test]
fn a_reader_that_goes_away_is_no_crash() {
    let site = Fixture::new("hosting");
    let output = site.root().join("public");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_guide"))
        .args(["build", "--root"])
        .arg(site.root())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let finished = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&finished.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(finished.status.code(), Some(0), "{stderr}");
    assert!(output.join("index.html").is_file());
}

#[cfg(unix)]
#[test]
fn a_link_leading_into_the_output_folder_is_refused_rather_than_published_again() {
    for link in ["content/pub", "static/pub", "themes/plain/static/pub"] {
        let site = Fixture::new("basic");
        site.build().unwrap_or_else(|error| panic!("{error}"));
        let files_before = count_files(&site.path("public"));
        replace_with_link(&site, link, std::path::Path::new(&site.path("public")));
        let (diagnostics, text) = site.build_error();
        assert_eq!(diagnostics.0.len(), 1, "{link}: {text}");
        assert!(
            text.contains(&format!(
                "`{link}` leads into the output folder `public`, or to a folder holding it"
            )),
            "{link}: {text}"
        );
        assert!(text.contains(&format!("--> {link}")), "{link}: {text}");
        // The last build stays whole, and nothing was published twice.
        assert_eq!(count_files(&site.path("public")), files_before, "{link}");
    }
}

#[cfg(unix)]
#[test]
fn a_link_to_a_folder_holding_the_output_folder_is_refused_too() {
    let site = Fixture::new("basic");
    let mut options = site.options();
    options.output = site.path("out/public");
    guide::build(&options).unwrap_or_else(|error| panic!("{}", error.render()));
    replace_with_link(&site, "content/x", std::path::Path::new(&site.path("out")));
    let error = guide::build(&options).expect_err("the link leads to the output's folder");
    let text = error.render();
    assert!(
        text.contains(
            "`content/x` leads into the output folder `out/public`, or to a folder holding it"
        ),
        "{text}"
    );
}

fn count_files(dir: &std::path::Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .count()
}
