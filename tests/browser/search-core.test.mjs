// The pure half of the search page's script (themes/default/static/search.js), in Node:
// cutting text into words as the indexer does, choosing word files, decoding the
// delta-encoded lists, BM25 ranking, filters and their counts, reading a page's sections,
// excerpts and marking, against small hand-made index data in the format of
// docs/search-format.md.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const search = createRequire(import.meta.url)("../../themes/default/static/search.js");

const words = (text) => search.tokenize(text).map((t) => t.word);

describe("words", () => {
  test("are lower-cased runs of letters and digits", () => {
    assert.deepEqual(words("Sec. 3(b)(ii): Export-Controls, 2026!"), ["sec", "3", "b", "ii", "export", "controls", "2026"]);
  });

  test("keep single apostrophes between letters; ’ counts as '", () => {
    assert.deepEqual(words("the agency’s plan, don't 'quoted' rock'n'roll ''x a''b"), [
      "the", "agency's", "plan", "don't", "quoted", "rock'n'roll", "x", "a", "b",
    ]);
  });

  test("take Unicode letters and numbers", () => {
    assert.deepEqual(words("Régime ÉTATS naïve Straße 東京 ٣٤ ½"), ["régime", "états", "naïve", "straße", "東京", "٣٤", "½"]);
  });

  test("lower-case letter by letter, as the indexer does (no final sigma)", () => {
    assert.deepEqual(words("ΟΔΟΣ"), ["οδοσ"]);
  });

  test("know where they are in the text", () => {
    assert.deepEqual(search.tokenize("  Don’t stop"), [
      { word: "don't", start: 2, end: 7 },
      { word: "stop", start: 8, end: 12 },
    ]);
  });
});

describe("queries", () => {
  test("drop repeated words; the last is a prefix unless a space or punctuation follows it", () => {
    assert.deepEqual(search.parseQuery("Export export contr"), [
      { word: "export", prefix: false },
      { word: "contr", prefix: true },
    ]);
    assert.deepEqual(search.parseQuery("export controls "), [
      { word: "export", prefix: false },
      { word: "controls", prefix: false },
    ]);
    assert.deepEqual(search.parseQuery("export."), [{ word: "export", prefix: false }]);
    assert.deepEqual(search.parseQuery("agency’s"), [{ word: "agency's", prefix: true }]);
    assert.deepEqual(search.parseQuery(" ?! "), []);
  });
});

describe("word files", () => {
  const keys = ["a", "ab", "abc", "b", "é", "東"];

  test("a word lives in the shard of the longest key that is a prefix of it", () => {
    assert.equal(search.shardFor("abcd", keys), "abc");
    assert.equal(search.shardFor("abd", keys), "ab");
    assert.equal(search.shardFor("ax", keys), "a");
    assert.equal(search.shardFor("ab", keys), "ab");
    assert.equal(search.shardFor("été", keys), "é");
    assert.equal(search.shardFor("zoo", keys), null);
  });

  test("a prefix word also needs every shard whose key starts with it", () => {
    assert.deepEqual(search.shardsFor({ word: "a", prefix: true }, keys), ["a", "ab", "abc"]);
    assert.deepEqual(search.shardsFor({ word: "ab", prefix: true }, keys), ["ab", "abc"]);
    assert.deepEqual(search.shardsFor({ word: "ab", prefix: false }, keys), ["ab"]);
    assert.deepEqual(search.shardsFor({ word: "abx", prefix: true }, keys), ["ab"]);
    assert.deepEqual(search.shardsFor({ word: "z", prefix: true }, keys), []);
  });

  test("file names are the key's UTF-8 bytes in hex", () => {
    assert.equal(search.shardFile("ab"), "6162.json");
    assert.equal(search.shardFile("é"), "c3a9.json");
    assert.equal(search.shardFile("東"), "e69db1.json");
  });
});

describe("delta-encoded lists", () => {
  test("page lists are running sums", () => {
    assert.deepEqual(search.deltaDecode([3, 1, 4]), [3, 4, 8]);
    assert.deepEqual(search.deltaDecode([0, 4, 2]), [0, 4, 6]);
    assert.deepEqual(search.deltaDecode([]), []);
  });

  test("postings are (page step, weight) pairs", () => {
    assert.deepEqual([...search.decodePostings([0, 3, 2, 1])], [[0, 3], [2, 1]]);
    assert.deepEqual([...search.decodePostings([5, 7, 1, 1, 10, 2])], [[5, 7], [6, 1], [16, 2]]);
  });
});

