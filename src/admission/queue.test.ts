import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import { AdmissionQueue } from "./queue.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const signal = () => new AbortController().signal;

describe("AdmissionQueue", () => {
  test("admits up to the limit at once, then queues in arrival order", async () => {
    const q = new AdmissionQueue({ maxConcurrency: 2, maxQueue: 10, queueTimeoutMs: 1000 });
    const a = await q.acquire(signal());
    await q.acquire(signal());
    expect(q.active).toBe(2);
    const order: string[] = [];
    const c = q.acquire(signal()).then((r) => {
      order.push("c");
      return r;
    });
    const d = q.acquire(signal()).then((r) => {
      order.push("d");
      return r;
    });
    expect(q.queued).toBe(2);
    a();
    a(); // releasing twice gives back one slot only
    const releaseC = await c;
    expect(order).toEqual(["c"]);
    expect(q.active).toBe(2);
    releaseC();
    await d;
    expect(order).toEqual(["c", "d"]);
    expect(q.queued).toBe(0);
  });

  test("a full queue refuses at once with queue_full (503)", async () => {
    const q = new AdmissionQueue({ maxConcurrency: 1, maxQueue: 1, queueTimeoutMs: 1000 });
    await q.acquire(signal());
    const waiting = q.acquire(signal());
    const err = await q.acquire(signal()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect((err as GatewayError).code).toBe("queue_full");
    expect((err as GatewayError).status).toBe(503);
    expect(q.queued).toBe(1);
    void waiting.catch(() => {});
  });

  test("a wait beyond the timeout is refused with queue_timeout and leaves the queue", async () => {
    const q = new AdmissionQueue({ maxConcurrency: 1, maxQueue: 5, queueTimeoutMs: 500 });
    const first = await q.acquire(signal());
    const late = q.acquire(signal()).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(499);
    expect(q.queued).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(((await late) as GatewayError).code).toBe("queue_timeout");
    expect(q.queued).toBe(0);
    first();
    expect(q.active).toBe(0);
  });

  test("a caller that aborts while queued leaves at once and never gets a slot", async () => {
    const q = new AdmissionQueue({ maxConcurrency: 1, maxQueue: 5, queueTimeoutMs: 5000 });
    const first = await q.acquire(signal());
    const abort = new AbortController();
    const gone = q.acquire(abort.signal).catch((e: unknown) => e);
    const next = q.acquire(signal());
    abort.abort(new Error("client left"));
    expect(((await gone) as Error).message).toBe("client left");
    expect(q.queued).toBe(1);
    first();
    await next;
    expect(q.active).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  test("an already aborted signal is refused without queueing", async () => {
    const q = new AdmissionQueue({ maxConcurrency: 1, maxQueue: 5, queueTimeoutMs: 5000 });
    const abort = new AbortController();
    abort.abort(new Error("gone"));
    await expect(q.acquire(abort.signal)).rejects.toThrow("gone");
    expect(q.active).toBe(0);
  });

  test("maxConcurrency 0 means unlimited", async () => {
    const q = new AdmissionQueue({ maxConcurrency: 0, maxQueue: 0, queueTimeoutMs: 1 });
    const releases = await Promise.all(Array.from({ length: 100 }, () => q.acquire(signal())));
    expect(q.active).toBe(100);
    for (const r of releases) r();
    expect(q.active).toBe(0);
  });

  test("thousands of waiters are served in order and the queue compacts", async () => {
    const q = new AdmissionQueue({ maxConcurrency: 1, maxQueue: 5000, queueTimeoutMs: 60_000 });
    let release = await q.acquire(signal());
    const served: number[] = [];
    const all = Array.from({ length: 3000 }, (_, i) =>
      q.acquire(signal()).then((r) => {
        served.push(i);
        return r;
      }),
    );
    for (const p of all) {
      release();
      release = await p;
    }
    release();
    expect(served).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    expect(q.active).toBe(0);
    expect(q.queued).toBe(0);
  });
});
