// The dashboard's and the status endpoint's numbers: window math, and agreement with /metrics fed the same records.

import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { Scrape } from "../../test/helpers/scrape.js";
import { OUTCOMES, type Outcome, type RequestRecord } from "../events/request-events.js";
import { renderMetrics } from "../metrics/exposition.js";
import { GatewayMetrics } from "../metrics/gateway-metrics.js";
import type { UpstreamSnapshot } from "../upstream/model-poller.js";
import { histogramQuantile } from "./histogram-quantile.js";
import { History } from "./history.js";
import { bucketLayout } from "./index.js";
import { roundTo, STATUS_PRECISION } from "./precision.js";
import { RecentRequests } from "./recent.js";
import { dashboardData, rangeFor, STATUS_WINDOW_S, statusData, stepFor, type ViewSources } from "./view.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

function sources(history: History, snapshot: Partial<UpstreamSnapshot> = {}): ViewSources {
  return {
    history,
    recent: new RecentRequests(10),
    upstream: { snapshot: { up: true, version: "0.12.3", models: [], loaded: [], ...snapshot } },
    upstreamOrigin: "http://127.0.0.1:11434",
    state: { inflight: () => 2, queued: () => 1, upstreamActive: () => 1, concurrencyLimit: () => 4 },
    process: () => ({ cpu: 0.1, rssBytes: 1, heapBytes: 1 }),
    gateway: { version: "t", node: "20", startedAt: T0, keys: false, maxQueue: 100 },
  };
}

function chat(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: "r",
    method: "POST",
    route: "/v1/chat/completions",
    status: 200,
    outcome: "completed",
    startedAt: Date.now(),
    durationMs: 2000,
    bytesIn: 10,
    bytesOut: 10,
    ...over,
  };
}

describe("window math", () => {
  test.each([
    { window: 300, step: 1, range: 10, points: 300 },
    { window: 900, step: 3, range: 10, points: 300 },
    { window: 3600, step: 12, range: 24, points: 300 },
  ])("$window s: a point every $step s over $range s", ({ window, step, range, points }) => {
    expect(stepFor(window)).toBe(step);
    expect(rangeFor(step)).toBe(range);
    const history = new History({ buckets: bucketLayout({}) });
    vi.advanceTimersByTime(window * 1000);
    const d = dashboardData(sources(history), window);
    expect(d.window).toEqual({ seconds: window, step, range });
    // Aligned to multiples of the step, so points stay put between refreshes; the first may start early.
    expect(d.series.t.every((t) => t % step === 0)).toBe(true);
    expect(d.series.t.length).toBeGreaterThanOrEqual(points);
    expect(d.series.t.length).toBeLessThanOrEqual(points + 1);
    expect(d.series.requestsPerS.length).toBe(d.series.t.length);
  });

  test("rates: a point divides by the seconds it covers; before the gateway started there is no data", () => {
    const history = new History({ buckets: bucketLayout({}) });
    vi.advanceTimersByTime(20_000);
    for (let i = 0; i < 10; i++) history.observe(chat());
    vi.advanceTimersByTime(1000); // the burst's second is complete now
    const d = dashboardData(sources(history), 300);
    const { t, requestsPerS } = d.series;
    const burst = Math.floor(T0 / 1000) + 20;
    // The point at the burst's second looks back 10 s: 10 requests / 10 s.
    expect(requestsPerS[t.indexOf(burst)]).toBe(1);
    // The tiles' rates: over the last complete minute, which for a gateway 21 s old is 21 s, and they say so.
    expect(d.totals.lastMinute).toEqual({ seconds: 21, requestsPerS: 10 / 21, completionTokensPerS: 0 });
    vi.advanceTimersByTime(60_000);
    expect(dashboardData(sources(history), 300).totals.lastMinute).toEqual({
      seconds: 60,
      requestsPerS: 0,
      completionTokensPerS: 0,
    });
    expect(requestsPerS[t.indexOf(burst - 10)]).toBe(0);
    expect(requestsPerS[t.indexOf(Math.floor(T0 / 1000) - 5)]).toBeNull();
    // Totals include the second in progress; the last-minute rate covers the 21 complete seconds so far.
    expect(d.totals.requests).toBe(10);
    expect(d.totals.lastMinute.requestsPerS).toBeCloseTo(10 / 21, 12);
  });

  test("status: typical response is the median TTFT of streams, else the median generation duration", () => {
    const history = new History({ buckets: bucketLayout({}) });
    const src = sources(history);
    expect(statusData(src)).toMatchObject({ status: "ok", typical_response_s: null, requests: 0 });
    for (let i = 0; i < 4; i++) history.observe(chat({ durationMs: 2500 }));
    const plain = statusData(src);
    expect(plain.typical_response_s).toBe(plain.duration_p50_s);
    expect(plain.duration_p50_s).toBeGreaterThan(2);
    expect(plain.duration_p50_s).toBeLessThanOrEqual(3);
    for (let i = 0; i < 4; i++) history.observe(chat({ stream: true, streamStarted: true, ttftMs: 800 }));
    const streamed = statusData(src);
    expect(streamed.typical_response_s).toBe(streamed.ttft_p50_s);
    expect(streamed.ttft_p50_s).toBeGreaterThan(0.75);
    expect(streamed.ttft_p50_s).toBeLessThanOrEqual(1);
    expect(streamed).toMatchObject({
      window_s: STATUS_WINDOW_S,
      in_flight: 2,
      queued: 1,
      upstream: { up: true },
    });
  });

  test("status: every number is published at its precision (no 7.999999999999998)", () => {
    const history = new History({ buckets: bucketLayout({}) });
    // 19 requests, one 5xx: a ratio of 0.0526315…; interpolated quantiles land between bucket bounds.
    for (let i = 0; i < 18; i++)
      history.observe(
        chat({ durationMs: 1000 + i * 333, stream: true, streamStarted: true, ttftMs: 77 * i }),
      );
    history.observe(chat({ status: 502, outcome: "upstream_error" }));
    const status = statusData(sources(history));
    expect(status.error_ratio).toBe(0.0526);
    for (const [key, decimals] of Object.entries(STATUS_PRECISION)) {
      const value = status[key as keyof typeof STATUS_PRECISION];
      expect(value, key).not.toBeNull();
      expect(value, key).toBe(roundTo(value, decimals));
    }
  });

  test("status: degraded at 5 % of 5xx in the window, down while the upstream does not answer", () => {
    const history = new History({ buckets: bucketLayout({}) });
    for (let i = 0; i < 19; i++) history.observe(chat());
    history.observe(chat({ status: 502, outcome: "upstream_error" }));
    expect(statusData(sources(history)).status).toBe("degraded");
    expect(statusData(sources(history, { up: false })).status).toBe("down");
    vi.advanceTimersByTime((STATUS_WINDOW_S + 1) * 1000); // the failure has left the window
    expect(statusData(sources(history)).status).toBe("ok");
  });
});

