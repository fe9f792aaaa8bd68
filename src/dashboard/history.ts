// The dashboard's in-memory history: a ring of per-second buckets, allocated once, fed by the same records as /metrics.

import type { Outcome, RequestRecord } from "../events/request-events.js";
import { OUTCOMES } from "../events/request-events.js";
import { GENERATING_ROUTES } from "../http/route-table.js";

/** Upper bounds of the histograms kept per second; the /metrics layout, so quantiles agree with Prometheus'. */
export interface BucketLayout {
  /** request_duration_seconds: every request (and, separately, the generating routes). */
  duration: readonly number[];
  /** time_to_first_token_seconds. */
  ttft: readonly number[];
  /** gateway_overhead_seconds. */
  overhead: readonly number[];
  /** decode_tokens_per_second. */
  decodeSpeed: readonly number[];
}

export const COUNTERS = ["requests", "status4xx", "status5xx", "promptTokens", "completionTokens"] as const;
export type CounterName = (typeof COUNTERS)[number];

/** Sampled once a second; a second without a sample reads as "no value". */
export const GAUGES = ["inflight", "queued", "upstreamActive", "cpu", "rssBytes", "heapBytes"] as const;
export type GaugeName = (typeof GAUGES)[number];
export type GaugeSample = Record<GaugeName, number>;
const PEAK_GAUGES: ReadonlySet<GaugeName> = new Set(["inflight", "queued", "upstreamActive"]);

export const HISTOGRAMS = ["duration", "generationDuration", "ttft", "overhead", "decodeSpeed"] as const;
export type HistogramName = (typeof HISTOGRAMS)[number];

/** Sums over a range of seconds. Histogram counts are per bucket (not cumulative), +Inf last. */
export interface Aggregate {
  /** First and last second (epoch seconds, inclusive) of the range. */
  from: number;
  to: number;
  /** Seconds of the range the history covers (the gateway ran and the ring still holds them). */
  seconds: number;
  counters: Record<CounterName, number>;
  outcomes: Record<Outcome, number>;
  /** Streams that started (HTTP 200 sent), by how they ended. */
  streams: Record<Outcome, number>;
  histograms: Record<HistogramName, Float64Array>;
  gauges: Record<GaugeName, { max: number | null; mean: number | null; last: number | null }>;
}

interface Bins {
  bounds: readonly number[];
  /** bounds.length + 1 counts per second, +Inf last. */
  bins: Uint32Array;
}

export interface HistoryOptions {
  buckets: BucketLayout;
  /** Seconds kept; the longest window that can be asked for. Default 3600. */
  seconds?: number;
  /** Epoch milliseconds; tests pass a fake clock. */
  now?: () => number;
}

/**
 * Memory is fixed when the history is created and never grows with traffic: every column is a typed array
 * with one cell per second of `seconds` (counters and gauges as 8-byte floats, histogram bins as 4-byte
 * counts). A slot is reused when its second comes round again: it is stamped with the second it holds and
 * cleared when a newer second claims it, so a slot from a previous lap never reads as current. Nothing runs
 * on a timer here; the owner calls sample() once a second.
 *
 * Records land in the second they are observed (when they finish), like a Prometheus counter increments.
 * Time never runs backwards inside the history: a clock stepped back lands records in the latest second.
 */
export class History {
  readonly seconds: number;
  readonly buckets: BucketLayout;
  readonly #now: () => number;
  /** Which second each slot holds; -1 for never written. */
  readonly #stamp: Float64Array;
  readonly #counters: Record<CounterName, Float64Array>;
  readonly #outcomes: Record<Outcome, Float64Array>;
  readonly #streams: Record<Outcome, Float64Array>;
  readonly #gauges: Record<GaugeName, Float64Array>;
  readonly #hist: Record<HistogramName, Bins>;
  /** The first second the history covers (its creation), and the latest second written. */
  readonly #first: number;
  #latest: number;

