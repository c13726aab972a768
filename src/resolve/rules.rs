//! Deadline rules and the calendar arithmetic behind them.
//!
//! Instruments rarely print the dates they impose. They say "within 60 days of
//! signing", "no later than September 30, 2026", or that a duty is ongoing, and
//! leave the counting to the reader. Readers count differently: some count the
//! signing day as day 1, some roll a Saturday to Monday, some read "60 days" as
//! "two months". A deadline table that only shows typed dates hides all of
//! this, so docket stores the rule as the instrument states it and computes
//! the date, saying how.
//!
//! What comes in:
//!
//! - the rule text of a deadline, parsed by [`parse_rule`] into a [`Rule`].
//!   Errors carry byte offsets into that text ([`RuleError`]) so the caller can
//!   put a caret under the offending word in a file:line:col diagnostic;
//! - an anchor date, resolved by the caller (the instrument's signing or
//!   effective date, or another deadline's computed date — resolving chains
//!   and finding cycles is the caller's job, this module only counts);
//! - the knowledge base's conventions: [`Counting`] (is the anchor day day 0,
//!   as in FRCP 6(a), or day 1?) and [`NonBusinessDay`] (keep, flag or roll a
//!   due date that falls on a weekend or federal holiday);
//! - values that sources claim for a deadline, free text such as "Aug. 1,
//!   2026" or "~60 days", normalised by [`parse_date_value`] into a
//!   [`DateValue`].
//!
//! What goes out:
//!
//! - a [`Computed`] due date with its nominal date, a one-line derivation
//!   ("60 days after signing, 2026-06-02, signing day not counted") and, when
//!   the date is not a business day, why not;
//! - for a claimed date that disagrees, [`explain_difference`] tries the other
//!   conventions and says which one, if any, produces the claim ("matches if
//!   the signing day is counted as day 1"), so a reader sees a counting
//!   difference rather than a bare red flag.
//!
//! Calendar rules. Days are calendar days. Months land on the same day of the
//! month and clamp to the month's end when that day does not exist (Jan 31 +
//! 1 month = Feb 28, or 29 in a leap year). Counting the anchor as day 1 makes
//! every due date one day earlier, for months too. Federal holidays follow
//! 5 U.S.C. 6103 as it stands today (Juneteenth from 2021, Birthday of Martin
//! Luther King, Jr. from 1986), with the observed-day rule for federal
//! employees: a Saturday holiday is observed the Friday before, a Sunday one
//! the Monday after. Inauguration Day (a holiday only around Washington, D.C.)
//! and one-off closures by executive order are not holidays here.
//!
//! The module depends only on `chrono`, `serde` and std, and never panics on
//! user input: every failure is a value the caller can report.

use std::fmt;
use std::ops::Range;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The longest span a rule may state in days, a century. Anything longer is
/// far likelier an extra digit than an instrument's intent.
pub const MAX_DAYS: u32 = 36_500;

/// The longest span a rule may state in months, also a century.
pub const MAX_MONTHS: u32 = 1_200;

/// Computed dates stay within four-digit years: ISO dates in the exports and
/// the calendar files all assume them.
const LAST_YEAR: i32 = 9999;

/// The longest run of non-business days is a holiday next to a weekend (three
/// days); the bound only guards the loop against a calendar bug.
const MAX_ROLL_DAYS: usize = 7;

/// Shown when a rule cannot be read at all, so the author sees every form.
const RULE_FORMS: &str = "write 'within 30 days of signing', 'no later than 2026-09-30', \
                          'ongoing' or 'date not yet known'";

/// Shown when an anchor is missing or malformed.
const ANCHOR_HINT: &str = "an anchor is 'signing', 'effective' or the id of another deadline \
                           or event (letters, digits, _ . : -)";

/// Shown when a date is missing or unreadable.
const DATE_HINT: &str = "write the date as YYYY-MM-DD (2026-09-30) or as September 30, 2026";

// ---------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------

/// What a deadline rule counts from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// The instrument's signing date.
    Signing,
    /// The instrument's effective date.
    Effective,
    /// Another deadline's id, or a named event of the instrument, resolved by
    /// the caller. Spelled as the author wrote it.
    Named(String),
}

impl Anchor {
    /// The word used for the anchor in derivations and explanations
    /// ("signing", "effective", or the id itself).
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
    /// Calendar months, clamped to the month's end.
    Months,
}

impl Unit {
    /// An amount in this unit as prose, singular when it is one: "1 day",
    /// "60 days", "2 months".
    pub fn quantity(self, amount: u32) -> String {
        let word = match (self, amount) {
            (Unit::Days, 1) => "day",
            (Unit::Days, _) => "days",
            (Unit::Months, 1) => "month",
            (Unit::Months, _) => "months",
        };
        format!("{amount} {word}")
    }

    /// The largest amount a rule may state in this unit.
    fn limit(self) -> u32 {
        match self {
            Unit::Days => MAX_DAYS,
            Unit::Months => MAX_MONTHS,
        }
    }
}

/// A parsed deadline rule, as the instrument states it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rule {
    /// "within 30 days of signing", "2 months after effective",
    /// "within ten days of dl-report".
    Within {
        /// How many units; between 1 and [`MAX_DAYS`] or [`MAX_MONTHS`].
        amount: u32,
        /// Days or months.
        unit: Unit,
        /// What the rule counts from.
        anchor: Anchor,
    },
    /// "no later than 2026-09-30", "by September 30, 2026", "on 2026-09-30".
    NoLaterThan(NaiveDate),
    /// "ongoing", "continuing": a duty without a due date.
    Ongoing,
    /// "unknown", "date not yet known", "tbd".
    Unknown,
}

impl Rule {
    /// The anchor a relative rule counts from, so the caller can resolve
    /// chains of deadlines and detect cycles.
    pub fn anchor(&self) -> Option<&Anchor> {
        match self {
            Rule::Within { anchor, .. } => Some(anchor),
            _ => None,
        }
    }
}

/// The canonical spelling, which [`parse_rule`] reads back to the same rule;
/// the deadline table shows it in its "rule" column.
impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Within { amount, unit, anchor } => write!(f, "within {} of {anchor}", unit.quantity(*amount)),
            Rule::NoLaterThan(date) => write!(f, "no later than {date}"),
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
    /// Byte length of the offending text; 0 when something is missing at
    /// `offset` (typically the end of the rule).
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

    /// The offending byte range inside the rule text, ready to be shifted by
    /// the rule's position in its file for a diagnostic label.
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

/// Parses the rule text of a deadline.
///
/// Case and spacing are free; a final period is ignored. Amounts are figures
/// or words ("thirty", "forty-five", "one hundred twenty", "a month"),
/// optionally followed by the figure in parentheses as contracts write them
/// ("thirty (30) days"). Anchors are "signing", "signature", "signed", "the
/// signing date", "effective", "the effective date", or an id made of
/// letters, digits and `_ . : -` (an id spelled like a keyword is read as the
/// keyword). Zero amounts and amounts over a century are rejected as typos.
pub fn parse_rule(text: &str) -> Result<Rule, RuleError> {
    let body = without_final_period(text);
    let tokens = tokenize(body);
    if tokens.is_empty() {
        return Err(RuleError::new(0..text.len(), "empty deadline rule", RULE_FORMS));
    }
    if let Some(rule) = standing_rule(&tokens) {
        return Ok(rule);
    }
    let mut parser = Parser::new(body, &tokens);
    if parser.eat_words(&["within"]) || parser.at_amount() {
        return parser.within();
    }
    if DATE_PREFIXES.iter().any(|words| parser.eat_words(words)) {
        return parser.fixed_date();
    }
    let first = &tokens[0];
    Err(parser.error_here(format!("'{}' does not start a deadline rule", first.text), RULE_FORMS))
}

