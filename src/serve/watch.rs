//! Watching the site's inputs: debounced file-system events, reduced to the changed paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    new_debouncer, DebounceEventResult, DebouncedEvent, Debouncer, NoCache,
};

use super::changes::ChangedPath;

/// Long enough to take an editor's write-then-rename save as one change, short enough not to
/// be felt.
pub const DEBOUNCE: Duration = Duration::from_millis(10);

pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, NoCache>,
    root: PathBuf,
    folders: Vec<PathBuf>,
    watching: Vec<PathBuf>,
}

impl Watcher {
    /// Watches `root` itself (for `site.toml` and for the folders coming and going) and each
    /// of `folders` below it recursively, handing every batch of changes to `changed`.
    pub fn start(
        root: &Path,
        folders: Vec<PathBuf>,
        changed: impl Fn(Vec<ChangedPath>) + Send + 'static,
    ) -> notify::Result<Watcher> {
        let debouncer = new_debouncer(DEBOUNCE, None, move |result: DebounceEventResult| {
            // Watch errors (a watched folder deleted, say) are followed by events for the
            // paths concerned, which are all a rebuild needs.
            if let Ok(events) = result {
                let batch = changed_paths(&events);
                if !batch.is_empty() {
                    changed(batch);
                }
            }
        })?;
        let mut watcher = Watcher {
            debouncer,
            root: root.to_path_buf(),
            folders,
            watching: Vec::new(),
        };
        watcher
            .debouncer
            .watch(&watcher.root, RecursiveMode::NonRecursive)?;
        watcher.watch_folders(&[]);
        Ok(watcher)
    }

    /// Starts watching the folders that exist and are not watched yet: a folder created after
    /// start-up, or deleted and created again, is picked up here. A folder that `changes`
    /// removed or renamed is watched afresh, since its old watch went with it.
    pub fn watch_folders(&mut self, changes: &[ChangedPath]) {
        for folder in &self.folders {
            let replaced = changes
                .iter()
                .any(|change| change.structural && change.path == *folder);
            if replaced && self.watching.contains(folder) {
                let _ = self.debouncer.unwatch(folder);
                self.watching.retain(|path| path != folder);
            }
            let watched = self.watching.contains(folder);
            if folder.is_dir() && !watched {
                if self
                    .debouncer
                    .watch(folder, RecursiveMode::Recursive)
                    .is_ok()
                {
                    self.watching.push(folder.clone());
                }
            } else if !folder.is_dir() && watched {
                let _ = self.debouncer.unwatch(folder);
                self.watching.retain(|path| path != folder);
            }
        }
    }

    pub fn stop(self) {
        self.debouncer.stop();
    }
}

