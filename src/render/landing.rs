//! Landing pages: what an audience or an agency page shows beyond an item page, and the
//! agency × provision responsibility matrix.
//!
//! Everything here is read off the resolve graph: an audience page lists the provisions
//! that name the audience (most relevant first), the deadlines that name it, the
//! checklist actions addressed to it, the open questions of the items that affect it and
//! the sources that speak to it; an agency page lists what the agency acts on, by when,
//! with whom, and through whom. Each list is built from the backlinks of the one item
//! being rendered, so a page costs what it shows, not the size of the site.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::markdown::item_label_long;
use super::tallies::plural;
use super::views::{DeadlineView, Link, Views};
use crate::model::{ItemId, Kind, Relevance, Site};
use crate::resolve::{Graph, Relation};
use crate::text::human_date;

/// Route of the responsibility matrix.
pub(super) const MATRIX_ROUTE: &str = "agencies/matrix/";

/// An item that affects an audience, with how much.
#[derive(Serialize)]
struct Affecting {
    /// The item, labelled in full.
    link: Link,
    /// Its summary.
    summary: String,
    /// `high`, `medium` or `low`.
    relevance: &'static str,
    /// The relevance as a number, 0–100.
    score: u8,
}

/// A line of a checklist or of the open questions, with the item it came from.
#[derive(Serialize)]
struct Sourced {
    /// The line, as written in the note.
    text: String,
    /// The item it came from, if any.
    from: Option<Link>,
}

/// A source that speaks to an audience, and why it is listed.
#[derive(Serialize)]
struct Speaking {
    /// The source.
    link: Link,
    /// Its publisher and date, written out.
    meta: String,
    /// Why it is listed ("cited on this page", "links to this page", ...).
    reasons: Vec<String>,
}

/// Something an agency must do: a provision or a deadline it acts under.
#[derive(Serialize)]
struct Duty {
    /// The provision or deadline.
    link: Link,
    /// What must be done.
    what: String,
    /// The due dates that apply.
    due: Vec<DueView>,
    /// The other agencies that act with this one.
    with: Vec<Link>,
    /// The agencies consulted.
    consulting: Vec<Link>,
}

/// A due date attached to a duty.
#[derive(Serialize)]
struct DueView {
    /// The deadline.
    link: Link,
    /// Its date, written out.
    due: String,
    /// Its date, YYYY-MM-DD (empty when not yet known).
    due_iso: String,
    /// Its status against the as-of date, as a CSS-friendly word.
    status: &'static str,
    /// The status in words ("passed", "date not yet known", ...).
    status_label: &'static str,
}

/// A row of the responsibility matrix.
#[derive(Serialize)]
struct MatrixRow {
    /// The provision, labelled in full.
    provision: Link,
    /// One cell per agency column: `acts`, `consulted` or empty.
    cells: Vec<&'static str>,
}

/// Deadlines the opening "what to do, by when" block of an audience page names.
const NEXT_DEADLINES: usize = 3;
/// Checklist items that block names.
const NEXT_STEPS: usize = 3;

