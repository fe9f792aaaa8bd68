// Kit options: defaults, derived values, and errors that name the option as the CLI spells it.

import { describe, expect, test } from "vitest";
import {
  DEFAULT_KIT_OPTIONS,
  KitOptionError,
  type KitOptionsInput,
  promDuration,
  resolveKitOptions,
} from "./options.js";

describe("promDuration", () => {
  test.each([
    [0, "0s"],
    [0.25, "250ms"],
    [1, "1s"],
    [1.5, "1s500ms"],
    [15, "15s"],
    [300, "5m"],
    [5400, "1h30m"],
    [14400, "4h"],
    [90061, "25h1m1s"],
  ])("%d s → %s", (seconds, text) => {
    expect(promDuration(seconds)).toBe(text);
  });
});

describe("resolveKitOptions", () => {
  test("the defaults are valid: prefix llmgate, target 127.0.0.1:18789, scrape 15s, window 5m", () => {
    const o = resolveKitOptions();
    expect(o).toEqual(DEFAULT_KIT_OPTIONS);
    expect(o).toMatchObject({ prefix: "llmgate", targets: ["127.0.0.1:18789"], scrapeIntervalSeconds: 15 });
    expect(o.rateWindowSeconds).toBeGreaterThanOrEqual(4 * o.scrapeIntervalSeconds);
  });

  test("rules are evaluated as often as the gateway is scraped unless told otherwise", () => {
    expect(resolveKitOptions({ scrapeIntervalSeconds: 30 }).evaluationIntervalSeconds).toBe(30);
    expect(
      resolveKitOptions({ scrapeIntervalSeconds: 30, evaluationIntervalSeconds: 60 })
        .evaluationIntervalSeconds,
    ).toBe(60);
  });

  test("thresholds and for: merge with the defaults; undefined values keep them", () => {
    const o = resolveKitOptions({
      thresholds: { errorRatio: 0.02, p95LatencySeconds: undefined },
      forSeconds: { latency: 60 },
    });
    expect(o.thresholds.errorRatio).toBe(0.02);
    expect(o.thresholds.p95LatencySeconds).toBe(30);
    expect(o.forSeconds.latency).toBe(60);
    expect(o.forSeconds["gateway-down"]).toBe(60);
  });

  test.each<[string, KitOptionsInput, string]>([
    ["defaults", {}, "http://127.0.0.1:18789/runbooks/"],
    ["the first target's", { targets: ["10.0.0.5:9464", "10.0.0.6:9464"] }, "http://10.0.0.5:9464/runbooks/"],
    [
      "given, whatever the targets",
      { targets: ["10.0.0.5:9464"], runbookBaseUrl: "https://wiki.example.com/llmgate#" },
      "https://wiki.example.com/llmgate#",
    ],
  ])("runbook base URL: %s", (_, input, expected) => {
    expect(resolveKitOptions(input).runbookBaseUrl).toBe(expected);
  });

  test.each<[string, KitOptionsInput, RegExp]>([
    ["bad prefix", { prefix: "1abc" }, /^--metrics-prefix: /],
    ["prefix with a dash", { prefix: "llm-gate" }, /^--metrics-prefix: /],
    ["job with a quote", { job: 'a"b' }, /^--job: /],
    ["no target", { targets: [] }, /^--target: at least one/],
    ["target without port", { targets: ["localhost"] }, /^--target: expected HOST:PORT/],
    ["port out of range", { targets: ["localhost:70000"] }, /^--target: /],
    ["label named job", { labels: { job: "x" } }, /^--label: job is set by --job/],
    ["label value with a quote", { labels: { env: 'a"' } }, /^--label: bad value/],
    [
      "window under 4 scrapes",
      { scrapeIntervalSeconds: 30, rateWindowSeconds: 60 },
      /^--rate-window: at least 2m/,
    ],
    ["window not a multiple of the scrape", { rateWindowSeconds: 70 }, /^--rate-window: a multiple/],
    ["loads window under 4 scrapes", { modelLoadsWindowSeconds: 30 }, /^--model-loads-window: at least 1m/],
    [
      "scrape slower than 2m",
      { scrapeIntervalSeconds: 300, rateWindowSeconds: 1200 },
      /^--scrape-interval: /,
    ],
    ["ratio of 1", { thresholds: { errorRatio: 1 } }, /^--error-ratio: a ratio/],
    ["ratio of 0", { thresholds: { shedRatio: 0 } }, /^--shed-ratio: a ratio/],
    ["NaN latency", { thresholds: { p95LatencySeconds: Number.NaN } }, /^--p95-latency: /],
    ["fractional loads", { thresholds: { modelLoads: 1.5 } }, /^--model-loads: /],
    ["zero memory", { thresholds: { memoryBytes: 0 } }, /^--memory-bytes: /],
    ["negative minimum", { thresholds: { minRequests: -1 } }, /^--min-requests: /],
    ["for shorter than an evaluation", { forSeconds: { latency: 5 } }, /^--for latency: 0 or at least/],
    ["webhook not http", { webhookUrl: "ftp://x" }, /^--webhook-url: /],
    ["alertmanager without port", { alertmanagers: ["am"] }, /^--alertmanager: /],
    ["relative runbook base", { runbookBaseUrl: "docs/monitoring.md#" }, /^--runbook-base-url: /],
  ])("%s is refused, naming the option", (_, input, message) => {
    expect(() => resolveKitOptions(input)).toThrow(KitOptionError);
    expect(() => resolveKitOptions(input)).toThrow(message);
  });
});
