// Informational routes and gin's 404/405/redirect answers.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, json, post, startFast } from "../../../test/helpers/simulator.js";
import type { RunningSimulator } from "./index.js";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startFast({ version: "9.9.9" });
});
afterAll(() => sim.close());

const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;

describe("informational routes", () => {
  test("GET / and HEAD / answer text/plain 'Ollama is running' with no newline", async () => {
    const get = await call(sim, "GET", "/");
    expect([get.status, get.type, get.text]).toEqual([200, "text/plain; charset=utf-8", "Ollama is running"]);
    const head = await call(sim, "HEAD", "/");
    expect([head.status, head.text]).toEqual([200, ""]);
  });

  test("GET and HEAD /api/version give the configured version as a c.JSON body", async () => {
    const get = await call(sim, "GET", "/api/version");
    expect([get.status, get.type, get.text]).toEqual([
      200,
      "application/json; charset=utf-8",
      '{"version":"9.9.9"}',
    ]);
    expect((await call(sim, "HEAD", "/api/version")).status).toBe(200);
  });

  test("/api/tags lists every model with details and capabilities, newest first", async () => {
    const reply = await call(sim, "GET", "/api/tags");
    expect(reply.text.endsWith("}")).toBe(true);
    const { models } = json<{ models: Record<string, unknown>[] }>(reply);
    expect(models.map((m) => m.name)).toEqual([
      "qwen3:32b",
      "llama3.2:latest",
      "gemma3:4b",
      "nomic-embed-text:latest",
      "qwen2.5-coder:7b",
    ]);
    const times = models.map((m) => Date.parse(m.modified_at as string));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const byName = Object.fromEntries(models.map((m) => [m.name, m]));
    expect(byName["qwen3:32b"]).toMatchObject({
      model: "qwen3:32b",
      digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      size: expect.any(Number),
      details: {
        parent_model: "",
        format: "gguf",
        family: "qwen3",
        families: ["qwen3"],
        quantization_level: "Q4_K_M",
      },
      capabilities: ["completion", "tools", "thinking"],
    });
    expect(byName["qwen3:32b"]?.details).toMatchObject({
      parameter_size: expect.stringMatching(/^3\d\.\dB$/),
    });
    expect(byName["nomic-embed-text:latest"]?.capabilities).toEqual(["embedding"]);
    expect(byName["gemma3:4b"]?.capabilities).toEqual(["completion", "vision"]);
    expect(byName["qwen2.5-coder:7b"]?.capabilities).toEqual(["completion", "tools", "insert"]);
    expect(byName["llama3.2:latest"]?.modified_at).toMatch(RFC3339_NANO);
    expect((await call(sim, "HEAD", "/api/tags")).status).toBe(200);
  });

  test('/api/ps is {"models":[]} before anything is loaded', async () => {
    const fresh = await startFast();
    try {
      expect((await call(fresh, "GET", "/api/ps")).text).toBe('{"models":[]}');
    } finally {
      await fresh.close();
    }
  });

  test("/api/show returns details, sorted model_info, capabilities and modified_at", async () => {
    const reply = await post(sim, "/api/show", { model: "QWEN3:32b" });
    expect(reply.status).toBe(200);
    const body = json(reply);
    expect(body.details).toMatchObject({ family: "qwen3", format: "gguf" });
    expect(body.capabilities).toEqual(["completion", "tools", "thinking"]);
    expect(body.modified_at).toMatch(RFC3339_NANO);
    const info = body.model_info as Record<string, unknown>;
    expect(info["general.architecture"]).toBe("qwen3");
    expect(info["qwen3.context_length"]).toBe(40960);
    expect(Object.keys(info)).toEqual([...Object.keys(info)].sort());
    expect(Object.keys(body)).toEqual([
      "modelfile",
      "parameters",
      "template",
      "details",
      "model_info",
      "capabilities",
      "modified_at",
    ]);
    // The deprecated `name` key works too.
    expect((await post(sim, "/api/show", { name: "gemma3:4b" })).status).toBe(200);
  });

  test("/api/show errors: missing model 400, unknown model 404 with the shortest name", async () => {
    expect(await post(sim, "/api/show", {})).toMatchObject({
      status: 400,
      text: '{"error":"model is required"}',
    });
    expect(await post(sim, "/api/show", { model: "nope" })).toMatchObject({
      status: 404,
      text: `{"error":"model 'nope:latest' not found"}`,
    });
    expect(await post(sim, "/api/show", { model: "bad name" })).toMatchObject({
      status: 400,
      text: '{"error":"invalid model name"}',
    });
    expect(await post(sim, "/api/show", "")).toMatchObject({
      status: 400,
      text: '{"error":"missing request body"}',
    });
  });

  test("GET /_sim/stats returns the counters", async () => {
    const stats = json(await call(sim, "GET", "/_sim/stats"));
    expect(Object.keys(stats).sort()).toEqual(
      [
        "active",
        "aborted",
        "completed",
        "failed",
        "loads",
        "queued",
        "requests",
        "stalled",
        "unloads",
      ].sort(),
    );
    expect(stats).toEqual({ ...sim.stats() });
  });
});

describe("gin's answers for other routes", () => {
  test.each([
    ["GET", "/nope"],
    ["POST", "/api/unknown"],
    ["GET", "/v2/whatever"],
  ])("%s %s is a text/plain 404", async (method, path) => {
    const reply = await call(sim, method, path);
    expect([reply.status, reply.type, reply.text]).toEqual([404, "text/plain", "404 page not found"]);
  });

  test.each([
    ["GET", "/api/chat"],
    ["POST", "/"],
    ["DELETE", "/api/tags"],
    ["POST", "/api/ps"],
  ])("%s %s is a text/plain 405", async (method, path) => {
    const reply = await call(sim, method, path);
    expect([reply.status, reply.type, reply.text]).toEqual([405, "text/plain", "405 method not allowed"]);
  });

  test("a trailing slash redirects: 301 for GET, 307 for POST", async () => {
    const get = await call(sim, "GET", "/api/tags/");
    expect([get.status, get.headers.get("location")]).toEqual([301, "/api/tags"]);
    const postReply = await call(sim, "POST", "/api/chat/", {});
    expect([postReply.status, postReply.headers.get("location")]).toEqual([307, "/api/chat"]);
  });
});
