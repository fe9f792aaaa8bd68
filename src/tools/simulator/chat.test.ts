// /api/chat over a real socket: NDJSON shape, aggregation, num_predict, stop, thinking, tools, format, load/unload.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type Chunk, call, json, ndjson, post, startFast, user } from "../../../test/helpers/simulator.js";
import type { RunningSimulator } from "./index.js";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startFast();
});
afterAll(() => sim.close());

const RFC3339_NANO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?Z$/;
const METRICS = [
  "total_duration",
  "load_duration",
  "prompt_eval_count",
  "prompt_eval_duration",
  "eval_count",
  "eval_duration",
];

async function chat(body: Record<string, unknown>) {
  const reply = await post(sim, "/api/chat", body);
  expect(reply.status, reply.text).toBe(200);
  return { reply, chunks: ndjson<Chunk>(reply.text) };
}

const content = (chunks: Chunk[]) => chunks.map((c) => c.message?.content ?? "").join("");
const thinking = (chunks: Chunk[]) => chunks.map((c) => c.message?.thinking ?? "").join("");

describe("streaming /api/chat", () => {
  test("NDJSON lines: deltas, then one final object with the six metrics", async () => {
    const { reply, chunks } = await chat({
      model: "QWEN3:32b",
      messages: user("Hello there [sim:tokens=7] [sim:think-tokens=0]"),
    });
    expect(reply.type).toBe("application/x-ndjson");
    expect(chunks).toHaveLength(8);
    const deltas = chunks.slice(0, -1);
    for (const c of deltas) {
      expect(Object.keys(c)).toEqual(["model", "created_at", "message", "done"]);
      expect(c).toMatchObject({ model: "QWEN3:32b", done: false, message: { role: "assistant" } });
      expect(c.message?.content).not.toBe("");
      expect(c.created_at).toMatch(RFC3339_NANO);
    }
    const stamps = chunks.map((c) => c.created_at);
    expect([...stamps].sort()).toEqual(stamps);
    const final = chunks[7] as Chunk;
    expect(Object.keys(final)).toEqual(["model", "created_at", "message", "done", "done_reason", ...METRICS]);
    expect(final).toMatchObject({
      done: true,
      done_reason: "stop",
      message: { role: "assistant", content: "" },
    });
    for (const key of METRICS) expect(Number.isInteger(final[key as keyof Chunk])).toBe(true);
    expect(final.eval_count).toBe(7);
    expect(final.prompt_eval_count).toBe(
      Math.ceil("Hello there [sim:tokens=7] [sim:think-tokens=0]".length / 4),
    );
    expect(final.total_duration).toBeGreaterThanOrEqual(
      (final.eval_duration ?? 0) + (final.prompt_eval_duration ?? 0),
    );
  });

  test("the same prompt gives the same answer; stream:false aggregates the deltas (§3.4)", async () => {
    const body = { model: "qwen3:32b", messages: user("Tell me about queues") };
    const { chunks } = await chat(body);
    const reply = await post(sim, "/api/chat", { ...body, stream: false });
    expect(reply.type).toBe("application/json; charset=utf-8");
    expect(reply.text.endsWith("\n")).toBe(false);
    const whole = json<Chunk>(reply);
    const final = chunks[chunks.length - 1] as Chunk;
    expect(whole.message?.content).toBe(content(chunks));
    expect(whole.message?.thinking).toBe(thinking(chunks));
    expect(whole.message?.content.length).toBeGreaterThan(0);
    expect(whole).toMatchObject({ done: true, done_reason: "stop", eval_count: final.eval_count });
    expect(Object.keys(whole)).toEqual(["model", "created_at", "message", "done", "done_reason", ...METRICS]);
    expect(Object.keys(whole.message ?? {})).toEqual(["role", "content", "thinking"]);
  });

  test("num_predict cuts the answer with done_reason length; it counts thinking tokens too", async () => {
    const plain = await chat({
      model: "qwen3:32b",
      think: false,
      messages: user("Count [sim:tokens=50]"),
      options: { num_predict: 5 },
    });
    expect(plain.chunks).toHaveLength(6);
    expect(plain.chunks[5]).toMatchObject({ done_reason: "length", eval_count: 5 });

    const thinker = await chat({
      model: "qwen3:32b",
      messages: user("Count [sim:tokens=50] [sim:think-tokens=10]"),
      options: { num_predict: 4 },
    });
    expect(thinking(thinker.chunks).length).toBeGreaterThan(0);
    expect(content(thinker.chunks)).toBe("");
    expect(thinker.chunks.at(-1)).toMatchObject({ done_reason: "length", eval_count: 4 });
  });

  test("options.stop ends the answer before the stop sequence with done_reason stop", async () => {
    const body = { model: "llama3.2", messages: user("Say something long [sim:tokens=40]") };
    const full = content((await chat(body)).chunks);
    const words = full.split(" ");
    const stopWord = ` ${words[6]}`;
    const expected = full.slice(0, full.indexOf(stopWord));
    const { chunks } = await chat({ ...body, options: { stop: [stopWord] } });
    expect(content(chunks)).toBe(expected);
    expect(chunks.at(-1)?.done_reason).toBe("stop");
  });
});

