//! What readers and authors expect of a guide beyond its text: the theme's own shortcodes,
//! aliases that keep old addresses working, and previous/next links within a section.

use crate::common::{copy_tree, Fixture};
use guide::check::CheckOptions;

const FRONT: &str = "+++\ntitle = \"Shortcodes\"\ndescription = \"Calls.\"\n+++\n";

/// The basic fixture with two shortcodes of its own: `badge` (arguments) and `box` (a body).
fn with_shortcodes() -> Fixture {
    let site = Fixture::new("basic");
    site.write(
        "themes/plain/templates/shortcodes/badge.html",
        "<span class=\"badge\" data-n=\"{{ n }}\" data-x=\"{{ x }}\" data-on=\"{{ on }}\">{{ label }}</span>",
    );
    site.write(
        "themes/plain/templates/shortcodes/box.html",
        "<div class=\"box\" title=\"{{ title }}\">\n{{ body | safe }}</div>",
    );
    site
}

/// Builds the site with `body` as `content/stream/calls.md` and returns the error, expected at
/// `location`, whose message holds `message`, and its help.
fn error_at(body: &str, message: &str, location: &str) -> String {
    let site = with_shortcodes();
    site.write("content/stream/calls.md", &format!("{FRONT}{body}"));
    let (diagnostics, text) = site.build_error();
    let found: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.message.contains(message))
        .collect();
    assert_eq!(found.len(), 1, "{text}");
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert_eq!(found[0].location(), location, "{text}");
    text
}

#[test]
fn a_theme_shortcode_takes_typed_arguments_and_a_markdown_body() {
    let site = with_shortcodes();
    let body = "Inline {{ badge(label = \"<b> & 'q'\", n = 3, x = 1.5, on = true) }} here.\n\n\
                {% box(title = 'A \"box\"') %}\n\
                A **bold** body, the cap {{ fact(prog.cap) }}, [family](@/stream/family.md)\n\
                and {{ badge(label = \"inner\", n = 1, x = 0.5, on = false) }}.\n\n\
                ## Inside the box\n\
                {% end %}\n\n\
                `{{ badge(label = \"in code\") }}`\n\n\
                ```\n{% box() %}\n{{ badge(label = \"fenced\") }}\n```\n";
    site.write("content/stream/calls.md", &format!("{FRONT}{body}"));
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let html = site.output("stream/calls/index.html");
    // Arguments are typed and escaped by the template's autoescape.
    assert!(
        html.contains(
            "<p>Inline <span class=\"badge\" data-n=\"3\" data-x=\"1.5\" data-on=\"true\">&lt;b&gt; &amp; &#39;q&#39;</span> here.</p>"
        ),
        "{html}"
    );
    // The body is Markdown, rendered with the page's facts, links and heading ids.
    assert!(
        html.contains("<div class=\"box\" title=\"A &quot;box&quot;\">"),
        "{html}"
    );
    assert!(html.contains("<strong>bold</strong>"), "{html}");
    assert!(html.contains("the cap 10,000"), "{html}");
    assert!(
        html.contains("<a href=\"../../stream/family/\">family</a>"),
        "{html}"
    );
    assert!(html.contains("data-on=\"false\">inner</span>"), "{html}");
    assert!(
        html.contains("<h2 id=\"inside-the-box\">Inside the box</h2>"),
        "{html}"
    );
    assert!(html.contains("</h2>\n</div>"), "{html}");
    assert!(!html.contains("{% end %}"), "{html}");
    // Code is left as written.
    assert!(
        html.contains("<code>{{ badge(label = \"in code\") }}</code>"),
        "{html}"
    );
    assert!(
        html.contains("{% box() %}\n{{ badge(label = \"fenced\") }}"),
        "{html}"
    );
}

#[test]
fn a_paragraph_of_one_shortcode_is_its_html_alone() {
    let site = with_shortcodes();
    let body = "{{ badge(label = \"alone\", n = 1, x = 1, on = true) }}\n";
    site.write("content/stream/calls.md", &format!("{FRONT}{body}"));
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let html = site.output("stream/calls/index.html");
    assert!(html.contains("\n<span class=\"badge\""), "{html}");
    assert!(!html.contains("<p><span class=\"badge\""), "{html}");
}

