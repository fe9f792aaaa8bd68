// grafana/dashboards/llmgate.json: the gateway dashboard, built with @grafana/grafana-foundation-sdk (v1 JSON).
//
// Every query selects `job=~"$job", instance=~"$instance"` (and `model=~"$model"` where the metric has the label),
// uses $__rate_interval for rates, and has a refId; every panel has a unit. The last row shows the recording
// rules the alerts read, with the alert threshold drawn on the graph.

import * as common from "@grafana/grafana-foundation-sdk/common";
import {
  DashboardBuilder,
  DashboardCursorSync,
  DatasourceVariableBuilder,
  MappingType,
  QueryVariableBuilder,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
  VariableRefresh,
  VariableSort,
} from "@grafana/grafana-foundation-sdk/dashboard";
import * as heatmap from "@grafana/grafana-foundation-sdk/heatmap";
import { DataqueryBuilder, PromQueryFormat } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatPanel } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as StateTimelinePanel } from "@grafana/grafana-foundation-sdk/statetimeline";
import { PanelBuilder as TimeseriesPanel } from "@grafana/grafana-foundation-sdk/timeseries";
import * as units from "@grafana/grafana-foundation-sdk/units";
import type { CatalogKey } from "../../metrics/catalog.js";
import { percent } from "./alert-rules.js";
import { DATASOURCE_NAME, DATASOURCE_UID } from "./grafana-provisioning.js";
import { jsonFile } from "./json-file.js";
import { metric, NOT_PROBE, processMetric, recorded } from "./names.js";
import { type KitOptions, promDuration } from "./options.js";

/** Grafana's variable syntax, not a JavaScript template: every query uses the dashboard's data source variable. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: a Grafana variable reference.
const DATASOURCE = { type: "prometheus", uid: "${datasource}" };
const RATE = "$__rate_interval";
/** Grafana custom unit: the value followed by " tok/s". */
const TOKENS_PER_SECOND = "suffix: tok/s";

interface Query {
  expr: string;
  legend: string;
  /** Ask Grafana for exemplars (request ids) of this query's histogram. */
  exemplar?: boolean;
  format?: PromQueryFormat;
}

type Panel = TimeseriesPanel | StatPanel | heatmap.PanelBuilder | StateTimelinePanel;

function targets<P extends Panel>(panel: P, queries: readonly Query[]): P {
  queries.forEach((q, i) => {
    const target = new DataqueryBuilder()
      .datasource(DATASOURCE)
      .expr(q.expr)
      .legendFormat(q.legend)
      .refId(String.fromCharCode(65 + i))
      .range();
    if (q.exemplar) target.exemplar(true);
    if (q.format) target.format(q.format);
    panel.withTarget(target);
  });
  return panel;
}

function timeseries(
  title: string,
  description: string,
  unit: string,
  queries: readonly Query[],
  span = 12,
): TimeseriesPanel {
  const panel = new TimeseriesPanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(span)
    .height(8)
    .fillOpacity(10)
    .legend(
      new common.VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom),
    );
  return targets(panel, queries);
}

function stat(title: string, description: string, unit: string, query: Query): StatPanel {
  const panel = new StatPanel()
    .title(title)
    .description(description)
    .datasource(DATASOURCE)
    .unit(unit)
    .span(4)
    .height(4)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(["lastNotNull"]))
    .graphMode(common.BigValueGraphMode.Area);
  return targets(panel, [query]);
}

/** A graph with the alert's threshold drawn as a dashed red line. */
function withThreshold(panel: TimeseriesPanel, threshold: number): TimeseriesPanel {
  return panel
    .thresholds(
      new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps([
        { value: null, color: "green" },
        { value: threshold, color: "red" },
      ]),
    )
    .thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(common.GraphThresholdsStyleMode.Dashed),
    );
}

const UP_DOWN = [
  {
    type: MappingType.ValueToText as const,
    options: {
      "0": { text: "DOWN", color: "red", index: 0 },
      "1": { text: "UP", color: "green", index: 1 },
    },
  },
];

