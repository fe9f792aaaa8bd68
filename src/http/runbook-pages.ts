// GET /runbooks/ and /runbooks/<alertname>: the alerts' runbooks, served by the gateway the alerts are about.

import type { IncomingMessage, ServerResponse } from "node:http";
import { GatewayError } from "../errors/gateway-error.js";
import { ALERT_KEYS, type AlertKey } from "../tools/kit/options.js";
import { findRunbookKey, runbookIndexHtml, runbookPageHtml } from "../tools/kit/runbook-render.js";
import { writeErrorResponse } from "./error-response.js";

/**
 * Takes the request when its path is under /runbooks and answers it (returns true), or leaves it to the router
 * (returns false). The pages are static text with no data and need no API key, so a link in a notification opens
 * on any machine that can reach the gateway; like scrapes they are not counted as requests.
 */
export type RunbookRoute = (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean;

export const RUNBOOKS_PATH = "/runbooks/";

/** No script, nothing loaded from anywhere; only the inline style. */
const HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy":
    "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cache-control": "public, max-age=300",
};

export function createRunbookRoute(): RunbookRoute {
  // Rendered once: the text is part of the build.
  const index = Buffer.from(runbookIndexHtml());
  const pages = new Map<AlertKey, Buffer>(ALERT_KEYS.map((key) => [key, Buffer.from(runbookPageHtml(key))]));
  return (req, res, pathname) => {
    if (pathname === "/runbooks") {
      res.writeHead(301, { location: "runbooks/", "content-length": 0 }).end();
      return true;
    }
    if (!pathname.startsWith(RUNBOOKS_PATH)) return false;
    const method = req.method ?? "GET";
    if (method !== "GET" && method !== "HEAD") {
      res.setHeader("allow", "GET, HEAD");
      writeErrorResponse(
        res,
        new GatewayError("method_not_allowed", `runbooks accept GET and HEAD, not ${method.slice(0, 20)}`),
      );
      return true;
    }
    const name = pathname.slice(RUNBOOKS_PATH.length);
    const key = name === "" ? undefined : findRunbookKey(name);
    const body = name === "" ? index : key === undefined ? undefined : pages.get(key);
    if (body === undefined) {
      writeErrorResponse(
        res,
        new GatewayError(
          "route_not_found",
          `no runbook for ${JSON.stringify(name.slice(0, 100))}; the list is at ${RUNBOOKS_PATH}`,
        ),
      );
      return true;
    }
    res.writeHead(200, { ...HEADERS, "content-length": body.length });
    res.end(method === "HEAD" ? undefined : body);
    return true;
  };
}
