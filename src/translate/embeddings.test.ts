// Embedding request and reply mapping, including the base64 encoding.
import { expect, test } from "vitest";
import type { OllamaEmbedResponse } from "../ollama/types.js";
import { parseEmbeddingRequest } from "../openai/embedding-request.js";
import { float32Base64, toEmbeddingList, toOllamaEmbedRequest } from "./embeddings.js";

const res: OllamaEmbedResponse = {
  model: "all-minilm",
  embeddings: [
    [0.1, -0.2, 0.3],
    [1, 0, -1],
  ],
  prompt_eval_count: 8,
};

test("float32 little-endian base64, as OpenAI encodes it", () => {
  expect(float32Base64([0.1, -0.2, 0.3])).toBe("zczMPc3MTL6amZk+");
  expect(float32Base64([])).toBe("");
});

test("floats by default; model as requested; usage from prompt_eval_count", () => {
  const req = parseEmbeddingRequest({ model: "All-MiniLM:latest", input: ["a", "b"] });
  expect(toEmbeddingList(res, req)).toEqual({
    object: "list",
    data: [
      { object: "embedding", index: 0, embedding: [0.1, -0.2, 0.3] },
      { object: "embedding", index: 1, embedding: [1, 0, -1] },
    ],
    model: "All-MiniLM:latest",
    usage: { prompt_tokens: 8, total_tokens: 8 },
  });
});

test("base64 encoding round-trips to the same float32 values", () => {
  const req = parseEmbeddingRequest({ model: "m", input: ["a", "b"], encoding_format: "base64" });
  const list = toEmbeddingList(res, req);
  const decoded = list.data.map((d) => {
    const bytes = Buffer.from(d.embedding as string, "base64");
    return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
  });
  expect(decoded).toEqual(res.embeddings.map((v) => v.map((x) => Math.fround(x))));
});

test.each([
  ["fewer vectors than inputs", { ...res, embeddings: [[1]] }, ["a", "b"], /returned 1 embeddings for 2/],
  ["no vector list", { model: "m" } as OllamaEmbedResponse, "a", /returned no embeddings for 1/],
])("%s is an upstream protocol error", (_name, upstream, input, message) => {
  const req = parseEmbeddingRequest({ model: "m", input });
  expect(() => toEmbeddingList(upstream, req)).toThrowError(
    expect.objectContaining({ code: "upstream_protocol_error", message: expect.stringMatching(message) }),
  );
});

test("missing prompt_eval_count counts as 0", () => {
  const req = parseEmbeddingRequest({ model: "m", input: "a" });
  expect(toEmbeddingList({ model: "m", embeddings: [[1]] }, req).usage).toEqual({
    prompt_tokens: 0,
    total_tokens: 0,
  });
});

test("the request keeps only what Ollama understands", () => {
  const req = parseEmbeddingRequest({
    model: "m",
    input: "a",
    encoding_format: "base64",
    keep_alive: "1m",
    options: { num_ctx: 512 },
  });
  expect(toOllamaEmbedRequest(req)).toEqual({
    model: "m",
    input: "a",
    keep_alive: "1m",
    options: { num_ctx: 512 },
  });
});
