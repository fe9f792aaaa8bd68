// Request decoding with Go's type errors, and Ollama's options checks.

import { describe, expect, test } from "vitest";
import { checkOptions } from "./model-options.js";
import { decodeChat, decodeEmbed, decodeGenerate } from "./requests.js";

describe("decodeChat", () => {
  test.each([
    [{ model: 1 }, "json: cannot unmarshal number into Go struct field ChatRequest.model of type string"],
    ["hi", "json: cannot unmarshal string into Go value of type api.ChatRequest"],
    [[], "json: cannot unmarshal array into Go value of type api.ChatRequest"],
    [
      { messages: {} },
      "json: cannot unmarshal object into Go struct field ChatRequest.messages of type []api.Message",
    ],
    [
      { messages: ["x"] },
      "json: cannot unmarshal string into Go struct field ChatRequest.messages of type api.Message",
    ],
    [
      { messages: [{ role: "user", content: ["x"] }] },
      "json: cannot unmarshal array into Go struct field Message.messages.content of type string",
    ],
    [{ stream: "yes" }, "json: cannot unmarshal string into Go struct field ChatRequest.stream of type bool"],
    [
      { top_logprobs: 1.5 },
      "json: cannot unmarshal number 1.5 into Go struct field ChatRequest.top_logprobs of type int",
    ],
    [
      { options: [] },
      "json: cannot unmarshal array into Go struct field ChatRequest.options of type map[string]interface {}",
    ],
    [
      { tools: [{ function: { name: 3 } }] },
      "json: cannot unmarshal number into Go struct field ToolFunction.tools.function.name of type string",
    ],
    [{ keep_alive: "300" }, 'time: missing unit in duration "300"'],
    [{ keep_alive: false }, "Unsupported type: 'bool'"],
    [{ think: "x" }, 'invalid think value: "x" (must be "high", "medium", "low", "max", true, or false)'],
    [{ think: 1 }, 'think must be a boolean or string ("high", "medium", "low", "max", true, or false)'],
    [{ messages: [{ role: "user", content: "", images: ["@@@@"] }] }, "illegal base64 data at input byte 0"],
  ])("%j is refused with Go's error", (body, error) => {
    expect(decodeChat(body)).toEqual({ error });
  });

  test("keeps known fields, matches keys ignoring case, lowercases roles, drops unknown keys and nulls", () => {
    const decoded = decodeChat({
      Model: "qwen3",
      messages: [{ role: "USER", content: "hi" }, { role: "assistant" }],
      stream: null,
      keep_alive: "1m",
      think: "high",
      extra: true,
    });
    expect(decoded).toEqual({
      value: {
        model: "qwen3",
        messages: [
          { role: "user", content: "hi" },
          { role: "assistant", content: "" },
        ],
        keep_alive: 60_000,
        think: "high",
      },
    });
  });

  test("a null body is the zero request", () => {
    expect(decodeChat(null)).toEqual({ value: { model: "", messages: [] } });
  });
});

test("decodeGenerate and decodeEmbed use their own struct names", () => {
  expect(decodeGenerate({ context: ["a"] })).toEqual({
    error: "json: cannot unmarshal string into Go struct field GenerateRequest.context of type int",
  });
  expect(decodeEmbed({ dimensions: "4" })).toEqual({
    error: "json: cannot unmarshal string into Go struct field EmbedRequest.dimensions of type int",
  });
  expect(decodeEmbed({ model: "m", input: [1, "a"] })).toEqual({ value: { model: "m", input: [1, "a"] } });
});

describe("checkOptions", () => {
  test.each([
    [{ num_predict: "10" }, 'option "num_predict" must be of type integer'],
    [{ temperature: "hot" }, 'option "temperature" must be of type float32'],
    [{ use_mmap: 1 }, 'option "use_mmap" must be of type boolean'],
    [{ stop: "x" }, 'option "stop" must be of type array'],
    [{ stop: ["a", 1] }, 'option "stop" must be of an array of strings'],
  ])("%j is refused", (options, error) => {
    expect(checkOptions(options)).toEqual({ error });
  });

  test("truncates integers sent as floats, ignores unknown keys and nulls", () => {
    expect(
      checkOptions({
        num_predict: 10.9,
        num_ctx: 8192,
        seed: 7,
        mirostat: "x",
        temperature: null,
        stop: ["\n"],
      }),
    ).toEqual({
      value: { numPredict: 10, numCtx: 8192, stop: ["\n"], seed: 7 },
    });
  });
});
