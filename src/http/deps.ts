// What the HTTP handlers are given: config, the upstream pool, the lifecycle publisher and the logger.

import type { AdmissionQueue } from "../admission/queue.js";
import type { KeyRing } from "../auth/api-keys.js";
import type { RateLimiter } from "../auth/rate-limit.js";
import type { ServeConfig } from "../config/serve-config.js";
import type { RequestEvents } from "../events/request-events.js";
import type { Logger } from "../log/logger.js";
import type { Upstream } from "../upstream/client.js";
import type { UpstreamSelector } from "../upstream/select.js";

export interface GatewayDeps {
  config: ServeConfig;
  /** The upstream the gateway's own checks ask (readiness); requests go where `upstreams` sends them. */
  upstream: Upstream;
  /** Chooses the host of each upstream request. */
  upstreams: UpstreamSelector;
  events: RequestEvents;
  logger: Logger;
  /** Absent when max-concurrency is 0 (unlimited). */
  admission: AdmissionQueue | undefined;
  keys: KeyRing;
  limiter: RateLimiter;
}
