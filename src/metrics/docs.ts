// Renders docs/metrics.md from the catalog and from a live registry, so the page lists exactly what is exported.

import { REJECTION_REASONS } from "../errors/error-spec.js";
import { OUTCOMES, ROUTE_NAMES, UPSTREAM_ERROR_CLASSES } from "../events/request-events.js";
import { CATALOG, type CatalogKey, type MetricGroup, type MetricSpec, PROCESS_METRICS } from "./catalog.js";
import { GatewayMetrics } from "./gateway-metrics.js";
import { DONE_REASONS, METHODS } from "./labels.js";

/** Every route template, in the order the docs list them. */
const ROUTES = ROUTE_NAMES;
const ERROR_CLASSES = UPSTREAM_ERROR_CLASSES;

type CatalogLabel = (typeof CATALOG)[CatalogKey]["labels"][number];

const code = (s: string) => `\`${s}\``;
const codes = (values: readonly string[]) => values.map(code).join(", ");

/** The values each label can take; a Record so that a new label in the catalog fails to compile until documented. */
const LABEL_VALUES: Record<CatalogLabel, string> = {
  code: "The numeric HTTP status as text (`200`, `400`, `503`, …); `other` for a status outside 100–599.",
  method: `${codes(METHODS)}; any other method is \`other\`.`,
  path: `The route template, never the raw path: ${codes(ROUTES)} (any path the gateway has no route for).`,
  model:
    "The canonical name of a model the upstream reports (its `/api/tags` and `/api/ps`, plus at most " +
    "`metrics-learned-models` names it served successfully without listing them), whatever spelling the client " +
    'used; `other` for any other name a client sends; empty (`model=""`) for ' +
    "requests that name no model (`GET /v1/models`, a body that failed to parse). On the per-model upstream " +
    "gauges: the models in `/api/ps`.",
  outcome: `How the request ended, exactly one of ${codes(OUTCOMES)}.`,
  class: `${codes(ERROR_CLASSES)}.`,
  reason:
    `On \`done_reasons_total\`: Ollama's \`done_reason\`, ${codes(DONE_REASONS)}; anything else (or none) ` +
    `is \`other\`. On \`admission_rejections_total\`: why the gateway refused, ${codes(REJECTION_REASONS)}.`,
  version:
    "On `build_info`: llmgate's version. On `upstream_version_info`: the upstream's (Ollama's) version.",
  node_version: "The Node.js version llmgate runs on.",
  key:
    "The name of the API key the request presented (one of the configured `api-key` names, never the secret); " +
    'empty (`key=""`) when no keys are configured or the request was refused before its key was known.',
};

const GROUPS: readonly { group: MetricGroup; title: string; intro: string }[] = [
  {
    group: "seed",
    title: "The seed's four metrics",
    intro:
      "The tutorial's four series, with its names and labels. Request and response sizes are histograms here " +
      "(the tutorial used summaries, which cannot be aggregated across instances) and count the bytes actually " +
      "transferred.",
  },
  {
    group: "gateway",
    title: "The gateway",
    intro: "What the gateway is doing, and where the time goes: in the gateway, or upstream.",
  },
  {
    group: "llm",
    title: "What the model did",
    intro:
      "From the client's view (streams: time to first token, time per output token) and from the statistics " +
      "Ollama reports at the end of every generation.",
  },
  {
    group: "outcomes",
    title: "How requests ended",
    intro:
      "Every request ends in exactly one outcome. A stream that fails after HTTP 200 is not a 5xx: " +
      "it shows here and in `streams_total`.",
  },
  {
    group: "upstream",
    title: "The upstream and its models",
    intro:
      "Polled from Ollama's `/api/version`, `/api/tags` and `/api/ps` (`poll-interval`) and sampled at scrape " +
      "time. Per-model series exist while the model is loaded and are removed when it unloads.",
  },
  {
    group: "admission",
    title: "Admission queue",
    intro: "The gateway's own queue in front of the upstream.",
  },
  {
    group: "process",
    title: "Build",
    intro: "",
  },
];

