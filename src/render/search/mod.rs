//! Full-text search that needs no server: the rendered pages → docket's static search
//! index under `search-index/`, which the search page's script queries in the browser.
//!
//! The format is specified in `docs/search-format.md`. In short: every word that occurs
//! in a page marked `data-search-body` is listed, with its stem and the pages and
//! weights of that stem, in word files sharded by prefix, so a query fetches one small
//! file per word; page tables give each page's URL, title and kind; `meta.json` holds
//! what ranking and filters need. The index keeps no copy of the text: the browser
//! makes excerpts from the result pages themselves, so the index stays a small part of
//! the site and its files few.
//!
//! Pages are read and cut into words on every core; only their words stay in memory.
//! Pages are numbered in path order and every list is sorted, so the index is the same
//! bytes for the same site.

mod extract;
mod words;

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Diagnostics;
use crate::render::sink::{Collected, FileSink};
use crate::render::{Contents, OutputFile};
use extract::PageText;

/// The folder of the output the index is written to.
pub const BUNDLE_DIR: &str = "search-index";

/// The version of the format in `docs/search-format.md`.
const FORMAT: u32 = 1;

/// Pages that are not content and must not be indexed.
const SKIPPED: &[&str] = &["404.html", "search/index.html"];

/// A word file is split by a longer prefix when it would be larger than this.
const SHARD_BYTES: usize = 48 * 1024;

/// Word files never have a key longer than this, however large.
const MAX_KEY_CHARS: usize = 4;

/// How many pages a page table lists.
const TABLE_SIZE: usize = 256;

/// The index of a site rendered into memory (`files`), as a build writes it.
pub fn bundle(files: &[OutputFile], language: &str) -> Vec<OutputFile> {
    let pages = files.par_iter().filter_map(Page::read).collect();
    let collected = Collected::default();
    let mut diagnostics = Diagnostics::new();
    write_index(pages, language, &collected, &mut diagnostics);
    collected.into_sorted()
}

/// What the index keeps of one page: what the word files, page tables and `meta.json`
/// need of it.
pub struct Page {
    path: String,
    url: String,
    title: String,
    kind: String,
    length: u32,
    filters: BTreeMap<String, Vec<String>>,
    /// The page's words, each followed by a newline (one allocation per page, not one
    /// per word: at 100,000 notes that is a gigabyte less), and their weights, in order.
    words: String,
    weights: Vec<u32>,
}

impl Page {
    /// What search keeps of a rendered file: `None` for a file that is not a page, a page
    /// that is not content (404, the search page) or one without a `data-search-body`.
    pub fn read(file: &OutputFile) -> Option<Page> {
        if !file.path.ends_with(".html") || SKIPPED.contains(&file.path.as_str()) {
            return None;
        }
        let html = String::from_utf8_lossy(file.contents.bytes()?);
        extract::extract(&html).map(|text| Page::new(&file.path, text))
    }

    fn new(path: &str, page: PageText) -> Self {
        let length = page.words.values().sum();
        let mut words = String::with_capacity(page.words.keys().map(|w| w.len() + 1).sum());
        let mut weights = Vec::with_capacity(page.words.len());
        for (word, weight) in page.words {
            words.push_str(&word);
            words.push('\n');
            weights.push(weight);
        }
        let (title, kind, filters) = (page.title, page.kind, page.filters);
        Page { path: path.to_string(), url: result_url(path), title, kind, length, filters, words, weights }
    }

    /// Each word of the page with its weight.
    fn words(&self) -> impl Iterator<Item = (&str, u32)> {
        self.words.lines().zip(self.weights.iter().copied())
    }
}

/// Writes the index of `pages` to `sink`; returns the paths written. `language` is the
/// site's language tag, which picks the stemmer.
pub fn write_index(
    mut pages: Vec<Page>,
    language: &str,
    sink: &dyn FileSink,
    diagnostics: &mut Diagnostics,
) -> Vec<String> {
    pages.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let index = WordIndex::new(&pages, words::stemmer(language).as_ref());
    let shards = index.shards(SHARD_BYTES);
    let mut files: Vec<OutputFile> = shards.par_iter().map(|shard| index.shard_file(shard)).collect();
    files.extend(pages.chunks(TABLE_SIZE).enumerate().map(|(number, table)| page_table(number, table)));
    files.push(meta_file(&pages, &shards, language));
    files.into_iter().map(|file| super::hand_over(sink, file, diagnostics)).collect()
}

