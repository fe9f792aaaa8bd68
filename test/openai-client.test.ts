// The official openai npm client against serve + simulate, through real sockets.

import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Stack, startStack } from "./helpers/stack.js";

let stack: Stack;
let client: OpenAI;

beforeAll(async () => {
  stack = await startStack({ sim: { models: ["qwen3:32b", "llama3.2:3b", "nomic-embed-text"] } });
  client = new OpenAI({ baseURL: `${stack.gateway.url}/v1`, apiKey: "unused", maxRetries: 0 });
});
afterAll(() => stack.close());

const user = (content: string) => [{ role: "user" as const, content }];

describe("chat completions", () => {
  test("non-streaming: text, finish_reason, usage equal to Ollama's counts", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "llama3.2:3b", messages: user("Say hello [sim:tokens=12]") })
      .withResponse();
    const record = await stack.nextRecord(response.headers.get("x-request-id") ?? "");
    expect(data.object).toBe("chat.completion");
    expect(data.id).toMatch(/^chatcmpl-[0-9a-f]{24}$/);
    expect(data.model).toBe("llama3.2:3b");
    expect(data.choices).toHaveLength(1);
    expect(data.choices[0]?.message.role).toBe("assistant");
    expect(data.choices[0]?.message.content?.length).toBeGreaterThan(0);
    expect(data.choices[0]?.finish_reason).toBe("stop");
    expect(data.usage?.completion_tokens).toBe(12);
    expect(data.usage?.total_tokens).toBe((data.usage?.prompt_tokens ?? 0) + 12);
    expect(record).toMatchObject({
      outcome: "completed",
      status: 200,
      route: "/v1/chat/completions",
      model: "llama3.2:3b",
      stream: false,
      completionTokens: 12,
      promptTokens: data.usage?.prompt_tokens,
    });
  });

  test("streaming with include_usage: deltas, one finish chunk, a usage chunk, TTFT recorded", async () => {
    const stream = await client.chat.completions.create({
      model: "llama3.2:3b",
      messages: user("Tell me a story [sim:tokens=20]"),
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? "").join("");
    expect(text.length).toBeGreaterThan(0);
    expect(chunks[0]?.choices[0]?.delta.role).toBe("assistant");
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    const finishes = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finishes.map((c) => c.choices[0]?.finish_reason)).toEqual(["stop"]);
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(20);
    const record = stack.records.at(-1);
    expect(record).toMatchObject({ outcome: "completed", stream: true, completionTokens: 20 });
    expect(record?.ttftMs).toBeGreaterThan(0);
    expect(record?.ttftMs).toBeLessThanOrEqual(record?.durationMs ?? 0);
  });

  test("max_tokens and max_completion_tokens both cap the answer: finish_reason length", async () => {
    const a = await client.chat.completions.create({
      model: "llama3.2:3b",
      messages: user("Go on and on"),
      max_tokens: 5,
    });
    expect(a.choices[0]?.finish_reason).toBe("length");
    expect(a.usage?.completion_tokens).toBe(5);
    const b = await client.chat.completions.create({
      model: "llama3.2:3b",
      messages: user("Go on and on"),
      max_completion_tokens: 3,
    });
    expect(b.choices[0]?.finish_reason).toBe("length");
    expect(b.usage?.completion_tokens).toBe(3);
  });

  test("thinking models return reasoning separately from content", async () => {
    const res = await client.chat.completions.create({
      model: "qwen3:32b",
      messages: user("Why is the sky blue?"),
      reasoning_effort: "low",
    });
    const message = res.choices[0]?.message as { content: string; reasoning?: string };
    expect(message.reasoning?.length).toBeGreaterThan(0);
    expect(message.content.length).toBeGreaterThan(0);
    const off = await client.chat.completions.create({
      model: "qwen3:32b",
      messages: user("Why is the sky blue?"),
      reasoning_effort: "none",
    });
    expect((off.choices[0]?.message as { reasoning?: string } | undefined)?.reasoning).toBeUndefined();
  });

  const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Current weather for a city",
        parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
      },
    },
  ];

  test("tools: a tool call comes back with JSON-string arguments, and a tool result continues the chat", async () => {
    const first = await client.chat.completions.create({
      model: "qwen3:32b",
      messages: user("Weather in Paris?"),
      tools,
    });
    const choice = first.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type).toBe("function");
    if (call?.type !== "function") throw new Error("expected a function call");
    expect(call.function.name).toBe("get_weather");
    expect(typeof JSON.parse(call.function.arguments).city).toBe("string");
    expect(call.id).toMatch(/^call_/);

    const second = await client.chat.completions.create({
      model: "qwen3:32b",
      tools,
      messages: [
        ...user("Weather in Paris?"),
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: '{"temp_c":21}' },
      ],
    });
    expect(second.choices[0]?.finish_reason).toBe("stop");
    expect(second.choices[0]?.message.content?.length).toBeGreaterThan(0);
  });

  test("tools while streaming: the SDK assembles the call from the deltas", async () => {
    const stream = client.chat.completions.stream({
      model: "qwen3:32b",
      messages: user("Weather in Oslo?"),
      tools,
    });
    const final = await stream.finalChatCompletion();
    const call = final.choices[0]?.message.tool_calls?.[0];
    expect(final.choices[0]?.finish_reason).toBe("tool_calls");
    if (call?.type !== "function") throw new Error("expected a function call");
    expect(call.function.name).toBe("get_weather");
    expect(JSON.parse(call.function.arguments)).toHaveProperty("city");
  });

  test("response_format json_object yields parseable JSON", async () => {
    const res = await client.chat.completions.create({
      model: "llama3.2:3b",
      messages: user("Describe a cat as JSON"),
      response_format: { type: "json_object" },
    });
    expect(() => JSON.parse(res.choices[0]?.message.content ?? "")).not.toThrow();
  });

  test("completions (legacy) non-streaming and streaming", async () => {
    const res = await client.completions.create({
      model: "llama3.2:3b",
      prompt: "Once upon a time [sim:tokens=8]",
    });
    expect(res.object).toBe("text_completion");
    expect(res.choices[0]?.text.length).toBeGreaterThan(0);
    expect(res.usage?.completion_tokens).toBe(8);
    const stream = await client.completions.create({
      model: "llama3.2:3b",
      prompt: "Once upon a time [sim:tokens=8]",
      stream: true,
    });
    let text = "";
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? "";
    expect(text).toBe(res.choices[0]?.text);
  });
});

