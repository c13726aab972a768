//! Serialisable views of the model and graph that templates receive.
//!
//! Views hold what a template prints (labels, hrefs made for the page being rendered,
//! dates already formatted) and borrow from the site where they can, so building a
//! page's context copies little. They are built per page, never for the whole site.

use serde::Serialize;

use crate::model::{Details, Instrument, Item, ItemId, Kind, Site};
use crate::render::markdown::item_label;
use crate::render::urls::Urls;
use crate::resolve::deadlines::Completion;
use crate::resolve::{Claim, Conflict, DeadlineDate, Graph, Relation};
use crate::text::human_date;

/// A link as templates print it.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    /// Where it goes, relative to the current page as the URL mode requires.
    pub href: String,
    /// What it says.
    pub label: String,
    /// The target's kind, for styling.
    pub kind: &'static str,
    /// The target's title when the label is short.
    pub title: String,
}

/// Makes the links and views of one page.
pub struct Views<'a> {
    /// The site.
    pub site: &'a Site,
    /// The graph.
    pub graph: &'a Graph,
    /// URL maker.
    pub urls: &'a Urls,
    /// Route of the page being rendered.
    pub route: &'a str,
}

/// A deadline row of the table and of item pages.
#[derive(Clone, Debug, Serialize)]
pub struct DeadlineView {
    /// Link to the deadline's page.
    pub link: Link,
    /// Its id (stable, for anchors and UIDs).
    pub id: String,
    /// The provision it belongs to.
    pub provision: Option<Link>,
    /// The id of its instrument, for the table's instrument filter (empty when unknown).
    pub instrument_id: String,
    /// What must be done.
    pub action: String,
    /// Acting agencies.
    pub agencies: Vec<Link>,
    /// Agencies consulted.
    pub consulting: Vec<Link>,
    /// The rule as written.
    pub rule: String,
    /// Due date, ISO form.
    pub due_iso: String,
    /// Due date for people.
    pub due: String,
    /// How the date was derived.
    pub derivation: String,
    /// A weekend or holiday note.
    pub non_business: String,
    /// Status slug.
    pub status: &'static str,
    /// Status label.
    pub status_label: &'static str,
    /// "in 12 days", "38 days overdue".
    pub remaining: String,
    /// Days left (negative overdue), for sorting.
    pub days_left: Option<i64>,
    /// Audience ids, space-separated, for filtering.
    pub audience_ids: String,
    /// Acting agency ids, space-separated, for filtering.
    pub agency_ids: String,
    /// The recorded completion: "done 1 July 2026 (per Gazette)".
    pub completed: Option<CompletedView>,
    /// Audiences.
    pub audiences: Vec<Link>,
    /// Sources whose claimed date agrees.
    pub agree: Vec<Link>,
    /// Sources whose claimed date differs, with their value.
    pub disagree: Vec<Disagreement>,
}

/// A recorded completion as pages show it.
#[derive(Clone, Debug, Serialize)]
pub struct CompletedView {
    /// When, for people ("" when no date is recorded).
    pub date: String,
    /// When, ISO.
    pub date_iso: String,
    /// The source recording it.
    pub source: Option<Link>,
    /// The editor's note.
    pub note: String,
}

/// A source that disagrees with a computed date.
#[derive(Clone, Debug, Serialize)]
pub struct Disagreement {
    /// The source.
    pub source: Link,
    /// What it claims.
    pub value: String,
    /// A likely explanation.
    pub explanation: String,
}

/// A claim as shown on source and provision pages.
#[derive(Clone, Debug, Serialize)]
pub struct ClaimView {
    /// The source.
    pub source: Link,
    /// What it is about.
    pub subject: Link,
    /// Attribute.
    pub attribute: String,
    /// Value as written.
    pub value: String,
    /// Quote.
    pub quote: String,
    /// Where the quote is.
    pub location: String,
    /// True when the claim takes part in a conflict.
    pub conflicting: bool,
    /// Sources whose lists name more members than this claim's partial list (it "mentions
    /// fewer"; not a conflict).
    pub fewer_than: Vec<Link>,
}

