//! One exported markdown page: front matter, the body with references spliced into
//! relative links, and the sections the site computes (deadline, claims, backlinks).

use std::fmt::Write as _;

use super::{Flavor, FrontMatter, HOME_ORDER};
use crate::diagnostics::Diagnostic;
use crate::load::{Document, Format, RawReference, Syntax};
use crate::markdown;
use crate::model::{ItemId, Site};
use crate::render::markdown::{item_label, item_label_long};
use crate::resolve::{Graph, Resolved, Target};
use crate::text::human_date;

/// The page wikis open first (GitLab's is `home.md`).
pub(super) const HOME: &str = "Home.md";

/// Writes pages of one export.
pub(super) struct Pages<'a> {
    /// The site.
    pub site: &'a Site,
    /// Its graph.
    pub graph: &'a Graph,
    /// Front matter kept or dropped.
    pub front_matter: FrontMatter,
    /// Which wiki the links are written for.
    pub flavor: Flavor,
    /// The path each item is written at, by item index ([`paths`]).
    pub paths: Vec<String>,
}

/// The path each item's page is written at. Plain markdown and GitLab wikis (which address
/// pages by path) keep the layout of `content/`; a GitHub wiki addresses every page by its
/// file name alone, so each page gets a flat, unique name made from its title: spaces
/// become `-` (GitHub shows a `-` as a space), and characters GitHub wiki names handle
/// badly (`:`, `/`, typed hyphens, brackets) are dropped.
pub(super) fn paths(site: &Site, flavor: Flavor) -> Vec<String> {
    if flavor != Flavor::GithubWiki {
        return site.items.iter().map(|item| item.doc.rel_path.clone()).collect();
    }
    let mut taken = std::collections::HashSet::from(["home".to_string()]);
    site.items
        .iter()
        .map(|item| {
            let words: String =
                item_label_long(item).chars().map(|c| if c.is_alphanumeric() || c == '.' { c } else { ' ' }).collect();
            let base = words.split_whitespace().collect::<Vec<_>>().join("-");
            let base = if base.is_empty() { "Page".to_string() } else { base };
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{base}-{n}");
                n += 1;
            }
            format!("{name}.md")
        })
        .collect()
}

/// The home page's file for a flavour.
pub(super) fn home_path(flavor: Flavor) -> &'static str {
    if flavor == Flavor::GitlabWiki { "home.md" } else { HOME }
}

