// Timing over real sockets: loads in load_duration and /api/ps, queue waits, client aborts, close().

import { describe, expect, test } from "vitest";
import {
  type Chunk,
  call,
  json,
  ndjson,
  openStream,
  post,
  startFast,
  until,
  user,
} from "../../../test/helpers/simulator.js";
import type { RunningSimulator } from "./index.js";

interface Ps {
  models: { name: string; expires_at: string; size: number; size_vram: number; context_length: number }[];
}

async function withSim(
  options: Parameters<typeof startFast>[0],
  fn: (sim: RunningSimulator) => Promise<void>,
) {
  const sim = await startFast(options);
  try {
    await fn(sim);
  } finally {
    await sim.close();
  }
}

const ps = async (sim: RunningSimulator) => json<Ps>(await call(sim, "GET", "/api/ps"));
const ask = async (sim: RunningSimulator, content: string, extra: Record<string, unknown> = {}) =>
  json<Chunk>(
    await post(sim, "/api/chat", { model: "llama3.2", stream: false, messages: user(content), ...extra }),
  );

describe("model loading", () => {
  test("the first request pays loadMs in load_duration; /api/ps then lists the model", async () => {
    await withSim({ loadMs: 80 }, async (sim) => {
      expect((await ps(sim)).models).toEqual([]);
      const first = await ask(sim, "one");
      expect(first.load_duration).toBeGreaterThanOrEqual(75e6);
      const second = await ask(sim, "two");
      expect(second.load_duration ?? 0).toBeLessThan(first.load_duration ?? 0);
      const { models } = await ps(sim);
      expect(models).toHaveLength(1);
      expect(models[0]).toMatchObject({ name: "llama3.2:latest", context_length: 4096 });
      expect(models[0]?.size_vram).toBe(models[0]?.size);
      const expires = Date.parse(models[0]?.expires_at ?? "");
      expect(expires).toBeGreaterThan(Date.now() + 4 * 60_000); // default keep_alive 5m
      expect(expires).toBeLessThanOrEqual(Date.now() + 5 * 60_000);
      expect(sim.stats()).toMatchObject({ loads: 1, unloads: 0 });
    });
  });

  test("after keep_alive the model unloads, and the next request loads it again", async () => {
    await withSim({ loadMs: 60 }, async (sim) => {
      await ask(sim, "one", { keep_alive: "150ms" });
      expect((await ps(sim)).models).toHaveLength(1);
      await until(() => sim.stats().unloads === 1);
      expect((await ps(sim)).models).toEqual([]);
      const again = await ask(sim, "two");
      expect(again.load_duration).toBeGreaterThanOrEqual(55e6);
      expect(sim.stats()).toMatchObject({ loads: 2, unloads: 1 });
    });
  });

  test("keep_alive 0 unloads right after the request; negative keeps it forever; ps sorts by expiry", async () => {
    await withSim({}, async (sim) => {
      await ask(sim, "gone", { keep_alive: 0 });
      expect((await ps(sim)).models).toEqual([]);
      await ask(sim, "forever", { keep_alive: -1 });
      await post(sim, "/api/chat", { model: "qwen3:32b", keep_alive: "1m" });
      const { models } = await ps(sim);
      expect(models.map((m) => m.name)).toEqual(["llama3.2:latest", "qwen3:32b"]);
      expect(new Date(models[0]?.expires_at ?? "").getUTCFullYear()).toBeGreaterThan(2200);
    });
  });
});

describe("parallel slots and the queue", () => {
  test("with parallel 1 the second request waits: in total_duration, not in load_duration", async () => {
    await withSim({ parallel: 1, decodeTps: 200 }, async (sim) => {
      await post(sim, "/api/chat", { model: "llama3.2" }); // load first
      const order: string[] = [];
      const finished = (name: string) => (reply: Chunk) => {
        order.push(name);
        return reply;
      };
      const a = ask(sim, "first [sim:tokens=30]").then(finished("a"));
      await until(() => sim.stats().active === 1);
      const b = ask(sim, "second [sim:tokens=2]").then(finished("b"));
      await until(() => sim.stats().queued === 1);
      const [ra, rb] = await Promise.all([a, b]);
      expect(order).toEqual(["a", "b"]);
      expect(rb.total_duration).toBeGreaterThanOrEqual((ra.eval_duration ?? 0) * 0.5);
      expect(rb.total_duration).toBeGreaterThan(
        (rb.eval_duration ?? 0) + (rb.prompt_eval_duration ?? 0) + 50e6,
      );
      expect(rb.load_duration ?? 0).toBeLessThan(20e6);
      expect(sim.stats()).toMatchObject({ active: 0, queued: 0, completed: 3 });
    });
  });

  test("beyond maxQueue waiting requests: 503 server busy", async () => {
    await withSim({ parallel: 1, maxQueue: 1 }, async (sim) => {
      await post(sim, "/api/chat", { model: "llama3.2" });
      const a = openStream(sim, "/api/chat", { model: "llama3.2", messages: user("[sim:hang]") });
      await until(() => sim.stats().active === 1);
      const b = openStream(sim, "/api/chat", { model: "llama3.2", messages: user("waits") });
      await until(() => sim.stats().queued === 1);
      const c = await post(sim, "/api/chat", { model: "llama3.2", messages: user("refused") });
      expect([c.status, c.type, c.text]).toEqual([
        503,
        "application/json; charset=utf-8",
        '{"error":"server busy, please try again.  maximum pending requests exceeded"}',
      ]);
      b.abort();
      a.abort();
      await until(() => sim.stats().aborted === 2);
      expect(sim.stats()).toMatchObject({ active: 0, queued: 0, failed: 1 });
    });
  });
});

