//! The import report (`docket check --import`): what docket understood of content it did
//! not write, and what it dropped or guessed, so a team bringing a vault, a Hugo or
//! Jekyll site or a statute dump in sees at a glance what survives the move.
//!
//! In: the model (items, their documents' front-matter keys and outlines), the resolved
//! references and the diagnostics of a run. Out: an [`ImportReport`], which serialises
//! whole (`--format json` keeps every file of every count) and displays in one screen
//! (a few examples per line, the longest lists cut with a count of the rest).

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::load::Document;
use crate::load::Syntax;
use crate::model::{Kind, Site};
use crate::resolve::{Graph, Target};

/// Diagnostic codes that say a link goes nowhere.
const LINK_CODES: &[&str] = &[
    "unresolved-reference",
    "ambiguous-reference",
    "bad-anchor",
    "broken-link",
    "missing-attachment",
    "citation-target",
];

/// How many lines a list gets in the one-screen form before "… and N more".
const SHOWN: usize = 8;

/// A count and the files it counts, in path order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Files {
    /// How many.
    pub count: usize,
    /// Which, by path under the root (all of them).
    pub files: Vec<String>,
}

impl Files {
    fn add(&mut self, path: &std::path::Path) {
        self.count += 1;
        self.files.push(path.display().to_string().replace('\\', "/"));
    }

    fn example(&self) -> &str {
        self.files.first().map_or("", String::as_str)
    }
}

/// A front-matter key and the files that write it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KeyUse {
    /// The key as written (`weight`, `layout`).
    pub key: String,
    /// Whether docket reads it (else it was dropped, with an `unknown-key` warning).
    pub recognised: bool,
    /// The files writing it.
    pub files: Files,
}

/// Where items' titles came from: what docket read and what it guessed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Titles {
    /// From the front matter's `title`.
    pub front_matter: usize,
    /// From the body's first heading.
    pub heading: usize,
    /// Guessed from the file name.
    pub file_name: Files,
}

/// An old address that now redirects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RedirectMade {
    /// The old address, `/old/path/`.
    pub from: String,
    /// The page it leads to, `/new/path/`.
    pub to: String,
    /// The note that asked for it.
    pub file: String,
}

/// References of one syntax and how many resolve.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkCount {
    /// `wikilink`, `embed`, `markdown-link`, `citation`, `asset`.
    pub syntax: Syntax,
    /// How many were written.
    pub total: usize,
    /// How many lead nowhere.
    pub broken: usize,
}

/// What an import brought in, understood, dropped and guessed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    /// Markdown files read (items and the home page).
    pub notes: usize,
    /// Other files copied as they are (images, PDFs).
    pub attachments: usize,
    /// Items by kind name.
    pub kinds: BTreeMap<&'static str, usize>,
    /// Notes with no front matter at all.
    pub without_front_matter: Files,
    /// Every top-level front-matter key, most used first.
    pub keys: Vec<KeyUse>,
    /// Keys inside tables docket does not know (`claims.0.qoute`), by path.
    pub unknown_nested_keys: Files,
    /// Obsidian `%%comments%%` removed (never published), and the files holding them.
    pub comments: usize,
    /// The files whose comments were removed.
    pub commented: Files,
    /// Where titles came from.
    pub titles: Titles,
    /// Items named by their path because their file name is shared, or by `ids = "path"`.
    pub ids_from_paths: Files,
    /// Template syntax docket does not run (Liquid tags, Hugo shortcodes), by kind: the
    /// files where it appears as written.
    pub unsupported_syntax: BTreeMap<&'static str, Files>,
    /// Redirect pages made.
    pub redirects: Vec<RedirectMade>,
    /// Distinct tags.
    pub tags: usize,
    /// Items carrying at least one tag.
    pub tagged_items: usize,
    /// The most used tags, with how many items carry each.
    pub top_tags: Vec<(String, usize)>,
    /// References by syntax, with the broken ones.
    pub links: Vec<LinkCount>,
    /// Diagnostics about links, by code.
    pub link_problems: BTreeMap<String, usize>,
    /// Errors and warnings of the run.
    pub errors: usize,
    /// Warnings of the run.
    pub warnings: usize,
}

