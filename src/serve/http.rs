//! The HTTP side: output files by URL, the live-reload script, and the event stream.
//!
//! Files come from the in-memory output of the last good build, looked up by a path decoded
//! and checked segment by segment, so no request can name anything outside it.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::{broadcast, watch};

use super::hub::{Hub, LiveEvent};

/// Reserved paths: a site's own files never start with `__guide/` (see [`resolve`]).
pub const LIVE_SCRIPT_PATH: &str = "/__guide/live.js";
pub const EVENTS_PATH: &str = "/__guide/events";
const LIVE_SCRIPT: &str = include_str!("live.js");

/// How soon a page reconnects after losing the server, in place of the browser's default.
const RECONNECT_AFTER: Duration = Duration::from_millis(500);

#[derive(Clone)]
pub struct AppState {
    pub hub: Arc<Hub>,
    /// Turns true when the server stops; event streams end then, or shutdown would wait on
    /// them forever.
    pub stopping: watch::Receiver<bool>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route(LIVE_SCRIPT_PATH, get(live_script))
        .route(EVENTS_PATH, get(events))
        .fallback(output_file)
        .with_state(state)
}

async fn live_script() -> Response {
    let mut response = Bytes::from_static(LIVE_SCRIPT.as_bytes()).into_response();
    set_headers(&mut response, "text/javascript; charset=utf-8");
    response
}

async fn events(State(state): State<AppState>) -> impl IntoResponse {
    // Subscribe before reading the current build, so nothing published in between is missed.
    let receiver = state.hub.subscribe();
    let hello = state.hub.hello();
    let hub = state.hub.clone();
    let updates = stream::unfold((receiver, hub), |(mut receiver, hub)| async move {
        match receiver.recv().await {
            Ok(event) => Some((event, (receiver, hub))),
            // Too slow to keep up: the current build lets the page catch up at once.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                let hello = hub.hello();
                Some((hello, (receiver, hub)))
            }
            Err(broadcast::error::RecvError::Closed) => None,
        }
    });
    let mut stopping = state.stopping.clone();
    let stream = stream::once(async move { hello })
        .chain(updates)
        .map(|event| Ok::<_, Infallible>(sse_event(&event)))
        .take_until(async move {
            let _ = stopping.wait_for(|stop| *stop).await;
        });
    sse(stream)
}

fn sse(
    stream: impl Stream<Item = Result<Event, Infallible>> + Send + 'static,
) -> impl IntoResponse {
    let mut response = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub fn sse_event(event: &LiveEvent) -> Event {
    let sse = Event::default().event(event.name()).data(event.data());
    match event {
        LiveEvent::Hello { .. } => sse.retry(RECONNECT_AFTER),
        _ => sse,
    }
}

/// Where a request path leads in the output.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(String),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    NotFound,
    BadRequest,
}

