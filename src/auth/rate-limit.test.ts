import { describe, expect, test } from "vitest";
import { parseKeyLimit, RateLimiter } from "./rate-limit.js";

describe("parseKeyLimit", () => {
  test.each([
    ["alice:rpm=60", { name: "alice", limits: { rpm: 60 } }],
    ["alice:rpm=60,tpm=1000", { name: "alice", limits: { rpm: 60, tpm: 1000 } }],
    ["bob: tpm=5", { name: "bob", limits: { tpm: 5 } }],
  ])("%s", (spec, expected) => {
    expect(parseKeyLimit(spec)).toEqual(expected);
  });
  test.each(["alice", "alice:rps=3", "alice:rpm=0", "alice:rpm=1.5"])("%s is refused", (spec) => {
    expect(typeof parseKeyLimit(spec)).toBe("string");
  });
});

describe("RateLimiter", () => {
  test("rpm: bursts up to the limit, then one more per 60/rpm seconds, with Retry-After", () => {
    let now = 0;
    const limiter = new RateLimiter(new Map([["k", { rpm: 3 }]]), () => now);
    expect([limiter.take("k"), limiter.take("k"), limiter.take("k")].every((c) => c.ok)).toBe(true);
    expect(limiter.take("k")).toEqual({ ok: false, limit: "rpm", retryAfterS: 20 });
    now += 19_000;
    expect(limiter.take("k").ok).toBe(false);
    now += 1_000;
    expect(limiter.take("k").ok).toBe(true);
    expect(limiter.take("other").ok).toBe(true);
  });

  test("tpm: tokens are charged after the fact; a spent budget holds the key back until refilled", () => {
    let now = 0;
    const limiter = new RateLimiter(new Map([["k", { tpm: 600 }]]), () => now);
    expect(limiter.take("k").ok).toBe(true);
    limiter.charge("k", 900);
    const check = limiter.take("k");
    expect(check).toMatchObject({ ok: false, limit: "tpm" });
    // 300 tokens overdrawn at 10 tokens/s: 30 s.
    expect(check.ok === false && check.retryAfterS).toBe(30);
    now += 29_000;
    expect(limiter.take("k").ok).toBe(false);
    now += 1_000;
    expect(limiter.take("k").ok).toBe(true);
  });
});
