// Options of the monitoring kit: defaults, and one validation that names the option at fault.

/** The alerts, by the key that `--for KEY=DURATION` and the docs use. */
export const ALERT_KEYS = [
  "gateway-down",
  "target-missing",
  "error-ratio",
  "latency",
  "ttft",
  "streams-failing",
  "queue-saturated",
  "requests-shed",
  "upstream-down",
  "model-reloading",
  "memory-high",
] as const;
export type AlertKey = (typeof ALERT_KEYS)[number];

export interface Thresholds {
  /** Share of requests answered with 5xx, 0 < x < 1. */
  errorRatio: number;
  /** P95 of the whole request, seconds. */
  p95LatencySeconds: number;
  /** P95 time to first token per model (streams), seconds. */
  ttftP95Seconds: number;
  /** Share of started streams (HTTP 200 sent) that did not complete, 0 < x < 1. */
  streamFailureRatio: number;
  /** Share of requests shed by the admission queue (queue_full, queue_timeout), 0 < x < 1. */
  shedRatio: number;
  /** Alert when a model was loaded more often than this within `modelLoadsWindowSeconds`. */
  modelLoads: number;
  /** Resident memory of the gateway process, bytes. */
  memoryBytes: number;
  /** Ratio and quantile alerts stay silent below this many requests (streams, first tokens) in the rate window. */
  minRequests: number;
}

export interface KitOptions {
  /** Metric name prefix the gateway runs with (`metrics-prefix`). */
  prefix: string;
  /** Prometheus job name of the gateway scrape job. */
  job: string;
  /** Gateway addresses Prometheus scrapes, HOST:PORT. */
  targets: readonly string[];
  /** Labels attached to every scraped series (inside static_configs). */
  labels: Readonly<Record<string, string>>;
  scrapeIntervalSeconds: number;
  evaluationIntervalSeconds: number;
  /** Window of every rate() in rules; at least 4 scrape intervals. */
  rateWindowSeconds: number;
  /** Window over which model loads are counted. */
  modelLoadsWindowSeconds: number;
  /** Alertmanager addresses, HOST:PORT. */
  alertmanagers: readonly string[];
  /** Where Alertmanager POSTs notifications (a receiver of its webhook format, e.g. a DingTalk or WeCom bridge). */
  webhookUrl: string;
  groupWaitSeconds: number;
  groupIntervalSeconds: number;
  repeatIntervalSeconds: number;
  /** Prometheus as Grafana reaches it, for the provisioned data source. */
  prometheusUrl: string;
  /** Directory Grafana reads the dashboard JSON from. */
  grafanaDashboardsPath: string;
  /**
   * Where each alert's `runbook_url` points: `<base>/<AlertName>`, or `<base><alertname in lower case>` when the
   * base ends with `#` (one document with a section per alert). Default: the runbooks the first target serves.
   */
  runbookBaseUrl: string;
  /** The systemd unit's checkout of llmgate (holding dist/cli.js) and the Node.js binary that runs it. */
  installDir: string;
  nodePath: string;
  thresholds: Thresholds;
  /** How long each alert's condition must hold before it fires (`for:`), seconds. */
  forSeconds: Readonly<Record<AlertKey, number>>;
}

export const DEFAULT_FOR_SECONDS: Readonly<Record<AlertKey, number>> = {
  "gateway-down": 60,
  "target-missing": 120,
  "error-ratio": 300,
  latency: 600,
  ttft: 600,
  "streams-failing": 300,
  "queue-saturated": 600,
  "requests-shed": 300,
  "upstream-down": 120,
  "model-reloading": 300,
  "memory-high": 600,
};

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = {
  errorRatio: 0.05,
  p95LatencySeconds: 30,
  ttftP95Seconds: 10,
  streamFailureRatio: 0.05,
  shedRatio: 0.01,
  modelLoads: 3,
  memoryBytes: 1024 ** 3,
  minRequests: 10,
};

