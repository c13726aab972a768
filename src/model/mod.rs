//! Stage 2, model: parsed documents → a typed, validated, read-only [`Site`].
//!
//! Decides each document's kind (front matter `kind`, else the nearest kind folder, else
//! note), its id, title and route, and moves the front-matter keys its kind uses into a
//! typed struct. Structural errors are reported here: unknown kinds, provisions without a
//! valid number or instrument, unreadable deadline rules, and duplicate ids or routes
//! (naming both files). References between items stay as written; the resolve stage
//! looks them up.

mod kind_keys;
mod provision_number;
mod provision_status;
pub mod tags;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use serde::Serialize;

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, Diagnostics, Related};
use crate::load::front_matter::{
    ActionSpec, AudienceList, AuthorSpec, ClaimSpec, CompletionSpec, RelevanceSpec, ReviewSpec,
};
use crate::load::{Attachment, Document, Loaded};
use crate::rules::{self, Counting, HolidayCalendar, Holidays, NonBusinessDay, Rule};
use crate::text::{closest, slugify};
pub use provision_number::{Numbering, ProvisionNumber, natural_order};
pub use provision_status::{ProvisionStatus, STATUS_FORMS, Standing, State};

/// The kinds of item a knowledge base holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A policy document.
    Instrument,
    /// A section of an instrument.
    Provision,
    /// A commentary source.
    Source,
    /// A dated action.
    Deadline,
    /// A group of readers.
    Audience,
    /// A government body.
    Agency,
    /// A glossary term.
    Term,
    /// A client alert.
    Alert,
    /// Anything else.
    Note,
}

impl Kind {
    /// Every kind, in display order.
    pub const ALL: [Kind; 9] = [
        Kind::Instrument,
        Kind::Provision,
        Kind::Source,
        Kind::Deadline,
        Kind::Audience,
        Kind::Agency,
        Kind::Term,
        Kind::Alert,
        Kind::Note,
    ];

    /// The kind's name in front matter.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Instrument => "instrument",
            Kind::Provision => "provision",
            Kind::Source => "source",
            Kind::Deadline => "deadline",
            Kind::Audience => "audience",
            Kind::Agency => "agency",
            Kind::Term => "term",
            Kind::Alert => "alert",
            Kind::Note => "note",
        }
    }

    /// A kind from its front-matter name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name.trim().to_lowercase())
    }

    /// The kind a folder name stands for.
    pub fn from_folder(folder: &str) -> Option<Kind> {
        Some(match folder.to_lowercase().as_str() {
            "instruments" => Kind::Instrument,
            "provisions" | "sections" => Kind::Provision,
            "sources" => Kind::Source,
            "deadlines" => Kind::Deadline,
            "audiences" => Kind::Audience,
            "agencies" => Kind::Agency,
            "terms" | "glossary" => Kind::Term,
            "alerts" => Kind::Alert,
            _ => return None,
        })
    }
}

/// Index of an item in [`Site::items`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ItemId(pub u32);

impl ItemId {
    /// The index as `usize`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// How much an item matters to an audience, 0–100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Relevance(pub u8);

impl Relevance {
    /// `high`, `medium` or `low`.
    pub fn label(self) -> &'static str {
        match self.0 {
            67.. => "high",
            34..=66 => "medium",
            _ => "low",
        }
    }
}

/// An audience an item names, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AudienceRef {
    /// The audience id as written.
    pub target: String,
    /// How much it matters.
    pub relevance: Relevance,
}

/// An old address of a page, where a small page sends readers on to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redirect {
    /// The output path: `old/path/` (written as `old/path/index.html`) or `old/page.html`.
    pub route: String,
    /// The front-matter key it was written under (`aliases`, `redirect_from`).
    pub key: &'static str,
    /// The value as written, which diagnostics point at.
    pub written: String,
}

/// One item of the knowledge base.
#[derive(Clone, Debug)]
pub struct Item {
    /// Its kind.
    pub kind: Kind,
    /// Its stable id (provisions without an explicit id: `instrument:number`).
    pub id: String,
    /// Page title.
    pub title: String,
    /// Output route, `sections/3-b-ii/` (no leading slash).
    pub route: String,
    /// Summary for lists and meta tags.
    pub summary: Option<String>,
    /// Other names references may use (Obsidian `aliases`; those that are URL paths are
    /// [`Item::redirects`] instead).
    pub aliases: Vec<String>,
    /// Tags: the front matter's, then those written inline (`#policy`), once each
    /// whatever their case, without `#`.
    pub tags: Vec<String>,
    /// Old addresses that redirect to this page: Hugo `aliases` that are URL paths and
    /// Jekyll `redirect_from`.
    pub redirects: Vec<Redirect>,
    /// Audiences named, with relevance.
    pub audiences: Vec<AudienceRef>,
    /// Last reviewed.
    pub updated: Option<NaiveDate>,
    /// Explicit sort position.
    pub order: Option<i64>,
    /// Checklist items.
    pub actions: Vec<ActionSpec>,
    /// Open questions.
    pub questions: Vec<String>,
    /// Conflicts an editor has reviewed on this item.
    pub reviewed_conflicts: Vec<ReviewSpec>,
    /// The instrument bare provision numbers in this item refer to.
    pub instrument: Option<ItemId>,
    /// Kind-specific fields.
    pub details: Details,
    /// The document it came from.
    pub doc: Document,
}

/// The fields only one kind has.
#[derive(Clone, Debug)]
pub enum Details {
    /// See [`Instrument`].
    Instrument(Instrument),
    /// See [`Provision`].
    Provision(Provision),
    /// See [`Source`].
    Source(Source),
    /// See [`Deadline`].
    Deadline(Deadline),
    /// Audiences need nothing beyond the common fields.
    Audience,
    /// See [`Agency`].
    Agency(Agency),
    /// See [`Term`].
    Term(Term),
    /// See [`Alert`].
    Alert(Alert),
    /// Notes need nothing beyond the common fields.
    Note,
}

