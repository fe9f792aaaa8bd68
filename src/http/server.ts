// The gateway's HTTP listener: routing, per-request context, error handling, and the graceful drain on shutdown.

import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { DashboardPages } from "../dashboard/handler.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { MetricsEndpoint } from "../metrics/handler.js";
import { type Authorize, createAuthorize } from "./authorize.js";
import { type Cors, createCors } from "./cors.js";
import type { GatewayDeps } from "./deps.js";
import { respondError } from "./fail.js";
import { HANDLERS, type RouteEnv, truncate } from "./handlers.js";
import { canonicalPath } from "./path.js";
import { COMPLETED, type Done, RequestContext } from "./request-context.js";
import type { Feature, RouteSpec } from "./route-table.js";
import { allowsMethod, createRouter, type Router } from "./router.js";
import type { RunbookPages } from "./runbook-pages.js";

/** Pending connections the kernel may queue for accept(); capped by net.core.somaxconn. */
const LISTEN_BACKLOG = 65_535;

export interface GatewayServerOptions {
  /** Serves /metrics on this listener; absent when metrics have their own listener. */
  metrics?: MetricsEndpoint;
  /** The dashboard's pages and data (/ui/*, /status.json, /widget.js, GET / from a browser); absent with --no-ui. */
  dashboard?: DashboardPages;
  /** The alerts' runbooks under /runbooks/. */
  runbooks?: RunbookPages;
  /** Serve only these features' routes (the metrics listener: metrics and runbooks); default: all that are given. */
  only?: readonly Feature[];
}

export class GatewayServer {
  readonly server: Server;
  readonly #deps: GatewayDeps;
  readonly #router: Router;
  readonly #badPath: RouteSpec;
  readonly #badNativePath: RouteSpec;
  readonly #authorize: Authorize;
  #connections = 0;
  readonly #inflight = new Set<RequestContext>();
  #counted = 0;
  readonly #env: RouteEnv;
  readonly #cors: Cors | undefined;
  #draining = false;
  #idle?: () => void;

  constructor(deps: GatewayDeps, options: GatewayServerOptions = {}) {
    this.#deps = deps;
    const given: Feature[] = ["api"];
    if (options.metrics) given.push("metrics");
    if (options.dashboard) given.push("dashboard");
    if (options.runbooks) given.push("runbooks");
    // A listener of its own (metrics) answers other paths with 404 too, but they are not the gateway's traffic.
    this.#router = createRouter(
      new Set(options.only ? given.filter((f) => options.only?.includes(f)) : given),
      options.only ? { traffic: "none", auth: "none" } : {},
    );
    // A path that cannot be routed by its decoded form is answered like an unknown path, without a key, in the
    // shape of the API it was aimed at.
    this.#badPath = { ...this.#router.fallback, auth: "none" };
    this.#badNativePath = { ...this.#badPath, format: "ollama" };
    this.#authorize = createAuthorize({
      keys: deps.keys,
      limiter: deps.limiter,
      adminKeys: deps.config.adminKeys,
      metricsToken: deps.config.metricsToken,
    });
    this.#env = {
      deps,
      isDraining: () => this.#draining,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      ...(options.dashboard ? { dashboard: options.dashboard } : {}),
      ...(options.runbooks ? { runbooks: options.runbooks } : {}),
    };
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

  /** Requests being served that count as traffic (scrapes and the dashboard's own requests do not). */
  get inflight(): number {
    return this.#counted;
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

  /**
   * The pipeline, in order: route (by the decoded path), CORS, drain, method, auth, handler; the handler returns
   * how the request ended, and the request is recorded here, once, whatever happened on the way.
   */
  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const query = url.indexOf("?");
    const rawPath = query === -1 ? url : url.slice(0, query);
    // Routed, limited and forwarded by its decoded form, so `/api/%63hat` cannot slip past the queue as "other".
    const canonical = canonicalPath(rawPath);
    const spec =
      canonical === undefined
        ? rawPath.startsWith("/api/")
          ? this.#badNativePath
          : this.#badPath
        : this.#router.match(canonical, () => req.method === "GET" && acceptsHtml(req));
    const ctx = new RequestContext(req, res, spec, this.#deps.events, this.#deps.config.clientWriteTimeoutMs);
    ctx.path = canonical ?? rawPath;
    ctx.query = query === -1 ? "" : url.slice(query);
    this.#inflight.add(ctx);
    const counted = spec.traffic !== "none";
    if (counted) this.#counted++;
    let done: Done;
    try {
      done = await this.#run(ctx, spec, canonical !== undefined);
    } catch (err) {
      done = respondError(ctx, err, {
        format: spec.format,
        onInternal: (e) =>
          this.#deps.logger.error({ err: e, reqId: ctx.id, route: spec.name }, "internal error"),
      });
    }
    ctx.finish(done);
    if (counted) this.#counted--;
    this.#inflight.delete(ctx);
    if (this.#inflight.size === 0) this.#idle?.();
  }

  #run(ctx: RequestContext, spec: RouteSpec, routable: boolean): Promise<Done> | Done {
    if (this.#cors?.apply(ctx.req, ctx.res)) return COMPLETED;
    // Scrapes and the dashboard stay available while draining: they show the drain.
    if (this.#draining && spec.traffic !== "none")
      throw new GatewayError("shutting_down", "the gateway is shutting down; retry on another instance");
    if (!routable)
      throw new GatewayError(
        "invalid_request",
        "the request path is not valid (bad percent-encoding, dot segments or empty segments)",
      );
    if (!allowsMethod(spec, ctx.method)) {
      const methods = spec.methods === "any" ? [] : spec.methods;
      ctx.res.setHeader("allow", methods.join(", "));
      throw new GatewayError(
        "method_not_allowed",
        `${spec.name} does not accept ${truncate(ctx.method)}; use ${methods.join(" or ")}`,
      );
    }
    this.#authorize(ctx, spec.auth);
    return HANDLERS[spec.name as keyof typeof HANDLERS](ctx, this.#env);
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

/** A browser asking for a page (its Accept names text/html), not an API client. */
function acceptsHtml(req: IncomingMessage): boolean {
  return /\btext\/html\b/.test(String(req.headers.accept ?? ""));
}
