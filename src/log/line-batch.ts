// Batches log lines into few large writes: one write per `minLength` characters or `maxDelayMs`, not one per line.

/** Where batches go: a sonic-boom (pino.destination) or anything with the same write. */
export interface LineSink {
  write(text: string): unknown;
  /** Writes out what the sink itself still holds, synchronously. */
  flushSync?(): void;
}

export interface LineBatchOptions {
  /** A batch is written as soon as it holds this many characters. Default 4096. */
  minLength?: number;
  /** A line waits at most this long before it is written (an unref'd timer). Default 100 ms. */
  maxDelayMs?: number;
}

/** A pino destination: pino calls flushSync() itself after a fatal line, and flush() on logger.flush(). */
export interface LineBatch {
  write(line: string): void;
  /** Writes the pending batch and the sink's own buffer, synchronously; then calls `done`. */
  flush(done?: (err?: Error) => void): void;
  flushSync(): void;
}

/**
 * Contract: every line reaches the sink whole and in order, at most `maxDelayMs` after it was written, or at once
 * on flush()/flushSync(). A line costs a string append; the sink is called once per batch, so a synchronous sink
 * makes one write(2) per batch rather than one per log line. What is pending when the process is killed with
 * SIGKILL is lost (at most `maxDelayMs` of lines); the caller flushes before any exit it controls.
 */
export function lineBatch(sink: LineSink, options: LineBatchOptions = {}): LineBatch {
  const { minLength = 4096, maxDelayMs = 100 } = options;
  let pending = "";
  let timer: NodeJS.Timeout | undefined;
  let armed = false;
  const writePending = () => {
    if (pending === "") return;
    const text = pending;
    pending = "";
    sink.write(text);
  };
  const onTimer = () => {
    armed = false;
    writePending();
  };
  const flushSync = () => {
    writePending();
    sink.flushSync?.();
  };
  return {
    write(line) {
      pending += line;
      if (pending.length >= minLength) writePending();
      else if (!armed) {
        armed = true;
        // One timer object for the logger's life, re-armed rather than allocated per batch.
        if (timer === undefined) {
          timer = setTimeout(onTimer, maxDelayMs);
          timer.unref();
        } else timer.refresh();
      }
    },
    flush(done) {
      try {
        flushSync();
      } catch (err) {
        done?.(err as Error);
        return;
      }
      done?.();
    },
    flushSync,
  };
}
