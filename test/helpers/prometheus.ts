// Runs a private Debian `/usr/bin/prometheus` (2.42 on bookworm) for integration tests and queries its HTTP API.
//
// Each instance gets its own temp dir (config + TSDB) and its own loopback port, so it never uses or collides
// with a system Prometheus the Debian package may have started on :9090. Every wait is bounded and its error
// carries the tail of Prometheus' log. Tests stop instances in afterAll; an instance outliving its test
// process is killed with it, and its dir removed then or by the next start (see the cleanup note below).

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { stringify } from "yaml";
import { z } from "zod";
import { freePort } from "./ports.js";

export const PROMETHEUS = "/usr/bin/prometheus";

export type Labels = Record<string, string>;
export interface PromSample {
  metric: Labels;
  /** Unix seconds. */
  timestamp: number;
  /** Parsed with Number(): "NaN" and "+Inf" become NaN and Infinity. */
  value: number;
}
export type PromVector = PromSample[];
export interface PromSeries {
  metric: Labels;
  values: { timestamp: number; value: number }[];
}
export type PromMatrix = PromSeries[];

export interface PrometheusInstance {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Holds prometheus.yml and `files`; rewrite files here, then reload(). */
  configDir: string;
  /** Instant query (`time` in Unix seconds, default now). A scalar result comes back as one unlabelled sample. */
  query(expr: string, time?: number): Promise<PromVector>;
  queryRange(expr: string, start: number, end: number, stepS: number): Promise<PromMatrix>;
  /** GET /api/v1/<path> and return `data`, e.g. api("query_exemplars", { query, start, end }). */
  api(path: string, params?: Record<string, string | number>): Promise<unknown>;
  /**
   * Resolves once at least one target is discovered and every active target's health is "up" (default timeout
   * 10 s). Prometheus 2.x hands discovered targets, static ones included, to the scrape manager only every
   * 5 s, so the first wait after start-up takes about that long: start a file's instances concurrently.
   */
  waitForTargetsUp(timeoutMs?: number): Promise<void>;
  /**
   * Resolves once every active target (at least one) has at least `n` successful scrapes (`up` = 1) stored,
   * counted with sum_over_time(up[…]) since start-up. Default timeout 10 s + 2 scrape intervals per scrape.
   */
  waitForScrapes(n: number, timeoutMs?: number): Promise<void>;
  /** POST /-/reload; resolves after Prometheus has applied the config, rejects with its error otherwise. */
  reload(): Promise<void>;
  /** GET /api/v1/alerts: the active (pending and firing) alerts. */
  alerts(): Promise<unknown[]>;
  /** SIGTERM (SIGKILL after 10 s), wait for exit, remove the temp dir. Safe to call twice. */
  stop(): Promise<void>;
  /** Prometheus' stderr so far (its log), for failure messages. */
  logs(): string;
}

export interface PrometheusOptions {
  /** scrape_configs entries for a generated prometheus.yml, which also loads rules/*.yml and rules/*.yaml. */
  scrapeConfigs?: object[];
  /** A complete prometheus.yml; scrapeConfigs and the intervals are then ignored. Paths are relative to it. */
  config?: string;
  /** Extra files written beside prometheus.yml, keyed by path relative to it (e.g. "rules/gateway.yml"). */
  files?: Record<string, string>;
  /** Default 1. */
  scrapeIntervalS?: number;
  /** Default 1. */
  evaluationIntervalS?: number;
  /** e.g. ["--enable-feature=exemplar-storage"] */
  extraArgs?: string[];
  /** How long start-up may take until /-/ready answers 200. Default 15 s. */
  readyTimeoutMs?: number;
}

/** Thrown by query/api calls when Prometheus answers with status "error"; `message` includes its error text. */
export class PrometheusApiError extends Error {
  constructor(
    readonly errorType: string,
    readonly detail: string,
  ) {
    super(`prometheus: ${errorType}: ${detail}`);
    this.name = "PrometheusApiError";
  }
}

const REQUEST_TIMEOUT_MS = 5_000;
const POLL_MS = 100;
const LOG_LIMIT = 256 * 1024;
const START_ATTEMPTS = 3;

const envelope = z.object({
  status: z.enum(["success", "error"]),
  data: z.unknown().optional(),
  errorType: z.string().optional(),
  error: z.string().optional(),
});
const labels = z.record(z.string(), z.string());
const point = z.tuple([z.number(), z.string()]).transform(([timestamp, value]) => ({
  timestamp,
  value: Number(value),
}));
const queryData = z.discriminatedUnion("resultType", [
  z.object({ resultType: z.literal("vector"), result: z.array(z.object({ metric: labels, value: point })) }),
  z.object({ resultType: z.literal("scalar"), result: point }),
  z.object({ resultType: z.literal("matrix"), result: z.array(z.unknown()) }),
  z.object({ resultType: z.literal("string"), result: z.unknown() }),
]);
const matrixData = z.object({
  resultType: z.literal("matrix"),
  result: z.array(z.object({ metric: labels, values: z.array(point) })),
});
const targetsData = z.object({
  activeTargets: z.array(
    z.object({ labels, scrapeUrl: z.string(), health: z.string(), lastError: z.string() }),
  ),
});
const alertsData = z.object({ alerts: z.array(z.unknown()) });

