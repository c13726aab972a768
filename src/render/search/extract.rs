//! A rendered page → what search keeps of it: the words of the element marked
//! `data-search-body` with their weights, and the page's title, kind and filter values
//! (`docs/search-format.md`).
//!
//! html5ever's tokenizer reads the page as a stream of tags and decoded text, without
//! building a tree: pages come from docket's templates, so a stack of open elements
//! (closed by name, void elements never pushed) is enough to know where text sits.

use std::cell::RefCell;
use std::collections::BTreeMap;

use foldhash::HashMap;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer};

use super::words::each_word;

/// What search keeps of one page.
#[derive(Debug, Default, PartialEq)]
pub(super) struct PageText {
    /// The first `<h1>` in the body, else the document's `<title>`.
    pub title: String,
    /// The body's `data-search-kind`, empty when it has none.
    pub kind: String,
    /// Filter name → the values this page has, in page order.
    pub filters: BTreeMap<String, Vec<String>>,
    /// Each word (lower-cased) and its weight on the page.
    pub words: HashMap<String, u32>,
}

/// The searchable part of `html`; `None` when nothing in it is marked `data-search-body`.
pub(super) fn extract(html: &str) -> Option<PageText> {
    // The head and the site's navigation hold nothing to index: tokenizing starts at the
    // tag that carries the marker (the document's title is found apart, as a fallback).
    let marker = html.find("data-search-body")?;
    let start = html[..marker].rfind('<')?;
    let mut state = read(&html[start..]);
    state.document_title = document_title(&html[..start]);
    state.finish()
}

/// The text of the `<title>` element in `head`, entities decoded.
fn document_title(head: &str) -> String {
    let Some(open) = head.find("<title") else { return String::new() };
    let Some(close) = head[open..].find("</title>") else { return String::new() };
    read(&head[open..open + close + "</title>".len()]).document_title
}

