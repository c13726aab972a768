// The print version of a client alert as a firm would send it: printed to PDF by Chromium
// ("Save as PDF"), its text read back with pdftotext (Debian's poppler-utils). With the
// default theme and with the shipped client-alert theme: no link address inline in the body
// (addresses are numbered notes under "Links"), every note listed, no page ending on a
// heading, table headers that repeat on every page, no near-empty last page. The PDF and
// its pages as PNG land in target/browser-artifacts/print/.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { launch } from "./lib/browser.mjs";
import { artifactDir, knowledgeBase, serveBuiltSite } from "./lib/site.mjs";

/** The shipped knowledge base with `theme = "client-alert"`, in a temporary folder. */
function withClientAlertTheme() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "docket-client-alert-"));
  fs.cpSync(path.join(knowledgeBase, "content"), path.join(root, "content"), { recursive: true });
  fs.cpSync(path.join(knowledgeBase, "themes/client-alert"), path.join(root, "themes/client-alert"), { recursive: true });
  const config = fs.readFileSync(path.join(knowledgeBase, "docket.toml"), "utf8");
  assert.match(config, /^theme = "default"$/m);
  fs.writeFileSync(path.join(root, "docket.toml"), config.replace(/^theme = "default"$/m, 'theme = "client-alert"'));
  return root;
}

const normalise = (text) => text.replace(/\s+/g, " ").trim();

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const theme of ["default", "client-alert"]) {
  describe(`the alert printed to PDF (${theme} theme)`, () => {
    let served;
    let root;
    before(async () => {
      root = theme === "default" ? knowledgeBase : withClientAlertTheme();
      served = await serveBuiltSite("subpath", root);
    });
    after(async () => {
      await served?.close();
      if (root !== knowledgeBase) fs.rmSync(root, { recursive: true, force: true });
    });

    test("lists link addresses as notes, keeps headings with their text and repeats table headers", async () => {
      const prints = served.pages.filter((f) => f.endsWith("/print/index.html"));
      assert.ok(prints.length > 0, "the knowledge base has an alert with a print version");
      const page = await browser.context.newPage();
      for (const file of prints) {
        await page.goto(served.url + file.slice(0, -"index.html".length));
        await page.emulateMedia({ media: "print" });
        const dom = await page.evaluate(() => ({
          headings: Array.from(document.querySelectorAll("h1, h2, h3, caption")).map((h) => h.textContent),
          notes: Array.from(document.querySelectorAll(".endnotes li")).map((li) => li.textContent.trim()),
          refs: document.querySelectorAll(".endnote-ref").length,
          links: document.querySelectorAll(".content a[href^='http'], .item-header a[href^='http']").length,
          theads: Array.from(document.querySelectorAll("thead")).map((t) => getComputedStyle(t).display),
          boxedRows: Array.from(document.querySelectorAll("tr")).filter((r) => getComputedStyle(r).borderTopStyle !== "none").length,
          date: document.querySelector(".item-kind time")?.textContent,
        }));
        const name = `${theme}-${file.split("/").at(-3)}`;
        const pdf = path.join(artifactDir("print"), `${name}.pdf`);
        await page.pdf({ path: pdf, format: "A4" });
        execFileSync("pdftoppm", ["-png", "-r", "60", pdf, path.join(artifactDir("print"), name)]);
        const text = execFileSync("pdftotext", ["-enc", "UTF-8", pdf, "-"], { encoding: "utf8" });

        // The body, up to the "Links" heading of the notes, prints no address.
        const lines = text.split("\n").map((l) => l.trim());
        const linksAt = lines.lastIndexOf("Links");
        assert.ok(linksAt > 0, `${file}: a "Links" list of notes ends the alert`);
        const body = lines.slice(0, linksAt).join("\n");
        const inline = body.match(/(https?:\/\/|mailto:)\S*/g) || [];
        assert.deepEqual(inline, [], `${file}: addresses printed inline`);

        // Every link of the text has a note, and the notes print each address whole.
        assert.ok(dom.links > 0 && dom.refs >= dom.links, `${file}: ${dom.refs} note numbers for ${dom.links} links`);
        assert.ok(dom.notes.length > 0, `${file}: the notes are listed`);
        const notes = lines.slice(linksAt).join("");
        for (const url of dom.notes) assert.ok(notes.includes(url), `${file}: note ${url} is printed`);

        // No page but the last ends on a heading (or on the first line of a wrapped one),
        // and the last page is more than a stray line or two.
        const pages = text.split("\f").map((p) => p.split("\n").map(normalise).filter(Boolean)).filter((p) => p.length);
        const headings = dom.headings.map(normalise);
        for (const [n, pageLines] of pages.slice(0, -1).entries()) {
          const last = pageLines.at(-1);
          const lone = headings.find((h) => h === last || (last.length > 6 && h.startsWith(last)));
          assert.equal(lone, undefined, `${file}: page ${n + 1} of ${pages.length} ends on the heading "${lone}"`);
        }
        assert.ok(pages.at(-1).length >= 3, `${file}: the last page holds only ${JSON.stringify(pages.at(-1))}`);

        // Table headers repeat on each page a table runs onto; rows are not boxed.
        assert.ok(dom.theads.length > 0, `${file}: the alert embeds a deadline table`);
        assert.deepEqual([...new Set(dom.theads)], ["table-header-group"], `${file}: thead display in print`);
        assert.equal(dom.boxedRows, 0, `${file}: table rows drawn with a border of their own`);

        // It speaks as of its own date, as its tables do.
        assert.ok(dom.date, `${file}: the alert is dated`);
        assert.ok(normalise(text).includes(`Status as of ${dom.date}, the alert's date`), `${file}: the as-of line names ${dom.date}`);
      }
      await page.close();
    });
  });
}
