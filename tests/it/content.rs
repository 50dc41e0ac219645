//! The bundled guide's wording: what its pages say about the program stays within what the
//! sources say, and generated lists read the way the pages describe them.

fn build() -> (tempfile::TempDir, impl Fn(&str) -> String) {
    let out = tempfile::tempdir().unwrap();
    let mut options = guide::BuildOptions::new(env!("CARGO_MANIFEST_DIR"));
    options.output = out.path().join("public");
    guide::build(&options).unwrap_or_else(|e| panic!("{}", e.render()));
    let public = out.path().join("public");
    let read = move |path: &str| {
        std::fs::read_to_string(public.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    };
    (out, read)
}

/// The `content` of the page's `<meta name="description">`.
fn description(html: &str) -> &str {
    let start = html
        .find("<meta name=\"description\" content=\"")
        .expect("a description")
        + "<meta name=\"description\" content=\"".len();
    let end = html[start..].find('"').unwrap();
    &html[start..start + end]
}

#[test]
fn the_check_page_offers_the_checker_to_family_members_too() {
    let (_out, read) = build();
    let check = read("check/index.html");
    let description = description(&check);
    assert!(
        !description.contains("principal applicant"),
        "{description}"
    );
    for role in ["H-1B holder", "spouse", "partner", "child"] {
        assert!(description.contains(role), "{role} in: {description}");
    }
}

#[test]
fn timeline_labels_tell_of_the_past() {
    let facts = guide::facts::Facts::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    let present = [
        "opens",
        "closes",
        "reaches",
        "announces",
        "launches",
        "clarifies",
        "ends",
        "may",
        "can",
    ];
    let timeline = facts.timeline();
    let events = timeline.as_array().unwrap();
    assert!(events.len() >= 8, "{timeline}");
    for event in events {
        let label = event["label"].as_str().unwrap();
        for word in label.split(|c: char| !c.is_alphanumeric()) {
            assert!(
                !present.contains(&word.to_lowercase().as_str()),
                "`{word}` in the timeline label {label:?}"
            );
        }
    }
}

#[test]
fn the_tech_workforce_reads_as_about_one_point_two_million() {
    let (_out, read) = build();
    let hubs = read("hubs/index.html");
    assert!(hubs.contains("employs about 1.2 million people."), "{hubs}");
    assert!(!hubs.contains("1,200,000"));
}

#[test]
fn the_guide_says_no_more_than_the_follow_up_policy_about_new_applicants() {
    let (_out, read) = build();
    for path in ["index.html", "stream/cap/index.html"] {
        let html = read(path);
        assert!(!html.contains("original form"), "{path}");
        assert!(
            html.contains("not inviting new principal") && html.contains("applicants"),
            "{path}"
        );
    }
}

#[test]
fn sources_that_share_an_index_address_are_titled_as_the_index() {
    let facts = guide::facts::Facts::load(std::path::Path::new(env!("CARGO_MANIFEST_DIR")))
        .unwrap_or_else(|e| panic!("{}", e.render()));
    for source in &facts.sources {
        let sharing = facts
            .sources
            .iter()
            .filter(|other| !source.url.is_empty() && other.url == source.url)
            .count();
        if sharing > 1 {
            assert!(
                source.title.contains("(index)"),
                "`{}` links to {} like another source, but is titled as a document: {}",
                source.id,
                source.url,
                source.title
            );
        }
    }
}

#[test]
fn the_sources_page_lists_official_sources_before_the_articles() {
    let (_out, read) = build();
    let sources = read("sources/index.html");
    let ids: Vec<&str> = sources
        .split("<li class=\"source\" id=\"source-")
        .skip(1)
        .map(|rest| &rest[..rest.find('"').unwrap()])
        .collect();
    let first_article = ids
        .iter()
        .position(|id| id.starts_with("article_"))
        .unwrap();
    assert!(
        ids[first_article..]
            .iter()
            .all(|id| id.starts_with("article_")),
        "{ids:?}"
    );
    assert!(first_article >= 10, "{ids:?}");
}

#[test]
fn a_missing_web_address_is_said_in_words_not_in_monospace() {
    let (_out, read) = build();
    let sources = read("sources/index.html");
    assert!(
        sources.contains("<p class=\"source-no-url\">No web address recorded"),
        "{sources}"
    );
    let css = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/assets/style.css"),
    )
    .unwrap();
    let rule = css
        .split(".source-no-url {")
        .nth(1)
        .and_then(|rest| rest.split('}').next())
        .expect("a rule for .source-no-url");
    assert!(!rule.contains("mono"), "{rule}");
}
