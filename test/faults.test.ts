// Faults through real sockets: the upstream dies, is down, hangs; the client reads slowly or leaves. Each time the
// gateway survives, the client gets a clear result, and /metrics counts the event.

import { request as httpRequest, type IncomingMessage } from "node:http";
import { connect, createServer, type Server, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, test } from "vitest";
import { defaultServeConfig, type ServeConfig } from "../src/config/serve-config.js";
import type { RequestRecord } from "../src/events/request-events.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/log/logger.js";
import type { SimulatorStats } from "../src/tools/simulator/index.js";
import { type CliProcess, runCli } from "./helpers/cli.js";
import { freePort } from "./helpers/ports.js";
import { Scrape } from "./helpers/scrape.js";
import { startStack } from "./helpers/stack.js";

const P = "llmgate_";
const CHAT = "/v1/chat/completions";

/** Cleanups of the running test, run in reverse order whatever happened (children are always killed). */
const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

/** `llmgate simulate` as its own process, so it can be killed like a real Ollama. */
async function spawnSimulator(
  listen = "127.0.0.1:0",
  extra: string[] = [],
): Promise<{ proc: CliProcess; url: string }> {
  const proc = runCli([
    "simulate",
    "--listen",
    listen,
    "--load-ms",
    "0",
    "--jitter",
    "0",
    "--prefill-tps",
    "1000000",
    ...extra,
  ]);
  cleanups.push(async () => {
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGKILL");
    await proc.exited;
  });
  const line = await proc.waitForLog((l) => String(l.msg).startsWith("simulator listening on"));
  return { proc, url: String(line.url) };
}

interface Gateway {
  gateway: RunningGateway;
  records: RequestRecord[];
  /** The record of the request with this id, once it has ended. */
  record(id: string, timeoutMs?: number): Promise<RequestRecord>;
}

/** A gateway in this process in front of any upstream URL (startStack always brings its own simulator). */
async function startGatewayOn(upstream: string, overrides: Partial<ServeConfig> = {}): Promise<Gateway> {
  const records: RequestRecord[] = [];
  const gateway = await startGateway(
    defaultServeConfig({
      listen: { host: "127.0.0.1", port: 0 },
      upstream,
      logLevel: "silent",
      ...overrides,
    }),
    { logger: createLogger("silent"), listeners: [(r) => records.push(r)] },
  );
  cleanups.push(() => gateway.stop(500));
  return {
    gateway,
    records,
    async record(id, timeoutMs = 20_000) {
      await waitFor(() => records.some((r) => r.id === id), timeoutMs);
      return records.find((r) => r.id === id) as RequestRecord;
    },
  };
}

/** Polls until `check` holds. The timeout is a safety net against a hang, not a budget: generous for a loaded machine. */
async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
  everyMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not reached within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function chatBody(content: string, extra: object = {}): string {
  return JSON.stringify({ model: "qwen3:32b", messages: [{ role: "user", content }], ...extra });
}

function post(base: string, path: string, body: string, id: string, signal?: AbortSignal) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-request-id": id },
    body,
    ...(signal ? { signal } : {}),
  });
}

/** SSE `data:` payloads, "[DONE]" kept as is. */
function sseData(text: string): string[] {
  return text
    .split("\n\n")
    .filter((f) => f.startsWith("data: "))
    .map((f) => f.slice(6));
}

/** Reads a streaming body until `enough` says so; returns the reader (to go on) and the text so far. */
async function readUntil(res: Response, enough: (text: string) => boolean) {
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = "";
  while (!enough(text)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  /** Reads the rest; resolves with it and whether the body ended cleanly or with an error. */
  const rest = async (): Promise<{ text: string; error?: string }> => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return { text };
        text += decoder.decode(value, { stream: true });
      }
    } catch (err) {
      return { text, error: (err as Error).message };
    }
  };
  return { text, rest };
}

async function simStats(url: string): Promise<SimulatorStats> {
  return (await (await fetch(`${url}/_sim/stats`)).json()) as SimulatorStats;
}