/// Every path an event touched, once, except events that change nothing a build reads:
/// reads (a build reading its own inputs must not trigger another) and access times. A path
/// is settled when its last event leaves it whole: closed after writing (inotify's
/// `IN_CLOSE_WRITE`), renamed, removed, or its metadata changed; created or written without
/// a close yet, more of the same save may follow.
pub fn changed_paths(events: &[DebouncedEvent]) -> Vec<ChangedPath> {
    // By path: (structural, settled).
    let mut paths: BTreeMap<PathBuf, (bool, bool)> = BTreeMap::new();
    for event in events {
        let (structural, settled) = match event.kind {
            EventKind::Access(AccessKind::Close(AccessMode::Write)) => (false, true),
            EventKind::Access(_) => continue,
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => continue,
            EventKind::Modify(ModifyKind::Name(_)) | EventKind::Remove(_) => (true, true),
            EventKind::Create(_) => (true, false),
            EventKind::Modify(ModifyKind::Metadata(_)) => (false, true),
            EventKind::Modify(_) | EventKind::Any | EventKind::Other => (false, false),
        };
        for path in &event.paths {
            let known = paths.entry(path.clone()).or_default();
            known.0 |= structural;
            known.1 = settled;
        }
    }
    paths
        .into_iter()
        .map(|(path, (structural, settled))| ChangedPath {
            path,
            structural,
            settled,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::changes::all_settled;
    use notify::event::{CreateKind, DataChange, RemoveKind, RenameMode};
    use notify::Event;
    use std::time::Instant;

    fn event(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut event = Event::new(kind);
        for path in paths {
            event = event.add_path(PathBuf::from(path));
        }
        DebouncedEvent::new(event, Instant::now())
    }

    #[test]
    fn reads_are_ignored_and_paths_are_merged() {
        let events = [
            event(EventKind::Access(AccessKind::Any), &["/s/content/a.md"]),
            event(
                EventKind::Modify(ModifyKind::Data(DataChange::Any)),
                &["/s/content/b.md"],
            ),
            event(EventKind::Create(CreateKind::File), &["/s/content/c.md"]),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["/s/content/.b.md.tmp", "/s/content/b.md"],
            ),
        ];
        let paths = changed_paths(&events);
        let shown: Vec<_> = paths
            .iter()
            .map(|change| (change.path.to_str().unwrap(), change.structural))
            .collect();
        assert_eq!(
            shown,
            [
                ("/s/content/.b.md.tmp", true),
                ("/s/content/b.md", true),
                ("/s/content/c.md", true),
            ]
        );
    }

    fn written(path: &str) -> DebouncedEvent {
        event(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &[path],
        )
    }

    fn closed(path: &str) -> DebouncedEvent {
        event(
            EventKind::Access(AccessKind::Close(AccessMode::Write)),
            &[path],
        )
    }

    /// (path, settled) for each path of a batch.
    fn settled(events: &[DebouncedEvent]) -> Vec<(String, bool)> {
        changed_paths(events)
            .into_iter()
            .map(|change| (change.path.display().to_string(), change.settled))
            .collect()
    }

    #[test]
    fn a_path_is_settled_once_its_last_event_leaves_it_whole() {
        let page = "/s/content/a.md";
        // Written in place and closed: whole. Written, not yet closed: more may come.
        assert_eq!(
            settled(&[written(page), closed(page)]),
            [(page.into(), true)]
        );
        assert_eq!(settled(&[written(page)]), [(page.into(), false)]);
        assert_eq!(
            settled(&[closed(page), written(page)]),
            [(page.into(), false)]
        );
        // A file created: its content may follow.
        let created = event(EventKind::Create(CreateKind::File), &[page]);
        assert_eq!(settled(&[created]), [(page.into(), false)]);
        // An editor's save: a temporary file written, closed and renamed over the page.
        let temporary = "/s/content/.a.md.tmp";
        let save = [
            event(EventKind::Create(CreateKind::File), &[temporary]),
            written(temporary),
            closed(temporary),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &[temporary, page],
            ),
        ];
        assert_eq!(
            settled(&save),
            [(temporary.into(), true), (page.into(), true)]
        );
        let removed = event(EventKind::Remove(RemoveKind::File), &[page]);
        assert_eq!(settled(&[written(page), removed]), [(page.into(), true)]);
        // A folder created: files may be coming into it.
        let folder = event(EventKind::Create(CreateKind::Folder), &["/s/content/new"]);
        assert_eq!(settled(&[folder]), [("/s/content/new".into(), false)]);
    }

    #[test]
    fn batches_are_whole_when_each_path_was_last_left_whole() {
        let (a, b) = ("/s/content/a.md", "/s/content/b.md");
        // A write straddling a tick: the close comes in the next batch.
        let mut changes = changed_paths(&[written(a)]);
        assert!(!all_settled(&changes));
        changes.extend(changed_paths(&[closed(a)]));
        assert!(all_settled(&changes));
        // Written again after being closed: not whole.
        changes.extend(changed_paths(&[written(a)]));
        assert!(!all_settled(&changes));
        // One path whole, another not.
        let changes = changed_paths(&[written(a), closed(a), written(b)]);
        assert!(!all_settled(&changes));
        assert!(all_settled(&[]));
    }
}
