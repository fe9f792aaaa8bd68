// docs/metrics.md stays what renderMetricsDoc() writes, and what it says matches the code.

import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { CATALOG, PROCESS_METRICS } from "./catalog.js";
import { renderMetricsDoc } from "./docs.js";
import { GatewayMetrics } from "./gateway-metrics.js";
import { DONE_REASONS, doneReasonLabel, METHODS, methodLabel } from "./labels.js";

const DOC = new URL("../../docs/metrics.md", import.meta.url);

/** Every series name a default registry exports, histogram series included. */
function exportedSeries(prefix: string): Set<string> {
  const metrics = new GatewayMetrics({ prefix, version: "test" });
  const names = new Set<string>();
  for (const metric of metrics.registry.getMetricsAsArray() as unknown as { name: string; type: string }[]) {
    names.add(metric.name);
    if (metric.type === "histogram")
      for (const suffix of ["_bucket", "_sum", "_count"]) names.add(`${metric.name}${suffix}`);
  }
  return names;
}

describe("docs/metrics.md", () => {
  // prom-client exports more process metrics on Linux, where the page is generated.
  test.runIf(process.platform === "linux")("is up to date with the catalog", async () => {
    const expected = await renderMetricsDoc();
    const actual = readFileSync(DOC, "utf8");
    expect(
      actual === expected,
      "docs/metrics.md is out of date: run `npm run docs` and commit the result",
    ).toBe(true);
  });

  test("is deterministic", async () => {
    expect(await renderMetricsDoc()).toBe(await renderMetricsDoc());
  });

  test.each(["llmgate", "clawdbot_qwen3_gateway"])(
    "with prefix %s, every metric named in the page is one the gateway exports",
    async (prefix) => {
      const page = await renderMetricsDoc(prefix);
      const exported = exportedSeries(prefix);
      const named = new Set(page.match(new RegExp(`\\b${prefix}_[a-z0-9_]+`, "g")));
      expect(named.size).toBeGreaterThan(Object.keys(CATALOG).length);
      expect([...named].filter((name) => !exported.has(name))).toEqual([]);
      if (prefix !== "llmgate") expect(page).not.toMatch(/\bllmgate_[a-z]/);
    },
  );

  test("every metric of the catalog has its row", async () => {
    const page = await renderMetricsDoc();
    for (const spec of Object.values(CATALOG))
      expect(page).toContain(`| \`llmgate_${spec.name}\` | ${spec.type} |`);
  });

  test("the catalog's process metrics are exported, so their examples are listed", () => {
    const exported = exportedSeries("llmgate");
    for (const p of PROCESS_METRICS) expect(exported, p.name).toContain(`llmgate_${p.name}`);
  });
});

describe("documented label values are what labels.ts produces", () => {
  test.each(METHODS)("method %s is kept", (method) => {
    expect(methodLabel(method)).toBe(method);
  });

  test.each(["TRACE", "CONNECT", "PROPFIND", "get", ""])("method %j is other", (method) => {
    expect(methodLabel(method)).toBe("other");
  });

  test.each(DONE_REASONS)("done reason %s is kept", (reason) => {
    expect(doneReasonLabel(reason)).toBe(reason);
  });
});
