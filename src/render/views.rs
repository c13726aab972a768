//! Serialisable views of the model and graph that templates receive.
//!
//! Views hold what a template prints (labels, hrefs made for the page being rendered,
//! dates already formatted) and borrow from the site where they can, so building a
//! page's context copies little. They are built per page, never for the whole site.

use serde::Serialize;

use crate::load::Syntax;
use crate::model::{Details, Instrument, Item, ItemId, Kind, ProvisionStatus, Site};
use crate::render::derived::{Derived, plain};
use crate::render::markdown::item_label;
use crate::render::urls::Urls;
use crate::resolve::deadlines::{Completion, Status};
use crate::resolve::{Claim, Conflict, DeadlineDate, Graph, Relation};
use crate::rules::Holidays;
use crate::text::human_date;
use chrono::NaiveDate;

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
    /// Summaries and backlink contexts as readers see them.
    pub derived: &'a Derived,
    /// The date statuses are told against: the build's as-of date, or a dated alert's own.
    pub as_of: NaiveDate,
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
    /// "in 12 days", "38 days overdue"; empty for undated and moot deadlines.
    pub remaining: String,
    /// Days left (negative overdue), for sorting; none for undated and moot deadlines.
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

/// A status as a page tells it.
#[derive(Clone, Debug)]
pub struct ToldStatus {
    /// Slug for CSS and filters: a [`Status`] slug, or `overdue`.
    pub slug: &'static str,
    /// Words.
    pub label: &'static str,
    /// "in 12 days", "157 days ago · completion not tracked".
    pub remaining: String,
    /// Days left against the page's as-of date (negative once passed).
    pub days_left: Option<i64>,
}

impl ToldStatus {
    fn unknown() -> ToldStatus {
        ToldStatus { slug: "unknown", label: "date not yet known", remaining: String::new(), days_left: None }
    }
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
    /// Its anchor on the source's page (`claim-3`).
    pub anchor: String,
    /// Link to it on the source's page.
    pub href: String,
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

/// Other places one item links here that its backlink entry quotes.
const MORE_CONTEXTS: usize = 3;

/// A group of backlinks.
#[derive(Clone, Debug, Serialize)]
pub struct BacklinkGroup {
    /// Heading.
    pub label: &'static str,
    /// Relation slug.
    pub relation: Relation,
    /// Entries, one per linking item.
    pub entries: Vec<BacklinkView>,
}

/// One item linking here: its best context shown, the others behind "N more".
#[derive(Clone, Debug, Serialize)]
pub struct BacklinkView {
    /// The item pointing here.
    pub link: Link,
    /// The sentence around its first reference.
    pub context: String,
    /// The heading that sentence sits under.
    pub section: Option<String>,
    /// Up to three other places it links here, without repeats.
    pub more: Vec<BacklinkContext>,
    /// How many other places there are in all (`more` holds the first three).
    pub more_count: usize,
    /// How many of those `more` leaves out.
    pub rest: usize,
}

/// Another place an item links here.
#[derive(Clone, Debug, Serialize)]
pub struct BacklinkContext {
    /// The sentence.
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
        let told = date.map_or_else(ToldStatus::unknown, |d| self.told_status(d));
        DeadlineView {
            link: self.link(id),
            id: item.id.clone(),
            provision: self.graph.deadline_provision[id.index()].map(|p| self.link(p)),
            instrument_id: self.graph.instrument_of[id.index()]
                .map(|i| self.site.item(i).id.clone())
                .unwrap_or_default(),
            action: details
                .and_then(|d| d.action.as_deref())
                .map_or_else(|| item.title.clone(), |a| plain(self.site, a)),
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
            status: told.slug,
            status_label: told.label,
            remaining: told.remaining,
            days_left: told.days_left,
            audience_ids: self.ids(&audiences),
            agency_ids: self.ids(agencies),
            completed: date.and_then(|d| d.completed.as_ref()).map(|c| self.completed(c)),
            audiences: self.links(&audiences),
            agree,
            disagree,
        }
    }