/// A policy document.
#[derive(Clone, Debug, Default)]
pub struct Instrument {
    /// "executive order", "statute", ...
    pub subtype: Option<String>,
    /// Official citation.
    pub citation: Option<String>,
    /// Signing date.
    pub signed: Option<NaiveDate>,
    /// Effective date (defaults to signing).
    pub effective: Option<NaiveDate>,
    /// "in effect", "rescinded", ...
    pub status: Option<String>,
    /// Official URL.
    pub url: Option<String>,
    /// Named dates deadlines may be anchored on.
    pub events: BTreeMap<String, NaiveDate>,
    /// Short form naming it among several ("EO 14028"), from `short`.
    pub short: Option<String>,
    /// The label it prints before provision numbers (`Sec.`, `§`, `Article`), from
    /// `section_label`.
    pub section_label: Option<String>,
    /// When it was revoked or rescinded, if it was.
    pub revoked: Option<NaiveDate>,
    /// The instrument that revoked it, as written.
    pub revoked_by: Option<String>,
    /// Instruments it amends, as written.
    pub amends: Vec<String>,
    /// Instruments it supersedes, as written.
    pub supersedes: Vec<String>,
    /// The numbering scheme it declares (`numbering`), which its provisions must fit.
    pub numbering: Option<Numbering>,
    /// The public holidays of its jurisdiction, when it names its own (`holidays`).
    pub holidays: Option<Holidays>,
    /// The closed days of its jurisdiction, when it lists its own (`closed_dates`).
    pub closed_dates: Option<Vec<NaiveDate>>,
}

impl Instrument {
    /// Whether it had been revoked by `date` (revoked on or before it).
    pub fn revoked_by_date(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.revoked.filter(|revoked| *revoked <= date)
    }

    /// The business-day calendar of its deadlines, when it differs from the knowledge
    /// base's `base`: its own `holidays`, its own `closed_dates`, each else the base's. An
    /// EU regulation in a U.S. knowledge base counts without U.S. federal holidays.
    pub fn own_calendar(&self, base: &HolidayCalendar) -> Option<HolidayCalendar> {
        if self.holidays.is_none() && self.closed_dates.is_none() {
            return None;
        }
        Some(HolidayCalendar {
            holidays: self.holidays.unwrap_or(base.holidays),
            closed: match &self.closed_dates {
                Some(dates) => dates.iter().copied().collect(),
                None => base.closed.clone(),
            },
        })
    }
}

/// A section of an instrument.
#[derive(Clone, Debug)]
pub struct Provision {
    /// Its number within the instrument.
    pub number: ProvisionNumber,
    /// The instrument it belongs to.
    pub instrument: ItemId,
    /// Official heading.
    pub heading: Option<String>,
    /// The label cited before its number: the instrument's `section_label`, else its
    /// numbering scheme's, else the one the number was written with (`Article 6`), else
    /// `Sec.`.
    pub label: String,
    /// The print label the number was written with, if any (`Art.` of `Art. 113`).
    pub written_label: Option<&'static str>,
    /// Its status, typed: "in force", "repealed on 2025-02-01", "reserved", "amended on
    /// 2025-02-01", "in force from 2026-08-02".
    pub status: Option<ProvisionStatus>,
    /// A status docket could not read (reported as a warning), shown as written.
    pub status_unread: Option<String>,
    /// The instrument's short form ("EO 14028"), set when provisions of more than one
    /// instrument exist, so every label says which instrument "Sec. 3(a)" belongs to.
    pub instrument_short: Option<String>,
    /// Acting agencies, as written.
    pub agencies: Vec<String>,
    /// Agencies consulted, as written.
    pub consulting: Vec<String>,
}

/// A commentary source.
#[derive(Clone, Debug, Default)]
pub struct Source {
    /// "news report", "law-firm client alert", ...
    pub subtype: Option<String>,
    /// Publisher, when the text states one.
    pub publisher: Option<String>,
    /// Author, when the text states one.
    pub author: Option<String>,
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Where it was published.
    pub url: Option<String>,
    /// Short citation label.
    pub short: Option<String>,
    /// Claims as written.
    pub claims: Vec<ClaimSpec>,
    /// The note's body is the source's own text, against which claim quotes are checked.
    pub full_text: bool,
}

/// A dated action an instrument requires.
#[derive(Clone, Debug)]
pub struct Deadline {
    /// Provision reference, as written.
    pub provision: Option<String>,
    /// What must be done.
    pub action: Option<String>,
    /// Acting agencies, as written.
    pub agencies: Vec<String>,
    /// Agencies consulted, as written.
    pub consulting: Vec<String>,
    /// The rule as written.
    pub rule_text: Option<String>,
    /// The parsed rule (`None` when missing or unreadable).
    pub rule: Option<Rule>,
    /// Counting convention.
    pub counting: Counting,
    /// Weekend and holiday policy.
    pub non_business_day: NonBusinessDay,
    /// Recorded completion.
    pub completed: Option<CompletionSpec>,
}

/// A government body.
#[derive(Clone, Debug, Default)]
pub struct Agency {
    /// Acronym.
    pub short: Option<String>,
    /// Agency it acts through, as written.
    pub parent: Option<String>,
    /// Official URL.
    pub url: Option<String>,
}

/// A glossary term.
#[derive(Clone, Debug, Default)]
pub struct Term {
    /// One-line definition.
    pub short: Option<String>,
}

/// A client alert.
#[derive(Clone, Debug, Default)]
pub struct Alert {
    /// Publication date.
    pub date: Option<NaiveDate>,
    /// Authors.
    pub authors: Vec<AuthorSpec>,
    /// Key takeaways.
    pub takeaways: Vec<String>,
    /// Contact block.
    pub contact: Option<String>,
}

