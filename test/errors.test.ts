// Every error path of the OpenAI routes, through real sockets: status, OpenAI error object, counted outcome.

import { connect } from "node:net";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { freePort } from "./helpers/ports.js";
import { type Stack, startStack } from "./helpers/stack.js";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    gateway: { bodyLimitBytes: 4096, firstByteTimeoutMs: 1000, idleTimeoutMs: 1000 },
  });
});
afterAll(() => stack.close());

async function post(path: string, body: string | object, base = stack.gateway.url) {
  const res = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  const record = await stack.nextRecord(res.headers.get("x-request-id") ?? "");
  return { status: res.status, headers: res.headers, text, json: safeJson(text), record };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function chat(content: string, extra: object = {}) {
  return { model: "qwen3:32b", messages: [{ role: "user" as const, content }], ...extra };
}

describe("errors before the response starts", () => {
  test.each([
    ["invalid JSON", "{nope", 400, "invalid_json", null],
    ["empty body", "", 400, "invalid_json", null],
    ["no messages", { model: "qwen3:32b" }, 400, "invalid_request", "messages"],
    [
      "bad content type",
      { model: "m", messages: [{ role: "user", content: 5 }] },
      400,
      "invalid_request",
      "messages[0].content",
    ],
    ["n > 1", chat("hi", { n: 2 }), 400, "unsupported_parameter", "n"],
    [
      "an image part whose data URL is not an image",
      {
        model: "m",
        messages: [
          { role: "user", content: "see" },
          {
            role: "user",
            content: [{ type: "image_url", image_url: { url: "data:text/plain;base64,aGk=" } }],
          },
        ],
      },
      400,
      "invalid_request",
      "messages[1].content[0].image_url.url",
    ],
    [
      "assistant tool call arguments that are not JSON",
      {
        model: "m",
        messages: [
          { role: "user", content: "weather?" },
          {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{city:" } }],
          },
          { role: "tool", tool_call_id: "c1", content: "sunny" },
        ],
      },
      400,
      "invalid_request",
      "messages[1].tool_calls[0].function.arguments",
    ],
  ])("%s → %i %s", async (_name, body, status, code, param) => {
    const res = await post("/v1/chat/completions", body);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.json).toMatchObject({ error: { type: "invalid_request_error", code, param } });
    expect((res.json as { error: { message: string } }).error.message.length).toBeGreaterThan(0);
    expect(res.record).toMatchObject({ outcome: "rejected", status, errorCode: code });
  });

  test("unknown route → 404 in OpenAI's shape; wrong method → 405 with Allow", async () => {
    const missing = await fetch(`${stack.gateway.url}/v1/nothing-here`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      error: { code: "route_not_found", type: "not_found_error" },
    });
    // A base URL without /v1 is the usual mistake; the 404 says which path was meant.
    const noV1 = await post("/chat/completions", chat("hi"));
    expect(noV1.status).toBe(404);
    expect(noV1.json).toMatchObject({
      error: {
        code: "route_not_found",
        message: "no route for POST /chat/completions; did you mean /v1/chat/completions?",
      },
    });
    const wrong = await fetch(`${stack.gateway.url}/v1/chat/completions`);
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(await wrong.json()).toMatchObject({ error: { code: "method_not_allowed" } });
  });

  test("a body over the limit → 413, whether declared or streamed", async () => {
    const big = chat("x".repeat(5000));
    const res = await post("/v1/chat/completions", big);
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({
      error: {
        code: "body_too_large",
        message: "the request body is larger than the limit of 4 KiB (body-limit)",
      },
    });
    expect(res.record.outcome).toBe("rejected");
  });

  test("a streamed (chunked) body over the limit → 413 once the limit is passed, and the connection closes", async () => {
    const url = new URL(stack.gateway.url);
    const socket = connect(Number(url.port), url.hostname);
    const chunk = JSON.stringify(chat("x".repeat(5000)));
    socket.end(
      "POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n" +
        `transfer-encoding: chunked\r\n\r\n${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n`,
    );
    let answer = "";
    for await (const data of socket) answer += String(data);
    expect(answer).toMatch(/^HTTP\/1.1 413 /);
    expect(answer.toLowerCase()).toContain("connection: close");
    expect(answer).toContain('"code":"body_too_large"');
    const id = /x-request-id: (\S+)/i.exec(answer)?.[1] ?? "";
    expect((await stack.nextRecord(id)).outcome).toBe("rejected");
  });

  test("a model the upstream lacks → 404 with Ollama's message", async () => {
    const res = await post("/v1/chat/completions", { ...chat("hi"), model: "ghost:1b" });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      error: { message: "model 'ghost:1b' not found", code: "model_not_found", type: "not_found_error" },
    });
    expect(res.record.outcome).toBe("rejected");
  });

  test.each([
    ["[sim:fail]", 502],
    ["[sim:fail=429]", 429],
    ["[sim:fail=503]", 503],
  ])("upstream failure %s before output → %i, counted as upstream_error", async (directive, status) => {
    const res = await post("/v1/chat/completions", chat(`hi ${directive}`));
    expect(res.status).toBe(status);
    expect(res.json).toMatchObject({ error: { code: "upstream_http_error" } });
    expect(res.record).toMatchObject({ outcome: "upstream_error", status });
  });

  test("no first byte within first-byte-timeout → 504, streaming or not", async () => {
    for (const stream of [false, true]) {
      const res = await post("/v1/chat/completions", chat("hi [sim:hang]", { stream }));
      expect(res.status).toBe(504);
      expect(res.json).toMatchObject({ error: { code: "upstream_timeout", type: "server_error" } });
      expect(res.record.outcome).toBe("timeout");
    }
  });

  test("upstream refusing connections → 502 upstream_unreachable (OpenAI and native routes)", async () => {
    const port = await freePort();
    const dead = await startStack({ gateway: { upstream: `http://127.0.0.1:${port}` } });
    try {
      const res = await fetch(`${dead.gateway.url}/v1/chat/completions`, {
        method: "POST",
        body: JSON.stringify(chat("hi")),
      });
      expect(res.status).toBe(502);
      // What failed, in words, said once (not "ECONNREFUSED connect ECONNREFUSED 127.0.0.1:…").
      const refused = `cannot reach the upstream: connection refused to 127.0.0.1:${port}`;
      expect(await res.json()).toMatchObject({ error: { code: "upstream_unreachable", message: refused } });
      const native = await fetch(`${dead.gateway.url}/api/tags`);
      expect(native.status).toBe(502);
      expect(await native.json()).toEqual({ error: refused });
      const ready = await fetch(`${dead.gateway.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: "unready",
        reason: `http://127.0.0.1:${port} does not answer: ${refused}`,
      });
    } finally {
      await dead.close();
    }
  });
});