/// The URL of a page from the site root: its folder for an `index.html`.
fn result_url(path: &str) -> String {
    match path.strip_suffix("index.html") {
        Some(folder) => format!("/{folder}"),
        None => format!("/{path}"),
    }
}

/// Page table `number`, listing `pages`.
fn page_table(number: usize, pages: &[Page]) -> OutputFile {
    #[derive(Serialize)]
    struct Row<'a> {
        kind: &'a str,
        title: &'a str,
        url: &'a str,
    }
    #[derive(Serialize)]
    struct Table<'a> {
        pages: Vec<Row<'a>>,
    }
    let rows = pages.iter().map(|p| Row { kind: &p.kind, title: &p.title, url: &p.url }).collect();
    let json = serde_json::to_vec(&Table { pages: rows }).expect("a page table serialises");
    OutputFile { path: format!("{BUNDLE_DIR}/pages/{number}.json"), contents: Contents::Bytes(json) }
}

/// Every word of the site with its stem, and the pages of every stem.
struct WordIndex<'a> {
    /// Surface forms, sorted, with the number of their stem.
    words: Vec<(&'a str, u32)>,
    stems: Vec<String>,
    /// For each stem: (page number, weight), by page.
    postings: Vec<Vec<(u32, u32)>>,
}

/// A word file: its key and the range of [`WordIndex::words`] it holds.
struct Shard {
    key: String,
    words: std::ops::Range<usize>,
}

impl<'a> WordIndex<'a> {
    fn new(pages: &'a [Page], stemmer: Option<&rust_stemmers::Stemmer>) -> Self {
        let surfaces: HashSet<&str> = pages.iter().flat_map(|p| p.words().map(|(word, _)| word)).collect();
        let mut surfaces: Vec<&str> = surfaces.into_iter().collect();
        surfaces.sort_unstable();
        let stemmed: Vec<String> = surfaces.par_iter().map(|w| words::stem(stemmer, w)).collect();
        let mut stem_numbers: HashMap<&str, u32> = HashMap::default();
        let mut stems: Vec<String> = Vec::new();
        let mut words = Vec::with_capacity(surfaces.len());
        for (surface, stem) in surfaces.iter().zip(&stemmed) {
            let next = stems.len() as u32;
            let number = *stem_numbers.entry(stem.as_str()).or_insert(next);
            if number == next {
                stems.push(stem.clone());
            }
            words.push((*surface, number));
        }
        let word_stem: HashMap<&str, u32> = words.iter().copied().collect();
        let mut postings: Vec<Vec<(u32, u32)>> = vec![Vec::new(); stems.len()];
        for (number, page) in pages.iter().enumerate() {
            for (word, weight) in page.words() {
                let list = &mut postings[word_stem[word] as usize];
                match list.last_mut() {
                    Some((last, total)) if *last == number as u32 => *total += weight,
                    _ => list.push((number as u32, weight)),
                }
            }
        }
        WordIndex { words, stems, postings }
    }

    /// The word files: words grouped by their first letter, a group too large split by
    /// one more letter (its words no longer than the key staying in it), and so on.
    /// `limit` is the size in bytes above which a group is split.
    fn shards(&self, limit: usize) -> Vec<Shard> {
        let mut shards = Vec::new();
        self.split(0..self.words.len(), 0, limit, &mut shards);
        shards
    }

    /// Adds the shards for `range`, whose words share their first `depth` characters.
    fn split(&self, range: std::ops::Range<usize>, depth: usize, limit: usize, shards: &mut Vec<Shard>) {
        let mut start = range.start;
        // Words of exactly `depth` characters sort first and stay in the parent's key.
        while start < range.end && self.words[start].0.chars().count() == depth {
            start += 1;
        }
        if start > range.start {
            shards.push(Shard { key: prefix(self.words[range.start].0, depth).to_string(), words: range.start..start });
        }
        while start < range.end {
            let key = prefix(self.words[start].0, depth + 1);
            let mut end = start + 1;
            while end < range.end && prefix(self.words[end].0, depth + 1) == key {
                end += 1;
            }
            if self.estimated_bytes(start..end) <= limit || depth + 1 >= MAX_KEY_CHARS {
                shards.push(Shard { key: key.to_string(), words: start..end });
            } else {
                self.split(start..end, depth + 1, limit, shards);
            }
            start = end;
        }
    }

    /// About the size of a word file holding `range`.
    fn estimated_bytes(&self, range: std::ops::Range<usize>) -> usize {
        let mut stems: Vec<u32> = self.words[range.clone()].iter().map(|(_, stem)| *stem).collect();
        stems.sort_unstable();
        stems.dedup();
        let words: usize = self.words[range].iter().map(|(w, _)| w.len() + 5).sum();
        words + stems.iter().map(|&s| self.stems[s as usize].len() + 6 * self.postings[s as usize].len()).sum::<usize>()
    }

