// Turns the history, the recent requests and the upstream snapshot into the dashboard's and the status endpoint's JSON.

import { OUTCOMES, type Outcome } from "../events/request-events.js";
import type { UpstreamSnapshot } from "../upstream/model-poller.js";
import type {
  DashboardData,
  GatewayInfo,
  Maybe,
  Quantiles,
  Series,
  StatusData,
  UpstreamInfo,
  WindowTotals,
} from "./api-types.js";
import { histogramQuantile } from "./histogram-quantile.js";
import type { Aggregate, History } from "./history.js";
import { roundStatus } from "./precision.js";
import type { RecentRequests } from "./recent.js";

/** Chart points per window: 5 min at 1 s, 15 min at 3 s, 1 h at 12 s. */
export const POINTS = 300;
/** The status endpoint's window: "typical latency" means the last five minutes. */
export const STATUS_WINDOW_S = 300;
/** At or above this share of 5xx answers in the status window, the status is "degraded". */
export const DEGRADED_ERROR_RATIO = 0.05;
/** Rows of the recent-requests table sent with each answer. */
export const RECENT_ROWS = 50;

/** Gateway state read at the moment of the answer. */
export interface LiveState {
  inflight(): number;
  queued(): number;
  upstreamActive(): number;
  /** max-concurrency; 0 when unlimited. */
  concurrencyLimit(): number;
}

export interface ProcessReading {
  /** CPU in cores over the last sampling interval; null before the first interval. */
  cpu: number | null;
  rssBytes: number;
  heapBytes: number;
}

export interface ViewSources {
  history: History;
  recent: RecentRequests;
  upstream: { readonly snapshot: UpstreamSnapshot };
  /** The upstream's origin, shown on the dashboard. */
  upstreamOrigin: string;
  state: LiveState;
  process: () => ProcessReading;
  gateway: Omit<GatewayInfo, "history">;
  now?: () => number;
}

/** Seconds per chart point for a window. */
export function stepFor(windowS: number, points = POINTS): number {
  return Math.max(1, Math.ceil(windowS / points));
}

/**
 * Seconds each chart point looks back over: at least 10 s and two steps, like Grafana's $__rate_interval,
 * so a point's rate or quantile rests on more than one second's requests and the lines do not zigzag.
 */
export function rangeFor(step: number): number {
  return Math.max(10, 2 * step);
}

export function dashboardData(src: ViewSources, windowS: number): DashboardData {
  const now = (src.now ?? Date.now)();
  const { history } = src;
  const current = history.currentSecond();
  const step = stepFor(windowS);
  const proc = src.process();
  return {
    generatedAt: now,
    window: { seconds: windowS, step, range: rangeFor(step) },
    gateway: {
      ...src.gateway,
      history: { seconds: history.seconds, bytes: history.bytes, recent: src.recent.capacity },
    },
    upstream: upstreamInfo(src.upstream.snapshot, src.upstreamOrigin, now),
    now: {
      inflight: src.state.inflight(),
      queued: src.state.queued(),
      upstreamActive: src.state.upstreamActive(),
      concurrencyLimit: src.state.concurrencyLimit(),
      cpu: proc.cpu,
      rssBytes: proc.rssBytes,
      heapBytes: proc.heapBytes,
    },
    totals: totals(history, current, windowS),
    series: series(history, current, windowS, step),
    recent: src.recent.list(RECENT_ROWS),
  };
}

export function statusData(src: ViewSources): StatusData {
  const now = (src.now ?? Date.now)();
  const { history } = src;
  const current = history.currentSecond();
  const agg = history.aggregate(current - STATUS_WINDOW_S + 1, current);
  const b = history.buckets;
  const ttft = quantiles(b.ttft, agg.histograms.ttft);
  const duration = quantiles(b.duration, agg.histograms.generationDuration);
  const errorRatio = ratio(agg.counters.status5xx, agg.counters.requests);
  const up = src.upstream.snapshot.up;
  // The status is decided on exact figures; only what is published is rounded.
  return roundStatus({
    status: !up ? "down" : errorRatio !== null && errorRatio >= DEGRADED_ERROR_RATIO ? "degraded" : "ok",
    upstream: { up },
    window_s: STATUS_WINDOW_S,
    requests: agg.counters.requests,
    error_ratio: errorRatio,
    typical_response_s: ttft.count > 0 ? ttft.p50 : duration.p50,
    ttft_p50_s: ttft.p50,
    ttft_p95_s: ttft.p95,
    duration_p50_s: duration.p50,
    duration_p95_s: duration.p95,
    in_flight: src.state.inflight(),
    queued: src.state.queued(),
    updated_at: new Date(now).toISOString(),
  });
}

