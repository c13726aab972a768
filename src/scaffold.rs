//! `docket new`: a new knowledge base, or a new item with the front matter its kind uses.
//!
//! `docket new site` writes a small but complete knowledge base, one item of every kind
//! wired to the others, that checks with no error and no warning and reads as a guide: each
//! file says in comments what its keys mean. `docket new KIND` writes one item whose
//! references point at items that exist (a new provision takes the next free number, a new
//! deadline names an existing provision), so adding items one by one keeps the check clean.
//!
//! Two rules keep the templates safe to edit. Comment blocks that would capture the keys
//! below them once uncommented (a TOML `[[claims]]` table takes every key after it) come
//! last. Scaffolding never overwrites: an existing file is an error naming it.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::model::{Kind, ProvisionNumber};
use crate::text::slugify;

/// Creates a knowledge base in `dir`, dated `today` (the alert's date and every item's
/// `updated`). Returns the files written.
pub fn knowledge_base(dir: &Path, title: &str, today: NaiveDate) -> Result<Vec<PathBuf>, String> {
    let files: Vec<(String, String)> = guide_files(title, today).into_iter().map(|(p, t)| (p.to_string(), t)).collect();
    write_new(dir, &files)
}

/// What to create with [`item`].
#[derive(Clone, Debug)]
pub struct NewItem<'a> {
    /// The item kind.
    pub kind: Kind,
    /// Its title; the file name is made from it.
    pub title: &'a str,
    /// A provision's number (`2(a)`); default: the next free top-level number.
    pub number: Option<&'a str>,
    /// The day written as `updated` (and as an alert's `date`).
    pub today: NaiveDate,
}

/// Creates one item in the kind's folder under the content folder of `root`.
pub fn item(root: &Path, new: &NewItem<'_>) -> Result<PathBuf, String> {
    let slug = slugify(new.title);
    if slug.is_empty() {
        return Err("the title needs at least one letter or digit".into());
    }
    if new.number.is_some() && new.kind != Kind::Provision {
        return Err("only a provision has a number (`--number` goes with `docket new provision`)".into());
    }
    let existing = Existing::scan(root);
    let number = match new.number {
        Some(number) => {
            let parsed = ProvisionNumber::parse(number)?;
            if existing.numbers.contains(&parsed) {
                return Err(format!("provision `{parsed}` already exists; choose another --number"));
            }
            parsed.to_string()
        }
        None => existing.next_number(),
    };
    let provision = existing.first_provision().unwrap_or_else(|| "1".to_string());
    let context = Context { today: new.today, number: &number, provision: &provision };
    let path = format!("{}/{}/{slug}.md", existing.content, folder(new.kind));
    write_new(root, &[(path, item_template(new.kind, new.title, &context))]).map(|mut written| written.remove(0))
}

/// The folder `docket new` puts items of `kind` in (one the loader reads as that kind).
fn folder(kind: Kind) -> &'static str {
    match kind {
        Kind::Instrument => "instruments",
        Kind::Provision => "sections",
        Kind::Source => "sources",
        Kind::Deadline => "deadlines",
        Kind::Audience => "audiences",
        Kind::Agency => "agencies",
        Kind::Term => "terms",
        Kind::Alert => "alerts",
        Kind::Note => "notes",
    }
}

/// What a new item must fit into: the content folder and the provision numbers already
/// used by the default instrument.
struct Existing {
    content: String,
    numbers: Vec<ProvisionNumber>,
}

impl Existing {
    /// Reads the configuration and the front matter of every note under the content
    /// folder. Unreadable notes are skipped: `docket check` reports them, not `docket new`.
    fn scan(root: &Path) -> Existing {
        let config = crate::config::load(root, &mut crate::diagnostics::Diagnostics::new());
        let content_dir = root.join(&config.content);
        let default = config.default_instrument.clone();
        let mut numbers = Vec::new();
        for entry in walkdir::WalkDir::new(&content_dir).into_iter().filter_map(Result::ok) {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else { continue };
            let Ok(split) = crate::load::front_matter::split(&text) else { continue };
            let Ok(parsed) = crate::load::front_matter::parse(&text, &split) else { continue };
            let front = parsed.front;
            let folder_kind = path
                .strip_prefix(&content_dir)
                .ok()
                .and_then(|rel| rel.components().next())
                .and_then(|first| Kind::from_folder(&first.as_os_str().to_string_lossy()));
            let kind = front.kind.as_deref().and_then(Kind::from_name).or(folder_kind);
            let same_instrument = front.instrument.is_none() || front.instrument == default;
            if kind == Some(Kind::Provision)
                && same_instrument
                && let Some(Ok(number)) = front.number.as_deref().map(ProvisionNumber::parse)
            {
                numbers.push(number);
            }
        }
        numbers.sort();
        Existing { content: config.content.trim_end_matches('/').to_string(), numbers }
    }

