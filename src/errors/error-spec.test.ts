// The error table and what derives from it: statuses, types, outcomes, metric labels and headers.

import { describe, expect, test } from "vitest";
import {
  ERROR_CODES,
  ERROR_SPEC,
  errorHeaders,
  errorTypeForStatus,
  type GatewayErrorCode,
  outcomeOf,
  REJECTION_REASONS,
  rejectionReason,
  upstreamErrorClass,
} from "./error-spec.js";
import { GatewayError } from "./gateway-error.js";

describe("status and type", () => {
  test.each([
    ["invalid_json", undefined, 400, "invalid_request_error"],
    ["route_not_found", undefined, 404, "not_found_error"],
    ["method_not_allowed", undefined, 405, "invalid_request_error"],
    ["body_too_large", undefined, 413, "invalid_request_error"],
    ["missing_api_key", undefined, 401, "authentication_error"],
    ["invalid_api_key", 403, 403, "permission_error"],
    ["rate_limited", undefined, 429, "rate_limit_error"],
    ["queue_full", undefined, 503, "overloaded_error"],
    ["queue_timeout", undefined, 503, "overloaded_error"],
    ["shutting_down", undefined, 503, "server_error"],
    ["model_not_found", 404, 404, "not_found_error"],
    ["upstream_http_error", undefined, 502, "server_error"],
    ["upstream_http_error", 400, 400, "invalid_request_error"],
    ["upstream_http_error", 404, 404, "not_found_error"],
    ["upstream_http_error", 429, 429, "rate_limit_error"],
    ["upstream_http_error", 503, 503, "server_error"],
    ["upstream_timeout", undefined, 504, "server_error"],
    ["internal_error", undefined, 500, "server_error"],
  ] as const)("%s (status %s) answers %i with type %s", (code, passed, status, type) => {
    const err = new GatewayError(code, "m", passed === undefined ? {} : { status: passed });
    expect(err.status).toBe(status);
    expect(err.type).toBe(type);
  });

  // A row's type differs from its status's standard type only to say something the status cannot.
  test.each(ERROR_CODES)("%s: the type is its status's, or overloaded_error for a 503", (code) => {
    const spec = ERROR_SPEC[code];
    if (spec.type === "overloaded_error") expect(spec.status).toBe(503);
    else expect(spec.type).toBe(errorTypeForStatus(spec.status));
  });
});

describe("outcome", () => {
  test.each([
    ["invalid_request", undefined, "rejected"],
    ["model_not_found", 404, "rejected"],
    ["shutting_down", undefined, "rejected"],
    ["queue_full", undefined, "rejected"],
    ["invalid_api_key", undefined, "rejected"],
    ["rate_limited", undefined, "rejected"],
    ["upstream_unreachable", undefined, "upstream_error"],
    ["upstream_stream_error", undefined, "upstream_error"],
    ["upstream_protocol_error", undefined, "upstream_error"],
    ["upstream_timeout", undefined, "timeout"],
    ["upstream_idle_timeout", undefined, "timeout"],
    ["upstream_http_error", 400, "rejected"],
    ["upstream_http_error", 404, "rejected"],
    ["upstream_http_error", 429, "upstream_error"],
    ["upstream_http_error", 500, "upstream_error"],
    ["upstream_http_error", 502, "upstream_error"],
    ["upstream_http_error", 503, "upstream_error"],
    ["internal_error", undefined, "internal_error"],
  ] as const)("%s (status %s) is %s", (code, status, outcome) => {
    expect(outcomeOf(new GatewayError(code, "m", status === undefined ? {} : { status }))).toBe(outcome);
  });
});

describe("metric labels", () => {
  test.each([
    ["upstream_unreachable", "connect"],
    ["upstream_timeout", "timeout"],
    ["upstream_idle_timeout", "timeout"],
    ["upstream_http_error", "status"],
    ["model_not_found", "status"],
    ["upstream_stream_error", "protocol"],
    ["upstream_protocol_error", "protocol"],
    ["invalid_json", undefined],
    ["queue_timeout", undefined],
    ["internal_error", undefined],
  ] as const)("%s has upstream class %s", (code, klass) => {
    expect(upstreamErrorClass(code)).toBe(klass);
  });

  test.each([
    ["queue_full", "queue_full"],
    ["queue_timeout", "queue_timeout"],
    ["rate_limited", "rate_limited"],
    ["missing_api_key", "unauthorized"],
    ["invalid_api_key", "unauthorized"],
    ["shutting_down", undefined],
    ["body_too_large", undefined],
    ["upstream_http_error", undefined],
  ] as const)("%s has rejection reason %s", (code, reason) => {
    expect(rejectionReason(code)).toBe(reason);
  });

  test("the rejection reasons are the table's, sorted, each once", () => {
    expect(REJECTION_REASONS).toEqual(["queue_full", "queue_timeout", "rate_limited", "unauthorized"]);
  });
});

describe("headers", () => {
  test.each<[GatewayErrorCode, { status?: number; retryAfterS?: number }, Record<string, string>]>([
    ["body_too_large", {}, { connection: "close" }],
    ["shutting_down", {}, { connection: "close", "retry-after": "5" }],
    ["shutting_down", { retryAfterS: 12 }, { connection: "close", "retry-after": "12" }],
    ["rate_limited", { retryAfterS: 29.2 }, { "retry-after": "30" }],
    ["rate_limited", { retryAfterS: 0.01 }, { "retry-after": "1" }],
    ["rate_limited", {}, {}],
    ["missing_api_key", {}, { "www-authenticate": "Bearer" }],
    ["invalid_api_key", {}, { "www-authenticate": "Bearer" }],
    ["invalid_api_key", { status: 403 }, {}],
    ["queue_full", {}, {}],
    ["route_not_found", {}, {}],
    ["method_not_allowed", {}, {}],
    ["upstream_http_error", { status: 503 }, {}],
    ["internal_error", {}, {}],
  ])("%s %j sends %j", (code, options, headers) => {
    // Entries, not toEqual: the order is the order the headers are written in.
    expect(Object.entries(errorHeaders(new GatewayError(code, "m", options)))).toEqual(
      Object.entries(headers),
    );
  });
});
