//! Static hosting: a site built under a sub-path and one built with relative URLs are
//! crawled, every internal `href` and `src` (with its `#fragment`) must land on a file and
//! an id of the output; the sitemap is checked against the sitemap protocol's rules; the
//! manifest lists every file with its hash; unchanged files keep their modification time.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use crate::crawl::{self, Published};
use crate::support::Kb;

/// Extra notes that exercise every way a link can be written, over the all-kinds fixture.
fn hosting_kb() -> Kb {
    let kb = Kb::fixture("all-kinds");
    kb.write(
        "content/notes/links.md",
        "+++\ntitle = \"Every kind of link\"\n+++\n\n## First heading\n\n\
         A wikilink with a heading: [[gazette#summary]], a same-page link: [[#second-heading]].\n\n\
         A root link written by hand: [the sources](/sources/), [a page](/sections/1/#what-it-says).\n\n\
         A relative link: [plain](deep/plain-note.md), an image: ![map](../attachments/map.png), \
         an embed: ![[map.png]], a note embed: ![[utility]], a PDF: [report](../attachments/report.pdf).\n\n\
         Raw HTML: <a href=\"/glossary/\">glossary</a>.\n\n## Second heading\n\nEnd.\n",
    );
    kb.write("content/attachments/map.png", "not really a png");
    kb.write("content/attachments/report.pdf", "not really a pdf");
    kb
}

/// How many links the crawler found on the site, and every one that does not resolve.
fn crawl(site: &Path, published: Published<'_>) -> (usize, Vec<String>) {
    let links = crawl::read_pages(site).values().map(|page| page.links.len()).sum();
    (links, crawl::broken_links(site, published))
}

/// Every file of the output, by path relative to it.
fn files_of(dir: &Path) -> BTreeMap<String, PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).expect("inside").to_string_lossy().replace('\\', "/"), e.path().into()))
        .collect()
}

/// The site of the sub-path tests, absolute links to it included.
const SUB_PATH: Published<'static> = Published { base_path: Some("/kb/"), origin: Some("https://example.org") };

fn build_with(kb: &Kb, relative: bool, base_url: Option<&str>) {
    let mut options = kb.options();
    options.relative_urls = relative;
    options.base_url = base_url.map(str::to_string);
    let report = docket::build(&options);
    assert!(report.succeeded(), "build failed:\n{}", report.diagnostics.render(kb.root(), false));
}

#[test]
fn a_site_under_a_sub_path_has_no_broken_link() {
    let kb = hosting_kb();
    build_with(&kb, false, Some("https://example.org/kb/"));
    let (checked, broken) = crawl(&kb.public(), SUB_PATH);
    assert!(checked > 300, "only {checked} links were checked");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let links = kb.output("notes/links/index.html");
    assert!(links.contains("href=\"/kb/sources/\""), "a hand-written root link gets the base path");
    assert!(links.contains("href=\"/kb/glossary/\""), "so does a root link in raw HTML");
    assert!(links.contains("src=\"/kb/attachments/map.png\""), "attachments sit under the base path");
    let home = kb.output("index.html");
    assert!(home.contains("href=\"/kb/static/style.css\"") && home.contains("href=\"/kb/static/favicon.svg\""));
    let ico = std::fs::read(kb.public().join("favicon.ico")).expect("a favicon.ico at the site's root");
    assert!(ico.starts_with(&[0, 0, 1, 0]), "an ICO file, for browsers that ask for /favicon.ico");
    assert!(home.contains("<link rel=\"canonical\" href=\"https://example.org/kb/\">"));
    let robots = kb.output("robots.txt");
    assert!(robots.contains("Sitemap: https://example.org/kb/sitemap.xml"), "{robots}");
}

#[test]
fn a_relative_site_works_from_file_urls() {
    let kb = hosting_kb();
    build_with(&kb, true, Some("https://example.org/kb/"));
    let (checked, broken) = crawl(&kb.public(), Published::relative());
    assert!(checked > 300, "only {checked} links were checked");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    let links = kb.output("notes/links/index.html");
    assert!(links.contains("href=\"../../sources/index.html\""), "a root link becomes relative");
    assert!(links.contains("href=\"../../glossary/index.html\""), "so does a root link in raw HTML");
    let not_found = kb.output("404.html");
    assert!(not_found.contains("href=\"./static/style.css\""), "the 404 page sits at the root");
}

#[test]
fn a_relative_site_without_a_base_url_has_no_broken_link() {
    let kb = hosting_kb();
    kb.write("docket.toml", "title = \"No base\"\nas_of = 2026-03-20\ndefault_instrument = \"water-act\"\n");
    build_with(&kb, true, None);
    let (_, broken) = crawl(&kb.public(), Published::relative());
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
    assert!(!kb.public().join("sitemap.xml").exists(), "a sitemap needs absolute URLs, so none without a base URL");
}

