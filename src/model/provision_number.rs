//! Provision numbers as instruments write them.
//!
//! Instruments number their parts in many styles: `2(c)(iii)` (most orders before 2017),
//! `10.1(b)` and `4.1(a)(i)(A)` (most orders since), dotted `4.2.1`, `Article 6(1)(a)`
//! and `Annex III` (EU regulations), `§ 1.1(a)(1)(i)` (the CFR), `Sec. 101(b)(2)(A)` and
//! `Title II, Subtitle B` (Acts of Congress), letter suffixes `31A` (inserted sections).
//!
//! A number is parsed into a path of components, so the hierarchy is explicit: the parent
//! of `10.1(b)` is `10.1`, whose parent is `10`; the parent of `Title II, Subtitle B` is
//! `Title II`. Three forms come out of one parsed number:
//!
//! - the canonical form ([`fmt::Display`]): `10.1(b)`, `6(1)(a)`, `Part III`, `31A`. Print
//!   labels (`Sec.`, `§`, `Article`, `Art.`) are not part of it, so `Sec. 10.1(b)`,
//!   `§ 10.1(b)` and `10.1(b)` are one provision; division words (`Part`, `Title`,
//!   `Annex`) are, because `Part III` and `Annex III` are different parts. The canonical
//!   form re-parses to the same number and is what ids (`eo-x:10.1(b)`) are made of;
//! - the cited form ([`ProvisionNumber::cited`]): the canonical form behind the label the
//!   instrument prints, `Article 6(1)(a)`, `§ 1.1(a)(1)(i)`, `Sec. 10.1(b)`;
//! - the slug ([`ProvisionNumber::slug`]) for URLs: `10-1-b`, `title-ii-subtitle-b`.
//!
//! Numbers sort in the instrument's order: digits numerically with letter suffixes after
//! their number (31, 31A, 31B, 32), letters alphabetically, lower-case roman numerals by
//! value below a letter (`2(c)(ii)` before `2(c)(ix)`, but `2(i)` is the letter i),
//! upper-case roman numerals by value after a division word (`Part IV` before `Part IX`).
//! Headings (`Title`, `Part`, `Chapter`) come before numbered sections, back matter
//! (`Annex`, `Schedule`, `Appendix`) after them, and unnumbered words (`general`) last.
//! [`natural_order`] exposes that order for any two numbers written as text.

use std::cmp::Ordering;
use std::fmt;

/// Labels an instrument prints before a number, which are not part of it.
const PRINT_LABELS: [&str; 10] = ["Section", "Sec.", "Sec", "§§", "§", "Article", "Art.", "Art", "Paragraph", "Para."];

/// Division words that open a heading, in the order they nest in U.S. and EU instruments.
const FRONT_DIVISIONS: [&str; 7] = ["Division", "Title", "Subtitle", "Part", "Subpart", "Chapter", "Subchapter"];

/// Division words of back matter.
const BACK_DIVISIONS: [&str; 4] = ["Annex", "Schedule", "Appendix", "Exhibit"];

/// How a component is attached to the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Join {
    /// The first component.
    First,
    /// `(b)` after `10.1`.
    Paren,
    /// `.1` after `10`.
    Dot,
    /// `, Subtitle B` after `Title II`.
    Comma,
}

/// One level of a number: `10`, `b`, `31A`, or a division with its word, `Part III`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Component {
    /// The division word (`Part`), capitalised; `None` for plain designators.
    word: Option<&'static str>,
    /// The designator as written (`b`, `iii`, `A`, `31A`); upper-cased after a word.
    designator: String,
    join: Join,
}

/// A parsed provision number.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProvisionNumber {
    components: Vec<Component>,
}

/// A print label found in front of a number, as [`ProvisionNumber::parse_labelled`] reports
/// it: `Sec.`, `§`, `Article`, `Art.`.
pub(super) type Label = &'static str;

