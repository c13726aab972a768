//! Tests of the rule engine: parsing, counting, calendars, recurrence and explanations.

use chrono::{Datelike, NaiveDate};

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
    let computed = compute(1, Unit::Months, d("2026-01-31"), "signing", Counting::ExcludeAnchor, NonBusinessDay::Keep)
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
    assert_eq!(rolled.non_business.as_deref(), Some("rolled from Saturday 2026-08-01"));
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
    assert_eq!(july.non_business.as_deref(), Some("rolled from Independence Day (observed) 2026-07-03"));
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
    let text = "within 30 fortnights of signing";
    let err = error(text);
    assert_eq!((err.offset, err.len), (10, 10));
    assert_eq!(pointed(text, &err), "fortnights");
    assert!(err.hint.contains("business days, weeks, months or years"), "{}", err.hint);

    let spaced = "  within  30  lunar months of signing";
    assert_eq!(pointed(spaced, &error(spaced)), "lunar");
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
        ("30 days beyond signing", "beyond"),
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
    let err = error("within 30 fortnights of signing");
    assert_eq!(err.to_string(), "expected a unit, found 'fortnights'; use days, business days, weeks, months or years");
}

// --- explaining differences -------------------------------------------

fn explain(claimed: &str, amount: u32, unit: Unit, policy: NonBusinessDay) -> Option<String> {
    let calendar = federal();
    let used = Conventions { counting: Counting::ExcludeAnchor, policy, calendar: &calendar };
    explain_difference(d(claimed), amount, unit, d("2026-06-02"), "signing", &used)
}

#[test]
fn explains_a_counting_difference() {
    assert_eq!(
        explain("2026-07-31", 60, Unit::Days, NonBusinessDay::Flag).as_deref(),
        Some("matches if the signing day is counted as day 1")
    );
    let calendar = federal();
    let include = Conventions { counting: Counting::IncludeAnchor, policy: NonBusinessDay::Flag, calendar: &calendar };
    let reverse = explain_difference(d("2026-08-01"), 60, Unit::Days, d("2026-06-02"), "signing", &include);
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
    let calendar = federal();
    let flag = conventions(NonBusinessDay::Flag, &calendar);
    let explained = explain_difference(d("2026-07-31"), 60, Unit::Days, d("2026-06-02"), "the effective date", &flag);
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

// --- rules in the instrument's own words ---------------------------------

fn federal() -> HolidayCalendar {
    HolidayCalendar::default()
}

fn conventions(policy: NonBusinessDay, calendar: &HolidayCalendar) -> Conventions<'_> {
    Conventions { counting: EXCLUDE, policy, calendar }
}

#[test]
fn instruments_name_their_own_dates() {
    let cases = [
        ("within 150 days of the date of this order", days(150, Anchor::Signing)),
        ("within 180 days of the date of this memorandum", days(180, Anchor::Signing)),
        ("within 90 days of the date of this rule", days(90, Anchor::Signing)),
        ("within 1 year of the date of enactment of this Act", within(1, Unit::Years, Anchor::Signing)),
        ("Within 30 days of the date of this directive.", days(30, Anchor::Signing)),
        ("within 60 days of issuance", days(60, Anchor::Signing)),
        ("within 60 days of the date of issuance", days(60, Anchor::Signing)),
        ("within 1 year of enactment", within(1, Unit::Years, Anchor::Signing)),
        ("within 30 days of publication in the Federal Register", days(30, named("publication"))),
        ("within 30 days of the date of publication in the Federal Register", days(30, named("publication"))),
        ("within 10 business days of signing", within(10, Unit::BusinessDays, Anchor::Signing)),
        ("within ten working days of signing", within(10, Unit::BusinessDays, Anchor::Signing)),
        ("within 2 weeks of dl-x", within(2, Unit::Weeks, named("dl-x"))),
        ("within a year of the effective date of this rule", within(1, Unit::Years, Anchor::Effective)),
    ];
    for (text, rule) in cases {
        assert_eq!(parse_rule(text), Ok(rule), "{text}");
    }
}

