//! Embed chains: `![[note]]` is to show one note inside another, so a note that embeds
//! itself, directly or through others, could never be drawn, and a very long chain is
//! almost always a mistake. Both are reported at the embed that starts them.

use crate::diagnostics::Diagnostics;
use crate::load::Syntax;
use crate::model::{ItemId, Site};
use crate::resolve::{Resolved, Target};

/// How many notes deep one embed may reach (the note, what it embeds, and so on).
pub const MAX_DEPTH: usize = 8;

/// The items each item embeds, by index, in document order.
fn embed_edges(references: &[Vec<Resolved>]) -> Vec<Vec<usize>> {
    references
        .iter()
        .map(|refs| {
            refs.iter()
                .filter(|r| r.syntax == Syntax::Embed)
                .filter_map(|r| match r.target {
                    Target::Item { item, .. } => Some(item.index()),
                    _ => None,
                })
                .collect()
        })
        .collect()
}

/// What goes wrong when following an embed from `start` into `first`.
#[derive(Debug, PartialEq, Eq)]
enum Chain {
    /// The chain comes back to `start`.
    Cycle,
    /// The chain goes deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// Follows every embed path from `first`, depth first, looking for `start` or a path
/// longer than [`MAX_DEPTH`]. Paths are bounded by the depth, so this ends.
fn follow(edges: &[Vec<usize>], start: usize, first: usize) -> Option<Chain> {
    let mut stack = vec![(first, 1usize)];
    let mut seen = vec![usize::MAX; edges.len()];
    while let Some((node, depth)) = stack.pop() {
        if node == start {
            return Some(Chain::Cycle);
        }
        if depth > MAX_DEPTH {
            return Some(Chain::TooDeep);
        }
        // A node already reached at this depth or shallower has nothing new below it.
        if seen[node] <= depth {
            continue;
        }
        seen[node] = depth;
        stack.extend(edges[node].iter().map(|&next| (next, depth + 1)));
    }
    None
}

/// Reports every embed that starts a cycle or a chain deeper than [`MAX_DEPTH`].
pub fn check(site: &Site, references: &[Vec<Resolved>], diagnostics: &mut Diagnostics) {
    let edges = embed_edges(references);
    for (n, item) in site.items.iter().enumerate() {
        for (raw, reference) in item.doc.outline.references.iter().zip(&references[n]) {
            let (Syntax::Embed, Target::Item { item: target, .. }) = (reference.syntax, &reference.target) else {
                continue;
            };
            let target: ItemId = *target;
            if target.index() == n && !embeds_what_holds_it(item, raw.range.start, reference) {
                continue;
            }
            let diagnostic = match follow(&edges, n, target.index()) {
                None => continue,
                Some(Chain::Cycle) if target.index() == n => item
                    .doc
                    .diagnostic("embed-cycle", raw.range.clone(), format!("`{}` embeds itself", item.id))
                    .with_hint("link to it with [[…]] instead, or embed another note"),
                Some(Chain::Cycle) => item
                    .doc
                    .diagnostic(
                        "embed-cycle",
                        raw.range.clone(),
                        format!("embedding `{}` leads back to `{}`", site.item(target).id, item.id),
                    )
                    .with_hint("one of the notes in the chain must link with [[…]] instead of embedding with ![[…]]"),
                Some(Chain::TooDeep) => item
                    .doc
                    .diagnostic(
                        "embed-too-deep",
                        raw.range.clone(),
                        format!("embedding `{}` nests notes more than {MAX_DEPTH} deep", site.item(target).id),
                    )
                    .with_hint("link to some of the notes in the chain with [[…]] instead of embedding them"),
            };
            diagnostics.push(diagnostic);
        }
    }
}

/// Whether an embed of its own note, at byte `at` of `item`'s file, takes in the embed
/// itself: the whole note does; a section does when the embed sits under its heading.
/// Obsidian's help vault repeats a note's own sections further down it
/// (`![[Set up Obsidian Sync#Enable Obsidian Sync]]`), which draws once and ends. A block
/// of the note (`#^id`) is never the paragraph holding the embed, and the renderer
/// draws a note inside itself at most once, so neither is a cycle.
fn embeds_what_holds_it(item: &crate::model::Item, at: usize, reference: &Resolved) -> bool {
    let Target::Item { anchor: Some(anchor), .. } = &reference.target else { return true };
    if anchor.starts_with('^') {
        return false;
    }
    let Some(index) = item.doc.outline.headings.iter().position(|h| &h.anchor == anchor) else { return true };
    let Ok(text) = item.doc.text() else { return true };
    let base = item.doc.body_start;
    let headings: Vec<(usize, u8)> = crate::markdown::parser(&text[base..])
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { level, .. }) => {
                Some((base + range.start, level as u8))
            }
            _ => None,
        })
        .collect();
    let Some(&(start, level)) = headings.get(index) else { return true };
    let end = headings[index + 1..].iter().find(|h| h.1 <= level).map_or(text.len(), |h| h.0);
    (start..end).contains(&at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_self_and_mutual_cycles() {
        let edges = vec![vec![0], vec![2], vec![1], vec![]];
        assert_eq!(follow(&edges, 0, 0), Some(Chain::Cycle));
        assert_eq!(follow(&edges, 1, 2), Some(Chain::Cycle));
        assert_eq!(follow(&edges, 3, 3), Some(Chain::Cycle));
    }

    #[test]
    fn a_chain_without_cycles_is_fine_until_too_deep() {
        let short: Vec<Vec<usize>> = (0..4).map(|n| if n < 3 { vec![n + 1] } else { vec![] }).collect();
        assert_eq!(follow(&short, 0, 1), None);
        let long: Vec<Vec<usize>> = (0..12).map(|n| if n < 11 { vec![n + 1] } else { vec![] }).collect();
        assert_eq!(follow(&long, 0, 1), Some(Chain::TooDeep));
        assert_eq!(follow(&long, 6, 7), None);
    }

    #[test]
    fn a_cycle_not_through_start_is_not_blamed_on_it() {
        // 0 embeds 1; 1 and 2 embed each other: the cycle is theirs, reported at their embeds.
        let edges = vec![vec![1], vec![2], vec![1]];
        assert_eq!(follow(&edges, 0, 1), None);
    }
}
