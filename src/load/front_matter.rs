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

use crate::rules::{Counting, Holidays, NonBusinessDay};
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
    // Blank lines before the opening fence (left by an export or a template) are skipped:
    // the block is still the file's front matter, not text to publish.
    let lead = leading_blank_lines(text);
    let rest = &text[lead..];
    let format = if starts_with_fence(rest, "+++") {
        Format::Toml
    } else if starts_with_fence(rest, "---") {
        Format::Yaml
    } else {
        return Ok(Split { format: None, front: 0..0, body_start: 0 });
    };
    let fence = if format == Format::Toml { "+++" } else { "---" };
    let first_line_end = lead + rest.find('\n').map_or(rest.len(), |i| i + 1);
    let mut offset = first_line_end;
    for line in text[first_line_end..].split_inclusive('\n') {
        if line.trim_end_matches(['\n', '\r']).trim_end() == fence {
            return Ok(Split { format: Some(format), front: first_line_end..offset, body_start: offset + line.len() });
        }
        offset += line.len();
    }
    Err(lead..lead + fence.len())
}

/// The length of the whitespace-only lines at the start of `text`.
fn leading_blank_lines(text: &str) -> usize {
    let mut lead = 0;
    for line in text.split_inclusive('\n') {
        if !line.ends_with('\n') || !line.trim().is_empty() {
            break;
        }
        lead += line.len();
    }
    lead
}

/// Makes every line end of a file saved with classic Mac OS line ends (a lone `\r`) a
/// `\n`, byte for byte, so that front matter is found, lines are counted right in
/// diagnostics and offsets stay those of the file. `\r\n` is left as it is.
pub fn normalize_line_ends(text: &mut String) {
    if !text.contains('\r') {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for i in 0..bytes.len() {
        if bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            bytes[i] = b'\n';
        }
    }
    *text = String::from_utf8(bytes).expect("one ASCII byte replaced by another");
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
    /// Page title. (The capitalised spellings of this and the other keys Hugo sites
    /// commonly write, `Title`, `Date`, `Tags`, are read too: Hugo's keys are
    /// case-insensitive, and a corpus of 6,637 laws writes `Title:`.)
    #[serde(deserialize_with = "text_or_link", alias = "Title")]
    pub title: Option<String>,
    /// Last URL segment.
    #[serde(alias = "Slug")]
    pub slug: Option<String>,
    /// The whole URL path, as Jekyll and Hugo write it (`/guidance/email/`).
    pub permalink: Option<String>,
    /// Short summary.
    #[serde(alias = "description", alias = "Description", alias = "Summary")]
    pub summary: Option<String>,
    /// Other names references may use.
    #[serde(alias = "alias")]
    pub aliases: OneOrMany,
    /// Free tags.
    #[serde(alias = "Tags")]
    pub tags: OneOrMany,
    /// Old URL paths of the page, as Jekyll's jekyll-redirect-from writes them: each gets
    /// a page that redirects here.
    pub redirect_from: OneOrMany,
    /// Audiences with relevance.
    pub audiences: Option<AudienceList>,
    /// Last reviewed.
    pub updated: Option<FlexDate>,
    /// Publication date (sources, alerts).
    #[serde(alias = "Date")]
    pub date: Option<FlexDate>,
    /// Explicit sort position (Hugo's `weight`, Just the Docs' `nav_order`,
    /// `display_order` of other Jekyll themes).
    #[serde(alias = "weight", alias = "Weight", alias = "nav_order", alias = "display_order")]
    pub order: Option<i64>,
    /// Not published when true.
    #[serde(alias = "Draft")]
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
    /// The label an instrument prints before its provision numbers: `Sec.`, `§`, `Article`.
    #[serde(alias = "label")]
    pub section_label: Option<String>,
    /// The numbering scheme an instrument declares: `sections`, `dotted`, `article`, `cfr`.
    pub numbering: Option<String>,
    /// The public holidays of an instrument's jurisdiction, for its deadlines (overrides
    /// `[deadlines] holidays` of docket.toml).
    pub holidays: Option<Holidays>,
    /// Further closed days of an instrument's jurisdiction, for its deadlines (overrides
    /// `[deadlines] closed_dates` of docket.toml).
    pub closed_dates: Option<Vec<FlexDate>>,
    /// When an instrument was revoked (or rescinded), and by which instrument.
    pub revoked: Option<RevocationSpec>,
    /// Instruments this one amends, by id.
    pub amends: OneOrMany,
    /// Instruments this one supersedes (replaces), by id.
    pub supersedes: OneOrMany,
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
    /// The body of a source note is the source's own text: claim quotes are checked
    /// against it.
    pub full_text: bool,
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
    /// Alert authors: tables, or names alone (`authors: [jdoe]`, as Hugo's taxonomy
    /// writes them).
    #[serde(deserialize_with = "authors_as_written")]
    pub authors: Vec<AuthorSpec>,
    /// Alert key takeaways.
    pub takeaways: Vec<String>,
    /// Alert contact block.
    pub contact: Option<String>,
    /// Conflicts an editor has reviewed.
    pub reviewed_conflicts: Vec<ReviewSpec>,
    /// Free data for the theme, as `item.extra` in templates; docket reads none of it.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// The template of this item's page, instead of its kind's (`wide.html`).
    pub template: Option<String>,
}

