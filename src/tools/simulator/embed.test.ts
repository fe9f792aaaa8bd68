// /api/embed and /api/embeddings: shapes, normalisation, dimensions, float32 text and every error case.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { json, post, startFast } from "../../../test/helpers/simulator.js";
import type { RunningSimulator } from "./index.js";
import { float32Text } from "./vectors.js";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startFast();
});
afterAll(() => sim.close());

interface Embed {
  model: string;
  embeddings: number[][];
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
}

const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const cosine = (a: number[], b: number[]) =>
  a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0) / (norm(a) * norm(b));
const embed = async (body: Record<string, unknown>) => {
  const reply = await post(sim, "/api/embed", { model: "nomic-embed-text", ...body });
  expect(reply.status, reply.text).toBe(200);
  return { reply, body: json<Embed>(reply) };
};

describe("/api/embed", () => {
  test("one L2-normalised vector per input, with token counts and metrics", async () => {
    const { reply, body } = await embed({
      model: "Nomic-Embed-Text",
      input: ["first text", "second, longer text"],
    });
    expect(reply.type).toBe("application/json; charset=utf-8");
    expect(Object.keys(body)).toEqual([
      "model",
      "embeddings",
      "total_duration",
      "load_duration",
      "prompt_eval_count",
    ]);
    expect(body.model).toBe("Nomic-Embed-Text");
    expect(body.embeddings).toHaveLength(2);
    for (const v of body.embeddings) {
      expect(v).toHaveLength(768);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    expect(body.prompt_eval_count).toBe(Math.ceil(10 / 4) + Math.ceil(19 / 4));
  });

  test("vectors are deterministic and texts sharing words are closer", async () => {
    const { body } = await embed({
      input: ["the cat sat on the mat", "the cat sat on a mat", "quarterly revenue grew"],
    });
    const [a, b, c] = body.embeddings as [number[], number[], number[]];
    const again = (await embed({ input: "the cat sat on the mat" })).body.embeddings[0];
    expect(again).toEqual(a);
    expect(cosine(a, b)).toBeGreaterThan(cosine(a, c) + 0.3);
  });

  test("dimensions truncates and normalises again", async () => {
    const full = (await embed({ input: "some text" })).body.embeddings[0] as number[];
    const short = (await embed({ input: "some text", dimensions: 16 })).body.embeddings[0] as number[];
    expect(short).toHaveLength(16);
    expect(norm(short)).toBeCloseTo(1, 5);
    const scale = (short[0] as number) / (full[0] as number);
    for (const [i, x] of short.entries()) expect(x).toBeCloseTo((full[i] as number) * scale, 5);
  });

  test("numbers are float32 written the shortest way, as Go does", async () => {
    const { reply, body } = await embed({ input: "format me" });
    const numbers = reply.text.match(/-?\d+\.\d+(e-?\d+)?/g) ?? [];
    expect(numbers.length).toBeGreaterThan(700);
    for (const text of numbers.slice(0, 50)) expect(float32Text(Number(text))).toBe(text);
    expect(numbers.every((text) => text.replace(/^-?0\.0*|e.*$|\./g, "").length <= 9)).toBe(true);
    expect(body.embeddings[0]).toHaveLength(768);
    expect(float32Text(0.1)).toBe("0.1");
  });

  test.each([[""], [[]]])("input %j: just {model, embeddings: []}", async (input) => {
    const reply = await post(sim, "/api/embed", { model: "nomic-embed-text", input });
    expect(reply.text).toBe('{"model":"nomic-embed-text","embeddings":[]}');
  });

  test.each([
    ["mixed input", { model: "nomic-embed-text", input: ["a", 1] }, 400, "invalid input type"],
    ["number input", { model: "nomic-embed-text", input: 5 }, 400, "invalid input type"],
    ["unknown model", { model: "nope", input: "a" }, 404, 'model "nope" not found, try pulling it first'],
    ["no model", { input: "a" }, 404, "model '' not found"],
    ["chat model", { model: "qwen3:32b", input: "a" }, 400, "this model does not support embeddings"],
    [
      "too long",
      { model: "nomic-embed-text", input: "x".repeat(20_000), truncate: false },
      400,
      "the input length exceeds the context length",
    ],
    [
      "bad option",
      { model: "nomic-embed-text", input: "a", options: { num_ctx: "big" } },
      500,
      'option "num_ctx" must be of type integer',
    ],
  ])("%s → %i %s", async (_label, body, status, message) => {
    const reply = await post(sim, "/api/embed", body);
    expect([reply.status, reply.text]).toEqual([status, JSON.stringify({ error: message })]);
  });
});

describe("legacy /api/embeddings", () => {
  test("returns one float64 `embedding`", async () => {
    const reply = await post(sim, "/api/embeddings", { model: "nomic-embed-text", prompt: "hello" });
    const body = json<{ embedding: number[] }>(reply);
    expect(Object.keys(body)).toEqual(["embedding"]);
    expect(body.embedding).toHaveLength(768);
    expect(norm(body.embedding)).toBeCloseTo(1, 5);
  });

  test("an empty prompt loads the model; a missing model is 400", async () => {
    expect((await post(sim, "/api/embeddings", { model: "nomic-embed-text" })).text).toBe('{"embedding":[]}');
    const missing = await post(sim, "/api/embeddings", { prompt: "x" });
    expect([missing.status, missing.text]).toEqual([400, '{"error":"model is required"}']);
  });
});
