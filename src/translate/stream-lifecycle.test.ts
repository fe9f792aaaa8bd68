// The SseTranslator/Aggregator contract around the golden paths: fail(), end(), input after the end, TTFT state.
import { describe, expect, test } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import {
  createChatAggregator,
  createChatSseTranslator,
  createCompletionAggregator,
  createCompletionSseTranslator,
  type ResponseContext,
} from "./index.js";
import { MAX_LINE_BYTES } from "./upstream-reader.js";

const ctx: ResponseContext = { id: "chatcmpl-1", created: 1, model: "m", includeUsage: false };
const enc = new TextEncoder();
const line = (obj: object) => enc.encode(`${JSON.stringify(obj)}\n`);
const chat = (content: string, extra: object = {}) =>
  line({ model: "m", message: { role: "assistant", content, ...extra }, done: false });
const chatDone = line({
  model: "m",
  message: { role: "assistant", content: "" },
  done: true,
  done_reason: "stop",
  eval_count: 2,
});
const idle = new GatewayError("upstream_idle_timeout", "the upstream sent nothing for 30s");

const codecs = [
  ["chat", createChatSseTranslator, chat("hi"), chatDone],
  [
    "completion",
    createCompletionSseTranslator,
    line({ model: "m", response: "hi", done: false }),
    line({ model: "m", response: "", done: true, done_reason: "stop" }),
  ],
] as const;

describe.each(codecs)("%s SSE translator", (_name, create, contentLine, doneLine) => {
  test("fail() mid-stream returns the error frame once, then nothing", () => {
    const t = create(ctx);
    expect(t.push(contentLine)).not.toBe("");
    const frame = t.fail(idle);
    expect(frame).toBe(
      'data: {"error":{"message":"the upstream sent nothing for 30s","type":"server_error","param":null,"code":"upstream_idle_timeout"}}\n\n',
    );
    expect(t.state.error).toBe(idle);
    expect(t.fail(idle)).toBe("");
    expect(t.end()).toBe("");
    expect(t.push(doneLine)).toBe("");
    expect(t.state.done).toBe(false);
  });

  test("fail() after done returns nothing and records nothing", () => {
    const t = create(ctx);
    expect(t.push(doneLine)).toContain("data: [DONE]");
    expect(t.fail(idle)).toBe("");
    expect(t.state.error).toBeUndefined();
    expect(t.end()).toBe("");
  });

  test("input after done is ignored; end() is idempotent", () => {
    const t = create(ctx);
    t.push(doneLine);
    expect(t.push(contentLine)).toBe("");
    expect(t.end()).toBe("");
    expect(t.end()).toBe("");
  });

  test("the done line without a final newline is delivered by end()", () => {
    const t = create(ctx);
    expect(t.push(doneLine.subarray(0, doneLine.length - 1))).toBe("");
    expect(t.end()).toMatch(/data: \[DONE\]\n\n$/);
    expect(t.state.done).toBe(true);
  });

  test("an empty stream is an early end", () => {
    const t = create(ctx);
    expect(t.end()).toContain('"code":"upstream_protocol_error"');
    expect(t.state.error?.message).toMatch(/ended the stream early/);
  });

  test("a line longer than the limit fails the stream without waiting for its end", () => {
    const t = create(ctx);
    const big = new Uint8Array(MAX_LINE_BYTES + 1).fill(0x20);
    expect(t.push(big)).toContain('"code":"upstream_protocol_error"');
    expect(t.state.error?.message).toMatch(/longer than/);
  });

  test("a non-string error value still ends the stream with the error frame", () => {
    const t = create(ctx);
    expect(t.push(line({ error: { detail: "x" } }))).toContain('"message":"{\\"detail\\":\\"x\\"}"');
    expect(t.state.error?.code).toBe("upstream_stream_error");
  });
});

describe("contentStarted (time to first token)", () => {
  test("stays false through empty chunks and flips on the first content", () => {
    const t = createChatSseTranslator(ctx);
    t.push(chat(""));
    expect(t.state.contentStarted).toBe(false);
    t.push(chat("x"));
    expect(t.state.contentStarted).toBe(true);
  });

  test.each([
    ["thinking", chat("", { thinking: "hm" })],
    ["a tool call", chat("", { tool_calls: [{ function: { name: "f", arguments: {} } }] })],
  ])("flips on %s", (_name, bytes) => {
    const t = createChatSseTranslator(ctx);
    t.push(bytes);
    expect(t.state.contentStarted).toBe(true);
  });

  test("completions count hidden thinking as the first token", () => {
    const t = createCompletionSseTranslator(ctx);
    expect(t.push(line({ response: "", thinking: "hm", done: false }))).toBe("");
    expect(t.state.contentStarted).toBe(true);
  });

  test("aggregators track it too", () => {
    const a = createChatAggregator(ctx);
    a.push(chat(""));
    expect(a.state.contentStarted).toBe(false);
    a.push(chat("x"));
    expect(a.state.contentStarted).toBe(true);
    const c = createCompletionAggregator(ctx);
    c.push(line({ response: "y", done: false }));
    expect(c.state.contentStarted).toBe(true);
  });
});

describe("state at done", () => {
  test("stats carry all six fields, absent ones as 0; done_reason is kept verbatim", () => {
    const t = createChatSseTranslator(ctx);
    t.push(
      line({ message: { role: "assistant", content: "" }, done: true, done_reason: "unload", eval_count: 3 }),
    );
    expect(t.state).toMatchObject({
      done: true,
      doneReason: "unload",
      stats: {
        total_duration: 0,
        load_duration: 0,
        prompt_eval_count: 0,
        prompt_eval_duration: 0,
        eval_count: 3,
        eval_duration: 0,
      },
    });
  });

  test.each([
    [undefined, false, "stop"],
    ["stop", false, "stop"],
    ["stop", true, "tool_calls"],
    [undefined, true, "tool_calls"],
    ["length", true, "length"],
    ["length", false, "length"],
    ["unload", false, "stop"],
  ])("done_reason %s with tool calls %s → %s", (doneReason, tools, finish) => {
    const a = createChatAggregator(ctx);
    if (tools) a.push(chat("", { tool_calls: [{ function: { name: "f", arguments: {} } }] }));
    a.push(
      line({
        message: { role: "assistant", content: "" },
        done: true,
        ...(doneReason ? { done_reason: doneReason } : {}),
      }),
    );
    expect(a.end().choices[0].finish_reason).toBe(finish);
  });
});

describe("aggregators", () => {
  test("end() throws the stream's error", () => {
    const a = createChatAggregator(ctx);
    a.push(chat("partial"));
    a.push(line({ error: "boom" }));
    expect(() => a.end()).toThrowError(
      expect.objectContaining({ code: "upstream_stream_error", message: "boom" }),
    );
  });

  test("end() throws on an early EOF", () => {
    const a = createCompletionAggregator(ctx);
    a.push(line({ response: "partial", done: false }));
    expect(() => a.end()).toThrowError(expect.objectContaining({ code: "upstream_protocol_error" }));
  });

  test("a stream:false body (one JSON object, no newline) aggregates", () => {
    const a = createChatAggregator(ctx);
    a.push(
      enc.encode(
        JSON.stringify({ message: { role: "assistant", content: "all" }, done: true, done_reason: "stop" }),
      ),
    );
    expect(a.end().choices[0].message.content).toBe("all");
  });
});
