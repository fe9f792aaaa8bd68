// The exposition against the real tools: promtool's lint on a full scrape, and a real Prometheus answering the
// seed tutorial's queries with the seed's prefix, plus exemplars ingested through OpenMetrics.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type PrometheusInstance, startPrometheus } from "../helpers/prometheus.js";
import { checkMetrics } from "../helpers/promtool.js";
import { type Stack, startStack } from "../helpers/stack.js";
import { driveMixedTraffic } from "../helpers/traffic.js";

const SEED = "clawdbot_qwen3_gateway";
const MODEL = "qwen3:32b";

let stack: Stack;
let prometheus: PrometheusInstance;

beforeAll(async () => {
  stack = await startStack({
    sim: { models: [MODEL, "nomic-embed-text"] },
    gateway: { metricsPrefix: SEED, pollIntervalMs: 500 },
  });
  const target = new URL(stack.gateway.url).host;
  prometheus = await startPrometheus({
    extraArgs: ["--enable-feature=exemplar-storage"],
    scrapeConfigs: [
      {
        job_name: "qwen3-gateway",
        metrics_path: "/metrics",
        scheme: "http",
        // The seed put `labels` beside static_configs, where Prometheus rejects them; they belong inside.
        static_configs: [
          { targets: [target], labels: { instance: "qwen3-32b-web-gateway", environment: "production" } },
        ],
      },
    ],
  });
  // Traffic only once Prometheus is scraping, so every rate() window sees the counters increase
  // (a counter that only ever had one value has rate 0, and the seed's ratios turn into 0/0 = NaN).
  // (waitForScrapes counts scrapes since Prometheus started.)
  await prometheus.waitForTargetsUp(20_000);
  await prometheus.waitForScrapes(2, 30_000);
  // Two bursts: a series' first appearance gives rate() nothing to compare, its later increments do.
  await driveMixedTraffic(stack.gateway.url, { chat: MODEL, embed: "nomic-embed-text" });
  await prometheus.waitForScrapes(4, 30_000);
  await driveMixedTraffic(stack.gateway.url, { chat: MODEL, embed: "nomic-embed-text" });
  await stack.gateway.poller.pollNow();
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await stack?.close();
});

describe("promtool check metrics", () => {
  test("a full scrape after mixed traffic has no lint findings, whatever the prefix", async () => {
    for (const accept of ["text/plain", undefined]) {
      const res = await fetch(`${stack.gateway.url}/metrics`, accept ? { headers: { accept } } : {});
      const text = await res.text();
      expect(text).toContain(`${SEED}_time_to_first_token_seconds_bucket`);
      expect(text).toContain(`${SEED}_model_vram_bytes{model="${MODEL}"}`);
      const result = await checkMetrics(text);
      expect(result.output).toBe("");
      expect(result.exitCode).toBe(0);
    }
  });
});

describe("a real Prometheus", () => {
  // Each of the seed's queries (sections 5.2 and 6), verbatim but for `up` in place of probe_success.
  const seedQueries = [
    `rate(${SEED}_requests_total[1m])`,
    `100 * (1 - rate(${SEED}_requests_total{code=~"5.."}[5m]) / rate(${SEED}_requests_total[5m]))`,
    `histogram_quantile(0.95, rate(${SEED}_request_duration_seconds_bucket[5m]))`,
    `${SEED}_queue_length`,
    `100 * (rate(${SEED}_requests_total{code=~"5.."}[5m]) / rate(${SEED}_requests_total[5m]))`,
    `up{job="qwen3-gateway"}`,
  ];

  test("answers every query of the seed tutorial with data, with the seed's prefix", async () => {
    await prometheus.waitForScrapes(7, 30_000);
    for (const expr of seedQueries) {
      const result = await prometheus.query(expr);
      // The seed's ratios are per series and unguarded, so idle series give 0/0 = NaN; the busy ones must have numbers.
      expect(result.filter((sample) => Number.isFinite(sample.value)).length, expr).toBeGreaterThan(0);
    }
    const up = await prometheus.query(`up{job="qwen3-gateway"}`);
    expect(up[0]?.value).toBe(1);
    expect(up[0]?.metric).toMatchObject({ instance: "qwen3-32b-web-gateway", environment: "production" });
    // The seed's alert on the 5xx ratio sees the failures driven above.
    const ratio = await prometheus.query(
      `sum(rate(${SEED}_requests_total{code=~"5.."}[5m])) / sum(rate(${SEED}_requests_total[5m]))`,
    );
    expect(ratio[0]?.value).toBeGreaterThan(0);
    const loaded = await prometheus.query(`${SEED}_model_vram_bytes`);
    expect(loaded.map((s) => s.metric.model)).toContain(MODEL);
  }, 60_000);

  test("ingests exemplars carrying request ids through OpenMetrics", async () => {
    await prometheus.waitForScrapes(7, 30_000);
    const now = Date.now() / 1000;
    const result = (await prometheus.api("query_exemplars", {
      query: `${SEED}_request_duration_seconds_bucket`,
      start: String(now - 300),
      end: String(now + 10),
    })) as { exemplars: { labels: Record<string, string> }[] }[];
    const ids = result.flatMap((series) => series.exemplars.map((e) => e.labels.request_id));
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
  }, 60_000);
});
