// `llmgate loadtest` against the simulator behind the gateway: figures match what the simulator was told to do.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type LoadtestIo, runLoadtest } from "../src/tools/loadtest/main.js";
import type { RawLoadtestFlags } from "../src/tools/loadtest/options.js";
import type { LoadtestReport } from "../src/tools/loadtest/report.js";
import { renderHtml } from "../src/tools/loadtest/report-html.js";
import { type Stack, startStack } from "./helpers/stack.js";

const dir = mkdtempSync(join(tmpdir(), "llmgate-loadtest-"));
let stack: Stack;
let url = "";

beforeAll(async () => {
  stack = await startStack({ gateway: { maxConcurrency: 8 } });
  url = `${stack.gateway.url}/v1`;
});
afterAll(async () => {
  await stack.close();
});

function io(): LoadtestIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t), isTTY: false },
    env: {},
    out: () => out,
    err: () => err,
  };
}

async function run(flags: RawLoadtestFlags) {
  const streams = io();
  const result = await runLoadtest({ url, model: "qwen3:32b", ...flags }, streams);
  return { ...result, out: streams.out(), err: streams.err() };
}

function promptFile(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("llmgate loadtest through the gateway", () => {
  test("streaming: usage matches the prompt length and max_tokens exactly; outputs written", async () => {
    const json = join(dir, "stream.json");
    const html = join(dir, "stream.html");
    const { code, report, out, err } = await run({
      concurrency: "1,3",
      requests: "6",
      promptTokens: "50",
      maxTokens: "7",
      json,
      html,
    });
    expect(code).toBe(0);
    expect(report?.levels.map((l) => [l.concurrency, l.requests, l.ok])).toEqual([
      [1, 6, 6],
      [3, 6, 6],
    ]);
    for (const level of report?.levels ?? []) {
      for (const s of level.samples) {
        // The simulator counts ceil(characters / 4) prompt tokens; generated prompts are 4 characters a token.
        expect(s).toMatchObject({ promptTokens: 50, completionTokens: 7 });
        expect(s.usageMissing).toBeUndefined();
        expect(s.ttftMs).toBeGreaterThan(0);
        expect(s.ttftMs).toBeLessThanOrEqual(s.latencyMs);
      }
      expect(level.completionTokens).toEqual({ total: 42, mean: 7 });
      expect(level.promptTokensMean).toBe(50);
      expect(level.ttftMs?.p95).toBeLessThanOrEqual(level.latencyMs?.p95 ?? 0);
      expect(level.latencyMs?.p50).toBeLessThanOrEqual(level.latencyMs?.p95 ?? 0);
      expect(level.latencyMs?.p95).toBeLessThanOrEqual(level.latencyMs?.p99 ?? 0);
      expect(level.tokensPerSecond.total).toBeGreaterThan(0);
      expect(level.tokensPerSecond.perStream?.p50).toBeGreaterThan(0);
      expect(level.errors).toEqual({});
    }
    // Every request went through the gateway as a completed stream.
    expect(stack.records.filter((r) => r.outcome === "completed" && r.stream).length).toBeGreaterThanOrEqual(
      12,
    );

    expect(out).toMatch(/concurrency\s+requests\s+errors\s+req\/s\s+latency p50/);
    expect(out).toMatch(/^\s+1\s+6\s+0\s/m);
    expect(out).toMatch(/^\s+3\s+6\s+0\s/m);
    expect(err).toContain("concurrency 3: 6 requests");

    const written = JSON.parse(readFileSync(json, "utf8")) as LoadtestReport;
    expect(written).toEqual(JSON.parse(JSON.stringify(report)));
    expect(written.target).toEqual({
      endpoint: `${url}/chat/completions`,
      model: "qwen3:32b",
      stream: true,
      maxTokens: 7,
      prompt: { kind: "generated", tokens: 50 },
      timeoutMs: 600_000,
    });
    // The page is exactly what the (unit-tested, well-formed) renderer makes of the JSON.
    expect(readFileSync(html, "utf8")).toBe(renderHtml(written));
  });

  test("not streaming, prompts from a file: exact completion tokens, no TTFT", async () => {
    const file = promptFile("tokens.txt", [
      "[sim:tokens=5][sim:think-tokens=0] hello",
      "[sim:tokens=5][sim:think-tokens=0] again",
    ]);
    const { code, report } = await run({ concurrency: "2", requests: "4", stream: false, promptFile: file });
    expect(code).toBe(0);
    const level = report?.levels[0];
    expect(level).toMatchObject({
      requests: 4,
      ok: 4,
      completionTokens: { total: 20, mean: 5 },
      ttftMs: null,
    });
    for (const s of level?.samples ?? []) expect(s.ttftMs).toBeUndefined();
  });

  test("errors are counted by kind, with the server's message", async () => {
    const file = promptFile("faults.jsonl", [
      JSON.stringify("[sim:tokens=4][sim:think-tokens=0]"),
      JSON.stringify({ prompt: "[sim:fail=503]" }),
      JSON.stringify({ messages: [{ role: "user", content: "[sim:midstream-fail]" }] }),
      JSON.stringify("[sim:fail=429]"),
    ]);
    const { code, report, out } = await run({ concurrency: "1", requests: "8", promptFile: file });
    expect(code).toBe(0);
    const level = report?.levels[0];
    expect(level?.requests).toBe(8);
    expect(level?.ok).toBe(2);
    expect(level?.errors).toEqual({ http_503: 2, http_429: 2, stream_error: 2 });
    expect(level?.errorExamples.http_503).toContain("overloaded");
    expect(level?.completionTokens.total).toBe(8);
    expect(out).toMatch(/errors at concurrency 1: .*http_503 ×2/);
  });

  test("a request over --timeout is a timeout; when nothing succeeds the exit code is 1", async () => {
    const file = promptFile("hang.txt", ["[sim:hang]"]);
    const { code, report, err } = await run({
      concurrency: "2",
      requests: "2",
      promptFile: file,
      timeout: "300ms",
    });
    expect(code).toBe(1);
    expect(report?.levels[0]?.errors).toEqual({ timeout: 2 });
    expect(err).toContain("no request succeeded; first error: timeout");
  });

  test("an endpoint nobody listens on gives connect errors", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const port = (server.address() as { port: number }).port;
    server.close();
    const { code, report } = await runLoadtest(
      { url: `http://127.0.0.1:${port}/v1`, model: "m", concurrency: "1", requests: "3" },
      io(),
    );
    expect(code).toBe(1);
    expect(report?.levels[0]?.errors).toEqual({ connect: 3 });
  });

  test("--duration keeps sending until the time is up", async () => {
    const { code, report } = await run({
      concurrency: "2",
      duration: "300ms",
      maxTokens: "3",
      promptTokens: "10",
    });
    expect(code).toBe(0);
    const level = report?.levels[0];
    expect(level?.requests).toBeGreaterThanOrEqual(2);
    expect(level?.ok).toBe(level?.requests);
    expect(level?.wallSeconds).toBeGreaterThanOrEqual(0.3);
    expect(level?.budget).toEqual({ kind: "duration", durationMs: 300 });
  });

  test("an interrupted run reports what finished and exits 130", async () => {
    const file = promptFile("slow.txt", ["[sim:tokens=3] fine", "[sim:hang]"]);
    const interrupt = new AbortController();
    const streams = io();
    // Interrupted once both of the first level's slots hang (alternate prompts hang), whenever that is.
    const active = stack.simulator.stats().active;
    void (async () => {
      while (stack.simulator.stats().active < active + 2) await new Promise((r) => setTimeout(r, 5));
      interrupt.abort();
    })();
    const { code, report } = await runLoadtest(
      { url, model: "qwen3:32b", concurrency: "2,4", requests: "50", promptFile: file },
      { ...streams, signal: interrupt.signal },
    );
    expect(code).toBe(130);
    expect(report?.levels).toHaveLength(1);
    expect(report?.levels[0]?.interrupted).toBe(true);
    expect(report?.levels[0]?.errors).toEqual({});
    expect(streams.out()).toContain("* interrupted");
  });
});