/** The seed tutorial's questions (section 1), answered in PromQL; `P` stands for the prefix. */
const QUESTIONS: readonly { question: string; promql: string; note: string }[] = [
  {
    question: "当前有多少并发请求?",
    promql: "P_requests_in_flight",
    note: "Requests being handled right now, sampled at scrape time. Client connections: `P_open_connections`.",
  },
  {
    question: "平均响应时间是多少毫秒?",
    promql:
      "1000 * sum(rate(P_request_duration_seconds_sum[5m])) / sum(rate(P_request_duration_seconds_count[5m]))",
    note:
      'Mean over 5 minutes, in milliseconds; add `{path="/v1/chat/completions"}` to both for chat only. ' +
      "For streams the wait users feel is time to first token: " +
      "`histogram_quantile(0.95, sum by (le) (rate(P_time_to_first_token_seconds_bucket[5m])))`.",
  },
  {
    question: "API错误率有没有突然跳到5%?",
    promql:
      '(sum(rate(P_requests_total{code=~"5.."}[5m])) or vector(0)) / (sum(rate(P_requests_total[5m])) > 0) > 0.05',
    note:
      "Sum numerator and denominator before dividing. `or vector(0)`: 0, not no data, before the first 5xx; " +
      "`> 0` in the denominator: no traffic gives no result instead of NaN. Streams that fail after HTTP 200 " +
      'are not 5xx: `sum(rate(P_streams_total{outcome!="completed"}[5m]))`.',
  },
  {
    question: "模型推理队列积压了多少?",
    promql: "P_queue_length",
    note: "Requests waiting in the gateway's admission queue.",
  },
  {
    question: "模型推理队列积压了多少? (Ollama)",
    promql:
      "(sum(rate(P_engine_time_to_first_token_seconds_sum[5m])) - sum(rate(P_ollama_prefill_duration_seconds_sum[5m])))" +
      " / sum(rate(P_engine_time_to_first_token_seconds_count[5m]))",
    note:
      "Ollama does not report its queue. This is the mean time a generation waited inside Ollama before its " +
      "prompt was processed: for a free slot (`OLLAMA_NUM_PARALLEL`), for the scheduler and for a model load " +
      "(that last part alone: `P_ollama_load_duration_seconds`). `P_requests_in_flight - P_queue_length` is " +
      "roughly how many requests are at Ollama right now.",
  },
  {
    question: "内存用了多少?",
    promql: "P_process_resident_memory_bytes",
    note: "The gateway's resident memory. The models' memory in Ollama: `sum(P_model_size_bytes)`.",
  },
  {
    question: "GPU显存是不是快爆了?",
    promql: "sum(P_model_vram_bytes)",
    note:
      "GPU memory the loaded models use; compare with the card's size (Ollama does not report it), e.g. " +
      "`sum(P_model_vram_bytes) / (24 * 1024^3) > 0.9` for 24 GiB. A model that did not fit spills to the " +
      "CPU: `P_model_vram_bytes / P_model_size_bytes < 1`.",
  },
];

/** A prom-client metric as the registry holds it (its typings omit labelNames and declare type as an enum). */
interface RegisteredMetric {
  name: string;
  help: string;
  type: string;
  labelNames?: readonly string[];
}

