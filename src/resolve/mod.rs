//! Stage 3, resolve: the site model → the reference [`Graph`].
//!
//! Every reference written in a body, every id named in front matter (a deadline's
//! provision, acting agencies, audiences, a claim's subject), every deadline rule and
//! every claim is resolved or reported here, once. The graph holds the forward edges
//! (per item, in document order, keyed by byte offset for the renderer), the reverse
//! edges as backlinks with the sentence each reference sits in, the provision tree, the
//! computed deadlines, and the claims and conflicts. Rendering only reads it.
//!
//! Lookups are hash probes, so the stage is linear in the number of references; bodies
//! are resolved in parallel.

pub mod claims;
pub mod deadlines;
pub mod embeds;
pub mod import_report;
pub mod lookup;
pub mod redirects;
pub mod references;
/// The rule engine moved to the ground floor ([`crate::rules`]); this path stays for callers.
pub use crate::rules;
pub mod site_links;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::Syntax;
use crate::model::{Details, Item, ItemId, Kind, Relevance, Site};
pub use claims::{Claim, Claims, Conflict};
pub use deadlines::{DeadlineDate, Status};
use lookup::{Found, Lookup};
pub use references::{Resolved, Target};

/// How a backlink's source relates to its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Relation {
    /// A deadline belonging to the provision.
    Deadline,
    /// A source claims something about the target.
    Claim,
    /// A note cites the target source.
    CitedBy,
    /// A note links to the target.
    DiscussedIn,
    /// An item names the target audience.
    Affects,
    /// An agency acts under the item.
    Responsibility,
    /// An agency is consulted on the item.
    Consulted,
    /// An agency acts through the target agency.
    ActsThrough,
}

impl Relation {
    /// Heading of the backlink group.
    pub fn label(self) -> &'static str {
        match self {
            Relation::Deadline => "Deadlines",
            Relation::Claim => "What sources claim",
            Relation::CitedBy => "Cited by",
            Relation::DiscussedIn => "Discussed in",
            Relation::Affects => "Affects this audience",
            Relation::Responsibility => "Acts under",
            Relation::Consulted => "Consulted on",
            Relation::ActsThrough => "Acting through it",
        }
    }
}

/// A reverse edge: `from` points at the item holding this backlink.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backlink {
    /// The item that points here.
    pub from: ItemId,
    /// How.
    pub relation: Relation,
    /// The sentence or text around the reference.
    pub context: String,
    /// The heading the reference sits under in `from`.
    pub section: Option<String>,
}

/// Everything resolved, indexed like `site.items`.
#[derive(Clone, Debug, Default)]
pub struct Graph {
    /// Body references of each item, in document order.
    pub references: Vec<Vec<Resolved>>,
    /// Body references of the home page introduction.
    pub home_references: Vec<Resolved>,
    /// Backlinks of each item, grouped by relation.
    pub backlinks: Vec<Vec<Backlink>>,
    /// Sources each item cites, in order of first citation.
    pub citations: Vec<Vec<ItemId>>,
    /// The instrument each item's bare provision numbers refer to.
    pub instrument_of: Vec<Option<ItemId>>,
    /// Enclosing provision.
    pub parent: Vec<Option<ItemId>>,
    /// Nested provisions, in the instrument's order.
    pub children: Vec<Vec<ItemId>>,
    /// Every provision, grouped by instrument, in the instrument's order.
    pub provisions: Vec<ItemId>,
    /// Audiences each item names, most relevant first.
    pub audiences: Vec<Vec<(ItemId, Relevance)>>,
    /// Checklist actions addressed to each audience: the item carrying the action and
    /// the action's index in its `actions`, in item order.
    pub actions: Vec<Vec<(ItemId, usize)>>,
    /// Acting agencies of provisions and deadlines.
    pub agencies: Vec<Vec<ItemId>>,
    /// Agencies consulted.
    pub consulting: Vec<Vec<ItemId>>,
    /// The provision of each deadline.
    pub deadline_provision: Vec<Option<ItemId>>,
    /// The agency each agency acts through.
    pub agency_parent: Vec<Option<ItemId>>,
    /// Computed dates of deadlines.
    pub deadlines: Vec<Option<DeadlineDate>>,
    /// Deadlines sorted by due date (undated last), then title.
    pub deadline_order: Vec<ItemId>,
    /// Position of each provision in `provisions` and of each deadline in
    /// `deadline_order` (`None` for other items), so pages find their neighbours and
    /// sort by instrument order without scanning those lists.
    pub sequence_position: Vec<Option<usize>>,
    /// Claims and conflicts.
    pub claims: Claims,
    /// Claims each source makes (indexes into `claims.all`).
    pub claims_by_source: Vec<Vec<usize>>,
    /// Conflicts each item takes part in, as subject or source (indexes into
    /// `claims.conflicts`).
    pub conflicts_by_item: Vec<Vec<usize>>,
    /// For each claim, whether it takes part in a conflict.
    pub claim_in_conflict: Vec<bool>,
}

