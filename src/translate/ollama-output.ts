// Reads Ollama output objects defensively and maps their pieces (tool calls, logprobs, stats, done_reason) to OpenAI's.
import type { OllamaStats } from "../ollama/types.js";
import type { FinishReason, TokenLogprob, ToolCall, Usage } from "../openai/responses.js";
import type { ResponseContext } from "./types.js";
import { str, type UpstreamObject } from "./upstream-reader.js";

/** The parts of one /api/chat object the codecs use; wrong-typed fields read as empty. */
export interface ChatPiece {
  content: string;
  thinking: string;
  toolCalls: unknown[] | undefined;
  logprobs: unknown[] | undefined;
}

export function readChatPiece(obj: UpstreamObject): ChatPiece {
  const message = obj.message;
  const m = typeof message === "object" && message !== null ? (message as Record<string, unknown>) : {};
  return {
    content: str(m.content),
    thinking: str(m.thinking),
    toolCalls: nonEmptyArray(m.tool_calls),
    logprobs: nonEmptyArray(obj.logprobs),
  };
}

function nonEmptyArray(value: unknown): unknown[] | undefined {
  return Array.isArray(value) && value.length > 0 ? value : undefined;
}

/**
 * An Ollama tool call `{id?, function:{name, arguments:{...}}}` as OpenAI's, with `arguments` as compact JSON.
 * `index` is the call's position in the whole response (Ollama numbers every call 0). A call without an id
 * gets `call_<response id>_<index>`: unique, and stable so a client can answer it with tool_call_id.
 */
export function toToolCall(call: unknown, index: number, ctx: ResponseContext): ToolCall {
  const c = typeof call === "object" && call !== null ? (call as Record<string, unknown>) : {};
  const fn =
    typeof c.function === "object" && c.function !== null ? (c.function as Record<string, unknown>) : {};
  const args = fn.arguments;
  return {
    id: str(c.id) || `call_${ctx.id}_${index}`,
    type: "function",
    function: { name: str(fn.name), arguments: typeof args === "string" ? args : JSON.stringify(args ?? {}) },
  };
}

/** Ollama logprobs (copied from llama.cpp) in OpenAI's shape: `bytes` null and `top_logprobs` [] when absent. */
export function toTokenLogprobs(items: readonly unknown[]): TokenLogprob[] {
  return items.map((item) => {
    const it = asRecord(item);
    const top = Array.isArray(it.top_logprobs) ? it.top_logprobs : [];
    return {
      token: str(it.token),
      logprob: num(it.logprob),
      bytes: bytesOf(it.bytes),
      top_logprobs: top.map((t) => {
        const alt = asRecord(t);
        return { token: str(alt.token), logprob: num(alt.logprob), bytes: bytesOf(alt.bytes) };
      }),
    };
  });
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

function bytesOf(value: unknown): number[] | null {
  return Array.isArray(value) ? (value as number[]) : null;
}

/**
 * `length` stays `length` (even with tool calls: a truncated call is not a finished one). Everything else is a
 * normal end: `tool_calls` if the response called tools, else `stop`. That includes a missing done_reason and
 * values OpenAI has no word for (`load`, `unload`), which typed clients would reject; logs keep the raw value.
 */
export function toFinishReason(doneReason: string | undefined, calledTools: boolean): FinishReason {
  if (doneReason === "length") return "length";
  return calledTools ? "tool_calls" : "stop";
}

export function toUsage(stats: OllamaStats | undefined): Usage {
  const prompt = stats?.prompt_eval_count ?? 0;
  const completion = stats?.eval_count ?? 0;
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
}

const PLAIN_PREFIX = '"message":{"role":"assistant","content":"';
const PLAIN_SUFFIX = '"},"done":false}';

/**
 * The text of the common /api/chat token line, `…"message":{"role":"assistant","content":"<text>"},"done":false}`,
 * when it is plain (non-empty, no escapes, no quotes), read without parsing the line; undefined for anything else
 * (thinking, tool calls, logprobs, escapes, the final line), which callers parse as usual. Plain text is its own
 * JSON string body: JSON.stringify of the parsed text would write exactly these bytes.
 */
export function plainContent(line: string): string | undefined {
  if (!line.endsWith(PLAIN_SUFFIX)) return undefined;
  const start = line.indexOf(PLAIN_PREFIX);
  if (start === -1) return undefined;
  const text = line.slice(start + PLAIN_PREFIX.length, line.length - PLAIN_SUFFIX.length);
  if (text === "" || text.includes("\\") || text.includes('"')) return undefined;
  return text;
}
