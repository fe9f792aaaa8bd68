#!/usr/bin/env node
// Soak: mixed traffic (streams, plain answers, native API, embeddings, upstream faults, client aborts) through
// `llmgate serve` in front of `llmgate simulate` for a set time, sampling the gateway's resident memory.
//
//   npm run build && node bench/soak.mjs [--duration 60s] [--warmup 5s] [--concurrency 24] [--max-growth 1.5]
//
// Prints requests by outcome (as the clients saw them and as /metrics counted them), RSS at the start (after the
// warm-up), peak and end, growth and growth ratio, heap, and the RSS trend. Exits 1 when end/start RSS exceeds
// --max-growth, or when any request ended other than expected or the gateway's counts disagree with the clients'.

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

// ---------------------------------------------------------------------------------------------------------------
// Options

const USAGE = `usage: node bench/soak.mjs [--duration 60s] [--warmup 5s] [--concurrency 24] [--max-growth 1.5]
  --duration     measured traffic time, after the warm-up (500ms, 30s, 2m; bare number = seconds)
  --warmup       traffic before the start RSS is taken (lets caches, pools and the JIT settle)
  --concurrency  clients running requests in a loop
  --max-growth   largest acceptable end RSS / start RSS; above it the exit code is 1`;

function parseDuration(text, flag) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(text).trim());
  if (!m) fail(`${flag}: expected a duration such as 500ms, 30s or 2m, got ${JSON.stringify(text)}`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? "s"];
  return Number(m[1]) * unit;
}

function parseArgs(argv) {
  const opts = { durationMs: 60_000, warmupMs: 5000, concurrency: 24, maxGrowth: 1.5 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i] ?? fail(`${flag} needs a value`);
    switch (flag) {
      case "--duration":
        opts.durationMs = parseDuration(value(), flag);
        break;
      case "--warmup":
        opts.warmupMs = parseDuration(value(), flag);
        break;
      case "--concurrency":
        opts.concurrency = Number(value());
        if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1)
          fail(`${flag}: expected an integer >= 1`);
        break;
      case "--max-growth":
        opts.maxGrowth = Number(value());
        if (!(opts.maxGrowth >= 1)) fail(`${flag}: expected a ratio >= 1, such as 1.5`);
        break;
      case "-h":
      case "--help":
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        fail(`unknown option ${flag}\n${USAGE}`);
    }
  }
  return opts;
}

function fail(message) {
  process.stderr.write(`soak: ${message}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------------------------
// Processes

const children = new Set();

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `node dist/cli.js <args>`; counts its log lines by level, keeps the last error lines. */
function startCli(name, args) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const proc = { name, child, levels: {}, errors: [], stderr: "" };
  let buffer = "";
  child.stdout.setEncoding("utf8").on("data", (text) => {
    buffer += text;
    for (let nl = buffer.indexOf("\n"); nl !== -1; nl = buffer.indexOf("\n")) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      try {
        const { level, msg } = JSON.parse(line);
        proc.levels[level] = (proc.levels[level] ?? 0) + 1;
        if (level >= 50) proc.errors.push(String(msg));
        if (proc.errors.length > 5) proc.errors.shift();
      } catch {
        // not a log line
      }
    }
  });
  child.stderr.setEncoding("utf8").on("data", (text) => {
    proc.stderr = (proc.stderr + text).slice(-4000);
  });
  child.on("exit", (code, signal) => {
    children.delete(child);
    proc.exit = { code, signal };
  });
  children.add(child);
  return proc;
}

function killChildren() {
  for (const child of children) child.kill("SIGKILL");
}
process.on("exit", killChildren);
for (const signal of ["SIGINT", "SIGTERM"])
  process.on(signal, () => {
    killChildren();
    process.exit(130);
  });

async function waitForHttp(url, proc, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (proc.exit) fail(`${proc.name} exited (${JSON.stringify(proc.exit)}): ${proc.stderr}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline)
      fail(`${proc.name} did not answer ${url} within ${timeoutMs} ms: ${proc.stderr}`);
    await sleep(50);
  }
}

