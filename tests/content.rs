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
