//! The tags of a knowledge base: every tag items carry (in front matter or inline as
//! `#tag`), with the items that carry it and, for nested tags (`ai/safety`), the tags
//! under it. A nested tag's parents exist even when no item carries them directly, as in
//! Obsidian's tag pane: `ai` holds `ai/safety` and `ai/bias`.
//!
//! Tags are told apart by the route of their page (`tags/ai/safety/`), so spellings that
//! differ only in case or punctuation share one page; the first spelling met (items in
//! route order) names it.

use std::collections::BTreeMap;

use crate::markdown::{clean_tag, tag_route};
use crate::model::{Item, ItemId};

/// One tag and what carries it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    /// The full name as first written (`AI/safety`).
    pub name: String,
    /// The route of its page, `tags/ai/safety/`.
    pub route: String,
    /// Items carrying the tag itself, in route order.
    pub items: Vec<ItemId>,
    /// Indices (in [`Tags::list`]) of the tags one level under it, in route order.
    pub children: Vec<usize>,
    /// The index of the tag one level above, if it is nested.
    pub parent: Option<usize>,
    /// How many items carry it or any tag under it.
    pub count: usize,
}

impl Tag {
    /// The last segment of its name (`safety` for `AI/safety`), for lists under its parent.
    pub fn leaf(&self) -> &str {
        self.name.rsplit('/').next().unwrap_or(&self.name)
    }
}

/// Every tag of a site, sorted by route.
#[derive(Clone, Debug, Default)]
pub struct Tags {
    /// The tags, sorted by route, parents before their children.
    pub list: Vec<Tag>,
}

impl Tags {
    /// Collects the tags of `items` (given in route order).
    pub fn new(items: &[Item]) -> Tags {
        Tags::of_lists(items.iter().map(|item| item.tags.as_slice()))
    }

    /// Collects the tags of each item's tag list, the items given in route order.
    fn of_lists<'a>(lists: impl Iterator<Item = &'a [String]>) -> Tags {
        // By route: the name, whether an item carries the tag itself (so its own spelling
        // names it rather than a nested tag's prefix), the items.
        let mut by_route: BTreeMap<String, (String, bool, Vec<ItemId>)> = BTreeMap::new();
        for (n, tags) in lists.enumerate() {
            for tag in tags {
                let name = clean_tag(tag);
                for (depth, _) in name.match_indices('/') {
                    let prefix = &name[..depth];
                    by_route.entry(tag_route(prefix)).or_insert_with(|| (prefix.to_string(), false, Vec::new()));
                }
                let entry = by_route.entry(tag_route(&name)).or_insert_with(|| (name.clone(), true, Vec::new()));
                if !entry.1 {
                    (entry.0, entry.1) = (name.clone(), true);
                }
                if entry.2.last() != Some(&ItemId(n as u32)) {
                    entry.2.push(ItemId(n as u32));
                }
            }
        }
        let mut list: Vec<Tag> = by_route
            .into_iter()
            .map(|(route, (name, _, items))| Tag { name, route, items, children: Vec::new(), parent: None, count: 0 })
            .collect();
        let index: BTreeMap<String, usize> = list.iter().enumerate().map(|(n, t)| (t.route.clone(), n)).collect();
        for n in 0..list.len() {
            let parent_route = list[n].route.trim_end_matches('/').rsplit_once('/').map(|(p, _)| format!("{p}/"));
            if let Some(&parent) = parent_route.as_ref().and_then(|r| index.get(r)) {
                list[n].parent = Some(parent);
                list[parent].children.push(n);
            }
        }
        for n in 0..list.len() {
            let mut carriers = Vec::new();
            collect_items(&list, n, &mut carriers);
            carriers.sort();
            carriers.dedup();
            list[n].count = carriers.len();
        }
        Tags { list }
    }

    /// True when no item carries a tag.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The tag whose page is at `route`.
    pub fn by_route(&self, route: &str) -> Option<&Tag> {
        self.list.binary_search_by(|t| t.route.as_str().cmp(route)).ok().map(|n| &self.list[n])
    }

    /// The tags at the top of the tree, in route order.
    pub fn roots(&self) -> impl Iterator<Item = (usize, &Tag)> {
        self.list.iter().enumerate().filter(|(_, t)| t.parent.is_none())
    }
}

fn collect_items(list: &[Tag], n: usize, into: &mut Vec<ItemId>) {
    into.extend(&list[n].items);
    for &child in &list[n].children {
        collect_items(list, child, into);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagged(tags: &[&[&str]]) -> Tags {
        let lists: Vec<Vec<String>> = tags.iter().map(|l| l.iter().map(|t| t.to_string()).collect()).collect();
        Tags::of_lists(lists.iter().map(Vec::as_slice))
    }

    #[test]
    fn nested_tags_have_parents_counts_and_the_spelling_written() {
        let tags = tagged(&[&["Deposits/return", "case-law"], &["deposits", "deposits/interest"], &["AI/safety"]]);
        let routes: Vec<&str> = tags.list.iter().map(|t| t.route.as_str()).collect();
        assert_eq!(
            routes,
            [
                "tags/ai/",
                "tags/ai/safety/",
                "tags/case-law/",
                "tags/deposits/",
                "tags/deposits/interest/",
                "tags/deposits/return/"
            ]
        );
        let deposits = tags.by_route("tags/deposits/").expect("deposits");
        assert_eq!(deposits.name, "deposits", "the spelling an item carries, not a nested tag's prefix");
        assert_eq!((deposits.items.len(), deposits.count, deposits.children.len()), (1, 2, 2));
        let ai = tags.by_route("tags/ai/").expect("an implied parent");
        assert_eq!((ai.name.as_str(), ai.items.len(), ai.count), ("AI", 0, 1));
        assert_eq!(tags.list[1].leaf(), "safety");
        assert_eq!(tags.roots().count(), 3);
    }
}