#[test]
fn built_in_shortcodes_keep_their_names() {
    let site = with_shortcodes();
    site.write(
        "themes/plain/templates/shortcodes/fact.html",
        "NOT THE FACT",
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let html = site.output("stream/the-cap/index.html");
    assert!(html.contains("The cap is 10,000"), "{html}");
    assert!(!html.contains("NOT THE FACT"), "{html}");
}

#[test]
fn an_unknown_shortcode_is_pointed_at_with_the_nearest_name() {
    let text = error_at(
        "Text {{ bdge(label = \"x\") }}.\n",
        "unknown shortcode `bdge`",
        "content/stream/calls.md:5:9",
    );
    assert!(text.contains("did you mean `badge`?"), "{text}");
    let text = error_at(
        "{% zzzzzz() %}\nBody\n{% end %}\n",
        "unknown shortcode `zzzzzz`",
        "content/stream/calls.md:5:4",
    );
    assert!(text.contains("templates/shortcodes/NAME.html"), "{text}");
    assert!(text.contains("`badge`, `box`"), "{text}");
}

#[test]
fn bad_arguments_are_pointed_at_with_what_to_write() {
    let text = error_at(
        "A {{ badge(label = Start) }}\n",
        "`Start` is not a value",
        "content/stream/calls.md:5:20",
    );
    assert!(text.contains("label = \"Start\""), "{text}");
    let text = error_at(
        "A {{ badge(\"x\") }}\n",
        "expected an argument's name",
        "content/stream/calls.md:5:12",
    );
    assert!(text.contains("arguments are named"), "{text}");
    error_at(
        "A {{ badge(n = 1, n = 2) }}\n",
        "the argument `n` is given twice",
        "content/stream/calls.md:5:19",
    );
    error_at(
        "A {{ badge(label = \"open) }}\n",
        "has no closing",
        "content/stream/calls.md:5:20",
    );
    // A call never closed is one error, not one per reader that trips over it after.
    error_at(
        "A {{ badge(label = \"x\"\n\nMore text.\n",
        "cannot read this shortcode",
        "content/stream/calls.md:7:1",
    );
    let text = error_at(
        "A {{ badge(label = \"javascript:alert(1)\", n = 1, x = 1, on = true) }}\n",
        "would run a script",
        "content/stream/calls.md:5:21",
    );
    assert!(text.contains("https://"), "{text}");
    let text = error_at(
        "See {{ badge(label = \"@/stream/famly.md\", n = 1, x = 1, on = true) }}\n",
        "link to a page that does not exist",
        "content/stream/calls.md:5:23",
    );
    assert!(
        text.contains("did you mean `@/stream/family.md`?"),
        "{text}"
    );
}

#[test]
fn a_body_must_be_closed_and_stand_on_its_own_lines() {
    let text = error_at(
        "Before.\n\n{% box(title = \"T\") %}\nNever closed.\n",
        "the body of `box` is never closed",
        "content/stream/calls.md:7:1",
    );
    assert!(text.contains("{% end %}"), "{text}");
    error_at(
        "Before.\n\n{% end %}\n",
        "closes no shortcode",
        "content/stream/calls.md:7:1",
    );
    error_at(
        "Text {% box(title = \"T\") %}\nBody\n{% end %}\n",
        "must start on a line of its own",
        "content/stream/calls.md:5:6",
    );
    let text = error_at(
        "{% fact(prog.cap) %}\nBody\n{% end %}\n",
        "`fact` takes no body",
        "content/stream/calls.md:5:4",
    );
    assert!(text.contains("{{ fact(...) }}"), "{text}");
}

#[test]
fn a_template_error_is_reported_at_the_call() {
    // `box` reads `body`, which only a body call gives.
    let text = error_at(
        "\nSee {{ box(title = \"T\") }}\n",
        "shortcode `box` failed",
        "content/stream/calls.md:6:5",
    );
    assert!(text.contains("`body`"), "{text}");
    assert!(
        text.contains("themes/plain/templates/shortcodes/box.html"),
        "{text}"
    );
}

/// The basic fixture on the default theme of this repository.
fn on_default_theme() -> Fixture {
    let site = Fixture::new("basic");
    let theme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    copy_tree(&theme, &site.path("themes/default"));
    site.edit("site.toml", "theme = \"plain\"", "theme = \"default\"");
    site
}

#[test]
fn the_default_theme_ships_note_warning_and_a_start_button() {
    let site = on_default_theme();
    let body =
        "{% note() %}\nA *note*.\n{% end %}\n\n{% warning() %}\nApply in time.\n{% end %}\n\n\
                {{ button(url = \"@/stream/family.md\", text = \"Start now\") }}\n";
    site.write("content/stream/calls.md", &format!("{FRONT}{body}"));
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let html = site.output("stream/calls/index.html");
    assert!(
        html.contains("<div class=\"note\">\n<p>A <em>note</em>.</p>\n"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"visually-hidden\">Warning: </span>"),
        "{html}"
    );
    assert!(html.contains("<p>Apply in time.</p>"), "{html}");
    assert!(
        html.contains("<a class=\"start-button\" href=\"../../stream/family/\""),
        "{html}"
    );
    assert!(html.contains(">Start now<svg"), "{html}");
    // A button needs somewhere to go.
    site.write(
        "content/stream/calls.md",
        &format!("{FRONT}\n{{{{ button(text = \"Go\") }}}}\n"),
    );
    let (_, text) = site.build_error();
    assert!(text.contains("content/stream/calls.md:6:1"), "{text}");
    assert!(text.contains("shortcode `button` failed"), "{text}");
    assert!(text.contains("`url`"), "{text}");
}

#[test]
fn pages_link_the_previous_and_next_in_their_section() {
    let site = on_default_theme();
    // Weights order the section (cap 10, family 20); a title breaks a tie.
    for (name, title, weight) in [("b", "Bravo", 15), ("a", "Alpha", 15), ("z", "Zulu", 30)] {
        site.write(
            &format!("content/stream/{name}.md"),
            &format!(
                "+++\ntitle = \"{title}\"\ndescription = \"D.\"\nweight = {weight}\n+++\nText.\n"
            ),
        );
    }
    // A subsection ordered between two pages is not one of their neighbours.
    site.write(
        "content/stream/deeper/_index.md",
        "+++\ntitle = \"Deeper\"\ndescription = \"D.\"\nweight = 25\n+++\nText.\n",
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let neighbours = |path: &str| {
        let html = site.output(path);
        let link = |rel: &str| {
            let marker = format!("\" rel=\"{rel}\">");
            html.find(&marker).map(|end| {
                let start = html[..end].rfind("href=\"").unwrap() + 6;
                html[start..end].to_string()
            })
        };
        (link("prev"), link("next"))
    };
    let some = |path: &str| Some(path.to_string());
    assert_eq!(
        neighbours("stream/the-cap/index.html"),
        (None, some("../../stream/a/"))
    );
    assert_eq!(
        neighbours("stream/a/index.html"),
        (some("../../stream/the-cap/"), some("../../stream/b/"))
    );
    assert_eq!(
        neighbours("stream/b/index.html"),
        (some("../../stream/a/"), some("../../stream/family/"))
    );
    assert_eq!(
        neighbours("stream/family/index.html"),
        (some("../../stream/b/"), some("../../stream/z/"))
    );
    assert_eq!(
        neighbours("stream/z/index.html"),
        (some("../../stream/family/"), None)
    );
    let html = site.output("stream/a/index.html");
    assert!(
        html.contains(
            "<nav class=\"pager\" data-search-ignore aria-label=\"Previous and next pages\">"
        ),
        "{html}"
    );
    // A section's own page has no neighbours.
    assert!(!site.output("stream/index.html").contains("class=\"pager\""));
}

#[test]
fn an_alias_writes_a_relative_redirect_to_the_page() {
    let site = Fixture::new("basic");
    give_the_cap_aliases(&site, "[\"old/cap/\", \"/cap.html\"]");
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    // The fixture's base URL has a subpath: the redirect must stay inside it.
    let base = url::Url::parse("https://example.org/guides/fixture/").unwrap();
    for (alias, href) in [
        ("old/cap/index.html", "../../stream/the-cap/index.html"),
        ("cap.html", "./stream/the-cap/index.html"),
    ] {
        let html = site.output(alias);
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={href}\">"
            )),
            "{html}"
        );
        assert!(
            html.contains(&format!("<a href=\"{href}\">The cap</a>")),
            "{html}"
        );
        assert!(
            html.contains("<link rel=\"canonical\" href=\"https://example.org/guides/fixture/stream/the-cap/\">"),
            "{html}"
        );
        // The site's icon named, so the browser asks the subpath, not the host's root.
        let root = href.strip_suffix("stream/the-cap/index.html").unwrap();
        assert!(
            html.contains(&format!("<link rel=\"icon\" href=\"{root}favicon.svg\">")),
            "{html}"
        );
        let resolved = base.join(alias).unwrap().join(href).unwrap();
        assert_eq!(
            resolved.as_str(),
            "https://example.org/guides/fixture/stream/the-cap/index.html"
        );
        let page = resolved.path().strip_prefix("/guides/fixture/").unwrap();
        assert!(site.output(page).contains("The cap is"));
    }
    // Not a page of the guide: not in the sitemap.
    assert!(!site.output("sitemap.xml").contains("old/cap"));
    // `guide check` reads the redirects like any other page, and finds nothing wrong.
    let mut options = CheckOptions::new(site.options());
    options.today = Some(guide_rules::Date::parse("2026-06-01").unwrap());
    let report = guide::check::check(&options).unwrap_or_else(|e| panic!("{e}"));
    let about_alias: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.render().contains("old/cap") || f.render().contains("cap.html"))
        .collect();
    assert!(about_alias.is_empty(), "{}", report.render_findings());
    assert!(
        report.findings.iter().all(|f| !f.is_error()),
        "{}",
        report.render_findings()
    );
}

