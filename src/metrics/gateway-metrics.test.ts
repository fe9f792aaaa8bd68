// GatewayMetrics: request records, gateway state and upstream snapshots in, catalog series out.

import { readFileSync, writeFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { RequestRecord } from "../events/request-events.js";
import type { OllamaListModel, OllamaModelDetails, OllamaProcessModel } from "../ollama/types.js";
import { canonicalModelName } from "../upstream/model-names.js";
import { CATALOG } from "./catalog.js";
import { renderMetrics } from "./exposition.js";
import { GatewayMetrics, type GatewayMetricsOptions, type UpstreamView } from "./gateway-metrics.js";

const NOW_MS = 1_700_000_000_500;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(NOW_MS);
});
afterEach(() => {
  vi.useRealTimers();
});

/** An UpstreamView whose snapshot a test replaces, as the poller does after each poll. */
class FakeUpstream implements UpstreamView {
  snapshot: UpstreamView["snapshot"] = { up: false, models: [], loaded: [] };
  readonly #known: Set<string>;

  constructor(models: readonly string[]) {
    this.#known = new Set(models.map(canonicalModelName));
  }

  knownModel(name: string): string | undefined {
    const canonical = canonicalModelName(name);
    return this.#known.has(canonical) ? canonical : undefined;
  }
}

const DETAILS: OllamaModelDetails = {
  parent_model: "",
  format: "gguf",
  family: "qwen3",
  families: ["qwen3"],
  parameter_size: "32.8B",
  quantization_level: "Q4_K_M",
};

function listed(name: string): OllamaListModel {
  return { name, model: name, modified_at: "", size: 1, digest: "d", details: DETAILS };
}

function loaded(name: string, size: number, vram: number, expiresInS: number): OllamaProcessModel {
  return {
    name,
    model: name,
    size,
    size_vram: vram,
    digest: "d",
    details: DETAILS,
    expires_at: new Date(NOW_MS + expiresInS * 1000).toISOString(),
    context_length: 8192,
  };
}

function record(overrides: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: "req-1",
    method: "POST",
    route: "/v1/chat/completions",
    status: 200,
    outcome: "completed",
    model: "qwen3:32b",
    startedAt: NOW_MS,
    durationMs: 100,
    bytesIn: 0,
    bytesOut: 0,
    ...overrides,
  };
}

const P = "t";

function gatewayMetrics(options: Partial<GatewayMetricsOptions> = {}) {
  const metrics = new GatewayMetrics({ prefix: P, version: "9.9.9", processMetrics: false, ...options });
  const upstream = new FakeUpstream(["qwen3:32b", "nomic-embed-text"]);
  metrics.bindUpstream(upstream);
  return { metrics, upstream };
}

function metric(metrics: GatewayMetrics, name: string) {
  const found = metrics.registry.getSingleMetric(`${P}_${name}`);
  if (!found) throw new Error(`no metric ${P}_${name}`);
  return found;
}

/** One metric as exposition text, the way /metrics writes it. */
function text(metrics: GatewayMetrics, name: string, format: "prometheus" | "openmetrics" = "prometheus") {
  return renderMetrics({ getMetricsAsArray: () => [metric(metrics, name)] }, format);
}

/** A scrape: runs every collect(), as /metrics does. */
function scrape(metrics: GatewayMetrics) {
  return renderMetrics(metrics.registry, "prometheus");
}

type Labels = Record<string, string | number>;

/** The samples of one metric as { labels, value } (histograms: with their sample name). */
async function samples(metrics: GatewayMetrics, name: string) {
  const data = (await metric(metrics, name).get()) as unknown as {
    values: { labels: Labels; value: number; metricName?: string }[];
  };
  return data.values;
}

const sameLabels = (a: Labels, b: Labels) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);

/** A counter's or gauge's value for exactly these labels; undefined when the series does not exist. */
async function value(metrics: GatewayMetrics, name: string, labels: Labels = {}) {
  return (await samples(metrics, name)).find((s) => sameLabels(s.labels, labels))?.value;
}

/** The label sets a metric has series for. */
async function labelSets(metrics: GatewayMetrics, name: string) {
  return (await samples(metrics, name)).map((s) => s.labels);
}

/** The label sets a counter has counted something for (some series are created at zero up front). */
async function counted(metrics: GatewayMetrics, name: string) {
  return (await samples(metrics, name)).filter((s) => s.value > 0).map((s) => s.labels);
}

