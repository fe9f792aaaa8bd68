// Go duration parsing and Ollama's keep_alive decoding.

import { describe, expect, test } from "vitest";
import { decodeKeepAlive, parseGoDuration } from "./go-duration.js";

describe("parseGoDuration", () => {
  test.each([
    ["5m", 300e9],
    ["1h30m", 5400e9],
    ["1.5s", 1.5e9],
    ["200ms", 200e6],
    ["-1s", -1e9],
    ["0", 0],
    ["10µs", 10e3],
  ])("%s = %d ns", (input, ns) => {
    expect(parseGoDuration(input)).toEqual({ ns });
  });

  test.each([
    ["300", 'time: missing unit in duration "300"'],
    ["5x", 'time: unknown unit "x" in duration "5x"'],
    ["abc", 'time: invalid duration "abc"'],
    ["", 'time: invalid duration ""'],
  ])("%j fails with Go's message", (input, error) => {
    expect(parseGoDuration(input)).toEqual({ error });
  });
});

describe("decodeKeepAlive", () => {
  test.each([
    [60, 60_000],
    [0, 0],
    [-1, Number.POSITIVE_INFINITY],
    ["30s", 30_000],
    ["-5m", Number.POSITIVE_INFINITY],
  ])("%j is %d ms", (input, ms) => {
    expect(decodeKeepAlive(input)).toEqual({ value: ms });
  });

  test.each([
    [true, "Unsupported type: 'bool'"],
    [[1], "Unsupported type: '[]interface {}'"],
    [{}, "Unsupported type: 'map[string]interface {}'"],
  ])("%j is refused", (input, error) => {
    expect(decodeKeepAlive(input)).toEqual({ error });
  });
});
