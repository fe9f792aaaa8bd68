// The live dashboard at /ui/: tiles, charts, the upstream's models and recent requests, refreshed every 2 s.

import "./styles.css";
import type { DashboardData, Maybe, RecentRequest } from "../../src/dashboard/api-types.js";
import { AuthError, askForKey, getJson } from "./lib/api.js";
import { Chart, type ChartSpec, type Column } from "./lib/chart.js";
import { byId, fill, h, onSchemeChange } from "./lib/dom.js";
import * as f from "./lib/format.js";

const WINDOWS = [300, 900, 3600] as const;
const REFRESH_MS = 2000;
const HIDDEN_REFRESH_MS = 10_000;
const WINDOW_KEY = "llmgate.window";

const COLOR = {
  blue: "#3b82f6",
  violet: "#8b5cf6",
  red: "#ef4444",
  amber: "#f59e0b",
  green: "#10b981",
  teal: "#06b6d4",
  pink: "#ec4899",
  gray: "#94a3b8",
};

type Tone = "good" | "warn" | "bad" | undefined;
/** A piece of a tile's second line: plain text, or a number the tests read back through data-value-of. */
type Part = string | { key: string; value: Maybe; text: string };

interface TileSpec {
  id: string;
  label: string;
  /** The span the value is computed over, when it is not the selected window: "(last 1 min)". */
  span?: (d: DashboardData) => string;
  value: (d: DashboardData) => Maybe;
  format: (v: Maybe) => string;
  sub: (d: DashboardData) => Part[];
  tone?: (d: DashboardData) => Tone;
}

const TILES: TileSpec[] = [
  {
    id: "rps",
    label: "Requests / s",
    span: lastMinute,
    value: (d) => d.totals.lastMinute.requestsPerS,
    format: (v) => f.num(v),
    sub: (d) => [
      { key: "requests", value: d.totals.requests, text: f.int(d.totals.requests) },
      ` requests in ${f.windowLabel(d.window.seconds)}`,
    ],
  },
  {
    id: "errors",
    label: "Errors (5xx)",
    value: (d) => d.totals.errorRatio,
    format: (v) => (v === null ? "0 %" : f.percent(v)),
    sub: (d) => [
      { key: "errors5xx", value: d.totals.errors5xx, text: f.int(d.totals.errors5xx) },
      " × 5xx · ",
      { key: "errors4xx", value: d.totals.errors4xx, text: f.int(d.totals.errors4xx) },
      " × 4xx",
    ],
    tone: (d) => {
      const r = d.totals.errorRatio ?? 0;
      return r >= 0.05 ? "bad" : r > 0 ? "warn" : "good";
    },
  },
  {
    id: "latency",
    label: "Latency P50",
    value: (d) => d.totals.latency.p50,
    format: f.seconds,
    sub: (d) => [
      "P95 ",
      { key: "latencyP95", value: d.totals.latency.p95, text: f.seconds(d.totals.latency.p95) },
    ],
  },
  {
    id: "ttft",
    label: "Time to first token P50",
    value: (d) => d.totals.ttft.p50,
    format: f.seconds,
    sub: (d) => ["P95 ", { key: "ttftP95", value: d.totals.ttft.p95, text: f.seconds(d.totals.ttft.p95) }],
  },
  {
    id: "tokens",
    label: "Output tokens / s",
    span: lastMinute,
    value: (d) => d.totals.lastMinute.completionTokensPerS,
    format: (v) => f.num(v),
    sub: (d) => [
      { key: "completionTokens", value: d.totals.completionTokens, text: f.int(d.totals.completionTokens) },
      ` out in ${f.windowLabel(d.window.seconds)} · decode P50 `,
      { key: "decodeP50", value: d.totals.decodeSpeed.p50, text: f.num(d.totals.decodeSpeed.p50, "tok/s") },
    ],
  },
  {
    id: "inflight",
    label: "In flight",
    value: (d) => d.now.inflight,
    format: f.int,
    sub: (d) => [
      { key: "queued", value: d.now.queued, text: f.int(d.now.queued) },
      ` queued · limit ${d.now.concurrencyLimit > 0 ? d.now.concurrencyLimit : "∞"}`,
    ],
    tone: (d) => (d.now.queued > 0 ? "warn" : undefined),
  },
  {
    id: "streams",
    label: "Streams failed",
    value: (d) => failedStreams(d),
    format: f.int,
    sub: (d) => [
      { key: "streamsCompleted", value: d.totals.streams.completed, text: f.int(d.totals.streams.completed) },
      " completed",
    ],
    tone: (d) => (failedStreams(d) > 0 ? "bad" : "good"),
  },
  {
    id: "process",
    label: "Gateway CPU",
    value: (d) => d.now.cpu,
    format: (v) => (v === null ? "–" : `${(v * 100).toFixed(v < 0.1 ? 1 : 0)} %`),
    sub: (d) => [
      { key: "rss", value: d.now.rssBytes, text: f.bytes(d.now.rssBytes) },
      " memory · overhead P50 ",
      { key: "overheadP50", value: d.totals.overhead.p50, text: f.seconds(d.totals.overhead.p50) },
    ],
  },
];

