// The page-budget figures issue 19 asks for, of a site already built:
//   node tests/browser/lib/measure.mjs SITE_DIR
// prints the largest page and any over 150,000 bytes, the pages wider than a 320 px screen,
// and the tables that still scroll in their box at 1366 px (too wide even for the page).
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch } from "./browser.mjs";
import { htmlPages } from "./site.mjs";

const site = path.resolve(process.argv[2] || "public");
const pages = htmlPages(site);
const sizes = pages.map((file) => [file, fs.statSync(path.join(site, file)).size]).sort((a, b) => b[1] - a[1]);
const over = sizes.filter(([, size]) => size > 150_000).map(([file, size]) => `${file} ${size}`);
console.log(`${pages.length} pages; largest ${sizes[0][0]} ${sizes[0][1]} bytes; over 150,000 bytes: ${over.join(", ") || "none"}`);

const browser = await launch();
const page = await browser.context.newPage();
const wide = [];
const scrolling = [];
for (const [width, check] of [[320, "page"], [1366, "tables"]]) {
  await page.setViewportSize({ width, height: 800 });
  for (const file of pages) {
    await page.goto(pathToFileURL(path.join(site, file)).href);
    if (check === "page") {
      const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scroll > width) wide.push(`${file} ${scroll} px`);
    } else {
      const count = await page.evaluate(() => Array.from(document.querySelectorAll(".table-wrap, .content > table")).filter((box) => box.scrollWidth > box.clientWidth + 1).length);
      if (count) scrolling.push(`${file} (${count})`);
    }
  }
}
await browser.close();
console.log(`wider than 320 px at 320 px: ${wide.length}${wide.length ? `\n  ${wide.join("\n  ")}` : ""}`);
console.log(`tables scrolling in their box at 1366 px: ${scrolling.length}${scrolling.length ? `\n  ${scrolling.join("\n  ")}` : ""}`);
