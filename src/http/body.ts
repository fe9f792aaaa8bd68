// Reads a request body into memory with a hard size limit, counting the bytes actually received.

import { formatBytes } from "../config/units.js";
import { GatewayError } from "../errors/gateway-error.js";
import { exceedsDepth } from "./json-depth.js";
import type { RequestContext } from "./request-context.js";

/**
 * Resolves with the whole body. Rejects with body_too_large as soon as the limit is passed (a declared
 * Content-Length over the limit is refused before reading), and with the abort reason if the client leaves.
 */
export function readBody(ctx: RequestContext, limit: number): Promise<Buffer> {
  const declared = Number(ctx.req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit));
  const req = ctx.req;
  // A request cancelled by the gateway (end of a shutdown) stops reading at once instead of waiting for the body.
  const cancel = ctx.abort;
  if (cancel.aborted) return Promise.reject(cancel.reason);
  // Plain listeners rather than an async iterator: a small body arrives in one chunk, and the iterator's
  // machinery costs more than reading it.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (): void => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
      req.off("close", onClose);
      cancel.removeEventListener("abort", onAbort);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      ctx.bytesIn = size;
      if (size > limit) {
        done();
        // Stop reading; the 413 goes out with connection: close.
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      done();
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    const onError = (err: Error): void => {
      done();
      reject(err);
    };
    const onClose = (): void => {
      done();
      reject(new Error("the client closed the connection while sending the body"));
    };
    const onAbort = (): void => {
      done();
      req.destroy(cancel.reason as Error);
      reject(cancel.reason);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
    req.on("close", onClose);
    cancel.addEventListener("abort", onAbort);
  });
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
    `the request body is larger than the limit of ${formatBytes(limit)} (body-limit)`,
  );
}
