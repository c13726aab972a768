//! `docket serve`: a live preview that rebuilds on save and reloads open pages.
//!
//! In: a knowledge base and [`ServeOptions`]. Out: an HTTP server on 127.0.0.1 (or the
//! address asked for) serving the last good build from memory — never the user's output
//! folder — and a rebuild thread fed by the file watcher.
//!
//! The parts: [`watch`] turns file events into debounced batches; [`workspace`] rebuilds
//! incrementally (cached documents, cached pages, output identical to a clean build);
//! [`http`] serves the published files; [`reload`] tells open pages to reload, or to show
//! the errors of a bad edit in an overlay while the last good site stays published.

pub mod http;
mod indexer;
pub mod reload;
pub(crate) mod watch;
pub mod workspace;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::mpsc::{Sender, channel};
use std::sync::{Arc, RwLock};
use std::thread::JoinHandle;
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::broadcast;

use crate::BuildOptions;
use crate::render::{Contents, OutputFile};
use reload::{Signal, Status};
use watch::{Batch, Layout, Message};
pub use workspace::{Changes, Rebuilt, Workspace};

/// What `docket serve` is asked to do.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The knowledge-base root.
    pub root: PathBuf,
    /// As-of date, overriding the configuration.
    pub as_of: Option<NaiveDate>,
    /// Address to listen on: loopback unless exposing the preview is deliberate.
    pub bind: IpAddr,
    /// Port to try first; the next free one is taken when it is busy. 0: any free port.
    pub port: u16,
    /// How long the file system must stay quiet before a rebuild starts.
    pub debounce: Duration,
    /// Print only errors.
    pub quiet: bool,
    /// Publish notes marked as drafts.
    pub drafts: bool,
    /// Skip the full-text search index.
    pub no_search: bool,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions {
            root: PathBuf::from("."),
            as_of: None,
            bind: IpAddr::V4(Ipv4Addr::LOCALHOST),
            port: 1111,
            debounce: Duration::from_millis(30),
            quiet: false,
            drafts: false,
            no_search: false,
        }
    }
}

/// Why the server could not start.
#[derive(Debug)]
pub enum ServeError {
    /// No port could be bound.
    Bind(std::io::Error),
    /// The file watcher could not start.
    Watch(notify::Error),
    /// The async runtime could not start.
    Runtime(std::io::Error),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Bind(e) => write!(f, "cannot listen: {e} (try another --port or --bind)"),
            ServeError::Watch(e) => write!(f, "cannot watch the knowledge base: {e}"),
            ServeError::Runtime(e) => write!(f, "cannot start the server: {e}"),
        }
    }
}

impl std::error::Error for ServeError {}

/// Ports tried after the first one when it is busy.
const PORT_TRIES: u16 = 100;

/// A file of the published site.
#[derive(Clone, Debug)]
pub(crate) enum Served {
    /// Rendered bytes.
    Bytes(Arc<[u8]>),
    /// A file copied as it is, read when asked for.
    File(PathBuf),
}

/// The site being served: the output of the last rebuild without errors.
#[derive(Debug, Default)]
pub(crate) struct Published {
    files: HashMap<String, Served>,
    /// The search bundle, kept apart: it is made in the background, lags the pages by a
    /// rebuild or more, and is shared between rebuilds rather than copied into each.
    search: Arc<HashMap<String, Served>>,
    /// The rebuild the files come from.
    generation: u64,
}

impl Published {
    /// The files of rebuild `generation`, with the search bundle of `previous` carried
    /// over until the bundle of this rebuild is ready (see [`indexer`]).
    fn new(generation: u64, files: &[OutputFile], previous: &Published) -> Published {
        let files = files.iter().map(|file| (file.path.clone(), served(&file.contents))).collect();
        Published { files, search: Arc::clone(&previous.search), generation }
    }

    /// This site with `bundle` as its search bundle.
    fn with_search(&self, bundle: &[OutputFile]) -> Published {
        let search = bundle.iter().map(|file| (file.path.clone(), served(&file.contents))).collect();
        Published { files: self.files.clone(), search: Arc::new(search), generation: self.generation }
    }

    /// The file at `path` (relative to the site root), a page or part of the search bundle.
    pub(crate) fn get(&self, path: &str) -> Option<&Served> {
        self.files.get(path).or_else(|| self.search.get(path))
    }