/// A conflict as shown on pages.
#[derive(Clone, Debug, Serialize)]
pub struct ConflictView {
    /// Stable anchor id.
    pub id: String,
    /// What it is about.
    pub subject: Link,
    /// Attribute.
    pub attribute: String,
    /// Each position: a value and the claims holding it.
    pub positions: Vec<PositionView>,
    /// Date docket computed, when it differs from a claim.
    pub computed: String,
    /// The editor's note, when reviewed.
    pub reviewed: Option<String>,
    /// Who reviewed it, when said.
    pub reviewer: String,
    /// When it was reviewed, when said.
    pub reviewed_on: String,
    /// Claims that name fewer list members than a position, shown beside it.
    pub fewer: Vec<ClaimView>,
}

/// One side of a conflict.
#[derive(Clone, Debug, Serialize)]
pub struct PositionView {
    /// The value.
    pub value: String,
    /// The claims holding it.
    pub claims: Vec<ClaimView>,
    /// Explanations of a difference from the computed date.
    pub explanations: Vec<String>,
}

/// A group of backlinks.
#[derive(Clone, Debug, Serialize)]
pub struct BacklinkGroup {
    /// Heading.
    pub label: &'static str,
    /// Relation slug.
    pub relation: Relation,
    /// Entries.
    pub entries: Vec<BacklinkView>,
}

/// One backlink.
#[derive(Clone, Debug, Serialize)]
pub struct BacklinkView {
    /// The item pointing here.
    pub link: Link,
    /// The sentence around the reference.
    pub context: String,
    /// The heading it sits under.
    pub section: Option<String>,
}

