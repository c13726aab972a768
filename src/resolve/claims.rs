//! Claims and conflicts: what sources say, compared.
//!
//! Each claim of a source is attached to the item it is about and its value normalised:
//! dates and day counts become dates (using the subject deadline's rule when a bare day
//! count needs an anchor), lists become sets of item ids or normalised words, anything
//! else normalised text. Claims on the same item and attribute with different normalised
//! values form a conflict; a claimed date that differs from the date docket computed for
//! the deadline is a conflict too, explained where another counting convention accounts
//! for the difference. Grouping is by ordered map, so the pass is n log n in the claims.
//!
//! An omission is not a disagreement: a list of items (agencies, consultees) is partial
//! unless the claim says `list = "exhaustive"` or its quote says "only", so a source whose
//! partial list is a strict subset of another's "mentions fewer" and is shown as such
//! without raising a conflict. Two exhaustive lists that differ still conflict.
//!
//! Each claim is also checked against its own quote: a value that names an agency, a number
//! or a month the quote does not contain is a warning (the value is the editor's reading,
//! not the source's words), and where the source note carries the source's own text
//! (`full_text = true`) the quote must appear in it verbatim, up to quotation marks and
//! whitespace.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::front_matter::ListExtent;
use crate::model::{Item, ItemId, Kind, Site};
use crate::resolve::deadlines::DeadlineDate;
use crate::resolve::lookup::{Found, Lookup};
use crate::rules::{self, DateValue, Unit};
use crate::text::human_date;

/// A claim value reduced to what matters for comparison.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Normalized {
    /// A calendar date.
    Date(NaiveDate),
    /// A span with no anchor to turn it into a date.
    Span(u32, &'static str),
    /// A set of items or words.
    Set(Vec<String>),
    /// Free text, lower-cased with punctuation removed.
    Text(String),
}

/// One claim, attached and normalised.
#[derive(Clone, Debug)]
pub struct Claim {
    /// The source making it.
    pub source: ItemId,
    /// Its position among the source's claims.
    pub index: usize,
    /// What it is about.
    pub subject: ItemId,
    /// The attribute as written.
    pub attribute: String,
    /// The value as written, each named item shown by its label (never its raw id).
    pub value: Vec<String>,
    /// Normalised value.
    pub normalized: Normalized,
    /// Short quote.
    pub quote: String,
    /// Where the quote is.
    pub location: String,
    /// Whether a list value names every member or only some, as written or by default.
    pub extent: ListExtent,
}

impl Claim {
    /// The value for display.
    pub fn value_text(&self) -> String {
        self.value.join(", ")
    }
}

/// Claims that disagree about one attribute of one item.
#[derive(Clone, Debug)]
pub struct Conflict {
    /// Stable id, used as an anchor on the conflicts page.
    pub id: String,
    /// The item the claims are about.
    pub subject: ItemId,
    /// The attribute, as first written.
    pub attribute: String,
    /// The distinct positions: each normalised value with the claims (indexes into
    /// [`Claims::all`]) that hold it.
    pub positions: Vec<Vec<usize>>,
    /// The date docket computed, when a claimed date disagrees with it.
    pub computed: Option<NaiveDate>,
    /// For each claim disagreeing with the computed date, a likely explanation.
    pub explanations: BTreeMap<usize, String>,
    /// The editor's review, when the conflict is marked reviewed.
    pub reviewed: Option<Review>,
    /// Claims whose partial list names fewer members than another position, each with the
    /// claims that name more: shown beside the conflict, never one of its positions.
    pub fewer: Vec<(usize, Vec<usize>)>,
}

/// An editor's review of a conflict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// Which reading the instrument supports, and why.
    pub note: String,
    /// Who reviewed it (empty when not given).
    pub reviewer: String,
    /// When (none when not given).
    pub date: Option<NaiveDate>,
}

