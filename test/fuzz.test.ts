// Bad input, property-based (fast-check): bodies, raw bytes, headers, paths and methods, and HTTP framing, sent
// through real sockets. The gateway answers a 4xx in the route's API format (or passes Ollama's own answer on),
// never a 5xx caused by the input, never an internal error, and it keeps serving.

import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type ApiKey, parseApiKey } from "../src/auth/api-keys.js";
import { defaultServeConfig } from "../src/config/serve-config.js";
import type { RequestRecord } from "../src/events/request-events.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/log/logger.js";
import { Scrape } from "./helpers/scrape.js";
import { type Stack, startStack } from "./helpers/stack.js";

/** Runs per property (the time cap below usually ends it first); FUZZ_RUNS and FUZZ_SEED explore further. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const SEED = process.env.FUZZ_SEED === undefined ? 20_240_611 : Number(process.env.FUZZ_SEED);
const TIME_LIMIT_MS = Number(process.env.FUZZ_TIME_MS ?? 7000);
const BODY_LIMIT = 256 * 1024;
const SECRET = "fuzz-secret-0123456789";
const P = "llmgate_";

let stack: Stack;
/** A second gateway on the same simulator with API keys and CORS configured, for the header properties. */
let keyed: RunningGateway;
const keyedRecords: RequestRecord[] = [];
const agent = new HttpAgent({ keepAlive: true, maxSockets: 4 });
const tried: Record<string, number> = {};

beforeAll(async () => {
  stack = await startStack({
    sim: {
      models: ["qwen3:32b", "nomic-embed-text"],
      decodeTps: 50_000,
      prefillTps: 10_000_000,
      parallel: 8,
    },
    gateway: { bodyLimitBytes: BODY_LIMIT },
  });
  keyed = await startGateway(
    defaultServeConfig({
      listen: { host: "127.0.0.1", port: 0 },
      upstream: stack.simulator.url,
      logLevel: "silent",
      bodyLimitBytes: BODY_LIMIT,
      apiKeys: [parseApiKey(`fuzz=${SECRET}`) as ApiKey],
      corsOrigins: ["https://chat.example.com"],
    }),
    { logger: createLogger("silent"), listeners: [(r) => keyedRecords.push(r)] },
  );
});

afterAll(async () => {
  const total = Object.values(tried).reduce((a, b) => a + b, 0);
  console.log(`fuzz: ${total} cases tried (seed ${SEED}): ${JSON.stringify(tried)}`);
  agent.destroy();
  await keyed?.stop(1000);
  await stack?.close();
});

// ---------------------------------------------------------------------------------------------------------------
// Sending and judging one request

interface Sent {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** The keyed gateway instead of the open one. */
  keyed?: boolean;
}

interface Got {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(base: string, r: Sent, timeoutMs = 10_000): Promise<Got> {
  const { hostname, port } = new URL(base);
  // Always framed: node sends a GET's body unframed otherwise, and the server would read it as a second request.
  const headers = {
    ...r.headers,
    ...(r.body === undefined ? {} : { "content-length": String(Buffer.byteLength(r.body)) }),
  };
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: hostname, port: Number(port), method: r.method, path: r.path, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          clearTimeout(timer);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          });
        });
        res.on("error", reject);
      },
    );
    const timer = setTimeout(
      () => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    req.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    req.end(r.body);
  });
}

/** Which API's error shape the gateway speaks on a path (see src/http/router.ts). */
function formatOf(path: string): "openai" | "ollama" | "metrics" {
  const pathname = path.split("?", 1)[0] as string;
  if (pathname === "/metrics") return "metrics";
  return pathname === "/" || pathname.startsWith("/api/") ? "ollama" : "openai";
}

function isOpenAIError(body: string): boolean {
  try {
    const e = (JSON.parse(body) as { error?: Record<string, unknown> }).error;
    return (
      typeof e === "object" &&
      e !== null &&
      typeof e.message === "string" &&
      e.message.length > 0 &&
      typeof e.type === "string" &&
      typeof e.code === "string" &&
      (e.param === null || typeof e.param === "string")
    );
  } catch {
    return false;
  }
}

function isOllamaError(body: string): boolean {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === "string" && parsed.error.length > 0;
  } catch {
    return false;
  }
}

/**
 * The property every answer must have. A 5xx or an error body outside the gateway's shapes is acceptable only
 * on the native routes, and only when it is exactly what the simulator itself answers to the same request.
 */
