//! Note bodies to HTML.
//!
//! The body is parsed again with the loader's options (see [`crate::markdown`]), and each
//! link event is matched, by its byte offset, with the reference the resolve stage
//! resolved there: wikilinks become links with the target's label, citations become short
//! citations, relative links and images point at their published location. An embed of
//! a note (`![[note]]`, `![[note#Heading]]`, `![[note#^block]]`) draws that note, section
//! or block in place, rendered as on its own page inside a captioned figure, with its ids
//! prefixed and its headings moved under the embedding heading; an embed of a structured
//! item (a deadline, a source…) is a summary card. Headings get the anchors the loader assigned; fenced code is
//! highlighted; fenced `docket` blocks are directives rendered by the page layer (a
//! filtered deadline table, for instance).

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use crate::load::{Document, Syntax};
use crate::markdown::{self, CITATION_DEST};
use crate::model::{Item, ItemId, Kind, Site};
use crate::render::derived::Derived;
use crate::render::urls::Urls;
use crate::render::views::{claim_anchor, supported_claim};
use crate::render::{highlight, raw_html};
use crate::resolve::embeds::MAX_DEPTH;
use crate::resolve::{Graph, Resolved, Target};
use crate::text::{escape_html, human_date};

/// Renders a `docket` directive block: gets the block's TOML, returns HTML or a message
/// saying what is wrong.
pub type Directives<'a> = dyn Fn(&str) -> Result<String, String> + Sync + 'a;

/// Everything needed to render one body.
pub struct Body<'a> {
    /// The site.
    pub site: &'a Site,
    /// The resolved graph.
    pub graph: &'a Graph,
    /// URL maker.
    pub urls: &'a Urls,
    /// Route of the page the body lands on.
    pub route: &'a str,
    /// The document.
    pub doc: &'a Document,
    /// Its text ([`Document::text`]).
    pub text: &'a str,
    /// Its resolved references.
    pub references: &'a [Resolved],
    /// Renders directive blocks.
    pub directives: &'a Directives<'a>,
    /// Make every link absolute (e-mail).
    pub absolute: bool,
    /// Summaries as readers see them, for embed cards.
    pub derived: &'a Derived,
}

/// A rendered body and the directive problems found while rendering it.
pub struct RenderedBody {
    /// The HTML.
    pub html: String,
    /// `(byte offset, message)` of each directive that could not be rendered.
    pub problems: Vec<(usize, String)>,
}

/// Renders a body to HTML.
pub fn render(body: &Body<'_>) -> RenderedBody {
    let budget = Budget::default();
    let scope = Scope { budget: &budget, chain: Vec::new(), inside: None };
    let part = Part { range: body.doc.body_start..body.text.len(), first_heading: 0, top_level: 1 };
    render_part(body, &scope, &part)
}

/// True for the kinds whose embeds draw the embedded text itself: prose (notes, terms,
/// provisions and instruments). A deadline, source, agency, audience or alert is shown by
/// its summary card, since its page is mostly what the site computes about it.
pub fn transcludes(kind: Kind) -> bool {
    matches!(kind, Kind::Note | Kind::Term | Kind::Provision | Kind::Instrument)
}

/// Where a body is drawn: on its own page, or inside another note's page as an embed.
struct Scope<'s> {
    /// What the page's embeds have drawn so far, counted across nested embeds.
    budget: &'s Budget,
    /// The notes being embedded around this body, outermost first: a note already in the
    /// chain (a cycle, an error the resolve stage reports) or a chain as deep as
    /// [`MAX_DEPTH`] is shown as a card instead, so drawing always ends.
    chain: Vec<ItemId>,
    /// Inside an embed: how its ids, headings and same-page links change.
    inside: Option<Inside>,
}

/// Most embeds one page draws in place; later ones are cards. Depth alone does not bound
/// a page: eight levels of notes each embedding ten others would be 10⁸ copies.
const MAX_EMBEDS: usize = 500;
/// Most bytes of embedded source one page draws in place; later embeds are cards.
const MAX_EMBEDDED_BYTES: usize = 8 << 20;

/// What one page's embeds have drawn.
#[derive(Default)]
struct Budget {
    /// Embeds drawn: each gets its own number, so the ids inside it are unique on the page.
    embeds: Cell<usize>,
    /// Bytes of source they drew.
    bytes: Cell<usize>,
}

impl Budget {
    /// Takes an embed of `bytes` from the budget: its number, or `None` when the page has
    /// drawn enough.
    fn take(&self, bytes: usize) -> Option<usize> {
        let (number, total) = (self.embeds.get() + 1, self.bytes.get() + bytes);
        if number > MAX_EMBEDS || total > MAX_EMBEDDED_BYTES {
            return None;
        }
        self.embeds.set(number);
        self.bytes.set(total);
        Some(number)
    }
}

/// How a body drawn inside another page changes.
struct Inside {
    /// Put before every id (`embed-2--`): a page's own anchors are slugs, which never hold
    /// `--`, so embedded ids cannot take a heading's id.
    prefix: String,
    /// The level of the highest heading drawn, which becomes `base`.
    top: u8,
    /// One below the heading the embed sits under.
    base: u8,
    /// The embedded note's route, where its same-page links go.
    route: String,
}

/// The part of a body to draw: a byte range of whole top-level blocks.
struct Part {
    /// Byte range in the file.
    range: Range<usize>,
    /// How many headings of the body come before the range (the outline's index of the
    /// first heading in it).
    first_heading: usize,
    /// The level of the highest heading drawn (1 when none is).
    top_level: u8,
}

