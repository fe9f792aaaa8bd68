// One structured access-log line per finished request, built from its RequestRecord.

import type { RequestRecord } from "../events/request-events.js";
import type { Logger } from "./logger.js";

/** Logs at info for completed and rejected requests, warn for the rest (something went wrong upstream or in flight). */
export function accessLogger(logger: Logger): (record: RequestRecord) => void {
  return (r) => {
    const fields = {
      reqId: r.id,
      method: r.method,
      route: r.route,
      model: r.model,
      stream: r.stream,
      status: r.status,
      outcome: r.outcome,
      durationMs: round(r.durationMs),
      ttftMs: r.ttftMs === undefined ? undefined : round(r.ttftMs),
      upstreamMs: r.upstreamMs === undefined ? undefined : round(r.upstreamMs),
      tokensIn: r.promptTokens,
      tokensOut: r.completionTokens,
      doneReason: r.generation?.doneReason,
      bytesIn: r.bytesIn,
      bytesOut: r.bytesOut,
      errorCode: r.errorCode,
      error: r.errorMessage,
    };
    if (r.outcome === "completed" || r.outcome === "rejected") logger.info(fields, "request");
    else logger.warn(fields, "request");
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
