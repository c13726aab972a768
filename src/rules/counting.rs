//! Counting periods from an anchor, applying the non-business-day policy, and unrolling
//! recurring duties into their occurrences.
//!
//! Every computation returns a [`Computed`] with the date, the date before any rolling, a
//! one-line derivation a reader can check by hand, and — when the due date is not a
//! business day — why not. Fixed dates ("no later than December 1, 2024") go through the
//! same policy as computed ones, so a Sunday is flagged or rolled either way.

use chrono::{Datelike, Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::calendar::{Closure, HolidayCalendar, weekday_name};
use super::{Every, Unit};

/// Computed dates stay within four-digit years: ISO dates in the exports and the calendar
/// files all assume them.
const LAST_YEAR: i32 = 9999;

/// The longest run of non-business days rolled over; generous, since a calendar may list
/// closed weeks (a holiday season).
const MAX_ROLL_DAYS: usize = 31;

/// The most occurrences a recurring series lists; a weekly duty over a century stays
/// under it.
const MAX_OCCURRENCES: usize = 5_300;

/// Whether the anchor day counts as the first day of the period.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Counting {
    /// The anchor day is day 0, as in FRCP 6(a)(1): 30 days after June 2 is July 2.
    #[default]
    ExcludeAnchor,
    /// The anchor day is day 1: 30 days after June 2 is July 1.
    IncludeAnchor,
}

impl Counting {
    /// The other convention, which [`super::explain_difference`] tries.
    pub fn other(self) -> Self {
        match self {
            Counting::ExcludeAnchor => Counting::IncludeAnchor,
            Counting::IncludeAnchor => Counting::ExcludeAnchor,
        }
    }
}

/// Which way a period runs from its anchor: "within 30 days of signing" counts after it,
/// "30 days before the effective date" before it. A period counted before its anchor
/// also rolls before it, so a rolled date never passes the anchor.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Direction {
    /// Later than the anchor.
    #[default]
    After,
    /// Earlier than the anchor.
    Before,
}

impl Direction {
    /// The other way.
    pub fn reverse(self) -> Self {
        match self {
            Direction::After => Direction::Before,
            Direction::Before => Direction::After,
        }
    }

    /// "after" or "before", as derivations say it.
    pub fn word(self) -> &'static str {
        match self {
            Direction::After => "after",
            Direction::Before => "before",
        }
    }

    fn shift_days(self, date: NaiveDate, days: u64) -> Option<NaiveDate> {
        match self {
            Direction::After => date.checked_add_days(Days::new(days)),
            Direction::Before => date.checked_sub_days(Days::new(days)),
        }
    }

    fn shift_months(self, date: NaiveDate, months: u32) -> Option<NaiveDate> {
        match self {
            Direction::After => date.checked_add_months(Months::new(months)),
            Direction::Before => date.checked_sub_months(Months::new(months)),
        }
    }
}

/// What happens to a due date that falls on a weekend or holiday.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NonBusinessDay {
    /// Keep the date and say nothing: the instrument's day is the day.
    Keep,
    /// Keep the date but report why it is not a business day.
    #[default]
    Flag,
    /// Move the date to the next business day, as FRCP 6(a)(1)(C) does (to the one
    /// before, for a period counted back from its anchor).
    Roll,
}

/// The conventions a knowledge base (or one deadline) counts with.
#[derive(Clone, Copy, Debug)]
pub struct Conventions<'c> {
    /// Anchor day counted or not.
    pub counting: Counting,
    /// Weekend and holiday policy.
    pub policy: NonBusinessDay,
    /// Which days are business days.
    pub calendar: &'c HolidayCalendar,
}

