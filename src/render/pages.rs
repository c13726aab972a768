//! The context each page template receives.
//!
//! Every page gets `site` (title, language, as-of date, navigation), `page` (title, root
//! prefix, canonical URL, breadcrumbs, table of contents) and a page-specific object:
//! `item` for item pages, `index` for lists, `table` for the deadline table.

use serde::Serialize;

use crate::load::outline::Heading;
use crate::model::{ItemId, Kind, Site};
use crate::render::derived::Derived;
use crate::render::markdown::item_label_long;
use crate::render::urls::Urls;
use crate::render::views::{
    BacklinkGroup, ClaimView, ConflictView, DeadlineView, Link, StatusBadge, Views, facts, status_badge,
};
use crate::resolve::{Graph, Relation};
use crate::text::{escape_html, human_date};

/// Site-wide values, the same on every page but for hrefs.
#[derive(Serialize)]
pub struct SiteView<'a> {
    /// Site title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Language tag.
    pub language: &'a str,
    /// As-of date for people.
    pub as_of: String,
    /// As-of date, ISO.
    pub as_of_iso: String,
    /// Main navigation.
    pub nav: Vec<Link>,
    /// Href of the navigation entry for the page being rendered (empty when none is).
    pub nav_current: String,
    /// Link to the home page.
    pub home: String,
    /// Root prefix of the page (for static assets).
    pub root: String,
    /// Links are relative and name their `index.html` (relative-URL mode).
    pub relative: bool,
    /// Firm name for alerts.
    pub firm: &'a str,
    /// Firm logo href, if configured.
    pub logo: Option<String>,
    /// Alert disclaimer.
    pub disclaimer: &'a str,
    /// `[extra]` of docket.toml: free data for the theme.
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// The site tracks completions, so a passed deadline can be "overdue".
    pub tracks_completion: bool,
    /// Href of the site's Atom feed, when one is written (it needs a host in `base_url`).
    pub feed: Option<String>,
    /// Href of the search page, when the site has search.
    pub search: Option<String>,
    /// Internal links show a preview of their target on hover and focus (`link_previews`).
    pub link_previews: bool,
    /// Href of the knowledge base's own `extra.css`, loaded after the theme's stylesheets.
    pub extra_css: Option<String>,
}

/// Values about the page itself.
#[derive(Serialize, Default)]
pub struct PageView {
    /// Title.
    pub title: String,
    /// Route.
    pub route: String,
    /// Absolute canonical URL.
    pub canonical: String,
    /// Meta description.
    pub description: String,
    /// Kind of page (an item kind, or `index`, `home`, `deadlines` ...).
    pub kind: String,
    /// Breadcrumbs, outermost first, not including the page.
    pub breadcrumbs: Vec<Link>,
    /// Last updated, for people.
    pub updated: String,
    /// Table of contents.
    pub toc: Vec<TocEntry>,
    /// Previous page in sequence.
    pub prev: Option<Link>,
    /// Next page in sequence.
    pub next: Option<Link>,
}

/// An entry of a table of contents.
#[derive(Serialize)]
pub struct TocEntry {
    /// Heading level.
    pub level: u8,
    /// Text.
    pub text: String,
    /// Anchor.
    pub anchor: String,
}

/// One dated step in an instrument's history, linking the other instrument.
#[derive(Clone, Debug, Serialize)]
pub struct HistoryEntry {
    /// The date, for people ("20 January 2025"); empty when the step has none.
    pub date: String,
    /// The date, `YYYY-MM-DD`; empty when the step has none.
    pub date_iso: String,
    /// What happened: "Signed", "Revoked by", "Revokes", "Amends", "Amended by",
    /// "Supersedes", "Superseded by"; for a provision "In force", "Amended", "Repealed".
    pub what: &'static str,
    /// The other instrument, when the step names a known one.
    pub link: Option<Link>,
    /// The other instrument's id as written, when it is not a known instrument.
    pub other: String,
}

