// Reads a request body into memory with a hard size limit, counting the bytes actually received.

import { GatewayError } from "../errors/gateway-error.js";
import { exceedsDepth } from "./json-depth.js";
import type { RequestContext } from "./request-context.js";

/**
 * Resolves with the whole body. Rejects with body_too_large as soon as the limit is passed (a declared
 * Content-Length over the limit is refused before reading), and with the abort reason if the client leaves.
 */
export async function readBody(ctx: RequestContext, limit: number): Promise<Buffer> {
  const declared = Number(ctx.req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  // A request cancelled by the gateway (end of a shutdown) stops reading at once instead of waiting for the body.
  const signal = ctx.abort.signal;
  const onAbort = () => ctx.req.destroy(signal.reason as Error);
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
      size += chunk.length;
      ctx.bytesIn = size;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}

export interface JsonLimits {
  bodyLimitBytes: number;
  jsonMaxDepth: number;
}

/**
 * Reads and parses a JSON body; the parse error names the position, like the upstream's own errors do.
 * Nesting deeper than `jsonMaxDepth` is refused before parsing.
 */
export async function readJson(ctx: RequestContext, limits: JsonLimits): Promise<unknown> {
  const body = await readBody(ctx, limits.bodyLimitBytes);
  if (body.length === 0)
    throw new GatewayError("invalid_json", "the request body is empty; expected a JSON object");
  if (exceedsDepth(body, limits.jsonMaxDepth))
    throw new GatewayError(
      "invalid_json",
      `the request body nests arrays and objects deeper than ${limits.jsonMaxDepth} levels (json-max-depth)`,
    );
  try {
    return JSON.parse(body.toString("utf8"));
  } catch (err) {
    throw new GatewayError("invalid_json", `the request body is not valid JSON: ${(err as Error).message}`);
  }
}

function tooLarge(limit: number): GatewayError {
  return new GatewayError(
    "body_too_large",
    `the request body is larger than the limit of ${limit} bytes (body-limit)`,
  );
}
