// The rules as data: every alert complete and linked to its runbook, windows the scrape interval supports, and
// only series that the gateway really exports.

import { describe, expect, test } from "vitest";
import { GatewayMetrics } from "../../metrics/gateway-metrics.js";
import { alertRules, runbookLink } from "./alert-rules.js";
import { kitExpressions } from "./expressions.js";
import { recorded } from "./names.js";
import { ALERT_KEYS, type KitOptions, resolveKitOptions } from "./options.js";
import { recordingRules } from "./recording-rules.js";

const SEED = resolveKitOptions({ prefix: "clawdbot_qwen3_gateway", job: "qwen3-gateway" });
const KITS: [string, KitOptions][] = [
  ["defaults", resolveKitOptions()],
  ["seed prefix", SEED],
  [
    "fast",
    resolveKitOptions({ scrapeIntervalSeconds: 1, rateWindowSeconds: 20, modelLoadsWindowSeconds: 30 }),
  ],
];

/** Names of every series a gateway with this prefix exports (histograms as _bucket, _count and _sum). */
function exportedSeries(prefix: string): Set<string> {
  const metrics = new GatewayMetrics({ prefix, version: "test" });
  const names = new Set<string>(["up"]);
  for (const m of metrics.registry.getMetricsAsArray()) {
    const { name, type } = m as unknown as { name: string; type: string };
    if (type === "histogram") for (const s of ["_bucket", "_count", "_sum"]) names.add(`${name}${s}`);
    else names.add(name);
  }
  return names;
}

/** Metric names in a PromQL expression: identifiers that are neither functions, keywords nor label names. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, '""')
    .replace(/\{[^}]*\}/g, "{}")
    .replace(/\b(by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)/g, "")
    .replace(/\[[^\]]*\]/g, "[]")
    .replace(/(?<![a-zA-Z0-9_:.])\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi, "0");
  const identifiers = bare.match(/[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\()(?![a-zA-Z0-9_:])/g) ?? [];
  const keywords = new Set(["and", "or", "unless", "bool", "offset", "inf", "nan"]);
  return identifiers.filter((n) => !keywords.has(n.toLowerCase()));
}

describe.each(KITS)("%s kit", (_, o) => {
  const alerts = alertRules(o);

  test("one alert per key, with severity, summary, description and a runbook link", () => {
    expect(alerts.map((a) => a.key)).toEqual([...ALERT_KEYS]);
    for (const a of alerts) {
      expect(["critical", "warning"]).toContain(a.labels.severity);
      expect(a.annotations.summary.length).toBeGreaterThan(10);
      expect(a.annotations.runbook_url).toBe(runbookLink(o, a.alert));
      expect(new URL(a.annotations.runbook_url).protocol).toBe("http:");
      expect(a.annotations.description).toContain(`Runbook: ${a.annotations.runbook_url}`);
    }
  });

  test("every series a rule or panel reads is exported by the gateway, or recorded by the kit", () => {
    const exported = exportedSeries(o.prefix);
    const recordedNames = new Set(recordingRules(o).map((r) => r.record));
    const unknown = kitExpressions(o).flatMap((e) =>
      metricNames(e.expr)
        .filter((n) => !exported.has(n) && !recordedNames.has(n))
        .map((n) => `${e.kind} ${e.name}: ${n}`),
    );
    expect(unknown).toEqual([]);
    // The extraction itself finds names (a regex that matched nothing would pass the check above vacuously).
    expect(metricNames(alerts.find((a) => a.key === "memory-high")?.expr ?? "")).toEqual([
      `${o.prefix}_process_resident_memory_bytes`,
    ]);
  });

  test("every range in the rules spans at least 4 scrape intervals", () => {
    const exprs = [...recordingRules(o).map((r) => r.expr), ...alerts.map((a) => a.expr)];
    const ranges = exprs.flatMap((e) => [...e.matchAll(/\[(\d+)([smh])\]/g)]);
    expect(ranges.length).toBeGreaterThan(5);
    for (const [, n, unit] of ranges) {
      const seconds = Number(n) * ({ s: 1, m: 60, h: 3600 } as Record<string, number>)[unit ?? "s"]!;
      expect(seconds).toBeGreaterThanOrEqual(4 * o.scrapeIntervalSeconds);
    }
  });

  test("rules select the kit's job; recording rules are named level:metric:operations", () => {
    for (const r of recordingRules(o)) {
      expect(r.record).toMatch(/^instance(_model)?:[a-z0-9_]+:[a-z0-9_]+$/);
      expect(r.record).toContain(`:${o.prefix}_`);
      for (const selector of r.expr.matchAll(new RegExp(`${o.prefix}_[a-z_]+\\{([^}]*)\\}`, "g")))
        expect(selector[1]).toContain(`job="${o.job}"`);
    }
  });

  test("the alerts read the recording rules (shared with the dashboard)", () => {
    const r = recorded(o);
    const read = alerts.map((a) => a.expr).join("\n");
    for (const name of [
      r.errorRatio,
      r.latencyP95,
      r.ttftP95,
      r.streamFailureRatio,
      r.shedRatio,
      r.requestsRate,
    ])
      expect(read).toContain(name);
  });
});

describe("runbookLink", () => {
  test.each([
    ["http://10.0.0.5:18789/runbooks/", "http://10.0.0.5:18789/runbooks/LlmgateDown"],
    ["https://wiki.example.com/llmgate", "https://wiki.example.com/llmgate/LlmgateDown"],
    [
      "https://git.example.com/llmgate/RUNBOOKS.md#",
      "https://git.example.com/llmgate/RUNBOOKS.md#llmgatedown",
    ],
  ])("base %s → %s", (runbookBaseUrl, link) => {
    expect(runbookLink({ runbookBaseUrl }, "LlmgateDown")).toBe(link);
  });
});
