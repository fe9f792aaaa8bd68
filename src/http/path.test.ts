import { expect, test } from "vitest";
import { canonicalPath, encodePath } from "./path.js";

test.each([
  ["/api/chat", "/api/chat"],
  ["/api/%63hat", "/api/chat"],
  ["/v1/models/hf.co%2Fuser%2Frepo:Q4", "/v1/models/hf.co/user/repo:Q4"],
  ["/", "/"],
  ["/api/../v1/chat/completions", undefined],
  ["/api/%2e%2e/v1", undefined],
  ["//api/chat", undefined],
  ["/api//chat", undefined],
  ["/api/%zz", undefined],
  ["/api/%00", undefined],
  ["/api\\chat", undefined],
  ["http://evil/api/chat", undefined],
])("%s -> %s", (raw, expected) => {
  expect(canonicalPath(raw)).toBe(expected);
});

test("encodePath keeps ? and # as path characters", () => {
  expect(encodePath("/api/blobs/sha256:abc")).toBe("/api/blobs/sha256:abc");
  expect(encodePath("/a b?c#d")).toBe("/a%20b%3Fc%23d");
});
