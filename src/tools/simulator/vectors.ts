// Deterministic embedding vectors (similar texts get similar vectors) and Go's float32 JSON formatting.

import { hash32, Rng } from "./prng.js";

/**
 * Feature hashing: each word adds ±1 at a few positions chosen by its hash, so texts sharing words point the
 * same way; a little text-specific noise keeps every vector non-zero. L2-normalised, in float32 precision.
 */
export function embedText(text: string, dims: number, seed: number): number[] {
  const vec = new Float64Array(dims);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    const rng = new Rng(hash32(word, seed));
    for (let k = 0; k < 8; k++) {
      const at = rng.int(dims);
      vec[at] = (vec[at] as number) + (rng.next() < 0.5 ? -1 : 1);
    }
  }
  const noise = new Rng(hash32(text, seed ^ 0x9e3779b9));
  for (let i = 0; i < dims; i++) vec[i] = (vec[i] as number) + (noise.next() - 0.5) * 0.05;
  return normalize(Array.from(vec));
}

/** Ollama's `normalize`: v / max(|v|, 1e-12), each entry rounded to float32. */
function normalize(vec: readonly number[]): number[] {
  let sum = 0;
  for (const v of vec) sum += v * v;
  const norm = 1 / Math.max(Math.sqrt(sum), 1e-12);
  return vec.map((v) => Math.fround(v * norm));
}

/** `dimensions`: truncate, then normalise again (only when smaller than the model's size). */
export function truncateDims(vec: readonly number[], dimensions: number | undefined): number[] {
  if (dimensions === undefined || dimensions <= 0 || dimensions >= vec.length) return [...vec];
  return normalize(vec.slice(0, dimensions));
}

/** Go's shortest float32 text: the fewest digits that read back as the same float32 (`0.1`, not 0.10000000149). */
export function float32Text(value: number): string {
  const f = Math.fround(value);
  for (let digits = 1; digits <= 9; digits++) {
    const candidate = Number(f.toPrecision(digits));
    if (Math.fround(candidate) === f) return String(candidate);
  }
  return String(f);
}

/** A `[][]float32` in Go's encoding. */
export function float32Matrix(rows: readonly (readonly number[])[]): string {
  return `[${rows.map((row) => `[${row.map(float32Text).join(",")}]`).join(",")}]`;
}