/// A string or a list of strings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OneOrMany(pub Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape {
            One(Scalar),
            Many(Vec<Option<Scalar>>),
            /// `aliases:` with nothing after it.
            Empty(()),
        }
        let shape = Shape::deserialize(deserializer)
            .map_err(|e| plain_shape_error(e, "expected text or a list of text (`[a, b]`)"))?;
        Ok(match shape {
            Shape::One(one) => OneOrMany(vec![one.0]),
            // An empty item (`- ` with nothing after it) is skipped, not an error.
            Shape::Many(many) => OneOrMany(many.into_iter().flatten().map(|s| s.0).collect()),
            Shape::Empty(()) => OneOrMany(Vec::new()),
        })
    }
}

/// A text value as authors write it in YAML: text, a number or a boolean (read as they
/// are written), or an Obsidian link `[[Other note]]`, which YAML reads as a list inside a
/// list and which stands for the link's text.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> serde::de::Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("text (or an Obsidian [[link]])")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Scalar, E> {
        Ok(Scalar(text.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, n: i64) -> Result<Scalar, E> {
        Ok(Scalar(n.to_string()))
    }

    fn visit_u64<E: serde::de::Error>(self, n: u64) -> Result<Scalar, E> {
        Ok(Scalar(n.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, x: f64) -> Result<Scalar, E> {
        Ok(Scalar(x.to_string()))
    }

    fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<Scalar, E> {
        Ok(Scalar(b.to_string()))
    }

    /// `[[Other note]]`: a list holding one list of text.
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar, A::Error> {
        let mut parts = Vec::new();
        while let Some(inner) = seq.next_element::<Vec<String>>()? {
            parts.extend(inner);
        }
        Ok(Scalar(parts.join(", ")))
    }
}

/// `title`, `summary` and the like: text, or an Obsidian `[[link]]` read as its text.
fn text_or_link<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Scalar>::deserialize(deserializer)?.map(|s| s.0))
}

/// serde's "data did not match any variant of untagged enum …" names a type of docket's
/// code, not what the author should write: it becomes `expected`. Syntax errors, which
/// carry their own position, pass through.
fn plain_shape_error<E: serde::de::Error>(error: E, expected: &str) -> E {
    if error.to_string().contains("untagged enum") { E::custom(expected) } else { error }
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
    /// Whether a list value names every member (`exhaustive`) or only some (`partial`);
    /// unset, a list of items is partial and a list of words exhaustive.
    pub list: Option<ListExtent>,
}

/// How much of a list a claim's value gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListExtent {
    /// Some members, not necessarily all: a source that names fewer does not contradict
    /// one that names more.
    Partial,
    /// Every member: a different list is a disagreement.
    Exhaustive,
}

/// The revocation of an instrument: `revoked = { date = 2025-01-20, by = "eo-14148" }`.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct RevocationSpec {
    /// The day it stopped having effect.
    pub date: Option<FlexDate>,
    /// The instrument that revoked it, by id.
    pub by: Option<String>,
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