    /// One more than the highest top-level number in use (`3` after `2(c)`), or `1`.
    fn next_number(&self) -> String {
        let highest =
            self.numbers.iter().filter_map(|n| n.to_string().split(['(', '.']).next()?.parse::<u64>().ok()).max();
        highest.map_or(1, |n| n + 1).to_string()
    }

    /// The first provision in the instrument's order, for a new deadline to point at.
    fn first_provision(&self) -> Option<String> {
        self.numbers.first().map(ToString::to_string)
    }
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

/// What an item template refers to.
struct Context<'a> {
    today: NaiveDate,
    /// A new provision's number.
    number: &'a str,
    /// An existing provision a new deadline can belong to.
    provision: &'a str,
}

/// The front matter and body outline of a new item of `kind`.
fn item_template(kind: Kind, title: &str, context: &Context<'_>) -> String {
    let today = context.today.format("%Y-%m-%d");
    let (specific, trailing) = match kind {
        Kind::Instrument => (
            format!(
                "type = \"executive order\"       # or \"statute\", \"rule\", …\ncitation = \"\"\nsigned = {today}\nstatus = \"in effect\"\n"
            ),
            String::new(),
        ),
        Kind::Provision => (
            format!(
                "number = {:?}                   # the instrument's own numbering: 2, 2(c), 3(b)(ii)\nheading = \"\"\nagencies = []                  # ids of agencies that must act\nconsulting = []\n",
                context.number
            ),
            "\n# This provision belongs to `default_instrument` of docket.toml; for another one:\n# instrument = \"id\"\n".into(),
        ),
        Kind::Source => (
            "type = \"news report\"           # or \"official text\", \"law-firm alert\", \"analysis\"\nshort = \"\"\n# publisher = \"\"   # only when the text states it\n# author = \"\"\n# date = YYYY-MM-DD\n".into(),
            format!(
                "\n# What the source says about a provision or a deadline. Tables come last in TOML:\n# a key written after a [[claims]] line belongs to that claim.\n# [[claims]]\n# about = {:?}\n# attribute = \"agency\"\n# value = \"\"\n# quote = \"\"        # the source's exact words; the value may not name more than they do\n# location = \"\"\n# list = \"partial\"   # for a list: partial (names some) or exhaustive (names all)\n",
                context.provision
            ),
        ),
        Kind::Deadline => (
            format!(
                "provision = {:?}\naction = \"\"\nagencies = []\nrule = \"within 30 days of signing\"\n",
                context.provision
            ),
            String::new(),
        ),
        Kind::Audience => ("order = 1\n".into(), String::new()),
        Kind::Agency => ("short = \"\"\n".into(), "\n# The agency this one is part of:\n# parent = \"id\"\n".into()),
        Kind::Term => ("short = \"\"\n".into(), String::new()),
        Kind::Alert => (format!("date = {today}\nauthors = [{{ name = \"\", role = \"\", email = \"\" }}]\ntakeaways = []\n"), String::new()),
        Kind::Note => (String::new(), String::new()),
    };
    format!(
        "+++\ntitle = {title:?}\nsummary = \"\"\n{specific}audiences = {{}}                 # audience id = \"high\", \"medium\" or \"low\"\nupdated = {today}\n{trailing}+++\n\n## Overview\n\nWrite here. Link with `[[id]]`, cite with `[@source-id]`.\n"
    )
}

