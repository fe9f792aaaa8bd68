// `llmgate assets` as a user runs it (in-process): what it writes and prints, flags reaching the kit, refusals.

import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CommanderError } from "commander";
import { afterAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { assetsCommand } from "../src/cli/assets.js";
import { KIT_PATHS } from "../src/tools/kit/kit.js";

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "llmgate-assets-cli-"));
  dirs.push(dir);
  return dir;
}

/** Runs `llmgate assets ARGS`; resolves with its output and exit code (0 when the action finished). */
async function assets(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const cmd = assetsCommand()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        out += s;
      },
      writeErr: (s) => {
        err += s;
      },
    });
  try {
    await cmd.parseAsync(args, { from: "user" });
    return { code: 0, out, err };
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode, out, err };
    throw e;
  }
}

describe("llmgate assets", () => {
  test("writes the kit into a new directory and prints every file", async () => {
    const out = join(await tempDir(), "kit");
    const result = await assets(["--out", out]);
    expect(result.code).toBe(0);
    for (const path of Object.values(KIT_PATHS)) expect(result.out).toContain(`wrote ${join(out, path)} (`);
    expect(result.out).toContain(
      "11 files for metric prefix llmgate_, job llmgate, targets 127.0.0.1:18789.",
    );
    expect(result.out).toContain("runbooks: http://127.0.0.1:18789/runbooks/\n");
    // A loopback default opens only on this machine, which is said, not left for the first alert to show.
    expect(result.out).toContain("which opens only on this machine");
    const written = await readdir(out, { recursive: true });
    expect(written).toContain(KIT_PATHS.dashboard);
  });

  test("runbook links: no loopback note for a reachable base; the older --runbook-url still appends #alertname", async () => {
    const reachable = await assets(["--out", join(await tempDir(), "kit"), "--target", "10.0.0.5:18789"]);
    expect(reachable.code).toBe(0);
    expect(reachable.out).toContain("runbooks: http://10.0.0.5:18789/runbooks/\n");
    expect(reachable.out).not.toContain("opens only on this machine");
    const out = join(await tempDir(), "kit");
    const legacy = await assets(["--out", out, "--runbook-url", "https://wiki.example.com/llmgate"]);
    expect(legacy.code).toBe(0);
    expect(legacy.out).not.toContain("opens only on this machine");
    const rules = await readFile(join(out, KIT_PATHS.alertRules), "utf8");
    expect(rules).toContain("runbook_url: https://wiki.example.com/llmgate#llmgatedown");
  });

  test("flags reach the kit", async () => {
    const out = await tempDir();
    const result = await assets([
      "--out",
      out,
      "--metrics-prefix",
      "clawdbot_qwen3_gateway",
      "--target",
      "10.0.0.5:18789",
      "--target",
      "10.0.0.6:18789",
      "--job",
      "qwen3-gateway",
      "--label",
      "environment=staging",
      "--scrape-interval",
      "30s",
      "--rate-window",
      "2m",
      "--alertmanager",
      "10.0.0.9:9093",
      "--webhook-url",
      "http://127.0.0.1:8080/prometheusalert?type=wx",
      "--p95-latency",
      "45s",
      "--memory-bytes",
      "2GiB",
      "--for",
      "latency=15m",
      "--for",
      "LlmgateUpstreamDown=30s",
      "--runbook-base-url",
      "https://wiki.example.com/ops/llmgate",
    ]);
    expect(result.err).toBe("");
    expect(result.code).toBe(0);
    const prometheus = parse(await readFile(join(out, KIT_PATHS.prometheus), "utf8"));
    expect(prometheus).toMatchObject({
      global: { scrape_interval: "30s" },
      alerting: { alertmanagers: [{ static_configs: [{ targets: ["10.0.0.9:9093"] }] }] },
      scrape_configs: [
        {
          job_name: "qwen3-gateway",
          static_configs: [
            { targets: ["10.0.0.5:18789", "10.0.0.6:18789"], labels: { environment: "staging" } },
          ],
        },
      ],
    });
    const alerts = parse(await readFile(join(out, KIT_PATHS.alertRules), "utf8")) as {
      groups: {
        rules: { alert: string; expr: string; for: string; annotations: { runbook_url: string } }[];
      }[];
    };
    const byName = new Map(alerts.groups[0]?.rules.map((r) => [r.alert, r]));
    expect(byName.get("LlmgateHighLatency")).toMatchObject({ for: "15m" });
    expect(byName.get("LlmgateHighLatency")?.expr).toContain(
      "instance:clawdbot_qwen3_gateway_request_duration_seconds:p95_rate2m > 45",
    );
    expect(byName.get("LlmgateUpstreamDown")).toMatchObject({ for: "30s" });
    expect(byName.get("LlmgateMemoryHigh")?.expr).toContain("> 2147483648");
    expect(byName.get("LlmgateDown")?.annotations.runbook_url).toBe(
      "https://wiki.example.com/ops/llmgate/LlmgateDown",
    );
    const am = await readFile(join(out, KIT_PATHS.alertmanager), "utf8");
    expect(am).toContain("url: http://127.0.0.1:8080/prometheusalert?type=wx");
  });

  test("refuses a non-empty directory unless --force, which leaves other files alone", async () => {
    const out = await tempDir();
    await mkdir(join(out, "mine"));
    await writeFile(join(out, "mine", "notes.txt"), "keep me");
    const refused = await assets(["--out", out]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`assets: ${out} is not empty; use --force`);
    expect(await readdir(out)).toEqual(["mine"]);
    const forced = await assets(["--out", out, "--force"]);
    expect(forced.code).toBe(0);
    expect(await readFile(join(out, "mine", "notes.txt"), "utf8")).toBe("keep me");
    expect(await readFile(join(out, KIT_PATHS.readme), "utf8")).toContain("# llmgate monitoring kit");
  });

  test.each([
    [["--error-ratio", "2"], "assets: --error-ratio: a ratio between 0 and 1"],
    [["--p95-latency", "soon"], "assets: --p95-latency: "],
    [["--for", "nope=1m"], 'assets: --for: unknown alert "nope"'],
    [["--for", "latency=1s"], "assets: --for latency: 0 or at least the evaluation interval (15s)"],
    [["--target", "gateway"], 'assets: --target: expected HOST:PORT, got "gateway"'],
    [["--scrape-interval", "2m"], "assets: --rate-window: at least 8m, got 5m"],
    [["--label", "novalue"], 'assets: --label: expected KEY=VALUE, got "novalue"'],
    [["--memory-bytes", "lots"], "assets: --memory-bytes: a size above 0"],
    [["--runbook-base-url", "docs/monitoring.md"], "assets: --runbook-base-url: expected an http(s) URL"],
  ])("%j is refused with exit code 2, naming the flag, writing nothing", async (args, message) => {
    const out = join(await tempDir(), "kit");
    const result = await assets(["--out", out, ...args]);
    expect(result.err).toContain(message);
    expect(result.code).toBe(2);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  test("--help lists the thresholds and --for keys", async () => {
    const result = await assets(["--help"]);
    expect(result.code).toBe(0);
    for (const flag of [
      "--metrics-prefix",
      "--target",
      "--webhook-url",
      "--ttft-p95",
      "--memory-bytes",
      "upstream-down",
    ])
      expect(result.out).toContain(flag);
  });
});