/** Rates are over the last complete minute (fewer seconds while the gateway is younger), not the window. */
function lastMinute(d: DashboardData): string {
  const s = d.totals.lastMinute.seconds;
  return `(last ${f.windowLabel(s > 0 ? s : 60)})`;
}

function failedStreams(d: DashboardData): number {
  const s = d.totals.streams;
  return s.client_abort + s.upstream_error + s.timeout + s.shutdown + s.internal_error;
}

interface ChartCard {
  id: string;
  title: string;
  help: string;
  spec: ChartSpec;
  columns: (d: DashboardData) => Column[];
}

const cores = (v: number) => `${Math.round(v * 100)} %`;

const CHARTS: ChartCard[] = [
  {
    id: "requests",
    title: "Requests",
    help: "Answered per second, every route",
    spec: {
      axis: (v) => f.num(v),
      series: [
        { label: "all", color: COLOR.blue, fill: true, format: (v) => f.num(v, "/s") },
        { label: "4xx", color: COLOR.amber, format: (v) => f.num(v, "/s") },
        { label: "5xx", color: COLOR.red, format: (v) => f.num(v, "/s") },
      ],
    },
    columns: (d) => [d.series.requestsPerS, d.series.errors4xxPerS, d.series.errors5xxPerS],
  },
  {
    id: "errors",
    title: "Error ratio",
    help: "Share of requests answered with 5xx",
    spec: {
      axis: (v) => f.percent(v),
      minTop: 0.05,
      series: [{ label: "5xx", color: COLOR.red, fill: true, spanGaps: true, format: f.percent }],
    },
    columns: (d) => [d.series.errorRatio],
  },
  {
    id: "latency",
    title: "Latency",
    help: "Arrival to last byte, every request",
    spec: {
      axis: f.seconds,
      minTop: 0.1,
      series: [
        { label: "P50", color: COLOR.blue, spanGaps: true, format: f.seconds },
        { label: "P95", color: COLOR.violet, spanGaps: true, format: f.seconds },
      ],
    },
    columns: (d) => [d.series.latencyP50, d.series.latencyP95],
  },
  {
    id: "ttft",
    title: "Time to first token",
    help: "Streams: arrival until the first token reached the client",
    spec: {
      axis: f.seconds,
      minTop: 0.1,
      series: [
        { label: "P50", color: COLOR.teal, spanGaps: true, format: f.seconds },
        { label: "P95", color: COLOR.pink, spanGaps: true, format: f.seconds },
      ],
    },
    columns: (d) => [d.series.ttftP50, d.series.ttftP95],
  },
  {
    id: "tokens",
    title: "Tokens / s",
    help: "Throughput of all requests; decode speed of one generation",
    spec: {
      axis: (v) => f.num(v),
      series: [
        { label: "output", color: COLOR.green, fill: true, format: (v) => f.num(v, "tok/s") },
        { label: "prompt", color: COLOR.blue, format: (v) => f.num(v, "tok/s") },
        {
          label: "decode P50",
          color: COLOR.violet,
          dash: [6, 4],
          spanGaps: true,
          format: (v) => f.num(v, "tok/s"),
        },
      ],
    },
    columns: (d) => [d.series.completionTokensPerS, d.series.promptTokensPerS, d.series.decodeSpeedP50],
  },
  {
    id: "concurrency",
    title: "In flight & queued",
    help: "Peak per point; dashed: max-concurrency",
    spec: {
      axis: (v) => f.num(v),
      minTop: 2,
      series: [
        { label: "in flight", color: COLOR.blue, fill: true, spanGaps: true, format: f.int },
        { label: "queued", color: COLOR.amber, spanGaps: true, format: f.int },
        { label: "upstream", color: COLOR.green, spanGaps: true, format: f.int },
        { label: "limit", color: COLOR.gray, dash: [4, 4], format: f.int },
      ],
    },
    columns: (d) => [
      d.series.inflight,
      d.series.queued,
      d.series.upstreamActive,
      d.series.t.map(() => (d.now.concurrencyLimit > 0 ? d.now.concurrencyLimit : null)),
    ],
  },
  {
    id: "streams",
    title: "Stream outcomes",
    help: "Streams per second by how they ended after HTTP 200",
    spec: {
      axis: (v) => f.num(v),
      series: [
        { label: "completed", color: COLOR.green, fill: true, format: (v) => f.num(v, "/s") },
        { label: "client left", color: COLOR.amber, format: (v) => f.num(v, "/s") },
        { label: "upstream error", color: COLOR.red, format: (v) => f.num(v, "/s") },
        { label: "timeout", color: COLOR.pink, format: (v) => f.num(v, "/s") },
      ],
    },
    columns: (d) => [
      d.series.streamsPerS.completed,
      d.series.streamsPerS.client_abort,
      d.series.streamsPerS.upstream_error,
      d.series.streamsPerS.timeout,
    ],
  },
  {
    id: "overhead",
    title: "Gateway overhead",
    help: "Time in the gateway itself, upstream and queue excluded",
    spec: {
      axis: f.seconds,
      minTop: 0.001,
      series: [
        { label: "P50", color: COLOR.teal, spanGaps: true, format: f.seconds },
        { label: "P95", color: COLOR.violet, spanGaps: true, format: f.seconds },
      ],
    },
    columns: (d) => [d.series.overheadP50, d.series.overheadP95],
  },
  {
    id: "process",
    title: "Process CPU & memory",
    help: "CPU in % of one core; resident and heap memory",
    spec: {
      axis: cores,
      axis2: f.bytes,
      minTop: 0.1,
      minTop2: 64 * 1024 * 1024,
      series: [
        {
          label: "CPU",
          color: COLOR.blue,
          fill: true,
          spanGaps: true,
          format: (v) => (v === null ? "–" : cores(v)),
        },
        { label: "resident", color: COLOR.violet, scale: "y2", spanGaps: true, format: f.bytes },
        { label: "heap", color: COLOR.pink, scale: "y2", dash: [6, 4], spanGaps: true, format: f.bytes },
      ],
    },
    columns: (d) => [d.series.cpu, d.series.rssBytes, d.series.heapBytes],
  },
];