#[test]
fn an_alias_at_a_page_or_another_alias_names_both_files() {
    let site = Fixture::new("basic");
    give_the_cap_aliases(&site, "[\"stream/family/\"]");
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(
        text.contains(
            "this alias and content/stream/family.md both have the URL `/stream/family/`"
        ),
        "{text}"
    );
    assert_eq!(
        diagnostics.0[0].location(),
        "content/stream/cap.md:6:12",
        "{text}"
    );

    let site = Fixture::new("basic");
    give_the_cap_aliases(&site, "[\"old/\"]");
    site.edit(
        "content/stream/family.md",
        "weight = 20\n",
        "weight = 20\naliases = [\"/old\"]\n",
    );
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert!(
        text.contains("this alias and the alias `old/` of content/stream/cap.md"),
        "{text}"
    );
    assert!(text.contains("content/stream/family.md:5:12"), "{text}");
    assert!(text.contains("content/stream/cap.md:6:12"), "{text}");
    assert!(text.contains("the other alias"), "{text}");
}

#[test]
fn an_alias_outside_the_output_folder_is_refused() {
    let site = Fixture::new("basic");
    give_the_cap_aliases(&site, "[\"ok/\", \"../outside/\"]");
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{text}");
    assert_eq!(
        diagnostics.0[0].location(),
        "content/stream/cap.md:6:19",
        "{text}"
    );
    assert!(text.contains("this alias"), "{text}");
    assert!(text.contains("`..`"), "{text}");
    assert!(!site.path("outside").exists());
}

