// Proof that the official openai client accepts our frames and bodies, merges our tool-call deltas, and throws on our error frame.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import OpenAI, { APIError } from "openai";
import { describe, expect, test } from "vitest";
import {
  createChatAggregator,
  createChatSseTranslator,
  createCompletionSseTranslator,
  type ResponseContext,
} from "./index.js";

const DIR = fileURLToPath(new URL("../../test/fixtures/translate/", import.meta.url));
const ctx = (includeUsage = false): ResponseContext => ({
  id: "chatcmpl-sdk",
  created: 1700000000,
  model: "qwen3:32b",
  includeUsage,
});

function sseFromFixture(name: string, create = createChatSseTranslator, usage = false): string {
  const t = create(ctx(usage));
  return t.push(readFileSync(`${DIR}${name}.ndjson`)) + t.end();
}

/** A client whose every request is answered with `body`. */
function clientAnswering(body: string, contentType = "text/event-stream"): OpenAI {
  return new OpenAI({
    apiKey: "unused",
    baseURL: "http://gateway.test/v1",
    maxRetries: 0,
    fetch: async () => new Response(body, { headers: { "content-type": contentType } }),
  });
}

const messages = [{ role: "user" as const, content: "hi" }];

describe("openai SDK reading our SSE", () => {
  test("chat chunks, finish and usage", async () => {
    const client = clientAnswering(sseFromFixture("chat-stream-length-usage", createChatSseTranslator, true));
    const stream = await client.chat.completions.create({ model: "qwen3:32b", messages, stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? null)).toEqual([
      "Once upon",
      " a time",
      ",",
      null,
      null,
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe("length");
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage).toEqual({ prompt_tokens: 7, completion_tokens: 4, total_tokens: 11 });
  });

  test("two tool calls in one stream stay two calls after the SDK merges deltas by index", async () => {
    const client = clientAnswering(sseFromFixture("chat-stream-tools"));
    const runner = client.chat.completions.stream({ model: "qwen3:32b", messages });
    const final = await runner.finalChatCompletion();
    const choice = final.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(
      choice?.message.tool_calls?.map((c) =>
        c.type === "function" ? [c.id, c.function.name, JSON.parse(c.function.arguments)] : c,
      ),
    ).toEqual([
      ["call_ab12cd34", "get_weather", { city: "東京", unit: "c" }],
      ["call_ef56gh78", "get_weather", { city: "Paris" }],
    ]);
  });

  test("Chinese text survives", async () => {
    const client = clientAnswering(sseFromFixture("chat-stream-basic"));
    const final = await client.chat.completions
      .stream({ model: "qwen3:32b", messages })
      .finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('你好，世界! <b> "quoted"\n😀');
  });

  test.each([
    [
      "a mid-stream error line",
      "chat-stream-error",
      "an error was encountered while running the model",
      "upstream_stream_error",
    ],
    [
      "an early EOF",
      "chat-stream-eof",
      "the upstream ended the stream early (no done:true)",
      "upstream_protocol_error",
    ],
  ])("the error frame after %s makes iteration throw an APIError", async (_name, fixture, message, code) => {
    const client = clientAnswering(sseFromFixture(fixture));
    const stream = await client.chat.completions.create({ model: "qwen3:32b", messages, stream: true });
    const seen: string[] = [];
    const failure = await (async () => {
      try {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? "");
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(seen.length).toBe(2);
    expect(failure).toBeInstanceOf(APIError);
    expect((failure as APIError).message).toContain(message);
    expect((failure as APIError).code).toBe(code);
    expect((failure as APIError).type).toBe("server_error");
  });

  test("legacy completions stream", async () => {
    const client = clientAnswering(sseFromFixture("completion-stream-basic", createCompletionSseTranslator));
    const stream = await client.completions.create({ model: "qwen2.5-coder", prompt: "def", stream: true });
    const texts = [];
    for await (const chunk of stream) texts.push(chunk.choices[0]?.text);
    expect(texts.join("")).toBe("def 你好():");
  });
});

test("openai SDK reading an aggregated body", async () => {
  const agg = createChatAggregator(ctx());
  agg.push(readFileSync(`${DIR}chat-stream-thinking.ndjson`));
  const client = clientAnswering(JSON.stringify(agg.end()), "application/json");
  const completion = await client.chat.completions.create({ model: "qwen3:32b", messages });
  expect(completion.choices[0]?.message.content).toBe("你好！");
  expect(completion.usage?.total_tokens).toBe(15);
});