impl Part {
    /// The part of `doc` an embed names: the whole body, the section under heading
    /// `anchor` (to the next heading of the same or a higher level), or the top-level
    /// block holding block id `^id`. `None` when the anchor is not found.
    fn of(doc: &Document, text: &str, anchor: Option<&str>) -> Option<Part> {
        let base = doc.body_start;
        let layout = Layout::of(&text[base..], base);
        let range = match anchor {
            None => base..text.len(),
            Some(anchor) => match anchor.strip_prefix('^') {
                Some(id) => match layout.named_block(id) {
                    Some(block) => block,
                    None => layout.block_at(block_offset(text, base, id)?)?,
                },
                None => {
                    let index = doc.outline.headings.iter().position(|h| h.anchor == anchor)?;
                    let &(start, level, top) = layout.headings.get(index)?;
                    match top {
                        true => start..layout.section_end(index, level).unwrap_or(text.len()),
                        false => layout.block_at(start)?,
                    }
                }
            },
        };
        let first_heading = layout.headings.iter().filter(|h| h.0 < range.start).count();
        let skip_title = usize::from(anchor.is_none() && opens_with_shown_title(doc));
        let top_level = layout
            .headings
            .iter()
            .enumerate()
            .filter(|(n, h)| range.contains(&h.0) && *n >= skip_title)
            .map(|(_, h)| h.1)
            .min()
            .unwrap_or(1);
        Some(Part { range, first_heading, top_level })
    }
}

/// Where a body's headings and top-level blocks are.
struct Layout {
    /// `(start, level, top-level)` of each heading, in order.
    headings: Vec<(usize, u8, bool)>,
    /// Byte ranges of the top-level blocks.
    blocks: Vec<Range<usize>>,
    /// Each block id written alone on its line (`^a1b2`) and the block before it, which it
    /// names.
    named: Vec<(String, Range<usize>)>,
}

impl Layout {
    fn of(markdown: &str, base: usize) -> Layout {
        let mut layout = Layout { headings: Vec::new(), blocks: Vec::new(), named: Vec::new() };
        let mut depth = 0usize;
        for (event, range) in markdown::parser(markdown).into_offset_iter() {
            let range = base + range.start..base + range.end;
            match event {
                Event::Start(tag) => {
                    if let Tag::Heading { level, .. } = tag {
                        layout.headings.push((range.start, level as u8, depth == 0));
                    }
                    if depth == 0 {
                        let own_id = matches!(tag, Tag::Paragraph)
                            .then(|| markdown::own_line_block_id(&markdown[range.start - base..range.end - base]))
                            .flatten();
                        if let (Some(id), Some(before)) = (own_id, layout.blocks.last()) {
                            layout.named.push((id.to_string(), before.clone()));
                        }
                        layout.blocks.push(range);
                    }
                    depth += 1;
                }
                Event::End(_) => depth = depth.saturating_sub(1),
                _ if depth == 0 => layout.blocks.push(range),
                _ => {}
            }
        }
        layout
    }

    /// The block a block id alone on its line names: the one before that line.
    fn named_block(&self, id: &str) -> Option<Range<usize>> {
        self.named.iter().find(|(named, _)| named == id).map(|(_, block)| block.clone())
    }

    /// The top-level block holding byte `at`.
    fn block_at(&self, at: usize) -> Option<Range<usize>> {
        self.blocks.iter().find(|b| b.contains(&at)).cloned()
    }

    /// Where the section of heading `index` (of `level`) ends: at the next top-level
    /// heading of the same or a higher level.
    fn section_end(&self, index: usize, level: u8) -> Option<usize> {
        self.headings[index + 1..].iter().find(|h| h.2 && h.1 <= level).map(|h| h.0)
    }
}

/// The offset of the line ending with block id `^id` in the body (from `base` on).
fn block_offset(text: &str, base: usize, id: &str) -> Option<usize> {
    let mut at = base;
    for line in text[base..].split_inclusive('\n') {
        if markdown::trailing_block_id(line, line).is_some_and(|(_, found)| found == id) {
            return Some(at);
        }
        at += line.len();
    }
    None
}

/// True when the body opens with a level-1 heading that says what the page title says,
/// so the page header already shows it and the body leaves it out. A heading that differs
/// from a front-matter `title`, such as `# Article 31A. Saving of laws` under `title:
/// Saving of laws`, is kept.
fn opens_with_shown_title(doc: &Document) -> bool {
    let outline = &doc.outline;
    outline.opens_with_title
        && match (&doc.front.title, &outline.first_heading) {
            (Some(title), Some(heading)) => title.trim() == heading.trim(),
            _ => true,
        }
}

/// Renders `part` of a body, drawn in `scope`.
fn render_part(body: &Body<'_>, scope: &Scope<'_>, part: &Part) -> RenderedBody {
    let mut by_offset: HashMap<usize, Vec<&Resolved>> = HashMap::with_capacity(body.references.len());
    for reference in body.references {
        by_offset.entry(reference.offset).or_default().push(reference);
    }
    let mut writer = Writer {
        body,
        by_offset,
        events: Vec::new(),
        problems: Vec::new(),
        skip_until_end: 0,
        closers: Vec::new(),
        heading: 0,
        code: None,
        skipping_title: false,
        html_block: None,
        image: None,
        quotes: Vec::new(),
        callout_title: false,
        permalink: None,
        scope,
        level: scope.inside.as_ref().map_or(1, |inside| inside.base - 1),
        in_paragraph: false,
        in_heading: false,
        inline: 0,
        reopen_paragraph: false,
    };
    writer.heading = part.first_heading;
    let base = body.doc.body_start;
    let markdown = &body.text[base..];
    // A block id alone on its line (`^a1b2`, after a list, table or quote) is not shown:
    // its anchor goes before the top-level block it follows (if that is drawn here).
    let mut depth = 0usize;
    let mut block_starts_at: Option<usize> = None;
    let mut skipping_id_line = false;
    for (event, range) in markdown::parser(markdown).into_offset_iter() {
        if !part.range.contains(&(base + range.start)) {
            continue;
        }
        let top = depth == 0;
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
        if skipping_id_line {
            skipping_id_line = depth > 0;
            continue;
        }
        let own_id = (top && matches!(event, Event::Start(Tag::Paragraph)))
            .then(|| markdown::own_line_block_id(&markdown[range.clone()]))
            .flatten();
        if let Some(id) = own_id {
            if let Some(at) = block_starts_at {
                writer.anchor_before(at, id);
            }
            skipping_id_line = true;
            continue;
        }
        if top && !matches!(event, Event::End(_)) {
            block_starts_at = Some(writer.events.len());
        }
        writer.event(event, base + range.start);
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, writer.events.into_iter());
    RenderedBody { html, problems: writer.problems }
}

