//! Note bodies to MediaWiki wikitext, written from pulldown-cmark events and the resolve
//! stage's references, never from the source text: no authoring syntax (`[[…]]`, `[@…]`,
//! ids) can reach the wiki.
//!
//! The body is parsed with the loader's options (see [`crate::markdown`]) and each link
//! event is matched, by its byte offset, with the reference resolved there, as the HTML
//! renderer does. Every piece of the author's text goes through [`escape`], which turns
//! the characters wikitext would read as markup (`[`, `]`, `{`, `}`, `|`, `=`, `'`, `~`,
//! `<`, `&`, `__`, and `*#:;` at the start of a line) into character references, so a
//! note's `]]`, `{{` or `~~~~` renders as text.

use std::collections::HashMap;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use crate::load::{Document, Syntax};
use crate::markdown::{self, CITATION_DEST};
use crate::model::{ItemId, Site};
use crate::render::markdown::{item_label, item_label_long};
use crate::resolve::{Resolved, Target};

/// What the writer needs to know about the wiki and the other pages.
pub trait Wiki {
    /// The title of an item's page.
    fn item_title(&self, item: ItemId) -> &str;
    /// The file name (without `File:`) an attachment was uploaded as, if it was.
    fn file_name(&self, path: &str) -> Option<&str>;
    /// True when the wiki has the SyntaxHighlight extension (`<syntaxhighlight>`).
    fn has_syntaxhighlight(&self) -> bool;
    /// True when the wiki has the Cite extension (`<ref>`, `<references/>`).
    fn has_cite(&self) -> bool;
    /// The title of the deadline table page (where `docket` directive blocks point).
    fn deadlines_title(&self) -> &str;
}

/// Everything needed to write one body.
pub struct Body<'a> {
    /// The site.
    pub site: &'a Site,
    /// The document.
    pub doc: &'a Document,
    /// Its text ([`Document::text`]).
    pub text: &'a str,
    /// Its resolved references.
    pub references: &'a [Resolved],
    /// Titles and wiki features.
    pub wiki: &'a dyn Wiki,
}