/// Every claim and conflict of the site.
#[derive(Clone, Debug, Default)]
pub struct Claims {
    /// All claims, by source then position.
    pub all: Vec<Claim>,
    /// All conflicts, by subject then attribute.
    pub conflicts: Vec<Conflict>,
    /// For each claim (indexed like `all`) whose partial list names fewer members than
    /// another claim on the same attribute, the claims that name more.
    pub fewer_than: BTreeMap<usize, Vec<usize>>,
    /// For each item (indexed like `site.items`), the claims about it (indexes into
    /// `all`), so a page finds its claims without scanning every claim of the site.
    pub by_subject: Vec<Vec<usize>>,
}

/// What the sources say about a deadline's due date, against the computed one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DueDateClaims {
    /// Claims (indexes into [`Claims::all`]) whose date is the computed date.
    pub agree: Vec<usize>,
    /// Claims whose date differs, with a likely explanation when one was found.
    pub disagree: Vec<(usize, Option<String>)>,
}

impl Claims {
    /// Sorts the date claims about deadline `id` into those that agree with its computed
    /// date `due` and those that do not. Claims that are not dates are left out.
    pub fn about_due_date(&self, id: ItemId, date: Option<&DeadlineDate>) -> DueDateClaims {
        let mut sorted = DueDateClaims::default();
        let Some(date) = date.filter(|d| d.due.is_some()) else { return sorted };
        let about = self.by_subject.get(id.index()).map_or(&[][..], Vec::as_slice);
        for &n in about {
            let Normalized::Date(claimed) = self.all[n].normalized else { continue };
            if is_a_due_date(date, claimed) {
                sorted.agree.push(n);
            } else {
                let explanation =
                    self.conflicts.iter().filter(|c| c.subject == id).find_map(|c| c.explanations.get(&n)).cloned();
                sorted.disagree.push((n, explanation));
            }
        }
        sorted
    }
}

/// Attaches, normalises and compares every claim.
pub fn compare(
    site: &Site,
    lookup: &Lookup,
    instruments: &[Option<ItemId>],
    deadlines: &[Option<DeadlineDate>],
    diagnostics: &mut Diagnostics,
) -> Claims {
    let all = attach(site, lookup, instruments, deadlines, diagnostics);
    check_quotes(site, &all, diagnostics);
    let mut groups: BTreeMap<(ItemId, String), Vec<usize>> = BTreeMap::new();
    for (n, claim) in all.iter().enumerate() {
        groups.entry((claim.subject, attribute_key(&claim.attribute))).or_default().push(n);
    }
    let mut conflicts = Vec::new();
    let mut fewer_than = BTreeMap::new();
    for ((subject, key), members) in groups {
        let (conflict, fewer) = conflict_in(site, &all, deadlines, subject, &key, &members);
        fewer_than.extend(fewer.iter().cloned());
        if let Some(conflict) = conflict {
            if conflict.reviewed.is_none() {
                diagnostics.push(conflict_warning(site, &all, &conflict));
            }
            conflicts.push(conflict);
        }
    }
    check_reviews(site, &conflicts, diagnostics);
    let mut by_subject = vec![Vec::new(); site.items.len()];
    for (n, claim) in all.iter().enumerate() {
        by_subject[claim.subject.index()].push(n);
    }
    Claims { all, conflicts, fewer_than, by_subject }
}

fn attach(
    site: &Site,
    lookup: &Lookup,
    instruments: &[Option<ItemId>],
    deadlines: &[Option<DeadlineDate>],
    diagnostics: &mut Diagnostics,
) -> Vec<Claim> {
    let mut all = Vec::new();
    for (source, item) in site.of_kind(Kind::Source) {
        let Some(details) = item.source() else { continue };
        for (index, spec) in details.claims.iter().enumerate() {
            let subject = match lookup.find(&spec.about, instruments[source.index()]) {
                Found::One(subject) => subject,
                Found::Ambiguous(_) | Found::Missing(_) => {
                    let suggestions = lookup.suggest(&spec.about);
                    let mut diagnostic = item.doc.key_diagnostic(
                        "unresolved-reference",
                        "about",
                        index,
                        format!("claim {} is about `{}`, which does not name one item", index + 1, spec.about),
                    );
                    if !suggestions.is_empty() {
                        diagnostic = diagnostic.with_hint(format!(
                            "did you mean {}?",
                            suggestions.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
                        ));
                    }
                    diagnostics.push(diagnostic);
                    continue;
                }
            };
            let normalized =
                normalize(&spec.value.0, lookup, instruments[source.index()], deadlines[subject.index()].as_ref());
            let extent = spec.list.unwrap_or_else(|| default_extent(&normalized, &spec.quote));
            all.push(Claim {
                source,
                index,
                subject,
                attribute: spec.attribute.clone(),
                value: spec
                    .value
                    .0
                    .iter()
                    .map(|v| match lookup.find(v, instruments[source.index()]) {
                        Found::One(item) if rules::parse_date_value(v).is_none() => site.item(item).short_label(),
                        _ => v.clone(),
                    })
                    .collect(),
                normalized,
                quote: spec.quote.clone(),
                location: spec.location.clone(),
                extent,
            });
        }
    }
    all
}