// ---- state ----

let windowS: number = readWindow();
let latest: DashboardData | undefined;
let timer: number | undefined;
const charts = new Map<string, Chart>();

function readWindow(): number {
  const stored = Number(localStorage.getItem(WINDOW_KEY));
  return (WINDOWS as readonly number[]).includes(stored) ? stored : 300;
}

// ---- layout ----

function buildTiles(): void {
  fill(
    byId("tiles"),
    ...TILES.map((t) =>
      h(
        "div",
        { class: "tile", "data-tile": t.id },
        h("div", { class: "tile-label" }, t.label, t.span ? h("span", { class: "tile-span" }, "") : null),
        h("div", { class: "tile-value", "data-value": "" }, "–"),
        h("div", { class: "tile-sub" }, "\u00a0"),
      ),
    ),
  );
}

function buildCharts(): void {
  const grid = byId("charts");
  grid.replaceChildren();
  for (const c of CHARTS) {
    const plot = h("div", { class: "plot" });
    grid.append(
      h(
        "article",
        { class: "card chart-card", "data-chart": c.id, "data-points": 0 },
        h("header", { class: "card-head" }, h("h2", {}, c.title), h("p", { class: "card-help" }, c.help)),
        plot,
      ),
    );
    charts.set(c.id, new Chart(plot, c.spec));
  }
}

