// GET /runbooks/ and /runbooks/<alertname>: the alerts' runbooks, served by the gateway the alerts are about.

import { GatewayError } from "../errors/gateway-error.js";
import { ALERT_KEYS, type AlertKey } from "../tools/kit/options.js";
import { findRunbookKey, runbookIndexHtml, runbookPageHtml } from "../tools/kit/runbook-render.js";
import { COMPLETED, type Done, type RequestContext } from "./request-context.js";

/**
 * The handlers of the route table's runbook rows. The pages are static text with no data and need no API key,
 * so a link in a notification opens on any machine that can reach the gateway; like scrapes they are not counted
 * as requests.
 */
export interface RunbookPages {
  /** /runbooks without its slash. */
  redirect(ctx: RequestContext): Done;
  /** /runbooks/ (the list) and /runbooks/<alertname>. */
  page(ctx: RequestContext): Done;
}

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

export function createRunbookPages(): RunbookPages {
  // Rendered once: the text is part of the build.
  const index = Buffer.from(runbookIndexHtml());
  const pages = new Map<AlertKey, Buffer>(ALERT_KEYS.map((key) => [key, Buffer.from(runbookPageHtml(key))]));
  return {
    redirect(ctx) {
      ctx.res.writeHead(301, { location: "runbooks/", "content-length": 0 }).end();
      return COMPLETED;
    },
    page(ctx) {
      const name = ctx.path.slice(RUNBOOKS_PATH.length);
      const key = name === "" ? undefined : findRunbookKey(name);
      const body = name === "" ? index : key === undefined ? undefined : pages.get(key);
      if (body === undefined)
        throw new GatewayError(
          "route_not_found",
          `no runbook for ${JSON.stringify(name.slice(0, 100))}; the list is at ${RUNBOOKS_PATH}`,
        );
      ctx.res.writeHead(200, { ...HEADERS, "content-length": body.length });
      ctx.end(ctx.method === "HEAD" ? undefined : body);
      return COMPLETED;
    },
  };
}