impl ProvisionNumber {
    /// Parses a number written in any supported style, with or without a print label;
    /// `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        Self::parse_labelled(text).map(|(number, _)| number)
    }

    /// Parses a number and reports the print label written before it, if any, so an
    /// instrument's provisions can be cited the way the instrument prints them.
    pub fn parse_labelled(text: &str) -> Result<(Self, Option<Label>), String> {
        let trimmed = text.trim();
        let (label, body) = strip_label(trimmed);
        if body.is_empty() {
            return Err("the provision number is empty".into());
        }
        let mut components = Vec::new();
        for (n, segment) in body.split(',').enumerate() {
            let join = if n == 0 { Join::First } else { Join::Comma };
            parse_segment(segment.trim(), join, &mut components).map_err(|problem| {
                format!("`{trimmed}` is not a provision number: {problem} (write it as the instrument does, e.g. `10.1(b)`, `3(b)(ii)`, `Article 6(1)(a)` or `Part III`)")
            })?;
        }
        Ok((ProvisionNumber { components }, label))
    }

    /// The enclosing provision's number, if any.
    pub fn parent(&self) -> Option<ProvisionNumber> {
        (self.components.len() > 1)
            .then(|| ProvisionNumber { components: self.components[..self.components.len() - 1].to_vec() })
    }

    /// True when the number reads as a number (`2`, `3(b)`, `IV`, `Part III`), false for a
    /// word such as `general` used for an unnumbered part; words are not shown as
    /// "Sec. general".
    pub fn is_numbered(&self) -> bool {
        self.components.len() > 1 || component_class(&self.components[0], None) != Class::Word
    }

    /// Whether the number is a heading or back matter (`Part III`, `Annex II`), which is
    /// cited by its own word rather than behind a label such as "Sec.".
    pub fn is_division(&self) -> bool {
        self.components[0].word.is_some()
    }

    /// Nesting depth: `2` is 1, `2(c)(iii)` is 3, `10.1(b)` is 3.
    pub fn depth(&self) -> usize {
        self.components.len()
    }

    /// A URL-safe form: `3-b-ii`, `10-1-b`, `title-ii-subtitle-b`.
    pub fn slug(&self) -> String {
        let parts: Vec<String> = self
            .components
            .iter()
            .map(|c| match c.word {
                Some(word) => format!("{word}-{}", c.designator),
                None => c.designator.clone(),
            })
            .collect();
        parts.join("-").to_lowercase()
    }

    /// The number as the instrument cites it: behind `label` (`Sec.`, `§`, `Article`)
    /// unless it is a division or an unnumbered word, which carry their own name.
    pub fn cited(&self, label: &str) -> String {
        if self.is_division() || !self.is_numbered() || label.is_empty() {
            self.to_string()
        } else {
            format!("{label} {self}")
        }
    }

    fn sort_key(&self) -> Vec<(u8, u64, String)> {
        let mut previous: Option<&Component> = None;
        self.components
            .iter()
            .map(|component| {
                let key = component_key(component, previous);
                previous = Some(component);
                key
            })
            .collect()
    }
}

/// The numbering scheme an instrument declares (`numbering = "dotted"`), so a number
/// written in another style is caught, and the label it prints by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Numbering {
    /// `2`, `2(c)(iii)`, `31A`: numbered sections with parenthesised parts, no dots
    /// (executive orders before 2017, Acts of Congress). Label `Sec.`.
    Sections,
    /// `10.1(b)`, `4.1(a)(i)(A)`, `4.2.1`: dotted sections (executive orders since 2017).
    /// Label `Sec.`.
    Dotted,
    /// `Article 6(1)(a)`, `Art. 113`: articles with numbered paragraphs and lettered
    /// points, no dots (EU regulations). Label `Article`.
    Articles,
    /// `§ 1.1(a)(1)(i)`: part and section joined by a dot (the CFR). Label `§`.
    Cfr,
}

impl Numbering {
    /// Every scheme, for hints.
    pub const NAMES: &'static str =
        "`sections` (2(c)(iii)), `dotted` (10.1(b)), `article` (Article 6(1)(a)), `cfr` (§ 1.1(a))";

