//! A synthetic policy knowledge base for benchmarks (`docket generate-corpus`, hidden).
//!
//! In: a number of items and a seed. Out: a knowledge base on disk (`docket.toml`,
//! `content/`) of that many items of every kind — instruments with hierarchical
//! provisions, sources with claims (some conflicting), deadlines with rules (some anchored
//! on other deadlines), audiences, agencies, terms, alerts and notes — each 400–800 words
//! of prose with headings, lists, tables, quotes and, in one note in ten, a code block,
//! and 5–10 cross-references (wikilinks, citations, heading anchors, relative links) that
//! all resolve. Optionally the same notes as a plain Hugo site (links as ordinary markdown
//! links, minimal layouts), so the two generators are timed on the same text.
//!
//! The same seed gives the same bytes: every item draws from its own random stream, so
//! items are written in parallel without changing the result.

mod body;
mod front;
mod plan;
pub mod prose;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::model::Kind;
use plan::Plan;

/// What to generate.
#[derive(Clone, Debug)]
pub struct CorpusOptions {
    /// Items in the knowledge base (at least 60, so every kind is present).
    pub notes: usize,
    /// Seed of the random streams.
    pub seed: u64,
    /// Folder for the docket knowledge base (must not exist, or be empty).
    pub out: PathBuf,
    /// Folder for the Hugo copy, if wanted (must not exist, or be empty).
    pub hugo: Option<PathBuf>,
}

/// What was generated.
#[derive(Clone, Debug, Default)]
pub struct CorpusSummary {
    /// Items written.
    pub items: usize,
    /// Cross-references written in bodies.
    pub references: usize,
    /// Words of prose in bodies.
    pub words: usize,
}

/// Writes the corpus.
pub fn generate(options: &CorpusOptions) -> io::Result<CorpusSummary> {
    let plan = Plan::new(options.notes, options.seed);
    let hugo = options.hugo.as_deref();
    ensure_empty(&options.out)?;
    if let Some(dir) = hugo {
        ensure_empty(dir)?;
    }
    let mut folders: Vec<&str> = plan.items.iter().map(|i| i.folder.as_str()).collect();
    folders.sort_unstable();
    folders.dedup();
    for folder in &folders {
        std::fs::create_dir_all(options.out.join("content").join(folder))?;
        if let Some(dir) = hugo {
            std::fs::create_dir_all(dir.join("content").join(folder))?;
        }
    }
    write_docket_site(&plan, &options.out)?;
    if let Some(dir) = hugo {
        write_hugo_site(&plan, dir)?;
    }
    let references = AtomicUsize::new(0);
    let words = AtomicUsize::new(0);
    (0..plan.items.len()).into_par_iter().try_for_each(|n| {
        let body = body::write(&plan, n);
        let front = front::write(&plan, n);
        references.fetch_add(body.references, Ordering::Relaxed);
        words.fetch_add(body.words, Ordering::Relaxed);
        let rel = plan.items[n].rel_path();
        std::fs::write(options.out.join("content").join(&rel), front.docket + &body.docket)?;
        match hugo {
            Some(dir) => std::fs::write(dir.join("content").join(&rel), front.hugo + &body.hugo),
            None => Ok(()),
        }
    })?;
    Ok(CorpusSummary { items: plan.items.len(), references: references.into_inner(), words: words.into_inner() })
}

fn ensure_empty(dir: &Path) -> io::Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} is not empty; the corpus is written only into a new or empty folder", dir.display()),
        ));
    }
    std::fs::create_dir_all(dir)
}

fn write_docket_site(plan: &Plan, out: &Path) -> io::Result<()> {
    let config = format!(
        "title = \"Synthetic policy corpus ({} items, seed {})\"\nbase_url = \"https://example.org/\"\nas_of = 2026-07-15\ndefault_instrument = \"{}\"\n\n[deadlines]\ncounting = \"exclude-anchor\"\nnon_business_day = \"flag\"\ndue_soon_days = 14\n\n[references]\nbroken = \"error\"\n",
        plan.items.len(),
        plan.seed,
        plan.default_instrument()
    );
    std::fs::write(out.join("docket.toml"), config)?;
    std::fs::write(out.join("content/_index.md"), home(plan, true))
}

/// The home page introduction, linking the instruments.
fn home(plan: &Plan, docket: bool) -> String {
    let mut text = String::from("A synthetic knowledge base for benchmarks. Its instruments:\n\n");
    for n in plan.range(Kind::Instrument) {
        let item = &plan.items[n];
        if docket {
            text.push_str(&format!("- [[{}]]\n", item.id));
        } else {
            text.push_str(&format!("- [{}]({})\n", item.title, item.hugo_url()));
        }
    }
    text
}

const HUGO_CONFIG: &str = r#"baseURL = "https://example.org/"
languageCode = "en"
title = "Synthetic policy corpus"
disableKinds = ["rss"]

[taxonomies]
audience = "for"

[markup.highlight]
noClasses = false
"#;

const HUGO_BASEOF: &str = r#"<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} — {{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<nav>{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}
<article data-pagefind-body>
<h1>{{ .Title }}</h1>
{{ with .Params.kind }}<p class="kind">{{ . }}</p>{{ end }}
{{ .TableOfContents }}
{{ .Content }}
{{ with .GetTerms "for" }}<h2>Audiences</h2><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>{{ end }}
<nav>{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }} {{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
</article>
{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary | plainify | truncate 200 }}</li>{{ end }}</ul>
{{ end }}
"#;

/// A plain Hugo site: the same notes, minimal layouts (base, single, list), an audience
/// taxonomy in place of docket's audience pages.
fn write_hugo_site(plan: &Plan, dir: &Path) -> io::Result<()> {
    std::fs::write(dir.join("hugo.toml"), HUGO_CONFIG)?;
    std::fs::create_dir_all(dir.join("layouts"))?;
    std::fs::write(dir.join("layouts/baseof.html"), HUGO_BASEOF)?;
    std::fs::write(dir.join("layouts/single.html"), HUGO_SINGLE)?;
    std::fs::write(dir.join("layouts/list.html"), HUGO_LIST)?;
    std::fs::write(dir.join("content/_index.md"), format!("+++\ntitle = \"Home\"\n+++\n\n{}", home(plan, false)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_corpus() {
        let plan = Plan::new(200, 42);
        let again = Plan::new(200, 42);
        for n in [0, 7, 150, 199] {
            assert_eq!(body::write(&plan, n).docket, body::write(&again, n).docket);
            assert_eq!(front::write(&plan, n).docket, front::write(&again, n).docket);
        }
        let other = Plan::new(200, 43);
        assert_ne!(body::write(&plan, 150).docket, body::write(&other, 150).docket);
    }

    #[test]
    fn bodies_have_the_asked_length_and_references() {
        let plan = Plan::new(300, 3);
        for n in 0..plan.items.len() {
            let body = body::write(&plan, n);
            assert!((5..=10).contains(&body.references), "{n}: {}", body.references);
            assert!((400..=900).contains(&body.words), "{n}: {}", body.words);
        }
    }
}
