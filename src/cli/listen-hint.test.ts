import { describe, expect, test } from "vitest";
import { listenHint } from "./listen-hint.js";

const fallback = { host: "127.0.0.1", port: 18789 };

describe("listenHint", () => {
  test.each([
    [{}, undefined],
    [
      { port: "8080" },
      "unknown option --port: the address is one option, --listen HOST:PORT; use --listen 127.0.0.1:8080",
    ],
    [
      { host: "0.0.0.0" },
      "unknown option --host: the address is one option, --listen HOST:PORT; use --listen 0.0.0.0:18789",
    ],
    [
      { host: "0.0.0.0", port: "80" },
      "unknown option --host and --port: the address is one option, --listen HOST:PORT; use --listen 0.0.0.0:80",
    ],
    [
      { host: "::1", port: "9000" },
      "unknown option --host and --port: the address is one option, --listen HOST:PORT; use --listen [::1]:9000",
    ],
  ])("%j", (given, want) => {
    expect(listenHint(given, fallback)).toBe(want);
  });
});
