// Assembles a running gateway from a config: upstream pool (or the in-process simulator), listeners, access log.

import type { AddressInfo } from "node:net";
import { AdmissionQueue } from "./admission/queue.js";
import { KeyRing } from "./auth/api-keys.js";
import { RateLimiter } from "./auth/rate-limit.js";
import { ConfigError } from "./config/load.js";
import type { ServeConfig } from "./config/serve-config.js";
import { createDashboard, type Dashboard } from "./dashboard/index.js";
import { RequestEvents, type RequestListener } from "./events/request-events.js";
import { createRunbookPages } from "./http/runbook-pages.js";
import { GatewayServer } from "./http/server.js";
import { accessLogger } from "./log/access-log.js";
import type { Logger } from "./log/logger.js";
import { GatewayMetrics, HISTOGRAM_NAMES, isHistogramName } from "./metrics/gateway-metrics.js";
import { createMetricsEndpoint } from "./metrics/handler.js";
import type { RunningSimulator } from "./tools/simulator/index.js";
import { Upstream } from "./upstream/client.js";
import { learnServedModels, ModelPoller } from "./upstream/model-poller.js";
import { singleUpstream } from "./upstream/select.js";
import { VERSION } from "./version.js";

export interface RunningGateway {
  url: string;
  host: string;
  port: number;
  upstreamUrl: string;
  server: GatewayServer;
  events: RequestEvents;
  metrics: GatewayMetrics;
  poller: ModelPoller;
  /** The dashboard's history and pages; absent with --no-ui. */
  dashboard?: Dashboard;
  /** Where /metrics is served: the main URL, or the separate metrics listener. */
  metricsUrl: string;
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
  for (const name of Object.keys(config.metricsBuckets))
    if (!isHistogramName(name))
      throw new ConfigError(
        `config error:\n  metrics-buckets: "${name}" is not a histogram of the catalog; histograms: ${HISTOGRAM_NAMES.join(", ")}`,
      );
  let simulator: RunningSimulator | undefined;
  let upstreamUrl = config.upstream;
  if (config.demo) {
    // Loaded only in demo mode: a gateway in front of a real Ollama does not carry the simulator.
    const { startSimulator } = await import("./tools/simulator/index.js");
    simulator = await startSimulator({ ...config.demoSimulator, host: "127.0.0.1", port: 0 });
    upstreamUrl = simulator.url;
    logger.info(
      { upstream: upstreamUrl, ...config.demoSimulator },
      "demo mode: the built-in Ollama simulator is the upstream",
    );
  }

  const upstream = new Upstream({
    url: upstreamUrl,
    connections: config.upstreamConnections,
    connectTimeoutMs: config.connectTimeoutMs,
    firstByteTimeoutMs: config.firstByteTimeoutMs,
    idleTimeoutMs: config.idleTimeoutMs,
    ...(config.upstreamApiKey ? { apiKey: config.upstreamApiKey } : {}),
  });
  const metrics = new GatewayMetrics({
    prefix: config.metricsPrefix,
    buckets: config.metricsBuckets,
    version: VERSION,
  });
  const poller = new ModelPoller(
    upstream,
    { intervalMs: config.pollIntervalMs, maxLearned: config.metricsLearnedModels },
    {
      onLoad: (model) => {
        metrics.onModelLoad(model);
        logger.info({ model }, "upstream loaded a model");
      },
      onUnload: (model) => {
        metrics.onModelUnload(model);
        logger.info({ model }, "upstream unloaded a model");
      },
    },
  );
  metrics.bindUpstream(poller);
  const admission =
    config.maxConcurrency > 0
      ? new AdmissionQueue({
          maxConcurrency: config.maxConcurrency,
          maxQueue: config.maxQueue,
          queueTimeoutMs: config.queueTimeoutMs,
        })
      : undefined;
  const keys = new KeyRing(config.apiKeys);
  const limiter = new RateLimiter(new Map(config.keyLimits.map((l) => [l.name, l.limits])));
  const events = new RequestEvents((err) => logger.error({ err }, "request listener failed"));
  events.on(learnServedModels(poller));
  events.on((record) => metrics.observe(record));
  events.on((record) => {
    // Tokens count against the key's tokens-per-minute budget once the upstream reports them.
    if (record.key !== undefined)
      limiter.charge(record.key, (record.promptTokens ?? 0) + (record.completionTokens ?? 0));
  });
  events.on(accessLogger(logger));
  // The dashboard listens to the same records as the metrics, so its numbers and /metrics agree.
  const dashboard = config.ui
    ? createDashboard({
        keys,
        metricsBuckets: config.metricsBuckets,
        upstream: poller,
        upstreamUrl,
        version: VERSION,
        maxQueue: config.maxQueue,
        onError: (err) => logger.error({ err }, "dashboard failed"),
      })
    : undefined;
  if (dashboard) {
    events.on((record) => dashboard.observe(record));
    if (!dashboard.assetsBuilt)
      logger.warn("the dashboard's pages are not built (dist/ui is missing): run `npm run build`");
  }
  for (const listener of options.listeners ?? []) events.on(listener);

