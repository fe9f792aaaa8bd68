// The directive table `simulate --help` prints lists only directives the parser understands, each once.

import { expect, test } from "vitest";
import { DIRECTIVE_HELP, parseDirectives } from "./directives.js";

test.each(DIRECTIVE_HELP.map(([syntax]) => [syntax]))("%s parses to a directive", (syntax) => {
  const directives = parseDirectives(`hello ${syntax.replace("=N", "=2")}`);
  expect(Object.keys(directives).length).toBe(1);
});

test("no directive is listed twice", () => {
  const names = DIRECTIVE_HELP.map(([syntax]) => syntax);
  expect(new Set(names).size).toBe(names.length);
});
