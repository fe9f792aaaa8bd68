// Turns request records, gateway state and upstream snapshots into the catalog's series. The only user of prom-client:
// its registry and process metrics; the catalog's counters, histograms and gauges are ./series.ts, registered in the
// same registry.

import { collectDefaultMetrics, type OpenMetricsContentType, Registry } from "prom-client";
import { REJECTION_REASONS, rejectionReason } from "../errors/error-spec.js";
import { type Outcome, type RequestRecord, UPSTREAM_ERROR_CLASSES } from "../events/request-events.js";
import { ADMITTED_ROUTES } from "../http/route-table.js";
import type { OllamaListModel, OllamaProcessModel } from "../ollama/types.js";
import { CATALOG, type CatalogKey, type MetricSpec } from "./catalog.js";
import {
  type CodeLabel,
  codeLabel,
  doneReasonLabel,
  type ModelDirectory,
  methodLabel,
  modelLabel,
} from "./labels.js";
import { FuncGauge, type GaugeReading, SeriesCounter, SeriesHistogram } from "./series.js";

type Spec<K extends CatalogKey> = (typeof CATALOG)[K];
type LabelsOf<K extends CatalogKey> = Spec<K>["labels"][number];
type MetricOf<K extends CatalogKey> = Spec<K>["type"] extends "counter"
  ? SeriesCounter<LabelsOf<K>>
  : Spec<K>["type"] extends "gauge"
    ? FuncGauge<LabelsOf<K>>
    : SeriesHistogram<LabelsOf<K>>;
export type CatalogMetrics = { [K in CatalogKey]: MetricOf<K> };

type GaugeKey = { [K in CatalogKey]: Spec<K>["type"] extends "gauge" ? K : never }[CatalogKey];
/** What each gauge of the catalog reads at scrape time; a gauge added to the catalog fails to compile until read. */
type GaugeReaders = { [K in GaugeKey]: () => GaugeReading<LabelsOf<K>> };

/** Live state the gauges read at scrape time. */
export interface GatewayState {
  inflight(): number;
  connections(): number;
  queueLength(): number;
  /** Admission queue size; 0 when admission is off. */
  queueCapacity(): number;
  /** Admission limit towards the upstream; 0 when unlimited. */
  concurrencyLimit(): number;
  upstreamActive(): number;
}

/** What the upstream poller knows; read at scrape time. */
export interface UpstreamView extends ModelDirectory {
  readonly snapshot: {
    up: boolean;
    version?: string;
    models: readonly OllamaListModel[];
    loaded: readonly OllamaProcessModel[];
  };
}

export interface GatewayMetricsOptions {
  prefix: string;
  /** Bucket overrides by metric name (without prefix), e.g. { request_duration_seconds: [1, 5, 30] }. */
  buckets?: Partial<Record<HistogramName, readonly number[]>>;
  version: string;
  /** Include prom-client's process and Node.js metrics (default true). */
  processMetrics?: boolean;
}

/**
 * prom-client's default metrics include three gauges named *_total, which `promtool check metrics` rejects;
 * they duplicate the per-type gauges without the suffix, so they are dropped.
 */
const LINT_REJECTED_DEFAULTS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];

export type HistogramName = {
  [K in CatalogKey]: Spec<K>["type"] extends "histogram" ? Spec<K>["name"] : never;
}[CatalogKey];

/** Histogram names that may take bucket overrides. */
export const HISTOGRAM_NAMES = Object.values(CATALOG as Record<string, MetricSpec>)
  .filter((s) => s.type === "histogram")
  .map((s) => s.name) as readonly HistogramName[];

export function isHistogramName(name: string): name is HistogramName {
  return (HISTOGRAM_NAMES as readonly string[]).includes(name);
}

/**
 * Series created at zero on start. Prometheus' rate() cannot see the first increment of a series that appears
 * with value 1, so the first 5xx of a fresh gateway would be invisible to error-rate alerts (and the seed's
 * ratios would be 0/0). The routes the table admits (the ones that occupy a model) and the statuses they answer
 * with are created up front.
 */
const ZERO_PATHS = ADMITTED_ROUTES;
/** Stream outcomes created at zero for each model when it is first seen, so the first failed stream counts. */
const STREAM_OUTCOMES = [
  "completed",
  "client_abort",
  "timeout",
  "upstream_error",
  "shutdown",
] as const satisfies readonly Outcome[];
const ZERO_CODES = [
  "200",
  "400",
  "404",
  "413",
  "429",
  "499",
  "500",
  "502",
  "503",
  "504",
] as const satisfies readonly CodeLabel[];

