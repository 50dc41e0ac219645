//! Watching the site's inputs: debounced file-system events, reduced to the changed paths.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use notify::event::{EventKind, MetadataKind, ModifyKind};
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
/// reads (a build reading its own inputs must not trigger another) and access times.
pub fn changed_paths(events: &[DebouncedEvent]) -> Vec<ChangedPath> {
    let mut paths: BTreeMap<PathBuf, bool> = BTreeMap::new();
    for event in events {
        let structural = match event.kind {
            EventKind::Access(_) => continue,
            EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)) => continue,
            EventKind::Create(_)
            | EventKind::Remove(_)
            | EventKind::Modify(ModifyKind::Name(_)) => true,
            EventKind::Modify(_) | EventKind::Any | EventKind::Other => false,
        };
        for path in &event.paths {
            *paths.entry(path.clone()).or_default() |= structural;
        }
    }
    paths
        .into_iter()
        .map(|(path, structural)| ChangedPath { path, structural })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, DataChange, RenameMode};
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
}