/// Checks a sitemap against the rules of the sitemap protocol (sitemaps.org 0.9 schema).
fn validate_sitemap(xml: &str, site: &Path, origin_and_base: &str) -> usize {
    let document = roxmltree::Document::parse(xml).expect("the sitemap is well-formed XML");
    let urlset = document.root_element();
    let namespace = "http://www.sitemaps.org/schemas/sitemap/0.9";
    assert_eq!(urlset.tag_name().name(), "urlset");
    assert_eq!(urlset.tag_name().namespace(), Some(namespace));
    let urls: Vec<_> = urlset.children().filter(|n| n.is_element()).collect();
    assert!(!urls.is_empty() && urls.len() <= 50_000, "1 to 50,000 urls");
    let mut seen = HashSet::new();
    for url in urls {
        assert_eq!((url.tag_name().name(), url.tag_name().namespace()), ("url", Some(namespace)));
        let children: Vec<_> = url.children().filter(|n| n.is_element()).collect();
        let names: Vec<&str> = children.iter().map(|c| c.tag_name().name()).collect();
        assert_eq!(names.iter().filter(|&&n| n == "loc").count(), 1, "one loc per url: {names:?}");
        for name in &names {
            assert!(["loc", "lastmod", "changefreq", "priority"].contains(name), "unknown element {name}");
        }
        let loc = children.iter().find(|c| c.tag_name().name() == "loc").and_then(|c| c.text()).expect("loc text");
        assert!(loc.len() <= 2048, "loc longer than 2048 characters");
        assert!(loc.starts_with(origin_and_base), "{loc} is not under {origin_and_base}");
        assert!(seen.insert(loc.to_string()), "{loc} listed twice");
        let route = &loc[origin_and_base.len()..];
        let file = if route.is_empty() || route.ends_with('/') { format!("{route}index.html") } else { route.into() };
        assert!(site.join(&file).is_file(), "{loc} has no page ({file})");
        if let Some(lastmod) = children.iter().find(|c| c.tag_name().name() == "lastmod").and_then(|c| c.text()) {
            assert!(is_w3c_datetime(lastmod), "lastmod `{lastmod}` is not a W3C date");
        }
    }
    seen.len()
}

/// `YYYY-MM-DD`, optionally followed by `Thh:mm[:ss[.s]]` and a zone, as the W3C profile
/// of ISO 8601 that the sitemap protocol requires.
fn is_w3c_datetime(text: &str) -> bool {
    let (date, time) = text.split_once('T').map_or((text, None), |(d, t)| (d, Some(t)));
    let date_ok = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok() && date.len() == 10;
    date_ok && time.is_none_or(|t| chrono::DateTime::parse_from_rfc3339(&format!("{date}T{t}")).is_ok())
}

#[test]
fn the_sitemap_is_valid_under_a_sub_path() {
    let kb = hosting_kb();
    build_with(&kb, false, Some("https://example.org/kb/"));
    let count = validate_sitemap(&kb.output("sitemap.xml"), &kb.public(), "https://example.org/kb/");
    assert!(count >= 13, "every item and index is listed, got {count}");
    assert!(kb.output("sitemap.xml").contains("<lastmod>2026-02-01</lastmod>"), "updated dates become lastmod");
    assert!(!kb.output("sitemap.xml").contains("404"), "the 404 page is not listed");
}

#[test]
fn w3c_dates_are_told_apart() {
    assert!(is_w3c_datetime("2026-02-01"));
    assert!(is_w3c_datetime("2026-02-01T10:00:00+00:00"));
    assert!(!is_w3c_datetime("2026-2-1"));
    assert!(!is_w3c_datetime("01/02/2026"));
}

#[test]
fn the_manifest_lists_every_file_and_unchanged_files_keep_their_time() {
    let kb = hosting_kb();
    kb.build();
    let manifest: docket::manifest::Manifest =
        serde_json::from_str(&kb.output("docket-manifest.json")).expect("the manifest is JSON");
    let files = files_of(&kb.public());
    for (path, file) in &files {
        if path == "docket-manifest.json" || path == ".docket-output" {
            continue;
        }
        let entry = manifest.files.get(path).unwrap_or_else(|| panic!("{path} is not in the manifest"));
        let bytes = std::fs::read(file).expect("read");
        assert_eq!(entry.sha256, docket::manifest::sha256_hex(&bytes), "{path}");
        assert_eq!(entry.size, bytes.len() as u64, "{path}");
    }
    assert_eq!(manifest.files.len(), files.len() - 2, "nothing else is listed");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    for path in ["static/style.css", "sections/1/index.html"] {
        std::fs::File::options()
            .write(true)
            .open(kb.public().join(path))
            .expect("open")
            .set_modified(old)
            .expect("touch");
    }
    kb.write(
        "content/sections/1.md",
        &std::fs::read_to_string(kb.root().join("content/sections/1.md"))
            .expect("read")
            .replace("Utilities must report", "Utilities shall report"),
    );
    kb.build();
    let modified = |path: &str| std::fs::metadata(kb.public().join(path)).and_then(|m| m.modified()).expect("mtime");
    assert_eq!(modified("static/style.css"), old, "an unchanged file keeps its time");
    assert_ne!(modified("sections/1/index.html"), old, "a changed file gets a new time");
    let again: docket::manifest::Manifest =
        serde_json::from_str(&kb.output("docket-manifest.json")).expect("the manifest is JSON");
    assert_ne!(again.files["sections/1/index.html"], manifest.files["sections/1/index.html"]);
    assert_eq!(again.files["static/style.css"], manifest.files["static/style.css"]);
}
