// Maps (method, path) to a handler and a bounded route name; unknown paths and methods get stable answers.

import { GatewayError } from "../errors/gateway-error.js";
import { ROUTE_NAMES, type RouteName } from "../events/request-events.js";
import type { GatewayDeps } from "./deps.js";
import type { ErrorFormat } from "./fail.js";
import type { RequestContext } from "./request-context.js";
import { healthz, readyz } from "./routes/health.js";
import { nativePassthrough } from "./routes/native.js";
import { chatCompletions, completions, embeddings, listModels, retrieveModel } from "./routes/openai.js";

export interface RouteEnv {
  deps: GatewayDeps;
  isDraining: () => boolean;
}

export type Handler = (ctx: RequestContext, env: RouteEnv) => Promise<void> | void;

export interface RouteMatch {
  route: RouteName;
  format: ErrorFormat;
  handler: Handler;
  /** Served without an API key (health probes). */
  public: boolean;
}

interface Route {
  route: RouteName;
  methods: readonly string[];
  format: ErrorFormat;
  handler: Handler;
  public?: boolean;
}

const EXACT = new Map<string, Route>(
  (
    [
      {
        route: "/v1/chat/completions",
        methods: ["POST"],
        format: "openai",
        handler: (c, e) => chatCompletions(c, e.deps),
      },
      {
        route: "/v1/completions",
        methods: ["POST"],
        format: "openai",
        handler: (c, e) => completions(c, e.deps),
      },
      {
        route: "/v1/embeddings",
        methods: ["POST"],
        format: "openai",
        handler: (c, e) => embeddings(c, e.deps),
      },
      { route: "/v1/models", methods: ["GET"], format: "openai", handler: (c, e) => listModels(c, e.deps) },
      {
        route: "/healthz",
        public: true,
        methods: ["GET", "HEAD"],
        format: "openai",
        handler: (c) => healthz(c),
      },
      {
        route: "/readyz",
        public: true,
        methods: ["GET", "HEAD"],
        format: "openai",
        handler: (c, e) => readyz(c, e.deps, e.isDraining()),
      },
      {
        route: "/",
        methods: ["GET", "HEAD"],
        format: "ollama",
        handler: (c, e) => nativePassthrough(c, e.deps),
      },
    ] satisfies Route[]
  ).map((r) => [r.route, r]),
);

/** The native routes known by name; any other /api/ path is "/api/{other}". */
const NATIVE_ROUTES = new Set<RouteName>(
  ROUTE_NAMES.filter((r) => r.startsWith("/api/") && r !== "/api/{other}"),
);

const MODEL_PREFIX = "/v1/models/";

export function matchRoute(method: string, pathname: string): RouteMatch {
  const exact = EXACT.get(pathname);
  if (exact) return checkMethod(exact, method);
  if (pathname.startsWith(MODEL_PREFIX) && pathname.length > MODEL_PREFIX.length) {
    // Model ids may contain "/" (namespaced and hf.co/... models), so the id is the whole rest of the path.
    // The server hands over the path decoded once already.
    const id = pathname.slice(MODEL_PREFIX.length);
    return checkMethod(
      {
        route: "/v1/models/{model}",
        methods: ["GET"],
        format: "openai",
        handler: (c, e) => retrieveModel(c, e.deps, id),
      },
      method,
    );
  }
  if (pathname.startsWith("/api/")) {
    const route = NATIVE_ROUTES.has(pathname as RouteName) ? (pathname as RouteName) : "/api/{other}";
    return { route, format: "ollama", handler: (c, e) => nativePassthrough(c, e.deps), public: false };
  }
  return {
    route: "other",
    format: "openai",
    public: false,
    handler: () => {
      const hint = suggestRoute(pathname);
      throw new GatewayError(
        "route_not_found",
        `no route for ${method} ${truncate(pathname)}${hint ? `; did you mean ${truncate(hint)}?` : ""}`,
      );
    },
  };
}

function checkMethod(route: Route, method: string): RouteMatch {
  const isPublic = route.public === true;
  if (route.methods.includes(method))
    return { route: route.route, format: route.format, handler: route.handler, public: isPublic };
  return {
    route: route.route,
    format: route.format,
    public: isPublic,
    handler: (ctx) => {
      ctx.res.setHeader("allow", route.methods.join(", "));
      throw new GatewayError(
        "method_not_allowed",
        `${route.route} does not accept ${truncate(method)}; use ${route.methods.join(" or ")}`,
      );
    },
  };
}

/** Echoed client input is cut short so an error message cannot be used to amplify a huge path. */
function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

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
  const { route } = matchRoute("GET", candidate);
  return route === "other" || route === "/api/{other}" ? undefined : candidate;
}