    fn shard_file(&self, shard: &Shard) -> OutputFile {
        let words = &self.words[shard.words.clone()];
        let mut stems: Vec<u32> = words.iter().map(|(_, stem)| *stem).collect();
        stems.sort_unstable_by(|a, b| self.stems[*a as usize].cmp(&self.stems[*b as usize]));
        stems.dedup();
        let local: HashMap<u32, u32> = stems.iter().enumerate().map(|(i, s)| (*s, i as u32)).collect();
        let json = serde_json::to_vec(&ShardJson {
            pages: stems.iter().map(|&s| delta_pairs(&self.postings[s as usize])).collect(),
            stem_of: words.iter().map(|(_, stem)| local[stem]).collect(),
            stems: stems.iter().map(|&s| self.stems[s as usize].as_str()).collect(),
            words: words.iter().map(|(w, _)| *w).collect(),
        })
        .expect("a word file serialises");
        OutputFile { path: format!("{BUNDLE_DIR}/words/{}.json", hex(&shard.key)), contents: Contents::Bytes(json) }
    }
}

/// The first `chars` characters of `word` (all of it if shorter).
fn prefix(word: &str, chars: usize) -> &str {
    word.char_indices().nth(chars).map_or(word, |(at, _)| &word[..at])
}

/// `key`'s UTF-8 bytes as lower-case hex: a file name any file system takes.
fn hex(key: &str) -> String {
    key.bytes().map(|byte| format!("{byte:02x}")).collect()
}

/// (page, weight) pairs with each page number given as the step from the one before.
fn delta_pairs(postings: &[(u32, u32)]) -> Vec<u32> {
    let pages: Vec<u32> = postings.iter().map(|&(page, _)| page).collect();
    deltas(&pages).into_iter().zip(postings).flat_map(|(step, &(_, weight))| [step, weight]).collect()
}

/// Ascending page numbers, each given as the step from the one before.
fn deltas(pages: &[u32]) -> Vec<u32> {
    let mut previous = 0;
    pages
        .iter()
        .map(|&page| {
            let step = page - previous;
            previous = page;
            step
        })
        .collect()
}

#[derive(Serialize)]
struct ShardJson<'a> {
    pages: Vec<Vec<u32>>,
    stem_of: Vec<u32>,
    stems: Vec<&'a str>,
    words: Vec<&'a str>,
}

#[derive(Serialize)]
struct Meta<'a> {
    average_length: f64,
    filters: BTreeMap<&'a str, BTreeMap<&'a str, Vec<u32>>>,
    format: u32,
    language: &'a str,
    lengths: Vec<u32>,
    shards: Vec<&'a str>,
    table_size: usize,
}

