// Golden fixtures (test/fixtures/translate/): stream codecs replayed at every kind of chunk boundary, and request mapping.
// Regenerate expected files after an intended change with UPDATE_GOLDEN=1 and review the diff.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { GatewayError, openAIErrorBody } from "../errors/gateway-error.js";
import {
  parseChatCompletionRequest,
  parseCompletionRequest,
  parseEmbeddingRequest,
} from "../openai/index.js";
import {
  type Aggregator,
  createChatAggregator,
  createChatSseTranslator,
  createCompletionAggregator,
  createCompletionSseTranslator,
  type ResponseContext,
  type SseTranslator,
  toOllamaChatRequest,
  toOllamaEmbedRequest,
  toOllamaGenerateRequest,
} from "./index.js";

const DIR = fileURLToPath(new URL("../../test/fixtures/translate/", import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === "1";
const RANDOM_SPLITS = 100;

function read(name: string): string {
  return readFileSync(DIR + name, "utf8");
}

/** Compares with the golden file, or rewrites it in update mode. */
function golden(name: string, actual: string): void {
  if (UPDATE) writeFileSync(DIR + name, actual);
  else expect(actual).toBe(read(name));
}

function goldenJson(name: string, actual: unknown): void {
  golden(name, `${JSON.stringify(actual, null, 2)}\n`);
}

// --- streams: <name>.ndjson in; <name>.sse (SSE translator) and <name>.json (aggregator) out ---------------
// Naming: `completion-*` runs the /v1/completions codecs, anything else the chat codecs; `*-usage*` sets include_usage.

const streams = readdirSync(DIR)
  .filter((f) => f.endsWith(".ndjson"))
  .map((f) => f.slice(0, -".ndjson".length))
  .sort();

function contextFor(name: string): ResponseContext {
  const completion = name.startsWith("completion-");
  return {
    id: completion ? "cmpl-golden" : "chatcmpl-golden",
    created: 1700000000,
    model: "golden-model",
    includeUsage: name.includes("-usage"),
  };
}

function codecsFor(name: string): { sse: SseTranslator; agg: Aggregator<unknown> } {
  const ctx = contextFor(name);
  return name.startsWith("completion-")
    ? { sse: createCompletionSseTranslator(ctx), agg: createCompletionAggregator(ctx) }
    : { sse: createChatSseTranslator(ctx), agg: createChatAggregator(ctx) };
}

/** mulberry32: a tiny seeded PRNG so every "random" split is reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts)].sort((x, y) => x - y);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    parts.push(bytes.subarray(start, p));
    start = p;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

function splits(bytes: Uint8Array): [string, Uint8Array[]][] {
  const out: [string, Uint8Array[]][] = [
    ["whole", [bytes]],
    [
      "one byte at a time",
      splitAt(
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      ),
    ],
  ];
  for (let seed = 1; seed <= RANDOM_SPLITS; seed++) {
    const random = prng(seed);
    const count = 1 + Math.floor(random() * 12);
    const cuts = Array.from({ length: count }, () => Math.floor(random() * bytes.length));
    out.push([`seed ${seed}`, splitAt(bytes, cuts)]);
  }
  return out;
}

function replaySse(name: string, chunks: Uint8Array[]): { text: string; codec: SseTranslator } {
  const { sse } = codecsFor(name);
  let text = "";
  for (const chunk of chunks) {
    const out = sse.push(chunk);
    // Output is always whole frames, so the handler can write it as it comes.
    if (out !== "" && !out.endsWith("\n\n")) throw new Error(`partial frame: ${JSON.stringify(out)}`);
    text += out;
  }
  return { text: text + sse.end(), codec: sse };
}

function replayAggregate(name: string, chunks: Uint8Array[]): { body: unknown; codec: Aggregator<unknown> } {
  const { agg } = codecsFor(name);
  for (const chunk of chunks) agg.push(chunk);
  try {
    return { body: agg.end(), codec: agg };
  } catch (err) {
    if (!(err instanceof GatewayError)) throw err;
    return { body: openAIErrorBody(err), codec: agg };
  }
}

describe.each(streams)("stream %s", (name) => {
  const bytes = new Uint8Array(readFileSync(`${DIR}${name}.ndjson`));

  test("SSE translation matches the golden file at every split", () => {
    const whole = replaySse(name, [bytes]);
    golden(`${name}.sse`, whole.text);
    for (const [label, chunks] of splits(bytes)) {
      expect(replaySse(name, chunks).text, label).toBe(whole.text);
    }
  });

  test("aggregation matches the golden file at every split", () => {
    const whole = replayAggregate(name, [bytes]);
    goldenJson(`${name}.json`, whole.body);
    for (const [label, chunks] of splits(bytes)) {
      expect(replayAggregate(name, chunks).body, label).toEqual(whole.body);
    }
  });

  test("both codecs report the same state", () => {
    const sse = replaySse(name, [bytes]).codec.state;
    const agg = replayAggregate(name, [bytes]).codec.state;
    expect(sse).toEqual(agg);
    expect(sse.done).toBe(sse.error === undefined);
  });
});

// --- requests: <name>.openai.json in; <name>.ollama.json out ---------------------------------------------

const requests = readdirSync(DIR)
  .filter((f) => f.endsWith(".openai.json"))
  .map((f) => f.slice(0, -".openai.json".length))
  .sort();

function translateRequest(name: string, body: unknown): unknown {
  if (name.startsWith("chat-request-")) return toOllamaChatRequest(parseChatCompletionRequest(body));
  if (name.startsWith("completion-request-")) return toOllamaGenerateRequest(parseCompletionRequest(body));
  if (name.startsWith("embed-request-")) return toOllamaEmbedRequest(parseEmbeddingRequest(body));
  throw new Error(`no translator for fixture ${name}`);
}

test.each(requests)("request %s", (name) => {
  const body: unknown = JSON.parse(read(`${name}.openai.json`));
  goldenJson(`${name}.ollama.json`, translateRequest(name, body));
});
