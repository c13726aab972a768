//! Computing every deadline's due date from its rule, and its status against the as-of
//! date.
//!
//! Deadlines may be anchored on other deadlines, so dates are computed depth-first with
//! memoisation; a deadline met again while its own date is being computed closes a cycle,
//! which is an error naming the chain. Status never changes a due date.
//!
//! A recorded completion (`completed = { date, source }`) is resolved here too: its
//! source must name a source item, and its date decides between met and late.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Deadline, ItemId, Kind, Site, value_range};
use crate::resolve::lookup::{Found, Lookup};
use crate::resolve::rules::{self, Anchor, Computed, Counting, NonBusinessDay, Rule, Unit};
use crate::text::human_date;

/// Where a deadline stands on the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Passed with no completion recorded.
    Passed,
    /// Due within the "due soon" window.
    DueSoon,
    /// Due later.
    Upcoming,
    /// Completed on or before the due date.
    Met,
    /// Completed after the due date.
    Late,
    /// A continuing duty.
    Ongoing,
    /// Date not yet known.
    Unknown,
}

impl Status {
    /// Label for people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Passed => "passed, nothing recorded",
            Status::DueSoon => "due soon",
            Status::Upcoming => "upcoming",
            Status::Met => "met",
            Status::Late => "met late",
            Status::Ongoing => "ongoing",
            Status::Unknown => "date not yet known",
        }
    }

    /// Name for CSS classes and filters.
    pub fn slug(self) -> &'static str {
        match self {
            Status::Passed => "passed",
            Status::DueSoon => "due-soon",
            Status::Upcoming => "upcoming",
            Status::Met => "met",
            Status::Late => "late",
            Status::Ongoing => "ongoing",
            Status::Unknown => "unknown",
        }
    }
}

/// A deadline's computed date and status.
#[derive(Clone, Debug)]
pub struct DeadlineDate {
    /// The due date, when the rule gives one.
    pub due: Option<NaiveDate>,
    /// How it was computed, for day and month rules.
    pub computed: Option<Computed>,
    /// How the date was derived, for people.
    pub derivation: String,
    /// Status on the as-of date.
    pub status: Status,
    /// Days from the as-of date to the due date (negative when overdue).
    pub days_left: Option<i64>,
    /// For day and month rules: amount, unit and anchor date (to explain disagreements).
    pub basis: Option<(u32, Unit, NaiveDate, String)>,
    /// The counting convention the date was computed with (the deadline's own, else the
    /// site's), so disagreements are explained against the convention actually used.
    pub counting: Counting,
    /// The weekend and holiday policy the date was computed with.
    pub policy: NonBusinessDay,
    /// The recorded completion, when there is one.
    pub completed: Option<Completion>,
}

/// A recorded completion of a deadline, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// When the action was done.
    pub date: Option<NaiveDate>,
    /// The source that records it.
    pub source: Option<ItemId>,
    /// The editor's note.
    pub note: Option<String>,
}

/// Computes every deadline of the site. The result is indexed like `site.items`
/// (`None` for items that are not deadlines).
pub fn compute_all(
    site: &Site,
    lookup: &Lookup,
    instruments: &[Option<ItemId>],
    diagnostics: &mut Diagnostics,
) -> Vec<Option<DeadlineDate>> {
    let mut state = Computation {
        site,
        lookup,
        instruments,
        memo: vec![Memo::Todo; site.items.len()],
        stack: Vec::new(),
        diagnostics,
    };
    for (id, _) in site.of_kind(Kind::Deadline) {
        state.date_of(id);
    }
    state
        .memo
        .into_iter()
        .map(|memo| match memo {
            Memo::Done(date) => Some(date),
            _ => None,
        })
        .collect()
}

#[derive(Clone)]
enum Memo {
    Todo,
    InProgress,
    Done(DeadlineDate),
    Failed,
}

struct Computation<'a> {
    site: &'a Site,
    lookup: &'a Lookup,
    instruments: &'a [Option<ItemId>],
    memo: Vec<Memo>,
    stack: Vec<ItemId>,
    diagnostics: &'a mut Diagnostics,
}

