//! A link crawler for a built site: every internal `href` and `src` of every HTML page
//! must reach a file of the output, every `#fragment` an `id` (or `<a name>`) on the
//! target page, and no page may load an asset from another host.
//!
//! It reads the output folder, not a server: a link is resolved the way a browser
//! resolves it against the page's URL (`base_path` + the page's route), then mapped back
//! to a file. An absolute link to the site's own origin and base path is checked the same
//! way. In relative mode (`base_path` = `None`) a root-absolute link (`/x/`) and a link to
//! a folder (`../x/`) are errors, because `file://` neither knows the root nor shows a
//! folder's `index.html`. On a host, a link to a folder must end in `/` (or name its
//! `index.html`) so it works on any static host.
//!
//! `broken_links` is the entry point of every link test (links, hosting, security).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One link found on a page.
#[derive(Clone, Debug)]
pub(crate) struct Link {
    /// The tag it is on (`a`, `link`, `script`, `img`, ...).
    pub tag: String,
    /// The attribute (`href` or `src`).
    pub attribute: String,
    /// The value, entities decoded.
    pub value: String,
    /// The `rel` of a `<link>`, for telling assets from references.
    pub rel: String,
}

/// What one HTML page holds: its links and the fragment targets it defines.
#[derive(Debug, Default)]
pub(crate) struct Page {
    /// Links in document order.
    pub links: Vec<Link>,
    /// Every `id` and `<a name>` value.
    pub anchors: BTreeSet<String>,
    /// Ids defined more than once.
    pub duplicate_ids: BTreeSet<String>,
}

/// Where a crawled site is published, which decides how its links must read.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Published<'a> {
    /// The URL path the site is served under (`/` or `/kb/`), or `None` in relative mode.
    pub base_path: Option<&'a str>,
    /// The scheme and host of the base URL (`https://example.org`), when links to it are to
    /// be checked like root links rather than skipped as external.
    pub origin: Option<&'a str>,
}

impl<'a> Published<'a> {
    /// A site served at `base_path` (`/`, `/kb/`) of a host not named.
    pub(crate) fn at(base_path: &'a str) -> Published<'a> {
        Published { base_path: Some(base_path), origin: None }
    }

    /// A site built with relative URLs.
    pub(crate) fn relative() -> Published<'a> {
        Published::default()
    }
}

/// Every broken internal link, fragment or external asset of the site in `site`, one line
/// each (`page: what`), sorted.
pub(crate) fn broken_links(site: &Path, published: Published<'_>) -> Vec<String> {
    let pages = read_pages(site);
    let mut problems = Vec::new();
    for (file, page) in &pages {
        let page_url = page_url(file, published.base_path);
        for link in &page.links {
            if let Err(problem) = check_link(site, published, &page_url, link, &pages) {
                problems.push(format!("{file}: {} {}=\"{}\": {problem}", link.tag, link.attribute, link.value));
            }
        }
        for id in &page.duplicate_ids {
            problems.push(format!("{file}: id \"{id}\" is defined more than once"));
        }
    }
    problems.sort();
    problems
}

/// Every HTML file under `site`, by route (`sections/2/index.html`), parsed.
pub(crate) fn read_pages(site: &Path) -> BTreeMap<String, Page> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let route = e.path().strip_prefix(site).expect("inside the site").to_string_lossy().replace('\\', "/");
            let html = std::fs::read_to_string(e.path()).unwrap_or_default();
            (route, parse_page(&html))
        })
        .collect()
}

/// The URL path a page is served at: folders for `index.html`, except in relative mode
/// where pages are opened as files.
fn page_url(file: &str, base_path: Option<&str>) -> String {
    match base_path {
        Some(base) => format!("{base}{}", file.strip_suffix("index.html").unwrap_or(file)),
        None => format!("/{file}"),
    }
}

