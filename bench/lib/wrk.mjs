// Runs wrk with bench/wrk/post.lua and returns its summary line as numbers.

import { fileURLToPath } from "node:url";
import { run } from "./procs.mjs";

const LUA = fileURLToPath(new URL("../wrk/post.lua", import.meta.url));

/**
 * POSTs `body` to `url` with `connections` keep-alive connections for `seconds`.
 * Returns requests/s, latency percentiles in ms and error counts; a non-2xx status is counted as an error.
 */
export async function wrk({ url, body, connections = 32, seconds = 8, threads = 1, timeout = "10s" }) {
  const stdout = await run(
    "wrk",
    [`-t${threads}`, `-c${connections}`, `-d${seconds}s`, "--timeout", timeout, "-s", LUA, url],
    { env: { WRK_BODY: body } },
  );
  const line = stdout.split("\n").find((l) => l.startsWith("BENCH_JSON "));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  const s = JSON.parse(line.slice("BENCH_JSON ".length));
  const errors = Object.values(s.errors).reduce((a, b) => a + b, 0);
  return {
    requests: s.requests,
    seconds: s.duration_us / 1e6,
    rps: s.requests / (s.duration_us / 1e6),
    p50Ms: s.latency_us.p50 / 1000,
    p90Ms: s.latency_us.p90 / 1000,
    p99Ms: s.latency_us.p99 / 1000,
    maxMs: s.latency_us.max / 1000,
    meanMs: s.latency_us.mean / 1000,
    bytes: s.bytes,
    errors,
    errorKinds: s.errors,
  };
}