/** VmRSS of a process in bytes, from /proc (Linux). */
function rssOf(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
  return kb ? Number(kb[1]) * 1024 : Number.NaN;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---------------------------------------------------------------------------------------------------------------
// Traffic: each scenario sends one request and says how it ended; `expect` is the outcome the gateway should log.

const MODEL = "qwen3:32b";
const EMBED = "nomic-embed-text";

function chat(content, extra = {}) {
  return JSON.stringify({ model: MODEL, messages: [{ role: "user", content }], ...extra });
}

function tokens() {
  return 20 + Math.floor(Math.random() * 180);
}

/** SSE `data:` payloads of a complete body. */
function sseData(text) {
  return text
    .split("\n\n")
    .filter((f) => f.startsWith("data: "))
    .map((f) => f.slice(6));
}

async function post(base, path, body, signal) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    ...(signal ? { signal } : {}),
  });
}

/** Reads `n` chunks of a streaming body, then aborts. */
async function readThenAbort(res, abort, n) {
  const reader = res.body.getReader();
  for (let i = 0; i < n; i++) if ((await reader.read()).done) return "ended early";
  abort.abort();
  await reader.read().catch(() => undefined);
  return "aborted";
}

const SCENARIOS = [
  {
    name: "chat stream",
    weight: 30,
    expect: "completed",
    async run(base) {
      const res = await post(
        base,
        "/v1/chat/completions",
        chat(`story [sim:tokens=${tokens()}]`, { stream: true, stream_options: { include_usage: true } }),
      );
      const frames = sseData(await res.text());
      return res.status === 200 && frames.at(-1) === "[DONE]" ? "completed" : `status ${res.status}`;
    },
  },
  {
    name: "chat",
    weight: 14,
    expect: "completed",
    async run(base) {
      const res = await post(base, "/v1/chat/completions", chat(`hi [sim:tokens=${tokens()}]`));
      const json = await res.json();
      return res.status === 200 && json.choices?.[0]?.message ? "completed" : `status ${res.status}`;
    },
  },
  {
    name: "completion stream",
    weight: 5,
    expect: "completed",
    async run(base) {
      const res = await post(
        base,
        "/v1/completions",
        JSON.stringify({ model: MODEL, prompt: `once [sim:tokens=${tokens()}]`, stream: true }),
      );
      return res.status === 200 && sseData(await res.text()).at(-1) === "[DONE]"
        ? "completed"
        : `status ${res.status}`;
    },
  },
  {
    name: "native chat stream",
    weight: 10,
    expect: "completed",
    async run(base) {
      const res = await post(base, "/api/chat", chat(`hey [sim:tokens=${tokens()}]`));
      const last = (await res.text()).trim().split("\n").at(-1) ?? "";
      return res.status === 200 && JSON.parse(last).done === true ? "completed" : `status ${res.status}`;
    },
  },
  {
    name: "native generate",
    weight: 5,
    expect: "completed",
    async run(base) {
      const res = await post(
        base,
        "/api/generate",
        JSON.stringify({ model: MODEL, prompt: `go [sim:tokens=${tokens()}]`, stream: false }),
      );
      const json = await res.json();
      return res.status === 200 && json.done === true ? "completed" : `status ${res.status}`;
    },
  },
  {
    name: "embeddings",
    weight: 10,
    expect: "completed",
    async run(base) {
      const input = Array.from({ length: 1 + Math.floor(Math.random() * 8) }, (_, i) => `text number ${i}`);
      const res = await post(base, "/v1/embeddings", JSON.stringify({ model: EMBED, input }));
      const json = await res.json();
      return res.status === 200 && json.data?.length === input.length ? "completed" : `status ${res.status}`;
    },
  },
  {
    name: "models",
    weight: 3,
    expect: "completed",
    async run(base) {
      const res = await fetch(`${base}/v1/models`);
      await res.arrayBuffer();
      return res.status === 200 ? "completed" : `status ${res.status}`;
    },
  },
  {
    name: "upstream 500",
    weight: 3,
    expect: "upstream_error",
    async run(base) {
      const res = await post(base, "/v1/chat/completions", chat("x [sim:fail]", { stream: true }));
      const json = await res.json();
      return res.status === 502 && json.error?.code === "upstream_http_error"
        ? "upstream_error"
        : `status ${res.status}`;
    },
  },
  {
    name: "upstream fails mid-stream",
    weight: 3,
    expect: "upstream_error",
    async run(base) {
      const res = await post(base, "/v1/chat/completions", chat("x [sim:midstream-fail]", { stream: true }));
      const last = sseData(await res.text()).at(-1) ?? "";
      return last.includes("upstream_stream_error") ? "upstream_error" : `status ${res.status}`;
    },
  },
  {
    name: "upstream silent mid-stream",
    weight: 1,
    expect: "timeout",
    async run(base) {
      const res = await post(base, "/v1/chat/completions", chat("x [sim:hang-after=3]", { stream: true }));
      const last = sseData(await res.text()).at(-1) ?? "";
      return last.includes("upstream_idle_timeout") ? "timeout" : `status ${res.status}`;
    },
  },
  {
    name: "upstream hangs",
    weight: 1,
    expect: "timeout",
    async run(base) {
      const res = await post(base, "/v1/chat/completions", chat("x [sim:hang]"));
      await res.arrayBuffer();
      return res.status === 504 ? "timeout" : `status ${res.status}`;
    },
  },
  {
    name: "client aborts mid-stream",
    weight: 6,
    expect: "client_abort",
    async run(base) {
      const abort = new AbortController();
      const res = await post(
        base,
        "/v1/chat/completions",
        chat("long [sim:tokens=2000]", { stream: true }),
        abort.signal,
      );
      return (await readThenAbort(res, abort, 1 + Math.floor(Math.random() * 3))) === "aborted"
        ? "client_abort"
        : "ended early";
    },
  },
  {
    name: "client aborts before the first byte",
    weight: 2,
    expect: "client_abort",
    async run(base) {
      const abort = new AbortController();
      const pending = post(base, "/v1/chat/completions", chat("x [sim:delay-ms=800]"), abort.signal);
      await sleep(50);
      abort.abort();
      try {
        const res = await pending;
        await res.arrayBuffer();
        return `status ${res.status}`;
      } catch {
        return "client_abort";
      }
    },
  },
  {
    name: "invalid request",
    weight: 4,
    expect: "rejected",
    async run(base) {
      const bad = Math.random() < 0.5 ? "{not json" : JSON.stringify({ model: MODEL, messages: "nope" });
      const res = await post(base, "/v1/chat/completions", bad);
      const json = await res.json();
      return res.status === 400 && json.error?.code ? "rejected" : `status ${res.status}`;
    },
  },
  {
    name: "unknown model",
    weight: 3,
    expect: "rejected",
    async run(base) {
      const res = await post(
        base,
        "/v1/chat/completions",
        JSON.stringify({ model: "ghost:1b", messages: [{ role: "user", content: "x" }] }),
      );
      await res.arrayBuffer();
      return res.status === 404 ? "rejected" : `status ${res.status}`;
    },
  },
];

