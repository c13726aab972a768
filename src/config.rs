//! The site configuration, `docket.toml` at the knowledge-base root.
//!
//! Every key has a default, so a folder of notes with no configuration builds. Unknown keys
//! are warnings naming the closest known key; a value of the wrong type is an error at its
//! position. The command line may override the as-of date, the output folder and the URL
//! mode after loading (see [`crate::BuildOptions`]).

use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::rules::{Counting, HolidayCalendar, Holidays, NonBusinessDay};
use crate::text::{FlexDate, closest};

/// The name of the configuration file at the knowledge-base root.
pub const CONFIG_FILE: &str = "docket.toml";

/// Settings of one knowledge base.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct SiteConfig {
    /// Site title, shown in the header and the `<title>` of every page.
    pub title: String,
    /// Where the site is published, e.g. `https://example.org/kb/`. Its path part prefixes
    /// every URL.
    pub base_url: String,
    /// Language tag of the content (`<html lang>`).
    pub language: String,
    /// Theme folder name under `themes/`, layered over the embedded default theme.
    pub theme: String,
    /// Output folder, relative to the root.
    pub output: String,
    /// Content folder, relative to the root.
    pub content: String,
    /// Files and folders of the content folder that are not content, as globs relative
    /// to it (`_layouts/**`, `Gemfile`, `drafts/*.md`): see [`crate::load::Exclude`].
    pub exclude: Vec<String>,
    /// Folders whose name is left out of their notes' URLs: a Jekyll collection
    /// published at `/:path/` (`_pages/ato/levels.md` at `/ato/levels/`). Read from a
    /// Jekyll site's `_config.yml`, not from `docket.toml`.
    #[serde(skip)]
    pub unprefixed: Vec<String>,
    /// One-sentence description for meta tags and the home page.
    pub description: String,
    /// Date deadline status is computed against; default: the day of the build.
    pub as_of: Option<FlexDate>,
    /// The instrument that bare provision numbers (`[[3(b)]]`) refer to.
    pub default_instrument: Option<String>,
    /// Write every internal link relative to the page, so the output works from `file://`.
    pub relative_urls: bool,
    /// Sanitise raw HTML in notes (scripts, event handlers, `javascript:` URLs removed),
    /// for mirroring a wiki that many people can edit.
    pub untrusted_html: bool,
    /// Build the full-text search index and page (`search/`). On by default; indexing is
    /// the costliest stage of a large build (see the README's benchmarks), so a site that
    /// does not want search can turn it off.
    pub search: bool,
    /// Show a preview of an internal link's target (its title and opening text) when the
    /// pointer rests on the link or it has keyboard focus: `static/preview.js` of the
    /// theme, loaded by every page. On by default.
    pub link_previews: bool,
    /// Entries per page of the list pages (`/notes/`, `/sources/`, …); later pages are
    /// `notes/page/2/` and so on. 0 (the default) keeps every list on one page.
    pub paginate_by: usize,
    /// Free data for themes, `[extra]` in docket.toml, as `site.extra` in templates;
    /// docket reads none of it.
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Deadline arithmetic settings.
    pub deadlines: DeadlineSettings,
    /// Cross-reference settings.
    pub references: ReferenceSettings,
    /// Client-alert settings.
    pub alerts: AlertSettings,
    /// Publish notes marked `draft = true` (`docket serve --drafts`); not a key of
    /// `docket.toml`, so a published site never carries drafts by accident.
    #[serde(skip)]
    pub drafts: bool,
    /// Where `docket mirror` writes the knowledge base.
    pub mirror: MirrorSettings,
}

/// Wikis the knowledge base is mirrored into (`[mirror.*]`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Default)]
#[serde(default)]
pub struct MirrorSettings {
    /// `[mirror.mediawiki]`: a MediaWiki written through its Action API.
    pub mediawiki: MediaWikiSettings,
}

/// `[mirror.mediawiki]`. The credentials are never read from here, only from the
/// environment (`DOCKET_MEDIAWIKI_USER`, `DOCKET_MEDIAWIKI_PASSWORD`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Default)]
#[serde(default)]
pub struct MediaWikiSettings {
    /// The URL of the wiki's `api.php`.
    pub api: Option<String>,
    /// Prefix of every page title; default: the site title and a slash.
    pub prefix: Option<String>,
    /// Prefix of every category name; default: the site title and a space.
    pub category_prefix: Option<String>,
    /// What happens to a page whose item is gone.
    pub on_removed: OnRemoved,
}

/// What `docket mirror` does with an owned page whose item was removed.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum OnRemoved {
    /// Delete the page (needs the `delete` right).
    #[default]
    Delete,
    /// Replace its text with a notice and a category, keeping its history visible.
    Blank,
}

