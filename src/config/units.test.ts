import { expect, test } from "vitest";
import { formatBytes, parseDurationMs, parseListen, parseSizeBytes } from "./units.js";

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

test.each([
  [33_554_432, "32 MiB"],
  [16 * 1024 * 1024, "16 MiB"],
  [1024 ** 3, "1 GiB"],
  [2048, "2 KiB"],
  [512_000, "500 KiB"],
  [500_000, "500 KB"],
  [1_000_000, "1 MB"],
  [1536 * 1024 + 1, "1.5 MiB"],
  [1025, "1 KiB"],
  [1000, "1 KB"],
  [999, "999 bytes"],
  [1, "1 byte"],
  [0, "0 bytes"],
])("formatBytes(%j) -> %j", (bytes, expected) => {
  expect(formatBytes(bytes)).toBe(expected);
});

test.each(["32MiB", "500KB", "1GiB", "2048", "999"])(
  "formatBytes reads back through parseSizeBytes: %s",
  (size) => {
    const bytes = parseSizeBytes(size) as number;
    expect(parseSizeBytes(formatBytes(bytes).replace(/ bytes?$/, ""))).toBe(bytes);
  },
);
