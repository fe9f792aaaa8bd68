// Helpers for the simulator's tests: a fast simulator, raw HTTP calls, NDJSON parsing, client-side aborts.

import { type ClientRequest, type IncomingMessage, request } from "node:http";
import {
  type RunningSimulator,
  type SimulatorOptions,
  startSimulator,
} from "../../src/tools/simulator/index.js";

/** Fast enough for unit tests, slow enough that ordering is observable. */
export const FAST: Partial<SimulatorOptions> = {
  port: 0,
  decodeTps: 2000,
  prefillTps: 200_000,
  loadMs: 20,
  jitter: 0,
  models: ["qwen3:32b", "llama3.2", "gemma3:4b", "nomic-embed-text", "qwen2.5-coder:7b"],
};

export function startFast(options: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  return startSimulator({ ...FAST, ...options });
}

export interface Reply {
  status: number;
  type: string | null;
  text: string;
  headers: Headers;
}

/** One request; `body` is sent as is when a string, JSON-encoded otherwise. Redirects are not followed. */
export async function call(
  sim: RunningSimulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply> {
  const init: RequestInit = { method, redirect: "manual" };
  if (body !== undefined) init.body = typeof body === "string" ? body : JSON.stringify(body);
  const res = await fetch(sim.url + path, init);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    text: await res.text(),
    headers: res.headers,
  };
}

export const post = (sim: RunningSimulator, path: string, body?: unknown) => call(sim, "POST", path, body);

export function json<T = Record<string, unknown>>(reply: Reply): T {
  return JSON.parse(reply.text) as T;
}

/** Parses NDJSON, insisting that every line (the last included) ends in "\n". */
export function ndjson<T = Record<string, unknown>>(text: string): T[] {
  if (!text.endsWith("\n"))
    throw new Error(`NDJSON must end in a newline: ${JSON.stringify(text.slice(-40))}`);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as T);
}

export interface Chunk {
  model: string;
  created_at: string;
  message?: { role: string; content: string; thinking?: string; tool_calls?: unknown[] };
  response?: string;
  thinking?: string;
  done: boolean;
  done_reason?: string;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
  context?: number[];
  error?: string;
}

/** Polls `check` every 5 ms until it holds; fails after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}

export interface OpenStream {
  req: ClientRequest;
  /** Resolves with the response head (or never, for a request that hangs before output). */
  response: Promise<IncomingMessage>;
  /** Everything received so far. */
  received(): string;
  /** Destroys the socket, as a client that goes away does. */
  abort(): void;
}

/** A POST whose response is read incrementally and which the test can abandon at any time. */
export function openStream(sim: RunningSimulator, path: string, body: unknown): OpenStream {
  let text = "";
  const url = new URL(sim.url + path);
  const req = request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: "POST",
    agent: false,
  });
  const response = new Promise<IncomingMessage>((resolve) => {
    req.on("response", (res) => {
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        text += chunk;
      });
      res.on("error", () => {});
      resolve(res);
    });
  });
  req.on("error", () => {});
  req.end(JSON.stringify(body));
  return { req, response, received: () => text, abort: () => req.destroy() };
}

export const user = (content: string) => [{ role: "user", content }];
