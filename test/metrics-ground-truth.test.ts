// Ground truth: a mixed workload with faults, counted on the client side, must equal what /metrics says, exactly.

import { afterAll, beforeAll, expect, test } from "vitest";
import { Scrape } from "./helpers/scrape.js";
import { type Stack, startStack } from "./helpers/stack.js";

const MODEL = "llama3.2:3b";
const CHAT = "/v1/chat/completions";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    sim: { models: [MODEL, "nomic-embed-text"], decodeTps: 2000, parallel: 16, jitter: 0 },
    gateway: { firstByteTimeoutMs: 1000, idleTimeoutMs: 1000 },
  });
});
afterAll(() => stack.close());

/** What the client saw of one request. */
interface Seen {
  path: string;
  code: number;
  outcome: string;
  /** The response was a stream that started (200 + event stream / NDJSON). */
  streamStarted: boolean;
  /** At least one content chunk reached the client (a stream's TTFT was measured). */
  sawContent: boolean;
  /** Usage reported by the upstream through the response (only when the generation finished). */
  promptTokens: number;
  completionTokens: number;
  generationDone: boolean;
  bytesSent: number;
  upstreamErrorClass?: "timeout" | "status" | "protocol";
}

type Case = () => Promise<Seen>;

function chatBody(content: string, extra: object = {}) {
  return JSON.stringify({ model: MODEL, messages: [{ role: "user", content }], ...extra });
}

async function post(path: string, body: string, signal?: AbortSignal) {
  return fetch(`${stack.gateway.url}${path}`, { method: "POST", body, ...(signal ? { signal } : {}) });
}

/** Reads an SSE body; returns frames' JSON (or "[DONE]"). */
function sseFrames(text: string): unknown[] {
  return text
    .split("\n\n")
    .filter((f) => f.startsWith("data: "))
    .map((f) => (f === "data: [DONE]" ? "[DONE]" : JSON.parse(f.slice(6))));
}

const base = {
  promptTokens: 0,
  completionTokens: 0,
  generationDone: false,
  streamStarted: false,
  sawContent: false,
};

