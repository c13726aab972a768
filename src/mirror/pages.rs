//! The wiki pages of a knowledge base: one per item (its body as wikitext, then what the
//! site computes: due date, claims, what sources say, what links here, categories), a
//! main page listing every item by kind, the deadline table, and one page per category.
//! Titles are allocated here once, so every link points at a page that is written.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use super::wikitext::{self, Body, Wiki, escape};
use crate::diagnostics::Diagnostic;
use crate::model::{ItemId, Kind, Site};
use crate::render::markdown::{item_label, item_label_long};
use crate::resolve::Graph;
use crate::text::human_date;

/// What the wiki can do, read from its `siteinfo`.
#[derive(Clone, Debug, Default)]
pub struct Features {
    /// `<syntaxhighlight>` is available.
    pub syntaxhighlight: bool,
    /// `<ref>` and `<references>` are available.
    pub cite: bool,
    /// Uploads are enabled.
    pub uploads: bool,
    /// File extensions the wiki accepts, lower case.
    pub file_extensions: Vec<String>,
}

/// How pages are named.
#[derive(Clone, Debug)]
pub struct Naming {
    /// Prefix of every page title (`KB/`).
    pub prefix: String,
    /// Prefix of every category name.
    pub category_prefix: String,
}

/// One page to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WikiPage {
    /// Its title, normalised as the wiki shows it.
    pub title: String,
    /// Its wikitext, without the ownership marker.
    pub text: String,
}

/// One attachment to upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WikiFile {
    /// Its file name (the title without `File:`).
    pub name: String,
    /// The attachment's path under the content folder.
    pub rel_path: String,
    /// Where it is on disk.
    pub source: PathBuf,
}

/// Every page and file of a mirror.
#[derive(Clone, Debug, Default)]
pub struct Mirror {
    /// Pages, sorted by title.
    pub pages: Vec<WikiPage>,
    /// Files, sorted by name.
    pub files: Vec<WikiFile>,
}

/// The kinds in the order the main page lists them.
const MAIN_ORDER: [Kind; 9] = [
    Kind::Instrument,
    Kind::Provision,
    Kind::Deadline,
    Kind::Source,
    Kind::Audience,
    Kind::Agency,
    Kind::Term,
    Kind::Alert,
    Kind::Note,
];

/// Writes every page; fails when a note changed on disk since it was loaded.
pub fn mirror(site: &Site, graph: &Graph, naming: &Naming, features: &Features) -> Result<Mirror, Box<Diagnostic>> {
    let titles = Titles::new(site, naming, features);
    let mut pages = Vec::with_capacity(site.items.len() + 16);
    for n in 0..site.items.len() {
        pages.push(titles.item_page(site, graph, ItemId(n as u32))?);
    }
    pages.push(titles.main_page(site, graph)?);
    pages.push(titles.deadline_page(site, graph));
    pages.extend(titles.category_pages(site, graph));
    pages.sort_by(|a, b| a.title.cmp(&b.title));
    let mut files: Vec<WikiFile> = site
        .attachments
        .iter()
        .filter_map(|a| {
            titles.files.get(&a.rel_path).map(|name| WikiFile {
                name: name.clone(),
                rel_path: a.rel_path.clone(),
                source: a.source.clone(),
            })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Mirror { pages, files })
}

/// A title as MediaWiki stores it: characters it forbids replaced, `_` read as a space,
/// runs of spaces collapsed, the first letter upper case, at most 255 bytes.
pub fn normalise_title(title: &str) -> String {
    let replaced: String = title.chars().map(|c| if "#<>[]|{}_\n\t".contains(c) { ' ' } else { c }).collect();
    let mut collapsed = replaced.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
    if let Some(first) = collapsed.chars().next() {
        collapsed = first.to_uppercase().chain(collapsed.chars().skip(1)).collect();
    }
    let mut end = collapsed.len().min(255);
    while !collapsed.is_char_boundary(end) {
        end -= 1;
    }
    collapsed.truncate(end);
    collapsed
}

/// The kind's name in a category: "provisions".
fn plural(kind: Kind) -> &'static str {
    match kind {
        Kind::Instrument => "instruments",
        Kind::Provision => "provisions",
        Kind::Source => "sources",
        Kind::Deadline => "deadlines",
        Kind::Audience => "audiences",
        Kind::Agency => "agencies",
        Kind::Term => "terms",
        Kind::Alert => "alerts",
        Kind::Note => "notes",
    }
}

