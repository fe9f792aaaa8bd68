// docs/errors.md stays what renderErrorsDoc() writes, with a row for every code of the table.

import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { renderErrorsDoc } from "./docs.js";
import { ERROR_CODES, ERROR_SPEC } from "./error-spec.js";

const DOC = new URL("../../docs/errors.md", import.meta.url);

test("docs/errors.md is up to date with the error table", () => {
  expect(
    readFileSync(DOC, "utf8") === renderErrorsDoc(),
    "docs/errors.md is out of date: run `npm run docs` and commit the result",
  ).toBe(true);
});

test.each(ERROR_CODES)("%s has its row with status and type", (code) => {
  const spec = ERROR_SPEC[code];
  expect(renderErrorsDoc()).toContain(`| \`${code}\` | \`${spec.status}\` | \`${spec.type}\` |`);
});

test("the pass-through rule and the headers are written out", () => {
  const page = renderErrorsDoc();
  const row = (code: string) => page.split("\n").find((l) => l.startsWith(`| \`${code}\` |`));
  expect(row("upstream_http_error")).toContain("`rejected` for a 4xx other than 429, else `upstream_error`");
  expect(row("shutting_down")).toContain("`Connection: close`, `Retry-After: 5`");
  expect(row("missing_api_key")).toContain("`WWW-Authenticate: Bearer`");
  expect(row("queue_full")).toContain("| `queue_full` |");
});
