#!/usr/bin/env node
// Holds N streaming chat requests open against a gateway for S seconds and reports the gaps between body chunks.
// Usage: node bench/stream-probe.mjs URL CONCURRENCY SECONDS   (URL: the gateway's base, e.g. http://127.0.0.1:18789)
// Prints one JSON line: {streams, errors, chunks, gapMs: {p50, p99, max}, gaps: [[endEpochMs, gapMs], ...]}. A stall of
// the gateway's event loop (e.g. while it renders /metrics) shows up as a gap far above the upstream's pacing; the
// epoch times let the caller match gaps with what it did meanwhile.

import { performance } from "node:perf_hooks";
import { Agent, request } from "undici";

const [url = "", concurrencyArg = "16", secondsArg = "5"] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const deadline = performance.now() + Number(secondsArg) * 1000;
const agent = new Agent({ connections: concurrency });
const body = JSON.stringify({
  model: "qwen3:32b",
  messages: [{ role: "user", content: "Hello" }],
  stream: true,
});

const gaps = [];
let streams = 0;
let errors = 0;

async function loop() {
  while (performance.now() < deadline) {
    try {
      const res = await request(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        dispatcher: agent,
      });
      let last;
      for await (const _chunk of res.body) {
        const now = performance.now();
        if (last !== undefined) gaps.push([performance.timeOrigin + now, now - last]);
        last = now;
      }
      if (res.statusCode === 200) streams++;
      else errors++;
    } catch {
      errors++;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, loop));
await agent.close();
const sorted = gaps.map((g) => g[1]).sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const gapMs = { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
process.stdout.write(`${JSON.stringify({ streams, errors, chunks: gaps.length, gapMs, gaps })}\n`);