impl Item {
    /// The provision fields, for provisions.
    pub fn provision(&self) -> Option<&Provision> {
        match &self.details {
            Details::Provision(p) => Some(p),
            _ => None,
        }
    }

    /// The deadline fields, for deadlines.
    pub fn deadline(&self) -> Option<&Deadline> {
        match &self.details {
            Details::Deadline(d) => Some(d),
            _ => None,
        }
    }

    /// The source fields, for sources.
    pub fn source(&self) -> Option<&Source> {
        match &self.details {
            Details::Source(s) => Some(s),
            _ => None,
        }
    }

    /// The instrument fields, for instruments.
    pub fn instrument_details(&self) -> Option<&Instrument> {
        match &self.details {
            Details::Instrument(i) => Some(i),
            _ => None,
        }
    }

    /// A short label: a provision's "Sec. 3(b)" (or "Article 6(1)", as its instrument
    /// cites it; "EO 14028 § 10.1(b)" when several instruments have provisions), a
    /// source's short form, an agency's
    /// acronym, else the title.
    pub fn short_label(&self) -> String {
        match &self.details {
            Details::Provision(p) if p.number.is_numbered() => match &p.instrument_short {
                Some(short) => format!("{short} {}", p.number.cited(&p.label)),
                None => p.number.cited(&p.label),
            },
            Details::Source(Source { short: Some(short), .. }) => short.clone(),
            Details::Agency(Agency { short: Some(short), .. }) => short.clone(),
            _ => self.title.clone(),
        }
    }

    /// How a reference to the item reads when the author gave no label: the short label
    /// of a provision, source or agency, else the title. (On the model, so that every
    /// stage that names an item — render, export — reads the same words without
    /// importing the renderer.)
    pub fn label(&self) -> String {
        match self.kind {
            Kind::Provision | Kind::Source | Kind::Agency => self.short_label(),
            _ => self.title.clone(),
        }
    }

    /// A longer label for cards and headings: "Sec. 3(b)(ii): Prerelease access".
    pub fn label_long(&self) -> String {
        match self.provision() {
            Some(p) if p.number.is_numbered() && self.title != p.number.to_string() => {
                format!("{}: {}", self.short_label(), self.title)
            }
            Some(p) if p.number.is_numbered() => self.short_label(),
            _ => self.title.clone(),
        }
    }
}

/// The whole knowledge base, typed and validated.
#[derive(Clone, Debug)]
pub struct Site {
    /// Configuration.
    pub config: SiteConfig,
    /// The date deadline status is computed against.
    pub as_of: NaiveDate,
    /// Every published item, sorted by route.
    pub items: Vec<Item>,
    /// `content/_index.md`, the home page introduction.
    pub home: Option<Document>,
    /// Files copied as they are.
    pub attachments: Vec<Attachment>,
    /// Item by id.
    pub by_id: HashMap<String, ItemId>,
    /// The instrument bare provision numbers refer to by default.
    pub default_instrument: Option<ItemId>,
    /// Every tag items carry, for the tag pages.
    pub tags: tags::Tags,
}

impl Site {
    /// The item with this index.
    pub fn item(&self, id: ItemId) -> &Item {
        &self.items[id.index()]
    }

    /// Items of one kind, in route order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (ItemId, &Item)> {
        self.items.iter().enumerate().filter(move |(_, i)| i.kind == kind).map(|(n, i)| (ItemId(n as u32), i))
    }
}

/// Builds the site model from loaded documents.
pub fn build(config: SiteConfig, as_of: NaiveDate, loaded: Loaded, diagnostics: &mut Diagnostics) -> Site {
    let mut home = None;
    let mut drafts = Vec::new();
    let mut prepared = Vec::new();
    for doc in loaded.documents {
        if doc.rel_path == "_index.md" || doc.rel_path == "index.md" {
            home = Some(doc);
        } else if (doc.front.draft && !config.drafts) || never_published(&doc) {
            drafts.push(doc.rel_path.clone());
        } else {
            prepared.push(prepare(doc, &config.unprefixed, diagnostics));
        }
    }
    // A page whose URL is the site root (`_pages/index.md` of a Jekyll collection published
    // by path, a `permalink: /`) is the home page when the root has no index of its own.
    if let Some(at) = prepared.iter().position(|p| p.route == "/" || p.route.is_empty())
        && home.is_none()
    {
        home = Some(prepared.remove(at).doc);
    }
    prepared.sort_by(|a, b| a.route.cmp(&b.route).then_with(|| a.doc.rel_path.cmp(&b.doc.rel_path)));
    check_unique_routes(&mut prepared, diagnostics);
    name_by_default(&mut prepared, config.references.ids);
    let instruments = instrument_index(&prepared);
    let default_instrument = pick_default_instrument(&config, &instruments, diagnostics);
    let items: Vec<Item> =
        prepared.into_iter().map(|p| finish(p, &instruments, default_instrument, &config, diagnostics)).collect();
    let mut items = items;
    name_provisions(&mut items);
    label_provisions(&mut items, diagnostics);
    let by_id = check_unique_ids(&items, diagnostics);
    let tags = tags::Tags::new(&items);
    Site { config, as_of, items, home, attachments: loaded.attachments, by_id, default_instrument, tags }
}

/// A document with its kind, route and title decided, before kind-specific fields.
struct Prepared {
    kind: Kind,
    route: String,
    title: String,
    doc: Document,
    /// The id when the front matter sets none: see [`name_by_default`].
    default_id: String,
}

