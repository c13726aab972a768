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
use crate::resolve::rules::{Counting, NonBusinessDay};
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
    /// Deadline arithmetic settings.
    pub deadlines: DeadlineSettings,
    /// Cross-reference settings.
    pub references: ReferenceSettings,
    /// Client-alert settings.
    pub alerts: AlertSettings,
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
    /// The knowledge base records completions (`completed = …`) for every deadline, so
    /// a passed deadline with none recorded is "overdue". Off by default: pages then say
    /// "date passed · completion not tracked" instead of telling readers they are late.
    pub track_completion: bool,
}

impl Default for DeadlineSettings {
    fn default() -> Self {
        DeadlineSettings {
            counting: Counting::ExcludeAnchor,
            non_business_day: NonBusinessDay::Flag,
            due_soon_days: 14,
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
            description: String::new(),
            as_of: None,
            default_instrument: None,
            relative_urls: false,
            search: true,
            untrusted_html: false,
            deadlines: DeadlineSettings::default(),
            references: ReferenceSettings::default(),
            alerts: AlertSettings::default(),
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
    }
    config
}

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
    "description",
    "as_of",
    "default_instrument",
    "relative_urls",
    "untrusted_html",
    "search",
];

/// The tables of `docket.toml` and their keys.
const SECTION_KEYS: &[(&str, &[&str])] = &[
    ("deadlines", &["counting", "non_business_day", "due_soon_days", "track_completion"]),
    ("references", &["broken"]),
    ("alerts", &["firm", "logo", "disclaimer", "contact"]),
];

/// Every key `docket.toml` knows, for "did you mean" hints.
fn known_keys() -> impl Iterator<Item = &'static str> {
    let sections = SECTION_KEYS.iter().flat_map(|(name, keys)| std::iter::once(*name).chain(keys.iter().copied()));
    TOP_LEVEL_KEYS.iter().copied().chain(sections)
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
