// The generated kit against the real tools: promtool check config / check rules / test rules, amtool
// check-config, and systemd-analyze verify, for the defaults and for kits with other prefixes and thresholds.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { stringify } from "yaml";
import { alertmanagerConfig, bridgeReceivers } from "../../src/tools/kit/alertmanager-config.js";
import { generateKit, KIT_PATHS } from "../../src/tools/kit/kit.js";
import { ALERT_KEYS, type KitOptionsInput, resolveKitOptions } from "../../src/tools/kit/options.js";

const PROMTOOL = "/usr/bin/promtool";
const AMTOOL = "/usr/bin/amtool";
const SYSTEMD_ANALYZE = "/usr/bin/systemd-analyze";

interface Result {
  code: number | null;
  output: string;
}

/** Runs a program with a deadline; stdout and stderr interleaved. */
function run(command: string, args: string[], cwd: string, timeoutMs = 20_000): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      output += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      output += s;
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`${command} ${args.join(" ")} did not finish within ${timeoutMs} ms: ${output}`));
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${command} (run scripts/test-setup.sh): ${err.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function writeKit(input: KitOptionsInput, files?: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "llmgate-kit-"));
  dirs.push(dir);
  const content =
    files ?? Object.fromEntries(generateKit(resolveKitOptions(input)).map((f) => [f.path, f.content]));
  for (const [path, text] of Object.entries(content)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

const KITS: [string, KitOptionsInput][] = [
  ["defaults", {}],
  [
    "the seed's prefix and job, 30s scrapes, no traffic guard, other thresholds",
    {
      prefix: "clawdbot_qwen3_gateway",
      job: "qwen3-gateway",
      labels: { instance: "qwen3-32b-web-gateway", environment: "production" },
      scrapeIntervalSeconds: 30,
      rateWindowSeconds: 120,
      modelLoadsWindowSeconds: 1800,
      thresholds: {
        errorRatio: 0.02,
        p95LatencySeconds: 3,
        ttftP95Seconds: 0.75,
        streamFailureRatio: 0.1,
        shedRatio: 0.001,
        modelLoads: 5,
        memoryBytes: 512 * 1024 ** 2,
        minRequests: 0,
      },
      forSeconds: { "error-ratio": 180, latency: 120, "model-reloading": 0 },
    },
  ],
  [
    "1s scrapes and 2s for: (the end-to-end test's kit)",
    {
      prefix: "e2e",
      scrapeIntervalSeconds: 1,
      rateWindowSeconds: 20,
      modelLoadsWindowSeconds: 30,
      thresholds: {
        p95LatencySeconds: 0.001,
        ttftP95Seconds: 0.001,
        memoryBytes: 1,
        minRequests: 1,
        modelLoads: 0,
      },
      forSeconds: Object.fromEntries(ALERT_KEYS.map((k) => [k, 2])),
    },
  ],
];

describe.each(KITS)("kit: %s", (_, input) => {
  test("promtool check config (which checks the rule files too) and check rules pass", async () => {
    const dir = await writeKit(input);
    const config = await run(PROMTOOL, ["check", "config", KIT_PATHS.prometheus], dir);
    expect(config.output).toContain("SUCCESS: 2 rule files found");
    expect(config.code, config.output).toBe(0);
    const rules = await run(
      PROMTOOL,
      ["check", "rules", KIT_PATHS.recordingRules, KIT_PATHS.alertRules],
      dir,
    );
    expect(rules.output).toMatch(
      /SUCCESS: 10 rules found[\s\S]*SUCCESS: 11 rules found|SUCCESS: 11 rules found[\s\S]*SUCCESS: 10 rules found/,
    );
    expect(rules.code, rules.output).toBe(0);
  });

  test("promtool test rules passes: every alert fires when it should and stays silent otherwise", async () => {
    const dir = await writeKit(input);
    // From another working directory: the test file finds the rules relative to itself.
    const result = await run(PROMTOOL, ["test", "rules", join(dir, KIT_PATHS.ruleTests)], tmpdir());
    expect(result.output).toContain("SUCCESS");
    expect(result.code, result.output).toBe(0);
  });

  test("amtool check-config passes", async () => {
    const dir = await writeKit(input);
    const result = await run(AMTOOL, ["check-config", KIT_PATHS.alertmanager], dir);
    expect(result.output).toContain("SUCCESS");
    expect(result.code, result.output).toBe(0);
  });
});

test("the rule tests fail on rules generated with other thresholds (they test something)", async () => {
  const rules = generateKit(resolveKitOptions({ thresholds: { errorRatio: 0.5, modelLoads: 10 } }));
  const tests = generateKit(resolveKitOptions());
  const files = Object.fromEntries([
    ...rules.filter((f) => f.path.includes("/rules/")).map((f) => [f.path, f.content] as const),
    ...tests.filter((f) => f.path === KIT_PATHS.ruleTests).map((f) => [f.path, f.content] as const),
  ]);
  const dir = await writeKit({}, files);
  const result = await run(PROMTOOL, ["test", "rules", KIT_PATHS.ruleTests], dir);
  expect(result.code).toBe(1);
  expect(result.output).toContain("LlmgateHighErrorRatio");
  expect(result.output).toContain("LlmgateModelReloading");
});

test("the commented DingTalk and WeCom receivers pass amtool check-config once enabled", async () => {
  const o = resolveKitOptions();
  const config = alertmanagerConfig(o) as { receivers: object[] };
  const enabled = stringify({ ...config, receivers: [...config.receivers, ...bridgeReceivers()] });
  const dir = await writeKit({}, { "alertmanager.yml": enabled });
  const result = await run(AMTOOL, ["check-config", "alertmanager.yml"], dir);
  expect(result.output).toContain("4 receivers");
  expect(result.code, result.output).toBe(0);
});

describe("systemd unit", () => {
  const available = existsSync(SYSTEMD_ANALYZE);
  // Not installed on minimal images and containers; installing systemd for one check is not worth it.
  test.skipIf(!available)("systemd-analyze verify finds nothing to report", async () => {
    // ExecStart must name an executable that exists here: this Node.js, and the built CLI of this checkout.
    const o = resolveKitOptions({
      nodePath: process.execPath,
      installDir: join(import.meta.dirname, "../.."),
    });
    const unit = generateKit(o).find((f) => f.path === KIT_PATHS.systemd);
    const dir = await writeKit({}, { "llmgate.service": unit?.content ?? "" });
    const result = await run(SYSTEMD_ANALYZE, ["verify", join(dir, "llmgate.service")], dir);
    // verify exits 0 even for unknown keys and bad values; it reports them on stderr, so any output fails.
    expect(result.output).toBe("");
    expect(result.code).toBe(0);
  });

  test.skipIf(!available)(
    "systemd-analyze verify reports a broken directive (the check above can fail)",
    async () => {
      const dir = await writeKit(
        {},
        { "broken.service": "[Service]\nExecStart=/bin/true\nProtectSystem=nonsense\n" },
      );
      const result = await run(SYSTEMD_ANALYZE, ["verify", join(dir, "broken.service")], dir);
      expect(result.output).toMatch(/broken\.service:3: .*nonsense/);
    },
  );
});
