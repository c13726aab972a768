//! Computing every deadline's due date from its rule, and its status against the as-of
//! date.
//!
//! Deadlines may be anchored on other deadlines, in chains of any length, so dates are
//! computed in dependency order with an explicit stack rather than by recursion (a chain
//! of 20,000 deadlines must not overflow the thread's stack); a deadline met again while
//! its own date is being computed closes a cycle, which is an error naming the chain.
//! Status never changes a due date.
//!
//! Each deadline counts from its own instrument's dates: the instrument of its provision,
//! else the one it names. A deadline whose provision does not resolve has no instrument,
//! and is not dated from another's signing; the unresolved provision is reported where it
//! is named, and nothing more is said about the dates it cannot have.
//!
//! Recurring duties ("and every two years thereafter until 2036", "annually on 1
//! December") are unrolled into their occurrences, through their `until` date or two
//! years past the as-of date; the deadline's due date is the next occurrence on or after
//! the as-of date (the last one, once all have passed).
//!
//! A recorded completion (`completed = { date, source }`) is resolved here too: its
//! source must name a source item, and its date decides between met and late.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Deadline, ItemId, Kind, Site, value_range};
use crate::resolve::lookup::{Found, Lookup};
use crate::rules::{
    self, Anchor, Computed, Conventions, Counting, Direction, Every, HolidayCalendar, NonBusinessDay, Rule, Unit,
};
use crate::text::human_date;

/// Amount, unit, anchor date and anchor label of a forward rule, which disagreeing claims
/// are explained against.
pub type Basis = (u32, Unit, NaiveDate, String);

/// How far past the as-of date an open-ended series is listed.
const SERIES_HORIZON_DAYS: u64 = 730;

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
    /// Due after its instrument was revoked (as of the as-of date): no longer owed.
    Moot,
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
            Status::Moot => "moot: instrument revoked",
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
            Status::Moot => "moot",
        }
    }
}

/// A deadline's computed date and status.
#[derive(Clone, Debug)]
pub struct DeadlineDate {
    /// The due date, when the rule gives one.
    pub due: Option<NaiveDate>,
    /// How it was computed (for a recurring duty, its occurrence on `due`); `None` for
    /// ongoing and undated duties.
    pub computed: Option<Computed>,
    /// How the date was derived, for people.
    pub derivation: String,
    /// Status on the as-of date.
    pub status: Status,
    /// Days from the as-of date to the due date (negative when overdue); `None` when
    /// undated, and when moot: a duty that is no longer owed counts down to nothing.
    pub days_left: Option<i64>,
    /// For day and month rules: amount, unit and anchor date (to explain disagreements).
    pub basis: Option<Basis>,
    /// The counting convention the date was computed with (the deadline's own, else the
    /// site's), so disagreements are explained against the convention actually used.
    pub counting: Counting,
    /// The weekend and holiday policy the date was computed with.
    pub policy: NonBusinessDay,
    /// The recorded completion, when there is one.
    pub completed: Option<Completion>,
    /// For recurring duties, every listed occurrence in order (the first included);
    /// empty for one-off deadlines.
    pub occurrences: Vec<Computed>,
    /// For recurring duties, how they recur.
    pub every: Option<Every>,
    /// The business-day calendar the date was computed with: the instrument's own, else
    /// the knowledge base's.
    pub calendar: HolidayCalendar,
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
/// (`None` for items that are not deadlines). `instruments` is each item's instrument;
/// `provisions` each deadline's resolved provision.
pub fn compute_all(
    site: &Site,
    lookup: &Lookup,
    instruments: &[Option<ItemId>],
    provisions: &[Option<ItemId>],
    diagnostics: &mut Diagnostics,
) -> Vec<Option<DeadlineDate>> {
    let calendar = site.config.deadlines.calendar();
    let own_calendars: HashMap<ItemId, HolidayCalendar> = site
        .of_kind(Kind::Instrument)
        .filter_map(|(id, item)| Some((id, item.instrument_details()?.own_calendar(&calendar)?)))
        .collect();
    let mut state = Computation {
        site,
        lookup,
        instruments,
        provisions,
        calendar: &calendar,
        own_calendars: &own_calendars,
        memo: vec![Memo::Todo; site.items.len()],
        diagnostics,
    };
    for (id, _) in site.of_kind(Kind::Deadline) {
        state.run(id);
    }
    state
        .memo
        .into_iter()
        .map(|memo| match memo {
            Memo::Done(date) => Some(*date),
            _ => None,
        })
        .collect()
}

#[derive(Clone)]
enum Memo {
    Todo,
    InProgress,
    Done(Box<DeadlineDate>),
    Failed,
}

struct Computation<'a> {
    site: &'a Site,
    lookup: &'a Lookup,
    instruments: &'a [Option<ItemId>],
    provisions: &'a [Option<ItemId>],
    calendar: &'a HolidayCalendar,
    /// The calendars of instruments that name their own holidays or closed days.
    own_calendars: &'a HashMap<ItemId, HolidayCalendar>,
    memo: Vec<Memo>,
    diagnostics: &'a mut Diagnostics,
}

