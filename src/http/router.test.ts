import { describe, expect, test } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import { HANDLERS } from "./handlers.js";
import type { RequestContext } from "./request-context.js";
import { type Feature, PROBE_ROUTES, ROUTE_NAMES, ROUTES } from "./route-table.js";
import { allowsMethod, createRouter, suggestRoute } from "./router.js";

const ALL = createRouter(new Set<Feature>(["api", "metrics", "dashboard", "runbooks"]));
const API = createRouter(new Set<Feature>(["api"]));

describe("the router", () => {
  test.each([
    ["/v1/chat/completions", "/v1/chat/completions"],
    ["/v1/models", "/v1/models"],
    ["/v1/models/qwen3:32b", "/v1/models/{model}"],
    ["/v1/models/hf.co/org/model:Q4", "/v1/models/{model}"],
    ["/v1/models/", "other"],
    ["/api/chat", "/api/chat"],
    ["/api/pull", "/api/{other}"],
    ["/api/", "/api/{other}"],
    ["/", "/"],
    ["/healthz", "/healthz"],
    ["/metrics", "/metrics"],
    ["/ui", "/ui"],
    ["/ui/", "/ui/{page}"],
    ["/ui/api/dashboard", "/ui/api/dashboard"],
    ["/runbooks/", "/runbooks/{alert}"],
    ["/status.json", "/status.json"],
    ["/v1/responses", "other"],
    ["/nothing", "other"],
  ])("%s → %s", (path, name) => {
    expect(ALL.match(path, () => false).name).toBe(name);
  });

  test("GET / from a browser goes to the dashboard, from anything else to Ollama's answer", () => {
    expect(ALL.match("/", () => true).name).toBe("/ (browser)");
    expect(API.match("/", () => true).name).toBe("/");
  });

  test.each(["/metrics", "/ui/", "/status.json", "/runbooks/"])(
    "%s is not routed when its feature is off: the fallback takes it",
    (path) => {
      expect(API.match(path, () => true).name).toBe("other");
    },
  );

  test("methods: a listed method is allowed, others not; 'any' allows every method", () => {
    const chat = ALL.match("/v1/chat/completions", () => false);
    expect([allowsMethod(chat, "POST"), allowsMethod(chat, "GET")]).toEqual([true, false]);
    const native = ALL.match("/api/pull", () => false);
    expect(allowsMethod(native, "DELETE")).toBe(true);
  });
});

describe("the route table", () => {
  test("names are unique, and every name has a handler", () => {
    const names = ROUTES.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(typeof HANDLERS[name]).toBe("function");
  });

  test("the path label takes the counted routes only", () => {
    expect(ROUTE_NAMES).toContain("/v1/chat/completions");
    expect(ROUTE_NAMES).toContain("other");
    expect(ROUTE_NAMES).not.toContain("/metrics");
    expect(ROUTE_NAMES).not.toContain("/ui/{page}");
    expect([...PROBE_ROUTES].sort()).toEqual(["/", "/healthz", "/readyz"]);
  });

  test("a generation is admitted, and only API routes are admitted", () => {
    for (const r of ROUTES) {
      if (r.generation) expect(r.admitted, r.name).toBe(true);
      if (r.admitted) expect(r.feature, r.name).toBe("api");
    }
  });
});

describe("suggestRoute", () => {
  test.each([
    ["/chat/completions", "/v1/chat/completions"],
    ["/completions", "/v1/completions"],
    ["/embeddings", "/v1/embeddings"],
    ["/models", "/v1/models"],
    ["/models/qwen3:32b", "/v1/models/qwen3:32b"],
    ["/v1/v1/chat/completions", "/v1/chat/completions"],
    ["/v1/chat/completions/", "/v1/chat/completions"],
    ["/chat/completions/", "/v1/chat/completions"],
    ["/v1/chat", undefined],
    ["/v1/responses", undefined],
    ["/nothing", undefined],
    ["/", undefined],
    ["/v1", undefined],
    ["/v1/", undefined],
  ])("%s → %s", (path, want) => {
    expect(suggestRoute(path)).toBe(want);
  });
});

describe("an unknown path", () => {
  test.each([
    ["/chat/completions", "no route for POST /chat/completions; did you mean /v1/chat/completions?"],
    ["/v1/nothing", "no route for POST /v1/nothing"],
    [
      `/models/${"m".repeat(300)}`,
      `no route for POST /models/${"m".repeat(192)}…; did you mean /v1/models/${"m".repeat(189)}…?`,
    ],
  ])("%s: 404 route_not_found naming the path meant", async (path, message) => {
    expect(API.match(path, () => false).name).toBe("other");
    const ctx = { method: "POST", path } as RequestContext;
    const thrown = await Promise.resolve()
      .then(() => HANDLERS.other(ctx))
      .catch((err: unknown) => err);
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ code: "route_not_found", message });
  });
});