impl Pages<'_> {
    /// The markdown of one item; fails when its file changed since it was loaded.
    pub(super) fn item(&self, id: ItemId) -> Result<String, Box<Diagnostic>> {
        let item = self.site.item(id);
        let doc = &item.doc;
        let text = doc.text()?;
        let mut out = String::with_capacity(text.len() + 512);
        if let (FrontMatter::Keep, Some(format)) = (self.front_matter, doc.format) {
            let fence = if format == Format::Toml { "+++" } else { "---" };
            let _ = write!(out, "{fence}\n{}\n{fence}\n\n", text[doc.front_range.clone()].trim_end());
        }
        if !doc.outline.opens_with_title {
            let _ = writeln!(out, "# {}\n", item_label_long(item));
        }
        out.push_str(&self.body(doc, &text, &self.paths[id.index()], &self.graph.references[id.index()]));
        self.computed_sections(id, &mut out);
        Ok(out)
    }

    /// `Home.md`: the home introduction, then every item by kind; fails when the home
    /// note changed since it was loaded.
    pub(super) fn home(&self) -> Result<String, Box<Diagnostic>> {
        let mut out = format!("# {}\n\n", self.site.config.title);
        if let Some(doc) = &self.site.home {
            out.push_str(&self.body(doc, &doc.text()?, home_path(self.flavor), &self.graph.home_references));
            out.push_str("\n\n");
        }
        for kind in HOME_ORDER {
            let ids: Vec<ItemId> = match kind {
                crate::model::Kind::Provision => self.graph.provisions.clone(),
                crate::model::Kind::Deadline => self.graph.deadline_order.clone(),
                _ => self.site.of_kind(kind).map(|(id, _)| id).collect(),
            };
            if ids.is_empty() {
                continue;
            }
            let _ = writeln!(out, "## {}\n", capitalised(kind.name()));
            for id in ids {
                let item = self.site.item(id);
                let _ = writeln!(
                    out,
                    "- [{}]({})",
                    escape_label(&item_label_long(item)),
                    self.page_link(home_path(self.flavor), id)
                );
            }
            out.push('\n');
        }
        Ok(out)
    }

    /// The body with every resolved reference replaced by a markdown link. References
    /// sharing a range (several citations in one bracket) are written together.
    fn body(&self, doc: &Document, text: &str, from: &str, resolved: &[Resolved]) -> String {
        let base = doc.body_start;
        let mut out = String::with_capacity(text.len() - base + 256);
        let mut copied = base;
        let hidden = markdown::hidden_ranges(text, base);
        let pairs: Vec<(&RawReference, &Resolved)> = doc.outline.references.iter().zip(resolved).collect();
        let mut at = 0;
        while at < pairs.len() {
            let range = pairs[at].0.range.clone();
            let group_end = pairs[at..].iter().position(|(raw, _)| raw.range != range).map_or(pairs.len(), |n| at + n);
            if range.start >= copied {
                push_visible(&mut out, text, copied..range.start, &hidden);
                out.push_str(&self.replacement(doc, text, from, &pairs[at..group_end]));
                copied = range.end;
            }
            at = group_end;
        }
        push_visible(&mut out, text, copied.max(base)..text.len(), &hidden);
        out
    }

    fn replacement(&self, doc: &Document, text: &str, from: &str, group: &[(&RawReference, &Resolved)]) -> String {
        let (raw, first) = group[0];
        match raw.syntax {
            Syntax::Citation => {
                let parts: Vec<String> = group.iter().map(|(raw, r)| self.citation(from, raw, r)).collect();
                format!("({})", parts.join("; "))
            }
            Syntax::Embed => self.embed(from, raw, first),
            Syntax::Asset => {
                let label = own_label(&text[raw.range.clone()])
                    .map(str::to_string)
                    .or_else(|| raw.label.clone())
                    .unwrap_or_else(|| file_name(&raw.target).to_string());
                let bang = if text[raw.range.clone()].starts_with('!') { "!" } else { "" };
                match &first.target {
                    Target::Attachment(path) => format!("{bang}[{}]({})", escape_label(&label), link_path(from, path)),
                    _ => label,
                }
            }
            Syntax::MarkdownLink => {
                // The author's own label stays as written (markdown and all); only the
                // destination changes.
                let written = own_label(&text[raw.range.clone()]);
                let label =
                    written.map_or_else(|| escape_label(&self.default_label(doc, first, &raw.target)), str::to_string);
                match self.href(from, &first.target) {
                    Some(href) => format!("[{label}]({href})"),
                    None => label,
                }
            }
            Syntax::Wikilink => {
                let label = raw.label.clone().unwrap_or_else(|| self.default_label(doc, first, &raw.target));
                match self.href(from, &first.target) {
                    Some(href) => format!("[{}]({href})", escape_label(&label)),
                    None => label,
                }
            }
        }
    }

    fn citation(&self, from: &str, raw: &RawReference, resolved: &Resolved) -> String {
        let label = match &resolved.target {
            Target::Item { item, .. } => self.site.item(*item).short_label(),
            _ => raw.target.clone(),
        };
        let locator = resolved.locator.as_ref().map(|l| format!(", {l}")).unwrap_or_default();
        match self.href(from, &resolved.target) {
            Some(href) => format!("[{}]({href}){locator}", escape_label(&label)),
            None => format!("{label}{locator}"),
        }
    }

    fn embed(&self, from: &str, raw: &RawReference, resolved: &Resolved) -> String {
        match &resolved.target {
            Target::Attachment(path) => format!("![{}]({})", escape_label(file_name(path)), link_path(from, path)),
            Target::Item { item, .. } => {
                let target = self.site.item(*item);
                let href = self.href(from, &resolved.target).unwrap_or_default();
                let summary = target.summary.as_deref().map(|s| format!(": {s}")).unwrap_or_default();
                format!(
                    "\n> **[{}]({href})** ({}){summary}\n",
                    escape_label(&item_label_long(target)),
                    target.kind.name()
                )
            }
            _ => raw.target.clone(),
        }
    }

    fn default_label(&self, doc: &Document, resolved: &Resolved, written: &str) -> String {
        match &resolved.target {
            Target::Item { item, anchor } => {
                let target = self.site.item(*item);
                match anchor {
                    Some(anchor) if !anchor.starts_with('^') => {
                        format!("{}: {}", item_label(target), target.doc.anchor_text(anchor))
                    }
                    _ => item_label(target),
                }
            }
            Target::Anchor(anchor) => doc.anchor_text(anchor),
            Target::Attachment(path) => file_name(path).to_string(),
            Target::Broken => written.to_string(),
        }
    }

    fn href(&self, from: &str, target: &Target) -> Option<String> {
        match target {
            Target::Item { item, anchor } => {
                let mut href = self.page_link(from, *item);
                if let Some(anchor) = anchor {
                    href.push('#');
                    href.push_str(anchor);
                }
                Some(href)
            }
            Target::Anchor(anchor) => Some(format!("#{anchor}")),
            Target::Attachment(path) => Some(link_path(from, path)),
            Target::Broken => None,
        }
    }

    /// Deadline date, claims and backlinks, as the site pages show them.
    fn computed_sections(&self, id: ItemId, out: &mut String) {
        let from = self.paths[id.index()].as_str();
        if let Some(Some(date)) = self.graph.deadlines.get(id.index()) {
            let due = date.due.map_or_else(|| "not yet known".to_string(), human_date);
            let _ = write!(out, "\n\n## Due date\n\n**{due}** ({}; {}).\n", date.derivation, date.status.label());
        }
        let claims_made: Vec<_> = self.graph.claims.all.iter().filter(|c| c.source == id).collect();
        if !claims_made.is_empty() {
            out.push_str(
                "\n\n## Claims in this source\n\n| About | Attribute | Value | Quote |\n| --- | --- | --- | --- |\n",
            );
            for claim in claims_made {
                let about = self.item_link(from, claim.subject);
                let _ = writeln!(
                    out,
                    "| {about} | {} | {} | {} |",
                    cell(&claim.attribute),
                    cell(&claim.value_text()),
                    cell(&claim.quote)
                );
            }
        }
        let about: Vec<_> = self.graph.claims_about(id).collect();
        if !about.is_empty() {
            out.push_str(
                "\n\n## What sources say\n\n| Source | Attribute | Value | Quote |\n| --- | --- | --- | --- |\n",
            );
            for (_, claim) in about {
                let source = self.item_link(from, claim.source);
                let _ = writeln!(
                    out,
                    "| {source} | {} | {} | {} |",
                    cell(&claim.attribute),
                    cell(&claim.value_text()),
                    cell(&claim.quote)
                );
            }
        }
        let backlinks = &self.graph.backlinks[id.index()];
        if !backlinks.is_empty() {
            out.push_str("\n\n## Linked from\n\n");
            let mut seen = std::collections::HashSet::new();
            for backlink in backlinks.iter().filter(|b| seen.insert((b.from, b.relation))) {
                let _ = writeln!(
                    out,
                    "- {} ({})",
                    self.item_link(from, backlink.from),
                    backlink.relation.label().to_lowercase()
                );
            }
        }
    }

    fn item_link(&self, from: &str, id: ItemId) -> String {
        let item = self.site.item(id);
        format!("[{}]({})", escape_label(&item_label(item)), self.page_link(from, id))
    }

    /// The link from the file `from` to an item's page: a relative path to the file for
    /// plain markdown; for a wiki, the page's address, which has no `.md`.
    fn page_link(&self, from: &str, id: ItemId) -> String {
        let path = link_path(from, &self.paths[id.index()]);
        match self.flavor {
            Flavor::Plain => path,
            Flavor::GithubWiki | Flavor::GitlabWiki => path.strip_suffix(".md").map_or(path.clone(), str::to_string),
        }
    }
}

