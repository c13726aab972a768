//! The page cache of `docket serve`: reuse a page's bytes when its inputs are unchanged.
//!
//! In: the site and graph of a rebuild, and what the previous rebuild rendered. Out: the
//! same files a clean [`super::render`] gives, rendering only the pages that changed.
//!
//! Why this is exact rather than a guess: a page is a pure function of its template and
//! its tera context, and the templates stay fixed while the cache lives (a theme or
//! configuration change empties it). So every page's context is built as in a clean build
//! and fingerprinted; an unchanged fingerprint means unchanged bytes, whichever note
//! changed and however it is connected to the page — backlinks, indexes, deadline rows,
//! conflicts and labels need no hand-written dependency rule that could fall behind the
//! templates. Building contexts is cheap next to running the templates and the markdown
//! renderer.
//!
//! Note bodies are the expensive part of a context, so they are cached on their own,
//! keyed by the document's content hash and by every property of a reference target the
//! body renderer prints (see [`Session::body_key`]: keep it in step with
//! `render/markdown.rs`). Bodies holding a `docket` directive block read the whole
//! deadline table, and bodies embedding a note in place draw that note's text, so both are
//! always rendered again.

use crate::render::derived::Derived;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tera::Context;

use crate::diagnostics::Diagnostics;
use crate::load::Document;
use crate::load::Syntax;
use crate::model::Site;
use crate::render::markdown::{item_label, item_label_long, transcludes};
use crate::render::theme::{self, Theme};
use crate::resolve::{Graph, Resolved, Target};

/// What one incremental render did, for reports and tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderStats {
    /// Pages run through their template.
    pub pages_rendered: usize,
    /// Pages whose bytes were reused.
    pub pages_reused: usize,
    /// Note bodies run through the markdown renderer.
    pub bodies_rendered: usize,
    /// Note bodies reused.
    pub bodies_reused: usize,
}

/// Rendered pages by output path: context fingerprint and bytes.
type Pages = HashMap<String, (u64, Arc<[u8]>)>;
/// Rendered bodies by route: input fingerprint and HTML.
type Bodies = HashMap<String, (u64, Arc<str>)>;

/// Pages and bodies of the previous render, with the compiled theme they were made with.
#[derive(Default)]
pub struct PageCache {
    site_key: Option<u64>,
    theme: Option<Arc<Theme>>,
    pages: Pages,
    bodies: Bodies,
    stats: RenderStats,
}

impl PageCache {
    /// An empty cache: the first render renders everything.
    pub fn new() -> PageCache {
        PageCache::default()
    }

    /// Forgets everything, for a change to the theme's templates.
    pub fn clear(&mut self) {
        *self = PageCache::default();
    }

    /// What the last render did.
    pub fn stats(&self) -> RenderStats {
        self.stats
    }

    /// The compiled theme, loaded again (and the cache emptied) when the configuration
    /// or the as-of date changed, since every page depends on them.
    pub fn theme(&mut self, root: &Path, site: &Site, diagnostics: &mut Diagnostics) -> Option<Arc<Theme>> {
        let key = site_key(root, site);
        if self.site_key != Some(key) {
            self.clear();
            self.site_key = Some(key);
        }
        if self.theme.is_none() {
            self.theme = theme::load(root, &site.config.theme, diagnostics).map(Arc::new);
        }
        self.theme.clone()
    }

    /// Keeps what a render produced, dropping pages that no longer exist.
    pub(crate) fn keep(&mut self, fresh: Fresh) {
        self.pages = fresh.pages;
        self.bodies = fresh.bodies;
        self.stats = fresh.stats;
    }

    /// Keeps what a render of some pages produced, alongside the other pages.
    pub(crate) fn update(&mut self, fresh: Fresh) {
        self.pages.extend(fresh.pages);
        self.bodies.extend(fresh.bodies);
        self.stats = fresh.stats;
    }
}

