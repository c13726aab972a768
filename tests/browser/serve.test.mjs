// `docket serve` (issue 7) in the browser: an edit to a note reloads the open page with
// the new text; a bad edit shows the error (file:line:col) in an overlay while the last
// good page stays, and the fix clears it. The knowledge base is a temporary copy.
//
// Until the binary has a `serve` command these tests are skipped with a message saying
// so; they switch on by themselves when `docket serve --help` succeeds.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { launch, openWatched } from "./lib/browser.mjs";
import { artifactDir, docketBin, knowledgeBase } from "./lib/site.mjs";

const hasServe = spawnSync(docketBin, ["serve", "--help"], { encoding: "utf8" }).status === 0;
const skip = !hasServe && "the binary has no `serve` command yet: switches on when docket serve (issue 7) lands";

let browser;
let server;
let kb;
let url;

async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts `docket serve` on a copy of the knowledge base and waits for its first answer. */
async function startServe() {
  kb = fs.mkdtempSync(path.join(os.tmpdir(), "docket-serve-"));
  fs.cpSync(path.join(knowledgeBase, "content"), path.join(kb, "content"), { recursive: true });
  fs.copyFileSync(path.join(knowledgeBase, "docket.toml"), path.join(kb, "docket.toml"));
  fs.writeFileSync(path.join(kb, "content/notes/live-reload-probe.md"), "+++\ntitle = \"Live reload probe\"\n+++\n\nFirst version.\n");
  const port = await freePort();
  server = spawn(docketBin, ["serve", "--root", kb, "--port", String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  server.stdout.on("data", (d) => (output += d));
  server.stderr.on("data", (d) => (output += d));
  url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const up = await fetch(url).then((r) => r.ok, () => false);
    if (up) return;
    if (server.exitCode !== null) throw new Error(`docket serve exited: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`docket serve did not answer on ${url}: ${output}`);
}

before(async () => {
  if (skip) return;
  browser = await launch();
  await startServe();
});
after(async () => {
  server?.kill();
  await browser?.close();
  if (kb) fs.rmSync(kb, { recursive: true, force: true });
});

const probe = () => path.join(kb, "content/notes/live-reload-probe.md");
const probeUrl = () => url + "notes/live-reload-probe/";

test("an edit to a note reloads the open page with the new text", { skip }, async () => {
  const { page, problems } = await openWatched(browser.context);
  await page.goto(probeUrl());
  await page.getByText("First version.").first().waitFor();
  fs.writeFileSync(probe(), "+++\ntitle = \"Live reload probe\"\n+++\n\nSecond version.\n");
  await page.getByText("Second version.").first().waitFor({ timeout: 10_000 });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a bad edit shows the error in an overlay, keeps the last good page, and the fix clears it", { skip }, async () => {
  const { page } = await openWatched(browser.context);
  await page.goto(probeUrl());
  fs.writeFileSync(probe(), "+++\ntitle = \"Live reload probe\"\n+++\n\nGood text.\n");
  await page.getByText("Good text.").first().waitFor({ timeout: 10_000 });
  fs.writeFileSync(probe(), "+++\ntitle = \"Live reload probe\"\n+++\n\nGood text.\n\nSee [[no-such-item-anywhere]].\n");
  const overlay = page.getByText(/live-reload-probe\.md:7:\d+/).first();
  await overlay.waitFor({ timeout: 10_000 });
  assert.ok(await page.getByText("no-such-item-anywhere").first().isVisible(), "the overlay names the broken reference");
  assert.ok(await page.getByText("Good text.").first().isVisible(), "the last good page stays under the overlay");
  await page.screenshot({ path: path.join(artifactDir("screenshots", "serve"), "error-overlay.png") });
  // Readable in both schemes: the overlay sets its own colours over the site's styles.
  for (const colorScheme of ["light", "dark"]) {
    await page.emulateMedia({ colorScheme });
    const ratio = await page.evaluate(() => {
      const pre = document.querySelector("#docket-serve-overlay pre");
      const rgb = (value) => value.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const luminance = ([r, g, b]) => {
        const c = [r, g, b].map((v) => v / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
      };
      const style = getComputedStyle(pre);
      let bg = style.backgroundColor;
      if (bg === "rgba(0, 0, 0, 0)" || bg === "transparent") bg = getComputedStyle(pre.parentElement).backgroundColor;
      const [a, b] = [luminance(rgb(style.color)), luminance(rgb(bg))].sort((x, y) => y - x);
      return (a + 0.05) / (b + 0.05);
    });
    assert.ok(ratio >= 4.5, `the overlay text has ${ratio.toFixed(2)}:1 contrast in the ${colorScheme} scheme`);
  }
  await page.emulateMedia({ colorScheme: "light" });
  fs.writeFileSync(probe(), "+++\ntitle = \"Live reload probe\"\n+++\n\nFixed text.\n");
  await page.getByText("Fixed text.").first().waitFor({ timeout: 10_000 });
  assert.equal(await page.getByText(/live-reload-probe\.md:7:\d+/).count(), 0, "the overlay is gone after the fix");
  await page.close();
});

test("the live-reload script is only in serve mode, never in a build", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "docket-build-noreload-"));
  const site = path.join(out, "public");
  spawnSync(docketBin, ["build", "--root", knowledgeBase, "--output", site, "--quiet"], { stdio: "inherit" });
  const offenders = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(html|js)$/.test(entry.name) && /EventSource|new WebSocket/.test(fs.readFileSync(full, "utf8"))) offenders.push(full);
    }
  };
  walk(site);
  fs.rmSync(out, { recursive: true, force: true });
  assert.deepEqual(offenders, []);
});