/** Exposition text without its zero-valued samples (series created up front and not counted since). */
const withoutZeros = (text: string) =>
  text
    .split("\n")
    .filter((line) => !/^[a-z_]+\{[^}]*\} 0$/.test(line))
    .join("\n");

/** A histogram's count and sum for exactly these labels; undefined when the series does not exist. */
async function histogram(metrics: GatewayMetrics, name: string, labels: Labels = {}) {
  const all = await samples(metrics, name);
  const pick = (suffix: string) =>
    all.find((s) => s.metricName === `${P}_${name}_${suffix}` && sameLabels(s.labels, labels))?.value;
  const count = pick("count");
  return count === undefined ? undefined : { count, sum: pick("sum") };
}

describe("request records", () => {
  test("the seed's series: exact text with bounded labels and overridden buckets", async () => {
    const { metrics } = gatewayMetrics({
      buckets: { request_duration_seconds: [1, 5], request_size_bytes: [100, 1000] },
    });
    metrics.observe(record({ id: "req-1", durationMs: 1500, bytesIn: 300, bytesOut: 700 }));
    metrics.observe(
      record({
        id: "req-2",
        method: "PROPFIND",
        route: "other",
        status: 404,
        outcome: "rejected",
        model: undefined,
        durationMs: 2,
        bytesIn: 0,
        bytesOut: 120,
      }),
    );
    const chat = 'code="200",method="POST",path="/v1/chat/completions"';
    const other = 'code="404",method="other",path="other"';
    expect(withoutZeros(await text(metrics, "requests_total"))).toBe(
      `# HELP t_requests_total ${CATALOG.requestsTotal.help}\n# TYPE t_requests_total counter\n` +
        `t_requests_total{${chat}} 1\nt_requests_total{${other}} 1\n`,
    );
    const ts = NOW_MS / 1000;
    expect(await text(metrics, "request_duration_seconds", "openmetrics")).toBe(
      `# HELP t_request_duration_seconds ${CATALOG.requestDuration.help}\n` +
        "# TYPE t_request_duration_seconds histogram\n" +
        `t_request_duration_seconds_bucket{le="1",${chat}} 0\n` +
        `t_request_duration_seconds_bucket{le="5",${chat}} 1 # {request_id="req-1"} 1.5 ${ts}\n` +
        `t_request_duration_seconds_bucket{le="+Inf",${chat}} 1\n` +
        `t_request_duration_seconds_sum{${chat}} 1.5\n` +
        `t_request_duration_seconds_count{${chat}} 1\n` +
        `t_request_duration_seconds_bucket{le="1",${other}} 1 # {request_id="req-2"} 0.002 ${ts}\n` +
        `t_request_duration_seconds_bucket{le="5",${other}} 1\n` +
        `t_request_duration_seconds_bucket{le="+Inf",${other}} 1\n` +
        `t_request_duration_seconds_sum{${other}} 0.002\n` +
        `t_request_duration_seconds_count{${other}} 1\n` +
        "# EOF\n",
    );
    expect(await text(metrics, "request_size_bytes")).toBe(
      `# HELP t_request_size_bytes ${CATALOG.requestSize.help}\n# TYPE t_request_size_bytes histogram\n` +
        't_request_size_bytes_bucket{le="100",method="POST",path="/v1/chat/completions"} 0\n' +
        't_request_size_bytes_bucket{le="1000",method="POST",path="/v1/chat/completions"} 1\n' +
        't_request_size_bytes_bucket{le="+Inf",method="POST",path="/v1/chat/completions"} 1\n' +
        't_request_size_bytes_sum{method="POST",path="/v1/chat/completions"} 300\n' +
        't_request_size_bytes_count{method="POST",path="/v1/chat/completions"} 1\n' +
        't_request_size_bytes_bucket{le="100",method="other",path="other"} 1\n' +
        't_request_size_bytes_bucket{le="1000",method="other",path="other"} 1\n' +
        't_request_size_bytes_bucket{le="+Inf",method="other",path="other"} 1\n' +
        't_request_size_bytes_sum{method="other",path="other"} 0\n' +
        't_request_size_bytes_count{method="other",path="other"} 1\n',
    );
    expect(
      await histogram(metrics, "response_size_bytes", {
        code: "200",
        method: "POST",
        path: "/v1/chat/completions",
      }),
    ).toEqual({ count: 1, sum: 700 });
  });

  test("an exemplar's request id is cut to 100 characters (OpenMetrics allows 128 in all)", async () => {
    const { metrics } = gatewayMetrics();
    metrics.observe(record({ id: "x".repeat(150) }));
    expect(await text(metrics, "request_duration_seconds", "openmetrics")).toContain(
      `# {request_id="${"x".repeat(100)}"} 0.1 `,
    );
  });

  test.each([
    ["a known model, as spelled", "qwen3:32b", "qwen3:32b"],
    ["a known model, another spelling", "Qwen3:32B", "qwen3:32b"],
    ["a known model without its tag", "nomic-embed-text", "nomic-embed-text:latest"],
    ["a model the upstream does not report", "gpt-4o", "other"],
    ["no model", undefined, ""],
    ["an empty model", "", ""],
  ])("model label: %s", async (_name, model, label) => {
    const { metrics } = gatewayMetrics();
    metrics.observe(record({ model }));
    expect(await counted(metrics, "request_outcomes_total")).toEqual([
      { path: "/v1/chat/completions", model: label, outcome: "completed", key: "" },
    ]);
  });

  test("without an upstream every named model is other", async () => {
    const metrics = new GatewayMetrics({ prefix: P, version: "1", processMetrics: false });
    metrics.observe(record({ model: "qwen3:32b" }));
    expect(await counted(metrics, "request_outcomes_total")).toEqual([
      { path: "/v1/chat/completions", model: "other", outcome: "completed", key: "" },
    ]);
  });

  test.each([
    ["TRACE", "other"],
    ["get", "other"],
    ["GET", "GET"],
    ["OPTIONS", "OPTIONS"],
  ])("method %s is labelled %s", async (method, label) => {
    const { metrics } = gatewayMetrics();
    metrics.observe(record({ method }));
    expect(await counted(metrics, "requests_total")).toEqual([
      { code: "200", method: label, path: "/v1/chat/completions" },
    ]);
  });

  test("outcomes count every request; streams only those that started", async () => {
    const { metrics } = gatewayMetrics();
    metrics.observe(record({ stream: true, streamStarted: true, outcome: "completed" }));
    metrics.observe(record({ stream: true, streamStarted: true, outcome: "client_abort", status: 200 }));
    metrics.observe(record({ stream: true, streamStarted: false, outcome: "rejected", status: 400 }));
    metrics.observe(record({ stream: true, outcome: "upstream_error", status: 502 }));
    metrics.observe(record({ outcome: "completed" }));
    const outcomes = (o: string) =>
      value(metrics, "request_outcomes_total", {
        path: "/v1/chat/completions",
        model: "qwen3:32b",
        outcome: o,
        key: "",
      });
    expect(await outcomes("completed")).toBe(2);
    expect(await outcomes("client_abort")).toBe(1);
    expect(await outcomes("rejected")).toBe(1);
    expect(await outcomes("upstream_error")).toBe(1);
    expect(await counted(metrics, "streams_total")).toEqual([
      { model: "qwen3:32b", outcome: "completed" },
      { model: "qwen3:32b", outcome: "client_abort" },
    ]);
  });

  test("TTFT and time per output token: streams only", async () => {
    const { metrics } = gatewayMetrics();
    const stream = { stream: true, streamStarted: true };
    metrics.observe(record({ ...stream, ttftMs: 250, lastTokenMs: 1250, completionTokens: 11 }));
    // One token: a TTFT, but no gap between tokens to measure.
    metrics.observe(record({ ...stream, ttftMs: 500, lastTokenMs: 500, completionTokens: 1 }));
    // Not a stream: the gateway does not see tokens arrive, whatever the record says.
    metrics.observe(record({ stream: false, ttftMs: 700, lastTokenMs: 900, completionTokens: 5 }));
    expect(await histogram(metrics, "time_to_first_token_seconds", { model: "qwen3:32b" })).toEqual({
      count: 2,
      sum: 0.75,
    });
    expect(await histogram(metrics, "time_per_output_token_seconds", { model: "qwen3:32b" })).toEqual({
      count: 1,
      sum: 0.1,
    });
    expect(await text(metrics, "time_to_first_token_seconds", "openmetrics")).toContain(
      '# {request_id="req-1"} 0.25 ',
    );
  });

  test("generation stats: tokens, done reason, Ollama's durations and decode speed", async () => {
    const { metrics } = gatewayMetrics();
    metrics.observe(
      record({
        generation: {
          promptTokens: 20,
          completionTokens: 10,
          doneReason: "length",
          totalNs: 3e9,
          loadNs: 5e8,
          promptEvalNs: 1e9,
          evalNs: 1.25e9,
        },
      }),
    );
    const model = { model: "qwen3:32b" };
    expect(await value(metrics, "prompt_tokens_total", { ...model, key: "" })).toBe(20);
    expect(await value(metrics, "completion_tokens_total", { ...model, key: "" })).toBe(10);
    expect(await counted(metrics, "done_reasons_total")).toEqual([{ ...model, reason: "length" }]);
    // total - eval: Ollama's queue, load and prefill.
    expect(await histogram(metrics, "engine_time_to_first_token_seconds", model)).toEqual({
      count: 1,
      sum: 1.75,
    });
    expect(await histogram(metrics, "ollama_load_duration_seconds", model)).toEqual({ count: 1, sum: 0.5 });
    expect(await histogram(metrics, "ollama_prefill_duration_seconds", model)).toEqual({ count: 1, sum: 1 });
    expect(await histogram(metrics, "ollama_decode_duration_seconds", model)).toEqual({
      count: 1,
      sum: 1.25,
    });
    expect(await histogram(metrics, "decode_tokens_per_second", model)).toEqual({ count: 1, sum: 8 });
  });

  test.each([
    ["stop", "stop"],
    ["unload", "unload"],
    ["something_new", "other"],
    [undefined, "other"],
  ])("done reason %s is labelled %s", async (doneReason, label) => {
    const { metrics } = gatewayMetrics();
    metrics.observe(record({ generation: { promptTokens: 1, completionTokens: 1, doneReason } }));
    expect(await counted(metrics, "done_reasons_total")).toEqual([{ model: "qwen3:32b", reason: label }]);
  });

  test("partial stats: only what Ollama reported is observed; no decode speed without decode time", async () => {
    const { metrics } = gatewayMetrics();
    metrics.observe(record({ generation: { promptTokens: 3, completionTokens: 0, evalNs: 0 } }));
    expect(await histogram(metrics, "ollama_decode_duration_seconds", { model: "qwen3:32b" })).toEqual({
      count: 1,
      sum: 0,
    });
    for (const name of [
      "decode_tokens_per_second",
      "engine_time_to_first_token_seconds",
      "ollama_load_duration_seconds",
      "ollama_prefill_duration_seconds",
    ])
      expect(await samples(metrics, name), name).toEqual([]);
  });

  test("embeddings: prompt tokens without a generation", async () => {
    const { metrics } = gatewayMetrics();
    metrics.observe(record({ route: "/v1/embeddings", model: "nomic-embed-text", promptTokens: 7 }));
    expect(await value(metrics, "prompt_tokens_total", { model: "nomic-embed-text:latest", key: "" })).toBe(
      7,
    );
    expect(await samples(metrics, "completion_tokens_total")).toEqual([]);
    expect(await samples(metrics, "done_reasons_total")).toEqual([]);
  });

  test("overhead is duration minus upstream time minus queue wait, never below 0", async () => {
    const { metrics } = gatewayMetrics();
    const path = { path: "/v1/chat/completions" };
    metrics.observe(record({ durationMs: 1000, upstreamMs: 900, upstreamFirstByteMs: 300, queueWaitMs: 50 }));
    expect(await histogram(metrics, "gateway_overhead_seconds", path)).toEqual({ count: 1, sum: 0.05 });
    expect(await histogram(metrics, "upstream_request_duration_seconds", path)).toEqual({
      count: 1,
      sum: 0.9,
    });
    expect(await histogram(metrics, "upstream_first_byte_seconds", path)).toEqual({ count: 1, sum: 0.3 });
    expect(await histogram(metrics, "queue_wait_seconds")).toEqual({ count: 1, sum: 0.05 });

    metrics.observe(record({ durationMs: 100, upstreamMs: 150 }));
    expect(await histogram(metrics, "gateway_overhead_seconds", path)).toEqual({ count: 2, sum: 0.05 });
  });

  test("a request that never went upstream: all of its time is overhead, no upstream or queue series", async () => {
    const { metrics } = gatewayMetrics();
    metrics.observe(record({ route: "/healthz", method: "GET", model: undefined, durationMs: 2 }));
    expect(await histogram(metrics, "gateway_overhead_seconds", { path: "/healthz" })).toEqual({
      count: 1,
      sum: 0.002,
    });
    for (const name of ["upstream_request_duration_seconds", "upstream_first_byte_seconds"])
      expect(await samples(metrics, name), name).toEqual([]);
    // Without labels, prom-client exports a histogram from the start.
    expect(await histogram(metrics, "queue_wait_seconds")).toEqual({ count: 0, sum: 0 });
  });

  test.each(["connect", "timeout", "status", "protocol"] as const)("upstream error class %s", async (cls) => {
    const { metrics } = gatewayMetrics();
    metrics.observe(record({ status: 502, outcome: "upstream_error", upstreamErrorClass: cls }));
    expect(await counted(metrics, "upstream_errors_total")).toEqual([
      { path: "/v1/chat/completions", class: cls },
    ]);
  });
});

