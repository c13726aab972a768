//! Deadline rules in the instrument's own words, and the calendar arithmetic behind them.
//!
//! Instruments rarely print the dates they impose. They say "within 150 days of the date
//! of this order", "no later than December 16, 2024, and annually thereafter", "within 10
//! business days of signing", or that a duty is ongoing, and leave the counting to the
//! reader. Readers count differently: some count the signing day as day 1, some roll a
//! Saturday to Monday, some read "60 days" as "two months". A deadline table that only
//! shows typed dates hides all of this, so docket stores the rule as the instrument states
//! it and computes the date, saying how.
//!
//! This is a ground-floor module: it depends on `chrono`, `serde` and std only, so
//! `config`, `load`, `model` and `resolve` can all use its types without reaching up the
//! pipeline. It is split by concern:
//!
//! - [`vocabulary`]: the words rules are made of (number words, month names, units,
//!   anchors, lead-ins) and reading dates out of text;
//! - [`parser`]: rule text → [`Rule`], with [`RuleError`]s carrying byte offsets so the
//!   caller can put a caret under the offending word; and claimed values → [`DateValue`];
//! - [`calendar`]: which days are business days — U.S. federal holidays (5 U.S.C. 6103,
//!   with the observed-day rule) by default, none, or a list of closed dates, as the
//!   knowledge base's [`HolidayCalendar`] says;
//! - [`counting`]: amounts of days, business days, weeks, months and years forward or
//!   back from an anchor, fixed dates, the non-business-day policy, and recurring series;
//! - [`explanations`]: why a claimed date disagrees with the computed one.
//!
//! Calendar rules. Days are calendar days; weeks are 7 days; months land on the same day
//! of the month and clamp to the month's end when that day does not exist (Jan 31 + 1
//! month = Feb 28, or 29 in a leap year); years are 12 months. Business days skip
//! weekends and the calendar's holidays. Counting the anchor as day 1 makes every due
//! date one day earlier (one day later for "before" rules). Anchors and chains are
//! resolved by the caller; this module only counts.
//!
//! Nothing here panics on user input: every failure is a value the caller can report.

use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub mod calendar;
pub mod counting;
pub mod explanations;
pub mod parser;
pub mod vocabulary;

pub use calendar::{HolidayCalendar, Holidays, federal_holiday, is_business_day};
pub use counting::{
    Computed, Conventions, Counting, Direction, NonBusinessDay, Occurrence, compute, compute_with,
    first_day_of_year_on_or_after, fixed_date, series,
};
pub use explanations::explain_difference;
pub use parser::{DateValue, RULE_SHAPES, parse_date_value, parse_rule};

/// The longest span a rule may state in days, a century. Anything longer is far likelier
/// an extra digit than an instrument's intent.
pub const MAX_DAYS: u32 = 36_500;

/// The longest span a rule may state in months, also a century.
pub const MAX_MONTHS: u32 = 1_200;

/// What a deadline rule counts from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// The instrument's signing (issuance, enactment) date.
    Signing,
    /// The instrument's effective date.
    Effective,
    /// Another deadline's id, or a named event of the instrument, resolved by the caller.
    /// Spelled as the author wrote it ("publication in the Federal Register" is the event
    /// `publication`).
    Named(String),
}

/// The anchor of rules that name none ("annually on 1 December" counts from signing).
const SIGNING: Anchor = Anchor::Signing;

impl Anchor {
    /// The word used for the anchor in derivations and explanations ("signing",
    /// "effective", or the id itself).
    pub fn label(&self) -> &str {
        match self {
            Anchor::Signing => "signing",
            Anchor::Effective => "effective",
            Anchor::Named(id) => id,
        }
    }
}

impl fmt::Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The unit a rule counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Calendar days.
    Days,
    /// Business days of the knowledge base's holiday calendar.
    BusinessDays,
    /// Weeks of 7 calendar days.
    Weeks,
    /// Calendar months, clamped to the month's end.
    Months,
    /// Years of 12 months, so February 29 clamps to February 28.
    Years,
}

impl Unit {
    /// An amount in this unit as prose, singular when it is one: "1 day", "60 days",
    /// "10 business days", "2 years".
    pub fn quantity(self, amount: u32) -> String {
        let (one, many) = match self {
            Unit::Days => ("day", "days"),
            Unit::BusinessDays => ("business day", "business days"),
            Unit::Weeks => ("week", "weeks"),
            Unit::Months => ("month", "months"),
            Unit::Years => ("year", "years"),
        };
        format!("{amount} {}", if amount == 1 { one } else { many })
    }

    /// The largest amount a rule may state in this unit (a century).
    pub fn limit(self) -> u32 {
        match self {
            Unit::Days | Unit::BusinessDays => MAX_DAYS,
            Unit::Weeks => MAX_DAYS / 7,
            Unit::Months => MAX_MONTHS,
            Unit::Years => MAX_MONTHS / 12,
        }
    }
}

