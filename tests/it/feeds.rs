//! What a build publishes for any static host: sitemap.xml, robots.txt, the Atom feed of
//! updates, a base URL with a path, fingerprinted assets, minified output, and the head tags
//! every page carries.

use std::path::Path;

use crate::common::{snapshot, Fixture};

const BASE: &str = "https://example.org/guides/fixture/";

fn built() -> Fixture {
    let site = Fixture::new("hosting");
    site.build().unwrap();
    site
}

/// Text between every `<open>` and `</close>`, in order.
fn all_between<'t>(text: &'t str, open: &str, close: &str) -> Vec<&'t str> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(open) {
        let after = &rest[start + open.len()..];
        let end = after.find(close).expect("closed");
        found.push(&after[..end]);
        rest = &after[end + close.len()..];
    }
    found
}

fn html_files(dir: &Path) -> Vec<(String, String)> {
    snapshot(dir)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8(bytes).unwrap()))
        .collect()
}

#[test]
fn the_sitemap_lists_every_page_by_absolute_url_with_its_last_change() {
    let site = built();
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"), "{sitemap}");
    let locs = all_between(&sitemap, "<loc>", "</loc>");
    assert_eq!(
        locs,
        [
            BASE.to_string(),
            format!("{BASE}about/"),
            format!("{BASE}guide/"),
            format!("{BASE}guide/steps/"),
            format!("{BASE}updates/"),
            format!("{BASE}updates/note/"),
            format!("{BASE}updates/opened/"),
            format!("{BASE}updates/rules/"),
        ],
        "sorted by path; no draft, no 404 page"
    );
    assert!(
        sitemap.contains(&format!(
            "<loc>{BASE}updates/rules/</loc>\n    <lastmod>2024-04-01</lastmod>"
        )),
        "`updated` wins over `date`: {sitemap}"
    );
    assert!(sitemap.contains(&format!(
        "<loc>{BASE}updates/opened/</loc>\n    <lastmod>2024-01-10</lastmod>"
    )));
    assert!(
        sitemap.contains(&format!("<loc>{BASE}about/</loc>\n  </url>")),
        "no lastmod without a date: {sitemap}"
    );

    let again = Fixture::new("hosting");
    again.build().unwrap();
    assert_eq!(again.output("sitemap.xml"), sitemap, "deterministic");
    assert_eq!(again.output("atom.xml"), site.output("atom.xml"));
}

