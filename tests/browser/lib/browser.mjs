// Launches Debian's Chromium through playwright-core, headless, with a fresh profile and
// the flags that keep it from reaching for the network this machine does not have, and
// records what a page logs to the console and which requests fail.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
];

/**
 * A persistent context on a fresh user-data-dir; `close()` removes the profile. `options`
 * are further context options: `{ javaScriptEnabled: false }`, a touch phone's
 * `{ hasTouch: true, isMobile: true, viewport }`.
 */
export async function launch(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "docket-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a page and records problems: console errors, uncaught exceptions, failed requests
 * and responses of status 400 or more. `problems` is a list of strings.
 */
export async function openWatched(context) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => {
    if (message.type() !== "error" || outsideTheSite(message.location().url)) return;
    problems.push(`console error: ${message.text()} (at ${message.location().url})`);
  });
  page.on("pageerror", (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A navigation aborts the requests of the page it leaves (often the favicon); a file
    // that is really missing shows as an HTTP status below.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on("response", (response) => {
    if (response.status() === 404 && outsideTheSite(response.url())) return;
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return { page, problems };
}

/**
 * Chromium sometimes asks for /favicon.ico at the host root whatever icon the page links
 * to. A site published under a sub-path does not own that URL (a root build writes one,
 * and tests/docket/hosting.rs checks it), so its 404 is not the site's problem.
 */
function outsideTheSite(url) {
  try {
    return new URL(url).pathname === "/favicon.ico";
  } catch {
    return false;
  }
}