/// The configuration, as-of date and root: what every page depends on.
fn site_key(root: &Path, site: &Site) -> u64 {
    let mut fingerprint = Fingerprint::default();
    fingerprint.text(&root.to_string_lossy());
    fingerprint.text(&serde_json::to_string(&site.config).unwrap_or_default());
    fingerprint.text(&site.as_of.to_string());
    fingerprint.finish()
}

/// What one render produced, collected from the rendering threads.
pub(crate) struct Fresh {
    pages: Pages,
    bodies: Bodies,
    stats: RenderStats,
}

/// One render's view of the cache: the previous render read-only, this render's results
/// collected behind locks the rendering threads take once per page.
pub struct Session<'a> {
    previous: &'a PageCache,
    pages: Mutex<Pages>,
    bodies: Mutex<Bodies>,
    pages_rendered: AtomicUsize,
    pages_reused: AtomicUsize,
    bodies_rendered: AtomicUsize,
    bodies_reused: AtomicUsize,
}

impl<'a> Session<'a> {
    /// A render session over the previous render's cache.
    pub fn new(previous: &'a PageCache) -> Session<'a> {
        Session {
            previous,
            pages: Mutex::new(HashMap::with_capacity(previous.pages.len())),
            bodies: Mutex::new(HashMap::with_capacity(previous.bodies.len())),
            pages_rendered: AtomicUsize::new(0),
            pages_reused: AtomicUsize::new(0),
            bodies_rendered: AtomicUsize::new(0),
            bodies_reused: AtomicUsize::new(0),
        }
    }

    pub(crate) fn finish(self) -> Fresh {
        Fresh {
            pages: self.pages.into_inner().unwrap_or_else(|e| e.into_inner()),
            bodies: self.bodies.into_inner().unwrap_or_else(|e| e.into_inner()),
            stats: RenderStats {
                pages_rendered: self.pages_rendered.into_inner(),
                pages_reused: self.pages_reused.into_inner(),
                bodies_rendered: self.bodies_rendered.into_inner(),
                bodies_reused: self.bodies_reused.into_inner(),
            },
        }
    }

    /// The fingerprint of a page's template and context (the context is handed back).
    pub fn page_key(&self, template: &str, context: Context) -> (Context, u64) {
        let value = context.into_json();
        let mut fingerprint = Fingerprint::default();
        fingerprint.text(template);
        fingerprint.value(&value);
        let context = Context::from_value(value).expect("a context turns into a JSON object and back");
        (context, fingerprint.finish())
    }

    /// The previous bytes of the page at `path`, if its fingerprint is still `key`.
    pub fn reuse_page(&self, path: &str, key: u64) -> Option<Arc<[u8]>> {
        let (old, bytes) = self.previous.pages.get(path)?;
        if *old != key {
            return None;
        }
        self.pages_reused.fetch_add(1, Ordering::Relaxed);
        lock(&self.pages).insert(path.to_string(), (key, bytes.clone()));
        Some(bytes.clone())
    }

    /// Records a freshly rendered page and returns its bytes.
    pub fn keep_page(&self, path: &str, key: u64, html: String) -> Arc<[u8]> {
        let bytes: Arc<[u8]> = Arc::from(html.into_bytes());
        self.pages_rendered.fetch_add(1, Ordering::Relaxed);
        lock(&self.pages).insert(path.to_string(), (key, bytes.clone()));
        bytes
    }

    /// The fingerprint of everything the body renderer reads for this body, or `None`
    /// when the body holds a directive block (which reads the whole deadline table).
    pub fn body_key(
        &self,
        site: &Site,
        graph: &Graph,
        derived: &Derived,
        doc: &Document,
        references: &[Resolved],
        route: &str,
    ) -> Option<u64> {
        if doc.text().ok()?[doc.body_start..].contains("docket") {
            return None;
        }
        // A note embedded in place draws from the embedded note's text and references
        // (and theirs, when it embeds others): such bodies are always rendered again.
        let transcludes = |r: &Resolved| match r.target {
            Target::Item { item, .. } => r.syntax == Syntax::Embed && transcludes(site.item(item).kind),
            _ => false,
        };
        if references.iter().any(transcludes) {
            return None;
        }
        let mut fingerprint = Fingerprint::default();
        fingerprint.text(route);
        fingerprint.number(doc.hash);
        fingerprint.number(doc.text_len() as u64);
        for reference in references {
            fingerprint.number(reference.offset as u64);
            fingerprint.number(reference.syntax as u64);
            fingerprint.optional(reference.label.as_deref());
            fingerprint.optional(reference.locator.as_deref());
            target_inputs(&mut fingerprint, site, graph, derived, &reference.target);
        }
        // An inline `#tag` is a link only while some item carries the tag (always so for an
        // item's own tags; the home page's depend on the other notes).
        for tag in &doc.outline.tags {
            fingerprint.number(u64::from(site.tags.by_route(&crate::markdown::tag_route(tag)).is_some()));
        }
        Some(fingerprint.finish())
    }

    /// The previous HTML of the body at `route`, if its fingerprint is still `key`.
    pub fn reuse_body(&self, route: &str, key: u64) -> Option<String> {
        let (old, html) = self.previous.bodies.get(route)?;
        if *old != key {
            return None;
        }
        self.bodies_reused.fetch_add(1, Ordering::Relaxed);
        lock(&self.bodies).insert(route.to_string(), (key, html.clone()));
        Some(html.to_string())
    }

    /// Records a freshly rendered body.
    pub fn keep_body(&self, route: &str, key: u64, html: &str) {
        self.bodies_rendered.fetch_add(1, Ordering::Relaxed);
        lock(&self.bodies).insert(route.to_string(), (key, Arc::from(html)));
    }
}

/// What the body renderer prints about a reference's target: its route, labels, title,
/// summary (embeds), due date (deadline references) and the text of the heading linked.
fn target_inputs(fingerprint: &mut Fingerprint, site: &Site, graph: &Graph, derived: &Derived, target: &Target) {
    match target {
        Target::Item { item, anchor } => {
            let target = site.item(*item);
            fingerprint.text("item");
            fingerprint.text(&target.route);
            fingerprint.text(target.kind.name());
            fingerprint.text(&target.title);
            fingerprint.text(&item_label(target));
            fingerprint.text(&target.short_label());
            fingerprint.text(&item_label_long(target));
            // Embeds print the summary readers see, which reads other items' labels too.
            fingerprint.text(&derived.summary(site, *item));
            let due = graph.deadlines.get(item.index()).and_then(Option::as_ref).and_then(|d| d.due);
            fingerprint.optional(due.map(|d| d.to_string()).as_deref());
            fingerprint.optional(anchor.as_deref());
            if let Some(anchor) = anchor {
                let heading = target.doc.outline.headings.iter().find(|h| &h.anchor == anchor);
                fingerprint.optional(heading.map(|h| h.text.as_str()));
            }
        }
        Target::Anchor(anchor) => {
            fingerprint.text("anchor");
            fingerprint.text(anchor);
        }
        Target::Attachment(path) => {
            fingerprint.text("attachment");
            fingerprint.text(path);
        }
        Target::Broken => fingerprint.text("broken"),
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic on another rendering thread aborts the render anyway; the map is still whole.
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A 64-bit fingerprint of a sequence of values. Each value is length-prefixed, so
/// `("ab", "c")` and `("a", "bc")` differ. The seed is fixed, so fingerprints are stable
/// within a process, which is all a cache that lives in memory needs. foldhash rather than
/// the standard library's SipHash: the inputs are our own pages, not an attacker's, and
/// hashing every page's context was a tenth of a rebuild with SipHash.
struct Fingerprint(foldhash::quality::FoldHasher<'static>);

impl Default for Fingerprint {
    fn default() -> Fingerprint {
        Fingerprint(foldhash::quality::FixedState::default().build_hasher())
    }
}

impl Fingerprint {
    /// Feeds a JSON tree: a tag per node, lengths before strings and collections, keys
    /// before their values. Cheaper than serialising the tree to text and hashing that.
    fn value(&mut self, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Null => self.0.write_u8(0),
            Value::Bool(flag) => self.0.write_u8(if *flag { 2 } else { 1 }),
            Value::Number(number) => match (number.as_u64(), number.as_i64()) {
                (Some(unsigned), _) => {
                    self.0.write_u8(3);
                    self.number(unsigned);
                }
                (None, Some(signed)) => {
                    self.0.write_u8(4);
                    self.0.write_i64(signed);
                }
                (None, None) => {
                    self.0.write_u8(5);
                    self.number(number.as_f64().unwrap_or(f64::NAN).to_bits());
                }
            },
            Value::String(text) => {
                self.0.write_u8(6);
                self.text(text);
            }
            Value::Array(items) => {
                self.0.write_u8(7);
                self.0.write_usize(items.len());
                items.iter().for_each(|item| self.value(item));
            }
            Value::Object(fields) => {
                self.0.write_u8(8);
                self.0.write_usize(fields.len());
                for (key, field) in fields {
                    self.text(key);
                    self.value(field);
                }
            }
        }
    }

    fn text(&mut self, text: &str) {
        self.0.write_usize(text.len());
        self.0.write(text.as_bytes());
    }

    fn number(&mut self, number: u64) {
        self.0.write_u64(number);
    }

    fn optional(&mut self, text: Option<&str>) {
        match text {
            Some(text) => {
                self.0.write_u8(1);
                self.text(text);
            }
            None => self.0.write_u8(0),
        }
    }

    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_delimited() {
        let mut a = Fingerprint::default();
        a.text("ab");
        a.text("c");
        let mut b = Fingerprint::default();
        b.text("a");
        b.text("bc");
        assert_ne!(a.finish(), b.finish());
    }

    fn fingerprint_of(value: serde_json::Value) -> u64 {
        let mut fingerprint = Fingerprint::default();
        fingerprint.value(&value);
        fingerprint.finish()
    }

    #[test]
    fn json_trees_of_different_shapes_differ() {
        use serde_json::json;
        let trees = [
            json!(null),
            json!(false),
            json!(true),
            json!(1),
            json!(-1),
            json!(1.0),
            json!("1"),
            json!(""),
            json!([]),
            json!({}),
            json!(["a"]),
            json!(["a", "b"]),
            json!(["ab"]),
            json!({"a": "b"}),
            json!({"b": "a"}),
            json!({"a": ["b"]}),
            json!([{"a": "b"}]),
        ];
        let fingerprints: std::collections::HashSet<u64> = trees.iter().cloned().map(fingerprint_of).collect();
        assert_eq!(fingerprints.len(), trees.len(), "every tree has its own fingerprint");
        assert_eq!(fingerprint_of(json!({"a": [1, "x"]})), fingerprint_of(json!({"a": [1, "x"]})));
    }

    #[test]
    fn a_context_fingerprint_follows_its_values() {
        let cache = PageCache::new();
        let session = Session::new(&cache);
        let mut context = Context::new();
        context.insert("title", "A");
        let (context, first) = session.page_key("item.html", context);
        assert_eq!(context.get("title").and_then(|v| v.as_str()), Some("A"), "the context survives");
        let (_, same) = session.page_key("item.html", context.clone());
        let (_, other_template) = session.page_key("index.html", context);
        let mut changed = Context::new();
        changed.insert("title", "B");
        let (_, other_value) = session.page_key("item.html", changed);
        assert_eq!(first, same);
        assert_ne!(first, other_template);
        assert_ne!(first, other_value);
    }
}
