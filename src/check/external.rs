//! Requesting external links (only when asked), and what their answers mean.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::Answer;
use crate::diagnostics::Severity;

/// External links requested at once.
const EXTERNAL_WORKERS: usize = 8;

/// Requests every URL, a few at a time.
pub(super) fn request_all(urls: &[&String], timeout: Duration) -> Vec<Option<Answer>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("guide-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let next = AtomicUsize::new(0);
    let results = std::sync::Mutex::new(vec![None; urls.len()]);
    std::thread::scope(|scope| {
        for _ in 0..EXTERNAL_WORKERS.min(urls.len()) {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = urls.get(index) else {
                    break;
                };
                let answer = request(&agent, url);
                if let Ok(mut results) = results.lock() {
                    results[index] = Some(answer);
                }
            });
        }
    });
    results.into_inner().unwrap_or_default()
}

/// HEAD, or GET when the server does not take HEAD. The fragment stays in the browser.
fn request(agent: &ureq::Agent, url: &str) -> Answer {
    let url = url.split('#').next().unwrap_or(url);
    let answer = |result: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match result {
        Ok(response) => Answer::Status(response.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => Answer::TimedOut,
        Err(error) => Answer::Failed(error.to_string()),
    };
    match answer(agent.head(url).call()) {
        Answer::Status(405 | 501) => answer(agent.get(url).call()),
        other => other,
    }
}

/// What an answer means: `None` when the link works.
pub(super) fn judge(
    url: &str,
    answer: &Answer,
    timeout: Duration,
) -> Option<(Severity, String, String)> {
    match answer {
        Answer::Status(code) if *code < 400 => None,
        Answer::Status(code @ (401 | 403 | 429)) => Some((
            Severity::Warning,
            format!("external link `{url}` answered {code}: it may refuse automated requests"),
            "open it in a browser to confirm it still works".into(),
        )),
        Answer::Status(code) => Some((
            Severity::Error,
            format!("external link `{url}` is broken: it answered {code}"),
            "find where the page moved (or an archived copy) and update the link".into(),
        )),
        Answer::TimedOut => Some((
            Severity::Warning,
            format!(
                "external link `{url}` did not answer within {} s",
                timeout.as_secs_f32()
            ),
            "the server may be slow or down; try again later".into(),
        )),
        Answer::Failed(reason) => Some((
            Severity::Error,
            format!("external link `{url}` could not be reached: {reason}"),
            "check the address; the host may no longer exist".into(),
        )),
    }
}