  constructor(options: HistoryOptions) {
    const seconds = options.seconds ?? 3600;
    if (!(Number.isInteger(seconds) && seconds >= 60))
      throw new RangeError(`seconds must be an integer >= 60, got ${seconds}`);
    this.seconds = seconds;
    this.buckets = options.buckets;
    this.#now = options.now ?? Date.now;
    this.#stamp = new Float64Array(seconds).fill(-1);
    const columns = <K extends string>(names: readonly K[], fill: number) =>
      Object.fromEntries(names.map((n) => [n, new Float64Array(seconds).fill(fill)])) as Record<
        K,
        Float64Array
      >;
    this.#counters = columns(COUNTERS, 0);
    this.#outcomes = columns(OUTCOMES, 0);
    this.#streams = columns(OUTCOMES, 0);
    this.#gauges = columns(GAUGES, Number.NaN);
    const bounds: Record<HistogramName, readonly number[]> = {
      duration: options.buckets.duration,
      generationDuration: options.buckets.duration,
      ttft: options.buckets.ttft,
      overhead: options.buckets.overhead,
      decodeSpeed: options.buckets.decodeSpeed,
    };
    this.#hist = Object.fromEntries(
      HISTOGRAMS.map((h) => [
        h,
        { bounds: bounds[h], bins: new Uint32Array(seconds * (bounds[h].length + 1)) },
      ]),
    ) as Record<HistogramName, Bins>;
    this.#first = Math.floor(this.#now() / 1000);
    this.#latest = this.#first;
  }

  /** Bytes held by the ring's arrays: fixed at construction. */
  get bytes(): number {
    let total = this.#stamp.byteLength;
    for (const group of [this.#counters, this.#outcomes, this.#streams, this.#gauges])
      for (const column of Object.values<Float64Array>(group)) total += column.byteLength;
    for (const h of Object.values(this.#hist)) total += h.bins.byteLength;
    return total;
  }

  /** The current second (epoch seconds), never earlier than one already written. */
  currentSecond(): number {
    return Math.max(this.#latest, Math.floor(this.#now() / 1000));
  }

  /** Epoch second the history starts at (its creation). */
  get firstSecond(): number {
    return this.#first;
  }

  /** Records one finished request; derives each value exactly as GatewayMetrics.observe does for /metrics. */
  observe(r: RequestRecord): void {
    const i = this.#slot();
    const c = this.#counters;
    c.requests[i]! += 1;
    if (r.status >= 500 && r.status <= 599) c.status5xx[i]! += 1;
    else if (r.status >= 400 && r.status <= 499) c.status4xx[i]! += 1;
    this.#outcomes[r.outcome][i]! += 1;
    if (r.streamStarted) this.#streams[r.outcome][i]! += 1;
    this.#add("duration", i, r.durationMs / 1000);
    if (GENERATING_ROUTES.has(r.route)) this.#add("generationDuration", i, r.durationMs / 1000);
    this.#add("overhead", i, Math.max(0, r.durationMs - (r.upstreamMs ?? 0) - (r.queueWaitMs ?? 0)) / 1000);
    if (r.ttftMs !== undefined && r.stream) this.#add("ttft", i, r.ttftMs / 1000);
    const g = r.generation;
    if (g) {
      c.promptTokens[i]! += g.promptTokens;
      c.completionTokens[i]! += g.completionTokens;
      if (g.evalNs !== undefined && g.evalNs > 0 && g.completionTokens > 0)
        this.#add("decodeSpeed", i, g.completionTokens / (g.evalNs / 1e9));
    } else if (r.promptTokens !== undefined) {
      c.promptTokens[i]! += r.promptTokens;
    }
  }

  /**
   * Stores gauge readings in the current second. Sampled more often than once a second (so no second is
   * missed when timers drift), a second keeps the highest of the request counts and the latest CPU and memory.
   */
  sample(values: GaugeSample): void {
    const i = this.#slot();
    for (const name of GAUGES) {
      const column = this.#gauges[name];
      const before = column[i]!;
      column[i] =
        PEAK_GAUGES.has(name) && !Number.isNaN(before) ? Math.max(before, values[name]) : values[name];
    }
  }

  /** Sums over the seconds [from, to] (epoch seconds, inclusive); seconds the ring no longer holds count as absent. */
  aggregate(from: number, to: number): Aggregate {
    const zero = <K extends string>(names: readonly K[]) =>
      Object.fromEntries(names.map((n) => [n, 0])) as Record<K, number>;
    const out: Aggregate = {
      from,
      to,
      seconds: 0,
      counters: zero(COUNTERS),
      outcomes: zero(OUTCOMES),
      streams: zero(OUTCOMES),
      histograms: Object.fromEntries(
        HISTOGRAMS.map((h) => [h, new Float64Array(this.#hist[h].bounds.length + 1)]),
      ) as Record<HistogramName, Float64Array>,
      gauges: Object.fromEntries(
        GAUGES.map((g) => [g, { max: null, mean: null, last: null }]),
      ) as Aggregate["gauges"],
    };
    const sums = zero(GAUGES);
    const samples = zero(GAUGES);
    const current = this.currentSecond();
    // Seconds before the history began, in the future, or already overwritten by the ring are not covered.
    const last = Math.min(to, current);
    for (let s = Math.max(from, this.#first, current - this.seconds + 1); s <= last; s++) {
      const i = s % this.seconds;
      out.seconds++;
      if (this.#stamp[i] !== s) continue; // nothing happened in that second
      for (const name of COUNTERS) out.counters[name] += this.#counters[name][i]!;
      for (const o of OUTCOMES) {
        out.outcomes[o] += this.#outcomes[o][i]!;
        out.streams[o] += this.#streams[o][i]!;
      }
      for (const h of HISTOGRAMS) {
        const { bins } = this.#hist[h];
        const target = out.histograms[h];
        const width = target.length;
        for (let b = 0; b < width; b++) target[b]! += bins[i * width + b]!;
      }
      for (const name of GAUGES) {
        const value = this.#gauges[name][i]!;
        if (Number.isNaN(value)) continue;
        const g = out.gauges[name];
        g.max = g.max === null ? value : Math.max(g.max, value);
        g.last = value;
        sums[name] += value;
        samples[name]++;
      }
    }
    for (const name of GAUGES) if (samples[name] > 0) out.gauges[name].mean = sums[name] / samples[name];
    return out;
  }

  /** The slot of the current second, cleared first when it still holds an older second. */
  #slot(): number {
    const s = this.currentSecond();
    this.#latest = s;
    const i = s % this.seconds;
    if (this.#stamp[i] !== s) {
      this.#stamp[i] = s;
      for (const group of [this.#counters, this.#outcomes, this.#streams])
        for (const column of Object.values<Float64Array>(group)) column[i] = 0;
      for (const column of Object.values<Float64Array>(this.#gauges)) column[i] = Number.NaN;
      for (const h of Object.values(this.#hist)) {
        const width = h.bounds.length + 1;
        h.bins.fill(0, i * width, (i + 1) * width);
      }
    }
    return i;
  }

  #add(name: HistogramName, slot: number, value: number): void {
    const { bounds, bins } = this.#hist[name];
    // Prometheus buckets are "less than or equal": the first bound >= value.
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (value <= (bounds[mid] as number)) hi = mid;
      else lo = mid + 1;
    }
    bins[slot * (bounds.length + 1) + lo]! += 1;
  }
}