fn prepare(doc: Document, unprefixed: &[String], diagnostics: &mut Diagnostics) -> Prepared {
    let kind = decide_kind(&doc, diagnostics);
    for diagnostic in kind_keys::misplaced_keys(&doc, kind) {
        diagnostics.push(diagnostic);
    }
    let title = doc
        .front
        .title
        .clone()
        .or_else(|| doc.front.heading.clone().filter(|_| kind == Kind::Provision))
        .or_else(|| title_heading(&doc))
        .unwrap_or_else(|| natural_name(&doc.rel_path).to_string());
    let route = route_for(&doc, kind, unprefixed);
    let default_id = natural_name(&doc.rel_path).to_string();
    Prepared { kind, route, title, doc, default_id }
}

/// The text of a note's first heading when it is a level-1 heading, the note's own
/// title. A note that opens with `## Change the title` (Obsidian's help vault, whose
/// notes are named by their files) is not called that: its file name is its title.
pub fn title_heading(doc: &Document) -> Option<String> {
    doc.outline.headings.first().filter(|heading| heading.level == 1).map(|heading| heading.text.clone())
}

fn decide_kind(doc: &Document, diagnostics: &mut Diagnostics) -> Kind {
    if let Some(name) = &doc.front.kind {
        if let Some(kind) = Kind::from_name(name) {
            return kind;
        }
        let names = Kind::ALL.map(Kind::name);
        let mut diagnostic = doc.key_diagnostic("unknown-kind", "kind", 0, format!("`{name}` is not an item kind"));
        diagnostic = diagnostic.with_hint(match closest(name, names) {
            Some(best) => format!("did you mean `{best}`? kinds are: {}", names.join(", ")),
            None => format!("kinds are: {}", names.join(", ")),
        });
        diagnostics.push(diagnostic);
    }
    let folders: Vec<&str> = doc.rel_path.split('/').collect();
    folders[..folders.len() - 1].iter().rev().find_map(|f| Kind::from_folder(f)).unwrap_or(Kind::Note)
}

fn file_stem(rel_path: &str) -> &str {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    name.strip_suffix(".md").or_else(|| name.strip_suffix(".MD")).unwrap_or(name)
}

/// The output route of a document: its path under content, slugified, with `index.md`
/// standing for its folder and `slug` replacing the last segment. Audiences land under
/// `for/`.
fn route_for(doc: &Document, kind: Kind, unprefixed: &[String]) -> String {
    if let Some(route) = doc.front.permalink.as_deref().or(hugo_url(doc)).and_then(permalink_route) {
        return route;
    }
    let rel_path = unprefixed
        .iter()
        .find_map(|folder| doc.rel_path.strip_prefix(folder.as_str())?.strip_prefix('/'))
        .unwrap_or(&doc.rel_path);
    let mut segments: Vec<String> = rel_path.split('/').map(|s| slugify(file_stem(s))).collect();
    let mut last = segments.pop().unwrap_or_default();
    if matches!(file_stem(doc.rel_path.rsplit('/').next().unwrap_or_default()), "index" | "_index") {
        // A folder's page: its own segment is the folder's name, which a `slug` replaces
        // (as in a Hugo bundle), rather than a segment added under it.
        last = segments.pop().unwrap_or_default();
    }
    // An empty slug (`slug: ""`) says nothing: the name stays the file's or folder's.
    let own = doc.front.slug.as_deref().map(slugify).filter(|slug| !slug.is_empty()).unwrap_or(last);
    if kind == Kind::Audience {
        segments = vec!["for".to_string()];
    }
    if !own.is_empty() {
        segments.push(own);
    }
    segments.retain(|s| !s.is_empty());
    let mut route = segments.join("/");
    route.push('/');
    route
}

/// `permalink: false`, Eleventy's way of keeping a page (a navigation parent, a data
/// file) out of the output: it was published at `/false/`.
fn never_published(doc: &Document) -> bool {
    doc.front.permalink.as_deref().is_some_and(|permalink| permalink.trim() == "false")
}

/// Hugo's `url`, which sets a page's whole URL like a permalink when it is a path from
/// the site root (`/about/`); docket's own `url` is an address elsewhere (`https://…`).
fn hugo_url(doc: &Document) -> Option<&str> {
    doc.front.url.as_deref().map(str::trim).filter(|url| url.starts_with('/') && !url.starts_with("//"))
}

/// The route a Jekyll or Hugo `permalink` gives (`/guidance/email.html` →
/// `guidance/email/`), each segment slugified like a path; `None` for one holding
/// placeholders such as `:title`, which stay the generator's own business.
fn permalink_route(permalink: &str) -> Option<String> {
    if permalink.contains(':') {
        return None;
    }
    let path = permalink.trim().trim_matches('/');
    let path = path.strip_suffix(".html").or_else(|| path.strip_suffix("/index")).unwrap_or(path);
    let path = path.strip_suffix("/index").unwrap_or(path);
    let segments: Vec<String> = path.split('/').map(slugify).filter(|s| !s.is_empty()).collect();
    (!segments.is_empty()).then(|| format!("{}/", segments.join("/")))
}

/// Reports notes that would be published at the same route; only the first is kept, so
/// later stages do not report the clash again.
fn check_unique_routes(prepared: &mut Vec<Prepared>, diagnostics: &mut Diagnostics) {
    for pair in prepared.windows(2) {
        if pair[0].route == pair[1].route {
            let first = &pair[0].doc;
            let later = &pair[1].doc;
            let at = later
                .text()
                .ok()
                .and_then(|text| crate::text::find_key(&text[later.front_range.clone()], "slug"))
                .map(|r| later.front_range.start + r.start..later.front_range.start + r.end)
                .unwrap_or(0..0);
            diagnostics.push(
                later
                    .diagnostic(
                        "duplicate-route",
                        at,
                        format!(
                            "this note would be published at /{}, like {}",
                            pair[1].route,
                            first.display_path.display()
                        ),
                    )
                    .with_hint("give one of them a different file name or a `slug`")
                    .with_related(Related {
                        path: first.display_path.clone(),
                        line: 0,
                        column: 0,
                        message: "the other note".into(),
                    }),
            );
        }
    }
    prepared.dedup_by(|later, earlier| later.route == earlier.route);
}

