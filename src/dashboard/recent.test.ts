// The recent-requests ring: bounded, newest first, and nothing a client wrote kept but a short model name.

import { expect, test } from "vitest";
import type { RequestRecord } from "../events/request-events.js";
import { RecentRequests } from "./recent.js";

function record(i: number, over: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: `req-${i}`,
    method: "POST",
    route: "/v1/chat/completions",
    status: 200,
    outcome: "completed",
    startedAt: 1_000_000 + i,
    durationMs: 10,
    bytesIn: 1,
    bytesOut: 1,
    ...over,
  };
}

test("keeps the last `capacity` requests, newest first", () => {
  const ring = new RecentRequests(5);
  for (let i = 0; i < 12; i++) ring.observe(record(i));
  expect(ring.list().map((r) => r.id)).toEqual(["req-11", "req-10", "req-9", "req-8", "req-7"]);
  expect(ring.list(2).map((r) => r.id)).toEqual(["req-11", "req-10"]);
});

test("an entry holds numbers, codes and a model name cut short; never a message", () => {
  const ring = new RecentRequests(2);
  ring.observe(
    record(1, {
      model: "x".repeat(10_000),
      status: 502,
      outcome: "upstream_error",
      errorCode: "upstream_stream_error",
      errorMessage: "the model said: here is the secret prompt",
      stream: true,
      ttftMs: 120,
      promptTokens: 9,
      completionTokens: 3,
      generation: { promptTokens: 9, completionTokens: 3, evalNs: 1e8 },
    }),
  );
  const [entry] = ring.list();
  expect(entry?.model).toHaveLength(80);
  expect(entry).toMatchObject({
    status: 502,
    errorCode: "upstream_stream_error",
    ttftMs: 120,
    decodeTps: 30,
  });
  expect(JSON.stringify(entry)).not.toContain("secret prompt");
});

test("refuses a capacity that is not a positive integer", () => {
  expect(() => new RecentRequests(0)).toThrow(RangeError);
});
