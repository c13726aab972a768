//! Resolving the references written in note bodies: wikilinks, embeds, citations, relative
//! markdown links and attachments. Each becomes a [`Resolved`] in the same order as the
//! document's outline, or a diagnostic at the reference's own position with the nearest
//! valid names.

use crate::config::BrokenReferences;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Document, RawReference, Syntax};
use crate::model::{ItemId, Kind, Site};
use crate::resolve::lookup::{Found, Lookup};
use crate::text::{nearest, slugify};

/// What a reference points at once resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// An item, optionally a heading inside it (the canonical anchor).
    Item {
        /// The item.
        item: ItemId,
        /// Anchor of a heading inside it.
        anchor: Option<String>,
    },
    /// A heading of the same page.
    Anchor(String),
    /// An attachment, by its path under `content/`.
    Attachment(String),
    /// Nothing: the reference is broken (reported; rendered as plain text).
    Broken,
}

/// A reference with its resolution.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// Byte offset of the reference in its file (the key the renderer finds it by).
    pub offset: usize,
    /// How it was written.
    pub syntax: Syntax,
    /// What it points at.
    pub target: Target,
    /// The label the author gave, if any.
    pub label: Option<String>,
    /// Citation locator.
    pub locator: Option<String>,
}

/// Context of the note whose references are being resolved.
pub struct From<'a> {
    /// The note's document.
    pub doc: &'a Document,
    /// The note itself (`None` for the home page introduction).
    pub item: Option<ItemId>,
    /// Its current instrument.
    pub instrument: Option<ItemId>,
}

/// Resolves every reference of one document.
pub fn resolve_document(site: &Site, lookup: &Lookup, from: &From<'_>, diagnostics: &mut Diagnostics) -> Vec<Resolved> {
    crate::resolve::site_links::check(site, lookup, from.doc, diagnostics);
    from.doc
        .outline
        .references
        .iter()
        .map(|raw| {
            let target = match resolve_one(site, lookup, from, raw) {
                Ok(target) => target,
                Err(diagnostic) => {
                    diagnostics.push(match site.config.references.broken {
                        BrokenReferences::Error => diagnostic,
                        BrokenReferences::Warn => diagnostic.warning(),
                    });
                    Target::Broken
                }
            };
            Resolved {
                offset: raw.range.start,
                syntax: raw.syntax,
                target,
                label: raw.label.clone(),
                locator: raw.locator.clone(),
            }
        })
        .collect()
}

