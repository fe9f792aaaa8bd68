// The load test's result as a plain-text table for stdout, with error details and the levels worth noting.

import { highlights, type LoadtestReport } from "./report.js";
import type { LevelSummary } from "./stats.js";

/** Milliseconds, with precision where it matters: 3.42, 45.1, 812, 12,345. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || Number.isNaN(ms)) return "–";
  if (ms < 10) return ms.toFixed(2);
  if (ms < 100) return ms.toFixed(1);
  return Math.round(ms).toLocaleString("en-US");
}

function formatRate(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return "–";
  return value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString("en-US");
}

const COLUMNS = [
  "concurrency",
  "requests",
  "errors",
  "req/s",
  "latency p50",
  "p95",
  "p99 ms",
  "TTFT p50",
  "p95 ms",
  "tok/s per stream",
  "tok/s total",
] as const;

function row(l: LevelSummary): string[] {
  const failed = l.requests - l.ok;
  return [
    `${l.concurrency}${l.interrupted ? "*" : ""}`,
    String(l.requests),
    String(failed),
    formatRate(l.requestsPerSecond),
    formatMs(l.latencyMs?.p50),
    formatMs(l.latencyMs?.p95),
    formatMs(l.latencyMs?.p99),
    formatMs(l.ttftMs?.p50),
    formatMs(l.ttftMs?.p95),
    formatRate(l.tokensPerSecond.perStream?.p50),
    formatRate(l.tokensPerSecond.total),
  ];
}

export function formatTable(report: LoadtestReport): string {
  const rows = report.levels.map(row);
  const widths = COLUMNS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join("  ");
  const t = report.target;
  const out = [
    `${t.endpoint} · model ${t.model} · ${t.stream ? "streaming" : "not streaming"} · max_tokens ${t.maxTokens} · prompt ${
      t.prompt.kind === "generated" ? `~${t.prompt.tokens} tokens (generated)` : t.prompt.path
    }`,
    "",
    line(COLUMNS),
    line(widths.map((w) => "-".repeat(w))),
    ...rows.map(line),
    "",
    "latency: send to last byte of successful requests; TTFT: to the first chunk with output (streams);",
    "tok/s per stream: median decode speed of one request (tokens after the first / time after the first);",
    "tok/s total: completion tokens of all successful requests / the level's wall time. Tokens from usage.",
  ];
  if (report.levels.some((l) => l.interrupted)) out.push("* interrupted: the level did not finish.");
  for (const l of report.levels) {
    const kinds = Object.entries(l.errors);
    if (kinds.length === 0) continue;
    out.push(
      `errors at concurrency ${l.concurrency}: ${kinds
        .map(([kind, n]) => `${kind} ×${n}${l.errorExamples[kind] ? ` (${l.errorExamples[kind]})` : ""}`)
        .join("; ")}`,
    );
  }
  for (const l of report.levels)
    if (l.usageMissing > 0)
      out.push(
        `concurrency ${l.concurrency}: ${l.usageMissing} response(s) without usage; their tokens are counted as chunks`,
      );
  const h = highlights(report.levels);
  if (h.throughput && report.levels.length > 1)
    out.push(
      `most tokens/s in all: concurrency ${h.throughput.concurrency} (${formatRate(h.throughput.tokensPerSecond.total)} tok/s, P95 latency ${formatMs(h.throughput.latencyMs?.p95)} ms)`,
    );
  if (h.latency && report.levels.length > 1)
    out.push(
      `lowest P95 latency: concurrency ${h.latency.concurrency} (${formatMs(h.latency.latencyMs?.p95)} ms)`,
    );
  return `${out.join("\n")}\n`;
}
