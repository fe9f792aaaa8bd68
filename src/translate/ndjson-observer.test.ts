// The native-route observer: TTFT, done, stats and failures without changing the bytes.
import { expect, test } from "vitest";
import { createNdjsonObserver } from "./ndjson-observer.js";

const enc = new TextEncoder();

test.each([
  ["chat content", '{"message":{"role":"assistant","content":"a"},"done":false}\n'],
  ["chat thinking", '{"message":{"role":"assistant","content":"","thinking":"t"},"done":false}\n'],
  [
    "chat tool calls",
    '{"message":{"role":"assistant","content":"","tool_calls":[{"function":{"name":"f","arguments":{}}}]},"done":false}\n',
  ],
  ["generate response", '{"response":"a","done":false}\n'],
  ["generate thinking", '{"response":"","thinking":"t","done":false}\n'],
])("contentStarted flips on %s", (_name, text) => {
  const o = createNdjsonObserver();
  o.push(enc.encode('{"message":{"role":"assistant","content":""},"done":false}\n'));
  expect(o.state.contentStarted).toBe(false);
  o.push(enc.encode(text));
  expect(o.state.contentStarted).toBe(true);
});

test("counts lines, reads done, stats and done_reason", () => {
  const o = createNdjsonObserver();
  o.push(
    enc.encode(
      '{"response":"a","done":false}\n{"response":"","done":true,"done_reason":"length","eval_count":5}\n',
    ),
  );
  o.end();
  expect(o.state).toMatchObject({ lines: 2, done: true, doneReason: "length", stats: { eval_count: 5 } });
  expect(o.state.error).toBeUndefined();
});

test("a single stream:false body is one line", () => {
  const o = createNdjsonObserver();
  o.push(enc.encode('{"message":{"role":"assistant","content":"x"},"done":true}'));
  o.end();
  expect(o.state).toMatchObject({ lines: 1, done: true, contentStarted: true });
});

test("an error line and an early EOF are errors", () => {
  const a = createNdjsonObserver();
  a.push(enc.encode('{"response":"a","done":false}\n{"error":"boom"}\n'));
  a.end();
  expect(a.state.error).toMatchObject({ code: "upstream_stream_error", message: "boom" });
  const b = createNdjsonObserver();
  b.push(enc.encode('{"response":"a","done":false}\n'));
  b.end();
  expect(b.state.error?.code).toBe("upstream_protocol_error");
});
