// The per-second history: fixed memory whatever the traffic, window sums, ring wrap-around, gauges; on a fake clock.

import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import type { RequestRecord } from "../events/request-events.js";
import { type GaugeSample, History } from "./history.js";
import { bucketLayout } from "./index.js";

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0); // a whole second
const LAYOUT = bucketLayout({});

function record(over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: "r",
    method: "POST",
    route: "/v1/chat/completions",
    status: 200,
    outcome: "completed",
    startedAt: Date.now(),
    durationMs: 1200,
    bytesIn: 100,
    bytesOut: 1000,
    ...over,
  };
}

const GAUGES: GaugeSample = { inflight: 0, queued: 0, upstreamActive: 0, cpu: 0, rssBytes: 0, heapBytes: 0 };

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

const sec = (ms: number) => Math.floor(ms / 1000);

describe("memory", () => {
  test("is allocated once: the same bytes after 200,000 requests over two laps of the ring", () => {
    const h = new History({ buckets: LAYOUT, seconds: 600 });
    const before = h.bytes;
    // 8-byte cells for the stamp, 5 counters, 2 x 7 outcomes and 6 gauges; 4-byte histogram bins.
    const bins = (LAYOUT.duration.length + 1) * 2 + LAYOUT.ttft.length + 1 + LAYOUT.overhead.length + 1;
    expect(before).toBe(600 * (8 * (1 + 5 + 14 + 6) + 4 * (bins + LAYOUT.decodeSpeed.length + 1)));
    for (let i = 0; i < 200_000; i++) {
      if (i % 167 === 0) vi.advanceTimersByTime(1000);
      h.observe(record({ model: `m${i}`, ttftMs: 50, stream: true }));
    }
    expect(h.bytes).toBe(before);
  });

  test("the default hour at 1 s is about 2 MiB", () => {
    const h = new History({ buckets: LAYOUT });
    expect(h.seconds).toBe(3600);
    expect(h.bytes).toBeLessThan(2.5 * 1024 * 1024);
  });

  test("refuses a length shorter than a minute", () => {
    expect(() => new History({ buckets: LAYOUT, seconds: 10 })).toThrow(RangeError);
  });
});

