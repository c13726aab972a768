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
//!
//! One kind of edit skips all that: a change to the prose of notes and nothing else
//! (front matter byte for byte the same; the same headings, references, sentences around
//! them and first paragraph — see [`Document::differs_only_in_prose`]) in notes that no
//! other page draws in place with `![[note]]`. No page but the
//! note's own reads anything such an edit changed, so the last rebuild's site and graph are
//! kept with the new documents swapped in (and their references' positions moved), and
//! only the pages showing those bodies are rendered. Anything else — a new, deleted or
//! renamed file, a configuration or theme change, a diagnostic in the edited file — takes
//! the full path. The integration tests compare both paths with a clean build.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::diagnostics::Diagnostics;
use crate::load::{self, Attachment, Document, Loaded};
use crate::model::{ItemId, Site};
use crate::render::cache::{PageCache, RenderStats};
use crate::render::{self, OutputFile};
use crate::resolve::{Graph, Resolved};
use crate::{BuildOptions, model, resolve};

/// What changed since the last rebuild.
#[derive(Clone, Debug, Default)]
pub struct Changes {
    /// Files and folders under the content folder that an event named (absolute paths).
    pub content: Vec<PathBuf>,
    /// A template or theme file changed: every page is rendered again.
    pub theme: bool,
    /// A file of the site's `static/` folder changed: it is copied again.
    pub statics: bool,
    /// `content` names every content file that changed since the last rebuild (the
    /// watcher saw every event), so no other file needs a look: the content folder is not
    /// walked again unless a named file is new, gone or not a note.
    pub complete: bool,
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
    last: Option<Snapshot>,
}

/// What the last rebuild made, for an edit of prose alone.
struct Snapshot {
    /// The configuration and as-of date it was made with.
    settings: String,
    /// Diagnostics of the configuration and of the walk.
    early: Diagnostics,
    /// The markdown files walked (paths, and paths relative to the content folder) and
    /// attachments.
    markdown: Vec<(PathBuf, String)>,
    attachments: Vec<Attachment>,
    site: Site,
    graph: Graph,
    /// Items by the path of their file.
    by_path: HashMap<String, ItemId>,
    files: Vec<OutputFile>,
    diagnostics: Diagnostics,
}

/// The content folder as this rebuild found it.
struct Walked {
    markdown: Vec<(PathBuf, String)>,
    attachments: Vec<Attachment>,
    /// Files read again, with what the cache held for them before.
    replaced: Vec<(String, Option<Cached>)>,
}

impl Workspace {
    /// A workspace with empty caches: the first rebuild reads and renders everything.
    pub fn new(options: BuildOptions) -> Workspace {
        let options = BuildOptions { root: crate::output::absolute(&options.root), ..options };
        Workspace { options, documents: HashMap::new(), pages: PageCache::new(), last: None }
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
        if changes.theme || changes.statics {
            self.last = None;
        }
        let mut diagnostics = Diagnostics::new();
        let (config, as_of) = crate::configure(&self.options, &mut diagnostics);
        let content_dir = self.options.root.join(&config.content);
        let settings = format!("{}\n{as_of}", serde_json::to_string(&config).unwrap_or_default());
        let walked = match self.named_files(&content_dir, changes, &settings, &diagnostics) {
            Some(named) => self.read_again(named),
            None => self.walk(&content_dir, &load::Exclude::new(&config.exclude), &changes.content, &mut diagnostics),
        };
        let documents_read = walked.replaced.len();
        let (files, diagnostics) = match self.prose_edit(&settings, &diagnostics, &walked) {
            Some(result) => result,
            None => self.run_pipeline(config, as_of, settings, diagnostics, walked),
        };
        let site = &self.last.as_ref().expect("both paths keep a snapshot").site;
        Rebuilt {
            search_language: site.config.search.then(|| site.config.language.clone()),
            files,
            diagnostics,
            items: site.items.len(),
            documents_read,
            render: self.pages.stats(),
            elapsed: started.elapsed(),
        }
    }

