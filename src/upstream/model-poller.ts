// Polls Ollama's /api/version, /api/tags and /api/ps: is the upstream up, which models does it have, which are loaded.

import { z } from "zod";
import type { RequestListener } from "../events/request-events.js";
import type { OllamaListModel, OllamaProcessModel } from "../ollama/types.js";
import type { Upstream } from "./client.js";
import { canonicalModelName } from "./model-names.js";

/** What the upstream looked like at the last poll. Replaced, never mutated, by each poll; treat it as read-only. */
export interface UpstreamSnapshot {
  /** The last poll of /api/version answered 200 with a version. */
  up: boolean;
  /** From /api/version; undefined while down. */
  version?: string;
  /** /api/tags of the last successful poll, kept while down so model labels stay stable. */
  models: OllamaListModel[];
  /** /api/ps of the last successful poll; [] while down (we cannot claim anything is loaded). */
  loaded: OllamaProcessModel[];
  /** Why the last poll failed, in part or whole ("GET /api/ps: …; …"); undefined when it fully succeeded. */
  lastError?: string;
  /** Epoch ms when the last poll completed, successful or not. */
  polledAt?: number;
}

export interface ModelPollerOptions {
  /** Pause between the end of one poll and the start of the next. */
  intervalMs: number;
  /** Per poll, covering all three requests and their bodies. Default min(intervalMs, 5000). */
  timeoutMs?: number;
  /** Most names learnModel() keeps beyond what /api/tags lists; 0 learns none. Default DEFAULT_MAX_LEARNED. */
  maxLearned?: number;
  now?: () => number;
}

/**
 * Load and unload events are derived by comparing /api/ps between successful polls, so:
 * - the first successful /api/ps is the baseline: models loaded then are not reported as loads (they loaded
 *   before we watched), but are reported when they unload;
 * - an outage is not an unload: while down `loaded` is [], and when the upstream answers again its /api/ps is
 *   compared with the last successful one (an upstream restart shows as unloads then);
 * - a model that unloads and loads again between two polls is not seen.
 * A listener that throws does not stop the poller: the error becomes a process warning.
 */
export interface ModelPollerListener {
  /** Canonical name of a model that appeared in /api/ps since the previous successful poll. */
  onLoad?(model: string): void;
  /** Canonical name of a model that was in /api/ps at the previous successful poll and no longer is. */
  onUnload?(model: string): void;
  /** After every completed poll (not after one cut short by stop()), after onLoad/onUnload. */
  onSnapshot?(snapshot: UpstreamSnapshot): void;
}

/**
 * Default cap on names learned from served requests that /api/tags does not list (e.g. `:cloud` models). Each
 * name is a model label, and every model-labelled metric grows by its series, so this bounds what an
 * upstream that answers for any model name (a proxy, a cloud backend) lets clients add.
 */
export const DEFAULT_MAX_LEARNED = 16;

/**
 * A request listener that teaches `poller` each model that answered 200: the upstream has it, listed or not. Register
 * it before the listeners that label by model (metrics, dashboard), so the request that first served a model is
 * already counted under its name rather than "other".
 */
export function learnServedModels(poller: Pick<ModelPoller, "learnModel">): RequestListener {
  return (record) => {
    if (record.model && record.status === 200) poller.learnModel(record.model);
  };
}

// Ollama's JSON parsed once, here. Lenient where Ollama versions differ (fields added over time get
// defaults), strict where we depend on a value (the names and the version).
const detailsSchema = z.object({
  parent_model: z.string().default(""),
  format: z.string().default(""),
  family: z.string().default(""),
  families: z.array(z.string()).nullable().default(null),
  parameter_size: z.string().default(""),
  quantization_level: z.string().default(""),
  context_length: z.number().optional(),
  embedding_length: z.number().optional(),
});

const listModelSchema = z
  .object({
    name: z.string(),
    model: z.string().optional(),
    modified_at: z.string().default(""),
    size: z.number().default(0),
    digest: z.string().default(""),
    details: detailsSchema.prefault({}),
    capabilities: z.array(z.string()).optional(),
  })
  .transform((m): OllamaListModel => ({ ...m, model: m.model ?? m.name }));

