// The precision /status.json publishes each number at: one table, applied once, as the answer is built.

import type { StatusData } from "./api-types.js";

/** The fields of T that hold a number (or null for "no data"). */
type NumericKeys<T> = { [K in keyof T]: T[K] extends number | null ? K : never }[keyof T];

/**
 * Decimals kept per numeric field of /status.json. Seconds to the millisecond (the histograms behind them
 * are coarser than that, so nothing real is lost); ratios to 4 decimals (0.01 %, finer than the 5 % degraded
 * threshold needs); counts whole. Without it a quantile interpolated inside a bucket reads 7.999999999999998.
 * Every numeric field must be listed: the compiler reports one added to StatusData and missing here.
 */
export const STATUS_PRECISION = {
  window_s: 0,
  requests: 0,
  error_ratio: 4,
  typical_response_s: 3,
  ttft_p50_s: 3,
  ttft_p95_s: 3,
  duration_p50_s: 3,
  duration_p95_s: 3,
  in_flight: 0,
  queued: 0,
} as const satisfies Record<NumericKeys<StatusData>, number>;

/**
 * Rounds half away from zero to `decimals` places; null stays null (no data). The result is the double
 * nearest the decimal, so JSON prints it in at most `decimals` places. Non-finite values become null: JSON
 * has no NaN or Infinity, and JSON.stringify would write them as null anyway.
 */
export function roundTo(value: number | null, decimals: number): number | null {
  if (value === null || !Number.isFinite(value)) return null;
  const scale = 10 ** decimals;
  const rounded = Math.sign(value) * Math.round(Math.abs(value) * scale);
  // Math.round(-0.4) is -0; a published figure reads 0.
  return rounded === 0 ? 0 : rounded / scale;
}

/** The status answer with every number at its published precision. */
export function roundStatus(data: StatusData): StatusData {
  const out = { ...data };
  for (const [key, decimals] of Object.entries(STATUS_PRECISION) as [
    keyof typeof STATUS_PRECISION,
    number,
  ][]) {
    (out as Record<typeof key, number | null>)[key] = roundTo(data[key], decimals);
  }
  return out;
}
