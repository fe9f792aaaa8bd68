import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError } from "./load.js";
import { loadServeConfig } from "./serve-config.js";

function yamlFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "llmgate-config-"));
  const path = join(dir, "llmgate.yaml");
  writeFileSync(path, text);
  return path;
}

describe("loadServeConfig", () => {
  test("defaults follow the seed: loopback 18789, Ollama on 11434", () => {
    const c = loadServeConfig({ env: {} });
    expect(c.listen).toEqual({ host: "127.0.0.1", port: 18789 });
    expect(c.upstream).toBe("http://127.0.0.1:11434");
    expect(c.bodyLimitBytes).toBe(32 * 1024 * 1024);
    expect(c.firstByteTimeoutMs).toBe(600_000);
    expect(c.demo).toBe(false);
  });

  test("precedence is flags > env > file > defaults", () => {
    const file = yamlFile(
      "listen: 0.0.0.0:1000\nupstream: http://file:1\nidle-timeout: 1m\nbody-limit: 1MiB\n",
    );
    const c = loadServeConfig({
      file,
      env: { LLMGATE_UPSTREAM: "http://env:2/", LLMGATE_IDLE_TIMEOUT: "90s" },
      flags: { "idle-timeout": "5s", listen: undefined },
    });
    expect(c.listen).toEqual({ host: "0.0.0.0", port: 1000 });
    expect(c.upstream).toBe("http://env:2");
    expect(c.idleTimeoutMs).toBe(5000);
    expect(c.bodyLimitBytes).toBe(1024 * 1024);
  });

  test("LLMGATE_CONFIG names the file", () => {
    const file = yamlFile("demo: true\n");
    expect(loadServeConfig({ env: { LLMGATE_CONFIG: file } }).demo).toBe(true);
  });

  test.each([
    [{ flags: { listen: "nope" } }, /listen \(from --listen\): expected HOST:PORT/],
    [
      { env: { LLMGATE_FIRST_BYTE_TIMEOUT: "ten" } },
      /first-byte-timeout \(from LLMGATE_FIRST_BYTE_TIMEOUT\): expected a duration/,
    ],
    [
      { env: { LLMGATE_UPSTREAM: "ftp://x" } },
      /upstream \(from LLMGATE_UPSTREAM\): expected an http\(s\) URL/,
    ],
    [{ env: { LLMGATE_UPSTREAM_CONNECTIONS: "0" } }, /upstream-connections .*integer >= 1/],
    [{ env: { LLMGATE_LOG_LEVEL: "loud" } }, /log-level .*one of fatal/],
    [
      { env: { LLMGATE_BODY_LIMT: "1" } },
      /unknown environment variable LLMGATE_BODY_LIMT; did you mean LLMGATE_BODY_LIMIT\?/,
    ],
    [{ flags: { demo: "maybe" } }, /demo \(from --demo\): expected true or false/],
    [
      { env: { LLMGATE_DEMO_DECODE_TPS: "0" } },
      /demo-decode-tps \(from LLMGATE_DEMO_DECODE_TPS\): expected a number >= 0.001/,
    ],
    [
      { flags: { "demo-jitter": "2" } },
      /demo-jitter \(from --demo-jitter\): expected a number >= 0 and <= 1/,
    ],
    [{ flags: { "demo-parallel": "1.5" } }, /demo-parallel .*an integer >= 1/],
    [{ flags: { "demo-model": ["qwen3:32b", "no good"] } }, /demo-model .*"no good" is not a model name/],
    [
      { flags: { demo: "true" }, env: { LLMGATE_DEMO_MODEL: "" } },
      /demo-model: the demo upstream needs at least one model/,
    ],
  ])("a bad value names the key and its source: %j", (sources, message) => {
    expect(() => loadServeConfig(sources)).toThrow(ConfigError);
    expect(() => loadServeConfig(sources)).toThrow(message);
  });

  test("the demo upstream offers a chat and an embedding model at realistic speed unless told otherwise", () => {
    expect(loadServeConfig({ env: {} }).demoSimulator).toEqual({
      models: ["qwen3:32b", "nomic-embed-text"],
      decodeTps: 25,
      prefillTps: 800,
      loadMs: 3000,
      parallel: 4,
      jitter: 0.2,
    });
    const c = loadServeConfig({
      file: yamlFile("demo-model: [llama3.2]\ndemo-load-ms: 0\n"),
      env: { LLMGATE_DEMO_DECODE_TPS: "1000", LLMGATE_DEMO_MODEL: "qwen3:8b;all-minilm" },
      flags: { "demo-jitter": "0", "demo-model": undefined },
    });
    expect(c.demoSimulator).toEqual({
      models: ["qwen3:8b", "all-minilm"],
      decodeTps: 1000,
      prefillTps: 800,
      loadMs: 0,
      parallel: 4,
      jitter: 0,
    });
  });

  test("an unknown file key and unreadable files are named", () => {
    const file = yamlFile("listn: 1.2.3.4:5\n");
    expect(() => loadServeConfig({ file, env: {} })).toThrow(
      /llmgate.yaml:1:1: unknown key "listn"; did you mean "listen"\?/,
    );
    expect(() => loadServeConfig({ file: "/nonexistent/x.yaml", env: {} })).toThrow(
      /cannot read config file/,
    );
    expect(() => loadServeConfig({ file: yamlFile("- a\n- b\n"), env: {} })).toThrow(
      /must be a YAML mapping/,
    );
  });

  test("file values may use YAML types", () => {
    const c = loadServeConfig({ file: yamlFile("idle-timeout: 30\nbody-limit: 2048\ndemo: yes\n"), env: {} });
    expect(c.idleTimeoutMs).toBe(30_000);
    expect(c.bodyLimitBytes).toBe(2048);
  });

  test("file keys may use _ for -, but not set a key twice", () => {
    const c = loadServeConfig({ file: yamlFile("first_byte_timeout: 15m\nmax_queue: 7\n"), env: {} });
    expect(c.firstByteTimeoutMs).toBe(900_000);
    expect(c.maxQueue).toBe(7);
    expect(() => loadServeConfig({ file: yamlFile("max-queue: 1\nmax_queue: 2\n"), env: {} })).toThrow(
      /llmgate.yaml:2:1: "max_queue" sets max-queue again \(first set at .*llmgate.yaml:1:1\)/,
    );
  });

  test.each([
    ["upsteam: http://x:1\n", /llmgate.yaml:1:1: unknown key "upsteam"; did you mean "upstream"\?/],
    [
      "listen: 1\nfirst_byte_timout: 1m\n",
      /:2:1: unknown key "first_byte_timout"; did you mean "first-byte-timeout"\?/,
    ],
    ["port: 8080\n", /:1:1: unknown key "port"; known keys: listen, upstream/],
    [
      "listen: 1\nupstream: [http://x\nmax-queue: 1\n",
      /llmgate.yaml:3:1: not valid YAML: .*\n {2}max-queue: 1\n {2}\^/,
    ],
    ["listen: 1\nlisten: 2\n", /llmgate.yaml:2:1: not valid YAML: Map keys must be unique/],
    ["demo: true\nidle-timeout:   soon\n", /idle-timeout \(from .*llmgate.yaml:2:17\): expected a duration/],
    ["\n\n- a\n", /llmgate.yaml:3:1: must be a YAML mapping/],
  ])("file problems point at the line and column: %j", (text, message) => {
    expect(() => loadServeConfig({ file: yamlFile(text), env: {} })).toThrow(message);
  });
});
