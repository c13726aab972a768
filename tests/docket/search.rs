//! Search: the Pagefind bundle is written, holds the words of the pages, records each
//! page's kind and audiences as filters, and is the same bytes on every build; the search
//! page loads the local UI under a sub-path and in relative mode.

use std::io::Read;

use crate::support::{Kb, snapshot};

/// Decompresses a Pagefind file (gzip, then the `pagefind_dcd` signature).
fn decoded(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).expect("gzip");
    out.strip_prefix(b"pagefind_dcd").expect("pagefind signature").to_vec()
}

fn bundle(kb: &Kb, extension: &str) -> Vec<(String, Vec<u8>)> {
    snapshot(&kb.public().join("pagefind"))
        .into_iter()
        .filter(|(path, _)| path.ends_with(extension))
        .map(|(path, bytes)| (path, decoded(&bytes)))
        .collect()
}

#[test]
fn the_index_holds_the_words_kinds_and_audiences_of_item_pages() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    for file in ["pagefind-entry.json", "pagefind.js", "pagefind-ui.js", "pagefind-ui.css", "wasm.unknown.pagefind"] {
        assert!(kb.public().join("pagefind").join(file).is_file(), "pagefind/{file} is missing");
    }
    let words: Vec<u8> = bundle(&kb, ".pf_index").into_iter().flat_map(|(_, bytes)| bytes).collect();
    // Pagefind stores stems (Snowball, English here): "utility" is "util", "quality" "qualiti".
    for word in ["water", "report", "util", "qualiti", "epa"] {
        assert!(words.windows(word.len()).any(|w| w == word.as_bytes()), "`{word}` is not in the word index");
    }
    let fragments: Vec<serde_json::Value> = bundle(&kb, ".pf_fragment")
        .into_iter()
        .map(|(_, bytes)| serde_json::from_slice(&bytes).expect("a fragment is JSON"))
        .collect();
    assert_eq!(fragments.len(), 12, "one fragment per item page, none for indexes, 404 or search");
    let deadline = fragments
        .iter()
        .find(|f| f["url"] == "/deadlines/dl-first-report/index.html")
        .expect("the deadline page is indexed");
    assert_eq!(deadline["filters"]["kind"], serde_json::json!(["deadline"]));
    assert_eq!(deadline["filters"]["audience"], serde_json::json!(["Water utilities"]));
    assert_eq!(deadline["meta"]["kind"], "deadline");
    assert_eq!(deadline["meta"]["title"], "First monthly report");
    assert!(deadline["content"].as_str().expect("content").contains("File the first water-quality report"));
    let filters: Vec<u8> = bundle(&kb, ".pf_filter").into_iter().flat_map(|(_, bytes)| bytes).collect();
    for value in ["provision", "source", "deadline", "audience", "Water utilities"] {
        assert!(filters.windows(value.len()).any(|w| w == value.as_bytes()), "no filter value `{value}`");
    }
}

#[test]
fn the_bundle_is_the_same_bytes_on_every_build() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let first = snapshot(&kb.public().join("pagefind"));
    kb.build();
    assert_eq!(first, snapshot(&kb.public().join("pagefind")));
}

#[test]
fn the_search_page_loads_the_local_ui_under_a_sub_path_and_relative() {
    let kb = Kb::fixture("all-kinds");
    let mut options = kb.options();
    options.base_url = Some("https://example.org/kb/".into());
    assert!(docket::build(&options).succeeded());
    let page = kb.output("search/index.html");
    assert!(page.contains("src=\"/kb/pagefind/pagefind-ui.js\"") && page.contains("data-base-url=\"/kb/\""));
    assert!(page.contains("data-bundle=\"/kb/pagefind/\""));
    assert!(!page.contains("://cdn") && !page.contains("unpkg"), "no third-party assets");
    assert!(page.contains("<noscript>") && page.contains("href=\"/kb/provisions/\""), "browsing without JavaScript");
    options.relative_urls = true;
    assert!(docket::build(&options).succeeded());
    let page = kb.output("search/index.html");
    assert!(page.contains("src=\"../pagefind/pagefind-ui.js\"") && page.contains("data-base-url=\"../\""));
    assert!(page.contains("href=\"../deadlines/index.html\""));
}

#[test]
fn search_can_be_turned_off_in_the_config_or_for_one_build() {
    let kb = Kb::fixture("all-kinds");
    let config = std::fs::read_to_string(kb.root().join("docket.toml")).expect("the fixture has a docket.toml");
    kb.write("docket.toml", &format!("search = false\n{config}"));
    kb.build();
    assert!(!kb.public().join("pagefind").exists(), "no bundle without search");
    assert!(!kb.public().join("search/index.html").exists(), "no search page without search");
    assert!(!kb.output("index.html").contains("search/"), "the navigation does not offer a search page");

    let kb = Kb::fixture("all-kinds");
    let report = docket::build(&docket::BuildOptions { no_search: true, ..kb.options() });
    assert!(report.succeeded());
    assert!(!kb.public().join("pagefind").exists() && !kb.public().join("search").exists());
}
