//! What the server shows: the files of the last good build, the current error if the latest
//! build failed, and the events that tell open pages about both.
//!
//! The rebuild thread is the only writer; request handlers take the read lock just long enough
//! to clone a cheap handle to one file.

use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use serde::Serialize;
use tokio::sync::broadcast;

use super::live_site::{Files, Loaded, Outcome, Published};
use crate::diagnostics::Diagnostics;

/// A failed build as open pages show it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorReport {
    /// Every error, rendered as in the terminal.
    pub text: String,
    pub errors: Vec<ErrorLocation>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ErrorLocation {
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
}

impl From<&Diagnostics> for ErrorReport {
    fn from(diagnostics: &Diagnostics) -> Self {
        ErrorReport {
            text: diagnostics.render(),
            errors: diagnostics
                .iter()
                .map(|diagnostic| {
                    let position = diagnostic.line_column();
                    ErrorLocation {
                        file: diagnostic.path.display().to_string(),
                        line: position.map(|(line, _)| line),
                        column: position.map(|(_, column)| column),
                        message: diagnostic.message.clone(),
                    }
                })
                .collect(),
        }
    }
}

/// What open pages are told. Sent as Server-Sent Events named by [`LiveEvent::name`].
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum LiveEvent {
    /// Sent first on every connection: the build a page should be showing, and the current
    /// error if any. A page that reconnects after a restart reloads when the build differs.
    Hello {
        build: String,
        error: Option<ErrorReport>,
    },
    Reload {
        build: String,
    },
    /// Only stylesheets changed: swap each `from` for `to` without reloading.
    Stylesheets {
        build: String,
        swaps: Vec<StylesheetSwap>,
    },
    /// The latest build failed; pages keep showing `build` and overlay the error.
    Error {
        build: String,
        error: ErrorReport,
    },
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct StylesheetSwap {
    pub from: String,
    pub to: String,
}

impl LiveEvent {
    pub fn name(&self) -> &'static str {
        match self {
            LiveEvent::Hello { .. } => "hello",
            LiveEvent::Reload { .. } => "reload",
            LiveEvent::Stylesheets { .. } => "stylesheets",
            // Not "error": EventSource fires its own event of that name on a lost connection.
            LiveEvent::Error { .. } => "build-error",
        }
    }

    pub fn data(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
    }
}

struct Shown {
    /// Copied files included: held in memory, the disk is never read to answer a request.
    files: HashMap<String, Bytes>,
    build: u64,
    error: Option<ErrorReport>,
}

pub struct Hub {
    shown: RwLock<Shown>,
    events: broadcast::Sender<LiveEvent>,
    /// Makes build ids differ between runs of the server, so a page reconnecting to a
    /// restarted server reloads.
    run: String,
}

impl Default for Hub {
    fn default() -> Self {
        Hub::new()
    }
}

impl Hub {
    pub fn new() -> Hub {
        let started = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Hub {
            shown: RwLock::new(Shown {
                files: HashMap::new(),
                build: 0,
                error: None,
            }),
            events: broadcast::channel(64).0,
            run: format!(
                "{:x}{:x}",
                started.as_nanos() & 0xffff_ffff_ffff,
                std::process::id()
            ),
        }
    }

    fn build_id(&self, build: u64) -> String {
        format!("{}-{build}", self.run)
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.events.subscribe()
    }

    pub fn hello(&self) -> LiveEvent {
        let shown = self.read();
        LiveEvent::Hello {
            build: self.build_id(shown.build),
            error: shown.error.clone(),
        }
    }

    /// A file and the id of the build it belongs to, read together.
    pub fn file(&self, path: &str) -> Option<(Bytes, String)> {
        let shown = self.read();
        let file = shown.files.get(path).cloned()?;
        Some((file, self.build_id(shown.build)))
    }