describe("state and upstream gauges", () => {
  test("in-flight, connections and queue length are read when scraped", async () => {
    const { metrics } = gatewayMetrics();
    await scrape(metrics);
    expect(await value(metrics, "requests_in_flight")).toBe(0);
    let inflight = 4;
    metrics.bindState({
      inflight: () => inflight,
      connections: () => 7,
      queueLength: () => 2,
      queueCapacity: () => 50,
      concurrencyLimit: () => 8,
      upstreamActive: () => 3,
    });
    expect(await scrape(metrics)).toContain("\nt_requests_in_flight 4\n");
    inflight = 1;
    expect(await scrape(metrics)).toContain("\nt_requests_in_flight 1\n");
    expect(await value(metrics, "open_connections")).toBe(7);
    expect(await value(metrics, "queue_length")).toBe(2);
    expect(await value(metrics, "queue_capacity")).toBe(50);
    expect(await value(metrics, "concurrency_limit")).toBe(8);
    expect(await value(metrics, "upstream_active_requests")).toBe(3);
  });

  test("the upstream snapshot becomes gauges; a model that unloads loses all its per-model series", async () => {
    const { metrics, upstream } = gatewayMetrics();
    await scrape(metrics);
    expect(await value(metrics, "upstream_up")).toBe(0);

    const models = [listed("qwen3:32b"), listed("nomic-embed-text")];
    upstream.snapshot = {
      up: true,
      version: "0.12.6",
      models,
      loaded: [loaded("qwen3:32b", 25e9, 20e9, 300), loaded("nomic-embed-text:latest", 3e8, 3e8, 60)],
    };
    await scrape(metrics);
    const qwen = { model: "qwen3:32b" };
    const nomic = { model: "nomic-embed-text:latest" };
    expect(await value(metrics, "upstream_up")).toBe(1);
    expect(await labelSets(metrics, "upstream_version_info")).toEqual([{ version: "0.12.6" }]);
    expect(await value(metrics, "models_available")).toBe(2);
    expect(await value(metrics, "models_loaded")).toBe(2);
    expect(await value(metrics, "model_size_bytes", qwen)).toBe(25e9);
    expect(await value(metrics, "model_vram_bytes", qwen)).toBe(20e9);
    expect(await value(metrics, "model_context_length_tokens", qwen)).toBe(8192);
    expect(await value(metrics, "model_expires_in_seconds", qwen)).toBe(300);
    expect(await value(metrics, "model_expires_in_seconds", nomic)).toBe(60);

    upstream.snapshot = {
      up: true,
      version: "0.12.6",
      models,
      loaded: [loaded("nomic-embed-text", 3e8, 3e8, 50)],
    };
    await scrape(metrics);
    expect(await value(metrics, "models_loaded")).toBe(1);
    for (const name of [
      "model_size_bytes",
      "model_vram_bytes",
      "model_context_length_tokens",
      "model_expires_in_seconds",
    ])
      expect(await labelSets(metrics, name), name).toEqual([nomic]);

    // Down: nothing is claimed loaded, and the version is unknown.
    upstream.snapshot = { up: false, models, loaded: [] };
    const text = await scrape(metrics);
    expect(await value(metrics, "upstream_up")).toBe(0);
    expect(await samples(metrics, "upstream_version_info")).toEqual([]);
    expect(await value(metrics, "models_available")).toBe(2);
    expect(text).not.toMatch(/^t_model_(size|vram|context|expires)/m);
  });

  test("model expiry counts down between polls and never goes below 0", async () => {
    const { metrics, upstream } = gatewayMetrics();
    upstream.snapshot = { up: true, version: "1", models: [], loaded: [loaded("qwen3:32b", 1, 1, 30)] };
    await scrape(metrics);
    vi.setSystemTime(NOW_MS + 10_000);
    await scrape(metrics);
    expect(await value(metrics, "model_expires_in_seconds", { model: "qwen3:32b" })).toBe(20);
    vi.setSystemTime(NOW_MS + 60_000);
    await scrape(metrics);
    expect(await value(metrics, "model_expires_in_seconds", { model: "qwen3:32b" })).toBe(0);
  });

  test("model loads and unloads are counted under the canonical name", async () => {
    const { metrics } = gatewayMetrics();
    metrics.onModelLoad("Qwen3:32B");
    metrics.onModelLoad("qwen3:32b");
    metrics.onModelUnload("mystery:7b");
    expect(await value(metrics, "model_loads_total", { model: "qwen3:32b" })).toBe(2);
    expect(await value(metrics, "model_unloads_total", { model: "other" })).toBe(1);
  });

  test("build info carries the version and the Node.js version", async () => {
    const { metrics } = gatewayMetrics();
    expect(await labelSets(metrics, "build_info")).toEqual([
      { version: "9.9.9", node_version: process.versions.node },
    ]);
  });
});

