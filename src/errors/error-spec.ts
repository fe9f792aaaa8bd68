// The error table: what each error code means (status, OpenAI type, outcome, metrics, headers). Everything else derives from it.

import type { Outcome, UpstreamErrorClass } from "../events/request-events.js";
import type { GatewayError } from "./gateway-error.js";

/** OpenAI's error `type` vocabulary. */
export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "overloaded_error"
  | "server_error";

/** Why the gateway refused a request before the upstream: the `reason` label of admission_rejections_total. */
export type RejectionReason = "queue_full" | "queue_timeout" | "rate_limited" | "unauthorized";

/** The outcomes an error can end a request with (client_abort and shutdown are decided before the error counts). */
export type ErrorOutcome = Extract<Outcome, "timeout" | "upstream_error" | "rejected" | "internal_error">;

export interface ErrorSpec {
  /** The HTTP status, unless the error carries its own (an upstream status passed through, a 403 for a key). */
  readonly status: number;
  /** OpenAI's error type at `status`; an error carrying another status takes that status's type. */
  readonly type: OpenAIErrorType;
  /** How a request that ends with this error is counted; `by_status`: see outcomeForUpstreamStatus. */
  readonly outcome: ErrorOutcome | "by_status";
  /** The `class` of upstream_errors_total, for failures of the upstream. */
  readonly upstreamClass?: UpstreamErrorClass;
  /** The `reason` of admission_rejections_total, for refusals before the upstream. */
  readonly rejection?: RejectionReason;
  /** Response headers beside the body (only when the error is answered before the response started). */
  readonly headers?: {
    /** `Connection: close`: the request's bytes cannot be trusted to end where they should, or we are leaving. */
    readonly close?: true;
    /** Retry-After in seconds when the error carries none of its own. */
    readonly retryAfterS?: number;
    /** WWW-Authenticate, sent with a 401 (RFC 9110 §11.6.1). */
    readonly wwwAuthenticate?: "Bearer";
  };
  /** One line for the docs: when a client sees this code. */
  readonly description: string;
}

/**
 * Stable error codes, in `error.code` for clients and in logs and metrics, so a code is never renamed once
 * released. Lower snake case, like OpenAI's own codes.
 */
export const ERROR_SPEC = {
  invalid_json: {
    status: 400,
    type: "invalid_request_error",
    outcome: "rejected",
    description: "The body is not JSON (or is empty).",
  },
  invalid_request: {
    status: 400,
    type: "invalid_request_error",
    outcome: "rejected",
    description: "The body is JSON but fails validation; `param` names the field.",
  },
  unsupported_parameter: {
    status: 400,
    type: "invalid_request_error",
    outcome: "rejected",
    description: "A field OpenAI defines that Ollama cannot honour (e.g. `n` > 1); `param` names it.",
  },
  route_not_found: {
    status: 404,
    type: "not_found_error",
    outcome: "rejected",
    description: "Unknown path (an OpenAI path without its `/v1` is told which one was meant).",
  },
  method_not_allowed: {
    status: 405,
    type: "invalid_request_error",
    outcome: "rejected",
    description: "Known path, wrong method; the `Allow` header says which.",
  },
  body_too_large: {
    status: 413,
    type: "invalid_request_error",
    outcome: "rejected",
    headers: { close: true },
    description: "The request body is over `body-limit`.",
  },
  model_not_found: {
    status: 404,
    type: "not_found_error",
    outcome: "rejected",
    upstreamClass: "status",
    description: "The upstream says the model does not exist (not pulled); Ollama's message is kept.",
  },
  upstream_unreachable: {
    status: 502,
    type: "server_error",
    outcome: "upstream_error",
    upstreamClass: "connect",
    description: "Connect refused, DNS failure or reset before any response; the message says which.",
  },
  upstream_timeout: {
    status: 504,
    type: "server_error",
    outcome: "timeout",
    upstreamClass: "timeout",
    description: "No first byte from the upstream within `first-byte-timeout`.",
  },
  upstream_idle_timeout: {
    status: 504,
    type: "server_error",
    outcome: "timeout",
    upstreamClass: "timeout",
    description: "A started response went quiet for longer than `idle-timeout`.",
  },
  upstream_http_error: {
    status: 502,
    type: "server_error",
    outcome: "by_status",
    upstreamClass: "status",
    description:
      "The upstream answered with an error status: a 4xx or 503 is passed through with Ollama's message, anything else is a 502.",
  },
  upstream_stream_error: {
    status: 502,
    type: "server_error",
    outcome: "upstream_error",
    upstreamClass: "protocol",
    description: "The upstream reported an error inside a started stream.",
  },
  upstream_protocol_error: {
    status: 502,
    type: "server_error",
    outcome: "upstream_error",
    upstreamClass: "protocol",
    description: "The upstream sent bytes the gateway cannot understand, or ended a stream early.",
  },
  shutting_down: {
    status: 503,
    type: "server_error",
    outcome: "rejected",
    headers: { close: true, retryAfterS: 5 },
    description: "The gateway is draining and takes no new work.",
  },
  queue_full: {
    status: 503,
    type: "overloaded_error",
    outcome: "rejected",
    rejection: "queue_full",
    description: "The admission queue is full: the gateway is overloaded.",
  },
  queue_timeout: {
    status: 503,
    type: "overloaded_error",
    outcome: "rejected",
    rejection: "queue_timeout",
    description: "Waited longer than `queue-timeout` for an upstream slot.",
  },
  missing_api_key: {
    status: 401,
    type: "authentication_error",
    outcome: "rejected",
    rejection: "unauthorized",
    headers: { wwwAuthenticate: "Bearer" },
    description: "API keys are configured and the request carries none.",
  },
  invalid_api_key: {
    status: 401,
    type: "authentication_error",
    outcome: "rejected",
    rejection: "unauthorized",
    headers: { wwwAuthenticate: "Bearer" },
    description:
      "The request's key matches no configured key (403 `permission_error` on the dashboard for a key that is not an admin key).",
  },
  rate_limited: {
    status: 429,
    type: "rate_limit_error",
    outcome: "rejected",
    rejection: "rate_limited",
    description:
      "The key's requests-per-minute or tokens-per-minute limit is spent; Retry-After says when to retry.",
  },
  internal_error: {
    status: 500,
    type: "server_error",
    outcome: "internal_error",
    description: "A bug in the gateway; never caused by input.",
  },
} as const satisfies Record<string, ErrorSpec>;

