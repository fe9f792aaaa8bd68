// Proves the Prometheus and promtool test harness against a tiny hand-written target on a loopback port.

import { rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PrometheusInstance, startPrometheus } from "../helpers/prometheus.js";
import { checkMetrics } from "../helpers/promtool.js";

const TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
const OPENMETRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
const TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

// The counter grows by 10 per second of wall time, whoever scrapes it, so rate() has a known answer.
const startedAt = Date.now();
const requests = () => Math.floor((Date.now() - startedAt) / 100);

const textExposition = () => `# HELP demo_requests_total Requests handled by the demo target.
# TYPE demo_requests_total counter
demo_requests_total{code="200"} ${requests()}
# HELP demo_queue_depth Requests waiting for a slot.
# TYPE demo_queue_depth gauge
demo_queue_depth 3
# HELP demo_latency_seconds Request latency.
# TYPE demo_latency_seconds histogram
demo_latency_seconds_bucket{le="0.1"} 1
demo_latency_seconds_bucket{le="1"} 3
demo_latency_seconds_bucket{le="+Inf"} 4
demo_latency_seconds_sum 2.5
demo_latency_seconds_count 4
`;

// OpenMetrics: TYPE/HELP name the family without _total, exemplars after " # ", and a final # EOF.
const openMetricsExposition = () => `# HELP demo_requests Requests handled by the demo target.
# TYPE demo_requests counter
demo_requests_total{code="200"} ${requests()} # {trace_id="${TRACE_ID}"} 1
# HELP demo_queue_depth Requests waiting for a slot.
# TYPE demo_queue_depth gauge
demo_queue_depth 3
# HELP demo_latency_seconds Request latency.
# TYPE demo_latency_seconds histogram
# UNIT demo_latency_seconds seconds
demo_latency_seconds_bucket{le="0.1"} 1 # {trace_id="${TRACE_ID}"} 0.05
demo_latency_seconds_bucket{le="1.0"} 3
demo_latency_seconds_bucket{le="+Inf"} 4
demo_latency_seconds_sum 2.5
demo_latency_seconds_count 4
# EOF
`;

const RULES = `groups:
  - name: demo
    rules:
      - alert: DemoQueueNotEmpty
        expr: demo_queue_depth{job="text"} > 0
        labels: { severity: none }
`;

/** Polls `check` until it returns a value that is not undefined, or fails with `what` after `timeoutMs`. */
async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 5_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function alertNames(alerts: unknown[]): string[] {
  return alerts.map((a) => String((a as { labels?: { alertname?: unknown } }).labels?.alertname));
}

let target: Server;
let targetAddress: string;
let prom: PrometheusInstance | undefined;
let other: PrometheusInstance | undefined;