/// How often a recurring duty comes back, and until when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Every {
    /// How many units between occurrences.
    pub amount: u32,
    /// The unit.
    pub unit: Unit,
    /// The last day an occurrence may fall on ("until 2036" is 2036-12-31).
    pub until: Option<NaiveDate>,
}

impl fmt::Display for Every {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "every {}", self.unit.quantity(self.amount))?;
        if let Some(until) = self.until {
            write!(f, " until {until}")?;
        }
        Ok(())
    }
}

/// A parsed deadline rule, as the instrument states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// "within 30 days of signing", "within 150 days of the date of this order",
    /// "within 10 business days of dl-report".
    Within {
        /// How many units; between 1 and the unit's [`Unit::limit`].
        amount: u32,
        /// Days, business days, weeks, months or years.
        unit: Unit,
        /// What the rule counts from.
        anchor: Anchor,
    },
    /// "30 days before dl-x", "no later than 30 days before the effective date".
    Before {
        /// How many units.
        amount: u32,
        /// The unit.
        unit: Unit,
        /// What the rule counts back from.
        anchor: Anchor,
    },
    /// "no later than 2026-09-30", "by September 30, 2026", "on 2026-09-30".
    NoLaterThan(NaiveDate),
    /// A first deadline, then again and again: "within 180 days of the date of this
    /// memorandum, and every two years thereafter until 2036", "every 180 days".
    Recurring {
        /// The first occurrence: a `Within`, `Before` or `NoLaterThan` rule.
        first: Box<Rule>,
        /// How it recurs.
        every: Every,
    },
    /// "annually on 1 December", "by 31 December each year": the first such day on or
    /// after signing, then every year.
    Annually {
        /// The month, 1 to 12.
        month: u32,
        /// The day of the month (February 29 falls on February 28 in common years).
        day: u32,
        /// The last day an occurrence may fall on.
        until: Option<NaiveDate>,
    },
    /// "ongoing", "continuing": a duty without a due date.
    Ongoing,
    /// "unknown", "date not yet known", "tbd".
    Unknown,
}

impl Rule {
    /// The anchor a relative rule counts from, so the caller can resolve chains of
    /// deadlines and detect cycles.
    pub fn anchor(&self) -> Option<&Anchor> {
        match self {
            Rule::Within { anchor, .. } | Rule::Before { anchor, .. } => Some(anchor),
            Rule::Recurring { first, .. } => first.anchor(),
            Rule::Annually { .. } => Some(&SIGNING),
            _ => None,
        }
    }

    /// Which way the rule counts from its anchor: before it for "30 days before dl-x"
    /// (and a series whose first occurrence is one), after it otherwise.
    pub fn direction(&self) -> Direction {
        match self {
            Rule::Before { .. } => Direction::Before,
            Rule::Recurring { first, .. } => first.direction(),
            _ => Direction::After,
        }
    }

    /// How the rule recurs, for rules that do.
    pub fn every(&self) -> Option<Every> {
        match self {
            Rule::Recurring { every, .. } => Some(*every),
            Rule::Annually { until, .. } => Some(Every { amount: 1, unit: Unit::Years, until: *until }),
            _ => None,
        }
    }
}

/// The canonical spelling, which [`parse_rule`] reads back to the same rule; the deadline
/// table shows it in its "rule" column.
impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Within { amount, unit, anchor } => write!(f, "within {} of {anchor}", unit.quantity(*amount)),
            Rule::Before { amount, unit, anchor } => write!(f, "{} before {anchor}", unit.quantity(*amount)),
            Rule::NoLaterThan(date) => write!(f, "no later than {date}"),
            Rule::Recurring { first, every } => {
                write!(f, "{first}, and every {} thereafter", every.unit.quantity(every.amount))?;
                match every.until {
                    Some(until) => write!(f, " until {until}"),
                    None => Ok(()),
                }
            }
            Rule::Annually { month, day, until } => {
                let name = vocabulary::month_name(*month).unwrap_or("January");
                write!(f, "annually on {name} {day}")?;
                match until {
                    Some(until) => write!(f, " until {until}"),
                    None => Ok(()),
                }
            }
            Rule::Ongoing => f.write_str("ongoing"),
            Rule::Unknown => f.write_str("date not yet known"),
        }
    }
}

/// Why a rule could not be read, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// Byte offset of the offending text inside the rule text.
    pub offset: usize,
    /// Byte length of the offending text; 0 when something is missing at `offset`
    /// (typically the end of the rule).
    pub len: usize,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl RuleError {
    fn new(span: Range<usize>, message: impl Into<String>, hint: impl Into<String>) -> Self {
        RuleError {
            offset: span.start,
            len: span.end.saturating_sub(span.start),
            message: message.into(),
            hint: hint.into(),
        }
    }

    /// The offending byte range inside the rule text, ready to be shifted by the rule's
    /// position in its file for a diagnostic label.
    pub fn span(&self) -> Range<usize> {
        self.offset..self.offset + self.len
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.message, self.hint)
    }
}

impl std::error::Error for RuleError {}

#[cfg(test)]
mod tests;
