// What serves each row of the route table: `satisfies Record<RouteKey, Handler>`, so a row without a handler does not compile.

import type { DashboardPages } from "../dashboard/handler.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { MetricsEndpoint } from "../metrics/handler.js";
import type { GatewayDeps } from "./deps.js";
import type { Done, RequestContext } from "./request-context.js";
import type { RouteKey } from "./route-table.js";
import { suggestRoute } from "./router.js";
import { healthz, readyz } from "./routes/health.js";
import { nativePassthrough } from "./routes/native.js";
import { chatCompletions, completions, embeddings, listModels, retrieveModel } from "./routes/openai.js";
import type { RunbookPages } from "./runbook-pages.js";

/** What handlers are given besides the request. A feature's pages are present when its routes are served. */
export interface RouteEnv {
  deps: GatewayDeps;
  isDraining: () => boolean;
  metrics?: MetricsEndpoint;
  dashboard?: DashboardPages;
  runbooks?: RunbookPages;
}

/**
 * Answers a request and says how it ended; throwing is answered by the pipeline's error writer. The pipeline
 * records the returned outcome once, so a handler cannot forget to, or do it twice.
 */
export type Handler = (ctx: RequestContext, env: RouteEnv) => Promise<Done> | Done;

/** A feature's pages are only routed when present (see createRouter), so a missing one is a bug. */
function need<T>(page: T | undefined, feature: string): T {
  if (page === undefined) throw new Error(`the ${feature} route is served without its handler`);
  return page;
}

const native: Handler = (c, e) => nativePassthrough(c, e.deps);

export const HANDLERS = {
  "/v1/chat/completions": (c, e) => chatCompletions(c, e.deps),
  "/v1/completions": (c, e) => completions(c, e.deps),
  "/v1/embeddings": (c, e) => embeddings(c, e.deps),
  "/v1/models": (c, e) => listModels(c, e.deps),
  "/v1/models/{model}": (c, e) => retrieveModel(c, e.deps),
  "/api/chat": native,
  "/api/generate": native,
  "/api/embed": native,
  "/api/embeddings": native,
  "/api/tags": native,
  "/api/ps": native,
  "/api/show": native,
  "/api/version": native,
  "/api/{other}": native,
  "/": native,
  "/ (browser)": (c, e) => need(e.dashboard, "dashboard").home(c),
  "/healthz": (c) => healthz(c),
  "/readyz": (c, e) => readyz(c, e.deps, e.isDraining()),
  "/metrics": (c, e) => need(e.metrics, "metrics")(c),
  "/status.json": (c, e) => need(e.dashboard, "dashboard").status(c),
  "/widget.js": (c, e) => need(e.dashboard, "dashboard").widget(c),
  "/ui/api/dashboard": (c, e) => need(e.dashboard, "dashboard").data(c),
  "/ui": (c, e) => need(e.dashboard, "dashboard").ui(c),
  "/ui/{page}": (c, e) => need(e.dashboard, "dashboard").page(c),
  "/runbooks": (c, e) => need(e.runbooks, "runbooks").redirect(c),
  "/runbooks/{alert}": (c, e) => need(e.runbooks, "runbooks").page(c),
  other: (c) => {
    const hint = suggestRoute(c.path);
    throw new GatewayError(
      "route_not_found",
      `no route for ${truncate(c.method)} ${truncate(c.path)}${hint ? `; did you mean ${truncate(hint)}?` : ""}`,
    );
  },
} satisfies Record<RouteKey, Handler>;

/** Echoed client input is cut short so an error message cannot be used to amplify a huge path. */
export function truncate(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