impl<'a> Computation<'a> {
    /// Computes `root` and every deadline it is anchored on, deepest first, with an
    /// explicit stack.
    fn run(&mut self, root: ItemId) {
        if !matches!(self.memo[root.index()], Memo::Todo) {
            return;
        }
        self.memo[root.index()] = Memo::InProgress;
        let mut stack = vec![root];
        while let Some(&top) = stack.last() {
            if let Some(dependency) = self.dependency(top) {
                match self.memo[dependency.index()] {
                    Memo::Todo => {
                        self.memo[dependency.index()] = Memo::InProgress;
                        stack.push(dependency);
                        continue;
                    }
                    Memo::InProgress => self.report_cycle(&stack, dependency),
                    Memo::Done(_) | Memo::Failed => {}
                }
            }
            let result = self.site.item(top).deadline().and_then(|deadline| self.compute(top, deadline));
            self.memo[top.index()] = result.map_or(Memo::Failed, |date| Memo::Done(Box::new(date)));
            stack.pop();
        }
    }

    /// The deadline `id`'s rule is anchored on, when it is anchored on one (and not on an
    /// event of its instrument, which wins over a deadline of the same name).
    fn dependency(&self, id: ItemId) -> Option<ItemId> {
        let Some(Anchor::Named(name)) = self.site.item(id).deadline()?.rule.as_ref()?.anchor() else {
            return None;
        };
        let instrument = self.instruments[id.index()];
        let events = instrument.and_then(|i| self.site.item(i).instrument_details()).map(|d| &d.events);
        if events.is_some_and(|events| events.contains_key(name)) {
            return None;
        }
        match self.lookup.find(name, instrument) {
            Found::One(other) if self.site.item(other).kind == Kind::Deadline => Some(other),
            _ => None,
        }
    }

