// The generated kit end to end, on loopback: the built CLI's simulator and gateway, a real Prometheus loading the
// kit's prometheus.yml and rules, a real Alertmanager with the kit's alertmanager.yml, and a webhook receiver.
// Every expression of the rules and the dashboard is evaluated after real traffic; then Ollama goes away and
// the upstream-down alert must reach the receiver.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ALERT_NAMES } from "../../src/tools/kit/alert-rules.js";
import { kitExpressions, substituteVariables } from "../../src/tools/kit/expressions.js";
import { buildDashboard } from "../../src/tools/kit/grafana-dashboard.js";
import { generateKit, KIT_PATHS } from "../../src/tools/kit/kit.js";
import { recorded } from "../../src/tools/kit/names.js";
import { ALERT_KEYS, type KitOptions, resolveKitOptions } from "../../src/tools/kit/options.js";
import { type AlertmanagerInstance, startAlertmanager } from "../helpers/alertmanager.js";
import { type CliProcess, runCli } from "../helpers/cli.js";
import { type PrometheusInstance, type PromVector, startPrometheus } from "../helpers/prometheus.js";
import { driveMixedTraffic } from "../helpers/traffic.js";

const PREFIX = "clawdbot_qwen3_gateway";
const JOB = "llmgate-e2e";
const MODEL = "qwen3:32b";
const EMBED = "nomic-embed-text";
/** What $__rate_interval stands for: the kit's rate window (a 1 s scrape makes Grafana's own value 4 s to 20 s). */
const RATE_INTERVAL = "20s";

/**
 * The kit as this test generates it: 1 s scrapes and evaluations, 2 s `for:`, one-second Alertmanager grouping,
 * and thresholds low enough that the traffic below trips the alerts a busy, failing gateway would.
 */
function kitOptions(targets: string[], alertmanagers: string[], webhookUrl: string): KitOptions {
  return resolveKitOptions({
    prefix: PREFIX,
    job: JOB,
    targets,
    alertmanagers,
    webhookUrl,
    scrapeIntervalSeconds: 1,
    rateWindowSeconds: 20,
    modelLoadsWindowSeconds: 30,
    groupWaitSeconds: 1,
    groupIntervalSeconds: 1,
    repeatIntervalSeconds: 60,
    thresholds: {
      errorRatio: 0.01,
      p95LatencySeconds: 0.001,
      ttftP95Seconds: 0.001,
      streamFailureRatio: 0.01,
      shedRatio: 0.01,
      modelLoads: 0,
      memoryBytes: 1,
      minRequests: 1,
    },
    forSeconds: Object.fromEntries(ALERT_KEYS.map((key) => [key, 2])),
  });
}

/** Expressions that must stay empty after healthy-but-failing traffic, and why. */
const EMPTY: Record<string, string> = {
  [ALERT_NAMES["gateway-down"]]: "the gateway is scraped",
  [ALERT_NAMES["target-missing"]]: "the target exists",
  [ALERT_NAMES["queue-saturated"]]: "the admission queue is never non-empty for a whole window",
  [ALERT_NAMES["requests-shed"]]: "nothing is shed",
  [ALERT_NAMES["upstream-down"]]: "Ollama (the simulator) still answers",
};

/** Expressions that may be empty, depending on the gateway's admission settings. */
const MAY_BE_EMPTY: Record<string, string> = {
  "Admission queue wait (P95) A": "no observations when max-concurrency is 0 (NaN)",
  "Admission rejections by reason A": "no rejection series until something is rejected",
};

interface Notification {
  receivedAt: number;
  body: {
    receiver?: string;
    status?: string;
    alerts?: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
  };
}