    /// The scheme named `name` (`article` or `articles`, `section` or `sections`, ...).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim().to_ascii_lowercase().as_str() {
            "section" | "sections" | "parenthesised" | "parenthesized" => Some(Numbering::Sections),
            "dotted" | "decimal" => Some(Numbering::Dotted),
            "article" | "articles" => Some(Numbering::Articles),
            "cfr" | "paragraph" | "§" => Some(Numbering::Cfr),
            _ => None,
        }
    }

    /// The scheme's name, as diagnostics say it.
    pub fn name(self) -> &'static str {
        match self {
            Numbering::Sections => "sections",
            Numbering::Dotted => "dotted",
            Numbering::Articles => "article",
            Numbering::Cfr => "cfr",
        }
    }

    /// The label its provisions are cited with unless the instrument declares another.
    pub fn default_label(self) -> &'static str {
        match self {
            Numbering::Sections | Numbering::Dotted => "Sec.",
            Numbering::Articles => "Article",
            Numbering::Cfr => "§",
        }
    }

    /// Two numbers in the scheme, for hints.
    pub fn examples(self) -> &'static str {
        match self {
            Numbering::Sections => "`2`, `2(c)(iii)`",
            Numbering::Dotted => "`10.1(b)`, `4.2.1`",
            Numbering::Articles => "`Article 6`, `Article 6(1)(a)`",
            Numbering::Cfr => "`§ 1.1`, `§ 200.331(a)(1)`",
        }
    }

    /// Whether `number`, written with print label `label`, is numbered in this scheme;
    /// `Err` says what does not fit. Divisions (`Part III`, `Annex I`) and unnumbered
    /// words fit every scheme: instruments of every style have them.
    pub fn check(self, number: &ProvisionNumber, label: Option<Label>) -> Result<(), String> {
        if number.is_division() || !number.is_numbered() {
            return Ok(());
        }
        let article_label = label.is_some_and(|l| l.to_ascii_lowercase().starts_with("art"));
        let section_label = label.is_some_and(|l| !l.to_ascii_lowercase().starts_with("art"));
        if self == Numbering::Articles && section_label || self != Numbering::Articles && article_label {
            return Err(format!("it is written with `{}`", label.unwrap_or_default()));
        }
        let components = &number.components;
        if !components[0].designator.starts_with(|c: char| c.is_ascii_digit()) {
            return Err(format!("`{}` does not start with a figure", components[0].designator));
        }
        let dots = components.iter().take_while(|c| c.join != Join::Paren).filter(|c| c.join == Join::Dot).count();
        match self {
            Numbering::Sections | Numbering::Articles if dots > 0 => Err("it has a dotted part".to_string()),
            Numbering::Cfr if dots != 1 => Err("it is not a part and a section joined by one dot".to_string()),
            _ => Ok(()),
        }
    }
}

/// Orders two provision numbers written as text the way the instrument does (`2`, `10`,
/// `31`, `31A`, `32`, `Annex I`); text that is not a number sorts after numbers, by
/// itself. Shared with importers that order files named after sections.
pub fn natural_order(a: &str, b: &str) -> Ordering {
    match (ProvisionNumber::parse(a), ProvisionNumber::parse(b)) {
        (Ok(a), Ok(b)) => a.cmp(&b).then_with(|| a.to_string().cmp(&b.to_string())),
        (Ok(_), Err(_)) => Ordering::Less,
        (Err(_), Ok(_)) => Ordering::Greater,
        (Err(_), Err(_)) => a.cmp(b),
    }
}

/// Splits a leading print label (`Sec.`, `§`, `Article`) off `text`; the label must be
/// followed by a space or a digit, so `Section-group` or `Articles` are not labels.
fn strip_label(text: &str) -> (Option<Label>, &str) {
    for label in PRINT_LABELS {
        let Some(head) = text.get(..label.len()) else { continue };
        if !head.eq_ignore_ascii_case(label) {
            continue;
        }
        let rest = &text[label.len()..];
        let boundary =
            label.ends_with(['.', '§']) || rest.starts_with(|c: char| c.is_whitespace() || c.is_ascii_digit());
        if boundary && !rest.trim().is_empty() {
            return (Some(label), rest.trim_start());
        }
    }
    (None, text)
}