const TOTAL_WEIGHT = SCENARIOS.reduce((a, s) => a + s.weight, 0);

function pick() {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const s of SCENARIOS) {
    r -= s.weight;
    if (r < 0) return s;
  }
  return SCENARIOS[0];
}

// ---------------------------------------------------------------------------------------------------------------
// Metrics

async function scrape(base) {
  const text = await (await fetch(`${base}/metrics`)).text();
  const samples = [];
  for (const line of text.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    for (const l of (m[2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]] = l[2];
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return {
    sum(name, match = {}) {
      return samples
        .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
        .reduce((a, s) => a + s.value, 0);
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Statistics and report

const MB = 1024 * 1024;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : sorted[Math.floor(sorted.length / 2)];
}

/** Least-squares slope of y over t, per minute. */
function slopePerMinute(points) {
  const n = points.length;
  if (n < 2) return 0;
  const mt = points.reduce((a, p) => a + p.t, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - mt) * (p.y - my);
    den += (p.t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60_000;
}

const mb = (bytes) => `${(bytes / MB).toFixed(1)} MB`;

// ---------------------------------------------------------------------------------------------------------------
// Main

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(CLI)) fail(`${CLI} is missing: run \`npm run build\` first`);

  const simPort = await freePort();
  const sim = startCli("simulator", [
    "simulate",
    "--listen",
    `127.0.0.1:${simPort}`,
    "--model",
    MODEL,
    "--model",
    EMBED,
    "--decode-tps",
    "1500",
    "--prefill-tps",
    "20000",
    "--load-ms",
    "200",
    "--parallel",
    "16",
    "--log-level",
    "warn",
  ]);
  const simUrl = `http://127.0.0.1:${simPort}`;
  await waitForHttp(`${simUrl}/api/version`, sim);

  const gwPort = await freePort();
  const gw = startCli("gateway", [
    "serve",
    "--listen",
    `127.0.0.1:${gwPort}`,
    "--upstream",
    simUrl,
    "--max-concurrency",
    "16",
    "--max-queue",
    "64",
    "--queue-timeout",
    "30s",
    "--first-byte-timeout",
    "1s",
    "--idle-timeout",
    "1s",
    "--poll-interval",
    "2s",
    "--log-level",
    "warn",
  ]);
  const base = `http://127.0.0.1:${gwPort}`;
  await waitForHttp(`${base}/readyz`, gw);
  const pid = gw.child.pid;

  process.stdout.write(
    `soak: gateway pid ${pid} on ${base}, simulator on ${simUrl}; ${opts.concurrency} clients, ` +
      `warm-up ${opts.warmupMs / 1000} s, then ${opts.durationMs / 1000} s measured\n`,
  );

  // Counters before the traffic (the readiness probe above is a request too), to compare differences.
  const baseline = await scrape(base);

  // Clients loop until told to stop; every result is tallied by scenario.
  const tally = new Map(SCENARIOS.map((s) => [s.name, { sent: 0, ok: 0, unexpected: {} }]));
  const byOutcome = {};
  let stop = false;
  let sent = 0;
  const client = async () => {
    while (!stop) {
      const scenario = pick();
      const t = tally.get(scenario.name);
      t.sent++;
      sent++;
      let result;
      try {
        result = await scenario.run(base);
      } catch (err) {
        result = `error: ${err?.cause?.code ?? err?.message ?? err}`;
      }
      if (result === scenario.expect) {
        t.ok++;
        byOutcome[result] = (byOutcome[result] ?? 0) + 1;
      } else {
        t.unexpected[result] = (t.unexpected[result] ?? 0) + 1;
        byOutcome.unexpected = (byOutcome.unexpected ?? 0) + 1;
      }
    }
  };
  const clients = Array.from({ length: opts.concurrency }, client);

  // Samples every second: the gateway's RSS from /proc and its heap from /metrics.
  const t0 = Date.now();
  const samples = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      try {
        const m = await scrape(base);
        samples.push({
          t: Date.now() - t0,
          rss: rssOf(pid),
          heap: m.sum("llmgate_nodejs_heap_size_used_bytes"),
          inflight: m.sum("llmgate_requests_in_flight"),
          sent,
        });
      } catch (err) {
        samples.push({ t: Date.now() - t0, rss: rssOf(pid), heap: Number.NaN, error: String(err), sent });
      }
      await sleep(1000);
    }
  })();

  const progressEvery = Math.max(10_000, Math.round(opts.durationMs / 6 / 1000) * 1000);
  let nextProgress = opts.warmupMs + progressEvery;
  while (Date.now() - t0 < opts.warmupMs + opts.durationMs) {
    await sleep(250);
    const elapsed = Date.now() - t0;
    if (elapsed >= nextProgress) {
      const last = samples.at(-1);
      process.stdout.write(
        `  +${Math.round((elapsed - opts.warmupMs) / 1000)} s: ${sent} requests, RSS ${mb(last?.rss ?? 0)}, heap ${mb(last?.heap ?? 0)}\n`,
      );
      nextProgress += progressEvery;
    }
  }
  stop = true;
  await Promise.all(clients);
  sampling = false;
  await sampler;
  const wallS = (Date.now() - t0) / 1000;

  // Let aborted requests settle on the gateway, then compare its counts with the clients'.
  let m = await scrape(base);
  for (let i = 0; i < 50 && m.sum("llmgate_requests_in_flight") > 0; i++) {
    await sleep(100);
    m = await scrape(base);
  }
  const measured = samples.filter((s) => s.t >= opts.warmupMs && Number.isFinite(s.rss));
  if (measured.length < 3) fail("too few samples; use a longer --duration");
  const window = Math.min(5, Math.max(1, Math.floor(measured.length / 4)));
  const start = median(measured.slice(0, window).map((s) => s.rss));
  const end = median(measured.slice(-window).map((s) => s.rss));
  const peak = Math.max(...measured.map((s) => s.rss));
  const heapStart = median(measured.slice(0, window).map((s) => s.heap));
  const heapEnd = median(measured.slice(-window).map((s) => s.heap));
  const heapPeak = Math.max(...measured.map((s) => s.heap).filter(Number.isFinite));
  const ratio = end / start;
  const rssSlope = slopePerMinute(measured.map((s) => ({ t: s.t, y: s.rss })));
  const heapSlope = slopePerMinute(
    measured.filter((s) => Number.isFinite(s.heap)).map((s) => ({ t: s.t, y: s.heap })),
  );
  const measuredRequests = (measured.at(-1)?.sent ?? sent) - (measured[0]?.sent ?? 0);

  const gatewayOutcomes = {};
  for (const o of [
    "completed",
    "rejected",
    "upstream_error",
    "timeout",
    "client_abort",
    "shutdown",
    "internal_error",
  ])
    gatewayOutcomes[o] =
      m.sum("llmgate_request_outcomes_total", { outcome: o }) -
      baseline.sum("llmgate_request_outcomes_total", { outcome: o });
  const gatewayTotal = Object.values(gatewayOutcomes).reduce((a, b) => a + b, 0);
  const unexpected = byOutcome.unexpected ?? 0;
  const mismatches = ["completed", "rejected", "upstream_error", "timeout", "client_abort"].filter(
    (o) => (byOutcome[o] ?? 0) !== gatewayOutcomes[o],
  );

  const out = [];
  const line = (s = "") => out.push(s);
  line();
  line(
    `soak report: ${sent} requests in ${wallS.toFixed(0)} s (${(sent / wallS).toFixed(0)}/s), ${opts.concurrency} clients`,
  );
  line();
  line("requests by outcome       clients   /metrics");
  for (const o of [
    "completed",
    "rejected",
    "upstream_error",
    "timeout",
    "client_abort",
    "shutdown",
    "internal_error",
  ])
    line(
      `  ${o.padEnd(22)} ${String(byOutcome[o] ?? 0).padStart(8)} ${String(gatewayOutcomes[o]).padStart(10)}`,
    );
  line(`  ${"unexpected".padEnd(22)} ${String(unexpected).padStart(8)}`);
  line(`  ${"total".padEnd(22)} ${String(sent).padStart(8)} ${String(gatewayTotal).padStart(10)}`);
  line();
  line("by scenario                              sent   as expected");
  for (const s of SCENARIOS) {
    const t = tally.get(s.name);
    const odd = Object.keys(t.unexpected).length ? `  unexpected: ${JSON.stringify(t.unexpected)}` : "";
    line(`  ${s.name.padEnd(38)} ${String(t.sent).padStart(6)} ${String(t.ok).padStart(8)}${odd}`);
  }
  line();
  line(
    `gateway memory (pid ${pid}, ${measured.length} samples over ${(opts.durationMs / 1000).toFixed(0)} s, ${measuredRequests} requests after warm-up)`,
  );
  line(
    `  RSS   start ${mb(start)}  peak ${mb(peak)}  end ${mb(end)}  growth ${mb(end - start)}  ratio ${ratio.toFixed(3)}  trend ${(rssSlope / MB).toFixed(2)} MB/min`,
  );
  line(
    `  heap  start ${mb(heapStart)}  peak ${mb(heapPeak)}  end ${mb(heapEnd)}  growth ${mb(heapEnd - heapStart)}  trend ${(heapSlope / MB).toFixed(2)} MB/min`,
  );
  line(
    `  (start and end are medians of the first and last ${window} samples; threshold end/start <= ${opts.maxGrowth})`,
  );
  line();
  const gwLogs = Object.entries(gw.levels)
    .map(([level, n]) => `${{ 30: "info", 40: "warn", 50: "error", 60: "fatal" }[level] ?? level}=${n}`)
    .join(" ");
  line(
    `gateway log lines: ${gwLogs || "none"}${gw.errors.length ? `; last errors: ${gw.errors.join(" | ")}` : ""}`,
  );

  const failures = [];
  if (ratio > opts.maxGrowth) failures.push(`RSS grew ${ratio.toFixed(3)}x (limit ${opts.maxGrowth}x)`);
  if (unexpected > 0) failures.push(`${unexpected} requests ended other than expected`);
  if (gatewayTotal !== sent)
    failures.push(`the gateway counted ${gatewayTotal} requests, the clients sent ${sent}`);
  if (mismatches.length) failures.push(`outcome counts differ from /metrics for ${mismatches.join(", ")}`);
  if (gatewayOutcomes.internal_error > 0) failures.push(`${gatewayOutcomes.internal_error} internal errors`);
  if (gw.exit) failures.push(`the gateway exited: ${JSON.stringify(gw.exit)}`);
  line(failures.length ? `FAIL: ${failures.join("; ")}` : "PASS");
  process.stdout.write(`${out.join("\n")}\n`);

  gw.child.kill("SIGTERM");
  sim.child.kill("SIGTERM");
  await sleep(200);
  process.exit(failures.length ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`soak: ${err?.stack ?? err}\n`);
  process.exit(2);
});
