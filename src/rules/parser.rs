//! Rule text → [`Rule`], and claimed values → [`DateValue`].
//!
//! A rule is read word by word with a cursor ([`Parser`]); every error carries the byte
//! range of the offending words so the caller can point at them in the file, and the hint
//! of an unreadable rule lists every shape docket understands ([`RULE_SHAPES`]).

use std::ops::Range;

use chrono::NaiveDate;

use super::calendar::HolidayCalendar;
use super::counting::{Counting, Direction};
use super::vocabulary::{
    DATE_PREFIXES, DateScan, Token, anchor_phrase, is_anchor_id, is_digits, number_words, parenthesised_figure,
    recurrence_adverb, scan_date, scan_day_month, starts_with_words, tokenize, unit_word, year_number,
};
use super::{Anchor, Every, MAX_DAYS, MAX_MONTHS, Rule, RuleError, Unit};

/// Every shape of rule docket reads, shown when a rule cannot be read at all.
pub const RULE_SHAPES: &str = "rules read like 'within 30 days of signing', 'within 150 days of the date \
     of this order', 'within 60 days of issuance', 'within 10 business days of signing', 'within 2 weeks \
     of dl-x', 'within 1 year of enactment', 'within 30 days of publication in the Federal Register', \
     '30 days before the effective date', 'no later than 2026-09-30', 'no later than December 16, 2024, \
     and annually thereafter', 'within 180 days of signing, and every two years thereafter until 2036', \
     'annually on 1 December', 'by 31 December each year', 'every 180 days', 'ongoing' or 'date not yet \
     known'";

/// Shown when an anchor is missing or malformed.
const ANCHOR_HINT: &str = "an anchor is 'signing', 'the date of this order' (or memorandum, rule, Act, \
     directive), 'issuance', 'enactment', 'effective', 'publication in the Federal Register', or the id of \
     another deadline or event (letters, digits, _ . : -)";

/// Shown when a date is missing or unreadable.
const DATE_HINT: &str = "write the date as YYYY-MM-DD (2026-09-30) or as September 30, 2026";

/// Shown when a unit is missing or unknown.
const UNIT_HINT: &str = "use days, business days, weeks, months or years";

