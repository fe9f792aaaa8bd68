// Compatibility check with the official `ollama` npm client: it must work against the simulator unchanged.

import { Ollama } from "ollama";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startFast } from "../../../test/helpers/simulator.js";
import type { RunningSimulator } from "./index.js";

let sim: RunningSimulator;
let ollama: Ollama;
beforeAll(async () => {
  sim = await startFast();
  ollama = new Ollama({ host: sim.url });
});
afterAll(() => sim.close());

test("list, show, version", async () => {
  const { models } = await ollama.list();
  expect(models.map((m) => m.name)).toContain("qwen3:32b");
  expect(models[0]?.details.family).toBe("qwen3");
  const show = await ollama.show({ model: "qwen3:32b" });
  expect(show.capabilities).toContain("thinking");
  expect(show.model_info).toHaveProperty("qwen3.context_length");
  expect((await ollama.version()).version).toBe("0.12.3");
});

test("streaming chat with thinking, then ps shows the model", async () => {
  const stream = await ollama.chat({
    model: "qwen3:32b",
    messages: [{ role: "user", content: "Hello [sim:tokens=5]" }],
    stream: true,
  });
  let content = "";
  let thinking = "";
  let last: { done: boolean; done_reason: string; eval_count: number } | undefined;
  for await (const part of stream) {
    content += part.message.content;
    thinking += part.message.thinking ?? "";
    last = part;
  }
  expect(content.length).toBeGreaterThan(0);
  expect(thinking.length).toBeGreaterThan(0);
  expect(last).toMatchObject({ done: true, done_reason: "stop" });
  const { models } = await ollama.ps();
  expect(models[0]?.name).toBe("qwen3:32b");
  expect(new Date(models[0]?.expires_at ?? 0).getTime()).toBeGreaterThan(Date.now());
});

test("non-streaming chat with tools, generate and embed", async () => {
  const chat = await ollama.chat({
    model: "llama3.2",
    messages: [{ role: "user", content: "Weather in Rome?" }],
    tools: [
      {
        type: "function",
        function: {
          name: "get_weather",
          description: "weather",
          parameters: {
            type: "object",
            required: ["city"],
            properties: { city: { type: "string", description: "city" } },
          },
        },
      },
    ],
  });
  expect(chat.message.tool_calls?.[0]?.function).toEqual({
    index: 0,
    name: "get_weather",
    arguments: { city: "Rome" },
  });
  const generated = await ollama.generate({ model: "llama3.2", prompt: "Say hi [sim:tokens=3]" });
  expect(generated.eval_count).toBe(3);
  const { embeddings } = await ollama.embed({ model: "nomic-embed-text", input: ["a", "b"] });
  expect(embeddings).toHaveLength(2);
});

test("errors reach the client: HTTP errors with their status, mid-stream errors as thrown errors", async () => {
  await expect(
    ollama.chat({ model: "nope", messages: [{ role: "user", content: "hi" }] }),
  ).rejects.toMatchObject({
    status_code: 404,
    error: "model 'nope' not found",
  });
  const stream = await ollama.generate({ model: "llama3.2", prompt: "[sim:midstream-fail]", stream: true });
  const consume = async () => {
    for await (const _ of stream) {
      // drain
    }
  };
  await expect(consume()).rejects.toThrow("an error was encountered while running the model");
});
