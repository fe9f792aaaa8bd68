// Access and admission through real sockets: API keys, per-key limits, the queue, CORS, and request hardening.

import { once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { connect } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { parseApiKey, sha256 } from "../src/auth/api-keys.js";
import { Scrape } from "./helpers/scrape.js";
import { type Stack, startStack } from "./helpers/stack.js";

const MODEL = "qwen3:32b";
const stacks: Stack[] = [];
afterEach(async () => {
  for (const s of stacks.splice(0)) await s.close();
});

async function stack(options: Parameters<typeof startStack>[0]): Promise<Stack> {
  const s = await startStack(options);
  stacks.push(s);
  return s;
}

function chat(url: string, content: string, headers: Record<string, string> = {}, extra: object = {}) {
  return fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers,
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content }], ...extra }),
  });
}

const keys = [
  parseApiKey("alice=alice-secret-1"),
  parseApiKey(`bob=sha256:${sha256("bob-secret-22").toString("hex")}`),
].map((k) => {
  if (typeof k === "string") throw new Error(k);
  return k;
});

describe("API keys", () => {
  test("without a valid key: 401 in the API's own shape; with one: served and labelled by the key's name", async () => {
    const s = await stack({ gateway: { apiKeys: keys } });
    const url = s.gateway.url;

    const none = await chat(url, "hi [sim:tokens=2]");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    expect(await none.json()).toMatchObject({
      error: { code: "missing_api_key", type: "authentication_error" },
    });
    const wrong = await chat(url, "hi", { authorization: "Bearer alice-secret-2" });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: "invalid_api_key" } });
    const native = await fetch(`${url}/api/tags`);
    expect(native.status).toBe(401);
    expect(await native.json()).toEqual({ error: expect.stringContaining("requires an API key") });

    const alice = await chat(url, "hi [sim:tokens=3]", { authorization: "Bearer alice-secret-1" });
    expect(alice.status).toBe(200);
    const usage = ((await alice.json()) as { usage: { prompt_tokens: number; completion_tokens: number } })
      .usage;
    const bob = await chat(url, "hi [sim:tokens=3]", { "x-api-key": "bob-secret-22" });
    expect(bob.status).toBe(200);
    await bob.text();
    expect(
      (await fetch(`${url}/api/tags`, { headers: { authorization: "Bearer bob-secret-22" } })).status,
    ).toBe(200);

    // Probes stay open for load balancers.
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    const m = await Scrape.from(url);
    expect(m.sum("llmgate_request_outcomes_total", { key: "alice", outcome: "completed" })).toBe(1);
    expect(m.sum("llmgate_request_outcomes_total", { key: "bob", outcome: "completed" })).toBe(2);
    expect(m.sum("llmgate_completion_tokens_total", { key: "alice" })).toBe(usage.completion_tokens);
    expect(m.sum("llmgate_prompt_tokens_total", { key: "alice" })).toBe(usage.prompt_tokens);
    expect(m.sum("llmgate_admission_rejections_total", { reason: "unauthorized" })).toBe(3);
    expect(m.samples.some((x) => Object.values(x.labels).some((v) => v.includes("secret")))).toBe(false);
  });

  test("per-key requests per minute: 429 with Retry-After once spent, other keys unaffected", async () => {
    const s = await stack({ gateway: { apiKeys: keys, keyLimits: [{ name: "alice", limits: { rpm: 2 } }] } });
    const alice = { authorization: "Bearer alice-secret-1" };
    for (let i = 0; i < 2; i++)
      expect((await chat(s.gateway.url, "hi [sim:tokens=1]", alice)).status).toBe(200);
    const limited = await chat(s.gateway.url, "hi", alice);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(29);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited", type: "rate_limit_error" } });
    expect(
      (await chat(s.gateway.url, "hi [sim:tokens=1]", { authorization: "Bearer bob-secret-22" })).status,
    ).toBe(200);
    const m = await Scrape.from(s.gateway.url);
    expect(m.sum("llmgate_admission_rejections_total", { reason: "rate_limited" })).toBe(1);
  });

  test("per-key tokens per minute: a request that spends the budget holds the key back", async () => {
    const s = await stack({
      gateway: { apiKeys: keys, keyLimits: [{ name: "alice", limits: { tpm: 20 } }] },
    });
    const alice = { authorization: "Bearer alice-secret-1" };
    const first = await chat(s.gateway.url, "hi [sim:tokens=50]", alice);
    expect(first.status).toBe(200);
    await first.text();
    await s.nextRecord(first.headers.get("x-request-id") ?? "");
    const second = await chat(s.gateway.url, "hi", alice);
    expect(second.status).toBe(429);
    expect(await second.json()).toMatchObject({
      error: { message: expect.stringContaining("tokens-per-minute") },
    });
  });
});