#[test]
fn periods_before_an_anchor() {
    let before = |amount, anchor| Rule::Before { amount, unit: Unit::Days, anchor };
    assert_eq!(parse_rule("30 days before dl-x"), Ok(before(30, named("dl-x"))));
    assert_eq!(parse_rule("no later than 30 days before the effective date"), Ok(before(30, Anchor::Effective)));
    assert_eq!(parse_rule("not later than 15 days prior to dl-x"), Ok(before(15, named("dl-x"))));
    let calendar = federal();
    let keep = conventions(NonBusinessDay::Keep, &calendar);
    // 30 days before 2025-03-01 crosses February of a common year.
    let computed = compute_with(30, Unit::Days, Direction::Before, d("2025-03-01"), "the effective date", &keep)
        .expect("in range");
    assert_eq!(computed.due, d("2025-01-30"));
    assert_eq!(computed.derivation, "30 days before the effective date, 2025-03-01, effective date not counted");
    // A Saturday rolls back to the Friday, so the duty is still done before the anchor.
    let roll = conventions(NonBusinessDay::Roll, &calendar);
    let rolled = compute_with(30, Unit::Days, Direction::Before, d("2026-08-31"), "dl-x", &roll).expect("in range");
    assert_eq!((rolled.nominal, rolled.due), (d("2026-08-01"), d("2026-07-31")));
    assert!(rolled.derivation.ends_with("rolled back to Friday 2026-07-31"), "{}", rolled.derivation);
}

#[test]
fn weeks_and_years_across_leap_days_and_month_ends() {
    let calendar = federal();
    let keep = conventions(NonBusinessDay::Keep, &calendar);
    let at = |amount, unit, anchor: &str| {
        compute_with(amount, unit, Direction::After, d(anchor), "signing", &keep).expect("in range")
    };
    assert_eq!(at(2, Unit::Weeks, "2026-12-25").due, d("2027-01-08"));
    assert_eq!(at(1, Unit::Years, "2024-02-29").due, d("2025-02-28"));
    assert!(at(1, Unit::Years, "2024-02-29").derivation.contains("clamped"));
    assert_eq!(at(4, Unit::Years, "2024-02-29").due, d("2028-02-29"));
    assert_eq!(at(1, Unit::Years, "2026-06-02").due, d("2027-06-02"));
}

#[test]
fn business_days_skip_weekends_and_holidays() {
    let calendar = federal();
    let keep = conventions(NonBusinessDay::Keep, &calendar);
    // Signed Thursday 2026-07-02: Friday July 3 is Independence Day observed, so the
    // 10th business day is Friday July 17.
    let computed =
        compute_with(10, Unit::BusinessDays, Direction::After, d("2026-07-02"), "signing", &keep).expect("in range");
    assert_eq!(computed.due, d("2026-07-17"));
    assert_eq!(computed.derivation, "10 business days after signing, 2026-07-02, signing day not counted");
    // Across the year end: Christmas (Friday) and New Year's Day (Friday).
    let year_end =
        compute_with(7, Unit::BusinessDays, Direction::After, d("2026-12-23"), "signing", &keep).expect("in range");
    assert_eq!(year_end.due, d("2027-01-05"));
    // Another calendar: no federal holidays, but listed closed dates.
    let closed = HolidayCalendar { holidays: Holidays::None, closed: [d("2026-07-06")].into_iter().collect() };
    let other = conventions(NonBusinessDay::Keep, &closed);
    let computed =
        compute_with(2, Unit::BusinessDays, Direction::After, d("2026-07-02"), "signing", &other).expect("in range");
    assert_eq!(computed.due, d("2026-07-07"), "July 3 is open, July 6 is closed");
}

#[test]
fn fixed_dates_honour_the_policy_and_badges_name_the_right_day() {
    let calendar = federal();
    let sunday = d("2024-12-01");
    let flagged = fixed_date(sunday, &conventions(NonBusinessDay::Flag, &calendar)).expect("in range");
    assert_eq!((flagged.due, flagged.non_business.as_deref()), (sunday, Some("Sunday")));
    let rolled = fixed_date(sunday, &conventions(NonBusinessDay::Roll, &calendar)).expect("in range");
    assert_eq!(rolled.due, d("2024-12-02"));
    assert_eq!(rolled.non_business.as_deref(), Some("rolled from Sunday 2024-12-01"));
    assert_eq!(rolled.derivation, "no later than 2024-12-01; 2024-12-01 is a Sunday, rolled to Monday 2024-12-02");
    // A holiday on both sides: Saturday 2026-07-04 is observed Friday July 3, so a
    // Thursday-signed duty due on the Friday rolls past the weekend to Monday July 6.
    let friday = fixed_date(d("2026-07-03"), &conventions(NonBusinessDay::Roll, &calendar)).expect("in range");
    assert_eq!(friday.due, d("2026-07-06"));
    assert_eq!(friday.non_business.as_deref(), Some("rolled from Independence Day (observed) 2026-07-03"));
    let kept = fixed_date(sunday, &conventions(NonBusinessDay::Keep, &calendar)).expect("in range");
    assert_eq!(kept.non_business, None);
}