    /// Every served output path, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.read().files.keys().cloned().collect();
        paths.sort();
        paths
    }

    pub fn build(&self) -> String {
        self.build_id(self.read().build)
    }

    pub fn has_file(&self, path: &str) -> bool {
        self.read().files.contains_key(path)
    }

    pub fn current_error(&self) -> Option<ErrorReport> {
        self.read().error.clone()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, Shown> {
        self.shown
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Shown> {
        self.shown
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Shows the outcome of a rebuild, hands `report` the line to print (before open pages
    /// hear of it, so the terminal is never behind the browser) and tells open pages.
    pub fn publish(&self, outcome: Outcome, report: &dyn Fn(&str)) {
        match outcome {
            Outcome::Unchanged => {}
            Outcome::Failed(diagnostics) => {
                let error = ErrorReport::from(&diagnostics);
                let (build, known) = {
                    let mut shown = self.write();
                    let known = shown.error.as_ref() == Some(&error);
                    shown.error = Some(error.clone());
                    (shown.build, known)
                };
                report(&diagnostics.render());
                // Pages already show this very error; sending it again would only flicker.
                if known {
                    return;
                }
                let _ = self.events.send(LiveEvent::Error {
                    build: self.build_id(build),
                    error,
                });
            }
            Outcome::Copied(published) => self.show(published, false, report),
            Outcome::Built(published) => {
                // Re-reading a page may find it as it was: no need to bother open pages.
                let nothing_new = published.rendered == 0
                    && matches!(&published.files, Files::Some(files) if files.is_empty())
                    && published.loaded != Loaded::Site;
                self.show(published, nothing_new, report)
            }
        }
    }

    fn show(&self, published: Published, nothing_new: bool, report: &dyn Fn(&str)) {
        let summary = published.summary();
        let Published {
            files,
            gone,
            stylesheet_swaps,
            ..
        } = published;
        let (build, had_error, stylesheet_swaps) = {
            let mut shown = self.write();
            let had_error = shown.error.take().is_some();
            if nothing_new && !had_error {
                return;
            }
            // The batch named only stylesheets, but a full rebuild reads every input as it is
            // now: a page saved meanwhile is in it too (its own event comes later and finds
            // nothing new), so a swap is only right when the swap is all that changed.
            let stylesheet_swaps = stylesheet_swaps.filter(|swaps| match &files {
                Files::All(files) => only_swapped(&shown.files, files, swaps),
                Files::Some(_) => true,
            });
            match files {
                Files::All(files) => shown.files = files.into_iter().collect(),
                Files::Some(changed) => {
                    shown.files.extend(changed);
                    for path in &gone {
                        shown.files.remove(path.as_str());
                    }
                }
            }
            shown.build += 1;
            (self.build_id(shown.build), had_error, stylesheet_swaps)
        };
        let event = match stylesheet_swaps {
            // After an error the page shows an overlay a stylesheet swap would not clear.
            Some(swaps) if !had_error && !swaps.is_empty() => LiveEvent::Stylesheets {
                build,
                swaps: swaps
                    .into_iter()
                    .map(|(from, to)| StylesheetSwap { from, to })
                    .collect(),
            },
            _ => LiveEvent::Reload { build },
        };
        report(&summary);
        let _ = self.events.send(event);
    }
}

/// Whether `new` differs from `old` only by the stylesheets `swaps` renames: the renamed files
/// themselves, and the pages' references to them.
fn only_swapped(
    old: &HashMap<String, Bytes>,
    new: &super::live_site::ServedFiles,
    swaps: &[(String, String)],
) -> bool {
    let renamed_from = |path: &str| swaps.iter().any(|(from, _)| from == path);
    let renamed_to = |path: &str| swaps.iter().any(|(_, to)| to == path);
    let gone_only_by_rename = old
        .keys()
        .all(|path| new.contains_key(path) || renamed_from(path));
    gone_only_by_rename
        && new.iter().all(|(path, bytes)| {
            if renamed_to(path) {
                return true;
            }
            let Some(before) = old.get(path) else {
                return false;
            };
            if before == bytes {
                return true;
            }
            let mut expected = String::from_utf8_lossy(before).into_owned();
            for (from, to) in swaps {
                expected = expected.replace(from.as_str(), to);
            }
            expected.as_bytes() == bytes.as_ref()
        })
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::serve::live_site::ServedFiles;

    fn files(entries: &[(&str, &str)]) -> ServedFiles {
        entries
            .iter()
            .map(|(path, text)| (path.to_string(), Bytes::from(text.to_string())))
            .collect()
    }

    fn full_build(entries: &[(&str, &str)], swaps: &[(&str, &str)]) -> Outcome {
        Outcome::Built(Published {
            files: Files::All(files(entries)),
            gone: Vec::new(),
            inputs: vec!["themes/plain/assets/style.css".into()],
            stylesheet_swaps: Some(
                swaps
                    .iter()
                    .map(|(from, to)| (from.to_string(), to.to_string()))
                    .collect(),
            ),
            rendered: 1,
            pages: 1,
            loaded: Loaded::Site,
            duration: Duration::ZERO,
        })
    }

    fn event_after(previous: &[(&str, &str)], next: Outcome) -> &'static str {
        let hub = Hub::new();
        hub.publish(full_build(previous, &[]), &|_| {});
        let mut events = hub.subscribe();
        hub.publish(next, &|_| {});
        events.try_recv().expect("an event").name()
    }

    const BEFORE: [(&str, &str); 2] = [
        ("index.html", "<link href=\"./style.1.css\"><p>How many."),
        ("style.1.css", "body { color: #222; }"),
    ];

    #[test]
    fn a_stylesheet_alone_is_swapped() {
        let next = full_build(
            &[
                ("index.html", "<link href=\"./style.2.css\"><p>How many."),
                ("style.2.css", "body { color: #333; }"),
            ],
            &[("style.1.css", "style.2.css")],
        );
        assert_eq!(event_after(&BEFORE, next), "stylesheets");
    }

    /// A page saved while the stylesheet's rebuild was reading the site is in that rebuild,
    /// though its own change event comes later and finds nothing new: the page must reload.
    #[test]
    fn a_page_changed_in_the_same_rebuild_reloads_though_only_a_stylesheet_was_named() {
        let next = full_build(
            &[
                ("index.html", "<link href=\"./style.2.css\"><p>How many?"),
                ("style.2.css", "body { color: #333; }"),
            ],
            &[("style.1.css", "style.2.css")],
        );
        assert_eq!(event_after(&BEFORE, next), "reload");
    }
}