fn check_link(
    site: &Path,
    published: Published<'_>,
    page_url: &str,
    link: &Link,
    pages: &BTreeMap<String, Page>,
) -> Result<(), String> {
    let base_path = published.base_path;
    let value = link.value.trim();
    let own_site = published.origin.and_then(|origin| value.strip_prefix(origin)).filter(|rest| rest.starts_with('/'));
    let value = own_site.unwrap_or(value);
    let lower = value.to_ascii_lowercase();
    if ["mailto:", "tel:", "data:"].iter().any(|s| lower.starts_with(s)) {
        return Ok(());
    }
    if lower.starts_with("javascript:") {
        return Err("a javascript: URL".into());
    }
    let is_asset = link.tag != "a" && !(link.tag == "link" && matches!(link.rel.as_str(), "canonical" | "alternate"));
    if lower.starts_with("http:") || lower.starts_with("https:") || lower.starts_with("//") {
        if is_asset {
            return Err("an asset loaded from another host".into());
        }
        return Ok(());
    }
    if base_path.is_none() && value.starts_with('/') {
        return Err("a root-absolute link in relative mode (breaks from file://)".into());
    }
    let (path, fragment) = match value.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (value, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    let names_folder =
        path.ends_with('/') || path == "." || path == ".." || path.ends_with("/.") || path.ends_with("/..");
    if base_path.is_none() && names_folder {
        return Err("a folder link in relative mode (file:// shows no index.html)".into());
    }
    let target = resolve(page_url, path);
    let root = base_path.unwrap_or("/");
    let Some(route) = target.strip_prefix(root) else {
        return Err(format!("resolves to {target}, outside the site at {root}"));
    };
    let route = percent_decode(route);
    let file = target_file(site, &route)?;
    match fragment {
        Some(fragment) if !fragment.is_empty() && file.ends_with(".html") => {
            let fragment = percent_decode(fragment);
            let anchors = pages.get(&file).map(|p| &p.anchors);
            if anchors.is_some_and(|a| a.contains(&fragment)) {
                Ok(())
            } else {
                Err(format!("no id \"{fragment}\" in {file}"))
            }
        }
        _ => Ok(()),
    }
}

/// The output file a route names, or why there is none.
fn target_file(site: &Path, route: &str) -> Result<String, String> {
    if route.is_empty() || route.ends_with('/') {
        let index = format!("{route}index.html");
        return if site.join(&index).is_file() { Ok(index) } else { Err(format!("no file {index}")) };
    }
    let path: PathBuf = site.join(route);
    if path.is_dir() {
        return Err(format!("{route} is a folder: the link needs a trailing / or index.html"));
    }
    if path.is_file() { Ok(route.to_string()) } else { Err(format!("no file {route}")) }
}

/// Resolves a URL path reference against the URL path of the page it is on.
fn resolve(page_url: &str, reference: &str) -> String {
    if reference.is_empty() {
        return page_url.to_string();
    }
    let joined = if reference.starts_with('/') {
        reference.to_string()
    } else {
        let folder = &page_url[..page_url.rfind('/').map_or(0, |i| i + 1)];
        format!("{folder}{reference}")
    };
    let trailing = joined.ends_with('/') || joined.ends_with("/.") || joined.ends_with("/..");
    let mut segments: Vec<&str> = Vec::new();
    for segment in joined.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut path = format!("/{}", segments.join("/"));
    if trailing && !path.ends_with('/') {
        path.push('/');
    }
    path
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Scans HTML for tags and their attributes: enough of the tokenizer for output docket
/// writes (quoted or bare attribute values, comments, raw-text `script` and `style`).
pub(crate) fn parse_page(html: &str) -> Page {
    let mut page = Page::default();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start..];
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
            continue;
        }
        let Some((tag, attributes, after)) = read_tag(rest) else {
            rest = &rest[1..];
            continue;
        };
        rest = after;
        record(&mut page, &tag, &attributes);
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            rest = rest.to_ascii_lowercase().find(&close).map_or("", |end| &rest[end..]);
        }
    }
    page
}

fn record(page: &mut Page, tag: &str, attributes: &[(String, String)]) {
    let get = |name: &str| attributes.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    for (name, value) in attributes {
        let is_anchor = name == "id" || (name == "name" && tag == "a");
        if is_anchor && !page.anchors.insert(value.clone()) && name == "id" {
            page.duplicate_ids.insert(value.clone());
        }
    }
    let linking = match tag {
        "a" | "link" | "area" => Some("href"),
        "img" | "script" | "iframe" | "source" | "audio" | "video" | "track" | "embed" => Some("src"),
        _ => None,
    };
    if let Some(attribute) = linking
        && let Some(value) = get(attribute)
    {
        let rel = get("rel").unwrap_or_default().to_ascii_lowercase();
        page.links.push(Link { tag: tag.to_string(), attribute: attribute.to_string(), value, rel });
    }
}

/// A tag's attributes, names lower-cased, values decoded, in document order.
type Attributes = Vec<(String, String)>;

/// Reads `<name attr="v" ...>` at the start of `text`: the lower-case name, the attributes
/// (entities decoded) and the text after the tag; `None` for an end tag or not a tag.
fn read_tag(text: &str) -> Option<(String, Attributes, &str)> {
    let body = text.strip_prefix('<')?;
    let name_len = body.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(body.len());
    if name_len == 0 {
        return None;
    }
    let name = body[..name_len].to_ascii_lowercase();
    let mut rest = &body[name_len..];
    let mut attributes = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("/>").or_else(|| rest.strip_prefix('>')) {
            return Some((name, attributes, after));
        }
        if rest.is_empty() {
            return Some((name, attributes, rest));
        }
        let key_len = rest.find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/').unwrap_or(rest.len());
        let key = rest[..key_len.max(1)].to_ascii_lowercase();
        rest = rest[key_len.max(1)..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remaining) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let inner = &after[1..];
                    let end = inner.find(quote).unwrap_or(inner.len());
                    (&inner[..end], inner.get(end + 1..).unwrap_or(""))
                }
                _ => {
                    let end = after.find(|c: char| c.is_whitespace() || c == '>').unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            rest = remaining;
            decode_entities(value)
        } else {
            String::new()
        };
        attributes.push((key, value));
    }
}

fn decode_entities(value: &str) -> String {
    if !value.contains('&') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(start) = rest.find('&') {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(';').filter(|&e| e <= 10);
        let decoded = end.and_then(|e| match &rest[1..e] {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            numeric if numeric.starts_with("#x") || numeric.starts_with("#X") => {
                u32::from_str_radix(&numeric[2..], 16).ok().and_then(char::from_u32)
            }
            numeric if numeric.starts_with('#') => numeric[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        });
        match (decoded, end) {
            (Some(c), Some(e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}
