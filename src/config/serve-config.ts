// The typed configuration of `llmgate serve`, resolved from SERVE_KEYS.

import { SERVE_KEYS } from "./keys.js";
import { type ConfigSources, resolveConfig } from "./load.js";

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

export interface ServeConfig {
  listen: { host: string; port: number };
  upstream: string;
  demo: boolean;
  connectTimeoutMs: number;
  firstByteTimeoutMs: number;
  idleTimeoutMs: number;
  bodyLimitBytes: number;
  shutdownGraceMs: number;
  upstreamConnections: number;
  pollIntervalMs: number;
  metricsPrefix: string;
  /** A separate listener for /metrics; null: /metrics is on the main listener. */
  metricsListen: { host: string; port: number } | null;
  /** Bearer token required on /metrics; "" for none. */
  metricsToken: string;
  /** Histogram bucket overrides by metric name (without prefix). */
  metricsBuckets: Record<string, number[]>;
  logLevel: LogLevel;
}

export function loadServeConfig(sources: ConfigSources): ServeConfig {
  const v = resolveConfig(SERVE_KEYS, sources);
  return {
    listen: v.listen as ServeConfig["listen"],
    upstream: v.upstream as string,
    demo: v.demo as boolean,
    connectTimeoutMs: v["connect-timeout"] as number,
    firstByteTimeoutMs: v["first-byte-timeout"] as number,
    idleTimeoutMs: v["idle-timeout"] as number,
    bodyLimitBytes: v["body-limit"] as number,
    shutdownGraceMs: v["shutdown-grace"] as number,
    upstreamConnections: v["upstream-connections"] as number,
    pollIntervalMs: v["poll-interval"] as number,
    metricsPrefix: v["metrics-prefix"] as string,
    metricsListen: v["metrics-listen"] as ServeConfig["metricsListen"],
    metricsToken: v["metrics-token"] as string,
    metricsBuckets: v["metrics-buckets"] as Record<string, number[]>,
    logLevel: v["log-level"] as LogLevel,
  };
}

/** The defaults, for tests and embedding. */
export function defaultServeConfig(overrides: Partial<ServeConfig> = {}): ServeConfig {
  return { ...loadServeConfig({ env: {} }), ...overrides };
}
