// Per-request state: identity, timing, byte counts, the abort signal, and the single place a request's outcome is decided.

import { randomUUID } from "node:crypto";
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { upstreamErrorClass } from "../errors/error-spec.js";
import type { GatewayError } from "../errors/gateway-error.js";
import { Cancellation } from "../events/cancellation.js";
import type { Outcome, RequestEvents, RequestRecord, RouteName } from "../events/request-events.js";
import type { OllamaStats } from "../ollama/types.js";

const REQUEST_ID = /^[\w.:@/+=-]{1,128}$/;

/** Status recorded for a client that left before any response was sent (nginx's convention). */
export const CLIENT_CLOSED_REQUEST = 499;

export class RequestContext {
  readonly id: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly method: string;
  readonly route: RouteName;
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
  upstreamStartMs?: number;
  upstreamFirstByteMs?: number;
  upstreamEndMs?: number;
  ttftMs?: number;
  lastTokenMs?: number;
  queueWaitMs?: number;
  /** A streaming response's headers went out with 200. */
  streamStarted = false;
  /** The final chunk's stats of a generation the upstream finished. */
  stats?: OllamaStats;
  doneReason?: string;
  /** Prompt tokens of a request that is not a generation (embeddings). */
  promptTokens?: number;
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
    route: RouteName,
    events: RequestEvents,
    writeTimeoutMs = 300_000,
  ) {
    this.#writeTimeoutMs = writeTimeoutMs;
    this.req = req;
    this.res = res;
    this.route = route;
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

  markUpstreamStart(): void {
    this.upstreamStartMs = this.elapsed();
  }

  markUpstreamFirstByte(): void {
    this.upstreamFirstByteMs ??= this.elapsed();
  }

  markUpstreamEnd(): void {
    if (this.upstreamStartMs !== undefined) this.upstreamEndMs ??= this.elapsed();
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
   * Ends the request's accounting. Called exactly once per request; later calls are ignored, so the first
   * decided outcome wins (a client abort observed first is not turned into a completion later).
   */
  finish(decided: Outcome, error?: GatewayError): void {
    if (this.#finished) return;
    this.#finished = true;
    // A client that left before the last byte did not get a completed answer, whatever the upstream did.
    const outcome: Outcome = decided === "completed" && this.clientGone ? "client_abort" : decided;
    this.markUpstreamEnd();
    clearTimeout(this.#stallTimer);
    for (const fn of this.#onFinish) fn();
    const status = this.res.headersSent
      ? this.res.statusCode
      : outcome === "client_abort"
        ? CLIENT_CLOSED_REQUEST
        : this.res.statusCode;
    const record: RequestRecord = {
      id: this.id,
      method: this.method,
      route: this.route,
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
    if (this.upstreamStartMs !== undefined) {
      if (this.upstreamFirstByteMs !== undefined)
        record.upstreamFirstByteMs = this.upstreamFirstByteMs - this.upstreamStartMs;
      if (this.upstreamEndMs !== undefined) record.upstreamMs = this.upstreamEndMs - this.upstreamStartMs;
    }
    if (this.ttftMs !== undefined) record.ttftMs = this.ttftMs;
    if (this.lastTokenMs !== undefined) record.lastTokenMs = this.lastTokenMs;
    if (this.stats) {
      const s = this.stats;
      record.generation = {
        promptTokens: s.prompt_eval_count ?? 0,
        completionTokens: s.eval_count ?? 0,
        ...(this.doneReason !== undefined ? { doneReason: this.doneReason } : {}),
        ...(s.total_duration !== undefined ? { totalNs: s.total_duration } : {}),
        ...(s.load_duration !== undefined ? { loadNs: s.load_duration } : {}),
        ...(s.prompt_eval_duration !== undefined ? { promptEvalNs: s.prompt_eval_duration } : {}),
        ...(s.eval_duration !== undefined ? { evalNs: s.eval_duration } : {}),
      };
      record.promptTokens = record.generation.promptTokens;
      record.completionTokens = record.generation.completionTokens;
    } else if (this.promptTokens !== undefined) {
      record.promptTokens = this.promptTokens;
    }
    this.#events.finished(record);
  }
}