#[test]
fn a_site_without_an_icon_names_none_and_its_own_redirect_template_replaces_the_built_in_one() {
    let site = Fixture::new("basic");
    give_the_cap_aliases(&site, "[\"old/cap/\"]");
    std::fs::remove_file(site.path("themes/plain/static/favicon.svg")).unwrap();
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let html = site.output("old/cap/index.html");
    assert!(!html.contains("rel=\"icon\""), "{html}");
    assert!(html.contains("This page has moved to"), "{html}");

    site.write(
        "templates/redirect.html",
        "<!doctype html><html lang=\"{{ lang }}\"><title>Gone to {{ title }}</title>\
         <meta http-equiv=\"refresh\" content=\"0; url={{ target }}\">\
         <p><a href=\"{{ target }}\">{{ title }}</a></p></html>\n",
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let html = site.output("old/cap/index.html");
    assert!(html.contains("<title>Gone to The cap</title>"), "{html}");
    assert!(!html.contains("This page has moved to"), "{html}");
}

#[test]
fn a_redirect_speaks_the_language_of_its_page() {
    let site = Fixture::new("bilingual");
    site.edit(
        "content/stream/cap.fr.md",
        "slug = \"plafond\"\n",
        "slug = \"plafond\"\naliases = [\"fr/ancien-plafond/\"]\n",
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let html = site.output("fr/ancien-plafond/index.html");
    assert!(html.contains("<html lang=\"fr\">"), "{html}");
    assert!(
        html.contains("Cette page a été déplacée\u{a0}: «\u{a0}<a href=\"../../fr/volet/plafond/index.html\">Plafond</a>\u{a0}»."),
        "{html}"
    );
    assert!(
        html.contains("<link rel=\"icon\" href=\"../../favicon.svg\">"),
        "{html}"
    );
}

#[test]
fn an_error_in_the_redirect_template_names_its_file_and_line() {
    let site = Fixture::new("basic");
    give_the_cap_aliases(&site, "[\"old/cap/\"]");
    site.write(
        "templates/redirect.html",
        "<!doctype html>\n<title>{{ title }}</title>\n<p>{{ moved_to }}</p>\n",
    );
    let (_, text) = site.build_error();
    assert!(text.contains("templates/redirect.html:3"), "{text}");
    assert!(text.contains("moved_to"), "{text}");
}

/// The basic fixture's page about the cap (slug `the-cap`) with front matter `aliases = LIST`.
fn give_the_cap_aliases(site: &Fixture, list: &str) {
    site.edit(
        "content/stream/cap.md",
        "slug = \"the-cap\"\n",
        &format!("slug = \"the-cap\"\naliases = {list}\n"),
    );
}

#[test]
fn a_page_of_many_short_shortcode_calls_renders_each() {
    // `{{ dot() }}` is nine bytes: its stand-in while Markdown is parsed must fit there
    // whatever the call's number on the page.
    let site = with_shortcodes();
    site.write("themes/plain/templates/shortcodes/dot.html", "<i>.</i>");
    let calls: Vec<String> = (0..1200)
        .map(|i| {
            if i % 2 == 0 {
                "{{dot()}}"
            } else {
                "{{ dot() }}"
            }
            .to_string()
        })
        .collect();
    site.write(
        "content/stream/calls.md",
        &format!("{FRONT}{}\n", calls.join(" ")),
    );
    site.build().unwrap_or_else(|e| panic!("{}", e.render()));
    let html = site.output("stream/calls/index.html");
    assert_eq!(html.matches("<i>.</i>").count(), 1200, "{html}");
}

#[test]
fn a_page_with_more_calls_than_stand_ins_can_number_is_told_once() {
    // The shortest call, `{{a()}}`, has room for five digits: the 100,001st is one too many.
    let site = with_shortcodes();
    site.write("themes/plain/templates/shortcodes/a.html", "");
    let calls = "{{a()}}".repeat(100_002);
    site.write("content/stream/calls.md", &format!("{FRONT}{calls}\n"));
    let (diagnostics, text) = site.build_error();
    assert_eq!(diagnostics.len(), 1, "{}", &text[..text.len().min(2000)]);
    assert!(text.contains("too many shortcodes on one page"), "{text}");
    // At the first call past the limit: the 100,001st, on line 5.
    let column = 100_000 * "{{a()}}".len() + 1;
    assert_eq!(
        diagnostics.0[0].location(),
        format!("content/stream/calls.md:5:{column}")
    );
}
