// Renders a prom-client registry as Prometheus text 0.0.4 or as OpenMetrics 1.0 (with exemplars), from one set of metrics.
// prom-client renders only its registry's own format and renames counters in place for OpenMetrics, so one registry
// cannot serve both; this renderer reads the metrics' values and writes either format itself.
// Formats: https://prometheus.io/docs/instrumenting/exposition_formats/ and the OpenMetrics 1.0 specification.

import type { MetricValue } from "prom-client";

export type ExpositionFormat = "prometheus" | "openmetrics";

export const CONTENT_TYPE: Record<ExpositionFormat, string> = {
  prometheus: "text/plain; version=0.0.4; charset=utf-8",
  openmetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8",
};

/**
 * OpenMetrics when the scraper's Accept lists `application/openmetrics-text` (Prometheus does by default) with a
 * weight no lower than its text/plain or wildcard entries; else Prometheus text, also without an Accept header.
 * Media types are case-insensitive and `q=0` means "not acceptable" (RFC 9110 §12.4.2, §12.5.1).
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  let openmetrics = 0;
  let text = 0;
  for (const entry of (accept ?? "").split(",")) {
    const [type = "", ...params] = entry.split(";").map((part) => part.trim().toLowerCase());
    const q = params.map((p) => p.split("=").map((s) => s.trim())).find(([key]) => key === "q")?.[1];
    const weight = q === undefined ? 1 : Number(q);
    if (!(weight > 0)) continue;
    if (type === "application/openmetrics-text") openmetrics = Math.max(openmetrics, weight);
    else if (type === "text/plain" || type === "text/*" || type === "*/*") text = Math.max(text, weight);
  }
  return openmetrics > 0 && openmetrics >= text ? "openmetrics" : "prometheus";
}

interface Exemplar {
  labelSet: Record<string, string | number>;
  value: number;
  timestamp: number;
}

type Value = MetricValue<string> & { metricName?: string; exemplar?: Exemplar | null };

/** What every prom-client metric returns from get() (its typings declare `type` as a numeric enum; it is a string). */
interface MetricData {
  name: string;
  help: string;
  type: string;
  values: Value[];
}

/** Any prom-client Registry, whatever its content type. */
export interface MetricSource {
  getMetricsAsArray(): unknown[];
}

export async function renderMetrics(registry: MetricSource, format: ExpositionFormat): Promise<string> {
  const om = format === "openmetrics";
  const parts: string[] = [];
  for (const metric of registry.getMetricsAsArray()) {
    const data = await (metric as { get(): Promise<MetricData> }).get();
    const isCounter = data.type === "counter";
    // OpenMetrics names a counter family without `_total` and its sample with it.
    const family = om && isCounter ? data.name.replace(/_total$/, "") : data.name;
    const type =
      data.type === "gauge" || data.type === "counter" || data.type === "histogram" || data.type === "summary"
        ? data.type
        : om
          ? "unknown"
          : "untyped";
    let out = `# HELP ${family} ${escapeHelp(data.help, om)}\n# TYPE ${family} ${type}\n`;
    for (const v of data.values) {
      const name = v.metricName ?? (om && isCounter ? `${family}_total` : data.name);
      out += `${name}${formatLabels(v.labels)} ${formatNumber(v.value)}`;
      if (om && v.exemplar)
        // An exemplar's label set is written even when empty: `# {} 1 ts`, never `#  1 ts`.
        out += ` # ${formatLabels(v.exemplar.labelSet) || "{}"} ${formatNumber(v.exemplar.value)} ${v.exemplar.timestamp}`;
      out += "\n";
    }
    parts.push(out);
  }
  return om ? `${parts.join("")}# EOF\n` : parts.join("");
}

function formatLabels(labels: Record<string, string | number | undefined> | undefined): string {
  if (!labels) return "";
  let out = "";
  for (const key in labels) {
    const value = labels[key];
    if (value === undefined) continue;
    out += `${out ? "," : ""}${key}="${escapeLabel(String(value))}"`;
  }
  return out ? `{${out}}` : "";
}

function escapeLabel(value: string): string {
  return /[\\"\n]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")
    : value;
}

function escapeHelp(help: string, om: boolean): string {
  const escaped = help.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
  return om ? escaped.replace(/"/g, '\\"') : escaped;
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}
