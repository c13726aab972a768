//! Front matter: splitting it off a note and reading it into [`FrontMatter`].
//!
//! TOML front matter sits between `+++` lines, YAML between `---` lines, both at the very
//! start of the file (after an optional byte-order mark). Both are read into the same
//! typed struct, which holds every key of every item kind; the model stage decides which
//! keys the item's kind uses. Keys serde does not know are collected (with
//! `serde_ignored`) so the caller can warn about them with the closest known key, and
//! syntax or type errors are returned with the byte range they concern.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Deserialize;

use crate::resolve::rules::{Counting, NonBusinessDay};
use crate::text::FlexDate;

/// The syntax of a front-matter block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `+++` fenced TOML.
    Toml,
    /// `---` fenced YAML.
    Yaml,
}

/// Where the front matter and the body are in a file's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// The syntax, or `None` when the file has no front matter.
    pub format: Option<Format>,
    /// Byte range of the front matter's content (between the fences).
    pub front: Range<usize>,
    /// Byte offset where the markdown body starts.
    pub body_start: usize,
}

/// Splits a file into front matter and body. A fence that opens but never closes is an
/// error at the opening fence.
pub fn split(text: &str) -> Result<Split, Range<usize>> {
    let format = if starts_with_fence(text, "+++") {
        Format::Toml
    } else if starts_with_fence(text, "---") {
        Format::Yaml
    } else {
        return Ok(Split { format: None, front: 0..0, body_start: 0 });
    };
    let fence = if format == Format::Toml { "+++" } else { "---" };
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']).trim_end() == fence {
            return Ok(Split { format: Some(format), front: first_line_end..offset, body_start: offset + line.len() });
        }
        offset += line.len();
    }
    Err(0..fence.len())
}

fn starts_with_fence(text: &str, fence: &str) -> bool {
    text.strip_prefix(fence)
        .map(|rest| rest.starts_with('\n') || rest.starts_with("\r\n") || rest.trim_end().is_empty())
        .unwrap_or(false)
}

/// Every front-matter key docket knows, for every kind of item.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct FrontMatter {
    /// Item kind, overriding the folder rule.
    pub kind: Option<String>,
    /// Stable id.
    pub id: Option<String>,
    /// Page title.
    pub title: Option<String>,
    /// Last URL segment.
    pub slug: Option<String>,
    /// The whole URL path, as Jekyll and Hugo write it (`/guidance/email/`).
    pub permalink: Option<String>,
    /// Short summary.
    #[serde(alias = "description")]
    pub summary: Option<String>,
    /// Other names references may use.
    #[serde(alias = "alias")]
    pub aliases: OneOrMany,
    /// Free tags.
    pub tags: OneOrMany,
    /// Audiences with relevance.
    pub audiences: Option<AudienceList>,
    /// Last reviewed.
    pub updated: Option<FlexDate>,
    /// Publication date (sources, alerts).
    pub date: Option<FlexDate>,
    /// Explicit sort position (Hugo's `weight`, Just the Docs' `nav_order`,
    /// `display_order` of other Jekyll themes).
    #[serde(alias = "weight", alias = "nav_order", alias = "display_order")]
    pub order: Option<i64>,
    /// Not published when true.
    pub draft: bool,
    /// Checklist items for audiences.
    pub actions: Vec<ActionSpec>,
    /// Open questions and what to watch.
    pub questions: Vec<String>,
    /// Instrument or source subtype ("executive order", "news report").
    #[serde(rename = "type")]
    pub subtype: Option<String>,
    /// Official citation of an instrument.
    pub citation: Option<String>,
    /// Signing date of an instrument.
    pub signed: Option<FlexDate>,
    /// Effective date of an instrument.
    pub effective: Option<FlexDate>,
    /// Status of an instrument.
    pub status: Option<String>,
    /// Canonical URL of an instrument, source or agency.
    pub url: Option<String>,
    /// Named dates of an instrument that deadlines may be anchored on.
    pub events: BTreeMap<String, FlexDate>,
    /// Provision number, e.g. `3(b)(ii)`.
    pub number: Option<String>,
    /// Instrument a provision (or a note) belongs to.
    pub instrument: Option<String>,
    /// A provision's official heading.
    pub heading: Option<String>,
    /// Acting agencies.
    pub agencies: Vec<String>,
    /// Agencies consulted.
    pub consulting: Vec<String>,
    /// Publisher of a source.
    pub publisher: Option<String>,
    /// Author of a source.
    pub author: Option<String>,
    /// Short label (citations, agency acronyms, one-line definitions).
    pub short: Option<String>,
    /// What a source says.
    pub claims: Vec<ClaimSpec>,
    /// Provision a deadline belongs to.
    pub provision: Option<String>,
    /// What a deadline requires.
    pub action: Option<String>,
    /// Deadline rule, e.g. `within 30 days of signing`.
    pub rule: Option<String>,
    /// Counting convention override.
    pub counting: Option<Counting>,
    /// Weekend and holiday policy override.
    pub non_business_day: Option<NonBusinessDay>,
    /// Recorded completion of a deadline.
    pub completed: Option<CompletionSpec>,
    /// Agency this one acts through.
    pub parent: Option<String>,
    /// Alert authors.
    pub authors: Vec<AuthorSpec>,
    /// Alert key takeaways.
    pub takeaways: Vec<String>,
    /// Alert contact block.
    pub contact: Option<String>,
    /// Conflicts an editor has reviewed.
    pub reviewed_conflicts: Vec<ReviewSpec>,
}

