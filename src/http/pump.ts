// Moves an upstream body to the client with backpressure: the upstream pauses while the client's socket is full.

import type { Exchange } from "../upstream/client.js";
import type { RequestContext } from "./request-context.js";

/**
 * Feeds the upstream body to `onChunk` until it ends, or until `onChunk` returns false (the exchange is then
 * aborted: the rest is not wanted). Chunks that arrive in one socket read (undici delivers each HTTP chunk, and
 * Ollama sends one per token) are handed over together, once the read is processed, so they cost one client write.
 * When the client's socket is full the upstream is paused until it drains, so a slow reader slows Ollama instead of
 * filling the gateway's memory. Rejects with the upstream's failure, or with the abort reason when the client left.
 */
export function pump(ctx: RequestContext, res: Exchange, onChunk: (chunk: Buffer) => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    let batch: Buffer[] = [];
    let scheduled = false;
    let waiting = false;
    let done = false;
    let ended = false;
    let failure: { err: unknown } | undefined;

    const settle = (err?: { err: unknown }): void => {
      if (done) return;
      done = true;
      if (err) reject(err.err);
      else resolve();
    };
    const drainFailed = (err: unknown): void => {
      waiting = false;
      if (done) return;
      // Settled first: aborting the exchange reports its own (classified) error to onError synchronously.
      settle({ err });
      res.abort(err);
    };
    const resume = (): void => {
      waiting = false;
      if (done) return;
      res.resume();
      flush();
    };
    const flush = (): void => {
      scheduled = false;
      if (done || waiting) return;
      if (batch.length > 0) {
        const chunk = batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch);
        batch = [];
        let more: boolean;
        try {
          more = onChunk(chunk);
        } catch (err) {
          // Settled before the abort, whose error reaches onError synchronously (undici calls the handler's
          // onResponseError from controller.abort) and would otherwise win as an upstream_protocol_error.
          settle({ err }); // a bug in a codec: counted as internal, not blamed on the upstream
          res.abort(err);
          return;
        }
        if (!more) {
          settle();
          res.abort(new Error("the rest of the upstream response is not needed"));
          return;
        }
        if (ctx.res.writableNeedDrain && !ended && failure === undefined) {
          waiting = true;
          res.pause();
          ctx.drained().then(resume, drainFailed);
          return;
        }
      }
      if (failure) settle(failure);
      else if (ended) settle();
    };

    res.read({
      onData(chunk) {
        if (done) return true;
        batch.push(chunk);
        if (!scheduled && !waiting) {
          scheduled = true;
          queueMicrotask(flush);
        }
        return !waiting;
      },
      onEnd() {
        ended = true;
        // Otherwise the scheduled flush, or the one after the drain, hands over the rest and settles.
        if (batch.length === 0) settle();
      },
      onError(err) {
        // What arrived before the failure is still handed over by the scheduled flush (a codec turns it into
        // frames before the error frame), unless the client is not reading anyway.
        failure = { err };
        if (batch.length === 0 || waiting) settle(failure);
      },
    });
  });
}
