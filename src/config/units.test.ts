import { expect, test } from "vitest";
import { parseDurationMs, parseListen, parseSizeBytes } from "./units.js";

test.each([
  ["500ms", 500],
  ["30s", 30_000],
  ["10m", 600_000],
  ["1h30m", 5_400_000],
  ["1.5s", 1500],
  ["45", 45_000],
  [2, 2000],
  ["", undefined],
  ["ten", undefined],
  ["5 m", undefined],
  [-1, undefined],
  [null, undefined],
])("duration %j -> %j", (input, expected) => {
  expect(parseDurationMs(input)).toBe(expected);
});

test.each([
  ["32MiB", 32 * 1024 * 1024],
  ["512KB", 512_000],
  ["1gib", 1024 ** 3],
  ["100", 100],
  [4096, 4096],
  ["1.5KiB", 1536],
  ["lots", undefined],
  [1.5, undefined],
])("size %j -> %j", (input, expected) => {
  expect(parseSizeBytes(input)).toBe(expected);
});

test.each([
  ["127.0.0.1:18789", { host: "127.0.0.1", port: 18789 }],
  ["0.0.0.0:80", { host: "0.0.0.0", port: 80 }],
  ["[::1]:18789", { host: "::1", port: 18789 }],
  [":9000", { host: "127.0.0.1", port: 9000 }],
  ["9000", { host: "127.0.0.1", port: 9000 }],
  ["localhost:0", { host: "localhost", port: 0 }],
  ["host:70000", undefined],
  ["host", undefined],
])("listen %j -> %j", (input, expected) => {
  expect(parseListen(input)).toEqual(expected);
});