/// The files of a new knowledge base: every kind of item once, wired together, each
/// explaining itself. The dates are fixed so the computed deadline is the one the source
/// claims (2026-03-02 plus 30 days is Wednesday 2026-04-01, a business day); the alert
/// and `updated` carry the day of scaffolding.
fn guide_files(title: &str, today: NaiveDate) -> Vec<(&'static str, String)> {
    let today = today.format("%Y-%m-%d").to_string();
    let file = |path, text: &str| (path, text.replace("{TODAY}", &today).replace("{TITLE}", &format!("{title:?}")));
    vec![
        file("docket.toml", CONFIG),
        file("content/_index.md", HOME),
        file("content/instruments/example-order.md", INSTRUMENT),
        file("content/sections/1.md", PROVISION_1),
        file("content/sections/2.md", PROVISION_2),
        file("content/sources/example-source.md", SOURCE),
        file("content/deadlines/example-deadline.md", DEADLINE),
        file("content/audiences/example-audience.md", AUDIENCE),
        file("content/agencies/example-agency.md", AGENCY),
        file("content/terms/example-term.md", TERM),
        file("content/alerts/example-alert.md", ALERT),
    ]
}

const CONFIG: &str = r#"# docket.toml: the settings of this knowledge base. Every key has a default; the README's
# "docket.toml" section lists them all.

title = {TITLE}
description = "What this knowledge base covers, in one sentence."
language = "en"

# Where the site will be published. "/" works for `docket serve` and for any host that
# serves the site at its root; feeds and the e-mail versions of alerts then use
# root-relative links. Set the full address ("https://example.org/kb/") before you publish
# so that feed readers and e-mail clients get absolute links.
base_url = "/"

# Bare provision numbers such as [[2]] refer to this instrument, and so do provisions that
# do not name theirs (every provision `docket new provision` writes).
default_instrument = "example-order"

# Statuses (upcoming, due soon, passed) are computed against this date; default: today.
# as_of = 2026-04-01

[deadlines]
counting = "exclude-anchor"     # the signing day is day 0
non_business_day = "flag"       # or "next-business-day"
due_soon_days = 14

[alerts]
firm = "Example firm"
disclaimer = "This alert is for information only and is not legal advice."
contact = "Questions: the knowledge-base editors."
"#;

const HOME: &str = r#"# {TITLE}

What this knowledge base covers, and how to read it. This page is `content/_index.md`.

Every note lives in the folder of its kind: `instruments/`, `sections/` (provisions),
`sources/`, `deadlines/`, `audiences/`, `agencies/`, `terms/`, `alerts/` and `notes/`.
Start with the [[example-order]], its provisions [[1]] and [[2]], and the
[[example-deadline]] that [[2]] sets.

Add items with `docket new provision "Title"` (or `source`, `deadline`, ...), preview
with `docket serve --open`, and check everything with `docket check`.
"#;

const INSTRUMENT: &str = r#"+++
# An instrument: the policy document the knowledge base is about.
title = "Example order"
type = "executive order"
citation = "Exec. Order No. 00000"
signed = 2026-03-02             # deadline rules count from this date
status = "in effect"
summary = "An example instrument: replace it with the order, statute or rule you cover."
audiences = { example-audience = "high" }
updated = {TODAY}
+++

# Example order

What the instrument does, in your own words. Its provisions are [[1]] and [[2]].
"#;

const PROVISION_1: &str = r#"+++
# A provision: one section of the instrument, numbered as the instrument numbers it.
# Its id is `example-order:1`; in text, [[1]] links here.
number = "1"
title = "Purpose"
summary = "Why the instrument was made."
audiences = { example-audience = "low" }
updated = {TODAY}
+++

# Purpose

What the section says, in the note's own words. Short quotes of the official text are fine
when marked as quotes.
"#;

const PROVISION_2: &str = r#"+++
number = "2"
title = "Reporting"
summary = "The example agency must publish a report within 30 days."
agencies = ["example-agency"]   # who must act
audiences = { example-audience = "high" }
questions = ["What will the report cover?"]
updated = {TODAY}
+++

# Reporting

The [[example-agency]] must publish a report ([[example-deadline]]). The
[[example-source]] gives the same date [@example-source, para. 2]. See also
[[example-term]].

## Open questions

- What the report will cover.
"#;

const SOURCE: &str = r#"+++
# A source: commentary, news or official text. Its claims are compared with each other
# and with the dates docket computes; a disagreement is shown as a conflict.
title = "Example source"
type = "news report"
short = "Example source"
summary = "A report on the order's deadlines."
audiences = { example-audience = "medium" }
updated = {TODAY}

# Tables come last in TOML: every key after a [[claims]] line belongs to that claim.
[[claims]]
about = "example-deadline"
attribute = "due"
value = "2026-04-01"
quote = "The agency has until April 1, 2026 to publish its report."
location = "para. 2"
+++