describe("embeddings", () => {
  test("float encoding: one normalised vector per input, usage from Ollama", async () => {
    const res = await client.embeddings.create({
      model: "nomic-embed-text",
      input: ["hello", "world"],
      encoding_format: "float",
    });
    expect(res.data).toHaveLength(2);
    expect(res.data.map((d) => d.index)).toEqual([0, 1]);
    const v = res.data[0]?.embedding ?? [];
    expect(v.length).toBeGreaterThan(0);
    expect(Math.hypot(...v)).toBeCloseTo(1, 4);
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
    expect(res.model).toBe("nomic-embed-text");
  });

  test("base64 encoding (the SDK's default) decodes to the same vectors", async () => {
    const floats = await client.embeddings.create({
      model: "nomic-embed-text",
      input: "same",
      encoding_format: "float",
    });
    const decoded = await client.embeddings.create({ model: "nomic-embed-text", input: "same" });
    const a = floats.data[0]?.embedding ?? [];
    const b = decoded.data[0]?.embedding ?? [];
    expect(b).toHaveLength(a.length);
    b.forEach((x, i) => {
      expect(x).toBeCloseTo(a[i] ?? Number.NaN, 6);
    });
  });
});

describe("models", () => {
  test("list and retrieve", async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(["llama3.2:3b", "nomic-embed-text:latest", "qwen3:32b"]);
    const model = await client.models.retrieve("qwen3:32b");
    expect(model).toMatchObject({ id: "qwen3:32b", object: "model", owned_by: "library" });
  });

  test("a missing model is a 404 NotFoundError carrying Ollama's message", async () => {
    await expect(client.models.retrieve("nope")).rejects.toMatchObject({ status: 404 });
    const err = await client.chat.completions
      .create({ model: "nope", messages: user("hi") })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).message).toContain("model 'nope' not found");
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).code).toBe("model_not_found");
  });
});