impl Renderer<'_> {
    /// Adds what an item's kind shows beyond the common item page and picks the template.
    pub(super) fn item_extras(&self, id: ItemId, context: &mut Context) -> &'static str {
        match self.site.item(id).kind {
            Kind::Audience => {
                self.audience_extras(id, context);
                "audience.html"
            }
            Kind::Agency => {
                self.agency_extras(id, context);
                "agency.html"
            }
            Kind::Alert => {
                self.alert_extras(id, context);
                "item.html"
            }
            _ => "item.html",
        }
    }

    fn audience_extras(&self, id: ItemId, context: &mut Context) {
        let item = self.site.item(id);
        let views = self.contexts.views(&item.route);
        let affecting = self.affecting(id);
        let (provisions, others): (Vec<_>, Vec<_>) =
            affecting.iter().partition(|(other, _)| self.site.item(*other).kind == Kind::Provision);
        // By date, as a reader scans for "what is next", not by relevance.
        let mut dated: Vec<ItemId> = others
            .iter()
            .filter(|(other, _)| self.site.item(*other).kind == Kind::Deadline)
            .map(|&(other, _)| other)
            .collect();
        dated.sort_by_key(|&d| (self.tallies.deadline_rank(d), d));
        let deadlines: Vec<DeadlineView> = dated.iter().map(|&d| views.deadline(d)).collect();
        let mut next: Vec<&DeadlineView> =
            deadlines.iter().filter(|d| matches!(d.status, "upcoming" | "due-soon")).take(NEXT_DEADLINES).collect();
        // When every date has passed, the latest ones still say "by when".
        let all_passed = next.is_empty();
        if all_passed {
            let dated: Vec<&DeadlineView> = deadlines.iter().filter(|d| !d.due_iso.is_empty()).collect();
            next = dated[dated.len().saturating_sub(NEXT_DEADLINES)..].to_vec();
        }
        context.insert("next_deadlines", &next);
        context.insert("all_passed", &all_passed);
        let alerts: Vec<Affecting> = others
            .iter()
            .filter(|(other, _)| matches!(self.site.item(*other).kind, Kind::Alert | Kind::Note | Kind::Instrument))
            .map(|&(other, relevance)| self.affecting_view(&views, other, relevance))
            .collect();
        context.insert(
            "provisions",
            &provisions.iter().map(|&(p, relevance)| self.affecting_view(&views, p, relevance)).collect::<Vec<_>>(),
        );
        context.insert("deadlines", &deadlines);
        context.insert("related", &alerts);
        context.insert("ics_href", &self.urls.href(&item.route, &format!("{}deadlines.ics", item.route)));
        let checklist = self.checklist(id, &views);
        context.insert("first_steps", &checklist.iter().take(NEXT_STEPS).collect::<Vec<_>>());
        context.insert("checklist", &checklist);
        context.insert("open_questions", &self.open_questions(id, &affecting, &views));
        context.insert("speaking", &self.speaking(id, &affecting, &views));
    }

    /// Items naming the audience, most relevant first, then in the instrument's order
    /// (provisions) or due-date order (deadlines), then by route.
    fn affecting(&self, audience: ItemId) -> Vec<(ItemId, Relevance)> {
        let mut found: Vec<(ItemId, Relevance)> = self.graph.backlinks[audience.index()]
            .iter()
            .filter(|b| b.relation == Relation::Affects)
            .filter_map(|b| {
                let relevance = self.graph.audiences[b.from.index()].iter().find(|(a, _)| *a == audience)?.1;
                Some((b.from, relevance))
            })
            .collect();
        found.sort_by_key(|&(id, relevance)| {
            (Reverse(relevance), self.tallies.provision_rank(id), self.tallies.deadline_rank(id), id)
        });
        found.dedup_by_key(|(id, _)| *id);
        found
    }

    fn affecting_view(&self, views: &Views<'_>, id: ItemId, relevance: Relevance) -> Affecting {
        let item = self.site.item(id);
        let mut link = views.link(id);
        link.label = item_label_long(item);
        Affecting {
            link,
            summary: self.tallies.derived.summary(self.site, id),
            relevance: relevance.label(),
            score: relevance.0,
        }
    }

    /// Every action addressed to the audience: its own first, then provisions in the
    /// instrument's order, deadlines by date, and the rest by route.
    fn checklist(&self, audience: ItemId, views: &Views<'_>) -> Vec<Sourced> {
        let mut actions = self.graph.actions[audience.index()].clone();
        actions.sort_by_key(|&(from, n)| {
            (from != audience, self.tallies.provision_rank(from), self.tallies.deadline_rank(from), from, n)
        });
        actions
            .into_iter()
            .map(|(from, n)| Sourced {
                text: self.site.item(from).actions[n].text.clone(),
                from: (from != audience).then(|| self.long_link(views, from)),
            })
            .collect()
    }

    fn open_questions(&self, audience: ItemId, affecting: &[(ItemId, Relevance)], views: &Views<'_>) -> Vec<Sourced> {
        let mut seen = BTreeSet::new();
        let own = self.site.item(audience).questions.iter().map(|q| (audience, q));
        let others = affecting.iter().flat_map(|&(id, _)| self.site.item(id).questions.iter().map(move |q| (id, q)));
        own.chain(others)
            .filter(|(_, q)| seen.insert(q.trim().to_lowercase()))
            .map(|(from, q)| Sourced { text: q.clone(), from: (from != audience).then(|| self.long_link(views, from)) })
            .collect()
    }

    /// Sources whose claims are about an item affecting the audience, that link to the
    /// audience, or that the audience note cites.
    fn speaking(&self, audience: ItemId, affecting: &[(ItemId, Relevance)], views: &Views<'_>) -> Vec<Speaking> {
        let mut reasons: BTreeMap<ItemId, Vec<String>> = BTreeMap::new();
        let is_source = |id: ItemId| self.site.item(id).kind == Kind::Source;
        for &cited in &self.graph.citations[audience.index()] {
            reasons.entry(cited).or_default().push("cited on this page".into());
        }
        for backlink in &self.graph.backlinks[audience.index()] {
            if is_source(backlink.from) && matches!(backlink.relation, Relation::CitedBy | Relation::DiscussedIn) {
                reasons.entry(backlink.from).or_default().push("links to this page".into());
            }
        }
        for &(about, _) in affecting {
            for backlink in &self.graph.backlinks[about.index()] {
                if backlink.relation == Relation::Claim && is_source(backlink.from) {
                    let reason = format!("claims about {}", item_label_long(self.site.item(about)));
                    reasons.entry(backlink.from).or_default().push(reason);
                }
            }
        }
        let mut speaking: Vec<(ItemId, Vec<String>)> = reasons.into_iter().collect();
        speaking.sort_by_key(|(id, _)| {
            let item = self.site.item(*id);
            (Reverse(item.source().and_then(|s| s.date)), item.title.to_lowercase())
        });
        speaking
            .into_iter()
            .map(|(id, mut why)| {
                why.dedup();
                Speaking {
                    link: self.long_link(views, id),
                    meta: self.tallies.source_meta(self.site.item(id), id),
                    reasons: why,
                }
            })
            .collect()
    }

    fn long_link(&self, views: &Views<'_>, id: ItemId) -> Link {
        let mut link = views.link(id);
        link.label = item_label_long(self.site.item(id));
        link
    }

    fn agency_extras(&self, id: ItemId, context: &mut Context) {
        let item = self.site.item(id);
        let views = self.contexts.views(&item.route);
        let backlinks = &self.graph.backlinks[id.index()];
        let related = |relation: Relation| -> Vec<ItemId> {
            backlinks.iter().filter(|b| b.relation == relation).map(|b| b.from).collect()
        };
        let acting = related(Relation::Responsibility);
        let consulted = related(Relation::Consulted);
        let mut deadlines: Vec<ItemId> =
            acting.iter().chain(&consulted).copied().filter(|&d| self.site.item(d).kind == Kind::Deadline).collect();
        deadlines.sort_by_key(|&d| self.tallies.deadline_rank(d));
        deadlines.dedup();
        context.insert("duties", &self.duties(id, &acting, &views));
        context.insert("consulted_on", &self.duties(id, &consulted, &views));
        context.insert("deadlines", &deadlines.iter().map(|&d| views.deadline(d)).collect::<Vec<_>>());
        context.insert("acts_through", &self.graph.agency_parent[id.index()].map(|p| views.link(p)));
        context.insert("acting_through_it", &views.links(&related(Relation::ActsThrough)));
        context.insert("matrix_href", &self.urls.href(&item.route, MATRIX_ROUTE));
    }

    /// Duties sorted by when: the earliest due date first, undated last, then in the
    /// instrument's order.
    fn duties(&self, agency: ItemId, items: &[ItemId], views: &Views<'_>) -> Vec<Duty> {
        let mut duties: Vec<(Option<chrono::NaiveDate>, u32, Duty)> = items
            .iter()
            .map(|&id| {
                let dated: Vec<ItemId> = match self.site.item(id).kind {
                    Kind::Deadline => vec![id],
                    _ => self.graph.backlinks[id.index()]
                        .iter()
                        .filter(|b| b.relation == Relation::Deadline)
                        .map(|b| b.from)
                        .collect(),
                };
                let earliest = dated.iter().filter_map(|&d| self.graph.deadlines[d.index()].as_ref()?.due).min();
                let rank = self.tallies.provision_rank(self.graph.deadline_provision[id.index()].unwrap_or(id));
                (earliest, rank, self.duty(agency, id, &dated, views))
            })
            .collect();
        duties.sort_by_key(|(earliest, rank, duty)| (earliest.is_none(), *earliest, *rank, duty.link.label.clone()));
        duties.into_iter().map(|(_, _, duty)| duty).collect()
    }

    fn duty(&self, agency: ItemId, id: ItemId, dated: &[ItemId], views: &Views<'_>) -> Duty {
        let item = self.site.item(id);
        let others =
            |ids: &[ItemId]| -> Vec<Link> { ids.iter().filter(|&&a| a != agency).map(|&a| views.link(a)).collect() };
        let derived = &self.tallies.derived;
        let what = match item.deadline().and_then(|d| d.action.as_deref()) {
            Some(action) => crate::render::derived::plain(self.site, action),
            None => {
                Some(derived.summary(self.site, id)).filter(|s| !s.is_empty()).unwrap_or_else(|| item.title.clone())
            }
        };
        Duty {
            link: self.long_link(views, id),
            what,
            due: dated.iter().map(|&d| self.due_view(views, d)).collect(),
            with: others(&self.graph.agencies[id.index()]),
            consulting: others(&self.graph.consulting[id.index()]),
        }
    }

    fn due_view(&self, views: &Views<'_>, deadline: ItemId) -> DueView {
        let date = self.graph.deadlines[deadline.index()].as_ref();
        let due = date.and_then(|d| d.due);
        let told = date.map(|d| views.told_status(d));
        DueView {
            link: views.link(deadline),
            due: due.map_or_else(|| "date not yet known".to_string(), human_date),
            due_iso: due.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            status: told.as_ref().map_or("unknown", |t| t.slug),
            status_label: told.as_ref().map_or("date not yet known", |t| t.label),
        }
    }

    /// The agency × provision matrix of one instrument's provisions (`None`: provisions
    /// that belong to no instrument): a row per provision with an acting or consulted
    /// agency (its own or its deadlines'), a column per agency named in those rows, and
    /// links to the matrices of the other instruments.
    pub(super) fn agency_matrix_context(&self, group: Option<ItemId>) -> (String, &'static str, Context) {
        let groups = self.matrices();
        let route = matrix_route(self.site, groups, group);
        let title = match group {
            Some(instrument) if group != groups[0] => {
                format!("Who does what: {}", self.site.item(instrument).short_label())
            }
            _ => "Who does what: agencies and provisions".to_string(),
        };
        let mut page = self.simple_page(&route, &title, "matrix");
        let views = self.contexts.views(&route);
        page.breadcrumbs.push(views.route_link("agencies/", "Agencies"));
        if route != MATRIX_ROUTE {
            page.breadcrumbs.push(views.route_link(MATRIX_ROUTE, "Who does what"));
        }
        let mut context = self.base_context(&route, &page);
        let provisions: Vec<ItemId> =
            self.graph.provisions.iter().copied().filter(|&p| self.site.item(p).instrument == group).collect();
        let marks = self.matrix_marks(&provisions);
        let mut agencies: Vec<ItemId> = marks.values().flat_map(|row| row.keys().copied()).collect();
        agencies.sort_by_cached_key(|&a| (self.site.item(a).short_label().to_lowercase(), a));
        agencies.dedup();
        let rows: Vec<MatrixRow> = provisions
            .iter()
            .filter_map(|p| Some((*p, marks.get(p)?)))
            .map(|(p, row)| MatrixRow {
                provision: self.long_link(&views, p),
                cells: agencies.iter().map(|a| row.get(a).copied().unwrap_or("")).collect(),
            })
            .collect();
        let others: Vec<Link> = groups
            .iter()
            .filter(|&&other| other != group)
            .filter_map(|&other| {
                let instrument = self.site.item(other?);
                Some(views.route_link(&matrix_route(self.site, groups, other), &instrument.title))
            })
            .collect();
        context.insert("instrument", &group.map(|i| views.link(i)));
        context.insert("agencies", &views.links(&agencies));
        context.insert("rows", &rows);
        context.insert("other_matrices", &others);
        let agency_count =
            if agencies.len() == 1 { "1 agency".to_string() } else { format!("{} agencies", agencies.len()) };
        context.insert("summary", &format!("{} × {agency_count}", plural(rows.len() as u32, "provision")));
        (route, "agency_matrix.html", context)
    }

    /// Provision → agency → "acts" or "consulted" for `provisions` (sorted, as in the
    /// graph); acting wins over consulted.
    fn matrix_marks(&self, provisions: &[ItemId]) -> BTreeMap<ItemId, BTreeMap<ItemId, &'static str>> {
        let mut marks: BTreeMap<ItemId, BTreeMap<ItemId, &'static str>> = BTreeMap::new();
        let mut mark = |provision: ItemId, holder: ItemId| {
            for &agency in &self.graph.consulting[holder.index()] {
                marks.entry(provision).or_default().entry(agency).or_insert("consulted");
            }
            for &agency in &self.graph.agencies[holder.index()] {
                marks.entry(provision).or_default().insert(agency, "acts");
            }
        };
        let listed: BTreeSet<ItemId> = provisions.iter().copied().collect();
        for &provision in provisions {
            mark(provision, provision);
        }
        for &deadline in &self.graph.deadline_order {
            if let Some(provision) = self.graph.deadline_provision[deadline.index()].filter(|p| listed.contains(p)) {
                mark(provision, deadline);
            }
        }
        marks
    }
}

