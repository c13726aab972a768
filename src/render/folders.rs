//! The folder tree of a knowledge base imported as it was written: a Hugo section's
//! `_index.md`, a folder's `index.md`, or any note whose URL others sit under, lists the
//! notes under it; the notes index is the whole tree. Both read in natural order
//! (`article-2` before `article-10`, `31` before `31a` before `32`), with an explicit
//! `order` (or `weight`, `nav_order`, `display_order`) first.
//!
//! A note's parent is the page its front matter's `parent` names (by title or id, as the
//! Just the Docs Jekyll theme writes it), else the nearest item whose route is a prefix of
//! its own, so a note in a folder without an index page hangs under the next folder up
//! that has one, and every note is reachable from an index.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::model::{ItemId, Kind, Site};

/// Parents and children of every item, by route.
pub(crate) struct Folders {
    children: Vec<Vec<ItemId>>,
}

impl Folders {
    /// Finds every item's parent and sorts each item's children.
    pub(crate) fn new(site: &Site) -> Folders {
        let by_route: HashMap<&str, ItemId> =
            site.items.iter().enumerate().map(|(n, item)| (item.route.as_str(), ItemId(n as u32))).collect();
        let by_title: HashMap<&str, ItemId> = site
            .items
            .iter()
            .enumerate()
            .flat_map(|(n, item)| [(item.title.as_str(), ItemId(n as u32)), (item.id.as_str(), ItemId(n as u32))])
            .collect();
        let mut children: Vec<Vec<ItemId>> = vec![Vec::new(); site.items.len()];
        for (n, item) in site.items.iter().enumerate() {
            let named = item.doc.front.parent.as_deref().and_then(|p| by_title.get(p.trim()).copied());
            if let Some(parent) = named.or_else(|| parent_route(&item.route, &by_route)) {
                children[parent.index()].push(ItemId(n as u32));
            }
        }
        for list in &mut children {
            list.sort_by(|&a, &b| sibling_order(site, a, b));
        }
        Folders { children }
    }

    /// The items directly under `id`, in natural order.
    pub(crate) fn children(&self, id: ItemId) -> &[ItemId] {
        &self.children[id.index()]
    }
}

/// A child's link in its folder's list. A note whose opening heading carries its number
/// ahead of its title (`# Article 31A. Saving of laws` under `title: Saving of laws`) is
/// listed by that heading, so the list shows the numbers readers look for.
pub(crate) fn child_link(
    site: &Site,
    views: &crate::render::views::Views<'_>,
    id: ItemId,
) -> crate::render::views::Link {
    let mut link = views.link(id);
    let item = site.item(id);
    if let Some(heading) = &item.doc.outline.first_heading
        && item.doc.outline.opens_with_title
        && heading.len() > item.title.len()
        && heading.contains(&item.title)
    {
        link.label = heading.clone();
    }
    link
}

fn parent_route(route: &str, by_route: &HashMap<&str, ItemId>) -> Option<ItemId> {
    let trimmed = route.trim_end_matches('/');
    let mut end = trimmed.len();
    while let Some(slash) = trimmed[..end].rfind('/') {
        if let Some(&parent) = by_route.get(&route[..slash + 1]) {
            return Some(parent);
        }
        end = slash;
    }
    None
}

fn sibling_order(site: &Site, a: ItemId, b: ItemId) -> Ordering {
    let (a, b) = (site.item(a), site.item(b));
    let order = |item: &crate::model::Item| item.order.unwrap_or(i64::MAX);
    order(a).cmp(&order(b)).then_with(|| natural_cmp(&a.route, &b.route))
}

/// True when most items are free notes (an imported vault or site rather than a knowledge
/// base of provisions and sources): the navigation then offers the notes index, and that
/// index shows the folder tree.
pub(crate) fn mostly_notes(site: &Site) -> bool {
    let notes = site.of_kind(Kind::Note).count();
    notes > 0 && notes * 2 >= site.items.len()
}

/// The notes in folder-tree order, each with its depth in the tree of notes: the
/// notes index of a knowledge base that is mostly notes.
pub(crate) fn note_tree(site: &Site) -> Vec<(ItemId, usize)> {
    let orders: HashMap<&str, i64> =
        site.items.iter().filter_map(|item| Some((item.route.as_str(), item.order?))).collect();
    let mut keyed: Vec<(Vec<(i64, &str)>, ItemId)> = site
        .of_kind(Kind::Note)
        .map(|(id, item)| {
            let route = item.route.as_str();
            let ends = route.match_indices('/').map(|(i, _)| i);
            let mut start = 0;
            let mut key = Vec::new();
            for end in ends {
                key.push((orders.get(&route[..end + 1]).copied().unwrap_or(i64::MAX), &route[start..end]));
                start = end + 1;
            }
            (key, id)
        })
        .collect();
    keyed.sort_by(|(a, _), (b, _)| {
        let levels = a.iter().zip(b.iter()).map(|(x, y)| x.0.cmp(&y.0).then_with(|| natural_cmp(x.1, y.1)));
        levels.fold(Ordering::Equal, Ordering::then).then(a.len().cmp(&b.len()))
    });
    let roots: Vec<usize> = keyed.iter().map(|(key, _)| key.len()).collect();
    let shallowest = roots.iter().copied().min().unwrap_or(1);
    keyed.into_iter().map(|(key, id)| (id, key.len() - shallowest)).collect()
}

/// Compares two names the way a reader counts: runs of digits by their value, everything
/// else case-insensitively, so `article-2` < `article-10` and `31` < `31a` < `32`.
pub(crate) fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a, b);
    loop {
        match (a.is_empty(), b.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        let (chunk_a, rest_a) = split_chunk(a);
        let (chunk_b, rest_b) = split_chunk(b);
        let numeric = |s: &str| s.as_bytes()[0].is_ascii_digit();
        let ordering = match (numeric(chunk_a), numeric(chunk_b)) {
            (true, true) => {
                let (x, y) = (chunk_a.trim_start_matches('0'), chunk_b.trim_start_matches('0'));
                x.len().cmp(&y.len()).then_with(|| x.cmp(y))
            }
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => chunk_a.to_lowercase().cmp(&chunk_b.to_lowercase()),
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
        (a, b) = (rest_a, rest_b);
    }
}

/// The leading run of digits or of non-digits of a non-empty string, and the rest.
fn split_chunk(s: &str) -> (&str, &str) {
    let digit = s.as_bytes()[0].is_ascii_digit();
    let end = s.find(|c: char| c.is_ascii_digit() != digit).unwrap_or(s.len());
    s.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_sort_by_value_then_by_letter_suffix() {
        let mut names = vec!["article-32", "article-31a", "article-10", "article-31", "article-2", "Article-1b"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(names, ["Article-1b", "article-2", "article-10", "article-31", "article-31a", "article-32"]);
        assert_eq!(natural_cmp("007", "7"), Ordering::Equal);
        assert_eq!(natural_cmp("a/", "a/b/"), Ordering::Less);
    }
}
