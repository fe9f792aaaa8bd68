import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { chatEndpoint, LoadtestUsageError, parseLoadtestFlags, type RawLoadtestFlags } from "./options.js";

const dir = mkdtempSync(join(tmpdir(), "loadtest-options-"));
const promptFile = join(dir, "prompts.txt");
writeFileSync(promptFile, "hello\n");
const base: RawLoadtestFlags = { url: "http://127.0.0.1:18789/v1", model: "qwen3:32b" };

describe("parseLoadtestFlags", () => {
  test("defaults", () => {
    const o = parseLoadtestFlags(base);
    expect(o).toEqual({
      endpoint: "http://127.0.0.1:18789/v1/chat/completions",
      model: "qwen3:32b",
      concurrency: [1, 4, 16, 64],
      stream: true,
      prompt: { kind: "generated", tokens: 200 },
      maxTokens: 128,
      timeoutMs: 600_000,
    });
  });

  test("every flag given", () => {
    const o = parseLoadtestFlags({
      ...base,
      concurrency: "2, 8",
      duration: "1m30s",
      stream: false,
      promptFile,
      maxTokens: "64",
      apiKey: "sk-test",
      timeout: "45s",
      json: join(dir, "out.json"),
      html: join(dir, "out.html"),
    });
    expect(o).toMatchObject({
      concurrency: [2, 8],
      budget: { kind: "duration", durationMs: 90_000 },
      stream: false,
      prompt: { kind: "file", path: promptFile },
      maxTokens: 64,
      apiKey: "sk-test",
      timeoutMs: 45_000,
    });
  });

  test("--requests sets a request budget; OPENAI_API_KEY is the key's fallback", () => {
    const o = parseLoadtestFlags({ ...base, requests: "10" }, { OPENAI_API_KEY: "from-env" });
    expect(o.budget).toEqual({ kind: "requests", requests: 10 });
    expect(o.apiKey).toBe("from-env");
  });

  test.each<[string, RawLoadtestFlags, string]>([
    ["missing url", { model: "m" }, "url"],
    ["missing model", { url: "http://x/v1" }, "model"],
    ["not a url", { ...base, url: "localhost:18789" }, "url"],
    ["not http", { ...base, url: "ftp://host/v1" }, "url"],
    ["query in url", { ...base, url: "http://host/v1?x=1" }, "url"],
    ["concurrency 0", { ...base, concurrency: "0" }, "concurrency"],
    ["concurrency not a number", { ...base, concurrency: "1,four" }, "concurrency"],
    ["concurrency empty item", { ...base, concurrency: "1,,4" }, "concurrency"],
    ["concurrency fraction", { ...base, concurrency: "1.5" }, "concurrency"],
    ["concurrency twice", { ...base, concurrency: "4,4" }, "concurrency"],
    ["concurrency too high", { ...base, concurrency: "100000" }, "concurrency"],
    ["requests 0", { ...base, requests: "0" }, "requests"],
    ["requests negative", { ...base, requests: "-3" }, "requests"],
    ["requests and duration", { ...base, requests: "5", duration: "10s" }, "duration"],
    ["bad duration", { ...base, duration: "soon" }, "duration"],
    ["zero duration", { ...base, duration: "0s" }, "duration"],
    ["prompt file and tokens", { ...base, promptFile, promptTokens: "10" }, "prompt-tokens"],
    ["missing prompt file", { ...base, promptFile: join(dir, "nope.txt") }, "prompt-file"],
    ["prompt tokens 0", { ...base, promptTokens: "0" }, "prompt-tokens"],
    ["max tokens text", { ...base, maxTokens: "lots" }, "max-tokens"],
    ["bad timeout", { ...base, timeout: "forever" }, "timeout"],
    ["json in a missing directory", { ...base, json: join(dir, "no/such/dir/out.json") }, "json"],
    ["html in a missing directory", { ...base, html: join(dir, "no/such/dir/out.html") }, "html"],
  ])("%s: the error names --%s", (_name, raw, flag) => {
    let error: unknown;
    try {
      parseLoadtestFlags(raw);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LoadtestUsageError);
    expect((error as LoadtestUsageError).flag).toBe(flag);
    expect((error as Error).message).toMatch(new RegExp(`^--${flag}: `));
  });
});

describe("chatEndpoint", () => {
  test.each([
    ["http://h:1/v1", "http://h:1/v1/chat/completions"],
    ["http://h:1/v1/", "http://h:1/v1/chat/completions"],
    ["https://h/openai/v1/chat/completions", "https://h/openai/v1/chat/completions"],
    ["http://h:8000/chat/completions", "http://h:8000/chat/completions"],
  ])("%s → %s", (url, endpoint) => {
    expect(chatEndpoint(url)).toBe(endpoint);
  });

  test.each(["http://h:18789", "http://h:18789/"])(
    "%s (no path) is refused before the run, with the /v1 URL to use",
    (url) => {
      expect(() => chatEndpoint(url)).toThrow(LoadtestUsageError);
      expect(() => chatEndpoint(url)).toThrow(
        `--url: ${url} has no path; the OpenAI API is under /v1: use --url http://h:18789/v1 ` +
          "(or give the full http://h:18789/…/chat/completions URL)",
      );
    },
  );
});
