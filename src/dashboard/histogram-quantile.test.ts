// histogramQuantile against hand-computed values of Prometheus' bucketQuantile.

import { expect, test } from "vitest";
import { histogramQuantile } from "./histogram-quantile.js";

const BOUNDS = [0.1, 0.5, 1, 5];

test.each([
  // q, non-cumulative counts (+Inf last), expected
  { q: 0.5, counts: [0, 0, 0, 0, 0], want: null }, // no observation: Prometheus' NaN
  { q: 0.5, counts: [10, 0, 0, 0, 0], want: 0.05 }, // first bucket interpolates from 0
  { q: 0.5, counts: [0, 10, 0, 0, 0], want: 0.3 }, // rank 5 of 10 in (0.1, 0.5]
  { q: 0.95, counts: [5, 5, 10, 0, 0], want: 0.95 }, // rank 19 falls 9 of 10 into (0.5, 1]
  { q: 0.5, counts: [1, 1, 1, 1, 0], want: 0.5 }, // rank 2 is the top of the second bucket
  { q: 0.99, counts: [0, 0, 0, 1, 9], want: 5 }, // +Inf bucket: the highest finite bound
  { q: 1, counts: [3, 0, 0, 0, 0], want: 0.1 },
  { q: 0, counts: [0, 4, 0, 0, 0], want: 0 }, // rank 0 lands in the first (empty) bucket: its lower edge
  { q: 1.5, counts: [1, 0, 0, 0, 0], want: null },
  { q: -0.1, counts: [1, 0, 0, 0, 0], want: null },
])("q=$q over $counts is $want", ({ q, counts, want }) => {
  const got = histogramQuantile(q, BOUNDS, counts);
  if (want === null) expect(got).toBeNull();
  else expect(got).toBeCloseTo(want, 12);
});

test("a non-positive first bound is returned as is, like Prometheus", () => {
  expect(histogramQuantile(0.5, [0, 1], [4, 0, 0])).toBe(0);
});
