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

test.each([
  {
    name: "a probe-like request: every optional figure null",
    over: {},
    want: {
      model: null,
      key: null,
      stream: false,
      ttftMs: null,
      queueMs: null,
      promptTokens: null,
      completionTokens: null,
      decodeTps: null,
      errorCode: null,
    },
  },
  {
    name: "a keyed stream with every figure",
    over: {
      model: "qwen3:32b",
      key: "ops",
      stream: true,
      durationMs: 812.4,
      ttftMs: 120.25,
      queueWaitMs: 0,
      promptTokens: 25,
      completionTokens: 128,
      generation: { promptTokens: 25, completionTokens: 128, evalNs: 2e9 },
    },
    want: {
      at: 1_000_001 + 812,
      model: "qwen3:32b",
      key: "ops",
      stream: true,
      durationMs: 812.4,
      ttftMs: 120.25,
      queueMs: 0,
      promptTokens: 25,
      completionTokens: 128,
      decodeTps: 64,
      errorCode: null,
    },
  },
  {
    name: "a non-streaming request: no time to first token, whatever the record says",
    over: {
      stream: false,
      ttftMs: 5,
      completionTokens: 0,
      generation: { promptTokens: 1, completionTokens: 0, evalNs: 1 },
    },
    want: { stream: false, ttftMs: null, completionTokens: 0, decodeTps: null },
  },
  {
    name: "a rejected request",
    over: {
      method: "GET",
      route: "other" as const,
      status: 404,
      outcome: "rejected" as const,
      errorCode: "route_not_found" as const,
    },
    want: { method: "GET", route: "other", status: 404, outcome: "rejected", errorCode: "route_not_found" },
  },
])("$name: the row as the table gets it", ({ over, want }) => {
  const ring = new RecentRequests(3);
  ring.observe(record(1, over));
  expect(ring.list()).toEqual([
    {
      id: "req-1",
      at: 1_000_001 + 10,
      method: "POST",
      route: "/v1/chat/completions",
      status: 200,
      outcome: "completed",
      durationMs: 10,
      model: null,
      key: null,
      stream: false,
      ttftMs: null,
      queueMs: null,
      promptTokens: null,
      completionTokens: null,
      decodeTps: null,
      errorCode: null,
      ...want,
    },
  ]);
});

test("refuses a capacity that is not a positive integer", () => {
  expect(() => new RecentRequests(0)).toThrow(RangeError);
});
