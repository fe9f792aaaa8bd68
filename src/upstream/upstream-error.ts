// Turns an upstream error response (`{"error":"…"}` with a status) into a GatewayError that keeps Ollama's message.

import { GatewayError } from "../errors/gateway-error.js";
import type { Exchange } from "./client.js";

const MAX_ERROR_BODY = 64 * 1024;

/**
 * 404 becomes model_not_found (Ollama says 404 only for a missing model on these routes); other 4xx and
 * the retryable 429/503 keep their status so clients react correctly; any other status becomes 502.
 */
export async function errorFromUpstream(res: Exchange): Promise<GatewayError> {
  // A broken error body: the status speaks alone.
  const text = await res.text(MAX_ERROR_BODY).catch(() => "");
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
