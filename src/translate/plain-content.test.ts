import { expect, test } from "vitest";
import { plainContent } from "./ollama-output.js";

const line = (content: string, rest = '},"done":false}') =>
  `{"model":"m","created_at":"2025-07-07T20:22:19.184789Z","message":{"role":"assistant","content":${JSON.stringify(content)}${rest}`;

test.each([
  [line("Hello"), "Hello"],
  [line(" 你好，世界 🙂"), " 你好，世界 🙂"],
  [line(""), undefined],
  [line('say "hi"'), undefined],
  [line("a\nb"), undefined],
  [line("back\\slash"), undefined],
  [line("x", ',"thinking":"y"},"done":false}'), undefined],
  [line("x", '},"done":true,"done_reason":"stop"}'), undefined],
  ['{"error":"boom"}', undefined],
])("%s -> %j", (input, expected) => {
  expect(plainContent(input)).toBe(expected);
  // Whatever the fast path reads equals what parsing gives.
  if (expected !== undefined) expect(JSON.parse(input).message.content).toBe(expected);
});
