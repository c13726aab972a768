//! A provision's status, typed: in force, not yet in force, amended, repealed, reserved,
//! each change with the date it took effect when the author gives one.
//!
//! Authors write a status as the instrument or its annotations do ("repealed on 1 February
//! 2025", "in force from 2 August 2026"). Parsing it lets a build told as of a date say
//! what the provision was then: a provision repealed on a later date still reads "in
//! force", as an instrument revoked later is not yet revoked. The written text is kept
//! for the diagnostics and for a status docket cannot read, which is shown as written.

use chrono::NaiveDate;

use crate::rules::{DateValue, parse_date_value};
use crate::text::human_date;

/// The status forms docket reads, for hints.
pub const STATUS_FORMS: &str = "`in force`, `in force from 2026-08-02`, `not yet in force`, `amended`, \
     `amended on 2025-02-01`, `repealed`, `repealed on 2025-02-01`, `reserved`";

/// What the author wrote, typed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    /// "in force", "in effect"; "in force from DATE" when it starts on a date.
    InForce {
        /// The day it comes into force, if stated.
        from: Option<NaiveDate>,
    },
    /// "not yet in force", with no date.
    NotYetInForce,
    /// "amended", "amended on DATE": in force, as amended.
    Amended {
        /// The day the amendment took effect, if stated.
        on: Option<NaiveDate>,
    },
    /// "repealed", "repealed on DATE" (also "revoked", "rescinded").
    Repealed {
        /// The day the repeal took effect, if stated.
        on: Option<NaiveDate>,
    },
    /// "reserved": a number kept free, with no text.
    Reserved,
}

/// What a reader is told the provision is on a given day, the words of its badge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// In force.
    InForce,
    /// Not yet in force.
    NotYetInForce,
    /// In force, as amended.
    Amended,
    /// Repealed.
    Repealed,
    /// Reserved.
    Reserved,
}

impl Standing {
    /// The badge's words: "in force", "repealed".
    pub fn words(self) -> &'static str {
        match self {
            Standing::InForce => "in force",
            Standing::NotYetInForce => "not yet in force",
            Standing::Amended => "amended",
            Standing::Repealed => "repealed",
            Standing::Reserved => "reserved",
        }
    }

    /// A CSS-safe name: `in-force`, `not-yet-in-force`.
    pub fn slug(self) -> &'static str {
        match self {
            Standing::InForce => "in-force",
            Standing::NotYetInForce => "not-yet-in-force",
            Standing::Amended => "amended",
            Standing::Repealed => "repealed",
            Standing::Reserved => "reserved",
        }
    }
}

/// A provision's status: the typed state and the text it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvisionStatus {
    /// The typed state.
    pub state: State,
    /// The status as written.
    pub written: String,
}

impl ProvisionStatus {
    /// Reads a status as written; `Err` says why not (the caller lists [`STATUS_FORMS`]).
    pub fn parse(text: &str) -> Result<Self, String> {
        let written = text.trim();
        let lower = written.trim_end_matches('.').to_lowercase();
        let state = if let Some(rest) = strip_words(&lower, &["in force", "in effect", "effective"]) {
            State::InForce { from: dated(rest, &["from", "since", "on", "as of"])? }
        } else if ["not yet in force", "not in force yet", "not yet in effect"].contains(&lower.as_str()) {
            State::NotYetInForce
        } else if let Some(rest) = strip_words(&lower, &["amended"]) {
            State::Amended { on: dated(rest, &["on", "with effect from", "effective", "by"])? }
        } else if let Some(rest) = strip_words(&lower, &["repealed", "revoked", "rescinded"]) {
            State::Repealed { on: dated(rest, &["on", "with effect from", "effective", "by"])? }
        } else if lower == "reserved" || lower == "[reserved]" {
            State::Reserved
        } else {
            return Err(format!("`{written}` is not a status docket reads"));
        };
        Ok(ProvisionStatus { state, written: written.to_string() })
    }

    /// What the provision was on `date`: a change dated after it has not happened yet.
    pub fn standing(&self, date: NaiveDate) -> Standing {
        let after = |on: Option<NaiveDate>| on.is_some_and(|on| on > date);
        match self.state {
            State::InForce { from } if after(from) => Standing::NotYetInForce,
            State::InForce { .. } => Standing::InForce,
            State::NotYetInForce => Standing::NotYetInForce,
            State::Amended { on } if after(on) => Standing::InForce,
            State::Amended { .. } => Standing::Amended,
            State::Repealed { on } if after(on) => Standing::InForce,
            State::Repealed { .. } => Standing::Repealed,
            State::Reserved => Standing::Reserved,
        }
    }

    /// The status in words as of `date`: "repealed on 1 February 2025", "in force" (for
    /// one repealed later), "not yet in force: from 2 August 2026".
    pub fn describe(&self, date: NaiveDate) -> String {
        let standing = self.standing(date);
        let on = |what: &str, day: Option<NaiveDate>| match day {
            Some(day) => format!("{what} on {}", human_date(day)),
            None => what.to_string(),
        };
        match (self.state, standing) {
            (State::InForce { from: Some(from) }, Standing::NotYetInForce) => {
                format!("not yet in force: from {}", human_date(from))
            }
            (State::InForce { from: Some(from) }, _) => format!("in force since {}", human_date(from)),
            (State::Amended { on: day }, Standing::Amended) => format!("in force, {}", on("amended", day)),
            (State::Repealed { on: day }, Standing::Repealed) => on("repealed", day),
            _ => standing.words().to_string(),
        }
    }

