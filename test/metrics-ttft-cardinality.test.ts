// TTFT as the gateway reports it matches what the client measured; hostile paths, methods and models add no series.

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Scrape } from "./helpers/scrape.js";
import { type Stack, startStack } from "./helpers/stack.js";

let stack: Stack;
const DELAY_MS = 150;

beforeAll(async () => {
  // 100 tokens/s: a stream of 40 tokens lasts 0.4 s after its first token, so TTFT cannot be mistaken for duration.
  stack = await startStack({ sim: { models: ["qwen3:32b"], decodeTps: 100, jitter: 0, parallel: 32 } });
});
afterAll(() => stack.close());

describe("time to first token", () => {
  test("the reported TTFT lies between the upstream's delay and the client's TTFT, through /v1 and /api", async () => {
    for (const [path, body] of [
      [
        "/v1/chat/completions",
        {
          model: "qwen3:32b",
          stream: true,
          messages: [{ role: "user", content: `go [sim:delay-ms=${DELAY_MS}] [sim:tokens=40]` }],
        },
      ],
      [
        "/api/chat",
        {
          model: "qwen3:32b",
          messages: [{ role: "user", content: `go [sim:delay-ms=${DELAY_MS}] [sim:tokens=40]` }],
        },
      ],
    ] as const) {
      const gaps: number[] = [];
      for (let i = 0; i < 2; i++) {
        const before = await Scrape.from(stack.gateway.url);
        const started = performance.now();
        const res = await fetch(`${stack.gateway.url}${path}`, {
          method: "POST",
          body: JSON.stringify(body),
        });
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let clientTtft: number | undefined;
        let text = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
          // The first chunk carrying text: SSE content or reasoning, or an NDJSON message with content/thinking.
          if (clientTtft === undefined && /"(content|reasoning|thinking)":"[^"]/.test(text))
            clientTtft = performance.now() - started;
        }
        const clientTotal = performance.now() - started;
        const record = await stack.nextRecord(res.headers.get("x-request-id") ?? "");
        const after = await Scrape.from(stack.gateway.url);
        const reported =
          (after.sum("llmgate_time_to_first_token_seconds_sum") -
            before.sum("llmgate_time_to_first_token_seconds_sum")) *
          1000;
        expect(
          after.sum("llmgate_time_to_first_token_seconds_count") -
            before.sum("llmgate_time_to_first_token_seconds_count"),
        ).toBe(1);
        expect(clientTtft).toBeDefined();
        // The client's clock starts before the request arrives and stops after the bytes left the gateway, so
        // the reported TTFT can never exceed the client's (1 ms allowed for clock granularity).
        expect(reported, `${path}: client ${clientTtft} ms, reported ${reported} ms`).toBeLessThanOrEqual(
          (clientTtft ?? 0) + 1,
        );
        expect(reported).toBeCloseTo(record.ttftMs ?? -1, 6);
        // No token exists before the simulator's 150 ms delay has passed: a TTFT taken at the request's arrival
        // or the upstream's headers would be below it. A loaded machine only moves both bounds later.
        expect(reported).toBeGreaterThanOrEqual(DELAY_MS);
        // And it is the first token, not the whole answer.
        expect(clientTotal - reported).toBeGreaterThan(200);
        gaps.push((clientTtft ?? 0) - reported);
      }
      // How close the two clocks are is a measurement, printed rather than asserted: a busy machine can stall the
      // client (sharing this process with the gateway) at any moment.
      console.log(`${path}: client TTFT minus reported, ms: ${gaps.map((g) => g.toFixed(2)).join(", ")}`);
    }
  });
});

