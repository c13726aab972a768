//! The one place URLs are made.
//!
//! A route is a path under the site root without a leading slash: `sections/3-b-ii/` for
//! a page, `deadlines.ics` for a file. Links from a page are its *root prefix* followed by
//! the route: the base URL's path (`/kb/`) normally, or as many `../` as the page is deep
//! in relative mode, where links to folders also get `index.html` so the output works
//! from `file://`. Feeds, sitemaps and e-mail need absolute URLs, made from `base_url`.

/// Makes every URL of one build.
#[derive(Clone, Debug)]
pub struct Urls {
    base_path: String,
    origin: String,
    relative: bool,
    absolute: bool,
}

impl Urls {
    /// URLs for a site published at `base_path` (`/` or `/kb/`) of `origin`
    /// (`https://example.org`, may be empty), relative or not.
    pub fn new(base_path: String, origin: String, relative: bool) -> Urls {
        Urls { base_path, origin, relative, absolute: false }
    }

    /// The same site's URLs, every one absolute (`https://host/base/route`): for pages
    /// read away from the site, the e-mail and print versions of an alert. Without an
    /// origin in `base_url` they are root-relative, the best that can be done.
    pub fn all_absolute(&self) -> Urls {
        Urls { base_path: self.absolute(""), origin: String::new(), relative: false, absolute: true }
    }

    /// True when every URL is absolute (see [`Urls::all_absolute`]).
    pub fn is_absolute(&self) -> bool {
        self.absolute
    }

    /// True when `base_url` names a scheme and host, so absolute URLs can be made.
    pub fn has_origin(&self) -> bool {
        !self.origin.is_empty() || self.base_path.contains("://")
    }

    /// True when feeds and e-mail versions can link to pages: with a host in `base_url`
    /// their links are absolute; with only a path (`base_url = "/"`) they are
    /// root-relative, which feed readers resolve against the feed's own address and which
    /// work wherever the site is served at that path. In relative mode (`file://`) there
    /// is no root to start from.
    pub fn can_link_from_outside(&self) -> bool {
        self.has_origin() || !self.relative
    }

    /// True in relative mode.
    pub fn is_relative(&self) -> bool {
        self.relative
    }

    /// The prefix that reaches the site root from a page at `route`.
    pub fn root_for(&self, route: &str) -> String {
        if self.relative {
            let depth = route.matches('/').count();
            if depth == 0 { "./".to_string() } else { "../".repeat(depth) }
        } else {
            self.base_path.clone()
        }
    }

    /// The link from the page at `from` to the route `to`.
    pub fn href(&self, from: &str, to: &str) -> String {
        let mut href = self.root_for(from);
        href.push_str(to);
        if self.relative && (to.is_empty() || to.ends_with('/')) {
            href.push_str("index.html");
        }
        href
    }

    /// The link from the page at `from` to a route that may carry a `#fragment` or a
    /// `?query` (a root link written by hand: `sections/1/#scope`); the suffix is kept
    /// after the `index.html` that relative mode adds.
    pub fn href_with_suffix(&self, from: &str, to: &str) -> String {
        let split = to.find(['#', '?']).unwrap_or(to.len());
        let mut href = self.href(from, &to[..split]);
        href.push_str(&to[split..]);
        href
    }

    /// The canonical URL of a page (`<link rel="canonical">`, `og:url`): its absolute URL,
    /// or nothing when `base_url` names no host, since a canonical link must be absolute.
    pub fn canonical(&self, route: &str) -> String {
        if self.has_origin() { self.absolute(route) } else { String::new() }
    }

    /// The absolute URL of a route, for feeds, sitemaps, canonical links and e-mail.
    pub fn absolute(&self, route: &str) -> String {
        format!("{}{}{}", self.origin, self.base_path, route)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn absolute_mode_prefixes_the_base_path() {
        let urls = Urls::new("/kb/".into(), "https://example.org".into(), false);
        assert_eq!(urls.href("sections/2/", "sources/a/"), "/kb/sources/a/");
        assert_eq!(urls.absolute("sources/a/"), "https://example.org/kb/sources/a/");
    }

    #[test]
    fn all_absolute_urls_ignore_the_page_and_the_url_mode() {
        let urls = Urls::new("/kb/".into(), "https://example.org".into(), true).all_absolute();
        assert!(urls.is_absolute());
        assert_eq!(urls.href("sections/2/", "sources/a/"), "https://example.org/kb/sources/a/");
        assert_eq!(urls.root_for("a/b/c/"), "https://example.org/kb/");
        assert_eq!(urls.absolute("feed.xml"), "https://example.org/kb/feed.xml");
    }

    #[test]
    fn relative_mode_climbs_and_names_index_files() {
        let urls = Urls::new("/".into(), String::new(), true);
        assert_eq!(urls.href("sections/2/", "sources/a/"), "../../sources/a/index.html");
        assert_eq!(urls.href("", ""), "./index.html");
        assert_eq!(urls.href("sections/2/", "deadlines.ics"), "../../deadlines.ics");
        assert_eq!(urls.href("404.html", "static/style.css"), "./static/style.css");
        assert_eq!(urls.href_with_suffix("a/", "sections/1/#scope"), "../sections/1/index.html#scope");
        assert_eq!(urls.href_with_suffix("a/", "#top"), "../index.html#top");
    }
}