/// Attribute names compare ignoring case, spaces, hyphens and underscores.
fn attribute_key(attribute: &str) -> String {
    attribute.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Normalises a claimed value; `deadline` gives bare day counts an anchor.
pub fn normalize(
    values: &[String],
    lookup: &Lookup,
    instrument: Option<ItemId>,
    deadline: Option<&DeadlineDate>,
) -> Normalized {
    if let [single] = values {
        if let Some(value) = rules::parse_date_value(single) {
            return normalize_date(&value, deadline);
        }
        // One named item is a list of one, so it compares with longer lists of items.
        return match lookup.find(single, instrument) {
            Found::One(item) => Normalized::Set(vec![format!("item:{}", item.0)]),
            _ => Normalized::Text(words(single)),
        };
    }
    let mut set: Vec<String> = values
        .iter()
        .map(|v| match lookup.find(v, instrument) {
            Found::One(item) => format!("item:{}", item.0),
            _ => words(v),
        })
        .collect();
    set.sort();
    set.dedup();
    Normalized::Set(set)
}

fn normalize_date(value: &DateValue, deadline: Option<&DeadlineDate>) -> Normalized {
    // A span is read with the deadline's own conventions, so "60 days" agrees with a
    // "within 60 days" rule whatever counting and rolling the knowledge base uses.
    let (counting, policy) =
        deadline.map_or((rules::Counting::ExcludeAnchor, rules::NonBusinessDay::Keep), |d| (d.counting, d.policy));
    let span_date = |amount: u32, unit: Unit, after: NaiveDate| {
        rules::compute(amount, unit, after, "", counting, policy).ok().map(|computed| computed.due)
    };
    match value {
        DateValue::Date { date, .. } => Normalized::Date(*date),
        DateValue::Span { amount, unit, after: Some(after) } => match span_date(*amount, *unit, *after) {
            Some(due) => Normalized::Date(due),
            None => Normalized::Span(*amount, unit_name(*unit)),
        },
        DateValue::Span { amount, unit, after: None } => {
            let anchor = deadline.and_then(|d| d.basis.as_ref()).map(|(_, _, anchor, _)| *anchor);
            match anchor.and_then(|anchor| span_date(*amount, *unit, anchor)) {
                Some(due) => Normalized::Date(due),
                None => Normalized::Span(*amount, unit_name(*unit)),
            }
        }
    }
}

fn unit_name(unit: Unit) -> &'static str {
    match unit {
        Unit::Days => "days",
        Unit::BusinessDays => "business days",
        Unit::Weeks => "weeks",
        Unit::Months => "months",
        Unit::Years => "years",
    }
}

