//! One pass over a note's markdown that records what later stages need without rendering:
//! headings with their anchors, every reference with its byte range and the sentence it
//! sits in, the first paragraph as a fallback summary, and whether the note has code.
//!
//! References are kept unresolved (as written); the resolve stage looks them up. Their
//! byte ranges are absolute offsets into the file, so a diagnostic points at the
//! reference itself and the renderer can find its resolution again by offset.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, LinkType, Tag, TagEnd};

use crate::markdown::{self, CITATION_DEST};
use crate::text::slugify;

/// How a reference was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Syntax {
    /// `[[target]]` or `[[target|label]]`.
    Wikilink,
    /// `![[target]]`.
    Embed,
    /// `[label](relative/path.md)`.
    MarkdownLink,
    /// `[@source, locator]`.
    Citation,
    /// A relative link or image to a file that is not markdown (`attachments/a.png`).
    Asset,
}

/// A reference as written in a note, not yet resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawReference {
    /// How it was written.
    pub syntax: Syntax,
    /// The target as written, without the `#anchor` (empty for `[[#anchor]]`).
    pub target: String,
    /// The heading anchor after `#`, if any.
    pub anchor: Option<String>,
    /// The label the author gave (`[[x|label]]`, `[label](x.md)`).
    pub label: Option<String>,
    /// Citation locator (`Sec. 3`) or prefix.
    pub locator: Option<String>,
    /// Byte range in the file.
    pub range: Range<usize>,
    /// The sentence around the reference, for backlinks.
    pub context: String,
    /// The heading the reference sits under, if any.
    pub section: Option<String>,
}

impl RawReference {
    /// True when `other` is the same reference, wherever each sits in its file.
    pub fn same_apart_from_position(&self, other: &RawReference) -> bool {
        let RawReference { syntax, target, anchor, label, locator, range: _, context, section } = self;
        *syntax == other.syntax
            && *target == other.target
            && *anchor == other.anchor
            && *label == other.label
            && *locator == other.locator
            && *context == other.context
            && *section == other.section
    }
}

/// A heading of a note.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// Plain text.
    pub text: String,
    /// Anchor id, unique within the note.
    pub anchor: String,
}

/// What the scan found in one note body.
#[derive(Clone, Debug, Default)]
pub struct Outline {
    /// Headings in order.
    pub headings: Vec<Heading>,
    /// References in order.
    pub references: Vec<RawReference>,
    /// Text of the first heading, for notes without a title.
    pub first_heading: Option<String>,
    /// True when the body opens with a level-1 heading (the renderer drops it, since the
    /// page template shows the title).
    pub opens_with_title: bool,
    /// Plain text of the first paragraph, shortened.
    pub first_paragraph: Option<String>,
    /// Words in the body.
    pub word_count: usize,
    /// True when a fenced code block with a language needs highlighting.
    pub has_code: bool,
    /// Byte ranges of `[[` that never close, for warnings.
    pub unterminated: Vec<usize>,
    /// Links into the site written as paths from its root (`/reporting/`) or as full URLs
    /// (`https://…`), in markdown or in raw HTML `href`/`src`: the resolve stage checks
    /// those that land on this site against its pages and files.
    pub site_links: Vec<SiteLink>,
    /// Where the first Liquid tag or Hugo shortcode (`{% … %}`, `{{< … >}}`, `{{% … %}}`)
    /// outside code sits, with the syntax's name: docket does not run them.
    pub template_syntax: Option<(usize, &'static str)>,
    /// Obsidian inline tags (`#policy`, `#ai/safety`) in prose, without their `#`, in the
    /// order written (see [`markdown::inline_tags`]); not in code, links or headings.
    pub tags: Vec<String>,
}

/// A link written as a root path or a full URL, kept for checking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SiteLink {
    /// The destination as written.
    pub dest: String,
    /// Byte range in the file (of the link, or of the raw HTML holding it).
    pub range: Range<usize>,
}