fn instrument_index(prepared: &[Prepared]) -> HashMap<String, ItemId> {
    prepared
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == Kind::Instrument)
        .map(|(n, p)| (item_id_for(p), ItemId(n as u32)))
        .collect()
}

fn item_id_for(p: &Prepared) -> String {
    p.doc.front.id.clone().unwrap_or_else(|| p.default_id.clone())
}

/// The name a file goes by: its file name without `.md`, or its folder's name for an
/// `index.md` or `_index.md` (a Hugo bundle, `laws/law-x/index.md` is `law-x`).
pub fn natural_name(rel_path: &str) -> &str {
    let path = path_name(rel_path);
    path.rsplit('/').next().unwrap_or(path)
}

/// A file's path under the content folder without `.md`, and without a final `/index` or
/// `/_index` (`memo-1/introduction`, `laws/law-x`).
pub fn path_name(rel_path: &str) -> &str {
    let path = rel_path.strip_suffix(".md").or_else(|| rel_path.strip_suffix(".MD")).unwrap_or(rel_path);
    path.strip_suffix("/index").or_else(|| path.strip_suffix("/_index")).unwrap_or(path)
}

/// Decides the id of every item whose front matter sets none. By name (the default), an
/// item keeps its [`natural_name`] unless another item answers to it too (by its own
/// id or name), and then it is known by its path, as Obsidian names notes whose file
/// names collide; `ids = "path"` names every item by its path. Provisions without an id
/// are named by their number later (see [`name_provisions`]) and take no part.
fn name_by_default(prepared: &mut [Prepared], scheme: crate::config::IdScheme) {
    let named_later = |p: &Prepared| p.kind == Kind::Provision && p.doc.front.id.is_none();
    let mut claims: HashMap<String, usize> = HashMap::with_capacity(prepared.len());
    for p in prepared.iter().filter(|p| !named_later(p)) {
        *claims.entry(item_id_for(p)).or_default() += 1;
    }
    for p in prepared.iter_mut().filter(|p| p.doc.front.id.is_none() && !named_later(p)) {
        let shared = claims.get(&p.default_id).is_some_and(|&n| n > 1);
        if shared || scheme == crate::config::IdScheme::Path {
            p.default_id = path_name(&p.doc.rel_path).to_string();
        }
    }
}

fn pick_default_instrument(
    config: &SiteConfig,
    instruments: &HashMap<String, ItemId>,
    diagnostics: &mut Diagnostics,
) -> Option<ItemId> {
    match &config.default_instrument {
        Some(id) => {
            let found = instruments.get(id).copied();
            if found.is_none() {
                let mut diagnostic = Diagnostic::at(
                    "config",
                    crate::config::CONFIG_FILE,
                    "",
                    0..0,
                    format!("default_instrument `{id}` is not an instrument of the knowledge base"),
                );
                if let Some(best) = closest(id, instruments.keys().map(String::as_str)) {
                    diagnostic = diagnostic.with_hint(format!("did you mean `{best}`?"));
                }
                diagnostics.push(diagnostic);
            }
            found
        }
        None if instruments.len() == 1 => instruments.values().next().copied(),
        None => None,
    }
}

fn finish(
    mut p: Prepared,
    instruments: &HashMap<String, ItemId>,
    default_instrument: Option<ItemId>,
    config: &SiteConfig,
    diagnostics: &mut Diagnostics,
) -> Item {
    let instrument = match &p.doc.front.instrument {
        Some(id) => {
            let found = instruments.get(id).copied();
            if found.is_none() {
                diagnostics.push(unknown_instrument(&p.doc, id, instruments));
            }
            found
        }
        None => default_instrument,
    };
    let id = item_id_for(&p);
    let (aliases, redirects) = aliases_and_redirects(&p.doc, &p.route, diagnostics);
    let tags = merged_tags(&p.doc);
    let front = &mut p.doc.front;
    let audiences = audience_refs(front.audiences.take());
    let mut item = Item {
        kind: p.kind,
        id,
        title: p.title,
        route: p.route,
        summary: front.summary.take().or_else(|| p.doc.outline.first_paragraph.clone()),
        aliases,
        tags,
        redirects,
        audiences,
        updated: front.updated.map(|d| d.0),
        order: front.order,
        actions: std::mem::take(&mut front.actions),
        questions: std::mem::take(&mut front.questions),
        reviewed_conflicts: std::mem::take(&mut front.reviewed_conflicts),
        instrument,
        details: Details::Note,
        doc: p.doc,
    };
    item.details = details_for(&mut item, config, diagnostics);
    item
}

/// The front matter's tags, then the body's inline `#tags`, each once (compared by their
/// page, so without case; the first spelling wins).
fn merged_tags(doc: &Document) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    // `tags: policy, law` is one string in YAML; Obsidian reads it as two tags.
    let front = doc.front.tags.0.iter().flat_map(|tags| tags.split(','));
    let written = front.chain(doc.outline.tags.iter().map(String::as_str));
    written
        .map(crate::markdown::clean_tag)
        .filter(|tag| !tag.is_empty() && seen.insert(crate::markdown::tag_route(tag)))
        .collect()
}