# Example source

What the source says, with its main points. Cite it elsewhere with `[@example-source]`.
"#;

const DEADLINE: &str = r#"+++
# A deadline: the date is computed from the rule and the instrument's `signed` date.
title = "Publish the report"
provision = "2"
action = "Publish a report"
agencies = ["example-agency"]
rule = "within 30 days of signing"
audiences = { example-audience = "high" }
updated = {TODAY}
+++

# Publish the report

Set by [[2]].
"#;

const AUDIENCE: &str = r#"+++
# An audience: readers who get their own landing page with their deadlines.
title = "Example audience"
order = 1                       # position among the audiences
summary = "Who these readers are and why the order matters to them."
actions = [{ audience = "example-audience", text = "Prepare for the report." }]
updated = {TODAY}
+++

# Example audience

What these readers should watch.
"#;

const AGENCY: &str = r#"+++
title = "Example agency"
short = "EA"
summary = "An agency that must act under the order."
updated = {TODAY}
+++

# Example agency

What this agency must do, and by when.
"#;

const TERM: &str = r#"+++
# A term: a glossary entry.
title = "Example term"
short = "A word the instrument defines."
updated = {TODAY}
+++

# Example term

The definition, and where the instrument uses it.
"#;

const ALERT: &str = r#"+++
# A client alert: a dated piece composed from the knowledge base, with print and e-mail
# versions and an Atom feed.
title = "Example alert"
date = {TODAY}
authors = [{ name = "A. Author", role = "Editor", email = "editor@example.org" }]
summary = "What changed, for the example audience."
audiences = { example-audience = "high" }
takeaways = ["The report is due 30 days after signing."]
updated = {TODAY}
+++

# Example alert

The [[example-order]] requires a report under [[2]] ([[example-deadline]]).
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Context<'static> {
        Context { today: NaiveDate::from_ymd_opt(2026, 5, 1).expect("date"), number: "3", provision: "1" }
    }

    #[test]
    fn every_template_is_readable_front_matter() {
        for kind in Kind::ALL {
            let text = item_template(kind, "A \"quoted\" title", &context());
            let split = crate::load::front_matter::split(&text).expect("closed");
            let parsed = crate::load::front_matter::parse(&text, &split).expect("parses");
            assert_eq!(parsed.front.title.as_deref(), Some("A \"quoted\" title"), "{kind:?}");
            assert!(parsed.unknown_keys.is_empty(), "{kind:?}: {:?}", parsed.unknown_keys);
        }
    }

    #[test]
    fn uncommenting_the_claim_block_keeps_the_other_keys_outside_it() {
        let text = item_template(Kind::Source, "S", &context())
            .replace("# [[claims]]", "[[claims]]")
            .replace("# about", "about");
        let split = crate::load::front_matter::split(&text).expect("closed");
        let parsed = crate::load::front_matter::parse(&text, &split).expect("parses");
        assert!(parsed.unknown_keys.is_empty(), "{:?}", parsed.unknown_keys);
        assert!(parsed.front.audiences.is_some() && parsed.front.updated.is_some());
        assert_eq!(parsed.front.claims.len(), 1);
    }

    #[test]
    fn new_never_overwrites() {
        let dir = tempfile::tempdir().expect("temp dir");
        let new = NewItem { kind: Kind::Term, title: "Covered model", number: None, today: context().today };
        item(dir.path(), &new).expect("first");
        assert!(item(dir.path(), &new).is_err());
    }

    #[test]
    fn new_provisions_take_the_next_free_number_or_the_one_asked_for() {
        let dir = tempfile::tempdir().expect("temp dir");
        let today = context().today;
        let new = |title, number| NewItem { kind: Kind::Provision, title, number, today };
        let first = item(dir.path(), &new("First", None)).expect("first");
        assert!(std::fs::read_to_string(first).expect("read").contains("number = \"1\""));
        item(dir.path(), &new("Sub", Some("1(a)"))).expect("asked for");
        let second = item(dir.path(), &new("Second", None)).expect("second");
        assert!(std::fs::read_to_string(second).expect("read").contains("number = \"2\""));
        let taken = item(dir.path(), &new("Again", Some("1(a)"))).expect_err("taken");
        assert!(taken.contains("already exists"), "{taken}");
        assert!(item(dir.path(), &new("Bad", Some("2((a"))).is_err());
    }
}
