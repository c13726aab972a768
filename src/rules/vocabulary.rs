//! The words deadline rules are made of: tokens, number words ("one hundred twenty"),
//! units, anchors and lead-ins, month names, and dates read out of text.
//!
//! Matching is on lower-case words with a trailing comma or semicolon set aside, so
//! "memorandum," in "within 180 days of the date of this memorandum, and every two years
//! thereafter" reads as the word "memorandum" followed by a clause break.

use std::ops::Range;

use chrono::NaiveDate;

use super::{Anchor, Unit};

/// A whitespace-separated word with its byte offset in the parsed text.
#[derive(Debug)]
pub(super) struct Token<'a> {
    /// Byte offset in the parsed text.
    pub(super) start: usize,
    /// The word as written.
    pub(super) text: &'a str,
    /// Lower-cased, punctuation kept (dates read "1," and "Aug.").
    pub(super) lower: String,
    /// Lower-cased without a trailing comma or semicolon: what phrases match.
    pub(super) word: String,
}

impl Token<'_> {
    pub(super) fn end(&self) -> usize {
        self.start + self.text.len()
    }

    pub(super) fn span(&self) -> Range<usize> {
        self.start..self.end()
    }
}

pub(super) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start = None;
    let boundaries = text.char_indices().map(|(i, c)| (i, c.is_whitespace()));
    for (i, blank) in boundaries.chain(std::iter::once((text.len(), true))) {
        match (start, blank) {
            (Some(from), true) => {
                let written = &text[from..i];
                let lower = written.to_lowercase();
                let word = lower.trim_end_matches([',', ';']).to_string();
                tokens.push(Token { start: from, text: written, lower, word });
                start = None;
            }
            (None, false) => start = Some(i),
            _ => {}
        }
    }
    tokens
}

