// Log lines batched into few writes: whole, in order, never later than maxDelayMs, all of them on flush.

import { afterEach, beforeEach, describe, expect, test, vi } from "vitest";
import { lineBatch } from "./line-batch.js";

function sink() {
  const writes: string[] = [];
  let flushedSync = 0;
  return {
    writes,
    flushes: () => flushedSync,
    write(text: string) {
      writes.push(text);
    },
    flushSync() {
      flushedSync++;
    },
  };
}

/** Ten characters each. */
const line = (i: number) => `{"n":${String(i).padStart(3, "0")}}\n`;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("lineBatch", () => {
  test.each([
    { name: "below minLength: nothing yet", lines: 3, minLength: 100, writes: 0 },
    { name: "one line reaching minLength: one write", lines: 1, minLength: 8, writes: 1 },
    // 10 chars a line: lines 1-5 fill the first batch of 50, lines 6-10 the second.
    { name: "ten lines, minLength 50: two writes", lines: 10, minLength: 50, writes: 2 },
    {
      name: "twelve lines, minLength 50: two writes, two lines pending",
      lines: 12,
      minLength: 50,
      writes: 2,
    },
  ])("$name", ({ lines, minLength, writes }) => {
    const out = sink();
    const batch = lineBatch(out, { minLength, maxDelayMs: 100 });
    for (let i = 0; i < lines; i++) batch.write(line(i));
    expect(out.writes).toHaveLength(writes);
    batch.flushSync();
    expect(out.writes.join("")).toBe(Array.from({ length: lines }, (_, i) => line(i)).join(""));
  });

  test("a line waits at most maxDelayMs, and the timer re-arms for the next quiet batch", () => {
    const out = sink();
    const batch = lineBatch(out, { minLength: 4096, maxDelayMs: 100 });
    batch.write(line(1));
    vi.advanceTimersByTime(99);
    expect(out.writes).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(out.writes).toEqual([line(1)]);
    vi.advanceTimersByTime(1000);
    expect(out.writes).toEqual([line(1)]);
    batch.write(line(2));
    batch.write(line(3));
    vi.advanceTimersByTime(100);
    expect(out.writes).toEqual([line(1), line(2) + line(3)]);
  });

  test("flushSync writes the pending batch and flushes the sink; an empty flush writes nothing", () => {
    const out = sink();
    const batch = lineBatch(out);
    batch.flushSync();
    expect(out.writes).toEqual([]);
    batch.write(line(1));
    batch.flushSync();
    expect(out.writes).toEqual([line(1)]);
    expect(out.flushes()).toBe(2);
  });

  test("flush(done) is pino's logger.flush: synchronous, then the callback; a sink error reaches it", () => {
    const out = sink();
    const batch = lineBatch(out);
    batch.write(line(1));
    const done = vi.fn();
    batch.flush(done);
    expect(out.writes).toEqual([line(1)]);
    expect(done).toHaveBeenCalledWith();
    const broken = lineBatch({
      write() {
        throw new Error("EBADF");
      },
    });
    broken.write(line(2));
    const failed = vi.fn();
    broken.flush(failed);
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ message: "EBADF" }));
  });

  test("the timer does not keep the process alive", () => {
    const setTimer = vi.spyOn(globalThis, "setTimeout");
    const batch = lineBatch(sink());
    batch.write(line(1));
    const timer = setTimer.mock.results[0]?.value as NodeJS.Timeout | undefined;
    expect(timer?.hasRef()).toBe(false);
  });
});
