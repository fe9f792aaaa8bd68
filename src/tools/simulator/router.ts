// Gin-style routing: exact paths, trailing-slash redirects, 405 for a known path with another method, text/plain 404.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Handler } from "./context.js";
import { sendText } from "./http-io.js";

export interface Route {
  method: string;
  path: string;
  handler: Handler;
  /** Inference routes count in the simulator's stats (requests, outcomes). */
  counted: boolean;
}

export type Match =
  | { kind: "route"; route: Route }
  | { kind: "redirect"; location: string }
  | { kind: "not-allowed"; allow: string[] }
  | { kind: "not-found" };

export class Router {
  private readonly byPath = new Map<string, Map<string, Route>>();

  constructor(routes: readonly Route[]) {
    for (const route of routes) {
      const methods = this.byPath.get(route.path) ?? new Map<string, Route>();
      methods.set(route.method, route);
      this.byPath.set(route.path, methods);
    }
  }

  match(method: string, url: string): Match {
    const path = url.split("?", 1)[0] ?? "/";
    const route = this.byPath.get(path)?.get(method);
    if (route !== undefined) return { kind: "route", route };
    // RedirectTrailingSlash: only when the same method has the other spelling.
    const other = path.length > 1 && path.endsWith("/") ? path.slice(0, -1) : `${path}/`;
    if (this.byPath.get(other)?.has(method)) {
      const query = url.slice(path.length);
      return { kind: "redirect", location: other + query };
    }
    const methods = this.byPath.get(path);
    if (methods !== undefined) return { kind: "not-allowed", allow: [...methods.keys()] };
    return { kind: "not-found" };
  }
}

/** Answers every non-route match the way gin does. */
export function answerMiss(
  match: Exclude<Match, { kind: "route" }>,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  switch (match.kind) {
    case "redirect": {
      const get = req.method === "GET" || req.method === "HEAD";
      const status = get ? 301 : 307;
      res.setHeader("Location", match.location);
      if (get) {
        sendText(
          res,
          status,
          `<a href="${match.location}">Moved Permanently</a>.\n\n`,
          "text/html; charset=utf-8",
        );
      } else {
        res.writeHead(status).end();
      }
      return;
    }
    case "not-allowed":
      res.setHeader("Allow", match.allow.join(", "));
      sendText(res, 405, "405 method not allowed", "text/plain");
      return;
    case "not-found":
      sendText(res, 404, "404 page not found", "text/plain");
      return;
  }
}
