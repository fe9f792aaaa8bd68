// Load: 1,000 concurrent streaming clients through a concurrency limit of 8. Every request is completed or
// refused with 503 queue_full, none is lost, the upstream never sees more than 8, and /metrics agrees exactly.

import { createServer, Agent as HttpAgent, request as httpRequest, type Server } from "node:http";
import { Pool } from "undici";
import { afterAll, beforeAll, expect, test } from "vitest";
import { defaultServeConfig } from "../src/config/serve-config.js";
import type { RequestRecord } from "../src/events/request-events.js";
import { type RunningGateway, startGateway } from "../src/gateway.js";
import { createLogger } from "../src/log/logger.js";
import { type RunningSimulator, startSimulator } from "../src/tools/simulator/index.js";
import { Scrape } from "./helpers/scrape.js";

const CLIENTS = 1000;
const MAX_CONCURRENCY = 8;
const MAX_QUEUE = 500;
const TOKENS = 20;
const P = "llmgate_";
const CHAT = "/v1/chat/completions";

/**
 * An HTTP relay between the gateway and the simulator that counts generation requests open at the upstream at
 * each instant, exactly (a request counts from its arrival until its response has been handed on).
 */
interface Spy {
  url: string;
  server: Server;
  open: number;
  maxOpen: number;
  generations: number;
}