/// Rules without arithmetic, matched as whole phrases.
fn standing_rule(tokens: &[Token<'_>]) -> Option<Rule> {
    const ONGOING: &[&str] = &["ongoing", "continuing", "continuous"];
    const UNKNOWN: &[&str] =
        &["unknown", "date unknown", "not yet known", "date not yet known", "tbd", "t.b.d", "to be determined"];
    let phrase = tokens.iter().map(|token| token.lower.as_str()).collect::<Vec<_>>().join(" ");
    if ONGOING.contains(&phrase.as_str()) {
        Some(Rule::Ongoing)
    } else if UNKNOWN.contains(&phrase.as_str()) {
        Some(Rule::Unknown)
    } else {
        None
    }
}

/// Words that introduce a fixed date, longest first so "on or before" is not
/// read as "on".
const DATE_PREFIXES: &[&[&str]] =
    &[&["no", "later", "than"], &["not", "later", "than"], &["on", "or", "before"], &["by"], &["on"]];

/// Anchor phrases, longest first so "signing date" is not read as "signing"
/// followed by a stray word.
const ANCHOR_PHRASES: &[(&[&str], Anchor)] = &[
    (&["date", "of", "signing"], Anchor::Signing),
    (&["date", "of", "signature"], Anchor::Signing),
    (&["day", "of", "signing"], Anchor::Signing),
    (&["date", "of", "effectiveness"], Anchor::Effective),
    (&["signing", "date"], Anchor::Signing),
    (&["signing", "day"], Anchor::Signing),
    (&["signature", "date"], Anchor::Signing),
    (&["effective", "date"], Anchor::Effective),
    (&["effective", "day"], Anchor::Effective),
    (&["signing"], Anchor::Signing),
    (&["signature"], Anchor::Signing),
    (&["signed"], Anchor::Signing),
    (&["effective"], Anchor::Effective),
];

/// A rule text after the author's full stop, which is punctuation rather than
/// part of the last word (ids may contain dots, so it must go first).
fn without_final_period(text: &str) -> &str {
    let trimmed = text.trim_end();
    trimmed.strip_suffix('.').unwrap_or(trimmed)
}

/// A whitespace-separated word with its byte offset in the parsed text.
#[derive(Debug)]
struct Token<'a> {
    start: usize,
    text: &'a str,
    lower: String,
}

impl Token<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }

    fn span(&self) -> Range<usize> {
        self.start..self.end()
    }
}

fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::new();
    let mut start = None;
    let boundaries = text.char_indices().map(|(i, c)| (i, c.is_whitespace()));
    for (i, blank) in boundaries.chain(std::iter::once((text.len(), true))) {
        match (start, blank) {
            (Some(from), true) => {
                let word = &text[from..i];
                tokens.push(Token { start: from, text: word, lower: word.to_lowercase() });
                start = None;
            }
            (None, false) => start = Some(i),
            _ => {}
        }
    }
    tokens
}

fn starts_with_words(tokens: &[Token<'_>], words: &[&str]) -> bool {
    tokens.len() >= words.len() && tokens.iter().zip(words).all(|(t, w)| t.lower == *w)
}

/// A cursor over the tokens of one rule (or of one claimed value), producing
/// errors that point into the original text.
struct Parser<'t, 'a> {
    text: &'a str,
    tokens: &'t [Token<'a>],
    pos: usize,
}

impl<'t, 'a> Parser<'t, 'a> {
    fn new(text: &'a str, tokens: &'t [Token<'a>]) -> Self {
        Parser { text, tokens, pos: 0 }
    }

    fn rest(&self) -> &'t [Token<'a>] {
        self.tokens.get(self.pos..).unwrap_or_default()
    }

    fn peek(&self) -> Option<&'t Token<'a>> {
        self.tokens.get(self.pos)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.tokens.len()
    }

    fn eat_words(&mut self, words: &[&str]) -> bool {
        let found = starts_with_words(self.rest(), words);
        if found {
            self.pos += words.len();
        }
        found
    }

    fn error_here(&self, message: impl Into<String>, hint: impl Into<String>) -> RuleError {
        match self.peek() {
            Some(token) => RuleError::new(token.span(), message, hint),
            None => self.error_at_end(message, hint),
        }
    }

    fn error_at_end(&self, message: impl Into<String>, hint: impl Into<String>) -> RuleError {
        let end = self.text.len();
        RuleError::new(end..end, message, hint)
    }

    /// Whether the next words read as an amount, so a rule may start with
    /// "30 days after signing" without "within".
    fn at_amount(&self) -> bool {
        let rest = self.rest();
        let figure = rest.first().is_some_and(|t| is_digits(&t.lower));
        figure || self.at_article_amount() || number_words(rest).is_some()
    }

    /// "a month": an article counts as one only right before a unit, so "a"
    /// can still start an anchor id elsewhere.
    fn at_article_amount(&self) -> bool {
        let rest = self.rest();
        let article = rest.first().is_some_and(|t| t.lower == "a" || t.lower == "an");
        article && rest.get(1).is_some_and(|t| unit_word(&t.lower).is_some())
    }

    fn within(&mut self) -> Result<Rule, RuleError> {
        let (amount, amount_span) = self.amount()?;
        let unit = self.unit()?;
        check_amount(amount, unit, amount_span)?;
        self.connector()?;
        let anchor = self.anchor()?;
        self.finish()?;
        Ok(Rule::Within { amount, unit, anchor })
    }

    fn amount(&mut self) -> Result<(u32, Range<usize>), RuleError> {
        const HINT: &str = "write a number such as 30 or thirty";
        let Some(token) = self.peek() else {
            return Err(self.error_at_end("expected a number of days or months", HINT));
        };
        if is_digits(&token.lower) {
            self.pos += 1;
            // Too many digits for u32 is still "too many days": let the
            // range check report it with the other absurd amounts.
            let value = token.lower.parse().unwrap_or(u32::MAX);
            return Ok((value, token.span()));
        }
        if self.at_article_amount() {
            self.pos += 1;
            return Ok((1, token.span()));
        }
        let Some((value, used)) = number_words(self.rest()) else {
            return Err(self.error_here(format!("expected a number of days or months, found '{}'", token.text), HINT));
        };
        self.pos += used;
        let mut end = self.tokens[self.pos - 1].end();
        if let Some(figure) = self.peek().filter(|t| parenthesised_figure(&t.lower).is_some()) {
            if parenthesised_figure(&figure.lower) != Some(value) {
                return Err(self.error_here(
                    format!("the words say {value} but the figure says {}", figure.text),
                    "make the words and the figure agree",
                ));
            }
            self.pos += 1;
            end = figure.end();
        }
        Ok((value, token.start..end))
    }

    fn unit(&mut self) -> Result<Unit, RuleError> {
        // "30 calendar days" says what docket counts anyway.
        self.eat_words(&["calendar"]);
        let Some(token) = self.peek() else {
            return Err(self.error_at_end("expected 'days' or 'months'", "use days or months"));
        };
        if let Some(unit) = unit_word(&token.lower) {
            self.pos += 1;
            return Ok(unit);
        }
        let (message, hint) = match token.lower.as_str() {
            "business" | "working" | "court" => (
                "business-day counting is not supported".to_string(),
                "count calendar days and set the non-business-day policy to roll",
            ),
            "week" | "weeks" => ("weeks are not a deadline unit".to_string(), "use days or months (a week is 7 days)"),
            "year" | "years" => {
                ("years are not a deadline unit".to_string(), "use days or months (a year is 12 months)")
            }
            _ => (format!("expected 'days' or 'months', found '{}'", token.text), "use days or months"),
        };
        Err(self.error_here(message, hint))
    }

