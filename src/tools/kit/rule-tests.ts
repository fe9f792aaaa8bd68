// `promtool test rules` unit tests for every alert, generated for the kit's own thresholds, windows and `for:`.
//
// Each alert gets a case where it fires (with its exact labels and rendered annotations) and cases where it must
// stay silent: healthy values, too little traffic for the guard, and zero traffic, where the recorded ratios must
// read 0 and the recorded quantiles must be absent (never NaN). Input series are sampled every scrape interval,
// and the values are chosen so that the reported $value is exact: ratios of 1, quantiles that land in the +Inf
// bucket (histogram_quantile then returns the highest finite bound, 2x the threshold), whole load counts.

import { ALERT_GROUP, ALERT_NAMES, type AlertRule, alertRules } from "./alert-rules.js";
import { renderAnnotation } from "./go-template.js";
import { metric, processMetric, recorded } from "./names.js";
import { type AlertKey, type KitOptions, promDuration } from "./options.js";
import { RECORDING_GROUP } from "./recording-rules.js";
import { yamlFile } from "./yaml-file.js";

interface InputSeries {
  series: string;
  values: string;
}
interface ExpAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}
interface AlertTest {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpAlert[];
}
interface ExprTest {
  expr: string;
  eval_time: string;
  exp_samples: { labels: string; value: number }[];
}
interface TestCase {
  name: string;
  interval: string;
  input_series: InputSeries[];
  alert_rule_test: AlertTest[];
  promql_expr_test?: ExprTest[];
}

/** The model name used in test series. */
const MODEL = "qwen3:32b";

export const RULE_FILES = ["../rules/llmgate-recording.yml", "../rules/llmgate-alerts.yml"] as const;