describe("what goes upstream", () => {
  let upstream: Server;
  let seen: { url: string; method: string; headers: IncomingHttpHeaders; bodyBytes: number }[];
  let upstreamUrl: string;
  beforeAll(async () => {
    seen = [];
    upstream = createServer((req, res) => {
      let bodyBytes = 0;
      req.on("data", (chunk: Buffer) => {
        bodyBytes += chunk.length;
      });
      req.on("end", () => {
        seen.push({ url: req.url ?? "", method: req.method ?? "", headers: req.headers, bodyBytes });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(req.url === "/api/version" ? '{"version":"0.0.1"}' : '{"models":[]}');
      });
    });
    upstream.listen(0, "127.0.0.1");
    await once(upstream, "listening");
    upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  test("the client's Authorization never goes upstream; upstream-api-key sets the upstream's own", async () => {
    const plain = await stack({ gateway: { upstream: upstreamUrl, apiKeys: keys } });
    seen.length = 0;
    await (
      await fetch(`${plain.gateway.url}/api/tags`, { headers: { authorization: "Bearer alice-secret-1" } })
    ).text();
    await (
      await fetch(`${plain.gateway.url}/v1/models`, { headers: { "x-api-key": "alice-secret-1" } })
    ).text();
    const forwarded = seen.filter((r) => r.url === "/api/tags");
    expect(forwarded).toHaveLength(2);
    for (const r of forwarded) {
      expect(r.headers.authorization).toBeUndefined();
      expect(r.headers["x-api-key"]).toBeUndefined();
    }

    const withKey = await stack({ gateway: { upstream: upstreamUrl, upstreamApiKey: "upstream-token" } });
    seen.length = 0;
    await (
      await fetch(`${withKey.gateway.url}/api/tags`, { headers: { authorization: "Bearer client" } })
    ).text();
    expect(seen.find((r) => r.url === "/api/tags")?.headers.authorization).toBe("Bearer upstream-token");
  });

  test("streamed native bodies (pull, blob uploads) reach the upstream whole; client credentials do not", async () => {
    const s = await stack({ gateway: { upstream: upstreamUrl, apiKeys: keys } });
    seen.length = 0;
    const pull = await fetch(`${s.gateway.url}/api/pull`, {
      method: "POST",
      headers: { "x-api-key": "alice-secret-1", cookie: "session=1", origin: "https://chat.example.com" },
      body: JSON.stringify({ model: "qwen3:32b" }),
    });
    expect(pull.status).toBe(200);
    await pull.text();
    const blob = new Uint8Array(1024 * 1024).fill(7);
    const upload = await fetch(`${s.gateway.url}/api/blobs/sha256:${"a".repeat(64)}`, {
      method: "POST",
      headers: { authorization: "Bearer alice-secret-1" },
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 16; i++) controller.enqueue(blob.subarray(i * 65536, (i + 1) * 65536));
          controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(upload.status).toBe(200);
    await upload.text();
    const pulled = seen.find((r) => r.url === "/api/pull");
    expect(pulled?.bodyBytes).toBe(JSON.stringify({ model: "qwen3:32b" }).length);
    for (const h of ["x-api-key", "cookie", "origin", "authorization"])
      expect(pulled?.headers[h], h).toBeUndefined();
    expect(seen.find((r) => r.url.startsWith("/api/blobs/"))?.bodyBytes).toBe(blob.length);
    const record = s.records.find(
      (r) => r.route === "/api/{other}" && r.method === "POST" && r.bytesIn === blob.length,
    );
    expect(record?.outcome).toBe("completed");
  });

  test("percent-encoded paths are routed by their decoded form; dot and empty segments are refused", async () => {
    const s = await stack({ gateway: { upstream: upstreamUrl } });
    seen.length = 0;
    const encoded = await fetch(`${s.gateway.url}/api/%74ags`);
    expect(encoded.status).toBe(200);
    await encoded.text();
    expect(seen.find((r) => r.url === "/api/tags")).toBeDefined();
    expect(s.records.at(-1)?.route).toBe("/api/tags");
    const { port } = new URL(s.gateway.url);
    for (const target of [
      "/api/../v1/models",
      "/api/%2e%2e/v1/models",
      "/api//tags",
      "/api/%zz",
      "/v1/%zz",
    ]) {
      const socket = connect(Number(port), "127.0.0.1");
      socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      let text = "";
      for await (const chunk of socket) text += chunk;
      expect(text, target).toMatch(/^HTTP\/1\.1 400/);
      // In the shape of the API the path was aimed at.
      expect(text, target).toContain(
        target.startsWith("/api/") ? '{"error":"the request path is not valid' : "invalid_request",
      );
    }
  });

  test("a request cannot choose the upstream host: absolute-form targets are not routed", async () => {
    const s = await stack({ gateway: { upstream: upstreamUrl } });
    seen.length = 0;
    const { port } = new URL(s.gateway.url);
    const socket = connect(Number(port), "127.0.0.1");
    socket.write(
      "GET http://169.254.169.254/api/tags HTTP/1.1\r\nHost: 169.254.169.254\r\nConnection: close\r\n\r\n",
    );
    let text = "";
    for await (const chunk of socket) text += chunk;
    expect(text).toMatch(/^HTTP\/1\.1 400/);
    expect(text).toContain("invalid_request");
    expect(seen.filter((r) => r.url.includes("tags"))).toEqual([]);
  });
});

describe("admission", () => {
  test("beyond the slots requests queue; a full queue answers 503 queue_full, a long wait 503 queue_timeout", async () => {
    // Margins for a loaded machine: the queue-full check has the whole queue timeout to happen in, and the holder
    // outlasts the queue timeout by as much again.
    const s = await stack({ gateway: { maxConcurrency: 1, maxQueue: 1, queueTimeoutMs: 2500 } });
    const url = s.gateway.url;
    const holder = chat(url, "slow [sim:delay-ms=5000] [sim:tokens=1]");
    await expect.poll(() => s.simulator.stats().requests).toBe(1);
    const queued = chat(url, "next [sim:tokens=1]");
    await expect.poll(async () => (await Scrape.from(url)).sum("llmgate_queue_length")).toBe(1);
    const full = await chat(url, "no room");
    expect(full.status).toBe(503);
    expect(full.headers.get("retry-after")).not.toBeNull();
    expect(await full.json()).toMatchObject({ error: { code: "queue_full", type: "overloaded_error" } });
    const timedOut = await queued;
    expect(timedOut.status).toBe(503);
    expect(await timedOut.json()).toMatchObject({
      error: { code: "queue_timeout", type: "overloaded_error" },
    });
    expect((await holder).status).toBe(200);
    const m = await Scrape.from(url);
    expect(m.sum("llmgate_admission_rejections_total", { reason: "queue_full" })).toBe(1);
    expect(m.sum("llmgate_admission_rejections_total", { reason: "queue_timeout" })).toBe(1);
    expect(m.sum("llmgate_concurrency_limit"), "limit").toBe(1);
    expect(m.sum("llmgate_queue_wait_seconds_count"), "queue wait count").toBe(1);
    // The refused requests never reached the upstream.
    expect(s.simulator.stats().requests).toBe(1);
  });

  test("a client that leaves while queued never reaches the upstream", async () => {
    const s = await stack({ gateway: { maxConcurrency: 1, maxQueue: 10, queueTimeoutMs: 10_000 } });
    // Held long enough for the second client to queue and leave, even on a loaded machine.
    const holder = chat(s.gateway.url, "slow [sim:delay-ms=4000] [sim:tokens=1]");
    await expect.poll(() => s.simulator.stats().requests).toBe(1);
    const abort = new AbortController();
    const leaving = fetch(`${s.gateway.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "x" }] }),
      signal: abort.signal,
    }).catch(() => undefined);
    await expect.poll(async () => (await Scrape.from(s.gateway.url)).sum("llmgate_queue_length")).toBe(1);
    abort.abort();
    await leaving;
    await expect.poll(async () => (await Scrape.from(s.gateway.url)).sum("llmgate_queue_length")).toBe(0);
    expect((await holder).status).toBe(200);
    expect(s.simulator.stats().requests).toBe(1);
    await expect.poll(() => s.records.some((r) => r.outcome === "client_abort")).toBe(true);
  });
});

describe("CORS", () => {
  const preflight = (url: string, origin: string) =>
    fetch(`${url}/v1/chat/completions`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });

  test("off unless origins are configured", async () => {
    const s = await stack({});
    const res = await preflight(s.gateway.url, "https://chat.example.com");
    expect(res.status).toBe(405);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    const get = await fetch(`${s.gateway.url}/v1/models`, {
      headers: { origin: "https://chat.example.com" },
    });
    expect(get.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("a configured origin gets preflight and response headers; another does not", async () => {
    const s = await stack({ gateway: { corsOrigins: ["https://chat.example.com"], apiKeys: keys } });
    const ok = await preflight(s.gateway.url, "https://chat.example.com");
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://chat.example.com");
    expect(ok.headers.get("access-control-allow-headers")).toContain("authorization");
    const get = await fetch(`${s.gateway.url}/v1/models`, {
      headers: { origin: "https://chat.example.com", authorization: "Bearer alice-secret-1" },
    });
    expect(get.status).toBe(200);
    expect(get.headers.get("access-control-allow-origin")).toBe("https://chat.example.com");
    expect(get.headers.get("access-control-expose-headers")).toContain("x-request-id");
    const other = await preflight(s.gateway.url, "https://evil.example.com");
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("hardening", () => {
  test("JSON nested deeper than json-max-depth is refused with 400 before parsing", async () => {
    const s = await stack({ gateway: { jsonMaxDepth: 16 } });
    const deep = `{"model":"m","messages":[{"role":"user","content":"x","extra":${"[".repeat(50)}${"]".repeat(50)}}]}`;
    const res = await fetch(`${s.gateway.url}/v1/chat/completions`, { method: "POST", body: deep });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: "invalid_json", message: expect.stringContaining("16") },
    });
  });

  test("slowloris: a client that never finishes its headers is cut off after header-timeout", async () => {
    const s = await stack({ gateway: { headerTimeoutMs: 300, requestTimeoutMs: 1000 } });
    const { port } = new URL(s.gateway.url);
    const socket = connect(Number(port), "127.0.0.1");
    socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n");
    let text = "";
    for await (const chunk of socket) text += chunk; // ends when the gateway closes the connection
    expect(text).toMatch(/^HTTP\/1\.1 408/);
  });

  test("a body that trickles in slower than request-timeout allows is cut off with 408", async () => {
    const s = await stack({ gateway: { headerTimeoutMs: 300, requestTimeoutMs: 600 } });
    const { port } = new URL(s.gateway.url);
    const socket = connect(Number(port), "127.0.0.1");
    socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{");
    let text = "";
    for await (const chunk of socket) text += chunk;
    expect(text).toMatch(/^HTTP\/1\.1 408/);
  });

  test("shutdown does not wait on a client still sending its body", async () => {
    const s = await startStack({ gateway: { requestTimeoutMs: 60_000 } });
    const { port } = new URL(s.gateway.url);
    const socket = connect(Number(port), "127.0.0.1");
    socket.write("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{");
    socket.on("error", () => {});
    await expect.poll(() => s.gateway.server.inflight).toBe(1);
    // stop() resolving at all is the point: waiting on the body would take request-timeout (a minute).
    const result = await s.gateway.stop(200);
    expect(result).toEqual({ finished: 0, cancelled: 1 });
    expect(s.records.at(-1)?.outcome).toBe("shutdown");
    socket.destroy();
    await s.simulator.close();
  });

  test("a client that stops reading is given up after client-write-timeout, freeing its slot", async () => {
    const s = await stack({
      sim: { decodeTps: 100_000 },
      gateway: { clientWriteTimeoutMs: 500, maxConcurrency: 1, idleTimeoutMs: 60_000 },
    });
    const { port } = new URL(s.gateway.url);
    const body = JSON.stringify({
      model: MODEL,
      stream: true,
      messages: [{ role: "user", content: "long [sim:tokens=1000000] [sim:think-tokens=0]" }],
    });
    const socket = connect(Number(port), "127.0.0.1");
    socket.on("error", () => {});
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    // Read nothing: the socket buffers fill, the gateway's writes stop draining.
    socket.pause();
    await expect.poll(() => s.records.at(-1)?.outcome, { timeout: 20_000 }).toBe("client_abort");
    await expect.poll(() => s.simulator.stats().active).toBe(0);
    // The slot is free again for the next client.
    const next = await chat(s.gateway.url, "hi [sim:tokens=2]");
    expect(next.status).toBe(200);
    socket.destroy();
  }, 30_000);
});
