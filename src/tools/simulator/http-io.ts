// Reading request bodies and writing gin-style responses (c.JSON, c.String, pre-output stream errors) with node:http.

import type { IncomingMessage, ServerResponse } from "node:http";
import { goStringify } from "./go-json.js";

/** gin `c.JSON`. */
export const JSON_TYPE = "application/json; charset=utf-8";
/** What a stream that fails before its first line switches to (`c.Header("Content-Type", "application/json")`). */
export const STREAM_ERROR_TYPE = "application/json";
export const NDJSON_TYPE = "application/x-ndjson";
export const TEXT_TYPE = "text/plain; charset=utf-8";

/** Bodies above this are refused; Ollama has no limit, but a simulator should not buffer gigabytes. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

export class BodyTooLargeError extends Error {}

/** The whole body as UTF-8. Rejects when the client goes away mid-body or the body is over the limit. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyTooLargeError("http: request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("client went away"));
    });
  });
}

/** A c.JSON body: Go-encoded, no trailing newline. Does nothing if the client already left. */
export function sendJson(res: ServerResponse, status: number, body: unknown, contentType = JSON_TYPE): void {
  if (res.destroyed || res.headersSent) return;
  const text = goStringify(body);
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** `{"error":message}` with the real status, before any output. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  contentType = JSON_TYPE,
): void {
  sendJson(res, status, { error: message }, contentType);
}

export function sendText(res: ServerResponse, status: number, text: string, contentType = TEXT_TYPE): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
