import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, test, vi } from "vitest";
import type { RequestRecord } from "../events/request-events.js";
import { type RunningSimulator, type SimulatorOptions, startSimulator } from "../tools/simulator/index.js";
import { Upstream } from "./client.js";
import {
  DEFAULT_MAX_LEARNED,
  learnServedModels,
  ModelPoller,
  type ModelPollerListener,
  type UpstreamSnapshot,
} from "./model-poller.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function upstreamFor(url: string): Upstream {
  const upstream = new Upstream({
    url,
    connections: 4,
    connectTimeoutMs: 1000,
    firstByteTimeoutMs: 2000,
    idleTimeoutMs: 2000,
  });
  cleanups.push(() => upstream.close());
  return upstream;
}

async function simulator(options: Partial<SimulatorOptions> = {}): Promise<RunningSimulator> {
  const sim = await startSimulator({
    host: "127.0.0.1",
    port: 0,
    loadMs: 5,
    decodeTps: 2000,
    prefillTps: 100_000,
    jitter: 0,
    keepAlive: "5m",
    models: ["qwen3:32b", "nomic-embed-text"],
    ...options,
  });
  cleanups.push(() => sim.close());
  return sim;
}

/** A poller with recorded events; stopped after the test. */
function pollerFor(
  upstream: Upstream,
  options: { intervalMs?: number; timeoutMs?: number; maxLearned?: number; now?: () => number } = {},
) {
  const events = { loads: [] as string[], unloads: [] as string[], snapshots: [] as UpstreamSnapshot[] };
  const listener: ModelPollerListener = {
    onLoad: (m) => events.loads.push(m),
    onUnload: (m) => events.unloads.push(m),
    onSnapshot: (s) => events.snapshots.push(s),
  };
  const poller = new ModelPoller(upstream, { intervalMs: 60_000, ...options }, listener);
  cleanups.push(() => poller.stop());
  return { poller, events };
}

async function chat(sim: RunningSimulator, model = "qwen3:32b"): Promise<void> {
  const res = await fetch(`${sim.url}/api/chat`, {
    method: "POST",
    body: JSON.stringify({
      model,
      messages: [{ role: "user", content: "hi [sim:tokens=2]" }],
      stream: false,
    }),
  });
  expect(res.status).toBe(200);
  await res.text();
}

