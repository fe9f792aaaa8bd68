// Model name parsing, display and references (:local/:cloud).

import { describe, expect, test } from "vitest";
import { displayShortest, fullName, parseModelName, parseModelRef } from "./names.js";

describe("model names", () => {
  test.each([
    ["qwen3", "qwen3:latest", "registry.ollama.ai/library/qwen3:latest"],
    ["qwen3:32b", "qwen3:32b", "registry.ollama.ai/library/qwen3:32b"],
    ["Qwen3:32B", "Qwen3:32B", "registry.ollama.ai/library/Qwen3:32B"],
    ["jmorgan/llama3:8b", "jmorgan/llama3:8b", "registry.ollama.ai/jmorgan/llama3:8b"],
    ["hf.co/org/model:q4", "hf.co/org/model:q4", "hf.co/org/model:q4"],
    ["localhost:5000/ns/m", "localhost:5000/ns/m:latest", "localhost:5000/ns/m:latest"],
  ])("%s displays as %s", (raw, shortest, full) => {
    const name = parseModelName(raw);
    expect(name).toBeDefined();
    if (name === undefined) return;
    expect(displayShortest(name)).toBe(shortest);
    expect(fullName(name)).toBe(full);
  });

  test.each(["bad name", "a:b:c", "-x", "ns.dot/m", "m:", "a/b/c/d"])("%j is invalid", (raw) => {
    expect(parseModelName(raw)).toBeUndefined();
  });

  test("references: required, conflicting sources, cloud", () => {
    expect(parseModelRef("   ")).toEqual({ kind: "required" });
    expect(parseModelRef("m:local:cloud")).toEqual({
      kind: "conflict",
      message: 'use either :local or :cloud, not both: "m:local:cloud"',
    });
    expect(parseModelRef("gpt-oss:cloud")).toMatchObject({
      kind: "ok",
      cloud: true,
      name: { model: "gpt-oss" },
    });
    expect(parseModelRef("bad name")).toEqual({ kind: "invalid" });
  });
});
