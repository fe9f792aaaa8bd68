// Quantiles from bucket counts, computed the way Prometheus' histogram_quantile() does, so the dashboard and Grafana agree.

/**
 * The q-quantile of observations counted in buckets with the given upper bounds (an implicit +Inf bucket
 * follows the last bound). `counts` holds one non-cumulative count per bucket, the +Inf bucket last, so its
 * length is `bounds.length + 1`.
 *
 * Follows Prometheus' `bucketQuantile` (promql/quantile.go): the rank q x total is located in the cumulative
 * counts and interpolated linearly inside its bucket, the first bucket starting at 0; a rank that falls in
 * the +Inf bucket yields the highest finite bound. Returns null (Prometheus: NaN) when there is no
 * observation, and for q outside [0, 1].
 */
export function histogramQuantile(
  q: number,
  bounds: readonly number[],
  counts: ArrayLike<number>,
): number | null {
  if (!(q >= 0 && q <= 1) || bounds.length === 0) return null;
  let total = 0;
  for (let i = 0; i <= bounds.length; i++) total += counts[i] ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < bounds.length; i++) {
    const inBucket = counts[i] ?? 0;
    if (below + inBucket >= rank) {
      const end = bounds[i] as number;
      if (i === 0 && end <= 0) return end;
      const start = i === 0 ? 0 : (bounds[i - 1] as number);
      // An empty bucket reached only because rank = below (q = 0): its lower edge.
      if (inBucket === 0) return start;
      return start + (end - start) * ((rank - below) / inBucket);
    }
    below += inBucket;
  }
  return bounds[bounds.length - 1] as number;
}
