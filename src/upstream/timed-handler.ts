// Records when an upstream exchange started, got its response headers and ended: a decorator around its dispatch handler.

import type { IncomingHttpHeaders } from "node:http";
import { performance } from "node:perf_hooks";
import type { Dispatcher } from "undici";

type Controller = Dispatcher.DispatchController;

/**
 * Where an exchange's times go, as `performance.now()` readings. The first exchange of a request sets them;
 * `upstreamEndAt` is set when the response body ended or failed (an abort included), whichever came first.
 */
export interface ExchangeTimings {
  upstreamStartAt?: number;
  upstreamFirstByteAt?: number;
  upstreamEndAt?: number;
}

/**
 * Wraps a dispatch handler as undici's own interceptors do (its DecoratorHandler): every callback is passed on
 * unchanged, after the time is noted. The start is noted at construction, when the request is handed to the pool,
 * so a wait for a free connection counts as upstream time, as it would for a client timing Ollama itself.
 */
export class TimedHandler implements Dispatcher.DispatchHandler {
  readonly #inner: Dispatcher.DispatchHandler;
  readonly #timings: ExchangeTimings;

  constructor(inner: Dispatcher.DispatchHandler, timings: ExchangeTimings) {
    this.#inner = inner;
    this.#timings = timings;
    timings.upstreamStartAt ??= performance.now();
  }

  onRequestStart(controller: Controller, context: unknown): void {
    this.#inner.onRequestStart?.(controller, context);
  }

  onResponseStart(
    controller: Controller,
    status: number,
    headers: IncomingHttpHeaders,
    message?: string,
  ): void {
    this.#timings.upstreamFirstByteAt ??= performance.now();
    this.#inner.onResponseStart?.(controller, status, headers, message);
  }

  onResponseData(controller: Controller, chunk: Buffer): void {
    this.#inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Controller, trailers: IncomingHttpHeaders): void {
    this.#timings.upstreamEndAt ??= performance.now();
    this.#inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Controller, err: Error): void {
    this.#timings.upstreamEndAt ??= performance.now();
    this.#inner.onResponseError?.(controller, err);
  }
}
