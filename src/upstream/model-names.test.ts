import { describe, expect, test } from "vitest";
import { canonicalModelName } from "./model-names.js";

describe("canonicalModelName", () => {
  test.each([
    ["Qwen3", "qwen3:latest"],
    ["qwen3:32B", "qwen3:32b"],
    ["  qwen3:32b\n", "qwen3:32b"],
    ["qwen3:latest", "qwen3:latest"],
    ["library/llama3.2", "llama3.2:latest"],
    ["library/llama3.2:3b", "llama3.2:3b"],
    ["registry.ollama.ai/library/llama3.2", "llama3.2:latest"],
    ["Registry.Ollama.AI/Library/Mistral:7B", "mistral:7b"],
    ["hf.co/user/repo:Q4_K_M", "hf.co/user/repo:q4_k_m"],
    ["hf.co/user/repo", "hf.co/user/repo:latest"],
    ["user/model", "user/model:latest"],
    ["User/Model:V2", "user/model:v2"],
    // A port is not a tag: the `:` comes before the last `/`.
    ["localhost:5000/ns/model", "localhost:5000/ns/model:latest"],
    ["localhost:5000/ns/model:q8_0", "localhost:5000/ns/model:q8_0"],
    // Only the default namespace is dropped, and only as a prefix.
    ["registry.ollama.ai/user/model", "registry.ollama.ai/user/model:latest"],
    ["mylibrary/model", "mylibrary/model:latest"],
    ["nomic-embed-text", "nomic-embed-text:latest"],
    ["", ""],
    ["   ", ""],
  ])("%j → %j", (input, expected) => {
    expect(canonicalModelName(input)).toBe(expected);
  });

  test("is idempotent", () => {
    for (const name of ["Qwen3", "library/llama3.2", "hf.co/user/repo:Q4_K_M", "localhost:5000/ns/model"]) {
      const once = canonicalModelName(name);
      expect(canonicalModelName(once)).toBe(once);
    }
  });
});
