//! docket: a static site generator for policy knowledge bases.
//!
//! The pipeline runs one way, each stage a module with a small typed interface:
//!
//! 1. [`load`]: the content folder → parsed documents (front matter, headings, references);
//! 2. [`model`]: documents → a typed, validated [`model::Site`];
//! 3. [`resolve`]: every reference, deadline rule and claim → the [`resolve::Graph`];
//! 4. [`render`]: site + graph → output files in memory;
//! 5. [`output`]: files → the output folder, staged and swapped in atomically.
//!
//! Every stage records problems as [`diagnostics::Diagnostic`] values and carries on, so
//! one run reports everything; the write stage runs only when no stage found an error.

#![warn(missing_docs)]

pub mod config;
pub mod corpus;
pub mod diagnostics;
pub mod export;
pub mod load;
pub mod manifest;
pub mod markdown;
pub mod mirror;
pub mod model;
pub mod output;
pub mod render;
pub mod resolve;
pub mod rules;
pub mod scaffold;
pub mod serve;
pub mod sink;
pub mod text;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use diagnostics::{Diagnostic, Diagnostics};

/// What a build or check is asked to do.
#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    /// The knowledge-base root (holding `docket.toml` and `content/`).
    pub root: PathBuf,
    /// Output folder, overriding the configuration (relative to the current folder).
    pub output: Option<PathBuf>,
    /// As-of date, overriding the configuration.
    pub as_of: Option<NaiveDate>,
    /// Relative URLs, overriding the configuration when `Some(true)`.
    pub relative_urls: bool,
    /// Base URL, overriding the configuration.
    pub base_url: Option<String>,
    /// Skip the search index, overriding the configuration when set.
    pub no_search: bool,
    /// Publish notes marked as drafts (the preview's `--drafts`).
    pub drafts: bool,
}

/// What a build or check did.
#[derive(Debug)]
pub struct Report {
    /// Everything found wrong, sorted.
    pub diagnostics: Diagnostics,
    /// Pages (HTML files) rendered.
    pub pages: usize,
    /// Files in the output.
    pub files: usize,
    /// Items in the knowledge base.
    pub items: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the site was written (`None` for a check or a failed build).
    pub written_to: Option<PathBuf>,
    /// Wall time of each stage, in pipeline order.
    pub timings: Vec<(&'static str, Duration)>,
}

impl Report {
    /// True when no error was found.
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.has_errors()
    }
}

/// The result of running the pipeline up to rendering.
pub struct Compiled {
    /// The loaded site.
    pub site: model::Site,
    /// Its graph.
    pub graph: resolve::Graph,
    /// Rendered files (empty when rendering was skipped or the files went to a sink).
    pub files: Vec<render::OutputFile>,
    /// Paths of the rendered files, sorted, also when the files went to a sink.
    pub paths: Vec<String>,
    /// Everything found wrong.
    pub diagnostics: Diagnostics,
    /// Wall time of each stage.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs load, model and resolve, and render when `render_pages` is set.
pub fn compile(options: &BuildOptions, render_pages: bool) -> Compiled {
    let collected = render::sink::Collected::default();
    let mut compiled = compile_into(options, render_pages.then_some(&collected as &dyn render::FileSink));
    compiled.files = collected.into_sorted();
    compiled
}

/// Runs load, model and resolve, and render when a `sink` is given, handing each
/// rendered file to it as soon as it is made (so the site never has to fit in memory).
pub fn compile_into(options: &BuildOptions, sink: Option<&dyn render::FileSink>) -> Compiled {
    compile_observed(options, sink, &Silent)
}

/// Told how a build advances, for a progress display; called from several threads.
pub trait Progress: Sync {
    /// A stage begins (`load`, `model`, `resolve`, `render`, `write`); `items` is the
    /// number of items in the knowledge base once it is known, else 0.
    fn stage(&self, name: &'static str, items: usize);
    /// A file was rendered.
    fn file(&self);
}

/// A [`Progress`] that shows nothing.
pub struct Silent;

impl Progress for Silent {
    fn stage(&self, _: &'static str, _: usize) {}
    fn file(&self) {}
}

/// A sink that tells a [`Progress`] about every file it passes on.
struct Counted<'a> {
    sink: &'a dyn render::FileSink,
    progress: &'a dyn Progress,
}

impl render::FileSink for Counted<'_> {
    fn put(&self, file: render::OutputFile) -> Result<(), String> {
        self.progress.file();
        self.sink.put(file)
    }