/// One author as written: a name alone, or a table (read through the same map access,
/// so unknown keys inside it are still reported).
struct AuthorEntry(AuthorSpec);

impl<'de> Deserialize<'de> for AuthorEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AuthorVisitor).map(AuthorEntry)
    }
}

struct AuthorVisitor;

impl<'de> serde::de::Visitor<'de> for AuthorVisitor {
    type Value = AuthorSpec;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a name, or a table with name, role and email")
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<AuthorSpec, E> {
        Ok(AuthorSpec { name: name.to_string(), ..AuthorSpec::default() })
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<AuthorSpec, A::Error> {
        AuthorSpec::deserialize(serde::de::value::MapAccessDeserializer::new(map))
    }
}

fn authors_as_written<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<AuthorSpec>, D::Error> {
    struct Authors;
    impl<'de> serde::de::Visitor<'de> for Authors {
        type Value = Vec<AuthorSpec>;
        fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
            formatter.write_str("a list of authors")
        }
        fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Vec<AuthorSpec>, E> {
            AuthorVisitor.visit_str(name).map(|author| vec![author])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<AuthorSpec>, A::Error> {
            // An empty item (`- ` with nothing after it, as digitalgov.gov writes) is skipped,
            // as empty items of other lists are.
            let mut authors = Vec::new();
            while let Some(entry) = seq.next_element::<Option<AuthorEntry>>()? {
                authors.extend(entry.map(|AuthorEntry(author)| author));
            }
            Ok(authors)
        }
    }
    deserializer.deserialize_any(Authors)
}

/// A reviewed conflict.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct ReviewSpec {
    /// Attribute the conflict is on.
    pub attribute: String,
    /// The editor's note.
    pub note: String,
    /// Who reviewed it.
    pub reviewer: String,
    /// When it was reviewed.
    pub date: Option<FlexDate>,
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
    "redirect_from",
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
    "holidays",
    "closed_dates",
    "numbering",
    "section_label",
    "label",
    "completed",
    "parent",
    "authors",
    "takeaways",
    "contact",
    "reviewed_conflicts",
    "extra",
    "template",
    "full_text",
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
    "list",
    "reviewer",
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
    "list",
    "reviewer",
];

