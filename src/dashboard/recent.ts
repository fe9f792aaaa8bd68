// The most recent finished requests for the dashboard's table: a fixed-size ring of small records, never any text.

import type { RequestRecord } from "../events/request-events.js";
import type { RecentRequest } from "./api-types.js";

/** A client may send any model name; the table shows at most this much of it. */
const MAX_MODEL_CHARS = 80;

/**
 * Holds the last `capacity` requests it is given (the dashboard leaves probes out). Each entry is a handful of numbers and short strings
 * (route template, a model name cut to 80 characters, key name, error code): no prompt, completion, error
 * message or header ever reaches it, so what it holds is bounded by `capacity`, whatever clients send.
 */
export class RecentRequests {
  readonly capacity: number;
  readonly #ring: (RecentRequest | undefined)[];
  #next = 0;
  #size = 0;

  constructor(capacity = 200) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    this.#ring = new Array(capacity);
  }

  observe(r: RequestRecord): void {
    const g = r.generation;
    const entry: RecentRequest = {
      id: r.id,
      at: r.startedAt + Math.round(r.durationMs),
      method: r.method,
      route: r.route,
      model: r.model === undefined ? null : r.model.slice(0, MAX_MODEL_CHARS),
      key: r.key ?? null,
      status: r.status,
      outcome: r.outcome,
      stream: r.stream === true,
      durationMs: r.durationMs,
      ttftMs: r.stream && r.ttftMs !== undefined ? r.ttftMs : null,
      queueMs: r.queueWaitMs ?? null,
      promptTokens: r.promptTokens ?? null,
      completionTokens: r.completionTokens ?? null,
      decodeTps:
        g?.evalNs !== undefined && g.evalNs > 0 && g.completionTokens > 0
          ? g.completionTokens / (g.evalNs / 1e9)
          : null,
      errorCode: r.errorCode ?? null,
    };
    this.#ring[this.#next] = entry;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /** Newest first, at most `limit`. */
  list(limit = this.capacity): RecentRequest[] {
    const out: RecentRequest[] = [];
    for (let k = 1; k <= Math.min(limit, this.#size); k++) {
      const entry = this.#ring[(this.#next - k + this.capacity) % this.capacity];
      if (entry) out.push(entry);
    }
    return out;
  }
}