    fn keeps_files(&self) -> bool {
        self.sink.keeps_files()
    }
}

/// [`compile_into`], telling `progress` as each stage begins and each file is rendered.
pub fn compile_observed(
    options: &BuildOptions,
    sink: Option<&dyn render::FileSink>,
    progress: &dyn Progress,
) -> Compiled {
    let mut diagnostics = Diagnostics::new();
    let configured = configure(options, &mut diagnostics);
    compile_configured(options, configured, diagnostics, sink, progress, false)
}

/// [`compile_into`] with `docket.toml` already read (by [`configure`]), so a build that
/// needed the configuration first (for its output folder) does not parse it twice. With
/// `stop_on_error`, rendering is skipped once load, model or resolve found an error: the
/// build cannot succeed, and rendering thousands of pages only to throw them away would
/// delay the report.
fn compile_configured(
    options: &BuildOptions,
    (config, as_of): (config::SiteConfig, NaiveDate),
    mut diagnostics: Diagnostics,
    sink: Option<&dyn render::FileSink>,
    progress: &dyn Progress,
    stop_on_error: bool,
) -> Compiled {
    let content_dir = options.root.join(&config.content);
    let mut timings = Vec::with_capacity(4);
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };
    progress.stage("load", 0);
    let exclude = load::Exclude::new(&config.exclude);
    let loaded = load::load(&options.root, &content_dir, &exclude, &mut diagnostics);
    lap("load");
    progress.stage("model", 0);
    let site = model::build(config, as_of, loaded, &mut diagnostics);
    lap("model");
    progress.stage("resolve", site.items.len());
    let graph = resolve::resolve(&site, &mut diagnostics);
    lap("resolve");
    let sink = sink.filter(|_| !(stop_on_error && diagnostics.has_errors()));
    let paths = match sink {
        Some(sink) => {
            progress.stage("render", site.items.len());
            let counted = Counted { sink, progress };
            render::render_into(&options.root, &site, &graph, &mut diagnostics, &counted)
        }
        None => Vec::new(),
    };
    lap("render");
    keep_sources(&site, &mut diagnostics);
    Compiled { site, graph, files: Vec::new(), paths, diagnostics, timings }
}

/// Gives the diagnostics the text of each note they name, as the loader read it (checked
/// against its fingerprint), so printing them neither reads nor follows anything on disk
/// and every snippet shows the text the positions were computed on.
fn keep_sources(site: &model::Site, diagnostics: &mut Diagnostics) {
    let named: std::collections::BTreeSet<PathBuf> = diagnostics.paths().into_iter().map(Path::to_path_buf).collect();
    let documents = site.items.iter().map(|item| &item.doc).chain(site.home.iter());
    for document in documents.filter(|doc| named.contains(&doc.display_path)) {
        if let Ok(text) = document.text() {
            diagnostics.keep_source(&document.display_path, text);
        }
    }
}

/// Reads `docket.toml` and applies the options' overrides: the configuration and the
/// as-of date a build uses.
pub fn configure(options: &BuildOptions, diagnostics: &mut Diagnostics) -> (config::SiteConfig, NaiveDate) {
    let mut config = config::load(&options.root, diagnostics);
    if options.relative_urls {
        config.relative_urls = true;
    }
    if let Some(base_url) = &options.base_url {
        config.base_url = base_url.clone();
    }
    if options.no_search {
        config.search = false;
    }
    config.drafts = options.drafts;
    let as_of = options.as_of.or(config.as_of_date()).unwrap_or_else(|| chrono::Local::now().date_naive());
    (config, as_of)
}

