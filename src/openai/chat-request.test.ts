// parseChatCompletionRequest: every rejection (status, code, param, message) and what must be accepted.
import { describe, expect, test } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import { parseChatCompletionRequest, parseToolArguments } from "./chat-request.js";

const user = { role: "user", content: "hi" };
const base = { model: "m", messages: [user] };
const png = "data:image/png;base64,iVBORw0KGgo=";

function errorOf(body: unknown): GatewayError {
  try {
    parseChatCompletionRequest(body);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error("expected a GatewayError");
}

describe("parseChatCompletionRequest rejects", () => {
  test.each([
    // [name, body, code, param, message fragment]
    ["a non-object body", null, "invalid_request", null, "request body: expected object, got null"],
    ["a missing model", { messages: [user] }, "invalid_request", "model", "model: is required"],
    [
      "an empty model",
      { model: "", messages: [user] },
      "invalid_request",
      "model",
      "model: must not be empty",
    ],
    [
      "a numeric model",
      { model: 5, messages: [user] },
      "invalid_request",
      "model",
      "expected string, got number",
    ],
    ["missing messages", { model: "m" }, "invalid_request", "messages", "messages: is required"],
    ["empty messages", { model: "m", messages: [] }, "invalid_request", "messages", "at least 1"],
    [
      "an unknown role",
      { model: "m", messages: [{ role: "bot", content: "x" }] },
      "invalid_request",
      "messages[0].role",
      '"bot"',
    ],
    [
      "numeric content",
      { model: "m", messages: [{ role: "user", content: 5 }] },
      "invalid_request",
      "messages[0].content",
      "messages[0].content: expected string or array of content parts, got number",
    ],
    [
      "missing user content",
      { model: "m", messages: [{ role: "user" }] },
      "invalid_request",
      "messages[0].content",
      "is required",
    ],
    [
      "null assistant content without tool calls",
      { model: "m", messages: [user, { role: "assistant", content: null }] },
      "invalid_request",
      "messages[1].content",
      "tool_calls",
    ],
    [
      "a part that is not an object",
      { model: "m", messages: [{ role: "user", content: ["x"] }] },
      "invalid_request",
      "messages[0].content[0]",
      "expected object, got string",
    ],
    [
      "a text part without text",
      { model: "m", messages: [{ role: "user", content: [{ type: "text" }] }] },
      "invalid_request",
      "messages[0].content[0].text",
      "is required",
    ],
    [
      "an unknown part type",
      { model: "m", messages: [{ role: "user", content: [{ type: "video" }] }] },
      "invalid_request",
      "messages[0].content[0].type",
      '"video"',
    ],
    [
      "an audio part",
      { model: "m", messages: [{ role: "user", content: [{ type: "input_audio", input_audio: {} }] }] },
      "unsupported_parameter",
      "messages[0].content[0].type",
      "input_audio",
    ],
    [
      "a file part",
      { model: "m", messages: [{ role: "user", content: [{ type: "file", file: {} }] }] },
      "unsupported_parameter",
      "messages[0].content[0].type",
      "file",
    ],
    [
      "an http image URL",
      {
        model: "m",
        messages: [
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "http://169.254.169.254/x.png" } }],
          },
        ],
      },
      "invalid_request",
      "messages[0].content[0].image_url.url",
      "does not fetch URLs",
    ],
    [
      "an https image URL (string form)",
      {
        model: "m",
        messages: [
          { role: "user", content: [{ type: "image_url", image_url: "https://example.com/a.png" }] },
        ],
      },
      "invalid_request",
      "messages[0].content[0].image_url",
      "does not fetch URLs",
    ],
    [
      "a non-image data URI",
      {
        model: "m",
        messages: [
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "data:text/plain;base64,aGk=" } }],
          },
        ],
      },
      "invalid_request",
      "messages[0].content[0].image_url.url",
      "data:image",
    ],
    [
      "bad base64 in a data URI",
      {
        model: "m",
        messages: [
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "data:image/png;base64,not base64!" } }],
          },
        ],
      },
      "invalid_request",
      "messages[0].content[0].image_url.url",
      "base64",
    ],
    [
      "an image in a system message",
      {
        model: "m",
        messages: [{ role: "system", content: [{ type: "image_url", image_url: { url: png } }] }, user],
      },
      "invalid_request",
      "messages[0].content[0]",
      "only in user messages",
    ],
    [
      "tool call arguments that are not JSON",
      {
        model: "m",
        messages: [
          user,
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{city:" } }],
          },
        ],
      },
      "invalid_request",
      "messages[1].tool_calls[0].function.arguments",
      "JSON object",
    ],
    [
      "tool call arguments that are a JSON array",
      {
        model: "m",
        messages: [
          user,
          {
            role: "assistant",
            content: "",
            tool_calls: [{ id: "c", function: { name: "f", arguments: "[1]" } }],
          },
        ],
      },
      "invalid_request",
      "messages[1].tool_calls[0].function.arguments",
      "JSON object",
    ],
    [
      "a tool call without id",
      {
        model: "m",
        messages: [
          user,
          { role: "assistant", content: "", tool_calls: [{ function: { name: "f", arguments: "{}" } }] },
        ],
      },
      "invalid_request",
      "messages[1].tool_calls[0].id",
      "is required",
    ],
    ["n > 1", { ...base, n: 2 }, "unsupported_parameter", "n", "n: only 1"],
    ["n = 0", { ...base, n: 0 }, "invalid_request", "n", ">= 1"],
    [
      "a string temperature",
      { ...base, temperature: "0.5" },
      "invalid_request",
      "temperature",
      "expected number, got string",
    ],
    ["a fractional seed", { ...base, seed: 1.5 }, "invalid_request", "seed", "expected integer, got 1.5"],
    ["negative max_tokens", { ...base, max_tokens: -1 }, "invalid_request", "max_tokens", ">= 0"],
    [
      "fractional max_completion_tokens",
      { ...base, max_completion_tokens: 2.5 },
      "invalid_request",
      "max_completion_tokens",
      "integer",
    ],
    [
      "a non-string stop entry",
      { ...base, stop: ["a", 1] },
      "invalid_request",
      "stop[1]",
      "stop[1]: expected string, got number",
    ],
    ["a numeric stop", { ...base, stop: 5 }, "invalid_request", "stop", "string or array of strings"],
    [
      "an unknown response_format",
      { ...base, response_format: { type: "xml" } },
      "invalid_request",
      "response_format.type",
      '"xml"',
    ],
    [
      "json_schema without a schema",
      { ...base, response_format: { type: "json_schema", json_schema: { name: "x" } } },
      "invalid_request",
      "response_format.json_schema.schema",
      "unconstrained",
    ],
    [
      "json_schema without json_schema",
      { ...base, response_format: { type: "json_schema" } },
      "invalid_request",
      "response_format.json_schema",
      "is required",
    ],
    [
      "an unknown reasoning_effort",
      { ...base, reasoning_effort: "ultra" },
      "invalid_request",
      "reasoning_effort",
      '"ultra"',
    ],
    [
      "an unknown reasoning.effort",
      { ...base, reasoning: { effort: "huge" } },
      "invalid_request",
      "reasoning.effort",
      '"huge"',
    ],
    [
      "a non-function tool",
      { ...base, tools: [{ type: "web_search" }] },
      "unsupported_parameter",
      "tools[0].type",
      "web_search",
    ],
    [
      "a function tool without a name",
      { ...base, tools: [{ type: "function", function: {} }] },
      "invalid_request",
      "tools[0].function.name",
      "is required",
    ],
    [
      "tool parameters that are not an object",
      { ...base, tools: [{ type: "function", function: { name: "f", parameters: "x" } }] },
      "invalid_request",
      "tools[0].function.parameters",
      "expected object, got string",
    ],
    [
      'tool_choice "required"',
      { ...base, tool_choice: "required" },
      "unsupported_parameter",
      "tool_choice",
      "not supported",
    ],
    [
      "a named tool_choice",
      { ...base, tool_choice: { type: "function", function: { name: "f" } } },
      "unsupported_parameter",
      "tool_choice",
      "not supported",
    ],
    [
      "an unknown tool_choice",
      { ...base, tool_choice: "sometimes" },
      "invalid_request",
      "tool_choice",
      '"sometimes"',
    ],
    ["top_logprobs over 20", { ...base, top_logprobs: 21 }, "invalid_request", "top_logprobs", "<= 20"],
    ["a non-boolean stream", { ...base, stream: "yes" }, "invalid_request", "stream", "expected boolean"],
    [
      "a non-boolean include_usage",
      { ...base, stream_options: { include_usage: 1 } },
      "invalid_request",
      "stream_options.include_usage",
      "expected boolean",
    ],
    [
      "keep_alive of the wrong type",
      { ...base, keep_alive: true },
      "invalid_request",
      "keep_alive",
      "string or number",
    ],
    [
      "options that are not an object",
      { ...base, options: [1] },
      "invalid_request",
      "options",
      "expected object, got array",
    ],
  ])("%s", (_name, body, code, param, fragment) => {
    const err = errorOf(body);
    expect(err.status).toBe(400);
    expect(err.type).toBe("invalid_request_error");
    expect(err.code).toBe(code);
    expect(err.param).toBe(param);
    expect(err.message).toContain(fragment);
    if (param !== null) expect(err.message.startsWith(`${param}: `)).toBe(true);
  });
});

