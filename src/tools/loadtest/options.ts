// `llmgate loadtest` options: raw flag values checked once into a typed LoadtestOptions, errors naming the flag.

import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseDurationMs } from "../../config/units.js";

/** How long each concurrency level runs: a number of requests, or new requests until a duration has passed. */
export type LevelBudget = { kind: "requests"; requests: number } | { kind: "duration"; durationMs: number };

export type PromptSpec = { kind: "generated"; tokens: number } | { kind: "file"; path: string };

export interface LoadtestOptions {
  /** The chat completions endpoint, e.g. http://127.0.0.1:18789/v1/chat/completions. */
  endpoint: string;
  model: string;
  concurrency: number[];
  /** Per level; undefined: 4 × the level's concurrency, at least 16 requests. */
  budget?: LevelBudget;
  stream: boolean;
  prompt: PromptSpec;
  maxTokens: number;
  apiKey?: string;
  /** Per request, from sending to the last byte. */
  timeoutMs: number;
  jsonFile?: string;
  htmlFile?: string;
}

/** Flag values as commander hands them over (strings, booleans, or undefined when not given). */
export interface RawLoadtestFlags {
  url?: unknown;
  model?: unknown;
  concurrency?: unknown;
  requests?: unknown;
  duration?: unknown;
  stream?: unknown;
  promptFile?: unknown;
  promptTokens?: unknown;
  maxTokens?: unknown;
  apiKey?: unknown;
  timeout?: unknown;
  json?: unknown;
  html?: unknown;
}

/** A flag value that cannot be used; the CLI prints it and exits 2. */
export class LoadtestUsageError extends Error {
  readonly flag: string;
  constructor(flag: string, message: string) {
    super(`--${flag}: ${message}`);
    this.name = "LoadtestUsageError";
    this.flag = flag;
  }
}

export const DEFAULTS = {
  concurrency: "1,4,16,64",
  promptTokens: 200,
  maxTokens: 128,
  timeout: "10m",
} as const;

const MAX_CONCURRENCY = 10_000;

/** Requests per level when neither --requests nor --duration is given. */
export function defaultRequests(concurrency: number): number {
  return Math.max(16, 4 * concurrency);
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return String(value).trim();
}

function positiveInt(flag: string, value: unknown, max = Number.MAX_SAFE_INTEGER): number {
  const raw = text(value) ?? "";
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(Number.isSafeInteger(n) && n >= 1 && n <= max))
    throw new LoadtestUsageError(
      flag,
      `expected a whole number from 1 to ${max === Number.MAX_SAFE_INTEGER ? "…" : max}, got ${JSON.stringify(raw)}`,
    );
  return n;
}

/** An OpenAI-compatible base URL (…/v1) or the chat completions URL itself. */
export function chatEndpoint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new LoadtestUsageError(
      "url",
      `not a URL: ${JSON.stringify(url)}; expected e.g. http://127.0.0.1:18789/v1`,
    );
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new LoadtestUsageError("url", `expected an http:// or https:// URL, got ${JSON.stringify(url)}`);
  if (parsed.search || parsed.hash)
    throw new LoadtestUsageError(
      "url",
      `expected a base URL without query or fragment, got ${JSON.stringify(url)}`,
    );
  const path = parsed.pathname.replace(/\/+$/, "");
  // A bare host:port is the usual slip: OpenAI-compatible servers (llmgate, Ollama, vLLM) answer under /v1, and
  // finding that out as a wall of 404s after the run started helps nobody.
  if (path === "")
    throw new LoadtestUsageError(
      "url",
      `${url} has no path; the OpenAI API is under /v1: use --url ${parsed.origin}/v1 ` +
        `(or give the full ${parsed.origin}/…/chat/completions URL)`,
    );
  parsed.pathname = path.endsWith("/chat/completions") ? path : `${path}/chat/completions`;
  return parsed.toString();
}

function outputFile(flag: string, value: unknown): string | undefined {
  const path = text(value);
  if (path === undefined) return undefined;
  if (path === "") throw new LoadtestUsageError(flag, "expected a file path");
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new LoadtestUsageError(flag, `the directory ${dir} does not exist`);
  return path;
}

