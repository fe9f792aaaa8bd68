import { describe, expect, test } from "vitest";
import { listenFailureMessage } from "./start-failure.js";

function listenError(code: string, port: number, syscall = "listen") {
  return Object.assign(new Error(`${syscall} ${code}: 127.0.0.1:${port}`), {
    code,
    syscall,
    address: "127.0.0.1",
    port,
  });
}

const main = { host: "127.0.0.1", port: 18789 };

describe("listenFailureMessage", () => {
  test.each([
    {
      name: "main port in use",
      err: listenError("EADDRINUSE", 18789),
      metricsListen: null,
      want: "llmgate: 127.0.0.1:18789 is already in use (another llmgate or Ollama?); choose another with --listen",
    },
    {
      name: "metrics port in use",
      err: listenError("EADDRINUSE", 9464),
      metricsListen: { host: "0.0.0.0", port: 9464 },
      want: "llmgate: 0.0.0.0:9464 is already in use (another llmgate or Ollama?); choose another with --metrics-listen",
    },
    {
      name: "the same port on another host: the one the error names",
      err: Object.assign(listenError("EADDRINUSE", 18789), { address: "127.0.0.2" }),
      metricsListen: { host: "127.0.0.2", port: 18789 },
      want: "llmgate: 127.0.0.2:18789 is already in use (another llmgate or Ollama?); choose another with --metrics-listen",
    },
    {
      name: "the same port on another host: the main one",
      err: listenError("EADDRINUSE", 18789),
      metricsListen: { host: "127.0.0.2", port: 18789 },
      want: "llmgate: 127.0.0.1:18789 is already in use (another llmgate or Ollama?); choose another with --listen",
    },
    {
      name: "privileged port",
      err: listenError("EACCES", 18789),
      metricsListen: null,
      want: "llmgate: no permission to listen on 127.0.0.1:18789 (ports below 1024 need privileges); choose another with --listen",
    },
    {
      name: "foreign address",
      err: listenError("EADDRNOTAVAIL", 18789),
      metricsListen: null,
      want: "llmgate: 127.0.0.1 is not an address of this machine; choose another with --listen",
    },
    {
      name: "not a listen error",
      err: listenError("ECONNREFUSED", 11434, "connect"),
      metricsListen: null,
      want: undefined,
    },
    { name: "not an error object", err: "boom", metricsListen: null, want: undefined },
  ])("$name", ({ err, metricsListen, want }) => {
    expect(listenFailureMessage(err, { listen: main, metricsListen })).toBe(want);
  });

  test("an IPv6 host is bracketed", () => {
    const err = listenError("EADDRINUSE", 18789);
    expect(
      listenFailureMessage(err, { listen: { host: "::1", port: 18789 }, metricsListen: null }),
    ).toContain("[::1]:18789");
  });
});
