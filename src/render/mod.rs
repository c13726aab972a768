//! Stage 4, render: site + graph → output files (in memory, sorted by path).
//!
//! Item pages, index pages, the deadline table, the conflicts page and the home page are
//! rendered in parallel with rayon; each page builds its own small context and renders it
//! with templates compiled once. Rendering is pure: the same site and graph give the same
//! bytes, whatever the number of threads.
//!
//! `docket serve` renders through [`render_incremental`] with a [`cache::PageCache`]:
//! the same code path, but a page whose template context is unchanged reuses its bytes
//! (see the `cache` module for why that is exact).

mod alerts;
pub mod cache;
pub mod derived;
pub mod exports;
pub mod feeds;
pub(crate) mod folders;
pub mod highlight;
mod indexes;
pub mod inline_css;
mod landing;
pub mod markdown;
pub mod pages;
pub mod raw_html;
mod redirects;
pub mod reference;
pub mod search;
mod tag_pages;
pub use crate::sink;
mod tallies;
pub mod template_limits;
pub mod terminal;
pub mod theme;
pub mod timeline;
mod toml_syntax;
pub mod urls;
pub mod views;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{ItemId, Kind, Site};
use crate::resolve::Graph;
use pages::{Contexts, PageView, index_of};
pub use sink::{Contents, FileSink, OutputFile};
use urls::Urls;
use views::{DeadlineView, Link};

/// Renders the whole site into memory, sorted by path. `root` is the knowledge-base
/// root (for the theme and `static/`).
pub fn render(root: &std::path::Path, site: &Site, graph: &Graph, diagnostics: &mut Diagnostics) -> Vec<OutputFile> {
    let collected = sink::Collected::default();
    render_into(root, site, graph, diagnostics, &collected);
    collected.into_sorted()
}

/// Renders the whole site, handing each file to `sink` as soon as it is made, and
/// returns the paths of the files, sorted. Two files with one path are an error.
pub fn render_into(
    root: &std::path::Path,
    site: &Site,
    graph: &Graph,
    diagnostics: &mut Diagnostics,
    sink: &dyn FileSink,
) -> Vec<String> {
    let Some(theme) = theme::load(root, &site.config.theme, diagnostics) else { return Vec::new() };
    let pass = Pass { theme: &theme, cache: None, search_index: SearchIndex::Build };
    render_with(root, site, graph, &pass, diagnostics, sink)
}

/// How one render runs: with which theme, page cache and search indexing.
struct Pass<'a> {
    theme: &'a theme::Theme,
    cache: Option<&'a cache::Session<'a>>,
    search_index: SearchIndex,
}

/// What a render does with the search index.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SearchIndex {
    /// Built from the rendered pages, when the site has search.
    Build,
    /// Left to the caller ([`search::bundle`]): `docket serve` indexes in the background
    /// so that a reload never waits for the index.
    Deferred,
}

/// Renders the whole site like [`render`], reusing from `cache` every page and body whose
/// inputs are unchanged since the previous call, and keeping this call's pages for the next.
/// The search bundle is not built: [`search::bundle`] makes it from the returned files.
pub fn render_incremental(
    root: &std::path::Path,
    site: &Site,
    graph: &Graph,
    cache: &mut cache::PageCache,
    diagnostics: &mut Diagnostics,
) -> Vec<OutputFile> {
    let Some(theme) = cache.theme(root, site, diagnostics) else { return Vec::new() };
    let session = cache::Session::new(cache);
    let collected = sink::Collected::default();
    let pass = Pass { theme: &theme, cache: Some(&session), search_index: SearchIndex::Deferred };
    render_with(root, site, graph, &pass, diagnostics, &collected);
    let fresh = session.finish();
    cache.keep(fresh);
    collected.into_sorted()
}

/// Renders again only the pages that show the body of `items` (an item's page, and an
/// alert's print and e-mail versions) and, when `home` is set, the home page, through
/// `cache`, whose other pages stay as they are. For `docket serve` when an edit changed
/// nothing but the prose of some notes (see `serve::workspace`): every other page reads
/// only what the edit left alone.
pub fn render_bodies(
    root: &std::path::Path,
    site: &Site,
    graph: &Graph,
    cache: &mut cache::PageCache,
    items: &[ItemId],
    home: bool,
    diagnostics: &mut Diagnostics,
) -> Vec<OutputFile> {
    let Some(theme) = cache.theme(root, site, diagnostics) else { return Vec::new() };
    let urls = Urls::new(site.config.base_path(), site.config.origin(), site.config.relative_urls);
    let mut specs: Vec<PageSpec> = home.then_some(PageSpec::Home).into_iter().collect();
    for &id in items {
        specs.push(PageSpec::Item(id));
        if site.item(id).kind == Kind::Alert {
            specs.push(PageSpec::AlertPrint(id));
            if urls.can_link_from_outside() {
                specs.push(PageSpec::AlertEmail(id));
            }
        }
    }
    let session = cache::Session::new(cache);
    let tallies = tallies::Tallies::new(site, graph);
    let renderer = Renderer::new(site, graph, &urls, &theme, &tallies, Some(&session));
    let mut files = Vec::with_capacity(specs.len());
    for spec in &specs {
        let (file, found) = renderer.page(spec);
        diagnostics.extend(found);
        files.extend(file);
    }
    cache.update(session.finish());
    files
}

