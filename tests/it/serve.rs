//! `guide serve` in-process on a free loopback port, on a temporary copy of a fixture site:
//! what it serves, what open pages are told after edits, and that the result of a series of
//! incremental rebuilds is exactly a fresh build.

mod client;

use std::fs;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};

use crate::common::{snapshot, Fixture};
use client::{get, request, Events};
use guide::serve::{ServeOptions, Server};

struct Preview {
    site: Fixture,
    server: Option<Server>,
    lines: Arc<Mutex<Vec<String>>>,
}

impl Preview {
    fn start(fixture: &str) -> Preview {
        Preview::start_with(fixture, |_| {})
    }

    /// Starts on a copy of `fixture` changed first by `prepare`.
    fn start_with(fixture: &str, prepare: impl FnOnce(&Fixture)) -> Preview {
        let site = Fixture::new(fixture);
        prepare(&site);
        let mut preview = Preview {
            site,
            server: None,
            lines: Arc::default(),
        };
        preview.restart(0);
        preview
    }

    /// Starts (again) on `port`, 0 for any free one.
    fn restart(&mut self, port: u16) {
        if let Some(server) = self.server.take() {
            server.stop();
        }
        let options = ServeOptions {
            port,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            ..ServeOptions::new(self.site.options())
        };
        let lines = self.lines.clone();
        let server = Server::start(options, move |line| {
            lines.lock().unwrap().push(line.to_string());
        })
        .expect("the server starts");
        self.server = Some(server);
    }

    fn server(&self) -> &Server {
        self.server.as_ref().unwrap()
    }

    fn address(&self) -> std::net::SocketAddr {
        self.server().address()
    }

    fn get(&self, path: &str) -> client::Response {
        get(self.address(), path)
    }

    fn page(&self, path: &str) -> String {
        let response = self.get(path);
        assert_eq!(response.status, 200, "{path}: {}", response.text());
        response.text()
    }

    /// A connection to the event stream, past its first `hello`.
    fn events(&self) -> (Events, serde_json::Value) {
        let mut events = Events::connect(self.address());
        let hello = self.expect(&mut events, "hello");
        (events, hello.data)
    }

    /// The next event, failing with what the server printed when none comes in time.
    fn next_event(&self, events: &mut Events) -> Option<client::Event> {
        events
            .next_within(client::PATIENCE)
            .unwrap_or_else(|| panic!("no event; the server printed {:#?}", self.lines()))
    }

    /// The next event, which must be named `name`.
    fn expect(&self, events: &mut Events, name: &str) -> client::Event {
        match self.next_event(events) {
            Some(event) if event.name == name => event,
            other => panic!(
                "expected a {name} event, got {other:?}; the server printed {:#?}",
                self.lines()
            ),
        }
    }

    /// Reloads until the page at `path` holds `text`: under load the watcher may report one
    /// save's events (a new folder, then the file in it) in two batches, whose second reload can
    /// come after the next save. Anything but a reload, or no reload in time, fails.
    fn reload_showing(&self, events: &mut Events, path: &str, text: &str) {
        loop {
            self.expect(events, "reload");
            let response = self.get(path);
            if response.status == 200 && response.text().contains(text) {
                return;
            }
        }
    }

    fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap().clone()
    }

    /// Saves as most editors do: a temporary file beside the target, renamed over it. A
    /// watcher never sees such a file half written, so each save is exactly one change.
    fn write(&self, relative: &str, text: &str) {
        let target = self.site.path(relative);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        let temporary = target.with_file_name(format!(
            ".{}.tmp",
            target.file_name().unwrap().to_string_lossy()
        ));
        fs::write(&temporary, text).unwrap();
        fs::rename(&temporary, &target).unwrap();
    }

    /// Replaces the first `from` in a file with `to`, saving as [`Preview::write`] does.
    fn edit(&self, relative: &str, from: &str, to: &str) {
        let text = self.site.read(relative);
        assert!(text.contains(from), "{relative} does not contain {from:?}");
        self.write(relative, &text.replacen(from, to, 1));
    }

    /// Makes `change`, then checks that the server rebuilt as `rebuild` says (a line it prints)
    /// and serves what a fresh build makes; returns the event open pages were sent.
    fn rebuilds_as_fresh(
        &self,
        events: &mut Events,
        describe: &str,
        rebuild: &str,
        change: &dyn Fn(&Preview),
    ) -> client::Event {
        let lines = self.lines().len();
        change(self);
        let event = self.next_event(events).unwrap();
        let line = self.wait_for_line(lines, |_| true);
        assert!(line.contains(rebuild), "{describe}: {line}");
        assert_eq!(self.served_files(), self.fresh_build(), "after {describe}");
        event
    }

    /// Waits until the site builds without an error again.
    fn wait_for_no_error(&self) {
        let deadline = std::time::Instant::now() + client::PATIENCE;
        while self.server().hub().current_error().is_some() {
            assert!(std::time::Instant::now() < deadline, "{:#?}", self.lines());
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    /// Waits for the server to print a line matching `wanted` after its first `after` lines
    /// (a rebuild that fails as the previous one did sends no event, only this line).
    fn wait_for_line(&self, after: usize, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = std::time::Instant::now() + client::PATIENCE;
        loop {
            let lines = self.lines();
            if let Some(line) = lines.into_iter().skip(after).find(|line| wanted(line)) {
                return line;
            }
            assert!(std::time::Instant::now() < deadline, "{:?}", self.lines());
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    /// Every served file as a fresh build would write it: the live-reload tag taken out.
    /// A save's events can arrive in more than one batch, so a rebuild may land while the
    /// files are read; the files are read again until one build served them all.
    fn served_files(&self) -> Vec<(String, Vec<u8>)> {
        let deadline = std::time::Instant::now() + client::PATIENCE;
        loop {
            let build = self.server().hub().build();
            let tag = guide::serve::http::live_script_tag(&build);
            let files: Vec<(String, Vec<u8>, bool)> = self
                .server()
                .hub()
                .paths()
                .into_iter()
                .map(|path| {
                    let response = self.get(&format!("/{}", encode(&path)));
                    assert_eq!(response.status, 200, "{path}");
                    let mut body = response.body;
                    let mut tagged = true;
                    if path.ends_with(".html") {
                        let text = String::from_utf8(body).unwrap();
                        tagged = text.matches(&tag).count() == 1;
                        body = text.replacen(&tag, "", 1).into_bytes();
                    }
                    (path, body, tagged)
                })
                .collect();
            let one_build = self.server().hub().build() == build;
            if one_build {
                for (path, body, tagged) in &files {
                    assert!(tagged, "{path}: {}", String::from_utf8_lossy(body));
                }
                return files
                    .into_iter()
                    .map(|(path, body, _)| (path, body))
                    .collect();
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the site kept rebuilding"
            );
        }
    }

    /// What `guide build` writes for the same inputs and base URL.
    fn fresh_build(&self) -> Vec<(String, Vec<u8>)> {
        let output = tempfile::tempdir().unwrap();
        let mut options = self.site.options();
        options.output = output.path().join("public");
        options.base_url = Some(self.server().url().to_string());
        guide::build(&options).unwrap_or_else(|error| panic!("{error}"));
        // The build's record is its own bookkeeping, not a file of the site the server serves.
        snapshot(&options.output)
            .into_iter()
            .map(|(path, bytes)| (path.replace('\\', "/"), bytes))
            .filter(|(path, _)| path != guide::output::record::NAME)
            .collect()
    }
}

fn encode(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            percent_encoding::utf8_percent_encode(segment, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn pages_folders_and_the_not_found_page() {
    let preview = Preview::start("serve");
    let home = preview.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    let text = home.text();
    assert!(text.contains("<h1>Home</h1>"), "{text}");
    let tag = guide::serve::http::live_script_tag(&preview.server().hub().build());
    assert!(text.contains(&format!("{tag}</body>")), "{text}");
    assert_eq!(text.matches("/__guide/live.js").count(), 1);

    assert!(preview.page("/stream/").contains("<h1>The stream</h1>"));
    let redirect = preview.get("/stream");
    assert_eq!(redirect.status, 302);
    assert_eq!(redirect.header("location"), Some("/stream/"));
    let redirect = preview.get("/stream/details?x=1");
    assert_eq!(redirect.header("location"), Some("/stream/details/?x=1"));

    let missing = preview.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    let text = missing.text();
    assert!(
        text.contains("<h1>Not found</h1>"),
        "the site's 404.html: {text}"
    );
    assert!(text.contains("/__guide/live.js"));

    let script = preview.get("/__guide/live.js");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("content-type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.text().contains("EventSource"));

    assert_eq!(request(preview.address(), "POST", "/").status, 405);
    let head = request(preview.address(), "HEAD", "/stream/");
    assert_eq!(head.status, 200);
}

#[test]
fn files_carry_their_media_types() {
    let preview = Preview::start("serve");
    let css = preview
        .server()
        .hub()
        .paths()
        .into_iter()
        .find(|path| path.starts_with("style.") && path.ends_with(".css"))
        .unwrap();
    for (path, expected) in [
        ("/module.wasm", "application/wasm"),
        ("/app.js", "text/javascript; charset=utf-8"),
        (&format!("/{css}"), "text/css; charset=utf-8"),
        ("/favicon.svg", "image/svg+xml"),
        ("/feed.xml", "application/xml"),
        ("/stream/diagram.png", "image/png"),
    ] {
        let response = preview.get(path);
        assert_eq!(response.status, 200, "{path}");
        assert_eq!(response.header("content-type"), Some(expected), "{path}");
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"));
    }
    assert_eq!(preview.get("/module.wasm").body, b"\0asm\x01\0\0\0");
    assert!(
        !preview.get("/app.js").text().contains("live.js"),
        "only HTML gets the script"
    );
}

#[test]
fn nothing_outside_the_output_is_reachable() {
    let preview = Preview::start("serve");
    preview.write("secret.txt", "top secret");
    for path in [
        "/../secret.txt",
        "/..",
        "/stream/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/stream/%2e%2e/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/stream%2f..%2f..%2fsecret.txt",
        "/..\\secret.txt",
        "/%5c..%5csecret.txt",
        "/stream/..%5c..%5csecret.txt",
        "//secret.txt",
        "/site.toml",
        "/content/stream/family.md",
        "/%00",
        "/%c0%ae%c0%ae/secret.txt",
    ] {
        let response = preview.get(path);
        assert!(
            response.status == 400 || response.status == 404,
            "{path}: {}",
            response.status
        );
        let text = response.text();
        assert!(!text.contains("top secret"), "{path}");
        assert!(!text.contains("base_url"), "{path}");
    }
}

#[test]
fn a_body_edit_renders_that_page_alone_and_reloads() {
    let preview = Preview::start("serve");
    let (mut events, hello) = preview.events();
    assert!(hello["error"].is_null());
    let first_build = hello["build"].as_str().unwrap().to_string();

    // Written in place, as some editors do: a watcher may see the file half written first,
    // so wait for the reload that shows the whole edit.
    preview.site.edit(
        "content/stream/family.md",
        "Spouses and children.",
        "Spouses, partners and children.",
    );
    let reload = loop {
        let event = preview.next_event(&mut events).expect("an event");
        if event.name == "reload"
            && preview
                .page("/stream/family/")
                .contains("Spouses, partners and children.")
        {
            break event;
        }
    };
    assert_ne!(reload.data["build"].as_str().unwrap(), first_build);
    preview.wait_for_line(0, |line| {
        line.starts_with("content/stream/family.md changed: rendered 1 of 7 pages in")
    });

    // A reconnecting page learns the new build and that nothing is broken.
    let (_, hello) = preview.events();
    assert_eq!(hello["build"], reload.data["build"]);
    assert!(hello["error"].is_null());
}

#[test]
fn atomic_saves_new_and_deleted_pages_and_folders() {
    let preview = Preview::start("serve");
    let (mut events, _) = preview.events();

    let family = preview.site.read("content/stream/family.md");
    preview.write(
        "content/stream/family.md",
        // The first of two "Who counts" headings: the second keeps the id other pages link to.
        &family.replacen("## Who counts", "## Who may come", 1),
    );
    preview.expect(&mut events, "reload");
    assert!(preview.page("/stream/family/").contains("Who may come"));

    preview.write(
        "content/stream/new.md",
        "+++\ntitle = \"A new page\"\nweight = 5\n+++\nFresh.\n",
    );
    preview.expect(&mut events, "reload");
    assert!(preview.page("/stream/new/").contains("Fresh."));
    assert!(
        preview
            .page("/stream/")
            .contains("<a href=\"../stream/new/\">A new page</a>"),
        "the section lists it"
    );

    fs::create_dir_all(preview.site.path("content/more/deeper")).unwrap();
    preview.write(
        "content/more/deeper/page.md",
        "+++\ntitle = \"Deep\"\n+++\nDown here.\n",
    );
    preview.reload_showing(&mut events, "/more/deeper/page/", "Down here.");
    // A page in a folder created after start-up is watched too.
    preview.edit("content/more/deeper/page.md", "Down here.", "Still here.");
    preview.reload_showing(&mut events, "/more/deeper/page/", "Still here.");

    fs::remove_file(preview.site.path("content/stream/new.md")).unwrap();
    preview.expect(&mut events, "reload");
    assert_eq!(preview.get("/stream/new/").status, 404);
    assert!(!preview.page("/stream/").contains("A new page"));

    fs::remove_dir_all(preview.site.path("content/more")).unwrap();
    preview.expect(&mut events, "reload");
    assert_eq!(preview.get("/more/deeper/page/").status, 404);

    fs::rename(
        preview.site.path("content/stream/details"),
        preview.site.path("content/stream/fine-print"),
    )
    .unwrap();
    // Beta's link to alpha's old path breaks, and says so.
    let failed = preview.expect(&mut events, "build-error");
    assert_eq!(
        failed.data["error"]["errors"][0]["file"],
        "content/stream/fine-print/beta.md"
    );
    preview.edit(
        "content/stream/fine-print/beta.md",
        "@/stream/details/alpha.md",
        "@/stream/fine-print/alpha.md",
    );
    preview.expect(&mut events, "reload");
    assert!(preview
        .page("/stream/fine-print/alpha/")
        .contains("Alpha text."));
    assert_eq!(preview.get("/stream/details/alpha/").status, 404);
}

#[test]
fn editor_files_and_reads_do_not_rebuild() {
    let preview = Preview::start("serve");
    let (mut events, hello) = preview.events();
    let lines_before = preview.lines().len();
    for name in [
        ".family.md.swp",
        "family.md~",
        "#family.md#",
        ".#family.md",
        "4913.tmp",
    ] {
        preview
            .site
            .write(&format!("content/stream/{name}"), "+++\nbroken");
    }
    preview.write("public/index.html", "an old build");
    preview.write("README.md", "not an input");
    // Reading every input (as a build does) is not a change either.
    for (path, _) in snapshot(preview.site.root()) {
        let _ = fs::read(preview.site.root().join(path));
    }
    preview.edit("content/stream/cap.md", "The hubs", "The tech hubs");
    // The first event after all that is the edit's, one build on from the first.
    let reload = preview.expect(&mut events, "reload");
    let number = |build: &serde_json::Value| -> u64 {
        build
            .as_str()
            .unwrap()
            .rsplit('-')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(number(&reload.data["build"]), number(&hello["build"]) + 1);
    let new_lines = preview.lines()[lines_before..].to_vec();
    assert_eq!(new_lines.len(), 1, "{new_lines:?}");
    assert!(new_lines[0].starts_with("content/stream/cap.md changed"));
}

#[test]
fn a_broken_page_shows_the_error_and_the_last_good_site_stays() {
    let preview = Preview::start("serve");
    let (mut events, _) = preview.events();
    preview.edit(
        "content/stream/cap.md",
        "{{ fact(prog.cap) }}",
        "{{ fact(prog.cpa) }}",
    );
    let failed = preview.expect(&mut events, "build-error");
    let error = &failed.data["error"];
    let first = &error["errors"][0];
    assert_eq!(first["file"], "content/stream/cap.md");
    assert_eq!(first["line"], 7);
    assert_eq!(first["column"], 22);
    assert_eq!(first["message"], "unknown fact `prog.cpa`");
    let text = error["text"].as_str().unwrap();
    assert!(text.contains("did you mean `prog.cap`?"), "{text}");
    assert!(text.contains("content/stream/cap.md:7:22"), "{text}");

    // The last good page is still served, and a page opened now learns of the error.
    assert!(preview
        .page("/stream/the-cap/")
        .contains("The cap is 10,000"));
    let (_, hello) = preview.events();
    assert_eq!(hello["error"], *error);
    assert_eq!(hello["build"], failed.data["build"]);

    // Another page's edit does not publish a half-built site: the error stays, and pages
    // already showing it are not told again.
    let lines = preview.lines().len();
    preview.edit("content/stream/family.md", "Spouses", "Partners");
    preview.wait_for_line(lines, |line| line.contains("unknown fact `prog.cpa`"));
    assert!(!preview.page("/stream/family/").contains("Partners"));

    // Broken front matter too.
    preview.edit("content/stream/family.md", "weight = 20", "weight = ");
    let failed = preview.expect(&mut events, "build-error");
    let messages: Vec<_> = failed.data["error"]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["file"].as_str().unwrap().to_string())
        .collect();
    assert!(
        messages.contains(&"content/stream/family.md".to_string()),
        "{messages:?}"
    );

    preview.edit("content/stream/family.md", "weight = ", "weight = 20");
    let failed = preview.expect(&mut events, "build-error");
    assert_eq!(failed.data["error"]["errors"].as_array().unwrap().len(), 1);
    preview.edit(
        "content/stream/cap.md",
        "{{ fact(prog.cpa) }}",
        "{{ fact(prog.cap) }}",
    );
    let reload = preview.expect(&mut events, "reload");
    let (_, hello) = preview.events();
    assert!(hello["error"].is_null());
    assert_eq!(hello["build"], reload.data["build"]);
    assert!(preview.page("/stream/family/").contains("Partners"));
    assert_eq!(preview.served_files(), preview.fresh_build());
}

#[test]
fn a_deleted_site_toml_or_template_error_is_survived() {
    let preview = Preview::start("serve");
    let (mut events, _) = preview.events();
    let config = preview.site.read("site.toml");
    fs::remove_file(preview.site.path("site.toml")).unwrap();
    let failed = preview.expect(&mut events, "build-error");
    let file = failed.data["error"]["errors"][0]["file"].as_str().unwrap();
    assert!(file.ends_with("site.toml"), "{file}");
    assert!(preview.page("/").contains("<h1>Home</h1>"));

    preview.write("site.toml", &config);
    preview.expect(&mut events, "reload");

    preview.edit(
        "themes/plain/templates/page.html",
        "{{ page.title }}",
        "{{ page.title | nope }}",
    );
    let failed = preview.expect(&mut events, "build-error");
    let text = failed.data["error"]["text"].as_str().unwrap().to_string();
    assert!(text.contains("page.html"), "{text}");
    preview.edit(
        "themes/plain/templates/page.html",
        "{{ page.title | nope }}",
        "<b>{{ page.title }}</b>",
    );
    preview.expect(&mut events, "reload");
    assert!(preview
        .page("/stream/family/")
        .contains("<b>Family members</b>"));
    assert_eq!(preview.served_files(), preview.fresh_build());
}

#[test]
fn a_stylesheet_change_is_swapped_in_place() {
    let preview = Preview::start("serve");
    let (mut events, _) = preview.events();
    let old = preview
        .server()
        .hub()
        .paths()
        .into_iter()
        .find(|path| path.starts_with("style."))
        .unwrap();
    preview.write("themes/plain/assets/style.css", "body { color: #222; }\n");
    let swap = preview.expect(&mut events, "stylesheets");
    let swaps = swap.data["swaps"].as_array().unwrap();
    assert_eq!(swaps.len(), 1);
    assert_eq!(swaps[0]["from"], old.as_str());
    let new = swaps[0]["to"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    assert_eq!(
        preview.get(&format!("/{new}")).text(),
        "body { color: #222; }\n"
    );
    assert!(preview.page("/").contains(&format!("href=\"./{new}\"")));

    // A copied stylesheet keeps its name; it is served from disk as it is now.
    preview.write("static/extra.css", "p { margin: 0; }\n");
    preview.expect(&mut events, "reload");
    preview.write("static/extra.css", "p { margin: 1px; }\n");
    let swap = preview.expect(&mut events, "stylesheets");
    assert_eq!(swap.data["swaps"][0]["from"], "extra.css");
    assert_eq!(swap.data["swaps"][0]["to"], "extra.css");
    assert_eq!(preview.get("/extra.css").text(), "p { margin: 1px; }\n");

    // Anything else changing with it means a reload. The edit must change the page's HTML (the
    // theme does not show a description): when the stylesheet's rebuild reads the page already
    // edited, the page's own event finds nothing new, and only the HTML tells a swap from a
    // reload.
    preview.write("themes/plain/assets/style.css", "body { color: #333; }\n");
    preview.edit("content/stream/cap.md", "The hubs:", "The hubs are:");
    let event = preview.next_event(&mut events).unwrap();
    if event.name == "stylesheets" {
        // The two writes fell into two batches; the second must still reload.
        preview.expect(&mut events, "reload");
    } else {
        assert_eq!(event.name, "reload");
    }
}

#[test]
fn deep_templates_and_rules_saved_while_serving_leave_the_server_running() {
    let preview = Preview::start("serve");
    let (mut events, _) = preview.events();

    // A macro calling itself two hundred levels deep, as a nested table of contents does,
    // renders on the rebuild's threads.
    let nested_lists = "{% macro nest(level, last) %}<ul><li>level {{ level }}\
         {% if level < last %}{{ self::nest(level=level + 1, last=last) }}{% endif %}</li></ul>\
         {% endmacro nest %}";
    preview.write("themes/plain/templates/macros.html", nested_lists);
    let page = preview.site.read("themes/plain/templates/page.html");
    let page = page
        .replacen(
            "{% extends \"base.html\" %}",
            "{% extends \"base.html\" %}{% import \"macros.html\" as macros %}",
            1,
        )
        .replacen(
            "{{ page.content | safe }}",
            "{{ macros::nest(level=1, last=200) }}{{ page.content | safe }}",
            1,
        );
    preview.write("themes/plain/templates/page.html", &page);
    loop {
        let event = preview.next_event(&mut events).expect("an event");
        assert_ne!(event.name, "build-error", "{:?}", event.data);
        let html = preview.page("/stream/family/");
        if event.name == "reload" && html.contains("level 200</li></ul>") {
            assert_eq!(html.matches("<ul><li>level").count(), 200);
            break;
        }
    }

    // A macro whose recursion never stops is stopped before the rebuild's stack runs out.
    preview.write(
        "themes/plain/templates/macros.html",
        "{% macro nest(level, last) %}<ul><li>level {{ level }}\
         {% if level > 0 %}{{ self::nest(level=level + 1, last=last) }}{% endif %}</li></ul>\
         {% endmacro nest %}",
    );
    loop {
        let event = preview.next_event(&mut events).expect("an event");
        let text = event.data["error"]["text"].as_str().unwrap_or_default();
        if event.name == "build-error"
            && text.contains(
                "the macro `nest` of `macros.html` calls itself deeper than the stack allows",
            )
        {
            break;
        }
    }
    assert!(preview.page("/stream/family/").contains("level 200"));
    preview.write("themes/plain/templates/macros.html", nested_lists);
    loop {
        let event = preview.next_event(&mut events).expect("an event");
        if event.name == "reload" && preview.page("/stream/family/").contains("level 200") {
            break;
        }
    }

    // Rules nested thousands of levels deep are an error for open pages to show.
    let condition = format!("{}visa{}", "visa and (".repeat(4_499), ")".repeat(4_499));
    preview.write(
        "content/rules/deep.toml",
        &format!(
            "[[questions]]\nid = \"visa\"\ntype = \"bool\"\ntext = \"Visa?\"\n\n\
             [[criteria]]\nid = \"deep\"\ncondition = \"{condition}\"\npassed = \"y\"\nfailed = \"n\"\n\n\
             [[outcomes]]\nid = \"only\"\nheading = \"h\"\ntext = \"t\"\n"
        ),
    );
    // Under load the watcher may report the template saves above in more than one batch: a
    // late reload of them may come first.
    let failed = loop {
        let event = preview.next_event(&mut events).expect("an event");
        if event.name == "build-error" {
            break event;
        }
        assert_eq!(event.name, "reload", "{:?}", event.data);
    };
    let text = failed.data["error"]["text"].as_str().unwrap();
    assert!(text.contains("this expression is too deep"), "{text}");
    assert!(text.contains("content/rules/deep.toml:8:"), "{text}");
    assert!(preview.page("/stream/family/").contains("level 200"));
}

#[test]
fn incremental_rebuilds_of_either_language_equal_a_fresh_build() {
    let preview = Preview::start("bilingual");
    let (mut events, _) = preview.events();
    assert_eq!(preview.served_files(), preview.fresh_build());
    let mut step = |describe: &str, rebuild: &str, change: &dyn Fn(&Preview)| {
        let event = preview.rebuilds_as_fresh(&mut events, describe, rebuild, change);
        assert_eq!(event.name, "reload", "{describe}: {event:?}");
    };
    step("a French body edit", "rendered 1 of 10 pages", &|site| {
        site.edit(
            "content/stream/family.fr.md",
            "pouvaient venir",
            "pouvaient aussi venir",
        )
    });
    // The French section lists its pages in the English titles' order.
    step(
        "an English title that reorders the French section",
        "rendered all 10 pages",
        &|site| {
            site.edit(
                "content/stream/cap.md",
                "title = \"Cap\"",
                "title = \"Limit\"",
            )
        },
    );
    step("a French slug", "rendered all 10 pages", &|site| {
        site.edit(
            "content/stream/cap.fr.md",
            "slug = \"plafond\"",
            "slug = \"limite\"",
        )
    });
    step("a new French page", "rendered all 11 pages", &|site| {
        site.write(
            "content/stream/dates.fr.md",
            "+++\ntitle = \"Dates\"\ndescription = \"Les dates.\"\n+++\nLes dates.\n",
        )
    });
    assert!(preview
        .page("/fr/volet/limite/")
        .contains("<html lang=\"fr\">"));
}

#[test]
fn incremental_rebuilds_equal_a_fresh_build() {
    let preview = Preview::start("serve");
    let (mut events, _) = preview.events();
    assert_eq!(preview.served_files(), preview.fresh_build());

    // Each change, the least rebuild it should take, and then the same files as a fresh build.
    let mut step = |describe: &str, rebuild: &str, change: &dyn Fn(&Preview)| {
        let event = preview.rebuilds_as_fresh(&mut events, describe, rebuild, change);
        assert!(
            event.name == "reload" || event.name == "stylesheets",
            "{describe}: {event:?}"
        );
    };
    step("a body edit", "rendered 1 of 7 pages", &|site| {
        site.edit("content/stream/details/beta.md", "Beta text", "Beta words")
    });
    // A page's title or weight is also in its neighbours' previous/next links: the page, its
    // section and its one sibling.
    step(
        "a title change outside the nav",
        "rendered 3 of 7 pages",
        &|site| {
            site.edit(
                "content/stream/details/alpha.md",
                "title = \"Alpha\"",
                "title = \"Zeta\"",
            )
        },
    );
    step(
        "a weight change reordering a section",
        "rendered 3 of 7 pages",
        &|site| {
            site.edit(
                "content/stream/details/alpha.md",
                "weight = 1",
                "weight = 3",
            )
        },
    );
    step("a tie broken by title", "rendered 3 of 7 pages", &|site| {
        site.edit(
            "content/stream/details/alpha.md",
            "weight = 3",
            "weight = 2",
        )
    });
    step(
        "a subsection's title in every breadcrumb below it",
        "rendered all 7 pages",
        &|site| {
            site.edit(
                "content/stream/details/_index.md",
                "title = \"Details\"",
                "title = \"Fine print\"",
            )
        },
    );
    step("a title in the nav", "rendered all 7 pages", &|site| {
        site.edit(
            "content/stream/_index.md",
            "title = \"The stream\"",
            "title = \"The H-1B stream\"",
        )
    });
    step(
        "a page's description in its section's listing",
        "rendered all 7 pages",
        &|site| {
            site.edit(
                "content/stream/family.md",
                "Who came along.",
                "Who came too.",
            )
        },
    );
    step(
        "a page becoming a dated update, starting the feed",
        "rendered all 7 pages",
        &|site| {
            site.edit(
                "content/stream/details/alpha.md",
                "weight = 2",
                "weight = 2\ndate = 2024-01-02\nupdate = true",
            )
        },
    );
    step(
        "an update's summary in the feed",
        "rendered 3 of 7 pages",
        &|site| {
            site.edit(
                "content/stream/details/alpha.md",
                "The first detail.",
                "The first detail, revised.",
            )
        },
    );
    step(
        "a last change date in the sitemap",
        "rendered 3 of 7 pages",
        &|site| {
            site.edit(
                "content/stream/details/beta.md",
                "weight = 2",
                "weight = 2\nupdated = 2025-03-04",
            )
        },
    );
    step(
        "a slug",
        "read the content again, rendered all 7 pages",
        &|site| {
            site.edit(
                "content/stream/cap.md",
                "slug = \"the-cap\"",
                "slug = \"cap\"",
            )
        },
    );
    step(
        "a draft published",
        "read the content again, rendered all 8 pages",
        &|site| site.edit("content/stream/draft.md", "draft = true", "draft = false"),
    );
    step(
        "a new page",
        "read the content again, rendered all 9 pages",
        &|site| {
            site.write(
                "content/stream/details/gamma.md",
                "+++\ntitle = \"Gamma\"\nweight = 1\n+++\nSee [beta](@/stream/details/beta.md).\n",
            )
        },
    );
    step(
        "a deleted page",
        "read the content again, rendered all 8 pages",
        &|site| fs::remove_file(site.site.path("content/stream/details/gamma.md")).unwrap(),
    );
    // A page rendered alone reuses the values every page shares (`facts` in templates among
    // them) until the site is loaded again: one rendered after a fact changed shows the new
    // value.
    step(
        "a body edit before a fact",
        "rendered 1 of 8 pages",
        &|site| site.edit("content/stream/details/beta.md", "Beta words", "Beta text"),
    );
    step("a fact", "loaded the site, rendered all 8 pages", &|site| {
        site.edit("content/facts/prog.toml", "value = 10000", "value = 12000")
    });
    step(
        "a body edit after a fact",
        "rendered 1 of 8 pages",
        &|site| site.edit("content/stream/details/beta.md", "Beta text", "Beta words"),
    );
    // The index links a fact to the first page in nav order that cites it: the section now,
    // no longer the cap page below it.
    step(
        "a fact cited earlier in nav order",
        "rendered 1 of 8 pages",
        &|site| {
            site.edit(
                "content/stream/_index.md",
                "Pages of the stream.",
                "Pages of the stream, in {{ fact(prog.hubs) }}.",
            )
        },
    );
    step(
        "a template",
        "loaded the site, rendered all 8 pages",
        &|site| {
            site.edit(
                "themes/plain/templates/section.html",
                "<h1>{{ section.title }}</h1>",
                "<h1 class=\"section\">{{ section.title }}</h1>",
            )
        },
    );
    step("the stylesheet", "swapping stylesheets", &|site| {
        site.write("themes/plain/assets/style.css", "body { color: red; }\n")
    });
    step("a copied file", "nothing to rebuild", &|site| {
        site.write("content/stream/diagram.png", "other bytes")
    });
    step("a new static file", "loaded the site", &|site| {
        site.write("static/robots.txt", "User-agent: *\n")
    });
    step("the configuration", "loaded the site", &|site| {
        site.edit(
            "site.toml",
            "title = \"Serve Fixture\"",
            "title = \"Renamed\"",
        )
    });
    step("the home page", "rendered all 8 pages", &|site| {
        site.edit("content/_index.md", "title = \"Home\"", "title = \"Start\"")
    });
}

#[test]
fn changes_during_a_rebuild_are_taken_together() {
    let preview = Preview::start("serve");
    let (mut events, _) = preview.events();
    let lines_before = preview.lines().len();
    for n in 0..20 {
        preview.write(
            &format!("content/burst/page-{n:02}.md"),
            &format!("+++\ntitle = \"Burst {n}\"\n+++\nPage {n}.\n"),
        );
    }
    // Rebuilds follow until every page is served; far fewer than one per file.
    let mut rebuilds = 0;
    while preview.get("/burst/page-19/").status != 200
        || preview.get("/burst/page-00/").status != 200
    {
        assert_eq!(preview.next_event(&mut events).unwrap().name, "reload");
        rebuilds += 1;
    }
    for n in 0..20 {
        assert!(preview
            .page(&format!("/burst/page-{n:02}/"))
            .contains(&format!("Page {n}.")));
    }
    let lines = preview.lines().len() - lines_before;
    assert!(lines < 20, "{lines} rebuilds for one burst of 20 files");
    assert!(rebuilds <= lines);
}

#[test]
fn a_restarted_server_has_a_new_build_and_open_streams_end() {
    let mut preview = Preview::start("serve");
    let (mut events, hello) = preview.events();
    let port = preview.address().port();
    preview.restart(port);
    assert!(
        events.next().is_none(),
        "stopping closes open event streams"
    );
    let (_, again) = preview.events();
    assert_ne!(
        hello["build"], again["build"],
        "a page that reconnects reloads"
    );
}

#[test]
fn loopback_by_default() {
    let options = ServeOptions::new(guide::BuildOptions::new("."));
    assert!(options.bind.is_loopback());
    assert_eq!(options.port, 1111);
}

#[cfg(unix)]
#[test]
fn the_command_warns_off_loopback_and_stops_on_interrupt() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let site = Fixture::new("serve");
    let mut child = Command::new(env!("CARGO_BIN_EXE_guide"))
        .args(["--root"])
        .arg(site.root())
        .args(["serve", "--port", "0", "--bind", "0.0.0.0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut warning = String::new();
    stderr.read_line(&mut warning).unwrap();
    assert!(
        warning.starts_with("warning: serving on 0.0.0.0"),
        "{warning}"
    );
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let url = loop {
        let mut line = String::new();
        assert_ne!(stdout.read_line(&mut line).unwrap(), 0, "no URL printed");
        if let Some(rest) = line.strip_prefix("serving at ") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let address: std::net::SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let mut events = Events::connect(address);
    events.wait_for("hello");
    assert_eq!(get(address, "/").status, 200);

    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    assert!(events.next().is_none(), "the event stream ends");
    let deadline = std::time::Instant::now() + client::PATIENCE;
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(std::time::Instant::now() < deadline, "still running");
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    assert!(rest.trim_end().ends_with("stopped"), "{rest}");
}

#[test]
fn the_content_folder_can_go_and_come_back() {
    let preview = Preview::start("serve");
    let (mut events, _) = preview.events();
    let content = preview.site.path("content");
    let aside = preview.site.path("content-aside");
    fs::rename(&content, &aside).unwrap();
    let failed = preview.expect(&mut events, "build-error");
    let text = failed.data["error"]["text"].as_str().unwrap().to_string();
    assert!(text.contains("no content/ folder"), "{text}");
    assert!(
        preview.page("/").contains("<h1>Home</h1>"),
        "the last good site"
    );

    fs::rename(&aside, &content).unwrap();
    preview.expect(&mut events, "reload");
    // Edits inside the returned folder are still seen.
    preview.edit("content/stream/cap.md", "How many.", "How many, at most.");
    preview.expect(&mut events, "reload");
    assert_eq!(preview.served_files(), preview.fresh_build());
}

const OUTSIDE_MARKER: &str = "OUTSIDE-MARKER-9d2e";

/// A file outside the site holding the marker (a valid page, so only the link can fail), in
/// a folder of its own, and its canonical path.
#[cfg(unix)]
fn outside_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("secret.txt");
    fs::write(
        &path,
        format!("+++\ntitle = \"{OUTSIDE_MARKER}\"\n+++\n{OUTSIDE_MARKER}\n"),
    )
    .unwrap();
    let path = fs::canonicalize(path).unwrap();
    (dir, path)
}

/// Swaps `relative` for a symbolic link to `target` in one rename, as a save would.
#[cfg(unix)]
fn swap_for_link(site: &Fixture, relative: &str, target: &std::path::Path) {
    let path = site.path(relative);
    let temporary = path.with_file_name(format!(
        ".{}.link",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::os::unix::fs::symlink(target, &temporary).unwrap();
    fs::rename(&temporary, &path).unwrap();
}

#[cfg(unix)]
#[test]
fn files_swapped_for_links_outside_the_site_are_refused_and_the_last_good_ones_kept() {
    let preview = Preview::start("serve");
    let (_outside, secret) = outside_file();
    let swapped = [
        ("content/stream/diagram.png", "/stream/diagram.png"),
        ("themes/plain/static/favicon.svg", "/favicon.svg"),
        ("static/app.js", "/app.js"),
        ("content/stream/family.md", "/stream/family/"),
    ];
    let family = preview.site.read("content/stream/family.md");
    let good: Vec<Vec<u8>> = swapped
        .iter()
        .map(|(_, url)| preview.get(url).body)
        .collect();
    for (relative, _) in swapped {
        let lines = preview.lines().len();
        swap_for_link(&preview.site, relative, &secret);
        let line = preview.wait_for_line(lines, |line| line.contains(&format!("--> {relative}\n")));
        assert!(
            line.contains(&format!("`{}`", secret.display())),
            "the log names the target: {line}"
        );
        assert!(line.contains("outside the site's folder"), "{line}");
        assert!(!line.contains(OUTSIDE_MARKER), "{line}");
        assert!(preview.server().hub().current_error().is_some());
        for ((_, url), good) in swapped.iter().zip(&good) {
            let response = preview.get(url);
            assert_eq!(response.status, 200, "{url}");
            assert!(!response.text().contains(OUTSIDE_MARKER), "{url}");
            if !url.ends_with('/') {
                assert_eq!(&response.body, good, "{url} keeps its last good bytes");
            }
        }
    }
    assert!(!preview.page("/stream/family/").contains(OUTSIDE_MARKER));

    // Real files again: the error goes, and the site is what a fresh build makes of it.
    for (relative, _) in &swapped[..3] {
        preview.write(relative, &format!("restored {relative}\n"));
    }
    preview.write("content/stream/family.md", &family);
    preview.wait_for_no_error();
    assert_eq!(preview.get("/app.js").text(), "restored static/app.js\n");
    assert_eq!(preview.served_files(), preview.fresh_build());
}

#[cfg(unix)]
#[test]
fn a_link_outside_the_site_is_refused_at_start() {
    let (_outside, secret) = outside_file();
    let preview = Preview::start_with("serve", |site| {
        swap_for_link(site, "content/stream/diagram.png", &secret);
    });
    let line = preview.wait_for_line(0, |line| line.contains("--> content/stream/diagram.png\n"));
    assert!(line.contains(&format!("`{}`", secret.display())), "{line}");
    assert!(preview.server().hub().current_error().is_some());
    let response = preview.get("/stream/diagram.png");
    assert_eq!(response.status, 404);
    assert!(!response.text().contains(OUTSIDE_MARKER));

    preview.write("content/stream/diagram.png", "a real diagram");
    let deadline = std::time::Instant::now() + client::PATIENCE;
    while preview.get("/stream/diagram.png").status != 200 {
        assert!(
            std::time::Instant::now() < deadline,
            "{:#?}",
            preview.lines()
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(preview.get("/stream/diagram.png").text(), "a real diagram");
    assert!(preview.server().hub().current_error().is_none());
}

#[test]
fn a_collision_made_by_an_edit_is_reported_and_the_last_good_site_stays() {
    let preview = Preview::start("serve");
    let (mut events, _) = preview.events();

    // A copied file in a page's place.
    preview.write("content/stream/the-cap/index.html", "<p>copied</p>");
    let failed = preview.expect(&mut events, "build-error");
    let text = failed.data["error"]["text"].as_str().unwrap().to_string();
    assert!(text.contains("content/stream/the-cap/index.html"), "{text}");
    assert!(text.contains("content/stream/cap.md"), "{text}");
    assert!(preview
        .page("/stream/the-cap/")
        .contains("The cap is 10,000"));
    fs::remove_file(preview.site.path("content/stream/the-cap/index.html")).unwrap();
    preview.expect(&mut events, "reload");

    // A slug that makes a page's folder of a copied file.
    preview.edit(
        "content/stream/family.md",
        "weight = 20",
        "weight = 20\nslug = \"diagram.png\"",
    );
    let failed = preview.expect(&mut events, "build-error");
    let first = &failed.data["error"]["errors"][0];
    assert_eq!(first["file"], "content/stream/family.md");
    assert_eq!(first["line"], 5);
    assert_eq!(first["column"], 8);
    let text = failed.data["error"]["text"].as_str().unwrap().to_string();
    assert!(text.contains("content/stream/diagram.png"), "{text}");
    assert_eq!(preview.get("/stream/diagram.png").status, 200);

    preview.edit("content/stream/family.md", "\nslug = \"diagram.png\"", "");
    preview.expect(&mut events, "reload");
    assert_eq!(preview.served_files(), preview.fresh_build());
}

#[test]
fn the_sites_own_templates_folder_is_watched_from_its_creation() {
    let preview = Preview::start("serve");
    let (mut events, _) = preview.events();
    // The folder first, as `mkdir` makes it: its watch starts with the rebuild it causes.
    fs::create_dir(preview.site.path("templates")).unwrap();
    preview.expect(&mut events, "reload");
    let page = preview.site.read("themes/plain/templates/page.html");
    preview.write(
        "templates/page.html",
        &page.replace(
            "<h1>{{ page.title }}</h1>",
            "<h1 class=\"mine\">{{ page.title }}</h1>",
        ),
    );
    preview.expect(&mut events, "reload");
    assert!(preview
        .page("/stream/family/")
        .contains("<h1 class=\"mine\">Family members</h1>"));
    preview.edit("templates/page.html", "class=\"mine\"", "class=\"ours\"");
    preview.expect(&mut events, "reload");
    assert!(preview
        .page("/stream/family/")
        .contains("<h1 class=\"ours\">Family members</h1>"));
    assert_eq!(preview.served_files(), preview.fresh_build());

    fs::remove_file(preview.site.path("templates/page.html")).unwrap();
    preview.expect(&mut events, "reload");
    assert!(preview
        .page("/stream/family/")
        .contains("<h1>Family members</h1>"));
}

/// A page edit whose build fails on another file (a copied file swapped for a link out of the
/// site) has already filed the page's new words in the live search index: once the file is
/// fixed, the shards that edit changed must still be served, as a fresh build writes them.
#[cfg(unix)]
#[test]
fn a_page_edit_in_a_failed_build_still_reaches_the_search_index() {
    let preview = Preview::start("serve");
    let (_outside, secret) = outside_file();
    let app = preview.site.read("static/app.js");

    let lines = preview.lines().len();
    swap_for_link(&preview.site, "static/app.js", &secret);
    preview.wait_for_line(lines, |line| line.contains("--> static/app.js\n"));

    // A word no page had: its shard is new.
    let lines = preview.lines().len();
    preview.edit(
        "content/stream/family.md",
        "Spouses and children.",
        "Spouses and children. Zygomorphic quetzals.",
    );
    preview.wait_for_line(lines, |line| line.contains("--> static/app.js\n"));
    assert!(preview.server().hub().current_error().is_some());

    preview.write("static/app.js", &app);
    preview.wait_for_no_error();
    assert!(preview.page("/stream/family/").contains("Zygomorphic"));
    assert_eq!(preview.served_files(), preview.fresh_build());
}

/// A fact's search result links to the first page in nav order citing it: a page's edit that
/// changes what it cites, or a weight that changes which citing page comes first, moves it.
#[test]
fn a_facts_search_result_follows_the_first_page_citing_it() {
    facts_follow_the_first_page_citing_them(Preview::start("serve"));
}

/// The same where pages are not indexed, only facts: what pages show counts all the same.
#[test]
fn a_facts_search_result_follows_its_pages_when_pages_are_not_indexed() {
    facts_follow_the_first_page_citing_them(Preview::start_with("serve", |site| {
        let settings = site.read("site.toml");
        site.write(
            "site.toml",
            &format!("{settings}\n[search]\ninclude = [\"facts\"]\n"),
        );
    }));
}

fn facts_follow_the_first_page_citing_them(preview: Preview) {
    let (mut events, _) = preview.events();
    let mut step = |describe: &str, rebuild: &str, edit: (&str, &str, &str)| {
        let change = |preview: &Preview| preview.edit(edit.0, edit.1, edit.2);
        let event = preview.rebuilds_as_fresh(&mut events, describe, rebuild, &change);
        assert_eq!(event.name, "reload", "{describe}: {event:?}");
    };
    let closed = "{{ fact(prog.closed_on) }}";
    step(
        "a body citing a fact no page cited",
        "rendered 1 of 7 pages",
        (
            "content/stream/details/beta.md",
            "Beta text,",
            &format!("Beta text, closed {closed},"),
        ),
    );
    step(
        "a page earlier in nav order citing it too",
        "rendered 1 of 7 pages",
        (
            "content/stream/details/alpha.md",
            "Alpha text.",
            &format!("Alpha text, closed {closed}."),
        ),
    );
    // Its front matter alone changes: the index must find beta first now.
    step(
        "a weight putting the other citing page first",
        "rendered 3 of 7 pages",
        (
            "content/stream/details/alpha.md",
            "weight = 1",
            "weight = 3",
        ),
    );
}