describe("parseChatCompletionRequest accepts", () => {
  test.each([
    ["the minimal request", base],
    [
      "null for every optional field",
      {
        ...base,
        stream: null,
        temperature: null,
        top_p: null,
        stop: null,
        n: null,
        tools: null,
        tool_choice: null,
        response_format: null,
        max_tokens: null,
        seed: null,
      },
    ],
    ["n = 1", { ...base, n: 1 }],
    [
      "hint fields and fields unknown to OpenAI",
      {
        ...base,
        user: "u",
        metadata: { a: "b" },
        store: true,
        service_tier: "auto",
        parallel_tool_calls: false,
        logit_bias: { "1": 2 },
        prediction: { type: "content", content: "x" },
        modalities: ["text"],
        audio: null,
        whatever: [1, 2],
      },
    ],
    [
      "null assistant content with tool calls",
      {
        model: "m",
        messages: [
          user,
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "c", type: "function", function: { name: "f", arguments: "{}" } }],
          },
          { role: "tool", tool_call_id: "c", content: "ok" },
        ],
      },
    ],
    [
      "blank tool call arguments",
      {
        model: "m",
        messages: [
          user,
          { role: "assistant", tool_calls: [{ id: "c", function: { name: "f", arguments: " " } }] },
        ],
      },
    ],
    [
      "data URIs with and without a subtype, and image_url as a string",
      {
        model: "m",
        messages: [
          {
            role: "user",
            content: [
              { type: "image_url", image_url: { url: png, detail: "low" } },
              { type: "image_url", image_url: "data:;base64,AAAA" },
              { type: "image_url", image_url: { url: "DATA:IMAGE/WEBP;BASE64,AAAA" } },
            ],
          },
        ],
      },
    ],
    [
      'tool_choice "auto" and "none"',
      { ...base, tools: [{ type: "function", function: { name: "f" } }], tool_choice: "none" },
    ],
    [
      "every reasoning effort",
      { ...base, reasoning_effort: "xhigh", reasoning: { effort: "minimal", summary: "auto" } },
    ],
    ["a response_format of type text", { ...base, response_format: { type: "text" } }],
  ])("%s", (_name, body) => {
    expect(() => parseChatCompletionRequest(body)).not.toThrow();
  });

  test("unknown fields are dropped from the parsed value", () => {
    const req = parseChatCompletionRequest({ ...base, user: "u", whatever: 1 });
    expect(req).toEqual(base);
  });
});

describe("parseToolArguments", () => {
  test.each([
    ['{"a":1}', { a: 1 }],
    ["", {}],
    ["  ", {}],
    ["{}", {}],
    ["[]", undefined],
    ["1", undefined],
    ["null", undefined],
    ["{", undefined],
  ])("%j → %j", (text, expected) => {
    expect(parseToolArguments(text)).toEqual(expected);
  });
});
