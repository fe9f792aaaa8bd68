// The typed configuration of `llmgate serve`, resolved from SERVE_KEYS.

import type { ApiKey } from "../auth/api-keys.js";
import type { KeyLimits } from "../auth/rate-limit.js";
import { DEMO_KNOBS, type DemoKnobOption } from "../tools/simulator/knobs.js";
import { demoKnobKey, SERVE_KEYS } from "./keys.js";
import { ConfigError, type ConfigSources, resolveConfig } from "./load.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
export type LogFormat = "auto" | "json" | "pretty";

export interface ServeConfig {
  listen: { host: string; port: number };
  upstream: string;
  demo: boolean;
  /** What the built-in simulator offers and how fast it is, when `demo` is on. */
  demoSimulator: { models: string[] } & Record<DemoKnobOption, number>;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  bodyLimitBytes: number;
  shutdownGraceMs: number;
  upstreamConnections: number;
  /** Admission: 0 = unlimited. */
  maxConcurrency: number;
  maxQueue: number;
  queueTimeoutMs: number;
  apiKeys: ApiKey[];
  keyLimits: { name: string; limits: KeyLimits }[];
  /** Names of the API keys that may see the dashboard's data; empty: every configured key. */
  adminKeys: string[];
  upstreamApiKey: string;
  corsOrigins: string[];
  headerTimeoutMs: number;
  requestTimeoutMs: number;
  clientWriteTimeoutMs: number;
  jsonMaxDepth: number;
  pollIntervalMs: number;
  /** Most served model names not listed by /api/tags that get their own model label (metrics-learned-models). */
  metricsLearnedModels: number;
  metricsPrefix: string;
  /** A separate listener for /metrics; null: /metrics is on the main listener. */
  metricsListen: { host: string; port: number } | null;
  /** Bearer token required on /metrics; "" for none. */
  metricsToken: string;
  /** Histogram bucket overrides by metric name (without prefix). */
  metricsBuckets: Record<string, number[]>;
  /** Serve the dashboard, the playground, /status.json and /widget.js. */
  ui: boolean;
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export function loadServeConfig(sources: ConfigSources): ServeConfig {
  const v = resolveConfig(SERVE_KEYS, sources);
  const config = buildServeConfig(v);
  const names = new Set<string>();
  for (const key of config.apiKeys) {
    if (names.has(key.name))
      throw new ConfigError(`config error:\n  api-key: the name "${key.name}" is given twice`);
    names.add(key.name);
  }
  for (const { name } of config.keyLimits)
    if (!names.has(name))
      throw new ConfigError(`config error:\n  key-limit: "${name}" is not the name of a configured api-key`);
  for (const name of config.adminKeys)
    if (!names.has(name))
      throw new ConfigError(`config error:\n  admin-key: "${name}" is not the name of a configured api-key`);
  if (config.demo && config.demoSimulator.models.length === 0)
    throw new ConfigError("config error:\n  demo-model: the demo upstream needs at least one model");
  if (config.requestTimeoutMs > 0 && config.headerTimeoutMs > config.requestTimeoutMs)
    throw new ConfigError("config error:\n  header-timeout: must not be longer than request-timeout");
  return config;
}

function buildServeConfig(v: Record<string, unknown>): ServeConfig {
  return {
    listen: v.listen as ServeConfig["listen"],
    upstream: v.upstream as string,
    demo: v.demo as boolean,
    demoSimulator: {
      models: (v["demo-model"] as { name: string }[]).map((m) => m.name),
      ...(Object.fromEntries(DEMO_KNOBS.map((k) => [k.option, v[demoKnobKey(k.flag)]])) as Record<
        DemoKnobOption,
        number
      >),
    },
    connectTimeoutMs: v["connect-timeout"] as number,
    firstByteTimeoutMs: v["first-byte-timeout"] as number,
    idleTimeoutMs: v["idle-timeout"] as number,
    bodyLimitBytes: v["body-limit"] as number,
    shutdownGraceMs: v["shutdown-grace"] as number,
    upstreamConnections: v["upstream-connections"] as number,
    maxConcurrency: v["max-concurrency"] as number,
    maxQueue: v["max-queue"] as number,
    queueTimeoutMs: v["queue-timeout"] as number,
    apiKeys: v["api-key"] as ApiKey[],
    keyLimits: v["key-limit"] as ServeConfig["keyLimits"],
    adminKeys: (v["admin-key"] as { name: string }[]).map((k) => k.name),
    upstreamApiKey: v["upstream-api-key"] as string,
    corsOrigins: (v["cors-origin"] as { origin: string }[]).map((o) => o.origin),
    headerTimeoutMs: v["header-timeout"] as number,
    requestTimeoutMs: v["request-timeout"] as number,
    clientWriteTimeoutMs: v["client-write-timeout"] as number,
    jsonMaxDepth: v["json-max-depth"] as number,
    pollIntervalMs: v["poll-interval"] as number,
    metricsLearnedModels: v["metrics-learned-models"] as number,
    metricsPrefix: v["metrics-prefix"] as string,
    metricsListen: v["metrics-listen"] as ServeConfig["metricsListen"],
    metricsToken: v["metrics-token"] as string,
    metricsBuckets: v["metrics-buckets"] as Record<string, number[]>,
    ui: v.ui as boolean,
    logLevel: v["log-level"] as LogLevel,
    logFormat: v["log-format"] as LogFormat,
  };
}

/** The defaults, for tests and embedding. */
export function defaultServeConfig(overrides: Partial<ServeConfig> = {}): ServeConfig {
  return { ...loadServeConfig({ env: {} }), ...overrides };
}