describe("the upstream is killed mid-stream", () => {
  test("an OpenAI stream ends with an error frame and no [DONE]; counted as protocol error and failed stream", async () => {
    const sim = await spawnSimulator("127.0.0.1:0", ["--decode-tps", "100"]);
    const { gateway, record } = await startGatewayOn(sim.url);
    const before = await Scrape.from(gateway.url);

    const res = await post(
      gateway.url,
      CHAT,
      chatBody("tell me a long story [sim:tokens=2000][sim:think-tokens=0]", { stream: true }),
      "kill-sse",
    );
    expect(res.status).toBe(200);
    // Some content reached the client, so the stream is certainly under way when the upstream dies.
    const stream = await readUntil(res, (t) => sseData(t).length >= 5);
    expect(sim.proc.child.kill("SIGKILL")).toBe(true);
    const { text, error } = await stream.rest();

    expect(error).toBeUndefined(); // the gateway ends the stream properly, it does not cut the client off
    const frames = sseData(text);
    expect(frames).not.toContain("[DONE]");
    expect(JSON.parse(frames.at(-1) ?? "")).toMatchObject({
      error: { code: "upstream_protocol_error", type: "server_error" },
    });
    expect(await record("kill-sse")).toMatchObject({
      outcome: "upstream_error",
      status: 200,
      streamStarted: true,
      errorCode: "upstream_protocol_error",
      upstreamErrorClass: "protocol",
    });

    const after = await Scrape.from(gateway.url);
    const delta = (name: string, labels: Record<string, string>) =>
      after.sum(`${P}${name}`, labels) - before.sum(`${P}${name}`, labels);
    expect(delta("upstream_errors_total", { class: "protocol" })).toBe(1);
    expect(delta("streams_total", { outcome: "upstream_error" })).toBe(1);
    expect(delta("request_outcomes_total", { outcome: "upstream_error" })).toBe(1);
    expect(after.sum(`${P}requests_in_flight`)).toBe(0);

    // The gateway lives on: liveness 200, readiness 503 (no upstream), a new request a clear 502.
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(503);
    const next = await post(gateway.url, CHAT, chatBody("hi"), "kill-after");
    expect(next.status).toBe(502);
    expect(await next.json()).toMatchObject({ error: { code: "upstream_unreachable" } });
    expect((await Scrape.from(gateway.url)).sum(`${P}upstream_errors_total`, { class: "connect" })).toBe(1);
  });

  test("a native NDJSON stream is cut (HTTP's way to say incomplete); counted the same way", async () => {
    const sim = await spawnSimulator("127.0.0.1:0", ["--decode-tps", "100"]);
    const { gateway, record } = await startGatewayOn(sim.url);

    const res = await post(
      gateway.url,
      "/api/chat",
      chatBody("long [sim:tokens=2000][sim:think-tokens=0]"),
      "kill-native",
    );
    expect(res.status).toBe(200);
    const stream = await readUntil(res, (t) => t.split("\n").length > 5);
    sim.proc.child.kill("SIGKILL");
    const { text, error } = await stream.rest();

    expect(error).toBeDefined(); // the body did not end cleanly: a client cannot take it for a whole answer
    expect(text).not.toContain('"done":true');
    expect(await record("kill-native")).toMatchObject({
      outcome: "upstream_error",
      streamStarted: true,
      upstreamErrorClass: "protocol",
    });
    const m = await Scrape.from(gateway.url);
    expect(m.sum(`${P}upstream_errors_total`, { class: "protocol", path: "/api/chat" })).toBe(1);
    expect(m.sum(`${P}streams_total`, { outcome: "upstream_error" })).toBe(1);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });
});

