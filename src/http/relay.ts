// Shapes a translated generation's answer: the upstream NDJSON through a codec, as SSE or as one JSON body, ending in one outcome.

import { outcomeOf } from "../errors/error-spec.js";
import type { Aggregator, SseTranslator, StreamState } from "../translate/index.js";
import type { GatewayDeps } from "./deps.js";
import { respondError } from "./fail.js";
import { forwardJson } from "./forward.js";
import { pump } from "./pump.js";
import type { Done, RequestContext } from "./request-context.js";

const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  "cache-control": "no-cache",
  // Tells nginx and similar proxies in front of the gateway not to buffer the stream.
  "x-accel-buffering": "no",
};

export type RelayMode = { kind: "sse"; codec: SseTranslator } | { kind: "json"; codec: Aggregator<unknown> };

/**
 * Runs one generation upstream and answers with the codec's output. Errors before the first byte to the client
 * propagate (the pipeline answers with a status); after that the stream ends with an error frame, here.
 */
export async function relayGeneration(
  ctx: RequestContext,
  deps: GatewayDeps,
  path: string,
  payload: unknown,
  mode: RelayMode,
): Promise<Done> {
  const res = await forwardJson(ctx, deps, "POST", path, payload);
  if (mode.kind === "json") return relayJson(ctx, res, mode.codec);
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
    const tail = codec.end();
    ctx.end(tail);
    const error = codec.state.error;
    return usage(error ? { outcome: outcomeOf(error), error } : { outcome: "completed" }, codec.state);
  } catch (err) {
    return usage(respondError(ctx, err, { format: "openai", sse: codec }), codec.state);
  }
}

async function relayJson(
  ctx: RequestContext,
  res: Parameters<typeof pump>[1],
  codec: Aggregator<unknown>,
): Promise<Done> {
  await pump(ctx, res, (chunk) => {
    codec.push(chunk);
    return codec.state.error === undefined;
  });
  // A non-streamed body has no final newline: its one line is read by end().
  const result = codec.end();
  ctx.sendJson(200, result);
  return usage({ outcome: "completed" }, codec.state);
}

/** The generation's stats, when the upstream reported them, join the request's outcome. */
export function usage(done: Done, state: Pick<StreamState, "stats" | "doneReason">): Done {
  if (state.stats) done.stats = state.stats;
  if (state.doneReason !== undefined) done.doneReason = state.doneReason;
  return done;
}