/// Lower-case words, punctuation dropped: "Treasury, NSA & CISA" → "treasury nsa cisa".
fn words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// The conflict among claims on one attribute of one item, if any, and the claims that
/// only mention fewer list members than another (each with the claims naming more).
fn conflict_in(
    site: &Site,
    all: &[Claim],
    deadlines: &[Option<DeadlineDate>],
    subject: ItemId,
    key: &str,
    members: &[usize],
) -> (Option<Conflict>, Vec<(usize, Vec<usize>)>) {
    let mut grouped: BTreeMap<&Normalized, Vec<usize>> = BTreeMap::new();
    for &n in members {
        grouped.entry(&all[n].normalized).or_default().push(n);
    }
    let fewer = fewer_positions(all, &grouped);
    let positions: Vec<Vec<usize>> =
        grouped.into_values().filter(|claims| !fewer.iter().any(|(n, _)| *n == claims[0])).collect();
    let fewer: Vec<(usize, Vec<usize>)> = fewer
        .into_iter()
        .flat_map(|(first, fuller)| {
            let position = members.iter().copied().filter(|&m| all[m].normalized == all[first].normalized);
            position.map(move |n| (n, fuller.clone())).collect::<Vec<_>>()
        })
        .collect();
    let deadline = deadlines[subject.index()].as_ref();
    let computed = deadline.and_then(|d| d.due);
    let mut explanations = BTreeMap::new();
    let mut disagrees_with_computed = false;
    for &n in members {
        if let (Normalized::Date(claimed), Some(date)) = (&all[n].normalized, deadline.filter(|d| d.due.is_some()))
            && !is_a_due_date(date, *claimed)
        {
            disagrees_with_computed = true;
            if let Some(text) = deadline.and_then(|d| explain(d, *claimed)) {
                explanations.insert(n, text);
            }
        }
    }
    if positions.len() < 2 && !disagrees_with_computed {
        return (None, fewer);
    }
    let item = site.item(subject);
    let reviewed = item.reviewed_conflicts.iter().find(|r| attribute_key(&r.attribute) == key).map(|r| Review {
        note: r.note.clone(),
        reviewer: r.reviewer.clone(),
        date: r.date.map(|d| d.0),
    });
    let conflict = Conflict {
        id: format!("{}-{}", crate::text::slugify(&item.id), key),
        subject,
        attribute: all[members[0]].attribute.clone(),
        positions,
        computed: computed.filter(|_| disagrees_with_computed),
        explanations,
        reviewed,
        fewer: fewer.clone(),
    };
    (Some(conflict), fewer)
}

/// Positions (by their first claim) whose value is a set every claim of which is a
/// partial list, strictly contained in another position's set; with the claims of every
/// position that names more.
fn fewer_positions(all: &[Claim], grouped: &BTreeMap<&Normalized, Vec<usize>>) -> Vec<(usize, Vec<usize>)> {
    let mut fewer = Vec::new();
    for (value, claims) in grouped {
        let Normalized::Set(members) = value else { continue };
        if claims.iter().any(|&n| all[n].extent == ListExtent::Exhaustive) {
            continue;
        }
        let fuller: Vec<usize> = grouped
            .iter()
            .filter(|(other, _)| match other {
                Normalized::Set(more) => more.len() > members.len() && members.iter().all(|m| more.contains(m)),
                _ => false,
            })
            .flat_map(|(_, claims)| claims.iter().copied())
            .collect();
        if !fuller.is_empty() {
            fewer.push((claims[0], fuller));
        }
    }
    fewer
}

/// A list of items is partial unless its quote says "only" (or "solely", "exclusively");
/// anything else is taken as the whole value.
fn default_extent(normalized: &Normalized, quote: &str) -> ListExtent {
    let items_only = matches!(normalized, Normalized::Set(set) if set.iter().all(|m| m.starts_with("item:")));
    let quote = format!(" {} ", words(quote));
    let says_all = [" only ", " solely ", " exclusively "].iter().any(|w| quote.contains(w));
    if items_only && !says_all { ListExtent::Partial } else { ListExtent::Exhaustive }
}