test("the upstream is down, then comes back: readiness, requests and upstream_up recover without a restart", async () => {
  const port = await freePort();
  const { gateway, record } = await startGatewayOn(`http://127.0.0.1:${port}`, { connectTimeoutMs: 1000 });

  const ready = await fetch(`${gateway.url}/readyz`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({
    status: "unready",
    reason: expect.stringContaining(`connection refused to 127.0.0.1:${port}`),
  });
  const down = await post(gateway.url, CHAT, chatBody("hi", { stream: true }), "while-down");
  expect(down.status).toBe(502);
  expect(down.headers.get("content-type")).toMatch(/^application\/json/);
  const refused = `cannot reach the upstream: connection refused to 127.0.0.1:${port}`;
  expect(await down.json()).toMatchObject({
    error: { code: "upstream_unreachable", type: "server_error", message: refused },
  });
  // The access log's error field is the same sentence.
  expect((await record("while-down")).errorMessage).toBe(refused);
  let m = await Scrape.from(gateway.url);
  expect(m.sum(`${P}upstream_up`)).toBe(0);
  expect(m.sum(`${P}upstream_errors_total`, { class: "connect" })).toBe(1);
  expect(m.sum(`${P}request_outcomes_total`, { outcome: "upstream_error" })).toBe(1);

  // Ollama starts on the address the gateway was given.
  await spawnSimulator(`127.0.0.1:${port}`, ["--decode-tps", "2000"]);
  await waitFor(async () => (await fetch(`${gateway.url}/readyz`)).status === 200, 20_000, 50);
  const ok = await post(gateway.url, CHAT, chatBody("hi [sim:tokens=5]", { stream: true }), "after-up");
  expect(ok.status).toBe(200);
  expect(sseData(await ok.text()).at(-1)).toBe("[DONE]");
  const plain = await post(gateway.url, CHAT, chatBody("hi [sim:tokens=5]"), "after-up-2");
  expect(plain.status).toBe(200);
  await gateway.poller.pollNow();
  m = await Scrape.from(gateway.url);
  expect(m.sum(`${P}upstream_up`)).toBe(1);
  expect(m.sum(`${P}request_outcomes_total`, { outcome: "completed" })).toBeGreaterThanOrEqual(2);
  expect(m.sum(`${P}upstream_errors_total`, { class: "connect" })).toBe(1);
});

test("the upstream hangs before the first byte: 504, counted as a timeout, and its slots are given back", async () => {
  const stack = await startStack({ gateway: { firstByteTimeoutMs: 1000, maxConcurrency: 1 } });
  cleanups.push(() => stack.close());
  const res = await post(stack.gateway.url, CHAT, chatBody("hi [sim:hang]", { stream: true }), "hang");
  expect(res.status).toBe(504);
  expect(await res.json()).toMatchObject({ error: { code: "upstream_timeout", type: "server_error" } });
  expect(await stack.nextRecord("hang")).toMatchObject({ outcome: "timeout", upstreamErrorClass: "timeout" });
  // The gateway gave up on the upstream request: Ollama's slot is free, and so is the gateway's only one.
  await waitFor(() => stack.simulator.stats().aborted === 1 && stack.simulator.stats().active === 0);
  const m = await Scrape.from(stack.gateway.url);
  expect(m.sum(`${P}upstream_errors_total`, { class: "timeout" })).toBe(1);
  expect(m.sum(`${P}request_outcomes_total`, { outcome: "timeout" })).toBe(1);
  expect(m.sum(`${P}streams_total`)).toBe(0); // nothing was streamed
  expect(m.sum(`${P}upstream_active_requests`)).toBe(0);
  const next = await post(stack.gateway.url, CHAT, chatBody("hi [sim:tokens=3]"), "after-hang");
  expect(next.status).toBe(200);
});

/** A TCP relay that counts the bytes the upstream sends; it honours backpressure both ways (pipe). */
async function countingProxy(target: string): Promise<{ url: string; bytes: () => number; server: Server }> {
  const { hostname, port } = new URL(target);
  let bytes = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    bytes: () => bytes,
    server,
  };
}

test("a slow-reading client: backpressure reaches the upstream, memory stays bounded, the stream resumes", async () => {
  const TOKENS = 1_000_000; // about 200 MB of SSE if it were all produced
  const IDLE_MS = 2000;
  const sim = await spawnSimulator("127.0.0.1:0", ["--decode-tps", "100000"]);
  const proxy = await countingProxy(sim.url);
  // An idle timeout shorter than the hold below: a client that does not read must not pass for a silent upstream.
  const { gateway, records } = await startGatewayOn(proxy.url, { idleTimeoutMs: IDLE_MS });
  const warm = await post(gateway.url, CHAT, chatBody("warm up [sim:tokens=2000]", { stream: true }), "warm");
  await warm.text();

  const rss0 = process.memoryUsage().rss;
  let received = 0;
  let ended = false;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = httpRequest(`${gateway.url}${CHAT}`, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/json", "x-request-id": "slow-reader" },
    });
    req.on("response", resolve).on("error", reject);
    req.end(chatBody(`a very long answer [sim:tokens=${TOKENS}][sim:think-tokens=0]`, { stream: true }));
  });
  expect(response.statusCode).toBe(200);
  response.on("error", () => {});
  response.on("end", () => {
    ended = true;
  });
  // Read a few KB, then stop reading altogether.
  await new Promise<void>((resolve) => {
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received >= 32 * 1024) {
        response.pause();
        response.off("data", onData);
        resolve();
      }
    };
    response.on("data", onData);
  });
  const receivedWhenPaused = received;

  // Backpressure reaches the model: the simulator's stream stalls, waiting for its socket to drain. That happens
  // only once every buffer between it and this client is full, so the gateway has stopped reading the upstream.
  await waitFor(async () => (await simStats(sim.url)).stalled === 1, 20_000, 20);
  const atStall = proxy.bytes();
  // Held for well over the idle timeout (undici checks it on a 0.5 s tick): a timer running while the gateway
  // holds the upstream back would fire in this process before this wait ends. A loaded machine only makes the
  // hold longer, which proves more, never less.
  const HOLD_MS = 2.5 * IDLE_MS;
  let peakRss = 0;
  for (let t = 0; t < HOLD_MS; t += 100) {
    await sleep(100);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const held = proxy.bytes();
  const stats = await simStats(sim.url);
  const perToken = 130; // bytes of one NDJSON content line of this model, measured
  const producedTokens = Math.round(held / perToken);
  console.log(
    `slow reader: client read ${receivedWhenPaused} B then stopped; the upstream stalled after sending ` +
      `${(atStall / 1e6).toFixed(2)} MB and had sent ${(held / 1e6).toFixed(2)} MB ${HOLD_MS} ms later ` +
      `(~${producedTokens} of ${TOKENS} tokens); RSS growth ${((peakRss - rss0) / 1e6).toFixed(1)} MB`,
  );

  expect(received).toBe(receivedWhenPaused);
  // The upstream stopped producing: still stalled, nothing beyond socket buffers' worth since it stalled.
  expect(stats).toMatchObject({ active: 1, stalled: 1, completed: 1, aborted: 0 }); // held back, not aborted
  expect(held - atStall).toBeLessThan(1024 * 1024);
  // Without backpressure it would have sent everything (130 MB); it sent a few socket buffers' worth.
  expect(held).toBeLessThan(32 * 1024 * 1024);
  expect(producedTokens).toBeLessThan(TOKENS / 4);
  expect(peakRss - rss0).toBeLessThan(50 * 1024 * 1024);
  expect(records.find((r) => r.id === "slow-reader")).toBeUndefined(); // the stream is alive, not timed out

  // Reading again: the upstream resumes, and the client gets the stream where it left off.
  response.resume();
  let tail = "";
  response.on("data", (chunk: Buffer) => {
    received += chunk.length;
    tail = (tail + chunk.toString("latin1")).slice(-4096);
  });
  await waitFor(() => received > receivedWhenPaused + 8 * 1024 * 1024 || ended, 40_000);
  expect(ended).toBe(false);
  expect(tail).not.toContain('"error"');
  // Enough: the client leaves, and the rest of the million tokens is never generated.
  response.destroy();
  await waitFor(() => records.some((r) => r.id === "slow-reader"), 20_000);
  expect(records.find((r) => r.id === "slow-reader")).toMatchObject({ outcome: "client_abort", status: 200 });
  await waitFor(async () => (await simStats(sim.url)).aborted === 1, 20_000);
  expect(await simStats(sim.url)).toMatchObject({ active: 0, stalled: 0, aborted: 1 });
}, 90_000);

