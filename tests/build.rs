//! `guide build` on small fixture sites: what the output holds, and what bad input reports.

mod common;

use common::{snapshot, Fixture};

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
    assert_eq!(
        report.written.written,
        1,
        "only the edited page changes: {}",
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
fn fact_sources_link_only_to_web_addresses_or_relative_paths() {
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

    for url in [
        "HTTPS://example.org/policy",
        "/docs/rules.pdf",
        "docs/rules.pdf",
        "",
    ] {
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
