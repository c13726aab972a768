//! Text derived from note bodies for what a reader sees outside the body itself: the
//! summary under a page's title, meta and feed descriptions, index and embed summaries,
//! and the sentence quoted under each backlink.
//!
//! The text comes from the parsed markdown with every reference resolved the way the body
//! renderer prints it: a wikilink reads as its target's label ("Sec. 2(d): Where the
//! sources disagree"), a citation as its short form ("(Client alert, Sec. 2)"). It is never
//! cut from the source text, so no `[[…]]`, `@source` or bare id reaches a reader.
//! Sentences are found with the Unicode sentence-boundary rules (UAX #29, from
//! `unicode-segmentation`) and joined again where a boundary falls after an abbreviation
//! such as "Sec." or "e.g.", so a context never stops at "Sec.".
//!
//! [`Derived::new`] walks every body once per render, in parallel; pages then read by index.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use rayon::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

use crate::load::Syntax;
use crate::markdown::{self, CITATION_DEST, parse_citation};
use crate::model::{Item, ItemId, Site};
use crate::render::markdown::{default_label, item_label, item_label_long};
use crate::resolve::{Graph, Resolved, Target};

/// Longest backlink context, in characters.
const CONTEXT_LIMIT: usize = 280;
/// Longest summary, in characters.
const SUMMARY_LIMIT: usize = 300;
/// Longest meta description, in characters.
const DESCRIPTION_LIMIT: usize = 200;

/// The sentence around one reference and the heading it sits under, both as readers see them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    /// The sentence (shortened around the reference when long); shared by the references
    /// of one sentence.
    pub sentence: Arc<str>,
    /// The heading it sits under, if any.
    pub section: Option<Arc<str>>,
}

/// Derived text of every item, indexed like `site.items`.
#[derive(Debug, Default)]
pub struct Derived {
    /// First paragraph of each body, resolved ("" when there is none).
    first_paragraphs: Vec<String>,
    /// For each item, one context per entry of `graph.references[n]`.
    contexts: Vec<Vec<Context>>,
}

impl Derived {
    /// Walks every body once.
    pub fn new(site: &Site, graph: &Graph) -> Derived {
        let walked: Vec<(String, Vec<Context>)> = site
            .items
            .par_iter()
            .enumerate()
            .map(|(n, item)| {
                let references = graph.references.get(n).map(Vec::as_slice).unwrap_or_default();
                walk(site, item, references)
            })
            .collect();
        let (first_paragraphs, contexts) = walked.into_iter().unzip();
        Derived { first_paragraphs, contexts }
    }

    /// The item's summary as readers see it: the front matter's `summary` with any
    /// reference syntax turned into labels, or else the body's first paragraph, resolved.
    pub fn summary(&self, site: &Site, id: ItemId) -> String {
        let item = site.item(id);
        let from_body = self.first_paragraphs.get(id.index()).map(String::as_str).unwrap_or_default();
        // The model falls back to the outline's first paragraph (source text) when the
        // front matter has no summary; that fallback is replaced by the resolved one.
        match &item.summary {
            Some(summary) if item.doc.outline.first_paragraph.as_ref() != Some(summary) => plain(site, summary),
            _ => fit_sentences(from_body, SUMMARY_LIMIT),
        }
    }

    /// A meta description: the summary, cut to whole sentences of about 200 characters.
    pub fn description(&self, site: &Site, id: ItemId) -> String {
        fit_sentences(&self.summary(site, id), DESCRIPTION_LIMIT)
    }

    /// The contexts of the references in `from` that point at `target` with a syntax
    /// `wanted` accepts, in document order, without repeats.
    pub fn contexts_of(
        &self,
        graph: &Graph,
        from: ItemId,
        target: ItemId,
        wanted: impl Fn(Syntax) -> bool,
    ) -> Vec<&Context> {
        let references = graph.references.get(from.index()).map(Vec::as_slice).unwrap_or_default();
        let contexts = self.contexts.get(from.index()).map(Vec::as_slice).unwrap_or_default();
        let mut found: Vec<&Context> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (reference, context) in references.iter().zip(contexts) {
            let points_here = matches!(reference.target, Target::Item { item, .. } if item == target);
            if points_here && wanted(reference.syntax) && seen.insert(&context.sentence) {
                found.push(context);
            }
        }
        found
    }
}

