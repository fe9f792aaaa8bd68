// toOllamaChatRequest field by field (the golden request fixtures cover whole requests).
import { describe, expect, test } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import type { OllamaChatRequest } from "../ollama/types.js";
import { parseChatCompletionRequest } from "../openai/chat-request.js";
import { toOllamaChatRequest } from "./chat-request.js";

const user = { role: "user", content: "hi" };

function translate(extra: object, messages: object[] = [user]): OllamaChatRequest {
  return toOllamaChatRequest(parseChatCompletionRequest({ model: "m", messages, ...extra }));
}

describe("sampling options: only what was sent", () => {
  test.each([
    ["nothing", {}, undefined],
    ["max_tokens", { max_tokens: 10 }, { num_predict: 10 }],
    ["max_completion_tokens", { max_completion_tokens: 20 }, { num_predict: 20 }],
    ["both: max_completion_tokens wins", { max_tokens: 10, max_completion_tokens: 20 }, { num_predict: 20 }],
    ["max_tokens 0 is kept", { max_tokens: 0 }, { num_predict: 0 }],
    ["temperature 0 is kept", { temperature: 0 }, { temperature: 0 }],
    ["nulls are not sent", { temperature: null, top_p: null, seed: null }, undefined],
    [
      "top_p, seed, penalties",
      { top_p: 0.5, seed: 7, frequency_penalty: 0.1, presence_penalty: -0.2 },
      { top_p: 0.5, seed: 7, frequency_penalty: 0.1, presence_penalty: -0.2 },
    ],
    ["stop string", { stop: "x" }, { stop: ["x"] }],
    ["stop array", { stop: ["x", "y"] }, { stop: ["x", "y"] }],
    ["empty stop array", { stop: [] }, undefined],
    ["client options pass through", { options: { num_ctx: 4096, top_k: 5 } }, { num_ctx: 4096, top_k: 5 }],
    [
      "translated fields win over client options",
      { options: { num_predict: 5, temperature: 1 }, max_tokens: 9 },
      { num_predict: 9, temperature: 1 },
    ],
  ])("%s", (_name, extra, options) => {
    expect(translate(extra).options).toEqual(options);
  });
});

describe("think", () => {
  test.each([
    [{}, undefined],
    [{ reasoning_effort: "none" }, false],
    [{ reasoning_effort: "minimal" }, "low"],
    [{ reasoning_effort: "low" }, "low"],
    [{ reasoning_effort: "medium" }, "medium"],
    [{ reasoning_effort: "high" }, "high"],
    [{ reasoning_effort: "xhigh" }, "max"],
    [{ reasoning_effort: "max" }, "max"],
    [{ reasoning: { effort: "medium" } }, "medium"],
    [{ reasoning: {}, reasoning_effort: "high" }, "high"],
    [{ reasoning: { effort: null }, reasoning_effort: "high" }, "high"],
    [{ reasoning: null, reasoning_effort: "medium" }, "medium"],
    [{ reasoning: { effort: "low" }, reasoning_effort: "high" }, "low"],
    [{ reasoning: { effort: "none" }, reasoning_effort: "high" }, false],
    [{ reasoning: { effort: "max" }, reasoning_effort: "none" }, "max"],
  ])("%j → %j", (extra, think) => {
    expect(translate(extra).think).toEqual(think);
  });
});

describe("format, tools, logprobs, extras", () => {
  test.each([
    ["json_object", { response_format: { type: "json_object" } }, { format: "json" }],
    [
      "json_schema",
      { response_format: { type: "json_schema", json_schema: { name: "n", schema: { type: "object" } } } },
      { format: { type: "object" } },
    ],
    ["text", { response_format: { type: "text" } }, { format: undefined }],
    [
      "tools with auto",
      {
        tools: [{ type: "function", function: { name: "f", parameters: { type: "object" }, strict: true } }],
        tool_choice: "auto",
      },
      { tools: [{ type: "function", function: { name: "f", parameters: { type: "object" } } }] },
    ],
    [
      "tools with none are not sent",
      { tools: [{ type: "function", function: { name: "f" } }], tool_choice: "none" },
      { tools: undefined },
    ],
    ["logprobs", { logprobs: true, top_logprobs: 3 }, { logprobs: true, top_logprobs: 3 }],
    ["logprobs false is not sent", { logprobs: false }, { logprobs: undefined }],
    ["keep_alive string", { keep_alive: "30s" }, { keep_alive: "30s" }],
    ["keep_alive number", { keep_alive: -1 }, { keep_alive: -1 }],
    ["stream:false stays non-streaming upstream", { stream: false }, { stream: false }],
    ["no stream is non-streaming upstream", {}, { stream: false }],
    ["stream:true streams upstream", { stream: true }, { stream: true }],
  ])("%s", (_name, extra, expected) => {
    const out: Record<string, unknown> = { ...translate(extra) };
    for (const [key, value] of Object.entries(expected)) expect(out[key], key).toEqual(value);
  });
});