async function startSpy(target: string): Promise<Spy> {
  const { hostname, port } = new URL(target);
  const agent = new HttpAgent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY });
  const spy: Spy = { url: "", server: undefined as unknown as Server, open: 0, maxOpen: 0, generations: 0 };
  spy.server = createServer((req, res) => {
    const counted = req.method === "POST" && req.url === "/api/chat";
    if (counted) {
      spy.generations++;
      spy.open++;
      spy.maxOpen = Math.max(spy.maxOpen, spy.open);
      res.on("close", () => {
        spy.open--;
      });
    }
    const upstream = httpRequest(
      { host: hostname, port: Number(port), method: req.method, path: req.url, headers: req.headers, agent },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => spy.server.listen(0, "127.0.0.1", resolve));
  spy.url = `http://127.0.0.1:${(spy.server.address() as { port: number }).port}`;
  const close = spy.server.close.bind(spy.server);
  spy.server.close = ((cb?: (err?: Error) => void) => {
    agent.destroy();
    spy.server.closeAllConnections();
    return close(cb);
  }) as Server["close"];
  return spy;
}

let simulator: RunningSimulator;
let spy: Spy;
let gateway: RunningGateway;
const records: RequestRecord[] = [];

beforeAll(async () => {
  // Parallel 16: if the gateway let more than 8 through, the upstream would run them, and the spy would see it.
  simulator = await startSimulator({
    host: "127.0.0.1",
    port: 0,
    decodeTps: 200,
    prefillTps: 1_000_000,
    loadMs: 0,
    jitter: 0,
    parallel: 16,
  });
  spy = await startSpy(simulator.url);
  gateway = await startGateway(
    defaultServeConfig({
      listen: { host: "127.0.0.1", port: 0 },
      upstream: spy.url,
      logLevel: "silent",
      maxConcurrency: MAX_CONCURRENCY,
      maxQueue: MAX_QUEUE,
      queueTimeoutMs: 60_000,
    }),
    { logger: createLogger("silent"), listeners: [(r) => records.push(r)] },
  );
  // Load the model beforehand, directly: the gateway's counters then hold only the test's requests.
  const warm = await fetch(`${simulator.url}/api/chat`, {
    method: "POST",
    body: JSON.stringify({ model: "qwen3:32b", messages: [{ role: "user", content: "hi [sim:tokens=1]" }] }),
  });
  await warm.text();
});

afterAll(async () => {
  await gateway?.stop(1000);
  await new Promise<void>((resolve) => spy?.server.close(() => resolve()));
  await simulator?.close();
});

type Result =
  | { kind: "completed"; frames: number; completionTokens: number }
  | { kind: "rejected"; retryAfter: number }
  | { kind: "other"; status: number; body: string }
  | { kind: "lost"; error: string };

test(`${CLIENTS} concurrent streaming clients through max-concurrency ${MAX_CONCURRENCY}: none lost, counters exact`, async () => {
  const clients = new Pool(gateway.url, {
    connections: CLIENTS,
    headersTimeout: 60_000,
    bodyTimeout: 60_000,
  });
  const body = JSON.stringify({
    model: "qwen3:32b",
    stream: true,
    stream_options: { include_usage: true },
    messages: [{ role: "user", content: `go [sim:tokens=${TOKENS}][sim:think-tokens=0]` }],
  });

  // Sampled while the test runs: the gateway's own view of the pressure.
  let maxInflight = 0;
  let maxConnections = 0;
  let maxQueueLength = 0;
  let maxUpstreamActive = 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      maxInflight = Math.max(maxInflight, gateway.server.inflight);
      maxConnections = Math.max(maxConnections, gateway.server.connections);
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const scraper = (async () => {
    while (sampling) {
      const m = await Scrape.from(gateway.url);
      maxQueueLength = Math.max(maxQueueLength, m.sum(`${P}queue_length`));
      maxUpstreamActive = Math.max(maxUpstreamActive, m.sum(`${P}upstream_active_requests`));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();

  const started = performance.now();
  const one = async (i: number): Promise<Result> => {
    try {
      const res = await clients.request({
        method: "POST",
        path: CHAT,
        headers: { "content-type": "application/json", "x-request-id": `load-${i}` },
        body,
      });
      const text = await res.body.text();
      if (res.statusCode === 200) {
        const frames = text.split("\n\n").filter((f) => f.startsWith("data: "));
        if (frames.at(-1) === "data: [DONE]") {
          const usage = JSON.parse(frames.at(-2)?.slice(6) ?? "{}") as {
            usage?: { completion_tokens?: number };
          };
          return {
            kind: "completed",
            frames: frames.length,
            completionTokens: usage.usage?.completion_tokens ?? -1,
          };
        }
      } else if (res.statusCode === 503) {
        const json = JSON.parse(text) as { error?: { code?: string; type?: string; message?: string } };
        const retryAfter = Number(res.headers["retry-after"]);
        if (
          json.error?.code === "queue_full" &&
          json.error.type === "overloaded_error" &&
          typeof json.error.message === "string" &&
          retryAfter >= 1
        )
          return { kind: "rejected", retryAfter };
      }
      return { kind: "other", status: res.statusCode, body: text.slice(0, 300) };
    } catch (err) {
      return { kind: "lost", error: String(err) };
    }
  };
  const results = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => one(i)));
  const elapsed = performance.now() - started;
  sampling = false;
  await Promise.all([sampler, scraper]);
  await clients.close();

  const completed = results.filter((r) => r.kind === "completed");
  const rejected = results.filter((r) => r.kind === "rejected");
  const other = results.filter((r) => r.kind === "other");
  const lost = results.filter((r) => r.kind === "lost");
  console.log(
    `load: ${CLIENTS} clients in ${(elapsed / 1000).toFixed(1)} s: ${completed.length} completed, ` +
      `${rejected.length} rejected 503 queue_full, ${other.length} other, ${lost.length} lost; ` +
      `gateway held ${maxInflight} requests in flight on ${maxConnections} connections at most, ` +
      `queue up to ${maxQueueLength}, upstream saw at most ${spy.maxOpen} at once (gauge: ${maxUpstreamActive})`,
  );

  // Every request is either completed or clearly refused.
  expect(lost).toEqual([]);
  expect(other).toEqual([]);
  expect(completed.length + rejected.length).toBe(CLIENTS);
  // The queue filled up, so it held MAX_QUEUE waiting behind MAX_CONCURRENCY running, and all of those finished.
  expect(rejected.length).toBeGreaterThan(0);
  expect(completed.length).toBeGreaterThanOrEqual(MAX_QUEUE + MAX_CONCURRENCY);
  // A whole stream: TOKENS content frames (the first carries the role), finish, usage, [DONE].
  for (const c of completed)
    expect(c).toEqual({ kind: "completed", frames: TOKENS + 3, completionTokens: TOKENS });

  // The upstream never saw more than the limit; every rejected request stayed away from it.
  expect(spy.maxOpen).toBe(MAX_CONCURRENCY);
  expect(spy.generations).toBe(completed.length);
  expect(simulator.stats()).toMatchObject({
    completed: completed.length + 1,
    failed: 0,
    aborted: 0,
    active: 0,
    queued: 0,
  });

  // The gateway's accounting, exactly.
  await expect.poll(() => records.length).toBe(CLIENTS);
  const m = await Scrape.from(gateway.url);
  expect(m.sum(`${P}request_outcomes_total`, { outcome: "completed" })).toBe(completed.length);
  expect(m.sum(`${P}request_outcomes_total`, { outcome: "rejected" })).toBe(rejected.length);
  expect(m.sum(`${P}request_outcomes_total`)).toBe(CLIENTS);
  expect(m.sum(`${P}admission_rejections_total`, { reason: "queue_full" })).toBe(rejected.length);
  expect(m.sum(`${P}admission_rejections_total`)).toBe(rejected.length);
  expect(m.sum(`${P}queue_wait_seconds_count`)).toBe(completed.length);
  expect(m.sum(`${P}streams_total`, { outcome: "completed" })).toBe(completed.length);
  expect(m.sum(`${P}streams_total`)).toBe(completed.length);
  expect(m.sum(`${P}requests_total`, { path: CHAT, code: "200" })).toBe(completed.length);
  expect(m.sum(`${P}requests_total`, { path: CHAT, code: "503" })).toBe(rejected.length);
  expect(m.sum(`${P}completion_tokens_total`)).toBe(completed.length * TOKENS);
  expect(m.sum(`${P}requests_in_flight`)).toBe(0);
  expect(m.sum(`${P}queue_length`)).toBe(0);
  expect(m.sum(`${P}upstream_active_requests`)).toBe(0);
  expect(m.sum(`${P}concurrency_limit`)).toBe(MAX_CONCURRENCY);
  expect(maxQueueLength).toBeLessThanOrEqual(MAX_QUEUE);
  expect(maxUpstreamActive).toBeLessThanOrEqual(MAX_CONCURRENCY);
}, 60_000);