describe("registry contents", () => {
  const catalogNames = Object.values(CATALOG).map((s) => `${P}_${s.name}`);
  const registered = (metrics: GatewayMetrics) =>
    metrics.registry.getMetricsAsArray().map((m) => (m as unknown as { name: string }).name);

  test("processMetrics: false registers exactly the catalog", () => {
    expect(registered(gatewayMetrics().metrics)).toEqual(catalogNames);
  });

  test("by default: prom-client's process metrics too, without the three promtool rejects", () => {
    const names = registered(new GatewayMetrics({ prefix: P, version: "1" }));
    expect(names.slice(0, catalogNames.length)).toEqual(catalogNames);
    expect(names).toContain(`${P}_process_cpu_seconds_total`);
    expect(names).toContain(`${P}_process_resident_memory_bytes`);
    expect(names).toContain(`${P}_nodejs_eventloop_lag_seconds`);
    expect(names).toContain(`${P}_nodejs_active_handles`);
    for (const rejected of [
      "nodejs_active_handles_total",
      "nodejs_active_requests_total",
      "nodejs_active_resources_total",
    ])
      expect(names).not.toContain(`${P}_${rejected}`);
  });

  test("bucket overrides apply to the named histogram only", async () => {
    const { metrics } = gatewayMetrics({ buckets: { time_to_first_token_seconds: [0.5, 2] } });
    metrics.observe(record({ stream: true, streamStarted: true, ttftMs: 100 }));
    const bounds = async (name: string) =>
      (await samples(metrics, name)).filter((s) => s.metricName?.endsWith("_bucket")).map((s) => s.labels.le);
    expect(await bounds("time_to_first_token_seconds")).toEqual([0.5, 2, "+Inf"]);
    expect(await bounds("request_duration_seconds")).toEqual([...CATALOG.requestDuration.buckets, "+Inf"]);
  });
});