/// Text from front matter (a summary, an action) as readers see it: wikilinks and
/// markdown links read as their label, citations as "(Short label, locator)", emphasis
/// dropped. Targets are looked up by id, since front matter has no resolved references.
pub fn plain(site: &Site, text: &str) -> String {
    if !text.contains(['[', '*', '_', '`', '<', '@']) {
        return text.to_string();
    }
    let mut out = Block::default();
    let mut swallowing: Option<String> = None;
    let mut depth = 0usize;
    for event in markdown::parser(text) {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                if depth > 0 {
                    depth += 1;
                    continue;
                }
                if dest_url.as_ref() == CITATION_DEST {
                    swallowing = Some(String::new());
                    depth = 1;
                } else if let LinkType::WikiLink { has_pothole: false } = link_type {
                    let id = dest_url.split('#').next().unwrap_or_default();
                    let label =
                        site.by_id.get(id).map(|&i| item_label(site.item(i))).unwrap_or_else(|| dest_url.to_string());
                    out.push(&label);
                    swallowing = None;
                    depth = 1;
                }
            }
            Event::End(TagEnd::Link) if depth > 0 => {
                depth -= 1;
                if depth == 0
                    && let Some(inner) = swallowing.take()
                {
                    out.push(&citation_from_keys(site, &inner));
                }
            }
            Event::Text(t) | Event::Code(t) => match (&mut swallowing, depth) {
                (Some(inner), d) if d > 0 => inner.push_str(&t),
                (None, d) if d > 0 => {}
                _ => out.push(&t),
            },
            Event::SoftBreak | Event::HardBreak => out.push(" "),
            _ => {}
        }
    }
    out.text.trim().to_string()
}

/// "(Client alert, Sec. 2; News report)" from the inside of a `[@…]` citation.
fn citation_from_keys(site: &Site, inner: &str) -> String {
    let Some(keys) = parse_citation(inner) else { return inner.to_string() };
    let parts: Vec<String> = keys
        .iter()
        .map(|key| {
            let label =
                site.by_id.get(&key.key).map(|&i| site.item(i).short_label()).unwrap_or_else(|| key.key.clone());
            match &key.locator {
                Some(locator) => format!("{label}, {locator}"),
                None => label,
            }
        })
        .collect();
    format!("({})", parts.join("; "))
}

/// Text of a block being collected, whitespace collapsed as it is pushed, so positions
/// recorded while collecting stay valid in the finished text.
#[derive(Default)]
struct Block {
    text: String,
}

impl Block {
    fn push(&mut self, piece: &str) {
        for ch in piece.chars() {
            if ch.is_whitespace() {
                if !self.text.is_empty() && !self.text.ends_with(' ') {
                    self.text.push(' ');
                }
            } else {
                self.text.push(ch);
            }
        }
    }
}

/// One body's walk: the first paragraph and one context per reference.
fn walk(site: &Site, item: &Item, references: &[Resolved]) -> (String, Vec<Context>) {
    let Ok(text) = item.doc.text() else { return (String::new(), vec![Context::default(); references.len()]) };
    let mut by_offset: HashMap<usize, Vec<usize>> = HashMap::with_capacity(references.len());
    for (index, reference) in references.iter().enumerate() {
        by_offset.entry(reference.offset).or_default().push(index);
    }
    let mut walker = Walker {
        site,
        item,
        source: &text,
        only_embeds: true,
        references,
        by_offset,
        block: Block::default(),
        markers: Vec::new(),
        skip: 0,
        in_code: false,
        headings_seen: 0,
        in_heading: false,
        section: None,
        first_paragraph: None,
        contexts: vec![Context::default(); references.len()],
    };
    let base = item.doc.body_start;
    let body = text.get(base..).unwrap_or_default();
    for (event, range) in markdown::parser(body).into_offset_iter() {
        walker.event(event, base + range.start);
    }
    walker.flush();
    (walker.first_paragraph.unwrap_or_default(), walker.contexts)
}