fn render_with(
    root: &std::path::Path,
    site: &Site,
    graph: &Graph,
    pass: &Pass<'_>,
    diagnostics: &mut Diagnostics,
    sink: &dyn FileSink,
) -> Vec<String> {
    let Pass { theme, cache, search_index } = *pass;
    let urls = Urls::new(site.config.base_path(), site.config.origin(), site.config.relative_urls);
    let tallies = tallies::Tallies::new(site, graph);
    let renderer = Renderer::new(site, graph, &urls, theme, &tallies, cache);
    let specs = page_specs(site, renderer.matrices(), urls.can_link_from_outside());
    warn_of_replaced_tag_list(site, diagnostics);
    let indexing = site.config.search && search_index == SearchIndex::Build && sink.keeps_files();
    // Pages are read for search as they are rendered, while their bytes are at hand.
    let rendered: Vec<(Option<String>, Option<search::Page>, Diagnostics)> = specs
        .par_iter()
        .map(|spec| {
            let (file, mut found) = guarded_page(&renderer, site, spec);
            let searched = file.as_ref().filter(|_| indexing).and_then(search::Page::read);
            (file.map(|file| hand_over(sink, file, &mut found)), searched, found)
        })
        .collect();
    let mut paths = Vec::with_capacity(rendered.len() + site.attachments.len() + theme.statics.len() + 4);
    let mut searched = Vec::new();
    for (path, page, found) in rendered {
        diagnostics.extend(found);
        paths.extend(path);
        searched.extend(page);
    }
    if indexing {
        let index = search::write_index(searched, &site.config.language, sink, diagnostics);
        paths.extend(index);
    }
    let mut others: Vec<OutputFile> = Vec::new();
    others.extend(
        theme.statics.iter().map(|(path, bytes)| OutputFile {
            path: format!("static/{path}"),
            contents: Contents::Bytes(bytes.clone()),
        }),
    );
    others.push(OutputFile {
        path: "static/syntax.css".into(),
        contents: Contents::Bytes(highlight::stylesheet().into_bytes()),
    });
    others.extend(
        site.attachments
            .iter()
            .map(|a| OutputFile { path: a.rel_path.clone(), contents: Contents::Copy(a.source.clone()) }),
    );
    // Browsers and crawlers ask for /favicon.ico whatever the page links to; a vault's
    // own favicon.ico (Obsidian's help vault has one) is that file, not a collision.
    let own_favicon = site.attachments.iter().any(|a| a.rel_path == "favicon.ico");
    others.extend(
        theme
            .statics
            .get("favicon.ico")
            .filter(|_| !own_favicon)
            .map(|bytes| OutputFile { path: "favicon.ico".into(), contents: Contents::Bytes(bytes.clone()) }),
    );
    others.extend(site_static_files(root));
    others.extend(exports::Export::new(site, graph).files());
    others.push(robots(&urls));
    if urls.has_origin() {
        others.push(sitemap(site, renderer.matrices(), &urls));
    }
    others.extend(feeds::feeds(site, &urls, &tallies.derived, diagnostics));
    for file in others {
        paths.push(hand_over(sink, file, diagnostics));
    }
    // Last, and only where nothing else was written: the resolve stage has reported every
    // redirect whose address is taken, so one is not reported twice.
    // Two redirects from one old address: the first keeps it (the other was reported).
    let mut written: std::collections::HashSet<String> = paths.iter().cloned().collect();
    for file in redirects::pages(site, &urls) {
        if written.insert(file.path.clone()) {
            paths.push(hand_over(sink, file, diagnostics));
        }
    }
    check_collisions(site, &mut paths, diagnostics);
    paths
}

/// The top-level variables each template receives over every page of `site`, by
/// template name: what the template reference documents (see [`reference`]).
pub fn template_variables(
    root: &std::path::Path,
    site: &Site,
    graph: &Graph,
) -> std::collections::BTreeMap<String, std::collections::BTreeSet<String>> {
    let mut diagnostics = Diagnostics::new();
    let mut variables = std::collections::BTreeMap::<_, std::collections::BTreeSet<String>>::new();
    let Some(theme) = theme::load(root, &site.config.theme, &mut diagnostics) else { return variables };
    let urls = Urls::new(site.config.base_path(), site.config.origin(), site.config.relative_urls);
    let tallies = tallies::Tallies::new(site, graph);
    let renderer = Renderer::new(site, graph, &urls, &theme, &tallies, None);
    for spec in page_specs(site, renderer.matrices(), urls.can_link_from_outside()) {
        let (_, template, context) = renderer.page_context(&spec, &mut diagnostics);
        if let serde_json::Value::Object(map) = context.into_json() {
            variables.entry(template.to_string()).or_default().extend(map.keys().cloned());
        }
    }
    variables
}

/// Gives `file` to the sink, reporting a failure; returns its path.
fn hand_over(sink: &dyn FileSink, file: OutputFile, diagnostics: &mut Diagnostics) -> String {
    let path = file.path.clone();
    if let Err(error) = sink.put(file) {
        diagnostics.push(Diagnostic::file_error("output", path.as_str(), error));
    }
    path
}

/// Renders one page, turning a panic anywhere under it (docket's code, tera, a
/// dependency) into an error naming the page, so one bad page fails the build with a
/// message instead of ending the process; the staging folder is then removed as for any
/// failed build. The panic message itself is still printed by the panic hook.
fn guarded_page(renderer: &Renderer<'_>, site: &Site, spec: &PageSpec) -> (Option<OutputFile>, Diagnostics) {
    let (path, page) = match spec {
        PageSpec::Item(id) | PageSpec::AlertPrint(id) | PageSpec::AlertEmail(id) => {
            let item = site.item(*id);
            (item.doc.display_path.clone(), format!("the page of `{}`", item.id))
        }
        other => (std::path::PathBuf::from("themes"), format!("the {other:?} page")),
    };
    caught(|| renderer.page(spec), path, &page)
}

