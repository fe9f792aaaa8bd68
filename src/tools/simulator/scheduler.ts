// Ollama's scheduler in miniature: per-model load on first use, keep_alive expiry, and `parallel` slots with a FIFO queue.

import type { CatalogModel } from "./catalog.js";
import type { KeepAliveMs } from "./go-duration.js";
import type { Counters } from "./stats.js";
import { AbortedError } from "./time.js";

export const QUEUE_FULL_MESSAGE = "server busy, please try again.  maximum pending requests exceeded";

/** ErrMaxQueue: answered with 503 before any output. */
export class QueueFullError extends Error {
  constructor() {
    super(QUEUE_FULL_MESSAGE);
    this.name = "QueueFullError";
  }
}

export interface SchedulerOptions {
  parallel: number;
  maxQueue: number;
  loadMs: number;
}

/** Injected so tests can drive expiry with fake timers; `wall` gives `expires_at`. */
export interface SchedulerClock {
  wall(): number;
}

const defaultClock: SchedulerClock = { wall: () => Date.now() };

/** Longest delay Node's setTimeout honours; longer keep_alives behave as forever (no timer). */
const MAX_TIMER_MS = 2_147_483_647;
/** `time.Duration(math.MaxInt64)` in ms: what a negative keep_alive adds to now for `expires_at`. */
const FOREVER_MS = 9_223_372_036_854.775;

interface Waiter {
  resolve(): void;
  reject(err: Error): void;
  signal: AbortSignal;
  onAbort(): void;
}

class ModelState {
  loading = true;
  loadTimer: NodeJS.Timeout | undefined;
  expiryTimer: NodeJS.Timeout | undefined;
  /** keep_alive of the latest request: how long the model stays after it goes idle. */
  sessionMs: KeepAliveMs;
  /** Set while idle: when the model unloads (wall clock ms). */
  expiresAtWall: number | undefined;
  /** Leases not yet released (requests between load() and release()); the model never unloads while > 0. */
  refs = 0;
  active = 0;
  readonly loadWaiters: Waiter[] = [];
  readonly slotWaiters: Waiter[] = [];

  constructor(
    readonly model: CatalogModel,
    sessionMs: KeepAliveMs,
    readonly contextLength: number,
  ) {
    this.sessionMs = sessionMs;
  }
}

/** What /api/ps shows of a loaded (or loading) model. */
export interface LoadedModel {
  model: CatalogModel;
  expiresAtWall: number;
  contextLength: number;
}

/** A request's hold on a loaded model. */
export interface Lease {
  /** Waits (FIFO) for one of the model's parallel slots. Rejects with QueueFullError or AbortedError. */
  slot(signal: AbortSignal): Promise<void>;
  /** Frees the slot if held and the hold on the model; safe to call more than once. */
  release(): void;
}

export class Scheduler {
  private readonly models = new Map<CatalogModel, ModelState>();
  private queuedCount = 0;
  private activeCount = 0;

  constructor(
    private readonly options: SchedulerOptions,
    private readonly counters: Counters,
    private readonly clock: SchedulerClock = defaultClock,
  ) {}

  get active(): number {
    return this.activeCount;
  }

  get queued(): number {
    return this.queuedCount;
  }

  /**
   * Loads `model` if needed and holds it loaded until the lease is released. `keepAliveMs` becomes the
   * model's keep_alive (the latest request wins, as in Ollama). Rejects with QueueFullError when the
   * request would have to wait while `maxQueue` requests already do, or AbortedError if `signal` fires.
   */
  async load(
    model: CatalogModel,
    keepAliveMs: KeepAliveMs,
    contextLength: number,
    signal: AbortSignal,
  ): Promise<Lease> {
    if (signal.aborted) throw new AbortedError();
    let state = this.models.get(model);
    if (state === undefined || state.loading) this.admitWaiter();
    if (state === undefined) state = this.startLoad(model, keepAliveMs, contextLength);
    state.sessionMs = keepAliveMs;
    this.cancelExpiry(state);
    state.refs++;
    if (state.loading) {
      try {
        await this.wait(state.loadWaiters, signal);
      } catch (err) {
        this.unref(state);
        throw err;
      }
    }
    return this.lease(state);
  }