/** Polls until `done` holds; bounded, so a broken simulator fails the test instead of hanging it. */
async function pollUntil(poller: ModelPoller, done: (s: UpstreamSnapshot) => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done(await poller.pollNow())) {
    if (Date.now() > deadline) throw new Error("condition not reached by polling");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A scripted upstream for the failures the simulator does not produce; counts requests per path. */
async function stubUpstream(handlers: Record<string, Handler>) {
  const counts: Record<string, number> = {};
  const requests: IncomingMessage[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? "/";
    counts[path] = (counts[path] ?? 0) + 1;
    requests.push(req);
    const handler = handlers[path];
    if (handler) handler(req, res);
    else res.writeHead(404).end("404 page not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, counts, requests, handlers };
}

const json =
  (body: unknown, status = 200): Handler =>
  (_req, res) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));

const DETAILS = {
  parent_model: "",
  format: "gguf",
  family: "qwen3",
  families: ["qwen3"],
  parameter_size: "32.8B",
  quantization_level: "Q4_K_M",
};
const TAG = {
  name: "qwen3:32b",
  model: "qwen3:32b",
  modified_at: "",
  size: 1,
  digest: "d",
  details: DETAILS,
};
const PS = {
  name: "qwen3:32b",
  model: "qwen3:32b",
  size: 2,
  digest: "d",
  details: DETAILS,
  expires_at: "2030-01-01T00:00:00Z",
  size_vram: 1,
  context_length: 4096,
};

describe("ModelPoller against the simulator", () => {
  test("the snapshot holds the version, the models and the loaded models with their sizes", async () => {
    const sim = await simulator({ version: "0.99.1" });
    const { poller } = pollerFor(upstreamFor(sim.url), { now: () => 1234 });
    expect(poller.snapshot).toEqual({ up: false, models: [], loaded: [] });

    const first = await poller.pollNow();
    expect(first).toEqual({
      up: true,
      version: "0.99.1",
      models: expect.any(Array),
      loaded: [],
      polledAt: 1234,
    });
    expect(first.models.map((m) => m.name).sort()).toEqual(["nomic-embed-text:latest", "qwen3:32b"]);
    const qwen = first.models.find((m) => m.name === "qwen3:32b");
    expect(qwen).toMatchObject({ model: "qwen3:32b", details: { family: "qwen3" } });
    expect(qwen?.size).toBeGreaterThan(0);
    expect(qwen?.capabilities).toContain("thinking");

    await chat(sim);
    const second = await poller.pollNow();
    expect(poller.snapshot).toBe(second);
    expect(second.loaded).toHaveLength(1);
    const loaded = second.loaded[0]!;
    expect(loaded).toMatchObject({ name: "qwen3:32b", model: "qwen3:32b", digest: qwen?.digest });
    expect(loaded.size).toBeGreaterThan(qwen?.size ?? 0);
    expect(loaded.size_vram).toBe(loaded.size);
    expect(loaded.context_length).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(loaded.expires_at))).toBe(false);
    expect(second.lastError).toBeUndefined();
  });

  test("a model loaded after the baseline is one onLoad, and its unload one onUnload", async () => {
    const sim = await simulator({ keepAlive: "150ms" });
    const { poller, events } = pollerFor(upstreamFor(sim.url));
    await poller.pollNow();
    expect(events.loads).toEqual([]);

    await chat(sim);
    await poller.pollNow();
    await poller.pollNow();
    expect(events.loads).toEqual(["qwen3:32b"]);
    expect(events.unloads).toEqual([]);

    await pollUntil(poller, (s) => s.loaded.length === 0);
    await poller.pollNow();
    expect(events.unloads).toEqual(["qwen3:32b"]);
    expect(events.loads).toEqual(["qwen3:32b"]);
    expect(events.snapshots.length).toBeGreaterThanOrEqual(5);
  });

  test("models already loaded at the first poll are the baseline, not loads; they still unload", async () => {
    const sim = await simulator({ keepAlive: "150ms", models: ["qwen3:32b", "llama3.2"] });
    await chat(sim, "Llama3.2");
    await chat(sim);
    const { poller, events } = pollerFor(upstreamFor(sim.url));
    const first = await poller.pollNow();
    expect(first.loaded.map((m) => m.name).sort()).toEqual(["llama3.2:latest", "qwen3:32b"]);
    await poller.pollNow();
    expect(events.loads).toEqual([]);

    await pollUntil(poller, (s) => s.loaded.length === 0);
    expect(events.unloads.sort()).toEqual(["llama3.2:latest", "qwen3:32b"]);
    expect(events.loads).toEqual([]);
  }, 15_000);

  test("an outage is not an unload; the next successful poll is compared with the last one", async () => {
    const sim = await simulator();
    const { poller, events } = pollerFor(upstreamFor(sim.url));
    await chat(sim);
    const before = await poller.pollNow();
    expect(before.loaded).toHaveLength(1);

    await sim.close();
    const down = await poller.pollNow();
    expect(down.up).toBe(false);
    expect(down.version).toBeUndefined();
    expect(down.loaded).toEqual([]);
    expect(down.models).toBe(before.models);
    expect(down.lastError).toMatch(/^GET \/api\/version[^;]*: cannot reach the upstream: connection/);
    expect(poller.knownModel("qwen3:32b")).toBe("qwen3:32b");
    expect(events.unloads).toEqual([]);
    expect(events.snapshots.at(-1)).toBe(down);

    // The same port again: an upstream that restarted, so with nothing loaded.
    await simulator({ port: sim.port });
    const back = await poller.pollNow();
    expect(back).toMatchObject({ up: true, version: "0.12.3", loaded: [] });
    expect(back.lastError).toBeUndefined();
    expect(events.unloads).toEqual(["qwen3:32b"]);
    expect(events.loads).toEqual([]);
  });

  test("start() resolves when nothing listens, and the snapshot says why", async () => {
    const { poller, events } = pollerFor(upstreamFor(`http://127.0.0.1:${await freePort()}`));
    await expect(poller.start()).resolves.toBeUndefined();
    expect(poller.snapshot).toMatchObject({ up: false, models: [], loaded: [] });
    // One reason for the three paths, said once.
    expect(poller.snapshot.lastError).toMatch(
      /^GET \/api\/version, \/api\/tags, \/api\/ps: cannot reach the upstream: connection refused to 127\.0\.0\.1:\d+$/,
    );
    expect(events.snapshots).toHaveLength(1);
    poller.stop();
  });

  test("knownModel accepts any spelling of a reported model; learnModel adds a served one", async () => {
    const sim = await simulator();
    const { poller } = pollerFor(upstreamFor(sim.url));
    expect(poller.knownModel("qwen3:32b")).toBeUndefined(); // nothing polled yet
    await poller.pollNow();
    for (const spelling of [
      "qwen3:32b",
      "Qwen3:32B",
      " qwen3:32b ",
      "library/qwen3:32b",
      "registry.ollama.ai/library/QWEN3:32b",
    ])
      expect(poller.knownModel(spelling), spelling).toBe("qwen3:32b");
    expect(poller.knownModel("nomic-embed-text")).toBe("nomic-embed-text:latest");
    expect(poller.knownModel("qwen3")).toBeUndefined(); // qwen3:latest is not installed
    expect(poller.knownModel("llama3.2")).toBeUndefined();
    expect(poller.knownModel("")).toBeUndefined();

    poller.learnModel("Fresh-Model:Q4");
    expect(poller.knownModel("fresh-model:q4")).toBe("fresh-model:q4");
    await poller.pollNow(); // not listed by /api/tags: still known (e.g. a :cloud model)
    expect(poller.knownModel("FRESH-model:q4")).toBe("fresh-model:q4");
  });
});

