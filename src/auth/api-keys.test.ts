import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { KeyRing, parseApiKey } from "./api-keys.js";

const hex = (s: string) => createHash("sha256").update(s).digest("hex");

describe("parseApiKey", () => {
  test.each([
    ["alice=correct horse", "alice"],
    [`bob=sha256:${hex("battery staple")}`, "bob"],
    ["ci.bot@team=12345678", "ci.bot@team"],
  ])("%s", (spec, name) => {
    expect(parseApiKey(spec)).toMatchObject({ name });
  });

  test.each([
    ["noequals", /NAME=SECRET/],
    ["=secret123", /NAME=SECRET/],
    ["bad name=secret123", /key name "bad name"/],
    ["a=short", /at least 8 characters/],
    ["a=sha256:abc", /64 hex digits/],
  ])("%s is refused: %s", (spec, message) => {
    const result = parseApiKey(spec);
    expect(typeof result).toBe("string");
    expect(result).toMatch(message);
    expect(result).not.toContain("secret123");
  });
});

describe("KeyRing", () => {
  const ring = new KeyRing([
    parseApiKey("alice=correct horse") as never,
    parseApiKey(`bob=sha256:${hex("battery staple")}`) as never,
  ]);

  test.each([
    [{ authorization: "Bearer correct horse" }, { ok: true, name: "alice" }],
    [{ authorization: "bearer battery staple" }, { ok: true, name: "bob" }],
    [{ "x-api-key": "battery staple" }, { ok: true, name: "bob" }],
    [{}, { ok: false, code: "missing_api_key" }],
    [{ authorization: "Basic abc" }, { ok: false, code: "missing_api_key" }],
    [{ authorization: "Bearer wrong" }, { ok: false, code: "invalid_api_key" }],
    [{ authorization: "Bearer correct hors" }, { ok: false, code: "invalid_api_key" }],
  ])("%j -> %j", (headers, expected) => {
    expect(ring.authenticate(headers)).toEqual(expected);
  });

  test("a name configured twice is refused; no keys means disabled", () => {
    expect(
      () => new KeyRing([parseApiKey("a=12345678") as never, parseApiKey("a=87654321") as never]),
    ).toThrow(/twice/);
    expect(new KeyRing([]).enabled).toBe(false);
    expect(ring.enabled).toBe(true);
  });
});
