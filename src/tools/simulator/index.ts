// The Ollama simulator: an HTTP server that behaves like Ollama (see shared/reference/ollama-api.md) for tests, demos and load tests.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Catalog } from "./catalog.js";
import { RequestScope, type SimContext } from "./context.js";
import { handleEmbed, handleEmbeddings } from "./embed.js";
import { decodeKeepAlive } from "./go-duration.js";
import { sendError } from "./http-io.js";
import { makeInferenceHandler } from "./inference.js";
import { handlePs, handleRoot, handleShow, handleTags, handleVersion, statsHandler } from "./info.js";
import { resolveSimulatorOptions, type SimulatorOptions } from "./options.js";
import { hash32, Rng } from "./prng.js";
import { answerMiss, type Route, Router } from "./router.js";
import { Scheduler } from "./scheduler.js";
import { Counters, type SimulatorStats } from "./stats.js";

export {
  defaultSimulatorOptions,
  resolveSimulatorOptions,
  type SimulatorOptions,
  SimulatorOptionsError,
  simulatorOptionsSchema,
} from "./options.js";
export type { SimulatorStats } from "./stats.js";

export interface RunningSimulator {
  /** `http://host:port`, to use as an Ollama base URL. */
  url: string;
  port: number;
  stats(): SimulatorStats;
  /** Stops listening, aborts every request in flight, destroys open sockets and clears all timers. */
  close(): Promise<void>;
}

function routes(stats: () => SimulatorStats): Route[] {
  const r = (method: string, path: string, handler: Route["handler"], counted = false): Route => ({
    method,
    path,
    handler,
    counted,
  });
  return [
    r("GET", "/", handleRoot),
    r("HEAD", "/", handleRoot),
    r("GET", "/api/version", handleVersion),
    r("HEAD", "/api/version", handleVersion),
    r("GET", "/api/tags", handleTags),
    r("HEAD", "/api/tags", handleTags),
    r("GET", "/api/ps", handlePs),
    r("POST", "/api/show", handleShow),
    r("POST", "/api/chat", makeInferenceHandler("chat"), true),
    r("POST", "/api/generate", makeInferenceHandler("generate"), true),
    r("POST", "/api/embed", handleEmbed, true),
    r("POST", "/api/embeddings", handleEmbeddings, true),
    // Not part of Ollama: the simulator's own counters, for tests and demos.
    r("GET", "/_sim/stats", statsHandler(stats)),
  ];
}

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}

/** Starts a simulator; options are validated first (SimulatorOptionsError names the bad one). */
export async function startSimulator(options: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const opts = resolveSimulatorOptions(options);
  const counters = new Counters();
  const scheduler = new Scheduler(
    { parallel: opts.parallel, maxQueue: opts.maxQueue, loadMs: opts.loadMs },
    counters,
  );
  const keepAlive = decodeKeepAlive(opts.keepAlive);
  const ctx: SimContext = {
    options: opts,
    catalog: new Catalog(opts.models, opts.seed, Date.now()),
    scheduler,
    counters,
    faults: new Rng(hash32("faults", opts.seed)),
    defaultKeepAliveMs: "value" in keepAlive ? keepAlive.value : 300_000,
  };
  const stats = (): SimulatorStats => ({
    active: scheduler.active,
    queued: scheduler.queued,
    stalled: counters.stalled,
    completed: counters.completed,
    aborted: counters.aborted,
    failed: counters.failed,
    loads: counters.loads,
    unloads: counters.unloads,
    requests: counters.requests,
  });
  const router = new Router(routes(stats));
  const scopes = new Set<RequestScope>();

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    res.on("error", () => {}); // a write racing a client that left; the scope already saw the close
    const match = router.match(req.method ?? "GET", req.url ?? "/");
    if (match.kind !== "route") {
      answerMiss(match, req, res);
      return;
    }
    const scope = new RequestScope(res, match.route.counted ? counters : undefined);
    scopes.add(scope);
    res.on("close", () => scopes.delete(scope));
    match.route.handler(ctx, req, res, scope).catch((err: unknown) => {
      // A bug, not a simulated failure: answer like Ollama's default branch if still possible.
      if (!res.headersSent) sendError(res, 500, err instanceof Error ? err.message : String(err));
      else res.destroy();
      scope.settle("failed");
    });
  };

  const server: Server = createServer({ noDelay: true, requestTimeout: 0 }, onRequest);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const scope of scopes) scope.abort();
      scopes.clear();
      server.closeAllConnections();
      scheduler.close();
    });
    return closing;
  };

  return { url: `http://${urlHost(opts.host)}:${port}`, port, stats, close };
}