/// Runs `render`, or reports its panic as an internal error at `path` about `page`.
fn caught(
    render: impl FnOnce() -> (Option<OutputFile>, Diagnostics),
    path: std::path::PathBuf,
    page: &str,
) -> (Option<OutputFile>, Diagnostics) {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(render)).unwrap_or_else(|panic| {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let mut found = Diagnostics::new();
        found.push(
            Diagnostic::file_error("internal", path, format!("docket crashed while rendering {page}: {why}"))
                .with_hint("this is a bug in docket; please report it with the file named here"),
        );
        (None, found)
    })
}

/// A page to render.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PageSpec {
    Home,
    Item(ItemId),
    /// Page `.1` (from 0) of the list of a kind.
    Index(Kind, usize),
    Deadlines,
    Conflicts,
    NotFound,
    /// The responsibility matrix of an instrument (see [`landing::matrix_groups`]).
    AgencyMatrix(Option<ItemId>),
    AlertPrint(ItemId),
    AlertEmail(ItemId),
    Search,
    /// The list of every tag.
    Tags,
    /// The page of the tag at this index of the site's tags.
    Tag(usize),
}

/// Says when a note has the address of the list of all tags while notes carry tags, so
/// that list is not published (see [`page_specs`]).
fn warn_of_replaced_tag_list(site: &Site, diagnostics: &mut Diagnostics) {
    if site.tags.list.is_empty() {
        return;
    }
    if let Some(note) = site.items.iter().find(|item| item.route == "tags/") {
        diagnostics.push(
            Diagnostic::file_error(
                "replaced-list",
                &note.doc.display_path,
                "this note has the address /tags/, so the list of all tags is not published; each tag's own page still is",
            )
            .warning()
            .with_hint("give the note another `permalink` or `slug` to publish the list of tags there"),
        );
    }
}

fn page_specs(site: &Site, matrices: &[Option<ItemId>], has_origin: bool) -> Vec<PageSpec> {
    // A list that would be empty gives its address to a note that has it: an imported
    // vault's own "Glossary" or "Tags" page (Obsidian's help vault has both) is that page.
    let taken = |route: &str| site.items.iter().any(|item| item.route == route);
    let mut specs = vec![PageSpec::Home, PageSpec::Deadlines, PageSpec::Conflicts, PageSpec::NotFound];
    // The list of all tags yields to a note at its address even when there are tags (a
    // warning says so, see `warn_of_replaced_tag_list`): each tag's page is still
    // reached from the notes that carry it.
    if !taken("tags/") {
        specs.push(PageSpec::Tags);
    }
    specs.extend((0..site.tags.list.len()).map(PageSpec::Tag));
    if site.config.search {
        specs.push(PageSpec::Search);
    }
    for kind in Kind::ALL.into_iter().filter(|&k| k != Kind::Deadline) {
        let empty = site.of_kind(kind).next().is_none();
        if empty && index_of(kind).is_some_and(|(route, _)| taken(route)) {
            continue;
        }
        specs.extend((0..indexes::page_count(site, kind)).map(|n| PageSpec::Index(kind, n)));
    }
    specs.extend((0..site.items.len()).map(|n| PageSpec::Item(ItemId(n as u32))));
    specs.extend(matrices.iter().copied().map(PageSpec::AgencyMatrix));
    specs.extend(site.of_kind(Kind::Alert).map(|(id, _)| PageSpec::AlertPrint(id)));
    if has_origin {
        specs.extend(site.of_kind(Kind::Alert).map(|(id, _)| PageSpec::AlertEmail(id)));
    }
    specs
}

struct Renderer<'a> {
    site: &'a Site,
    graph: &'a Graph,
    urls: &'a Urls,
    /// The templates, and their sources for locating errors.
    theme: &'a theme::Theme,
    contexts: Contexts<'a>,
    tallies: &'a tallies::Tallies,
    /// The page cache of `docket serve`; `None` for `docket build`.
    cache: Option<&'a cache::Session<'a>>,
    /// The instruments with a responsibility matrix ([`landing::matrix_groups`]), worked
    /// out once per render, when first asked for.
    matrices: std::sync::OnceLock<Vec<Option<ItemId>>>,
    /// Every item's children by route, found on first use.
    folders: std::sync::OnceLock<folders::Folders>,
}

/// Gives entries that share a label (each guide of a site opening with "Introduction")
/// the top folder of their route (`routes`, one per entry) as their meta line, so a
/// reader can tell them apart. (The route, not the link: a link carries the site's base
/// path or `../` steps.)
fn name_the_folders_of_repeated_titles(entries: &mut [Entry], routes: &[&str]) {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for entry in entries.iter() {
        *counts.entry(entry.link.label.clone()).or_default() += 1;
    }
    for (entry, route) in entries.iter_mut().zip(routes) {
        if counts[&entry.link.label] > 1 && entry.meta.is_empty() {
            entry.meta = route.split('/').next().unwrap_or_default().replace('-', " ");
        }
    }
}

/// How many top-level notes the home page lists before linking to all of them.
const HOME_NOTES: usize = 25;