/// Escapes text so wikitext shows it as written. `line_start` says whether the text opens
/// a line, where `*`, `#`, `:`, `;`, `-`, `!` and a space are markup too.
pub fn escape(text: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (n, c) in text.chars().enumerate() {
        let opens_line = n == 0 && line_start;
        match c {
            '[' => out.push_str("&#91;"),
            ']' => out.push_str("&#93;"),
            '{' => out.push_str("&#123;"),
            '}' => out.push_str("&#125;"),
            '|' => out.push_str("&#124;"),
            '=' => out.push_str("&#61;"),
            '\'' => out.push_str("&#39;"),
            '~' => out.push_str("&#126;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            // Always, not only in `__`: a `_` ending one text event and one opening the
            // next would make a behaviour switch (`__NOTOC__`) between them.
            '_' => out.push_str("&#95;"),
            '\n' | '\r' => out.push(' '),
            '*' | '#' | ':' | ';' | '-' | '!' | ' ' if opens_line => {
                out.push_str(&format!("&#{};", c as u32));
            }
            other => out.push(other),
        }
    }
    out
}

/// Escapes a heading anchor for the part after `#` in a link target, where `[`, `]`,
/// `{`, `}`, `|`, `<` and `>` are not allowed: MediaWiki's anchors are the heading's
/// rendered text, and those characters are dropped from the link.
pub fn anchor(text: &str) -> String {
    text.chars().filter(|c| !"[]{}|<>#".contains(*c)).collect::<String>().trim().to_string()
}

/// An internal link: `[[Title#anchor|label]]`, the label escaped.
pub fn link(title: &str, anchor_text: Option<&str>, label: &str) -> String {
    match anchor_text {
        Some(a) => format!("[[{title}#{}|{}]]", anchor(a), escape(label, false)),
        None => format!("[[{title}|{}]]", escape(label, false)),
    }
}

/// Writes a body as wikitext; the footnotes (as `<references>` or a "Notes" list) close it.
pub fn write(body: &Body<'_>) -> String {
    let mut by_offset: HashMap<usize, Vec<&Resolved>> = HashMap::new();
    for reference in body.references {
        by_offset.entry(reference.offset).or_default().push(reference);
    }
    let mut writer = Writer {
        body,
        by_offset,
        out: vec![String::new()],
        lists: Vec::new(),
        heading: 0,
        skip_heading: false,
        code: None,
        swallow: 0,
        closers: Vec::new(),
        table_head: false,
        footnotes: Vec::new(),
        image_alt: None,
    };
    let base = body.doc.body_start;
    for (event, range) in markdown::parser(&body.text[base..]).into_offset_iter() {
        writer.event(event, base + range.start);
    }
    writer.finish()
}

struct Writer<'a, 'b> {
    body: &'b Body<'a>,
    by_offset: HashMap<usize, Vec<&'b Resolved>>,
    /// Output buffers: the body, and above it a footnote definition being written.
    out: Vec<String>,
    /// Open lists: `*` or `#`.
    lists: Vec<char>,
    heading: usize,
    skip_heading: bool,
    code: Option<(String, String)>,
    /// Depth of link or image events whose inner text is not written.
    swallow: usize,
    /// What each open link writes at its end.
    closers: Vec<String>,
    table_head: bool,
    /// Footnote definitions `(label, wikitext)` in order of appearance.
    footnotes: Vec<(String, String)>,
    /// Alt text of an image being collected, with what to write around it.
    image_alt: Option<(String, String)>,
}

impl Writer<'_, '_> {
    fn buf(&mut self) -> &mut String {
        self.out.last_mut().expect("the body buffer is never popped")
    }

    fn at_line_start(&self) -> bool {
        self.out.last().is_none_or(|b| b.is_empty() || b.ends_with('\n'))
    }

    fn push(&mut self, text: &str) {
        self.buf().push_str(text);
    }

    fn text(&mut self, text: &str) {
        let line_start = self.at_line_start();
        let escaped = escape(text, line_start);
        self.push(&escaped);
    }

    fn block_break(&mut self) {
        if self.out.len() > 1 || !self.lists.is_empty() {
            return;
        }
        let buf = self.buf();
        if buf.is_empty() {
            return;
        }
        while !buf.ends_with("\n\n") {
            buf.push('\n');
        }
    }

    fn event(&mut self, event: Event<'_>, offset: usize) {
        if self.skip_heading {
            self.skip_heading = !matches!(event, Event::End(TagEnd::Heading(_)));
            return;
        }
        if let Some((_, code)) = &mut self.code {
            match event {
                Event::Text(t) => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => self.finish_code(),
                _ => {}
            }
            return;
        }
        if let Some((alt, _)) = &mut self.image_alt {
            match event {
                Event::Text(t) | Event::Code(t) => alt.push_str(&t),
                Event::End(TagEnd::Image) => self.finish_image(),
                _ => {}
            }
            return;
        }
        if self.swallow > 0 {
            match event {
                Event::Start(Tag::Link { .. } | Tag::Image { .. }) => self.swallow += 1,
                Event::End(TagEnd::Link | TagEnd::Image) => {
                    self.swallow -= 1;
                    if self.swallow == 0 {
                        self.close_link();
                    }
                }
                _ => {}
            }
            return;
        }
        match event {
            Event::Start(tag) => self.start(tag, offset),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                let rest = self.body.text.get(offset..).unwrap_or_default();
                self.text(markdown::visible_text(&text, rest))
            }
            Event::Code(code) => {
                let escaped = escape(&code, false);
                self.push(&format!("<code>{escaped}</code>"));
            }
            Event::Html(html) | Event::InlineHtml(html) => self.push(&escape_html(&html)),
            Event::SoftBreak => self.push(" "),
            Event::HardBreak => self.push("<br />"),
            Event::Rule => {
                self.block_break();
                self.push("----\n\n");
            }
            Event::FootnoteReference(label) => self.footnote_reference(&label),
            Event::TaskListMarker(done) => self.push(if done { "☑ " } else { "☐ " }),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
        }
    }

    fn start(&mut self, tag: Tag<'_>, offset: usize) {
        match tag {
            Tag::Paragraph if !self.lists.is_empty() && !self.at_line_start() => self.push(" "),
            Tag::Heading { level, .. } => self.heading_start(level),
            Tag::BlockQuote(_) => {
                self.block_break();
                self.push("<blockquote>\n");
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or_default().to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::List(first) => {
                if self.lists.is_empty() {
                    self.block_break();
                }
                self.lists.push(if first.is_some() { '#' } else { '*' });
            }
            Tag::Item => {
                if !self.at_line_start() {
                    self.push("\n");
                }
                let marks: String = self.lists.iter().collect();
                self.push(&format!("{marks} "));
            }
            Tag::FootnoteDefinition(label) => {
                self.footnotes.push((label.to_string(), String::new()));
                self.out.push(String::new());
            }
            Tag::Table(_) => {
                self.block_break();
                self.push("{| class=\"wikitable\"\n");
            }
            Tag::TableHead => self.table_head = true,
            Tag::TableRow => self.push("|-\n"),
            Tag::TableCell => self.push(if self.table_head { "! " } else { "| " }),
            Tag::Emphasis => self.push("''"),
            Tag::Strong => self.push("'''"),
            Tag::Strikethrough => self.push("<s>"),
            Tag::Link { link_type, dest_url, .. } => self.link(link_type, dest_url, offset),
            Tag::Image { dest_url, .. } => self.image(dest_url, offset),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph if self.lists.is_empty() && self.out.len() == 1 => self.push("\n\n"),
            TagEnd::Heading(_) => self.push("\n\n"),
            TagEnd::BlockQuote(_) => {
                let buf = self.buf();
                while buf.ends_with('\n') {
                    buf.pop();
                }
                self.push("\n</blockquote>\n\n");
            }
            TagEnd::List(_) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.push("\n\n");
                }
            }
            TagEnd::FootnoteDefinition => {
                let text = self.out.pop().unwrap_or_default();
                if let Some(last) = self.footnotes.last_mut() {
                    last.1 = text.trim().to_string();
                }
            }
            TagEnd::Table => self.push("|}\n\n"),
            TagEnd::TableHead => self.table_head = false,
            TagEnd::TableCell => self.push("\n"),
            TagEnd::Emphasis => self.push("''"),
            TagEnd::Strong => self.push("'''"),
            TagEnd::Strikethrough => self.push("</s>"),
            TagEnd::Link => self.close_link(),
            _ => {}
        }
    }

    fn heading_start(&mut self, level: HeadingLevel) {
        let index = self.heading;
        self.heading += 1;
        self.skip_heading = true;
        if index == 0 && self.body.doc.outline.opens_with_title {
            return;
        }
        let text = self.body.doc.outline.headings.get(index).map(|h| h.text.clone()).unwrap_or_default();
        let marks = "=".repeat((level as usize).clamp(2, 6));
        self.block_break();
        let escaped = escape(&text, false);
        self.push(&format!("{marks} {escaped} {marks}\n\n"));
    }

    fn resolved(&self, offset: usize) -> Vec<&Resolved> {
        self.by_offset.get(&offset).cloned().unwrap_or_default()
    }

    fn link(&mut self, link_type: LinkType, dest: CowStr<'_>, offset: usize) {
        let found = self.resolved(offset);
        let Some(first) = found.first().copied() else {
            if dest.as_ref() == CITATION_DEST {
                self.swallow_link(String::new());
            } else if markdown::is_external(&dest) {
                self.push(&format!("[{} ", external_url(&dest)));
                self.closers.push("]".to_string());
            } else {
                self.closers.push(String::new());
            }
            return;
        };
        match first.syntax {
            Syntax::Citation => {
                let text = self.citation(&found);
                self.swallow_link(text);
            }
            Syntax::Wikilink => {
                let has_label = matches!(link_type, LinkType::WikiLink { has_pothole: true }) && first.label.is_some();
                let label = if has_label { first.label.clone().unwrap_or_default() } else { self.default_label(first) };
                let text = self.reference(&first.target, &label);
                self.swallow_link(text);
            }
            Syntax::Embed => {
                let text = self.embed(first);
                self.swallow_link(text);
            }
            Syntax::MarkdownLink | Syntax::Asset => {
                // The link keeps its own label: its inner events are written as they come.
                match self.target_prefix(&first.target) {
                    Some(prefix) => {
                        self.push(&prefix);
                        self.closers.push("]]".to_string());
                    }
                    None => self.closers.push(String::new()),
                }
            }
        }
    }

    fn swallow_link(&mut self, text: String) {
        self.push(&text);
        self.swallow = 1;
        self.closers.push(String::new());
    }

    fn close_link(&mut self) {
        if let Some(closer) = self.closers.pop() {
            self.push(&closer);
        }
    }

    /// `[[Title#anchor|` for a link whose label follows, or `None` when the target has no
    /// page (the label is then written as plain text).
    fn target_prefix(&self, target: &Target) -> Option<String> {
        let wiki = self.body.wiki;
        match target {
            // A wiki page has no anchor for an Obsidian block (`^a1b2`): link to the page.
            Target::Item { item, anchor: Some(a) } if a.starts_with('^') => {
                Some(format!("[[{}|", wiki.item_title(*item)))
            }
            Target::Item { item, anchor: Some(a) } => Some(format!(
                "[[{}#{}|",
                wiki.item_title(*item),
                anchor(&self.body.site.item(*item).doc.anchor_text(a))
            )),
            Target::Item { item, anchor: None } => Some(format!("[[{}|", wiki.item_title(*item))),
            Target::Anchor(a) => Some(format!("[[#{}|", anchor(&self.body.doc.anchor_text(a)))),
            Target::Attachment(path) => wiki.file_name(path).map(|name| format!("[[Media:{name}|")),
            Target::Broken => None,
        }
    }

    fn reference(&self, target: &Target, label: &str) -> String {
        match self.target_prefix(target) {
            Some(prefix) => format!("{prefix}{}]]", escape(label, false)),
            None => escape(label, false),
        }
    }

    fn default_label(&self, reference: &Resolved) -> String {
        match &reference.target {
            Target::Item { item, anchor } => {
                let target = self.body.site.item(*item);
                match anchor {
                    Some(a) if !a.starts_with('^') => format!("{}: {}", item_label(target), target.doc.anchor_text(a)),
                    _ => item_label(target),
                }
            }
            Target::Anchor(a) => self.body.doc.anchor_text(a),
            Target::Attachment(path) => path.rsplit('/').next().unwrap_or(path).to_string(),
            Target::Broken => "unresolved reference".to_string(),
        }
    }

    fn citation(&self, found: &[&Resolved]) -> String {
        let parts: Vec<String> = found
            .iter()
            .map(|reference| {
                let label = match &reference.target {
                    Target::Item { item, .. } => self.body.site.item(*item).short_label(),
                    _ => "unresolved source".to_string(),
                };
                let locator = reference.locator.as_ref().map(|l| format!(", {}", escape(l, false))).unwrap_or_default();
                format!("{}{locator}", self.reference(&reference.target, &label))
            })
            .collect();
        format!("({})", parts.join("; "))
    }

    fn embed(&self, reference: &Resolved) -> String {
        match &reference.target {
            Target::Attachment(path) => self.file(path, path.rsplit('/').next().unwrap_or(path)),
            Target::Item { item, .. } => {
                let target = self.body.site.item(*item);
                let summary = target.summary.as_deref().map(|s| format!(": {}", escape(s, false))).unwrap_or_default();
                format!(
                    "'''{}''' ({}){summary}",
                    self.reference(&reference.target, &item_label_long(target)),
                    target.kind.name()
                )
            }
            _ => "embedded note not found".to_string(),
        }
    }

    /// An uploaded attachment shown as `[[File:…]]`, or its name as text.
    fn file(&self, path: &str, alt: &str) -> String {
        match self.body.wiki.file_name(path) {
            Some(name) => format!("[[File:{name}|{}]]", escape(alt, false)),
            None => escape(alt, false),
        }
    }

    fn image(&mut self, dest: CowStr<'_>, offset: usize) {
        let found = self.resolved(offset);
        match found.first().copied() {
            Some(reference) if reference.syntax == Syntax::Embed => {
                let text = self.embed(reference);
                self.push(&text);
                self.swallow = 1;
                self.closers.push(String::new());
            }
            Some(Resolved { target: Target::Attachment(path), .. }) => {
                self.image_alt = Some((String::new(), path.clone()));
            }
            _ if markdown::is_external(&dest) => {
                self.image_alt = Some((String::new(), format!("external:{dest}")));
            }
            _ => self.image_alt = Some((String::new(), String::new())),
        }
    }

    fn finish_image(&mut self) {
        let Some((alt, what)) = self.image_alt.take() else { return };
        let text = if let Some(url) = what.strip_prefix("external:") {
            format!("[{} {}]", external_url(url), escape(&alt, false))
        } else if what.is_empty() {
            escape(&alt, false)
        } else {
            let alt = if alt.is_empty() { what.rsplit('/').next().unwrap_or(&what).to_string() } else { alt };
            self.file(&what, &alt)
        };
        self.push(&text);
    }

    fn finish_code(&mut self) {
        let Some((lang, code)) = self.code.take() else { return };
        self.block_break();
        let text = if lang == "docket" {
            format!("''See [[{}|the deadline table]].''\n\n", self.body.wiki.deadlines_title())
        } else if !lang.is_empty() && self.body.wiki.has_syntaxhighlight() {
            let code = code.replace("</syntaxhighlight", "&lt;/syntaxhighlight");
            format!("<syntaxhighlight lang=\"{}\">\n{}</syntaxhighlight>\n\n", attribute(&lang), code)
        } else {
            let code = code.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
            format!("<pre>{code}</pre>\n\n")
        };
        self.push(&text);
    }

    fn footnote_reference(&mut self, label: &str) {
        let name = footnote_name(label);
        if self.body.wiki.has_cite() {
            self.push(&format!("<ref name=\"{name}\" />"));
        } else {
            self.push(&format!("<sup>[[#{name}|&#91;{}&#93;]]</sup>", escape(label, false)));
        }
    }

    fn finish(mut self) -> String {
        let mut out = std::mem::take(&mut self.out[0]);
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        if self.footnotes.is_empty() {
            return out;
        }
        if self.body.wiki.has_cite() {
            out.push_str("\n\n<references>\n");
            for (label, text) in &self.footnotes {
                out.push_str(&format!("<ref name=\"{}\">{text}</ref>\n", footnote_name(label)));
            }
            out.push_str("</references>");
        } else {
            out.push_str("\n\n== Notes ==\n\n");
            for (label, text) in &self.footnotes {
                out.push_str(&format!(
                    "* <span id=\"{}\">{}</span>: {text}\n",
                    footnote_name(label),
                    escape(label, false)
                ));
            }
        }
        out
    }
}

