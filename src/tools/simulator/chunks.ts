// The NDJSON lines and JSON bodies of /api/chat and /api/generate, in Go's field order with omitempty applied.

import type { OllamaLogprob, OllamaToolCall } from "../../ollama/types.js";
import { goStringify } from "./go-json.js";
import { hash32, Rng } from "./prng.js";

export type Endpoint = "chat" | "generate";

/** One streamed delta: a thinking or content token, or the tool calls (sent whole, in one chunk). */
export type Piece =
  | { kind: "thinking"; text: string }
  | { kind: "content"; text: string; logprobs?: OllamaLogprob[] }
  | { kind: "tool"; toolCalls: OllamaToolCall[] };

/** The part of every line before its timestamp, so a line costs one concatenation: prefix + created_at + tail. */
export function linePrefix(model: string): string {
  return `{"model":${goStringify(model)},"created_at":"`;
}

/** Everything after the timestamp of a non-final line (ends in `\n`). */
export function pieceTail(endpoint: Endpoint, piece: Piece): string {
  const logprobs =
    piece.kind === "content" && piece.logprobs ? `,"logprobs":${goStringify(piece.logprobs)}` : "";
  if (endpoint === "chat") {
    switch (piece.kind) {
      case "content":
        return `","message":{"role":"assistant","content":${goStringify(piece.text)}},"done":false${logprobs}}\n`;
      case "thinking":
        return `","message":{"role":"assistant","content":"","thinking":${goStringify(piece.text)}},"done":false}\n`;
      case "tool":
        return `","message":{"role":"assistant","content":"","tool_calls":${goStringify(piece.toolCalls)}},"done":false}\n`;
    }
  }
  switch (piece.kind) {
    case "content":
      return `","response":${goStringify(piece.text)},"done":false${logprobs}}\n`;
    case "thinking":
      return `","response":"","thinking":${goStringify(piece.text)},"done":false}\n`;
    case "tool":
      return `","response":"","done":false,"tool_calls":${goStringify(piece.toolCalls)}}\n`;
  }
}

/** The six api.Metrics fields in nanoseconds/tokens; all omitempty, so zeros are left out. */
export interface Metrics {
  total_duration: number;
  load_duration: number;
  prompt_eval_count: number;
  prompt_eval_duration: number;
  eval_count: number;
  eval_duration: number;
}

function addMetrics(out: Record<string, unknown>, metrics: Metrics): void {
  for (const [key, value] of Object.entries(metrics)) if (value > 0) out[key] = Math.round(value);
}

/** Everything joined, for `stream:false` (§3.4); empty strings and lists fall away as omitempty demands. */
export interface Aggregate {
  content: string;
  thinking: string;
  toolCalls: OllamaToolCall[];
  logprobs: OllamaLogprob[];
}

export interface FinalInput {
  endpoint: Endpoint;
  model: string;
  createdAt: string;
  doneReason: string;
  metrics: Metrics;
  /** /api/generate only (not in raw mode). */
  context?: number[];
  /** Present for the single `stream:false` body; absent for the final NDJSON line. */
  aggregate?: Aggregate;
}

/** The final object (done:true) of a stream, or the whole `stream:false` body. */
export function finalObject(input: FinalInput): Record<string, unknown> {
  const agg = input.aggregate;
  const out: Record<string, unknown> = { model: input.model, created_at: input.createdAt };
  if (input.endpoint === "chat") {
    const message: Record<string, unknown> = { role: "assistant", content: agg?.content ?? "" };
    if (agg?.thinking) message.thinking = agg.thinking;
    if (agg && agg.toolCalls.length > 0) message.tool_calls = agg.toolCalls;
    out.message = message;
    out.done = true;
    if (input.doneReason !== "") out.done_reason = input.doneReason;
    if (agg && agg.logprobs.length > 0) out.logprobs = agg.logprobs;
    addMetrics(out, input.metrics);
    return out;
  }
  out.response = agg?.content ?? "";
  if (agg?.thinking) out.thinking = agg.thinking;
  out.done = true;
  if (input.doneReason !== "") out.done_reason = input.doneReason;
  if (input.context && input.context.length > 0) out.context = input.context;
  addMetrics(out, input.metrics);
  if (agg && agg.toolCalls.length > 0) out.tool_calls = agg.toolCalls;
  if (agg && agg.logprobs.length > 0) out.logprobs = agg.logprobs;
  return out;
}

/** The body of a load or unload answer (§3.5); always a single JSON object, whatever `stream` says. */
export function loadObject(endpoint: Endpoint, model: string, createdAt: string, reason: "load" | "unload") {
  if (endpoint === "chat") {
    return {
      model,
      created_at: createdAt,
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: reason,
    };
  }
  return { model, created_at: createdAt, response: "", done: true, done_reason: reason };
}

function utf8Bytes(text: string): number[] {
  return [...Buffer.from(text, "utf8")];
}

/** Plausible, deterministic log probabilities for a content token; `top` alternatives when asked for. */
export function tokenLogprob(token: string, index: number, seed: number, top: number): OllamaLogprob {
  const rng = new Rng(hash32(token, seed + index));
  const logprob = -Math.round(rng.next() * 1.5e6) / 1e6;
  const entry: OllamaLogprob = { token, logprob, bytes: utf8Bytes(token) };
  if (top > 0) {
    const alternatives = [{ token, logprob, bytes: utf8Bytes(token) }];
    let lp = logprob;
    for (let i = 1; i < top; i++) {
      lp -= 0.5 + Math.round(rng.next() * 2e6) / 1e6;
      const alt = `${token.trim() || token}${"s,.e"[i % 4]}`;
      alternatives.push({ token: alt, logprob: Math.round(lp * 1e6) / 1e6, bytes: utf8Bytes(alt) });
    }
    entry.top_logprobs = alternatives;
  }
  return entry;
}
