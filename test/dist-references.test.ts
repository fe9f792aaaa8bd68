// The package ships dist/ only (package.json "files", plus what npm always adds): nothing in it may point at a
// repository file that an installed package lacks, such as help text naming src/…/README.md, and no test or test
// helper may be compiled into it (those live in test/ or are excluded by tsconfig.build.json). Needs `npm run build`.

import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, test } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const DIST = join(ROOT, "dist");

/** Top-level folders of the repository that the package does not contain (dist/ui exists in dist too). */
const UNSHIPPED = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !["dist", "node_modules", ".git", "ui"].includes(e.name))
  .map((e) => e.name);

/** `src/foo.ts`, `../docs/x.md`: a path into one of those folders, not part of a longer path or URL. */
const REFERENCE = new RegExp(
  `(?<![\\w./-])(?:\\.\\./)*(?:${UNSHIPPED.map((d) => d.replace(".", "\\.")).join("|")})/[\\w./-]*`,
  "g",
);

/**
 * Deliberate exceptions, with why. The docs.js modules render docs/metrics.md, docs/errors.md and docs/routes.md for `npm run docs`
 * in a checkout; the path each names is written into that repository file, never shown to someone running the package.
 */
const ALLOWED: Record<string, readonly string[]> = {
  "metrics/docs.js": ["src/metrics/catalog.ts"],
  "errors/docs.js": ["src/errors/error-spec.ts"],
  "http/docs.js": ["src/http/route-table.ts"],
};

/** A file whose name says it is a test, a helper for tests or a fixture (its source map included). */
const TEST_FILE = /(?:^|[/.-])test\.js(?:\.map)?$|test-helpers|fixture/i;

function isTestFile(path: string): boolean {
  return TEST_FILE.test(path);
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(DIST, join(e.parentPath, e.name)));
}

describe("dist/", () => {
  const all = files(DIST);

  test("the repository's folders are known to the scan", () => {
    expect(UNSHIPPED).toEqual(expect.arrayContaining(["src", "docs", "test", "scripts", "deploy"]));
    expect(all).toContain("cli.js");
  });

  test("code, pages and styles name no file the package does not ship", () => {
    const found: string[] = [];
    for (const file of all.filter((f) => /\.(js|html|css)$/.test(f))) {
      const text = readFileSync(join(DIST, file), "utf8");
      for (const m of text.matchAll(REFERENCE))
        if (!(ALLOWED[file] ?? []).includes(m[0])) found.push(`${file}: ${m[0]}`);
    }
    expect(found, "point these at something shipped, a URL or a command (`llmgate … --help`)").toEqual([]);
  });

  test("no test, test helper or fixture is shipped", () => {
    expect(all.filter(isTestFile), "move these under test/, or name them for what they do").toEqual([]);
  });

  test("source maps carry their sources, so stack traces and debuggers do not need src/", () => {
    const maps = all.filter((f) => f.endsWith(".js.map"));
    expect(maps.length).toBeGreaterThan(10);
    for (const map of maps) {
      const parsed = JSON.parse(readFileSync(join(DIST, map), "utf8")) as {
        sources: string[];
        sourcesContent?: (string | null)[];
      };
      expect(parsed.sourcesContent?.length, map).toBe(parsed.sources.length);
      expect(
        parsed.sourcesContent?.every((s) => typeof s === "string" && s.length > 0),
        map,
      ).toBe(true);
    }
  });

  test("the scan finds a dangling reference when there is one", () => {
    expect("see src/tools/simulator/README.md.".match(REFERENCE)).toEqual(["src/tools/simulator/README.md."]);
    expect("[docs](../docs/monitoring.md)".match(REFERENCE)).toEqual(["../docs/monitoring.md"]);
    expect("https://example.com/docs/x and node_modules/src/y and dist/ui/".match(REFERENCE)).toBeNull();
  });

  test.each([
    ["simulator/chat.test.js", true],
    ["simulator/chat.test.js.map", true],
    ["simulator/test-helpers.js", true],
    ["translate/fixtures/chat.ndjson", true],
    ["upstream/fixture.js", true],
    ["tools/loadtest/request.js", false],
    ["tools/kit/rule-tests.js", false],
    ["cli/loadtest.js", false],
    ["latest.js", false],
  ])("the test-file check calls %s a test file: %s", (path, expected) => {
    expect(isTestFile(path)).toBe(expected);
  });
});