/// A computed due date and how it was derived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Computed {
    /// The date after applying the non-business-day policy.
    pub due: NaiveDate,
    /// The date before rolling; equal to `due` unless the policy rolled it.
    pub nominal: NaiveDate,
    /// One line a reader can check by hand: "60 days after signing, 2026-06-02, signing
    /// day not counted; 2026-08-01 is a Saturday, rolled to Monday 2026-08-03".
    pub derivation: String,
    /// Under Flag, why the due date is not a business day ("Saturday", "Independence Day
    /// (observed)"); under Roll, the day it was rolled from ("rolled from Saturday
    /// 2026-08-01"), since the due date itself is then a business day; always `None`
    /// under Keep.
    pub non_business: Option<String>,
}

/// One occurrence of a recurring duty.
pub type Occurrence = Computed;

/// Computes the due date `amount` units after `anchor_date` under the U.S. federal
/// calendar.
///
/// `anchor_label` names the anchor in the derivation ("signing", "the effective date", a
/// deadline id). Fails when the amount is zero (there is no period to count) or the date
/// would fall after the year 9999.
pub fn compute(
    amount: u32,
    unit: Unit,
    anchor_date: NaiveDate,
    anchor_label: &str,
    counting: Counting,
    policy: NonBusinessDay,
) -> Result<Computed, String> {
    let calendar = HolidayCalendar::default();
    let conventions = Conventions { counting, policy, calendar: &calendar };
    compute_with(amount, unit, Direction::After, anchor_date, anchor_label, &conventions)
}

/// Computes the due date `amount` units after or before `anchor_date` under the given
/// conventions.
pub fn compute_with(
    amount: u32,
    unit: Unit,
    direction: Direction,
    anchor_date: NaiveDate,
    anchor_label: &str,
    conventions: &Conventions<'_>,
) -> Result<Computed, String> {
    let calendar = conventions.calendar;
    let counting = conventions.counting;
    let (nominal, clamped) = nominal(amount, unit, direction, anchor_date, counting, calendar)?;
    let derivation = describe_count(amount, unit, direction, anchor_date, anchor_label, counting, clamped);
    apply_policy(nominal, derivation, direction, conventions)
}

/// A fixed date ("no later than December 1, 2024") under the non-business-day policy.
pub fn fixed_date(date: NaiveDate, conventions: &Conventions<'_>) -> Result<Computed, String> {
    apply_policy(date, format!("no later than {date}"), Direction::After, conventions)
}

/// Flags or rolls `nominal` as the policy says, finishing its derivation; a date counted
/// before its anchor rolls to the business day before it.
fn apply_policy(
    nominal: NaiveDate,
    mut derivation: String,
    direction: Direction,
    conventions: &Conventions<'_>,
) -> Result<Computed, String> {
    let calendar = conventions.calendar;
    let closure = calendar.closure(nominal);
    let (due, non_business) = match (conventions.policy, &closure) {
        (NonBusinessDay::Keep, _) | (_, None) => (nominal, None),
        (NonBusinessDay::Flag, Some(closure)) => (nominal, Some(closure.label())),
        (NonBusinessDay::Roll, Some(closure)) => {
            let due = roll(nominal, direction, calendar)?;
            derivation.push_str(&roll_note(nominal, closure, due, calendar));
            let from = format!("rolled from {} {nominal}", closure.label());
            (due, Some(from))
        }
    };
    Ok(Computed { due, nominal, derivation, non_business })
}