struct Writer<'a, 'b> {
    body: &'b Body<'a>,
    /// Where the body is drawn.
    scope: &'b Scope<'b>,
    /// Level of the heading the text being written sits under (1, the page title, before
    /// any): embedded headings go one below it.
    level: u8,
    in_paragraph: bool,
    /// True inside a heading, where `#word` is not a tag (the loader reads none there).
    in_heading: bool,
    /// Emphasis, strong and struck-out spans open around the text being written.
    inline: usize,
    /// An embed closed the paragraph it was written in: the rest of the paragraph, if it
    /// has any, opens a new one.
    reopen_paragraph: bool,
    by_offset: HashMap<usize, Vec<&'b Resolved>>,
    events: Vec<Event<'b>>,
    problems: Vec<(usize, String)>,
    /// Depth of nested link/image events being swallowed (label replaced).
    skip_until_end: usize,
    /// What to emit at each open link's end: `Some(html)` replaces the end tag.
    closers: Vec<Option<&'static str>>,
    heading: usize,
    code: Option<(String, String, usize)>,
    skipping_title: bool,
    /// An HTML block being collected whole, to be sanitised (untrusted mode only).
    html_block: Option<String>,
    /// For each open block quote, the HTML that closes it when it is a callout.
    quotes: Vec<Option<&'static str>>,
    /// True while the first line of a callout (`[!note] Title`, already written as the
    /// callout's title) is being skipped.
    callout_title: bool,
    /// An image whose alt text is being collected, written as one `<img>` at its end.
    image: Option<OpenImage>,
    /// Anchor of the heading being written, for its permalink.
    permalink: Option<String>,
}

/// An image being written: where it points, its intrinsic size when it is an attachment
/// whose header says it, and its alt text so far.
struct OpenImage {
    src: String,
    title: String,
    size: Option<(u32, u32)>,
    alt: String,
}

impl OpenImage {
    /// The `<img>`: with `width` and `height` when known, so the page does not jump as
    /// images load, and lazy loading, so a long note fetches only what is on screen.
    fn html(&self) -> String {
        let mut html = format!("<img src=\"{}\" alt=\"{}\"", escape_html(&self.src), escape_html(&self.alt));
        if !self.title.is_empty() {
            html.push_str(&format!(" title=\"{}\"", escape_html(&self.title)));
        }
        if let Some((width, height)) = self.size {
            html.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
        }
        html.push_str(" loading=\"lazy\" decoding=\"async\">");
        html
    }
}

/// The width and height an image file's header gives, for an attachment of `site`.
fn intrinsic_size(site: &Site, rel_path: &str) -> Option<(u32, u32)> {
    let attachment = site.attachments.iter().find(|a| a.rel_path == rel_path)?;
    let size = imagesize::size(&attachment.source).ok()?;
    Some((u32::try_from(size.width).ok()?, u32::try_from(size.height).ok()?))
}