/// What the tokenizer finds in `html`, a whole page or a piece of one.
fn read(html: &str) -> State {
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Reader::default(), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// Elements that never have an end tag.
const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

/// Elements whose text is not content.
const SKIPPED: &[&str] = &["script", "style", "template", "noscript", "svg", "math"];

/// Elements inside which text runs on without a word break.
const INLINE: &[&str] = &[
    "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q", "s", "samp", "small",
    "span", "strong", "sub", "sup", "time", "u", "var",
];

/// The weight of a word in a heading of `level` (1–6); 1 outside headings.
fn heading_weight(level: u8) -> u32 {
    match level {
        1 => 7,
        2 => 5,
        3 => 4,
        _ => 3,
    }
}

/// An element open inside the body.
struct Open {
    name: String,
    /// Text inside it is left out (`data-search-ignore`, scripts…).
    ignored: bool,
    /// It collects the value of this filter.
    filter: Option<String>,
    /// It is a heading of this level; `true` if it is the page's title (the first `<h1>`).
    heading: Option<(u8, bool)>,
}

/// The tokenizer's sink; html5ever hands it tokens through `&self`.
#[derive(Default)]
struct Reader(RefCell<State>);

impl TokenSink for Reader {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => return state.tag(&tag),
            Token::CharacterTokens(text) => state.text(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// What has been read so far.
#[derive(Default)]
struct State {
    /// Open elements inside the body, the body first; empty outside it.
    open: Vec<Open>,
    /// The body has been seen (and, when `open` is empty again, closed).
    found: bool,
    /// Inside the document's `<title>`.
    in_title: bool,
    document_title: String,
    /// Text of the first `<h1>` in the body.
    title: String,
    page: PageText,
    /// Text not yet cut into words, and the weight its words get.
    pending: String,
    pending_weight: u32,
    /// Text of the open filter elements.
    filter_values: Vec<String>,
    /// The headings among `open`, innermost last: where text goes is read from the last
    /// one, not by walking `open` for every piece of text, which made 200 KB of nested
    /// `>` quotes (one open element each) take 43 s.
    headings: Vec<(u8, bool)>,
}

impl State {
    fn tag(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        if self.open.is_empty() {
            return self.outside_body(tag);
        }
        match tag.kind {
            TagKind::StartTag => self.start(tag, name),
            TagKind::EndTag => self.end(name),
        }
        match name {
            "script" if tag.kind == TagKind::StartTag => TokenSinkResult::RawData(RawKind::ScriptData),
            "style" | "noscript" if tag.kind == TagKind::StartTag => TokenSinkResult::RawData(RawKind::Rawtext),
            "textarea" | "title" if tag.kind == TagKind::StartTag => TokenSinkResult::RawData(RawKind::Rcdata),
            _ => TokenSinkResult::Continue,
        }
    }

    /// Before the body: the `<title>`, and the start of the body.
    fn outside_body(&mut self, tag: &Tag) -> TokenSinkResult<()> {
        let name: &str = &tag.name;
        match (tag.kind, name) {
            (TagKind::StartTag, "title") => {
                self.in_title = true;
                return TokenSinkResult::RawData(RawKind::Rcdata);
            }
            (TagKind::EndTag, "title") => self.in_title = false,
            (TagKind::StartTag, "script") => return TokenSinkResult::RawData(RawKind::ScriptData),
            (TagKind::StartTag, "style") => return TokenSinkResult::RawData(RawKind::Rawtext),
            (TagKind::StartTag, _) if !self.found && attribute(tag, "data-search-body").is_some() => {
                self.found = true;
                self.page.kind = attribute(tag, "data-search-kind").unwrap_or_default().to_string();
                self.open.push(Open { name: name.to_string(), ignored: false, filter: None, heading: None });
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn start(&mut self, tag: &Tag, name: &str) {
        if !INLINE.contains(&name) {
            self.text(" ");
        }
        if VOID.contains(&name) || tag.self_closing {
            return;
        }
        let ignored = self.ignoring() || SKIPPED.contains(&name) || attribute(tag, "data-search-ignore").is_some();
        let heading = match heading_level(name) {
            Some(level) if !ignored => Some((level, self.start_heading(level))),
            _ => None,
        };
        let filter = attribute(tag, "data-search-filter").filter(|_| !ignored).map(str::to_string);
        if filter.is_some() {
            self.filter_values.push(String::new());
        }
        self.headings.extend(heading);
        self.open.push(Open { name: name.to_string(), ignored, filter, heading });
    }

    fn end(&mut self, name: &str) {
        let Some(at) = self.open.iter().rposition(|open| open.name == name) else { return };
        if !INLINE.contains(&name) {
            self.text(" ");
        }
        for open in self.open.split_off(at).into_iter().rev() {
            self.close(open);
        }
    }

    fn close(&mut self, open: Open) {
        if open.ignored {
            return;
        }
        if open.heading.is_some() {
            self.headings.pop();
            self.flush();
            self.pending_weight = 1;
        }
        if let Some(filter) = open.filter {
            let value = collapse(&self.filter_values.pop().unwrap_or_default());
            if !value.is_empty() {
                self.page.filters.entry(filter).or_default().push(value);
            }
        }
    }

    /// A heading starts: words from here weigh more; is it the title (the first `<h1>`)?
    fn start_heading(&mut self, level: u8) -> bool {
        self.flush();
        self.pending_weight = heading_weight(level);
        level == 1 && self.title.is_empty()
    }

    fn text(&mut self, text: &str) {
        if self.in_title {
            self.document_title.push_str(text);
        }
        if self.open.is_empty() || self.ignoring() {
            return;
        }
        self.pending.push_str(text);
        for value in &mut self.filter_values {
            value.push_str(text);
        }
        if self.headings.last().is_some_and(|&(_, title)| title) {
            self.title.push_str(text);
        }
    }

    /// Cuts the pending text into words, each weighing what the heading around it says.
    fn flush(&mut self) {
        let weight = self.pending_weight.max(1);
        let words = &mut self.page.words;
        each_word(&self.pending, |word| match words.get_mut(word) {
            Some(total) => *total += weight,
            None => {
                words.insert(word.to_string(), weight);
            }
        });
        self.pending.clear();
    }

    fn ignoring(&self) -> bool {
        self.open.last().is_some_and(|open| open.ignored)
    }

    fn finish(mut self) -> Option<PageText> {
        if !self.found {
            return None;
        }
        self.flush();
        let title = if self.title.trim().is_empty() { &self.document_title } else { &self.title };
        self.page.title = collapse(title);
        if !self.page.kind.is_empty() {
            self.page.filters.insert("kind".into(), vec![self.page.kind.clone()]);
        }
        Some(self.page)
    }
}

fn attribute<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
    tag.attrs.iter().find(|a| &*a.name.local == name).map(|a| &*a.value)
}

fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', level @ b'1'..=b'6'] => Some(level - b'0'),
        _ => None,
    }
}

/// `text` with runs of whitespace made one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Finding 6: 200 KB of nested blockquotes took 43 s to index (quadratic in depth).
    #[test]
    fn deep_nesting_is_read_in_linear_time() {
        let depth = 100_000;
        let html = format!(
            "<main data-search-body><h1>Deep</h1>{}deep words{}</main>",
            "<blockquote>".repeat(depth),
            "</blockquote>".repeat(depth)
        );
        let started = std::time::Instant::now();
        let page = extract(&html).expect("a body");
        assert!(page.words.contains_key("deep") && page.words.contains_key("words"));
        assert_eq!(page.title, "Deep");
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "took {:?}", started.elapsed());
    }

    fn page(body: &str) -> PageText {
        let html = format!(
            "<!doctype html><html><head><title>Doc title</title><script>var hidden = 1;</script></head><body>{body}</body></html>"
        );
        extract(&html).expect("the page has a search body")
    }

    fn weight(page: &PageText, word: &str) -> u32 {
        page.words.get(word).copied().unwrap_or(0)
    }

    #[test]
    fn only_the_marked_body_is_read_and_headings_weigh_more() {
        let page = page(concat!(
            "<nav>Menu outside</nav>",
            r#"<article data-search-body data-search-kind="provision"><h1>Export &amp; controls</h1>"#,
            r#"<h2 id="duties">Duties</h2><p>Report export<br>controls. Report</p></article><footer>Footer</footer>"#,
        ));
        assert_eq!(page.title, "Export & controls");
        assert_eq!(page.kind, "provision");
        assert_eq!(weight(&page, "export"), 7 + 1);
        assert_eq!(weight(&page, "controls"), 7 + 1);
        assert_eq!(weight(&page, "duties"), 5);
        assert_eq!(weight(&page, "report"), 2);
        for outside in ["menu", "outside", "footer", "hidden", "doc"] {
            assert_eq!(weight(&page, outside), 0, "{outside} is outside the body");
        }
    }

    #[test]
    fn ignored_elements_scripts_and_styles_are_left_out_but_inline_tags_do_not_split_words() {
        let page = page(concat!(
            "<main data-search-body><p>re<em>port</em>ed</p>",
            "<nav data-search-ignore><p>skipped <b>words</b></p></nav>",
            "<script>if (a < b) { secret(); }</script><style>.x{color:red}</style>",
            "<ul><li>one</li><li>two</li></ul><img src=x alt=picture><p>after</p></main>",
        ));
        let mut words: Vec<&str> = page.words.keys().map(String::as_str).collect();
        words.sort_unstable();
        assert_eq!(words, ["after", "one", "reported", "two"]);
        assert_eq!(page.title, "Doc title", "no h1: the document's title");
    }

    #[test]
    fn filter_values_are_the_text_of_marked_elements() {
        let page = page(concat!(
            r#"<article data-search-body data-search-kind="deadline"><h1>T</h1>"#,
            r#"<ul><li><span data-search-filter="audience"><a href="/a/">Water   utilities</a></span></li>"#,
            r#"<li><span data-search-filter="audience">Regulators</span></li></ul></article>"#,
        ));
        assert_eq!(page.filters["audience"], ["Water utilities", "Regulators"]);
        assert_eq!(page.filters["kind"], ["deadline"]);
    }

    #[test]
    fn a_page_without_a_search_body_is_not_indexed() {
        assert_eq!(extract("<html><body><h1>Index</h1><p>List</p></body></html>"), None);
    }
}
