import { expect, test } from "vitest";
import { exceedsDepth } from "./json-depth.js";

const bytes = (s: string) => Buffer.from(s);

test.each([
  ['{"a":[1,{"b":2}]}', 3, false],
  ['{"a":[1,{"b":2}]}', 2, true],
  ['{"a":"[[[[[[[[[["}', 1, false],
  ['{"a":"\\"[[[["}', 1, false],
  ["[".repeat(100) + "]".repeat(100), 64, true],
  ["[".repeat(64) + "]".repeat(64), 64, false],
  ['"just a string"', 1, false],
])("%s with max %i -> %s", (text, max, expected) => {
  expect(exceedsDepth(bytes(text), max)).toBe(expected);
});