impl<'a, 'b> Writer<'a, 'b> {
    fn event(&mut self, event: Event<'b>, offset: usize) {
        if self.skipping_title {
            if let Event::End(TagEnd::Heading(_)) = event {
                self.skipping_title = false;
            }
            return;
        }
        if let Some(open) = &mut self.image {
            match event {
                Event::Text(text) | Event::Code(text) => open.alt.push_str(&text),
                Event::End(TagEnd::Image) => {
                    let html = open.html();
                    self.image = None;
                    self.events.push(Event::InlineHtml(html.into()));
                }
                _ => {}
            }
            return;
        }
        if let Some((lang, text, start)) = &mut self.code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    let (lang, text, start) = (std::mem::take(lang), std::mem::take(text), *start);
                    self.code = None;
                    self.finish_code(&lang, &text, start);
                }
                _ => {}
            }
            return;
        }
        if self.skip_until_end > 0 {
            match event {
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.skip_until_end += 1,
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    self.skip_until_end -= 1;
                    if self.skip_until_end == 0 {
                        self.close();
                    }
                }
                _ => {}
            }
            return;
        }
        if self.reopen_paragraph {
            match event {
                Event::End(TagEnd::Paragraph) => {
                    self.reopen_paragraph = false;
                    self.in_paragraph = false;
                    return;
                }
                Event::SoftBreak | Event::HardBreak => return,
                Event::Text(ref text) if text.trim().is_empty() => return,
                _ => {
                    self.reopen_paragraph = false;
                    self.events.push(Event::Start(Tag::Paragraph));
                }
            }
            if let Event::Text(text) = &event {
                let trimmed = text.trim_start().to_string();
                return self.event(Event::Text(trimmed.into()), offset);
            }
        }
        if self.callout_title && self.skip_callout_title(&event) {
            return;
        }
        let event = match event {
            // What a blanked comment left at a line end is for the parser, not for readers.
            Event::Text(text) if text.ends_with(markdown::LINE_END_MARK) => {
                Event::Text(text.trim_end_matches(markdown::LINE_END_MARK).trim_end().to_string().into())
            }
            Event::FootnoteReference(label) if self.scope.inside.is_some() => {
                Event::FootnoteReference(self.embedded_id(&label).into())
            }
            Event::Start(Tag::FootnoteDefinition(label)) if self.scope.inside.is_some() => {
                Event::Start(Tag::FootnoteDefinition(self.embedded_id(&label).into()))
            }
            other => other,
        };
        match &event {
            Event::Start(Tag::Emphasis | Tag::Strong | Tag::Strikethrough) => self.inline += 1,
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => {
                self.inline = self.inline.saturating_sub(1)
            }
            _ => {}
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                self.in_paragraph = true;
                self.events.push(Event::Start(Tag::Paragraph));
            }
            Event::End(TagEnd::Paragraph) => {
                self.in_paragraph = false;
                self.events.push(Event::End(TagEnd::Paragraph));
            }
            Event::Start(Tag::BlockQuote(kind)) => self.quote_start(kind, offset),
            Event::End(TagEnd::BlockQuote(kind)) => match self.quotes.pop().flatten() {
                Some(closer) => self.events.push(Event::Html(closer.into())),
                None => self.events.push(Event::End(TagEnd::BlockQuote(kind))),
            },
            Event::Text(text) if self.ends_line_with_block_id(&text, offset) => self.block_anchor(text, offset),
            Event::Text(text) if text.contains("==") => self.highlights(text, offset),
            Event::Text(text) if text.contains('#') => {
                self.tagged_text(text, markdown::opens_word(self.body.text, offset))
            }
            Event::Start(Tag::Heading { level, id: _, classes, attrs }) => self.heading_start(level, classes, attrs),
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or_default().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new(), offset));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                self.link(link_type, dest_url, title, id, offset)
            }
            Event::Start(Tag::Image { dest_url, title, .. }) => self.image(dest_url, title, offset),
            Event::End(TagEnd::Link) => self.close(),
            Event::End(TagEnd::Heading(level)) => {
                self.in_heading = false;
                if let Some(anchor) = self.permalink.take() {
                    self.events.push(Event::Html(
                        format!(
                            "<a class=\"heading-link\" href=\"#{}\" aria-label=\"Link to this section\" data-search-ignore>#</a>",
                            escape_html(&anchor)
                        )
                        .into(),
                    ));
                }
                self.in_heading = false;
                // An embedded heading was moved to another level; its end tag goes with it.
                let level = if self.scope.inside.is_some() { heading_level(self.level) } else { level };
                self.events.push(Event::End(TagEnd::Heading(level)));
            }
            Event::Start(Tag::HtmlBlock) if self.sanitising() => self.html_block = Some(String::new()),
            Event::End(TagEnd::HtmlBlock) if self.html_block.is_some() => {
                let block = self.html_block.take().unwrap_or_default();
                self.raw_html(raw_html::sanitize_block(&block));
            }
            Event::Html(html) => match &mut self.html_block {
                Some(block) => block.push_str(&html),
                None => self.raw_html(html.into_string()),
            },
            Event::InlineHtml(html) if self.sanitising() => self.raw_html(raw_html::sanitize_inline(&html)),
            Event::InlineHtml(html) => self.raw_html(html.into_string()),
            other => self.events.push(other),
        }
    }

    /// A block quote, or an Obsidian callout when its first line is `[!type]`, optionally
    /// folded (`[!type]-` closed, `[!type]+` open) and titled.
    fn quote_start(&mut self, kind: Option<pulldown_cmark::BlockQuoteKind>, offset: usize) {
        let line = self.body.text[offset..].lines().next().unwrap_or_default();
        let Some(callout) = Callout::parse(line) else {
            self.quotes.push(None);
            self.events.push(Event::Start(Tag::BlockQuote(kind)));
            return;
        };
        let class = escape_html(&callout.kind);
        let title = escape_html(&callout.title);
        let (open, closer) = match callout.fold {
            None => (
                format!(
                    "<div class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{title}</p>\n"
                ),
                "</div>\n",
            ),
            Some(open) => (
                format!(
                    "<details class=\"callout callout-{class}\"{}><summary class=\"callout-title\">{title}</summary>\n",
                    if open { " open" } else { "" }
                ),
                "</details>\n",
            ),
        };
        self.events.push(Event::Html(open.into()));
        self.quotes.push(Some(closer));
        self.callout_title = true;
    }

    /// Skips the events of a callout's first line (written as its title); true when the
    /// event was part of it.
    fn skip_callout_title(&mut self, event: &Event<'b>) -> bool {
        match event {
            Event::Start(Tag::Paragraph) => true,
            Event::SoftBreak | Event::HardBreak => {
                self.callout_title = false;
                self.in_paragraph = true;
                self.events.push(Event::Start(Tag::Paragraph));
                true
            }
            Event::End(TagEnd::Paragraph) => {
                self.callout_title = false;
                true
            }
            Event::Start(_) | Event::End(_) => {
                self.callout_title = false;
                false
            }
            _ => true,
        }
    }

    /// True when `text` ends with a block id and so does its line in the source (a block id
    /// is the last thing on its line; the same characters mid-line are prose).
    fn ends_line_with_block_id(&self, text: &str, offset: usize) -> bool {
        let rest = &self.body.text[offset.min(self.body.text.len())..];
        markdown::trailing_block_id(text, rest).is_some()
    }

    /// Text ending with an Obsidian block id (` ^a1b2`): the id becomes an anchor that
    /// `[[note#^a1b2]]` links to, and is not shown.
    fn block_anchor(&mut self, text: CowStr<'b>, offset: usize) {
        let Some((before, id)) = markdown::block_id(&text) else { return };
        let before = before.to_string();
        let id = self.embedded_id(&format!("^{id}"));
        self.highlights(before.into(), offset);
        self.events.push(Event::Html(format!("<span class=\"block-anchor\" id=\"{id}\"></span>").into()));
    }

    /// The anchor of a block id written alone on the line after a block, put before the
    /// events of that block (from `index` on), so `[[note#^a1b2]]` lands on its start.
    fn anchor_before(&mut self, index: usize, id: &str) {
        let id = self.embedded_id(&format!("^{id}"));
        let anchor = format!("<span class=\"block-anchor\" id=\"{id}\"></span>");
        self.events.insert(index.min(self.events.len()), Event::Html(anchor.into()));
    }

    /// An id of the body as the page gives it: prefixed inside an embed.
    fn embedded_id(&self, id: &str) -> String {
        match &self.scope.inside {
            Some(inside) => format!("{}{id}", inside.prefix),
            None => id.to_string(),
        }
    }

    /// `==marked==` text, Obsidian's highlight, as `<mark>`; a lone `==` stays as written.
    fn highlights(&mut self, text: CowStr<'b>, offset: usize) {
        let parts: Vec<&str> = text.split("==").collect();
        let after_space = markdown::opens_word(self.body.text, offset);
        if parts.len() < 3 {
            self.tagged_text(text, after_space);
            return;
        }
        let pairs = (parts.len() - 1) / 2 * 2;
        for (n, part) in parts.iter().enumerate() {
            match n {
                0 => {}
                n if n <= pairs && n % 2 == 1 => self.events.push(Event::Html("<mark>".into())),
                n if n <= pairs => self.events.push(Event::Html("</mark>".into())),
                _ => self.events.push(Event::Text("==".into())),
            }
            if !part.is_empty() {
                self.tagged_text(part.to_string().into(), n == 0 && after_space);
            }
        }
    }

    /// Text with Obsidian inline tags (`#policy`) made links to their tag pages; a tag
    /// the site has no page for (on the home page, which carries no tags) stays text.
    fn tagged_text(&mut self, text: CowStr<'b>, after_space: bool) {
        let tags = if self.in_heading || !self.closers.is_empty() || !text.contains('#') {
            Vec::new()
        } else {
            markdown::inline_tags(&text, after_space)
        };
        let mut written = 0;
        for range in tags {
            let name = markdown::clean_tag(&text[range.clone()]);
            let route = markdown::tag_route(&name);
            if self.body.site.tags.by_route(&route).is_none() {
                continue;
            }
            if range.start > written {
                self.events.push(Event::Text(text[written..range.start].to_string().into()));
            }
            let html = format!(
                "<a class=\"tag\" href=\"{}\" rel=\"tag\">#{}</a>",
                escape_html(&self.root_link(&route)),
                escape_html(&name)
            );
            self.events.push(Event::InlineHtml(html.into()));
            written = range.end;
        }
        match written {
            0 => self.events.push(Event::Text(text)),
            _ if written < text.len() => self.events.push(Event::Text(text[written..].to_string().into())),
            _ => {}
        }
    }

    /// Whether content is held to the sanitising policy ([`raw_html`]): in untrusted mode,
    /// and always for the e-mail version (absolute links), which must never carry an
    /// event handler or a script URL whoever wrote the note.
    fn sanitising(&self) -> bool {
        self.body.site.config.untrusted_html || self.body.absolute
    }

    /// Pushes an author's raw HTML with its root links rebased like every other link.
    fn raw_html(&mut self, html: String) {
        let rebased = raw_html::rebase_root_links(&html, &|route| self.root_link(route)).into_owned();
        self.events.push(Event::InlineHtml(rebased.into()));
    }

    /// The href of a root link written by hand, given without its leading `/`.
    fn root_link(&self, route: &str) -> String {
        if self.body.absolute {
            self.body.urls.absolute(route)
        } else {
            self.body.urls.href_with_suffix(self.body.route, route)
        }
    }

    fn heading_start(
        &mut self,
        level: pulldown_cmark::HeadingLevel,
        classes: Vec<CowStr<'b>>,
        attrs: Vec<(CowStr<'b>, Option<CowStr<'b>>)>,
    ) {
        let index = self.heading;
        self.heading += 1;
        if index == 0 && opens_with_shown_title(self.body.doc) {
            self.skipping_title = true;
            return;
        }
        let anchor = self.body.doc.outline.headings.get(index).map(|h| CowStr::from(self.embedded_id(&h.anchor)));
        let level = match &self.scope.inside {
            // Embedded headings sit under the heading the embed is in, keeping their steps.
            Some(inside) => heading_level((level as u8).saturating_sub(inside.top) + inside.base),
            None => level,
        };
        self.level = level as u8;
        self.in_heading = true;
        // `{tabindex=0 autofocus onfocus=…}` would run script on load: where content is not
        // trusted a heading keeps only its id (the loader's anchor) and classes.
        let attrs = if self.sanitising() { Vec::new() } else { attrs };
        // Off-site versions (print, e-mail) get no permalinks: they have no use there; nor
        // do embedded headings, which are the embedded note's sections, not this page's.
        let own = !self.body.absolute && self.scope.inside.is_none();
        self.permalink = anchor.as_ref().filter(|_| own).map(|a| a.to_string());
        self.events.push(Event::Start(Tag::Heading { level, id: anchor, classes, attrs }));
    }

    fn close(&mut self) {
        match self.closers.pop() {
            Some(Some(html)) => self.events.push(Event::Html(html.into())),
            Some(None) => self.events.push(Event::End(TagEnd::Link)),
            None => {}
        }
    }

    fn resolved(&self, offset: usize) -> Vec<&'b Resolved> {
        self.by_offset.get(&offset).cloned().unwrap_or_default()
    }

    fn link(&mut self, link_type: LinkType, dest: CowStr<'b>, title: CowStr<'b>, id: CowStr<'b>, offset: usize) {
        let found = self.resolved(offset);
        let Some(first) = found.first().copied() else {
            let dest = self.unresolved_dest(dest);
            self.events.push(Event::Start(Tag::Link { link_type, dest_url: dest, title, id }));
            self.closers.push(None);
            return;
        };
        match first.syntax {
            Syntax::Citation => {
                let html = self.citation(&found);
                self.events.push(Event::Html(html.into()));
                self.swallow(None);
            }
            Syntax::Wikilink => {
                let has_label = matches!(link_type, LinkType::WikiLink { has_pothole: true });
                let html = self.reference_html(first, has_label && first.label.is_some(), dest.as_ref());
                self.events.push(Event::Html(html.into()));
                self.swallow(None);
            }
            _ if dest.as_ref() == CITATION_DEST => self.swallow(None),
            _ => match self.href(&first.target) {
                Some(href) => {
                    self.events.push(Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url: href.into(),
                        title,
                        id,
                    }));
                    self.closers.push(None);
                }
                None => {
                    self.events.push(Event::Html("<span class=\"ref-broken\">".into()));
                    self.closers.push(Some("</span>"));
                }
            },
        }
    }

    fn swallow(&mut self, closer: Option<&'static str>) {
        self.skip_until_end = 1;
        self.closers.push(Some(closer.unwrap_or("")));
    }

    fn image(&mut self, dest: CowStr<'b>, title: CowStr<'b>, offset: usize) {
        let found = self.resolved(offset);
        match found.first() {
            Some(reference) if reference.syntax == Syntax::Embed => {
                match self.transclude(reference) {
                    Some(html) => self.block_in_text(html),
                    None => {
                        let html = self.embed(reference);
                        self.events.push(Event::Html(html.into()));
                    }
                }
                self.skip_until_end = 1;
                self.closers.push(Some(""));
            }
            Some(reference) => {
                let size = match &reference.target {
                    Target::Attachment(path) => intrinsic_size(self.body.site, path),
                    _ => None,
                };
                let src = self.href(&reference.target).unwrap_or_else(|| dest.to_string());
                self.image = Some(OpenImage { src, title: title.to_string(), size, alt: String::new() });
            }
            None => {
                let src = self.unresolved_dest(dest).to_string();
                self.image = Some(OpenImage { src, title: title.to_string(), size: None, alt: String::new() });
            }
        }
    }

    /// A link or image the resolve stage left alone (external, or a plain path). In
    /// absolute mode (e-mail) a path or fragment is made absolute against the page.
    fn unresolved_dest(&self, dest: CowStr<'b>) -> CowStr<'b> {
        if self.sanitising() && !raw_html::is_safe_url(&dest) {
            return CowStr::from("#");
        }
        let has_scheme = dest.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        if has_scheme || dest.starts_with("//") {
            dest
        } else if let Some(route) = dest.strip_prefix('/') {
            self.root_link(route).into()
        } else if self.body.absolute {
            format!("{}{dest}", self.body.urls.absolute(self.body.route)).into()
        } else {
            dest
        }
    }

    fn href(&self, target: &Target) -> Option<String> {
        let urls = self.body.urls;
        let route_href =
            |route: &str| if self.body.absolute { urls.absolute(route) } else { urls.href(self.body.route, route) };
        match target {
            Target::Item { item, anchor } => {
                let mut href = route_href(&self.body.site.items[item.index()].route);
                if let Some(anchor) = anchor {
                    href.push('#');
                    href.push_str(&fragment(anchor));
                }
                Some(href)
            }
            // An embedded note's same-page links go to its own page.
            Target::Anchor(anchor) if self.scope.inside.is_some() => {
                let route = self.scope.inside.as_ref().map_or(self.body.route, |inside| inside.route.as_str());
                Some(format!("{}#{}", route_href(route), fragment(anchor)))
            }
            Target::Anchor(anchor) if self.body.absolute => {
                Some(format!("{}#{}", route_href(self.body.route), fragment(anchor)))
            }
            Target::Anchor(anchor) => Some(format!("#{}", fragment(anchor))),
            Target::Attachment(path) => Some(route_href(path)),
            Target::Broken => None,
        }
    }

    fn reference_html(&self, reference: &Resolved, has_label: bool, written: &str) -> String {
        let label = if has_label {
            reference.label.clone().unwrap_or_default()
        } else {
            self.default_label(reference, written)
        };
        let Some(href) = self.href(&reference.target) else {
            return format!("<span class=\"ref-broken\" title=\"unresolved reference\">{}</span>", escape_html(&label));
        };
        let (kind, date) = match &reference.target {
            Target::Item { item, anchor: None } => {
                let target = self.body.site.item(*item);
                let date = (!has_label).then(|| self.deadline_date(*item)).flatten();
                (target.kind.name(), date)
            }
            Target::Item { item, .. } => (self.body.site.item(*item).kind.name(), None),
            _ => ("anchor", None),
        };
        let title = match &reference.target {
            Target::Item { item, .. } => format!(" title=\"{}\"", escape_html(&self.body.site.item(*item).title)),
            _ => String::new(),
        };
        let date_html = date
            .map(|d| {
                format!(
                    " <span class=\"ref-date\">(due <time datetime=\"{}\">{}</time>)</span>",
                    d.format("%Y-%m-%d"),
                    human_date(d)
                )
            })
            .unwrap_or_default();
        format!(
            "<a class=\"ref ref-{kind}\" href=\"{}\"{title}>{}</a>{date_html}",
            escape_html(&href),
            escape_html(&label)
        )
    }

    fn deadline_date(&self, item: crate::model::ItemId) -> Option<chrono::NaiveDate> {
        self.body.graph.deadlines.get(item.index())?.as_ref()?.due
    }

    fn default_label(&self, reference: &Resolved, written: &str) -> String {
        default_label(self.body.site, self.body.doc, reference, written)
    }

    fn citation(&self, found: &[&Resolved]) -> String {
        let parts: Vec<String> = found
            .iter()
            .map(|reference| {
                let label = match &reference.target {
                    Target::Item { item, .. } => self.body.site.item(*item).short_label(),
                    _ => "unresolved source".to_string(),
                };
                let locator = reference.locator.as_ref().map(|l| format!(", {}", escape_html(l))).unwrap_or_default();
                match self.href(&reference.target) {
                    Some(href) => format!("<a href=\"{}\">{}</a>{locator}", escape_html(&href), escape_html(&label)),
                    None => format!("<span class=\"ref-broken\">{}</span>{locator}", escape_html(&label)),
                }
            })
            .collect();
        format!("<cite class=\"citation\">({})</cite>", parts.join("; "))
    }

    /// A note, section or block embedded in place: `None` when the embed is to be a card
    /// (a structured item; an embed in a heading, a link or emphasis, which cannot hold
    /// blocks; a cycle or too deep a chain; a page past its [`Budget`]; a target whose
    /// text cannot be read).
    fn transclude(&self, reference: &Resolved) -> Option<String> {
        let Target::Item { item, anchor } = &reference.target else { return None };
        let target = self.body.site.item(*item);
        let chain = &self.scope.chain;
        let inline_only = self.in_heading || self.inline > 0 || !self.closers.is_empty();
        if !transcludes(target.kind) || inline_only || chain.contains(item) || chain.len() >= MAX_DEPTH {
            return None;
        }
        let text = target.doc.text().ok()?;
        let part = Part::of(&target.doc, &text, anchor.as_deref())?;
        let number = self.scope.budget.take(part.range.len())?;
        let body = Body {
            doc: &target.doc,
            text: &text,
            references: self.body.graph.references.get(item.index()).map(Vec::as_slice).unwrap_or_default(),
            ..*self.body
        };
        let inside = Inside {
            prefix: format!("embed-{number}--"),
            top: part.top_level,
            base: (self.level + 1).min(6),
            route: target.route.clone(),
        };
        let mut chain = chain.clone();
        chain.push(*item);
        let scope = Scope { budget: self.scope.budget, chain, inside: Some(inside) };
        // Directive problems of the embedded note are reported at its own page.
        let html = render_part(&body, &scope, &part).html;
        let href = self.href(&reference.target)?;
        let label = reference.label.clone().unwrap_or_else(|| self.default_label(reference, ""));
        Some(format!(
            "<figure class=\"embed embed-{kind}\" data-search-ignore>\n<figcaption class=\"embed-source\">From <a href=\"{href}\">{label}</a></figcaption>\n<div class=\"embed-body\">\n{html}</div>\n</figure>\n",
            kind = target.kind.name(),
            href = escape_html(&href),
            label = escape_html(&label),
        ))
    }

    /// Writes block HTML where an inline element stood: the paragraph around it is closed
    /// first (or dropped, when nothing came before) and reopened for any text after it.
    fn block_in_text(&mut self, html: String) {
        if let Some(Event::Text(text)) = self.events.last_mut() {
            *text = text.trim_end().to_string().into();
        }
        if self.in_paragraph {
            if matches!(self.events.last(), Some(Event::Start(Tag::Paragraph))) {
                self.events.pop();
            } else {
                self.events.push(Event::End(TagEnd::Paragraph));
            }
            self.reopen_paragraph = true;
        }
        self.events.push(Event::Html(html.into()));
    }

    fn embed(&self, reference: &Resolved) -> String {
        match &reference.target {
            Target::Attachment(path) => {
                let href = self.href(&reference.target).unwrap_or_default();
                let name = path.rsplit('/').next().unwrap_or(path);
                // Obsidian's `![[image.png|300]]` and `|300x200` size the image; any other
                // label is its alternative text. Unsized, an attachment gets the size its
                // header gives, so the page does not jump as it loads.
                let (size, alt) = match reference.label.as_deref().map(image_size) {
                    Some(Some(size)) => (size, name),
                    Some(None) => (String::new(), reference.label.as_deref().unwrap_or(name)),
                    None => (String::new(), name),
                };
                let size = match intrinsic_size(self.body.site, path) {
                    Some((width, height)) if size.is_empty() => format!(" width=\"{width}\" height=\"{height}\""),
                    _ => size,
                };
                format!(
                    "<img src=\"{}\" alt=\"{}\"{size} loading=\"lazy\" decoding=\"async\">",
                    escape_html(&href),
                    escape_html(alt)
                )
            }
            Target::Item { item, .. } => {
                let target = self.body.site.item(*item);
                let href = self.href(&reference.target).unwrap_or_default();
                let summary = self.body.derived.summary(self.body.site, *item);
                format!(
                    "<span class=\"embed-card embed-{}\"><a class=\"embed-title\" href=\"{}\">{}</a> <span class=\"embed-kind\">{}</span> <span class=\"embed-summary\">{}</span></span>",
                    target.kind.name(),
                    escape_html(&href),
                    escape_html(&item_label_long(target)),
                    target.kind.name(),
                    escape_html(&summary)
                )
            }
            _ => "<span class=\"ref-broken\">embedded note not found</span>".to_string(),
        }
    }

    fn finish_code(&mut self, lang: &str, text: &str, offset: usize) {
        let html = if lang == "docket" {
            match (self.body.directives)(text) {
                Ok(html) => html,
                Err(message) => {
                    self.problems.push((offset, message.clone()));
                    format!("<p class=\"directive-error\">{}</p>", escape_html(&message))
                }
            }
        } else if lang.is_empty() {
            format!("<pre><code>{}</code></pre>\n", escape_html(text))
        } else {
            highlight::highlight(text, lang)
        };
        self.events.push(Event::Html(html.into()));
    }
}