/// Defaults for deadline arithmetic.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(default)]
pub struct DeadlineSettings {
    /// Whether the anchor day counts as day 0 (default) or day 1.
    pub counting: Counting,
    /// What happens when a due date falls on a weekend or federal holiday.
    pub non_business_day: NonBusinessDay,
    /// Deadlines due within this many days are "due soon".
    pub due_soon_days: u32,
    /// The public holidays business days skip: `us-federal` (default) or `none`.
    pub holidays: Holidays,
    /// Further days offices are closed, skipped by business-day counting and rolling.
    pub closed_dates: Vec<FlexDate>,
    /// The knowledge base records completions (`completed = …`) for every deadline, so
    /// a passed deadline with none recorded is "overdue". Off by default: pages then say
    /// "date passed · completion not tracked" instead of telling readers they are late.
    pub track_completion: bool,
}

impl DeadlineSettings {
    /// The business-day calendar these settings describe.
    pub fn calendar(&self) -> HolidayCalendar {
        HolidayCalendar { holidays: self.holidays, closed: self.closed_dates.iter().map(|d| d.0).collect() }
    }
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        DeadlineSettings {
            counting: Counting::ExcludeAnchor,
            non_business_day: NonBusinessDay::Flag,
            due_soon_days: 14,
            holidays: Holidays::UsFederal,
            closed_dates: Vec::new(),
            track_completion: false,
        }
    }
}

/// How strictly references are checked.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Default)]
#[serde(default)]
pub struct ReferenceSettings {
    /// `error` (default) or `warn`: what a broken reference is.
    pub broken: BrokenReferences,
    /// How items without an `id` are named: see [`IdScheme`].
    pub ids: IdScheme,
}

/// How an item without an `id` in its front matter is named.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum IdScheme {
    /// By its file name (`introduction`), or by its folder's name for an `index.md` or
    /// `_index.md` (a Hugo bundle); by its path (`memo-1/introduction`) when that name is
    /// shared by another item, so one-folder-per-document layouts build as they are.
    #[default]
    Name,
    /// Always by its path under the content folder, without `.md` (`memo-1/introduction`).
    Path,
}

/// What a broken reference is.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum BrokenReferences {
    /// Fail the build.
    #[default]
    Error,
    /// Report and render the reference as plain text.
    Warn,
}

/// Firm details for client alerts.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Default)]
#[serde(default)]
pub struct AlertSettings {
    /// Firm name for the letterhead.
    pub firm: String,
    /// Path of the firm logo under `static/`.
    pub logo: Option<String>,
    /// Disclaimer printed at the end of every alert.
    pub disclaimer: String,
    /// Default contact block.
    pub contact: String,
}

impl Default for SiteConfig {
    fn default() -> Self {
        SiteConfig {
            title: "Knowledge base".into(),
            base_url: "/".into(),
            language: "en".into(),
            theme: "default".into(),
            output: "public".into(),
            content: "content".into(),
            exclude: Vec::new(),
            unprefixed: Vec::new(),
            description: String::new(),
            as_of: None,
            default_instrument: None,
            relative_urls: false,
            search: true,
            link_previews: true,
            untrusted_html: false,
            paginate_by: 0,
            extra: serde_json::Map::new(),
            deadlines: DeadlineSettings::default(),
            references: ReferenceSettings::default(),
            alerts: AlertSettings::default(),
            drafts: false,
            mirror: MirrorSettings::default(),
        }
    }
}

impl SiteConfig {
    /// The as-of date from the configuration, if set.
    pub fn as_of_date(&self) -> Option<NaiveDate> {
        self.as_of.map(|d| d.0)
    }

    /// The path part of `base_url`, always starting and ending with `/`.
    pub fn base_path(&self) -> String {
        let after_scheme = self.base_url.split_once("://").map_or(self.base_url.as_str(), |(_, rest)| rest);
        let path = if self.base_url.contains("://") {
            after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
        } else {
            after_scheme
        };
        let trimmed = path.trim_matches('/');
        if trimmed.is_empty() { "/".to_string() } else { format!("/{trimmed}/") }
    }

    /// Scheme and host of `base_url` (`https://example.org`), empty when it has none.
    pub fn origin(&self) -> String {
        match self.base_url.split_once("://") {
            Some((scheme, rest)) => {
                let host = rest.split('/').next().unwrap_or_default();
                format!("{scheme}://{host}")
            }
            None => String::new(),
        }
    }
}

/// Loads `docket.toml` from `root`, or the defaults when there is none.
pub fn load(root: &Path, diagnostics: &mut Diagnostics) -> SiteConfig {
    let path = root.join(CONFIG_FILE);
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                diagnostics.push(Diagnostic::file_error("encoding", CONFIG_FILE, "docket.toml is not valid UTF-8"));
                return SiteConfig::default();
            }
        },
        Err(_) => return vault_defaults(root),
    };
    parse(text.trim_start_matches('\u{feff}'), diagnostics)
}

