// The JSON the dashboard's endpoints answer with; shared by the server and the browser code (type-only, no runtime).

import type { Outcome, RouteName } from "../events/request-events.js";

/** A value over a window; null when the window holds no observation. */
export type Maybe = number | null;

/** GET /ui/api/dashboard?window=SECONDS */
export interface DashboardData {
  /** Epoch milliseconds when the answer was made. */
  generatedAt: number;
  window: {
    /** Length asked for (60 … history seconds). */
    seconds: number;
    /** Seconds between chart points. */
    step: number;
    /** Seconds each point's rates and quantiles look back over (at least 10 s and two steps). */
    range: number;
  };
  gateway: GatewayInfo;
  upstream: UpstreamInfo;
  /** Live readings, sampled at the request. */
  now: {
    inflight: number;
    queued: number;
    upstreamActive: number;
    /** max-concurrency; 0 = unlimited. */
    concurrencyLimit: number;
    /** Process CPU over the last second, in cores (1 = one core busy). */
    cpu: Maybe;
    rssBytes: number;
    heapBytes: number;
  };
  totals: WindowTotals;
  series: Series;
  /** Newest first; no prompt or completion text. */
  recent: RecentRequest[];
}

export interface GatewayInfo {
  version: string;
  node: string;
  /** Epoch milliseconds. */
  startedAt: number;
  /** API keys are configured (the data needs one). */
  keys: boolean;
  maxQueue: number;
  history: {
    /** Seconds of history kept at 1 s resolution: the longest window. */
    seconds: number;
    /** Bytes the history's ring holds, fixed at start. */
    bytes: number;
    /** Entries the recent-requests ring holds. */
    recent: number;
  };
}

export interface UpstreamInfo {
  up: boolean;
  version: string | null;
  /** The upstream's origin (scheme, host, port): no path, no credentials. */
  origin: string;
  /** Why the last poll failed, when it did. */
  error: string | null;
  /** Epoch milliseconds of the last poll. */
  polledAt: number | null;
  models: {
    name: string;
    sizeBytes: number;
    parameterSize: string;
    quantization: string;
    family: string;
  }[];
  loaded: {
    name: string;
    sizeBytes: number;
    vramBytes: number;
    contextLength: number;
    /** Seconds until Ollama unloads it, as of generatedAt; null when unknown. */
    expiresInS: Maybe;
  }[];
}

/** Over the whole window, from the same per-second buckets as the series. */
export interface WindowTotals {
  requests: number;
  errors5xx: number;
  errors4xx: number;
  /** 5xx / all requests; null without requests. */
  errorRatio: Maybe;
  promptTokens: number;
  completionTokens: number;
  outcomes: Record<Outcome, number>;
  streams: Record<Outcome, number>;
  latency: Quantiles;
  /** Latency of the generating routes only (chat and completions, OpenAI and native). */
  generationLatency: Quantiles;
  ttft: Quantiles;
  overhead: Quantiles;
  decodeSpeed: Quantiles;
  /** Rates over the last complete minute (less while the gateway is younger than that). */
  lastMinute: {
    /** Seconds the rates are computed over: 60, or fewer while the gateway is younger; the tiles say it. */
    seconds: number;
    requestsPerS: number;
    completionTokensPerS: number;
  };
}

/** Quantiles computed like histogram_quantile() over the /metrics bucket layout. Seconds or tokens/s. */
export interface Quantiles {
  count: number;
  p50: Maybe;
  p95: Maybe;
}

/**
 * One value per chart point at t[i] (epoch seconds). Rates and quantiles cover the `range` seconds ending
 * with t[i] + step - 1; gauges cover [t[i], t[i] + step). Null: no data there.
 */
export interface Series {
  t: number[];
  requestsPerS: Maybe[];
  errors5xxPerS: Maybe[];
  errors4xxPerS: Maybe[];
  errorRatio: Maybe[];
  latencyP50: Maybe[];
  latencyP95: Maybe[];
  ttftP50: Maybe[];
  ttftP95: Maybe[];
  overheadP50: Maybe[];
  overheadP95: Maybe[];
  completionTokensPerS: Maybe[];
  promptTokensPerS: Maybe[];
  decodeSpeedP50: Maybe[];
  /** Highest sampled value within the point. */
  inflight: Maybe[];
  queued: Maybe[];
  upstreamActive: Maybe[];
  /** Mean CPU, in cores. */
  cpu: Maybe[];
  /** Last sampled resident memory within the point. */
  rssBytes: Maybe[];
  heapBytes: Maybe[];
  /** Streams per second by outcome. */
  streamsPerS: Record<Outcome, Maybe[]>;
}

export interface RecentRequest {
  id: string;
  /** When it finished, epoch milliseconds. */
  at: number;
  method: string;
  route: RouteName;
  model: string | null;
  /** The API key's name (never the secret). */
  key: string | null;
  status: number;
  outcome: Outcome;
  stream: boolean;
  durationMs: number;
  ttftMs: Maybe;
  queueMs: Maybe;
  promptTokens: Maybe;
  completionTokens: Maybe;
  decodeTps: Maybe;
  errorCode: string | null;
}

/** GET /status.json: public, for chat frontends and the widget. */
export interface StatusData {
  /** ok; degraded (5% or more of the window's requests failed with 5xx); down (the upstream does not answer). */
  status: "ok" | "degraded" | "down";
  upstream: { up: boolean };
  /** The window the latencies cover, seconds. */
  window_s: number;
  /** Requests in the window (the sample behind the numbers). */
  requests: number;
  error_ratio: Maybe;
  /** What the widget shows: median time to first token of streams, else median duration of generations. */
  typical_response_s: Maybe;
  ttft_p50_s: Maybe;
  ttft_p95_s: Maybe;
  /** Generating routes only. */
  duration_p50_s: Maybe;
  duration_p95_s: Maybe;
  in_flight: number;
  queued: number;
  /** ISO 8601. */
  updated_at: string;
}