    /// Model, resolve and render over every document, keeping the result for the next
    /// rebuild.
    fn run_pipeline(
        &mut self,
        config: SiteConfig,
        as_of: NaiveDate,
        settings: String,
        mut diagnostics: Diagnostics,
        walked: Walked,
    ) -> (Vec<OutputFile>, Diagnostics) {
        let early = diagnostics.clone();
        let loaded = self.loaded(&walked, &mut diagnostics);
        let site = model::build(config, as_of, loaded, &mut diagnostics);
        let graph = resolve::resolve(&site, &mut diagnostics);
        let files = render::render_incremental(&self.options.root, &site, &graph, &mut self.pages, &mut diagnostics);
        let diagnostics = diagnostics.sorted();
        let by_path =
            site.items.iter().enumerate().map(|(n, item)| (item.doc.rel_path.clone(), ItemId(n as u32))).collect();
        self.last = Some(Snapshot {
            settings,
            early,
            markdown: walked.markdown,
            attachments: walked.attachments,
            site,
            graph,
            by_path,
            files: files.clone(),
            diagnostics: diagnostics.clone(),
        });
        (files, diagnostics)
    }

    /// Walks the content folder and reads again the markdown files that `named` lists or
    /// whose stamp changed; the cache keeps the rest.
    fn walk(
        &mut self,
        content_dir: &Path,
        exclude: &load::Exclude,
        named: &[PathBuf],
        diagnostics: &mut Diagnostics,
    ) -> Walked {
        let root = self.options.root.clone();
        let (markdown, attachments) = load::walk(&root, content_dir, exclude, diagnostics);
        let named: HashSet<&Path> = named.iter().map(PathBuf::as_path).collect();
        let stamps: Vec<Option<Stamp>> = markdown.par_iter().map(|(path, _)| stamp(path)).collect();
        let mut previous = std::mem::take(&mut self.documents);
        let mut to_read = Vec::new();
        for ((path, rel), now) in markdown.iter().zip(stamps) {
            match previous.remove(rel) {
                Some(cached) if now.is_some() && cached.stamp == now && !named.contains(path.as_path()) => {
                    self.documents.insert(rel.clone(), cached);
                }
                old => to_read.push((path.clone(), rel.clone(), now, old)),
            }
        }
        let replaced = self.read(to_read);
        Walked { markdown, attachments, replaced }
    }

    /// Reads files again, keeping them in the cache; returns what it held before.
    fn read(
        &mut self,
        to_read: Vec<(PathBuf, String, Option<Stamp>, Option<Cached>)>,
    ) -> Vec<(String, Option<Cached>)> {
        let root = &self.options.root;
        let read: Vec<(String, Cached)> = to_read
            .par_iter()
            .map(|(path, rel, stamp, _)| {
                let (document, diagnostics) = load::read_document(root, path, rel);
                (rel.to_string(), Cached { stamp: *stamp, document, diagnostics })
            })
            .collect();
        self.documents.extend(read);
        to_read.into_iter().map(|(_, rel, _, old)| (rel, old)).collect()
    }

    /// The notes `changes` names, with their paths relative to the content folder, when
    /// they are all the content folder needs looked at: the watcher saw every change, the
    /// settings and the files are those of the last rebuild, and every named file is a
    /// note read before that is still a plain file (anything else needs the walk).
    /// Names the content folder ignores (editor swap and backup files) are passed over.
    fn named_files(
        &self,
        content_dir: &Path,
        changes: &Changes,
        settings: &str,
        early: &Diagnostics,
    ) -> Option<Vec<(PathBuf, String)>> {
        if !changes.complete {
            return None;
        }
        self.same_setup(settings, early)?;
        let mut named = Vec::with_capacity(changes.content.len());
        for path in &changes.content {
            let relative = path.strip_prefix(content_dir).ok()?;
            if named.iter().any(|(seen, _)| seen == path)
                || relative.iter().any(|part| load::is_ignored(&part.to_string_lossy()))
            {
                continue;
            }
            let rel = relative.to_string_lossy().replace('\\', "/");
            let plain_file = std::fs::symlink_metadata(path).is_ok_and(|m| m.is_file());
            if !(plain_file && rel.ends_with(".md") && self.documents.contains_key(&rel)) {
                return None;
            }
            named.push((path.clone(), rel));
        }
        Some(named)
    }

    /// The content folder as the last rebuild walked it, with the `named` notes read again.
    fn read_again(&mut self, named: Vec<(PathBuf, String)>) -> Walked {
        let last = self.last.as_ref().expect("named_files found a snapshot");
        let (markdown, attachments) = (last.markdown.clone(), last.attachments.clone());
        let to_read = named
            .into_iter()
            .map(|(path, rel)| {
                let old = self.documents.remove(&rel);
                (path.clone(), rel, stamp(&path), old)
            })
            .collect();
        let replaced = self.read(to_read);
        Walked { markdown, attachments, replaced }
    }