    /// True before the first successful rebuild.
    pub(crate) fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

fn served(contents: &Contents) -> Served {
    match contents {
        Contents::Bytes(bytes) => Served::Bytes(Arc::from(bytes.as_slice())),
        Contents::Shared(bytes) => Served::Bytes(bytes.clone()),
        Contents::Copy(source) => Served::File(source.clone()),
    }
}

/// What the HTTP handlers and the rebuild thread share.
pub(crate) struct Shared {
    /// The path part of `base_url` (`/` or `/kb/`): the site is served under it, as it
    /// will be deployed, so sub-path links are tested by the preview.
    base_path: String,
    /// The folders, symbolic links resolved, that copied files may be read from: the
    /// knowledge-base root and the content folder.
    confine: Vec<PathBuf>,
    site: RwLock<Arc<Published>>,
    status: RwLock<Status>,
    signals: broadcast::Sender<Signal>,
}

impl Shared {
    pub(crate) fn site(&self) -> Arc<Published> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(crate) fn status(&self) -> Status {
        self.status.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Publishes a rebuild: its files when it has no error, its status always, then
    /// tells open pages.
    fn publish(&self, generation: u64, rebuilt: &Rebuilt) {
        let ok = !rebuilt.diagnostics.has_errors();
        if ok {
            let mut site = self.site.write().unwrap_or_else(|e| e.into_inner());
            *site = Arc::new(Published::new(generation, &rebuilt.files, &site));
        }
        let served = if ok { generation } else { self.status().served };
        *self.status.write().unwrap_or_else(|e| e.into_inner()) = Status::new(generation, served, rebuilt);
        // No open page is not an error.
        let _ = self.signals.send(if ok { Signal::Reload { generation } } else { Signal::Failed { generation } });
    }

    /// Puts the search bundle of rebuild `generation` in place, unless a newer rebuild
    /// has been published since (its own bundle is on the way).
    fn publish_search(&self, generation: u64, bundle: &[OutputFile]) {
        let mut site = self.site.write().unwrap_or_else(|e| e.into_inner());
        if site.generation == generation {
            *site = Arc::new(site.with_search(bundle));
        }
    }
}

/// A running dev server. Dropping it stops the server and the watcher.
pub struct Server {
    address: SocketAddr,
    shared: Arc<Shared>,
    stop: Sender<Message>,
    rebuilds: Option<JoinHandle<()>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Server {
    /// Builds the site, binds the port, starts watching and serving; returns once the
    /// server accepts requests.
    pub fn start(options: &ServeOptions) -> Result<Server, ServeError> {
        let listener = bind(options.bind, options.port).map_err(ServeError::Bind)?;
        let address = listener.local_addr().map_err(ServeError::Bind)?;
        let base_path = crate::config::load(&options.root, &mut crate::diagnostics::Diagnostics::new()).base_path();
        let mut workspace = Workspace::new(build_options(options, address, &base_path));
        let (signals, _) = broadcast::channel(16);
        // Watch before the first build, so a save during it causes a rebuild after it.
        let layout = layout(&workspace);
        let confine = [&layout.root, &layout.content].iter().filter_map(|p| std::fs::canonicalize(p).ok()).collect();
        let status = RwLock::new(Status::default());
        let shared = Arc::new(Shared { base_path, confine, site: RwLock::default(), status, signals });
        let (sender, receiver) = channel();
        let watcher = watch::start(&layout, sender.clone()).map_err(ServeError::Watch)?;
        let first = workspace.rebuild(&Changes::default());
        print_rebuild(options, workspace.options(), 1, &first);
        shared.publish(1, &first);
        let indexer = indexer::Indexer::start(shared.clone()).map_err(ServeError::Runtime)?;
        indexer.index(1, &first);
        let runtime = runtime().map_err(ServeError::Runtime)?;
        listener.set_nonblocking(true).map_err(ServeError::Bind)?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(listener).map_err(ServeError::Bind)?
        };
        let router = http::router(shared.clone());
        runtime.spawn(async move {
            // The server runs until the runtime is shut down; an accept error ends it.
            let _ = axum::serve(listener, router).await;
        });
        let rebuild_options = options.clone();
        let rebuild_shared = shared.clone();
        let watch_sender = sender.clone();
        let rebuilds = std::thread::Builder::new()
            .name("docket-rebuild".into())
            .spawn(move || {
                let mut rebuilding = Rebuilding {
                    options: rebuild_options,
                    workspace,
                    layout,
                    shared: rebuild_shared,
                    watcher,
                    sender: watch_sender,
                    generation: 1,
                    indexer,
                };
                rebuilding.run(&receiver);
            })
            .map_err(ServeError::Runtime)?;
        Ok(Server { address, shared, stop: sender, rebuilds: Some(rebuilds), runtime: Some(runtime) })
    }

    /// The address the server listens on.
    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// The URL of the site's home page (under the path of `base_url`).
    pub fn url(&self) -> String {
        format!("http://{}{}", display_address(self.address), self.shared.base_path)
    }

    /// The outcome of the latest rebuild.
    pub fn status(&self) -> Status {
        self.shared.status()
    }

