// Asks the upstream whether it answers: GET /api/version with a short timeout.

import type { Upstream } from "./client.js";

export type UpstreamHealth = { ok: true; version: string } | { ok: false; reason: string };

export async function checkUpstream(upstream: Upstream, timeoutMs = 2000): Promise<UpstreamHealth> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  try {
    const res = await upstream.request({
      method: "GET",
      path: "/api/version",
      signal: abort.signal,
      firstByteTimeoutMs: timeoutMs,
    });
    const text = await res.body.text();
    if (res.status !== 200) return { ok: false, reason: `GET /api/version answered ${res.status}` };
    const version = (JSON.parse(text) as { version?: unknown }).version;
    return { ok: true, version: typeof version === "string" ? version : "unknown" };
  } catch (err) {
    const reason = abort.signal.aborted
      ? String((abort.signal.reason as Error).message)
      : (err as Error).message;
    return { ok: false, reason: `${upstream.url} does not answer: ${reason}` };
  } finally {
    clearTimeout(timer);
  }
}
