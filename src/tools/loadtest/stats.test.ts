import { describe, expect, test } from "vitest";
import type { Sample } from "./request.js";
import { distribution, percentile, streamTokensPerSecond, summarise } from "./stats.js";

describe("percentile (nearest rank)", () => {
  const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
  test.each([
    [0.5, 50],
    [0.95, 95],
    [0.99, 99],
    [1, 100],
    [0, 1],
  ])("q=%s of 1..100 is %s", (q, value) => {
    expect(percentile(sorted, q)).toBe(value);
  });

  test("one value is every percentile; none is NaN", () => {
    expect(distribution([7])).toEqual({ p50: 7, p95: 7, p99: 7, mean: 7, max: 7 });
    expect(distribution([])).toBeNull();
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe("streamTokensPerSecond", () => {
  test.each<[string, Sample, number | undefined]>([
    [
      "stream: tokens after the first over time after the first",
      { startMs: 0, latencyMs: 1100, ttftMs: 100, completionTokens: 51 },
      50,
    ],
    ["whole response: tokens over latency", { startMs: 0, latencyMs: 500, completionTokens: 10 }, 20],
    [
      "one token in a stream tells no speed",
      { startMs: 0, latencyMs: 100, ttftMs: 50, completionTokens: 1 },
      undefined,
    ],
    ["no tokens", { startMs: 0, latencyMs: 100, completionTokens: 0 }, undefined],
  ])("%s", (_name, sample, expected) => {
    expect(streamTokensPerSecond(sample)).toBe(expected);
  });
});

describe("summarise", () => {
  const ok = (latencyMs: number, ttftMs: number): Sample => ({
    startMs: 0,
    latencyMs,
    ttftMs,
    promptTokens: 20,
    completionTokens: 11,
  });
  const samples: Sample[] = [
    ok(1100, 100),
    ok(2100, 100),
    { startMs: 0, latencyMs: 5, error: "http_503", errorMessage: "model is overloaded" },
    { startMs: 0, latencyMs: 5, error: "http_503", errorMessage: "second message" },
    { startMs: 0, latencyMs: 300, error: "stream_error", errorMessage: "boom" },
    { startMs: 0, latencyMs: 1, error: "aborted", errorMessage: "interrupted" },
  ];

  test("counts errors by kind with their first message, leaves interrupted requests out", () => {
    const s = summarise(4, samples, 2000);
    expect(s.requests).toBe(5);
    expect(s.ok).toBe(2);
    expect(s.errors).toEqual({ http_503: 2, stream_error: 1 });
    expect(s.errorExamples).toEqual({ http_503: "model is overloaded", stream_error: "boom" });
  });

  test("latency, TTFT and tokens come from successful requests only", () => {
    const s = summarise(4, samples, 2000);
    expect(s.latencyMs?.p50).toBe(1100);
    expect(s.latencyMs?.max).toBe(2100);
    expect(s.ttftMs?.p95).toBe(100);
    expect(s.completionTokens).toEqual({ total: 22, mean: 11 });
    expect(s.promptTokensMean).toBe(20);
    expect(s.tokensPerSecond.total).toBe(11);
    expect(s.tokensPerSecond.perStream?.max).toBe(10);
    expect(s.tokensPerSecond.perStream?.p50).toBe(5);
    expect(s.requestsPerSecond).toBe(1);
  });

  test("a level where everything failed has no distributions", () => {
    const s = summarise(1, [{ startMs: 0, latencyMs: 3, error: "connect" }], 10);
    expect(s.latencyMs).toBeNull();
    expect(s.ttftMs).toBeNull();
    expect(s.tokensPerSecond).toEqual({ perStream: null, total: 0 });
  });
});
