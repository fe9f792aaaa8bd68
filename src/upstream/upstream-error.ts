// Turns an upstream error response (`{"error":"…"}` with a status) into a GatewayError that keeps Ollama's message.

import { GatewayError } from "../errors/gateway-error.js";
import type { UpstreamResponse } from "./client.js";

const MAX_ERROR_BODY = 64 * 1024;

/**
 * 404 becomes model_not_found (Ollama says 404 only for a missing model on these routes); other 4xx and
 * the retryable 429/503 keep their status so clients react correctly; any other status becomes 502.
 */
export async function errorFromUpstream(res: UpstreamResponse): Promise<GatewayError> {
  const text = await readCapped(res);
  let message = text.trim();
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && typeof (parsed as { error?: unknown }).error === "string")
      message = (parsed as { error: string }).error;
  } catch {
    // not JSON: keep the raw text
  }
  if (!message) message = `the upstream answered with status ${res.status}`;
  if (res.status === 404) return new GatewayError("model_not_found", message, { status: 404 });
  if ((res.status >= 400 && res.status < 500) || res.status === 503)
    return new GatewayError("upstream_http_error", message, { status: res.status });
  return new GatewayError("upstream_http_error", `upstream error (status ${res.status}): ${message}`, {
    status: 502,
  });
}

async function readCapped(res: UpstreamResponse): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      if (size < MAX_ERROR_BODY) chunks.push(chunk);
      size += chunk.length;
    }
  } catch {
    // a broken error body still yields what arrived
  }
  return Buffer.concat(chunks).toString("utf8").slice(0, MAX_ERROR_BODY);
}