describe("keys and admission", () => {
  test("a key's name labels outcomes and tokens; refusals count by reason", async () => {
    const { metrics } = gatewayMetrics();
    metrics.observe(record({ key: "alice", generation: { promptTokens: 3, completionTokens: 4 } }));
    metrics.observe(record({ status: 401, outcome: "rejected", errorCode: "missing_api_key" }));
    metrics.observe(record({ status: 401, outcome: "rejected", errorCode: "invalid_api_key" }));
    metrics.observe(record({ key: "alice", status: 429, outcome: "rejected", errorCode: "rate_limited" }));
    metrics.observe(record({ key: "bob", status: 503, outcome: "rejected", errorCode: "queue_full" }));
    metrics.observe(record({ key: "bob", status: 503, outcome: "rejected", errorCode: "queue_timeout" }));
    expect(await value(metrics, "prompt_tokens_total", { model: "qwen3:32b", key: "alice" })).toBe(3);
    expect(await value(metrics, "completion_tokens_total", { model: "qwen3:32b", key: "alice" })).toBe(4);
    expect(
      await value(metrics, "request_outcomes_total", {
        path: "/v1/chat/completions",
        model: "qwen3:32b",
        outcome: "rejected",
        key: "bob",
      }),
    ).toBe(2);
    for (const [reason, n] of [
      ["unauthorized", 2],
      ["rate_limited", 1],
      ["queue_full", 1],
      ["queue_timeout", 1],
    ] as const)
      expect(await value(metrics, "admission_rejections_total", { reason }), reason).toBe(n);
  });
});