describe("thinking", () => {
  test("a thinking model thinks by default, thinking deltas first, then content", async () => {
    const { chunks } = await chat({ model: "qwen3:32b", messages: user("Why is the sky blue?") });
    const kinds = chunks.slice(0, -1).map((c) => (c.message?.thinking ? "t" : "c"));
    expect(kinds[0]).toBe("t");
    expect(kinds.join("")).toMatch(/^t+c+$/);
    for (const c of chunks) if (c.message?.thinking) expect(c.message.content).toBe("");
  });

  test("think:false turns it off; levels scale it", async () => {
    const off = await chat({ model: "qwen3:32b", think: false, messages: user("Why?") });
    expect(thinking(off.chunks)).toBe("");
    const count = async (think: string) => {
      const { chunks } = await chat({ model: "qwen3:32b", think, messages: user("Why?") });
      return chunks.filter((c) => c.message?.thinking).length;
    };
    const [low, high, max] = [await count("low"), await count("high"), await count("max")];
    expect(low).toBeLessThan(high);
    expect(high).toBeLessThan(max);
  });

  test("a model without thinking refuses think:true but accepts think:false", async () => {
    const refused = await post(sim, "/api/chat", { model: "llama3.2", think: true, messages: user("hi") });
    expect([refused.status, refused.text]).toEqual([
      400,
      '{"error":"\\"llama3.2\\" does not support thinking"}',
    ]);
    const { chunks } = await chat({ model: "llama3.2", think: false, messages: user("hi") });
    expect(thinking(chunks)).toBe("");
  });
});

describe("tools", () => {
  const tools = [
    {
      type: "function",
      function: {
        name: "get_weather",
        description: "Weather for a city",
        parameters: {
          type: "object",
          required: ["city", "days", "unit", "detailed"],
          properties: {
            city: { type: "string" },
            days: { type: "integer" },
            unit: { type: "string", enum: ["celsius", "fahrenheit"] },
            detailed: { type: "boolean" },
            note: { type: "string" },
          },
        },
      },
    },
    { type: "function", function: { name: "other", parameters: { type: "object", properties: {} } } },
  ];

  test("a user turn with tools gets one whole tool call for the first tool, then done", async () => {
    const { chunks } = await chat({
      model: "qwen3:32b",
      think: false,
      tools,
      messages: user("Weather in Paris?"),
    });
    expect(chunks).toHaveLength(2);
    const call = chunks[0]?.message;
    expect(call?.content).toBe("");
    expect(call?.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_[a-z0-9]{8}$/),
        function: {
          index: 0,
          name: "get_weather",
          arguments: { city: "Paris", days: expect.any(Number), unit: "celsius", detailed: true },
        },
      },
    ]);
    expect(chunks[1]).toMatchObject({ done: true, done_reason: "stop", message: { content: "" } });
  });

  test("stream:false keeps the tool calls; a tool result turn is answered with text", async () => {
    const whole = json<Chunk>(
      await post(sim, "/api/chat", {
        model: "qwen3:32b",
        stream: false,
        tools,
        messages: user("Weather in Oslo?"),
      }),
    );
    expect(whole.message?.tool_calls).toHaveLength(1);
    expect(whole.message?.thinking?.length).toBeGreaterThan(0);

    const { chunks } = await chat({
      model: "qwen3:32b",
      think: false,
      tools,
      messages: [
        ...user("Weather in Oslo?"),
        { role: "assistant", content: "", tool_calls: whole.message?.tool_calls },
        { role: "tool", tool_name: "get_weather", content: '{"temp": 3}' },
      ],
    });
    expect(chunks.some((c) => c.message?.tool_calls)).toBe(false);
    expect(content(chunks).length).toBeGreaterThan(0);
  });

  test("a user message appended after the tool results continues the turn: text, unless more rounds are asked", async () => {
    const first = json<Chunk>(
      await post(sim, "/api/chat", {
        model: "qwen3:32b",
        stream: false,
        think: false,
        tools,
        messages: user("Weather in Rome?"),
      }),
    );
    const afterResults = (question: string) => [
      ...user(question),
      { role: "assistant", content: "", tool_calls: first.message?.tool_calls },
      { role: "tool", tool_name: "get_weather", content: '{"temp": 14}' },
      { role: "user", content: "<context>cwd=/home/agent</context>" },
    ];
    const text = await chat({
      model: "qwen3:32b",
      think: false,
      tools,
      messages: afterResults("Weather in Rome?"),
    });
    expect(text.chunks.some((c) => c.message?.tool_calls)).toBe(false);
    expect(content(text.chunks).length).toBeGreaterThan(0);

    const again = await chat({
      model: "qwen3:32b",
      think: false,
      tools,
      messages: afterResults("Weather in Rome? [sim:tool-rounds=2]"),
    });
    expect(again.chunks[0]?.message?.tool_calls).toEqual([
      expect.objectContaining({ function: expect.objectContaining({ name: "other" }) }),
    ]);
  });

  test("a model without the tools capability refuses tools with its full name", async () => {
    const reply = await post(sim, "/api/chat", { model: "gemma3:4b", tools, messages: user("hi") });
    expect([reply.status, reply.text]).toEqual([
      400,
      '{"error":"registry.ollama.ai/library/gemma3:4b does not support tools"}',
    ]);
  });
});