/// The occurrences of a recurring duty whose first occurrence is `first`: every
/// `every.amount` units from the first's nominal date (so month ends do not drift), each
/// under the policy, up to `every.until` or, without one, up to `horizon`. The first
/// occurrence is always listed. `direction` is the first occurrence's: each occurrence of
/// a duty due before its anchor rolls back, as the first does.
pub fn series(
    first: &Computed,
    every: Every,
    direction: Direction,
    conventions: &Conventions<'_>,
    horizon: NaiveDate,
) -> Result<Vec<Occurrence>, String> {
    let last = every.until.unwrap_or(horizon);
    let mut occurrences = vec![first.clone()];
    let period = every.unit.quantity(every.amount);
    let mut previous = first.nominal;
    for k in 1..MAX_OCCURRENCES as u32 {
        let Some(total) = every.amount.checked_mul(k) else { break };
        let nominal = match every.unit {
            // Calendar units count from the first date, so Jan 31 + 1 month + 1 month is
            // March 31, not March 28.
            Unit::Months | Unit::Years | Unit::Days | Unit::Weeks => {
                match nominal(
                    total,
                    every.unit,
                    Direction::After,
                    first.nominal,
                    Counting::ExcludeAnchor,
                    conventions.calendar,
                ) {
                    Ok((date, _)) => date,
                    Err(_) => break,
                }
            }
            Unit::BusinessDays => {
                match nominal(
                    every.amount,
                    every.unit,
                    Direction::After,
                    previous,
                    Counting::ExcludeAnchor,
                    conventions.calendar,
                ) {
                    Ok((date, _)) => date,
                    Err(_) => break,
                }
            }
        };
        if nominal > last {
            break;
        }
        previous = nominal;
        let derivation = format!("every {period} from {}: occurrence {} on {nominal}", first.nominal, k + 1);
        occurrences.push(apply_policy(nominal, derivation, direction, conventions)?);
    }
    Ok(occurrences)
}

/// The first `month`/`day` on or after `from` (February 29 falls on February 28 in
/// common years).
pub fn first_day_of_year_on_or_after(month: u32, day: u32, from: NaiveDate) -> Option<NaiveDate> {
    let on = |year: i32| {
        NaiveDate::from_ymd_opt(year, month, day).or_else(|| NaiveDate::from_ymd_opt(year, month, day.checked_sub(1)?))
    };
    let this_year = on(from.year())?;
    if this_year >= from { Some(this_year) } else { on(from.year() + 1) }
}

/// "60 days after signing, 2026-06-02, signing day not counted": the counting part of a
/// derivation, before any rolling.
fn describe_count(
    amount: u32,
    unit: Unit,
    direction: Direction,
    anchor_date: NaiveDate,
    anchor_label: &str,
    counting: Counting,
    clamped: bool,
) -> String {
    let period = unit.quantity(amount);
    let clamping = if clamped { " (clamped to the month's end)" } else { "" };
    let day = anchor_day(anchor_label);
    let counted = match (counting, unit) {
        (Counting::ExcludeAnchor, Unit::Days | Unit::Weeks | Unit::BusinessDays) => format!(", {day} not counted"),
        // Month arithmetic lands on the same day of the month, so "not counted" would add
        // nothing there.
        (Counting::ExcludeAnchor, Unit::Months | Unit::Years) => String::new(),
        (Counting::IncludeAnchor, _) => format!(", {day} counted as day 1"),
    };
    let direction = direction.word();
    format!("{period} {direction} {anchor_label}, {anchor_date}{clamping}{counted}")
}

/// The due date before any rolling, `amount` units from `anchor` in `direction`, and
/// whether month arithmetic clamped it to a shorter month's end. Counting the anchor as
/// day 1 moves the date one day back toward the anchor: a day earlier after it, a day
/// later before it.
pub(super) fn nominal(
    amount: u32,
    unit: Unit,
    direction: Direction,
    anchor: NaiveDate,
    counting: Counting,
    calendar: &HolidayCalendar,
) -> Result<(NaiveDate, bool), String> {
    let period = unit.quantity(amount);
    if amount == 0 {
        return Err(format!("a deadline of {period} leaves no time to act"));
    }
    let out_of_range = || match direction {
        Direction::After => format!("{period} after {anchor} is past the year {LAST_YEAR}"),
        Direction::Before => format!("{period} before {anchor} is before the year 1"),
    };
    if unit == Unit::BusinessDays {
        let due = business_days(anchor, amount, counting, direction, calendar).ok_or_else(out_of_range)?;
        return Ok((due, false));
    }
    let end_of_period = match unit {
        Unit::Days => direction.shift_days(anchor, amount.into()),
        Unit::Weeks => direction.shift_days(anchor, u64::from(amount) * 7),
        Unit::Months => direction.shift_months(anchor, amount),
        Unit::Years => amount.checked_mul(12).and_then(|months| direction.shift_months(anchor, months)),
        Unit::BusinessDays => None,
    }
    .filter(in_range)
    .ok_or_else(out_of_range)?;
    let clamped = matches!(unit, Unit::Months | Unit::Years) && end_of_period.day() != anchor.day();
    let due = match counting {
        Counting::ExcludeAnchor => Some(end_of_period),
        Counting::IncludeAnchor => direction.reverse().shift_days(end_of_period, 1),
    }
    .filter(in_range)
    .ok_or_else(out_of_range)?;
    Ok((due, clamped))
}

