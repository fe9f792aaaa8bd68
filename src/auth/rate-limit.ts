// Per-key requests-per-minute and tokens-per-minute limits, as token buckets refilled continuously.

export interface KeyLimits {
  rpm?: number;
  tpm?: number;
}

/** Parses "NAME:rpm=60,tpm=100000" (either or both limits). */
export function parseKeyLimit(spec: string): { name: string; limits: KeyLimits } | string {
  const colon = spec.indexOf(":");
  if (colon <= 0) return "expected NAME:rpm=N,tpm=N";
  const name = spec.slice(0, colon).trim();
  const limits: KeyLimits = {};
  for (const part of spec.slice(colon + 1).split(",")) {
    const [key, value] = part.split("=").map((s) => s.trim());
    const n = Number(value);
    if ((key !== "rpm" && key !== "tpm") || !Number.isInteger(n) || n < 1)
      return `"${part.trim()}": expected rpm=N or tpm=N with N a positive integer`;
    limits[key] = n;
  }
  return { name, limits };
}

interface Bucket {
  capacity: number;
  level: number;
  updated: number;
}

export type LimitCheck = { ok: true } | { ok: false; limit: "rpm" | "tpm"; retryAfterS: number };

/**
 * A bucket of `limit` units refills at limit/60 per second, so a key may burst up to its per-minute limit and
 * then continues at the average rate. A request takes one rpm unit when admitted; tokens are taken when the
 * upstream reports them (the bucket may go negative then, holding the key back until it has refilled).
 */
export class RateLimiter {
  readonly #rpm = new Map<string, Bucket>();
  readonly #tpm = new Map<string, Bucket>();
  readonly #now: () => number;

  constructor(limits: ReadonlyMap<string, KeyLimits>, now: () => number = Date.now) {
    this.#now = now;
    const t = now();
    for (const [name, l] of limits) {
      if (l.rpm) this.#rpm.set(name, { capacity: l.rpm, level: l.rpm, updated: t });
      if (l.tpm) this.#tpm.set(name, { capacity: l.tpm, level: l.tpm, updated: t });
    }
  }

  /** Admits one request of `key` (taking one rpm unit) or says which limit is spent and when to retry. */
  take(key: string): LimitCheck {
    const now = this.#now();
    const tpm = this.#tpm.get(key);
    if (tpm && refill(tpm, now) < 0) return { ok: false, limit: "tpm", retryAfterS: secondsUntil(tpm, 0) };
    const rpm = this.#rpm.get(key);
    if (rpm) {
      if (refill(rpm, now) < 1) return { ok: false, limit: "rpm", retryAfterS: secondsUntil(rpm, 1) };
      rpm.level -= 1;
    }
    return { ok: true };
  }

  /** Charges tokens a request of `key` used. */
  charge(key: string, tokens: number): void {
    const bucket = this.#tpm.get(key);
    if (!bucket || tokens <= 0) return;
    refill(bucket, this.#now());
    bucket.level -= tokens;
  }
}

function refill(bucket: Bucket, now: number): number {
  const elapsed = Math.max(0, now - bucket.updated);
  bucket.level = Math.min(bucket.capacity, bucket.level + (elapsed / 60_000) * bucket.capacity);
  bucket.updated = now;
  return bucket.level;
}

/** Whole seconds until the bucket holds `need` units again (at least 1, for Retry-After). */
function secondsUntil(bucket: Bucket, need: number): number {
  const missing = need - bucket.level;
  return Math.max(1, Math.ceil((missing / bucket.capacity) * 60));
}
