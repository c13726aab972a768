// What the theme's scripts add, and what a reader has without them: link previews
// (static/preview.js) and the copy-citation button (static/docket.js). Sites are served
// under a base path (/kb/), as a knowledge base published in a sub-folder is; previews are
// proven on the all-kinds fixture (a water act) and on the shipped knowledge base.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { launch, openWatched } from "./lib/browser.mjs";
import { artifactDir, asOf, docketBin, repository, serveBuiltSite } from "./lib/site.mjs";

const FIXTURE = path.join(repository, "tests/fixtures/all-kinds");
// A link in the fixture's plain note to the instrument, and one in the shipped comparison
// note to a section of another page.
const PLAIN_NOTE = "notes/deep/plain-note/";
const TO_PAGE = 'main a[href$="/instruments/water-act/"]';
const COMPARISON = "notes/how-the-sources-compare/";
const TO_SECTION = 'main a[href$="/sections/3-b-ii/#where-the-sources-disagree"]';
const TIP = ".link-preview";

let browser;
let fixture;
let shipped;
before(async () => {
  browser = await launch();
  fixture = await serveBuiltSite("subpath", FIXTURE);
  shipped = await serveBuiltSite("subpath");
});
after(async () => {
  await browser?.close();
  await fixture?.close();
  await shipped?.close();
});

/** The whitespace-normalised text of a page's <main>, as a reader of that page sees it. */
async function mainText(url) {
  const page = await browser.context.newPage();
  await page.goto(url);
  const text = (await page.locator("main").innerText()).replace(/\s+/g, " ");
  await page.close();
  return text;
}