/// Warns about a reviewed conflict that no longer exists (the claims were recoded or now
/// agree), so a stale review does not linger unseen.
fn check_reviews(site: &Site, conflicts: &[Conflict], diagnostics: &mut Diagnostics) {
    let open: std::collections::BTreeSet<(ItemId, String)> =
        conflicts.iter().map(|c| (c.subject, attribute_key(&c.attribute))).collect();
    for (n, item) in site.items.iter().enumerate() {
        for (index, review) in item.reviewed_conflicts.iter().enumerate() {
            let id = ItemId(u32::try_from(n).unwrap_or(u32::MAX));
            if !open.contains(&(id, attribute_key(&review.attribute))) {
                diagnostics.push(
                    item.doc
                        .key_diagnostic(
                            "stale-review",
                            "attribute",
                            index,
                            format!("no sources disagree on `{}` of {}", review.attribute, item.short_label()),
                        )
                        .warning()
                        .with_hint("remove this [[reviewed_conflicts]] entry, or check the attribute's spelling"),
                );
            }
        }
    }
}

/// Warns about claims whose value names what their quote does not say, and, for sources
/// whose note holds their own text, about quotes that text does not contain.
fn check_quotes(site: &Site, all: &[Claim], diagnostics: &mut Diagnostics) {
    let agencies =
        AgencyNames::new(site.of_kind(Kind::Agency).map(|(id, item)| (id, item.short_label(), names_of(item))));
    let mut texts: BTreeMap<ItemId, Option<String>> = BTreeMap::new();
    for claim in all {
        let source = site.item(claim.source);
        let missing = beyond_quote(claim, &agencies);
        if !missing.is_empty() {
            diagnostics.push(
                source
                    .doc
                    .key_diagnostic(
                        "claim-beyond-quote",
                        "value",
                        claim.index,
                        format!(
                            "claim {} gives `{}`, but its quote does not contain {}",
                            claim.index + 1,
                            claim.value_text(),
                            missing.join(", ")
                        ),
                    )
                    .warning()
                    .with_hint(
                        "record only what the quote says, or quote the words that say it (an inference belongs in the note's prose)",
                    ),
            );
        }
        let text = texts.entry(claim.source).or_insert_with(|| full_text(source));
        if let Some(text) = text
            && !text.contains(&comparable(&claim.quote))
        {
            diagnostics.push(
                source
                    .doc
                    .key_diagnostic(
                        "quote-not-in-source",
                        "quote",
                        claim.index,
                        format!("the quote of claim {} is not in the source's text", claim.index + 1),
                    )
                    .warning()
                    .with_hint(
                        "copy the words exactly as the source has them (quotation marks and spacing may differ)",
                    ),
            );
        }
    }
}

/// The names an agency goes by, as lower-case words: id, title, short label, aliases.
fn names_of(item: &Item) -> Vec<String> {
    let mut names: Vec<String> = [item.id.as_str(), item.title.as_str()]
        .into_iter()
        .chain(item.aliases.iter().map(String::as_str))
        .map(words)
        .chain(std::iter::once(words(&item.short_label())))
        .filter(|name| !name.is_empty())
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Every agency's names, indexed so a value's words find the agencies they mention in
/// time linear in the words, not in the number of agencies.
struct AgencyNames {
    /// Each agency: id, label for messages, names as lower-case words.
    agencies: Vec<(ItemId, String, Vec<String>)>,
    /// Name (three letters or more) → agency index.
    by_name: std::collections::HashMap<String, usize>,
    /// Agency id → agency index.
    by_id: std::collections::HashMap<ItemId, usize>,
    /// Words in the longest name.
    longest: usize,
}

impl AgencyNames {
    fn new(agencies: impl IntoIterator<Item = (ItemId, String, Vec<String>)>) -> AgencyNames {
        let agencies: Vec<_> = agencies.into_iter().collect();
        let mut by_name = std::collections::HashMap::new();
        let mut longest = 0;
        for (n, (_, _, names)) in agencies.iter().enumerate() {
            for name in names.iter().filter(|name| name.len() >= 3) {
                by_name.entry(name.clone()).or_insert(n);
                longest = longest.max(name.split(' ').count());
            }
        }
        let by_id = agencies.iter().enumerate().map(|(n, (id, _, _))| (*id, n)).collect();
        AgencyNames { agencies, by_name, by_id, longest }
    }

    /// The agencies a text (lower-case words) mentions by name.
    fn mentioned_in(&self, words: &[&str]) -> std::collections::BTreeSet<usize> {
        let mut found = std::collections::BTreeSet::new();
        for start in 0..words.len() {
            for len in 1..=self.longest.min(words.len() - start) {
                if let Some(&n) = self.by_name.get(&words[start..start + len].join(" ")) {
                    found.insert(n);
                }
            }
        }
        found
    }
}

/// What a claim's value names that its quote lacks: agencies (named by a resolved value or
/// mentioned in a text value), numbers (as digits or words) and months.
/// An ISO date (`2026-04-01`) as a quote would write it (`April 1 2026`), so that its
/// month is looked for by name and its month number is not taken for a quoted number.
fn spelled_date(value: String) -> String {
    match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
        Ok(date) => date.format("%B %-d %Y").to_string(),
        Err(_) => value,
    }
}

