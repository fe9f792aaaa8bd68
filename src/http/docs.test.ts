// docs/routes.md stays what renderRoutesDoc() writes, with a row for every route of the table.

import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { renderRoutesDoc } from "./docs.js";
import { ROUTES } from "./route-table.js";

const DOC = new URL("../../docs/routes.md", import.meta.url);

test("docs/routes.md is up to date with the route table", () => {
  expect(
    readFileSync(DOC, "utf8") === renderRoutesDoc(),
    "docs/routes.md is out of date: run `npm run docs` and commit the result",
  ).toBe(true);
});

test.each(ROUTES.map((r) => [r.name, r] as const))("%s has its row with its auth and traffic", (name, r) => {
  expect(renderRoutesDoc()).toMatch(
    new RegExp(
      `^\\| \`${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\` \\|.*\\| \`${r.auth}\` \\| \`${r.traffic}\` \\|`,
      "m",
    ),
  );
});