impl<'a> Renderer<'a> {
    fn new(
        site: &'a Site,
        graph: &'a Graph,
        urls: &'a Urls,
        theme: &'a theme::Theme,
        tallies: &'a tallies::Tallies,
        cache: Option<&'a cache::Session<'a>>,
    ) -> Renderer<'a> {
        let contexts =
            Contexts { site, graph, urls, derived: &tallies.derived, extra_css: theme.extra_css, nav: &tallies.nav };
        Renderer {
            site,
            graph,
            urls,
            theme,
            contexts,
            tallies,
            cache,
            matrices: std::sync::OnceLock::new(),
            folders: std::sync::OnceLock::new(),
        }
    }

    /// The route, template and context of a page.
    fn page_context(&self, spec: &PageSpec, diagnostics: &mut Diagnostics) -> (String, &'a str, Context) {
        match *spec {
            PageSpec::Item(id) => {
                let (route, template, context) = self.item_context(id, diagnostics);
                (route, self.chosen_template(id, template, diagnostics), context)
            }
            PageSpec::Home => self.home_context(diagnostics),
            PageSpec::Index(kind, number) => self.index_context(kind, number),
            PageSpec::Deadlines => self.deadlines_context(),
            PageSpec::Conflicts => self.conflicts_context(),
            PageSpec::NotFound => self.not_found_context(),
            PageSpec::AgencyMatrix(group) => self.agency_matrix_context(group),
            PageSpec::AlertPrint(id) => self.alert_print_context(id, diagnostics),
            PageSpec::AlertEmail(id) => self.alert_email_context(id, diagnostics),
            PageSpec::Search => self.search_context(),
            PageSpec::Tags => self.tags_context(),
            PageSpec::Tag(n) => self.tag_context(n),
        }
    }

    /// The template an item's page uses: its own `template` when the theme has one by
    /// that name, else its kind's; an unknown name is an error at the key.
    fn chosen_template(&self, id: ItemId, default: &'a str, diagnostics: &mut Diagnostics) -> &'a str {
        let doc = &self.site.item(id).doc;
        let Some(wanted) = doc.front.template.as_deref() else { return default };
        if let Some((name, _)) = self.theme.sources.get_key_value(wanted) {
            return name;
        }
        let mut diagnostic =
            doc.key_diagnostic("template", "template", 0, format!("the theme has no template `{wanted}`"));
        let names = self.theme.sources.keys().map(String::as_str).filter(|n| !n.starts_with("partials/"));
        diagnostic = match crate::text::closest(wanted, names) {
            Some(best) => {
                diagnostic.with_hint(format!("did you mean `{best}`? Templates live in themes/NAME/templates/"))
            }
            None => diagnostic.with_hint("add the template to themes/NAME/templates/, or remove `template`"),
        };
        diagnostics.push(diagnostic);
        default
    }

    /// The instruments with a responsibility matrix, the one at `/agencies/matrix/` first.
    fn matrices(&self) -> &[Option<ItemId>] {
        self.matrices.get_or_init(|| landing::matrix_groups(self.site, self.graph))
    }
}

/// The conflicts about one provision (or one other item), for the conflicts page.
#[derive(Serialize)]
struct ConflictGroup {
    #[serde(skip)]
    id: ItemId,
    /// Anchor of the group on the page.
    anchor: String,
    /// The provision.
    link: Link,
    /// How many of its conflicts no editor has reviewed.
    open: usize,
    /// Its conflicts.
    conflicts: Vec<views::ConflictView>,
}

/// Links to the deadline exports.
#[derive(Serialize)]
struct Downloads {
    /// Link to `deadlines.ics`.
    ics: String,
    /// Link to `deadlines.csv`.
    csv: String,
    /// Link to `deadlines.json`.
    json: String,
    /// One calendar per audience, by audience title.
    audiences: Vec<Link>,
}

/// An entry of an index page.
#[derive(Serialize)]
struct Entry {
    /// The item, labelled in full.
    link: Link,
    /// Its summary.
    summary: String,
    /// Nesting below the top level (a provision `2(c)` is 1), for indentation.
    depth: usize,
    /// A line about it (a source's publisher and date), empty when there is none.
    meta: String,
}

