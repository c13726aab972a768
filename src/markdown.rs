//! The one place that decides how markdown is read.
//!
//! Both the loader (which scans a note for headings and references) and the renderer
//! (which turns it into HTML) parse with the options and the citation hook defined here,
//! so they always agree on where a reference starts; the renderer finds each resolved
//! reference again by that byte offset.

use pulldown_cmark::{BrokenLink, CowStr, LinkType, Options, Parser};

/// The link destination the citation hook gives `[@key]` spans, so later passes can tell
/// a citation from an ordinary link.
pub const CITATION_DEST: &str = "docket-citation:";

/// The pulldown-cmark extensions docket enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_WIKILINKS
        | Options::ENABLE_SMART_PUNCTUATION
}

/// The broken-link callback that turns `[@key]` spans into citation links.
pub type CitationHook = for<'a> fn(BrokenLink<'a>) -> Option<(CowStr<'a>, CowStr<'a>)>;

/// A parser over a note body with docket's options and the citation hook.
pub fn parser(body: &str) -> Parser<'_, CitationHook> {
    Parser::new_with_broken_link_callback(body, options(), Some(citation_hook as CitationHook))
}

fn citation_hook<'a>(link: BrokenLink<'a>) -> Option<(CowStr<'a>, CowStr<'a>)> {
    let is_shortcut = matches!(link.link_type, LinkType::Shortcut | LinkType::Collapsed);
    (is_shortcut && parse_citation(&link.reference).is_some()).then(|| (CITATION_DEST.into(), "".into()))
}

/// One source cited inside a `[@...]` citation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CitedKey {
    /// The source id after `@`.
    pub key: String,
    /// Text after the key (`Sec. 3`), if any.
    pub locator: Option<String>,
    /// Text before the `@` (`see`), if any.
    pub prefix: Option<String>,
}

/// Parses the inside of a citation, pandoc style: `@key`, `@key, locator`,
/// `see @a; @b, p. 3`. Returns `None` unless every `;`-separated part holds an `@key`.
pub fn parse_citation(inner: &str) -> Option<Vec<CitedKey>> {
    let inner = inner.trim().trim_start_matches('[').trim_end_matches(']');
    let mut keys = Vec::new();
    for part in inner.split(';') {
        let at = find_key_start(part)?;
        let prefix = part[..at].trim();
        let rest = &part[at + 1..];
        let key_len = rest.find(|c: char| !is_key_char(c)).unwrap_or(rest.len());
        let key = rest[..key_len].trim_end_matches(['.', ':']);
        if key.is_empty() {
            return None;
        }
        let locator = rest[key.len()..].trim_start_matches([',', ' ']).trim();
        keys.push(CitedKey {
            key: key.to_string(),
            locator: (!locator.is_empty()).then(|| locator.to_string()),
            prefix: (!prefix.is_empty()).then(|| prefix.to_string()),
        });
    }
    (!keys.is_empty()).then_some(keys)
}

fn find_key_start(part: &str) -> Option<usize> {
    let bytes = part.as_bytes();
    (0..bytes.len()).find(|&i| {
        bytes[i] == b'@'
            && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'-')
            && part[i + 1..].chars().next().is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn is_key_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/')
}

/// True for a destination that points outside the site (`https:`, `mailto:` ...).
pub fn is_external(dest: &str) -> bool {
    let scheme_end = dest.find(':');
    let slash = dest.find('/');
    match scheme_end {
        Some(colon) => {
            slash.is_none_or(|s| colon < s)
                && dest[..colon].chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        }
        None => dest.starts_with("//"),
    }
}

/// Decodes `%20`-style escapes in a link path; invalid escapes are kept as written.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(hi), Some(lo)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((hi * 16 + lo) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| text.to_string())
}

/// What a blanked `%%comment%%` leaves at the end of a line of text so that the line end
/// stays a soft break (see `load::comments`): a zero-width space, which no reader-facing
/// text should carry.
pub const LINE_END_MARK: char = '\u{200b}';

/// The text before a trailing Obsidian block id and the id (`Text. ^a1b2` → `Text.`,
/// `a1b2`). Whether it is a block id also depends on its line ending there
/// ([`visible_text`]).
pub fn block_id(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim_end();
    let (before, id) = trimmed.rsplit_once(" ^")?;
    let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then_some((before, id))
}

/// The id of an Obsidian block id written alone on its line (`^a1b2`), as Obsidian marks
/// a list, table or quote: the id names the block before it.
pub fn own_line_block_id(line: &str) -> Option<&str> {
    let id = line.trim().trim_end_matches(LINE_END_MARK).trim_end().strip_prefix('^')?;
    let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then_some(id)
}

