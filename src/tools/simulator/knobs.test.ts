// Which values each simulator knob accepts, as flags, environment variables and YAML values give them.

import { describe, expect, test } from "vitest";
import { knobExpectation, knobValue, SIMULATOR_KNOBS, type SimulatorKnob } from "./knobs.js";

const knob = (flag: string): SimulatorKnob => {
  const found = SIMULATOR_KNOBS.find((k) => k.flag === flag);
  if (found === undefined) throw new Error(`no knob ${flag}`);
  return found;
};

describe("knobValue", () => {
  test.each<[string, unknown, number | undefined]>([
    ["decode-tps", "500", 500],
    ["decode-tps", 12.5, 12.5],
    ["decode-tps", "0", undefined],
    ["decode-tps", "fast", undefined],
    ["decode-tps", "", undefined],
    ["decode-tps", "Infinity", undefined],
    ["load-ms", "0", 0],
    ["load-ms", -1, undefined],
    ["jitter", "0.5", 0.5],
    ["jitter", "1.5", undefined],
    ["parallel", "8", 8],
    ["parallel", "2.5", undefined],
    ["parallel", "0", undefined],
    ["parallel", true, undefined],
  ])("%s given %j: %s", (flag, raw, expected) => {
    expect(knobValue(knob(flag), raw)).toBe(expected);
  });
});

describe("knobExpectation", () => {
  test.each([
    ["jitter", "a number >= 0 and <= 1"],
    ["parallel", "an integer >= 1"],
    ["load-ms", "a number >= 0"],
  ])("%s: %s", (flag, expected) => {
    expect(knobExpectation(knob(flag))).toBe(expected);
  });
});
