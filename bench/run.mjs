#!/usr/bin/env node
// The side-by-side benchmark: llmgate, the seed's Go gateway and direct-to-upstream under the same load in one run.
// Started by bench/run.sh, which installs wrk, builds dist/ and the anchors and sets ANCHORS_BIN. See bench/README.md.

import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Agent, request } from "undici";
import {
  freePort,
  killAll,
  recordPidsIn,
  run,
  start,
  stop,
  waitForHttp,
  waitForQuiet,
  watch,
} from "./lib/procs.mjs";
import { printReport } from "./lib/report.mjs";
import { wrk } from "./lib/wrk.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const env = process.env;
const ANCHORS = env.ANCHORS_BIN;
if (!ANCHORS) {
  process.stderr.write("ANCHORS_BIN is not set: run bench/run.sh, which builds the anchors\n");
  process.exit(2);
}
const SECONDS = Number(env.BENCH_SECONDS ?? 5);
const WARMUP = Number(env.BENCH_WARMUP ?? 1);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 32);
const SLOW_STREAMS = Number(env.BENCH_SLOW_STREAMS ?? 1000);
const SLOW_SECONDS = Number(env.BENCH_SLOW_SECONDS ?? 12);
const SLOW_ROUNDS = Number(env.BENCH_SLOW_ROUNDS ?? 1);
/** The slow streams' shape: chunks per stream and the pause between two (the issue's: 100 chunks, 20 ms). */
const SLOW_TOKENS = Number(env.BENCH_SLOW_TOKENS ?? 100);
const SLOW_DELAY_MS = Number(env.BENCH_SLOW_DELAY_MS ?? 20);
/** Other sessions may share the machine: before each measurement, wait for it to go idle, within this budget. */
let quietBudgetMs = Number(env.BENCH_QUIET_WAIT ?? 60) * 1000;
/** Rounds per target (the table shows medians); the slow-stream workload runs BENCH_SLOW_ROUNDS. */
const ROUNDS = Number(env.BENCH_ROUNDS ?? 3);
const ONLY = env.BENCH_ONLY ? new Set(env.BENCH_ONLY.split(",")) : undefined;
const TARGETS = env.BENCH_TARGETS ? new Set(env.BENCH_TARGETS.split(",")) : undefined;
/** Extra node flags for the llmgate process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" (bench/profile.sh). */
const LLMGATE_NODE_ARGS = (env.BENCH_LLMGATE_NODE_ARGS ?? "").split(" ").filter(Boolean);
/** The CLI to start as llmgate: dist/cli.js, or another build or wrapper to compare (CPU and RSS: its main process). */
const LLMGATE_CLI = env.BENCH_LLMGATE_CLI ?? join(ROOT, "dist/cli.js");
/**
 * Another build to measure in the same run as a target of its own, "llmgate B", interleaved with the others: the way
 * to compare a change with its baseline (e.g. a `git worktree` of main, built) under the same machine noise.
 */
const COMPARE_CLI = env.BENCH_COMPARE_CLI;
/**
 * llmgate's serve flags. The seed has no admission control, so llmgate's limits are raised above any load here:
 * the admission path runs but never queues or rejects. 1024 upstream connections like the seed's transport,
 * so 1,000 streams really run concurrently. Logging stays at its default (info, one access-log line per request,
 * JSON into the process log), so the table includes what a default deployment pays for it. BENCH_LLMGATE_ARGS
 * appends (later flags win).
 */
const LLMGATE_ARGS = [
  "--upstream-connections",
  "1024",
  "--max-concurrency",
  "4096",
  "--max-queue",
  "4096",
  ...(env.BENCH_LLMGATE_ARGS ?? "").split(" ").filter(Boolean),
];
const WORK = env.BENCH_WORK ?? mkdtempSync(join(tmpdir(), "llmgate-bench-"));
const OUT = env.BENCH_OUT ?? join(WORK, "results.json");
const LOG = join(WORK, "processes.log");
recordPidsIn(join(WORK, "pids"));

const MODEL = "qwen3:32b";
const MESSAGES = [{ role: "user", content: "Hello! Who are you?" }];
/** OpenAI-shaped for llmgate's /v1; Ollama-shaped for the seed (it rewrites the path, not the body) and direct. */
const openai = (stream) =>
  JSON.stringify({ model: MODEL, messages: MESSAGES, ...(stream ? { stream } : {}) });