/** The Markdown page for docs/metrics.md. Deterministic: the same catalog and prom-client give the same bytes. */
export async function renderMetricsDoc(prefix = "llmgate"): Promise<string> {
  const withPrefix = (promql: string) => promql.replace(/\bP_/g, `${prefix}_`);
  const specs = Object.values(CATALOG) as readonly MetricSpec[];
  const out: string[] = [];
  const line = (text = "") => out.push(text);

  line("# Metrics");
  line();
  line("<!-- Generated from src/metrics/catalog.ts by `npm run docs`; edit the catalog, not this file. -->");
  line();
  line(
    `Every series is named \`<prefix>_<name>\`. The prefix is \`llmgate\` by default${prefix === "llmgate" ? "" : ` (\`${prefix}\` in this page)`}; ` +
      "set it with `--metrics-prefix`, `LLMGATE_METRICS_PREFIX` or `metrics-prefix` in the config file. " +
      "`--metrics-prefix clawdbot_qwen3_gateway` gives the seed tutorial's names " +
      "(`clawdbot_qwen3_gateway_requests_total`, `clawdbot_qwen3_gateway_request_duration_seconds`, …).",
  );
  line();
  line(
    "`/metrics` answers in Prometheus text 0.0.4, or in OpenMetrics 1.0 when the scraper's `Accept` asks for it " +
      "(Prometheus does by default). Only OpenMetrics carries exemplars: the histograms marked below keep the " +
      "`request_id` of a recent request per bucket, the same id as the response's `x-request-id` and the access " +
      "log. `metrics-token` requires `Authorization: Bearer <token>`; `metrics-listen` moves `/metrics` to its own " +
      "listener. Scrapes are not counted as requests.",
  );
  line();
  line(
    "Every label is bounded by construction: whatever clients send, a label takes one of the values below. " +
      "Histograms add `le` (the bucket's upper bound) on their `_bucket` series; their bounds can be changed per " +
      "metric with `metrics-buckets` (`NAME=B1,B2,…`, name without prefix).",
  );
  line();
  line("## Labels");
  line();
  line("| Label | Values | Used by |");
  line("|---|---|---|");
  for (const [label, values] of Object.entries(LABEL_VALUES)) {
    const users = specs.filter((s) => s.labels.includes(label)).map((s) => code(s.name));
    line(`| ${code(label)} | ${cell(values)} | ${users.join(", ")} |`);
  }
  line();

  for (const { group, title, intro } of GROUPS) {
    const inGroup = specs.filter((s) => s.group === group);
    if (inGroup.length === 0) continue;
    line(`## ${title}`);
    line();
    if (intro) {
      line(intro);
      line();
    }
    line("| Metric | Type | Unit | Labels | Description | Example |");
    line("|---|---|---|---|---|---|");
    for (const s of inGroup) {
      let description = s.help;
      if (s.buckets) description += `<br>Default buckets: ${s.buckets.join(", ")}.`;
      if (s.exemplars) description += "<br>Exemplar: `request_id` (OpenMetrics).";
      line(
        `| ${code(`${prefix}_${s.name}`)} | ${s.type} | ${s.unit || "–"} | ${codes(s.labels) || "–"} | ` +
          `${cell(description)} | ${code(cell(withPrefix(s.example)))} |`,
      );
    }
    line();
  }

  line("## Process and Node.js");
  line();
  line(
    "prom-client's default metrics, with the same prefix. Listed from a live registry on Linux; elsewhere the `process_*` memory and file-descriptor metrics are absent. " +
      "Its three gauges named `*_total` (`nodejs_active_handles_total`, `nodejs_active_requests_total`, " +
      "`nodejs_active_resources_total`) are dropped: `promtool check metrics` rejects them, and the same " +
      "numbers are in the gauges without the suffix.",
  );
  line();
  line("| Metric | Type | Labels | Description | Example |");
  line("|---|---|---|---|---|");
  const examples = new Map(PROCESS_METRICS.map((p) => [`${prefix}_${p.name}`, p.example]));
  for (const metric of await registeredProcessMetrics(prefix)) {
    const example = examples.get(metric.name);
    line(
      `| ${code(metric.name)} | ${metric.type} | ${codes(metric.labelNames ?? []) || "–"} | ${cell(metric.help)} | ` +
        `${example ? code(cell(withPrefix(example))) : ""} |`,
    );
  }
  line();

  line("## Answering the seed's questions");
  line();
  line("The questions from the tutorial's introduction, in PromQL.");
  line();
  line("| Question | PromQL | Notes |");
  line("|---|---|---|");
  for (const q of QUESTIONS)
    line(`| ${q.question} | ${code(cell(withPrefix(q.promql)))} | ${cell(withPrefix(q.note))} |`);
  return `${out.join("\n")}\n`;
}

/** The non-catalog metrics a default GatewayMetrics registers, in registration order. */
async function registeredProcessMetrics(prefix: string): Promise<RegisteredMetric[]> {
  const catalogNames = new Set(Object.values(CATALOG).map((s) => `${prefix}_${s.name}`));
  const metrics = new GatewayMetrics({ prefix, version: "docs" });
  return (metrics.registry.getMetricsAsArray() as unknown as RegisteredMetric[]).filter(
    (m) => !catalogNames.has(m.name),
  );
}

/** Makes text safe inside a Markdown table cell (GitHub unescapes `\|` inside code spans too). */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