    fn connector(&mut self) -> Result<(), RuleError> {
        const HINT: &str = "for example 'within 30 days of signing'";
        let Some(token) = self.peek() else {
            return Err(self.error_at_end(
                "the rule does not say what it counts from",
                "add 'of signing', 'of effective' or 'of' and a deadline id",
            ));
        };
        match token.lower.as_str() {
            "of" | "after" | "from" | "following" => {
                self.pos += 1;
                Ok(())
            }
            "before" | "prior" => {
                Err(self
                    .error_here("a deadline counts forward from its anchor, not back", "use 'of', 'after' or 'from'"))
            }
            _ => Err(self.error_here(format!("expected 'of', 'after' or 'from', found '{}'", token.text), HINT)),
        }
    }

    fn anchor(&mut self) -> Result<Anchor, RuleError> {
        self.eat_words(&["the"]);
        for (words, anchor) in ANCHOR_PHRASES {
            if self.eat_words(words) {
                return Ok(anchor.clone());
            }
        }
        let Some(token) = self.peek() else {
            return Err(self.error_at_end("expected an anchor", ANCHOR_HINT));
        };
        if !is_anchor_id(token.text) {
            return Err(self.error_here(format!("'{}' is not an anchor", token.text), ANCHOR_HINT));
        }
        self.pos += 1;
        Ok(Anchor::Named(token.text.to_string()))
    }

    fn fixed_date(&mut self) -> Result<Rule, RuleError> {
        match scan_date(self.rest()) {
            DateScan::Date { date, used } => {
                self.pos += used;
                self.finish()?;
                Ok(Rule::NoLaterThan(date))
            }
            DateScan::Invalid { used, problem } => {
                let span = self.span_of(used);
                let written = &self.text[span.clone()];
                Err(RuleError::new(span, format!("{written} is not a date: {problem}"), "check the day and the month"))
            }
            DateScan::NotADate => Err(self.error_here("expected a date", DATE_HINT)),
        }
    }

    /// The byte range of the next `count` tokens.
    fn span_of(&self, count: usize) -> Range<usize> {
        let rest = self.rest();
        match (rest.first(), rest.get(..count).and_then(|taken| taken.last())) {
            (Some(first), Some(last)) => first.start..last.end(),
            _ => self.text.len()..self.text.len(),
        }
    }

    fn finish(&self) -> Result<(), RuleError> {
        match self.peek() {
            None => Ok(()),
            Some(token) => Err(RuleError::new(
                token.start..self.text.len(),
                format!("unexpected words after the rule: '{}'", &self.text[token.start..]),
                "a rule ends with its anchor or date, e.g. 'within 30 days of signing'",
            )),
        }
    }
}

fn check_amount(amount: u32, unit: Unit, span: Range<usize>) -> Result<(), RuleError> {
    if amount == 0 {
        return Err(RuleError::new(
            span,
            format!("a deadline of {} leaves no time to act", unit.quantity(0)),
            "state the number of days or months the instrument gives",
        ));
    }
    if amount > unit.limit() {
        return Err(RuleError::new(
            span,
            format!("{} is more than a century", unit.quantity(amount)),
            format!("at most {MAX_DAYS} days or {MAX_MONTHS} months; check for an extra digit"),
        ));
    }
    Ok(())
}

fn is_digits(word: &str) -> bool {
    !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit())
}

fn is_anchor_id(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '-'))
}

fn unit_word(word: &str) -> Option<Unit> {
    match word {
        "day" | "days" => Some(Unit::Days),
        "month" | "months" => Some(Unit::Months),
        _ => None,
    }
}