describe("agreement with /metrics", () => {
  /** Quantile of a histogram in the exposition, all label sets summed, the way Prometheus computes it. */
  function scrapeQuantile(scrape: Scrape, name: string, q: number): number | null {
    const byLe = new Map<string, number>();
    for (const s of scrape.series(`${name}_bucket`))
      byLe.set(s.labels.le as string, (byLe.get(s.labels.le as string) ?? 0) + s.value);
    const les = [...byLe.keys()]
      .filter((le) => le !== "+Inf")
      .map(Number)
      .sort((a, b) => a - b);
    const cumulative = [...les.map((le) => byLe.get(String(le)) ?? 0), byLe.get("+Inf") ?? 0];
    const counts = cumulative.map((c, i) => c - (i === 0 ? 0 : (cumulative[i - 1] as number)));
    return histogramQuantile(q, les, counts);
  }

  test("the same random records give the same counts, token sums and quantiles", async () => {
    const buckets = { request_duration_seconds: [0.5, 1, 2, 4, 8] };
    const metrics = new GatewayMetrics({ prefix: "t", version: "x", processMetrics: false, buckets });
    const history = new History({ buckets: bucketLayout(buckets) });
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const statuses = [200, 200, 200, 200, 400, 404, 499, 500, 502, 503, 504];
    for (let i = 0; i < 500; i++) {
      const status = statuses[Math.floor(rand() * statuses.length)] as number;
      const outcome = OUTCOMES[Math.floor(rand() * OUTCOMES.length)] as Outcome;
      const stream = rand() < 0.6;
      const completionTokens = Math.floor(rand() * 300);
      const r = chat({
        status,
        outcome,
        route: rand() < 0.2 ? "/v1/models" : rand() < 0.5 ? "/api/chat" : "/v1/chat/completions",
        stream,
        streamStarted: stream && status === 200,
        durationMs: rand() * 12_000,
        upstreamMs: rand() * 5000,
        queueWaitMs: rand() < 0.3 ? rand() * 1000 : undefined,
        ttftMs: rand() < 0.8 ? rand() * 4000 : undefined,
        ...(rand() < 0.7
          ? {
              promptTokens: 20,
              completionTokens,
              generation: { promptTokens: 20, completionTokens, evalNs: rand() * 1e10 },
            }
          : {}),
      });
      metrics.observe(r);
      history.observe(r);
      if (i % 50 === 0) vi.advanceTimersByTime(1000);
    }
    const scrape = new Scrape(await renderMetrics(metrics.registry, "prometheus"));
    const d = dashboardData(sources(history), 300);
    const t = d.totals;
    const codes = (re: RegExp) =>
      scrape.series("t_requests_total").reduce((n, s) => (re.test(s.labels.code ?? "") ? n + s.value : n), 0);
    expect(t.requests).toBe(scrape.sum("t_requests_total"));
    expect(t.errors5xx).toBe(codes(/^5/));
    expect(t.errors4xx).toBe(codes(/^4/));
    expect(t.promptTokens).toBe(scrape.sum("t_prompt_tokens_total"));
    expect(t.completionTokens).toBe(scrape.sum("t_completion_tokens_total"));
    for (const o of OUTCOMES) {
      expect(t.outcomes[o]).toBe(scrape.sum("t_request_outcomes_total", { outcome: o }));
      expect(t.streams[o]).toBe(scrape.sum("t_streams_total", { outcome: o }));
    }
    const pairs: [keyof typeof t, string][] = [
      ["latency", "t_request_duration_seconds"],
      ["ttft", "t_time_to_first_token_seconds"],
      ["overhead", "t_gateway_overhead_seconds"],
      ["decodeSpeed", "t_decode_tokens_per_second"],
    ];
    for (const [key, name] of pairs) {
      const q = t[key] as { count: number; p50: number | null; p95: number | null };
      expect(q.count, name).toBe(scrape.sum(`${name}_count`));
      expect(q.p50, name).toBeCloseTo(scrapeQuantile(scrape, name, 0.5) as number, 9);
      expect(q.p95, name).toBeCloseTo(scrapeQuantile(scrape, name, 0.95) as number, 9);
    }
  });
});