async function judge(r: Sent, got: Got): Promise<void> {
  const format = formatOf(r.path);
  const where = `${r.method} ${r.path.slice(0, 120)} → ${got.status} ${got.body.slice(0, 200)}`;
  if (format !== "metrics" && typeof got.headers["x-request-id"] !== "string")
    throw new Error(`no x-request-id: ${where}`);
  if (String(got.headers["content-type"]).startsWith("text/event-stream")) {
    // A stream that started must also end well: no directive asked for a failure, so no error frame.
    const frames = got.body.split("\n\n").filter((f) => f.startsWith("data: "));
    if (frames.at(-1) !== "data: [DONE]")
      throw new Error(`stream did not end with [DONE]: ${where} … ${frames.at(-1)}`);
  }
  if (got.status < 400) return;
  if (format === "openai" && !String(got.headers["content-type"]).startsWith("application/json"))
    throw new Error(`error without a JSON content type: ${where}`);
  // /metrics speaks Prometheus' plain text, errors included (405 for a wrong method).
  const shaped =
    r.method === "HEAD" ||
    (format === "metrics"
      ? got.body.length > 0
      : format === "ollama"
        ? isOllamaError(got.body)
        : isOpenAIError(got.body));
  if (got.status < 500 && shaped) return;
  if (format === "ollama") {
    // Passed through from the upstream: the simulator must say the same thing on its own.
    const direct = await send(stack.simulator.url, { ...r, headers: withoutAuth(r.headers) });
    if (direct.status === got.status && direct.body === got.body) return;
    throw new Error(`${where}; the simulator alone answers ${direct.status} ${direct.body.slice(0, 200)}`);
  }
  throw new Error(
    got.status >= 500 ? `5xx caused by input: ${where}` : `error body not in OpenAI's shape: ${where}`,
  );
}

function withoutAuth(headers: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (!["authorization", "x-api-key", "x-request-id"].includes(k.toLowerCase())) out[k] = v;
  return out;
}

async function alive(): Promise<void> {
  for (const base of [stack.gateway.url, keyed.url]) {
    const res = await send(base, { method: "GET", path: "/healthz" });
    if (res.status !== 200) throw new Error(`/healthz answered ${res.status} on ${base}`);
  }
}

/** One case: send, judge, and check the gateway still serves. */
async function exercise(r: Sent): Promise<void> {
  const got = await send(r.keyed ? keyed.url : stack.gateway.url, r);
  await judge(r, got);
  await alive();
}

async function runProperty<T>(
  name: string,
  arb: fc.Arbitrary<T>,
  fn: (v: T) => Promise<void>,
): Promise<void> {
  const counted = async (v: T) => {
    tried[name] = (tried[name] ?? 0) + 1;
    await fn(v);
  };
  const details = await fc.check(fc.asyncProperty(arb, counted), {
    numRuns: RUNS,
    seed: SEED,
    interruptAfterTimeLimit: TIME_LIMIT_MS,
    endOnFailure: true,
  });
  if (details.failed)
    throw new Error(
      `${name}: ${String(details.errorInstance)}\n${fc.defaultReportMessage(details) ?? "property failed"}`,
    );
  expect(details.numRuns).toBeGreaterThan(50);
}

/** No `[sim:…]` directive may reach the simulator: every failure must come from the input itself. */
function clean(text: string): boolean {
  return !text.includes("[sim:");
}

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