const MS = 1000;
const NS = 1e9;

export class GatewayMetrics {
  /** An OpenMetrics-typed registry, so histograms may carry exemplars; the exposition module renders both formats. */
  readonly registry: Registry<OpenMetricsContentType>;
  readonly m: CatalogMetrics;
  readonly prefix: string;
  #state?: GatewayState;
  #upstream?: UpstreamView;
  /** Model labels whose stream outcomes exist (bounded like the model label itself). */
  readonly #streamModels = new Set<string>();

  constructor(options: GatewayMetricsOptions) {
    this.prefix = options.prefix;
    this.registry = new Registry<OpenMetricsContentType>();
    this.registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const readers = this.#readers(options.version);
    const metrics = {} as Record<CatalogKey, SeriesCounter | FuncGauge | SeriesHistogram>;
    for (const [key, spec] of Object.entries(CATALOG) as [CatalogKey, MetricSpec][]) {
      const buckets = isHistogramName(spec.name) ? options.buckets?.[spec.name] : undefined;
      metrics[key] = this.#create(spec, buckets, () => readers[key as GaugeKey]());
    }
    this.m = metrics as unknown as CatalogMetrics;
    for (const path of ZERO_PATHS)
      for (const code of ZERO_CODES) this.m.requestsTotal.inc({ code, method: "POST", path }, 0);
    for (const path of ZERO_PATHS)
      for (const klass of UPSTREAM_ERROR_CLASSES) this.m.upstreamErrors.inc({ path, class: klass }, 0);
    for (const reason of REJECTION_REASONS) this.m.rejections.inc({ reason }, 0);
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: `${options.prefix}_` });
      for (const name of LINT_REJECTED_DEFAULTS)
        this.registry.removeSingleMetric(`${options.prefix}_${name}`);
    }
  }

  #create(
    spec: MetricSpec,
    buckets: readonly number[] | undefined,
    read: () => GaugeReading<string>,
  ): SeriesCounter | FuncGauge | SeriesHistogram {
    const common = { name: `${this.prefix}_${spec.name}`, help: spec.help, labelNames: spec.labels };
    switch (spec.type) {
      case "counter":
        return new SeriesCounter(common).register(this.registry);
      case "gauge":
        return new FuncGauge({ ...common, read }).register(this.registry);
      case "histogram":
        return new SeriesHistogram({
          ...common,
          buckets: [...(buckets ?? spec.buckets ?? [])],
          enableExemplars: spec.exemplars === true,
        }).register(this.registry);
      default: {
        const exhaustive: never = spec.type;
        return exhaustive;
      }
    }
  }

  /**
   * Gauges that describe state are sampled when scraped, never pushed from timers. Before bindState() and
   * bindUpstream() the unlabelled ones read 0 and the labelled ones have no series. The per-model series are
   * exactly the models in the poller's last /api/ps, so a model that unloads loses them all at once.
   */
  #readers(version: string): GaugeReaders {
    const snapshot = () => this.#upstream?.snapshot;
    return {
      requestsInFlight: () => this.#state?.inflight() ?? 0,
      openConnections: () => this.#state?.connections() ?? 0,
      queueLength: () => this.#state?.queueLength() ?? 0,
      queueCapacity: () => this.#state?.queueCapacity() ?? 0,
      concurrencyLimit: () => this.#state?.concurrencyLimit() ?? 0,
      upstreamActive: () => this.#state?.upstreamActive() ?? 0,
      upstreamUp: () => (snapshot()?.up ? 1 : 0),
      upstreamInfo: () => {
        const snap = snapshot();
        return snap?.up && snap.version !== undefined ? [[{ version: snap.version }, 1]] : [];
      },
      modelsAvailable: () => snapshot()?.models.length ?? 0,
      modelsLoaded: () => snapshot()?.loaded.length ?? 0,
      modelSize: () => this.#perLoadedModel((p) => p.size),
      modelVram: () => this.#perLoadedModel((p) => p.size_vram),
      modelContext: () => this.#perLoadedModel((p) => p.context_length),
      modelExpiresIn: () => {
        const nowMs = Date.now();
        return this.#perLoadedModel((p) => {
          const expires = Date.parse(p.expires_at);
          return Number.isFinite(expires) ? Math.max(0, (expires - nowMs) / MS) : undefined;
        });
      },
      buildInfo: () => [[{ version, node_version: process.versions.node }, 1]],
    };
  }

  /** One series per model loaded in the upstream, by its label; a model without a value (`undefined`) has none. */
  #perLoadedModel(value: (p: OllamaProcessModel) => number | undefined): [{ model: string }, number][] {
    const upstream = this.#upstream;
    if (!upstream) return [];
    const out: [{ model: string }, number][] = [];
    for (const p of upstream.snapshot.loaded) {
      const v = value(p);
      if (v !== undefined) out.push([{ model: modelLabel(upstream, p.model || p.name) }, v]);
    }
    return out;
  }

  bindState(state: GatewayState): void {
    this.#state = state;
  }

  bindUpstream(upstream: UpstreamView): void {
    this.#upstream = upstream;
  }

  onModelLoad(model: string): void {
    this.m.modelLoads.inc({ model: modelLabel(this.#upstream, model) });
  }

  onModelUnload(model: string): void {
    this.m.modelUnloads.inc({ model: modelLabel(this.#upstream, model) });
  }

  /** Records one finished request. Called once per request by the lifecycle publisher. */
  observe(r: RequestRecord): void {
    const m = this.m;
    const code = codeLabel(r.status);
    const method = methodLabel(r.method);
    const path = r.route;
    const model = modelLabel(this.#upstream, r.model);
    // prom-client's typings confine exemplar labels to the metric's label names; exemplars have their own.
    const exemplar = { request_id: r.id.length > 100 ? r.id.slice(0, 100) : r.id } as Record<never, string>;

    m.requestsTotal.inc({ code, method, path });
    m.requestDuration.observe({
      labels: { code, method, path },
      value: r.durationMs / MS,
      exemplarLabels: exemplar,
    });
    m.requestSize.observe({ method, path }, r.bytesIn);
    m.responseSize.observe({ code, method, path }, r.bytesOut);
    // A key name is one of the configured keys (bounded); requests without keys carry key="".
    const key = r.key ?? "";
    m.outcomes.inc({ path, model, outcome: r.outcome, key });
    const rejection = r.errorCode === undefined ? undefined : rejectionReason(r.errorCode);
    if (rejection) m.rejections.inc({ reason: rejection });

    const upstreamMs = r.upstreamMs ?? 0;
    const queueMs = r.queueWaitMs ?? 0;
    m.overhead.observe({ path }, Math.max(0, r.durationMs - upstreamMs - queueMs) / MS);
    if (r.queueWaitMs !== undefined) m.queueWait.observe(r.queueWaitMs / MS);
    if (r.upstreamMs !== undefined) m.upstreamDuration.observe({ path }, r.upstreamMs / MS);
    if (r.upstreamFirstByteMs !== undefined)
      m.upstreamFirstByte.observe({ path }, r.upstreamFirstByteMs / MS);
    if (r.upstreamErrorClass !== undefined) m.upstreamErrors.inc({ path, class: r.upstreamErrorClass });

    if (r.streamStarted) {
      if (!this.#streamModels.has(model)) {
        this.#streamModels.add(model);
        for (const outcome of STREAM_OUTCOMES) m.streams.inc({ model, outcome }, 0);
      }
      m.streams.inc({ model, outcome: r.outcome });
    }
    if (r.ttftMs !== undefined && r.stream) {
      m.ttft.observe({ labels: { model }, value: r.ttftMs / MS, exemplarLabels: exemplar });
      const tokens = r.completionTokens ?? 0;
      if (r.lastTokenMs !== undefined && tokens > 1)
        m.timePerOutputToken.observe({ model }, (r.lastTokenMs - r.ttftMs) / MS / (tokens - 1));
    }

    if (r.generation) {
      const g = r.generation;
      m.promptTokens.inc({ model, key }, g.promptTokens);
      m.completionTokens.inc({ model, key }, g.completionTokens);
      m.doneReasons.inc({ model, reason: doneReasonLabel(g.doneReason) });
      if (g.totalNs !== undefined)
        m.engineTtft.observe({ model }, Math.max(0, g.totalNs - (g.evalNs ?? 0)) / NS);
      if (g.loadNs !== undefined) m.loadDuration.observe({ model }, g.loadNs / NS);
      if (g.promptEvalNs !== undefined) m.prefillDuration.observe({ model }, g.promptEvalNs / NS);
      if (g.evalNs !== undefined) {
        m.decodeDuration.observe({ model }, g.evalNs / NS);
        if (g.evalNs > 0 && g.completionTokens > 0)
          m.decodeSpeed.observe({ model }, g.completionTokens / (g.evalNs / NS));
      }
    } else if (r.promptTokens !== undefined) {
      // Embeddings: prompt tokens only.
      m.promptTokens.inc({ model, key }, r.promptTokens);
    }
  }
}
