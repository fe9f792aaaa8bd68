// Assembles a running gateway from a config: upstream pool (or the in-process simulator), listeners, access log.

import type { ServeConfig } from "./config/serve-config.js";
import { RequestEvents, type RequestListener } from "./events/request-events.js";
import { GatewayServer } from "./http/server.js";
import { accessLogger } from "./log/access-log.js";
import type { Logger } from "./log/logger.js";
import { type RunningSimulator, startSimulator } from "./simulator/index.js";
import { Upstream } from "./upstream/client.js";
import { checkUpstream } from "./upstream/health.js";

export interface RunningGateway {
  url: string;
  host: string;
  port: number;
  upstreamUrl: string;
  server: GatewayServer;
  events: RequestEvents;
  simulator?: RunningSimulator;
  /** Drains (see GatewayServer.drain) and releases the upstream pool and the simulator. */
  stop(graceMs?: number): Promise<{ finished: number; cancelled: number }>;
}

export interface StartOptions {
  logger: Logger;
  /** Extra request listeners (tests observe records this way). */
  listeners?: RequestListener[];
}

export async function startGateway(config: ServeConfig, options: StartOptions): Promise<RunningGateway> {
  const { logger } = options;
  let simulator: RunningSimulator | undefined;
  let upstreamUrl = config.upstream;
  if (config.demo) {
    simulator = await startSimulator({ host: "127.0.0.1", port: 0 });
    upstreamUrl = simulator.url;
    logger.info({ upstream: upstreamUrl }, "demo mode: the built-in Ollama simulator is the upstream");
  }

  const upstream = new Upstream({
    url: upstreamUrl,
    connections: config.upstreamConnections,
    connectTimeoutMs: config.connectTimeoutMs,
    firstByteTimeoutMs: config.firstByteTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
  });
  const events = new RequestEvents((err) => logger.error({ err }, "request listener failed"));
  events.on(accessLogger(logger));
  for (const listener of options.listeners ?? []) events.on(listener);

  const server = new GatewayServer({ config, upstream, events, logger });
  const address = await server.listen(config.listen.host, config.listen.port);
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info({ url, upstream: upstreamUrl }, `llmgate listening on ${url}`);
  if (!isLoopback(address.address))
    logger.warn(
      { listen: url },
      "listening beyond loopback: anyone who can reach this address can use the gateway",
    );

  const health = await checkUpstream(upstream);
  if (health.ok)
    logger.info(
      { upstream: upstreamUrl, version: health.version },
      `upstream Ollama ${health.version} answers`,
    );
  else
    logger.warn(
      { upstream: upstreamUrl, reason: health.reason },
      `upstream is not answering: ${health.reason}. The gateway is up and will forward requests once it answers ` +
        "(/readyz reports 503 until then). No Ollama here? Run `llmgate serve --demo` to use the built-in simulator.",
    );

  return {
    url,
    host: address.address,
    port: address.port,
    upstreamUrl,
    server,
    events,
    ...(simulator ? { simulator } : {}),
    async stop(graceMs = config.shutdownGraceMs) {
      const result = await server.drain(graceMs);
      await upstream.close();
      await simulator?.close();
      return result;
    },
  };
}

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address === "localhost";
}