/// Every title of the mirror, allocated once.
struct Titles {
    items: Vec<String>,
    files: HashMap<String, String>,
    main: String,
    deadlines: String,
    naming: Naming,
    features: Features,
}

impl Titles {
    fn new(site: &Site, naming: &Naming, features: &Features) -> Titles {
        let main = normalise_title(naming.prefix.trim_end_matches('/')).to_string();
        let main = if main.is_empty() { normalise_title(&site.config.title) } else { main };
        let deadlines = normalise_title(&format!("{}Deadline table", naming.prefix));
        let mut taken: HashSet<String> = [main.clone(), deadlines.clone()].into_iter().collect();
        let mut items = Vec::with_capacity(site.items.len());
        for item in &site.items {
            let base = normalise_title(&format!("{}{}", naming.prefix, item_label_long(item)));
            let mut title = base.clone();
            if taken.contains(&title) {
                title = normalise_title(&format!("{base} ({})", item.kind.name()));
            }
            let mut n = 2;
            while taken.contains(&title) {
                title = normalise_title(&format!("{base} ({n})"));
                n += 1;
            }
            taken.insert(title.clone());
            items.push(title);
        }
        let flat_prefix = naming.prefix.replace('/', " ");
        let files = site
            .attachments
            .iter()
            .filter(|a| features.uploads && Self::uploadable(features, &a.rel_path))
            .map(|a| (a.rel_path.clone(), normalise_title(&format!("{flat_prefix} {}", a.rel_path.replace('/', "-")))))
            .collect();
        Titles { items, files, main, deadlines, naming: naming.clone(), features: features.clone() }
    }

    fn uploadable(features: &Features, path: &str) -> bool {
        let extension = path.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
        features.file_extensions.contains(&extension)
    }

    fn category(&self, name: &str) -> String {
        normalise_title(&format!("{}{name}", self.naming.category_prefix))
    }

    fn link(&self, site: &Site, id: ItemId) -> String {
        wikitext::link(&self.items[id.index()], None, &item_label(site.item(id)))
    }

    fn item_page(&self, site: &Site, graph: &Graph, id: ItemId) -> Result<WikiPage, Box<Diagnostic>> {
        let item = site.item(id);
        let text = item.doc.text()?;
        let body = wikitext::write(&Body {
            site,
            doc: &item.doc,
            text: &text,
            references: &graph.references[id.index()],
            wiki: self,
        });
        let mut out = format!(
            "''{} of [[{}|{}]]''\n\n",
            escape(&capitalised(item.kind.name()), false),
            self.main,
            escape(&site.config.title, false)
        );
        out.push_str(&body);
        self.due_date(graph, id, &mut out);
        self.deadlines_set(site, graph, id, &mut out);
        self.claims_made(site, graph, id, &mut out);
        self.claims_about(site, graph, id, &mut out);
        self.what_links_here(site, graph, id, &mut out);
        out.push_str("\n\n");
        let _ = writeln!(out, "[[Category:{}]]", self.category(plural(item.kind)));
        for (audience, _) in &graph.audiences[id.index()] {
            let _ = writeln!(out, "[[Category:{}]]", self.category(&format!("for {}", site.item(*audience).title)));
        }
        Ok(WikiPage { title: self.items[id.index()].clone(), text: out.trim().to_string() })
    }

