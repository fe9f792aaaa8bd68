// Clocks of the simulator, abortable waits, and Go's RFC 3339 timestamp format (UTC, nanoseconds, zeros trimmed).

/** Monotonic milliseconds, for durations. */
export function monoMs(): number {
  return performance.now();
}

/** Milliseconds to Go's integer nanoseconds (`time.Duration`). */
export function msToNs(ms: number): number {
  return Math.max(0, Math.round(ms * 1e6));
}

let cachedSecond = Number.NaN;
let cachedPrefix = "";

/**
 * Formats epoch milliseconds (fractional part = sub-millisecond precision) the way Go marshals a UTC
 * `time.Time`: `2025-07-07T20:22:19.184789Z`, trailing zeros of the fraction trimmed, no fraction when zero.
 * The date part is cached per second because this runs once per streamed line.
 */
export function formatTime(epochMs: number): string {
  const wholeMs = Math.floor(epochMs);
  const second = Math.floor(wholeMs / 1000);
  let nanos = (wholeMs - second * 1000) * 1e6 + Math.floor((epochMs - wholeMs) * 1e6);
  if (nanos > 999_999_999) nanos = 999_999_999;
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19);
  }
  if (nanos === 0) return `${cachedPrefix}Z`;
  let frac = String(nanos).padStart(9, "0");
  let end = frac.length;
  while (frac.charCodeAt(end - 1) === 48) end--;
  frac = frac.slice(0, end);
  return `${cachedPrefix}.${frac}Z`;
}

/** `time.Now().UTC()` as Go marshals it, with sub-millisecond precision from the high-resolution clock. */
export function createdAt(): string {
  return formatTime(performance.timeOrigin + performance.now());
}

/** Rejected by the waits below when their signal fires, and by the scheduler when a waiting request leaves. */
export class AbortedError extends Error {
  constructor() {
    super("request canceled");
    this.name = "AbortedError";
  }
}

/** Resolves after `ms`, or rejects with AbortedError as soon as `signal` fires; never leaves a timer behind. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new AbortedError());
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortedError());
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Resolves when `signal` fires: what a hung request waits for. */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
}
