//! `docket mirror mediawiki`: keeps a MediaWiki in sync with the knowledge base through
//! its Action API, the way `docket build` keeps a folder in sync.
//!
//! In: the knowledge base (run through load, model and resolve, not render) and a wiki's
//! `api.php`. Out: one page per item, a main page, the deadline table and one page per
//! category, written as wikitext from the resolved model ([`wikitext`], [`pages`]), and
//! the attachments uploaded.
//!
//! Invariants. Every page docket writes opens with an ownership marker holding the
//! content's hash ([`MARKER`]); docket edits only pages that carry it, and only when the
//! hash differs; it deletes (or blanks, by setting) owned pages whose item is gone; it
//! never touches a page without the marker, and when a page it would write exists
//! without it, nothing is written and the report names the page. So a second run over an
//! unchanged knowledge base makes no edit, and a run that failed part way is completed
//! by the next one.

pub mod api;
pub mod pages;
pub mod wikitext;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use crate::BuildOptions;
use crate::config::OnRemoved;
use crate::diagnostics::{Diagnostic, Diagnostics};
use api::{ApiError, Client};
use pages::{Features, Mirror, Naming, WikiFile, WikiPage};

/// The start of the ownership marker every page docket writes opens with.
pub const MARKER: &str = "<!-- docket-mirror: this page is written by docket; edits here are replaced. sha256=";

/// Pages read per query (the API's limit for ordinary users).
const BATCH: usize = 50;

/// Told of each write as it happens: `(done, total, title)`.
pub type Progress<'a> = &'a (dyn Fn(usize, usize, &str) + Sync);

/// What a mirror is asked to do.
pub struct MirrorOptions<'a> {
    /// How the knowledge base is read.
    pub build: BuildOptions,
    /// `api.php` URL (overrides docket.toml).
    pub api: Option<String>,
    /// Page-title prefix (overrides docket.toml).
    pub prefix: Option<String>,
    /// Bot-password user and password (from the environment).
    pub credentials: Option<(String, String)>,
    /// Only print the plan.
    pub dry_run: bool,
    /// Told of each write as it happens.
    pub progress: Option<Progress<'a>>,
}

/// A change to one page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// A new page (or file).
    Create,
    /// An owned page whose content changed.
    Update,
    /// An owned page whose item is gone.
    Delete,
}

impl Change {
    /// The word for it in reports.
    pub fn label(self) -> &'static str {
        match self {
            Change::Create => "create",
            Change::Update => "update",
            Change::Delete => "delete",
        }
    }
}

/// What a mirror did (or, in a dry run, would do).
#[derive(Debug, Default)]
pub struct MirrorReport {
    /// Everything found wrong, sorted.
    pub diagnostics: Diagnostics,
    /// Pages (and files) the knowledge base has on the wiki.
    pub pages: usize,
    /// The plan: each change and the title it applies to, in order.
    pub plan: Vec<(Change, String)>,
    /// Titles written (edited, created, deleted or uploaded), in order.
    pub written: Vec<(Change, String)>,
    /// Edits made (page writes, uploads and deletions).
    pub edits: usize,
    /// Time spent waiting on the wiki's maxlag or rate limits.
    pub waited: Duration,
    /// Wall time.
    pub elapsed: Duration,
}

impl MirrorReport {
    /// True when no error was reported.
    pub fn succeeded(&self) -> bool {
        !self.diagnostics.has_errors()
    }

    /// How many planned changes are of this kind.
    pub fn count(&self, change: Change) -> usize {
        self.plan.iter().filter(|(c, _)| *c == change).count()
    }
}