/// The line `rest` starts, without its end and without what [`LINE_END_MARK`] and white
/// space leave after the text.
fn line_of(rest: &str) -> &str {
    let line = rest.split('\n').next().unwrap_or_default();
    line.trim_end().trim_end_matches(LINE_END_MARK).trim_end()
}

/// The block id a text event ends with, when its source line ends with it too: `rest` is
/// the source from the event's start on. A block id is the last thing on its line; the
/// same characters mid-line are prose.
pub fn trailing_block_id<'t>(text: &'t str, rest: &str) -> Option<(&'t str, &'t str)> {
    let (before, id) = block_id(text.trim_end().trim_end_matches(LINE_END_MARK).trim_end())?;
    line_of(rest).ends_with(&format!(" ^{id}")).then_some((before, id))
}

/// A text event as readers see it: without a trailing block id ([`trailing_block_id`]),
/// empty when it is a block id alone on its line ([`own_line_block_id`]), and without the [`LINE_END_MARK`] (and the blanks before it) a comment left at the line
/// end. `rest` is the source from the event's start on.
pub fn visible_text<'t>(text: &'t str, rest: &str) -> &'t str {
    if let Some((before, _)) = trailing_block_id(text, rest) {
        return before;
    }
    if own_line_block_id(text).is_some() && line_of(rest) == text.trim_end_matches(LINE_END_MARK).trim() {
        return "";
    }
    match text.strip_suffix(LINE_END_MARK) {
        Some(before) => before.trim_end(),
        None => text,
    }
}

/// Byte ranges of `text` (from `from` on) that no reader sees but the source holds: each
/// trailing block id (` ^a1b2`), each block id alone on its line (the whole line), and each run of blanks ending in a [`LINE_END_MARK`] at a
/// line end, outside fenced code. For writers that copy the source (markdown export).
pub fn hidden_ranges(text: &str, from: usize) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut fence: Option<String> = None;
    let mut start = from;
    for line in text[from..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        let marker: String = trimmed.chars().take_while(|&c| c == '`' || c == '~').collect();
        match &fence {
            Some(open) if marker.starts_with(open.as_str()) && trimmed.trim_end() == marker => fence = None,
            Some(_) => {}
            None if marker.len() >= 3 => fence = Some(marker),
            None => {
                let mut end = content.trim_end().len();
                if content[..end].ends_with(LINE_END_MARK) {
                    let kept = content[..end - LINE_END_MARK.len_utf8()].trim_end().len();
                    ranges.push(start + kept..start + end);
                    end = kept;
                }
                if let Some((before, _)) = block_id(&content[..end]) {
                    ranges.push(start + before.len()..start + end);
                } else if own_line_block_id(&content[..end]).is_some() {
                    ranges.push(start..start + line.len());
                }
            }
        }
        start += line.len();
    }
    ranges.sort_by_key(|r| r.start);
    ranges
}

/// Obsidian inline tags (`#policy`, `#ai/safety`) in a text event: the byte range of each,
/// `#` included. A tag starts at a `#` that opens the text or follows white space (so a
/// URL's `#fragment`, an entity's `&#39;` and `C#` are not tags), runs over letters,
/// digits, `_`, `-` and `/`, and holds at least one character that is not a digit
/// (`#123` is an issue number, not a tag): a letter, here, so that every tag has a page
/// name. `starts_after_space` says
/// whether the source before the text ends a word (a line start, a space). The loader and
/// the renderer both call this, so the tags a note carries are the links its page shows.
pub fn inline_tags(text: &str, starts_after_space: bool) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices('#') {
        let opens_word = match text[..at].chars().next_back() {
            None => starts_after_space,
            Some(before) => before.is_whitespace() || before == '(',
        };
        if !opens_word {
            continue;
        }
        let name_len = text[at + 1..].find(|c: char| !is_tag_char(c)).unwrap_or(text.len() - at - 1);
        let name = text[at + 1..at + 1 + name_len].trim_end_matches('/');
        if !name.starts_with('/') && name.chars().any(char::is_alphabetic) {
            found.push(at..at + 1 + name.len());
        }
    }
    found
}

/// Whether the source before byte `at` of `source` ends a word, so that a `#` at `at` may
/// open a tag: the start of the text, white space, `(` or emphasis `*`.
pub fn opens_word(source: &str, at: usize) -> bool {
    source
        .get(..at)
        .and_then(|before| before.chars().next_back())
        .is_none_or(|c| c.is_whitespace() || c == '(' || c == '*')
}

fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '/')
}

/// A tag as the knowledge base knows it: without its `#`, without stray slashes, with
/// its case as first written (tags compare without case, see [`tag_key`]).
pub fn clean_tag(tag: &str) -> String {
    tag.trim().trim_start_matches('#').trim_matches('/').to_string()
}