const ollama = (stream) => JSON.stringify({ model: MODEL, messages: MESSAGES, stream });

/**
 * The workloads of issue 7. Non-streaming: every target gets the upstream's one JSON body (llmgate asks for
 * stream:false when the client does, src/translate/chat-request.ts).
 */
const WORKLOADS = [
  {
    id: "nonstream",
    title: "non-stream chat",
    upstream: { TOKENS: "8" },
    runs: [
      { target: "llmgate", gateway: "llmgate", path: "/v1/chat/completions", body: openai(false) },
      { target: "seed-go-proxy", gateway: "seed", path: "/v1/chat/completions", body: ollama(false) },
      { target: "node floor", gateway: "node", path: "/v1/chat/completions", body: ollama(false) },
      { target: "direct", gateway: "none", path: "/api/chat", body: ollama(false) },
    ],
  },
  {
    id: "stream",
    title: "stream chat, 64 chunks",
    upstream: { TOKENS: "64" },
    runs: [
      { target: "llmgate", gateway: "llmgate", path: "/v1/chat/completions", body: openai(true) },
      { target: "seed-go-proxy", gateway: "seed", path: "/v1/chat/completions", body: ollama(true) },
      { target: "node floor", gateway: "node", path: "/v1/chat/completions", body: ollama(true) },
      { target: "direct", gateway: "none", path: "/api/chat", body: ollama(true) },
    ],
  },
  {
    id: "native",
    title: "native /api/chat stream, 64",
    upstream: { TOKENS: "64" },
    runs: [
      { target: "llmgate", gateway: "llmgate", path: "/api/chat", body: ollama(true) },
      // The seed serves only /v1/; its /v1/chat/completions is a byte-for-byte /api/chat passthrough.
      { target: "seed-go-proxy", gateway: "seed", path: "/v1/chat/completions", body: ollama(true) },
      { target: "node floor", gateway: "node", path: "/v1/chat/completions", body: ollama(true) },
      { target: "direct", gateway: "none", path: "/api/chat", body: ollama(true) },
    ],
  },
  {
    id: "slow",
    title: `${SLOW_STREAMS} slow streams (${SLOW_TOKENS}×${SLOW_DELAY_MS} ms)`,
    upstream: { TOKENS: String(SLOW_TOKENS), DELAY_US: String(SLOW_DELAY_MS * 1000) },
    connections: SLOW_STREAMS,
    seconds: SLOW_SECONDS,
    rounds: SLOW_ROUNDS,
    warmup: 0,
    timeout: "60s",
    runs: [
      { target: "llmgate /v1 SSE", gateway: "llmgate", path: "/v1/chat/completions", body: openai(true) },
      { target: "llmgate /api/chat", gateway: "llmgate", path: "/api/chat", body: ollama(true) },
      { target: "seed-go-proxy", gateway: "seed", path: "/v1/chat/completions", body: ollama(true) },
      { target: "node floor", gateway: "node", path: "/v1/chat/completions", body: ollama(true) },
    ],
  },
];

if (COMPARE_CLI)
  for (const w of WORKLOADS)
    w.runs = w.runs.flatMap((r) =>
      r.gateway === "llmgate" ? [r, { ...r, target: `${r.target} B`, gateway: "compare" }] : [r],
    );

