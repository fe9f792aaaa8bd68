#!/usr/bin/env node
// Summarises V8 .cpuprofile files (node --cpu-prof): top self-time functions, time by area, inclusive time in dist/.
// Usage: node bench/profile-summary.mjs FILE.cpuprofile [...]   (several files are merged)

import { readFileSync } from "node:fs";

/** The area a frame belongs to; undefined for native frames, which count towards their caller's area. */
function area(frame) {
  const { url, functionName } = frame;
  if (functionName === "(garbage collector)") return "GC";
  if (functionName === "(idle)") return "idle";
  if (functionName === "(program)") return "V8/native, unattributed (program)";
  if (functionName === "(root)") return "other";
  if (!url)
    return functionName === "parse" || functionName === "stringify" ? "JSON.parse/stringify" : undefined;
  if (url.includes("/node_modules/undici/")) return "undici (upstream client)";
  if (url.includes("/node_modules/prom-client/") || url.includes("/dist/metrics/"))
    return "metrics (prom-client)";
  if (
    /\/node_modules\/(pino|sonic-boom|thread-stream|fast-redact|quick-format)/.test(url) ||
    url.includes("/dist/log/")
  )
    return "logging (pino)";
  if (url.includes("/node_modules/zod/") || url.includes("/dist/openai/")) return "request validation (zod)";
  if (url.includes("/dist/translate/")) return "translation (dist/translate)";
  if (url.includes("/dist/dashboard/")) return "dashboard (dist/dashboard)";
  if (url.includes("/dist/")) return "gateway code (dist/http, admission, events, upstream)";
  if (url.startsWith("node:_http_")) return "node http (parser, server, outgoing)";
  if (
    url.startsWith("node:net") ||
    url.startsWith("node:internal/stream_base") ||
    url.includes("internal/net")
  )
    return "node net/socket";
  if (url.includes("internal/streams") || url.startsWith("node:stream")) return "node streams";
  if (
    url.includes("internal/webstreams") ||
    url.includes("internal/abort_controller") ||
    url.includes("event_target")
  )
    return "node AbortController/EventTarget";
  if (
    url.startsWith("node:events") ||
    url.includes("task_queues") ||
    url.includes("timers") ||
    url.includes("async_hooks")
  )
    return "node events/async/timers";
  if (url.startsWith("node:")) return "node other";
  return "other";
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stderr.write("usage: node bench/profile-summary.mjs FILE.cpuprofile [...]\n");
  process.exit(2);
}

const self = new Map(); // function key -> µs
const inclusive = new Map(); // function key (dist/ only) -> µs
const byArea = new Map();
let total = 0;
let idle = 0;

for (const file of files) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const areaOf = new Map();
  const resolveArea = (id) => {
    if (areaOf.has(id)) return areaOf.get(id);
    const node = nodes.get(id);
    let a = area(node.callFrame);
    if (a === undefined) a = parent.has(id) ? resolveArea(parent.get(id)) : "other";
    areaOf.set(id, a);
    return a;
  };
  const key = (f) =>
    `${f.functionName || "(anonymous)"} ${f.url.replace(/^.*\/(node_modules|dist)\//, "$1/")}:${f.lineNumber + 1}`;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = nodes.get(id);
    const a = resolveArea(id);
    if (a === "idle") {
      idle += dt;
      return;
    }
    total += dt;
    byArea.set(a, (byArea.get(a) ?? 0) + dt);
    const k = key(node.callFrame);
    self.set(k, (self.get(k) ?? 0) + dt);
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const f = nodes.get(cur).callFrame;
      if (!f.url.includes("/dist/")) continue;
      const ck = key(f);
      if (seen.has(ck)) continue;
      seen.add(ck);
      inclusive.set(ck, (inclusive.get(ck) ?? 0) + dt);
    }
  });
}

const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const ms = (us) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const top = (map, n) => [...map.entries()].sort((a, b) => b[1] - a[1]).slice(0, n);

process.stdout.write(
  `busy ${(total / 1e6).toFixed(2)} s, idle ${(idle / 1e6).toFixed(2)} s (${files.length} profile(s))\n\nTime by area (self time; native frames count towards their caller):\n`,
);
for (const [a, us] of top(byArea, 30)) process.stdout.write(`${pct(us)} ${ms(us)}  ${a}\n`);
process.stdout.write("\nTop self time:\n");
for (const [k, us] of top(self, 30)) process.stdout.write(`${pct(us)} ${ms(us)}  ${k}\n`);
process.stdout.write("\nInclusive time of llmgate's own functions (dist/):\n");
for (const [k, us] of top(inclusive, Number(process.env.PROFILE_TOP ?? 25)))
  process.stdout.write(`${pct(us)} ${ms(us)}  ${k}\n`);
