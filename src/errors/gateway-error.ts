// The one error type of the gateway: every failure has a stable code, an HTTP status and an OpenAI error type.

import { defaultStatus, errorType, type GatewayErrorCode, type OpenAIErrorType } from "./error-spec.js";

export type { GatewayErrorCode, OpenAIErrorType } from "./error-spec.js";

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

  /** The code's type at its own status; a status passed through takes that status's type. */
  get type(): OpenAIErrorType {
    return errorType(this.code, this.status);
  }
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
