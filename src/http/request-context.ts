// Per-request state: identity, the response writer, what is learnt about the request on the way, and its one record.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { upstreamErrorClass } from "../errors/error-spec.js";
import type { GatewayError } from "../errors/gateway-error.js";
import { Cancellation } from "../events/cancellation.js";
import type { Outcome, RequestEvents, RequestRecord } from "../events/request-events.js";
import type { OllamaStats } from "../ollama/types.js";
import type { ExchangeTimings } from "../upstream/timed-handler.js";
import type { RouteName, RouteSpec } from "./route-table.js";

/**
 * What a handler returns: how the request ended, the error that ended it, and what the upstream reported about
 * the work (a generation's final stats, or the prompt tokens of an embedding). The pipeline records it once.
 */
export interface Done {
  outcome: Outcome;
  error?: GatewayError;
  stats?: OllamaStats;
  doneReason?: string;
  promptTokens?: number;
}

/** The most common answer, shared. */
export const COMPLETED: Done = Object.freeze({ outcome: "completed" });

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** Status recorded for a client that left before any response was sent (nginx's convention). */
export const CLIENT_CLOSED_REQUEST = 499;

export class RequestContext implements ExchangeTimings {
  readonly id: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly spec: RouteSpec;
  readonly startedAt = Date.now();
  readonly #t0 = performance.now();
  /** Fires when the client goes away or the gateway aborts in-flight work at the end of a shutdown. */
  readonly abort = new Cancellation();
  clientGone = false;
  /** The canonical (decoded) path the request was routed by, and its query string including `?` (or ""). */
  path = "/";
  query = "";
  /** Set when the gateway itself aborted the request (end of the shutdown grace period). */
  cancelled = false;

  model?: string;
  stream?: boolean;
  bytesIn = 0;
  bytesOut = 0;
  /** Written by the upstream exchange itself (see TimedHandler), as performance.now() readings. */
  upstreamStartAt?: number;
  upstreamFirstByteAt?: number;
  upstreamEndAt?: number;
  ttftMs?: number;
  lastTokenMs?: number;
  queueWaitMs?: number;
  /** A streaming response's headers went out with 200. */
  streamStarted = false;
  /** The name of the API key the request presented (never the secret). */
  keyName?: string;
  readonly #onFinish: (() => void)[] = [];

  readonly #events: RequestEvents;
  #finished = false;

  /** Longest a client may leave the response unread (its socket full) before the request is given up. */
  readonly #writeTimeoutMs: number;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    spec: RouteSpec,
    events: RequestEvents,
    writeTimeoutMs = 300_000,
  ) {
    this.#writeTimeoutMs = writeTimeoutMs;
    this.req = req;
    this.res = res;
    this.spec = spec;
    this.method = req.method ?? "GET";
    this.#events = events;
    const given = req.headers["x-request-id"];
    this.id = typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader("x-request-id", this.id);
    res.on("close", () => {
      if (!res.writableFinished) {
        this.clientGone = true;
        this.abort.abort(new Error("client closed the connection"));
      }
    });
  }

  /** Aborts the request from the gateway's side; the handler ends it with the "shutdown" outcome. */
  cancel(): void {
    if (this.abort.aborted) return;
    this.cancelled = true;
    this.abort.abort(new Error("the gateway is shutting down"));
  }

  /** Milliseconds since the request arrived. */
  elapsed(): number {
    return performance.now() - this.#t0;
  }

  get finished(): boolean {
    return this.#finished;
  }

  writeHead(status: number, headers: OutgoingHttpHeaders): void {
    this.res.writeHead(status, headers);
  }

  /**
   * Writes a body chunk now; false when the client's socket is full and the caller should wait for `drained()`
   * before sending more (relay.ts's pump pauses the upstream meanwhile, so backpressure reaches Ollama).
   */
  send(chunk: string | Buffer): boolean {
    if (chunk.length === 0 || this.res.writableEnded || this.res.destroyed) return true;
    this.bytesOut += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    return this.res.write(chunk);
  }

  /** Resolves when the client's socket drained; rejects when the request is aborted meanwhile. */
  async drained(): Promise<void> {
    // A client that keeps its connection open but stops reading would hold its slot (and Ollama's) for ever:
    // after the write timeout it is treated as gone. One timer per request, restarted by each blocked write and
    // cleared when the request ends, so a busy stream does not allocate a timer per write.
    if (this.#stallTimer) this.#stallTimer.refresh();
    else this.#stallTimer = setTimeout(() => this.#stalled(), this.#writeTimeoutMs);
    this.#blocked = true;
    try {
      await new Promise<void>((resolve, reject) => {
        const abort = this.abort;
        if (abort.aborted) {
          reject(abort.reason);
          return;
        }
        const onAbort = (): void => {
          this.res.off("drain", onDrain);
          reject(abort.reason);
        };
        const onDrain = (): void => {
          abort.removeEventListener("abort", onAbort);
          resolve();
        };
        this.res.once("drain", onDrain);
        abort.addEventListener("abort", onAbort);
      });
    } finally {
      this.#blocked = false;
    }
  }

  #stallTimer: NodeJS.Timeout | undefined;
  #blocked = false;

  #stalled(): void {
    if (!this.#blocked) return;
    this.clientGone = true;
    this.abort.abort(new Error("the client stopped reading the response"));
    this.res.destroy();
  }

  end(chunk?: string | Buffer): void {
    if (chunk !== undefined && chunk.length > 0 && !this.res.writableEnded)
      this.bytesOut += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
    if (!this.res.writableEnded) this.res.end(chunk);
  }

  /** Sends a complete JSON response. */
  sendJson(status: number, body: unknown, headers: OutgoingHttpHeaders = {}): void {
    const text = JSON.stringify(body);
    this.res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(text),
      ...headers,
    });
    this.end(text);
  }

  /** Called after each write that carried content: the first sets TTFT, the last one ends the token timeline. */
  markToken(): void {
    const now = this.elapsed();
    this.ttftMs ??= now;
    this.lastTokenMs = now;
  }

  /** Runs `fn` when the request ends, whatever the outcome (releases its admission slot). */
  onFinish(fn: () => void): void {
    if (this.#finished) fn();
    else this.#onFinish.push(fn);
  }

  /**
   * Ends the request's accounting: called by the pipeline, once, with what the handler returned; later calls are
   * ignored. Routes that are not traffic (scrapes, the dashboard's pages) publish no record.
   */
  finish(done: Done): void {
    if (this.#finished) return;
    this.#finished = true;
    const { error } = done;
    // A client that left before the last byte did not get a completed answer, whatever the upstream did.
    const outcome: Outcome = done.outcome === "completed" && this.clientGone ? "client_abort" : done.outcome;
    // An exchange still open when the request ends (its body not wanted, or cut) ends with it.
    if (this.upstreamStartAt !== undefined) this.upstreamEndAt ??= performance.now();
    clearTimeout(this.#stallTimer);
    for (const fn of this.#onFinish) fn();
    if (this.spec.traffic === "none") return;
    const status = this.res.headersSent
      ? this.res.statusCode
      : outcome === "client_abort"
        ? CLIENT_CLOSED_REQUEST
        : this.res.statusCode;
    const record: RequestRecord = {
      id: this.id,
      method: this.method,
      route: this.spec.name as RouteName,
      status,
      outcome,
      startedAt: this.startedAt,
      durationMs: this.elapsed(),
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
    };
    if (error) {
      record.errorCode = error.code;
      record.errorMessage = error.message;
      const errorClass = upstreamErrorClass(error.code);
      if (errorClass) record.upstreamErrorClass = errorClass;
    }
    if (this.model !== undefined) record.model = this.model;
    if (this.keyName !== undefined) record.key = this.keyName;
    if (this.stream !== undefined) record.stream = this.stream;
    if (this.streamStarted) record.streamStarted = true;
    if (this.queueWaitMs !== undefined) record.queueWaitMs = this.queueWaitMs;
    const start = this.upstreamStartAt;
    if (start !== undefined) {
      if (this.upstreamFirstByteAt !== undefined)
        record.upstreamFirstByteMs = this.upstreamFirstByteAt - start;
      if (this.upstreamEndAt !== undefined) record.upstreamMs = this.upstreamEndAt - start;
    }
    if (this.ttftMs !== undefined) record.ttftMs = this.ttftMs;
    if (this.lastTokenMs !== undefined) record.lastTokenMs = this.lastTokenMs;
    if (done.stats) {
      const s = done.stats;
      record.generation = {
        promptTokens: s.prompt_eval_count ?? 0,
        completionTokens: s.eval_count ?? 0,
        ...(done.doneReason !== undefined ? { doneReason: done.doneReason } : {}),
        ...(s.total_duration !== undefined ? { totalNs: s.total_duration } : {}),
        ...(s.load_duration !== undefined ? { loadNs: s.load_duration } : {}),
        ...(s.prompt_eval_duration !== undefined ? { promptEvalNs: s.prompt_eval_duration } : {}),
        ...(s.eval_duration !== undefined ? { evalNs: s.eval_duration } : {}),
      };
      record.promptTokens = record.generation.promptTokens;
      record.completionTokens = record.generation.completionTokens;
    } else if (done.promptTokens !== undefined) {
      record.promptTokens = done.promptTokens;
    }
    this.#events.finished(record);
  }
}
