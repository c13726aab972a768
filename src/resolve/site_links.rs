//! Links written as paths from the site's root (`[x](/reporting/)`, `<a href="/x/">`) or
//! as full URLs of the site itself (`https://example.org/kb/x/` when that is the
//! `base_url`), checked like wikilinks: one that lands on no page, attachment or
//! generated file of the site is a `broken-link` diagnostic at its position (an error, or
//! a warning with `[references] broken = "warn"`). Links to other sites are not checked:
//! a build makes no network requests.

use crate::config::BrokenReferences;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::{Document, SiteLink};
use crate::model::Site;
use crate::resolve::lookup::Lookup;

/// The list pages every build writes, by route: the site map lists them, and links to
/// them are links to pages that exist.
pub const INDEX_PAGES: &[&str] = &[
    "provisions/",
    "deadlines/",
    "sources/",
    "audiences/",
    "agencies/",
    "glossary/",
    "conflicts/",
    "search/",
    "alerts/",
    "instruments/",
    "notes/",
    "tags/",
];

/// The other pages and files every build writes besides the items' own pages.
const GENERATED: &[&str] =
    &["", "404.html", "sitemap.xml", "robots.txt", "favicon.ico", "deadlines.ics", "deadlines.csv", "deadlines.json"];

/// Folders whose files the build generates or copies (theme and site static files, the
/// search index, per-audience calendars, responsibility matrices, alert feeds).
const GENERATED_FOLDERS: &[&str] = &["static/", "search-index/", "for/", "agencies/matrix/", "alerts/"];

/// Checks every root-path or own-URL link of `doc`.
pub fn check(site: &Site, lookup: &Lookup, doc: &Document, diagnostics: &mut Diagnostics) {
    if doc.outline.site_links.is_empty() {
        return;
    }
    let origin = site.config.origin();
    let base = site.config.base_path();
    for link in &doc.outline.site_links {
        let Some(path) = own_path(&link.dest, &origin, &base) else { continue };
        if !exists(site, lookup, &path) {
            diagnostics.push(broken(site, doc, link, &path));
        }
    }
}

/// The path under the site root that `dest` names, without its leading `/`, query and
/// fragment; `None` for a URL of another site.
fn own_path(dest: &str, origin: &str, base: &str) -> Option<String> {
    let path = if dest.starts_with('/') {
        dest
    } else {
        let rest = dest.strip_prefix(origin).filter(|_| !origin.is_empty())?;
        if !(rest.is_empty() || rest.starts_with('/')) {
            return None;
        }
        rest
    };
    let path = path.split(['#', '?']).next().unwrap_or_default();
    let path = crate::markdown::percent_decode(path);
    let path = path.strip_prefix(base).or_else(|| path.strip_prefix('/')).unwrap_or(&path);
    Some(path.strip_suffix("index.html").unwrap_or(path).to_string())
}

fn exists(site: &Site, lookup: &Lookup, path: &str) -> bool {
    let as_page = if path.is_empty() || path.ends_with('/') { path.to_string() } else { format!("{path}/") };
    is_generated(path)
        || is_generated(&as_page)
        || GENERATED_FOLDERS.iter().any(|folder| path.starts_with(folder))
        || lookup.has_route(&as_page)
        || lookup.has_attachment(path)
        || site.tags.by_route(&as_page).is_some()
        || site.items.iter().flat_map(|item| &item.redirects).any(|r| r.route == path || r.route == as_page)
}

/// Whether the build writes a page or file of its own at `route` (the home page, an
/// index, the site map, a tag page's folder): a redirect may not take its place.
pub fn is_generated(route: &str) -> bool {
    GENERATED.contains(&route)
        || INDEX_PAGES.contains(&route)
        || ["static/", "search-index/"].iter().any(|folder| route.starts_with(folder))
}

fn broken(site: &Site, doc: &Document, link: &SiteLink, path: &str) -> Diagnostic {
    let diagnostic = doc
        .diagnostic("broken-link", link.range.clone(), format!("`{}` is not a page or file of this site", link.dest))
        .with_hint(format!(
            "nothing is published at /{path}; link to notes with [[id]] or a relative .md path, which survive a move"
        ));
    match site.config.references.broken {
        BrokenReferences::Error => diagnostic,
        BrokenReferences::Warn => diagnostic.warning(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_urls_and_root_paths_are_reduced_to_a_path_under_the_site() {
        let origin = "https://example.org";
        assert_eq!(own_path("/reporting/#x", origin, "/").as_deref(), Some("reporting/"));
        assert_eq!(own_path("https://example.org/kb/a/index.html", origin, "/kb/").as_deref(), Some("a/"));
        assert_eq!(own_path("/kb/a/", origin, "/kb/").as_deref(), Some("a/"), "written with the base path");
        assert_eq!(own_path("https://example.org", origin, "/").as_deref(), Some(""));
        assert_eq!(own_path("https://example.org.evil/x", origin, "/"), None);
        assert_eq!(own_path("https://other.org/x", origin, "/"), None);
    }
}
