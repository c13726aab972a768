//! The knowledge base as `docket serve` holds it: parsed documents and rendered pages kept
//! between rebuilds, so a rebuild reads and renders only what changed.
//!
//! In: the paths a change touched (and whether the theme changed). Out: the same files and
//! diagnostics a clean [`crate::compile`] of the folder gives — the integration tests
//! check this after a series of edits.
//!
//! A rebuild walks the content folder (cheap: no file is opened) and re-reads a markdown
//! file only when the change named it or its size or modification time differs from the
//! cached copy; every other document comes from the cache. Model and resolve then run
//! again over all documents, as they do in a build: they are linear and fast, and a
//! stage never patches an earlier stage's results. Rendering goes through the page cache
//! ([`crate::render::cache`]), which re-renders only pages whose context changed.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use rayon::prelude::*;

use crate::diagnostics::Diagnostics;
use crate::load::{self, Document, Loaded};
use crate::render::cache::{PageCache, RenderStats};
use crate::render::{self, OutputFile};
use crate::{BuildOptions, model, resolve};

/// What changed since the last rebuild.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    /// Files and folders under the content folder that an event named (absolute paths).
    pub content: Vec<PathBuf>,
    /// A template or theme file changed: every page is rendered again.
    pub theme: bool,
}

/// The result of one rebuild.
#[derive(Debug)]
pub struct Rebuilt {
    /// Every output file, sorted by path (rendered even when an error was found, so the
    /// preview can compare; the server publishes them only when there is no error).
    pub files: Vec<OutputFile>,
    /// Everything found wrong, sorted.
    pub diagnostics: Diagnostics,
    /// Items in the knowledge base.
    pub items: usize,
    /// Markdown files read and parsed in this rebuild (the rest came from the cache).
    pub documents_read: usize,
    /// What the renderer rendered and reused.
    pub render: RenderStats,
    /// Wall time of the rebuild.
    pub elapsed: Duration,
    /// The language the search index is built for, when the site has search. The
    /// bundle is not among `files`: [`crate::render::search::bundle`] makes it from them.
    pub search_language: Option<String>,
}

/// A document as last read, with what reading it found.
struct Cached {
    stamp: Option<Stamp>,
    document: Option<Document>,
    diagnostics: Diagnostics,
}

/// Size and modification time: a file whose stamp is unchanged is not read again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: SystemTime,
}

fn stamp(path: &Path) -> Option<Stamp> {
    let metadata = std::fs::metadata(path).ok()?;
    Some(Stamp { len: metadata.len(), modified: metadata.modified().ok()? })
}

/// Documents and pages kept between rebuilds of one knowledge base.
pub struct Workspace {
    options: BuildOptions,
    documents: HashMap<String, Cached>,
    pages: PageCache,
}

impl Workspace {
    /// A workspace with empty caches: the first rebuild reads and renders everything.
    pub fn new(options: BuildOptions) -> Workspace {
        let options = BuildOptions { root: crate::output::absolute(&options.root), ..options };
        Workspace { options, documents: HashMap::new(), pages: PageCache::new() }
    }

    /// The build options every rebuild uses (the root made absolute).
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// Runs the pipeline again, reading and rendering only what `changes` and the file
    /// stamps say may differ.
    pub fn rebuild(&mut self, changes: &Changes) -> Rebuilt {
        let started = Instant::now();
        if changes.theme {
            self.pages.clear();
        }
        let mut diagnostics = Diagnostics::new();
        let (config, as_of) = crate::configure(&self.options, &mut diagnostics);
        let content_dir = self.options.root.join(&config.content);
        let (loaded, documents_read) = self.load(&content_dir, &changes.content, &mut diagnostics);
        let site = model::build(config, as_of, loaded, &mut diagnostics);
        let graph = resolve::resolve(&site, &mut diagnostics);
        let files = render::render_incremental(&self.options.root, &site, &graph, &mut self.pages, &mut diagnostics);
        let search_language = site.config.search.then(|| site.config.language.clone());
        Rebuilt {
            search_language,
            files,
            diagnostics: diagnostics.sorted(),
            items: site.items.len(),
            documents_read,
            render: self.pages.stats(),
            elapsed: started.elapsed(),
        }
    }

    /// The loader's result, from the cache where the file is unchanged. Returns how many
    /// files were read.
    fn load(&mut self, content_dir: &Path, named: &[PathBuf], diagnostics: &mut Diagnostics) -> (Loaded, usize) {
        let root = self.options.root.clone();
        let (markdown, attachments) = load::walk(&root, content_dir, diagnostics);
        let named: HashSet<&Path> = named.iter().map(PathBuf::as_path).collect();
        let stamps: Vec<Option<Stamp>> = markdown.par_iter().map(|(path, _)| stamp(path)).collect();
        let mut previous = std::mem::take(&mut self.documents);
        let mut to_read = Vec::new();
        for ((path, rel), now) in markdown.iter().zip(stamps) {
            match previous.remove(rel) {
                Some(cached) if now.is_some() && cached.stamp == now && !named.contains(path.as_path()) => {
                    self.documents.insert(rel.clone(), cached);
                }
                _ => to_read.push((path, rel, now)),
            }
        }
        let read: Vec<(String, Cached)> = to_read
            .par_iter()
            .map(|(path, rel, stamp)| {
                let (document, diagnostics) = load::read_document(&root, path, rel);
                (rel.to_string(), Cached { stamp: *stamp, document, diagnostics })
            })
            .collect();
        let documents_read = read.len();
        self.documents.extend(read);
        let cached: Vec<&Cached> = markdown
            .iter()
            .map(|(_, rel)| self.documents.get(rel).expect("every walked file was kept or read"))
            .collect();
        for cached in &cached {
            diagnostics.extend(cached.diagnostics.iter().cloned());
        }
        let documents: Vec<Document> = cached.par_iter().filter_map(|cached| cached.document.clone()).collect();
        (Loaded { documents, attachments }, documents_read)
    }
}
