// The upstream stages of a request, in order: admission (for routes the table admits), choosing the host, the timed exchange.

import type { Exchange, OpenRequest } from "../upstream/client.js";
import { errorFromUpstream } from "../upstream/upstream-error.js";
import type { GatewayDeps } from "./deps.js";
import type { RequestContext } from "./request-context.js";

/** One upstream request: what the handler sends; the signal and the timings come from the request. */
export type UpstreamCall = Omit<OpenRequest, "signal" | "timings">;

/**
 * Sends `call` upstream on behalf of `ctx`. For a route the table marks `admitted`, first waits for an admission
 * slot (released when the request ends; queue_full / queue_timeout reject, and a client that leaves while queued
 * never reaches the upstream). Resolves when the response headers arrived, whatever the status; the exchange
 * records its own start, first byte and end on `ctx`.
 */
export async function forward(ctx: RequestContext, deps: GatewayDeps, call: UpstreamCall): Promise<Exchange> {
  if (ctx.spec.admitted && deps.admission) {
    const start = ctx.elapsed();
    const release = await deps.admission.acquire(ctx.abort);
    ctx.queueWaitMs = ctx.elapsed() - start;
    ctx.onFinish(release);
  }
  const upstream = deps.upstreams.select({ model: ctx.model });
  return upstream.open({ ...call, signal: ctx.abort, timings: ctx });
}

/** Like `forward` with a JSON payload, for the translated routes: a non-200 answer rejects as a GatewayError carrying Ollama's message. */
export async function forwardJson(
  ctx: RequestContext,
  deps: GatewayDeps,
  method: string,
  path: string,
  payload?: unknown,
): Promise<Exchange> {
  const headers: Record<string, string> = { "x-request-id": ctx.id };
  let body: string | null = null;
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(payload);
  }
  const res = await forward(ctx, deps, { method, path, headers, body });
  if (res.status !== 200) throw await errorFromUpstream(res);
  return res;
}
