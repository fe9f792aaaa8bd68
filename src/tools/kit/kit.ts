// The whole monitoring kit for a set of options: every file's path (relative to the output directory) and content.

import { alertRulesFile } from "./alert-rules.js";
import { alertmanagerConfigFile } from "./alertmanager-config.js";
import { dashboardFile } from "./grafana-dashboard.js";
import { dashboardProvisioningFile, datasourceProvisioningFile } from "./grafana-provisioning.js";
import { type KitFileInfo, kitReadme } from "./kit-readme.js";
import type { KitOptions } from "./options.js";
import { prometheusConfigFile } from "./prometheus-config.js";
import { recordingRulesFile } from "./recording-rules.js";
import { ruleTestsFile } from "./rule-tests.js";
import { runbooksMarkdown } from "./runbook-render.js";
import { systemdUnitFile } from "./systemd-unit.js";

export interface KitFile {
  path: string;
  content: string;
}

export const KIT_PATHS = {
  prometheus: "prometheus/prometheus.yml",
  recordingRules: "prometheus/rules/llmgate-recording.yml",
  alertRules: "prometheus/rules/llmgate-alerts.yml",
  ruleTests: "prometheus/tests/llmgate.test.yml",
  alertmanager: "alertmanager/alertmanager.yml",
  dashboard: "grafana/dashboards/llmgate.json",
  datasource: "grafana/provisioning/datasources/llmgate.yaml",
  dashboardProvider: "grafana/provisioning/dashboards/llmgate.yaml",
  systemd: "systemd/llmgate.service",
  runbooks: "RUNBOOKS.md",
  readme: "README.md",
} as const;

export function generateKit(o: KitOptions): KitFile[] {
  const files: (KitFileInfo & { content: string })[] = [
    {
      path: KIT_PATHS.prometheus,
      purpose:
        "`/etc/prometheus/prometheus.yml` (or merge its scrape job, `rule_files` and `alerting` into yours)",
      content: prometheusConfigFile(o),
    },
    {
      path: KIT_PATHS.recordingRules,
      purpose: "`/etc/prometheus/rules/`: rates, ratios and quantiles shared by alerts and dashboard",
      content: recordingRulesFile(o),
    },
    {
      path: KIT_PATHS.alertRules,
      purpose: "`/etc/prometheus/rules/`: the alerts",
      content: alertRulesFile(o),
    },
    {
      path: KIT_PATHS.ruleTests,
      purpose: "stays here: `promtool test rules` unit tests of every alert",
      content: ruleTestsFile(o),
    },
    {
      path: KIT_PATHS.alertmanager,
      purpose:
        "`/etc/prometheus/alertmanager.yml`: routing, grouping, the webhook receiver, DingTalk/WeCom examples",
      content: alertmanagerConfigFile(o),
    },
    {
      path: KIT_PATHS.dashboard,
      purpose: `\`${o.grafanaDashboardsPath}/\`: the Grafana dashboard`,
      content: dashboardFile(o),
    },
    {
      path: KIT_PATHS.datasource,
      purpose: "`/etc/grafana/provisioning/datasources/`: the Prometheus data source",
      content: datasourceProvisioningFile(o),
    },
    {
      path: KIT_PATHS.dashboardProvider,
      purpose: "`/etc/grafana/provisioning/dashboards/`: loads the dashboard",
      content: dashboardProvisioningFile(o),
    },
    {
      path: KIT_PATHS.systemd,
      purpose: "`/etc/systemd/system/`: the gateway as a hardened service",
      content: systemdUnitFile(o),
    },
    {
      path: KIT_PATHS.runbooks,
      purpose: "stays here: what to do when each alert fires (the gateway serves the same at `/runbooks/`)",
      content: runbooksMarkdown(),
    },
  ];
  const readme = {
    path: KIT_PATHS.readme,
    content: kitReadme(o, [...files, { path: KIT_PATHS.readme, purpose: "this file" }], KIT_PATHS.runbooks),
  };
  return [...files.map(({ path, content }) => ({ path, content })), readme];
}