describe("messages", () => {
  const call = (id: string, name: string) => ({ id, type: "function", function: { name, arguments: "{}" } });

  test("developer becomes system", () => {
    expect(translate({}, [{ role: "developer", content: "rules" }, user]).messages[0]).toEqual({
      role: "system",
      content: "rules",
    });
  });

  test("text parts are joined with newlines and images collected into one message", () => {
    const msg = translate({}, [
      {
        role: "user",
        content: [
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA" } },
          { type: "text", text: "a" },
          { type: "text", text: "b" },
          { type: "image_url", image_url: { url: "data:image/webp;base64,BBBB" } },
        ],
      },
    ]).messages;
    expect(msg).toEqual([{ role: "user", content: "a\nb", images: ["AAAA", "BBBB"] }]);
  });

  test.each([
    ["from name", { role: "tool", tool_call_id: "c1", name: "explicit", content: "r" }, "explicit"],
    ["from the earlier call with that id", { role: "tool", tool_call_id: "c1", content: "r" }, "first"],
    [
      "from the latest earlier call when ids repeat",
      { role: "tool", tool_call_id: "dup", content: "r" },
      "second",
    ],
    ["not at all for an unknown id", { role: "tool", tool_call_id: "zz", content: "r" }, undefined],
    [
      "with array content",
      { role: "tool", tool_call_id: "c1", content: [{ type: "text", text: "r" }] },
      "first",
    ],
  ])("tool_name %s", (_name, toolMessage, toolName) => {
    const messages = translate({}, [
      user,
      { role: "assistant", content: null, tool_calls: [call("c1", "first"), call("dup", "first")] },
      { role: "assistant", content: "", tool_calls: [call("dup", "second")] },
      toolMessage,
    ]).messages;
    const last = messages[3];
    expect(last?.tool_name).toBe(toolName);
    expect(last?.tool_call_id).toBe((toolMessage as { tool_call_id: string }).tool_call_id);
    expect(last?.content).toBe("r");
  });

  test("assistant reasoning (either spelling) becomes thinking; arguments become objects", () => {
    const messages = translate({}, [
      user,
      {
        role: "assistant",
        content: null,
        reasoning: "r1",
        tool_calls: [
          { id: "c", type: "function", function: { name: "f", arguments: '{"x":[1,{"y":null}]}' } },
        ],
      },
      { role: "assistant", content: "done", reasoning_content: "r2" },
    ]).messages;
    expect(messages[1]).toEqual({
      role: "assistant",
      content: "",
      thinking: "r1",
      tool_calls: [{ id: "c", function: { index: 0, name: "f", arguments: { x: [1, { y: null }] } } }],
    });
    expect(messages[2]).toEqual({ role: "assistant", content: "done", thinking: "r2" });
  });

  test("reasoning on a user message is not forwarded", () => {
    expect(translate({}, [{ role: "user", content: "x", reasoning: "no" }]).messages[0]).toEqual({
      role: "user",
      content: "x",
    });
  });

  test("a hand-built request with bad arguments still fails with a 400 naming the field", () => {
    const req = parseChatCompletionRequest({ model: "m", messages: [user] });
    req.messages.push({
      role: "assistant",
      content: "",
      tool_calls: [{ id: "c", function: { name: "f", arguments: "nope" } }],
    });
    const err = (() => {
      try {
        toOllamaChatRequest(req);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 400, param: "messages[1].tool_calls[0].function.arguments" });
  });
});