const cases = {
  async chatOk() {
    const body = chatBody(`hello [sim:tokens=${1 + Math.floor(Math.random() * 30)}]`);
    const res = await post(CHAT, body);
    const json = (await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
    return {
      ...base,
      path: CHAT,
      code: res.status,
      outcome: "completed",
      promptTokens: json.usage.prompt_tokens,
      completionTokens: json.usage.completion_tokens,
      generationDone: true,
      bytesSent: body.length,
    };
  },
  async chatStreamOk() {
    const body = chatBody(`story [sim:tokens=${1 + Math.floor(Math.random() * 40)}]`, {
      stream: true,
      stream_options: { include_usage: true },
    });
    const res = await post(CHAT, body);
    const frames = sseFrames(await res.text());
    const usage = (frames.at(-2) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    expect(frames.at(-1)).toBe("[DONE]");
    return {
      ...base,
      path: CHAT,
      code: res.status,
      outcome: "completed",
      streamStarted: true,
      sawContent: true,
      promptTokens: usage.prompt_tokens,
      completionTokens: usage.completion_tokens,
      generationDone: true,
      bytesSent: body.length,
    };
  },
  async nativeStreamOk() {
    const body = JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "hi [sim:tokens=7]" }] });
    const res = await post("/api/chat", body);
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { done: boolean; prompt_eval_count?: number; eval_count?: number });
    const last = lines.at(-1);
    expect(last?.done).toBe(true);
    return {
      ...base,
      path: "/api/chat",
      code: res.status,
      outcome: "completed",
      streamStarted: true,
      sawContent: true,
      promptTokens: last?.prompt_eval_count ?? 0,
      completionTokens: last?.eval_count ?? 0,
      generationDone: true,
      bytesSent: body.length,
    };
  },
  async embeddings() {
    const body = JSON.stringify({ model: "nomic-embed-text", input: ["one two three", "four"] });
    const res = await post("/v1/embeddings", body);
    const json = (await res.json()) as { usage: { prompt_tokens: number } };
    return {
      ...base,
      path: "/v1/embeddings",
      code: res.status,
      outcome: "completed",
      promptTokens: json.usage.prompt_tokens,
      bytesSent: body.length,
    };
  },
  async invalidJson() {
    const res = await post(CHAT, "{oops");
    await res.text();
    return { ...base, path: CHAT, code: res.status, outcome: "rejected", bytesSent: 5 };
  },
  async unknownModel() {
    const body = JSON.stringify({
      model: `ghost-${Math.random()}`,
      messages: [{ role: "user", content: "x" }],
    });
    const res = await post(CHAT, body);
    await res.text();
    return {
      ...base,
      path: CHAT,
      code: res.status,
      outcome: "rejected",
      bytesSent: body.length,
      upstreamErrorClass: "status",
    };
  },
  async upstream500() {
    const body = chatBody("x [sim:fail]");
    const res = await post(CHAT, body);
    await res.text();
    return {
      ...base,
      path: CHAT,
      code: res.status,
      outcome: "upstream_error",
      bytesSent: body.length,
      upstreamErrorClass: "status",
    };
  },
  async upstream503() {
    const body = chatBody("x [sim:fail=503]", { stream: true });
    const res = await post(CHAT, body);
    await res.text();
    return {
      ...base,
      path: CHAT,
      code: res.status,
      outcome: "upstream_error",
      bytesSent: body.length,
      upstreamErrorClass: "status",
    };
  },
  async abortBeforeFirstByte() {
    const body = chatBody("x [sim:delay-ms=3000]", { stream: true });
    const abort = new AbortController();
    const pending = post(CHAT, body, abort.signal).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 60));
    abort.abort();
    await pending;
    return { ...base, path: CHAT, code: 499, outcome: "client_abort", bytesSent: body.length };
  },
  async abortMidStream() {
    const body = chatBody("x [sim:tokens=6000]", { stream: true });
    const abort = new AbortController();
    const res = await post(CHAT, body, abort.signal);
    const reader = res.body!.getReader();
    await reader.read();
    abort.abort();
    await reader.read().catch(() => undefined);
    return {
      ...base,
      path: CHAT,
      code: 200,
      outcome: "client_abort",
      streamStarted: true,
      sawContent: true,
      bytesSent: body.length,
    };
  },
  async midStreamFailure() {
    const body = chatBody("x [sim:midstream-fail]", { stream: true });
    const res = await post(CHAT, body);
    const frames = sseFrames(await res.text());
    expect(frames.at(-1)).toMatchObject({ error: { code: "upstream_stream_error" } });
    return {
      ...base,
      path: CHAT,
      code: res.status,
      outcome: "upstream_error",
      streamStarted: true,
      sawContent: true,
      bytesSent: body.length,
      upstreamErrorClass: "protocol",
    };
  },
  async firstByteTimeout() {
    const body = chatBody("x [sim:hang]");
    const res = await post(CHAT, body);
    await res.text();
    return {
      ...base,
      path: CHAT,
      code: res.status,
      outcome: "timeout",
      bytesSent: body.length,
      upstreamErrorClass: "timeout",
    };
  },
  async idleTimeoutMidStream() {
    const body = chatBody("x [sim:hang-after=3]", { stream: true });
    const res = await post(CHAT, body);
    const frames = sseFrames(await res.text());
    expect(frames.at(-1)).toMatchObject({ error: { code: "upstream_idle_timeout" } });
    return {
      ...base,
      path: CHAT,
      code: res.status,
      outcome: "timeout",
      streamStarted: true,
      sawContent: true,
      bytesSent: body.length,
      upstreamErrorClass: "timeout",
    };
  },
} satisfies Record<string, Case>;

/** How many of each case; shuffled and run 8 at a time. */
const MIX: Record<keyof typeof cases, number> = {
  chatOk: 40,
  chatStreamOk: 40,
  nativeStreamOk: 15,
  embeddings: 10,
  invalidJson: 8,
  unknownModel: 8,
  upstream500: 6,
  upstream503: 6,
  abortBeforeFirstByte: 6,
  abortMidStream: 6,
  midStreamFailure: 8,
  firstByteTimeout: 4,
  idleTimeoutMidStream: 4,
};