/// An anchor as a URL fragment: a block id's `^` is not allowed there and is written
/// `%5E` (browsers decode a fragment to find the element `id="^a1b2"`).
fn fragment(anchor: &str) -> std::borrow::Cow<'_, str> {
    if anchor.contains('^') { anchor.replace('^', "%5E").into() } else { anchor.into() }
}

/// The heading level numbered `n`, kept within 1 to 6.
fn heading_level(n: u8) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel::*;
    match n {
        0 | 1 => H1,
        2 => H2,
        3 => H3,
        4 => H4,
        5 => H5,
        _ => H6,
    }
}

/// The references of the body of `citing` (`None`: the home page's introduction) with each
/// citation aimed at the claim it supports on its source's page, when there is one
/// ([`supported_claim`]); other references as they are.
pub fn with_claim_anchors<'r>(
    graph: &Graph,
    citing: Option<ItemId>,
    references: &'r [Resolved],
) -> Cow<'r, [Resolved]> {
    let aimed = |reference: &Resolved| match (&reference.target, reference.syntax) {
        (Target::Item { item, anchor: None }, Syntax::Citation) => {
            supported_claim(graph, citing, *item, reference.locator.as_deref()).map(|claim| Resolved {
                target: Target::Item { item: *item, anchor: Some(claim_anchor(claim)) },
                ..reference.clone()
            })
        }
        _ => None,
    };
    if !references.iter().any(|r| aimed(r).is_some()) {
        return Cow::Borrowed(references);
    }
    Cow::Owned(references.iter().map(|r| aimed(r).unwrap_or_else(|| r.clone())).collect())
}

