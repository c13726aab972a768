//! File watching: notify events → debounced batches of changes, sorted by kind.
//!
//! In: the raw events of the operating system's watcher (notify). Out: one [`Batch`] per
//! burst of activity, saying which content files changed and whether the configuration,
//! the theme or the static folder did — the rebuild does only what the kinds require.
//!
//! Debouncing: after the first event, events are gathered until none has arrived for the
//! quiet period, so an editor's atomic save (write a temporary file, rename it over the
//! note) or a `git checkout` touching a thousand files is one batch, one rebuild. Editor
//! swap and backup files and hidden folders ([`crate::load::is_ignored`]) never start a
//! rebuild, and neither do read-only accesses (docket reading the files it rebuilds from
//! would otherwise wake itself up).

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

use crate::load::is_ignored;

/// What the rebuild thread receives.
pub(crate) enum Message {
    /// An event (or error) from the watcher.
    Event(notify::Result<notify::Event>),
    /// The server is stopping.
    Stop,
}

/// Where things live in the knowledge base being watched.
#[derive(Clone, Debug)]
pub(crate) struct Layout {
    /// The root (absolute).
    pub root: PathBuf,
    /// The content folder (absolute).
    pub content: PathBuf,
}

/// The changes of one burst of activity.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Batch {
    /// Content files and folders named by events.
    pub content: Vec<PathBuf>,
    /// `docket.toml` changed.
    pub config: bool,
    /// A file under `themes/` changed.
    pub theme: bool,
    /// A file under `static/` changed.
    pub statics: bool,
    /// The watcher lost events: rebuild from what is on disk.
    pub rescan: bool,
}

impl Batch {
    fn is_empty(&self) -> bool {
        *self == Batch::default()
    }
}

/// Starts watching the root (for `docket.toml` and new folders), the content folder,
/// `themes/` and `static/`. Events go to `sender`.
pub(crate) fn start(layout: &Layout, sender: Sender<Message>) -> notify::Result<RecommendedWatcher> {
    let mut watcher = notify::recommended_watcher(move |event| {
        // The receiver is gone only when the server stops; nothing is left to tell.
        let _ = sender.send(Message::Event(event));
    })?;
    watcher.watch(&layout.root, RecursiveMode::NonRecursive)?;
    for dir in [layout.content.clone(), layout.root.join("themes"), layout.root.join("static")] {
        if dir.is_dir() {
            watcher.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    Ok(watcher)
}

/// Waits for the next burst of relevant events and gathers it, until `quiet` passes with
/// no event (or `longest` since the first). `None` when the server stops.
pub(crate) fn next_batch(
    receiver: &Receiver<Message>,
    layout: &Layout,
    quiet: Duration,
    longest: Duration,
) -> Option<Batch> {
    let mut batch = Batch::default();
    while batch.is_empty() {
        add(&mut batch, layout, receiver.recv().ok()?)?;
    }
    let first = Instant::now();
    while first.elapsed() < longest {
        match receiver.recv_timeout(quiet) {
            Ok(message) => add(&mut batch, layout, message)?,
            Err(RecvTimeoutError::Timeout) => break,
            Err(RecvTimeoutError::Disconnected) => return None,
        }
    }
    batch.content.sort();
    batch.content.dedup();
    Some(batch)
}

/// Adds a message to the batch; `None` for [`Message::Stop`].
fn add(batch: &mut Batch, layout: &Layout, message: Message) -> Option<()> {
    let event = match message {
        Message::Stop => return None,
        Message::Event(Ok(event)) => event,
        Message::Event(Err(_)) => {
            batch.rescan = true;
            return Some(());
        }
    };
    if event.need_rescan() {
        batch.rescan = true;
    }
    if !changes_contents(event.kind) {
        return Some(());
    }
    for path in &event.paths {
        classify(batch, layout, path);
    }
    Some(())
}

/// Accesses that only read (open, read, close without writing) change nothing.
fn changes_contents(kind: EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Sorts one path into the batch, or drops it (editor leftovers, hidden folders, the
/// output folder and anything else docket does not read).
fn classify(batch: &mut Batch, layout: &Layout, path: &Path) {
    let Ok(relative) = path.strip_prefix(&layout.root) else { return };
    if relative.components().any(|c| is_ignored(&c.as_os_str().to_string_lossy())) {
        return;
    }
    // A watched folder itself was created, removed or renamed (`mv content x; mv x
    // content`, a `git checkout`): the watches on it are stale and the files named by
    // events are not all there is. Walk again and watch again.
    if path == layout.content || relative == Path::new("themes") || relative == Path::new("static") {
        batch.rescan = true;
    }
    if path.starts_with(&layout.content) {
        batch.content.push(path.to_path_buf());
    } else if relative == Path::new(crate::config::CONFIG_FILE) {
        batch.config = true;
    } else if relative.starts_with("themes") {
        batch.theme = true;
    } else if relative.starts_with("static") {
        batch.statics = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind};
    use std::sync::mpsc::channel;

    fn layout() -> Layout {
        Layout { root: PathBuf::from("/kb"), content: PathBuf::from("/kb/content") }
    }

    fn event(kind: EventKind, path: &str) -> Message {
        Message::Event(Ok(notify::Event::new(kind).add_path(PathBuf::from(path))))
    }

    #[test]
    fn paths_are_sorted_into_kinds_and_leftovers_dropped() {
        let mut batch = Batch::default();
        for path in [
            "/kb/content/notes/a.md",
            "/kb/content/notes/.a.md.swp",
            "/kb/content/notes/a.md~",
            "/kb/content/.obsidian/workspace.json",
            "/kb/docket.toml",
            "/kb/themes/default/templates/item.html",
            "/kb/static/logo.svg",
            "/kb/public/index.html",
            "/elsewhere/x.md",
        ] {
            classify(&mut batch, &layout(), Path::new(path));
        }
        assert_eq!(batch.content, vec![PathBuf::from("/kb/content/notes/a.md")]);
        assert!(batch.config && batch.theme && batch.statics && !batch.rescan);
    }

    #[test]
    fn a_watched_folder_replaced_whole_asks_for_a_walk_and_new_watches() {
        for folder in ["/kb/content", "/kb/themes", "/kb/static"] {
            let mut batch = Batch::default();
            classify(&mut batch, &layout(), Path::new(folder));
            assert!(batch.rescan, "{folder}");
        }
    }

    #[test]
    fn a_burst_of_events_is_one_batch_and_reads_are_ignored() {
        let (sender, receiver) = channel();
        sender.send(event(EventKind::Access(AccessKind::Open(AccessMode::Read)), "/kb/content/b.md")).expect("send");
        for n in 0..1000 {
            sender.send(event(EventKind::Create(CreateKind::File), &format!("/kb/content/n{n}.md"))).expect("send");
        }
        sender.send(event(EventKind::Modify(ModifyKind::Any), "/kb/content/n1.md")).expect("send");
        let batch = next_batch(&receiver, &layout(), Duration::from_millis(20), Duration::from_secs(5)).expect("batch");
        assert_eq!(batch.content.len(), 1000, "one batch, duplicates merged, the read ignored");
        sender.send(Message::Stop).expect("send");
        assert!(next_batch(&receiver, &layout(), Duration::from_millis(20), Duration::from_secs(5)).is_none());
    }
}
