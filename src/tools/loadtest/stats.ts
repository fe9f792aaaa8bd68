// Turns one concurrency level's samples into its summary: latency and TTFT percentiles, tokens per second, errors.

import type { Sample } from "./request.js";

export interface Distribution {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
}

export interface LevelSummary {
  concurrency: number;
  /** Requests that ended (succeeded or failed); interrupted ones are not counted. */
  requests: number;
  ok: number;
  /** Failed requests by kind (see ErrorKind), and the first message seen for each. */
  errors: Record<string, number>;
  errorExamples: Record<string, string>;
  /** From the first request sent to the last one ended. */
  wallSeconds: number;
  /** Successful requests per second of wall time. */
  requestsPerSecond: number;
  /** Of successful requests, ms. */
  latencyMs: Distribution | null;
  /** Of successful streams, ms. */
  ttftMs: Distribution | null;
  tokensPerSecond: {
    /**
     * Per request: completion tokens after the first, over the time after the first token (streams), or
     * completion tokens over latency (whole responses). The decoding speed one user sees.
     */
    perStream: Distribution | null;
    /** Completion tokens of successful requests per second of wall time: what the server delivered in all. */
    total: number;
  };
  promptTokensMean: number | null;
  completionTokens: { total: number; mean: number | null };
  /** Successful responses without usage (completion tokens then counted as output chunks). */
  usageMissing: number;
  /** The run was interrupted during this level. */
  interrupted: boolean;
}

/** Nearest-rank percentile of sorted values (q in 0..1). */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function distribution(values: readonly number[]): Distribution | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    mean: sum / sorted.length,
    max: sorted[sorted.length - 1] as number,
  };
}

/** The decoding speed of one successful request, or undefined when it cannot be told (no tokens, no time). */
export function streamTokensPerSecond(s: Sample): number | undefined {
  const tokens = s.completionTokens;
  if (tokens === undefined || tokens <= 0) return undefined;
  if (s.ttftMs !== undefined) {
    const decodeMs = s.latencyMs - s.ttftMs;
    return tokens > 1 && decodeMs > 0 ? ((tokens - 1) * 1000) / decodeMs : undefined;
  }
  return s.latencyMs > 0 ? (tokens * 1000) / s.latencyMs : undefined;
}

export function summarise(
  concurrency: number,
  samples: readonly Sample[],
  wallMs: number,
  interrupted = false,
): LevelSummary {
  const counted = samples.filter((s) => s.error !== "aborted");
  const ok = counted.filter((s) => s.error === undefined);
  const errors: Record<string, number> = {};
  const errorExamples: Record<string, string> = {};
  for (const s of counted) {
    if (s.error === undefined) continue;
    errors[s.error] = (errors[s.error] ?? 0) + 1;
    if (s.errorMessage !== undefined) errorExamples[s.error] ??= s.errorMessage;
  }
  const wallSeconds = wallMs / 1000;
  const completion = ok.map((s) => s.completionTokens).filter((t): t is number => t !== undefined);
  const prompt = ok.map((s) => s.promptTokens).filter((t): t is number => t !== undefined);
  const completionTotal = completion.reduce((a, b) => a + b, 0);
  return {
    concurrency,
    requests: counted.length,
    ok: ok.length,
    errors,
    errorExamples,
    wallSeconds,
    requestsPerSecond: wallSeconds > 0 ? ok.length / wallSeconds : 0,
    latencyMs: distribution(ok.map((s) => s.latencyMs)),
    ttftMs: distribution(ok.map((s) => s.ttftMs).filter((t): t is number => t !== undefined)),
    tokensPerSecond: {
      perStream: distribution(ok.map(streamTokensPerSecond).filter((t): t is number => t !== undefined)),
      total: wallSeconds > 0 ? completionTotal / wallSeconds : 0,
    },
    promptTokensMean: prompt.length ? prompt.reduce((a, b) => a + b, 0) / prompt.length : null,
    completionTokens: {
      total: completionTotal,
      mean: completion.length ? completionTotal / completion.length : null,
    },
    usageMissing: ok.filter((s) => s.usageMissing).length,
    interrupted,
  };
}
