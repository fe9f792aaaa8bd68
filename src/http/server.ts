// The gateway's HTTP listener: routing, per-request context, error handling, and the graceful drain on shutdown.

import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DashboardRoute } from "../dashboard/index.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { MetricsHandler } from "../metrics/handler.js";
import { type Cors, createCors } from "./cors.js";
import type { GatewayDeps } from "./deps.js";
import { failRequest } from "./fail.js";
import { canonicalPath } from "./path.js";
import { RequestContext } from "./request-context.js";
import { matchRoute, type RouteEnv, type RouteMatch } from "./router.js";
import type { RunbookRoute } from "./runbook-pages.js";

/** Pending connections the kernel may queue for accept(); capped by net.core.somaxconn. */
const LISTEN_BACKLOG = 65_535;

export interface GatewayServerOptions {
  /** Serves /metrics on this listener; absent when metrics have their own listener. Scrapes are not counted as requests. */
  metrics?: MetricsHandler;
  /**
   * The dashboard's paths (/ui/*, /status.json, /widget.js, and GET / from a browser); absent with --no-ui.
   * Like scrapes, they are not counted as requests, so watching the dashboard does not change what it shows.
   */
  dashboard?: DashboardRoute;
  /** The alerts' runbooks under /runbooks/ (not counted as requests, no API key needed). */
  runbooks?: RunbookRoute;
}

export class GatewayServer {
  readonly server: Server;
  readonly #deps: GatewayDeps;
  readonly #metrics: MetricsHandler | undefined;
  readonly #dashboard: DashboardRoute | undefined;
  readonly #runbooks: RunbookRoute | undefined;
  #connections = 0;
  readonly #inflight = new Set<RequestContext>();
  readonly #env: RouteEnv;
  readonly #cors: Cors | undefined;
  #draining = false;
  #idle?: () => void;

