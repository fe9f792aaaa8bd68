// The connection pool to Ollama: one undici Pool, two timeouts (first byte, idle), failures classified into GatewayErrors.

import type { Readable } from "node:stream";
import { type Dispatcher, Pool, errors as undiciErrors } from "undici";
import { GatewayError } from "../errors/gateway-error.js";
import type { UpstreamErrorClass } from "../events/request-events.js";

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
      const res = await this.#pool.request({
        method: req.method as "GET",
        path: req.path,
        headers: this.#options.apiKey
          ? { ...req.headers, authorization: `Bearer ${this.#options.apiKey}` }
          : req.headers,
        body: req.body ?? null,
        signal: req.signal,
        headersTimeout: req.firstByteTimeoutMs ?? this.#options.firstByteTimeoutMs,
        bodyTimeout: this.#options.idleTimeoutMs,
      });
      return { status: res.statusCode, headers: res.headers, body: res.body };
    } catch (err) {
      if (req.signal.aborted) throw err;
      throw classifyUpstreamError(err, "request");
    }
  }

  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}

/** Which class an upstream failure belongs to, for metrics and logs. */
export function upstreamErrorClass(err: GatewayError): UpstreamErrorClass | undefined {
  switch (err.code) {
    case "upstream_unreachable":
      return "connect";
    case "upstream_timeout":
    case "upstream_idle_timeout":
      return "timeout";
    case "upstream_http_error":
    case "model_not_found":
      return "status";
    case "upstream_stream_error":
    case "upstream_protocol_error":
      return "protocol";
    default:
      return undefined;
  }
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
  const cause = (err as { cause?: { code?: string } } | null)?.cause?.code;
  return new GatewayError(
    "upstream_unreachable",
    `cannot reach the upstream: ${cause ?? code ?? ""} ${message}`.trim(),
    {
      cause: err,
    },
  );
}