/// A footnote label as a `<ref name>`: letters, digits and `-` only.
fn footnote_name(label: &str) -> String {
    let cleaned: String = label.chars().map(|c| if c.is_alphanumeric() { c } else { '-' }).collect();
    format!("fn-{cleaned}")
}

/// An attribute value with its quotes and markup characters escaped.
fn attribute(value: &str) -> String {
    value.chars().filter(|c| c.is_alphanumeric() || "+-_.#".contains(*c)).collect()
}

/// An external URL for `[url label]`: spaces and brackets percent-encoded, so the URL
/// ends where the label starts.
fn external_url(url: &str) -> String {
    url.replace(' ', "%20").replace('[', "%5B").replace(']', "%5D").replace('|', "%7C").replace('\'', "%27")
}

/// An author's raw HTML: MediaWiki sanitises the tags itself; the characters that would
/// start wikitext markup inside it (links, templates, signatures) are escaped.
fn escape_html(html: &str) -> String {
    html.replace('[', "&#91;")
        .replace(']', "&#93;")
        .replace('{', "&#123;")
        .replace('}', "&#125;")
        .replace('~', "&#126;")
        .replace("__", "_&#95;")
        .replace("''", "&#39;&#39;")
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TestWiki {
        titles: Vec<String>,
        syntaxhighlight: bool,
        cite: bool,
    }

    impl Wiki for TestWiki {
        fn item_title(&self, item: ItemId) -> &str {
            &self.titles[item.index()]
        }
        fn file_name(&self, path: &str) -> Option<&str> {
            path.ends_with(".png").then_some("KB map.png")
        }
        fn has_syntaxhighlight(&self) -> bool {
            self.syntaxhighlight
        }
        fn has_cite(&self) -> bool {
            self.cite
        }
        fn deadlines_title(&self) -> &str {
            "KB/Deadline table"
        }
    }

    /// The wikitext of `content/notes/page.md` holding `body`, in a knowledge base with a
    /// source `gazette` and an image `map.png`.
    fn wikitext_of(body: &str, extensions: bool) -> String {
        let dir = tempfile::tempdir().expect("temp dir");
        let write = |path: &str, text: &[u8]| {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        };
        write("docket.toml", b"title = \"KB\"\nas_of = 2026-01-01\n");
        write(
            "content/sources/gazette.md",
            b"+++\ntitle = \"Gazette report\"\nshort = \"Gazette\"\n+++\n\n## Findings\n\nText.\n",
        );
        write("content/map.png", b"png");
        write("content/notes/page.md", format!("# Page\n\n{body}").as_bytes());
        let compiled =
            crate::compile(&crate::BuildOptions { root: dir.path().to_path_buf(), ..Default::default() }, false);
        assert!(!compiled.diagnostics.has_errors(), "{:?}", compiled.diagnostics);
        let site = &compiled.site;
        let wiki = TestWiki {
            titles: site.items.iter().map(|i| format!("KB/{}", i.title)).collect(),
            syntaxhighlight: extensions,
            cite: extensions,
        };
        let id = site.by_id["page"];
        let doc = &site.item(id).doc;
        let text = doc.text().expect("text");
        write_body(site, doc, &text, &compiled.graph.references[id.index()], &wiki)
    }

    fn write_body(site: &Site, doc: &Document, text: &str, references: &[Resolved], wiki: &dyn Wiki) -> String {
        write(&Body { site, doc, text, references, wiki })
    }

    #[test]
    fn headings_lose_the_title_and_become_level_two_or_deeper() {
        let text = wikitext_of("## Who acts\n\nText.\n\n### Details [x]\n", true);
        assert_eq!(text, "== Who acts ==\n\nText.\n\n=== Details &#91;x&#93; ===");
    }

    #[test]
    fn lists_nest_and_number() {
        let text = wikitext_of("- one\n- two\n  1. first\n  2. second\n- [x] done\n", true);
        assert_eq!(text, "* one\n* two\n*# first\n*# second\n* ☑ done");
    }

    #[test]
    fn tables_become_wikitables_with_escaped_cells() {
        let text = wikitext_of("| A | B |\n| --- | --- |\n| x \\| y | *z* |\n", true);
        assert_eq!(text, "{| class=\"wikitable\"\n! A\n! B\n|-\n| x &#124; y\n| ''z''\n|}");
    }

    #[test]
    fn emphasis_strong_strike_and_inline_code() {
        let text = wikitext_of("*a* **b** ~~c~~ `{{d}}`\n", true);
        assert_eq!(text, "''a'' '''b''' <s>c</s> <code>&#123;&#123;d&#125;&#125;</code>");
    }

    #[test]
    fn code_blocks_use_syntaxhighlight_only_when_the_wiki_has_it() {
        let with = wikitext_of("```rust\nfn a() {}\n```\n", true);
        assert_eq!(with, "<syntaxhighlight lang=\"rust\">\nfn a() {}\n</syntaxhighlight>");
        let without = wikitext_of("```rust\nif a < b {}\n```\n", false);
        assert_eq!(without, "<pre>if a &lt; b {}\n</pre>");
    }

    #[test]
    fn footnotes_become_refs_or_a_notes_list() {
        let with = wikitext_of("Claim.[^a]\n\n[^a]: The *proof*.\n", true);
        assert_eq!(
            with,
            "Claim.<ref name=\"fn-a\" />\n\n<references>\n<ref name=\"fn-a\">The ''proof''.</ref>\n</references>"
        );
        let without = wikitext_of("Claim.[^a]\n\n[^a]: Proof.\n", false);
        assert!(without.contains("<sup>[[#fn-a|&#91;a&#93;]]</sup>") && without.contains("== Notes =="), "{without}");
    }

    #[test]
    fn references_become_wiki_links_with_their_labels() {
        let text = wikitext_of(
            "[[gazette]], [[gazette|the report]], [[gazette#findings]], [its findings](../sources/gazette.md#findings) \
             and [@gazette, p. 2].\n",
            true,
        );
        assert_eq!(
            text,
            "[[KB/Gazette report|Gazette]], [[KB/Gazette report|the report]], \
             [[KB/Gazette report#Findings|Gazette: Findings]], [[KB/Gazette report#Findings|its findings]] \
             and ([[KB/Gazette report|Gazette]], p. 2)."
        );
    }

    #[test]
    fn images_are_shown_as_files_and_external_links_keep_their_label() {
        let text = wikitext_of("![[map.png]] ![The map](../map.png) [site](<https://e.org/a b>)\n", true);
        assert_eq!(text, "[[File:KB map.png|map.png]] [[File:KB map.png|The map]] [https://e.org/a%20b site]");
    }

    #[test]
    fn markup_characters_become_character_references() {
        assert_eq!(escape("a ]] b {{x}} | c", false), "a &#93;&#93; b &#123;&#123;x&#125;&#125; &#124; c");
        assert_eq!(escape("~~~~ __TOC__ x=y", false), "&#126;&#126;&#126;&#126; &#95;&#95;TOC&#95;&#95; x&#61;y");
        assert_eq!(escape("''bold''", false), "&#39;&#39;bold&#39;&#39;");
        assert_eq!(escape("<b>&", false), "&lt;b&gt;&amp;");
        assert_eq!(escape("* not a list", true), "&#42; not a list");
        assert_eq!(escape("* inline star", false), "* inline star");
        assert_eq!(escape("#1", true), "&#35;1");
        assert_eq!(escape("two\nlines", false), "two lines");
    }

    #[test]
    fn anchors_drop_what_a_link_target_cannot_hold() {
        assert_eq!(anchor("Costs [draft] {x}"), "Costs draft x");
        assert_eq!(link("KB/Sec. 3", Some("Who acts"), "Sec. 3|x"), "[[KB/Sec. 3#Who acts|Sec. 3&#124;x]]");
        assert_eq!(link("KB/A", None, "A"), "[[KB/A|A]]");
    }

    #[test]
    fn external_urls_end_before_the_label() {
        assert_eq!(external_url("https://e.org/a b]"), "https://e.org/a%20b%5D");
        assert_eq!(footnote_name("note 1"), "fn-note-1");
        assert_eq!(attribute("rust\" onload=x"), "rustonloadx");
    }

    #[test]
    fn block_ids_and_comment_marks_stay_off_the_wiki() {
        let text = wikitext_of("Kept here. ^abc\nA comment ended this. %% private %%\nLast [[page#^abc]].\n", false);
        assert!(!text.contains("^abc") && !text.contains("private") && !text.contains('\u{200b}'), "{text}");
        assert!(text.contains("Kept here.") && text.contains("A comment ended this. Last"), "{text}");
        assert!(text.contains("[[KB/Page|Page]]"), "a block link goes to the page, named by its label:\n{text}");
    }
}
