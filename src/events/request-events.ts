// Request lifecycle events: the core publishes each request's record once; the access log and metrics listen.

import type { GatewayErrorCode } from "../errors/gateway-error.js";
import type { RouteName } from "../http/route-table.js";

/**
 * How a request ended. Every request ends in exactly one of these.
 * - completed: the full answer reached the client (for streams: the upstream's done and our [DONE]/last byte).
 * - client_abort: the client went away before the answer was complete; the upstream request was aborted.
 * - timeout: the upstream sent no first byte in time, or went silent mid-stream.
 * - upstream_error: the upstream was unreachable, answered 5xx/429, reported an error, or broke the protocol
 *   (including a stream that failed after HTTP 200).
 * - rejected: refused because of the request itself: validation, unknown route, body too large, a model the
 *   upstream does not have (any 4xx), or the gateway draining for shutdown.
 * - shutdown: still running when the shutdown grace period ran out, so the gateway aborted it.
 * - internal_error: a bug in the gateway.
 */
export type Outcome =
  | "completed"
  | "client_abort"
  | "timeout"
  | "upstream_error"
  | "rejected"
  | "shutdown"
  | "internal_error";

export const OUTCOMES: readonly Outcome[] = [
  "completed",
  "client_abort",
  "timeout",
  "upstream_error",
  "rejected",
  "shutdown",
  "internal_error",
];

/** The route table's names (the `path` label) and health probes, for the listeners that read records. */
export { PROBE_ROUTES, ROUTE_NAMES, type RouteName } from "../http/route-table.js";

/** What Ollama reported about a generation in its final (done) chunk. Durations in nanoseconds. */
export interface GenerationStats {
  promptTokens: number;
  completionTokens: number;
  doneReason?: string;
  totalNs?: number;
  loadNs?: number;
  promptEvalNs?: number;
  evalNs?: number;
}

/** Which kind of upstream failure ended a request, for metrics. */
export const UPSTREAM_ERROR_CLASSES = ["connect", "timeout", "status", "protocol"] as const;
export type UpstreamErrorClass = (typeof UPSTREAM_ERROR_CLASSES)[number];

/** What is known about a finished request. Times are milliseconds from the request's arrival. */
export interface RequestRecord {
  id: string;
  method: string;
  route: RouteName;
  status: number;
  outcome: Outcome;
  errorCode?: GatewayErrorCode;
  errorMessage?: string;
  upstreamErrorClass?: UpstreamErrorClass;
  model?: string;
  /** The API key's name, when keys are configured. */
  key?: string;
  stream?: boolean;
  /** A streaming response began: HTTP 200 and its headers were sent. */
  streamStarted?: boolean;
  /** Arrival, epoch milliseconds. */
  startedAt: number;
  durationMs: number;
  /** Time spent waiting for admission (queue) before the upstream request. */
  queueWaitMs?: number;
  /** Upstream request start to its response headers (for Ollama streams: the first chunk is ready). */
  upstreamFirstByteMs?: number;
  /** Total time the upstream request was open. */
  upstreamMs?: number;
  /** Time until the first content byte was flushed to the client (streams only). */
  ttftMs?: number;
  /** Time the last content byte was flushed to the client (streams only). */
  lastTokenMs?: number;
  /** Prompt tokens: of a generation (= generation.promptTokens), or of an embedding request. */
  promptTokens?: number;
  completionTokens?: number;
  /** Set when the upstream finished a generation and reported its stats. */
  generation?: GenerationStats;
  bytesIn: number;
  bytesOut: number;
}

export type RequestListener = (record: RequestRecord) => void;

/** A tiny synchronous publisher; a throwing listener is isolated so it cannot break a request. */
export class RequestEvents {
  readonly #listeners: RequestListener[] = [];
  #onListenerError: (err: unknown) => void;

  constructor(onListenerError: (err: unknown) => void = () => {}) {
    this.#onListenerError = onListenerError;
  }

  on(listener: RequestListener): void {
    this.#listeners.push(listener);
  }

  finished(record: RequestRecord): void {
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch (err) {
        this.#onListenerError(err);
      }
    }
  }
}