const processModelSchema = z
  .object({
    name: z.string(),
    model: z.string().optional(),
    size: z.number().default(0),
    digest: z.string().default(""),
    details: detailsSchema.prefault({}),
    expires_at: z.string().default(""),
    size_vram: z.number().default(0),
    context_length: z.number().default(0),
  })
  .transform((m): OllamaProcessModel => ({ ...m, model: m.model ?? m.name }));

const versionSchema = z.object({ version: z.string() });
// `models` is null in some old versions when nothing is installed or loaded.
const tagsSchema = z.object({
  models: z
    .array(listModelSchema)
    .nullable()
    .transform((m) => m ?? []),
});
const psSchema = z.object({
  models: z
    .array(processModelSchema)
    .nullable()
    .transform((m) => m ?? []),
});

type Fetched<T> = { ok: true; value: T } | { ok: false; path: string; error: string };

/** The abort reason of a poll cut short by stop(): such a poll records nothing. */
class PollerStopped extends Error {}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Keeps an UpstreamSnapshot fresh and turns changes of /api/ps into load/unload events.
 * Never throws from its timer; polls never overlap (a poll requested while one runs joins it).
 */
export class ModelPoller {
  readonly #upstream: Upstream;
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #maxLearned: number;
  readonly #listener: ModelPollerListener;

  #snapshot: UpstreamSnapshot = { up: false, models: [], loaded: [] };
  #models: OllamaListModel[] = [];
  /** /api/ps of the last successful poll, kept while down; undefined until the baseline. */
  #loaded: OllamaProcessModel[] | undefined;
  #loadedNames = new Set<string>();
  /** Canonical names from #models, #loaded and #learned: knownModel() is one Set lookup. */
  #known = new Set<string>();
  #learned = new Set<string>();

  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #inflight: Promise<UpstreamSnapshot> | undefined;
  #abort: AbortController | undefined;

  constructor(upstream: Upstream, options: ModelPollerOptions, listener: ModelPollerListener = {}) {
    const { intervalMs } = options;
    const timeoutMs = options.timeoutMs ?? Math.min(intervalMs, 5000);
    if (!(Number.isFinite(intervalMs) && intervalMs > 0))
      throw new RangeError(`intervalMs must be a positive number, got ${intervalMs}`);
    if (!(Number.isFinite(timeoutMs) && timeoutMs > 0))
      throw new RangeError(`timeoutMs must be a positive number, got ${timeoutMs}`);
    const maxLearned = options.maxLearned ?? DEFAULT_MAX_LEARNED;
    if (!(Number.isInteger(maxLearned) && maxLearned >= 0))
      throw new RangeError(`maxLearned must be an integer >= 0, got ${maxLearned}`);
    this.#maxLearned = maxLearned;
    this.#upstream = upstream;
    this.#intervalMs = intervalMs;
    this.#timeoutMs = timeoutMs;
    this.#now = options.now ?? Date.now;
    this.#listener = listener;
  }

  get snapshot(): UpstreamSnapshot {
    return this.#snapshot;
  }