test("every counter, histogram count and token total equals what the clients saw", async () => {
  const plan = Object.entries(MIX).flatMap(([name, n]) => Array.from({ length: n }, () => name));
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [plan[i], plan[j]] = [plan[j] as string, plan[i] as string];
  }
  const seen: Seen[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < plan.length) {
        const name = plan[next++] as keyof typeof cases;
        seen.push(await cases[name]());
      }
    }),
  );
  // Aborted requests end on the gateway a moment after the client gave up.
  await expect.poll(() => stack.records.length, { timeout: 20_000 }).toBe(plan.length);
  const m = await Scrape.from(stack.gateway.url);
  const P = "llmgate_";
  const count = (pred: (s: Seen) => boolean) => seen.filter(pred).length;
  const sum = (pred: (s: Seen) => boolean, f: (s: Seen) => number) =>
    seen.filter(pred).reduce((a, s) => a + f(s), 0);

  // The seed's metrics, per code and path.
  const keys = new Set(seen.map((s) => `${s.code} ${s.path}`));
  for (const key of keys) {
    const [code, path] = key.split(" ") as [string, string];
    const n = count((s) => `${s.code} ${s.path}` === key);
    expect(m.sum(`${P}requests_total`, { code, path, method: "POST" }), key).toBe(n);
    expect(m.sum(`${P}request_duration_seconds_count`, { code, path }), key).toBe(n);
    expect(m.sum(`${P}request_duration_seconds_bucket`, { code, path, le: "+Inf" }), key).toBe(n);
    expect(m.sum(`${P}response_size_bytes_count`, { code, path }), key).toBe(n);
  }
  expect(m.sum(`${P}requests_total`)).toBe(plan.length);
  for (const path of new Set(seen.map((s) => s.path))) {
    expect(m.sum(`${P}request_size_bytes_sum`, { path }), path).toBe(
      sum(
        (s) => s.path === path,
        (s) => s.bytesSent,
      ),
    );
  }

  // Outcomes: every request exactly once.
  for (const outcome of ["completed", "rejected", "upstream_error", "client_abort", "timeout"]) {
    expect(m.sum(`${P}request_outcomes_total`, { outcome }), outcome).toBe(
      count((s) => s.outcome === outcome),
    );
  }
  expect(m.sum(`${P}request_outcomes_total`)).toBe(plan.length);
  // Streams that started, by outcome: the failures after HTTP 200 are not successes.
  for (const outcome of ["completed", "client_abort", "upstream_error", "timeout"]) {
    expect(m.sum(`${P}streams_total`, { outcome }), `streams ${outcome}`).toBe(
      count((s) => s.streamStarted && s.outcome === outcome),
    );
  }
  expect(m.sum(`${P}streams_total`, { outcome: "completed" })).toBeGreaterThan(0);
  expect(m.sum(`${P}streams_total`) - m.sum(`${P}streams_total`, { outcome: "completed" })).toBe(
    MIX.abortMidStream + MIX.midStreamFailure + MIX.idleTimeoutMidStream,
  );

  // Tokens, exactly as the upstream reported them to the clients.
  expect(
    m.sum(`${P}prompt_tokens_total`, { model: MODEL }) +
      m.sum(`${P}prompt_tokens_total`, { model: "nomic-embed-text:latest" }),
  ).toBe(
    sum(
      () => true,
      (s) => s.promptTokens,
    ),
  );
  expect(m.sum(`${P}completion_tokens_total`)).toBe(
    sum(
      () => true,
      (s) => s.completionTokens,
    ),
  );
  expect(m.sum(`${P}completion_tokens_total`)).toBeGreaterThan(0);

  // Histogram counts per kind of request.
  expect(m.sum(`${P}time_to_first_token_seconds_count`, { model: MODEL })).toBe(
    count((s) => s.streamStarted && s.sawContent),
  );
  const finished = count((s) => s.generationDone);
  for (const h of [
    "engine_time_to_first_token_seconds",
    "ollama_load_duration_seconds",
    "ollama_prefill_duration_seconds",
    "ollama_decode_duration_seconds",
    "decode_tokens_per_second",
  ]) {
    expect(m.sum(`${P}${h}_count`, { model: MODEL }), h).toBe(finished);
  }
  expect(m.sum(`${P}done_reasons_total`, { model: MODEL, reason: "stop" })).toBe(finished);

  // Upstream failures by class.
  for (const klass of ["timeout", "status", "protocol"] as const) {
    expect(m.sum(`${P}upstream_errors_total`, { class: klass }), klass).toBe(
      count((s) => s.upstreamErrorClass === klass),
    );
  }
  expect(m.sum(`${P}upstream_errors_total`, { class: "connect" })).toBe(0);

  // Nothing is left in flight, and the unknown model names added no series.
  expect(m.sum(`${P}requests_in_flight`)).toBe(0);
  const models = new Set(m.series(`${P}request_outcomes_total`).map((s) => s.labels.model));
  expect([...models].sort()).toEqual(["", MODEL, "nomic-embed-text:latest", "other"]);
});
