// The search page: queries the static index `docket build` writes under search-index/
// (the format and the query algorithm are in docs/search-format.md), in the browser, with
// no server and no dependencies. The functions at the top are pure (Node's unit tests
// load this file as a module); the rest builds the search form inside #search. Text from
// the index and the pages is untrusted: it only ever reaches the page as textContent.
(function () {
  "use strict";

  // A word, as the indexer cuts them: letters and digits, single apostrophes inside.
  var WORD = /[\p{Alphabetic}\p{N}]+(?:'[\p{Alphabetic}\p{N}]+)*/gu;
  var K1 = 1.2;
  var B = 0.75;
  var PAGE_SIZE = 10;
  var EXCERPT_WORDS = 30;
  var SUB_EXCERPT_WORDS = 20;
  var SUB_RESULTS = 3;
  var DEBOUNCE_MS = 120;

  // ---- Words ----------------------------------------------------------------------------

  // Lower-cases one code point at a time, as the indexer does (Rust's char::to_lowercase):
  // a whole-string toLowerCase would turn a word-final Σ into ς, which the index never has.
  function lower(word) {
    var out = "";
    for (var c of word) { out += c.toLowerCase(); }
    return out;
  }

  // The words of `text`, each with where it is (UTF-16 offsets, for excerpts). `’` counts
  // as `'`; both are one code unit, so offsets in the normalised text are offsets in `text`.
  function tokenize(text) {
    var normal = String(text).replace(/\u2019/g, "'");
    var found = [];
    var match;
    WORD.lastIndex = 0;
    while ((match = WORD.exec(normal)) !== null) {
      found.push({ word: lower(match[0]), start: match.index, end: match.index + match[0].length });
    }
    return found;
  }

  // The distinct words of a query. The last one is a prefix while the user may still be
  // typing it: when nothing (a space, punctuation) follows it.
  function parseQuery(query) {
    var text = String(query);
    var tokens = tokenize(text);
    var seen = new Set();
    var terms = [];
    tokens.forEach(function (token, i) {
      if (seen.has(token.word)) { return; }
      seen.add(token.word);
      terms.push({ word: token.word, prefix: i === tokens.length - 1 && token.end === text.length });
    });
    return terms;
  }

  // ---- Shards ---------------------------------------------------------------------------

  // The shard a word lives in: the longest key that is a prefix of it (null if none is).
  // Two prefixes of one word compare in length the same in code units and code points.
  function shardFor(word, keys) {
    var best = null;
    keys.forEach(function (key) {
      if ((best === null || key.length > best.length) && word.startsWith(key)) { best = key; }
    });
    return best;
  }

  // The shards a query word needs: its own, and for a prefix every shard whose key starts
  // with it (the only other places a word starting with it can live). Own shard first.
  function shardsFor(term, keys) {
    var own = shardFor(term.word, keys);
    var needed = own === null ? [] : [own];
    if (term.prefix) {
      keys.forEach(function (key) {
        if (key !== own && key.startsWith(term.word)) { needed.push(key); }
      });
    }
    return needed;
  }

  // A shard's file name: its key's UTF-8 bytes in lower-case hex.
  function shardFile(key) {
    var hex = "";
    new TextEncoder().encode(key).forEach(function (byte) {
      hex += (byte < 16 ? "0" : "") + byte.toString(16);
    });
    return hex + ".json";
  }

  // [3, 1, 4] → [3, 4, 8].
  function deltaDecode(list) {
    var total = 0;
    return list.map(function (delta) { total += delta; return total; });
  }

  // A stem's flat list of (delta-encoded page, weight) pairs → Map page → weight.
  function decodePostings(pairs) {
    var pages = new Map();
    var page = 0;
    for (var i = 0; i + 1 < pairs.length; i += 2) {
      page += pairs[i];
      pages.set(page, pairs[i + 1]);
    }
    return pages;
  }

  // Decoding is the costly part of a shard; each stem's postings are decoded once.
  var decoded = new WeakMap();
  function stemPostings(shard, index) {
    var cache = decoded.get(shard);
    if (!cache) { cache = new Map(); decoded.set(shard, cache); }
    if (!cache.has(index)) { cache.set(index, decodePostings(shard.pages[index] || [])); }
    return cache.get(index);
  }

  // ---- Matching and ranking ---------------------------------------------------------------

  function codePoints(text) {
    return Array.from(text).length;
  }

  // What one query word matches, given its own shard (or null) and, for a prefix, the
  // other shards it needs: its stems (stem → Map page → weight) and its pages (Map page →
  // summed weight). A stem met in two shards is one stem: its postings are merged, the
  // larger weight kept, so it is never counted twice.
  function matchTerm(term, own, others) {
    var stems = new Map();
    function addStem(shard, index) {
      var stem = shard.stems[index];
      var postings = stemPostings(shard, index);
      var known = stems.get(stem);
      if (!known) { stems.set(stem, new Map(postings)); return; }
      postings.forEach(function (weight, page) {
        if (!(known.get(page) >= weight)) { known.set(page, weight); }
      });
    }
    var shards = (own ? [own] : []).concat(others || []);
    shards.forEach(function (shard) {
      shard.words.forEach(function (form, i) {
        if (form === term.word || (term.prefix && form.startsWith(term.word))) { addStem(shard, shard.stem_of[i]); }
      });
    });
    // No form matched: the stems it starts with (`regulating` → `regul`), 3 letters or more.
    if (stems.size === 0 && own) {
      own.stems.forEach(function (stem, index) {
        if (codePoints(stem) >= 3 && term.word.startsWith(stem)) { addStem(own, index); }
      });
    }
    var pages = new Map();
    stems.forEach(function (postings) {
      postings.forEach(function (weight, page) { pages.set(page, (pages.get(page) || 0) + weight); });
    });
    return { term: term, stems: stems, pages: pages };
  }

  // Every query word matched against the loaded shards (Map key → shard JSON).
  function matchQuery(terms, keys, shards) {
    return terms.map(function (term) {
      var needed = shardsFor(term, keys);
      var own = shardFor(term.word, keys);
      var loaded = needed.map(function (key) { return shards.get(key); }).filter(Boolean);
      var ownShard = own === null ? null : shards.get(own) || null;
      return matchTerm(term, ownShard, loaded.filter(function (s) { return s !== ownShard; }));
    });
  }

  // The surface forms to mark: every form in the loaded shards whose stem one of the query
  // words matched → the indexes of the words it stands for.
  function markedForms(matches, shards) {
    var forms = new Map();
    shards.forEach(function (shard) {
      shard.words.forEach(function (form, i) {
        var stem = shard.stems[shard.stem_of[i]];
        matches.forEach(function (match, t) {
          if (!match.stems.has(stem)) { return; }
          if (!forms.has(form)) { forms.set(form, []); }
          forms.get(form).push(t);
        });
      });
    });
    return forms;
  }

  // BM25 of one word on one page.
  function bm25(tf, df, count, length, average) {
    var idf = Math.log(1 + (count - df + 0.5) / (df + 0.5));
    var norm = 1 - B + B * (average > 0 ? length / average : 1);
    return idf * (tf * (K1 + 1)) / (tf + K1 * norm);
  }

  // The pages a filter choice lets through (selection: name → chosen values), or null
  // when nothing is chosen. Values of one filter are alternatives; filters all must hold.
  function filterPages(filters, selection, except) {
    var allowed = null;
    Object.keys(selection).forEach(function (name) {
      var values = selection[name];
      if (name === except || !values || !values.length) { return; }
      var union = new Set();
      values.forEach(function (value) {
        var list = (filters[name] && filters[name][value]) || [];
        deltaDecode(list).forEach(function (page) { union.add(page); });
      });
      allowed = allowed === null ? union : new Set(Array.from(allowed).filter(function (p) { return union.has(p); }));
    });
    return allowed;
  }

  // The pages that have every word (null when the query has no words: no constraint).
  function pagesWithAll(matches) {
    if (!matches.length) { return null; }
    var sorted = matches.slice().sort(function (a, b) { return a.pages.size - b.pages.size; });
    var found = new Set();
    sorted[0].pages.forEach(function (weight, page) {
      if (sorted.every(function (m) { return m.pages.has(page); })) { found.add(page); }
    });
    return found;
  }

  // Results, best first: [{page, score}]. Ties go by page number. With no words, every
  // page the filters let through (none when no filter is chosen either).
  function rank(meta, matches, allowed) {
    var count = meta.lengths.length;
    var average = meta.average_length;
    var candidates = pagesWithAll(matches);
    var results = [];
    if (candidates === null) {
      if (allowed === null) { return []; }
      allowed.forEach(function (page) { results.push({ page: page, score: 0 }); });
    } else {
      candidates.forEach(function (page) {
        if (allowed !== null && !allowed.has(page)) { return; }
        var length = page < count ? meta.lengths[page] : average;
        var score = 0;
        matches.forEach(function (m) { score += bm25(m.pages.get(page), m.pages.size, count, length, average); });
        results.push({ page: page, score: score });
      });
    }
    return results.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
  }

  // For each filter value, how many pages have the query's words, that value, and pass
  // the choices made in the *other* filters: what ticking the box would show or add.
  function facetCounts(meta, withWords, selection) {
    var counts = {};
    Object.keys(meta.filters || {}).forEach(function (name) {
      var others = filterPages(meta.filters, selection, name);
      counts[name] = {};
      Object.keys(meta.filters[name]).forEach(function (value) {
        var n = 0;
        deltaDecode(meta.filters[name][value]).forEach(function (page) {
          if ((withWords === null || withWords.has(page)) && (others === null || others.has(page))) { n += 1; }
        });
        counts[name][value] = n;
      });
    });
    return counts;
  }

  // ---- Excerpts ---------------------------------------------------------------------------

  // The words of `text` with those to mark flagged, and which query words they stand for.
  function markTokens(text, forms) {
    var tokens = tokenize(text);
    var terms = new Set();
    var marks = 0;
    tokens.forEach(function (token) {
      var which = forms.get(token.word);
      token.mark = Boolean(which);
      if (which) { marks += 1; which.forEach(function (t) { terms.add(t); }); }
    });
    return { tokens: tokens, marks: marks, terms: terms };
  }

  // Text between words is kept as it is; a cut inside a run of non-space characters
  // moves to the space before (or after) it, so "(b)" is never shown as "(b".
  function widen(text, start, end) {
    while (start > 0 && !/\s/.test(text.charAt(start - 1))) { start -= 1; }
    while (end < text.length && !/\s/.test(text.charAt(end))) { end += 1; }
    return [start, end];
  }

  // An excerpt of `text`: about `size` words starting a third of a window before its first
  // marked word (or at the start), as parts [{text, mark}], "…" where the text was cut.
  function excerpt(text, forms, size) {
    text = String(text || "");
    var marked = markTokens(text, forms);
    var tokens = marked.tokens;
    if (!tokens.length) { return text ? [{ text: text, mark: false }] : []; }
    var first = tokens.findIndex(function (t) { return t.mark; });
    var from = first < 0 ? 0 : Math.max(0, Math.min(first - Math.floor(size / 3), tokens.length - size));
    var to = Math.min(tokens.length, from + size);
    var range = widen(text, from === 0 ? 0 : tokens[from].start, to === tokens.length ? text.length : tokens[to - 1].end);
    var parts = [];
    function plain(piece) {
      if (!piece) { return; }
      var last = parts[parts.length - 1];
      if (last && !last.mark) { last.text += piece; } else { parts.push({ text: piece, mark: false }); }
    }
    if (range[0] > 0) { plain("… "); }
    var at = range[0];
    tokens.forEach(function (token) {
      if (!token.mark || token.start < range[0] || token.end > range[1]) { return; }
      plain(text.slice(at, token.start));
      parts.push({ text: text.slice(token.start, token.end), mark: true });
      at = token.end;
    });
    plain(text.slice(at, range[1]));
    if (range[1] < text.length) { plain(" …"); }
    if (parts.length && !parts[0].mark) { parts[0].text = parts[0].text.replace(/^\s+/, ""); }
    return parts;
  }

  // ---- Page text -------------------------------------------------------------------------

  // Elements inside which text runs on without a word break (as the indexer has them).
  var INLINE = new Set(["a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd", "mark", "q",
    "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"]);
  // Elements whose text is never content.
  var SKIPPED = new Set(["script", "style", "template", "noscript", "svg", "math"]);

  function collapse(text) {
    return text.replace(/\s+/g, " ").trim();
  }

  function tagName(node) {
    return String(node.localName || node.nodeName).toLowerCase();
  }

  // The sections of a page's search body (an element, or anything with the same few DOM
  // properties): the text before the first h2–h6 with an id, then one section per such
  // heading. Ignored elements and the title (the first h1) are left out; block elements
  // break words, inline ones do not, as in the indexer.
  function pageSections(body) {
    var sections = [{ anchor: "", heading: "", text: "" }];
    var heading = null;
    var titled = false;
    // Text goes to the heading being read, else to the section open when it is met.
    function put(text) {
      if (heading) { heading.text += text; } else { sections[sections.length - 1].text += text; }
    }
    function children(node) {
      Array.prototype.forEach.call(node.childNodes || [], visit);
    }
    function visit(node) {
      if (node.nodeType === 3) { put(node.data); return; }
      if (node.nodeType !== 1) { return; }
      var name = tagName(node);
      var gap = INLINE.has(name) ? "" : " ";
      put(gap);
      if (SKIPPED.has(name) || node.hasAttribute("data-search-ignore")) { return; }
      if (name === "h1" && !titled) { titled = true; return; }
      var id = /^h[2-6]$/.test(name) && !heading ? node.getAttribute("id") : null;
      if (id) {
        heading = { text: "" };
        children(node);
        sections.push({ anchor: id, heading: collapse(heading.text), text: "" });
        heading = null;
        return;
      }
      children(node);
      put(gap);
    }
    children(body);
    sections.forEach(function (section) { section.text = collapse(section.text); });
    return sections;
  }

  // ---- Results ----------------------------------------------------------------------------

  // The link to a page's route (`/sections/2-a/`) from the search page.
  function pageHref(base, url, relative, anchor) {
    var path = String(url).replace(/^\//, "");
    if (relative && (path === "" || path.endsWith("/"))) { path += "index.html"; }
    return base + path + (anchor ? "#" + anchor : "");
  }

  // The page table holding page `page`, and its place in it.
  function tableOf(page, size) {
    return { table: Math.floor(page / size), index: page % size };
  }

  // How well a section matches: distinct query words first, then marks; the heading counts.
  function sectionScore(section, forms) {
    var heading = markTokens(section.heading || "", forms);
    var body = markTokens(section.text || "", forms);
    body.terms.forEach(function (t) { heading.terms.add(t); });
    return { terms: heading.terms.size, marks: heading.marks + body.marks };
  }

  // What a result shows of its page: the excerpt of its best section, and up to three
  // other sections with marks, in page order, each linking to `href#anchor`.
  function excerpts(sections, forms, href) {
    var scores = sections.map(function (s) { return sectionScore(s, forms); });
    var best = -1;
    scores.forEach(function (score, i) {
      var top = scores[best];
      if (score.marks && (!top || score.terms > top.terms || (score.terms === top.terms && score.marks > top.marks))) { best = i; }
    });
    if (best < 0) { best = Math.max(0, sections.findIndex(function (s) { return s.text; })); }
    var subs = [];
    sections.forEach(function (section, i) {
      if (i === best || !section.anchor || !scores[i].marks || subs.length >= SUB_RESULTS) { return; }
      subs.push({
        href: href + "#" + section.anchor,
        heading: excerpt(section.heading || section.anchor, forms, SUB_EXCERPT_WORDS),
        excerpt: excerpt(section.text, forms, SUB_EXCERPT_WORDS),
      });
    });
    return { excerpt: sections.length ? excerpt(sections[best].text, forms, EXCERPT_WORDS) : [], subs: subs };
  }

  // Counts in words: "1 result", "12 results".
  function plural(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  // The status line for a finished search.
  function statusText(count, query, filtered) {
    return (count ? plural(count, "result") : "No results") + (query ? " for “" + query + "”" : "") +
      (filtered ? " with the chosen filters" : "");
  }

  var core = {
    tokenize: tokenize,
    parseQuery: parseQuery,
    shardFor: shardFor,
    shardsFor: shardsFor,
    shardFile: shardFile,
    deltaDecode: deltaDecode,
    decodePostings: decodePostings,
    matchTerm: matchTerm,
    matchQuery: matchQuery,
    markedForms: markedForms,
    bm25: bm25,
    filterPages: filterPages,
    pagesWithAll: pagesWithAll,
    rank: rank,
    facetCounts: facetCounts,
    excerpt: excerpt,
    pageSections: pageSections,
    pageHref: pageHref,
    tableOf: tableOf,
    excerpts: excerpts,
    statusText: statusText,
  };

  // ---- The page -----------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    return node;
  }

  // Excerpt parts → text nodes and <mark>s (never markup from the index).
  function appendParts(parent, parts) {
    parts.forEach(function (part) {
      parent.appendChild(part.mark ? el("mark", "", part.text) : document.createTextNode(part.text));
    });
    return parent;
  }

  function fetched(url, read) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status + " for " + url); }
      return read(response);
    });
  }

  // Each file is fetched once (`read` makes what is kept of it); a failed fetch is
  // forgotten so that a later search retries it.
  function Cache(read) {
    var pending = new Map();
    var ready = new Map();
    function load(url) {
      if (!pending.has(url)) {
        var promise = fetched(url, read).then(function (value) { ready.set(url, value); return value; });
        pending.set(url, promise);
        promise.catch(function () { pending.delete(url); });
      }
      return pending.get(url);
    }
    return { load: load, ready: ready };
  }

  // A result's page → its sections, read from the page itself (the index keeps no text).
  function readSections(response) {
    return response.text().then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var body = doc.querySelector("[data-search-body]");
      return body ? pageSections(body) : [];
    });
  }

  var FROM_DISK = new Error("Search cannot run on a page opened from a folder on disk (a file:// address): " +
    "browsers do not let it load its index. Serve the folder over HTTP, or browse the lists below.");

  function labelOf(name) {
    return name.charAt(0).toUpperCase() + name.slice(1);
  }

  function Search(root) {
    var base = root.getAttribute("data-base-url") || "";
    var relative = root.getAttribute("data-relative") === "true";
    var bundle = root.getAttribute("data-bundle") || "search-index/";
    var index = Cache(function (response) { return response.json(); });
    var pages = Cache(readSections);
    var seq = 0;
    var timer = null;
    var meta = null;
    var current = null;
    var boxes = [];

    var input = el("input", "search-input");
    input.type = "search";
    input.id = "search-input";
    input.autocomplete = "off";
    input.setAttribute("aria-labelledby", "search-heading");
    input.setAttribute("aria-describedby", "search-help");
    var filters = el("div", "search-filters");
    var status = el("p", "search-status");
    status.setAttribute("role", "status");
    var list = el("ol", "search-results");
    list.hidden = true;
    var more = el("button", "search-more", "Show more results");
    more.type = "button";
    more.hidden = true;
    root.textContent = "";
    [input, filters, status, list, more].forEach(function (node) { root.appendChild(node); });

    function fail(error) {
      status.textContent = error === FROM_DISK ? FROM_DISK.message :
        "Search could not load its index (" + (error && error.message || error) + "). " +
        "If this page was opened from a folder on disk, serve the folder over HTTP, or browse the lists below.";
    }

    function load(path) {
      return index.load(bundle + path);
    }

    function loadMeta() {
      // Browsers refuse fetch() from file:// pages; saying so beats a console full of errors.
      if (window.location.protocol === "file:") { return Promise.reject(FROM_DISK); }
      return load("meta.json").then(function (json) {
        if (json.format !== 1) { throw new Error("index format " + json.format + ", expected 1"); }
        if (!meta) { meta = json; buildFilters(); }
        return meta;
      });
    }

    // One fieldset per filter, kind first; values sorted, each with a count.
    function buildFilters() {
      var names = Object.keys(meta.filters || {}).sort(function (a, b) {
        return (a !== "kind") - (b !== "kind") || (a < b ? -1 : a > b ? 1 : 0);
      });
      names.forEach(function (name) {
        var fieldset = el("fieldset", "search-filter");
        fieldset.appendChild(el("legend", "", labelOf(name)));
        Object.keys(meta.filters[name]).sort(function (a, b) { return a.localeCompare(b); }).forEach(function (value) {
          var label = el("label", "search-filter-option");
          var box = el("input");
          box.type = "checkbox";
          box.value = value;
          box.setAttribute("data-filter", name);
          var count = el("span", "search-filter-count");
          label.appendChild(box);
          label.appendChild(document.createTextNode(" " + value + " "));
          label.appendChild(count);
          fieldset.appendChild(label);
          boxes.push({ box: box, name: name, value: value, count: count });
        });
        filters.appendChild(fieldset);
      });
      filters.addEventListener("change", function () { now(); });
      showCounts(facetCounts(meta, null, {}));
    }

    function selection() {
      var chosen = {};
      boxes.forEach(function (b) {
        if (!b.box.checked) { return; }
        (chosen[b.name] = chosen[b.name] || []).push(b.value);
      });
      return chosen;
    }

    function showCounts(counts) {
      boxes.forEach(function (b) { b.count.textContent = "(" + ((counts[b.name] || {})[b.value] || 0) + ")"; });
    }

    // Keeps ?q= in the address, so a search can be bookmarked, shared and reloaded.
    function syncUrl(query) {
      try {
        var url = new URL(window.location.href);
        if (query) { url.searchParams.set("q", query); } else { url.searchParams.delete("q"); }
        if (url.href !== window.location.href) { window.history.replaceState(window.history.state, "", url.href); }
      } catch (error) { /* an address the browser will not rewrite (file://): harmless */ }
    }

    function clear() {
      current = null;
      status.textContent = "";
      list.textContent = "";
      list.hidden = true;
      more.hidden = true;
      if (meta) { showCounts(facetCounts(meta, null, {})); }
    }

    function search() {
      clearTimeout(timer);
      var mine = ++seq;
      var raw = input.value;
      var query = raw.trim();
      syncUrl(query);
      var terms = parseQuery(raw);
      var chosen = selection();
      var filtered = Object.keys(chosen).length > 0;
      if (!query && !filtered) { clear(); return; }
      if (!index.ready.has(bundle + "meta.json")) { status.textContent = "Loading…"; }
      loadMeta().then(function () {
        var keys = [];
        terms.forEach(function (term) {
          shardsFor(term, meta.shards).forEach(function (key) { if (keys.indexOf(key) < 0) { keys.push(key); } });
        });
        var files = keys.map(function (key) { return "words/" + shardFile(key); });
        if (files.some(function (f) { return !index.ready.has(bundle + f); })) { status.textContent = "Loading…"; }
        return Promise.all(files.map(function (f) { return load(f); })).then(function (loaded) {
          if (mine !== seq) { return null; }
          var shards = new Map();
          keys.forEach(function (key, i) { shards.set(key, loaded[i]); });
          var matches = matchQuery(terms, meta.shards, shards);
          // A query of punctuation alone has no words and finds nothing; no query at all
          // lists what the filters let through.
          var withWords = terms.length ? pagesWithAll(matches) : query ? new Set() : null;
          var results = withWords && !withWords.size ? [] : rank(meta, matches, filterPages(meta.filters || {}, chosen));
          current = {
            seq: mine,
            results: results,
            forms: markedForms(matches, loaded),
            shown: 0,
            status: statusText(results.length, query, filtered),
            counts: facetCounts(meta, withWords, chosen),
          };
          return showMore(current);
        });
      }).catch(function (error) {
        if (mine === seq) { fail(error); }
      });
    }

    // Shows the next ten results: their titles and kinds once their page tables are in,
    // each excerpt when its page is. The first new link takes the focus when the user
    // asked for more.
    function showMore(view, focus) {
      var slice = view.results.slice(view.shown, view.shown + PAGE_SIZE);
      var size = meta.table_size || 1;
      var tables = slice.map(function (r) { return load("pages/" + tableOf(r.page, size).table + ".json"); });
      return Promise.all(tables).then(function (loaded) {
        if (view.seq !== seq) { return; }
        if (view.shown === 0) {
          list.textContent = "";
          status.textContent = view.status;
          showCounts(view.counts);
        }
        var first = null;
        slice.forEach(function (result, i) {
          var info = loaded[i].pages[tableOf(result.page, size).index];
          var href = pageHref(base, info.url, relative, "");
          var item = renderResult(info, href);
          first = first || item.querySelector("a");
          list.appendChild(item);
          pages.load(href).then(function (sections) {
            if (view.seq === seq) { renderExcerpts(item, excerpts(sections, view.forms, href)); }
          }).catch(function () { /* the result stands without an excerpt */ });
        });
        view.shown += slice.length;
        list.hidden = view.results.length === 0;
        more.hidden = view.shown >= view.results.length;
        if (focus && first) { first.focus(); }
      });
    }

    function renderResult(info, href) {
      var item = el("li", "search-result");
      var title = el("p", "search-result-title");
      if (info.kind) {
        title.appendChild(el("span", "search-result-kind", info.kind));
        title.appendChild(document.createTextNode(" "));
      }
      var link = el("a", "search-result-link", info.title || info.url);
      link.href = href;
      title.appendChild(link);
      item.appendChild(title);
      return item;
    }

    function renderExcerpts(item, view) {
      if (view.excerpt.length) { item.appendChild(appendParts(el("p", "search-excerpt"), view.excerpt)); }
      if (!view.subs.length) { return; }
      var subs = el("ul", "search-subresults");
      view.subs.forEach(function (sub) {
        var li = el("li", "search-subresult");
        var a = appendParts(el("a", "search-subresult-link"), sub.heading);
        a.href = sub.href;
        li.appendChild(a);
        if (sub.excerpt.length) { li.appendChild(appendParts(el("p", "search-excerpt"), sub.excerpt)); }
        subs.appendChild(li);
      });
      item.appendChild(subs);
    }

    function now() {
      clearTimeout(timer);
      search();
    }

    // The index is fetched only once someone means to search.
    function warm() {
      loadMeta().catch(function (error) { if (!current) { fail(error); } });
    }

    input.addEventListener("focus", warm);
    input.addEventListener("input", function () {
      warm();
      clearTimeout(timer);
      timer = setTimeout(search, DEBOUNCE_MS);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { now(); }
    });
    more.addEventListener("click", function () {
      if (!current) { return; }
      showMore(current, true).catch(function (error) { if (current && current.seq === seq) { fail(error); } });
    });

    var preset = new URLSearchParams(window.location.search).get("q");
    if (preset) {
      input.value = preset;
      now();
    }
  }

  function start() {
    var root = document.getElementById("search");
    if (!root) { return; }
    if (typeof fetch !== "function" || typeof DOMParser !== "function") {
      root.textContent = "This browser cannot run the search; browse the lists below.";
      return;
    }
    Search(root);
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  if (typeof module === "object" && module.exports) {
    module.exports = core;
  }
})();