#[test]
fn recurring_duties_parse() {
    let every = |amount, unit, until: Option<&str>| Every { amount, unit, until: until.map(d) };
    let cases = [
        (
            "within 180 days of the date of this memorandum, and every two years thereafter until 2036",
            Rule::Recurring {
                first: Box::new(days(180, Anchor::Signing)),
                every: every(2, Unit::Years, Some("2036-12-31")),
            },
        ),
        (
            "no later than December 16, 2024, and annually thereafter",
            Rule::Recurring { first: Box::new(Rule::NoLaterThan(d("2024-12-16"))), every: every(1, Unit::Years, None) },
        ),
        ("annually on 1 December", Rule::Annually { month: 12, day: 1, until: None }),
        ("annually on December 1 until 2030", Rule::Annually { month: 12, day: 1, until: Some(d("2030-12-31")) }),
        ("by 31 December each year", Rule::Annually { month: 12, day: 31, until: None }),
        ("by December 31 of each year", Rule::Annually { month: 12, day: 31, until: None }),
        (
            "every 180 days",
            Rule::Recurring { first: Box::new(days(180, Anchor::Signing)), every: every(180, Unit::Days, None) },
        ),
        (
            "within 30 days of signing and quarterly thereafter until December 31, 2027",
            Rule::Recurring {
                first: Box::new(days(30, Anchor::Signing)),
                every: every(3, Unit::Months, Some("2027-12-31")),
            },
        ),
    ];
    for (text, rule) in cases {
        assert_eq!(parse_rule(text).as_ref(), Ok(&rule), "{text}");
        assert_eq!(parse_rule(&rule.to_string()), Ok(rule.clone()), "canonical form of {text}: {rule}");
    }
}