// A site of four pages. "report" forms are in shard "r", "regul…" in "re"… see `shards`.
const meta = {
  format: 1,
  language: "en",
  average_length: 100,
  lengths: [100, 100, 400, 50],
  table_size: 256,
  shards: ["e", "r", "re", "rep"],
  filters: {
    kind: { provision: [0, 2], source: [1, 2] }, // provision: 0, 2; source: 1, 3
    audience: { "Cloud providers": [0, 1, 1, 1], "Developers": [2] }, // cloud: 0..3; developers: 2
  },
};
const shards = new Map([
  ["e", { words: ["export", "exports"], stem_of: [0, 0], stems: ["export"], pages: [[0, 2, 2, 9]] }],
  ["r", { words: ["rule"], stem_of: [0], stems: ["rule"], pages: [[3, 1]] }],
  ["re", {
    words: ["regulate", "regulation", "rely"], stem_of: [0, 0, 1], stems: ["regul", "reli"],
    pages: [[1, 1, 2, 1], [0, 1]],
  }],
  ["rep", {
    words: ["report", "reported", "reporting", "reports"], stem_of: [0, 0, 0, 0], stems: ["report"],
    pages: [[0, 3, 1, 1, 2, 1]],
  }],
]);
const match = (query) => search.matchQuery(search.parseQuery(query), meta.shards, shards);

describe("matching", () => {
  test("an exact form stands for its stem and all the stem's pages", () => {
    const [m] = match("reported ");
    assert.deepEqual([...m.stems.keys()], ["report"]);
    assert.deepEqual([...m.pages], [[0, 3], [1, 1], [3, 1]]);
  });

  test("a prefix matches every form starting with it, across shards", () => {
    const [m] = match("re");
    assert.deepEqual([...m.stems.keys()].sort(), ["regul", "reli", "report"]);
    // page 0: report 3 + reli 1; page 1: regul 1 + report 1
    assert.equal(m.pages.get(0), 4);
    assert.equal(m.pages.get(1), 2);
    assert.equal(m.pages.get(3), 2);
  });

  test("a word not in the index falls back to the stems (3+ letters) it starts with", () => {
    const [m] = match("regulating ");
    assert.deepEqual([...m.stems.keys()], ["regul"]);
    assert.deepEqual([...m.pages.keys()], [1, 3]);
    assert.equal(match("zzz ")[0].pages.size, 0);
  });

  test("a stem seen in two shards is counted once", () => {
    const twice = new Map([
      ["a", { words: ["ab"], stem_of: [0], stems: ["ab"], pages: [[0, 2]] }],
      ["ab", { words: ["abs"], stem_of: [0], stems: ["ab"], pages: [[0, 2]] }],
    ]);
    const [m] = search.matchQuery([{ word: "a", prefix: true }], ["a", "ab"], twice);
    assert.deepEqual([...m.pages], [[0, 2]]);
  });

  test("the forms to mark are those of the matched stems, in every loaded shard", () => {
    const matches = match("exports regulation ");
    const forms = search.markedForms(matches, [...shards.values()]);
    assert.deepEqual([...forms.keys()].sort(), ["export", "exports", "regulate", "regulation"]);
    assert.deepEqual(forms.get("regulate"), [1]);
  });
});