impl Renderer<'_> {
    fn page(&self, spec: &PageSpec) -> (Option<OutputFile>, Diagnostics) {
        let mut diagnostics = Diagnostics::new();
        let (route, template, context) = self.page_context(spec, &mut diagnostics);
        let path = output_path(&route);
        let (context, key) = match self.cache {
            Some(cache) => cache.page_key(template, context),
            None => (context, 0),
        };
        if let Some(bytes) = self.cache.and_then(|cache| cache.reuse_page(&path, key)) {
            return (Some(OutputFile { path, contents: Contents::Shared(bytes) }), diagnostics);
        }
        template_limits::start_page();
        let file = match self.theme.tera.render(template, &context) {
            Ok(html) if html.len() > template_limits::PAGE_SIZE_LIMIT => {
                diagnostics.push(Diagnostic::file_error(
                    "template",
                    format!("templates/{template}"),
                    format!(
                        "rendering /{route} made {} bytes, more than the {} a page may have",
                        html.len(),
                        template_limits::PAGE_SIZE_LIMIT
                    ),
                ));
                None
            }
            Ok(html) => {
                let html = if template == alerts::EMAIL_TEMPLATE { inline_css::email(&html) } else { html };
                let contents = match self.cache {
                    Some(cache) => Contents::Shared(cache.keep_page(&path, key, html)),
                    None => Contents::Bytes(html.into_bytes()),
                };
                Some(OutputFile { path, contents })
            }
            Err(error) => {
                diagnostics.push(self.theme.render_error(template, &format!("/{route}"), &error));
                None
            }
        };
        (file, diagnostics)
    }

    fn base_context(&self, route: &str, page: &PageView) -> Context {
        let mut context = Context::new();
        context.insert("site", &self.contexts.site_view(route));
        context.insert("page", page);
        context
    }

    fn item_context(&self, id: ItemId, diagnostics: &mut Diagnostics) -> (String, &'static str, Context) {
        let item = self.site.item(id);
        let page = self.contexts.item_page(id);
        let mut context = self.base_context(&item.route, &page);
        // A dated alert's tables speak as of its own date (see the deadline embed), so its
        // footer's "Status as of" names that date too, not the build's.
        if let crate::model::Details::Alert(crate::model::Alert { date: Some(date), .. }) = &item.details {
            let mut site = self.contexts.site_view(&item.route);
            site.as_of = crate::text::human_date(*date);
            site.as_of_iso = date.format("%Y-%m-%d").to_string();
            context.insert("site", &site);
        }
        let mut view = self.contexts.item(id);
        let content = self.body_html(Some(id), &item.doc, &self.graph.references[id.index()], &item.route, diagnostics);
        let parts = pages::merge_generated(&mut view, &item.doc.outline.headings, &content);
        context.insert("item", &view);
        context.insert("content", &content);
        context.insert("content_parts", &parts);
        let children = self.folders.get_or_init(|| folders::Folders::new(self.site)).children(id);
        if !children.is_empty() {
            let views = self.contexts.views(&item.route);
            let links: Vec<Link> =
                children.iter().map(|&child| folders::child_link(self.site, &views, child)).collect();
            context.insert("children", &links);
        }
        let template = self.item_extras(id, &mut context);
        (item.route.clone(), template, context)
    }

    fn body_html(
        &self,
        item: Option<ItemId>,
        doc: &crate::load::Document,
        references: &[crate::resolve::Resolved],
        route: &str,
        diagnostics: &mut Diagnostics,
    ) -> String {
        let references = markdown::with_claim_anchors(self.graph, item, references);
        let key = self
            .cache
            .and_then(|cache| cache.body_key(self.site, self.graph, &self.tallies.derived, doc, &references, route));
        if let Some(html) = self.cache.zip(key).and_then(|(cache, key)| cache.reuse_body(route, key)) {
            return html;
        }
        let text = match doc.text() {
            Ok(text) => text,
            Err(changed) => {
                diagnostics.push(*changed);
                return String::new();
            }
        };
        let directives = |text: &str| self.directive(text, route);
        let body = markdown::Body {
            site: self.site,
            graph: self.graph,
            urls: self.urls,
            route,
            doc,
            text: &text,
            references: &references,
            directives: &directives,
            absolute: self.urls.is_absolute(),
            derived: &self.tallies.derived,
        };
        let rendered = markdown::render(&body);
        for (offset, message) in rendered.problems {
            diagnostics.push(
                Diagnostic::at("directive", &doc.display_path, &text, offset..offset + 3, message)
                    .with_hint("a docket block holds TOML, e.g. embed = \"deadlines\" and audience = \"id\""),
            );
        }
        if let Some((cache, key)) = self.cache.zip(key) {
            cache.keep_body(route, key, &rendered.html);
        }
        rendered.html
    }

    /// Renders a fenced `docket` block: `embed = "deadlines"` with optional `audience`,
    /// `agency` and `provision` filters.
    fn directive(&self, text: &str, route: &str) -> Result<String, String> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| format!("the docket block is not valid TOML: {}", e.message()))?;
        let embed =
            table.get("embed").and_then(|v| v.as_str()).ok_or("the docket block needs `embed = \"deadlines\"`")?;
        if embed != "deadlines" {
            return Err(format!("unknown embed `{embed}`: the only embed is \"deadlines\""));
        }
        let filter = |key: &str| table.get(key).and_then(|v| v.as_str()).map(str::to_string);
        let (audience, agency, provision) = (filter("audience"), filter("agency"), filter("provision"));
        for (key, value, kind) in [("audience", &audience, Kind::Audience), ("agency", &agency, Kind::Agency)] {
            if let Some(value) = value
                && self.site.by_id.get(value).is_none_or(|&id| self.site.item(id).kind != kind)
            {
                return Err(format!("`{key} = \"{value}\"` does not name a {}", kind.name()));
            }
        }
        // Filter on the graph first and build views only for the rows shown: an alert
        // embeds a handful of the site's deadlines, and building every row for every
        // alert made this quadratic.
        let id_of = |name: Option<String>| name.and_then(|n| self.site.by_id.get(&n).copied());
        let (audience, agency) = (id_of(audience), id_of(agency));
        let mut views = self.contexts.views(route);
        // A dated alert speaks as of its own date, on its web, print and e-mail versions.
        let alert_date =
            self.site.of_kind(Kind::Alert).find(|(_, alert)| route.starts_with(alert.route.as_str())).and_then(
                |(_, alert)| match &alert.details {
                    crate::model::Details::Alert(a) => a.date,
                    _ => None,
                },
            );
        views.as_of = alert_date.unwrap_or(views.as_of);
        let rows: Vec<DeadlineView> = self
            .graph
            .deadline_order
            .iter()
            .filter(|&&id| audience.is_none_or(|a| self.graph.audiences[id.index()].iter().any(|(x, _)| *x == a)))
            .filter(|&&id| agency.is_none_or(|a| self.graph.agencies[id.index()].contains(&a)))
            .filter(|&&id| {
                provision.as_ref().is_none_or(|p| {
                    self.graph.deadline_provision[id.index()]
                        .is_some_and(|l| markdown::item_label(self.site.item(l)).ends_with(p.as_str()))
                })
            })
            .map(|&id| views.deadline(id))
            .collect();
        let mut context = Context::new();
        context.insert("rows", &rows);
        // A body may hold several tables, and the page template its own: rows of an
        // embedded table carry no id, so ids stay unique on the page.
        context.insert("embedded", &true);
        context.insert("caption", &table.get("caption").and_then(|v| v.as_str()).unwrap_or("Deadlines"));
        // The e-mail version renders the alert's body with every URL absolute at the web
        // page's route (the print version at its own `print/` route).
        let for_email = self.urls.is_absolute() && !route.ends_with(&alerts::print_route(""));
        let template = if for_email { "partials/deadline_list.html" } else { "partials/deadline_table.html" };
        self.theme.tera.render(template, &context).map_err(|e| theme::error_chain(&e))
    }

    fn home_context(&self, diagnostics: &mut Diagnostics) -> (String, &'static str, Context) {
        let page = PageView {
            title: self.site.config.title.clone(),
            canonical: self.urls.canonical(""),
            description: self.site.config.description.clone(),
            kind: "home".into(),
            updated: self.tallies.latest_updated.map(crate::text::human_date).unwrap_or_default(),
            ..PageView::default()
        };
        let mut context = self.base_context("", &page);
        let intro = self
            .site
            .home
            .as_ref()
            .map(|doc| self.body_html(None, doc, &self.graph.home_references, "", diagnostics))
            .unwrap_or_default();
        let views = self.contexts.views("");
        context.insert("content", &intro);
        context.insert("audiences", &self.entries(Kind::Audience, ""));
        context.insert("instruments", &self.entries(Kind::Instrument, ""));
        context.insert("alerts", &self.entries(Kind::Alert, ""));
        let upcoming: Vec<DeadlineView> = self.graph.deadline_order.iter().map(|&id| views.deadline(id)).collect();
        context.insert("deadlines", &upcoming);
        context.insert("timeline", &self.timeline("home-timeline"));
        context.insert("deadlines_href", &self.urls.href("", "deadlines/"));
        context.insert("conflict_count", &self.graph.claims.conflicts.len());
        context.insert("conflicts_href", &self.urls.href("", "conflicts/"));
        self.insert_home_notes(&mut context);
        ("".to_string(), "home.html", context)
    }

    /// The top of the note tree, for the home page of a knowledge base that is mostly
    /// notes (an imported vault or statute), whose home page had nothing else to show:
    /// `notes` (at most [`HOME_NOTES`] top-level entries), `notes_total` and `notes_href`.
    fn insert_home_notes(&self, context: &mut Context) {
        let (notes, total) = if folders::mostly_notes(self.site) {
            let views = self.contexts.views("");
            let tree = folders::note_tree(self.site);
            let total = tree.len();
            let top: Vec<ItemId> =
                tree.into_iter().filter(|(_, depth)| *depth == 0).take(HOME_NOTES).map(|(id, _)| id).collect();
            let mut entries: Vec<Entry> = top.iter().map(|&id| self.entry(&views, id)).collect();
            let routes: Vec<&str> = top.iter().map(|&id| self.site.item(id).route.as_str()).collect();
            name_the_folders_of_repeated_titles(&mut entries, &routes);
            (entries, total)
        } else {
            (Vec::new(), 0)
        };
        context.insert("notes", &notes);
        context.insert("notes_total", &total);
        context.insert("notes_href", &self.urls.href("", "notes/"));
    }

    fn entries(&self, kind: Kind, route: &str) -> Vec<Entry> {
        let views = self.contexts.views(route);
        let ids: Vec<ItemId> = match kind {
            Kind::Provision => self.graph.provisions.clone(),
            Kind::Deadline => self.graph.deadline_order.clone(),
            Kind::Note if folders::mostly_notes(self.site) => {
                return folders::note_tree(self.site)
                    .into_iter()
                    .map(|(id, depth)| Entry { depth, ..self.entry(&views, id) })
                    .collect();
            }
            _ => {
                let mut ids: Vec<ItemId> = self.site.of_kind(kind).map(|(id, _)| id).collect();
                ids.sort_by_cached_key(|id| {
                    let item = self.site.item(*id);
                    (item.order.unwrap_or(i64::MAX), item.title.to_lowercase())
                });
                ids
            }
        };
        ids.into_iter().map(|id| self.entry(&views, id)).collect()
    }

    fn entry(&self, views: &views::Views<'_>, id: ItemId) -> Entry {
        let item = self.site.item(id);
        let depth = item.provision().map_or(0, |p| p.number.depth() - 1);
        let meta = self.tallies.source_meta(item, id);
        let mut link = views.link(id);
        link.label = markdown::item_label_long(item);
        Entry { link, summary: self.tallies.derived.summary(self.site, id), depth, meta }
    }

    fn index_context(&self, kind: Kind, number: usize) -> (String, &'static str, Context) {
        let (first, title) = index_of(kind).expect("every kind has an index");
        let route = indexes::page_route(first, number);
        let page = self.simple_page(&route, title, "index");
        let mut context = self.base_context(&route, &page);
        let mut entries = self.entries(kind, &route);
        let pages = indexes::page_count(self.site, kind);
        if pages > 1 {
            let per_page = self.site.config.paginate_by;
            entries = entries.into_iter().skip(number * per_page).take(per_page).collect();
            context.insert("paginator", &indexes::paginator(self.urls, first, number, pages));
        }
        context.insert("entries", &entries);
        context.insert("index_kind", kind.name());
        let template = self.index_extras(kind, &route, &mut context);
        (route, template, context)
    }

    fn simple_page(&self, route: &str, title: &str, kind: &str) -> PageView {
        let views = self.contexts.views(route);
        PageView {
            title: title.to_string(),
            route: route.to_string(),
            canonical: self.urls.canonical(route),
            description: format!("{title} — {}", self.site.config.title),
            kind: kind.to_string(),
            breadcrumbs: vec![views.route_link("", "Home")],
            updated: self.tallies.latest_updated.map(crate::text::human_date).unwrap_or_default(),
            ..PageView::default()
        }
    }

    fn deadlines_context(&self) -> (String, &'static str, Context) {
        let route = "deadlines/";
        let page = self.simple_page(route, "Deadlines", "deadlines");
        let mut context = self.base_context(route, &page);
        let views = self.contexts.views(route);
        let rows: Vec<DeadlineView> = self.graph.deadline_order.iter().map(|&id| views.deadline(id)).collect();
        context.insert("rows", &rows);
        context.insert("audience_options", &self.filter_options(Kind::Audience));
        context.insert("agency_options", &self.filter_options(Kind::Agency));
        context.insert("instrument_options", &self.instrument_options());
        context.insert("timeline", &self.timeline("deadline-timeline"));
        context.insert("downloads", &self.downloads(route));
        (route.to_string(), "deadlines.html", context)
    }

    /// The inline SVG timeline of every deadline.
    fn timeline(&self, id: &str) -> String {
        let views = self.contexts.views("");
        let entries = timeline::entries(self.site, self.graph, &|date| views.told_status(date).label);
        timeline::svg(&timeline::Timeline { entries: &entries, as_of: self.site.as_of, id })
    }

    /// Items of a kind that deadlines name, as (id, label) filter options sorted by label.
    fn filter_options(&self, kind: Kind) -> Vec<(String, String)> {
        let named = |id: &ItemId| match kind {
            Kind::Audience => self.graph.audiences[id.index()].iter().map(|(a, _)| *a).collect::<Vec<_>>(),
            _ => self.graph.agencies[id.index()].clone(),
        };
        let mut ids: Vec<ItemId> = self.graph.deadline_order.iter().flat_map(named).collect();
        ids.sort();
        ids.dedup();
        let mut options: Vec<(String, String)> = ids
            .into_iter()
            .map(|id| (self.site.item(id).id.clone(), markdown::item_label(self.site.item(id))))
            .collect();
        options.sort_by_cached_key(|a| a.1.to_lowercase());
        options
    }

    /// The instruments deadlines belong to, as (id, short form) filter options in the
    /// order of their ids; the table offers the filter only when there are several.
    fn instrument_options(&self) -> Vec<(String, String)> {
        let mut ids: Vec<ItemId> =
            self.graph.deadline_order.iter().filter_map(|id| self.graph.instrument_of[id.index()]).collect();
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .map(|id| (self.site.item(id).id.clone(), crate::model::instrument_short(self.site.item(id))))
            .collect()
    }

    /// Links to the exports, for the deadline page.
    fn downloads(&self, route: &str) -> Downloads {
        let views = self.contexts.views(route);
        let mut audiences: Vec<Link> = self
            .site
            .of_kind(Kind::Audience)
            .map(|(id, audience)| views.route_link(&exports::audience_calendar_route(self.site, id), &audience.title))
            .collect();
        audiences.sort_by(|a, b| a.label.cmp(&b.label));
        Downloads {
            ics: self.urls.href(route, exports::ICS_ROUTE),
            csv: self.urls.href(route, exports::CSV_ROUTE),
            json: self.urls.href(route, exports::JSON_ROUTE),
            audiences,
        }
    }

    fn conflicts_context(&self) -> (String, &'static str, Context) {
        let route = "conflicts/";
        let page = self.simple_page(route, "Conflicts between sources", "conflicts");
        let mut context = self.base_context(route, &page);
        let views = self.contexts.views(route);
        // Grouped by the provision they concern (a deadline's conflicts under its
        // provision), in the instrument's order, so a reader finds a section's disputes
        // together.
        let mut keyed: Vec<(usize, ItemId, views::ConflictView)> = self
            .graph
            .claims
            .conflicts
            .iter()
            .map(|c| {
                let group = self.graph.deadline_provision[c.subject.index()].unwrap_or(c.subject);
                let rank = self.graph.sequence_position[group.index()]
                    .filter(|_| self.site.item(group).kind == Kind::Provision)
                    .unwrap_or(usize::MAX);
                (rank, group, views.conflict(c))
            })
            .collect();
        keyed.sort_by_key(|k| (k.0, k.1));
        let mut groups: Vec<ConflictGroup> = Vec::new();
        for (_, group, conflict) in keyed {
            if groups.last().is_none_or(|g| g.id != group) {
                let item = self.site.item(group);
                let mut link = views.link(group);
                link.label = markdown::item_label_long(item);
                groups.push(ConflictGroup {
                    id: group,
                    anchor: format!("about-{}", item.id),
                    link,
                    open: 0,
                    conflicts: Vec::new(),
                });
            }
            let last = groups.last_mut().expect("a group was just pushed");
            last.open += usize::from(conflict.reviewed.is_none());
            last.conflicts.push(conflict);
        }
        let total: usize = groups.iter().map(|g| g.conflicts.len()).sum();
        let open: usize = groups.iter().map(|g| g.open).sum();
        context.insert("groups", &groups);
        context.insert("total", &total);
        context.insert("open", &open);
        context.insert("reviewed", &(total - open));
        (route.to_string(), "conflicts.html", context)
    }

    /// The search page: the search form, and the indexes to browse without JavaScript.
    fn search_context(&self) -> (String, &'static str, Context) {
        let route = "search/";
        let page = self.simple_page(route, "Search", "search");
        let mut context = self.base_context(route, &page);
        let views = self.contexts.views(route);
        let indexes: Vec<Link> = [
            ("provisions/", "Provisions", "every section of each instrument, in order"),
            ("sources/", "Sources", "the commentary and official texts, with what each claims"),
            ("deadlines/", "Deadlines", "every deadline with its computed date"),
            ("audiences/", "Audiences", "who is affected, with their deadlines"),
            ("agencies/", "Agencies", "what each agency must do"),
            ("glossary/", "Glossary", "the terms used"),
            ("tags/", "Tags", "every tag, with the notes carrying it"),
        ]
        .iter()
        .filter(|(to, _, _)| *to != "tags/" || !self.site.tags.is_empty())
        .map(|(to, label, what)| Link { title: (*what).to_string(), ..views.route_link(to, label) })
        .collect();
        context.insert("indexes", &indexes);
        (route.to_string(), "search.html", context)
    }

    fn not_found_context(&self) -> (String, &'static str, Context) {
        let mut page = self.simple_page("404.html", "Page not found", "not-found");
        page.canonical = String::new();
        let context = self.base_context("404.html", &page);
        ("404.html".to_string(), "404.html", context)
    }
}