  constructor(deps: GatewayDeps, options: GatewayServerOptions = {}) {
    this.#deps = deps;
    this.#metrics = options.metrics;
    this.#dashboard = options.dashboard;
    this.#runbooks = options.runbooks;
    this.#env = { deps, isDraining: () => this.#draining };
    this.#cors = createCors(deps.config.corsOrigins);
    this.server = createServer(
      {
        // Slowloris guards: a client must send its headers, and its whole body, in bounded time (then 408).
        headersTimeout: deps.config.headerTimeoutMs,
        requestTimeout: deps.config.requestTimeoutMs,
        // Node checks those timeouts on an interval (30 s by default), which would let a slow client hold on
        // for up to 30 s longer; check often enough that the configured timeouts mean what they say.
        connectionsCheckingInterval: Math.min(
          1000,
          Math.max(50, Math.floor(deps.config.headerTimeoutMs / 4)),
        ),
        keepAliveTimeout: 65_000,
      },
      (req, res) => {
        void this.#handle(req, res);
      },
    );
    this.server.on("connection", (socket) => {
      this.#connections++;
      socket.once("close", () => {
        this.#connections--;
      });
    });
    // An Expect header other than 100-continue may be ignored (RFC 9110 §10.1.1); Node would answer 417 by
    // itself, uncounted and without a request id, so such requests are handled like any other.
    this.server.on("checkExpectation", (req, res) => {
      void this.#handle(req, res);
    });
    this.server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
      // Node's own protocol errors: a slow client (408), oversized headers (431), anything else malformed (400).
      const status =
        err.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? "408 Request Timeout"
          : err.code === "HPE_HEADER_OVERFLOW"
            ? "431 Request Header Fields Too Large"
            : "400 Bad Request";
      // A response already under way on this connection must not get a status line in the middle of its body:
      // then the only honest move is to cut the connection (what Node's default handler does too).
      const busy =
        (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
      if (socket.writable && !busy)
        socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      else socket.destroy();
      deps.logger.debug({ err: err.message, code: err.code }, "client protocol error");
    });
  }

  get inflight(): number {
    return this.#inflight.size;
  }

  /** Client TCP connections open right now. */
  get connections(): number {
    return this.#connections;
  }

  get draining(): boolean {
    return this.#draining;
  }

  async listen(host: string, port: number): Promise<AddressInfo> {
    // Node's default backlog is 511: a burst of new connections beyond it (1,000 clients starting at once) has
    // SYNs dropped and retried after 1, 3, 7 s. Ask for more; the kernel caps it at net.core.somaxconn, which is
    // what Go servers get by default.
    this.server.listen({ port, host, backlog: LISTEN_BACKLOG });
    await once(this.server, "listening");
    return this.server.address() as AddressInfo;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const rawPath = query === -1 ? url : url.slice(0, query);
    // Routed, limited and forwarded by its decoded form, so `/api/%63hat` cannot slip past the queue as "other".
    const canonical = canonicalPath(rawPath);
    const pathname = canonical ?? rawPath;
    const method = req.method ?? "GET";
    if (pathname === "/metrics" && this.#metrics) {
      await this.#metrics(req, res).catch((err: unknown) => {
        this.#deps.logger.error({ err }, "rendering /metrics failed");
        if (!res.headersSent) res.writeHead(500).end();
        else res.destroy();
      });
      return;
    }
    if (this.#dashboard?.(req, res, pathname)) return;
    if (this.#runbooks?.(req, res, pathname)) return;
    const match: RouteMatch =
      canonical === undefined
        ? {
            route: "other",
            // Answered in the shape of the API the path was aimed at.
            format: rawPath.startsWith("/api/") ? "ollama" : "openai",
            public: true,
            handler: () => {
              throw new GatewayError(
                "invalid_request",
                "the request path is not valid (bad percent-encoding, dot segments or empty segments)",
              );
            },
          }
        : matchRoute(method, pathname);
    const ctx = new RequestContext(
      req,
      res,
      match.route,
      this.#deps.events,
      this.#deps.config.clientWriteTimeoutMs,
    );
    ctx.path = pathname;
    ctx.query = query === -1 ? "" : url.slice(query);
    this.#inflight.add(ctx);
    try {
      if (this.#cors?.apply(req, res)) {
        ctx.finish("completed");
        return;
      }
      if (this.#draining)
        throw new GatewayError("shutting_down", "the gateway is shutting down; retry on another instance");
      if (!match.public) this.#authorize(ctx);
      await match.handler(ctx, this.#env);
      if (!ctx.finished) throw new Error(`handler for ${match.route} returned without ending the request`);
    } catch (err) {
      failRequest(ctx, err, {
        format: match.format,
        onInternal: (e) => this.#deps.logger.error({ err: e, reqId: ctx.id }, "internal error"),
      });
    } finally {
      this.#inflight.delete(ctx);
      if (this.#inflight.size === 0) this.#idle?.();
    }
  }

  /** With API keys configured: the request must present one, and the key must be within its limits. */
  #authorize(ctx: RequestContext): void {
    const { keys, limiter } = this.#deps;
    if (!keys.enabled) return;
    const auth = keys.authenticate(ctx.req.headers);
    if (!auth.ok)
      throw new GatewayError(
        auth.code,
        auth.code === "missing_api_key"
          ? "this gateway requires an API key: send Authorization: Bearer <key> (or x-api-key)"
          : "the API key is not valid",
      );
    ctx.keyName = auth.name;
    const limit = limiter.take(auth.name);
    if (!limit.ok)
      throw new GatewayError(
        "rate_limited",
        `the key "${auth.name}" is over its ${limit.limit === "rpm" ? "requests" : "tokens"}-per-minute limit; retry in ${limit.retryAfterS} s`,
        { retryAfterS: limit.retryAfterS },
      );
  }

  /**
   * Takes no new work (new requests get 503 with Retry-After, /readyz turns 503), lets in-flight requests
   * finish for up to `graceMs`, then cancels what remains (streams get a final error frame). Resolves when
   * every request has ended and the listener is closed.
   */
  async drain(graceMs: number): Promise<{ finished: number; cancelled: number }> {
    this.#draining = true;
    this.server.closeIdleConnections();
    const before = this.#inflight.size;
    let cancelled = 0;
    if (before > 0) {
      const idle = new Promise<void>((resolve) => {
        this.#idle = resolve;
      });
      let timer: NodeJS.Timeout | undefined;
      const expired = new Promise<"expired">((resolve) => {
        timer = setTimeout(() => resolve("expired"), graceMs);
      });
      const result = await Promise.race([idle, expired]);
      clearTimeout(timer);
      if (result === "expired") {
        cancelled = this.#inflight.size;
        for (const ctx of this.#inflight) ctx.cancel();
        // Cancelled requests end at once; a connection that still holds on is cut after a short wait.
        const cut = setTimeout(() => this.server.closeAllConnections(), 2000);
        await idle;
        clearTimeout(cut);
      }
    }
    // close() ends idle keep-alive connections once their last response is flushed; the rest are cut after 2 s.
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const cut = setTimeout(() => this.server.closeAllConnections(), 2000);
    await closed;
    clearTimeout(cut);
    return { finished: before - cancelled, cancelled };
  }
}
