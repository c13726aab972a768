// The built site in a real browser, published three ways (host root, sub-path, relative
// copy): every page loads without a console error or a failed request, the deadline
// table sorts and filters, the home page's audience chooser leads to the audience's page,
// and screenshots of the key pages are kept as artefacts.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launch, openWatched } from "./lib/browser.mjs";
import { artifactDir, pageKind, pageUrl, serveBuiltSite } from "./lib/site.mjs";

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const mode of ["root", "subpath", "relative"]) {
  describe(`site published at ${mode}`, () => {
    let served;
    before(async () => {
      served = await serveBuiltSite(mode);
    });
    after(async () => {
      await served?.close();
    });

    test("every page loads with no console error and no failed request", async () => {
      const { page, problems } = await openWatched(browser.context);
      const failures = [];
      for (const file of served.pages) {
        problems.length = 0;
        const response = await page.goto(pageUrl(served, file, mode), { waitUntil: "load" });
        if (!response || response.status() !== 200) problems.push(`status ${response?.status()}`);
        if (problems.length) failures.push(`${file}:\n  ${problems.join("\n  ")}`);
      }
      await page.close();
      assert.ok(served.pages.length > 10, `only ${served.pages.length} pages were built`);
      assert.deepEqual(failures, [], `pages with problems:\n${failures.join("\n")}`);
    });

    test("a missing page answers with the site's 404 page, styled", { skip: mode === "relative" && "a relative 404 page cannot know how deep the missing URL is" }, async () => {
      const { page, problems } = await openWatched(browser.context);
      const response = await page.goto(served.url + "no/such/page/");
      assert.equal(response.status(), 404);
      assert.match(await page.title(), /not found/i);
      const background = await page.evaluate(() => getComputedStyle(document.querySelector(".site-header")).display);
      assert.notEqual(background, "inline", "the stylesheet did not load on the 404 page");
      const others = problems.filter((p) => !p.includes("no/such/page"));
      assert.deepEqual(others, []);
      await page.close();
    });

    test("the deadline table sorts by a column and filters by audience", async () => {
      const { page, problems } = await openWatched(browser.context);
      const tableFile = served.pages.find((f) => pageKind(served.output, f) === "deadlines");
      assert.ok(tableFile, "no deadline table page");
      await page.goto(pageUrl(served, tableFile, mode));
      const table = page.locator("table.deadline-table").first();
      const dues = () => table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.due || "9999"));
      const visibleIds = () =>
        table.locator("tbody tr").evaluateAll((rows) => rows.filter((r) => !r.hidden).map((r) => r.id));
      const initial = await dues();
      assert.ok(initial.length >= 2, "the table needs two rows to test sorting");
      assert.deepEqual(initial, [...initial].sort(), "rows start sorted by due date");

      const dueHeader = table.locator("thead th").first();
      assert.equal(await dueHeader.getAttribute("aria-sort"), "ascending");
      await dueHeader.locator("button").click();
      assert.equal(await dueHeader.getAttribute("aria-sort"), "descending");
      assert.deepEqual(await dues(), [...initial].sort().reverse(), "a click on Due sorts descending");

      const actionHeader = table.locator("thead th", { hasText: "Action" });
      await actionHeader.locator("button").click();
      assert.equal(await actionHeader.getAttribute("aria-sort"), "ascending");
      const actions = await table.locator("tbody tr td:nth-child(3)").allTextContents();
      const keys = actions.map((a) => a.trim().toLowerCase());
      assert.deepEqual(keys, [...keys].sort(), "a click on Action sorts by action");

      const select = page.locator("form.table-filters select[data-filter=audiences]");
      assert.ok(await select.isVisible(), "the filter form is shown when the script runs");
      const audiences = await select.locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
      assert.ok(audiences.length > 0, "no audience to filter by");
      let filteredSomething = false;
      for (const audience of audiences) {
        await select.selectOption(audience);
        const expected = await table
          .locator("tbody tr")
          .evaluateAll((rows, a) => rows.filter((r) => r.dataset.audiences.split(" ").includes(a)).map((r) => r.id), audience);
        const visible = await visibleIds();
        assert.deepEqual(visible, expected, `filter by ${audience}`);
        if (visible.length < initial.length) filteredSomething = true;
      }
      assert.ok(filteredSomething, "no audience filter hid any row");
      await select.selectOption("");
      assert.equal((await visibleIds()).length, initial.length, "clearing the filter shows every row");

      await page.goto(pageUrl(served, tableFile, mode) + `?audience=${encodeURIComponent(audiences[0])}`);
      assert.equal(await page.locator("form.table-filters select[data-filter=audiences]").inputValue(), audiences[0]);
      assert.deepEqual(problems, []);
      await page.close();
    });

    test("the audience chooser on the home page leads to each audience's page", async () => {
      const { page, problems } = await openWatched(browser.context);
      const home = pageUrl(served, "index.html", mode);
      await page.goto(home);
      const links = page.locator("section.chooser a");
      const count = await links.count();
      assert.ok(count > 0, "the home page has no audience chooser");
      for (let i = 0; i < count; i++) {
        await page.goto(home);
        const link = page.locator("section.chooser a").nth(i);
        const label = (await link.textContent()).trim();
        await Promise.all([page.waitForEvent("load"), link.click()]);
        assert.equal((await page.locator("main h1").first().textContent()).trim(), label);
        assert.equal(await page.evaluate(() => document.body.className), "kind-audience", `${label} leads to ${page.url()}`);
      }
      assert.deepEqual(problems, []);
      await page.close();
    });

    test("screenshots of the key pages", async () => {
      const dir = artifactDir("screenshots", mode);
      const { page } = await openWatched(browser.context);
      const wanted = ["home", "deadlines", "provision", "audience", "source", "conflicts", "alert", "not-found"];
      const taken = [];
      for (const kind of wanted) {
        const file = served.pages.find((f) => pageKind(served.output, f) === kind);
        if (!file) continue;
        await page.goto(pageUrl(served, file, mode));
        const shot = path.join(dir, `${kind}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        taken.push(kind);
      }
      await page.close();
      assert.ok(taken.includes("home") && taken.includes("deadlines"), `screenshots taken: ${taken}`);
    });
  });
}
