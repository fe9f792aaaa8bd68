// Prompts for the load test: generated to a target length, or read from a file; request i gets prompt i (cycling).

import { readFileSync } from "node:fs";
import { LoadtestUsageError, type PromptSpec } from "./options.js";

/** Chat messages as sent in the request body; a prompt file's JSONL lines may carry any OpenAI message shape. */
export type ChatMessages = readonly Record<string, unknown>[];

/** Gives the messages of the i-th request (i from 0). */
export type PromptSource = (i: number) => ChatMessages;

/** Characters per token: the usual estimate for English text (Ollama and the simulator count ceil(chars / 4)). */
export const CHARS_PER_TOKEN = 4;

const WORDS =
  "the quick brown fox jumps over a lazy dog while seven wise owls watch from an old oak tree and count every star in the clear night sky".split(
    " ",
  );

/**
 * A prompt of exactly `tokens` × 4 characters, about `tokens` tokens for most tokenizers. It starts with the
 * request number, so no two requests share a prefix and a server's prefix cache cannot skip the prefill.
 */
export function generatedPrompt(tokens: number, i: number): string {
  const length = tokens * CHARS_PER_TOKEN;
  let text = `Request ${i}: repeat after me.`;
  for (let w = 0; text.length < length; w++) text += ` ${WORDS[w % WORDS.length]}`;
  return text.slice(0, length);
}

/**
 * Reads prompts from a file. `.jsonl`: one JSON value per line, a string (the user message), `{"prompt": "…"}`
 * or `{"messages": [...]}` (sent as is). Any other file: each non-empty line is one user message.
 * Throws a LoadtestUsageError naming --prompt-file for an empty or malformed file.
 */
export function readPromptFile(path: string): ChatMessages[] {
  const text = readFileSync(path, "utf8");
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== "");
  if (lines.length === 0) throw new LoadtestUsageError("prompt-file", `${path} has no prompts`);
  if (!path.endsWith(".jsonl")) return lines.map((line) => [{ role: "user", content: line }]);
  return lines.map((line, n) => {
    const bad = (why: string) => new LoadtestUsageError("prompt-file", `${path}:${n + 1}: ${why}`);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw bad("not valid JSON");
    }
    if (typeof value === "string") return [{ role: "user", content: value }];
    if (value && typeof value === "object") {
      const { prompt, messages } = value as { prompt?: unknown; messages?: unknown };
      if (typeof prompt === "string") return [{ role: "user", content: prompt }];
      if (
        Array.isArray(messages) &&
        messages.length > 0 &&
        messages.every((m) => m !== null && typeof m === "object" && !Array.isArray(m))
      )
        return messages as Record<string, unknown>[];
    }
    throw bad('expected a string, {"prompt": "..."} or {"messages": [...]}');
  });
}

export function promptSource(spec: PromptSpec): PromptSource {
  if (spec.kind === "generated") return (i) => [{ role: "user", content: generatedPrompt(spec.tokens, i) }];
  const prompts = readPromptFile(spec.path);
  return (i) => prompts[i % prompts.length] as ChatMessages;
}