describe("a whole scrape", () => {
  /**
   * Every series of the catalog from one known state, in both formats, compared with golden text: the renderer,
   * the counters and histograms, and the scrape-time gauges together. Regenerate the files only for an intended
   * change of the exposition, and review the diff.
   */
  async function knownState(format: "prometheus" | "openmetrics") {
    const { metrics, upstream } = gatewayMetrics();
    metrics.bindState({
      inflight: () => 3,
      connections: () => 5,
      queueLength: () => 1,
      queueCapacity: () => 16,
      concurrencyLimit: () => 4,
      upstreamActive: () => 2,
    });
    upstream.snapshot = {
      up: true,
      version: "0.12.6",
      models: [listed("qwen3:32b"), listed("nomic-embed-text")],
      loaded: [loaded("qwen3:32b", 25e9, 20e9, 300), loaded("nomic-embed-text:latest", 3e8, 3e8, 60)],
    };
    metrics.onModelLoad("qwen3:32b");
    metrics.observe(
      record({
        id: "req-stream",
        stream: true,
        streamStarted: true,
        durationMs: 2400,
        queueWaitMs: 12,
        upstreamFirstByteMs: 300,
        upstreamMs: 2380,
        ttftMs: 320,
        lastTokenMs: 2390,
        completionTokens: 10,
        key: "alice",
        bytesIn: 180,
        bytesOut: 2200,
        generation: {
          promptTokens: 12,
          completionTokens: 10,
          doneReason: "stop",
          totalNs: 2.3e9,
          loadNs: 1e7,
          promptEvalNs: 2e8,
          evalNs: 2e9,
        },
      }),
    );
    metrics.observe(
      record({
        id: "req-timeout",
        status: 504,
        outcome: "timeout",
        errorCode: "upstream_timeout",
        upstreamErrorClass: "timeout",
        durationMs: 30_000,
        upstreamMs: 30_000,
      }),
    );
    metrics.observe(
      record({ id: "req-full", status: 503, outcome: "rejected", errorCode: "queue_full", model: "gpt-4o" }),
    );
    metrics.observe(
      record({
        id: "req-embed",
        route: "/v1/embeddings",
        model: "nomic-embed-text",
        durationMs: 40,
        upstreamMs: 35,
        promptTokens: 7,
      }),
    );
    const text = await renderMetrics(metrics.registry, format);
    return text.replaceAll(`node_version="${process.versions.node}"`, 'node_version="NODE"');
  }

  test.each([
    ["prometheus", "scrape.prom.txt"],
    ["openmetrics", "scrape.openmetrics.txt"],
  ] as const)("%s text is the golden %s", async (format, file) => {
    const path = new URL(`./fixtures/${file}`, import.meta.url);
    // UPDATE_GOLDEN=1 rewrites the fixture after an intended change to the exposition; review its diff.
    if (process.env.UPDATE_GOLDEN === "1") writeFileSync(path, await knownState(format));
    const golden = readFileSync(path, "utf8");
    expect(await knownState(format)).toBe(golden);
  });

  test("before state and upstream are bound, unlabelled gauges read 0 and labelled ones have no series", async () => {
    const metrics = new GatewayMetrics({ prefix: P, version: "1", processMetrics: false });
    const gaugeNames = new Set(
      Object.values(CATALOG)
        .filter((s) => s.type === "gauge")
        .map((s) => `${P}_${s.name}`),
    );
    const gauges = (await scrape(metrics))
      .split("\n")
      .filter((line) => !line.startsWith("#") && gaugeNames.has(line.split(/[{ ]/)[0] ?? ""));
    expect(gauges).toEqual([
      "t_requests_in_flight 0",
      "t_open_connections 0",
      "t_upstream_up 0",
      "t_models_available 0",
      "t_models_loaded 0",
      "t_queue_length 0",
      "t_queue_capacity 0",
      "t_concurrency_limit 0",
      "t_upstream_active_requests 0",
      `t_build_info{version="1",node_version="${process.versions.node}"} 1`,
    ]);
  });
});