    /// The dated change the status records, if it had happened by `date`, for a history:
    /// (the day, "In force", "Amended" or "Repealed").
    pub fn change(&self, date: NaiveDate) -> Option<(NaiveDate, &'static str)> {
        let (day, what) = match self.state {
            State::InForce { from: Some(day) } => (day, "In force"),
            State::Amended { on: Some(day) } => (day, "Amended"),
            State::Repealed { on: Some(day) } => (day, "Repealed"),
            _ => return None,
        };
        (day <= date).then_some((day, what))
    }
}

/// The text after one of `words` at the start of `text` (on a word boundary).
fn strip_words<'t>(text: &'t str, words: &[&str]) -> Option<&'t str> {
    words.iter().find_map(|word| {
        let rest = text.strip_prefix(word)?;
        (rest.is_empty() || rest.starts_with(' ')).then(|| rest.trim())
    })
}

/// The date after a status word ("on 1 February 2025", "2025-02-01"); nothing when the
/// status stops there, or names only who made the change ("repealed by Act 12 of 2024").
fn dated(rest: &str, lead_ins: &[&str]) -> Result<Option<NaiveDate>, String> {
    if rest.is_empty() {
        return Ok(None);
    }
    let body = strip_words(rest, lead_ins).unwrap_or(rest);
    match parse_date_value(body) {
        Some(DateValue::Date { date, approximate: false }) => Ok(Some(date)),
        _ if rest.starts_with("by ") => Ok(None),
        _ => Err(format!("`{rest}` is not a date such as 2025-02-01 or 1 February 2025")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
    }

    fn state(text: &str) -> State {
        ProvisionStatus::parse(text).unwrap_or_else(|e| panic!("{text}: {e}")).state
    }

    #[test]
    fn every_form_reads() {
        let cases = [
            ("in force", State::InForce { from: None }),
            ("In effect", State::InForce { from: None }),
            ("in force from 2026-08-02", State::InForce { from: Some(d("2026-08-02")) }),
            ("in force from 2 August 2026", State::InForce { from: Some(d("2026-08-02")) }),
            ("not yet in force", State::NotYetInForce),
            ("amended", State::Amended { on: None }),
            ("amended on February 1, 2025", State::Amended { on: Some(d("2025-02-01")) }),
            ("repealed", State::Repealed { on: None }),
            ("Repealed on 2025-02-01.", State::Repealed { on: Some(d("2025-02-01")) }),
            ("repealed with effect from 1 February 2025", State::Repealed { on: Some(d("2025-02-01")) }),
            ("repealed by the Forty-fourth Amendment", State::Repealed { on: None }),
            ("rescinded", State::Repealed { on: None }),
            ("reserved", State::Reserved),
            ("[Reserved]", State::Reserved),
        ];
        for (text, want) in cases {
            assert_eq!(state(text), want, "{text}");
        }
        assert_eq!(ProvisionStatus::parse(" repealed ").expect("read").written, "repealed");
    }

    #[test]
    fn unreadable_statuses_say_why() {
        for bad in ["draft", "repealed soon", "in forcefully", "amended on 2025-02-30", ""] {
            assert!(ProvisionStatus::parse(bad).is_err(), "{bad}");
        }
        let error = ProvisionStatus::parse("repealed soon").expect_err("no date");
        assert!(error.contains("`soon` is not a date"), "{error}");
    }

    #[test]
    fn a_change_reads_only_from_its_date() {
        let repealed = ProvisionStatus::parse("repealed on 2025-02-01").expect("read");
        assert_eq!(repealed.standing(d("2025-01-31")), Standing::InForce);
        assert_eq!(repealed.describe(d("2025-01-31")), "in force");
        assert_eq!(repealed.change(d("2025-01-31")), None);
        assert_eq!(repealed.standing(d("2025-02-01")), Standing::Repealed);
        assert_eq!(repealed.describe(d("2025-02-01")), "repealed on 1 February 2025");
        assert_eq!(repealed.change(d("2025-02-01")), Some((d("2025-02-01"), "Repealed")));
        let later = ProvisionStatus::parse("in force from 2 August 2026").expect("read");
        assert_eq!(later.standing(d("2026-08-01")), Standing::NotYetInForce);
        assert_eq!(later.describe(d("2026-08-01")), "not yet in force: from 2 August 2026");
        assert_eq!(later.describe(d("2026-08-02")), "in force since 2 August 2026");
        let amended = ProvisionStatus::parse("amended on 2025-02-01").expect("read");
        assert_eq!(amended.standing(d("2025-01-01")), Standing::InForce);
        assert_eq!(amended.describe(d("2025-03-01")), "in force, amended on 1 February 2025");
        assert_eq!(ProvisionStatus::parse("repealed").expect("read").standing(d("1990-01-01")), Standing::Repealed);
    }

    #[test]
    fn badges_have_words_and_slugs() {
        let all =
            [Standing::InForce, Standing::NotYetInForce, Standing::Amended, Standing::Repealed, Standing::Reserved];
        for standing in all {
            assert!(!standing.words().is_empty());
            assert_eq!(standing.slug(), standing.words().replace(' ', "-"));
        }
    }
}
