#!/usr/bin/env node
// Times renderMetrics() on a GatewayMetrics filled through observe() with at least SERIES series (default 10,000).
// Usage: node bench/render-metrics.mjs [SERIES] [RUNS]   (needs dist/: npm run build)
// Prints one JSON line: series reached, models used, body bytes, and per format the render time p50/p99/max in ms.

import { performance } from "node:perf_hooks";
import { renderMetrics } from "../dist/metrics/exposition.js";
import { GatewayMetrics } from "../dist/metrics/gateway-metrics.js";

const target = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 30);

const metrics = new GatewayMetrics({ prefix: "llmgate", version: "bench" });
// Every model name counts as one the upstream reports, as if /api/tags listed them all.
metrics.bindUpstream({
  knownModel: (name) => name,
  snapshot: { up: true, version: "0.12.3", models: [], loaded: [] },
});

const ROUTES = ["/v1/chat/completions", "/api/chat", "/v1/completions", "/api/generate"];
const STATUSES = [200, 200, 200, 400, 499, 502];
let seq = 0;

/** One finished generation with every field the catalog turns into a series. */
function record(model, route, status, stream) {
  seq++;
  const ok = status === 200;
  return {
    id: `bench-${seq}`,
    method: "POST",
    route,
    status,
    outcome: ok
      ? "completed"
      : status === 499
        ? "client_abort"
        : status === 400
          ? "rejected"
          : "upstream_error",
    model,
    stream,
    streamStarted: stream && ok,
    startedAt: Date.now(),
    durationMs: 50 + (seq % 1000),
    upstreamFirstByteMs: 5 + (seq % 300),
    upstreamMs: 40 + (seq % 900),
    ...(ok && stream ? { ttftMs: 10 + (seq % 500), lastTokenMs: 40 + (seq % 900) } : {}),
    ...(status === 502 ? { upstreamErrorClass: "status", errorCode: "upstream_http_error" } : {}),
    ...(ok
      ? {
          promptTokens: 12,
          completionTokens: 64,
          generation: {
            promptTokens: 12,
            completionTokens: 64,
            doneReason: seq % 7 === 0 ? "length" : "stop",
            totalNs: 1e6 * (50 + (seq % 1000)),
            loadNs: 1e5 * (seq % 50),
            promptEvalNs: 1e6 * (seq % 40),
            evalNs: 1e6 * (30 + (seq % 900)),
          },
        }
      : {}),
    bytesIn: 100 + (seq % 5000),
    bytesOut: 200 + (seq % 50_000),
  };
}

function countSeries(text) {
  let n = 0;
  for (const line of text.split("\n")) if (line !== "" && !line.startsWith("#")) n++;
  return n;
}

let models = 0;
let series = countSeries(await renderMetrics(metrics.registry, "prometheus"));
while (series < target && models < 10_000) {
  const model = `model-${String(models++).padStart(4, "0")}`;
  for (const route of ROUTES)
    for (const status of STATUSES)
      for (const stream of [true, false]) metrics.observe(record(model, route, status, stream));
  if (models % 4 === 0) series = countSeries(await renderMetrics(metrics.registry, "prometheus"));
}
series = countSeries(await renderMetrics(metrics.registry, "prometheus"));

const result = { series, models, observations: seq, formats: {} };
for (const format of ["prometheus", "openmetrics"]) {
  for (let i = 0; i < 5; i++) await renderMetrics(metrics.registry, format);
  const times = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const text = await renderMetrics(metrics.registry, format);
    times.push(performance.now() - t0);
    bytes = Buffer.byteLength(text);
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  result.formats[format] = { bytes, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: times.at(-1) };
}
process.stdout.write(`${JSON.stringify(result)}\n`);