  /** keep_alive 0 on an empty request: unload now if idle, otherwise as soon as the last request ends. */
  expire(model: CatalogModel): void {
    const state = this.models.get(model);
    if (state === undefined) return;
    state.sessionMs = 0;
    this.onIdle(state);
  }

  /** Loaded and loading models; `expires_at` is now + keep_alive while in use, as Ollama's /api/ps shows it. */
  loaded(): LoadedModel[] {
    const now = this.clock.wall();
    return [...this.models.values()].map((state) => ({
      model: state.model,
      contextLength: state.contextLength,
      expiresAtWall: state.expiresAtWall ?? now + Math.min(state.sessionMs, FOREVER_MS),
    }));
  }

  /** Stops every timer and rejects every waiter with AbortedError; the scheduler is unusable afterwards. */
  close(): void {
    for (const state of this.models.values()) {
      clearTimeout(state.loadTimer);
      clearTimeout(state.expiryTimer);
      for (const waiter of [...state.loadWaiters, ...state.slotWaiters]) this.dropWaiter(waiter);
      state.loadWaiters.length = 0;
      state.slotWaiters.length = 0;
    }
    this.models.clear();
    this.queuedCount = 0;
  }

  private admitWaiter(): void {
    if (this.queuedCount >= this.options.maxQueue) throw new QueueFullError();
  }

  private startLoad(model: CatalogModel, keepAliveMs: KeepAliveMs, contextLength: number): ModelState {
    const state = new ModelState(model, keepAliveMs, contextLength);
    this.models.set(model, state);
    this.counters.loads++;
    state.loadTimer = setTimeout(() => {
      state.loadTimer = undefined;
      state.loading = false;
      for (const waiter of state.loadWaiters.splice(0)) this.grant(waiter);
      this.onIdle(state);
    }, this.options.loadMs);
    return state;
  }

  private lease(state: ModelState): Lease {
    let holdsSlot = false;
    let released = false;
    return {
      slot: async (signal) => {
        if (released || holdsSlot) throw new Error("slot() on a released lease or twice");
        if (signal.aborted) throw new AbortedError();
        if (state.active < this.options.parallel && state.slotWaiters.length === 0) {
          state.active++;
          this.activeCount++;
        } else {
          this.admitWaiter();
          await this.wait(state.slotWaiters, signal); // the slot is handed over by releaseSlot()
        }
        holdsSlot = true;
      },
      release: () => {
        if (released) return;
        released = true;
        if (holdsSlot) this.releaseSlot(state);
        this.unref(state);
      },
    };
  }

  private wait(queue: Waiter[], signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          this.dropWaiter(waiter);
        },
      };
      queue.push(waiter);
      this.queuedCount++;
      signal.addEventListener("abort", waiter.onAbort, { once: true });
    });
  }

  private grant(waiter: Waiter): void {
    this.queuedCount--;
    waiter.signal.removeEventListener("abort", waiter.onAbort);
    waiter.resolve();
  }

  private dropWaiter(waiter: Waiter): void {
    this.queuedCount--;
    waiter.signal.removeEventListener("abort", waiter.onAbort);
    waiter.reject(new AbortedError());
  }

  /** Hands the freed slot to the oldest waiter, if any. */
  private releaseSlot(state: ModelState): void {
    const next = state.slotWaiters.shift();
    if (next !== undefined) {
      this.grant(next);
      return;
    }
    state.active--;
    this.activeCount--;
  }

  private unref(state: ModelState): void {
    state.refs--;
    this.onIdle(state);
  }

  private cancelExpiry(state: ModelState): void {
    clearTimeout(state.expiryTimer);
    state.expiryTimer = undefined;
    state.expiresAtWall = undefined;
  }

  /** Starts the keep_alive countdown once nothing uses a loaded model. */
  private onIdle(state: ModelState): void {
    if (state.refs > 0 || state.loading || this.models.get(state.model) !== state) return;
    this.cancelExpiry(state);
    if (state.sessionMs <= 0) {
      this.unload(state);
      return;
    }
    state.expiresAtWall = this.clock.wall() + Math.min(state.sessionMs, FOREVER_MS);
    if (state.sessionMs <= MAX_TIMER_MS) {
      state.expiryTimer = setTimeout(() => this.unload(state), state.sessionMs);
    }
  }

  private unload(state: ModelState): void {
    this.cancelExpiry(state);
    this.models.delete(state.model);
    this.counters.unloads++;
  }
}