/// A string or a list of strings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            One(String),
            Many(Vec<String>),
        }
        Ok(match Shape::deserialize(deserializer)? {
            Shape::One(one) => OneOrMany(vec![one]),
            Shape::Many(many) => OneOrMany(many),
        })
    }
}

/// Audiences: a list of ids, or a table of id → relevance.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum AudienceList {
    /// Ids only (medium relevance).
    Ids(Vec<String>),
    /// Id → relevance.
    Weighted(BTreeMap<String, RelevanceSpec>),
}

/// Relevance as written: a word or a number.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum RelevanceSpec {
    /// `high`, `medium`, `low`.
    Word(String),
    /// 0–100.
    Number(i64),
}

/// A checklist item for an audience.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ActionSpec {
    /// Audience id.
    pub audience: String,
    /// What to do.
    pub text: String,
}

/// One claim a source makes.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ClaimSpec {
    /// What the claim is about: a provision number or an item id.
    pub about: String,
    /// Which attribute (free-form).
    pub attribute: String,
    /// The claimed value.
    pub value: OneOrMany,
    /// A short quote.
    pub quote: String,
    /// Where in the source the quote appears.
    pub location: String,
}

/// Recorded completion of a deadline.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct CompletionSpec {
    /// When it was done.
    pub date: Option<FlexDate>,
    /// Source that records it.
    pub source: Option<String>,
    /// Free note.
    pub note: Option<String>,
}

/// An alert author.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(default)]
pub struct AuthorSpec {
    /// Name.
    pub name: String,
    /// Role or title.
    pub role: String,
    /// E-mail address.
    pub email: String,
}

/// A reviewed conflict.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ReviewSpec {
    /// Attribute the conflict is on.
    pub attribute: String,
    /// The editor's note.
    pub note: String,
}

/// Every key name [`FrontMatter`] accepts, for "did you mean" hints.
pub const KNOWN_KEYS: &[&str] = &[
    "kind",
    "id",
    "title",
    "slug",
    "summary",
    "description",
    "aliases",
    "tags",
    "audiences",
    "updated",
    "date",
    "order",
    "permalink",
    "draft",
    "actions",
    "questions",
    "type",
    "citation",
    "signed",
    "effective",
    "status",
    "url",
    "events",
    "number",
    "instrument",
    "heading",
    "agencies",
    "consulting",
    "publisher",
    "author",
    "short",
    "claims",
    "provision",
    "action",
    "rule",
    "counting",
    "non_business_day",
    "completed",
    "parent",
    "authors",
    "takeaways",
    "contact",
    "reviewed_conflicts",
    "audience",
    "text",
    "about",
    "attribute",
    "value",
    "quote",
    "location",
    "source",
    "note",
    "name",
    "role",
    "email",
];

/// Keys of [`KNOWN_KEYS`] that exist only inside tables (claims, actions, authors,
/// completion, reviewed conflicts), never at the top of the front matter: a top-level
/// `audience` should be told `audiences`, not `audience`.
pub const NESTED_ONLY_KEYS: &[&str] = &[
    "audience",
    "text",
    "about",
    "attribute",
    "value",
    "quote",
    "location",
    "source",
    "note",
    "name",
    "role",
    "email",
];

/// A problem reading front matter: what and where (a byte range of the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrontMatterError {
    /// Byte range in the file.
    pub range: Range<usize>,
    /// What is wrong.
    pub message: String,
}

/// Front matter read successfully, with the keys it did not recognise.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    /// The typed keys.
    pub front: FrontMatter,
    /// Dotted paths of keys that were ignored, e.g. `claims.0.qoute`.
    pub unknown_keys: Vec<String>,
}

