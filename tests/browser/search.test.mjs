// Full-text search in the browser, at the host root and under a sub-path: the search page
// at `/search/` queries docket's static index (`search-index/`, docs/search-format.md)
// with static/search.js. A word of a provision's title finds the provision and its result
// opens the provision's page; the kind filter narrows the results; `?q=` searches on
// load; a word that is nowhere says so; more results come ten at a time; the page with
// results passes axe in both colour schemes. No test may leave a console error behind.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { launch, openWatched } from "./lib/browser.mjs";
import { artifactDir, pageKind, pageUrl, serveBuiltSite } from "./lib/site.mjs";

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
/** A word found on nearly every page of an English knowledge base, of every kind. */
const COMMON = "the";
const NONSENSE = "qzxjvqzxjv";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** The longest word of a provision's heading, and that provision's page. */
function provisionToFind(served) {
  const file = served.pages.find((f) => pageKind(served.output, f) === "provision");
  const html = fs.readFileSync(path.join(served.output, file), "utf8");
  const title = html.match(/<h1[^>]*>([\s\S]*?)<\/h1>/)[1].replace(/<[^>]+>/g, "");
  const word = title.split(/[^A-Za-z]+/).sort((a, b) => b.length - a.length)[0];
  return { file, word, title: title.trim() };
}

/** Opens the search page (with `?q=query` when given); the page, its problems and its input. */
async function openSearch(served, mode, query) {
  assert.ok(fs.existsSync(path.join(served.output, "search-index/meta.json")), "the build wrote no search-index/meta.json");
  const { page, problems } = await openWatched(browser.context);
  const suffix = query === undefined ? "" : `?q=${encodeURIComponent(query)}`;
  await page.goto(pageUrl(served, "search/index.html", mode) + suffix);
  return { page, problems, input: page.locator("#search input[type=search]") };
}

/** Waits until the status line matches `pattern`; returns its text. */
async function waitForStatus(page, pattern) {
  const read = () => page.locator("#search [role=status]").textContent();
  try {
    await page.waitForFunction(
      ([source, flags]) => new RegExp(source, flags).test(document.querySelector("#search [role=status]")?.textContent ?? ""),
      [pattern.source, pattern.flags],
      { timeout: 10_000 },
    );
  } catch {
    assert.fail(`the status line never matched ${pattern}; it reads “${await read()}”`);
  }
  return read();
}

/** The number of results a status line announces. */
function resultCount(status) {
  const match = status.match(/^(\d+) results? for/);
  assert.ok(match, `no result count in “${status}”`);
  return Number(match[1]);
}

/** Index among the result links of the one to `target`, showing more results until it is there. */
async function findResult(page, target) {
  const links = page.locator(".search-result-link");
  const more = page.locator("#search button", { hasText: "Show more results" });
  for (;;) {
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.href));
    const index = hrefs.findIndex((href) => href === target || href === target + "index.html");
    if (index >= 0 || !(await more.isVisible())) return { index, hrefs };
    await more.click();
    await page.waitForFunction((n) => document.querySelectorAll(".search-result-link").length > n, hrefs.length);
  }
}