    /// A deadline's status told against this page's as-of date, in words that claim no
    /// more than the knowledge base knows: a passed deadline is "overdue" only when the
    /// site tracks completions ([`crate::config::DeadlineSettings::track_completion`]).
    pub fn told_status(&self, date: &DeadlineDate) -> ToldStatus {
        let settings = &self.site.config.deadlines;
        if date.status == Status::Moot {
            let moot = Status::Moot;
            return ToldStatus { slug: moot.slug(), label: moot.label(), remaining: String::new(), days_left: None };
        }
        let days_left = date.due.map(|due| (due - self.as_of).num_days());
        let status = match (date.status, days_left) {
            (Status::Passed | Status::DueSoon | Status::Upcoming, Some(days)) if days < 0 => Status::Passed,
            (Status::Passed | Status::DueSoon | Status::Upcoming, Some(days))
                if days <= i64::from(settings.due_soon_days) =>
            {
                Status::DueSoon
            }
            (Status::Passed | Status::DueSoon | Status::Upcoming, Some(_)) => Status::Upcoming,
            (status, _) => status,
        };
        let (slug, label, remaining) = match (status, days_left) {
            (Status::Passed, Some(days)) if settings.track_completion => {
                ("overdue", "overdue", format!("{} overdue", day_count(-days)))
            }
            (Status::Passed, Some(days)) => {
                ("passed", "date passed", format!("{} ago · completion not tracked", day_count(-days)))
            }
            _ => {
                let mut shown = date.clone();
                shown.days_left = days_left;
                (status.slug(), status.label(), days_text(&shown))
            }
        };
        ToldStatus { slug, label, remaining, days_left }
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
                value: self.value_label(&all[n].value),
                explanation: explanation.unwrap_or_default(),
            })
            .collect();
        (agree, disagree)
    }

    /// A claimed value as readers see it: ids of items become their labels ("NSA", not
    /// `nsa`), ISO dates read "31 July 2026"; anything else stays as written.
    pub fn value_label(&self, values: &[String]) -> String {
        let label = |value: &String| {
            if let Some(&id) = self.site.by_id.get(value) {
                return item_label(self.site.item(id));
            }
            match crate::text::parse_iso_date(value).filter(|_| value.len() == 10) {
                Some(date) => human_date(date),
                None => value.clone(),
            }
        };
        values.iter().map(label).collect::<Vec<_>>().join(", ")
    }

    /// A claim.
    pub fn claim(&self, n: usize, claim: &Claim) -> ClaimView {
        let conflicting = self.graph.claim_in_conflict[n];
        let source = self.link(claim.source);
        let anchor = claim_anchor(claim);
        ClaimView {
            href: format!("{}#{anchor}", source.href),
            anchor,
            source,
            subject: self.link(claim.subject),
            attribute: attribute_label(&claim.attribute),
            value: self.value_label(&claim.value),
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
            attribute: attribute_label(&conflict.attribute),
            positions: conflict
                .positions
                .iter()
                .map(|claims| PositionView {
                    value: self.value_label(&all[claims[0]].value),
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

    /// Backlinks of an item, grouped by relation, then by the item linking: one entry
    /// per linking item, with the sentence of each place it links here, as readers see it.
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
            let link = self.link(backlink.from);
            if group.entries.iter().any(|e| e.link.href == link.href) {
                continue;
            }
            let mut places = self.backlink_places(id, backlink).into_iter();
            let first = places.next().unwrap_or(BacklinkContext { context: String::new(), section: None });
            let more_count = places.len();
            // A page cited a hundred times would otherwise quote every sentence: the
            // linking page itself has them all.
            let more: Vec<BacklinkContext> = places.take(MORE_CONTEXTS).collect();
            let rest = more_count - more.len();
            group.entries.push(BacklinkView {
                link,
                context: first.context,
                section: first.section,
                more,
                more_count,
                rest,
            });
        }
        groups
    }

    /// Where `backlink.from` links to `id`: one sentence per reference for links in the
    /// body, the summary or the action for links in front matter.
    fn backlink_places(&self, id: ItemId, backlink: &crate::resolve::Backlink) -> Vec<BacklinkContext> {
        let body = |wanted: fn(Syntax) -> bool| {
            self.derived
                .contexts_of(self.graph, backlink.from, id, wanted)
                .into_iter()
                .map(|c| BacklinkContext {
                    context: c.sentence.to_string(),
                    section: c.section.as_deref().map(str::to_string),
                })
                .collect()
        };
        let text = match backlink.relation {
            Relation::CitedBy => return body(|s| s == Syntax::Citation),
            Relation::DiscussedIn => return body(|s| s != Syntax::Citation),
            Relation::Affects => self.derived.description(self.site, backlink.from),
            Relation::ActsThrough => backlink.context.clone(),
            _ => plain(self.site, &backlink.context),
        };
        vec![BacklinkContext { context: text, section: None }]
    }
}

/// A claim's anchor on its source's page: `claim-3` for the source's third claim.
pub fn claim_anchor(claim: &Claim) -> String {
    format!("claim-{}", claim.index + 1)
}

/// The claim of `source` that a citation of it in the body of `citing` supports, when
/// docket can tell: the source's claims at the citation's locator (a claim's `location`
/// compared ignoring case, spacing and punctuation, "Section" and "Sec." alike), those of
/// them about `citing` when there are any; with no claim at the locator, the source's claims
/// about `citing`. One claim, or several recorded at the same location, is the answer (the
/// first of them); none, or claims from different places, leaves the citation at the page.
pub fn supported_claim<'g>(
    graph: &'g Graph,
    citing: Option<ItemId>,
    source: ItemId,
    locator: Option<&str>,
) -> Option<&'g Claim> {
    let claims: Vec<&Claim> = graph.claims_by(source).map(|(_, claim)| claim).collect();
    let place = locator.map(place_key);
    let at_locator: Vec<&Claim> =
        claims.iter().filter(|c| place.as_ref().is_some_and(|p| *p == place_key(&c.location))).copied().collect();
    let about = |among: &[&'g Claim]| -> Vec<&'g Claim> {
        among.iter().filter(|c| citing == Some(c.subject)).copied().collect()
    };
    let candidates = match about(&at_locator) {
        here if !here.is_empty() => here,
        _ if !at_locator.is_empty() => at_locator,
        _ => about(&claims),
    };
    let first = *candidates.first()?;
    let one_place = candidates.iter().all(|c| place_key(&c.location) == place_key(&first.location));
    one_place.then_some(first)
}

