// One OpenAI-shaped error answer for the routes served beside the request pipeline (dashboard, runbooks).

import type { ServerResponse } from "node:http";
import { errorHeaders } from "../errors/error-spec.js";
import { type GatewayError, openAIErrorBody } from "../errors/gateway-error.js";

/** Writes `err` as `{"error":{…}}` with its status and its code's headers (a 401 says which scheme to use), never cached. */
export function writeErrorResponse(res: ServerResponse, err: GatewayError): void {
  const text = JSON.stringify(openAIErrorBody(err));
  res.writeHead(err.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    ...errorHeaders(err),
  });
  res.end(text);
}