/** Runs `loadtestCommand()` from dist/ in its own process, as `llmgate loadtest` would (needs `npm run build`). */
const LOADTEST = fileURLToPath(new URL("../dist/cli/loadtest.js", import.meta.url));
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const script = `const { loadtestCommand } = await import(${JSON.stringify(LOADTEST)});
await loadtestCommand().parseAsync(process.argv.slice(1), { from: "user" });`;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script, "--", ...args], {
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
  child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

describe("llmgate loadtest as a command", () => {
  test.each([
    [["--model", "m"], "--url"],
    [["--url", "http://127.0.0.1:1/v1", "--model", "m", "--concurrency", "0"], "--concurrency"],
    [["--url", "http://127.0.0.1:1/v1", "--model", "m", "--requests", "3", "--duration", "5s"], "--duration"],
    [["--url", "http://127.0.0.1:1/v1", "--model", "m", "--bogus"], "--bogus"],
    [["--url", "http://127.0.0.1:1/v1", "--model", "m", "--requests"], "--requests"],
    [["--url", "http://127.0.0.1:18789", "--model", "m"], "use --url http://127.0.0.1:18789/v1"],
  ])("%j: exit 2, the message names %s", async (args, flag) => {
    const { code, stderr } = await cli(args);
    expect(code).toBe(2);
    expect(stderr).toContain(flag);
  });

  test("--help exits 0", async () => {
    const { code, stdout } = await cli(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("--concurrency <LIST>");
  });

  test("a run: table on stdout, progress on stderr, JSON written, exit 0", async () => {
    const json = join(dir, "cli.json");
    const { code, stdout, stderr } = await cli([
      "--url",
      url,
      "--model",
      "qwen3:32b",
      "--concurrency",
      "2",
      "--requests",
      "4",
      "--max-tokens",
      "5",
      "--prompt-tokens",
      "20",
      "--json",
      json,
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\s+2\s+4\s+0\s/m);
    expect(stderr).toContain("concurrency 2: 4 requests");
    const written = JSON.parse(readFileSync(json, "utf8")) as LoadtestReport;
    expect(written.levels[0]?.completionTokens.total).toBe(20);
  });
});