export const DEFAULT_KIT_OPTIONS: Readonly<KitOptions> = {
  prefix: "llmgate",
  job: "llmgate",
  targets: ["127.0.0.1:18789"],
  labels: { environment: "production" },
  scrapeIntervalSeconds: 15,
  evaluationIntervalSeconds: 15,
  rateWindowSeconds: 300,
  modelLoadsWindowSeconds: 3600,
  alertmanagers: ["127.0.0.1:9093"],
  webhookUrl: "http://127.0.0.1:8060/dingtalk/llmgate/send",
  groupWaitSeconds: 30,
  groupIntervalSeconds: 300,
  repeatIntervalSeconds: 4 * 3600,
  prometheusUrl: "http://127.0.0.1:9090",
  grafanaDashboardsPath: "/var/lib/grafana/dashboards/llmgate",
  runbookBaseUrl: defaultRunbookBaseUrl("127.0.0.1:18789"),
  installDir: "/opt/llmgate",
  nodePath: "/usr/bin/node",
  thresholds: DEFAULT_THRESHOLDS,
  forSeconds: DEFAULT_FOR_SECONDS,
};

/** The runbooks a gateway serves itself, at the address Prometheus scrapes (also its metrics-listen address). */
export function defaultRunbookBaseUrl(target: string): string {
  return `http://${target}/runbooks/`;
}

/** A kit option that cannot be used, naming it as the CLI spells it. */
export class KitOptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = "KitOptionError";
  }
}

