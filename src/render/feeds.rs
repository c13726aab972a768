//! Atom feeds: `alerts/feed.xml` (client alerts, for syndication by legal publishers) and
//! `feed.xml` (every item of the knowledge base, newest change first).
//!
//! Feeds are read away from the site, so every URL in them is absolute, and an entry's id
//! is the absolute URL of its page: stable as long as `base_url` is. Dates come from the
//! content (an alert's `date` and `updated`, any item's `updated`), never from the clock,
//! so building twice gives the same bytes. An item with no date of its own (`updated`,
//! an alert's or a source's `date`) is dated by the knowledge base's latest `updated`, the
//! last time the editors say anything changed. A feed's own `updated` is its newest entry's.
//! Summaries are the resolved ones readers see on the pages ([`Derived`]).

use chrono::NaiveDate;

use super::markdown::item_label_long;
use super::{Contents, OutputFile};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Details, Item, ItemId, Kind, Site};
use crate::render::derived::Derived;
use crate::render::urls::Urls;
use crate::text::escape_html;

/// Route of the alert feed.
pub const ALERT_FEED: &str = "alerts/feed.xml";
/// Route of the site-wide feed of changes.
pub const SITE_FEED: &str = "feed.xml";

/// One entry of a feed.
struct Entry<'a> {
    id: ItemId,
    item: &'a Item,
    published: Option<NaiveDate>,
    updated: NaiveDate,
}

/// What a feed is about.
struct Feed<'a> {
    route: &'static str,
    title: String,
    page: &'static str,
    entries: Vec<Entry<'a>>,
}

/// Both feeds. Without a host in `base_url` their links are root-relative (see
/// [`Urls::can_link_from_outside`]); in relative mode without a host there are none, and
/// a knowledge base with alerts is warned once.
pub fn feeds(site: &Site, urls: &Urls, derived: &Derived, diagnostics: &mut Diagnostics) -> Vec<OutputFile> {
    let has_alerts = site.of_kind(Kind::Alert).next().is_some();
    if has_alerts && !urls.can_link_from_outside() {
        diagnostics.push(
            Diagnostic::file_error(
                "relative-feed",
                crate::config::CONFIG_FILE,
                "no feeds and no e-mail versions of alerts are written: with relative URLs they need a scheme and host in `base_url`",
            )
            .with_hint("set base_url to the published address, e.g. base_url = \"https://example.org/kb/\"")
            .warning(),
        );
    }
    if !urls.can_link_from_outside() {
        return Vec::new();
    }
    let title = &site.config.title;
    let alerts = Feed {
        route: ALERT_FEED,
        title: format!("{title}: client alerts"),
        page: "alerts/",
        entries: alert_entries(site),
    };
    let changes =
        Feed { route: SITE_FEED, title: format!("{title}: changes"), page: "", entries: change_entries(site) };
    [alerts, changes]
        .iter()
        .map(|feed| OutputFile {
            path: feed.route.to_string(),
            contents: Contents::Bytes(atom(site, urls, derived, feed).into_bytes()),
        })
        .collect()
}

fn alert_entries(site: &Site) -> Vec<Entry<'_>> {
    let mut entries: Vec<Entry<'_>> = site
        .of_kind(Kind::Alert)
        .filter_map(|(id, item)| {
            let date = match &item.details {
                Details::Alert(alert) => alert.date,
                _ => None,
            };
            let updated = item.updated.into_iter().chain(date).max()?;
            Some(Entry { id, item, published: date, updated })
        })
        .collect();
    newest_first(&mut entries);
    entries
}

fn change_entries(site: &Site) -> Vec<Entry<'_>> {
    let latest = site.items.iter().filter_map(|item| item.updated).max().unwrap_or(site.as_of);
    let mut entries: Vec<Entry<'_>> = site
        .items
        .iter()
        .enumerate()
        .map(|(n, item)| {
            let published = match &item.details {
                Details::Alert(alert) => alert.date,
                Details::Source(source) => source.date,
                _ => None,
            };
            let updated = item.updated.or(published).unwrap_or(latest);
            Entry { id: ItemId(n as u32), item, published, updated }
        })
        .collect();
    newest_first(&mut entries);
    entries
}

fn newest_first(entries: &mut [Entry<'_>]) {
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.item.route.cmp(&b.item.route)));
}

fn timestamp(date: NaiveDate) -> String {
    format!("{}T00:00:00Z", date.format("%Y-%m-%d"))
}

fn atom(site: &Site, urls: &Urls, derived: &Derived, feed: &Feed<'_>) -> String {
    let updated = feed.entries.iter().map(|e| e.updated).max().unwrap_or(site.as_of);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    xml.push_str(&format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n",
        escape_html(&site.config.language)
    ));
    xml.push_str(&format!("  <title>{}</title>\n", escape_html(&feed.title)));
    if !site.config.description.is_empty() {
        xml.push_str(&format!("  <subtitle>{}</subtitle>\n", escape_html(&site.config.description)));
    }
    let self_url = escape_html(&urls.absolute(feed.route));
    xml.push_str(&format!("  <id>{self_url}</id>\n"));
    xml.push_str(&format!("  <link rel=\"self\" type=\"application/atom+xml\" href=\"{self_url}\"/>\n"));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        escape_html(&urls.absolute(feed.page))
    ));
    xml.push_str(&format!("  <updated>{}</updated>\n", timestamp(updated)));
    let author = if site.config.alerts.firm.is_empty() { &site.config.title } else { &site.config.alerts.firm };
    xml.push_str(&format!("  <author><name>{}</name></author>\n", escape_html(author)));
    xml.push_str("  <generator>docket</generator>\n");
    for entry in &feed.entries {
        push_entry(&mut xml, urls, &derived.summary(site, entry.id), entry);
    }
    xml.push_str("</feed>\n");
    xml
}

fn push_entry(xml: &mut String, urls: &Urls, summary: &str, entry: &Entry<'_>) {
    let item = entry.item;
    let url = escape_html(&urls.absolute(&item.route));
    xml.push_str("  <entry>\n");
    xml.push_str(&format!("    <title>{}</title>\n", escape_html(&item_label_long(item))));
    xml.push_str(&format!("    <id>{url}</id>\n"));
    xml.push_str(&format!("    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n"));
    xml.push_str(&format!("    <updated>{}</updated>\n", timestamp(entry.updated)));
    if let Some(published) = entry.published {
        xml.push_str(&format!("    <published>{}</published>\n", timestamp(published)));
    }
    if let Details::Alert(alert) = &item.details {
        for author in &alert.authors {
            xml.push_str(&format!("    <author><name>{}</name>", escape_html(&author.name)));
            if !author.email.is_empty() {
                xml.push_str(&format!("<email>{}</email>", escape_html(&author.email)));
            }
            xml.push_str("</author>\n");
        }
    }
    xml.push_str(&format!("    <category term=\"{}\"/>\n", item.kind.name()));
    if !summary.is_empty() {
        xml.push_str(&format!("    <summary>{}</summary>\n", escape_html(summary)));
    }
    xml.push_str("  </entry>\n");
}