/// ` width="300"` (and ` height="200"`) for an embed label `300` or `300x200`.
fn image_size(label: &str) -> Option<String> {
    fn number(s: &str) -> Option<&str> {
        (!s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit())).then_some(s)
    }
    match label.trim().split_once('x') {
        Some((w, h)) => Some(format!(" width=\"{}\" height=\"{}\"", number(w)?, number(h)?)),
        None => Some(format!(" width=\"{}\"", number(label.trim())?)),
    }
}

/// An Obsidian callout's first line: `> [!warning]- Title`.
#[derive(Debug, PartialEq, Eq)]
struct Callout {
    /// Lower-cased type (`note`, `warning`, any word the author chose).
    kind: String,
    /// The title, or the type capitalised.
    title: String,
    /// `None` when it cannot fold; `Some(open)` for `+` (open) or `-` (closed).
    fold: Option<bool>,
}

impl Callout {
    fn parse(line: &str) -> Option<Callout> {
        let rest = line.trim_start().strip_prefix('>')?.trim_start().strip_prefix("[!")?;
        let (kind, rest) = rest.split_once(']')?;
        let valid = !kind.is_empty() && kind.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_');
        if !valid {
            return None;
        }
        let kind = kind.to_lowercase();
        let (fold, title) = match rest.chars().next() {
            Some('+') => (Some(true), &rest[1..]),
            Some('-') => (Some(false), &rest[1..]),
            _ => (None, rest),
        };
        let title = match title.trim() {
            "" => {
                let mut chars = kind.chars();
                chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
            }
            written => written.to_string(),
        };
        Some(Callout { kind, title, fold })
    }
}

