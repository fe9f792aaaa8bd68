// The built CLI as a user runs it: demo mode, start-up messages, config errors, and the SIGTERM drain.

import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { envName, SERVE_KEYS } from "../src/config/keys.js";
import { startSimulator } from "../src/tools/simulator/index.js";
import { type CliProcess, runCli } from "./helpers/cli.js";

const running: CliProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
});

function start(args: string[], env: Record<string, string> = {}): CliProcess {
  const p = runCli(args, env);
  running.push(p);
  return p;
}

async function gatewayUrl(p: CliProcess): Promise<string> {
  const line = await p.waitForLog((l) => typeof l.msg === "string" && l.msg.startsWith("llmgate listening"));
  return line.url as string;
}

function chatBody(content: string, stream: boolean) {
  return JSON.stringify({ model: "qwen3:32b", messages: [{ role: "user", content }], stream });
}

describe("llmgate serve", () => {
  test("--demo answers OpenAI clients with no Ollama anywhere", async () => {
    const p = start(["serve", "--demo", "--listen", "127.0.0.1:0"]);
    const url = await gatewayUrl(p);
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: { id: string }[] };
    expect(models.data.map((m) => m.id)).toContain("qwen3:32b");
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  test("starts when the upstream is down, says so, and points at --demo", async () => {
    const p = start(["serve", "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:9"]);
    await gatewayUrl(p);
    const warning = await p.waitForLog(
      (l) => typeof l.msg === "string" && l.msg.includes("upstream is not answering"),
    );
    expect(warning.msg).toContain("llmgate serve --demo");
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  test("listening beyond loopback without API keys warns; with keys it does not", async () => {
    const open = start(["serve", "--listen", "0.0.0.0:0", "--upstream", "http://127.0.0.1:9"]);
    const warning = await open.waitForLog(
      (l) => typeof l.msg === "string" && l.msg.includes("beyond loopback"),
    );
    expect(warning.msg).toContain("--api-key");
    open.child.kill("SIGTERM");
    expect(await open.exited).toBe(0);
    const keyed = start([
      "serve",
      "--listen",
      "0.0.0.0:0",
      "--upstream",
      "http://127.0.0.1:9",
      "--api-key",
      "ops=0123456789",
    ]);
    await keyed.waitForLog((l) => typeof l.msg === "string" && l.msg.includes("upstream is not answering"));
    expect(keyed.logs.some((l) => typeof l.msg === "string" && l.msg.includes("beyond loopback"))).toBe(
      false,
    );
    keyed.child.kill("SIGTERM");
    expect(await keyed.exited).toBe(0);
  });

  test("a bad config value exits non-zero naming the key and where it came from", async () => {
    const flag = start(["serve", "--listen", "nope"]);
    expect(await flag.exited).toBe(2);
    expect(flag.stderr()).toContain("listen (from --listen)");
    const env = start(["serve"], { LLMGATE_IDLE_TIMEOUT: "soon" });
    expect(await env.exited).toBe(2);
    expect(env.stderr()).toContain("idle-timeout (from LLMGATE_IDLE_TIMEOUT)");
  });

  test("--help documents every option with its environment variable", async () => {
    const p = start(["serve", "--help"]);
    let out = "";
    p.child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    expect(await p.exited).toBe(0);
    for (const spec of SERVE_KEYS) expect(out.replace(/\s+/g, " ")).toContain(envName(spec.key));
  });

  test("logs are JSON lines when stdout is not a terminal, readable lines with --log-format pretty", async () => {
    const json = start(["serve", "--demo", "--listen", "127.0.0.1:0"]);
    const url = await gatewayUrl(json);
    await fetch(`${url}/healthz`);
    const access = await json.waitForLog((l) => l.msg === "request");
    expect(access).toMatchObject({ route: "/healthz", status: 200, outcome: "completed" });
    expect(json.logs.some((l) => typeof l.msg === "string" && l.msg === `dashboard: ${url}/ui/`)).toBe(true);
    json.child.kill("SIGTERM");
    expect(await json.exited).toBe(0);

    const pretty = start(["serve", "--demo", "--listen", "127.0.0.1:0", "--log-format", "pretty"]);
    let out = "";
    const seen = (pattern: RegExp) =>
      new Promise<RegExpMatchArray>((resolve) => {
        const check = () => {
          const match = out.match(pattern);
          if (match) resolve(match);
        };
        pretty.child.stdout?.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          check();
        });
        check();
      });
    const [, prettyUrl] = await seen(/INFO: llmgate listening on (http:\/\/127\.0\.0\.1:\d+),/);
    await seen(/INFO: dashboard: http:\/\/127\.0\.0\.1:\d+\/ui\/\n/);
    await fetch(`${prettyUrl}/healthz`);
    await seen(/INFO: GET \/healthz 200 completed \d+ ms \[[^\]]+\]\n/);
    expect(pretty.logs, "no JSON line in pretty mode").toEqual([]);
    pretty.child.kill("SIGTERM");
    expect(await pretty.exited).toBe(0);
  });

  test("a port in use is said in one line on stderr, exit 1", async () => {
    const first = start(["serve", "--demo", "--listen", "127.0.0.1:0"]);
    const taken = new URL(await gatewayUrl(first)).host;
    const second = start(["serve", "--demo", "--listen", taken]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toBe(
      `llmgate: ${taken} is already in use (another llmgate or Ollama?); choose another with --listen\n`,
    );
    // The simulator, started beside a running Ollama on its port, says the same.
    const sim = start(["simulate", "--listen", taken]);
    expect(await sim.exited).toBe(1);
    expect(sim.stderr()).toBe(
      `llmgate simulate: ${taken} is already in use (another llmgate or Ollama?); choose another with --listen\n`,
    );
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
  });

  test.each([
    [["serve", "--port", "8080"], /use --listen 127\.0\.0\.1:8080/],
    [["serve", "--host", "0.0.0.0"], /use --listen 0\.0\.0\.0:18789/],
    [["simulate", "--port", "9999"], /use --listen 127\.0\.0\.1:9999/],
    [["serve", "--upsteam", "http://x"], /unknown option '--upsteam'\s+\(Did you mean --upstream\?\)/],
    [["serve", "--first_byte_timeout", "1m"], /Did you mean --first-byte-timeout\?/],
    [["serve", "--listen"], /argument missing/],
    [
      ["serve", "--log-format", "fancy"],
      /log-format \(from --log-format\): expected one of auto, json, pretty/,
    ],
    [["bogus"], /unknown command 'bogus'/],
    [[], /Usage: llmgate/],
  ])("usage errors exit 2 with a message to act on: %j", async (args, message) => {
    const p = start(args);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toMatch(message);
  });

  test("a mistyped key in the config file is named with its line and the key meant, exit 2", async () => {
    const dir = mkdtempSync(join(tmpdir(), "llmgate-cli-"));
    const file = join(dir, "llmgate.yaml");
    writeFileSync(file, "listen: 127.0.0.1:0\nupsteam: http://127.0.0.1:9\n");
    const p = start(["serve", "--config", file]);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toBe(`config error: ${file}:2:1: unknown key "upsteam"; did you mean "upstream"?\n`);
  });

  test("SIGTERM: in-flight streams finish, new requests get 503, exit 0", async () => {
    const sim = await startSimulator({ host: "127.0.0.1", port: 0, decodeTps: 100, loadMs: 0, jitter: 0 });
    try {
      const p = start(["serve", "--listen", "127.0.0.1:0", "--upstream", sim.url, "--shutdown-grace", "20s"]);
      const url = await gatewayUrl(p);
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        body: chatBody("story [sim:tokens=60]", true),
      });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let text = decoder.decode((await reader.read()).value);
      p.child.kill("SIGTERM");
      await p.waitForLog((l) => typeof l.msg === "string" && l.msg.startsWith("shutting down"));
      const refused = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        body: chatBody("hi", false),
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("5");
      expect(await refused.json()).toMatchObject({ error: { code: "shutting_down" } });
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
      expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
      expect(await p.exited).toBe(0);
      const stopped = await p.waitForLog((l) => l.msg === "stopped");
      expect(stopped).toMatchObject({ finished: 1, cancelled: 0 });
    } finally {
      await sim.close();
    }
  });

  test("SIGTERM: streams still running after the grace period end with an error frame", async () => {
    const sim = await startSimulator({ host: "127.0.0.1", port: 0, decodeTps: 20, loadMs: 0, jitter: 0 });
    try {
      const p = start([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--upstream",
        sim.url,
        "--shutdown-grace",
        "300ms",
      ]);
      const url = await gatewayUrl(p);
      const res = await fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        body: chatBody("story [sim:tokens=500]", true),
      });
      const reader = res.body!.getReader();
      await reader.read();
      p.child.kill("SIGTERM");
      const text = await new Response(
        new ReadableStream({
          async pull(controller) {
            const { value, done } = await reader.read();
            if (done) controller.close();
            else controller.enqueue(value);
          },
        }),
      ).text();
      expect(text).not.toContain("[DONE]");
      expect(text).toContain('"code":"shutting_down"');
      expect(await p.exited).toBe(0);
      const stopped = await p.waitForLog((l) => l.msg === "stopped");
      expect(stopped).toMatchObject({ finished: 0, cancelled: 1 });
      await expect.poll(() => sim.stats().active).toBe(0);
    } finally {
      await sim.close();
    }
  });
});

describe("llmgate simulate", () => {
  test("serves the models it is given, and refuses a bad flag naming it", async () => {
    const p = start([
      "simulate",
      "--listen",
      "127.0.0.1:0",
      "--model",
      "qwen3:32b",
      "--model",
      "llama3.2",
      "--load-ms",
      "0",
    ]);
    const line = await p.waitForLog(
      (l) => typeof l.msg === "string" && l.msg.startsWith("simulator listening"),
    );
    const tags = (await (await fetch(`${line.url as string}/api/tags`)).json()) as {
      models: { name: string }[];
    };
    expect(tags.models.map((m) => m.name).sort()).toEqual(["llama3.2:latest", "qwen3:32b"]);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
    const bad = start(["simulate", "--fail-rate", "2"]);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain("--fail-rate");
  });
});
