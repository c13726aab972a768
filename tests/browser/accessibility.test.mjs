// axe-core in Chromium on every page of the built site: no serious or critical
// violation (WCAG 2.2 AA rules and axe's best practices), in the light colour scheme on
// every page and in the dark one on one page of each kind. Each violation is reported
// with its page, rule, the offending elements and axe's help text.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { launch } from "./lib/browser.mjs";
import { artifactDir, pageKind, pageUrl, serveBuiltSite } from "./lib/site.mjs";

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const BLOCKING = new Set(["serious", "critical"]);
/** Page kinds the issue names; each must be present in the build and checked. */
const EXPECTED_KINDS = ["home", "provision", "source", "deadline", "audience", "agency", "term", "alert", "note", "index", "deadlines", "conflicts", "not-found", "instrument"];

let browser;
let served;
before(async () => {
  browser = await launch();
  served = await serveBuiltSite("subpath");
});
after(async () => {
  await served?.close();
  await browser?.close();
});

async function audit(page, url) {
  await page.goto(url, { waitUntil: "load" });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"], runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] } }),
  );
  return result.violations
    .filter((v) => BLOCKING.has(v.impact))
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n      ${v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} — ${n.failureSummary.replace(/\n/g, " ")}`).join("\n      ")}`);
}

async function auditAll(colorScheme, files) {
  const page = await browser.context.newPage();
  await page.emulateMedia({ colorScheme });
  const report = [];
  for (const file of files) {
    const violations = await audit(page, pageUrl(served, file, "subpath"));
    if (violations.length) report.push(`${file}:\n    ${violations.join("\n    ")}`);
  }
  await page.close();
  fs.writeFileSync(path.join(artifactDir("axe"), `${colorScheme}.txt`), report.join("\n") || "no serious or critical violations\n");
  return report;
}

test("every page kind the site needs is built", () => {
  const kinds = new Set(served.pages.map((f) => pageKind(served.output, f)));
  const missing = EXPECTED_KINDS.filter((k) => !kinds.has(k));
  assert.deepEqual(missing, [], `no page of kind ${missing} to audit`);
});

test("no serious or critical axe violation on any page (light scheme)", async () => {
  const report = await auditAll("light", served.pages);
  assert.deepEqual(report, [], `axe found:\n${report.join("\n")}`);
});

test("no serious or critical axe violation on one page of each kind (dark scheme)", async () => {
  const byKind = new Map();
  for (const file of served.pages) {
    const kind = pageKind(served.output, file);
    if (!byKind.has(kind)) byKind.set(kind, file);
  }
  const report = await auditAll("dark", [...byKind.values()]);
  assert.deepEqual(report, [], `axe found:\n${report.join("\n")}`);
});