beforeAll(async () => {
  target = createServer((req, res) => {
    if (req.url === "/metrics") {
      res.writeHead(200, { "Content-Type": TEXT_TYPE }).end(textExposition());
    } else if (req.url === "/metrics/openmetrics") {
      res.writeHead(200, { "Content-Type": OPENMETRICS_TYPE }).end(openMetricsExposition());
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
  targetAddress = `127.0.0.1:${(target.address() as AddressInfo).port}`;
  // Started together: each spends its first ~5 s waiting for Prometheus' discovery manager to hand over targets.
  const [main, second] = await Promise.allSettled([
    startPrometheus({
      scrapeConfigs: [
        { job_name: "text", static_configs: [{ targets: [targetAddress] }] },
        {
          job_name: "openmetrics",
          metrics_path: "/metrics/openmetrics",
          static_configs: [{ targets: [targetAddress] }],
        },
      ],
      files: { "rules/demo.yml": RULES },
      extraArgs: ["--enable-feature=exemplar-storage"],
    }),
    startPrometheus({
      config: `global: { scrape_interval: 500ms }
scrape_configs:
  - job_name: custom
    static_configs: [{ targets: ["${targetAddress}"] }]
`,
    }),
  ]);
  if (main.status === "fulfilled") prom = main.value;
  if (second.status === "fulfilled") other = second.value;
  if (main.status === "rejected") throw main.reason;
  if (second.status === "rejected") throw second.reason;
});

afterAll(async () => {
  await Promise.all([prom?.stop(), other?.stop()]);
  await new Promise((resolve) => target?.close(resolve));
});

function instance(): PrometheusInstance {
  if (!prom) throw new Error("prometheus did not start");
  return prom;
}

describe("prometheus harness", () => {
  test("scrapes both formats: up is 1 for every target", async () => {
    const p = instance();
    await p.waitForTargetsUp();
    const up = await p.query("up");
    expect(up.map((s) => [s.metric.job, s.value]).sort()).toEqual([
      ["openmetrics", 1],
      ["text", 1],
    ]);
  });

  test("rate() returns the counter's known rate after a few scrapes", async () => {
    const p = instance();
    // A window several scrapes wide: with one or two samples in it (scrapes bunched up on a busy machine),
    // Prometheus' extrapolation under-reports, and the known rate would be missed for reasons outside the harness.
    await p.waitForScrapes(8);
    const [rate, ...rest] = await p.query('rate(demo_requests_total{job="text"}[8s])');
    expect(rest).toEqual([]);
    expect(rate?.metric).toMatchObject({ code: "200", job: "text" });
    expect(rate?.value).toBeGreaterThan(5);
    expect(rate?.value).toBeLessThan(15);

    const now = Date.now() / 1000;
    const range = await p.queryRange('demo_queue_depth{job="text"}', now - 3, now, 1);
    expect(range).toHaveLength(1);
    expect(range[0]?.values.length).toBeGreaterThanOrEqual(2);
    expect(range[0]?.values.every((point) => point.value === 3)).toBe(true);
  });

  test("ingests OpenMetrics with exemplars", async () => {
    const p = instance();
    await p.waitForScrapes(1);
    const buckets = await p.query('demo_latency_seconds_bucket{job="openmetrics"}');
    expect(buckets.map((s) => [s.metric.le, s.value]).sort()).toEqual([
      ["+Inf", 4],
      ["0.1", 1],
      ["1.0", 3],
    ]);
    const now = Date.now() / 1000;
    const exemplars = (await p.api("query_exemplars", {
      query: '{__name__=~"demo_requests_total|demo_latency_seconds_bucket", job="openmetrics"}',
      start: now - 60,
      end: now + 1,
    })) as {
      seriesLabels: Record<string, string>;
      exemplars: { labels: Record<string, string>; value: string }[];
    }[];
    const byName = Object.fromEntries(exemplars.map((e) => [e.seriesLabels.__name__, e.exemplars[0]]));
    expect(byName.demo_requests_total).toMatchObject({ labels: { trace_id: TRACE_ID }, value: "1" });
    expect(byName.demo_latency_seconds_bucket).toMatchObject({
      labels: { trace_id: TRACE_ID },
      value: "0.05",
    });
  });

  test("a bad query rejects with Prometheus' error text", async () => {
    await expect(instance().query('rate(demo_requests_total{job="text"})')).rejects.toThrow(
      /bad_data.*expected type range vector in call to function "rate", got instant vector/,
    );
  });

  test("evaluates rule files, and reload() applies changed rules or reports why not", async () => {
    const p = instance();
    const firing = (name: string) => async () => {
      const alerts = await p.alerts();
      return alertNames(alerts).includes(name) ? alerts : undefined;
    };
    await eventually("DemoQueueNotEmpty", firing("DemoQueueNotEmpty"));

    const broken = join(p.configDir, "rules/broken.yml");
    await writeFile(broken, "groups: [ this is not a rule group");
    await expect(p.reload()).rejects.toThrow(/reload failed: HTTP 500.*broken\.yml/s);
    await rm(broken);

    const always =
      "groups:\n  - name: extra\n    rules:\n      - alert: DemoAlways\n        expr: vector(1)\n";
    await writeFile(join(p.configDir, "rules/extra.yml"), always);
    await p.reload();
    await eventually("DemoAlways", firing("DemoAlways"));
  });

  test("a second instance from a complete config runs beside the first", async () => {
    if (!other) throw new Error("second prometheus did not start");
    expect(other.url).not.toBe(instance().url);
    await other.waitForScrapes(2);
    const up = await other.query("up");
    expect(up.map((s) => [s.metric.job, s.value])).toEqual([["custom", 1]]);
  });

  test("start-up failure rejects with Prometheus' log", async () => {
    await expect(startPrometheus({ config: "scrape_configs: [ { job_name: 1 " })).rejects.toThrow(
      /exited during start-up[\s\S]*prometheus log[\s\S]*error loading config/i,
    );
  });
});

describe("promtool check metrics", () => {
  test("passes the good exposition", async () => {
    const result = await checkMetrics(textExposition());
    expect(result).toEqual({ ok: true, exitCode: 0, output: "" });
  });

  test("flags a gauge named *_total with exit code 3", async () => {
    const result = await checkMetrics("# HELP x_total Not a counter.\n# TYPE x_total gauge\nx_total 1\n");
    expect(result.ok).toBe(false);
    expect(result.exitCode).toBe(3);
    expect(result.output).toContain('x_total non-counter metrics should not have "_total" suffix');
  });
});
