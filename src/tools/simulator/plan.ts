// What one chat/generate answer will be, decided up front: thinking and content tokens, tool call, end reason, faults.

import type { OllamaThink, OllamaTool, OllamaToolCall } from "../../ollama/types.js";
import type { Directives } from "./directives.js";
import { hash32, Rng } from "./prng.js";
import { fillSchema, modelJson } from "./schema-fill.js";
import { pickWord, sentenceTokens, splitTokens, thinkingTokens } from "./text.js";

export type OutputFormat =
  | { kind: "text" }
  | { kind: "json" }
  | { kind: "schema"; schema: Record<string, unknown> };

export interface PlanInput {
  /** Characters of everything the prompt is made of; prompt_eval_count = ceil(chars / 4), at least 1. */
  promptChars: number;
  /** Seeds the text: the same seed and prompt always give the same answer. */
  textSeed: number;
  /** The last user message (chat) or the prompt (generate): source of directives and of tool argument words. */
  userText: string;
  directives: Directives;
  /** Thinking on (a level) or off; already resolved against the model's capability. */
  think: Exclude<OllamaThink, false> | undefined;
  format: OutputFormat;
  /** Set when the answer is a tool call (see `toolToCall` in turn.ts for when). */
  callTool: OllamaTool | undefined;
  numPredict: number;
  stop: readonly string[];
  /** The request's draws from the fault rates, made in arrival order. */
  faults: { fail: boolean; midstream: boolean; hang: boolean; position: number };
}

export interface Plan {
  promptTokens: number;
  thinking: string[];
  content: string[];
  toolCalls: OllamaToolCall[] | undefined;
  /** Tokens the tool call stands for (eval_count, pacing): its JSON length / 4. */
  toolCallTokens: number;
  doneReason: "stop" | "length";
  /** Fail before any output with this status. */
  failStatus: number | undefined;
  /** Send this many pieces, then the mid-stream error line. */
  failAfter: number | undefined;
  /** Send this many pieces, then nothing until the client leaves (0 with `hang`). */
  hangAfter: number | undefined;
  delayMs: number;
}

const THINK_SCALE: Record<string, number> = { low: 0.5, medium: 1, high: 2, max: 3 };

/** `call_` + 8 of [a-z0-9], like Ollama's toolCallId (here drawn from the seeded generator). */
function toolCallId(rng: Rng): string {
  const letters = "abcdefghijklmnopqrstuvwxyz0123456789";
  let id = "call_";
  for (let i = 0; i < 8; i++) id += letters[rng.int(letters.length)];
  return id;
}

/** Cuts the content at the first stop sequence, like the runner does; undefined when none occurs. */
function cutAtStop(tokens: string[], stop: readonly string[]): string[] | undefined {
  const text = tokens.join("");
  let at = -1;
  for (const s of stop) {
    if (s === "") continue;
    const i = text.indexOf(s);
    if (i >= 0 && (at < 0 || i < at)) at = i;
  }
  if (at < 0) return undefined;
  const out: string[] = [];
  let used = 0;
  for (const token of tokens) {
    if (used + token.length <= at) {
      out.push(token);
      used += token.length;
      continue;
    }
    const part = token.slice(0, at - used);
    if (part !== "") out.push(part);
    break;
  }
  return out;
}

export function buildPlan(input: PlanInput): Plan {
  const rng = new Rng(input.textSeed);
  const d = input.directives;

  let thinking: string[] = [];
  if (input.think !== undefined) {
    const scale = THINK_SCALE[input.think === true ? "medium" : input.think] ?? 1;
    const count = d.thinkTokens ?? Math.round(rng.range(10, 40) * scale);
    thinking = thinkingTokens(rng, count);
  }

  let content: string[] = [];
  let toolCalls: OllamaToolCall[] | undefined;
  let toolCallTokens = 0;
  let doneReason: Plan["doneReason"] = "stop";
  const word = pickWord(rng, input.userText);
  if (input.callTool !== undefined) {
    const fn = input.callTool.function;
    const args = fillSchema(fn.parameters ?? {}, { rng, word, requiredOnly: true }) as Record<
      string,
      unknown
    >;
    toolCalls = [{ id: toolCallId(rng), function: { index: 0, name: fn.name, arguments: args } }];
    toolCallTokens = Math.max(1, Math.ceil(JSON.stringify(toolCalls[0]?.function).length / 4));
  } else if (input.format.kind === "text") {
    const count = d.tokens ?? rng.range(20, 120);
    content = sentenceTokens(rng, count, true);
  } else {
    const value =
      input.format.kind === "json"
        ? { answer: sentenceTokens(rng, rng.range(4, 10), false).join("").trim(), confidence: 0.87 }
        : fillSchema(input.format.schema, { rng, word, requiredOnly: false });
    content = splitTokens(modelJson(value));
  }

  const stopped = cutAtStop(content, input.stop);
  if (stopped !== undefined) content = stopped;

  if (input.numPredict > 0) {
    let budget = input.numPredict;
    if (thinking.length > budget) {
      thinking = thinking.slice(0, budget);
      doneReason = "length";
    }
    budget -= thinking.length;
    if (toolCalls !== undefined && toolCallTokens > budget) {
      toolCalls = undefined;
      toolCallTokens = 0;
      doneReason = "length";
    }
    budget -= toolCallTokens;
    if (content.length > budget) {
      content = content.slice(0, Math.max(0, budget));
      doneReason = "length";
    }
  }

  const pieces = thinking.length + content.length + (toolCalls === undefined ? 0 : 1);
  let failAfter: number | undefined;
  if (d.midstreamFail) failAfter = Math.min(3, Math.max(1, pieces - 1), pieces);
  else if (input.faults.midstream)
    failAfter = Math.min(pieces, 1 + Math.floor(input.faults.position * Math.max(1, pieces - 1)));
  let hangAfter: number | undefined;
  if (d.hang || input.faults.hang) hangAfter = 0;
  else if (d.hangAfter !== undefined) hangAfter = Math.min(d.hangAfter, pieces);

  return {
    promptTokens: Math.max(1, Math.ceil(input.promptChars / 4)),
    thinking,
    content,
    toolCalls,
    toolCallTokens,
    doneReason,
    failStatus: d.failStatus ?? (input.faults.fail ? 500 : undefined),
    failAfter,
    hangAfter,
    delayMs: d.delayMs ?? 0,
  };
}

/** Deterministic token ids for /api/generate's `context`: one per prompt and generated token. */
export function contextTokens(seed: number, count: number): number[] {
  const rng = new Rng(hash32("context", seed));
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) out[i] = rng.int(151_936);
  return out;
}