#[allow(clippy::result_large_err, reason = "a failed lookup is rare and its diagnostic goes straight into the list")]
fn resolve_one(site: &Site, lookup: &Lookup, from: &From<'_>, raw: &RawReference) -> Result<Target, Diagnostic> {
    match raw.syntax {
        Syntax::Wikilink | Syntax::Embed | Syntax::MarkdownLink if raw.target.is_empty() => {
            let anchor = raw.anchor.clone().unwrap_or_default();
            let canonical = find_heading(from.doc, &anchor)
                .or_else(|| has_html_id(from.doc, &anchor).then(|| anchor.clone()))
                .ok_or_else(|| bad_anchor(from.doc, raw, from.doc, &anchor))?;
            Ok(Target::Anchor(canonical))
        }
        Syntax::MarkdownLink => {
            let path = relative_path(&from.doc.rel_path, &raw.target).ok_or_else(|| escapes(from.doc, raw))?;
            let item = lookup.by_path(&path).ok_or_else(|| {
                from.doc
                    .diagnostic(
                        "unresolved-reference",
                        raw.range.clone(),
                        format!("the link points at `{path}`, which is not a note of the knowledge base"),
                    )
                    .with_hint(match lookup.suggest(path.trim_end_matches(".md")).first() {
                        Some(best) => format!(
                            "did you mean `{best}`? link to notes by a path relative to this file, or use [[id]]"
                        ),
                        None => "link to notes by a path relative to this file, or use [[id]]".to_string(),
                    })
            })?;
            with_anchor(site, from, raw, item)
        }
        Syntax::Asset => {
            let path = relative_path(&from.doc.rel_path, &raw.target).ok_or_else(|| escapes(from.doc, raw));
            let attachment = path.as_ref().ok().and_then(|path| find_attachment(site, lookup, path, path));
            match attachment {
                Some(found) => Ok(found),
                None if is_page_url(&raw.target) => page_url(site, lookup, from, raw),
                None => {
                    let path = path?;
                    // `../sandbox`: a file path with no extension may be a page's URL too.
                    let extension = path.rsplit('/').next().is_some_and(|name| name.contains('.'));
                    let page = (!extension).then(|| page_url(site, lookup, from, raw).ok()).flatten();
                    page.ok_or_else(|| missing_attachment(from.doc, raw, &path))
                }
            }
        }
        Syntax::Wikilink | Syntax::Embed if looks_like_file(&raw.target) => {
            let relative = relative_path(&from.doc.rel_path, &raw.target).unwrap_or_default();
            find_attachment(site, lookup, &raw.target, &relative)
                .ok_or_else(|| missing_attachment(from.doc, raw, &raw.target))
        }
        Syntax::Wikilink | Syntax::Embed | Syntax::Citation => {
            let item = match lookup.find(&raw.target, from.instrument) {
                Found::One(item) => item,
                Found::Ambiguous(items) => match in_same_folder(site, &from.doc.rel_path, &raw.target, &items) {
                    Some(item) if raw.syntax != Syntax::Citation => item,
                    _ => return Err(ambiguous(site, from.doc, raw, &items)),
                },
                Found::Missing(suggestions) => return Err(unresolved(from.doc, raw, &suggestions)),
            };
            if raw.syntax == Syntax::Citation && site.item(item).kind != Kind::Source {
                let found = site.item(item);
                return Err(from
                    .doc
                    .diagnostic(
                        "citation-target",
                        raw.range.clone(),
                        format!("`{}` is a {}, not a source", raw.target, found.kind.name()),
                    )
                    .with_hint(format!("cite sources with [@source-id]; link other items with [[{}]]", raw.target)));
            }
            with_anchor(site, from, raw, item)
        }
    }
}

#[allow(clippy::result_large_err, reason = "a failed lookup is rare and its diagnostic goes straight into the list")]
fn with_anchor(site: &Site, from: &From<'_>, raw: &RawReference, item: ItemId) -> Result<Target, Diagnostic> {
    let anchor = match &raw.anchor {
        None => None,
        Some(anchor) => {
            let doc = &site.item(item).doc;
            Some(find_heading(doc, anchor).ok_or_else(|| bad_anchor(from.doc, raw, doc, anchor))?)
        }
    };
    Ok(Target::Item { item, anchor })
}

/// The canonical anchor of the heading `wanted` names, by anchor or by text.
pub fn find_heading(doc: &Document, wanted: &str) -> Option<String> {
    if let Some(block) = wanted.strip_prefix('^') {
        return has_block_id(doc, block).then(|| wanted.to_string());
    }
    let slug = slugify(wanted);
    doc.outline
        .headings
        .iter()
        .find(|h| {
            h.anchor == wanted
                || h.anchor == slug
                || h.text.eq_ignore_ascii_case(wanted)
                || github_id(&h.text) == wanted
        })
        .map(|h| h.anchor.clone())
}

/// True when a line of the note ends with the Obsidian block id ` ^block`, or is `^block`
/// alone (naming the list, table or quote before it), which `[[note#^block]]` points at
/// (the renderer turns it into an anchor).
fn has_block_id(doc: &Document, block: &str) -> bool {
    let Ok(text) = doc.text() else { return false };
    text.lines().any(|line| {
        crate::markdown::trailing_block_id(line, line).is_some_and(|(_, id)| id == block)
            || crate::markdown::own_line_block_id(line) == Some(block)
    })
}