export type GatewayErrorCode = keyof typeof ERROR_SPEC;

/** The codes in the table's order. */
export const ERROR_CODES = Object.keys(ERROR_SPEC) as GatewayErrorCode[];

/** The `reason` values of admission_rejections_total: every reason of the table, sorted. */
export const REJECTION_REASONS: readonly RejectionReason[] = [
  ...new Set(ERROR_CODES.flatMap((code) => specOf(code).rejection ?? [])),
].sort();

/** The table's row as an ErrorSpec (the `as const` table's rows are narrower than the interface). */
function specOf(code: GatewayErrorCode): ErrorSpec {
  return ERROR_SPEC[code];
}

/** The standard OpenAI type of an HTTP status, for an error that carries a status other than its code's. */
export function errorTypeForStatus(status: number): OpenAIErrorType {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 400 && status < 500) return "invalid_request_error";
  return "server_error";
}

/** The upstream refusing the request itself (4xx) is the request's fault; its overload (429) and failures are not. */
export function outcomeForUpstreamStatus(status: number): ErrorOutcome {
  return status >= 400 && status < 500 && status !== 429 ? "rejected" : "upstream_error";
}

/** The HTTP status a code answers with unless the error carries its own. */
export function defaultStatus(code: GatewayErrorCode): number {
  return ERROR_SPEC[code].status;
}

/** The OpenAI error type for a code answered with `status`. */
export function errorType(code: GatewayErrorCode, status: number): OpenAIErrorType {
  const spec = ERROR_SPEC[code];
  return status === spec.status ? spec.type : errorTypeForStatus(status);
}

/** Which outcome an error means for the request it ended. */
export function outcomeOf(err: Pick<GatewayError, "code" | "status">): ErrorOutcome {
  const outcome = specOf(err.code).outcome;
  return outcome === "by_status" ? outcomeForUpstreamStatus(err.status) : outcome;
}

/** Which class an upstream failure belongs to, for metrics and logs; undefined for errors that are not the upstream's. */
export function upstreamErrorClass(code: GatewayErrorCode): UpstreamErrorClass | undefined {
  return specOf(code).upstreamClass;
}

/** Why the gateway refused the request before the upstream; undefined for every other error. */
export function rejectionReason(code: GatewayErrorCode): RejectionReason | undefined {
  return specOf(code).rejection;
}

/**
 * The headers an error answer carries beside its body, for every path that writes one before the response
 * started. A Retry-After the error carries (a rate limit's refill time) wins over the code's default, rounded up to
 * whole seconds and at least 1; WWW-Authenticate goes only with a 401 (a 403 for a valid key names no scheme), with
 * `realm` when the credential is not an API key (/metrics' token).
 */
export function errorHeaders(
  err: Pick<GatewayError, "code" | "status" | "retryAfterS">,
  options: { realm?: string } = {},
): Record<string, string> {
  const h = specOf(err.code).headers;
  const headers: Record<string, string> = {};
  if (h?.close) headers.connection = "close";
  const retryAfterS = err.retryAfterS ?? h?.retryAfterS;
  if (retryAfterS !== undefined) headers["retry-after"] = String(Math.max(1, Math.ceil(retryAfterS)));
  if (h?.wwwAuthenticate !== undefined && err.status === 401)
    headers["www-authenticate"] =
      options.realm === undefined ? h.wwwAuthenticate : `${h.wwwAuthenticate} realm="${options.realm}"`;
  return headers;
}