fn beyond_quote(claim: &Claim, agencies: &AgencyNames) -> Vec<String> {
    let quote = format!(" {} ", words(&claim.quote));
    let value_words = words(&spelled_date(claim.value_text()));
    let value = format!(" {value_words} ");
    let mut missing = Vec::new();
    let mut mentioned = agencies.mentioned_in(&value_words.split(' ').collect::<Vec<_>>());
    if let Normalized::Set(set) = &claim.normalized {
        let resolved = set.iter().filter_map(|m| m.strip_prefix("item:")?.parse().ok()).map(ItemId);
        mentioned.extend(resolved.filter_map(|id| agencies.by_id.get(&id).copied()));
    }
    for n in mentioned {
        let (_, label, names) = &agencies.agencies[n];
        if !names.iter().any(|name| quote.contains(&format!(" {name} "))) {
            missing.push(format!("the agency {label}"));
        }
    }
    let quoted_numbers: Vec<u32> = quote.split(' ').filter_map(number).collect();
    for word in value.split(' ') {
        match number(word) {
            Some(n) if !quoted_numbers.contains(&n) => missing.push(format!("the number {word}")),
            Some(_) => {}
            None if MONTHS.contains(&word) && !quote.contains(&format!(" {word} ")) => {
                missing.push(format!("the month {word}"));
            }
            None => {}
        }
    }
    missing.dedup();
    missing
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A lower-case word read as a number: digits, or a number word a source might spell out.
fn number(word: &str) -> Option<u32> {
    const SPELLED: [(&str, u32); 16] = [
        ("one", 1),
        ("two", 2),
        ("three", 3),
        ("four", 4),
        ("five", 5),
        ("six", 6),
        ("seven", 7),
        ("eight", 8),
        ("nine", 9),
        ("ten", 10),
        ("eleven", 11),
        ("twelve", 12),
        ("thirty", 30),
        ("sixty", 60),
        ("ninety", 90),
        ("hundred", 100),
    ];
    if !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit()) {
        return word.parse().ok();
    }
    SPELLED.iter().find(|(name, _)| *name == word).map(|(_, n)| *n)
}

/// The body of a source note that holds the source's own text, made comparable.
fn full_text(source: &Item) -> Option<String> {
    if !source.source().is_some_and(|s| s.full_text) {
        return None;
    }
    let text = source.doc.text().ok()?;
    Some(comparable(text.get(source.doc.body_start..).unwrap_or_default()))
}

/// Text with curly quotation marks made straight and every run of whitespace one space,
/// so a quote typed on a different keyboard still matches.
fn comparable(text: &str) -> String {
    let straight = text.chars().map(|c| match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' => '"',
        other => other,
    });
    let mut out = String::with_capacity(text.len());
    for c in straight {
        if c.is_whitespace() {
            if !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
    out.trim().to_owned()
}

/// Whether `claimed` is the deadline's due date or, for a recurring duty, the date of any
/// of its occurrences (a source naming the first cycle's date agrees with the series).
fn is_a_due_date(date: &DeadlineDate, claimed: NaiveDate) -> bool {
    date.due == Some(claimed) || date.occurrences.iter().any(|o| o.due == claimed)
}

fn explain(deadline: &DeadlineDate, claimed: NaiveDate) -> Option<String> {
    let (amount, unit, anchor, label) = deadline.basis.as_ref()?;
    let used =
        rules::Conventions { counting: deadline.counting, policy: deadline.policy, calendar: &deadline.calendar };
    rules::explain_difference(claimed, *amount, *unit, *anchor, label, &used)
}

/// One conflict as `docket check --conflicts` lists it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ConflictEntry {
    /// What it is about, as a reader sees it.
    pub subject: String,
    /// The attribute, as first written.
    pub attribute: String,
    /// The positions in one line: each value with the sources holding it.
    pub summary: String,
    /// The note to review it in, relative to the knowledge-base root.
    pub note: String,
    /// True when an editor has reviewed it.
    pub reviewed: bool,
}