impl Computation<'_> {
    fn date_of(&mut self, id: ItemId) -> Option<NaiveDate> {
        match &self.memo[id.index()] {
            Memo::Done(date) => return date.due,
            Memo::Failed => return None,
            Memo::InProgress => {
                self.report_cycle(id);
                return None;
            }
            Memo::Todo => {}
        }
        let item = self.site.item(id);
        let deadline = item.deadline()?;
        self.memo[id.index()] = Memo::InProgress;
        self.stack.push(id);
        let result = self.compute(id, deadline);
        self.stack.pop();
        let due = result.as_ref().and_then(|d| d.due);
        self.memo[id.index()] = result.map_or(Memo::Failed, Memo::Done);
        due
    }

    fn compute(&mut self, id: ItemId, deadline: &Deadline) -> Option<DeadlineDate> {
        let rule = deadline.rule.as_ref()?;
        let (due, computed, derivation, basis) = match rule {
            Rule::Ongoing => (None, None, "a continuing duty with no date".to_string(), None),
            Rule::Unknown => (None, None, "the date is not yet known".to_string(), None),
            Rule::NoLaterThan(date) => (Some(*date), None, format!("no later than {}", human_date(*date)), None),
            Rule::Within { amount, unit, anchor } => {
                let (anchor_date, label) = self.anchor_date(id, anchor)?;
                let computed = match rules::compute(
                    *amount,
                    *unit,
                    anchor_date,
                    &label,
                    deadline.counting,
                    deadline.non_business_day,
                ) {
                    Ok(computed) => computed,
                    Err(message) => {
                        self.diagnostics.push(self.rule_diagnostic(
                            id,
                            message,
                            "use a smaller number of days or months",
                        ));
                        return None;
                    }
                };
                let derivation = computed.derivation.clone();
                (Some(computed.due), Some(computed), derivation, Some((*amount, *unit, anchor_date, label)))
            }
        };
        let completed = self.completion(id, deadline);
        let done = completed.as_ref().and_then(|c| c.date);
        let (status, days_left) = status_on(self.site.as_of, self.site.config.deadlines.due_soon_days, rule, due, done);
        Some(DeadlineDate {
            due,
            computed,
            derivation,
            status,
            days_left,
            basis,
            counting: deadline.counting,
            policy: deadline.non_business_day,
            completed,
        })
    }

    /// Resolves `completed.source`, reporting a name that is not a source.
    fn completion(&mut self, id: ItemId, deadline: &Deadline) -> Option<Completion> {
        let spec = deadline.completed.as_ref()?;
        let source = spec.source.as_deref().and_then(|name| self.completion_source(id, name));
        Some(Completion { date: spec.date.map(|d| d.0), source, note: spec.note.clone() })
    }

    fn completion_source(&mut self, id: ItemId, name: &str) -> Option<ItemId> {
        let problem = match self.lookup.find(name, self.instruments[id.index()]) {
            Found::One(found) if self.site.item(found).kind == Kind::Source => return Some(found),
            Found::One(other) => {
                format!("`{name}` is a {}, but `completed.source` names a source", self.site.item(other).kind.name())
            }
            _ => format!("`completed.source` names `{name}`, but there is no source with that id"),
        };
        let sources: Vec<&str> = self.site.of_kind(Kind::Source).map(|(_, s)| s.id.as_str()).collect();
        let hint = match crate::text::nearest(name, sources.iter().copied(), 3).as_slice() {
            [] => "name the source item that records the completion".to_string(),
            some => format!("did you mean {}?", some.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")),
        };
        let item = self.site.item(id);
        let range = value_range(&item.doc, "source", name).unwrap_or(0..0);
        self.diagnostics.push(item.doc.diagnostic("unresolved-reference", range, problem).with_hint(hint));
        None
    }

    fn anchor_date(&mut self, id: ItemId, anchor: &Anchor) -> Option<(NaiveDate, String)> {
        let instrument = self.instruments[id.index()].map(|i| self.site.item(i));
        let details = instrument.and_then(|i| i.instrument_details());
        match anchor {
            Anchor::Signing => match details.and_then(|d| d.signed) {
                Some(date) => Some((date, "signing".to_string())),
                None => self.missing_anchor(
                    id,
                    "the instrument has no `signed` date",
                    "add `signed = YYYY-MM-DD` to the instrument",
                ),
            },
            Anchor::Effective => match details.and_then(|d| d.effective) {
                Some(date) => Some((date, "the effective date".to_string())),
                None => self.missing_anchor(
                    id,
                    "the instrument has no `effective` or `signed` date",
                    "add `effective = YYYY-MM-DD` to the instrument",
                ),
            },
            Anchor::Named(name) => {
                if let Some(date) = details.and_then(|d| d.events.get(name)) {
                    return Some((*date, name.replace('-', " ")));
                }
                match self.lookup.find(name, self.instruments[id.index()]) {
                    Found::One(other) if self.site.item(other).kind == Kind::Deadline => {
                        let date = self.date_of(other)?;
                        Some((date, format!("“{}”", self.site.item(other).title)))
                    }
                    Found::One(other) => self.missing_anchor(
                        id,
                        &format!("`{name}` is a {}, not a deadline or an event", self.site.item(other).kind.name()),
                        "anchor a rule on signing, effective, another deadline's id or an `events` entry of the instrument",
                    ),
                    _ => {
                        let suggestions = self.lookup.suggest(name);
                        let hint = match suggestions.first() {
                            Some(best) => format!("did you mean `{best}`? anchors are signing, effective, a deadline id or an instrument event"),
                            None => "anchors are signing, effective, a deadline id or an instrument event".to_string(),
                        };
                        self.missing_anchor(id, &format!("the anchor `{name}` is not a deadline or an event of the instrument"), &hint)
                    }
                }
            }
        }
    }

    fn missing_anchor(&mut self, id: ItemId, message: &str, hint: &str) -> Option<(NaiveDate, String)> {
        let diagnostic = self.rule_diagnostic(id, message.to_string(), hint);
        self.diagnostics.push(diagnostic);
        None
    }

    fn rule_diagnostic(&self, id: ItemId, message: String, hint: &str) -> Diagnostic {
        let item = self.site.item(id);
        let text = item.deadline().and_then(|d| d.rule_text.as_deref()).unwrap_or_default();
        let range = value_range(&item.doc, "rule", text).unwrap_or(0..0);
        item.doc.diagnostic("deadline-rule", range, message).with_hint(hint.to_string())
    }

    fn report_cycle(&mut self, id: ItemId) {
        let start = self.stack.iter().position(|&s| s == id).unwrap_or(0);
        let mut chain: Vec<String> = self.stack[start..].iter().map(|&s| self.site.item(s).id.clone()).collect();
        chain.push(self.site.item(id).id.clone());
        let diagnostic = self.rule_diagnostic(
            id,
            format!("deadlines are anchored on each other in a cycle: {}", chain.join(" → ")),
            "anchor one of them on signing, effective or a fixed date",
        );
        self.diagnostics.push(diagnostic);
    }
}

/// Where a deadline due on `due` (if dated) and completed on `done` (if recorded)
/// stands on `as_of`, and the days left until it (negative when overdue).
pub fn status_on(
    as_of: NaiveDate,
    due_soon_days: u32,
    rule: &Rule,
    due: Option<NaiveDate>,
    done: Option<NaiveDate>,
) -> (Status, Option<i64>) {
    let Some(due) = due else {
        let status = match (rule, done) {
            (Rule::Ongoing, _) => Status::Ongoing,
            (_, Some(_)) => Status::Met,
            _ => Status::Unknown,
        };
        return (status, None);
    };
    let days_left = (due - as_of).num_days();
    let status = match done {
        Some(done) if done <= due => Status::Met,
        Some(_) => Status::Late,
        None if days_left < 0 => Status::Passed,
        None if days_left <= i64::from(due_soon_days) => Status::DueSoon,
        None => Status::Upcoming,
    };
    (status, Some(days_left))
}