export type KitOptionsInput = Partial<Omit<KitOptions, "thresholds" | "forSeconds">> & {
  thresholds?: Partial<Thresholds>;
  forSeconds?: Partial<Record<AlertKey, number>>;
};

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const JOB = /^[A-Za-z0-9_.:-]+$/;
const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*):(\d{1,5})$/;
/** Label values land in YAML and in PromQL string literals; quotes, backslashes and newlines are refused. */
const LABEL_VALUE = /^[^"\\\n\r]*$/;

/** Defaults merged with `input`, checked; throws KitOptionError on the first option that cannot work. */
export function resolveKitOptions(input: KitOptionsInput = {}): KitOptions {
  const o: KitOptions = {
    ...DEFAULT_KIT_OPTIONS,
    ...definedOnly(input),
    // Rules are evaluated as often as the gateway is scraped unless told otherwise.
    evaluationIntervalSeconds:
      input.evaluationIntervalSeconds ??
      input.scrapeIntervalSeconds ??
      DEFAULT_KIT_OPTIONS.evaluationIntervalSeconds,
    thresholds: { ...DEFAULT_THRESHOLDS, ...definedOnly(input.thresholds ?? {}) },
    forSeconds: { ...DEFAULT_FOR_SECONDS, ...definedOnly(input.forSeconds ?? {}) },
  };
  // Unless told otherwise, alerts link to the runbooks of the gateway they are about.
  const firstTarget = o.targets[0];
  if (input.runbookBaseUrl === undefined && firstTarget !== undefined)
    o.runbookBaseUrl = defaultRunbookBaseUrl(firstTarget);
  check("--metrics-prefix", NAME.test(o.prefix), "letters, digits and _, not starting with a digit");
  check("--job", JOB.test(o.job), "letters, digits and _ . : -");
  check("--target", o.targets.length > 0, "at least one HOST:PORT");
  for (const t of o.targets) checkHostPort("--target", t);
  check("--alertmanager", o.alertmanagers.length > 0, "at least one HOST:PORT");
  for (const a of o.alertmanagers) checkHostPort("--alertmanager", a);
  for (const [name, value] of Object.entries(o.labels)) {
    check("--label", NAME.test(name) && !name.startsWith("__"), `bad label name ${JSON.stringify(name)}`);
    check("--label", name !== "job", "job is set by --job");
    check("--label", LABEL_VALUE.test(value), `bad value for ${name}: no quotes, backslashes or newlines`);
  }
  checkDuration("--scrape-interval", o.scrapeIntervalSeconds, 1, 120);
  checkDuration("evaluation interval", o.evaluationIntervalSeconds, 1, 120);
  const minWindow = 4 * o.scrapeIntervalSeconds;
  checkDuration("--rate-window", o.rateWindowSeconds, minWindow);
  checkDuration("--model-loads-window", o.modelLoadsWindowSeconds, minWindow);
  // Whole numbers of scrapes per window: rates then cover exactly the samples in the window, and the generated
  // rule tests can state the exact values the alerts report.
  for (const [option, seconds] of [
    ["--rate-window", o.rateWindowSeconds],
    ["--model-loads-window", o.modelLoadsWindowSeconds],
  ] as const) {
    const ratio = seconds / o.scrapeIntervalSeconds;
    check(
      option,
      Math.abs(ratio - Math.round(ratio)) < 1e-9,
      `a multiple of the scrape interval (${promDuration(o.scrapeIntervalSeconds)})`,
    );
  }
  checkDuration("group wait", o.groupWaitSeconds, 0);
  checkDuration("group interval", o.groupIntervalSeconds, 1);
  checkDuration("repeat interval", o.repeatIntervalSeconds, 1);
  checkUrl("--webhook-url", o.webhookUrl);
  checkUrl("--prometheus-url", o.prometheusUrl);
  // An alert is read far from the kit (a phone, a chat window): only an absolute URL opens there.
  checkUrl("--runbook-base-url", o.runbookBaseUrl);
  check("install dir", o.installDir.startsWith("/") && !/\s/.test(o.installDir), "an absolute path");
  check("node path", o.nodePath.startsWith("/") && !/\s/.test(o.nodePath), "an absolute path");
  check("grafana dashboards path", o.grafanaDashboardsPath.startsWith("/"), "an absolute path");

  const t = o.thresholds;
  checkRatio("--error-ratio", t.errorRatio);
  checkRatio("--stream-failure-ratio", t.streamFailureRatio);
  checkRatio("--shed-ratio", t.shedRatio);
  checkDuration("--p95-latency", t.p95LatencySeconds, 0.001);
  checkDuration("--ttft-p95", t.ttftP95Seconds, 0.001);
  check("--model-loads", Number.isInteger(t.modelLoads) && t.modelLoads >= 0, "an integer >= 0");
  check("--memory-bytes", Number.isInteger(t.memoryBytes) && t.memoryBytes > 0, "a size above 0");
  check("--min-requests", Number.isInteger(t.minRequests) && t.minRequests >= 0, "an integer >= 0");

  for (const key of ALERT_KEYS) {
    const f = o.forSeconds[key];
    checkDuration(`--for ${key}`, f, 0);
    // A `for:` shorter than one evaluation interval is the same as none; say so rather than mislead.
    check(
      `--for ${key}`,
      f === 0 || f >= o.evaluationIntervalSeconds,
      `0 or at least the evaluation interval (${promDuration(o.evaluationIntervalSeconds)})`,
    );
  }
  return o;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function check(option: string, ok: boolean, expected: string): void {
  if (!ok) throw new KitOptionError(option, expected);
}

function checkHostPort(option: string, value: string): void {
  const match = HOST_PORT.exec(value);
  check(
    option,
    match !== null && Number(match[1]) <= 65535,
    `expected HOST:PORT, got ${JSON.stringify(value)}`,
  );
}

function checkUrl(option: string, value: string): void {
  let ok = false;
  try {
    const url = new URL(value);
    ok = (url.protocol === "http:" || url.protocol === "https:") && !/[\s"']/.test(value);
  } catch {
    ok = false;
  }
  check(option, ok, `expected an http(s) URL, got ${JSON.stringify(value)}`);
}

function checkRatio(option: string, value: number): void {
  check(option, Number.isFinite(value) && value > 0 && value < 1, "a ratio between 0 and 1 (exclusive)");
}

function checkDuration(option: string, seconds: number, min: number, max = Number.POSITIVE_INFINITY): void {
  const ms = seconds * 1000;
  check(
    option,
    Number.isFinite(seconds) && Math.abs(ms - Math.round(ms)) < 1e-6,
    "a duration in whole milliseconds",
  );
  check(
    option,
    seconds >= min && seconds <= max,
    `at least ${promDuration(min)}${Number.isFinite(max) ? ` and at most ${promDuration(max)}` : ""}, got ${promDuration(seconds)}`,
  );
}

/** Seconds as a Prometheus/Alertmanager duration: 300 -> "5m", 5400 -> "1h30m", 0.25 -> "250ms", 0 -> "0s". */
export function promDuration(seconds: number): string {
  let ms = Math.round(seconds * 1000);
  if (ms === 0) return "0s";
  let out = "";
  for (const [unit, size] of [
    ["h", 3_600_000],
    ["m", 60_000],
    ["s", 1000],
    ["ms", 1],
  ] as const) {
    const n = Math.floor(ms / size);
    if (n > 0) out += `${n}${unit}`;
    ms -= n * size;
  }
  return out;
}
