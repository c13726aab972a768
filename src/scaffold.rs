//! `docket new`: a new knowledge base, or a new item with the front matter its kind uses.
//!
//! Scaffolding never overwrites: an existing file is an error naming it.

use std::path::{Path, PathBuf};

use crate::model::Kind;
use crate::text::slugify;

/// Creates a knowledge base in `dir`: `docket.toml`, a home page introduction and one
/// example instrument. Returns the files written.
pub fn knowledge_base(dir: &Path, title: &str) -> Result<Vec<PathBuf>, String> {
    let files = [
        (
            "docket.toml".to_string(),
            format!(
                "title = {title:?}\nbase_url = \"/\"\nlanguage = \"en\"\ntheme = \"default\"\noutput = \"public\"\ndescription = \"\"\n\n[deadlines]\ncounting = \"exclude-anchor\"\nnon_business_day = \"flag\"\ndue_soon_days = 14\n"
            ),
        ),
        (
            "content/_index.md".to_string(),
            format!("# {title}\n\nWhat this knowledge base covers, and how to read it.\n"),
        ),
        ("content/instruments/example-order.md".to_string(), item_template(Kind::Instrument, "Example order")),
    ];
    write_new(dir, &files)
}

/// Creates one item of `kind` titled `title` in the kind's folder under `content/`.
pub fn item(root: &Path, kind: Kind, title: &str) -> Result<PathBuf, String> {
    let folder = match kind {
        Kind::Instrument => "instruments",
        Kind::Provision => "sections",
        Kind::Source => "sources",
        Kind::Deadline => "deadlines",
        Kind::Audience => "audiences",
        Kind::Agency => "agencies",
        Kind::Term => "terms",
        Kind::Alert => "alerts",
        Kind::Note => "notes",
    };
    let slug = slugify(title);
    if slug.is_empty() {
        return Err("the title needs at least one letter or digit".into());
    }
    let path = format!("content/{folder}/{slug}.md");
    write_new(root, &[(path, item_template(kind, title))]).map(|mut written| written.remove(0))
}

fn write_new(dir: &Path, files: &[(String, String)]) -> Result<Vec<PathBuf>, String> {
    for (path, _) in files {
        let target = dir.join(path);
        if target.exists() {
            return Err(format!("{} already exists; docket new never overwrites", target.display()));
        }
    }
    let mut written = Vec::new();
    for (path, text) in files {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&target, text).map_err(|e| format!("{}: {e}", target.display()))?;
        written.push(target);
    }
    Ok(written)
}

/// The front matter and body outline of a new item of `kind`.
pub fn item_template(kind: Kind, title: &str) -> String {
    let specific = match kind {
        Kind::Instrument => {
            "type = \"executive order\"\ncitation = \"\"\nsigned = 2026-01-01\nstatus = \"in effect\"\n"
        }
        Kind::Provision => "number = \"1\"\nheading = \"\"\nagencies = []\nconsulting = []\n",
        Kind::Source => {
            "type = \"news report\"\n# publisher = \"\"   # only when the text states it\n# author = \"\"\n# date = 2026-01-01\nshort = \"\"\n\n# [[claims]]\n# about = \"1\"\n# attribute = \"due\"\n# value = \"2026-02-01\"\n# quote = \"\"        # the source's exact words; the value may not name more than they do\n# location = \"\"\n# list = \"partial\"   # for a list: partial (names some) or exhaustive (names all)\n"
        }
        Kind::Deadline => "provision = \"1\"\naction = \"\"\nagencies = []\nrule = \"within 30 days of signing\"\n",
        Kind::Audience => "order = 1\n",
        Kind::Agency => "short = \"\"\n# parent = \"\"\n",
        Kind::Term => "short = \"\"\n",
        Kind::Alert => "date = 2026-01-01\nauthors = [{ name = \"\", role = \"\", email = \"\" }]\ntakeaways = []\n",
        Kind::Note => "",
    };
    format!(
        "+++\ntitle = {title:?}\nsummary = \"\"\n{specific}audiences = {{}}\nupdated = {}\n+++\n\n## Overview\n\nWrite here. Link with `[[id]]`, cite with `[@source-id]`.\n",
        chrono::Local::now().date_naive().format("%Y-%m-%d")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_readable_front_matter() {
        for kind in Kind::ALL {
            let text = item_template(kind, "A \"quoted\" title");
            let split = crate::load::front_matter::split(&text).expect("closed");
            let parsed = crate::load::front_matter::parse(&text, &split).expect("parses");
            assert_eq!(parsed.front.title.as_deref(), Some("A \"quoted\" title"), "{kind:?}");
            assert!(parsed.unknown_keys.is_empty(), "{kind:?}: {:?}", parsed.unknown_keys);
        }
    }

    #[test]
    fn new_never_overwrites() {
        let dir = tempfile::tempdir().expect("temp dir");
        item(dir.path(), Kind::Term, "Covered model").expect("first");
        assert!(item(dir.path(), Kind::Term, "Covered model").is_err());
    }
}
