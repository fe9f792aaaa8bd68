// The dashboard's intake: which finished requests reach its history, tiles, charts, table and /status.json.

import { expect, test } from "vitest";
import { KeyRing } from "../auth/api-keys.js";
import { PROBE_ROUTES, type RequestRecord, type RouteName } from "../events/request-events.js";
import { createDashboard } from "./index.js";

function dashboard() {
  return createDashboard({
    keys: new KeyRing([]),
    metricsBuckets: {},
    upstream: { snapshot: { up: false, models: [], loaded: [] } },
    upstreamUrl: "http://127.0.0.1:11434",
    version: "t",
    maxQueue: 100,
    onError: (err) => {
      throw err;
    },
  });
}

function record(route: RouteName, status: number): RequestRecord {
  return {
    id: `${route}-${status}`,
    method: route.startsWith("/v1/chat") ? "POST" : "GET",
    route,
    status,
    outcome: status >= 500 ? "upstream_error" : "completed",
    startedAt: Date.now(),
    durationMs: 3,
    bytesIn: 0,
    bytesOut: 10,
  };
}

test("the probe routes are Ollama's liveness answer at /, /healthz and /readyz", () => {
  expect([...PROBE_ROUTES].sort()).toEqual(["/", "/healthz", "/readyz"]);
});

test.each([...PROBE_ROUTES])(
  "%s, failing with the upstream down, counts nowhere on the dashboard",
  (route) => {
    const d = dashboard();
    for (let i = 0; i < 25; i++) d.observe(record(route, 503));
    expect(d.status()).toMatchObject({ status: "down", requests: 0, error_ratio: null });
    const data = d.data(300);
    expect(data.totals).toMatchObject({ requests: 0, errors5xx: 0, errorRatio: null });
    expect(data.totals.lastMinute.requestsPerS).toBe(0);
    expect(data.series.requestsPerS.every((v) => v === 0 || v === null)).toBe(true);
    expect(data.recent).toEqual([]);
  },
);

test("user requests beside the probes are counted, and only they", () => {
  const d = dashboard();
  for (let i = 0; i < 10; i++) d.observe(record("/readyz", 503));
  d.observe(record("/v1/chat/completions", 502));
  d.observe(record("/v1/models", 200));
  expect(d.status()).toMatchObject({ requests: 2, error_ratio: 0.5 });
  const data = d.data(300);
  expect(data.totals).toMatchObject({ requests: 2, errors5xx: 1, errorRatio: 0.5 });
  expect(data.recent.map((r) => r.route)).toEqual(["/v1/models", "/v1/chat/completions"]);
});
