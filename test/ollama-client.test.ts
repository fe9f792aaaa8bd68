// The official ollama npm client against the gateway's native passthrough, through real sockets.

import { Ollama } from "ollama";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type Stack, startStack } from "./helpers/stack.js";

let stack: Stack;
let ollama: Ollama;

beforeAll(async () => {
  stack = await startStack({ sim: { models: ["qwen3:32b", "nomic-embed-text"] } });
  ollama = new Ollama({ host: stack.gateway.url });
});
afterAll(() => stack.close());

test("native chat streams chunk by chunk and ends with Ollama's stats; the gateway counts the tokens", async () => {
  const parts = [];
  for await (const part of await ollama.chat({
    model: "qwen3:32b",
    messages: [{ role: "user", content: "hello [sim:tokens=15]" }],
    think: false,
    stream: true,
  })) {
    parts.push(part);
  }
  expect(parts.length).toBeGreaterThan(10);
  const last = parts.at(-1);
  expect(last?.done).toBe(true);
  expect(last?.done_reason).toBe("stop");
  expect(last?.eval_count).toBe(15);
  const record = stack.records.at(-1);
  expect(record).toMatchObject({
    route: "/api/chat",
    model: "qwen3:32b",
    outcome: "completed",
    completionTokens: 15,
    generation: { doneReason: "stop", completionTokens: 15 },
  });
  expect(record?.ttftMs).toBeGreaterThan(0);
});

test("native generate, non-streaming, passes through unchanged", async () => {
  const res = await ollama.generate({
    model: "qwen3:32b",
    prompt: "hi [sim:tokens=4]",
    think: false,
    stream: false,
  });
  expect(res.done).toBe(true);
  expect(res.eval_count).toBe(4);
  expect(res.response?.length).toBeGreaterThan(0);
});

test("tags, ps and show", async () => {
  const tags = await ollama.list();
  expect(tags.models.map((m) => m.name).sort()).toEqual(["nomic-embed-text:latest", "qwen3:32b"]);
  const ps = await ollama.ps();
  expect(ps.models.map((m) => m.name)).toContain("qwen3:32b");
  expect(ps.models[0]?.size_vram).toBeGreaterThan(0);
  const show = await ollama.show({ model: "qwen3:32b" });
  expect(show.capabilities).toContain("completion");
});

test("embed", async () => {
  const res = await ollama.embed({ model: "nomic-embed-text", input: ["a", "b"] });
  expect(res.embeddings).toHaveLength(2);
});

test("Ollama's errors reach the Ollama client unchanged", async () => {
  await expect(
    ollama.chat({ model: "nope", messages: [{ role: "user", content: "x" }] }),
  ).rejects.toMatchObject({
    status_code: 404,
    error: "model 'nope' not found",
  });
});

test("GET / and HEAD / answer like Ollama", async () => {
  const get = await fetch(`${stack.gateway.url}/`);
  expect(get.status).toBe(200);
  expect(await get.text()).toBe("Ollama is running");
  const head = await fetch(`${stack.gateway.url}/`, { method: "HEAD" });
  expect(head.status).toBe(200);
});