describe("errors after the stream started", () => {
  function sse(text: string): string[] {
    return text
      .split("\n\n")
      .filter((f) => f.startsWith("data: "))
      .map((f) => f.slice(6));
  }

  test("an upstream error line mid-stream ends the SSE stream with an error frame and no [DONE]", async () => {
    const res = await post("/v1/chat/completions", chat("hi [sim:midstream-fail]", { stream: true }));
    expect(res.status).toBe(200);
    const frames = sse(res.text);
    expect(frames.length).toBeGreaterThan(1);
    expect(frames).not.toContain("[DONE]");
    expect(JSON.parse(frames.at(-1) ?? "")).toMatchObject({
      error: { code: "upstream_stream_error", message: expect.stringContaining("error was encountered") },
    });
    expect(res.record).toMatchObject({
      outcome: "upstream_error",
      status: 200,
      errorCode: "upstream_stream_error",
    });
  });

  test("the official client raises the mid-stream error as an exception", async () => {
    const client = new OpenAI({ baseURL: `${stack.gateway.url}/v1`, apiKey: "x", maxRetries: 0 });
    const stream = await client.chat.completions.create({ ...chat("hi [sim:midstream-fail]"), stream: true });
    let received = 0;
    await expect(
      (async () => {
        for await (const _ of stream) received++;
      })(),
    ).rejects.toThrow(/error was encountered/);
    expect(received).toBeGreaterThan(0);
  });

  test("an upstream gone silent mid-stream ends with an idle-timeout error frame", async () => {
    const res = await post("/v1/chat/completions", chat("hi [sim:hang-after=3]", { stream: true }));
    const frames = sse(res.text);
    expect(frames).not.toContain("[DONE]");
    expect(JSON.parse(frames.at(-1) ?? "")).toMatchObject({ error: { code: "upstream_idle_timeout" } });
    expect(res.record).toMatchObject({ outcome: "timeout", errorCode: "upstream_idle_timeout" });
  });

  test("non-streaming requests fail whole: a failure during generation is a 502, never a partial answer", async () => {
    // Ollama answers a stream:false request once, when done: a generation that fails is its 500 + {"error"}.
    const res = await post("/v1/chat/completions", chat("hi [sim:midstream-fail]"));
    expect(res.status).toBe(502);
    expect(res.json).toMatchObject({ error: { code: "upstream_http_error", type: "server_error" } });
    expect(res.record.outcome).toBe("upstream_error");
  });

  test("non-streaming: an upstream gone silent mid-generation is a 504 after the first-byte timeout", async () => {
    const res = await post("/v1/chat/completions", chat("hi [sim:hang-after=3]"));
    expect(res.status).toBe(504);
    expect(res.json).toMatchObject({ error: { code: "upstream_timeout" } });
    expect(res.record).toMatchObject({ outcome: "timeout", errorCode: "upstream_timeout" });
  });
});
