// /status.json precision: one rounding rule per field, applied to every numeric field.

import { describe, expect, test } from "vitest";
import type { StatusData } from "./api-types.js";
import { roundStatus, roundTo, STATUS_PRECISION } from "./precision.js";

describe("roundTo", () => {
  test.each([
    { value: 7.999999999999998, decimals: 3, out: 8 },
    { value: 0.30000000000000004, decimals: 4, out: 0.3 },
    { value: 1.23456, decimals: 3, out: 1.235 },
    { value: 1.2344, decimals: 3, out: 1.234 },
    { value: 0.0005, decimals: 3, out: 0.001 },
    { value: 0.00004, decimals: 4, out: 0 },
    { value: 0.052631578947368425, decimals: 4, out: 0.0526 },
    { value: 2.5, decimals: 0, out: 3 },
    { value: -2.5, decimals: 0, out: -3 },
    { value: -0.0001, decimals: 3, out: 0 },
    { value: 42, decimals: 0, out: 42 },
    { value: null, decimals: 3, out: null },
    { value: Number.NaN, decimals: 3, out: null },
    { value: Number.POSITIVE_INFINITY, decimals: 3, out: null },
  ])("$value to $decimals places → $out", ({ value, decimals, out }) => {
    const rounded = roundTo(value, decimals);
    expect(rounded).toBe(out);
    if (rounded !== null) expect(String(rounded).split(".")[1]?.length ?? 0).toBeLessThanOrEqual(decimals);
  });
});

describe("roundStatus", () => {
  const raw: StatusData = {
    status: "degraded",
    upstream: { up: true },
    window_s: 300,
    requests: 19,
    error_ratio: 1 / 19,
    typical_response_s: 7.999999999999998,
    ttft_p50_s: 7.999999999999998,
    ttft_p95_s: 14.612345,
    duration_p50_s: 0.30000000000000004,
    duration_p95_s: null,
    in_flight: 1,
    queued: 0,
    updated_at: "2026-01-01T12:00:00.000Z",
  };

  test("every numeric field is published at its precision; the rest is untouched", () => {
    expect(roundStatus(raw)).toEqual({
      ...raw,
      error_ratio: 0.0526,
      typical_response_s: 8,
      ttft_p50_s: 8,
      ttft_p95_s: 14.612,
      duration_p50_s: 0.3,
    });
  });

  test.each(Object.entries(STATUS_PRECISION))("%s keeps at most %i decimals", (key, decimals) => {
    const noisy = { ...raw, [key]: 1 / 3 } as StatusData;
    const value = roundStatus(noisy)[key as keyof typeof STATUS_PRECISION];
    expect(value).toBe(roundTo(1 / 3, decimals));
  });
});