struct Walker<'a> {
    site: &'a Site,
    item: &'a Item,
    /// The note's text, for where a text event's line ends.
    source: &'a str,
    /// True while the block holds nothing but embeds, which are not a summary: an embedded
    /// note's label says nothing about the note embedding it.
    only_embeds: bool,
    references: &'a [Resolved],
    by_offset: HashMap<usize, Vec<usize>>,
    block: Block,
    /// `(byte position in the block, reference index)` of references in the block.
    markers: Vec<(usize, usize)>,
    /// Depth of links and images whose inner text is replaced by a label.
    skip: usize,
    in_code: bool,
    headings_seen: usize,
    in_heading: bool,
    section: Option<Arc<str>>,
    first_paragraph: Option<String>,
    contexts: Vec<Context>,
}

impl Walker<'_> {
    fn event(&mut self, event: Event<'_>, offset: usize) {
        if self.skip > 0 {
            match event {
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.skip += 1,
                Event::End(TagEnd::Link | TagEnd::Image) => self.skip -= 1,
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(Tag::Heading { .. }) => {
                self.flush();
                self.in_heading = true;
            }
            Event::End(TagEnd::Heading(_)) => self.end_heading(),
            Event::End(TagEnd::Paragraph) => {
                if self.first_paragraph.is_none() && !self.block.text.trim().is_empty() && !self.only_embeds {
                    self.first_paragraph = Some(self.block.text.trim().to_string());
                }
                self.flush();
            }
            Event::Start(Tag::Item) | Event::End(TagEnd::Item | TagEnd::TableCell | TagEnd::BlockQuote(_)) => {
                self.flush()
            }
            Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
            Event::End(TagEnd::CodeBlock) => self.in_code = false,
            Event::Start(Tag::Link { link_type, dest_url, .. }) => self.link(link_type, &dest_url, offset),
            Event::Start(Tag::Image { .. }) => self.image(offset),
            Event::Text(text) if !self.in_code => {
                let rest = self.source.get(offset..).unwrap_or_default();
                self.push_text(markdown::visible_text(&text, rest));
            }
            Event::Code(text) if !self.in_code => self.push_text(&text),
            Event::SoftBreak | Event::HardBreak => self.block.push(" "),
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        self.only_embeds &= text.trim().is_empty();
        self.block.push(text);
    }

    fn link(&mut self, link_type: LinkType, dest: &str, offset: usize) {
        self.only_embeds = false;
        let found: Vec<usize> = self.by_offset.get(&offset).cloned().unwrap_or_default();
        let position = self.block.text.len();
        self.markers.extend(found.iter().map(|&index| (position, index)));
        let Some(&first) = found.first() else {
            if dest == CITATION_DEST {
                self.skip = 1;
            }
            return;
        };
        let first = &self.references[first];
        match first.syntax {
            Syntax::Citation => {
                let citation = self.citation(&found);
                self.block.push(&citation);
                self.skip = 1;
            }
            Syntax::Wikilink => {
                let has_label = matches!(link_type, LinkType::WikiLink { has_pothole: true });
                let label = match (&first.label, has_label) {
                    (Some(label), true) => label.clone(),
                    _ => default_label(self.site, &self.item.doc, first, dest),
                };
                self.block.push(&label);
                self.skip = 1;
            }
            // Markdown links keep their own text.
            _ => {}
        }
    }

    fn image(&mut self, offset: usize) {
        let found: Vec<usize> = self.by_offset.get(&offset).cloned().unwrap_or_default();
        let embeds_item = matches!(
            found.first().map(|&i| &self.references[i]),
            Some(Resolved { syntax: Syntax::Embed, target: Target::Item { .. }, .. })
        );
        self.only_embeds &= embeds_item;
        let position = self.block.text.len();
        self.markers.extend(found.iter().map(|&index| (position, index)));
        if let Some(Resolved { syntax: Syntax::Embed, target: Target::Item { item, .. }, .. }) =
            found.first().map(|&i| &self.references[i])
        {
            self.block.push(&item_label_long(self.site.item(*item)));
        }
        self.skip = 1;
    }

    fn citation(&self, found: &[usize]) -> String {
        let parts: Vec<String> = found
            .iter()
            .map(|&index| {
                let reference = &self.references[index];
                let label = match &reference.target {
                    Target::Item { item, .. } => self.site.item(*item).short_label(),
                    _ => "unresolved source".to_string(),
                };
                match &reference.locator {
                    Some(locator) => format!("{label}, {locator}"),
                    None => label,
                }
            })
            .collect();
        format!("({})", parts.join("; "))
    }

    fn end_heading(&mut self) {
        self.in_heading = false;
        self.headings_seen += 1;
        let text = self.block.text.trim().to_string();
        let is_title = self.headings_seen == 1 && self.item.doc.outline.opens_with_title;
        if !is_title {
            self.section = (!text.is_empty()).then(|| Arc::from(text));
        }
        self.flush();
    }

    /// Gives each reference of the finished block its sentence, and starts a new block.
    fn flush(&mut self) {
        let only_embeds = std::mem::replace(&mut self.only_embeds, true);
        let text = std::mem::take(&mut self.block.text);
        let markers = std::mem::take(&mut self.markers);
        if markers.is_empty() {
            return;
        }
        if only_embeds {
            // The block is the embedded notes' names alone: say what is embedded instead.
            for (_, index) in markers {
                let sentence = Arc::from(embed_context(self.site, &self.references[index]));
                self.contexts[index] = Context { sentence, section: self.section.clone() };
            }
            return;
        }
        let sentences = sentences(&text);
        // Markers come in text order, so one pass over the sentences finds them all; a
        // short sentence is made once and shared by the references it holds.
        let mut current = 0;
        let mut shared: Option<(usize, Arc<str>)> = None;
        for (position, index) in markers {
            while current + 1 < sentences.len() && sentences[current].end <= position {
                current += 1;
            }
            let Some(range) = sentences.get(current) else { continue };
            let whole = text[range.clone()].trim();
            let sentence = match &shared {
                Some((at, sentence)) if *at == current => Arc::clone(sentence),
                _ if whole.len() <= CONTEXT_LIMIT => {
                    let sentence: Arc<str> = Arc::from(whole);
                    shared = Some((current, Arc::clone(&sentence)));
                    sentence
                }
                _ => {
                    let lead = text[range.start..].len() - text[range.start..].trim_start().len();
                    let at = position.saturating_sub(range.start + lead).min(whole.len());
                    Arc::from(shorten_around(whole, at, CONTEXT_LIMIT))
                }
            };
            self.contexts[index] = Context { sentence, section: self.section.clone() };
        }
    }
}

/// The backlink sentence of an embed standing alone in its block, where the embedding
/// note says nothing around it: what it draws of the note.
fn embed_context(site: &Site, reference: &Resolved) -> String {
    match &reference.target {
        Target::Item { item, anchor: Some(anchor) } if !anchor.starts_with('^') => {
            format!("Embeds the section “{}”.", site.item(*item).doc.anchor_text(anchor))
        }
        Target::Item { anchor: Some(_), .. } => "Embeds a passage.".to_string(),
        _ => "Embeds the whole note.".to_string(),
    }
}

/// Byte ranges of the sentences of `text`: UAX #29 boundaries, joined again after an
/// abbreviation ("Sec. 3", "e.g. a", "U.S. law", an initial).
pub fn sentences(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    let mut join_next = false;
    for (start, piece) in text.split_sentence_bound_indices() {
        let end = start + piece.len();
        match ranges.last_mut() {
            Some(last) if join_next => last.end = end,
            _ => ranges.push(start..end),
        }
        join_next = ends_with_abbreviation(piece);
    }
    ranges
}

/// True when a segment ends with a word that is an abbreviation, not a sentence's end.
fn ends_with_abbreviation(segment: &str) -> bool {
    const WORDS: [&str; 24] = [
        "sec", "secs", "no", "nos", "art", "arts", "para", "paras", "p", "pp", "cf", "v", "vs", "mr", "ms", "mrs",
        "dr", "st", "fig", "ch", "vol", "al", "approx", "pub",
    ];
    let Some(word) = segment.trim_end().rsplit(char::is_whitespace).next() else { return false };
    let Some(word) = word.trim_start_matches(['(', '[', '"', '“']).strip_suffix('.') else { return false };
    word.contains('.') || word.chars().count() == 1 || WORDS.contains(&word.to_lowercase().as_str())
}

/// Whole sentences of `text` up to `limit` characters; the first sentence shortened at a
/// word boundary when it alone is longer.
pub fn fit_sentences(text: &str, limit: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut end = 0;
    for range in sentences(text) {
        // A character is at most four bytes: past that, no need to count.
        if range.end > limit * 4 || text[..range.end].trim_end().chars().count() > limit {
            break;
        }
        end = range.end;
    }
    if end > 0 { text[..end].trim_end().to_string() } else { shorten_around(text, 0, limit) }
}

/// `text` cut to about `limit` characters around byte `at`, at word boundaries, with "…"
/// where something was left out. Works in time proportional to `limit`, not to the text,
/// since a note may hold one enormous paragraph with thousands of references.
pub fn shorten_around(text: &str, at: usize, limit: usize) -> String {
    let limit = limit.max(1);
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let back =
        |from: usize, chars: usize| text[..from].char_indices().rev().take(chars).last().map_or(from, |(i, _)| i);
    let mut start = back(at, limit / 3);
    let end = text[start..].char_indices().nth(limit).map_or(text.len(), |(i, _)| start + i);
    if end == text.len() {
        start = back(end, limit);
    }
    if start == 0 && end == text.len() {
        return text.to_string();
    }
    let mut from = start;
    let mut to = end;
    if from > 0 {
        from = text[from..to].find(' ').map_or(from, |s| from + s + 1);
    }
    if to < text.len() {
        to = text[from..to].rfind(' ').map_or(to, |s| from + s);
    }
    let slice = text[from..to].trim_end_matches([',', ';', ':', ' ']);
    format!("{}{slice}{}", if from > 0 { "…" } else { "" }, if to < text.len() { "…" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text).into_iter().map(|r| text[r].trim()).collect()
    }

    #[test]
    fn sentences_do_not_end_after_abbreviations() {
        assert_eq!(
            split("Treasury acts under Sec. 2(d) of the order. See Sec. 3 The rest (e.g. NSA) follows. Done."),
            ["Treasury acts under Sec. 2(d) of the order.", "See Sec. 3 The rest (e.g. NSA) follows.", "Done."]
        );
        assert_eq!(
            split("Die Frist läuft am 1. Juli ab. Danach nicht."),
            ["Die Frist läuft am 1. Juli ab.", "Danach nicht."]
        );
    }

    #[test]
    fn long_text_is_cut_at_words_around_the_reference() {
        let text = format!("{} NEEDLE {}", "word ".repeat(100), "more ".repeat(100));
        let at = text.find("NEEDLE").expect("needle");
        let short = shorten_around(&text, at, 80);
        assert!(short.contains("NEEDLE") && short.starts_with('…') && short.ends_with('…'), "{short}");
        assert!(short.chars().count() <= 82, "{short}");
        assert!(!short.contains("wor…") && !short.contains("…ord"), "{short}");
    }

    #[test]
    fn fitting_keeps_whole_sentences() {
        assert_eq!(fit_sentences("One two. Three four five. Six.", 20), "One two.");
        assert_eq!(fit_sentences("Short.", 20), "Short.");
        assert_eq!(fit_sentences("A very long first sentence indeed", 12), "A very long…");
    }
}
