// Recording rules: the rates, ratios and quantiles that the alerts and the dashboard's "as the alerts see it" row share.
//
// Contract for every ratio: 0, not NaN, when there was no traffic (numerator and denominator aggregated
// separately, the denominator clamped away from zero, a missing numerator series read as 0). Every quantile
// is dropped (`>= 0` filters NaN) when the window holds no observation, rather than recorded as NaN.

import { jobMatcher, metric, NOT_PROBE, recorded } from "./names.js";
import { type KitOptions, promDuration } from "./options.js";
import { yamlFile } from "./yaml-file.js";

export interface RecordingRule {
  record: string;
  expr: string;
}

export const RECORDING_GROUP = "llmgate-recording";

export function recordingRules(o: KitOptions): RecordingRule[] {
  const r = recorded(o);
  const job = jobMatcher(o);
  const w = promDuration(o.rateWindowSeconds);
  const requests = metric(o, "requestsTotal");
  const streams = metric(o, "streams");
  return [
    {
      record: r.requestsRate,
      expr: `sum by (job, instance) (rate(${requests}{${job}, ${NOT_PROBE}}[${w}]))`,
    },
    {
      record: r.errorsRate,
      expr: `sum by (job, instance) (rate(${requests}{${job}, ${NOT_PROBE}, code=~"5.."}[${w}]))\nor\n${r.requestsRate} * 0`,
    },
    { record: r.errorRatio, expr: `${r.errorsRate}\n/\nclamp_min(${r.requestsRate}, 1e-9)` },
    {
      record: r.latencyP95,
      expr: `histogram_quantile(0.95, sum by (job, instance, le) (rate(${metric(o, "requestDuration")}_bucket{${job}, ${NOT_PROBE}}[${w}]))) >= 0`,
    },
    {
      record: r.ttftP95,
      expr: `histogram_quantile(0.95, sum by (job, instance, model, le) (rate(${metric(o, "ttft")}_bucket{${job}}[${w}]))) >= 0`,
    },
    {
      record: r.ttftRate,
      expr: `sum by (job, instance, model) (rate(${metric(o, "ttft")}_count{${job}}[${w}]))`,
    },
    { record: r.streamsRate, expr: `sum by (job, instance) (rate(${streams}{${job}}[${w}]))` },
    {
      record: r.streamFailureRatio,
      expr:
        `(\n  sum by (job, instance) (rate(${streams}{${job}, outcome!="completed"}[${w}]))\n  or\n  ${r.streamsRate} * 0\n)\n` +
        `/\nclamp_min(${r.streamsRate}, 1e-9)`,
    },
    {
      // Load shedding by the admission queue; rate_limited and unauthorized are the client's doing, not load.
      record: r.shedRate,
      expr:
        `sum by (job, instance) (rate(${metric(o, "rejections")}{${job}, reason=~"queue_full|queue_timeout"}[${w}]))\n` +
        `or\n${r.requestsRate} * 0`,
    },
    { record: r.shedRatio, expr: `${r.shedRate}\n/\nclamp_min(${r.requestsRate}, 1e-9)` },
  ];
}

/** prometheus/rules/llmgate-recording.yml */
export function recordingRulesFile(o: KitOptions): string {
  return yamlFile({ groups: [{ name: RECORDING_GROUP, rules: recordingRules(o) }] }, [
    `Recording rules for the gateway scrape job "${o.job}" (metric prefix ${o.prefix}_), window ${promDuration(o.rateWindowSeconds)}.`,
    'Shared by the alerts (llmgate-alerts.yml) and the dashboard\'s row "As the alerts see it".',
    "Ratios are 0, never NaN, without traffic; quantiles are absent when the window holds no observation.",
  ]);
}