impl ImportReport {
    /// The report of a run over `site`.
    pub fn new(site: &Site, graph: &Graph, diagnostics: &Diagnostics) -> ImportReport {
        let mut report = ImportReport {
            notes: site.items.len() + usize::from(site.home.is_some()),
            attachments: site.attachments.len(),
            errors: diagnostics.error_count(),
            warnings: diagnostics.warning_count(),
            ..ImportReport::default()
        };
        let documents = site.home.iter().chain(site.items.iter().map(|item| &item.doc));
        let mut keys: BTreeMap<(String, bool), Files> = BTreeMap::new();
        for doc in documents {
            report.read_front_matter(doc, &mut keys);
            if let Some((_, kind)) = doc.outline.template_syntax {
                report.unsupported_syntax.entry(kind).or_default().add(&doc.display_path);
            }
        }
        report.keys = keys.into_iter().map(|((key, recognised), files)| KeyUse { key, recognised, files }).collect();
        report.keys.sort_by(|a, b| b.files.count.cmp(&a.files.count).then_with(|| a.key.cmp(&b.key)));
        report.read_items(site);
        report.read_tags(site);
        report.read_links(graph, diagnostics);
        report
    }

    fn read_front_matter(&mut self, doc: &Document, keys: &mut BTreeMap<(String, bool), Files>) {
        if doc.format.is_none() {
            self.without_front_matter.add(&doc.display_path);
        }
        if doc.comments > 0 {
            self.comments += doc.comments;
            self.commented.add(&doc.display_path);
        }
        for key in &doc.front_keys {
            let recognised = !doc.unknown_keys.iter().any(|unknown| unknown == key);
            keys.entry((key.clone(), recognised)).or_default().add(&doc.display_path);
        }
        for nested in doc.unknown_keys.iter().filter(|k| k.contains('.')) {
            self.unknown_nested_keys.count += 1;
            self.unknown_nested_keys.files.push(format!("{}: {nested}", doc.display_path.display()));
        }
    }

    fn read_items(&mut self, site: &Site) {
        for item in &site.items {
            *self.kinds.entry(item.kind.name()).or_default() += 1;
            let doc = &item.doc;
            if doc.front.title.is_some() || (item.kind == Kind::Provision && doc.front.heading.is_some()) {
                self.titles.front_matter += 1;
            } else if crate::model::title_heading(doc).is_some() {
                self.titles.heading += 1;
            } else {
                self.titles.file_name.add(&doc.display_path);
            }
            if doc.front.id.is_none() && item.id.contains('/') && item.id == crate::model::path_name(&doc.rel_path) {
                self.ids_from_paths.add(&doc.display_path);
            }
            for redirect in &item.redirects {
                self.redirects.push(RedirectMade {
                    from: format!("/{}", redirect.route),
                    to: format!("/{}", item.route),
                    file: doc.display_path.display().to_string().replace('\\', "/"),
                });
            }
        }
    }

    fn read_tags(&mut self, site: &Site) {
        self.tags = site.tags.list.iter().filter(|tag| !tag.items.is_empty()).count();
        self.tagged_items = site.items.iter().filter(|item| !item.tags.is_empty()).count();
        let mut top: Vec<(String, usize)> = site
            .tags
            .list
            .iter()
            .filter(|tag| !tag.items.is_empty())
            .map(|tag| (tag.name.clone(), tag.items.len()))
            .collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(SHOWN);
        self.top_tags = top;
    }

    fn read_links(&mut self, graph: &Graph, diagnostics: &Diagnostics) {
        let mut by_syntax: BTreeMap<u8, LinkCount> = BTreeMap::new();
        for reference in graph.references.iter().flatten().chain(&graph.home_references) {
            let order = reference.syntax as u8;
            let count = by_syntax.entry(order).or_insert(LinkCount { syntax: reference.syntax, total: 0, broken: 0 });
            count.total += 1;
            count.broken += usize::from(reference.target == Target::Broken);
        }
        self.links = by_syntax.into_values().collect();
        for diagnostic in diagnostics.iter().filter(|d| LINK_CODES.contains(&d.code)) {
            *self.link_problems.entry(diagnostic.code.to_string()).or_default() += 1;
        }
    }
}