/// The defaults for a root with no `docket.toml`. When it has no `content/` folder
/// either, it is taken to be a folder of notes (an Obsidian vault, a wiki checkout) and
/// the root itself is the content folder, so such a folder builds with no changes; the
/// loader skips the output folder by its marker file.
fn vault_defaults(root: &Path) -> SiteConfig {
    let mut config = SiteConfig::default();
    if !root.join(&config.content).is_dir() {
        config.content = ".".into();
        if root.join("_config.yml").is_file() {
            // A Jekyll site: its layouts, includes, data, gems and built site are not
            // content (Jekyll itself skips `_`-prefixed folders but `_posts`).
            config.exclude = JEKYLL_EXCLUDE.iter().map(|p| p.to_string()).collect();
            config.unprefixed = jekyll_path_collections(root);
        }
    }
    config
}

/// The collections of a Jekyll `_config.yml` published by path (`permalink: /:path/`):
/// their folder (`_pages`) is not part of their pages' URLs. An unreadable file gives none.
fn jekyll_path_collections(root: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(root.join("_config.yml")) else { return Vec::new() };
    let Ok(value) = serde_norway::from_str::<serde_norway::Value>(&text) else { return Vec::new() };
    let Some(collections) = value.get("collections").and_then(|c| c.as_mapping()) else { return Vec::new() };
    let mut folders: Vec<String> = collections
        .iter()
        .filter(|(_, settings)| {
            settings.get("permalink").and_then(|p| p.as_str()).is_some_and(|p| p.starts_with("/:path"))
        })
        .filter_map(|(name, _)| Some(format!("_{}", name.as_str()?)))
        .collect();
    folders.sort();
    folders
}

/// What a Jekyll site at the root holds that is not content.
pub const JEKYLL_EXCLUDE: &[&str] = &[
    "_config.yml",
    "_layouts",
    "_includes",
    "_sass",
    "_data",
    "_site",
    "_plugins",
    "assets/css",
    "Gemfile",
    "Gemfile.lock",
    "vendor",
    "node_modules",
    "*.gemspec",
    "CNAME",
    "Rakefile",
    "Dockerfile",
    "docker-compose.yml",
    "404.html",
    "404.md",
    "sitemap.xml",
    "robots.txt",
    "feed.xml",
];

/// Parses configuration text, reporting unknown keys and type errors with positions.
pub fn parse(text: &str, diagnostics: &mut Diagnostics) -> SiteConfig {
    let tolerant = toml::from_str::<toml::Table>(text).map(|table| unknown_keys(&table));
    if let Ok(unknown) = &tolerant {
        for (key_path, key) in unknown {
            let range = crate::text::find_key(text, key).unwrap_or(0..0);
            let mut diagnostic =
                Diagnostic::at("config", CONFIG_FILE, text, range, format!("unknown key `{key_path}` in docket.toml"))
                    .warning();
            if let Some(best) = closest(key, known_keys()) {
                diagnostic = diagnostic.with_hint(format!("did you mean `{best}`?"));
            }
            diagnostics.push(diagnostic);
        }
    }
    let cleaned = match (&tolerant, toml::from_str::<toml::Table>(text)) {
        (Ok(unknown), Ok(mut table)) => {
            for (key_path, _) in unknown {
                remove_path(&mut table, key_path);
            }
            table
        }
        (_, Err(error)) => {
            diagnostics.push(toml_error(text, &error));
            return SiteConfig::default();
        }
        (Err(_), _) => return SiteConfig::default(),
    };
    match SiteConfig::deserialize(cleaned) {
        Ok(config) => config,
        Err(error) => {
            // Re-parse from text to get the span of the offending value.
            let spanned = toml::from_str::<SiteConfig>(text).err();
            diagnostics.push(spanned.map_or_else(
                || Diagnostic::file_error("config", CONFIG_FILE, error.to_string()),
                |e| toml_error(text, &e),
            ));
            SiteConfig::default()
        }
    }
}

/// Top-level keys of `docket.toml` ([`SECTION_KEYS`] holds the keys of its tables).
const TOP_LEVEL_KEYS: &[&str] = &[
    "title",
    "base_url",
    "language",
    "theme",
    "output",
    "content",
    "exclude",
    "description",
    "as_of",
    "default_instrument",
    "relative_urls",
    "untrusted_html",
    "search",
    "link_previews",
    "paginate_by",
    "extra",
];

/// The tables of `docket.toml` and their keys.
const SECTION_KEYS: &[(&str, &[&str])] = &[
    ("deadlines", &["counting", "non_business_day", "due_soon_days", "holidays", "closed_dates", "track_completion"]),
    ("references", &["broken", "ids"]),
    ("alerts", &["firm", "logo", "disclaimer", "contact"]),
    ("mirror", &["mediawiki"]),
];