function overlaps(a, b) {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe("link previews", () => {
  test("hovering an internal link shows its target's title and opening text beside the link", async () => {
    const { page, problems } = await openWatched(browser.context);
    await page.goto(fixture.url + PLAIN_NOTE);
    const link = page.locator(TO_PAGE);
    const target = await link.evaluate((a) => a.href);
    assert.ok(target.startsWith(fixture.url), `${target} is under the base path ${fixture.url}`);
    await link.hover();
    const tip = page.locator(TIP);
    await tip.waitFor({ state: "visible" });
    assert.equal(await tip.getAttribute("role"), "tooltip");
    assert.equal(await link.getAttribute("aria-describedby"), await tip.getAttribute("id"));

    const shown = (await tip.locator(".link-preview-title").innerText()).trim();
    const text = (await tip.locator(".link-preview-text").innerText()).trim();
    const there = await mainText(target);
    const title = await (async () => {
      const other = await browser.context.newPage();
      await other.goto(target);
      const h1 = (await other.locator("main h1").innerText()).trim();
      await other.close();
      return h1;
    })();
    assert.equal(shown, title, "the target's title");
    assert.ok(text.length > 20, `some of the target's text: "${text}"`);
    assert.ok(there.includes(text.replace(/…$/, "").slice(0, 60)), `"${text}" is the target's own text`);

    const linkBox = await link.boundingBox();
    const tipBox = await tip.boundingBox();
    assert.ok(!overlaps(linkBox, tipBox), "the preview never covers the link");
    await page.screenshot({ path: path.join(artifactDir("enhancements"), "preview-1280.png") });

    // The pointer may move onto the preview (to read it) without it going away.
    await page.mouse.move(tipBox.x + tipBox.width / 2, tipBox.y + tipBox.height / 2, { steps: 4 });
    await page.waitForTimeout(600);
    assert.ok(await tip.isVisible(), "the preview stays while the pointer is on it");
    await page.mouse.move(5, 5);
    await tip.waitFor({ state: "hidden" });
    assert.equal(await link.getAttribute("aria-describedby"), null);
    assert.deepEqual(problems, []);
    await page.close();
  });

  test("a link to a heading of another page previews that section", async () => {
    const page = await browser.context.newPage();
    await page.goto(shipped.url + COMPARISON);
    const link = page.locator(TO_SECTION).first();
    await link.hover();
    const tip = page.locator(TIP);
    await tip.waitFor({ state: "visible" });
    assert.match(await tip.locator(".link-preview-title").innerText(), /^Sec\. 3\(b\)\(ii\).* › Where the sources disagree$/);
    const text = await tip.locator(".link-preview-text").innerText();
    const section = await mainText(shipped.url + "sections/3-b-ii/");
    const start = section.indexOf("Where the sources disagree");
    assert.ok(start >= 0 && section.slice(start).includes(text.replace(/…$/, "").slice(0, 60)), `"${text}" comes from that section`);
    await page.close();
  });

  test("keyboard focus shows the preview and Escape hides it (a narrow window, dark, reduced motion)", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 320, height: 640 });
    await page.emulateMedia({ colorScheme: "dark", reducedMotion: "reduce" });
    await page.goto(fixture.url + PLAIN_NOTE);
    const link = page.locator(TO_PAGE);
    // Tab from the start of the main text, as a keyboard user arrives at the link.
    await page.locator("main").focus();
    for (let presses = 0; presses < 40 && !(await link.evaluate((a) => a === document.activeElement)); presses++) {
      await page.keyboard.press("Tab");
    }
    assert.ok(await link.evaluate((a) => a === document.activeElement), "the link has focus");
    const tip = page.locator(TIP);
    await tip.waitFor({ state: "visible" });
    assert.equal(await link.getAttribute("aria-describedby"), "link-preview");
    const box = await tip.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 320, `the preview fits 320 px: ${JSON.stringify(box)}`);
    const look = await tip.evaluate((t) => {
      const style = getComputedStyle(t);
      return { background: style.backgroundColor, page: getComputedStyle(document.body).backgroundColor, animation: style.animationName };
    });
    assert.equal(look.background, look.page, "the preview takes the dark scheme's background");
    assert.equal(look.animation, "none", "no animation when the reader asks for reduced motion");
    await page.screenshot({ path: path.join(artifactDir("enhancements"), "preview-320-dark.png") });
    await page.keyboard.press("Escape");
    await tip.waitFor({ state: "hidden" });
    assert.equal(await link.getAttribute("aria-describedby"), null, "nothing describes the link once hidden");
    assert.ok(await link.evaluate((a) => a === document.activeElement), "focus stays on the link");
    await page.close();
  });

  test("a page that cannot be fetched shows no preview", async () => {
    const page = await browser.context.newPage();
    await page.goto(fixture.url + PLAIN_NOTE);
    const link = page.locator(TO_PAGE);
    await page.route(await link.evaluate((a) => a.href), (route) => route.abort());
    await link.hover();
    await page.waitForTimeout(1000);
    assert.equal(await page.locator(`${TIP}:not([hidden])`).count(), 0);
    await page.close();
  });

  test("without JavaScript there is no preview and the link leads to its page", async () => {
    const off = await launch({ javaScriptEnabled: false });
    try {
      const page = await off.context.newPage();
      await page.goto(fixture.url + PLAIN_NOTE);
      const link = page.locator(TO_PAGE);
      await link.hover();
      await page.waitForTimeout(800);
      assert.equal(await page.locator(TIP).count(), 0, "no preview element");
      const target = await link.getAttribute("href");
      await link.click();
      await page.waitForURL((url) => url.pathname === target);
      assert.match(await page.locator("main h1").innerText(), /\S/);
    } finally {
      await off.close();
    }
  });

  test("on a touch screen there is no preview", async () => {
    const phone = await launch({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
    try {
      const page = await phone.context.newPage();
      await page.goto(fixture.url + PLAIN_NOTE);
      assert.ok(await page.evaluate(() => matchMedia("(hover: none)").matches), "the emulated phone has no hover");
      const link = page.locator(TO_PAGE);
      await link.hover();
      await link.focus();
      await page.waitForTimeout(800);
      assert.equal(await page.locator(TIP).count(), 0, "no preview element");
    } finally {
      await phone.close();
    }
  });

  test("from file:// (no fetch) nothing shows and nothing is logged", async () => {
    const output = fs.mkdtempSync(path.join(os.tmpdir(), "docket-previews-"));
    try {
      execFileSync(docketBin, ["build", "--root", FIXTURE, "--output", output, "--as-of", asOf, "--relative", "--quiet"], {
        stdio: ["ignore", "inherit", "inherit"],
      });
      const { page, problems } = await openWatched(browser.context);
      await page.goto(pathToFileURL(path.join(output, PLAIN_NOTE, "index.html")).href);
      await page.locator('main a[href$="instruments/water-act/index.html"]').hover();
      await page.waitForTimeout(800);
      assert.equal(await page.locator(TIP).count(), 0);
      assert.deepEqual(problems, []);
      await page.close();
    } finally {
      fs.rmSync(output, { recursive: true, force: true });
    }
  });
});

describe("copy citation in a browser", () => {
  test("without JavaScript the citation is there as text and no button", async () => {
    const off = await launch({ javaScriptEnabled: false });
    try {
      const page = await off.context.newPage();
      await page.goto(shipped.url + "sections/2-d/");
      const text = page.locator(".cite-text");
      assert.ok(await text.isVisible(), "the citation shows");
      assert.match(await text.innerText(), new RegExp(`${shipped.url}sections/2-d/`));
      assert.equal(await page.locator("button.copy-citation").count(), 0, "no button that would do nothing");
    } finally {
      await off.close();
    }
  });
});