    /// The loader's result, from the cache.
    fn loaded(&self, walked: &Walked, diagnostics: &mut Diagnostics) -> Loaded {
        let cached: Vec<&Cached> = walked
            .markdown
            .iter()
            .map(|(_, rel)| self.documents.get(rel).expect("every walked file was kept or read"))
            .collect();
        for cached in &cached {
            diagnostics.extend(cached.diagnostics.iter().cloned());
        }
        let documents: Vec<Document> = cached.par_iter().filter_map(|cached| cached.document.clone()).collect();
        Loaded { documents, attachments: walked.attachments.clone() }
    }

    /// The files and diagnostics of this rebuild when the files read again changed in
    /// their prose alone (see the module documentation); `None` when the full pipeline
    /// must run.
    fn prose_edit(
        &mut self,
        settings: &str,
        early: &Diagnostics,
        walked: &Walked,
    ) -> Option<(Vec<OutputFile>, Diagnostics)> {
        let edited = self.prose_edits(settings, early, walked)?;
        let mut last = self.last.take()?;
        let (mut items, mut home) = (Vec::new(), false);
        for document in edited {
            if let Some(&id) = last.by_path.get(&document.rel_path) {
                move_references(&mut last.graph.references[id.index()], &document);
                last.site.items[id.index()].doc = document;
                items.push(id);
            } else if last.site.home.as_ref().is_some_and(|home| home.rel_path == document.rel_path) {
                move_references(&mut last.graph.home_references, &document);
                last.site.home = Some(document);
                home = true;
            }
            // Otherwise a draft: it publishes nothing.
        }
        let mut found = Diagnostics::new();
        let fresh = render::render_bodies(
            &self.options.root,
            &last.site,
            &last.graph,
            &mut self.pages,
            &items,
            home,
            &mut found,
        );
        if !found.is_empty() {
            return None;
        }
        for file in fresh {
            let at = last.files.binary_search_by(|f| f.path.as_str().cmp(&file.path)).ok()?;
            last.files[at] = file;
        }
        let result = (last.files.clone(), last.diagnostics.clone());
        self.last = Some(last);
        Some(result)
    }

    /// The last rebuild's snapshot, when it was made with these settings and found the
    /// same configuration and walk diagnostics.
    fn same_setup(&self, settings: &str, early: &Diagnostics) -> Option<&Snapshot> {
        self.last.as_ref().filter(|last| last.settings == settings && last.early.iter().eq(early.iter()))
    }

    /// The documents read again, when every one of them changed in its prose alone and
    /// nothing else changed since the last rebuild.
    fn prose_edits(&self, settings: &str, early: &Diagnostics, walked: &Walked) -> Option<Vec<Document>> {
        let last = self.same_setup(settings, early)?;
        let unchanged = last.attachments == walked.attachments
            && last.markdown == walked.markdown
            && !last.diagnostics.iter().any(|d| d.code == "template");
        if !unchanged {
            return None;
        }
        let mut edited = Vec::with_capacity(walked.replaced.len());
        for (rel, old) in &walked.replaced {
            let old = old.as_ref().filter(|old| old.diagnostics.is_empty())?.document.as_ref()?;
            let new = self.documents.get(rel).filter(|new| new.diagnostics.is_empty())?.document.as_ref()?;
            let mentioned = last
                .diagnostics
                .iter()
                .any(|d| d.path == old.display_path || d.related.iter().any(|r| r.path == old.display_path));
            // A note drawn inside other pages (`![[note]]`) shows its prose there too.
            let embedded = last.by_path.get(rel).is_some_and(|&id| drawn_elsewhere(&last.site, &last.graph, id));
            if mentioned || embedded || !old.differs_only_in_prose(new) {
                return None;
            }
            edited.push(new.clone());
        }
        Some(edited)
    }
}

/// True when an embed on another page (or the home page) draws `id`'s text in place.
fn drawn_elsewhere(site: &Site, graph: &Graph, id: ItemId) -> bool {
    let draws = |r: &Resolved| {
        r.syntax == crate::load::Syntax::Embed
            && matches!(r.target, crate::resolve::Target::Item { item, .. } if item == id)
            && crate::render::markdown::transcludes(site.item(id).kind)
    };
    graph.references.iter().flatten().chain(&graph.home_references).any(draws)
}

/// Moves resolved references to where `document` now has them: a prose edit keeps every
/// reference and its target, and may shift where it sits.
fn move_references(resolved: &mut [Resolved], document: &Document) {
    for (resolved, raw) in resolved.iter_mut().zip(&document.outline.references) {
        resolved.offset = raw.range.start;
    }
}