fn meta_file(pages: &[Page], shards: &[Shard], language: &str) -> OutputFile {
    let mut filters: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for (number, page) in pages.iter().enumerate() {
        for (filter, values) in &page.filters {
            let values_of_filter = filters.entry(filter.as_str()).or_default();
            for value in values.iter().collect::<BTreeSet<_>>() {
                values_of_filter.entry(value.as_str()).or_default().push(number as u32);
            }
        }
    }
    let total: u64 = pages.iter().map(|p| u64::from(p.length)).sum();
    let average = if pages.is_empty() { 0.0 } else { (total as f64 / pages.len() as f64 * 100.0).round() / 100.0 };
    let json = serde_json::to_vec(&Meta {
        average_length: average,
        filters: filters
            .into_iter()
            .map(|(filter, values)| {
                (filter, values.into_iter().map(|(value, pages)| (value, deltas(&pages))).collect())
            })
            .collect(),
        format: FORMAT,
        language,
        lengths: pages.iter().map(|p| p.length).collect(),
        shards: shards.iter().map(|s| s.key.as_str()).collect(),
        table_size: TABLE_SIZE,
    })
    .expect("meta.json serialises");
    OutputFile { path: format!("{BUNDLE_DIR}/meta.json"), contents: Contents::Bytes(json) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn page(path: &str, body: &str) -> OutputFile {
        let html =
            format!("<html><body><article data-search-body data-search-kind=\"note\">{body}</article></body></html>");
        OutputFile { path: path.into(), contents: Contents::Bytes(html.into_bytes()) }
    }

    fn json(files: &[OutputFile], path: &str) -> Value {
        let file = files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("{path} is missing"));
        serde_json::from_slice(file.contents.bytes().expect("in memory")).expect("JSON")
    }

    fn undelta(steps: &[Value]) -> Vec<u64> {
        let mut page = 0;
        steps
            .iter()
            .map(|step| {
                page += step.as_u64().expect("a number");
                page
            })
            .collect()
    }

    #[test]
    fn a_word_leads_to_its_stem_and_the_pages_and_weights_of_every_form() {
        let files = bundle(
            &[
                page("b/index.html", "<h1>Reporting</h1><p>Water reports.</p>"),
                page("a/index.html", "<h1>Alpha</h1><p>Reported twice: reported.</p>"),
                page("404.html", "<p>reports</p>"),
                page("c/index.html", "<h1>Gamma</h1><p>Nothing else.</p>"),
            ],
            "en",
        );
        let meta = json(&files, "search-index/meta.json");
        assert_eq!(meta["lengths"], serde_json::json!([7 + 3, 7 + 2, 7 + 2]), "pages a, b, c in path order");
        assert_eq!(undelta(meta["filters"]["kind"]["note"].as_array().unwrap()), [0, 1, 2]);
        let table = json(&files, "search-index/pages/0.json");
        assert_eq!(table["pages"][1], serde_json::json!({"kind": "note", "title": "Reporting", "url": "/b/"}));
        let shard = json(&files, "search-index/words/72.json");
        let words: Vec<&str> = shard["words"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
        assert_eq!(words, ["reported", "reporting", "reports"]);
        assert_eq!(shard["stems"], serde_json::json!(["report"]));
        assert_eq!(shard["stem_of"], serde_json::json!([0, 0, 0]));
        assert_eq!(shard["pages"][0], serde_json::json!([0, 2, 1, 7 + 1]), "page a: 2; page b: 7 + 1");
    }

    #[test]
    fn every_word_is_in_the_shard_with_the_longest_key_that_prefixes_it() {
        let text: Vec<String> = (0..400).map(|n| format!("w{}x{n} wa{n} w", n % 7)).collect();
        let files = [page("a/index.html", &text.join(" "))];
        let pages: Vec<Page> = files
            .iter()
            .map(|f| {
                Page::new(&f.path, extract::extract(std::str::from_utf8(f.contents.bytes().unwrap()).unwrap()).unwrap())
            })
            .collect();
        let index = WordIndex::new(&pages, None);
        let shards = index.shards(512);
        let keys: Vec<&str> = shards.iter().map(|s| s.key.as_str()).collect();
        assert!(keys.windows(2).all(|pair| pair[0] < pair[1]), "keys are sorted: {keys:?}");
        assert!(keys.contains(&"w") && keys.iter().any(|k| k.chars().count() > 2), "split below `w`: {keys:?}");
        for shard in &shards {
            for (word, _) in &index.words[shard.words.clone()] {
                let longest = keys.iter().filter(|k| word.starts_with(**k)).max_by_key(|k| k.len());
                assert_eq!(longest, Some(&shard.key.as_str()), "{word}");
            }
        }
        assert_eq!(shards.iter().map(|s| s.words.len()).sum::<usize>(), index.words.len());
    }

    #[test]
    fn the_index_is_the_same_bytes_whatever_the_order_pages_come_in() {
        let pages =
            [page("b/index.html", "<h1>B</h1><p>beta gamma</p>"), page("a/index.html", "<h1>A</h1><p>alpha gamma</p>")];
        let reversed = [pages[1].clone(), pages[0].clone()];
        let bytes = |files: Vec<OutputFile>| -> Vec<(String, Vec<u8>)> {
            files.into_iter().map(|f| (f.path.clone(), f.contents.bytes().unwrap().to_vec())).collect()
        };
        assert_eq!(bytes(bundle(&pages, "en")), bytes(bundle(&reversed, "en")));
    }

    #[test]
    fn urls_are_folders_and_page_numbers_are_steps() {
        assert_eq!(result_url("sections/2-a/index.html"), "/sections/2-a/");
        assert_eq!(result_url("index.html"), "/");
        assert_eq!(result_url("print/x.html"), "/print/x.html");
        assert_eq!(deltas(&[0, 4, 5, 9]), [0, 4, 1, 4]);
        assert_eq!(delta_pairs(&[(2, 7), (3, 1)]), [2, 7, 1, 1]);
        assert_eq!(hex("ré"), "72c3a9");
        assert_eq!(prefix("régime", 2), "ré");
    }
}