describe("ModelPoller against a scripted upstream", () => {
  test("/api/tags and /api/ps failures keep up=true and the previous lists", async () => {
    const stub = await stubUpstream({
      "/api/version": json({ version: "1.0.0" }),
      "/api/tags": json({ models: [TAG] }),
      "/api/ps": json({ models: [PS] }),
    });
    const { poller } = pollerFor(upstreamFor(stub.url));
    const ok = await poller.pollNow();
    expect(ok.loaded).toEqual([PS]);

    stub.handlers["/api/tags"] = json({ error: "boom" }, 500);
    stub.handlers["/api/ps"] = (_req, res) => res.writeHead(200).end("{not json");
    const partial = await poller.pollNow();
    expect(partial).toMatchObject({ up: true, version: "1.0.0" });
    expect(partial.models).toBe(ok.models);
    expect(partial.loaded).toBe(ok.loaded);
    expect(partial.lastError).toBe(
      'GET /api/tags: answered 500 {"error":"boom"}; GET /api/ps: answered 200 with a body that is not JSON',
    );
  });

  test("a version that does not parse means down; lenient lists get defaults", async () => {
    const stub = await stubUpstream({
      "/api/version": json({ nope: 1 }),
      "/api/tags": json({ models: null }),
      "/api/ps": json({ models: [{ name: "old:7b" }] }),
    });
    const { poller } = pollerFor(upstreamFor(stub.url));
    const down = await poller.pollNow();
    expect(down).toMatchObject({ up: false, models: [], loaded: [] });
    expect(down.lastError).toBe(
      "GET /api/version: unexpected body: version: Invalid input: expected string, received undefined",
    );

    stub.handlers["/api/version"] = json({ version: "0.1.0" });
    const up = await poller.pollNow();
    expect(up.models).toEqual([]);
    expect(up.loaded).toEqual([
      {
        name: "old:7b",
        model: "old:7b",
        size: 0,
        digest: "",
        details: expect.objectContaining({ families: null, format: "" }),
        expires_at: "",
        size_vram: 0,
        context_length: 0,
      },
    ]);
  });

  test("a silent upstream times out and the poll reports it", async () => {
    const stub = await stubUpstream({ "/api/version": () => {}, "/api/tags": () => {}, "/api/ps": () => {} });
    const { poller } = pollerFor(upstreamFor(stub.url), { timeoutMs: 50 });
    const snapshot = await poller.pollNow();
    expect(snapshot.up).toBe(false);
    expect(snapshot.lastError).toMatch(
      /^GET \/api\/version, \/api\/tags, \/api\/ps: (no answer within 50 ms|.*first-byte timeout)/,
    );
  });

  test("concurrent pollNow calls share one poll", async () => {
    const stub = await stubUpstream({
      "/api/version": (req, res) => setTimeout(() => json({ version: "1" })(req, res), 30),
      "/api/tags": json({ models: [] }),
      "/api/ps": json({ models: [] }),
    });
    const { poller, events } = pollerFor(upstreamFor(stub.url));
    const a = poller.pollNow();
    const b = poller.pollNow();
    expect(b).toBe(a);
    await a;
    expect(stub.counts["/api/version"]).toBe(1);
    expect(events.snapshots).toHaveLength(1);
  });

  test("learned names that /api/tags lists are dropped, so the list decides afterwards", async () => {
    const stub = await stubUpstream({
      "/api/version": json({ version: "1" }),
      "/api/tags": json({ models: [] }),
      "/api/ps": json({ models: [] }),
    });
    const { poller } = pollerFor(upstreamFor(stub.url));
    await poller.pollNow();
    poller.learnModel("qwen3:32b");
    stub.handlers["/api/tags"] = json({ models: [TAG] });
    await poller.pollNow();
    expect(poller.knownModel("qwen3:32b")).toBe("qwen3:32b");
    stub.handlers["/api/tags"] = json({ models: [] }); // deleted upstream
    await poller.pollNow();
    expect(poller.knownModel("qwen3:32b")).toBeUndefined();
  });

  test.each([
    { maxLearned: 0, learned: 0 },
    { maxLearned: 1, learned: 1 },
    { maxLearned: 3, learned: 3 },
    { maxLearned: undefined, learned: DEFAULT_MAX_LEARNED },
  ])(
    "maxLearned $maxLearned: the first $learned served names are known, later ones are not",
    async ({ maxLearned, learned }) => {
      const stub = await stubUpstream({
        "/api/version": json({ version: "1" }),
        "/api/tags": json({ models: [TAG] }),
        "/api/ps": json({ models: [] }),
      });
      const { poller } = pollerFor(upstreamFor(stub.url), maxLearned === undefined ? {} : { maxLearned });
      await poller.pollNow();
      const names = Array.from({ length: DEFAULT_MAX_LEARNED + 10 }, (_, i) => `invented-${i}`);
      for (const name of names) poller.learnModel(name);
      poller.learnModel("qwen3:32b"); // listed: known anyway, takes no place
      expect(names.filter((n) => poller.knownModel(n) !== undefined)).toEqual(names.slice(0, learned));
      expect(poller.knownModel("qwen3:32b")).toBe("qwen3:32b");
    },
  );

  test("a learned name that /api/tags comes to list frees its place under the cap", async () => {
    const stub = await stubUpstream({
      "/api/version": json({ version: "1" }),
      "/api/tags": json({ models: [] }),
      "/api/ps": json({ models: [] }),
    });
    const { poller } = pollerFor(upstreamFor(stub.url), { maxLearned: 1 });
    await poller.pollNow();
    poller.learnModel("qwen3:32b");
    poller.learnModel("second");
    expect(poller.knownModel("second")).toBeUndefined();
    stub.handlers["/api/tags"] = json({ models: [TAG] });
    await poller.pollNow();
    poller.learnModel("second");
    expect(poller.knownModel("second")).toBe("second:latest");
  });

  test("maxLearned must be a whole number, 0 or more", async () => {
    const upstream = upstreamFor("http://127.0.0.1:9");
    for (const maxLearned of [-1, 1.5, Number.NaN])
      expect(() => new ModelPoller(upstream, { intervalMs: 1000, maxLearned })).toThrow(RangeError);
  });

  test("start() keeps polling on its timer until stop()", async () => {
    const stub = await stubUpstream({
      "/api/version": json({ version: "1" }),
      "/api/tags": json({ models: [] }),
      "/api/ps": json({ models: [] }),
    });
    let third: () => void = () => {};
    const thirdSnapshot = new Promise<void>((resolve) => {
      third = resolve;
    });
    let snapshots = 0;
    const upstream = upstreamFor(stub.url);
    // Requests counted as the poller sends them: the stub's own counts lag on a busy machine (a request already
    // written can reach the stub's handler after stop()), which is not a poll starting.
    const sent = vi.spyOn(upstream, "request");
    const poller = new ModelPoller(
      upstream,
      { intervalMs: 5 },
      { onSnapshot: () => ++snapshots === 3 && third() },
    );
    cleanups.push(() => poller.stop());
    await poller.start();
    await thirdSnapshot;
    expect(stub.counts["/api/version"]).toBeGreaterThanOrEqual(3);
    poller.stop();
    await poller.pollNow(); // settles a timer poll cut short by stop(), or runs one that does not reschedule
    const after = sent.mock.calls.length;
    await new Promise((resolve) => setTimeout(resolve, 50)); // ten intervals: none may start
    expect(sent.mock.calls.length).toBe(after);
  });

  test("stop() aborts a poll in flight, which records nothing", async () => {
    const stub = await stubUpstream({
      "/api/version": () => {},
      "/api/tags": json({ models: [] }),
      "/api/ps": json({ models: [] }),
    });
    const { poller, events } = pollerFor(upstreamFor(stub.url));
    const before = poller.snapshot;
    const poll = poller.pollNow();
    await vi.waitFor(() => expect(stub.counts["/api/version"]).toBe(1));
    const closed = new Promise((resolve) => stub.requests[0]?.socket.once("close", resolve));
    poller.stop();
    expect(await poll).toBe(before);
    expect(events.snapshots).toEqual([]);
    await closed; // the upstream request was really aborted
  });

  test("a listener that throws does not break the poll", async () => {
    const stub = await stubUpstream({
      "/api/version": json({ version: "1" }),
      "/api/tags": json({ models: [] }),
      "/api/ps": json({ models: [] }),
    });
    const warn = vi.spyOn(process, "emitWarning").mockImplementation(() => {});
    cleanups.push(() => warn.mockRestore());
    const poller = new ModelPoller(
      upstreamFor(stub.url),
      { intervalMs: 60_000 },
      {
        onSnapshot: () => {
          throw new Error("listener bug");
        },
      },
    );
    await expect(poller.pollNow()).resolves.toMatchObject({ up: true });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("listener bug"), expect.anything());
  });

  test.each([{ intervalMs: 0 }, { intervalMs: Number.NaN }, { intervalMs: 1000, timeoutMs: -1 }])(
    "rejects options %j",
    (options) => {
      expect(() => new ModelPoller(upstreamFor("http://127.0.0.1:1"), options)).toThrow(RangeError);
    },
  );
});

describe("learnServedModels", () => {
  const record = (model: string | undefined, status: number): RequestRecord => ({
    id: "r",
    method: "POST",
    route: "/v1/chat/completions",
    status,
    outcome: status === 200 ? "completed" : "rejected",
    startedAt: 0,
    durationMs: 1,
    bytesIn: 0,
    bytesOut: 0,
    ...(model === undefined ? {} : { model }),
  });

  test.each([
    ["fresh:1b", 200, ["fresh:1b"]],
    ["bogus:1b", 404, []],
    ["busy:1b", 503, []],
    ["broken:1b", 502, []],
    ["", 200, []],
    [undefined, 200, []],
  ] as const)("model %j answered %i: learns %j", (model, status, learned) => {
    const seen: string[] = [];
    learnServedModels({ learnModel: (name) => seen.push(name) })(record(model, status));
    expect(seen).toEqual(learned);
  });
});
