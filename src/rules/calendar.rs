//! Which days are business days.
//!
//! A [`HolidayCalendar`] is the knowledge base's: U.S. federal holidays by default
//! ([`Holidays::UsFederal`], 5 U.S.C. 6103 as it stands today — Juneteenth from 2021,
//! Birthday of Martin Luther King, Jr. from 1986 — with the observed-day rule for federal
//! employees: a Saturday holiday is observed the Friday before, a Sunday one the Monday
//! after), or no holidays ([`Holidays::None`], weekends only), plus any closed dates it
//! lists (an EU institution's closing days, a one-off closure by executive order).
//! Inauguration Day, a holiday only around Washington, D.C., is not a federal holiday here.

use std::collections::BTreeSet;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Which public holidays close offices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Holidays {
    /// The legal public holidays of 5 U.S.C. 6103 and their observed days.
    #[default]
    UsFederal,
    /// None: only weekends and the listed closed dates.
    None,
}

/// The knowledge base's business-day calendar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    /// The public holidays.
    pub holidays: Holidays,
    /// Further days offices are closed.
    pub closed: BTreeSet<NaiveDate>,
}

impl HolidayCalendar {
    /// Whether offices are open on `date`.
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        self.closure(date).is_none()
    }

    /// The holiday or closure falling on `date`, by name.
    pub fn holiday(&self, date: NaiveDate) -> Option<&'static str> {
        let public = match self.holidays {
            Holidays::UsFederal => federal_holiday(date),
            Holidays::None => None,
        };
        public.or_else(|| self.closed.contains(&date).then_some("a listed closed day"))
    }

    /// Why `date` is not a business day, or `None` when it is one.
    pub(super) fn closure(&self, date: NaiveDate) -> Option<Closure> {
        let weekend = is_weekend(date).then(|| weekday_name(date.weekday()));
        let holiday = self.holiday(date);
        (weekend.is_some() || holiday.is_some()).then_some(Closure { weekend, holiday })
    }
}

/// Why a date is not a business day.
pub(super) struct Closure {
    weekend: Option<&'static str>,
    holiday: Option<&'static str>,
}

impl Closure {
    /// "Saturday", "Independence Day (observed)", "Saturday, Independence Day".
    pub(super) fn label(&self) -> String {
        match (self.weekend, self.holiday) {
            (Some(day), Some(holiday)) => format!("{day}, {holiday}"),
            (Some(name), None) | (None, Some(name)) => name.to_string(),
            (None, None) => String::new(),
        }
    }

    /// "a Saturday", "Independence Day (observed)", "a Saturday and
    /// Independence Day".
    pub(super) fn predicate(&self) -> String {
        match (self.weekend, self.holiday) {
            (Some(day), Some(holiday)) => format!("a {day} and {holiday}"),
            (Some(day), None) => format!("a {day}"),
            (None, Some(holiday)) => holiday.to_string(),
            (None, None) => String::new(),
        }
    }
}

pub(super) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

pub(super) fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Whether federal offices are open: a weekday that is not a federal holiday or its
/// observed day (the default calendar).
pub fn is_business_day(date: NaiveDate) -> bool {
    !is_weekend(date) && federal_holiday(date).is_none()
}

/// A legal public holiday of 5 U.S.C. 6103, under its statutory name.
struct Holiday {
    name: &'static str,
    observed: &'static str,
}

const NEW_YEARS_DAY: Holiday = Holiday { name: "New Year's Day", observed: "New Year's Day (observed)" };
const JUNETEENTH: Holiday = Holiday {
    name: "Juneteenth National Independence Day",
    observed: "Juneteenth National Independence Day (observed)",
};
const INDEPENDENCE_DAY: Holiday = Holiday { name: "Independence Day", observed: "Independence Day (observed)" };
const VETERANS_DAY: Holiday = Holiday { name: "Veterans Day", observed: "Veterans Day (observed)" };
const CHRISTMAS_DAY: Holiday = Holiday { name: "Christmas Day", observed: "Christmas Day (observed)" };

/// The first year Juneteenth was a federal holiday (observed Friday, June 18,
/// 2021).
const JUNETEENTH_FROM: i32 = 2021;
/// The first year the Birthday of Martin Luther King, Jr. was observed.
const KING_BIRTHDAY_FROM: i32 = 1986;

/// The holidays with a fixed date, which move to a weekday when they fall on
/// a weekend.
fn fixed_holidays(year: i32) -> Vec<(&'static str, &'static str, Option<NaiveDate>)> {
    let on = |month, day| NaiveDate::from_ymd_opt(year, month, day);
    let mut holidays = vec![
        (NEW_YEARS_DAY, on(1, 1)),
        (INDEPENDENCE_DAY, on(7, 4)),
        (VETERANS_DAY, on(11, 11)),
        (CHRISTMAS_DAY, on(12, 25)),
    ];
    if year >= JUNETEENTH_FROM {
        holidays.push((JUNETEENTH, on(6, 19)));
    }
    holidays.into_iter().map(|(holiday, date)| (holiday.name, holiday.observed, date)).collect()
}

/// The Monday (and Thursday) holidays, which never fall on a weekend.
fn floating_holidays(year: i32) -> Vec<(&'static str, Option<NaiveDate>)> {
    let nth = |month, weekday, n| NaiveDate::from_weekday_of_month_opt(year, month, weekday, n);
    let last_monday_of_may = nth(5, Weekday::Mon, 5).or_else(|| nth(5, Weekday::Mon, 4));
    let mut holidays = vec![
        ("Washington's Birthday", nth(2, Weekday::Mon, 3)),
        ("Memorial Day", last_monday_of_may),
        ("Labor Day", nth(9, Weekday::Mon, 1)),
        ("Columbus Day", nth(10, Weekday::Mon, 2)),
        ("Thanksgiving Day", nth(11, Weekday::Thu, 4)),
    ];
    if year >= KING_BIRTHDAY_FROM {
        holidays.push(("Birthday of Martin Luther King, Jr.", nth(1, Weekday::Mon, 3)));
    }
    holidays
}

/// The weekday on which federal employees observe a fixed holiday.
fn observed_day(date: NaiveDate) -> Option<NaiveDate> {
    match date.weekday() {
        Weekday::Sat => date.pred_opt(),
        Weekday::Sun => date.succ_opt(),
        _ => Some(date),
    }
}

/// The US federal holiday (5 U.S.C. 6103) falling on `date`, or observed on
/// it: a Saturday holiday is observed the Friday before, a Sunday holiday the
/// Monday after, so New Year's Day can be observed on December 31 of the
/// year before. Observed days are named "… (observed)".
pub fn federal_holiday(date: NaiveDate) -> Option<&'static str> {
    let year = date.year();
    let fixed = fixed_holidays(year);
    let actual = fixed
        .iter()
        .map(|(name, _, day)| (*name, *day))
        .chain(floating_holidays(year))
        .find(|(_, day)| *day == Some(date));
    if let Some((name, _)) = actual {
        return Some(name);
    }
    // Next year's New Year's Day may be observed on this year's December 31.
    fixed
        .into_iter()
        .chain(fixed_holidays(year + 1))
        .find(|(_, _, day)| day.and_then(observed_day) == Some(date))
        .map(|(_, observed, _)| observed)
}

// ---------------------------------------------------------------------------
// Explaining disagreements
// ---------------------------------------------------------------------------
