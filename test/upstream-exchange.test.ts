// The callback-based upstream path: Exchange (the undici dispatch handler) and pump (batching, drain, settling once).
// A hand-written upstream controls exactly when each chunk reaches the socket; a fake context controls drain.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { GatewayError } from "../src/errors/gateway-error.js";
import { Cancellation } from "../src/events/cancellation.js";
import { pump } from "../src/http/pump.js";
import type { RequestContext } from "../src/http/request-context.js";
import { Upstream } from "../src/upstream/client.js";
import { type Stack, startStack } from "./helpers/stack.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

let server: Server;
let upstream: Upstream;
let handler: Handler = (_req, res) => res.end();
/** Set when the upstream saw its response's connection close before the response finished. */
let upstreamAborted: Promise<void>;
let markAborted: () => void = () => {};

beforeAll(async () => {
  server = createServer((req, res) => {
    res.on("close", () => {
      if (!res.writableFinished) markAborted();
    });
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  upstream = new Upstream({
    url: `http://127.0.0.1:${port}`,
    connections: 4,
    connectTimeoutMs: 2000,
    firstByteTimeoutMs: 5000,
    idleTimeoutMs: 5000,
  });
});
afterAll(async () => {
  await upstream.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

function serve(h: Handler): void {
  handler = h;
  upstreamAborted = new Promise((r) => {
    markAborted = r;
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A context whose client socket "needs drain" on demand; drained() resolves on `drain()` or rejects on abort. */
function fakeCtx() {
  const abort = new Cancellation();
  let needDrain = false;
  let waiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  let drainedCalls = 0;
  const ctx = {
    abort,
    res: {
      get writableNeedDrain() {
        return needDrain;
      },
    },
    drained(): Promise<void> {
      drainedCalls++;
      return new Promise((resolve, reject) => {
        if (abort.aborted) return reject(abort.reason);
        const w = { resolve, reject };
        waiters.push(w);
        abort.addEventListener("abort", () => reject(abort.reason));
      });
    },
  };
  return {
    ctx: ctx as unknown as RequestContext,
    abort,
    setNeedDrain(v: boolean) {
      needDrain = v;
    },
    drain() {
      needDrain = false;
      const w = waiters;
      waiters = [];
      for (const x of w) x.resolve();
    },
    failDrain(err: unknown) {
      const w = waiters;
      waiters = [];
      for (const x of w) x.reject(err);
    },
    get drainedCalls() {
      return drainedCalls;
    },
  };
}

function streaming(lines: number, gapMs: number, prefix = "line"): Handler {
  return (_req, res) => {
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    let i = 0;
    const next = (): void => {
      if (res.destroyed) return;
      if (i === lines) {
        res.end();
        return;
      }
      res.write(`${prefix}${i++}\n`);
      setTimeout(next, gapMs);
    };
    next();
  };
}

describe("pump: settling", () => {
  test("onChunk returning false resolves (the rest is not wanted), it does not reject", async () => {
    serve(streaming(50, 10));
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    let calls = 0;
    const outcome = await pump(f.ctx, ex, () => {
      calls++;
      return false;
    }).then(
      () => "resolved",
      (err: unknown) => `rejected: ${err instanceof GatewayError ? err.code : String(err)}`,
    );
    expect(outcome).toBe("resolved");
    expect(calls).toBe(1);
    await upstreamAborted; // and the upstream request was aborted
  });

  test("an exception in onChunk rejects with that very error (not an upstream error)", async () => {
    serve(streaming(50, 10));
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    const bug = new TypeError("codec bug");
    const err = await pump(f.ctx, ex, () => {
      throw bug;
    }).catch((e: unknown) => e);
    expect(err).toBe(bug);
    await upstreamAborted;
  });

  test("ctx.drained() rejecting: pump rejects with that error and the upstream is aborted", async () => {
    serve(streaming(200, 5));
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    const p = pump(f.ctx, ex, () => {
      f.setNeedDrain(true);
      return true;
    });
    while (f.drainedCalls === 0) await sleep(2);
    const boom = new Error("drain failed");
    f.failDrain(boom);
    expect(await p.catch((e: unknown) => e)).toBe(boom);
    await upstreamAborted;
  });
});

describe("pump: data", () => {
  test("early chunks (with the headers, before read) are replayed in order, then the rest", async () => {
    serve((_req, res) => {
      res.writeHead(200);
      // Headers and first lines in one socket write.
      res.write("a\nb\nc\n");
      setTimeout(() => res.end("d\n"), 30);
    });
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    await sleep(10); // more may arrive before read()
    let got = "";
    await pump(f.ctx, ex, (c) => {
      got += c.toString();
      return true;
    });
    expect(got).toBe("a\nb\nc\nd\n");
  });

  test("the whole response arrives (and ends) before read(): replayed, then resolves", async () => {
    serve((_req, res) => {
      res.writeHead(200);
      res.end("x\ny\n");
    });
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    await sleep(20);
    let got = "";
    await pump(f.ctx, ex, (c) => {
      got += c.toString();
      return true;
    });
    expect(got).toBe("x\ny\n");
  });

  test("paused for drain: the upstream stops, nothing is lost or duplicated, it resumes and ends", async () => {
    const lines = 400;
    serve(streaming(lines, 0, "0123456789".repeat(50)));
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    let got = "";
    let calls = 0;
    const p = pump(f.ctx, ex, (c) => {
      got += c.toString();
      calls++;
      if (calls % 3 === 1) f.setNeedDrain(true);
      return true;
    });
    let settled = false;
    void p.finally(() => {
      settled = true;
    });
    while (!settled) {
      await sleep(5);
      f.drain();
    }
    await p;
    const expected = Array.from({ length: lines }, (_, i) => `${"0123456789".repeat(50)}${i}\n`).join("");
    expect(got.length).toBe(expected.length);
    expect(got).toBe(expected);
  });

  test("end arriving while paused, with a non-empty batch: handed over after the drain, then resolves", async () => {
    let finish: () => void = () => {};
    serve((_req, res) => {
      res.writeHead(200);
      res.write("first\n");
      finish = () => {
        res.write("second\n");
        setTimeout(() => res.end("third\n"), 5);
      };
    });
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    let got = "";
    const p = pump(f.ctx, ex, (c) => {
      got += c.toString();
      f.setNeedDrain(true);
      return true;
    });
    while (f.drainedCalls === 0) await sleep(2);
    finish();
    await sleep(50);
    expect(got).toBe("first\n");
    f.drain();
    await p;
    expect(got).toBe("first\nsecond\nthird\n");
  });

  test("a pause asked for outside onResponseData holds the upstream after at most one more chunk", async () => {
    const total = 30_000;
    let sent = 0;
    serve((_req, res) => {
      res.writeHead(200);
      const tick = (): void => {
        if (res.destroyed) return;
        if (sent === total) return void res.end();
        sent++;
        res.write(`${"z".repeat(1000)}\n`, () => setImmediate(tick));
      };
      tick();
    });
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    let received = 0;
    const p = pump(f.ctx, ex, (c) => {
      received += c.length;
      f.setNeedDrain(true); // never drained until the end of the test
      return true;
    });
    while (received === 0) await sleep(2);
    const stuck = received;
    await sleep(200); // a hold: longer on a loaded machine, which only proves more
    expect(received).toBe(stuck); // nothing delivered while paused
    expect(sent).toBeLessThan(total); // the upstream is held back by TCP
    f.drain();
    // Keep draining until it ends.
    let settled = false;
    void p.finally(() => {
      settled = true;
    });
    while (!settled) {
      await sleep(5);
      f.drain();
    }
    await p;
    expect(received).toBe(total * 1001);
  });
});

describe("abort reaches undici", () => {
  test("while waiting for the headers", async () => {
    serve(() => {
      /* never answers */
    });
    const f = fakeCtx();
    const pending = upstream.open({ method: "GET", path: "/", signal: f.abort });
    await sleep(30);
    const reason = new Error("client closed the connection");
    f.abort.abort(reason);
    expect(await pending.catch((e: unknown) => e)).toBe(reason);
    await upstreamAborted;
  });

  test("while paused for drain", async () => {
    serve(streaming(1000, 2));
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    const p = pump(f.ctx, ex, () => {
      f.setNeedDrain(true);
      return true;
    });
    while (f.drainedCalls === 0) await sleep(2);
    await sleep(20);
    const reason = new Error("client closed the connection");
    f.abort.abort(reason);
    expect(await p.catch((e: unknown) => e)).toBe(reason);
    await upstreamAborted;
  });

  test("after the headers, before read(): the later read() fails with the reason", async () => {
    serve(streaming(1000, 2));
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    const reason = new Error("client closed the connection");
    f.abort.abort(reason);
    await upstreamAborted;
    expect(await pump(f.ctx, ex, () => true).catch((e: unknown) => e)).toBe(reason);
  });
});

describe("Cancellation", () => {
  test("a listener removed by an earlier listener during abort is not called (as with an AbortSignal)", () => {
    for (const make of [() => new Cancellation(), () => new AbortController()] as const) {
      const c = make();
      const signal = c instanceof AbortController ? c.signal : c;
      const calls: string[] = [];
      const b = (): void => {
        calls.push("b");
      };
      signal.addEventListener("abort", () => {
        calls.push("a");
        signal.removeEventListener("abort", b);
      });
      signal.addEventListener("abort", b);
      c.abort(new Error("x"));
      expect({ kind: c.constructor.name, calls }).toEqual({ kind: c.constructor.name, calls: ["a"] });
    }
  });
});

describe("Exchange.abort", () => {
  test("the sink gets the abort reason as is, as documented (not an upstream_protocol_error)", async () => {
    serve(streaming(1000, 2));
    const f = fakeCtx();
    const ex = await upstream.open({ method: "GET", path: "/", signal: f.abort });
    const reason = new Error("mine");
    const err = await new Promise((resolve) => {
      let first = true;
      ex.read({
        onData() {
          if (first) {
            first = false;
            queueMicrotask(() => ex.abort(reason));
          }
          return true;
        },
        onEnd: () => resolve("ended"),
        onError: resolve,
      });
    });
    expect(err).toBe(reason);
    await upstreamAborted;
  });
});

describe("through the gateway: an Ollama error line whose stream ends in a later socket read", () => {
  // Real Ollama writes the error line, then returns from its handler: the chunked terminator can come in a later
  // read, so the codec's `false` (error seen) aborts an exchange still in flight.
  let stack: Stack;
  let ollama: Server;
  let started: (s: Stack) => void = () => {};
  const ready = new Promise<Stack>((r) => {
    started = r;
  });
  beforeAll(async () => {
    ollama = createServer(async (req, res) => {
      if (req.url === "/api/chat") {
        for await (const _ of req) {
          /* the request body */
        }
        res.writeHead(200, { "content-type": "application/x-ndjson" });
        const line = (o: object) => `${JSON.stringify(o)}\n`;
        res.write(
          line({
            model: "qwen3:32b",
            created_at: "2026-01-01T00:00:00Z",
            message: { role: "assistant", content: "Hi" },
            done: false,
          }),
        );
        setTimeout(() => {
          res.write(line({ error: "an error was encountered while running the model" }));
          setTimeout(() => res.end(), 50);
        }, 20);
        return;
      }
      // Everything else (model polling) from the simulator.
      const r = await fetch(`${(await ready).simulator.url}${req.url}`, { method: req.method });
      res.writeHead(r.status, { "content-type": r.headers.get("content-type") ?? "application/json" });
      res.end(Buffer.from(await r.arrayBuffer()));
    });
    await new Promise<void>((r) => ollama.listen(0, "127.0.0.1", r));
    const { port } = ollama.address() as AddressInfo;
    stack = await startStack({ gateway: { upstream: `http://127.0.0.1:${port}` } });
    started(stack);
  });
  afterAll(async () => {
    await stack.close();
    ollama.closeAllConnections();
    await new Promise((r) => ollama.close(r));
  });

  test("the SSE stream ends with Ollama's error (upstream_stream_error), not upstream_protocol_error", async () => {
    const res = await fetch(`${stack.gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "qwen3:32b", messages: [{ role: "user", content: "hi" }], stream: true }),
    });
    const text = await res.text();
    const record = await stack.nextRecord(res.headers.get("x-request-id") ?? "");
    const frames = text
      .split("\n\n")
      .filter((f) => f.startsWith("data: "))
      .map((f) => f.slice(6));
    expect(JSON.parse(frames.at(-1) ?? "")).toMatchObject({
      error: { code: "upstream_stream_error", message: expect.stringContaining("error was encountered") },
    });
    expect(record).toMatchObject({ outcome: "upstream_error", errorCode: "upstream_stream_error" });
  });
});
