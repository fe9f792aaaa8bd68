// CORS for browser clients, off unless origins are configured (Fetch standard, "CORS protocol").

import type { IncomingMessage, ServerResponse } from "node:http";

const ALLOWED_HEADERS = "authorization, content-type, x-api-key, x-request-id";
const EXPOSED_HEADERS = "x-request-id, retry-after";

export interface Cors {
  /**
   * Adds CORS headers for an allowed Origin. Returns true when the request was a preflight and has been answered
   * (204), so the caller must not handle it further.
   */
  apply(req: IncomingMessage, res: ServerResponse): boolean;
}

export function createCors(origins: readonly string[]): Cors | undefined {
  if (origins.length === 0) return undefined;
  const any = origins.includes("*");
  const allowed = new Set(origins);
  return {
    apply(req, res) {
      const origin = req.headers.origin;
      if (!origin || !(any || allowed.has(origin))) return false;
      res.setHeader("access-control-allow-origin", any ? "*" : origin);
      if (!any) res.setHeader("vary", "Origin");
      const preflight =
        req.method === "OPTIONS" && req.headers["access-control-request-method"] !== undefined;
      if (!preflight) {
        res.setHeader("access-control-expose-headers", EXPOSED_HEADERS);
        return false;
      }
      res.writeHead(204, {
        "access-control-allow-methods": "GET, HEAD, POST, OPTIONS",
        "access-control-allow-headers": ALLOWED_HEADERS,
        "access-control-max-age": "600",
        "content-length": "0",
      });
      res.end();
      return true;
    },
  };
}