export function dashboardUid(o: Pick<KitOptions, "prefix">): string {
  return o.prefix === "llmgate" ? "llmgate" : `llmgate-${o.prefix}`.slice(0, 40);
}

export function buildDashboard(o: KitOptions): DashboardBuilder {
  const m = (key: CatalogKey) => metric(o, key);
  const r = recorded(o);
  const sel = 'job=~"$job", instance=~"$instance"';
  const selModel = `${sel}, model=~"$model"`;
  const rate = (key: CatalogKey, extra = "", s = sel) => `rate(${m(key)}{${s}${extra}}[${RATE}])`;
  const quantile = (q: number, key: CatalogKey, by: string, s = sel) =>
    `histogram_quantile(${q}, sum by (${["le", ...(by ? [by] : [])].join(", ")}) (rate(${m(key)}_bucket{${s}}[${RATE}])))`;
  const ratio = (num: string, den: string) => `(${num} or ${den} * 0)\n/\nclamp_min(${den}, 1e-9)`;
  const w = promDuration(o.rateWindowSeconds);
  const t = o.thresholds;

  const requestRate = `sum(${rate("requestsTotal", `, ${NOT_PROBE}`)})`;
  const errorRate = `sum(${rate("requestsTotal", `, ${NOT_PROBE}, code=~"5.."`)})`;
  const successRatio = `1 - (${ratio(errorRate, requestRate)})`;

  const builder = new DashboardBuilder(o.prefix === "llmgate" ? "llmgate" : `llmgate (${o.prefix})`)
    .uid(dashboardUid(o))
    .description(
      "llmgate, the OpenAI-compatible gateway in front of Ollama: traffic, latency, time to first token, tokens, " +
        "streams, Ollama's models and the gateway process. Generated by `llmgate assets`; runbooks: " +
        o.runbookBaseUrl.replace(/#.*$/, ""),
    )
    .tags(["llmgate", "ollama", "llm"])
    .editable()
    .refresh("30s")
    .time({ from: "now-1h", to: "now" })
    .timezone("browser")
    .tooltip(DashboardCursorSync.Crosshair)
    .withVariable(
      new DatasourceVariableBuilder("datasource")
        .label("Data source")
        .type("prometheus")
        .current({ selected: true, text: DATASOURCE_NAME, value: DATASOURCE_UID }),
    )
    .withVariable(
      new QueryVariableBuilder("job")
        .label("Job")
        .query(`label_values(${m("buildInfo")}, job)`)
        .datasource(DATASOURCE)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .current({ selected: true, text: [o.job], value: [o.job] })
        .multi(true)
        .includeAll(true)
        .allValue(".+"),
    )
    .withVariable(
      new QueryVariableBuilder("instance")
        .label("Instance")
        .query(`label_values(${m("buildInfo")}{job=~"$job"}, instance)`)
        .datasource(DATASOURCE)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .current({ selected: true, text: ["All"], value: ["$__all"] })
        .multi(true)
        .includeAll(true)
        .allValue(".+"),
    )
    .withVariable(
      new QueryVariableBuilder("model")
        .label("Model")
        .query(`label_values(${m("outcomes")}{${sel}}, model)`)
        .datasource(DATASOURCE)
        .refresh(VariableRefresh.OnTimeRangeChanged)
        .sort(VariableSort.AlphabeticalAsc)
        .current({ selected: true, text: ["All"], value: ["$__all"] })
        .multi(true)
        .includeAll(true)
        .allValue(".*"),
    );

  // Overview.
  builder
    .withRow(new RowBuilder("Overview"))
    .withPanel(
      stat("Requests per second", "All requests answered, every route and status.", units.RequestsPerSecond, {
        expr: requestRate,
        legend: "requests/s",
      }),
    )
    .withPanel(
      stat(
        "Success ratio",
        "Share of requests not answered with 5xx. 100% when there is no traffic.",
        units.PercentUnit,
        {
          expr: successRatio,
          legend: "success",
        },
      ).decimals(2),
    )
    .withPanel(
      stat("P95 latency", "95th percentile of the whole request, generation included.", units.Seconds, {
        expr: quantile(0.95, "requestDuration", "", `${sel}, ${NOT_PROBE}`),
        legend: "p95",
      }),
    )
    .withPanel(
      stat(
        "P95 time to first token",
        "What streaming users wait for before the first token appears.",
        units.Seconds,
        {
          expr: quantile(0.95, "ttft", "", selModel),
          legend: "p95",
        },
      ),
    )
    .withPanel(
      stat("Ollama", "Whether the last poll of Ollama's /api/version succeeded.", units.NoUnit, {
        expr: `min(${m("upstreamUp")}{${sel}})`,
        legend: "upstream",
      })
        .mappings(UP_DOWN)
        .graphMode(common.BigValueGraphMode.None),
    )
    .withPanel(
      stat("Requests in flight", "Requests being handled right now.", units.Short, {
        expr: `sum(${m("requestsInFlight")}{${sel}})`,
        legend: "in flight",
      }),
    );

  // Traffic: the seed tutorial's panels.
  builder
    .withRow(new RowBuilder("Traffic"))
    .withPanel(
      timeseries(
        "Request rate by route",
        "Requests per second by route template (`other` for unknown paths).",
        units.RequestsPerSecond,
        [{ expr: `sum by (path) (${rate("requestsTotal")})`, legend: "{{path}}" }],
      ),
    )
    .withPanel(
      timeseries(
        "Success ratio",
        "Share of requests not answered with 5xx (streams failing after 200 are in the Streams row).",
        units.PercentUnit,
        [{ expr: successRatio, legend: "success ratio" }],
      )
        .min(0)
        .max(1),
    )
    .withPanel(
      timeseries(
        "P95 latency by status code",
        "95th percentile of request duration per status code. Dots are exemplars: click one for its request id, then find it in the gateway's log.",
        units.Seconds,
        [{ expr: quantile(0.95, "requestDuration", "code"), legend: "{{code}}", exemplar: true }],
      ),
    )
    .withPanel(
      timeseries(
        "Connections, requests in flight and queue",
        "Open client connections, requests in flight, requests waiting in the admission queue and requests holding an upstream slot (with the limit; 0 = unlimited).",
        units.Short,
        [
          { expr: `sum(${m("openConnections")}{${sel}})`, legend: "open connections" },
          { expr: `sum(${m("requestsInFlight")}{${sel}})`, legend: "in flight" },
          { expr: `sum(${m("queueLength")}{${sel}})`, legend: "queued" },
          { expr: `sum(${m("upstreamActive")}{${sel}})`, legend: "upstream active" },
          { expr: `sum(${m("concurrencyLimit")}{${sel}})`, legend: "concurrency limit" },
        ],
      ),
    )
    .withPanel(
      targets(
        new heatmap.PanelBuilder()
          .title("Request size distribution")
          .description(
            "Request bodies per second by size bucket: spot unusually large requests (base64 images).",
          )
          .datasource(DATASOURCE)
          .unit(units.RequestsPerSecond)
          .span(12)
          .height(8)
          .calculate(false)
          .yAxis(new heatmap.YAxisConfigBuilder().unit(units.BytesIEC)),
        [
          {
            expr: `sum by (le) (rate(${m("requestSize")}_bucket{${sel}}[${RATE}]))`,
            legend: "{{le}}",
            format: PromQueryFormat.Heatmap,
          },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Request and response size (P95)",
        "95th percentile of body sizes by route.",
        units.BytesIEC,
        [
          { expr: quantile(0.95, "requestSize", "path"), legend: "request {{path}}" },
          { expr: quantile(0.95, "responseSize", "path"), legend: "response {{path}}" },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Errors by status code and route",
        "4xx and 5xx answers per second.",
        units.RequestsPerSecond,
        [
          {
            expr: `sum by (code, path) (${rate("requestsTotal", ', code=~"[45].."')}) > 0`,
            legend: "{{code}} {{path}}",
          },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Failed requests by outcome and route",
        "Requests that did not complete: client_abort, timeout, upstream_error (streams failing after 200 included), rejected, shutdown, internal_error.",
        units.RequestsPerSecond,
        [
          {
            expr: `sum by (outcome, path) (${rate("outcomes", ', outcome!="completed"', selModel)})`,
            legend: "{{outcome}} {{path}}",
          },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Upstream errors by class",
        "Failures talking to Ollama: connect (unreachable), timeout, status (error answer), protocol (bad or truncated stream).",
        units.RequestsPerSecond,
        [{ expr: `sum by (class) (${rate("upstreamErrors")})`, legend: "{{class}}" }],
      ),
    );

  // The model.
  builder
    .withRow(new RowBuilder("Model"))
    .withPanel(
      timeseries(
        "Time to first token by model",
        "Streaming requests: from arrival until the first token was flushed to the client. Dots are exemplars (request ids).",
        units.Seconds,
        [
          { expr: quantile(0.5, "ttft", "model", selModel), legend: "p50 {{model}}", exemplar: true },
          { expr: quantile(0.95, "ttft", "model", selModel), legend: "p95 {{model}}", exemplar: true },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Engine time to first token by model (P95)",
        "Ollama's own view, every generation: total_duration minus eval_duration (its queue, model load, prefill).",
        units.Seconds,
        [{ expr: quantile(0.95, "engineTtft", "model", selModel), legend: "{{model}}" }],
      ),
    )
    .withPanel(
      timeseries(
        "Tokens per second",
        "Prompt tokens processed and completion tokens generated, per second.",
        TOKENS_PER_SECOND,
        [
          {
            expr: `sum by (model) (${rate("completionTokens", "", selModel)})`,
            legend: "completion {{model}}",
          },
          { expr: `sum by (model) (${rate("promptTokens", "", selModel)})`, legend: "prompt {{model}}" },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Decode speed per generation",
        "eval_count / eval_duration of each generation: the median, and the slowest 5%.",
        TOKENS_PER_SECOND,
        [
          { expr: quantile(0.5, "decodeSpeed", "model", selModel), legend: "p50 {{model}}" },
          { expr: quantile(0.05, "decodeSpeed", "model", selModel), legend: "p5 {{model}}" },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Time per output token",
        "Streaming requests: time between output tokens as the client receives them.",
        units.Seconds,
        [
          { expr: quantile(0.5, "timePerOutputToken", "model", selModel), legend: "p50 {{model}}" },
          { expr: quantile(0.95, "timePerOutputToken", "model", selModel), legend: "p95 {{model}}" },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Prefill, decode and load time (P95)",
        "Ollama's prompt_eval_duration (prefill), eval_duration (decode) and load_duration per generation.",
        units.Seconds,
        [
          { expr: quantile(0.95, "prefillDuration", "model", selModel), legend: "prefill {{model}}" },
          { expr: quantile(0.95, "decodeDuration", "model", selModel), legend: "decode {{model}}" },
          { expr: quantile(0.95, "loadDuration", "model", selModel), legend: "load {{model}}" },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Generations by done reason",
        "stop, length (num_predict or context limit reached), load, unload, other.",
        units.RequestsPerSecond,
        [
          {
            expr: `sum by (model, reason) (${rate("doneReasons", "", selModel)})`,
            legend: "{{reason}} {{model}}",
          },
        ],
      ),
    );

  // Streams.
  builder
    .withRow(new RowBuilder("Streams"))
    .withPanel(
      timeseries(
        "Stream outcomes",
        "Streams that started (HTTP 200 sent), by how they ended. Anything but completed failed after 200.",
        units.RequestsPerSecond,
        [{ expr: `sum by (outcome) (${rate("streams", "", selModel)})`, legend: "{{outcome}}" }],
      ),
    )
    .withPanel(
      timeseries(
        "Streams failed after HTTP 200",
        "Share of started streams that did not complete. Invisible in status codes: the client got 200.",
        units.PercentUnit,
        [
          {
            expr: ratio(
              `sum(${rate("streams", ', outcome!="completed"', selModel)})`,
              `sum(${rate("streams", "", selModel)})`,
            ),
            legend: "failed",
          },
        ],
      ),
    );

  // Ollama.
  builder
    .withRow(new RowBuilder("Ollama"))
    .withPanel(
      targets(
        new StateTimelinePanel()
          .title("Upstream health")
          .description("Ollama's /api/version as the gateway's poller sees it.")
          .datasource(DATASOURCE)
          .unit(units.NoUnit)
          .mappings(UP_DOWN)
          .span(12)
          .height(8),
        [{ expr: `${m("upstreamUp")}{${sel}}`, legend: "{{instance}}" }],
      ),
    )
    .withPanel(
      timeseries(
        "Models loaded and available",
        "Models in Ollama's memory (/api/ps) and on disk (/api/tags).",
        units.Short,
        [
          { expr: `sum(${m("modelsLoaded")}{${sel}})`, legend: "loaded" },
          { expr: `max(${m("modelsAvailable")}{${sel}})`, legend: "available" },
        ],
      ),
    )
    .withPanel(
      timeseries(
        "Model memory: total and VRAM",
        "Per loaded model: memory in total and on the GPU. VRAM below the total means part of the model runs on the CPU.",
        units.BytesIEC,
        [
          { expr: `sum by (model) (${m("modelSize")}{${selModel}})`, legend: "total {{model}}" },
          { expr: `sum by (model) (${m("modelVram")}{${selModel}})`, legend: "VRAM {{model}}" },
        ],
      ),
    )
    .withPanel(
      timeseries("Model loads and unloads", "Loads and unloads seen by the poller.", units.Short, [
        {
          expr: `sum by (model) (increase(${m("modelLoads")}{${selModel}}[${RATE}]))`,
          legend: "loads {{model}}",
        },
        {
          expr: `sum by (model) (increase(${m("modelUnloads")}{${selModel}}[${RATE}]))`,
          legend: "unloads {{model}}",
        },
      ]),
    )
    .withPanel(
      timeseries(
        "Time until unload",
        "Seconds until Ollama unloads each model (keep_alive).",
        units.Seconds,
        [{ expr: `min by (model) (${m("modelExpiresIn")}{${selModel}})`, legend: "{{model}}" }],
      ),
    )
    .withPanel(
      timeseries(
        "Upstream first byte and duration (P95)",
        "Time to Ollama's response headers (its queue, load, prefill) and until its response ended.",
        units.Seconds,
        [
          { expr: quantile(0.95, "upstreamFirstByte", "path"), legend: "first byte {{path}}" },
          { expr: quantile(0.95, "upstreamDuration", "path"), legend: "duration {{path}}" },
        ],
      ),
    );

  // The gateway process.
  builder
    .withRow(new RowBuilder("Gateway"))
    .withPanel(
      timeseries(
        "Gateway overhead",
        "Time spent in the gateway itself: duration minus upstream time minus queue wait. Should stay far below a millisecond.",
        units.Seconds,
        [
          { expr: quantile(0.5, "overhead", ""), legend: "p50" },
          { expr: quantile(0.99, "overhead", ""), legend: "p99" },
        ],
      ),
    )
    .withPanel(
      timeseries("Admission queue wait (P95)", "Time requests waited for an upstream slot.", units.Seconds, [
        { expr: quantile(0.95, "queueWait", ""), legend: "p95" },
      ]),
    )
    .withPanel(
      timeseries(
        "Admission rejections by reason",
        "Requests refused before reaching Ollama: queue_full, queue_timeout, rate_limited, unauthorized.",
        units.RequestsPerSecond,
        [{ expr: `sum by (reason) (${rate("rejections")})`, legend: "{{reason}}" }],
      ),
    )
    .withPanel(
      timeseries(
        "Process CPU",
        "CPU time used by the gateway process, as a share of one core.",
        units.PercentUnit,
        [
          {
            expr: `sum by (instance) (rate(${processMetric(o, "process_cpu_seconds_total")}{${sel}}[${RATE}]))`,
            legend: "{{instance}}",
          },
        ],
      ),
    )
    .withPanel(
      timeseries("Process memory", "Resident memory and the V8 heap in use.", units.BytesIEC, [
        {
          expr: `sum by (instance) (${processMetric(o, "process_resident_memory_bytes")}{${sel}})`,
          legend: "resident {{instance}}",
        },
        {
          expr: `sum by (instance) (${o.prefix}_nodejs_heap_size_used_bytes{${sel}})`,
          legend: "heap used {{instance}}",
        },
      ]),
    )
    .withPanel(
      timeseries("Event loop lag (P99)", "A busy or blocked event loop delays every stream.", units.Seconds, [
        {
          expr: `max by (instance) (${o.prefix}_nodejs_eventloop_lag_p99_seconds{${sel}})`,
          legend: "{{instance}}",
        },
      ]),
    )
    .withPanel(
      timeseries("Open file descriptors", "Client and upstream sockets, files.", units.Short, [
        {
          expr: `sum by (instance) (${processMetric(o, "process_open_fds")}{${sel}})`,
          legend: "{{instance}}",
        },
      ]),
    );

  // What the alerts read: the recording rules, with the thresholds this kit was generated with.
  builder
    .withRow(new RowBuilder(`As the alerts see it (recording rules, ${w} window)`))
    .withPanel(
      withThreshold(
        timeseries(
          `5xx ratio (alert above ${percent(t.errorRatio)})`,
          `Recording rule ${r.errorRatio}, read by LlmgateHighErrorRatio.`,
          units.PercentUnit,
          [{ expr: `${r.errorRatio}{${sel}}`, legend: "{{instance}}" }],
          8,
        ),
        t.errorRatio,
      ),
    )
    .withPanel(
      withThreshold(
        timeseries(
          `P95 latency (alert above ${promDuration(t.p95LatencySeconds)})`,
          `Recording rule ${r.latencyP95}, read by LlmgateHighLatency.`,
          units.Seconds,
          [{ expr: `${r.latencyP95}{${sel}}`, legend: "{{instance}}" }],
          8,
        ),
        t.p95LatencySeconds,
      ),
    )
    .withPanel(
      withThreshold(
        timeseries(
          `P95 time to first token (alert above ${promDuration(t.ttftP95Seconds)})`,
          `Recording rule ${r.ttftP95}, read by LlmgateSlowFirstToken.`,
          units.Seconds,
          [{ expr: `${r.ttftP95}{${selModel}}`, legend: "{{model}} {{instance}}" }],
          8,
        ),
        t.ttftP95Seconds,
      ),
    )
    .withPanel(
      withThreshold(
        timeseries(
          `Streams failed after 200 (alert above ${percent(t.streamFailureRatio)})`,
          `Recording rule ${r.streamFailureRatio}, read by LlmgateStreamsFailing.`,
          units.PercentUnit,
          [{ expr: `${r.streamFailureRatio}{${sel}}`, legend: "{{instance}}" }],
          8,
        ),
        t.streamFailureRatio,
      ),
    )
    .withPanel(
      withThreshold(
        timeseries(
          `Requests shed (alert above ${percent(t.shedRatio)})`,
          `Recording rule ${r.shedRatio}, read by LlmgateRequestsShed.`,
          units.PercentUnit,
          [{ expr: `${r.shedRatio}{${sel}}`, legend: "{{instance}}" }],
          8,
        ),
        t.shedRatio,
      ),
    )
    .withPanel(
      timeseries(
        "Request rate (recorded)",
        `Recording rule ${r.requestsRate}: the traffic the alerts' minimum-traffic guard compares with ${t.minRequests} requests per ${w}.`,
        units.RequestsPerSecond,
        [{ expr: `${r.requestsRate}{${sel}}`, legend: "{{instance}}" }],
        8,
      ),
    );

  return builder;
}

/** The dashboard JSON for file provisioning: the plain v1 dashboard, as builder.build() returns it. */
export function dashboardFile(o: KitOptions): string {
  return jsonFile(buildDashboard(o).build());
}