function buildWindowSelect(): void {
  const group = byId("window-select");
  fill(
    group,
    ...WINDOWS.map((w) => {
      const button = h("button", { type: "button", role: "radio", "data-window": w }, f.windowLabel(w));
      button.addEventListener("click", () => {
        windowS = w;
        localStorage.setItem(WINDOW_KEY, String(w));
        markWindow();
        void refresh();
      });
      return button;
    }),
  );
  markWindow();
}

function markWindow(): void {
  for (const b of byId("window-select").querySelectorAll("button"))
    b.setAttribute("aria-checked", String(Number(b.dataset.window) === windowS));
}

// ---- rendering ----

function render(d: DashboardData): void {
  latest = d;
  document.body.classList.remove("locked");
  byId("main").dataset.generatedAt = String(d.generatedAt);
  renderUpstreamPill(d);
  for (const t of TILES) {
    const el = document.querySelector<HTMLElement>(`[data-tile="${t.id}"]`);
    if (!el) continue;
    const value = t.value(d);
    const span = el.querySelector<HTMLElement>(".tile-span");
    if (span && t.span) {
      span.textContent = ` ${t.span(d)}`;
      span.dataset.seconds = String(d.totals.lastMinute.seconds);
    }
    const valueEl = el.querySelector<HTMLElement>(".tile-value") as HTMLElement;
    valueEl.textContent = t.format(value);
    valueEl.dataset.value = value === null ? "" : String(value);
    const tone = t.tone?.(d);
    if (tone) el.dataset.tone = tone;
    else delete el.dataset.tone;
    fill(
      el.querySelector(".tile-sub") as HTMLElement,
      ...t
        .sub(d)
        .map((p) =>
          typeof p === "string"
            ? p
            : h("span", { "data-value-of": p.key, "data-value": p.value === null ? "" : p.value }, p.text),
        ),
    );
  }
  for (const c of CHARTS) {
    const columns = c.columns(d);
    charts.get(c.id)?.update(d.series.t, columns);
    const first = columns[0] ?? [];
    const points = first.filter((v) => v !== null && v !== undefined).length;
    const card = document.querySelector<HTMLElement>(`[data-chart="${c.id}"]`);
    if (card) card.dataset.points = String(points);
  }
  renderModels(d);
  renderRecent(d.recent, d.gateway.keys);
  renderEmpty(d);
  fill(
    byId("foot"),
    h(
      "span",
      {},
      `In-memory history: ${f.windowLabel(d.gateway.history.seconds)} at 1 s resolution (${f.bytes(d.gateway.history.bytes)}, fixed), last ${d.gateway.history.recent} requests. `,
      "Same events as ",
      h("a", { href: "../metrics" }, "/metrics"),
      ".",
    ),
    h(
      "span",
      { class: "foot-meta" },
      `llmgate ${d.gateway.version} · Node ${d.gateway.node} · up ${f.seconds((d.generatedAt - d.gateway.startedAt) / 1000)} · updated ${f.clock(d.generatedAt)}`,
    ),
  );
}

