import { expect, test } from "vitest";
import { looksLikeEmbedding } from "./model-names.js";

test.each([
  ["nomic-embed-text:latest", true],
  ["mxbai-embed-large", true],
  ["qwen3-embedding:8b", true],
  ["snowflake-arctic-embed:33m", true],
  ["all-minilm:22m", true],
  ["bge-m3", true],
  ["bge-large:335m", true],
  ["paraphrase-multilingual", true],
  ["someone/bge-m3:latest", true],
  ["qwen3:32b", false],
  ["llama3.2:latest", false],
  ["gemma3:4b", false],
  ["deepseek-r1:7b", false],
])("%s → %s", (name, want) => {
  expect(looksLikeEmbedding(name)).toBe(want);
});