/// The file a route is written to: folders get `index.html`.
pub fn output_path(route: &str) -> String {
    if route.is_empty() || route.ends_with('/') { format!("{route}index.html") } else { route.to_string() }
}

fn site_static_files(root: &std::path::Path) -> Vec<OutputFile> {
    let dir = root.join("static");
    if !dir.is_dir() {
        return Vec::new();
    }
    walkdir::WalkDir::new(&dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && !crate::load::is_ignored(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let relative = e.path().strip_prefix(&dir).ok()?.to_string_lossy().replace('\\', "/");
            Some(OutputFile { path: relative, contents: Contents::Copy(e.path().to_path_buf()) })
        })
        .collect()
}

fn robots(urls: &Urls) -> OutputFile {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if urls.has_origin() {
        text.push_str(&format!("Sitemap: {}\n", urls.absolute("sitemap.xml")));
    }
    OutputFile { path: "robots.txt".into(), contents: Contents::Bytes(text.into_bytes()) }
}

fn sitemap(site: &Site, matrices: &[Option<ItemId>], urls: &Urls) -> OutputFile {
    let mut routes: Vec<(String, Option<chrono::NaiveDate>)> = vec![(String::new(), None)];
    routes.extend(crate::resolve::site_links::INDEX_PAGES.iter().map(|r| (r.to_string(), None)));
    routes.extend(site.items.iter().map(|item| (item.route.clone(), item.updated)));
    routes.extend(site.tags.list.iter().map(|tag| (tag.route.clone(), None)));
    routes.extend(indexes::later_pages(site).into_iter().map(|route| (route, None)));
    routes.extend(matrices.iter().map(|&group| (landing::matrix_route(site, matrices, group), None)));
    routes.sort();
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (route, updated) in routes {
        xml.push_str("  <url><loc>");
        xml.push_str(&crate::text::escape_html(&urls.absolute(&route)));
        xml.push_str("</loc>");
        if let Some(date) = updated {
            xml.push_str(&format!("<lastmod>{}</lastmod>", date.format("%Y-%m-%d")));
        }
        xml.push_str("</url>\n");
    }
    xml.push_str("</urlset>\n");
    OutputFile { path: "sitemap.xml".into(), contents: Contents::Bytes(xml.into_bytes()) }
}

