// Runs one generation against the upstream and relays it to the client, as SSE or as one JSON body, ending in one outcome.

import { outcomeOf } from "../errors/error-spec.js";
import type { Aggregator, SseTranslator, StreamState } from "../translate/index.js";
import type { Exchange } from "../upstream/client.js";
import { errorFromUpstream } from "../upstream/upstream-error.js";
import type { GatewayDeps } from "./deps.js";
import { failRequest } from "./fail.js";
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
): Promise<Exchange> {
  ctx.markUpstreamStart();
  const headers: Record<string, string> = { "x-request-id": ctx.id };
  let body: string | null = null;
  if (payload !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(payload);
  }
  const res = await deps.upstream.open({ method, path, headers, body, signal: ctx.abort });
  ctx.markUpstreamFirstByte();
  if (res.status !== 200) {
    const err = await errorFromUpstream(res);
    ctx.markUpstreamEnd();
    throw err;
  }
  return res;
}

/**
 * Feeds the upstream body to `onChunk` until it ends, or until `onChunk` returns false (the exchange is then
 * aborted: the rest is not wanted). Chunks that arrive in one socket read (undici delivers each HTTP chunk, and
 * Ollama sends one per token) are handed over together, once the read is processed, so they cost one client write.
 * When the client's socket is full the upstream is paused until it drains, so a slow reader slows Ollama instead of
 * filling the gateway's memory. Rejects with the upstream's failure, or with the abort reason when the client left.
 */
export function pump(ctx: RequestContext, res: Exchange, onChunk: (chunk: Buffer) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let batch: Buffer[] = [];
    let scheduled = false;
    let waiting = false;
    let done = false;
    let ended = false;
    let failure: { err: unknown } | undefined;

    const settle = (err?: { err: unknown }): void => {
      if (done) return;
      done = true;
      if (err) reject(err.err);
      else resolve();
    };
    const drainFailed = (err: unknown): void => {
      waiting = false;
      if (done) return;
      // Settled first: aborting the exchange reports its own (classified) error to onError synchronously.
      settle({ err });
      res.abort(err);
    };
    const resume = (): void => {
      waiting = false;
      if (done) return;
      res.resume();
      flush();
    };
    const flush = (): void => {
      scheduled = false;
      if (done || waiting) return;
      if (batch.length > 0) {
        const chunk = batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch);
        batch = [];
        let more: boolean;
        try {
          more = onChunk(chunk);
        } catch (err) {
          // Settled before the abort, whose error reaches onError synchronously (undici calls the handler's
          // onResponseError from controller.abort) and would otherwise win as an upstream_protocol_error.
          settle({ err }); // a bug in a codec: counted as internal, not blamed on the upstream
          res.abort(err);
          return;
        }
        if (!more) {
          settle();
          res.abort(new Error("the rest of the upstream response is not needed"));
          return;
        }
        if (ctx.res.writableNeedDrain && !ended && failure === undefined) {
          waiting = true;
          res.pause();
          ctx.drained().then(resume, drainFailed);
          return;
        }
      }
      if (failure) settle(failure);
      else if (ended) settle();
    };

    res.read({
      onData(chunk) {
        if (done) return true;
        batch.push(chunk);
        if (!scheduled && !waiting) {
          scheduled = true;
          queueMicrotask(flush);
        }
        return !waiting;
      },
      onEnd() {
        ended = true;
        // Otherwise the scheduled flush, or the one after the drain, hands over the rest and settles.
        if (batch.length === 0) settle();
      },
      onError(err) {
        // What arrived before the failure is still handed over by the scheduled flush (a codec turns it into
        // frames before the error frame), unless the client is not reading anyway.
        failure = { err };
        if (batch.length === 0 || waiting) settle(failure);
      },
    });
  });
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
    await pump(ctx, res, (chunk) => {
      const out = codec.push(chunk);
      if (out.length > 0) {
        ctx.send(out);
        if (codec.state.contentStarted) ctx.markToken();
      }
      return codec.state.error === undefined;
    });
    ctx.markUpstreamEnd();
    const tail = codec.end();
    absorbState(ctx, codec.state);
    ctx.end(tail);
    if (codec.state.error) ctx.finish(outcomeOf(codec.state.error), codec.state.error);
    else ctx.finish("completed");
  } catch (err) {
    absorbState(ctx, codec.state);
    failRequest(ctx, err, { format: "openai", sse: codec });
  }
}

async function relayJson(ctx: RequestContext, res: Exchange, codec: Aggregator<unknown>): Promise<void> {
  let result: unknown;
  try {
    await pump(ctx, res, (chunk) => {
      codec.push(chunk);
      return codec.state.error === undefined;
    });
    ctx.markUpstreamEnd();
    // A non-streamed body has no final newline: its one line is read by end().
    result = codec.end();
    absorbState(ctx, codec.state);
  } catch (err) {
    ctx.markUpstreamEnd();
    absorbState(ctx, codec.state);
    throw err;
  }
  ctx.sendJson(200, result);
  ctx.finish("completed");
}

function absorbState(ctx: RequestContext, state: StreamState): void {
  if (state.stats) ctx.stats = state.stats;
  if (state.doneReason !== undefined) ctx.doneReason = state.doneReason;
}
