//! Finding the item a reference names.
//!
//! Built once per build from the site model, then answers every lookup with hash-map
//! probes, so resolving N references costs O(N). A name answers to an item by, in order
//! of precedence:
//!
//! 1. exactly: the item's id, a provision number of the current instrument, or
//!    `instrument:number` for a provision of another instrument;
//! 2. loosely (case-insensitive): the id, the file name, the path under `content/`
//!    without `.md` or any `/`-bounded tail of it (a bundle's `index.md` standing for its
//!    folder), or an alias.
//!
//! Two items answering at the same level make the name ambiguous.

use std::collections::HashMap;

use crate::model::{ItemId, ProvisionNumber, Site};
use crate::text::nearest;

/// The outcome of a lookup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// Exactly one item answers.
    One(ItemId),
    /// Several items answer.
    Ambiguous(Vec<ItemId>),
    /// Nothing answers; the nearest names, closest first.
    Missing(Vec<String>),
}

/// Every name every item answers to.
pub struct Lookup {
    exact: HashMap<String, ItemId>,
    loose: HashMap<String, Vec<ItemId>>,
    provisions: HashMap<(ItemId, String), ItemId>,
    instruments: HashMap<String, ItemId>,
    by_path: HashMap<String, ItemId>,
    names: Vec<String>,
    /// Attachments by lower-cased path.
    attachment_paths: HashMap<String, usize>,
    /// Attachments by every `/`-bounded suffix of their lower-cased path
    /// (`files/a.pdf`, `a.pdf`), the first attachment in path order winning.
    attachment_suffixes: HashMap<String, usize>,
    /// Every item's route, for links written as paths from the site's root.
    routes: HashMap<String, ItemId>,
}

impl Lookup {
    /// Indexes every item of the site.
    pub fn new(site: &Site) -> Lookup {
        let mut lookup = Lookup {
            exact: HashMap::with_capacity(site.items.len()),
            loose: HashMap::with_capacity(site.items.len() * 3),
            provisions: HashMap::new(),
            instruments: HashMap::new(),
            by_path: HashMap::with_capacity(site.items.len()),
            names: Vec::with_capacity(site.items.len()),
            attachment_paths: HashMap::with_capacity(site.attachments.len()),
            attachment_suffixes: HashMap::with_capacity(site.attachments.len() * 2),
            routes: site.items.iter().enumerate().map(|(n, item)| (item.route.clone(), ItemId(n as u32))).collect(),
        };
        lookup.index_attachments(site);
        for (n, item) in site.items.iter().enumerate() {
            let id = ItemId(n as u32);
            lookup.exact.entry(item.id.clone()).or_insert(id);
            let path = item.doc.rel_path.trim_end_matches(".md").trim_end_matches(".MD");
            let mut keys = vec![item.id.to_lowercase(), path.to_lowercase()];
            // Every `/`-bounded tail of the path, so a reference may use the shortest
            // path that tells notes of the same name apart, as Obsidian does
            // (`memo-1/introduction`, `introduction`); a bundle's `index` is its folder.
            let named = crate::model::path_name(&item.doc.rel_path).to_lowercase();
            let tails = std::iter::once(0).chain(named.match_indices('/').map(|(i, _)| i + 1));
            keys.extend(tails.map(|start| named[start..].to_string()));
            keys.extend(item.aliases.iter().map(|a| a.to_lowercase()));
            keys.sort();
            keys.dedup();
            for key in keys {
                lookup.loose.entry(key).or_default().push(id);
            }
            lookup.by_path.insert(item.doc.rel_path.to_lowercase(), id);
            if let Some(provision) = item.provision() {
                let number = provision.number.to_string();
                lookup.provisions.insert((provision.instrument, number.clone()), id);
                if Some(provision.instrument) == site.default_instrument {
                    lookup.names.push(number);
                } else {
                    lookup.names.push(item.id.clone());
                }
            } else {
                lookup.names.push(item.id.clone());
            }
            if item.kind == crate::model::Kind::Instrument {
                lookup.instruments.insert(item.id.clone(), id);
            }
            lookup.names.extend(item.aliases.iter().cloned());
        }
        lookup.names.sort();
        lookup.names.dedup();
        lookup
    }

    fn index_attachments(&mut self, site: &Site) {
        for (n, attachment) in site.attachments.iter().enumerate() {
            let lower = attachment.rel_path.to_lowercase();
            let suffixes = std::iter::once(0).chain(lower.match_indices('/').map(|(i, _)| i + 1));
            for start in suffixes {
                self.attachment_suffixes.entry(lower[start..].to_string()).or_insert(n);
            }
            self.attachment_paths.entry(lower).or_insert(n);
        }
    }

    /// The attachment (index into `site.attachments`) at `relative` (a path under
    /// `content/`), else the first whose path ends with `/wanted` or is `wanted`; both
    /// case-insensitive. Hash probes, so resolving N asset links costs O(N).
    pub fn attachment(&self, wanted: &str, relative: &str) -> Option<usize> {
        let exact = self.attachment_paths.get(&relative.to_lowercase()).copied();
        exact.or_else(|| self.attachment_suffixes.get(&wanted.to_lowercase()).copied())
    }

    /// Looks up `name` as written in a note whose current instrument is `instrument`.
    pub fn find(&self, name: &str, instrument: Option<ItemId>) -> Found {
        let name = name.trim();
        let mut exact: Vec<ItemId> = Vec::with_capacity(2);
        exact.extend(self.exact.get(name).copied());
        if let Some(found) = self.provision(name, instrument) {
            exact.push(found);
        }
        exact.sort();
        exact.dedup();
        match exact.len() {
            1 => return Found::One(exact[0]),
            0 => {}
            _ => return Found::Ambiguous(exact),
        }
        match self.loose.get(&name.to_lowercase()).map(Vec::as_slice) {
            Some([one]) => Found::One(*one),
            Some(many) if !many.is_empty() => Found::Ambiguous(many.to_vec()),
            _ => Found::Missing(self.suggest(name)),
        }
    }

    /// True when an item is published at `route` (`reporting/`).
    pub fn has_route(&self, route: &str) -> bool {
        self.routes.contains_key(route)
    }

    /// The item published at `route` (`ato/levels/`).
    pub fn by_route(&self, route: &str) -> Option<ItemId> {
        self.routes.get(route).copied()
    }

    /// True when an attachment is published at `path` (case-insensitive).
    pub fn has_attachment(&self, path: &str) -> bool {
        self.attachment_paths.contains_key(&path.to_lowercase())
    }

    /// The item stored at a path under `content/` (case-insensitive).
    pub fn by_path(&self, rel_path: &str) -> Option<ItemId> {
        self.by_path.get(&rel_path.to_lowercase()).copied()
    }

    /// Up to three names close to `name`.
    pub fn suggest(&self, name: &str) -> Vec<String> {
        nearest(name, self.names.iter().map(String::as_str), 3).into_iter().map(str::to_string).collect()
    }

    fn provision(&self, name: &str, instrument: Option<ItemId>) -> Option<ItemId> {
        if let Some((prefix, number)) = name.split_once(':')
            && let Some(&other) = self.instruments.get(prefix)
        {
            let number = ProvisionNumber::parse(number).ok()?.to_string();
            return self.provisions.get(&(other, number)).copied();
        }
        let number = ProvisionNumber::parse(name).ok()?.to_string();
        self.provisions.get(&(instrument?, number)).copied()
    }
}