/// Whether a computed date stays within the four-digit years the outputs assume.
fn in_range(date: &NaiveDate) -> bool {
    (1..=LAST_YEAR).contains(&date.year())
}

/// The `amount`th business day after (or before) `anchor`. Counting the anchor as day 1
/// counts it only when it is itself a business day.
fn business_days(
    anchor: NaiveDate,
    amount: u32,
    counting: Counting,
    direction: Direction,
    calendar: &HolidayCalendar,
) -> Option<NaiveDate> {
    let mut left = amount;
    if counting == Counting::IncludeAnchor && calendar.is_business_day(anchor) {
        left -= 1;
        if left == 0 {
            return Some(anchor);
        }
    }
    let mut day = anchor;
    while left > 0 {
        day = direction.shift_days(day, 1).filter(in_range)?;
        if calendar.is_business_day(day) {
            left -= 1;
        }
    }
    Some(day)
}

/// How derivations and explanations name the anchor's own day.
pub(super) fn anchor_day(label: &str) -> String {
    let label = label.strip_prefix("the ").unwrap_or(label);
    match label {
        "" => "anchor day".to_string(),
        "signing" => "signing day".to_string(),
        "effective" => "effective date".to_string(),
        _ if label.ends_with(" date") || label.ends_with(" day") => label.to_string(),
        _ => format!("day of {label}"),
    }
}

/// The first business day after `date` (before it, for `Direction::Before`).
pub(super) fn roll(date: NaiveDate, direction: Direction, calendar: &HolidayCalendar) -> Result<NaiveDate, String> {
    let mut day = date;
    for _ in 0..MAX_ROLL_DAYS {
        day = direction
            .shift_days(day, 1)
            .filter(in_range)
            .ok_or_else(|| format!("rolling {date} passes the limits of the calendar"))?;
        if calendar.is_business_day(day) {
            return Ok(day);
        }
    }
    Err(format!("no business day within {MAX_ROLL_DAYS} days of {date}"))
}

/// "; 2026-09-05 is a Saturday, rolled past Labor Day (Monday 2026-09-07) to Tuesday
/// 2026-09-08": naming skipped weekday holidays, since a reader checking by hand would
/// otherwise stop at the Monday.
fn roll_note(nominal: NaiveDate, closure: &Closure, due: NaiveDate, calendar: &HolidayCalendar) -> String {
    let (low, high) = if due > nominal { (nominal, due) } else { (due, nominal) };
    let skipped: Vec<String> = low
        .iter_days()
        .skip(1)
        .take_while(|day| *day < high)
        .filter(|day| !super::calendar::is_weekend(*day))
        .filter_map(|day| calendar.holiday(day).map(|name| format!("{name} ({} {day})", weekday_name(day.weekday()))))
        .collect();
    let past = if skipped.is_empty() { String::new() } else { format!(" past {}", skipped.join(" and ")) };
    let back = if due < nominal { " back" } else { "" };
    format!("; {nominal} is {}, rolled{back}{past} to {} {due}", closure.predicate(), weekday_name(due.weekday()))
}
