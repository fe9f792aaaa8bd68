import { describe, expect, test } from "vitest";
import { createProgress } from "./progress.js";
import { summarise } from "./stats.js";

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 120, write: (t: string) => writes.push(t) } };
}

describe("createProgress", () => {
  test("on a terminal: a bar redrawn in place, ended with a newline", () => {
    let t = 0;
    const { writes, stream } = sink(true);
    const p = createProgress(stream, () => t);
    p.levelStart(4, { kind: "requests", requests: 10 });
    t = 500;
    p.update(5, 1);
    t = 1000;
    p.levelEnd(summarise(4, [], 1000));
    p.close();
    expect(writes[0]).toMatch(/^\r\x1b\[2K\[░{24}\] concurrency 4: 0\/10 requests/);
    expect(writes[1]).toMatch(
      /^\r\x1b\[2K\[█{12}░{12}\] concurrency 4: 5\/10 requests, 10\.0 req\/s, 1 error, 0\.5 s/,
    );
    expect(writes.at(-1)).toBe("\n");
  });

  test("redraws at most every 100 ms", () => {
    let t = 0;
    const { writes, stream } = sink(true);
    const p = createProgress(stream, () => t);
    p.levelStart(1, { kind: "requests", requests: 100 });
    for (let i = 1; i <= 50; i++) {
      t += 10;
      p.update(i, 0);
    }
    p.close();
    expect(writes.length).toBe(1 + 5);
  });

  test("elsewhere: plain lines at the start, every 5 s at most, and at the end", () => {
    let t = 0;
    const { writes, stream } = sink(false);
    const p = createProgress(stream, () => t);
    p.levelStart(2, { kind: "duration", durationMs: 30_000 });
    for (let i = 1; i <= 20; i++) {
      t += 1000;
      p.update(i, 0);
    }
    const samples = Array.from({ length: 20 }, () => ({ startMs: 0, latencyMs: 1 }));
    p.levelEnd(summarise(2, samples, 20_000));
    expect(writes).toEqual([
      "concurrency 2: requests for 30.0 s\n",
      "concurrency 2: 5 requests, 5.0 s/30.0 s, 1.0 req/s, 0 errors, 5.0 s\n",
      "concurrency 2: 10 requests, 10.0 s/30.0 s, 1.0 req/s, 0 errors, 10.0 s\n",
      "concurrency 2: 15 requests, 15.0 s/30.0 s, 1.0 req/s, 0 errors, 15.0 s\n",
      "concurrency 2: 20 requests, 20.0 s/30.0 s, 1.0 req/s, 0 errors, 20.0 s\n",
      "concurrency 2: 20 requests, 20.0 s/30.0 s, 1.0 req/s, 0 errors, 20.0 s, done\n",
    ]);
  });
});
