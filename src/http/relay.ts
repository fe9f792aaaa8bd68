// Runs one generation against the upstream and relays it to the client, as SSE or as one JSON body, ending in one outcome.

import type { Aggregator, SseTranslator, StreamState } from "../translate/index.js";
import { classifyUpstreamError, type UpstreamResponse } from "../upstream/client.js";
import { errorFromUpstream } from "../upstream/upstream-error.js";
import type { GatewayDeps } from "./deps.js";
import { failRequest } from "./fail.js";
import { outcomeOf } from "./outcome.js";
import type { RequestContext } from "./request-context.js";

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  // Tells nginx and similar proxies in front of the gateway not to buffer the stream.
  "x-accel-buffering": "no",
};

export type RelayMode = { kind: "sse"; codec: SseTranslator } | { kind: "json"; codec: Aggregator<unknown> };

/** Opens the upstream request; a non-200 answer becomes a GatewayError carrying Ollama's message. */
export async function openUpstream(
  ctx: RequestContext,
  deps: GatewayDeps,
  method: string,
  path: string,
  payload?: unknown,
): Promise<UpstreamResponse> {
  ctx.markUpstreamStart();
  const headers: Record<string, string> = { "x-request-id": ctx.id };
  let body: string | null = null;
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(payload);
  }
  const res = await deps.upstream.request({ method, path, headers, body, signal: ctx.abort.signal });
  ctx.markUpstreamFirstByte();
  if (res.status !== 200) {
    const err = await errorFromUpstream(res);
    ctx.markUpstreamEnd();
    throw err;
  }
  return res;
}

/**
 * Streams the upstream NDJSON through the codec. Errors before the first byte to the client propagate
 * (the caller answers with a status); after that they end the stream with an error frame and are counted here.
 */
export async function relayGeneration(
  ctx: RequestContext,
  deps: GatewayDeps,
  path: string,
  payload: unknown,
  mode: RelayMode,
): Promise<void> {
  const res = await openUpstream(ctx, deps, "POST", path, payload);
  if (mode.kind === "json") {
    await relayJson(ctx, res, mode.codec);
    return;
  }
  const codec = mode.codec;
  ctx.writeHead(200, SSE_HEADERS);
  ctx.streamStarted = true;
  try {
    for await (const chunk of res.body) {
      const out = codec.push(chunk);
      if (out.length > 0) {
        await ctx.write(out);
        if (codec.state.contentStarted) ctx.markToken();
      }
      if (codec.state.error) break;
    }
    ctx.markUpstreamEnd();
    const tail = codec.end();
    absorbState(ctx, codec.state);
    ctx.end(tail);
    if (codec.state.error) ctx.finish(outcomeOf(codec.state.error), codec.state.error);
    else ctx.finish("completed");
  } catch (err) {
    absorbState(ctx, codec.state);
    failRequest(ctx, classifyUpstreamError(err, "body"), { format: "openai", sse: codec });
  } finally {
    if (!res.body.destroyed) res.body.destroy();
  }
}

async function relayJson(
  ctx: RequestContext,
  res: UpstreamResponse,
  codec: Aggregator<unknown>,
): Promise<void> {
  let result: unknown;
  try {
    for await (const chunk of res.body) {
      codec.push(chunk);
      if (codec.state.error) break;
    }
    ctx.markUpstreamEnd();
    absorbState(ctx, codec.state);
    result = codec.end();
  } catch (err) {
    ctx.markUpstreamEnd();
    absorbState(ctx, codec.state);
    throw classifyUpstreamError(err, "body");
  } finally {
    if (!res.body.destroyed) res.body.destroy();
  }
  ctx.sendJson(200, result);
  ctx.finish("completed");
}

function absorbState(ctx: RequestContext, state: StreamState): void {
  if (state.stats) ctx.stats = state.stats;
  if (state.doneReason !== undefined) ctx.doneReason = state.doneReason;
}