    fn due_date(&self, graph: &Graph, id: ItemId, out: &mut String) {
        if let Some(Some(date)) = graph.deadlines.get(id.index()) {
            let due = date.due.map_or_else(|| "not yet known".to_string(), human_date);
            let _ = write!(
                out,
                "\n\n== Due date ==\n\n'''{}''' ({}; {}).",
                escape(&due, false),
                escape(&date.derivation, false),
                escape(date.status.label(), false)
            );
        }
    }

    /// The deadlines a provision sets, with their due dates.
    fn deadlines_set(&self, site: &Site, graph: &Graph, id: ItemId, out: &mut String) {
        let set: Vec<ItemId> =
            graph.deadline_order.iter().copied().filter(|d| graph.deadline_provision[d.index()] == Some(id)).collect();
        if set.is_empty() {
            return;
        }
        out.push_str("\n\n== Deadlines ==\n");
        for deadline in set {
            let Some(date) = graph.deadlines.get(deadline.index()).and_then(|d| d.as_ref()) else { continue };
            let due = date.due.map_or_else(|| "date not yet known".to_string(), |d| format!("due {}", human_date(d)));
            let _ = write!(
                out,
                "\n* {}: '''{}''' ({})",
                self.link(site, deadline),
                escape(&due, false),
                escape(date.status.label(), false)
            );
        }
    }

    fn claims_made(&self, site: &Site, graph: &Graph, id: ItemId, out: &mut String) {
        let claims: Vec<_> = graph.claims_by(id).collect();
        if claims.is_empty() {
            return;
        }
        out.push_str("\n\n== Claims in this source ==\n\n{| class=\"wikitable sortable\"\n! About !! Attribute !! Value !! Quote\n");
        for (_, claim) in claims {
            let _ = write!(
                out,
                "|-\n| {}\n| {}\n| {}\n| {}\n",
                self.link(site, claim.subject),
                escape(&claim.attribute, false),
                escape(&claim.value_text(), false),
                escape(&claim.quote, false)
            );
        }
        out.push_str("|}");
    }

    fn claims_about(&self, site: &Site, graph: &Graph, id: ItemId, out: &mut String) {
        let claims: Vec<_> = graph.claims_about(id).collect();
        if claims.is_empty() {
            return;
        }
        out.push_str(
            "\n\n== What sources say ==\n\n{| class=\"wikitable sortable\"\n! Source !! Attribute !! Value !! Quote\n",
        );
        for (_, claim) in claims {
            let _ = write!(
                out,
                "|-\n| {}\n| {}\n| {}\n| {}\n",
                self.link(site, claim.source),
                escape(&claim.attribute, false),
                escape(&claim.value_text(), false),
                escape(&claim.quote, false)
            );
        }
        out.push_str("|}");
    }

    fn what_links_here(&self, site: &Site, graph: &Graph, id: ItemId, out: &mut String) {
        let backlinks = &graph.backlinks[id.index()];
        if backlinks.is_empty() {
            return;
        }
        out.push_str("\n\n== What links here ==\n");
        let mut seen = HashSet::new();
        for backlink in backlinks.iter().filter(|b| seen.insert((b.from, b.relation))) {
            let _ = write!(
                out,
                "\n* {} ({})",
                self.link(site, backlink.from),
                escape(&backlink.relation.label().to_lowercase(), false)
            );
        }
    }