const CHAT_BASES: Record<string, unknown>[] = [
  {
    model: "qwen3:32b",
    messages: [
      { role: "system", content: "be brief" },
      { role: "user", content: "hello" },
    ],
    max_tokens: 16,
    temperature: 0.5,
    stop: ["\n\n"],
    user: "u-1",
  },
  {
    model: "qwen3:32b",
    stream: true,
    stream_options: { include_usage: true },
    messages: [
      { role: "user", content: [{ type: "text", text: "what is the weather?" }] },
      {
        role: "assistant",
        content: null,
        tool_calls: [
          { id: "c1", type: "function", function: { name: "weather", arguments: '{"city":"Paris"}' } },
        ],
      },
      { role: "tool", tool_call_id: "c1", content: "sunny" },
    ],
    tools: [
      {
        type: "function",
        function: {
          name: "weather",
          description: "the weather",
          parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
        },
      },
    ],
    tool_choice: "auto",
    response_format: { type: "json_object" },
    seed: 7,
  },
  {
    model: "qwen3:32b",
    messages: [
      {
        role: "user",
        content: [
          { type: "text", text: "describe" },
          { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" } },
        ],
      },
    ],
    response_format: {
      type: "json_schema",
      json_schema: {
        name: "out",
        strict: true,
        schema: { type: "object", properties: { a: { type: "string" } } },
      },
    },
    max_completion_tokens: 32,
    reasoning_effort: "low",
    frequency_penalty: 0.1,
    logprobs: true,
    top_logprobs: 2,
  },
];

const BASES: { path: string; body: Record<string, unknown> }[] = [
  ...CHAT_BASES.map((body) => ({ path: "/v1/chat/completions", body })),
  {
    path: "/v1/completions",
    body: { model: "qwen3:32b", prompt: "Once upon a time", max_tokens: 8, stream: true },
  },
  { path: "/v1/completions", body: { model: "qwen3:32b", prompt: ["a", "b"], suffix: "end", top_p: 0.9 } },
  {
    path: "/v1/embeddings",
    body: { model: "nomic-embed-text", input: ["one", "two"], encoding_format: "float" },
  },
  { path: "/v1/embeddings", body: { model: "nomic-embed-text", input: "one", encoding_format: "base64" } },
  {
    path: "/api/chat",
    body: {
      model: "qwen3:32b",
      messages: [{ role: "user", content: "hi" }],
      stream: false,
      options: { num_predict: 8 },
    },
  },
  {
    path: "/api/generate",
    body: { model: "qwen3:32b", prompt: "hi", options: { num_predict: 8, temperature: 0 } },
  },
  { path: "/api/embed", body: { model: "nomic-embed-text", input: ["x", "y"] } },
  { path: "/api/show", body: { model: "qwen3:32b" } },
];

const POST_ROUTES = [...new Set(BASES.map((b) => b.path)), "/api/embeddings"];

/** Values that break assumptions: edge numbers, odd unicode, deep nesting, long strings and arrays. */
const weird: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom<unknown>(
    0,
    -1,
    -0,
    1.5,
    1e308,
    -1e308,
    5e-324,
    2 ** 31,
    2 ** 32 + 1,
    2 ** 53 + 2,
    -(2 ** 63),
    "",
    " ",
    "\u0000",
    "\uffff",
    "\ud800",
    "\u202e\u0301",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🧪",
    "null",
    "true",
    "data:image/png;base64,AAAA",
    "https://example.com/x.png",
    [],
    {},
    [null],
    null,
    true,
    false,
  ),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.integer({ min: 1, max: 150 }).map((depth) => {
    let v: unknown = "deep";
    for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v] : { k: v };
    return v;
  }),
  fc.integer({ min: 1000, max: 300_000 }).map((n) => "x".repeat(n)),
  fc
    .integer({ min: 10, max: 3000 })
    .map((n) => Array.from({ length: n }, (_, i) => ({ role: "user", content: `m${i}` }))),
);

type Path = (string | number)[];

