//! Note bodies as abstract blocks, rendered two ways: with docket cross-references
//! (wikilinks, citations, heading anchors, relative links) for the knowledge base, and
//! with plain markdown links for the Hugo copy. Both copies have the same prose.

use std::fmt::Write as _;

use super::plan::{BODY, Plan};
use super::prose::{self, HEADINGS, Rng};
use crate::model::Kind;
use crate::text::slugify;

/// A cross-reference before it is written in either syntax.
#[derive(Clone, Debug)]
enum Reference {
    /// `[[target]]`, `[[target|label]]`, `[[target#anchor]]`.
    Wiki { target: usize, label: Option<String>, heading: Option<usize> },
    /// `[[#anchor]]` to a heading of the same note.
    Own { heading: usize },
    /// `[@a]`, `[@a, Sec. 3]`, `[@a; @b]`.
    Cite { sources: Vec<(usize, Option<String>)> },
    /// `[label](../sources/a.md)`.
    Link { target: usize, label: String },
}

enum Inline {
    Text(String),
    Ref(Reference),
}

enum Block {
    Heading(usize),
    Para(Vec<Inline>),
    List { ordered: bool, items: Vec<Vec<Inline>> },
    Table(Vec<[String; 3]>),
    Quote(Vec<Inline>),
    Code(&'static str, String),
    Deadlines { audience: usize, agency: usize },
}

/// A body in both syntaxes.
pub(super) struct Body {
    /// With docket cross-references.
    pub docket: String,
    /// With plain markdown links.
    pub hugo: String,
    /// Cross-references written.
    pub references: usize,
    /// Words of prose.
    pub words: usize,
}

/// Writes the body of item `n`.
pub(super) fn write(plan: &Plan, n: usize) -> Body {
    let mut rng = Rng::new(plan.seed, n as u64, BODY);
    let (blocks, words) = skeleton(plan, n, &mut rng);
    let mut blocks = blocks;
    let references: Vec<Reference> = (0..rng.range(5, 10)).map(|_| reference(plan, n, &mut rng)).collect();
    let count = references.len();
    place(&mut blocks, references, &mut rng);
    let from = Writer { plan, n };
    Body { docket: from.render(&blocks, true), hugo: from.render(&blocks, false), references: count, words }
}

/// Headings, paragraphs, lists, a table, a quote and sometimes code, 400–800 words.
fn skeleton(plan: &Plan, n: usize, rng: &mut Rng) -> (Vec<Block>, usize) {
    let item = &plan.items[n];
    let target = rng.range(400, 800);
    let per_section = target / (item.headings.len() + 1);
    let mut words = 0;
    let mut blocks = vec![];
    words += paragraphs(&mut blocks, rng, per_section.min(90));
    let with_table = rng.chance(60);
    let with_code = rng.chance(10);
    for (position, &heading) in item.headings.iter().enumerate() {
        blocks.push(Block::Heading(heading));
        let budget = if position + 1 == item.headings.len() { target.saturating_sub(words) } else { per_section };
        let mut spent = 0;
        while spent < budget {
            spent += match rng.below(10) {
                0..=1 => list(&mut blocks, rng),
                2 if with_table && !blocks.iter().any(|b| matches!(b, Block::Table(_))) => table(&mut blocks, rng),
                3 => quote(&mut blocks, rng),
                _ => paragraphs(&mut blocks, rng, 1),
            };
        }
        words += spent;
        if with_code && position == 0 {
            let (lang, code) = prose::code_sample(rng);
            blocks.push(Block::Code(lang, code));
        }
    }
    if item.kind == Kind::Alert {
        // Filtered by audience and agency, as an alert would be: a table of a fixed share
        // of all deadlines in every alert would grow with the square of the corpus.
        blocks.push(Block::Deadlines {
            audience: plan.random(rng, Kind::Audience),
            agency: plan.random(rng, Kind::Agency),
        });
    }
    (blocks, words)
}

fn paragraphs(blocks: &mut Vec<Block>, rng: &mut Rng, words: usize) -> usize {
    let mut spent = 0;
    loop {
        let mut text = Vec::new();
        for _ in 0..rng.range(2, 5) {
            let length = rng.range(10, 24);
            spent += length;
            text.push(Inline::Text(prose::sentence(rng, length)));
        }
        blocks.push(Block::Para(text));
        if spent >= words {
            return spent;
        }
    }
}

fn list(blocks: &mut Vec<Block>, rng: &mut Rng) -> usize {
    let mut spent = 0;
    let items = (0..rng.range(3, 6))
        .map(|_| {
            let length = rng.range(6, 14);
            spent += length;
            vec![Inline::Text(prose::sentence(rng, length))]
        })
        .collect();
    blocks.push(Block::List { ordered: rng.chance(30), items });
    spent
}

fn table(blocks: &mut Vec<Block>, rng: &mut Rng) -> usize {
    let rows: Vec<[String; 3]> = (0..rng.range(3, 6))
        .map(|_| [prose::title(rng, 2), prose::label(rng), format!("{} days", rng.range(10, 180))])
        .collect();
    let words = rows.len() * 6;
    blocks.push(Block::Table(rows));
    words
}

fn quote(blocks: &mut Vec<Block>, rng: &mut Rng) -> usize {
    let length = rng.range(15, 35);
    blocks.push(Block::Quote(vec![Inline::Text(prose::sentence(rng, length))]));
    length
}

/// One cross-reference from item `n`: mostly wikilinks, then citations, heading anchors
/// and relative links.
fn reference(plan: &Plan, n: usize, rng: &mut Rng) -> Reference {
    let other = |rng: &mut Rng| loop {
        let target = rng.below(plan.items.len());
        if target != n {
            return target;
        }
    };
    match rng.below(100) {
        0..=39 => {
            let target = other(rng);
            Reference::Wiki { target, label: rng.chance(30).then(|| prose::label(rng)), heading: None }
        }
        40..=64 => {
            let sources = (0..if rng.chance(20) { 2 } else { 1 })
                .map(|_| {
                    let source = plan.random(rng, Kind::Source);
                    let locator = rng.chance(30).then(|| format!("Sec. {}", rng.range(1, 9)));
                    (source, locator)
                })
                .collect();
            Reference::Cite { sources }
        }
        65..=84 => {
            let target = other(rng);
            let heading = *rng.pick(&plan.items[target].headings);
            Reference::Wiki { target, label: None, heading: Some(heading) }
        }
        85..=92 => Reference::Own { heading: *rng.pick(&plan.items[n].headings) },
        _ => Reference::Link { target: other(rng), label: prose::label(rng) },
    }
}

/// Puts the references into random paragraphs and list items, between sentences.
fn place(blocks: &mut [Block], references: Vec<Reference>, rng: &mut Rng) {
    let slots: Vec<(usize, usize)> = blocks
        .iter()
        .enumerate()
        .flat_map(|(b, block)| match block {
            Block::Para(_) | Block::Quote(_) => vec![(b, 0)],
            Block::List { items, .. } => (0..items.len()).map(|i| (b, i)).collect(),
            _ => Vec::new(),
        })
        .collect();
    for reference in references {
        let (b, i) = *rng.pick(&slots);
        let inlines = match &mut blocks[b] {
            Block::Para(inlines) | Block::Quote(inlines) => inlines,
            Block::List { items, .. } => &mut items[i],
            _ => continue,
        };
        let at = rng.range(0, inlines.len());
        inlines.insert(at, Inline::Ref(reference));
    }
}

struct Writer<'a> {
    plan: &'a Plan,
    n: usize,
}