  const metricsEndpoint = createMetricsEndpoint(metrics.registry);
  // Served on the metrics listener too: the kit links alerts to the address Prometheus scrapes.
  const runbooks = createRunbookPages();
  const deps = {
    config,
    upstream,
    upstreams: singleUpstream(upstream),
    events,
    logger,
    admission,
    keys,
    limiter,
  };
  const server = new GatewayServer(deps, {
    ...(config.metricsListen ? {} : { metrics: metricsEndpoint }),
    ...(dashboard ? { dashboard: dashboard.pages } : {}),
    runbooks,
  });
  metrics.bindState({
    inflight: () => server.inflight,
    connections: () => server.connections,
    queueLength: () => admission?.queued ?? 0,
    queueCapacity: () => (admission ? config.maxQueue : 0),
    concurrencyLimit: () => config.maxConcurrency,
    upstreamActive: () => admission?.active ?? 0,
  });
  dashboard?.bindState({
    inflight: () => server.inflight,
    queued: () => admission?.queued ?? 0,
    upstreamActive: () => admission?.active ?? 0,
    concurrencyLimit: () => config.maxConcurrency,
  });
  dashboard?.start();
  const address = await server.listen(config.listen.host, config.listen.port);
  const url = urlOf(address);
  logger.info({ url, upstream: upstreamUrl }, `llmgate listening on ${url}, forwarding to ${upstreamUrl}`);
  if (dashboard) logger.info({ url: `${url}/ui/` }, `dashboard: ${url}/ui/`);

  // /metrics (and the runbooks its alerts link to) on a listener of their own: the same pipeline, two features.
  let metricsServer: GatewayServer | undefined;
  let metricsUrl = url;
  if (config.metricsListen) {
    metricsServer = new GatewayServer(deps, {
      metrics: metricsEndpoint,
      runbooks,
      only: ["metrics", "runbooks"],
    });
    const metricsAddress = await metricsServer.listen(config.metricsListen.host, config.metricsListen.port);
    metricsUrl = urlOf(metricsAddress);
    logger.info({ url: `${metricsUrl}/metrics` }, `metrics on ${metricsUrl}/metrics`);
  }
  if (!isLoopback(address.address) && !keys.enabled)
    logger.warn(
      { listen: url },
      "listening beyond loopback without API keys: anyone who can reach this address can use the gateway " +
        "(add --api-key NAME=SECRET)",
    );

  await poller.start();
  const first = poller.snapshot;
  if (first.up)
    logger.info(
      { upstream: upstreamUrl, version: first.version, models: first.models.map((m) => m.name) },
      `upstream Ollama ${first.version} answers with ${first.models.length} model(s)`,
    );
  else
    logger.warn(
      { upstream: upstreamUrl, reason: first.lastError },
      `upstream is not answering: ${first.lastError}. The gateway is up and will forward requests once it answers ` +
        "(/readyz reports 503 until then). No Ollama here? Run `llmgate serve --demo` to use the built-in simulator.",
    );

  return {
    url,
    host: address.address,
    port: address.port,
    upstreamUrl,
    server,
    events,
    metrics,
    poller,
    ...(dashboard ? { dashboard } : {}),
    metricsUrl,
    ...(simulator ? { simulator } : {}),
    async stop(graceMs = config.shutdownGraceMs) {
      const result = await server.drain(graceMs);
      poller.stop();
      dashboard?.stop();
      await metricsServer?.drain(0);
      await upstream.close();
      await simulator?.close();
      return result;
    },
  };
}

function urlOf(address: AddressInfo): string {
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

function isLoopback(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address === "localhost";
}
