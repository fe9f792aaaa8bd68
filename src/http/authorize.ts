// The auth stage: one check per route-table policy, throwing the GatewayError the pipeline answers with.

import { createHash, timingSafeEqual } from "node:crypto";
import type { KeyRing } from "../auth/api-keys.js";
import type { RateLimiter } from "../auth/rate-limit.js";
import { GatewayError } from "../errors/gateway-error.js";
import type { RequestContext } from "./request-context.js";
import type { AuthPolicy } from "./route-table.js";

export interface AuthOptions {
  keys: KeyRing;
  limiter: RateLimiter;
  /** Key names that may read the dashboard's data; empty: any configured key. */
  adminKeys: readonly string[];
  /** The bearer token /metrics requires; "" for none. */
  metricsToken: string;
}

/** Applies a route's policy to `ctx`; sets `ctx.keyName` for a request that presented a key. Throws to refuse. */
export type Authorize = (ctx: RequestContext, policy: AuthPolicy) => void;

export function createAuthorize(o: AuthOptions): Authorize {
  const token = o.metricsToken ? digest(o.metricsToken) : undefined;
  const admins = new Set(o.adminKeys);
  const key = (ctx: RequestContext, needs: string): string => {
    const auth = o.keys.authenticate(ctx.req.headers);
    if (!auth.ok)
      throw new GatewayError(
        auth.code,
        auth.code === "missing_api_key"
          ? `${needs} requires an API key: send Authorization: Bearer <key> (or x-api-key)`
          : "the API key is not valid",
      );
    ctx.keyName = auth.name;
    return auth.name;
  };
  return (ctx, policy) => {
    switch (policy) {
      case "none":
        return;
      case "apiKey": {
        if (!o.keys.enabled) return;
        const name = key(ctx, "this gateway");
        const limit = o.limiter.take(name);
        if (!limit.ok)
          throw new GatewayError(
            "rate_limited",
            `the key "${name}" is over its ${limit.limit === "rpm" ? "requests" : "tokens"}-per-minute limit; retry in ${limit.retryAfterS} s`,
            { retryAfterS: limit.retryAfterS },
          );
        return;
      }
      case "admin": {
        if (!o.keys.enabled) return;
        const name = key(ctx, "the dashboard's data");
        if (admins.size > 0 && !admins.has(name))
          throw new GatewayError(
            "invalid_api_key",
            `the key "${name}" may use the API but not see the dashboard; use an admin key (admin-key)`,
            { status: 403 },
          );
        return;
      }
      case "metricsToken": {
        if (!token) return;
        const header = ctx.req.headers.authorization ?? "";
        const given = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
        // Digests of equal length compared in constant time, so the token's length and content do not leak.
        if (!timingSafeEqual(digest(given), token))
          throw new GatewayError(
            given ? "invalid_api_key" : "missing_api_key",
            "/metrics needs Authorization: Bearer <metrics-token>",
          );
        return;
      }
      default: {
        const exhaustive: never = policy;
        return exhaustive;
      }
    }
  };
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
