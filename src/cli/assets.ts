// `llmgate assets`: writes the monitoring kit (Prometheus, rules and their tests, Alertmanager, Grafana, systemd) to a directory.

import { mkdir, readdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { Command, Option } from "commander";
import { parseDurationMs, parseSizeBytes } from "../config/units.js";
import { ALERT_NAMES } from "../tools/kit/alert-rules.js";
import {
  ALERT_KEYS,
  type AlertKey,
  DEFAULT_KIT_OPTIONS,
  KitOptionError,
  type KitOptionsInput,
  promDuration,
  resolveKitOptions,
} from "../tools/kit/options.js";
import { EXIT, exitTwoOnUsageErrors } from "./exit-codes.js";

const d = DEFAULT_KIT_OPTIONS;
const t = d.thresholds;

interface RawOptions {
  out: string;
  force?: boolean;
  metricsPrefix: string;
  target: string[];
  job: string;
  label: string[];
  scrapeInterval: string;
  rateWindow: string;
  alertmanager: string[];
  webhookUrl: string;
  prometheusUrl: string;
  runbookBaseUrl?: string;
  runbookUrl?: string;
  errorRatio: string;
  p95Latency: string;
  ttftP95: string;
  streamFailureRatio: string;
  shedRatio: string;
  modelLoads: string;
  modelLoadsWindow: string;
  memoryBytes: string;
  minRequests: string;
  for: string[];
}

export function assetsCommand(): Command {
  const cmd = new Command("assets")
    .summary("Write the monitoring kit: Prometheus, alerts, Alertmanager, Grafana, systemd.")
    .description(
      "Write the monitoring kit for the gateway to DIR: prometheus.yml, recording and alerting rules with their " +
        "promtool unit tests, alertmanager.yml (webhook, DingTalk and WeCom examples), the Grafana dashboard and " +
        "its provisioning files, a hardened systemd unit, a README and RUNBOOKS.md. Alerts link to the runbooks the gateway serves at /runbooks/.",
    )
    .requiredOption("--out <DIR>", "directory to write the kit to; must be empty or absent unless --force")
    .option("--force", "write into a non-empty DIR, replacing the kit's files (other files are left alone)")
    .option("--metrics-prefix <P>", "metric prefix the gateway runs with", d.prefix)
    .addOption(repeatable("--target <HOST:PORT>", "gateway to scrape; repeatable", d.targets.join(", ")))
    .option("--job <NAME>", "Prometheus job name of the gateway", d.job)
    .addOption(
      repeatable("--label <KEY=VALUE>", "label for every scraped series; repeatable", labelText(d.labels)),
    )
    .option(
      "--scrape-interval <DURATION>",
      "scrape and rule evaluation interval",
      promDuration(d.scrapeIntervalSeconds),
    )
    .option(
      "--rate-window <DURATION>",
      "window of every rate() in the rules; at least 4 scrape intervals",
      promDuration(d.rateWindowSeconds),
    )
    .addOption(
      repeatable(
        "--alertmanager <HOST:PORT>",
        "Alertmanager to notify; repeatable",
        d.alertmanagers.join(", "),
      ),
    )
    .option(
      "--webhook-url <URL>",
      "where Alertmanager sends notifications (e.g. a DingTalk or WeCom bridge)",
      d.webhookUrl,
    )
    .option("--prometheus-url <URL>", "Prometheus as Grafana reaches it", d.prometheusUrl)
    .addOption(
      new Option(
        "--runbook-base-url <URL>",
        "where alerts link to their runbooks: URL/<AlertName>, or URL<alertname> when URL ends with #",
      ).default(undefined, "http://<first --target>/runbooks/, served by the gateway"),
    )
    // Before --runbook-base-url: one page, to which #<alertname> was appended. Kept so scripts keep working.
    .addOption(new Option("--runbook-url <URL>").hideHelp())
    .option("--error-ratio <R>", "alert: share of 5xx answers", String(t.errorRatio))
    .option("--p95-latency <DURATION>", "alert: P95 request duration", promDuration(t.p95LatencySeconds))
    .option(
      "--ttft-p95 <DURATION>",
      "alert: P95 time to first token, per model",
      promDuration(t.ttftP95Seconds),
    )
    .option(
      "--stream-failure-ratio <R>",
      "alert: share of streams failing after HTTP 200",
      String(t.streamFailureRatio),
    )
    .option("--shed-ratio <R>", "alert: share of requests shed by the admission queue", String(t.shedRatio))
    .option(
      "--model-loads <N>",
      "alert when one model is loaded more than N times per --model-loads-window",
      String(t.modelLoads),
    )
    .option(
      "--model-loads-window <DURATION>",
      "window for --model-loads",
      promDuration(d.modelLoadsWindowSeconds),
    )
    .option("--memory-bytes <SIZE>", "alert: resident memory of the gateway process", "1GiB")
    .option(
      "--min-requests <N>",
      "ratio and latency alerts stay silent below this many requests per rate window",
      String(t.minRequests),
    )
    .addOption(
      repeatable(
        "--for <ALERT=DURATION>",
        `how long a condition must hold before the alert fires; repeatable; ALERT is one of ${ALERT_KEYS.join(", ")}, or all`,
        "per alert, see the alert table in the kit's README.md",
      ),
    );
  cmd.addHelpText(
    "after",
    "\nExamples:\n" +
      "  llmgate assets --out ./kit\n" +
      "  llmgate assets --out /tmp/kit --target 10.0.0.5:18789 --webhook-url http://127.0.0.1:8060/dingtalk/ops/send\n" +
      "  llmgate assets --out ./kit --metrics-prefix clawdbot_qwen3_gateway --p95-latency 60s --for latency=15m",
  );
  cmd.action(async (raw: RawOptions) => {
    const out = cmd.configureOutput();
    const write = (text: string) => (out.writeOut ? out.writeOut(text) : process.stdout.write(text));
    let options: ReturnType<typeof resolveKitOptions>;
    try {
      options = resolveKitOptions(toInput(raw));
    } catch (err) {
      if (err instanceof KitOptionError)
        cmd.error(`assets: ${err.message}`, { exitCode: EXIT.usage, code: "llmgate.assets" });
      throw err;
    }
    const dir = resolve(raw.out);
    const existing = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === "ENOENT") return [] as string[];
      throw err;
    });
    if (existing.length > 0 && !raw.force) {
      cmd.error(`assets: ${dir} is not empty; use --force to write the kit's files into it`, {
        exitCode: EXIT.usage,
        code: "llmgate.assets",
      });
    }
    // Loaded on use: the kit pulls in the Grafana SDK, which `serve` has no need for.
    const { generateKit } = await import("../tools/kit/kit.js");
    const files = generateKit(options);
    for (const file of files) {
      const path = join(dir, file.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, file.content);
      write(`wrote ${join(raw.out, file.path)} (${Buffer.byteLength(file.content)} bytes)\n`);
    }
    write(
      `\n${files.length} files for metric prefix ${options.prefix}_, job ${options.job}, targets ${options.targets.join(", ")}.\n` +
        `Check them: promtool check config ${join(raw.out, "prometheus/prometheus.yml")} && ` +
        `promtool test rules ${join(raw.out, "prometheus/tests/llmgate.test.yml")}\n` +
        `Next steps: ${join(raw.out, "README.md")}; runbooks: ${options.runbookBaseUrl}\n`,
    );
    if (
      raw.runbookBaseUrl === undefined &&
      raw.runbookUrl === undefined &&
      isLoopbackUrl(options.runbookBaseUrl)
    )
      write(
        `Note: the alerts' runbook links use ${options.runbookBaseUrl}, which opens only on this machine; for ` +
          "alerts read elsewhere (DingTalk, WeCom, a phone), give --runbook-base-url an address their readers reach.\n",
      );
  });
  return exitTwoOnUsageErrors(cmd);
}