/// Parses one comma-separated segment: `Subtitle B`, `10.1(b)`, `Annex III(2)`.
fn parse_segment(segment: &str, join: Join, components: &mut Vec<Component>) -> Result<(), String> {
    if segment.is_empty() {
        return Err("a part between commas is empty".into());
    }
    if let Some((word, rest)) = division_word(segment) {
        let (designator, parens) = split_parens(rest.trim_start());
        check_designator(designator)?;
        components.push(Component { word: Some(word), designator: designator.to_uppercase(), join });
        return push_parens(parens, components);
    }
    if join == Join::Comma {
        return Err(format!("`{segment}` after a comma does not start with a division word such as Subtitle or Part"));
    }
    let (head, parens) = split_parens(segment);
    for (n, part) in head.split('.').enumerate() {
        check_designator(part)?;
        let join = if n == 0 { join } else { Join::Dot };
        components.push(Component { word: None, designator: part.to_string(), join });
    }
    push_parens(parens, components)
}

/// The division word opening `segment` (`part iii` → `Part`) and the text after it.
fn division_word(segment: &str) -> Option<(&'static str, &str)> {
    let (first, rest) = segment.split_once(char::is_whitespace)?;
    FRONT_DIVISIONS
        .iter()
        .chain(BACK_DIVISIONS.iter())
        .find(|word| word.eq_ignore_ascii_case(first))
        .map(|word| (*word, rest))
}

/// `10.1(b)(ii)` → (`10.1`, `(b)(ii)`).
fn split_parens(text: &str) -> (&str, &str) {
    match text.find('(') {
        Some(open) => (text[..open].trim_end(), &text[open..]),
        None => (text, ""),
    }
}

fn push_parens(mut rest: &str, components: &mut Vec<Component>) -> Result<(), String> {
    while let Some(inner) = rest.strip_prefix('(') {
        let close = inner.find(')').ok_or("a `(` is never closed")?;
        let designator = inner[..close].trim();
        check_designator(designator)?;
        components.push(Component { word: None, designator: designator.to_string(), join: Join::Paren });
        rest = inner[close + 1..].trim_start();
    }
    if rest.is_empty() { Ok(()) } else { Err(format!("unexpected `{rest}`")) }
}

fn check_designator(text: &str) -> Result<(), String> {
    if text.is_empty() {
        return Err("a level of the number is empty".into());
    }
    if text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        Ok(())
    } else {
        Err(format!("`{text}` is not a section designator (letters, digits and `-`)"))
    }
}

/// What a component is, for ordering: headings first, then numbered provisions, then back
/// matter, then words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Front,
    Number,
    Roman,
    Letter,
    Back,
    Word,
}

fn component_class(component: &Component, previous: Option<&Component>) -> Class {
    let text = &component.designator;
    if let Some(word) = component.word {
        return if BACK_DIVISIONS.contains(&word) { Class::Back } else { Class::Front };
    }
    if text.starts_with(|c: char| c.is_ascii_digit()) {
        return Class::Number;
    }
    let below_letter =
        previous.is_some_and(|p| p.word.is_none() && p.designator.chars().all(|c| c.is_ascii_alphabetic()));
    let lower_roman = roman_value(text).is_some() && text.chars().all(|c| c.is_ascii_lowercase());
    let upper_roman = roman_value(&text.to_lowercase()).is_some() && text.chars().all(|c| c.is_ascii_uppercase());
    if (below_letter && lower_roman) || (previous.is_none() && upper_roman) {
        return Class::Roman;
    }
    if text.chars().all(|c| c.is_ascii_alphabetic()) && (text.len() <= 4 || previous.is_some()) {
        return Class::Letter;
    }
    if previous.is_none() && text.chars().all(|c| c.is_ascii_alphabetic()) {
        return Class::Word;
    }
    Class::Letter
}

