// `serve --demo` as a user runs it: an agent turn with tools ends, through /v1 and /api/chat; the README's embeddings work.

import { readFileSync } from "node:fs";
import type { Message as OllamaMessage, Tool as OllamaTool } from "ollama";
import { Ollama } from "ollama";
import OpenAI from "openai";
import type { ChatCompletionMessageParam, ChatCompletionTool } from "openai/resources/chat/completions";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type CliProcess, runCli } from "./helpers/cli.js";

let gateway: CliProcess;
let url: string;

beforeAll(async () => {
  // The demo's speed knobs make the upstream answer at once; its models are the defaults.
  gateway = runCli([
    "serve",
    "--demo",
    "--listen",
    "127.0.0.1:0",
    "--demo-load-ms",
    "0",
    "--demo-decode-tps",
    "5000",
    "--demo-prefill-tps",
    "1000000",
    "--demo-jitter",
    "0",
  ]);
  const line = await gateway.waitForLog(
    (l) => typeof l.msg === "string" && l.msg.startsWith("llmgate listening"),
  );
  url = line.url as string;
});

afterAll(async () => {
  if (gateway.child.exitCode !== null) return;
  gateway.child.kill("SIGTERM");
  await gateway.exited;
});

/** The eleven tools OpenClaw sends with every request, in its order (first: `read`). */
const AGENT_TOOLS: { name: string; description: string; parameters: Record<string, unknown> }[] = [
  ["read", "Read a file", { path: "string" }],
  ["write", "Write a file", { path: "string", content: "string" }],
  ["edit", "Replace text in a file", { path: "string", oldText: "string", newText: "string" }],
  ["exec", "Run a shell command", { command: "string" }],
  ["process", "Manage background processes", { action: "string" }],
  ["web_search", "Search the web", { query: "string" }],
  ["web_fetch", "Fetch a URL", { url: "string" }],
  ["browser", "Control a browser", { action: "string" }],
  ["message", "Send a message to a channel", { channel: "string", text: "string" }],
  ["cron", "Schedule a job", { schedule: "string", task: "string" }],
  ["sessions_list", "List agent sessions", { limit: "integer" }],
].map(([name, description, props]) => ({
  name: name as string,
  description: description as string,
  parameters: {
    type: "object",
    required: Object.keys(props as object),
    properties: Object.fromEntries(Object.entries(props as object).map(([k, type]) => [k, { type }])),
  },
}));

const SYSTEM = "You are a personal assistant running inside OpenClaw.";
/** What OpenClaw appends as a user message after the tool results. */
const CONTEXT = "<openclaw-context>cwd=/home/agent/workspace; time=2026-01-01T12:00:00Z</openclaw-context>";
/** More than the turn should ever take: a turn that does not end fails the test instead of looping on. */
const MAX_REQUESTS = 10;

interface TurnResult {
  requests: number;
  /** Names of the tools called, one list per round. */
  rounds: string[][];
  text: string;
}

/** An OpenClaw-like agent loop over the official openai client: stream, run the tools, append results and context. */
async function openaiTurn(question: string): Promise<TurnResult> {
  const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
  const tools: ChatCompletionTool[] = AGENT_TOOLS.map((t) => ({ type: "function", function: t }));
  const messages: ChatCompletionMessageParam[] = [
    { role: "system", content: SYSTEM },
    { role: "user", content: question },
  ];
  const rounds: string[][] = [];
  for (let requests = 1; requests <= MAX_REQUESTS; requests++) {
    const stream = client.chat.completions.stream({ model: "qwen3:32b", messages, tools });
    const message = (await stream.finalChatCompletion()).choices[0]?.message;
    const calls = (message?.tool_calls ?? []).flatMap((c) => (c.type === "function" ? [c] : []));
    if (calls.length === 0) return { requests, rounds, text: message?.content ?? "" };
    rounds.push(calls.map((c) => c.function.name));
    messages.push({ role: "assistant", content: message?.content ?? null, tool_calls: calls });
    for (const call of calls)
      messages.push({
        role: "tool",
        tool_call_id: call.id,
        content: JSON.stringify({ ok: true, tool: call.function.name }),
      });
    messages.push({ role: "user", content: CONTEXT });
  }
  throw new Error(`the turn did not end within ${MAX_REQUESTS} requests; rounds: ${JSON.stringify(rounds)}`);
}