impl Outline {
    /// True when `other` differs from this outline only in what no page but the note's own
    /// shows: the word count and where references (and unclosed `[[`, which only
    /// diagnostics show) sit in the file. Headings, references, their sentences and the
    /// first paragraph are what other pages read.
    pub fn same_apart_from_positions(&self, other: &Outline) -> bool {
        let Outline {
            headings,
            references,
            first_heading,
            opens_with_title,
            first_paragraph,
            word_count: _,
            has_code,
            unterminated: _,
            site_links: _,
            template_syntax: _,
            tags,
        } = self;
        *headings == other.headings
            && references.len() == other.references.len()
            && references.iter().zip(&other.references).all(|(a, b)| a.same_apart_from_position(b))
            && *first_heading == other.first_heading
            && *opens_with_title == other.opens_with_title
            && *first_paragraph == other.first_paragraph
            && *has_code == other.has_code
            && *tags == other.tags
    }
}

const CONTEXT_LIMIT: usize = 280;
const SUMMARY_LIMIT: usize = 300;

/// Scans `body`, which starts at byte `base` of its file.
pub fn scan(body: &str, base: usize) -> Outline {
    let mut scan = Scanner { base, ..Scanner::default() };
    for (event, range) in markdown::parser(body).into_offset_iter() {
        scan.event(event, range, body);
    }
    scan.outline.unterminated = find_unterminated(body).into_iter().map(|o| o + base).collect();
    scan.outline
}

#[derive(Default)]
struct Scanner {
    base: usize,
    outline: Outline,
    block_text: String,
    pending: Vec<(usize, usize)>,
    heading: Option<(u8, Option<String>, String)>,
    current_section: Option<String>,
    anchors: HashMap<String, usize>,
    in_code: bool,
    /// For each open link or image: true when its written text (`Deposit rules#^a1b2`) is
    /// replaced by what readers see, as for wikilinks and embeds.
    links: Vec<bool>,
    /// The paragraph being read holds text of its own (not only embeds).
    prose: bool,
    blocks_seen: usize,
    in_paragraph: bool,
}