describe("windows", () => {
  test("a record counts in the second it finished; sums cover exactly the seconds asked for", () => {
    const h = new History({ buckets: LAYOUT, seconds: 3600 });
    h.observe(record());
    vi.advanceTimersByTime(1500);
    h.observe(record({ status: 502, outcome: "upstream_error" }));
    h.observe(record({ status: 404, outcome: "rejected" }));
    const now = h.currentSecond();
    expect(now).toBe(sec(T0) + 1);
    const all = h.aggregate(now - 59, now);
    expect(all.counters).toMatchObject({ requests: 3, status5xx: 1, status4xx: 1 });
    expect(all.outcomes).toMatchObject({ completed: 1, upstream_error: 1, rejected: 1 });
    expect(h.aggregate(now, now).counters.requests).toBe(2);
    expect(h.aggregate(now - 1, now - 1).counters.requests).toBe(1);
    // Seconds before the history began are not covered; the future is not either.
    expect(all.seconds).toBe(2);
    expect(h.aggregate(now + 1, now + 5).seconds).toBe(0);
  });

  test("tokens, TTFT, decode speed and overhead are derived as /metrics derives them", () => {
    const h = new History({ buckets: LAYOUT });
    h.observe(
      record({
        stream: true,
        streamStarted: true,
        ttftMs: 300,
        upstreamMs: 1000,
        queueWaitMs: 150,
        durationMs: 1200,
        promptTokens: 12,
        completionTokens: 40,
        generation: { promptTokens: 12, completionTokens: 40, evalNs: 2e9 },
      }),
    );
    // Not a stream: its TTFT is not one the user waited for.
    h.observe(record({ stream: false, ttftMs: 5 }));
    // Embeddings: prompt tokens without a generation.
    h.observe(record({ route: "/v1/embeddings", promptTokens: 7 }));
    const now = h.currentSecond();
    const a = h.aggregate(now, now);
    expect(a.counters).toMatchObject({ promptTokens: 19, completionTokens: 40 });
    expect(a.streams.completed).toBe(1);
    const ttftBin = LAYOUT.ttft.indexOf(0.5); // 0.3 s is in (0.25, 0.5]
    expect([...a.histograms.ttft]).toEqual(LAYOUT.ttft.map((_, i) => (i === ttftBin ? 1 : 0)).concat(0));
    const decodeBin = LAYOUT.decodeSpeed.indexOf(20); // 20 tok/s is "le 20"
    expect(a.histograms.decodeSpeed[decodeBin]).toBe(1);
    const overheadBin = LAYOUT.overhead.indexOf(0.05); // 50 ms
    expect(a.histograms.overhead[overheadBin]).toBe(1);
    // The embeddings request is not a generation: generationDuration counts two, duration three.
    expect(a.histograms.generationDuration.reduce((x, y) => x + y)).toBe(2);
    expect(a.histograms.duration.reduce((x, y) => x + y)).toBe(3);
  });

  test("after a lap of the ring an old second is gone, and a reused slot starts from zero", () => {
    const h = new History({ buckets: LAYOUT, seconds: 60 });
    for (let i = 0; i < 5; i++) h.observe(record());
    const first = h.currentSecond();
    vi.advanceTimersByTime(60_000); // the same slot, one lap later
    h.observe(record());
    const now = h.currentSecond();
    expect(now - first).toBe(60);
    expect(h.aggregate(now, now).counters.requests).toBe(1);
    expect(h.aggregate(first, first).seconds).toBe(0); // outside the ring now
    expect(h.aggregate(now - 59, now).counters.requests).toBe(1);
  });

  test("seconds without traffic read as zero even when their slot holds an older lap", () => {
    const h = new History({ buckets: LAYOUT, seconds: 60 });
    for (let s = 0; s < 60; s++) {
      h.observe(record());
      vi.advanceTimersByTime(1000);
    }
    vi.advanceTimersByTime(30_000); // 30 idle seconds, their slots still stamped with the first lap
    const now = h.currentSecond();
    expect(h.aggregate(now - 29, now).counters.requests).toBe(0);
    expect(h.aggregate(now - 59, now).counters.requests).toBe(29);
  });

  test("a clock stepped back lands records in the latest second instead of overwriting newer ones", () => {
    const h = new History({ buckets: LAYOUT, seconds: 60 });
    vi.advanceTimersByTime(5000);
    h.observe(record());
    const latest = h.currentSecond();
    vi.setSystemTime(T0 + 1000);
    h.observe(record());
    expect(h.currentSecond()).toBe(latest);
    expect(h.aggregate(latest, latest).counters.requests).toBe(2);
  });
});

describe("gauges", () => {
  test("a second keeps the peak request counts and the latest CPU and memory; unsampled seconds are absent", () => {
    const h = new History({ buckets: LAYOUT });
    h.sample({ ...GAUGES, inflight: 3, queued: 1, cpu: 0.5, rssBytes: 100 });
    h.sample({ ...GAUGES, inflight: 1, queued: 0, cpu: 0.2, rssBytes: 120 });
    vi.advanceTimersByTime(2000);
    h.sample({ ...GAUGES, inflight: 2, cpu: 0.4, rssBytes: 140 });
    const now = h.currentSecond();
    const first = h.aggregate(now - 2, now - 2).gauges;
    expect(first.inflight.max).toBe(3);
    expect(first.queued.max).toBe(1);
    expect(first.cpu.last).toBe(0.2);
    expect(first.rssBytes.last).toBe(120);
    expect(h.aggregate(now - 1, now - 1).gauges.inflight).toEqual({ max: null, mean: null, last: null });
    const both = h.aggregate(now - 2, now).gauges;
    expect(both.inflight.max).toBe(3);
    expect(both.cpu.mean).toBeCloseTo(0.3, 12);
    expect(both.rssBytes.last).toBe(140);
  });
});
