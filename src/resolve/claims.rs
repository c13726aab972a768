//! Claims and conflicts: what sources say, compared.
//!
//! Each claim of a source is attached to the item it is about and its value normalised:
//! dates and day counts become dates (using the subject deadline's rule when a bare day
//! count needs an anchor), lists become sets of item ids or normalised words, anything
//! else normalised text. Claims on the same item and attribute with different normalised
//! values form a conflict; a claimed date that differs from the date docket computed for
//! the deadline is a conflict too, explained where another counting convention accounts
//! for the difference. Grouping is by hash map, so the pass is linear in the claims.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{ItemId, Kind, Site};
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
    /// The value as written.
    pub value: Vec<String>,
    /// Normalised value.
    pub normalized: Normalized,
    /// Short quote.
    pub quote: String,
    /// Where the quote is.
    pub location: String,
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
    /// The editor's note, when the conflict is marked reviewed.
    pub reviewed: Option<String>,
}

/// Every claim and conflict of the site.
#[derive(Clone, Debug, Default)]
pub struct Claims {
    /// All claims, by source then position.
    pub all: Vec<Claim>,
    /// All conflicts, by subject then attribute.
    pub conflicts: Vec<Conflict>,
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
    let mut groups: BTreeMap<(ItemId, String), Vec<usize>> = BTreeMap::new();
    for (n, claim) in all.iter().enumerate() {
        groups.entry((claim.subject, attribute_key(&claim.attribute))).or_default().push(n);
    }
    let mut conflicts = Vec::new();
    for ((subject, key), members) in groups {
        if let Some(conflict) = conflict_in(site, &all, deadlines, subject, &key, &members) {
            if conflict.reviewed.is_none() {
                diagnostics.push(conflict_warning(site, &all, &conflict));
            }
            conflicts.push(conflict);
        }
    }
    let mut by_subject = vec![Vec::new(); site.items.len()];
    for (n, claim) in all.iter().enumerate() {
        by_subject[claim.subject.index()].push(n);
    }
    Claims { all, conflicts, by_subject }
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
            all.push(Claim {
                source,
                index,
                subject,
                attribute: spec.attribute.clone(),
                value: spec.value.0.clone(),
                normalized,
                quote: spec.quote.clone(),
                location: spec.location.clone(),
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
        return Normalized::Text(words(single));
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

fn conflict_in(
    site: &Site,
    all: &[Claim],
    deadlines: &[Option<DeadlineDate>],
    subject: ItemId,
    key: &str,
    members: &[usize],
) -> Option<Conflict> {
    let mut positions: BTreeMap<&Normalized, Vec<usize>> = BTreeMap::new();
    for &n in members {
        positions.entry(&all[n].normalized).or_default().push(n);
    }
    let deadline = deadlines[subject.index()].as_ref();
    let computed = deadline.and_then(|d| d.due);
    let mut explanations = BTreeMap::new();
    let mut disagrees_with_computed = false;
    for &n in members {
        if let (Normalized::Date(claimed), Some(date)) = (&all[n].normalized, deadline.filter(|d| d.due.is_some())) {
            if !is_a_due_date(date, *claimed) {
                disagrees_with_computed = true;
                if let Some(text) = deadline.and_then(|d| explain(d, *claimed)) {
                    explanations.insert(n, text);
                }
            }
        }
    }
    if positions.len() < 2 && !disagrees_with_computed {
        return None;
    }
    let item = site.item(subject);
    let reviewed = item.reviewed_conflicts.iter().find(|r| attribute_key(&r.attribute) == key).map(|r| r.note.clone());
    Some(Conflict {
        id: format!("{}-{}", crate::text::slugify(&item.id), key),
        subject,
        attribute: all[members[0]].attribute.clone(),
        positions: positions.into_values().collect(),
        computed: computed.filter(|_| disagrees_with_computed),
        explanations,
        reviewed,
    })
}

/// Whether `claimed` is the deadline's due date or, for a recurring duty, the date of any
/// of its occurrences (a source naming the first cycle's date agrees with the series).
fn is_a_due_date(date: &DeadlineDate, claimed: NaiveDate) -> bool {
    date.due == Some(claimed) || date.occurrences.iter().any(|o| o.due == claimed)
}

fn explain(deadline: &DeadlineDate, claimed: NaiveDate) -> Option<String> {
    let (amount, unit, anchor, label) = deadline.basis.as_ref()?;
    rules::explain_difference(claimed, *amount, *unit, *anchor, label, deadline.counting, deadline.policy)
}

fn conflict_warning(site: &Site, all: &[Claim], conflict: &Conflict) -> Diagnostic {
    let subject = site.item(conflict.subject);
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
    let first = &all[conflict.positions.last().and_then(|p| p.first()).copied().unwrap_or(0)];
    let source = site.item(first.source);
    source
        .doc
        .key_diagnostic(
            "conflict",
            "about",
            first.index,
            format!("sources disagree on `{}` of {}: {}", conflict.attribute, subject.short_label(), sides.join(" vs ")),
        )
        .warning()
        .with_hint(format!(
            "say in {} which reading the instrument supports, and mark it reviewed with [[reviewed_conflicts]] attribute = \"{}\"",
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
}
