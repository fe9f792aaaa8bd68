// Ollama's native API passed through unchanged (bytes, status, streaming), so Ollama clients can use the gateway too.

import type { IncomingHttpHeaders } from "node:http";
import { pipeline, Transform } from "node:stream";
import { outcomeOf } from "../../errors/error-spec.js";
import { GatewayError } from "../../errors/gateway-error.js";
import { createNdjsonObserver } from "../../translate/index.js";
import { readBody } from "../body.js";
import type { GatewayDeps } from "../deps.js";
import { respondError } from "../fail.js";
import { forward } from "../forward.js";
import { encodePath } from "../path.js";
import { pump } from "../pump.js";
import { usage } from "../relay.js";
import { COMPLETED, type Done, type RequestContext } from "../request-context.js";

/** Hop-by-hop headers (RFC 9110 §7.6.1) and what must not cross the gateway. */
const DROP_REQUEST = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "authorization",
  "x-api-key",
  "cookie",
  // The gateway answers CORS itself; Ollama would refuse origins outside its own OLLAMA_ORIGINS.
  "origin",
  "content-length",
  "expect",
]);
const DROP_RESPONSE = new Set(["connection", "keep-alive", "transfer-encoding", "trailer", "upgrade"]);

/**
 * Forwards the request as it came (the route table says whether its body is read whole, to learn the model for
 * logs and metrics, and whether it waits for admission) and relays the answer byte for byte. A generation's
 * NDJSON is watched, never altered, for tokens, timings and error lines.
 */
export async function nativePassthrough(ctx: RequestContext, deps: GatewayDeps): Promise<Done> {
  const { spec } = ctx;
  const path = encodePath(ctx.path) + ctx.query;
  const headers = forwardHeaders(ctx.req.headers, ctx.id);
  let body: Buffer | Transform | null = null;
  if (spec.body === "buffered") {
    body = await readBody(ctx, deps.config.bodyLimitBytes);
    const peek = peekRequest(body);
    ctx.model = peek.model;
    if (spec.generation) ctx.stream = peek.stream;
    headers["content-length"] = String(body.length);
  } else if (ctx.method !== "GET" && ctx.method !== "HEAD") {
    // Uploads (e.g. /api/blobs) can be gigabytes: stream them, counting bytes as they pass. A Transform, not a
    // 'data' listener: that would switch the stream to flowing mode and drain it before undici reads it.
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        ctx.bytesIn += chunk.length;
        callback(null, chunk);
      },
    });
    pipeline(ctx.req, counter, () => {});
    body = counter;
    const length = ctx.req.headers["content-length"];
    if (length !== undefined) headers["content-length"] = length;
  }

  const res = await forward(ctx, deps, { method: ctx.method, path, headers, body });
  const responseHeaders: Record<string, string | string[]> = {};
  for (const name in res.headers) {
    const value = res.headers[name];
    if (value !== undefined && !DROP_RESPONSE.has(name)) responseHeaders[name] = value;
  }
  ctx.writeHead(res.status, responseHeaders);
  if (res.status === 200 && ctx.stream === true) ctx.streamStarted = true;

  const observer = res.status === 200 && spec.generation ? createNdjsonObserver() : undefined;
  try {
    await pump(ctx, res, (chunk) => {
      ctx.send(chunk);
      if (observer) {
        observer.push(chunk);
        if (observer.state.contentStarted) ctx.markToken();
      }
      return true;
    });
    observer?.end();
    ctx.end();
  } catch (err) {
    const failed = respondError(ctx, err, { format: "ollama" });
    return observer ? usage(failed, observer.state) : failed;
  }

  if (observer) {
    const error = observer.state.error;
    return usage(error ? { outcome: outcomeOf(error), error } : { outcome: "completed" }, observer.state);
  }
  if (res.status >= 400) {
    const err = new GatewayError(
      res.status === 404 ? "model_not_found" : "upstream_http_error",
      `upstream answered ${res.status}`,
      {
        status: res.status,
      },
    );
    return { outcome: outcomeOf(err), error: err };
  }
  return COMPLETED;
}

function forwardHeaders(incoming: IncomingHttpHeaders, requestId: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || DROP_REQUEST.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  out["x-request-id"] = requestId;
  return out;
}

/** The model and stream flag of a native request body, for logs and metrics; the body itself is forwarded as is. */
function peekRequest(body: Buffer): { model?: string; stream: boolean } {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    if (parsed && typeof parsed === "object") {
      const { model, name, stream } = parsed as { model?: unknown; name?: unknown; stream?: unknown };
      const id =
        typeof model === "string" && model ? model : typeof name === "string" && name ? name : undefined;
      // Ollama streams unless told `stream: false`.
      return id === undefined ? { stream: stream !== false } : { model: id, stream: stream !== false };
    }
  } catch {
    // the upstream will answer the bad body with its own error
  }
  return { stream: true };
}
