// Alerting rules: what pages someone, with the guards that keep them silent at zero traffic and without an admission queue.

import { jobMatcher, metric, processMetric, recorded } from "./names.js";
import { type AlertKey, type KitOptions, promDuration } from "./options.js";
import { yamlFile } from "./yaml-file.js";

export type Severity = "critical" | "warning";

export interface AlertRule {
  key: AlertKey;
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity };
  annotations: { summary: string; description: string; runbook_url: string };
}

export const ALERT_GROUP = "llmgate-alerts";

/** Alert names by key; fixed whatever the prefix, so runbooks and routes keep working. */
export const ALERT_NAMES: Readonly<Record<AlertKey, string>> = {
  "gateway-down": "LlmgateDown",
  "target-missing": "LlmgateTargetMissing",
  "error-ratio": "LlmgateHighErrorRatio",
  latency: "LlmgateHighLatency",
  ttft: "LlmgateSlowFirstToken",
  "streams-failing": "LlmgateStreamsFailing",
  "queue-saturated": "LlmgateQueueSaturated",
  "requests-shed": "LlmgateRequestsShed",
  "upstream-down": "LlmgateUpstreamDown",
  "model-reloading": "LlmgateModelReloading",
  "memory-high": "LlmgateMemoryHigh",
};

/**
 * An alert's runbook: `<base>/<AlertName>` (a page per alert, as the gateway's /runbooks/ serves them), or, for a
 * base ending with `#`, the anchor GitHub and most renderers derive from the heading "## LlmgateDown".
 */
export function runbookLink(o: Pick<KitOptions, "runbookBaseUrl">, alert: string): string {
  const base = o.runbookBaseUrl;
  if (base.endsWith("#")) return `${base}${alert.toLowerCase()}`;
  return `${base.endsWith("/") ? base : `${base}/`}${alert}`;
}

/** 0.05 -> "5%", 0.125 -> "12.5%". */
export function percent(ratio: number): string {
  return `${Number((ratio * 100).toPrecision(6))}%`;
}

/** 1073741824 -> "1 GiB", 1500 -> "1500 B". */
export function bytes(n: number): string {
  for (const [unit, size] of [
    ["TiB", 1024 ** 4],
    ["GiB", 1024 ** 3],
    ["MiB", 1024 ** 2],
    ["KiB", 1024],
  ] as const) {
    if (n >= size && Number.isInteger((n / size) * 100)) return `${n / size} ${unit}`;
  }
  return `${n} B`;
}

