// Injected faults: the [sim:…] directives and the seeded fail/midstream/hang rates.

import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  type Chunk,
  json,
  ndjson,
  openStream,
  post,
  startFast,
  until,
  user,
} from "../../../test/helpers/simulator.js";
import type { RunningSimulator } from "./index.js";

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startFast();
});
afterAll(() => sim.close());

const chat = (content: string, extra: Record<string, unknown> = {}) =>
  post(sim, "/api/chat", { model: "llama3.2", messages: user(content), ...extra });

describe("directives", () => {
  test.each([
    ["[sim:fail]", 500, "llama runner process has terminated: exit status 2"],
    ["[sim:fail=503]", 503, "model is overloaded"],
    ["[sim:fail=429]", 429, "rate limit exceeded"],
  ])("%s fails before output: that status, application/json", async (directive, status, message) => {
    const streamed = await chat(`hello ${directive}`);
    expect([streamed.status, streamed.type, streamed.text]).toEqual([
      status,
      "application/json",
      JSON.stringify({ error: message }),
    ]);
    const whole = await chat(`hello ${directive}`, { stream: false });
    expect([whole.status, whole.type]).toEqual([status, "application/json; charset=utf-8"]);
  });

  test("[sim:midstream-fail]: 200 NDJSON, three tokens, the error line, no done:true (§9.3)", async () => {
    const reply = await chat("go [sim:midstream-fail]");
    expect([reply.status, reply.type]).toEqual([200, "application/x-ndjson"]);
    const lines = ndjson<Chunk>(reply.text);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).every((l) => l.done === false && (l.message?.content ?? "") !== "")).toBe(true);
    expect(lines[3]).toEqual({ error: "an error was encountered while running the model" });
    expect(reply.text.endsWith('{"error":"an error was encountered while running the model"}\n')).toBe(true);
    expect(lines.some((l) => l.done)).toBe(false);
  });

  test("[sim:midstream-fail] with stream:false: 500 and nothing partial", async () => {
    const reply = await chat("go [sim:midstream-fail]", { stream: false });
    expect([reply.status, reply.text]).toEqual([
      500,
      '{"error":"an error was encountered while running the model"}',
    ]);
  });

  test("directives come from the last user message only", async () => {
    const reply = await post(sim, "/api/chat", {
      model: "llama3.2",
      stream: false,
      messages: [
        ...user("earlier [sim:fail]"),
        { role: "assistant", content: "ok" },
        ...user("now fine [sim:tokens=3]"),
      ],
    });
    expect(reply.status).toBe(200);
    expect(json<Chunk>(reply).eval_count).toBe(3);
  });

  test("[sim:delay-ms=N] delays the first byte and counts in total_duration", async () => {
    const started = performance.now();
    const reply = await chat("slow [sim:delay-ms=150] [sim:tokens=2]");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(ndjson<Chunk>(reply.text).at(-1)?.total_duration).toBeGreaterThanOrEqual(140e6);
  });

  test("[sim:hang]: no status line at all until the client leaves, then the slot is free", async () => {
    const before = sim.stats();
    const stream = openStream(sim, "/api/chat", { model: "llama3.2", messages: user("[sim:hang]") });
    let responded = false;
    void stream.response.then(() => {
      responded = true;
    });
    await until(() => sim.stats().active === before.active + 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(responded).toBe(false);
    stream.abort();
    await until(() => sim.stats().aborted === before.aborted + 1);
    expect(sim.stats()).toMatchObject({ active: 0, queued: 0 });
  });

  test("[sim:hang-after=2]: two lines, then silence until the client leaves", async () => {
    const before = sim.stats();
    const stream = openStream(sim, "/api/chat", { model: "llama3.2", messages: user("[sim:hang-after=2]") });
    const res = await stream.response;
    expect(res.headers["content-type"]).toBe("application/x-ndjson");
    await until(() => stream.received().split("\n").length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(stream.received().split("\n")).toHaveLength(3); // two lines, nothing after
    stream.abort();
    await until(() => sim.stats().aborted === before.aborted + 1);
    expect(sim.stats()).toMatchObject({ active: 0, queued: 0 });
  });
});

describe("fault rates", () => {
  test("failRate 1: every request fails with 500 before output", async () => {
    const s = await startFast({ failRate: 1 });
    try {
      const reply = await post(s, "/api/chat", { model: "llama3.2", messages: user("hi") });
      expect(reply.status).toBe(500);
      expect(JSON.parse(reply.text)).toEqual({ error: expect.any(String) });
    } finally {
      await s.close();
    }
  });

  test("midstreamFailRate 1: output, then the error line", async () => {
    const s = await startFast({ midstreamFailRate: 1 });
    try {
      const lines = ndjson<Chunk>(
        (await post(s, "/api/chat", { model: "llama3.2", messages: user("hi") })).text,
      );
      expect(lines.length).toBeGreaterThanOrEqual(2);
      expect(lines.at(-1)).toEqual({ error: "an error was encountered while running the model" });
      expect(s.stats()).toMatchObject({ failed: 1, completed: 0 });
    } finally {
      await s.close();
    }
  });

  test("hangRate 1: accepted, never answered, counted as aborted when the client leaves", async () => {
    const s = await startFast({ hangRate: 1 });
    try {
      const stream = openStream(s, "/api/generate", { model: "llama3.2", prompt: "hi" });
      await until(() => s.stats().active === 1);
      stream.abort();
      await until(() => s.stats().aborted === 1);
      expect(s.stats()).toMatchObject({ active: 0, queued: 0, requests: 1 });
    } finally {
      await s.close();
    }
  });

  test("rates are draws from the seed: the same seed fails the same requests", async () => {
    const outcomes = async (seed: number) => {
      const s = await startFast({ failRate: 0.5, seed });
      try {
        const statuses: number[] = [];
        for (let i = 0; i < 12; i++) {
          statuses.push(
            (await post(s, "/api/chat", { model: "llama3.2", stream: false, messages: user(`q${i}`) }))
              .status,
          );
        }
        return statuses;
      } finally {
        await s.close();
      }
    };
    const a = await outcomes(7);
    expect(await outcomes(7)).toEqual(a);
    expect(a).toContain(500);
    expect(a).toContain(200);
  });
});

test("text depends on the seed and the prompt only", async () => {
  const answer = async (s: RunningSimulator, prompt: string) =>
    json<Chunk>(await post(s, "/api/chat", { model: "llama3.2", stream: false, messages: user(prompt) }))
      .message?.content;
  const other = await startFast({ seed: 43 });
  const same = await startFast();
  try {
    const a = await answer(sim, "The prompt");
    expect(await answer(same, "The prompt")).toBe(a);
    expect(await answer(other, "The prompt")).not.toBe(a);
    expect(await answer(sim, "Another prompt")).not.toBe(a);
    expect(a).toMatch(/^[A-Z][a-z]+( [a-z]+|,|\.| [A-Z][a-z]+)+\.$/);
  } finally {
    await other.close();
    await same.close();
  }
});
