import { describe, expect, test } from "vitest";
import { prettyDestination, prettyText } from "./pretty.js";

describe("prettyText", () => {
  test.each([
    {
      name: "a completed stream",
      log: {
        msg: "request",
        level: 30,
        reqId: "r1",
        method: "POST",
        route: "/v1/chat/completions",
        status: 200,
        outcome: "completed",
        durationMs: 812.4,
        ttftMs: 120.2,
        model: "qwen3:32b",
        tokensIn: 25,
        tokensOut: 128,
      },
      want: "POST /v1/chat/completions 200 completed 812 ms, first token 120 ms, qwen3:32b, 25 → 128 tokens [r1]",
    },
    {
      name: "a failed request, long",
      log: {
        msg: "request",
        level: 40,
        reqId: "r2",
        method: "POST",
        route: "/v1/completions",
        status: 502,
        outcome: "upstream_error",
        durationMs: 12_345,
        errorCode: "upstream_unreachable",
        error: "connection refused to 127.0.0.1:1",
      },
      want: "POST /v1/completions 502 upstream_error 12.3 s, upstream_unreachable: connection refused to 127.0.0.1:1 [r2]",
    },
    {
      name: "a probe",
      log: {
        msg: "request",
        method: "GET",
        route: "/healthz",
        status: 200,
        outcome: "completed",
        durationMs: 0.4,
      },
      want: "GET /healthz 200 completed 0 ms",
    },
    {
      name: "a plain message",
      log: { msg: "llmgate listening on http://127.0.0.1:18789", url: "http://127.0.0.1:18789" },
      want: "llmgate listening on http://127.0.0.1:18789",
    },
    {
      name: "an embedding: tokens in only",
      log: {
        msg: "request",
        method: "POST",
        route: "/v1/embeddings",
        status: 200,
        outcome: "completed",
        durationMs: 23,
        model: "nomic-embed-text",
        tokensIn: 5,
      },
      want: "POST /v1/embeddings 200 completed 23 ms, nomic-embed-text, 5 tokens in",
    },
    {
      name: "a field the message says without its scheme",
      log: {
        msg: "upstream is not answering: connection refused to 127.0.0.1:11434",
        upstream: "http://127.0.0.1:11434",
      },
      want: "upstream is not answering: connection refused to 127.0.0.1:11434",
    },
    {
      name: "a message with fields it does not say",
      log: { msg: "upstream loaded a model", level: 30, model: "qwen3:32b", sizeVram: 20, note: "a b" },
      want: 'upstream loaded a model model=qwen3:32b sizeVram=20 note="a b"',
    },
    {
      name: "a warning with an error: its message, no stack",
      log: { msg: "dashboard failed", level: 40, err: { message: "boom", stack: "Error: boom\n    at x" } },
      want: "dashboard failed: boom",
    },
    {
      name: "an error: the stack follows",
      log: { msg: "internal error", level: 50, err: { message: "boom", stack: "Error: boom\n    at x" } },
      want: "internal error: boom\nError: boom\n    at x",
    },
    {
      name: "a message that already says the error",
      log: { msg: "cannot start: boom", level: 40, err: { message: "boom" } },
      want: "cannot start: boom",
    },
  ])("$name", ({ log, want }) => {
    expect(prettyText(log)).toBe(want);
  });
});

describe("prettyDestination", () => {
  test("writes one readable line per JSON line, with time and level, without pid or hostname", () => {
    const out: string[] = [];
    const dest = prettyDestination({ write: (text) => out.push(text) });
    dest.write(
      `${JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 1), pid: 7, hostname: "h", name: "llmgate", msg: "hello", url: "u" })}\n`,
    );
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: hello url=u\n$/);
  });
});