/// The id GitHub and Jekyll's kramdown give a heading: lower case, punctuation dropped,
/// each space a hyphen (`SPF & DKIM` → `spf--dkim`, `cloud.gov` → `cloudgov`), so links
/// written for those sites find the heading (the page keeps docket's own anchor).
pub fn github_id(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_'))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// A relative link to a page by its URL (`../levels/`, `checklist/`, `..`), as sites whose
/// pages link to each other's published URLs write them. A path without the final `/`
/// (`../hostname`) stays a file path.
fn is_page_url(target: &str) -> bool {
    let last = target.rsplit('/').next().unwrap_or_default();
    target.ends_with('/') || matches!(last, "." | "..")
}

/// Resolves a relative page URL against the URL of the page it is written on (`..` above
/// the site root stays at the root, as in a browser).
#[allow(clippy::result_large_err, reason = "a failed lookup is rare and its diagnostic goes straight into the list")]
fn page_url(site: &Site, lookup: &Lookup, from: &From<'_>, raw: &RawReference) -> Result<Target, Diagnostic> {
    let base = from.item.map_or("", |id| site.item(id).route.as_str());
    let mut parts: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    for part in raw.target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    if parts.is_empty() {
        // The home page, published at the root (it is no item of its own).
        return Ok(Target::Attachment(String::new()));
    }
    let route = format!("{}/", parts.join("/"));
    match lookup.by_route(&route) {
        Some(item) => with_anchor(site, from, raw, item),
        None => Err(from
            .doc
            .diagnostic(
                "unresolved-reference",
                raw.range.clone(),
                format!("the link points at /{route}, where this site publishes no page"),
            )
            .with_hint("link to notes with [[id]] or a relative .md path, which survive a move")),
    }
}

/// True when the note's own raw HTML gives an element this id (`<a id="annex">`), which a
/// same-page link may point at as well as at a heading.
fn has_html_id(doc: &Document, id: &str) -> bool {
    let Ok(text) = doc.text() else { return false };
    ["id=\"", "name=\"", "id='", "name='"].iter().any(|attr| {
        let quote = &attr[attr.len() - 1..];
        text.contains(&format!("{attr}{id}{quote}"))
    })
}

fn looks_like_file(target: &str) -> bool {
    let name = target.rsplit('/').next().unwrap_or(target);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty()
            && (2..=5).contains(&ext.len())
            && ext.chars().all(|c| c.is_ascii_alphanumeric())
            && !ext.eq_ignore_ascii_case("md")
            && ext.chars().any(|c| c.is_ascii_alphabetic())
    })
}

fn find_attachment(site: &Site, lookup: &Lookup, wanted: &str, relative: &str) -> Option<Target> {
    lookup.attachment(wanted, relative).map(|n| Target::Attachment(site.attachments[n].rel_path.clone()))
}

