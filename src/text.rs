//! Small text primitives shared by every stage: slugs for URLs and anchors, "did you mean"
//! suggestions, dates as front matter writes them, and finding a key in front-matter text
//! so a diagnostic can point at it.

use std::fmt;
use std::ops::Range;

use chrono::NaiveDate;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// Turns a heading or a name into a URL- and anchor-safe slug: lower-case ASCII letters,
/// digits and single hyphens. Letters outside ASCII are kept when alphanumeric, so a
/// heading in another script still gets a readable anchor.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for ch in text.chars() {
        if ch.is_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.extend(ch.to_lowercase());
        } else if ch != '\'' && ch != '’' {
            pending_hyphen = true;
        }
    }
    slug
}

/// The candidate closest to `wanted` by edit distance, if any is reasonably close.
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    nearest(wanted, candidates, 1).into_iter().next()
}

/// Up to `limit` candidates nearest to `wanted`, closest first; ties sorted by name so the
/// output is deterministic. Candidates further than about half their length are dropped.
pub fn nearest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>, limit: usize) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let distance = strsim::levenshtein(&wanted_lower, &candidate.to_lowercase());
            let allowed = (wanted.chars().count().max(candidate.chars().count()) / 2).max(2);
            (distance <= allowed).then_some((distance, candidate))
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(limit).map(|(_, c)| c).collect()
}

/// Finds the first line of front matter or TOML that assigns `key` (`key = ` or `key:`),
/// returning the key's byte range. Used to point diagnostics at keys serde does not locate.
pub fn find_key(text: &str, key: &str) -> Option<Range<usize>> {
    find_key_occurrence(text, key, 0)
}

/// Like [`find_key`], for the `nth` (0-based) line that assigns `key`, e.g. the third
/// `about =` inside a list of claims.
pub fn find_key_occurrence(text: &str, key: &str, nth: usize) -> Option<Range<usize>> {
    let mut seen = 0;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let mut search_from = 0;
        while let Some(found) = line[search_from..].find(key) {
            let at = search_from + found;
            search_from = at + key.len();
            let before_ok =
                line[..at].chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'));
            let after = line[at + key.len()..].trim_start_matches([' ', '\t', '"', '\'']);
            if before_ok && (after.starts_with('=') || after.starts_with(':')) {
                if seen == nth {
                    return Some(line_start + at..line_start + at + key.len());
                }
                seen += 1;
            }
        }
        line_start += line.len();
    }
    None
}

/// A calendar date as front matter writes it: a TOML date (`2026-06-02`) or a string
/// (`"2026-06-02"`, as YAML gives it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FlexDate(pub NaiveDate);

impl Serialize for FlexDate {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.format("%Y-%m-%d"))
    }
}

impl<'de> Deserialize<'de> for FlexDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(FlexDateVisitor)
    }
}

struct FlexDateVisitor;

impl<'de> Visitor<'de> for FlexDateVisitor {
    type Value = FlexDate;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date written YYYY-MM-DD")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<FlexDate, E> {
        parse_iso_date(value)
            .map(FlexDate)
            .ok_or_else(|| E::custom(format!("`{value}` is not a date: write it as YYYY-MM-DD, e.g. 2026-06-02")))
    }

    // TOML hands dates over as a one-entry map holding the datetime's text.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FlexDate, A::Error> {
        let Some((_, value)) = map.next_entry::<String, String>()? else {
            return Err(de::Error::custom("expected a date"));
        };
        self.visit_str(&value)
    }
}

/// Parses `YYYY-MM-DD`, also accepting a full timestamp whose date part is that.
pub fn parse_iso_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    let date_part = value.get(..10).unwrap_or(value);
    if value.len() > 10 && !value[10..].starts_with(['T', ' ', 't']) {
        return None;
    }
    // Year 0 (1 BC) parses, but no policy document is dated then, and the calendars and
    // feeds docket writes cannot represent it: "0000-01-01" is a typo to report.
    NaiveDate::parse_from_str(date_part, "%Y-%m-%d").ok().filter(|date| chrono::Datelike::year(date) >= 1)
}

/// A date for people: "2 June 2026". Day before month, month spelled out, so a reader
/// cannot misread it whatever their convention.
pub fn human_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding 6: year-0 dates were accepted.
    #[test]
    fn year_zero_is_not_a_date() {
        assert_eq!(parse_iso_date("0000-06-01"), None);
        assert!(parse_iso_date("0001-01-01").is_some());
    }

    #[test]
    fn slugs_are_lowercase_and_hyphenated() {
        assert_eq!(slugify("What it requires"), "what-it-requires");
        assert_eq!(slugify("3(b)(ii)"), "3-b-ii");
        assert_eq!(slugify("  Sec. 2 — CISA's role "), "sec-2-cisas-role");
        assert_eq!(slugify("Überblick"), "überblick");
    }

    #[test]
    fn nearest_prefers_the_closest_then_the_name() {
        let ids = ["3(b)(ii)", "3(b)(i)", "3(b)(iii)", "cisa"];
        assert_eq!(nearest("3(b)(iv)", ids, 3), vec!["3(b)(i)", "3(b)(ii)", "3(b)(iii)"]);
        assert_eq!(closest("cisaa", ids), Some("cisa"));
        assert_eq!(closest("zzzzzzzz", ids), None);
    }

    #[test]
    fn keys_are_found_by_occurrence() {
        let text = "title = \"x\"\n[[claims]]\nabout = \"2(a)\"\n[[claims]]\nabout = \"2(b)\"\n";
        let second = find_key_occurrence(text, "about", 1).expect("found");
        assert_eq!(&text[second.clone()], "about");
        assert_eq!(text[..second.start].lines().count(), 4);
        assert!(find_key(text, "abou").is_none());
    }

    #[test]
    fn dates_read_from_toml_and_strings() {
        #[derive(Deserialize)]
        struct Doc {
            signed: FlexDate,
        }
        let from_toml: Doc = toml::from_str("signed = 2026-06-02").expect("toml date");
        let from_string: Doc = toml::from_str("signed = \"2026-06-02\"").expect("string date");
        assert_eq!(from_toml.signed, from_string.signed);
        assert!(toml::from_str::<Doc>("signed = \"2026-02-30\"").is_err());
        assert_eq!(human_date(from_toml.signed.0), "2 June 2026");
    }
}
