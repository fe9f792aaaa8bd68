// The lean counters, histograms and gauges must be indistinguishable from prom-client's through get(), which the renderer,
// the docs and every scrape read: same samples, same labels, same order within a series.
import fc from "fast-check";
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { describe, expect, test } from "vitest";
import { renderMetrics } from "./exposition.js";
import { FuncGauge, type GaugeReading, SeriesCounter, SeriesHistogram } from "./series.js";

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

describe("FuncGauge", () => {
  test("get() equals prom-client's Gauge set to the same values", async () => {
    const sets = fc.array(fc.tuple(label, label, fc.double({ min: -5, max: 5, noNaN: true })), {
      maxLength: 20,
    });
    await fc.assert(
      fc.asyncProperty(sets, async (seq) => {
        const reference = new Gauge({ name: "g", help: "g", labelNames: ["x", "y"], registers: [] });
        for (const [x, y, v] of seq) reference.set({ x, y }, v);
        const lean = new FuncGauge({
          name: "g",
          help: "g",
          labelNames: ["x", "y"],
          read: () => seq.map(([x, y, v]) => [{ x, y }, v] as const),
        });
        expect(await values(lean)).toEqual(await values(reference));
      }),
    );
  });

  test.each<[string, GaugeReading<"model">, string]>([
    ["a number without labels", 3, "g 3\n"],
    ["zero", 0, "g 0\n"],
    ["no series", [], ""],
    [
      "one series per label set",
      [
        [{ model: "a" }, 1],
        [{ model: "b" }, 2],
      ],
      'g{model="a"} 1\ng{model="b"} 2\n',
    ],
    [
      "a label set listed twice keeps the last value",
      [
        [{ model: "a" }, 1],
        [{ model: "a" }, 5],
      ],
      'g{model="a"} 5\n',
    ],
  ])("%s", async (_, reading, samples) => {
    const gauge = new FuncGauge({ name: "g", help: "h", labelNames: ["model"], read: () => reading });
    const text = await renderMetrics({ getMetricsAsArray: () => [gauge] }, "prometheus");
    expect(text).toBe(`# HELP g h\n# TYPE g gauge\n${samples}`);
  });

  test("reads on every scrape and only then; labels come out in labelNames order", async () => {
    let reads = 0;
    const registry = new Registry();
    new FuncGauge({
      name: "info",
      help: "h",
      labelNames: ["version", "node_version"],
      read: () => {
        reads++;
        return [[{ node_version: "20", version: `1.${reads}` }, 1]];
      },
    }).register(registry);
    expect(reads).toBe(0);
    expect(await renderMetrics(registry, "prometheus")).toContain(
      'info{version="1.1",node_version="20"} 1\n',
    );
    expect(await renderMetrics(registry, "prometheus")).toContain(
      'info{version="1.2",node_version="20"} 1\n',
    );
    expect(reads).toBe(2);
  });

  test("a read that throws fails the scrape", async () => {
    const registry = new Registry();
    new FuncGauge({
      name: "g",
      help: "h",
      read: () => {
        throw new Error("state gone");
      },
    }).register(registry);
    await expect(renderMetrics(registry, "prometheus")).rejects.toThrow("state gone");
  });
});