let sim: CliProcess | undefined;
let gateway: CliProcess | undefined;
let prometheus: PrometheusInstance | undefined;
let alertmanager: AlertmanagerInstance | undefined;
let receiver: Server | undefined;
const notifications: Notification[] = [];
let options: KitOptions;
let gatewayUrl: string;

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${String(last ?? "")})`);
    await sleep(100);
  }
}

function listening(p: CliProcess, prefix: string): Promise<string> {
  return p
    .waitForLog((l) => typeof l.msg === "string" && l.msg.startsWith(prefix), 15_000)
    .then((line) => line.url as string);
}

/** Resolves when the gateway's exposition has this exact line; otherwise throws with the lines it has instead. */
async function gatewayMetric(line: string): Promise<true> {
  const text = await (await fetch(`${gatewayUrl}/metrics`, { headers: { accept: "text/plain" } })).text();
  const lines = text.split("\n");
  if (lines.includes(line)) return true;
  const name = line.slice(0, line.indexOf("{"));
  throw new Error(
    `instead: ${lines.filter((l) => l.startsWith(name) || l.includes("models_loaded ")).join("; ")}`,
  );
}

/** The single value of an instant query, or undefined when it returns nothing. */
async function value(expr: string): Promise<number | undefined> {
  const result = await prom().query(expr);
  return result[0]?.value;
}

function prom(): PrometheusInstance {
  if (!prometheus) throw new Error("prometheus did not start");
  return prometheus;
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      notifications.push({ receivedAt: Date.now(), body: JSON.parse(body) as Notification["body"] });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
  const webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alerts`;

  sim = runCli([
    "simulate",
    "--listen",
    "127.0.0.1:0",
    "--model",
    MODEL,
    "--model",
    EMBED,
    "--decode-tps",
    "500",
    "--prefill-tps",
    "50000",
    "--load-ms",
    "20",
    "--jitter",
    "0",
    "--parallel",
    "8",
  ]);
  // Alertmanager's config does not depend on the addresses that are not known yet.
  const amConfig = generateKit(kitOptions(["127.0.0.1:1"], ["127.0.0.1:1"], webhookUrl)).find(
    (f) => f.path === KIT_PATHS.alertmanager,
  );
  const [simUrl, am] = await Promise.all([
    listening(sim, "simulator listening"),
    startAlertmanager(amConfig?.content ?? ""),
  ]);
  alertmanager = am;
  gateway = runCli([
    "serve",
    "--listen",
    "127.0.0.1:0",
    "--upstream",
    simUrl,
    "--metrics-prefix",
    PREFIX,
    "--poll-interval",
    "500ms",
  ]);
  gatewayUrl = await listening(gateway, "llmgate listening");

  options = kitOptions([new URL(gatewayUrl).host], [am.address], webhookUrl);
  const kit = new Map(generateKit(options).map((f) => [f.path, f.content]));
  expect(kit.get(KIT_PATHS.alertmanager)).toBe(amConfig?.content);
  prometheus = await startPrometheus({
    config: kit.get(KIT_PATHS.prometheus),
    files: {
      "rules/llmgate-recording.yml": kit.get(KIT_PATHS.recordingRules) ?? "",
      "rules/llmgate-alerts.yml": kit.get(KIT_PATHS.alertRules) ?? "",
    },
    extraArgs: ["--enable-feature=exemplar-storage"],
  });
  await prometheus.waitForTargetsUp(20_000);
  // Traffic once Prometheus scrapes, in two bursts: a series' first appearance is invisible to rate() (it has
  // nothing to compare with), its later increments are not. Between the bursts the model is unloaded, so the
  // second burst loads it again and the reload alert has something to count.
  await prometheus.waitForScrapes(2, 15_000);
  const o = options;
  const r = recorded(o);
  const requests = `sum(${PREFIX}_request_duration_seconds_count{job="${JOB}"})`;

  await driveMixedTraffic(gatewayUrl, { chat: MODEL, embed: EMBED });
  // Each step waits for its effect, never a fixed time: the poller (500 ms) must see the model loaded before it
  // is unloaded, and Prometheus must scrape the first burst's new series before the second burst increments them.
  await eventually(
    "the poller to see the load",
    () => gatewayMetric(`${PREFIX}_model_loads_total{model="${MODEL}"} 1`),
    10_000,
  );
  const first = await eventually("Prometheus to scrape the first burst", () => value(requests), 10_000);
  await fetch(`${gatewayUrl}/api/generate`, {
    method: "POST",
    body: JSON.stringify({ model: MODEL, prompt: "", keep_alive: 0 }),
  }).then((res) => res.text());
  await eventually(
    "the poller to see the unload",
    () => gatewayMetric(`${PREFIX}_model_unloads_total{model="${MODEL}"} 1`),
    10_000,
  );

  await driveMixedTraffic(gatewayUrl, { chat: MODEL, embed: EMBED });
  await eventually(
    "the poller to see the reload",
    () => gatewayMetric(`${PREFIX}_model_loads_total{model="${MODEL}"} 2`),
    10_000,
  );
  await eventually(
    "Prometheus to scrape the second burst and the reload",
    async () =>
      ((await value(requests)) ?? 0) > first &&
      (await value(`${PREFIX}_model_loads_total{model="${MODEL}"}`)) === 2
        ? true
        : undefined,
    10_000,
  );
  // The recording rules have run on the second burst (a stream failing after 200 is only visible from it), and
  // the alerting rules once more after them.
  await eventually(
    "the recording rules to see the second burst",
    async () => (((await value(`sum(${r.streamFailureRatio})`)) ?? 0) > 0 ? true : undefined),
    10_000,
  );
  await sleep(1_500);
}, 50_000);