async function startUpstream(extraEnv) {
  const port = await freePort();
  const child = start("fast-upstream", join(ANCHORS, "fast-upstream"), [], {
    env: { LISTEN: `127.0.0.1:${port}`, ...extraEnv },
    log: LOG,
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/api/version`, child);
  return { child, url };
}

async function startGateway(kind, upstreamUrl) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child;
  if (kind === "llmgate" || kind === "compare") {
    const args = [
      ...LLMGATE_NODE_ARGS,
      kind === "compare" ? COMPARE_CLI : LLMGATE_CLI,
      "serve",
      "--listen",
      `127.0.0.1:${port}`,
      "--upstream",
      upstreamUrl,
      ...LLMGATE_ARGS,
    ];
    child = start("llmgate", process.execPath, args, { log: LOG });
    await waitForHttp(`${url}/healthz`, child);
  } else if (kind === "node") {
    child = start("node-floor", process.execPath, [join(ROOT, "bench/node-floor.mjs")], {
      env: { LISTEN: `127.0.0.1:${port}`, UPSTREAM: upstreamUrl },
      log: LOG,
    });
    await waitForHttp(`${url}/api/version`, child);
  } else {
    child = start("seed-go-proxy", join(ANCHORS, "seed-go-proxy"), [], {
      env: { LISTEN: `127.0.0.1:${port}`, UPSTREAM: upstreamUrl },
      log: LOG,
    });
    await waitForHttp(`${url}/metrics`, child);
  }
  return { child, url };
}

const mb = (bytes) => bytes / 1024 / 1024;

/** Other work on the machine beyond this share of one core, on average, is flagged next to a measurement. */
const DISTURBED = 0.15;

async function quiet() {
  if (quietBudgetMs <= 0) return;
  const waited = await waitForQuiet(quietBudgetMs);
  quietBudgetMs -= Math.max(0, waited);
  if (waited > 0) process.stderr.write(`  (waited ${(waited / 1000).toFixed(0)} s for other work to stop)\n`);
}

/** One measurement of one target on a fresh gateway: warm-up, then the measured wrk run watched through /proc. */
async function measure(w, r, upstream) {
  const gw = r.gateway === "none" ? undefined : await startGateway(r.gateway, upstream.url);
  try {
    const url = `${gw ? gw.url : upstream.url}${r.path}`;
    const load = {
      url,
      body: r.body,
      connections: w.connections ?? CONNECTIONS,
      timeout: w.timeout ?? "10s",
    };
    await quiet();
    const warmup = w.warmup ?? WARMUP;
    if (warmup > 0) await wrk({ ...load, seconds: warmup });
    const done = watch([upstream.child.pid, ...(gw ? [gw.child.pid] : [])]);
    const result = await wrk({ ...load, seconds: w.seconds ?? SECONDS });
    const { processes, otherCpuSeconds } = done();
    const [up, gateway] = processes;
    return {
      ...result,
      gatewayCpuSeconds: gateway?.cpuSeconds,
      gatewayPeakRssMB: gateway ? mb(gateway.peakRssBytes) : undefined,
      upstreamCpuSeconds: up.cpuSeconds,
      upstreamPeakRssMB: mb(up.peakRssBytes),
      otherCpuSeconds,
    };
  } finally {
    if (gw) await stop(gw.child);
  }
}

function describe(w, r, m, round) {
  return (
    `  ${w.title} · ${r.target} · round ${round + 1}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50Ms.toFixed(2)} ms, p99 ${m.p99Ms.toFixed(2)} ms` +
    `${m.gatewayCpuSeconds !== undefined ? `, CPU ${m.gatewayCpuSeconds.toFixed(2)} s, peak RSS ${m.gatewayPeakRssMB.toFixed(1)} MB` : ""}` +
    `${m.errors ? `, ${m.errors} errors ${JSON.stringify(m.errorKinds)}` : ""}` +
    `${m.otherCpuSeconds > DISTURBED * m.seconds ? `, other work on the machine: ${m.otherCpuSeconds.toFixed(1)} CPU s` : ""}\n`
  );
}

const median = (values) => {
  const v = values.filter((x) => x !== undefined).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
};

const MEDIAN_FIELDS = [
  "rps",
  "p50Ms",
  "p90Ms",
  "p99Ms",
  "maxMs",
  "meanMs",
  "gatewayCpuSeconds",
  "gatewayPeakRssMB",
  "upstreamCpuSeconds",
  "upstreamPeakRssMB",
  "otherCpuSeconds",
];

/**
 * Runs each target of a workload in rounds, the targets interleaved and their order rotated each round, so that
 * other work on a shared machine falls on all of them alike; each figure is the median over the rounds (errors:
 * the sum). The rounds themselves are kept in the results.
 */
async function runWorkload(w) {
  const upstream = await startUpstream(w.upstream);
  const targetOf = (r) => (r.gateway === "none" ? "direct" : r.gateway === "compare" ? "llmgate" : r.gateway);
  const runs = w.runs.filter((r) => !TARGETS || TARGETS.has(targetOf(r)));
  const rounds = runs.map(() => []);
  try {
    const n = w.rounds ?? ROUNDS;
    for (let round = 0; round < n; round++) {
      for (let k = 0; k < runs.length; k++) {
        const i = (k + round) % runs.length;
        const r = runs[i];
        const m = await measure(w, r, upstream);
        rounds[i].push(m);
        process.stderr.write(describe(w, r, m, round));
      }
    }
  } finally {
    await stop(upstream.child);
  }
  return runs.map((r, i) => {
    const ms = rounds[i];
    const row = {
      workload: w.id,
      title: w.title,
      target: r.target,
      gateway: r.gateway,
      path: r.path,
      rounds: ms,
      requests: ms.reduce((a, m) => a + m.requests, 0),
      errors: ms.reduce((a, m) => a + m.errors, 0),
      seconds: median(ms.map((m) => m.seconds)),
    };
    for (const f of MEDIAN_FIELDS) row[f] = median(ms.map((m) => m[f]));
    return row;
  });
}

/** Counts the samples of a Prometheus text exposition. */
function countSeries(text) {
  let n = 0;
  for (const line of text.split("\n")) if (line !== "" && !line.startsWith("#")) n++;
  return n;
}

async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

const quantiles = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? 0;
  return { p50: at(0.5), p99: at(0.99), max: s.at(-1) ?? 0, n: s.length };
};

/**
 * Scrape cost through HTTP: fill llmgate with series by serving requests for many models (each model the
 * upstream serves is learned, up to the poller's cap), time GET /metrics, and measure the longest gap between
 * chunks of streams in flight with and without scrapes running.
 */
async function runScrape() {
  const upstream = await startUpstream({ TOKENS: "64", DELAY_US: "5000" });
  const gw = await startGateway("llmgate", upstream.url);
  const agent = new Agent({ connections: 64 });
  try {
    const post = async (path, body) => {
      const res = await request(`${gw.url}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        dispatcher: agent,
      });
      await res.body.dump();
    };
    const scrape = async (accept) => {
      const res = await request(`${gw.url}/metrics`, {
        headers: accept ? { accept } : {},
        dispatcher: agent,
      });
      return res.body.text();
    };
    let models = 0;
    let series = countSeries(await scrape());
    while (series < 10_000 && models < 300) {
      const batch = [];
      for (let i = 0; i < 8; i++) {
        const model = `bench-model-${String(models++).padStart(3, "0")}`;
        batch.push(
          post("/v1/chat/completions", {
            model,
            messages: MESSAGES,
            stream: true,
            stream_options: { include_usage: true },
          }),
          post("/v1/chat/completions", { model, messages: MESSAGES }),
          post("/api/chat", { model, messages: MESSAGES, stream: true }),
          post("/v1/chat/completions", { model, messages: [] }),
        );
      }
      await Promise.all(batch);
      series = countSeries(await scrape());
    }
    process.stderr.write(`  llmgate holds ${series} series after requests for ${models} models\n`);

    await quiet();
    const text = [];
    const om = [];
    let bytes = 0;
    for (let i = 0; i < 3; i++) await scrape();
    for (let i = 0; i < 20; i++) {
      const t = await timed(() => scrape());
      text.push(t.ms);
      bytes = Buffer.byteLength(t.value);
    }
    for (let i = 0; i < 20; i++)
      om.push((await timed(() => scrape("application/openmetrics-text; version=1.0.0"))).ms);

    // Streams in flight while /metrics is scraped every 200 ms: for each scrape, the longest chunk gap that
    // overlaps it; as control, the same for windows of the same length 100 ms later (between two scrapes).
    const now = () => performance.timeOrigin + performance.now();
    const windows = [];
    let scraping = true;
    const scraper = (async () => {
      await new Promise((r) => setTimeout(r, 500));
      while (scraping) {
        const start = now();
        await scrape();
        windows.push([start, now()]);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const watcher = watch([gw.child.pid]);
    const probe = JSON.parse(
      await run(process.execPath, [join(ROOT, "bench/stream-probe.mjs"), gw.url, "16", "6"]),
    );
    scraping = false;
    await scraper;
    const { otherCpuSeconds } = watcher();
    const longestGap = ([s, e]) => {
      let max = 0;
      for (const [end, gap] of probe.gaps) if (end - gap <= e && end >= s && gap > max) max = gap;
      return max;
    };
    const during = windows.map(longestGap);
    const control = windows.map(([s, e]) => longestGap([s + 100, e + 100]));
    const result = {
      series,
      models,
      bytes,
      scrapeMs: {
        prometheus: quantiles(text),
        openmetrics: quantiles(om),
        underLoad: quantiles(windows.map(([s, e]) => e - s)),
      },
      stallMs: {
        duringScrapes: quantiles(during),
        betweenScrapes: quantiles(control),
        upstreamPacingMs: 5,
        streams: probe.streams,
        chunks: probe.chunks,
        otherCpuSeconds,
      },
    };
    process.stderr.write(
      `  GET /metrics (${series} series, ${(bytes / 1024).toFixed(0)} KiB): p50 ${result.scrapeMs.prometheus.p50.toFixed(1)} ms, ` +
        `max ${result.scrapeMs.prometheus.max.toFixed(1)} ms; longest chunk gap of streams in flight during ${windows.length} scrapes: ` +
        `p50 ${result.stallMs.duringScrapes.p50.toFixed(1)} ms, max ${result.stallMs.duringScrapes.max.toFixed(1)} ms ` +
        `(between scrapes: p50 ${result.stallMs.betweenScrapes.p50.toFixed(1)} ms, max ${result.stallMs.betweenScrapes.max.toFixed(1)} ms)\n`,
    );
    return result;
  } finally {
    await agent.close();
    await stop(gw.child);
    await stop(upstream.child);
  }
}

async function main() {
  const started = Date.now();
  const rows = [];
  process.stderr.write(`bench: logs and pids in ${WORK}\n`);
  const load = Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);
  if (load > 0.5)
    process.stderr.write(
      `bench: warning: load average ${load} at the start: other work on the machine skews figures\n`,
    );
  for (const w of WORKLOADS) {
    if (ONLY && !ONLY.has(w.id)) continue;
    process.stderr.write(`${w.title}\n`);
    rows.push(...(await runWorkload(w)));
  }
  let scrape;
  let render;
  if (!ONLY || ONLY.has("scrape")) {
    process.stderr.write("scrape cost\n");
    scrape = await runScrape();
    render = JSON.parse(await run(process.execPath, [join(ROOT, "bench/render-metrics.mjs"), "10000", "30"]));
    process.stderr.write(
      `  renderMetrics in-process, ${render.series} series: p50 ${render.formats.prometheus.p50Ms.toFixed(1)} ms, ` +
        `p99 ${render.formats.prometheus.p99Ms.toFixed(1)} ms\n`,
    );
  }
  const results = {
    date: new Date().toISOString(),
    durationSeconds: (Date.now() - started) / 1000,
    machine: await machine(),
    settings: {
      llmgateArgs: LLMGATE_ARGS,
      llmgateNodeArgs: LLMGATE_NODE_ARGS,
      llmgateCli: LLMGATE_CLI,
      seconds: SECONDS,
      rounds: ROUNDS,
      warmup: WARMUP,
      connections: CONNECTIONS,
      slowStreams: SLOW_STREAMS,
      slowSeconds: SLOW_SECONDS,
      slowRounds: SLOW_ROUNDS,
      slowTokens: SLOW_TOKENS,
      slowDelayMs: SLOW_DELAY_MS,
    },
    rows,
    scrape,
    render,
  };
  writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  printReport(results);
  process.stdout.write(`\nraw results: ${OUT}\n`);
}

async function machine() {
  const text = async (cmd, args) => (await run(cmd, args).catch(() => "")).trim();
  return {
    node: process.version,
    loadAverage: readFileSync("/proc/loadavg", "utf8").trim(),
    cpus: (await text("nproc", [])) || undefined,
    kernel: await text("uname", ["-r"]),
    cpuModel: (await text("sh", ["-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"])) || undefined,
    wrk: (await text("sh", ["-c", "wrk -v 2>&1 | head -1"])) || undefined,
    commit: (await text("git", ["-C", ROOT, "rev-parse", "--short", "HEAD"])) || undefined,
    dirty: (await text("git", ["-C", ROOT, "status", "--porcelain", "--", "src"])) !== "",
  };
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"])
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
process.on("exit", killAll);
try {
  await main();
} catch (err) {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\nlogs: ${LOG}\n`);
  process.exitCode = 1;
} finally {
  killAll();
}