/// The keys of `[mirror.mediawiki]`.
const MEDIAWIKI_KEYS: &[&str] = &["api", "prefix", "category_prefix", "on_removed"];

/// Every key `docket.toml` knows, for "did you mean" hints.
fn known_keys() -> impl Iterator<Item = &'static str> {
    let sections = SECTION_KEYS.iter().flat_map(|(name, keys)| std::iter::once(*name).chain(keys.iter().copied()));
    TOP_LEVEL_KEYS.iter().copied().chain(sections).chain(MEDIAWIKI_KEYS.iter().copied())
}

fn unknown_keys(table: &toml::Table) -> Vec<(String, String)> {
    let mut unknown = Vec::new();
    for (key, value) in table {
        match SECTION_KEYS.iter().find(|(name, _)| name == key) {
            Some((_, known)) => {
                if let toml::Value::Table(inner) = value {
                    for inner_key in inner.keys().filter(|k| !known.contains(&k.as_str())) {
                        unknown.push((format!("{key}.{inner_key}"), inner_key.clone()));
                    }
                    if let Some(toml::Value::Table(wiki)) = inner.get("mediawiki").filter(|_| key == "mirror") {
                        for wiki_key in wiki.keys().filter(|k| !MEDIAWIKI_KEYS.contains(&k.as_str())) {
                            unknown.push((format!("mirror.mediawiki.{wiki_key}"), wiki_key.clone()));
                        }
                    }
                }
            }
            None if !TOP_LEVEL_KEYS.contains(&key.as_str()) => unknown.push((key.clone(), key.clone())),
            None => {}
        }
    }
    unknown
}

fn remove_path(table: &mut toml::Table, key_path: &str) {
    match key_path.split_once('.') {
        Some((section, key)) => {
            if let Some(toml::Value::Table(inner)) = table.get_mut(section) {
                inner.remove(key);
            }
        }
        None => {
            table.remove(key_path);
        }
    }
}

fn toml_error(text: &str, error: &toml::de::Error) -> Diagnostic {
    let range = error.span().unwrap_or(0..0);
    Diagnostic::at("config", CONFIG_FILE, text, range, error.message().to_string())
        .with_hint("see the docket.toml section of the README for every key and its type")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let mut diagnostics = Diagnostics::new();
        let config = parse("", &mut diagnostics);
        assert!(diagnostics.is_empty());
        assert_eq!(config, SiteConfig::default());
    }

    #[test]
    fn unknown_keys_warn_with_the_closest_known_key() {
        let mut diagnostics = Diagnostics::new();
        let config = parse("titel = \"x\"\n[deadlines]\ncountng = \"include-anchor\"\n", &mut diagnostics);
        assert_eq!(config.title, "Knowledge base");
        let mut found: Vec<_> = diagnostics.iter().map(|d| (d.line, d.hint.clone())).collect();
        found.sort();
        assert_eq!(
            found,
            vec![(1, Some("did you mean `title`?".into())), (3, Some("did you mean `counting`?".into()))]
        );
        assert!(!diagnostics.has_errors());
    }

    #[test]
    fn the_mediawiki_mirror_is_configured_and_its_keys_checked() {
        let mut diagnostics = Diagnostics::new();
        let text = "[mirror.mediawiki]\napi = \"https://w.example/api.php\"\nprefix = \"KB/\"\non_removed = \"blank\"\npassword = \"x\"\n";
        let config = parse(text, &mut diagnostics);
        let wiki = &config.mirror.mediawiki;
        assert_eq!(wiki.api.as_deref(), Some("https://w.example/api.php"));
        assert_eq!((wiki.prefix.as_deref(), wiki.on_removed), (Some("KB/"), OnRemoved::Blank));
        let warning = diagnostics.iter().next().expect("a warning");
        assert!(warning.message.contains("`mirror.mediawiki.password`"), "{warning:?}");
    }

    #[test]
    fn a_wrong_type_is_an_error_at_its_value() {
        let mut diagnostics = Diagnostics::new();
        parse("title = \"x\"\nrelative_urls = \"yes\"\n", &mut diagnostics);
        let error = diagnostics.iter().next().expect("one error");
        assert!(diagnostics.has_errors());
        assert_eq!((error.line, error.column), (2, 17));
    }

    #[test]
    fn base_path_takes_the_sub_path() {
        let mut config = SiteConfig { base_url: "https://example.org/kb".into(), ..SiteConfig::default() };
        assert_eq!(config.base_path(), "/kb/");
        assert_eq!(config.origin(), "https://example.org");
        config.base_url = "https://example.org".into();
        assert_eq!(config.base_path(), "/");
    }
}
