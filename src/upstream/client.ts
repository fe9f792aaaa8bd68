// The connection pool to Ollama: one undici Pool, two timeouts (first byte, idle), failures classified into GatewayErrors.

import type { Readable } from "node:stream";
import { type Dispatcher, Pool, errors as undiciErrors } from "undici";
import { GatewayError } from "../errors/gateway-error.js";
import { describeConnectError } from "../errors/socket-error.js";
import type { Abortable } from "../events/cancellation.js";
import { type ExchangeTimings, TimedHandler } from "./timed-handler.js";

export interface UpstreamOptions {
  url: string;
  connections: number;
  connectTimeoutMs: number;
  /** Until the response headers (Ollama writes them with the first chunk). */
  firstByteTimeoutMs: number;
  /** Longest silence between two body chunks. */
  idleTimeoutMs: number;
  /** Sent as `Authorization: Bearer <token>` on every upstream request (e.g. Ollama behind an authenticating proxy). */
  apiKey?: string;
}

export interface UpstreamRequest {
  method: string;
  /** Path and query, e.g. "/api/chat". Never a full URL: the client cannot choose the upstream host. */
  path: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer | Readable | null;
  signal: AbortSignal;
  /** Overrides the first-byte timeout (health checks use a short one). */
  firstByteTimeoutMs?: number;
}

/** A request for `open()`: its signal may be a request's Cancellation; its times go to `timings` when given. */
export type OpenRequest = Omit<UpstreamRequest, "signal"> & { signal: Abortable; timings?: ExchangeTimings };

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** A Readable of Buffers with .text()/.json(); destroy it to abort the upstream request. */
  body: Dispatcher.ResponseData["body"];
}

export class Upstream {
  readonly url: string;
  readonly #pool: Pool;
  readonly #options: UpstreamOptions;

  constructor(options: UpstreamOptions) {
    this.url = options.url;
    this.#options = options;
    this.#pool = new Pool(options.url, {
      connections: options.connections,
      connect: { timeout: options.connectTimeoutMs },
      headersTimeout: options.firstByteTimeoutMs,
      bodyTimeout: options.idleTimeoutMs,
      keepAliveTimeout: 30_000,
    });
  }

  /**
   * Sends one request. Resolves once the response headers arrived, whatever the status.
   * Rejects with a GatewayError (unreachable, timeout) or with the abort reason when `signal` fired.
   */
  async request(req: UpstreamRequest): Promise<UpstreamResponse> {
    try {
      const res = await this.#pool.request({ ...this.#dispatchOptions(req), signal: req.signal });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      if (req.signal.aborted) throw err;
      throw classifyUpstreamError(err, "request");
    }
  }

  /**
   * Sends one request on the hot path: resolves with an Exchange once the response headers arrived, whatever the
   * status; the body then flows to callbacks (no stream object and no promise per chunk, which a 64-chunk stream
   * pays for 64 times). Rejects like `request()`.
   */
  open(req: OpenRequest): Promise<Exchange> {
    return new Promise((resolve, reject) => {
      const exchange = new Exchange(req.signal, resolve, reject);
      this.#pool.dispatch(
        this.#dispatchOptions(req),
        req.timings ? new TimedHandler(exchange, req.timings) : exchange,
      );
    });
  }

  /** What both kinds of request send: the upstream key when configured, and the two timeouts. */
  #dispatchOptions(req: Omit<UpstreamRequest, "signal">): Dispatcher.DispatchOptions {
    return {
      method: req.method as Dispatcher.HttpMethod,
      path: req.path,
      headers: this.#options.apiKey
        ? { ...req.headers, authorization: `Bearer ${this.#options.apiKey}` }
        : req.headers,
      body: req.body ?? null,
      headersTimeout: req.firstByteTimeoutMs ?? this.#options.firstByteTimeoutMs,
      bodyTimeout: this.#options.idleTimeoutMs,
    };
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}

/** Where an Exchange delivers its body. */
export interface BodySink {
  /** One body chunk. Return false to pause the upstream until `Exchange.resume()`. */
  onData(chunk: Buffer): boolean;
  onEnd(): void;
  /** A GatewayError (classified), or the abort reason when the request's signal fired. At most once, never after onEnd. */
  onError(err: unknown): void;
}

type Controller = Dispatcher.DispatchController;

