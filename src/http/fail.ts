// The one error writer: a failed request gets the right answer for its route's API, and says which outcome it ends in.

import { errorHeaders, outcomeOf } from "../errors/error-spec.js";
import { GatewayError, ollamaErrorBody, openAIErrorBody, toGatewayError } from "../errors/gateway-error.js";
import type { SseTranslator } from "../translate/index.js";
import type { Done, RequestContext } from "./request-context.js";
import type { ApiFormat } from "./route-table.js";

export interface FailOptions {
  format: ApiFormat;
  /** For a started SSE stream: the codec that writes the final error frame. */
  sse?: SseTranslator;
  /** Called with errors that are bugs (internal_error), for the log. */
  onInternal?: (err: unknown) => void;
}

/**
 * Answers `ctx` after `err` and returns how the request ended, for the pipeline to record. A client that left is
 * a client_abort whatever the error says; a request the gateway cancelled is a shutdown. Before headers: a status
 * and an error body. After: an SSE error frame when there is a codec, else the connection is cut (HTTP's only
 * way to say "incomplete").
 */
export function respondError(ctx: RequestContext, err: unknown, options: FailOptions): Done {
  if (ctx.clientGone) return { outcome: "client_abort" };
  const gw = ctx.cancelled
    ? new GatewayError("shutting_down", "the gateway is shutting down and aborted this request")
    : toGatewayError(err);
  if (gw.code === "internal_error") options.onInternal?.(err);
  if (!ctx.res.headersSent) {
    const body = options.format === "openai" ? openAIErrorBody(gw) : ollamaErrorBody(gw);
    // An error is about this request only: never cached (a 401 on the dashboard's data must not stick).
    const realm = ctx.spec.auth === "metricsToken" ? { realm: "metrics" } : {};
    ctx.sendJson(gw.status, body, { "cache-control": "no-store", ...errorHeaders(gw, realm) });
  } else if (options.sse) {
    ctx.end(options.sse.fail(gw));
  } else {
    ctx.res.destroy();
  }
  return { outcome: ctx.cancelled ? "shutdown" : outcomeOf(gw), error: gw };
}