/** Every path into a JSON value, the root included. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...pathsOf(v, [...prefix, i]));
  } else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

type Mutation =
  | { kind: "set"; pick: number; value: unknown }
  | { kind: "delete"; pick: number }
  | { kind: "add"; pick: number; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), pick: fc.nat(), value: weird }),
  fc.record({ kind: fc.constant("delete" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("add" as const),
    pick: fc.nat(),
    key: fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        "__proto__",
        "constructor",
        "prototype",
        "stream",
        "model",
        "format",
        "options",
        "keep_alive",
      ),
    ),
    value: weird,
  }),
);

function applyMutation(root: unknown, m: Mutation): unknown {
  const paths = pathsOf(root);
  const path = paths[m.pick % paths.length] as Path;
  if (path.length === 0) {
    if (m.kind === "set") return m.value;
    if (m.kind === "delete") return undefined;
  }
  const parentPath = m.kind === "add" ? path : path.slice(0, -1);
  let parent: unknown = root;
  for (const p of parentPath) parent = (parent as Record<string | number, unknown>)[p];
  if (parent === null || typeof parent !== "object") return root;
  const container = parent as Record<string | number, unknown>;
  if (m.kind === "add") {
    if (Array.isArray(container)) container.push(m.value);
    else
      Object.defineProperty(container, m.key, {
        value: m.value,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return root;
  }
  const key = path.at(-1) as string | number;
  if (m.kind === "set") container[key] = m.value;
  else if (Array.isArray(container)) container.splice(key as number, 1);
  else delete container[key];
  return root;
}

const mutatedBody = fc
  .record({ base: fc.constantFrom(...BASES), mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }) })
  .map(({ base, mutations }) => {
    let body: unknown = structuredClone(base.body);
    for (const m of mutations) body = applyMutation(body, m);
    return { path: base.path, text: body === undefined ? "" : JSON.stringify(body) };
  })
  .filter((c) => clean(c.text));

/** Text-level damage to a valid body: truncation, a byte changed, odd number literals, BOMs, trailing junk. */
const damagedText = fc
  .record({
    base: fc.constantFrom(...BASES),
    kind: fc.constantFrom("truncate", "replace", "insert", "number", "bom", "trailing", "dup-key", "utf16"),
    at: fc.nat(),
    char: fc.string({ unit: "binary", minLength: 1, maxLength: 3 }),
    number: fc.constantFrom(
      "1e999",
      "-1e999",
      "1e-999",
      "123456789012345678901234567890",
      "-0",
      "0e0",
      "1E+2",
      "0x10",
      "NaN",
      "Infinity",
      "01",
      "1.",
    ),
  })
  .map(({ base, kind, at, char, number }) => {
    const text = JSON.stringify(base.body);
    const i = at % (text.length + 1);
    let out: string | Buffer;
    switch (kind) {
      case "truncate":
        out = text.slice(0, i);
        break;
      case "replace":
        out = text.slice(0, i) + char + text.slice(i + 1);
        break;
      case "insert":
        out = text.slice(0, i) + char + text.slice(i);
        break;
      case "number":
        out = text.replace(/-?\d+(\.\d+)?/, number);
        break;
      case "bom":
        out = `\ufeff${text}`;
        break;
      case "trailing":
        out = `${text}${char}`;
        break;
      case "dup-key":
        out = `{"model":1,${text.slice(1)}`;
        break;
      default:
        out = Buffer.from(text, "utf16le");
    }
    return { path: base.path, body: out };
  })
  .filter((c) => clean(c.body.toString()));

const contentType = fc.oneof(
  fc.constantFrom(
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=utf-16",
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=----x",
    "application/x-ndjson",
    "",
    "*/*",
  ),
  headerValue(40),
);

/** Header values node lets a client send: tab, visible ASCII and latin-1 (no CR, LF or NUL). */
function headerValue(maxLength: number): fc.Arbitrary<string> {
  return fc
    .array(
      fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }), fc.constant(9)),
      {
        maxLength,
      },
    )
    .map((codes) => String.fromCharCode(...codes).trim());
}

const TOKEN_CHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const headerName = fc.oneof(
  fc.constantFrom(
    "content-type",
    "x-request-id",
    "authorization",
    "x-api-key",
    "accept",
    "accept-encoding",
    "accept-language",
    "origin",
    "access-control-request-method",
    "access-control-request-headers",
    "cookie",
    "range",
    "if-none-match",
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-host",
    "x-forwarded-proto",
    "user-agent",
    "referer",
    "openai-organization",
    "openai-beta",
    "x-stainless-retry-count",
    "cache-control",
    "pragma",
    "via",
    "te",
  ),
  fc.string({ unit: fc.constantFrom(...TOKEN_CHARS), minLength: 1, maxLength: 30 }),
);

const authorization = fc.oneof(
  fc.constantFrom(
    `Bearer ${SECRET}`,
    `bearer ${SECRET}`,
    `Bearer  ${SECRET}`,
    `Bearer ${SECRET} `,
    `Bearer ${SECRET}x`,
    `Basic ${Buffer.from(`u:${SECRET}`).toString("base64")}`,
    "Bearer",
    "Bearer ",
    "",
    `Bearer ${"A".repeat(8000)}`,
    "Bearer sk-proj-abc",
  ),
  headerValue(200).map((v) => `Bearer ${v}`),
  headerValue(200),
);

const requestId = fc.oneof(
  headerValue(300),
  fc.constantFrom(
    "",
    "-",
    "a".repeat(128),
    "a".repeat(129),
    "../../etc/passwd",
    "<script>",
    "id with spaces",
    "ok-id_1.2:3@4/5+6=7",
  ),
);