/// Every conflict, in the order of [`Claims::conflicts`], with the note to review it in
/// (paths shown relative to `root` when they lie under it).
pub fn conflict_list(site: &Site, claims: &Claims, root: &std::path::Path) -> Vec<ConflictEntry> {
    claims
        .conflicts
        .iter()
        .map(|conflict| {
            let subject = site.item(conflict.subject);
            let path = &subject.doc.display_path;
            ConflictEntry {
                subject: subject.short_label(),
                attribute: conflict.attribute.clone(),
                summary: sides(site, &claims.all, conflict),
                note: path.strip_prefix(root).unwrap_or(path).display().to_string(),
                reviewed: conflict.reviewed.is_some(),
            }
        })
        .collect()
}

/// The positions of a conflict in one line: “value” (sources) vs …
fn sides(site: &Site, all: &[Claim], conflict: &Conflict) -> String {
    let mut sides: Vec<String> = conflict
        .positions
        .iter()
        .map(|claims| {
            let sources: Vec<String> = claims.iter().map(|&n| site.item(all[n].source).short_label()).collect();
            format!("“{}” ({})", all[claims[0]].value_text(), sources.join(", "))
        })
        .collect();
    if let Some(date) = conflict.computed {
        sides.push(format!("{} (computed by docket)", human_date(date)));
    }
    sides.join(" vs ")
}

