// Tile and chart formatting: spans of time as the tiles name them.

import { expect, test } from "vitest";
import { windowLabel } from "./format.js";

test.each([
  [0, "0 s"],
  [1, "1 s"],
  [45, "45 s"],
  [59, "59 s"],
  [60, "1 min"],
  [300, "5 min"],
  [900, "15 min"],
  [3600, "1 h"],
  [7200, "2 h"],
])("windowLabel(%i) → %s", (seconds, label) => {
  expect(windowLabel(seconds)).toBe(label);
});