const headerSet = fc.record({
  route: fc.constantFrom(...BASES),
  keyed: fc.boolean(),
  contentType: fc.option(contentType, { nil: undefined }),
  authorization: fc.option(authorization, { nil: undefined }),
  apiKey: fc.option(fc.oneof(fc.constant(SECRET), headerValue(80)), { nil: undefined }),
  requestId: fc.option(requestId, { nil: undefined }),
  origin: fc.option(
    fc.oneof(fc.constantFrom("https://chat.example.com", "null", "https://evil.example"), headerValue(60)),
    {
      nil: undefined,
    },
  ),
  extra: fc.array(fc.tuple(headerName, headerValue(120)), { maxLength: 6 }),
  method: fc.constantFrom("POST", "POST", "POST", "OPTIONS", "GET", "PUT"),
});

const SEGMENTS = [
  "v1",
  "api",
  "chat",
  "completions",
  "embeddings",
  "embed",
  "models",
  "generate",
  "tags",
  "show",
  "ps",
  "version",
  "pull",
  "delete",
  "blobs",
  "healthz",
  "readyz",
  "metrics",
  "_sim",
  "stats",
  "qwen3:32b",
  "hf.co",
  "..",
  ".",
  "",
  "%2e%2e",
  "%2F",
  "%2f..%2f",
  "%00",
  "%",
  "%zz",
  "%C0%AE",
  "%FF",
  "~",
  "@evil.example",
  "evil.example:80",
  "?",
  "#",
  ";",
  "*",
];

const pathArb = fc
  .record({
    segments: fc.array(
      fc.oneof(
        fc.constantFrom(...SEGMENTS),
        fc.string({ unit: fc.constantFrom(..."abcXYZ019-._~!$&'()*+,;=:@%"), maxLength: 12 }),
        fc
          .uint8Array({ maxLength: 6 })
          .map((b) => [...b].map((x) => `%${x.toString(16).padStart(2, "0")}`).join("")),
        fc.string({ unit: "grapheme", maxLength: 6 }).map((s) => encodeURIComponent(s)),
      ),
      { maxLength: 8 },
    ),
    leading: fc.constantFrom("/", "/", "/", "//", "/v1/", "/api/", "/v1/models/", "/api/v1/"),
    query: fc.option(fc.string({ unit: fc.constantFrom(..."ab=&%20?/#"), maxLength: 20 }), {
      nil: undefined,
    }),
    repeat: fc.constantFrom(1, 1, 1, 1, 50, 400),
  })
  .map(({ segments, leading, query, repeat }) => {
    const tail = segments.join("/");
    const long = repeat > 1 ? Array.from({ length: repeat }, () => tail || "x").join("/") : tail;
    return `${leading}${long}`.slice(0, 12_000) + (query === undefined ? "" : `?${query}`);
  });

const METHODS = [
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "OPTIONS",
  "TRACE",
  "PROPFIND",
  "MKCOL",
  "COPY",
  "MOVE",
  "LOCK",
  "UNLOCK",
  "SEARCH",
  "PURGE",
  "REPORT",
  "QUERY",
];

// ---------------------------------------------------------------------------------------------------------------
// Properties

