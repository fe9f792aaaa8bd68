// The most recent finished requests for the dashboard's table: a fixed-size ring of columns, never any text.

import type { Outcome, RequestRecord, RouteName } from "../events/request-events.js";
import type { RecentRequest } from "./api-types.js";

/** A client may send any model name; the table shows at most this much of it. */
const MAX_MODEL_CHARS = 80;

/**
 * Holds the last `capacity` requests it is given (the dashboard leaves probes out). Each entry is a handful of
 * numbers and short strings (route template, a model name cut to 80 characters, key name, error code): no prompt,
 * completion, error message or header ever reaches it, so what it holds is bounded by `capacity`, whatever
 * clients send.
 *
 * Recording is on every request's path, so it allocates nothing: each field is a column allocated once, and a
 * request writes one cell of each (strings are stored by reference; numbers absent are NaN). The rows the table
 * shows are built when the page asks for them, about once a second.
 */
export class RecentRequests {
  readonly capacity: number;
  readonly #id: string[];
  readonly #method: string[];
  readonly #route: RouteName[];
  readonly #model: (string | null)[];
  readonly #key: (string | null)[];
  readonly #outcome: Outcome[];
  readonly #errorCode: (string | null)[];
  readonly #status: Uint16Array;
  readonly #stream: Uint8Array;
  readonly #at: Float64Array;
  readonly #durationMs: Float64Array;
  readonly #ttftMs: Float64Array;
  readonly #queueMs: Float64Array;
  readonly #promptTokens: Float64Array;
  readonly #completionTokens: Float64Array;
  readonly #decodeTps: Float64Array;
  #next = 0;
  #size = 0;

  constructor(capacity = 200) {
    if (!(Number.isInteger(capacity) && capacity > 0))
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.capacity = capacity;
    const strings = <T>(fill: T) => new Array<T>(capacity).fill(fill);
    this.#id = strings("");
    this.#method = strings("");
    this.#route = strings<RouteName>("other");
    this.#model = strings<string | null>(null);
    this.#key = strings<string | null>(null);
    this.#outcome = strings<Outcome>("completed");
    this.#errorCode = strings<string | null>(null);
    this.#status = new Uint16Array(capacity);
    this.#stream = new Uint8Array(capacity);
    this.#at = new Float64Array(capacity);
    this.#durationMs = new Float64Array(capacity);
    this.#ttftMs = new Float64Array(capacity);
    this.#queueMs = new Float64Array(capacity);
    this.#promptTokens = new Float64Array(capacity);
    this.#completionTokens = new Float64Array(capacity);
    this.#decodeTps = new Float64Array(capacity);
  }

  observe(r: RequestRecord): void {
    const i = this.#next;
    const g = r.generation;
    const model = r.model;
    this.#id[i] = r.id;
    this.#method[i] = r.method;
    this.#route[i] = r.route;
    this.#model[i] =
      model === undefined ? null : model.length > MAX_MODEL_CHARS ? model.slice(0, MAX_MODEL_CHARS) : model;
    this.#key[i] = r.key ?? null;
    this.#outcome[i] = r.outcome;
    this.#errorCode[i] = r.errorCode ?? null;
    this.#status[i] = r.status;
    this.#stream[i] = r.stream === true ? 1 : 0;
    this.#at[i] = r.startedAt + Math.round(r.durationMs);
    this.#durationMs[i] = r.durationMs;
    this.#ttftMs[i] = r.stream && r.ttftMs !== undefined ? r.ttftMs : Number.NaN;
    this.#queueMs[i] = r.queueWaitMs ?? Number.NaN;
    this.#promptTokens[i] = r.promptTokens ?? Number.NaN;
    this.#completionTokens[i] = r.completionTokens ?? Number.NaN;
    this.#decodeTps[i] =
      g?.evalNs !== undefined && g.evalNs > 0 && g.completionTokens > 0
        ? g.completionTokens / (g.evalNs / 1e9)
        : Number.NaN;
    this.#next = i + 1 === this.capacity ? 0 : i + 1;
    if (this.#size < this.capacity) this.#size++;
  }

  /** Newest first, at most `limit`. */
  list(limit = this.capacity): RecentRequest[] {
    const out: RecentRequest[] = [];
    for (let k = 1; k <= Math.min(limit, this.#size); k++) {
      const i = (this.#next - k + this.capacity) % this.capacity;
      out.push({
        id: this.#id[i] as string,
        at: this.#at[i] as number,
        method: this.#method[i] as string,
        route: this.#route[i] as RouteName,
        model: this.#model[i] ?? null,
        key: this.#key[i] ?? null,
        status: this.#status[i] as number,
        outcome: this.#outcome[i] as Outcome,
        stream: this.#stream[i] === 1,
        durationMs: this.#durationMs[i] as number,
        ttftMs: orNull(this.#ttftMs[i]),
        queueMs: orNull(this.#queueMs[i]),
        promptTokens: orNull(this.#promptTokens[i]),
        completionTokens: orNull(this.#completionTokens[i]),
        decodeTps: orNull(this.#decodeTps[i]),
        errorCode: this.#errorCode[i] ?? null,
      });
    }
    return out;
  }
}

/** NaN marks a number the request did not have; JSON would write a NaN as null too. */
function orNull(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value;
}
