//! Search: docket's index (`docs/search-format.md`) is written, leads from a word to the
//! pages that hold any of its forms, lists each page's URL, title and kind, records each
//! page's kind and audiences as filters, and is the same bytes on every build; the search
//! page loads the local script under a sub-path and in relative mode.

use std::path::Path;

use serde_json::Value;

use crate::support::{Kb, snapshot};

/// An index read back from a built site, queried the way the browser does.
struct Index {
    root: std::path::PathBuf,
    meta: Value,
}

impl Index {
    fn open(public: &Path) -> Index {
        let root = public.join("search-index");
        Index { meta: read(&root.join("meta.json")), root }
    }

    /// The word file that holds `word`: the longest key that prefixes it.
    fn shard(&self, word: &str) -> Value {
        let keys = self.meta["shards"].as_array().expect("shards");
        let key = keys.iter().filter_map(Value::as_str).filter(|k| word.starts_with(k)).max_by_key(|k| k.len());
        let key = key.unwrap_or_else(|| panic!("no shard for `{word}`"));
        let hex: String = key.bytes().map(|b| format!("{b:02x}")).collect();
        read(&self.root.join(format!("words/{hex}.json")))
    }

    /// The URLs of the pages holding any form of `word`'s stem.
    fn pages_with(&self, word: &str) -> Vec<String> {
        let shard = self.shard(word);
        let at = shard["words"].as_array().unwrap().iter().position(|w| w == word);
        let at = at.unwrap_or_else(|| panic!("`{word}` is not in its word file"));
        let stem = shard["stem_of"][at].as_u64().unwrap() as usize;
        let pairs = shard["pages"][stem].as_array().unwrap();
        let mut page = 0;
        let numbers: Vec<u64> = pairs
            .chunks(2)
            .map(|pair| {
                page += pair[0].as_u64().unwrap();
                page
            })
            .collect();
        numbers.iter().map(|&n| self.row(n)["url"].as_str().unwrap().to_string()).collect()
    }

    /// Page `number`'s row in its page table.
    fn row(&self, number: u64) -> Value {
        let size = self.meta["table_size"].as_u64().unwrap();
        read(&self.root.join(format!("pages/{}.json", number / size)))["pages"][(number % size) as usize].clone()
    }

    fn page_count(&self) -> u64 {
        self.meta["lengths"].as_array().unwrap().len() as u64
    }

    /// The page numbers with `value` for `filter`.
    fn filtered(&self, filter: &str, value: &str) -> Vec<u64> {
        let mut page = 0;
        let steps =
            self.meta["filters"][filter][value].as_array().unwrap_or_else(|| panic!("no filter value `{value}`"));
        steps
            .iter()
            .map(|step| {
                page += step.as_u64().unwrap();
                page
            })
            .collect()
    }
}

fn read(path: &Path) -> Value {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_slice(&bytes).expect("the index is JSON")
}

#[test]
fn a_word_finds_the_pages_that_hold_any_of_its_forms() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let index = Index::open(&kb.public());
    assert_eq!(index.page_count(), 12, "one page per item page; none for indexes, 404 or search");
    assert!(index.pages_with("water").contains(&"/deadlines/dl-first-report/".to_string()));
    // Stems group forms: "reports" finds a page that says "report" or "reporting".
    let reports = index.pages_with("reports");
    assert!(reports.len() >= 2, "{reports:?}");
    for word in ["utilities", "quality", "epa"] {
        assert!(!index.pages_with(word).is_empty(), "`{word}` finds nothing");
    }
    assert_eq!(index.meta["language"], "en");
    assert_eq!(index.meta["format"], 1);
}

#[test]
fn pages_are_listed_with_their_title_and_kind_and_filtered_by_kind_and_audience() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let index = Index::open(&kb.public());
    let deadline = (0..index.page_count())
        .find(|&n| index.row(n)["url"] == "/deadlines/dl-first-report/")
        .expect("the deadline page is indexed");
    assert_eq!(
        index.row(deadline),
        serde_json::json!({"kind": "deadline", "title": "First monthly report", "url": "/deadlines/dl-first-report/"})
    );
    assert!(index.filtered("kind", "deadline").contains(&deadline));
    assert!(index.filtered("audience", "Water utilities").contains(&deadline));
    for kind in ["provision", "source", "audience"] {
        for n in index.filtered("kind", kind) {
            assert_eq!(index.row(n)["kind"], kind);
        }
    }
}

#[test]
fn the_index_is_the_same_bytes_on_every_build() {
    let kb = Kb::fixture("all-kinds");
    kb.build();
    let first = snapshot(&kb.public().join("search-index"));
    assert!(first.len() > 3, "meta, a page table and word files");
    kb.build();
    assert_eq!(first, snapshot(&kb.public().join("search-index")));
}

#[test]
fn the_search_page_loads_the_local_script_under_a_sub_path_and_relative() {
    let kb = Kb::fixture("all-kinds");
    let mut options = kb.options();
    options.base_url = Some("https://example.org/kb/".into());
    assert!(docket::build(&options).succeeded());
    let page = kb.output("search/index.html");
    assert!(page.contains("src=\"/kb/static/search.js\"") && page.contains("data-base-url=\"/kb/\""), "{page}");
    assert!(page.contains("data-bundle=\"/kb/search-index/\"") && page.contains("data-relative=\"false\""));
    assert!(!page.contains("://cdn") && !page.contains("unpkg"), "no third-party assets");
    assert!(page.contains("<noscript>") && page.contains("href=\"/kb/provisions/\""), "browsing without JavaScript");
    options.relative_urls = true;
    assert!(docket::build(&options).succeeded());
    let page = kb.output("search/index.html");
    assert!(page.contains("src=\"../static/search.js\"") && page.contains("data-base-url=\"../\""));
    assert!(page.contains("data-bundle=\"../search-index/\"") && page.contains("data-relative=\"true\""));
    assert!(page.contains("href=\"../deadlines/index.html\""));
}

#[test]
fn search_can_be_turned_off_in_the_config_or_for_one_build() {
    let kb = Kb::fixture("all-kinds");
    let config = std::fs::read_to_string(kb.root().join("docket.toml")).expect("the fixture has a docket.toml");
    kb.write("docket.toml", &format!("search = false\n{config}"));
    kb.build();
    assert!(!kb.public().join("search-index").exists(), "no bundle without search");
    assert!(!kb.public().join("search/index.html").exists(), "no search page without search");
    assert!(!kb.output("index.html").contains("search/"), "the navigation does not offer a search page");

    let kb = Kb::fixture("all-kinds");
    let report = docket::build(&docket::BuildOptions { no_search: true, ..kb.options() });
    assert!(report.succeeded());
    assert!(!kb.public().join("search-index").exists() && !kb.public().join("search").exists());
}