/// Reads the front matter at `split.front` of `text`.
pub fn parse(text: &str, split: &Split) -> Result<Parsed, FrontMatterError> {
    let source = &text[split.front.clone()];
    let mut unknown_keys = Vec::new();
    let record = |path: serde_ignored::Path| unknown_keys.push(path.to_string());
    let result = match split.format {
        None => return Ok(Parsed::default()),
        Some(Format::Toml) => {
            let deserializer = toml::Deserializer::parse(source).map_err(|e| toml_error(&e, split))?;
            serde_ignored::deserialize(deserializer, record).map_err(|e| toml_error(&e, split))
        }
        Some(Format::Yaml) if source.trim().is_empty() => Ok(FrontMatter::default()),
        Some(Format::Yaml) => {
            let deserializer = serde_norway::Deserializer::from_str(source);
            serde_ignored::deserialize(deserializer, record).map_err(|e| yaml_error(&e, source, split))
        }
    };
    let front = result?;
    Ok(Parsed { front, unknown_keys })
}

fn toml_error(error: &toml::de::Error, split: &Split) -> FrontMatterError {
    let span = error.span().unwrap_or(0..0);
    FrontMatterError {
        range: split.front.start + span.start..split.front.start + span.end.max(span.start),
        message: format!("TOML front matter: {}", error.message().trim()),
    }
}

fn yaml_error(error: &serde_norway::Error, source: &str, split: &Split) -> FrontMatterError {
    let index = error.location().map_or(0, |l| l.index()).min(source.len());
    let end = source[index..].find(['\n', '\r']).map_or(source.len(), |i| index + i).max(index);
    let message = error.to_string();
    // serde_norway appends " at line L column C"; the diagnostic carries the position itself.
    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
    FrontMatterError {
        range: split.front.start + index..split.front.start + end,
        message: format!("YAML front matter: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_toml_and_yaml_with_crlf() {
        let toml = "+++\r\ntitle = \"x\"\r\n+++\r\nbody";
        let split = split(toml).expect("closed");
        assert_eq!(split.format, Some(Format::Toml));
        assert_eq!(&toml[split.front.clone()], "title = \"x\"\r\n");
        assert_eq!(&toml[split.body_start..], "body");
        let yaml = "---\ntitle: x\n---\n";
        assert_eq!(split_format(yaml), Some(Format::Yaml));
        assert_eq!(split_format("# Heading\n---\n"), None);
    }

    fn split_format(text: &str) -> Option<Format> {
        split(text).expect("valid").format
    }

    #[test]
    fn an_unclosed_fence_is_an_error_at_the_fence() {
        assert_eq!(split("+++\ntitle = \"x\"\n"), Err(0..3));
    }

    #[test]
    fn both_formats_give_the_same_keys() {
        let toml = "+++\ntitle = \"T\"\nsigned = 2026-06-02\naudiences = { a = \"high\" }\n+++\n";
        let yaml = "---\ntitle: T\nsigned: 2026-06-02\naudiences:\n  a: high\n---\n";
        let from_toml = parse(toml, &split(toml).expect("split")).expect("toml");
        let from_yaml = parse(yaml, &split(yaml).expect("split")).expect("yaml");
        assert_eq!(from_toml.front.title, from_yaml.front.title);
        assert_eq!(from_toml.front.signed, from_yaml.front.signed);
        assert_eq!(from_toml.front.audiences, from_yaml.front.audiences);
    }

    #[test]
    fn unknown_keys_are_reported_with_their_path() {
        let text = "+++\ntitel = \"T\"\n[[claims]]\nabout = \"2\"\nqoute = \"q\"\n+++\n";
        let mut parsed = parse(text, &split(text).expect("split")).expect("parses");
        parsed.unknown_keys.sort();
        assert_eq!(parsed.unknown_keys, vec!["claims.0.qoute".to_string(), "titel".to_string()]);
    }

    #[test]
    fn errors_point_into_the_file() {
        let text = "+++\ntitle = \"T\"\ndraft = \"maybe\"\n+++\n";
        let error = parse(text, &split(text).expect("split")).expect_err("type error");
        assert!(text[error.range.start..].starts_with("\"maybe\""), "{error:?}");
        let yaml = "---\ntitle: [unclosed\n---\n";
        let error = parse(yaml, &split(yaml).expect("split")).expect_err("syntax error");
        assert!(error.range.start >= 4, "{error:?}");
    }
}