  /**
   * Runs the first poll (never rejects, whatever the upstream does), then polls every intervalMs on an unref'd
   * timer. A second start() while running does nothing.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#running = true;
    await this.pollNow();
    this.#schedule();
  }

  /** Clears the timer and aborts a poll in flight, which then resolves with the unchanged snapshot. */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#abort?.abort(new PollerStopped("model poller stopped"));
  }

  /** Polls now, or joins the poll already running. Never rejects. */
  pollNow(): Promise<UpstreamSnapshot> {
    this.#inflight ??= this.#poll().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** The canonical name when any spelling of `name` is a model the upstream reports (or served, see learnModel). */
  knownModel(name: string): string | undefined {
    const canonical = canonicalModelName(name);
    return this.#known.has(canonical) ? canonical : undefined;
  }

  /**
   * Records a model the upstream just served successfully, so that one pulled (or a `:cloud` one, which
   * /api/tags may not list) is known before the next poll. At most `maxLearned` names not listed by
   * /api/tags are kept at once (names it lists are dropped at each poll, freeing their place); past the cap a
   * name stays unknown, so its requests are labelled "other". An upstream that answers for any name (a
   * proxy) would otherwise let clients add a label value per invented name.
   */
  learnModel(name: string): void {
    const canonical = canonicalModelName(name);
    if (canonical === "" || this.#known.has(canonical) || this.#learned.size >= this.#maxLearned) return;
    this.#learned.add(canonical);
    this.#known.add(canonical);
  }

  #schedule(): void {
    if (!this.#running || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.pollNow().then(() => this.#schedule());
    }, this.#intervalMs);
    this.#timer.unref();
  }

  async #poll(): Promise<UpstreamSnapshot> {
    const abort = new AbortController();
    this.#abort = abort;
    const timer = setTimeout(
      () => abort.abort(new Error(`no answer within ${this.#timeoutMs} ms`)),
      this.#timeoutMs,
    );
    timer.unref();
    try {
      const [version, tags, ps] = await Promise.all([
        this.#get("/api/version", versionSchema, abort.signal),
        this.#get("/api/tags", tagsSchema, abort.signal),
        this.#get("/api/ps", psSchema, abort.signal),
      ]);
      if (abort.signal.reason instanceof PollerStopped) return this.#snapshot;
      this.#apply(version, tags, ps);
      return this.#snapshot;
    } finally {
      clearTimeout(timer);
      if (this.#abort === abort) this.#abort = undefined;
    }
  }

  /** One GET, its body read and parsed; every failure (unreachable, timeout, status, shape) becomes `error`. */
  async #get<T>(path: string, schema: z.ZodType<T>, signal: AbortSignal): Promise<Fetched<T>> {
    const fail = (why: string): Fetched<T> => ({ ok: false, path, error: why });
    try {
      const res = await this.#upstream.request({
        method: "GET",
        path,
        signal,
        firstByteTimeoutMs: this.#timeoutMs,
      });
      const text = await res.body.text();
      if (res.status !== 200) return fail(`answered ${res.status} ${text.trim().slice(0, 200)}`.trimEnd());
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return fail("answered 200 with a body that is not JSON");
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return fail(`unexpected body: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
      }
      return { ok: true, value: parsed.data };
    } catch (err) {
      return fail(errorMessage(signal.aborted ? signal.reason : err));
    }
  }

  #apply(
    version: Fetched<z.infer<typeof versionSchema>>,
    tags: Fetched<z.infer<typeof tagsSchema>>,
    ps: Fetched<z.infer<typeof psSchema>>,
  ): void {
    const up = version.ok;
    const loads: string[] = [];
    const unloads: string[] = [];
    // While down, /api/tags or /api/ps answers are ignored: up is what /api/version says.
    if (up && tags.ok) this.#models = tags.value.models;
    if (up && ps.ok) {
      const names = new Set(ps.value.models.map((m) => canonicalModelName(m.name)));
      if (this.#loaded !== undefined) {
        for (const n of this.#loadedNames) if (!names.has(n)) unloads.push(n);
        for (const n of names) if (!this.#loadedNames.has(n)) loads.push(n);
      }
      this.#loaded = ps.value.models;
      this.#loadedNames = names;
    }
    if (up && (tags.ok || ps.ok)) this.#rebuildKnown();

    const snapshot: UpstreamSnapshot = {
      up,
      models: this.#models,
      loaded: up ? (this.#loaded ?? []) : [],
      polledAt: this.#now(),
    };
    if (version.ok) snapshot.version = version.value.version;
    // The same reason for several paths (Ollama down: all three) is said once.
    const byReason = new Map<string, string[]>();
    for (const r of [version, tags, ps])
      if (!r.ok) byReason.set(r.error, [...(byReason.get(r.error) ?? []), r.path]);
    if (byReason.size > 0)
      snapshot.lastError = [...byReason].map(([why, paths]) => `GET ${paths.join(", ")}: ${why}`).join("; ");
    this.#snapshot = snapshot;

    for (const model of unloads) this.#emit(() => this.#listener.onUnload?.(model));
    for (const model of loads) this.#emit(() => this.#listener.onLoad?.(model));
    this.#emit(() => this.#listener.onSnapshot?.(snapshot));
  }

  #rebuildKnown(): void {
    const known = new Set<string>();
    for (const m of [...this.#models, ...(this.#loaded ?? [])]) {
      known.add(canonicalModelName(m.name));
      known.add(canonicalModelName(m.model));
    }
    for (const name of this.#learned) {
      if (known.has(name)) this.#learned.delete(name);
      else known.add(name);
    }
    known.delete("");
    this.#known = known;
  }

  #emit(call: () => void): void {
    try {
      call();
    } catch (err) {
      process.emitWarning(`model poller listener threw: ${errorMessage(err)}`, { code: "LLMGATE_LISTENER" });
    }
  }
}