fn component_key(component: &Component, previous: Option<&Component>) -> (u8, u64, String) {
    let class = component_class(component, previous);
    let text = &component.designator;
    match class {
        Class::Front | Class::Back => {
            let words = FRONT_DIVISIONS.iter().chain(BACK_DIVISIONS.iter());
            let rank = words.clone().position(|w| Some(*w) == component.word).unwrap_or(0);
            let (value, rest) = designator_value(text);
            (class as u8 * 16 + rank as u8, value, rest)
        }
        Class::Number => {
            let digits = text.chars().take_while(char::is_ascii_digit).count();
            let value = text[..digits].parse().unwrap_or(u64::MAX);
            (class as u8 * 16, value, text[digits..].to_lowercase())
        }
        Class::Roman => (class as u8 * 16, roman_value(&text.to_lowercase()).unwrap_or(0), String::new()),
        Class::Letter | Class::Word => (class as u8 * 16, 0, text.to_lowercase()),
    }
}

/// The value of a division's designator: a figure, a roman numeral, or a letter (`B` is 2).
fn designator_value(text: &str) -> (u64, String) {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        return (text[..digits].parse().unwrap_or(u64::MAX), text[digits..].to_lowercase());
    }
    let lower = text.to_lowercase();
    if let Some(value) = roman_value(&lower).filter(|_| text.len() > 1 || "ivx".contains(&lower)) {
        return (value, String::new());
    }
    (0, lower)
}

/// The value of a lower-case roman numeral, `None` if it is not one.
fn roman_value(text: &str) -> Option<u64> {
    if text.is_empty() || !text.chars().all(|c| "ivxlcdm".contains(c)) {
        return None;
    }
    let value_of = |c: char| match c {
        'i' => 1,
        'v' => 5,
        'x' => 10,
        'l' => 50,
        'c' => 100,
        'd' => 500,
        _ => 1000,
    };
    let values: Vec<i64> = text.chars().map(value_of).collect();
    let mut total = 0;
    for (i, &value) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|&next| next > value) {
            total -= value;
        } else {
            total += value;
        }
    }
    u64::try_from(total).ok()
}