/// The output folder a build writes to.
pub fn output_folder(options: &BuildOptions, config: &config::SiteConfig) -> PathBuf {
    options.output.clone().unwrap_or_else(|| options.root.join(&config.output))
}

/// Builds the site and writes it, unless an error was found.
pub fn build(options: &BuildOptions) -> Report {
    build_observed(options, &Silent)
}

/// [`build`], telling `progress` how it advances.
pub fn build_observed(options: &BuildOptions, progress: &dyn Progress) -> Report {
    let started = Instant::now();
    let mut early = Diagnostics::new();
    let (config, as_of) = configure(options, &mut early);
    let output = output_folder(options, &config);
    if let Err(error) = output::check_output_folder(&options.root, &options.root.join(&config.content), &output) {
        early.push(
            Diagnostic::file_error("output", &output, error.to_string())
                .with_hint("choose another output folder with --output or `output` in docket.toml"),
        );
        return failed_early(early, started);
    }
    // Pages are written into the staging folder as they are rendered; the staging folder
    // replaces the output only if the whole build succeeded (see `output::Staging`).
    let staging = match output::Staging::create(&output) {
        Ok(staging) => staging,
        Err(error) => {
            early.push(Diagnostic::file_error("output", &output, error.to_string()));
            return failed_early(early, started);
        }
    };
    let compiled = compile_configured(options, (config, as_of), early, Some(&staging), progress, true);
    let mut diagnostics = compiled.diagnostics;
    let mut timings = compiled.timings;
    let pages = compiled.paths.iter().filter(|p| p.ends_with(".html")).count();
    let mut written_to = None;
    if diagnostics.has_errors() {
        staging.abandon();
    } else {
        let clock = Instant::now();
        progress.stage("write", compiled.site.items.len());
        match staging.commit() {
            Ok(committed) => {
                if let Some(leftover) = committed.leftover {
                    diagnostics.push(
                        Diagnostic::file_error("output", &output, leftover)
                            .warning()
                            .with_hint("make that folder writable and remove it; the next build tries again"),
                    );
                }
                written_to = Some(output)
            }
            Err(error) => diagnostics.push(Diagnostic::file_error("output", &output, error.to_string())),
        }
        timings.push(("write", clock.elapsed()));
    }
    Report {
        diagnostics: diagnostics.sorted(),
        pages,
        files: compiled.paths.len(),
        items: compiled.site.items.len(),
        elapsed: started.elapsed(),
        written_to,
        timings,
    }
}

/// The report of a build stopped before loading anything.
fn failed_early(diagnostics: Diagnostics, started: Instant) -> Report {
    Report {
        diagnostics: diagnostics.sorted(),
        pages: 0,
        files: 0,
        items: 0,
        elapsed: started.elapsed(),
        written_to: None,
        timings: Vec::new(),
    }
}

/// Runs every stage but writing and reports what it found.
pub fn check(options: &BuildOptions) -> Report {
    let started = Instant::now();
    let compiled = compile_into(options, Some(&render::sink::Discard));
    let pages = compiled.paths.iter().filter(|p| p.ends_with(".html")).count();
    Report {
        diagnostics: compiled.diagnostics.sorted(),
        pages,
        files: compiled.paths.len(),
        items: compiled.site.items.len(),
        elapsed: started.elapsed(),
        written_to: None,
        timings: compiled.timings,
    }
}

/// Finds the knowledge-base root: `start` if it holds `docket.toml` or `content/`, else
/// the nearest ancestor that does, else `start`.
pub fn find_root(start: &Path) -> PathBuf {
    let start = output::absolute(start);
    start.ancestors().find(|dir| dir.join(config::CONFIG_FILE).is_file()).map(Path::to_path_buf).unwrap_or(start)
}