/// Parses the rule text of a deadline.
///
/// Case and spacing are free; a final period is ignored. Amounts are figures or words
/// ("thirty", "forty-five", "one hundred twenty", "a month"), optionally followed by the
/// figure in parentheses as contracts write them ("thirty (30) days"). Anchors are the
/// instrument's signing ("signing", "the date of this order", "issuance", "enactment"),
/// its effective date, "publication in the Federal Register" (the `publication` event), or
/// an id made of letters, digits and `_ . : -`. Zero amounts and amounts over a century are
/// rejected as typos. A rule may add a recurrence (", and every two years thereafter until
/// 2036", ", and annually thereafter"), or be one ("annually on 1 December", "every 180
/// days").
pub fn parse_rule(text: &str) -> Result<Rule, RuleError> {
    let body = without_final_period(text);
    let tokens = tokenize(body);
    if tokens.is_empty() {
        return Err(RuleError::new(0..text.len(), "empty deadline rule", RULE_SHAPES));
    }
    if let Some(rule) = standing_rule(&tokens) {
        return Ok(rule);
    }
    let mut parser = Parser::new(body, &tokens);
    let rule = if parser.eat_words(&["every"]) || parser.eat_words(&["each"]) {
        parser.standalone_every()?
    } else if let Some((1, Unit::Years)) = parser.peek().and_then(|t| recurrence_adverb(&t.word)) {
        parser.pos += 1;
        parser.annual_day()?
    } else if parser.eat_words(&["within"]) || parser.at_amount() {
        parser.relative()?
    } else if DATE_PREFIXES.iter().any(|words| parser.eat_words(words)) {
        let dated = !matches!(scan_date(parser.rest()), DateScan::NotADate) || scan_day_month(parser.rest()).is_some();
        if parser.at_amount() && !dated { parser.relative()? } else { parser.fixed_date()? }
    } else {
        let first = &tokens[0];
        return Err(parser.error_here(format!("'{}' does not start a deadline rule", first.text), RULE_SHAPES));
    };
    parser.recurrence_tail(rule)
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

/// A rule text after the author's full stop, which is punctuation rather than part of the
/// last word (ids may contain dots, so it must go first).
fn without_final_period(text: &str) -> &str {
    let trimmed = text.trim_end();
    trimmed.strip_suffix('.').unwrap_or(trimmed)
}

/// A cursor over the tokens of one rule (or of one claimed value), producing errors that
/// point into the original text.
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

    /// Whether the next words read as an amount, so a rule may start with "30 days after
    /// signing" without "within".
    fn at_amount(&self) -> bool {
        let rest = self.rest();
        let figure = rest.first().is_some_and(|t| is_digits(&t.word));
        figure || self.at_article_amount() || number_words(rest).is_some()
    }

    /// "a month": an article counts as one only right before a unit, so "a" can still
    /// start an anchor id elsewhere.
    fn at_article_amount(&self) -> bool {
        let rest = self.rest();
        let article = rest.first().is_some_and(|t| t.word == "a" || t.word == "an");
        let unit = |t: &Token<'_>| unit_word(&t.word).is_some() || matches!(t.word.as_str(), "business" | "calendar");
        article && rest.get(1).is_some_and(unit)
    }

    /// "30 days of signing", "30 days before dl-x", after "within" or "no later than".
    fn relative(&mut self) -> Result<Rule, RuleError> {
        let (amount, unit) = self.period()?;
        let before = self.connector()?;
        let anchor = self.anchor()?;
        Ok(if before { Rule::Before { amount, unit, anchor } } else { Rule::Within { amount, unit, anchor } })
    }

    /// An amount and its unit, range-checked.
    fn period(&mut self) -> Result<(u32, Unit), RuleError> {
        let (amount, amount_span) = self.amount()?;
        let unit = self.unit()?;
        check_amount(amount, unit, amount_span)?;
        Ok((amount, unit))
    }

    fn amount(&mut self) -> Result<(u32, Range<usize>), RuleError> {
        const HINT: &str = "write a number such as 30 or thirty";
        let Some(token) = self.peek() else {
            return Err(self.error_at_end("expected a number of days, weeks, months or years", HINT));
        };
        if is_digits(&token.word) {
            self.pos += 1;
            // Too many digits for u32 is still "too many days": let the range check
            // report it with the other absurd amounts.
            let value = token.word.parse().unwrap_or(u32::MAX);
            return Ok((value, token.start..token.start + token.word.len()));
        }
        if self.at_article_amount() {
            self.pos += 1;
            return Ok((1, token.span()));
        }
        let Some((value, used)) = number_words(self.rest()) else {
            return Err(self.error_here(
                format!("expected a number of days, weeks, months or years, found '{}'", token.text),
                HINT,
            ));
        };
        self.pos += used;
        let mut end = self.tokens[self.pos - 1].end();
        if let Some(figure) = self.peek().filter(|t| parenthesised_figure(&t.word).is_some()) {
            if parenthesised_figure(&figure.word) != Some(value) {
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
        if self.eat_words(&["business", "days"])
            || self.eat_words(&["business", "day"])
            || self.eat_words(&["working", "days"])
            || self.eat_words(&["working", "day"])
        {
            return Ok(Unit::BusinessDays);
        }
        let Some(token) = self.peek() else {
            return Err(self.error_at_end("expected a unit", UNIT_HINT));
        };
        if let Some(unit) = unit_word(&token.word) {
            self.pos += 1;
            return Ok(unit);
        }
        Err(self.error_here(format!("expected a unit, found '{}'", token.text), UNIT_HINT))
    }

    /// "of", "after", "from", "following" count forward (false); "before" and "prior to"
    /// count back (true).
    fn connector(&mut self) -> Result<bool, RuleError> {
        const HINT: &str = "for example 'within 30 days of signing' or '30 days before the effective date'";
        let Some(token) = self.peek() else {
            return Err(self.error_at_end(
                "the rule does not say what it counts from",
                "add 'of signing', 'of the date of this order', 'before' and an anchor, or 'of' and a deadline id",
            ));
        };
        if self.eat_words(&["prior", "to"]) || self.eat_words(&["before"]) {
            return Ok(true);
        }
        match token.word.as_str() {
            "of" | "after" | "from" | "following" => {
                self.pos += 1;
                Ok(false)
            }
            _ => {
                Err(self
                    .error_here(format!("expected 'of', 'after', 'from' or 'before', found '{}'", token.text), HINT))
            }
        }
    }

    fn anchor(&mut self) -> Result<Anchor, RuleError> {
        self.eat_words(&["the"]);
        if let Some((anchor, used)) = anchor_phrase(self.rest()) {
            self.pos += used;
            return Ok(anchor);
        }
        let Some(token) = self.peek() else {
            return Err(self.error_at_end("expected an anchor", ANCHOR_HINT));
        };
        let id = token.text.trim_end_matches([',', ';']);
        if !is_anchor_id(id) {
            return Err(self.error_here(format!("'{}' is not an anchor", token.text), ANCHOR_HINT));
        }
        self.pos += 1;
        Ok(Anchor::Named(id.to_string()))
    }

    fn fixed_date(&mut self) -> Result<Rule, RuleError> {
        match scan_date(self.rest()) {
            DateScan::Date { date, used } => {
                self.pos += used;
                Ok(Rule::NoLaterThan(date))
            }
            DateScan::Invalid { used, problem } => {
                let span = self.span_of(used);
                let written = &self.text[span.clone()];
                Err(RuleError::new(span, format!("{written} is not a date: {problem}"), "check the day and the month"))
            }
            DateScan::NotADate => match scan_day_month(self.rest()) {
                // "by 31 December each year"
                Some((month, day, used)) => {
                    self.pos += used;
                    if self.eat_words(&["each", "year"])
                        || self.eat_words(&["every", "year"])
                        || self.eat_words(&["of", "each", "year"])
                        || self.eat_words(&["of", "every", "year"])
                        || self.eat_words(&["annually"])
                    {
                        Ok(Rule::Annually { month, day, until: None })
                    } else {
                        Err(self.error_here(
                            "a day without a year needs 'each year'",
                            "write 'by 31 December each year' or add the year",
                        ))
                    }
                }
                None => Err(self.error_here("expected a date", DATE_HINT)),
            },
        }
    }

    /// After "annually": "on 1 December".
    fn annual_day(&mut self) -> Result<Rule, RuleError> {
        if !self.eat_words(&["on"]) {
            self.eat_words(&["by"]);
        }
        match scan_day_month(self.rest()) {
            Some((month, day, used)) => {
                self.pos += used;
                Ok(Rule::Annually { month, day, until: None })
            }
            None => Err(self.error_here("expected a day of the year", "write 'annually on 1 December'")),
        }
    }

    /// After "every" or "each": "180 days [after signing]", "year on 1 December", "two
    /// years".
    fn standalone_every(&mut self) -> Result<Rule, RuleError> {
        if self.eat_words(&["year", "on"]) || self.eat_words(&["year", "by"]) {
            self.pos -= 1;
            return self.annual_day();
        }
        let (amount, unit) = if self.at_amount() { self.period()? } else { (1, self.unit()?) };
        let anchor = match self.peek().map(|t| t.word.as_str()) {
            Some("of" | "after" | "from" | "following") => {
                self.pos += 1;
                self.anchor()?
            }
            _ => Anchor::Signing,
        };
        let until = self.until()?;
        Ok(Rule::Recurring {
            first: Box::new(Rule::Within { amount, unit, anchor }),
            every: Every { amount, unit, until },
        })
    }

    /// ", and every two years thereafter until 2036", ", and annually thereafter", or
    /// nothing; then the end of the rule.
    fn recurrence_tail(&mut self, rule: Rule) -> Result<Rule, RuleError> {
        if self.at_end() {
            return Ok(rule);
        }
        let start = self.pos;
        self.eat_words(&["and"]);
        let every = if let Some(adverb) = self.peek().and_then(|t| recurrence_adverb(&t.word)) {
            self.pos += 1;
            Some(adverb)
        } else if self.eat_words(&["every"]) || self.eat_words(&["each"]) {
            Some(if self.at_amount() { self.period()? } else { (1, self.unit()?) })
        } else {
            None
        };
        let Some((amount, unit)) = every else {
            self.pos = start;
            if let Rule::Annually { month, day, .. } = rule {
                let until = self.until()?;
                self.finish()?;
                return Ok(Rule::Annually { month, day, until });
            }
            self.finish()?;
            return Ok(rule);
        };
        self.eat_words(&["thereafter"]);
        let until = self.until()?;
        self.finish()?;
        match rule {
            Rule::Within { .. } | Rule::Before { .. } | Rule::NoLaterThan(_) => {
                Ok(Rule::Recurring { first: Box::new(rule), every: Every { amount, unit, until } })
            }
            _ => Err(RuleError::new(
                self.tokens[start].start..self.text.len(),
                "this rule already recurs",
                "state the recurrence once",
            )),
        }
    }

    /// "until 2036", "through December 31, 2036", or nothing.
    fn until(&mut self) -> Result<Option<NaiveDate>, RuleError> {
        if !(self.eat_words(&["until"]) || self.eat_words(&["through"])) {
            return Ok(None);
        }
        if let DateScan::Date { date, used } = scan_date(self.rest()) {
            self.pos += used;
            return Ok(Some(date));
        }
        match self.peek().and_then(|t| year_number(&t.word)) {
            Some(year) => {
                self.pos += 1;
                Ok(NaiveDate::from_ymd_opt(year, 12, 31))
            }
            None => Err(self.error_here(
                "expected a year or a date after 'until'",
                "write 'until 2036' or 'until December 31, 2036'",
            )),
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
                format!("a rule ends with its anchor, its date or its recurrence; {RULE_SHAPES}"),
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
                let calendar = HolidayCalendar::default();
                super::counting::nominal(*amount, *unit, Direction::After, *anchor, counting, &calendar)
                    .ok()
                    .map(|(due, _)| due)
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
    if !matches!(unit, Unit::Days | Unit::Months) {
        return None;
    }
    check_amount(amount, unit, span).ok()?;
    if parser.at_end() {
        return Some(DateValue::Span { amount, unit, after: None });
    }
    if parser.connector().ok()? {
        return None;
    }
    let DateScan::Date { date, used } = scan_date(parser.rest()) else {
        return None;
    };
    parser.pos += used;
    parser.finish().ok()?;
    Some(DateValue::Span { amount, unit, after: Some(date) })
}
