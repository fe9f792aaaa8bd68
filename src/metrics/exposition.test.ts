// The exposition renderer: whole texts in both formats, escaping, exemplars, Accept negotiation, stable output.

import { Counter, Gauge, Histogram, type OpenMetricsContentType, Registry } from "prom-client";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { type ExpositionFormat, negotiateFormat, renderMetrics } from "./exposition.js";

/** Exemplar timestamps are Date.now() / 1000 when observed. */
const NOW_MS = 1_700_000_000_250;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW_MS);
});
afterEach(() => {
  vi.useRealTimers();
});

/** An OpenMetrics-typed registry, like GatewayMetrics': only those keep exemplars. */
function openMetricsRegistry(): Registry<OpenMetricsContentType> {
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}

/** prom-client's typings confine exemplar labels to the metric's label names; exemplars have their own. */
const exemplar = (labels: Record<string, string>) => labels as Record<never, string>;

/** One of each kind, with label values and help that need escaping. */
function sampleRegistry(): Registry<OpenMetricsContentType> {
  const registry = openMetricsRegistry();
  const requests = new Counter({
    name: "test_requests_total",
    help: 'Requests with a \\ backslash,\na newline and "quotes".',
    labelNames: ["path"],
    registers: [registry],
  });
  requests.inc({ path: "/plain" });
  requests.inc({ path: 'a\\b"c\nd' }, 2);
  const queue = new Gauge({ name: "test_queue_length", help: "Queue length.", registers: [registry] });
  queue.set(3);
  const latency = new Histogram({
    name: "test_latency_seconds",
    help: "Latency.",
    labelNames: ["model"],
    buckets: [0.1, 1],
    enableExemplars: true,
    registers: [registry],
  });
  latency.observe({ labels: { model: "m" }, value: 0.0625, exemplarLabels: exemplar({ request_id: "r1" }) });
  // No exemplar labels: the bucket keeps no exemplar.
  latency.observe({ labels: { model: "m" }, value: 0.5 });
  // Above the last bound: the exemplar lands on +Inf.
  latency.observe({ labels: { model: "m" }, value: 4, exemplarLabels: exemplar({ request_id: "r2" }) });
  return registry;
}

const PROMETHEUS_TEXT = `# HELP test_requests_total Requests with a \\\\ backslash,\\na newline and "quotes".
# TYPE test_requests_total counter
test_requests_total{path="/plain"} 1
test_requests_total{path="a\\\\b\\"c\\nd"} 2
# HELP test_queue_length Queue length.
# TYPE test_queue_length gauge
test_queue_length 3
# HELP test_latency_seconds Latency.
# TYPE test_latency_seconds histogram
test_latency_seconds_bucket{le="0.1",model="m"} 1
test_latency_seconds_bucket{le="1",model="m"} 2
test_latency_seconds_bucket{le="+Inf",model="m"} 3
test_latency_seconds_sum{model="m"} 4.5625
test_latency_seconds_count{model="m"} 3
`;

const OPENMETRICS_TEXT = `# HELP test_requests Requests with a \\\\ backslash,\\na newline and \\"quotes\\".
# TYPE test_requests counter
test_requests_total{path="/plain"} 1
test_requests_total{path="a\\\\b\\"c\\nd"} 2
# HELP test_queue_length Queue length.
# TYPE test_queue_length gauge
test_queue_length 3
# HELP test_latency_seconds Latency.
# TYPE test_latency_seconds histogram
test_latency_seconds_bucket{le="0.1",model="m"} 1 # {request_id="r1"} 0.0625 1700000000.25
test_latency_seconds_bucket{le="1",model="m"} 2
test_latency_seconds_bucket{le="+Inf",model="m"} 3 # {request_id="r2"} 4 1700000000.25
test_latency_seconds_sum{model="m"} 4.5625
test_latency_seconds_count{model="m"} 3
# EOF
`;

