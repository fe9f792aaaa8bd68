// The one error type of the gateway: every failure has a stable code, an HTTP status and an OpenAI error type.

/**
 * Stable error codes. They are what clients see in `error.code` and what logs and metrics carry,
 * so a code is never renamed once released. Lower snake case, like OpenAI's own codes.
 */
export type GatewayErrorCode =
  | "invalid_json" // body is not JSON
  | "invalid_request" // body is JSON but fails validation; `param` names the field
  | "unsupported_parameter" // a field OpenAI defines that Ollama cannot honour (e.g. n > 1)
  | "route_not_found" // unknown path
  | "method_not_allowed" // known path, wrong method
  | "body_too_large" // request body over `body-limit`
  | "model_not_found" // the upstream says the model does not exist
  | "upstream_unreachable" // connect refused / DNS / reset before any response
  | "upstream_timeout" // no first byte within `first-byte-timeout`
  | "upstream_idle_timeout" // a started response went quiet for longer than `idle-timeout`
  | "upstream_http_error" // the upstream answered with an error status
  | "upstream_stream_error" // the upstream reported an error inside a started stream
  | "upstream_protocol_error" // the upstream sent bytes we cannot understand, or ended a stream early
  | "shutting_down" // the gateway is draining and takes no new work
  | "queue_full" // the admission queue is full: the gateway is overloaded
  | "queue_timeout" // waited longer than `queue-timeout` for an upstream slot
  | "missing_api_key" // keys are configured and the request carries none
  | "invalid_api_key" // the request's key matches no configured key
  | "rate_limited" // the key's requests-per-minute or tokens-per-minute limit is spent
  | "internal_error"; // a bug in the gateway; never caused by input

/** OpenAI's error `type` vocabulary. */
export type OpenAIErrorType =
  | "invalid_request_error"
  | "authentication_error"
  | "permission_error"
  | "not_found_error"
  | "rate_limit_error"
  | "overloaded_error"
  | "server_error";

export interface GatewayErrorOptions {
  /** The request field at fault, for `invalid_request` and friends (OpenAI's `param`). */
  param?: string | null;
  /** Overrides the code's default status; used to pass an upstream status through. */
  status?: number;
  /** For 429 and 503: when to try again, sent as Retry-After. */
  retryAfterS?: number;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly status: number;
  readonly param: string | null;
  readonly retryAfterS: number | undefined;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "GatewayError";
    this.code = code;
    this.status = options.status ?? defaultStatus(code);
    this.param = options.param ?? null;
    this.retryAfterS = options.retryAfterS;
  }

  get type(): OpenAIErrorType {
    // An overloaded gateway says so in the type too, so clients can tell it from a failure and retry later.
    if (this.code === "queue_full" || this.code === "queue_timeout") return "overloaded_error";
    return errorTypeForStatus(this.status);
  }
}

/** The HTTP status each code answers with unless the error carries its own (upstream statuses pass through). */
export function defaultStatus(code: GatewayErrorCode): number {
  switch (code) {
    case "invalid_json":
    case "invalid_request":
    case "unsupported_parameter":
      return 400;
    case "route_not_found":
    case "model_not_found":
      return 404;
    case "method_not_allowed":
      return 405;
    case "body_too_large":
      return 413;
    case "upstream_unreachable":
    case "upstream_http_error":
    case "upstream_stream_error":
    case "upstream_protocol_error":
      return 502;
    case "shutting_down":
    case "queue_full":
    case "queue_timeout":
      return 503;
    case "missing_api_key":
    case "invalid_api_key":
      return 401;
    case "rate_limited":
      return 429;
    case "upstream_timeout":
    case "upstream_idle_timeout":
      return 504;
    case "internal_error":
      return 500;
    default: {
      const exhaustive: never = code;
      return exhaustive;
    }
  }
}

export function errorTypeForStatus(status: number): OpenAIErrorType {
  if (status === 401) return "authentication_error";
  if (status === 403) return "permission_error";
  if (status === 404) return "not_found_error";
  if (status === 429) return "rate_limit_error";
  if (status >= 400 && status < 500) return "invalid_request_error";
  return "server_error";
}

/** Anything thrown becomes a GatewayError; unknown throwables are internal errors (a bug, logged by the caller). */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GatewayError("internal_error", `internal error: ${message}`, { cause: err });
}

export interface OpenAIErrorBody {
  error: { message: string; type: OpenAIErrorType; param: string | null; code: GatewayErrorCode };
}

/** The body of every error on the OpenAI routes (and of the final frame of a failed stream). */
export function openAIErrorBody(err: GatewayError): OpenAIErrorBody {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
}

/** Errors the gateway itself raises on Ollama's native routes use Ollama's own shape: `{"error":"…"}`. */
export function ollamaErrorBody(err: GatewayError): { error: string } {
  return { error: err.message };
}
