// The playground's model order and default: a demo with an embedding model still starts on a chat model.

import { expect, test } from "vitest";
import { playgroundModels } from "./playground-models.js";

test.each<[string, string[], string | null, string[], string | undefined]>([
  ["no models", [], null, [], undefined],
  [
    "the demo's models: the chat model first and selected",
    ["qwen3:32b", "nomic-embed-text:latest"],
    null,
    ["qwen3:32b", "nomic-embed-text:latest"],
    "qwen3:32b",
  ],
  [
    "sorted within each group",
    ["qwen3:32b", "mxbai-embed-large:latest", "llama3.2:latest", "nomic-embed-text:latest"],
    null,
    ["llama3.2:latest", "qwen3:32b", "mxbai-embed-large:latest", "nomic-embed-text:latest"],
    "llama3.2:latest",
  ],
  [
    "embedding models named by family (all-minilm sorts before qwen3)",
    ["qwen3:32b", "all-minilm:latest", "bge-m3:latest"],
    null,
    ["qwen3:32b", "all-minilm:latest", "bge-m3:latest"],
    "qwen3:32b",
  ],
  [
    "the remembered model wins",
    ["qwen3:32b", "llama3.2:latest"],
    "qwen3:32b",
    ["llama3.2:latest", "qwen3:32b"],
    "qwen3:32b",
  ],
  ["a remembered model that is gone is not selected", ["qwen3:32b"], "gemma3:4b", ["qwen3:32b"], "qwen3:32b"],
  [
    "only embedding models: the first is still offered",
    ["nomic-embed-text:latest"],
    null,
    ["nomic-embed-text:latest"],
    "nomic-embed-text:latest",
  ],
])("%s", (_name, ids, remembered, ordered, selected) => {
  expect(playgroundModels(ids, remembered)).toEqual({ ids: ordered, selected });
});