/// Joins a relative link to the folder of `from_path`, both under `content/`; a link
/// starting with `/` is a path from the content folder. `None` when the result would leave
/// the content folder.
pub fn relative_path(from_path: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = from_path.split('/').collect();
    parts.pop();
    if link.starts_with('/') {
        parts.clear();
    }
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

fn escapes(doc: &Document, raw: &RawReference) -> Diagnostic {
    doc.diagnostic(
        "unresolved-reference",
        raw.range.clone(),
        format!("`{}` points outside the content folder", raw.target),
    )
    .with_hint("link only to files inside the content folder")
}

fn missing_attachment(doc: &Document, raw: &RawReference, path: &str) -> Diagnostic {
    doc.diagnostic("missing-attachment", raw.range.clone(), format!("there is no file `{path}` in the content folder"))
        .with_hint("put the file in the content folder, or fix the path (it is relative to this note)")
}

fn unresolved(doc: &Document, raw: &RawReference, suggestions: &[String]) -> Diagnostic {
    let what = if raw.syntax == Syntax::Citation { "source" } else { "item" };
    let diagnostic =
        doc.diagnostic("unresolved-reference", raw.range.clone(), format!("no {what} is called `{}`", raw.target));
    match suggestions {
        [] => diagnostic.with_hint("check the id; ids are file names without .md unless the note sets `id`"),
        _ => diagnostic.with_hint(format!(
            "did you mean {}?",
            suggestions.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The one item of `items` whose note sits in the same folder as the note at `rel_path`,
/// when `name` is the file name they all share: a bare file name two notes share means
/// the one beside the linking note, as in Obsidian (its help vault links `[[Security and
/// privacy]]` from both the Publish and the Sync folder, each meaning its own). A name
/// shared otherwise (an alias, an id) stays ambiguous.
fn in_same_folder(site: &Site, rel_path: &str, name: &str, items: &[ItemId]) -> Option<ItemId> {
    let folder = |path: &str| path.rsplit_once('/').map_or("", |(folder, _)| folder).to_string();
    let name = name.trim().to_lowercase();
    if !items.iter().all(|&item| crate::model::natural_name(&site.item(item).doc.rel_path).to_lowercase() == name) {
        return None;
    }
    let here = folder(rel_path);
    let mut beside = items.iter().filter(|&&item| folder(&site.item(item).doc.rel_path) == here);
    match (beside.next(), beside.next()) {
        (Some(&one), None) => Some(one),
        _ => None,
    }
}

fn ambiguous(site: &Site, doc: &Document, raw: &RawReference, items: &[ItemId]) -> Diagnostic {
    let names: Vec<String> =
        items.iter().map(|&i| format!("`{}` ({})", site.item(i).id, site.item(i).doc.display_path.display())).collect();
    doc.diagnostic(
        "ambiguous-reference",
        raw.range.clone(),
        format!("`{}` could mean {}", raw.target, names.join(" or ")),
    )
    .with_hint(format!(
        "use a full id: {}",
        items.iter().map(|&i| format!("[[{}]]", site.item(i).id)).collect::<Vec<_>>().join(" or ")
    ))
}

fn bad_anchor(doc: &Document, raw: &RawReference, target: &Document, anchor: &str) -> Diagnostic {
    let anchors = target.outline.headings.iter().map(|h| h.anchor.as_str());
    let suggestions = nearest(&slugify(anchor), anchors, 3);
    let diagnostic = doc.diagnostic(
        "bad-anchor",
        raw.range.clone(),
        format!("{} has no heading `{anchor}`", target.display_path.display()),
    );
    match suggestions.as_slice() {
        [] if target.outline.headings.is_empty() => diagnostic.with_hint("that note has no headings"),
        [] => diagnostic.with_hint(format!(
            "its headings are: {}",
            target.outline.headings.iter().map(|h| format!("`{}`", h.anchor)).collect::<Vec<_>>().join(", ")
        )),
        some => diagnostic.with_hint(format!(
            "did you mean {}?",
            some.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_join_and_refuse_to_escape() {
        assert_eq!(relative_path("notes/a.md", "../sources/b.md").as_deref(), Some("sources/b.md"));
        assert_eq!(relative_path("a.md", "./b.md").as_deref(), Some("b.md"));
        assert_eq!(relative_path("a.md", "../b.md"), None);
        assert_eq!(github_id("SPF & DKIM"), "spf--dkim");
        assert_eq!(github_id("Deploy to cloud.gov"), "deploy-to-cloudgov");
    }

    #[test]
    fn file_names_are_told_from_ids() {
        assert!(looks_like_file("diagram.png"));
        assert!(looks_like_file("files/report.pdf"));
        assert!(!looks_like_file("eo-14110:4.2"));
        assert!(!looks_like_file("note.md"));
        assert!(!looks_like_file("cisa"));
    }
}