/// The instruments with a responsibility matrix, in the graph's provision order, the one
/// at [`MATRIX_ROUTE`] first: the default instrument's, or else the first. A matrix is
/// made per instrument so that its columns are the agencies of that instrument alone (one
/// table of every provision by every agency grows with the product of the two). `None`
/// stands for the provisions of no instrument; the list is never empty, since agency
/// pages link to the matrix.
pub(super) fn matrix_groups(site: &Site, graph: &Graph) -> Vec<Option<ItemId>> {
    let mut groups: Vec<Option<ItemId>> = Vec::new();
    let has_agencies = |p: ItemId| !graph.agencies[p.index()].is_empty() || !graph.consulting[p.index()].is_empty();
    let deadline_provisions: BTreeSet<ItemId> = graph
        .deadline_order
        .iter()
        .filter(|d| has_agencies(**d))
        .filter_map(|d| graph.deadline_provision[d.index()])
        .collect();
    for &provision in &graph.provisions {
        let group = site.item(provision).instrument;
        if !groups.contains(&group) && (has_agencies(provision) || deadline_provisions.contains(&provision)) {
            groups.push(group);
        }
    }
    if let Some(main) = groups.iter().position(|&g| g.is_some() && g == site.default_instrument) {
        groups[..=main].rotate_right(1);
    }
    if groups.is_empty() {
        groups.push(site.default_instrument);
    }
    groups
}

/// Route of the matrix of `group`: [`MATRIX_ROUTE`] for the first of `groups`, else the
/// instrument's last route segment under it.
pub(super) fn matrix_route(site: &Site, groups: &[Option<ItemId>], group: Option<ItemId>) -> String {
    match group {
        Some(instrument) if groups.first() != Some(&group) => {
            let slug = site.item(instrument).route.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
            format!("{MATRIX_ROUTE}{slug}/")
        }
        _ => MATRIX_ROUTE.to_string(),
    }
}
