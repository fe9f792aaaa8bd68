// prometheus/prometheus.yml: the gateway scrape job, the rule files and the Alertmanager to notify.

import { type KitOptions, promDuration } from "./options.js";
import { yamlFile } from "./yaml-file.js";

export function prometheusConfig(o: KitOptions): object {
  return {
    global: {
      scrape_interval: promDuration(o.scrapeIntervalSeconds),
      evaluation_interval: promDuration(o.evaluationIntervalSeconds),
    },
    // Relative to this file: keep rules/ beside it (Debian: /etc/prometheus/rules/).
    rule_files: ["rules/*.yml"],
    alerting: {
      alertmanagers: [{ static_configs: [{ targets: [...o.alertmanagers] }] }],
    },
    scrape_configs: [
      {
        job_name: o.job,
        metrics_path: "/metrics",
        scheme: "http",
        // Labels belong inside static_configs: beside it (as in the seed tutorial) Prometheus refuses the file.
        static_configs: [
          {
            targets: [...o.targets],
            ...(Object.keys(o.labels).length > 0 ? { labels: { ...o.labels } } : {}),
          },
        ],
      },
    ],
  };
}

export function prometheusConfigFile(o: KitOptions): string {
  const w = promDuration(o.rateWindowSeconds);
  return yamlFile(prometheusConfig(o), [
    `Prometheus scraping llmgate (job "${o.job}", metric prefix ${o.prefix}_) every ${promDuration(o.scrapeIntervalSeconds)}.`,
    `The rules' rate windows (${w}) are at least 4 scrape intervals: regenerate with --scrape-interval and`,
    "--rate-window together. Start Prometheus with --enable-feature=exemplar-storage to keep the request ids",
    "the gateway attaches to latency and time-to-first-token observations (the dashboard shows them).",
    "If the gateway runs with metrics-token, add under the job:  authorization: { credentials_file: /etc/prometheus/llmgate.token }",
  ]);
}