    /// Serves until the process is interrupted.
    pub fn wait(mut self) {
        if let Some(rebuilds) = self.rebuilds.take() {
            // The thread ends only when the server stops; its panic is already printed.
            let _ = rebuilds.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // The rebuild thread may already be gone; then there is nothing to stop.
        let _ = self.stop.send(Message::Stop);
        if let Some(rebuilds) = self.rebuilds.take() {
            let _ = rebuilds.join();
        }
        if let Some(runtime) = self.runtime.take() {
            // Event streams never end on their own: do not wait for them.
            runtime.shutdown_background();
        }
    }
}

/// The rebuild thread: waits for batches of changes, rebuilds, publishes.
struct Rebuilding {
    options: ServeOptions,
    workspace: Workspace,
    layout: Layout,
    shared: Arc<Shared>,
    watcher: notify::RecommendedWatcher,
    sender: Sender<Message>,
    generation: u64,
    indexer: indexer::Indexer,
}

impl Rebuilding {
    fn run(&mut self, receiver: &std::sync::mpsc::Receiver<Message>) {
        let longest = Duration::from_secs(2);
        while let Some(batch) = watch::next_batch(receiver, &self.layout, self.options.debounce, longest) {
            self.rebuild(&batch);
        }
    }

    fn rebuild(&mut self, batch: &Batch) {
        // Watch again before rebuilding, as at start: an edit made while the rebuild runs
        // is then seen by the new watches, and one made before them is on disk for the
        // rebuild's walk to find.
        if batch.config || batch.rescan {
            self.rewatch();
        }
        self.generation += 1;
        let changes = Changes {
            content: batch.content.clone(),
            theme: batch.theme || batch.rescan,
            statics: batch.statics,
            complete: !batch.rescan,
        };
        let rebuilt = self.workspace.rebuild(&changes);
        print_rebuild(&self.options, self.workspace.options(), self.generation, &rebuilt);
        self.shared.publish(self.generation, &rebuilt);
        self.indexer.index(self.generation, &rebuilt);
    }

    /// The content folder may have moved (`content` in docket.toml) or folders appeared.
    fn rewatch(&mut self) {
        let layout = layout(&self.workspace);
        match watch::start(&layout, self.sender.clone()) {
            Ok(watcher) => {
                self.watcher = watcher;
                self.layout = layout;
            }
            Err(error) => eprintln!("warning: cannot watch the knowledge base again: {error}"),
        }
    }
}

fn layout(workspace: &Workspace) -> Layout {
    let root = workspace.options().root.clone();
    let mut ignored = crate::diagnostics::Diagnostics::new();
    let (config, _) = crate::configure(workspace.options(), &mut ignored);
    Layout { content: root.join(&config.content), root }
}

/// The build options of the preview: links point at the server, under the path of
/// `base_url` (read when the server starts).
fn build_options(options: &ServeOptions, address: SocketAddr, base_path: &str) -> BuildOptions {
    BuildOptions {
        root: options.root.clone(),
        output: None,
        as_of: options.as_of,
        relative_urls: false,
        base_url: Some(format!("http://{}{base_path}", display_address(address))),
        no_search: options.no_search,
        drafts: options.drafts,
    }
}

/// The address to show and link to: loopback when listening on every interface.
fn display_address(address: SocketAddr) -> SocketAddr {
    if address.ip().is_unspecified() {
        SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), address.port())
    } else {
        address
    }
}

/// Binds `port`, or the next free port after it; port 0 asks the system for any.
fn bind(ip: IpAddr, port: u16) -> std::io::Result<TcpListener> {
    let mut last = None;
    let tries = if port == 0 { 1 } else { PORT_TRIES };
    for offset in 0..tries {
        let Some(candidate) = port.checked_add(offset) else { break };
        match TcpListener::bind(SocketAddr::new(ip, candidate)) {
            Ok(listener) => return Ok(listener),
            Err(error) if error.kind() == std::io::ErrorKind::AddrInUse => last = Some(error),
            Err(error) => return Err(error),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::new(std::io::ErrorKind::AddrInUse, "no free port")))
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).thread_name("docket-http").enable_all().build()
}

/// Prints what a rebuild found: errors in full (file:line:col, message, hint), then one
/// line with the counts and what was rendered.
fn print_rebuild(options: &ServeOptions, build: &BuildOptions, generation: u64, rebuilt: &Rebuilt) {
    let mut shown = crate::diagnostics::Diagnostics::new();
    shown.extend(rebuilt.diagnostics.iter().filter(|d| d.severity == crate::diagnostics::Severity::Error).cloned());
    let color = std::io::IsTerminal::is_terminal(&std::io::stderr());
    eprint!("{}", shown.render(&build.root, color));
    if options.quiet {
        return;
    }
    let millis = rebuilt.elapsed.as_secs_f64() * 1000.0;
    let render = rebuilt.render;
    let outcome = if rebuilt.diagnostics.has_errors() { "failed (serving the last good build)" } else { "built" };
    eprintln!(
        "#{generation} {outcome} in {millis:.0} ms: {} files read, {} pages rendered, {} reused; {} error(s), {} warning(s)",
        rebuilt.documents_read,
        render.pages_rendered,
        render.pages_reused,
        rebuilt.diagnostics.error_count(),
        rebuilt.diagnostics.warning_count()
    );
}