impl Scanner {
    fn event(&mut self, event: Event<'_>, range: Range<usize>, body: &str) {
        match event {
            Event::Start(tag) => self.start(tag, range, body),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                // The source, one byte past the event: markdown may end a text event at
                // the `<` of `{{<`.
                let source = body.get(range.start..range.end + 1).or_else(|| body.get(range.clone()));
                self.find_template_syntax(source.unwrap_or_default(), range.start);
                self.find_tags(&text, markdown::opens_word(body, range.start));
                self.text(markdown::visible_text(&text, &body[range.start..]))
            }
            Event::Code(text) => self.text(&text),
            Event::SoftBreak | Event::HardBreak => self.block_text.push(' '),
            Event::Html(html) | Event::InlineHtml(html) => self.raw_html_links(&html, range),
            _ => {}
        }
    }

    fn find_template_syntax(&mut self, text: &str, start: usize) {
        if self.in_code || self.outline.template_syntax.is_some() {
            return;
        }
        let kinds = [("{%", "Liquid tag"), ("{{<", "Hugo shortcode"), ("{{%", "Hugo shortcode")];
        let found = kinds.iter().filter_map(|(marker, kind)| Some((text.find(marker)?, *kind))).min();
        if let Some((at, kind)) = found {
            self.outline.template_syntax = Some((self.base + start + at, kind));
        }
    }

    fn find_tags(&mut self, text: &str, starts_after_space: bool) {
        if self.in_code || self.heading.is_some() || !self.links.is_empty() || !text.contains('#') {
            return;
        }
        for range in markdown::inline_tags(text, starts_after_space) {
            self.outline.tags.push(markdown::clean_tag(&text[range]));
        }
    }

    /// `href` and `src` values of raw HTML that are root paths or full URLs.
    fn raw_html_links(&mut self, html: &str, range: Range<usize>) {
        let lower = html.to_ascii_lowercase();
        for attribute in ["href=", "src="] {
            for (at, _) in lower.match_indices(attribute) {
                let boundary =
                    at == 0 || !lower.as_bytes()[at - 1].is_ascii_alphanumeric() && lower.as_bytes()[at - 1] != b'-';
                let rest = &html[at + attribute.len()..];
                let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
                let Some(end) = rest[1..].find(quote) else { continue };
                let value = rest[1..1 + end].trim();
                if boundary && is_site_link(value) {
                    let range = self.base + range.start..self.base + range.end;
                    self.outline.site_links.push(SiteLink { dest: value.to_string(), range });
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>, body: &str) {
        match tag {
            Tag::Heading { level, id, .. } => {
                self.flush_block();
                self.heading = Some((heading_level(level), id.map(|i| i.to_string()), String::new()));
            }
            Tag::Paragraph => {
                self.in_paragraph = true;
                self.prose = false;
                self.blocks_seen += 1;
            }
            Tag::CodeBlock(kind) => {
                self.in_code = true;
                self.blocks_seen += 1;
                if let CodeBlockKind::Fenced(lang) = kind {
                    let lang = lang.split_whitespace().next().unwrap_or_default();
                    self.outline.has_code |= !lang.is_empty() && lang != "docket";
                }
            }
            Tag::Link { link_type, dest_url, .. } => self.link(link_type, &dest_url, false, range, body),
            Tag::Image { link_type, dest_url, .. } => self.link(link_type, &dest_url, true, range, body),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) => self.end_heading(),
            TagEnd::Paragraph => {
                if self.outline.first_paragraph.is_none() && !self.block_text.trim().is_empty() && self.prose {
                    self.outline.first_paragraph = Some(shorten(self.block_text.trim(), SUMMARY_LIMIT));
                }
                self.in_paragraph = false;
                self.flush_block();
            }
            TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_) | TagEnd::FootnoteDefinition => self.flush_block(),
            TagEnd::CodeBlock => self.in_code = false,
            TagEnd::Link | TagEnd::Image => {
                self.links.pop();
            }
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        if self.in_code || self.links.last() == Some(&true) {
            return;
        }
        self.outline.word_count += text.split_whitespace().count();
        self.prose |= !text.trim().is_empty();
        match &mut self.heading {
            Some((_, _, heading_text)) => heading_text.push_str(text),
            None => self.block_text.push_str(text),
        }
        if self.heading.is_some() {
            self.block_text.push_str(text);
        }
    }

    fn end_heading(&mut self) {
        let Some((level, explicit_id, text)) = self.heading.take() else { return };
        let text = text.trim().to_string();
        let base = explicit_id.unwrap_or_else(|| slugify(&text));
        let base = if base.is_empty() { "section".to_string() } else { base };
        let count = self.anchors.entry(base.clone()).or_insert(0);
        let anchor = if *count == 0 { base.clone() } else { format!("{base}-{count}") };
        *count += 1;
        if self.outline.headings.is_empty() && self.outline.first_heading.is_none() {
            self.outline.first_heading = Some(text.clone());
            self.outline.opens_with_title = level == 1 && self.blocks_seen == 0;
        }
        self.blocks_seen += 1;
        self.current_section = Some(text.clone());
        self.outline.headings.push(Heading { level, text, anchor });
        self.flush_block();
    }

    fn link(&mut self, link_type: LinkType, dest: &str, image: bool, range: Range<usize>, body: &str) {
        let raw = &body[range.clone()];
        let replaced = matches!(link_type, LinkType::WikiLink { .. });
        if replaced {
            let reference = wikilink(raw, dest, image, matches!(link_type, LinkType::WikiLink { has_pothole: true }));
            // An embedded note's name is no prose of this note's: a paragraph holding only
            // embeds is not its summary.
            let prose = self.prose;
            self.text(&shown_text(&reference));
            self.prose = prose || !image;
        }
        self.links.push(replaced);
        let absolute = self.base + range.start..self.base + range.end;
        let start_in_block = self.block_text.len();
        let references = match link_type {
            LinkType::WikiLink { has_pothole } => vec![wikilink(raw, dest, image, has_pothole)],
            // `<someone@agency.gov>`: the renderer writes it as a `mailto:` link.
            LinkType::Email => Vec::new(),
            _ if dest == CITATION_DEST => citations(raw),
            _ if is_content_path(dest) && !image => {
                let (path, anchor) = split_anchor(dest);
                vec![RawReference {
                    syntax: Syntax::MarkdownLink,
                    target: markdown::percent_decode(&path),
                    anchor,
                    label: None,
                    locator: None,
                    range: 0..0,
                    context: String::new(),
                    section: None,
                }]
            }
            _ if is_site_link(dest) => {
                self.outline.site_links.push(SiteLink { dest: dest.to_string(), range: absolute.clone() });
                Vec::new()
            }
            _ => match local_link(dest, image) {
                Some(reference) => vec![reference],
                None => Vec::new(),
            },
        };
        for mut reference in references {
            reference.range = absolute.clone();
            reference.section = self.current_section.clone();
            self.pending.push((self.outline.references.len(), start_in_block));
            self.outline.references.push(reference);
        }
    }

    fn flush_block(&mut self) {
        if self.heading.is_some() {
            return;
        }
        if !self.pending.is_empty() {
            let sentences = Sentences::of(&self.block_text);
            for (index, offset) in self.pending.drain(..) {
                self.outline.references[index].context = sentences.around(&self.block_text, offset);
            }
        }
        self.block_text.clear();
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

fn split_anchor(target: &str) -> (String, Option<String>) {
    match target.split_once('#') {
        // `[[Sidebar#Open hidden sidebars#Mobile]]`: Obsidian's path of headings, down to
        // the one meant, which is the last.
        Some((page, anchor)) => {
            (page.trim().to_string(), Some(anchor.rsplit('#').next().unwrap_or(anchor).trim().to_string()))
        }
        None => (target.trim().to_string(), None),
    }
}

fn wikilink(raw: &str, dest: &str, image: bool, has_pothole: bool) -> RawReference {
    // In a table cell the pipe before a label is escaped (`[[Table view\|Table]]`, as
    // Obsidian's own help vault writes it), and the target comes with the backslash.
    let dest = dest.strip_suffix('\\').unwrap_or(dest);
    let (target, anchor) = split_anchor(dest);
    // pulldown-cmark gives the target; the label is what follows the pipe in the source.
    let label = has_pothole
        .then(|| raw.trim_start_matches('!').trim_start_matches("[[").trim_end_matches("]]"))
        .and_then(|inner| inner.split_once('|').map(|(_, label)| label.trim().to_string()));
    RawReference {
        syntax: if image { Syntax::Embed } else { Syntax::Wikilink },
        target,
        anchor,
        label,
        locator: None,
        range: 0..0,
        context: String::new(),
        section: None,
    }
}

/// How a wikilink or embed reads before it is resolved: its label, else the target as
/// written without its anchor, else a heading anchor; never a block id.
fn shown_text(reference: &RawReference) -> String {
    let anchor = reference.anchor.as_deref().filter(|a| !a.starts_with('^'));
    match (&reference.label, reference.target.as_str()) {
        (Some(label), _) => label.clone(),
        (None, "") => anchor.unwrap_or_default().to_string(),
        (None, target) => target.to_string(),
    }
}

fn citations(raw: &str) -> Vec<RawReference> {
    let Some(keys) = markdown::parse_citation(raw) else { return Vec::new() };
    keys.into_iter()
        .map(|key| RawReference {
            syntax: Syntax::Citation,
            target: key.key,
            anchor: None,
            label: None,
            locator: key.locator,
            range: 0..0,
            context: String::new(),
            section: None,
        })
        .collect()
}

/// A note named by its path from the content folder (`/sources/news.md`).
fn is_content_path(dest: &str) -> bool {
    let path = dest.split(['#', '?']).next().unwrap_or_default();
    dest.starts_with('/') && !dest.starts_with("//") && path.to_ascii_lowercase().ends_with(".md")
}

/// A root path (`/reporting/`, not `//host/`) or an `http(s)` URL.
fn is_site_link(dest: &str) -> bool {
    (dest.starts_with('/') && !dest.starts_with("//")) || dest.starts_with("http://") || dest.starts_with("https://")
}

fn local_link(dest: &str, image: bool) -> Option<RawReference> {
    if let Some(fragment) = dest.strip_prefix('#').filter(|_| !image) {
        // `[x](#heading)`: checked against this note's headings, like `[[#heading]]`.
        return Some(RawReference {
            syntax: Syntax::MarkdownLink,
            target: String::new(),
            anchor: Some(markdown::percent_decode(fragment)),
            label: None,
            locator: None,
            range: 0..0,
            context: String::new(),
            section: None,
        });
    }
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') || markdown::is_external(dest) {
        return None;
    }
    let (path, anchor) = split_anchor(dest);
    let path = markdown::percent_decode(path.split('?').next().unwrap_or_default());
    let is_markdown = !image && path.to_ascii_lowercase().ends_with(".md");
    Some(RawReference {
        syntax: if is_markdown { Syntax::MarkdownLink } else { Syntax::Asset },
        target: path,
        anchor,
        label: None,
        locator: None,
        range: 0..0,
        context: String::new(),
        section: None,
    })
}

/// Where the sentences of a block start and end, found in one pass so that each of a
/// block's references finds its sentence by binary search: a block with thousands of
/// references on one line stays linear.
struct Sentences {
    /// Offsets just after `. `, `? `, `! ` or `; `.
    starts: Vec<usize>,
    /// Offsets just after the `.`, `?` or `!` of a `. `, `? ` or `! `.
    ends: Vec<usize>,
}

impl Sentences {
    fn of(text: &str) -> Sentences {
        let mut sentences = Sentences { starts: Vec::new(), ends: Vec::new() };
        for (i, pair) in text.as_bytes().windows(2).enumerate() {
            if pair[1] != b' ' {
                continue;
            }
            match pair[0] {
                b'.' | b'?' | b'!' => {
                    sentences.starts.push(i + 2);
                    sentences.ends.push(i + 1);
                }
                b';' => sentences.starts.push(i + 2),
                _ => {}
            }
        }
        sentences
    }

    /// The sentence around byte `offset` of `text`, shortened to a readable length.
    fn around(&self, text: &str, offset: usize) -> String {
        let offset = offset.min(text.len());
        let start = match self.starts.partition_point(|&s| s <= offset) {
            0 => 0,
            n => self.starts[n - 1],
        };
        let end = self.ends.get(self.ends.partition_point(|&e| e <= offset)).copied().unwrap_or(text.len());
        shorten(text[start..end].trim(), CONTEXT_LIMIT)
    }
}

/// `text` with runs of white space collapsed, cut at a word boundary to at most `limit`
/// characters (plus `…`). Reads only as much of `text` as the result needs.
fn shorten(text: &str, limit: usize) -> String {
    let mut collapsed = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        let needed = word.chars().count() + usize::from(chars > 0);
        if chars + needed > limit {
            if chars == 0 {
                collapsed.extend(word.chars().take(limit));
            }
            collapsed.push('…');
            return collapsed;
        }
        if chars > 0 {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
        chars += needed;
    }
    collapsed
}

/// Offsets (in `body`) of `[[` that have no `]]` on the same line, outside code.
fn find_unterminated(body: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut offset = 0;
    let mut in_fence = false;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
        } else if !in_fence {
            let mut search = 0;
            while let Some(open) = line[search..].find("[[") {
                let at = search + open;
                let in_code_span = line[..at].matches('`').count() % 2 == 1;
                match line[at + 2..].find("]]") {
                    Some(close) => search = at + 2 + close + 2,
                    None => {
                        if !in_code_span {
                            found.push(offset + at);
                        }
                        break;
                    }
                }
            }
        }
        offset += line.len();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_anchors() {
        let outline = scan("# Title\n\n## Open questions\n\n## Open questions {#custom}\n\n## Open questions\n", 0);
        let anchors: Vec<_> = outline.headings.iter().map(|h| h.anchor.as_str()).collect();
        assert_eq!(anchors, ["title", "open-questions", "custom", "open-questions-1"]);
        assert!(outline.opens_with_title);
        assert_eq!(outline.first_heading.as_deref(), Some("Title"));
    }

    #[test]
    fn inline_tags_are_read_from_prose_only() {
        let body = "# Heading #not\n\n#first line, *#emphasised* and [#linked](x) or `#code`.\n\n\
                    - #listed\n\n```\n#fenced\n```\n\nMid\\#escaped and a&#35;b.\n";
        assert_eq!(scan(body, 0).tags, ["first", "emphasised", "listed"]);
    }

    #[test]
    fn references_carry_range_label_and_sentence() {
        let body = "Intro. The agency [[cisa|CISA]] must act within 30 days. Later text.\n";
        let outline = scan(body, 10);
        let reference = &outline.references[0];
        assert_eq!(reference.syntax, Syntax::Wikilink);
        assert_eq!(reference.target, "cisa");
        assert_eq!(reference.label.as_deref(), Some("CISA"));
        assert_eq!(reference.range.start, 10 + body.find("[[").expect("link"));
        assert_eq!(reference.context, "The agency CISA must act within 30 days.");
    }

    #[test]
    fn each_reference_of_a_long_line_gets_its_own_sentence_shortened() {
        let body: String = (0..2_000).map(|i| format!("Sentence {i} cites [[b]]. ")).collect();
        let outline = scan(&body, 0);
        assert_eq!(outline.references.len(), 2_000);
        assert_eq!(outline.references[1_234].context, "Sentence 1234 cites b.");
        let endless = format!("{} [[b]] {}", "word ".repeat(1_000), "more ".repeat(1_000));
        let context = &scan(&endless, 0).references[0].context;
        assert!(context.ends_with('…') && context.chars().count() <= CONTEXT_LIMIT + 1, "{context}");
    }

    #[test]
    fn code_is_left_alone() {
        let outline = scan("`[[not-a-link]]`\n\n```\n[[nor-this]]\n```\n\n```rust\nfn x() {}\n```\n", 0);
        assert!(outline.references.is_empty());
        assert!(outline.has_code);
        assert!(outline.unterminated.is_empty());
    }

    #[test]
    fn citations_links_anchors_and_assets() {
        let body =
            "See [@a, Sec. 2; @b] and [x](../sources/My%20Note.md#part) and ![i](img/a.png) and [[s#Heading Text]].";
        let outline = scan(body, 0);
        let found: Vec<_> = outline
            .references
            .iter()
            .map(|r| (r.syntax, r.target.as_str(), r.anchor.as_deref(), r.locator.as_deref()))
            .collect();
        assert_eq!(
            found,
            vec![
                (Syntax::Citation, "a", None, Some("Sec. 2")),
                (Syntax::Citation, "b", None, None),
                (Syntax::MarkdownLink, "../sources/My Note.md", Some("part"), None),
                (Syntax::Asset, "img/a.png", None, None),
                (Syntax::Wikilink, "s", Some("Heading Text"), None),
            ]
        );
    }

    #[test]
    fn block_ids_and_comment_marks_stay_out_of_summaries_and_sentences() {
        let body = "Shown [[a#^x]] here.    \u{200b}\nThe rest belongs to [[b|the b]]. ^rest\n";
        let outline = scan(body, 0);
        let first = outline.first_paragraph.expect("a first paragraph");
        assert_eq!(first, "Shown a here. The rest belongs to the b.");
        assert_eq!(outline.references[1].context, "The rest belongs to the b.");
        let opening_embed = scan("![[c#^x]]\n\nOwn words.\n", 0);
        assert_eq!(opening_embed.first_paragraph.as_deref(), Some("Own words."), "an embed is not a summary");
    }

    #[test]
    fn a_path_of_headings_means_the_last_heading() {
        let outline = scan("See [[Sidebar#Open hidden sidebars#Mobile and tablets|on a phone]].\n", 0);
        assert_eq!(outline.references[0].target, "Sidebar");
        assert_eq!(outline.references[0].anchor.as_deref(), Some("Mobile and tablets"));
    }

    /// Obsidian's help vault escapes the label pipe of wikilinks in table cells.
    #[test]
    fn a_wikilink_in_a_table_cell_with_an_escaped_pipe_has_its_target_and_label() {
        let body = "| View | What |\n|---|---|\n| [[Table view\\|Table]] | rows |\n| [[Cards#Grid\\|Cards]] | grid |\n";
        let outline = scan(body, 0);
        let found: Vec<_> =
            outline.references.iter().map(|r| (r.target.as_str(), r.anchor.as_deref(), r.label.as_deref())).collect();
        assert_eq!(found, [("Table view", None, Some("Table")), ("Cards", Some("Grid"), Some("Cards"))]);
    }

    #[test]
    fn unterminated_wikilinks_are_found() {
        assert_eq!(find_unterminated("ok [[a]] then [[broken\n"), vec![14]);
    }
}