#[test]
fn a_series_runs_across_year_ends_until_its_last_year() {
    let calendar = federal();
    let keep = conventions(NonBusinessDay::Keep, &calendar);
    let first = compute_with(180, Unit::Days, Direction::After, d("2025-01-16"), "signing", &keep).expect("in range");
    assert_eq!(first.due, d("2025-07-15"));
    let every = Every { amount: 2, unit: Unit::Years, until: Some(d("2036-12-31")) };
    let dates: Vec<_> = series(&first, every, Direction::After, &keep, d("2099-01-01"))
        .expect("in range")
        .iter()
        .map(|o| o.due)
        .collect();
    assert_eq!(
        dates,
        ["2025-07-15", "2027-07-15", "2029-07-15", "2031-07-15", "2033-07-15", "2035-07-15"].map(d).to_vec()
    );
    // Month ends do not drift: Jan 31 monthly is Feb 28, Mar 31, Apr 30.
    let jan = fixed_date(d("2026-01-31"), &keep).expect("in range");
    let monthly = Every { amount: 1, unit: Unit::Months, until: Some(d("2026-04-30")) };
    let dates: Vec<_> = series(&jan, monthly, Direction::After, &keep, d("2099-01-01"))
        .expect("in range")
        .iter()
        .map(|o| o.due)
        .collect();
    assert_eq!(dates, ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"].map(d).to_vec());
    // Without `until`, the series stops at the horizon; each occurrence is rolled alone.
    let roll = conventions(NonBusinessDay::Roll, &calendar);
    let dec = fixed_date(d("2024-12-01"), &roll).expect("in range");
    let yearly = Every { amount: 1, unit: Unit::Years, until: None };
    let dates: Vec<_> = series(&dec, yearly, Direction::After, &roll, d("2027-06-01"))
        .expect("in range")
        .iter()
        .map(|o| o.due)
        .collect();
    assert_eq!(dates, ["2024-12-02", "2025-12-01", "2026-12-01"].map(d).to_vec());
}

#[test]
fn annual_days_start_on_or_after_signing() {
    assert_eq!(first_day_of_year_on_or_after(12, 1, d("2024-06-02")), Some(d("2024-12-01")));
    assert_eq!(first_day_of_year_on_or_after(12, 1, d("2024-12-01")), Some(d("2024-12-01")));
    assert_eq!(first_day_of_year_on_or_after(1, 15, d("2024-06-02")), Some(d("2025-01-15")));
    assert_eq!(first_day_of_year_on_or_after(2, 29, d("2025-01-01")), Some(d("2025-02-28")));
}

#[test]
fn unreadable_rules_list_the_shapes_docket_reads() {
    let text = "every other Tuesday";
    let err = error(text);
    assert_eq!(pointed(text, &err), "other");
    let text = "quarterly-ish";
    let err = error(text);
    assert_eq!(pointed(text, &err), "quarterly-ish");
    assert!(err.hint.contains("and every two years thereafter until 2036"), "{}", err.hint);
    assert!(err.hint.contains("business days"), "{}", err.hint);
    let text = "within 180 days of signing, and every two years thereafter until soon";
    assert_eq!(pointed(text, &error(text)), "soon");
    let text = "within 30 days of signing, and then some";
    assert_eq!(pointed(text, &error(text)), "and then some");
}

#[test]
fn the_readme_examples_parse() {
    for text in [
        "every 90 days after dl-x",
        "within 30 days of signing, and every 6 months thereafter",
        "within 30 days of signing, and semiannually thereafter",
        "within 60 days of the date of this proclamation",
        "within 90 days of the effective date of this rule",
        "within 1 year of the date of enactment of this Act",
        "not later than 15 days prior to the effective date",
        "by December 31 of each year",
        "Within thirty (30) days of the date of this order, and annually thereafter.",
    ] {
        let rule = parse_rule(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(parse_rule(&rule.to_string()), Ok(rule.clone()), "{text} → {rule}");
    }
}

#[test]
fn a_before_rule_rolls_back_over_holidays_and_the_year_end() {
    let calendar = federal();
    let roll = conventions(NonBusinessDay::Roll, &calendar);
    // 30 days before Monday 2027-01-25 is Saturday 2026-12-26; the Friday before it is
    // Christmas Day, so the duty rolls back to Thursday 2026-12-24.
    let rolled = compute_with(30, Unit::Days, Direction::Before, d("2027-01-25"), "dl-x", &roll).expect("in range");
    assert_eq!((rolled.nominal, rolled.due), (d("2026-12-26"), d("2026-12-24")));
    assert!(
        rolled.derivation.ends_with("rolled back past Christmas Day (Friday 2026-12-25) to Thursday 2026-12-24"),
        "{}",
        rolled.derivation
    );
    // 3 days before Monday 2027-01-04 is New Year's Day, a Friday: rolling forward would
    // land on the anchor itself, so it rolls back across the year end to Thursday
    // 2026-12-31.
    let new_year = compute_with(3, Unit::Days, Direction::Before, d("2027-01-04"), "dl-x", &roll).expect("in range");
    assert_eq!((new_year.nominal, new_year.due), (d("2027-01-01"), d("2026-12-31")));
    assert_eq!(new_year.non_business.as_deref(), Some("rolled from New Year's Day 2027-01-01"));
    // Counting the anchor as day 1 moves a "before" date a day later: 2 business days
    // before Monday 2027-01-04, the Monday counted, is Thursday 2026-12-31 (January 1
    // is closed).
    let include = Conventions { counting: INCLUDE, ..roll };
    let business =
        compute_with(2, Unit::BusinessDays, Direction::Before, d("2027-01-04"), "dl-x", &include).expect("in range");
    assert_eq!(business.due, d("2026-12-31"));
}

#[test]
fn every_occurrence_of_a_before_series_rolls_back() {
    let rule = parse_rule("30 days before dl-x, and annually thereafter").expect("a recurring before rule");
    assert_eq!(rule.direction(), Direction::Before);
    assert_eq!(days(30, named("dl-x")).direction(), Direction::After);
    let calendar = federal();
    let roll = conventions(NonBusinessDay::Roll, &calendar);
    let first = compute_with(30, Unit::Days, Direction::Before, d("2027-01-25"), "dl-x", &roll).expect("in range");
    let yearly = Every { amount: 1, unit: Unit::Years, until: None };
    let occurrences = series(&first, yearly, rule.direction(), &roll, d("2029-01-01")).expect("in range");
    let dates: Vec<_> = occurrences.iter().map(|o| (o.nominal, o.due)).collect();
    // Sunday 2027-12-26: Saturday is Christmas, observed Friday the 24th, so Thursday the
    // 23rd; Tuesday 2028-12-26 is a business day (Christmas is the Monday).
    assert_eq!(
        dates,
        [("2026-12-26", "2026-12-24"), ("2027-12-26", "2027-12-23"), ("2028-12-26", "2028-12-26")]
            .map(|(nominal, due)| (d(nominal), d(due)))
            .to_vec()
    );
    assert!(occurrences.iter().all(|o| o.due <= o.nominal), "no occurrence rolls forward");
}

#[test]
fn explanations_count_with_the_calendar_the_date_was_computed_with() {
    // 30 days after 2026-08-08 is Monday 2026-09-07, Labor Day. A claim of Tuesday the
    // 8th is a roll past Labor Day under U.S. federal holidays; with no public holidays
    // the 7th is a business day, and the 8th is instead 30 days read as a month.
    let federal = federal();
    let weekends = HolidayCalendar { holidays: Holidays::None, closed: Default::default() };
    let explain_with = |calendar| {
        let used = conventions(NonBusinessDay::Flag, calendar);
        explain_difference(d("2026-09-08"), 30, Unit::Days, d("2026-08-08"), "signing", &used)
    };
    assert_eq!(explain_with(&federal).as_deref(), Some("matches if the date is rolled to the next business day"));
    assert_eq!(explain_with(&weekends).as_deref(), Some("matches if 30 days is read as 1 month"));
}
