//! Computing every deadline's due date from its rule, and its status against the as-of
//! date.
//!
//! Deadlines may be anchored on other deadlines, so dates are computed depth-first with
//! memoisation; a deadline met again while its own date is being computed closes a cycle,
//! which is an error naming the chain. Status never changes a due date.

use chrono::NaiveDate;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Deadline, ItemId, Kind, Site, value_range};
use crate::resolve::lookup::{Found, Lookup};
use crate::resolve::rules::{self, Anchor, Computed, Rule, Unit};
use crate::text::human_date;

/// Where a deadline stands on the as-of date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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
        let (status, days_left) = self.status(rule, due, deadline);
        Some(DeadlineDate { due, computed, derivation, status, days_left, basis })
    }

    fn status(&self, rule: &Rule, due: Option<NaiveDate>, deadline: &Deadline) -> (Status, Option<i64>) {
        let Some(due) = due else {
            return (if matches!(rule, Rule::Ongoing) { Status::Ongoing } else { Status::Unknown }, None);
        };
        let days_left = (due - self.site.as_of).num_days();
        let done = deadline.completed.as_ref().and_then(|c| c.date);
        let status = match done {
            Some(done) if done.0 <= due => Status::Met,
            Some(_) => Status::Late,
            None if days_left < 0 => Status::Passed,
            None if days_left <= i64::from(self.site.config.deadlines.due_soon_days) => Status::DueSoon,
            None => Status::Upcoming,
        };
        (status, Some(days_left))
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
