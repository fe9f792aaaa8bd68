// The dashboard's routes: pages and assets under /ui/, their data under /ui/api/, /status.json and /widget.js.

import type { OutgoingHttpHeaders } from "node:http";
import { GatewayError } from "../errors/gateway-error.js";
import { COMPLETED, type Done, type RequestContext } from "../http/request-context.js";
import { type StaticFile, sendStatic } from "./static-files.js";

/**
 * The handlers of the route table's dashboard rows. Method, API key and CORS are the pipeline's (the table says
 * GET/HEAD, and `admin` for the data); these only answer.
 */
export interface DashboardPages {
  /** GET / from a browser: to the dashboard. */
  home(ctx: RequestContext): Done;
  /** /ui without its slash. */
  ui(ctx: RequestContext): Done;
  /** /ui/{page}: the pages and their assets. */
  page(ctx: RequestContext): Done;
  /** /ui/api/dashboard?window=SECONDS: the data the page draws. */
  data(ctx: RequestContext): Done;
  /** /status.json: the small public summary. */
  status(ctx: RequestContext): Done;
  /** /widget.js: the embeddable status badge. */
  widget(ctx: RequestContext): Done;
}

export interface HandlerOptions {
  /** The built assets by path relative to dist/ui; undefined when they were not built. */
  files: Map<string, StaticFile> | undefined;
  dashboard: (windowS: number) => unknown;
  status: () => unknown;
  /** Longest window that may be asked for (the history's length). */
  maxWindowS: number;
}

/** Windows the page offers; any whole number of seconds from 60 to the history's length is accepted. */
export const DEFAULT_WINDOW_S = 300;

/**
 * The pages may only run the bundle from this origin and talk to this origin; nothing is loaded from
 * anywhere else (no CDN), and no other site may frame them.
 */
const PAGE_HEADERS: OutgoingHttpHeaders = {
  "content-security-policy":
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
};

const PAGES: Record<string, string> = {
  "/ui/": "index.html",
  "/ui/index.html": "index.html",
  "/ui/playground": "playground.html",
  "/ui/playground.html": "playground.html",
};

export function createDashboardPages(o: HandlerOptions): DashboardPages {
  return {
    home(ctx) {
      ctx.res.writeHead(302, { location: "ui/", "cache-control": "no-store", "content-length": 0 }).end();
      return COMPLETED;
    },
    ui(ctx) {
      ctx.res.writeHead(301, { location: "ui/", "content-length": 0 }).end();
      return COMPLETED;
    },
    page(ctx) {
      const pathname = ctx.path;
      const page = PAGES[pathname];
      if (page !== undefined) return file(ctx, o, page, PAGE_HEADERS);
      if (pathname.startsWith("/ui/assets/") && !pathname.includes(".."))
        return file(ctx, o, pathname.slice("/ui/".length), {});
      throw new GatewayError("route_not_found", `no dashboard page at ${pathname.slice(0, 200)}`);
    },
    data: (ctx) => json(ctx, () => o.dashboard(windowParam(ctx.query, o.maxWindowS))),
    status: (ctx) => json(ctx, () => o.status()),
    // Embedded by other sites' pages with a <script> tag, which is not subject to CORS; the data it fetches is.
    widget: (ctx) => file(ctx, o, "widget.js", { "cross-origin-resource-policy": "cross-origin" }),
  };
}

/** ?window=SECONDS (the query string, with or without its "?"), clamped to [60, max]; anything unreadable is the default. */
export function windowParam(query: string, max: number): number {
  const raw = new URLSearchParams(query.startsWith("?") ? query.slice(1) : query).get("window");
  const n = raw === null ? Number.NaN : Number(raw);
  if (!Number.isFinite(n)) return Math.min(DEFAULT_WINDOW_S, max);
  return Math.min(max, Math.max(60, Math.round(n)));
}

function json(ctx: RequestContext, body: () => unknown): Done {
  let text: string;
  try {
    text = JSON.stringify(body());
  } catch (err) {
    // A bug: the pipeline answers 500 and logs it as an internal error, with this cause.
    throw new GatewayError("internal_error", "the dashboard could not build its answer", { cause: err });
  }
  ctx.res.writeHead(200, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  ctx.end(ctx.method === "HEAD" ? undefined : text);
  return COMPLETED;
}

function file(ctx: RequestContext, o: HandlerOptions, name: string, headers: OutgoingHttpHeaders): Done {
  if (o.files === undefined) {
    const text = "The dashboard's files are not built: run `npm run build`, then restart llmgate.\n";
    ctx.res.writeHead(503, {
      "content-type": "text/plain; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    ctx.end(text);
    return COMPLETED;
  }
  const found = o.files.get(name);
  if (!found) throw new GatewayError("route_not_found", `no dashboard file ${name.slice(0, 200)}`);
  sendStatic(ctx.req, ctx.res, found, headers);
  return COMPLETED;
}