#[test]
fn robots_txt_points_at_the_sitemap() {
    let site = built();
    assert_eq!(
        site.output("robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    );
}

#[test]
fn a_static_robots_txt_replaces_the_generated_one() {
    let site = Fixture::new("hosting");
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build().unwrap();
    assert_eq!(site.output("robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn the_atom_feed_lists_dated_updates_newest_first() {
    let site = built();
    let feed = site.output("atom.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"
    ), "{feed}");
    assert!(feed.contains("<title>Hosting Fixture</title>"));
    assert!(feed.contains(&format!("<id>{BASE}</id>")));
    assert!(feed.contains(&format!(
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{BASE}atom.xml\"/>"
    )));
    assert!(
        feed.contains("<updated>2024-04-01T00:00:00Z</updated>\n  <author>"),
        "the feed's updated is its newest entry's: {feed}"
    );
    let entries = all_between(&feed, "<entry>", "</entry>");
    assert_eq!(
        entries.len(),
        2,
        "only pages with update = true and a date, no draft: {feed}"
    );
    let newest = entries[0];
    assert!(
        newest.contains("<title>New rules: caps &amp; &lt;limits&gt;</title>"),
        "{newest}"
    );
    assert!(newest.contains(&format!("<id>{BASE}updates/rules/</id>")));
    assert!(newest.contains(&format!(
        "<link rel=\"alternate\" type=\"text/html\" href=\"{BASE}updates/rules/\"/>"
    )));
    assert!(newest.contains("<published>2024-03-05T00:00:00Z</published>"));
    assert!(newest.contains("<updated>2024-04-01T00:00:00Z</updated>"));
    assert!(
        newest.contains("<summary type=\"text\">The rules changed &quot;again&quot;.</summary>")
    );
    let older = entries[1];
    assert!(older.contains("<title>The stream opened</title>"));
    assert!(
        older.contains("<updated>2024-01-10T00:00:00Z</updated>"),
        "updated falls back to the date: {older}"
    );
}

#[test]
fn templates_get_the_feed_path_and_a_site_without_updates_has_no_feed() {
    let site = built();
    let home = site.output("index.html");
    assert!(
        home.contains("<link rel=\"alternate\" type=\"application/atom+xml\" href=\"./atom.xml\">"),
        "{home}"
    );
    assert!(site
        .output("guide/steps/index.html")
        .contains("href=\"../../atom.xml\""));

    let quiet = Fixture::new("hosting");
    for page in ["opened", "rules"] {
        quiet.edit(
            &format!("content/updates/{page}.md"),
            "update = true",
            "update = false",
        );
    }
    quiet.build().unwrap();
    assert!(!quiet.path("public/atom.xml").exists());
    assert!(!quiet.output("index.html").contains("application/atom+xml"));
}

#[test]
fn base_url_override_moves_every_absolute_url_and_no_relative_one() {
    let site = Fixture::new("hosting");
    let mut options = site.options();
    options.base_url = Some("https://mirror.example.net/h1b".into());
    guide::build(&options).unwrap();
    let moved = "https://mirror.example.net/h1b/";
    let steps = site.output("guide/steps/index.html");
    assert!(
        steps.contains(&format!(
            "<link rel=\"canonical\" href=\"{moved}guide/steps/\">"
        )),
        "{steps}"
    );
    assert!(site
        .output("sitemap.xml")
        .contains(&format!("<loc>{moved}guide/steps/</loc>")));
    assert!(site
        .output("robots.txt")
        .contains(&format!("Sitemap: {moved}sitemap.xml")));
    assert!(site
        .output("atom.xml")
        .contains(&format!("<id>{moved}updates/rules/</id>")));
    assert!(
        site.output("404.html").contains("href=\"/h1b/\""),
        "the 404 page reaches the root by the base path"
    );
    for (path, html) in html_files(&site.path("public")) {
        assert!(
            !html.contains("example.org/guides"),
            "{path} kept the old base"
        );
        if path != "404.html" {
            for href in all_between(&html, "href=\"", "\"") {
                assert!(!href.starts_with('/'), "{path}: `{href}` is not relative");
            }
        }
    }
}

#[test]
fn assets_are_fingerprinted_and_html_is_not() {
    let site = built();
    let files: Vec<String> = snapshot(&site.path("public"))
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    let style = files
        .iter()
        .find(|path| path.starts_with("style."))
        .expect("a stylesheet");
    let hash = style
        .strip_prefix("style.")
        .and_then(|rest| rest.strip_suffix(".css"))
        .unwrap();
    assert_eq!(hash.len(), 10, "{style}");
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()), "{style}");
    assert!(site
        .output("index.html")
        .contains(&format!("href=\"./{style}\"")));
    assert!(files.contains(&"index.html".to_string()));
    assert!(files.contains(&"guide/steps/index.html".to_string()));

    let changed = Fixture::new("hosting");
    changed.edit("themes/site/assets/style.css", "40rem", "42rem");
    changed.build().unwrap();
    assert!(
        !changed.path("public").join(style).exists(),
        "a changed stylesheet gets a new name"
    );
}

#[test]
fn minify_shrinks_pages_and_stylesheets_and_keeps_their_content() {
    let plain = built();
    let small = Fixture::new("hosting");
    small.edit(
        "site.toml",
        "theme = \"site\"",
        "theme = \"site\"\nminify = true",
    );
    small.build().unwrap();
    for page in ["index.html", "guide/steps/index.html", "404.html"] {
        let (before, after) = (plain.output(page), small.output(page));
        assert!(
            after.len() < before.len(),
            "{page}: {} → {}",
            before.len(),
            after.len()
        );
        assert!(
            after.starts_with("<!doctype html><html lang=en><head>"),
            "{after}"
        );
        assert!(after.ends_with("</body></html>"), "{after}");
    }
    let steps = small.output("guide/steps/index.html");
    assert!(
        steps.contains("<h2 id=before-you-apply>Before you apply</h2>"),
        "{steps}"
    );
    assert!(
        steps.contains("alt=\"A bar chart of applications by month\""),
        "{steps}"
    );
    assert!(
        steps.contains("<title>Steps · Hosting Fixture</title>"),
        "{steps}"
    );
    let style = |site: &Fixture| {
        snapshot(&site.path("public"))
            .into_iter()
            .find(|(path, _)| path.ends_with(".css"))
            .map(|(_, bytes)| String::from_utf8(bytes).unwrap())
            .unwrap()
    };
    let sheet = style(&small);
    assert!(sheet.len() < style(&plain).len(), "{sheet}");
    assert!(sheet.contains("max-width:40rem"), "{sheet}");
    assert!(!sheet.contains("long enough"), "comments go: {sheet}");
    assert_eq!(
        small.output("atom.xml"),
        plain.output("atom.xml"),
        "only HTML and CSS are minified"
    );

    let flag = Fixture::new("hosting");
    let mut options = flag.options();
    options.minify = true;
    guide::build(&options).unwrap();
    assert_eq!(flag.output("index.html"), small.output("index.html"));
}

/// The bundled guide, built with the default theme: every page, the 404 page too, has the head
/// tags that search engines, link previews and feed readers look for.
#[test]
fn every_page_of_the_default_theme_has_canonical_description_and_open_graph_tags() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(repo);
    options.output = out.path().join("public");
    guide::build(&options).unwrap();
    let pages = html_files(&options.output);
    assert!(pages.len() > 10);
    let base = "https://example.org/guides/tech-talent/";
    for (path, html) in &pages {
        let url = match path.as_str() {
            "404.html" => format!("{base}404.html"),
            path => format!("{base}{}", path.strip_suffix("index.html").unwrap()),
        };
        for tag in [
            format!("<link rel=\"canonical\" href=\"{url}\">"),
            format!("<meta property=\"og:url\" content=\"{url}\">"),
            "<meta name=\"description\" content=\"".to_string(),
            "<meta property=\"og:title\" content=\"".to_string(),
            "<meta property=\"og:description\" content=\"".to_string(),
            "<meta property=\"og:type\" content=\"".to_string(),
            "favicon.svg\" type=\"image/svg+xml\">".to_string(),
            "type=\"application/atom+xml\" href=\"".to_string(),
            "<script src=\"".to_string(),
        ] {
            assert!(html.contains(&tag), "{path} lacks {tag}");
        }
        assert!(
            !html.contains("<meta name=\"description\" content=\"\">"),
            "{path} has an empty description"
        );
    }
    let not_found = &pages.iter().find(|(path, _)| path == "404.html").unwrap().1;
    assert!(not_found.contains("<link rel=\"icon\" href=\"/guides/tech-talent/favicon.svg\""));
    assert!(not_found.contains("href=\"/guides/tech-talent/atom.xml\""));
    assert!(options.output.join("favicon.svg").is_file());
}