/// Mirrors the knowledge base into the wiki, unless an error was found.
pub fn mirror(options: &MirrorOptions<'_>) -> MirrorReport {
    let started = Instant::now();
    let mut report = MirrorReport::default();
    let compiled = crate::compile(&options.build, false);
    report.diagnostics.extend(compiled.diagnostics.iter().cloned());
    if report.diagnostics.has_errors() {
        return finish(report, started);
    }
    let settings = &compiled.site.config.mirror.mediawiki;
    let Some(api) = options.api.clone().or_else(|| settings.api.clone()) else {
        report.diagnostics.push(
            Diagnostic::file_error("mirror", Path::new(crate::config::CONFIG_FILE), "no wiki to mirror to")
                .with_hint("set `api` under [mirror.mediawiki] in docket.toml, or pass --api URL (the wiki's api.php)"),
        );
        return finish(report, started);
    };
    let site_title = &compiled.site.config.title;
    let prefix = options.prefix.clone().or_else(|| settings.prefix.clone()).unwrap_or_else(|| format!("{site_title}/"));
    let category_prefix = settings.category_prefix.clone().unwrap_or_else(|| format!("{site_title} "));
    let naming = Naming { prefix, category_prefix };
    let mut session =
        Session { client: Client::new(&api), api: api.clone(), report, options, on_removed: settings.on_removed };
    if let Err(error) = session.run(&compiled, &naming) {
        session.fail(&error, None);
    }
    let mut report = session.report;
    report.waited = session.client.waited;
    finish(report, started)
}

fn finish(mut report: MirrorReport, started: Instant) -> MirrorReport {
    report.diagnostics = std::mem::take(&mut report.diagnostics).sorted();
    report.elapsed = started.elapsed();
    report
}

/// A page as it is on the wiki.
struct Live {
    text: String,
    timestamp: String,
}

struct Session<'a, 'b> {
    client: Client,
    api: String,
    report: MirrorReport,
    options: &'a MirrorOptions<'b>,
    on_removed: OnRemoved,
}

impl Session<'_, '_> {
    fn fail(&mut self, error: &ApiError, title: Option<&str>) {
        let about = title.map(|t| format!(" while writing `{t}`")).unwrap_or_default();
        let written = if self.report.written.is_empty() {
            "nothing was written".to_string()
        } else {
            let titles: Vec<&str> = self.report.written.iter().map(|(_, t)| t.as_str()).collect();
            format!("written before it: {}; the next run completes the sync", titles.join(", "))
        };
        self.report.diagnostics.push(
            Diagnostic::file_error("mirror", Path::new(&self.api), format!("the wiki refused{about}: {error}"))
                .with_hint(format!("{}; {written}", error.hint())),
        );
    }

    fn run(&mut self, compiled: &crate::Compiled, naming: &Naming) -> Result<(), ApiError> {
        let features = self.features()?;
        if let Some((user, password)) = &self.options.credentials {
            self.client.login(user, password)?;
            self.check_rights(!compiled.site.attachments.is_empty() && features.uploads)?;
        } else if !self.options.dry_run {
            return Err(ApiError {
                code: "login-failed".into(),
                info: "no credentials: DOCKET_MEDIAWIKI_USER and DOCKET_MEDIAWIKI_PASSWORD are not set".into(),
            });
        }
        let mirror = match pages::mirror(&compiled.site, &compiled.graph, naming, &features) {
            Ok(mirror) => mirror,
            Err(changed) => {
                self.report.diagnostics.push(*changed);
                return Ok(());
            }
        };
        self.report.pages = mirror.pages.len() + mirror.files.len();
        let plan = self.plan(&mirror, naming)?;
        if self.report.diagnostics.has_errors() || self.options.dry_run {
            return Ok(());
        }
        self.apply(&mirror, plan)
    }

    fn features(&mut self) -> Result<Features, ApiError> {
        let answer = self.client.get(&[
            ("action", "query"),
            ("meta", "siteinfo"),
            ("siprop", "general|extensiontags|fileextensions"),
        ])?;
        let query = &answer["query"];
        let tags: Vec<&str> =
            query["extensiontags"].as_array().into_iter().flatten().filter_map(|t| t.as_str()).collect();
        Ok(Features {
            syntaxhighlight: tags.contains(&"<syntaxhighlight>"),
            cite: tags.contains(&"<ref>") && tags.contains(&"<references>"),
            uploads: query["general"]["uploadsenabled"].as_bool().unwrap_or(false),
            file_extensions: query["fileextensions"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e["ext"].as_str().map(str::to_lowercase))
                .collect(),
        })
    }