describe("bad input never yields a 5xx, a foreign error shape or a crash", () => {
  test("arbitrary JSON values as bodies", async () => {
    await runProperty(
      "json-values",
      fc
        .record({ route: fc.constantFrom(...POST_ROUTES), value: fc.jsonValue({ maxDepth: 6 }) })
        .filter((c) => clean(JSON.stringify(c.value))),
      ({ route, value }) =>
        exercise({
          method: "POST",
          path: route,
          headers: { "content-type": "application/json" },
          body: JSON.stringify(value),
        }),
    );
  });

  test("valid bodies with fields mutated, removed or added (wrong types, edge numbers, unicode, nesting)", async () => {
    await runProperty("mutated-bodies", mutatedBody, ({ path, text }) =>
      exercise({
        method: "POST",
        path,
        headers: { "content-type": "application/json" },
        body: text,
      }),
    );
  });

  test("damaged JSON text and arbitrary bytes", async () => {
    const raw = fc.oneof(
      damagedText,
      fc.record({
        path: fc.constantFrom(...POST_ROUTES),
        body: fc.oneof(
          fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
          fc.string({ unit: "binary", maxLength: 500 }),
        ),
      }),
    );
    await runProperty(
      "raw-bodies",
      fc.tuple(raw, contentType).filter(([c]) => clean(c.body.toString())),
      ([{ path, body }, type]) =>
        exercise({
          method: "POST",
          path,
          headers: type === "" ? {} : { "content-type": type },
          body,
        }),
    );
  });

  test("junk headers: content types, request ids, credentials, origins, unknown headers (open and keyed gateway)", async () => {
    await runProperty("headers", headerSet, (h) => {
      const headers: Record<string, string> = {};
      for (const [name, value] of h.extra) headers[name] = value;
      if (h.contentType !== undefined) headers["content-type"] = h.contentType;
      if (h.authorization !== undefined) headers.authorization = h.authorization;
      if (h.apiKey !== undefined) headers["x-api-key"] = h.apiKey;
      if (h.requestId !== undefined) headers["x-request-id"] = h.requestId;
      if (h.origin !== undefined) headers.origin = h.origin;
      return exercise({
        method: h.method,
        path: h.route.path,
        headers,
        body: JSON.stringify(h.route.body),
        keyed: h.keyed,
      });
    });
  });

  test("paths and methods: random segments, percent-encoding, dot segments, double slashes, very long", async () => {
    await runProperty(
      "paths",
      fc.record({
        method: fc.constantFrom(...METHODS),
        path: pathArb,
        body: fc.option(
          fc.constantFrom(...BASES).map((b) => JSON.stringify(b.body)),
          { nil: undefined },
        ),
      }),
      ({ method, path, body }) =>
        exercise({
          method,
          path,
          ...(body === undefined || method === "GET" || method === "HEAD"
            ? {}
            : { body, headers: { "content-type": "application/json" } }),
        }),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// HTTP framing the node client will not produce: written byte by byte on a raw socket.

interface RawAnswer {
  /** The first response on the connection, or undefined when the gateway closed it without one. */
  status?: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends raw bytes, optionally half-closes, and parses the first response (content-length or chunked). */
function sendRaw(bytes: Buffer, halfClose: boolean, timeoutMs = 10_000): Promise<RawAnswer> {
  const { port } = new URL(stack.gateway.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const done = (answer: RawAnswer) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const tryParse = (final: boolean) => {
      const text = data.toString("latin1");
      const end = text.indexOf("\r\n\r\n");
      if (end === -1) {
        if (final) done({ headers: {}, body: text });
        return;
      }
      const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? "")?.[1]);
      if (status >= 100 && status < 200) {
        // An interim answer (100 Continue): the real one follows.
        data = data.subarray(Buffer.byteLength(text.slice(0, end + 4), "latin1"));
        tryParse(final);
        return;
      }
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(":");
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const rest = data.subarray(Buffer.byteLength(text.slice(0, end + 4), "latin1"));
      if (headers["content-length"] !== undefined) {
        const length = Number(headers["content-length"]);
        if (rest.length >= length) done({ status, headers, body: rest.subarray(0, length).toString() });
        else if (final) done({ status, headers, body: rest.toString() });
      } else if (headers["transfer-encoding"] === "chunked") {
        const decoded = dechunk(rest);
        if (decoded !== undefined) done({ status, headers, body: decoded });
        else if (final) done({ status, headers, body: rest.toString() });
      } else if (final) done({ status, headers, body: rest.toString() });
    };
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      tryParse(false);
    });
    socket.on("end", () => tryParse(true));
    socket.on("error", () => tryParse(true));
    socket.on("close", () => tryParse(true));
    socket.write(bytes, () => {
      if (halfClose) socket.end();
    });
  });
}

/** The body of a complete chunked message, or undefined while incomplete. */
function dechunk(buf: Buffer): string | undefined {
  const parts: Buffer[] = [];
  let i = 0;
  for (;;) {
    const nl = buf.indexOf("\r\n", i);
    if (nl === -1) return undefined;
    const size = Number.parseInt(buf.subarray(i, nl).toString("latin1"), 16);
    if (!Number.isFinite(size)) return undefined;
    if (size === 0) return Buffer.concat(parts).toString();
    if (buf.length < nl + 2 + size + 2) return undefined;
    parts.push(buf.subarray(nl + 2, nl + 2 + size));
    i = nl + 2 + size + 2;
  }
}

const framing = fc.record({
  base: fc.constantFrom(...BASES),
  kind: fc.constantFrom(
    "length-short",
    "length-long-then-close",
    "length-junk",
    "length-twice",
    "length-and-chunked",
    "chunked-bad-size",
    "chunked-ok",
    "absolute-form",
    "no-host",
    "http10",
    "expect",
    "upgrade",
  ),
  delta: fc.integer({ min: 1, max: 200 }),
  junk: fc.constantFrom("-1", "abc", "1e3", "+5", "0x10", " 5", "99999999999999999999", ""),
});

test("HTTP framing: content-length mismatches, conflicting lengths, chunked oddities, absolute-form targets", async () => {
  const refusedByHttp: Record<string, number> = {};
  await runProperty("framing", framing, async ({ base, kind, delta, junk }) => {
    const body = Buffer.from(JSON.stringify(base.body));
    const head = (lines: string[]) => Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
    const common = ["host: 127.0.0.1", "content-type: application/json", "connection: close"];
    let bytes: Buffer;
    let halfClose = false;
    let path = base.path;
    switch (kind) {
      case "length-short":
        bytes = Buffer.concat([
          head([`POST ${path} HTTP/1.1`, ...common, `content-length: ${Math.max(0, body.length - delta)}`]),
          body,
        ]);
        break;
      case "length-long-then-close":
        bytes = Buffer.concat([
          head([`POST ${path} HTTP/1.1`, ...common, `content-length: ${body.length + delta}`]),
          body,
        ]);
        halfClose = true;
        break;
      case "length-junk":
        bytes = Buffer.concat([head([`POST ${path} HTTP/1.1`, ...common, `content-length: ${junk}`]), body]);
        halfClose = true;
        break;
      case "length-twice":
        bytes = Buffer.concat([
          head([
            `POST ${path} HTTP/1.1`,
            ...common,
            `content-length: ${body.length}`,
            `content-length: ${body.length + delta}`,
          ]),
          body,
        ]);
        halfClose = true;
        break;
      case "length-and-chunked":
        bytes = Buffer.concat([
          head([
            `POST ${path} HTTP/1.1`,
            ...common,
            `content-length: ${body.length}`,
            "transfer-encoding: chunked",
          ]),
          Buffer.from(`${body.length.toString(16)}\r\n`),
          body,
          Buffer.from("\r\n0\r\n\r\n"),
        ]);
        halfClose = true;
        break;
      case "chunked-bad-size":
        bytes = Buffer.concat([
          head([`POST ${path} HTTP/1.1`, ...common, "transfer-encoding: chunked"]),
          Buffer.from(`${junk || "zz"}\r\n`),
          body,
          Buffer.from("\r\n0\r\n\r\n"),
        ]);
        halfClose = true;
        break;
      case "chunked-ok": {
        // Valid chunked framing split at an arbitrary point.
        const cut = delta % body.length;
        const chunks = [body.subarray(0, cut), body.subarray(cut)].filter((c) => c.length > 0);
        bytes = Buffer.concat([
          head([`POST ${path} HTTP/1.1`, ...common, "transfer-encoding: chunked"]),
          ...chunks.map((c) =>
            Buffer.concat([Buffer.from(`${c.length.toString(16)}\r\n`), c, Buffer.from("\r\n")]),
          ),
          Buffer.from("0\r\n\r\n"),
        ]);
        break;
      }
      case "absolute-form":
        // The request target names another host: the gateway must not go there (and does not route it).
        path = `http://evil.example:11434${base.path}`;
        bytes = Buffer.concat([
          head([`POST ${path} HTTP/1.1`, ...common, `content-length: ${body.length}`]),
          body,
        ]);
        break;
      case "no-host":
        bytes = Buffer.concat([
          head([
            `POST ${path} HTTP/1.1`,
            "content-type: application/json",
            "connection: close",
            `content-length: ${body.length}`,
          ]),
          body,
        ]);
        break;
      case "http10":
        bytes = Buffer.concat([
          head([`POST ${path} HTTP/1.0`, "content-type: application/json", `content-length: ${body.length}`]),
          body,
        ]);
        break;
      case "expect":
        bytes = Buffer.concat([
          head([
            `POST ${path} HTTP/1.1`,
            ...common,
            `content-length: ${body.length}`,
            `expect: ${junk || "100-continue"}`,
          ]),
          body,
        ]);
        break;
      default:
        bytes = Buffer.concat([
          head([
            `POST ${path} HTTP/1.1`,
            "host: 127.0.0.1",
            "content-type: application/json",
            "connection: upgrade",
            "upgrade: websocket",
            `content-length: ${body.length}`,
          ]),
          body,
        ]);
    }
    const answer = await sendRaw(bytes, halfClose);
    const where = `${kind} ${path} → ${answer.status} ${JSON.stringify(answer.headers)} ${answer.body.slice(0, 200)}`;
    if (answer.status === undefined) {
      // Only a client that hung up halfway through its body may be left without an answer.
      if (!halfClose) throw new Error(`no response: ${where}`);
    } else if (answer.status >= 500) {
      throw new Error(`5xx: ${where}`);
    } else if (
      answer.body === "" &&
      answer.headers["x-request-id"] === undefined &&
      [400, 417].includes(answer.status)
    ) {
      // Node's HTTP layer answered before any route ran: 400 for a parse error (the gateway's clientError answer)
      // or an HTTP/1.1 request without Host; 417 for an unknown Expect (see the known-bug test below).
      refusedByHttp[`${kind} ${answer.status}`] = (refusedByHttp[`${kind} ${answer.status}`] ?? 0) + 1;
    } else if (answer.status >= 400) {
      await judge(
        { method: "POST", path },
        { status: answer.status, headers: answer.headers, body: answer.body },
      );
    }
    await alive();
  });
  console.log(
    `framing: answered by node's HTTP layer before any route ran (bare 400 or 417), by kind: ${JSON.stringify(refusedByHttp)}`,
  );
});

// Node answers an Expect other than 100-continue itself with a bare 417 unless the server handles
// 'checkExpectation'; RFC 9110 §10.1.1 lets a server ignore it, and the gateway does, so such a request is
// answered in the API's shape and counted like any other.
test("an unknown Expect header gets the API's answer and is counted", async () => {
  const body = JSON.stringify({ model: "qwen3:32b", messages: [{ role: "user", content: "hi" }] });
  const before = (await Scrape.from(stack.gateway.url)).sum(`${P}requests_total`);
  const answer = await sendRaw(
    Buffer.from(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n` +
        `connection: close\r\nexpect: something-else\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
    ),
    false,
  );
  expect(answer.headers["x-request-id"]).toBeDefined();
  expect(answer.status === 200 || isOpenAIError(answer.body)).toBe(true);
  expect((await Scrape.from(stack.gateway.url)).sum(`${P}requests_total`)).toBe(before + 1);
});

// Bytes a client pipelines behind a request that is streaming must not land as a status line in the middle of
// the chunked body: with a response under way, the gateway cuts the connection instead of writing a 400.
test("malformed bytes pipelined behind a started stream do not corrupt it", async () => {
  const { port } = new URL(stack.gateway.url);
  const socket = connect(Number(port), "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  let received = "";
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString("latin1");
  });
  const body = JSON.stringify({
    model: "qwen3:32b",
    stream: true,
    messages: [{ role: "user", content: "x [sim:hang-after=3][sim:think-tokens=0]" }],
  });
  socket.write(
    `POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\nx-request-id: pipelined-junk\r\n` +
      `content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n${body}`,
  );
  try {
    const deadline = Date.now() + 20_000; // a safety net, not a budget
    while (!received.includes("data: ") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(received).toMatch(/^HTTP\/1\.1 200/);
    socket.write("NOT HTTP \u0001\r\n\r\n");
    await new Promise((r) => setTimeout(r, 200));
    expect(received.indexOf("HTTP/1.1", 1)).toBe(-1);
  } finally {
    socket.destroy();
    await stack.nextRecord("pipelined-junk");
  }
});

test("after all of it: no internal error counted, nothing left in flight, both gateways healthy", async () => {
  await alive();
  for (const base of [stack.gateway.url, keyed.url]) {
    const m = await Scrape.from(base);
    expect(m.sum(`${P}request_outcomes_total`, { outcome: "internal_error" }), base).toBe(0);
    await expect.poll(async () => (await Scrape.from(base)).sum(`${P}requests_in_flight`)).toBe(0);
  }
  console.log(
    JSON.stringify(
      stack.records
        .filter((r) => r.status >= 500)
        .map((r) => [r.route, r.status, r.outcome, r.errorCode, r.errorMessage]),
    ),
  );
  expect(stack.records.filter((r) => r.outcome === "internal_error")).toEqual([]);
  expect(keyedRecords.filter((r) => r.outcome === "internal_error")).toEqual([]);
  expect(stack.simulator.stats()).toMatchObject({ active: 0, queued: 0 });
});
