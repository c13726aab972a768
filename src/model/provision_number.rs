//! Provision numbers as instruments write them: `2`, `2(c)`, `2(c)(iii)`, or dotted `4.2`.
//!
//! A number is a path of components. Its parent drops the last component; numbers sort in
//! the instrument's own order: digits numerically, letters alphabetically, and lower-case
//! roman numerals by value when they sit below a letter (`2(c)(ii)` before `2(c)(iii)`,
//! but `2(i)` is the letter i).

use std::cmp::Ordering;
use std::fmt;

/// A parsed provision number.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ProvisionNumber {
    components: Vec<String>,
    dotted: bool,
}

impl ProvisionNumber {
    /// Parses a number; `Err` says what is wrong.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let text = text.strip_prefix("Sec.").or_else(|| text.strip_prefix("§")).unwrap_or(text).trim();
        if text.is_empty() {
            return Err("the provision number is empty".into());
        }
        let valid = |c: &str| !c.is_empty() && c.chars().all(|ch| ch.is_ascii_alphanumeric() || ch == '-');
        if let Some(open) = text.find('(') {
            let head = &text[..open];
            let mut components = vec![head.to_string()];
            let mut rest = &text[open..];
            while let Some(inner) = rest.strip_prefix('(') {
                let close = inner.find(')').ok_or("a `(` is never closed")?;
                components.push(inner[..close].to_string());
                rest = &inner[close + 1..];
            }
            if !rest.is_empty() || !components.iter().all(|c| valid(c)) {
                return Err(format!("`{text}` is not a provision number like `3(b)(ii)`"));
            }
            return Ok(ProvisionNumber { components, dotted: false });
        }
        let components: Vec<String> = text.split('.').map(str::to_string).collect();
        if !components.iter().all(|c| valid(c)) {
            return Err(format!("`{text}` is not a provision number like `3(b)(ii)` or `4.2`"));
        }
        Ok(ProvisionNumber { dotted: components.len() > 1, components })
    }

    /// The enclosing provision's number, if any.
    pub fn parent(&self) -> Option<ProvisionNumber> {
        (self.components.len() > 1).then(|| ProvisionNumber {
            components: self.components[..self.components.len() - 1].to_vec(),
            dotted: self.dotted,
        })
    }

    /// True when the number reads as a number (`2`, `3(b)`, `IV`), false for a word such as
    /// `general` used for an unnumbered part; words are not shown as "Sec. general".
    pub fn is_numbered(&self) -> bool {
        let first = &self.components[0];
        first.chars().next().is_some_and(|c| c.is_ascii_digit()) || first.len() <= 4
    }

    /// Nesting depth: `2` is 1, `2(c)(iii)` is 3.
    pub fn depth(&self) -> usize {
        self.components.len()
    }

    /// A URL-safe form: `3-b-ii`.
    pub fn slug(&self) -> String {
        self.components.join("-").to_lowercase()
    }

    fn sort_key(&self) -> Vec<(u8, u64, String)> {
        let mut previous_is_letter = false;
        self.components
            .iter()
            .map(|component| {
                let key = component_key(component, previous_is_letter);
                previous_is_letter = key.0 == 2 && component.chars().all(|c| c.is_ascii_alphabetic());
                key
            })
            .collect()
    }
}

fn component_key(component: &str, below_letter: bool) -> (u8, u64, String) {
    if let Ok(number) = component.parse::<u64>() {
        return (0, number, String::new());
    }
    if below_letter {
        if let Some(value) = roman_value(component) {
            return (1, value, String::new());
        }
    }
    (2, 0, component.to_lowercase())
}

/// The value of a lower-case roman numeral, `None` if it is not one.
fn roman_value(text: &str) -> Option<u64> {
    if text.is_empty() || !text.chars().all(|c| "ivxlc".contains(c)) {
        return None;
    }
    let value_of = |c: char| match c {
        'i' => 1,
        'v' => 5,
        'x' => 10,
        'l' => 50,
        _ => 100,
    };
    let values: Vec<u64> = text.chars().map(value_of).collect();
    let mut total = 0;
    for (i, &value) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|&next| next > value) {
            total -= value as i64;
        } else {
            total += value as i64;
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

impl fmt::Display for ProvisionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.dotted {
            return f.write_str(&self.components.join("."));
        }
        f.write_str(&self.components[0])?;
        for component in &self.components[1..] {
            write!(f, "({component})")?;
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

    #[test]
    fn parses_and_prints_both_styles() {
        assert_eq!(number("3(b)(ii)").to_string(), "3(b)(ii)");
        assert_eq!(number("Sec. 2(c)").to_string(), "2(c)");
        assert_eq!(number("4.2").to_string(), "4.2");
        assert_eq!(number("3(b)(ii)").parent(), Some(number("3(b)")));
        assert_eq!(number("3(b)(ii)").slug(), "3-b-ii");
        assert!(ProvisionNumber::parse("3(b").is_err());
        assert!(ProvisionNumber::parse("3 b").is_err());
    }

    #[test]
    fn sorts_in_the_instruments_order() {
        let mut numbers: Vec<_> =
            ["3", "2(c)(iii)", "10", "2(c)(ii)", "2(c)(iv)", "2", "2(c)", "2(a)", "general", "2(c)(i)", "3(b)(ix)"]
                .into_iter()
                .map(number)
                .collect();
        numbers.sort();
        let printed: Vec<_> = numbers.iter().map(ToString::to_string).collect();
        assert_eq!(
            printed,
            ["2", "2(a)", "2(c)", "2(c)(i)", "2(c)(ii)", "2(c)(iii)", "2(c)(iv)", "3", "3(b)(ix)", "10", "general"]
        );
    }

    #[test]
    fn words_are_not_numbers() {
        assert!(number("3(b)").is_numbered());
        assert!(number("IV").is_numbered());
        assert!(!number("general").is_numbered());
    }

    #[test]
    fn roman_numerals_only_below_letters() {
        assert!(number("2(i)") > number("2(h)"));
        assert!(number("2(c)(ix)") > number("2(c)(v)"));
    }
}
