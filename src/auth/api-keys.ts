// API keys: configured by name with the secret or its SHA-256; requests present them as a Bearer token or x-api-key.

import { createHash, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export interface ApiKey {
  name: string;
  /** SHA-256 of the secret; the secret itself is not kept. */
  digest: Buffer;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$/;

/**
 * Parses "NAME=SECRET" or "NAME=sha256:HEX". Returns an error message naming what is wrong, never the secret.
 * Names become metric labels, so they are short and plain.
 */
export function parseApiKey(spec: string): ApiKey | string {
  const eq = spec.indexOf("=");
  if (eq <= 0) return "expected NAME=SECRET or NAME=sha256:<64 hex digits>";
  const name = spec.slice(0, eq).trim();
  const secret = spec.slice(eq + 1);
  if (!NAME.test(name))
    return `key name "${name}" must be 1-64 letters, digits, _ . @ - (it becomes a metric label)`;
  const hashed = /^sha256:([0-9a-fA-F]{64})$/.exec(secret.trim());
  if (hashed) return { name, digest: Buffer.from(hashed[1] as string, "hex") };
  if (secret.startsWith("sha256:")) return `key "${name}": sha256: must be followed by 64 hex digits`;
  if (secret.length < 8) return `key "${name}": the secret must be at least 8 characters`;
  return { name, digest: sha256(secret) };
}

export function sha256(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

export type Authentication =
  | { ok: true; name: string }
  | { ok: false; code: "missing_api_key" | "invalid_api_key" };

/** The configured keys. With none, every request is let through (and carries no key name). */
export class KeyRing {
  readonly #keys: readonly ApiKey[];

  constructor(keys: readonly ApiKey[]) {
    const names = new Set<string>();
    for (const key of keys) {
      if (names.has(key.name)) throw new Error(`API key name "${key.name}" is configured twice`);
      names.add(key.name);
    }
    this.#keys = keys;
  }

  get enabled(): boolean {
    return this.#keys.length > 0;
  }

  get names(): string[] {
    return this.#keys.map((k) => k.name);
  }

  /**
   * Finds the key a request presents. The digest of the presented token is compared with every configured
   * digest in constant time, without stopping at a match, so timing says nothing about which key or how close.
   */
  authenticate(headers: IncomingHttpHeaders): Authentication {
    const token = presentedToken(headers);
    if (token === undefined) return { ok: false, code: "missing_api_key" };
    const digest = sha256(token);
    let found: string | undefined;
    for (const key of this.#keys)
      if (timingSafeEqual(digest, key.digest) && found === undefined) found = key.name;
    return found === undefined ? { ok: false, code: "invalid_api_key" } : { ok: true, name: found };
  }
}

/** `Authorization: Bearer <token>` (any case for the scheme), else `x-api-key`. */
function presentedToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const match = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (match) return match[1];
  }
  const key = headers["x-api-key"];
  if (typeof key === "string" && key !== "") return key.trim();
  return undefined;
}
