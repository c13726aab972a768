// Builds the knowledge base with the docket binary and serves it, in one of the three
// ways a site is published: at the root of a host, under a sub-path (`--base-url
// .../kb/`), or with relative URLs copied into an arbitrary folder.
//
// Environment (all optional; `tests/docket/browser.rs` sets them):
//   DOCKET_BIN        the docket binary            (default: ../../target/debug/docket)
//   DOCKET_ROOT       the knowledge base to build  (default: the repository root)
//   DOCKET_ARTIFACTS  screenshots and reports       (default: ../../target/browser-artifacts)
//   DOCKET_AS_OF      as-of date of the build       (default: 2026-07-15, stable statuses)
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "./server.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
export const repository = path.resolve(here, "../../..");
export const docketBin = process.env.DOCKET_BIN || path.join(repository, "target/debug/docket");
export const knowledgeBase = process.env.DOCKET_ROOT || repository;
export const artifacts = process.env.DOCKET_ARTIFACTS || path.join(repository, "target/browser-artifacts");
export const asOf = process.env.DOCKET_AS_OF || "2026-07-15";

/** The URL prefix each mode is served under. */
export const PREFIXES = { root: "/", subpath: "/kb/", relative: "/copied/anywhere/" };

/**
 * Builds the knowledge base at `root` (default: DOCKET_ROOT) in `mode` into a fresh
 * temporary folder and serves it. Returns { url, origin, prefix, output, pages, close }.
 */
export async function serveBuiltSite(mode = "root", root = knowledgeBase) {
  const prefix = PREFIXES[mode];
  const output = fs.mkdtempSync(path.join(os.tmpdir(), `docket-browser-${mode}-`));
  const site = path.join(output, "public");
  const server = await startServer({ root: () => site, prefix });
  const args = ["build", "--root", root, "--output", site, "--as-of", asOf, "--quiet"];
  if (mode === "relative") {
    args.push("--relative");
  } else {
    args.push("--base-url", server.url);
  }
  execFileSync(docketBin, args, { stdio: ["ignore", "inherit", "inherit"] });
  return {
    ...server,
    prefix,
    output: site,
    pages: htmlPages(site),
    close: async () => {
      await server.close();
      fs.rmSync(output, { recursive: true, force: true });
    },
  };
}

/** Every HTML file of a built site, as paths relative to its root with `/` separators, sorted. */
export function htmlPages(site) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".html")) found.push(path.relative(site, full).split(path.sep).join("/"));
    }
  };
  walk(site);
  return found.sort();
}

/** The URL a browser would use for a page file: folders end in `/` except in relative mode. */
export function pageUrl(served, file, mode) {
  if (mode !== "relative" && file.endsWith("index.html")) {
    return served.url + file.slice(0, -"index.html".length);
  }
  return served.url + file;
}

/** The kind of page a file is, from the `kind-*` class docket puts on <body>. */
export function pageKind(site, file) {
  const html = fs.readFileSync(path.join(site, file), "utf8");
  const match = html.match(/<body class="kind-([a-z0-9-]+)/);
  return match ? match[1] : "unknown";
}

/** A folder for this run's artefacts. */
export function artifactDir(...parts) {
  const dir = path.join(artifacts, ...parts);
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
