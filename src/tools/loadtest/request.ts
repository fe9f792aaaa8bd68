// One chat completion request of the load test, timed: latency, time to first token, usage, or the kind of failure.

import { performance } from "node:perf_hooks";
import { type Dispatcher, request } from "undici";
import { describeConnectError } from "../../errors/socket-error.js";
import type { ChatMessages } from "./prompts.js";
import { createSseReader } from "./sse-reader.js";

/**
 * Why a request failed. `http_<status>`: the server answered another status than 200. `stream_error`: after
 * answering 200 the server reported an error (an SSE frame `data: {"error":…}`, or an error body). `truncated`: a stream ended without `data: [DONE]`.
 * `invalid_response`: a body that is not the JSON or SSE of a chat completion. `connect`: no connection.
 * `disconnected`: the connection broke during the response. `timeout`: over --timeout. `aborted`: the user
 * interrupted the run (such requests are left out of the results).
 */
export type ErrorKind =
  | "connect"
  | "disconnected"
  | "timeout"
  | "stream_error"
  | "truncated"
  | "invalid_response"
  | "aborted"
  | `http_${number}`;

export interface Sample {
  /** When the request was sent, ms since the level started. */
  startMs: number;
  /** Sending to the last byte of the response, ms. */
  latencyMs: number;
  /** Sending to the first chunk carrying output (content, reasoning or a tool call), ms; streams only. */
  ttftMs?: number;
  promptTokens?: number;
  completionTokens?: number;
  /** The response had no usage: completionTokens is then the number of chunks carrying output (streams). */
  usageMissing?: boolean;
  error?: ErrorKind;
  /** The server's message for the failure, or the client's, shortened. */
  errorMessage?: string;
}

export interface RequestSpec {
  endpoint: string;
  model: string;
  stream: boolean;
  maxTokens: number;
  apiKey?: string;
  timeoutMs: number;
}

/** Failures to open a connection; anything else that breaks a request is `disconnected`. */
const CONNECT_ERRORS = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
]);

interface Usage {
  prompt_tokens?: unknown;
  completion_tokens?: unknown;
}

interface Delta {
  content?: unknown;
  reasoning?: unknown;
  reasoning_content?: unknown;
  tool_calls?: unknown;
}

/** The request body: usage is asked for in streams (stream_options.include_usage), as the OpenAI API requires. */
export function chatBody(spec: RequestSpec, messages: ChatMessages): string {
  return JSON.stringify({
    model: spec.model,
    messages,
    max_tokens: spec.maxTokens,
    stream: spec.stream,
    ...(spec.stream ? { stream_options: { include_usage: true } } : {}),
  });
}

function hasOutput(delta: Delta | undefined): boolean {
  if (!delta) return false;
  const nonEmpty = (v: unknown) => typeof v === "string" && v !== "";
  return (
    nonEmpty(delta.content) ||
    nonEmpty(delta.reasoning) ||
    nonEmpty(delta.reasoning_content) ||
    (Array.isArray(delta.tool_calls) && delta.tool_calls.length > 0)
  );
}

