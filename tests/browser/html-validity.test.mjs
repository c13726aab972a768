// The Nu HTML Checker (vnu.jar from the vnu-jar package, run with the machine's Java) on
// every HTML file of the built site, in the sub-path and relative modes: zero errors.
// Its JSON report is kept as an artefact.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { artifactDir, serveBuiltSite } from "./lib/site.mjs";

const vnuJar = createRequire(import.meta.url).resolve("vnu-jar/build/dist/vnu.jar");
const java = process.env.JAVA || "java";

for (const mode of ["subpath", "relative"]) describe(`site published at ${mode}`, () => {
  let served;
  before(async () => {
    served = await serveBuiltSite(mode);
  });
  after(async () => {
    await served?.close();
  });

  test(`every page is valid HTML (${mode})`, () => {
    const run = spawnSync(java, ["-jar", vnuJar, "--errors-only", "--format", "json", "--skip-non-html", served.output], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(run.error, undefined, `cannot run ${java}: ${run.error}`);
    const report = JSON.parse(run.stderr || run.stdout || '{"messages":[]}');
    fs.writeFileSync(path.join(artifactDir("vnu"), `${mode}.json`), JSON.stringify(report, null, 2));
    const errors = report.messages
      .filter((m) => m.type === "error" || m.subType === "fatal")
      .map((m) => `${path.relative(served.output, new URL(m.url).pathname)}:${m.lastLine}:${m.firstColumn ?? m.lastColumn}: ${m.message}\n    ${m.extract ?? ""}`);
    assert.ok(served.pages.length > 0);
    assert.deepEqual(errors, [], `vnu found ${errors.length} errors:\n${errors.join("\n")}`);
  });
});
