// The one table of routes: what each path is, who may call it, and how the pipeline treats it; the rest derives.

/**
 * Who may call a route.
 * - none: anyone (health probes, the dashboard's pages, runbooks, /status.json).
 * - apiKey: with API keys configured, a valid key within its rate limits.
 * - admin: with API keys configured, a key, and an admin key when admin keys are named (the dashboard's data).
 * - metricsToken: with a metrics token configured, `Authorization: Bearer <token>` (Prometheus' scrape).
 */
export type AuthPolicy = "none" | "apiKey" | "admin" | "metricsToken";

/**
 * What a route's requests count towards.
 * - user: /metrics' request series, the access log, the dashboard and /status.json.
 * - probe: machines asking whether the gateway or the upstream is alive: /metrics and the access log, but not the
 *   dashboard, /status.json or the kit's request rate, error ratio and latency (with the upstream down, a
 *   readiness probe alone would read as a high error ratio).
 * - none: not a request at all for the figures (scrapes, the dashboard's own pages and data, runbooks), so
 *   watching the gateway does not change what it shows.
 */
export type Traffic = "user" | "probe" | "none";

/** Which API's shape the route's errors take. */
export type ApiFormat = "openai" | "ollama";

/**
 * How the request body is read.
 * - none: no body expected.
 * - json: read whole and parsed (and validated by the handler).
 * - buffered: read whole and forwarded unchanged; its model and stream flag are peeked for logs and metrics.
 * - streamed: forwarded as it arrives (uploads can be gigabytes).
 */
export type BodyMode = "none" | "json" | "buffered" | "streamed";

/** Which part of the gateway serves a route; a route whose feature is off is not matched (404 like any path). */
export type Feature = "api" | "metrics" | "dashboard" | "runbooks";

export interface RouteSpec {
  /** The bounded `path` label of the request metrics, and the route's name in logs. */
  readonly name: string;
  /**
   * An exact path (`html`: only for a browser asking for a page), or a prefix the rest of the path completes
   * (`{model}` ids may contain "/"; `nonEmpty`: the rest must not be empty). "fallback" takes what nothing else does.
   */
  readonly match:
    | { readonly exact: string; readonly html?: true }
    | { readonly prefix: string; readonly nonEmpty?: true }
    | "fallback";
  /** Accepted methods; "any" forwards every method and lets the upstream answer. */
  readonly methods: readonly string[] | "any";
  readonly auth: AuthPolicy;
  readonly traffic: Traffic;
  readonly format: ApiFormat;
  readonly feature: Feature;
  /** Occupies the model: waits for an admission slot before the upstream request. */
  readonly admitted: boolean;
  /** Generates text: its answer has tokens, a time to first token and Ollama's timings. */
  readonly generation: boolean;
  readonly body: BodyMode;
  /** Its answer may stream (SSE for the OpenAI routes, NDJSON for Ollama's). */
  readonly streams: boolean;
}

type Row = Omit<RouteSpec, "admitted" | "generation" | "streams" | "body" | "format" | "feature"> &
  Partial<Pick<RouteSpec, "admitted" | "generation" | "streams" | "body" | "format" | "feature">>;

const GET = ["GET", "HEAD"] as const;

/** Defaults: an API route that is neither admitted nor generating, without a body, answered whole. */
function row<const R extends Row>(r: R): R & RouteSpec {
  return {
    admitted: false,
    generation: false,
    streams: false,
    body: "none",
    format: "openai",
    feature: "api",
    ...r,
  } as R & RouteSpec;
}

/** A generation on the OpenAI API: a validated JSON body, admitted, streamed when the client asks. */
const openaiGeneration = {
  auth: "apiKey",
  traffic: "user",
  body: "json",
  admitted: true,
  generation: true,
  streams: true,
} as const;
/** One of Ollama's native routes, passed through; its body is peeked only where the model matters. */
const native = { methods: "any", auth: "apiKey", traffic: "user", format: "ollama" } as const;

