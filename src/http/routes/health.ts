// Liveness (/healthz: the process serves) and readiness (/readyz: the upstream answers) probes.

import { checkUpstream } from "../../upstream/health.js";
import type { GatewayDeps } from "../deps.js";
import { COMPLETED, type Done, type RequestContext } from "../request-context.js";

export function healthz(ctx: RequestContext): Done {
  ctx.sendJson(200, { status: "ok" });
  return COMPLETED;
}

/** 200 with the upstream's version, or 503 with the reason; a draining gateway is not ready either. */
export async function readyz(ctx: RequestContext, deps: GatewayDeps, draining: boolean): Promise<Done> {
  if (draining) {
    ctx.sendJson(503, { status: "unready", reason: "the gateway is shutting down" });
    return COMPLETED;
  }
  const health = await checkUpstream(deps.upstream);
  if (health.ok)
    ctx.sendJson(200, { status: "ready", upstream: { url: deps.upstream.url, version: health.version } });
  else ctx.sendJson(503, { status: "unready", reason: health.reason, upstream: { url: deps.upstream.url } });
  return COMPLETED;
}
