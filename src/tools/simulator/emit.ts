// Paces planned pieces onto the wire at the decode rate: one timer per stream, several lines per write when behind.

import type { ServerResponse } from "node:http";
import { NDJSON_TYPE } from "./http-io.js";
import type { Rng } from "./prng.js";
import { createdAt, monoMs } from "./time.js";

export interface Pacing {
  /** Ms per token at the configured decode rate. */
  tokenMs: number;
  /** Relative jitter 0..1 applied to each piece's delay. */
  jitter: number;
  rng: Rng;
}

/** Delay before piece `i` is ready: its token weight (a tool call stands for many tokens) at the jittered rate. */
function pieceDelay(pacing: Pacing, weight: number): number {
  return weight * pacing.tokenMs * (1 + pacing.jitter * (2 * pacing.rng.next() - 1));
}

/** Total decode time of the first `count` pieces, for answers that are not streamed. */
export function decodeSpan(pacing: Pacing, weights: readonly number[], count: number): number {
  let total = 0;
  for (let i = 0; i < count; i++) total += pieceDelay(pacing, weights[i] ?? 1);
  return total;
}

export interface StreamJob {
  res: ServerResponse;
  signal: AbortSignal;
  /** `{"model":…,"created_at":"` */
  prefix: string;
  /** Line tails after the timestamp, ending in "\n". */
  tails: readonly string[];
  weights: readonly number[];
  /** Pieces to send (tails.length, or fewer before an injected failure or hang). */
  count: number;
  pacing: Pacing;
  /** Told when the stream starts (true) and stops (false) waiting for the client to drain its socket buffer. */
  onStall?: (stalled: boolean) => void;
}

/** Most characters (bytes: the lines are ASCII JSON) one write carries when the stream is behind (a late timer). */
export const MAX_WRITE_CHARS = 64 * 1024;

/**
 * Sends `count` lines, each when its time comes; the 200 and the NDJSON content type go out with the first.
 * Resolves when all were written or as soon as `signal` fires, leaving no timer or listener behind. When the
 * socket buffer is full it waits for `drain`, so a slow client slows generation down as Ollama's does: generation
 * stalls meanwhile, and the time spent blocked is not made up afterwards (a catch-up would build megabytes in one
 * go at a high decode rate, leaving the connection silent while it does). A stream that is behind for other
 * reasons (a late timer) catches up in writes of at most MAX_WRITE_CHARS, yielding to I/O between them.
 */
export function streamPieces(job: StreamJob): Promise<void> {
  const { res, signal, prefix, tails, weights, count, pacing, onStall } = job;
  if (count <= 0 || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    let due = monoMs() + pieceDelay(pacing, weights[0] ?? 1);
    let stalled = false;
    const stall = (on: boolean) => {
      if (stalled === on) return;
      stalled = on;
      onStall?.(on);
    };

    const finish = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", finish);
      res.off("drain", onDrain);
      stall(false);
      resolve();
    };

    function onDrain(): void {
      stall(false);
      due = Math.max(due, monoMs());
      tick();
    }

    function tick(): void {
      timer = undefined;
      if (signal.aborted) return;
      const now = monoMs();
      let out = "";
      while (i < count && due <= now && out.length < MAX_WRITE_CHARS) {
        out += prefix + createdAt() + tails[i];
        i++;
        if (i < count) due += pieceDelay(pacing, weights[i] ?? 1);
      }
      let flushed = true;
      if (out !== "") {
        if (!res.headersSent) res.writeHead(200, { "Content-Type": NDJSON_TYPE });
        flushed = res.write(out);
      }
      if (i >= count) {
        finish();
        return;
      }
      if (!flushed) {
        res.once("drain", onDrain);
        stall(true);
        return;
      }
      timer = setTimeout(tick, Math.max(0, due - now));
    }

    signal.addEventListener("abort", finish, { once: true });
    timer = setTimeout(tick, Math.max(0, due - monoMs()));
  });
}