impl Graph {
    /// Claims about an item (indexes into `claims.all`).
    pub fn claims_about(&self, item: ItemId) -> impl Iterator<Item = (usize, &Claim)> {
        self.claims.by_subject[item.index()].iter().map(|&n| (n, &self.claims.all[n]))
    }

    /// Claims a source makes (indexes into `claims.all`).
    pub fn claims_by(&self, source: ItemId) -> impl Iterator<Item = (usize, &Claim)> {
        self.claims_by_source[source.index()].iter().map(|&n| (n, &self.claims.all[n]))
    }

    /// Conflicts involving an item, as subject or as a source.
    pub fn conflicts_of(&self, item: ItemId) -> impl Iterator<Item = &Conflict> {
        self.conflicts_by_item[item.index()].iter().map(|&n| &self.claims.conflicts[n])
    }
}

/// Resolves the whole site.
pub fn resolve(site: &Site, diagnostics: &mut Diagnostics) -> Graph {
    let lookup = Lookup::new(site);
    let count = site.items.len();
    let mut graph = Graph { backlinks: vec![Vec::new(); count], ..Graph::default() };
    graph.instrument_of = site.items.iter().map(|item| item.instrument).collect();
    resolve_front_matter(site, &lookup, &mut graph, diagnostics);
    resolve_bodies(site, &lookup, &mut graph, diagnostics);
    redirects::check(site, &lookup, diagnostics);
    build_provision_tree(site, &mut graph);
    graph.deadlines =
        deadlines::compute_all(site, &lookup, &graph.instrument_of, &graph.deadline_provision, diagnostics);
    graph.deadline_order = deadline_order(site, &graph);
    graph.sequence_position = sequence_positions(count, &graph.provisions, &graph.deadline_order);
    graph.claims = claims::compare(site, &lookup, &graph.instrument_of, &graph.deadlines, diagnostics);
    index_claims(&mut graph);
    for claim in &graph.claims.all {
        let context = format!("{}: {}", claim.attribute, claim.value_text());
        graph.backlinks[claim.subject.index()].push(Backlink {
            from: claim.source,
            relation: Relation::Claim,
            context,
            section: None,
        });
    }
    for backlinks in &mut graph.backlinks {
        backlinks.sort_by_key(|b| (b.relation, b.from));
        backlinks.dedup();
    }
    graph
}

fn index_claims(graph: &mut Graph) {
    let count = graph.backlinks.len();
    graph.claims_by_source = vec![Vec::new(); count];
    graph.conflicts_by_item = vec![Vec::new(); count];
    for (n, claim) in graph.claims.all.iter().enumerate() {
        graph.claims_by_source[claim.source.index()].push(n);
    }
    graph.claim_in_conflict = vec![false; graph.claims.all.len()];
    for (n, conflict) in graph.claims.conflicts.iter().enumerate() {
        for &claim in conflict.positions.iter().flatten() {
            graph.claim_in_conflict[claim] = true;
        }
        let mut involved: Vec<ItemId> =
            conflict.positions.iter().flatten().map(|&c| graph.claims.all[c].source).collect();
        involved.push(conflict.subject);
        involved.sort();
        involved.dedup();
        for item in involved {
            graph.conflicts_by_item[item.index()].push(n);
        }
    }
}