/// Splits `aliases` into names for references (Obsidian's) and old URL paths (Hugo's):
/// an alias that starts with `/`, or ends with `/` or `.html`, is a path; a relative one
/// is taken from the page's folder, as Hugo does. Jekyll's `redirect_from` holds paths
/// only, from the site root. A path that climbs out of the site (`..`) is an error at its
/// value.
fn aliases_and_redirects(doc: &Document, route: &str, diagnostics: &mut Diagnostics) -> (Vec<String>, Vec<Redirect>) {
    let (paths, names): (Vec<&String>, Vec<&String>) =
        doc.front.aliases.0.iter().partition(|alias| looks_like_path(alias));
    let written =
        paths.into_iter().map(|p| ("aliases", p)).chain(doc.front.redirect_from.0.iter().map(|p| ("redirect_from", p)));
    let mut redirects = Vec::new();
    for (key, path) in written {
        // Hugo reads a relative alias from the page's folder; jekyll-redirect-from reads
        // every `redirect_from` from the site root (18F's guides write `affinity-mapping/`
        // on /methods/decide/affinity-mapping/).
        let folder = if key == "aliases" { route } else { "" };
        match redirect_route(path, folder) {
            // An old address that is the page's own (the same path written both ways) has
            // nothing to redirect.
            Some(target) if target == route => {}
            Some(target) => redirects.push(Redirect { route: target, key, written: path.clone() }),
            None => diagnostics.push(
                doc.value_diagnostic("redirect", key, path, format!("`{path}` is not a path on this site"))
                    .with_hint("write the old address as a path from the site root, like `/old/page/`, without `..`"),
            ),
        }
    }
    (names.into_iter().cloned().collect(), redirects)
}

/// Whether an alias is an old URL path rather than another name of the note.
fn looks_like_path(alias: &str) -> bool {
    let alias = alias.trim();
    alias.starts_with('/') || alias.ends_with('/') || alias.ends_with(".html") || alias.ends_with(".htm")
}

/// The output path of a redirect written as `path`, a relative one taken from the folder
/// of the page at `route` (`""`: from the site root): `old/path/` for a folder,
/// `old/page.html` for a file; `None` for an address that is not a path under the site
/// root (`..`, `https://…`, the root itself).
fn redirect_route(path: &str, route: &str) -> Option<String> {
    let path = path.trim();
    if path.contains("://") || path.starts_with("//") || path.contains(['?', '#', '\\']) {
        return None;
    }
    let folder = route.trim_end_matches('/').rsplit_once('/').map_or("", |(folder, _)| folder);
    let full = match path.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None if folder.is_empty() => path.to_string(),
        None => format!("{folder}/{path}"),
    };
    let segments: Vec<&str> = full.split('/').filter(|s| !s.is_empty()).collect();
    if segments.is_empty() || segments.iter().any(|s| *s == ".." || *s == ".") {
        return None;
    }
    let joined = segments.join("/");
    if let Some(folder) = joined.strip_suffix("index.html") {
        return Some(folder.to_string()).filter(|folder| !folder.is_empty());
    }
    let is_file = joined.ends_with(".html") || joined.ends_with(".htm");
    Some(if is_file { joined } else { format!("{joined}/") })
}

fn unknown_instrument(doc: &Document, id: &str, instruments: &HashMap<String, ItemId>) -> Diagnostic {
    let mut diagnostic =
        doc.key_diagnostic("unknown-instrument", "instrument", 0, format!("there is no instrument `{id}`"));
    if let Some(best) = closest(id, instruments.keys().map(String::as_str)) {
        diagnostic = diagnostic.with_hint(format!("did you mean `{best}`?"));
    } else {
        diagnostic = diagnostic.with_hint("add a note under instruments/ with this id");
    }
    diagnostic
}

fn audience_refs(list: Option<AudienceList>) -> Vec<AudienceRef> {
    let medium = Relevance(50);
    match list {
        None => Vec::new(),
        Some(AudienceList::Ids(ids)) => {
            ids.into_iter().map(|target| AudienceRef { target, relevance: medium }).collect()
        }
        Some(AudienceList::Weighted(map)) => map
            .into_iter()
            .map(|(target, spec)| {
                let relevance = match spec {
                    RelevanceSpec::Number(n) => Relevance(n.clamp(0, 100) as u8),
                    RelevanceSpec::Word(word) => match word.to_lowercase().as_str() {
                        "high" => Relevance(90),
                        "low" => Relevance(20),
                        _ => medium,
                    },
                };
                AudienceRef { target, relevance }
            })
            .collect(),
    }
}

fn details_for(item: &mut Item, config: &SiteConfig, diagnostics: &mut Diagnostics) -> Details {
    let url = web_url(&item.doc, diagnostics);
    let numbering = (item.kind == Kind::Instrument).then(|| numbering(&item.doc, diagnostics)).flatten();
    let front = &mut item.doc.front;
    match item.kind {
        Kind::Instrument => Details::Instrument(Instrument {
            subtype: front.subtype.take(),
            citation: front.citation.take(),
            signed: front.signed.map(|d| d.0),
            effective: front.effective.or(front.signed).map(|d| d.0),
            status: front.status.take(),
            url,
            events: std::mem::take(&mut front.events).into_iter().map(|(k, v)| (k, v.0)).collect(),
            short: front.short.take(),
            section_label: front.section_label.take(),
            revoked: front.revoked.as_ref().and_then(|r| r.date).map(|d| d.0),
            revoked_by: front.revoked.as_mut().and_then(|r| r.by.take()),
            amends: std::mem::take(&mut front.amends.0),
            supersedes: std::mem::take(&mut front.supersedes.0),
            numbering,
            holidays: front.holidays,
            closed_dates: front.closed_dates.take().map(|dates| dates.into_iter().map(|d| d.0).collect()),
        }),
        Kind::Provision => provision_details(item, diagnostics),
        Kind::Source => Details::Source(Source {
            subtype: front.subtype.take(),
            publisher: front.publisher.take(),
            author: front.author.take(),
            date: front.date.map(|d| d.0),
            url,
            short: front.short.take(),
            claims: std::mem::take(&mut front.claims),
            full_text: front.full_text,
        }),
        Kind::Deadline => deadline_details(item, config, diagnostics),
        Kind::Audience => Details::Audience,
        Kind::Agency => Details::Agency(Agency { short: front.short.take(), parent: front.parent.take(), url }),
        Kind::Term => Details::Term(Term { short: front.short.take() }),
        Kind::Alert => Details::Alert(Alert {
            date: front.date.map(|d| d.0),
            authors: std::mem::take(&mut front.authors),
            takeaways: std::mem::take(&mut front.takeaways),
            contact: front.contact.take(),
        }),
        Kind::Note => Details::Note,
    }
}

