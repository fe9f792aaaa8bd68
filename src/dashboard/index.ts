// Assembles the dashboard: the history and recent-request rings (request listeners), the 1 s sampler, and the HTTP route.

import type { KeyRing } from "../auth/api-keys.js";
import { PROBE_ROUTES, type RequestRecord } from "../events/request-events.js";
import { CATALOG } from "../metrics/catalog.js";
import type { UpstreamSnapshot } from "../upstream/model-poller.js";
import type { DashboardData, StatusData } from "./api-types.js";
import { createDashboardPages, type DashboardPages } from "./handler.js";
import { type BucketLayout, History } from "./history.js";
import { ProcessSampler } from "./process-sampler.js";
import { RecentRequests } from "./recent.js";
import { defaultUiDir, loadStaticFiles } from "./static-files.js";
import { dashboardData, type LiveState, statusData, type ViewSources } from "./view.js";

export type { DashboardPages } from "./handler.js";
export type { LiveState } from "./view.js";

export interface DashboardOptions {
  /** Whether API keys are configured (the page says so); who may read the data is the route table's `admin` policy. */
  keys: KeyRing;
  /** metrics-buckets overrides by metric name, so the history's buckets are the ones /metrics exports. */
  metricsBuckets: Record<string, readonly number[]>;
  upstream: { readonly snapshot: UpstreamSnapshot };
  upstreamUrl: string;
  version: string;
  maxQueue: number;
  /** Where the built pages are; default dist/ui. */
  uiDir?: string;
  /** Seconds of history (default 3600) and rows of recent requests (default 200). */
  historySeconds?: number;
  recentCapacity?: number;
  /** Told about failures of the once-a-second sampler (its timer must not die with them). */
  onError: (err: unknown) => void;
}

export interface Dashboard {
  /**
   * A RequestEvents listener: every finished request, the same records /metrics counts. Health probes
   * (PROBE_ROUTES) are left out of everything the dashboard and /status.json show; /metrics keeps them.
   */
  observe(record: RequestRecord): void;
  /** Gauges read each second and on every answer; until bound they read 0. */
  bindState(state: LiveState): void;
  /** The handlers of the route table's dashboard rows. */
  pages: DashboardPages;
  /** False when dist/ui was not built (pages answer 503 saying so; data endpoints still work). */
  readonly assetsBuilt: boolean;
  readonly history: History;
  readonly recent: RecentRequests;
  data(windowS: number): DashboardData;
  status(): StatusData;
  /** Starts sampling gauges, CPU and memory twice a second (an unref'd timer), so every second gets a sample. */
  start(): void;
  stop(): void;
}

/** The /metrics bucket layout: the catalog's defaults unless metrics-buckets overrides them. */
const SAMPLE_MS = 500;

export function bucketLayout(overrides: Record<string, readonly number[]>): BucketLayout {
  const of = (key: "requestDuration" | "ttft" | "overhead" | "decodeSpeed") => {
    const spec = CATALOG[key];
    return overrides[spec.name] ?? spec.buckets;
  };
  return {
    duration: of("requestDuration"),
    ttft: of("ttft"),
    overhead: of("overhead"),
    decodeSpeed: of("decodeSpeed"),
  };
}

export function createDashboard(o: DashboardOptions): Dashboard {
  const history = new History({
    buckets: bucketLayout(o.metricsBuckets),
    ...(o.historySeconds !== undefined ? { seconds: o.historySeconds } : {}),
  });
  const recent = new RecentRequests(o.recentCapacity);
  const sampler = new ProcessSampler();
  let state: LiveState = {
    inflight: () => 0,
    queued: () => 0,
    upstreamActive: () => 0,
    concurrencyLimit: () => 0,
  };
  const uiDir = o.uiDir ?? defaultUiDir();
  const files = uiDir === undefined ? undefined : loadStaticFiles(uiDir);
  const sources: ViewSources = {
    history,
    recent,
    upstream: o.upstream,
    upstreamOrigin: originOf(o.upstreamUrl),
    state: {
      inflight: () => state.inflight(),
      queued: () => state.queued(),
      upstreamActive: () => state.upstreamActive(),
      concurrencyLimit: () => state.concurrencyLimit(),
    },
    process: () => sampler.last,
    gateway: {
      version: o.version,
      node: process.versions.node,
      startedAt: Date.now(),
      keys: o.keys.enabled,
      maxQueue: o.maxQueue,
    },
  };
  const sample = () => {
    const p = sampler.read();
    history.sample({
      inflight: state.inflight(),
      queued: state.queued(),
      upstreamActive: state.upstreamActive(),
      cpu: p.cpu ?? Number.NaN,
      rssBytes: p.rssBytes,
      heapBytes: p.heapBytes,
    });
  };
  let timer: NodeJS.Timeout | undefined;
  return {
    observe(record) {
      if (PROBE_ROUTES.has(record.route)) return;
      history.observe(record);
      recent.observe(record);
    },
    bindState(s) {
      state = s;
    },
    pages: createDashboardPages({
      files,
      dashboard: (windowS) => dashboardData(sources, windowS),
      status: () => statusData(sources),
      maxWindowS: history.seconds,
    }),
    assetsBuilt: files !== undefined,
    history,
    recent,
    data: (windowS) => dashboardData(sources, windowS),
    status: () => statusData(sources),
    start() {
      if (timer) return;
      sample();
      timer = setInterval(() => {
        try {
          sample();
        } catch (err) {
          o.onError(err);
        }
      }, SAMPLE_MS);
      timer.unref();
    },
    stop() {
      clearInterval(timer);
      timer = undefined;
    },
  };
}

/** Scheme, host and port only: a URL's path, query and credentials are not shown. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "";
  }
}
