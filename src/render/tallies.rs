//! Counts and ranks several pages need, computed once per build.
//!
//! Index and landing pages ask "how many claims does this source make", "where does this
//! provision sit in its instrument" or "when was anything last updated". Answering by
//! scanning the graph on every page would make rendering quadratic, so the answers are
//! tallied here in one linear pass over the graph and read by index.

use chrono::NaiveDate;

use crate::model::{Item, ItemId, Site};
use crate::render::derived::Derived;
use crate::resolve::Graph;

/// Per-item counts and ranks, indexed like `site.items`.
pub(super) struct Tallies {
    /// Claims each source makes.
    claims_made: Vec<u32>,
    /// Conflicts each item takes part in, as subject or as a source of a claim.
    conflicts: Vec<u32>,
    /// Position of each provision in `graph.provisions` (`u32::MAX` for other items).
    provision_rank: Vec<u32>,
    /// Position of each deadline in `graph.deadline_order` (`u32::MAX` for other items).
    deadline_rank: Vec<u32>,
    /// The latest `updated` date of any item.
    pub latest_updated: Option<NaiveDate>,
    /// Summaries and backlink contexts as readers see them.
    pub derived: Derived,
    /// The sections the main navigation offers.
    pub nav: Vec<(&'static str, &'static str)>,
}

impl Tallies {
    /// Tallies the graph.
    pub(super) fn new(site: &Site, graph: &Graph) -> Tallies {
        let count = site.items.len();
        let mut claims_made = vec![0; count];
        for claim in &graph.claims.all {
            claims_made[claim.source.index()] += 1;
        }
        let mut conflicts = vec![0; count];
        for conflict in &graph.claims.conflicts {
            let mut involved: Vec<ItemId> =
                conflict.positions.iter().flatten().map(|&n| graph.claims.all[n].source).collect();
            involved.push(conflict.subject);
            involved.sort();
            involved.dedup();
            for item in involved {
                conflicts[item.index()] += 1;
            }
        }
        Tallies {
            claims_made,
            conflicts,
            provision_rank: ranks(count, &graph.provisions),
            deadline_rank: ranks(count, &graph.deadline_order),
            latest_updated: site.items.iter().filter_map(|item| item.updated).max(),
            derived: Derived::new(site, graph),
            nav: crate::render::pages::nav_sections(site, graph),
        }
    }

    /// Claims a source makes.
    pub(super) fn claims_made(&self, id: ItemId) -> u32 {
        self.claims_made[id.index()]
    }

    /// Conflicts an item takes part in.
    pub(super) fn conflicts(&self, id: ItemId) -> u32 {
        self.conflicts[id.index()]
    }

    /// Sort key that puts provisions in their instrument's order (others last).
    pub(super) fn provision_rank(&self, id: ItemId) -> u32 {
        self.provision_rank[id.index()]
    }

    /// Sort key that puts deadlines in due-date order (others last).
    pub(super) fn deadline_rank(&self, id: ItemId) -> u32 {
        self.deadline_rank[id.index()]
    }

    /// The line under a source in the source index: kind, date, claims and conflicts.
    pub(super) fn source_meta(&self, item: &Item, id: ItemId) -> String {
        let Some(source) = item.source() else { return String::new() };
        let kind = source.subtype.clone().unwrap_or_else(|| "source".into());
        let date = source.date.map_or_else(|| "undated".to_string(), crate::text::human_date);
        let claims = self.claims_made(id);
        let conflicts = self.conflicts(id);
        format!("{kind} · {date} · {} · {}", plural(claims, "claim"), plural(conflicts, "conflict"))
    }
}

/// "1 claim", "3 claims".
pub(super) fn plural(n: u32, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

fn ranks(count: usize, order: &[ItemId]) -> Vec<u32> {
    let mut rank = vec![u32::MAX; count];
    for (position, id) in order.iter().enumerate() {
        rank[id.index()] = position as u32;
    }
    rank
}