describe("structured output", () => {
  test('format "json" gives valid JSON', async () => {
    const { chunks } = await chat({
      model: "qwen3:32b",
      think: false,
      format: "json",
      messages: user("Answer"),
    });
    expect(typeof JSON.parse(content(chunks))).toBe("object");
    expect(chunks.length).toBeGreaterThan(3);
  });

  test("a schema gives an object with the schema's properties, HTML-escaped on the wire", async () => {
    const format = {
      type: "object",
      properties: {
        name: { type: "string" },
        age: { type: "integer" },
        score: { type: "number" },
        tags: { type: "array", items: { type: "string" } },
        tier: { enum: ["<gold>"] },
        address: { type: "object", properties: { city: { type: "string" } } },
      },
      required: ["name"],
    };
    const { reply, chunks } = await chat({ model: "qwen3:32b", format, messages: user("Describe Alice") });
    expect(thinking(chunks).length).toBeGreaterThan(0);
    const value = JSON.parse(content(chunks));
    expect(value).toEqual({
      name: expect.any(String),
      age: expect.any(Number),
      score: expect.any(Number),
      tags: [expect.any(String)],
      tier: "<gold>",
      address: { city: expect.any(String) },
    });
    expect(Number.isInteger(value.age)).toBe(true);
    expect(reply.text).not.toContain("<");
    expect(reply.text).toContain("\\u003c");
  });
});

test("logprobs: one entry per content token, with top_logprobs when asked", async () => {
  const { chunks } = await chat({
    model: "llama3.2",
    logprobs: true,
    top_logprobs: 3,
    messages: user("hi [sim:tokens=4]"),
  });
  for (const c of chunks.slice(0, -1)) {
    const lp = (
      c as unknown as {
        logprobs: { token: string; logprob: number; bytes: number[]; top_logprobs: unknown[] }[];
      }
    ).logprobs;
    expect(lp).toHaveLength(1);
    expect(lp[0]?.token).toBe(c.message?.content);
    expect(lp[0]?.logprob).toBeLessThanOrEqual(0);
    expect(lp[0]?.bytes).toEqual([...Buffer.from(c.message?.content ?? "")]);
    expect(lp[0]?.top_logprobs).toHaveLength(3);
  }
});

test("empty messages load the model (done_reason load); with keep_alive 0 they unload it", async () => {
  const fresh = await startFast();
  try {
    const load = await post(fresh, "/api/chat", { model: "llama3.2" });
    expect(load.type).toBe("application/json; charset=utf-8");
    expect(json(load)).toEqual({
      model: "llama3.2",
      created_at: expect.stringMatching(RFC3339_NANO),
      message: { role: "assistant", content: "" },
      done: true,
      done_reason: "load",
    });
    expect(json<{ models: unknown[] }>(await call(fresh, "GET", "/api/ps")).models).toHaveLength(1);
    const unload = await post(fresh, "/api/chat", { model: "llama3.2", messages: [], keep_alive: 0 });
    expect(json(unload)).toMatchObject({ done: true, done_reason: "unload" });
    expect((await call(fresh, "GET", "/api/ps")).text).toBe('{"models":[]}');
    expect(fresh.stats()).toMatchObject({ loads: 1, unloads: 1 });
  } finally {
    await fresh.close();
  }
});