async function axeViolations(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"], runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } }),
  );
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 5).map((n) => n.target.join(" ")).join(", ")}`);
}

for (const mode of ["root", "subpath"]) {
  describe(`search, site published at ${mode}`, () => {
    let served;
    before(async () => {
      served = await serveBuiltSite(mode);
    });
    after(async () => {
      await served?.close();
    });

    test("search finds a provision by a word of its title and opens it", async () => {
      const { file, word, title } = provisionToFind(served);
      const { page, problems, input } = await openSearch(served, mode);
      await input.fill(word);
      await page.locator(".search-result-link").first().waitFor({ timeout: 10_000 });
      await waitForStatus(page, /^\d+ results? for “/);
      await page.locator(".search-result mark").first().waitFor({ timeout: 10_000 });
      await page.screenshot({ path: path.join(artifactDir("screenshots", mode), "search.png"), fullPage: true });
      assert.equal(new URL(page.url()).searchParams.get("q"), word, "the address keeps the query in ?q=");
      const marks = await page.locator(".search-result mark").allTextContents();
      assert.ok(marks.some((m) => m.toLowerCase().startsWith(word.toLowerCase())), `no excerpt marks “${word}”: ${marks}`);
      const target = pageUrl(served, file, mode);
      const { index, hrefs } = await findResult(page, target);
      assert.ok(index >= 0, `searching “${word}” did not list ${target}: ${hrefs.join(", ")}`);
      await Promise.all([page.waitForEvent("load"), page.locator(".search-result-link").nth(index).click()]);
      assert.equal((await page.locator("main h1").first().textContent()).trim(), title);
      assert.deepEqual(problems, []);
      await page.close();
    });

    test("the kind filter narrows the results to that kind", async () => {
      const { page, problems, input } = await openSearch(served, mode);
      await input.fill(COMMON + " ");
      const all = resultCount(await waitForStatus(page, /^\d+ results? for “/));
      const kindGroup = page.getByRole("group", { name: "Kind" });
      const labels = await kindGroup.locator("label").allTextContents();
      const found = labels.filter((l) => !/\(0\)\s*$/.test(l));
      assert.ok(found.length > 1, `“${COMMON}” should find pages of several kinds: ${labels.join(", ")}`);
      const option = kindGroup.locator("label").filter({ hasText: /^\s*provision \(\d+\)\s*$/ });
      const label = await option.textContent();
      const box = option.getByRole("checkbox");
      await box.check();
      const status = await waitForStatus(page, /with the chosen filters$/);
      const narrowed = resultCount(status);
      assert.ok(narrowed > 0 && narrowed < all, `ticking “provision” left ${narrowed} of ${all} results`);
      assert.equal(narrowed, Number(label.match(/\((\d+)\)/)[1]), `the count by the box (${label.trim()}) promised otherwise`);
      const shown = await page.locator(".search-result-kind").allTextContents();
      assert.ok(shown.length > 0 && shown.every((k) => k === "provision"), `kinds after filtering: ${shown}`);
      await page.screenshot({ path: path.join(artifactDir("screenshots", mode), "search-filtered.png"), fullPage: true });
      assert.deepEqual(problems, []);
      await page.close();
    });

    test("a query in ?q= is searched as the page loads", async () => {
      const { word } = provisionToFind(served);
      const { page, problems, input } = await openSearch(served, mode, word);
      await page.locator(".search-result-link").first().waitFor({ timeout: 10_000 });
      assert.equal(await input.inputValue(), word);
      assert.ok(resultCount(await waitForStatus(page, /^\d+ results? for “/)) > 0);
      assert.deepEqual(problems, []);
      await page.close();
    });

    test("a word found nowhere says there are no results", async () => {
      const { page, problems, input } = await openSearch(served, mode);
      await input.fill(NONSENSE);
      assert.equal(await waitForStatus(page, /^No results/), `No results for “${NONSENSE}”`);
      assert.equal(await page.locator(".search-result").count(), 0);
      assert.deepEqual(problems, []);
      await page.close();
    });

    test("more results come ten at a time, and the first new one takes the focus", async () => {
      const { page, problems, input } = await openSearch(served, mode);
      await input.fill(COMMON + " ");
      const all = resultCount(await waitForStatus(page, /^\d+ results? for “/));
      assert.ok(all > 10, `“${COMMON}” found only ${all} results`);
      const results = page.locator(".search-result");
      assert.equal(await results.count(), 10);
      await page.locator("#search button", { hasText: "Show more results" }).click();
      await page.waitForFunction(() => document.querySelectorAll(".search-result").length > 10);
      assert.equal(await results.count(), Math.min(20, all));
      assert.equal(await page.evaluate(() => document.activeElement.closest(".search-result") === document.querySelectorAll(".search-result")[10]), true);
      assert.deepEqual(problems, []);
      await page.close();
    });

    for (const colorScheme of ["light", "dark"]) {
      test(`the search page with results and filters passes axe (${colorScheme} scheme)`, async () => {
        const { page, problems, input } = await openSearch(served, mode);
        await page.emulateMedia({ colorScheme });
        await input.fill(COMMON + " ");
        await waitForStatus(page, /^\d+ results? for “/);
        await page.getByRole("group", { name: "Kind" }).getByRole("checkbox", { name: /^provision \(\d+\)$/ }).check();
        await waitForStatus(page, /with the chosen filters$/);
        // Excerpts come from the result pages, after the titles: wait for every one.
        await page.waitForFunction(() => [...document.querySelectorAll(".search-result")].every((r) => r.querySelector(".search-excerpt")));
        assert.ok(await page.locator(".search-result mark").count(), "no marked words to check the contrast of");
        const violations = await axeViolations(page);
        assert.deepEqual(violations, [], `axe found:\n${violations.join("\n")}`);
        assert.deepEqual(problems, []);
        await page.close();
      });
    }
  });
}