/// A locator or claim location as compared: lower case, letters, digits and brackets only,
/// "section" written "sec".
fn place_key(place: &str) -> String {
    place
        .to_lowercase()
        .replace("section", "sec")
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '(' | ')'))
        .collect()
}

/// An attribute as readers see it: `consulting-agencies` reads "consulting agencies",
/// `due_date` reads "due date".
pub fn attribute_label(attribute: &str) -> String {
    attribute.replace(['-', '_'], " ")
}

/// The days column: "in 12 days", "due today", "38 days overdue" while a deadline is
/// open; "met 3 days early", "met 5 days late" once its completion is recorded; empty
/// for undated deadlines and for moot ones, which are no longer owed.
pub fn days_text(date: &DeadlineDate) -> String {
    if date.status == Status::Moot {
        return String::new();
    }
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

/// The business days an instrument with its own calendar counts: "weekends and U.S.
/// federal holidays excepted" or "weekends excepted", and its closed days.
fn own_calendar(site: &Site, instrument: &Instrument) -> Option<String> {
    let calendar = instrument.own_calendar(&site.config.deadlines.calendar())?;
    let holidays = match calendar.holidays {
        Holidays::UsFederal => "weekends and U.S. federal holidays excepted",
        Holidays::None => "weekends excepted (no public holidays)",
    };
    let closed: Vec<String> = calendar.closed.iter().map(|d| human_date(*d)).collect();
    Some(match closed.is_empty() {
        true => holidays.to_string(),
        false => format!("{holidays}; closed {}", closed.join(", ")),
    })
}

/// An imported note's status in the provisions' words as of `date` ("repealed"), or as
/// written when it is not a provision status (a wiki's "draft").
fn note_status(written: &str, date: NaiveDate) -> String {
    ProvisionStatus::parse(written).map_or_else(|_| written.to_string(), |status| status.describe(date))
}

/// A provision's (or an imported article's) status as a badge with words, as of the
/// as-of date: `None` when it states none or one docket cannot read.
pub fn status_badge(item: &Item, date: NaiveDate) -> Option<StatusBadge> {
    let status = match item.provision() {
        Some(p) => p.status.clone()?,
        None if item.kind == Kind::Note => ProvisionStatus::parse(item.doc.front.status.as_deref()?).ok()?,
        None => return None,
    };
    let standing = status.standing(date);
    Some(StatusBadge { words: standing.words(), slug: standing.slug() })
}

/// A provision status badge: its words and its CSS class suffix.
#[derive(Clone, Debug, Serialize)]
pub struct StatusBadge {
    /// "in force", "repealed".
    pub words: &'static str,
    /// `in-force`, `repealed`.
    pub slug: &'static str,
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
            push("Business days", own_calendar(site, i));
            lifecycle(site, i, &mut push);
        }
        Details::Provision(p) => {
            push("Section", Some(p.number.cited(&p.label)));
            push("Heading", p.heading.clone());
            push("Status", p.status.as_ref().map(|status| status.describe(site.as_of)).or(p.status_unread.clone()));
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
        Details::Note => {
            push("Status", item.doc.front.status.as_deref().map(|written| note_status(written, site.as_of)))
        }
        Details::Deadline(_) | Details::Audience => {}
    }
    if item.kind == Kind::Deadline {
        return Vec::new();
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::place_key;

    #[test]
    fn locators_and_locations_compare_by_their_words_and_numbers() {
        assert_eq!(place_key("Sec. 3(b)(ii)"), place_key("section 3(b)(ii)"));
        assert_eq!(place_key("§ 1 Abs. 1"), place_key("§1 abs 1"));
        assert_ne!(place_key("Sec. 3"), place_key("Sec. 3(a)"));
        assert_ne!(place_key("Absatz 1"), place_key("Absatz 11"));
    }
}