export function ruleTests(o: KitOptions): {
  rule_files: string[];
  evaluation_interval: string;
  group_eval_order: string[];
  tests: TestCase[];
} {
  const I = o.scrapeIntervalSeconds;
  const W = o.rateWindowSeconds;
  const t = o.thresholds;
  const r = recorded(o);
  const instance = o.targets[0] ?? "127.0.0.1:18789";
  const base = { job: o.job, instance };
  const rules = new Map<AlertKey, AlertRule>(alertRules(o).map((rule) => [rule.key, rule]));
  const interval = promDuration(I);

  // Eval times are whole multiples of both the sample and the evaluation interval.
  const stepMs = lcm(Math.round(I * 1000), Math.round(o.evaluationIntervalSeconds * 1000));
  const align = (seconds: number) => (Math.ceil((seconds * 1000) / stepMs) * stepMs) / 1000;
  /** When an alert whose condition holds from the start (after `window`) must be firing. */
  const fireAt = (key: AlertKey, window = W) => align(window + o.forSeconds[key] + 3 * I);
  const allKeys = Object.keys(ALERT_NAMES) as AlertKey[];
  const end = Math.max(
    ...allKeys.map((key) => fireAt(key, key === "model-reloading" ? o.modelLoadsWindowSeconds : W)),
  );
  const samples = Math.ceil(end / I) + 1;

  const sel = (name: string, extra: Record<string, string> = {}) =>
    `${name}{${Object.entries({ ...base, ...extra })
      .map(([k, v]) => `${k}="${v}"`)
      .join(", ")}}`;
  const counter = (name: string, perSample: number, extra: Record<string, string> = {}): InputSeries => ({
    series: sel(name, extra),
    values: `0+${perSample}x${samples}`,
  });
  const gauge = (name: string, value: number, extra: Record<string, string> = {}): InputSeries => ({
    series: sel(name, extra),
    values: `${value}+0x${samples}`,
  });
  /** A histogram whose observations all land in the +Inf bucket above `slowBound`, or all in the lowest bucket. */
  const histogram = (
    name: string,
    threshold: number,
    perSample: number,
    slow: boolean,
    extra: Record<string, string>,
  ) => {
    const bounds = [threshold / 2, threshold, threshold * 2];
    return [
      ...bounds.map((le) => counter(`${name}_bucket`, slow ? 0 : perSample, { ...extra, le: String(le) })),
      counter(`${name}_bucket`, perSample, { ...extra, le: "+Inf" }),
      counter(`${name}_count`, perSample, extra),
    ];
  };

  // Traffic that passes the guard with room to spare, and traffic that stays below it.
  const busy = Math.max(1, Math.ceil((2 * t.minRequests * I) / W));
  const quiet = (t.minRequests * I) / (2 * W);
  const route = { code: "200", method: "POST", path: "/v1/chat/completions" };
  const requests = metric(o, "requestsTotal");

  const silent = (keys: AlertKey[], at: number): AlertTest[] =>
    keys.map((key) => ({ eval_time: promDuration(at), alertname: ALERT_NAMES[key], exp_alerts: [] }));
  const fires = (key: AlertKey, at: number, value: number, labels: Record<string, string>): AlertTest => {
    const rule = rules.get(key);
    if (!rule) throw new Error(`no rule ${key}`);
    return {
      eval_time: promDuration(at),
      alertname: rule.alert,
      exp_alerts: [
        {
          exp_labels: { ...labels, severity: rule.labels.severity },
          exp_annotations: Object.fromEntries(
            Object.entries(rule.annotations).map(([name, text]) => [
              name,
              renderAnnotation(text, labels, value),
            ]),
          ),
        },
      ],
    };
  };

  /** The healthy series of a gateway with no traffic at all: every counter flat. */
  const idle: InputSeries[] = [
    gauge("up", 1),
    counter(requests, 0, route),
    counter(requests, 0, { ...route, code: "500" }),
    ...histogram(metric(o, "requestDuration"), t.p95LatencySeconds, 0, false, route),
    ...histogram(metric(o, "ttft"), t.ttftP95Seconds, 0, false, { model: MODEL }),
    counter(metric(o, "streams"), 0, { model: MODEL, outcome: "completed" }),
    gauge(metric(o, "upstreamUp"), 1),
    gauge(metric(o, "queueLength"), 0),
    gauge(metric(o, "concurrencyLimit"), 0),
    counter(metric(o, "modelLoads"), 0, { model: MODEL }),
    gauge(processMetric(o, "process_resident_memory_bytes"), Math.floor(t.memoryBytes / 2)),
  ];

  const tests: TestCase[] = [];
  const add = (name: string, input: InputSeries[], alerts: AlertTest[], exprs: ExprTest[] = []) =>
    tests.push({
      name,
      interval,
      input_series: input,
      alert_rule_test: alerts,
      ...(exprs.length > 0 ? { promql_expr_test: exprs } : {}),
    });
  const expr = (name: string, at: number, value?: number): ExprTest => ({
    expr: sel(name),
    eval_time: promDuration(at),
    exp_samples: value === undefined ? [] : [{ labels: sel(name), value }],
  });

  add(
    "zero traffic: every alert silent, ratios 0 and quantiles absent (never NaN)",
    idle,
    silent(allKeys, end),
    [
      expr(r.requestsRate, end, 0),
      expr(r.errorRatio, end, 0),
      expr(r.streamFailureRatio, end, 0),
      expr(r.shedRatio, end, 0),
      expr(r.latencyP95, end),
      expr(r.ttftP95, end),
    ],
  );

  // Availability.
  const down = fireAt("gateway-down", 0);
  add(
    "gateway down: up == 0 fires",
    [gauge("up", 0)],
    [fires("gateway-down", down, 0, base), ...silent(["target-missing"], down)],
  );
  const missing = fireAt("target-missing", 0);
  add(
    "target missing: no up series at all fires absent()",
    [],
    [fires("target-missing", missing, 1, { job: o.job }), ...silent(["gateway-down"], missing)],
  );

  // 5xx ratio.
  const errorAt = fireAt("error-ratio");
  add(
    "5xx ratio above the threshold fires",
    [counter(requests, 0, route), counter(requests, busy, { ...route, code: "500" })],
    [fires("error-ratio", errorAt, 1, base)],
    [expr(r.errorRatio, errorAt, 1)],
  );
  const okShare = busy * (2 / t.errorRatio - 1);
  add(
    "5xx ratio at half the threshold stays silent",
    [counter(requests, okShare, route), counter(requests, busy, { ...route, code: "500" })],
    silent(["error-ratio"], errorAt),
  );
  add(
    "health probes failing (Ollama down, /readyz 503) are not users failing: silent",
    [
      counter(requests, 0, route),
      counter(requests, busy, { code: "503", method: "GET", path: "/readyz" }),
      counter(requests, busy, { code: "200", method: "GET", path: "/healthz" }),
    ],
    silent(["error-ratio"], errorAt),
    [expr(r.errorRatio, errorAt, 0)],
  );
  if (t.minRequests > 0)
    add(
      "only 5xx, but below the minimum traffic: silent",
      [counter(requests, 0, route), counter(requests, quiet, { ...route, code: "500" })],
      silent(["error-ratio"], errorAt),
    );

  // P95 latency.
  const latencyAt = fireAt("latency");
  const duration = metric(o, "requestDuration");
  add(
    "P95 latency above the threshold fires",
    [counter(requests, busy, route), ...histogram(duration, t.p95LatencySeconds, busy, true, route)],
    [fires("latency", latencyAt, 2 * t.p95LatencySeconds, base)],
  );
  add(
    "fast requests stay silent",
    [counter(requests, busy, route), ...histogram(duration, t.p95LatencySeconds, busy, false, route)],
    silent(["latency"], latencyAt),
  );
  if (t.minRequests > 0)
    add(
      "slow requests below the minimum traffic: silent",
      [counter(requests, quiet, route), ...histogram(duration, t.p95LatencySeconds, quiet, true, route)],
      silent(["latency"], latencyAt),
    );

  // Time to first token, per model.
  const ttftAt = fireAt("ttft");
  const ttft = metric(o, "ttft");
  const model = { model: MODEL };
  add(
    "P95 time to first token above the threshold fires, per model",
    histogram(ttft, t.ttftP95Seconds, busy, true, model),
    [fires("ttft", ttftAt, 2 * t.ttftP95Seconds, { ...base, ...model })],
  );
  add(
    "fast first tokens stay silent",
    histogram(ttft, t.ttftP95Seconds, busy, false, model),
    silent(["ttft"], ttftAt),
  );
  if (t.minRequests > 0)
    add(
      "slow first tokens below the minimum traffic: silent",
      histogram(ttft, t.ttftP95Seconds, quiet, true, model),
      silent(["ttft"], ttftAt),
    );

  // Streams failing after 200.
  const streamsAt = fireAt("streams-failing");
  const streams = metric(o, "streams");
  add(
    "streams failing after 200 fire",
    [
      counter(streams, 0, { model: MODEL, outcome: "completed" }),
      counter(streams, busy, { model: MODEL, outcome: "upstream_error" }),
    ],
    [fires("streams-failing", streamsAt, 1, base)],
    [expr(r.streamFailureRatio, streamsAt, 1)],
  );
  add(
    "completed streams stay silent",
    [counter(streams, busy, { model: MODEL, outcome: "completed" })],
    silent(["streams-failing"], streamsAt),
  );
  if (t.minRequests > 0)
    add(
      "failing streams below the minimum traffic: silent",
      [counter(streams, quiet, { model: MODEL, outcome: "timeout" })],
      silent(["streams-failing"], streamsAt),
    );

  // Admission: a queue that never empties, and shed requests.
  const queueAt = fireAt("queue-saturated");
  const queue = metric(o, "queueLength");
  const limit = metric(o, "concurrencyLimit");
  add(
    "a queue that never empties while a concurrency limit is set fires",
    [gauge(queue, 5), gauge(limit, 4)],
    [fires("queue-saturated", queueAt, 5, base)],
  );
  add(
    "a queue that empties now and then stays silent",
    [
      {
        series: sel(queue),
        values: Array.from({ length: samples + 1 }, (_, i) => (i % 4 === 0 ? 0 : 5)).join(" "),
      },
      gauge(limit, 4),
    ],
    silent(["queue-saturated"], queueAt),
  );
  add(
    "concurrency limit 0 (unlimited, or no admission queue yet): silent whatever the queue gauge says",
    [gauge(queue, 5), gauge(limit, 0)],
    silent(["queue-saturated"], queueAt),
  );
  const shedAt = fireAt("requests-shed");
  const rejections = metric(o, "rejections");
  add(
    "requests shed because the queue is full fire",
    [counter(requests, busy, { ...route, code: "503" }), counter(rejections, busy, { reason: "queue_full" })],
    [fires("requests-shed", shedAt, 1, base)],
    [expr(r.shedRatio, shedAt, 1)],
  );
  add(
    "rejections that are not load shedding (unauthorized) stay silent",
    [
      counter(requests, busy, { ...route, code: "401" }),
      counter(rejections, busy, { reason: "unauthorized" }),
    ],
    silent(["requests-shed"], shedAt),
  );

  // The upstream and its models.
  const upstreamAt = fireAt("upstream-down", 0);
  add(
    "Ollama not answering fires",
    [gauge(metric(o, "upstreamUp"), 0)],
    [fires("upstream-down", upstreamAt, 0, base)],
  );
  const LW = o.modelLoadsWindowSeconds;
  const reloadAt = fireAt("model-reloading", LW);
  const loadsPerSample = Math.ceil(((t.modelLoads + 1) * I) / LW);
  const loads = metric(o, "modelLoads");
  add(
    "a model loaded more often than allowed fires",
    [counter(loads, loadsPerSample, model)],
    [fires("model-reloading", reloadAt, (loadsPerSample * LW) / I, { ...base, ...model })],
  );
  if (t.modelLoads > 0) {
    // All the allowed loads at once, half a window before the evaluation: the window holds exactly that many.
    const jump = Math.round((reloadAt - LW / 2) / I);
    add(
      "exactly the allowed number of loads in the window stays silent",
      [{ series: sel(loads, model), values: `0+0x${jump - 1} ${t.modelLoads}+0x${samples - jump}` }],
      silent(["model-reloading"], reloadAt),
    );
  }

  // The gateway process.
  const memoryAt = fireAt("memory-high", 0);
  add(
    "resident memory above the threshold fires",
    [gauge(processMetric(o, "process_resident_memory_bytes"), 2 * t.memoryBytes)],
    [fires("memory-high", memoryAt, 2 * t.memoryBytes, base)],
  );

  return {
    rule_files: [...RULE_FILES],
    evaluation_interval: promDuration(o.evaluationIntervalSeconds),
    // Recording rules first, so the alerts read this evaluation's values.
    group_eval_order: [RECORDING_GROUP, ALERT_GROUP],
    tests,
  };
}

/** prometheus/tests/llmgate.test.yml */
export function ruleTestsFile(o: KitOptions): string {
  return yamlFile(ruleTests(o), [
    "Unit tests of the alerts, for the thresholds and `for:` this kit was generated with:",
    "  promtool test rules prometheus/tests/llmgate.test.yml",
  ]);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function lcm(a: number, b: number): number {
  return (a / gcd(a, b)) * b;
}
