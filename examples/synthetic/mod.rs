//! A minimal synthetic knowledge base for measurements: one instrument, a provision tree,
//! agencies, audiences, sources with claims, deadlines, terms and plain notes that link to
//! each other and cite sources. Deterministic (a fixed linear congruential generator), so
//! two runs measure the same input. The full corpus generator is a separate piece of work;
//! this one only has to be large and connected like a real knowledge base.

use std::fmt::Write as _;
use std::path::Path;

/// A small deterministic random number generator.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// How many items of each kind a knowledge base of `notes` items holds.
struct Shape {
    provisions: usize,
    agencies: usize,
    audiences: usize,
    sources: usize,
    deadlines: usize,
    terms: usize,
    notes: usize,
}

impl Shape {
    fn for_total(total: usize) -> Shape {
        let provisions = (total / 10).max(4);
        let sources = (total / 20).max(2);
        let deadlines = (total / 20).max(2);
        let terms = (total / 20).max(2);
        let (agencies, audiences) = (20, 8);
        let used = 1 + provisions + sources + deadlines + terms + agencies + audiences;
        Shape { provisions, agencies, audiences, sources, deadlines, terms, notes: total.saturating_sub(used).max(1) }
    }
}

/// Writes a knowledge base of about `total` items under `root`; returns the paths (relative
/// to `root`) of the plain notes, the files a measurement edits.
pub fn generate(root: &Path, total: usize) -> Vec<String> {
    let shape = Shape::for_total(total);
    let mut rng = Lcg(0x5eed);
    let mut files: Vec<(String, String)> = Vec::new();
    files.push(("docket.toml".into(), config()));
    files.push((
        "content/instruments/synthetic-act.md".into(),
        "+++\ntitle = \"Synthetic Act\"\ntype = \"statute\"\nsigned = 2026-01-15\n+++\n\nA generated instrument.\n"
            .into(),
    ));
    for n in 0..shape.agencies {
        files.push((
            format!("content/agencies/agency-{n}.md"),
            format!("+++\ntitle = \"Agency {n}\"\nshort = \"AG{n}\"\n+++\n\nAgency {n} acts under the act.\n"),
        ));
    }
    for n in 0..shape.audiences {
        files.push((
            format!("content/audiences/audience-{n}.md"),
            format!("+++\ntitle = \"Audience {n}\"\n+++\n\nReaders of group {n}.\n"),
        ));
    }
    for n in 0..shape.provisions {
        files.push((format!("content/sections/{}.md", provision_file(n)), provision(n, &shape, &mut rng)));
    }
    for n in 0..shape.deadlines {
        files.push((format!("content/deadlines/dl-{n}.md"), deadline(n, &shape, &mut rng)));
    }
    for n in 0..shape.sources {
        files.push((format!("content/sources/source-{n}.md"), source(n, &shape, &mut rng)));
    }
    for n in 0..shape.terms {
        files.push((format!("content/terms/term-{n}.md"), format!("+++\ntitle = \"Term {n}\"\nshort = \"A generated term.\"\n+++\n\nTerm {n} means what section [[{}]] says.\n", provision_number(n % shape.provisions))));
    }
    let mut notes = Vec::new();
    for n in 0..shape.notes {
        let path = format!("content/notes/group-{}/note-{n}.md", n / 500);
        files.push((path.clone(), note(n, &shape, &mut rng)));
        notes.push(path);
    }
    for (path, text) in files {
        let target = root.join(&path);
        std::fs::create_dir_all(target.parent().expect("files sit in folders")).expect("create the folder");
        std::fs::write(target, text).expect("write the file");
    }
    notes
}

fn config() -> String {
    "title = \"Synthetic KB\"\nbase_url = \"https://example.org/\"\nas_of = 2026-03-01\ndefault_instrument = \"synthetic-act\"\n\n[references]\nbroken = \"error\"\n".into()
}

/// Provisions come in groups of four: `k`, `k(a)`, `k(b)`, `k(b)(i)`.
fn provision_number(n: usize) -> String {
    let section = n / 4 + 1;
    match n % 4 {
        0 => format!("{section}"),
        1 => format!("{section}(a)"),
        2 => format!("{section}(b)"),
        _ => format!("{section}(b)(i)"),
    }
}

fn provision_file(n: usize) -> String {
    provision_number(n).replace("(", "-").replace(")", "")
}

fn provision(n: usize, shape: &Shape, rng: &mut Lcg) -> String {
    format!(
        "+++\nnumber = \"{}\"\ntitle = \"Provision {n}\"\nagencies = [\"agency-{}\"]\naudiences = {{ audience-{} = \"high\" }}\n+++\n\n## What it says\n\nSection {n} requires action from [[agency-{}]]; see [[{}]] and [[term-{}]].\n\n## What it means\n\nSee also [[note-{}]].\n",
        provision_number(n),
        rng.below(shape.agencies),
        rng.below(shape.audiences),
        rng.below(shape.agencies),
        provision_number(rng.below(shape.provisions)),
        rng.below(shape.terms),
        rng.below(shape.notes),
    )
}

fn deadline(n: usize, shape: &Shape, rng: &mut Lcg) -> String {
    format!(
        "+++\ntitle = \"Deadline {n}\"\nprovision = \"{}\"\naction = \"Report number {n}\"\nagencies = [\"agency-{}\"]\nrule = \"within {} days of signing\"\naudiences = [\"audience-{}\"]\n+++\n\nThe report is due as [[{}]] requires.\n",
        provision_number(rng.below(shape.provisions)),
        rng.below(shape.agencies),
        30 + rng.below(300),
        rng.below(shape.audiences),
        provision_number(rng.below(shape.provisions)),
    )
}

fn source(n: usize, shape: &Shape, rng: &mut Lcg) -> String {
    let mut text =
        format!("+++\ntitle = \"Source {n}\"\ntype = \"analysis\"\nshort = \"Source {n}\"\ndate = 2026-02-01\n");
    for _ in 0..2 {
        let deadline = rng.below(shape.deadlines);
        write!(
            text,
            "\n[[claims]]\nabout = \"dl-{deadline}\"\nattribute = \"agency\"\nvalue = \"agency-{}\"\nquote = \"the agency acts\"\nlocation = \"first paragraph\"\n",
            rng.below(shape.agencies)
        )
        .expect("writing to a String");
    }
    write!(text, "+++\n\n## Summary\n\nSource {n} discusses [[{}]].\n", provision_number(rng.below(shape.provisions)))
        .expect("writing to a String");
    text
}

fn note(n: usize, shape: &Shape, rng: &mut Lcg) -> String {
    format!(
        "+++\ntitle = \"Note {n}\"\n+++\n\nNote {n} discusses [[{}]], the work of [[agency-{}]] and [[dl-{}]] [@source-{}].\n\n## Details\n\nIt relates to [[note-{}]] and [[term-{}]].\n\n```rust\nfn note_{n}() -> u32 {{ {n} }}\n```\n",
        provision_number(rng.below(shape.provisions)),
        rng.below(shape.agencies),
        rng.below(shape.deadlines),
        rng.below(shape.sources),
        rng.below(shape.notes),
        rng.below(shape.terms),
    )
}