describe("client aborts", () => {
  test("a client leaving mid-stream frees its slot at once for the next request", async () => {
    await withSim({ parallel: 1, decodeTps: 100 }, async (sim) => {
      const first = openStream(sim, "/api/chat", {
        model: "llama3.2",
        messages: user("long [sim:tokens=500]"),
      });
      await first.response;
      await until(() => first.received().includes("\n"));
      const queued = post(sim, "/api/chat", {
        model: "llama3.2",
        stream: false,
        messages: user("next [sim:tokens=2]"),
      });
      await until(() => sim.stats().queued === 1);
      first.abort();
      const next = await queued;
      expect(next.status).toBe(200);
      await until(() => sim.stats().aborted === 1);
      expect(sim.stats()).toMatchObject({ active: 0, queued: 0, completed: 1, aborted: 1, requests: 2 });
    });
  });

  test("aborts while loading, queued, prefilling or streaming all leave nothing behind", async () => {
    await withSim({ parallel: 1, loadMs: 100, decodeTps: 100, prefillTps: 10 }, async (sim) => {
      const streams = [
        openStream(sim, "/api/chat", { model: "llama3.2", messages: user("a [sim:tokens=200]") }),
        openStream(sim, "/api/generate", { model: "llama3.2", prompt: "b" }),
        openStream(sim, "/api/embed", { model: "nomic-embed-text", input: "c" }),
      ];
      await until(() => sim.stats().queued === 3); // two models loading
      for (const s of streams) s.abort();
      await until(() => sim.stats().aborted === 3);
      expect(sim.stats()).toMatchObject({ active: 0, queued: 0 });

      // Now abort one during prefill (slow prefillTps) and one while streaming.
      const prefilling = openStream(sim, "/api/chat", { model: "llama3.2", messages: user("x".repeat(400)) });
      await until(() => sim.stats().active === 1);
      prefilling.abort();
      await until(() => sim.stats().active === 0);
      const streaming = openStream(sim, "/api/chat", {
        model: "llama3.2",
        messages: user("[sim:tokens=300]"),
      });
      await until(() => streaming.received().length > 0);
      streaming.abort();
      await until(() => sim.stats().aborted === 5);
      expect(sim.stats()).toMatchObject({ active: 0, queued: 0, requests: 5, completed: 0 });
    });
  });

  test("close() ends open streams rather than waiting for them", async () => {
    const sim = await startFast();
    // The stream hangs forever: a close() that waited for it would never resolve (the test's timeout catches that).
    const stream = openStream(sim, "/api/chat", { model: "llama3.2", messages: user("[sim:hang-after=1]") });
    const res = await stream.response;
    const ended = new Promise<void>((resolve) => res.on("close", () => resolve()));
    await sim.close();
    await ended;
    expect(sim.stats()).toMatchObject({ active: 0, aborted: 1 });
  });
});

test("streamed lines arrive over time, not in one burst", async () => {
  await withSim({ decodeTps: 50 }, async (sim) => {
    const stream = openStream(sim, "/api/chat", { model: "llama3.2", messages: user("[sim:tokens=10]") });
    await stream.response;
    await until(() => stream.received().split("\n").length >= 2);
    const early = stream.received().split("\n").length - 1;
    await until(() => stream.received().includes('"done":true'));
    const lines = ndjson<Chunk>(stream.received());
    expect(early).toBeLessThan(lines.length);
    expect(lines.at(-1)?.eval_duration).toBeGreaterThanOrEqual(150e6); // 10 tokens at 50/s, minus one step
  });
});
