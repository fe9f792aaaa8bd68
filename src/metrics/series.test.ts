// The lean counters and histograms must be indistinguishable from prom-client's through get(), which the renderer,
// the docs and every scrape read: same samples, same labels, same order within a series.
import fc from "fast-check";
import { Counter, Histogram, Registry } from "prom-client";
import { describe, expect, test } from "vitest";
import { renderMetrics } from "./exposition.js";
import { SeriesCounter, SeriesHistogram } from "./series.js";

const BUCKETS = [0.005, 0.1, 1, 2.5, 10];
const label = fc.constantFrom("a", "b", "/v1/chat/completions", "qwen3:32b", "");
const value = fc.oneof(fc.double({ min: 0, max: 20, noNaN: true }), fc.constantFrom(0, 0.1, 1, 10, 11));
const ops = fc.array(fc.record({ x: label, y: label, v: value }), { maxLength: 60 });

/**
 * get() as the renderer reads it: an absent, null or undefined exemplar are the same (prom-client mixes them), and
 * exemplar timestamps differ by when each was taken.
 */
async function values(metric: { get(): Promise<unknown> }) {
  const data = (await metric.get()) as {
    values: { exemplar?: { labelSet: unknown; value: number } | null }[];
  };
  for (const v of data.values) {
    if (v.exemplar) v.exemplar = { labelSet: v.exemplar.labelSet, value: v.exemplar.value };
    else delete v.exemplar;
  }
  return data;
}

describe("SeriesHistogram", () => {
  test("get() equals prom-client's Histogram for any sequence of observations", async () => {
    await fc.assert(
      fc.asyncProperty(ops, async (seq) => {
        const reference = new Histogram({
          name: "h",
          help: "h",
          labelNames: ["x", "y"],
          buckets: BUCKETS,
          registers: [],
        });
        const lean = new SeriesHistogram({ name: "h", help: "h", labelNames: ["x", "y"], buckets: BUCKETS });
        for (const { x, y, v } of seq) {
          reference.observe({ x, y }, v);
          lean.observe({ y, x }, v);
        }
        expect(await values(lean)).toEqual(await values(reference));
      }),
      { numRuns: 200 },
    );
  });

  test("with exemplars: the object form, the last exemplar per bucket (+Inf included), as prom-client keeps them", async () => {
    const options = { name: "e", help: "e", labelNames: ["x"], buckets: BUCKETS, enableExemplars: true };
    const reference = new Histogram({ ...options, registers: [] });
    const lean = new SeriesHistogram(options);
    for (const [x, v, id] of [
      ["a", 0.05, "r1"],
      ["a", 0.07, "r2"],
      ["b", 3, "r3"],
      ["a", 50, "r4"],
    ] as const) {
      reference.observe({ labels: { x }, value: v, exemplarLabels: { request_id: id } });
      lean.observe({ labels: { x }, value: v, exemplarLabels: { request_id: id } });
    }
    expect(await values(lean)).toEqual(await values(reference));
    const exemplars = (await lean.get()).values.filter((v) => v.exemplar).map((v) => v.exemplar?.labelSet);
    expect(exemplars).toEqual([{ request_id: "r2" }, { request_id: "r4" }, { request_id: "r3" }]);
  });

  test("without labels: one zero series from the start, and after reset()", async () => {
    const reference = new Histogram({ name: "z", help: "z", buckets: BUCKETS, registers: [] });
    const lean = new SeriesHistogram({ name: "z", help: "z", buckets: BUCKETS });
    expect(await values(lean)).toEqual(await values(reference));
    lean.observe(0.2);
    reference.observe(0.2);
    expect(await values(lean)).toEqual(await values(reference));
    // After reset() it is as new (prom-client's own Histogram.reset() would drop the series altogether).
    lean.reset();
    const fresh = new Histogram({ name: "z", help: "z", buckets: BUCKETS, registers: [] });
    expect(await values(lean)).toEqual(await values(fresh));
  });

  test("a value that is not a finite number is refused, like prom-client", () => {
    const lean = new SeriesHistogram({ name: "n", help: "n", buckets: BUCKETS });
    expect(() => lean.observe(Number.NaN)).toThrow(TypeError);
    expect(() => lean.observe({ value: Number.POSITIVE_INFINITY })).toThrow(TypeError);
  });
});

describe("SeriesCounter", () => {
  test("get() equals prom-client's Counter, zero-created series and remove() included", async () => {
    await fc.assert(
      fc.asyncProperty(ops, fc.array(label, { maxLength: 3 }), async (seq, removed) => {
        const reference = new Counter({ name: "c", help: "c", labelNames: ["x", "y"], registers: [] });
        const lean = new SeriesCounter({ name: "c", help: "c", labelNames: ["x", "y"] });
        for (const { x, y, v } of seq) {
          const amount = v > 15 ? 0 : v;
          reference.inc({ x, y }, amount);
          lean.inc({ x, y }, amount);
        }
        for (const x of removed) {
          reference.remove({ x, y: x });
          lean.remove({ x, y: x });
        }
        expect(await lean.get()).toEqual(await reference.get());
      }),
      { numRuns: 200 },
    );
  });

  test("refuses to go down, and counts 1 by default", async () => {
    const lean = new SeriesCounter({ name: "d", help: "d" });
    expect(() => lean.inc(-1)).toThrow();
    lean.inc();
    lean.inc(2);
    expect((await lean.get()).values).toEqual([{ value: 3, labels: {} }]);
  });
});

test("registered in a prom-client registry, both render the same exposition", async () => {
  const a = new Registry();
  const b = new Registry();
  const options = { name: "t_seconds", help: "t", labelNames: ["x"], buckets: BUCKETS };
  const reference = new Histogram({ ...options, registers: [a] });
  const lean = new SeriesHistogram(options).register(b);
  const counterRef = new Counter({ name: "t_total", help: "n", labelNames: ["x"], registers: [a] });
  const counter = new SeriesCounter({ name: "t_total", help: "n", labelNames: ["x"] }).register(b);
  for (const [x, v] of [
    ["p", 0.3],
    ["q", 4],
    ["p", 30],
  ] as const) {
    reference.observe({ x }, v);
    lean.observe({ x }, v);
    counterRef.inc({ x });
    counter.inc({ x });
  }
  for (const format of ["prometheus", "openmetrics"] as const)
    expect(await renderMetrics(b, format)).toBe(await renderMetrics(a, format));
  expect(b.getSingleMetric("t_seconds")).toBe(lean);
});
