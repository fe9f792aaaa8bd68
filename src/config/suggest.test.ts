import { describe, expect, test } from "vitest";
import { closest, editDistance } from "./suggest.js";

describe("editDistance", () => {
  test.each([
    ["", "", 0],
    ["abc", "abc", 0],
    ["upsteam", "upstream", 1],
    ["listn", "listen", 1],
    ["lsiten", "listen", 1],
    ["LISTEN", "listen", 0],
    ["kitten", "sitting", 3],
    ["", "abc", 3],
  ])("%s → %s: %i", (a, b, want) => {
    expect(editDistance(a, b)).toBe(want);
    expect(editDistance(b, a)).toBe(want);
  });
});

describe("closest", () => {
  const keys = ["listen", "upstream", "first-byte-timeout", "idle-timeout", "body-limit", "ui"];
  test.each([
    ["upsteam", "upstream"],
    ["first_byte_timeout", "first-byte-timeout"],
    ["first-byte-timout", "first-byte-timeout"],
    ["bodylimit", "body-limit"],
    ["idle_timout", "idle-timeout"],
    ["port", undefined],
    ["host", undefined],
    ["u", "ui"],
    ["x", undefined],
    ["completely-unrelated", undefined],
  ])("%s → %s", (input, want) => {
    expect(closest(input, keys)).toBe(want);
  });

  test("environment variable names", () => {
    expect(closest("LLMGATE_UPSTEAM", ["LLMGATE_UPSTREAM", "LLMGATE_LISTEN"])).toBe("LLMGATE_UPSTREAM");
    expect(closest("LLMGATE_BODY_LIMT", ["LLMGATE_BODY_LIMIT", "LLMGATE_UI"])).toBe("LLMGATE_BODY_LIMIT");
  });
});
