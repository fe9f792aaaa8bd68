// The /metrics endpoint: content negotiation (Prometheus text or OpenMetrics with exemplars) and an optional bearer token.

import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { CONTENT_TYPE, type MetricSource, negotiateFormat, renderMetrics } from "./exposition.js";

export type MetricsHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Serves the registry. With a token, a request without `Authorization: Bearer <token>` gets 401. */
export function createMetricsHandler(registry: MetricSource, token: string): MetricsHandler {
  const expected = token ? digest(token) : undefined;
  return async (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
      res.end("method not allowed\n");
      return;
    }
    if (expected) {
      const header = req.headers.authorization ?? "";
      const given = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
      // Compare digests of equal length in constant time, so the token's length and content do not leak.
      if (!timingSafeEqual(digest(given), expected)) {
        res.writeHead(401, {
          "www-authenticate": 'Bearer realm="metrics"',
          "content-type": "text/plain; charset=utf-8",
        });
        res.end("unauthorized: /metrics needs Authorization: Bearer <metrics-token>\n");
        return;
      }
    }
    const format = negotiateFormat(req.headers.accept);
    const body = await renderMetrics(registry, format);
    res.writeHead(200, { "content-type": CONTENT_TYPE[format], "content-length": Buffer.byteLength(body) });
    res.end(req.method === "HEAD" ? undefined : body);
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
