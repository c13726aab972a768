// What a reader on a phone sees: no page of the shipped site or of a differently shaped
// fixture is wider than a 320 px screen (wide tables scroll inside their own box), and the
// e-mail version of an alert fits a 600 px mail layout. Built with relative URLs and
// opened from file://, the way a copied site is read.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./lib/browser.mjs";
import { artifactDir, asOf, docketBin, htmlPages, knowledgeBase, repository } from "./lib/site.mjs";

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
      await page.close();
    });
  });
}
