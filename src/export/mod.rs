//! `docket export --format markdown`: the knowledge base as plain CommonMark/GFM files,
//! for a Git-backed wiki (GitHub, GitLab) or a Confluence markdown import.
//!
//! It runs the load, model and resolve stages (not render), then writes one `.md` file per
//! item at the same path as under `content/`, with every reference the resolve stage
//! resolved spliced back into the text as an ordinary relative link: `[[3(b)]]` becomes
//! `[Sec. 3(b)](../sections/3-b.md)`, a citation `[@x, p. 2]` becomes
//! `([X](../sources/x.md), p. 2)`, an embed of a note a quoted card with a link, an embed
//! of an image a markdown image. Code is left as it is. After the body come what the site
//! computes: the deadline's date, the claims a source makes, what sources say about the
//! item, and its backlinks. `Home.md` (the page wikis open first) holds the home
//! introduction and a list of every item by kind. Attachments are copied as they are.
//!
//! The files are written with the build's write stage: staged and swapped in, under the
//! same guards (never the content folder, never the root, never a folder docket did not
//! write).

mod page;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Kind;
use crate::render::{Contents, OutputFile};
use crate::{BuildOptions, config, output};

/// What to do with each note's front matter.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FrontMatter {
    /// Keep it as written (TOML `+++` or YAML `---`).
    #[default]
    Keep,
    /// Leave it out; the title becomes the page's first heading.
    Drop,
}

/// Which wiki the export is written for: how pages are named and linked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Flavor {
    /// Plain markdown: files keep the layout of `content/` and links end in `.md`.
    #[default]
    Plain,
    /// A GitHub wiki: every page at the top with a flat name, linked as `[label](Page-Name)`.
    GithubWiki,
    /// A GitLab wiki: the layout kept, links relative to the page's folder without `.md`.
    GitlabWiki,
}

/// What an export is asked to do.
#[derive(Clone, Debug)]
pub struct ExportOptions {
    /// How the knowledge base is read (root, as-of date).
    pub build: BuildOptions,
    /// The folder to write.
    pub output: PathBuf,
    /// Front matter kept or dropped.
    pub front_matter: FrontMatter,
    /// The wiki the names and links are written for.
    pub flavor: Flavor,
}

/// What an export did.
#[derive(Debug)]
pub struct ExportReport {
    /// Everything found wrong, sorted.
    pub diagnostics: Diagnostics,
    /// Files written.
    pub files: usize,
    /// Wall time.
    pub elapsed: Duration,
    /// Where the export was written (`None` when it failed).
    pub written_to: Option<PathBuf>,
}

/// Exports the knowledge base as markdown, unless an error was found.
pub fn export(options: &ExportOptions) -> ExportReport {
    let started = Instant::now();
    let mut diagnostics = Diagnostics::new();
    let config = config::load(&options.build.root, &mut Diagnostics::new());
    let content = options.build.root.join(&config.content);
    if let Err(error) = output::check_output_folder(&options.build.root, &content, &options.output) {
        diagnostics.push(
            Diagnostic::file_error("output", &options.output, error.to_string())
                .with_hint("choose another folder with --output"),
        );
        return ExportReport { diagnostics, files: 0, elapsed: started.elapsed(), written_to: None };
    }
    let compiled = crate::compile(&options.build, false);
    diagnostics.extend(compiled.diagnostics);
    let files = if diagnostics.has_errors() {
        Vec::new()
    } else {
        files(&compiled.site, &compiled.graph, options, &mut diagnostics)
    };
    let mut written_to = None;
    if !diagnostics.has_errors() {
        match output::write_site(&options.output, &files) {
            Ok(committed) => {
                if let Some(leftover) = committed.leftover {
                    diagnostics.push(Diagnostic::file_error("output", &options.output, leftover).warning());
                }
                written_to = Some(options.output.clone())
            }
            Err(error) => diagnostics.push(Diagnostic::file_error("output", &options.output, error.to_string())),
        }
    }
    ExportReport { diagnostics: diagnostics.sorted(), files: files.len(), elapsed: started.elapsed(), written_to }
}

/// Every file of the export, sorted by path.
fn files(
    site: &crate::model::Site,
    graph: &crate::resolve::Graph,
    options: &ExportOptions,
    diagnostics: &mut Diagnostics,
) -> Vec<OutputFile> {
    let paths = page::paths(site, options.flavor);
    let pages = page::Pages { site, graph, front_matter: options.front_matter, flavor: options.flavor, paths };
    let made = (0..site.items.len())
        .map(|n| {
            let id = crate::model::ItemId(n as u32);
            (pages.paths[n].clone(), pages.item(id))
        })
        .chain(std::iter::once((page::home_path(options.flavor).to_string(), pages.home())));
    let mut files = Vec::with_capacity(site.items.len() + 1 + site.attachments.len());
    for (path, markdown) in made {
        match markdown {
            Ok(markdown) => files.push(OutputFile { path, contents: Contents::Bytes(markdown.into_bytes()) }),
            Err(changed) => diagnostics.push(*changed),
        }
    }
    files.extend(
        site.attachments
            .iter()
            .map(|a| OutputFile { path: a.rel_path.clone(), contents: Contents::Copy(a.source.clone()) }),
    );
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files.dedup_by(|a, b| a.path == b.path);
    files
}

/// The kinds in the order `Home.md` lists them.
const HOME_ORDER: [Kind; 9] = [
    Kind::Instrument,
    Kind::Provision,
    Kind::Deadline,
    Kind::Source,
    Kind::Audience,
    Kind::Agency,
    Kind::Term,
    Kind::Alert,
    Kind::Note,
];