/// "(30)" as contracts repeat a number written in words.
fn parenthesised_figure(word: &str) -> Option<u32> {
    let inner = word.strip_prefix('(')?.strip_suffix(')')?;
    if is_digits(inner) { inner.parse().ok() } else { None }
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
fn number_words(tokens: &[Token<'_>]) -> Option<(u32, usize)> {
    let mut words = NumberWords::default();
    let mut used = 0;
    for token in tokens {
        let mut trial = words.clone();
        if !token.lower.split('-').all(|word| trial.push(word)) {
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
enum DateScan {
    Date { date: NaiveDate, used: usize },
    Invalid { used: usize, problem: String },
    NotADate,
}

/// Reads "2026-08-01", "August 1, 2026", "Aug. 1st 2026" or "1 August 2026"
/// from the start of the tokens.
fn scan_date(tokens: &[Token<'_>]) -> DateScan {
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

fn checked_date(year: i32, month: u32, day: u32, used: usize) -> DateScan {
    if let Some(date) = NaiveDate::from_ymd_opt(year, month, day) {
        return DateScan::Date { date, used };
    }
    let problem = match month_name(month) {
        None => format!("there is no month {month}"),
        Some(name) => format!("{name} {year} has {} days", days_in_month(year, month)),
    };
    DateScan::Invalid { used, problem }
}

fn iso_parts(word: &str) -> Option<(i32, u32, u32)> {
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

fn month_name(month: u32) -> Option<&'static str> {
    let index = usize::try_from(month.checked_sub(1)?).ok()?;
    MONTH_NAMES.get(index).copied()
}

/// "August", "aug", "Aug.", "sept" → 8 or 9.
fn month_number(word: &str) -> Option<u32> {
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
fn day_number(word: &str) -> Option<u32> {
    let word = word.trim_end_matches(',');
    let digits = ["st", "nd", "rd", "th"].iter().find_map(|suffix| word.strip_suffix(suffix)).unwrap_or(word);
    if digits.len() > 2 || !is_digits(digits) {
        return None;
    }
    digits.parse().ok()
}

fn year_number(word: &str) -> Option<i32> {
    let word = word.trim_end_matches([',', '.', ';']);
    if word.len() == 4 && is_digits(word) { word.parse().ok() } else { None }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31).rev().find(|&day| NaiveDate::from_ymd_opt(year, month, day).is_some()).unwrap_or(0)
}

// ---------------------------------------------------------------------------
// Conventions and computation
// ---------------------------------------------------------------------------

/// Whether the anchor day counts as the first day of the period.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Counting {
    /// The anchor day is day 0, as in FRCP 6(a)(1): 30 days after June 2 is
    /// July 2.
    #[default]
    ExcludeAnchor,
    /// The anchor day is day 1: 30 days after June 2 is July 1.
    IncludeAnchor,
}

impl Counting {
    /// The other convention, which [`explain_difference`] tries.
    pub fn other(self) -> Self {
        match self {
            Counting::ExcludeAnchor => Counting::IncludeAnchor,
            Counting::IncludeAnchor => Counting::ExcludeAnchor,
        }
    }
}

/// What happens to a due date that falls on a weekend or federal holiday.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NonBusinessDay {
    /// Keep the date and say nothing: the instrument's day is the day.
    Keep,
    /// Keep the date but report why it is not a business day.
    #[default]
    Flag,
    /// Move the date to the next business day, as FRCP 6(a)(1)(C) does.
    Roll,
}

/// A computed due date and how it was derived.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Computed {
    /// The date after applying the non-business-day policy.
    pub due: NaiveDate,
    /// The date before rolling; equal to `due` unless the policy rolled it.
    pub nominal: NaiveDate,
    /// One line a reader can check by hand: "60 days after signing,
    /// 2026-06-02, signing day not counted; 2026-08-01 is a Saturday, rolled
    /// to Monday 2026-08-03".
    pub derivation: String,
    /// Why the nominal date is not a business day ("Saturday",
    /// "Independence Day (observed)"), under the Flag and Roll policies;
    /// always `None` under Keep.
    pub non_business: Option<String>,
}

/// Computes the due date `amount` days or months after `anchor_date`.
///
/// `anchor_label` names the anchor in the derivation ("signing", "the
/// effective date", a deadline id). Fails when the amount is zero (there is no
/// period to count) or the date would fall after the year 9999.
pub fn compute(
    amount: u32,
    unit: Unit,
    anchor_date: NaiveDate,
    anchor_label: &str,
    counting: Counting,
    policy: NonBusinessDay,
) -> Result<Computed, String> {
    let (nominal, clamped) = nominal_due(amount, unit, anchor_date, counting)?;
    let mut derivation = describe_count(amount, unit, anchor_date, anchor_label, counting, clamped);
    let closure = Closure::of(nominal);
    let mut due = nominal;
    if let (NonBusinessDay::Roll, Some(closure)) = (policy, &closure) {
        due = roll_forward(nominal)?;
        derivation.push_str(&roll_note(nominal, closure, due));
    }
    let non_business = match policy {
        NonBusinessDay::Keep => None,
        NonBusinessDay::Flag | NonBusinessDay::Roll => closure.map(|c| c.label()),
    };
    Ok(Computed { due, nominal, derivation, non_business })
}

/// "60 days after signing, 2026-06-02, signing day not counted": the
/// counting part of a derivation, before any rolling.
fn describe_count(
    amount: u32,
    unit: Unit,
    anchor_date: NaiveDate,
    anchor_label: &str,
    counting: Counting,
    clamped: bool,
) -> String {
    let period = unit.quantity(amount);
    let clamping = if clamped { " (clamped to the month's end)" } else { "" };
    let day = anchor_day(anchor_label);
    let counted = match (counting, unit) {
        (Counting::ExcludeAnchor, Unit::Days) => format!(", {day} not counted"),
        // Month arithmetic lands on the same day of the month, so "not
        // counted" would add nothing there.
        (Counting::ExcludeAnchor, Unit::Months) => String::new(),
        (Counting::IncludeAnchor, _) => format!(", {day} counted as day 1"),
    };
    format!("{period} after {anchor_label}, {anchor_date}{clamping}{counted}")
}

/// The due date before any rolling, and whether month arithmetic clamped it
/// to a shorter month's end.
fn nominal_due(amount: u32, unit: Unit, anchor: NaiveDate, counting: Counting) -> Result<(NaiveDate, bool), String> {
    let period = unit.quantity(amount);
    if amount == 0 {
        return Err(format!("a deadline of {period} leaves no time to act"));
    }
    let too_late = || format!("{period} after {anchor} is past the year {LAST_YEAR}");
    let end_of_period = match unit {
        Unit::Days => anchor.checked_add_days(Days::new(amount.into())),
        Unit::Months => anchor.checked_add_months(Months::new(amount)),
    }
    .ok_or_else(too_late)?;
    let clamped = unit == Unit::Months && end_of_period.day() != anchor.day();
    let due = match counting {
        Counting::ExcludeAnchor => end_of_period,
        Counting::IncludeAnchor => end_of_period.pred_opt().ok_or_else(too_late)?,
    };
    if due.year() > LAST_YEAR {
        return Err(too_late());
    }
    Ok((due, clamped))
}

/// How derivations and explanations name the anchor's own day.
fn anchor_day(label: &str) -> String {
    let label = label.strip_prefix("the ").unwrap_or(label);
    match label {
        "" => "anchor day".to_string(),
        "signing" => "signing day".to_string(),
        "effective" => "effective date".to_string(),
        _ if label.ends_with(" date") || label.ends_with(" day") => label.to_string(),
        _ => format!("day of {label}"),
    }
}

fn roll_forward(date: NaiveDate) -> Result<NaiveDate, String> {
    let mut day = date;
    for _ in 0..MAX_ROLL_DAYS {
        day = day
            .succ_opt()
            .filter(|next| next.year() <= LAST_YEAR)
            .ok_or_else(|| format!("rolling {date} forward passes the year {LAST_YEAR}"))?;
        if is_business_day(day) {
            return Ok(day);
        }
    }
    Err(format!("no business day within {MAX_ROLL_DAYS} days after {date}"))
}

/// "; 2026-09-05 is a Saturday, rolled past Labor Day (Monday 2026-09-07) to
/// Tuesday 2026-09-08": naming skipped weekday holidays, since a reader
/// checking by hand would otherwise stop at the Monday.
fn roll_note(nominal: NaiveDate, closure: &Closure, due: NaiveDate) -> String {
    let skipped: Vec<String> = nominal
        .iter_days()
        .skip(1)
        .take_while(|day| *day < due)
        .filter(|day| !is_weekend(*day))
        .filter_map(|day| federal_holiday(day).map(|name| format!("{name} ({} {day})", weekday_name(day.weekday()))))
        .collect();
    let past = if skipped.is_empty() { String::new() } else { format!(" past {}", skipped.join(" and ")) };
    format!("; {nominal} is {}, rolled{past} to {} {due}", closure.predicate(), weekday_name(due.weekday()))
}

// ---------------------------------------------------------------------------
// Business days
// ---------------------------------------------------------------------------

/// Why a date is not a business day.
struct Closure {
    weekend: Option<&'static str>,
    holiday: Option<&'static str>,
}

impl Closure {
    fn of(date: NaiveDate) -> Option<Closure> {
        let weekend = is_weekend(date).then(|| weekday_name(date.weekday()));
        let holiday = federal_holiday(date);
        (weekend.is_some() || holiday.is_some()).then_some(Closure { weekend, holiday })
    }

    /// "Saturday", "Independence Day (observed)", "Saturday, Independence Day".
    fn label(&self) -> String {
        match (self.weekend, self.holiday) {
            (Some(day), Some(holiday)) => format!("{day}, {holiday}"),
            (Some(name), None) | (None, Some(name)) => name.to_string(),
            (None, None) => String::new(),
        }
    }

    /// "a Saturday", "Independence Day (observed)", "a Saturday and
    /// Independence Day".
    fn predicate(&self) -> String {
        match (self.weekend, self.holiday) {
            (Some(day), Some(holiday)) => format!("a {day} and {holiday}"),
            (Some(day), None) => format!("a {day}"),
            (None, Some(holiday)) => holiday.to_string(),
            (None, None) => String::new(),
        }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn weekday_name(day: Weekday) -> &'static str {
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

/// Whether federal offices are open: a weekday that is not a federal holiday
/// or its observed day.
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
    fn due(self, anchor: NaiveDate) -> Option<NaiveDate> {
        let (nominal, _) = nominal_due(self.amount, self.unit, anchor, self.counting).ok()?;
        if self.rolls && !is_business_day(nominal) { roll_forward(nominal).ok() } else { Some(nominal) }
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
/// agrees with the computed date or nothing explains it.
pub fn explain_difference(
    claimed: NaiveDate,
    amount: u32,
    unit: Unit,
    anchor_date: NaiveDate,
    anchor_label: &str,
    used: Counting,
    policy: NonBusinessDay,
) -> Option<String> {
    let rolls = policy == NonBusinessDay::Roll;
    let computed = Reading { amount, unit, counting: used, rolls };
    if computed.due(anchor_date) == Some(claimed) {
        return None;
    }
    let mut readings = alternative_readings(computed, &anchor_day(anchor_label));
    // Stable: among readings that change as many things, the enumeration
    // order (counting, then rolling, then units) decides.
    readings.sort_by_key(|(changes, _)| changes.len());
    readings
        .into_iter()
        .skip(1)
        .find(|(_, reading)| reading.due(anchor_date) == Some(claimed))
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
            (amount % 30 == 0).then_some((amount / 30, Unit::Months)),
            (amount % 365 == 0).then_some((amount / 365 * 12, Unit::Months)),
        ],
        Unit::Months => vec![
            amount.checked_mul(30).map(|days| (days, Unit::Days)),
            (amount % 12 == 0).then(|| (amount / 12).checked_mul(365)).flatten().map(|days| (days, Unit::Days)),
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
// Claimed values
// ---------------------------------------------------------------------------

/// A claim value normalised for comparison.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateValue {
    /// A calendar date, possibly hedged ("about August 1, 2026").
    Date {
        /// The date itself.
        date: NaiveDate,
        /// Whether the source hedged it ("~", "about", "roughly", …).
        approximate: bool,
    },
    /// A period ("60 days", "within two months"), optionally from a stated
    /// date ("60 days after 2026-06-02").
    Span {
        /// How many units.
        amount: u32,
        /// Days or months.
        unit: Unit,
        /// The date the period runs from, when the claim states one.
        after: Option<NaiveDate>,
    },
}

impl DateValue {
    /// The date the claim points at: the date itself, or a dated span
    /// computed under `counting` without rolling. A span without a date
    /// resolves to nothing; compare its amount and unit with the rule instead.
    pub fn resolve(&self, counting: Counting) -> Option<NaiveDate> {
        match self {
            DateValue::Date { date, .. } => Some(*date),
            DateValue::Span { amount, unit, after: Some(anchor) } => {
                nominal_due(*amount, *unit, *anchor, counting).ok().map(|(due, _)| due)
            }
            DateValue::Span { after: None, .. } => None,
        }
    }
}

/// Lead-in words of a claimed value, longest first, and whether they hedge it.
const VALUE_PREFIXES: &[(&[&str], bool)] = &[
    (&["no", "later", "than"], false),
    (&["not", "later", "than"], false),
    (&["on", "or", "before"], false),
    (&["on", "or", "about"], true),
    (&["by"], false),
    (&["on"], false),
    (&["~"], true),
    (&["about"], true),
    (&["around"], true),
    (&["roughly"], true),
    (&["approximately"], true),
    (&["approx."], true),
    (&["circa"], true),
    (&["ca."], true),
];

/// Normalises a value a source claims for a deadline.
///
/// Recognises dates ("2026-08-01", "August 1, 2026", "Aug. 1 2026", "1 August
/// 2026") with lead-ins ("by", "no later than") and hedges ("~", "about",
/// "roughly", "around", "approximately"), a date followed by an aside
/// ("July 2, 2026 (within 30 days)": the date wins), and periods ("60 days",
/// "within two months", "60 days after 2026-06-02"). A hedged period, or one
/// counted from something other than a date ("60 days after signing"), is
/// not comparable and gives `None`, as does anything else.
pub fn parse_date_value(text: &str) -> Option<DateValue> {
    let trimmed = text.trim();
    let (mut approximate, body) = match trimmed.strip_prefix('~') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let tokens = tokenize(body);
    let mut parser = Parser::new(body, &tokens);
    while let Some((_, hedge)) = VALUE_PREFIXES.iter().find(|(words, _)| parser.eat_words(words)) {
        approximate |= *hedge;
    }
    if let DateScan::Date { date, used } = scan_date(parser.rest()) {
        let after = parser.rest().get(used - 1..).unwrap_or_default();
        return ends_with_aside(after).then_some(DateValue::Date { date, approximate });
    }
    if approximate {
        return None;
    }
    span_value(parser)
}

/// Whether what follows a date (starting at its last token) is an aside
/// rather than more of the value: nothing, a parenthesis, a dash, or text set
/// off by a comma or semicolon.
fn ends_with_aside(tokens: &[Token<'_>]) -> bool {
    let [last, next, ..] = tokens else {
        return true;
    };
    last.lower.ends_with([',', ';'])
        || next.lower.starts_with(['(', '['])
        || matches!(next.lower.as_str(), "-" | "\u{2013}" | "\u{2014}")
}

fn span_value(mut parser: Parser<'_, '_>) -> Option<DateValue> {
    parser.eat_words(&["within"]);
    let (amount, span) = parser.amount().ok()?;
    let unit = parser.unit().ok()?;
    check_amount(amount, unit, span).ok()?;
    if parser.at_end() {
        return Some(DateValue::Span { amount, unit, after: None });
    }
    parser.connector().ok()?;
    let DateScan::Date { date, used } = scan_date(parser.rest()) else {
        return None;
    };
    parser.pos += used;
    parser.finish().ok()?;
    Some(DateValue::Span { amount, unit, after: Some(date) })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
    }

    const EXCLUDE: Counting = Counting::ExcludeAnchor;
    const INCLUDE: Counting = Counting::IncludeAnchor;

    fn due(amount: u32, unit: Unit, anchor: &str, counting: Counting) -> NaiveDate {
        let kept = compute(amount, unit, d(anchor), "signing", counting, NonBusinessDay::Keep);
        kept.expect("in range").due
    }

    /// The running example of the issue: an order signed on 2026-06-02.
    fn after_june_2(amount: u32, unit: Unit, counting: Counting, policy: NonBusinessDay) -> Computed {
        let anchor = d("2026-06-02");
        compute(amount, unit, anchor, "signing", counting, policy).expect("in range")
    }

    fn within(amount: u32, unit: Unit, anchor: Anchor) -> Rule {
        Rule::Within { amount, unit, anchor }
    }

    fn days(amount: u32, anchor: Anchor) -> Rule {
        within(amount, Unit::Days, anchor)
    }

    fn months(amount: u32, anchor: Anchor) -> Rule {
        within(amount, Unit::Months, anchor)
    }

    fn named(id: &str) -> Anchor {
        Anchor::Named(id.to_string())
    }

    fn error(text: &str) -> RuleError {
        parse_rule(text).expect_err("the rule is malformed")
    }

    /// The text an error points at.
    fn pointed<'a>(text: &'a str, error: &RuleError) -> &'a str {
        &text[error.span()]
    }

    // --- day arithmetic ---------------------------------------------------

    #[test]
    fn thirty_and_sixty_days_after_signing() {
        assert_eq!(due(30, Unit::Days, "2026-06-02", EXCLUDE), d("2026-07-02"));
        assert_eq!(due(60, Unit::Days, "2026-06-02", EXCLUDE), d("2026-08-01"));
    }

    #[test]
    fn counting_the_anchor_as_day_one_is_a_day_earlier() {
        assert_eq!(due(60, Unit::Days, "2026-06-02", INCLUDE), d("2026-07-31"));
        assert_eq!(due(1, Unit::Days, "2026-06-02", INCLUDE), d("2026-06-02"));
        assert_eq!(due(1, Unit::Months, "2026-06-02", INCLUDE), d("2026-07-01"));
    }

    #[test]
    fn days_cross_year_ends_and_leap_days() {
        assert_eq!(due(30, Unit::Days, "2026-12-15", EXCLUDE), d("2027-01-14"));
        assert_eq!(due(60, Unit::Days, "2027-12-31", EXCLUDE), d("2028-02-29"));
        assert_eq!(due(1, Unit::Days, "2028-02-28", EXCLUDE), d("2028-02-29"));
        assert_eq!(due(1, Unit::Days, "2027-02-28", EXCLUDE), d("2027-03-01"));
        assert_eq!(due(366, Unit::Days, "2028-01-01", EXCLUDE), d("2029-01-01"));
    }

    // --- month arithmetic -------------------------------------------------

    #[test]
    fn months_clamp_to_the_months_end() {
        assert_eq!(due(1, Unit::Months, "2026-01-31", EXCLUDE), d("2026-02-28"));
        assert_eq!(due(1, Unit::Months, "2028-01-31", EXCLUDE), d("2028-02-29"));
        assert_eq!(due(6, Unit::Months, "2026-08-31", EXCLUDE), d("2027-02-28"));
        assert_eq!(due(1, Unit::Months, "2026-03-31", EXCLUDE), d("2026-04-30"));
        assert_eq!(due(12, Unit::Months, "2028-02-29", EXCLUDE), d("2029-02-28"));
        assert_eq!(due(48, Unit::Months, "2028-02-29", EXCLUDE), d("2032-02-29"));
    }

    #[test]
    fn months_cross_year_ends() {
        assert_eq!(due(2, Unit::Months, "2026-11-30", EXCLUDE), d("2027-01-30"));
        assert_eq!(due(1, Unit::Months, "2026-12-31", EXCLUDE), d("2027-01-31"));
        assert_eq!(due(14, Unit::Months, "2026-12-31", EXCLUDE), d("2028-02-29"));
    }

    #[test]
    fn included_anchor_months_are_one_day_short_even_when_clamped() {
        assert_eq!(due(1, Unit::Months, "2026-01-31", INCLUDE), d("2026-02-27"));
        assert_eq!(due(2, Unit::Months, "2026-06-02", INCLUDE), d("2026-08-01"));
    }

    #[test]
    fn derivations_say_how_the_date_was_counted() {
        let flag = NonBusinessDay::Flag;
        let derive = |amount, unit, label: &str, counting| {
            let computed = compute(amount, unit, d("2026-06-02"), label, counting, flag);
            computed.expect("in range").derivation
        };
        assert_eq!(
            derive(60, Unit::Days, "signing", EXCLUDE),
            "60 days after signing, 2026-06-02, signing day not counted"
        );
        assert_eq!(
            derive(60, Unit::Days, "signing", INCLUDE),
            "60 days after signing, 2026-06-02, signing day counted as day 1"
        );
        assert_eq!(derive(2, Unit::Months, "effective", EXCLUDE), "2 months after effective, 2026-06-02");
        assert_eq!(derive(1, Unit::Days, "dl-3", EXCLUDE), "1 day after dl-3, 2026-06-02, day of dl-3 not counted");
    }

    #[test]
    fn derivation_mentions_clamping() {
        let computed =
            compute(1, Unit::Months, d("2026-01-31"), "signing", Counting::ExcludeAnchor, NonBusinessDay::Keep)
                .expect("in range");
        assert_eq!(computed.derivation, "1 month after signing, 2026-01-31 (clamped to the month's end)");
    }

    #[test]
    fn zero_and_overflow_are_errors() {
        let keep = NonBusinessDay::Keep;
        assert!(compute(0, Unit::Days, d("2026-06-02"), "signing", EXCLUDE, keep).is_err());
        let late = compute(10, Unit::Days, d("9999-12-25"), "signing", EXCLUDE, keep);
        assert!(late.expect_err("past 9999").contains("9999"));
        assert!(compute(u32::MAX, Unit::Months, d("2026-06-02"), "signing", EXCLUDE, keep).is_err());
        assert!(compute(u32::MAX, Unit::Days, d("2026-06-02"), "signing", EXCLUDE, keep).is_err());
        let last_day = compute(6, Unit::Days, d("9999-12-25"), "signing", EXCLUDE, keep);
        assert_eq!(last_day.expect("in range").due, d("9999-12-31"));
    }

    // --- non-business days ------------------------------------------------

    #[test]
    fn a_saturday_is_flagged_or_rolled() {
        let compute_with = |policy| after_june_2(60, Unit::Days, EXCLUDE, policy);
        let kept = compute_with(NonBusinessDay::Keep);
        assert_eq!((kept.due, kept.non_business), (d("2026-08-01"), None));

        let flagged = compute_with(NonBusinessDay::Flag);
        assert_eq!(flagged.due, d("2026-08-01"));
        assert_eq!(flagged.non_business.as_deref(), Some("Saturday"));

        let rolled = compute_with(NonBusinessDay::Roll);
        assert_eq!(rolled.nominal, d("2026-08-01"));
        assert_eq!(rolled.due, d("2026-08-03"));
        assert_eq!(rolled.non_business.as_deref(), Some("Saturday"));
        assert_eq!(
            rolled.derivation,
            "60 days after signing, 2026-06-02, signing day not counted; \
             2026-08-01 is a Saturday, rolled to Monday 2026-08-03"
        );
    }

    #[test]
    fn business_days_are_not_rolled() {
        let computed = after_june_2(30, Unit::Days, EXCLUDE, NonBusinessDay::Roll);
        assert_eq!((computed.due, computed.nominal), (d("2026-07-02"), d("2026-07-02")));
        assert_eq!(computed.non_business, None);
        assert!(!computed.derivation.contains("rolled"));
    }

    #[test]
    fn rolling_crosses_a_holiday_weekend() {
        let roll = |amount| after_june_2(amount, Unit::Days, EXCLUDE, NonBusinessDay::Roll);
        // Friday July 3, 2026 is Independence Day observed; then the weekend.
        let july = roll(31);
        assert_eq!(july.nominal, d("2026-07-03"));
        assert_eq!(july.due, d("2026-07-06"));
        assert_eq!(july.non_business.as_deref(), Some("Independence Day (observed)"));
        assert!(july.derivation.ends_with("2026-07-03 is Independence Day (observed), rolled to Monday 2026-07-06"));
        // Saturday September 5, 2026, then Labor Day on Monday the 7th.
        let labor = roll(95);
        assert_eq!(labor.due, d("2026-09-08"));
        assert!(labor.derivation.ends_with(
            "2026-09-05 is a Saturday, rolled past Labor Day (Monday 2026-09-07) \
             to Tuesday 2026-09-08"
        ));
    }

    #[test]
    fn a_weekend_holiday_names_both() {
        let computed = after_june_2(32, Unit::Days, EXCLUDE, NonBusinessDay::Flag);
        assert_eq!(computed.nominal, d("2026-07-04"));
        assert_eq!(computed.non_business.as_deref(), Some("Saturday, Independence Day"));
    }

    #[test]
    fn fixed_holidays_and_their_observed_days() {
        assert_eq!(federal_holiday(d("2026-07-04")), Some("Independence Day"));
        assert_eq!(federal_holiday(d("2026-07-03")), Some("Independence Day (observed)"));
        assert_eq!(federal_holiday(d("2026-12-25")), Some("Christmas Day"));
        assert_eq!(federal_holiday(d("2027-12-24")), Some("Christmas Day (observed)"));
        assert_eq!(federal_holiday(d("2023-01-02")), Some("New Year's Day (observed)"));
        assert_eq!(federal_holiday(d("2026-11-11")), Some("Veterans Day"));
        assert_eq!(federal_holiday(d("2023-11-10")), Some("Veterans Day (observed)"));
    }

    #[test]
    fn new_years_day_can_be_observed_the_year_before() {
        // January 1, 2028 is a Saturday.
        assert_eq!(federal_holiday(d("2027-12-31")), Some("New Year's Day (observed)"));
        assert_eq!(federal_holiday(d("2028-01-01")), Some("New Year's Day"));
        assert!(!is_business_day(d("2027-12-31")));
        assert_eq!(federal_holiday(d("2026-12-31")), None);
    }

    #[test]
    fn floating_holidays_of_2026() {
        let expected = [
            ("2026-01-19", "Birthday of Martin Luther King, Jr."),
            ("2026-02-16", "Washington's Birthday"),
            ("2026-05-25", "Memorial Day"),
            ("2026-09-07", "Labor Day"),
            ("2026-10-12", "Columbus Day"),
            ("2026-11-26", "Thanksgiving Day"),
        ];
        for (date, name) in expected {
            assert_eq!(federal_holiday(d(date)), Some(name), "{date}");
        }
        // Memorial Day is the last Monday even in a five-Monday May.
        assert_eq!(federal_holiday(d("2027-05-31")), Some("Memorial Day"));
        assert_eq!(federal_holiday(d("2027-05-24")), None);
    }

    #[test]
    fn juneteenth_starts_in_2021() {
        assert_eq!(federal_holiday(d("2020-06-19")), None);
        assert_eq!(federal_holiday(d("2021-06-18")), Some("Juneteenth National Independence Day (observed)"));
        assert_eq!(federal_holiday(d("2026-06-19")), Some("Juneteenth National Independence Day"));
    }

    #[test]
    fn every_2026_holiday_is_found_and_nothing_else() {
        let holidays = d("2026-01-01")
            .iter_days()
            .take_while(|day| day.year() == 2026)
            .filter(|day| federal_holiday(*day).is_some())
            .count();
        // Eleven holidays plus Independence Day observed on Friday July 3.
        assert_eq!(holidays, 12);
    }

    #[test]
    fn business_days() {
        assert!(is_business_day(d("2026-08-03")));
        assert!(!is_business_day(d("2026-08-01")));
        assert!(!is_business_day(d("2026-08-02")));
        assert!(!is_business_day(d("2026-11-26")));
        assert!(is_business_day(d("2026-11-27")));
    }

    // --- parsing rules ----------------------------------------------------

    #[test]
    fn parses_within_rules() {
        let cases = [
            ("within 30 days of signing", days(30, Anchor::Signing)),
            ("30 days after signing", days(30, Anchor::Signing)),
            ("within 2 months of effective", months(2, Anchor::Effective)),
            ("within 10 days of dl-other", days(10, named("dl-other"))),
            ("90 days from the signing date", days(90, Anchor::Signing)),
            ("within 1 month of the effective date", months(1, Anchor::Effective)),
            ("within 45 calendar days of signature", days(45, Anchor::Signing)),
            ("within 7 days following the date of signing", days(7, Anchor::Signing)),
            ("within 5 days after signed", days(5, Anchor::Signing)),
            ("within 3 days of EO:14000.sec_2", days(3, named("EO:14000.sec_2"))),
            ("within 3 days of the publication", days(3, named("publication"))),
        ];
        for (text, rule) in cases {
            assert_eq!(parse_rule(text), Ok(rule), "{text}");
        }
    }

    #[test]
    fn case_spacing_and_a_final_period_are_free() {
        let rule = within(30, Unit::Days, Anchor::Signing);
        assert_eq!(parse_rule("  WITHIN   30\tDays  of  Signing.  "), Ok(rule));
        assert_eq!(parse_rule("Within 10 days of DL-Report"), Ok(days(10, named("DL-Report"))));
    }

    #[test]
    fn parses_number_words() {
        let cases = [
            ("within thirty days of signing", 30, Unit::Days),
            ("within one month of signing", 1, Unit::Months),
            ("within a month of signing", 1, Unit::Months),
            ("within twelve months of signing", 12, Unit::Months),
            ("within fifteen days of signing", 15, Unit::Days),
            ("within forty-five days of signing", 45, Unit::Days),
            ("within forty five days of signing", 45, Unit::Days),
            ("within ninety-nine days of signing", 99, Unit::Days),
            ("within one hundred twenty days of signing", 120, Unit::Days),
            ("within one hundred and eighty days of signing", 180, Unit::Days),
            ("within thirty (30) days of signing", 30, Unit::Days),
            ("sixty days after signing", 60, Unit::Days),
        ];
        for (text, amount, unit) in cases {
            assert_eq!(parse_rule(text), Ok(within(amount, unit, Anchor::Signing)), "{text}");
        }
    }

    #[test]
    fn parses_fixed_dates() {
        let date = Rule::NoLaterThan(d("2026-09-30"));
        for text in [
            "no later than 2026-09-30",
            "not later than 2026-09-30",
            "by 2026-09-30",
            "on 2026-09-30",
            "on or before 2026-09-30",
            "No later than September 30, 2026",
            "by Sept. 30, 2026.",
        ] {
            assert_eq!(parse_rule(text), Ok(date.clone()), "{text}");
        }
    }

    #[test]
    fn parses_ongoing_and_unknown() {
        for text in ["ongoing", "Continuing"] {
            assert_eq!(parse_rule(text), Ok(Rule::Ongoing), "{text}");
        }
        for text in ["unknown", "date not yet known", "TBD", "to be determined"] {
            assert_eq!(parse_rule(text), Ok(Rule::Unknown), "{text}");
        }
    }

    #[test]
    fn display_reads_back_to_the_same_rule() {
        let rules = [
            within(1, Unit::Days, Anchor::Signing),
            within(2, Unit::Months, Anchor::Effective),
            days(10, named("dl-other")),
            Rule::NoLaterThan(d("2026-09-30")),
            Rule::Ongoing,
            Rule::Unknown,
        ];
        for rule in rules {
            assert_eq!(parse_rule(&rule.to_string()), Ok(rule.clone()), "{rule}");
        }
        let rule = within(30, Unit::Days, Anchor::Signing);
        assert_eq!(rule.to_string(), "within 30 days of signing");
        assert_eq!(rule.anchor(), Some(&Anchor::Signing));
    }

    #[test]
    fn a_wrong_unit_points_at_the_unit() {
        let text = "within 30 weeks of signing";
        let err = error(text);
        assert_eq!((err.offset, err.len), (10, 5));
        assert_eq!(pointed(text, &err), "weeks");
        assert!(err.hint.contains("days or months"), "{}", err.hint);

        let spaced = "  within  30  years of signing";
        let err = error(spaced);
        assert_eq!(pointed(spaced, &err), "years");
        assert!(err.hint.contains("12 months"));

        let business = "within 10 business days of signing";
        assert_eq!(pointed(business, &error(business)), "business");
    }

    #[test]
    fn an_impossible_date_points_at_the_date() {
        let text = "no later than 2026-02-30";
        let err = error(text);
        assert_eq!((err.offset, err.len), (14, 10));
        assert_eq!(err.message, "2026-02-30 is not a date: February 2026 has 28 days");

        let month = "by 2026-13-01";
        let err = error(month);
        assert_eq!(pointed(month, &err), "2026-13-01");
        assert!(err.message.contains("no month 13"));

        let prose = "by February 29, 2027";
        assert_eq!(pointed(prose, &error(prose)), "February 29, 2027");
    }

    #[test]
    fn absurd_and_zero_amounts_point_at_the_amount() {
        let days = "within 36501 days of signing";
        let err = error(days);
        assert_eq!(pointed(days, &err), "36501");
        assert!(err.message.contains("century"));
        assert_eq!(parse_rule("within 36500 days of signing").map(|_| ()), Ok(()));

        let months = "within 1201 months of signing";
        assert_eq!(pointed(months, &error(months)), "1201");
        let huge = "within 99999999999999 days of signing";
        assert_eq!(pointed(huge, &error(huge)), "99999999999999");
        let zero = "within zero days of signing";
        assert_eq!(pointed(zero, &error(zero)), "zero");
    }

    #[test]
    fn missing_parts_point_at_the_end() {
        let text = "within 30 days";
        let err = error(text);
        assert_eq!((err.offset, err.len), (text.len(), 0));
        assert!(err.hint.contains("of signing"));

        let no_anchor = "within 30 days of";
        assert_eq!(error(no_anchor).offset, no_anchor.len());
        let no_unit = "within 30";
        assert_eq!(error(no_unit).offset, no_unit.len());
        let no_date = "no later than";
        assert_eq!(error(no_date).offset, no_date.len());
        let empty = error("   ");
        assert_eq!(empty.offset, 0);
    }

    #[test]
    fn other_malformed_rules_point_at_the_culprit() {
        let cases = [
            ("soon", "soon"),
            ("within soon", "soon"),
            ("30 days before signing", "before"),
            ("within 30 days in signing", "in"),
            ("within 30 days of dl/3", "dl/3"),
            ("within 30 days of signing and more", "and more"),
            ("within thirty (31) days of signing", "(31)"),
            ("by next week", "next"),
            ("by 2026-09-30 at noon", "at noon"),
        ];
        for (text, culprit) in cases {
            assert_eq!(pointed(text, &error(text)), culprit, "{text}");
        }
    }

    #[test]
    fn rejects_ill_formed_number_words() {
        for text in [
            "within twenty thirty days of signing",
            "within five six days of signing",
            "within hundred days of signing",
            "within one hundred and days of signing",
        ] {
            assert!(parse_rule(text).is_err(), "{text}");
        }
    }

    #[test]
    fn errors_display_message_and_hint() {
        let err = error("within 30 weeks of signing");
        assert_eq!(err.to_string(), "weeks are not a deadline unit; use days or months (a week is 7 days)");
    }

    // --- explaining differences -------------------------------------------

    fn explain(claimed: &str, amount: u32, unit: Unit, policy: NonBusinessDay) -> Option<String> {
        explain_difference(d(claimed), amount, unit, d("2026-06-02"), "signing", Counting::ExcludeAnchor, policy)
    }

    #[test]
    fn explains_a_counting_difference() {
        assert_eq!(
            explain("2026-07-31", 60, Unit::Days, NonBusinessDay::Flag).as_deref(),
            Some("matches if the signing day is counted as day 1")
        );
        let reverse = explain_difference(
            d("2026-08-01"),
            60,
            Unit::Days,
            d("2026-06-02"),
            "signing",
            Counting::IncludeAnchor,
            NonBusinessDay::Flag,
        );
        assert_eq!(reverse.as_deref(), Some("matches if the signing day is not counted"));
    }

    #[test]
    fn explains_rolling() {
        assert_eq!(
            explain("2026-08-03", 60, Unit::Days, NonBusinessDay::Flag).as_deref(),
            Some("matches if the date is rolled to the next business day")
        );
        assert_eq!(
            explain("2026-08-01", 60, Unit::Days, NonBusinessDay::Roll).as_deref(),
            Some("matches if the date is not rolled to the next business day")
        );
    }

    #[test]
    fn explains_units_and_combinations() {
        assert_eq!(
            explain("2026-08-02", 60, Unit::Days, NonBusinessDay::Flag).as_deref(),
            Some("matches if 60 days is read as 2 months")
        );
        assert_eq!(
            explain("2026-07-31", 2, Unit::Months, NonBusinessDay::Flag).as_deref(),
            Some("matches if 2 months is read as 60 days and the signing day is counted as day 1")
        );
        // Under Keep the computed date stays on Saturday 2026-08-01.
        assert_eq!(
            explain("2026-08-03", 60, Unit::Days, NonBusinessDay::Keep).as_deref(),
            Some("matches if the date is rolled to the next business day")
        );
    }

    #[test]
    fn explanations_use_the_anchor_label() {
        let explained = explain_difference(
            d("2026-07-31"),
            60,
            Unit::Days,
            d("2026-06-02"),
            "the effective date",
            Counting::ExcludeAnchor,
            NonBusinessDay::Flag,
        );
        assert_eq!(explained.as_deref(), Some("matches if the effective date is counted as day 1"));
    }

    #[test]
    fn no_explanation_for_agreement_or_an_unrelated_date() {
        assert_eq!(explain("2026-08-01", 60, Unit::Days, NonBusinessDay::Flag), None);
        assert_eq!(explain("2026-09-15", 60, Unit::Days, NonBusinessDay::Flag), None);
        assert_eq!(explain("2026-07-02", 60, Unit::Days, NonBusinessDay::Flag), None);
    }

    // --- claimed values ---------------------------------------------------

    fn date_value(date: &str, approximate: bool) -> Option<DateValue> {
        Some(DateValue::Date { date: d(date), approximate })
    }

    fn span(amount: u32, unit: Unit, after: Option<&str>) -> Option<DateValue> {
        Some(DateValue::Span { amount, unit, after: after.map(d) })
    }

    #[test]
    fn parses_exact_dates() {
        for text in [
            "2026-08-01",
            "August 1, 2026",
            "Aug. 1, 2026",
            "Aug 1 2026",
            "1 August 2026",
            "August 1st, 2026",
            "  august 1, 2026 ",
            "by August 1, 2026",
            "no later than 2026-08-01",
        ] {
            assert_eq!(parse_date_value(text), date_value("2026-08-01", false), "{text}");
        }
        assert_eq!(parse_date_value("by July 31, 2026"), date_value("2026-07-31", false));
    }

    #[test]
    fn parses_hedged_dates() {
        for text in [
            "~August 1, 2026",
            "~ 2026-08-01",
            "about August 1, 2026",
            "roughly 1 August 2026",
            "around Aug 1 2026",
            "approximately August 1, 2026",
            "by roughly August 1, 2026",
            "on or about August 1, 2026",
        ] {
            assert_eq!(parse_date_value(text), date_value("2026-08-01", true), "{text}");
        }
    }

    #[test]
    fn a_date_wins_over_its_aside() {
        assert_eq!(parse_date_value("July 2, 2026 (within 30 days)"), date_value("2026-07-02", false));
        assert_eq!(parse_date_value("2026-07-02, per the agency"), date_value("2026-07-02", false));
        assert_eq!(parse_date_value("2026-07-02 or later"), None);
    }

    #[test]
    fn parses_spans() {
        let cases = [
            ("60 days", span(60, Unit::Days, None)),
            ("within 60 days", span(60, Unit::Days, None)),
            ("2 months", span(2, Unit::Months, None)),
            ("two months", span(2, Unit::Months, None)),
            ("within two months", span(2, Unit::Months, None)),
            ("a month", span(1, Unit::Months, None)),
            ("60 days after 2026-06-02", span(60, Unit::Days, Some("2026-06-02"))),
            ("sixty days from June 2, 2026", span(60, Unit::Days, Some("2026-06-02"))),
        ];
        for (text, value) in cases {
            assert_eq!(parse_date_value(text), value, "{text}");
        }
    }

    #[test]
    fn anything_else_is_not_a_value() {
        for text in [
            "",
            "soon",
            "Q3 2026",
            "60 days after signing",
            "about 60 days",
            "2026-02-30",
            "August 2026",
            "0 days",
            "60 weeks",
        ] {
            assert_eq!(parse_date_value(text), None, "{text}");
        }
    }

    #[test]
    fn equal_values_resolve_to_the_same_date() {
        let resolved: Vec<_> = ["2026-08-01", "August 1, 2026", "60 days after 2026-06-02"]
            .into_iter()
            .map(|text| parse_date_value(text).and_then(|value| value.resolve(EXCLUDE)))
            .collect();
        assert_eq!(resolved, vec![Some(d("2026-08-01")); 3]);
        let span = parse_date_value("60 days after 2026-06-02").expect("a span");
        assert_eq!(span.resolve(Counting::IncludeAnchor), Some(d("2026-07-31")));
        let bare = parse_date_value("60 days").expect("a span");
        assert_eq!(bare.resolve(EXCLUDE), None);
    }

    #[test]
    fn conventions_serialize_in_kebab_case() {
        // No serde_json here: the serde names are checked through the
        // Deserialize impl with a plain string deserializer.
        use serde::de::IntoDeserializer;
        use serde::de::value::{Error, StrDeserializer};
        fn read<T: for<'de> Deserialize<'de>>(name: &str) -> T {
            let deserializer: StrDeserializer<'_, Error> = name.into_deserializer();
            T::deserialize(deserializer).expect("a known name")
        }
        assert_eq!(read::<Counting>("exclude-anchor"), Counting::ExcludeAnchor);
        assert_eq!(read::<Counting>("include-anchor"), Counting::IncludeAnchor);
        assert_eq!(read::<NonBusinessDay>("roll"), NonBusinessDay::Roll);
        assert_eq!(read::<Unit>("months"), Unit::Months);
        assert_eq!(Counting::default(), Counting::ExcludeAnchor);
        assert_eq!(NonBusinessDay::default(), NonBusinessDay::Flag);
    }
}