/// The item's `url` when it is safe to publish as a link: a web or mail address, or a
/// relative one. Any other scheme (`javascript:`, `data:`, `vbscript:`) would make a link
/// that runs code when a reader clicks it, and is an error.
fn web_url(doc: &Document, diagnostics: &mut Diagnostics) -> Option<String> {
    if hugo_url(doc).is_some() {
        return None;
    }
    let url = doc.front.url.as_deref()?.trim();
    let scheme = url.split_once(':').map(|(scheme, _)| scheme.to_ascii_lowercase());
    let safe = match scheme.as_deref() {
        None | Some("http" | "https" | "mailto") => true,
        Some(scheme) => scheme.contains(['/', '?', '#']),
    };
    if safe {
        return Some(url.to_string());
    }
    diagnostics.push(
        doc.key_diagnostic("url", "url", 0, format!("`{url}` is not a web address"))
            .with_hint("write an http:// or https:// address (or leave `url` out)"),
    );
    None
}

fn provision_details(item: &mut Item, diagnostics: &mut Diagnostics) -> Details {
    let doc = &item.doc;
    let (number, label) = match doc.front.number.as_deref().map(ProvisionNumber::parse_labelled) {
        Some(Ok(parsed)) => parsed,
        Some(Err(message)) => {
            diagnostics.push(doc.key_diagnostic("provision-number", "number", 0, message).with_hint(
                "write the instrument's own numbering: `2(c)(iii)`, `10.1(b)`, `4.2.1`, `Article 6(1)(a)`, \
                         `§ 1.1(a)`, `31A`, `Part III` or `Title II, Subtitle B`",
            ));
            return Details::Note;
        }
        None => {
            diagnostics.push(
                doc.diagnostic("provision-number", 0..0, "a provision needs a `number`")
                    .with_hint("add `number = \"3(b)(ii)\"` (the instrument's own numbering) to the front matter"),
            );
            return Details::Note;
        }
    };
    let Some(instrument) = item.instrument else {
        diagnostics.push(
            doc.diagnostic("unknown-instrument", 0..0, "this provision does not say which instrument it belongs to")
                .with_hint("add `instrument = \"id\"`, or set `default_instrument` in docket.toml"),
        );
        return Details::Note;
    };
    let (status, status_unread) = provision_status(doc, diagnostics);
    let front = &mut item.doc.front;
    Details::Provision(Provision {
        number,
        instrument,
        heading: front.heading.take(),
        label: label.unwrap_or("Sec.").to_string(),
        written_label: label,
        status,
        status_unread,
        instrument_short: None,
        agencies: std::mem::take(&mut front.agencies),
        consulting: std::mem::take(&mut front.consulting),
    })
}

/// The provision's `status`, typed; a status docket cannot read is a warning at the value
/// and is kept as written.
fn provision_status(doc: &Document, diagnostics: &mut Diagnostics) -> (Option<ProvisionStatus>, Option<String>) {
    let Some(text) = doc.front.status.as_deref() else { return (None, None) };
    match ProvisionStatus::parse(text) {
        Ok(status) => (Some(status), None),
        Err(message) => {
            let range = value_range(doc, "status", text).unwrap_or(0..0);
            diagnostics.push(
                doc.diagnostic("provision-status", range, message)
                    .with_hint(format!("write one of {STATUS_FORMS}"))
                    .warning(),
            );
            (None, Some(text.to_string()))
        }
    }
}

fn deadline_details(item: &mut Item, config: &SiteConfig, diagnostics: &mut Diagnostics) -> Details {
    let doc = &item.doc;
    let rule_text = doc.front.rule.clone();
    let rule = match &rule_text {
        None => {
            diagnostics.push(doc.diagnostic("deadline-rule", 0..0, "a deadline needs a `rule`").with_hint(
                "e.g. rule = \"within 30 days of signing\", \"no later than 2026-09-30\", \"ongoing\" or \"unknown\"",
            ));
            None
        }
        Some(text) => match rules::parse_rule(text) {
            Ok(rule) => Some(rule),
            Err(error) => {
                let range = value_range(doc, "rule", text)
                    .map(|r| r.start + error.offset..r.start + error.offset + error.len.max(1))
                    .unwrap_or(0..0);
                diagnostics.push(doc.diagnostic("deadline-rule", range, error.message).with_hint(error.hint));
                None
            }
        },
    };
    let front = &mut item.doc.front;
    Details::Deadline(Deadline {
        provision: front.provision.take(),
        action: front.action.take(),
        agencies: std::mem::take(&mut front.agencies),
        consulting: std::mem::take(&mut front.consulting),
        rule_text,
        rule,
        counting: front.counting.unwrap_or(config.deadlines.counting),
        non_business_day: front.non_business_day.unwrap_or(config.deadlines.non_business_day),
        completed: front.completed.take(),
    })
}

/// The byte range (in the file) of a front-matter value as written after `key`.
pub fn value_range(doc: &Document, key: &str, value: &str) -> Option<std::ops::Range<usize>> {
    let text = doc.text().ok()?;
    let front = &text[doc.front_range.clone()];
    let key_range = crate::text::find_key(front, key)?;
    let at = front[key_range.end..].find(value)? + key_range.end;
    Some(doc.front_range.start + at..doc.front_range.start + at + value.len())
}

