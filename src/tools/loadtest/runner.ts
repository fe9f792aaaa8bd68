// Runs the concurrency levels one after another: N workers per level, each sending its next request when one ends.

import { performance } from "node:perf_hooks";
import { Agent } from "undici";
import { defaultRequests, type LevelBudget, type LoadtestOptions } from "./options.js";
import type { PromptSource } from "./prompts.js";
import { type RequestSpec, type Sample, sendChat } from "./request.js";
import { type LevelSummary, summarise } from "./stats.js";

export interface LevelResult {
  summary: LevelSummary;
  budget: LevelBudget;
  samples: Sample[];
}

/** What the runner reports while it works (the progress display listens). */
export interface RunObserver {
  levelStart(concurrency: number, budget: LevelBudget): void;
  /** After every finished request of the level. */
  update(done: number, errors: number): void;
  levelEnd(summary: LevelSummary): void;
}

export function levelBudget(options: LoadtestOptions, concurrency: number): LevelBudget {
  return options.budget ?? { kind: "requests", requests: defaultRequests(concurrency) };
}

/**
 * Closed-loop load: at each level, `concurrency` workers each send a request and, when it ends, the next one,
 * until the level's requests are used up or its duration has passed (requests already sent then finish and
 * count). Levels run in the order given, each on fresh connections. `signal` interrupts the run: requests in
 * flight are aborted and left out, the level is marked interrupted, later levels do not run.
 */
export async function runLevels(
  options: LoadtestOptions,
  prompts: PromptSource,
  signal: AbortSignal,
  observer?: RunObserver,
): Promise<LevelResult[]> {
  const spec: RequestSpec = {
    endpoint: options.endpoint,
    model: options.model,
    stream: options.stream,
    maxTokens: options.maxTokens,
    timeoutMs: options.timeoutMs,
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
  };
  const results: LevelResult[] = [];
  // Across levels, so no two requests of the run share a generated prompt (prefix caches would skew levels).
  let promptIndex = 0;
  for (const concurrency of options.concurrency) {
    if (signal.aborted) break;
    const budget = levelBudget(options, concurrency);
    observer?.levelStart(concurrency, budget);
    // Timeouts are --timeout's job (per request, whole response); undici's own would cut long generations.
    const agent = new Agent({ connections: concurrency, headersTimeout: 0, bodyTimeout: 0 });
    const samples: Sample[] = [];
    let sent = 0;
    let errors = 0;
    const t0 = performance.now();
    const more = () =>
      !signal.aborted &&
      (budget.kind === "requests" ? sent < budget.requests : performance.now() - t0 < budget.durationMs);
    const worker = async () => {
      while (more()) {
        sent++;
        const sample = await sendChat(spec, prompts(promptIndex++), {
          dispatcher: agent,
          signal,
          startMs: performance.now() - t0,
        });
        samples.push(sample);
        if (sample.error !== undefined && sample.error !== "aborted") errors++;
        observer?.update(samples.length, errors);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const wallMs = performance.now() - t0;
    if (signal.aborted) await agent.destroy();
    else await agent.close();
    const summary = summarise(concurrency, samples, wallMs, signal.aborted);
    observer?.levelEnd(summary);
    results.push({ summary, budget, samples });
  }
  return results;
}