// Cleanup when a test process dies without stopping its instances. vitest ends its workers with SIGTERM, which
// skips "exit" handlers, so each Prometheus is started under `setpriv --pdeathsig KILL` (util-linux, Essential
// in Debian) and dies with the process that spawned it, however that process ends. Its temp dir is then swept
// by the next startPrometheus, which removes dirs whose owner pid is gone. A normal exit does both at once.
const SETPRIV = "/usr/bin/setpriv";
const DIR_PREFIX = "llmgate-prometheus-";
const OWNER_FILE = "owner.pid";
const live = new Set<ChildProcess>();
const dirs = new Set<string>();
let firstStart = true;

async function prepareProcess(): Promise<void> {
  if (!firstStart) return;
  firstStart = false;
  process.once("exit", () => {
    for (const child of live) child.kill("SIGKILL");
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  // Best effort: a dir that cannot be read or removed (another user's, say) is left alone.
  const names = await readdir(tmpdir()).catch(() => []);
  for (const name of names) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    const owner = Number(await readFile(join(dir, OWNER_FILE), "utf8").catch(() => ""));
    if (Number.isInteger(owner) && owner > 0 && !alive(owner)) {
      await rm(dir, { recursive: true, force: true }).catch(() => {});
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

function duration(seconds: number): string {
  return `${Math.round(seconds * 1000)}ms`;
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}

function generatedConfig(options: PrometheusOptions): string {
  return stringify({
    global: {
      scrape_interval: duration(options.scrapeIntervalS ?? 1),
      evaluation_interval: duration(options.evaluationIntervalS ?? 1),
    },
    rule_files: ["rules/*.yml", "rules/*.yaml"],
    scrape_configs: options.scrapeConfigs ?? [],
  });
}

async function writeConfigDir(configDir: string, options: PrometheusOptions): Promise<string> {
  const configFile = join(configDir, "prometheus.yml");
  await mkdir(configDir, { recursive: true });
  await writeFile(configFile, options.config ?? generatedConfig(options));
  for (const [name, content] of Object.entries(options.files ?? {})) {
    const path = resolve(configDir, name);
    const rel = relative(configDir, path);
    if (rel.startsWith("..") || rel === "") throw new Error(`file ${name} is outside the config dir`);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  }
  return configFile;
}

export async function startPrometheus(options: PrometheusOptions = {}): Promise<PrometheusInstance> {
  await prepareProcess();
  const dir = await mkdtemp(join(tmpdir(), DIR_PREFIX));
  dirs.add(dir);
  const configDir = join(dir, "config");
  try {
    await writeFile(join(dir, OWNER_FILE), String(process.pid));
    const configFile = await writeConfigDir(configDir, options);
    for (let attempt = 1; ; attempt++) {
      // A fresh TSDB per attempt: a failed attempt may have left a lock file behind.
      const dataDir = join(dir, `data-${attempt}`);
      const port = await freePort();
      const started = await launch(dir, configDir, configFile, dataDir, port, options);
      if (started.ok) return started.instance;
      if (!started.portTaken || attempt >= START_ATTEMPTS) throw new Error(started.message);
    }
  } catch (err) {
    await removeDir(dir);
    throw err;
  }
}

type Launch = { ok: true; instance: PrometheusInstance } | { ok: false; portTaken: boolean; message: string };

async function launch(
  dir: string,
  configDir: string,
  configFile: string,
  dataDir: string,
  port: number,
  options: PrometheusOptions,
): Promise<Launch> {
  const url = `http://127.0.0.1:${port}`;
  const args = [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${dataDir}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--web.enable-lifecycle",
    ...(options.extraArgs ?? []),
  ];
  // setpriv execs Prometheus, so child.pid is Prometheus itself.
  const [command, argv] = existsSync(SETPRIV)
    ? [SETPRIV, ["--pdeathsig", "KILL", "--", PROMETHEUS, ...args]]
    : [PROMETHEUS, args];
  const child = spawn(command, argv, { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  live.add(child);
  let log = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    log += chunk;
    if (log.length > LOG_LIMIT) log = log.slice(-LOG_LIMIT / 2);
  });
  // Mutated by the child's events; an object so that control-flow narrowing does not pin the fields.
  const state: { exit?: number | string; spawnError?: Error } = {};
  const exited = new Promise<void>((done) => {
    child.once("error", (err) => {
      state.spawnError = err;
      live.delete(child);
      done();
    });
    // "close" rather than "exit": by then stderr is drained, so start-up errors carry the whole log.
    child.once("close", (code, signal) => {
      state.exit = code ?? signal ?? "unknown";
      live.delete(child);
      done();
    });
  });
  const running = () => state.exit === undefined && state.spawnError === undefined;

  async function terminate(): Promise<void> {
    if (!running()) return;
    child.kill("SIGTERM");
    const stuck = await Promise.race([exited.then(() => false), sleep(10_000).then(() => true)]);
    if (stuck) {
      child.kill("SIGKILL");
      await exited;
    }
  }

  async function stop(): Promise<void> {
    await terminate();
    await removeDir(dir);
  }

  const failure = (what: string) =>
    new Error(`${what}\n--- prometheus log (${url}, ${configFile}) ---\n${tail(log)}`);

  // Wait for /-/ready, failing fast if the process exits (bad config, port taken).
  const readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (state.spawnError) {
      return {
        ok: false,
        portTaken: false,
        message: `cannot run ${PROMETHEUS}: ${state.spawnError.message}`,
      };
    }
    if (!running()) {
      const message = failure(`prometheus exited during start-up (${state.exit})`).message;
      return { ok: false, portTaken: /address already in use/.test(log), message };
    }
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const message = failure(`prometheus not ready within ${readyTimeoutMs} ms`).message;
      await terminate();
      return { ok: false, portTaken: false, message };
    }
    await sleep(50);
  }

  async function request(path: string, init: RequestInit = {}): Promise<unknown> {
    const res = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const text = await res.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw failure(`${path}: HTTP ${res.status}, not JSON: ${text.slice(0, 500)}`);
    }
    const parsed = envelope.parse(body);
    if (parsed.status === "error") {
      throw new PrometheusApiError(parsed.errorType ?? `HTTP ${res.status}`, parsed.error ?? text);
    }
    return parsed.data;
  }

  function api(path: string, params: Record<string, string | number> = {}): Promise<unknown> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) query.set(name, String(value));
    return request(`/api/v1/${path}?${query}`);
  }

  async function query(expr: string, time?: number): Promise<PromVector> {
    const data = queryData.parse(
      await api("query", time === undefined ? { query: expr } : { query: expr, time }),
    );
    switch (data.resultType) {
      case "vector":
        return data.result.map(({ metric, value }) => ({ metric, ...value }));
      case "scalar":
        return [{ metric: {}, ...data.result }];
      case "matrix":
      case "string":
        throw new Error(`query(${expr}) returned a ${data.resultType}; use queryRange or an instant vector`);
    }
  }

  async function queryRange(expr: string, start: number, end: number, stepS: number): Promise<PromMatrix> {
    const data = matrixData.parse(await api("query_range", { query: expr, start, end, step: stepS }));
    return data.result;
  }

  async function targets() {
    return targetsData.parse(await api("targets", { state: "active" })).activeTargets;
  }

  /** Polls `check` until it returns undefined; otherwise it returns what is still missing, for the error. */
  async function waitUntil(what: string, timeoutMs: number, check: () => Promise<string | undefined>) {
    const until = Date.now() + timeoutMs;
    let missing: string | undefined = "not checked yet";
    for (;;) {
      try {
        missing = await check();
      } catch (err) {
        missing = err instanceof Error ? err.message : String(err);
      }
      if (missing === undefined) return;
      if (!running()) throw failure(`${what}: prometheus exited (${state.exit}); last state: ${missing}`);
      if (Date.now() > until)
        throw failure(`${what}: timed out after ${timeoutMs} ms; last state: ${missing}`);
      await sleep(POLL_MS);
    }
  }

  const startedAt = Date.now();
  const intervalMs = (options.config === undefined ? (options.scrapeIntervalS ?? 1) : 1) * 1000;

  const instance: PrometheusInstance = {
    url,
    configDir,
    query,
    queryRange,
    api,
    waitForTargetsUp(timeoutMs = 10_000) {
      return waitUntil("waitForTargetsUp", timeoutMs, async () => {
        const active = await targets();
        if (active.length === 0) return "no active targets";
        const down = active.filter((t) => t.health !== "up");
        if (down.length === 0) return undefined;
        return down.map((t) => `${t.scrapeUrl} ${t.health} ${t.lastError}`).join("; ");
      });
    },
    waitForScrapes(n, timeoutMs = 10_000 + n * intervalMs * 2) {
      return waitUntil(`waitForScrapes(${n})`, timeoutMs, async () => {
        const active = await targets();
        if (active.length === 0) return "no active targets";
        // Successful scrapes are the `up` samples equal to 1, counted over everything stored so far.
        const window = Math.ceil((Date.now() - startedAt) / 1000) + 60;
        const counts = await query(`sum_over_time(up[${window}s])`);
        const short = active.flatMap((t) => {
          const series = counts.find((s) => Object.entries(t.labels).every(([k, v]) => s.metric[k] === v));
          const count = series?.value ?? 0;
          return count >= n ? [] : [`${t.scrapeUrl}: ${count} (${t.health} ${t.lastError})`];
        });
        return short.length === 0 ? undefined : short.join("; ");
      });
    },
    async reload() {
      const res = await fetch(`${url}/-/reload`, { method: "POST", signal: AbortSignal.timeout(10_000) });
      const text = await res.text();
      if (res.status !== 200) throw failure(`reload failed: HTTP ${res.status}: ${text.trim()}`);
    },
    async alerts() {
      return alertsData.parse(await api("alerts")).alerts;
    },
    stop,
    logs: () => log,
  };
  return { ok: true, instance };
}
