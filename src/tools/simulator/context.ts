// What the simulator's handlers share, and the per-request scope that turns a client leaving into an abort.

import type { IncomingMessage, ServerResponse } from "node:http";
import type { Catalog } from "./catalog.js";
import type { SimulatorOptions } from "./options.js";
import type { Rng } from "./prng.js";
import type { Scheduler } from "./scheduler.js";
import type { Counters, Outcome } from "./stats.js";

export interface SimContext {
  options: SimulatorOptions;
  catalog: Catalog;
  scheduler: Scheduler;
  counters: Counters;
  /** Draws for failRate, midstreamFailRate and hangRate, taken in arrival order so a seed replays a run. */
  faults: Rng;
  /** keep_alive for requests that give none, from `options.keepAlive`. */
  defaultKeepAliveMs: number;
}

/**
 * One request's lifetime. `signal` fires when the client goes away (the response closes unfinished) or the
 * simulator closes; everything the request waits on listens to it. For counted (inference) requests the
 * outcome is recorded exactly once: by `settle`, or as `aborted` when the client leaves first.
 */
export class RequestScope {
  private readonly controller = new AbortController();
  private settled: boolean;

  constructor(
    res: ServerResponse,
    private readonly counters: Counters | undefined,
  ) {
    this.settled = counters === undefined;
    if (counters !== undefined) counters.requests++;
    res.on("close", () => {
      if (!res.writableFinished) this.abort();
    });
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(): void {
    if (!this.settled) {
      this.settled = true;
      this.counters?.record("aborted");
    }
    this.controller.abort();
  }

  settle(outcome: Outcome): void {
    if (this.settled) return;
    this.settled = true;
    this.counters?.record(outcome);
  }
}

export type Handler = (
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
) => Promise<void>;