/// The key two spellings of one tag share (`Policy`, `policy`).
pub fn tag_key(tag: &str) -> String {
    clean_tag(tag).to_lowercase()
}

/// The route of a tag's page: `tags/ai/safety/` for `ai/safety`.
pub fn tag_route(tag: &str) -> String {
    let segments: Vec<String> = clean_tag(tag).split('/').map(crate::text::slugify).filter(|s| !s.is_empty()).collect();
    if segments.is_empty() { "tags/tag/".to_string() } else { format!("tags/{}/", segments.join("/")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Event, Tag};

    #[test]
    fn inline_tags_are_words_that_open_with_a_hash() {
        let text = "See #policy and #AI/safety/, not a#b, #123, x.org/#frag or (#paren).";
        let tags: Vec<&str> = inline_tags(text, true).into_iter().map(|r| &text[r]).collect();
        assert_eq!(tags, ["#policy", "#AI/safety", "#paren"]);
        assert_eq!(inline_tags("#start", false), Vec::<std::ops::Range<usize>>::new());
        assert_eq!(inline_tags("#2026-budget", true).first(), Some(&(0..12)));
        assert_eq!(tag_route("AI/Safety Rules"), "tags/ai/safety-rules/");
        assert_eq!(tag_key("#Policy/"), "policy");
    }

    #[test]
    fn citations_follow_pandoc() {
        let keys = parse_citation("[see @client-alert, Sec. 3; @news-report]").expect("citation");
        assert_eq!(keys.len(), 2);
        assert_eq!(keys[0].key, "client-alert");
        assert_eq!(keys[0].locator.as_deref(), Some("Sec. 3"));
        assert_eq!(keys[0].prefix.as_deref(), Some("see"));
        assert_eq!(keys[1].locator, None);
        assert_eq!(parse_citation("[not a citation]"), None);
        assert_eq!(parse_citation("[mail me@example.org]"), None);
    }

    #[test]
    fn the_parser_marks_citations_and_wikilinks() {
        let events: Vec<_> = parser("See [[3(b)(ii)]] and [@news-report].").collect();
        let links: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                Event::Start(Tag::Link { link_type, dest_url, .. }) => Some((*link_type, dest_url.to_string())),
                _ => None,
            })
            .collect();
        assert_eq!(links[0], (LinkType::WikiLink { has_pothole: false }, "3(b)(ii)".into()));
        assert_eq!(links[1].1, CITATION_DEST);
    }

    #[test]
    fn external_destinations_are_recognised() {
        assert!(is_external("https://example.org/a.md"));
        assert!(is_external("mailto:a@b.c"));
        assert!(!is_external("../sources/a.md"));
        assert_eq!(percent_decode("My%20Note.md"), "My Note.md");
        assert_eq!(percent_decode("100%"), "100%");
    }

    #[test]
    fn block_ids_and_comment_marks_are_not_text() {
        let rest = "Interest belongs to the tenant. ^interest\nNext";
        assert_eq!(visible_text("Interest belongs to the tenant. ^interest", rest), "Interest belongs to the tenant.");
        assert_eq!(visible_text("Costs ^2 each", "Costs ^2 each and more\n"), "Costs ^2 each");
        assert_eq!(visible_text("Notes.   \u{200b}", "Notes.   \u{200b}\nMore"), "Notes.");
        assert_eq!(trailing_block_id("Text ^a1  \u{200b}", "Text ^a1  \u{200b}\n"), Some(("Text", "a1")));
        let text = "# T\n\nShown. ^abc\nA comment was here.    \u{200b}\n```\ncode ^kept\n```\n";
        let hidden: Vec<&str> = hidden_ranges(text, 0).into_iter().map(|r| &text[r]).collect();
        assert_eq!(hidden, [" ^abc", "    \u{200b}"]);
    }

    #[test]
    fn a_block_id_alone_on_its_line_is_not_text() {
        assert_eq!(own_line_block_id("^deposit-rules  "), Some("deposit-rules"));
        assert_eq!(own_line_block_id("^"), None);
        assert_eq!(own_line_block_id("^not an id"), None);
        assert_eq!(own_line_block_id("x ^a1"), None, "a trailing id, not an own-line one");
        assert_eq!(visible_text("^rules", "^rules\n\nNext"), "");
        assert_eq!(visible_text("^rules", "^rules and more\n"), "^rules", "followed by prose, it is prose");
        let text = "- one\n- two\n\n^list\n\n```\n^kept\n```\n";
        let hidden: Vec<&str> = hidden_ranges(text, 0).into_iter().map(|r| &text[r]).collect();
        assert_eq!(hidden, ["^list\n"]);
    }
}