pub(super) fn starts_with_words(tokens: &[Token<'_>], words: &[&str]) -> bool {
    tokens.len() >= words.len() && tokens.iter().zip(words).all(|(t, w)| t.word == *w)
}

/// Words that introduce a fixed date, longest first so "on or before" is not read as "on".
pub(super) const DATE_PREFIXES: &[&[&str]] =
    &[&["no", "later", "than"], &["not", "later", "than"], &["on", "or", "before"], &["by"], &["on"]];

/// What an instrument calls itself in "the date of this order".
const SELF_NAMES: [&str; 10] = [
    "order",
    "memorandum",
    "rule",
    "act",
    "directive",
    "proclamation",
    "regulation",
    "instrument",
    "notice",
    "guidance",
];

/// Anchor phrases (after an optional "the"), longest first so "signing date" is not read
/// as "signing" followed by a stray word. Issuance and enactment are the signing date of
/// memoranda and Acts; "publication in the Federal Register" is the instrument's
/// `publication` event.
pub(super) fn anchor_phrase(tokens: &[Token<'_>]) -> Option<(Anchor, usize)> {
    const PHRASES: &[(&[&str], Anchor)] = &[
        (&["date", "of", "publication", "in", "the", "federal", "register"], Anchor::Named(String::new())),
        (&["publication", "in", "the", "federal", "register"], Anchor::Named(String::new())),
        (&["effective", "date", "of", "this"], Anchor::Effective),
        (&["date", "of", "signing"], Anchor::Signing),
        (&["date", "of", "signature"], Anchor::Signing),
        (&["date", "of", "issuance"], Anchor::Signing),
        (&["date", "of", "enactment"], Anchor::Signing),
        (&["day", "of", "signing"], Anchor::Signing),
        (&["date", "of", "effectiveness"], Anchor::Effective),
        (&["date", "of", "this"], Anchor::Signing),
        (&["signing", "date"], Anchor::Signing),
        (&["signing", "day"], Anchor::Signing),
        (&["signature", "date"], Anchor::Signing),
        (&["issuance", "date"], Anchor::Signing),
        (&["effective", "date"], Anchor::Effective),
        (&["effective", "day"], Anchor::Effective),
        (&["signing"], Anchor::Signing),
        (&["signature"], Anchor::Signing),
        (&["signed"], Anchor::Signing),
        (&["issuance"], Anchor::Signing),
        (&["enactment"], Anchor::Signing),
        (&["effective"], Anchor::Effective),
    ];
    for (words, anchor) in PHRASES {
        if !starts_with_words(tokens, words) {
            continue;
        }
        let mut used = words.len();
        // "the date of this order": the instrument names itself after "this".
        if words.last() == Some(&"this") {
            let named = tokens.get(used).filter(|t| SELF_NAMES.contains(&t.word.as_str()));
            if named.is_none() {
                continue;
            }
            used += 1;
        }
        // "the date of enactment of this Act": the instrument names itself afterwards.
        let rest = tokens.get(used..).unwrap_or_default();
        if starts_with_words(rest, &["of", "this"])
            && rest.get(2).is_some_and(|t| SELF_NAMES.contains(&t.word.as_str()))
        {
            used += 3;
        }
        let anchor = match anchor {
            Anchor::Named(_) => Anchor::Named("publication".to_string()),
            other => other.clone(),
        };
        return Some((anchor, used));
    }
    None
}

pub(super) fn is_digits(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn is_anchor_id(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
}

/// A unit word, and whether it took the word before it ("business days" is two words).
pub(super) fn unit_word(word: &str) -> Option<Unit> {
    match word {
        "day" | "days" => Some(Unit::Days),
        "week" | "weeks" => Some(Unit::Weeks),
        "month" | "months" => Some(Unit::Months),
        "year" | "years" => Some(Unit::Years),
        _ => None,
    }
}

/// "(30)" as contracts repeat a number written in words.
pub(super) fn parenthesised_figure(word: &str) -> Option<u32> {
    let inner = word.strip_prefix('(')?.strip_suffix(')')?;
    if is_digits(inner) { inner.parse().ok() } else { None }
}

/// Adverbs of recurrence: "annually" is every 1 year.
pub(super) fn recurrence_adverb(word: &str) -> Option<(u32, Unit)> {
    match word {
        "annually" | "yearly" => Some((1, Unit::Years)),
        "biennially" => Some((2, Unit::Years)),
        "semiannually" | "semi-annually" => Some((6, Unit::Months)),
        "quarterly" => Some((3, Unit::Months)),
        "monthly" => Some((1, Unit::Months)),
        "weekly" => Some((1, Unit::Weeks)),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// Number words
// ---------------------------------------------------------------------------
/// What the previous number word was, to reject "twenty thirty" or
/// "five six" rather than add them up.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum NumberPart {
    Zero,
    Ones,
    Teen,
    Tens,
    Hundred,
}

/// An English cardinal from zero to 999 being read word by word.
#[derive(Clone, Default)]
struct NumberWords {
    total: u32,
    last: Option<NumberPart>,
    pending_and: bool,
}

impl NumberWords {
    fn push(&mut self, word: &str) -> bool {
        use NumberPart::*;
        if word == "and" {
            let allowed = self.last == Some(Hundred) && !self.pending_and;
            self.pending_and = allowed;
            return allowed;
        }
        let Some((value, part)) = number_word(word) else {
            return false;
        };
        let allowed = match part {
            Zero => self.last.is_none(),
            Ones => matches!(self.last, None | Some(Tens) | Some(Hundred)),
            Teen | Tens => matches!(self.last, None | Some(Hundred)),
            // "one hundred", never "twenty-one hundred": years are not amounts.
            Hundred => self.last == Some(Ones) && self.total < 10,
        };
        if !allowed {
            return false;
        }
        self.total = if part == Hundred { self.total * 100 } else { self.total + value };
        self.last = Some(part);
        self.pending_and = false;
        true
    }

    fn value(&self) -> Option<u32> {
        (self.last.is_some() && !self.pending_and).then_some(self.total)
    }
}

fn number_word(word: &str) -> Option<(u32, NumberPart)> {
    const ONES: [&str; 10] = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    const TEENS: [&str; 10] =
        ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
    const TENS: [&str; 8] = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    let position = |list: &[&str]| list.iter().position(|w| *w == word);
    if let Some(i) = position(&ONES) {
        let part = if i == 0 { NumberPart::Zero } else { NumberPart::Ones };
        return Some((i as u32, part));
    }
    if let Some(i) = position(&TEENS) {
        return Some((10 + i as u32, NumberPart::Teen));
    }
    if let Some(i) = position(&TENS) {
        return Some((20 + 10 * i as u32, NumberPart::Tens));
    }
    (word == "hundred").then_some((100, NumberPart::Hundred))
}

/// The number spelled by the leading tokens ("forty-five", "one hundred and
/// eighty") and how many tokens it took, or `None` if they spell none.
pub(super) fn number_words(tokens: &[Token<'_>]) -> Option<(u32, usize)> {
    let mut words = NumberWords::default();
    let mut used = 0;
    for token in tokens {
        let mut trial = words.clone();
        if !token.word.split('-').all(|word| trial.push(word)) {
            break;
        }
        words = trial;
        used += 1;
    }
    words.value().map(|value| (value, used))
}

// ---------------------------------------------------------------------------
// Dates in text
// ---------------------------------------------------------------------------

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The outcome of reading a date at the start of some tokens. `Invalid`
/// separates "2026-02-30" (the author meant a date and got it wrong) from
/// words that are no date at all.
pub(super) enum DateScan {
    /// A valid date and how many tokens it took.
    Date { date: NaiveDate, used: usize },
    /// Meant as a date, but not one.
    Invalid { used: usize, problem: String },
    /// No date at all.
    NotADate,
}

/// Reads "2026-08-01", "August 1, 2026", "Aug. 1st 2026" or "1 August 2026"
/// from the start of the tokens.
pub(super) fn scan_date(tokens: &[Token<'_>]) -> DateScan {
    let Some(first) = tokens.first() else {
        return DateScan::NotADate;
    };
    if let Some((year, month, day)) = iso_parts(first.lower.trim_end_matches([',', '.', ';'])) {
        return checked_date(year, month, day, 1);
    }
    let [a, b, c, ..] = tokens else {
        return DateScan::NotADate;
    };
    let year = year_number(&c.lower);
    let month_first = (month_number(&a.lower), day_number(&b.lower), year);
    let day_first = (month_number(&b.lower), day_number(&a.lower), year);
    match (month_first, day_first) {
        ((Some(month), Some(day), Some(year)), _) | (_, (Some(month), Some(day), Some(year))) => {
            checked_date(year, month, day, 3)
        }
        _ => DateScan::NotADate,
    }
}

pub(super) fn checked_date(year: i32, month: u32, day: u32, used: usize) -> DateScan {
    if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
        return DateScan::Date { date, used };
    }
    let problem = match month_name(month) {
        None => format!("there is no month {month}"),
        Some(name) => format!("{name} {year} has {} days", days_in_month(year, month)),
    };
    DateScan::Invalid { used, problem }
}

pub(super) fn iso_parts(word: &str) -> Option<(i32, u32, u32)> {
    let mut parts = word.split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let well_formed = parts.next().is_none()
        && year.len() == 4
        && (1..=2).contains(&month.len())
        && (1..=2).contains(&day.len())
        && [year, month, day].iter().all(|part| is_digits(part));
    if !well_formed {
        return None;
    }
    Some((year.parse().ok()?, month.parse().ok()?, day.parse().ok()?))
}

pub(super) fn month_name(month: u32) -> Option<&'static str> {
    let index = usize::try_from(month.checked_sub(1)?).ok()?;
    MONTH_NAMES.get(index).copied()
}

/// "August", "aug", "Aug.", "sept" → 8 or 9.
pub(super) fn month_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches([',', '.']);
    if word == "sept" {
        return Some(9);
    }
    let index = MONTH_NAMES.iter().position(|name| {
        name.eq_ignore_ascii_case(word) || (word.len() == 3 && name[..3].eq_ignore_ascii_case(word))
    })?;
    u32::try_from(index + 1).ok()
}

/// "1", "1,", "1st", "22nd," → the day of the month, unchecked.
pub(super) fn day_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches(',');
    let digits = ["st", "nd", "rd", "th"].iter().find_map(|suffix| word.strip_suffix(suffix)).unwrap_or(word);
    if digits.len() > 2 || !is_digits(digits) {
        return None;
    }
    digits.parse().ok()
}

pub(super) fn year_number(word: &str) -> Option<i32> {
    let word = word.trim_end_matches([',', '.', ';']);
    if word.len() == 4 && is_digits(word) { word.parse().ok() } else { None }
}

pub(super) fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31).rev().find(|&day| NaiveDate::from_ymd_opt(year, month, day).is_some()).unwrap_or(0)
}

/// Reads a day of the year without a year, "1 December", "December 1", "Dec. 1st", from the
/// start of the tokens: the month, the day and how many tokens it took. February 29 is
/// allowed (it falls on February 28 in common years).
pub(super) fn scan_day_month(tokens: &[Token<'_>]) -> Option<(u32, u32, usize)> {
    let [a, b, ..] = tokens else { return None };
    let (month, day) =
        match (month_number(&a.lower), day_number(&b.lower), month_number(&b.lower), day_number(&a.lower)) {
            (Some(month), Some(day), _, _) | (_, _, Some(month), Some(day)) => (month, day),
            _ => return None,
        };
    (day >= 1 && day <= days_in_month(2024, month)).then_some((month, day, 2))
}