describe("a client that leaves", () => {
  test("the upstream sees the abort and the slot goes to the next request", async () => {
    // One slot, so a released slot is visible: the queued request gets it at once.
    const stack = await startStack({ sim: { decodeTps: 200, parallel: 4 }, gateway: { maxConcurrency: 1 } });
    cleanups.push(() => stack.close());
    const sim = stack.simulator;
    const latencies: number[] = [];
    const ROUNDS = 10;
    for (let i = 0; i < ROUNDS; i++) {
      const before = sim.stats();
      const abort = new AbortController();
      const res = await post(
        stack.gateway.url,
        CHAT,
        chatBody("long [sim:tokens=5000]", { stream: true }),
        `leaver-${i}`,
        abort.signal,
      );
      await readUntil(res, (t) => sseData(t).length >= 2);
      expect(sim.stats().active).toBe(1);
      // A second client waits in the gateway's queue for the only slot.
      const queued = post(stack.gateway.url, CHAT, chatBody("short [sim:tokens=3]"), `queued-${i}`);
      await waitFor(() => stack.gateway.server.inflight === 2);

      const t0 = performance.now();
      abort.abort();
      // Measured and printed, not asserted: how soon depends on the machine's load; that it happens does not.
      await waitFor(() => sim.stats().aborted > before.aborted, 20_000, 1);
      latencies.push(performance.now() - t0);

      const next = await queued;
      expect(next.status).toBe(200);
      await next.text();
      expect(await stack.nextRecord(`leaver-${i}`)).toMatchObject({ outcome: "client_abort", status: 200 });
      expect(sim.stats()).toMatchObject({
        active: 0,
        aborted: before.aborted + 1,
        completed: before.completed + 1,
      });
    }
    const m = await Scrape.from(stack.gateway.url);
    expect(m.sum(`${P}upstream_active_requests`)).toBe(0);
    expect(m.sum(`${P}queue_length`)).toBe(0);
    expect(m.sum(`${P}requests_in_flight`)).toBe(0);
    expect(m.sum(`${P}request_outcomes_total`, { outcome: "client_abort" })).toBe(ROUNDS);
    expect(m.sum(`${P}streams_total`, { outcome: "client_abort" })).toBe(ROUNDS);
    const sorted = [...latencies].sort((a, b) => a - b);
    console.log(
      `client abort → upstream abort: median ${sorted[ROUNDS >> 1]?.toFixed(1)} ms, max ${sorted.at(-1)?.toFixed(1)} ms over ${ROUNDS} aborts (${latencies.map((ms) => ms.toFixed(1)).join(", ")})`,
    );
  });
});
