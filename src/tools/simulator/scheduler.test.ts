// The scheduler under fake timers: loads, keep_alive expiry, FIFO slots, the queue limit, aborts, close.

import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { Catalog } from "./catalog.js";
import { QUEUE_FULL_MESSAGE, QueueFullError, Scheduler } from "./scheduler.js";
import { Counters } from "./stats.js";
import { AbortedError } from "./time.js";

const catalog = new Catalog(["qwen3:32b", "llama3.2"], 42, 0);
const qwen = catalog.models.find((m) => m.display === "qwen3:32b")!;
const llama = catalog.models.find((m) => m.display === "llama3.2:latest")!;

function setup(parallel = 2, maxQueue = 10, loadMs = 100) {
  const counters = new Counters();
  const scheduler = new Scheduler({ parallel, maxQueue, loadMs }, counters);
  return { counters, scheduler };
}

const signal = () => new AbortController().signal;

describe("Scheduler", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2025-01-01T00:00:00Z"));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test("loads a model once, on first use, and lists it while loading", async () => {
    const { scheduler, counters } = setup();
    let loaded = 0;
    const counted = <T>(lease: T): T => {
      loaded++;
      return lease;
    };
    const a = scheduler.load(qwen, 300_000, 4096, signal()).then(counted);
    const b = scheduler.load(qwen, 300_000, 4096, signal()).then(counted);
    expect(counters.loads).toBe(1);
    expect(scheduler.queued).toBe(2);
    expect(scheduler.loaded().map((m) => m.model)).toEqual([qwen]);
    await vi.advanceTimersByTimeAsync(99);
    expect(loaded).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(loaded).toBe(2);
    expect(scheduler.queued).toBe(0);
    (await a).release();
    (await b).release();
  });

  test("keep_alive counts from the end of the last request, then the model unloads", async () => {
    const { scheduler, counters } = setup();
    const pending = scheduler.load(qwen, 200, 4096, signal());
    await vi.advanceTimersByTimeAsync(100);
    const lease = await pending;
    expect(scheduler.loaded()[0]?.expiresAtWall).toBe(Date.now() + 200); // in use: now + keep_alive
    await vi.advanceTimersByTimeAsync(1000);
    expect(scheduler.loaded()).toHaveLength(1); // never unloads while held
    lease.release();
    const releasedAt = Date.now();
    expect(scheduler.loaded()[0]?.expiresAtWall).toBe(releasedAt + 200);
    await vi.advanceTimersByTimeAsync(199);
    expect(scheduler.loaded()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(scheduler.loaded()).toHaveLength(0);
    expect(counters.unloads).toBe(1);
  });

  test("a new request cancels the pending expiry; keep_alive 0 unloads right after; forever never does", async () => {
    const { scheduler, counters } = setup(2, 10, 0);
    const first = scheduler.load(qwen, 200, 4096, signal());
    await vi.advanceTimersByTimeAsync(0);
    (await first).release();
    await vi.advanceTimersByTimeAsync(150);
    const second = await scheduler.load(qwen, 0, 4096, signal());
    await vi.advanceTimersByTimeAsync(500);
    expect(scheduler.loaded()).toHaveLength(1);
    second.release();
    expect(scheduler.loaded()).toHaveLength(0);
    expect(counters).toMatchObject({ loads: 1, unloads: 1 });

    const forever = scheduler.load(llama, Number.POSITIVE_INFINITY, 4096, signal());
    await vi.advanceTimersByTimeAsync(0);
    (await forever).release();
    await vi.advanceTimersByTimeAsync(10 * 86_400_000);
    expect(scheduler.loaded()[0]?.expiresAtWall).toBeGreaterThan(Date.now() + 200 * 365 * 86_400_000);
  });

  test("expire() unloads an idle model at once and a busy one when its last request ends", async () => {
    const { scheduler } = setup(2, 10, 0);
    const pending = scheduler.load(qwen, 300_000, 4096, signal());
    await vi.advanceTimersByTimeAsync(0);
    const lease = await pending;
    scheduler.expire(qwen);
    expect(scheduler.loaded()).toHaveLength(1);
    lease.release();
    expect(scheduler.loaded()).toHaveLength(0);
  });

  test("parallel slots are handed out first come, first served", async () => {
    const { scheduler } = setup(1, 10, 0);
    const pending = [0, 1, 2].map(() => scheduler.load(qwen, 300_000, 4096, signal()));
    await vi.advanceTimersByTimeAsync(0);
    const leases = await Promise.all(pending);
    const order: number[] = [];
    const slots = leases.map((lease, i) => lease.slot(signal()).then(() => order.push(i)));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0]);
    expect([scheduler.active, scheduler.queued]).toEqual([1, 2]);
    leases[0]?.release();
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1]);
    leases[1]?.release();
    await Promise.all(slots);
    expect(order).toEqual([0, 1, 2]);
    leases[2]?.release();
    expect([scheduler.active, scheduler.queued]).toEqual([0, 0]);
  });

  test("beyond maxQueue waiting requests, a request that would wait is refused", async () => {
    const { scheduler } = setup(1, 1, 0);
    const a = scheduler.load(qwen, 300_000, 4096, signal());
    await expect(scheduler.load(qwen, 300_000, 4096, signal())).rejects.toThrow(QueueFullError);
    await vi.advanceTimersByTimeAsync(0);
    const leaseA = await a;
    await leaseA.slot(signal());
    const leaseB = await scheduler.load(qwen, 300_000, 4096, signal()); // loaded: no wait, no queue
    const waitB = leaseB.slot(signal());
    const leaseC = await scheduler.load(qwen, 300_000, 4096, signal());
    await expect(leaseC.slot(signal())).rejects.toThrow(QUEUE_FULL_MESSAGE);
    leaseC.release();
    leaseA.release();
    await waitB;
    leaseB.release();
    expect([scheduler.active, scheduler.queued]).toEqual([0, 0]);
  });

  test("a waiter that aborts leaves the queue and the next one moves up", async () => {
    const { scheduler } = setup(1, 10, 0);
    const pending = [0, 1, 2].map(() => scheduler.load(qwen, 300_000, 4096, signal()));
    await vi.advanceTimersByTimeAsync(0);
    const [a, b, c] = await Promise.all(pending);
    await a?.slot(signal());
    const abortB = new AbortController();
    const waitB = b?.slot(abortB.signal);
    const waitC = c?.slot(signal());
    abortB.abort();
    await expect(waitB).rejects.toThrow(AbortedError);
    b?.release();
    expect(scheduler.queued).toBe(1);
    a?.release();
    await waitC;
    expect([scheduler.active, scheduler.queued]).toEqual([1, 0]);
    c?.release();
    expect(scheduler.active).toBe(0);
  });

  test("close() rejects waiters and clears every timer", async () => {
    const { scheduler } = setup(1, 10, 1000);
    const waiting = scheduler.load(qwen, 300_000, 4096, signal());
    expect(vi.getTimerCount()).toBe(1);
    scheduler.close();
    await expect(waiting).rejects.toThrow(AbortedError);
    expect(vi.getTimerCount()).toBe(0);
    expect(scheduler.queued).toBe(0);
  });
});