    /// Fails early, with the rights named, when the bot password cannot do what a mirror
    /// needs.
    fn check_rights(&mut self, uploads: bool) -> Result<(), ApiError> {
        let answer = self.client.get(&[("action", "query"), ("meta", "userinfo"), ("uiprop", "rights")])?;
        let rights: Vec<&str> =
            answer["query"]["userinfo"]["rights"].as_array().into_iter().flatten().filter_map(|r| r.as_str()).collect();
        let mut needed = vec!["edit", "createpage", "delete"];
        if uploads {
            needed.push("upload");
        }
        let missing: Vec<&str> = needed.into_iter().filter(|r| !rights.contains(r)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(ApiError {
            code: "permissiondenied".into(),
            info: format!("the bot password lacks the right(s) {}", missing.join(", ")),
        })
    }

    /// Reads every page the mirror would write and every owned page under the prefix;
    /// returns what to change. A page in the way that docket does not own is an error.
    fn plan(&mut self, mirror: &Mirror, naming: &Naming) -> Result<Vec<(Change, String, Option<Live>)>, ApiError> {
        let mut titles: BTreeSet<String> = mirror.pages.iter().map(|p| p.title.clone()).collect();
        titles.extend(mirror.files.iter().map(|f| format!("File:{}", f.name)));
        let desired = titles.clone();
        titles.extend(self.prefixed(naming)?);
        let live = self.read(&titles.into_iter().collect::<Vec<_>>())?;
        let mut plan = Vec::new();
        let wanted: BTreeMap<&str, String> =
            mirror.pages.iter().map(|p| (p.title.as_str(), owned_text(&p.text))).collect();
        let file_texts: BTreeMap<String, String> =
            mirror.files.iter().map(|f| (format!("File:{}", f.name), file_text(f))).collect();
        for (title, page) in live {
            let Some(page) = page else {
                if desired.contains(&title) {
                    plan.push((Change::Create, title, None));
                }
                continue;
            };
            let owned = page.text.starts_with(MARKER);
            if !desired.contains(&title) {
                if owned && !(self.on_removed == OnRemoved::Blank && page.text.contains(REMOVED)) {
                    plan.push((Change::Delete, title, Some(page)));
                }
                continue;
            }
            if !owned {
                self.report.diagnostics.push(
                    Diagnostic::file_error(
                        "mirror",
                        Path::new(&self.api),
                        format!("`{title}` already exists on the wiki and was not written by docket; refusing to overwrite it"),
                    )
                    .with_hint("rename or move that page, or choose another page-title prefix (--prefix, or `prefix` under [mirror.mediawiki])"),
                );
                continue;
            }
            let text =
                file_texts.get(&title).cloned().or_else(|| wanted.get(title.as_str()).cloned()).unwrap_or_default();
            if page.text.trim_end() != text.trim_end() {
                plan.push((Change::Update, title, Some(page)));
            }
        }
        plan.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        self.report.plan = plan.iter().map(|(c, t, _)| (*c, t.clone())).collect();
        Ok(plan)
    }

    /// Titles of every page under the prefix (articles, categories and files), so that
    /// owned pages whose item is gone are found.
    fn prefixed(&mut self, naming: &Naming) -> Result<Vec<String>, ApiError> {
        let mut titles = Vec::new();
        let file_prefix = pages::normalise_title(&naming.prefix.replace('/', " "));
        let searches = [
            ("0", pages::normalise_title(&naming.prefix)),
            ("14", pages::normalise_title(&naming.category_prefix)),
            ("6", file_prefix),
        ];
        for (namespace, prefix) in searches {
            let mut from: Option<String> = None;
            loop {
                let mut params = vec![
                    ("action", "query"),
                    ("list", "allpages"),
                    ("apnamespace", namespace),
                    ("apprefix", prefix.as_str()),
                    ("aplimit", "max"),
                ];
                if let Some(from) = &from {
                    params.push(("apcontinue", from.as_str()));
                }
                let answer = self.client.get(&params)?;
                titles.extend(
                    answer["query"]["allpages"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|p| p["title"].as_str())
                        .map(str::to_string),
                );
                match answer["continue"]["apcontinue"].as_str() {
                    Some(next) => from = Some(next.to_string()),
                    None => break,
                }
            }
        }
        Ok(titles)
    }

    /// The current text of each title (`None` when the page does not exist).
    fn read(&mut self, titles: &[String]) -> Result<Vec<(String, Option<Live>)>, ApiError> {
        let mut found = Vec::with_capacity(titles.len());
        for batch in titles.chunks(BATCH) {
            let joined = batch.join("|");
            let answer = self.client.get(&[
                ("action", "query"),
                ("prop", "revisions"),
                ("rvprop", "content|timestamp"),
                ("rvslots", "main"),
                ("titles", &joined),
            ])?;
            let mut normalized: BTreeMap<String, String> = BTreeMap::new();
            for n in answer["query"]["normalized"].as_array().into_iter().flatten() {
                if let (Some(from), Some(to)) = (n["from"].as_str(), n["to"].as_str()) {
                    normalized.insert(to.to_string(), from.to_string());
                }
            }
            for page in answer["query"]["pages"].as_array().into_iter().flatten() {
                let title = page["title"].as_str().unwrap_or_default().to_string();
                let title = normalized.get(&title).cloned().unwrap_or(title);
                let live = (!page["missing"].as_bool().unwrap_or(false)).then(|| {
                    let revision = &page["revisions"][0];
                    Live {
                        text: revision["slots"]["main"]["content"].as_str().unwrap_or_default().to_string(),
                        timestamp: revision["timestamp"].as_str().unwrap_or_default().to_string(),
                    }
                });
                found.push((title, live));
            }
        }
        found.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(found)
    }

    fn apply(&mut self, mirror: &Mirror, plan: Vec<(Change, String, Option<Live>)>) -> Result<(), ApiError> {
        let summary = edit_summary(&self.options.build.root);
        let pages: BTreeMap<&str, &WikiPage> = mirror.pages.iter().map(|p| (p.title.as_str(), p)).collect();
        let files: BTreeMap<String, &WikiFile> = mirror.files.iter().map(|f| (format!("File:{}", f.name), f)).collect();
        // Files first, so pages that show them never point at a missing file.
        let (first, rest): (Vec<_>, Vec<_>) =
            plan.into_iter().partition(|(change, title, _)| *change != Change::Delete && files.contains_key(title));
        let total = first.len() + rest.len();
        for (done, (change, title, live)) in first.into_iter().chain(rest).enumerate() {
            if let Some(progress) = self.options.progress {
                progress(done, total, &title);
            }
            let result = match (change, files.get(&title), pages.get(title.as_str())) {
                (Change::Delete, ..) => self.remove(&title, live.as_ref(), &summary),
                (_, Some(file), _) => self.upload(file, change, &summary),
                (_, None, Some(page)) => self.edit(page, change, live.as_ref(), &summary),
                (_, None, None) => Ok(()),
            };
            if let Err(error) = result {
                self.fail(&error, Some(&title));
                return Ok(());
            }
            self.report.edits += 1;
            self.report.written.push((change, title));
        }
        if let Some(progress) = self.options.progress {
            progress(total, total, "");
        }
        Ok(())
    }

    fn edit(&mut self, page: &WikiPage, change: Change, live: Option<&Live>, summary: &str) -> Result<(), ApiError> {
        let text = owned_text(&page.text);
        let mut timestamp = live.map(|l| l.timestamp.clone());
        for attempt in 0..2 {
            let mut params = vec![
                ("action", "edit"),
                ("title", page.title.as_str()),
                ("text", text.as_str()),
                ("summary", summary),
                ("bot", "1"),
            ];
            match (change, &timestamp) {
                (Change::Create, _) => params.push(("createonly", "1")),
                (_, Some(stamp)) => {
                    params.push(("nocreate", "1"));
                    params.push(("basetimestamp", stamp.as_str()));
                }
                _ => params.push(("nocreate", "1")),
            }
            match self.client.post(&params) {
                Err(error) if error.code == "editconflict" && attempt == 0 => {
                    // Someone saved in between: read the page again, and write over it
                    // only if docket still owns it.
                    let again = self.read(std::slice::from_ref(&page.title))?;
                    match again.into_iter().next().and_then(|(_, l)| l) {
                        Some(l) if l.text.starts_with(MARKER) => timestamp = Some(l.timestamp),
                        _ => return Err(error),
                    }
                }
                other => return other.map(|_| ()),
            }
        }
        Ok(())
    }

    fn remove(&mut self, title: &str, live: Option<&Live>, summary: &str) -> Result<(), ApiError> {
        if self.on_removed == OnRemoved::Blank && !title.starts_with("File:") {
            let text = owned_text(&format!("{REMOVED}\n\n[[Category:Removed from the knowledge base]]"));
            let stamp = live.map(|l| l.timestamp.clone()).unwrap_or_default();
            let params = [
                ("action", "edit"),
                ("title", title),
                ("text", text.as_str()),
                ("summary", summary),
                ("bot", "1"),
                ("nocreate", "1"),
                ("basetimestamp", stamp.as_str()),
            ];
            return self.client.post(&params).map(|_| ());
        }
        self.client.post(&[("action", "delete"), ("title", title), ("reason", summary)]).map(|_| ())
    }

    fn upload(&mut self, file: &WikiFile, change: Change, summary: &str) -> Result<(), ApiError> {
        let bytes = std::fs::read(&file.source).map_err(|e| ApiError {
            code: "file".into(),
            info: format!("cannot read {}: {e}", file.source.display()),
        })?;
        let text = file_text(file);
        let params =
            [("filename", file.name.as_str()), ("comment", summary), ("text", text.as_str()), ("ignorewarnings", "1")];
        let answer = self.client.upload(&params, &file.name, &bytes)?;
        let result = answer["upload"]["result"].as_str().unwrap_or_default();
        if result != "Success" {
            return Err(ApiError {
                code: "upload".into(),
                info: format!("the upload of {} answered {result}", file.name),
            });
        }
        if change == Change::Update {
            // A new version of a file keeps its old description page: write the new one.
            let title = format!("File:{}", file.name);
            self.client.post(&[
                ("action", "edit"),
                ("title", title.as_str()),
                ("text", text.as_str()),
                ("summary", summary),
                ("bot", "1"),
            ])?;
        }
        Ok(())
    }
}

/// What a blanked page says.
const REMOVED: &str = "This page's item was removed from the knowledge base.";

/// A page's text with the ownership marker and its hash in front.
pub fn owned_text(text: &str) -> String {
    let hash = Sha256::digest(text.as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    format!("{MARKER}{hex} -->\n{text}")
}

/// A file's description page: the marker with the hash of the file's bytes, so a changed
/// attachment is uploaded again.
fn file_text(file: &WikiFile) -> String {
    let bytes = std::fs::read(&file.source).unwrap_or_default();
    let hash = Sha256::digest(&bytes);
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    owned_text(&format!("Attachment of the knowledge base (file sha256 {hex})."))
}

/// The edit summary: docket's version and, when the knowledge base is a git checkout,
/// its commit.
fn edit_summary(root: &Path) -> String {
    let commit = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--short=12", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty());
    match commit {
        Some(commit) => format!("docket {} mirror of commit {commit}", env!("CARGO_PKG_VERSION")),
        None => format!("docket {} mirror", env!("CARGO_PKG_VERSION")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marker_carries_the_hash_of_the_text() {
        let text = owned_text("Hello");
        assert!(text.starts_with(MARKER));
        assert!(text.ends_with(" -->\nHello"));
        assert_ne!(owned_text("Hello"), owned_text("Hello!"));
        assert_eq!(owned_text("Hello"), text, "the same text, the same page");
    }
}
