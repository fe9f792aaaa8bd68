// The one way a request ends in failure: the right body for the route's API, then exactly one counted outcome.

import { errorHeaders, outcomeOf } from "../errors/error-spec.js";
import { GatewayError, ollamaErrorBody, openAIErrorBody, toGatewayError } from "../errors/gateway-error.js";
import type { SseTranslator } from "../translate/index.js";
import type { RequestContext } from "./request-context.js";

/** Which API's error shape a route speaks. */
export type ErrorFormat = "openai" | "ollama";

export interface FailOptions {
  format: ErrorFormat;
  /** For a started SSE stream: the codec that writes the final error frame. */
  sse?: SseTranslator;
  /** Called with errors that are bugs (internal_error), for the log. */
  onInternal?: (err: unknown) => void;
}

/**
 * Ends `ctx` after `err`. A client that left is a client_abort whatever the error says; a request the gateway
 * cancelled is a shutdown. Before headers: a status and an error body. After: an SSE error frame when there is
 * a codec, else the connection is cut (HTTP's only way to say "incomplete").
 */
export function failRequest(ctx: RequestContext, err: unknown, options: FailOptions): void {
  if (ctx.finished) return;
  ctx.markUpstreamEnd();
  if (ctx.clientGone) {
    ctx.finish("client_abort");
    return;
  }
  const gw = ctx.cancelled
    ? new GatewayError("shutting_down", "the gateway is shutting down and aborted this request")
    : toGatewayError(err);
  if (gw.code === "internal_error") options.onInternal?.(err);
  if (!ctx.res.headersSent) {
    const body = options.format === "openai" ? openAIErrorBody(gw) : ollamaErrorBody(gw);
    ctx.sendJson(gw.status, body, errorHeaders(gw));
  } else if (options.sse) {
    ctx.end(options.sse.fail(gw));
  } else {
    ctx.res.destroy();
  }
  ctx.finish(ctx.cancelled ? "shutdown" : outcomeOf(gw), gw);
}
