// Counters of the simulator, served at GET /_sim/stats and by RunningSimulator.stats().

/**
 * - requests: inference requests received (/api/chat, /api/generate, /api/embed, /api/embeddings), any outcome
 * - completed / failed / aborted: how each of them ended; `failed` covers every error answer (validation,
 *   queue full, injected failure, mid-stream error line), `aborted` a client that left before the end
 * - active: requests holding a parallel slot now; queued: requests waiting for a model load or a slot now
 * - stalled: streams held now because their client is not reading (the socket buffer is full; generation waits
 *   for it to drain), i.e. backpressure reaching the model
 * - loads / unloads: model loads started and models unloaded
 * Invariant: requests = completed + failed + aborted + requests still in flight.
 */
export interface SimulatorStats {
  active: number;
  queued: number;
  stalled: number;
  completed: number;
  aborted: number;
  failed: number;
  loads: number;
  unloads: number;
  requests: number;
}

export type Outcome = "completed" | "failed" | "aborted";

/** The counters; `active` and `queued` are sampled from the scheduler when read. `stalled` goes up and down. */
export class Counters {
  requests = 0;
  completed = 0;
  failed = 0;
  aborted = 0;
  loads = 0;
  unloads = 0;
  stalled = 0;

  record(outcome: Outcome): void {
    this[outcome]++;
  }
}
