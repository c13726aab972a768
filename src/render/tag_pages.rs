//! The tag pages: `/tags/` lists every tag with how many items carry it, nested tags
//! under their parents; `/tags/<tag>/` lists the items carrying the tag (title, kind,
//! summary) and the tags under it. Both read the model's [`crate::model::tags::Tags`];
//! every page that shows a tag (an item's header, an inline `#tag`) links here.

use serde::Serialize;
use tera::Context;

use super::Renderer;
use super::folders::natural_cmp;
use super::markdown::item_label_long;
use super::views::Link;
use crate::model::tags::Tag;

/// The route of the list of every tag.
pub(super) const TAGS_ROUTE: &str = "tags/";

/// A tag in a list: its link, how many items carry it, its depth in the tree.
#[derive(Serialize)]
struct TagEntry {
    /// The tag's page; the label is its full name on `/tags/`, its last segment under
    /// its parent.
    link: Link,
    /// Items carrying it or a tag under it.
    count: usize,
    /// Nesting below the top level, for indentation.
    depth: usize,
}

/// An item carrying a tag.
#[derive(Serialize)]
struct TaggedItem {
    /// The item, labelled in full.
    link: Link,
    /// Its kind's name.
    kind: &'static str,
    /// Its summary.
    summary: String,
}

impl Renderer<'_> {
    /// `/tags/`: every tag, in the tree's order.
    pub(super) fn tags_context(&self) -> (String, &'static str, Context) {
        let page = self.simple_page(TAGS_ROUTE, "Tags", "tags");
        let mut context = self.base_context(TAGS_ROUTE, &page);
        let mut entries = Vec::with_capacity(self.site.tags.list.len());
        for (n, _) in self.site.tags.roots() {
            self.tag_tree(n, 0, &mut entries);
        }
        context.insert("tags", &entries);
        context.insert("tag", &Option::<()>::None);
        (TAGS_ROUTE.to_string(), "tags.html", context)
    }

    fn tag_tree(&self, n: usize, depth: usize, into: &mut Vec<TagEntry>) {
        let tag = &self.site.tags.list[n];
        let views = self.contexts.views(TAGS_ROUTE);
        into.push(TagEntry { link: views.route_link(&tag.route, &tag.name), count: tag.count, depth });
        for &child in &tag.children {
            self.tag_tree(child, depth + 1, into);
        }
    }

    /// `/tags/<tag>/`: the items carrying tag `n`, then the tags under it.
    pub(super) fn tag_context(&self, n: usize) -> (String, &'static str, Context) {
        let tag: &Tag = &self.site.tags.list[n];
        let route = tag.route.as_str();
        let mut page = self.simple_page(route, &format!("#{}", tag.name), "tag");
        page.description = format!("{} item(s) tagged {} — {}", tag.count, tag.name, self.site.config.title);
        let views = self.contexts.views(route);
        page.breadcrumbs.push(views.route_link(TAGS_ROUTE, "Tags"));
        let mut ancestors = Vec::new();
        let mut up = tag.parent;
        while let Some(parent) = up {
            let parent_tag = &self.site.tags.list[parent];
            ancestors.push(views.route_link(&parent_tag.route, &format!("#{}", parent_tag.name)));
            up = parent_tag.parent;
        }
        page.breadcrumbs.extend(ancestors.into_iter().rev());
        let mut context = self.base_context(route, &page);
        let mut items: Vec<TaggedItem> = tag
            .items
            .iter()
            .map(|&id| {
                let item = self.site.item(id);
                let mut link = views.link(id);
                link.label = item_label_long(item);
                TaggedItem { link, kind: item.kind.name(), summary: self.tallies.derived.summary(self.site, id) }
            })
            .collect();
        items.sort_by(|a, b| natural_cmp(&a.link.label, &b.link.label).then_with(|| a.link.href.cmp(&b.link.href)));
        let children: Vec<TagEntry> = tag
            .children
            .iter()
            .map(|&child| {
                let child = &self.site.tags.list[child];
                TagEntry { link: views.route_link(&child.route, child.leaf()), count: child.count, depth: 0 }
            })
            .collect();
        context.insert("items", &items);
        context.insert("children", &children);
        context.insert("tag", &TagEntry { link: views.route_link(route, &tag.name), count: tag.count, depth: 0 });
        context.insert("tags", &Vec::<TagEntry>::new());
        (route.to_string(), "tags.html", context)
    }
}