    /// The business-day calendar of deadline `id`: its instrument's own, else the
    /// knowledge base's.
    fn calendar_of(&self, id: ItemId) -> &'a HolidayCalendar {
        let own_calendars = self.own_calendars;
        self.instruments[id.index()].and_then(|i| own_calendars.get(&i)).unwrap_or(self.calendar)
    }

    /// The computed due date of another deadline, already computed by [`Self::run`].
    fn date_of(&self, id: ItemId) -> Option<NaiveDate> {
        match &self.memo[id.index()] {
            Memo::Done(date) => date.due,
            _ => None,
        }
    }

    fn compute(&mut self, id: ItemId, deadline: &Deadline) -> Option<DeadlineDate> {
        let rule = deadline.rule.as_ref()?;
        let conventions = Conventions {
            counting: deadline.counting,
            policy: deadline.non_business_day,
            calendar: self.calendar_of(id),
        };
        let (computed, derivation, basis, occurrences) = match rule {
            Rule::Ongoing => (None, "a continuing duty with no date".to_string(), None, Vec::new()),
            Rule::Unknown => (None, "the date is not yet known".to_string(), None, Vec::new()),
            _ => {
                let (first, basis) = self.first_occurrence(id, rule, &conventions)?;
                match rule.every() {
                    None => (Some(first.clone()), first.derivation, basis, Vec::new()),
                    Some(every) => {
                        let occurrences = self.series(id, &first, every, rule.direction(), &conventions)?;
                        let shown = next_occurrence(&occurrences, self.site.as_of).clone();
                        let derivation = recurring_derivation(&first, &shown, every, occurrences.len());
                        (Some(shown), derivation, basis, occurrences)
                    }
                }
            }
        };
        let due = computed.as_ref().map(|c| c.due);
        let completed = self.completion(id, deadline);
        let done = completed.as_ref().and_then(|c| c.date);
        let (mut status, mut days_left) =
            status_on(self.site.as_of, self.site.config.deadlines.due_soon_days, rule, due, done);
        let mut derivation = derivation;
        if let Some(revoked) = self.revoked_before(id, due) {
            status = Status::Moot;
            days_left = None;
            derivation.push_str(&format!("; moot: the instrument was revoked on {}", human_date(revoked)));
        }
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
            every: rule.every(),
            occurrences,
            calendar: self.calendar_of(id).clone(),
        })
    }

    /// The first (or only) occurrence of a dated rule, and for forward day and month
    /// rules the basis claims are explained against.
    fn first_occurrence(
        &mut self,
        id: ItemId,
        rule: &Rule,
        conventions: &Conventions<'_>,
    ) -> Option<(Computed, Option<Basis>)> {
        let computed = match rule {
            Rule::Within { amount, unit, anchor } | Rule::Before { amount, unit, anchor } => {
                let direction = rule.direction();
                let (anchor_date, label) = self.anchor_date(id, anchor)?;
                let computed = rules::compute_with(*amount, *unit, direction, anchor_date, &label, conventions);
                let computed = self.reported(id, computed)?;
                let basis = (direction == Direction::After).then_some((*amount, *unit, anchor_date, label));
                return Some((computed, basis));
            }
            Rule::NoLaterThan(date) => {
                let computed = self.reported(id, rules::fixed_date(*date, conventions))?;
                let written = format!("no later than {date}");
                let derivation =
                    computed.derivation.replacen(&written, &format!("no later than {}", human_date(*date)), 1);
                Computed { derivation, ..computed }
            }
            Rule::Recurring { first, .. } => return self.first_occurrence(id, first, conventions),
            Rule::Annually { month, day, .. } => {
                let (signed, _) = self.anchor_date(id, &Anchor::Signing)?;
                let Some(date) = rules::first_day_of_year_on_or_after(*month, *day, signed) else {
                    self.diagnostics.push(self.rule_diagnostic(
                        id,
                        "the day does not exist".into(),
                        "check the day and the month",
                    ));
                    return None;
                };
                let computed = self.reported(id, rules::fixed_date(date, conventions))?;
                let derivation = computed.derivation.replacen(
                    &format!("no later than {date}"),
                    &format!("the first {} on or after signing, {signed}, is {date}", day_of_year(*month, *day)),
                    1,
                );
                Computed { derivation, ..computed }
            }
            Rule::Ongoing | Rule::Unknown => return None,
        };
        Some((computed, None))
    }

    fn series(
        &mut self,
        id: ItemId,
        first: &Computed,
        every: Every,
        direction: Direction,
        conventions: &Conventions<'_>,
    ) -> Option<Vec<Computed>> {
        let from = first.nominal.max(self.site.as_of);
        let horizon = from.checked_add_days(Days::new(SERIES_HORIZON_DAYS)).unwrap_or(from);
        self.reported(id, rules::series(first, every, direction, conventions, horizon))
    }

    /// The value, or `None` after reporting the arithmetic error at the rule.
    fn reported<T>(&mut self, id: ItemId, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                let diagnostic = self.rule_diagnostic(id, message, "use a smaller number of days or months");
                self.diagnostics.push(diagnostic);
                None
            }
        }
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

    /// The revocation date of the deadline's instrument, when it was revoked by the as-of
    /// date and before the deadline fell due (an undated duty ends with it too).
    fn revoked_before(&self, id: ItemId, due: Option<NaiveDate>) -> Option<NaiveDate> {
        let instrument = self.own_instrument(id)?;
        let revoked = self.site.item(instrument).instrument_details()?.revoked_by_date(self.site.as_of)?;
        due.is_none_or(|due| due > revoked).then_some(revoked)
    }

    /// The instrument the deadline counts from: its provision's, else the one it names.
    /// `None` when its provision does not resolve and it names none, so it never borrows
    /// the default instrument's dates.
    fn own_instrument(&self, id: ItemId) -> Option<ItemId> {
        let item = self.site.item(id);
        let names_provision = item.deadline().is_some_and(|d| d.provision.is_some());
        let unresolved = names_provision && self.provisions.get(id.index()).copied().flatten().is_none();
        if unresolved && item.doc.front.instrument.is_none() { None } else { self.instruments[id.index()] }
    }

    fn anchor_date(&mut self, id: ItemId, anchor: &Anchor) -> Option<(NaiveDate, String)> {
        let item = self.site.item(id);
        let unresolved_provision = item.deadline().is_some_and(|d| d.provision.is_some())
            && self.provisions.get(id.index()).copied().flatten().is_none();
        let instrument = self.own_instrument(id).map(|i| self.site.item(i));
        let details = instrument.and_then(|i| i.instrument_details());
        if instrument.is_none() && !matches!(anchor, Anchor::Named(_)) {
            if unresolved_provision {
                // Reported where the provision is named; the dates follow from it.
                return None;
            }
            return self.missing_anchor(
                id,
                "this deadline does not say which instrument it belongs to, so it has no signing or effective date",
                "name its `provision`, or add `instrument = \"id\"`",
            );
        }
        let name = instrument.map(|i| i.short_label()).unwrap_or_default();
        match anchor {
            Anchor::Signing => match details.and_then(|d| d.signed) {
                Some(date) => Some((date, "signing".to_string())),
                None => self.missing_anchor(
                    id,
                    &format!("the instrument {name} has no `signed` date"),
                    "add `signed = YYYY-MM-DD` to the instrument",
                ),
            },
            Anchor::Effective => match details.and_then(|d| d.effective) {
                Some(date) => Some((date, "the effective date".to_string())),
                None => self.missing_anchor(
                    id,
                    &format!("the instrument {name} has no `effective` or `signed` date"),
                    "add `effective = YYYY-MM-DD` to the instrument",
                ),
            },
            Anchor::Named(name) => self.named_anchor(id, details.map(|d| &d.events), name),
        }
    }

    fn named_anchor(
        &mut self,
        id: ItemId,
        events: Option<&std::collections::BTreeMap<String, NaiveDate>>,
        name: &str,
    ) -> Option<(NaiveDate, String)> {
        if let Some(date) = events.and_then(|events| events.get(name)) {
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
                    Some(best) => format!(
                        "did you mean `{best}`? anchors are signing, effective, a deadline id or an instrument event"
                    ),
                    None => "anchors are signing, effective, a deadline id or an instrument event".to_string(),
                };
                self.missing_anchor(
                    id,
                    &format!("the anchor `{name}` is not a deadline or an event of the instrument"),
                    &hint,
                )
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

    /// Reports the cycle closed by `id`, which is on `stack`.
    fn report_cycle(&mut self, stack: &[ItemId], id: ItemId) {
        let start = stack.iter().position(|&s| s == id).unwrap_or(0);
        let mut chain: Vec<String> = stack[start..].iter().map(|&s| self.site.item(s).id.clone()).collect();
        chain.push(self.site.item(id).id.clone());
        let diagnostic = self.rule_diagnostic(
            id,
            format!("deadlines are anchored on each other in a cycle: {}", chain.join(" → ")),
            "anchor one of them on signing, effective or a fixed date",
        );
        self.diagnostics.push(diagnostic);
    }
}

/// The occurrence due on or after `as_of`, else the last one.
fn next_occurrence(occurrences: &[Computed], as_of: NaiveDate) -> &Computed {
    occurrences
        .iter()
        .find(|o| o.due >= as_of)
        .unwrap_or_else(|| occurrences.last().expect("a series always lists its first occurrence"))
}

/// "first: 180 days after signing, 2024-01-02, signing day not counted; then every 2
/// years until 2036-12-31 (7 occurrences listed); next: 2028-06-30".
fn recurring_derivation(first: &Computed, shown: &Computed, every: Every, listed: usize) -> String {
    let mut text = format!("first: {}; then {every}", first.derivation);
    let plural = if listed == 1 { "" } else { "s" };
    text.push_str(&format!(" ({listed} occurrence{plural} listed)"));
    if shown.nominal != first.nominal {
        text.push_str(&format!("; this one: {}", shown.derivation));
    }
    text
}

/// "December 1".
fn day_of_year(month: u32, day: u32) -> String {
    NaiveDate::from_ymd_opt(2024, month, day).map_or_else(String::new, |date| date.format("%B %-d").to_string())
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