/// The top-level keys a front-matter block writes, in order, each once: a YAML line
/// `key: …` at the left margin, a TOML line `key = …` or table header `[key]` /
/// `[[key]]` outside any table. A cheap scan for the import report, not a parse: what
/// the block means is [`parse`]'s business.
pub fn top_level_keys(source: &str, format: Option<Format>) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut in_table = false;
    for line in source.lines() {
        if line.starts_with([' ', '\t', '#', '-']) || line.trim().is_empty() {
            continue;
        }
        let key = match format {
            Some(Format::Yaml) => line.split_once(':').map(|(key, _)| key),
            Some(Format::Toml) if line.starts_with('[') => {
                in_table = true;
                Some(line.trim_matches(['[', ']', ' ']).split('.').next().unwrap_or_default())
            }
            Some(Format::Toml) if !in_table => line.split_once('=').map(|(key, _)| key),
            _ => None,
        };
        let Some(key) = key.map(|k| k.trim().trim_matches(['"', '\'']).to_string()) else { continue };
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

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
            // The tracker records the key being read when an error strikes: a type error inside
            // a list or an untagged value comes without a position of its own.
            let mut track = serde_path_to_error::Track::new();
            let deserializer = serde_norway::Deserializer::from_str(source);
            let tracked = serde_path_to_error::Deserializer::new(deserializer, &mut track);
            let result = serde_ignored::deserialize(tracked, record);
            result.map_err(|e| yaml_error(&e, source, split, &track.path().to_string()))
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

fn yaml_error(error: &serde_norway::Error, source: &str, split: &Split, key_path: &str) -> FrontMatterError {
    let top_key = key_path.split(['.', '[']).next().filter(|k| !k.is_empty() && *k != "?");
    let located = error.location().map(|l| l.index()).filter(|&i| i > 0);
    let at_key = || top_key.and_then(|key| crate::text::find_key(source, key)).map(|r| r.start);
    let index = located.or_else(at_key).unwrap_or(0).min(source.len());
    let end = source[index..].find(['\n', '\r']).map_or(source.len(), |i| index + i).max(index);
    let message = error.to_string();
    // serde_norway appends " at line L column C"; the diagnostic carries the position itself.
    let message = message.split(" at line ").next().unwrap_or(&message).to_string();
    // serde_norway names the path itself for a value inside a list or table.
    let message = message.strip_prefix(&format!("{key_path}: ")).map(str::to_string).unwrap_or(message);
    let message = match top_key {
        Some(_) => format!("YAML front matter, key `{key_path}`: {message}"),
        None => format!("YAML front matter: {message}"),
    };
    FrontMatterError { range: split.front.start + index..split.front.start + end, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_level_keys_are_found_without_a_parse() {
        let yaml = "title: A\nweight: 3\ntags:\n  - x\n# note: no\n\"layout\": post\n";
        assert_eq!(top_level_keys(yaml, Some(Format::Yaml)), ["title", "weight", "tags", "layout"]);
        let toml = "title = \"A\"\nid = \"a\"\n[events]\nstart = 2026-01-01\n[[claims]]\nabout = \"x\"\n";
        assert_eq!(top_level_keys(toml, Some(Format::Toml)), ["title", "id", "events", "claims"]);
    }

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
    fn front_matter_after_blank_lines_or_with_cr_line_ends_is_read() {
        let text = "\n  \n---\ntitle: x\n---\nbody";
        let split = split(text).expect("closed");
        assert_eq!(split.format, Some(Format::Yaml));
        assert_eq!(&text[split.front.clone()], "title: x\n");
        let mut mac = "---\rtitle: x\r---\rbody\r\n".to_string();
        normalize_line_ends(&mut mac);
        assert_eq!(mac, "---\ntitle: x\n---\nbody\r\n");
    }

    #[test]
    fn yaml_shapes_authors_write_are_read_and_errors_name_the_key() {
        let read = |yaml: &str| {
            let text = format!("---\n{yaml}---\n");
            parse(&text, &split(&text).expect("closed")).map(|p| p.front)
        };
        let front = read("title: [[Other note]]\ntags:\n  - a\n  -\n  - 3\naliases:\nauthors: [jdoe]\n").expect("read");
        assert!(front.aliases.0.is_empty(), "an empty key");
        assert_eq!(front.authors[0].name, "jdoe", "an author by name alone");
        assert_eq!(front.title.as_deref(), Some("Other note"));
        assert_eq!(front.tags.0, ["a", "3"]);
        let error = read("title: x\ntags:\n  - {a: b}\n").expect_err("a table in a tag list");
        assert!(error.message.contains("key `tags`"), "{}", error.message);
        assert!(!error.message.contains("untagged"), "{}", error.message);
    }

    #[test]
    fn an_unclosed_fence_is_an_error_at_the_fence() {
        assert_eq!(split("+++\ntitle = \"x\"\n"), Err(0..3));
    }

    #[test]
    fn an_empty_author_item_is_skipped() {
        let text = "---\ntitle: DAP\nauthors:\n  - \n  - jdoe\n---\n";
        let parsed = parse(text, &split(text).expect("front matter")).expect("parses");
        assert_eq!(parsed.front.authors.len(), 1);
    }

    /// Hugo reads front-matter keys whatever their case; bundestag/gesetze writes
    /// `Title:` in every law, which docket ignored with 6,637 warnings.
    #[test]
    fn capitalised_hugo_keys_are_read() {
        let text = "---\nTitle: Bürgerliches Gesetzbuch\nDate: 1896-08-18\nTags: [civil]\nDescription: The civil code.\nWeight: 3\nDraft: false\n---\n";
        let split = split(text).expect("front matter");
        let parsed = parse(text, &split).expect("parses");
        assert_eq!(parsed.front.title.as_deref(), Some("Bürgerliches Gesetzbuch"));
        assert_eq!(parsed.front.summary.as_deref(), Some("The civil code."));
        assert_eq!((parsed.front.tags.0.len(), parsed.front.order), (1, Some(3)));
        assert!(parsed.front.date.is_some() && parsed.unknown_keys.is_empty(), "{:?}", parsed.unknown_keys);
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
