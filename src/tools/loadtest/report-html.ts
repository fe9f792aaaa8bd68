// The load test's result as one self-contained HTML page: summary table, inline SVG charts, errors. No script, no CDN.

import { highlights, type LoadtestReport } from "./report.js";
import { formatMs } from "./report-table.js";
import { escapeXml as esc, lineChart, type XYSeries } from "./svg-chart.js";

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;max-width:2400px;padding:0 2rem;color:#111827}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:.9rem}
th,td{border-bottom:1px solid #e5e7eb;padding:.3rem .6rem;text-align:right}th{background:#f9fafb}
td:first-child,th:first-child{text-align:left}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,34rem),1fr));gap:1rem}
.charts svg{border:1px solid #e5e7eb;width:100%;height:auto;display:block}
.meta{color:#4b5563;font-size:.9rem}code{background:#f3f4f6;padding:0 .2rem}
`;

const rate = (v: number | undefined) =>
  v === undefined || Number.isNaN(v) ? "–" : v < 100 ? v.toFixed(1) : Math.round(v).toString();

/** Latency of every successful request of a level, as an empirical CDF (at most 200 points). */
function cdf(latencies: number[]): [number, number][] {
  const sorted = [...latencies].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const step = Math.max(1, Math.floor(sorted.length / 200));
  const points: [number, number][] = [];
  for (let i = 0; i < sorted.length; i += step) points.push([sorted[i] as number, (i + 1) / sorted.length]);
  points.push([sorted[sorted.length - 1] as number, 1]);
  return points;
}

export function renderHtml(report: LoadtestReport): string {
  const levels = report.levels;
  const categories = levels.map((l) => String(l.concurrency));
  const byLevel = (pick: (i: number) => number | null | undefined): XYSeries["points"] =>
    levels.map((_, i) => [i, pick(i) ?? null] as const);
  const t = report.target;
  const charts = [
    lineChart({
      title: "Latency by concurrency",
      xLabel: "concurrency",
      yLabel: "ms",
      categories,
      series: [
        { name: "P50", points: byLevel((i) => levels[i]?.latencyMs?.p50) },
        { name: "P95", points: byLevel((i) => levels[i]?.latencyMs?.p95) },
        { name: "P99", points: byLevel((i) => levels[i]?.latencyMs?.p99) },
      ],
    }),
  ];
  if (t.stream)
    charts.push(
      lineChart({
        title: "Time to first token by concurrency",
        xLabel: "concurrency",
        yLabel: "ms",
        categories,
        series: [
          { name: "P50", points: byLevel((i) => levels[i]?.ttftMs?.p50) },
          { name: "P95", points: byLevel((i) => levels[i]?.ttftMs?.p95) },
        ],
      }),
    );
  charts.push(
    lineChart({
      title: "Tokens per second in all",
      xLabel: "concurrency",
      yLabel: "completion tokens / s",
      categories,
      series: [{ name: "total", points: byLevel((i) => levels[i]?.tokensPerSecond.total) }],
    }),
    lineChart({
      title: "Tokens per second per stream",
      xLabel: "concurrency",
      yLabel: "tokens / s",
      categories,
      series: [
        { name: "P50", points: byLevel((i) => levels[i]?.tokensPerSecond.perStream?.p50) },
        { name: "mean", points: byLevel((i) => levels[i]?.tokensPerSecond.perStream?.mean) },
      ],
    }),
    lineChart({
      title: "Latency distribution (CDF) per level",
      xLabel: "latency, ms",
      yLabel: "share of requests",
      series: levels.map((l) => ({
        name: `concurrency ${l.concurrency}`,
        points: cdf(l.samples.filter((s) => s.error === undefined).map((s) => s.latencyMs)),
      })),
    }),
  );

  const head = [
    "concurrency",
    "requests",
    "errors",
    "req/s",
    "latency P50 ms",
    "P95",
    "P99",
    "TTFT P50 ms",
    "P95",
    "tok/s per stream (P50)",
    "tok/s total",
    "prompt tokens (mean)",
    "completion tokens (mean)",
  ];
  const rows = levels.map((l) =>
    [
      `${l.concurrency}${l.interrupted ? " (interrupted)" : ""}`,
      String(l.requests),
      String(l.requests - l.ok),
      rate(l.requestsPerSecond),
      formatMs(l.latencyMs?.p50),
      formatMs(l.latencyMs?.p95),
      formatMs(l.latencyMs?.p99),
      formatMs(l.ttftMs?.p50),
      formatMs(l.ttftMs?.p95),
      rate(l.tokensPerSecond.perStream?.p50),
      rate(l.tokensPerSecond.total),
      l.promptTokensMean === null ? "–" : l.promptTokensMean.toFixed(0),
      l.completionTokens.mean === null ? "–" : l.completionTokens.mean.toFixed(1),
    ]
      .map((c) => `<td>${esc(c)}</td>`)
      .join(""),
  );
  const errors = levels.flatMap((l) =>
    Object.entries(l.errors).map(
      ([kind, n]) =>
        `<tr><td>${l.concurrency}</td><td>${esc(kind)}</td><td>${n}</td><td style="text-align:left">${esc(l.errorExamples[kind] ?? "")}</td></tr>`,
    ),
  );
  const h = highlights(levels);
  const notes: string[] = [];
  if (h.throughput && levels.length > 1)
    notes.push(
      `Most tokens per second in all at concurrency <b>${h.throughput.concurrency}</b> (${rate(h.throughput.tokensPerSecond.total)} tok/s, P95 latency ${formatMs(h.throughput.latencyMs?.p95)} ms).`,
    );
  if (h.latency && levels.length > 1)
    notes.push(
      `Lowest P95 latency at concurrency <b>${h.latency.concurrency}</b> (${formatMs(h.latency.latencyMs?.p95)} ms).`,
    );
  const prompt =
    t.prompt.kind === "generated" ? `about ${t.prompt.tokens} tokens, generated` : `from ${t.prompt.path}`;

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>${esc(`llmgate loadtest: ${t.model}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Load test of ${esc(t.model)}</h1>
<p class="meta"><code>${esc(t.endpoint)}</code> · ${t.stream ? "streaming" : "not streaming"} · max_tokens ${t.maxTokens} · prompt ${esc(prompt)} · ${esc(report.startedAt)} to ${esc(report.finishedAt)} · llmgate ${esc(report.version)}</p>
${notes.length ? `<p>${notes.join(" ")}</p>` : ""}
<h2>Summary</h2>
<table>
<thead><tr>${head.map((c) => `<th>${esc(c)}</th>`).join("")}</tr></thead>
<tbody>
${rows.map((r) => `<tr>${r}</tr>`).join("\n")}
</tbody>
</table>
<p class="meta">Latency: from sending a request to the last byte of its response, successful requests only. TTFT: to the first chunk carrying output. Tokens per stream: tokens after the first over the time after the first token (streams), or tokens over latency. Tokens in all: completion tokens of successful requests over the level's wall time. Token counts come from the server's usage.</p>
<h2>Charts</h2>
<div class="charts">
${charts.join("\n")}
</div>
<h2>Errors</h2>
${
  errors.length
    ? `<table><thead><tr><th>concurrency</th><th>kind</th><th>count</th><th style="text-align:left">first message</th></tr></thead><tbody>\n${errors.join("\n")}\n</tbody></table>`
    : "<p>None.</p>"
}
</body>
</html>
`;
}