/// How a reference to an item reads when the author gave no label ([`Item::label`]).
pub fn item_label(item: &Item) -> String {
    item.label()
}

/// A longer label for cards ([`Item::label_long`]).
pub fn item_label_long(item: &Item) -> String {
    item.label_long()
}

/// How a reference reads when the author gave no label: the target's label, with the
/// heading's text for a link to a heading ("Sec. 2(d): Where the sources disagree").
/// `doc` is the document the reference sits in (for same-page anchors).
pub fn default_label(site: &Site, doc: &Document, reference: &Resolved, written: &str) -> String {
    match &reference.target {
        Target::Item { item, anchor } => {
            let target = site.item(*item);
            let base = item_label(target);
            match anchor {
                Some(anchor) if !anchor.starts_with('^') => format!("{base}: {}", target.doc.anchor_text(anchor)),
                _ => base,
            }
        }
        Target::Anchor(anchor) => doc.anchor_text(anchor),
        Target::Attachment(path) => path.rsplit('/').next().unwrap_or(path).to_string(),
        Target::Broken => written.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOTE: &str =
        "# Title\n\nIntro.\n\n## A\n\nA text. ^a1\n\n### A.1\n\nDeeper.\n\n> ## Quoted\n\n## B\n\n- item ^b2\n";

    #[test]
    fn a_section_runs_to_the_next_heading_of_its_level_or_higher() {
        let layout = Layout::of(NOTE, 0);
        let levels: Vec<(u8, bool)> = layout.headings.iter().map(|h| (h.1, h.2)).collect();
        assert_eq!(levels, [(1, true), (2, true), (3, true), (2, false), (2, true)]);
        let a = layout.headings[1].0;
        let end = layout.section_end(1, 2).expect("B ends A");
        assert_eq!(&NOTE[a..end], "## A\n\nA text. ^a1\n\n### A.1\n\nDeeper.\n\n> ## Quoted\n\n");
        assert_eq!(layout.section_end(4, 2), None, "the last section runs to the end");
    }

    #[test]
    fn a_block_id_names_the_top_level_block_holding_it() {
        let layout = Layout::of(NOTE, 0);
        let paragraph = layout.block_at(block_offset(NOTE, 0, "a1").expect("a1")).expect("a block");
        assert_eq!(&NOTE[paragraph], "A text. ^a1\n");
        let list = layout.block_at(block_offset(NOTE, 0, "b2").expect("b2")).expect("a block");
        assert_eq!(&NOTE[list], "- item ^b2\n");
        assert_eq!(block_offset(NOTE, 0, "zz"), None);
        assert_eq!(block_offset("Costs ^2 each\n", 0, "2"), None, "mid-line, it is prose");
    }

    #[test]
    fn a_block_id_alone_on_its_line_names_the_block_before_it() {
        let note = "Intro.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n\n^table-1\n\n> Quoted.\n\n^q\n\n- a\n- b\n";
        let layout = Layout::of(note, 0);
        let table = layout.named_block("table-1").expect("the table is named");
        assert_eq!(&note[table], "| A | B |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(&note[layout.named_block("q").expect("the quote is named")], "> Quoted.\n");
        assert_eq!(layout.named_block("a"), None);
        assert_eq!(Layout::of("^first\n", 0).named_block("first"), None, "nothing before it to name");
    }

    #[test]
    fn a_page_draws_a_bounded_number_and_size_of_embeds() {
        let budget = Budget::default();
        assert_eq!(budget.take(10), Some(1));
        assert_eq!(budget.take(MAX_EMBEDDED_BYTES), None, "too big: a card");
        assert_eq!(budget.take(10), Some(2), "a small one still fits");
        let many = Budget::default();
        assert_eq!((0..MAX_EMBEDS + 5).filter_map(|_| many.take(1)).count(), MAX_EMBEDS);
    }

    #[test]
    fn headings_move_within_the_six_levels_and_prose_kinds_transclude() {
        assert_eq!(heading_level(0), pulldown_cmark::HeadingLevel::H1);
        assert_eq!(heading_level(4), pulldown_cmark::HeadingLevel::H4);
        assert_eq!(heading_level(9), pulldown_cmark::HeadingLevel::H6);
        assert!(transcludes(Kind::Note) && transcludes(Kind::Provision));
        assert!(!transcludes(Kind::Deadline) && !transcludes(Kind::Source));
    }
}