describe("cardinality", () => {
  async function hostile(n: number, offset: number): Promise<void> {
    const rand = (i: number) => `${(i + offset).toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < n) {
          const i = next++;
          const kind = i % 4;
          const url = stack.gateway.url;
          const res =
            kind === 0
              ? await fetch(`${url}/v1/${rand(i)}/${rand(i)}?q=${rand(i)}`)
              : kind === 1
                ? await fetch(`${url}/v1/chat/completions`, {
                    method: "POST",
                    body: JSON.stringify({
                      model: `evil-${rand(i)}`,
                      messages: [{ role: "user", content: "x" }],
                    }),
                  })
                : kind === 2
                  ? await fetch(`${url}/api/chat`, {
                      method: "POST",
                      body: JSON.stringify({
                        model: `evil-${rand(i)}`,
                        messages: [{ role: "user", content: "x" }],
                      }),
                    })
                  : await fetch(`${url}/v1/models/${rand(i)}`, {
                      method: ["PATCH", "PUT", "DELETE", "OPTIONS"][i % 4] as string,
                    });
          await res.arrayBuffer();
        }
      }),
    );
  }

  test("random paths, model names and methods add no series beyond the bounds", async () => {
    // Ollama's own state adds series too (a loaded model's size, VRAM, context and expiry, and its load, from
    // the poller): have the model loaded and seen by the poller first, so that only client input could add any.
    const warm = await fetch(`${stack.gateway.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({
        model: "qwen3:32b",
        messages: [{ role: "user", content: "warm [sim:tokens=1]" }],
      }),
    });
    expect(warm.status).toBe(200);
    await warm.arrayBuffer();
    await expect
      .poll(async () => (await Scrape.from(stack.gateway.url)).series("llmgate_model_size_bytes").length, {
        timeout: 30_000,
      })
      .toBe(1);
    await hostile(200, 0);
    const first = await Scrape.from(stack.gateway.url);
    await hostile(600, 1_000_000); // each one unique: far more values than any bound
    const second = await Scrape.from(stack.gateway.url);
    const names = (s: Scrape) =>
      s.samples.filter((x) => x.name.startsWith("llmgate_") && !x.name.includes("nodejs_"));
    // Same series, more observations.
    const keys = (s: Scrape) => new Set(names(s).map((x) => `${x.name}${JSON.stringify(x.labels)}`));
    const [before, after] = [keys(first), keys(second)];
    expect([...after].filter((k) => !before.has(k))).toEqual([]);
    expect([...before].filter((k) => !after.has(k))).toEqual([]);
    expect(second.sum("llmgate_requests_total")).toBeGreaterThan(first.sum("llmgate_requests_total") + 599);
    const labelValues = (label: string) =>
      new Set(second.samples.map((x) => x.labels[label]).filter((v) => v !== undefined));
    expect([...labelValues("model")].every((m) => ["", "qwen3:32b", "other"].includes(m as string))).toBe(
      true,
    );
    expect([...labelValues("path")].every((p) => p === "other" || (p as string).startsWith("/"))).toBe(true);
    expect(labelValues("path").size).toBeLessThan(20);
    expect(
      [...labelValues("method")].every((m) =>
        ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS", "HEAD", "other"].includes(m as string),
      ),
    ).toBe(true);
  }, 120_000); // a safety net: 800 requests on a loaded machine

  test("against an upstream that serves any model name, past metrics-learned-models new names are other", async () => {
    const upstream = await anyModelUpstream();
    const s = await startStack({ gateway: { upstream: upstream.url, metricsLearnedModels: 3 } });
    try {
      const ask = async (model: string, stream: boolean) => {
        const res = await fetch(`${s.gateway.url}/v1/chat/completions`, {
          method: "POST",
          body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "x" }] }),
        });
        expect(res.status, model).toBe(200);
        await res.arrayBuffer();
      };
      const perModel = (scrape: Scrape, model: string) =>
        scrape.samples.filter((x) => x.labels.model === model).length;
      // The first three names served get their own label, the fourth is already other.
      for (const i of [0, 1, 2, 3]) for (const stream of [false, true]) await ask(`invented-${i}`, stream);
      const first = await Scrape.from(s.gateway.url);
      for (let i = 4; i < 40; i++) for (const stream of [false, true]) await ask(`invented-${i}`, stream);
      const second = await Scrape.from(s.gateway.url);

      const models = new Set(second.samples.map((x) => x.labels.model).filter((m) => m !== undefined));
      expect([...models].sort()).toEqual([
        "invented-0:latest",
        "invented-1:latest",
        "invented-2:latest",
        "other",
      ]);
      // Node's own GC series appear when a kind of collection first runs: not the gateway's labels.
      const keys = (x: Scrape) =>
        x.samples
          .filter((y) => !y.name.includes("nodejs_"))
          .map((y) => `${y.name}${JSON.stringify(y.labels)}`)
          .sort();
      expect(keys(second)).toEqual(keys(first)); // 72 more names, not one more series
      expect(second.sum("llmgate_request_outcomes_total", { model: "other" })).toBe(2 * 37);
      // What one model name costs with this traffic (a stream and a whole answer each): the README's figure.
      expect(perModel(second, "invented-0:latest")).toBe(perModel(second, "other"));
      expect(perModel(second, "invented-0:latest")).toBe(SERIES_PER_MODEL);
    } finally {
      await s.close();
      await upstream.close();
    }
  });
});

/**
 * Series one model label value adds when it serves streams and whole answers that complete, with no keys: the
 * seven model-labelled histograms (buckets + 3 samples each: 129), two token counters, a done reason, an
 * outcome, and the five stream outcomes created together. The README's Metrics section quotes this figure.
 */
const SERIES_PER_MODEL = 138;

/** An Ollama stand-in that answers /api/chat for whatever model it is asked for, as a proxy or cloud backend may. */
async function anyModelUpstream(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const send = (body: unknown) =>
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.url === "/api/version") return send({ version: "0.12.3" });
    if (req.url === "/api/tags" || req.url === "/api/ps") return send({ models: [] });
    if (req.url !== "/api/chat") return res.writeHead(404).end("404 page not found");
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on("end", () => {
      const { model, stream } = JSON.parse(body) as { model: string; stream?: boolean };
      const at = new Date().toISOString();
      const token = { model, created_at: at, message: { role: "assistant", content: "hi" }, done: false };
      const done = {
        model,
        created_at: at,
        message: { role: "assistant", content: "" },
        done: true,
        done_reason: "stop",
        total_duration: 30_000_000,
        load_duration: 1_000_000,
        prompt_eval_count: 3,
        prompt_eval_duration: 5_000_000,
        eval_count: 2,
        eval_duration: 20_000_000,
      };
      if (stream === false) return send({ ...done, message: { role: "assistant", content: "hi" } });
      res.writeHead(200, { "content-type": "application/x-ndjson" });
      res.end(`${JSON.stringify(token)}\n${JSON.stringify(done)}\n`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
