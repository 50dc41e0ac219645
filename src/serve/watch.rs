//! Watching the site's inputs: debounced file-system events, reduced to the changed paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode, EventKind, MetadataKind, ModifyKind, RenameMode};
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
/// `IN_CLOSE_WRITE`, which counts only after an event of the same batch changed the path:
/// alone it changes nothing), or renamed into place. Created, written or its metadata changed
/// without a close yet (a writer may truncate, set the mode, then write), removed, or renamed
/// away, more of the same save may follow.
pub fn changed_paths(events: &[DebouncedEvent]) -> Vec<ChangedPath> {
    // By path: (structural, settled).
    let mut paths: BTreeMap<PathBuf, (bool, bool)> = BTreeMap::new();
    for event in events {
        if let EventKind::Access(AccessKind::Close(AccessMode::Write)) = event.kind {
            for path in &event.paths {
                if let Some(known) = paths.get_mut(path) {
                    known.1 = true;
                }
            }
            continue;
        }
        let structural = match event.kind {
            EventKind::Access(_) => continue,
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => continue,
            EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_)) => true,
            EventKind::Modify(_) | EventKind::Any | EventKind::Other => false,
        };
        for (at, path) in event.paths.iter().enumerate() {
            let settled = match event.kind {
                // The new name of a rename: whole, as the rename was written whole.
                EventKind::Modify(ModifyKind::Name(RenameMode::To)) => true,
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => at == 1,
                _ => false,
            };
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
    use crate::serve::changes::builds_at_once;
    use notify::event::{CreateKind, DataChange, RemoveKind};
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
        // A close alone (a file opened for writing and left as it was) changes nothing.
        assert_eq!(settled(&[closed(page)]), []);
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
            [(temporary.into(), false), (page.into(), true)]
        );
        // The page moved away first (a backup), its new version still to come; or removed
        // (a checkout removes, then writes).
        let backup = "/s/content/a.md~";
        let moved_away = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &[page, backup],
        );
        assert_eq!(
            settled(&[moved_away]),
            [(page.into(), false), (backup.into(), true)]
        );
        let removed = event(EventKind::Remove(RemoveKind::File), &[page]);
        assert_eq!(settled(&[written(page), removed]), [(page.into(), false)]);
        // A folder created: files may be coming into it.
        let folder = event(EventKind::Create(CreateKind::Folder), &["/s/content/new"]);
        assert_eq!(settled(&[folder]), [("/s/content/new".into(), false)]);
    }

    /// Whether a batch builds at once, the build reading every path but editors' own files.
    fn at_once(changes: &[ChangedPath]) -> bool {
        builds_at_once(changes, |path| !crate::paths::is_hidden_or_temporary(path))
    }

    #[test]
    fn only_one_file_left_whole_builds_at_once() {
        let (a, b) = ("/s/content/a.md", "/s/content/b.md");
        // A write straddling a tick: the next batch, which joins, writes and closes it.
        let mut changes = changed_paths(&[written(a)]);
        assert!(!at_once(&changes));
        changes.extend(changed_paths(&[written(a), closed(a)]));
        assert!(at_once(&changes));
        // Its mode set between a truncation and the write: not whole either.
        let chmod = event(
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::Permissions)),
            &[a],
        );
        assert!(!at_once(&changed_paths(&[written(a), chmod])));
        // Written again after being closed: not whole.
        changes.extend(changed_paths(&[written(a)]));
        assert!(!at_once(&changes));
        // An editor's save renamed over the page: its temporary file does not count.
        let temporary = "/s/content/.a.md.tmp";
        let save = changed_paths(&[
            written(temporary),
            closed(temporary),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &[temporary, a],
            ),
        ]);
        assert!(at_once(&save));
        // The page moved to a backup, the new version written: whole once it is closed.
        let backup = "/s/content/a.md~";
        let moved_away = event(
            EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
            &[a, backup],
        );
        assert!(!at_once(&changed_paths(std::slice::from_ref(&moved_away))));
        let created = event(EventKind::Create(CreateKind::File), &[a]);
        assert!(at_once(&changed_paths(&[
            moved_away,
            created,
            written(a),
            closed(a)
        ])));
        // Two files, each whole: a checkout or a save-all, which may not be done yet.
        let both = changed_paths(&[written(a), closed(a), written(b), closed(b)]);
        assert!(!at_once(&both));
        assert!(!at_once(&[]));
    }
}