/// The one-screen form `docket check --import` prints.
impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = crate::diagnostics::thousands;
        writeln!(f, "Import report")?;
        let kinds: Vec<String> = self.kinds.iter().map(|(kind, count)| format!("{kind} {}", n(*count))).collect();
        let items: usize = self.kinds.values().sum();
        writeln!(
            f,
            "  notes        {} read, {} attachment(s); {} item(s) by kind: {}",
            n(self.notes),
            n(self.attachments),
            n(items),
            list_or_none(&kinds)
        )?;
        if self.without_front_matter.count > 0 {
            writeln!(f, "               {} without front matter", n(self.without_front_matter.count))?;
        }
        let t = &self.titles;
        writeln!(
            f,
            "  titles       {} from front matter, {} from the first heading, {} guessed from the file name{}",
            n(t.front_matter),
            n(t.heading),
            n(t.file_name.count),
            example(&t.file_name)
        )?;
        writeln!(
            f,
            "  ids          {} from paths (shared file names){}",
            n(self.ids_from_paths.count),
            example(&self.ids_from_paths)
        )?;
        self.write_keys(f, true)?;
        self.write_keys(f, false)?;
        if self.unknown_nested_keys.count > 0 {
            writeln!(
                f,
                "               {} unknown key(s) inside tables{}",
                n(self.unknown_nested_keys.count),
                example(&self.unknown_nested_keys)
            )?;
        }
        if self.comments > 0 {
            writeln!(
                f,
                "  comments     {} Obsidian comment(s) (%%…%%) removed, never published, in {} file(s){}",
                n(self.comments),
                n(self.commented.count),
                example(&self.commented)
            )?;
        }
        if self.unsupported_syntax.is_empty() {
            writeln!(f, "  templates    none: no Liquid tag or Hugo shortcode")?;
        }
        for (kind, files) in &self.unsupported_syntax {
            writeln!(f, "  templates    {kind}s appear as written in {} file(s){}", n(files.count), example(files))?;
        }
        match self.redirects.first() {
            None => writeln!(f, "  redirects    none")?,
            Some(first) => writeln!(
                f,
                "  redirects    {} page(s) at old addresses (e.g. {} -> {}, from {})",
                n(self.redirects.len()),
                first.from,
                first.to,
                first.file
            )?,
        }
        let top: Vec<String> = self.top_tags.iter().map(|(tag, count)| format!("#{tag} {}", n(*count))).collect();
        writeln!(
            f,
            "  tags         {} tag(s) on {} item(s){}",
            n(self.tags),
            n(self.tagged_items),
            if top.is_empty() { String::new() } else { format!(": {}", top.join(", ")) }
        )?;
        let links: Vec<String> = self
            .links
            .iter()
            .map(|l| format!("{} {} ({} broken)", n(l.total), syntax_name(l.syntax), n(l.broken)))
            .collect();
        writeln!(f, "  links        {}", list_or_none(&links))?;
        if !self.link_problems.is_empty() {
            let problems: Vec<String> =
                self.link_problems.iter().map(|(code, count)| format!("{} {code}", n(*count))).collect();
            writeln!(f, "               problems: {}", problems.join(", "))?;
        }
        writeln!(f, "{} error(s), {} warning(s): `docket check` shows them", n(self.errors), n(self.warnings))
    }
}

impl ImportReport {
    fn write_keys(&self, f: &mut fmt::Formatter<'_>, recognised: bool) -> fmt::Result {
        let keys: Vec<&KeyUse> = self.keys.iter().filter(|k| k.recognised == recognised).collect();
        let label = if recognised { "read" } else { "dropped" };
        if keys.is_empty() {
            return writeln!(f, "  keys {label:<7} none");
        }
        let n = crate::diagnostics::thousands;
        for (i, key) in keys.iter().take(SHOWN).enumerate() {
            let lead = if i == 0 { format!("keys {label}") } else { String::new() };
            writeln!(f, "  {lead:<12} {:<16} {:>6} file(s){}", key.key, n(key.files.count), example(&key.files))?;
        }
        if keys.len() > SHOWN {
            writeln!(f, "               … and {} more key(s) (`--format json` lists all)", n(keys.len() - SHOWN))?;
        }
        Ok(())
    }
}

fn example(files: &Files) -> String {
    if files.count == 0 { String::new() } else { format!(", e.g. {}", files.example()) }
}

fn list_or_none(parts: &[String]) -> String {
    if parts.is_empty() { "none".to_string() } else { parts.join(", ") }
}

fn syntax_name(syntax: Syntax) -> &'static str {
    match syntax {
        Syntax::Wikilink => "wikilinks",
        Syntax::Embed => "embeds",
        Syntax::MarkdownLink => "markdown links",
        Syntax::Citation => "citations",
        Syntax::Asset => "file links",
    }
}