afterAll(async () => {
  for (const p of [sim, gateway])
    if (p && p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGKILL");
  await Promise.allSettled([prometheus?.stop(), alertmanager?.stop()]);
  await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
});

describe("the kit on a real Prometheus and Alertmanager", () => {
  test("every rule and dashboard expression evaluates; those that should have data after the traffic do", async () => {
    const p = prom();
    const values = { job: JOB, instance: ".+", model: ".*", rateInterval: RATE_INTERVAL };
    const expressions = kitExpressions(options);
    const errors: string[] = [];
    const withData: string[] = [];
    const withoutData: string[] = [];
    const time = Date.now() / 1000;
    for (const e of expressions) {
      const expr = substituteVariables(e.expr, values);
      let result: PromVector;
      try {
        result = await p.query(expr, time);
      } catch (err) {
        errors.push(`${e.kind} ${e.name}: ${(err as Error).message}`);
        continue;
      }
      (result.some((s) => Number.isFinite(s.value)) ? withData : withoutData).push(e.name);
    }
    const expectedEmpty = expressions.filter((e) => e.name in EMPTY).map((e) => e.name);
    const optional = new Set(expressions.filter((e) => e.name in MAY_BE_EMPTY).map((e) => e.name));
    const count = (kind: string) => expressions.filter((e) => e.kind === kind).length;
    console.log(
      `evaluated ${expressions.length} expressions on Prometheus (${count("record")} recording rules, ` +
        `${count("alert")} alerts, ${count("panel")} dashboard targets): ${errors.length} errors, ` +
        `${withData.length} with data, ${withoutData.length} empty (${withoutData.join(", ")})`,
    );
    expect(errors).toEqual([]);
    expect(withoutData.filter((name) => !optional.has(name)).sort()).toEqual(expectedEmpty.sort());
    expect(withData.length + withoutData.length).toBe(expressions.length);
  });

  test("Prometheus evaluates every generated rule without error", async () => {
    const data = (await prom().api("rules")) as {
      groups: { name: string; rules: { name: string; health: string; lastError?: string }[] }[];
    };
    const rules = data.groups.flatMap((g) => g.rules);
    expect(rules).toHaveLength(kitExpressions(options).filter((e) => e.kind !== "panel").length);
    expect(
      rules.filter((r) => r.health !== "ok").map((r) => `${r.name}: ${r.health} ${r.lastError ?? ""}`),
    ).toEqual([]);
  });

  test("the dashboard's variable queries list the job, the instance and the models", async () => {
    const dashboard = buildDashboard(options).build() as {
      templating: { list: { name: string; query?: unknown }[] };
    };
    const found: Record<string, unknown> = {};
    for (const variable of dashboard.templating.list) {
      const match = /^label_values\((.+), (\w+)\)$/.exec(String(variable.query ?? ""));
      if (!match) continue;
      const selector = substituteVariables(match[1] ?? "", {
        job: JOB,
        instance: ".+",
        model: ".*",
        rateInterval: "",
      });
      found[variable.name] = await prom().api(`label/${match[2]}/values`, { "match[]": selector });
    }
    expect(found).toEqual({
      job: [JOB],
      instance: [new URL(gatewayUrl).host],
      // Canonical names, as Ollama lists them.
      model: expect.arrayContaining([MODEL, `${EMBED}:latest`]),
    });
  });

  test("the latency and time-to-first-token panels find exemplars carrying request ids", async () => {
    const targets = kitExpressions(options).filter((e) => e.exemplar);
    expect(targets.length).toBeGreaterThanOrEqual(2);
    const now = Date.now() / 1000;
    for (const target of targets) {
      const result = (await prom().api("query_exemplars", {
        query: substituteVariables(target.expr, {
          job: JOB,
          instance: ".+",
          model: ".*",
          rateInterval: RATE_INTERVAL,
        }),
        start: now - 120,
        end: now + 1,
      })) as { exemplars: { labels: Record<string, string> }[] }[];
      const ids = result.flatMap((s) => s.exemplars.map((x) => x.labels.request_id));
      expect(ids.length, target.name).toBeGreaterThan(0);
    }
  });

  test("Ollama going away fires LlmgateUpstreamDown, and Alertmanager delivers it to the webhook", async () => {
    const stopped = Date.now();
    sim?.child.kill("SIGTERM");
    await sim?.exited;
    const name = ALERT_NAMES["upstream-down"];
    const delivered = await eventually(
      `${name} at the webhook receiver`,
      async () =>
        notifications.find(
          (n) =>
            n.receivedAt >= stopped &&
            n.body.alerts?.some((a) => a.labels.alertname === name && a.status === "firing"),
        ),
      30_000,
    );
    const seconds = (delivered.receivedAt - stopped) / 1000;
    console.log(
      `${name} reached the webhook receiver ${seconds.toFixed(1)} s after the simulator stopped ` +
        "(poll 500ms, scrape and evaluation 1s, for: 2s, group_wait 1s)",
    );
    const alert = delivered.body.alerts?.find((a) => a.labels.alertname === name);
    expect(delivered.body.receiver).toBe("llmgate-webhook");
    expect(alert?.labels).toMatchObject({
      job: JOB,
      instance: new URL(gatewayUrl).host,
      severity: "critical",
    });
    expect(alert?.annotations.summary).toBe(
      `Ollama behind llmgate ${new URL(gatewayUrl).host} is not answering`,
    );
    // The link in the notification opens the runbook, served by the gateway the alert is about.
    const runbook = alert?.annotations.runbook_url ?? "";
    expect(runbook).toBe(`${gatewayUrl}/runbooks/LlmgateUpstreamDown`);
    const page = await fetch(runbook);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<h1>LlmgateUpstreamDown</h1>");
  }, 40_000);
});