export function alertRules(o: KitOptions): AlertRule[] {
  const r = recorded(o);
  const job = jobMatcher(o);
  const t = o.thresholds;
  const w = promDuration(o.rateWindowSeconds);
  // The minimum-traffic guard: at least `minRequests` in the window, written as a rate so it reads from the rules.
  const minRate = `${t.minRequests} / ${o.rateWindowSeconds}`;
  const traffic = `at least ${t.minRequests} in the last ${w}`;
  const where = "{{ $labels.instance }} (job {{ $labels.job }})";

  const rule = (
    key: AlertKey,
    severity: Severity,
    expr: string,
    summary: string,
    description: string,
  ): AlertRule => {
    const alert = ALERT_NAMES[key];
    const runbook = runbookLink(o, alert);
    return {
      key,
      alert,
      expr,
      for: promDuration(o.forSeconds[key]),
      labels: { severity },
      annotations: { summary, description: `${description} Runbook: ${runbook}`, runbook_url: runbook },
    };
  };

  return [
    rule(
      "gateway-down",
      "critical",
      `up{${job}} == 0`,
      "llmgate {{ $labels.instance }} cannot be scraped",
      // The runbook page may be served by this very gateway, so the first checks travel in the notification too.
      `Prometheus has failed to scrape ${where} for ${promDuration(o.forSeconds["gateway-down"])}: the gateway is not running, not listening on that address, or /metrics needs a token. Its clients get connection errors. First checks: systemctl status llmgate; journalctl -u llmgate -n 50; curl -sv on the target's /metrics (its address is on Prometheus' Status > Targets page).`,
    ),
    rule(
      "target-missing",
      "critical",
      `absent(up{${job}})`,
      `No llmgate target in job ${o.job}`,
      `Prometheus has no target at all in job ${o.job}: the scrape job was removed, renamed or never loaded, so every other llmgate alert is blind.`,
    ),
    rule(
      "error-ratio",
      "critical",
      `${r.errorRatio} > ${t.errorRatio}\nand on (job, instance)\n${r.requestsRate} >= ${minRate}`,
      "llmgate {{ $labels.instance }}: {{ $value | humanizePercentage }} of requests failed with 5xx",
      `More than ${percent(t.errorRatio)} of the requests to ${where} were answered with a 5xx status over the last ${w} (requests: ${traffic}). Usually Ollama is failing, overloaded (503) or too slow (504).`,
    ),
    rule(
      "latency",
      "warning",
      `${r.latencyP95} > ${t.p95LatencySeconds}\nand on (job, instance)\n${r.requestsRate} >= ${minRate}`,
      "llmgate {{ $labels.instance }}: P95 request latency is {{ $value | humanizeDuration }}",
      `The slowest 5% of requests to ${where} took longer than ${promDuration(t.p95LatencySeconds)} over the last ${w} (requests: ${traffic}). Request latency includes generation, so long answers raise it too; time to first token says whether users wait for the model to start.`,
    ),
    rule(
      "ttft",
      "warning",
      `${r.ttftP95} > ${t.ttftP95Seconds}\nand on (job, instance, model)\n${r.ttftRate} >= ${minRate}`,
      "llmgate {{ $labels.instance }}: P95 time to first token of {{ $labels.model }} is {{ $value | humanizeDuration }}",
      `Streaming clients of ${where} waited more than ${promDuration(t.ttftP95Seconds)} for the first token of {{ $labels.model }} (P95 over the last ${w}; streams: ${traffic}). Typical causes: the model is being loaded, Ollama's queue is long, or prompts are very long.`,
    ),
    rule(
      "streams-failing",
      "warning",
      `${r.streamFailureRatio} > ${t.streamFailureRatio}\nand on (job, instance)\n${r.streamsRate} >= ${minRate}`,
      "llmgate {{ $labels.instance }}: {{ $value | humanizePercentage }} of streams failed after HTTP 200",
      `More than ${percent(t.streamFailureRatio)} of the streams ${where} started over the last ${w} did not complete (streams: ${traffic}). They answered 200, so status-code error ratios do not show them.`,
    ),
    rule(
      "queue-saturated",
      "warning",
      // concurrency_limit is 0 when max-concurrency is 0 (unlimited): there is no queue to saturate then.
      `min_over_time(${metric(o, "queueLength")}{${job}}[${w}]) > 0\nand on (job, instance)\n${metric(o, "concurrencyLimit")}{${job}} > 0`,
      "llmgate {{ $labels.instance }}: {{ $value | humanize }} or more requests have been queued for the last " +
        w,
      `The admission queue of ${where} was never empty over the last ${w}: every upstream slot (max-concurrency) is busy and requests wait before reaching Ollama.`,
    ),
    rule(
      "requests-shed",
      "warning",
      `${r.shedRatio} > ${t.shedRatio}\nand on (job, instance)\n${r.requestsRate} >= ${minRate}`,
      "llmgate {{ $labels.instance }}: {{ $value | humanizePercentage }} of requests shed by the admission queue",
      `More than ${percent(t.shedRatio)} of the requests to ${where} were refused because the queue was full (max-queue) or they waited longer than queue-timeout over the last ${w} (requests: ${traffic}).`,
    ),
    rule(
      "upstream-down",
      "critical",
      `${metric(o, "upstreamUp")}{${job}} == 0`,
      "Ollama behind llmgate {{ $labels.instance }} is not answering",
      `The gateway ${where} has not reached Ollama's /api/version for ${promDuration(o.forSeconds["upstream-down"])}. Requests fail with 502 upstream_unreachable.`,
    ),
    rule(
      "model-reloading",
      "warning",
      `sum by (job, instance, model) (increase(${metric(o, "modelLoads")}{${job}}[${promDuration(o.modelLoadsWindowSeconds)}])) > ${t.modelLoads}`,
      `Model {{ $labels.model }} was loaded {{ $value | printf "%.0f" }} times in ${promDuration(o.modelLoadsWindowSeconds)}`,
      `Ollama behind ${where} loaded {{ $labels.model }} more than ${t.modelLoads} times in the last ${promDuration(o.modelLoadsWindowSeconds)}. Every load makes a user wait; keep_alive is too short or models evict each other from GPU memory.`,
    ),
    rule(
      "memory-high",
      "warning",
      `${processMetric(o, "process_resident_memory_bytes")}{${job}} > ${t.memoryBytes}`,
      "llmgate {{ $labels.instance }} uses {{ $value | humanize1024 }}B of memory",
      `The gateway process ${where} has used more than ${bytes(t.memoryBytes)} of resident memory for ${promDuration(o.forSeconds["memory-high"])}. Large request bodies (base64 images) held by many concurrent requests, or a leak.`,
    ),
  ];
}

/** prometheus/rules/llmgate-alerts.yml */
export function alertRulesFile(o: KitOptions): string {
  const rules = alertRules(o).map(({ key: _key, ...rule }) => rule);
  return yamlFile({ groups: [{ name: ALERT_GROUP, rules }] }, [
    `Alerts for the gateway scrape job "${o.job}" (metric prefix ${o.prefix}_). Each links its runbook section.`,
    "Unit tests: promtool test rules ../tests/llmgate.test.yml",
  ]);
}