function totals(history: History, current: number, windowS: number): WindowTotals {
  const agg = history.aggregate(current - windowS + 1, current);
  const minute = history.aggregate(current - 60, current - 1);
  const b = history.buckets;
  const c = agg.counters;
  return {
    requests: c.requests,
    errors5xx: c.status5xx,
    errors4xx: c.status4xx,
    errorRatio: ratio(c.status5xx, c.requests),
    promptTokens: c.promptTokens,
    completionTokens: c.completionTokens,
    outcomes: agg.outcomes,
    streams: agg.streams,
    latency: quantiles(b.duration, agg.histograms.duration),
    generationLatency: quantiles(b.duration, agg.histograms.generationDuration),
    ttft: quantiles(b.ttft, agg.histograms.ttft),
    overhead: quantiles(b.overhead, agg.histograms.overhead),
    decodeSpeed: quantiles(b.decodeSpeed, agg.histograms.decodeSpeed),
    lastMinute: {
      seconds: minute.seconds,
      requestsPerS: minute.seconds > 0 ? minute.counters.requests / minute.seconds : 0,
      completionTokensPerS: minute.seconds > 0 ? minute.counters.completionTokens / minute.seconds : 0,
    },
  };
}

/**
 * Points at multiples of `step` (so they do not shift between refreshes); the point at t covers the
 * rangeFor(step) seconds that end with t + step - 1, over complete seconds only (the second in progress would
 * read as a dip in every rate). Gauges take the step's own seconds (peaks are not smoothed away).
 */
function series(history: History, current: number, windowS: number, step: number): Series {
  const end = current - 1;
  const start = end - windowS + 1;
  const range = rangeFor(step);
  const b = history.buckets;
  const out: Series = {
    t: [],
    requestsPerS: [],
    errors5xxPerS: [],
    errors4xxPerS: [],
    errorRatio: [],
    latencyP50: [],
    latencyP95: [],
    ttftP50: [],
    ttftP95: [],
    overheadP50: [],
    overheadP95: [],
    completionTokensPerS: [],
    promptTokensPerS: [],
    decodeSpeedP50: [],
    inflight: [],
    queued: [],
    upstreamActive: [],
    cpu: [],
    rssBytes: [],
    heapBytes: [],
    streamsPerS: Object.fromEntries(OUTCOMES.map((o) => [o, []])) as unknown as Record<Outcome, Maybe[]>,
  };
  for (let t = Math.floor(start / step) * step; t <= end; t += step) {
    const last = Math.min(t + step - 1, end);
    const agg = history.aggregate(last - range + 1, last);
    const own = history.aggregate(Math.max(t, start), last);
    const rate = (n: number): Maybe => (agg.seconds > 0 ? n / agg.seconds : null);
    const c = agg.counters;
    const h = agg.histograms;
    out.t.push(t);
    out.requestsPerS.push(rate(c.requests));
    out.errors5xxPerS.push(rate(c.status5xx));
    out.errors4xxPerS.push(rate(c.status4xx));
    out.errorRatio.push(ratio(c.status5xx, c.requests));
    out.latencyP50.push(histogramQuantile(0.5, b.duration, h.duration));
    out.latencyP95.push(histogramQuantile(0.95, b.duration, h.duration));
    out.ttftP50.push(histogramQuantile(0.5, b.ttft, h.ttft));
    out.ttftP95.push(histogramQuantile(0.95, b.ttft, h.ttft));
    out.overheadP50.push(histogramQuantile(0.5, b.overhead, h.overhead));
    out.overheadP95.push(histogramQuantile(0.95, b.overhead, h.overhead));
    out.completionTokensPerS.push(rate(c.completionTokens));
    out.promptTokensPerS.push(rate(c.promptTokens));
    out.decodeSpeedP50.push(histogramQuantile(0.5, b.decodeSpeed, h.decodeSpeed));
    out.inflight.push(own.gauges.inflight.max);
    out.queued.push(own.gauges.queued.max);
    out.upstreamActive.push(own.gauges.upstreamActive.max);
    out.cpu.push(own.gauges.cpu.mean);
    out.rssBytes.push(own.gauges.rssBytes.last);
    out.heapBytes.push(own.gauges.heapBytes.last);
    for (const o of OUTCOMES) out.streamsPerS[o].push(rate(agg.streams[o]));
  }
  return out;
}

function quantiles(
  bounds: readonly number[],
  counts: Aggregate["histograms"][keyof Aggregate["histograms"]],
): Quantiles {
  let count = 0;
  for (const n of counts) count += n;
  return {
    count,
    p50: histogramQuantile(0.5, bounds, counts),
    p95: histogramQuantile(0.95, bounds, counts),
  };
}

function ratio(part: number, whole: number): Maybe {
  return whole > 0 ? part / whole : null;
}

function upstreamInfo(snap: UpstreamSnapshot, origin: string, now: number): UpstreamInfo {
  return {
    up: snap.up,
    version: snap.version ?? null,
    origin,
    error: snap.lastError ?? null,
    polledAt: snap.polledAt ?? null,
    models: snap.models.map((m) => ({
      name: m.name,
      sizeBytes: m.size,
      parameterSize: m.details.parameter_size,
      quantization: m.details.quantization_level,
      family: m.details.family,
    })),
    loaded: snap.loaded.map((p) => {
      const expires = Date.parse(p.expires_at);
      return {
        name: p.model || p.name,
        sizeBytes: p.size,
        vramBytes: p.size_vram,
        contextLength: p.context_length,
        expiresInS: Number.isFinite(expires) ? Math.max(0, (expires - now) / 1000) : null,
      };
    }),
  };
}
