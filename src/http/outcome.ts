// Which outcome an error means for the request it ended.

import type { GatewayError } from "../errors/gateway-error.js";
import type { Outcome } from "../events/request-events.js";

export function outcomeOf(err: GatewayError): Outcome {
  switch (err.code) {
    case "upstream_timeout":
    case "upstream_idle_timeout":
      return "timeout";
    case "upstream_unreachable":
    case "upstream_stream_error":
    case "upstream_protocol_error":
      return "upstream_error";
    case "upstream_http_error":
      // The upstream refusing the request itself (4xx) is the request's fault; overload and failures are not.
      return err.status >= 400 && err.status < 500 && err.status !== 429 ? "rejected" : "upstream_error";
    case "model_not_found":
    case "invalid_json":
    case "invalid_request":
    case "unsupported_parameter":
    case "route_not_found":
    case "method_not_allowed":
    case "body_too_large":
    case "shutting_down":
    case "queue_full":
    case "queue_timeout":
    case "missing_api_key":
    case "invalid_api_key":
    case "rate_limited":
      return "rejected";
    case "internal_error":
      return "internal_error";
    default: {
      const exhaustive: never = err.code;
      return exhaustive;
    }
  }
}
