// grafana/provisioning/{datasources,dashboards}/llmgate.yaml: the Prometheus data source and the dashboard provider.

import { type KitOptions, promDuration } from "./options.js";
import { yamlFile } from "./yaml-file.js";

/** The provisioned data source's uid; the dashboard's datasource variable selects it by default. */
export const DATASOURCE_UID = "llmgate-prometheus";
export const DATASOURCE_NAME = "Prometheus (llmgate)";

export function datasourceProvisioningFile(o: KitOptions): string {
  return yamlFile(
    {
      apiVersion: 1,
      datasources: [
        {
          name: DATASOURCE_NAME,
          type: "prometheus",
          uid: DATASOURCE_UID,
          access: "proxy",
          url: o.prometheusUrl,
          // Not the default: an organization may have only one, and yours may already exist.
          isDefault: false,
          editable: false,
          jsonData: {
            httpMethod: "POST",
            // Grafana's $__rate_interval is derived from this: it must equal Prometheus' scrape_interval.
            timeInterval: promDuration(o.scrapeIntervalSeconds),
            prometheusType: "Prometheus",
          },
        },
      ],
    },
    [
      "Grafana data source (copy to /etc/grafana/provisioning/datasources/). Grafana reaches Prometheus at",
      `${o.prometheusUrl}; timeInterval equals the scrape interval so that $__rate_interval is right.`,
    ],
  );
}

export function dashboardProvisioningFile(o: KitOptions): string {
  return yamlFile(
    {
      apiVersion: 1,
      providers: [
        {
          name: "llmgate",
          orgId: 1,
          folder: "llmgate",
          type: "file",
          disableDeletion: false,
          updateIntervalSeconds: 30,
          // The JSON is generated: changes made in the UI would be lost at the next generation.
          allowUiUpdates: false,
          options: { path: o.grafanaDashboardsPath, foldersFromFilesStructure: false },
        },
      ],
    },
    [
      "Grafana dashboard provider (copy to /etc/grafana/provisioning/dashboards/). It loads every JSON file in",
      `${o.grafanaDashboardsPath}: copy grafana/dashboards/llmgate.json there.`,
    ],
  );
}
