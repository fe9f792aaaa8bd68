// Admission towards the upstream: at most N requests in flight, a bounded FIFO queue, a bounded wait.

import { GatewayError } from "../errors/gateway-error.js";
import type { Abortable } from "../events/cancellation.js";

export interface AdmissionOptions {
  /** Most requests admitted at once; 0 means unlimited (no queue). */
  maxConcurrency: number;
  /** Most requests waiting; a request arriving at a full queue is refused at once. */
  maxQueue: number;
  /** Longest wait in the queue before the request is refused. */
  queueTimeoutMs: number;
}

/** Gives the slot back; calling it more than once is harmless. */
export type Release = () => void;

interface Waiter {
  resolve: (release: Release) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout;
  signal: Abortable;
  onAbort: () => void;
  settled: boolean;
}

/**
 * Retry-After for a refused request. The queue holds at most `maxQueue` requests for `queueTimeoutMs`, so
 * a slot is likely within a few seconds of a refusal; clients that honour it spread their retries.
 */
const RETRY_AFTER_S = 5;

/** Rejection reasons, as metrics label them. */
export type RejectionReason = "queue_full" | "queue_timeout";

/**
 * Contract: `acquire` resolves with a release function once a slot is free, in arrival order. It rejects with
 * GatewayError queue_full when the queue is full, queue_timeout when the wait exceeds the timeout, and with the
 * signal's reason when the caller's signal aborts while waiting; a rejected waiter has left the queue already,
 * so a client that goes away never reaches the upstream.
 */
export class AdmissionQueue {
  readonly options: AdmissionOptions;
  #active = 0;
  readonly #waiting: Waiter[] = [];
  #head = 0;

  constructor(options: AdmissionOptions) {
    this.options = options;
  }

  get active(): number {
    return this.#active;
  }

  get queued(): number {
    return this.#waiting.length - this.#head;
  }

  acquire(signal: Abortable): Promise<Release> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const { maxConcurrency, maxQueue, queueTimeoutMs } = this.options;
    if (maxConcurrency === 0 || (this.#active < maxConcurrency && this.queued === 0)) {
      this.#active++;
      return Promise.resolve(this.#releaser());
    }
    if (this.queued >= maxQueue)
      return Promise.reject(
        new GatewayError(
          "queue_full",
          `the gateway is at capacity: ${maxConcurrency} requests running and ${maxQueue} waiting`,
          { retryAfterS: RETRY_AFTER_S },
        ),
      );
    return new Promise<Release>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        settled: false,
        timer: setTimeout(() => {
          this.#drop(
            waiter,
            new GatewayError(
              "queue_timeout",
              `waited ${queueTimeoutMs} ms in the gateway's queue without getting a slot`,
              { retryAfterS: RETRY_AFTER_S },
            ),
          );
        }, queueTimeoutMs),
        onAbort: () => this.#drop(waiter, signal.reason),
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      this.#waiting.push(waiter);
    });
  }

  #releaser(): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      this.#next();
    };
  }

  /** Hands free slots to the oldest waiters still waiting. */
  #next(): void {
    while (this.#active < this.options.maxConcurrency || this.options.maxConcurrency === 0) {
      const waiter = this.#shift();
      if (!waiter) return;
      this.#active++;
      this.#settle(waiter);
      waiter.resolve(this.#releaser());
    }
  }

  #shift(): Waiter | undefined {
    while (this.#head < this.#waiting.length) {
      const waiter = this.#waiting[this.#head];
      this.#waiting[this.#head] = undefined as unknown as Waiter;
      this.#head++;
      if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting.splice(0, this.#head);
        this.#head = 0;
      }
      if (waiter && !waiter.settled) return waiter;
    }
    return undefined;
  }

  /** Removes a waiter that gave up or timed out; it is skipped when its turn comes. */
  #drop(waiter: Waiter, reason: unknown): void {
    if (waiter.settled) return;
    this.#settle(waiter);
    const index = this.#waiting.indexOf(waiter, this.#head);
    if (index !== -1) this.#waiting.splice(index, 1);
    waiter.reject(reason);
  }

  #settle(waiter: Waiter): void {
    waiter.settled = true;
    clearTimeout(waiter.timer);
    waiter.signal.removeEventListener("abort", waiter.onAbort);
  }
}