/// Copies `text[range]` but for the parts of it in `hidden` (sorted, [`markdown::hidden_ranges`]):
/// block ids and what comments left at line ends are not for readers of the export.
fn push_visible(out: &mut String, text: &str, range: std::ops::Range<usize>, hidden: &[std::ops::Range<usize>]) {
    let mut at = range.start;
    let first = hidden.partition_point(|h| h.end <= range.start);
    for skip in hidden[first..].iter().take_while(|h| h.start < range.end) {
        let skip = skip.start.max(range.start)..skip.end.min(range.end);
        out.push_str(&text[at..skip.start]);
        at = skip.end;
    }
    out.push_str(&text[at..range.end]);
}

/// The relative link from the file `from` to the file `to` (both paths under the export
/// root), with spaces and parentheses percent-encoded so any markdown parser reads it.
pub(super) fn link_path(from: &str, to: &str) -> String {
    let from_dirs: Vec<&str> = from.split('/').collect::<Vec<_>>().split_last().map_or(Vec::new(), |(_, d)| d.to_vec());
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dirs.iter().zip(&to_parts).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from_dirs.len() - common];
    parts.extend(&to_parts[common..]);
    let joined = parts.join("/");
    joined.replace('%', "%25").replace(' ', "%20").replace('(', "%28").replace(')', "%29")
}

