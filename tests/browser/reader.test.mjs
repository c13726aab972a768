// What a reader on a phone sees: no page of the shipped site or of a differently shaped
// fixture is wider than a 320 px screen (wide tables scroll inside their own box), and the
// e-mail version of an alert fits a 600 px mail layout. Built with relative URLs and
// opened from file://, the way a copied site is read.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./lib/browser.mjs";
import { artifactDir, asOf, docketBin, htmlPages, knowledgeBase, repository } from "./lib/site.mjs";

const require = createRequire(import.meta.url);
const vnuJar = require.resolve("vnu-jar/build/dist/vnu.jar");
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

const KNOWLEDGE_BASES = [
  ["shipped", knowledgeBase],
  ["all-kinds fixture", path.join(repository, "tests/fixtures/all-kinds")],
];

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const [name, root] of KNOWLEDGE_BASES) {
  describe(`${name} on a phone`, () => {
    let output;
    let pages;
    before(() => {
      output = fs.mkdtempSync(path.join(os.tmpdir(), "docket-reader-"));
      execFileSync(docketBin, ["build", "--root", root, "--output", output, "--as-of", asOf, "--relative", "--quiet"], {
        stdio: ["ignore", "inherit", "inherit"],
      });
      pages = htmlPages(output);
    });
    after(() => fs.rmSync(output, { recursive: true, force: true }));

    test("no page is wider than a 320 px screen", async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 320, height: 640 });
      const wide = [];
      for (const file of pages) {
        await page.goto(pathToFileURL(path.join(output, file)).href);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > 320) wide.push(`${file}: ${width} px`);
      }
      const shot = pages.find((f) => f.startsWith("for/")) || pages[0];
      await page.goto(pathToFileURL(path.join(output, shot)).href);
      await page.screenshot({ path: path.join(artifactDir("reader"), `${name.split(" ")[0]}-320.png`), fullPage: false });
      await page.close();
      assert.ok(pages.length > 10, `only ${pages.length} pages`);
      assert.deepEqual(wide, [], `pages wider than the screen:\n${wide.join("\n")}`);
    });

    test("the timeline is a list of linked deadlines on a phone, the picture on a desktop and on paper", async () => {
      const page = await browser.context.newPage();
      for (const file of ["deadlines/index.html", "index.html"]) {
        await page.setViewportSize({ width: 320, height: 640 });
        await page.goto(pathToFileURL(path.join(output, file)).href);
        if (!(await page.locator("svg.timeline").count())) continue;
        const list = page.locator("ol.timeline-list");
        assert.ok(await list.isVisible(), `${file}: the list shows at 320 px`);
        assert.ok(!(await page.locator("svg.timeline").isVisible()), `${file}: the SVG is hidden at 320 px`);
        const entries = await list.locator("li.timeline-entry").evaluateAll((items) =>
          items.map((li) => ({ date: li.querySelector("time, .timeline-undated")?.textContent, href: li.querySelector("a")?.getAttribute("href"), status: li.querySelector(".status")?.textContent })),
        );
        const rows = await page.locator("table.deadline-table tbody tr").evaluateAll((trs) => trs.map((tr) => tr.querySelector("td a").getAttribute("href")));
        assert.deepEqual(entries.map((e) => e.href), rows, `${file}: one entry per deadline, linked to its page, in date order`);
        for (const entry of entries) assert.ok(entry.date && entry.status, `${file}: ${JSON.stringify(entry)} says its date and status`);
        if (file === "deadlines/index.html") await page.screenshot({ path: path.join(artifactDir("reader"), `${name.split(" ")[0]}-timeline-320.png`), fullPage: true });
        await page.setViewportSize({ width: 1366, height: 900 });
        assert.ok(await page.locator("svg.timeline").isVisible(), `${file}: the SVG shows on a desktop`);
        assert.ok(!(await list.isVisible()), `${file}: the list is hidden on a desktop`);
        await page.setViewportSize({ width: 320, height: 640 });
        await page.emulateMedia({ media: "print" });
        assert.ok(await page.locator("svg.timeline").isVisible(), `${file}: paper gets the SVG`);
        assert.ok(!(await list.isVisible()), `${file}: and not the list too`);
        await page.emulateMedia({ media: "screen" });
      }
      await page.close();
    });

    test("claims read as cards on a phone, each cell named by its column", async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 320, height: 640 });
      let cards = 0;
      for (const file of pages.filter((f) => f.startsWith("sources/") || f.startsWith("sections/"))) {
        await page.goto(pathToFileURL(path.join(output, file)).href);
        const found = await page.evaluate(() => Array.from(document.querySelectorAll("table.claims")).map((t) => ({
          scrolls: t.parentElement.scrollWidth > t.parentElement.clientWidth + 1,
          label: getComputedStyle(t.querySelector("tbody td"), "::before").content,
        })));
        for (const table of found) {
          assert.ok(!table.scrolls, `${file}: a claims table scrolls sideways at 320 px`);
          assert.match(table.label, /^"(Source|About): "$/, `${file}: the first cell is named`);
          cards++;
        }
      }
      await page.close();
      assert.ok(cards > 0, "some page has claims");
    });

    test("wide tables leave the text column on a desktop, and no page is wider than the screen", async () => {
      const page = await browser.context.newPage();
      await page.setViewportSize({ width: 1366, height: 900 });
      let widened = 0;
      const wide = [];
      for (const file of pages) {
        await page.goto(pathToFileURL(path.join(output, file)).href);
        const found = await page.evaluate(() => {
          const column = document.querySelector(".item > header, main > p, main > h1");
          const tables = Array.from(document.querySelectorAll(".item .table-wrap, main > .table-wrap"));
          return {
            scroll: document.documentElement.scrollWidth,
            column: column ? column.getBoundingClientRect().width : 0,
            // A table wider than the column, and one that still scrolls while there is room.
            wider: tables.filter((t) => column && t.getBoundingClientRect().width > column.getBoundingClientRect().width + 1).length,
            cramped: tables.filter((t) => t.scrollWidth > t.clientWidth + 1 && t.getBoundingClientRect().right < window.innerWidth - 200 && !t.querySelector(".matrix")).length,
          };
        });
        if (found.scroll > 1366) wide.push(`${file}: ${found.scroll} px`);
        widened += found.wider;
        assert.equal(found.cramped, 0, `${file}: a table scrolls beside empty space`);
      }
      await page.close();
      assert.deepEqual(wide, [], `pages wider than a 1366 px screen:\n${wide.join("\n")}`);
      assert.ok(widened > 0, "some table is wider than the text column");
    });

    test("the e-mail version of an alert fits a 600 px mail layout and a phone", async () => {
      const emails = pages.filter((f) => f.endsWith("email.html"));
      const page = await browser.context.newPage();
      for (const width of [600, 320]) {
        await page.setViewportSize({ width, height: 800 });
        for (const file of emails) {
          await page.goto(pathToFileURL(path.join(output, file)).href);
          const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(scroll <= width, `${file} is ${scroll} px wide at ${width} px`);
        }
      }
      // Every axe violation counts here, whatever its impact: mail is read in many clients.
      for (const file of emails) {
        await page.goto(pathToFileURL(path.join(output, file)).href);
        await page.addScriptTag({ content: axeSource });
        // eslint-disable-next-line no-undef
        const result = await page.evaluate(async () => axe.run(document, { resultTypes: ["violations"] }));
        assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.help}`), [], `${file}: axe`);
      }
      await page.close();
    });

    test("the e-mail version passes the Nu HTML Checker without a warning", () => {
      const emails = pages.filter((f) => f.endsWith("email.html")).map((f) => path.join(output, f));
      if (!emails.length) return;
      const run = spawnSync(process.env.JAVA || "java", ["-jar", vnuJar, "--format", "json", ...emails], { encoding: "utf8" });
      const messages = JSON.parse(run.stderr || run.stdout || "{\"messages\":[]}").messages;
      assert.deepEqual(messages.map((m) => `${m.type}/${m.subType || ""} ${m.message} (${m.url}:${m.lastLine})`), []);
    });
  });
}

describe("deadline filters", () => {
  let output;
  before(() => {
    output = fs.mkdtempSync(path.join(os.tmpdir(), "docket-filters-"));
    execFileSync(docketBin, ["build", "--root", knowledgeBase, "--output", output, "--as-of", asOf, "--relative", "--quiet"], {
      stdio: ["ignore", "inherit", "inherit"],
    });
  });
  after(() => fs.rmSync(output, { recursive: true, force: true }));
  const table = () => pathToFileURL(path.join(output, "deadlines/index.html")).href;

  test("are hidden without JavaScript, which would leave them doing nothing", async () => {
    const html = fs.readFileSync(path.join(output, "deadlines/index.html"), "utf8");
    assert.match(html, /<form class="table-filters" hidden/);
    const page = await browser.context.newPage();
    await page.goto(table());
    assert.ok(await page.locator("form.table-filters").isVisible(), "the script shows them");
    await page.close();
  });

  test("say when nothing matches, and reset", async () => {
    const page = await browser.context.newPage();
    await page.goto(table());
    const combos = await page.evaluate(() => {
      const rows = Array.from(document.querySelectorAll("table.deadline-table tbody tr"));
      const values = (name) => Array.from(document.querySelectorAll(`select[data-filter=${name}] option`)).map((o) => o.value).filter(Boolean);
      for (const status of values("status")) {
        for (const audience of ["", ...values("audiences")]) {
          const match = rows.some((r) => r.dataset.status === status && (!audience || r.dataset.audiences.split(" ").includes(audience)));
          if (!match) return { status, audience };
        }
      }
      return null;
    });
    assert.ok(combos, "no filter combination leaves the table empty");
    if (combos.audience) await page.selectOption("select[data-filter=audiences]", combos.audience);
    await page.selectOption("select[data-filter=status]", combos.status);
    const empty = page.locator(".filter-empty");
    assert.ok(await empty.isVisible(), "the no-match message shows");
    assert.match(await empty.textContent(), /No deadline matches/);
    await page.click(".filter-reset");
    assert.ok(!(await empty.isVisible()), "the message goes after reset");
    const hidden = await page.locator("table.deadline-table tbody tr[hidden]").count();
    assert.equal(hidden, 0, "every row is back");
    await page.close();
  });

  test("reject an unknown query value visibly", async () => {
    const page = await browser.context.newPage();
    await page.goto(table() + "?audience=no-such-audience");
    const notice = page.locator(".filter-notice");
    assert.ok(await notice.isVisible(), "a notice says the value is unknown");
    assert.match(await notice.textContent(), /no-such-audience/);
    await page.close();
  });
});

describe("copy citation", () => {
  let served;
  before(async () => {
    const { serveBuiltSite } = await import("./lib/site.mjs");
    served = await serveBuiltSite("root");
  });
  after(async () => {
    await served?.close();
  });

  test("is the citation as text without JavaScript", () => {
    const html = fs.readFileSync(path.join(served.output, "sections/2-d/index.html"), "utf8");
    assert.match(html, /<span class="cite-text">[^<]+https?:\/\/[^<]+sections\/2-d\/[^<]*<\/span>/);
    assert.doesNotMatch(html, /class="copy-citation"/, "the button is the script's");
  });

  test("copies the citation with JavaScript", async () => {
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: served.origin });
    const page = await browser.context.newPage();
    await page.goto(served.url + "sections/2-d/");
    const button = page.locator("button.copy-citation");
    assert.ok(await button.isVisible(), "the script adds a copy button");
    await button.click();
    await page.locator(".copy-status", { hasText: "Copied." }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const shown = (await page.locator(".cite-text").textContent()).trim();
    assert.equal(copied, shown);
    await page.close();
  });
});
