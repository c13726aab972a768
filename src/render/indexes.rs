//! What some index pages show beyond a plain list: the glossary (terms with their short
//! definitions, alphabetical, each with an anchor), the provision index (nested, in each
//! instrument's order) and the agency index (with a link to the responsibility matrix).

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::landing::MATRIX_ROUTE;
use super::markdown::item_label_long;
use super::views::{Link, Views};
use crate::model::{ItemId, Kind};
use crate::text::slugify;

/// A glossary entry.
#[derive(Serialize)]
struct TermEntry {
    anchor: String,
    link: Link,
    definition: String,
}

/// A provision and the provisions nested under it.
#[derive(Serialize)]
struct ProvisionNode {
    link: Link,
    summary: String,
    children: Vec<ProvisionNode>,
}

/// The provisions of one instrument.
#[derive(Serialize)]
struct InstrumentGroup {
    instrument: Link,
    provisions: Vec<ProvisionNode>,
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
            children: self.graph.children[id.index()].iter().map(|&child| self.provision_node(views, child)).collect(),
        }
    }
}