function renderUpstreamPill(d: DashboardData): void {
  const pill = byId("upstream-pill");
  pill.dataset.state = d.upstream.up ? "up" : "down";
  pill.title = d.upstream.up ? `${d.upstream.origin}` : (d.upstream.error ?? "upstream down");
  fill(pill, h("i", { class: "dot" }), d.upstream.up ? `Ollama ${d.upstream.version ?? ""}` : "Ollama down");
}

function renderModels(d: DashboardData): void {
  const u = d.upstream;
  const loadedNames = new Set(u.loaded.map((m) => m.name));
  fill(
    byId("models"),
    h(
      "div",
      { class: "upstream-line", "data-upstream": u.up ? "up" : "down" },
      h("i", { class: `dot ${u.up ? "up" : "down"}` }),
      h("strong", {}, u.up ? `Ollama ${u.version ?? ""}` : "Ollama is not answering"),
      h(
        "span",
        { class: "muted" },
        ` ${u.origin}${u.polledAt ? ` · polled ${f.ago(u.polledAt, d.generatedAt)}` : ""}`,
      ),
    ),
    !u.up && u.error ? h("p", { class: "upstream-error" }, u.error) : null,
    h("h3", {}, "Loaded ", h("span", { class: "count" }, u.loaded.length)),
    u.loaded.length === 0
      ? h("p", { class: "muted empty-line" }, "No model in memory; the next request loads one.")
      : h(
          "ul",
          { class: "loaded" },
          ...u.loaded.map((m) => {
            const share = m.sizeBytes > 0 ? m.vramBytes / m.sizeBytes : 0;
            const bar = h("span", { class: "bar-fill" });
            bar.style.width = `${Math.round(Math.min(1, share) * 100)}%`;
            return h(
              "li",
              { "data-model": m.name },
              h(
                "div",
                { class: "row" },
                h("span", { class: "model-name" }, m.name),
                m.expiresInS === null
                  ? null
                  : h(
                      "span",
                      { class: "countdown", "data-expires-at": d.generatedAt + m.expiresInS * 1000 },
                      `unloads in ${f.countdown(m.expiresInS)}`,
                    ),
              ),
              h("div", { class: "bar", title: `${f.percent(share)} on the GPU` }, bar),
              h(
                "div",
                { class: "row muted small" },
                h(
                  "span",
                  {},
                  `${f.bytes(m.vramBytes)} VRAM of ${f.bytes(m.sizeBytes)} (${f.percent(share)} GPU)`,
                ),
                h("span", {}, m.contextLength > 0 ? `context ${f.int(m.contextLength)}` : ""),
              ),
            );
          }),
        ),
    h("h3", {}, "Available ", h("span", { class: "count" }, u.models.length)),
    h(
      "ul",
      { class: "available" },
      ...u.models.map((m) =>
        h(
          "li",
          {},
          h("span", { class: "model-name" }, m.name),
          loadedNames.has(m.name) ? h("span", { class: "badge good" }, "loaded") : null,
          h(
            "span",
            { class: "muted small model-meta" },
            [m.parameterSize, m.quantization, f.bytes(m.sizeBytes)].filter((x) => x).join(" · "),
          ),
        ),
      ),
    ),
  );
}

const OUTCOME_TONE: Record<string, Tone> = {
  completed: "good",
  client_abort: "warn",
  rejected: "warn",
  timeout: "bad",
  upstream_error: "bad",
  shutdown: "bad",
  internal_error: "bad",
};