impl Ord for ProvisionNumber {
    fn cmp(&self, other: &Self) -> Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for ProvisionNumber {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// The canonical form, which [`ProvisionNumber::parse`] reads back to the same number.
impl fmt::Display for ProvisionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for component in &self.components {
            match component.join {
                Join::First => {}
                Join::Paren => f.write_str("(")?,
                Join::Dot => f.write_str(".")?,
                Join::Comma => f.write_str(", ")?,
            }
            if let Some(word) = component.word {
                write!(f, "{word} ")?;
            }
            f.write_str(&component.designator)?;
            if component.join == Join::Paren {
                f.write_str(")")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(text: &str) -> ProvisionNumber {
        ProvisionNumber::parse(text).expect("valid number")
    }

    fn sorted(texts: &[&str]) -> Vec<String> {
        let mut numbers: Vec<_> = texts.iter().copied().map(number).collect();
        numbers.sort();
        numbers.iter().map(ToString::to_string).collect()
    }

    /// Every style: (as written, canonical, cited with the label it was written with,
    /// slug, depth, parent).
    #[test]
    fn every_style_parses_prints_and_round_trips() {
        let cases = [
            ("10.1(b)", "10.1(b)", "Sec. 10.1(b)", "10-1-b", 3, Some("10.1")),
            ("4.1(a)(i)(A)", "4.1(a)(i)(A)", "Sec. 4.1(a)(i)(A)", "4-1-a-i-a", 5, Some("4.1(a)(i)")),
            ("2", "2", "Sec. 2", "2", 1, None),
            ("2(c)(iii)", "2(c)(iii)", "Sec. 2(c)(iii)", "2-c-iii", 3, Some("2(c)")),
            ("4.2.1", "4.2.1", "Sec. 4.2.1", "4-2-1", 3, Some("4.2")),
            ("Article 6(1)(a)", "6(1)(a)", "Article 6(1)(a)", "6-1-a", 3, Some("6(1)")),
            ("Art. 113", "113", "Art. 113", "113", 1, None),
            ("§ 1.1(a)(1)(i)", "1.1(a)(1)(i)", "§ 1.1(a)(1)(i)", "1-1-a-1-i", 5, Some("1.1(a)(1)")),
            ("Sec. 101(b)(2)(A)", "101(b)(2)(A)", "Sec. 101(b)(2)(A)", "101-b-2-a", 4, Some("101(b)(2)")),
            ("31A", "31A", "Sec. 31A", "31a", 1, None),
            ("Part III", "Part III", "Part III", "part-iii", 1, None),
            (
                "Title II, Subtitle B",
                "Title II, Subtitle B",
                "Title II, Subtitle B",
                "title-ii-subtitle-b",
                2,
                Some("Title II"),
            ),
            ("Annex III", "Annex III", "Annex III", "annex-iii", 1, None),
        ];
        for (written, canonical, cited, slug, depth, parent) in cases {
            let (parsed, label) = ProvisionNumber::parse_labelled(written).expect(written);
            assert_eq!(parsed.to_string(), canonical, "{written}");
            assert_eq!(parsed.cited(label.unwrap_or("Sec.")), cited, "{written}");
            assert_eq!(parsed.slug(), slug, "{written}");
            assert_eq!(parsed.depth(), depth, "{written}");
            assert_eq!(parsed.parent().map(|p| p.to_string()).as_deref(), parent, "{written}");
            assert_eq!(number(canonical), parsed, "canonical form of {written} re-parses");
            assert_eq!(number(&parsed.cited("§")), parsed, "cited form of {written} re-parses");
        }
    }

    #[test]
    fn any_spelling_of_one_number_is_the_same_number() {
        for spelling in
            ["10.1(b)", "Sec. 10.1(b)", "sec. 10.1(b)", "§ 10.1(b)", "§10.1(b)", "Section 10.1(b)", " 10.1 (b) "]
        {
            assert_eq!(number(spelling), number("10.1(b)"), "{spelling}");
        }
        assert_eq!(number("part iii"), number("Part III"));
        assert_eq!(number("Art. 6(1)(a)"), number("Article 6(1)(a)"));
    }

    #[test]
    fn bad_numbers_say_what_is_wrong() {
        for bad in ["3(b", "3 b", "", "Sec.", "10.(b)", "3(b)x", "2, 3", "Part III("] {
            let error = ProvisionNumber::parse(bad).expect_err(bad);
            assert!(error.contains("provision number"), "{bad}: {error}");
        }
        let error = ProvisionNumber::parse("3(b").expect_err("unclosed");
        assert!(error.contains("never closed") && error.contains("10.1(b)"), "{error}");
    }

    #[test]
    fn sorts_in_the_instruments_order() {
        assert_eq!(
            sorted(&[
                "3",
                "2(c)(iii)",
                "10",
                "2(c)(ii)",
                "2(c)(iv)",
                "2",
                "2(c)",
                "2(a)",
                "general",
                "2(c)(i)",
                "3(b)(ix)"
            ]),
            ["2", "2(a)", "2(c)", "2(c)(i)", "2(c)(ii)", "2(c)(iii)", "2(c)(iv)", "3", "3(b)(ix)", "10", "general"]
        );
    }

    #[test]
    fn dotted_orders_sort_by_section_then_subsection() {
        assert_eq!(
            sorted(&[
                "10.1(b)",
                "2.1",
                "10",
                "10.1(a)",
                "10.2",
                "10.10",
                "4.1(a)(i)(B)",
                "4.1(a)(i)(A)",
                "4.1(a)(ii)",
                "4.1(a)(x)"
            ]),
            [
                "2.1",
                "4.1(a)(i)(A)",
                "4.1(a)(i)(B)",
                "4.1(a)(ii)",
                "4.1(a)(x)",
                "10",
                "10.1(a)",
                "10.1(b)",
                "10.2",
                "10.10"
            ]
        );
    }

    #[test]
    fn letter_suffixes_follow_their_number() {
        assert_eq!(sorted(&["32", "31B", "31", "31A", "2A", "2", "3"]), ["2", "2A", "3", "31", "31A", "31B", "32"]);
        assert_eq!(natural_order("31A", "32"), Ordering::Less);
        assert_eq!(natural_order("31A", "31"), Ordering::Greater);
        assert_eq!(natural_order("9", "10"), Ordering::Less);
        assert_eq!(natural_order("Annex I", "Article 99"), Ordering::Greater);
        assert_eq!(natural_order("not a number!", "1"), Ordering::Greater);
    }

    #[test]
    fn divisions_order_by_value_around_the_sections() {
        assert_eq!(
            sorted(&[
                "Annex II",
                "Article 2",
                "Annex I",
                "Article 10",
                "Part IX",
                "Part IV",
                "Title II, Subtitle B",
                "Title II",
                "Title I"
            ]),
            ["Title I", "Title II", "Title II, Subtitle B", "Part IV", "Part IX", "2", "10", "Annex I", "Annex II"]
        );
    }

    #[test]
    fn words_are_not_numbers() {
        assert!(number("3(b)").is_numbered());
        assert!(number("IV").is_numbered());
        assert!(number("Part III").is_numbered());
        assert!(!number("general").is_numbered());
        assert_eq!(number("general").cited("Sec."), "general");
    }

    #[test]
    fn a_declared_scheme_accepts_its_own_numbers_only() {
        let fits = |scheme: Numbering, text: &str| {
            let (number, label) = ProvisionNumber::parse_labelled(text).expect(text);
            scheme.check(&number, label)
        };
        for (scheme, good) in [
            (Numbering::Sections, &["2", "2(c)(iii)", "Sec. 31A", "Title II, Subtitle B", "general"][..]),
            (Numbering::Dotted, &["10.1(b)", "4.1(a)(i)(A)", "4.2.1", "§ 10", "Annex III"][..]),
            (Numbering::Articles, &["Article 6(1)(a)", "Art. 113", "6", "Annex III"][..]),
            (Numbering::Cfr, &["§ 1.1(a)(1)(i)", "200.331", "Part 200"][..]),
        ] {
            for text in good {
                assert_eq!(fits(scheme, text), Ok(()), "{text} is {}", scheme.name());
            }
        }
        let problem = |scheme, text| fits(scheme, text).expect_err(text);
        assert_eq!(problem(Numbering::Articles, "10.1(b)"), "it has a dotted part");
        assert_eq!(problem(Numbering::Sections, "4.2.1"), "it has a dotted part");
        assert_eq!(problem(Numbering::Articles, "Sec. 5"), "it is written with `Sec.`");
        assert_eq!(problem(Numbering::Dotted, "Article 5"), "it is written with `Article`");
        assert_eq!(problem(Numbering::Cfr, "1(a)"), "it is not a part and a section joined by one dot");
        assert_eq!(problem(Numbering::Dotted, "b(1)"), "`b` does not start with a figure");
    }

    #[test]
    fn schemes_are_named_as_authors_write_them() {
        assert_eq!(Numbering::parse("Article"), Some(Numbering::Articles));
        assert_eq!(Numbering::parse("articles"), Some(Numbering::Articles));
        assert_eq!(Numbering::parse("dotted"), Some(Numbering::Dotted));
        assert_eq!(Numbering::parse("section"), Some(Numbering::Sections));
        assert_eq!(Numbering::parse("CFR"), Some(Numbering::Cfr));
        assert_eq!(Numbering::parse("roman"), None);
        assert_eq!(Numbering::Articles.default_label(), "Article");
        assert_eq!(Numbering::Cfr.default_label(), "§");
    }

    #[test]
    fn roman_numerals_only_below_letters() {
        assert!(number("2(i)") > number("2(h)"));
        assert!(number("2(c)(ix)") > number("2(c)(v)"));
        assert!(number("IX") > number("V"));
    }
}
