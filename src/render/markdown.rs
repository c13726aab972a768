//! Note bodies to HTML.
//!
//! The body is parsed again with the loader's options (see [`crate::markdown`]), and each
//! link event is matched, by its byte offset, with the reference the resolve stage
//! resolved there: wikilinks become links with the target's label, citations become short
//! citations, embeds become summary cards, relative links and images point at their
//! published location. Headings get the anchors the loader assigned; fenced code is
//! highlighted; fenced `docket` blocks are directives rendered by the page layer (a
//! filtered deadline table, for instance).

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use crate::load::{Document, Syntax};
use crate::markdown::{self, CITATION_DEST};
use crate::model::{Item, Site};
use crate::render::derived::Derived;
use crate::render::urls::Urls;
use crate::render::{highlight, raw_html};
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
        in_heading: false,
    };
    let base = body.doc.body_start;
    let markdown = &body.text[base..];
    for (event, range) in markdown::parser(markdown).into_offset_iter() {
        writer.event(event, base + range.start);
    }
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, writer.events.into_iter());
    RenderedBody { html, problems: writer.problems }
}

struct Writer<'a, 'b> {
    body: &'b Body<'a>,
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
    /// True inside a heading, where `#word` is not a tag (the loader reads none there).
    in_heading: bool,
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
        if self.callout_title && self.skip_callout_title(&event) {
            return;
        }
        match event {
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
        let Some((_, id)) = block_id(text) else { return false };
        let rest = &self.body.text[offset.min(self.body.text.len())..];
        let line = rest.split('\n').next().unwrap_or_default().trim_end();
        line.ends_with(&format!(" ^{id}"))
    }

    /// Text ending with an Obsidian block id (` ^a1b2`): the id becomes an anchor that
    /// `[[note#^a1b2]]` links to, and is not shown.
    fn block_anchor(&mut self, text: CowStr<'b>, offset: usize) {
        let Some((before, id)) = block_id(&text) else { return };
        let before = before.to_string();
        let id = id.to_string();
        self.highlights(before.into(), offset);
        self.events.push(Event::Html(format!("<span class=\"block-anchor\" id=\"^{id}\"></span>").into()));
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
        if index == 0 && self.body.doc.outline.opens_with_title && self.heading_is_title() {
            self.skipping_title = true;
            return;
        }
        self.in_heading = true;
        let anchor = self.body.doc.outline.headings.get(index).map(|h| CowStr::from(h.anchor.clone()));
        // `{tabindex=0 autofocus onfocus=…}` would run script on load: where content is not
        // trusted a heading keeps only its id (the loader's anchor) and classes.
        let attrs = if self.sanitising() { Vec::new() } else { attrs };
        // Off-site versions (print, e-mail) get no permalinks: they have no use there.
        self.permalink = anchor.as_ref().filter(|_| !self.body.absolute).map(|a| a.to_string());
        self.events.push(Event::Start(Tag::Heading { level, id: anchor, classes, attrs }));
    }

    /// True when the opening heading says what the page title says (so the page header
    /// already shows it). A heading that differs from a front-matter `title`, such as
    /// `# Article 31A. Saving of laws` under `title: Saving of laws`, is kept.
    fn heading_is_title(&self) -> bool {
        let outline = &self.body.doc.outline;
        match (&self.body.doc.front.title, &outline.first_heading) {
            (Some(title), Some(heading)) => title.trim() == heading.trim(),
            _ => true,
        }
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
                let html = self.embed(reference);
                self.events.push(Event::Html(html.into()));
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
                    href.push_str(anchor);
                }
                Some(href)
            }
            Target::Anchor(anchor) if self.body.absolute => Some(format!("{}#{anchor}", route_href(self.body.route))),
            Target::Anchor(anchor) => Some(format!("#{anchor}")),
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

/// The text before a trailing Obsidian block id and the id (`Text. ^a1b2` → `Text.`,
/// `a1b2`).
fn block_id(text: &str) -> Option<(&str, &str)> {
    let trimmed = text.trim_end();
    let (before, id) = trimmed.rsplit_once(" ^")?;
    let valid = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    valid.then_some((before, id))
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
                Some(anchor) => format!("{base}: {}", heading_text(&target.doc, anchor)),
                None => base,
            }
        }
        Target::Anchor(anchor) => heading_text(doc, anchor),
        Target::Attachment(path) => path.rsplit('/').next().unwrap_or(path).to_string(),
        Target::Broken => written.to_string(),
    }
}

fn heading_text(doc: &Document, anchor: &str) -> String {
    doc.outline.headings.iter().find(|h| h.anchor == anchor).map_or_else(|| anchor.to_string(), |h| h.text.clone())
}