/**
 * One upstream request as an undici dispatch handler. Chunks that arrive before `read()` is called (they can come
 * with the headers, in the same socket read) are kept and handed over first.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  status = 0;
  headers: Record<string, string | string[] | undefined> = {};
  readonly #signal: Abortable;
  #resolve: ((exchange: Exchange) => void) | undefined;
  #reject: ((err: unknown) => void) | undefined;
  #controller: Controller | undefined;
  #sink: BodySink | undefined;
  #early: Buffer[] | undefined;
  /** Set once the response completed or failed before `read()`: replayed to the sink. */
  #ended = false;
  #error: unknown;
  /**
   * The reason of the first `abort()`: what the sink (or the pending open) gets, unclassified; applied on connect
   * when the abort came before undici started the request.
   */
  #abortReason: unknown;
  #settled = false;
  readonly #onAbort = (): void => this.abort(this.#signal.reason);

  constructor(signal: Abortable, resolve: (exchange: Exchange) => void, reject: (err: unknown) => void) {
    this.#signal = signal;
    this.#resolve = resolve;
    this.#reject = reject;
    if (signal.aborted) queueMicrotask(this.#onAbort);
    else signal.addEventListener("abort", this.#onAbort);
  }

  /** Starts the body flow into `sink`. Call once. */
  read(sink: BodySink): void {
    this.#sink = sink;
    const early = this.#early;
    this.#early = undefined;
    // Already received, so all handed over; a sink that asks for a pause gets it for what follows.
    if (early) for (const chunk of early) if (!sink.onData(chunk)) this.#controller?.pause();
    if (this.#ended) this.#finish();
    else if (this.#error !== undefined) this.#fail(this.#error);
  }

  /** The whole body as text, at most `limit` characters kept (the rest is read and dropped). */
  text(limit = Number.POSITIVE_INFINITY): Promise<string> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      this.read({
        onData(chunk) {
          if (size < limit) chunks.push(chunk);
          size += chunk.length;
          return true;
        },
        onEnd: () => resolve(clipText(Buffer.concat(chunks).toString("utf8"), limit)),
        onError: reject,
      });
    });
  }

  /** Stops the body flow after the chunk being delivered, until `resume()`. */
  pause(): void {
    this.#controller?.pause();
  }

  resume(): void {
    this.#controller?.resume();
  }

  /** Aborts the upstream request; the sink (or the pending open) gets `reason` as its error. */
  abort(reason?: unknown): void {
    if (this.#settled) return;
    const err = reason ?? new Error("aborted");
    this.#abortReason ??= err;
    this.#controller?.abort(err as Error);
  }

  onRequestStart(controller: Controller): void {
    this.#controller = controller;
    if (this.#abortReason !== undefined) controller.abort(this.#abortReason as Error);
  }

  onResponseStart(_controller: Controller, status: number, headers: Record<string, string | string[]>): void {
    this.status = status;
    this.headers = headers;
    const resolve = this.#resolve;
    this.#resolve = undefined;
    this.#reject = undefined;
    resolve?.(this);
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    const sink = this.#sink;
    if (sink) {
      if (!sink.onData(chunk)) controller.pause();
    } else {
      if (this.#early) this.#early.push(chunk);
      else this.#early = [chunk];
    }
  }

  onResponseEnd(): void {
    this.#ended = true;
    if (this.#sink) this.#finish();
  }

  onResponseError(_controller: Controller, err: Error): void {
    // An abort asked for (by the signal or by the owner) is reported as its reason, not as an upstream failure.
    const aborted = this.#signal.aborted || this.#abortReason !== undefined;
    const reason = this.#signal.aborted ? this.#signal.reason : this.#abortReason;
    if (this.#reject) {
      const reject = this.#reject;
      this.#resolve = undefined;
      this.#reject = undefined;
      this.#settle();
      reject(aborted ? reason : classifyUpstreamError(err, "request"));
      return;
    }
    const failure = aborted ? reason : classifyUpstreamError(err, "body");
    if (this.#sink) this.#fail(failure);
    else this.#error = failure;
  }

  #finish(): void {
    if (this.#settled) return;
    this.#settle();
    this.#sink?.onEnd();
  }

  #fail(err: unknown): void {
    if (this.#settled) return;
    this.#settle();
    this.#sink?.onError(err);
  }

  #settle(): void {
    this.#settled = true;
    this.#signal.removeEventListener("abort", this.#onAbort);
  }
}

function clipText(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}

/**
 * Maps an undici/socket failure to a GatewayError. `phase` says whether the response had started:
 * a socket error before the headers means the upstream could not be reached; after, that it broke mid-response.
 */
export function classifyUpstreamError(err: unknown, phase: "request" | "body"): GatewayError {
  if (err instanceof GatewayError) return err;
  const code = (err as { code?: string } | null)?.code ?? "";
  const message = err instanceof Error ? err.message : String(err);
  if (err instanceof undiciErrors.HeadersTimeoutError || code === "UND_ERR_HEADERS_TIMEOUT")
    return new GatewayError(
      "upstream_timeout",
      "the upstream sent no response within the first-byte timeout",
      {
        cause: err,
      },
    );
  if (err instanceof undiciErrors.BodyTimeoutError || code === "UND_ERR_BODY_TIMEOUT")
    return new GatewayError(
      "upstream_idle_timeout",
      "the upstream went silent for longer than the idle timeout",
      {
        cause: err,
      },
    );
  if (phase === "body")
    return new GatewayError(
      "upstream_protocol_error",
      `the upstream closed the connection before the response was complete (${code || message})`,
      { cause: err },
    );
  return new GatewayError("upstream_unreachable", `cannot reach the upstream: ${describeConnectError(err)}`, {
    cause: err,
  });
}