    fn main_page(&self, site: &Site, graph: &Graph) -> Result<WikiPage, Box<Diagnostic>> {
        let mut out = String::new();
        if let Some(doc) = &site.home {
            let text = doc.text()?;
            out.push_str(&wikitext::write(&Body {
                site,
                doc,
                text: &text,
                references: &graph.home_references,
                wiki: self,
            }));
            out.push_str("\n\n");
        }
        let _ = write!(out, "See also the [[{}|deadline table]].", self.deadlines);
        for kind in MAIN_ORDER {
            let ids: Vec<ItemId> = match kind {
                Kind::Provision => graph.provisions.clone(),
                Kind::Deadline => graph.deadline_order.clone(),
                _ => site.of_kind(kind).map(|(id, _)| id).collect(),
            };
            if ids.is_empty() {
                continue;
            }
            let _ = write!(out, "\n\n== {} ==\n", capitalised(plural(kind)));
            for id in ids {
                let _ = write!(
                    out,
                    "\n* {}",
                    wikitext::link(&self.items[id.index()], None, &item_label_long(site.item(id)))
                );
            }
        }
        Ok(WikiPage { title: self.main.clone(), text: out })
    }

    fn deadline_page(&self, site: &Site, graph: &Graph) -> WikiPage {
        let mut out = format!(
            "Every deadline of [[{}|{}]], by due date. Click a column heading to sort.\n\n",
            self.main,
            escape(&site.config.title, false)
        );
        out.push_str(
            "{| class=\"wikitable sortable\"\n! Due !! Deadline !! Provision !! Acting agencies !! Rule !! Status\n",
        );
        for &id in &graph.deadline_order {
            let Some(date) = graph.deadlines.get(id.index()).and_then(|d| d.as_ref()) else { continue };
            let due = date.due.map_or_else(|| "not yet known".to_string(), human_date);
            let sort_key = date.due.map_or_else(|| "9999-12-31".to_string(), |d| d.format("%Y-%m-%d").to_string());
            let provision = graph.deadline_provision[id.index()].map(|p| self.link(site, p)).unwrap_or_default();
            let agencies: Vec<String> = graph.agencies[id.index()].iter().map(|a| self.link(site, *a)).collect();
            let _ = write!(
                out,
                "|-\n| data-sort-value=\"{sort_key}\" | {}\n| {}\n| {provision}\n| {}\n| {}\n| {}\n",
                escape(&due, false),
                self.link(site, id),
                agencies.join(", "),
                escape(&date.derivation, false),
                escape(date.status.label(), false)
            );
        }
        out.push_str("|}\n\n");
        let _ = write!(out, "[[Category:{}]]", self.category(plural(Kind::Deadline)));
        WikiPage { title: self.deadlines.clone(), text: out }
    }

    fn category_pages(&self, site: &Site, graph: &Graph) -> Vec<WikiPage> {
        let mut categories: BTreeMap<String, String> = BTreeMap::new();
        for item in &site.items {
            let what = format!("The {} of", plural(item.kind));
            categories.entry(self.category(plural(item.kind))).or_insert(what);
        }
        for (n, audiences) in graph.audiences.iter().enumerate() {
            let _ = n;
            for (audience, _) in audiences {
                let title = &site.item(*audience).title;
                categories
                    .entry(self.category(&format!("for {title}")))
                    .or_insert_with(|| format!("What matters to {} in", escape(title, false)));
            }
        }
        categories
            .into_iter()
            .map(|(name, what)| WikiPage {
                title: format!("Category:{name}"),
                text: format!("{what} [[{}|{}]].", self.main, escape(&site.config.title, false)),
            })
            .collect()
    }
}

impl Wiki for Titles {
    fn item_title(&self, item: ItemId) -> &str {
        &self.items[item.index()]
    }

    fn file_name(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(String::as_str)
    }

    fn has_syntaxhighlight(&self) -> bool {
        self.features.syntaxhighlight
    }

    fn has_cite(&self) -> bool {
        self.features.cite
    }

    fn deadlines_title(&self) -> &str {
        &self.deadlines
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::normalise_title;

    #[test]
    fn titles_are_normalised_as_the_wiki_stores_them() {
        assert_eq!(normalise_title("kb/Sec. 3(b)  [draft]"), "Kb/Sec. 3(b) draft");
        assert_eq!(normalise_title("a_b|c#d"), "A b c d");
        assert_eq!(normalise_title(&"é".repeat(200)).len(), 254);
    }
}