fn check_unique_ids(items: &[Item], diagnostics: &mut Diagnostics) -> HashMap<String, ItemId> {
    let mut by_id: HashMap<String, ItemId> = HashMap::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        if let Some(first) = by_id.get(&item.id) {
            let first = &items[first.index()].doc;
            // A provision without an `id` is named by its instrument and number: renaming
            // the file would not help, a different number does.
            let (key, hint) = match item.provision() {
                Some(provision) if item.doc.front.id.is_none() => (
                    "number",
                    format!("two provisions have number `{}`; give this one another `number`", provision.number),
                ),
                _ => ("id", "ids must be unique across the knowledge base; rename one of them".to_string()),
            };
            diagnostics.push(
                item.doc
                    .key_diagnostic(
                        "duplicate-id",
                        key,
                        0,
                        format!("the id `{}` is already used by {}", item.id, first.display_path.display()),
                    )
                    .with_hint(hint)
                    .with_related(Related {
                        path: first.display_path.clone(),
                        line: 0,
                        column: 0,
                        message: "first used here".into(),
                    }),
            );
        } else {
            by_id.insert(item.id.clone(), ItemId(n as u32));
        }
    }
    by_id
}

/// Provisions without an explicit id are known as `instrument:number`.
fn name_provisions(items: &mut [Item]) {
    for n in 0..items.len() {
        let Some(provision) = items[n].provision() else { continue };
        if items[n].doc.front.id.is_none() {
            let instrument = &items[provision.instrument.index()].id;
            items[n].id = format!("{instrument}:{}", provision.number);
        }
    }
}

/// Provisions are cited with the label their instrument declares (`section_label`), when
/// it declares one: an EU regulation's "Article 6(1)", a rule's "§ 1.1(a)". When
/// provisions of more than one instrument exist, each also carries its instrument's short
/// form (`short`, else `citation`, else the title).
fn label_provisions(items: &mut [Item], diagnostics: &mut Diagnostics) {
    let mut with_provisions: Vec<ItemId> = items.iter().filter_map(|i| i.provision().map(|p| p.instrument)).collect();
    with_provisions.sort();
    with_provisions.dedup();
    let several = with_provisions.len() > 1;
    for n in 0..items.len() {
        let Some(provision) = items[n].provision() else { continue };
        let instrument = &items[provision.instrument.index()];
        let details = instrument.instrument_details();
        let numbering = details.and_then(|i| i.numbering);
        let declared =
            details.and_then(|i| i.section_label.clone()).or(numbering.map(|n| n.default_label().to_string()));
        let short = several.then(|| instrument_short(instrument));
        let misfit = numbering
            .and_then(|scheme| scheme.check(&provision.number, provision.written_label).err().map(|e| (scheme, e)));
        if let Some((scheme, problem)) = misfit {
            diagnostics.push(off_scheme(&items[n].doc, scheme, &instrument.id, &problem));
        }
        if let Details::Provision(p) = &mut items[n].details {
            if let Some(label) = declared {
                p.label = label;
            }
            p.instrument_short = short;
        }
    }
}

/// A provision number that does not fit its instrument's declared scheme, at the number.
fn off_scheme(doc: &Document, scheme: Numbering, instrument: &str, problem: &str) -> Diagnostic {
    let written = doc.front.number.as_deref().unwrap_or_default();
    let range = value_range(doc, "number", written).unwrap_or(0..0);
    let message =
        format!("`{written}` does not fit the `{}` numbering `{instrument}` declares: {problem}", scheme.name());
    doc.diagnostic("provision-numbering", range, message).with_hint(format!(
        "number it as the instrument does, e.g. {}, or change `numbering` on `{instrument}`",
        scheme.examples()
    ))
}

/// The numbering scheme an instrument declares; an unknown name is an error at it.
fn numbering(doc: &Document, diagnostics: &mut Diagnostics) -> Option<Numbering> {
    let name = doc.front.numbering.as_deref()?;
    let scheme = Numbering::parse(name);
    if scheme.is_none() {
        let range = value_range(doc, "numbering", name).unwrap_or(0..0);
        diagnostics.push(
            doc.diagnostic("provision-numbering", range, format!("`{name}` is not a numbering scheme docket knows"))
                .with_hint(format!("write one of {}", Numbering::NAMES)),
        );
    }
    scheme
}

/// How an instrument is named beside a provision number: "EO 14028".
pub fn instrument_short(instrument: &Item) -> String {
    let details = instrument.instrument_details();
    details.and_then(|d| d.short.clone().or_else(|| d.citation.clone())).unwrap_or_else(|| instrument.title.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_that_are_paths_are_old_addresses_and_the_rest_names() {
        for path in ["/old/", "old-name.html", "archive/", "/x/page.htm"] {
            assert!(looks_like_path(path), "{path}");
        }
        for name in ["Agency profile", "EO 14028", "AI/safety notes"] {
            assert!(!looks_like_path(name), "{name}");
        }
    }

    #[test]
    fn redirect_routes_stay_inside_the_site() {
        let route = |path: &str| redirect_route(path, "laws/water-act/");
        assert_eq!(route("/old/water-act").as_deref(), Some("old/water-act/"));
        assert_eq!(route("/old/water.html").as_deref(), Some("old/water.html"));
        assert_eq!(route("/old/index.html").as_deref(), Some("old/"));
        assert_eq!(route("clean-rivers.html").as_deref(), Some("laws/clean-rivers.html"), "from the page's folder");
        assert_eq!(redirect_route("old.html", "about/").as_deref(), Some("old.html"));
        for outside in ["/../etc/", "/a/./b/", "/", "/index.html", "https://example.org/x/", "//host/x/", "/a?b=1"] {
            assert_eq!(route(outside), None, "{outside}");
        }
    }
}