fn conflict_warning(site: &Site, all: &[Claim], conflict: &Conflict) -> Diagnostic {
    let subject = site.item(conflict.subject);
    let first = &all[conflict.positions.last().and_then(|p| p.first()).copied().unwrap_or(0)];
    let source = site.item(first.source);
    source
        .doc
        .key_diagnostic(
            "conflict",
            "about",
            first.index,
            format!(
                "sources disagree on `{}` of {}: {}",
                conflict.attribute,
                subject.short_label(),
                sides(site, all, conflict)
            ),
        )
        .warning()
        .with_hint(format!(
            "say in {} which reading the instrument supports, and mark it reviewed with [[reviewed_conflicts]] attribute = \"{}\", note, reviewer and date (`docket check --conflicts` lists the open ones)",
            subject.doc.display_path.display(),
            conflict.attribute
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_drop_case_and_punctuation() {
        assert_eq!(words("Treasury, NSA & CISA."), "treasury nsa cisa");
        assert_eq!(attribute_key("Window measured_against"), "windowmeasuredagainst");
    }

    fn claim(value: &[&str], normalized: Normalized, quote: &str, extent: ListExtent) -> Claim {
        Claim {
            source: ItemId(0),
            index: 0,
            subject: ItemId(1),
            attribute: "agencies".into(),
            value: value.iter().map(|v| (*v).to_owned()).collect(),
            normalized,
            quote: quote.into(),
            location: String::new(),
            extent,
        }
    }

    fn set(members: &[&str]) -> Normalized {
        Normalized::Set(members.iter().map(|m| (*m).to_owned()).collect())
    }

    fn fewer_of(claims: &[Claim]) -> Vec<(usize, Vec<usize>)> {
        let mut grouped: BTreeMap<&Normalized, Vec<usize>> = BTreeMap::new();
        for (n, claim) in claims.iter().enumerate() {
            grouped.entry(&claim.normalized).or_default().push(n);
        }
        fewer_positions(claims, &grouped)
    }

    #[test]
    fn a_partial_subset_mentions_fewer() {
        let claims = [
            claim(&["a"], set(&["item:1"]), "", ListExtent::Partial),
            claim(&["a", "b"], set(&["item:1", "item:2"]), "", ListExtent::Partial),
        ];
        assert_eq!(fewer_of(&claims), vec![(0, vec![1])]);
    }

    #[test]
    fn an_exhaustive_list_that_names_fewer_still_disagrees() {
        let claims = [
            claim(&["a"], set(&["item:1"]), "", ListExtent::Exhaustive),
            claim(&["a", "b"], set(&["item:1", "item:2"]), "", ListExtent::Partial),
        ];
        assert!(fewer_of(&claims).is_empty());
    }

    #[test]
    fn partial_lists_that_each_name_another_member_disagree() {
        let claims = [
            claim(&["a", "c"], set(&["item:1", "item:3"]), "", ListExtent::Partial),
            claim(&["a", "b"], set(&["item:1", "item:2"]), "", ListExtent::Partial),
        ];
        assert!(fewer_of(&claims).is_empty());
    }

    #[test]
    fn lists_of_items_are_partial_unless_the_quote_says_only() {
        assert_eq!(default_extent(&set(&["item:1"]), "with NSA and CISA"), ListExtent::Partial);
        assert_eq!(default_extent(&set(&["item:1"]), "NSA only may act"), ListExtent::Exhaustive);
        assert_eq!(default_extent(&set(&["plural", "item:1"]), "with NSA"), ListExtent::Exhaustive);
        assert_eq!(default_extent(&Normalized::Text("plural".into()), "with NSA"), ListExtent::Exhaustive);
    }

    #[test]
    fn a_value_beyond_its_quote_is_named() {
        let agencies =
            AgencyNames::new([(ItemId(7), "NSA".to_owned(), vec!["nsa".to_owned(), "nsa director".to_owned()])]);
        let no_timing = claim(
            &["within one month"],
            Normalized::Text(String::new()),
            "OMB will also assess",
            ListExtent::Exhaustive,
        );
        assert_eq!(beyond_quote(&no_timing, &agencies), vec!["the number one"]);
        let spelled =
            claim(&["within 30 days"], Normalized::Text(String::new()), "within thirty days", ListExtent::Exhaustive);
        assert!(beyond_quote(&spelled, &agencies).is_empty());
        let dated =
            claim(&["~August 1, 2026"], Normalized::Text(String::new()), "within 60 days", ListExtent::Exhaustive);
        assert_eq!(beyond_quote(&dated, &agencies), vec!["the month august", "the number 1", "the number 2026"]);
        let iso =
            claim(&["2026-04-01"], Normalized::Text(String::new()), "until April 1, 2026", ListExtent::Exhaustive);
        assert!(beyond_quote(&iso, &agencies).is_empty());
        let iso_no_year =
            claim(&["2026-04-01"], Normalized::Text(String::new()), "until April 1", ListExtent::Exhaustive);
        assert_eq!(beyond_quote(&iso_no_year, &agencies), vec!["the number 2026"]);
        let agency =
            claim(&["nsa"], set(&["item:7"]), "determine which systems cross the threshold", ListExtent::Partial);
        assert_eq!(beyond_quote(&agency, &agencies), vec!["the agency NSA"]);
        let named = claim(&["nsa"], set(&["item:7"]), "the NSA Director must develop", ListExtent::Partial);
        assert!(beyond_quote(&named, &agencies).is_empty());
        let in_text = claim(
            &["Treasury with NSA"],
            Normalized::Text(String::new()),
            "Treasury must form",
            ListExtent::Exhaustive,
        );
        assert_eq!(beyond_quote(&in_text, &agencies), vec!["the agency NSA"]);
    }

    #[test]
    fn quotes_compare_up_to_quotation_marks_and_spacing() {
        assert_eq!(
            comparable("the \u{201C}covered  frontier\nmodel\u{201D} isn\u{2019}t"),
            "the \"covered frontier model\" isn't"
        );
    }
}