/** The same loop over the official ollama client and the native /api/chat. */
async function ollamaTurn(question: string): Promise<TurnResult> {
  const ollama = new Ollama({ host: url });
  const tools: OllamaTool[] = AGENT_TOOLS.map((t) => ({ type: "function", function: t }));
  const messages: OllamaMessage[] = [
    { role: "system", content: SYSTEM },
    { role: "user", content: question },
  ];
  const rounds: string[][] = [];
  for (let requests = 1; requests <= MAX_REQUESTS; requests++) {
    const { message } = await ollama.chat({ model: "qwen3:32b", messages, tools, stream: false });
    const calls = message.tool_calls ?? [];
    if (calls.length === 0) return { requests, rounds, text: message.content };
    rounds.push(calls.map((c) => c.function.name));
    messages.push(message);
    for (const call of calls)
      messages.push({ role: "tool", tool_name: call.function.name, content: JSON.stringify({ ok: true }) });
    messages.push({ role: "user", content: CONTEXT });
  }
  throw new Error(`the turn did not end within ${MAX_REQUESTS} requests; rounds: ${JSON.stringify(rounds)}`);
}

describe.each([
  ["/v1/chat/completions (openai client)", openaiTurn],
  ["/api/chat (ollama client)", ollamaTurn],
])("an agent turn with 11 tools through %s", (_api, turn) => {
  test("calls a tool once, then answers in text", async () => {
    const result = await turn("What is in my workspace?");
    expect(result.rounds).toEqual([["read"]]);
    expect(result.requests).toBe(2);
    expect(result.text.trim().length).toBeGreaterThan(0);
  });

  test("[sim:tool-rounds=2] gets exactly two rounds, then text", async () => {
    const result = await turn("Summarise my workspace and mail it [sim:tool-rounds=2]");
    expect(result.rounds).toEqual([["read"], ["write"]]);
    expect(result.requests).toBe(3);
    expect(result.text.trim().length).toBeGreaterThan(0);
  });
});

describe("the README's embeddings example", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("**Embeddings**"));
  const curl = section.match(/```sh\n(curl[^`]*)```/)?.[1] ?? "";
  const js = section.match(/```js\n([^`]*)```/)?.[1] ?? "";

  test("curl: the request as written returns one vector per input", async () => {
    const path = curl.match(/http:\/\/127\.0\.0\.1:18789(\/\S+)/)?.[1];
    const body = curl.match(/-d '([^']*)'/)?.[1];
    expect(path).toBe("/v1/embeddings");
    expect(body).toBeDefined();
    const res = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: body as string,
    });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as { data: { index: number; embedding: number[] }[]; model: string };
    const inputs = (JSON.parse(body as string) as { input: string[] }).input;
    expect(reply.data.map((d) => d.index)).toEqual(inputs.map((_, i) => i));
    for (const d of reply.data) {
      expect(d.embedding).toHaveLength(768);
      expect(d.embedding.every((x) => Number.isFinite(x))).toBe(true);
      expect(d.embedding.some((x) => x !== 0)).toBe(true);
    }
  });

  test("openai SDK: the snippet as written logs the vector's length it promises", async () => {
    const promised = js.match(/\/\/ (\d+)\s*$/)?.[1];
    expect(promised).toBe("768");
    const client = new OpenAI({ baseURL: `${url}/v1`, apiKey: "unused", maxRetries: 0 });
    const logged: unknown[] = [];
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
      ...args: string[]
    ) => (...values: unknown[]) => Promise<void>;
    await new AsyncFunction("client", "console", js)(client, { log: (v: unknown) => logged.push(v) });
    expect(logged).toEqual([Number(promised)]);
  });
});