fn resolve_bodies(site: &Site, lookup: &Lookup, graph: &mut Graph, diagnostics: &mut Diagnostics) {
    let results: Vec<(Vec<Resolved>, Diagnostics)> = site
        .items
        .par_iter()
        .enumerate()
        .map(|(n, item)| {
            let mut found = Diagnostics::new();
            let from =
                references::From { doc: &item.doc, item: Some(ItemId(n as u32)), instrument: graph.instrument_of[n] };
            (references::resolve_document(site, lookup, &from, &mut found), found)
        })
        .collect();
    if let Some(home) = &site.home {
        let from = references::From { doc: home, item: None, instrument: site.default_instrument };
        graph.home_references = references::resolve_document(site, lookup, &from, diagnostics);
    }
    graph.references = Vec::with_capacity(results.len());
    graph.citations = vec![Vec::new(); site.items.len()];
    for (n, (resolved, found)) in results.into_iter().enumerate() {
        diagnostics.extend(found);
        let item = &site.items[n];
        for (raw, reference) in item.doc.outline.references.iter().zip(&resolved) {
            let Target::Item { item: target, .. } = reference.target else { continue };
            if reference.syntax == Syntax::Citation && !graph.citations[n].contains(&target) {
                graph.citations[n].push(target);
            }
            if target.index() == n {
                continue;
            }
            let relation = if reference.syntax == Syntax::Citation { Relation::CitedBy } else { Relation::DiscussedIn };
            graph.backlinks[target.index()].push(Backlink {
                from: ItemId(n as u32),
                relation,
                context: raw.context.clone(),
                section: raw.section.clone(),
            });
        }
        graph.references.push(resolved);
    }
    embeds::check(site, &graph.references, diagnostics);
}

/// Resolves the ids named in front matter and records their reverse edges.
fn resolve_front_matter(site: &Site, lookup: &Lookup, graph: &mut Graph, diagnostics: &mut Diagnostics) {
    let count = site.items.len();
    graph.audiences = vec![Vec::new(); count];
    graph.actions = vec![Vec::new(); count];
    graph.agencies = vec![Vec::new(); count];
    graph.consulting = vec![Vec::new(); count];
    graph.deadline_provision = vec![None; count];
    graph.agency_parent = vec![None; count];
    for (n, item) in site.items.iter().enumerate() {
        let id = ItemId(n as u32);
        let mut named = Named { site, lookup, item, instrument: graph.instrument_of[n], diagnostics };
        for audience in &item.audiences {
            if let Some(target) = named.find("audiences", &audience.target, Kind::Audience) {
                graph.audiences[n].push((target, audience.relevance));
                let context = item.summary.clone().unwrap_or_default();
                graph.backlinks[target.index()].push(Backlink {
                    from: id,
                    relation: Relation::Affects,
                    context,
                    section: None,
                });
            }
        }
        graph.audiences[n].sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        for (index, action) in item.actions.iter().enumerate() {
            if let Some(target) = named.find("audience", &action.audience, Kind::Audience) {
                graph.actions[target.index()].push((id, index));
            }
        }
        let (agencies, consulting, provision, parent) = match &item.details {
            Details::Provision(p) => (&p.agencies[..], &p.consulting[..], None, None),
            Details::Deadline(d) => (&d.agencies[..], &d.consulting[..], d.provision.as_deref(), None),
            Details::Agency(a) => (&[][..], &[][..], None, a.parent.as_deref()),
            _ => (&[][..], &[][..], None, None),
        };
        let action =
            item.deadline().and_then(|d| d.action.clone()).or_else(|| item.summary.clone()).unwrap_or_default();
        for name in agencies {
            if let Some(target) = named.find("agencies", name, Kind::Agency) {
                graph.agencies[n].push(target);
                graph.backlinks[target.index()].push(Backlink {
                    from: id,
                    relation: Relation::Responsibility,
                    context: action.clone(),
                    section: None,
                });
            }
        }
        for name in consulting {
            if let Some(target) = named.find("consulting", name, Kind::Agency) {
                graph.consulting[n].push(target);
                graph.backlinks[target.index()].push(Backlink {
                    from: id,
                    relation: Relation::Consulted,
                    context: action.clone(),
                    section: None,
                });
            }
        }
        if let Some(name) = provision
            && let Some(target) = named.find("provision", name, Kind::Provision)
        {
            graph.deadline_provision[n] = Some(target);
            graph.instrument_of[n] = site.item(target).provision().map(|p| p.instrument).or(graph.instrument_of[n]);
            graph.backlinks[target.index()].push(Backlink {
                from: id,
                relation: Relation::Deadline,
                context: action.clone(),
                section: None,
            });
        }
        if let Some(details) = item.instrument_details() {
            // Lifecycle links name other instruments; a typo would silently drop a history.
            let lifecycle = details.revoked_by.iter().map(|by| ("by", by));
            let lifecycle = lifecycle
                .chain(details.amends.iter().map(|id| ("amends", id)))
                .chain(details.supersedes.iter().map(|id| ("supersedes", id)));
            for (key, name) in lifecycle {
                named.find(key, name, Kind::Instrument);
            }
        }
        if let Some(name) = parent
            && let Some(target) = named.find("parent", name, Kind::Agency)
        {
            graph.agency_parent[n] = Some(target);
            graph.backlinks[target.index()].push(Backlink {
                from: id,
                relation: Relation::ActsThrough,
                context: item.title.clone(),
                section: None,
            });
        }
    }
}

