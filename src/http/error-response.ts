// One OpenAI-shaped error answer for the routes served beside the request pipeline (dashboard, runbooks).

import type { ServerResponse } from "node:http";
import { type GatewayError, openAIErrorBody } from "../errors/gateway-error.js";

/** Writes `err` as `{"error":{…}}` with its status, never cached; a 401 says which scheme to use. */
export function writeErrorResponse(res: ServerResponse, err: GatewayError): void {
  const text = JSON.stringify(openAIErrorBody(err));
  res.writeHead(err.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...(err.status === 401 ? { "www-authenticate": "Bearer" } : {}),
  });
  res.end(text);
}
