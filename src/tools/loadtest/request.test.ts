import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RequestSpec, sendChat } from "./request.js";

/** A stand-in server whose behaviour is chosen by the user message: the failure modes a real endpoint shows. */
const frame = (obj: unknown, eol = "\n") => `data: ${JSON.stringify(obj)}${eol}${eol}`;
const delta = (content: string) => ({ choices: [{ index: 0, delta: { content } }] });
const usage = { choices: [], usage: { prompt_tokens: 12, completion_tokens: 3 } };
const received: { body: Record<string, unknown>; authorization?: string }[] = [];

function behave(mode: string, res: ServerResponse): void {
  const sse = () => res.writeHead(200, { "content-type": "text/event-stream" });
  switch (mode) {
    case "ok-crlf":
      sse();
      res.end(
        frame({ choices: [{ index: 0, delta: { role: "assistant", content: "" } }] }, "\r\n") +
          frame(delta("a"), "\r\n") +
          frame(delta("b"), "\r\n") +
          frame(delta("c"), "\r\n") +
          frame(usage, "\r\n") +
          "data: [DONE]\r\n\r\n",
      );
      return;
    case "no-usage":
      sse();
      res.end(`${frame(delta("a"))}${frame(delta("b"))}${frame(delta("c"))}data: [DONE]\n\n`);
      return;
    case "truncated":
      sse();
      res.end(frame(delta("a")));
      return;
    case "error-frame":
      sse();
      res.end(
        `${frame(delta("a"))}${frame({ error: { message: "the model crashed", type: "server_error" } })}`,
      );
      return;
    case "bad-event":
      sse();
      res.end("data: {not json\n\n");
      return;
    case "status":
      res.writeHead(429, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "slow down", type: "rate_limit", code: "x" } }));
      return;
    case "json":
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          choices: [{ message: { content: "hi" } }],
          usage: { prompt_tokens: 5, completion_tokens: 2 },
        }),
      );
      return;
    case "json-bad":
      res.writeHead(200, { "content-type": "application/json" });
      res.end("<html>");
      return;
    case "reset":
      sse();
      res.write(frame(delta("a")));
      setTimeout(() => res.socket?.destroy(), 20);
      return;
    case "hang":
      return;
    default:
      res.writeHead(500).end();
  }
}

let server: ReturnType<typeof createServer>;
let endpoint = "";
const agent = new Agent({ connections: 4 });

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = "";
    req.setEncoding("utf8").on("data", (c: string) => {
      text += c;
    });
    req.on("end", () => {
      const body = JSON.parse(text) as { messages: { content: string }[] };
      received.push({
        body,
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      });
      behave(body.messages.at(-1)?.content ?? "", res);
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/chat/completions`;
});

afterAll(async () => {
  await agent.destroy();
  server.closeAllConnections();
  server.close();
});

function spec(overrides: Partial<RequestSpec> = {}): RequestSpec {
  return { endpoint, model: "m", stream: true, maxTokens: 16, timeoutMs: 5000, ...overrides };
}

const send = (mode: string, overrides: Partial<RequestSpec> = {}) =>
  sendChat(spec(overrides), [{ role: "user", content: mode }], {
    dispatcher: agent,
    signal: new AbortController().signal,
    startMs: 0,
  });

describe("sendChat", () => {
  test("a stream (CRLF framed): TTFT at the first content, tokens from usage; the body asks for usage", async () => {
    const s = await send("ok-crlf", { apiKey: "sk-1" });
    expect(s.error).toBeUndefined();
    expect(s.promptTokens).toBe(12);
    expect(s.completionTokens).toBe(3);
    expect(s.usageMissing).toBeUndefined();
    expect(s.ttftMs).toBeGreaterThan(0);
    expect(s.ttftMs).toBeLessThanOrEqual(s.latencyMs);
    const last = received.at(-1);
    expect(last?.authorization).toBe("Bearer sk-1");
    expect(last?.body).toMatchObject({
      model: "m",
      max_tokens: 16,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  test("a stream without usage counts output chunks and says so", async () => {
    const s = await send("no-usage");
    expect(s).toMatchObject({ completionTokens: 3, usageMissing: true });
    expect(s.error).toBeUndefined();
  });

  test("a whole response reads usage from the body; no TTFT; no stream_options sent", async () => {
    const s = await send("json", { stream: false });
    expect(s).toMatchObject({ promptTokens: 5, completionTokens: 2 });
    expect(s.ttftMs).toBeUndefined();
    expect(received.at(-1)?.body).not.toHaveProperty("stream_options");
  });

  test.each([
    ["truncated", {}, "truncated", "[DONE]"],
    ["error-frame", {}, "stream_error", "the model crashed"],
    ["bad-event", {}, "invalid_response", "not JSON"],
    ["status", {}, "http_429", "slow down"],
    ["json-bad", { stream: false }, "invalid_response", "not JSON"],
    ["reset", {}, "disconnected", ""],
    ["hang", { timeoutMs: 200 }, "timeout", "--timeout"],
  ])("%s → error kind %s", async (mode, overrides, kind, message) => {
    const s = await send(mode, overrides);
    expect(s.error).toBe(kind);
    expect(s.errorMessage).toContain(message);
    expect(s.latencyMs).toBeGreaterThan(0);
  });

  test("nothing listening → connect", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, "close");
    const s = await send("ok-crlf", { endpoint: `http://127.0.0.1:${port}/v1/chat/completions` });
    expect(s.error).toBe("connect");
    expect(s.errorMessage).toBe(`connection refused to 127.0.0.1:${port}`);
  });

  test("the run's signal marks a request aborted, not failed", async () => {
    const interrupt = new AbortController();
    const pending = sendChat(spec(), [{ role: "user", content: "hang" }], {
      dispatcher: agent,
      signal: interrupt.signal,
      startMs: 0,
    });
    setTimeout(() => interrupt.abort(), 50);
    expect((await pending).error).toBe("aborted");
  });
});