/// Decodes a request path and looks it up with `exists`. Every segment is decoded on its own
/// and must not be empty, `.`, `..`, nor hold `/`, `\` or NUL once decoded.
pub fn resolve(raw_path: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    let Some(rest) = raw_path.strip_prefix('/') else {
        return Resolved::BadRequest;
    };
    let (rest, folder) = match rest.strip_suffix('/') {
        Some(rest) => (rest, true),
        None => (rest, false),
    };
    let mut segments = Vec::new();
    if !rest.is_empty() {
        for raw in rest.split('/') {
            let Ok(segment) = percent_encoding::percent_decode_str(raw).decode_utf8() else {
                return Resolved::BadRequest;
            };
            if segment.is_empty()
                || segment == "."
                || segment == ".."
                || segment.contains(['/', '\\', '\0'])
            {
                return Resolved::BadRequest;
            }
            segments.push(segment.into_owned());
        }
    }
    let path = segments.join("/");
    if folder || path.is_empty() {
        let index = if path.is_empty() {
            "index.html".to_string()
        } else {
            format!("{path}/index.html")
        };
        return if exists(&index) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if exists(&path) {
        Resolved::File(path)
    } else if exists(&format!("{path}/index.html")) {
        Resolved::Redirect(format!("{raw_path}/"))
    } else {
        Resolved::NotFound
    }
}

async fn output_file(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let hub = &state.hub;
    match resolve(uri.path(), |path| hub.has_file(path)) {
        Resolved::File(path) => match file_response(hub, &path, StatusCode::OK) {
            Some(response) => response,
            None => not_found(hub),
        },
        Resolved::Redirect(location) => {
            let location = match uri.query() {
                Some(query) => format!("{location}?{query}"),
                None => location,
            };
            let mut response = StatusCode::FOUND.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Resolved::NotFound => not_found(hub),
        Resolved::BadRequest => {
            let mut response = (StatusCode::BAD_REQUEST, "bad request path\n").into_response();
            set_headers(&mut response, "text/plain; charset=utf-8");
            response
        }
    }
}

fn not_found(hub: &Hub) -> Response {
    if let Some(response) = file_response(hub, "404.html", StatusCode::NOT_FOUND) {
        return response;
    }
    // Without a 404 page (or before the first good build) a page of our own still carries the
    // script, so the error overlay shows and the page reloads once the site builds.
    let html = inject_live_script(
        &hub.build(),
        b"<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>\
          <body><h1>Not found</h1></body></html>",
    );
    let mut response = (StatusCode::NOT_FOUND, html).into_response();
    set_headers(&mut response, "text/html; charset=utf-8");
    response
}

fn file_response(hub: &Hub, path: &str, status: StatusCode) -> Option<Response> {
    let (bytes, build) = hub.file(path)?;
    let content_type = content_type(path);
    let body = if content_type.starts_with("text/html") {
        Body::from(inject_live_script(&build, &bytes))
    } else {
        Body::from(bytes)
    };
    let mut response = (status, body).into_response();
    set_headers(&mut response, &content_type);
    Some(response)
}

fn set_headers(response: &mut Response, content_type: &str) {
    let headers = response.headers_mut();
    // Every type comes from the table above or a literal here: always a valid header value.
    let content_type = HeaderValue::from_str(content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    // A preview must never show a stale file after a rebuild.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// The tag that loads the live-reload script; only served pages carry it. `build` tells the
/// script which build the page came from.
pub fn live_script_tag(build: &str) -> String {
    format!("<script src=\"{LIVE_SCRIPT_PATH}\" data-build=\"{build}\"></script>")
}

/// Puts the script tag before the last `</body>`, or at the end when there is none.
pub fn inject_live_script(build: &str, html: &[u8]) -> Vec<u8> {
    let tag = live_script_tag(build);
    let at = html
        .windows(7)
        .rposition(|window| window.eq_ignore_ascii_case(b"</body>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// A served file's type, by its extension: mime_guess's table, except where the web's own
/// standards name another type than it does, with `charset=utf-8` on text (every text file a
/// build writes is UTF-8, and a browser would otherwise guess).
pub fn content_type(path: &str) -> String {
    let extension = path
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_ascii_lowercase())
        .unwrap_or_default();
    let mime = match extension.as_str() {
        // JavaScript modules are text/javascript (RFC 9239), XML documents application/xml
        // (RFC 7303), fonts font/* (RFC 8081); source maps are JSON, and Markdown is shown
        // as the text it is rather than offered as a download.
        "mjs" => "text/javascript",
        "xml" => "application/xml",
        "woff" => "font/woff",
        "otf" => "font/otf",
        "map" => "application/json",
        "md" => "text/plain",
        _ => mime_guess::from_ext(&extension)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    };
    if mime.starts_with("text/") {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolve_in(path: &str) -> Resolved {
        let files = [
            "index.html",
            "stream/index.html",
            "style.css",
            "a b/index.html",
        ];
        resolve(path, |candidate| files.contains(&candidate))
    }

    #[test]
    fn folders_serve_their_index_and_redirect_without_a_slash() {
        assert_eq!(resolve_in("/"), Resolved::File("index.html".into()));
        assert_eq!(
            resolve_in("/stream/"),
            Resolved::File("stream/index.html".into())
        );
        assert_eq!(resolve_in("/stream"), Resolved::Redirect("/stream/".into()));
        assert_eq!(resolve_in("/style.css"), Resolved::File("style.css".into()));
        assert_eq!(
            resolve_in("/a%20b/"),
            Resolved::File("a b/index.html".into())
        );
        assert_eq!(resolve_in("/missing"), Resolved::NotFound);
    }

    #[test]
    fn escapes_are_refused() {
        for path in [
            "/..",
            "/../etc/passwd",
            "/stream/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/stream%2findex.html",
            "/..%5cx",
            "/stream\\..\\x",
            "/a//b",
            "/%00",
            "/%ff",
            "relative",
        ] {
            assert_eq!(resolve_in(path), Resolved::BadRequest, "{path}");
        }
    }

    #[test]
    fn the_script_goes_before_the_last_body_end() {
        let html = inject_live_script("7", b"<body><p>x</p></BODY></html>");
        assert_eq!(
            String::from_utf8(html).unwrap(),
            "<body><p>x</p><script src=\"/__guide/live.js\" data-build=\"7\"></script></BODY></html>"
        );
        let bare = inject_live_script("7", b"<p>x</p>");
        assert!(bare.ends_with(live_script_tag("7").as_bytes()));
    }

    #[test]
    fn types_follow_extensions() {
        assert_eq!(content_type("checker.0123456789.wasm"), "application/wasm");
        assert_eq!(content_type("a/b.JS"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("favicon.svg"), "image/svg+xml");
        assert_eq!(content_type("sitemap.xml"), "application/xml");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn types_come_from_the_common_table_with_the_web_standards_preferred() {
        assert_eq!(content_type("downloads/guide.zip"), "application/zip");
        assert_eq!(
            content_type("data/cities.tsv"),
            "text/tab-separated-values; charset=utf-8"
        );
        assert_eq!(content_type("icon.avif"), "image/avif");
        assert_eq!(content_type("app.mjs"), "text/javascript; charset=utf-8");
        assert_eq!(content_type("fonts/a.OTF"), "font/otf");
        assert_eq!(content_type("fonts/a.woff"), "font/woff");
        assert_eq!(content_type("app.js.map"), "application/json");
        assert_eq!(content_type("notes.md"), "text/plain; charset=utf-8");
    }
}
