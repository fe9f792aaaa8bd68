// A client that leaves aborts the upstream request at once, whether it leaves while streaming or while waiting.

import { afterAll, beforeAll, expect, test } from "vitest";
import { type Stack, startStack } from "./helpers/stack.js";

let stack: Stack;

beforeAll(async () => {
  // Slow decoding, so a stream is certainly still running when the client leaves.
  stack = await startStack({ sim: { decodeTps: 20, parallel: 2 } });
});
afterAll(() => stack.close());

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not reached");
    await new Promise((r) => setTimeout(r, 5));
  }
}

test.each([
  [
    "/v1/chat/completions",
    { model: "qwen3:32b", messages: [{ role: "user", content: "long [sim:tokens=500]" }], stream: true },
  ],
  ["/api/chat", { model: "qwen3:32b", messages: [{ role: "user", content: "long [sim:tokens=500]" }] }],
])("client leaving mid-stream on %s aborts the upstream and frees its slot", async (path, body) => {
  const before = stack.simulator.stats();
  const abort = new AbortController();
  const res = await fetch(`${stack.gateway.url}${path}`, {
    method: "POST",
    body: JSON.stringify(body),
    signal: abort.signal,
  });
  const reader = res.body!.getReader();
  await reader.read(); // the stream has started
  expect(stack.simulator.stats().active).toBe(before.active + 1);
  const id = res.headers.get("x-request-id") ?? "";
  abort.abort();
  await waitFor(() => stack.simulator.stats().aborted === before.aborted + 1);
  await waitFor(() => stack.simulator.stats().active === 0);
  const record = await stack.nextRecord(id);
  expect(record.outcome).toBe("client_abort");
  expect(record.status).toBe(200);
});

test("client leaving before the first byte (model still loading) aborts the upstream too", async () => {
  const before = stack.simulator.stats();
  const abort = new AbortController();
  const pending = fetch(`${stack.gateway.url}/v1/chat/completions`, {
    method: "POST",
    body: JSON.stringify({
      model: "qwen3:32b",
      messages: [{ role: "user", content: "x [sim:delay-ms=5000]" }],
    }),
    signal: abort.signal,
  }).catch((e: unknown) => e);
  await waitFor(() => stack.simulator.stats().requests === before.requests + 1);
  abort.abort();
  await pending;
  await waitFor(() => stack.simulator.stats().aborted === before.aborted + 1);
  await waitFor(() => stack.simulator.stats().active === 0 && stack.simulator.stats().queued === 0);
  const record = await waitForRecord();
  expect(record.outcome).toBe("client_abort");
  expect(record.status).toBe(499);
});

async function waitForRecord() {
  await waitFor(() => stack.records.at(-1)?.outcome === "client_abort");
  return stack.records.at(-1)!;
}
