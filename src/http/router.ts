// Finds the route table's row for (method, path, accept): exact paths by map lookup, then prefixes in table order.

import { type Feature, ROUTES, type RouteSpec } from "./route-table.js";

export interface Router {
  /** The row that takes what nothing else does ("other"). */
  readonly fallback: RouteSpec;
  /** The row that serves `pathname`, whatever the method (the pipeline answers a wrong one with 405). */
  match(pathname: string, acceptsHtml: () => boolean): RouteSpec;
}

/**
 * A router over the rows whose feature is served here; anything else falls to the "other" row (404), with
 * `fallback` changed where a listener needs (the metrics listener's 404s are not the gateway's traffic).
 */
export function createRouter(
  features: ReadonlySet<Feature>,
  fallbackOverrides: Partial<Pick<RouteSpec, "traffic" | "auth">> = {},
): Router {
  const rows: readonly RouteSpec[] = ROUTES.filter((r) => features.has(r.feature) || r.match === "fallback");
  const exact = new Map<string, RouteSpec[]>();
  const prefixes: { prefix: string; nonEmpty: boolean; spec: RouteSpec }[] = [];
  let fallback: RouteSpec | undefined;
  for (const r of rows) {
    const m = r.match;
    if (m === "fallback") fallback = { ...r, ...fallbackOverrides };
    else if ("exact" in m) {
      const list = exact.get(m.exact);
      if (list) list.push(r);
      else exact.set(m.exact, [r]);
    } else prefixes.push({ prefix: m.prefix, nonEmpty: m.nonEmpty === true, spec: r });
  }
  if (!fallback) throw new Error("the route table has no fallback row");
  const other = fallback;
  return {
    fallback: other,
    match(pathname, acceptsHtml) {
      const candidates = exact.get(pathname);
      if (candidates)
        for (const r of candidates) {
          const m = r.match as { html?: true };
          if (m.html !== true || acceptsHtml()) return r;
        }
      for (const p of prefixes)
        if (pathname.startsWith(p.prefix) && (!p.nonEmpty || pathname.length > p.prefix.length))
          return p.spec;
      return other;
    },
  };
}

/** Whether a route accepts `method`. */
export function allowsMethod(spec: RouteSpec, method: string): boolean {
  return spec.methods === "any" || spec.methods.includes(method);
}

const API_ROUTER = createRouter(new Set<Feature>(["api"]));

/**
 * The served path a client most likely meant, for the 404 message: an OpenAI path without its /v1 (a base
 * URL missing /v1), with /v1 twice (a base URL with /v1 and a client adding another), or with a trailing
 * slash. Undefined when no such correction names a route.
 */
export function suggestRoute(pathname: string): string | undefined {
  let candidate = pathname.replace(/\/+$/, "");
  while (candidate.startsWith("/v1/v1/")) candidate = candidate.slice(3);
  if (!candidate.startsWith("/v1/") && !candidate.startsWith("/api/")) candidate = `/v1${candidate}`;
  if (candidate === pathname || candidate === "/v1") return undefined;
  const { name } = API_ROUTER.match(candidate, () => false);
  return name === "other" || name === "/api/{other}" ? undefined : candidate;
}
