// Simulator options: defaults and validation messages that name the option.

import { describe, expect, test } from "vitest";
import { defaultSimulatorOptions, resolveSimulatorOptions, SimulatorOptionsError } from "./options.js";

describe("resolveSimulatorOptions", () => {
  test("fills in the documented defaults", () => {
    expect(resolveSimulatorOptions()).toEqual(defaultSimulatorOptions);
    expect(defaultSimulatorOptions).toMatchObject({
      host: "127.0.0.1",
      port: 11434,
      models: ["qwen3:32b"],
      decodeTps: 25,
      prefillTps: 800,
      loadMs: 3000,
      parallel: 4,
      maxQueue: 512,
      jitter: 0.2,
      seed: 42,
      version: "0.12.3",
      keepAlive: "5m",
    });
  });

  test("undefined fields mean the default", () => {
    expect(resolveSimulatorOptions({ port: undefined, parallel: 2 })).toMatchObject({
      port: 11434,
      parallel: 2,
    });
  });

  test.each([
    [{ failRate: -0.1 }, "failRate", "must be between 0 and 1"],
    [{ midstreamFailRate: 1.5 }, "midstreamFailRate", "must be between 0 and 1"],
    [{ hangRate: 2 }, "hangRate", "must be between 0 and 1"],
    [{ jitter: -1 }, "jitter", "must be between 0 and 1"],
    [{ parallel: 0 }, "parallel", "must be at least 1"],
    [{ parallel: 1.5 }, "parallel", "must be an integer"],
    [{ maxQueue: -1 }, "maxQueue", "must be at least 0"],
    [{ decodeTps: 0 }, "decodeTps", "must be greater than 0"],
    [{ prefillTps: -5 }, "prefillTps", "must be greater than 0"],
    [{ loadMs: -1 }, "loadMs", "must not be negative"],
    [{ port: 70000 }, "port", "must be at most 65535"],
    [{ models: [] }, "models", "must name at least one model"],
    [{ models: ["bad name"] }, "models", "must contain valid model names"],
    [{ keepAlive: "300" }, "keepAlive", "must be a Go duration"],
    [{ bogus: 1 } as never, "bogus", "unknown option"],
  ])("%j is rejected naming %s", (input, option, message) => {
    let error: unknown;
    try {
      resolveSimulatorOptions(input);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SimulatorOptionsError);
    expect((error as SimulatorOptionsError).option).toBe(option);
    expect((error as SimulatorOptionsError).message).toContain(option);
    expect((error as SimulatorOptionsError).message).toContain(message);
  });
});