export const ROUTES = [
  row({
    name: "/v1/chat/completions",
    match: { exact: "/v1/chat/completions" },
    methods: ["POST"],
    ...openaiGeneration,
  }),
  row({
    name: "/v1/completions",
    match: { exact: "/v1/completions" },
    methods: ["POST"],
    ...openaiGeneration,
  }),
  row({
    name: "/v1/embeddings",
    match: { exact: "/v1/embeddings" },
    methods: ["POST"],
    auth: "apiKey",
    traffic: "user",
    body: "json",
    admitted: true,
  }),
  row({
    name: "/v1/models",
    match: { exact: "/v1/models" },
    methods: ["GET"],
    auth: "apiKey",
    traffic: "user",
  }),
  row({
    name: "/v1/models/{model}",
    match: { prefix: "/v1/models/", nonEmpty: true },
    methods: ["GET"],
    auth: "apiKey",
    traffic: "user",
  }),
  row({
    name: "/api/chat",
    match: { exact: "/api/chat" },
    ...native,
    body: "buffered",
    admitted: true,
    generation: true,
    streams: true,
  }),
  row({
    name: "/api/generate",
    match: { exact: "/api/generate" },
    ...native,
    body: "buffered",
    admitted: true,
    generation: true,
    streams: true,
  }),
  row({ name: "/api/embed", match: { exact: "/api/embed" }, ...native, body: "buffered", admitted: true }),
  row({
    name: "/api/embeddings",
    match: { exact: "/api/embeddings" },
    ...native,
    body: "buffered",
    admitted: true,
  }),
  row({ name: "/api/tags", match: { exact: "/api/tags" }, ...native, body: "streamed" }),
  row({ name: "/api/ps", match: { exact: "/api/ps" }, ...native, body: "streamed" }),
  row({ name: "/api/show", match: { exact: "/api/show" }, ...native, body: "buffered" }),
  row({ name: "/api/version", match: { exact: "/api/version" }, ...native, body: "streamed" }),
  // Pull, push, create, copy, delete and blob uploads: streamed both ways, model management and progress alike.
  row({ name: "/api/{other}", match: { prefix: "/api/" }, ...native, body: "streamed", streams: true }),
  // A browser opening the gateway's address is sent to the dashboard.
  row({
    name: "/ (browser)",
    match: { exact: "/", html: true },
    methods: ["GET"],
    auth: "none",
    traffic: "none",
    feature: "dashboard",
  }),
  // Ollama's liveness answer ("Ollama is running"), which Ollama clients probe.
  row({ name: "/", match: { exact: "/" }, methods: GET, auth: "apiKey", traffic: "probe", format: "ollama" }),
  row({ name: "/healthz", match: { exact: "/healthz" }, methods: GET, auth: "none", traffic: "probe" }),
  row({ name: "/readyz", match: { exact: "/readyz" }, methods: GET, auth: "none", traffic: "probe" }),
  row({
    name: "/metrics",
    match: { exact: "/metrics" },
    methods: GET,
    auth: "metricsToken",
    traffic: "none",
    feature: "metrics",
  }),
  row({
    name: "/status.json",
    match: { exact: "/status.json" },
    methods: GET,
    auth: "none",
    traffic: "none",
    feature: "dashboard",
  }),
  row({
    name: "/widget.js",
    match: { exact: "/widget.js" },
    methods: GET,
    auth: "none",
    traffic: "none",
    feature: "dashboard",
  }),
  row({
    name: "/ui/api/dashboard",
    match: { exact: "/ui/api/dashboard" },
    methods: GET,
    auth: "admin",
    traffic: "none",
    feature: "dashboard",
  }),
  row({
    name: "/ui",
    match: { exact: "/ui" },
    methods: GET,
    auth: "none",
    traffic: "none",
    feature: "dashboard",
  }),
  row({
    name: "/ui/{page}",
    match: { prefix: "/ui/" },
    methods: GET,
    auth: "none",
    traffic: "none",
    feature: "dashboard",
  }),
  row({
    name: "/runbooks",
    match: { exact: "/runbooks" },
    methods: GET,
    auth: "none",
    traffic: "none",
    feature: "runbooks",
  }),
  row({
    name: "/runbooks/{alert}",
    match: { prefix: "/runbooks/" },
    methods: GET,
    auth: "none",
    traffic: "none",
    feature: "runbooks",
  }),
  // Anything else: 404 naming the path meant. Counted, so a misconfigured client shows in the figures.
  row({ name: "other", match: "fallback", methods: "any", auth: "apiKey", traffic: "user" }),
] as const satisfies readonly RouteSpec[];

export type RouteKey = (typeof ROUTES)[number]["name"];
type CountedRow = Extract<(typeof ROUTES)[number], { traffic: "user" | "probe" }>;
/** The `path` label of the request metrics: the counted routes, bounded by construction. */
export type RouteName = CountedRow["name"];

/** Routes that are requests for the figures, in table order: the values of the `path` label. */
export const ROUTE_NAMES: readonly RouteName[] = ROUTES.filter(
  (r): r is CountedRow => r.traffic !== "none",
).map((r) => r.name);

function namesWhere(test: (r: RouteSpec) => boolean): ReadonlySet<RouteName> {
  return new Set(ROUTES.filter((r): r is CountedRow => r.traffic !== "none" && test(r)).map((r) => r.name));
}

/** Health probes: counted in /metrics, left out of the dashboard, /status.json and the kit's user-traffic figures. */
export const PROBE_ROUTES = namesWhere((r) => r.traffic === "probe");
/** Routes whose requests generate text: their durations are what a chat user waits for. */
export const GENERATING_ROUTES = namesWhere((r) => r.generation);
/** Routes admitted through the queue: their statuses and upstream failures are created at zero on start. */
export const ADMITTED_ROUTES = namesWhere((r) => r.admitted);