/// Sorts the paths and reports two files written to the same path.
/// The diagnostic names the note or attachment whose path collides (the generated page or
/// static file it collides with has no file of its own to name).
fn check_collisions(site: &Site, paths: &mut Vec<String>, diagnostics: &mut Diagnostics) {
    paths.sort();
    for pair in paths.windows(2) {
        if pair[0] == pair[1] {
            let path = &pair[0];
            let note = site.items.iter().find(|item| format!("{}index.html", item.route) == *path);
            let culprit = match note {
                Some(item) => item.doc.display_path.clone(),
                None => site
                    .attachments
                    .iter()
                    .find(|a| a.rel_path == *path)
                    .map(|a| std::path::Path::new(&site.config.content).join(&a.rel_path))
                    .unwrap_or_else(|| std::path::PathBuf::from(&site.config.content)),
            };
            diagnostics.push(
                Diagnostic::file_error("duplicate-route", culprit, format!("two outputs would be written to {path}"))
                    .with_hint("a note's path collides with a generated page or a static file; rename the note or give it a `slug`"),
            );
        }
    }
    paths.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 21: a panic while rendering a page (in docket, tera or a dependency) is an
    /// error naming the page and its file, not the end of the process.
    #[test]
    fn a_panic_while_rendering_is_an_error_naming_the_page() {
        let (file, found) =
            caught(|| panic!("index out of range"), std::path::PathBuf::from("content/notes/a.md"), "the page of `a`");
        assert!(file.is_none() && found.has_errors());
        let error = found.iter().next().expect("one error");
        assert_eq!(error.path, std::path::Path::new("content/notes/a.md"));
        assert!(error.message.contains("the page of `a`: index out of range"), "{}", error.message);
        let (file, found) = caught(|| (None, Diagnostics::new()), std::path::PathBuf::from("x"), "x");
        assert!(file.is_none() && found.is_empty(), "a render that does not panic is returned as it is");
    }
}