/// The label of a markdown link or image as written: what is between its first `[` (after
/// an optional `!`) and the matching `]`, nested brackets and backslash escapes
/// respected. `None` when it is empty or the text is not a bracketed link.
fn own_label(link: &str) -> Option<&str> {
    let inner = link.strip_prefix('!').unwrap_or(link).strip_prefix('[')?;
    let start = link.len() - inner.len();
    let (mut depth, mut escaped) = (1usize, false);
    for (at, c) in inner.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    let label = &link[start..start + at];
                    return (!label.trim().is_empty()).then_some(label);
                }
            }
            _ => {}
        }
    }
    None
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn escape_label(label: &str) -> String {
    label.replace('\\', "\\\\").replace('[', "\\[").replace(']', "\\]")
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{link_path, own_label};

    #[test]
    fn a_link_keeps_its_own_label() {
        assert_eq!(own_label("[the *act*](../a.md)"), Some("the *act*"));
        assert_eq!(own_label("[a [nested] \\] label](x.md#h)"), Some("a [nested] \\] label"));
        assert_eq!(own_label("![map](m.png)"), Some("map"));
        assert_eq!(own_label("[](x.md)"), None);
        assert_eq!(own_label("<x.md>"), None);
    }

    #[test]
    fn block_ids_and_comment_marks_are_not_copied() {
        let text = "Kept. ^abc\nMore.    \u{200b}\nEnd.\n";
        let mut out = String::new();
        super::push_visible(&mut out, text, 0..text.len(), &crate::markdown::hidden_ranges(text, 0));
        assert_eq!(out, "Kept.\nMore.\nEnd.\n");
    }

    #[test]
    fn links_climb_to_the_common_folder() {
        assert_eq!(link_path("sections/2.md", "sources/a.md"), "../sources/a.md");
        assert_eq!(link_path("sections/2.md", "sections/1.md"), "1.md");
        assert_eq!(link_path("Home.md", "notes/deep/a b.md"), "notes/deep/a%20b.md");
        assert_eq!(link_path("notes/deep/x.md", "attachments/m.png"), "../../attachments/m.png");
    }
}
