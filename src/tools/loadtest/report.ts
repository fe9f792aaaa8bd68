// The load test's result document: what was asked, and per level its summary and samples. Written as --json.

import { VERSION } from "../../version.js";
import type { LevelBudget, LoadtestOptions, PromptSpec } from "./options.js";
import type { Sample } from "./request.js";
import type { LevelResult } from "./runner.js";
import type { LevelSummary } from "./stats.js";

export interface LoadtestReport {
  tool: "llmgate loadtest";
  version: string;
  startedAt: string;
  finishedAt: string;
  /** The API key is never written. */
  target: {
    endpoint: string;
    model: string;
    stream: boolean;
    maxTokens: number;
    prompt: PromptSpec;
    timeoutMs: number;
  };
  levels: (LevelSummary & { budget: LevelBudget; samples: Sample[] })[];
}

export function buildReport(
  options: LoadtestOptions,
  results: readonly LevelResult[],
  startedAt: Date,
  finishedAt: Date,
): LoadtestReport {
  return {
    tool: "llmgate loadtest",
    version: VERSION,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    target: {
      endpoint: options.endpoint,
      model: options.model,
      stream: options.stream,
      maxTokens: options.maxTokens,
      prompt: options.prompt,
      timeoutMs: options.timeoutMs,
    },
    levels: results.map((r) => ({ ...r.summary, budget: r.budget, samples: r.samples })),
  };
}

/** The levels worth pointing at: most tokens per second in all, and lowest P95 latency. */
export function highlights(levels: readonly LevelSummary[]): {
  throughput?: LevelSummary;
  latency?: LevelSummary;
} {
  const usable = levels.filter((l) => l.ok > 0);
  const best = (better: (a: LevelSummary, b: LevelSummary) => boolean) =>
    usable.reduce<LevelSummary | undefined>(
      (acc, l) => (acc === undefined || better(l, acc) ? l : acc),
      undefined,
    );
  const throughput = best((a, b) => a.tokensPerSecond.total > b.tokensPerSecond.total);
  const latency = best(
    (a, b) => (a.latencyMs?.p95 ?? Number.POSITIVE_INFINITY) < (b.latencyMs?.p95 ?? Number.POSITIVE_INFINITY),
  );
  return { ...(throughput ? { throughput } : {}), ...(latency ? { latency } : {}) };
}