/// Looks up ids named in one item's front matter, reporting failures at the key.
struct Named<'a> {
    site: &'a Site,
    lookup: &'a Lookup,
    item: &'a Item,
    instrument: Option<ItemId>,
    diagnostics: &'a mut Diagnostics,
}

impl Named<'_> {
    fn find(&mut self, key: &str, name: &str, kind: Kind) -> Option<ItemId> {
        let problem = match self.lookup.find(name, self.instrument) {
            Found::One(target) if self.site.item(target).kind == kind => return Some(target),
            Found::One(target) => {
                format!("`{name}` is a {}, but `{key}` names {}s", self.site.item(target).kind.name(), kind.name())
            }
            Found::Ambiguous(_) => format!("`{name}` in `{key}` could mean several items"),
            Found::Missing(_) => format!("`{key}` names `{name}`, but there is no {} with that id", kind.name()),
        };
        let candidates: Vec<String> = self
            .site
            .of_kind(kind)
            .map(|(_, i)| match i.provision() {
                Some(p) if Some(p.instrument) == self.instrument => p.number.to_string(),
                _ => i.id.clone(),
            })
            .collect();
        let suggestions = crate::text::nearest(name, candidates.iter().map(String::as_str), 3);
        let range = crate::model::value_range(&self.item.doc, key, name).unwrap_or(0..0);
        let mut diagnostic: Diagnostic = self.item.doc.diagnostic("unresolved-reference", range, problem);
        diagnostic = diagnostic.with_hint(match suggestions.as_slice() {
            [] => format!("add a {} with this id, or fix the name", kind.name()),
            some => format!("did you mean {}?", some.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")),
        });
        self.diagnostics.push(match self.site.config.references.broken {
            crate::config::BrokenReferences::Error => diagnostic,
            crate::config::BrokenReferences::Warn => diagnostic.warning(),
        });
        None
    }
}

fn build_provision_tree(site: &Site, graph: &mut Graph) {
    let count = site.items.len();
    graph.parent = vec![None; count];
    graph.children = vec![Vec::new(); count];
    let mut by_number = std::collections::HashMap::new();
    let mut provisions: Vec<ItemId> = Vec::new();
    for (id, item) in site.of_kind(Kind::Provision) {
        if let Some(p) = item.provision() {
            by_number.insert((p.instrument, p.number.clone()), id);
            provisions.push(id);
        }
    }
    let sort_key = |id: &ItemId| {
        let p = site.item(*id).provision().expect("only provisions are collected");
        (site.item(p.instrument).route.clone(), p.number.clone())
    };
    provisions.sort_by_cached_key(sort_key);
    for &id in &provisions {
        let p = site.item(id).provision().expect("only provisions are collected");
        let mut ancestor = p.number.parent();
        while let Some(number) = ancestor {
            if let Some(&parent) = by_number.get(&(p.instrument, number.clone())) {
                graph.parent[id.index()] = Some(parent);
                graph.children[parent.index()].push(id);
                break;
            }
            ancestor = number.parent();
        }
    }
    graph.provisions = provisions;
}

fn sequence_positions(count: usize, provisions: &[ItemId], deadlines: &[ItemId]) -> Vec<Option<usize>> {
    let mut positions = vec![None; count];
    for list in [provisions, deadlines] {
        for (position, id) in list.iter().enumerate() {
            positions[id.index()] = Some(position);
        }
    }
    positions
}

fn deadline_order(site: &Site, graph: &Graph) -> Vec<ItemId> {
    let mut order: Vec<ItemId> = site.of_kind(Kind::Deadline).map(|(id, _)| id).collect();
    order.sort_by_cached_key(|id| {
        let due = graph.deadlines[id.index()].as_ref().and_then(|d| d.due);
        (due.is_none(), due, site.item(*id).title.clone())
    });
    order
}