function renderRecent(rows: RecentRequest[], keys: boolean): void {
  const table = byId("recent");
  const head = h(
    "tr",
    {},
    ...[
      "Time",
      "Route",
      "Model",
      ...(keys ? ["Key"] : []),
      "Status",
      "Duration",
      "TTFT",
      "Tokens",
      "Outcome",
    ].map((c) => h("th", { scope: "col" }, c)),
  );
  const body = rows.map((r) =>
    h(
      "tr",
      { "data-request-id": r.id, title: `request ${r.id}${r.errorCode ? ` · ${r.errorCode}` : ""}` },
      h("td", { class: "mono" }, f.clock(r.at)),
      h("td", { class: "mono route" }, `${r.method === "POST" ? "" : `${r.method} `}${r.route}`),
      h("td", { class: "model" }, r.model ?? "–"),
      keys ? h("td", {}, r.key ?? "–") : null,
      h("td", { class: `num status s${Math.floor(r.status / 100)}xx` }, r.status),
      h("td", { class: "num" }, f.millis(r.durationMs)),
      h("td", { class: "num" }, f.millis(r.ttftMs)),
      h(
        "td",
        { class: "num" },
        r.promptTokens === null && r.completionTokens === null
          ? "–"
          : `${f.int(r.promptTokens ?? 0)} → ${f.int(r.completionTokens ?? 0)}`,
      ),
      h(
        "td",
        {},
        h("span", { class: `badge ${OUTCOME_TONE[r.outcome] ?? ""}` }, r.outcome.replace("_", " ")),
      ),
    ),
  );
  fill(
    table,
    h("thead", {}, head),
    h(
      "tbody",
      {},
      ...(body.length > 0
        ? body
        : [h("tr", {}, h("td", { colspan: keys ? 9 : 8, class: "muted empty-line" }, "No requests yet."))]),
    ),
  );
}

function renderEmpty(d: DashboardData): void {
  const notice = byId("notice");
  if (d.totals.requests > 0 || d.recent.length > 0) {
    notice.hidden = true;
    return;
  }
  notice.hidden = false;
  const base = new URL("..", location.href).href.replace(/\/$/, "");
  const model = d.upstream.models[0]?.name ?? "qwen3:32b";
  fill(
    notice,
    h("strong", {}, "No traffic yet. "),
    "Point an OpenAI client at ",
    h("code", {}, `${base}/v1`),
    ", chat in the ",
    h("a", { href: "playground" }, "playground"),
    ", or try:",
    h(
      "pre",
      {},
      `curl ${base}/v1/chat/completions -H 'content-type: application/json' \\\n  -d '{"model":"${model}","messages":[{"role":"user","content":"Hello"}]}'`,
    ),
  );
}

function tickCountdowns(): void {
  const now = Date.now();
  for (const el of document.querySelectorAll<HTMLElement>("[data-expires-at]")) {
    const left = (Number(el.dataset.expiresAt) - now) / 1000;
    el.textContent = left > 0 ? `unloads in ${f.countdown(left)}` : "unloading";
  }
}

// ---- refresh loop ----

async function refresh(): Promise<void> {
  window.clearTimeout(timer);
  try {
    const data = await getJson<DashboardData>(`api/dashboard?window=${windowS}`);
    render(data);
    setConnection("live", "");
  } catch (err) {
    if (err instanceof AuthError) {
      document.body.classList.add("locked");
      setConnection("locked", err.message);
      await askForKey(err.message);
      return refresh();
    }
    setConnection("error", err instanceof Error ? err.message : String(err));
  }
  timer = window.setTimeout(() => void refresh(), document.hidden ? HIDDEN_REFRESH_MS : REFRESH_MS);
}

function setConnection(state: "live" | "error" | "locked", message: string): void {
  const el = byId("connection");
  el.dataset.state = state;
  el.title = message;
  el.textContent = state === "live" ? "live" : state === "locked" ? "key needed" : "reconnecting…";
}

function main(): void {
  buildWindowSelect();
  buildTiles();
  buildCharts();
  onSchemeChange(() => {
    for (const chart of charts.values()) chart.restyle();
    if (latest) render(latest);
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden) void refresh();
  });
  window.setInterval(tickCountdowns, 1000);
  void refresh();
}

main();
