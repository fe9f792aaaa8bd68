// The dashboard JSON: variables, a unit on every panel, refIds, $__rate_interval, exemplars, the seed's panels.

import { describe, expect, test } from "vitest";
import { buildDashboard, dashboardFile } from "./grafana-dashboard.js";
import { recorded } from "./names.js";
import { resolveKitOptions } from "./options.js";

interface Target {
  expr: string;
  refId?: string;
  datasource?: { uid?: string };
  exemplar?: boolean;
}
interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  fieldConfig?: { defaults?: { unit?: string } };
  gridPos?: { w: number; h: number };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { name: string; type: string; query?: unknown; allValue?: string }[] };
}

/** Grafana's reference to the dashboard's data source variable. */
const DATASOURCE_VAR = ["$", "{datasource}"].join("");
const o = resolveKitOptions();
const dashboard = buildDashboard(o).build() as unknown as Dashboard;
const panels = dashboard.panels.filter((p) => p.type !== "row");

describe("the dashboard", () => {
  test("is the plain v1 JSON that file provisioning loads, with a stable uid", () => {
    expect(JSON.parse(dashboardFile(o))).toEqual(JSON.parse(JSON.stringify(dashboard)));
    expect(dashboard).toMatchObject({ uid: "llmgate", title: "llmgate", schemaVersion: 42 });
    expect(buildDashboard(resolveKitOptions({ prefix: "clawdbot_qwen3_gateway" })).build().uid).toBe(
      "llmgate-clawdbot_qwen3_gateway",
    );
  });

  test("has variables for the data source, job, instance and model", () => {
    expect(dashboard.templating.list.map((v) => [v.name, v.type])).toEqual([
      ["datasource", "datasource"],
      ["job", "query"],
      ["instance", "query"],
      ["model", "query"],
    ]);
  });

  test("has the seed tutorial's panels and the LLM ones", () => {
    const titles = panels.map((p) => p.title);
    for (const title of [
      "Request rate by route",
      "Success ratio",
      "P95 latency by status code",
      "Connections, requests in flight and queue",
      "Request size distribution",
      "Errors by status code and route",
      "Time to first token by model",
      "Tokens per second",
      "Prefill, decode and load time (P95)",
      "Stream outcomes",
      "Model memory: total and VRAM",
      "Upstream health",
      "Gateway overhead",
      "Process CPU",
      "Process memory",
    ])
      expect(titles).toContain(title);
    expect(panels.length).toBeGreaterThanOrEqual(30);
  });

  test.each(panels.map((p) => [p.title, p] as const))(
    "%s: unit, data source, refIds, filters",
    (_, panel) => {
      expect(panel.fieldConfig?.defaults?.unit, "unit").toMatch(/\S/);
      expect(panel.datasource?.uid).toBe(DATASOURCE_VAR);
      expect(panel.gridPos?.w).toBeGreaterThan(0);
      const targets = panel.targets ?? [];
      expect(targets.length).toBeGreaterThan(0);
      expect(new Set(targets.map((t) => t.refId)).size).toBe(targets.length);
      for (const t of targets) {
        expect(t.refId).toMatch(/^[A-Z]$/);
        expect(t.datasource?.uid).toBe(DATASOURCE_VAR);
        // Every range is Grafana's rate interval, never a fixed window that breaks at other scrape intervals.
        const code = t.expr.replace(/"[^"]*"/g, '""');
        for (const range of code.matchAll(/\[([^\]]+)\]/g)) expect(range[1]).toBe("$__rate_interval");
        // Every selector filters by the job and instance variables.
        for (const selector of t.expr.matchAll(/[a-z_:]+\{([^}]*)\}/g)) {
          expect(selector[1]).toContain('job=~"$job"');
          expect(selector[1]).toContain('instance=~"$instance"');
        }
      }
    },
  );

  test("latency and time-to-first-token panels ask for exemplars", () => {
    const withExemplars = panels.filter((p) => p.targets?.some((t) => t.exemplar)).map((p) => p.title);
    expect(withExemplars).toEqual(["P95 latency by status code", "Time to first token by model"]);
  });

  test("the alert row reads the recording rules the alerts read", () => {
    const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).join("\n");
    const r = recorded(o);
    for (const name of [r.errorRatio, r.latencyP95, r.ttftP95, r.streamFailureRatio, r.shedRatio])
      expect(exprs).toContain(`${name}{`);
  });

  test("the prefix reaches every query", () => {
    const seed = buildDashboard(resolveKitOptions({ prefix: "clawdbot_qwen3_gateway" })).build();
    const text = JSON.stringify(seed);
    expect(text).not.toMatch(/llmgate_/);
    expect(text).toContain("clawdbot_qwen3_gateway_time_to_first_token_seconds_bucket");
  });
});