describe("ranking", () => {
  test("BM25 with k1 = 1.2, b = 0.75", () => {
    const idf = Math.log(1 + (4 - 2 + 0.5) / (2 + 0.5));
    assert.ok(Math.abs(search.bm25(3, 2, 4, 100, 100) - idf * (3 * 2.2) / (3 + 1.2)) < 1e-12);
    const longer = search.bm25(3, 2, 4, 400, 100);
    assert.ok(Math.abs(longer - idf * (3 * 2.2) / (3 + 1.2 * (1 - 0.75 + 0.75 * 4))) < 1e-12);
    assert.ok(search.bm25(1, 1, 4, 100, 100) > search.bm25(1, 3, 4, 100, 100), "rarer words weigh more");
  });

  test("pages need every word; higher score first, ties by page number", () => {
    const results = search.rank(meta, match("report "), null);
    // weights: page 0 → 3, page 1 → 1, page 3 → 1 (page 3 is shorter than page 1)
    assert.deepEqual(results.map((r) => r.page), [0, 3, 1]);
    assert.deepEqual(search.rank(meta, match("report export "), null).map((r) => r.page), [0]);
    assert.deepEqual(search.rank(meta, match("report rule "), null).map((r) => r.page), [3]);
    const tied = { ...meta, lengths: [10, 10, 10, 10] };
    const same = new Map([["r", { words: ["r"], stem_of: [0], stems: ["r"], pages: [[2, 1, 1, 1]] }]]);
    const ties = search.matchQuery([{ word: "r", prefix: false }], ["r"], same);
    assert.deepEqual(search.rank(tied, ties, null).map((r) => r.page), [2, 3]);
  });

  test("filters: values of one filter are alternatives, filters all hold", () => {
    const f = (selection) => [...search.filterPages(meta.filters, selection)].sort();
    assert.equal(search.filterPages(meta.filters, {}), null);
    assert.deepEqual(f({ kind: ["provision"] }), [0, 2]);
    assert.deepEqual(f({ kind: ["provision", "source"] }), [0, 1, 2, 3]);
    assert.deepEqual(f({ kind: ["source"], audience: ["Developers"] }), []);
    assert.deepEqual(f({ kind: ["provision"], audience: ["Developers"] }), [2]);
    const allowed = search.filterPages(meta.filters, { kind: ["source"] });
    assert.deepEqual(search.rank(meta, match("report "), allowed).map((r) => r.page), [3, 1]);
  });

  test("with filters and no words, every page the filters let through, in page order", () => {
    const allowed = search.filterPages(meta.filters, { audience: ["Cloud providers"] });
    assert.deepEqual(search.rank(meta, [], allowed).map((r) => r.page), [0, 1, 2, 3]);
    assert.deepEqual(search.rank(meta, [], null), []);
  });

  test("filter counts ignore the filter's own choice, so ticking another value adds to it", () => {
    const withWords = search.pagesWithAll(match("report "));
    const counts = search.facetCounts(meta, withWords, { kind: ["provision"] });
    assert.deepEqual(counts.kind, { provision: 1, source: 2 });
    assert.deepEqual(counts.audience, { "Cloud providers": 1, Developers: 0 });
    assert.deepEqual(search.facetCounts(meta, null, {}).kind, { provision: 2, source: 2 });
  });
});

describe("excerpts", () => {
  const forms = new Map([["export", [0]], ["exports", [0]]]);
  const text = (n) => Array.from({ length: n }, (_, i) => `w${i}`).join(" ");
  const shown = (parts) => parts.map((p) => (p.mark ? `[${p.text}]` : p.text)).join("");

  test("mark every form of the matched stems, in the text as written", () => {
    assert.equal(shown(search.excerpt("Exports: the EXPORT rules (export-controls).", forms, 30)),
      "[Exports]: the [EXPORT] rules ([export]-controls).");
  });

  test("a window of about 30 words around the first mark, cut with …", () => {
    const long = `${text(50)} export ${text(50)}`;
    const out = shown(search.excerpt(long, forms, 30));
    assert.ok(out.startsWith("… w40 "), out);
    assert.ok(out.endsWith("w18 …"), out);
    assert.equal(search.tokenize(out).length, 30);
    assert.match(out, /w49 \[export\] w0/);
  });

  test("near the end the window moves back; without marks it is the start", () => {
    const out = shown(search.excerpt(`${text(40)} export`, forms, 30));
    assert.ok(out.startsWith("… w11 ") && out.endsWith("[export]"), out);
    assert.equal(shown(search.excerpt(text(40), forms, 30)), `${text(30)} …`);
    assert.equal(shown(search.excerpt(text(5), forms, 30)), text(5));
  });

  test("a cut never splits a run of characters without spaces", () => {
    const out = shown(search.excerpt(`${text(20)} export (b)(ii) end`, forms, 10));
    assert.ok(out.endsWith("(b)(ii) …") || out.endsWith("(b)(ii) end"), out);
  });

  test("text from the index stays text: markup is not interpreted here", () => {
    const parts = search.excerpt("<img src=x onerror=alert(1)> export", forms, 30);
    assert.equal(parts[0].text, "<img src=x onerror=alert(1)> ");
    assert.deepEqual(parts[1], { text: "export", mark: true });
  });
});

