//! What some index pages show beyond a plain list: the glossary (terms with their short
//! definitions, alphabetical, each with an anchor), the provision index (nested, in each
//! instrument's order) and the agency index (with a link to the responsibility matrix).

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::landing::MATRIX_ROUTE;
use super::markdown::item_label_long;
use super::pages::index_of;
use super::urls::Urls;
use super::views::{Link, StatusBadge, Views, status_badge};
use crate::model::{ItemId, Kind, Site};
use crate::text::slugify;

/// A glossary entry.
#[derive(Serialize)]
struct TermEntry {
    /// The term's anchor on the glossary page.
    anchor: String,
    /// The term's own page.
    link: Link,
    /// Its short definition (else its summary).
    definition: String,
}

/// A provision and the provisions nested under it.
#[derive(Serialize)]
struct ProvisionNode {
    /// The provision, labelled in full.
    link: Link,
    /// Its summary.
    summary: String,
    /// Its status as of the as-of date, when it states one.
    status: Option<StatusBadge>,
    /// The provisions nested under it, in the instrument's order.
    children: Vec<ProvisionNode>,
}

/// The provisions of one instrument.
#[derive(Serialize)]
struct InstrumentGroup {
    /// The instrument.
    instrument: Link,
    /// Its top-level provisions.
    provisions: Vec<ProvisionNode>,
}

/// The links between the pages of a paginated list, for `rel=prev/next` and the page
/// navigation.
#[derive(Serialize)]
pub(super) struct Paginator {
    /// This page's number, from 1.
    number: usize,
    /// How many pages the list has.
    total: usize,
    /// The previous page, absent on the first.
    previous: Option<String>,
    /// The next page, absent on the last.
    next: Option<String>,
    /// Every page, for numbered links.
    pages: Vec<PageLink>,
}

/// One page of a paginated list.
#[derive(Serialize)]
struct PageLink {
    /// The page's number, from 1.
    number: usize,
    /// Link to it.
    href: String,
    /// True for the page being rendered.
    current: bool,
}

/// Kinds whose index is a flat list: the glossary and the provision tree stay whole,
/// since a page break would cut a definition list or a nested section apart.
fn paginates(kind: Kind) -> bool {
    !matches!(kind, Kind::Term | Kind::Provision | Kind::Deadline)
}

/// How many pages the index of `kind` has under `paginate_by` (at least one).
pub(super) fn page_count(site: &Site, kind: Kind) -> usize {
    let per_page = site.config.paginate_by;
    if per_page == 0 || !paginates(kind) {
        return 1;
    }
    site.of_kind(kind).count().div_ceil(per_page).max(1)
}

/// The route of page `number` (from 0) of the list at `first`: `notes/`, `notes/page/2/`.
pub(super) fn page_route(first: &str, number: usize) -> String {
    if number == 0 { first.to_string() } else { format!("{first}page/{}/", number + 1) }
}

/// Routes of every list page after the first, for the sitemap.
pub(super) fn later_pages(site: &Site) -> Vec<String> {
    Kind::ALL
        .into_iter()
        .filter_map(|kind| index_of(kind).map(|(first, _)| (kind, first)))
        .flat_map(|(kind, first)| (1..page_count(site, kind)).map(move |n| page_route(first, n)))
        .collect()
}

/// The paginator of page `number` (from 0) of `total`.
pub(super) fn paginator(urls: &Urls, first: &str, number: usize, total: usize) -> Paginator {
    let route = page_route(first, number);
    let href = |n: usize| urls.href(&route, &page_route(first, n));
    Paginator {
        number: number + 1,
        total,
        previous: (number > 0).then(|| href(number - 1)),
        next: (number + 1 < total).then(|| href(number + 1)),
        pages: (0..total).map(|n| PageLink { number: n + 1, href: href(n), current: n == number }).collect(),
    }
}

impl Renderer<'_> {
    /// Adds what an index of `kind` shows beyond the entry list and picks the template.
    pub(super) fn index_extras(&self, kind: Kind, route: &str, context: &mut Context) -> &'static str {
        match kind {
            Kind::Term => {
                context.insert("terms", &self.glossary(route));
                "glossary.html"
            }
            Kind::Provision => {
                context.insert("groups", &self.provision_tree(route));
                "provisions.html"
            }
            Kind::Agency => {
                context.insert("matrix_href", &self.urls.href(route, MATRIX_ROUTE));
                "index.html"
            }
            _ => "index.html",
        }
    }

    fn glossary(&self, route: &str) -> Vec<TermEntry> {
        let views = self.contexts.views(route);
        let mut terms: Vec<TermEntry> = self
            .site
            .of_kind(Kind::Term)
            .map(|(id, item)| {
                let short = match &item.details {
                    crate::model::Details::Term(term) => term.short.clone(),
                    _ => None,
                };
                TermEntry {
                    anchor: slugify(&item.id),
                    link: views.link(id),
                    definition: short.unwrap_or_else(|| self.tallies.derived.summary(self.site, id)),
                }
            })
            .collect();
        terms.sort_by_cached_key(|t| (t.link.label.to_lowercase(), t.anchor.clone()));
        terms
    }

    fn provision_tree(&self, route: &str) -> Vec<InstrumentGroup> {
        let views = self.contexts.views(route);
        let mut groups: Vec<InstrumentGroup> = Vec::new();
        let mut current: Option<ItemId> = None;
        for &id in &self.graph.provisions {
            if self.graph.parent[id.index()].is_some() {
                continue;
            }
            let instrument = self.site.item(id).provision().map(|p| p.instrument);
            if instrument != current || groups.is_empty() {
                current = instrument;
                let instrument = instrument.map_or_else(|| views.route_link(route, "Provisions"), |i| views.link(i));
                groups.push(InstrumentGroup { instrument, provisions: Vec::new() });
            }
            let node = self.provision_node(&views, id);
            groups.last_mut().expect("a group was just pushed").provisions.push(node);
        }
        groups
    }

    fn provision_node(&self, views: &Views<'_>, id: ItemId) -> ProvisionNode {
        let item = self.site.item(id);
        let mut link = views.link(id);
        link.label = item_label_long(item);
        ProvisionNode {
            link,
            summary: self.tallies.derived.summary(self.site, id),
            status: status_badge(item, self.site.as_of),
            children: self.graph.children[id.index()].iter().map(|&child| self.provision_node(views, child)).collect(),
        }
    }
}