/** Checks every flag; the first problem throws a LoadtestUsageError naming its flag. */
export function parseLoadtestFlags(raw: RawLoadtestFlags, env: NodeJS.ProcessEnv = {}): LoadtestOptions {
  const url = text(raw.url);
  if (!url)
    throw new LoadtestUsageError("url", "required: the endpoint's base URL, e.g. http://127.0.0.1:18789/v1");
  const endpoint = chatEndpoint(url);
  const model = text(raw.model);
  if (!model) throw new LoadtestUsageError("model", "required: the model to ask, e.g. qwen3:32b");

  const levels = (text(raw.concurrency) ?? DEFAULTS.concurrency).split(",").map((part) => part.trim());
  if (levels.some((l) => l === ""))
    throw new LoadtestUsageError(
      "concurrency",
      `expected a comma-separated list such as 1,4,16,64, got ${JSON.stringify(text(raw.concurrency))}`,
    );
  const concurrency = levels.map((l) => positiveInt("concurrency", l, MAX_CONCURRENCY));
  if (new Set(concurrency).size !== concurrency.length)
    throw new LoadtestUsageError("concurrency", `a level is listed twice: ${levels.join(",")}`);

  let budget: LevelBudget | undefined;
  if (raw.requests !== undefined && raw.duration !== undefined)
    throw new LoadtestUsageError("duration", "give either --requests or --duration, not both");
  if (raw.requests !== undefined)
    budget = { kind: "requests", requests: positiveInt("requests", raw.requests) };
  if (raw.duration !== undefined) {
    const durationMs = parseDurationMs(text(raw.duration));
    if (durationMs === undefined || durationMs <= 0)
      throw new LoadtestUsageError(
        "duration",
        `expected a duration such as 30s, 2m or 500ms, got ${JSON.stringify(text(raw.duration))}`,
      );
    budget = { kind: "duration", durationMs };
  }

  let prompt: PromptSpec;
  if (raw.promptFile !== undefined && raw.promptTokens !== undefined)
    throw new LoadtestUsageError("prompt-tokens", "give either --prompt-file or --prompt-tokens, not both");
  if (raw.promptFile !== undefined) {
    const path = text(raw.promptFile) ?? "";
    if (!path || !existsSync(path) || !statSync(path).isFile())
      throw new LoadtestUsageError("prompt-file", `no such file: ${JSON.stringify(path)}`);
    prompt = { kind: "file", path };
  } else {
    prompt = {
      kind: "generated",
      tokens:
        raw.promptTokens === undefined
          ? DEFAULTS.promptTokens
          : positiveInt("prompt-tokens", raw.promptTokens, 1_000_000),
    };
  }

  const maxTokens =
    raw.maxTokens === undefined ? DEFAULTS.maxTokens : positiveInt("max-tokens", raw.maxTokens, 1_000_000);
  const timeoutText = text(raw.timeout) ?? DEFAULTS.timeout;
  const timeoutMs = parseDurationMs(timeoutText);
  if (timeoutMs === undefined || timeoutMs <= 0)
    throw new LoadtestUsageError(
      "timeout",
      `expected a duration such as 30s or 10m, got ${JSON.stringify(timeoutText)}`,
    );
  if (raw.stream !== undefined && typeof raw.stream !== "boolean")
    throw new LoadtestUsageError("stream", "takes no value; use --stream or --no-stream");

  const apiKey = text(raw.apiKey) || text(env.OPENAI_API_KEY) || undefined;
  const options: LoadtestOptions = {
    endpoint,
    model,
    concurrency,
    stream: raw.stream !== false,
    prompt,
    maxTokens,
    timeoutMs,
  };
  if (budget) options.budget = budget;
  if (apiKey) options.apiKey = apiKey;
  const jsonFile = outputFile("json", raw.json);
  if (jsonFile) options.jsonFile = jsonFile;
  const htmlFile = outputFile("html", raw.html);
  if (htmlFile) options.htmlFile = htmlFile;
  return options;
}
