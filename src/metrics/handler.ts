// The /metrics route: content negotiation between Prometheus text and OpenMetrics (with exemplars).

import { COMPLETED, type Done, type RequestContext } from "../http/request-context.js";
import { CONTENT_TYPE, type MetricSource, negotiateFormat, renderMetrics } from "./exposition.js";

export type MetricsEndpoint = (ctx: RequestContext) => Promise<Done>;

/** Renders the registry in the format the scraper asks for; the token check is the route table's `metricsToken`. */
export function createMetricsEndpoint(registry: MetricSource): MetricsEndpoint {
  return async (ctx) => {
    const format = negotiateFormat(ctx.req.headers.accept);
    const body = await renderMetrics(registry, format);
    ctx.res.writeHead(200, {
      "content-type": CONTENT_TYPE[format],
      "content-length": Buffer.byteLength(body),
    });
    ctx.end(ctx.method === "HEAD" ? undefined : body);
    return COMPLETED;
  };
}
