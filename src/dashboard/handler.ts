// The dashboard's HTTP edge: pages and assets under /ui/, their data under /ui/api/, /status.json and /widget.js.

import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import type { KeyRing } from "../auth/api-keys.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { Cors } from "../http/cors.js";
import { writeErrorResponse } from "../http/error-response.js";
import { type StaticFile, sendStatic } from "./static-files.js";

/**
 * Takes the request when the path is the dashboard's and answers it (returns true), or leaves it to the
 * gateway's router (returns false). Never throws; answers are written asynchronously at most by microtasks.
 */
export type DashboardRoute = (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean;

export interface HandlerOptions {
  /** The built assets by path relative to dist/ui; undefined when they were not built. */
  files: Map<string, StaticFile> | undefined;
  keys: KeyRing;
  /** Key names that may read the dashboard's data; empty: any configured key. */
  adminKeys: readonly string[];
  cors: Cors | undefined;
  dashboard: (windowS: number) => unknown;
  status: () => unknown;
  /** Longest window that may be asked for (the history's length). */
  maxWindowS: number;
  /** Told about bugs (an answer that could not be built). */
  onError: (err: unknown) => void;
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

export function createDashboardRoute(o: HandlerOptions): DashboardRoute {
  return (req, res, pathname) => {
    const method = req.method ?? "GET";
    // Ollama clients probe GET / for liveness and get Ollama's answer; a browser gets the dashboard.
    if (pathname === "/") {
      if (method !== "GET" || !/\btext\/html\b/.test(String(req.headers.accept ?? ""))) return false;
      res.writeHead(302, { location: "ui/", "cache-control": "no-store", "content-length": 0 }).end();
      return true;
    }
    if (pathname === "/ui") {
      res.writeHead(301, { location: "ui/", "content-length": 0 }).end();
      return true;
    }
    if (pathname === "/status.json") {
      json(req, res, o, () => o.status(), { public: true });
      return true;
    }
    if (pathname === "/widget.js") {
      if (!readOnly(req, res)) return true;
      // Embedded by other sites' pages with a <script> tag, which is not subject to CORS; the data it fetches is.
      file(req, res, o, "widget.js", { "cross-origin-resource-policy": "cross-origin" });
      return true;
    }
    if (!pathname.startsWith("/ui/")) return false;
    if (pathname === "/ui/api/dashboard") {
      json(req, res, o, () => o.dashboard(windowParam(req.url ?? "", o.maxWindowS)), { public: false });
      return true;
    }
    if (!readOnly(req, res)) return true;
    const page = PAGES[pathname];
    if (page !== undefined) file(req, res, o, page, PAGE_HEADERS);
    else if (pathname.startsWith("/ui/assets/") && !pathname.includes(".."))
      file(req, res, o, pathname.slice("/ui/".length), {});
    else
      writeErrorResponse(
        res,
        new GatewayError("route_not_found", `no dashboard page at ${pathname.slice(0, 200)}`),
      );
    return true;
  };
}

/** ?window=SECONDS, clamped to [60, max]; anything unreadable is the default. */
export function windowParam(url: string, max: number): number {
  const q = url.indexOf("?");
  const raw = q === -1 ? null : new URLSearchParams(url.slice(q + 1)).get("window");
  const n = raw === null ? Number.NaN : Number(raw);
  if (!Number.isFinite(n)) return Math.min(DEFAULT_WINDOW_S, max);
  return Math.min(max, Math.max(60, Math.round(n)));
}

function json(
  req: IncomingMessage,
  res: ServerResponse,
  o: HandlerOptions,
  body: () => unknown,
  access: { public: boolean },
): void {
  // Browsers on an allowed origin may read the answer (and preflight the Authorization header).
  if (o.cors?.apply(req, res)) return;
  if (!readOnly(req, res)) return;
  if (!access.public) {
    const refusal = authorize(req, o);
    if (refusal) {
      writeErrorResponse(res, refusal);
      return;
    }
  }
  let text: string;
  try {
    text = JSON.stringify(body());
  } catch (err) {
    o.onError(err);
    writeErrorResponse(
      res,
      new GatewayError("internal_error", "the dashboard could not build its answer", { cause: err }),
    );
    return;
  }
  res.writeHead(200, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.end(req.method === "HEAD" ? undefined : text);
}

/** With API keys configured the data needs one: an admin key when admin keys are named, else any. */
function authorize(req: IncomingMessage, o: HandlerOptions): GatewayError | undefined {
  if (!o.keys.enabled) return undefined;
  const auth = o.keys.authenticate(req.headers);
  if (!auth.ok)
    return new GatewayError(
      auth.code,
      auth.code === "missing_api_key"
        ? "the dashboard's data requires an API key: send Authorization: Bearer <key>"
        : "the API key is not valid",
    );
  if (o.adminKeys.length > 0 && !o.adminKeys.includes(auth.name))
    return new GatewayError(
      "invalid_api_key",
      `the key "${auth.name}" may use the API but not see the dashboard; use an admin key (admin-key)`,
      { status: 403 },
    );
  return undefined;
}

function file(
  req: IncomingMessage,
  res: ServerResponse,
  o: HandlerOptions,
  name: string,
  headers: OutgoingHttpHeaders,
): void {
  if (o.files === undefined) {
    const text = "The dashboard's files are not built: run `npm run build`, then restart llmgate.\n";
    res.writeHead(503, {
      "content-type": "text/plain; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
    return;
  }
  const found = o.files.get(name);
  if (found) sendStatic(req, res, found, headers);
  else
    writeErrorResponse(res, new GatewayError("route_not_found", `no dashboard file ${name.slice(0, 200)}`));
}

function readOnly(req: IncomingMessage, res: ServerResponse): boolean {
  const method = req.method ?? "GET";
  if (method === "GET" || method === "HEAD") return true;
  res.setHeader("allow", "GET, HEAD");
  writeErrorResponse(
    res,
    new GatewayError(
      "method_not_allowed",
      `the dashboard's paths accept GET and HEAD, not ${method.slice(0, 20)}`,
    ),
  );
  return false;
}
