// Takes an admission slot for a request that is about to go upstream, and gives it back when the request ends.

import type { GatewayDeps } from "./deps.js";
import type { RequestContext } from "./request-context.js";

/**
 * Waits for a slot (recording the wait), or rejects: queue_full / queue_timeout as GatewayErrors, or the abort
 * reason when the client leaves while queued (it then never reaches the upstream).
 */
export async function admit(ctx: RequestContext, deps: GatewayDeps): Promise<void> {
  if (!deps.admission) return;
  const start = ctx.elapsed();
  const release = await deps.admission.acquire(ctx.abort);
  ctx.queueWaitMs = ctx.elapsed() - start;
  ctx.onFinish(release);
}