impl Views<'_> {
    /// A link to an item.
    pub fn link(&self, id: ItemId) -> Link {
        let item = self.site.item(id);
        Link {
            href: self.urls.href(self.route, &item.route),
            label: item_label(item),
            kind: item.kind.name(),
            title: item.title.clone(),
        }
    }

    /// A link to a route with a label.
    pub fn route_link(&self, route: &str, label: &str) -> Link {
        Link {
            href: self.urls.href(self.route, route),
            label: label.to_string(),
            kind: "page",
            title: label.to_string(),
        }
    }

    /// Links to several items.
    pub fn links(&self, ids: &[ItemId]) -> Vec<Link> {
        ids.iter().map(|&id| self.link(id)).collect()
    }

    /// The deadline row of a deadline item.
    pub fn deadline(&self, id: ItemId) -> DeadlineView {
        let item = self.site.item(id);
        let details = item.deadline();
        let date = self.graph.deadlines[id.index()].as_ref();
        let audiences: Vec<ItemId> = self.graph.audiences[id.index()].iter().map(|(a, _)| *a).collect();
        let agencies = &self.graph.agencies[id.index()];
        let (agree, disagree) = self.date_claims(id, date);
        DeadlineView {
            link: self.link(id),
            id: item.id.clone(),
            provision: self.graph.deadline_provision[id.index()].map(|p| self.link(p)),
            instrument_id: self.graph.instrument_of[id.index()]
                .map(|i| self.site.item(i).id.clone())
                .unwrap_or_default(),
            action: details.and_then(|d| d.action.clone()).unwrap_or_else(|| item.title.clone()),
            agencies: self.links(agencies),
            consulting: self.links(&self.graph.consulting[id.index()]),
            rule: details.and_then(|d| d.rule_text.clone()).unwrap_or_default(),
            due_iso: date.and_then(|d| d.due).map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            due: date.and_then(|d| d.due).map(human_date).unwrap_or_else(|| "—".to_string()),
            derivation: date.map(|d| d.derivation.clone()).unwrap_or_default(),
            non_business: date
                .and_then(|d| d.computed.as_ref())
                .and_then(|c| c.non_business.clone())
                .unwrap_or_default(),
            status: date.map_or("unknown", |d| d.status.slug()),
            status_label: date.map_or("date not yet known", |d| d.status.label()),
            remaining: date.map(days_text).unwrap_or_default(),
            days_left: date.and_then(|d| d.days_left),
            audience_ids: self.ids(&audiences),
            agency_ids: self.ids(agencies),
            completed: date.and_then(|d| d.completed.as_ref()).map(|c| self.completed(c)),
            audiences: self.links(&audiences),
            agree,
            disagree,
        }
    }

    /// Item ids, space-separated, as filters read them.
    fn ids(&self, items: &[ItemId]) -> String {
        items.iter().map(|&a| self.site.item(a).id.as_str()).collect::<Vec<_>>().join(" ")
    }

    fn completed(&self, completion: &Completion) -> CompletedView {
        CompletedView {
            date: completion.date.map(human_date).unwrap_or_default(),
            date_iso: completion.date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default(),
            source: completion.source.map(|s| self.link(s)),
            note: completion.note.clone().unwrap_or_default(),
        }
    }

    fn date_claims(&self, id: ItemId, date: Option<&DeadlineDate>) -> (Vec<Link>, Vec<Disagreement>) {
        let sorted = self.graph.claims.about_due_date(id, date);
        let all = &self.graph.claims.all;
        let mut agree: Vec<Link> = sorted.agree.iter().map(|&n| self.link(all[n].source)).collect();
        agree.dedup_by(|a, b| a.href == b.href);
        let disagree = sorted
            .disagree
            .into_iter()
            .map(|(n, explanation)| Disagreement {
                source: self.link(all[n].source),
                value: all[n].value_text(),
                explanation: explanation.unwrap_or_default(),
            })
            .collect();
        (agree, disagree)
    }

    /// A claim.
    pub fn claim(&self, n: usize, claim: &Claim) -> ClaimView {
        let conflicting = self.graph.claim_in_conflict[n];
        ClaimView {
            source: self.link(claim.source),
            subject: self.link(claim.subject),
            attribute: claim.attribute.clone(),
            value: claim.value_text(),
            quote: claim.quote.clone(),
            location: claim.location.clone(),
            conflicting,
            fewer_than: self.fewer_than(n),
        }
    }

    /// A conflict.
    pub fn conflict(&self, conflict: &Conflict) -> ConflictView {
        let all = &self.graph.claims.all;
        ConflictView {
            id: conflict.id.clone(),
            subject: self.link(conflict.subject),
            attribute: conflict.attribute.clone(),
            positions: conflict
                .positions
                .iter()
                .map(|claims| PositionView {
                    value: all[claims[0]].value_text(),
                    claims: claims.iter().map(|&n| self.claim(n, &all[n])).collect(),
                    explanations: claims.iter().filter_map(|n| conflict.explanations.get(n).cloned()).collect(),
                })
                .collect(),
            computed: conflict.computed.map(human_date).unwrap_or_default(),
            reviewed: conflict.reviewed.as_ref().map(|r| r.note.clone()),
            reviewer: conflict.reviewed.as_ref().map(|r| r.reviewer.clone()).unwrap_or_default(),
            reviewed_on: conflict.reviewed.as_ref().and_then(|r| r.date).map(human_date).unwrap_or_default(),
            fewer: conflict.fewer.iter().map(|(n, _)| self.claim(*n, &all[*n])).collect(),
        }
    }

    /// The sources naming more list members than claim `n`, each once.
    fn fewer_than(&self, n: usize) -> Vec<Link> {
        let claims = &self.graph.claims;
        let mut sources: Vec<ItemId> =
            claims.fewer_than.get(&n).map_or(&[][..], Vec::as_slice).iter().map(|&m| claims.all[m].source).collect();
        sources.sort();
        sources.dedup();
        sources.into_iter().map(|source| self.link(source)).collect()
    }

    /// Backlinks of an item, grouped by relation.
    pub fn backlinks(&self, id: ItemId) -> Vec<BacklinkGroup> {
        let mut groups: Vec<BacklinkGroup> = Vec::new();
        for backlink in &self.graph.backlinks[id.index()] {
            if groups.last().is_none_or(|g| g.relation != backlink.relation) {
                groups.push(BacklinkGroup {
                    label: backlink.relation.label(),
                    relation: backlink.relation,
                    entries: Vec::new(),
                });
            }
            let group = groups.last_mut().expect("a group was just pushed");
            group.entries.push(BacklinkView {
                link: self.link(backlink.from),
                context: backlink.context.clone(),
                section: backlink.section.clone(),
            });
        }
        groups
    }
}