impl Writer<'_> {
    fn render(&self, blocks: &[Block], docket: bool) -> String {
        let mut out = String::with_capacity(6000);
        for block in blocks {
            self.block(&mut out, block, docket);
            out.push('\n');
        }
        out
    }

    fn block(&self, out: &mut String, block: &Block, docket: bool) {
        match block {
            Block::Heading(h) => {
                let _ = writeln!(out, "## {}", HEADINGS[*h]);
            }
            Block::Para(inlines) => {
                self.inlines(out, inlines, docket);
                out.push('\n');
            }
            Block::Quote(inlines) => {
                out.push_str("> ");
                self.inlines(out, inlines, docket);
                out.push('\n');
            }
            Block::List { ordered, items } => {
                for (k, item) in items.iter().enumerate() {
                    if *ordered {
                        let _ = write!(out, "{}. ", k + 1);
                    } else {
                        out.push_str("- ");
                    }
                    self.inlines(out, item, docket);
                    out.push('\n');
                }
            }
            Block::Table(rows) => {
                out.push_str("| Item | Who | Window |\n| --- | --- | ---: |\n");
                for [a, b, c] in rows {
                    let _ = writeln!(out, "| {a} | {b} | {c} |");
                }
            }
            Block::Code(lang, code) => {
                let _ = write!(out, "```{lang}\n{code}```\n");
            }
            Block::Deadlines { audience, agency } if docket => {
                let (audience, agency) = (&self.plan.items[*audience].id, &self.plan.items[*agency].id);
                let _ = write!(
                    out,
                    "```docket\nembed = \"deadlines\"\naudience = \"{audience}\"\nagency = \"{agency}\"\n```\n"
                );
            }
            Block::Deadlines { audience, .. } => {
                let _ = writeln!(out, "Deadlines for [{}]({}).", self.plan.items[*audience].title, self.url(*audience));
            }
        }
    }

    fn inlines(&self, out: &mut String, inlines: &[Inline], docket: bool) {
        for (k, inline) in inlines.iter().enumerate() {
            if k > 0 {
                out.push(' ');
            }
            match inline {
                Inline::Text(text) => out.push_str(text),
                Inline::Ref(reference) if docket => self.docket_ref(out, reference),
                Inline::Ref(reference) => self.hugo_ref(out, reference),
            }
        }
    }

    fn current_instrument(&self) -> usize {
        let plan = self.plan;
        plan.items[self.n].instrument.unwrap_or(plan.range(Kind::Instrument).start)
    }

    fn docket_ref(&self, out: &mut String, reference: &Reference) {
        let plan = self.plan;
        let _ = match reference {
            Reference::Wiki { target, label, heading } => {
                let name = plan.name_from(*target, self.current_instrument());
                let anchor = heading.map(|h| format!("#{}", slugify(HEADINGS[h]))).unwrap_or_default();
                match label {
                    Some(label) => write!(out, "[[{name}{anchor}|{label}]]"),
                    None => write!(out, "[[{name}{anchor}]]"),
                }
            }
            Reference::Own { heading } => write!(out, "[[#{}]]", slugify(HEADINGS[*heading])),
            Reference::Cite { sources } => {
                let parts: Vec<String> = sources
                    .iter()
                    .map(|(s, locator)| match locator {
                        Some(locator) => format!("@{}, {locator}", plan.items[*s].id),
                        None => format!("@{}", plan.items[*s].id),
                    })
                    .collect();
                write!(out, "[{}]", parts.join("; "))
            }
            Reference::Link { target, label } => {
                let depth = plan.items[self.n].folder.matches('/').count() + 1;
                write!(out, "[{label}]({}{})", "../".repeat(depth), plan.items[*target].rel_path())
            }
        };
    }

    fn url(&self, target: usize) -> String {
        self.plan.items[target].hugo_url()
    }

    fn hugo_ref(&self, out: &mut String, reference: &Reference) {
        let plan = self.plan;
        let _ = match reference {
            Reference::Wiki { target, label, heading } => {
                let text = label.clone().unwrap_or_else(|| plan.items[*target].title.clone());
                let anchor = heading.map(|h| format!("#{}", slugify(HEADINGS[h]))).unwrap_or_default();
                write!(out, "[{text}]({}{anchor})", self.url(*target))
            }
            Reference::Own { heading } => {
                write!(out, "[{}](#{})", HEADINGS[*heading], slugify(HEADINGS[*heading]))
            }
            Reference::Cite { sources } => {
                let parts: Vec<String> = sources
                    .iter()
                    .map(|(s, locator)| {
                        let link = format!("[{}]({})", plan.items[*s].title, self.url(*s));
                        match locator {
                            Some(locator) => format!("{link}, {locator}"),
                            None => link,
                        }
                    })
                    .collect();
                write!(out, "({})", parts.join("; "))
            }
            Reference::Link { target, label } => write!(out, "[{label}]({})", self.url(*target)),
        };
    }
}
