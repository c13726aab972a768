//! Full-text search that needs no server: the rendered pages → a Pagefind bundle.
//!
//! Pagefind (its Rust `api`, in-process) reads the HTML pages rendered in memory and
//! returns the files of a static search bundle: a WebAssembly search engine, the index
//! split into small chunks that the browser fetches on demand, and the Pagefind UI. They
//! are written under `pagefind/`. Only what templates mark is indexed: the element with
//! `data-pagefind-body` (an item page's article), with `data-pagefind-filter` for the
//! item's kind and audiences and `data-pagefind-meta` for the kind shown in results.
//!
//! Result URLs are the pages' routes with a leading `/`; the search page's script prefixes
//! them with the base path (or the `../` that reaches the root in relative mode), so
//! search works under a sub-path and in relative mode alike. Pages go in sorted by path
//! and Pagefind's chunk names are content hashes, so the bundle is the same bytes for the
//! same site (a test proves it).

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::render::{Contents, FileSink, OutputFile};

/// The folder of the output the bundle is written to.
pub const BUNDLE_DIR: &str = "pagefind";

/// Pages that are not content and must not be indexed.
const SKIPPED: &[&str] = &["404.html", "search/index.html"];

/// Indexes the HTML pages among `paths` (sorted), reading each back from `sink`, and
/// returns the bundle's files. Pages are read one at a time, so the site never has to be
/// in memory; a sink that keeps nothing (`docket check`) gets no index. `language` is the
/// site's language tag, which picks Pagefind's stemmer.
pub fn index(paths: &[String], sink: &dyn FileSink, language: &str, diagnostics: &mut Diagnostics) -> Vec<OutputFile> {
    let pages = paths.iter().filter(|p| p.ends_with(".html") && !SKIPPED.contains(&p.as_str()));
    let mut pages = pages.map(|path| sink.read_back(path).map(|html| (path.as_str(), html))).peekable();
    if matches!(pages.peek(), None | Some(None)) {
        return Vec::new();
    }
    match run(pages.flatten(), language) {
        Ok(bundle) => bundle,
        Err(error) => {
            diagnostics.push(failure(&error));
            Vec::new()
        }
    }
}

/// The bundle for a site rendered into memory (`files`, sorted by path), as
/// [`index`] would have built it during the render. Problems are diagnostics.
pub fn bundle(files: &[OutputFile], language: &str, diagnostics: &mut Diagnostics) -> Vec<OutputFile> {
    let pages = files
        .iter()
        .filter(|f| f.path.ends_with(".html") && !SKIPPED.contains(&f.path.as_str()))
        .filter_map(|f| f.contents.bytes().map(|bytes| (f.path.as_str(), bytes.to_vec())));
    match run(pages, language) {
        Ok(bundle) => bundle,
        Err(error) => {
            diagnostics.push(failure(&error));
            Vec::new()
        }
    }
}

/// The diagnostic for an index Pagefind could not build.
fn failure(error: &str) -> Diagnostic {
    Diagnostic::file_error("search", BUNDLE_DIR, format!("the search index could not be built: {error}"))
        .with_hint("this is a bug in docket or Pagefind; the site is fine without the search page")
}

/// The URL Pagefind records for a page: its route from the site root, with `index.html`
/// kept so that results also open from `file://`-style relative prefixes.
fn result_url(path: &str) -> String {
    format!("/{path}")
}

fn run<'a>(pages: impl Iterator<Item = (&'a str, Vec<u8>)>, language: &str) -> Result<Vec<OutputFile>, String> {
    let runtime = tokio::runtime::Builder::new_current_thread().build().map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let options = pagefind::options::PagefindServiceConfig::builder()
            .keep_index_url(true)
            .force_language(language.split('-').next().unwrap_or("en").to_string())
            .build();
        let mut index = pagefind::api::PagefindIndex::new(Some(options)).map_err(|e| format!("{e:#}"))?;
        for (path, html) in pages {
            let html = String::from_utf8(html).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            index
                .add_html_file(Some(path.to_string()), Some(result_url(path)), html)
                .await
                .map_err(|e| format!("{path}: {e:#}"))?;
        }
        let mut bundle: Vec<OutputFile> = index
            .get_files()
            .await
            .map_err(|e| format!("{e:#}"))?
            .into_iter()
            .map(|file| OutputFile {
                path: format!("{BUNDLE_DIR}/{}", file.filename.to_string_lossy().replace('\\', "/")),
                contents: Contents::Bytes(file.contents),
            })
            .collect();
        bundle.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(bundle)
    })
}