/** Flag strings to typed options; a value that does not parse is passed on as NaN, which validation names. */
function toInput(raw: RawOptions): KitOptionsInput {
  const seconds = (value: string) => {
    const ms = parseDurationMs(value);
    return ms === undefined ? Number.NaN : ms / 1000;
  };
  const number = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));
  const forSeconds: Partial<Record<AlertKey, number>> = {};
  for (const entry of raw.for) {
    const [key = "", value = ""] = entry.split("=", 2);
    if (key === "all") {
      for (const k of ALERT_KEYS) forSeconds[k] = seconds(value);
    } else if ((ALERT_KEYS as readonly string[]).includes(key)) {
      forSeconds[key as AlertKey] = seconds(value);
    } else {
      const byName = Object.entries(ALERT_NAMES).find(([, name]) => name === key)?.[0] as
        | AlertKey
        | undefined;
      if (!byName)
        throw new KitOptionError(
          "--for",
          `unknown alert ${JSON.stringify(key)}; one of ${ALERT_KEYS.join(", ")}, all`,
        );
      forSeconds[byName] = seconds(value);
    }
  }
  const labels: Record<string, string> = {};
  for (const entry of raw.label) {
    const eq = entry.indexOf("=");
    if (eq <= 0) throw new KitOptionError("--label", `expected KEY=VALUE, got ${JSON.stringify(entry)}`);
    labels[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  const memory = parseSizeBytes(raw.memoryBytes);
  return {
    prefix: raw.metricsPrefix,
    job: raw.job,
    targets: raw.target.length > 0 ? raw.target : undefined,
    labels: raw.label.length > 0 ? labels : undefined,
    scrapeIntervalSeconds: seconds(raw.scrapeInterval),
    rateWindowSeconds: seconds(raw.rateWindow),
    modelLoadsWindowSeconds: seconds(raw.modelLoadsWindow),
    alertmanagers: raw.alertmanager.length > 0 ? raw.alertmanager : undefined,
    webhookUrl: raw.webhookUrl,
    prometheusUrl: raw.prometheusUrl,
    runbookBaseUrl: raw.runbookBaseUrl ?? (raw.runbookUrl === undefined ? undefined : `${raw.runbookUrl}#`),
    thresholds: {
      errorRatio: number(raw.errorRatio),
      p95LatencySeconds: seconds(raw.p95Latency),
      ttftP95Seconds: seconds(raw.ttftP95),
      streamFailureRatio: number(raw.streamFailureRatio),
      shedRatio: number(raw.shedRatio),
      modelLoads: number(raw.modelLoads),
      memoryBytes: memory ?? Number.NaN,
      minRequests: number(raw.minRequests),
    },
    forSeconds,
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A flag that may be given several times; `defaultText` says what applies when it is not given at all. */
function repeatable(flags: string, description: string, defaultText: string): Option {
  return new Option(flags, description).argParser(collect).default([], defaultText);
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

/** A URL whose host is this machine only (127.0.0.0/8, ::1, localhost). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
