// streamPieces under fake timers: paced writes, generation held while the client does not read, bounded catch-up.

import { EventEmitter } from "node:events";
import type { ServerResponse } from "node:http";
import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { MAX_WRITE_CHARS, streamPieces } from "./emit.js";
import { Rng } from "./prng.js";

/** A response whose socket buffer is "full" (write returns false) while `full` is set; `drain()` empties it. */
class FakeResponse extends EventEmitter {
  headersSent = false;
  full = false;
  readonly writes: string[] = [];
  writeHead(): this {
    this.headersSent = true;
    return this;
  }
  write(chunk: string): boolean {
    this.writes.push(chunk);
    return !this.full;
  }
  drain(): void {
    this.full = false;
    this.emit("drain");
  }
  /** Lines written so far. */
  get lines(): number {
    return this.writes.join("").split("\n").length - 1;
  }
}

function start(count: number, tokenMs: number, line = "x\n") {
  const res = new FakeResponse();
  const abort = new AbortController();
  let done = false;
  const stalls: boolean[] = [];
  const finished = streamPieces({
    res: res as unknown as ServerResponse,
    signal: abort.signal,
    prefix: "",
    tails: Array.from({ length: count }, () => line),
    weights: Array.from({ length: count }, () => 1),
    count,
    pacing: { tokenMs, jitter: 0, rng: new Rng(1) },
    onStall: (stalled) => stalls.push(stalled),
  }).then(() => {
    done = true;
  });
  return { res, abort, finished, stalls, isDone: () => done };
}

describe("streamPieces", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance", "Date"] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  test.each([
    { afterMs: 5, lines: 0 },
    { afterMs: 10, lines: 1 },
    { afterMs: 35, lines: 3 },
    { afterMs: 100, lines: 10 },
  ])("at the decode rate: $lines lines after $afterMs ms (10 ms per token)", async ({ afterMs, lines }) => {
    const s = start(10, 10);
    await vi.advanceTimersByTimeAsync(afterMs);
    expect(s.res.lines).toBe(lines);
    s.abort.abort();
    await s.finished;
  });

  test("generation stalls while the client does not read, and the time blocked is not made up after the drain", async () => {
    const s = start(1000, 10);
    await vi.advanceTimersByTimeAsync(10);
    expect(s.res.lines).toBe(1);
    s.res.full = true;
    await vi.advanceTimersByTimeAsync(10);
    expect(s.res.lines).toBe(2); // this write filled the buffer
    await vi.advanceTimersByTimeAsync(5000); // 500 tokens' worth of time, blocked
    expect(s.res.lines).toBe(2);
    expect(s.stalls).toEqual([true]);
    s.res.drain();
    expect(s.stalls).toEqual([true, false]);
    expect(s.res.lines).toBe(3); // the next piece, at once; not the 500 the clock would allow
    await vi.advanceTimersByTimeAsync(20);
    expect(s.res.lines).toBe(5); // then the decode rate again
    s.abort.abort();
    await s.finished;
    expect(s.res.listenerCount("drain")).toBe(0);
  });

  test("a stream behind its clock catches up in bounded writes", async () => {
    const line = `${"y".repeat(99)}\n`;
    const s = start(10_000, 0.01, line); // 100,000 tokens/s: 1 MB of lines due within 100 ms
    await vi.advanceTimersByTimeAsync(200);
    expect(s.isDone()).toBe(true);
    expect(s.res.lines).toBe(10_000);
    expect(s.res.writes.length).toBeGreaterThan(1);
    for (const w of s.res.writes) expect(w.length).toBeLessThanOrEqual(MAX_WRITE_CHARS + line.length);
  });

  test("an abort while blocked ends it with no timer or drain listener left", async () => {
    const s = start(100, 10);
    s.res.full = true;
    await vi.advanceTimersByTimeAsync(10);
    expect(s.res.listenerCount("drain")).toBe(1);
    expect(s.stalls).toEqual([true]);
    s.abort.abort();
    await s.finished;
    expect(s.stalls).toEqual([true, false]); // a stalled count goes back down
    expect(s.res.listenerCount("drain")).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });
});