impl HistoryEntry {
    /// A step naming no other instrument: a provision's "Repealed" on its day.
    fn dated(date: chrono::NaiveDate, what: &'static str) -> Self {
        HistoryEntry {
            date: human_date(date),
            date_iso: date.format("%Y-%m-%d").to_string(),
            what,
            link: None,
            other: String::new(),
        }
    }
}

/// One provision in an instrument's tree, flattened for a template: after its link, the
/// entry either opens a nested list (its first child follows) or closes `closes` levels.
#[derive(Clone, Debug, Serialize)]
pub struct TreeEntry {
    /// The provision.
    pub link: Link,
    /// Its title, when it differs from its label.
    pub title: String,
    /// Its status as of the as-of date, when it states one.
    pub status: Option<StatusBadge>,
    /// Whether the next entry is its first child.
    pub opens: bool,
    /// How many nested lists end after it.
    pub closes: usize,
}

/// Everything an item page shows.
#[derive(Serialize)]
pub struct ItemView {
    /// Id.
    pub id: String,
    /// Kind name.
    pub kind: &'static str,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Label/value facts.
    pub facts: Vec<(&'static str, String)>,
    /// Tags, each linking to its tag page.
    pub tags: Vec<Link>,
    /// Audiences with relevance.
    pub audiences: Vec<(Link, &'static str)>,
    /// Acting agencies.
    pub agencies: Vec<Link>,
    /// Agencies consulted.
    pub consulting: Vec<Link>,
    /// Enclosing provision.
    pub parent: Option<Link>,
    /// Nested provisions.
    pub children: Vec<Link>,
    /// For instruments: every provision, in the instrument's order, as a tree.
    pub provision_tree: Vec<TreeEntry>,
    /// For instruments: their dated history, both ways, as of the as-of date; for
    /// provisions, the dated change their status records, once it has happened.
    pub history: Vec<HistoryEntry>,
    /// For provisions and imported articles: their status as of the as-of date, as a
    /// badge with words.
    pub status_badge: Option<StatusBadge>,
    /// The deadline row, for deadlines.
    pub deadline: Option<DeadlineView>,
    /// Deadlines of a provision.
    pub deadlines: Vec<DeadlineView>,
    /// Checklist items.
    pub actions: Vec<(Option<Link>, String)>,
    /// Open questions.
    pub questions: Vec<String>,
    /// What sources claim about this item.
    pub claims_about: Vec<ClaimView>,
    /// What this source claims.
    pub claims_made: Vec<ClaimView>,
    /// Conflicts involving this item.
    pub conflicts: Vec<ConflictView>,
    /// Backlink groups.
    pub backlinks: Vec<BacklinkGroup>,
    /// Sources cited in the body.
    pub citations: Vec<Link>,
    /// `extra` of the item's front matter: free data for the theme.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// For provisions: the sources that cover it (claims about it or its deadlines, or
    /// citations in its note). For sources: the provisions it covers.
    pub coverage: Vec<Link>,
    /// Source URL, if any.
    pub url: Option<String>,
    /// Alert authors.
    pub authors: Vec<crate::load::front_matter::AuthorSpec>,
    /// Alert takeaways.
    pub takeaways: Vec<String>,
    /// Alert contact.
    pub contact: String,
    /// For audiences: the href of their own deadline calendar (`for/<slug>/deadlines.ics`).
    pub calendar: Option<String>,
    /// Keys of the generated sections (see [`MERGEABLE`]) a hand-written section of the same
    /// name absorbs: the template shows them inside `content_parts`, not as sections of their
    /// own, and lists them once in "On this page".
    pub merged: Vec<&'static str>,
}

/// The sections docket adds to item pages that a hand-written `##` section of the same name
/// takes in: its key (as templates name it) and the names it answers to, compared ignoring
/// case and runs of whitespace.
pub const MERGEABLE: &[(&str, &[&str])] = &[
    ("agencies", &["Who acts"]),
    ("deadlines", &["Deadlines"]),
    ("audiences", &["Who it affects"]),
    ("actions", &["What to do"]),
    ("questions", &["Open questions"]),
    ("conflicts", &["Where sources disagree", "Where the sources disagree"]),
    ("claims-about", &["What sources say"]),
    ("citations", &["Sources"]),
];

/// A stretch of a note's body HTML, followed by the generated sections merged into the
/// hand-written section it ends.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct ContentPart {
    /// The HTML.
    pub html: String,
    /// Keys of the generated sections to show after it, without a heading of their own.
    pub merged: Vec<&'static str>,
}

impl ItemView {
    /// Whether the page shows the generated section `key` of [`MERGEABLE`].
    fn shows(&self, key: &str) -> bool {
        match key {
            "agencies" => !self.agencies.is_empty() || !self.consulting.is_empty(),
            "deadlines" => !self.deadlines.is_empty(),
            "audiences" => !self.audiences.is_empty(),
            "actions" => !self.actions.is_empty(),
            "questions" => !self.questions.is_empty(),
            "conflicts" => !self.conflicts.is_empty(),
            "claims-about" => !self.claims_about.is_empty(),
            "citations" => !self.citations.is_empty(),
            _ => false,
        }
    }
}

/// Merges the generated sections of `item` into the note's own `##` sections of the same
/// name: splits `html` (the rendered body, whose headings carry the outline's anchors) so
/// that each such section ends a part carrying the keys to show after it, and records the
/// keys in `item.merged`. A note with its own "Open questions" thus shows one section, its
/// text first and the generated list under it.
pub fn merge_generated(item: &mut ItemView, headings: &[Heading], html: &str) -> Vec<ContentPart> {
    let normal = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let mut ends: Vec<(usize, &'static str)> = Vec::new();
    for &(key, names) in MERGEABLE {
        if !item.shows(key) {
            continue;
        }
        let heading =
            headings.iter().filter(|h| h.level == 2).find(|h| names.iter().any(|name| normal(name) == normal(&h.text)));
        let Some(heading) = heading else { continue };
        let opening = format!("<h2 id=\"{}\"", escape_html(&heading.anchor));
        let Some(start) = html.find(&opening) else { continue };
        ends.push((section_end(html, start + opening.len()), key));
        item.merged.push(key);
    }
    split_at(html, ends)
}

/// `html` cut at each of `ends`, each part carrying the keys of the ends it reaches.
fn split_at(html: &str, mut ends: Vec<(usize, &'static str)>) -> Vec<ContentPart> {
    ends.sort();
    let mut parts: Vec<ContentPart> = Vec::new();
    let mut from = 0;
    for (end, key) in ends {
        match parts.last_mut() {
            Some(last) if end == from => last.merged.push(key),
            _ => {
                parts.push(ContentPart { html: html[from..end].to_string(), merged: vec![key] });
                from = end;
            }
        }
    }
    if from < html.len() || parts.is_empty() {
        parts.push(ContentPart { html: html[from..].to_string(), merged: Vec::new() });
    }
    parts
}

/// Where the section whose heading opens before `after` ends: at the next `<h1` or `<h2`
/// tag, else at the end of the body.
fn section_end(html: &str, after: usize) -> usize {
    let rest = &html[after..];
    let next = ["<h1", "<h2"]
        .iter()
        .flat_map(|tag| rest.match_indices(tag))
        .filter(|(at, tag)| matches!(rest.as_bytes().get(at + tag.len()), Some(b' ' | b'>')))
        .map(|(at, _)| at)
        .min();
    next.map_or(html.len(), |at| after + at)
}

/// Builds contexts for one page at a time.
pub struct Contexts<'a> {
    /// The site.
    pub site: &'a Site,
    /// The graph.
    pub graph: &'a Graph,
    /// URL maker.
    pub urls: &'a Urls,
    /// Summaries and backlink contexts as readers see them.
    pub derived: &'a Derived,
    /// The knowledge base has `static/extra.css`.
    pub extra_css: bool,
    /// The main navigation: route and label of each section (see [`nav_sections`]).
    pub nav: &'a [(&'static str, &'static str)],
}

/// The sections the main navigation offers: each index page that has something to list
/// (a knowledge base of imported notes has no deadlines or glossary, and a reader should
/// not click through eight empty pages to find its notes), Notes when most items are
/// notes, and Search when it is built. The pages themselves are built either way.
pub fn nav_sections(site: &Site, graph: &Graph) -> Vec<(&'static str, &'static str)> {
    let mut present = [false; Kind::ALL.len()];
    for item in &site.items {
        present[item.kind as usize] = true;
    }
    let has = |kind: Kind| present[kind as usize];
    let sections = [
        ("provisions/", "Provisions", has(Kind::Provision) || has(Kind::Instrument)),
        ("deadlines/", "Deadlines", has(Kind::Deadline)),
        ("sources/", "Sources", has(Kind::Source)),
        ("audiences/", "Audiences", has(Kind::Audience)),
        ("agencies/", "Agencies", has(Kind::Agency)),
        ("glossary/", "Glossary", has(Kind::Term)),
        ("conflicts/", "Conflicts", !graph.claims.conflicts.is_empty() || !graph.claims.all.is_empty()),
        ("alerts/", "Alerts", has(Kind::Alert)),
        ("notes/", "Notes", super::folders::mostly_notes(site)),
        ("tags/", "Tags", !site.tags.is_empty()),
        ("search/", "Search", site.config.search),
    ];
    sections.into_iter().filter(|(_, _, shown)| *shown).map(|(route, label, _)| (route, label)).collect()
}

impl<'a> Contexts<'a> {
    /// Views for a page at `route`.
    pub fn views(&self, route: &'a str) -> Views<'a> {
        Views {
            site: self.site,
            graph: self.graph,
            urls: self.urls,
            route,
            derived: self.derived,
            as_of: self.site.as_of,
        }
    }

    /// The site-wide values for a page at `route`.
    pub fn site_view(&self, route: &str) -> SiteView<'a> {
        let config = &self.site.config;
        let nav = self.nav;
        let nav_current =
            nav.iter().find(|(to, _)| *to == route).map(|(to, _)| self.urls.href(route, to)).unwrap_or_default();
        SiteView {
            extra: &config.extra,
            nav_current,
            title: &config.title,
            description: &config.description,
            language: &config.language,
            as_of: human_date(self.site.as_of),
            as_of_iso: self.site.as_of.format("%Y-%m-%d").to_string(),
            nav: nav
                .iter()
                .map(|(to, label)| Link {
                    href: self.urls.href(route, to),
                    label: label.to_string(),
                    kind: "page",
                    title: label.to_string(),
                })
                .collect(),
            home: self.urls.href(route, ""),
            root: self.urls.root_for(route),
            relative: self.urls.is_relative(),
            firm: &config.alerts.firm,
            logo: config.alerts.logo.as_ref().map(|logo| self.urls.href(route, logo.trim_start_matches('/'))),
            disclaimer: &config.alerts.disclaimer,
            tracks_completion: config.deadlines.track_completion,
            feed: self.urls.has_origin().then(|| self.urls.href(route, crate::render::feeds::SITE_FEED)),
            search: config.search.then(|| self.urls.href(route, "search/")),
            link_previews: config.link_previews,
            extra_css: self.extra_css.then(|| self.urls.href(route, "extra.css")),
        }
    }

    /// The page values of an item page.
    pub fn item_page(&self, id: ItemId) -> PageView {
        let item = self.site.item(id);
        let views = self.views(&item.route);
        let mut breadcrumbs = vec![views.route_link("", "Home")];
        if let Some((route, label)) = index_of(item.kind) {
            breadcrumbs.push(views.route_link(route, label));
        }
        let mut ancestors = Vec::new();
        let mut parent = self.graph.parent[id.index()];
        while let Some(p) = parent {
            ancestors.push(views.link(p));
            parent = self.graph.parent[p.index()];
        }
        breadcrumbs.extend(ancestors.into_iter().rev());
        let (prev, next) = self.sequence(id, &views);
        let headings = &item.doc.outline.headings;
        let toc = if headings.len() >= 3 {
            headings
                .iter()
                .filter(|h| (2..=3).contains(&h.level))
                .map(|h| TocEntry { level: h.level, text: h.text.clone(), anchor: h.anchor.clone() })
                .collect()
        } else {
            Vec::new()
        };
        PageView {
            title: item_label_long(item),
            route: item.route.clone(),
            canonical: self.urls.canonical(&item.route),
            description: self.derived.description(self.site, id),
            kind: item.kind.name().to_string(),
            breadcrumbs,
            updated: item.updated.map(human_date).unwrap_or_default(),
            toc,
            prev,
            next,
        }
    }

    /// An instrument's history as of the as-of date, both ways: its signing, what it
    /// revoked, amends and supersedes, and what revoked, amended or superseded it, by date
    /// (undated steps last). Empty for other items.
    fn history(&self, id: ItemId, views: &Views<'_>) -> Vec<HistoryEntry> {
        let site = self.site;
        let as_of = site.as_of;
        if let Some(status) = site.item(id).provision().and_then(|p| p.status.as_ref()) {
            return status.change(as_of).map(|(date, what)| HistoryEntry::dated(date, what)).into_iter().collect();
        }
        let Some(details) = site.item(id).instrument_details() else { return Vec::new() };
        let entry = |date: Option<chrono::NaiveDate>, what: &'static str, other: Option<&str>| HistoryEntry {
            date: date.map(human_date).unwrap_or_default(),
            date_iso: date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            what,
            link: other.and_then(|o| site.by_id.get(o)).map(|&o| views.link(o)),
            other: other.filter(|o| !site.by_id.contains_key(*o)).unwrap_or_default().to_string(),
        };
        let mut history = Vec::new();
        if let Some(signed) = details.signed.filter(|signed| *signed <= as_of) {
            history.push(entry(Some(signed), "Signed", None));
        }
        if let Some(revoked) = details.revoked_by_date(as_of) {
            history.push(entry(Some(revoked), "Revoked by", details.revoked_by.as_deref()));
        }
        // An instrument signed after the as-of date amends and supersedes nothing yet.
        if details.signed.is_none_or(|signed| signed <= as_of) {
            history.extend(details.amends.iter().map(|other| entry(details.signed, "Amends", Some(other))));
            history.extend(details.supersedes.iter().map(|other| entry(details.signed, "Supersedes", Some(other))));
        }
        let me = site.item(id).id.as_str();
        for (_, other) in site.of_kind(Kind::Instrument) {
            let Some(theirs) = other.instrument_details() else { continue };
            let signed = theirs.signed.filter(|signed| *signed <= as_of);
            if theirs.revoked_by.as_deref() == Some(me)
                && let Some(revoked) = theirs.revoked_by_date(as_of)
            {
                history.push(entry(Some(revoked), "Revokes", Some(&other.id)));
            }
            if theirs.amends.iter().any(|a| a == me) && signed.is_some() {
                history.push(entry(signed, "Amended by", Some(&other.id)));
            }
            if theirs.supersedes.iter().any(|a| a == me) && signed.is_some() {
                history.push(entry(signed, "Superseded by", Some(&other.id)));
            }
        }
        history.sort_by(|a, b| (a.date_iso.is_empty(), &a.date_iso).cmp(&(b.date_iso.is_empty(), &b.date_iso)));
        if history.len() == 1 && history[0].what == "Signed" {
            // A signing alone is already among the facts; a history needs two steps.
            return Vec::new();
        }
        history
    }

    /// An instrument's provisions as a tree (empty for other items).
    fn provision_tree(&self, id: ItemId, views: &Views<'_>) -> Vec<TreeEntry> {
        let graph = self.graph;
        let depth = |p: ItemId| {
            let mut depth = 0;
            let mut parent = graph.parent[p.index()];
            while let Some(up) = parent {
                depth += 1;
                parent = graph.parent[up.index()];
            }
            depth
        };
        let own: Vec<(ItemId, usize)> = graph
            .provisions
            .iter()
            .filter(|p| self.site.item(**p).provision().is_some_and(|p| p.instrument == id))
            .map(|&p| (p, depth(p)))
            .collect();
        own.iter()
            .enumerate()
            .map(|(k, &(p, d))| {
                let next = own.get(k + 1).map_or(0, |&(_, next)| next);
                let item = self.site.item(p);
                let link = views.link(p);
                let title = if link.label.ends_with(&item.title) { String::new() } else { item.title.clone() };
                let status = status_badge(item, self.site.as_of);
                TreeEntry { link, title, status, opens: next > d, closes: d.saturating_sub(next) }
            })
            .collect()
    }

    fn sequence(&self, id: ItemId, views: &Views<'_>) -> (Option<Link>, Option<Link>) {
        let order: &[ItemId] = match self.site.item(id).kind {
            Kind::Provision => &self.graph.provisions,
            Kind::Deadline => &self.graph.deadline_order,
            _ => return (None, None),
        };
        let Some(position) = self.graph.sequence_position[id.index()] else { return (None, None) };
        let prev = position.checked_sub(1).map(|p| views.link(order[p]));
        let next = order.get(position + 1).map(|&n| views.link(n));
        (prev, next)
    }

    /// The item values of an item page.
    pub fn item(&self, id: ItemId) -> ItemView {
        let item = self.site.item(id);
        let views = self.views(&item.route);
        let graph = self.graph;
        let n = id.index();
        let deadlines = if item.kind == Kind::Instrument {
            // An instrument lists every deadline it sets, through any of its provisions.
            graph
                .deadline_order
                .iter()
                .filter(|d| graph.instrument_of[d.index()] == Some(id) && graph.deadline_provision[d.index()].is_some())
                .map(|&d| views.deadline(d))
                .collect()
        } else {
            graph.backlinks[n]
                .iter()
                .filter(|b| b.relation == Relation::Deadline)
                .map(|b| views.deadline(b.from))
                .collect()
        };
        let (authors, takeaways, contact) = match &item.details {
            crate::model::Details::Alert(a) => (
                a.authors.clone(),
                a.takeaways.clone(),
                a.contact.clone().unwrap_or_else(|| self.site.config.alerts.contact.clone()),
            ),
            _ => (Vec::new(), Vec::new(), String::new()),
        };
        ItemView {
            extra: item.doc.front.extra.clone(),
            id: item.id.clone(),
            kind: item.kind.name(),
            title: item.title.clone(),
            summary: self.derived.summary(self.site, id),
            facts: facts(self.site, item),
            tags: item
                .tags
                .iter()
                .map(|tag| views.route_link(&crate::markdown::tag_route(tag), &format!("#{tag}")))
                .collect(),
            audiences: graph.audiences[n].iter().map(|(a, r)| (views.link(*a), r.label())).collect(),
            agencies: views.links(&graph.agencies[n]),
            consulting: views.links(&graph.consulting[n]),
            parent: graph.parent[n].map(|p| views.link(p)),
            children: views.links(&graph.children[n]),
            provision_tree: self.provision_tree(id, &views),
            history: self.history(id, &views),
            status_badge: status_badge(item, self.site.as_of),
            deadline: (item.kind == Kind::Deadline).then(|| views.deadline(id)),
            deadlines,
            actions: item
                .actions
                .iter()
                .map(|a| (self.site.by_id.get(&a.audience).map(|&a| views.link(a)), a.text.clone()))
                .collect(),
            questions: item.questions.clone(),
            claims_about: graph.claims_about(id).map(|(n, c)| views.claim(n, c)).collect(),
            claims_made: graph.claims_by(id).map(|(n, c)| views.claim(n, c)).collect(),
            conflicts: graph.conflicts_of(id).map(|c| views.conflict(c)).collect(),
            backlinks: views
                .backlinks(id)
                .into_iter()
                .filter(|g| g.relation != Relation::Deadline && g.relation != Relation::Claim)
                .collect(),
            citations: views.links(&graph.citations[n]),
            coverage: views.links(&self.coverage(id)),
            url: item
                .source()
                .and_then(|s| s.url.clone())
                .or_else(|| item.instrument_details().and_then(|i| i.url.clone())),
            authors,
            takeaways,
            contact,
            calendar: (item.kind == Kind::Audience)
                .then(|| self.urls.href(&item.route, &crate::render::exports::audience_calendar_route(self.site, id))),
            merged: Vec::new(),
        }
    }
}

impl Contexts<'_> {
    /// Sources covering a provision, or provisions a source covers, sorted by route.
    fn coverage(&self, id: ItemId) -> Vec<ItemId> {
        let graph = self.graph;
        let provision_of = |subject: ItemId| match self.site.item(subject).kind {
            Kind::Provision => Some(subject),
            Kind::Deadline => graph.deadline_provision[subject.index()],
            _ => None,
        };
        let mut found: Vec<ItemId> = match self.site.item(id).kind {
            Kind::Provision => {
                let deadlines =
                    graph.backlinks[id.index()].iter().filter(|b| b.relation == Relation::Deadline).map(|b| b.from);
                let about =
                    std::iter::once(id).chain(deadlines).flat_map(|s| graph.claims_about(s).map(|(_, c)| c.source));
                about.chain(graph.citations[id.index()].iter().copied()).collect()
            }
            Kind::Source => {
                let claimed = graph.claims_by(id).filter_map(|(_, c)| provision_of(c.subject));
                let citing = graph.backlinks[id.index()]
                    .iter()
                    .filter(|b| b.relation == Relation::CitedBy && self.site.item(b.from).kind == Kind::Provision)
                    .map(|b| b.from);
                claimed.chain(citing).collect()
            }
            _ => Vec::new(),
        };
        found.sort();
        found.dedup();
        // Provisions read best in the instrument's order; sources by title.
        found.sort_by_cached_key(|&f| match self.site.item(f).kind {
            Kind::Provision => (graph.sequence_position[f.index()].unwrap_or(usize::MAX), String::new()),
            _ => (0, self.site.item(f).title.to_lowercase()),
        });
        found
    }
}