/// The days column: "in 12 days", "due today", "38 days overdue" while a deadline is
/// open; "met 3 days early", "met 5 days late" once its completion is recorded; empty
/// for undated deadlines.
pub fn days_text(date: &DeadlineDate) -> String {
    let done = date.completed.as_ref().and_then(|c| c.date);
    match (date.due, done, date.days_left) {
        (Some(due), Some(done), _) => {
            let early = (due - done).num_days();
            match early {
                0 => "met on the due date".to_string(),
                d if d > 0 => format!("met {} early", day_count(d)),
                d => format!("met {} late", day_count(-d)),
            }
        }
        (_, _, Some(days)) => remaining(days),
        _ => String::new(),
    }
}

/// "in 12 days", "due today", "38 days overdue".
pub fn remaining(days: i64) -> String {
    match days {
        0 => "due today".to_string(),
        d if d > 0 => format!("in {}", day_count(d)),
        d => format!("{} overdue", day_count(-d)),
    }
}

/// "1 day", "12 days".
fn day_count(days: i64) -> String {
    if days == 1 { "1 day".to_string() } else { format!("{days} days") }
}

/// Where an instrument stands on the as-of date: not yet in force, or revoked (the full
/// history, with links both ways, is the page's History section).
fn lifecycle(site: &Site, details: &Instrument, push: &mut impl FnMut(&'static str, Option<String>)) {
    if details.signed.is_some_and(|signed| signed > site.as_of) {
        push("In force", Some(format!("not yet, as of {}", human_date(site.as_of))));
    }
    if let Some(revoked) = details.revoked_by_date(site.as_of) {
        let by = match details.revoked_by.as_deref() {
            Some(by) => match site.by_id.get(by) {
                Some(&other) => format!(" by {}", crate::model::instrument_short(site.item(other))),
                None => format!(" by {by}"),
            },
            None => String::new(),
        };
        push("Revoked", Some(format!("{}{by}", human_date(revoked))));
    }
}

/// A short description of an item's kind-specific facts, as label/value pairs.
pub fn facts(site: &Site, item: &Item) -> Vec<(&'static str, String)> {
    let mut facts = Vec::new();
    let mut push = |label: &'static str, value: Option<String>| {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            facts.push((label, value));
        }
    };
    match &item.details {
        Details::Instrument(i) => {
            push("Type", i.subtype.clone());
            push("Citation", i.citation.clone());
            push("Signed", i.signed.map(human_date));
            push("Effective", i.effective.filter(|e| Some(*e) != i.signed).map(human_date));
            push("Status", i.status.clone());
            let events: Vec<String> = i
                .events
                .iter()
                .map(|(name, date)| format!("{} {}", name.replace('-', " "), human_date(*date)))
                .collect();
            push("Events", Some(events.join("; ")));
            lifecycle(site, i, &mut push);
        }
        Details::Provision(p) => {
            push("Section", Some(p.number.cited(&p.label)));
            push("Heading", p.heading.clone());
            push("Status", p.status.clone());
            push("Instrument", Some(site.item(p.instrument).title.clone()));
        }
        Details::Source(s) => {
            push("Type", s.subtype.clone());
            push("Publisher", Some(s.publisher.clone().unwrap_or_else(|| "not stated in the text".to_string())));
            push("Author", Some(s.author.clone().unwrap_or_else(|| "not stated in the text".to_string())));
            push("Date", Some(s.date.map(human_date).unwrap_or_else(|| "undated".to_string())));
        }
        Details::Agency(a) => push("Short name", a.short.clone()),
        Details::Term(t) => push("In short", t.short.clone()),
        Details::Alert(a) => push("Date", a.date.map(human_date)),
        // An imported note's own `status` (`repealed`, `in force`), as its source wrote it.
        Details::Note => push("Status", item.doc.front.status.clone()),
        Details::Deadline(_) | Details::Audience => {}
    }
    if item.kind == Kind::Deadline {
        return Vec::new();
    }
    facts
}
