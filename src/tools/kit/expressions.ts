// Every PromQL expression of a kit, named by where it lives: for tests that run them on a real Prometheus, and
// for checks that they only use series the gateway exports.

import { alertRules } from "./alert-rules.js";
import { buildDashboard } from "./grafana-dashboard.js";
import type { KitOptions } from "./options.js";
import { recordingRules } from "./recording-rules.js";

export interface KitExpression {
  kind: "record" | "alert" | "panel";
  /** The rule's record or alert name, or the panel's title and the target's refId. */
  name: string;
  expr: string;
  /** Panels: the target asks for exemplars. */
  exemplar?: boolean;
}

interface PanelJson {
  type?: string;
  title?: string;
  targets?: { expr?: string; refId?: string; exemplar?: boolean }[];
}

export function kitExpressions(o: KitOptions): KitExpression[] {
  const dashboard = buildDashboard(o).build() as { panels?: PanelJson[] };
  return [
    ...recordingRules(o).map((r) => ({ kind: "record" as const, name: r.record, expr: r.expr })),
    ...alertRules(o).map((a) => ({ kind: "alert" as const, name: a.alert, expr: a.expr })),
    ...(dashboard.panels ?? []).flatMap((panel) =>
      (panel.targets ?? []).map((target) => ({
        kind: "panel" as const,
        name: `${panel.title ?? "?"} ${target.refId ?? "?"}`,
        expr: target.expr ?? "",
        ...(target.exemplar ? { exemplar: true } : {}),
      })),
    ),
  ];
}

/**
 * Grafana's built-in variables replaced the way Grafana would for the given values; `rateInterval` stands for
 * $__rate_interval (Grafana: max($__interval + scrape interval, 4 x scrape interval)).
 */
export function substituteVariables(
  expr: string,
  values: { job: string; instance: string; model: string; rateInterval: string },
): string {
  return expr
    .replaceAll("$__rate_interval", values.rateInterval)
    .replaceAll("$job", values.job)
    .replaceAll("$instance", values.instance)
    .replaceAll("$model", values.model);
}
