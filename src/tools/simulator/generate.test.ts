// /api/generate: response/thinking deltas, context, raw mode, insert capability, load/unload.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Chunk, json, ndjson, post, startFast } from "../../../test/helpers/simulator.js";
import type { RunningSimulator } from "./index.js";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startFast();
});
afterAll(() => sim.close());

describe("/api/generate", () => {
  test("streams `response` deltas (and `thinking` first) and ends with context and metrics", async () => {
    const reply = await post(sim, "/api/generate", {
      model: "qwen3:32b",
      prompt: "Write a haiku [sim:tokens=6]",
    });
    expect(reply.type).toBe("application/x-ndjson");
    const chunks = ndjson<Chunk>(reply.text);
    const deltas = chunks.slice(0, -1);
    expect(deltas[0]?.thinking?.length).toBeGreaterThan(0);
    expect(deltas.filter((c) => !c.thinking)).toHaveLength(6);
    for (const c of deltas) {
      expect(c.message).toBeUndefined();
      expect(Object.keys(c)).toEqual(
        c.thinking
          ? ["model", "created_at", "response", "thinking", "done"]
          : ["model", "created_at", "response", "done"],
      );
    }
    const final = chunks.at(-1) as Chunk;
    expect(Object.keys(final)).toEqual([
      "model",
      "created_at",
      "response",
      "done",
      "done_reason",
      "context",
      "total_duration",
      "load_duration",
      "prompt_eval_count",
      "prompt_eval_duration",
      "eval_count",
      "eval_duration",
    ]);
    expect(final.context).toHaveLength((final.prompt_eval_count ?? 0) + (final.eval_count ?? 0));
  });

  test("stream:false joins response and thinking; raw mode has no context", async () => {
    const body = { model: "qwen3:32b", prompt: "Explain caching", think: false };
    const streamed = ndjson<Chunk>((await post(sim, "/api/generate", body)).text);
    const whole = json<Chunk>(await post(sim, "/api/generate", { ...body, stream: false }));
    expect(whole.response).toBe(streamed.map((c) => c.response).join(""));
    expect(whole.thinking).toBeUndefined();
    const raw = json<Chunk>(await post(sim, "/api/generate", { ...body, stream: false, raw: true }));
    expect(raw.context).toBeUndefined();
    expect(raw.done_reason).toBe("stop");
  });

  test("suffix needs the insert capability", async () => {
    const refused = await post(sim, "/api/generate", { model: "llama3.2", prompt: "def f(", suffix: ")" });
    expect([refused.status, refused.text]).toEqual([
      400,
      '{"error":"registry.ollama.ai/library/llama3.2:latest does not support insert"}',
    ]);
    const ok = await post(sim, "/api/generate", {
      model: "qwen2.5-coder:7b",
      prompt: "def f(",
      suffix: ")",
      stream: false,
    });
    expect(ok.status).toBe(200);
  });

  test("raw mode refuses template, system or context", async () => {
    const reply = await post(sim, "/api/generate", {
      model: "llama3.2",
      prompt: "x",
      raw: true,
      system: "s",
    });
    expect([reply.status, reply.text]).toEqual([
      400,
      '{"error":"raw mode does not support template, system, or context"}',
    ]);
  });

  test("an empty prompt loads; with keep_alive 0 it unloads", async () => {
    const load = json(await post(sim, "/api/generate", { model: "llama3.2" }));
    expect(load).toEqual({
      model: "llama3.2",
      created_at: expect.any(String),
      response: "",
      done: true,
      done_reason: "load",
    });
    const unload = json(await post(sim, "/api/generate", { model: "llama3.2", prompt: "", keep_alive: 0 }));
    expect(unload).toMatchObject({ response: "", done: true, done_reason: "unload" });
  });
});
