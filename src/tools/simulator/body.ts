// Reads a request body and decodes it as gin's ShouldBindJSON would, answering 400 itself when that fails.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestScope } from "./context.js";
import { decodeGoJson } from "./go-json.js";
import { BodyTooLargeError, readBody, sendError } from "./http-io.js";

/** The decoded JSON value, or undefined when the 400 was sent (or the client left mid-body). */
export async function readJson(
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
): Promise<unknown> {
  let body: string;
  try {
    body = await readBody(req);
  } catch (err) {
    if (err instanceof BodyTooLargeError) {
      sendError(res, 400, err.message);
      scope.settle("failed");
    }
    return undefined;
  }
  const parsed = decodeGoJson(body);
  if (parsed.kind === "ok") return parsed.value;
  sendError(res, 400, parsed.kind === "eof" ? "missing request body" : parsed.message);
  scope.settle("failed");
  return undefined;
}