describe("renderMetrics", () => {
  test.each([
    ["prometheus", PROMETHEUS_TEXT],
    ["openmetrics", OPENMETRICS_TEXT],
  ] as const)("%s: the whole text", async (format, expected) => {
    expect(await renderMetrics(sampleRegistry(), format)).toBe(expected);
  });

  test("the escaped texts say what the raw strings say", () => {
    // Guards the expectations above against a slip in their own escaping.
    expect(PROMETHEUS_TEXT).toContain(String.raw`{path="a\\b\"c\nd"}`);
    expect(PROMETHEUS_TEXT).toContain(String.raw`backslash,\na newline and "quotes".`);
    expect(OPENMETRICS_TEXT).toContain(String.raw`backslash,\na newline and \"quotes\".`);
  });

  test("a counter named without _total: OpenMetrics adds the suffix to the sample only", async () => {
    const registry = new Registry();
    new Counter({ name: "test_events", help: "Events.", registers: [registry] }).inc(5);
    expect(await renderMetrics(registry, "prometheus")).toBe(
      "# HELP test_events Events.\n# TYPE test_events counter\ntest_events 5\n",
    );
    expect(await renderMetrics(registry, "openmetrics")).toBe(
      "# HELP test_events Events.\n# TYPE test_events counter\ntest_events_total 5\n# EOF\n",
    );
  });

  test.each([
    [3, "3"],
    [-0.5, "-0.5"],
    [1e-7, "1e-7"],
    [Number.NaN, "NaN"],
    [Number.POSITIVE_INFINITY, "+Inf"],
    [Number.NEGATIVE_INFINITY, "-Inf"],
  ])("value %d is written as %s", async (value, text) => {
    const registry = new Registry();
    new Gauge({ name: "test_value", help: "V.", registers: [registry] }).set(value);
    expect(await renderMetrics(registry, "prometheus")).toContain(`\ntest_value ${text}\n`);
  });

  test("labelled metrics without observations: metadata only", async () => {
    const registry = new Registry();
    new Counter({ name: "test_empty_total", help: "Nothing yet.", labelNames: ["x"], registers: [registry] });
    expect(await renderMetrics(registry, "openmetrics")).toBe(
      "# HELP test_empty Nothing yet.\n# TYPE test_empty counter\n# EOF\n",
    );
  });

  test("an empty registry: nothing, or only # EOF", async () => {
    expect(await renderMetrics(new Registry(), "prometheus")).toBe("");
    expect(await renderMetrics(new Registry(), "openmetrics")).toBe("# EOF\n");
  });

  test("counter exemplars, with an empty label set written as {}", async () => {
    const registry = openMetricsRegistry();
    const counter = new Counter({
      name: "test_hits_total",
      help: "Hits.",
      labelNames: ["k"],
      enableExemplars: true,
      registers: [registry],
    });
    counter.inc({ labels: { k: "a" }, value: 2, exemplarLabels: exemplar({ trace_id: "t1" }) });
    counter.inc({ labels: { k: "b" }, value: 1, exemplarLabels: {} });
    expect(await renderMetrics(registry, "openmetrics")).toBe(
      "# HELP test_hits Hits.\n# TYPE test_hits counter\n" +
        'test_hits_total{k="a"} 2 # {trace_id="t1"} 2 1700000000.25\n' +
        'test_hits_total{k="b"} 1 # {} 1 1700000000.25\n# EOF\n',
    );
    expect(await renderMetrics(registry, "prometheus")).toBe(
      '# HELP test_hits_total Hits.\n# TYPE test_hits_total counter\ntest_hits_total{k="a"} 2\ntest_hits_total{k="b"} 1\n',
    );
  });

  test.each([
    ["prometheus first", ["prometheus", "openmetrics", "prometheus", "openmetrics", "openmetrics"]],
    ["openmetrics first", ["openmetrics", "prometheus", "openmetrics", "prometheus", "prometheus"]],
  ] as const)("stable across formats and repeats (%s)", async (_order, formats) => {
    // prom-client's own OpenMetrics rendering renames counters in place; this renderer must leave the metrics be.
    const registry = sampleRegistry();
    const expected: Record<ExpositionFormat, string> = {
      prometheus: PROMETHEUS_TEXT,
      openmetrics: OPENMETRICS_TEXT,
    };
    for (const format of formats) expect(await renderMetrics(registry, format)).toBe(expected[format]);
    expect(registry.getSingleMetric("test_requests_total")).toBeDefined();
  });

  test("calls collect() once per render, so gauges are sampled at scrape time", async () => {
    const registry = new Registry();
    let reads = 0;
    new Gauge({
      name: "test_sampled",
      help: "Sampled.",
      registers: [registry],
      collect() {
        reads++;
        this.set(reads * 10);
      },
    });
    expect(await renderMetrics(registry, "prometheus")).toContain("\ntest_sampled 10\n");
    expect(await renderMetrics(registry, "openmetrics")).toContain("\ntest_sampled 20\n");
    expect(reads).toBe(2);
  });
});

describe("negotiateFormat", () => {
  test.each<[string, string | undefined, ExpositionFormat]>([
    ["no Accept header", undefined, "prometheus"],
    ["an empty header", "", "prometheus"],
    ["text/plain", "text/plain", "prometheus"],
    ["text/plain 0.0.4", "text/plain; version=0.0.4", "prometheus"],
    ["*/* (curl)", "*/*", "prometheus"],
    ["OpenMetrics alone", "application/openmetrics-text", "openmetrics"],
    ["OpenMetrics 1.0.0", "application/openmetrics-text; version=1.0.0", "openmetrics"],
    [
      "Prometheus 2.42",
      "application/openmetrics-text; version=0.0.1,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
      "openmetrics",
    ],
    [
      "Prometheus 2.43 to 2.48",
      "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1",
      "openmetrics",
    ],
    [
      "Prometheus 3",
      "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.5,application/openmetrics-text;version=0.0.1;q=0.4,text/plain;version=1.0.0;escaping=allow-utf-8;q=0.3,text/plain;version=0.0.4;q=0.2,*/*;q=0.1",
      "openmetrics",
    ],
    ["Prometheus with fallback to text only", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", "prometheus"],
    ["media types are case-insensitive", "Application/OpenMetrics-Text; version=1.0.0", "openmetrics"],
    ["q=0 means not acceptable", "application/openmetrics-text;q=0,text/plain", "prometheus"],
    ["text/plain preferred by weight", "application/openmetrics-text;q=0.3,text/plain;q=0.9", "prometheus"],
    ["equal weights: OpenMetrics", "text/plain,application/openmetrics-text", "openmetrics"],
    ["spaces around q", "application/openmetrics-text ; q = 0.8 , text/plain ; q = 0.5", "openmetrics"],
    ["an entry with a malformed q is skipped", "application/openmetrics-text;q=x,text/plain", "prometheus"],
  ])("%s", (_name, accept, format) => {
    expect(negotiateFormat(accept)).toBe(format);
  });
});
