import { describe, expect, test } from "vitest";
import { GatewayError } from "../errors/gateway-error.js";
import { matchRoute, suggestRoute } from "./router.js";

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
    const match = matchRoute("POST", path);
    expect(match.route).toBe("other");
    const thrown = await Promise.resolve()
      .then(() => match.handler({} as never, {} as never))
      .catch((err: unknown) => err);
    expect(thrown).toBeInstanceOf(GatewayError);
    expect(thrown).toMatchObject({ code: "route_not_found", message });
  });
});