/// The index page listing items of a kind: route and title.
pub fn index_of(kind: Kind) -> Option<(&'static str, &'static str)> {
    Some(match kind {
        Kind::Instrument => ("instruments/", "Instruments"),
        Kind::Provision => ("provisions/", "Provisions"),
        Kind::Source => ("sources/", "Sources"),
        Kind::Deadline => ("deadlines/", "Deadlines"),
        Kind::Audience => ("audiences/", "Audiences"),
        Kind::Agency => ("agencies/", "Agencies"),
        Kind::Term => ("glossary/", "Glossary"),
        Kind::Alert => ("alerts/", "Client alerts"),
        Kind::Note => ("notes/", "Notes"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &str = "<p>Intro</p>\n<h2 id=\"a\">A</h2>\n<p>a</p>\n<h3 id=\"a1\">A1</h3>\n<p>a1</p>\n<h2 id=\"b\">B</h2>\n<p>b</p>\n";

    #[test]
    fn a_section_ends_at_the_next_heading_of_its_level_or_above() {
        let a = BODY.find("<h2 id=\"a\"").unwrap() + 4;
        assert_eq!(&BODY[section_end(BODY, a)..], "<h2 id=\"b\">B</h2>\n<p>b</p>\n", "an h3 stays inside");
        let b = BODY.find("<h2 id=\"b\"").unwrap() + 4;
        assert_eq!(section_end(BODY, b), BODY.len(), "the last runs to the end");
        let html = "<h2 id=\"x\">X</h2><h2x><header>";
        assert_eq!(section_end(html, 4), html.len(), "<h2x> and <header> are no headings");
    }

    #[test]
    fn the_body_is_cut_after_each_merged_section() {
        let end_a = BODY.find("<h2 id=\"b\"").unwrap();
        let parts = split_at(BODY, vec![(BODY.len(), "questions"), (end_a, "conflicts"), (end_a, "actions")]);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].html, &BODY[..end_a]);
        assert_eq!(parts[0].merged, ["actions", "conflicts"]);
        assert_eq!(parts[1].merged, ["questions"]);
        assert_eq!(parts.iter().map(|p| p.html.as_str()).collect::<String>(), BODY, "nothing lost");
        assert_eq!(split_at(BODY, Vec::new()), [ContentPart { html: BODY.to_string(), merged: Vec::new() }]);
    }
}