function shorten(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 197)}...` : oneLine;
}

/** The message of an OpenAI (`{"error":{"message"}}`) or Ollama (`{"error":"…"}`) error body, else the text. */
export function errorMessageOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    const err = parsed.error;
    if (typeof err === "string") return shorten(err);
    if (err && typeof err === "object" && typeof (err as { message?: unknown }).message === "string")
      return shorten((err as { message: string }).message);
  } catch {
    // not JSON
  }
  return shorten(body);
}

function applyUsage(sample: Sample, usage: Usage | undefined | null): boolean {
  if (!usage || typeof usage !== "object") return false;
  if (typeof usage.prompt_tokens === "number") sample.promptTokens = usage.prompt_tokens;
  if (typeof usage.completion_tokens !== "number") return false;
  sample.completionTokens = usage.completion_tokens;
  return true;
}

/**
 * Sends one request and reads the whole response. Never rejects: every failure becomes a Sample with `error`.
 * `signal` is the run's interruption; the per-request timeout is added here.
 */
export async function sendChat(
  spec: RequestSpec,
  messages: ChatMessages,
  options: { dispatcher: Dispatcher; signal: AbortSignal; startMs: number },
): Promise<Sample> {
  const t0 = performance.now();
  const sample: Sample = { startMs: options.startMs, latencyMs: 0 };
  const timeout = AbortSignal.timeout(spec.timeoutMs);
  const signal = AbortSignal.any([options.signal, timeout]);
  const headers: Record<string, string> = { "content-type": "application/json", accept: "*/*" };
  if (spec.apiKey) headers.authorization = `Bearer ${spec.apiKey}`;
  let responded = false;
  const fail = (kind: ErrorKind, message: string): Sample => {
    sample.latencyMs = performance.now() - t0;
    sample.error = kind;
    sample.errorMessage = shorten(message);
    return sample;
  };
  try {
    const res = await request(spec.endpoint, {
      method: "POST",
      headers,
      body: chatBody(spec, messages),
      signal,
      dispatcher: options.dispatcher,
    });
    responded = true;
    if (res.statusCode !== 200) {
      const text = await res.body.text().catch(() => "");
      return fail(`http_${res.statusCode}`, errorMessageOf(text) || `HTTP ${res.statusCode}`);
    }
    if (!spec.stream) {
      const text = await res.body.text();
      sample.latencyMs = performance.now() - t0;
      let parsed: { choices?: unknown; usage?: Usage; error?: unknown };
      try {
        parsed = JSON.parse(text) as typeof parsed;
      } catch {
        return fail("invalid_response", `the body is not JSON: ${text.slice(0, 100)}`);
      }
      if (parsed.error !== undefined) return fail("stream_error", errorMessageOf(text));
      if (!Array.isArray(parsed.choices)) return fail("invalid_response", "the body has no choices");
      if (!applyUsage(sample, parsed.usage)) sample.usageMissing = true;
      return sample;
    }

    const reader = createSseReader();
    let done = false;
    let outputChunks = 0;
    let usage = false;
    let failure: { kind: ErrorKind; message: string } | undefined;
    const onData = (data: string): void => {
      if (data === "[DONE]") {
        done = true;
        return;
      }
      let event: { choices?: { delta?: Delta }[]; usage?: Usage | null; error?: unknown };
      try {
        event = JSON.parse(data) as typeof event;
      } catch {
        failure ??= { kind: "invalid_response", message: `an event is not JSON: ${data.slice(0, 100)}` };
        return;
      }
      if (event.error !== undefined) {
        failure ??= { kind: "stream_error", message: errorMessageOf(data) };
        return;
      }
      if (hasOutput(event.choices?.[0]?.delta)) {
        sample.ttftMs ??= performance.now() - t0;
        outputChunks++;
      }
      if (applyUsage(sample, event.usage)) usage = true;
    };
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      for (const data of reader.push(chunk)) onData(data);
      if (failure !== undefined) break;
    }
    for (const data of reader.end()) onData(data);
    if (!res.body.destroyed) res.body.destroy();
    sample.latencyMs = performance.now() - t0;
    if (failure !== undefined) return fail(failure.kind, failure.message);
    if (!done) return fail("truncated", "the stream ended without data: [DONE]");
    if (!usage) {
      sample.usageMissing = true;
      sample.completionTokens = outputChunks;
    }
    return sample;
  } catch (err) {
    if (options.signal.aborted) return fail("aborted", "interrupted");
    if (timeout.aborted) return fail("timeout", `no complete answer within ${spec.timeoutMs} ms (--timeout)`);
    const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
    const code = e.code ?? e.cause?.code ?? "";
    return fail(
      !responded && CONNECT_ERRORS.has(code) ? "connect" : "disconnected",
      describeConnectError(err),
    );
  }
}