/** A stand-in for DOM nodes, with just what the page reader uses. */
function h(tag, attributes, ...children) {
  const attrs = attributes || {};
  return {
    nodeType: 1,
    localName: tag,
    childNodes: children.map((c) => (typeof c === "string" ? { nodeType: 3, data: c } : c)),
    hasAttribute: (name) => name in attrs,
    getAttribute: (name) => (name in attrs ? attrs[name] : null),
  };
}

describe("page text", () => {
  test("sections start at h2–h6 with an id; the title, ignored parts and scripts are left out", () => {
    const body = h("article", { "data-search-body": "" },
      h("p", null, "provision"),
      h("h1", null, "Sec. 2(a) Definitions"),
      h("p", null, "Intro ", h("em", null, "re"), "port", h("a", { href: "#" }, "ed"), "."),
      h("nav", { "data-search-ignore": "" }, h("p", null, "On this page")),
      h("script", null, "var hidden = 1;"),
      h("section", null,
        h("h2", { id: "duties" }, "Duties ", h("span", null, "of agencies")),
        h("ul", null, h("li", null, "one"), h("li", null, "two"))),
      h("h3", null, "No id"),
      h("p", null, "still duties"),
      h("h2", { id: "scope" }, "Scope"),
      h("p", null, "  Export\n\n  controls  "));
    assert.deepEqual(search.pageSections(body), [
      { anchor: "", heading: "", text: "provision Intro reported." },
      { anchor: "duties", heading: "Duties of agencies", text: "one two No id still duties" },
      { anchor: "scope", heading: "Scope", text: "Export controls" },
    ]);
  });
});

describe("results", () => {
  const forms = new Map([["export", [0]], ["controls", [1]]]);
  const sections = [
    { anchor: "", heading: "", text: "Intro about export." },
    { anchor: "scope", heading: "Scope", text: "Nothing here." },
    { anchor: "controls", heading: "Controls", text: "Export controls apply to exports." },
    { anchor: "one", heading: "Export one", text: "a" },
    { anchor: "two", heading: "Two", text: "export" },
    { anchor: "three", heading: "Three", text: "export" },
  ];

  test("links join the base URL; relative mode names index.html; anchors come last", () => {
    assert.equal(search.pageHref("/kb/", "/sections/2-a/", false, ""), "/kb/sections/2-a/");
    assert.equal(search.pageHref("../", "/sections/2-a/", true, "scope"), "../sections/2-a/index.html#scope");
    assert.equal(search.pageHref("../", "/", true, ""), "../index.html");
    assert.equal(search.pageHref("../", "/deadlines.ics", true, ""), "../deadlines.ics");
  });

  test("a page's title and kind are in page table ⌊page / table_size⌋", () => {
    assert.deepEqual(search.tableOf(0, 256), { table: 0, index: 0 });
    assert.deepEqual(search.tableOf(255, 256), { table: 0, index: 255 });
    assert.deepEqual(search.tableOf(600, 256), { table: 2, index: 88 });
  });

  test("the best section's excerpt, then up to three other sections with marks", () => {
    const view = search.excerpts(sections, forms, "/kb/sections/2-a/");
    assert.deepEqual(view.excerpt.filter((p) => p.mark).map((p) => p.text), ["Export", "controls"]);
    assert.deepEqual(view.subs.map((s) => s.href), ["/kb/sections/2-a/#one", "/kb/sections/2-a/#two", "/kb/sections/2-a/#three"]);
    assert.deepEqual(view.subs[0].heading, [{ text: "Export", mark: true }, { text: " one", mark: false }]);
  });

  test("with nothing marked, the start of the first section with text", () => {
    const view = search.excerpts([{ anchor: "", heading: "", text: "" }, { anchor: "a", heading: "A", text: "Plain words." }], new Map(), "/x/");
    assert.deepEqual(view, { excerpt: [{ text: "Plain words.", mark: false }], subs: [] });
  });

  test("status lines", () => {
    assert.equal(search.statusText(12, "export controls", false), "12 results for “export controls”");
    assert.equal(search.statusText(1, "export", false), "1 result for “export”");
    assert.equal(search.statusText(0, "xyzzy", false), "No results for “xyzzy”");
    assert.equal(search.statusText(3, "", true), "3 results with the chosen filters");
  });
});
