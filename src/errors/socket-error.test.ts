import { describe, expect, test } from "vitest";
import { describeConnectError } from "./socket-error.js";

function sys(code: string, message: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { code, ...extra });
}

describe("describeConnectError", () => {
  test.each([
    {
      name: "refused",
      err: sys("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:1", { address: "127.0.0.1", port: 1 }),
      want: "connection refused to 127.0.0.1:1",
    },
    {
      name: "refused, wrapped in a cause",
      err: Object.assign(new Error("fetch failed"), {
        cause: sys("ECONNREFUSED", "connect ECONNREFUSED ::1:11434", { address: "::1", port: 11434 }),
      }),
      want: "connection refused to [::1]:11434",
    },
    {
      name: "refused on every address tried (AggregateError)",
      err: Object.assign(
        new AggregateError([
          sys("ECONNREFUSED", "connect ECONNREFUSED ::1:11434", { address: "::1", port: 11434 }),
          sys("ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:11434", { address: "127.0.0.1", port: 11434 }),
        ]),
        { code: "ECONNREFUSED" },
      ),
      want: "connection refused to [::1]:11434",
    },
    {
      name: "unknown host",
      err: sys("ENOTFOUND", "getaddrinfo ENOTFOUND gpu-box", { hostname: "gpu-box" }),
      want: "host not found: gpu-box",
    },
    {
      name: "connect timeout from undici, no address",
      err: sys("UND_ERR_CONNECT_TIMEOUT", "Connect Timeout Error"),
      want: "connection timed out",
    },
    {
      name: "unreachable host",
      err: sys("EHOSTUNREACH", "connect EHOSTUNREACH 10.0.0.9:11434", { address: "10.0.0.9", port: 11434 }),
      want: "host unreachable to 10.0.0.9:11434",
    },
    {
      name: "an unknown code is said once",
      err: sys("EWEIRD", "something odd"),
      want: "something odd (EWEIRD)",
    },
    {
      name: "an unknown code already in the message",
      err: sys("EWEIRD", "connect EWEIRD 1.2.3.4:5"),
      want: "connect EWEIRD 1.2.3.4:5",
    },
    { name: "not an error", err: "boom", want: "boom" },
  ])("$name", ({ err, want }) => {
    expect(describeConnectError(err)).toBe(want);
  });
});
