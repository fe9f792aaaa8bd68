// Every error of §9.2 that applies, with its exact status, content type and body.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { post, startFast, user } from "../../../test/helpers/simulator.js";
import type { RunningSimulator } from "./index.js";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startFast();
});
afterAll(() => sim.close());

const hi = user("hi");
const JSON_TYPE = "application/json; charset=utf-8";

// [path, body, status, error message]
const cases: [string, unknown, number, string][] = [
  ["/api/chat", "", 400, "missing request body"],
  ["/api/chat", "  \n", 400, "missing request body"],
  ["/api/chat", '{"model": x}', 400, "invalid character 'x' looking for beginning of value"],
  ["/api/chat", '{"model": "qwen3:32b"', 400, "unexpected EOF"],
  [
    "/api/chat",
    '{"model":"qwen3:32b","messages":"hi"}',
    400,
    "json: cannot unmarshal string into Go struct field ChatRequest.messages of type []api.Message",
  ],
  ["/api/chat", "null", 400, "model is required"],
  ["/api/chat", {}, 400, "model is required"],
  ["/api/chat", { model: "  ", messages: hi }, 400, "model is required"],
  ["/api/generate", {}, 404, "model '' not found"],
  ["/api/generate", "", 400, "missing request body"],
  ["/api/chat", { model: "Nope:7B", messages: hi }, 404, "model 'Nope:7B' not found"],
  ["/api/generate", { model: "nope", prompt: "x" }, 404, "model 'nope' not found"],
  ["/api/chat", { model: "bad name", messages: hi }, 400, "invalid model name"],
  [
    "/api/chat",
    { model: "qwen3:local:cloud", messages: hi },
    400,
    'use either :local or :cloud, not both: "qwen3:local:cloud"',
  ],
  [
    "/api/chat",
    { model: "qwen3:32b", messages: hi, top_logprobs: 21 },
    400,
    "top_logprobs must be between 0 and 20",
  ],
  [
    "/api/generate",
    { model: "qwen3:32b", prompt: "x", top_logprobs: -1 },
    400,
    "top_logprobs must be between 0 and 20",
  ],
  [
    "/api/chat",
    { model: "llama3.2", messages: hi, think: "high" },
    400,
    '"llama3.2" does not support thinking',
  ],
  [
    "/api/generate",
    { model: "llama3.2", prompt: "x", think: true },
    400,
    '"llama3.2" does not support thinking',
  ],
  [
    "/api/chat",
    { model: "qwen3:32b", messages: hi, think: "huge" },
    400,
    'invalid think value: "huge" (must be "high", "medium", "low", "max", true, or false)',
  ],
  ["/api/chat", { model: "nomic-embed-text", messages: hi }, 400, '"nomic-embed-text" does not support chat'],
  [
    "/api/generate",
    { model: "nomic-embed-text", prompt: "x" },
    400,
    '"nomic-embed-text" does not support generate',
  ],
  ["/api/chat", { model: "qwen3:32b", messages: hi, keep_alive: true }, 400, "Unsupported type: 'bool'"],
  [
    "/api/chat",
    { model: "qwen3:32b", messages: hi, keep_alive: "300" },
    400,
    'time: missing unit in duration "300"',
  ],
  [
    "/api/chat",
    { model: "qwen3:32b", messages: hi, options: { num_predict: "10" } },
    500,
    'option "num_predict" must be of type integer',
  ],
  [
    "/api/generate",
    { model: "qwen3:32b", prompt: "x", options: { stop: "x" } },
    500,
    'option "stop" must be of type array',
  ],
];

describe("errors before any output are c.JSON bodies with the real status", () => {
  test.each(cases)("%s %j → %i %s", async (path, body, status, message) => {
    const reply = await post(sim, path, body);
    expect(reply.status).toBe(status);
    expect(reply.type).toBe(JSON_TYPE);
    expect(reply.text).toBe(JSON.stringify({ error: message }));
  });
});

describe("a bad format fails only when the request runs", () => {
  const message = 'invalid format: "\\"xml\\""; expected "json" or a valid JSON Schema object';

  test("streaming: 500 and plain application/json, the model loaded anyway", async () => {
    const reply = await post(sim, "/api/chat", { model: "qwen3:32b", messages: hi, format: "xml" });
    expect([reply.status, reply.type, reply.text]).toEqual([
      500,
      "application/json",
      JSON.stringify({ error: message }),
    ]);
  });

  test("stream:false: 500 with charset", async () => {
    const reply = await post(sim, "/api/generate", {
      model: "qwen3:32b",
      prompt: "x",
      format: 12,
      stream: false,
    });
    expect([reply.status, reply.type]).toEqual([500, JSON_TYPE]);
    expect(JSON.parse(reply.text).error).toBe(
      'invalid format: "12"; expected "json" or a valid JSON Schema object',
    );
  });

  test('null and "" mean no format', async () => {
    for (const format of [null, ""]) {
      const reply = await post(sim, "/api/chat", { model: "llama3.2", messages: hi, format, stream: false });
      expect(reply.status).toBe(200);
    }
  });
});

test("every error counts as failed in the stats", async () => {
  const fresh = await startFast();
  try {
    await post(fresh, "/api/chat", {});
    await post(fresh, "/api/generate", {});
    await post(fresh, "/api/embed", "");
    expect(fresh.stats()).toMatchObject({ requests: 3, failed: 3, completed: 0, aborted: 0 });
  } finally {
    await fresh.close();
  }
});
