//! Explaining a claimed date that disagrees with the computed one.
//!
//! Sources count differently. Rather than a bare red flag, docket tries the other
//! conventions — the other counting, rolling or not, days read as months — and says which
//! one, if any, produces the claim ("matches if the signing day is counted as day 1").

use chrono::NaiveDate;

use super::Unit;
use super::calendar::HolidayCalendar;
use super::counting::{Conventions, Counting, Direction, NonBusinessDay, anchor_day, nominal, roll};

/// One way of reading a rule: which amount and unit, which counting, rolled
/// or not.
#[derive(Clone, Copy)]
struct Reading {
    amount: u32,
    unit: Unit,
    counting: Counting,
    rolls: bool,
}

impl Reading {
    fn due(self, anchor: NaiveDate, calendar: &HolidayCalendar) -> Option<NaiveDate> {
        let (nominal, _) = nominal(self.amount, self.unit, Direction::After, anchor, self.counting, calendar).ok()?;
        if self.rolls && !calendar.is_business_day(nominal) {
            roll(nominal, Direction::After, calendar).ok()
        } else {
            Some(nominal)
        }
    }
}

/// Explains a claimed date that disagrees with the computed one, by trying
/// the other conventions.
///
/// Tries, simplest first: the other counting convention, rolling (or not
/// rolling) to the next business day, reading days as months or months as
/// days (30 days a month, 365 days a year), then combinations of two and of
/// all three. Returns the first that produces `claimed`, as a sentence
/// ("matches if the signing day is counted as day 1"); `None` when the claim
/// agrees with the computed date or nothing explains it. `used` are the conventions
/// the date was computed with, its business-day calendar included (the knowledge base's
/// or the instrument's own), so a reading that rolls skips the same holidays.
pub fn explain_difference(
    claimed: NaiveDate,
    amount: u32,
    unit: Unit,
    anchor_date: NaiveDate,
    anchor_label: &str,
    used: &Conventions<'_>,
) -> Option<String> {
    let rolls = used.policy == NonBusinessDay::Roll;
    let calendar = used.calendar;
    let computed = Reading { amount, unit, counting: used.counting, rolls };
    if computed.due(anchor_date, calendar) == Some(claimed) {
        return None;
    }
    let mut readings = alternative_readings(computed, &anchor_day(anchor_label));
    // Stable: among readings that change as many things, the enumeration
    // order (counting, then rolling, then units) decides.
    readings.sort_by_key(|(changes, _)| changes.len());
    readings
        .into_iter()
        .skip(1)
        .find(|(_, reading)| reading.due(anchor_date, calendar) == Some(claimed))
        .map(|(changes, _)| format!("matches if {}", changes.join(" and ")))
}

/// Every combination of the alternatives, each with the phrases describing
/// what it changes, in the order the sentence should list them.
fn alternative_readings(computed: Reading, day: &str) -> Vec<(Vec<String>, Reading)> {
    let other = computed.counting.other();
    let counting_phrase = match other {
        Counting::IncludeAnchor => format!("the {day} is counted as day 1"),
        Counting::ExcludeAnchor => format!("the {day} is not counted"),
    };
    let roll_phrase = if computed.rolls {
        "the date is not rolled to the next business day"
    } else {
        "the date is rolled to the next business day"
    };
    let countings = [(computed.counting, None), (other, Some(counting_phrase))];
    let rollings = [(computed.rolls, None), (!computed.rolls, Some(roll_phrase.to_string()))];
    let mut periods = vec![(computed.amount, computed.unit, None)];
    periods.extend(
        reinterpretations(computed.amount, computed.unit)
            .into_iter()
            .map(|(amount, unit, phrase)| (amount, unit, Some(phrase))),
    );
    let mut readings = Vec::new();
    for (amount, unit, period_phrase) in &periods {
        for (rolls, roll_phrase) in &rollings {
            for (counting, counting_phrase) in &countings {
                let changes = [period_phrase, counting_phrase, roll_phrase].into_iter().flatten().cloned().collect();
                let reading = Reading { amount: *amount, unit: *unit, counting: *counting, rolls: *rolls };
                readings.push((changes, reading));
            }
        }
    }
    readings
}

/// The same period in the other unit, as a reader converting loosely would:
/// 30 days to a month, 365 days to a year.
fn reinterpretations(amount: u32, unit: Unit) -> Vec<(u32, Unit, String)> {
    let converted = match unit {
        Unit::Days => vec![
            amount.is_multiple_of(30).then_some((amount / 30, Unit::Months)),
            amount.is_multiple_of(365).then_some((amount / 365 * 12, Unit::Months)),
        ],
        // Other units are stated too precisely to be misread this way.
        Unit::BusinessDays | Unit::Weeks | Unit::Years => Vec::new(),
        Unit::Months => vec![
            amount.checked_mul(30).map(|days| (days, Unit::Days)),
            amount.is_multiple_of(12).then(|| (amount / 12).checked_mul(365)).flatten().map(|days| (days, Unit::Days)),
        ],
    };
    converted
        .into_iter()
        .flatten()
        .filter(|(other, _)| *other > 0)
        .map(|(other, other_unit)| {
            let phrase = format!("{} is read as {}", unit.quantity(amount), other_unit.quantity(other));
            (other, other_unit, phrase)
        })
        .collect()
}

// ---------------------------------------------------------------------------
