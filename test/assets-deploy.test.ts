// deploy/ holds the kit for the defaults; this fails when it is stale, and says how to regenerate it.

import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { expect, test } from "vitest";
import { generateKit } from "../src/tools/kit/kit.js";
import { resolveKitOptions } from "../src/tools/kit/options.js";

const DEPLOY = join(import.meta.dirname, "..", "deploy");
const REGENERATE = "npm run build && node dist/cli.js assets --out deploy --force";

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(DEPLOY, join(e.parentPath, e.name)));
}

test("deploy/ is exactly what `llmgate assets` generates with the defaults", async () => {
  const kit = generateKit(resolveKitOptions());
  const stale: string[] = [];
  for (const file of kit) {
    const current = await readFile(join(DEPLOY, file.path), "utf8").catch(() => undefined);
    if (current === undefined) stale.push(`${file.path} (missing)`);
    else if (current !== file.content) stale.push(`${file.path} (differs)`);
  }
  const expected = new Set(kit.map((f) => f.path));
  const extra = (await listFiles(DEPLOY)).filter((path) => !expected.has(path));
  expect(stale, `deploy/ is stale; regenerate it: ${REGENERATE}`).toEqual([]);
  expect(extra, "files in deploy/ that `llmgate assets` does not write: delete or move them").toEqual([]);
});
